/* tests/test_graph.c -- the compiler's own contract (graph_*.c).
 *
 * Programs are compiled from source strings against a temporary sample root
 * of synthetic sounds (fixture.h): buses resolved in any order, unknown
 * buses reported with a suggestion, a bus that reads itself compiled as a
 * one-block feedback that stays bounded, buses played as instruments, errors
 * at their line and column; and every row of the compiler's name tables
 * (graph_names) resolves and its example compiles.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "fixture.h"

#include <sys/resource.h>

#include "controls.h"
#include "engine.h"
#include "graph_names.h"
#include "names.h"

enum { SR = 48000, BLOCK = 256 };

static char root[64];
static struct sample_bank *bank;
static const char *const sample_names[] = { "bd", "sn", "hh" };

static int setup(void **state)
{
    bank = fixture_bank(root, sizeof root, "test_graph", sample_names, 3, 4800, 200.0, SR);
    return bank ? 0 : -1;
}

static int teardown(void **state)
{
    sample_bank_free(bank);
    fixture_remove(root, sample_names, 3);
    return 0;
}

/* ---- helpers ----------------------------------------------------------------------- */

struct result {
    struct program *p;
    struct lang_error err;          /* the error when p is NULL */
    int warnings;                   /* through graph_opts.warn (notices included) */
    char warning[256];              /* the last one */
};

static void on_warn(void *user, const struct lang_error *w)
{
    struct result *r = user;
    r->warnings++;
    snprintf(r->warning, sizeof r->warning, "%s", w->msg);
}

/* Parse and compile src; r->p is NULL on an error (parse or compile). */
static void compile(const char *src, struct result *r)
{
    memset(r, 0, sizeof *r);
    r->err.file = "t.ph";
    struct lang_ast *ast = lang_parse(src, strlen(src), "t.ph", &r->err);
    if (!ast)
        return;
    struct graph_opts go = { .sample_rate = SR, .block = BLOCK, .bank = bank, .warn = on_warn, .warn_user = r };
    r->p = graph_compile(ast, &go, &r->err);
    lang_ast_free(ast);
}

static struct program *compile_ok(const char *src)
{
    struct result r;
    compile(src, &r);
    if (!r.p)
        fail_msg("'%s' does not compile: %d:%d: %s", src, r.err.line, r.err.col, r.err.msg);
    return r.p;
}

/* src must fail at line:col with a message containing want. */
static void compile_fails(const char *src, int line, int col, const char *want)
{
    struct result r;
    compile(src, &r);
    if (r.p) {
        program_free(r.p);
        fail_msg("'%s' compiles; expected an error", src);
    }
    if (r.err.line != line || r.err.col != col || !strstr(r.err.msg, want))
        fail_msg("'%s'\n  got  %d:%d: %s\n  want %d:%d: ...%s...", src, r.err.line, r.err.col, r.err.msg, line,
                 col, want);
}

static int count_kind(const struct program *p, int kind)
{
    int n = 0;
    for (int i = 0; i < p->nnodes; i++)
        n += p->nodes[i].kind == kind;
    return n;
}

static int has_key_prefix(const struct program *p, const char *prefix)
{
    for (int i = 0; i < p->nnodes; i++)
        if (strncmp(p->nodes[i].key, prefix, strlen(prefix)) == 0)
            return 1;
    return 0;
}

/* ---- buses --------------------------------------------------------------------------- */

static void test_bus_forward_reference(void **state)
{
    struct program *p = compile_ok("out: ~pad * 0.5\n~pad: saw ~f # lpf 800\n~f: 110\n");
    assert_true(has_key_prefix(p, "~pad/"));
    assert_int_equal(p->nouts, 1);
    /* the order of the statements does not change what is compiled */
    struct program *q = fixture_compile("~f: 110\n~pad: saw ~f # lpf 800\nout: ~pad * 0.5\n", "t.ph", bank, SR,
                                        BLOCK);
    assert_non_null(q);
    assert_int_equal(q->nnodes, p->nnodes);
    for (int i = 0; i < p->nnodes; i++) {
        assert_int_equal(q->nodes[i].kind, p->nodes[i].kind);
        assert_string_equal(q->nodes[i].key, p->nodes[i].key);
    }
    program_free(p);
    program_free(q);
}

