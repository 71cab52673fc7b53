/* test_synth_ctl.c -- SuperDirt's per-synth arguments as a user hears them
 * (issue 12, h-synthctl): each synth's arguments (voice, detune, rate,
 * semitone, pitch1, pitch2, lfo, slide, resonance, decay, speed,
 * accelerate, modamp, modfreq, Strudel's fm) change its sound the way its
 * SuperDirt SynthDef says. One table row per synth and argument: the same
 * note rendered without and with the argument (fixture_render), a measure
 * taken on both outputs (a pitch, the level at a frequency, a spectral
 * centroid, a level over a window, a length, a tremolo's swing), and the
 * window their ratio must fall in. An argument that changed nothing gives
 * a ratio of 1 and fails its row.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/spectrum.h"
#include "fixture.h"

#define SR 48000
#define BLOCK 256
#define SECONDS 1.5
#define FFT 8192

enum measure {
    PITCH,      /* strongest partial in [a, b] Hz, window at t0 */
    LEVEL,      /* linear level within 3 Hz of a Hz, window at t0 */
    CENTROID,   /* spectral centroid (power-weighted, 20 Hz .. 20 kHz), window at t0 */
    BAND,       /* mean power in [a, b] Hz (linear), window at t0 */
    RMS,        /* RMS over [t0, a] s */
    LENGTH,     /* seconds until the last sample above a dB re the peak */
    WOBBLE,     /* the swing (std / mean) of the 10 ms RMS over [t0, a] s */
    DIFF,       /* RMS of (with - without) over the RMS of without */
};

struct ctl_case {
    const char *label, *base, *with;    /* # ... appended to `out: s "<synth>"` (bpm 30: a cycle is 2 s) */
    enum measure m;
    double t0, a, b, lo, hi;            /* the ratio with / without must be in [lo, hi] */
};

