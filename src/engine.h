/* engine.h -- the block engine that live, render and profile all run.
 *
 * Per block of N frames (ARCHITECTURE.md): take the newest program (one
 * atomic exchange on a triple buffer), compute the block's exact cycle span
 * from an integer sample counter and a rational anchor, query every
 * player's pattern and start voices at the exact frame of each onset, run
 * the graph's nodes in order (voices of a player are rendered, in parallel
 * on the thread pool, when its node comes), sum the outputs, and pass them
 * through the master DC blocker and soft limiter with a NaN guard.
 *
 * Clock: cycle(n) = anchor_cycle + (n - anchor_sample) * cps / sr, all exact;
 * a tempo change re-anchors at the current sample, so the cycle position
 * never jumps. A 24-hour session stays sample-accurate.
 *
 * Programs: engine_publish (control thread) carries the states of matching
 * nodes over from the previously published program and hands the new one
 * to the audio thread. Programs the audio thread no longer plays are freed
 * by engine_collect (control thread) once their last voice has ended.
 *
 * Thread context: engine_new/free/publish/collect on one control thread;
 * engine_render on the audio thread (no allocation, locks, system calls or
 * printing); engine_get_stats from any thread.
 */
#ifndef ENGINE_H
#define ENGINE_H

#include <stdatomic.h>
#include <stdint.h>

#include "graph.h"
#include "pat.h"
#include "phonon.h"

/* At most ENGINE_ONSETS_PER_FRAME x frames onsets start voices in one block
 * (1,024 in a block of 512: 88,200 a second at 44.1 kHz); the rest of a
 * flood is dropped and counted (engine_stats.onsets_capped), so that no
 * program makes a block's voice starts unbounded. */
enum { ENGINE_MAX_BLOCK = GRAPH_MAX_BLOCK, ENGINE_ONSETS_PER_FRAME = 2 };

/* The frames of the last block at which the program's onsets started
 * voices, in query order, a frame repeated only when another came between:
 * at most ENGINE_ONSET_LOG (more in one block are left out of this list,
 * never out of the sound). */
enum { ENGINE_ONSET_LOG = 64 };

struct engine;
struct voice_pool;

struct engine_opts {
    int sample_rate;                /* Hz */
    int block;                      /* frames per block, 16 .. ENGINE_MAX_BLOCK */
    int threads;                    /* 1 = the calling thread only; 0 = online cores */
    int voices;                     /* voice capacity (default 4096) */
    int rt_priority;                /* workers' SCHED_FIFO priority (0: none) */
    int quiet;                      /* no notices from the pool */
    int query_events;               /* events one pattern query may yield (0: PAT_MAX_EVENTS); it may
                                       do twice as many steps of work, as by default. The fuzz
                                       targets set it lower: their time goes to more inputs, not to
                                       blocks that meet the bounds */
};

struct engine_stats {
    uint64_t blocks;
    double cycle;                   /* cycle position at the start of the last block */
    double cps;
    int voices, voices_peak;
    int voice_batches;              /* voice_stats.batches */
    long voices_started, voices_stolen, voices_dropped;
    long voices_steal_probes;       /* voice_stats.steal_probes */
    long nan_resets;                /* nodes or voices reset after a NaN/Inf */
    long voices_limited;            /* pitches or speeds bounded as voices started */
    long voices_fx_dropped;         /* voices that played without some delay-line effect */
    long limit_events;              /* query spans that hit the event cap (played silent) */
    long query_silent;              /* query spans that failed on a value (played silent):
                                       engine_take_query_error says why */
    long onsets_capped;             /* onsets dropped: more than ENGINE_ONSETS_PER_FRAME x frames */
    long limited_frames;            /* frames the master reduced by more than 1 dB (the
                                       busier channel's count, block by block) */
    double limited_max_db;          /* the master's largest gain reduction, dB (0: none) */
    uint64_t swaps;                 /* programs picked up */
    uint64_t swap_seq;              /* sequence number (engine_publish's) of the program playing */
    int64_t swap_ns;                /* CLOCK_MONOTONIC when the block that picked it up started */
    int64_t swap_cost_ns;           /* time the last switch took on the audio thread */
    int64_t swap_cost_max_ns;       /* the largest since engine_new */
};

struct engine *engine_new(const struct engine_opts *o);
void engine_free(struct engine *e);     /* frees every program it holds */
/* Back to what engine_new made, keeping its memory (and the hooks set with
 * engine_set_inject, _clock, _midi): every program freed, every voice gone
 * (MIDI notes turned off), the clock at frame 0 and cycle 0 at 1/2 cps, the
 * master, the orbits' tails and the statistics cleared, the voice kernels
 * chosen again (voice_use_kernels). A block rendered after it is the one a
 * new engine renders. Control thread, while no block renders. (The fuzz
 * targets reset one engine per input: making one costs more than the
 * input.) */