static void test_bus_unknown_suggests(void **state)
{
    compile_fails("~drums: s \"bd*4\"\nout: ~drum * 0.5\n", 2, 6, "undefined bus ~drum; did you mean ~drums?");
    compile_fails("out: s \"~kyes\"\n~keys: saw\n", 1, 9, "undefined bus ~kyes; did you mean ~keys?");
}

/* User CPU seconds of this process so far: the kernel's time is mostly
 * faulting in fresh pages, which a larger program pays and a smaller one,
 * reusing the heap of the last, does not. */
static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6;
}

/* A program of n buses (each an oscillator, with a state) that chain
 * into one output; the caller frees it. */
static struct program *compile_buses(int n)
{
    size_t cap = (size_t)n * 40 + 64, k = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    for (int i = 0; i < n; i++)
        k += (size_t)snprintf(src + k, cap - k, "~b%d: saw %d\n", i, 100 + i % 1000);
    snprintf(src + k, cap - k, "out: ~b0 + ~b%d\n", n - 1);
    struct result r;
    compile(src, &r);
    assert_non_null(r.p);
    free(src);
    return r.p;
}

/* CPU time to compile n buses. */
static double compile_buses_cpu(int n)
{
    double t0 = cpu_s();
    struct program *p = compile_buses(n);
    double t = cpu_s() - t0;
    program_free(p);
    return t;
}

/* CPU time for a reload of n buses to take the states of the same n over. */
static double carry_buses_cpu(int n)
{
    struct program *a = compile_buses(n), *b = compile_buses(n);
    double t0 = cpu_s();
    program_carry_state(b, a);
    double t = cpu_s() - t0;
    assert_ptr_equal(b->nodes[0].state, a->nodes[0].state);
    assert_ptr_equal(b->nodes[b->nnodes / 2].state, a->nodes[a->nnodes / 2].state);
    program_free(a);
    program_free(b);
    return t;
}

/* Compiling is linear in the number of buses: one program of 80,000
 * buses costs well under 16 times what 16 programs of 5,000 cost (it was
 * quadratic: 40,000 buses took 8 s). The same work on both sides, so each
 * is long enough to measure (one program of 5,000 takes 2-4 ms, near the
 * clock's grain). Measured as user CPU time, best of three, with a
 * generous factor: a larger program misses the caches, more so on a busy
 * machine (up to 4x more per bus here). */
static void test_buses_compile_in_linear_time(void **state)
{
    double small = 1e9, large = 1e9;
    for (int k = 0; k < 3; k++) {
        double t = 0;
        for (int i = 0; i < 16; i++)
            t += compile_buses_cpu(5000);
        small = fmin(small, t);
        large = fmin(large, compile_buses_cpu(80000));
    }
    print_message("    16 x 5,000 buses %.3f s, 80,000 buses %.3f s of CPU (%.1fx)\n", small, large, large / small);
    assert_true(large < 100.0 / 16 * small + 0.05);
}

/* A reload's state carry-over is linear in the nodes too (it compared
 * every node with every node: 20,000 buses took seconds). */
static void test_buses_carry_state_in_linear_time(void **state)
{
    (void)state;
    double small = 1e9, large = 1e9;
    for (int k = 0; k < 3; k++) {
        small = fmin(small, carry_buses_cpu(1250));
        large = fmin(large, carry_buses_cpu(20000));
    }
    print_message("    carry-over: 1,250 buses %.4f s, 20,000 buses %.4f s of CPU\n", small, large);
    assert_true(large < 100 * small + 0.02);
}

/* A flat sum of a thousand terms (it was "nesting too deep" past 200), of
 * sounds and of patterns, compiles, the same as its nested spelling. */
