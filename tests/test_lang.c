/* tests/test_lang.c -- the .ph front end: lexer, parser, diagnostics.
 *
 * Trees are checked through lang_node_dump()'s S-expressions, so a test reads
 * like the grammar: "a # b $ c" must be (# a ($ b c)). Errors are checked for
 * their exact line and column and a fragment of the message (and hint).
 * The conformance corpora are read from tests/conformance/ (run from the
 * repository root, as `make test-unit` does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "lang.h"

/* ---- helpers --------------------------------------------------------------- */

static char *dump_node(const struct lang_node *n)
{
    static char out[8192];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    lang_node_dump(f, n);
    fclose(f);
    snprintf(out, sizeof out, "%s", buf);
    free(buf);
    return out;
}

static struct lang_ast *parse_ok(const char *src)
{
    struct lang_error err;
    struct lang_ast *a = lang_parse(src, strlen(src), "t.ph", &err);
    if (!a)
        fail_msg("parse failed: %d:%d: %s (%s)\nsource: %s", err.line, err.col, err.msg,
                 err.hint, src);
    return a;
}

/* The dump of a command-line expression. */
static void check_expr(const char *src, const char *want)
{
    struct lang_error err;
    struct lang_ast *a = lang_parse_expr(src, strlen(src), "<expr>", &err);
    if (!a)
        fail_msg("'%s' failed: %d:%d: %s", src, err.line, err.col, err.msg);
    assert_int_equal(lang_ast_count(a), 1);
    const struct lang_stmt *st = lang_ast_stmt(a, 0);
    assert_int_equal(st->kind, LANG_STMT_EXPR);
    const char *got = dump_node(st->expr);
    if (strcmp(got, want) != 0)
        fail_msg("'%s'\n  got  %s\n  want %s", src, got, want);
    lang_ast_free(a);
}

/* The dump of the expression of a file's statement i. */
static void check_stmt(const char *src, int i, const char *want)
{
    struct lang_ast *a = parse_ok(src);
    const struct lang_stmt *st = lang_ast_stmt(a, i);
    assert_non_null(st);
    const char *got = dump_node(st->expr);
    if (strcmp(got, want) != 0)
        fail_msg("'%s'\n  got  %s\n  want %s", src, got, want);
    lang_ast_free(a);
}

static void check_error_n(const char *src, size_t len, int expr, int line, int col,
                          const char *frag, const char *hint)
{
    struct lang_error err;
    struct lang_ast *a = expr ? lang_parse_expr(src, len, "<expr>", &err)
                              : lang_parse(src, len, "t.ph", &err);
    if (a)
        fail_msg("'%.200s' parsed but should fail with '%s'", src, frag);
    if (err.line != line || err.col != col || !strstr(err.msg, frag)
        || (hint && !strstr(err.hint, hint)))
        fail_msg("'%.200s'\n  got  %d:%d: %s (note: %s)\n  want %d:%d: ...%s... (note: %s)",
                 src, err.line, err.col, err.msg, err.hint, line, col, frag, hint ? hint : "");
    assert_string_equal(err.file, expr ? "<expr>" : "t.ph");
}

static void check_error(const char *src, int line, int col, const char *frag, const char *hint)
{
    check_error_n(src, strlen(src), 0, line, col, frag, hint);
}

/* ---- expressions ------------------------------------------------------------ */

static void test_lang_precedence_and_associativity(void **state)
{
    (void)state;
    check_expr("a # b # c", "(# (# a b) c)");
    check_expr("a $ b $ c", "($ a ($ b c))");
    check_expr("a - b - c", "(- a b c)");                  /* a flat chain, folded from the left */
    check_expr("(a - b) - c", "(- (- a b) c)");
    check_expr("a - b + c", "(+ (- a b) c)");
    check_expr("a / b * c", "(* (/ a b) c)");
    check_expr("a # b $ c + d * e", "(# a ($ b (+ c (* d e))))");
    check_expr("a * b + c $ d # e", "(# ($ (+ (* a b) c) d) e)");
    check_expr("fast 2 $ s \"bd sn\" # n \"0 1\"",
               "(# ($ (app fast 2) (app s \"bd sn\")) (app n \"0 1\"))");
    check_expr("jux rev $ stut 8 0.125 0.1 $ s \"bd sn\"",
               "($ (app jux rev) ($ (app stut 8 0.125 0.1) (app s \"bd sn\")))");
    check_expr("f x y + g z", "(+ (app f x y) (app g z))");
    check_expr("-a * b", "(* (neg a) b)");
    check_expr("- f x", "(neg (app f x))");
    check_expr("- - a", "(neg (neg a))");
    check_expr("a |+| b |* c", "(|+| a (|* b c))");
    check_expr("0.25 <~ p ~> q", "(~> (<~ 0.25 p) q)");
    check_expr("a ~+ b ~* c ~- d ~/ e", "(~- (~+ a (~* b c)) (~/ d e))");
    check_expr("(a # b) $ c", "($ (# a b) c)");
    check_expr("f (g x) [y]", "(app f (app g x) (list y))");
    check_expr("\"0 1 2\" * 2 - 1", "(- (* \"0 1 2\" 2) 1)");
    check_expr("~lfo * 1000 + 1500", "(+ (* ~lfo 1000) 1500)");
    /* Tidal's operators (issue 11): '.' binds tighter than every other operator */
    check_expr("every 2 (fast 2 . rev) $ x", "($ (app every 2 (. (app fast 2) rev)) x)");
    check_expr("fast 2 . rev . (# speed 2)", "(. (app fast 2) rev (section # (app speed 2)))");
    check_expr("a <> b |% c |++ d", "(|++ (<> a (|% b c)) d)");
    check_expr("a |**| b * c %| d", "(%| (* (|**| a b) c) d)");
    check_expr("0.25 ~> rev . fast 2", "(~> 0.25 (. rev (app fast 2)))");
    check_expr("f.g", "(. f g)");
    check_expr("fast .5 x", "(app fast .5 x)");              /* a number, not a composition */
}

/* Every operator of LANG_OPS lexes whole (longest match) and has its level. */
static void test_lang_every_operator(void **state)
{
    (void)state;
    for (int op = 1; op < LANG_OP_COUNT; op++) {
        char src[64], want[64];
        const char *t = lang_op_text((enum lang_op)op);
        snprintf(src, sizeof src, "a %s b", t);
        snprintf(want, sizeof want, "(%s a b)", t);
        check_expr(src, want);
        snprintf(src, sizeof src, "a%sb", t);       /* no spaces: still one operator */
        check_expr(src, want);
        assert_true(lang_op_prec((enum lang_op)op) >= 1 && lang_op_prec((enum lang_op)op) <= 5);
    }
    assert_string_equal(lang_op_text(LANG_OP_NONE), "");
    assert_int_equal(lang_op_prec(LANG_OP_CHAIN), 1);
    assert_int_equal(lang_op_prec(LANG_OP_APPLY), 2);
    assert_int_equal(lang_op_prec(LANG_OP_ADD_B), 3);
    assert_int_equal(lang_op_prec(LANG_OP_SIG_DIV), 4);
    assert_int_equal(lang_op_prec(LANG_OP_COMPOSE), 5);
}

