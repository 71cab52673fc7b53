/* tests/test_dsp_peer.c -- issue 13's second DSP batch (dsp_peer.c and the
 * rows of SOUND_FNS_PEER), measured on rendered audio.
 *
 * The cores are run directly where a number pins the meaning: pan2_l and
 * pan2_r's gains, select's wrapping and its crossfade, the breakpoints of
 * segments, granular's pitch (the spectral peak moves by the ratio), the
 * drums' decay and band. Every op is driven with extreme and NaN
 * parameters and must stay finite and bounded. Whole programs (the peer's
 * own forms) are rendered through the engine.
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
static unsigned char st[1 << 22] __attribute__((aligned(64)));
static double fpc = SR;                 /* frames per cycle run() gives the ops */

static void fill(float *x, float v)
{
    for (int i = 0; i < N; i++)
        x[i] = v;
}

/* Run op over N frames of xin, in blocks of 100, with parameters pv
 * (params[i] fills pv[i] unless it is NAN; unlisted ones keep their content). */
static void run(int op, const float *params, int np)
{
    assert_true(dsp_more_size(op, SR) <= sizeof st);
    dsp_more_init(op, st, SR);
    for (int i = 0; i < np; i++)
        if (!isnan(params[i]))
            fill(pv[i], params[i]);
    for (int f = 0; f < N; f += 100) {
        struct dsp_more_io b = { .x = { xin + f, xin + f }, .y = { yout[0] + f, yout[1] + f },
                                 .n = f + 100 <= N ? 100 : N - f, .sr = SR, .frames_per_cycle = fpc,
                                 .cycle0 = (double)f / fpc };
        for (int i = 0; i < DSP_MORE_MAX_P; i++)
            b.p[i] = pv[i] + f;
        dsp_more_process(op, st, &b);
    }
}

static void absent(int from)
{
    for (int k = from; k < DSP_MORE_MAX_P; k++)
        fill(pv[k], NAN);
}

static void assert_near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol)) {
        print_error("%s: got %.5f, want %.5f +- %.5f\n", what, got, want, tol);
        fail();
    }
}

static float max_step(const float *y, int a, int b)
{
    float m = 0;
    for (int i = a + 1; i < b; i++)
        m = fmaxf(m, fabsf(y[i] - y[i - 1]));
    return m;
}

static double rms(const float *y, int a, int b)
{
    double e = 0;
    for (int i = a; i < b; i++)
        e += (double)y[i] * y[i];
    return sqrt(e / (b - a));
}

static void test_pan2_sides(void **state)
{
    (void)state;
    fill(xin, 1);
    run(DSP_MORE_PAN2_L, (const float[]){ -1 }, 1);
    assert_near(yout[0][N - 1], 1, 1e-3, "pan2_l hard left");
    run(DSP_MORE_PAN2_R, (const float[]){ -1 }, 1);
    assert_near(yout[0][N - 1], 0, 1e-3, "pan2_r hard left");
    run(DSP_MORE_PAN2_R, (const float[]){ 0 }, 1);
    assert_near(yout[0][N - 1], sqrt(0.5), 1e-3, "pan2_r centre");
    for (int i = 0; i < N; i++)                          /* a jump glides: no click */
        pv[0][i] = i < N / 2 ? -1.0f : 1.0f;
    run(DSP_MORE_PAN2_L, (const float[]){ NAN }, 1);
    assert_true(max_step(yout[0], 1000, N) < 0.01f);
    assert_near(yout[0][N - 1], 0, 1e-3, "pan2_l after the move right");
}

