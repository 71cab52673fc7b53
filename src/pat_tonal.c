/* pat_tonal.c -- scales, chords and arpeggios (issue 11: tonal).
 *
 * Meaning from Tidal: Sound.Tidal.Scales (scale, scaleList), Sound.Tidal.UI
 * (toScale, toScale', arp, arpeggiate, rolled, rolledBy) and
 * Sound.Tidal.Chords with ParseBP's chord syntax (chords in mini-notation).
 * Strudel-style scale names with a root ("c:minor") follow Strudel 1.2.6's
 * pitches (a root without octave is in octave 3), given as numbers as Tidal
 * gives them: semitones from c4.
 *
 * scale and toScale map values; arp and rolled look at all the events of a
 * query together (Tidal's withEvents): events that share a whole are one
 * chord, spread over (arp) or staggered inside (rolled) that whole. Both are
 * P_TONAL nodes, whose kid's events pat_tonal_events rewrites.
 */
#include "pat_tonal.h"
#include "pat_ops_impl.h"
#include "pat_tonal_strudel.h"
#include "pat_voicing.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TONAL_UNPAREN(...) __VA_ARGS__

/* ---- the tables ---------------------------------------------------------------- */

#define SCALE_STEPS(id, name, steps) static const double scale_##id[] = { TONAL_UNPAREN steps };
TONAL_SCALES(SCALE_STEPS)
#undef SCALE_STEPS

static const struct tonal_row {
    const char *name;
    const double *v;
    int n;
} scale_rows[] = {
#define SCALE_ROW(id, name, steps) { name, scale_##id, (int)(sizeof scale_##id / sizeof *scale_##id) },
    TONAL_SCALES(SCALE_ROW)
#undef SCALE_ROW
};

/* Strudel's scale names (pat_tonal_strudel.h), for names given with a root. */
#define STRUDEL_SCALE(name, steps) { name, (const double[]){ TONAL_UNPAREN steps }, \
                                     (int)(sizeof (double[]){ TONAL_UNPAREN steps } / sizeof (double)) },
static const struct tonal_row strudel_scale_rows[] = { TONAL_STRUDEL_SCALES(STRUDEL_SCALE) };
#undef STRUDEL_SCALE

#define CHORD_IV(id, name, iv) static const double chord_##id[] = { TONAL_UNPAREN iv };
TONAL_CHORDS(CHORD_IV)
#undef CHORD_IV

static const struct tonal_row chord_rows[] = {
#define CHORD_ROW(id, name, iv) { name, chord_##id, (int)(sizeof chord_##id / sizeof *chord_##id) },
    TONAL_CHORDS(CHORD_ROW)
#undef CHORD_ROW
};

static const char *const arp_names[] = {
#define ARP_NAME(e, name, desc) name,
    TONAL_ARPS(ARP_NAME)
#undef ARP_NAME
};

enum {
    NSCALES = sizeof scale_rows / sizeof *scale_rows,
    NSTRUDEL_SCALES = sizeof strudel_scale_rows / sizeof *strudel_scale_rows,
    NCHORDS = sizeof chord_rows / sizeof *chord_rows,
    CHORD_MAX = 64,             /* notes of one chord after its modifiers, at most */
};

static int row_find(const struct tonal_row *rows, int n, const char *name, size_t len, const double **v)
{
    for (int i = 0; i < n; i++)
        if (strlen(rows[i].name) == len && memcmp(rows[i].name, name, len) == 0) {
            *v = rows[i].v;
            return rows[i].n;
        }
    return 0;
}

int tonal_scale(const char *name, const double **steps)
{
    return row_find(scale_rows, NSCALES, name, strlen(name), steps);
}

int tonal_chord(const char *name, size_t len, const double **iv)
{
    return row_find(chord_rows, NCHORDS, name, len, iv);
}

const char *tonal_scale_list(void)
{
    return ""
#define SCALE_NAME(id, name, steps) name " "
        TONAL_SCALES(SCALE_NAME)
#undef SCALE_NAME
        ;
}

/* ---- chords (ParseBP's chord syntax, Chords.applyModifier) ---------------------------- */

/* One modifier group (the text between two quotes): o+ open, dN drop,
 * N range, iN or i+ inversions. Returns the new count or -1. */
