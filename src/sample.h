/* sample.h -- the sample bank: sample names -> loaded, resampled audio.
 *
 * A name is a folder in a sample root (Dirt-Samples layout: ROOT/bd/bd_0.wav);
 * its files are the audio files in that folder (wav, flac, aiff, aif, ogg;
 * extensions case-insensitive; names starting with '.' are ignored), sorted
 * by file name in byte order. `bd:n` is file n mod count, wrapping both ways.
 * A root may also be flat (Sonic Pi: ROOT/bd_haus.flac is `bd` and
 * `bd_haus`), a Hydrogen kit (ROOT/drumkit.xml: its instruments get Tidal
 * names, layers by velocity as n) or a folder of kits; sample.c's section
 * "Layouts" has the rules.
 *
 * Search path, in order (the first root holding a folder `name` wins):
 *   1. each `--samples DIR` passed to sample_bank_new, in the order given;
 *   2. $PHONON_SAMPLES, colon-separated (empty entries ignored), then the
 *      user's own folder ($XDG_DATA_HOME/phonon/samples, by default
 *      ~/.local/share/phonon/samples) and SuperDirt's Dirt-Samples where
 *      SuperCollider keeps downloaded quarks (~/.local/share/SuperCollider/
 *      downloaded-quarks/Dirt-Samples; on macOS under ~/Library/Application
 *      Support), each when it exists (opts->no_env leaves all these out);
 *   3. the project's own kit: `samples/` beside the executable, or in a
 *      checkout up to two directories above it (build/phonon, build/asan/
 *      phonon: a directory holding scripts/make-samples), else
 *      ../share/phonon/samples beside the executable's folder (an install
 *      moved as a whole), else PHONON_DATADIR "/samples" (the installed kit).
 * A `--samples` root that is missing or not a directory makes
 * sample_bank_new fail (the CLI exits 66); a missing $PHONON_SAMPLES entry
 * only warns; a missing kit is silently left out.
 *
 * Loading is lazy and per name: the first lookup of a name loads every file
 * of its folder (libsndfile, converted to float; mono stays mono, stereo
 * stays stereo, more channels are mixed down to stereo), resampled to the
 * engine rate with libsoxr: error below -125 dB up to 20 kHz at 44.1 kHz,
 * more than 130 dB of stopband rejection above the lower Nyquist
 * frequency, as fast for an odd rate (44,101 Hz) as for a usual one;
 * sample.c has the measurements. A name
 * that is never asked for is never read. Loaded samples are shared by every
 * program compiled against the bank (a live reload reuses them) and stay
 * until unloaded (see Memory) or sample_bank_free. An unknown name is
 * looked for again at every lookup, so a folder added during a live session
 * is found on the next save; a loaded name's folder is checked at every
 * lookup too (see Memory).
 *
 * Memory. A program holds the sets it plays until it is freed (it may play
 * on after a reload, until its last voice ends). The bank keeps at most
 * max_total bytes (--sample-mem, 1 GiB by default) of samples: after each
 * compile it unloads, least recently used first, names no program holds
 * and that were not looked up since the compile before; a name unloaded is
 * loaded again at its next lookup. Samples held beyond the cap are kept
 * (the program needs them), with a warning. A lookup of a loaded name
 * checks its folder (a stat per file): when a file was added, removed or
 * replaced (size or modification time), the name is loaded anew for the
 * program being compiled, and the programs holding the old set keep it
 * until they are freed. (A lookup's set is safe until the compile after
 * the one that made it finishes: phonon compiles one program at a time.)
 *
 * Bad files. A file that cannot be used (unreadable, corrupt, unsupported,
 * 0 frames, over the size cap) is SKIPPED with a warning naming it, and n
 * indexes the good files of the folder: one broken download must not
 * silence or break a whole kit in the middle of a set. The price is that
 * the files after it move down one index; `phonon samples NAME` lists the
 * skipped files with their reason and without an index, so the indices it
 * shows are the ones n uses. A folder in which no file is usable (or which
 * holds no audio files) is an error at lookup. A truncated file (its header
 * promises more audio than the file holds) is not skipped: the frames
 * present are loaded, the last 64 faded out, with a warning. NaN and
 * infinite values (a float file can hold them) are loaded as 0, with one
 * warning per file saying how many: a voice never reads one.
 *
 * Thread context. The bank is used by control threads only: the compiler on
 * the main thread and, in live mode, on the file-watcher thread. All
 * functions taking a struct sample_bank * may be called from several threads
 * at once (one mutex inside; a lookup that loads files holds it while it
 * reads). Never call them on the audio thread. The audio thread only reads
 * the immutable `struct sample` / `struct sample_set` data they return
 * (sample_set_pick is safe there: no locks, no allocation).
 *
 * Errors: functions return NULL or a negative enum phonon_err and fill a
 * struct sample_error (err may be NULL) whose message names the file or
 * folder concerned.
 * Warnings (skipped files, missing $PHONON_SAMPLES entries, truncated files)
 * go to opts->warn, by default to stderr as "phonon: warning: MSG".
 */
