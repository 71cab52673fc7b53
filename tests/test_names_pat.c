/* test_names_pat.c -- the pattern side's name tables: PAT_OPS, PAT_OP_ALIASES
 * and PAT_SIGNALS as pat_names() gives them (names.h).
 *
 * Every name the evaluator accepts, apart from the per-event controls (the
 * compiler's table), has a row; every row's name resolves to what it says;
 * its args string has one word per argument, of the row's kinds; and its
 * example is a whole statement that parses and compiles without a warning
 * against the project's samples/ (the names `phonon check` knows). "Did you
 * mean" suggests from the same rows.
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
#include "names.h"
#include "pat_eval.h"
#include "sample.h"

/* The row of name in namespace ns, or NULL. */
static const struct name_doc *row_of(enum name_ns ns, const char *name)
{
    int n;
    const struct name_doc *d = pat_names(ns, &n);
    for (int i = 0; i < n; i++)
        if (strcmp(d[i].name, name) == 0)
            return &d[i];
    return NULL;
}

/* Does expr use name as a whole word? */
static int uses_name(const char *expr, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(expr, name); p; p = strstr(p + 1, name)) {
        int before = p == expr || strchr(" ($[", p[-1]);
        int after = p[n] == 0 || strchr(" )],", p[n]);
        if (before && after)
            return 1;
    }
    return 0;
}

static void test_names_pat_other_namespaces_are_not_ours(void **state)
{
    (void)state;
    for (int ns = NS_SOUND; ns < NS_COUNT; ns++) {
        int n = -1;
        assert_null(pat_names((enum name_ns)ns, &n));
        assert_int_equal(n, 0);
    }
}

/* args: one "kind:name" word per letter of the row's kinds string, n for
 * the number kinds n and N (N is how a builder reads it, not a kind of its
 * own for the reader). */
static void check_args(const struct name_doc *d, const char *kinds)
{
    const char *w = d->args;
    for (int i = 0; kinds[i]; i++) {
        while (*w == ' ')
            w++;
        char want = kinds[i] == 'N' ? 'n' : kinds[i];
        if (w[0] != want || w[1] != ':' || !w[2] || w[2] == ' ')
            fail_msg("%s: argument %d of \"%s\" should be %c:name (kinds \"%s\")", d->name, i + 1, d->args,
                     want, kinds);
        while (*w && *w != ' ')
            w++;
    }
    while (*w == ' ')
        w++;
    if (*w)
        fail_msg("%s: \"%s\" has more words than the kinds \"%s\"", d->name, d->args, kinds);
}

static void test_names_pat_rows_resolve(void **state)
{
    (void)state;
    int n;
    const struct name_doc *d = pat_names(NS_PATTERN, &n);
    assert_non_null(d);
    assert_true(n > 60);
    for (int i = 0; i < n; i++) {
        int op = pat_op_lookup(d[i].name);
        if (op < 0)
            fail_msg("row '%s' does not resolve", d[i].name);
        assert_int_not_equal(pat_op_class(op), PAT_I);
        assert_int_equal(pat_eval_is_builtin(d[i].name), 1);
        if (d[i].alias_of) {
            assert_int_equal(pat_op_lookup(d[i].alias_of), op);
            assert_string_equal(pat_op_name(op), d[i].alias_of);
        } else {
            assert_string_equal(pat_op_name(op), d[i].name);
        }
        check_args(&d[i], pat_op_args(op));
        assert_true(d[i].desc && d[i].desc[0]);
        if (!uses_name(d[i].example, d[i].name))
            fail_msg("the example of '%s' does not use it: %s", d[i].name, d[i].example);
        for (int j = 0; j < i; j++)
            if (strcmp(d[i].name, d[j].name) == 0)
                fail_msg("'%s' has two rows", d[i].name);
    }
    d = pat_names(NS_SIGNAL, &n);
    assert_int_equal(n, PAT_SIG_COUNT);
    struct arena a;
    assert_int_equal(arena_init(&a, 1 << 16, 0, 0), 0);
    for (int i = 0; i < n; i++) {
        assert_int_equal(pat_signal_lookup(d[i].name), i);
        assert_int_equal(pat_eval_is_builtin(d[i].name), 1);
        assert_non_null(pat_named_signal(&a, d[i].name));
        assert_null(row_of(NS_PATTERN, d[i].name));
        assert_string_equal(d[i].args, "");
        assert_true(d[i].desc && d[i].desc[0]);
        if (!uses_name(d[i].example, d[i].name))
            fail_msg("the example of '%s' does not use it: %s", d[i].name, d[i].example);
    }
    arena_deinit(&a);
}

/* The converse: every opcode with a name, and every name the evaluator
 * offers, has a row (or is a control, the compiler's table). */