static int chord_modifier(const char *m, size_t ml, double *ds, int n, int cap)
{
    double x;
    if (ml == 0)
        return -1;
    if (strspn(m, "o") >= ml) {
        for (size_t k = 0; k < ml && n > 2; k++) {
            double a = ds[0] - 12, b = ds[2] - 12, c = ds[1];
            ds[0] = a;
            ds[1] = b;
            ds[2] = c;
        }
        return n;
    }
    if (m[0] == 'd' && ml > 1 && val_parse_number(m + 1, ml - 1, &x) && x == floor(x) && x >= 0) {
        if (x > n || x == 0)                /* before the cast: d2888...8 overflowed an int */
            return n;
        int i = (int)x;
        int s = n - i;
        double d = ds[s] - 12;
        memmove(ds + 1, ds, sizeof *ds * (size_t)s);
        ds[0] = d;
        return n;
    }
    int inv = 0;
    if (m[0] == 'i' && ml > 1 && m[1] != 'i') {
        if (!val_parse_number(m + 1, ml - 1, &x) || x != floor(x) || x < 0 || x > CHORD_MAX)
            return -1;
        inv = (int)x;
    } else if (m[0] == 'i') {
        if (strspn(m, "i") < ml)
            return -1;
        inv = (int)ml;
    } else if (val_parse_number(m, ml, &x) && x == floor(x) && x >= 0 && x <= cap) {
        int take = (int)x, base = n;
        if (base == 0)
            return 0;                           /* an empty chord ('0 before) stays empty */
        for (int k = base; k < take; k++)
            ds[k] = ds[k % base] + 12 * (k / base);
        return take;
    } else {
        return -1;
    }
    for (int k = 0; k < inv && n > 0; k++) {
        double d = ds[0] + 12;
        memmove(ds, ds + 1, sizeof *ds * (size_t)(n - 1));
        ds[n - 1] = d;
    }
    return n;
}

int tonal_chord_notes(const char *s, size_t len, double *notes, int cap, const char **err)
{
    const char *q = memchr(s, '\'', len), *end = s + len;
    if (!q || q == s || q + 1 >= end)
        return 0;
    double root;
    char buf[32];
    size_t rl = (size_t)(q - s);
    if (rl >= sizeof buf)
        return 0;
    memcpy(buf, s, rl);
    buf[rl] = 0;
    if (!val_parse_number(buf, rl, &root)) {
        if (val_note_midi(buf, 4, &root))
            return 0;
        root -= 60;
    }
    const char *name = q + 1, *mods = memchr(name, '\'', (size_t)(end - name));
    size_t nl = (size_t)((mods ? mods : end) - name);
    const double *iv;
    int n = tonal_chord(name, nl, &iv);
    if (n == 0) {                           /* Tidal: an unknown name is the root alone */
        static const double root_only[] = { 0 };
        iv = root_only;
        n = 1;
    }
    if (n > cap)
        n = cap;
    for (int i = 0; i < n; i++)
        notes[i] = root + iv[i];
    while (mods) {
        const char *m = mods + 1;
        mods = memchr(m, '\'', (size_t)(end - m));
        n = chord_modifier(m, (size_t)((mods ? mods : end) - m), notes, n, cap);
        if (n < 0) {
            *err = "a chord modifier must be i, ii.., iN (inversions), o (open), dN (drop) or N (range)";
            return -1;
        }
    }
    return n;
}

/* ---- Tidal's numeric mini-notation ---------------------------------------------------- */

static size_t digits(const char *s, size_t i, size_t len)
{
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    return i;
}

int tonal_ratio(const char *s, size_t len, double *x)
{
    static const char chars[] = "whqestfx";
    static const double vals[] = { 1, 0.5, 0.25, 0.125, 0.0625, 1.0 / 3, 0.2, 1.0 / 6 };
    size_t i = 0;
    double sign = 1, v = 1;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        sign = s[i++] == '-' ? -1 : 1;
    size_t d = digits(s, i, len);
    if (d > i) {                                        /* intOrFloat, then a fraction */
        size_t e = d;
        if (e + 1 < len && s[e] == '.' && s[e + 1] >= '0' && s[e + 1] <= '9')
            e = digits(s, e + 1, len);
        size_t ex = e < len && s[e] == 'e' ? e + 1 + (e + 1 < len && s[e + 1] == '-') : e;
        if (ex > e && digits(s, ex, len) > ex)
            e = digits(s, ex, len);
        char buf[64];
        if (e - i >= sizeof buf)
            return 0;
        memcpy(buf, s + i, e - i);
        buf[e - i] = 0;
        v = strtod(buf, NULL);
        i = e;
        if (i < len && s[i] == '%') {
            size_t q = digits(s, i + 1, len);
            if (q == i + 1 || v != floor(v))
                return 0;
            memcpy(buf, s + i + 1, q - i - 1 < sizeof buf ? q - i - 1 : 0);
            buf[q - i - 1 < sizeof buf ? q - i - 1 : 0] = 0;
            v /= strtod(buf, NULL);
            i = q;
        }
    } else if (i == len) {
        return 0;
    }
    if (i < len) {
        const char *c = strchr(chars, s[i]);
        if (!c || !*c || i + 1 != len)
            return 0;
        v *= vals[c - chars];
        i++;
    }
    *x = sign * v;
    return i == len;
}

