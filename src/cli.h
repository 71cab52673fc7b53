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

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "phonon.h"

struct sample_bank;

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

/* ---- options every command spells the same way ---------------------------
 * Rows of a struct cli_opt table (designated initialisers), so that a
 * command's table lists them by name and the help texts, defaults and
 * limits are written once. */
#define CLI_OPT_SAMPLES(list)                                                                       \
    { .name = "samples", .short_name = 's', .type = CLI_LIST, .dest = (list), .metavar = "DIR",       \
      .help = "a sample root, searched first (repeatable)" }
#define CLI_OPT_ALLOW_MISSING(flag, text)                                                           \
    { .name = "allow-missing", .type = CLI_FLAG, .dest = (flag), .help = (text) }

/* The engine options of live, render and profile, as they come from the
 * command line (CLI_ENGINE_OPTS rows fill one). */
struct cli_engine_opts {
    long sample_rate;               /* Hz; live: 0 = the device's */
    long block, threads, voices;    /* threads: 0 = all cores */
    long sample_mem;                /* MiB: the sample bank's cap (sample_bank_opts.max_total) */
    struct cli_list samples;        /* --samples roots (free samples.items) */
    int allow_missing, quiet;
};

/* Its defaults, with `rate` the command's default sample rate. */
#define CLI_ENGINE_DEFAULTS(rate)                                                                   \
    { .sample_rate = (rate), .block = PHONON_DEFAULT_BLOCK, .voices = PHONON_DEFAULT_VOICES,             \
      .sample_mem = PHONON_DEFAULT_SAMPLE_MEM }

/* The help of a default sample rate of PHONON_DEFAULT_RATE. */
#define CLI_HELP_RATE "sample rate (default " PHONON_STR(PHONON_DEFAULT_RATE) ")"

/* --block's help: the file's buffer: N first (live, render, profile, dirt
 * --file: those set block to CLI_BLOCK_UNSET and call cli_block_from_source
 * once the file is read, or cli_block_from_file). */
#define CLI_HELP_BLOCK_FILE                                                                         \
    "frames per block (default: the file's buffer: N, else " PHONON_STR(PHONON_DEFAULT_BLOCK) ")"
/* No --block given: the value no number on the command line reads as. */
#define CLI_BLOCK_UNSET LONG_MIN

/* The rows of struct cli_engine_opts *e: --sample-rate, --block, --threads,
 * --voices, --samples, --allow-missing, --sample-mem, --quiet. The help texts that differ
 * by command (what the default rate and block are, which thread counts, what
 * --quiet silences) are the arguments. Check the values with cli_engine_check. */
#define CLI_ENGINE_OPTS(e, rate_help, block_help, threads_help, quiet_help)                        \
    { .name = "sample-rate", .short_name = 'r', .type = CLI_INT, .dest = &(e)->sample_rate,          \
      .metavar = "HZ", .help = (rate_help) },                                                        \
    { .name = "block", .short_name = 'b', .type = CLI_INT, .dest = &(e)->block, .metavar = "N",      \
      .help = (block_help) },                                                                        \
    { .name = "threads", .short_name = 't', .type = CLI_INT, .dest = &(e)->threads, .metavar = "N",  \
      .help = (threads_help) },                                                                      \
    { .name = "voices", .type = CLI_INT, .dest = &(e)->voices, .metavar = "N",                       \
      .help = "voice pool size (default " PHONON_STR(PHONON_DEFAULT_VOICES) ", up to "              \
              PHONON_STR(PHONON_MAX_VOICES) ")" },                                                   \
    CLI_OPT_SAMPLES(&(e)->samples),                                                                  \
    CLI_OPT_ALLOW_MISSING(&(e)->allow_missing, "unknown sample names play silence"),                 \
    { .name = "sample-mem", .type = CLI_INT, .dest = &(e)->sample_mem, .metavar = "MIB",             \
      .help = "samples kept loaded, least recently used unloaded (default "                         \
              PHONON_STR(PHONON_DEFAULT_SAMPLE_MEM) ")" },                                           \
    { .name = "quiet", .short_name = 'q', .type = CLI_FLAG, .dest = &(e)->quiet, .help = (quiet_help) }