void engine_reset(struct engine *e);

/* Hand a compiled program to the engine (takes ownership). States of nodes
 * with the same key carry over from the previously published program.
 * Returns the program's sequence number (1, 2, ...): engine_get_stats tells
 * when the audio thread picked it up (swap_seq, swap_ns). */
uint64_t engine_publish(struct engine *e, struct program *p);
/* Free programs the audio thread has dropped and whose voices have ended. */
void engine_collect(struct engine *e);

/* Render one block of `frames` (== opts.block) interleaved stereo frames. */
void engine_render(struct engine *e, float *out, int frames);

void engine_get_stats(struct engine *e, struct engine_stats *st);
/* The message of a query that failed since the last call (query_silent
 * counts them), into buf: 1, or 0 when none is waiting. Control thread. */
int engine_take_query_error(struct engine *e, char *buf, size_t cap);
/* The cycle position at the start of the last block rendered: one atomic
 * read, from any thread (engine_get_stats also reads the voice pool's
 * counters, which the audio thread writes). */
double engine_cycle(struct engine *e);
/* The last block's onset frames (ENGINE_ONSET_LOG): *frames points into
 * the engine; returns how many. Only on the thread that calls
 * engine_render (render's picture marks them to the frame). */
int engine_block_onsets(const struct engine *e, const int **frames);
/* Voices from outside the program (phonon dirt: OSC messages). Called on
 * the audio thread once per block, after the program's onsets have started
 * their voices: start voices (voice_start) at frames 0 .. vb->frames-1 of
 * the block whose first frame is `pos` (frames rendered since engine_new).
 * It must keep to the audio thread's rules. Set it before audio starts. */
struct voice_block;
typedef void engine_inject_fn(void *user, struct voice_pool *vp, int64_t pos, const struct voice_block *vb);
void engine_set_inject(struct engine *e, engine_inject_fn *fn, void *user);

/* An outside clock the cycle follows (phonon live --link: cli_link.c).
 * engine_render calls it on the audio thread at the start of every block,
 * once the block's program is picked up; it keeps to the audio thread's
 * rules. It is told the engine's tempo and answers with the clock's tempo
 * and the cycle position the clock has at the block's end. The engine:
 *   - plays the clock's tempo from the block's first frame (re-anchored: the
 *     cycle position goes on from where it is);
 *   - compares the block's end with the clock's modulo whole cycles (the
 *     phase is the clock's; the cycle count stays the engine's, which
 *     resetCycles and setCycle set), as a whole number of frames k;
 *   - |k| <= frames / 8 (drift, jitter): the block plays k frames' worth of
 *     cycle more (or less) than its length, its onsets spread over its
 *     frames: none is lost or played twice;
 *   - up to frames / 2 (a peer's tempo change heard a block late): the same
 *     with frames / 8, the rest in the next blocks;
 *   - further (joining a session, a session's phase moved, resetCycles): the
 *     block starts k frames further on, a jump (onsets in between are
 *     skipped, or repeated).
 * Left after that: at most half a frame (until the rest of a larger error
 * is made up). engine_clock.moved tells what was done. Without a clock
 * nothing changes. */
struct engine_clock {
    int64_t pos;            /* in: the block's first frame (frames rendered since engine_new) */
    int frames;             /* in: its length */
    struct rat cps;         /* in: the engine's tempo; out: the clock's (unchanged: the same) */
    int tempo_set;          /* in: 1 when the engine's tempo is news for the clock: a program
                               whose tempo differs from the previous program's (or the first),
                               or a cps control that changed it, since the last call */
    double cycle_end;       /* in: the engine's cycle at pos + frames; out: the clock's */
    double played0, played1;/* in: the cycle span the previous block played */
    int64_t moved;          /* in: frames the previous block was moved by: a stretch when
                               |moved| <= frames / 8, else a jump */
};
typedef void engine_clock_fn(void *user, struct engine_clock *c);
/* Set before audio starts (or while no block renders); fn NULL: none. */
void engine_set_clock(struct engine *e, engine_clock_fn *fn, void *user);
/* MIDI out (midi.h): events of s "midi" become messages in m's ring, and a
 * reload that drops the program's MIDI turns its notes off. Set it before
 * audio starts; NULL: MIDI events go nowhere. */
struct midi;
void engine_set_midi(struct engine *e, struct midi *m);
struct midi *engine_midi(const struct engine *e);

struct pool;
struct pool *engine_pool(struct engine *e);      /* for utilisation stats */
struct voice_pool *engine_voices(struct engine *e);

#endif