const struct pnode *pat_tonal_numeric(struct arena *a, const struct pnode *p)
{
    return pat_node1(a, P_TONAL, TK_NUMERIC, p);
}

/* "a..b" with whole numbers a and b: sets them, returns 1. */
static int enum_range(const char *s, double *a, double *b)
{
    const char *dd = strstr(s, "..");
    return dd && dd > s && val_parse_number(s, (size_t)(dd - s), a) && val_parse_number(dd + 2, strlen(dd + 2), b)
           && *a == floor(*a) && *b == floor(*b) && fabs(*b - *a) < PAT_MAX_COPIES;
}

/* ---- the node's rewrite ------------------------------------------------------------- */

static void tonal_fail(struct pat_ctx *c, int code, const char *msg)
{
    if (!c->err) {
        c->err = code;
        snprintf(c->msg, sizeof c->msg, "%s", msg);
    }
}

/* Tidal's subArc: the intersection, Nothing when disjoint or when a
 * zero-width result sits at the end of a non-zero arc. */
static int sub_arc(struct rat s, struct rat e, struct rat s2, struct rat e2, struct rat *ob, struct rat *oe)
{
    struct rat b = rat_max(s, s2), x = rat_min(e, e2);
    if (rat_eq(b, x) && ((rat_eq(b, e) && rat_lt(s, e)) || (rat_eq(b, e2) && rat_lt(s2, e2))))
        return 0;
    if (rat_gt(b, x))
        return 0;
    *ob = b;
    *oe = x;
    return 1;
}

/* A degree of scale v (n steps, oct semitones an octave) plus root. */
static double scale_note(const struct val *v, double oct, double root, double x)
{
    int n = (int)v->n;
    double d = floor(x), r = fmod(d, n);   /* exact at any size (a huge degree overflowed a long) */
    if (r < 0)
        r += n;
    long i = r >= 0 && r < n ? (long)r : 0; /* NaN: degree 0, and a NaN note */
    return v->u.list[i].u.num + oct * ((d - r) / n) + root;
}

/* Strudel's scale given a note name: the nearest note of the scale, the
 * higher on a tie, with the scale's root in the note's octave below. */
static double scale_snap(const struct val *v, double root, double note)
{
    double r = root - 12 * floor(root / 12), d = floor((note - r) / 12), best = 0, bd = (double)INFINITY;
    for (uint32_t i = 0; i <= v->n; i++) {
        double m = r + 12 * d + (i < v->n ? v->u.list[i].u.num : 12);
        if (fabs(m - note) <= bd) {
            bd = fabs(m - note);
            best = m;
        }
    }
    return best;
}

/* A map without key (Strudel's scale replaces n by note). */
static struct val map_without(struct arena *a, struct val m, const char *key)
{
    struct pat_kv *kv = ARENA_ARRAY(a, struct pat_kv, m.n ? m.n : 1);
    struct val r = { VAL_MAP, 0, { .map = kv } };
    if (!kv)
        return val_none();
    for (uint32_t i = 0; i < m.n; i++)
        if (strcmp(m.u.map[i].key, key) != 0)
            kv[r.n++] = m.u.map[i];
    return r;
}

/* One value through the scale: a degree (a number) or a note name snapped
 * to the scale (Strudel), as semitones from c4; -1 when it is neither. */
static int scale_value(const struct pnode *p, struct val v, double *out)
{
    double x;
    if (v.kind == VAL_NUM)
        x = v.u.num;
    else if (v.kind == VAL_STR && val_parse_number(v.u.str, strlen(v.u.str), &x))
        ;
    else if (v.kind == VAL_STR && p->x0 == 12 && val_note_midi(v.u.str, 3, &x) == 0) {
        *out = scale_snap(&p->v, p->x1, x - 60);
        return 0;
    } else
        return -1;
    if (!isfinite(x))
        return -1;
    *out = scale_note(&p->v, p->x0, p->x1, x);
    return 0;
}

/* Bare values become semitones; control maps take the degree from note or
 * else n and set note (n removed), as Strudel's scale does. */
static void scale_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    for (int i = from; i < out->n; i++) {
        struct val *v = &out->ev[i].v;
        const struct val *k = v->kind == VAL_MAP ? val_map_get(*v, "note") : v;
        if (!k)
            k = val_map_get(*v, "n");
        double x;
        if (!k || scale_value(p, *k, &x)) {
            tonal_fail(c, PAT_ERR_SILENT, "scale/toScale: the degrees must be numbers or note names "
                                          "(write n (scale \"major\" \"0 2 4\"))");
            return;
        }
        out->ev[i].scale = p;           /* Strudel's context.scale, for scaleTranspose */
        if (v->kind != VAL_MAP) {
            *v = val_num(x);
            continue;
        }
        *v = val_map_set(c->scratch, map_without(c->scratch, *v, "n"), "note", val_num(x));
        if (v->kind != VAL_MAP) {
            tonal_fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
            return;
        }
    }
}

