/* tests/test_nested.c -- nested instrument buses (issue 13, graph_nest.c),
 * measured on rendered audio.
 *
 * A bus played as an instrument that is itself a sound pattern runs on the
 * global clock; the events that play it gate it with their envelope, gain
 * and pan. Pinned here: the gate opens to the sample at the outer onset,
 * the inner events keep their own onsets, pitch and chords (they do not
 * restart at the outer onset), audio with a sound pattern in it is nested
 * as a whole, the outer gain scales them as it scales a
 * voice, three levels nest, cycles and depth past NEST_MAX_DEPTH are
 * errors, a flood stays bounded (counted), and the user's s.ph (the peer's
 * phonemes/s.ph, tests/nested/) renders with sound.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"
#include "spectrum.h"

#include "engine.h"

enum { SR = 48000, N = 1 << 18, BLOCK = 256, CYC = SR };   /* cps: 1, a cycle is SR frames */

static float ya[N], yb[N];
static char root[64];
static struct sample_bank *bank;
static const char *const sample_names[] = { "bd", "cp" };

static int setup(void **state)
{
    bank = fixture_bank(root, sizeof root, "test_nested", sample_names, 2, 9600, 80.0, SR);
    return bank ? 0 : -1;
}

static int teardown(void **state)
{
    sample_bank_free(bank);
    fixture_remove(root, sample_names, 2);
    return 0;
}

static void render(const char *src, float *y, int frames)
{
    assert_int_equal(fixture_render(src, "nested.ph", bank, SR, BLOCK, y, NULL, frames), 0);
}

static double rms(const float *y, int from, int to)
{
    double s = 0;
    for (int i = from; i < to; i++)
        s += (double)y[i] * y[i];
    return sqrt(s / (to - from));
}

static double peak(const float *y, int from, int to)
{
    double m = 0;
    for (int i = from; i < to; i++)
        m = fabs(y[i]) > m ? fabs(y[i]) : m;
    return m;
}

/* The largest |a - b| over [from, to). */
static double max_diff(const float *a, const float *b, int from, int to)
{
    double d = 0;
    for (int i = from; i < to; i++)
        d = fabs(a[i] - b[i]) > d ? fabs(a[i] - b[i]) : d;
    return d;
}

/* The buses (they define ~c) played by `played` into ya, and ~c played as
 * a signal (out: ~c) into yb: a cycle of each. */
static void render_played_and_as_signal(const char *buses, const char *played)
{
    char src[300];
    snprintf(src, sizeof src, "%sout: %s\n", buses, played);
    render(src, ya, CYC);
    snprintf(src, sizeof src, "%sout: ~c\n", buses);
    render(src, yb, CYC);
}

/* The first frame of y in [from, to) louder than th; -1 if none. */
static int onset_above(const float *y, int from, int to, float th)
{
    for (int i = from; i < to; i++)
        if (fabsf(y[i]) > th)
            return i;
    return -1;
}

/* The first frame of y in [from, to) that is not exactly 0; -1 if none. */
static int onset(const float *y, int from, int to)
{
    return onset_above(y, from, to, 0.0f);
}

struct warns {
    int n;
    char last[256];
};

static void on_warn(void *user, const struct lang_error *w)
{
    struct warns *ws = user;
    ws->n++;
    snprintf(ws->last, sizeof ws->last, "%s", w->msg);
}

/* Compile src: 0 when it compiles (the program freed), else -1 with the
 * error in msg; warnings counted in *ws (may be NULL). */
static int compile(const char *src, char *msg, size_t cap, struct warns *ws)
{
    struct lang_error err = { .file = "nested.ph" };
    struct lang_ast *ast = lang_parse(src, strlen(src), "nested.ph", &err);
    assert_non_null(ast);
    struct graph_opts go = { .sample_rate = SR, .block = BLOCK, .bank = bank, .warn = ws ? on_warn : NULL,
                             .warn_user = ws };
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    snprintf(msg, cap, "%s", p ? "" : err.msg);
    program_free(p);
    return p ? 0 : -1;
}

/* The outer event opens the gate at its onset, to the frame: ~c's event at
 * half a cycle sounds from frame 24000 of each cycle, silence before; inside
 * the gate the nested sound is the inner bus's own sound, as ~s played
 * directly by the same pattern. */
