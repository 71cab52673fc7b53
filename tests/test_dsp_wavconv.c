/* tests/test_dsp_wavconv.c -- issue 13: wavetable and convolve (dsp_wavconv.c,
 * graph_wavconv.c), measured on rendered audio.
 *
 * The cores are run directly where a number pins the meaning: the table
 * read at the cycle's own rate gives the cycle back, a sharp cycle read high
 * has no partial off the harmonics (no aliasing), an impulse convolved gives
 * the IR back and noise convolved equals the direct sum, mix glides. Whole
 * programs go through the engine with samples written into a temporary
 * root: the spectrum of a cycle played, an echo and a decay, a NaN inside a
 * sample, the errors for a missing, silent or patterned sample, and the
 * state taken over by a reload.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "spectrum.h"

#include "dsp_wavconv.h"
#include "engine.h"

enum { SR = 48000, N = 1 << 15, BLOCK = 256, CYC = 600 };

static float xin[N], yout[2][N], pv[N];
static unsigned char st[2][1 << 21] __attribute__((aligned(64)));
static char root[64];
static struct sample_bank *bank;

static void fill(float *x, float v)
{
    for (int i = 0; i < N; i++)
        x[i] = v;
}

/* ROOT/name/a.wav: x (n frames, mono, float, at SR). */
static void write_sample(const char *name, const float *x, long n)
{
    char dir[128], path[160];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/a.wav", dir);
    SF_INFO info = { .samplerate = SR, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    sf_writef_float(sf, x, n);
    sf_close(sf);
}

/* The test cycle: harmonics 1, 2, 3, 5 at 0.5, 0.25, 0.1, 0.05 (phases
 * apart) and a DC of 0.2, which the oscillator leaves out. */
static double cycle_at(double t)
{
    return 0.2 + 0.5 * sin(2 * M_PI * t) + 0.25 * cos(2 * M_PI * 2 * t) + 0.1 * sin(2 * M_PI * 3 * t + 1) +
           0.05 * sin(2 * M_PI * 5 * t + 2);
}

/* A naive saw of n points: every harmonic, 1/k. */
static void saw_cycle(float *x, int n)
{
    for (int i = 0; i < n; i++)
        x[i] = (float)(1.0 - 2.0 * i / n);
}

static void render(const char *src)
{
    assert_int_equal(fixture_render(src, "wavconv.ph", bank, SR, BLOCK, yout[0], yout[1], N), 0);
}

static double rms(const float *y, int a, int b)
{
    double e = 0;
    for (int i = a; i < b; i++)
        e += (double)y[i] * y[i];
    return sqrt(e / (b - a));
}

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/phonon-wavconv-XXXXXX");
    assert_non_null(mkdtemp(root));
    float x[4 * SR / 2];
    for (int i = 0; i < CYC; i++)
        x[i] = (float)cycle_at((double)i / CYC);
    write_sample("cyc", x, CYC);
    saw_cycle(x, 2048);
    write_sample("sawc", x, 2048);
    /* an echo: 0.5 now, 0.25 after 100 ms */
    memset(x, 0, sizeof x);
    x[0] = 0.5f;
    x[SR / 10] = 0.25f;
    write_sample("echo", x, SR / 10 + 1);
    /* a 1 kHz tone decaying 1/e per 100 ms, 0.5 s long (no DC: the
     * master's DC blocker leaves it alone) */
    for (int i = 0; i < SR / 2; i++)
        x[i] = (float)(0.5 * exp(-(double)i / (0.1 * SR)) * cos(2 * M_PI * 1000.0 * i / SR));
    write_sample("decay", x, SR / 2);
    /* a cycle and an IR holding NaN and Inf */
    for (int i = 0; i < CYC; i++)
        x[i] = i == 100 ? NAN : i == 200 ? INFINITY : (float)cycle_at((double)i / CYC);
    write_sample("badcyc", x, CYC);
    memset(x, 0, sizeof x);
    x[0] = 1;
    x[10] = NAN;
    x[20] = -INFINITY;
    write_sample("badir", x, 64);
    write_sample("silent", (float[64]){ 0 }, 64);
    write_sample("tiny", (float[2]){ 1, -1 }, 2);
    /* longer than a second: cut to the first */
    for (int i = 0; i < 4 * SR / 2; i++)
        x[i] = i % 4800 == 0 ? 0.1f : 0.0f;
    write_sample("long", x, 4 * SR / 2);
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1, .no_kit = 1, .warn = NULL };
    struct sample_error serr;
    bank = sample_bank_new(roots, 1, SR, &bo, &serr);
    assert_non_null(bank);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sample_bank_free(bank);
    static const char *const names[] = { "cyc", "sawc", "echo", "decay", "badcyc", "badir", "silent", "tiny", "long" };
    fixture_remove(root, names, sizeof names / sizeof *names);
    return 0;
}

