/* cli_query.c -- `phonon query 'EXPR' FROM TO`: print a pattern's events.
 *
 * The expression is parsed as one .ph expression and evaluated for its
 * pattern meaning; its events over [FROM, TO) are printed in the conformance
 * format (../conformance/README.md): one per line, `whole_begin whole_end
 * part_begin part_end value`, sorted by part begin, value text, part end,
 * whole. A bad expression is a positioned error and exit 65; a value that
 * only goes wrong while querying (through a pattern argument) gives no
 * events and exit 0, as SEMANTICS.md section 9 says; a span that would
 * produce more than 100,000 events is a resource error (exit 65).
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "lang.h"
#include "pat_eval.h"
#include "phonon.h"

#include <stdlib.h>
#include <string.h>

static const char usage[] = "'EXPR' FROM TO\n\n"
    "Print the events of a pattern expression for cycles [FROM, TO), one per line:\n"
    "whole_begin whole_end part_begin part_end value. FROM and TO are integers,\n"
    "decimals or fractions (0, 1/4, -3, 2.5).\n\n"
    "example: phonon query '\"bd*2 [sn cp]\" $ every 2 (fast 2)' 0 2";

/* `phonon query`: the operands checked, the expression evaluated, its
 * events printed. */
int cli_query(int argc, char **argv)
{
    const char **ops;
    int nops, help;
    int rc = cli_parse(argc, argv, NULL, usage, &ops, &nops, &help);
    if (rc || help)
        return rc;
    if (nops != 3) {
        free(ops);
        return cli_fail("query", PHONON_EXIT_USAGE, "expected 'EXPR' FROM TO (try 'phonon query --help')");
    }
    struct rat from, to;
    for (int i = 1; i < 3; i++) {
        if (rat_parse(ops[i], i == 1 ? &from : &to)) {
            rc = cli_fail("query", PHONON_EXIT_USAGE, "%s is not a time: use an integer, a decimal or a fraction like 1/4",
                          ops[i]);
            free(ops);
            return rc;
        }
    }
    if (rat_lt(to, from)) {
        rc = cli_fail("query", PHONON_EXIT_USAGE, "TO (%s) comes before FROM (%s)", ops[2], ops[1]);
        free(ops);
        return rc;
    }
    const char *src = ops[0];
    size_t len = strlen(src);
    struct lang_error err = { .file = "<expr>" };
    struct lang_ast *ast = lang_parse_expr(src, len, "<expr>", &err);
    struct arena prog, scratch;
    if (arena_init(&prog, 1 << 16, 1, 0) || arena_init(&scratch, 1 << 20, 1, (size_t)1 << 32)) {
        free(ops);
        return cli_fail("query", PHONON_EXIT_SOFTWARE, "out of memory");
    }
    rc = PHONON_EXIT_OK;
    const struct pnode *p = NULL;
    if (ast) {
        struct pat_eval ev = { .a = &prog, .err = &err };
        p = pat_eval_pattern(&ev, lang_ast_stmt(ast, 0)->expr);
    }
    if (!p) {
        lang_diag_print(stderr, "error", &err, src, len);
        rc = PHONON_EXIT_DATAERR;
    } else {
        struct pat_ctx c;
        struct pat_evbuf out;
        pat_ctx_init(&c, &scratch);
        c.max_work = 100L * PAT_MAX_WORK;       /* many cycles at once, offline (pat.h) */
        int qrc = pat_query(&c, p, from, to, &out);
        if (qrc == PAT_ERR_SILENT) {
            /* a value went wrong through a pattern argument: no events, exit 0
             * (SEMANTICS.md 9), and why on stderr */
            fprintf(stderr, "phonon query: warning: this span plays silent: %s\n", c.msg);
        } else if (qrc) {
            fprintf(stderr, "phonon query: %s\n", c.msg);
            rc = PHONON_EXIT_DATAERR;
        } else {
            pat_sort_events(&out);
            char line[8192];
            for (int i = 0; i < out.n; i++) {
                pat_format_event(&out.ev[i], line, sizeof line);
                puts(line);
            }
        }
    }
    lang_ast_free(ast);
    arena_deinit(&prog);
    arena_deinit(&scratch);
    free(ops);
    if (fflush(stdout) != 0 && rc == 0)
        rc = cli_fail("query", PHONON_EXIT_IOERR, "cannot write the output");
    return rc;
}
