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
 * deeper than it; loops nest. A file without them is not touched.
 *
 * The expansion changes lines and columns, so it keeps a source map
 * (struct lang_srcmap): the expanded text as segments, each a run of bytes
 * copied from one place of the file, or a number or sum written for the
 * word at one place, with the loop iterations it was written in. The parser
 * and the compiler work in the expanded text; their errors and warnings are
 * moved back through the map (lang_srcmap_locate) to the file's line and
 * column, with the iteration named: "... (in for i = 3)".
 *
 * Bounds: a loop runs at most LOOP_MAX times and the expanded text is at
 * most TEXT_MAX bytes, else an error.
 */
#include "lang.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LOOP_MAX = 4096, TEXT_MAX = 8 << 20, ROUNDS = 8 };

/* The bytes of the expanded text from `out` on came from the file's byte
 * `src` on (or, for a substitution, all from the word at `src`), written in
 * iteration `it` (0: outside every loop). */
struct seg {
    size_t out, src;
    int it, subst;
};

/* One iteration of a loop: its variable's value, inside iteration parent. */
struct iter {
    int parent;
    long v;
    char var[64];
};

struct lang_srcmap {
    struct iter *it;                /* it[0]: outside every loop */
    int nit, capit;
    struct seg *seg;                /* of the final text, by out */
    int nseg;
    size_t *xline, *oline;          /* line starts: expanded text, file */
    int nxline, noline;
    size_t olen;
};

/* Text being written, with its segments. */
struct buf {
    char *s;
    size_t n, cap;
    struct seg *seg;
    int nseg, capseg;
    int over;                       /* past TEXT_MAX, or out of memory */
};

/* The loop iteration being written: the variable and its value. */
struct cur {
    const char *var;
    size_t vlen;
    long v;
    int cache_parent, cache_it;     /* the last iteration made for it */
};

static int grow(void **p, int *cap, int n, size_t size)
{
    if (n < *cap)
        return 0;
    int c = *cap ? *cap * 2 : 64;
    void *t = realloc(*p, (size_t)c * size);
    if (!t)
        return -1;
    *p = t;
    *cap = c;
    return 0;
}

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

/* A segment from b's end on, merged into the last one when it continues it. */
static void add_seg(struct buf *b, size_t src, int it, int subst)
{
    struct seg *l = b->nseg ? &b->seg[b->nseg - 1] : NULL;
    if (l && l->out == b->n) {
        b->nseg--;                              /* the last one is empty */
        l = b->nseg ? &b->seg[b->nseg - 1] : NULL;
    }
    if (l && l->subst == subst && l->it == it && (subst ? l->src == src : l->src + (b->n - l->out) == src))
        return;
    if (grow((void **)&b->seg, &b->capseg, b->nseg, sizeof *b->seg)) {
        b->over = 1;
        return;
    }
    b->seg[b->nseg++] = (struct seg){ b->n, src, it, subst };
}

/* The segment of `in` holding byte x (the last one that starts at or before it). */
static const struct seg *seg_at(const struct seg *seg, int nseg, size_t x)
{
    int lo = 0, hi = nseg - 1;
    while (lo < hi) {
        int mid = (lo + hi + 1) / 2;
        if (seg[mid].out <= x)
            lo = mid;
        else
            hi = mid - 1;
    }
    return &seg[lo];
}

static size_t origin(const struct seg *g, size_t x)
{
    return g->subst ? g->src : g->src + (x - g->out);
}

/* The iteration c (or none) inside iteration `parent`: a new entry, or the
 * last one made for c when its parent is the same. -1: out of memory. */
static int iteration(struct lang_srcmap *m, struct cur *c, int parent)
{
    if (!c)
        return parent;
    if (c->cache_it > 0 && c->cache_parent == parent)
        return c->cache_it;
    if (grow((void **)&m->it, &m->capit, m->nit, sizeof *m->it))
        return -1;
    struct iter *t = &m->it[m->nit];
    t->parent = parent;
    t->v = c->v;
    size_t n = c->vlen < sizeof t->var - 1 ? c->vlen : sizeof t->var - 1;
    memcpy(t->var, c->var, n);
    t->var[n] = '\0';
    c->cache_parent = parent;
    return c->cache_it = m->nit++;
}

/* Copy in's bytes [at, at + n) to o, their segments with them. */
static void copy(struct buf *o, const struct buf *in, size_t at, size_t n, struct lang_srcmap *m, struct cur *c)
{
    if (!n)
        return;
    const struct seg *g = seg_at(in->seg, in->nseg, at), *end = in->seg + in->nseg;
    for (size_t x = at; x < at + n && !o->over;) {
        size_t stop = g + 1 < end && g[1].out < at + n ? g[1].out : at + n;
        int it = iteration(m, c, g->it);
        if (it < 0) {
            o->over = 1;
            return;
        }
        add_seg(o, origin(g, x), it, g->subst);
        put(o, in->s + x, stop - x);
        x = stop;
        g++;
    }
}

