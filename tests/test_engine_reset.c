/* test_engine_reset.c -- engine_reset: an engine that played a program
 * (voices sounding, orbits' tails, per-voice effect memory, another tempo,
 * statistics) and is reset renders the next program bit for bit as a new
 * engine does, with the voice kernels chosen at the reset. The fuzz
 * targets (tests/fuzz/fuzz_engine.h) keep one engine and reset it per
 * input, so that a finding replays the same on its own.
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

#include "dsp.h"
#include "fixture.h"
#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "sample.h"
#include "voice.h"

#define SR 44100
#define BLOCK 256
#define BLOCKS 40

static char root[64];
static struct sample_bank *bank;

/* What the first program leaves behind: voices still sounding (long
 * samples, a synth, a bus instrument), an orbit's delay and reverb tails,
 * per-voice delay-line effects (leslie, comb), a tempo of its own. */
static const char *const first =
    "cps: 0.7\n"
    "~keys: saw # lpf 2200 0.9 # ar 0.005 0.8\n"
    "~a $ s \"long*4 short\" # room 0.6 # size 0.9 # delay 0.5 # delaytime 0.2 # delayfb 0.7 # orbit 2\n"
    "~b $ s \"superpiano*2 superclap\" # note \"c4 e4\" # leslie 1 # comb 0.3\n"
    "~c $ s \"~keys*3\" # note \"c3 g3\" # gain 0.1 # orbit 5 # room 0.3\n"
    "out: ~a + ~b + ~c\n";

/* The second: the same orbit, another one, the same keys (a program's
 * state carries over by key from the one published before it). */
static const char *const second =
    "~a $ s \"short superclap long*2\" # room 0.3 # orbit 2 # leslie 0.5\n"
    "~keys: tri + noise * 0.3 # ar 0.01 0.2\n"
    "~c $ s \"~keys*4\" # note \"c2 e2\" # gain 0.2\n"
    "out: ~a + ~c\n";

static int setup(void **state)
{
    (void)state;
    dsp_init();
    snprintf(root, sizeof root, "/tmp/phonon-test-reset-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    fixture_write_wav(root, "long", 2, SR * 2, 220, SR);
    fixture_write_wav(root, "short", 1, SR / 10, 660, SR);
    const char *roots[] = { root };
    struct sample_bank_opts o = { .no_env = 1, .no_kit = 1 };
    struct sample_error err;
    bank = sample_bank_new(roots, 1, SR, &o, &err);
    return bank ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    sample_bank_free(bank);
    static const char *const names[] = { "long", "short" };
    fixture_remove(root, names, 2);
    return 0;
}

static struct engine *new_engine(void)
{
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 1, .voices = 64, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    return e;
}

/* Publish src on e and render n blocks into out ([n][2 * BLOCK], or NULL). */
static void play(struct engine *e, const char *src, float *out, int n)
{
    struct program *p = fixture_compile(src, "reset.ph", bank, SR, BLOCK);
    assert_non_null(p);
    engine_publish(e, p);
    float buf[2 * BLOCK];
    for (int b = 0; b < n; b++) {
        engine_render(e, out ? out + (size_t)b * 2 * BLOCK : buf, BLOCK);
        engine_collect(e);
    }
}

static double peak(const float *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; i++)
        m = fabs(x[i]) > m ? fabs(x[i]) : m;
    return m;
}

static void test_reset_renders_as_a_new_engine(void **state)
{
    (void)state;
    static const char *const sets[] = { "scalar", "avx2" };
    size_t n = (size_t)BLOCKS * 2 * BLOCK;
    float *fresh = malloc(sizeof *fresh * n), *after = malloc(sizeof *after * n);
    assert_non_null(fresh);
    assert_non_null(after);
    for (int k = 0; k < 2; k++) {
        if (voice_use_kernels(sets[k]) != 0)
            continue;                   /* a CPU without it */
        struct engine *ref = new_engine();
        play(ref, second, fresh, BLOCKS);
        struct engine_stats rs;
        engine_get_stats(ref, &rs);
        engine_free(ref);
        assert_true(peak(fresh, n) > 0.01);

        if (voice_use_kernels(k ? "scalar" : "avx2") != 0)     /* the reset chooses them again */
            continue;
        struct engine *e = new_engine();
        play(e, first, NULL, BLOCKS);
        struct engine_stats st;
        engine_get_stats(e, &st);
        assert_true(st.voices > 0);                 /* it was still playing */
        assert_string_equal(voice_pool_kernel_name(engine_voices(e)), k ? "scalar" : "avx2");
        voice_use_kernels(sets[k]);
        engine_reset(e);
        assert_string_equal(voice_pool_kernel_name(engine_voices(e)), sets[k]);
        engine_get_stats(e, &st);
        assert_int_equal(st.blocks, 0);
        assert_int_equal(st.voices, 0);
        assert_int_equal(st.voices_started, 0);
        play(e, second, after, BLOCKS);
        assert_memory_equal(fresh, after, sizeof *fresh * n);
        engine_get_stats(e, &st);
        assert_int_equal(st.voices_started, rs.voices_started);
        assert_int_equal(st.blocks, rs.blocks);

        engine_free(e);
    }
    free(fresh);
    free(after);
}

/* Twice in a row, or on an engine that never played: the same. */
static void test_reset_of_a_quiet_engine(void **state)
{
    (void)state;
    size_t n = (size_t)8 * 2 * BLOCK;
    float *a = malloc(sizeof *a * n), *b = malloc(sizeof *b * n);
    assert_non_null(a);
    assert_non_null(b);
    struct engine *e = new_engine();
    play(e, second, a, 8);
    engine_reset(e);
    engine_reset(e);
    play(e, second, b, 8);
    assert_memory_equal(a, b, sizeof *a * n);
    engine_free(e);
    e = new_engine();
    engine_reset(e);
    play(e, second, b, 8);
    assert_memory_equal(a, b, sizeof *a * n);
    engine_free(e);
    free(a);
    free(b);
}

/* engine_opts.query_events (the fuzz targets' lower bound) holds in every
 * block, and again after a reset; 0 is PAT_MAX_EVENTS. A block here is
 * 1/345 of a cycle at 1/2 cps, so "short*100000" asks about 290 events of
 * each: past a bound of 100, within the default. */
static void test_query_bound_is_the_engines(void **state)
{
    (void)state;
    for (int bound = 0; bound <= 100; bound += 100) {
        struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 1, .voices = 64, .quiet = 1,
                                  .query_events = bound };
        struct engine *e = engine_new(&eo);
        assert_non_null(e);
        for (int round = 0; round < 2; round++) {
            play(e, "out: s \"short*100000\"\n", NULL, 4);
            struct engine_stats st;
            engine_get_stats(e, &st);
            if (bound)
                assert_int_equal(st.limit_events, 4);
            else
                assert_int_equal(st.limit_events, 0);
            assert_true(bound || st.voices_started > 4 * 100);
            engine_reset(e);
        }
        engine_free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reset_renders_as_a_new_engine),
        cmocka_unit_test(test_reset_of_a_quiet_engine),
        cmocka_unit_test(test_query_bound_is_the_engines),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