static void test_select_wraps_and_crossfades(void **state)
{
    (void)state;
    absent(0);
    fill(pv[1], 1);
    fill(pv[2], 2);
    fill(pv[3], 3);
    run(DSP_MORE_SELECT, (const float[]){ 4 }, 1);       /* 4 mod 3 inputs = 1 */
    assert_near(yout[0][N - 1], 2, 1e-6, "select 4 of 3");
    run(DSP_MORE_SELECT, (const float[]){ -1 }, 1);      /* Euclid's remainder: 2 */
    assert_near(yout[0][N - 1], 3, 1e-6, "select -1 of 3");
    for (int i = 0; i < N; i++)
        pv[0][i] = i < N / 2 ? 0.0f : 2.0f;
    run(DSP_MORE_SELECT, (const float[]){ NAN }, 1);
    assert_near(yout[0][N / 2 - 1], 1, 1e-6, "select before the change");
    assert_near(yout[0][N / 2 + 120], 2, 0.02, "select half way through the 5 ms fade");
    assert_near(yout[0][N - 1], 3, 1e-6, "select after the change");
    assert_true(max_step(yout[0], 0, N) < 2.0f / 200);  /* 2 over 240 samples */
}

static void test_segments_breakpoints(void **state)
{
    (void)state;
    absent(0);
    for (int k = 5; k < 9; k++)
        fill(pv[k], 0);
    run(DSP_MORE_SEGMENTS, (const float[]){ 0, 1, 0, NAN, NAN, 0.01f, 0.3f }, 7);
    assert_near(yout[0][240], 0.5, 0.01, "segments half way up");
    assert_near(yout[0][480], 1, 0.01, "segments at the top");
    assert_near(yout[0][480 + 7200], 0.5, 0.01, "segments half way down");
    assert_near(yout[0][N - 1], 0, 1e-6, "segments hold the last level");
    absent(0);
    run(DSP_MORE_SEGMENTS, (const float[]){ 0.2f, 0.8f, NAN, NAN, NAN, 0.1f, 0, 0, 0 }, 9);
    assert_near(yout[0][N - 1], 0.8, 1e-6, "two levels: the last one held");
}

static int peak_hz(int a)
{
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0] + a, 8192, SR), 0);
    int b = spectrum_peak_bin(&sp, 1, sp.n / 2);
    int hz = (int)spectrum_bin_hz(&sp, b);
    spectrum_free(&sp);
    return hz;
}

static double level_near(double hz)
{
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0] + N / 2, N / 2, SR), 0);
    double l = spectrum_level_near(&sp, hz, 40);
    spectrum_free(&sp);
    return l;
}

static void test_granular_pitch_and_density(void **state)
{
    (void)state;
    float ph = 0;
    for (int i = 0; i < N; i++)
        xin[i] = 0.5f * dsp_sine_tick(&ph, 440.0f / SR);
    run(DSP_MORE_GRANULAR, (const float[]){ 60, 0.6f, 1 }, 3);
    assert_true(level_near(440) > level_near(880) + 20);   /* grains of the sine at its pitch */
    assert_true(rms(yout[0], N / 2, N) > 0.1);
    run(DSP_MORE_GRANULAR, (const float[]){ 60, 0.6f, 2 }, 3);
    assert_true(level_near(880) > level_near(440) + 20);   /* an octave up */
    run(DSP_MORE_GRANULAR, (const float[]){ 60, 0, 1 }, 3);
    assert_true(rms(yout[0], 0, N) == 0);                /* density 0: no grains */
}

static void test_drums_strike_once(void **state)
{
    (void)state;
    run(DSP_MORE_SUPERKICK, (const float[]){ 60, 0.5f, 0.3f }, 3);
    double early = rms(yout[0], 0, 4800), late = rms(yout[0], N - 4800, N);
    assert_true(early > 0.03);                           /* staged like a synth voice: peaks near -12 dBFS */
    assert_true(late < early * 0.01);                    /* one strike, decayed */
    assert_true(peak_hz(0) < 250);                       /* a low thump */
    run(DSP_MORE_SUPERSNARE, (const float[]){ 200, 1, 0.1f }, 3);
    assert_true(rms(yout[0], 0, 2400) > 0.02);
    assert_true(rms(yout[0], N - 4800, N) < 1e-3);
}

/* A gate signal as DSP_MORE_GATED ops get it: events [a, b) of on[]. */
static void gate_events(float *g, const int (*ev)[2], int n)
{
    fill(g, 0);
    for (int k = 0; k < n; k++) {
        for (int i = ev[k][0]; i < ev[k][1]; i++)
            g[i] = 1;
        g[ev[k][0]] = 2;
    }
}