static void test_gate_opens_at_the_outer_onset(void **state)
{
    render("cps: 1\n~s: sine 1000\n~c: s \"~ ~ ~s ~\" # release 0.01\nout: s \"~c\"\n", ya, 2 * CYC);
    render("cps: 1\n~s: sine 1000\nout: s \"~ ~ ~s ~\" # release 0.01\n", yb, 2 * CYC);
    assert_int_equal(onset(ya, 0, CYC), CYC / 2);
    /* the second cycle, after the first event's release tail (below 1e-5) */
    assert_int_equal(onset_above(ya, CYC + CYC / 4, 2 * CYC, 1e-5f), CYC + CYC / 2);
    assert_true(peak(ya, CYC / 2, CYC) > 0.5);
    assert_true(max_diff(ya, yb, CYC / 2, CYC / 2 + CYC / 4) < 1e-3);
}

/* The inner pattern keeps the global clock: gated from half a cycle, ~c's
 * event at 0 is not heard (it would be if ~c restarted at the outer onset),
 * its event at half a cycle is. */
static void test_inner_pattern_keeps_the_global_clock(void **state)
{
    render("cps: 1\n~s: sine 1000\n~c: s \"~s ~\" # release 0.01\nout: s \"~ ~c\" # attack 0 # release 0.001\n",
           ya, CYC);
    assert_true(rms(ya, CYC / 2 + 4800, CYC) < 1e-3);     /* the first event's release tail, -50 dB */
    render("cps: 1\n~s: sine 1000\n~c: s \"~ ~s\" # release 0.01\nout: s \"~ ~c\" # attack 0 # release 0.001\n",
           ya, CYC);
    assert_int_equal(onset(ya, 0, CYC), CYC / 2);
    assert_true(rms(ya, CYC / 2 + 2400, CYC) > 0.3);
}

/* The inner events' controls: note 12 plays an octave above c5 (523.25 Hz),
 * c3'maj three notes (c3 is note -12 here: 130.81, 164.81, 196.00 Hz); the outer note does not
 * transpose them (warned once). */
static void test_inner_controls_set_the_pitch(void **state)
{
    struct warns ws = { 0 };
    char msg[256];
    const char *octave = "cps: 1\n~s: sine 1000\n~c: s \"~s\" # note 12\nout: s \"~c\" # note 7\n";
    assert_int_equal(compile(octave, msg, sizeof msg, &ws), 0);
    assert_int_equal(ws.n, 1);
    assert_non_null(strstr(ws.last, "note does not transpose ~c"));
    render(octave, ya, CYC);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, ya + 4000, 32768, SR), 0);
    assert_true(fabs(spectrum_peak_hz(&sp, 100, 4000) - 523.25) < 1.0);
    spectrum_free(&sp);

    render("cps: 1\n~s: sine 1000\n~c: s \"~s\" # note \"c3'maj\"\nout: s \"~c\"\n", ya, CYC);
    assert_int_equal(spectrum_init(&sp, ya + 4000, 32768, SR), 0);
    const double hz[3] = { 130.81, 164.81, 196.00 };
    for (int i = 0; i < 3; i++) {
        assert_true(spectrum_level_near(&sp, hz[i], 2) > spectrum_level_near(&sp, 146.83, 2) + 30);
        assert_true(spectrum_level_near(&sp, hz[i], 2) > spectrum_level_near(&sp, 220, 2) + 30);
    }
    spectrum_free(&sp);
}

/* A nested bus may end in effects (s.ph's ~q ends in # delay) or be
 * scaled by a number: the sound through the gate is the bus's sound,
 * echoes included, as the bus played as a signal (out: ~c) once the outer
 * attack is over, until its gate closes at the cycle's end; * 0.5 halves it. */
static void test_effects_after_a_nested_pattern(void **state)
{
    render_played_and_as_signal("cps: 1\n~s: sine 1000\n~c: s \"~s ~\" # note 12 # release 0.01 # delay 0.25 0.5\n",
                                "s \"~c\"");
    assert_true(max_diff(ya, yb, 2400, CYC) < 1e-3);
    assert_true(rms(yb, CYC / 2 + 2400, CYC / 2 + CYC / 4) > 0.05);   /* an echo in the second half */
    /* scaled by a number: half the level */
    render("cps: 1\n~s: sine 1000 * 0.4\n~c: (s \"~s\" # note 12) * 0.5\nout: s \"~c\"\n", ya, CYC);
    render("cps: 1\n~s: sine 1000 * 0.4\n~c: s \"~s\" # note 12\nout: s \"~c\"\n", yb, CYC);
    assert_true(fabs(rms(ya, 2400, CYC - 2400) / rms(yb, 2400, CYC - 2400) - 0.5) < 0.005);
}

