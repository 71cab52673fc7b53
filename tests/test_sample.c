/* tests/test_sample.c -- the sample bank (src/sample.c) and the generated kit.
 *
 * Each test builds its sample roots in a fresh mkdtemp directory, writing
 * WAVs with libsndfile (32-bit float where we measure accuracy, so the file's
 * own quantisation does not hide the resampler's error), and removes it.
 * The kit test runs scripts/make-samples twice when started from the
 * repository root (as `make test` does) and is skipped elsewhere.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "phonon.h"
#include "sample.h"

#define PI 3.14159265358979323846

/* --- fixtures ------------------------------------------------------------ */

static char tmp[64];                /* the current test's root of roots */

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/phonon-test-sample-XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st; (void)flag; (void)ftw;
    return remove(p);
}

static int teardown(void **state)
{
    (void)state;
    return nftw(tmp, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* tmp/rel, made into a directory. */
static const char *mkdir_in(const char *rel)
{
    static char path[8][256];
    static int k;
    char *p = path[k++ % 8];
    snprintf(p, sizeof path[0], "%s/%s", tmp, rel);
    assert_int_equal(mkdir(p, 0777), 0);
    return p;
}

typedef double (*wave_fn)(int frame, int channel, void *arg);

static void write_wav(const char *rel, int rate, int channels, int frames, int format,
                      wave_fn fn, void *arg)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    SF_INFO info = { .samplerate = rate, .channels = channels, .format = SF_FORMAT_WAV | format };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    float *x = malloc(sizeof *x * (size_t)(frames ? frames : 1) * (size_t)channels);
    assert_non_null(x);
    for (int i = 0; i < frames; i++)
        for (int c = 0; c < channels; c++)
            x[i * channels + c] = (float)fn(i, c, arg);
    assert_int_equal(sf_writef_float(sf, x, frames), frames);
    sf_close(sf);
    free(x);
}

static double wave_const(int frame, int channel, void *arg)
{
    (void)frame;
    return *(double *)arg + 0.1 * channel;
}

struct sine { double hz, rate; };

static double wave_sine(int frame, int channel, void *arg)
{
    const struct sine *s = arg;
    (void)channel;
    return 0.5 * sin(2.0 * PI * s->hz * frame / s->rate);
}

/* A constant-valued float WAV at 44.1 kHz: its value identifies it. */
static void write_const(const char *rel, double v, int frames)
{
    write_wav(rel, 44100, 1, frames, SF_FORMAT_FLOAT, wave_const, &v);
}

static void write_bytes(const char *rel, const void *bytes, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmp, rel);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    fclose(f);
}

/* Warnings are collected here instead of going to stderr. */
static char warnings[8192];

static void collect_warning(void *ctx, const char *msg)
{
    (void)ctx;
    size_t len = strlen(warnings);
    snprintf(warnings + len, sizeof warnings - len, "%s\n", msg);
}

static struct sample_bank *bank_with(const char *const *roots, int n, int rate)
{
    struct sample_bank_opts o = { .no_env = 1, .no_kit = 1, .warn = collect_warning };
    struct sample_error err = { 0 };
    warnings[0] = '\0';
    struct sample_bank *b = sample_bank_new(roots, n, rate, &o, &err);
    if (!b)
        fail_msg("sample_bank_new: %s", err.msg);
    return b;
}

static const struct sample_set *must_lookup(struct sample_bank *b, const char *name)
{
    struct sample_error err = { 0 };
    const struct sample_set *s = sample_bank_lookup(b, name, &err);
    if (!s)
        fail_msg("lookup %s: %s", name, err.msg);
    return s;
}

/* --- names, files, order ----------------------------------------------- */

static void test_sample_files_sorted_by_byte_order_and_n_wraps(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/drum");
    write_const("r/drum/b.wav", 0.2, 100);
    write_const("r/drum/a.wav", 0.1, 100);
    write_const("r/drum/B.WAV", 0.3, 100);      /* 'B' < 'a' in byte order; extension case-insensitive */
    write_const("r/drum/._a.wav", 0.9, 100);    /* hidden: ignored */
    write_bytes("r/drum/notes.txt", "hello", 5);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample_set *s = must_lookup(b, "drum");
    assert_int_equal(s->count, 3);
    assert_string_equal(s->samples[0].file, "B.WAV");
    assert_string_equal(s->samples[1].file, "a.wav");
    assert_string_equal(s->samples[2].file, "b.wav");
    struct sample_error err;
    assert_float_equal(sample_bank_get(b, "drum", 0, &err)->data[0], 0.3, 1e-6);
    assert_float_equal(sample_bank_get(b, "drum", 1, &err)->data[0], 0.1, 1e-6);
    assert_float_equal(sample_bank_get(b, "drum", 4, &err)->data[0], 0.1, 1e-6);   /* 4 mod 3 */
    assert_float_equal(sample_bank_get(b, "drum", -1, &err)->data[0], 0.2, 1e-6);  /* wraps back */
    assert_float_equal(sample_bank_get(b, "drum", -3, &err)->data[0], 0.3, 1e-6);
    assert_ptr_equal(sample_set_pick(s, -4), &s->samples[2]);
    sample_bank_free(b);
}

