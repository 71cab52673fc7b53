/* pat_core.c -- querying patterns.
 *
 * A pattern is a tree of immutable nodes; qry() answers "which events of this
 * node touch [b, e)?" by recursing into the children with transformed spans
 * and transforming the answers. The node kinds are the primitives Strudel
 * builds everything from (pure, signal, stack, time shift and scale,
 * splitting at cycles, fastGap, zoom, rev, slowcat, the three applicative
 * combinations, the joins); pat_ops.c composes the transforms of the language
 * from them, mirroring Strudel's definitions so that the cuts ("fragments")
 * come out exactly where the reference puts them.
 *
 * Events are appended to the caller's buffer; a node that post-processes its
 * child's events (shift, scale, filter) queries into the same buffer and
 * rewrites the new tail in place, so most queries need no temporary lists.
 * Every buffer, and every node that a patterned argument builds while
 * querying, comes from the context's scratch arena.
 *
 * Functions (transforms passed as arguments: `every 3 (fast 2)`) are node
 * trees with P_HOLE leaves. P_CALL binds the hole to its argument for the
 * duration of the query of the body, through `struct env` on the C stack;
 * the argument is queried in the environment where the call was made. The
 * random seed is dynamic state (Strudel keeps it in the query's controls), so
 * it travels with the span, not with the environment.
 */
#include "pat.h"
#include "pat_tonal.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct env {
    const struct pnode *hole;       /* what P_HOLE stands for here */
    const struct env *hole_env;     /* ...and the environment to query it in */
};

/* The query in progress that a P_HOOK node's query continues (pat.h). */
struct pat_sub {
    struct pat_ctx *c;
    const struct env *env;
    double seed;
};

struct span {
    struct rat b, e;
};

static int qry(struct pat_ctx *c, const struct pnode *p, const struct env *env,
               struct rat b, struct rat e, double seed, struct pat_evbuf *out);

/* ---- errors, limits, buffers --------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static int fail(struct pat_ctx *c, int code, const char *fmt, ...)
{
    if (!c->err) {
        c->err = code;
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->msg, sizeof c->msg, fmt, ap);
        va_end(ap);
    }
    return c->err;
}

void pat_ctx_init(struct pat_ctx *c, struct arena *scratch)
{
    memset(c, 0, sizeof *c);
    c->scratch = scratch;
    c->max_events = PAT_MAX_EVENTS;
    c->max_work = PAT_MAX_WORK;
    c->max_depth = 2 * PAT_MAX_DEPTH;
    c->rshift = rat_int(0);
}

static struct pat_ev *ev_push(struct pat_ctx *c, struct pat_evbuf *o)
{
    if (o->n == o->cap) {
        if (o->n >= c->max_events) {
            fail(c, PAT_ERR_LIMIT, "the query would produce more than %d events", c->max_events);
            return NULL;
        }
        int ncap = o->cap ? o->cap * 2 : 8;
        if (ncap > c->max_events)
            ncap = c->max_events;
        struct pat_ev *ne = ARENA_ARRAY(c->scratch, struct pat_ev, ncap);
        if (!ne) {
            fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
            return NULL;
        }
        if (o->n)
            memcpy(ne, o->ev, sizeof *ne * (size_t)o->n);
        o->ev = ne;
        o->cap = ncap;
    }
    o->ev[o->n].scale = NULL;
    return &o->ev[o->n++];
}

static int work(struct pat_ctx *c)
{
    if (++c->work > c->max_work)
        return fail(c, PAT_ERR_LIMIT, "the query is too complex (more than %ld steps)", c->max_work);
    return c->err;
}

/* ---- span helpers -------------------------------------------------------- */

/* TimeSpan.intersection: empty when disjoint, and a point intersection at
 * the end of a non-empty span does not count. */
static int sect(struct rat ab, struct rat ae, struct rat bb, struct rat be,
                struct rat *rb, struct rat *re)
{
    struct rat ib = rat_max(ab, bb), ie = rat_min(ae, be);
    int cmp = rat_cmp(ib, ie);
    if (cmp > 0)
        return 0;
    if (cmp == 0) {
        if (rat_eq(ib, ae) && rat_lt(ab, ae))
            return 0;
        if (rat_eq(ib, be) && rat_lt(bb, be))
            return 0;
    }
    *rb = ib;
    *re = ie;
    return 1;
}

/* Iterator over a span's pieces cut at cycle boundaries (spanCycles). */
struct cyc {
    struct rat b, e, esam;
    int state;                      /* 0 start, 1 running, 2 done */
};

static struct cyc cyc_init(struct rat b, struct rat e)
{
    struct cyc it = { b, e, rat_floor(e), 0 };
    return it;
}

static int cyc_next(struct cyc *it, struct rat *sb, struct rat *se)
{
    if (it->state == 2)
        return 0;
    if (it->state == 0 && rat_eq(it->b, it->e)) {       /* zero-width span: itself */
        it->state = 2;
        *sb = it->b;
        *se = it->e;
        return 1;
    }
    it->state = 1;
    if (!rat_gt(it->e, it->b)) {
        it->state = 2;
        return 0;
    }
    struct rat sam = rat_floor(it->b);
    if (rat_eq(sam, it->esam)) {
        *sb = it->b;
        *se = it->e;
        it->state = 2;
        return 1;
    }
    struct rat next = rat_add(sam, rat_int(1));
    *sb = it->b;
    *se = next;
    it->b = next;
    return 1;
}

static void ev_shift(struct pat_ev *ev, int from, int to, struct rat d)
{
    for (int i = from; i < to; i++) {
        ev[i].pb = rat_add(ev[i].pb, d);
        ev[i].pe = rat_add(ev[i].pe, d);
        if (ev[i].has_whole) {
            ev[i].wb = rat_add(ev[i].wb, d);
            ev[i].we = rat_add(ev[i].we, d);
        }
    }
}

static void ev_scale_div(struct pat_ev *ev, int from, int to, struct rat f)
{
    for (int i = from; i < to; i++) {
        ev[i].pb = rat_div(ev[i].pb, f);
        ev[i].pe = rat_div(ev[i].pe, f);
        if (ev[i].has_whole) {
            ev[i].wb = rat_div(ev[i].wb, f);
            ev[i].we = rat_div(ev[i].we, f);
        }
    }
}

/* A fresh buffer in scratch (for queries whose results are combined). */
static struct pat_evbuf evbuf_empty(void)
{
    struct pat_evbuf b = { NULL, 0, 0 };
    return b;
}

/* ---- random numbers (SEMANTICS.md 7) ---------------------------------------- */

static int32_t xorwise(int32_t x)
{
    int32_t a = (int32_t)((uint32_t)x << 13) ^ x;
    int32_t b = (a >> 17) ^ a;
    return (int32_t)((uint32_t)b << 5) ^ b;
}

static int32_t time_to_int_seed(double x)
{
    double y = x / 300;
    double f = y - trunc(y);
    return xorwise((int32_t)trunc(f * 536870912));
}

static double int_seed_to_rand(int32_t s)
{
    return (double)(s % 536870912) / 536870912;
}

double pat_rand(double t);
double pat_rand(double t)
{
    return fabs(int_seed_to_rand(time_to_int_seed(t)));
}

static double perlin(double t, double seed)
{
    double ta = floor(t), tb = ta + 1;
    double x = t - ta;
    double smooth = 6.0 * pow(x, 5) - 15.0 * pow(x, 4) + 10.0 * pow(x, 3);
    double ra = pat_rand(ta + seed), rb = pat_rand(tb + seed);
    return ra + smooth * (rb - ra);
}

static double signal_value(int kind, struct rat t, double seed)
{
    double T = rat_to_double(t);
    switch (kind) {
    case SIG_SAW: return fmod(T, 1);
    case SIG_ISAW: return 1 - fmod(T, 1);
    case SIG_SINE2: return sin((M_PI * 2) * T);
    case SIG_SQUARE: return floor(fmod(T * 2, 2));
    case SIG_RAND: return pat_rand(T + seed);
    case SIG_PERLIN: return perlin(T, seed);
    case SIG_TIME: return T;
    }
    return 0;
}