static void test_pattern_driven_ops(void **state)
{
    (void)state;
    static const int ev[][2] = { { 1000, 6000 }, { 6000, 12000 }, { 20000, 21000 } };
    gate_events(pv[5], ev, 3);
    /* tri_trig: a note at freq per event, ADSR 1 ms 50 ms 0.5 10 ms */
    run(DSP_MORE_TRI_TRIG, (const float[]){ 1000, 0.001f, 0.05f, 0.5f, 0.01f }, 5);
    assert_true(rms(yout[0], 0, 1000) == 0);                     /* silent before the first event */
    assert_near(rms(yout[0], 4000, 6000), 0.5 / sqrt(3), 0.02, "sustained at 0.5 (triangle rms)");
    assert_true(rms(yout[0], 13000, 20000) < 1e-6);              /* released after the second */
    assert_near(peak_hz(2000), 1000, 6, "tri_trig's pitch");
    assert_true(max_step(yout[0], 5990, 6010) < 0.2f);         /* the retrigger does not jump */
    /* env_trig: the input times that envelope */
    fill(xin, 1);
    run(DSP_MORE_ENV_TRIG, (const float[]){ 0, 0.001f, 0.05f, 0.5f, 0.01f }, 5);
    assert_near(yout[0][1000 + 47], 1, 0.01, "env_trig attack top");
    assert_near(yout[0][5000], 0.5, 1e-3, "env_trig sustain");
    assert_near(yout[0][N - 1], 0, 1e-6, "env_trig released");
    /* gate and trig read the same signal as parameter 1 */
    memcpy(pv[1], pv[5], sizeof pv[1]);
    run(DSP_MORE_GATE, (const float[]){ NAN }, 1);
    assert_true(yout[0][999] == 0 && yout[0][1000] == 1 && yout[0][11999] == 1 && yout[0][12000] == 0);
    run(DSP_MORE_TRIG, (const float[]){ NAN }, 1);
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += yout[0][i];
    assert_true(sum == 3 && yout[0][6000] == 1);                 /* one sample per event */
    /* timer: seconds since the input rose */
    memcpy(xin, yout[0], sizeof xin);
    run(DSP_MORE_TIMER, (const float[]){ 0 }, 0);
    assert_near(yout[0][6000 + 4800], 0.1, 1e-4, "timer 0.1 s after the second trigger");
    /* mix: the inputs given, summed */
    absent(0);
    fill(pv[0], 0.25f);
    fill(pv[1], 0.5f);
    run(DSP_MORE_MIX, (const float[]){ NAN }, 1);
    assert_near(yout[0][100], 0.75, 1e-6, "mix");
}

/* The value in the middle of cycle k (4096 frames a cycle). */
static float mid(int k) { return yout[0][4096 * k + 2048]; }

