/* cli_opts.c -- option parsing and small helpers shared by the subcommands:
 * the failure message, the usage text, the range checks of the shared
 * options, reading a whole file, JSON strings.
 *
 * Thread context: the main thread.
 */
#include "cli.h"
#include "lang.h"
#include "phonon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* See cli.h. */
int cli_fail(const char *cmd, int code, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "phonon%s%s: ", cmd ? " " : "", cmd ? cmd : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

/* -3, -0.5, -1/2, -.5: numbers, not options */
static int looks_like_number(const char *s)
{
    if (*s == '-')
        s++;
    if (*s == '.')
        s++;
    return *s >= '0' && *s <= '9';
}

/* See cli.h: the usage line, then one line per option. */
void cli_usage(FILE *f, const char *cmd, const char *usage, const struct cli_opt *opts)
{
    fprintf(f, "usage: phonon %s %s\n", cmd, usage);
    if (!opts || !opts->name)
        return;
    fprintf(f, "\noptions:\n");
    for (const struct cli_opt *o = opts; o->name; o++) {
        char left[64];
        int n = snprintf(left, sizeof left, "%s%c%s--%s%s%s", o->short_name ? "-" : "",
                         o->short_name ? o->short_name : ' ', o->short_name ? ", " : " ",
                         o->name, o->metavar ? " " : "", o->metavar ? o->metavar : "");
        if (!o->short_name)
            memmove(left, left + 2, (size_t)n - 1);
        fprintf(f, "  %-26s %s\n", left, o->help);
    }
    fprintf(f, "  %-26s %s\n", "-h, --help", "show this help");
}

/* Store option o's value v (converted to o's type) in o->dest; 0 or an exit
 * code after saying why. */
static int set_value(const char *cmd, const struct cli_opt *o, const char *v)
{
    char *end;
    switch (o->type) {
    case CLI_FLAG:
        *(int *)o->dest = 1;
        return 0;
    case CLI_INT: {
        errno = 0;
        long x = strtol(v, &end, 10);
        if (errno || end == v || *end || x == LONG_MIN)    /* LONG_MIN: CLI_BLOCK_UNSET (cli.h) */
            return cli_fail(cmd, PHONON_EXIT_USAGE, "--%s expects a whole number, not '%s'", o->name, v);
        *(long *)o->dest = x;
        return 0;
    }
    case CLI_DOUBLE: {
        errno = 0;
        double x = strtod(v, &end);
        if (errno || end == v || *end)
            return cli_fail(cmd, PHONON_EXIT_USAGE, "--%s expects a number, not '%s'", o->name, v);
        *(double *)o->dest = x;
        return 0;
    }
    case CLI_STRING:
        *(const char **)o->dest = v;
        return 0;
    case CLI_LIST: {
        struct cli_list *l = o->dest;
        if (l->n == l->cap) {
            int cap = l->cap ? l->cap * 2 : 4;
            const char **items = realloc(l->items, sizeof *items * (size_t)cap);
            if (!items)
                return cli_fail(cmd, PHONON_EXIT_SOFTWARE, "out of memory");
            l->items = items;
            l->cap = cap;
        }
        l->items[l->n++] = v;
        return 0;
    }
    }
    return 0;
}

/* An unknown option a: 64 after saying so, with the nearest long name of
 * opts (or --help, --version) when one is close. */
static int unknown_option(const char *cmd, const char *a, const struct cli_opt *opts)
{
    const char *names[64];
    int n = 0;
    names[n++] = "help";
    names[n++] = "version";
    for (const struct cli_opt *p = opts; p && p->name && n < 64; p++)
        names[n++] = p->name;
    char word[64];
    const char *dashes = a[1] == '-' ? a + 2 : a + 1;
    snprintf(word, sizeof word, "%.*s", (int)strcspn(dashes, "="), dashes);
    const char *near = lang_suggest(word, names, n);
    if (near)
        return cli_fail(cmd, PHONON_EXIT_USAGE, "unknown option '%s'; did you mean '--%s'?", a, near);
    return cli_fail(cmd, PHONON_EXIT_USAGE, "unknown option '%s' (try 'phonon %s --help')", a, cmd);
}

/* See cli.h. */
int cli_parse(int argc, char **argv, const struct cli_opt *opts, const char *usage,
              const char ***ops, int *nops, int *help_shown)
{
    const char *cmd = argv[0];
    const char **out = calloc((size_t)argc + 1, sizeof *out);
    int n = 0, only_operands = 0;
    *help_shown = 0;
    if (!out)
        return cli_fail(cmd, PHONON_EXIT_SOFTWARE, "out of memory");
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (only_operands || a[0] != '-' || a[1] == 0 || looks_like_number(a)) {
            out[n++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            cli_usage(stdout, cmd, usage, opts);
            *help_shown = 1;
            free(out);
            return 0;
        }
        if (strcmp(a, "--version") == 0) {          /* a common option (CLI.md) */
            printf("phonon %s\n", PHONON_VERSION);
            *help_shown = 1;
            free(out);
            return 0;
        }
        const struct cli_opt *o = NULL;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            for (const struct cli_opt *p = opts; p && p->name; p++)
                if (strlen(p->name) == len && strncmp(p->name, name, len) == 0)
                    o = p;
            if (eq)
                value = eq + 1;
        } else if (a[2] == 0) {
            for (const struct cli_opt *p = opts; p && p->name; p++)
                if (p->short_name == a[1])
                    o = p;
        }
        if (!o) {
            free(out);
            return unknown_option(cmd, a, opts);
        }
        if (o->type == CLI_FLAG) {
            if (value) {
                free(out);
                return cli_fail(cmd, PHONON_EXIT_USAGE, "--%s takes no value", o->name);
            }
        } else if (!value) {
            if (i + 1 >= argc) {
                free(out);
                return cli_fail(cmd, PHONON_EXIT_USAGE, "--%s needs a value (%s)", o->name, o->metavar);
            }
            value = argv[++i];
        }
        int rc = set_value(cmd, o, value);
        if (rc) {
            free(out);
            return rc;
        }
    }
    *ops = out;
    *nops = n;
    return 0;
}