/* Every row plays one note at the start of a 2 s cycle; SECONDS rendered. */
static const struct ctl_case cases[] = {
    /* supersaw: SuperDirt's voice (detune), semitone, pitch1, lfo, resonance, decay, speed, accelerate */
    { "supersaw pitch1", "s \"supersaw\" # note -12 # sustain 1", "# pitch1 0.2", BAND, 0.1, 2000, 6000, 0, 0.1 },
    { "supersaw lfo", "s \"supersaw\" # note -12 # sustain 1", "# lfo 6", BAND, 0.3, 3000, 8000, 3, 1e9 },
    { "supersaw resonance", "s \"supersaw\" # note -12 # sustain 1 # resonance 0", "# resonance 1", LEVEL, 0.1,
      1308, 0, 1.2, 1000 },
    { "supersaw semitone", "s \"supersaw\" # note -12 # sustain 1", "# semitone 7", LEVEL, 0.1, 196.0, 0, 10, 1e6 },
    { "supersaw decay", "s \"supersaw\" # note -12 # sustain 1", "# decay 0.8", RMS, 0.5, 0.9, 0, 0.1, 0.35 },
    { "supersaw speed", "s \"supersaw\" # note -12 # sustain 1", "# speed 2", PITCH, 0.1, 100, 400, 1.95, 2.05 },
    { "supersaw accelerate", "s \"supersaw\" # note -12 # sustain 1", "# accelerate 1", PITCH, 0.7, 100, 250, 1.6,
      2.05 },
    { "supersaw voice", "s \"supersaw\" # note -12 # sustain 1 # voice 0", "# voice 2", LEVEL, 0.1, 130.81 * 8 * 1.04,
      0, 10, 1e6 },
    /* supersquare: voice (pulse width), semitone, pitch1, resonance, decay */
    { "supersquare voice", "s \"supersquare\" # note -12 # sustain 1", "# voice 0.15", LEVEL, 0.1, 261.63, 0, 10,
      1e6 },
    { "supersquare semitone", "s \"supersquare\" # note -12 # sustain 1", "# semitone 7", LEVEL, 0.1, 87.31, 0, 10,
      1e6 },
    { "supersquare pitch1", "s \"supersquare\" # note -12 # sustain 1", "# pitch1 0.2", CENTROID, 0.1, 0, 0, 0.2,
      0.85 },
    { "supersquare decay", "s \"supersquare\" # note -12 # sustain 1", "# decay 1", RMS, 0.5, 0.9, 0, 0, 0.05 },
    { "supersquare accelerate", "s \"supersquare\" # note -12 # sustain 1", "# accelerate -0.5", PITCH, 0.7, 50,
      300, 0.5, 0.8 },
    /* superreese: detune (%), voice (the filter's q) */
    { "superreese detune", "s \"superreese\" # note 0 # sustain 1", "# detune 3", LEVEL, 0.1, 261.63 * 4 * 1.0335,
      0, 10, 1e6 },
    { "superreese voice", "s \"superreese\" # note -12 # sustain 1", "# voice 2", DIFF, 0.1, 0, 0, 0.1, 10 },
    /* superpwm: voice (the widths' swing), semitone (second pulse below), decay */
    { "superpwm voice", "s \"superpwm\" # note -12 # sustain 1 # voice 0", "# voice 1", DIFF, 0.1, 0, 0, 0.3, 10 },
    { "superpwm semitone", "s \"superpwm\" # note -12 # sustain 1", "# semitone 12", LEVEL, 0.1, 65.41, 0, 10,
      1e6 },
    { "superpwm decay", "s \"superpwm\" # note -12 # sustain 1", "# decay 0.9", RMS, 0.5, 0.9, 0, 0.02, 0.25 },
    { "superpwm rate", "s \"superpwm\" # note -12 # sustain 1", "# rate 9", DIFF, 0.1, 0, 0, 0.2, 10 },
    /* superchip: pitch2 (the triangle's harmonic), slide with rate */
    { "superchip pitch2", "s \"superchip\" # note 0 # sustain 1", "# pitch2 1.5", LEVEL, 0.1, 392.4, 0, 10, 1e6 },
    { "superchip slide", "s \"superchip\" # note 12 # sustain 1", "# slide 1", PITCH, 0.02, 300, 700, 0.7, 0.95 },
    { "superchip slide rate", "s \"superchip\" # note 12 # sustain 1 # slide 1", "# rate 3", PITCH, 0.02, 300, 700,
      0.98, 1.5 },
    { "superchip voice", "s \"superchip\" # note 0 # sustain 1", "# voice 0.6", LEVEL, 0.1, 261.63 * 2, 0, 0,
      0.1 },
    { "superchip voice off", "s \"superchip\" # note 0 # sustain 1", "# voice 0.3", DIFF, 0.1, 0, 0, 0.2, 10 },
    /* supersnare: decay (the noise's length) */
    { "supersnare decay", "s \"supersnare\" # sustain 0.3", "# decay 4", LENGTH, 0, -50, 0, 1.5, 10 },
    { "supersnare speed", "s \"supersnare\" # sustain 0.3", "# speed 2", PITCH, 0.0, 100, 500, 1.9, 2.1 },
    /* the modal kinds */
    { "superpiano detune", "s \"superpiano\" # sustain 1", "# detune 1", PITCH, 0.02, 1700, 2000, 1.01, 1.05 },
    { "superpiano speed", "s \"superpiano\" # note -12 # sustain 1", "# speed 2", PITCH, 0.05, 100, 400, 1.97,
      2.03 },
    { "superpiano accelerate", "s \"superpiano\" # note -12 # sustain 1", "# accelerate 1", PITCH, 0.7, 100, 400,
      1.6, 2.05 },
    { "supergong voice", "s \"supergong\" # note -12 # sustain 1", "# voice 3", CENTROID, 0.05, 0, 0, 1.3, 20 },
    { "supergong decay", "s \"supergong\" # note -12 # sustain 1", "# decay 0", CENTROID, 0.8, 0, 0, 0.1, 0.9 },
    { "superfork accelerate", "s \"superfork\" # note 9 # sustain 1", "# accelerate 0.5", PITCH, 0.7, 300, 800,
      1.3, 1.55 },
    { "superhammond voice", "s \"superhammond\" # sustain 1", "# voice 1", LEVEL, 0.1, 130.81, 0, 0, 0.1 },
    { "supervibe decay", "s \"supervibe\" # sustain 1", "# decay 3", LEVEL, 0.5, 261.63 * 3.984, 0, 0, 0.3 },
    { "supervibe velocity", "s \"supervibe\" # sustain 1", "# velocity 0.3", LEVEL, 0.1, 261.63 * 10.668, 0, 0, 0.2 },
    { "supervibe detune", "s \"supervibe\" # sustain 1", "# detune 2", LEVEL, 0.02, 261.63 * 12.668, 0, 10, 1e6 },
    { "supervibe modamp", "s \"supervibe\" # sustain 1", "# modamp 1.5 # modfreq 6", WOBBLE, 0.3, 1.2, 0, 1.2, 1e6 },
    { "supervibe modfreq", "s \"supervibe\" # sustain 1 # modamp 1", "# modfreq 13", DIFF, 0.1, 0, 0, 0.2, 10 },
    { "superprimes detune", "s \"superprimes\" # sustain 1", "# detune 1", LEVEL, 0.05, 261.63 * 11.0 / 6.0, 0, 10,
      1e6 },
    { "supermandolin detune", "s \"supermandolin\" # note 12 # sustain 1", "# detune 3", LEVEL, 0.05,
      523.25 * 3 * 1.03, 0, 10, 1e6 },
    { "supermandolin speed", "s \"supermandolin\" # sustain 1", "# speed 0.5", PITCH, 0.05, 100, 400, 0.48, 0.52 },
    /* the variable-width saws */
    { "supersiren speed", "s \"supersiren\" # sustain 1", "# speed 0.5", CENTROID, 0.02, 0, 0, 0.3, 0.8 },
    { "superzow slide", "s \"superzow\" # sustain 1", "# slide 8", DIFF, 0.2, 0, 0, 0.3, 10 },
    { "superzow decay", "s \"superzow\" # sustain 1", "# decay 0.9", RMS, 0.5, 0.9, 0, 0.02, 0.3 },
    { "supercomparator voice", "s \"supercomparator\" # note -12 # sustain 1", "# voice 4", DIFF, 0.2, 0, 0, 0.2,
      10 },
    { "supercomparator pitch1", "s \"supercomparator\" # note -12 # sustain 1", "# pitch1 4", CENTROID, 0.3, 0, 0,
      1.3, 20 },
    { "supercomparator resonance", "s \"supercomparator\" # note -12 # sustain 1", "# resonance 0", DIFF, 0.3, 0,
      0, 0.1, 10 },
    { "supertron voice", "s \"supertron\" # sustain 1", "# voice 1.5", DIFF, 0.2, 0, 0, 0.2, 10 },
    { "superhoover slide", "s \"superhoover\" # note 12 # sustain 1", "# slide 2", PITCH, 0.03, 200, 700, 0.45, 0.8 },
    { "superhoover decay", "s \"superhoover\" # sustain 1", "# decay 0.9", RMS, 0.5, 0.9, 0, 0.02, 0.3 },
    /* the noises */
    { "superclap rate", "s \"superclap\" # sustain 1", "# rate 4", RMS, 0, 0.2, 0, 0.2, 0.75 },
    { "superclap delay", "s \"superclap\" # sustain 1", "# delay 4", RMS, 0.06, 0.1, 0, 10, 1e9 },
    { "superclap pitch1", "s \"superclap\" # sustain 1", "# pitch1 3", CENTROID, 0.0, 0, 0, 1.5, 10 },
    { "superstatic speed", "s \"superstatic\" # note 12 # sustain 1", "# speed 2", RMS, 0.3, 0.7, 0, 1.2, 3 },
    { "superwavemechanics voice", "s \"superwavemechanics\" # sustain 1", "# voice 1", BAND, 0.4, 1500, 6000, 10,
      1e9 },
    { "superwavemechanics detune", "s \"superwavemechanics\" # sustain 1", "# detune 1.5", DIFF, 0.4, 0, 0, 0.3,
      10 },
    { "supergrind voice", "s \"supergrind\" # note -12 # sustain 1", "# voice 1", DIFF, 0.3, 0, 0, 0.3, 10 },
    { "supergrind accelerate", "s \"supergrind\" # note -12 # sustain 1", "# accelerate 1", DIFF, 0.3, 0, 0, 0.3,
      10 },
    { "superwavemechanics accelerate", "s \"superwavemechanics\" # sustain 1", "# accelerate 1", CENTROID, 0.6, 0,
      0, 1.3, 3 },
    /* the noises' envelope: the sustain's, or SuperDirt's module's attack and release */
    { "superclap release", "s \"superclap\" # sustain 1", "# release 0.03", RMS, 0.025, 0.05, 0, 0, 0.5 },
    { "superstatic attack", "s \"superstatic\" # note 12 # sustain 1", "# attack 0.01", RMS, 0, 0.1, 0, 3, 1e6 },
    { "supergrind release", "s \"supergrind\" # note -12 # sustain 1", "# release 0.05", RMS, 0.5, 0.8, 0, 0, 0.01 },
    /* the sos drums */
    { "soskick pitch2", "s \"soskick\"", "# pitch2 1", BAND, 0.0, 2000, 8000, 10, 1e9 },
    { "soshats resonance", "s \"soshats\"", "# resonance 0.1", DIFF, 0.0, 0, 0, 0.2, 10 },
    { "sossnare semitone", "s \"sossnare\"", "# semitone 0.7", LEVEL, 0.0, 405 * 0.7, 0, 10, 1e6 },
    { "sossnare pitch1", "s \"sossnare\"", "# pitch1 6000", CENTROID, 0.0, 0, 0, 1.2, 10 },
    /* superkick (h-kickargs): SuperDirt's click, decay its length, pitch1 / speed / accelerate its low-pass */
    { "superkick decay", "s \"superkick\"", "# decay 8", BAND, 0.0, 4000, 16000, 3, 1e9 },
    { "superkick pitch1", "s \"superkick\" # decay 8", "# pitch1 0.5", BAND, 0.0, 4000, 16000, 0, 0.1 },
    { "superkick pitch1 scales", "s \"superkick\" # pitch1 1", "# pitch1 4", BAND, 0.0, 3000, 12000, 3, 1e9 },
    { "superkick speed", "s \"superkick\" # pitch1 1", "# speed 4", BAND, 0.0, 3000, 12000, 3, 1e9 },
    { "superkick accelerate", "s \"superkick\" # decay 8 # pitch1 1", "# accelerate 4", BAND, 0.0, 4000, 16000, 2,
      1e9 },
    { "superkick accelerate down", "s \"superkick\" # decay 8 # pitch1 1", "# accelerate -1", BAND, 0.0, 700, 3000,
      0, 0.6 },
    /* superhat (h-kickargs): speed and accelerate move both filters */
    { "superhat speed", "s \"superhat\" # note -12 # sustain 1", "# speed 0.5", CENTROID, 0.05, 0, 0, 0.4, 0.65 },
    { "superhat accelerate", "s \"superhat\" # note -12 # sustain 1", "# accelerate -0.5", CENTROID, 0.7, 0, 0,
      0.45, 0.8 },
    /* Strudel's fm after # with one argument: the voice's FM index (fmi) */
    { "fm index", "note 0 # s \"superpwm\" # sustain 1", "# fm 3", CENTROID, 0.1, 0, 0, 1.1, 20 },
    { "fm is fmi", "note 0 # s \"superpwm\" # sustain 1 # fmi 3", "# fm 0", CENTROID, 0.1, 0, 0, 0.3, 0.95 },
};