/* ---- wavetable ----------------------------------------------------------------- */

static struct dsp_wavetable wt;

/* n frames of the table at freq[] from phase 0, in blocks of 100. */
static void run_wt(int n)
{
    float ph = 0;
    for (int f = 0; f < n; f += 100)
        dsp_wavetable_process(&wt, &ph, pv + f, yout[0] + f, f + 100 <= n ? 100 : n - f, SR);
}

/* Read at the cycle's own rate (SR / CYC Hz: one table cycle per CYC
 * frames), the oscillator gives the cycle back, less its DC. */
static void test_wavetable_gives_the_cycle(void **state)
{
    (void)state;
    float x[CYC];
    for (int i = 0; i < CYC; i++)
        x[i] = (float)cycle_at((double)i / CYC);
    assert_int_equal(dsp_wavetable_build(&wt, x, CYC, 1), 0);
    fill(pv, (float)SR / CYC);
    run_wt(4 * CYC);
    double worst = 0;
    for (int i = 0; i < 4 * CYC; i++)
        worst = fmax(worst, fabs(yout[0][i] - (cycle_at((double)(i % CYC) / CYC) - 0.2)));
    if (worst > 2e-4)
        print_error("the cycle read back differs by %g\n", worst);
    assert_true(worst <= 2e-4);
}

/* The built-in table is a sine (the peer's): one partial (at 439.45 Hz,
 * on a bin of the analysis, so that the window's side lobes stay out). */
static void test_wavetable_default_sine(void **state)
{
    (void)state;
    assert_int_equal(dsp_wavetable_build(&wt, NULL, 0, 1), 0);
    double f0 = 300.0 * SR / N;
    fill(pv, (float)f0);
    run_wt(N);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    assert_true(fabs(spectrum_peak_hz(&sp, 20, 20000) - f0) < 2);
    assert_true(fabs(spectrum_level_near(&sp, f0, 10)) < 0.01);
    assert_true(spectrum_nonharmonic_max(&sp, f0, 10, 20, 23000, NULL) < -110);
    assert_true(spectrum_level_near(&sp, 2 * f0, 10) < -110);
    spectrum_free(&sp);
}

/* A naive saw (every harmonic) read high: every partial lands on a
 * harmonic of f below Nyquist; what folds over stays 95 dB under the
 * fundamental. */
static void test_wavetable_band_limited(void **state)
{
    (void)state;
    float x[2048];
    saw_cycle(x, 2048);
    assert_int_equal(dsp_wavetable_build(&wt, x, 2048, 1), 0);
    static const float freqs[] = { 1234.5f, 3100, 5555, 9876, 15000 };
    for (size_t k = 0; k < sizeof freqs / sizeof *freqs; k++) {
        fill(pv, freqs[k]);
        run_wt(N);
        struct spectrum sp;
        assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
        double fund = spectrum_level_near(&sp, freqs[k], 10);
        double alias = spectrum_nonharmonic_max(&sp, freqs[k], 15, 20, 23900, NULL);
        if (fund - alias < 95)
            print_error("%g Hz: fundamental %.1f dB, loudest alias %.1f dB\n", (double)freqs[k], fund, alias);
        assert_true(fund > -8 && fund - alias >= 95);
        spectrum_free(&sp);
    }
    /* at a low note (93.75 Hz, on a bin) it keeps its harmonics to past
     * 10 kHz, each at 1/k (the 2nd at -6 dB, the 107th at -40.6 dB) */
    double f0 = 64.0 * SR / N;
    fill(pv, (float)f0);
    run_wt(N);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double h1 = spectrum_level_near(&sp, f0, 5);
    assert_true(fabs(spectrum_level_near(&sp, 2 * f0, 5) - h1 + 6.02) < 0.1);
    assert_true(fabs(spectrum_level_near(&sp, 107 * f0, 5) - h1 + 40.59) < 0.5);
    spectrum_free(&sp);
}

