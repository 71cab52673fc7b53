/* cli_diag.c -- every error of a file, not only the first.
 *
 * The parser and the compiler stop at their first error (lang_parse.c does
 * not guess past one). check, render, profile and live want every error of
 * a file, so this pass goes again after each error with the statement
 * holding it stubbed out: a bus keeps its name with the value 0 (so the
 * statements that use it do not fail in turn), any other statement is
 * blanked (every byte but newlines made a space), so every position
 * reported is still the position in the file. A statement starts a line
 * (after any indentation) with `name:`, `~name:`, `~name $` or `#`,
 * `dN`/`oN`/`out`/`outN`/`once` then `$` or `#`, `@name:`, `%name:`, `hush`,
 * `hushN` or `panic`, as lang_parse.c's starts_statement() has it, or with a
 * `for i in A..B` loop's header (`~h[i] $` in its body is a statement; an
 * error in the body, located in the file by the parser and the compiler,
 * stubs the body's line for every iteration); a line that does not (a
 * continuation) is never a place to start again.
 * Compile errors are the compiler's: it runs only on a file that parses,
 * and reports its first.
 *
 * Thread context: the caller's (main or watcher thread).
 */
#include "cli.h"
#include "graph.h"
#include "lang.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static int is_word(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '\'' || c == '.';
}

/* 1 when the line at s (up to its newline) begins a statement. */
static int line_starts_statement(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    int bus = s < end && (*s == '~' || *s == '@' || *s == '%');
    const char *w = s + bus, *e = w;
    while (e < end && is_word(*e))
        e++;
    if (e == w)
        return 0;
    size_t n = (size_t)(e - w);
    if (bus && e < end && *e == '[')            /* ~h[i] in a for loop's body */
        while (e < end && *e++ != ']')
            ;
    const char *after = e;
    while (after < end && (*after == ' ' || *after == '\t'))
        after++;
    char next = after < end ? *after : '\n';
    if (next == ':')
        return 1;
    if (bus)
        return next == '$' || next == '#';
    if ((n == 4 && !memcmp(w, "hush", 4)) || (n == 5 && !memcmp(w, "panic", 5)))
        return next == '\n' || next == '-';
    if (n > 4 && !memcmp(w, "hush", 4) && strspn(w + 4, "0123456789") == n - 4)
        return 1;
    if (n == 3 && !memcmp(w, "for", 3) && after > e)
        return 1;                               /* for i in 1..4: (lang_macro.c) */
    int out = (n >= 2 && (*w == 'd' || *w == 'o') && strspn(w + 1, "0123456789") == n - 1) ||
              (n >= 3 && !memcmp(w, "out", 3) && strspn(w + 3, "0123456789") == n - 3) ||
              (n == 4 && !memcmp(w, "once", 4));
    return out && (next == '$' || next == '#');
}

/* The offset of the first line after line `line` (1-based) that begins a
 * statement, or len when there is none. */
static size_t next_statement(const char *src, size_t len, int line)
{
    int at = 1;
    for (size_t i = 0; i < len; i++) {
        if (src[i] != '\n')
            continue;
        if (++at <= line)
            continue;
        const char *nl = memchr(src + i + 1, '\n', len - i - 1);
        const char *end = nl ? nl : src + len;
        if (line_starts_statement(src + i + 1, end))
            return i + 1;
    }
    return len;
}

/* See cli.h. */
unsigned long cli_diag_rows;

/* text on stderr, its rows on the terminal counted into cli_diag_rows
 * (a line wider than the terminal takes more than one). */
static void emit(const char *text, size_t n)
{
    struct winsize ws;
    int cols = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? ws.ws_col : 0;
    fwrite(text, 1, n, stderr);
    for (size_t i = 0, start = 0; i < n; i++)
        if (text[i] == '\n') {
            size_t w = i - start;
            cli_diag_rows += cols && w > 0 ? (w - 1) / (size_t)cols + 1 : 1;
            start = i + 1;
        }
}

/* See cli.h. */
void cli_diag_emit(const char *severity, const struct lang_error *e, const char *src, size_t len)
{
    char *text = NULL;
    size_t n = 0;
    FILE *mem = open_memstream(&text, &n);
    if (!mem) {
        lang_diag_print(stderr, severity, e, src, len);
        return;
    }
    lang_diag_print(mem, severity, e, src, len);
    fclose(mem);
    emit(text, n);
    free(text);
}

/* See cli.h: the first CLI_MAX_ERRORS with their source line. */
void cli_error_print(void *user, const struct lang_error *e)
{
    struct cli_warnings *wc = user;
    if (wc->n++ < CLI_MAX_ERRORS)
        cli_diag_emit("error", e, wc->src, wc->len);
}

