/* tests/test_render.c -- audio-level tests of the whole engine, in process.
 *
 * Each test compiles a .ph source string (lang_parse + graph_compile), plays
 * it through a one-thread engine (engine_new / engine_publish /
 * engine_render) into a buffer, and measures what a listener would: where
 * the onsets fall (to the frame), the spectrum of an oscillator or a filter
 * (tests/spectrum.h), levels, pan, cut groups, chords of an instrument, and
 * that a feedback-heavy patch stays finite for ten minutes.
 *
 * Fixtures: the group set-up writes a sample root in a mkdtemp directory
 * with test signals made for measuring (libsndfile, 32-bit float):
 *   click/click.wav    48 kHz, 64 frames, 1.0 at frame 0 and 0 after
 *   tone/tone.wav      48 kHz, 1 s of a 480 Hz sine of amplitude 0.3
 *                      (100 frames a period: onsets 0.25 s apart are in phase)
 *   hz48k/a.wav        48 kHz, 1 s of 1000 Hz (amplitude 0.5)
 *   hz22k/a.wav        22.05 kHz, 1 s of 1000 Hz (amplitude 0.5)
 * The tests do not need the project's kit. Levels stay below 0.7, where
 * the master soft clipper is the identity, except the click (only where it
 * starts matters) and test_render_master_clip_adds_no_dc.
 *
 * Tests marked BUG fail on the engine as it is; the comment says what goes
 * wrong. Keep the whole program to a few seconds: it shares a 2-core machine.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dsp.h"
#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "pat_eval.h"
#include "sample.h"
#include "spectrum.h"

#define PI 3.14159265358979323846
#define SR 48000

/* ---- fixtures: a sample root of test signals --------------------------------- */

static char root[64];

static void write_wav(const char *rel, int rate, const float *x, long n)
{
    char dir[128], path[192];
    snprintf(dir, sizeof dir, "%s/%s", root, rel);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/%s", root, rel);
    SF_INFO info = { .samplerate = rate, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    assert_int_equal(sf_writef_float(sf, x, n), n);
    sf_close(sf);
}

static void write_sine(const char *rel, int rate, double hz, double amp, long n)
{
    float *x = malloc(sizeof *x * (size_t)n);
    assert_non_null(x);
    for (long i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2 * PI * hz * (double)i / rate));
    write_wav(rel, rate, x, n);
    free(x);
}