/* The left channel of SECONDS of `bpm: 30` then out: pat (it must compile). */
static float *render(const char *pat, long *frames)
{
    struct sample_bank_opts bo = { .no_env = 1, .no_kit = 1 };
    struct sample_bank *bank = sample_bank_new(NULL, 0, SR, &bo, NULL);
    assert_non_null(bank);
    char src[512];
    snprintf(src, sizeof src, "bpm: 30\nout: %s\n", pat);
    long n = (long)(SECONDS * SR);
    float *x = malloc(sizeof *x * (size_t)n);
    assert_non_null(x);
    assert_int_equal(fixture_render(src, "synthctl.ph", bank, SR, BLOCK, x, NULL, (int)n), 0);
    sample_bank_free(bank);
    *frames = n;
    return x;
}

static double rms(const float *x, long a, long b)
{
    double s = 0;
    for (long i = a; i < b; i++)
        s += (double)x[i] * x[i];
    return sqrt(s / (double)(b > a ? b - a : 1));
}

static double spectral(const struct ctl_case *k, const float *x)
{
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, x + (long)(k->t0 * SR), FFT, SR), 0);
    double v = 0;
    if (k->m == PITCH) {
        v = spectrum_peak_hz(&sp, k->a, k->b);
    } else if (k->m == LEVEL) {
        v = pow(10, spectrum_level_near(&sp, k->a, 3) / 20);
    } else if (k->m == BAND) {
        v = pow(10, spectrum_band_power_db(&sp, k->a, k->b) / 10);
    } else {
        double num = 0, den = 0;
        for (int b = spectrum_hz_bin(&sp, 20); b <= spectrum_hz_bin(&sp, 20000); b++) {
            double p = pow(10, sp.db[b] / 10);
            num += p * spectrum_bin_hz(&sp, b);
            den += p;
        }
        v = num / (den + 1e-300);
    }
    spectrum_free(&sp);
    return v;
}