/* randrun: the n indices 0..n-1 ordered by n random numbers drawn at the
 * middle of t's cycle (a stable sort), then the one for t's slot. The order
 * of a cycle is computed once per query and reused by its n slots. */
struct rr_key {
    double r;
    int i;
};

static int cmp_rr(const void *a, const void *b)
{
    const struct rr_key *x = a, *y = b;
    if (x->r != y->r)
        return x->r < y->r ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);       /* equal values keep their order */
}

static double randrun_value(struct pat_ctx *c, int n, struct rat t, double seed)
{
    int64_t cycle = rat_floor_int(t);
    if (!c->rr_perm || c->rr_cycle != cycle || c->rr_n != n || c->rr_seed != seed) {
        struct rr_key *k = ARENA_ARRAY(c->scratch, struct rr_key, n);
        int *perm = ARENA_ARRAY(c->scratch, int, n);
        if (!k || !perm) {
            fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
            return 0;
        }
        int32_t s = time_to_int_seed(rat_to_double(rat_add(rat_floor(t), rat_make(1, 2))) + seed);
        for (int i = 0; i < n; i++) {
            k[i].r = int_seed_to_rand(s);
            k[i].i = i;
            s = xorwise(s);
        }
        qsort(k, (size_t)n, sizeof *k, cmp_rr);
        for (int i = 0; i < n; i++)
            perm[i] = k[i].i;
        c->rr_perm = perm;
        c->rr_cycle = cycle;
        c->rr_n = n;
        c->rr_seed = seed;
    }
    int64_t slot = rat_floor_int(rat_mul(rat_cycle_pos(t), rat_int(n))) % n;
    return c->rr_perm[slot];
}

/* ---- value operations ------------------------------------------------------ */

/* Strudel's parseNumeral: numbers pass, note names become MIDI numbers,
 * anything else makes the query fail (silently, as SEMANTICS.md 9 says). */
static int numeral(struct pat_ctx *c, struct val v, double *x)
{
    switch (v.kind) {
    case VAL_NUM: *x = v.u.num; return 0;
    case VAL_BOOL: *x = v.u.b; return 0;
    case VAL_STR:
        if (val_parse_number(v.u.str, strlen(v.u.str), x))
            return 0;
        if (val_note_midi(v.u.str, 3, x) == 0)
            return 0;
        return fail(c, PAT_ERR_SILENT, "cannot use \"%s\" as a number", v.u.str);
    default:
        return fail(c, PAT_ERR_SILENT, "cannot use a list or map as a number");
    }
}

/* Comparisons (issue 11): booleans; == and /= compare two strings as text
 * (two numbers, or a number and a note name, as numbers). */
static int compare(int vop, double x, double y)
{
    switch (vop) {
    case VOP_GT: return x > y;
    case VOP_LT: return x < y;
    case VOP_GE: return x >= y;
    case VOP_LE: return x <= y;
    case VOP_EQ: return x == y;
    default: return x != y;
    }
}

static int num_op(struct pat_ctx *c, int vop, struct val a, struct val b, struct val *out)
{
    double x, y;
    if ((vop == VOP_EQ || vop == VOP_NE) && a.kind == VAL_STR && b.kind == VAL_STR) {
        *out = val_bool((strcmp(a.u.str, b.u.str) == 0) == (vop == VOP_EQ));
        return 0;
    }
    if (numeral(c, a, &x) || numeral(c, b, &y))
        return c->err;
    if (vop >= VOP_GT) {
        *out = val_bool(compare(vop, x, y));
        return 0;
    }
    double r = 0;
    switch (vop) {
    case VOP_ADD: r = x + y; break;
    case VOP_SUB: r = x - y; break;
    case VOP_MUL: r = x * y; break;
    case VOP_DIV: r = x / y; break;
    case VOP_MOD: r = fmod(fmod(x, y) + y, y); break;
    case VOP_POW: r = pow(x, y); break;
    case VOP_IDIV: r = floor(x / y); break;
    }
    *out = val_num(r);
    return 0;
}

/* The text of a string or number value ("2" in a string pattern is the
 * number 2, whose text is "2" again); NULL for anything else. */
static const char *val_text(struct val v, char *buf, size_t cap)
{
    if (v.kind == VAL_STR)
        return v.u.str;
    if (v.kind != VAL_NUM)
        return NULL;
    val_format_num(v.u.num, buf, cap);
    return buf;
}

/* Haskell's elem: b is an item of the list a (as ==), or b's text is in a's
 * (a String is a list of characters). */
static int elem_of(struct pat_ctx *c, struct val a, struct val b, struct val *out)
{
    if (a.kind == VAL_LIST) {
        for (uint32_t i = 0; i < a.n; i++) {
            struct val eq;
            if (num_op(c, VOP_EQ, a.u.list[i], b, &eq))
                return c->err;
            if (val_truthy(eq)) {
                *out = val_bool(1);
                return 0;
            }
        }
        *out = val_bool(0);
        return 0;
    }
    char ba[32], bb[32];
    const char *x = val_text(a, ba, sizeof ba), *y = val_text(b, bb, sizeof bb);
    if (!x || !y)
        return fail(c, PAT_ERR_SILENT, "'elem' looks in a list or a text");
    *out = val_bool(strstr(x, y) != NULL);
    return 0;
}

/* Tidal's (++) on two strings: "drum" ++ "2" is "drum2". */
static int str_cat(struct pat_ctx *c, struct val a, struct val b, struct val *out)
{
    char ba[32], bb[32];
    const char *x = val_text(a, ba, sizeof ba), *y = val_text(b, bb, sizeof bb);
    if (!x || !y)
        return fail(c, PAT_ERR_SILENT, "'++' appends strings; a list or map has no text to append");
    size_t la = strlen(x), lb = strlen(y);
    char *s = arena_alloc(c->scratch, la + lb + 1, 1);
    if (!s)
        return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
    memcpy(s, x, la);
    memcpy(s + la, y, lb + 1);
    *out = val_str(s);
    return 0;
}

static const char KEY_VALUE[] = "value";

static struct val as_map(struct pat_ctx *c, struct val v)
{
    if (v.kind == VAL_MAP)
        return v;
    return val_map_set(c->scratch, val_none(), KEY_VALUE, v);
}

/* Union of two maps (Strudel's unionWithObj): every key of both, common keys
 * combined by vop. A right side that is only {"value": x} leaves a unchanged. */
static int map_union(struct pat_ctx *c, int vop, struct val a, struct val b, struct val *out)
{
    if (b.n == 1 && strcmp(b.u.map[0].key, KEY_VALUE) == 0) {
        *out = a;
        return 0;
    }
    struct pat_kv *kv = ARENA_ARRAY(c->scratch, struct pat_kv, a.n + b.n);
    if (!kv)
        return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
    uint32_t i = 0, j = 0, n = 0;
    while (i < a.n || j < b.n) {
        int cmp = i >= a.n ? 1 : j >= b.n ? -1 : strcmp(a.u.map[i].key, b.u.map[j].key);
        if (cmp < 0) {
            kv[n++] = a.u.map[i++];
        } else if (cmp > 0) {
            kv[n++] = b.u.map[j++];
        } else {
            kv[n].key = a.u.map[i].key;
            struct val x = a.u.map[i].v, y = b.u.map[j].v;
            if (vop == VOP_SET)
                kv[n].v = y;
            else if (vop == VOP_KEEP)
                kv[n].v = x;
            else if (vop == VOP_CAT ? str_cat(c, x, y, &kv[n].v) : num_op(c, vop, x, y, &kv[n].v))
                return c->err;
            n++, i++, j++;
        }
    }
    out->kind = VAL_MAP;
    out->n = n;
    out->u.map = kv;
    return 0;
}

