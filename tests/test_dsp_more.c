/* tests/test_dsp_more.c -- issue 13's DSP vocabulary (dsp_more.c and the
 * rows of SOUND_FNS_DSP), measured on rendered audio.
 *
 * The cores are run directly (dsp_more_process) where a number on the
 * output pins the meaning: echo times and gains of comb, flanger and
 * pingpong, the impulse count, the blip's flat band-limited spectrum, the
 * tremolo's depth, vibrato's pitch swing, lag's time constant, latch,
 * schmidt, wrap, xline, asr. Every op is driven with extreme and NaN
 * parameters and must stay finite and bounded. Whole programs are rendered
 * through the engine for the filter rows (resonance where it is asked for),
 * the noise colours, and the standalone form (flanger ~in ...).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "spectrum.h"

#include "engine.h"

enum { SR = 48000, N = 1 << 15, BLOCK = 256 };

static float xin[N], yout[2][N], pv[DSP_MORE_MAX_P][N];
static unsigned char st[2][1 << 23] __attribute__((aligned(64)));

static void fill(float *x, float v)
{
    for (int i = 0; i < N; i++)
        x[i] = v;
}

/* Run op over N frames of xin with constant parameters (NAN: leave pv[i]). */
static void run(int op, const float *params, int np)
{
    assert_true(dsp_more_size(op, SR) <= sizeof st[0]);
    dsp_more_init(op, st[0], SR);
    for (int i = 0; i < np; i++)
        if (!isnan(params[i]))
            fill(pv[i], params[i]);
    struct dsp_more_io io = { .x = { xin, xin }, .y = { yout[0], yout[1] }, .n = N, .sr = SR };
    for (int i = 0; i < DSP_MORE_MAX_P; i++)
        io.p[i] = pv[i];
    for (int f = 0; f < N; f += 100) {           /* in odd-sized blocks */
        struct dsp_more_io b = io;
        b.n = f + 100 <= N ? 100 : N - f;
        b.frames_per_cycle = SR;                 /* one cycle a second */
        b.cycle0 = (double)f / SR;
        b.x[0] += f;
        b.x[1] += f;
        b.y[0] += f;
        b.y[1] += f;
        for (int i = 0; i < DSP_MORE_MAX_P; i++)
            b.p[i] += f;
        dsp_more_process(op, st[0], &b);
    }
}

static void render(const char *src, int frames);

static void impulse_in(int at)
{
    fill(xin, 0);
    xin[at] = 1;
}

static void assert_near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol)) {
        print_error("%s: got %.5f, want %.5f +- %.5f\n", what, got, want, tol);
        fail();
    }
}

/* ---- resonators and delays: echo times and gains ----------------------------------- */

static void test_comb_echoes(void **state)
{
    (void)state;
    impulse_in(100);
    run(DSP_MORE_COMB, (const float[]){ 480, 0.5f }, 2);      /* 100 samples */
    assert_near(yout[0][100], 1, 1e-6, "comb dry");
    assert_near(yout[0][200], 0.5, 1e-3, "comb first echo");
    assert_near(yout[0][300], 0.25, 1e-3, "comb second echo");
    assert_near(yout[0][250], 0, 1e-3, "comb between echoes");
}

static void test_flanger_echo(void **state)
{
    (void)state;
    impulse_in(100);
    run(DSP_MORE_FLANGER, (const float[]){ 0, 0.5f, 0.5f }, 3);  /* depth 0: 3 ms */
    assert_near(yout[0][100], 0.5, 1e-6, "flanger dry half");
    assert_near(yout[0][100 + 144], 0.5, 0.02, "flanger wet at 3 ms");
    assert_near(yout[0][100 + 288], 0.25, 0.02, "flanger fed back at 6 ms");
}