/* See cli.h. */
int cli_engine_check(const char *cmd, const struct cli_engine_opts *e, int device_rate)
{
    int rate_ok = (device_rate && e->sample_rate == 0) ||
                  (e->sample_rate >= PHONON_MIN_RATE && e->sample_rate <= PHONON_MAX_RATE);
    int block_ok = e->block == CLI_BLOCK_UNSET || (e->block >= PHONON_MIN_BLOCK && e->block <= PHONON_MAX_BLOCK);
    if (rate_ok && block_ok && e->threads >= 0 &&
        e->threads <= PHONON_MAX_THREADS && e->voices >= 1 && e->voices <= PHONON_MAX_VOICES &&
        e->sample_mem >= PHONON_MIN_SAMPLE_MEM && e->sample_mem <= PHONON_MAX_SAMPLE_MEM)
        return 0;
    return cli_fail(cmd, PHONON_EXIT_USAGE,
                    "invalid option: --sample-rate %d..%d, --block %d..%d, --threads 0..%d, --voices 1..%d, "
                    "--sample-mem %d..%d",
                    PHONON_MIN_RATE, PHONON_MAX_RATE, PHONON_MIN_BLOCK, PHONON_MAX_BLOCK, PHONON_MAX_THREADS,
                    PHONON_MAX_VOICES, PHONON_MIN_SAMPLE_MEM, PHONON_MAX_SAMPLE_MEM);
}

/* See cli.h. */
int cli_length_check(const char *cmd, double cycles, double duration, int exclusive)
{
    if (cycles >= 0 && duration >= 0 && !(exclusive && cycles > 0 && duration > 0))
        return 0;
    return cli_fail(cmd, PHONON_EXIT_USAGE, "invalid option: --cycles N or --duration SECONDS, 0 or more%s",
                    exclusive ? ", not both" : "");
}

/* See cli.h: read to the end, refusing more than max_bytes. */
int cli_read_file(const char *cmd, const char *path, char **out, size_t *len)
{
    const size_t max = CLI_MAX_INPUT_BYTES;
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return cli_fail(cmd, errno == ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_IOERR,
                        "cannot open %s: %s", path, strerror(errno));
    /* read at most max + 1 bytes: one more than the limit says it is over */
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf && n <= max) {
        if (n + 1 >= cap) {
            size_t grow = cap * 2 > max + 2 ? max + 2 : cap * 2;
            char *bigger = realloc(buf, grow);
            if (!bigger) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = bigger;
            cap = grow;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!buf)
        return cli_fail(cmd, PHONON_EXIT_SOFTWARE, "out of memory reading %s", path);
    if (err || n > max) {
        free(buf);
        return n > max ? cli_fail(cmd, PHONON_EXIT_DATAERR, "%s is larger than %d MiB (%d bytes); is it a pattern file?",
                                  path, CLI_MAX_INPUT_BYTES >> 20, CLI_MAX_INPUT_BYTES)
                       : cli_fail(cmd, PHONON_EXIT_IOERR, "cannot read %s", path);
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

/* The length of the valid UTF-8 sequence at p (1 to 4), or 0 when the
 * bytes there are not one (a stray continuation, an overlong form, a
 * surrogate, beyond U+10FFFF, cut short). */
static int utf8_len(const unsigned char *p)
{
    int n = p[0] < 0x80 ? 1 : (p[0] & 0xe0) == 0xc0 ? 2 : (p[0] & 0xf0) == 0xe0 ? 3 : (p[0] & 0xf8) == 0xf0 ? 4 : 0;
    if (n <= 1 || p[0] == 0xc0 || p[0] == 0xc1 || p[0] > 0xf4)
        return n == 1;
    for (int i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0) || (p[0] == 0xf0 && p[1] < 0x90) ||
        (p[0] == 0xf4 && p[1] >= 0x90))
        return 0;
    return n;
}

/* See cli.h: valid JSON whatever bytes s holds. Quotes, backslashes and
 * control characters are escaped as phonon_json_escape does; valid UTF-8
 * is kept; a byte that is not part of valid UTF-8 (a Latin-1 file name) is
 * written as \u00XX, the code point of that byte read as Latin-1. */
void cli_json_string(FILE *f, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        int n = utf8_len(p);
        if (n > 1 || (n == 1 && *p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)) {
            fwrite(p, 1, (size_t)n, f);
            p += n;
            continue;
        }
        const char *esc = *p == '"' ? "\\\"" : *p == '\\' ? "\\\\" : *p == '\n' ? "\\n" : *p == '\t' ? "\\t"
                        : *p == '\r' ? "\\r" : *p == '\b' ? "\\b" : *p == '\f' ? "\\f" : NULL;
        if (esc)
            fputs(esc, f);
        else
            fprintf(f, "\\u00%c%c", hex[*p >> 4], hex[*p & 15]);
        p++;
    }
    fputc('"', f);
}
