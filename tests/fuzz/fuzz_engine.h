/* tests/fuzz/fuzz_engine.h -- what the engine-level fuzz targets share
 * (fuzz_render.c, fuzz_reload.c): a sample root of tiny synthetic sounds,
 * the setup byte, compiling a file as the CLI does, and checking the
 * engine's output.
 *
 * The sample root is made once per process in a temporary directory (and
 * removed at exit): the names of the project's kit (bd, sn, hh, arpy, ...),
 * 600 frames each, some stereo, some at 22050 or 48000 Hz (resampled), arpy
 * with three files. One bank per engine rate is opened on it (no
 * $PHONON_SAMPLES, no kit) and kept: a name is loaded at its first use.
 *
 * The first input byte sets up the run; the rest is the file:
 *   bits 0-1  voice kernel set: scalar, sse2, avx2, avx512 (scalar when the
 *             CPU lacks it), for the engines created for this input;
 *   bits 2-3  rate and block: 44100/256, 48000/128, 22050/512, 8000/1024
 *             (the last ones reach further into the first cycle);
 *   bit 4     allow missing sample names (else an unknown name fails to
 *             compile, as in render without --allow-missing).
 *
 * Output check: the master (dsp_master_process) clamps its input to
 * +-64, NaN included, and soft-clips to +-1, so every frame of every block
 * must be finite and within [-1, 1].
 */
#ifndef FUZZ_ENGINE_H
#define FUZZ_ENGINE_H

#include <math.h>
#include <sndfile.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "sample.h"
#include "voice.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The engines' voices, and the events one of their queries may yield (and
 * twice as many steps of work): a tenth of the engine's own bound. Blocks
 * of dense programs that met the engine's (PAT_MAX_WORK, 200,000 steps)
 * took a quarter of render's time on its corpus; the same paths (the event
 * cap, a block played silent and counted) are met sooner. */
enum { FUZZ_VOICES = 256, FUZZ_QUERY_EVENTS = PAT_MAX_EVENTS / 10 };

__attribute__((noreturn, format(printf, 1, 2)))
static void fuzz_die(const char *fmt, ...);

static void fuzz_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: broken invariant: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

/* ---- the sample root ----------------------------------------------------------- */

static char fuzz_root[64];
static FILE *fuzz_devnull;

static const struct {
    const char *name;
    int channels, rate, files;
} fuzz_sounds[] = {
    { "arpy", 1, 22050, 3 }, { "bass", 2, 44100, 1 }, { "bd", 1, 44100, 1 }, { "cb", 1, 48000, 1 },
    { "cp", 2, 48000, 1 },   { "cr", 1, 44100, 1 },   { "hh", 1, 44100, 2 }, { "ht", 1, 8000, 1 },
    { "lt", 1, 44100, 1 },   { "mt", 1, 44100, 1 },   { "oh", 2, 44100, 1 }, { "perc", 1, 96000, 1 },
    { "rd", 1, 44100, 1 },   { "rim", 1, 44100, 1 },  { "sn", 1, 44100, 2 },
};

static void fuzz_cleanup(void)
{
    char p[256];
    for (size_t i = 0; i < sizeof fuzz_sounds / sizeof *fuzz_sounds; i++) {
        for (int f = 0; f < fuzz_sounds[i].files; f++) {
            snprintf(p, sizeof p, "%s/%s/%c.wav", fuzz_root, fuzz_sounds[i].name, 'a' + f);
            unlink(p);
        }
        snprintf(p, sizeof p, "%s/%s", fuzz_root, fuzz_sounds[i].name);
        rmdir(p);
    }
    rmdir(fuzz_root);
}

/* 600 frames of a decaying sine (a click at the start), 32-bit float. */
static void fuzz_write_wav(const char *path, int channels, int rate, double hz)
{
    enum { FRAMES = 600 };
    float x[FRAMES * 2];
    for (int i = 0; i < FRAMES; i++)
        for (int c = 0; c < channels; c++)
            x[i * channels + c] = (float)((i == 0 ? 0.9 : 0.6 * sin(2 * 3.14159265358979 * hz * (c + 1) * i / rate)) *
                                          exp(-4.0 * i / FRAMES));
    SF_INFO info = { .samplerate = rate, .channels = channels, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf || sf_writef_float(sf, x, FRAMES) != FRAMES)
        fuzz_die("cannot write %s", path);
    sf_close(sf);
}

static void fuzz_make_root(void)
{
    strcpy(fuzz_root, "/tmp/phonon-fuzz-XXXXXX");
    if (!mkdtemp(fuzz_root))
        fuzz_die("cannot make a temporary directory");
    atexit(fuzz_cleanup);
    char p[256];
    for (size_t i = 0; i < sizeof fuzz_sounds / sizeof *fuzz_sounds; i++) {
        snprintf(p, sizeof p, "%s/%s", fuzz_root, fuzz_sounds[i].name);
        mkdir(p, 0777);
        for (int f = 0; f < fuzz_sounds[i].files; f++) {
            snprintf(p, sizeof p, "%s/%s/%c.wav", fuzz_root, fuzz_sounds[i].name, 'a' + f);
            fuzz_write_wav(p, fuzz_sounds[i].channels, fuzz_sounds[i].rate, 110.0 * (double)(i + 1) * (f + 1));
        }
    }
}

