/* cli_prog.c -- what render, check, profile and live share: opening the
 * sample bank and turning a file into a compiled program, with every
 * diagnostic printed the same way.
 *
 * Thread context: the main thread (live: the watcher, which is the main
 * thread too).
 */
#include "cli.h"
#include "graph.h"
#include "lang.h"
#include "phonon.h"
#include "sample.h"

#include <stdlib.h>
#include <string.h>

/* See cli.h. */
struct sample_bank *cli_bank(const char *cmd, const struct cli_list *roots, int rate, long mem_mib, int *rc)
{
    struct sample_error err = { 0 };
    struct sample_bank_opts o = { .max_total = (size_t)mem_mib << 20 };
    struct sample_bank *b = sample_bank_new(roots->items, roots->n, rate, &o, &err);
    if (!b)
        *rc = cli_fail(cmd, err.code == PHONON_ENOENT || err.code == PHONON_EIO ? PHONON_EXIT_NOINPUT
                                                                                : PHONON_EXIT_SOFTWARE,
                       "%s", err.msg);
    return b;
}

/* See cli.h: the parse alone (no samples, no graph), so that the block is
 * known before the program is compiled for it. */
void cli_block_from_source(struct cli_engine_opts *e, const char *src, size_t len, const char *path)
{
    if (e->block != CLI_BLOCK_UNSET)
        return;
    struct lang_error err = { .file = path };
    struct lang_ast *a = lang_parse(src, len, path, &err);
    int b = lang_ast_buffer(a);
    e->block = b ? b : PHONON_DEFAULT_BLOCK;
    lang_ast_free(a);
}

/* See cli.h. */
void cli_block_from_file(struct cli_engine_opts *e, const char *path)
{
    if (e->block != CLI_BLOCK_UNSET)
        return;
    char *src = NULL;
    size_t len = 0;
    FILE *f = fopen(path, "rb");
    long n = 0;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n <= CLI_MAX_INPUT_BYTES &&
        fseek(f, 0, SEEK_SET) == 0 && (src = malloc((size_t)n + 1)))
        len = fread(src, 1, (size_t)n, f);
    if (f)
        fclose(f);
    cli_block_from_source(e, src ? src : "", len, path);
    free(src);
}

/* See cli.h. */
void cli_warn_print(void *user, const struct lang_error *w)
{
    struct cli_warnings *wc = user;
    if (!wc->quiet && wc->n++ < CLI_MAX_WARNINGS)
        cli_diag_emit("warning", w, wc->src, wc->len);
}

/* See cli.h. */
int cli_compile(const char *cmd, const char *path, const char *src, size_t len,
                const struct cli_compile_opts *co, struct program **out)
{
    struct cli_warnings ec = { .src = src, .len = len };
    struct cli_warnings wc = { .src = src, .len = len, .quiet = co->quiet };
    struct graph_opts go = { .sample_rate = co->sample_rate, .block = co->block, .bank = co->bank,
                             .allow_missing = co->allow_missing, .density = co->density,
                             .prev = co->prev, .now = co->now,
                             .warn = cli_warn_print, .warn_user = &wc };
    int nerrors;
    struct program *p = cli_compile_every(path, src, len, &go, cli_error_print, &ec, &nerrors);
    cli_warn_left(&wc, path);
    cli_error_left(&ec, path);
    if (!p)
        return PHONON_EXIT_DATAERR;
    (void)cmd;
    *out = p;
    return 0;
}