static int apply_vop(struct pat_ctx *c, int vop, double x0, struct val a, struct val b,
                     struct val *out)
{
    switch (vop) {
    case VOP_KEEPIF:
        *out = val_truthy(b) ? a : val_none();
        return 0;
    case VOP_DEGRADE:
        *out = (b.kind == VAL_NUM && b.u.num > x0) ? a : val_none();
        return 0;
    case VOP_UNDEGRADE:
        *out = (b.kind == VAL_NUM && 1 - b.u.num > x0) ? a : val_none();
        return 0;
    case VOP_ELEM:
        return elem_of(c, a, b, out);
    case VOP_TAIL: {
        uint32_t n = a.kind == VAL_LIST ? a.n : 1;
        struct val *items = ARENA_ARRAY(c->scratch, struct val, n + 1);
        if (!items)
            return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        if (a.kind == VAL_LIST)
            memcpy(items, a.u.list, sizeof *items * n);
        else
            items[0] = a;
        items[n] = b;
        out->kind = VAL_LIST;
        out->n = n + 1;
        out->u.list = items;
        return 0;
    }
    default:
        break;
    }
    if (a.kind == VAL_MAP || b.kind == VAL_MAP)
        return map_union(c, vop, as_map(c, a), as_map(c, b), out);
    if (vop == VOP_SET)
        *out = b;
    else if (vop == VOP_KEEP)
        *out = a;
    else if (vop == VOP_CAT)
        return str_cat(c, a, b, out);
    else
        return num_op(c, vop, a, b, out);
    return 0;
}

/* JS Number(x) coercion for the arithmetic of signals (toBipolar and
 * friends); non-numbers become NaN as they would in the reference. */
static double js_number(struct val v)
{
    double x;
    if (v.kind == VAL_NUM)
        return v.u.num;
    if (v.kind == VAL_BOOL)
        return v.u.b;
    if (v.kind == VAL_STR && val_parse_number(v.u.str, strlen(v.u.str), &x))
        return x;
    return (double)NAN;
}

/* createParam's withVal: wrap a value in a control map. names is a list of
 * NUL-separated names ending with an empty one: "s\0n\0gain\0". */
static int control_wrap(struct pat_ctx *c, const char *names, struct val v, struct val *out)
{
    struct val bag = val_none();
    int have_bag = 0;
    if (v.kind == VAL_MAP) {
        const struct val *inner = val_map_get(v, KEY_VALUE);
        if (inner) {
            /* the map without "value" */
            struct pat_kv *kv = ARENA_ARRAY(c->scratch, struct pat_kv, v.n);
            if (!kv)
                return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
            uint32_t n = 0;
            for (uint32_t i = 0; i < v.n; i++)
                if (strcmp(v.u.map[i].key, KEY_VALUE))
                    kv[n++] = v.u.map[i];
            bag.kind = VAL_MAP;
            bag.n = n;
            bag.u.map = kv;
            have_bag = 1;
            v = *inner;
        }
    }
    int multi = names[strlen(names) + 1] != 0;
    if (multi && v.kind == VAL_LIST) {
        struct val r = have_bag ? bag : val_map_set(c->scratch, val_none(), names, val_none());
        if (!have_bag)
            r.n = 0;                                /* an empty map */
        const char *name = names;
        for (uint32_t i = 0; i < v.n && *name; i++, name += strlen(name) + 1)
            r = val_map_set(c->scratch, r, name, v.u.list[i]);
        *out = r;
        return 0;
    }
    *out = val_map_set(c->scratch, have_bag ? bag : val_none(), names, v);
    return 0;
}

/* Semitones from c4 for note names (LANGUAGE.md 6): octave 4 by default;
 * chords (c4'min7) and other strings stay as they are. */
static struct val note_value(struct val v)
{
    double m;
    if (v.kind == VAL_STR && val_note_midi(v.u.str, 4, &m) == 0)
        return val_num(m - 60);
    return v;
}

static int apply_fmap(struct pat_ctx *c, const struct pnode *p, struct val v, struct val *out)
{
    double x;
    switch (p->op) {
    case FM_ADD:
        x = js_number(v);
        *out = val_num(x + p->x0);
        return 0;
    case FM_MUL:
        *out = val_num(js_number(v) * p->x0);
        return 0;
    case FM_DIV:
        *out = val_num(js_number(v) / p->x0);
        return 0;
    case FM_TOBIPOLAR:
        *out = val_num(js_number(v) * 2 - 1);
        return 0;
    case FM_FROMBIPOLAR:
        *out = val_num((js_number(v) + 1) / 2);
        return 0;
    case FM_ROUND:
        if (numeral(c, v, &x))
            return c->err;
        {
            double r = floor(x);
            if (x - r >= 0.5)
                r += 1;
            *out = val_num(r);
        }
        return 0;
    case FM_TRUNC_MUL:
        *out = val_num(trunc(js_number(v) * p->x0));
        return 0;
    case FM_ONE_MINUS:
        *out = val_num(1 - js_number(v));
        return 0;
    case FM_RANGEX:                     /* exp (after a range in log space) */
        *out = val_num(exp(js_number(v)));
        return 0;
    case FM_CONTROL:
        return control_wrap(c, p->v.u.str, p->i0 ? note_value(v) : v, out);
    case FM_NOTE:
        *out = note_value(v);
        return 0;
    case FM_PAN_ADD: {
        if (v.kind != VAL_MAP)
            return fail(c, PAT_ERR_SILENT, "jux needs control maps (s \"...\"), not plain values");
        const struct val *pan = val_map_get(v, "pan");
        double base = pan ? js_number(*pan) : 0.5;
        *out = val_map_set(c->scratch, v, "pan", val_num(base + p->x0));
        return 0;
    }
    case FM_CONST:
        *out = p->v;
        return 0;
    case FM_INDEX:
        x = floor(js_number(v));
        if (x < 0)
            x = 0;
        if (x > p->x0 - 1)
            x = p->x0 - 1;
        *out = val_num(x);
        return 0;
    case FM_CHOP_SLICE: {
        /* Strudel's chop merge: {begin, end} of the slice, rescaled into an
         * existing begin..end. */
        if (v.kind != VAL_MAP)
            return fail(c, PAT_ERR_SILENT, "chop needs control maps (s \"...\"), not plain values");
        const struct val *b0 = val_map_get(v, "begin"), *e0 = val_map_get(v, "end");
        double b = p->x0, e = p->x1;
        if (b0 && e0) {
            double ab = js_number(*b0), d = js_number(*e0) - ab;
            b = ab + b * d;
            e = ab + e * d;
        }
        struct val r = val_map_set(c->scratch, v, "begin", val_num(b));
        *out = val_map_set(c->scratch, r, "end", val_num(e));
        return 0;
    }
    case FM_WRAP_INDEX:
        x = floor(js_number(v) + 0.5);
        *out = val_num(fmod(fmod(x, p->x0) + p->x0, p->x0));
        return 0;
    case FM_NAME_INDEX:
        *out = val_none();
        for (uint32_t i = 0; v.kind == VAL_STR && i < p->v.n; i++)
            if (strcmp(p->v.u.list[i].u.str, v.u.str) == 0) {
                *out = val_num(i);
                break;
            }
        return 0;
    case FM_NOT:
        *out = val_bool(!val_truthy(v));
        return 0;
    }
    return fail(c, PAT_ERR_SILENT, "internal: unknown value function %d", p->op);
}

/* ---- node queries ------------------------------------------------------------ */

static int q_pure(struct pat_ctx *c, const struct pnode *p, struct rat b, struct rat e,
                  struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat sb, se;
    while (cyc_next(&it, &sb, &se)) {
        if (work(c))
            return c->err;
        struct pat_ev *ev = ev_push(c, out);
        if (!ev)
            return c->err;
        ev->wb = rat_floor(sb);
        ev->we = rat_add(ev->wb, rat_int(1));
        ev->pb = sb;
        ev->pe = se;
        ev->v = p->v;
        ev->has_whole = 1;
    }
    return 0;
}

/* Query kid once per cycle piece of [b, e). */
static int q_split(struct pat_ctx *c, const struct pnode *kid, const struct env *env,
                   struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat sb, se;
    while (cyc_next(&it, &sb, &se))
        if (qry(c, kid, env, sb, se, seed, out))
            return c->err;
    return 0;
}