static void test_lang_negative_literals(void **state)
{
    (void)state;
    check_expr("s \"a\" # speed -0.66", "(# (app s \"a\") (app speed -0.66))");
    check_expr("compress -20 4", "(app compress -20 4)");
    check_expr("a - 1", "(- a 1)");
    check_expr("a -1", "(app a -1)");
    check_expr("a-1", "(- a 1)");
    check_expr("2-1", "(- 2 1)");
    check_expr("(-1)", "-1");
    check_expr("[-1,-.5, 3]", "(list -1 -.5 3)");
    check_expr("- 1", "(neg 1)");
    check_expr("-x", "(neg x)");
    check_expr("-1", "-1");
    check_expr("a + -1", "(+ a -1)");
    check_expr("a +-1", "(+ a (neg 1))");
    check_expr("f :q -2", "(app f (:q -2))");
}

static void test_lang_number_forms(void **state)
{
    (void)state;
    static const struct { const char *src; double v; } cases[] = {
        { "1", 1 }, { "0.5", 0.5 }, { ".25", 0.25 }, { "1e3", 1000 }, { "2.5e-1", 0.25 },
        { "-0.66", -0.66 }, { "1E+2", 100 }, { "-.5", -0.5 }, { "1e-400", 0 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lang_error err;
        struct lang_ast *a = lang_parse_expr(cases[i].src, strlen(cases[i].src), "<expr>", &err);
        assert_non_null(a);
        const struct lang_node *n = lang_ast_stmt(a, 0)->expr;
        assert_int_equal(n->kind, LANG_NUM);
        assert_string_equal(n->text, cases[i].src);     /* as written, sign included */
        assert_true(n->num == cases[i].v);
        lang_ast_free(a);
    }
}

static void test_lang_names_and_buses(void **state)
{
    (void)state;
    check_expr("every' 3 rev", "(app every' 3 rev)");
    check_expr("iter' 4", "(app iter' 4)");
    check_expr("sine2 euclidLegatoRot _x c4", "(app sine2 euclidLegatoRot _x c4)");
    check_expr("~lfo ~> ~x", "(~> ~lfo ~x)");
    check_expr("~x~>~y", "(~> ~x ~y)");
    check_expr("a~+b", "(~+ a b)");
}

static void test_lang_sections_both_sides(void **state)
{
    (void)state;
    check_expr("(# speed 2)", "(section # (app speed 2))");
    check_expr("(+ 7)", "(section + 7)");
    check_expr("(|* 2)", "(section |* 2)");
    check_expr("(+ \"<0 12>\")", "(section + \"<0 12>\")");
    check_expr("(- 12)", "(section - 12)");
    check_expr("(0.25 <~)", "(section 0.25 <~)");
    check_expr("($)", "(section $)");                   /* issue 11: an operator alone */
    check_expr("spread (~>) [0, 0.25]", "(app spread (section ~>) (list 0 0.25))");
    check_expr("(s \"bd\" #)", "(section (app s \"bd\") #)");
    check_expr("(1 + 2 *)", "(section (+ 1 2) *)");
    check_expr("(# speed 2 # pan 0)", "(section # (# (app speed 2) (app pan 0)))");
    check_expr("every 3 (# speed 2) $ off 0.25 (+ 12) $ n \"0\"",
               "($ (app every 3 (section # (app speed 2))) "
               "($ (app off 0.25 (section + 12)) (app n \"0\")))");

    struct lang_error err;
    struct lang_ast *a = lang_parse_expr("f (+ 7) (0.25 <~)", 17, "<expr>", &err);
    assert_non_null(a);
    const struct lang_node *app = lang_ast_stmt(a, 0)->expr;
    const struct lang_node *r = app->kids[1], *l = app->kids[2];
    assert_int_equal(r->kind, LANG_SECTION);
    assert_int_equal(r->op, LANG_OP_ADD);
    assert_true(r->flags & LANG_F_SECTION_R);
    assert_false(r->flags & LANG_F_SECTION_L);
    assert_int_equal(r->pos.col, 4);                /* the operator */
    assert_int_equal(l->op, LANG_OP_EARLY);
    assert_true(l->flags & LANG_F_SECTION_L);
    assert_int_equal(l->nkids, 1);
    assert_int_equal(l->kids[0]->num, 0.25);
    assert_int_equal(l->pos.col, 15);
    lang_ast_free(a);
}

static void test_lang_keyword_arguments(void **state)
{
    (void)state;
    check_expr("lpf 800 :q 4", "(app lpf 800 (:q 4))");
    check_expr("reverb :room_size 0.9 :damping 0.2 :mix (a + b)",
               "(app reverb (:room_size 0.9) (:damping 0.2) (:mix (+ a b)))");
    check_expr("f :q (g :r 1) 2", "(app f (:q (app g (:r 1))) 2)");
}

static void test_lang_lists_and_tuples(void **state)
{
    (void)state;
    check_expr("[]", "(list)");
    check_expr("[a]", "(list a)");
    check_expr("[a, b,]", "(list a b)");
    check_expr("[[a, b], [], (c, d)]", "(list (list a b) (list) (tuple c d))");
    check_expr("(a, b, c)", "(tuple a b c)");
    check_expr("within (0, 0.5) (fast 2)", "(app within (tuple 0 0.5) (app fast 2))");
    check_expr("wchoose [(\"a\", 3), (\"b\", 1)] $ segment 8",
               "($ (app wchoose (list (tuple \"a\" 3) (tuple \"b\" 1))) (app segment 8))");
    check_expr("\"0 1\" $ layer [(+ 1), (+ 2)]",
               "($ \"0 1\" (app layer (list (section + 1) (section + 2))))");
    check_expr("stack [\n  s \"bd\",\n  s \"hh\"\n]", "(app stack (list (app s \"bd\") (app s \"hh\")))");
}

static void test_lang_query_expressions(void **state)
{
    (void)state;
    check_expr("\"a b c d\" $ every 3 (fast 2)", "($ \"a b c d\" (app every 3 (app fast 2)))");
    check_expr("s \"bd sn\" # gain \"1 0.5\"", "(# (app s \"bd sn\") (app gain \"1 0.5\"))");
    check_expr("n \"0 1 2\" # s \"x\"", "(# (app n \"0 1 2\") (app s \"x\"))");
    check_expr("(s \"bd sn\" # begin 0.5) $ chop 2",
               "($ (# (app s \"bd sn\") (app begin 0.5)) (app chop 2))");
    check_expr("euclidFull 3 8 \"x\" \"o\"", "(app euclidFull 3 8 \"x\" \"o\")");
    check_expr("\"a b\" $ swingBy (1/3) 2", "($ \"a b\" (app swingBy (/ 1 3) 2))");
    check_expr("\"a\" -- a comment\n  # b", "(# \"a\" b)");   /* newlines are spaces here */
}

/* ---- positions and flags ----------------------------------------------------- */

static void test_lang_positions(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok("-- x\n\nout: s \"bd\" # speed -1\n  # lpf (f 3) :q 2\n");
    const struct lang_stmt *st = lang_ast_stmt(a, 0);
    assert_int_equal(st->pos.line, 3);
    assert_int_equal(st->pos.col, 1);
    const struct lang_node *outer = st->expr, *inner = outer->kids[0];
    assert_int_equal(outer->pos.line, 4);               /* BINOP: its operator */
    assert_int_equal(outer->pos.col, 3);
    assert_true(outer->flags & LANG_F_LINE_START);
    assert_int_equal(inner->pos.line, 3);
    assert_int_equal(inner->pos.col, 13);
    assert_false(inner->flags & LANG_F_LINE_START);
    const struct lang_node *s = inner->kids[0];         /* (app s "bd") */
    assert_int_equal(s->kind, LANG_APP);
    assert_int_equal(s->pos.col, 6);
    assert_int_equal(s->kids[1]->kind, LANG_STR);
    assert_int_equal(s->kids[1]->pos.col, 8);           /* the opening quote */
    assert_int_equal(s->kids[1]->len, 2);
    struct lang_pos p = lang_str_pos(s->kids[1], 1);    /* the 'd' */
    assert_int_equal(p.line, 3);
    assert_int_equal(p.col, 10);
    const struct lang_node *neg = inner->kids[1]->kids[1];
    assert_int_equal(neg->kind, LANG_NUM);
    assert_int_equal(neg->pos.col, 21);                 /* the '-' */
    const struct lang_node *lpf = outer->kids[1];       /* (app lpf (f 3) (:q 2)) */
    assert_int_equal(lpf->kids[1]->kind, LANG_APP);
    assert_true(lpf->kids[1]->flags & LANG_F_PAREN);
    assert_int_equal(lpf->kids[1]->pos.col, 10);
    assert_int_equal(lpf->kids[2]->kind, LANG_KWARG);
    assert_string_equal(lpf->kids[2]->text, "q");
    assert_int_equal(lpf->kids[2]->pos.col, 15);
    lang_ast_free(a);
}

/* `# the bass` on its own line parses as `# (the bass)`; the flag lets the
 * compiler add "comments start with '--'" when `the` is unknown. */
static void test_lang_hash_line_is_flagged(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok("out: s \"bd\"\n# the bass\n");
    const struct lang_node *n = lang_ast_stmt(a, 0)->expr;
    assert_string_equal(dump_node(n), "(# (app s \"bd\") (app the bass))");
    assert_int_equal(n->op, LANG_OP_CHAIN);
    assert_true(n->flags & LANG_F_LINE_START);
    lang_ast_free(a);
}

/* ---- statements --------------------------------------------------------------- */

static void test_lang_statements_of_every_kind(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok(
        "tempo: 0.5\n"
        "~lfo: sine 0.25\n"
        "~drums $ s \"bd*4\"\n"
        "out: ~drums\n"
        "out $ ~drums\n"
        "o1: s \"a\"\n"
        "o16 $ s \"b\"\n"
        "d1 $ s \"c\"\n"
        "d16: s \"d\"\n"
        "hush\n"
        "hush3\n"
        "panic\n"
        "out:s \"e\"\n"
        "~x:saw\n");
    static const struct { enum lang_stmt_kind kind; int out; const char *name; } want[] = {
        { LANG_STMT_TEMPO, 0, "tempo" }, { LANG_STMT_BUS, 0, "lfo" }, { LANG_STMT_BUS, 0, "drums" },
        { LANG_STMT_OUT, 0, NULL }, { LANG_STMT_OUT, 0, NULL }, { LANG_STMT_OUT, 1, NULL },
        { LANG_STMT_OUT, 16, NULL }, { LANG_STMT_OUT, 1, NULL }, { LANG_STMT_OUT, 16, NULL },
        { LANG_STMT_HUSH, 0, NULL }, { LANG_STMT_HUSH, 3, NULL }, { LANG_STMT_PANIC, 0, NULL },
        { LANG_STMT_OUT, 0, NULL }, { LANG_STMT_BUS, 0, "x" },
    };
    assert_int_equal(lang_ast_count(a), (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < lang_ast_count(a); i++) {
        const struct lang_stmt *st = lang_ast_stmt(a, i);
        assert_int_equal(st->kind, want[i].kind);
        assert_int_equal(st->pos.line, i + 1);
        assert_int_equal(st->pos.col, 1);
        if (st->kind == LANG_STMT_OUT || st->kind == LANG_STMT_HUSH)
            assert_int_equal(st->out, want[i].out);
        if (want[i].name)
            assert_string_equal(st->name, want[i].name);
        if (st->kind == LANG_STMT_OUT || st->kind == LANG_STMT_BUS)
            assert_non_null(st->expr);
    }
    assert_string_equal(dump_node(lang_ast_stmt(a, 12)->expr), "(app s \"e\")");
    assert_null(lang_ast_stmt(a, 14));
    assert_null(lang_ast_stmt(a, -1));
    assert_string_equal(lang_ast_file(a), "t.ph");
    lang_ast_free(a);
}

/* The session statements (issues 11, 13): words first on their line. */
static void test_lang_session_statements(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok(
        "setcps (120/60/4)\n"
        "out1: s \"a\"\n"
        "out16 $ s \"b\"\n"
        "solo 1\n"
        "unsolo\n"
        "unsolo 3\n"
        "mute (1 + 1)\n"
        "unmute\n"
        "unhush\n"
        "setbpm 90\n"
        "setcpm 30\n");
    static const struct { enum lang_stmt_kind kind; int out, on; } want[] = {
        { LANG_STMT_TEMPO, 0, 0 }, { LANG_STMT_OUT, 1, 0 }, { LANG_STMT_OUT, 16, 0 },
        { LANG_STMT_SOLO, 1, 1 }, { LANG_STMT_SOLO, -1, 0 }, { LANG_STMT_SOLO, 3, 0 },
        { LANG_STMT_MUTE, 2, 1 }, { LANG_STMT_MUTE, -1, 0 }, { LANG_STMT_UNHUSH, 0, 0 },
        { LANG_STMT_TEMPO, 0, 0 }, { LANG_STMT_TEMPO, 0, 0 },
    };
    assert_int_equal(lang_ast_count(a), (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < lang_ast_count(a); i++) {
        const struct lang_stmt *st = lang_ast_stmt(a, i);
        assert_int_equal(st->kind, want[i].kind);
        assert_int_equal(st->pos.line, i + 1);
        if (st->kind != LANG_STMT_TEMPO && st->kind != LANG_STMT_UNHUSH)
            assert_int_equal(st->out, want[i].out);
        if (st->kind == LANG_STMT_SOLO || st->kind == LANG_STMT_MUTE)
            assert_int_equal(st->on, want[i].on);
    }
    assert_float_equal(lang_ast_stmt(a, 0)->cps, 0.5, 1e-12);
    assert_float_equal(lang_ast_stmt(a, 9)->cps, 90.0 / 60 / 4, 1e-12);
    assert_float_equal(lang_ast_stmt(a, 10)->cps, 0.5, 1e-12);
    assert_string_equal(lang_ast_stmt(a, 9)->name, "setbpm");
    lang_ast_free(a);
    /* a session word ends the statement above it */
    check_stmt("out: s \"a\"\nsolo 1", 0, "(app s \"a\")");
    check_error("solo", 1, 5, "expected an output number after 'solo'", "1 to 16");
    check_error("mute 0", 1, 6, "expected an output number after 'mute'", NULL);
    check_error("unmute 2 3", 1, 8, "expected an output number after 'unmute'", NULL);
    check_error("unhush now", 1, 8, "expected an output number after 'unhush'", NULL);
    check_error("setcps", 1, 7, "expected an expression after 'setcps'", NULL);
    check_error("setcps rev", 1, 8, "after 'setcps'", NULL);
    check_error("out0: s \"a\"", 1, 1, "unknown output 'out0'", NULL);
    /* templates and pattern references: the parser substitutes the expression */
    check_stmt("@swing: every 2 (0.125 ~>)\n%speed: \"1 2\"\nout: s \"a\" $ fast %speed $ @swing", 0,
               "($ (app s \"a\") ($ (app fast \"1 2\") (app every 2 (section 0.125 ~>))))");
    check_stmt("@g: 0.5\n@g: 0.25\nout: sine 440 * @g", 0, "(* (app sine 440) 0.25)");
    check_error("out: @x", 1, 6, "unknown template '@x'", "@name: expr");
    check_error("out: fast %s \"a\"\n%s: 2", 1, 11, "unknown pattern reference '%s'", NULL);
    check_error("@t:\nout: 1", 1, 4, "expected an expression after '@t:'", NULL);
    check_stmt("out # s \"a\" # gain 1\nd1 # s \"b\"", 0, "(# (app s \"a\") (app gain 1))");
    check_stmt("out # s \"a\"\nd1 # s \"b\"", 1, "(app s \"b\")");
    /* modifier buses: x # ~fx goes on with ~fx's chain from x */
    check_stmt("~fx # lpf 800 0.7 # delay 0.25 0.5\nout: s \"a\" # ~fx # gain 1", 0,
               "(# (# (# (app s \"a\") (app lpf 800 0.7)) (app delay 0.25 0.5)) (app gain 1))");
    check_stmt("~c # \"500 1000\"\nout: saw 110 # lpf ~c 0.7", 0, "(# (app saw 110) (app lpf \"500 1000\" 0.7))");
    check_stmt("out: s \"a\" # ~later\n~later: gain 1", 0, "(# (app s \"a\") ~later)");   /* a bus, not a modifier */
    check_stmt("out: [~x # gain 1,\n  ~y]", 0, "(list (# ~x (app gain 1)) ~y)");   /* inside brackets: no statement */
}

static void test_lang_tempo_conversions(void **state)
{
    (void)state;
    static const struct { const char *src; const char *name; double cps; } cases[] = {
        { "tempo: 2", "tempo", 2 }, { "cps: 0.5625", "cps", 0.5625 },
        { "cps: 135/60/4", "cps", 135.0 / 60 / 4 }, { "bpm: 120", "bpm", 2 },
        { "bpm: 120 \"4/4\"", "bpm", 0.5 }, { "bpm: 90 \"3/4\"", "bpm", 0.5 },
        { "bpm: 60000", "bpm", 1000 }, { "tempo: 1000", "tempo", 1000 },
        { "tempo: (1 + 1) * 0.25", "tempo", 0.5 }, { "bpm: 140 \" 7 / 4 \"", "bpm", 140.0 / 60 / 7 },
        { "bpm: 120 \"6/8\"", "bpm", 120.0 / 60 / 6 }, { "bpm: 90 \"7/16\"", "bpm", 90.0 / 60 / 7 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct lang_ast *a = parse_ok(cases[i].src);
        const struct lang_stmt *st = lang_ast_stmt(a, 0);
        assert_int_equal(st->kind, LANG_STMT_TEMPO);
        assert_string_equal(st->name, cases[i].name);
        assert_float_equal(st->cps, cases[i].cps, 1e-12);
        assert_null(st->expr);
        lang_ast_free(a);
    }
}

static void test_lang_continuation_lines(void **state)
{
    (void)state;
    const char *src =
        "o1 $ stack [\n"
        "    s \"bd*4\",      -- kick\n"
        "\n"
        "    ~drums $ fast 2\n"       /* inside brackets: not a statement */
        "    , s \"hh*8\"\n"
        "  ]\n"
        "  # reverb 0.9 0.2 0.5\n"
        "  // a comment between\n"
        "  $ fast 2\n"
        "  |+ n 12\n"
        "  :q 4\n"
        "~b: 1\n";
    struct lang_ast *a = parse_ok(src);
    assert_int_equal(lang_ast_count(a), 2);
    assert_string_equal(dump_node(lang_ast_stmt(a, 0)->expr),
                        "(# (app stack (list (app s \"bd*4\") ($ ~drums (app fast 2)) (app s \"hh*8\"))) "
                        "($ (app reverb 0.9 0.2 0.5) (|+ (app fast 2) (app n 12 (:q 4)))))");
    assert_int_equal(lang_ast_stmt(a, 1)->pos.line, 12);
    lang_ast_free(a);
    /* A name at the start of a line continues the application above. */
    check_stmt("out: s \"bd\"\n  fast 2\n", 0, "(app s \"bd\" fast 2)");
    check_stmt("out: s \"bd\"\n  -1\n", 0, "(app s \"bd\" -1)");
}

static void test_lang_comments(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok(
        "-- first\n"
        "// second\n"
        "   -- indented\n"
        "out: s \"a -- not // a comment\" -- a comment\n"
        "  # gain 1 // another\n"
        "-- last, no newline");
    assert_int_equal(lang_ast_count(a), 1);
    assert_string_equal(dump_node(lang_ast_stmt(a, 0)->expr),
                        "(# (app s \"a -- not // a comment\") (app gain 1))");
    lang_ast_free(a);
    a = parse_ok("-- \xc3\xa9t\xc3\xa9 \xe2\x86\x92 \xf0\x9f\x8e\xb5\nout: 1");  /* UTF-8 comment */
    assert_int_equal(lang_ast_count(a), 1);
    lang_ast_free(a);
}

static void test_lang_empty_and_blank_files(void **state)
{
    (void)state;
    struct lang_error err;
    struct lang_ast *a = lang_parse(NULL, 0, "t.ph", &err);
    assert_non_null(a);
    assert_int_equal(lang_ast_count(a), 0);
    size_t len = 99;
    assert_non_null(lang_ast_source(a, &len));
    assert_int_equal(len, 0);
    lang_ast_free(a);
    a = parse_ok("\n\n   \t\n-- only comments\r\n// and blanks\n");
    assert_int_equal(lang_ast_count(a), 0);
    lang_ast_free(a);
    lang_ast_free(NULL);
}

static void test_lang_crlf_and_bom(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok("\xef\xbb\xbf" "bpm: 120\r\nout: s \"bd\"\r\n  # gain 1\r\n");
    assert_int_equal(lang_ast_count(a), 2);
    assert_int_equal(lang_ast_stmt(a, 0)->pos.col, 1);
    assert_int_equal(lang_ast_stmt(a, 1)->pos.line, 2);
    assert_string_equal(dump_node(lang_ast_stmt(a, 1)->expr), "(# (app s \"bd\") (app gain 1))");
    lang_ast_free(a);
}

/* Lines that end with CR alone (old Mac editors) are lines: statements,
 * comments, strings, positions and the line a diagnostic shows. */
static char *print_diag(const struct lang_error *e, const char *src);

static void test_lang_cr_only_line_ends(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok("bpm: 120\r-- a comment\rout: s \"bd\"\r  # gain 1\r");
    assert_int_equal(lang_ast_count(a), 2);
    assert_int_equal(lang_ast_stmt(a, 1)->pos.line, 3);
    assert_string_equal(dump_node(lang_ast_stmt(a, 1)->expr), "(# (app s \"bd\") (app gain 1))");
    lang_ast_free(a);
    check_error("out: s \"bd\r sn\"\r", 1, 8, "unterminated string", NULL);
    const char *src = "bpm: 120\rout: s \"bd\" # ?\r";
    struct lang_error err = { .file = "cr.ph" };
    assert_null(lang_parse(src, strlen(src), "cr.ph", &err));
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(print_diag(&err, src), "\n  out: s \"bd\" # ?\n"));
}

/* Bytes inside strings are kept as they are, NUL and non-UTF-8 included. */
static void test_lang_string_bytes_are_raw(void **state)
{
    (void)state;
    static const char src[] = "out: s \"a\xff\0b\"";
    struct lang_error err;
    struct lang_ast *a = lang_parse(src, sizeof src - 1, "t.ph", &err);
    assert_non_null(a);
    const struct lang_node *str = lang_ast_stmt(a, 0)->expr->kids[1];
    assert_int_equal(str->kind, LANG_STR);
    assert_int_equal(str->len, 4);
    assert_memory_equal(str->text, "a\xff\0b", 5);
    size_t len;
    const char *copy = lang_ast_source(a, &len);
    assert_int_equal(len, sizeof src - 1);
    assert_memory_equal(copy, src, len);
    assert_ptr_not_equal(copy, src);
    lang_ast_free(a);
}

/* The file from the task, and every pattern file example of LANGUAGE.md. */
static void test_lang_example_files(void **state)
{
    (void)state;
    struct lang_ast *a = parse_ok(
        "bpm: 120\n"
        "~x: saw 440 # lpf (\"800 <300 500 200 999>\" $ fast \"<3 19 3 3 2 8 9>\") 0.8\n"
        "o1: s \"~x(7,17)\" # note \"c4'min7 f3'min7\" # delay 0.334 0.3 0.3 # reverb 0.9 0.1 0.3\n"
        "o2: s \"bd(4,17)\"\n"
        "o3: s \"lt(4,17,2)\"\n");
    assert_int_equal(lang_ast_count(a), 5);
    assert_string_equal(dump_node(lang_ast_stmt(a, 1)->expr),
                        "(# (app saw 440) (app lpf ($ \"800 <300 500 200 999>\" "
                        "(app fast \"<3 19 3 3 2 8 9>\")) 0.8))");
    assert_int_equal(lang_ast_stmt(a, 4)->out, 3);
    lang_ast_free(a);

    a = parse_ok(
        "-- a comment runs to the end of the line; `//` also starts a comment\n"
        "bpm: 120                     -- 2 cycles per second (one beat per cycle); or  tempo: 2  /  cps: 2\n"
        "~lfo: sine 0.25              -- a bus: a named signal (an oscillator at 0.25 Hz, -1..1)\n"
        "~bass: saw \"55 82.5 110\" # lpf (~lfo * 1000 + 1500) 0.8\n"
        "~drums $ s \"[bd*4, hh*8, ~ sn ~ sn]\" # gain 0.9\n"
        "out: ~drums + ~bass * 0.3    -- what is heard\n");
    assert_int_equal(lang_ast_count(a), 5);
    assert_float_equal(lang_ast_stmt(a, 0)->cps, 2, 0);
    assert_string_equal(dump_node(lang_ast_stmt(a, 4)->expr), "(+ ~drums (* ~bass 0.3))");
    lang_ast_free(a);

    /* The inline examples of LANGUAGE.md sections 2 to 6. */
    static const char *const exprs[] = {
        "s \"bd*4\" # gain 0.8 # lpf 2000 0.3",
        "s \"bd sn\" $ fast 2 $ every 4 rev",
        "jux rev $ stut 8 0.125 0.1 $ s \"bd sn\"",
        "fast 2 $ s \"bd sn\" # n \"0 1\"",
        "within (0, 0.5) f", "every 3 (# speed 2)", "off 0.25 (+ 12)",
        "s \"bd*4\" * 0.8", "lpf 800 :q 4",
        "reverb :room_size 0.9 :damping 0.2 :mix 0.5",
        "delay :time 0.25 :feedback 0.6 :mix 0.4",
        "adsr :attack 0.01 :decay 0.1 :sustain 0.5 :release 1",
        "distort :drive 4 :mix 0.5", "chorus :rate 1 :depth 0.5 :mix 0.3",
        "reverb :room_size 2.0", "fast \"<1 2 4>\"", "0.25 <~ p", "t ~> p",
        "lpf (range 200 2000 sine)", "saw # gain 0.3", "s \"~x(3,8)\"",
        "saw # note \"c2'maj\"", "irand 8 $ segment 8", "s \"bd sn:2 hh*4\"",
        "note \"c e g\" |+ note 12", "\"c4\" + 1",
        "s \"~name(3,8)\" # note \"c4'min7\"", "saw # note \"c2'maj\" # ar 0.01 0.2",
        "fast 0", "every 0 f", "pulse 440 0.3", "fm 440 220 2", "moog 800 0.5",
        "plate 0.01 2", "compress -20 4 0.01 0.1 3", "limit -1", "pan 0.5",
        "superkick # n \"0\"", "min a b", "mtof 60", "range 0 1 (sine 2)",
    };
    for (size_t i = 0; i < sizeof exprs / sizeof exprs[0]; i++) {
        struct lang_error err;
        struct lang_ast *e = lang_parse_expr(exprs[i], strlen(exprs[i]), "<expr>", &err);
        if (!e)
            fail_msg("'%s': %d:%d: %s", exprs[i], err.line, err.col, err.msg);
        lang_ast_free(e);
    }
}

/* Every case of the conformance corpora parses, except those whose expected
 * output is ERROR (those may fail here or later). Returns the number of cases. */
static int corpus_check(const char *cases, const char *expected)
{
    FILE *f = fopen(expected, "r");
    if (!f)
        fail_msg("cannot open %s (run the tests from the repository root)", expected);
    char line[4096], errors[256][256];
    int nerr = 0, ncases = 0, last = 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "### ", 4) == 0) {
            last = nerr < 256;
            if (last)
                snprintf(errors[nerr], sizeof errors[nerr], "%.255s", line + 4);
        } else if (last && strncmp(line, "ERROR", 5) == 0) {
            nerr++;
            last = 0;
        }
    }
    fclose(f);
    if (!(f = fopen(cases, "r")))
        fail_msg("cannot open %s (run the tests from the repository root)", cases);
    while (fgets(line, sizeof line, f)) {
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        size_t len = strlen(tab + 1);
        if (len && tab[len] == '\n')
            len--;
        struct lang_error err;
        struct lang_ast *a = lang_parse_expr(tab + 1, len, "<expr>", &err);
        ncases++;
        if (a) {
            assert_int_equal(lang_ast_count(a), 1);
        } else {
            int expected_error = 0;
            for (int i = 0; i < nerr; i++)
                expected_error |= strcmp(errors[i], line) == 0;
            if (!expected_error)
                fail_msg("%s: '%.*s' does not parse: %d:%d: %s", cases, (int)len, tab + 1,
                         err.line, err.col, err.msg);
        }
        lang_ast_free(a);
    }
    fclose(f);
    return ncases;
}

