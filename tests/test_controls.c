/* tests/test_controls.c -- SuperDirt's controls (issue 12), measured on
 * rendered output.
 *
 * Each test compiles a .ph source string, plays it through a one-thread
 * engine and measures what the control should change: a level, a spectrum
 * or where sound falls in time. Every control of the issue 12 block in
 * src/controls.h has a test here that fails when the control does nothing.
 *
 * Fixtures (a sample root in a mkdtemp directory, 32-bit float, 48 kHz):
 *   click/click.wav   64 frames, 1.0 at frame 0 and 0 after
 *   tone/tone.wav     1 s of a 480 Hz sine of amplitude 0.3
 *   kit_bd/a.wav      1 s of a 1000 Hz sine of amplitude 0.3 (for bank)
 *   bd/a.wav          1 s of a 200 Hz sine of amplitude 0.3
 *   noise/a.wav       1 s of white noise of amplitude 0.2 (a fixed generator)
 *   burst/a.wav       0.1 s of the 480 Hz tone of tone.wav, then 0.9 s of silence
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
#include "fixture.h"
#include "graph.h"
#include "lang.h"
#include "sample.h"
#include "spectrum.h"
#include "voice.h"

#define PI 3.14159265358979323846
#define SR 48000

/* ---- fixtures ----------------------------------------------------------------- */

static char root[64];

static void write_wav(const char *rel, const float *x, long n)
{
    char dir[128], path[192];
    snprintf(dir, sizeof dir, "%s/%s", root, rel);
    *strrchr(dir, '/') = '\0';
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/%s", root, rel);
    SF_INFO info = { .samplerate = SR, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    assert_int_equal(sf_writef_float(sf, x, n), n);
    sf_close(sf);
}

static void write_sine(const char *rel, double hz, double amp, long n)
{
    float *x = malloc(sizeof *x * (size_t)n);
    assert_non_null(x);
    for (long i = 0; i < n; i++)
        x[i] = (float)(amp * sin(2 * PI * hz * (double)i / SR));
    write_wav(rel, x, n);
    free(x);
}

static int group_setup(void **state)
{
    (void)state;
    dsp_init();
    snprintf(root, sizeof root, "/tmp/phonon-test-controls-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    float click[64] = { 1.0f };
    write_wav("click/click.wav", click, 64);
    write_sine("tone/tone.wav", 480, 0.3, SR);
    write_sine("kit_bd/a.wav", 1000, 0.3, SR);
    write_sine("bd/a.wav", 200, 0.3, SR);
    float *nz = malloc(sizeof *nz * SR);
    assert_non_null(nz);
    uint32_t rng = 12345;
    for (long i = 0; i < SR; i++) {
        rng = rng * 1664525u + 1013904223u;
        nz[i] = 0.2f * ((float)(rng >> 8) / 8388608.0f - 1.0f);
    }
    write_wav("noise/a.wav", nz, SR);
    free(nz);
    /* burst: 0.1 s of the 480 Hz tone, then 0.9 s of silence (freeze) */
    float *bu = calloc(SR, sizeof *bu);
    assert_non_null(bu);
    for (long i = 0; i < SR / 10; i++)
        bu[i] = (float)(0.3 * sin(2 * PI * 480 * (double)i / SR));
    write_wav("burst/a.wav", bu, SR);
    free(bu);
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
    float *buf;                     /* interleaved stereo */
    long frames;
    long fx_dropped;                /* engine_stats.voices_fx_dropped */
};

static struct program *compile(const char *src, struct sample_bank *bank)
{
    return fixture_compile(src, "test.ph", bank, SR, 512);
}

static struct sample_bank *bank_new(void)
{
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1 };
    struct sample_error serr;
    struct sample_bank *bank = sample_bank_new(roots, 1, SR, &bo, &serr);
    assert_non_null(bank);
    return bank;
}

/* Render `seconds` of src, then (when src2 is not NULL) publish src2 as a
 * reload and render `seconds2` more. 0, or -1 when a source fails. */
static int render2(const char *src, double seconds, const char *src2, double seconds2, struct render *r)
{
    memset(r, 0, sizeof *r);
    long n1 = (long)llround(seconds * SR), n2 = (long)llround(seconds2 * SR);
    r->frames = n1 + n2;
    struct sample_bank *bank = bank_new();
    struct program *p = compile(src, bank), *q = src2 ? compile(src2, bank) : NULL;
    if (!p || (src2 && !q)) {
        program_free(p);
        program_free(q);
        sample_bank_free(bank);
        return -1;
    }
    struct engine_opts eo = { .sample_rate = SR, .block = 512, .threads = 1, .voices = 1024, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    engine_publish(e, p);
    r->buf = calloc(2 * (size_t)(r->frames + 512), sizeof(float));
    assert_non_null(r->buf);
    long at = 0;
    for (; at < n1; at += 512) {
        engine_render(e, r->buf + 2 * at, 512);
        engine_collect(e);
    }
    if (q)
        engine_publish(e, q);
    for (; at < r->frames; at += 512) {
        engine_render(e, r->buf + 2 * at, 512);
        engine_collect(e);
    }
    struct engine_stats st;
    engine_get_stats(e, &st);
    r->fx_dropped = st.voices_fx_dropped;
    engine_free(e);
    sample_bank_free(bank);
    return 0;
}

static int render(const char *src, double seconds, struct render *r)
{
    return render2(src, seconds, NULL, 0, r);
}

static void render_free(struct render *r)
{
    free(r->buf);
    r->buf = NULL;
}

/* RMS of channel ch over seconds [a, b). */
static double rms(const struct render *r, int ch, double a, double b)
{
    long from = (long)(a * SR), to = (long)(b * SR);
    double s = 0;
    for (long i = from; i < to; i++)
        s += (double)r->buf[2 * i + ch] * r->buf[2 * i + ch];
    return sqrt(s / (double)(to - from));
}

static double db(double x) { return 20.0 * log10(x + 1e-30); }


/* The level (dB) of src's left channel over [a, b) seconds of a render of
 * `len` seconds. */
static double level(const char *src, double len, double a, double b)
{
    struct render r;
    assert_int_equal(render(src, len, &r), 0);
    double x = db(rms(&r, 0, a, b));
    render_free(&r);
    return x;
}

/* ---- orbits: delay ---------------------------------------------------------------- */

/* A click at 0 with delay 0.5, delaytime 0.25 s, feedback 0.5: echoes at
 * 0.25, 0.5, 0.75 s, each half the one before (the first: 0.5 of the
 * click); without delay nothing after the click. */
static void test_orbit_delay_echoes(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("cps: 0.25\nout: s \"click\" # delay 0.5 # delaytime 0.25 # delayfeedback 0.5", 1.0,
                            &r), 0);
    double e[3];
    for (int k = 0; k < 3; k++) {
        long at = (long)((k + 1) * 0.25 * SR);
        e[k] = 0;
        for (long i = at - 200; i < at + 200; i++)
            e[k] = fmax(e[k], fabs(r.buf[2 * i]));
        /* nothing between the echoes */
        double between = 0;
        for (long i = at + 400; i < at + SR / 8; i++)
            between = fmax(between, fabs(r.buf[2 * i]));
        assert_true(between < 0.02);
    }
    print_message("echoes %.3f %.3f %.3f\n", e[0], e[1], e[2]);
    assert_true(fabs(e[0] - 0.5) < 0.08);
    assert_true(fabs(e[1] / e[0] - 0.5) < 0.05);
    assert_true(fabs(e[2] / e[1] - 0.5) < 0.05);
    render_free(&r);
    assert_true(level("cps: 0.25\nout: s \"click\"", 1.0, 0.1, 1.0) < -100);
}

/* The aliases delayt and delayfb, and lock: delaytime 0.125 cycles at
 * cps 0.5 is 0.25 s. */
static void test_orbit_delay_aliases_and_lock(void **state)
{
    (void)state;
    const char *srcs[] = {
        "cps: 0.25\nout: s \"click\" # delay 0.5 # delayt 0.25 # delayfb 0.5",
        "cps: 0.5\nout: s \"click ~\" # delay 0.5 # delaytime 0.125 # lock 1 # delayfb 0.5",
    };
    for (int s = 0; s < 2; s++) {
        struct render r;
        assert_int_equal(render(srcs[s], 0.6, &r), 0);
        long at = SR / 4;
        double p = 0, early = 0;
        for (long i = at - 200; i < at + 200; i++)
            p = fmax(p, fabs(r.buf[2 * i]));
        for (long i = 400; i < at - 400; i++)
            early = fmax(early, fabs(r.buf[2 * i]));
        print_message("%s: echo %.3f, before %.4f\n", srcs[s], p, early);
        assert_true(p > 0.4);
        assert_true(early < 0.02);
        render_free(&r);
    }
}

/* delay with two or more (or keyword) arguments is phonon's bus effect
 * (time feedback mix), as before: it compiles and echoes at its time. */
static void test_orbit_delay_bus_form_kept(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("cps: 0.25\nout: s \"click\" # delay 0.1 0.5 0.5", 0.5, &r), 0);
    double p = 0;
    for (long i = SR / 10 - 200; i < SR / 10 + 200; i++)
        p = fmax(p, fabs(r.buf[2 * i]));
    assert_true(p > 0.2);
    render_free(&r);
    /* a keyword argument: the bus effect too (mix 1: only the echo at 0.1 s) */
    assert_int_equal(render("cps: 0.25\nout: s \"click\" # delay :time 0.1 :mix 1", 0.5, &r), 0);
    p = 0;
    for (long i = SR / 10 - 200; i < SR / 10 + 200; i++)
        p = fmax(p, fabs(r.buf[2 * i]));
    assert_true(p > 0.5);
    assert_true(fabs(r.buf[0]) < 0.01);
    render_free(&r);
}