static void test_sample_pads_are_zero_both_ends(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/m");
    mkdir_in("r/st");
    write_const("r/m/a.wav", 0.5, 10);
    double v = 0.5;
    write_wav("r/st/a.wav", 48000, 2, 10, SF_FORMAT_FLOAT, wave_const, &v);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const char *names[] = { "m", "st" };
    for (int k = 0; k < 2; k++) {
        const struct sample *s = sample_set_pick(must_lookup(b, names[k]), 0);
        for (int i = 1; i <= SAMPLE_PAD * s->channels; i++) {
            assert_true(s->data[-i] == 0.0f);
            assert_true(s->data[s->frames * s->channels - 1 + i] == 0.0f);
        }
    }
    sample_bank_free(b);
}

static void test_sample_channels_mono_stereo_and_mixdown(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/x");
    double v = 0.1;
    write_wav("r/x/1.wav", 44100, 1, 50, SF_FORMAT_FLOAT, wave_const, &v);
    write_wav("r/x/2.wav", 44100, 2, 50, SF_FORMAT_FLOAT, wave_const, &v);  /* 0.1, 0.2 */
    write_wav("r/x/4.wav", 44100, 4, 50, SF_FORMAT_FLOAT, wave_const, &v);  /* 0.1 .. 0.4 */
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample_set *s = must_lookup(b, "x");
    assert_int_equal(s->samples[0].channels, 1);
    assert_int_equal(s->samples[1].channels, 2);
    assert_float_equal(s->samples[1].data[20], 0.1, 1e-6);
    assert_float_equal(s->samples[1].data[21], 0.2, 1e-6);
    assert_int_equal(s->samples[2].channels, 2);              /* 4 channels -> stereo */
    assert_int_equal(s->samples[2].file_channels, 4);
    assert_float_equal(s->samples[2].data[20], 0.2, 1e-6);    /* (0.1 + 0.3) / 2 */
    assert_float_equal(s->samples[2].data[21], 0.3, 1e-6);    /* (0.2 + 0.4) / 2 */
    assert_int_equal(s->samples[2].frames, 50);
    sample_bank_free(b);
}

/* --- resampling ----------------------------------------------------------- */

/* Frequency from the positive-going zero crossings (linearly interpolated)
 * in frames [from, to). */
static double measure_hz(const float *x, int64_t from, int64_t to, double rate)
{
    double first = -1.0, last = -1.0;
    int crossings = 0;
    for (int64_t i = from; i < to - 1; i++) {
        if (x[i] <= 0.0f && x[i + 1] > 0.0f) {
            double t = (double)i + x[i] / (double)(x[i] - x[i + 1]);
            if (first < 0.0)
                first = t;
            last = t;
            crossings++;
        }
    }
    assert_true(crossings > 10);
    return (crossings - 1) * rate / (last - first);
}

/* 20*log10 of the RMS of (output - ideal sine at the engine rate) over RMS
 * of the ideal, away from the ends. */
static double error_db(const struct sample *s, double hz, double rate)
{
    double e = 0.0, p = 0.0;
    for (int64_t j = 2000; j < s->frames - 2000; j++) {
        double ideal = 0.5 * sin(2.0 * PI * hz * j / rate);
        e += (s->data[j] - ideal) * (s->data[j] - ideal);
        p += ideal * ideal;
    }
    return 10.0 * log10(e / p);
}

static void test_sample_resampled_length_and_pitch(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/s");
    struct sine at48 = { 1000.0, 48000.0 }, at22 = { 1000.0, 22050.0 };
    write_wav("r/s/a48k.wav", 48000, 1, 48000, SF_FORMAT_FLOAT, wave_sine, &at48);
    write_wav("r/s/b22k.wav", 22050, 1, 22050, SF_FORMAT_FLOAT, wave_sine, &at22);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample_set *s = must_lookup(b, "s");
    for (int k = 0; k < 2; k++) {
        const struct sample *x = &s->samples[k];
        assert_int_equal(x->frames, 44100);                   /* 1 s either way */
        assert_int_equal(x->file_rate, k ? 22050 : 48000);
        double hz = measure_hz(x->data, 1000, x->frames - 1000, 44100.0);
        assert_true(fabs(hz - 1000.0) < 1.0);                 /* within 0.1 % */
        /* The whole waveform matches the ideal sine at 44.1 kHz: measured
         * about -134 dB (48k) and -133 dB (22.05k); allow some slack. */
        assert_true(error_db(x, 1000.0, 44100.0) < -95.0);
    }
    struct sample_bank_stats st;
    sample_bank_stats(b, &st);
    assert_int_equal(st.files_resampled, 2);
    sample_bank_free(b);
}

static void test_sample_resampler_passband_and_stopband(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/s");
    struct sine pass = { 18000.0, 48000.0 }, stop = { 23000.0, 48000.0 };
    write_wav("r/s/a.wav", 48000, 1, 24000, SF_FORMAT_FLOAT, wave_sine, &pass);
    write_wav("r/s/b.wav", 48000, 1, 24000, SF_FORMAT_FLOAT, wave_sine, &stop);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample_set *s = must_lookup(b, "s");
    assert_true(error_db(&s->samples[0], 18000.0, 44100.0) < -90.0);  /* measured -129 dB */
    /* 23 kHz is above 44.1 kHz's Nyquist frequency: it must (nearly) vanish,
     * not alias to 21.1 kHz. Measured -135 dB re the input's level. */
    double p = 0.0;
    int64_t n = 0;
    for (int64_t j = 2000; j < s->samples[1].frames - 2000; j++, n++)
        p += (double)s->samples[1].data[j] * s->samples[1].data[j];
    assert_true(10.0 * log10(p / n / 0.125) < -85.0);
    sample_bank_free(b);
}

