/* sample.c -- the sample bank: finding, decoding and resampling sample files.
 *
 * DESIGN
 *
 * The bank is a search path (the roots) plus a list of names already loaded.
 * Nothing is read when the bank is made: a name is looked for, and its folder
 * loaded, the first time the compiler asks for it, so a library of hundreds
 * of folders costs only what a pattern uses. To look a name up we probe the
 * roots in order with stat(ROOT/name); the first folder found wins. Unknown
 * names are not remembered, so a folder created during a live session is
 * found at the next reload; loaded names are, with all their files, until the
 * bank is freed. Every struct sample and struct sample_set is allocated once
 * and never moved or changed, which is what lets the audio thread read them
 * without locks while the watcher thread compiles the next program against
 * the same bank. One mutex serialises the control threads.
 *
 * Loading a file: open(2) first, so "permission denied" and "empty file" get
 * their own messages, then libsndfile. Frames are read in chunks and mixed
 * into one plane per output channel (1 for mono, 2 for anything wider: even
 * channels to the left, odd ones to the right, each side averaged), so a
 * many-channel file never needs a full interleaved copy. libsndfile quietly
 * clamps a WAV/AIFF whose header promises more data than the file holds; its
 * log then says "data : 10000 (should be 2000)", which is how we notice a
 * truncated file (besides a short read).
 *
 * Resampling is libsoxr's (one call per file, both channels at once): its
 * 'high quality' recipe, linear phase, without its passband roll-off.
 * Measured, as the RMS of (output - ideal sine at the new rate) over the
 * signal's RMS, 48 kHz -> 44.1 kHz: 1 kHz -134 dB, 18 kHz -129 dB, 20 kHz
 * -133 dB; gain -0.06 dB at 20.5 kHz, -3.7 dB at 21 kHz; above 22.05 kHz
 * (the stopband) -136 dB at 22.1 kHz, -135 dB at 23 kHz. 22.05 -> 44.1
 * kHz: 1 kHz and 10 kHz -133 dB. tests/test_sample.c holds the 1 kHz,
 * 18 kHz and 23 kHz figures with a margin. Speed does not depend on the
 * ratio: 10 s of stereo at 44,101 Hz (a ratio without a short cycle of
 * phases) loads in 0.06 s of CPU, at 48 kHz in 0.04 s (the windowed sinc
 * soxr replaced took 0.53 s for the first, blocking a live reload).
 */
#include "sample.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <soxr.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

#include "phonon.h"

#ifndef PHONON_DATADIR
#define PHONON_DATADIR "/usr/local/share/phonon"
#endif

#define DEFAULT_MAX_SECONDS 600.0
#define DEFAULT_MAX_BYTES ((size_t)2 << 30)
#define DEFAULT_MAX_TOTAL ((size_t)1 << 30)  /* --sample-mem: 1 GiB */
#define TRUNC_FADE 64               /* frames faded out at the end of a truncated file */
#define MAX_LEVEL 1e6f              /* |frame| bound: 120 dB over full scale */

/* A float or double file may hold NaN, infinities or absurd values (a
 * corrupt file, found by tests/fuzz/fuzz_sample.c): NaN and infinities
 * become 0 (one would silence the voices mixed with it, and the filters
 * after it), counted in *bad; the rest is bounded, so the resampler's float
 * sums stay finite and a voice never reads a non-finite frame. */
static float sane(float x, int64_t *bad)
{
    if (!isfinite(x)) {
        ++*bad;
        return 0.0f;
    }
    return x > MAX_LEVEL ? MAX_LEVEL : x < -MAX_LEVEL ? -MAX_LEVEL : x;
}

struct skipped {
    char *file;                     /* base name */
    char *reason;
};

/* What a folder's audio file was when its name was loaded: a change of
 * any (or a file added or removed) loads the name again. */
struct fstamp {
    char *file;                     /* base name */
    int64_t size, mtime_ns;
};

/* A loaded name. `set` points into it; its audio never changes after
 * loading. The bookkeeping below it is the bank's (under its lock). */
struct entry {
    struct sample_set set;
    char *name, *dir;
    struct sample *samples;         /* [set.count] */
    float **bufs;                   /* [set.count] allocations behind samples[i].data */
    char **paths;                   /* [set.count] allocations behind samples[i].path */
    struct skipped *skipped;        /* [nskipped] */
    int nskipped;
    struct fstamp *files;           /* [nfiles]: every audio file of the folder, sorted */
    int nfiles;
    size_t bytes;                   /* float data held */
    int refs;                       /* programs holding it (sample_bank_hold) */
    int stale;                      /* replaced by a newer load of its name: never found again */
    uint64_t used;                  /* b->gen at its last lookup */
    uint64_t lru;                   /* b->tick at its last lookup or hold: least recent goes first */
};

struct sample_bank {
    pthread_mutex_t lock;
    char **roots;                   /* [nroots] paths, in search order */
    const char **root_from;         /* [nroots] "--samples", "$PHONON_SAMPLES" or "kit" */
    int nroots, caproots;
    int rate;                       /* engine rate, Hz */
    double max_seconds;
    size_t max_bytes;
    void (*warn)(void *ctx, const char *msg);
    void *warn_ctx;
    struct entry **entries;         /* loaded names, in load order (stale ones too) */
    int nentries, capentries;
    size_t max_total;               /* sample_bank_opts.max_total: the cap on bytes */
    uint64_t gen, tick;             /* compiles finished (sample_bank_compiled); lookups and holds */
    int over_warned;                /* the last trim left the bank over its cap, and said so */
    char **names;                   /* sample_bank_names, listed on first use */
    int nnames;                     /* -1 until listed */
    struct sample_bank_stats stats;
};

/* ------------------------------------------------------------------------ */
/* Small helpers                                                              */