static double measure(const struct ctl_case *k, const float *x, long n)
{
    switch (k->m) {
    case RMS: return rms(x, (long)(k->t0 * SR), (long)(k->a * SR));
    case LENGTH: {
        double pk = 0;
        long last = 0;
        for (long i = 0; i < n; i++)
            pk = fmax(pk, fabs(x[i]));
        for (long i = 0; i < n; i++)
            if (fabs(x[i]) > pk * pow(10, k->a / 20))
                last = i;
        return (double)last / SR;
    }
    case WOBBLE: {
        long w = SR / 100, a = (long)(k->t0 * SR), b = (long)(k->a * SR);
        double s = 0, s2 = 0;
        int m = 0;
        for (long i = a; i + w <= b; i += w, m++) {
            double r = rms(x, i, i + w);
            s += r;
            s2 += r * r;
        }
        double mean = s / m;
        return sqrt(fmax(s2 / m - mean * mean, 0)) / (mean + 1e-30);
    }
    default: return spectral(k, x);
    }
}

/* Each row: the ratio of the measure with the argument to without it. */
static void test_synth_arguments_change_the_sound(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        const struct ctl_case *k = &cases[c];
        char with[512];
        snprintf(with, sizeof with, "%s %s", k->base, k->with);
        long n, n2;
        float *x = render(k->base, &n), *y = render(with, &n2);
        double ratio;
        if (k->m == DIFF) {
            long a = (long)(k->t0 * SR);
            double d = 0;
            for (long i = a; i < n; i++)
                d += ((double)y[i] - x[i]) * ((double)y[i] - x[i]);
            ratio = sqrt(d / (double)(n - a)) / (rms(x, a, n) + 1e-30);
        } else {
            ratio = measure(k, y, n2) / (measure(k, x, n) + 1e-30);
        }
        int ok = ratio >= k->lo && ratio <= k->hi;
        print_message("    %-28s %-28s ratio %9.4f (want %g .. %g)%s\n", k->label, k->with, ratio, k->lo, k->hi,
                      ok ? "" : "  FAILED");
        failed += !ok;
        free(x);
        free(y);
    }
    assert_int_equal(failed, 0);
}

