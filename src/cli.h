/* cli.h -- the command line: subcommands, option parsing, shared helpers.
 *
 * Each subcommand lives in its own cli_<name>.c with an entry point
 * `int cli_<name>(int argc, char **argv)` that gets argv from the subcommand
 * name on and returns the process exit status (sysexits, phonon.h). Options
 * may come before or after operands, `--` ends options, and an argument that
 * reads as a number (-3, -1/2, -0.5) is an operand (../spec/CLI.md).
 *
 * Thread context: the main thread.
 */
#ifndef CLI_H
#define CLI_H

#include <stdint.h>
#include <stdio.h>

enum cli_opt_type {
    CLI_FLAG,       /* int: set to 1 */
    CLI_INT,        /* long */
    CLI_DOUBLE,     /* double */
    CLI_STRING,     /* const char * */
    CLI_LIST,       /* struct cli_list: repeatable */
};

struct cli_list {
    const char **items;
    int n, cap;
};

struct cli_opt {
    const char *name;           /* long name without "--" */
    char short_name;            /* or 0 */
    enum cli_opt_type type;
    void *dest;
    const char *metavar;        /* for the usage text; NULL for flags */
    const char *help;
};

struct cli_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

/* Parse the arguments of a subcommand (argv[0] is its name). Operands go to
 * *ops (argv strings, in order). Handles --help itself (prints usage, sets
 * *help_shown). Returns 0, or PHONON_EXIT_USAGE after printing the reason. */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, const char *usage,
              const char ***ops, int *nops, int *help_shown);
void cli_usage(FILE *f, const char *cmd, const char *usage, const struct cli_opt *opts);
/* s as a JSON string (quotes, backslashes and control characters escaped). */
void cli_json_string(FILE *f, const char *s);
/* "phonon CMD: message" on stderr; returns code. */
int cli_fail(const char *cmd, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Read a whole file ("-" = stdin) into a NUL-terminated buffer (caller frees).
 * Returns 0, or an exit code after printing why (66 missing, 74 I/O). Refuses
 * files over max_bytes. */
int cli_read_file(const char *cmd, const char *path, size_t max_bytes, char **out, size_t *len);

struct sample_bank;
struct program;

/* The sample bank for --samples roots (and $PHONON_SAMPLES, the kit);
 * NULL after printing why, with *rc the exit code (66 for a missing root). */
struct sample_bank *cli_bank(const char *cmd, const struct cli_list *roots, int rate, int quiet, int *rc);
/* --sample-mem MiB (live, render, profile): the samples kept loaded (cli_bank). */
extern double cli_sample_mem;

struct cli_compile_opts {
    int sample_rate, block;
    struct sample_bank *bank;
    int allow_missing;
    int quiet;                      /* no warnings */
    double density;                 /* profile --capacity: players sped up (0 = 1) */
};

/* Parse and compile src (the contents of path). Prints every diagnostic
 * (errors and warnings) in the file:line:col format. Returns 0 with *out,
 * or the exit code (65). */
int cli_compile(const char *cmd, const char *path, const char *src, size_t len,
                const struct cli_compile_opts *co, struct program **out);

int cli_query(int argc, char **argv);
int cli_samples(int argc, char **argv);
int cli_render(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_new(int argc, char **argv);
int cli_live(int argc, char **argv);

/* ---- live reload (cli_live.c) -------------------------------------------
 * The part of `phonon live` that turns saves into published programs, apart
 * from the audio device so that tests can drive it with engine_render.
 * Control thread only (the watcher); the engine's audio side may run at the
 * same time. A load that fails prints why (a positioned diagnostic for a
 * bad pattern) and publishes nothing: the program playing goes on. */
enum { CLI_LIVE_MAX_BYTES = 1 << 20 };     /* larger files are refused */

struct engine;
struct cli_live;                /* opaque: cli_live_new ... cli_live_free */

struct cli_live_counts {
    unsigned loaded;            /* programs published */
    unsigned failed;            /* loads refused (unreadable, huge, bad pattern) */
    unsigned superseded;        /* published, replaced before a block played them */
    int last_ok;                /* the last load published */
    int deleted;                /* the file is gone (WATCH_DELETED, not back yet) */
    double last_compile_ms;     /* read + parse + compile of the last load */
    unsigned long latency_samples;
    int pending;                /* published, not seen playing yet */
};

/* Reload `path` into engine e with co (copied; co->bank is borrowed). With
 * report, each load also prints one line saying what happened (for a stderr
 * that is not a terminal): "not loaded" at once, "loaded (compile X ms),
 * playing Y ms after the save" once the audio thread has picked it up (seen
 * by cli_live_tick or the next load). NULL when out of memory. */
struct cli_live *cli_live_new(const char *path, struct engine *e, const struct cli_compile_opts *co,
                              int report);
void cli_live_free(struct cli_live *l);      /* NULL is a no-op; the engine stays */
/* Read, compile and publish the file now. event_ns: CLOCK_MONOTONIC time of
 * the save (watch_wait's when_ns) for the latency statistics, 0 for none.
 * Returns 0 when published, else the exit code of the failure (65 bad
 * pattern or huge file, 66 missing, 74 unreadable) after printing it. */
int cli_live_load(struct cli_live *l, int64_t event_ns);
/* Act on one watch_wait result (enum watch_kind): CHANGED and BACK load,
 * DELETED prints a notice and keeps playing. Returns as cli_live_load, 0
 * for the others. */
int cli_live_handle(struct cli_live *l, int kind, int64_t when_ns);
/* Between reports: take a pending latency sample, free retired programs
 * (engine_collect). Call it regularly (every 100 ms is plenty). */
void cli_live_tick(struct cli_live *l);
void cli_live_get_counts(const struct cli_live *l, struct cli_live_counts *c);
/* Reload counts, latency P50/P99/max (ms) and swap cost (us), for --stats. */
void cli_live_print_stats(struct cli_live *l, FILE *f);
int cli_profile(int argc, char **argv);

/* The starter pattern (phonon new, and live on a missing file). */
extern const char cli_starter[];

#endif