static int q_fastgap_by(struct pat_ctx *c, const struct pnode *kid, struct rat f, const struct env *env,
                        struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct rat one = rat_int(1);
    struct cyc it = cyc_init(b, e);
    struct rat qb, qe;
    while (cyc_next(&it, &qb, &qe)) {
        struct rat cycle = rat_floor(qb);
        struct rat bpos = rat_min(rat_mul(rat_sub(qb, cycle), f), one);
        struct rat epos = rat_min(rat_mul(rat_sub(qe, cycle), f), one);
        if (rat_ge(bpos, one))
            continue;
        int from = out->n;
        if (qry(c, kid, env, rat_add(cycle, bpos), rat_add(cycle, epos), seed, out))
            return c->err;
        for (int i = from; i < out->n; i++) {
            struct pat_ev *ev = &out->ev[i];
            struct rat pb = ev->pb, pe = ev->pe;
            struct rat cyc = rat_floor(pb);
            struct rat npb = rat_add(cyc, rat_min(rat_div(rat_sub(pb, cyc), f), one));
            struct rat npe = rat_add(cyc, rat_min(rat_div(rat_sub(pe, cyc), f), one));
            if (ev->has_whole) {
                ev->wb = rat_sub(npb, rat_div(rat_sub(pb, ev->wb), f));
                ev->we = rat_add(npe, rat_div(rat_sub(ev->we, pe), f));
            }
            ev->pb = npb;
            ev->pe = npe;
        }
    }
    return 0;
}

static int q_fastgap(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                     struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    return q_fastgap_by(c, p->kids[0], p->r0, env, b, e, seed, out);
}

/* span.withCycle(t -> t*mul + add) and its inverse for zoom. */
static void with_cycle(struct rat *b, struct rat *e, struct rat mul, struct rat add, int inverse)
{
    struct rat sam = rat_floor(*b);
    struct rat rb = rat_sub(*b, sam), re = rat_sub(*e, sam);
    if (!inverse) {
        rb = rat_add(rat_mul(rb, mul), add);
        re = rat_add(rat_mul(re, mul), add);
    } else {
        rb = rat_div(rat_sub(rb, add), mul);
        re = rat_div(rat_sub(re, add), mul);
    }
    *b = rat_add(sam, rb);
    *e = rat_add(sam, re);
}

static int q_zoom(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                  struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat qb, qe;
    while (cyc_next(&it, &qb, &qe)) {
        with_cycle(&qb, &qe, p->r1, p->r0, 0);
        int from = out->n;
        if (qry(c, p->kids[0], env, qb, qe, seed, out))
            return c->err;
        for (int i = from; i < out->n; i++) {
            struct pat_ev *ev = &out->ev[i];
            if (ev->has_whole)
                with_cycle(&ev->wb, &ev->we, p->r1, p->r0, 1);
            with_cycle(&ev->pb, &ev->pe, p->r1, p->r0, 1);
        }
    }
    return 0;
}

static int q_rev(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                 struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat qb, qe;
    while (cyc_next(&it, &qb, &qe)) {
        struct rat cycle = rat_floor(qb);
        struct rat sum = rat_add(cycle, rat_add(cycle, rat_int(1)));  /* cycle + next */
        int from = out->n;
        if (qry(c, p->kids[0], env, rat_sub(sum, qe), rat_sub(sum, qb), seed, out))
            return c->err;
        for (int i = from; i < out->n; i++) {
            struct pat_ev *ev = &out->ev[i];
            struct rat t = ev->pb;
            ev->pb = rat_sub(sum, ev->pe);
            ev->pe = rat_sub(sum, t);
            if (ev->has_whole) {
                t = ev->wb;
                ev->wb = rat_sub(sum, ev->we);
                ev->we = rat_sub(sum, t);
            }
        }
    }
    return 0;
}

static int64_t mod_floor(int64_t a, int64_t n)
{
    int64_t m = a % n;
    return m < 0 ? m + n : m;
}

/* P_VALCAT: cycle c plays value c mod n for the whole cycle (what a slowcat
 * of pures gives), rests playing nothing. */
static int q_valcat(struct pat_ctx *c, const struct pnode *p, struct rat b, struct rat e,
                    struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat sb, se;
    while (cyc_next(&it, &sb, &se)) {
        if (work(c))
            return c->err;
        const struct val *v = &p->v.u.list[mod_floor(rat_floor_int(sb), (int64_t)p->v.n)];
        if (v->kind == VAL_NONE)
            continue;
        struct pat_ev *ev = ev_push(c, out);
        if (!ev)
            return c->err;
        ev->wb = rat_floor(sb);
        ev->we = rat_add(ev->wb, rat_int(1));
        ev->pb = sb;
        ev->pe = se;
        ev->v = *v;
        ev->has_whole = 1;
    }
    return 0;
}

/* Before kid i of a node with seeds (P_SLOWCAT, P_TIMECAT) is asked: its
 * random signals shifted by its seed. Returns the shift to put back. */
static struct rat enter_seed(struct pat_ctx *c, const struct pnode *p, int64_t i)
{
    struct rat saved = c->rshift;
    if (p->seeds && p->seeds[i])
        c->rshift = rat_add(saved, pat_mini_seed_shift(p->seeds[i]));
    return saved;
}

/* slowcat (and iter, which is a slowcat of shifted copies): cycle c plays
 * child c mod n at its own cycle count, shifted by offset = c - floor(c / n)
 * (times are compared exactly: b / n, not c / n, as the reference does). */
static int q_slowcat(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                     struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat qb, qe;
    int64_t n = p->kind == P_SLOWCAT ? p->n : p->i0;
    while (cyc_next(&it, &qb, &qe)) {
        int64_t cycle = rat_floor_int(qb);
        int64_t i = mod_floor(cycle, n);
        struct rat offset = rat_sub(rat_int(cycle), rat_floor(rat_div(qb, rat_int(n))));
        const struct pnode *kid = p->kind == P_SLOWCAT ? p->kids[i] : p->kids[0];
        struct rat shift = rat_int(0);
        if (p->kind == P_ITER) {                    /* early (or late) by i/n */
            shift = rat_make(i, n);
            if (p->op)
                shift = rat_neg(shift);
        }
        struct rat d = rat_sub(shift, offset), rshift = p->kind == P_SLOWCAT ? enter_seed(c, p, i) : c->rshift;
        int from = out->n;
        int failed = qry(c, kid, env, rat_add(qb, d), rat_add(qe, d), seed, out);
        c->rshift = rshift;
        if (failed)
            return c->err;
        ev_shift(out->ev, from, out->n, rat_neg(d));
    }
    return 0;
}

/* every / every' / whenmod: per cycle, the plain or the transformed child. */
static int q_every(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                   struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat qb, qe;
    while (cyc_next(&it, &qb, &qe)) {
        int64_t cycle = rat_floor_int(qb);
        int use_f;
        if (p->op == 0) {                           /* every' n o: c % n (truncating) == o */
            int64_t i = cycle % p->i0;
            if (i < 0)
                continue;                           /* the reference has no child there */
            use_f = i == (int64_t)p->x0;
        } else {                                    /* whenmod a b: c mod a >= b (floored) */
            struct rat m = rat_sub(rat_int(cycle),
                                   rat_mul(p->r0, rat_floor(rat_div(rat_int(cycle), p->r0))));
            use_f = rat_ge(m, p->r1);
        }
        if (qry(c, p->kids[use_f], env, qb, qe, seed, out))
            return c->err;
    }
    return 0;
}

static int q_repeat(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                    struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct cyc it = cyc_init(b, e);
    struct rat qb, qe;
    while (cyc_next(&it, &qb, &qe)) {
        struct rat cycle = rat_floor(qb);
        struct rat source = rat_floor(rat_div(cycle, p->r0));
        struct rat delta = rat_sub(cycle, source);
        int from = out->n;
        if (qry(c, p->kids[0], env, rat_sub(qb, delta), rat_sub(qe, delta), seed, out))
            return c->err;
        ev_shift(out->ev, from, out->n, delta);
    }
    return 0;
}