static void test_per_cycle_choices(void **state)
{
    (void)state;
    fpc = 4096;
    run(DSP_MORE_EVERY_VAL, (const float[]){ 2, 5, -5 }, 3);
    for (int k = 0; k < 8; k++)
        assert_near(mid(k), k % 2 == 0 ? 5 : -5, 1e-6, "every_val 2");
    assert_true(max_step(yout[0], 0, N) <= 10.0f / 240 + 1e-4f);  /* a 5 ms glide */
    run(DSP_MORE_WHENMOD_VAL, (const float[]){ 4, 2, 1, 0 }, 4);
    for (int k = 0; k < 8; k++)
        assert_near(mid(k), k == 2 || k == 6 ? 1 : 0, 1e-6, "whenmod_val 4 2");
    run(DSP_MORE_SOMETIMES_BY_VAL, (const float[]){ 0, 1, 0 }, 3);
    assert_near(rms(yout[0], 0, N), 0, 0, "sometimes_by_val 0: never");
    run(DSP_MORE_SOMETIMES_BY_VAL, (const float[]){ 1, 1, 0 }, 3);
    assert_near(mid(3), 1, 0, "sometimes_by_val 1: always");
    int on = 0;
    run(DSP_MORE_SOMETIMES_VAL, (const float[]){ 1, 0, 0.5f }, 3);
    for (int k = 0; k < 8; k++)
        on += mid(k) == 1;
    assert_true(on > 0 && on < 8);                               /* some cycles, not all */
    fill(pv[0], 1);                                              /* every_effect input 2 effect */
    run(DSP_MORE_EVERY_FX, (const float[]){ NAN, 2, 3 }, 3);
    assert_near(mid(0), 3, 0, "every_effect: the effect in cycle 0");
    assert_near(mid(1), 1, 0, "every_effect: the input in cycle 1");
    run(DSP_MORE_WHENMOD_FX, (const float[]){ 1, 4, 3, 3 }, 4);
    assert_near(mid(3), 3, 0, "whenmod_effect 4 3: cycle 3");
    assert_near(mid(4), 1, 0, "whenmod_effect 4 3: cycle 4");
    run(DSP_MORE_SOMETIMES_FX, (const float[]){ 1, 3, 1 }, 3);
    assert_near(mid(5), 3, 0, "sometimes_effect prob 1");
    fpc = SR;
}

static double level_at(double hz)
{
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, yout[0], N, SR), 0);
    double l = spectrum_level_near(&sp, hz, 10);
    spectrum_free(&sp);
    return l;
}

/* soft_saw_hz: partial k 1/k^2 (-12 dB an octave); organ_hz: the octaves
 * (1/(k + 1)) far above the partials between (1/(k + j^3)); nothing above
 * Nyquist. */
static void test_additive_waves(void **state)
{
    (void)state;
    run(DSP_MORE_SOFT_SAW, (const float[]){ 375 }, 1);
    assert_near(level_at(375) - level_at(750), 12.04, 0.5, "soft saw: partial 2 is 1/4");
    assert_near(level_at(375) - level_at(1125), 19.08, 0.5, "soft saw: partial 3 is 1/9");
    run(DSP_MORE_ORGAN, (const float[]){ 375 }, 1);
    assert_near(level_at(750) - level_at(1500), 4.44, 0.5, "organ: 1/3 over 1/5");
    assert_true(level_at(750) - level_at(1125) > 15);           /* 1/3 against 1/30 */
    run(DSP_MORE_SOFT_SAW, (const float[]){ 9000 }, 1);           /* partials 1 and 2 only */
    assert_true(level_at(9000) - level_at(21000) > 60);          /* partial 3 (27 kHz) would fold to 21 kHz */
}

/* pitch_shift 12 moves a sine an octave up, -12 down; 0 is a delay. */
static void test_pitch_shift(void **state)
{
    (void)state;
    float ph = 0;
    for (int i = 0; i < N; i++)
        xin[i] = 0.5f * dsp_sine_tick(&ph, 750.0f / SR);
    run(DSP_MORE_PITCH_SHIFT, (const float[]){ 12 }, 1);
    assert_true(level_at(1500) > level_at(750) + 20);
    run(DSP_MORE_PITCH_SHIFT, (const float[]){ -12 }, 1);
    assert_true(level_at(375) > level_at(750) + 20);
    run(DSP_MORE_PITCH_SHIFT, (const float[]){ 0 }, 1);
    assert_near(rms(yout[0], 4800, N), 0.5 / sqrt(2), 0.02, "pitch_shift 0 keeps the level");
}