/* Frequency jumps and a sweep through every level: the output moves no
 * faster than the cycle at the higher frequency can (no click), and
 * extreme, NaN and infinite frequencies stay finite; above Nyquist the
 * oscillator is silent. */
static void test_wavetable_smooth_and_stable(void **state)
{
    (void)state;
    float x[CYC];
    for (int i = 0; i < CYC; i++)
        x[i] = (float)cycle_at((double)i / CYC);
    assert_int_equal(dsp_wavetable_build(&wt, x, CYC, 1), 0);
    for (int i = 0; i < N; i++)                         /* 20 Hz .. 20 kHz, exponential */
        pv[i] = (float)(20 * pow(1000, (double)i / N));
    run_wt(N);
    double worst = 0;
    for (int i = 1; i < N; i++) {
        /* the cycle's slope is at most 2 pi (0.5 + 0.5 + 0.3 + 0.25) per cycle */
        double bound = 2 * M_PI * 1.55 * pv[i] / SR + 1e-3;
        worst = fmax(worst, fabs(yout[0][i] - yout[0][i - 1]) / bound);
    }
    assert_true(worst <= 1.0);
    for (int i = 0; i < N; i++)
        pv[i] = i < 1000 ? 110 : i < 2000 ? 3520 : i < 3000 ? 55 : 110;
    run_wt(4000);
    for (int i = 1; i < 4000; i++)
        assert_true(fabsf(yout[0][i] - yout[0][i - 1]) <= 2 * (float)M_PI * 1.55f * 3520 / SR + 1e-3f);
    static const float wild[] = { NAN, INFINITY, -INFINITY, 1e30f, -1e30f, 0, -440, 23999, 1e6f };
    for (size_t k = 0; k < sizeof wild / sizeof *wild; k++) {
        fill(pv, wild[k]);
        run_wt(4096);
        for (int i = 0; i < 4096; i++)
            assert_true(isfinite(yout[0][i]) && fabsf(yout[0][i]) < 1.2f);
    }
    fill(pv, 30000);
    run_wt(4096);
    assert_true(rms(yout[0], 0, 4096) == 0);
    /* a cycle holding NaN and Inf builds finite tables */
    x[10] = NAN;
    x[20] = -INFINITY;
    assert_int_equal(dsp_wavetable_build(&wt, x, CYC, 1), 0);
    for (int m = 0; m < WT_LEVELS; m++)
        for (int i = 0; i < WT_N + WT_GUARD; i++)
            assert_true(isfinite(wt.t[m][i]));
}

/* The program: a sample's cycle at 187.5 Hz (on a bin) has the cycle's
 * harmonics at the cycle's levels (times 0.5) and nothing else; a pattern
 * of frequencies plays them in turn. */