static int push_ev(struct pat_ctx *c, struct pat_evbuf *out, const struct pat_ev *src)
{
    struct pat_ev *ev = ev_push(c, out);
    if (!ev)
        return c->err;
    *ev = *src;
    return 0;
}

/* appLeft / appRight / appBoth with a value operation. */
static int q_app(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                 struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    int mode = p->op & APP_MODE_MASK, vop = p->op & 0xff;
    const struct pnode *l = p->kids[0], *r = p->kids[1];
    struct pat_evbuf A = evbuf_empty(), B = evbuf_empty();
    struct pat_ev ev;
    if (mode == APP_BOTH) {
        if (qry(c, l, env, b, e, seed, &A) || qry(c, r, env, b, e, seed, &B))
            return c->err;
        for (int i = 0; i < A.n; i++) {
            for (int j = 0; j < B.n; j++) {
                const struct pat_ev *x = &A.ev[i], *y = &B.ev[j];
                if (work(c))
                    return c->err;
                if (!sect(x->pb, x->pe, y->pb, y->pe, &ev.pb, &ev.pe))
                    continue;
                ev.has_whole = x->has_whole && y->has_whole;
                if (ev.has_whole && !sect(x->wb, x->we, y->wb, y->we, &ev.wb, &ev.we))
                    return fail(c, PAT_ERR_SILENT, "TimeSpans do not intersect");
                if (apply_vop(c, vop, p->x0, x->v, y->v, &ev.v))
                    return c->err;
                ev.scale = y->scale ? y->scale : x->scale;      /* Strudel: the right's context wins */
                if (ev.v.kind != VAL_NONE && push_ev(c, out, &ev))
                    return c->err;
            }
        }
        return 0;
    }
    /* The structure side is queried over the span, the other over each of
     * its events' wholes (or parts, for continuous events). */
    const struct pnode *s = mode == APP_LEFT ? l : r, *o = mode == APP_LEFT ? r : l;
    if (qry(c, s, env, b, e, seed, &A))
        return c->err;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        B.n = 0;
        if (qry(c, o, env, x->has_whole ? x->wb : x->pb, x->has_whole ? x->we : x->pe, seed, &B))
            return c->err;
        for (int j = 0; j < B.n; j++) {
            const struct pat_ev *y = &B.ev[j];
            if (!sect(x->pb, x->pe, y->pb, y->pe, &ev.pb, &ev.pe))
                continue;
            ev.has_whole = x->has_whole;
            ev.wb = x->wb;
            ev.we = x->we;
            if (apply_vop(c, vop, p->x0, mode == APP_LEFT ? x->v : y->v,
                          mode == APP_LEFT ? y->v : x->v, &ev.v))
                return c->err;
            const struct pnode *ls = mode == APP_LEFT ? x->scale : y->scale, *rs = mode == APP_LEFT ? y->scale : x->scale;
            ev.scale = rs ? rs : ls;
            if (ev.v.kind != VAL_NONE && push_ev(c, out, &ev))
                return c->err;
        }
    }
    return 0;
}

/* squeezeJoin: each outer event's inner pattern, cycle floor(whole begin)
 * of it focused into the outer event's whole. */
static const struct pnode *focus(struct arena *a, const struct pnode *inner, struct rat wb, struct rat we)
{
    const struct pnode *x = pat_shift(a, rat_floor(wb), inner);
    x = x ? pat_fast(a, rat_div(rat_int(1), rat_sub(we, wb)), x) : NULL;
    return x ? pat_shift(a, rat_neg(wb), x) : NULL;
}

static const struct pnode *squeeze_inner(struct pat_ctx *c, const struct pnode *p, struct val v)
{
    struct arena *a = c->scratch;
    switch (p->op) {
    case SQ_PLY:
        return pat_fast(a, p->r0, pat_pure(a, v));
    case SQ_CHOP: {
        int n = p->i0;
        const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, n);
        if (!kids)
            return NULL;
        for (int i = 0; i < n; i++) {
            struct pnode *f = ARENA_NEW(a, struct pnode);
            if (!f)
                return NULL;
            f->kind = P_FMAP;
            f->op = FM_CHOP_SLICE;
            f->x0 = (double)i / n;
            f->x1 = (double)(i + 1) / n;
            f->n = 1;
            const struct pnode **k = ARENA_ARRAY(a, const struct pnode *, 1);
            if (!k)
                return NULL;
            k[0] = pat_pure(a, v);
            f->kids = k;
            kids[i] = f;
        }
        return pat_fastcat(a, kids, n);
    }
    case SQ_RANGE: {
        struct pnode *r = ARENA_NEW(a, struct pnode);
        const struct pnode **k = ARENA_ARRAY(a, const struct pnode *, 1);
        if (!r || !k)
            return NULL;
        r->kind = P_BINDRANGE;
        r->v = v;
        r->n = 1;
        k[0] = p->kids[1];
        r->kids = k;
        return r;
    }
    }
    return NULL;
}

static int q_squeeze(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                     struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct pat_evbuf A = evbuf_empty(), B = evbuf_empty();
    if (qry(c, p->kids[0], env, b, e, seed, &A))
        return c->err;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        if (!x->has_whole)
            continue;                               /* discreteOnly */
        if (rat_eq(x->wb, x->we))
            return fail(c, PAT_ERR_SILENT, "Division by Zero");
        const struct pnode *inner = squeeze_inner(c, p, x->v);
        inner = inner ? focus(c->scratch, inner, x->wb, x->we) : NULL;
        if (!inner)
            return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        B.n = 0;
        if (qry(c, inner, env, x->pb, x->pe, seed, &B))
            return c->err;
        for (int j = 0; j < B.n; j++) {
            struct pat_ev ev = B.ev[j];
            if (ev.has_whole && !sect(ev.wb, ev.we, x->wb, x->we, &ev.wb, &ev.we))
                continue;
            if (!sect(ev.pb, ev.pe, x->pb, x->pe, &ev.pb, &ev.pe))
                continue;
            if (!ev.scale)
                ev.scale = x->scale;                /* the value's scale stays with it (ply, chop) */
            if (push_ev(c, out, &ev))
                return c->err;
        }
    }
    return 0;
}

/* mini '..': for each event of the right side (value b), the numbers a..b as
 * a sequence; wholes are the intersections (bind). */
static int q_bindrange(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                       struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct pat_evbuf A = evbuf_empty(), B = evbuf_empty();
    if (qry(c, p->kids[0], env, b, e, seed, &A))
        return c->err;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        double lo = js_number(p->v), hi = js_number(x->v);
        double len = fabs(hi - lo) + 1;
        if (!(len >= 1))
            continue;                               /* NaN: no numbers at all */
        if (len > c->max_events) {
            char a[32], z[32];
            val_format_num(lo, a, sizeof a);
            val_format_num(hi, z, sizeof z);
            return fail(c, PAT_ERR_LIMIT, "the range %s .. %s has too many steps", a, z);
        }
        int n = (int)len;
        const struct pnode **kids = ARENA_ARRAY(c->scratch, const struct pnode *, n);
        if (!kids)
            return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        for (int k = 0; k < n; k++)
            kids[k] = pat_pure(c->scratch, val_num(lo < hi ? lo + k : lo - k));
        const struct pnode *seq = pat_fastcat(c->scratch, kids, n);
        if (!seq)
            return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        B.n = 0;
        if (qry(c, seq, env, x->pb, x->pe, seed, &B))
            return c->err;
        for (int j = 0; j < B.n; j++) {
            struct pat_ev ev = B.ev[j];
            if (ev.has_whole && x->has_whole) {
                if (!sect(ev.wb, ev.we, x->wb, x->we, &ev.wb, &ev.we))
                    return fail(c, PAT_ERR_SILENT, "TimeSpans do not intersect");
            } else {
                ev.has_whole = 0;
            }
            if (push_ev(c, out, &ev))
                return c->err;
        }
    }
    return 0;
}