#ifndef SAMPLE_H
#define SAMPLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Zero frames before frame 0 and after the last frame of every sample, so a
 * 4-point interpolator may read frames -1 .. frames+2 without bounds checks. */
enum { SAMPLE_PAD = 4 };

struct sample {
    const float *data;      /* frame 0, interleaved; frames -SAMPLE_PAD ..
                               frames-1+SAMPLE_PAD are readable, the pads are 0 */
    int64_t frames;         /* at the engine rate, >= 1 */
    int channels;           /* 1 or 2 */
    int file_channels;      /* as stored in the file (mixed down to 2 when > 2) */
    int file_rate;          /* the file's sample rate, Hz */
    int64_t file_frames;    /* frames loaded from the file, at file_rate */
    int truncated;          /* 1: the file held fewer frames than its header said */
    int64_t nonfinite;      /* NaN/Inf values in the file, loaded as 0 (warned) */
    const char *path;       /* full path of the file */
    const char *file;       /* its base name (points into path) */
};

struct sample_set {
    const char *name;             /* the sample name, e.g. "bd" */
    const char *dir;              /* the folder it was loaded from */
    int count;                    /* usable files, >= 1 */
    const struct sample *samples; /* [count], sorted by file name */
};

struct sample_error {
    int code;               /* 0, or a negative enum phonon_err */
    int folder;             /* sample_bank_lookup's PHONON_ENOENT: 1 when a folder has the name
                               but no audio in it, 0 when nothing has the name */
    char msg[512];          /* e.g. "samples/bd/bd_3.wav: not a readable audio file (...)" */
};

struct sample_bank_opts {
    int no_env;             /* 1: ignore $PHONON_SAMPLES */
    int no_kit;             /* 1: leave out the project's own kit */
    double max_seconds;     /* longest file accepted, at its own rate; 0 = 600 (10 minutes) */
    size_t max_bytes;       /* largest float data of one loaded file; 0 = 2 GiB */
    size_t max_total;       /* --sample-mem: float data kept loaded; 0 = 1 GiB (see
                               "Memory" above) */
    void (*warn)(void *ctx, const char *msg);  /* NULL: print to stderr */
    void *warn_ctx;
};

struct sample_bank_stats {
    int names_loaded;       /* names whose folder has been loaded */
    int files_loaded;       /* files decoded and kept */
    int files_skipped;      /* bad files skipped with a warning */
    int files_resampled;    /* of files_loaded, those not at the engine rate */
    int files_cleaned;      /* of files_loaded, those holding NaN/Inf values (zeroed) */
    size_t bytes;           /* float data held now, pads included */
    int names_unloaded;     /* names unloaded to stay within max_total */
    int names_reloaded;     /* names loaded again because their folder changed */
};

struct sample_bank;         /* opaque: sample_bank_new / sample_bank_free */

/* Builds the search path (see above); loads nothing. `roots` are the
 * --samples directories, borrowed (copied). engine_rate > 0; opts may be
 * NULL (defaults). Returns NULL and fills *err on failure:
 * PHONON_ENOENT (a --samples root missing or not a directory), PHONON_EIO
 * (a --samples root unreadable), PHONON_ENOMEM, PHONON_EINVAL (engine_rate). */