static void set_err(struct sample_error *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_err(struct sample_error *err, int code, const char *fmt, ...)
{
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
    err->code = code;
    err->folder = 0;
}

static void warnf(struct sample_bank *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warnf(struct sample_bank *b, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (b->warn)
        b->warn(b->warn_ctx, msg);
    else
        fprintf(stderr, "phonon: warning: %s\n", msg);
}

static char *path_join(const char *dir, const char *name)
{
    size_t a = strlen(dir), n = strlen(name);
    char *p = malloc(a + 1 + n + 1);
    if (p) {
        memcpy(p, dir, a);
        p[a] = '/';
        memcpy(p + a + 1, name, n + 1);
    }
    return p;
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int is_audio_name(const char *f)
{
    static const char *const ext[] = { "wav", "flac", "aiff", "aif", "ogg" };
    const char *dot = strrchr(f, '.');
    if (f[0] == '.' || !dot)        /* hidden files, e.g. macOS "._bd.wav" */
        return 0;
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (!strcasecmp(dot + 1, ext[i]))
            return 1;
    return 0;
}

/* A name must be one path component: no '/', not empty, not hidden. */
static int is_valid_name(const char *name)
{
    return name[0] && name[0] != '.' && !strchr(name, '/');
}

static void free_strings(char **v, int n)
{
    for (int i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* The sorted entries of `dir` that pass keep(dir, entry); *out is NULL when
 * there are none. Returns the count or -errno (opendir) / -ENOMEM. */
static int list_dir(const char *dir, int (*keep)(const char *dir, const struct dirent *de), char ***out)
{
    DIR *d = opendir(dir);
    *out = NULL;
    if (!d)
        return -errno;
    char **v = NULL;
    int n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!keep(dir, de))
            continue;
        if (n == cap) {
            int ncap = cap ? 2 * cap : 16;
            char **nv = realloc(v, sizeof *v * (size_t)ncap);
            if (!nv)
                goto nomem;
            v = nv;
            cap = ncap;
        }
        if (!(v[n] = strdup(de->d_name)))
            goto nomem;
        n++;
    }
    closedir(d);
    if (n)
        qsort(v, (size_t)n, sizeof *v, cmp_str);
    *out = v;
    return n;
nomem:
    closedir(d);
    free_strings(v, n);
    return -ENOMEM;
}

/* 1 when entry de of dir is of the file type `type` (DT_REG, DT_DIR), a
 * link to one included. The listing's type says so on most file systems: a
 * stat is only for those it leaves unknown, and for symbolic links. */
static int entry_is(const char *dir, const struct dirent *de, unsigned char type)
{
    if (de->d_type == type)
        return 1;
    if (de->d_type != DT_UNKNOWN && de->d_type != DT_LNK)
        return 0;
    char *p = path_join(dir, de->d_name);
    struct stat st;
    int ok = p && stat(p, &st) == 0 && (st.st_mode & S_IFMT) == (mode_t)DTTOIF(type);
    free(p);
    return ok;
}

static int keep_audio_file(const char *dir, const struct dirent *de)
{
    return is_audio_name(de->d_name) && entry_is(dir, de, DT_REG);
}

static int keep_subdir(const char *dir, const struct dirent *de)
{
    return is_valid_name(de->d_name) && entry_is(dir, de, DT_DIR);
}

/* ------------------------------------------------------------------------ */
/* Resampling                                                                 */

/* Resamples the planes in[c][0..n) (och of them) at in_rate to out
 * (out_n frames, interleaved) at out_rate with libsoxr, in one call: its
 * 'high quality' recipe (20 bits), linear phase, without its passband
 * roll-off (SOXR_ROLLOFF_NONE: flatter, and the error below -125 dB up to
 * 20 kHz), one thread. Frames soxr does not produce stay 0 (out is zeroed). */
static int resample(const float *const *in, int och, int64_t n, long in_rate, float *out, int64_t out_n,
                    long out_rate)
{
    soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_S, SOXR_FLOAT32_I);
    soxr_quality_spec_t q = soxr_quality_spec(SOXR_HQ, SOXR_LINEAR_PHASE | SOXR_ROLLOFF_NONE);
    soxr_runtime_spec_t rt = soxr_runtime_spec(1);
    size_t done = 0;
    soxr_error_t e = soxr_oneshot((double)in_rate, (double)out_rate, (unsigned)och, (soxr_in_t)in, (size_t)n, NULL,
                                  (soxr_out_t)out, (size_t)out_n, &done, &io, &q, &rt);
    return e ? PHONON_ENOMEM : 0;
}

/* ------------------------------------------------------------------------ */
/* Loading one file                                                           */

/* libsndfile's log says e.g. "data : 10000 (should be 2000)" when a WAV (or
 * "SSND : ..." for AIFF) header promises more audio than the file holds. */
static int log_says_truncated(SNDFILE *sf)
{
    char log[8192];
    sf_command(sf, SFC_GET_LOG_INFO, log, sizeof log);
    for (const char *line = log; line; line = strchr(line, '\n')) {
        unsigned long said, real;
        line += *line == '\n';
        if ((sscanf(line, "data : %lu (should be %lu)", &said, &real) == 2 ||
             sscanf(line, "SSND : %lu (should be %lu)", &said, &real) == 2) &&
            said > real && said != 0xFFFFFFFFul)  /* all ones: "length unknown" */
            return 1;
    }
    return 0;
}

/* The decoded audio, one plane per output channel (left/mono, right),
 * grown as frames arrive: memory follows what the file holds, not what its
 * header claims (a FLAC file of a few hundred bytes may claim hundreds of
 * millions of frames; the limits check the claim, the decoder finds out). */
struct planes {
    float *p[2];
    int64_t cap;                    /* frames of room in each plane */
};

enum { PLANES_FIRST = 1 << 16 };    /* frames before the first doubling */

static int planes_grow(struct planes *pl, int och, int64_t need, int64_t most)
{
    if (need <= pl->cap)
        return 0;
    int64_t cap = pl->cap ? pl->cap : PLANES_FIRST;
    while (cap < need)
        cap *= 2;
    if (cap > most)
        cap = most;
    for (int c = 0; c < och; c++) {
        float *q = realloc(pl->p[c], sizeof *q * (size_t)cap);
        if (!q)
            return -1;
        pl->p[c] = q;
    }
    pl->cap = cap;
    return 0;
}

/* Read up to `frames` frames of ch channels from sf, through chunk (room
 * for chunk_frames), mixed into the och planes; values made sane (counted
 * in s->nonfinite). Returns the frames read, or -1 out of memory. */
static int64_t read_planes(SNDFILE *sf, int ch, int och, int64_t frames, struct planes *pl, float *chunk,
                           int chunk_frames, struct sample *s)
{
    int64_t got = 0;
    while (got < frames) {
        sf_count_t want = frames - got < chunk_frames ? (sf_count_t)(frames - got) : chunk_frames;
        if (planes_grow(pl, och, got + want, frames))
            return -1;
        sf_count_t r = sf_readf_float(sf, chunk, want);
        if (r <= 0)
            break;
        float *left = pl->p[0] + got, *right = och == 2 ? pl->p[1] + got : NULL;
        for (sf_count_t i = 0; i < r; i++) {
            const float *f = chunk + i * ch;
            if (ch <= 2) {
                left[i] = sane(f[0], &s->nonfinite);
                if (ch == 2)
                    right[i] = sane(f[1], &s->nonfinite);
                continue;
            }
            double l = 0.0, rr = 0.0;
            for (int c = 0; c < ch; c++)
                *(c & 1 ? &rr : &l) += (double)sane(f[c], &s->nonfinite);
            left[i] = (float)(l / ((ch + 1) / 2));
            right[i] = (float)(rr / (ch / 2));
        }
        got += r;
    }
    return got;
}


/* Loads `path` into *s (data allocated into *buf). On failure returns a
 * negative phonon_err and writes the reason, without the path, to why. */
static int load_file(struct sample_bank *b, const char *path, struct sample *s, float **buf,
                     char *why, size_t whylen)
{
    memset(s, 0, sizeof *s);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        snprintf(why, whylen, "cannot open: %s", strerror(errno));
        return PHONON_EIO;
    }
    struct stat st;
    int empty = fstat(fd, &st) == 0 && st.st_size == 0;
    close(fd);
    if (empty) {
        snprintf(why, whylen, "empty file (0 bytes)");
        return PHONON_EFORMAT;
    }
    SF_INFO info;
    memset(&info, 0, sizeof info);
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf) {
        snprintf(why, whylen, "not a readable audio file (libsndfile: %s)", sf_strerror(NULL));
        return PHONON_EFORMAT;
    }
    int rc = PHONON_EFORMAT, ch = info.channels, och = ch == 1 ? 1 : 2;
    struct planes pl = { { NULL, NULL }, 0 };
    float *chunk = NULL;
    *buf = NULL;
    if (ch < 1 || info.samplerate < 1 || info.samplerate > 1000000) {
        snprintf(why, whylen, "unsupported: %d channels at %d Hz", ch, info.samplerate);
        goto out;
    }
    if (info.frames <= 0) {
        snprintf(why, whylen, "empty (0 frames)");
        goto out;
    }
    if ((double)info.frames > b->max_seconds * info.samplerate) {
        /* in seconds and frames: a file just over the limit must not read
         * "10.0 minutes (the limit is 10.0)" */
        long long over = (long long)info.frames - (long long)floor(b->max_seconds * info.samplerate);
        snprintf(why, whylen, "too long: %.3f s, %lld frame%s over the limit of %g s",
                 (double)info.frames / info.samplerate, over, over == 1 ? "" : "s", b->max_seconds);
        rc = PHONON_ELIMIT;
        goto out;
    }
    int64_t frames = info.frames;
    int64_t out_frames = (frames * b->rate + info.samplerate - 1) / info.samplerate;
    size_t in_bytes = (size_t)frames * (size_t)och * sizeof(float);
    size_t out_bytes = (size_t)(out_frames + 2 * SAMPLE_PAD) * (size_t)och * sizeof(float);
    if (in_bytes > b->max_bytes || out_bytes > b->max_bytes) {
        size_t need = in_bytes > out_bytes ? in_bytes : out_bytes;
        snprintf(why, whylen, "too large: %.0f MB of audio data (the limit is %.0f MB)",
                 (double)need / 1e6, (double)b->max_bytes / 1e6);
        rc = PHONON_ELIMIT;
        goto out;
    }
    enum { CHUNK = 4096 };
    chunk = malloc(sizeof *chunk * CHUNK * (size_t)ch);
    int64_t got = chunk ? read_planes(sf, ch, och, frames, &pl, chunk, CHUNK, s) : -1;
    if (got < 0) {
        snprintf(why, whylen, "out of memory");
        rc = PHONON_ENOMEM;
        goto out;
    }
    if (got == 0) {
        snprintf(why, whylen, "no audio could be decoded (libsndfile: %s)", sf_strerror(sf));
        goto out;
    }
    s->truncated = got < frames || log_says_truncated(sf);
    if (got < frames) {
        frames = got;
        out_frames = (frames * b->rate + info.samplerate - 1) / info.samplerate;
    }
    if (s->truncated) {             /* it stops mid-sound: fade the end rather than click */
        int64_t nf = frames < TRUNC_FADE ? frames : TRUNC_FADE;
        for (int c = 0; c < och; c++)
            for (int64_t i = 0; i < nf; i++)
                pl.p[c][frames - 1 - i] *= (float)i / (float)nf;
    }
    float *data = calloc((size_t)(out_frames + 2 * SAMPLE_PAD) * (size_t)och, sizeof *data);
    if (!data) {
        snprintf(why, whylen, "out of memory");
        rc = PHONON_ENOMEM;
        goto out;
    }
    float *first = data + SAMPLE_PAD * och;
    const float *in[2] = { pl.p[0], pl.p[1] };
    if (info.samplerate == b->rate) {
        for (int c = 0; c < och; c++)
            for (int64_t i = 0; i < frames; i++)
                first[i * och + c] = in[c][i];
    } else if (resample(in, och, frames, info.samplerate, first, out_frames, b->rate)) {
        free(data);
        snprintf(why, whylen, "resampling failed (out of memory)");
        rc = PHONON_ENOMEM;
        goto out;
    }
    *buf = data;
    s->data = first;
    s->frames = out_frames;
    s->channels = och;
    s->file_channels = ch;
    s->file_rate = info.samplerate;
    s->file_frames = frames;
    rc = 0;
out:
    free(pl.p[0]);
    free(pl.p[1]);
    free(chunk);
    sf_close(sf);
    return rc;
}