/* CPU seconds this thread has used (not the wall clock). */
static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The CPU time of loading `name` (one file) into a fresh bank at 44.1 kHz. */
static double load_cpu(const char *root, const char *name)
{
    struct sample_bank *b = bank_with(&root, 1, 44100);
    double t0 = cpu_seconds();
    const struct sample_set *s = must_lookup(b, name);
    double t = cpu_seconds() - t0;
    assert_int_equal(s->samples[0].frames, 441000);
    sample_bank_free(b);
    return t;
}

/* An odd rate (44,101 Hz: no short cycle of phases) resamples as fast as a
 * usual one: 10 s of stereo at 44,101 Hz once took 20 times as long to
 * load as the same at 48 kHz (0.5 s of CPU here, 13.8 s in a slower build),
 * blocking the reloader. Bounded by CPU time: under 2 s, and under 4 times
 * the 48 kHz file's (measured: about 1 time). */
static void test_sample_odd_rate_loads_fast(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/odd");
    mkdir_in("r/usual");
    struct sine odd = { 1000.0, 44101.0 }, usual = { 1000.0, 48000.0 };
    write_wav("r/odd/a.wav", 44101, 2, 441010, SF_FORMAT_FLOAT, wave_sine, &odd);
    write_wav("r/usual/a.wav", 48000, 2, 480000, SF_FORMAT_FLOAT, wave_sine, &usual);
    double t_odd = load_cpu(root, "odd"), t_usual = load_cpu(root, "usual");
    print_message("    10 s of stereo: 44101 Hz loads in %.3f s of CPU, 48000 Hz in %.3f s\n", t_odd, t_usual);
    assert_true(t_odd < 2.0);
    assert_true(t_odd < 4.0 * t_usual + 0.02);
}

/* --- memory ------------------------------------------------------------------ */

/* A bank of names a, b, c, d (one 10,000-frame mono file each) capped at
 * two and a half of them. Held sets are never unloaded; the others go
 * least recently used first, after a compile has finished, and load again
 * when asked for. */
static void test_sample_lru_unloads_what_no_program_holds(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    static const char *const names[] = { "a", "b", "c", "d" };
    for (int i = 0; i < 4; i++) {
        char rel[32];
        snprintf(rel, sizeof rel, "r/%s", names[i]);
        mkdir_in(rel);
        snprintf(rel, sizeof rel, "r/%s/x.wav", names[i]);
        write_const(rel, 0.1 * (i + 1), 10000);
    }
    size_t one = (10000 + 2 * SAMPLE_PAD) * sizeof(float);
    struct sample_bank_opts o = { .no_env = 1, .no_kit = 1, .warn = collect_warning, .max_total = one * 5 / 2 };
    struct sample_error err = { 0 };
    warnings[0] = '\0';
    struct sample_bank *b = sample_bank_new(&root, 1, 44100, &o, &err);
    assert_non_null(b);
    struct sample_bank_stats st;
    /* program 1 plays a; a failed compile looked b up; program 2 plays c */
    const struct sample_set *a = must_lookup(b, "a");
    sample_bank_hold(b, a);
    sample_bank_compiled(b);
    must_lookup(b, "b");
    sample_bank_compiled(b);
    const struct sample_set *c = must_lookup(b, "c");
    sample_bank_hold(b, c);
    sample_bank_compiled(b);
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_unloaded, 1);             /* b: over the cap, held by none */
    assert_int_equal(st.bytes, 2 * one);
    assert_true(a->samples[0].data[5000] == 0.1f);       /* held: still there */
    /* program 1 is freed: a stays while there is room ... */
    sample_bank_release(b, a);
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_unloaded, 1);
    /* ... and is the one to go when d needs the room */
    const struct sample_set *d = must_lookup(b, "d");
    sample_bank_hold(b, d);
    sample_bank_compiled(b);
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_unloaded, 2);
    assert_int_equal(st.bytes, 2 * one);
    /* both programs freed; d used, then c: d is the least recently used */
    sample_bank_release(b, c);
    sample_bank_release(b, d);
    must_lookup(b, "d");
    must_lookup(b, "c");
    sample_bank_compiled(b);
    sample_bank_stats(b, &st);
    int loaded = st.names_loaded;
    a = must_lookup(b, "a");                            /* unloaded before: loaded again */
    assert_true(a->samples[0].data[5000] == 0.1f);
    sample_bank_hold(b, a);
    sample_bank_compiled(b);
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_loaded, loaded + 1);
    assert_int_equal(st.names_unloaded, 3);
    must_lookup(b, "c");                                /* still loaded */
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_loaded, loaded + 1);
    must_lookup(b, "d");                                /* was unloaded */
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_loaded, loaded + 2);
    /* held beyond the cap: kept, with one warning */
    sample_bank_hold(b, must_lookup(b, "b"));
    sample_bank_hold(b, must_lookup(b, "c"));
    sample_bank_hold(b, must_lookup(b, "d"));
    sample_bank_compiled(b);
    sample_bank_stats(b, &st);
    assert_int_equal(st.bytes, 4 * one);
    assert_non_null(strstr(warnings, "--sample-mem"));
    sample_bank_free(b);
}