static void test_pingpong_alternates(void **state)
{
    (void)state;
    impulse_in(0);
    /* 0.1 s, feedback 0.5, width 1, input left, all wet */
    run(DSP_MORE_PINGPONG, (const float[]){ 0.1f, 0.5f, 1, 0, 1 }, 5);
    int T = 4800;
    assert_near(yout[0][T], 1, 0.02, "first echo left");
    assert_near(yout[1][T], 0, 0.01, "nothing right at T");
    assert_near(yout[1][2 * T], 0.5, 0.02, "second echo right");
    assert_near(yout[0][2 * T], 0, 0.01, "nothing left at 2T");
}

static void test_impulse_count_and_blip_band_limited(void **state)
{
    (void)state;
    fill(xin, 0);
    run(DSP_MORE_IMPULSE, (const float[]){ 100 }, 1);
    int k = 0;
    for (int i = 0; i < SR / 2; i++)
        k += yout[0][i] == 1.0f;
    assert_int_equal(k, 50);                     /* 100 per second */
    run(DSP_MORE_BLIP, (const float[]){ 1000 }, 1);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double h1 = spectrum_level_near(&sp, 1000, 30), h10 = spectrum_level_near(&sp, 10000, 30);
    double h23 = spectrum_level_near(&sp, 23000, 30);
    assert_near(h10 - h1, 0, 1.0, "blip: harmonics equal");
    assert_near(h23 - h1, 0, 1.0, "blip: harmonic 23 there");
    assert_true(spectrum_nonharmonic_max(&sp, 1000, 60, 100, 23500, NULL) < h1 - 50);   /* no aliases */
    spectrum_free(&sp);
}

/* ---- modulation ----------------------------------------------------------------------------- */

static void test_tremolo_depth(void **state)
{
    (void)state;
    fill(xin, 1);
    run(DSP_MORE_TREMOLO, (const float[]){ 4, 1 }, 2);
    float lo = 2, hi = -2;
    for (int i = 0; i < N; i++) {
        lo = fminf(lo, yout[0][i]);
        hi = fmaxf(hi, yout[0][i]);
    }
    assert_near(lo, 0, 1e-3, "tremolo depth 1 reaches 0");
    assert_near(hi, 1, 1e-3, "tremolo peaks at 1");
    run(DSP_MORE_TREMOLO, (const float[]){ 4, 0 }, 2);
    assert_near(yout[0][N / 3], 1, 1e-6, "tremolo depth 0 is unity");
}

/* Zero crossings of yout[0] over [a, a + len). */
static int crossings(int a, int len)
{
    int k = 0;
    for (int i = a + 1; i < a + len; i++)
        k += (yout[0][i - 1] < 0) != (yout[0][i] < 0);
    return k;
}

static void test_vibrato_swings_pitch(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++)
        xin[i] = (float)sin(2 * M_PI * 1000 * i / SR);
    run(DSP_MORE_VIBRATO, (const float[]){ 2, 1 }, 2);
    int lo = 1 << 30, hi = 0;
    for (int a = 2400; a + 2400 <= N; a += 1200) {      /* 50 ms windows */
        int k = crossings(a, 2400);
        lo = k < lo ? k : lo;
        hi = k > hi ? k : hi;
    }
    assert_true(hi - lo >= 2);                           /* the pitch moves */
    run(DSP_MORE_VIBRATO, (const float[]){ 2, 0 }, 2);
    assert_int_equal(crossings(2400, 2400), 100);        /* depth 0: 1000 Hz */
}

static void test_phaser_and_allpass(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++)
        xin[i] = (float)sin(2 * M_PI * 440 * i / SR);
    run(DSP_MORE_ALLPASS, (const float[]){ 0.7f }, 1);
    double e = 0;
    for (int i = N / 2; i < N; i++)
        e += (double)yout[0][i] * yout[0][i];
    assert_near(e / (N / 2), 0.5, 0.01, "allpass keeps the level");
    run(DSP_MORE_PHASER, (const float[]){ 1, 1, 0, 4 }, 4);
    float lo = 2, hi = 0;                                /* the notch moves over 440 Hz */
    for (int a = 0; a + 480 <= N; a += 480) {
        float m = 0;
        for (int i = a; i < a + 480; i++)
            m = fmaxf(m, fabsf(yout[0][i]));
        lo = fminf(lo, m);
        hi = fmaxf(hi, m);
    }
    assert_true(lo < 0.5f * hi);
}

