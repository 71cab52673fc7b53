/* tests/test_lang_peer.c -- issue 13's statements and syntax from the phonon
 * family (the Rust phonon project), heard on rendered audio.
 *
 * Most of these forms mean something that can be written another way in
 * phonon's own language, so the test renders both and requires the very
 * same samples: a bus with parameters and fn against the expression written
 * out, an effect bus against its chain, arithmetic after a '#' chain against
 * the parenthesised form, stack over sounds against their sum, select with
 * a constant index against the input it picks, ~mul against ~*, every 3
 * late 0.25 against every 3 (late 0.25), keyword arguments on a control
 * against the single controls, for loops and sum() against the buses
 * written out. Where there is no other spelling the audio is measured: an
 * oscillator's note names are Hz (zero crossings), outmix's levels, release
 * on a signal (level inside and at the end of the cycle). The text macros
 * are checked on their expansion too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include "engine.h"

enum { SR = 48000, N = 1 << 17, BLOCK = 256 };   /* tempo 0.5: a cycle is 96000 frames */

static float ya[N], yb[N];
static char root[64];
static struct sample_bank *bank;
static const char *const sample_names[] = { "bd", "sn", "hh" };

static int setup(void **state)
{
    bank = fixture_bank(root, sizeof root, "test_lang_peer", sample_names, 3, 4800, 200.0, SR);
    return bank ? 0 : -1;
}

static int teardown(void **state)
{
    sample_bank_free(bank);
    fixture_remove(root, sample_names, 3);
    return 0;
}

/* Render src for `frames` frames (<= N); the left channel into y. */
static void render(const char *src, float *y, int frames)
{
    fixture_render(src, "peer.ph", bank, SR, BLOCK, y, NULL, frames);
}

static double rms(const float *y, int from, int to)
{
    double s = 0;
    for (int i = from; i < to; i++)
        s += (double)y[i] * y[i];
    return sqrt(s / (to - from));
}

/* a and b render the very same samples, and not silence */
static void same(const char *a, const char *b, int frames)
{
    render(a, ya, frames);
    render(b, yb, frames);
    int differ = -1;
    for (int i = 0; i < frames && differ < 0; i++)
        if (ya[i] != yb[i])
            differ = i;
    if (differ >= 0)
        print_message("differ at frame %d: %g vs %g\n  %s\n  %s\n", differ, (double)ya[differ], (double)yb[differ], a, b);
    assert_int_equal(differ, -1);
    assert_true(rms(ya, 0, frames) > 1e-3);
}

static int compiles(const char *src)
{
    struct lang_error err = { .file = "peer.ph" };
    struct lang_ast *ast = lang_parse(src, strlen(src), "peer.ph", &err);
    if (!ast)
        return 0;
    struct graph_opts go = { .sample_rate = SR, .block = BLOCK, .bank = bank };
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    if (p)
        program_free(p);
    return p != NULL;
}

/* Frequency of y[from, to) by its upward zero crossings. */
static double crossings_hz(const float *y, int from, int to)
{
    int z = 0;
    for (int i = from + 1; i < to; i++)
        z += y[i - 1] < 0 && y[i] >= 0;
    return z * (double)SR / (to - from);
}

/* src does not parse: its function calls copy more than LANG_MAX_EXPANDED,
 * and the error is at line. */
static void expansion_stops_at(const char *src, int line)
{
    struct lang_error err = { .file = "peer.ph" };
    assert_null(lang_parse(src, strlen(src), "peer.ph", &err));
    assert_non_null(strstr(err.msg, "copy more than"));
    assert_int_equal(err.line, line);
}