static void test_wavetable_program(void **state)
{
    (void)state;
    render("out: wavetable 187.5 \"cyc\" * 0.5");
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    static const double want[][2] = { { 187.5, 0.25 }, { 375, 0.125 }, { 562.5, 0.05 }, { 937.5, 0.025 } };
    for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
        double got = spectrum_level_near(&sp, want[k][0], 10), db = 20 * log10(want[k][1]);
        if (fabs(got - db) > 0.05)
            print_error("%g Hz: %.2f dB, want %.2f\n", want[k][0], got, db);
        assert_true(fabs(got - db) <= 0.05);
    }
    assert_true(spectrum_level_near(&sp, 750, 10) < -90);
    assert_true(spectrum_nonharmonic_max(&sp, 187.5, 15, 20, 20000, NULL) < -90);
    spectrum_free(&sp);
    /* the peer's form: a pattern of frequencies, the built-in sine */
    render("out: wavetable \"110 220\" * 0.5");
    assert_int_equal(spectrum_init(&sp, yout[0], 16384, SR), 0);      /* the first half cycle */
    assert_true(fabs(spectrum_peak_hz(&sp, 20, 2000) - 110) < 3);
    spectrum_free(&sp);
    /* :sample, and a NaN inside the sample (loaded as 0): finite, sounding */
    render("out: wavetable :sample \"badcyc\" 300 * 0.5");
    assert_true(rms(yout[0], 0, N) > 0.1);
    for (int i = 0; i < N; i++)
        assert_true(isfinite(yout[0][i]));
}

/* ---- convolve ------------------------------------------------------------------ */

static struct dsp_conv_ir ir;
static float irmem[1 << 20] __attribute__((aligned(64)));

/* n frames of xin through the IR (channel 0) with mix pv, in blocks of 100. */
static void run_conv(int n)
{
    assert_true(dsp_conv_size(&ir) <= sizeof st[0]);
    memset(st[0], 0, sizeof st[0]);
    for (int f = 0; f < n; f += 100)
        dsp_conv_process(&ir, 0, st[0], xin + f, pv + f, yout[0] + f, f + 100 <= n ? 100 : n - f, SR);
}

static void make_ir(float *h, int len, uint32_t seed)
{
    for (int i = 0; i < len; i++) {
        seed = seed * 1664525u + 1013904223u;
        h[i] = (float)(((double)(seed >> 8) / (1 << 24) - 0.5) * exp(-3.0 * i / len));
    }
}

/* An impulse (at frame 0 and at a frame inside a partition) gives the IR
 * back to float error, at once (no latency); after the IR, silence. */
static void test_convolve_impulse_gives_ir(void **state)
{
    (void)state;
    static float h[3000];
    make_ir(h, 3000, 7);
    assert_true(dsp_conv_ir_mem(3000) <= sizeof irmem);
    dsp_conv_ir_build(&ir, h, 3000, 1, SR, irmem);
    assert_int_equal(ir.parts, 11);
    fill(pv, 1);
    static const int at[] = { 0, 1000 };
    for (size_t k = 0; k < 2; k++) {
        fill(xin, 0);
        xin[at[k]] = 1;
        run_conv(8192);
        double worst = 0;
        for (int i = 0; i < 8192; i++) {
            int j = i - at[k];
            worst = fmax(worst, fabs(yout[0][i] - (j >= 0 && j < 3000 ? h[j] : 0.0f)));
        }
        if (worst > 1e-6)
            print_error("impulse at %d: the IR differs by %g\n", at[k], worst);
        assert_true(worst <= 1e-6);
    }
}

/* Noise through a 1 s IR equals the direct convolution (double) to 1e-5
 * of its level; the built-in IR is the peer's room. */