static void test_ring_and_pm(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++)
        xin[i] = (float)sin(2 * M_PI * 1000 * i / SR);
    run(DSP_MORE_RING, (const float[]){ 200 }, 1);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    assert_near(spectrum_level_near(&sp, 800, 20), -6, 1.5, "ring: lower sideband");
    assert_near(spectrum_level_near(&sp, 1200, 20), -6, 1.5, "ring: upper sideband");
    assert_true(spectrum_level_near(&sp, 1000, 20) < -60);
    spectrum_free(&sp);
}

/* ---- control signals -------------------------------------------------------------------- */

static void test_lag_time_constant(void **state)
{
    (void)state;
    fill(xin, 1);
    run(DSP_MORE_LAG, (const float[]){ 0.01f }, 1);
    assert_near(yout[0][480 - 1], 1 - exp(-1), 0.01, "lag reaches 63% after one time constant");
    run(DSP_MORE_LAG, (const float[]){ 0 }, 1);
    assert_near(yout[0][0], 1, 0, "lag 0 passes");
}

static void test_latch_schmidt_wrap(void **state)
{
    (void)state;
    for (int i = 0; i < N; i++) {
        xin[i] = (float)i;
        pv[0][i] = i % 1000 == 500 ? 1.0f : 0.0f;
    }
    run(DSP_MORE_LATCH, (const float[]){ NAN }, 1);
    assert_near(yout[0][1499], 500, 0, "latch holds");
    assert_near(yout[0][1500], 1500, 0, "latch takes the next");
    for (int i = 0; i < N; i++)
        xin[i] = (float)sin(2 * M_PI * i / 4800.0);
    run(DSP_MORE_SCHMIDT, (const float[]){ 0.5f, -0.5f }, 2);
    assert_near(yout[0][400], 0, 0, "below high");
    assert_near(yout[0][500], 1, 0, "above high");
    assert_near(yout[0][2400 + 200], 1, 0, "held through the middle");
    assert_near(yout[0][2400 + 500], 0, 0, "below low");
    for (int i = 0; i < N; i++)
        xin[i] = (float)i * 0.001f - 3.0f;
    run(DSP_MORE_WRAP, (const float[]){ 0, 1 }, 2);
    for (int i = 0; i < N; i++)
        assert_true(yout[0][i] >= 0 && yout[0][i] < 1);
    assert_near(yout[0][3250], 0.25, 1e-4, "wrap 0.25");
}

static void test_xline_asr_env(void **state)
{
    (void)state;
    fill(xin, 0);
    run(DSP_MORE_XLINE, (const float[]){ 1000, 10, 0.5f }, 3);
    assert_near(yout[0][0], 1000, 1e-3, "xline start");
    assert_near(yout[0][12000], 100, 1.0, "xline halfway is the geometric mean");
    assert_near(yout[0][N - 1], 10, 0, "xline end");
    for (int i = 0; i < N; i++)
        pv[0][i] = i < 9600 ? 1.0f : 0.0f;
    run(DSP_MORE_ASR, (const float[]){ NAN, 0.1f, 0.1f }, 3);
    assert_near(yout[0][2400 - 1], 0.5, 0.01, "asr halfway up");
    assert_near(yout[0][9000], 1, 0, "asr sustains");
    assert_near(yout[0][9600 + 2400], 0.5, 0.01, "asr halfway down");
    assert_near(yout[0][N - 1], 0, 0, "asr ends");
    fill(xin, 1);
    run(DSP_MORE_ENV, (const float[]){ 0.01f, 0.01f, 0.3f, 0.1f }, 4);
    assert_near(yout[0][480], 1, 0.01, "env peak after the attack");
    assert_near(yout[0][N - 1], 0.3, 0.01, "env settles at sustain");
}