static void test_functions_expand_where_called(void **state)
{
    same("~mix a b $ a + b\nout $ ~mix (sine 440) (sine 660) * 0.2\n",
         "out $ (sine 440 + sine 660) * 0.2\n", 8192);
    same("~withReverb f $ f # lpf 800 0.5\n~dry $ saw 110\nout $ ~withReverb ~dry * 0.3\n",
         "~dry $ saw 110\nout $ (~dry # lpf 800 0.5) * 0.3\n", 8192);
    same("fn double x = x * 2\n~wob rate $ sine rate * 200 + 400\nout $ sine (~wob (double 1)) * 0.2\n",
         "out $ sine (sine 2 * 200 + 400) * 0.2\n", 8192);
    /* too few arguments: an error naming the parameters */
    struct lang_error err = { .file = "peer.ph" };
    const char *bad = "~mix a b $ a + b\nout $ ~mix (sine 440)\n";
    assert_null(lang_parse(bad, strlen(bad), "peer.ph", &err));
    assert_non_null(strstr(err.msg, "takes 2 arguments"));
    /* functions that call the one above twice: the copies multiply at each
     * level; past LANG_MAX_EXPANDED (at f5 here), an error, not minutes of
     * copying and gigabytes (fuzz lang: regress/lang/timeout-f37b833e...) */
    char deep[2048];
    size_t o = (size_t)snprintf(deep, sizeof deep, "fn f0 x = x + x\n");
    for (int k = 1; k <= 30; k++)
        o += (size_t)snprintf(deep + o, sizeof deep - o, "fn f%d x = f%d (f%d x)\n", k, k - 1, k - 1);
    snprintf(deep + o, sizeof deep - o, "out $ sine (f30 1)\n");
    expansion_stops_at(deep, 6);
    /* the same with a wide body: its kids count too (fuzz lang: regress/lang/
     * timeout-24930c5d..., 89 million kids copied while 262,144 nodes were
     * counted, 2.7 s and 720 MB). Counted by nodes, this stopped at g16 (line
     * 18) after copying 16 million kids; now at g9. */
    o = (size_t)snprintf(deep, sizeof deep, "fn w x = x");
    for (int k = 0; k < 100; k++)
        o += (size_t)snprintf(deep + o, sizeof deep - o, " + 1");
    o += (size_t)snprintf(deep + o, sizeof deep - o, "\nfn g0 x = w x * w x\n");
    for (int k = 1; k <= 20; k++)
        o += (size_t)snprintf(deep + o, sizeof deep - o, "fn g%d x = g%d x * g%d x\n", k, k - 1, k - 1);
    snprintf(deep + o, sizeof deep - o, "out $ sine (g20 1)\n");
    expansion_stops_at(deep, 11);
}

static void test_effect_bus_and_arithmetic_after_chain(void **state)
{
    same("~fx $ lpf 2000 0.6 # hpf 100 0.5\nout $ saw 110 # ~fx\n",
         "out $ saw 110 # lpf 2000 0.6 # hpf 100 0.5\n", 8192);
    same("~fx $ lpf 1000 0.8\nout $ s \"bd*4\" # ~fx\n", "out $ s \"bd*4\" # lpf 1000 0.8\n", 96000);
    same("out $ saw 110 # lpf 800 0.7 * 0.3\n", "out $ (saw 110 # lpf 800 0.7) * 0.3\n", 8192);
    same("out $ saw 110 # lpf 800 0.7 * 0.3 + sine 55 * 0.1\n",
         "out $ (saw 110 # lpf 800 0.7) * 0.3 + sine 55 * 0.1\n", 8192);
    /* on events too, delay in its bus form (two arguments or more); it was
     * taken for the send, given a second argument, and an error */
    same("out $ s \"bd*4\" # note 12 # delay 0.3 0.5 * 0.5\n",
         "out $ (s \"bd*4\" # note 12 # delay 0.3 0.5) * 0.5\n", 96000);
    /* an effect bus alone has nothing to process: it compiles, plays nothing */
    assert_true(compiles("~fx $ lpf 1000 0.8\n"));
}