/* A file replaced on disk (or added, or removed) is loaded again at the next
 * lookup of its name; the set a program holds stays as it was. */
static void test_sample_replaced_file_is_loaded_again(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/s");
    write_const("r/s/x.wav", 0.25, 1000);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample_set *old = must_lookup(b, "s");
    sample_bank_hold(b, old);
    sample_bank_compiled(b);
    assert_true(must_lookup(b, "s") == old);            /* unchanged: the same set */
    write_const("r/s/x.wav", 0.5, 1200);
    const struct sample_set *now = must_lookup(b, "s");
    assert_true(now != old);
    assert_true(now->samples[0].data[500] == 0.5f);
    assert_true(old->samples[0].data[500] == 0.25f);    /* still held */
    sample_bank_hold(b, now);
    sample_bank_compiled(b);
    sample_bank_release(b, old);                        /* the old program freed: unloaded */
    write_const("r/s/y.wav", 0.75, 1000);               /* a file added */
    const struct sample_set *more = must_lookup(b, "s");
    assert_int_equal(more->count, 2);
    struct sample_bank_stats st;
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_reloaded, 2);
    sample_bank_release(b, now);
    sample_bank_free(b);
}

/* --- bad files -------------------------------------------------------------- */

static void test_sample_bad_files_are_skipped_with_a_warning(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/k");
    write_const("r/k/a.wav", 0.1, 100);
    unsigned char junk[3000];
    uint32_t x = 12345;
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 24);
    write_bytes("r/k/b_corrupt.wav", junk, sizeof junk);
    write_bytes("r/k/c_empty.wav", "", 0);
    write_wav("r/k/d_noframes.wav", 44100, 1, 0, SF_FORMAT_PCM_16, wave_const, NULL);
    write_const("r/k/e.wav", 0.5, 100);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample_set *s = must_lookup(b, "k");
    assert_int_equal(s->count, 2);                     /* n indexes the good files */
    assert_string_equal(s->samples[1].file, "e.wav");
    assert_non_null(strstr(warnings, "b_corrupt.wav: skipped: not a readable audio file"));
    assert_non_null(strstr(warnings, "c_empty.wav: skipped: empty file (0 bytes)"));
    assert_non_null(strstr(warnings, "d_noframes.wav: skipped: empty (0 frames)"));
    assert_non_null(strstr(warnings, tmp));            /* warnings carry the full path */
    struct sample_bank_stats st;
    sample_bank_stats(b, &st);
    assert_int_equal(st.files_loaded, 2);
    assert_int_equal(st.files_skipped, 3);
    sample_bank_free(b);
}

static void test_sample_truncated_file_plays_what_is_there(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/t");
    /* A 16-bit mono WAV whose header says 5000 frames, with 1000 present. */
    unsigned char f[44 + 2000] = { 0 };
    const uint32_t said = 5000 * 2;
    memcpy(f, "RIFF", 4);
    f[4] = (unsigned char)(36 + said); f[5] = (unsigned char)((36 + said) >> 8);
    memcpy(f + 8, "WAVEfmt ", 8);
    f[16] = 16; f[20] = 1; f[22] = 1;                  /* PCM, mono */
    f[24] = 0x44; f[25] = 0xAC;                        /* 44100 Hz */
    f[28] = 0x88; f[29] = 0x58; f[30] = 0x01;          /* 88200 bytes/s */
    f[32] = 2; f[34] = 16;
    memcpy(f + 36, "data", 4);
    f[40] = (unsigned char)said; f[41] = (unsigned char)(said >> 8);
    for (int i = 0; i < 1000; i++)
        f[44 + 2 * i + 1] = 0x20;                      /* 0x2000 = 0.25 */
    write_bytes("r/t/cut.wav", f, sizeof f);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample *s = sample_set_pick(must_lookup(b, "t"), 0);
    assert_int_equal(s->frames, 1000);
    assert_true(s->truncated);
    assert_float_equal(s->data[0], 0.25, 1e-6);
    assert_true(s->data[999] == 0.0f);                 /* faded, not cut mid-wave */
    assert_non_null(strstr(warnings, "cut.wav: truncated"));
    sample_bank_free(b);
}

/* The process's peak virtual size in kB (VmPeak): a malloc of the frames a
 * header claims shows there even when no page of it is touched. */
static long vm_peak_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "VmPeak: %ld kB", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