/* Tails survive a reload: the second program has no delay at all; the
 * echoes of the first's click go on (an event without delay on the orbit
 * would set its level to 0, as in SuperDirt: this one plays nothing). */
static void test_orbit_tail_survives_reload(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render2("cps: 0.25\nout: s \"click\" # delay 0.5 # delaytime 0.3 # delayfb 0.8", 0.5,
                             "cps: 0.25\nout: s \"~\"", 1.0, &r), 0);
    double p = 0;                       /* the third echo, 0.9 s: 0.5 * 0.8^2 */
    for (long i = (long)(0.9 * SR) - 200; i < (long)(0.9 * SR) + 200; i++)
        p = fmax(p, fabs(r.buf[2 * i]));
    print_message("after the reload: echo %.3f\n", p);
    assert_true(fabs(p - 0.32) < 0.05);
    render_free(&r);
}

/* ---- orbits: reverb ----------------------------------------------------------------- */

/* room sends to the reverb: a tail after a short tone, none without; a
 * bigger size rings longer; dry 1 removes it; sz is size. */
static void test_orbit_room_size_dry(void **state)
{
    (void)state;
    double none = level("cps: 0.25\nout: s \"click\"", 2.0, 0.3, 1.0);
    double small = level("cps: 0.25\nout: s \"click\" # room 0.5 # size 0.1", 2.0, 1.0, 1.5);
    double big = level("cps: 0.25\nout: s \"click\" # room 0.5 # size 0.95", 2.0, 1.0, 1.5);
    double bigsz = level("cps: 0.25\nout: s \"click\" # room 0.5 # sz 0.95", 2.0, 1.0, 1.5);
    double tail = level("cps: 0.25\nout: s \"click\" # room 0.5 # size 0.5", 2.0, 0.1, 0.5);
    double dry = level("cps: 0.25\nout: s \"click\" # room 0.5 # size 0.5 # dry 1", 2.0, 0.1, 0.5);
    print_message("no room %.1f, size 0.1 %.1f, 0.95 %.1f, tail %.1f, dry 1 %.1f dB\n", none, small, big, tail,
                  dry);
    assert_true(none < -100);
    assert_true(tail > -60);
    assert_true(big > small + 10);
    assert_true(fabs(big - bigsz) < 1e-9);
    assert_true(dry < tail - 40);               /* what is left: the click through the master DC blocker */
}

/* orbit n: each orbit has its own effects, set by the latest event on it
 * (as in SuperDirt). A click with delay on orbit 1 echoes at 0.3 s while a
 * silent pattern plays on orbit 0; on the same orbit, the silent pattern's
 * event at 0.25 s (no delay: level 0) mutes the echo. */
static double echo_at(const char *src, double t)
{
    struct render r;
    assert_int_equal(render(src, 0.5, &r), 0);
    double p = 0;
    for (long i = (long)(t * SR) - 200; i < (long)(t * SR) + 200; i++)
        p = fmax(p, fabs(r.buf[2 * i]));
    render_free(&r);
    return p;
}