static int group_setup(void **state)
{
    (void)state;
    dsp_init();
    snprintf(root, sizeof root, "/tmp/phonon-test-render-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    float click[64] = { 1.0f };
    write_wav("click/click.wav", SR, click, 64);
    write_sine("tone/tone.wav", SR, 480, 0.3, SR);
    write_sine("hz48k/a.wav", 48000, 1000, 0.5, 48000);
    write_sine("hz22k/a.wav", 22050, 1000, 0.5, 22050);
    return 0;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(p);
}

static int group_teardown(void **state)
{
    (void)state;
    return nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- rendering ------------------------------------------------------------------ */

struct render {
    float *buf;                     /* interleaved stereo, frames long */
    long frames;
    int sr;
    int warnings;                   /* compiler warnings */
    char warning[256];              /* the first one */
    struct engine_stats st;
};

static void on_warning(void *user, const struct lang_error *w)
{
    struct render *r = user;
    if (r->warnings++ == 0)
        snprintf(r->warning, sizeof r->warning, "%d:%d: %.200s", w->line, w->col, w->msg);
}

/* Compile src at rate sr; NULL (with the error printed) when it fails. */
static struct program *compile(const char *src, int sr, int block, struct sample_bank *bank,
                               struct render *r)
{
    struct lang_error err = { .file = "test.ph" };
    struct lang_ast *ast = lang_parse(src, strlen(src), "test.ph", &err);
    if (!ast) {
        print_message("parse error %d:%d: %s\n", err.line, err.col, err.msg);
        return NULL;
    }
    struct graph_opts go = { .sample_rate = sr, .block = block, .bank = bank, .warn = on_warning, .warn_user = r };
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    if (!p)
        print_message("compile error %d:%d: %s\n", err.line, err.col, err.msg);
    return p;
}

/* Render `seconds` of src at sr with blocks of `block` frames, on one
 * thread. Returns 0, or -1 when src does not compile (r->buf is NULL). */
static int render_block(const char *src, int sr, int block, double seconds, struct render *r)
{
    memset(r, 0, sizeof *r);
    r->sr = sr;
    r->frames = (long)llround(seconds * sr);
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1 };
    struct sample_error serr;
    struct sample_bank *bank = sample_bank_new(roots, 1, sr, &bo, &serr);
    assert_non_null(bank);
    struct program *p = compile(src, sr, block, bank, r);
    if (!p) {
        sample_bank_free(bank);
        return -1;
    }
    struct engine_opts eo = { .sample_rate = sr, .block = block, .threads = 1, .voices = 4096, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    engine_publish(e, p);
    r->buf = malloc(sizeof(float) * 2 * (size_t)(r->frames + block));
    assert_non_null(r->buf);
    for (long at = 0; at < r->frames; at += block) {
        engine_render(e, r->buf + 2 * at, block);
        engine_collect(e);
    }
    engine_get_stats(e, &r->st);
    engine_free(e);
    sample_bank_free(bank);
    return 0;
}

static int render(const char *src, int sr, double seconds, struct render *r)
{
    return render_block(src, sr, 512, seconds, r);
}

static void render_free(struct render *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* Channel ch of frames [from, from + n) as a new mono buffer. */
static float *channel(const struct render *r, int ch, long from, long n)
{
    assert_true(from >= 0 && from + n <= r->frames);
    float *x = malloc(sizeof *x * (size_t)n);
    assert_non_null(x);
    for (long i = 0; i < n; i++)
        x[i] = r->buf[2 * (from + i) + ch];
    return x;
}

static double rms(const struct render *r, int ch, long from, long to)
{
    double s = 0;
    for (long i = from; i < to; i++)
        s += (double)r->buf[2 * i + ch] * r->buf[2 * i + ch];
    return sqrt(s / (double)(to - from));
}

static double peak(const struct render *r, int ch, long from, long to)
{
    double m = 0;
    for (long i = from; i < to; i++)
        m = fmax(m, fabs(r->buf[2 * i + ch]));
    return m;
}

static double db(double x) { return 20.0 * log10(x + 1e-30); }

/* The left channel's spectrum over n frames from `from`. */
static void spectrum_of(const struct render *r, long from, int n, struct spectrum *sp)
{
    float *x = channel(r, 0, from, n);
    assert_int_equal(spectrum_init(sp, x, n, r->sr), 0);
    free(x);
}

/* Render src (mono-ish, centred) and take the spectrum of 32768 frames
 * after the first 0.1 s. */
static void spectrum_src(const char *src, struct spectrum *sp)
{
    struct render r;
    assert_int_equal(render(src, SR, 0.1 + 32768.0 / SR + 0.01, &r), 0);
    spectrum_of(&r, SR / 10, 32768, sp);
    render_free(&r);
}

/* ---- onsets ----------------------------------------------------------------------- */

/* Frames of the left channel above thr whose previous frame is not. */
static int onsets(const struct render *r, double thr, long *at, int max)
{
    int n = 0;
    for (long i = 0; i < r->frames; i++) {
        int above = fabs(r->buf[2 * i]) > thr;
        int before = i > 0 && fabs(r->buf[2 * (i - 1)]) > thr;
        if (above && !before && n < max)
            at[n++] = i;
    }
    return n;
}

/* tempo 0.5 = a 2 s cycle: s "click*4" hits at 0, 0.5, 1, 1.5 s, each
 * click's first frame exactly at round(t * sr). */
static void test_render_onsets_to_the_frame(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("tempo: 0.5\nout: s \"click*4\"\n", SR, 2.0, &r), 0);
    long at[16];
    int n = onsets(&r, 0.3, at, 16);
    assert_int_equal(n, 4);
    for (int i = 0; i < 4; i++)
        assert_int_equal(at[i], (long)i * SR / 2);
    /* one frame: the DC blocker's tail after a click stays tiny */
    assert_true(fabs(r.buf[2 * 1]) < 0.01);
    render_free(&r);
}

/* The onset frames `phonon query` gives for expression expr over
 * [0, cycles) at cps = cn/cd: round(whole_begin * sr / cps), exactly. */
static int query_onsets(const char *expr, int cycles, int64_t cn, int64_t cd, int sr, long *at, int max)
{
    struct lang_error err = { .file = "<expr>" };
    struct lang_ast *ast = lang_parse_expr(expr, strlen(expr), "<expr>", &err);
    assert_non_null(ast);
    struct arena prog, scratch;
    assert_int_equal(arena_init(&prog, 1 << 16, 1, 0), 0);
    assert_int_equal(arena_init(&scratch, 1 << 20, 1, (size_t)1 << 30), 0);
    struct pat_eval ev = { .a = &prog, .err = &err };
    const struct pnode *p = pat_eval_pattern(&ev, lang_ast_stmt(ast, 0)->expr);
    assert_non_null(p);
    struct pat_ctx c;
    struct pat_evbuf out;
    pat_ctx_init(&c, &scratch);
    assert_int_equal(pat_query(&c, p, rat_int(0), rat_int(cycles), &out), 0);
    int n = 0;
    for (int i = 0; i < out.n; i++) {
        const struct pat_ev *e = &out.ev[i];
        if (!e->has_whole || !rat_eq(e->wb, e->pb))
            continue;                               /* not an onset */
        /* frame = wb * sr * cd / cn, rounded half up, in integers */
        __int128 num = (__int128)e->wb.n * sr * cd, den = (__int128)e->wb.d * cn;
        long f = (long)((2 * num + den) / (2 * den));
        int k = 0;
        while (k < n && at[k] != f)
            k++;
        if (k == n && n < max)
            at[n++] = f;                            /* one per frame */
    }
    for (int i = 1; i < n; i++)                     /* insertion sort */
        for (int j = i; j > 0 && at[j - 1] > at[j]; j--) {
            long t = at[j]; at[j] = at[j - 1]; at[j - 1] = t;
        }
    lang_ast_free(ast);
    arena_deinit(&prog);
    arena_deinit(&scratch);
    return n;
}

/* Euclid, alternation, polymeter and shifts at 137 bpm (21021.9 frames a
 * cycle: onsets fall between frames and must be rounded, never drift), with
 * blocks of 512, 4096 and 37 frames. */
static void test_render_onsets_follow_query(void **state)
{
    (void)state;
    static const char *const pats[] = {
        "s \"click(5,8,2)\"",
        "s \"<click [click click]> click(3,8) <~ click*3>\"",
        "s \"{click click click}%4 click(<3 5>,8,<0 2>)\"",
        "s \"click*2\" $ off 0.125 (fast 2) $ every 2 (0.25 <~)",
    };
    static const int blocks[] = { 512, 4096, 37 };   /* the onset frame must not depend on it */
    for (size_t k = 0; k < sizeof pats / sizeof *pats; k++) {
        char src[256];
        snprintf(src, sizeof src, "bpm: 137\nout: %s\n", pats[k]);
        struct render r;
        int cycles = 4;
        assert_int_equal(render_block(src, SR, blocks[k % 3], cycles * 60.0 / 137.0, &r), 0);
        long want[256], got[256];
        int nw = query_onsets(pats[k], cycles, 137, 60, SR, want, 256);
        int ng = onsets(&r, 0.3, got, 256);
        assert_true(nw > 4);
        if (ng != nw)
            print_message("%s: %d onsets rendered, %d queried\n", pats[k], ng, nw);
        assert_int_equal(ng, nw);
        for (int i = 0; i < nw; i++)
            assert_int_equal(got[i], want[i]);
        render_free(&r);
    }
}

/* ---- oscillators ---------------------------------------------------------------- */

static void test_render_sine_is_pure(void **state)
{
    (void)state;
    struct spectrum sp;
    spectrum_src("out: sine 440 * 0.5", &sp);
    double f = spectrum_peak_hz(&sp, 20, 20000);
    double l1 = spectrum_level_near(&sp, 440, 5);
    assert_true(fabs(f - 440) < 0.2);
    assert_true(fabs(l1 - db(0.5)) < 0.9);          /* the window's scalloping at most */
    /* everything else: more than 80 dB down (the sine polynomial is -130 dB) */
    double low = spectrum_level_near(&sp, 210, 190), high = spectrum_level_near(&sp, 12240, 11760);
    print_message("sine 440: %.2f Hz at %.2f dB, the rest %.1f dB below\n", f, l1, l1 - fmax(low, high));
    assert_true(fmax(low, high) - l1 < -80);
    spectrum_free(&sp);
}

/* Level of harmonic h relative to the fundamental f0, dB. */
static double harmonic(const struct spectrum *sp, double f0, int h)
{
    return spectrum_level_near(sp, f0 * h, 5) - spectrum_level_near(sp, f0, 5);
}

static void test_render_saw_square_tri_pulse_harmonics(void **state)
{
    (void)state;
    struct spectrum sp;
    /* saw: every harmonic at 1/n */
    spectrum_src("out: saw 440 * 0.5", &sp);
    assert_true(fabs(spectrum_peak_hz(&sp, 20, 20000) - 440) < 0.2);
    assert_true(fabs(spectrum_level_near(&sp, 440, 5) - db(0.5 * 2 / PI)) < 0.9);
    for (int h = 2; h <= 8; h++)
        assert_true(fabs(harmonic(&sp, 440, h) + db(h)) < 0.5);
    spectrum_free(&sp);
    /* square: odd harmonics at 1/n, even ones absent */
    spectrum_src("out: square 440 * 0.5", &sp);
    assert_true(fabs(spectrum_level_near(&sp, 440, 5) - db(0.5 * 4 / PI)) < 0.9);
    for (int h = 3; h <= 9; h += 2)
        assert_true(fabs(harmonic(&sp, 440, h) + db(h)) < 0.5);
    for (int h = 2; h <= 8; h += 2)
        assert_true(harmonic(&sp, 440, h) < -60);
    spectrum_free(&sp);
    /* triangle: odd harmonics at 1/n^2 */
    spectrum_src("out: tri 440 * 0.5", &sp);
    assert_true(fabs(spectrum_level_near(&sp, 440, 5) - db(0.5 * 8 / (PI * PI))) < 0.9);
    for (int h = 3; h <= 7; h += 2)
        assert_true(fabs(harmonic(&sp, 440, h) + db((double)h * h)) < 0.5);
    for (int h = 2; h <= 6; h += 2)
        assert_true(harmonic(&sp, 440, h) < -60);
    spectrum_free(&sp);
    /* pulse of width 1/4: harmonic n at |sin(pi n / 4)| / n, the 4th absent */
    spectrum_src("out: pulse 440 0.25 * 0.5", &sp);
    for (int h = 2; h <= 7; h++) {
        if (h == 4)
            continue;
        double want = db(fabs(sin(PI * h / 4)) / h / sin(PI / 4));
        assert_true(fabs(harmonic(&sp, 440, h) - want) < 0.5);
    }
    assert_true(harmonic(&sp, 440, 4) < -50);
    spectrum_free(&sp);
}

/* fm 1000 200 1: carrier at J0(1), sidebands 1000 +- 200k at Jk(1). */
static void test_render_fm_sidebands(void **state)
{
    (void)state;
    struct spectrum sp;
    spectrum_src("out: fm 1000 200 1 * 0.5", &sp);
    double c = spectrum_level_near(&sp, 1000, 5);
    assert_true(fabs(c - db(0.5 * jn(0, 1.0))) < 0.9);
    for (int k = 1; k <= 3; k++) {
        double want = db(jn(k, 1.0) / jn(0, 1.0));
        assert_true(fabs(spectrum_level_near(&sp, 1000 - 200 * k, 5) - c - want) < 0.5);
        assert_true(fabs(spectrum_level_near(&sp, 1000 + 200 * k, 5) - c - want) < 0.5);
    }
    /* nothing between the sidebands */
    assert_true(spectrum_nonharmonic_max(&sp, 200, 30, 100, 20000, NULL) - c < -60);
    spectrum_free(&sp);
}

/* Power density of octave band [f, 2f] minus that of [k f, 2 k f], dB. */
static double octave_drop(const struct spectrum *sp, double f, double k)
{
    return spectrum_band_power_db(sp, k * f, 2 * k * f) - spectrum_band_power_db(sp, f, 2 * f);
}

/* 262144 frames (5.5 s) after the first 0.1 s: band powers of noise then
 * average enough bins to be within a few tenths of a dB. */
static void spectrum_long(const char *src, struct spectrum *sp)
{
    struct render r;
    assert_int_equal(render(src, SR, 0.1 + 262144.0 / SR + 0.01, &r), 0);
    spectrum_of(&r, SR / 10, 262144, sp);
    render_free(&r);
}

/* White is flat, pink falls 3 dB an octave, brown 6. */
static void test_render_noise_slopes(void **state)
{
    (void)state;
    struct spectrum sp;
    spectrum_long("out: noise # gain 0.5", &sp);
    double w = octave_drop(&sp, 250, 16);
    spectrum_free(&sp);
    spectrum_long("out: pink # gain 0.5", &sp);
    double p = octave_drop(&sp, 250, 16);
    spectrum_free(&sp);
    spectrum_long("out: brown # gain 0.5", &sp);
    double b = octave_drop(&sp, 250, 8);
    spectrum_free(&sp);
    print_message("noise: white %.2f dB over 4 octaves, pink %.2f dB over 4, brown %.2f dB over 3\n", w, p, b);
    assert_true(fabs(w) < 1.0);
    assert_true(fabs(p + 12.04) < 1.5);
    assert_true(fabs(b + 18.06) < 1.5);
}

/* Noise, pink and brown are operands of audio arithmetic, like any
 * oscillator ("out: noise * 0.3" once failed with "unknown function
 * 'noise'; did you mean 'note'?"). */
static void test_render_noise_in_arithmetic(void **state)
{
    (void)state;
    static const char *const srcs[] = { "out: noise * 0.3", "out: 0.3 * pink", "out: brown * 0.5 + sine 100 * 0.1" };
    for (size_t i = 0; i < 3; i++) {
        struct render r;
        int rc = render(srcs[i], SR, 0.5, &r);
        if (rc)
            print_message("'%s' does not compile\n", srcs[i]);
        assert_int_equal(rc, 0);
        assert_true(rms(&r, 0, 0, r.frames) > 0.01);
        render_free(&r);
    }
}

/* A 5 kHz saw at 48 kHz: every aliasing product at least 60 dB below the
 * fundamental (the oscillator documents -73.5 dB). */
static void test_render_saw_aliasing_below_60db(void **state)
{
    (void)state;
    struct spectrum sp;
    spectrum_src("out: saw 5000 * 0.5", &sp);
    double f1 = spectrum_level_near(&sp, 5000, 5), at = 0;
    double alias = spectrum_nonharmonic_max(&sp, 5000, 40, 20, 24000, &at);
    print_message("saw 5 kHz at 48 kHz: worst alias %.1f dB at %.0f Hz\n", alias - f1, at);
    assert_true(alias - f1 < -60);
    assert_true(harmonic(&sp, 5000, 2) > -6.02 - 1.0);   /* and the harmonics are there */
    spectrum_free(&sp);
}

/* ---- filters ---------------------------------------------------------------------- */

/* Gain in dB of `chain` (e.g. "lpf 1000 0.707") for a sine at hz. */
static double filter_gain(const char *chain, double hz, double amp)
{
    char src[160];
    struct spectrum a, b;
    snprintf(src, sizeof src, "out: sine %g * %g # %s", hz, amp, chain);
    spectrum_src(src, &a);
    snprintf(src, sizeof src, "out: sine %g * %g", hz, amp);
    spectrum_src(src, &b);
    double g = spectrum_level_near(&a, hz, 3) - spectrum_level_near(&b, hz, 3);
    spectrum_free(&a);
    spectrum_free(&b);
    return g;
}

static void test_render_filters_at_cutoff(void **state)
{
    (void)state;
    /* want +- tol; notch: anything below -40 dB */
    struct { const char *chain; double hz, want, tol; } cases[] = {
        { "lpf 1000 0.707", 1000, -3.01, 1.0 },     /* 2-pole Butterworth: -3 dB at the cutoff */
        { "lpf 1000 0.707", 100, 0.0, 0.2 },
        { "lpf 1000 0.707", 4000, -24.5, 4.0 },     /* 12 dB an octave (bilinear: a little more) */
        { "hpf 1000 0.707", 1000, -3.01, 1.0 },
        { "hpf 1000 0.707", 10000, 0.0, 0.2 },
        { "hpf 1000 0.707", 250, -24.1, 4.0 },
        { "bpf 1000 0.707", 1000, 0.0, 1.0 },       /* unity at the centre */
        { "bpf 1000 0.707", 4000, -9.1, 1.5 },
        { "notch 1000 0.707", 1000, -200.0, 160.0 },    /* deep at the centre */
        { "notch 1000 0.707", 4000, -0.6, 0.5 },
        { "lpf 1000 4", 1000, 12.04, 1.0 },         /* resonance: gain q at the cutoff */
        { "moog 1000 0", 1000, -12.04, 1.5 },       /* 4 one-poles, -3 dB each */
        { "moog 1000 0", 100, 0.0, 0.5 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        double g = filter_gain(cases[i].chain, cases[i].hz, 0.1);
        if (fabs(g - cases[i].want) > cases[i].tol)
            print_message("%s at %g Hz: %.2f dB, want %.2f +- %.1f\n", cases[i].chain, cases[i].hz, g,
                          cases[i].want, cases[i].tol);
        assert_true(fabs(g - cases[i].want) <= cases[i].tol);
    }
}

/* White noise through lpf 1000 0.707: the band 800..1200 Hz, relative to
 * the pass band, has the mean of |H|^2 = 1/(1 + w^4) over it (-3 dB at the
 * cutoff itself); 8 kHz is more than 30 dB down. */
static void test_render_lpf_on_noise(void **state)
{
    (void)state;
    struct spectrum sp;
    spectrum_long("out: noise # gain 0.5 # lpf 1000 0.707", &sp);
    double want = 0;
    for (int i = 0; i <= 400; i++) {
        double w = (800.0 + i) / 1000.0;
        want += 1.0 / (1.0 + w * w * w * w) / 401.0;
    }
    double pass = spectrum_band_power_db(&sp, 50, 400);
    double cut = spectrum_band_power_db(&sp, 800, 1200) - pass;
    double stop = spectrum_band_power_db(&sp, 7000, 9000) - pass;
    print_message("lpf 1000 on noise: %.2f dB over 800..1200 Hz (Butterworth %.2f), %.1f dB at 8 kHz\n", cut,
                  10 * log10(want), stop);
    assert_true(fabs(cut - 10 * log10(want)) < 1.0);
    assert_true(stop < -30);
    spectrum_free(&sp);
}

/* ---- levels, pan, cut, instruments ------------------------------------------------- */

/* # gain 0.5 halves a sample voice's amplitude. */
static void test_render_gain_halves(void **state)
{
    (void)state;
    struct render a, b;
    assert_int_equal(render("out: s \"tone\"", SR, 1.0, &a), 0);
    assert_int_equal(render("out: s \"tone\" # gain 0.5", SR, 1.0, &b), 0);
    double ra = rms(&a, 0, SR / 10, SR * 9 / 10), rb = rms(&b, 0, SR / 10, SR * 9 / 10);
    print_message("tone: %.2f dB, with gain 0.5: %.2f dB\n", db(ra), db(rb));
    assert_true(ra > 0.1);                          /* 0.3 / sqrt 2: the centre is unity */
    assert_true(fabs(rb / ra - 0.5) < 0.005);
    render_free(&a);
    render_free(&b);
}

/* Equal-power pan, 0..1: pan 0 silences the right channel and pan 1 the
 * left; the centre is 3 dB below a hard pan on each side (phonon's centre
 * passes the sample at unity, so a hard pan is sqrt 2 louder). */
static void test_render_pan(void **state)
{
    (void)state;
    struct render c, l, rt;
    assert_int_equal(render("out: s \"tone\"", SR, 1.0, &c), 0);
    assert_int_equal(render("out: s \"tone\" # pan 0", SR, 1.0, &l), 0);
    assert_int_equal(render("out: s \"tone\" # pan 1", SR, 1.0, &rt), 0);
    long a = SR / 10, b = SR * 9 / 10;
    assert_true(rms(&l, 0, a, b) > 0.15);
    assert_true(peak(&l, 1, 0, l.frames) < 1e-6);   /* pan 0: right silent */
    assert_true(peak(&rt, 0, 0, rt.frames) < 1e-6); /* pan 1: left silent */
    assert_true(fabs(rms(&rt, 1, a, b) - rms(&l, 0, a, b)) < 1e-4);
    assert_true(fabs(db(rms(&c, 0, a, b)) - db(rms(&l, 0, a, b)) + 3.01) < 0.1);
    assert_true(fabs(db(rms(&c, 1, a, b)) - db(rms(&l, 0, a, b)) + 3.01) < 0.1);
    render_free(&c);
    render_free(&l);
    render_free(&rt);
}

/* s "tone*8" at tempo 0.5 starts a 1 s tone every 0.25 s, in phase. With
 * cut 1 only the newest sounds once the 2 ms fade of the previous is over
 * (the level of one voice, as in the first quarter); without it, up to four
 * add up. */
static void test_render_cut_group(void **state)
{
    (void)state;
    struct render r;
    long step = SR / 4, fade = SR * 3 / 1000;          /* 2 ms fade + 1 ms margin */
    assert_int_equal(render("tempo: 0.5\nout: s \"tone*8\" # gain 0.5", SR, 2.0, &r), 0);
    double one = peak(&r, 0, fade, step);               /* one voice alone */
    assert_true(one > 0.1);
    assert_true(peak(&r, 0, step + fade, 2 * step) > 1.5 * one);   /* two overlap */
    render_free(&r);
    assert_int_equal(render("tempo: 0.5\nout: s \"tone*8\" # gain 0.5 # cut 1", SR, 2.0, &r), 0);
    for (int k = 0; k < 8; k++) {
        double p = peak(&r, 0, k * step + fade, (k + 1) * step);
        if (fabs(p - one) > 0.01 * one)
            print_message("cut: quarter %d peaks at %.4f, one voice %.4f\n", k, p, one);
        assert_true(fabs(p - one) <= 0.01 * one);
        /* during the fade, never more than the two voices */
        assert_true(peak(&r, 0, k * step, k * step + fade) <= 2 * one);
    }
    print_message("cut: peak voices %d\n", r.st.voices_peak);
    assert_true(r.st.voices_peak <= 2);
    render_free(&r);
}

/* BUG (since c546d10): a sample voice never ends. 20 clicks of 64 frames,
 * half a second apart, should never have more than one voice sounding, and
 * none after the last; the engine reports 20 live at the end (and a 0.4 s
 * snare once a cycle reaches 31 voices in a minute), so long renders slow
 * down and fill the voice pool. Synth and instrument voices do end. */
static void test_render_sample_voices_end(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("tempo: 0.5\nout: s \"click*4\"\n", SR, 9.9, &r), 0);
    print_message("20 clicks: %ld started, %d live at the end, peak %d\n", r.st.voices_started, r.st.voices,
                  r.st.voices_peak);
    assert_int_equal(r.st.voices_started, 20);
    assert_true(r.st.voices_peak <= 2);
    assert_int_equal(r.st.voices, 0);
    render_free(&r);
}

/* Samples of other rates are resampled: a 1000 Hz tone stored at 48 kHz
 * and at 22.05 kHz plays at 1000 Hz (and lasts 1 s) at 44.1 kHz. */
static void test_render_sample_rates_keep_pitch(void **state)
{
    (void)state;
    const char *names[] = { "hz48k", "hz22k" };
    for (int i = 0; i < 2; i++) {
        char src[64];
        snprintf(src, sizeof src, "out: s \"%s\"", names[i]);
        struct render r;
        assert_int_equal(render(src, 44100, 1.2, &r), 0);
        struct spectrum sp;
        spectrum_of(&r, 4410, 32768, &sp);
        double f = spectrum_peak_hz(&sp, 20, 20000);
        print_message("%s at 44.1 kHz: %.3f Hz\n", names[i], f);
        assert_true(fabs(f - 1000) < 0.2);
        spectrum_free(&sp);
        long last = 0;
        for (long k = 0; k < r.frames; k++)
            if (fabs(r.buf[2 * k]) > 0.05)
                last = k;
        assert_true(labs(last - 44100) < 100);
        render_free(&r);
    }
}

/* speed and note set a sample's pitch: 1000 Hz at speed 2 is 2000 Hz, at
 * note 7 1498.3 Hz; speed -1 plays it backwards (still 1000 Hz). */
static void test_render_speed_and_note_pitch(void **state)
{
    (void)state;
    struct { const char *ctl; double hz; } cases[] = {
        { "# speed 2", 2000 }, { "# note 7", 1000 * pow(2, 7 / 12.0) }, { "# note 12 # speed 0.5", 1000 },
        { "# speed -1", 1000 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char src[96];
        snprintf(src, sizeof src, "out: s \"hz48k\" %s", cases[i].ctl);
        struct render r;
        assert_int_equal(render(src, SR, 0.1 + 16384.0 / SR, &r), 0);
        struct spectrum sp;
        spectrum_of(&r, SR / 20, 16384, &sp);
        double f = spectrum_peak_hz(&sp, 100, 20000);
        if (fabs(f - cases[i].hz) > 1.0)
            print_message("%s: %.2f Hz, want %.2f\n", src, f, cases[i].hz);
        assert_true(fabs(f - cases[i].hz) <= 1.0);
        spectrum_free(&sp);
        render_free(&r);
    }
}

/* hush2 silences output 2 only; hush everything. */
static void test_render_hush(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("o1: sine 440 * 0.3\no2: sine 660 * 0.3\nhush2\n", SR, 0.8, &r), 0);
    struct spectrum sp;
    spectrum_of(&r, SR / 10, 32768, &sp);
    assert_true(spectrum_level_near(&sp, 440, 5) > -15);
    assert_true(spectrum_level_near(&sp, 660, 5) < -100);
    spectrum_free(&sp);
    render_free(&r);
    assert_int_equal(render("o1: sine 440 * 0.3\nhush\n", SR, 0.2, &r), 0);
    assert_true(peak(&r, 0, 0, r.frames) == 0);
    render_free(&r);
}

/* A bus played as an instrument with a chord: one voice per note, each at
 * 261.63 Hz * 2^(note/12). */
static void check_chord(const char *src)
{
    struct render r;
    int rc = render(src, SR, 1.0, &r);
    if (rc)
        print_message("does not compile: %s\n", src);
    assert_int_equal(rc, 0);
    struct spectrum sp;
    spectrum_of(&r, SR / 10, 32768, &sp);
    double top = spectrum_peak_hz(&sp, 20, 20000);
    print_message("%ld voices; strongest component %.2f Hz at %.1f dB, RMS %.1f dB\n", r.st.voices_started, top,
                  spectrum_level_near(&sp, top, 2), db(rms(&r, 0, SR / 10, SR / 10 + 32768)));
    const double want[3] = { 261.63, 329.63, 392.00 };
    double lv[3];
    for (int i = 0; i < 3; i++) {
        double f = spectrum_peak_hz(&sp, want[i] - 25, want[i] + 25);
        lv[i] = spectrum_level_near(&sp, want[i], 3);
        print_message("chord note %d: %.2f Hz at %.1f dB\n", i, f, lv[i]);
        assert_true(fabs(f - want[i]) < 0.5);
        assert_true(lv[i] > -30);
    }
    assert_true(fabs(lv[0] - lv[1]) < 1.0 && fabs(lv[0] - lv[2]) < 1.0);
    spectrum_free(&sp);
    render_free(&r);
}

/* The example: a bare sine as an instrument, a major triad. */
static void test_render_instrument_chord_bare_sine(void **state)
{
    (void)state;
    check_chord("~pad: sine\no1: s \"~pad\" # note \"c4'maj\" # gain 0.2\n");
}

/* An instrument that is a single oscillator with a written frequency
 * ("~pad: sine 440", also "~pad: saw 440") sounds at the note (it once
 * rendered exact zeros, though its voices started). */
static void test_render_instrument_chord_sine_440(void **state)
{
    (void)state;
    check_chord("~pad: sine 440\no1: s \"~pad\" # note \"c4'maj\" # gain 0.2\n");
}

/* An instrument whose oscillator has a written frequency follows the note:
 * "~pad: sine 440 # lpf 8000" once played every chord voice at 440 Hz;
 * LANGUAGE.md 6 sets the first oscillator to the note's frequency. */
static void test_render_instrument_chord_written_freq(void **state)
{
    (void)state;
    check_chord("~pad: sine 440 # lpf 8000\no1: s \"~pad\" # note \"c4'maj\" # gain 0.2\n");
}

/* In an instrument, an oscillator after the first keeps its frequency
 * ratio to the first (LANGUAGE.md 6). "(sine + sine 523.26)" played at a3
 * sounds 220 and 440 Hz (523.26 = 2 x 261.63). */
static void test_render_instrument_second_osc_keeps_ratio(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("~i: (sine + sine 523.26) * 0.5\no1: s \"~i\" # note \"a3\" # gain 0.5\n", SR, 1.0, &r), 0);
    struct spectrum sp;
    spectrum_of(&r, SR / 10, 32768, &sp);
    double f1 = spectrum_peak_hz(&sp, 150, 300), f2 = spectrum_peak_hz(&sp, 300, 1000);
    print_message("instrument at a3: %.2f Hz and %.2f Hz (want 220 and 440)\n", f1, f2);
    assert_true(fabs(f1 - 220) < 0.5);
    assert_true(fabs(f2 - 440) < 0.5);
    spectrum_free(&sp);
    render_free(&r);
}

/* A continuous pattern transformed by a function, as an instrument's
 * parameter ("moog (range 200 3000 (slow 4 sine)) 0.8"), compiles as it
 * does outside an instrument (it once failed with "a sound (audio signal)
 * cannot be used as a pattern here"). */
static void test_render_instrument_param_slow_sine(void **state)
{
    (void)state;
    struct render r;
    int rc = render("~a: saw # moog (range 200 3000 (slow 4 sine)) 0.8 # ad 0.005 0.18\n"
                    "o1: s \"~a*8\" # note \"c2\" # gain 0.3\n", SR, 0.5, &r);
    assert_int_equal(rc, 0);
    assert_true(peak(&r, 0, 0, r.frames) > 0.01);
    render_free(&r);
}

/* Per-voice lpf and hpf together both apply: a 480 Hz tone through
 * "# lpf 4000 # hpf 4000" is some 35 dB down (the high-pass), not as loud
 * as through "# lpf 4000" alone (a sample voice runs one filter; the
 * second is compiled as a filter on the pattern's audio). */
static void test_render_voice_lpf_and_hpf_both_apply(void **state)
{
    (void)state;
    struct render a, b;
    assert_int_equal(render("out: s \"tone\" # lpf 4000", SR, 0.5, &a), 0);
    assert_int_equal(render("out: s \"tone\" # lpf 4000 # hpf 4000", SR, 0.5, &b), 0);
    double la = db(rms(&a, 0, SR / 10, SR * 4 / 10)), lb = db(rms(&b, 0, SR / 10, SR * 4 / 10));
    print_message("tone # lpf 4000: %.1f dB; # lpf 4000 # hpf 4000: %.1f dB\n", la, lb);
    assert_true(la > -20);
    assert_true(lb < la - 20);
    render_free(&a);
    render_free(&b);
}

/* A filter whose cutoff is a signal bus, chained after a bus of samples
 * ("~c: s \"tone\"" then "out: ~c # lpf (~lfo * 100 + 200) 0.7"), is the
 * filter on the samples' audio: no event can carry a signal (it once failed
 * with "~lfo is a sound; it cannot be used inside a pattern expression").
 * LANGUAGE.md 2: every numeric parameter may be a bus. */
static void test_render_signal_filter_on_sample_bus(void **state)
{
    (void)state;
    struct render r;
    int rc = render("~lfo: sine 0.5\n~c: s \"tone\"\nout: ~c # lpf (~lfo * 100 + 200) 0.7\n", SR, 0.5, &r);
    assert_int_equal(rc, 0);
    /* 480 Hz through a low-pass at 100..300 Hz: well down, not silent */
    double l = db(rms(&r, 0, SR / 10, SR * 4 / 10));
    assert_true(l < -20 && l > -60);
    render_free(&r);
}

/* A bus used only as an instrument (s "~x(3,8)") is used: no warning
 * (the compiler said "~x is never used" before 645e6e8). */
static void test_render_instrument_bus_counts_as_used(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("~x: saw 440 # lpf 800 0.7\no1: s \"~x(3,8)\" # gain 0.3\n", SR, 0.5, &r), 0);
    if (r.warnings)
        print_message("unexpected warning %s\n", r.warning);
    assert_int_equal(r.warnings, 0);
    assert_true(peak(&r, 0, 0, r.frames) > 0.05);
    render_free(&r);
}