/* Write text for in's byte `at` (a loop variable's word, a sum). */
static void subst(struct buf *o, const char *text, size_t n, const struct buf *in, size_t at,
                  struct lang_srcmap *m, struct cur *c)
{
    const struct seg *g = seg_at(in->seg, in->nseg, at);
    int it = iteration(m, c, g->it);
    if (it < 0) {
        o->over = 1;
        return;
    }
    add_seg(o, origin(g, at), it, 1);
    put(o, text, n);
}

static int word_char(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* 3 when s starts with a UTF-8 BOM (not text: the lexer skips it), else 0. */
static size_t bom(const char *s, size_t len)
{
    return len >= 3 && memcmp(s, "\xef\xbb\xbf", 3) == 0 ? 3 : 0;
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

/* One body line, in[at .. at + n), with the variable's value: ~name[var] ->
 * ~nameV, the word var -> V, strings left alone. */
static void subst_line(struct buf *o, const struct buf *in, size_t at, size_t n, struct lang_srcmap *m,
                       struct cur *c)
{
    const char *s = in->s + at, *var = c->var;
    size_t vlen = c->vlen, run = 0;
    char num[32];
    int nl = snprintf(num, sizeof num, "%ld", c->v);
    int quoted = 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == '"')
            quoted = !quoted;
        size_t skip = 0;
        if (!quoted && s[i] == '[' && i + 1 + vlen < n && memcmp(s + i + 1, var, vlen) == 0 &&
            s[i + 1 + vlen] == ']' && i > 0 && word_char((unsigned char)s[i - 1]))
            skip = vlen + 2;                    /* ~h[i] -> ~h3 */
        else if (!quoted && (i == 0 || !word_char((unsigned char)s[i - 1])) && i + vlen <= n &&
                 memcmp(s + i, var, vlen) == 0 && (i + vlen == n || !word_char((unsigned char)s[i + vlen])) &&
                 (i == 0 || !strchr("~:@%.", s[i - 1])))
            skip = vlen;
        if (!skip) {
            i++;
            continue;
        }
        copy(o, in, at + run, i - run, m, c);
        subst(o, num, (size_t)nl, in, at + i + (skip == vlen ? 0 : 1), m, c);
        i += skip;
        run = i;
    }
    copy(o, in, at + run, n - run, m, c);
}

/* Expand the outermost for loops of `in` once; *found tells whether there
 * was one. */
static int expand_for(const struct buf *in, struct buf *o, struct lang_srcmap *m, int *found, char *err,
                      size_t errcap)
{
    const char *s = in->s;
    size_t len = in->n, at = bom(s, len);
    *found = 0;
    copy(o, in, 0, at, m, NULL);
    while (at < len) {
        size_t eol = lang_eol(s, at, len), next = eol < len ? eol + 1 : len;
        size_t ind = indent(s + at, eol - at);
        struct cur c = { 0 };
        long a, b;
        if (!for_header(s + at + ind, eol - at - ind, &c.var, &c.vlen, &a, &b)) {
            copy(o, in, at, next - at, m, NULL);
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
        for (c.v = a; c.v <= b; c.v++) {
            c.cache_it = 0;
            for (size_t l = body; l < end;) {
                size_t e2 = lang_eol(s, l, len), i2 = indent(s + l, e2 - l);
                i2 = i2 < dedent ? i2 : dedent; /* nested loops keep their relative indentation */
                subst_line(o, in, l + i2, e2 - l - i2, m, &c);
                subst(o, "\n", 1, in, e2, m, &c);
                l = e2 < len ? e2 + 1 : len;
            }
        }
        at = end;
    }
    return 0;
}

/* sum(~name[A..B]) -> (~nameA + ... + ~nameB) */
static int expand_sum(const struct buf *in, struct buf *o, struct lang_srcmap *m, char *err, size_t errcap)
{
    const char *s = in->s;
    size_t len = in->n, run = 0;
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
                copy(o, in, run, i - run, m, NULL);
                subst(o, "(", 1, in, i, m, NULL);
                for (long v = a; v <= b; v++) {
                    char term[96];
                    int n = snprintf(term, sizeof term, "%s~%s%ld", v > a ? " + " : "", name, v);
                    put(o, term, (size_t)n);
                }
                put(o, a > b ? "0)" : ")", a > b ? 2 : 1);
                i += (size_t)used;
                run = i;
                continue;
            }
        }
        i++;
    }
    copy(o, in, run, len - run, m, NULL);
    return 0;
}

