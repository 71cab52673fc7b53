/* lang_diag.c -- diagnostics for the .ph front end: printing errors the way
 * gcc does, suggesting a near name for a typo, and dumping trees.
 *
 * A diagnostic is the interface of a live-coding tool (the error is what the
 * user reads on every save), so lang_diag_print() shows the line itself with
 * a caret under the column. Columns count bytes, but the caret line is built
 * from the source line's own bytes: a tab stays a tab and a multi-byte UTF-8
 * character takes one space, so the caret lands under the right character in
 * a terminal. Bytes that would garble the terminal (controls, bytes that are
 * not UTF-8) are shown as '?'. A very long line (a minified pattern, a 1 MB
 * string) is shown as a window of about 140 bytes around the column.
 */
#include "lang.h"

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

void lang_error_set(struct lang_error *e, struct lang_pos at, const char *fmt, ...)
{
    va_list ap;
    e->line = at.line;
    e->col = at.col;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    e->hint[0] = '\0';
}

enum { WINDOW = 140, BEFORE = 60 };

/* The printable form of the sequence at s[0..n): its byte count in *len, and
 * 1 when it can be written as it is (otherwise it is shown as one '?'). */
static int shown_as_is(const char *s, size_t n, size_t *len)
{
    unsigned cp;
    size_t k = lang_utf8_len((const unsigned char *)s, n, &cp);
    *len = k ? k : 1;
    return k && (cp >= 0x20 || cp == '\t') && cp != 0x7f;
}

/* Print the source line `line` with a caret under byte column `col`. */
static void print_line(FILE *f, const char *src, size_t len, int line, int col)
{
    size_t at = len >= 3 && memcmp(src, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
    for (int l = 1; l < line; l++) {
        size_t nl = lang_eol(src, at, len);
        if (nl == len)
            return;                             /* no such line */
        at = nl + 1;
    }
    size_t end = lang_eol(src, at, len);
    if (end > at && src[end - 1] == '\r')
        end--;
    size_t caret = at + (size_t)(col > 0 ? col - 1 : 0);
    size_t from = at, to = end;
    if (end - at > WINDOW + 20) {               /* show a window around the caret */
        if (caret > at + BEFORE)
            from = caret - BEFORE < end ? caret - BEFORE : end;
        to = from + WINDOW < end ? from + WINDOW : end;
        while (from > at && from < end && (src[from] & 0xc0) == 0x80)
            from--;                             /* do not start inside a character */
        while (to < end && (src[to] & 0xc0) == 0x80)
            to++;
    }
    fputs(from > at ? "  ..." : "  ", f);
    for (size_t i = from; i < to;) {
        size_t n;
        if (shown_as_is(src + i, to - i, &n))
            fwrite(src + i, 1, n, f);
        else
            fputc('?', f);
        i += n;
    }
    fputs(to < end ? "...\n" : "\n", f);
    fputs(from > at ? "     " : "  ", f);
    for (size_t i = from; i < caret && i < to;) {
        size_t n;
        fputc(src[i] == '\t' ? '\t' : ' ', f);
        shown_as_is(src + i, to - i, &n);
        i += n;
    }
    fputs("^\n", f);
}

void lang_diag_print(FILE *f, const char *severity, const struct lang_error *e,
                     const char *src, size_t len)
{
    const char *file = e->file ? e->file : "<input>";
    if (e->line > 0 && e->col > 0)
        fprintf(f, "%s:%d:%d: %s: %s\n", file, e->line, e->col, severity, e->msg);
    else if (e->line > 0)
        fprintf(f, "%s:%d: %s: %s\n", file, e->line, severity, e->msg);
    else
        fprintf(f, "%s: %s: %s\n", file, severity, e->msg);
    if (src && e->line > 0)
        print_line(f, src, len, e->line, e->col);
    if (e->hint[0])
        fprintf(f, "note: %s\n", e->hint);
}

/* ---- suggestions ----------------------------------------------------------- */

enum { SUGGEST_MAX = 64 };      /* nobody mistypes a longer name */

/* Damerau-Levenshtein distance (optimal string alignment: a transposition of
 * two adjacent bytes costs 1), ignoring ASCII case. n, m <= SUGGEST_MAX. */
static int edit_distance(const char *a, size_t n, const char *b, size_t m)
{
    int rows[3][SUGGEST_MAX + 1];
    int *pp = rows[0], *prev = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= m; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= n; i++) {
        cur[0] = (int)i;
        int ai = tolower((unsigned char)a[i - 1]);
        for (size_t j = 1; j <= m; j++) {
            int bj = tolower((unsigned char)b[j - 1]);
            int d = prev[j - 1] + (ai != bj);
            if (prev[j] + 1 < d)
                d = prev[j] + 1;
            if (cur[j - 1] + 1 < d)
                d = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ai == tolower((unsigned char)b[j - 2])
                && tolower((unsigned char)a[i - 2]) == bj && pp[j - 2] + 1 < d)
                d = pp[j - 2] + 1;
            cur[j] = d;
        }
        int *t = pp;
        pp = prev;
        prev = cur;
        cur = t;
    }
    return prev[m];
}

const char *lang_suggest(const char *name, const char *const *names, int n)
{
    size_t len = strlen(name);
    if (len == 0 || len > SUGGEST_MAX)
        return NULL;
    int limit = len <= 4 ? 1 : len <= 8 ? 2 : 3, best_d = limit + 1;
    const char *best = NULL;
    for (int i = 0; i < n; i++) {
        if (!names[i])
            continue;
        size_t m = strlen(names[i]);
        if (m > SUGGEST_MAX || (m > len ? m - len : len - m) > (size_t)limit)
            continue;
        if (strcmp(names[i], name) == 0)
            continue;               /* never the name asked for itself */
        int d = edit_distance(name, len, names[i], m);
        if (d < best_d) {
            best_d = d;
            best = names[i];
        }
    }
    return best;
}

/* ---- tree dump ------------------------------------------------------------- */

void lang_node_dump(FILE *f, const struct lang_node *n)
{
    if (!n) {
        fputs("nil", f);
        return;
    }
    switch (n->kind) {
    case LANG_NUM:
    case LANG_NAME:
        fputs(n->text, f);
        return;
    case LANG_BUS:
        fprintf(f, "~%s", n->text);
        return;
    case LANG_STR:
        fputc('"', f);
        fwrite(n->text, 1, n->len, f);
        fputc('"', f);
        return;
    case LANG_APP:    fputs("(app", f); break;
    case LANG_NEG:    fputs("(neg", f); break;
    case LANG_LIST:   fputs("(list", f); break;
    case LANG_TUPLE:  fputs("(tuple", f); break;
    case LANG_KWARG:  fprintf(f, "(:%s", n->text); break;
    case LANG_BINOP:  fprintf(f, "(%s", lang_op_text(n->op)); break;
    case LANG_SECTION:
        fputs("(section", f);
        if (n->flags & LANG_F_SECTION_L) {
            fputc(' ', f);
            lang_node_dump(f, n->kids[0]);
            fprintf(f, " %s)", lang_op_text(n->op));
            return;
        }
        fprintf(f, " %s", lang_op_text(n->op));
        break;
    }
    for (int i = 0; i < n->nkids; i++) {
        fputc(' ', f);
        lang_node_dump(f, n->kids[i]);
    }
    fputc(')', f);
}
