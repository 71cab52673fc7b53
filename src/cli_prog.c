/* cli_prog.c -- what render, check, profile and live share: opening the
 * sample bank and turning a file into a compiled program, with every
 * diagnostic printed the same way. */
#include "cli.h"
#include "graph.h"
#include "lang.h"
#include "phonon.h"
#include "sample.h"

#include <stdlib.h>
#include <string.h>

double cli_sample_mem = 1024;

struct sample_bank *cli_bank(const char *cmd, const struct cli_list *roots, int rate, int quiet, int *rc)
{
    struct sample_error err = { 0 };
    struct sample_bank_opts o = { 0 };
    (void)quiet;
    if (!(cli_sample_mem >= 1 && cli_sample_mem <= 1 << 24)) {
        *rc = cli_fail(cmd, PHONON_EXIT_USAGE, "--sample-mem %g: want 1 .. 16777216 (MiB)", cli_sample_mem);
        return NULL;
    }
    o.max_total = (size_t)(cli_sample_mem * 1048576.0);
    struct sample_bank *b = sample_bank_new(roots->items, roots->n, rate, &o, &err);
    if (!b)
        *rc = cli_fail(cmd, err.code == PHONON_ENOENT || err.code == PHONON_EIO ? PHONON_EXIT_NOINPUT
                                                                                : PHONON_EXIT_SOFTWARE,
                       "%s", err.msg);
    return b;
}

struct warn_ctx {
    const char *src;
    size_t len;
    int quiet;
};

static void print_warning(void *user, const struct lang_error *w)
{
    struct warn_ctx *wc = user;
    if (!wc->quiet)
        lang_diag_print(stderr, "warning", w, wc->src, wc->len);
}

int cli_compile(const char *cmd, const char *path, const char *src, size_t len,
                const struct cli_compile_opts *co, struct program **out)
{
    struct lang_error err = { .file = path };
    struct lang_ast *ast = lang_parse(src, len, path, &err);
    if (!ast) {
        lang_diag_print(stderr, "error", &err, src, len);
        return PHONON_EXIT_DATAERR;
    }
    struct warn_ctx wc = { src, len, co->quiet };
    struct graph_opts go = { co->sample_rate, co->block, co->bank, co->allow_missing, co->density,
                             print_warning, &wc };
    struct program *p = graph_compile(ast, &go, &err);
    lang_ast_free(ast);
    if (!p) {
        lang_diag_print(stderr, "error", &err, src, len);
        return PHONON_EXIT_DATAERR;
    }
    (void)cmd;
    *out = p;
    return 0;
}