/* Does the text use a macro at all (a line starting with "for ", or "sum(~")? */
static int uses_macros(const char *s, size_t len)
{
    for (size_t at = bom(s, len); at < len;) {
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

/* The offsets at which the lines of s[0 .. len) start, as the lexer counts
 * them (lang_eol; a BOM is not text). -1: out of memory. */
static int line_starts(const char *s, size_t len, size_t **out, int *n)
{
    int cap = 0;
    *n = 0;
    *out = NULL;
    for (size_t at = bom(s, len);;) {
        if (grow((void **)out, &cap, *n, sizeof **out))
            return -1;
        (*out)[(*n)++] = at;
        size_t eol = lang_eol(s, at, len);
        if (eol >= len)
            return 0;
        at = eol + 1;
    }
}

static void buf_free(struct buf *b)
{
    free(b->s);
    free(b->seg);
}

void lang_srcmap_free(struct lang_srcmap *m)
{
    if (m) {
        free(m->it);
        free(m->seg);
        free(m->xline);
        free(m->oline);
        free(m);
    }
}

/* The source map of the expanded text x (its segments taken from x). */
static struct lang_srcmap *finish_map(struct lang_srcmap *m, struct buf *x, const char *src, size_t len)
{
    m->seg = x->seg;
    m->nseg = x->nseg;
    x->seg = NULL;
    m->olen = len;
    if (line_starts(x->s, x->n, &m->xline, &m->nxline) || line_starts(src, len, &m->oline, &m->noline)) {
        lang_srcmap_free(m);
        return NULL;
    }
    return m;
}

char *lang_expand_macros(const char *src, size_t len, size_t *outlen, struct lang_srcmap **map, char *err,
                         size_t errcap)
{
    err[0] = '\0';
    if (map)
        *map = NULL;
    if (!uses_macros(src, len))
        return NULL;
    struct lang_srcmap *m = calloc(1, sizeof *m);       /* m->it[0]: outside every loop */
    struct buf cur = { 0 };
    add_seg(&cur, 0, 0, 0);                     /* the file itself: one segment */
    put(&cur, src, len);
    if (m && !grow((void **)&m->it, &m->capit, 0, sizeof *m->it))
        m->it[m->nit++] = (struct iter){ 0 };
    if (!m || !m->nit || cur.over) {
        lang_srcmap_free(m);
        buf_free(&cur);
        snprintf(err, errcap, "out of memory");
        return NULL;
    }
    for (int round = 0; round < ROUNDS && !cur.over; round++) {
        struct buf o = { 0 };
        int found;
        put(&o, "", 0);
        if (expand_for(&cur, &o, m, &found, err, errcap)) {
            buf_free(&o);
            buf_free(&cur);
            lang_srcmap_free(m);
            return NULL;
        }
        buf_free(&cur);
        cur = o;
        if (!found)
            break;
    }
    struct buf o = { 0 };
    put(&o, "", 0);
    if (!cur.over && expand_sum(&cur, &o, m, err, errcap)) {
        buf_free(&o);
        buf_free(&cur);
        lang_srcmap_free(m);
        return NULL;
    }
    buf_free(&cur);
    if (!o.nseg)
        add_seg(&o, 0, 0, 0);                   /* nothing written: empty loops */
    if (o.over) {
        snprintf(err, errcap, "the for loops expand to more than %d MB of text", TEXT_MAX >> 20);
        buf_free(&o);
        lang_srcmap_free(m);
        return NULL;
    }
    if (map && !(*map = finish_map(m, &o, src, len))) {
        snprintf(err, errcap, "out of memory");
        buf_free(&o);
        return NULL;
    }
    if (!map)
        lang_srcmap_free(m);
    free(o.seg);
    *outlen = o.n;
    return o.s;
}

/* See lang.h. */
struct lang_pos lang_srcmap_pos(const struct lang_srcmap *m, struct lang_pos at, int *iter)
{
    if (iter)
        *iter = 0;
    if (!m || at.line <= 0)
        return at;
    int line = at.line <= m->nxline ? at.line : m->nxline;
    size_t x = m->xline[line - 1] + (size_t)(at.col > 0 ? at.col - 1 : 0);
    const struct seg *g = seg_at(m->seg, m->nseg, x);
    size_t o = origin(g, x);
    int lo = 0, hi = m->noline - 1;
    while (lo < hi) {                           /* the file's line holding o */
        int mid = (lo + hi + 1) / 2;
        if (m->oline[mid] <= o)
            lo = mid;
        else
            hi = mid - 1;
    }
    o = o > m->olen ? m->olen : o < m->oline[lo] ? m->oline[lo] : o;
    size_t col = o - m->oline[lo] + 1;
    if (iter)
        *iter = g->it;
    return (struct lang_pos){ lo + 1, at.col <= 0 ? 0 : col > 0x7fffffff ? 0x7fffffff : (int)col };
}

/* See lang.h. */
void lang_srcmap_locate(const struct lang_srcmap *m, struct lang_error *e)
{
    int it, chain[8], n = 0;
    struct lang_pos p = lang_srcmap_pos(m, (struct lang_pos){ e->line, e->col }, &it);
    e->line = p.line;
    e->col = p.col;
    for (int k = it; k > 0 && n < (int)(sizeof chain / sizeof *chain); k = m->it[k].parent)
        chain[n++] = k;
    if (!n)
        return;
    char where[192];
    size_t w = (size_t)snprintf(where, sizeof where, " (in for");
    for (int i = n - 1; i >= 0 && w < sizeof where; i--)        /* the outermost loop first */
        w += (size_t)snprintf(where + w, sizeof where - w, "%s %s = %ld", i < n - 1 ? "," : "",
                              m->it[chain[i]].var, m->it[chain[i]].v);
    size_t l = strlen(e->msg);
    snprintf(e->msg + l, sizeof e->msg - l, "%s)", where);
}