static void fuzz_no_warn(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

/* ---- the setup byte -------------------------------------------------------------- */

struct fuzz_setup {
    int rate, block;
    int allow_missing;
    struct sample_bank *bank;
};

static const int fuzz_rates[4][2] = { { 44100, 256 }, { 48000, 128 }, { 22050, 512 }, { 8000, 1024 } };

static void fuzz_setup(uint8_t b, struct fuzz_setup *s)
{
    static struct sample_bank *banks[4];
    if (!fuzz_root[0]) {
        fuzz_make_root();
        if (!(fuzz_devnull = fopen("/dev/null", "w")))
            abort();
    }
    static const char *const kernels[] = { "scalar", "sse2", "avx2", "avx512" };
    if (voice_use_kernels(kernels[b & 3]) != 0 && voice_use_kernels("scalar") != 0)
        abort();
    int r = (b >> 2) & 3;
    s->rate = fuzz_rates[r][0];
    s->block = fuzz_rates[r][1];
    s->allow_missing = (b >> 4) & 1;
    if (!banks[r]) {
        const char *roots[] = { fuzz_root };
        struct sample_bank_opts o = { .no_env = 1, .no_kit = 1, .warn = fuzz_no_warn };
        struct sample_error err;
        if (!(banks[r] = sample_bank_new(roots, 1, s->rate, &o, &err)))
            fuzz_die("sample_bank_new: %s", err.msg);
    }
    s->bank = banks[r];
}

/* ---- compiling, rendering ------------------------------------------------------------ */

struct fuzz_warn {
    const char *src;
    size_t len;
};

static void fuzz_print_warning(void *user, const struct lang_error *w)
{
    const struct fuzz_warn *fw = user;
    if (!w->msg[0])
        fuzz_die("a compile warning without a message");
    lang_diag_print(fuzz_devnull, "warning", w, fw->src, fw->len);
}

/* Parse and compile src as cli_compile does (diagnostics to /dev/null).
 * NULL when it does not compile; then the error must say what. */
static struct program *fuzz_compile(const char *src, size_t len, const struct fuzz_setup *s)
{
    struct lang_error err = { .file = "fuzz.ph" };
    struct lang_ast *ast = lang_parse(src, len, "fuzz.ph", &err);
    struct program *p = NULL;
    if (ast) {
        struct fuzz_warn fw = { src, len };
        struct graph_opts go = { .sample_rate = s->rate, .block = s->block, .bank = s->bank,
                                 .allow_missing = s->allow_missing, .warn = fuzz_print_warning, .warn_user = &fw };
        p = graph_compile(ast, &go, &err);
        lang_ast_free(ast);
    }
    if (!p) {
        if (!err.msg[0])
            fuzz_die("a %s error without a message", ast ? "compile" : "parse");
        lang_diag_print(fuzz_devnull, "error", &err, src, len);
    }
    return p;
}

/* The engine for this input: one per rate and block, made once and reset
 * (engine_reset: as new, the kernel set chosen now). Making one per input
 * (a voice pool of 2 MB cleared, orbits mapped, query arenas) cost more
 * than compiling and rendering the input. */
static struct engine *fuzz_engine(const struct fuzz_setup *s)
{
    static struct engine *kept[4];
    int r = 0;
    while (r < 3 && fuzz_rates[r][0] != s->rate)
        r++;
    if (!kept[r]) {
        struct engine_opts eo = { .sample_rate = s->rate, .block = s->block, .threads = 1, .voices = FUZZ_VOICES,
                                  .quiet = 1, .query_events = FUZZ_QUERY_EVENTS };
        if (!(kept[r] = engine_new(&eo)))
            fuzz_die("engine_new failed");
    }
    engine_reset(kept[r]);
    return kept[r];
}

/* After the input: its programs freed (what libFuzzer's leak check counts
 * is per input) and the engine quiet for the next one. */
static void fuzz_engine_done(struct engine *e)
{
    engine_reset(e);
}

/* Render one block and check it. The check's loop is not traced for
 * coverage: its compares are on audio, not on anything the input spells
 * (as the per-sample loops, run.sh's cov_flags). */
#if defined(__clang__)
__attribute__((no_sanitize("coverage")))
#endif
static void fuzz_render_block(struct engine *e, const struct fuzz_setup *s)
{
    static float out[2 * ENGINE_MAX_BLOCK];
    engine_render(e, out, s->block);
    struct engine_stats st;
    engine_get_stats(e, &st);
    for (int i = 0; i < 2 * s->block; i++)
        if (!isfinite(out[i]) || out[i] > 1.0f || out[i] < -1.0f)
            fuzz_die("output frame %d (channel %d) of block %llu is %g", i / 2, i % 2,
                     (unsigned long long)st.blocks, (double)out[i]);
}

#endif