/* Squeeze join (Strudel's squeezeJoin, Tidal's): the pattern kid focused
 * so that its first cycle fills the whole of the selector's event x, then
 * cut to x's whole and part; x without a whole is skipped. */
static int squeeze_one(struct pat_ctx *c, const struct pnode *kid, const struct env *env,
                       const struct pat_ev *x, double seed, struct pat_evbuf *out)
{
    if (!x->has_whole || rat_eq(x->wb, x->we))
        return 0;
    struct arena *a = c->scratch;
    const struct pnode *f = pat_shift(a, rat_neg(x->wb), pat_fast(a, rat_div(rat_int(1), rat_sub(x->we, x->wb)),
                                                                  pat_shift(a, rat_floor(x->wb), kid)));
    if (!f)
        return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
    int from = out->n, w = from;
    if (qry(c, f, env, x->pb, x->pe, seed, out))
        return c->err;
    for (int k = from; k < out->n; k++) {
        struct pat_ev ev = out->ev[k];
        if (ev.has_whole && !sect(ev.wb, ev.we, x->wb, x->we, &ev.wb, &ev.we))
            continue;
        if (!sect(ev.pb, ev.pe, x->pb, x->pe, &ev.pb, &ev.pe))
            continue;
        out->ev[w++] = ev;
    }
    out->n = w;
    return 0;
}

/* Select among kids[1..] by the selector's value: inner join (wholes from
 * the chosen pattern), outer join (wholes from the selector), op 2,
 * Tidal's unwrap (the intersection of both), or op 3, a squeeze join. */
static int q_join(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                  struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct pat_evbuf A = evbuf_empty();
    if (qry(c, p->kids[0], env, b, e, seed, &A))
        return c->err;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        double sel = x->v.kind == VAL_NUM ? x->v.u.num : -1;
        if (isnan(sel))
            continue;                           /* a selector that is no number selects nothing */
        int idx = sel >= 0 && sel < p->n - 1 ? (int)sel : -1;
        if (idx < 0)
            return fail(c, PAT_ERR_SILENT, "internal: choice out of range");
        if (p->op == 3) {
            if (squeeze_one(c, p->kids[1 + idx], env, x, seed, out))
                return c->err;
            continue;
        }
        int from = out->n;
        if (qry(c, p->kids[1 + idx], env, x->pb, x->pe, seed, out))
            return c->err;
        if (p->op == 1) {                           /* outer join */
            for (int k = from; k < out->n; k++) {
                out->ev[k].has_whole = x->has_whole;
                out->ev[k].wb = x->wb;
                out->ev[k].we = x->we;
            }
        }
        if (p->op == 2)                             /* unwrap: wholes intersected */
            for (int k = from; k < out->n; k++) {
                struct pat_ev *ev = &out->ev[k];
                if (!x->has_whole || !ev->has_whole)
                    ev->has_whole = 0;
                else if (!sect(ev->wb, ev->we, x->wb, x->we, &ev->wb, &ev->we))
                    return fail(c, PAT_ERR_SILENT, "TimeSpans do not intersect");
            }
    }
    return 0;
}

/* A transform whose arguments are patterns: query the first argument, read
 * the others over each of its events' wholes (appLeft), build the transform
 * with those values and query it over the event's part (innerJoin). */
static int q_patarg(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                    struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    int nargs = p->n - 1;
    struct pat_evbuf A = evbuf_empty();
    if (qry(c, p->kids[0], env, b, e, seed, &A))
        return c->err;
    /* values[i * nargs + j]: argument j of combination i */
    struct val *vals = ARENA_ARRAY(c->scratch, struct val, (size_t)(A.n ? A.n : 1) * (size_t)nargs);
    if (!vals)
        return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
    for (int i = 0; i < A.n; i++)
        vals[(size_t)i * (size_t)nargs] = A.ev[i].v;
    for (int j = 1; j < nargs; j++) {
        struct pat_evbuf N = evbuf_empty(), B = evbuf_empty();
        struct val *nv = NULL;
        int ncap = 0;
        for (int i = 0; i < A.n; i++) {
            const struct pat_ev *x = &A.ev[i];
            B.n = 0;
            if (qry(c, p->kids[j], env, x->has_whole ? x->wb : x->pb,
                    x->has_whole ? x->we : x->pe, seed, &B))
                return c->err;
            for (int k = 0; k < B.n; k++) {
                struct pat_ev ev = *x;
                if (!sect(x->pb, x->pe, B.ev[k].pb, B.ev[k].pe, &ev.pb, &ev.pe))
                    continue;
                if (push_ev(c, &N, &ev))
                    return c->err;
                if (N.n > ncap) {
                    int ncap2 = ncap ? ncap * 2 : 8;
                    struct val *nv2 = ARENA_ARRAY(c->scratch, struct val, (size_t)ncap2 * (size_t)nargs);
                    if (!nv2)
                        return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
                    if (nv)
                        memcpy(nv2, nv, sizeof *nv * (size_t)ncap * (size_t)nargs);
                    nv = nv2;
                    ncap = ncap2;
                }
                struct val *row = nv + (size_t)(N.n - 1) * (size_t)nargs;
                memcpy(row, vals + (size_t)i * (size_t)nargs, sizeof *row * (size_t)j);
                row[j] = B.ev[k].v;
            }
        }
        A = N;
        vals = nv;
    }
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        const char *err = NULL;
        const struct pnode *built = pat_op_build(c->scratch, p->op, vals + (size_t)i * (size_t)nargs,
                                                 nargs, p->fn, p->kids[nargs], &err);
        if (!built)
            return err ? fail(c, PAT_ERR_SILENT, "%s%s%s", pat_op_name(p->op), pat_op_name(p->op)[0] ? ": " : "", err)
                       : fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        if (qry(c, built, env, x->pb, x->pe, seed, out))
            return c->err;
    }
    return 0;
}

/* shuffle/scramble: for each index event i, slice i of the source's cycle. */
static int q_rearrange(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                       struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct pat_evbuf A = evbuf_empty();
    int n = p->i0;
    if (qry(c, p->kids[0], env, b, e, seed, &A))
        return c->err;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        int64_t k = (int64_t)js_number(x->v);
        struct arena *a = c->scratch;
        const struct pnode *s = pat_zoom(a, rat_make(k, n), rat_make(k + 1, n), p->kids[1]);
        s = s ? pat_repeat(a, rat_int(n), s) : NULL;
        s = s ? pat_fast(a, rat_int(n), s) : NULL;
        if (!s)
            return fail(c, PAT_ERR_LIMIT, "the query needs more memory than the engine reserves");
        if (qry(c, s, env, x->pb, x->pe, seed, out))
            return c->err;
    }
    return 0;
}

/* wchoose: the selector's value r picks the first value whose cumulative
 * weight exceeds total * r, per cycle (the weights are per-cycle patterns in
 * the reference, so the choice is cut at cycle boundaries). */
static int q_wchoose(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                     struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct pat_evbuf A = evbuf_empty();
    int nv = p->n - 1;
    if (qry(c, p->kids[0], env, b, e, seed, &A))
        return c->err;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        double r = js_number(x->v);
        struct cyc it = cyc_init(x->pb, x->pe);
        struct rat sb, se;
        while (cyc_next(&it, &sb, &se)) {
            double find = p->x0 * r;                /* total * r */
            int k = 0;
            while (k < nv && !(p->v.u.list[k].u.num > find))
                k++;
            if (k == nv)
                return fail(c, PAT_ERR_SILENT, "wchoose: no value chosen");
            int from = out->n;
            if (qry(c, p->kids[1 + k], env, sb, se, seed, out))
                return c->err;
            for (int j = from; j < out->n; j++) {   /* outer join; bind dropped the whole */
                struct pat_ev *ev = &out->ev[j];
                ev->has_whole = x->has_whole;
                if (x->has_whole) {
                    struct rat wb, we;
                    if (!sect(x->wb, x->we, rat_floor(sb), rat_add(rat_floor(sb), rat_int(1)), &wb, &we))
                        return fail(c, PAT_ERR_SILENT, "TimeSpans do not intersect");
                    ev->wb = wb;
                    ev->we = we;
                }
            }
        }
    }
    return 0;
}

