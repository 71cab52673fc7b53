/* tests/fuzz/fuzz_expr.c -- the expression evaluator: what `phonon query`
 * does with its EXPR (lang_parse_expr, pat_eval_pattern), then a query of the
 * pattern as the audio thread would (fuzz_common.h).
 *
 * An expression that fails must say where (a line and column inside the
 * input) and what; the message is printed like the CLI prints it, to run the
 * diagnostic code (source line and caret) on arbitrary bytes.
 */
#include "fuzz_common.h"
#include "lang.h"
#include "pat_eval.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    const char *src = (const char *)data;
    struct lang_error err = { .file = "<expr>" };
    struct lang_ast *ast = lang_parse_expr(src, size, "<expr>", &err);
    const struct pnode *p = NULL;
    struct arena prog;
    if (arena_init(&prog, 1 << 14, 1, 64 << 20))
        abort();
    if (ast) {
        struct pat_eval ev = { .a = &prog, .err = &err };
        p = pat_eval_pattern(&ev, lang_ast_stmt(ast, 0)->expr);
    }
    if (!p) {
        if (!err.msg[0])
            fuzz_die("an expression error without a message");
        if (err.line < 0 || err.col < 0)
            fuzz_die("error position %d:%d", err.line, err.col);
        lang_diag_print(devnull, "error", &err, src, size);
    } else {
        fuzz_query(p);
    }
    lang_ast_free(ast);
    arena_deinit(&prog);
    return 0;
}