static void test_orbit_orbits_apart(void **state)
{
    (void)state;
    double apart = echo_at("cps: 0.5\n~a: s \"click\" # delay 0.5 # delaytime 0.3 # delayfb 0 # orbit 1\n"
                           "~b: s \"~ bd ~ ~ ~ ~ ~ ~\" # gain 0\nout: ~a + ~b", 0.3);
    double shared = echo_at("cps: 0.5\n~a: s \"click\" # delay 0.5 # delaytime 0.3 # delayfb 0\n"
                            "~b: s \"~ bd ~ ~ ~ ~ ~ ~\" # gain 0\nout: ~a + ~b", 0.3);
    print_message("echo on orbit 1 apart: %.3f, sharing orbit 0: %.3f\n", apart, shared);
    assert_true(apart > 0.4);
    assert_true(shared < 0.02);
    assert_true(echo_at("cps: 0.5\nout: s \"click\" # delay 0.5 # delaytime 0.3 # orbit 13", 0.3) > 0.4);
}

/* ---- levels: amp, postgain --------------------------------------------------------- */

static void test_amp_postgain_linear(void **state)
{
    (void)state;
    double base = level("out: s \"tone\"", 1.0, 0.1, 0.9);
    double amp = level("out: s \"tone\" # amp 0.5", 1.0, 0.1, 0.9);
    double sh = level("out: s \"tone\" # shape 0.5 # gain 0.3", 1.0, 0.1, 0.9);
    double post = level("out: s \"tone\" # shape 0.5 # gain 0.3 # postgain 0.5", 1.0, 0.1, 0.9);
    print_message("tone %.2f, amp 0.5 %.2f, shape %.2f, with postgain 0.5 %.2f dB\n", base, amp, sh, post);
    assert_true(fabs(amp - base + 6.02) < 0.05);
    assert_true(fabs(post - sh + 6.02) < 0.05);
}

/* ---- spectra: coarse, vowel, hcutoff, hpq, lpq --------------------------------------- */

/* The spectrum of 8192 frames of src's left channel from 0.1 s. */
static void spectrum_at(const char *src, double from, struct spectrum *sp)
{
    struct render r;
    assert_int_equal(render(src, from + 8192.0 / SR + 0.01, &r), 0);
    float *x = malloc(sizeof *x * 8192);
    assert_non_null(x);
    for (long i = 0; i < 8192; i++)
        x[i] = r.buf[2 * ((long)(from * SR) + i)];
    assert_int_equal(spectrum_init(sp, x, 8192, SR), 0);
    free(x);
    render_free(&r);
}

/* coarse 8 holds every 8th frame of the 480 Hz tone: images at 6000 - 480
 * and 6000 + 480 Hz, absent from the plain tone. */
static void test_coarse_images(void **state)
{
    (void)state;
    struct spectrum a, b;
    spectrum_at("out: s \"tone\"", 0.1, &a);
    spectrum_at("out: s \"tone\" # coarse 8", 0.1, &b);
    double pa = spectrum_level_near(&a, 5520, 30), pb = spectrum_level_near(&b, 5520, 30);
    print_message("5520 Hz: %.1f dB plain, %.1f dB with coarse 8\n", pa, pb);
    assert_true(pb > pa + 40);
    assert_true(spectrum_level_near(&b, 6480, 30) > pa + 40);
    spectrum_free(&a);
    spectrum_free(&b);
}

/* vowel on noise: the strongest band below 1.2 kHz is the first formant,
 * 650 Hz for "a", 290 Hz for "i"; an unknown vowel leaves the noise. */
static void test_vowel_formants(void **state)
{
    (void)state;
    struct spectrum a, i, x, n;
    spectrum_at("out: s \"noise\" # vowel \"a\"", 0.1, &a);
    spectrum_at("out: s \"noise\" # vowel \"i\"", 0.1, &i);
    spectrum_at("out: s \"noise\" # vowel \"x\"", 0.1, &x);
    spectrum_at("out: s \"noise\"", 0.1, &n);
    double fa = spectrum_peak_hz(&a, 200, 1200), fi = spectrum_peak_hz(&i, 200, 1200);
    double da = spectrum_band_power_db(&a, 600, 700) - spectrum_band_power_db(&a, 1300, 1500);
    double dn = spectrum_band_power_db(&n, 600, 700) - spectrum_band_power_db(&n, 1300, 1500);
    print_message("vowel a: peak %.0f Hz, %.1f dB over the gap (noise %.1f); i: %.0f Hz\n", fa, da, dn, fi);
    assert_true(fa > 600 && fa < 700);
    assert_true(fi > 260 && fi < 320);
    assert_true(da > dn + 10);
    assert_true(fabs(spectrum_band_power_db(&x, 100, 5000) - spectrum_band_power_db(&n, 100, 5000)) < 1e-6);
    spectrum_free(&a);
    spectrum_free(&i);
    spectrum_free(&x);
    spectrum_free(&n);
}

/* hcutoff alone is a high-pass; hpq (hresonance) and lpq (resonance)
 * raise the level at the cutoff. */
static void test_hcutoff_hpq_lpq(void **state)
{
    (void)state;
    struct spectrum n, h, hq, hr, l, lq;
    spectrum_at("out: s \"noise\"", 0.1, &n);
    spectrum_at("out: s \"noise\" # hcutoff 4000", 0.1, &h);
    spectrum_at("out: s \"noise\" # hcutoff 2000 # hpq 8", 0.1, &hq);
    spectrum_at("out: s \"noise\" # hcutoff 2000 # hresonance 8", 0.1, &hr);
    spectrum_at("out: s \"noise\" # cutoff 2000 # lpq 8", 0.1, &l);
    spectrum_at("out: s \"noise\" # cutoff 2000", 0.1, &lq);
    double low_n = spectrum_band_power_db(&n, 100, 500), low_h = spectrum_band_power_db(&h, 100, 500);
    double peak_q = spectrum_band_power_db(&hq, 1900, 2100) - spectrum_band_power_db(&n, 1900, 2100);
    double peak_l = spectrum_band_power_db(&l, 1900, 2100) - spectrum_band_power_db(&lq, 1900, 2100);
    print_message("hcutoff 4000: %.1f dB below 500 Hz (plain %.1f); hpq 8 +%.1f dB, lpq 8 +%.1f dB at 2 kHz\n",
                  low_h, low_n, peak_q, peak_l);
    assert_true(low_h < low_n - 40);
    assert_true(peak_q > 12);
    assert_true(peak_l > 12);
    assert_true(fabs(spectrum_band_power_db(&hq, 100, 5000) - spectrum_band_power_db(&hr, 100, 5000)) < 1e-9);
    spectrum_free(&n);
    spectrum_free(&h);
    spectrum_free(&hq);
    spectrum_free(&hr);
    spectrum_free(&l);
    spectrum_free(&lq);
}

