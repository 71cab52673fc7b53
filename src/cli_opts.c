/* cli_opts.c -- option parsing and small helpers shared by the subcommands. */
#include "cli.h"
#include "phonon.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

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
        if (errno || end == v || *end)
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
            return cli_fail(cmd, PHONON_EXIT_USAGE, "unknown option '%s' (try 'phonon %s --help')", a, cmd);
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

int cli_read_file(const char *cmd, const char *path, size_t max_bytes, char **out, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return cli_fail(cmd, errno == ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_IOERR,
                        "cannot open %s: %s", path, strerror(errno));
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        if (n + 1 >= cap) {
            if (cap > max_bytes) {
                free(buf);
                if (f != stdin)
                    fclose(f);
                return cli_fail(cmd, PHONON_EXIT_DATAERR, "%s is larger than %zu bytes; is it a pattern file?",
                                path, max_bytes);
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger)
                break;
            buf = bigger;
            cap *= 2;
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
    if (err) {
        free(buf);
        return cli_fail(cmd, PHONON_EXIT_IOERR, "cannot read %s", path);
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

void cli_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}
