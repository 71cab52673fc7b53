/* test_voice.c -- voice batches: every kernel set agrees with the scalar
 * reference, the thread count never changes a bit, chords, stealing
 * without a click, voices that end.
 *
 * The programs below reach every path of the kernels: sample voices at
 * varied and negative speeds (each window size of the vector readers and
 * the general loop beyond), looping, sliced (down to a few frames), with envelopes, per-voice
 * filter, shape, crush, and SuperDirt's effects (issue 12); bus instruments with every oscillator (steady
 * and modulated frequencies), filter, envelope, math and shaper op;
 * SuperDirt synths; stolen and cut voices.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../tests/spectrum.h"
#include "dsp.h"
#include "fixture.h"
#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "sample.h"
#include "voice.h"

#define SR 44100
#define BLOCK 512

static char root[64];


static int setup(void **state)
{
    (void)state;
    dsp_init();
    snprintf(root, sizeof root, "/tmp/phonon-test-voice-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    fixture_write_wav(root, "mono", 1, SR / 3, 330, SR);
    fixture_write_wav(root, "stereo", 2, SR, 110, SR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = { "mono", "stereo" };
    fixture_remove(root, names, 2);
    return 0;
}

static const char *everything =
    "bpm: 140\n"
    "~vib: sine 5 * 6 + 220\n"
    "~a: saw # lpf 1800 0.9 # adsr 0.01 0.1 0.6 0.2\n"
    "~b: square # hpf 200 # ad 0.005 0.2\n"
    "~c: (pulse 1 0.25 + tri 1.5) * 0.4 # bpf 900 2 # ar 0.02 0.1\n"
    "~d: fm 1 3.01 2 # notch 1000 1 # perc 0.3\n"
    "~e: (noise + pink + brown) * 0.2 # moog 1200 0.6 # adsr 0.001 0.05 0.2 0.05\n"
    "~f: sine ~vib # distort 3 0.5 # bitcrush 6 3 # line 1 0\n"
    "~g: max (saw 2) (sine 0.5) - min (tri 3) 0.2 # clip -0.5 0.5 # lpf (sine 1 * 500 + 900) 0.7\n"
    "o1: s \"mono*8 stereo(3,8)\" # speed \"1 -1 0.5 1.7 -0.8 2 1.3 0.6\" # pan rand # gain 0.3\n"
    "o2: s \"stereo*4\" # begin 0.2 # end 0.6 # loop 2 # attack 0.02 # release 0.05 # lpf 2500 # shape 0.4 # gain 0.2\n"
    "o3: s \"mono*16\" # crush 5 # hpf 800 # cut \"<0 1>\" # note \"<0 7 12>\"\n"
    "o4: s \"~a*8 ~b*4\" # note \"<c3'min7 e3'maj7>\" # gain 0.08\n"
    "o5: s \"~c ~d ~e ~f ~g\" # note \"0 5 7 12 -12\" # gain 0.2 # legato 1.5\n"
    "o6: s \"supersaw superpwm superchip superfm superkick supersnare superhat superpiano\" # note \"0 3 7\" # gain 0.2\n"
    "o7: s \"mono*8 stereo*2\" # speed \"3.5 -3.5 -1.9 1.69 -1.71 0.25 -2.7 4.2\" # begin \"<0 0.1 0.45>\" # end \"<1 0.5 0.47>\" # attack 0.001 # release 0.03 # gain 0.3\n"
    "o8: s \"mono*4 stereo\" # coarse \"<3 7.5>\" # vowel \"<a o i>\" # accelerate \"-0.5 1 -1.5\" # gain 0.2 # orbit 1 # room 0.2 # delay 0.3\n"
    "o9: s \"stereo mono*3\" # djf \"<0.2 0.8>\" # triode 0.6 # krush \"1 0.3\" # kcutoff 2000 # ring 0.8 # ringf 300 # ringdf 500 # tremolodepth 0.7 # tremolorate 9 # gain 0.2\n"
    "o10: s \"mono*2 stereo\" # octer \"0.5 1.5\" # octersub 0.8 # octersubsub 0.5 # cutoff 1200 # lpenv \"2 -2\" # lpdecay 0.1 # penv \"<7 -5>\" # pattack 0.05 # gain 0.2\n"
    "o11: s \"mono*2 stereo\" # bandf 900 # bpenv 2 # waveloss 20 # squiz 2 # fshift 150 # xsdelay 5 # tsdelay 0.2 # freeze 1 # comb 0.3 # smear 0.4 # scram 0.2 # gain 0.05 # nudge \"0 0.013\"\n"
    "o12: s \"stereo mono\" # binshift 0.6 # hbrick 0.1 # lbrick 0.3 # real 0.4 # imag 0.2 # enhance 0.3 # leslie 0.8 # phaserrate 3 # vib 5 # fmi 1 # fmh 2 # gain 0.1 # legato 0.7\n"
    "o13: s \"supersaw superpwm ~a\" # note \"0 7\" # vowel \"a\" # fshift 50 # vib 6 # phaserrate 2 # bandf 1200 # coarse 3 # gain 0.05 # hold 0.2 # attack 0.01\n";


/* Render `seconds` of src; the caller frees the interleaved stereo. */
static float *render(const char *src, int threads, int voices, double seconds, long *frames,
                     struct engine_stats *st)
{
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1 };
    struct sample_error serr;
    struct sample_bank *bank = sample_bank_new(roots, 1, SR, &bo, &serr);
    assert_non_null(bank);
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = threads, .voices = voices, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    struct program *p = fixture_compile(src, "voice.ph", bank, SR, BLOCK);
    assert_non_null(p);
    engine_publish(e, p);
    long n = (long)(seconds * SR) / BLOCK * BLOCK;
    float *out = malloc(sizeof(float) * 2 * (size_t)n);
    assert_non_null(out);
    for (long at = 0; at < n; at += BLOCK) {
        engine_render(e, out + 2 * at, BLOCK);
        engine_collect(e);
    }
    if (st)
        engine_get_stats(e, st);
    engine_free(e);
    sample_bank_free(bank);
    *frames = n;
    return out;
}