/* ------------------------------------------------------------------------ */
/* Layouts: where a name's files are                                          */
/*
 * A root is read in three layouts, in this order for each name:
 *   folders   ROOT/NAME/ holds NAME's files (Dirt-Samples); a folder holding
 *             a drumkit.xml is a Hydrogen kit, NAME its whole kit (below).
 *   Hydrogen  ROOT/drumkit.xml: ROOT is one kit; ROOT/KIT/drumkit.xml: KIT
 *             is one of several. A kit's instruments get Tidal names from
 *             their own (Kick -> bd, Snare -> sn, Closed Hat -> hh, Open Hat
 *             -> oh, Clap -> cp, Rim/Stick -> rim, Toms low/mid/high -> lt
 *             mt ht, Crash -> cr, Ride -> rd, Cowbell -> cb; others a slug of
 *             their name), an instrument's layers ordered by velocity (`:n`).
 *             The kit itself is named by a slug of its <name> (lower case,
 *             other characters runs of '-': "Boss DR-110" -> boss-dr-110):
 *             the first layer of each instrument, in the kit's order. A root
 *             that is a kit gives the Tidal names; a kit in a folder of kits
 *             gives SLUG and SLUG_TIDAL (boss-dr-110_bd).
 *   flat      audio files in ROOT itself (Sonic Pi: bd_haus.flac): NAME is
 *             every file whose name before the first '_' is NAME (bd ->
 *             bd_boom, bd_haus, ... sorted), or whose stem is NAME (bd_haus
 *             -> that file alone).
 */

/* A name's files: in dir, relative to it, in `n` order. */
struct source {
    char *dir;
    char **files;
    int n;
    int root;                       /* index of the root that gave it */
};

static void source_free(struct source *s)
{
    free(s->dir);
    free_strings(s->files, s->n);
    memset(s, 0, sizeof *s);
}

/* One playable layer of a Hydrogen kit. */
struct kit_layer {
    char *tidal;                    /* the instrument's Tidal name */
    char *file;                     /* relative to the kit's folder */
    int inst;                       /* the instrument's place in the kit */
    double vmin;                    /* the layer's lowest velocity */
};

struct kit {
    char *slug;
    struct kit_layer *layers;
    int n;
};

static void kit_free(struct kit *k)
{
    for (int i = 0; i < k->n; i++) {
        free(k->layers[i].tidal);
        free(k->layers[i].file);
    }
    free(k->layers);
    free(k->slug);
    memset(k, 0, sizeof *k);
}

/* The text between <tag> and </tag> in [s, end), or NULL; *len its length,
 * *after just past the closing tag. */
static const char *xml_tag(const char *s, const char *end, const char *tag, size_t *len, const char **after)
{
    char open[40], close[40];
    snprintf(open, sizeof open, "<%s>", tag);
    snprintf(close, sizeof close, "</%s>", tag);
    const char *a = memmem(s, (size_t)(end - s), open, strlen(open));
    if (!a)
        return NULL;
    a += strlen(open);
    const char *b = memmem(a, (size_t)(end - a), close, strlen(close));
    if (!b)
        return NULL;
    *len = (size_t)(b - a);
    if (after)
        *after = b + strlen(close);
    return a;
}

/* s[0 .. n) as a slug: lower case letters and digits, other runs '-'. */
static char *slugify(const char *s, size_t n)
{
    char *out = malloc(n + 1);
    size_t k = 0;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            out[k++] = (char)c;
        else if (c >= 'A' && c <= 'Z')
            out[k++] = (char)(c - 'A' + 'a');
        else if (k && out[k - 1] != '-')
            out[k++] = '-';
    }
    while (k && out[k - 1] == '-')
        k--;
    out[k] = 0;
    return out;
}

/* The Tidal name of a Hydrogen instrument named `name` (its slug); toms
 * without low/mid/high take lt, mt, ht in the kit's order (*toms counts). */