/* Audio with a sound pattern in it is nested as a whole: the sine added to
 * the inner pattern runs on the global clock too. Gated from half a cycle,
 * sine 333 is then half way through a period (166.5 of them): compiled per
 * voice it would start again at phase 0, the opposite sign. Through the
 * gate, once the attack is over, the sound is the bus's, played as a
 * signal. */
static void test_audio_with_a_sound_pattern_in_it(void **state)
{
    render_played_and_as_signal("cps: 1\n~s: sine 1000 * 0.5\n~c: (s \"~s ~s\" # release 0.01) + sine 333 * 0.2\n",
                                "s \"~ ~c\"");
    assert_int_equal(onset(ya, 0, CYC), CYC / 2);
    assert_true(max_diff(ya, yb, CYC / 2 + 2400, CYC) < 1e-3);
    assert_true(rms(ya, CYC / 2 + 2400, CYC) > 0.2);
}

/* stack [...] of oscillators in an instrument (s.ph's ~s) is summed per
 * voice: the first oscillator follows the note, the second keeps its ratio
 * (note 12: 523.25 Hz and 1.5 times that, 6 dB down as written; quiet,
 * below the master limiter). */
static void test_stack_in_an_instrument(void **state)
{
    render("cps: 1\n~s: stack [sine 440 * 0.3, sine 660 * 0.15]\nout: s \"~s\" # note 12\n", ya, CYC);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, ya + 4000, 32768, SR), 0);
    assert_true(fabs(spectrum_peak_hz(&sp, 100, 650) - 523.25) < 1.0);
    assert_true(fabs(spectrum_peak_hz(&sp, 650, 4000) - 784.88) < 1.0);
    double d = spectrum_level_near(&sp, 523.25, 3) - spectrum_level_near(&sp, 784.88, 3);
    assert_true(fabs(d - 6.02) < 0.5);
    spectrum_free(&sp);
}

/* The outer gain scales the nested sound as it scales a voice: the level
 * ratio of gain 0.5 to gain 1 is the same for ~c (nested) as for ~s. */
static void test_outer_gain_scales_like_a_voice(void **state)
{
    static const char *const src[2][2] = {
        { "cps: 1\n~s: sine 1000\n~c: s \"~s\"\nout: s \"~c\" # gain 1\n",
          "cps: 1\n~s: sine 1000\n~c: s \"~s\"\nout: s \"~c\" # gain 0.5\n" },
        { "cps: 1\n~s: sine 1000\nout: s \"~s\" # gain 1\n", "cps: 1\n~s: sine 1000\nout: s \"~s\" # gain 0.5\n" },
    };
    double r[2];
    for (int k = 0; k < 2; k++) {
        render(src[k][0], ya, CYC);
        render(src[k][1], yb, CYC);
        r[k] = rms(yb, 4000, CYC - 4000) / rms(ya, 4000, CYC - 4000);
    }
    assert_true(r[1] < 0.9 && r[1] > 0.01);
    assert_true(fabs(r[0] - r[1]) < 0.01 * r[1]);
}

/* Three levels, as in s.ph: out plays ~q, which plays ~c, which plays ~s.
 * The gate of each level is open from half a cycle on; before it, silence. */
static void test_three_levels(void **state)
{
    render("cps: 1\n~s: sine 1000\n~c: s \"~ ~s\" # note 12\n~q: s \"~c\"\nout: s \"~ ~q\"\n", ya, CYC);
    assert_int_equal(onset(ya, 0, CYC), CYC / 2);
    assert_true(rms(ya, CYC / 2 + 2400, CYC) > 0.3);
    struct spectrum sp;
    assert_int_equal(spectrum_init(&sp, ya + CYC / 2 + 2400, 16384, SR), 0);
    assert_true(fabs(spectrum_peak_hz(&sp, 100, 4000) - 523.25) < 2.0);
    spectrum_free(&sp);
}

/* A bus that plays itself, directly or through others: an error naming
 * the buses of the cycle. */