static void test_long_sums_compile(void **state)
{
    size_t cap = 40000, k = 0;
    char *src = malloc(cap);
    assert_non_null(src);
    k += (size_t)snprintf(src + k, cap - k, "out: (sine 100");
    for (int i = 1; i < 1000; i++)
        k += (size_t)snprintf(src + k, cap - k, " + sine %d", 100 + i);
    k += (size_t)snprintf(src + k, cap - k, ") * 0.001\no1: n (\"0\"");
    for (int i = 1; i < 1000; i++)
        k += (size_t)snprintf(src + k, cap - k, " + \"%d\"", i % 3);
    snprintf(src + k, cap - k, ") # s \"bd\"\n");
    program_free(compile_ok(src));
    free(src);
}

/* compress is Tidal's transform when given a tuple, the compressor when
 * given numbers. */
static void test_compress_transform_and_compressor(void **state)
{
    program_free(compile_ok("out: s \"bd sn\" $ compress (0.25, 0.75)\n"));
    program_free(compile_ok("out: s \"bd sn\" # compress -20 4\n"));
    program_free(compile_ok("out: saw 110 # compress :threshold_db -30 :ratio 8\n"));
}

static void test_bus_redefined_warns(void **state)
{
    struct result r;
    compile("~a: saw 110\n~a: saw 220\nout: ~a\n", &r);
    assert_non_null(r.p);
    assert_true(strstr(r.warning, "~a is defined again; this definition replaces the one at line 1") != NULL);
    program_free(r.p);
    compile("o1: s \"bd\"\nd1: s \"sn\"\n", &r);       /* the whole name (it said "output o") */
    assert_non_null(r.p);
    assert_string_equal(r.warning, "output o1 is defined again; this definition replaces the one at line 1");
    program_free(r.p);
}

static void test_unused_buses_are_the_output(void **state)
{
    struct result r;
    compile("~a: saw 110\n~b: ~a * 0.5\n", &r);
    assert_non_null(r.p);
    assert_string_equal(r.warning, "no output statement: playing ~b");
    assert_int_equal(r.p->nouts, 1);
    program_free(r.p);
}

/* ---- feedback ------------------------------------------------------------------------- */

static void test_feedback_bus(void **state)
{
    struct program *p = compile_ok("~fb: saw 110 * 0.3 + ~fb * 0.5 # lpf 2000\nout: ~fb\n");
    assert_int_equal(count_kind(p, N_FEEDBACK), 1);
    for (int i = 0; i < p->nnodes; i++)
        if (p->nodes[i].kind == N_FEEDBACK) {
            assert_true(p->nodes[i].aux > i);                   /* reads a later node's last block */
            assert_non_null(p->nodes[p->nodes[i].aux].prev[0]);
        }
    /* it runs, and stays bounded */
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 1, .voices = 64, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    engine_publish(e, p);
    float out[2 * BLOCK];
    float peak = 0;
    for (int b = 0; b < 400; b++) {
        engine_render(e, out, BLOCK);
        for (int f = 0; f < 2 * BLOCK; f++) {
            assert_true(isfinite(out[f]));
            peak = fabsf(out[f]) > peak ? fabsf(out[f]) : peak;
        }
    }
    assert_true(peak > 0.01f && peak <= 1.0f);
    engine_free(e);
}

static void test_feedback_through_two_buses(void **state)
{
    struct program *p = compile_ok("~a: saw 55 * 0.2 + ~b * 0.4\n~b: ~a # delay 0.1 0.2 1\nout: ~a\n");
    assert_int_equal(count_kind(p, N_FEEDBACK), 1);
    program_free(p);
}

/* ---- instruments ------------------------------------------------------------------------ */

static const struct sound *find_sound(const struct program *p, const char *name)
{
    for (int i = 0; i < p->nsounds; i++)
        if (strcmp(p->sounds[i].name, name) == 0)
            return &p->sounds[i];
    return NULL;
}

