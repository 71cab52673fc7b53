/* cli_check.c -- `phonon check FILE.ph...` and `phonon new FILE.ph`.
 *
 * check parses and compiles each file as render would (samples resolved,
 * so unknown names are reported) and prints every diagnostic; the exit
 * status is 65 when any file has an error, 66 when one is missing. With
 * --json it prints one JSON object per file instead: {"file", "ok",
 * "errors": [{"line", "col", "message", "hint"}], "warnings": n}.
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "graph.h"
#include "lang.h"
#include "phonon.h"
#include "sample.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char check_usage[] = "FILE.ph... [--samples DIR]... [--allow-missing] [--json]\n\n"
    "Parse and compile each file; print every error and warning as file:line:col.";

/* `phonon check`: each file parsed and compiled, every error printed. */
int cli_check(int argc, char **argv)
{
    struct cli_list roots = { 0 };
    int json = 0, allow_missing = 0;
    const struct cli_opt opts[] = {
        CLI_OPT_SAMPLES(&roots),
        CLI_OPT_ALLOW_MISSING(&allow_missing, "unknown sample names are warnings"),
        { .name = "json", .type = CLI_FLAG, .dest = &json, .help = "one JSON object per file" },
        { 0 },
    };
    const char **ops;
    int nops, help, rc = cli_parse(argc, argv, opts, check_usage, &ops, &nops, &help);
    if (rc || help) {
        free(roots.items);
        return rc;
    }
    if (nops == 0) {
        free(ops);
        free(roots.items);
        return cli_fail("check", PHONON_EXIT_USAGE, "expected at least one FILE.ph");
    }
    struct sample_bank *bank = cli_bank("check", &roots, PHONON_DEFAULT_RATE, 0, &rc);
    if (!bank)
        goto done;
    for (int i = 0; i < nops; i++) {
        char *src;
        size_t len;
        int frc = cli_read_file("check", ops[i], &src, &len);
        if (frc) {
            if (!rc || frc == PHONON_EXIT_NOINPUT)
                rc = frc;
            continue;
        }
        struct lang_error err = { .file = ops[i] };
        struct lang_ast *ast = lang_parse(src, len, ops[i], &err);
        struct program *p = NULL;
        if (ast) {
            struct cli_warnings wc = { .src = src, .len = len, .quiet = json };
            struct graph_opts go = { .sample_rate = PHONON_DEFAULT_RATE, .block = PHONON_DEFAULT_BLOCK,
                                     .bank = bank, .allow_missing = allow_missing, .density = 1,
                                     .warn = cli_warn_print, .warn_user = &wc };
            p = graph_compile(ast, &go, &err);
            cli_warn_left(&wc, ops[i]);
        }
        if (json) {
            printf("{\"file\":");
            cli_json_string(stdout, ops[i]);
            printf(",\"ok\":%s,\"errors\":[", p ? "true" : "false");
            if (!p) {
                printf("{\"line\":%d,\"col\":%d,\"message\":", err.line, err.col);
                cli_json_string(stdout, err.msg);
                printf(",\"hint\":");
                cli_json_string(stdout, err.hint);
                printf("}");
            }
            printf("],\"warnings\":%d}\n", p ? p->warnings : 0);
        } else if (!p) {
            lang_diag_print(stderr, "error", &err, src, len);
        }
        if (!p && !rc)
            rc = PHONON_EXIT_DATAERR;
        program_free(p);
        lang_ast_free(ast);
        free(src);
    }
done:
    sample_bank_free(bank);
    free(ops);
    free(roots.items);
    return rc;
}

/* The starter file of `phonon new` and of `phonon live` on a missing file. */
const char cli_starter[] =
    "-- phonon: save this file and hear the change at once.\n"
    "-- Lines starting with -- are comments; man phonon-language has the whole language.\n"
    "-- bpm: 120 \"4/4\" is 120 beats a minute, 4 beats a cycle (0.5 cycles a second);\n"
    "-- a bare bpm: N is N/60 cycles a second, one beat a cycle.\n"
    "bpm: 120 \"4/4\"\n"
    "\n"
    "~drums: s \"[bd*4, ~ sn ~ sn, hh*8?]\" # gain 0.9\n"
    "~bass: s \"~pluck(3,8)\" # note \"<c2 eb2 g1 bb1>\" # gain 0.5\n"
    "~pluck: saw # lpf 900 0.7\n"
    "\n"
    "out: ~drums + ~bass\n";

/* `phonon new`: the starter pattern written to FILE. */
int cli_new(int argc, char **argv)
{
    int force = 0;
    const struct cli_opt opts[] = {
        { .name = "force", .short_name = 'f', .type = CLI_FLAG, .dest = &force, .help = "overwrite an existing file" },
        { 0 },
    };
    const char **ops;
    int nops, help, rc = cli_parse(argc, argv, opts, "FILE.ph [--force]\n\nWrite a starter pattern file.",
                                   &ops, &nops, &help);
    if (rc || help)
        return rc;
    if (nops != 1) {
        free(ops);
        return cli_fail("new", PHONON_EXIT_USAGE, "expected one FILE.ph");
    }
    FILE *f = fopen(ops[0], force ? "w" : "wx");
    if (!f) {
        rc = cli_fail("new", errno == EEXIST ? PHONON_EXIT_CANTCREAT : PHONON_EXIT_CANTCREAT,
                      "cannot create %s: %s%s", ops[0], strerror(errno),
                      errno == EEXIST ? " (use --force to overwrite it)" : "");
        free(ops);
        return rc;
    }
    if (fputs(cli_starter, f) < 0 || fclose(f) != 0)
        rc = cli_fail("new", PHONON_EXIT_IOERR, "cannot write %s", ops[0]);
    else
        fprintf(stderr, "phonon new: wrote %s; play it with: phonon live %s\n", ops[0], ops[0]);
    free(ops);
    return rc;
}
