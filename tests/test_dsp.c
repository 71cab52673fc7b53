/* test_dsp.c -- the DSP kernels measured: spectra, responses, timings.
 *
 * Spectral assertions use tests/spectrum.h (Blackman-Harris window, levels
 * in dB re a full-scale sine). Long-running checks (60 s sweeps, 10 minutes
 * of delay feedback) run offline as fast as the machine goes; the whole
 * program stays within a few seconds.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsp.h"
#include "spectrum.h"

enum { NFFT = 65536 };
static float buf[NFFT];

static double db(double x) { return 20.0 * log10(fabs(x) + 1e-30); }

/* Spectrum of buf; fails the test if it cannot be computed. */
static void spec(struct spectrum *sp, const float *x, int n, double sr)
{
    assert_int_equal(spectrum_init(sp, x, n, sr), 0);
}

static void assert_near(double got, double want, double tol, const char *what)
{
    if (fabs(got - want) > tol) {
        print_error("%s: got %.4f, want %.4f +- %.4f\n", what, got, want, tol);
        fail();
    }
}

static void assert_below(double got, double limit, const char *what)
{
    if (!(got < limit)) {
        print_error("%s: got %.4f, want below %.4f\n", what, got, limit);
        fail();
    }
}

/* ------------------------------------------------------------------ math */

static void test_dsp_math_approximations_accuracy(void **state)
{
    (void)state;
    double worst_sin = 0, worst_exp = 0, worst_log = 0, worst_tanh = 0, worst_tan = 0;
    for (int i = -400000; i <= 400000; i++) {
        double x = i * 1e-5;                              /* [-4, 4] */
        worst_sin = fmax(worst_sin, fabs(dsp_sin2pi((float)x) - sin(2 * M_PI * (float)x)));
        worst_tanh = fmax(worst_tanh, fabs(dsp_tanh((float)x) - tanh((float)x)));
        double e = i * 3e-4;                              /* [-120, 120] */
        worst_exp = fmax(worst_exp, fabs(dsp_exp2((float)e) / exp2((float)e) - 1.0));
        double l = exp2(i * 2.25e-4);                     /* 2^-90 .. 2^90 */
        worst_log = fmax(worst_log, fabs(dsp_log2((float)l) - log2((float)l)));
    }
    for (int i = 0; i <= 49000; i++) {
        double x = i * 1e-5;                              /* [0, 0.49] */
        worst_tan = fmax(worst_tan, fabs(dsp_tanpi((float)x) / tan(M_PI * (float)x) - 1.0) * (i > 0));
    }
    printf("    sin2pi |err| %.2e, exp2 rel %.2e, log2 |err| %.2e, tanh |err| %.2e, tanpi rel %.2e\n",
           worst_sin, worst_exp, worst_log, worst_tanh, worst_tan);
    assert_below(worst_sin, 1e-5, "sin2pi error");
    assert_below(worst_exp, 1e-6, "exp2 relative error");
    assert_below(worst_log, 5e-6, "log2 error");
    assert_below(worst_tanh, 1e-6, "tanh error");
    assert_below(worst_tan, 2e-5, "tanpi relative error");
    assert_true(dsp_sin2pi(0.0f) == 0.0f);
    assert_true(dsp_tanh(20.0f) <= 1.0f && dsp_tanh(-20.0f) >= -1.0f);
    assert_true(dsp_clampf(NAN, -1.0f, 1.0f) == -1.0f);
    assert_true(dsp_flush(1e-20f) == 0.0f && dsp_flush(1e-10f) == 1e-10f);
}

/* ----------------------------------------------------------- oscillators */

enum osc { OSC_SINE, OSC_SAW, OSC_SQUARE, OSC_TRI, OSC_PULSE };

static void render_osc(enum osc kind, double f, double sr, float width, float *out, int n)
{
    float ph = 0.0f, inc = (float)(f / sr);
    for (int i = 0; i < n; i++) {
        switch (kind) {
        case OSC_SINE:   out[i] = dsp_sine_tick(&ph, inc); break;
        case OSC_SAW:    out[i] = dsp_saw_tick(&ph, inc); break;
        case OSC_SQUARE: out[i] = dsp_square_tick(&ph, inc); break;
        case OSC_TRI:    out[i] = dsp_tri_tick(&ph, inc); break;
        case OSC_PULSE:  out[i] = dsp_pulse_tick(&ph, inc, width); break;
        }
    }
}

/* Level of harmonic k relative to the fundamental, in dB. */
static double harmonic_db(const struct spectrum *sp, double f0, int k)
{
    return spectrum_level_near(sp, k * f0, 8.0) - spectrum_level_near(sp, f0, 8.0);
}

static void test_dsp_sine_has_one_peak(void **state)
{
    (void)state;
    struct spectrum sp;
    render_osc(OSC_SINE, 1000.0, 48000.0, 0, buf, NFFT);
    spec(&sp, buf, NFFT, 48000.0);
    assert_near(spectrum_peak_hz(&sp, 20, 24000), 1000.0, 0.5, "sine peak Hz");
    assert_near(spectrum_level_near(&sp, 1000.0, 8.0), 0.0, 0.9, "sine level dB");
    double rest = spectrum_nonharmonic_max(&sp, 1e9, 0, 1012.0, 24000.0, NULL);
    double below = spectrum_nonharmonic_max(&sp, 1e9, 0, 10.0, 988.0, NULL);
    assert_below(fmax(rest, below), -100.0, "sine: anything but the peak");
    spectrum_free(&sp);
}

static void test_dsp_saw_has_all_harmonics_1_over_n(void **state)
{
    (void)state;
    struct spectrum sp;
    render_osc(OSC_SAW, 440.0, 48000.0, 0, buf, NFFT);
    spec(&sp, buf, NFFT, 48000.0);
    assert_near(spectrum_peak_hz(&sp, 20, 24000), 440.0, 0.5, "saw fundamental Hz");
    for (int k = 2; k <= 16; k++)
        assert_near(harmonic_db(&sp, 440.0, k), -db(k), 1.0, "saw harmonic k re 1/k");
    spectrum_free(&sp);
}

static void test_dsp_square_has_odd_harmonics_only(void **state)
{
    (void)state;
    struct spectrum sp;
    render_osc(OSC_SQUARE, 440.0, 48000.0, 0, buf, NFFT);
    spec(&sp, buf, NFFT, 48000.0);
    assert_near(spectrum_peak_hz(&sp, 20, 24000), 440.0, 0.5, "square fundamental Hz");
    for (int k = 2; k <= 16; k++) {
        if (k % 2)
            assert_near(harmonic_db(&sp, 440.0, k), -db(k), 1.0, "square odd harmonic re 1/k");
        else
            assert_below(harmonic_db(&sp, 440.0, k), -80.0, "square even harmonic");
    }
    spectrum_free(&sp);
}

static void test_dsp_tri_has_odd_harmonics_1_over_n2(void **state)
{
    (void)state;
    struct spectrum sp;
    render_osc(OSC_TRI, 440.0, 48000.0, 0, buf, NFFT);
    spec(&sp, buf, NFFT, 48000.0);
    assert_near(spectrum_peak_hz(&sp, 20, 24000), 440.0, 0.5, "tri fundamental Hz");
    for (int k = 2; k <= 15; k++) {
        if (k % 2)
            assert_near(harmonic_db(&sp, 440.0, k), -2 * db(k), 1.0, "tri odd harmonic re 1/k^2");
        else
            assert_below(harmonic_db(&sp, 440.0, k), -80.0, "tri even harmonic");
    }
    spectrum_free(&sp);
}