/* djf below 0.5 takes the highs off noise, above it the lows; triode and
 * krush add harmonics to a sine; ring 1 at 1000 Hz puts the 480 Hz tone's
 * sidebands at 520 and 1480 Hz. */
static void test_djf_triode_krush_ring(void **state)
{
    (void)state;
    struct spectrum n, lo, hi, t, tt, k, r;
    spectrum_at("out: s \"noise\"", 0.1, &n);
    spectrum_at("out: s \"noise\" # djf 0.2", 0.1, &lo);
    spectrum_at("out: s \"noise\" # djf 0.8", 0.1, &hi);
    spectrum_at("out: s \"tone\"", 0.1, &t);
    spectrum_at("out: s \"tone\" # triode 1", 0.1, &tt);
    spectrum_at("out: s \"tone\" # krush 1", 0.1, &k);
    spectrum_at("out: s \"tone\" # ring 1 # ringf 1000", 0.1, &r);
    double hi_n = spectrum_band_power_db(&n, 5000, 10000), lo_n = spectrum_band_power_db(&n, 50, 300);
    double hi_lo = spectrum_band_power_db(&lo, 5000, 10000), lo_hi = spectrum_band_power_db(&hi, 50, 300);
    double h2 = spectrum_level_near(&t, 960, 20), h2t = spectrum_level_near(&tt, 960, 20);
    double h3 = spectrum_level_near(&t, 1440, 20), h3k = spectrum_level_near(&k, 1440, 20);
    double sb = spectrum_level_near(&r, 1480, 20), sb0 = spectrum_level_near(&t, 1480, 20);
    print_message("djf 0.2: %.1f dB above 5 kHz (plain %.1f); djf 0.8: %.1f dB below 300 Hz (plain %.1f)\n",
                  hi_lo, hi_n, lo_hi, lo_n);
    print_message("960 Hz: %.1f -> %.1f dB with triode; 1440 Hz: %.1f -> %.1f with krush; 1480 Hz: %.1f -> %.1f "
                  "with ring\n", h2, h2t, h3, h3k, sb0, sb);
    assert_true(hi_lo < hi_n - 40);
    assert_true(lo_hi < lo_n - 20);
    assert_true(h2t > h2 + 40);
    assert_true(h3k > h3 + 40);
    assert_true(sb > sb0 + 40);
    assert_true(spectrum_level_near(&r, 520, 20) > sb0 + 40);
    spectrum_free(&n);
    spectrum_free(&lo);
    spectrum_free(&hi);
    spectrum_free(&t);
    spectrum_free(&tt);
    spectrum_free(&k);
    spectrum_free(&r);
}

/* tremolo depth 1 at 8 Hz: the tone's level swings from full to silence
 * eight times a second; without it the level is steady. */
static void test_tremolo_swings(void **state)
{
    (void)state;
    struct render a, b;
    assert_int_equal(render("out: s \"tone\" # tremolodepth 1 # tremolorate 8", 1.0, &a), 0);
    assert_int_equal(render("out: s \"tone\"", 1.0, &b), 0);
    double amin = 1e9, amax = 0, bmin = 1e9, bmax = 0;
    for (int k = 0; k < 40; k++) {
        double t0 = 0.1 + k * 0.02;             /* 20 ms windows: a sixth of a period */
        amin = fmin(amin, rms(&a, 0, t0, t0 + 0.01));
        amax = fmax(amax, rms(&a, 0, t0, t0 + 0.01));
        bmin = fmin(bmin, rms(&b, 0, t0, t0 + 0.01));
        bmax = fmax(bmax, rms(&b, 0, t0, t0 + 0.01));
    }
    print_message("tremolo: %.1f .. %.1f dB; plain %.1f .. %.1f dB\n", db(amin), db(amax), db(bmin), db(bmax));
    assert_true(db(amax) - db(amin) > 15);
    assert_true(db(bmax) - db(bmin) < 0.5);
    render_free(&a);
    render_free(&b);
}

/* octer 1 on the 480 Hz tone: the octave up, 960 Hz, replaces it;
 * octersub 1 adds 240 Hz, octersubsub 1 adds 120 Hz. */
static void test_octer(void **state)
{
    (void)state;
    struct spectrum t, up, sub, sub2;
    spectrum_at("out: s \"tone\"", 0.1, &t);
    spectrum_at("out: s \"tone\" # octer 1", 0.1, &up);
    spectrum_at("out: s \"tone\" # octersub 1", 0.1, &sub);
    spectrum_at("out: s \"tone\" # octersubsub 1", 0.1, &sub2);
    double f_up = spectrum_peak_hz(&up, 100, 3000);
    double l240 = spectrum_level_near(&sub, 240, 10) - spectrum_level_near(&t, 240, 10);
    double l120 = spectrum_level_near(&sub2, 120, 10) - spectrum_level_near(&t, 120, 10);
    print_message("octer 1: peak %.0f Hz; octersub: 240 Hz +%.1f dB; octersubsub: 120 Hz +%.1f dB\n", f_up, l240,
                  l120);
    assert_true(fabs(f_up - 960) < 5);
    assert_true(l240 > 40);
    assert_true(l120 > 40);
    spectrum_free(&t);
    spectrum_free(&up);
    spectrum_free(&sub);
    spectrum_free(&sub2);
}

/* lpenv 5 with lpattack 0.3 on noise low-passed at 200 Hz: the cutoff
 * rises towards 6.4 kHz over 0.3 s, so the band 2-4 kHz is far louder at
 * 0.3 s than at the start; without the envelope it stays put. hpenv 3 on
 * a high-pass at 500 Hz moves it up to 4 kHz: the band 500-1000 Hz
 * fades. */
static double band_at(const char *src, double t, double lo, double hi)
{
    struct render r;
    assert_int_equal(render(src, t + 0.05, &r), 0);
    float *x = malloc(sizeof *x * 2048);
    assert_non_null(x);
    for (long i = 0; i < 2048; i++)
        x[i] = r.buf[2 * ((long)(t * SR) + i)];
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, x, 2048, SR), 0);
    double p = spectrum_band_power_db(&sp, lo, hi);
    spectrum_free(&sp);
    free(x);
    render_free(&r);
    return p;
}