static void test_sample_lying_flac_header_costs_what_it_holds(void **state)
{
    (void)state;
    if (vm_peak_kb() < 0)
        skip();
    const char *root = mkdir_in("r");
    mkdir_in("r/f");
    /* A FLAC of 1000 frames at 192 kHz, then STREAMINFO's total samples (36
     * bits from byte 21's low nibble) set to 100 million: 520 s, under the
     * 10-minute limit, 400 MB if believed. */
    char path[512];
    snprintf(path, sizeof path, "%s/r/f/liar.flac", tmp);
    SF_INFO info = { .samplerate = 192000, .channels = 1, .format = SF_FORMAT_FLAC | SF_FORMAT_PCM_16 };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        skip();                                         /* libsndfile without FLAC */
    float x[1000];
    for (int i = 0; i < 1000; i++)
        x[i] = 0.25f;
    assert_int_equal(sf_writef_float(sf, x, 1000), 1000);
    sf_close(sf);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    unsigned char h[26];
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    assert_memory_equal(h, "fLaC", 4);
    uint64_t claim = 100000000;
    h[21] = (unsigned char)((h[21] & 0xF0) | (claim >> 32));
    for (int i = 0; i < 4; i++)
        h[22 + i] = (unsigned char)(claim >> (24 - 8 * i));
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    assert_int_equal(fwrite(h, 1, sizeof h, f), sizeof h);
    fclose(f);
    long before = vm_peak_kb();
    struct sample_bank *b = bank_with(&root, 1, 192000);
    const struct sample *s = sample_set_pick(must_lookup(b, "f"), 0);
    long grew = vm_peak_kb() - before;
    assert_true(s->frames <= 1000 + 4096);              /* what was there (a decoder block at most) */
    assert_true(s->truncated);
    assert_true(grew < 64 * 1024);                      /* not 400 MB: what it holds */
    sample_bank_free(b);
}

static void test_sample_folder_without_audio_is_an_error(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/docs");
    write_bytes("r/docs/readme.txt", "x", 1);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    struct sample_error err = { 0 };
    assert_null(sample_bank_lookup(b, "docs", &err));
    assert_int_equal(err.code, PHONON_ENOENT);
    assert_non_null(strstr(err.msg, "r/docs has no audio files"));
    assert_int_equal(err.folder, 1);
    assert_null(sample_bank_lookup(b, "nodocs", &err));
    assert_int_equal(err.code, PHONON_ENOENT);
    assert_int_equal(err.folder, 0);
    sample_bank_free(b);
}

/* What a folder and an audio file are, from the listing's file types with
 * a stat only for links (and for file systems that give no type): a link to
 * a folder is a folder, a link to a file is a file, a folder or a broken
 * link named like audio is no file, a file is no folder. */
static void test_sample_links_and_types_of_entries(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    const char *real = mkdir_in("real");
    mkdir_in("r/drum");
    write_const("r/drum/a.wav", 0.1, 100);
    write_const("real/b.wav", 0.2, 100);
    write_const("real/c.wav", 0.3, 100);
    mkdir_in("r/drum/dir.wav");
    char p[512], q[512];
    snprintf(p, sizeof p, "%s/b.wav", real);
    snprintf(q, sizeof q, "%s/drum/b.wav", root);
    assert_int_equal(symlink(p, q), 0);
    snprintf(q, sizeof q, "%s/drum/dangling.wav", root);
    assert_int_equal(symlink("/nonexistent/x.wav", q), 0);
    snprintf(q, sizeof q, "%s/linked", root);
    assert_int_equal(symlink(real, q), 0);
    write_bytes("r/plain", "x", 1);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    const struct sample_set *s = must_lookup(b, "drum");
    assert_int_equal(s->count, 2);
    assert_string_equal(s->samples[0].file, "a.wav");
    assert_string_equal(s->samples[1].file, "b.wav");
    assert_int_equal(must_lookup(b, "linked")->count, 2);
    struct sample_error err = { 0 };
    assert_null(sample_bank_lookup(b, "plain", &err));
    assert_int_equal(err.code, PHONON_ENOENT);
    assert_int_equal(err.folder, 0);
    sample_bank_free(b);
}

static void test_sample_folder_of_bad_files_names_the_file(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/bad");
    write_bytes("r/bad/x.flac", "not flac at all, just text", 26);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    struct sample_error err = { 0 };
    assert_null(sample_bank_lookup(b, "bad", &err));
    assert_int_equal(err.code, PHONON_EFORMAT);
    assert_non_null(strstr(err.msg, "r/bad/x.flac: not a readable audio file"));
    sample_bank_free(b);
}

static void test_sample_size_cap_refuses_long_files(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/long");
    write_const("r/long/a.wav", 0.1, 44100);
    struct sample_bank_opts o = { .no_env = 1, .no_kit = 1, .max_seconds = 0.5,
                                  .warn = collect_warning };
    struct sample_error err = { 0 };
    struct sample_bank *b = sample_bank_new(&root, 1, 44100, &o, &err);
    assert_non_null(b);
    assert_null(sample_bank_lookup(b, "long", &err));
    assert_int_equal(err.code, PHONON_ELIMIT);
    assert_non_null(strstr(err.msg, "a.wav: too long"));
    sample_bank_free(b);
    o.max_seconds = 0;
    o.max_bytes = 1000;                                /* 44100 floats do not fit */
    b = sample_bank_new(&root, 1, 44100, &o, &err);
    assert_null(sample_bank_lookup(b, "long", &err));
    assert_non_null(strstr(err.msg, "a.wav: too large"));
    sample_bank_free(b);
}

/* A file one frame over the default limit (600 s) says so, in seconds and
 * frames (it said "too long: 10.0 minutes (the limit is 10.0)"). */