struct keyed {
    const struct pat_ev *ev;
    int i;
};

static int cmp_whole(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    int r = rat_cmp(a->ev->wb, b->ev->wb);
    if (!r)
        r = rat_cmp(a->ev->we, b->ev->we);
    return r ? r : (a->i > b->i) - (a->i < b->i);
}

/* The order of a chord's n notes in arp mode (indices into out, which has
 * room for 4n + 4); returns the count. */
static int arp_order(int mode, int n, int *o)
{
    int k = 0, m;
    switch (mode) {
    case TONAL_ARP_UP: for (int i = 0; i < n; i++) o[k++] = i; return k;
    case TONAL_ARP_DOWN: for (int i = n - 1; i >= 0; i--) o[k++] = i; return k;
    case TONAL_ARP_UPDOWN: m = arp_order(TONAL_ARP_UP, n - 1, o); return m + arp_order(TONAL_ARP_DOWN, n, o + m) - 1;
    case TONAL_ARP_DOWNUP:
        for (int i = n - 1; i > 0; i--) o[k++] = i;
        for (int i = 0; i < n - 1; i++) o[k++] = i;
        return k;
    case TONAL_ARP_UPANDDOWN: m = arp_order(TONAL_ARP_UP, n, o); return m + arp_order(TONAL_ARP_DOWN, n, o + m);
    case TONAL_ARP_DOWNANDUP: m = arp_order(TONAL_ARP_DOWN, n, o); return m + arp_order(TONAL_ARP_UP, n, o + m);
    case TONAL_ARP_CONVERGE:
        for (int lo = 0, hi = n - 1; lo <= hi;) {
            o[k++] = lo++;
            if (lo <= hi)
                o[k++] = hi--;
        }
        return k;
    case TONAL_ARP_DIVERGE:
        m = arp_order(TONAL_ARP_CONVERGE, n, o + n);
        for (int i = 0; i < m; i++) o[i] = o[n + m - 1 - i];
        return m;
    case TONAL_ARP_DISCONVERGE:
        m = arp_order(TONAL_ARP_CONVERGE, n, o);
        for (int i = m - 2; i >= 0; i--) o[m + (m - 2 - i)] = o[i];
        return m > 0 ? 2 * m - 1 : 0;
    case TONAL_ARP_PINKYUP:
        for (int i = 0; i < n - 1; i++) { o[k++] = i; o[k++] = n - 1; }
        return k;
    case TONAL_ARP_THUMBUP:
        for (int i = 1; i < n; i++) { o[k++] = 0; o[k++] = i; }
        return k;
    case TONAL_ARP_PINKYUPDOWN:
    case TONAL_ARP_THUMBUPDOWN:
        m = arp_order(mode == TONAL_ARP_PINKYUPDOWN ? TONAL_ARP_PINKYUP : TONAL_ARP_THUMBUP, n, o);
        if (m == 0)
            return 0;
        for (int i = m - 1; i >= 1; i--) o[m - 1 + (m - 1 - i)] = o[i];
        return 2 * m - 2;
    default:
        return 0;
    }
}

/* One chord (events g[0..n) sharing a whole) arpeggiated or rolled into res. */
static void chord_events(struct pat_ctx *c, const struct pnode *p, const struct keyed *g, int n,
                         int *order, struct pat_evbuf *res)
{
    int d = p->op == TK_ARP ? arp_order(p->i0, n, order) : n;
    struct rat w = rat_sub(g[0].ev->we, g[0].ev->wb);
    for (int k = 0; k < d && !c->err; k++) {
        struct pat_ev ev = *g[p->op == TK_ARP ? order[k] : k].ev;
        struct rat dur = p->op == TK_ARP ? rat_div(w, rat_int(d))
                                         : rat_div(rat_mul(w, rat_make(llabs(p->r0.n), p->r0.d)), rat_int(d));
        if (p->op == TK_ROLL && p->r0.n < 0)
            ev = *g[n - 1 - k].ev;
        struct rat s = rat_add(ev.wb, rat_mul(dur, rat_int(k)));
        struct rat e = p->op == TK_ARP ? rat_add(s, dur) : ev.we;
        if (p->op == TK_ROLL && p->r0.n == 0)
            s = ev.wb;
        if (!sub_arc(s, e, ev.pb, ev.pe, &ev.pb, &ev.pe))
            continue;
        ev.wb = s;
        ev.we = e;
        if (res->n == res->cap) {
            tonal_fail(c, PAT_ERR_LIMIT, "the query would produce too many events");
            return;
        }
        res->ev[res->n++] = ev;
    }
}

