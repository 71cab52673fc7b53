/* tests/test_lang_macro.c -- where the errors and warnings of a file with
 * `for i in A..B:` loops point (issue 13): the loops are expanded before
 * lexing (lang_macro.c), so the parser and the compiler see other lines and
 * columns than the file's; their messages must name the file's line and
 * column, and the iteration an error is in ("(in for i = 3)"). Every error
 * of a file is taken as `phonon check` takes them (cli_compile_every), so
 * the stubbing of a loop body's statement is covered too.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cli.h"
#include "graph.h"
#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_DIAGS = 16 };

struct diags {
    struct lang_error e[MAX_DIAGS];
    int n;
};

static void keep(void *user, const struct lang_error *e)
{
    struct diags *d = user;
    if (d->n < MAX_DIAGS)
        d->e[d->n++] = *e;
}

/* Every error of src (in file order) into *errs, the warnings into *warns
 * (may be NULL); the number of errors. */
static int diagnose(const char *src, struct diags *errs, struct diags *warns)
{
    static struct diags none;
    memset(errs, 0, sizeof *errs);
    if (warns)
        memset(warns, 0, sizeof *warns);
    struct graph_opts go = { .sample_rate = 48000, .block = 512, .allow_missing = 1,
                             .warn = keep, .warn_user = warns ? warns : &none };
    int n = 0;
    struct program *p = cli_compile_every("loop.ph", src, strlen(src), &go, keep, errs, &n);
    program_free(p);
    for (int i = 0; i < errs->n; i++)
        print_message("  error %d:%d: %s\n", errs->e[i].line, errs->e[i].col, errs->e[i].msg);
    return n;
}

/* Error i is at line:col and its message holds `part` (and `iter`, the
 * iteration's words, or no "(in for" at all when iter is NULL). */
static void expect(const struct diags *d, int i, int line, int col, const char *part, const char *iter)
{
    assert_true(i < d->n);
    const struct lang_error *e = &d->e[i];
    assert_int_equal(e->line, line);
    assert_int_equal(e->col, col);
    assert_non_null(strstr(e->msg, part));
    if (iter)
        assert_non_null(strstr(e->msg, iter));
    else
        assert_null(strstr(e->msg, "(in for"));
}

/* An unknown name in a loop's body: the body's line and column, the first
 * iteration named; a parse error after the loop (the loop made 40 lines of
 * 10): its own line. */
static void test_error_in_body_and_after(void **state)
{
    const char *src = "-- ten buses\n"
                      "for i in 1..10:\n"
                      "    ~h[i] $ sine (110 * i) * bogus 3\n"
                      "    ~g[i] $ saw (55 * i)\n"
                      "    ~f[i] $ square i\n"
                      "\n"
                      "out $ ~h1 + ~g2\n"
                      "d2 $ s \"bd [sn\"\n";
    struct diags d;
    assert_int_equal(diagnose(src, &d, NULL), 2);
    expect(&d, 0, 3, 30, "unknown function 'bogus'", "(in for i = 1)");
    expect(&d, 1, 8, 15, "expected ']' to close '[' opened at 8:12", NULL);
}

/* A parse error inside the body: its line and column, and the position a
 * message quotes ("opened at") is the file's too. */
static void test_parse_error_in_body(void **state)
{
    const char *src = "for i in 2..4:\n"
                      "  ~h[i] $ sine (i * 110\n"
                      "out $ ~h2\n";
    struct diags d;
    assert_int_equal(diagnose(src, &d, NULL), 1);
    assert_int_equal(d.e[0].line, 2);
    assert_non_null(strstr(d.e[0].msg, "opened at 2:16"));
    assert_non_null(strstr(d.e[0].msg, "(in for i = "));
}

/* Nested loops: both iterations named, outermost first; a warning is
 * located as errors are, with the line it quotes the file's. */