static void test_formant_pluck_multitap_limiter_reverb(void **state)
{
    (void)state;
    uint32_t rng = 7;
    for (int i = 0; i < N; i++)
        xin[i] = 0.1f * dsp_noise_tick(&rng);
    run(DSP_MORE_FORMANT, (const float[]){ 730, 1090, 2440, 40, 40, 40 }, 6);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double f1 = spectrum_band_power_db(&sp, 710, 750), off = spectrum_band_power_db(&sp, 1500, 1700);
    assert_true(f1 > off + 15);
    assert_true(spectrum_band_power_db(&sp, 2420, 2460) > off + 15);
    spectrum_free(&sp);

    fill(xin, 0);
    run(DSP_MORE_PLUCK, (const float[]){ 220, 0.5f }, 2);
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    assert_near(spectrum_peak_hz(&sp, 100, 2000), 220, 3, "pluck pitch");
    spectrum_free(&sp);
    double e0 = 0, e1 = 0;
    for (int i = 0; i < N / 4; i++) {
        e0 += (double)yout[0][i] * yout[0][i];
        e1 += (double)yout[0][N - 1 - i] * yout[0][N - 1 - i];
    }
    assert_true(e0 > 0.1 && e1 < e0 * 0.5);          /* it sounds, then decays */

    impulse_in(0);
    run(DSP_MORE_MULTITAP, (const float[]){ 0.01f, 4, 0, 1 }, 4);  /* taps at 480, 960, 1440, 1920 */
    assert_near(yout[0][480], 1.0 / 4, 0.01, "multitap 1");
    assert_near(yout[0][960], 0.5 / 4, 0.01, "multitap 2");
    assert_near(yout[0][1920], 0.25 / 4, 0.01, "multitap 4");
    assert_near(yout[0][2400], 0, 0.01, "multitap: only 4 taps");

    for (int i = 0; i < N; i++)
        xin[i] = (float)sin(2 * M_PI * 100 * i / SR) * (i < N / 2 ? 1.0f : 0.2f);
    run(DSP_MORE_LIMITER, (const float[]){ 0.5f, 0.005f, 0.05f }, 3);
    float m = 0;
    for (int i = 0; i < N; i++)
        m = fmaxf(m, fabsf(yout[0][i]));
    assert_true(m <= 0.5f);
    assert_near(m, 0.5, 0.01, "limiter reaches the threshold");
    float late = 0;
    for (int i = N - 4800; i < N; i++)
        late = fmaxf(late, fabsf(yout[0][i]));
    assert_near(late, 0.2, 0.005, "limiter releases: quiet input untouched");

    double tail[2];
    for (int k = 0; k < 2; k++) {
        impulse_in(0);
        run(DSP_MORE_REVERB_ST, (const float[]){ 1, k ? 4.0f : 0.5f }, 2);
        tail[k] = 0;
        for (int i = SR / 2; i < N; i++)
            tail[k] += (double)yout[0][i] * yout[0][i] + (double)yout[1][i] * yout[1][i];
    }
    assert_true(tail[1] > tail[0] * 100);            /* a longer time rings longer */
}