static void test_cycles_are_errors(void **state)
{
    char msg[256];
    assert_int_equal(compile("~c: s \"~s\"\n~s: s \"~c*2\" # gain 0.8\nout: s \"~c\"\n", msg, sizeof msg, NULL), -1);
    assert_string_equal(msg, "a cycle of instrument buses: ~c plays ~s, which plays ~c");
    assert_int_equal(compile("~a: s \"~b\"\n~b: s \"~c(3,8)\"\n~c: slow 2 $ s \"~a\"\nout: ~a\n", msg, sizeof msg,
                             NULL), -1);
    assert_string_equal(msg, "a cycle of instrument buses: ~b plays ~c, which plays ~a, which plays ~b");
    assert_int_equal(compile("~x: s \"~x bd\"\nout: s \"~x\"\n", msg, sizeof msg, NULL), -1);
    assert_string_equal(msg, "the instrument ~x plays itself");
}

/* NEST_MAX_DEPTH (8) instrument buses inside one another compile and
 * sound; one more is an error. */
static void test_depth_is_bounded(void **state)
{
    char src[1024], msg[256];
    for (int depth = 8; depth <= 9; depth++) {
        size_t o = (size_t)snprintf(src, sizeof src, "cps: 1\n~b%d: sine 440\n", depth);
        for (int i = 1; i < depth; i++)
            o += (size_t)snprintf(src + o, sizeof src - o, "~b%d: s \"~b%d\"\n", i, i + 1);
        snprintf(src + o, sizeof src - o, "out: s \"~b1\"\n");
        int rc = compile(src, msg, sizeof msg, NULL);
        if (depth == 8) {
            assert_int_equal(rc, 0);
            render(src, ya, CYC / 4);
            assert_true(rms(ya, 2400, CYC / 4) > 0.1);
        } else {
            assert_int_equal(rc, -1);
            assert_non_null(strstr(msg, "instrument buses nest more than 8 deep"));
        }
    }
}

/* A flood through nesting stays bounded: 512 events of ~c a cycle, each
 * gating ~c's 512 events of ~s, at 100 cycles a second, on 64 voices: the
 * onsets a block cannot start are dropped and counted, voices are stolen,
 * the output stays finite. */
static void test_flood_is_bounded(void **state)
{
    struct program *p = fixture_compile("cps: 100\n~s: sine 440\n~c: s \"~s*512\"\nout: s \"~c*512\"\n", "flood.ph",
                                        bank, SR, BLOCK);
    assert_non_null(p);
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 1, .voices = 64, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    engine_publish(e, p);
    float buf[2 * BLOCK];
    int finite = 1;
    for (int f = 0; f < SR / 4; f += BLOCK) {
        engine_render(e, buf, BLOCK);
        for (int i = 0; i < 2 * BLOCK; i++)
            finite &= isfinite(buf[i]) && fabsf(buf[i]) < 100;
    }
    struct engine_stats es;
    engine_get_stats(e, &es);
    engine_free(e);
    assert_true(finite);
    assert_true(es.onsets_capped > 0);
    assert_true(es.voices_stolen > 0);
    assert_true(es.voices_peak <= 64);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static char text[4096];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = 0;
    return text;
}

/* The user's phonemes/s.ph (808bd played by the stand-in bd) renders with
 * sound in every cycle, and its nested part alone (out: ~q) too. */
static void test_user_file_s_ph(void **state)
{
    char *src = slurp("tests/nested/s.ph");
    char msg[256];
    struct warns ws = { 0 };
    assert_int_equal(compile(src, msg, sizeof msg, &ws), 0);
    int cyc = SR / 2;                   /* bpm: 120: two cycles a second */
    render(src, ya, 8 * cyc);
    for (int k = 0; k < 8; k++)
        assert_true(rms(ya, k * cyc, (k + 1) * cyc) > 0.02);
    char *out = strstr(src, "\nout: ~q + ~a");
    assert_non_null(out);
    memcpy(out, "\nout: ~q     ", 13);
    render(src, yb, 8 * cyc);
    for (int k = 0; k < 8; k++)
        assert_true(rms(yb, k * cyc, (k + 1) * cyc) > 0.02);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gate_opens_at_the_outer_onset),
        cmocka_unit_test(test_inner_pattern_keeps_the_global_clock),
        cmocka_unit_test(test_inner_controls_set_the_pitch),
        cmocka_unit_test(test_effects_after_a_nested_pattern),
        cmocka_unit_test(test_audio_with_a_sound_pattern_in_it),
        cmocka_unit_test(test_stack_in_an_instrument),
        cmocka_unit_test(test_outer_gain_scales_like_a_voice),
        cmocka_unit_test(test_three_levels),
        cmocka_unit_test(test_cycles_are_errors),
        cmocka_unit_test(test_depth_is_bounded),
        cmocka_unit_test(test_flood_is_bounded),
        cmocka_unit_test(test_user_file_s_ph),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