static const char *tidal_name(const char *slug, int *toms)
{
    static const struct { const char *word, *tidal; } words[] = {
        { "rim", "rim" }, { "stick", "rim" }, { "clap", "cp" }, { "kick", "bd" }, { "bass-drum", "bd" },
        { "bassdrum", "bd" }, { "snare", "sn" }, { "open", "oh" }, { "crash", "cr" }, { "splash", "cr" },
        { "china", "cr" }, { "ride", "rd" }, { "cowbell", "cb" }, { "cow", "cb" }, { "hat", "hh" },
        { "hh", "hh" }, { "hihat", "hh" },
    };
    if (strstr(slug, "tom")) {
        if (strstr(slug, "low") || strstr(slug, "floor"))
            return "lt";
        if (strstr(slug, "mid"))
            return "mt";
        if (strstr(slug, "hi"))
            return "ht";
        static const char *const order[] = { "lt", "mt", "ht" };
        return order[(*toms)++ % 3];
    }
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(slug, words[i].word))
            return !strcmp(words[i].tidal, "oh") && !strstr(slug, "hat") && !strstr(slug, "hh") ? NULL
                                                                                                : words[i].tidal;
    return NULL;
}

/* Adds a layer to k; PHONON_ENOMEM or 0. */
static int kit_add(struct kit *k, const char *tidal, const char *file, size_t flen, int inst, double vmin)
{
    struct kit_layer *v = realloc(k->layers, sizeof *v * (size_t)(k->n + 1));
    if (!v)
        return PHONON_ENOMEM;
    k->layers = v;
    struct kit_layer *l = &v[k->n];
    l->tidal = strdup(tidal);
    l->file = strndup(file, flen);
    l->inst = inst;
    l->vmin = vmin;
    if (!l->tidal || !l->file) {
        free(l->tidal);
        free(l->file);
        return PHONON_ENOMEM;
    }
    k->n++;
    return 0;
}

static int cmp_layer(const void *a, const void *b)
{
    const struct kit_layer *x = a, *y = b;
    if (x->inst != y->inst)
        return x->inst - y->inst;
    return (x->vmin > y->vmin) - (x->vmin < y->vmin);
}

/* One <instrument> block's layers (<layer><filename>..<min>, or an old
 * kit's lone <filename>) added to k. */
static int kit_instrument(struct kit *k, const char *s, const char *end, int inst, int *toms)
{
    size_t len;
    const char *name = xml_tag(s, end, "name", &len, NULL);
    char *slug = name ? slugify(name, len) : strdup("");
    if (!slug)
        return PHONON_ENOMEM;
    const char *t = tidal_name(slug, toms);
    char *tidal = strdup(t ? t : slug[0] ? slug : "inst");
    free(slug);
    if (!tidal)
        return PHONON_ENOMEM;
    int rc = 0, layers = 0;
    const char *after;
    for (const char *l; !rc && (l = xml_tag(s, end, "layer", &len, &after)); s = after, layers++) {
        size_t flen, mlen;
        const char *f = xml_tag(l, l + len, "filename", &flen, NULL);
        const char *m = xml_tag(l, l + len, "min", &mlen, NULL);
        if (f && flen)
            rc = kit_add(k, tidal, f, flen, inst, m ? strtod(m, NULL) : 0);
    }
    size_t flen;
    const char *f;
    if (!rc && !layers && (f = xml_tag(s, end, "filename", &flen, NULL)) && flen)
        rc = kit_add(k, tidal, f, flen, inst, 0);
    free(tidal);
    return rc;
}

/* dir/drumkit.xml read into *k (its slug and layers, sorted by instrument
 * then velocity). 1 when dir is a kit, 0 when not, PHONON_ENOMEM. */