static void test_nested_loops(void **state)
{
    const char *src = "cps: 0.5\n"
                      "for j in 1..2:\n"
                      "  for k in 5..6:\n"
                      "    ~n[j] $ sine (k * 100) # lpf zzz 0.3\n"
                      "out $ ~n1 + ~n2\n";
    struct diags d, w;
    assert_int_equal(diagnose(src, &d, &w), 1);
    expect(&d, 0, 4, 34, "unknown function 'zzz'", "(in for j = ");
    assert_non_null(strstr(d.e[0].msg, ", k = "));
    assert_true(w.n >= 1);                      /* ~n1 made twice: k = 5 then 6 */
    assert_int_equal(w.e[0].line, 4);
    assert_int_equal(w.e[0].col, 5);
    assert_non_null(strstr(w.e[0].msg, "replaces the one at line 4 (in for j = 1, k = 6)"));
}

/* A mini-notation error in a loop's body: the string's line and column
 * (the substituted 100 before it moves the expanded columns). */
static void test_mini_notation_in_body(void **state)
{
    const char *src = "for i in 100..101:\n"
                      "  d1 $ fast i $ s \"bd [sn\"\n";
    struct diags d;
    assert_int_equal(diagnose(src, &d, NULL), 1);
    expect(&d, 0, 2, 26, "opened at 2:23", "(in for i = 101)");    /* d1 again: the last counts */
}

/* The map itself: columns after substitutions, a sum(), the end of a file
 * without a final newline, and no map for a file without macros. */
static void test_map(void **state)
{
    const char *src = "for i in 1..12:\n  ~h[i] $ i * i + ~x\nout $ sum(~h[1..12]) + 1";
    char err[160];
    size_t n = 0;
    struct lang_srcmap *m = NULL;
    char *x = lang_expand_macros(src, strlen(src), &n, &m, err, sizeof err);
    assert_non_null(x);
    assert_non_null(m);
    assert_non_null(strstr(x, "~h12 $ 12 * 12 + ~x\n"));      /* line 12 of the expansion */
    int it = 0;
    struct lang_pos p = lang_srcmap_pos(m, (struct lang_pos){ 12, 18 }, &it);   /* the ~x of i = 12 */
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 19);
    assert_true(it > 0);
    p = lang_srcmap_pos(m, (struct lang_pos){ 12, 14 }, &it);   /* in the second 12: the word i */
    assert_int_equal(p.line, 2);
    assert_int_equal(p.col, 15);
    p = lang_srcmap_pos(m, (struct lang_pos){ 13, 3 }, &it);    /* "out" after the loop */
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 3);
    assert_int_equal(it, 0);
    const char *tail = strstr(x, "+ 1");
    size_t last = (size_t)(tail - strrchr(x, '\n'));
    p = lang_srcmap_pos(m, (struct lang_pos){ 13, (int)last + 3 }, &it);      /* past "+ 1": the end */
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, (int)strlen("out $ sum(~h[1..12]) + 1") + 1);
    p = lang_srcmap_pos(m, (struct lang_pos){ 13, 10 }, &it);   /* inside the sum's text: the sum */
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 7);
    free(x);
    lang_srcmap_free(m);
    assert_null(lang_expand_macros("out $ 1\n", 8, &n, &m, err, sizeof err));
    assert_null(m);
    lang_srcmap_free(NULL);
}

/* A file that starts with a UTF-8 byte order mark and a loop (the mark is
 * not text: the loop is one, and columns do not count it) with CRLF lines. */
static void test_bom_and_crlf(void **state)
{
    struct diags d;
    const char *src = "\xef\xbb\xbf" "for i in 1..3:\r\n  ~h[i] $ sine 2 * bogus 3\r\nout $ ~h1 + nope 2\r\n";
    assert_int_equal(diagnose(src, &d, NULL), 2);
    expect(&d, 0, 2, 20, "unknown function 'bogus'", "(in for i = 1)");
    expect(&d, 1, 3, 13, "unknown function 'nope'", NULL);
}

/* A file without loops is reported on as before: no iteration words. */
static void test_no_loops_unchanged(void **state)
{
    struct diags d;
    assert_int_equal(diagnose("~a $ sine 2\nout $ ~a * nope 1\n", &d, NULL), 1);
    expect(&d, 0, 2, 12, "unknown function 'nope'", NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_in_body_and_after),
        cmocka_unit_test(test_parse_error_in_body),
        cmocka_unit_test(test_nested_loops),
        cmocka_unit_test(test_mini_notation_in_body),
        cmocka_unit_test(test_map),
        cmocka_unit_test(test_bom_and_crlf),
        cmocka_unit_test(test_no_loops_unchanged),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