/* An argument the event does not give leaves the sound as it was: the
 * defaults written out (SuperDirt's values, where phonon's sound is the
 * same) render the same samples. */
static void test_synth_argument_defaults_are_the_sound(void **state)
{
    (void)state;
    static const char *const pairs[][2] = {
        { "s \"supersaw\" # note -12 # sustain 1", "# pitch1 1 # lfo 1 # semitone 12 # decay 0 # speed 1" },
        { "s \"supersquare\" # note -12 # sustain 1", "# voice 0.5 # pitch1 1 # decay 0" },
        { "s \"superpwm\" # note -12 # sustain 1", "# voice 0.5 # decay 0" },
        { "s \"supergong\" # sustain 1", "# voice 0 # decay 1" },
        { "s \"superzow\" # sustain 1", "# slide 1 # decay 0" },
        { "s \"supermandolin\" # sustain 1", "# detune 0.2" },
        { "s \"superkick\"", "# decay 1" },
        { "s \"superhat\" # sustain 1", "# speed 1 # accelerate 0" },
    };
    for (size_t c = 0; c < sizeof pairs / sizeof *pairs; c++) {
        char with[512];
        snprintf(with, sizeof with, "%s %s", pairs[c][0], pairs[c][1]);
        long n, n2;
        float *x = render(pairs[c][0], &n), *y = render(with, &n2);
        double d = 0;
        for (long i = 0; i < n; i++)
            d = fmax(d, fabs((double)y[i] - x[i]));
        print_message("    %-40s %-50s max diff %g\n", pairs[c][0], pairs[c][1], d);
        assert_true(d < 1e-4);
        free(x);
        free(y);
    }
}

/* fm with two or three arguments is still phonon's oscillator: a sound of
 * its own at the carrier. */
static void test_synth_fm_oscillator_form(void **state)
{
    (void)state;
    long n;
    float *x = render("fm 261.63 523.26 0.5 * 0.2", &n);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, x + SR / 10, FFT, SR), 0);
    double hz = spectrum_peak_hz(&sp, 100, 1000);
    spectrum_free(&sp);
    assert_true(fabs(hz - 261.63) < 3);
    free(x);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_synth_arguments_change_the_sound),
        cmocka_unit_test(test_synth_argument_defaults_are_the_sound),
        cmocka_unit_test(test_synth_fm_oscillator_form),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