/* A continuous pattern (a signal, or randrun's shuffled indices): one
 * event without a whole, the value at the span's start. */
static void q_signal(struct pat_ctx *c, const struct pnode *p, struct rat b, struct rat e, double seed,
                     struct pat_evbuf *out)
{
    struct pat_ev *ev = ev_push(c, out);
    if (!ev)
        return;
    ev->has_whole = 0;
    ev->pb = ev->wb = b;                /* no whole: wb, we only defined, never read */
    ev->pe = ev->we = e;
    struct rat t = c->rshift.n ? rat_add(b, c->rshift) : b;
    ev->v = val_num(p->kind == P_SIGNAL ? signal_value(p->op, t, seed) : randrun_value(c, p->i0, t, seed));
}

/* P_FMAP: the value function on events from..n of out; an event whose
 * value becomes none is dropped. */
static void fmap_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    int w = from;
    for (int i = from; i < out->n; i++) {
        struct val v;
        if (apply_fmap(c, p, out->ev[i].v, &v))
            break;
        if (v.kind == VAL_NONE)
            continue;
        out->ev[w] = out->ev[i];
        out->ev[w++].v = v;
    }
    if (!c->err)
        out->n = w;
}

/* P_FILTER_WHEN: keep the events from..n of out whose whole begins inside
 * [x0, x1] of its cycle (op 0), or outside it (op 1). */
static void filter_when_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    int w = from;
    for (int i = from; i < out->n; i++) {
        const struct pat_ev *ev = &out->ev[i];
        if (!ev->has_whole) {
            fail(c, PAT_ERR_SILENT, "within needs discrete events");
            break;
        }
        double pos = rat_to_double(rat_cycle_pos(ev->wb));
        int in = pos >= p->x0 && pos <= p->x1;
        if (in == !p->op)
            out->ev[w++] = *ev;
    }
    if (!c->err)
        out->n = w;
}

/* Does map v have every key of map m with an equal value? */
static int map_has(struct val v, struct val m)
{
    if (v.kind != VAL_MAP || m.kind != VAL_MAP)
        return 0;
    for (uint32_t i = 0; i < m.n; i++) {
        const struct val *x = val_map_get(v, m.u.map[i].key);
        if (!x || !val_equal(*x, m.u.map[i].v))
            return 0;
    }
    return 1;
}

/* P_MATCH (Tidal's contrast): keep the events from..n of out for which one
 * of kids[1]'s events starting at the event's onset (the start of its whole,
 * or of its part) has a value that is a sub-map of the event's (op 0), or
 * for which none has (op 1). */
static void match_events(struct pat_ctx *c, const struct pnode *p, const struct env *env, double seed,
                         struct pat_evbuf *out, int from)
{
    int w = from;
    for (int i = from; i < out->n && !c->err; i++) {
        const struct pat_ev *ev = &out->ev[i];
        struct rat s = ev->has_whole ? ev->wb : ev->pb, t = ev->has_whole ? ev->we : ev->pe;
        struct pat_evbuf M = evbuf_empty();
        if (rat_le(t, s))
            t = rat_add(s, rat_int(1));
        if (qry(c, p->kids[1], env, s, t, seed, &M))
            break;
        int any = 0;
        for (int k = 0; k < M.n && !any; k++)
            any = rat_eq(M.ev[k].pb, s) && map_has(ev->v, M.ev[k].v);
        if (any == !p->op)
            out->ev[w++] = *ev;
    }
    if (!c->err)
        out->n = w;
}