static void test_filter_envelopes(void **state)
{
    (void)state;
    const char *lp = "cps: 0.25\nout: s \"noise\" # cutoff 200 # lpenv 5 # lpattack 0.3";
    const char *plain = "cps: 0.25\nout: s \"noise\" # cutoff 200";
    const char *hp = "cps: 0.25\nout: s \"noise\" # hcutoff 500 # hpenv 3 # hpattack 0.3";
    double a0 = band_at(lp, 0.01, 2000, 4000), a1 = band_at(lp, 0.28, 2000, 4000);
    double p0 = band_at(plain, 0.01, 2000, 4000), p1 = band_at(plain, 0.28, 2000, 4000);
    double h0 = band_at(hp, 0.01, 500, 1000), h1 = band_at(hp, 0.28, 500, 1000);
    print_message("lpenv: 2-4 kHz %.1f -> %.1f dB (plain %.1f -> %.1f); hpenv 3: 0.5-1 kHz %.1f -> %.1f dB\n", a0,
                  a1, p0, p1, h0, h1);
    assert_true(a1 > a0 + 20);
    assert_true(fabs(p1 - p0) < 6);
    assert_true(h1 < h0 - 20);
}

/* penv 12 (defaults: attack 0.2 s, sustain 1, anchor 1): the tone starts
 * an octave down (240 Hz) and rises to 480 Hz by 0.2 s. */
static void test_pitch_envelope(void **state)
{
    (void)state;
    struct spectrum b;
    struct render r;
    assert_int_equal(render("cps: 0.25\nout: s \"tone\" # penv 12", 0.1, &r), 0);
    float x[2048];
    for (int i = 0; i < 2048; i++)
        x[i] = r.buf[2 * i];
    struct spectrum a;
    assert_int_equal(spectrum_init(&a, x, 2048, SR), 0);
    render_free(&r);
    spectrum_at("cps: 0.25\nout: s \"tone\" # penv 12", 0.25, &b);
    double fa = spectrum_peak_hz(&a, 100, 3000), fb = spectrum_peak_hz(&b, 100, 3000);
    print_message("penv 12: %.0f Hz over the first 43 ms, %.0f Hz after 0.25 s\n", fa, fb);
    assert_true(fa > 230 && fa < 290);
    assert_true(fabs(fb - 480) < 3);
    spectrum_free(&a);
    spectrum_free(&b);
}

/* ---- accelerate ------------------------------------------------------------------- */

/* accelerate 1 on the 1 s tone: the speed glides 1 -> 2 over 1 / 1.5 s, so
 * the pitch starts near 480 Hz, is near 480 (1 + 0.49 / 0.667) = 830 Hz at
 * 0.45 .. 0.53 s, and the voice ends by 0.7 s. */
static void test_accelerate_glides(void **state)
{
    (void)state;
    struct spectrum a, b;
    spectrum_at("cps: 0.25\nout: s \"tone\" # accelerate 1", 0.0, &a);
    spectrum_at("cps: 0.25\nout: s \"tone\" # accelerate 1", 0.45, &b);
    double fa = spectrum_peak_hz(&a, 100, 3000), fb = spectrum_peak_hz(&b, 100, 3000);
    double after = level("cps: 0.25\nout: s \"tone\" # accelerate 1", 1.0, 0.72, 0.95);
    print_message("accelerate 1: %.0f Hz at first, %.0f Hz at 0.45 s, %.1f dB after 0.72 s\n", fa, fb, after);
    assert_true(fa > 470 && fa < 540);
    assert_true(fb > 780 && fb < 880);
    assert_true(after < -70);                      /* the master's DC blocker settling */
    spectrum_free(&a);
    spectrum_free(&b);
}

/* ---- n pitches synths ------------------------------------------------------------- */

static void test_n_pitches_synths(void **state)
{
    (void)state;
    struct render a, b, c, d;
    assert_int_equal(render("out: n \"7\" # s \"supersaw\"", 0.5, &a), 0);
    assert_int_equal(render("out: note \"7\" # s \"supersaw\"", 0.5, &b), 0);
    assert_int_equal(render("out: s \"supersaw\"", 0.5, &c), 0);
    assert_int_equal(render("out: note \"3\" # n \"4\" # s \"supersaw\"", 0.5, &d), 0);   /* added */
    assert_memory_equal(a.buf, b.buf, sizeof(float) * 2 * (size_t)a.frames);
    assert_memory_equal(a.buf, d.buf, sizeof(float) * 2 * (size_t)a.frames);
    assert_true(memcmp(a.buf, c.buf, sizeof(float) * 2 * (size_t)a.frames) != 0);
    render_free(&a);
    render_free(&b);
    render_free(&c);
    render_free(&d);
}

/* ---- cps ------------------------------------------------------------------------- */

/* Frames of the left channel above thr whose previous frame is not. */
static int onsets(const struct render *r, double thr, long *at, int max)
{
    int n = 0;
    for (long i = 0; i < r->frames; i++)
        if (fabs(r->buf[2 * i]) > thr && !(i > 0 && fabs(r->buf[2 * (i - 1)]) > thr) && n < max)
            at[n++] = i;
    return n;
}

/* cps 0.5 with clicks a quarter cycle apart: 0.5 s. The first click's
 * cps 1 sets the tempo from the second block on (at 512 frames, cycle
 * 512 / 48000 / 2), so the second click comes at cycle 1/4 =
 * 512 / 48000 + (1/4 - 512 / 96000) s. */
static void test_cps_sets_tempo(void **state)
{
    (void)state;
    struct render r;
    long at[8];
    assert_int_equal(render("cps: 0.5\nout: s \"click*4\"", 1.0, &r), 0);
    assert_true(onsets(&r, 0.3, at, 8) >= 2);
    assert_int_equal(at[1], SR / 2);
    render_free(&r);
    assert_int_equal(render("cps: 0.5\nout: s \"click*4\" # cps 1", 1.0, &r), 0);
    int n = onsets(&r, 0.3, at, 8);
    long want = 512 + (long)llround((0.25 - 512.0 / 96000.0) * SR);
    print_message("cps 1: %d clicks in 1 s, the second at frame %ld (want %ld)\n", n, at[1], want);
    assert_true(n >= 4);
    assert_true(labs(at[1] - want) <= 1);
    render_free(&r);
}

/* ---- bank ------------------------------------------------------------------------ */