static void test_dynamics_and_control(void **state)
{
    (void)state;
    fill(xin, 0);
    run(DSP_MORE_PHASOR, (const float[]){ 2 }, 1);
    assert_near(yout[0][SR / 4 - 1], 0.5, 1e-3, "phasor halfway at a quarter cycle (speed 2)");
    assert_near(yout[0][SR / 2], 0, 1e-6, "phasor restarts");
    for (int i = 0; i < N; i++)
        xin[i] = (float)sin(2 * M_PI * 1000 * i / SR) * (i < N / 2 ? 1.0f : 0.5f);
    run(DSP_MORE_RMS, (const float[]){ 0.01f }, 1);
    assert_near(yout[0][N / 4], M_SQRT1_2, 0.005, "rms of a sine");
    assert_near(yout[0][N - 1], 0.5 * M_SQRT1_2, 0.005, "rms follows the level");
    run(DSP_MORE_PEAK, (const float[]){ 0.0001f, 0.5f }, 2);
    assert_near(yout[0][N / 4], 1, 0.02, "peak_follower holds the peak");
    /* sidechain: a loud side signal ducks the input by (1 - 1/ratio) of the excess */
    fill(xin, 0.5f);
    fill(pv[0], 1);
    run(DSP_MORE_SIDECHAIN, (const float[]){ NAN, -20, 4, 0.001f, 0.1f }, 5);
    assert_near(yout[0][N - 1], 0.5 * pow(10, -15.0 / 20), 0.005, "sidechain: 20 dB over, ratio 4: -15 dB");
    fill(pv[0], 0);
    run(DSP_MORE_SIDECHAIN, (const float[]){ NAN, -20, 4, 0.001f, 0.1f }, 5);
    assert_near(yout[0][N - 1], 0.5, 1e-6, "sidechain: quiet side, no change");
    run(DSP_MORE_EXPANDER, (const float[]){ -20, 2, 0.001f, 0.1f }, 4);
    assert_near(yout[0][N - 1], 0.5 * pow(10, (20 * log10(0.5) + 20) / 20), 0.02,
                "expander: 14 dB over at ratio 2 gains 14 dB");
    impulse_in(1000);
    for (int i = 1000; i < N; i++)
        xin[i] = 0.5f;                                  /* a step: an onset, then sustain */
    run(DSP_MORE_TSHAPER, (const float[]){ 12, -12 }, 2);
    assert_true(yout[0][1001] > 1.0f);                  /* the onset boosted */
    assert_near(yout[0][N - 1], 0.5 * pow(10, -12.0 / 20), 0.01, "tshaper sustain cut");
    fill(xin, 0);
    run(DSP_MORE_CURVE, (const float[]){ 0, 1, 0.5f, 0 }, 4);
    assert_near(yout[0][12000 - 1], 0.5, 1e-3, "curve 0 is linear");
    run(DSP_MORE_CURVE, (const float[]){ 0, 1, 0.5f, -4 }, 4);
    assert_near(yout[0][12000 - 1], (exp(-2.0) - 1) / (exp(-4.0) - 1), 1e-3, "curve -4 is fast then slow");
    for (int i = 0; i < N; i++)
        pv[0][i] = (float)sin(2 * M_PI * 100 * i / SR);
    for (int i = 0; i < N; i++)
        pv[1][i] = 0.25f;
    run(DSP_MORE_FMCROSS, (const float[]){ NAN, NAN, 1 }, 3);
    assert_near(yout[0][120], 0, 1e-4, "fmcrossmod: cos(pi/2) = 0");
    uint32_t rng = 3;
    for (int i = 0; i < N; i++)
        xin[i] = 0.1f * dsp_noise_tick(&rng);
    run(DSP_MORE_DJF, (const float[]){ 0 }, 1);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    assert_true(spectrum_band_power_db(&sp, 4000, 8000) < spectrum_band_power_db(&sp, 20, 60) - 30);
    spectrum_free(&sp);
    run(DSP_MORE_DJF, (const float[]){ 1 }, 1);
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    assert_true(spectrum_band_power_db(&sp, 100, 300) < spectrum_band_power_db(&sp, 10000, 20000) - 30);
    spectrum_free(&sp);
}

static void test_additive_partials(void **state)
{
    (void)state;
    fill(xin, 0);
    run(DSP_MORE_ADDITIVE, (const float[]){ 1000, 1, 0.5f, 0.25f, 0, 0 }, 6);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double h1 = spectrum_level_near(&sp, 1000, 20);
    assert_near(h1, 20 * log10(1 / 1.75), 1, "additive: partial 1 normalised");
    assert_near(spectrum_level_near(&sp, 2000, 20) - h1, -6.02, 0.5, "additive: partial 2");
    assert_near(spectrum_level_near(&sp, 3000, 20) - h1, -12.04, 0.5, "additive: partial 3");
    spectrum_free(&sp);
    run(DSP_MORE_ADDITIVE, (const float[]){ 10000, 1, 1, 1, 0, 0 }, 6);  /* 30 kHz left out */
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    assert_true(spectrum_level_near(&sp, 18000, 100) < -100);
    spectrum_free(&sp);
    /* the string form compiles to the same amplitudes */
    render("out: additive 1000 \"1 0.5 0.25\" * 0.5", N);
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    assert_near(spectrum_level_near(&sp, 2000, 20) - spectrum_level_near(&sp, 1000, 20), -6.02, 0.5,
                "additive string form");
    spectrum_free(&sp);
}