/* See cli.h. */
void cli_error_left(const struct cli_warnings *wc, const char *path)
{
    char line[512];
    if (wc->n > CLI_MAX_ERRORS)
        emit(line, (size_t)snprintf(line, sizeof line, "%.400s: %d more errors not shown\n", path,
                                    wc->n - CLI_MAX_ERRORS));
}

/* See cli.h. */
void cli_warn_left(const struct cli_warnings *wc, const char *path)
{
    char line[512];
    if (!wc->quiet && wc->n > CLI_MAX_WARNINGS)
        emit(line, (size_t)snprintf(line, sizeof line, "%.400s: %d more warnings not shown\n", path,
                                    wc->n - CLI_MAX_WARNINGS));
}

/* The offset of the line holding offset `at`'s start. */
static size_t line_start(const char *src, size_t at)
{
    while (at > 0 && src[at - 1] != '\n')
        at--;
    return at;
}

/* The offset of the start of line `line` (1-based), or len. */
static size_t line_offset(const char *src, size_t len, int line)
{
    size_t i = 0;
    for (int at = 1; at < line && i < len; i++)
        if (src[i] == '\n')
            at++;
    return i;
}

/* In text[0 .. len), the statement holding line `line` stubbed out as the
 * comment above says. 0, or -1 when the line is in no statement. */
static int stub_statement(char *text, size_t len, int line)
{
    size_t at = line_offset(text, len, line), s = line_start(text, at);
    for (;;) {
        const char *nl = memchr(text + s, '\n', len - s);
        if (line_starts_statement(text + s, nl ? nl : text + len))
            break;
        if (s == 0)
            return -1;
        s = line_start(text, s - 1);
    }
    int stmt_line = 1;
    for (size_t i = 0; i < s; i++)
        stmt_line += text[i] == '\n';
    size_t e = next_statement(text, len, stmt_line), keep = s;
    while (keep < e && (text[keep] == ' ' || text[keep] == '\t'))
        keep++;
    int bus = keep < e && text[keep] == '~';
    if (bus)
        while (keep < e && text[keep] != ':' && text[keep] != '$' && text[keep] != '\n')
            keep++;
    if (bus && keep + 2 < e && text[keep] != '\n') {
        keep++;
        text[keep++] = ' ';
        text[keep++] = '0';
    } else {
        keep = s;
    }
    for (size_t i = keep; i < e; i++)
        if (text[i] != '\n')
            text[i] = ' ';
    return 0;
}

static void no_warning(void *user, const struct lang_error *w)
{
    (void)user;
    (void)w;
}

static int by_position(const void *a, const void *b)
{
    const struct lang_error *x = a, *y = b;
    return x->line != y->line ? (x->line > y->line) - (x->line < y->line) : (x->col > y->col) - (x->col < y->col);
}

/* See cli.h: parse, compile; after an error, stub its statement out and go
 * again, until the text compiles or an error makes no progress. */
struct program *cli_compile_every(const char *path, const char *src, size_t len, const struct graph_opts *go,
                                  cli_diag_fn *report, void *user, int *nerrors)
{
    struct graph_opts quiet = *go;
    quiet.warn = no_warning;
    char *text = malloc(len + 1);
    if (!text)
        return NULL;
    memcpy(text, src, len);
    text[len] = 0;
    struct program *p = NULL;
    struct lang_error *errs = NULL;
    int last = -1, cap = 0;
    *nerrors = 0;
    for (;;) {
        struct lang_error err = { .file = path };
        struct lang_ast *ast = lang_parse(text, len, path, &err);
        p = ast ? graph_compile(ast, *nerrors ? &quiet : go, &err) : NULL;
        lang_ast_free(ast);
        if (p)
            break;
        if (err.line == last || *nerrors == CLI_SCAN_ERRORS)
            break;                  /* no progress (the stub itself failed), or enough */
        if (*nerrors == cap) {
            struct lang_error *more = realloc(errs, sizeof *more * (size_t)(cap = cap ? 2 * cap : 8));
            if (!more) {
                report(user, &err);     /* out of memory: the first is enough */
                break;
            }
            errs = more;
        }
        errs[(*nerrors)++] = err;
        last = err.line;
        if (err.line <= 0 || stub_statement(text, len, err.line))
            break;
    }
    free(text);
    if (errs)
        qsort(errs, (size_t)*nerrors, sizeof *errs, by_position);
    for (int i = 0; errs && i < *nerrors; i++)
        report(user, &errs[i]);
    free(errs);
    if (p && *nerrors) {
        program_free(p);
        p = NULL;
    }
    return p;
}