static void test_names_pat_every_name_has_a_row(void **state)
{
    (void)state;
    for (int op = 0; op < PAT_OP_COUNT; op++) {
        const char *name = pat_op_name(op);
        if (pat_op_class(op) == PAT_I) {
            assert_string_equal(name, "");
            continue;
        }
        if (!row_of(NS_PATTERN, name))
            fail_msg("opcode %d '%s' has no row", op, name);
    }
    const char *names[PAT_EVAL_NAMES_MAX];
    int k = pat_eval_names(names, PAT_EVAL_NAMES_MAX);
    assert_true(k < PAT_EVAL_NAMES_MAX / 2);
    for (int i = 0; i < k; i++) {
        int kind = pat_eval_is_builtin(names[i]);
        assert_int_not_equal(kind, 0);
        if (kind == 1 && !row_of(NS_PATTERN, names[i]) && !row_of(NS_SIGNAL, names[i]))
            fail_msg("'%s' is accepted but has no row", names[i]);
    }
    /* and every row is offered for "did you mean" */
    for (int ns = NS_PATTERN; ns <= NS_SIGNAL; ns++) {
        int n;
        const struct name_doc *d = pat_names((enum name_ns)ns, &n);
        for (int i = 0; i < n; i++) {
            int found = 0;
            for (int j = 0; j < k && !found; j++)
                found = strcmp(names[j], d[i].name) == 0;
            if (!found)
                fail_msg("'%s' is not among the suggestions", d[i].name);
        }
    }
}

static int warnings;

static void on_warning(void *user, const struct lang_error *w)
{
    (void)user;
    print_message("warning %d:%d: %s\n", w->line, w->col, w->msg);
    warnings++;
}

/* src compiled against bank: 0, or -1 with the error in *err. */
static int compile(const char *src, struct sample_bank *bank, struct lang_error *err)
{
    memset(err, 0, sizeof *err);
    err->file = "example.ph";
    struct lang_ast *ast = lang_parse(src, strlen(src), "example.ph", err);
    if (!ast)
        return -1;
    struct graph_opts go = { .sample_rate = 44100, .block = 512, .bank = bank, .warn = on_warning };
    struct program *p = graph_compile(ast, &go, err);
    lang_ast_free(ast);
    program_free(p);
    return p ? 0 : -1;
}

static struct sample_bank *project_bank(void)
{
    const char *roots[] = { "samples" };
    struct sample_bank_opts bo = { .no_env = 1 };
    struct sample_error serr;
    struct sample_bank *bank = sample_bank_new(roots, 1, 44100, &bo, &serr);
    assert_non_null(bank);
    return bank;
}

static void test_names_pat_examples_compile(void **state)
{
    (void)state;
    struct sample_bank *bank = project_bank();
    for (int ns = NS_PATTERN; ns <= NS_SIGNAL; ns++) {
        int n;
        const struct name_doc *d = pat_names((enum name_ns)ns, &n);
        for (int i = 0; i < n; i++) {
            struct lang_error err;
            assert_null(strchr(d[i].example, '\n'));
            warnings = 0;
            int rc = compile(d[i].example, bank, &err);
            if (rc)
                fail_msg("the example of '%s' does not compile: %s\n  %d:%d: %s", d[i].name, d[i].example,
                         err.line, err.col, err.msg);
            if (warnings)
                fail_msg("the example of '%s' compiles with a warning: %s", d[i].name, d[i].example);
        }
    }
    sample_bank_free(bank);
}

static void test_names_pat_suggestions_come_from_the_rows(void **state)
{
    (void)state;
    static const struct { const char *src, *near; } cases[] = {
        { "out: s \"bd sn\" $ fsat 2", "fast" },
        { "out: s \"bd sn\" $ lastof 3 rev", "lastOf" },
        { "out: s \"bd sn\" $ denstiy 2", "density" },
        { "out: slowca [s \"bd\"]", "slowcat" },
        { "out: s \"hh*8\" # gain (range 0.5 1 sinee)", "sine" },
    };
    struct sample_bank *bank = project_bank();
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct lang_error err;
        char want[64];
        assert_int_equal(compile(cases[i].src, bank, &err), -1);
        snprintf(want, sizeof want, "did you mean '%s'?", cases[i].near);
        if (!strstr(err.msg, want))
            fail_msg("%s: got \"%s\", want \"%s\"", cases[i].src, err.msg, want);
    }
    sample_bank_free(bank);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_pat_other_namespaces_are_not_ours),
        cmocka_unit_test(test_names_pat_rows_resolve),
        cmocka_unit_test(test_names_pat_every_name_has_a_row),
        cmocka_unit_test(test_names_pat_examples_compile),
        cmocka_unit_test(test_names_pat_suggestions_come_from_the_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