/* 0 when e's values are within the limits of phonon.h, else
 * PHONON_EXIT_USAGE after printing the one message that lists them all.
 * device_rate: a sample rate of 0 means the device's (live). A block of
 * CLI_BLOCK_UNSET passes (the file's, to come). */
int cli_engine_check(const char *cmd, const struct cli_engine_opts *e, int device_rate);
/* With no --block (e->block == CLI_BLOCK_UNSET), the block of the file's
 * last buffer: statement, else PHONON_DEFAULT_BLOCK; a file that does not
 * parse gets the default (its compile reports why). The command line's
 * --block wins over the file: e->block is left as it is. */
void cli_block_from_source(struct cli_engine_opts *e, const char *src, size_t len, const char *path);
/* The same for the file at path, read first (live, dirt --file: before the
 * device opens); one that cannot be read, is empty, or is over
 * CLI_MAX_INPUT_BYTES gets the default (its load reports why). */
void cli_block_from_file(struct cli_engine_opts *e, const char *path);
/* --cycles and --duration: 0 (unset) or more, and with `exclusive` not
 * both. 0, or PHONON_EXIT_USAGE after saying so. */
int cli_length_check(const char *cmd, double cycles, double duration, int exclusive);

/* Parse the arguments of a subcommand (argv[0] is its name). Operands go to
 * *ops (argv strings, in order). Handles --help itself (prints usage, sets
 * *help_shown). Returns 0, or PHONON_EXIT_USAGE after printing the reason. */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, const char *usage,
              const char ***ops, int *nops, int *help_shown);
void cli_usage(FILE *f, const char *cmd, const char *usage, const struct cli_opt *opts);
/* s as a JSON string, valid whatever bytes s holds: quotes, backslashes
 * and control characters escaped, valid UTF-8 kept, any other byte written
 * as the code point of that byte read as Latin-1 (cli_opts.c). */