static double peak_of(const float *x, long n)
{
    double m = 0;
    for (long i = 0; i < n; i++)
        m = fmax(m, fabs(x[i]));
    return m;
}

/* Every kernel set this CPU runs against the scalar one: the largest
 * difference, re the reference's peak, is below -120 dB. */
static void test_voice_kernels_agree_with_scalar(void **state)
{
    (void)state;
    const char *names[] = { "scalar", "sse2", "avx2", "avx512" };
    float *ref = NULL;
    long n = 0;
    int ran = 0;
    for (int k = 0; k < 4; k++) {
        if (voice_use_kernels(names[k]) != 0) {
            print_message("    %s: not on this CPU\n", names[k]);
            continue;
        }
        long m;
        struct engine_stats st;
        float *x = render(everything, 1, 4096, 6.0, &m, &st);
        if (!ref) {
            ref = x;
            n = m;
            double pk = peak_of(ref, 2 * n);
            print_message("    scalar: peak %.3f, %ld voices started, %d at most\n", pk, st.voices_started,
                          st.voices_peak);
            assert_true(pk > 0.01);
            assert_true(st.voices_started > 200);
            continue;
        }
        assert_int_equal(m, n);
        double d = 0, pk = peak_of(ref, 2 * n);
        for (long i = 0; i < 2 * n; i++)
            d = fmax(d, fabs((double)x[i] - (double)ref[i]));
        double db = 20 * log10(d / pk + 1e-300);
        print_message("    %s: largest difference %.3g (%.1f dB re peak)\n", names[k], d, d > 0 ? db : -INFINITY);
        assert_true(d == 0 || db <= -120.0);
        free(x);
        ran++;
    }
    free(ref);
    voice_use_kernels(voice_kernel_name());
    assert_true(ran >= 1);
}

/* issue 12: the synths' lanes (src/synth_kern.h), each kind with eight
 * notes of different pitches, rendered in blocks of changing sizes (1 to
 * 500 frames) by every kernel set: the same bits as the scalar one. With
 * args, the odd lanes also take SuperDirt's speed, accelerate, pitch1 and
 * decay (h-kickargs: a batch whose lanes mix superkick's plain and
 * low-passed clicks, gliding lanes). */
