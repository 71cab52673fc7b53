/* lang_macro.c -- the phonon family's text macros, expanded before lexing.
 *
 * The Rust phonon project expands two constructs on the source text before
 * it parses (its macro_expander); a file of that family means the same here:
 *
 *     for i in 1..4:                  the indented lines below, once for each
 *         ~h[i] $ sine (220 * i)      i from 1 to 4 (both ends included), with
 *                                     ~h[i] written ~h1 .. ~h4 and the word i
 *                                     the number (outside strings)
 *     sum(~h[1..4])                   (~h1 + ~h2 + ~h3 + ~h4)
 *
 * A loop's body is the lines after its header that are blank or indented
 * deeper than it; loops nest. The expansion changes the line count, so a
 * file that uses them is reported on with positions in the expanded text
 * (the diagnostics print that text's lines). A file without them is not
 * touched.
 *
 * Bounds: a loop runs at most LOOP_MAX times and the expanded text is at
 * most TEXT_MAX bytes, else an error.
 */
#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LOOP_MAX = 4096, TEXT_MAX = 8 << 20, ROUNDS = 8 };

struct buf {
    char *s;
    size_t n, cap;
    int over;                       /* past TEXT_MAX, or out of memory */
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->over)
        return;
    if (b->n + n + 1 > TEXT_MAX) {
        b->over = 1;
        return;
    }
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *t = realloc(b->s, cap);
        if (!t) {
            b->over = 1;
            return;
        }
        b->s = t;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

static int word_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static size_t indent(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i;
}

/* "for VAR in A..B" with an optional ':' (the whole trimmed line): 1 with
 * the variable and range, else 0. */
static int for_header(const char *s, size_t n, const char **var, size_t *vlen, long *a, long *b)
{
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n && s[n - 1] == ':')
        n--;
    char line[256];
    if (n < 4 || n >= sizeof line || memcmp(s, "for", 3) != 0 || (s[3] != ' ' && s[3] != '\t'))
        return 0;
    memcpy(line, s, n);
    line[n] = '\0';
    char name[64];
    int used = 0;
    if (sscanf(line, "for %63[A-Za-z0-9_] in %ld..%ld%n", name, a, b, &used) != 3 || (size_t)used != n)
        return 0;
    *var = strstr(s + 3, name);
    *vlen = strlen(name);
    return 1;
}

/* One body line with the variable's value: ~name[var] -> ~nameV, the word
 * var -> V, strings left alone. */
static void subst_line(struct buf *o, const char *s, size_t n, const char *var, size_t vlen, long v)
{
    char num[32];
    int nl = snprintf(num, sizeof num, "%ld", v);
    int quoted = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '"')
            quoted = !quoted;
        if (!quoted && s[i] == '[' && i + 1 + vlen < n && memcmp(s + i + 1, var, vlen) == 0 &&
            s[i + 1 + vlen] == ']' && i > 0 && word_char((unsigned char)s[i - 1])) {
            put(o, num, (size_t)nl);            /* ~h[i] -> ~h3 */
            i += vlen + 2;
            continue;
        }
        if (!quoted && (i == 0 || !word_char((unsigned char)s[i - 1])) && i + vlen <= n &&
            memcmp(s + i, var, vlen) == 0 && (i + vlen == n || !word_char((unsigned char)s[i + vlen])) &&
            (i == 0 || !strchr("~:@%.", s[i - 1]))) {
            put(o, num, (size_t)nl);
            i += vlen;
            continue;
        }
        put(o, s + i, 1);
        i++;
    }
}