static void test_sound_forms(void **state)
{
    same("out $ stack [sine 220, sine 330 # lpf 500] * 0.2\n",
         "out $ (sine 220 + (sine 330 # lpf 500)) * 0.2\n", 8192);
    same("~i $ 1\nout $ select ~i (sine 220) (sine 330) (sine 440) * 0.2\n",
         "out $ sine 330 * 0.2\n", 8192);
    same("out $ select 5 (sine 220) (sine 330) (sine 440) * 0.2\n",     /* wraps: 5 mod 3 */
         "out $ sine 440 * 0.2\n", 8192);
    same("out $ ~mul (sine 440) 0.5\n", "out $ sine 440 ~* 0.5\n", 8192);
}

static void test_pattern_forms(void **state)
{
    /* an output of bare sample names plays them (the phonon family's out $ "bd sn") */
    same("out $ \"bd sn hh\" $ fast 2\n", "out $ s \"bd sn hh\" $ fast 2\n", 96000);
    same("out $ s \"bd sn hh bd\" $ every 3 late 0.25\n",
         "out $ every 3 (late 0.25) $ s \"bd sn hh bd\"\n", 4 * 96000 / 4);
    same("out $ s \"bd*2 sn\" # adsr :attack 0.01 :release 0.05 :sustain 0.3\n",
         "out $ s \"bd*2 sn\" # attack 0.01 # sustain 0.3 # release 0.05\n", 96000);
    same("out $ s \"bd*2 sn\" # lpf 800 :q 0.4\n", "out $ s \"bd*2 sn\" # lpf 800 0.4\n", 96000);
    same("out $ s \"bd sn\" $ compress 0.25 0.75 $ rev\n",
         "out $ (rev . compress (0.25, 0.75)) $ s \"bd sn\"\n", 96000);
}

/* shuffle 0.2 (no Tidal meaning below 1): events moved by up to 0.2 cycles,
 * the same on every render; shuffle 4 stays Tidal's */
static void test_shuffle_amount(void **state)
{
    render("out $ s \"bd*4\" $ shuffle 0.2\n", ya, 96000);
    render("out $ s \"bd*4\"\n", yb, 96000);
    int differ = 0;
    for (int i = 0; i < 96000; i++)
        differ |= ya[i] != yb[i];
    assert_true(differ);
    assert_true(rms(ya, 0, 96000) > 1e-3);
    same("out $ s \"bd*4\" $ shuffle 0.2\n", "out $ s \"bd*4\" $ shuffle 0.2\n", 96000);
    assert_true(compiles("out $ s \"bd sn hh bd\" $ shuffle 4\n"));
}

static void test_for_loops_and_sum(void **state)
{
    same("for i in 1..3:\n    ~h[i] $ sine (110 * i) * (1.0 / i)\nout $ sum(~h[1..3]) * 0.3\n",
         "~h1 $ sine 110 * 1\n~h2 $ sine 220 * (1.0 / 2)\n~h3 $ sine 330 * (1.0 / 3)\n"
         "out $ (~h1 + ~h2 + ~h3) * 0.3\n", 8192);
    char err[160];
    size_t n = 0;
    const char *src = "for i in 1..2:\n  for j in 3..4:\n    ~x[i] $ j\nout $ 1\n";
    char *x = lang_expand_macros(src, strlen(src), &n, NULL, err, sizeof err);
    assert_non_null(x);
    assert_string_equal(x, "~x1 $ 3\n~x1 $ 4\n~x2 $ 3\n~x2 $ 4\nout $ 1\n");
    free(x);
    assert_null(lang_expand_macros("out $ 1\n", 8, &n, NULL, err, sizeof err));      /* untouched */
    assert_string_equal(err, "");
    src = "for i in 1..100000:\n  ~a $ i\n";
    assert_null(lang_expand_macros(src, strlen(src), &n, NULL, err, sizeof err));
    assert_non_null(strstr(err, "at most"));
}