/* ---- stability ----------------------------------------------------------------------- */

/* Ten minutes of a patch built to misbehave: a resonant low-pass and a
 * ladder swept over 20 Hz .. 20 kHz (and back) every 50 s, a bus that feeds
 * itself through a swept resonant high-pass, a distortion and a delay of
 * feedback 0.99, then a second delay at 0.99 and a reverb at room size 0.99.
 * Inside, the loop runs at full scale all the time; the output is scaled
 * to a sane level (RMS about -15 dBFS) so the master clipper stays out of
 * it (see test_render_master_clip_adds_no_dc). The output stays finite, no
 * node is reset after a NaN, it never goes silent, and the mean of every
 * 10 s stays below -40 dBFS. Rendered at 22.05 kHz in blocks of 4096 to
 * keep it to a few seconds (the sweep then stops at 0.49 sr). */
static void test_render_feedback_patch_stays_finite(void **state)
{
    (void)state;
    static const char src[] =
        "tempo: 1\n"
        "~sweep: sine 0.02 * 0.5 + 0.5\n"
        "~src: saw 55 # gain 0.3\n"
        "~res: ~src # lpf (~sweep * 19980 + 20) 30 # moog (20000 - ~sweep * 19980) 0.99\n"
        "~loop: (~res + ~loop * 0.99) # hpf (~sweep * 2000 + 20) 20 # distort 3 1 # delay 0.25 0.99 0.5\n"
        "out: ~loop * 0.02 # delay 0.333 0.99 0.7 # reverb 0.99 0.1 0.5\n";
    const int sr = 22050, block = 4096;
    struct render r;
    assert_int_equal(render_block(src, sr, block, 600.0, &r), 0);
    long win = 10L * sr, bad = 0;
    double worst_dc = 0, quietest = 1, loudest = 0;
    for (long w0 = 0; w0 + win <= r.frames; w0 += win) {
        for (int ch = 0; ch < 2; ch++) {
            double sum = 0;
            for (long i = w0; i < w0 + win; i++) {
                float x = r.buf[2 * i + ch];
                bad += !isfinite(x);
                sum += x;
            }
            worst_dc = fmax(worst_dc, fabs(sum / (double)win));
            quietest = fmin(quietest, rms(&r, ch, w0, w0 + win));
            loudest = fmax(loudest, rms(&r, ch, w0, w0 + win));
        }
    }
    print_message("10 min feedback patch: worst 10 s mean %.1f dBFS, 10 s RMS %.1f .. %.1f dBFS, "
                  "%ld NaN resets\n", db(worst_dc), db(quietest), db(loudest), r.st.nan_resets);
    assert_int_equal(bad, 0);
    assert_int_equal(r.st.nan_resets, 0);
    assert_true(db(worst_dc) < -40);
    assert_true(quietest > 0.01);
    render_free(&r);
}

