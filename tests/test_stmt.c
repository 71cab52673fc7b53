/* tests/test_stmt.c -- statements whose meaning depends on the program that
 * played before (issue 11): trigger, qtrigger, once, resetCycles, setCycle.
 *
 * The live reloader hands the compiler the last program's table of when each
 * statement's text last changed (graph_opts prev) and the cycle now; these
 * tests compile a first version, then a second with that table, as the
 * reloader does, and look at the table, the players' patterns (their first
 * events) and set_cycle.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "graph.h"
#include "lang.h"
#include "pat.h"

/* Compile src after a program whose table is prev (NULL: the first load), at
 * cycle now. No sample bank: the patterns use the built-in synths. */
static struct program *compile_at(const char *src, const struct program_starts *prev, double now)
{
    struct lang_error err = { .file = "t.ph" };
    struct lang_ast *ast = lang_parse(src, strlen(src), "t.ph", &err);
    if (!ast)
        fail_msg("'%s' does not parse: %s", src, err.msg);
    struct graph_opts go = { .sample_rate = 48000, .block = 256, .prev = prev, .now = now };
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    if (!p)
        fail_msg("'%s' does not compile: %d:%d: %s", src, err.line, err.col, err.msg);
    return p;
}

/* The whole begin of the first onset of player i in [from, from + 4). */
static double first_onset(const struct program *p, int i, double from)
{
    struct arena a;
    assert_int_equal(arena_init(&a, 1 << 20, 1, 0), 0);
    struct pat_ctx c;
    pat_ctx_init(&c, &a);
    struct pat_evbuf ev;
    struct rat b, e;
    assert_int_equal(rat_from_double(from, &b), 0);
    e = rat_add(b, rat_int(4));
    double first = -1e9;
    if (pat_query(&c, p->players[i].pat, b, e, &ev) == 0) {
        first = 1e9;
        for (int k = 0; k < ev.n; k++) {
            const struct pat_ev *x = &ev.ev[k];
            double w = (double)x->wb.n / (double)x->wb.d;
            if (x->has_whole && rat_eq(x->wb, x->pb) && w < first)
                first = w;
        }
    }
    arena_deinit(&a);
    return first;
}

static void test_stmt_unchanged_text_keeps_its_cycle(void **state)
{
    (void)state;
    struct program *a = compile_at("d1 $ trigger $ note \"0 7\"\nd2 $ trigger $ note \"3\"\n", NULL, 0);
    assert_int_equal(a->starts.n, 2);
    assert_true(a->starts.cycle[0] == 0 && a->starts.cycle[1] == 0);
    /* d2 changes at cycle 5.25; d1 is the same text */
    struct program *b = compile_at("d1 $ trigger $ note \"0 7\"\nd2 $ trigger $ note \"5\"\n", &a->starts, 5.25);
    assert_int_equal(b->starts.n, 2);
    assert_true(b->starts.cycle[0] == 0);
    assert_true(b->starts.cycle[1] == 5.25);
    assert_int_equal(b->nplayers, 2);
    assert_true(first_onset(b, 0, 5.25) == 5.5);        /* d1 goes on: onsets at 5.5, 6 ... */
    assert_true(first_onset(b, 1, 5.25) == 5.25);       /* d2 starts over at the change */
    program_free(a);
    program_free(b);
}

static void test_stmt_qtrigger_waits_for_the_cycle(void **state)
{
    (void)state;
    struct program *a = compile_at("d1 $ note \"0\"\n", NULL, 0);
    struct program *b = compile_at("d1 $ qtrigger $ note \"0 [~ 7]\"\n", &a->starts, 2.5);
    assert_true(b->starts.cycle[0] == 2.5);
    assert_true(first_onset(b, 0, 3) == 3);             /* its cycle 0 at the next boundary */
    assert_true(first_onset(b, 0, 2.5) == 2.75);        /* before it, its cycle -1 (as Tidal's rotR) */
    program_free(a);
    program_free(b);
}

static void test_stmt_once_plays_one_cycle(void **state)
{
    (void)state;
    struct program *a = compile_at("d1 $ note \"0\"\n", NULL, 0);
    struct program *b = compile_at("d1 $ note \"0\"\nonce $ note \"12*2\"\n", &a->starts, 6.5);
    assert_int_equal(b->nplayers, 2);
    assert_true(first_onset(b, 1, 6.5) == 7);           /* the next cycle, once */
    assert_true(first_onset(b, 1, 8) == 1e9);           /* and never again */
    /* saved again unchanged: it stays where it was, no second time */
    struct program *c = compile_at("d1 $ note \"0\"\nonce $ note \"12*2\"\n", &b->starts, 9.1);
    assert_true(first_onset(c, 1, 9.1) == 1e9);
    program_free(a);
    program_free(b);
    program_free(c);
}

static void test_stmt_set_cycle_only_when_added(void **state)
{
    (void)state;
    struct program *a = compile_at("setCycle 16\nd1 $ note \"0\"\n", NULL, 0);
    assert_int_equal(a->set_cycle, 1);
    assert_true(rat_eq(a->cycle, rat_int(16)));
    struct program *b = compile_at("setCycle 16\nd1 $ note \"0 3\"\n", &a->starts, 20.5);
    assert_int_equal(b->set_cycle, 0);                  /* the same statement: no jump again */
    struct program *c = compile_at("resetCycles\nd1 $ note \"0 3\"\n", &b->starts, 21);
    assert_int_equal(c->set_cycle, 1);
    assert_true(rat_eq(c->cycle, rat_int(0)));
    program_free(a);
    program_free(b);
    program_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stmt_unchanged_text_keeps_its_cycle),
        cmocka_unit_test(test_stmt_qtrigger_waits_for_the_cycle),
        cmocka_unit_test(test_stmt_once_plays_one_cycle),
        cmocka_unit_test(test_stmt_set_cycle_only_when_added),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