static void test_sample_just_too_long_says_by_how_much(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/long");
    double v = 0.1;
    write_wav("r/long/a.wav", 1000, 1, 600001, SF_FORMAT_PCM_16, wave_const, &v);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    struct sample_error err = { 0 };
    assert_null(sample_bank_lookup(b, "long", &err));
    assert_int_equal(err.code, PHONON_ELIMIT);
    assert_non_null(strstr(err.msg, "a.wav: too long: 600.001 s, 1 frame over the limit of 600 s"));
    sample_bank_free(b);
}

/* --- search path -------------------------------------------------------- */

static void test_sample_search_order_first_root_wins(void **state)
{
    (void)state;
    const char *ra = mkdir_in("a"), *rb = mkdir_in("b"), *rc = mkdir_in("c");
    mkdir_in("a/x");
    mkdir_in("b/x");
    mkdir_in("b/y");
    mkdir_in("c/x");
    mkdir_in("c/z");
    write_const("a/x/1.wav", 0.1, 10);
    write_const("b/x/1.wav", 0.2, 10);
    write_const("b/y/1.wav", 0.3, 10);
    write_const("c/x/1.wav", 0.4, 10);
    write_const("c/z/1.wav", 0.5, 10);
    char env[600];
    snprintf(env, sizeof env, "%s/missing::%s", tmp, rc);  /* empty entry ignored */
    setenv("PHONON_SAMPLES", env, 1);
    const char *roots[] = { ra, rb };
    struct sample_bank_opts o = { .no_kit = 1, .warn = collect_warning };
    struct sample_error err = { 0 };
    warnings[0] = '\0';
    struct sample_bank *b = sample_bank_new(roots, 2, 44100, &o, &err);
    unsetenv("PHONON_SAMPLES");
    assert_non_null(b);
    assert_non_null(strstr(warnings, "$PHONON_SAMPLES: "));
    assert_non_null(strstr(warnings, "/missing: no such directory"));
    const char *const *r;
    assert_int_equal(sample_bank_roots(b, &r), 3);
    assert_string_equal(r[0], ra);
    assert_string_equal(r[1], rb);
    assert_string_equal(r[2], rc);                     /* --samples first, then the environment */
    assert_float_equal(sample_bank_get(b, "x", 0, &err)->data[0], 0.1, 1e-6);
    assert_float_equal(sample_bank_get(b, "y", 0, &err)->data[0], 0.3, 1e-6);
    assert_float_equal(sample_bank_get(b, "z", 0, &err)->data[0], 0.5, 1e-6);
    const char *const *names;
    assert_int_equal(sample_bank_names(b, &names), 3); /* x once: no duplicates */
    assert_string_equal(names[0], "x");
    assert_string_equal(names[2], "z");
    sample_bank_free(b);
}

static void test_sample_missing_root_is_an_error(void **state)
{
    (void)state;
    char missing[128], file[128];
    snprintf(missing, sizeof missing, "%s/nope", tmp);
    snprintf(file, sizeof file, "%s/f.wav", tmp);
    write_bytes("f.wav", "x", 1);
    struct sample_bank_opts o = { .no_env = 1, .no_kit = 1 };
    struct sample_error err = { 0 };
    const char *r1[] = { tmp, missing };
    assert_null(sample_bank_new(r1, 2, 44100, &o, &err));
    assert_int_equal(err.code, PHONON_ENOENT);
    assert_non_null(strstr(err.msg, "nope: no such directory"));
    const char *r2[] = { file };
    assert_null(sample_bank_new(r2, 1, 44100, &o, &err));
    assert_int_equal(err.code, PHONON_ENOENT);
    assert_non_null(strstr(err.msg, "f.wav: not a directory"));
}

static void test_sample_unknown_and_unsafe_names(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/bd");
    write_const("r/bd/1.wav", 0.1, 10);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    struct sample_error err = { 0 };
    assert_null(sample_bank_lookup(b, "bdd", &err));
    assert_int_equal(err.code, PHONON_ENOENT);
    assert_string_equal(err.msg, "unknown sample name 'bdd'");
    assert_null(sample_bank_lookup(b, "../r/bd", &err));  /* one path component only */
    assert_null(sample_bank_lookup(b, "", &err));
    assert_null(sample_bank_lookup(b, ".", &err));
    /* A folder made after the bank is found at the next lookup (live sessions). */
    mkdir_in("r/new");
    write_const("r/new/1.wav", 0.2, 10);
    assert_non_null(sample_bank_lookup(b, "new", &err));
    sample_bank_free(b);
}

/* --- lazy loading, sharing, threads ------------------------------------------ */

static void test_sample_loads_only_names_asked_for(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/a");
    mkdir_in("r/b");
    write_const("r/a/1.wav", 0.1, 10);
    write_const("r/a/2.wav", 0.1, 10);
    write_const("r/b/1.wav", 0.1, 10);
    struct sample_bank *b = bank_with(&root, 1, 44100);
    struct sample_bank_stats st;
    const char *const *names;
    assert_int_equal(sample_bank_names(b, &names), 2); /* listing loads nothing */
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_loaded, 0);
    assert_int_equal(st.files_loaded, 0);
    const struct sample_set *first = must_lookup(b, "a");
    sample_bank_stats(b, &st);
    assert_int_equal(st.names_loaded, 1);
    assert_int_equal(st.files_loaded, 2);              /* b not touched */
    assert_int_equal(st.bytes, 2 * (10 + 2 * SAMPLE_PAD) * sizeof(float));
    assert_ptr_equal(must_lookup(b, "a"), first);      /* shared, not reloaded */
    sample_bank_stats(b, &st);
    assert_int_equal(st.files_loaded, 2);
    sample_bank_free(b);
}