/* A hot, asymmetric signal leaves no DC on the output. The master once ran
 * its 5 Hz DC blocker only BEFORE the soft clipper, so the asymmetry the
 * clipper creates stayed: a 10 % pulse at 3x full scale came out with a
 * mean of about -7 dBFS (the same patch at 1/3 of the level has none), and
 * the feedback patch above, left hot ("out: ~loop * 0.2"), had 10 s windows
 * whose mean reached -24 dBFS. */
static void test_render_master_clip_adds_no_dc(void **state)
{
    (void)state;
    const char *srcs[] = { "out: pulse 100 0.1 * 0.2", "out: pulse 100 0.1 * 3" };
    for (int i = 0; i < 2; i++) {
        struct render r;
        assert_int_equal(render(srcs[i], SR, 2.0, &r), 0);
        double sum = 0;
        for (long k = SR; k < 2 * SR; k++)
            sum += r.buf[2 * k];
        double mean = sum / SR;
        print_message("%s: mean of the second second %.1f dBFS\n", srcs[i], db(fabs(mean)));
        assert_true(db(fabs(mean)) < -40);
        render_free(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_render_onsets_to_the_frame),
        cmocka_unit_test(test_render_onsets_follow_query),
        cmocka_unit_test(test_render_sine_is_pure),
        cmocka_unit_test(test_render_saw_square_tri_pulse_harmonics),
        cmocka_unit_test(test_render_fm_sidebands),
        cmocka_unit_test(test_render_noise_slopes),
        cmocka_unit_test(test_render_noise_in_arithmetic),
        cmocka_unit_test(test_render_saw_aliasing_below_60db),
        cmocka_unit_test(test_render_filters_at_cutoff),
        cmocka_unit_test(test_render_lpf_on_noise),
        cmocka_unit_test(test_render_gain_halves),
        cmocka_unit_test(test_render_pan),
        cmocka_unit_test(test_render_cut_group),
        cmocka_unit_test(test_render_sample_voices_end),
        cmocka_unit_test(test_render_sample_rates_keep_pitch),
        cmocka_unit_test(test_render_speed_and_note_pitch),
        cmocka_unit_test(test_render_hush),
        cmocka_unit_test(test_render_instrument_chord_bare_sine),
        cmocka_unit_test(test_render_instrument_chord_sine_440),
        cmocka_unit_test(test_render_instrument_chord_written_freq),
        cmocka_unit_test(test_render_instrument_second_osc_keeps_ratio),
        cmocka_unit_test(test_render_instrument_param_slow_sine),
        cmocka_unit_test(test_render_voice_lpf_and_hpf_both_apply),
        cmocka_unit_test(test_render_signal_filter_on_sample_bus),
        cmocka_unit_test(test_render_instrument_bus_counts_as_used),
        cmocka_unit_test(test_render_feedback_patch_stays_finite),
        cmocka_unit_test(test_render_master_clip_adds_no_dc),
    };
    if (getenv("RENDER_TEST"))                  /* e.g. RENDER_TEST='*chord*' */
        cmocka_set_test_filter(getenv("RENDER_TEST"));
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
