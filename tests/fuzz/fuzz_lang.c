/* tests/fuzz/fuzz_lang.c -- the .ph parser (lang_parse) on whole files.
 *
 * A file either parses, and every statement's tree can be walked (dumped), or
 * fails with a positioned message that the diagnostic printer can show with
 * its source line and caret.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lang.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *devnull;
    if (!devnull && !(devnull = fopen("/dev/null", "w")))
        abort();
    const char *src = (const char *)data;
    struct lang_error err = { .file = "fuzz.ph" };
    struct lang_ast *ast = lang_parse(src, size, "fuzz.ph", &err);
    if (!ast) {
        if (!err.msg[0]) {
            fputs("fuzz: a parse error without a message\n", stderr);
            abort();
        }
        lang_diag_print(devnull, "error", &err, src, size);
        return 0;
    }
    for (int i = 0; i < lang_ast_count(ast); i++) {
        const struct lang_stmt *st = lang_ast_stmt(ast, i);
        if (st->pos.line < 1) {
            fputs("fuzz: a statement without a line\n", stderr);
            abort();
        }
        if (st->expr)
            lang_node_dump(devnull, st->expr);
    }
    lang_ast_free(ast);
    return 0;
}