/* s "bd" # bank "kit" plays kit_bd (1000 Hz), not bd (200 Hz); a bank with
 * no such folder plays bd. */
static void test_bank_folder(void **state)
{
    (void)state;
    struct spectrum a, b, c;
    spectrum_at("out: s \"bd\" # bank \"kit\"", 0.1, &a);
    spectrum_at("out: s \"bd\"", 0.1, &b);
    spectrum_at("out: s \"bd\" # bank \"nokit\"", 0.1, &c);
    double fa = spectrum_peak_hz(&a, 100, 3000), fb = spectrum_peak_hz(&b, 100, 3000);
    double fc = spectrum_peak_hz(&c, 100, 3000);
    print_message("bank kit: %.0f Hz, plain: %.0f Hz, missing bank: %.0f Hz\n", fa, fb, fc);
    assert_true(fabs(fa - 1000) < 5);
    assert_true(fabs(fb - 200) < 5);
    assert_true(fabs(fc - 200) < 5);
    spectrum_free(&a);
    spectrum_free(&b);
    spectrum_free(&c);
}

static int onsets(const struct render *r, double thr, long *at, int max);

/* ---- h-controls: the rest of SuperDirt's and Strudel's per-voice controls ----------- */

/* What a case measures, with and without the control (a, b: its bounds):
 *   M_BAND   the power (dB) in the band a .. b Hz of 8192 frames from 0.1 s
 *   M_PEAK   the strongest frequency from 100 Hz to 5 kHz (want: a, within b Hz; no "without")
 *   M_LEVEL  the level (dB) over a .. b seconds
 *   M_SWING  the largest minus the smallest level of 10 ms windows from a to b seconds
 *   M_ONSET  the first frame above 0.3, in seconds (want: a, within b)
 *   M_DIFF   the level (dB) of with - without over a .. b seconds, re without's
 * The case passes when with - without >= delta (delta > 0) or <= delta (delta < 0). */
enum { M_BAND, M_PEAK, M_LEVEL, M_SWING, M_ONSET, M_DIFF };

struct fx_case {
    const char *with, *without;
    int m;
    double a, b, delta;
};

static const struct fx_case fx_cases[] = {
    { "s \"noise\" # bandf 2000", "s \"noise\"", M_BAND, 100, 500, -12 },
    { "s \"noise\" # bandf 2000", "s \"noise\"", M_BAND, 1950, 2050, 15 },
    { "s \"noise\" # bandf 2000 # bandq 30", "s \"noise\" # bandf 2000 # bandq 2", M_BAND, 1980, 2020, 15 },
    { "s \"noise\" # bandf 300 # bpenv 4 # bpattack 0.05 # bpsustain 1", "s \"noise\" # bandf 300", M_BAND, 3000, 6000,
      20 },
    { "s \"tone\" # waveloss 50", "s \"tone\"", M_LEVEL, 0.1, 0.5, -2 },
    { "s \"tone\" # squiz 2", NULL, M_PEAK, 960, 10, 0 },
    { "s \"tone\" # fshift 300", NULL, M_PEAK, 780, 10, 0 },
    { "s \"tone\" # fshiftnote 0.5", NULL, M_PEAK, 480 + 130.8, 10, 0 },
    { "s \"tone\" # fshift 100 # fshiftphase 1.57", "s \"tone\" # fshift 100", M_DIFF, 0.1, 0.5, 0 },
    { "s \"noise\" # bandf 300 # bpenv 4 # bpdecay 1", "s \"noise\" # bandf 300 # bpenv 4 # bpdecay 0.05", M_BAND,
      2000, 4000, 10 },
    { "~i: saw\nout: s \"~i\" # legato 0.1 # release 1 # bandf 300 # bpenv 4 # bpattack 0.001 # bpsustain 1 # bprelease 1",
      "~i: saw\nout: s \"~i\" # legato 0.1 # release 1 # bandf 300 # bpenv 4 # bpattack 0.001 # bpsustain 1 # bprelease 0.01",
      M_BAND, 2000, 5000, 10 },
    { "s \"noise\" # hbrick 0.5", "s \"noise\"", M_BAND, 100, 3000, -40 },
    { "s \"noise\" # lbrick 0.8", "s \"noise\"", M_BAND, 10000, 15000, -40 },
    { "s \"noise\" # comb 0.5", "s \"noise\"", M_BAND, 90, 97, -10 },
    { "s \"tone\" # smear 1", "s \"tone\"", M_BAND, 700, 1500, 20 },
    { "s \"tone\" # scram 0.5", "s \"tone\"", M_BAND, 1500, 5000, 20 },
    { "s \"tone\" # binshift 0.5", NULL, M_PEAK, 962, 12, 0 },
    { "s \"burst\" # freeze 1", "s \"burst\"", M_LEVEL, 0.3, 0.9, 60 },
    { "s \"tone\" # real 0.3", "s \"tone\"", M_BAND, 1400, 1480, 20 },
    { "s \"tone\" # imag 0.8", "s \"tone\"", M_BAND, 1400, 1480, 20 },
    { "s \"tone\" # enhance 0.5", "s \"tone\"", M_BAND, 1400, 1480, 20 },
    { "s \"noise\" # xsdelay 15 # tsdelay 1", "s \"noise\" # xsdelay 15 # tsdelay 0", M_LEVEL, 0.002, 0.006, -3 },
    { "s \"noise\" # xsdelay 15 # tsdelay 1", "s \"noise\" # xsdelay 0 # tsdelay 1", M_LEVEL, 0.002, 0.006, -3 },
    { "s \"tone\" # leslie 1", "s \"tone\"", M_SWING, 0.1, 0.9, 2 },
    { "s \"tone\" # leslie 1 # lrate 6.7", "s \"tone\" # leslie 1 # lrate 0.3", M_SWING, 0.1, 0.2, 1 },
    { "s \"tone\" # leslie 1 # lsize 0.6", "s \"tone\" # leslie 1 # lsize 0.1", M_SWING, 0.1, 0.9, 2 },
    { "s \"noise\" # phaserrate 2", "s \"noise\"", M_LEVEL, 0.1, 0.5, 0.5 },
    { "s \"noise\" # phaserrate 2 # phaserdepth 1", "s \"noise\" # phaserrate 2 # phaserdepth 0.1", M_LEVEL, 0.1,
      0.5, 0.5 },
    { "s \"tone\" # vib 4 # vibmod 1", "s \"tone\"", M_BAND, 495, 510, 15 },
    { "s \"tone\" # vib \"4:1\"", "s \"tone\"", M_BAND, 495, 510, 15 },
    { "s \"tone\" # vibrato 4", "s \"tone\"", M_BAND, 488, 496, 4 },
    { "s \"tone\" # fmi 2", "s \"tone\"", M_BAND, 735, 748, 20 },
    { "s \"tone\" # fmi 2 # fmh 2", "s \"tone\" # fmi 2", M_BAND, 735, 748, -20 },
    { "s \"click\" # nudge 0.1", NULL, M_ONSET, 0.1, 0.0001, 0 },
    { "s \"click\" # offset 0.05 # speed 2", NULL, M_ONSET, 0.1, 0.0001, 0 },
    { "~i: sine\nout: s \"~i\" # nudge 0.1", NULL, M_ONSET, 0.102, 0.003, 0 },
    { "~i: sine\nout: s \"~i\" # nudge 0.2", NULL, M_ONSET, 0.202, 0.003, 0 },
    { "s \"superpwm\" # gain 4 # nudge 0.1", NULL, M_ONSET, 0.102, 0.003, 0 },
    { "s \"tone\" # duration 0.1", "s \"tone\"", M_LEVEL, 0.3, 0.9, -60 },
    { "s \"tone\" # dur 0.1", "s \"tone\"", M_LEVEL, 0.3, 0.9, -60 },
    { "s \"tone\" # attack 0.01 # hold 0.1 # release 0.05", "s \"tone\" # attack 0.01 # release 0.05", M_LEVEL, 0.3,
      0.9, -60 },
    /* sustain: SuperDirt's length in seconds without decay, Strudel's level with it */
    { "s \"tone\" # sustain 0.1", "s \"tone\"", M_LEVEL, 0.3, 0.9, -60 },
    { "~i: sine\nout: s \"~i\" # sustain 0.1 # legato 4", "~i: sine\nout: s \"~i\" # legato 4", M_LEVEL, 0.5, 0.9, -60 },
    { "s \"tone\" # decay 0.05 # sustain 0.1", "s \"tone\" # decay 0.05 # sustain 1", M_LEVEL, 0.2, 0.4, -15 },
    /* synths and instruments run the per-voice effects too */
    { "s \"superpwm\" # vowel \"i\"", "s \"superpwm\"", M_BAND, 1000, 1500, -10 },
    { "s \"superpwm\" # lbrick 0.9", "s \"superpwm\"", M_BAND, 6000, 10000, -20 },
    { "s \"tone\" # legato 0.1", "s \"tone\"", M_LEVEL, 0.3, 0.9, -60 },
    { "s \"tone\" # unit \"s\" # speed 0.5", NULL, M_PEAK, 960, 5, 0 },
    { "s \"tone\" # unit \"s\" # speed 0.25", "s \"tone\"", M_LEVEL, 0.3, 0.9, -60 },
    { "s \"superpwm\" # fshift 100", "s \"superpwm\"", M_BAND, 355, 365, 20 },
    { "~i: sine\nout: s \"~i\" # fshift 100", "~i: sine\nout: s \"~i\"", M_BAND, 355, 365, 20 },
    { "~i: sine\nout: s \"~i\" # coarse 8", "~i: sine\nout: s \"~i\"", M_BAND, 5700, 5800, 30 },
    { "s \"superpwm\" # cutoff 500", "s \"superpwm\"", M_BAND, 3000, 6000, -20 },
    { "s \"superpwm\" # hcutoff 3000", "s \"superpwm\"", M_BAND, 200, 600, -20 },
    { "s \"superpwm\" # cutoff 300 # lpenv 4 # lpdecay 1", "s \"superpwm\" # cutoff 300", M_BAND, 800, 1500, 20 },
    { "~i: sine\nout: s \"~i\" # shape 0.9", "~i: sine\nout: s \"~i\"", M_BAND, 775, 795, 20 },
    { "~i: sine\nout: s \"~i\" # crush 6", "~i: sine\nout: s \"~i\"", M_BAND, 5000, 15000, 20 },
    { "~i: sine\nout: s \"~i\" # crush 2", "~i: sine\nout: s \"~i\"", M_BAND, 5000, 15000, 20 },
    { "~i: sine\nout: s \"~i\" # leslie 1 # lsize 0.6", "~i: sine\nout: s \"~i\"", M_SWING, 0.1, 0.9, 2 },
};