void cli_json_string(FILE *f, const char *s);
/* "phonon CMD: message" on stderr; returns code. */
int cli_fail(const char *cmd, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The largest input cli_read_file accepts (render, check, profile), in
 * bytes: 16 MiB. One byte more is refused, and the message quotes this. */
enum { CLI_MAX_INPUT_BYTES = 16 << 20 };

/* Read a whole file ("-" = stdin) into a NUL-terminated buffer (caller frees).
 * Returns 0, or an exit code after printing why (66 missing, 74 I/O, 65 for
 * more than CLI_MAX_INPUT_BYTES). */
int cli_read_file(const char *cmd, const char *path, char **out, size_t *len);

struct program;

/* The sample bank for --samples roots (and $PHONON_SAMPLES, the kit),
 * keeping at most mem_mib MiB of samples loaded (--sample-mem; 0: the
 * default of sample.h); NULL after printing why, with *rc the exit code
 * (66 for a missing root). */
struct sample_bank *cli_bank(const char *cmd, const struct cli_list *roots, int rate, long mem_mib, int *rc);

/* A compile prints at most this many warnings, then how many more there
 * were (a file of 40,000 unused buses printed 40,000 of them). */
enum { CLI_MAX_WARNINGS = 20 };

/* graph_opts.warn for the commands: cli_warn_print prints a warning with
 * its source line unless quiet, the first CLI_MAX_WARNINGS only;
 * cli_warn_left then says how many were left out. */
struct cli_warnings {
    const char *src;
    size_t len;
    int quiet;
    int n;                          /* warnings so far */
};
struct lang_error;
void cli_warn_print(void *user, const struct lang_error *w);
void cli_warn_left(const struct cli_warnings *wc, const char *path);

/* ---- every error (cli_diag.c) ---------------------------------------------- */
typedef void cli_diag_fn(void *user, const struct lang_error *e);
/* lang_parse and graph_compile stop at a file's first error; this reports
 * every one, each to report(user, e) with its position in the file: after
 * an error, the statement holding it is stubbed out (a bus keeps its name with the value
 * 0, so its users do not fail in turn; another statement is blanked) and
 * the file compiled again, until it compiles or makes no progress: every
 * error reported, warnings only from the first compile (go->warn). The
 * program when there was no error. */
struct graph_opts;
struct program *cli_compile_every(const char *path, const char *src, size_t len, const struct graph_opts *go,
                                  cli_diag_fn *report, void *user, int *nerrors);
/* A diagnostic on stderr as lang_diag_print prints it, its rows on the
 * terminal (lines wider than it wrap) added to cli_diag_rows: what the
 * errors and warnings of cli_compile took on screen, so that `live` can
 * erase a fixed error. cli_error_print, cli_warn_print and their _left
 * lines all count. */
extern unsigned long cli_diag_rows;
void cli_diag_emit(const char *severity, const struct lang_error *e, const char *src, size_t len);
/* A file's errors printed: at most CLI_MAX_ERRORS, then how many more; no
 * more than CLI_SCAN_ERRORS are looked for (each costs a compile). */
enum { CLI_MAX_ERRORS = 20, CLI_SCAN_ERRORS = 200 };
/* cli_diag_fn for a struct cli_warnings *: prints the first CLI_MAX_ERRORS
 * errors with their source line; cli_error_left says how many more. */
void cli_error_print(void *user, const struct lang_error *e);
void cli_error_left(const struct cli_warnings *wc, const char *path);

struct program_starts;
struct cli_compile_opts {
    int sample_rate, block;
    struct sample_bank *bank;
    int allow_missing;
    int quiet;                      /* no warnings */
    double density;                 /* profile --capacity: players sped up (0 = 1) */
    const struct program_starts *prev;  /* live: graph_opts prev and now */
    double now;
};

/* Parse and compile src (the contents of path). Prints every diagnostic
 * (errors and warnings) in the file:line:col format. Returns 0 with *out,
 * or the exit code (65). */
int cli_compile(const char *cmd, const char *path, const char *src, size_t len,
                const struct cli_compile_opts *co, struct program **out);

/* ---- MIDI out (cli_midi.c) ---------------------------------------------------- */
struct midi;
/* "N MIDI messages sent to WHERE" and the warnings of m's counters
 * (unknown midicmd, notes out of range, messages dropped); not with quiet. */
void cli_midi_report(const char *cmd, struct midi *m, const char *where, long count);
/* --list-midi: the ports on stdout; 0 or PHONON_EXIT_UNAVAILABLE. */
int cli_midi_list(const char *cmd);

int cli_query(int argc, char **argv);
int cli_samples(int argc, char **argv);

struct sample_error;
/* What `phonon samples [NAME] [--json]` prints, to out (see cli_samples.c).
 * Returns 0, or a negative enum phonon_err with *err filled and nothing
 * printed (NAME: as sample_bank_lookup, e.g. PHONON_ENOENT for an unknown
 * name). */
int cli_samples_print(struct sample_bank *b, FILE *out, const char *name, int json, struct sample_error *err);
/* `phonon samples play NAME[:N]` (cli_audition.c): ops are the operands
 * after "play"; out: -o FILE (NULL: play on the default output); rate:
 * the render's sample rate. Returns the exit status. */
int cli_samples_play(const struct cli_list *roots, const char *const *ops, int nops, const char *out, long rate);
int cli_render(int argc, char **argv);
int cli_check(int argc, char **argv);
int cli_new(int argc, char **argv);
int cli_live(int argc, char **argv);
int cli_dirt(int argc, char **argv);

/* ---- live reload (cli_live.c) -------------------------------------------
 * The part of `phonon live` that turns saves into published programs, apart
 * from the audio device so that tests can drive it with engine_render.
 * Control thread only (the watcher); the engine's audio side may run at the
 * same time. A load that fails prints why (a positioned diagnostic for a
 * bad pattern) and publishes nothing: the program playing goes on. */
enum { CLI_LIVE_MAX_BYTES = 1 << 20 };     /* larger files are refused */
/* An empty file that follows a non-empty one is a save in progress (a
 * truncation, the writer about to write) until it has stayed empty this long;
 * then it is loaded (silence). */
enum { CLI_LIVE_EMPTY_HOLD_MS = 500 };

struct engine;
struct cli_live;                /* opaque: cli_live_new ... cli_live_free */

struct cli_live_counts {
    unsigned loaded;            /* programs published */
    unsigned failed;            /* loads refused (unreadable, huge, bad pattern) */
    unsigned superseded;        /* published, replaced before a block played them */
    int last_ok;                /* the last load published */
    int deleted;                /* the file is gone (WATCH_DELETED, not back yet) */
    unsigned deferred;          /* loads put off: the file changed while it was read, or is
                                   newly empty (not failures: a later load follows) */
    int empty_held;             /* an empty file waits for CLI_LIVE_EMPTY_HOLD_MS (cli_live_tick) */
    size_t last_bytes;          /* size of the file the last published program came from */
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
 * Returns 0 when published or deferred, else the exit code of the failure
 * (65 bad pattern or huge file, 66 missing, 74 unreadable) after printing
 * it. Deferred, nothing published and nothing printed: a file that changed
 * while it was read (a writer at work: its next save is reported again);
 * an empty file after a program from a non-empty one, until it has stayed
 * empty for CLI_LIVE_EMPTY_HOLD_MS (cli_live_tick loads it then). */
int cli_live_load(struct cli_live *l, int64_t event_ns);
/* Act on one watch_wait result (enum watch_kind): CHANGED and BACK load,
 * DELETED prints a notice and keeps playing. Returns as cli_live_load, 0
 * for the others. */
int cli_live_handle(struct cli_live *l, int kind, int64_t when_ns);
/* Between reports: take a pending latency sample, free retired programs
 * (engine_collect), load a file that has stayed empty for
 * CLI_LIVE_EMPTY_HOLD_MS. Call it regularly (every 100 ms is plenty). */
void cli_live_tick(struct cli_live *l);
void cli_live_get_counts(const struct cli_live *l, struct cli_live_counts *c);
/* Reload counts, latency P50/P99/max (ms) and swap cost (us), for --stats. */
void cli_live_print_stats(struct cli_live *l, FILE *f);
int cli_profile(int argc, char **argv);

/* ---- render --png / --svg (cli_picture.c) ----------------------------------
 * A picture of a render: both channels' waveforms over a spectrogram strip,
 * the cycle grid and the event onsets (the frames where voices started). */
struct cli_picture;
/* For a render of total_frames at rate Hz and cps cycles a second. NULL
 * when out of memory. */
struct cli_picture *cli_picture_new(int64_t total_frames, int rate, double cps);
/* The next `frames` interleaved stereo frames, and the frames (counted
 * from the first of buf) at which onsets started voices in them. */
void cli_picture_feed(struct cli_picture *p, const float *buf, int frames, const int *onset, int nonsets);
/* Written to path as PNG, or SVG with svg. 0, or an exit code (73, 74)
 * with msg saying why. */
int cli_picture_write(const struct cli_picture *p, const char *path, int svg, char *msg, size_t size);
void cli_picture_free(struct cli_picture *p);

/* ---- the live status line's meter (cli_meter.c) --------------------------- */
struct cli_meter {
    float hold;                     /* the peak held (linear) */
    int64_t hold_ns, clip_ns;       /* when it was set; the last clip (0: none) */
};
/* The meter for `peak` (linear, the largest |sample| since the last call)
 * at time now_ns, into buf: "[####    |       ] -12.0 dB CLIP" (ANSI
 * colours with colour). */
void cli_meter_text(struct cli_meter *m, float peak, int64_t now_ns, int colour, char *buf, size_t size);
/* Erase `rows` terminal rows that sit above `below` rows printed since,
 * the cursor at the start of the row after them (ANSI: up, delete lines,
 * down): a fixed error's diagnostics go, later warnings stay. */
void cli_erase_rows(FILE *f, unsigned long rows, unsigned long below);

/* The starter pattern (phonon new, and live on a missing file). */
extern const char cli_starter[];

#endif