static void test_note_names_are_hz(void **state)
{
    render("out $ saw \"c4 e4\" * 0.2\n", ya, 96000);        /* half a cycle each */
    double c4 = crossings_hz(ya, 4800, 43200), e4 = crossings_hz(ya, 52800, 91200);
    print_message("c4 %.2f Hz, e4 %.2f Hz\n", c4, e4);
    assert_true(fabs(c4 - 261.63) < 2.0);
    assert_true(fabs(e4 - 329.63) < 2.0);
    render("out $ sine \"a4\" * 0.2\n", ya, 48000);
    assert_true(fabs(crossings_hz(ya, 4800, 43200) - 440.0) < 2.0);
}

static void test_outmix_levels(void **state)
{
    static const char *const modes[] = { "none", "gain", "sqrt", "tanh", "hard" };
    double peak[5];
    for (int m = 0; m < 5; m++) {
        char src[160];
        snprintf(src, sizeof src, "outmix: %s\no1 $ sine 441 * 0.4\no2 $ sine 441 * 0.4\n", modes[m]);
        render(src, ya, 48000);
        peak[m] = 0;
        for (int i = 4800; i < 48000; i++)
            peak[m] = fmax(peak[m], fabs((double)ya[i]));
    }
    print_message("peaks none %.3f gain %.3f sqrt %.3f tanh %.3f hard %.3f\n", peak[0], peak[1], peak[2],
                  peak[3], peak[4]);
    assert_true(fabs(peak[1] / peak[0] - 0.5) < 0.01);
    assert_true(fabs(peak[2] / peak[0] - 1 / sqrt(2.0)) < 0.01);
    assert_true(fabs(peak[3] - tanh(peak[0])) < 0.01);
    assert_true(fabs(peak[4] - peak[0]) < 0.01);           /* 0.8 is inside -1..1 */
    struct lang_error err = { .file = "peer.ph" };
    assert_null(lang_parse("outmix: loud\n", 13, "peer.ph", &err));
}

/* buffer: N is phonon live's block when no --block is given (cli_live reads
 * it with lang_ast_buffer); out of --block's range it is an error */
static void test_buffer_statement(void **state)
{
    struct lang_error err = { .file = "peer.ph" };
    const char *src = "buffer: 128\nout $ sine 440\nbuffer: 256\n";
    struct lang_ast *a = lang_parse(src, strlen(src), "peer.ph", &err);
    assert_non_null(a);
    assert_int_equal(lang_ast_buffer(a), 256);
    lang_ast_free(a);
    a = lang_parse("out $ 0\n", 8, "peer.ph", &err);
    assert_int_equal(lang_ast_buffer(a), 0);
    lang_ast_free(a);
    assert_null(lang_parse("buffer: 8192\n", 13, "peer.ph", &err));
    assert_non_null(strstr(err.msg, "16 to 4096"));
    assert_true(compiles("buffer: 512\nout $ sine 440\n"));
}

static void test_release_on_a_signal(void **state)
{
    render("out $ sine 441 # release 0.2 * 0.5\n", ya, 96000);   /* one cycle, 2 s */
    double mid = rms(ya, 40000, 50000), end = rms(ya, 95000, 96000);
    print_message("mid %.3f end %.4f\n", mid, end);
    assert_true(fabs(mid - 0.5 / sqrt(2.0)) < 0.02);
    assert_true(end < 0.1 * mid);                         /* released by the end of the cycle */
}

/* the peer's one-argument stutter and fit, told from Tidal's by arity */
static void test_peer_short_forms(void **state)
{
    same("out $ \"bd sn hh\" $ stutter 3\n", "out $ s \"bd sn hh\" $ ply 3\n", 96000);
    same("out $ s \"bd sn hh\" $ every 2 (stutter 2)\n", "out $ s \"bd sn hh\" $ every 2 (ply 2)\n", 96000);
    same("out $ \"bd sn\" $ fit 2\n", "out $ s \"bd sn\" $ slow 2\n", 96000);
    /* Tidal's stutter count time stays */
    render("out $ s \"bd sn\" $ stutter 2 (1/8)\n", ya, 96000);
    render("out $ s \"bd sn\" $ ply 2\n", yb, 96000);
    int differ = 0;
    for (int i = 0; i < 96000; i++)
        differ |= ya[i] != yb[i];
    assert_true(differ);
}