static void synth_kernels_agree(int args)
{
    enum { N = 24000, L = VOICE_W };
    const char *names[] = { "scalar", "sse2", "avx2", "avx512" };
    static float out[4][N * L];
    static struct dsp_synth s;
    for (int kind = 0; kind < DSP_SYNTH_KINDS; kind++) {
        int ran = 0;
        for (int k = 0; k < 4; k++) {
            if (voice_use_kernels(names[k]) != 0)
                continue;
            dsp_synth_init(&s, (enum dsp_synth_kind)kind, 48000.0f);
            for (int l = 0; l < L; l++) {
                struct dsp_synth_note n;
                dsp_synth_note_defaults((enum dsp_synth_kind)kind, &n);
                n.freq *= 1.0f + 0.37f * (float)l;
                n.sustain = 0.1f + 0.03f * (float)l;
                if (args && (l & 1)) {
                    n.speed = 1.5f;
                    n.accelerate = l & 2 ? 0.5f : -0.7f;
                    n.pitch1 = 2.0f;
                    n.decay = 3.0f;
                }
                dsp_synth_trigger(&s, l, &n);
            }
            for (int at = 0, chunk = 37; at < N; chunk = chunk * 7 % 500 + 1) {
                int m = N - at < chunk ? N - at : chunk;
                dsp_synth_render(&s, out[k] + (size_t)at * L, L, m);
                at += m;
            }
            if (k == 0) {
                assert_true(peak_of(out[0], (long)N * L) > 0.05);
                continue;
            }
            long differ = 0;
            for (long i = 0; i < (long)N * L; i++)
                differ += memcmp(&out[k][i], &out[0][i], sizeof(float)) != 0;
            if (differ)
                print_message("    %s %s: %ld samples differ from scalar\n", dsp_synth_kind_name(kind), names[k],
                              differ);
            assert_int_equal(differ, 0);
            ran++;
        }
        assert_true(ran >= 1);
    }
    voice_use_kernels(voice_kernel_name());
}

static void test_voice_synth_kernels_agree(void **state)
{
    (void)state;
    synth_kernels_agree(0);
}

static void test_voice_synth_kernels_agree_with_arguments(void **state)
{
    (void)state;
    synth_kernels_agree(1);
}

/* --threads 1, 2 and 8: the same bits. */
static void test_voice_threads_do_not_change_a_bit(void **state)
{
    (void)state;
    long n1, n2, n8;
    float *a = render(everything, 1, 4096, 4.0, &n1, NULL);
    float *b = render(everything, 2, 4096, 4.0, &n2, NULL);
    float *c = render(everything, 8, 4096, 4.0, &n8, NULL);
    assert_int_equal(n1, n2);
    assert_int_equal(n1, n8);
    assert_memory_equal(a, b, sizeof(float) * 2 * (size_t)n1);
    assert_memory_equal(a, c, sizeof(float) * 2 * (size_t)n1);
    free(a);
    free(b);
    free(c);
}

/* A pool of 2 voices for a pad that plays 4 notes at a time: voices are
 * stolen, each fades out in 2 ms, and no sample jumps as a cut would. */
static void test_voice_stealing_fades_without_a_click(void **state)
{
    (void)state;
    const char *src = "bpm: 120\n~p: sine # adsr 0.05 0.1 0.8 0.3\no1: s \"~p*2\" # note \"c3'maj7\" # gain 0.5\n";
    long n;
    struct engine_stats st;
    float *x = render(src, 1, 2, 4.0, &n, &st);
    double jump = 0;
    for (long i = 1; i < n; i++)
        jump = fmax(jump, fabs(x[2 * i] - x[2 * i - 2]));
    print_message("    %ld stolen; largest step between samples %.4f\n", st.voices_stolen, jump);
    assert_true(st.voices_stolen >= 8);
    assert_true(st.voices_peak <= 2);
    /* a 0.5 sine near 200 Hz moves at most 0.015 per sample; a cut voice
     * would jump by up to its level */
    assert_true(jump < 0.05);
    free(x);
}