static void test_dsp_pulse_width_shapes_harmonics(void **state)
{
    (void)state;
    struct spectrum sp;
    /* Width w: harmonic n has amplitude ~ |sin(pi n w)| / n, so w = 1/4
     * removes every 4th harmonic and puts the 2nd at 0.5/0.707 = -3 dB;
     * w = 1/3 removes every 3rd. */
    render_osc(OSC_PULSE, 500.0, 48000.0, 0.25f, buf, NFFT);
    spec(&sp, buf, NFFT, 48000.0);
    assert_near(spectrum_peak_hz(&sp, 20, 24000), 500.0, 0.5, "pulse fundamental Hz");
    assert_near(harmonic_db(&sp, 500.0, 2), -3.01, 1.0, "pulse 1/4: 2nd harmonic");
    assert_near(harmonic_db(&sp, 500.0, 3), db(sin(M_PI * 0.75) / 3 / sin(M_PI * 0.25)), 1.0,
                "pulse 1/4: 3rd harmonic");
    assert_below(harmonic_db(&sp, 500.0, 4), -60.0, "pulse 1/4: 4th harmonic absent");
    assert_below(harmonic_db(&sp, 500.0, 8), -60.0, "pulse 1/4: 8th harmonic absent");
    spectrum_free(&sp);
    render_osc(OSC_PULSE, 500.0, 48000.0, 1.0f / 3.0f, buf, NFFT);
    spec(&sp, buf, NFFT, 48000.0);
    assert_below(harmonic_db(&sp, 500.0, 3), -60.0, "pulse 1/3: 3rd harmonic absent");
    assert_near(harmonic_db(&sp, 500.0, 2), db(sin(2 * M_PI / 3) / 2 / sin(M_PI / 3)), 1.0,
                "pulse 1/3: 2nd harmonic");
    spectrum_free(&sp);
}

/* Every non-harmonic component below Nyquist (guard +-12 Hz around each
 * harmonic, where the window's main lobe lives) relative to the
 * fundamental. */
static double alias_db(enum osc kind, double f, double sr, double hi)
{
    struct spectrum sp;
    render_osc(kind, f, sr, 0.3f, buf, NFFT);
    spec(&sp, buf, NFFT, sr);
    double at = 0;
    double a = spectrum_nonharmonic_max(&sp, f, 12.0, 20.0, hi, &at)
             - spectrum_level_near(&sp, f, 8.0);
    spectrum_free(&sp);
    return a;
}

static void test_dsp_oscillators_alias_below_60db(void **state)
{
    (void)state;
    static const char *name[] = { "sine", "saw", "square", "tri", "pulse" };
    double saw48 = alias_db(OSC_SAW, 5000.0, 48000.0, 24000.0);
    double saw48_20k = alias_db(OSC_SAW, 5000.0, 48000.0, 20000.0);
    double saw44 = alias_db(OSC_SAW, 5000.0, 44100.0, 22050.0);
    printf("    5 kHz saw aliasing: %.1f dB (0..24k at 48k), %.1f dB (below 20k), %.1f dB (0..22.05k at 44.1k)\n",
           saw48, saw48_20k, saw44);
    assert_below(saw48, -60.0, "5 kHz saw at 48 kHz, worst alias re fundamental");
    assert_below(saw44, -60.0, "5 kHz saw at 44.1 kHz, worst alias re fundamental");
    /* Awkward frequencies (edges at every fractional position) for all. */
    for (int k = OSC_SAW; k <= OSC_PULSE; k++) {
        double a = fmax(alias_db((enum osc)k, 3217.0, 48000.0, 24000.0),
                        alias_db((enum osc)k, 7919.0, 48000.0, 24000.0));
        printf("    %s at 3217/7919 Hz: worst alias %.1f dB\n", name[k], a);
        assert_below(a, -60.0, name[k]);
    }
}

static void test_dsp_oscillators_run_backwards_and_stay_bounded(void **state)
{
    (void)state;
    float ph = 0.3f, ph2 = 0.3f, ph3 = 0.0f, ph4 = 0.7f;
    for (int i = 0; i < 48000; i++) {
        float inc = (float)(-0.5 + i / 48000.0) * 1.2f;   /* -0.6 .. 0.6: crosses 0 and Nyquist */
        float a = dsp_saw_tick(&ph, inc), b = dsp_pulse_tick(&ph2, inc, 0.1f);
        float c = dsp_tri_tick(&ph3, inc), d = dsp_square_tick(&ph4, 0.0f);
        assert_true(fabsf(a) < 2.0f && fabsf(b) < 3.0f && fabsf(c) < 2.0f && fabsf(d) < 1.5f);
        assert_true(ph >= 0.0f && ph < 1.0f && ph2 >= 0.0f && ph2 < 1.0f);
    }
}

static void test_dsp_fm_sidebands_follow_index(void **state)
{
    (void)state;
    /* Carrier 6 kHz, modulator 1 kHz, index 1: sidebands at 6 +- k kHz with
     * Bessel amplitudes J_k(1): J0 = 0.765, J1 = 0.440, J2 = 0.115. */
    float pc = 0, pm = 0;
    for (int i = 0; i < NFFT; i++)
        buf[i] = dsp_fm_tick(&pc, &pm, 6000.0f / 48000.0f, 1000.0f / 48000.0f, 1.0f);
    struct spectrum sp;
    spec(&sp, buf, NFFT, 48000.0);
    assert_near(spectrum_level_near(&sp, 6000, 8), db(0.7652), 1.0, "FM carrier J0(1)");
    assert_near(spectrum_level_near(&sp, 7000, 8), db(0.4401), 1.0, "FM 1st sideband J1(1)");
    assert_near(spectrum_level_near(&sp, 4000, 8), db(0.1149), 1.0, "FM 2nd lower sideband J2(1)");
    spectrum_free(&sp);
}

/* Noise: average the spectra of 16 frames (Welch) and fit dB per octave
 * between 200 Hz and 12.8 kHz from band power densities. */