struct race { struct sample_bank *b; const struct sample_set *got[4]; };

static void *race_thread(void *arg)
{
    struct race *r = arg;
    static const char *const names[4] = { "a", "b", "c", "d" };
    for (int i = 0; i < 4; i++)
        r->got[i] = sample_bank_lookup(r->b, names[i], NULL);
    return NULL;
}

static void test_sample_two_threads_share_one_load(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    const char *dirs[] = { "r/a", "r/b", "r/c", "r/d" };
    char file[64];
    for (int i = 0; i < 4; i++) {
        mkdir_in(dirs[i]);
        snprintf(file, sizeof file, "%s/1.wav", dirs[i]);
        struct sine s = { 440.0, 22050.0 };
        write_wav(file, 22050, 2, 4000, SF_FORMAT_PCM_16, wave_sine, &s);
    }
    struct sample_bank *b = bank_with(&root, 1, 48000);
    struct race r1 = { b, { 0 } }, r2 = { b, { 0 } };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, race_thread, &r1), 0);
    race_thread(&r2);
    pthread_join(t, NULL);
    for (int i = 0; i < 4; i++) {
        assert_non_null(r1.got[i]);
        assert_ptr_equal(r1.got[i], r2.got[i]);
    }
    struct sample_bank_stats st;
    sample_bank_stats(b, &st);
    assert_int_equal(st.files_loaded, 4);
    sample_bank_free(b);
}

/* --- phonon samples ----------------------------------------------------------- */

static char *print_to_string(struct sample_bank *b, const char *name, int json, int *rc)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    struct sample_error err = { 0 };
    *rc = cli_samples_print(b, f, name, json, &err);
    fclose(f);
    return buf;
}

static void test_sample_print_lists_names_and_files(void **state)
{
    (void)state;
    const char *root = mkdir_in("r");
    mkdir_in("r/hh");
    mkdir_in("r/sn");
    write_const("r/hh/a.wav", 0.1, 441);
    write_const("r/hh/b.wav", 0.1, 882);
    write_bytes("r/hh/c.wav", "junk", 4);
    write_const("r/sn/a.wav", 0.1, 10);
    struct sample_bank *b = bank_with(&root, 1, 48000);
    int rc;
    char *s = print_to_string(b, NULL, 0, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(s, "(--samples; folders, 2 names)"));
    assert_non_null(strstr(s, "names: 2"));
    assert_non_null(strstr(s, "hh                  3 files"));
    free(s);
    s = print_to_string(b, "hh", 0, &rc);
    assert_non_null(strstr(s, "  1  b.wav       882 frames  1 ch   44100 Hz     0.020 s"));
    assert_non_null(strstr(s, "    -  c.wav skipped: not a readable audio file"));
    free(s);
    s = print_to_string(b, "hh", 1, &rc);
    assert_int_equal(s[0], '{');
    assert_non_null(strstr(s, "{\"index\":0,\"file\":\"a.wav\",\"frames\":441,\"channels\":1,"
                              "\"rate\":44100,\"duration\":0.010000,\"truncated\":false}"));
    assert_non_null(strstr(s, "\"skipped\":[{\"file\":\"c.wav\",\"error\":"));
    assert_string_equal(s + strlen(s) - 2, "}\n");
    free(s);
    s = print_to_string(b, NULL, 1, &rc);
    assert_non_null(strstr(s, "\"names\":[{\"name\":\"hh\",\"files\":3,\"root\":"));
    free(s);
    s = print_to_string(b, "nope", 0, &rc);
    assert_int_equal(rc, PHONON_ENOENT);
    assert_string_equal(s, "");                        /* nothing printed on error */
    free(s);
    sample_bank_free(b);
}

/* --- the project's kit ---------------------------------------------------------- */