static void test_peer_ops_stable_at_extremes(void **state)
{
    (void)state;
    static const float ext[] = { 0, 1e9f, -1e9f, NAN, INFINITY, 1e-9f, 0.5f, 20000, -1 };
    uint32_t rng = 1;
    for (int op = DSP_PEER_FIRST; op < DSP_MORE_COUNT; op++) {
        for (int trial = 0; trial < 12; trial++) {
            for (int i = 0; i < N; i++)
                xin[i] = i % 977 == 0 ? NAN : dsp_noise_tick(&rng);
            for (int k = 0; k < DSP_MORE_MAX_P; k++)
                for (int i = 0; i < N; i++)
                    pv[k][i] = ext[(uint32_t)((i >> 6) * 7 + k * 3 + trial * 5 + op) % 9];
            run(op, (const float[]){ NAN }, 1);
            float m = 0;
            for (int i = 0; i < N; i++) {
                if (!isfinite(yout[0][i])) {
                    print_error("%s: not finite at %d (trial %d)\n", dsp_more_name(op), i, trial);
                    fail();
                }
                m = fmaxf(m, fabsf(yout[0][i]));
            }
            /* select, segments, the per-cycle choices and mix pass values through; timer counts seconds;
             * vocoder scales its carrier (up to 4 pi/2 per band) */
            int passes = op == DSP_MORE_SELECT || op == DSP_MORE_SEGMENTS || op >= DSP_MORE_EVERY_VAL;
            float bound = op == DSP_MORE_VOCODER ? 1e12f : passes ? 1e9f
                        : op == DSP_MORE_MIX ? 8e9f : op == DSP_MORE_TIMER ? 1e7f : 20;
            if (!(m <= bound)) {
                print_error("%s: peak %g (trial %d)\n", dsp_more_name(op), (double)m, trial);
                fail();
            }
        }
    }
}

/* freeze: a rise of the trigger holds the spectrum the input had (a 750 Hz
 * sine keeps sounding, within the 2048-point analysis's main lobe, after
 * the input moved to 3 kHz) at about its level; the next rise takes the
 * new one; with no rise the input passes. */
static void test_freeze(void **state)
{
    (void)state;
    float ph = 0;
    for (int i = 0; i < N; i++)
        xin[i] = 0.5f * dsp_sine_tick(&ph, (i < 12000 ? 750.0f : 3000.0f) / SR);
    for (int i = 0; i < N; i++)
        pv[0][i] = (i >= 6000 && i < 7000) || i >= 20000 ? 1.0f : 0.0f;
    run(DSP_MORE_FREEZE, (const float[]){ NAN }, 1);
    assert_near(peak_hz(11500), 750, 30, "freeze holds the 750 Hz spectrum");
    assert_near(rms(yout[0], 11500, 19500), 0.5 / sqrt(2), 0.15, "freeze keeps about the level");
    assert_near(peak_hz(N - 8192), 3000, 30, "the next rise takes the 3 kHz spectrum");
    run(DSP_MORE_FREEZE, (const float[]){ 0 }, 1);
    for (int i = 0; i < N; i++)
        assert_true(yout[0][i] == xin[i]);
}

/* SuperDirt's FM, chip, PWM and hat as oscillators: the partials each makes. */
static void test_super_oscillators(void **state)
{
    (void)state;
    run(DSP_MORE_SUPERFM, (const float[]){ 750, 1, 0 }, 3);           /* index 0: a sine */
    double plain = level_at(1500);
    assert_true(level_at(750) - plain > 60);
    run(DSP_MORE_SUPERFM, (const float[]){ 750, 1, 2 }, 3);           /* sidebands at multiples of 750 */
    assert_true(level_at(1500) - plain > 40);
    assert_true(level_at(1125) < level_at(1500) - 40);
    run(DSP_MORE_SUPERCHIP, (const float[]){ 750, 5, 0 }, 3);          /* a square: odd partials at 1/k */
    assert_near(level_at(750) - level_at(2250), 9.54, 0.5, "superchip: a square's third partial");
    assert_true(level_at(750) - level_at(1500) > 50);
    run(DSP_MORE_SUPERCHIP, (const float[]){ 9000, 0, 0 }, 3);         /* band-limited */
    assert_true(level_at(9000) - level_at(21000) > 25);
    run(DSP_MORE_SUPERPWM, (const float[]){ 750, 0.5f, 0 }, 3);          /* depth 0: a square */
    double even = level_at(1500);
    assert_true(level_at(750) - even > 50);
    run(DSP_MORE_SUPERPWM, (const float[]){ 750, 0.5f, 0.8f }, 3);       /* swept widths: even partials */
    assert_true(level_at(1500) - even > 30);
    run(DSP_MORE_SUPERHAT, (const float[]){ 0.7f, 0.1f }, 2);
    double early = rms(yout[0], 0, 2400);
    assert_true(early > 0.01);
    assert_true(rms(yout[0], N - 4800, N) < early * 0.01);              /* struck once */
    assert_true(peak_hz(0) > 3000);                                       /* bright */
}