/* The measure of case c on src (the program is "cps: 1\nout: " src unless
 * src holds a statement of its own). */
static double fx_measure(const struct fx_case *c, const char *src)
{
    char prog[512];
    const char *nl = strchr(src, '\n');
    if (nl)
        snprintf(prog, sizeof prog, "cps: 1\n%.*s\nout: %s", (int)(nl - src), src, strstr(src, "out: ") + 5);
    else
        snprintf(prog, sizeof prog, "cps: 1\nout: %s", src);
    struct render r;
    assert_int_equal(render(prog, 1.0, &r), 0);
    double m = 0;
    if (c->m == M_BAND || c->m == M_PEAK) {
        float *x = malloc(sizeof *x * 8192);
        assert_non_null(x);
        for (long i = 0; i < 8192; i++)
            x[i] = r.buf[2 * ((long)(0.1 * SR) + i)];
        struct spectrum sp;
        assert_int_equal(spectrum_init(&sp, x, 8192, SR), 0);
        m = c->m == M_BAND ? spectrum_band_power_db(&sp, c->a, c->b) : spectrum_peak_hz(&sp, 100, 5000);
        spectrum_free(&sp);
        free(x);
    } else if (c->m == M_LEVEL) {
        m = db(rms(&r, 0, c->a, c->b));
    } else if (c->m == M_SWING) {
        double lo = 1e9, hi = -1e9;
        for (double t = c->a; t + 0.01 <= c->b; t += 0.01) {
            lo = fmin(lo, db(rms(&r, 0, t, t + 0.01)));
            hi = fmax(hi, db(rms(&r, 0, t, t + 0.01)));
        }
        m = hi - lo;
    } else {
        long at[1];
        m = onsets(&r, 0.3, at, 1) ? (double)at[0] / SR : -1;
    }
    render_free(&r);
    return m;
}