/* the peer's p $ binary n (cycles with bit n of their number set) and
 * reset n (from cycle 0 every n cycles); tempo 4: a cycle is 12000 frames */
static void test_peer_binary_reset(void **state)
{
    same("tempo: 4\nout $ \"bd sn\" $ binary 0\n", "tempo: 4\nout $ s \"bd sn\" $ mask \"<0 1>\"\n", 48000);
    same("tempo: 4\nout $ s \"bd*2 sn\" $ binary 1\n", "tempo: 4\nout $ s \"bd*2 sn\" $ mask \"<0 0 1 1>\"\n", 96000);
    same("tempo: 4\nout $ s \"<bd sn hh hh>\" $ reset 2\n", "tempo: 4\nout $ s \"<bd sn bd sn>\"\n", 96000);
    same("tempo: 4\nout $ \"<bd sn hh hh>\" $ reset 2 $ binary 0\n", "tempo: 4\nout $ s \"<~ sn>\"\n", 96000);
    same("tempo: 4\nout $ \"<bd sn hh bd>\" $ binary 0 $ reset 2\n", "tempo: 4\nout $ s \"<~ sn>\"\n", 96000);
    /* Tidal's binary, a boolean pattern, stays */
    same("tempo: 4\nout $ struct (fast 2 $ binary 5) $ s \"hh\"\n",
         "tempo: 4\nout $ struct \"[f f f f f t f t] [f f f f f t f t]\" $ s \"hh\"\n", 24000);
    assert_false(compiles("out $ s \"bd\" $ binary 40\n"));
    assert_false(compiles("out $ s \"bd\" $ reset 0\n"));
}

/* a transform after an oscillator with pattern-string parameters applies
 * to them (the phonon family's sine "110 165 220" $ slow 4) */
static void test_transform_after_oscillator(void **state)
{
    same("out $ saw \"110 220\" $ slow 2\n", "out $ saw (\"110 220\" $ slow 2)\n", 96000);
    same("out $ sine \"110 220 330\" $ fast 2 $ rev\n", "out $ sine (\"110 220 330\" $ fast 2 $ rev)\n", 96000);
    render("out $ saw \"110 220\" $ slow 2\n", ya, 96000);
    assert_true(crossings_hz(ya, 60000, 90000) < 130);     /* still 110 Hz in the second half */
    render("out $ saw \"110 220\"\n", ya, 96000);
    assert_true(crossings_hz(ya, 60000, 90000) > 200);
}

/* cat over sounds: each element's audio in turn, a cycle each */
static void test_cat_of_sounds(void **state)
{
    same("out $ cat [sine 220, saw 330 # lpf 2000] * 0.2\n",
         "out $ select \"<0 1>\" (sine 220) (saw 330 # lpf 2000) * 0.2\n", N);
    render("out $ cat [sine 220, sine 330] * 0.2\n", ya, N);
    assert_true(fabs(crossings_hz(ya, 4800, 91200) - 220) < 3);
    assert_true(fabs(crossings_hz(ya, 100800, 129600) - 330) < 3);
    assert_true(compiles("out $ cat [s \"bd*2\", s \"sn\"]\n"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_functions_expand_where_called),
        cmocka_unit_test(test_effect_bus_and_arithmetic_after_chain),
        cmocka_unit_test(test_sound_forms),
        cmocka_unit_test(test_pattern_forms),
        cmocka_unit_test(test_shuffle_amount),
        cmocka_unit_test(test_for_loops_and_sum),
        cmocka_unit_test(test_note_names_are_hz),
        cmocka_unit_test(test_outmix_levels),
        cmocka_unit_test(test_release_on_a_signal),
        cmocka_unit_test(test_buffer_statement),
        cmocka_unit_test(test_peer_short_forms),
        cmocka_unit_test(test_peer_binary_reset),
        cmocka_unit_test(test_transform_after_oscillator),
        cmocka_unit_test(test_cat_of_sounds),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