/* vocoder: the carrier's partials sound louder where the modulator has energy;
 * a silent modulator silences it. */
static void test_vocoder(void **state)
{
    (void)state;
    float ph = 0, pc = 0;
    for (int i = 0; i < N; i++) {
        pv[0][i] = 0.5f * dsp_sine_tick(&ph, 1000.0f / SR);
        pv[1][i] = 0.5f * dsp_saw_tick(&pc, 125.0f / SR);
    }
    run(DSP_MORE_VOCODER, (const float[]){ NAN, NAN, 16 }, 3);
    /* the carrier has the 8th partial (1 kHz) 14 dB over the 40th and 12 dB under the 2nd; q 2 bands
     * let the modulator into its neighbours, so the tilt moves by some 10 dB each way */
    assert_true(level_at(1000) - level_at(5000) > 20);
    assert_true(level_at(1000) - level_at(250) > -6);
    double r = rms(yout[0], N / 2, N);
    assert_true(r > 0.02 && r < 0.5);
    fill(pv[0], 0);
    run(DSP_MORE_VOCODER, (const float[]){ NAN, NAN, 8 }, 3);
    assert_true(rms(yout[0], 0, N) == 0);
}

/* waveguide: a string at its pitch that decays (faster with damping), a
 * new note plucks again, and a pickup in the middle hears no even harmonics. */
static void test_waveguide(void **state)
{
    (void)state;
    run(DSP_MORE_WAVEGUIDE, (const float[]){ 375, 0, 0.3f }, 3);
    assert_near(peak_hz(0), 375, 6, "waveguide at its pitch");
    double early = rms(yout[0], 0, 4800), late0 = rms(yout[0], N - 4800, N);
    assert_true(early > 0.02 && late0 < early);
    run(DSP_MORE_WAVEGUIDE, (const float[]){ 375, 1, 0.3f }, 3);
    assert_true(rms(yout[0], N - 4800, N) < 0.7 * late0);     /* damping shortens it */
    run(DSP_MORE_WAVEGUIDE, (const float[]){ 375, 0.3f, 0.5f }, 3);
    assert_true(level_at(375) - level_at(750) > 30 && level_at(1125) - level_at(750) > 20);
    for (int i = 0; i < N; i++)
        pv[0][i] = i < N / 2 ? 375.0f : 750.0f;
    run(DSP_MORE_WAVEGUIDE, (const float[]){ NAN, 0.5f, 0.3f }, 3);
    assert_true(rms(yout[0], N / 2, N / 2 + 2400) > 2 * rms(yout[0], N / 2 - 2400, N / 2));
    assert_near(peak_hz(N - 8192), 750, 6, "the new note");
}

/* fchorus: an impulse comes out five times, a separation apart, at a fifth
 * each; a jump of separation glides (no step in the output of a sine). */
static void test_fchorus(void **state)
{
    (void)state;
    fill(xin, 0);
    xin[20000] = 1;
    run(DSP_MORE_FCHORUS, (const float[]){ 0.01f, 0, 0.3f }, 3);
    for (int i = 0; i < 5; i++) {
        int t = 20000 + 480 * i;
        assert_near(yout[0][t - 1] + yout[0][t] + yout[0][t + 1], 0.2, 1e-3, "fchorus voice");
    }
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += yout[0][i];
    assert_near(sum, 1, 1e-3, "five copies of a fifth, nothing else");
    float ph = 0;
    for (int i = 0; i < N; i++) {
        xin[i] = 0.5f * dsp_sine_tick(&ph, 750.0f / SR);
        pv[0][i] = i < N / 2 ? 0.005f : 0.03f;
    }
    run(DSP_MORE_FCHORUS, (const float[]){ NAN, 0.005f, 0.5f }, 3);
    assert_true(max_step(yout[0], 12000, N) < 0.3f);
    assert_true(rms(yout[0], 12000, N) > 0.05);
}

