/* cli_check.c -- `phonon check FILE.ph...` and `phonon new FILE.ph`.
 *
 * check parses and compiles each file as render would (samples resolved,
 * so unknown names are reported) and prints every diagnostic; the exit
 * status is 65 when any file has an error, 66 when one is missing. Every
 * parse error of a file is reported (cli_parse_every), at most
 * CLI_MAX_ERRORS of them as text. With --json it prints one JSON object
 * per file instead: {"file", "ok", "errors": [{"line", "col", "message",
 * "hint"}], "errors_count", "warnings": [the same], "warnings_count"};
 * strings are valid JSON whatever bytes they hold (cli_json_string).
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "graph.h"
#include "lang.h"
#include "phonon.h"
#include "pat.h"
#include "sample.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char check_usage[] = "FILE.ph... [--samples DIR]... [--allow-missing] [--json]\n\n"
    "Parse and compile each file; print every error and warning as file:line:col.";

/* A file's diagnostics kept for --json (at most CLI_JSON_MAX of each kind;
 * n counts them all). */
enum { CLI_JSON_MAX = 1000 };
struct diag_list {
    struct lang_error *v;
    int n, kept, cap;
};

static void diag_keep(void *user, const struct lang_error *e)
{
    struct diag_list *d = user;
    d->n++;
    if (d->kept == CLI_JSON_MAX)
        return;
    if (d->kept == d->cap) {
        int cap = d->cap ? 2 * d->cap : 8;
        struct lang_error *v = realloc(d->v, sizeof *v * (size_t)cap);
        if (!v)
            return;
        d->v = v;
        d->cap = cap;
    }
    d->v[d->kept++] = *e;
}

/* "name":[{"line","col","message","hint"}...] */
static void json_diags(const char *name, const struct diag_list *d)
{
    printf("\"%s\":[", name);
    for (int i = 0; i < d->kept; i++) {
        printf("%s{\"line\":%d,\"col\":%d,\"message\":", i ? "," : "", d->v[i].line, d->v[i].col);
        cli_json_string(stdout, d->v[i].msg);
        printf(",\"hint\":");
        cli_json_string(stdout, d->v[i].hint);
        printf("}");
    }
    printf("],\"%s_count\":%d", name, d->n);
}

/* A pattern whose query fails on a value at run time (scale "<c:major
 * c:nope>": a pattern argument's value the function cannot take) plays
 * silent there; render and live say so as they play. check queries each
 * output's first PROBE_CYCLES cycles and warns of the first such failure. */
enum { PROBE_CYCLES = 8 };

static void probe_players(const struct program *p, const struct graph_opts *go, const char *path)
{
    struct arena scratch;
    if (arena_init(&scratch, 1 << 20, 1, (size_t)1 << 28))
        return;
    for (int pi = 0; pi < p->nplayers; pi++) {
        struct pat_ctx c;
        pat_ctx_init(&c, &scratch);
        for (int cyc = 0; cyc < PROBE_CYCLES; cyc++) {
            struct pat_evbuf out;
            arena_reset(&scratch);
            int err = pat_query(&c, p->players[pi].pat, rat_int(cyc), rat_int(cyc + 1), &out);
            if (err == PAT_ERR_SILENT) {
                struct lang_error w = { .file = path };
                const char *k = p->players[pi].key, *slash = strchr(k, '/');
                snprintf(w.msg, sizeof w.msg, "output %.*s plays silent in cycle %d: %.180s",
                         (int)(slash ? slash - k : (long)strlen(k)), k, cyc, c.msg);
                go->warn(go->warn_user, &w);
                break;
            }
            if (err)
                break;          /* a flood or an overflow: render counts those as it plays */
        }
    }
    arena_deinit(&scratch);
}

/* One file checked: every error (cli_compile_every) and the warnings;
 * printed as text on stderr or as
 * one JSON object on stdout. 0 or 65. */
static int check_one(const char *path, const char *src, size_t len, struct sample_bank *bank, int allow_missing,
                     int json)
{
    struct diag_list errs = { 0 }, warns = { 0 };
    struct cli_warnings ec = { .src = src, .len = len }, wc = { .src = src, .len = len };
    struct graph_opts go = { .sample_rate = PHONON_DEFAULT_RATE, .block = PHONON_DEFAULT_BLOCK,
                             .bank = bank, .allow_missing = allow_missing, .density = 1,
                             .warn = json ? diag_keep : cli_warn_print,
                             .warn_user = json ? (void *)&warns : (void *)&wc };
    int nerrors;
    struct program *p = cli_compile_every(path, src, len, &go, json ? diag_keep : cli_error_print,
                                          json ? (void *)&errs : (void *)&ec, &nerrors);
    if (p)
        probe_players(p, &go, path);
    if (json) {
        printf("{\"file\":");
        cli_json_string(stdout, path);
        printf(",\"ok\":%s,", p ? "true" : "false");
        json_diags("errors", &errs);
        putchar(',');
        json_diags("warnings", &warns);
        printf("}\n");
    } else {
        cli_warn_left(&wc, path);
        cli_error_left(&ec, path);
    }
    int rc = p ? 0 : PHONON_EXIT_DATAERR;
    program_free(p);
    free(errs.v);
    free(warns.v);
    return rc;
}

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
    for (int i = 0; bank && i < nops; i++) {
        char *src;
        size_t len;
        int frc = cli_read_file("check", ops[i], &src, &len);
        if (frc) {
            if (!rc || frc == PHONON_EXIT_NOINPUT)
                rc = frc;
            continue;
        }
        if (check_one(ops[i], src, len, bank, allow_missing, json) && !rc)
            rc = PHONON_EXIT_DATAERR;
        free(src);
    }
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