/* arp and rolled: group events from..n of out by whole and rewrite them. */
static void group_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    int n = out->n - from, cap = out->n + 4 * n + 4;
    if (cap > c->max_events)
        cap = c->max_events;
    struct keyed *k = ARENA_ARRAY(c->scratch, struct keyed, n ? n : 1);
    int *order = ARENA_ARRAY(c->scratch, int, 4 * (size_t)n + 8);
    struct pat_evbuf res = { ARENA_ARRAY(c->scratch, struct pat_ev, cap), from, cap };
    if (!k || !order || !res.ev) {
        tonal_fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        return;
    }
    if (from)
        memcpy(res.ev, out->ev, sizeof *res.ev * (size_t)from);
    int m = 0;
    for (int i = 0; i < n; i++) {
        const struct pat_ev *ev = &out->ev[from + i];
        if (ev->has_whole) {
            k[m].ev = ev;
            k[m].i = i;
            m++;
        } else if (p->op == TK_ROLL) {
            res.ev[res.n++] = *ev;          /* rolled leaves signals as they are */
        }
    }
    qsort(k, (size_t)m, sizeof *k, cmp_whole);
    for (int i = 0, j; i < m && !c->err; i = j) {
        for (j = i + 1; j < m && rat_eq(k[j].ev->wb, k[i].ev->wb) && rat_eq(k[j].ev->we, k[i].ev->we); j++)
            ;
        chord_events(c, p, k + i, j - i, order, &res);
    }
    *out = res;
}

/* TK_NUMERIC: each event "a..b" becomes |b - a| + 1 steps inside its whole
 * (Tidal's enumFromTo', downwards when b < a). */
static void numeric_events(struct pat_ctx *c, struct pat_evbuf *out, int from)
{
    double a, b;
    long extra = 0;
    for (int i = from; i < out->n; i++)
        if (out->ev[i].v.kind == VAL_STR && out->ev[i].has_whole && enum_range(out->ev[i].v.u.str, &a, &b))
            extra += (long)fabs(b - a);
    if (extra == 0)
        return;
    if (out->n + extra > c->max_events) {
        tonal_fail(c, PAT_ERR_LIMIT, "the query would produce too many events");
        return;
    }
    struct pat_evbuf res = { ARENA_ARRAY(c->scratch, struct pat_ev, out->n + extra), from, out->n + (int)extra };
    if (!res.ev) {
        tonal_fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        return;
    }
    if (from)
        memcpy(res.ev, out->ev, sizeof *res.ev * (size_t)from);
    for (int i = from; i < out->n; i++) {
        const struct pat_ev *ev = &out->ev[i];
        if (!(ev->v.kind == VAL_STR && ev->has_whole && enum_range(ev->v.u.str, &a, &b))) {
            res.ev[res.n++] = *ev;
            continue;
        }
        int k = (int)fabs(b - a) + 1;
        struct rat w = rat_div(rat_sub(ev->we, ev->wb), rat_int(k));
        for (int j = 0; j < k; j++) {
            struct pat_ev x = *ev;
            x.wb = rat_add(ev->wb, rat_mul(w, rat_int(j)));
            x.we = rat_add(x.wb, w);
            x.v = val_num(a + (b < a ? -j : j));
            x.pb = rat_max(x.wb, ev->pb);
            x.pe = rat_min(x.we, ev->pe);
            if (rat_lt(x.pb, x.pe) || (rat_eq(x.pb, x.pe) && rat_eq(ev->pb, ev->pe) && rat_eq(x.pb, x.wb)))
                res.ev[res.n++] = x;
        }
    }
    *out = res;
}

const struct pnode *pat_tonal_chords(struct arena *a, const struct pnode *p)
{
    return pat_node1(a, P_TONAL, TK_CHORDS, p);
}

/* The text of v (a string, or a list of pieces) into buf; its length or -1. */
static int join_text(struct val v, char *buf, int at, int cap)
{
    if (v.kind == VAL_LIST) {
        for (uint32_t i = 0; i < v.n && at >= 0; i++)
            at = join_text(v.u.list[i], buf, at, cap);
        return at;
    }
    char num[32];
    const char *t = v.kind == VAL_STR ? v.u.str : num;
    if (v.kind == VAL_NUM)
        val_format_num(v.u.num, num, sizeof num);
    else if (v.kind != VAL_STR)
        return -1;
    int l = (int)strlen(t);
    if (at + l >= cap)
        return -1;
    memcpy(buf + at, t, (size_t)l + 1);
    return at + l;
}