static void test_tapedelay_and_eq(void **state)
{
    (void)state;
    impulse_in(0);
    /* no wobble, no saturation: the echo at 0.1 s through the loop's low-pass */
    run(DSP_MORE_TAPEDELAY, (const float[]){ 0.1f, 0.5f, 0.1f, 0, 5, 0, 0, 1 }, 8);
    float m = 0;
    int at = 0;
    for (int i = 1; i < 9600; i++)
        if (fabsf(yout[0][i]) > m) {
            m = fabsf(yout[0][i]);
            at = i;
        }
    assert_true(at >= 4800 && at <= 4802);
    assert_near(m, 0.3, 0.02, "tape echo through the loop filter (1 - 0.7)");
    for (int i = 0; i < N; i++)
        xin[i] = (float)sin(2 * M_PI * 1000 * i / SR) * 0.1f;
    run(DSP_MORE_PEQ, (const float[]){ 100, 0, 1, 1000, 12, 2, 4000, 0, 1 }, 9);
    double e = 0;
    for (int i = N / 2; i < N; i++)
        e += (double)yout[0][i] * yout[0][i];
    assert_near(20 * log10(sqrt(e / (N / 2)) / (0.1 * M_SQRT1_2)), 12, 0.3, "eq: +12 dB at its frequency");
    run(DSP_MORE_PEQ, (const float[]){ 100, 0, 1, 4000, 12, 4, 8000, -12, 4 }, 9);
    e = 0;
    for (int i = N / 2; i < N; i++)
        e += (double)yout[0][i] * yout[0][i];
    assert_near(20 * log10(sqrt(e / (N / 2)) / (0.1 * M_SQRT1_2)), 0, 0.5, "eq: far bands leave 1 kHz");
}

static void test_supersaw_voices(void **state)
{
    (void)state;
    fill(xin, 0);
    run(DSP_MORE_SUPERSAW, (const float[]){ 1000, 0.5f, 3 }, 3);      /* 950, 1000, 1050 Hz */
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double want = 20 * log10(0.7 / 3);                  /* each saw's fundamental: 2/pi * 0.7/3 */
    want += 20 * log10(2 / M_PI);
    assert_near(spectrum_level_near(&sp, 950, 10), want, 1.0, "supersaw low voice");
    assert_near(spectrum_level_near(&sp, 1000, 10), want, 1.0, "supersaw middle voice");
    assert_near(spectrum_level_near(&sp, 1050, 10), want, 1.0, "supersaw high voice");
    assert_true(spectrum_level_near(&sp, 1025, 5) < want - 20);
    spectrum_free(&sp);
}

/* ---- every op, every parameter extreme: finite and bounded -------------------------------- */