static void test_instrument_from_bus(void **state)
{
    struct program *p = compile_ok("~keys: saw # lpf 2000 0.3 # adsr 0.01 0.1 0.5 0.2\n"
                                   "out: s \"~keys*4\" # note \"0 7\"\n");
    const struct sound *s = find_sound(p, "~keys");
    assert_non_null(s);
    assert_int_equal(s->kind, SND_INSTR);
    const struct instr *in = &p->instrs[s->instr];
    assert_int_equal(in->nops, 3);          /* saw, lpf, adsr: all per voice */
    assert_int_equal(in->ops[0].kind, VO_OSC);
    assert_true(in->ops[0].pitched);
    assert_int_equal(in->post, 0);
    assert_int_equal(p->nplayers, 1);
    program_free(p);
}

static void test_instrument_with_shared_chain(void **state)
{
    /* the reverb cannot run per voice: it is applied to the sum of the voices */
    struct program *p = compile_ok("~pad: saw # lpf 1000 # reverb 0.8 0.3 0.4\nout: s \"~pad(3,8)\"\n");
    const struct sound *s = find_sound(p, "~pad");
    assert_non_null(s);
    assert_true(p->instrs[s->instr].post);
    assert_int_equal(count_kind(p, N_VOICESUM), 1);
    assert_int_equal(count_kind(p, N_REVERB), 1);
    program_free(p);
}

static void test_instrument_errors(void **state)
{
    compile_fails("~x: saw # lpf 800\n~y: s \"~y\"\nout: ~y\n", 2, 8, "the instrument ~y plays itself");
}

/* ---- errors at their position --------------------------------------------------------------- */

static void test_error_positions(void **state)
{
    compile_fails("out: saw 110 # lpff 800\n", 1, 16, "unknown function 'lpff'; did you mean 'lpf'?");
    compile_fails("out: saw 110\n  # lpf 800 :qq 2\n", 2, 17, "lpf has no parameter :qq; did you mean :q?");
    compile_fails("out: saw 110 # delay 0.1 0.2 0.3 0.4\n", 1, 14, "delay takes at most 3 arguments, got 4");
    compile_fails("out: saw 110 # pulse 2 3\n", 1, 16, "pulse makes a sound of its own; '#' needs a filter");
    compile_fails("out: s \"bd sx\"\n", 1, 12, "unknown sample name 'sx'");
    compile_fails("out: saw 110 # lpf\n", 1, 14, "lpf needs its cutoff");
    compile_fails("out: saw 110 + lpf 800\n", 1, 14, "lpf processes a signal: chain it");
}

static void test_warning_clamps(void **state)
{
    struct result r;
    compile("out: s \"bd\" # reverb :room_size 2.0\n", &r);
    assert_non_null(r.p);
    assert_string_equal(r.warning, "reverb :room_size 2 is out of range [0, 1]; using 1");
    program_free(r.p);
    compile("out: sine 1e308\n", &r);                  /* the value as written, not "inf" */
    assert_non_null(r.p);
    assert_string_equal(r.warning, "sine :freq 1e+308 is out of range [0, 1e+06]; using 1e+06");
    program_free(r.p);
    compile("out: s \"bd\" # hold 1\n", &r);         /* hold works since issue 12 (h-controls) */
    assert_non_null(r.p);
    assert_int_equal(r.warnings, 0);
    program_free(r.p);
}

/* ---- the name tables ------------------------------------------------------------------------ */

/* Does the row's name resolve in its namespace? */
static void check_resolves(enum name_ns ns, const struct name_doc *d)
{
    switch (ns) {
    case NS_SOUND: {
        const struct sfn *f = graph_sfn(d->name);
        assert_non_null(f);
        assert_string_equal(f->name, d->alias_of ? d->alias_of : d->name);
        int eqs = 0;
        for (const char *c = f->args; *c; c++)
            eqs += *c == '=';
        assert_int_equal(f->nparams, eqs);
        assert_true(f->nreq <= f->nparams);
        break;
    }
    case NS_CONTROL:
        assert_int_equal(pat_eval_is_builtin(d->name), 2);
        break;
    case NS_SYNTH: {
        const struct gsynth *s = graph_synth(d->name);
        assert_non_null(s);
        if (s->kind == GSYNTH_WAVE)     /* a waveform, or a stand-in for a synth */
            assert_true(graph_sfn(d->name) || graph_synth_stand_in(d->name));
        else
            assert_int_equal(dsp_synth_kind_from_name(d->name), s->kind);
        break;
    }
    default:
        break;
    }
}