/* Expand the outermost for loops of s once; *found tells whether there was one. */
static int expand_for(const char *s, size_t len, struct buf *o, int *found, char *err, size_t errcap)
{
    size_t at = 0;
    *found = 0;
    while (at < len) {
        size_t eol = lang_eol(s, at, len), next = eol < len ? eol + 1 : len;
        size_t ind = indent(s + at, eol - at);
        const char *var;
        size_t vlen;
        long a, b;
        if (!for_header(s + at + ind, eol - at - ind, &var, &vlen, &a, &b)) {
            put(o, s + at, next - at);
            at = next;
            continue;
        }
        *found = 1;
        if (b - a >= LOOP_MAX || a - b >= LOOP_MAX) {
            snprintf(err, errcap, "for loop over %ld..%ld: at most %d iterations", a, b, LOOP_MAX);
            return -1;
        }
        size_t body = next, end = next;
        while (end < len) {                     /* blank lines or deeper indentation */
            size_t e2 = lang_eol(s, end, len), i2 = indent(s + end, e2 - end);
            if (i2 < e2 - end && i2 <= ind)
                break;
            end = e2 < len ? e2 + 1 : len;
        }
        size_t dedent = 0;                      /* the first body line's indentation */
        for (size_t l = body; l < end && !dedent;) {
            size_t e2 = lang_eol(s, l, len), i2 = indent(s + l, e2 - l);
            dedent = i2 < e2 - l ? i2 : 0;
            l = e2 < len ? e2 + 1 : len;
        }
        for (long v = a; v <= b; v++) {
            for (size_t l = body; l < end;) {
                size_t e2 = lang_eol(s, l, len), i2 = indent(s + l, e2 - l);
                i2 = i2 < dedent ? i2 : dedent; /* nested loops keep their relative indentation */
                subst_line(o, s + l + i2, e2 - l - i2, var, vlen, v);
                put(o, "\n", 1);
                l = e2 < len ? e2 + 1 : len;
            }
        }
        at = end;
    }
    return 0;
}

/* sum(~name[A..B]) -> (~nameA + ... + ~nameB) */
static int expand_sum(const char *s, size_t len, struct buf *o, char *err, size_t errcap)
{
    for (size_t i = 0; i < len;) {
        char name[64];
        long a, b;
        int used = 0;
        if (i + 5 < len && memcmp(s + i, "sum(~", 5) == 0 && (i == 0 || !word_char((unsigned char)s[i - 1]))) {
            char tail[160];
            size_t k = len - i < sizeof tail - 1 ? len - i : sizeof tail - 1;
            memcpy(tail, s + i, k);
            tail[k] = '\0';
            if (sscanf(tail, "sum(~%63[A-Za-z0-9_][%ld..%ld])%n", name, &a, &b, &used) == 3 && used > 0) {
                if (b - a >= LOOP_MAX || a - b >= LOOP_MAX) {
                    snprintf(err, errcap, "sum over %ld..%ld: at most %d terms", a, b, LOOP_MAX);
                    return -1;
                }
                put(o, "(", 1);
                for (long v = a; v <= b; v++) {
                    char term[96];
                    int n = snprintf(term, sizeof term, "%s~%s%ld", v > a ? " + " : "", name, v);
                    put(o, term, (size_t)n);
                }
                put(o, a > b ? "0)" : ")", a > b ? 2 : 1);
                i += (size_t)used;
                continue;
            }
        }
        put(o, s + i, 1);
        i++;
    }
    return 0;
}

/* Does the text use a macro at all (a line starting with "for ", or "sum(~")? */
static int uses_macros(const char *s, size_t len)
{
    for (size_t at = 0; at < len;) {
        size_t eol = lang_eol(s, at, len), ind = indent(s + at, eol - at);
        if (eol - at - ind > 4 && memcmp(s + at + ind, "for", 3) == 0 &&
            (s[at + ind + 3] == ' ' || s[at + ind + 3] == '\t'))
            return 1;
        at = eol < len ? eol + 1 : len;
    }
    for (size_t i = 0; i + 5 <= len; i++)
        if (memcmp(s + i, "sum(~", 5) == 0)
            return 1;
    return 0;
}

char *lang_expand_macros(const char *src, size_t len, size_t *outlen, char *err, size_t errcap)
{
    err[0] = '\0';
    if (!uses_macros(src, len))
        return NULL;
    struct buf cur = { 0 };
    put(&cur, src, len);
    for (int round = 0; round < ROUNDS && !cur.over; round++) {
        struct buf o = { 0 };
        int found;
        put(&o, "", 0);
        if (expand_for(cur.s, cur.n, &o, &found, err, errcap)) {
            free(o.s);
            free(cur.s);
            return NULL;
        }
        free(cur.s);
        cur = o;
        if (!found)
            break;
    }
    struct buf o = { 0 };
    put(&o, "", 0);
    if (!cur.over && expand_sum(cur.s, cur.n, &o, err, errcap)) {
        free(o.s);
        free(cur.s);
        return NULL;
    }
    free(cur.s);
    if (o.over) {
        snprintf(err, errcap, "the for loops expand to more than %d MB of text", TEXT_MAX >> 20);
        free(o.s);
        return NULL;
    }
    *outlen = o.n;
    return o.s;
}