/* The first slot of a timecat whose end is at or after x (n when none). */
static int slot_from(const struct pnode *p, struct rat x)
{
    int lo = 0, hi = p->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (rat_lt(p->rs[mid + 1], x))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The last slot of a timecat whose begin is at or before y (-1 when none). */
static int slot_upto(const struct pnode *p, struct rat y)
{
    int lo = 0, hi = p->n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (rat_le(p->rs[mid], y))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

/* Kid i of a timecat compressed into its slot [x, y) of each cycle:
 * pat_compress's late(x) of fastGap(1 / (y - x)), without its two nodes. */
static int q_slot(struct pat_ctx *c, const struct pnode *p, int i, const struct env *env,
                  struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    struct rat x = p->rs[i], f = rat_div(rat_int(1), rat_sub(p->rs[i + 1], x)), rshift = enter_seed(c, p, i);
    int from = out->n;
    if (q_fastgap_by(c, p->kids[i], f, env, rat_sub(b, x), rat_sub(e, x), seed, out) == 0)
        ev_shift(out->ev, from, out->n, x);
    c->rshift = rshift;
    return c->err;
}

/* A timecat is the stack of its compressed kids, asked in order, but only
 * those whose slot (closed, so that spans of no width and slots that merely
 * touch the span are asked too: asking a kid that has nothing there costs
 * nothing wrong) meets the span within its cycle. The slots are found by
 * bisection, so a block of a line of 300,000 steps costs its events, not
 * its steps. A span of a cycle or more meets every slot. */
static int q_timecat(struct pat_ctx *c, const struct pnode *p, const struct env *env,
                     struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    int n = p->n, a0 = 0, a1 = n - 1, b0 = 0, b1 = -1;   /* slots a0..a1, then b0..b1 */
    if (rat_lt(rat_sub(e, b), rat_int(1))) {
        struct rat cb = rat_floor(b), x = rat_sub(b, cb), y = rat_sub(e, cb), one = rat_int(1);
        a0 = slot_from(p, x);
        if (rat_le(y, one)) {
            a1 = slot_upto(p, y);
        } else {                                /* into the next cycle: its first slots */
            b1 = slot_upto(p, rat_sub(y, one));
            if (b1 >= a0 - 1)
                a0 = 0, b1 = -1;                /* the two runs meet: all of them */
        }
    }
    for (int i = b0; i <= b1 && !c->err; i++)
        q_slot(c, p, i, env, b, e, seed, out);
    for (int i = a0; i <= a1 && !c->err; i++)
        q_slot(c, p, i, env, b, e, seed, out);
    return c->err;
}

static int qry(struct pat_ctx *c, const struct pnode *p, const struct env *env,
               struct rat b, struct rat e, double seed, struct pat_evbuf *out)
{
    if (c->err || work(c))
        return c->err;
    if (++c->depth > c->max_depth) {
        c->depth--;
        return fail(c, PAT_ERR_DEPTH, "the pattern is nested too deeply to query");
    }
    int from = out->n;
    switch (p->kind) {
    case P_SILENCE:
        break;
    case P_PURE:
        q_pure(c, p, b, e, out);
        break;
    case P_VALCAT:
        q_valcat(c, p, b, e, out);
        break;
    case P_SIGNAL:
    case P_RANDRUN:
        q_signal(c, p, b, e, seed, out);
        break;
    case P_STACK:
        for (int i = 0; i < p->n && !c->err; i++)
            qry(c, p->kids[i], env, b, e, seed, out);
        break;
    case P_SHIFT:
        if (qry(c, p->kids[0], env, rat_add(b, p->r0), rat_add(e, p->r0), seed, out) == 0)
            ev_shift(out->ev, from, out->n, rat_neg(p->r0));
        break;
    case P_RSHIFT: {
        struct rat rshift = c->rshift;
        c->rshift = rat_add(rshift, p->r0);
        qry(c, p->kids[0], env, b, e, seed, out);
        c->rshift = rshift;
        break;
    }
    case P_FAST:
        if (qry(c, p->kids[0], env, rat_mul(b, p->r0), rat_mul(e, p->r0), seed, out) == 0)
            ev_scale_div(out->ev, from, out->n, p->r0);
        break;
    case P_SPLIT:
        q_split(c, p->kids[0], env, b, e, seed, out);
        break;
    case P_FASTGAP:
        q_fastgap(c, p, env, b, e, seed, out);
        break;
    case P_ZOOM:
        q_zoom(c, p, env, b, e, seed, out);
        break;
    case P_REV:
        q_rev(c, p, env, b, e, seed, out);
        break;
    case P_SLOWCAT:
    case P_ITER:
        q_slowcat(c, p, env, b, e, seed, out);
        break;
    case P_EVERY:
        q_every(c, p, env, b, e, seed, out);
        break;
    case P_REPEAT:
        q_repeat(c, p, env, b, e, seed, out);
        break;
    case P_APP:
        q_app(c, p, env, b, e, seed, out);
        break;
    case P_FMAP:
        if (qry(c, p->kids[0], env, b, e, seed, out) == 0)
            fmap_events(c, p, out, from);
        break;
    case P_SQUEEZE:
        q_squeeze(c, p, env, b, e, seed, out);
        break;
    case P_BINDRANGE:
        q_bindrange(c, p, env, b, e, seed, out);
        break;
    case P_JOIN:
        q_join(c, p, env, b, e, seed, out);
        break;
    case P_PATARG:
        q_patarg(c, p, env, b, e, seed, out);
        break;
    case P_HOLE:
        if (!env || !env->hole)
            fail(c, PAT_ERR_SILENT, "internal: a function's argument used outside the function");
        else
            qry(c, env->hole, env->hole_env, b, e, seed, out);
        break;
    case P_CALL: {
        struct env inner = { p->kids[0], env };
        qry(c, p->fn, &inner, b, e, seed, out);
        break;
    }
    case P_SEED:
        qry(c, p->kids[0], env, b, e, p->x0, out);
        break;
    case P_FILTER_WHEN:
        if (qry(c, p->kids[0], env, b, e, seed, out) == 0)
            filter_when_events(c, p, out, from);
        break;
    case P_REARRANGE:
        q_rearrange(c, p, env, b, e, seed, out);
        break;
    case P_WCHOOSE:
        q_wchoose(c, p, env, b, e, seed, out);
        break;
    case P_TIMECAT:
        q_timecat(c, p, env, b, e, seed, out);
        break;
    case P_HOOK: {
        struct pat_sub sub = { c, env, seed };
        pat_hook_query(&sub, p, b, e, out);
        break;
    }
    case P_TONAL:
        if (qry(c, p->kids[0], env, b, e, seed, out) == 0)
            pat_tonal_events(c, p, out, from);
        break;
    case P_MATCH:
        if (qry(c, p->kids[0], env, b, e, seed, out) == 0)
            match_events(c, p, env, seed, out, from);
        break;
    default:
        fail(c, PAT_ERR_SILENT, "internal: unknown pattern node %d", p->kind);
    }
    c->depth--;
    if (rat_overflow && !c->err)
        fail(c, PAT_ERR_OVERFLOW, "exact time arithmetic overflowed (times or factors too large)");
    return c->err;
}

/* ---- queries written outside (pat.h, P_HOOK) ------------------------------- */

int pat_sub_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                  struct pat_evbuf *out)
{
    return qry(s->c, p, s->env, b, e, s->seed, out);
}

struct pat_ev *pat_sub_push(const struct pat_sub *s, struct pat_evbuf *out) { return ev_push(s->c, out); }
struct arena *pat_sub_arena(const struct pat_sub *s) { return s->c->scratch; }
int pat_sub_fail(const struct pat_sub *s, const char *msg) { return fail(s->c, PAT_ERR_SILENT, "%s", msg); }

int pat_sub_memo_get(const struct pat_sub *s, uint64_t id, int64_t *cycle, int64_t *count)
{
    const struct pat_ctx *c = s->c;
    for (int i = 0; i < 8 && !s->env; i++)
        if (c->tk[i].id == id && c->tk[i].seed == s->seed) {
            *cycle = c->tk[i].cycle;
            *count = c->tk[i].count;
            return 0;
        }
    return -1;
}

void pat_sub_memo_set(const struct pat_sub *s, uint64_t id, int64_t cycle, int64_t count)
{
    struct pat_ctx *c = s->c;
    if (s->env)
        return;
    int i = 0;
    while (i < 8 && !(c->tk[i].id == id && c->tk[i].seed == s->seed))
        i++;
    if (i == 8) {
        i = c->tk_next;
        c->tk_next = (c->tk_next + 1) % 8;
    }
    c->tk[i].id = id;
    c->tk[i].seed = s->seed;
    c->tk[i].cycle = cycle;
    c->tk[i].count = count;
}

struct arena_mark pat_sub_mark(const struct pat_sub *s) { return arena_mark(s->c->scratch); }

void pat_sub_rewind(const struct pat_sub *s, struct arena_mark m)
{
    arena_rewind(s->c->scratch, m);
    s->c->rr_perm = NULL;                   /* shuffle's order may have been in it */
}

int pat_span_sect(struct rat ab, struct rat ae, struct rat bb, struct rat be, struct rat *rb, struct rat *re)
{
    return sect(ab, ae, bb, be, rb, re);
}

int pat_query(struct pat_ctx *c, const struct pnode *p, struct rat b, struct rat e,
              struct pat_evbuf *out)
{
    out->ev = NULL;
    out->n = out->cap = 0;
    c->err = 0;
    c->msg[0] = 0;
    c->work = 0;
    c->depth = 0;
    c->rr_perm = NULL;
    c->rshift = rat_int(0);
    rat_overflow = 0;
    qry(c, p, NULL, b, e, 0, out);
    if (c->err)
        out->n = 0;
    return c->err;
}

/* ---- sorting and printing ---------------------------------------------------- */

struct sortkey {
    const struct pat_ev *ev;
    const char *text;
};

static int cmp_key(const void *pa, const void *pb)
{
    const struct sortkey *a = pa, *b = pb;
    int r = rat_cmp(a->ev->pb, b->ev->pb);
    if (r)
        return r;
    r = strcmp(a->text, b->text);
    if (r)
        return r < 0 ? -1 : 1;
    r = rat_cmp(a->ev->pe, b->ev->pe);
    if (r)
        return r;
    if (a->ev->has_whole != b->ev->has_whole)
        return a->ev->has_whole ? 1 : -1;
    if (a->ev->has_whole) {
        r = rat_cmp(a->ev->wb, b->ev->wb);
        if (r)
            return r;
        r = rat_cmp(a->ev->we, b->ev->we);
    }
    return r;
}

void pat_sort_events(struct pat_evbuf *out)
{
    if (out->n < 2)
        return;
    struct sortkey *k = malloc(sizeof *k * (size_t)out->n);
    struct pat_ev *copy = malloc(sizeof *copy * (size_t)out->n);
    char *texts = malloc((size_t)out->n * 256);
    if (!k || !copy || !texts) {
        free(k);
        free(copy);
        free(texts);
        return;
    }
    for (int i = 0; i < out->n; i++) {
        copy[i] = out->ev[i];
        k[i].ev = &copy[i];
        val_format(copy[i].v, texts + (size_t)i * 256, 256);
        k[i].text = texts + (size_t)i * 256;
    }
    qsort(k, (size_t)out->n, sizeof *k, cmp_key);
    for (int i = 0; i < out->n; i++)
        out->ev[i] = *k[i].ev;
    free(k);
    free(copy);
    free(texts);
}

size_t pat_format_event(const struct pat_ev *e, char *buf, size_t cap)
{
    char wb[48] = "-", we[48] = "-", pb[48], pe[48];
    if (e->has_whole) {
        rat_format(e->wb, wb);
        rat_format(e->we, we);
    }
    rat_format(e->pb, pb);
    rat_format(e->pe, pe);
    int n = snprintf(buf, cap, "%s %s %s %s ", wb, we, pb, pe);
    if (n < 0 || (size_t)n >= cap)
        return (size_t)(n < 0 ? 0 : n);
    return (size_t)n + val_format(e->v, buf + n, cap - (size_t)n);
}