/* Stealing costs a few ring records per steal whatever the pool's size
 * (issue 9: steals in O(1) each; a scan of the batches cost capacity / 8
 * per steal): a flood of pad notes at 16,384 starts a second through
 * pools of 256 and 4,096 voices. The oldest voice goes first: the pool
 * never holds more than its capacity. */
static void test_voice_steals_cost_the_same_in_any_pool(void **state)
{
    (void)state;
    const char *src = "bpm: 120\n~p: sine # adsr 0.01 0 1 10\no1: s \"~p*2048\" # note \"c3'maj7\" # gain 0.001\n";
    static const int caps[] = { 256, 4096 };
    for (int k = 0; k < 2; k++) {
        long n;
        struct engine_stats st;
        float *x = render(src, 1, caps[k], 2.5, &n, &st);
        double per = st.voices_stolen ? (double)st.voices_steal_probes / (double)st.voices_stolen : 0;
        print_message("    %d voices: %ld stolen, %.2f ring records per steal, peak %d\n", caps[k], st.voices_stolen,
                      per, st.voices_peak);
        assert_true(st.voices_stolen >= 1000);
        assert_true(st.voices_peak <= caps[k]);
        assert_true(per <= 8.0);
        free(x);
    }
}

/* Voices end: after the pattern stops (a one-shot `once`-like pattern of
 * short sounds), the pool empties. */
static void test_voice_voices_end(void **state)
{
    (void)state;
    const char *src = "bpm: 120\n~p: saw # perc 0.05\no1: s \"~p*4 mono*4\" # note \"c4'min\"\n";
    long n;
    struct engine_stats st;
    float *x = render(src, 1, 4096, 6.0, &n, &st);
    /* 4 instrument events x 3 notes + 4 samples per 2 s cycle, each under
     * 0.5 s: never more than a handful at once */
    print_message("    started %ld, peak %d, live at the end %d\n", st.voices_started, st.voices_peak, st.voices);
    assert_true(st.voices_started >= 40);
    assert_true(st.voices_peak < 24);
    free(x);
}

/* Instrument voices' oscillators (the kernels' own band-limited edges) at
 * about 4986 Hz: every alias at least 60 dB under the fundamental, the
 * harmonics in place. */
static void test_voice_oscillators_alias_below_60db(void **state)
{
    (void)state;
    static const char *const oscs[] = { "saw", "square", "tri", "pulse 1 0.25" };
    const double f0 = 261.6255653005986 * pow(2.0, 51.0 / 12.0);
    for (int k = 0; k < 4; k++) {
        char src[256];
        snprintf(src, sizeof src, "bpm: 30\n~o: %s\no1: s \"~o\" # note 51 # gain 0.3\n", oscs[k]);
        long n;
        float *x = render(src, 1, 64, 1.5, &n, NULL);
        enum { NFFT = 32768 };
        float *mono = malloc(sizeof *mono * NFFT);
        assert_non_null(mono);
        for (int i = 0; i < NFFT; i++)
            mono[i] = x[2 * (i + SR / 5)];              /* from 0.2 s: past the attack */
        struct spectrum sp;
        assert_int_equal(spectrum_init(&sp, mono, NFFT, SR), 0);
        double fund = spectrum_level_near(&sp, f0, 5), at = 0;
        double alias = spectrum_nonharmonic_max(&sp, f0, 40, 20, SR / 2.0, &at) - fund;
        print_message("    %s at %.0f Hz: fundamental %.1f dBFS, worst alias %.1f dB at %.0f Hz\n", oscs[k], f0, fund,
                      alias, at);
        assert_true(fund > -30);
        assert_true(alias < -60);
        spectrum_free(&sp);
        free(mono);
        free(x);
    }
}

static void test_voice_chords(void **state)
{
    (void)state;
    double n[8];
    assert_int_equal(voice_chord("c4'maj", n, 8), 3);
    assert_true(n[0] == 0 && n[1] == 4 && n[2] == 7);
    assert_int_equal(voice_chord("a3'min7", n, 8), 4);
    assert_true(n[0] == -3 && n[1] == 0 && n[2] == 4 && n[3] == 7);
    assert_int_equal(voice_chord("c4'maj'ii", n, 8), 3);          /* second inversion */
    assert_true(n[0] == 7 && n[1] == 12 && n[2] == 16);
    assert_int_equal(voice_chord("e'dim", n, 8), 3);              /* octave 4 by default */
    assert_true(n[0] == 4 && n[1] == 7 && n[2] == 10);
    assert_int_equal(voice_chord("c4'nope", n, 8), -1);
    assert_true(n[0] == 0);
    assert_int_equal(voice_chord("c4", n, 8), 0);
}