static void test_names_resolve_and_examples_compile(void **state)
{
    static const enum name_ns nss[] = { NS_SOUND, NS_CONTROL, NS_SYNTH, NS_STATEMENT };
    for (size_t k = 0; k < sizeof nss / sizeof *nss; k++) {
        int n = 0;
        const struct name_doc *d = graph_names(nss[k], &n);
        assert_non_null(d);
        assert_true(n > 5);
        for (int i = 0; i < n; i++) {
            assert_non_null(d[i].name);
            assert_non_null(d[i].args);
            assert_true(d[i].desc && d[i].desc[0]);
            assert_true(d[i].example && d[i].example[0]);
            if (strchr(d[i].example, '\n') && nss[k] != NS_STATEMENT)     /* for's is a loop and its body */
                fail_msg("the example of %s has more than one line: %s", d[i].name, d[i].example);
            check_resolves(nss[k], &d[i]);
            if (nss[k] != NS_STATEMENT && !strstr(d[i].example, d[i].name))
                fail_msg("the example of %s does not use it: %s", d[i].name, d[i].example);
            struct result r;
            compile(d[i].example, &r);
            if (!r.p)
                fail_msg("the example of %s does not compile: %s\n  %d:%d: %s", d[i].name, d[i].example,
                         r.err.line, r.err.col, r.err.msg);
            program_free(r.p);
        }
    }
    int n = -1;
    assert_null(graph_names(NS_PATTERN, &n));
    assert_int_equal(n, 0);
}

static void test_statement_rows_parse_as_their_kind(void **state)
{
    int n;
    const struct gstatement *st = graph_statements(&n);
    for (int i = 0; i < n; i++) {
        struct lang_error err = { .file = "t.ph" };
        struct lang_ast *ast = lang_parse(st[i].example, strlen(st[i].example), "t.ph", &err);
        assert_non_null(ast);
        if (st[i].kind == LANG_STMT_DEF) {          /* @name:, %name:, ~name #: no statement of its own */
            assert_int_equal(lang_ast_count(ast), 0);
        } else if (st[i].kind == LANG_STMT_MACRO) { /* for, sum: the statements they expand to */
            assert_true(lang_ast_count(ast) >= 3);
        } else if (st[i].kind == LANG_STMT_EXPR) {  /* trigger, qtrigger: names in an output */
            assert_int_equal(lang_ast_count(ast), 1);
            assert_int_equal(lang_ast_stmt(ast, 0)->kind, LANG_STMT_OUT);
        } else {
            assert_int_equal(lang_ast_count(ast), 1);
            assert_int_equal(lang_ast_stmt(ast, 0)->kind, st[i].kind);
        }
        lang_ast_free(ast);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bus_forward_reference),
        cmocka_unit_test(test_bus_unknown_suggests),
        cmocka_unit_test(test_bus_redefined_warns),
        cmocka_unit_test(test_compress_transform_and_compressor),
        cmocka_unit_test(test_long_sums_compile),
        cmocka_unit_test(test_buses_compile_in_linear_time),
        cmocka_unit_test(test_buses_carry_state_in_linear_time),
        cmocka_unit_test(test_unused_buses_are_the_output),
        cmocka_unit_test(test_feedback_bus),
        cmocka_unit_test(test_feedback_through_two_buses),
        cmocka_unit_test(test_instrument_from_bus),
        cmocka_unit_test(test_instrument_with_shared_chain),
        cmocka_unit_test(test_instrument_errors),
        cmocka_unit_test(test_error_positions),
        cmocka_unit_test(test_warning_clamps),
        cmocka_unit_test(test_names_resolve_and_examples_compile),
        cmocka_unit_test(test_statement_rows_parse_as_their_kind),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
