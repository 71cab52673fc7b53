/* voice.h -- polyphonic voices in SIMD-shaped batches.
 *
 * Every event a player starts becomes a voice (a chord: one voice per
 * note). Voices of the same kind and destination run together in a batch of
 * VOICE_W lanes (structure of arrays, one voice per lane): sample voices
 * (any samples, per-lane data pointers), SuperDirt-style synth voices (one
 * synth kind per batch) and instrument voices (one instrument per batch: the
 * instrument's ops run for all lanes at once). Each batch renders into its
 * own stereo buffer; the engine sums the buffers of a destination in batch
 * order, so the result does not depend on which thread rendered what.
 *
 * The pool is allocated once (voice_pool_new) for a capacity of voices;
 * starting, rendering and ending voices never allocates. When the pool is
 * full a new voice steals the oldest released voice, else the oldest one;
 * a stolen voice fades out over 2 ms.
 *
 * Voices outlive program reloads: a batch keeps a pointer to the program
 * that started it (its instrument, its parameter signals) and counts itself
 * in that program's voices_alive, so the program is not freed until its
 * last voice ends (engine.c).
 *
 * Thread context: voice_start and voice_end_block on the audio thread;
 * voice_render_chunk on any thread of the pool, with
 * a scratch area per thread. voice_pool_new/free on a control thread.
 */
#ifndef VOICE_H
#define VOICE_H

#include <stdint.h>

#include "graph.h"

enum { VOICE_W = 8 };               /* lanes per batch */

struct voice_pool;

struct voice_stats {
    int live;                       /* voices sounding now */
    int batches;                    /* batches (up to 8 or 16 voices of one key each) in use now */
    int peak;                       /* most at once since the last reset */
    long started, stolen, dropped;  /* totals */
    long steal_probes;              /* stealing-ring records looked at (compactions too):
                                       a few per steal, whatever the pool's size */
    long nan_resets;                /* voices silenced because they produced NaN/Inf */
    long limited;                   /* pitches or speeds bounded as they entered (NaN,
                                       beyond Nyquist, speed beyond VOICE_MAX_SPEED) */
    long fx_dropped;                /* voices that played without some delay-line effect
                                       (comb, leslie, phaser, vib, ...): no memory left */
};

/* Voices with delay-line effects (comb, leslie, phaser, vib, fmi, xsdelay,
 * ...) sounding at once, and such effects on one voice; beyond them a voice
 * plays without (voice_stats.fx_dropped). */
enum { VOICE_FX_VOICES = 64, VOICE_FX_PER_VOICE = 4 };

/* A sample voice reads at most this many source frames per output frame. */
#define VOICE_MAX_SPEED 1000.0

/* capacity: voices (1 .. 65536); block: frames per block; nthreads: the
 * number of threads that may render batches at once (scratch areas). */
struct voice_pool *voice_pool_new(int capacity, int block, int sample_rate, int nthreads);
void voice_pool_free(struct voice_pool *vp);
/* Back to what voice_pool_new made: no voice, counters and statistics
 * zero, the kernels chosen again (engine_reset). */
void voice_pool_reset(struct voice_pool *vp);

/* Per-block context the engine gives the voice code. */
struct voice_block {
    int frames;                     /* frames in this block */
    double frames_per_cycle;        /* sample_rate / cps */
    struct rat c0;                  /* cycle at frame 0 */
    double cycle0;                  /* the same as a double */
};

/* Start the voices of one event (its onset at `frame` of this block, its
 * whole lasting dur_frames) for player `player` of program p. */
void voice_start(struct voice_pool *vp, struct program *p, int player, const struct pat_ev *ev,
                 int frame, double dur_frames, const struct voice_block *vb);

/* Kill every voice now (panic): a 2 ms fade. */
void voice_panic(struct voice_pool *vp);

/* The batches to render this block: their count, then each by index. */
int voice_batches(const struct voice_pool *vp);

/* Where batch i sounds in program cur: returns its player's index (>= 0),
 * or -1 for the master (voices of an older program whose player is gone);
 * *dest gets the node it adds into (the player's node, or the VOICESUM node
 * of its instrument chain), or -1 for the master. */
int voice_batch_route(const struct voice_pool *vp, int batch, const struct program *cur, int *dest);
/* The orbit batch i's voices play on (orbit.h). */
int voice_batch_orbit(const struct voice_pool *vp, int batch);
/* Batch i's output after voice_render_chunk: its chunk's sum, [2][frames]. */
const float *voice_batch_out(const struct voice_pool *vp, int batch);
/* Render n batches that share a destination, in order, and sum them into
 * the first one's output (first + second + ...): one job of the pool. The
 * chunks depend on the batch order only, so the sums are the same for any
 * number of threads. */
void voice_render_chunk(struct voice_pool *vp, const int *batches, int n, int thread, const struct voice_block *vb);
/* Add batch i's output (a chunk's sum) to dl and dr ([frames] each). */
void voice_mix_batch(struct voice_pool *vp, int batch, float *dl, float *dr, int frames);

/* After the block: free ended lanes and empty batches; count program users. */
void voice_end_block(struct voice_pool *vp);

void voice_get_stats(const struct voice_pool *vp, struct voice_stats *st);
/* The kernel set in use ("scalar", "sse2", "avx2", "avx512"): the best
 * the CPU runs, or $PHONON_SIMD's choice, decided at the first call. */
const char *voice_kernel_name(void);
/* The kernel set pool vp renders with (chosen when it was made or reset). */
const char *voice_pool_kernel_name(const struct voice_pool *vp);
/* Use the named kernel set for voice pools created (or reset) from now on
 * (tests, benchmarks, fuzzing); -1 when this CPU cannot run it. Control
 * thread, with no pool rendering. */
int voice_use_kernels(const char *name);
void voice_reset_peak(struct voice_pool *vp);

/* Retarget voices started by program `from` to the players of `to` with the
 * same keys (a reload), so they keep their effects chains. Audio thread. */
void voice_retarget(struct voice_pool *vp, const struct program *from, struct program *to);

/* Chord parsing (LANGUAGE.md 3): "c4'min7'ii" -> semitones from c4 of each
 * note; returns the count (0 when s is not a chord, -1 for an unknown
 * quality: then notes[0] is the root). */
int voice_chord(const char *s, double *notes, int max);

#endif