static void test_convolve_equals_direct_sum(void **state)
{
    (void)state;
    static float h[SR];
    make_ir(h, SR, 3);
    dsp_conv_ir_build(&ir, h, SR, 1, SR, irmem);
    uint32_t seed = 11;
    for (int i = 0; i < N; i++) {
        seed = seed * 1664525u + 1013904223u;
        xin[i] = i < 3000 ? (float)((double)(seed >> 8) / (1 << 24) - 0.5) : 0.0f;
    }
    fill(pv, 1);
    run_conv(N);
    double worst = 0, level = 0;
    for (int i = 0; i < N; i += 7) {
        double s = 0;
        for (int j = 0; j < 3000 && j <= i; j++)
            s += (double)xin[j] * (i - j < SR ? h[i - j] : 0.0f);
        worst = fmax(worst, fabs(yout[0][i] - s));
        level = fmax(level, fabs(s));
    }
    if (worst > 1e-5 * level)
        print_error("partitioned vs direct: %g (level %g)\n", worst, level);
    assert_true(worst <= 1e-5 * level);
    /* the built-in room: the direct sound, a reflection at 21 ms, the tail */
    dsp_conv_ir_build(&ir, NULL, 0, 1, SR, irmem);
    assert_int_equal(ir.len, SR / 2);
    fill(xin, 0);
    xin[0] = 1;
    run_conv(N);
    assert_true(fabsf(yout[0][0] - 1) < 1e-6f);
    assert_true(fabsf(yout[0][1008] - (0.6f + 0.05f * expf(-3.0f * 1008 / SR))) < 1e-5f);
    assert_true(fabsf(yout[0][12000] - 0.05f * expf(-3.0f * 0.25f)) < 1e-5f);
    assert_true(fabsf(yout[0][SR / 2 + 10]) < 1e-6f);
}

/* mix moves from dry to wet over about 5 ms, never in a step; NaN and
 * infinite inputs and mixes stay finite. */
static void test_convolve_mix_and_stability(void **state)
{
    (void)state;
    float h[1] = { 0.5f };
    dsp_conv_ir_build(&ir, h, 1, 1, SR, irmem);
    fill(xin, 1);
    for (int i = 0; i < N; i++)
        pv[i] = i < 1000 ? 0.0f : 1.0f;
    run_conv(4000);
    assert_true(fabsf(yout[0][999] - 1) < 1e-6f && fabsf(yout[0][3999] - 0.5f) < 1e-3f);
    for (int i = 1; i < 4000; i++)
        assert_true(fabsf(yout[0][i] - yout[0][i - 1]) < 0.5f / 200);
    static float big[SR];
    make_ir(big, SR, 5);
    dsp_conv_ir_build(&ir, big, SR, 1, SR, irmem);
    static const float wild[] = { NAN, INFINITY, -INFINITY, 1e30f };
    for (size_t k = 0; k < 4; k++) {
        fill(xin, 0.5f);
        xin[100] = wild[k];
        fill(pv, wild[k]);
        run_conv(8192);
        for (int i = 0; i < 8192; i++)
            assert_true(isfinite(yout[0][i]));
    }
}

/* The program: an echo IR puts the impulse back at 0.5 and 100 ms later at
 * 0.25; a decaying IR decays 1/e per 100 ms; the built-in IR (the peer's
 * form, no sample) sounds; a NaN in the IR is loaded as 0; longer than 1 s
 * it is cut (and the program runs). */
static void test_convolve_program(void **state)
{
    (void)state;
    enum { AT = SR / 4 };                               /* impulse 4: the first at 0.25 s */
    render("out: impulse 4 # convolve \"echo\"");
    assert_true(fabsf(yout[0][AT] - 0.5f) < 0.01f);
    assert_true(fabsf(yout[0][AT + SR / 10] - 0.25f) < 0.01f);
    assert_true(fabsf(yout[0][AT + SR / 20]) < 0.01f);
    render("out: impulse 4 # convolve \"decay\"");
    double r0 = rms(yout[0], AT, AT + SR / 100);
    assert_true(fabs(r0 - 0.5 * sqrt(0.5) * 0.95) < 0.03);          /* 10 ms of 0.5 cos, decaying 5 % */
    assert_true(fabs(rms(yout[0], AT + SR / 10, AT + SR / 10 + SR / 100) / r0 - exp(-1)) < 0.01);
    assert_true(fabs(rms(yout[0], AT + SR / 5, AT + SR / 5 + SR / 100) / r0 - exp(-2)) < 0.01);
    render("~kick: saw \"55 ~ 82.5 ~\" * 0.6\nout: convolve ~kick * 0.05");
    assert_true(rms(yout[0], SR / 4, N) > 0.01);
    render("out: impulse 4 # convolve :sample \"badir\" :mix 1 * 0.5");
    assert_true(fabsf(yout[0][AT] - 0.5f) < 0.01f);
    for (int i = 0; i < N; i++)
        assert_true(isfinite(yout[0][i]));
    render("out: saw 110 * 0.1 # convolve \"long\" 0.5");
    assert_true(rms(yout[0], 0, N) > 0.01);
}