/* TK_CHORDS: each event's chord text becomes its notes (same whole and part). */
static void chords_events(struct pat_ctx *c, struct pat_evbuf *out, int from)
{
    enum { MAXN = 64 };
    int n = out->n - from;
    if ((long)from + (long)n * MAXN > c->max_events && n) {
        tonal_fail(c, PAT_ERR_LIMIT, "the query would produce too many events");
        return;
    }
    struct pat_evbuf res = { ARENA_ARRAY(c->scratch, struct pat_ev, from + n * MAXN + 1), from, from + n * MAXN + 1 };
    if (!res.ev) {
        tonal_fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        return;
    }
    if (from)
        memcpy(res.ev, out->ev, sizeof *res.ev * (size_t)from);
    for (int i = from; i < out->n; i++) {
        char text[256];
        double notes[MAXN];
        const char *err = NULL;
        int l = join_text(out->ev[i].v, text, 0, sizeof text);
        int k = l < 0 ? 0 : tonal_chord_notes(text, (size_t)l, notes, MAXN, &err);
        if (k < 0) {
            tonal_fail(c, PAT_ERR_SILENT, err);
            return;
        }
        if (k == 0)
            tonal_fail(c, PAT_ERR_SILENT, "a chord's patterned part does not make a chord");
        for (int j = 0; j < k; j++) {
            res.ev[res.n] = out->ev[i];
            res.ev[res.n++].v = val_num(notes[j]);
        }
    }
    *out = res;
}

/* ---- Strudel's transpose and rootNotes (note names as tonal spells them) -------------- */

static const int natural[7] = { 0, 2, 4, 5, 7, 9, 11 };     /* C D E F G A B */

/* tonal's Note.transpose(note, Interval.fromSemitones(n)) for a note name
 * [a-gA-G](#*|b*)(-?[0-9]+)? and whole n, into buf; 0, or -1 when s is not
 * such a name (Strudel leaves those values as they are). */
static int transpose_name(const char *s, double semis, char *buf, size_t cap)
{
    const char *L = "CDEFGAB", *l = *s ? strchr(L, s[0] & ~0x20) : NULL;
    if (!l || !*l || semis != floor(semis) || fabs(semis) > 1000)
        return -1;
    int step = (int)(l - L), alt = 0, i = 1, has_oct = 0;
    long oct = 4;
    while (s[i] == '#' || s[i] == 'b')
        alt += s[i++] == '#' ? 1 : -1;
    if (s[i]) {
        char *end;
        oct = strtol(s + i, &end, 10);
        if (*end || end == s + i)
            return -1;
        /* beyond 10^15 octaves Strudel's arithmetic (doubles) is no longer
         * exact and ours would overflow (oct * 12): left as it is */
        if (oct > 1000000000000000L || oct < -1000000000000000L)
            return -1;
        has_oct = 1;
    }
    int n = (int)fabs(semis), dir = semis < 0 ? -1 : 1;
    static const int inum[12] = { 1, 2, 2, 3, 3, 4, 5, 5, 6, 6, 7, 7 };
    long steps = dir * (inum[n % 12] - 1 + 7 * (n / 12));
    long pitch = oct * 12 + natural[step] + alt + (long)semis;
    long to = step + steps, to_oct = oct + (to >= 0 ? to / 7 : -((6 - to) / 7));
    int to_step = (int)(((to % 7) + 7) % 7);
    long to_alt = pitch - (to_oct * 12 + natural[to_step]);
    if (labs(to_alt) > 20)
        return -1;
    size_t k = 0;
    buf[k++] = L[to_step];
    for (long a = 0; a < labs(to_alt) && k + 1 < cap; a++)
        buf[k++] = to_alt > 0 ? '#' : 'b';
    buf[k] = 0;
    if (has_oct)
        snprintf(buf + k, cap - k, "%ld", to_oct);
    return 0;
}

static void transpose_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    for (int i = from; i < out->n; i++) {
        struct val *v = &out->ev[i].v;
        const struct val *note = v->kind == VAL_MAP ? val_map_get(*v, "note") : v;
        if (!note)
            continue;
        struct val x = *note;
        char buf[64];
        if (x.kind == VAL_NUM)
            x = val_num(x.u.num + p->x0);
        else if (x.kind == VAL_STR && transpose_name(x.u.str, p->x0, buf, sizeof buf) == 0) {
            char *t = arena_strndup(c->scratch, buf, strlen(buf));
            if (!t) {
                tonal_fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
                return;
            }
            x = val_str(t);
        } else {
            continue;
        }
        *v = v->kind == VAL_MAP ? val_map_set(c->scratch, *v, "note", x) : x;
    }
}