/* Pitches far beyond Nyquist, infinite and NaN ones, in voices and on
 * buses, with every kernel set: each is bounded where it enters, so a
 * block costs what an ordinary one does (these once spun forever in the
 * band-limited edge loop: `saw # note 2000`), the output stays finite, and
 * the voices' out-of-range pitches are counted for the warning. A hang
 * would end the test through the alarm. */
static void test_voice_pitch_is_bounded(void **state)
{
    (void)state;
    static const char *hostile =
        "~t: tri\n~q: square\n~p: pulse 1 0.3\n~h: saw 1e30\n~f: fm 1 1e30 3\n~m: pulse (sine 2 * 1e12) 0.3\n"
        "o1: saw # note \"2000 300 -2000\"\n"
        "o2: s \"~t ~q ~p ~h ~f ~m\" # note \"300 2000 0 12\" # gain 0.1\n"
        "o3: s \"superkick supersaw\" # freq 1e300 # gain 0.1\n"
        "o4: s \"mono*4\" # speed 1e9 # gain 0.1\n"
        "o5: saw (sine 1 * 1e30) * 0.1 + tri (sine 0.5 * 1e38) * 0.1 + fm 100 1e30 2 * 0.1\n";
    const char *names[] = { "scalar", "sse2", "avx2", "avx512" };
    for (int k = 0; k < 4; k++) {
        if (voice_use_kernels(names[k]) != 0)
            continue;
        alarm(120);
        long n;
        struct engine_stats st;
        float *x = render(hostile, 1, 4096, 4.0, &n, &st);
        alarm(0);
        int finite = 1;
        for (long i = 0; i < 2 * n; i++)
            finite &= isfinite(x[i]) && fabsf(x[i]) <= 1.0f;
        print_message("    %s: %ld pitches or speeds limited, peak %.3f\n", names[k], st.voices_limited,
                      peak_of(x, 2 * n));
        assert_true(finite);
        assert_true(st.voices_limited >= 20);
        assert_true(peak_of(x, 2 * n) > 0.01);
        free(x);
    }
    voice_use_kernels(voice_kernel_name());
}

/* ROOT/NAME/a.wav: a 32-bit float mono sine at 220 Hz, 0.4 s, where every
 * 97th value is `bad` (NaN, an infinity, or 0 for its clean twin). */