static int kit_read(const char *dir, struct kit *k)
{
    memset(k, 0, sizeof *k);
    char *path = path_join(dir, "drumkit.xml");
    FILE *f = path ? fopen(path, "rb") : NULL;
    free(path);
    if (!f)
        return 0;
    char *xml = malloc(1 << 20);
    size_t n = xml ? fread(xml, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (!xml)
        return PHONON_ENOMEM;
    const char *end = xml + n, *list = memmem(xml, n, "<instrumentList>", 16), *s = list ? list : end;
    size_t len;
    const char *name = xml_tag(xml, s, "name", &len, NULL);
    k->slug = name ? slugify(name, len) : NULL;
    int rc = k->slug ? 0 : PHONON_ENOMEM, inst = 0, toms = 0;
    const char *after;
    for (const char *b; !rc && (b = xml_tag(s, end, "instrument", &len, &after)); s = after)
        rc = kit_instrument(k, b, b + len, inst++, &toms);
    free(xml);
    if (rc) {
        kit_free(k);
        return rc;
    }
    if (k->n)
        qsort(k->layers, (size_t)k->n, sizeof *k->layers, cmp_layer);
    return 1;
}

/* Appends a copy of file to src->files; PHONON_ENOMEM or 0. */
static int source_add(struct source *src, const char *file)
{
    char **v = realloc(src->files, sizeof *v * (size_t)(src->n + 1));
    if (!v)
        return PHONON_ENOMEM;
    src->files = v;
    if (!(v[src->n] = strdup(file)))
        return PHONON_ENOMEM;
    src->n++;
    return 0;
}

/* The layers of kit k that `name` asks for: "" the whole kit (each
 * instrument's first layer), else those of the Tidal name. */
static int kit_source(const struct kit *k, const char *tidal, struct source *src)
{
    for (int i = 0; i < k->n; i++) {
        const struct kit_layer *l = &k->layers[i];
        int first = i == 0 || k->layers[i - 1].inst != l->inst;
        if ((tidal[0] ? !strcmp(l->tidal, tidal) : first) && source_add(src, l->file))
            return PHONON_ENOMEM;
    }
    return 0;
}

/* 1 when file's stem (its name without the extension) is name, or its
 * part before the first '_' is. */
static int flat_match(const char *file, const char *name)
{
    size_t n = strlen(name);
    const char *dot = strrchr(file, '.');
    size_t stem = dot ? (size_t)(dot - file) : strlen(file), group = strcspn(file, "_");
    if (group > stem)
        group = stem;
    return !strncmp(file, name, n) && (n == stem || n == group);
}

/* name in root i, as the comment at the top of this section says: 1 found
 * (src filled; src->n may be 0: a folder with no audio), 0 not here,
 * PHONON_ENOMEM. */
static int resolve_in(const struct sample_bank *b, int i, const char *name, struct source *src)
{
    const char *root = b->roots[i];
    struct kit k;
    int rc;
    src->root = i;
    char *p = path_join(root, name);
    if (!p)
        return PHONON_ENOMEM;
    if (is_dir(p)) {
        src->dir = p;
        if ((rc = kit_read(p, &k)) < 0)
            return rc;
        if (rc) {
            rc = kit_source(&k, "", src);
            kit_free(&k);
            return rc ? rc : 1;
        }
        int n = list_dir(p, keep_audio_file, &src->files);
        src->n = n > 0 ? n : 0;
        return n == -ENOMEM ? PHONON_ENOMEM : 1;
    }
    free(p);
    /* the root a kit */
    if ((rc = kit_read(root, &k)) < 0)
        return rc;
    if (rc) {
        rc = kit_source(&k, !strcmp(name, k.slug) ? "" : name, src);
        kit_free(&k);
        if (!rc && src->n && !(src->dir = strdup(root)))
            rc = PHONON_ENOMEM;
        return rc ? rc : src->n > 0;
    }
    /* kits in folders: SLUG, SLUG_TIDAL */
    char **subs;
    int ns = list_dir(root, keep_subdir, &subs);
    for (int j = 0; j < ns && !src->n; j++) {
        char *d = path_join(root, subs[j]);
        if (!d || (rc = kit_read(d, &k)) < 0) {
            free(d);
            free_strings(subs, ns);
            return PHONON_ENOMEM;
        }
        size_t sl = rc ? strlen(k.slug) : 0;
        if (rc && sl && !strncmp(name, k.slug, sl) && (name[sl] == 0 || name[sl] == '_'))
            rc = kit_source(&k, name[sl] ? name + sl + 1 : "", src);
        else
            rc = 0;
        kit_free(&k);
        if (!rc && src->n)
            src->dir = d, d = NULL;
        free(d);
        if (rc) {
            free_strings(subs, ns);
            return rc;
        }
    }
    free_strings(subs, ns > 0 ? ns : 0);
    if (src->n)
        return src->dir ? 1 : PHONON_ENOMEM;
    /* flat */
    char **files;
    int nf = list_dir(root, keep_audio_file, &files);
    for (int j = 0; j < nf; j++)
        if (flat_match(files[j], name) && source_add(src, files[j])) {
            free_strings(files, nf);
            return PHONON_ENOMEM;
        }
    free_strings(files, nf > 0 ? nf : 0);
    if (src->n && !(src->dir = strdup(root)))
        return PHONON_ENOMEM;
    return src->n > 0;
}

/* name in the first root that has it: 1 found, 0 nowhere (also for an
 * invalid name), PHONON_ENOMEM. */
static int resolve(const struct sample_bank *b, const char *name, struct source *src)
{
    memset(src, 0, sizeof *src);
    if (!is_valid_name(name))
        return 0;
    for (int i = 0; i < b->nroots; i++) {
        int rc = resolve_in(b, i, name, src);
        if (rc)
            return rc;
        source_free(src);
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Names                                                                      */

static void entry_free(struct entry *e)
{
    if (!e)
        return;
    for (int i = 0; i < e->set.count; i++) {
        free(e->bufs[i]);
        free(e->paths[i]);
    }
    for (int i = 0; i < e->nskipped; i++) {
        free(e->skipped[i].file);
        free(e->skipped[i].reason);
    }
    for (int i = 0; i < e->nfiles; i++)
        free(e->files[i].file);
    free(e->files);
    free(e->samples);
    free(e->bufs);
    free(e->paths);
    free(e->skipped);
    free(e->name);
    free(e->dir);
    free(e);
}

static struct entry *find_entry(struct sample_bank *b, const char *name)
{
    for (int i = 0; i < b->nentries; i++)
        if (!b->entries[i]->stale && !strcmp(b->entries[i]->name, name))
            return b->entries[i];
    return NULL;
}

/* The size and modification time of dir/file into *fs (file copied);
 * a file that cannot be stat'ed gets -1 for both. PHONON_ENOMEM or 0. */
static int file_stamp(const char *dir, const char *file, struct fstamp *fs)
{
    char *p = path_join(dir, file);
    struct stat st;
    fs->size = fs->mtime_ns = -1;
    if (p && stat(p, &st) == 0) {
        fs->size = (int64_t)st.st_size;
#ifdef __APPLE__
        fs->mtime_ns = (int64_t)st.st_mtimespec.tv_sec * 1000000000 + st.st_mtimespec.tv_nsec;
#else
        fs->mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
#endif
    }
    free(p);
    return (fs->file = strdup(file)) ? 0 : PHONON_ENOMEM;
}

/* 1 when e's folder is no longer what was loaded: another folder now wins
 * the search path, or a file was added, removed or replaced (size or
 * modification time); a stat per file. 0 when unchanged (or when it cannot
 * tell: out of memory). */
static int entry_changed(const struct sample_bank *b, const struct entry *e)
{
    struct source src;
    if (resolve(b, e->name, &src) != 1) {
        source_free(&src);
        return 0;                   /* gone: keep playing what was loaded */
    }
    int changed = strcmp(src.dir, e->dir) != 0 || src.n != e->nfiles;
    for (int i = 0; i < src.n && !changed; i++) {
        struct fstamp fs;
        if (file_stamp(e->dir, src.files[i], &fs))
            break;
        changed = strcmp(fs.file, e->files[i].file) || fs.size != e->files[i].size ||
                  fs.mtime_ns != e->files[i].mtime_ns;
        free(fs.file);
    }
    source_free(&src);
    return changed;
}

/* Loads every file of src as the name `name`. Bad files are skipped with a
 * warning; it fails only when none is usable. */
static struct entry *load_entry(struct sample_bank *b, const char *name, const struct source *src,
                                struct sample_error *err)
{
    const char *dir = src->dir;
    char **files = src->files;
    int n = src->n;
    if (access(dir, R_OK | X_OK) != 0) {
        set_err(err, PHONON_EIO, "sample folder %s: %s", dir, strerror(errno));
        return NULL;
    }
    if (n == 0) {
        set_err(err, PHONON_ENOENT,
                "sample folder %s has no audio files (wav, flac, aiff, aif, ogg)", dir);
        if (err)
            err->folder = 1;
        return NULL;
    }
    struct entry *e = calloc(1, sizeof *e);
    if (!e || !(e->name = strdup(name)) || !(e->dir = strdup(dir)) ||
        !(e->samples = calloc((size_t)n, sizeof *e->samples)) ||
        !(e->bufs = calloc((size_t)n, sizeof *e->bufs)) || !(e->paths = calloc((size_t)n, sizeof *e->paths)) ||
        !(e->skipped = calloc((size_t)n, sizeof *e->skipped)) ||
        !(e->files = calloc((size_t)n, sizeof *e->files)))
        goto nomem;
    for (int i = 0; i < n; i++, e->nfiles++)   /* before reading: a later change is seen */
        if (file_stamp(dir, files[i], &e->files[i]))
            goto nomem;
    int first_rc = 0;
    char first_why[300] = "";
    const char *first_file = NULL;
    for (int i = 0; i < n; i++) {
        char *path = path_join(dir, files[i]);
        char why[300];
        if (!path)
            goto nomem;
        struct sample *s = &e->samples[e->set.count];
        int rc = load_file(b, path, s, &e->bufs[e->set.count], why, sizeof why);
        if (rc == PHONON_ENOMEM) {
            free(path);
            goto nomem;
        }
        if (rc == 0) {
            s->path = e->paths[e->set.count] = path;
            s->file = path + strlen(dir) + 1;
            if (s->truncated)
                warnf(b, "%s: truncated (the header promises more audio than the file holds); "
                      "playing the %lld frames present", path, (long long)s->file_frames);
            if (s->nonfinite)
                warnf(b, "%s: %lld NaN or infinite values, played as silence", path,
                      (long long)s->nonfinite);
            b->stats.files_cleaned += s->nonfinite > 0;
            b->stats.files_loaded++;
            b->stats.files_resampled += s->file_rate != b->rate;
            e->bytes += (size_t)(s->frames + 2 * SAMPLE_PAD) * (size_t)s->channels * sizeof(float);
            e->set.count++;
            continue;
        }
        warnf(b, "%s: skipped: %s", path, why);
        free(path);
        struct skipped *k = &e->skipped[e->nskipped];
        if (!(k->file = strdup(files[i])) || !(k->reason = strdup(why))) {
            free(k->file);
            goto nomem;
        }
        e->nskipped++;
        b->stats.files_skipped++;
        if (!first_rc) {
            first_rc = rc;
            first_file = k->file;
            snprintf(first_why, sizeof first_why, "%s", why);
        }
    }
    if (e->set.count == 0) {
        set_err(err, first_rc, "sample '%s': no file in %s could be loaded (%s/%s: %s)",
                name, dir, dir, first_file, first_why);
        entry_free(e);
        return NULL;
    }
    e->set.name = e->name;
    e->set.dir = e->dir;
    e->set.samples = e->samples;
    return e;
nomem:
    entry_free(e);
    set_err(err, PHONON_ENOMEM, "sample '%s': out of memory", name);
    return NULL;
}

/* Frees entry i (no program holds it) and takes it out of the list. */
static void unload(struct sample_bank *b, int i)
{
    struct entry *e = b->entries[i];
    b->stats.bytes -= e->bytes;
    b->stats.names_unloaded += !e->stale;
    entry_free(e);
    memmove(&b->entries[i], &b->entries[i + 1], sizeof *b->entries * (size_t)(b->nentries - i - 1));
    b->nentries--;
}

/* Unloads what no program holds and no compile may still be using (not
 * looked up since before the last compile finished): stale entries all,
 * then the least recently used until the bank is within its cap. */
static void trim_locked(struct sample_bank *b)
{
    for (int i = b->nentries - 1; i >= 0; i--) {
        struct entry *e = b->entries[i];
        if (e->stale && e->refs == 0 && e->used < b->gen)
            unload(b, i);
    }
    while (b->stats.bytes > b->max_total) {
        int victim = -1;
        for (int i = 0; i < b->nentries; i++) {
            const struct entry *e = b->entries[i];
            if (e->refs == 0 && e->used < b->gen && (victim < 0 || e->lru < b->entries[victim]->lru))
                victim = i;
        }
        if (victim < 0)
            break;
        unload(b, victim);
    }
    int over = b->stats.bytes > b->max_total;
    if (over && !b->over_warned)
        warnf(b, "the samples the program uses take %.0f MB, more than the %.0f MB allowed (--sample-mem)",
              (double)b->stats.bytes / 1e6, (double)b->max_total / 1e6);
    b->over_warned = over;
}

static const struct sample_set *lookup_locked(struct sample_bank *b, const char *name,
                                              struct sample_error *err)
{
    struct entry *e = find_entry(b, name);
    if (e && entry_changed(b, e)) {
        e->stale = 1;               /* programs that hold it keep it; the name loads anew */
        b->stats.names_reloaded++;
        e = NULL;
    }
    if (e) {
        e->used = b->gen;
        e->lru = ++b->tick;
        return &e->set;
    }
    struct source src;
    int found = resolve(b, name, &src);
    if (found != 1) {
        source_free(&src);
        if (found < 0)
            set_err(err, PHONON_ENOMEM, "sample '%s': out of memory", name);
        else
            set_err(err, PHONON_ENOENT, "unknown sample name '%s'", name);
        return NULL;
    }
    if (b->nentries == b->capentries) {
        int ncap = b->capentries ? 2 * b->capentries : 16;
        struct entry **ne = realloc(b->entries, sizeof *ne * (size_t)ncap);
        if (!ne) {
            source_free(&src);
            set_err(err, PHONON_ENOMEM, "sample '%s': out of memory", name);
            return NULL;
        }
        b->entries = ne;
        b->capentries = ncap;
    }
    e = load_entry(b, name, &src, err);
    source_free(&src);
    if (!e)
        return NULL;
    e->used = b->gen;
    e->lru = ++b->tick;
    b->stats.bytes += e->bytes;
    b->entries[b->nentries++] = e;
    b->stats.names_loaded++;
    return &e->set;
}

const struct sample_set *sample_bank_lookup(struct sample_bank *b, const char *name,
                                            struct sample_error *err)
{
    pthread_mutex_lock(&b->lock);
    const struct sample_set *s = lookup_locked(b, name, err);
    pthread_mutex_unlock(&b->lock);
    return s;
}

const struct sample *sample_bank_get(struct sample_bank *b, const char *name, long n,
                                     struct sample_error *err)
{
    const struct sample_set *s = sample_bank_lookup(b, name, err);
    return s ? sample_set_pick(s, n) : NULL;
}

/* The entry of a set the bank returned (NULL for a set it does not hold).
 * Called with the lock held. */
static struct entry *entry_of(struct sample_bank *b, const struct sample_set *set)
{
    for (int i = 0; i < b->nentries; i++)
        if (&b->entries[i]->set == set)
            return b->entries[i];
    return NULL;
}

void sample_bank_hold(struct sample_bank *b, const struct sample_set *set)
{
    if (!b || !set)
        return;
    pthread_mutex_lock(&b->lock);
    struct entry *e = entry_of(b, set);
    if (e) {
        e->refs++;
        e->lru = ++b->tick;
    }
    pthread_mutex_unlock(&b->lock);
}

void sample_bank_release(struct sample_bank *b, const struct sample_set *set)
{
    if (!b || !set)
        return;
    pthread_mutex_lock(&b->lock);
    struct entry *e = entry_of(b, set);
    if (e && e->refs > 0)
        e->refs--;
    if (e && e->refs == 0 && (e->stale || b->stats.bytes > b->max_total))
        trim_locked(b);
    pthread_mutex_unlock(&b->lock);
}

void sample_bank_compiled(struct sample_bank *b)
{
    if (!b)
        return;
    pthread_mutex_lock(&b->lock);
    b->gen++;
    trim_locked(b);
    pthread_mutex_unlock(&b->lock);
}

/* Appends a copy of s[0 .. n) to *v (count *k, room *cap); PHONON_ENOMEM or 0. */
static int names_add(char ***v, int *k, int *cap, const char *s, size_t n)
{
    if (*k == *cap) {
        int ncap = *cap ? 2 * *cap : 16;
        char **nv = realloc(*v, sizeof *nv * (size_t)ncap);
        if (!nv)
            return PHONON_ENOMEM;
        *v = nv;
        *cap = ncap;
    }
    if (!((*v)[*k] = strndup(s, n)))
        return PHONON_ENOMEM;
    (*k)++;
    return 0;
}

/* kit k's names into *v: its slug, then each Tidal name (prefixed with
 * "SLUG_" when `prefixed`: a kit in a folder of kits). */
static int kit_names(const struct kit *k, int prefixed, char ***v, int *n, int *cap)
{
    int rc = names_add(v, n, cap, k->slug, strlen(k->slug));
    for (int i = 0; i < k->n && !rc; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++)
            seen |= !strcmp(k->layers[j].tidal, k->layers[i].tidal);
        if (seen)
            continue;
        char buf[512];
        int len = snprintf(buf, sizeof buf, "%s%s%s", prefixed ? k->slug : "", prefixed ? "_" : "",
                           k->layers[i].tidal);
        rc = names_add(v, n, cap, buf, (size_t)len < sizeof buf ? (size_t)len : sizeof buf - 1);
    }
    return rc;
}

/* The names root i gives (unsorted, maybe with duplicates) and, in
 * *layout, what it is ("folders", "flat", "Hydrogen kit", "Hydrogen kits",
 * joined with '+'). The count, or PHONON_ENOMEM. */
static int root_names(const char *root, char ***out, char *layout, size_t lsize)
{
    char **v = NULL, **subs = NULL, **files = NULL;
    int n = 0, cap = 0, rc = 0, folders = 0, kits = 0;
    struct kit k;
    layout[0] = 0;
    if ((rc = kit_read(root, &k)) == 1) {
        rc = kit_names(&k, 0, &v, &n, &cap);
        snprintf(layout, lsize, "Hydrogen kit");
        kit_free(&k);
    }
    int ns = rc ? 0 : list_dir(root, keep_subdir, &subs);
    for (int j = 0; j < ns && !rc; j++) {
        char *d = path_join(root, subs[j]);
        if (!d || (rc = kit_read(d, &k)) < 0) {
            free(d);
            rc = PHONON_ENOMEM;
            break;
        }
        free(d);
        if (rc == 1) {
            rc = kit_names(&k, 1, &v, &n, &cap);
            kit_free(&k);
            kits++;
        } else {
            rc = names_add(&v, &n, &cap, subs[j], strlen(subs[j]));
            folders++;
        }
    }
    free_strings(subs, ns > 0 ? ns : 0);
    int nf = rc || !strcmp(layout, "Hydrogen kit") ? 0 : list_dir(root, keep_audio_file, &files);
    for (int j = 0; j < nf && !rc; j++) {
        size_t len = strcspn(files[j], "_"), stem = (size_t)(strrchr(files[j], '.') - files[j]);
        rc = names_add(&v, &n, &cap, files[j], len < stem ? len : stem);
    }
    free_strings(files, nf > 0 ? nf : 0);
    size_t at = strlen(layout);
    if (folders)
        at += (size_t)snprintf(layout + at, lsize - at, "%sfolders", at ? "+" : "");
    if (kits && at < lsize)
        at += (size_t)snprintf(layout + at, lsize - at, "%sHydrogen kits", at ? "+" : "");
    if (nf > 0 && at < lsize)
        snprintf(layout + at, lsize - at, "%sflat", at ? "+" : "");
    if (rc) {
        free_strings(v, n);
        return PHONON_ENOMEM;
    }
    *out = v;
    return n;
}

/* Every name of every root, sorted, without duplicates. */
static int list_names(struct sample_bank *b)
{
    char **all = NULL;
    int n = 0;
    for (int i = 0; i < b->nroots; i++) {
        char **v, layout[64];
        int k = root_names(b->roots[i], &v, layout, sizeof layout);
        if (k < 0)
            goto nomem;
        if (k == 0) {
            free(v);
            continue;       /* a root that vanished or became unreadable: nothing to list */
        }
        char **na = realloc(all, sizeof *all * (size_t)(n + k));
        if (!na) {
            free_strings(v, k);
            goto nomem;
        }
        all = na;
        memcpy(all + n, v, sizeof *v * (size_t)k);
        free(v);
        n += k;
    }
    if (n)
        qsort(all, (size_t)n, sizeof *all, cmp_str);
    int u = 0;
    for (int i = 0; i < n; i++) {
        if (u && !strcmp(all[u - 1], all[i]))
            free(all[i]);
        else
            all[u++] = all[i];
    }
    b->names = all;
    b->nnames = u;
    return 0;
nomem:
    free_strings(all, n);
    return PHONON_ENOMEM;
}

/* See sample.h. */
int sample_bank_root_layout(const struct sample_bank *b, int i, char *layout, size_t size)
{
    char **v;
    if (i < 0 || i >= b->nroots)
        return PHONON_EINVAL;
    int k = root_names(b->roots[i], &v, layout, size);
    if (k < 0)
        return k;
    if (k)
        qsort(v, (size_t)k, sizeof *v, cmp_str);
    int u = 0;
    for (int j = 0; j < k; j++)
        u += j == 0 || strcmp(v[j - 1], v[j]) != 0;
    free_strings(v, k);
    return u;
}

int sample_bank_names(struct sample_bank *b, const char *const **names)
{
    pthread_mutex_lock(&b->lock);
    int rc = b->nnames >= 0 ? 0 : list_names(b);
    *names = (const char *const *)b->names;
    if (!rc)
        rc = b->nnames;
    pthread_mutex_unlock(&b->lock);
    return rc;
}

int sample_bank_has_folder(const struct sample_bank *b, const char *name)
{
    struct source src;
    int found = resolve(b, name, &src);         /* roots are fixed: no lock */
    source_free(&src);
    return found == 1;
}

int sample_bank_roots(const struct sample_bank *b, const char *const **roots)
{
    *roots = (const char *const *)b->roots;   /* fixed after sample_bank_new: no lock */
    return b->nroots;
}

void sample_bank_stats(struct sample_bank *b, struct sample_bank_stats *st)
{
    pthread_mutex_lock(&b->lock);
    *st = b->stats;
    pthread_mutex_unlock(&b->lock);
}

/* ------------------------------------------------------------------------ */
/* What `phonon samples` shows (cli_samples.c prints it)                      */

const char *sample_bank_root_origin(const struct sample_bank *b, int i)
{
    return i >= 0 && i < b->nroots ? b->root_from[i] : NULL;    /* fixed: no lock */
}

int sample_bank_folder(const struct sample_bank *b, const char *name, char **root)
{
    struct source src;
    int found = resolve(b, name, &src);         /* roots are fixed: no lock */
    int n = src.n;
    *root = found == 1 ? strdup(b->roots[src.root]) : NULL;
    source_free(&src);
    return *root ? n : PHONON_ENOENT;
}

int sample_set_skipped(const struct sample_set *set, int i, const char **file, const char **reason)
{
    const struct entry *e = (const struct entry *)set;  /* set is its first member */
    if (i >= 0 && i < e->nskipped) {
        *file = e->skipped[i].file;
        *reason = e->skipped[i].reason;
    }
    return e->nskipped;
}

/* ------------------------------------------------------------------------ */
/* The search path                                                            */

static int add_root(struct sample_bank *b, const char *path, const char *from)
{
    if (b->nroots == b->caproots) {
        int ncap = b->caproots ? 2 * b->caproots : 8;
        char **nr = realloc(b->roots, sizeof *nr * (size_t)ncap);
        if (!nr)
            return PHONON_ENOMEM;
        b->roots = nr;
        const char **nf = realloc(b->root_from, sizeof *nf * (size_t)ncap);
        if (!nf)
            return PHONON_ENOMEM;
        b->root_from = nf;
        b->caproots = ncap;
    }
    if (!(b->roots[b->nroots] = strdup(path)))
        return PHONON_ENOMEM;
    b->root_from[b->nroots++] = from;
    return 0;
}

/* The directory holding the running executable, or NULL. */
static char *exe_dir(void)
{
    char buf[PATH_MAX];
#ifdef __APPLE__
    uint32_t size = sizeof buf;
    char *real;
    if (_NSGetExecutablePath(buf, &size) != 0 || !(real = realpath(buf, NULL)))
        return NULL;
#else
    ssize_t len = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (len <= 0)
        return NULL;
    buf[len] = '\0';
    char *real = strdup(buf);
    if (!real)
        return NULL;
#endif
    char *slash = strrchr(real, '/');
    if (slash)
        *(slash == real ? slash + 1 : slash) = '\0';
    return real;
}

/* The project's own kit: EXEDIR/samples, or the samples/ of a checkout one
 * or two levels up (build/phonon, build/asan/phonon, build/test_sample: a
 * checkout is recognised by scripts/make-samples), else the installed kit. */
static char *find_kit(void)
{
    char *dir = exe_dir();
    for (int up = 0; dir && up <= 2; up++) {
        char *kit = path_join(dir, "samples"), *script = path_join(dir, "scripts/make-samples");
        struct stat st;
        if (kit && is_dir(kit) && (up == 0 || (script && stat(script, &st) == 0))) {
            free(script);
            free(dir);
            char *real = realpath(kit, NULL);
            if (real)
                free(kit);
            return real ? real : kit;
        }
        free(kit);
        free(script);
        char *parent = path_join(dir, "..");
        free(dir);
        dir = parent;
    }
    free(dir);
    /* an install moved as a whole (PREFIX/bin/phonon beside PREFIX/share/phonon) */
    char *exe = exe_dir(), *rel = exe ? path_join(exe, "../share/phonon/samples") : NULL;
    free(exe);
    if (rel && is_dir(rel)) {
        char *real = realpath(rel, NULL);
        if (real) {
            free(rel);
            return real;
        }
        return rel;
    }
    free(rel);
    return is_dir(PHONON_DATADIR "/samples") ? strdup(PHONON_DATADIR "/samples") : NULL;
}

/* A root from the environment, added when it is a directory: `base`
 * ($XDG_DATA_HOME, else $HOME/.local/share; $HOME/Library/Application
 * Support on macOS for SuperCollider) joined with `sub`. */
static int add_home_root(struct sample_bank *b, const char *xdg_env, const char *home_sub, const char *sub,
                         const char *from)
{
    const char *xdg = xdg_env ? getenv(xdg_env) : NULL, *home = getenv("HOME");
    char *base = xdg && *xdg == '/' ? strdup(xdg) : home && *home ? path_join(home, home_sub) : NULL;
    char *dir = base ? path_join(base, sub) : NULL;
    int rc = 0;
    if (dir && is_dir(dir))
        rc = add_root(b, dir, from);
    free(base);
    free(dir);
    return rc;
}

/* The user's own folder, then SuperDirt's Dirt-Samples where SuperCollider
 * keeps downloaded quarks (Linux: ~/.local/share/SuperCollider; macOS:
 * ~/Library/Application Support/SuperCollider). */
static int add_user_roots(struct sample_bank *b)
{
    int rc = add_home_root(b, "XDG_DATA_HOME", ".local/share", "phonon/samples", "user");
#ifdef __APPLE__
    if (!rc)
        rc = add_home_root(b, NULL, "Library/Application Support", "SuperCollider/downloaded-quarks/Dirt-Samples",
                           "SuperDirt");
#else
    if (!rc)
        rc = add_home_root(b, "XDG_DATA_HOME", ".local/share", "SuperCollider/downloaded-quarks/Dirt-Samples",
                           "SuperDirt");
#endif
    return rc;
}

static int add_env_roots(struct sample_bank *b)
{
    const char *env = getenv("PHONON_SAMPLES");
    if (!env)
        return 0;
    char *copy = strdup(env), *save = NULL;
    if (!copy)
        return PHONON_ENOMEM;
    int rc = 0;
    for (char *p = strtok_r(copy, ":", &save); p && !rc; p = strtok_r(NULL, ":", &save)) {
        if (is_dir(p))
            rc = add_root(b, p, "$PHONON_SAMPLES");
        else
            warnf(b, "$PHONON_SAMPLES: %s: %s (ignored)", p,
                  access(p, F_OK) == 0 ? "not a directory" : "no such directory");
    }
    free(copy);
    return rc;
}

/* A root holding audio files of its own is read flat: say so once, with
 * how its names are made. */
static void flat_notice(struct sample_bank *b, int i)
{
    char **files = NULL, *xml = path_join(b->roots[i], "drumkit.xml");
    int n = xml && access(xml, F_OK) != 0 ? list_dir(b->roots[i], keep_audio_file, &files) : 0;
    free(xml);
    if (n > 0 && strcmp(b->root_from[i], "kit") != 0)
        warnf(b, "%s holds %d sound files of its own: read flat, a name is the part of a file name "
              "before the first '_' (%s is %.*s:n) or the whole stem", b->roots[i], n, files[0],
              (int)strcspn(files[0], "_."), files[0]);
    free_strings(files, n > 0 ? n : 0);
}

struct sample_bank *sample_bank_new(const char *const *roots, int nroots, int engine_rate,
                                    const struct sample_bank_opts *opts,
                                    struct sample_error *err)
{
    static const struct sample_bank_opts defaults;
    if (!opts)
        opts = &defaults;
    if (engine_rate <= 0 || engine_rate > 1000000) {
        set_err(err, PHONON_EINVAL, "invalid engine sample rate %d", engine_rate);
        return NULL;
    }
    struct sample_bank *b = calloc(1, sizeof *b);
    if (!b) {
        set_err(err, PHONON_ENOMEM, "sample bank: out of memory");
        return NULL;
    }
    pthread_mutex_init(&b->lock, NULL);
    b->rate = engine_rate;
    b->nnames = -1;
    b->max_seconds = opts->max_seconds > 0 ? opts->max_seconds : DEFAULT_MAX_SECONDS;
    b->max_bytes = opts->max_bytes ? opts->max_bytes : DEFAULT_MAX_BYTES;
    b->max_total = opts->max_total ? opts->max_total : DEFAULT_MAX_TOTAL;
    b->gen = 1;
    b->warn = opts->warn;
    b->warn_ctx = opts->warn_ctx;
    int rc = 0;
    for (int i = 0; i < nroots && !rc; i++) {
        struct stat st;
        if (stat(roots[i], &st) != 0) {
            set_err(err, errno == ENOENT || errno == ENOTDIR ? PHONON_ENOENT : PHONON_EIO,
                    "--samples %s: %s", roots[i],
                    errno == ENOENT ? "no such directory" : strerror(errno));
            goto fail;
        }
        if (!S_ISDIR(st.st_mode)) {
            set_err(err, PHONON_ENOENT, "--samples %s: not a directory", roots[i]);
            goto fail;
        }
        if (access(roots[i], R_OK | X_OK) != 0) {
            set_err(err, PHONON_EIO, "--samples %s: %s", roots[i], strerror(errno));
            goto fail;
        }
        rc = add_root(b, roots[i], "--samples");
    }
    if (!rc && !opts->no_env)
        rc = add_env_roots(b);
    if (!rc && !opts->no_env)
        rc = add_user_roots(b);
    if (!rc && !opts->no_kit) {
        char *kit = find_kit();
        if (kit)
            rc = add_root(b, kit, "kit");
        free(kit);
    }
    if (rc) {
        set_err(err, rc, "sample bank: out of memory");
        goto fail;
    }
    for (int i = 0; i < b->nroots; i++)
        flat_notice(b, i);
    return b;
fail:
    sample_bank_free(b);
    return NULL;
}

void sample_bank_free(struct sample_bank *b)
{
    if (!b)
        return;
    for (int i = 0; i < b->nentries; i++)
        entry_free(b->entries[i]);
    free(b->entries);
    free_strings(b->roots, b->nroots);
    free(b->root_from);
    if (b->nnames > 0)
        free_strings(b->names, b->nnames);
    pthread_mutex_destroy(&b->lock);
    free(b);
}