static void rootnotes_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    for (int i = from; i < out->n; i++) {
        struct val *v = &out->ev[i].v;
        const struct val *ch = v->kind == VAL_MAP ? val_map_get(*v, "chord") : NULL;     /* issue 11: voicing's chord */
        const char *s = v->kind == VAL_STR ? v->u.str : ch && ch->kind == VAL_STR ? ch->u.str : NULL;
        if (!s || !strchr("abcdefgABCDEFG", s[0]) || !s[0]) {
            tonal_fail(c, PAT_ERR_SILENT, "rootNotes: the values must be chord symbols (C^7, Am7)");
            return;
        }
        char buf[64];
        size_t k = (s[1] == 'b' || s[1] == '#') ? 2 : 1;
        memcpy(buf, s, k);
        val_format_num(p->x0, buf + k, sizeof buf - k);
        double midi;
        if (ch && val_note_midi(buf, 3, &midi) == 0) {      /* Strudel's { note }, as semitones from c4 */
            *v = val_map_set(c->scratch, (struct val){ VAL_MAP, 0, { .map = NULL } }, "note", val_num(midi - 60));
            continue;
        }
        char *t = arena_strndup(c->scratch, buf, strlen(buf));
        if (!t) {
            tonal_fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
            return;
        }
        *v = val_str(t);
    }
}

/* ---- Strudel's scaleTranspose (issue 11 strans) ---------------------------------------- */

/* Note x of scale s (root x1, steps v, x0 semitones an octave) moved m steps
 * in it, walking the scale's notes as Strudel's tonal does (|m| rounded up);
 * -1 when x is not a note of the scale. */
static int scale_step(const struct pnode *s, double x, double m, double *to)
{
    int n = (int)s->v.n;
    double oct = s->x0;
    m = m < 0 ? -ceil(-m) : ceil(m);
    for (int k = 0; k < n && fabs(m) < 1e9; k++) {
        double o = (x - s->x1 - s->v.u.list[k].u.num) / oct;
        if (fabs(o - round(o)) > 1e-9)
            continue;
        double j = k + m, up = floor(j / n);
        *to = s->x1 + s->v.u.list[(int)(j - up * n)].u.num + oct * (round(o) + up);
        return 0;
    }
    return -1;
}

/* TK_STRANS: a bare value, or a map's note (else n), moved x0 steps in the
 * scale of its event (the one scale gave it; Strudel's context.scale). */
static void strans_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    for (int i = from; i < out->n; i++) {
        struct pat_ev *ev = &out->ev[i];
        const char *key = ev->v.kind != VAL_MAP ? NULL : val_map_get(ev->v, "note") ? "note" : "n";
        const struct val *x = key ? val_map_get(ev->v, key) : &ev->v;
        double to;
        if (!ev->scale) {
            tonal_fail(c, PAT_ERR_SILENT, "scaleTranspose: it moves notes a scale made: "
                                          "apply it after scale (\"0 2\" $ scale \"c:major\" $ scaleTranspose 1)");
            return;
        }
        if (!x || x->kind != VAL_NUM || scale_step(ev->scale, x->u.num, p->x0, &to)) {
            tonal_fail(c, PAT_ERR_SILENT, "scaleTranspose: a note is not in its scale (or not a number)");
            return;
        }
        ev->v = key ? val_map_set(c->scratch, ev->v, key, val_num(to)) : val_num(to);
        if (key && ev->v.kind != VAL_MAP) {
            tonal_fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
            return;
        }
    }
}

void pat_tonal_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    if (p->op == TK_STRANS)
        strans_events(c, p, out, from);
    else if (p->op == TK_TRANSPOSE)
        transpose_events(c, p, out, from);
    else if (p->op == TK_ROOTNOTES)
        rootnotes_events(c, p, out, from);
    else if (p->op == TK_CHORDS)
        chords_events(c, out, from);
    else if (p->op == TK_VOICING)
        pat_voicing_events(c, p, out, from);
    else if (p->op == TK_NUMERIC)
        numeric_events(c, out, from);
    else if (p->op == TK_SCALE)
        scale_events(c, p, out, from);
    else
        group_events(c, p, out, from);
}

/* ---- the builders (rows of PAT_OPS) --------------------------------------------------------- */

static struct pnode *tonal_node(const struct op_args *A, enum tonal_kind k)
{
    return pat_node1(A->a, P_TONAL, k, A->p);
}

/* A scale node over steps v[0..n), oct semitones an octave, plus root. */
static const struct pnode *scale_node(const struct op_args *A, const double *v, int n, double oct, double root)
{
    if (n == 0)
        return pat_silence();
    struct val *l = ARENA_ARRAY(A->a, struct val, n);
    struct pnode *p = l ? pat_node1(A->a, P_TONAL, TK_SCALE, pat_tonal_numeric(A->a, A->p)) : NULL;
    if (!p)
        return NULL;
    for (int i = 0; i < n; i++)
        l[i] = val_num(v[i]);
    p->v.kind = VAL_LIST;
    p->v.n = (uint32_t)n;
    p->v.u.list = l;
    p->x0 = oct;
    p->x1 = root;
    return p;
}