/* M_DIFF: the level of the difference of the two renders re without's. */
static double fx_diff(const struct fx_case *c)
{
    char p1[512], p2[512];
    snprintf(p1, sizeof p1, "cps: 1\nout: %s", c->with);
    snprintf(p2, sizeof p2, "cps: 1\nout: %s", c->without);
    struct render a, b;
    assert_int_equal(render(p1, 1.0, &a), 0);
    assert_int_equal(render(p2, 1.0, &b), 0);
    double sd = 0, sb = 0;
    for (long i = (long)(c->a * SR); i < (long)(c->b * SR); i++) {
        double d = (double)a.buf[2 * i] - b.buf[2 * i];
        sd += d * d;
        sb += (double)b.buf[2 * i] * b.buf[2 * i];
    }
    render_free(&a);
    render_free(&b);
    return 10 * log10((sd + 1e-30) / (sb + 1e-30));
}

static void test_fx_controls(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t k = 0; k < sizeof fx_cases / sizeof *fx_cases; k++) {
        const struct fx_case *c = &fx_cases[k];
        double w = fx_measure(c, c->with), ok;
        if (c->m == M_PEAK || c->m == M_ONSET) {
            ok = fabs(w - c->a) <= c->b;
            print_message("%-60s %9.4f (want %.4f +- %.4f)%s\n", c->with, w, c->a, c->b, ok ? "" : "  FAILED");
        } else if (c->m == M_DIFF) {
            double d = fx_diff(c);
            ok = d >= c->delta;
            print_message("%-60s difference %+7.2f dB re without (want >= %g)%s\n", c->with, d, c->delta,
                          ok ? "" : "  FAILED");
        } else {
            double wo = fx_measure(c, c->without), d = w - wo;
            ok = c->delta > 0 ? d >= c->delta : d <= c->delta;
            print_message("%-60s %8.2f vs %8.2f: %+7.2f (want %s %g)%s\n", c->with, w, wo, d, c->delta > 0 ? ">=" : "<=",
                          c->delta, ok ? "" : "  FAILED");
        }
        failed += !ok;
    }
    assert_int_equal(failed, 0);
}

/* ---- refused ----------------------------------------------------------------------- */

/* The controls phonon does not play yet are refused with their reason,
 * in a pattern and alone, never accepted and ignored. */
/* Delay-line effects beyond their memory (VOICE_FX_PER_VOICE on a voice,
 * VOICE_FX_VOICES voices at once) are counted, never dropped unseen. */
static void test_fx_memory_exhaustion_is_counted(void **state)
{
    (void)state;
    struct render r;
    assert_int_equal(render("tempo: 1\nout: s \"arpy*8\" # comb 0.3 # leslie 1 # vib 4 # fmi 1\n", 1, &r), 0);
    assert_int_equal(r.fx_dropped, 0);                  /* four each: they fit */
    render_free(&r);
    assert_int_equal(render("tempo: 1\nout: s \"arpy*8\" # comb 0.3 # leslie 1 # vib 4 # fmi 1 # phaserrate 2\n",
                            1, &r), 0);
    assert_true(r.fx_dropped >= 8);                     /* five each: one left out of every voice */
    render_free(&r);
    assert_int_equal(render("tempo: 1\nout: s \"superpwm*128\" # comb 0.3 # legato 128\n", 1, &r), 0);
    assert_true(r.fx_dropped >= 128 - VOICE_FX_VOICES);  /* more voices than memory */
    render_free(&r);
}

static void test_later_controls_refused(void **state)
{
    (void)state;
    static const char *const srcs[] = { "out: s \"bd\" # partials 3\n", "out: s \"bd\" # partials \"1 2\"\n",
                                        "out: partials 0.1\n" };
    struct sample_bank *bank = bank_new();
    for (size_t k = 0; k < sizeof srcs / sizeof *srcs; k++) {
        struct lang_error err = { .file = "test.ph" };
        struct lang_ast *ast = lang_parse(srcs[k], strlen(srcs[k]), "test.ph", &err);
        assert_non_null(ast);
        struct graph_opts go = { .sample_rate = SR, .block = 512, .bank = bank };
        struct program *p = graph_compile(ast, &go, &err);
        lang_ast_free(ast);
        assert_null(p);
        print_message("%s", err.msg);
        print_message("\n");
        assert_non_null(strstr(err.msg, "control phonon does not play yet"));
    }
    /* Strudel's fm on a voice (h-synthctl): # fm 4 is its index (fmi); fm
     * with more arguments is phonon's oscillator, and after # on a pattern
     * the error says which form a voice takes */
    static const char fm_src[] = "out: s \"bd\" # fm 4 2\n", fm_ok[] = "out: s \"bd\" # fm 4\n";
    struct lang_error err = { .file = "test.ph" };
    struct lang_ast *ast = lang_parse(fm_src, strlen(fm_src), "test.ph", &err);
    assert_non_null(ast);
    struct graph_opts go = { .sample_rate = SR, .block = 512, .bank = bank };
    assert_null(graph_compile(ast, &go, &err));
    lang_ast_free(ast);
    assert_non_null(strstr(err.msg, "takes one argument"));
    ast = lang_parse(fm_ok, strlen(fm_ok), "test.ph", &err);
    assert_non_null(ast);
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    assert_non_null(p);
    program_free(p);
    sample_bank_free(bank);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_orbit_delay_echoes),
        cmocka_unit_test(test_orbit_delay_aliases_and_lock),
        cmocka_unit_test(test_orbit_delay_bus_form_kept),
        cmocka_unit_test(test_orbit_tail_survives_reload),
        cmocka_unit_test(test_orbit_room_size_dry),
        cmocka_unit_test(test_orbit_orbits_apart),
        cmocka_unit_test(test_amp_postgain_linear),
        cmocka_unit_test(test_coarse_images),
        cmocka_unit_test(test_vowel_formants),
        cmocka_unit_test(test_hcutoff_hpq_lpq),
        cmocka_unit_test(test_djf_triode_krush_ring),
        cmocka_unit_test(test_tremolo_swings),
        cmocka_unit_test(test_octer),
        cmocka_unit_test(test_filter_envelopes),
        cmocka_unit_test(test_pitch_envelope),
        cmocka_unit_test(test_accelerate_glides),
        cmocka_unit_test(test_n_pitches_synths),
        cmocka_unit_test(test_bank_folder),
        cmocka_unit_test(test_cps_sets_tempo),
        cmocka_unit_test(test_fx_controls),
        cmocka_unit_test(test_fx_memory_exhaustion_is_counted),
        cmocka_unit_test(test_later_controls_refused),
    };
    if (getenv("CONTROLS_TEST"))
        cmocka_set_test_filter(getenv("CONTROLS_TEST"));
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