/* ---- both: errors and reloads ----------------------------------------------------- */

static void expect_error(const char *src, const char *says)
{
    struct lang_error err = { .file = "x.ph" };
    struct lang_ast *ast = lang_parse(src, strlen(src), "x.ph", &err);
    assert_non_null(ast);
    struct graph_opts go = { .sample_rate = SR, .block = BLOCK, .bank = bank };
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    if (p || !strstr(err.msg, says)) {
        print_error("%s: %s (want \"%s\")\n", src, p ? "compiled" : err.msg, says);
        program_free(p);
        fail();
    }
}

static void test_sample_errors(void **state)
{
    (void)state;
    expect_error("out: wavetable 110 \"nosuch:2\"", "unknown sample name 'nosuch'");
    expect_error("out: saw 110 # convolve \"nosuch\"", "convolve: unknown sample name 'nosuch'");
    expect_error("out: wavetable 110 \"silent\"", "silent");
    expect_error("out: saw 110 # convolve \"silent\"", "silent");
    expect_error("out: wavetable 110 \"tiny\"", "at least 3");
    expect_error("out: saw 110 # convolve \"<echo decay>\"", "not a pattern");
    expect_error("out: wavetable 110 \"cyc:x\"", "not a sample");
    expect_error("out: saw 110 # convolve \"echo\" 0.5 2", "convolve");
}

/* A reload keeps a node's state when its key and size match: the phase,
 * the convolver's delay line (also when the IR changes, same length). */
static void test_state_carried(void **state)
{
    (void)state;
    static const char *const src[] = {
        "out: wavetable 110 \"cyc\" + (saw 110 # convolve \"echo\")",
        "out: wavetable 220 \"sawc\" + (saw 110 # convolve \"echo\" 0.5)",
        "out: wavetable 220 \"sawc\" + (saw 110 # convolve \"decay\" 0.5)",
    };
    struct program *p[3];
    for (int i = 0; i < 3; i++)
        assert_non_null(p[i] = fixture_compile(src[i], "x.ph", bank, SR, BLOCK));
    program_carry_state(p[1], p[0]);
    program_carry_state(p[2], p[1]);
    const void *wt_st[3] = { 0 }, *cv_st[3] = { 0 };
    for (int i = 0; i < 3; i++)
        for (int k = 0; k < p[i]->nnodes; k++) {
            if (p[i]->nodes[k].kind == N_WAVETABLE)
                wt_st[i] = p[i]->nodes[k].state;
            if (p[i]->nodes[k].kind == N_CONVOLVE)
                cv_st[i] = p[i]->nodes[k].state;
        }
    assert_non_null(wt_st[0]);
    assert_non_null(cv_st[0]);
    assert_ptr_equal(wt_st[1], wt_st[0]);
    assert_ptr_equal(wt_st[2], wt_st[0]);
    assert_ptr_equal(cv_st[1], cv_st[0]);
    assert_ptr_not_equal(cv_st[2], cv_st[1]);          /* a longer IR: a delay line of another size */
    for (int i = 2; i >= 0; i--)
        program_free(p[i]);
}

int main(void)
{
    dsp_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wavetable_gives_the_cycle),
        cmocka_unit_test(test_wavetable_default_sine),
        cmocka_unit_test(test_wavetable_band_limited),
        cmocka_unit_test(test_wavetable_smooth_and_stable),
        cmocka_unit_test(test_wavetable_program),
        cmocka_unit_test(test_convolve_impulse_gives_ir),
        cmocka_unit_test(test_convolve_equals_direct_sum),
        cmocka_unit_test(test_convolve_mix_and_stability),
        cmocka_unit_test(test_convolve_program),
        cmocka_unit_test(test_sample_errors),
        cmocka_unit_test(test_state_carried),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