/* scale NAME: Tidal's name ("major"), or Strudel's root and name ("c:minor",
 * "a4:dorian": the mini-notation's list), the root in octave 3 by default.
 * A name with a root is Strudel's: its words are the list's other items
 * ("c:bebop:major" is Strudel's "C bebop major"), looked up in Strudel's
 * dictionary, then in Tidal's table (which Strudel does not have). */
const struct pnode *op_scale(const struct op_args *A)
{
    struct val v = A->v[0];
    double root = 0;
    char words[128] = "";
    const char *name = v.kind == VAL_STR ? v.u.str : NULL;
    if (v.kind == VAL_LIST && v.n >= 2 && v.u.list[0].kind == VAL_STR) {
        if (val_note_midi(v.u.list[0].u.str, 3, &root)) {
            *A->err = "the root of a scale (before ':') must be a note name, as in \"c:minor\"";
            return NULL;
        }
        root -= 60;
        size_t o = 0;
        for (uint32_t i = 1; i < v.n && v.u.list[i].kind == VAL_STR && o < sizeof words; i++)
            o += (size_t)snprintf(words + o, sizeof words - o, "%s%s", i > 1 ? " " : "", v.u.list[i].u.str);
        name = o < sizeof words ? words : NULL;
    }
    const double *steps;
    int n = 0;
    if (name && words[0])
        n = row_find(strudel_scale_rows, NSTRUDEL_SCALES, name, strlen(name), &steps);
    if (name && !n)
        n = tonal_scale(name, &steps);
    if (!n) {
        *A->err = "unknown scale name (scaleList has them all: major minor dorian ritusen ...; "
                  "with a root, Strudel's too: \"c:bebop:major\")";
        return NULL;
    }
    if (words[0]) {     /* issue 11 tidal5: Strudel's note names */
        struct op_args B = *A;
        if (!(B.p = pat_keep_note_names(A->a, A->p)))
            return NULL;
        return scale_node(&B, steps, n, 12, root);
    }
    return scale_node(A, steps, n, 12, root);
}

static const struct pnode *to_scale(const struct op_args *A, struct val l, double oct)
{
    double v[256];
    if (l.kind != VAL_LIST || l.n > 256) {
        *A->err = "toScale: expected a list of at most 256 numbers [0, 2, 4]";
        return NULL;
    }
    for (uint32_t i = 0; i < l.n; i++) {
        if (l.u.list[i].kind != VAL_NUM) {
            *A->err = "toScale: the scale must be a list of numbers [0, 2, 4]";
            return NULL;
        }
        v[i] = l.u.list[i].u.num;
    }
    return scale_node(A, v, (int)l.n, oct, 0);
}

const struct pnode *op_toscale(const struct op_args *A) { return to_scale(A, A->v[0], 12); }
const struct pnode *op_toscaleoct(const struct op_args *A) { return to_scale(A, A->v[1], A->x[0]); }

const struct pnode *op_scalelist(const struct op_args *A)
{
    return pat_pure(A->a, val_str(tonal_scale_list()));
}

const struct pnode *op_arp(const struct op_args *A)
{
    struct val v = A->v[0];
    for (int i = 0; v.kind == VAL_STR && i < TONAL_ARP_COUNT; i++)
        if (strcmp(arp_names[i], v.u.str) == 0) {
            struct pnode *p = tonal_node(A, TK_ARP);
            if (p)
                p->i0 = i;
            return p;
        }
    *A->err = "unknown arp mode (up down updown downup up&down down&up converge diverge "
              "disconverge pinkyup pinkyupdown thumbup thumbupdown)";
    return NULL;
}

const struct pnode *op_arpeggiate(const struct op_args *A)
{
    struct pnode *p = tonal_node(A, TK_ARP);
    if (p)
        p->i0 = TONAL_ARP_UP;
    return p;
}

static const struct pnode *rolled_by(const struct op_args *A, struct rat t)
{
    struct pnode *p = tonal_node(A, TK_ROLL);
    if (p)
        p->r0 = t;
    return p;
}

const struct pnode *op_rolled(const struct op_args *A) { return rolled_by(A, rat_make(1, 4)); }
const struct pnode *op_rolledby(const struct op_args *A) { return rolled_by(A, A->r[0]); }

static const struct pnode *by_number(const struct op_args *A, enum tonal_kind k)
{
    struct pnode *p = tonal_node(A, k);
    if (p)
        p->x0 = A->x[0];
    return p;
}

const struct pnode *op_transpose(const struct op_args *A) { return by_number(A, TK_TRANSPOSE); }
const struct pnode *op_rootnotes(const struct op_args *A) { return by_number(A, TK_ROOTNOTES); }

/* scaleTranspose: each event's note moved n steps in the scale it came from
 * (TK_STRANS, below): Strudel's, through the events' context. */
const struct pnode *op_scaletranspose(const struct op_args *A) { return by_number(A, TK_STRANS); }