struct sample_bank *sample_bank_new(const char *const *roots, int nroots, int engine_rate,
                                    const struct sample_bank_opts *opts,
                                    struct sample_error *err);

/* Frees the bank and every sample it loaded. The caller guarantees that no
 * program (and no audio thread) still uses them. NULL is a no-op. */
void sample_bank_free(struct sample_bank *b);

/* The set of files for `name`, loading its folder on the first call.
 * The result lives as long as the bank. NULL on error, with *err:
 *   PHONON_ENOENT   unknown name ("unknown sample name 'bdd'"; the caller
 *                   adds position and "did you mean", see sample_bank_names),
 *                   or a folder with no audio files;
 *   PHONON_EFORMAT, PHONON_EIO, PHONON_ELIMIT
 *                   no file of the folder is usable (the message names the
 *                   first bad file and its reason);
 *   PHONON_ENOMEM. */
const struct sample_set *sample_bank_lookup(struct sample_bank *b, const char *name,
                                            struct sample_error *err);

/* File n (wrapping, negative n too) of a set. Any thread, audio thread included. */
static inline const struct sample *sample_set_pick(const struct sample_set *s, long n)
{
    long i = n % s->count;
    return &s->samples[i < 0 ? i + s->count : i];
}

/* Programs hold the sets they play (graph_compile, for each sample sound)
 * and let go of them when freed (program_free): a held set is never
 * unloaded. NULL bank or set: no-op. */
void sample_bank_hold(struct sample_bank *b, const struct sample_set *set);
void sample_bank_release(struct sample_bank *b, const struct sample_set *set);
/* A compile has finished (its program, if any, holds its sets): unloads
 * what is no longer needed (see "Memory" above). */
void sample_bank_compiled(struct sample_bank *b);

/* sample_bank_lookup + sample_set_pick: `name:n`. */
const struct sample *sample_bank_get(struct sample_bank *b, const char *name, long n,
                                     struct sample_error *err);

/* Every name in the roots (folder names, first root wins, sorted, no
 * duplicates), for "did you mean" (lang_suggest). Listed once, on the first
 * call; *names is owned by the bank and lives as long as it. Returns the
 * count (>= 0) or a negative enum phonon_err (PHONON_ENOMEM). */
int sample_bank_names(struct sample_bank *b, const char *const **names);

/* 1 when a folder `name` exists in a root (whether or not it holds audio):
 * tells a folder with no audio files from an unknown name, both
 * PHONON_ENOENT from sample_bank_lookup. */
int sample_bank_has_folder(const struct sample_bank *b, const char *name);

/* The roots in search order; *roots is owned by the bank. Returns the count. */
int sample_bank_roots(const struct sample_bank *b, const char *const **roots);

/* What has been loaded so far (tests, `profile`, the live status line). */
void sample_bank_stats(struct sample_bank *b, struct sample_bank_stats *st);

/* Where root i (as sample_bank_roots orders them) came from: "--samples",
 * "$PHONON_SAMPLES", "user", "SuperDirt" or "kit"; NULL when there is no root i. */
const char *sample_bank_root_origin(const struct sample_bank *b, int i);

/* The folder `name` in the first root that has one, without loading it:
 * the number of audio files in it (0 when unreadable) and, in *root, the
 * root that holds it (malloc'd: the caller frees it). PHONON_ENOENT when no
 * root has the folder (or out of memory). */
int sample_bank_folder(const struct sample_bank *b, const char *name, char **root);

/* What root i holds: in layout (room `size`) "folders", "flat", "Hydrogen
 * kit" or "Hydrogen kits" (several joined with '+'; "" for none), and the
 * number of names it gives (sample.c, "Layouts"); PHONON_EINVAL for no
 * root i, PHONON_ENOMEM. Reads the root's folder (and its kits' XML). */
int sample_bank_root_layout(const struct sample_bank *b, int i, char *layout, size_t size);

/* The files of a loaded set that were skipped: returns how many; for
 * 0 <= i < that, *file (base name) and *reason are the i-th, owned by the
 * bank. */
int sample_set_skipped(const struct sample_set *set, int i, const char **file, const char **reason);

#endif