static int files_equal(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        same = ca == cb;
        if (ca == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* Period (in frames) of the strongest autocorrelation peak in [lo, hi]. */
static int period(const float *x, int64_t n, int lo, int hi)
{
    int best = lo;
    double best_r = -1e30;
    int64_t from = 2205, len = 8192;
    assert_true(from + len + hi < n);
    for (int lag = lo; lag <= hi; lag++) {
        double r = 0.0;
        for (int64_t i = from; i < from + len; i++)
            r += (double)x[i] * x[i + lag];
        if (r > best_r) {
            best_r = r;
            best = lag;
        }
    }
    return best;
}

static int zero_crossings(const float *x, int64_t n)
{
    int c = 0;
    for (int64_t i = 1; i < n; i++)
        c += (x[i - 1] < 0.0f) != (x[i] < 0.0f);
    return c;
}

static void test_sample_kit_is_deterministic_and_sounds_right(void **state)
{
    (void)state;
    if (access("scripts/make-samples", R_OK) != 0)
        skip();                                   /* not run from the repository root */
    char cmd[512];
    const char *d1 = mkdir_in("k1"), *d2 = mkdir_in("k2");
    snprintf(cmd, sizeof cmd, "sh scripts/make-samples %s && sh scripts/make-samples %s", d1, d2);
    assert_int_equal(system(cmd), 0);

    static const struct { const char *name; int count; } kit[] = {
        { "bd", 4 }, { "sn", 3 }, { "hh", 3 }, { "oh", 2 }, { "cp", 2 }, { "rim", 2 },
        { "lt", 2 }, { "mt", 2 }, { "ht", 2 }, { "cb", 2 }, { "cr", 2 }, { "rd", 2 },
        { "perc", 3 }, { "bass", 4 }, { "arpy", 8 },
    };
    struct sample_bank *b = bank_with(&d1, 1, 44100);
    for (size_t k = 0; k < sizeof kit / sizeof kit[0]; k++) {
        const struct sample_set *s = must_lookup(b, kit[k].name);
        assert_int_equal(s->count, kit[k].count);
        for (int i = 0; i < s->count; i++) {
            const struct sample *x = &s->samples[i];
            char f1[512], f2[512];
            snprintf(f1, sizeof f1, "%s/%s/%s", d1, kit[k].name, x->file);
            snprintf(f2, sizeof f2, "%s/%s/%s", d2, kit[k].name, x->file);
            if (!files_equal(f1, f2))
                fail_msg("%s differs between two runs of scripts/make-samples", x->file);
            assert_int_equal(x->file_rate, 44100);
            double peak = 0.0, sum = 0.0;
            for (int64_t j = 0; j < x->frames; j++) {
                peak = fmax(peak, fabs(x->data[j]));
                sum += x->data[j];
            }
            double peak_db = 20.0 * log10(peak);
            if (peak_db < -1.1 || peak_db > -0.9 || fabs(sum / x->frames) > 0.005 ||
                x->data[0] != 0.0f || fabs(x->data[x->frames - 1]) > 1e-3)
                fail_msg("%s: peak %.2f dBFS, mean %.4f, first %g, last %g", x->file, peak_db,
                         sum / x->frames, x->data[0], x->data[x->frames - 1]);
        }
    }
    /* Kicks are low, hats high: zero crossings in the first 0.1 s. */
    struct sample_error err;
    assert_true(zero_crossings(sample_bank_get(b, "bd", 0, &err)->data, 4410) < 60);
    assert_true(zero_crossings(sample_bank_get(b, "hh", 0, &err)->data, 4410) > 1000);
    /* Pitched voices are in tune: bass:0 is A1 (55 Hz: 801.8 frames), arpy:0
     * C4 (168.6), arpy:4 A4 (100.2). */
    /* (the bass's filter sweep moves its waveform: allow 1 %) */
    assert_in_range(period(sample_bank_get(b, "bass", 0, &err)->data, 44100, 400, 1200), 794, 810);
    assert_in_range(period(sample_bank_get(b, "arpy", 0, &err)->data, 44100, 100, 300), 168, 169);
    assert_in_range(period(sample_bank_get(b, "arpy", 4, &err)->data, 44100, 60, 180), 100, 101);
    sample_bank_free(b);
}

static void test_sample_kit_is_found_beside_the_checkout(void **state)
{
    (void)state;
    if (access("scripts/make-samples", R_OK) != 0)
        skip();
    struct sample_bank_opts o = { .no_env = 1 };
    struct sample_error err = { 0 };
    struct sample_bank *b = sample_bank_new(NULL, 0, 44100, &o, &err);
    assert_non_null(b);
    const char *const *r;
    int n = sample_bank_roots(b, &r);
    assert_int_equal(n, 1);                            /* build/test_sample -> ./samples */
    char *here = realpath("samples", NULL);
    assert_non_null(here);
    assert_string_equal(r[0], here);
    free(here);
    sample_bank_free(b);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_sample_files_sorted_by_byte_order_and_n_wraps),
        T(test_sample_pads_are_zero_both_ends),
        T(test_sample_channels_mono_stereo_and_mixdown),
        T(test_sample_resampled_length_and_pitch),
        T(test_sample_resampler_passband_and_stopband),
        T(test_sample_odd_rate_loads_fast),
        T(test_sample_lru_unloads_what_no_program_holds),
        T(test_sample_replaced_file_is_loaded_again),
        T(test_sample_bad_files_are_skipped_with_a_warning),
        T(test_sample_truncated_file_plays_what_is_there),
    T(test_sample_lying_flac_header_costs_what_it_holds),
        T(test_sample_folder_without_audio_is_an_error),
        T(test_sample_links_and_types_of_entries),
        T(test_sample_folder_of_bad_files_names_the_file),
        T(test_sample_size_cap_refuses_long_files),
        T(test_sample_just_too_long_says_by_how_much),
        T(test_sample_search_order_first_root_wins),
        T(test_sample_missing_root_is_an_error),
        T(test_sample_unknown_and_unsafe_names),
        T(test_sample_loads_only_names_asked_for),
        T(test_sample_two_threads_share_one_load),
        T(test_sample_print_lists_names_and_files),
        T(test_sample_kit_is_deterministic_and_sounds_right),
        T(test_sample_kit_is_found_beside_the_checkout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