static void test_every_op_stable_at_extremes(void **state)
{
    (void)state;
    static const float ext[] = { 0, 1e9f, -1e9f, NAN, INFINITY, 1e-9f, 0.5f, 20000, -1 };
    uint32_t rng = 1;
    for (int op = 0; op < DSP_PEER_FIRST; op++) {          /* the rest: test_dsp_peer.c */
        for (int trial = 0; trial < 12; trial++) {
            for (int i = 0; i < N; i++)
                xin[i] = i % 977 == 0 ? NAN : dsp_noise_tick(&rng);
            for (int k = 0; k < DSP_MORE_MAX_P; k++)
                for (int i = 0; i < N; i++)       /* a new extreme every 64 frames */
                    pv[k][i] = ext[(uint32_t)((i >> 6) * 7 + k * 3 + trial * 5 + op) % 9];
            run(op, (const float[]){ NAN, NAN, NAN, NAN, NAN, NAN }, 6);
            float m = 0;
            for (int ch = 0; ch < (dsp_more_flags(op) & DSP_MORE_ST ? 2 : 1); ch++)
                for (int i = 0; i < N; i++) {
                    if (!isfinite(yout[ch][i])) {
                        print_error("%s: not finite at %d (trial %d)\n", dsp_more_name(op), i, trial);
                        fail();
                    }
                    m = fmaxf(m, fabsf(yout[ch][i]));
                }
            /* comb's resonance may reach 1 / (1 - 0.99); control ops pass values through */
            float bound = op == DSP_MORE_COMB ? 1e4f
                        : op == DSP_MORE_XLINE || op == DSP_MORE_WRAP || op == DSP_MORE_XFADE ||
                          op == DSP_MORE_IF || op == DSP_MORE_FMCROSS || op == DSP_MORE_CURVE ? 1e9f
                        : op == DSP_MORE_EXPANDER || op == DSP_MORE_TSHAPER ? 101      /* +40 dB at most */
                        : op == DSP_MORE_PEQ ? 1e4f : 20;                             /* 3 x +24 dB */
            if (!(m <= bound)) {
                print_error("%s: peak %g (trial %d)\n", dsp_more_name(op), (double)m, trial);
                fail();
            }
        }
    }
}

/* ---- whole programs --------------------------------------------------------------------------- */

/* Render src for `frames` frames; left channel into yout[0]. */
static void render(const char *src, int frames)
{
    assert_int_equal(fixture_render(src, "more.ph", NULL, SR, BLOCK, yout[0], yout[1], frames), 0);
}

static double level_near(double hz)
{
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double l = spectrum_level_near(&sp, hz, 15);
    spectrum_free(&sp);
    return l;
}

static double band(double lo, double hi)
{
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double l = spectrum_band_power_db(&sp, lo, hi);
    spectrum_free(&sp);
    return l;
}

static void test_filter_rows_resonate(void **state)
{
    (void)state;
    /* saw 110: harmonic 9 (990 Hz) is 9.5 dB under harmonic 3 (330 Hz); a
     * resonance of Q 8 at 1 kHz lifts it above */
    render("out: saw 110 * 0.1 # rlpf 1000 8", N);
    assert_true(level_near(990) > level_near(330) + 6);
    render("out: saw 110 * 0.1 # rhpf 2000 1", N);
    assert_true(level_near(110) < level_near(2200) - 20);
    render("out: white_noise * 0.1 # resonz 3000 30", N);
    assert_true(band(2900, 3100) > band(1000, 1200) + 20);
    render("out: white_noise * 0.1 # bq_lp 500 0.707", N);
    assert_true(band(4000, 8000) < band(125, 250) - 30);
    render("out: saw 55 * 0.5 # moog_ladder (sine 0.5 * 2000 + 2100) 0.9", N);
    render("out: white_noise * 0.1 # svf_bp (\"200 8000\" * 1) 50", N);   /* patterned, extreme Q */
}

static void test_noise_colours(void **state)
{
    (void)state;
    /* mean power density: white flat, pink -3 dB per octave, brown -6 dB
     * (four octaves: 250-500 Hz against 4-8 kHz) */
    render("out: white_noise * 0.1", N);
    assert_near(band(4000, 8000) - band(250, 500), 0, 3, "white");
    render("out: pink_noise * 0.2", N);
    assert_near(band(4000, 8000) - band(250, 500), -12, 3, "pink");
    render("out: brown_noise * 0.2", N);
    assert_near(band(4000, 8000) - band(250, 500), -24, 4, "brown");
}