/* lush: an impulse leaves a tail that lasts about as long as decay says,
 * mix 0 is the input alone, and freeze holds the tail's level. */
static void test_lush(void **state)
{
    (void)state;
    fill(xin, 0);
    xin[100] = 1;
    run(DSP_MORE_LUSH, (const float[]){ 0, 0.7f, 0.3f, 0.3f, 0.2f, 0, 1, 0.02f }, 8);   /* 0.1 s */
    double short_tail = rms(yout[0], 24000, N);
    run(DSP_MORE_LUSH, (const float[]){ 0.5f, 0.7f, 0.3f, 0.3f, 0.2f, 0, 1, 0.02f }, 8); /* 15 s */
    double long_tail = rms(yout[0], 24000, N);
    assert_true(long_tail > 1e-3 && short_tail < 1e-6);
    assert_true(rms(yout[0], 101, 960) == 0);                   /* after the dry impulse, nothing before the predelay */
    uint32_t rng = 7;
    for (int i = 0; i < N; i++) {
        xin[i] = 0.3f * dsp_noise_tick(&rng);
        pv[5][i] = i < N / 4 ? 0.0f : 1.0f;
    }
    run(DSP_MORE_LUSH, (const float[]){ 0.5f, 0.7f, 0.3f, 0.3f, 0.2f, NAN, 1, 0.02f }, 8);
    for (int i = 0; i < N; i++)
        yout[0][i] -= xin[i];                                       /* the tail alone */
    double a = rms(yout[0], N / 2, 3 * N / 4), b = rms(yout[0], 3 * N / 4, N);
    assert_true(a > 0.01);
    assert_near(b / a, 1, 0.2, "freeze holds the tail");
    run(DSP_MORE_LUSH, (const float[]){ 0.5f, 0.7f, 0.3f, 0.3f, 0.2f, 0, 0, 0.02f }, 8);
    for (int i = 0; i < N; i++)
        assert_true(yout[0][i] == xin[i]);
}

/* ---- whole programs ------------------------------------------------------------------ */

static void render(const char *src)
{
    assert_int_equal(fixture_render(src, "peer.ph", NULL, SR, BLOCK, yout[0], yout[1], N), 0);
}

/* The peer's own forms, from its test programs. */
static void test_programs(void **state)
{
    (void)state;
    /* segments "0 1 0" "0.01 0.3": up in 10 ms, down in 300 ms, then silent */
    render("out: sine 110 * segments \"0 1 0\" \"0.01 0.3\" * 0.5");
    assert_true(rms(yout[0], 0, 4800) > 0.1);
    assert_true(rms(yout[0], 16000, N) < 1e-4);
    /* select (~index) among buses: ~index 2 picks the third */
    render("~index: 2\n~b0: sine 220\n~b1: sine 330\n~b2: sine 440\nout: select ~index ~b0 ~b1 ~b2 * 0.3");
    assert_near(peak_hz(N - 8192), 440, 6, "select ~index");
    /* granular of a bus */
    render("~src: saw 220\nout: granular ~src 100 0.7 1 * 0.3");
    assert_true(rms(yout[0], N / 2, N) > 0.02);
    /* tri_trig "440 ~ 440 ~" at 2 cycles a second: notes on the first and third quarters only */
    render("tempo: 2\nout: tri_trig \"440 ~ 440 ~\"");
    assert_true(rms(yout[0], 0, 4000) > 0.1 && rms(yout[0], 12000, 16000) > 0.1);
    assert_true(rms(yout[0], 7000, 12000) < 1e-4 && rms(yout[0], 19000, 24000) < 1e-4);
    render("tempo: 2\nout: saw 110 * gate \"1 0\" * 0.2");
    assert_true(rms(yout[0], 1000, 11000) > 0.05);           /* off: only the output stage's DC-blocker tail */
    assert_true(rms(yout[0], 14000, 23000) < 0.05 * rms(yout[0], 1000, 11000));
    /* superkick as an oscillator */
    render("out: superkick 60");
    assert_true(rms(yout[0], 0, 4800) > 0.05);
    /* the peer's freeze program: a trigger that never rises, the source passes */
    render("tempo: 1.0\n~source $ sine 440\n~trigger $ \"~ ~ ~ ~\"\nout $ freeze ~source ~trigger");
    assert_near(peak_hz(N - 8192), 440, 6, "freeze ~source ~trigger");
    assert_true(rms(yout[0], N / 2, N) > 0.05);
    render("out: superfm \"220 330\" 2 1 * 0.3");
    assert_true(rms(yout[0], N / 2, N) > 0.05);
}