static double noise_slope(int kind)
{
    enum { FR = 8192, NF = 16 };
    static double acc[FR / 2 + 1];
    memset(acc, 0, sizeof acc);
    uint32_t rng = dsp_noise_seed(7);
    float b0 = 0, b1 = 0, b2 = 0;
    for (int i = 0; i < 48000; i++)                       /* settle the filters */
        kind == 1 ? dsp_pink_tick(&rng, &b0, &b1, &b2) : dsp_brown_tick(&rng, &b0);
    for (int f = 0; f < NF; f++) {
        for (int i = 0; i < FR; i++)
            buf[i] = kind == 0 ? dsp_noise_tick(&rng)
                   : kind == 1 ? dsp_pink_tick(&rng, &b0, &b1, &b2) : dsp_brown_tick(&rng, &b0);
        struct spectrum sp;
        spec(&sp, buf, FR, 48000.0);
        for (int k = 0; k <= FR / 2; k++)
            acc[k] += pow(10.0, sp.db[k] / 10.0) / NF;
        spectrum_free(&sp);
    }
    /* least squares of band density (dB) against octave number */
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    int n = 0;
    for (double lo = 200.0; lo < 12800.0; lo *= 2.0, n++) {
        int a = (int)(lo * FR / 48000.0), b = (int)(2 * lo * FR / 48000.0);
        double p = 0;
        for (int k = a; k < b; k++)
            p += acc[k];
        double y = 10.0 * log10(p / (b - a)), x = n;
        sx += x; sy += y; sxx += x * x; sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

static void test_dsp_noise_colours_have_their_slopes(void **state)
{
    (void)state;
    double w = noise_slope(0), p = noise_slope(1), b = noise_slope(2);
    printf("    noise slopes (dB/octave): white %.2f, pink %.2f, brown %.2f\n", w, p, b);
    assert_near(w, 0.0, 0.5, "white slope");
    assert_near(p, -3.01, 0.5, "pink slope");
    assert_near(b, -6.02, 0.5, "brown slope");
    /* deterministic, and bounded */
    uint32_t r1 = dsp_noise_seed(1), r2 = dsp_noise_seed(1);
    float bb = 0, p0 = 0, p1 = 0, p2 = 0;
    for (int i = 0; i < 480000; i++) {
        float x = dsp_noise_tick(&r1);
        assert_true(x == dsp_noise_tick(&r2));
        assert_true(x >= -1.0f && x < 1.0f);
        assert_true(fabsf(dsp_brown_tick(&r1, &bb)) < 1.2f);
        assert_true(fabsf(dsp_pink_tick(&r2, &p0, &p1, &p2)) < 1.2f);
    }
}

/* --------------------------------------------------------------- filters */

/* Steady-state gain (dB) of one SVF output for a sine at f. */
static double svf_gain_db(double fc, double q, double sr, double f, int which)
{
    struct dsp_svf_coef c = dsp_svf_coef((float)fc, (float)q, (float)sr);
    float s1 = 0, s2 = 0;
    int settle = (int)(sr * 0.5), n = (int)(sr * 0.5);
    double in = 0, out = 0;
    for (int i = 0; i < settle + n; i++) {
        float x = (float)sin(2 * M_PI * f * i / sr);
        struct dsp_svf_out o = dsp_svf_tick(&s1, &s2, c, x);
        float y = which == 0 ? o.lp : which == 1 ? o.bp : which == 2 ? o.hp : o.lp + o.hp;
        if (i >= settle) {
            in += (double)x * x;
            out += (double)y * y;
        }
    }
    return 10.0 * log10(out / in + 1e-30);
}

static void test_dsp_svf_lowpass_is_3db_down_at_cutoff(void **state)
{
    (void)state;
    const double srs[] = { 44100.0, 48000.0 }, fcs[] = { 100.0, 1000.0, 10000.0 };
    double worst = 0;
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 3; b++) {
            double g = svf_gain_db(fcs[b], 0.7071, srs[a], fcs[b], 0);
            worst = fmax(worst, fabs(g + 3.0103));
            assert_near(g, -3.0103, 1.0, "LP gain at cutoff");
        }
    printf("    SVF LP at cutoff: worst error vs -3.01 dB is %.4f dB\n", worst);
}

static void test_dsp_svf_shapes(void **state)
{
    (void)state;
    const double sr = 48000.0, fc = 1000.0;
    /* 2-pole slopes: 12 dB/octave, i.e. -40 dB a decade from the cutoff */
    assert_near(svf_gain_db(100.0, 0.7071, sr, 1000.0, 0), -40.0, 0.5, "LP a decade above");
    assert_near(svf_gain_db(fc, 0.7071, sr, 100.0, 0), 0.0, 0.1, "LP passband");
    assert_near(svf_gain_db(fc, 0.7071, sr, 1000.0, 2), -3.01, 0.5, "HP at cutoff");
    assert_near(svf_gain_db(fc, 0.7071, sr, 100.0, 2), -40.0, 0.5, "HP a decade below");
    assert_near(svf_gain_db(fc, 0.7071, sr, 10000.0, 2), 0.0, 0.5, "HP passband");
    assert_near(svf_gain_db(fc, 5.0, sr, 1000.0, 1), 0.0, 0.2, "BP peak is unity");
    assert_below(svf_gain_db(fc, 5.0, sr, 500.0, 1), -15.0, "BP an octave below (q 5)");
    assert_below(svf_gain_db(fc, 5.0, sr, 2000.0, 1), -15.0, "BP an octave above (q 5)");
    assert_below(svf_gain_db(fc, 0.7071, sr, 1000.0, 3), -40.0, "notch depth at cutoff");
    assert_near(svf_gain_db(fc, 0.7071, sr, 100.0, 3), 0.0, 0.2, "notch far below");
    assert_near(svf_gain_db(fc, 0.7071, sr, 10000.0, 3), 0.0, 0.2, "notch far above");
    /* resonance: q 10 peaks near +20 dB */
    assert_near(svf_gain_db(fc, 10.0, sr, 1000.0, 0), 20.0, 0.5, "LP resonant peak at q 10");
}

/* 60 s at 48 kHz, cutoff swept 20 Hz <-> 20 kHz (new coefficients every
 * 512-frame block), q stepping up to 50, loud noise + square input. */
static void test_dsp_filters_stay_stable_under_sweeps(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    float s1 = 0, s2 = 0, m1 = 0, m2 = 0, m3 = 0, m4 = 0, ph = 0;
    uint32_t rng = dsp_noise_seed(3);
    float peak_svf = 0, peak_moog = 0;
    int blocks = (int)(60 * sr / 512);
    for (int b = 0; b < blocks; b++) {
        double t = fmod(b / 40.0, 2.0);                     /* ~0.43 s per sweep */
        double oct = (t < 1.0 ? t : 2.0 - t) * 10.0;         /* 0..10 octaves */
        float fc = (float)(20.0 * pow(2.0, oct));
        float q = (float)(0.5 + 49.5 * ((b / 7) % 8) / 7.0);  /* 0.5 .. 50 */
        struct dsp_svf_coef c = dsp_svf_coef(fc, q, sr);
        struct dsp_moog_coef mc = dsp_moog_coef(fc, 1.0f, sr);
        for (int i = 0; i < 512; i++) {
            float x = 0.5f * dsp_noise_tick(&rng) + 0.5f * dsp_square_tick(&ph, 0.01f);
            struct dsp_svf_out o = dsp_svf_tick(&s1, &s2, c, x);
            float y = dsp_moog_tick(&m1, &m2, &m3, &m4, mc, 4.0f * x);
            float v = fmaxf(fabsf(o.lp), fmaxf(fabsf(o.bp), fabsf(o.hp)));
            peak_svf = v > peak_svf || v != v ? v : peak_svf;
            peak_moog = fabsf(y) > peak_moog || y != y ? fabsf(y) : peak_moog;
        }
    }
    printf("    60 s sweep: SVF peak %.2f (q up to 50), moog peak %.2f at resonance 1\n",
           peak_svf, peak_moog);
    assert_true(isfinite(peak_svf) && isfinite(peak_moog));
    assert_below(peak_svf, 200.0, "SVF bounded");
    assert_below(peak_moog, 2.0, "moog bounded");
}

static void test_dsp_moog_self_oscillates_near_full_resonance(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    for (int pass = 0; pass < 2; pass++) {
        float res = pass == 0 ? 1.0f : 0.8f;
        struct dsp_moog_coef c = dsp_moog_coef(1000.0f, res, sr);
        float s1 = 0, s2 = 0, s3 = 0, s4 = 0;
        for (int i = 0; i < 48000 + NFFT; i++) {
            float y = dsp_moog_tick(&s1, &s2, &s3, &s4, c, i == 0 ? 1.0f : 0.0f);
            if (i >= 48000)
                buf[i - 48000] = y;
        }
        double rms = 0;
        for (int i = 0; i < NFFT; i++)
            rms += (double)buf[i] * buf[i];
        rms = sqrt(rms / NFFT);
        if (pass == 0) {
            struct spectrum sp;
            spec(&sp, buf, NFFT, sr);
            double f = spectrum_peak_hz(&sp, 20, 20000);
            spectrum_free(&sp);
            printf("    moog resonance 1: oscillates at %.1f Hz (cutoff 1000), rms %.3f\n", f, rms);
            assert_true(rms > 0.05);
            assert_near(f, 1000.0, 30.0, "self-oscillation frequency");
        } else {
            assert_below(rms, 1e-6, "resonance 0.8 rings out");
        }
    }
    /* passband: a 100 Hz sine through a 5 kHz ladder at resonance 0 */
    struct dsp_moog_coef c = dsp_moog_coef(5000.0f, 0.0f, sr);
    float s1 = 0, s2 = 0, s3 = 0, s4 = 0, peak = 0;
    for (int i = 0; i < 48000; i++) {
        float y = dsp_moog_tick(&s1, &s2, &s3, &s4, c, 0.1f * sinf(2 * (float)M_PI * 100 * i / sr));
        peak = i > 24000 && fabsf(y) > peak ? fabsf(y) : peak;
    }
    assert_near(peak, 0.1, 0.005, "moog passband gain at resonance 0");
}

/* ------------------------------------------------------------- envelopes */

struct env { float lv, st, sl, n; };

static float adsr(struct env *e, float trig, float gate, float a, float d, float s, float r)
{
    return dsp_adsr_tick(&e->lv, &e->st, &e->sl, &e->n, trig, gate, a, d, s, r);
}

static void test_dsp_adsr_segments_are_sample_exact(void **state)
{
    (void)state;
    struct env e = { 0 };
    float v[200];
    for (int i = 0; i < 200; i++)                        /* A 10, D 20, S .5, R 30; gate off at 50 */
        v[i] = adsr(&e, i == 0, i < 50, 10, 20, 0.5f, 30);
    assert_true(v[0] == 0.1f);
    assert_true(v[8] < 1.0f && v[9] == 1.0f);
    assert_true(v[28] > 0.5f && v[29] == 0.5f && v[49] == 0.5f);
    assert_true(v[50] < 0.5f);
    assert_true(v[78] > 0.0f && v[79] == 0.0f);
    assert_true(dsp_env_idle(e.st));
    for (int i = 1; i < 200; i++)
        assert_true(fabsf(v[i] - v[i - 1]) <= 0.1f + 1e-6f);  /* never a jump */
    assert_true(dsp_env_samples(0.01f, 48000.0f) == 480.0f && dsp_env_samples(0, 48000.0f) == 1.0f);
}

static void test_dsp_adsr_retrigger_starts_from_current_level(void **state)
{
    (void)state;
    struct env e = { 0 };
    float prev = 0;
    int i;
    for (i = 0; i < 40; i++)                              /* attack, decay, sustain */
        prev = adsr(&e, i == 0, 1, 10, 10, 0.6f, 40);
    for (; i < 60; i++)                                   /* 20 samples of release */
        prev = adsr(&e, 0, 0, 10, 10, 0.6f, 40);
    assert_true(prev > 0.25f && prev < 0.35f);
    float at = prev, v = adsr(&e, 1, 1, 10, 10, 0.6f, 40);   /* retrigger at frame 60 */
    assert_true(v > at && v - at <= (1.0f - at) / 10.0f + 1e-6f);
    for (int k = 1; k < 10; k++)
        v = adsr(&e, 0, 1, 10, 10, 0.6f, 40);
    assert_true(v == 1.0f);                               /* attack still 10 samples */
    /* a retrigger during the attack keeps rising from where it is */
    struct env f = { 0 };
    float a = 0;
    for (int k = 0; k < 5; k++)
        a = adsr(&f, k == 0, 1, 10, 10, 0.6f, 40);
    float b = adsr(&f, 1, 1, 10, 10, 0.6f, 40);
    assert_true(b > a && b - a < 0.1f);
}

static void test_dsp_adsr_releases_from_any_stage(void **state)
{
    (void)state;
    for (int off_at = 3; off_at < 40; off_at += 9) {      /* attack, decay, sustain */
        struct env e = { 0 };
        float last = 0;
        for (int i = 0; i < off_at; i++)
            last = adsr(&e, i == 0, 1, 10, 20, 0.5f, 25);
        for (int i = 0; i < 25; i++) {
            float v = adsr(&e, 0, 0, 10, 20, 0.5f, 25);
            assert_true(v < last || (v == 0.0f && last == 0.0f));
            last = v;
        }
        assert_true(last == 0.0f && dsp_env_idle(e.st));
    }
}

static void test_dsp_ad_perc_ar_line(void **state)
{
    (void)state;
    struct env e = { 0 }, p = { 0 }, r = { 0 };
    float v = 0;
    for (int i = 0; i < 30; i++) {
        v = dsp_ad_tick(&e.lv, &e.st, &e.sl, &e.n, i == 0, 5, 20);
        if (i == 4) assert_true(v == 1.0f);
        if (i == 23) assert_true(v > 0.0f);
    }
    assert_true(v == 0.0f && dsp_env_idle(e.st));
    v = dsp_perc_tick(&p.lv, &p.st, &p.sl, &p.n, 1, 100);
    assert_true(v == 1.0f);                               /* perc: full level at once */
    for (int i = 1; i < 100; i++)
        v = dsp_perc_tick(&p.lv, &p.st, &p.sl, &p.n, 0, 100);
    assert_true(v > 0.0f);                                /* decay: 100 samples after the first */
    v = dsp_perc_tick(&p.lv, &p.st, &p.sl, &p.n, 0, 100);
    assert_true(v == 0.0f && dsp_env_idle(p.st));
    for (int i = 0; i < 100; i++)                         /* ar holds while gated */
        v = dsp_ar_tick(&r.lv, &r.st, &r.sl, &r.n, i == 0, 1, 10, 50);
    assert_true(v == 1.0f);
    for (int i = 0; i < 50; i++)
        v = dsp_ar_tick(&r.lv, &r.st, &r.sl, &r.n, 0, 0, 10, 50);
    assert_true(v == 0.0f);
    float pos = 0;
    assert_true(dsp_line_tick(&pos, 2.0f, 4.0f, 8.0f) == 2.0f);
    for (int i = 1; i < 8; i++)
        v = dsp_line_tick(&pos, 2.0f, 4.0f, 8.0f);
    assert_near(v, 3.75, 1e-6, "line at step 7 of 8");
    assert_true(dsp_line_tick(&pos, 2.0f, 4.0f, 8.0f) == 4.0f);
    assert_true(dsp_line_tick(&pos, 2.0f, 4.0f, 8.0f) == 4.0f);
}

/* ------------------------------------------------------ pan, interpolation */

static void test_dsp_pan_is_equal_power(void **state)
{
    (void)state;
    float l, r;
    dsp_pan_gains(0.0f, &l, &r);
    assert_true(r == 0.0f);
    assert_near(l, 1.0, 1e-6, "pan 0 left");
    dsp_pan_gains(1.0f, &l, &r);
    assert_true(l == 0.0f);
    dsp_pan_gains(0.5f, &l, &r);
    assert_true(l == r);
    assert_near(db(l), -3.0103, 0.001, "pan centre gain dB");
    for (int i = 0; i <= 100; i++) {
        dsp_pan_gains(i / 100.0f, &l, &r);
        assert_near((double)l * l + (double)r * r, 1.0, 2e-6, "l^2 + r^2");
    }
    dsp_pan_gains(-3.0f, &l, &r);
    assert_true(r == 0.0f);                               /* clamped */
}

static void test_dsp_hermite_interpolates_smoothly(void **state)
{
    (void)state;
    static float x[1024];
    for (int i = 0; i < 1024; i++)
        x[i] = (float)sin(2 * M_PI * i / 64.0);          /* 64 samples per period */
    double worst = 0;
    for (int i = 1; i < 1000; i++)
        for (int k = 0; k < 8; k++) {
            float f = k / 8.0f;
            double want = sin(2 * M_PI * (i + f) / 64.0);
            worst = fmax(worst, fabs(dsp_hermite4(x, i, f) - want));
        }
    assert_below(worst, 2e-4, "Hermite error on a 64-sample sine");
    assert_true(dsp_hermite4(x, 10, 0.0f) == x[10]);      /* passes through the samples */
    /* split position: 100000 steps of 0.37 frames */
    int32_t ip = 1;
    float fp = 0.0f;
    for (int i = 0; i < 100000; i++)
        dsp_pos_step(&ip, &fp, 0.37f);
    assert_near(ip + fp, 1 + 37000.0, 0.05, "position after 100000 steps");
    dsp_pos_step(&ip, &fp, -1.5f);
    assert_true(fp >= 0.0f && fp < 1.0f);
}


/* --------------------------------------------------------------- effects */

static float *fill(float *a, int n, float v)
{
    for (int i = 0; i < n; i++)
        a[i] = v;
    return a;
}

enum { BLK = 512 };
static float p1[BLK], p2[BLK], p3[BLK], p4[BLK], p5[BLK], p6[BLK];

static void test_dsp_delay_echo_lands_on_the_right_sample(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    struct dsp_delay d;
    void *mem = malloc(dsp_delay_size(1.0f, sr));
    dsp_delay_init(&d, mem, 1.0f, sr);
    static float in[48000], out[48000];
    memset(in, 0, sizeof in);
    in[100] = 1.0f;
    for (int b = 0; b < 48000; b += 400)                 /* odd block size on purpose */
        dsp_delay_process(&d, in + b, out + b, fill(p1, 400, 0.25f), fill(p2, 400, 0.5f),
                          fill(p3, 400, 1.0f), 400);
    assert_near(out[100 + 12000], 1.0, 1e-6, "first echo at 0.25 s");
    assert_near(out[100 + 24000], 0.5, 0.005, "second echo, feedback 0.5");
    assert_near(out[100 + 36000], 0.25, 0.005, "third echo");
    double stray = 0;
    for (int i = 0; i < 48000; i++)
        if (i != 12100 && i != 24100 && i != 36100)
            stray = fmax(stray, fabs(out[i]));
    assert_below(stray, 0.002, "nothing between the echoes");
    /* a NaN and an Inf in the input leave the line usable */
    in[0] = NAN;
    in[1] = INFINITY;
    for (int b = 0; b < 48000; b += 400)
        dsp_delay_process(&d, in + b, out + b, fill(p1, 400, 0.1f), fill(p2, 400, 0.9f),
                          fill(p3, 400, 0.5f), 400);
    for (int i = 0; i < 48000; i++)
        assert_true(isfinite(out[i]));
    free(mem);
}

static void test_dsp_delay_feedback_099_ten_minutes_stays_put(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    struct dsp_delay d;
    void *mem = malloc(dsp_delay_size(2.0f, sr));
    dsp_delay_init(&d, mem, 2.0f, sr);
    uint32_t rng = dsp_noise_seed(11);
    float in[BLK], out[BLK];
    fill(p1, BLK, 0.3f); fill(p2, BLK, 0.99f); fill(p3, BLK, 0.5f);
    double sum = 0, peak = 0;
    long count = 0;
    long blocks = (long)(600 * sr / BLK);
    for (long b = 0; b < blocks; b++) {
        for (int i = 0; i < BLK; i++)                    /* noise with a DC offset */
            in[i] = 0.2f * dsp_noise_tick(&rng) + 0.05f;
        if (b % 1000 == 0)
            p1[0] = 0.3f + 0.001f * (float)(b % 7);      /* nudge the time now and then */
        dsp_delay_process(&d, in, out, p1, p2, p3, BLK);
        for (int i = 0; i < BLK; i++) {
            peak = fmax(peak, fabs(out[i]));
            if (b >= blocks - (long)(60 * sr / BLK)) {
                sum += out[i] - in[i] * 0.5;             /* the wet half's DC */
                count++;
            }
        }
    }
    /* The wet signal carries the input's own DC (0.05, delayed) once; a
     * loop that accumulated it would hold 0.05 / (1 - 0.99) = 5. */
    double drift = fabs(sum / count * 2.0 - 0.05);
    printf("    delay fb 0.99, 10 min: peak %.2f, DC drift %.1f dBFS\n", peak, db(drift));
    assert_true(isfinite(peak) && peak <= 4.0);
    assert_below(db(drift), -40.0, "DC drift of the wet signal");
    free(mem);
}

static double energy(const float *x, int a, int b)
{
    double e = 0;
    for (int i = a; i < b; i++)
        e += (double)x[i] * x[i];
    return e;
}

static void test_dsp_reverb_tail_decays_and_mix0_is_dry(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    struct dsp_reverb r;
    void *mem = malloc(dsp_reverb_size(sr));
    dsp_reverb_init(&r, mem, sr);
    int n = 10 * 48000;
    float *in = calloc((size_t)n, sizeof *in), *l = malloc(sizeof(float) * n), *rr = malloc(sizeof(float) * n);
    in[0] = 1.0f;
    for (int b = 0; b < n; b += 480)
        dsp_reverb_process(&r, in + b, NULL, l + b, rr + b, fill(p1, 480, 0.5f),
                           fill(p2, 480, 0.5f), fill(p3, 480, 1.0f), 480);
    double early = energy(l, 0, 24000), late = energy(l, 96000, 120000), end = energy(l, 9 * 48000, n);
    printf("    reverb: 0-0.5 s %.1f dB, 2-2.5 s %.1f dB, 9-10 s %.1f dB\n",
           10 * log10(early), 10 * log10(late + 1e-300), 10 * log10(end + 1e-300));
    assert_true(early > 1e-4);
    assert_below(10 * log10(late / early), -40.0, "tail 2 s later");
    assert_below(end, 1e-12, "tail after 9 s");
    assert_true(energy(rr, 0, 24000) > 1e-4 && memcmp(l, rr, sizeof(float) * 24000) != 0);
    /* mix 0: exactly the input, stereo */
    for (int i = 0; i < n; i++)
        in[i] = sinf(i * 0.01f);
    for (int b = 0; b < 48000; b += 480)
        dsp_reverb_process(&r, in + b, in + b, l + b, rr + b, fill(p1, 480, 0.9f),
                           fill(p2, 480, 0.2f), fill(p3, 480, 0.0f), 480);
    assert_memory_equal(l, in, sizeof(float) * 48000);
    assert_memory_equal(rr, in, sizeof(float) * 48000);
    free(in); free(l); free(rr); free(mem);
}

static void test_dsp_plate_tail_decays_and_stays_bounded(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    struct dsp_plate pl;
    void *mem = malloc(dsp_plate_size(sr));
    dsp_plate_init(&pl, mem, sr);
    int n = 8 * 48000;
    float *in = calloc((size_t)n, sizeof *in), *l = malloc(sizeof(float) * n), *r = malloc(sizeof(float) * n);
    in[0] = 1.0f;
    fill(p1, BLK, 0.02f); fill(p2, BLK, 0.5f); fill(p3, BLK, 0.7f);
    fill(p4, BLK, 0.3f); fill(p5, BLK, 0.5f); fill(p6, BLK, 1.0f);
    for (int b = 0; b < n; b += BLK)
        dsp_plate_process(&pl, in + b, NULL, l + b, r + b, p1, p2, p3, p4, p5, p6, BLK);
    int pre = (int)(0.02f * sr);
    assert_true(energy(l, 0, pre - 1) == 0.0 && energy(r, 0, pre - 1) == 0.0);   /* predelay */
    double early = energy(l, 0, 24000) + energy(r, 0, 24000);
    double late = energy(l, 144000, 168000) + energy(r, 144000, 168000);
    printf("    plate: 0-0.5 s %.1f dB, 3-3.5 s %.1f dB\n", 10 * log10(early), 10 * log10(late + 1e-300));
    assert_true(early > 1e-4);
    assert_below(10 * log10(late / early), -40.0, "plate tail 3 s later");
    assert_true(memcmp(l, r, sizeof(float) * 24000) != 0);
    /* decay 0.99 with loud noise for 20 s: bounded */
    uint32_t rng = dsp_noise_seed(5);
    fill(p2, BLK, 0.99f); fill(p4, BLK, 0.0f); fill(p5, BLK, 1.0f);
    float peak = 0;
    for (int b = 0; b < 20 * 48000; b += BLK) {
        for (int i = 0; i < BLK; i++)
            in[i] = dsp_noise_tick(&rng);
        dsp_plate_process(&pl, in, in, l, r, p1, p2, p3, p4, p5, p6, BLK);
        for (int i = 0; i < BLK; i++)
            peak = fmaxf(peak, fmaxf(fabsf(l[i]), fabsf(r[i])));
    }
    assert_true(isfinite(peak) && peak < 100.0f);
    /* mix 0 is dry */
    fill(p6, BLK, 0.0f);
    dsp_plate_process(&pl, in, NULL, l, r, p1, p2, p3, p4, p5, p6, BLK);
    assert_memory_equal(l, in, sizeof(float) * BLK);
    free(in); free(l); free(r); free(mem);
}

static void test_dsp_limit_never_exceeds_its_ceiling(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    struct dsp_limit lim;
    void *mem = malloc(dsp_limit_size(sr));
    dsp_limit_init(&lim, mem, sr);
    uint32_t rng = dsp_noise_seed(9);
    float l[BLK], r[BLK], ol[BLK], orr[BLK], ph = 0;
    const float ceil = dsp_db_to_gain(-1.0f);
    float peak = 0;
    for (int b = 0; b < 2000; b++) {
        float amp = (b % 10 == 0) ? 10.0f : (b % 3 == 0 ? 1.5f : 0.3f);
        for (int i = 0; i < BLK; i++) {
            l[i] = amp * dsp_saw_tick(&ph, 0.01f + 0.0001f * (b % 50));
            r[i] = amp * dsp_noise_tick(&rng) * ((i % 97) == 0 ? 3.0f : 1.0f);
        }
        dsp_limit_process(&lim, l, r, ol, orr, fill(p1, BLK, -1.0f), BLK);
        for (int i = 0; i < BLK; i++)
            peak = fmaxf(peak, fmaxf(fabsf(ol[i]), fabsf(orr[i])));
    }
    printf("    limiter: peak %.6f for ceiling %.6f\n", peak, ceil);
    assert_true(peak <= ceil);
    /* a quiet signal passes unchanged, delayed by the latency */
    dsp_limit_init(&lim, mem, sr);
    int lat = dsp_limit_latency(&lim);
    for (int i = 0; i < BLK; i++)
        l[i] = 0.25f * sinf(0.05f * i);
    dsp_limit_process(&lim, l, NULL, ol, NULL, p1, BLK);
    for (int i = lat; i < BLK; i++)
        assert_true(ol[i] == l[i - lat]);
    free(mem);
}

/* Peak output (dBFS) over the last half second of 2 s of a 1 kHz sine at
 * peak level in_db through the compressor. */
static double compress_out_db(float in_db, float thr, float ratio, float makeup)
{
    const float sr = 48000.0f;
    struct dsp_compress c;
    dsp_compress_init(&c, sr);
    float in[BLK], out[BLK], a = dsp_db_to_gain(in_db);
    fill(p1, BLK, thr); fill(p2, BLK, ratio); fill(p3, BLK, 0.005f);
    fill(p4, BLK, 0.2f); fill(p5, BLK, makeup);
    double peak = 0;
    for (int b = 0, t = 0; b < 2 * 48000 / BLK; b++) {
        for (int i = 0; i < BLK; i++, t++)
            in[i] = a * sinf(2.0f * (float)M_PI * 1000.0f * (float)t / sr);
        dsp_compress_process(&c, in, NULL, out, NULL, p1, p2, p3, p4, p5, BLK);
        if (b >= 1.5 * 48000 / BLK)
            for (int i = 0; i < BLK; i++)
                peak = fmax(peak, fabs(out[i]));
    }
    return db(peak);
}

static void test_dsp_compress_reduces_by_its_ratio(void **state)
{
    (void)state;
    double r4 = compress_out_db(-6.0f, -20.0f, 4.0f, 0.0f);
    double r2 = compress_out_db(-6.0f, -20.0f, 2.0f, 0.0f);
    double mk = compress_out_db(-6.0f, -20.0f, 4.0f, 6.0f);
    printf("    compressor: -6 dBFS in, thr -20: ratio 4 -> %.2f dBFS (want -16.5), ratio 2 -> %.2f (want -13)\n",
           r4, r2);
    assert_near(r4, -16.5, 1.0, "ratio 4 steady state");
    assert_near(r2, -13.0, 1.0, "ratio 2 steady state");
    assert_near(mk, -10.5, 1.0, "makeup 6 dB");
    assert_near(compress_out_db(-30.0f, -20.0f, 4.0f, 0.0f), -30.0, 0.05, "below threshold untouched");
}

static void test_dsp_master_is_transparent_below_minus3db_and_never_clips(void **state)
{
    (void)state;
    struct dsp_master m;
    dsp_master_init(&m, 48000.0f);
    float in[BLK], out[BLK];
    double pk = 0;
    for (int b = 0; b < 100; b++) {
        for (int i = 0; i < BLK; i++)
            in[i] = 0.69f * sinf(2.0f * (float)M_PI * 1000.0f * (float)(b * BLK + i) / 48000.0f);
        dsp_master_process(&m, in, out, BLK);
        if (b > 50)
            for (int i = 0; i < BLK; i++)
                pk = fmax(pk, fabs(out[i]));
    }
    /* level unchanged (the 5 Hz DC blocker only shifts the phase slightly) */
    assert_near(pk, 0.69, 0.0005, "master below -3 dBFS keeps the level");
    for (int i = -700; i <= 700; i++)
        assert_true(dsp_soft_clip(i * 0.001f) == i * 0.001f);
    float peak = 0;
    for (int b = 0; b < 100; b++) {
        for (int i = 0; i < BLK; i++)
            in[i] = 1000.0f * sinf(0.1f * i) + (i == 7 ? NAN : 0.0f) + (i == 9 ? INFINITY : 0.0f);
        dsp_master_process(&m, in, out, BLK);
        for (int i = 0; i < BLK; i++) {
            assert_true(isfinite(out[i]));
            peak = fmaxf(peak, fabsf(out[i]));
        }
    }
    assert_true(peak <= 1.0f);
    for (int b = 0; b < 200; b++) {                      /* DC is removed */
        dsp_master_process(&m, fill(in, BLK, 0.5f), out, BLK);
    }
    assert_below(fabs(out[BLK - 1]), 1e-3, "DC after 2 s");
}

/* The mean of the master's output over the half second after the first
 * second, for in(t) (48 kHz): DC it lets through. */
static double master_dc(double (*in)(double t))
{
    struct dsp_master m;
    dsp_master_init(&m, 48000.0f);
    float x[BLK], y[BLK];
    double sum = 0, peak = 0;
    for (int b = 0; b * BLK < 72000; b++) {
        for (int i = 0; i < BLK; i++)
            x[i] = (float)in((double)(b * BLK + i) / 48000.0);
        dsp_master_process(&m, x, y, BLK);
        for (int i = 0; i < BLK; i++) {
            peak = fmax(peak, fabs(y[i]));
            if (b * BLK + i >= 48000 && b * BLK + i < 72000)
                sum += y[i];
        }
    }
    assert_true(peak <= 1.0);
    return sum / 24000;
}

static double rectified_sine(double t) { return fmax(0.0, 100.0 * sin(2 * M_PI * 50 * t)); }
static double offset_sine(double t) { return 10.0 + 100.0 * sin(2 * M_PI * 50 * t); }
static double saw_stack(double t)
{
    double s = 0;
    for (int h = 1; h <= 8; h *= 2)
        s += 2.0 * fmod(50.0 * h * t, 1.0) - 1.0;
    return 8.0 * s;
}

/* Where the clipper is driven hard its servo used to settle in seconds: a
 * rectified sine 40 dB over full scale kept 0.094 of full scale of DC
 * after 3 s. Now under 0.001 from the first second on (the inputs repeat
 * every 20 ms, so the half second's mean is their DC). */
static void test_dsp_master_removes_dc_of_a_hard_clipped_signal(void **state)
{
    (void)state;
    double a = master_dc(rectified_sine), b = master_dc(offset_sine), c = master_dc(saw_stack);
    printf("    DC after the master, 1 .. 1.5 s: rectified sine %.2g, offset sine %.2g, saw stack %.2g\n", a, b, c);
    assert_below(fabs(a), 1e-3, "rectified sine");
    assert_below(fabs(b), 1e-3, "offset sine");
    assert_below(fabs(c), 1e-3, "saw stack");
}

/* The master counts the samples it reduces by more than 1 dB and keeps the
 * largest reduction: none for a signal below the knee, every sample of a
 * full-scale square 60 dB over full scale (about 60 dB each, the input
 * clamp's 24 dB included), and its output stays within [-1, 1]. */
static void test_dsp_master_counts_what_it_limits(void **state)
{
    (void)state;
    struct dsp_master m;
    dsp_master_init(&m, 48000.0f);
    float in[BLK], out[BLK];
    int n = 0;
    for (int b = 0; b < 20; b++) {
        for (int i = 0; i < BLK; i++)
            in[i] = 0.5f * sinf(0.05f * (float)(b * BLK + i));
        n += dsp_master_process(&m, in, out, BLK);
    }
    assert_int_equal(n, 0);
    assert_true(m.worst == 1.0f);
    n = 0;
    for (int b = 0; b < 20; b++) {
        for (int i = 0; i < BLK; i++)
            in[i] = (b * BLK + i) / 240 % 2 ? 1000.0f : -1000.0f;     /* 100 Hz */
        n += dsp_master_process(&m, in, out, BLK);
        for (int i = 0; i < BLK; i++)
            assert_true(fabsf(out[i]) <= 1.0f);
    }
    double db = 20 * log10(m.worst);
    printf("    a square at +60 dB: %d of %d samples limited by more than 1 dB, %.1f dB at most\n", n, 20 * BLK, db);
    assert_true(n >= 20 * BLK - 2);
    assert_true(db > 59.0 && db < 67.0);          /* the blockers move the clipper's input a little */
}

static void test_dsp_distort_bitcrush_chorus(void **state)
{
    (void)state;
    float in[BLK], out[BLK];
    for (int i = 0; i < BLK; i++)
        in[i] = sinf(0.05f * i);
    dsp_distort_process(in, out, fill(p1, BLK, 10.0f), fill(p2, BLK, 0.0f), BLK);
    assert_memory_equal(in, out, sizeof in);             /* mix 0 = dry */
    dsp_distort_process(in, out, p1, fill(p2, BLK, 1.0f), BLK);
    float peak = 0;
    for (int i = 0; i < BLK; i++)
        peak = fmaxf(peak, fabsf(out[i]));
    assert_near(peak, 1.0, 0.01, "distort keeps full scale at full scale");
    assert_true(fabsf(out[5]) > fabsf(in[5]));           /* small values pushed up */
    /* harmonics: a sine driven hard grows a 3rd harmonic */
    for (int i = 0; i < NFFT; i += BLK) {
        for (int k = 0; k < BLK; k++)
            in[k] = 0.5f * sinf(2.0f * (float)M_PI * 1000.0f * (float)(i + k) / 48000.0f);
        dsp_distort_process(in, buf + i, fill(p1, BLK, 8.0f), p2, BLK);
    }
    struct spectrum sp;
    spec(&sp, buf, NFFT, 48000.0);
    assert_true(harmonic_db(&sp, 1000.0, 3) > -20.0);
    assert_below(harmonic_db(&sp, 1000.0, 2), -80.0, "symmetric shaper: no even harmonics");
    spectrum_free(&sp);

    struct dsp_bitcrush bc;
    dsp_bitcrush_init(&bc);
    for (int i = 0; i < BLK; i++)
        in[i] = sinf(0.05f * i);
    dsp_bitcrush_process(&bc, in, out, fill(p1, BLK, 2.0f), fill(p2, BLK, 4.0f), BLK);
    for (int i = 0; i < BLK; i++) {
        assert_true(out[i] == -1.0f || out[i] == -0.5f || out[i] == 0.0f || out[i] == 0.5f || out[i] == 1.0f);
        if (i % 4)
            assert_true(out[i] == out[i - 1]);           /* held for 4 frames */
    }
    assert_true(out[0] == 0.0f && out[4] == dsp_roundf(in[4] * 2.0f) / 2.0f);

    const float sr = 48000.0f;
    struct dsp_chorus ch;
    void *mem = malloc(dsp_chorus_size(sr));
    dsp_chorus_init(&ch, mem, 0.0f, sr);
    static float x[4096], y[4096];
    memset(x, 0, sizeof x);
    x[10] = 1.0f;
    for (int b = 0; b < 4096; b += BLK)                  /* depth 0: a plain 12 ms delay */
        dsp_chorus_process(&ch, x + b, y + b, fill(p1, BLK, 1.0f), fill(p2, BLK, 0.0f),
                           fill(p3, BLK, 1.0f), BLK);
    assert_near(y[10 + 576], 1.0, 1e-6, "chorus centre delay 12 ms");
    for (int b = 0; b < 4096; b += BLK)
        dsp_chorus_process(&ch, x + b, y + b, p1, fill(p2, BLK, 1.0f), fill(p3, BLK, 0.0f), BLK);
    assert_memory_equal(x, y, sizeof x);                 /* mix 0 = dry */
    free(mem);
}

/* ----------------------------------------------------------- instruments */

static void test_dsp_instruments_sound_at_pitch_end_and_fall_silent(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    enum { W = 8, LANE = 3 };
    static const float freq[DSP_SYNTH_KINDS] = { 60, 220, 220, 330, 220, 200, 8000, 220, 220, 220, 220, 220, 220, 220, 220,
                                                 /* h-synth2: sos drums, variable-width saws, mandolin, noise */
                                                 60, 220, 220, 405, 220, 220, 220, 220, 220, 220, 1500, 220, 220, 220 };
    /* the h-synth2 kinds' strongest partial as a multiple of freq; 0: noisy or
     * sweeping (soshats, supersiren, superclap, superstatic, superwavemechanics,
     * supergrind; supercomparator, whose wandering pulse widths can put its
     * second harmonic first): test_synth checks them */
    static const float heard[DSP_SYNTH_KINDS] = { [DSP_SOSKICK] = 1, 1, 0, 0.85f, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0 };
    static struct dsp_synth syn;
    static float out[BLK * W];
    for (int kind = 0; kind < DSP_SYNTH_KINDS; kind++) {
        const char *name = dsp_synth_kind_name((enum dsp_synth_kind)kind);
        assert_int_equal(dsp_synth_kind_from_name(name), kind);
        dsp_synth_init(&syn, (enum dsp_synth_kind)kind, sr);
        struct dsp_synth_note note;
        dsp_synth_note_defaults((enum dsp_synth_kind)kind, &note);
        note.freq = freq[kind];
        dsp_synth_trigger(&syn, LANE, &note);
        assert_true(syn.live == 1u << LANE);
        memset(buf, 0, sizeof buf);
        int frames = 0, ended_at = -1;
        float peak = 0, after = 0, others = 0;
        for (int b = 0; b < 5 * 48000 / BLK; b++) {
            uint32_t ended = dsp_synth_render(&syn, out, W, BLK);
            for (int i = 0; i < BLK; i++) {
                for (int l = 0; l < W; l++)
                    if (l != LANE)
                        others = fmaxf(others, fabsf(out[i * W + l]));
                float y = out[i * W + LANE];
                assert_true(isfinite(y));
                if (ended_at < 0) {
                    if (frames < NFFT)
                        buf[frames] = y;
                    peak = fmaxf(peak, fabsf(y));
                } else {
                    after = fmaxf(after, fabsf(y));
                }
                frames++;
            }
            if (ended) {
                assert_true(ended == 1u << LANE && ended_at < 0);
                ended_at = frames;
            }
        }
        struct spectrum sp;                              /* the hat lasts ~0.1 s: look at that */
        spec(&sp, buf, kind == DSP_SUPERHAT ? 4096 : NFFT, sr);
        double f = kind == DSP_SUPERHAT ? NAN : spectrum_peak_hz(&sp, 20, 20000);
        double hat_band = 0, hat_low = 0;
        if (kind == DSP_SUPERHAT) {                     /* SuperDirt's: noise between freq and 3 freq */
            hat_band = spectrum_band_power_db(&sp, freq[kind], fmin(3 * freq[kind], 0.45 * sr));
            hat_low = spectrum_band_power_db(&sp, freq[kind] / 4, freq[kind] / 2);
        }
        spectrum_free(&sp);
        printf("    %-10s peak %.2f, strongest %.1f Hz (asked %.0f), ended after %.3f s\n",
               name, peak, f, freq[kind], ended_at / sr);
        assert_true(peak > 0.1f && peak < 4.0f);
        if (kind == DSP_SUPERHAT) {
            printf("    superhat: freq .. 3 freq %.1f dB, the octave a fourth .. half of freq %.1f dB\n", hat_band,
                   hat_low);
            assert_true(hat_band > hat_low + 10.0);
        }
        else if (kind < DSP_SOSKICK)
            assert_near(f, kind == DSP_SUPERHAMMOND ? freq[kind] / 2 : freq[kind], freq[kind] * 0.025, name);
        else if (heard[kind] > 0)
            assert_near(f, heard[kind] * freq[kind], heard[kind] * freq[kind] * 0.025, name);
        assert_true(ended_at > 0 && ended_at < 4 * 48000);
        assert_true(after == 0.0f && others == 0.0f);
        assert_true(syn.live == 0);
    }
}

static void test_dsp_instruments_release_early_and_retrigger(void **state)
{
    (void)state;
    static struct dsp_synth syn;
    static float out[BLK * 4];
    dsp_synth_init(&syn, DSP_SUPERSAW, 48000.0f);
    struct dsp_synth_note note;
    dsp_synth_note_defaults(DSP_SUPERSAW, &note);
    note.sustain = 10.0f;
    note.release = 0.01f;
    dsp_synth_trigger(&syn, 0, &note);
    dsp_synth_trigger(&syn, 2, &note);
    dsp_synth_render(&syn, out, 4, BLK);
    assert_true(syn.live == 5u);
    dsp_synth_release(&syn, 2);
    uint32_t ended = 0;
    for (int b = 0; b < 4; b++)
        ended |= dsp_synth_render(&syn, out, 4, BLK);
    assert_true(ended == 4u && syn.live == 1u);            /* lane 2 released in 10 ms */
    /* retrigger lane 0 while sounding: no jump in the envelope */
    float before = syn.env[0][0];
    dsp_synth_trigger(&syn, 0, &note);
    dsp_synth_render(&syn, out, 4, 1);
    assert_true(syn.env[0][0] >= before && syn.env[0][0] - before < 0.01f);
}

/* Same input, same bits: whatever the block size or the batch width. */
static void test_dsp_output_independent_of_block_size_and_width(void **state)
{
    (void)state;
    const float sr = 48000.0f;
    enum { N = 9600 };
    static float in[N], a[2][N], b[2][N];
    uint32_t rng = dsp_noise_seed(2);
    for (int i = 0; i < N; i++)
        in[i] = dsp_noise_tick(&rng);
    static float pa[N], pb[N], pc[N], pd[N], pe[N], pf[N];
    fill(pa, N, 0.01f); fill(pb, N, 0.7f); fill(pc, N, 0.5f);
    fill(pd, N, 0.3f); fill(pe, N, 0.5f); fill(pf, N, 0.4f);
    for (int pass = 0; pass < 2; pass++) {
        int blk = pass ? 37 : 600;
        struct dsp_plate pl;
        void *mem = malloc(dsp_plate_size(sr));
        dsp_plate_init(&pl, mem, sr);
        float (*o)[N] = pass ? b : a;
        for (int i = 0; i < N; i += blk) {
            int m = N - i < blk ? N - i : blk;
            dsp_plate_process(&pl, in + i, NULL, o[0] + i, o[1] + i, pa + i, pb + i, pc + i,
                              pd + i, pe + i, pf + i, m);
        }
        free(mem);
    }
    assert_memory_equal(a, b, sizeof a);

    static struct dsp_synth s4, s16;   /* s16: 8 lanes (VOICE_W) */
    static float o4[4 * 1000], o16[16 * 1000];
    dsp_synth_init(&s4, DSP_SUPERPWM, sr);
    dsp_synth_init(&s16, DSP_SUPERPWM, sr);
    struct dsp_synth_note note;
    dsp_synth_note_defaults(DSP_SUPERPWM, &note);
    dsp_synth_trigger(&s4, 1, &note);
    dsp_synth_trigger(&s16, 1, &note);
    dsp_synth_render(&s4, o4, 4, 1000);
    dsp_synth_render(&s16, o16, 8, 1000);
    for (int i = 0; i < 1000; i++)
        assert_true(o4[i * 4 + 1] == o16[i * 8 + 1]);
}

int main(void)
{
    dsp_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dsp_math_approximations_accuracy),
        cmocka_unit_test(test_dsp_sine_has_one_peak),
        cmocka_unit_test(test_dsp_saw_has_all_harmonics_1_over_n),
        cmocka_unit_test(test_dsp_square_has_odd_harmonics_only),
        cmocka_unit_test(test_dsp_tri_has_odd_harmonics_1_over_n2),
        cmocka_unit_test(test_dsp_pulse_width_shapes_harmonics),
        cmocka_unit_test(test_dsp_oscillators_alias_below_60db),
        cmocka_unit_test(test_dsp_oscillators_run_backwards_and_stay_bounded),
        cmocka_unit_test(test_dsp_fm_sidebands_follow_index),
        cmocka_unit_test(test_dsp_noise_colours_have_their_slopes),
        cmocka_unit_test(test_dsp_svf_lowpass_is_3db_down_at_cutoff),
        cmocka_unit_test(test_dsp_svf_shapes),
        cmocka_unit_test(test_dsp_filters_stay_stable_under_sweeps),
        cmocka_unit_test(test_dsp_moog_self_oscillates_near_full_resonance),
        cmocka_unit_test(test_dsp_adsr_segments_are_sample_exact),
        cmocka_unit_test(test_dsp_adsr_retrigger_starts_from_current_level),
        cmocka_unit_test(test_dsp_adsr_releases_from_any_stage),
        cmocka_unit_test(test_dsp_ad_perc_ar_line),
        cmocka_unit_test(test_dsp_pan_is_equal_power),
        cmocka_unit_test(test_dsp_hermite_interpolates_smoothly),
        cmocka_unit_test(test_dsp_delay_echo_lands_on_the_right_sample),
        cmocka_unit_test(test_dsp_delay_feedback_099_ten_minutes_stays_put),
        cmocka_unit_test(test_dsp_reverb_tail_decays_and_mix0_is_dry),
        cmocka_unit_test(test_dsp_plate_tail_decays_and_stays_bounded),
        cmocka_unit_test(test_dsp_limit_never_exceeds_its_ceiling),
        cmocka_unit_test(test_dsp_compress_reduces_by_its_ratio),
        cmocka_unit_test(test_dsp_master_is_transparent_below_minus3db_and_never_clips),
        cmocka_unit_test(test_dsp_master_removes_dc_of_a_hard_clipped_signal),
        cmocka_unit_test(test_dsp_master_counts_what_it_limits),
        cmocka_unit_test(test_dsp_distort_bitcrush_chorus),
        cmocka_unit_test(test_dsp_instruments_sound_at_pitch_end_and_fall_silent),
        cmocka_unit_test(test_dsp_instruments_release_early_and_retrigger),
        cmocka_unit_test(test_dsp_output_independent_of_block_size_and_width),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