static void test_standalone_form(void **state)
{
    (void)state;
    /* the input as the first argument equals the chain */
    render("~in: saw 220 * 0.2\nout: tremolo ~in 4 1", N);
    memcpy(yout[1], yout[0], sizeof yout[0]);
    static float a[N];
    memcpy(a, yout[0], sizeof a);
    render("~in: saw 220 * 0.2\nout: ~in # tremolo 4 1", N);
    for (int i = 0; i < N; i++)
        assert_true(a[i] == yout[0][i]);
    double e = 0;
    for (int i = 0; i < N; i++)
        e += (double)a[i] * a[i];
    assert_true(e > 1);                                  /* it sounds */
    struct lang_error err = { .file = "x.ph" };
    const char *src = "out: lpf 800 0.7";               /* numbers stay the chain error */
    struct lang_ast *ast = lang_parse(src, strlen(src), "x.ph", &err);
    struct graph_opts go = { .sample_rate = SR, .block = BLOCK };
    assert_null(graph_compile(ast, &go, &err));
    assert_non_null(strstr(err.msg, "chain it"));
    lang_ast_free(ast);
}

/* Plug-in hosts and MIDI input are refused, saying why. */
static void test_out_of_scope_names(void **state)
{
    (void)state;
    static const char *const srcs[] = { "out: vst \"Dexed\"", "out: au \"Alchemy\"", "out: lv2 \"x\"",
                                        "out: clap \"x\"", "out: midiSynth \"saw\"", "out: sine ~midi",
                                        "out: saw 110 # plugin \"Vital\"" };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        struct lang_error err = { .file = "x.ph" };
        struct lang_ast *ast = lang_parse(srcs[i], strlen(srcs[i]), "x.ph", &err);
        assert_non_null(ast);
        struct graph_opts go = { .sample_rate = SR, .block = BLOCK };
        assert_null(graph_compile(ast, &go, &err));
        if (!strstr(err.msg, "out of scope")) {
            print_error("%s: %s\n", srcs[i], err.msg);
            fail();
        }
        lang_ast_free(ast);
    }
}

/* A reload hands a MORE node's state on only to the same op. */
static const void *more_state(const struct program *p)
{
    for (int i = 0; i < p->nnodes; i++)
        if (p->nodes[i].kind == N_MORE)
            return p->nodes[i].state;
    return NULL;
}

static void test_reload_carries_state_of_the_same_op(void **state)
{
    (void)state;
    struct program *a = fixture_compile("out: saw 110 # ring 300", "a.ph", NULL, SR, BLOCK);
    struct program *b = fixture_compile("out: saw 110 # ring 500", "b.ph", NULL, SR, BLOCK);
    struct program *c = fixture_compile("out: saw 110 # tremolo 4 1", "c.ph", NULL, SR, BLOCK);
    assert_true(a && b && c);
    program_carry_state(b, a);
    assert_ptr_equal(more_state(b), more_state(a));
    program_carry_state(c, b);
    assert_ptr_not_equal(more_state(c), more_state(b));
    program_free(c);
    program_free(b);
    program_free(a);
}

int main(void)
{
    dsp_init();
    (void)fixture_write_wav;
    (void)fixture_remove;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_comb_echoes),
        cmocka_unit_test(test_flanger_echo),
        cmocka_unit_test(test_pingpong_alternates),
        cmocka_unit_test(test_impulse_count_and_blip_band_limited),
        cmocka_unit_test(test_tremolo_depth),
        cmocka_unit_test(test_vibrato_swings_pitch),
        cmocka_unit_test(test_phaser_and_allpass),
        cmocka_unit_test(test_ring_and_pm),
        cmocka_unit_test(test_lag_time_constant),
        cmocka_unit_test(test_latch_schmidt_wrap),
        cmocka_unit_test(test_xline_asr_env),
        cmocka_unit_test(test_formant_pluck_multitap_limiter_reverb),
        cmocka_unit_test(test_dynamics_and_control),
        cmocka_unit_test(test_additive_partials),
        cmocka_unit_test(test_tapedelay_and_eq),
        cmocka_unit_test(test_supersaw_voices),
        cmocka_unit_test(test_every_op_stable_at_extremes),
        cmocka_unit_test(test_filter_rows_resonate),
        cmocka_unit_test(test_noise_colours),
        cmocka_unit_test(test_standalone_form),
        cmocka_unit_test(test_out_of_scope_names),
        cmocka_unit_test(test_reload_carries_state_of_the_same_op),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