static void write_spoiled(const char *name, float bad)
{
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/a.wav", dir);
    long frames = (long)(0.4 * SR);
    float *x = malloc(sizeof *x * (size_t)frames);
    assert_non_null(x);
    for (long i = 0; i < frames; i++)
        x[i] = i % 97 == 5 ? (i % 2 ? bad : (bad != bad ? INFINITY : bad)) : (float)(0.3 * sin(2 * M_PI * 220 * (double)i / SR));
    SF_INFO info = { .samplerate = SR, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    sf_writef_float(sf, x, frames);
    sf_close(sf);
    free(x);
}

static double rms_of(const float *x, long n)
{
    double s = 0;
    for (long i = 0; i < n; i++)
        s += (double)x[i] * x[i];
    return sqrt(s / (double)n);
}

/* A sample file holding NaNs and infinities plays alongside seven clean
 * voices in one batch: its bad values are loaded as 0 (so it sounds like
 * its zeroed twin) and the clean voices keep their level. It once reset the
 * whole batch every block: -16.3 dBFS instead of -15.0. */
static void test_voice_nan_in_a_sample_file_is_silenced_at_load(void **state)
{
    (void)state;
    write_spoiled("spoiled", NAN);
    write_spoiled("twin", 0.0f);
    const char *a = "o1: s \"[mono, mono:1, mono, mono, mono, mono, mono, spoiled]*2\" # gain 0.1\n";
    const char *b = "o1: s \"[mono, mono:1, mono, mono, mono, mono, mono, twin]*2\" # gain 0.1\n";
    long na, nb;
    struct engine_stats sa, sb;
    float *xa = render(a, 1, 4096, 2.0, &na, &sa);
    float *xb = render(b, 1, 4096, 2.0, &nb, &sb);
    assert_int_equal(na, nb);
    print_message("    with NaN file %.2f dBFS RMS, with its zeroed twin %.2f dBFS, %ld resets\n",
                  20 * log10(rms_of(xa, 2 * na)), 20 * log10(rms_of(xb, 2 * nb)), sa.nan_resets);
    assert_int_equal(sa.nan_resets, 0);
    assert_memory_equal(xa, xb, sizeof(float) * 2 * (size_t)na);
    /* the bank counts and names it */
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1, .no_kit = 1, .warn = NULL };
    struct sample_bank *bank = sample_bank_new(roots, 1, SR, &bo, NULL);
    assert_non_null(bank);
    const struct sample *sp = sample_bank_get(bank, "spoiled", 0, NULL);
    assert_non_null(sp);
    assert_int_equal(sp->nonfinite, (long)(0.4 * SR) / 97 + 1);
    struct sample_bank_stats bs;
    sample_bank_stats(bank, &bs);
    assert_int_equal(bs.files_cleaned, 1);
    sample_bank_free(bank);
    free(xa);
    free(xb);
    static const char *const names[] = { "spoiled", "twin" };
    for (int i = 0; i < 2; i++) {
        char p[300];
        snprintf(p, sizeof p, "%s/%s/a.wav", root, names[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s/%s", root, names[i]);
        rmdir(p);
    }
}

/* A voice that goes infinite at run time (gain 1e39 is an infinite float)
 * resets its own lane only: the other voices of its batch sound as they
 * do beside a silent voice (gain 0), with every kernel set, for sample
 * voices, instrument voices and synths. It once silenced the whole batch. */
static void test_voice_nan_resets_only_its_lane(void **state)
{
    (void)state;
    /* each program, then its gain pattern around the 4th voice's gain */
    static const char *const kinds[][2] = {
        { "o1: s \"mono*8\" # speed \"1 1.1 1.2 1.3 1.4 1.5 1.6 1.7\"", "samples" },
        { "~x: saw # lpf 2000\no1: s \"~x*8\" # note \"0 2 4 5 7 9 11 12\" # legato 4", "instrument" },
        { "o1: s \"supersaw*8\" # note \"0 2 4 5 7 9 11 12\" # legato 4", "synth" },
    };
    const char *names[] = { "scalar", "sse2", "avx2", "avx512" };
    for (int k = 0; k < 4; k++) {
        if (voice_use_kernels(names[k]) != 0)
            continue;
        for (int j = 0; j < 3; j++) {
            char a[512], b[512];
            const char *g0 = " # gain \"0.1 0.1 0.1 ", *g1 = " 0.1 0.1 0.1 0.1\"\n";
            snprintf(a, sizeof a, "%s%s%s%s", kinds[j][0], g0, "1e39", g1);
            snprintf(b, sizeof b, "%s%s%s%s", kinds[j][0], g0, "0", g1);
            long na, nb;
            struct engine_stats sa, sb;
            float *xa = render(a, 1, 4096, 4.0, &na, &sa);
            float *xb = render(b, 1, 4096, 4.0, &nb, &sb);
            assert_int_equal(na, nb);
            double d = 0;
            for (long i = 0; i < 2 * na; i++)
                d = fmax(d, fabs((double)xa[i] - (double)xb[i]));
            double ra = 20 * log10(rms_of(xa, 2 * na)), rb = 20 * log10(rms_of(xb, 2 * nb));
            print_message("    %s %s: %.2f dBFS RMS beside the infinite voice, %.2f beside a silent one, "
                          "largest difference %.2g, %ld resets\n", names[k], kinds[j][1], ra, rb, d, sa.nan_resets);
            assert_true(rb > -40);
            assert_true(sa.nan_resets >= 1 && sa.nan_resets <= 2);      /* the infinite voices: 1 a cycle */
            /* the same mix, but for the order of lanes (a voice takes the
             * lane the reset one left); synths draw their phases per lane */
            if (j < 2)
                assert_true(d < 1e-5);
            else
                assert_true(fabs(ra - rb) < 0.2);
            free(xa);
            free(xb);
        }
    }
    voice_use_kernels(voice_kernel_name());
}

/* ROOT/NAME/a.wav: a 32-bit float mono sine at 220 Hz of amplitude amp,
 * `seconds` long. */
static void write_sine(const char *name, double amp, double seconds)
{
    char dir[256], path[300];
    snprintf(dir, sizeof dir, "%s/%s", root, name);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/a.wav", dir);
    long frames = (long)(seconds * SR);
    float *x = malloc(sizeof *x * (size_t)frames);
    assert_non_null(x);
    for (long i = 0; i < frames; i++)
        x[i] = (float)(amp * sin(2 * M_PI * 220 * (double)i / SR));
    SF_INFO info = { .samplerate = SR, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    sf_writef_float(sf, x, frames);
    sf_close(sf);
    free(x);
}

/* The peak of `seconds` more of e's output. */
static double play_peak(struct engine *e, double seconds)
{
    float buf[2 * BLOCK];
    double pk = 0;
    for (long at = 0; at < (long)(seconds * SR); at += BLOCK) {
        engine_render(e, buf, BLOCK);
        engine_collect(e);
        pk = fmax(pk, peak_of(buf, 2 * BLOCK));
    }
    return pk;
}

/* A sample file replaced on disk during a session is heard after the next
 * compile that names it (it was heard only after a restart). */
static void test_voice_replaced_sample_is_heard_after_the_next_compile(void **state)
{
    (void)state;
    write_sine("swap", 0.25, 0.4);
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1, .no_kit = 1 };
    struct sample_bank *bank = sample_bank_new(roots, 1, SR, &bo, NULL);
    assert_non_null(bank);
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 1, .voices = 64, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    const char *src = "o1: s \"swap*2\"\n";
    engine_publish(e, fixture_compile(src, "swap.ph", bank, SR, BLOCK));
    double before = play_peak(e, 2.0);
    write_sine("swap", 0.5, 0.5);                       /* replaced: louder, longer */
    engine_publish(e, fixture_compile(src, "swap.ph", bank, SR, BLOCK));
    play_peak(e, 1.0);                                  /* the old voice may still end */
    double after = play_peak(e, 2.0);
    struct sample_bank_stats st;
    sample_bank_stats(bank, &st);
    print_message("    peak %.3f before the file was replaced, %.3f after the next compile; %d reloaded\n", before,
                  after, st.names_reloaded);
    /* each near its amplitude (the master's DC blocker lifts an onset a little) */
    assert_true(before > 0.24 && before < 0.28);
    assert_true(after > 0.48 && after < 0.56);
    assert_int_equal(st.names_reloaded, 1);
    engine_free(e);
    sample_bank_free(bank);
    char p[300];
    snprintf(p, sizeof p, "%s/swap/a.wav", root);
    unlink(p);
    snprintf(p, sizeof p, "%s/swap", root);
    rmdir(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_voice_chords),
        cmocka_unit_test(test_voice_kernels_agree_with_scalar),
        cmocka_unit_test(test_voice_synth_kernels_agree),
        cmocka_unit_test(test_voice_synth_kernels_agree_with_arguments),
        cmocka_unit_test(test_voice_oscillators_alias_below_60db),
        cmocka_unit_test(test_voice_threads_do_not_change_a_bit),
        cmocka_unit_test(test_voice_stealing_fades_without_a_click),
        cmocka_unit_test(test_voice_steals_cost_the_same_in_any_pool),
        cmocka_unit_test(test_voice_voices_end),
        cmocka_unit_test(test_voice_pitch_is_bounded),
        cmocka_unit_test(test_voice_nan_in_a_sample_file_is_silenced_at_load),
        cmocka_unit_test(test_voice_nan_resets_only_its_lane),
        cmocka_unit_test(test_voice_replaced_sample_is_heard_after_the_next_compile),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