/* Malformed segments strings say what they need. */
static void test_segments_strings_checked(void **state)
{
    (void)state;
    static const char *const srcs[] = { "out: sine 110 * segments \"0 1 0\" \"0.1\"",
                                        "out: sine 110 * segments \"0 1 0 1 0 1\" \"1 1 1 1 1\"" };
    for (size_t i = 0; i < sizeof srcs / sizeof *srcs; i++) {
        struct lang_error err = { .file = "x.ph" };
        struct lang_ast *ast = lang_parse(srcs[i], strlen(srcs[i]), "x.ph", &err);
        assert_non_null(ast);
        struct graph_opts go = { .sample_rate = SR, .block = BLOCK };
        assert_null(graph_compile(ast, &go, &err));
        assert_non_null(strstr(err.msg, "segments"));
        lang_ast_free(ast);
    }
}

/* The peer's MIDI synth and its file tap are refused, saying why and what
 * to write instead; a bus called ~synth is only a bus. */
static void test_synth_and_tap_refused(void **state)
{
    (void)state;
    static const struct { const char *src, *says; } cases[] = {
        { "out: synth \"saw\"", "saw_trig" }, { "out: synth \"c4 e4\" \"saw\"", "out of scope" },
        { "out: saw 110 # tap \"x.wav\" 2", "phonon render" }, { "out: probe (saw 110) \"x.wav\" 1", "never touches files" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lang_error err = { .file = "x.ph" };
        struct lang_ast *ast = lang_parse(cases[i].src, strlen(cases[i].src), "x.ph", &err);
        assert_non_null(ast);
        struct graph_opts go = { .sample_rate = SR, .block = BLOCK };
        assert_null(graph_compile(ast, &go, &err));
        if (!strstr(err.msg, cases[i].says)) {
            print_error("%s: %s\n", cases[i].src, err.msg);
            fail();
        }
        lang_ast_free(ast);
    }
    render("~synth: sine 440 * 0.3\nout: ~synth");
    assert_true(rms(yout[0], N / 2, N) > 0.1);
}

int main(void)
{
    dsp_init();
    (void)fixture_write_wav;
    (void)fixture_remove;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pan2_sides),
        cmocka_unit_test(test_select_wraps_and_crossfades),
        cmocka_unit_test(test_segments_breakpoints),
        cmocka_unit_test(test_granular_pitch_and_density),
        cmocka_unit_test(test_drums_strike_once),
        cmocka_unit_test(test_pattern_driven_ops),
        cmocka_unit_test(test_per_cycle_choices),
        cmocka_unit_test(test_additive_waves),
        cmocka_unit_test(test_pitch_shift),
        cmocka_unit_test(test_freeze),
        cmocka_unit_test(test_super_oscillators),
        cmocka_unit_test(test_vocoder),
        cmocka_unit_test(test_waveguide),
        cmocka_unit_test(test_fchorus),
        cmocka_unit_test(test_lush),
        cmocka_unit_test(test_peer_ops_stable_at_extremes),
        cmocka_unit_test(test_programs),
        cmocka_unit_test(test_segments_strings_checked),
        cmocka_unit_test(test_synth_and_tap_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
