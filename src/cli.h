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

struct cli_compile_opts {
    int sample_rate, block;
    struct sample_bank *bank;
    int allow_missing;
    int quiet;                      /* no warnings */
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

/* The starter pattern (phonon new, and live on a missing file). */
extern const char cli_starter[];

#endif