static void test_lang_conformance_corpus_parses(void **state)
{
    (void)state;
    assert_true(corpus_check("tests/conformance/transforms.cases",
                             "tests/conformance/transforms.expected") >= 90);
    assert_true(corpus_check("tests/conformance/mini.cases",
                             "tests/conformance/mini.expected") >= 250);
}

/* ---- errors ------------------------------------------------------------------- */

static void test_lang_malformed_inputs(void **state)
{
    (void)state;
    static const struct {
        const char *src;
        int line, col;
        const char *msg, *hint;
    } cases[] = {
        /* brackets */
        { "out: s \"bd\" # lpf (800 0.3", 1, 27, "expected ')' to close '(' opened at 1:19", NULL },
        { "~d $ stack [s \"bd\",\n  s \"sn\"\nout: ~d", 2, 9,
          "expected ']' to close '[' opened at 1:12 but found the end of the line", NULL },
        { "out: [a,\n  ~x: b]", 1, 9, "expected ']' to close '[' opened at 1:6", NULL },
        { "out: (s \"bd\"]", 1, 13, "expected ')' to close '(' opened at 1:6 but found ']'", NULL },
        { "out: [a, (b]", 1, 12, "expected ')' to close '(' opened at 1:10 but found ']'", NULL },
        { "out: s \"bd\")", 1, 12, "but found ')'", "no '(' open" },
        { "out: ~x $ a\n  ]", 2, 3, "but found ']'", NULL },
        { "out: fast () \"a\"", 1, 12, "expected an expression inside '( )' but found ')'", NULL },
        { "out: (+ ,)", 1, 9, "expected an expression after '+' but found ','", NULL },   /* (+) alone is a function */
        { "out: (a, b,)", 1, 12, "expected an expression after ','", NULL },
        { "out: [,]", 1, 7, "expected an expression after '[' but found ','", NULL },
        /* stray and missing tokens */
        { "out: fast \"a\" +", 1, 16, "expected an expression after '+' but found the end of the file", NULL },
        { "out: a +\nout: b", 1, 9, "expected an expression after '+' but found the end of the line", NULL },
        { "out: \"a\" $", 1, 11, "expected an expression after '$'", NULL },
        { "out: fast \"a\" + )", 1, 17, "expected an expression after '+' but found ')'", NULL },
        { "out: s \"bd\", s \"sn\"", 1, 12, "but found ','", NULL },
        { "out: s \"bd\" out: 1", 1, 16, "but found ':'", "own" },
        { "out:\nout: 1", 1, 5, "expected an expression after 'out:' but found the end of the line", NULL },
        { "out: lpf 800 :q", 1, 16, "expected a value after ':q'", NULL },
        { "out: :q 4", 1, 6, "keyword argument ':q'", "lpf 800 :q 4" },
        { "out: fast 2 . ", 1, 14, "expected an expression after '.'", NULL },
        { "out: ~ x", 1, 6, "unexpected character '~'", "~name" },
        { "out: a | b", 1, 8, "unexpected character '|'", NULL },
        { "out: s \xe2\x80\x9c" "bd\xe2\x80\x9d", 1, 8, "U+201C", "straight double quotes" },
        /* call syntax, comments written with '#' */
        { "out: euclid(3, 8) \"x\"", 1, 6, "arguments are separated by spaces: euclid 3 8",
          "euclid (3, 8)" },
        { "out: f(a + 1, [b], -x)", 1, 6, "arguments are separated by spaces: f (a + 1) [b] (-x)", NULL },
        { "out: f() 3", 1, 8, "expected an expression inside '( )'", "write f" },
        { "out: s \"bd\"\n# the bass line, isn't it", 2, 16, "but found ','", "comments start with '--'" },
        { "out: s \"bd\"\n  # TODO: fix", 2, 9, "but found ':'", "comments start with '--'" },
        { "out: s \"bd\"\n# 2nd part", 2, 3, "malformed number '2nd'", "comments start with '--'" },
        { "# my song\nout: 1", 1, 1, "expected a statement such as 'out:' or '~name:' but found '#'",
          "comments start with '--'" },
        /* lexical errors */
        { "out: s \"bd\n", 1, 8, "unterminated string", NULL },
        { "out: s \"bd", 1, 8, "unterminated string", NULL },
        { "out: s \"bd\" \xff", 1, 13, "invalid byte 0xff", NULL },
        { "-- caf\xe9\nout: 1", 1, 7, "invalid byte 0xe9", NULL },
        { "out: s \"a\"\n\x01", 2, 1, "invalid byte 0x01", NULL },
        { "out: fast 1e400 \"a\"", 1, 11, "number out of range", NULL },
        { "out: 3bd", 1, 6, "malformed number '3bd'", NULL },
        { "out: 1.5.2", 1, 6, "malformed number", NULL },
        { "out: 1.", 1, 6, "malformed number '1.'", NULL },
        /* statements */
        { "foo bar\nout: 1", 1, 1, "expected a statement such as 'out:' or '~name:' but found 'foo'", NULL },
        { "  s \"bd\"", 1, 3, "expected a statement such as 'out:'", NULL },
        { "foo: 1", 1, 1, "unknown statement 'foo:'", "tempo:" },
        { "o17: s \"bd\"", 1, 1, "unknown output 'o17'", "o1 to o16" },
        { "d0 $ s \"bd\"", 1, 1, "unknown output 'd0'", NULL },
        { "hush 3", 1, 6, "expected the end of the line after 'hush' but found '3'", NULL },
        { "hush17", 1, 1, "unknown output 'hush17'", NULL },
        { "panic now", 1, 7, "after 'panic'", NULL },
        { "bpm: 0", 1, 6, "tempo out of range: bpm: 0", "> 0 and <= 1000" },
        { "bpm: -5", 1, 6, "tempo out of range", NULL },
        { "bpm: 60001", 1, 6, "tempo out of range", NULL },
        { "tempo: 0", 1, 8, "tempo out of range: tempo: 0", NULL },
        { "cps: 2000", 1, 6, "tempo out of range: cps: 2000", NULL },
        { "tempo: 1/0", 1, 8, "tempo out of range", NULL },
        { "tempo: 0/0", 1, 8, "tempo out of range", NULL },
        { "tempo: fast 2", 1, 8, "expected a number of cycles per second after 'tempo:'", NULL },
        { "bpm: 120 \"3/5\"", 1, 10, "expected a time signature like \"4/4\"", NULL },
        { "bpm: 120 \"3/64\"", 1, 10, "expected a time signature like \"4/4\"", NULL },
        { "bpm: \"fast\"", 1, 6, "expected a number of beats per minute", NULL },
        { "tempo:", 1, 7, "expected an expression after 'tempo:'", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_error(cases[i].src, cases[i].line, cases[i].col, cases[i].msg, cases[i].hint);
}

static void test_lang_expression_mode_errors(void **state)
{
    (void)state;
    check_error_n("out: s \"bd\"", 11, 1, 1, 1, "expected an expression but found the statement 'out:'", NULL);
    check_error_n("~x: 1", 5, 1, 1, 1, "found the statement '~x:'", NULL);
    check_error_n("", 0, 1, 1, 1, "expected an expression but found the end of the expression", NULL);
    check_error_n("  -- nothing", 12, 1, 1, 13, "expected an expression", NULL);
    check_error_n("\"a\" )", 5, 1, 1, 5, "expected an operator or the end of the expression but found ')'", NULL);
    check_error_n("fast 2 $", 8, 1, 1, 9, "but found the end of the expression", NULL);
}

static char *repeat(const char *head, const char *unit, size_t n, const char *tail)
{
    size_t h = strlen(head), u = strlen(unit), t = strlen(tail);
    char *s = malloc(h + u * n + t + 1);
    assert_non_null(s);
    memcpy(s, head, h);
    for (size_t i = 0; i < n; i++)
        memcpy(s + h + i * u, unit, u);
    memcpy(s + h + u * n, tail, t + 1);
    return s;
}

/* Deep input is an error, not a stack overflow, here or in a later walk. */
static void test_lang_nesting_is_bounded(void **state)
{
    (void)state;
    static const struct { const char *head, *unit, *tail; int col; } cases[] = {
        { "out: ", "[", "a", 6 + LANG_MAX_DEPTH },
        { "out: ", "(", "a", 6 + LANG_MAX_DEPTH },
        { "out: ", "- ", "a", 6 + 2 * LANG_MAX_DEPTH },
        { "out: a", " $ a", "", 8 + 4 * LANG_MAX_DEPTH },
        { "out: a", " + a - a", "", 4 + 4 * LANG_MAX_DEPTH },   /* a tree 201 high */
        { "out: a", " # a", "", 4 + 4 * LANG_MAX_DEPTH },
        { "out: ", "(+ ", "a", 6 + 3 * LANG_MAX_DEPTH },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *src = repeat(cases[i].head, cases[i].unit, 10000, cases[i].tail);
        check_error(src, 1, cases[i].col, "nesting too deep", NULL);
        free(src);
    }
    /* A chain of one operator is flat, however long: a sum of 10,000 terms. */
    char *sum = repeat("out: a", " + a", 9999, "");
    struct lang_ast *flat = parse_ok(sum);
    free(sum);
    assert_int_equal(lang_ast_stmt(flat, 0)->expr->nkids, 10000);
    lang_ast_free(flat);
    /* Just inside the limit is fine. */
    char *src = repeat("out: a", " + a", LANG_MAX_DEPTH - 1, "");
    struct lang_ast *a = parse_ok(src);
    free(src);
    lang_ast_free(a);
    src = repeat("out: ", "[", LANG_MAX_DEPTH - 1, "a");
    char *close = repeat(src, "]", LANG_MAX_DEPTH - 1, "");
    a = parse_ok(close);
    free(src);
    free(close);
    lang_ast_free(a);
}

/* CPU time used so far (user + system), in seconds: other processes on a
 * busy machine do not count. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

/* A 1 MB string and a 1 MB file parse (in linear time: a quadratic parser
 * would take minutes of CPU time, so the bound is loose enough for
 * sanitizer builds). */
static void test_lang_large_inputs(void **state)
{
    (void)state;
    double t0 = cpu_seconds();
    char *src = repeat("out: s \"", "bd ", 350000, "\" # gain 1");
    struct lang_ast *a = parse_ok(src);
    const struct lang_node *str = lang_ast_stmt(a, 0)->expr->kids[0]->kids[1];
    assert_int_equal(str->len, 3 * 350000);
    lang_ast_free(a);
    free(src);

    src = repeat("", "~b: s \"bd sn\" # gain 0.8 # lpf (range 200 2000 sine) 0.3 :q 2\n", 17000, "");
    assert_true(strlen(src) > 1000000);
    a = parse_ok(src);
    assert_int_equal(lang_ast_count(a), 17000);
    lang_ast_free(a);
    free(src);

    src = repeat("out: stack [", "\"a\", ", 200000, "\"b\"]");
    a = parse_ok(src);
    assert_int_equal(lang_ast_stmt(a, 0)->expr->kids[1]->nkids, 200001);
    lang_ast_free(a);
    free(src);
    assert_true(cpu_seconds() - t0 < 10);
}

/* ---- diagnostics --------------------------------------------------------------- */

static char *print_diag(const struct lang_error *e, const char *src)
{
    static char out[4096];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    lang_diag_print(f, "error", e, src, src ? strlen(src) : 0);
    fclose(f);
    snprintf(out, sizeof out, "%s", buf);
    free(buf);
    return out;
}

static void test_lang_diag_print_format(void **state)
{
    (void)state;
    /* LANGUAGE.md section 7, to the byte. */
    const char *src = "bpm: 120\n~x: 1\n~drums $ s \"[bd*4, hh*8, ~ sn ~ sn\" # gain 0.9\n";
    struct lang_error e = { .file = "live.ph" };
    lang_error_set(&e, (struct lang_pos){ 3, 35 }, "expected ']' to close '[' opened at %d:%d", 3, 13);
    assert_string_equal(print_diag(&e, src),
        "live.ph:3:35: error: expected ']' to close '[' opened at 3:13\n"
        "  ~drums $ s \"[bd*4, hh*8, ~ sn ~ sn\" # gain 0.9\n"
        "                                    ^\n");

    /* A hint; tabs kept so the caret lines up; a multi-byte character is one column. */
    struct lang_error err;
    assert_null(lang_parse("\tout: s \"\xc3\xa9\" \xe2\x86\x92", 16, "t.ph", &err));
    assert_int_equal(err.col, 14);
    assert_string_equal(print_diag(&err, "\tout: s \"\xc3\xa9\" \xe2\x86\x92"),
        "t.ph:1:14: error: unexpected character '\xe2\x86\x92' (U+2192)\n"
        "  \tout: s \"\xc3\xa9\" \xe2\x86\x92\n"
        "  \t           ^\n");
    assert_null(lang_parse("out: 1\n# hm, ok", 15, "t.ph", &err));
    assert_string_equal(print_diag(&err, "out: 1\n# hm, ok"),
        "t.ph:2:5: error: expected an operator or the end of the line but found ','\n"
        "  # hm, ok\n"
        "      ^\n"
        "note: comments start with '--'\n");

    /* No source, no position, a warning. */
    lang_error_set(&e, (struct lang_pos){ 0, 0 }, "no output");
    assert_string_equal(print_diag(&e, NULL), "live.ph: error: no output\n");
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    lang_error_set(&e, (struct lang_pos){ 2, 1 }, "bus 'x' defined twice");
    lang_diag_print(f, "warning", &e, src, strlen(src));
    fclose(f);
    assert_string_equal(buf, "live.ph:2:1: warning: bus 'x' defined twice\n  ~x: 1\n  ^\n");
    free(buf);

    /* A control byte in the shown line is a '?'; a line past the end shows nothing. */
    lang_error_set(&e, (struct lang_pos){ 1, 3 }, "m");
    assert_string_equal(print_diag(&e, "a\x01" "b"), "live.ph:1:3: error: m\n  a?b\n    ^\n");
    lang_error_set(&e, (struct lang_pos){ 9, 1 }, "m");
    assert_string_equal(print_diag(&e, "a\n"), "live.ph:9:1: error: m\n");
}

static void test_lang_diag_long_line_is_windowed(void **state)
{
    (void)state;
    char *src = repeat("out: s \"", "bd ", 5000, "\" ]");
    struct lang_error err;
    assert_null(lang_parse(src, strlen(src), "t.ph", &err));
    assert_int_equal(err.col, 15011);
    char *out = print_diag(&err, src);
    char *l2 = strchr(out, '\n') + 1, *l3 = strchr(l2, '\n') + 1;
    assert_true(strlen(out) < 600);
    assert_memory_equal(l2, "  ...", 5);
    assert_int_equal(strchr(l3, '^') - l3, strchr(l2, ']') - l2);  /* caret under the ']' */
    free(src);
}

static void test_lang_suggest_near_names(void **state)
{
    (void)state;
    static const char *const names[] = { "fast", "slow", "every", "every'", "degradeBy",
                                         "sometimesBy", "lpf", "hpf", "reverb", NULL, "jux" };
    const int n = (int)(sizeof names / sizeof names[0]);
    assert_string_equal(lang_suggest("fsat", names, n), "fast");       /* transposition: 1 */
    assert_string_equal(lang_suggest("FAST", names, n), "fast");       /* case-insensitive */
    assert_string_equal(lang_suggest("lfp", names, n), "lpf");
    assert_string_equal(lang_suggest("revrb", names, n), "reverb");
    assert_string_equal(lang_suggest("degradby", names, n), "degradeBy");
    assert_string_equal(lang_suggest("smetimsBi", names, n), "sometimesBy"); /* 3 for long names */
    assert_null(lang_suggest("fs", names, n));          /* 2 edits on a short name */
    assert_null(lang_suggest("rvrbb", names, n));       /* 3 edits on a 5-byte name */
    assert_null(lang_suggest("zzzzzzzzzz", names, n));
    assert_null(lang_suggest("", names, n));
    assert_null(lang_suggest("fast", names, 0));
    assert_null(lang_suggest("every", names, 2 + 1));    /* never the name itself */
    assert_string_equal(lang_suggest("every", names, n), "every'");
}

/* ---- lexer --------------------------------------------------------------------- */

static void test_lang_lexer_tokens(void **state)
{
    (void)state;
    static const char src[] = "out:s ~x~>~y :q (:r 1) |+|2 every' a:b -1 x-1 \"s\" ]";
    static const enum lang_tok want[] = {
        LANG_TOK_NAME, LANG_TOK_COLON, LANG_TOK_NAME, LANG_TOK_BUS, LANG_TOK_OP, LANG_TOK_BUS,
        LANG_TOK_KW, LANG_TOK_LPAREN, LANG_TOK_KW, LANG_TOK_NUM, LANG_TOK_RPAREN, LANG_TOK_OP,
        LANG_TOK_NUM, LANG_TOK_NAME, LANG_TOK_NAME, LANG_TOK_COLON, LANG_TOK_NAME, LANG_TOK_NUM,
        LANG_TOK_NAME, LANG_TOK_OP, LANG_TOK_NUM, LANG_TOK_STR, LANG_TOK_RBRACK, LANG_TOK_EOF,
    };
    struct lang_lexer lx;
    struct lang_token t;
    lang_lex_init(&lx, src, sizeof src - 1, "t.ph");
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        lang_lex_next(&lx, &t);
        if (t.kind != want[i])
            fail_msg("token %zu at col %d: got %s, want %s", i, t.pos.col,
                     lang_tok_name(t.kind), lang_tok_name(want[i]));
        if (i == 11) {
            assert_int_equal(t.op, LANG_OP_ADD_B);
            assert_int_equal(t.len, 3);
        }
        if (i == 13)
            assert_int_equal(t.len, 6);                 /* every' */
        if (i == 17)
            assert_true(t.num == -1);
        assert_int_equal(t.bol, i == 0);
    }
    lang_lex_next(&lx, &t);                             /* EOF again */
    assert_int_equal(t.kind, LANG_TOK_EOF);

    lang_lex_init(&lx, "a\n  \"x\n", 7, "t.ph");
    lang_lex_next(&lx, &t);
    lang_lex_next(&lx, &t);
    assert_int_equal(t.kind, LANG_TOK_ERR);
    assert_int_equal(lx.err.line, 2);
    assert_int_equal(lx.err.col, 3);
    assert_string_equal(lx.err.file, "t.ph");
    lang_lex_next(&lx, &t);                             /* the error again */
    assert_int_equal(t.kind, LANG_TOK_ERR);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lang_precedence_and_associativity),
        cmocka_unit_test(test_lang_every_operator),
        cmocka_unit_test(test_lang_negative_literals),
        cmocka_unit_test(test_lang_number_forms),
        cmocka_unit_test(test_lang_names_and_buses),
        cmocka_unit_test(test_lang_sections_both_sides),
        cmocka_unit_test(test_lang_keyword_arguments),
        cmocka_unit_test(test_lang_lists_and_tuples),
        cmocka_unit_test(test_lang_query_expressions),
        cmocka_unit_test(test_lang_positions),
        cmocka_unit_test(test_lang_hash_line_is_flagged),
        cmocka_unit_test(test_lang_statements_of_every_kind),
        cmocka_unit_test(test_lang_session_statements),
        cmocka_unit_test(test_lang_tempo_conversions),
        cmocka_unit_test(test_lang_continuation_lines),
        cmocka_unit_test(test_lang_comments),
        cmocka_unit_test(test_lang_empty_and_blank_files),
        cmocka_unit_test(test_lang_crlf_and_bom),
        cmocka_unit_test(test_lang_cr_only_line_ends),
        cmocka_unit_test(test_lang_string_bytes_are_raw),
        cmocka_unit_test(test_lang_example_files),
        cmocka_unit_test(test_lang_conformance_corpus_parses),
        cmocka_unit_test(test_lang_malformed_inputs),
        cmocka_unit_test(test_lang_expression_mode_errors),
        cmocka_unit_test(test_lang_nesting_is_bounded),
        cmocka_unit_test(test_lang_large_inputs),
        cmocka_unit_test(test_lang_diag_print_format),
        cmocka_unit_test(test_lang_diag_long_line_is_windowed),
        cmocka_unit_test(test_lang_suggest_near_names),
        cmocka_unit_test(test_lang_lexer_tokens),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
