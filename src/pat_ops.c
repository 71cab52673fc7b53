/* pat_ops.c -- building patterns: node constructors and the transforms.
 *
 * Each transform of the language is written here as Strudel 1.2.6 writes it,
 * in terms of the primitives of pat_core.c: `off t f` is a stack of the
 * pattern and f applied to it shifted later, `sometimesBy` is an inner join
 * over a constant (which is why it cuts events at cycle boundaries), `brak`
 * is `when` over a boolean slowcat, and so on. Following the reference's
 * construction, not just its intent, is what makes the fragments of events
 * (their parts) come out where the conformance corpus expects them.
 *
 * Arguments arrive as constant values; pat_op_apply wraps the transform in a
 * P_PATARG node when some argument is a pattern, and pat_core.c calls
 * pat_op_build again with each argument event's values while querying. So
 * pat_op_build must work on any thread with the query's scratch arena, and
 * must not keep pointers to its args array.
 */
#include "pat.h"

#include <math.h>
#include <string.h>

/* ---- constructors ---------------------------------------------------------- */

static const struct pnode silence_node = { .kind = P_SILENCE };
static const struct pnode hole_node = { .kind = P_HOLE };

const struct pnode *pat_silence(void) { return &silence_node; }
const struct pnode *pat_hole(void) { return &hole_node; }

static struct pnode *node(struct arena *a, enum pkind k, int nkids)
{
    struct pnode *p = ARENA_NEW(a, struct pnode);
    if (!p)
        return NULL;
    p->kind = (uint16_t)k;
    p->n = nkids;
    if (nkids) {
        const struct pnode **kids = arena_calloc(a, (size_t)nkids, sizeof *kids, _Alignof(const struct pnode *));
        if (!kids)
            return NULL;
        p->kids = kids;
    }
    return p;
}

static const struct pnode **kids_of(struct pnode *p) { return (const struct pnode **)p->kids; }

const struct pnode *pat_pure(struct arena *a, struct val v)
{
    struct pnode *p = node(a, P_PURE, 0);
    if (p) {
        p->v = v;
        p->flags = PF_PURE;
    }
    return p;
}

const struct pnode *pat_signal(struct arena *a, enum pat_signal s)
{
    struct pnode *p = node(a, P_SIGNAL, 0);
    if (p)
        p->op = s;
    return p;
}

const struct pnode *pat_node1(struct arena *a, enum pkind k, int op, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    struct pnode *p = node(a, k, 1);
    if (p) {
        p->op = op;
        kids_of(p)[0] = kid;
    }
    return p;
}

/* A node of kind k over a list: silence for none, the one itself for one. */
static const struct pnode *list_node(struct arena *a, enum pkind k, const struct pnode *const *kids, int n)
{
    if (n == 0)
        return pat_silence();
    if (n == 1)
        return kids[0];
    struct pnode *p = node(a, k, n);
    if (!p)
        return NULL;
    for (int i = 0; i < n; i++) {
        if (!kids[i])
            return NULL;
        kids_of(p)[i] = kids[i];
    }
    return p;
}

const struct pnode *pat_stack(struct arena *a, const struct pnode *const *kids, int n)
{
    return list_node(a, P_STACK, kids, n);
}

static const struct pnode *stack2(struct arena *a, const struct pnode *x, const struct pnode *y)
{
    const struct pnode *k[2] = { x, y };
    return x && y ? pat_stack(a, k, 2) : NULL;
}

const struct pnode *pat_app(struct arena *a, int op, const struct pnode *l, const struct pnode *r)
{
    if (!l || !r)
        return NULL;
    struct pnode *p = node(a, P_APP, 2);
    if (p) {
        p->op = op;
        kids_of(p)[0] = l;
        kids_of(p)[1] = r;
    }
    return p;
}

static const struct pnode *app_x(struct arena *a, int op, double x0, const struct pnode *l,
                                 const struct pnode *r)
{
    struct pnode *p = (struct pnode *)pat_app(a, op, l, r);
    if (p)
        p->x0 = x0;
    return p;
}

const struct pnode *pat_fmap(struct arena *a, int op, const struct pnode *kid, double x0, double x1,
                             struct val v)
{
    struct pnode *p = (struct pnode *)pat_node1(a, P_FMAP, op, kid);
    if (p) {
        p->x0 = x0;
        p->x1 = x1;
        p->v = v;
    }
    return p;
}

const struct pnode *pat_shift(struct arena *a, struct rat early, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    if (early.n == 0)
        return kid;
    struct pnode *p = (struct pnode *)pat_node1(a, P_SHIFT, 0, kid);
    if (p)
        p->r0 = early;
    return p;
}

const struct pnode *pat_fast(struct arena *a, struct rat factor, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    if (factor.n <= 0)
        return pat_silence();
    if (factor.n == 1 && factor.d == 1)
        return kid;
    struct pnode *p = (struct pnode *)pat_node1(a, P_FAST, 0, kid);
    if (p)
        p->r0 = factor;
    return p;
}

static const struct pnode *slow(struct arena *a, struct rat factor, const struct pnode *kid)
{
    if (factor.n == 0)
        return pat_silence();
    return pat_fast(a, rat_div(rat_int(1), factor), kid);
}

const struct pnode *pat_fastgap(struct arena *a, struct rat factor, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    if (factor.n <= 0)
        return pat_silence();
    struct pnode *p = (struct pnode *)pat_node1(a, P_FASTGAP, 0, kid);
    if (p)
        p->r0 = factor;
    return p;
}

const struct pnode *pat_compress(struct arena *a, struct rat b, struct rat e, const struct pnode *kid)
{
    struct rat zero = rat_int(0), one = rat_int(1);
    if (rat_gt(b, e) || rat_gt(b, one) || rat_gt(e, one) || rat_lt(b, zero) || rat_lt(e, zero))
        return pat_silence();
    if (rat_eq(b, e))
        return NULL;                                /* 1/0: the caller reports it */
    return pat_shift(a, rat_neg(b), pat_fastgap(a, rat_div(one, rat_sub(e, b)), kid));
}

const struct pnode *pat_zoom(struct arena *a, struct rat s, struct rat e, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    if (rat_ge(s, e))
        return pat_silence();
    struct pnode *p = (struct pnode *)pat_node1(a, P_ZOOM, 0, kid);
    if (p) {
        p->r0 = s;
        p->r1 = rat_sub(e, s);
    }
    return p;
}

const struct pnode *pat_slowcat(struct arena *a, const struct pnode *const *kids, int n)
{
    return list_node(a, P_SLOWCAT, kids, n);
}

const struct pnode *pat_fastcat(struct arena *a, const struct pnode *const *kids, int n)
{
    const struct pnode *s = pat_slowcat(a, kids, n);
    return n > 1 ? pat_fast(a, rat_int(n), s) : s;
}

const struct pnode *pat_timecat(struct arena *a, const struct rat *weights,
                                const struct pnode *const *kids, int n, const char **err)
{
    if (n == 0)
        return pat_silence();
    if (n == 1)
        return kids[0];
    struct rat total = rat_int(0), begin = rat_int(0);
    for (int i = 0; i < n; i++)
        total = rat_add(total, weights[i]);
    if (total.n == 0) {
        *err = "Division by Zero";
        return NULL;
    }
    const struct pnode **parts = ARENA_ARRAY(a, const struct pnode *, n);
    struct rat *rs = ARENA_ARRAY(a, struct rat, n + 1);
    if (!parts || !rs)
        return NULL;
    int m = 0;
    rs[0] = rat_int(0);
    for (int i = 0; i < n; i++) {
        if (weights[i].n == 0)
            continue;
        struct rat end = rat_add(begin, weights[i]);
        rs[m + 1] = rat_div(end, total);
        const struct pnode *c = pat_compress(a, rs[m], rs[m + 1], kids[i]);
        if (!c)
            return NULL;
        parts[m++] = c;
        begin = end;
    }
    if (m < 2)
        return pat_stack(a, parts, m);
    struct pnode *p = (struct pnode *)list_node(a, P_TIMECAT, parts, m);
    if (p)
        p->rs = rs;
    return p;
}

const struct pnode *pat_call(struct arena *a, const struct pnode *fn, const struct pnode *arg)
{
    if (!fn || !arg)
        return NULL;
    if (fn->kind == P_HOLE)
        return arg;                                 /* the identity function */
    struct pnode *p = (struct pnode *)pat_node1(a, P_CALL, 0, arg);
    if (p)
        p->fn = fn;
    return p;
}

const struct pnode *pat_repeat(struct arena *a, struct rat n, const struct pnode *kid)
{
    struct pnode *p = (struct pnode *)pat_node1(a, P_REPEAT, 0, kid);
    if (p)
        p->r0 = n;
    return p;
}

const struct pnode *pat_bits(struct arena *a, const int *bits, int n)
{
    const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, n);
    if (!kids)
        return NULL;
    for (int i = 0; i < n; i++)
        if (!(kids[i] = pat_pure(a, val_num(bits[i]))))
            return NULL;
    return pat_fastcat(a, kids, n);
}

static const struct pnode *set_control(struct arena *a, const struct pnode *p, const char *key, double x)
{
    struct val m = val_map_set(a, val_none(), key, val_num(x));
    return pat_app(a, APP_LEFT | VOP_SET, p, pat_pure(a, m));
}

const struct pnode *pat_control(struct arena *a, const char *names, int note, const struct pnode *p)
{
    struct pnode *f = (struct pnode *)pat_fmap(a, FM_CONTROL, p, 0, 0, val_str(names));
    if (f)
        f->i0 = note;
    return f;
}

/* ---- the opcode table ------------------------------------------------------ */

#define PAT_OP_NAME(e, name, args) name,
#define PAT_OP_ARGS(e, name, args) args,
static const char *const op_names[PAT_OP_COUNT] = { PAT_OPS(PAT_OP_NAME) };
static const char *const op_args[PAT_OP_COUNT] = { PAT_OPS(PAT_OP_ARGS) };

int pat_op_lookup(const char *name)
{
    for (int i = 0; i < PAT_OP_COUNT; i++)
        if (op_names[i][0] && strcmp(op_names[i], name) == 0)
            return i;
    return -1;
}

const char *pat_op_name(int op) { return op >= 0 && op < PAT_OP_COUNT ? op_names[op] : "?"; }
const char *pat_op_args(int op) { return op >= 0 && op < PAT_OP_COUNT ? op_args[op] : ""; }

/* ---- argument helpers ------------------------------------------------------- */

struct bctx {
    struct arena *a;
    const char **err;
    const char *name;
};

static int num_arg(struct bctx *b, struct val v, double *x)
{
    if (v.kind == VAL_NUM) {
        *x = v.u.num;
        return 0;
    }
    if (v.kind == VAL_BOOL) {
        *x = v.u.b;
        return 0;
    }
    if (v.kind == VAL_STR && val_parse_number(v.u.str, strlen(v.u.str), x))
        return 0;
    *b->err = "an argument that must be a number is not one";
    return -1;
}

static int time_arg(struct bctx *b, struct val v, struct rat *r)
{
    double x;
    if (num_arg(b, v, &x))
        return -1;
    if (rat_from_double(x, r)) {
        *b->err = isfinite(x) ? "a time or factor must be smaller than 9.2e18" : "a time or factor must be a finite number";
        return -1;
    }
    return 0;
}

/* A whole number argument within [lo, hi]. */
static int int_arg(struct bctx *b, struct val v, long lo, long hi, const char *what, long *n)
{
    double x;
    if (num_arg(b, v, &x))
        return -1;
    if (x != floor(x) || x < lo || x > hi) {
        *b->err = what;
        return -1;
    }
    *n = (long)x;
    return 0;
}

static const struct pnode *fn_arg(struct val v)
{
    return v.kind == VAL_NODE ? v.u.node : pat_hole();
}

/* Strudel's listRange(0, n - 1): 0 .. floor(n) - 1, nothing when n <= 0. */
static int range_count(double n)
{
    if (!(n > 0))
        return 0;
    return n > 100000 ? 100001 : (int)floor(n);
}

/* ---- euclid ------------------------------------------------------------------ */

/* Bjorklund's algorithm (SEMANTICS.md 6): k groups [1] (list A) and n - k
 * groups [0] (list B); while both lists have more than one group, pair A[i]
 * with B[i] into the new A, and the longer list's rest becomes the new B.
 * All groups of a list are equal, so a list is one group and a count; and
 * a run of rounds in which A is the shorter list only appends B to A's
 * group each time, so the run is done at once (as in Euclid's algorithm by
 * division). O(n log n) time, two buffers of n. */
static int bjorklund(struct arena *a, long k, long n, int **out)
{
    long cap = n ? n : 1;
    int *ga = ARENA_ARRAY(a, int, cap), *gb = ARENA_ARRAY(a, int, cap), *t = ARENA_ARRAY(a, int, cap);
    int *seq = ARENA_ARRAY(a, int, cap);
    if (!ga || !gb || !t || !seq)
        return -1;
    long na = k, nb = n - k, la = 1, lb = 1;
    ga[0] = 1;
    gb[0] = 0;
    while ((na < nb ? na : nb) > 1) {
        if (na < nb) {
            /* rounds while A is the shorter list: A += B each, B loses na */
            long q = (nb - 1) / na;
            for (long r = 0; r < q; r++) {
                memcpy(ga + la, gb, sizeof *ga * (size_t)lb);
                la += lb;
            }
            nb -= q * na;
        } else {
            /* A[i] ++ B[i] for nb groups; the rest of A (na - nb) is the new B */
            memcpy(t, ga, sizeof *ga * (size_t)la);
            memcpy(ga + la, gb, sizeof *ga * (size_t)lb);
            memcpy(gb, t, sizeof *gb * (size_t)la);
            long nla = la + lb;
            lb = la;
            la = nla;
            long m = nb;
            nb = na - nb;
            na = m;
        }
    }
    long o = 0;
    for (long g = 0; g < na; g++, o += la)
        memcpy(seq + o, ga, sizeof *seq * (size_t)la);
    for (long g = 0; g < nb; g++, o += lb)
        memcpy(seq + o, gb, sizeof *seq * (size_t)lb);
    *out = seq;
    return 0;
}

/* The bits of (p, s): p < 0 inverts; |p| > s is an error. */
static const int *euclid_bits(struct bctx *b, struct val pv, struct val sv, long *sp)
{
    long p, s;
    if (int_arg(b, pv, -10000, 10000, "euclid: the number of pulses must be a whole number from -10000 to 10000", &p) ||
        int_arg(b, sv, -10000, 10000, "euclid: the number of steps must be a whole number from -10000 to 10000", &s))
        return NULL;
    long ap = p < 0 ? -p : p;
    if (ap > s) {
        *b->err = "euclid: more pulses than steps";
        return NULL;
    }
    int *bits;
    if (bjorklund(b->a, ap, s, &bits))
        return NULL;
    if (p < 0)
        for (long i = 0; i < s; i++)
            bits[i] = !bits[i];
    *sp = s;
    return bits;
}

static const struct pnode *euclid_struct(struct bctx *b, struct val pv, struct val sv,
                                         const struct pnode *p, long *steps)
{
    long s;
    const int *bits = euclid_bits(b, pv, sv, &s);
    if (!bits)
        return NULL;
    if (steps)
        *steps = s;
    return pat_app(b->a, APP_RIGHT | VOP_KEEPIF, p, pat_bits(b->a, bits, (int)s));
}

static const struct pnode *euclid_legato(struct bctx *b, struct val pv, struct val sv, struct val rv,
                                         const struct pnode *p)
{
    double pulses;
    if (num_arg(b, pv, &pulses))
        return NULL;
    if (pulses < 1)
        return pat_silence();
    long s;
    const int *bits = euclid_bits(b, pv, sv, &s);
    if (!bits)
        return NULL;
    /* each pulse held until the next: weights = gap lengths + 1 */
    struct rat *w = ARENA_ARRAY(b->a, struct rat, s);
    const struct pnode **kids = ARENA_ARRAY(b->a, const struct pnode *, s);
    if (!w || !kids)
        return NULL;
    int n = 0;
    const struct pnode *t = pat_pure(b->a, val_bool(1));
    for (long i = 0; i < s; i++) {
        if (bits[i]) {
            w[n] = rat_int(1);
            kids[n++] = t;
        } else if (n) {
            w[n - 1] = rat_add(w[n - 1], rat_int(1));
        }
    }
    const struct pnode *tc = pat_timecat(b->a, w, kids, n, b->err);
    if (!tc)
        return NULL;
    struct rat rot;
    if (time_arg(b, rv, &rot))
        return NULL;
    return pat_shift(b->a, rat_neg(rat_div(rot, rat_int(s))),
                     pat_app(b->a, APP_RIGHT | VOP_KEEPIF, p, tc));
}

/* ---- random ------------------------------------------------------------------ */

static const struct pnode *rand_node(struct arena *a) { return pat_signal(a, SIG_RAND); }

static const struct pnode *segment(struct arena *a, struct rat n, const struct pnode *p)
{
    return pat_app(a, APP_RIGHT | VOP_KEEPIF, p, pat_fast(a, n, pat_pure(a, val_bool(1))));
}

static const struct pnode *degrade_with(struct arena *a, const struct pnode *with, double x,
                                        const struct pnode *p)
{
    return app_x(a, APP_LEFT | VOP_DEGRADE, x, p, with);
}

static const struct pnode *one_minus(struct arena *a, const struct pnode *p)
{
    return pat_fmap(a, FM_ONE_MINUS, p, 0, 0, val_none());
}

/* range lo hi as Strudel's pat.mul(hi - lo).add(lo): applicative with pure
 * numbers, so continuous events are cut at cycle boundaries. */
static const struct pnode *range(struct arena *a, double lo, double hi, const struct pnode *p)
{
    const struct pnode *m = pat_app(a, APP_LEFT | VOP_MUL, p, pat_pure(a, val_num(hi - lo)));
    return pat_app(a, APP_LEFT | VOP_ADD, m, pat_pure(a, val_num(lo)));
}

/* ---- build ---------------------------------------------------------------------- */

const struct pnode *pat_op_build(struct arena *a, int op, const struct val *args, int nargs,
                                 const struct pnode *fn, const struct pnode *p, const char **err)
{
    const char *dummy;
    if (!err)
        err = &dummy;
    *err = NULL;
    struct bctx b = { a, err, pat_op_name(op) };
    struct rat r0, r1;
    double x0, x1, x2;
    long n;
    (void)nargs;
    if (!p)
        return NULL;
    switch (op) {
    case PAT_OP_FAST:
        if (num_arg(&b, args[0], &x0))
            return NULL;
        if (x0 == 0)
            return pat_silence();
        return time_arg(&b, args[0], &r0) ? NULL : pat_fast(a, r0, p);
    case PAT_OP_SLOW:
        if (num_arg(&b, args[0], &x0))
            return NULL;
        if (x0 == 0)
            return pat_silence();
        return time_arg(&b, args[0], &r0) ? NULL : slow(a, r0, p);
    case PAT_OP_HURRY: {
        if (time_arg(&b, args[0], &r0) || num_arg(&b, args[0], &x0))
            return NULL;
        struct val m = val_map_set(a, val_none(), "speed", val_num(x0));
        return pat_app(a, APP_LEFT | VOP_MUL, pat_fast(a, r0, p), pat_pure(a, m));
    }
    case PAT_OP_EARLY:
        return time_arg(&b, args[0], &r0) ? NULL : pat_shift(a, r0, p);
    case PAT_OP_LATE:
        return time_arg(&b, args[0], &r0) ? NULL : pat_shift(a, rat_neg(r0), p);
    case PAT_OP_FASTGAP:
        return time_arg(&b, args[0], &r0) ? NULL : pat_fastgap(a, r0, p);
    case PAT_OP_COMPRESS: {
        if (time_arg(&b, args[0], &r0) || time_arg(&b, args[1], &r1))
            return NULL;
        const struct pnode *c = pat_compress(a, r0, r1, p);
        if (!c && rat_eq(r0, r1))
            *err = "Division by Zero";
        return c;
    }
    case PAT_OP_ZOOM:
        if (time_arg(&b, args[0], &r0) || time_arg(&b, args[1], &r1))
            return NULL;
        return pat_zoom(a, r0, r1, p);
    case PAT_OP_INSIDE:
    case PAT_OP_OUTSIDE: {
        if (num_arg(&b, args[0], &x0) || time_arg(&b, args[0], &r0))
            return NULL;
        if (x0 == 0)
            return pat_silence();
        struct rat inv = rat_div(rat_int(1), r0);
        if (op == PAT_OP_OUTSIDE) {
            struct rat t = inv;
            inv = r0;
            r0 = t;
        }
        return pat_fast(a, r0, pat_call(a, fn_arg(args[1]), pat_fast(a, inv, p)));
    }
    case PAT_OP_REV:
        return pat_node1(a, P_REV, 0, p);
    case PAT_OP_PALINDROME: {               /* lastOf 2 rev */
        struct pnode *e = node(a, P_EVERY, 2);
        const struct pnode *rev = pat_node1(a, P_REV, 0, p);
        if (!e || !rev)
            return NULL;
        e->i0 = 2;
        e->x0 = 1;
        kids_of(e)[0] = p;
        kids_of(e)[1] = rev;
        return e;
    }
    case PAT_OP_ITER:
    case PAT_OP_ITERBACK: {
        if (int_arg(&b, args[0], -1000000, 1000000, "the count must be a whole number", &n))
            return NULL;
        if (n <= 0)
            return pat_silence();
        if (n == 1)
            return p;
        struct pnode *it = (struct pnode *)pat_node1(a, P_ITER, op == PAT_OP_ITERBACK, p);
        if (it)
            it->i0 = (int)n;
        return it;
    }
    case PAT_OP_EVERY:
    case PAT_OP_EVERYOFF: {
        if (int_arg(&b, args[0], 1, 1000000000, "the count must be a positive whole number", &n))
            return NULL;
        long off = 0;
        if (op == PAT_OP_EVERYOFF &&
            int_arg(&b, args[1], -1000000000, 1000000000, "every': the offset must be a whole number", &off))
            return NULL;
        const struct pnode *f = pat_call(a, fn_arg(args[op == PAT_OP_EVERY ? 1 : 2]), p);
        struct pnode *e = node(a, P_EVERY, 2);
        if (!e || !f)
            return NULL;
        e->i0 = (int)n;
        e->x0 = (double)off;
        kids_of(e)[0] = p;
        kids_of(e)[1] = f;
        return e;
    }
    case PAT_OP_WHENMOD: {
        if (time_arg(&b, args[0], &r0) || time_arg(&b, args[1], &r1))
            return NULL;
        if (r0.n <= 0) {
            *err = "whenmod: the cycle count must be positive";
            return NULL;
        }
        const struct pnode *f = pat_call(a, fn_arg(args[2]), p);
        struct pnode *e = node(a, P_EVERY, 2);
        if (!e || !f)
            return NULL;
        e->op = 1;
        e->r0 = r0;
        e->r1 = r1;
        kids_of(e)[0] = p;
        kids_of(e)[1] = f;
        return e;
    }
    case PAT_OP_CHUNK:
    case PAT_OP_CHUNKBACK: {
        if (int_arg(&b, args[0], 1, 100000, "the count must be a positive whole number", &n))
            return NULL;
        int *bits = ARENA_ARRAY(a, int, n);
        if (!bits)
            return NULL;
        for (long i = 0; i < n; i++)
            bits[i] = i == 0;
        const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, n);
        if (!kids)
            return NULL;
        for (long i = 0; i < n; i++)
            kids[i] = pat_pure(a, val_bool(bits[i]));
        const struct pnode *seq = pat_fastcat(a, kids, (int)n);
        /* the true part moves one step per cycle: iter' for chunk, iter for chunk' */
        const struct pnode *binary = seq;
        if (n > 1) {
            struct pnode *it = (struct pnode *)pat_node1(a, P_ITER, op == PAT_OP_CHUNK, seq);
            if (!it)
                return NULL;
            it->i0 = (int)n;
            binary = it;
        }
        const struct pnode *rep = pat_repeat(a, rat_int(n), p);
        const struct pnode *wargs[2] = { binary, pat_pure(a, (struct val){ VAL_NODE, 0, { .node = fn_arg(args[1]) } }) };
        struct val none[2] = { val_none(), val_none() };
        return pat_op_apply(a, PAT_OP_WHEN, none, wargs, 2, rep, err);
    }
    case PAT_OP_BRAK: {
        /* when (slowcat [false, true]) (\x -> fastcat [x, silence] late 1/4) */
        const struct pnode *fk[2] = { pat_hole(), pat_silence() };
        const struct pnode *f = pat_shift(a, rat_make(-1, 4), pat_fastcat(a, fk, 2));
        const struct pnode *bk[2] = { pat_pure(a, val_bool(0)), pat_pure(a, val_bool(1)) };
        const struct pnode *wargs[2] = { pat_slowcat(a, bk, 2),
                                         pat_pure(a, (struct val){ VAL_NODE, 0, { .node = f } }) };
        struct val none[2] = { val_none(), val_none() };
        return f ? pat_op_apply(a, PAT_OP_WHEN, none, wargs, 2, p, err) : NULL;
    }
    case PAT_OP_WHEN:
        return val_truthy(args[0]) ? pat_call(a, fn_arg(args[1]), p) : p;
    case PAT_OP_PLY: {
        if (time_arg(&b, args[0], &r0))
            return NULL;
        struct pnode *s = (struct pnode *)pat_node1(a, P_SQUEEZE, SQ_PLY, p);
        if (s)
            s->r0 = r0;
        return s;
    }
    case PAT_OP_OFF:
        if (time_arg(&b, args[0], &r0))
            return NULL;
        return stack2(a, p, pat_call(a, fn_arg(args[1]), pat_shift(a, rat_neg(r0), p)));
    case PAT_OP_SUPERIMPOSE:
        return stack2(a, p, pat_call(a, fn_arg(args[0]), p));
    case PAT_OP_LAYER: {
        if (args[0].kind != VAL_LIST) {
            *err = "layer: expects a list of functions";
            return NULL;
        }
        int m = (int)args[0].n;
        const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, m ? m : 1);
        if (!kids)
            return NULL;
        for (int i = 0; i < m; i++)
            kids[i] = pat_call(a, fn_arg(args[0].u.list[i]), p);
        return pat_stack(a, kids, m);
    }
    case PAT_OP_STUT:
    case PAT_OP_ECHO:
    case PAT_OP_ECHOWITH: {
        struct val tv = op == PAT_OP_STUT ? args[2] : args[1];
        if (num_arg(&b, args[0], &x0) || time_arg(&b, tv, &r0))
            return NULL;
        if (op != PAT_OP_ECHOWITH && num_arg(&b, op == PAT_OP_STUT ? args[1] : args[2], &x1))
            return NULL;
        int m = range_count(x0);
        if (m > 100000) {
            *err = "too many copies";
            return NULL;
        }
        const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, m ? m : 1);
        if (!kids)
            return NULL;
        for (int i = 0; i < m; i++) {
            const struct pnode *late = pat_shift(a, rat_neg(rat_mul(r0, rat_int(i))), p);
            kids[i] = op == PAT_OP_ECHOWITH ? pat_call(a, fn_arg(args[2]), late)
                                            : set_control(a, late, "gain", pow(x1, i));
        }
        return pat_stack(a, kids, m);
    }
    case PAT_OP_JUX:
    case PAT_OP_JUXBY: {
        x0 = 1;
        if (op == PAT_OP_JUXBY && num_arg(&b, args[0], &x0))
            return NULL;
        double by = x0 / 2;
        const struct pnode *l = pat_fmap(a, FM_PAN_ADD, p, -by, 0, val_none());
        const struct pnode *r = pat_fmap(a, FM_PAN_ADD, p, by, 0, val_none());
        return stack2(a, l, pat_call(a, fn_arg(args[op == PAT_OP_JUX ? 0 : 1]), r));
    }
    case PAT_OP_CHOP: {
        if (num_arg(&b, args[0], &x0))
            return NULL;
        int m = range_count(x0);
        if (m == 0)
            return pat_silence();
        if (m > 100000) {
            *err = "chop: too many parts";
            return NULL;
        }
        struct pnode *s = (struct pnode *)pat_node1(a, P_SQUEEZE, SQ_CHOP, p);
        if (s) {
            s->i0 = m;
            s->x0 = x0;
        }
        return s;
    }
    case PAT_OP_STRIATE: {
        if (num_arg(&b, args[0], &x0) || time_arg(&b, args[0], &r0))
            return NULL;
        int m = range_count(x0);
        if (m > 100000) {
            *err = "striate: too many parts";
            return NULL;
        }
        const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, m ? m : 1);
        if (!kids)
            return NULL;
        for (int i = 0; i < m; i++) {
            struct val s = val_map_set(a, val_none(), "begin", val_num(i / x0));
            kids[i] = pat_pure(a, val_map_set(a, s, "end", val_num((i + 1) / x0)));
        }
        return pat_fast(a, r0, pat_app(a, APP_LEFT | VOP_SET, p, pat_slowcat(a, kids, m)));
    }
    case PAT_OP_SEGMENT:
        if (num_arg(&b, args[0], &x0))
            return NULL;
        if (x0 == 0)
            return pat_silence();
        return time_arg(&b, args[0], &r0) ? NULL : segment(a, r0, p);
    case PAT_OP_RANGE:
    case PAT_OP_RANGEX:
        if (num_arg(&b, args[0], &x0) || num_arg(&b, args[1], &x1))
            return NULL;
        if (op == PAT_OP_RANGE)
            return range(a, x0, x1, p);
        return pat_fmap(a, FM_RANGEX, range(a, log(x0), log(x1), p), 0, 0, val_none());
    case PAT_OP_LINGER:
        if (num_arg(&b, args[0], &x0))
            return NULL;
        if (x0 == 0)
            return pat_silence();
        if (x0 < 0) {
            *err = "linger: the fraction must not be negative";
            return NULL;
        }
        if (time_arg(&b, args[0], &r0))
            return NULL;
        return slow(a, r0, pat_zoom(a, rat_int(0), r0, p));
    case PAT_OP_EUCLID:
        return euclid_struct(&b, args[0], args[1], p, NULL);
    case PAT_OP_EUCLIDROT:
    case PAT_OP_EUCLIDOFF: {
        if (op == PAT_OP_EUCLIDOFF && num_arg(&b, args[1], &x1) == 0 && x1 == 0)
            return pat_silence();
        long s;
        const struct pnode *e = euclid_struct(&b, args[0], args[1], p, &s);
        if (!e || time_arg(&b, args[2], &r0))
            return NULL;
        if (s == 0) {
            *err = "Division by Zero";
            return NULL;
        }
        return pat_shift(a, rat_div(r0, rat_int(s)), e);          /* rotate left */
    }
    case PAT_OP_EUCLIDFULL: {
        const struct pnode *on = euclid_struct(&b, args[0], args[1], fn_arg(args[2]), NULL);
        if (!on || num_arg(&b, args[0], &x0))
            return NULL;
        const struct pnode *off = euclid_struct(&b, val_num(-x0), args[1], p, NULL);
        return off ? stack2(a, on, off) : NULL;
    }
    case PAT_OP_EUCLIDLEGATO:
        return euclid_legato(&b, args[0], args[1], val_num(0), p);
    case PAT_OP_EUCLIDLEGATOROT:
        return euclid_legato(&b, args[0], args[1], args[2], p);
    case PAT_OP_STRUCT:
        return pat_app(a, APP_RIGHT | VOP_KEEPIF, p, fn_arg(args[0]));
    case PAT_OP_MASK:
        return pat_app(a, APP_LEFT | VOP_KEEPIF, p, fn_arg(args[0]));
    case PAT_OP_SWINGBY:
    case PAT_OP_SWING: {
        x0 = 1.0 / 3;
        struct val nv = args[0];
        if (op == PAT_OP_SWINGBY) {
            if (num_arg(&b, args[0], &x0))
                return NULL;
            nv = args[1];
        }
        if (num_arg(&b, nv, &x1) || time_arg(&b, nv, &r1))
            return NULL;
        /* inside n (late (seq [0, x/2])) */
        const struct pnode *sk[2] = { pat_pure(a, val_num(0)), pat_pure(a, val_num(x0 / 2)) };
        const struct pnode *shift = pat_fastcat(a, sk, 2);
        if (x1 == 0)
            return pat_silence();
        const struct pnode *slowed = pat_fast(a, rat_div(rat_int(1), r1), p);
        struct val none = val_none();
        const struct pnode *lt = pat_op_apply(a, PAT_OP_LATE, &none, &shift, 1, slowed, err);
        return pat_fast(a, r1, lt);
    }
    case PAT_OP_SHUFFLE:
    case PAT_OP_SCRAMBLE: {
        if (int_arg(&b, args[0], -1000000, 100000, "the count must be a whole number", &n))
            return NULL;
        if (n <= 0)
            return pat_silence();
        const struct pnode *ipat;
        if (op == PAT_OP_SHUFFLE) {
            struct pnode *rr = node(a, P_RANDRUN, 0);
            if (!rr)
                return NULL;
            rr->i0 = (int)n;
            ipat = segment(a, rat_int(n), rr);
        } else {
            ipat = segment(a, rat_int(n), pat_fmap(a, FM_TRUNC_MUL, rand_node(a), (double)n, 0, val_none()));
        }
        struct pnode *r = node(a, P_REARRANGE, 2);
        if (!r || !ipat)
            return NULL;
        r->i0 = (int)n;
        kids_of(r)[0] = ipat;
        kids_of(r)[1] = p;
        return r;
    }
    case PAT_OP_WITHIN: {
        if (num_arg(&b, args[0], &x0) || num_arg(&b, args[1], &x1))
            return NULL;
        struct pnode *in = (struct pnode *)pat_node1(a, P_FILTER_WHEN, 0, p);
        struct pnode *out = (struct pnode *)pat_node1(a, P_FILTER_WHEN, 1, p);
        if (!in || !out)
            return NULL;
        in->x0 = out->x0 = x0;
        in->x1 = out->x1 = x1;
        return stack2(a, pat_call(a, fn_arg(args[2]), in), out);
    }
    case PAT_OP_DEGRADEBY:
    case PAT_OP_DEGRADE:
        x0 = 0.5;
        if (op == PAT_OP_DEGRADEBY && num_arg(&b, args[0], &x0))
            return NULL;
        return degrade_with(a, rand_node(a), x0, p);
    case PAT_OP_UNDEGRADEBY:
        if (num_arg(&b, args[0], &x0))
            return NULL;
        return degrade_with(a, one_minus(a, rand_node(a)), x0, p);
    case PAT_OP_SOMETIMESBY:
    case PAT_OP_SOMECYCLESBY:
    case PAT_OP_SOMETIMES:
    case PAT_OP_OFTEN:
    case PAT_OP_RARELY:
    case PAT_OP_ALMOSTNEVER:
    case PAT_OP_ALMOSTALWAYS:
    case PAT_OP_SOMECYCLES: {
        int cycles = op == PAT_OP_SOMECYCLESBY || op == PAT_OP_SOMECYCLES;
        struct val f = args[0];
        switch (op) {
        case PAT_OP_SOMETIMESBY: case PAT_OP_SOMECYCLESBY:
            if (num_arg(&b, args[0], &x0))
                return NULL;
            f = args[1];
            break;
        case PAT_OP_OFTEN: x0 = 0.75; break;
        case PAT_OP_RARELY: x0 = 0.25; break;
        case PAT_OP_ALMOSTNEVER: x0 = 0.1; break;
        case PAT_OP_ALMOSTALWAYS: x0 = 0.9; break;
        default: x0 = 0.5; break;
        }
        /* reify(x).fmap(...).innerJoin(): always a join over pure(x) */
        struct pnode *pa = node(a, P_PATARG, 2);
        if (!pa)
            return NULL;
        pa->op = cycles ? PAT_OP_SOMECYCLES_CORE : PAT_OP_SOMETIMES_CORE;
        pa->fn = fn_arg(f);
        kids_of(pa)[0] = pat_pure(a, val_num(x0));
        kids_of(pa)[1] = p;
        return kids_of(pa)[0] ? pa : NULL;
    }
    case PAT_OP_SOMETIMES_CORE:
        x0 = args[0].u.num;
        return stack2(a, degrade_with(a, rand_node(a), x0, p),
                      pat_call(a, fn, degrade_with(a, one_minus(a, rand_node(a)), 1 - x0, p)));
    case PAT_OP_SOMECYCLES_CORE:
        x0 = args[0].u.num;
        return stack2(a, degrade_with(a, segment(a, rat_int(1), rand_node(a)), x0, p),
                      pat_call(a, fn, degrade_with(a, segment(a, rat_int(1), one_minus(a, rand_node(a))),
                                                   1 - x0, p)));
    case PAT_OP_SEED: {
        if (num_arg(&b, args[0], &x0))
            return NULL;
        struct pnode *s = (struct pnode *)pat_node1(a, P_SEED, 0, p);
        if (s)
            s->x0 = x0;
        return s;
    }
    case PAT_OP_REPEATCYCLES:
        if (time_arg(&b, args[0], &r0))
            return NULL;
        if (r0.n == 0) {
            *err = "Division by Zero";
            return NULL;
        }
        return pat_repeat(a, r0, p);
    case PAT_OP_IRAND:
        if (num_arg(&b, args[0], &x0))
            return NULL;
        return pat_fmap(a, FM_TRUNC_MUL, rand_node(a), x0, 0, val_none());
    case PAT_OP_RUN:
        if (num_arg(&b, args[0], &x2))
            return NULL;
        if (x2 == 0)
            return pat_silence();
        if (time_arg(&b, args[0], &r0))
            return NULL;
        return segment(a, r0, pat_fmap(a, FM_ROUND, range(a, 0, x2, pat_signal(a, SIG_SAW)), 0, 0, val_none()));
    }
    *err = "internal: unknown transform";
    return NULL;
}

const struct pnode *pat_op_apply(struct arena *a, int op, const struct val *args,
                                 const struct pnode *const *argpats, int nargs,
                                 const struct pnode *p, const char **err)
{
    int any = 0;
    for (int i = 0; i < nargs; i++)
        any |= argpats[i] != NULL;
    const char *dummy;
    if (!err)
        err = &dummy;
    *err = NULL;
    if (!any)
        return pat_op_build(a, op, args, nargs, NULL, p, err);
    /* every argument becomes a pattern: constants as pure values (functions
     * too, as the reference reifies them), so they take part in the
     * applicative chain that cuts the first argument's events at cycles */
    struct pnode *pa = node(a, P_PATARG, nargs + 1);
    if (!pa || !p)
        return NULL;
    pa->op = op;
    for (int i = 0; i < nargs; i++) {
        const struct pnode *k = argpats[i] ? argpats[i] : pat_pure(a, args[i]);
        if (!k)
            return NULL;
        kids_of(pa)[i] = k;
    }
    kids_of(pa)[nargs] = p;
    return pa;
}

/* ---- patterns that are not transforms ------------------------------------------ */

const struct pnode *pat_irand(struct arena *a, struct val n, const struct pnode *npat)
{
    struct pnode *pa = node(a, P_PATARG, 2);
    if (!pa)
        return NULL;
    pa->op = PAT_OP_IRAND;
    kids_of(pa)[0] = npat ? npat : pat_pure(a, n);
    kids_of(pa)[1] = pat_silence();
    return kids_of(pa)[0] ? pa : NULL;
}

const struct pnode *pat_run(struct arena *a, struct val n, const struct pnode *npat, const char **err)
{
    const struct pnode *none = npat;
    return pat_op_apply(a, PAT_OP_RUN, &n, &none, 1, pat_silence(), err);
}

const struct pnode *pat_choose(struct arena *a, const struct pnode *const *xs, int n, int cycles)
{
    if (n == 0)
        return pat_silence();
    const struct pnode *sel = rand_node(a);
    if (cycles)
        sel = segment(a, rat_int(1), sel);
    sel = pat_fmap(a, FM_INDEX, range(a, 0, n, sel), n, 0, val_none());
    struct pnode *j = node(a, P_JOIN, n + 1);
    if (!j || !sel)
        return NULL;
    j->op = !cycles;                                /* choose: outer join; chooseCycles: inner */
    kids_of(j)[0] = sel;
    for (int i = 0; i < n; i++)
        kids_of(j)[i + 1] = xs[i];
    return j;
}

const struct pnode *pat_wchoose(struct arena *a, const struct pnode *const *xs, const double *w,
                                int n, const char **err)
{
    if (n == 0)
        return pat_silence();
    struct val *cum = ARENA_ARRAY(a, struct val, n);
    struct pnode *j = node(a, P_WCHOOSE, n + 1);
    if (!cum || !j)
        return NULL;
    double total = 0;
    for (int i = 0; i < n; i++) {
        if (!(w[i] >= 0)) {
            *err = "wchoose: weights must be numbers >= 0";
            return NULL;
        }
        total += w[i];
        cum[i] = val_num(total);
    }
    j->v.kind = VAL_LIST;
    j->v.n = (uint32_t)n;
    j->v.u.list = cum;
    j->x0 = total;
    kids_of(j)[0] = rand_node(a);
    for (int i = 0; i < n; i++)
        kids_of(j)[i + 1] = xs[i];
    return j;
}

static struct rat rat_lcm(struct rat a, struct rat b)
{
    /* lcm of fractions: lcm(numerators) / gcd(denominators) */
    int64_t x = a.n < 0 ? -a.n : a.n, y = b.n < 0 ? -b.n : b.n;
    int64_t g = x, h = y;
    while (h) { int64_t t = g % h; g = h; h = t; }
    int64_t gd = a.d, hd = b.d;
    while (hd) { int64_t t = gd % hd; gd = hd; hd = t; }
    if (g == 0)
        return rat_int(0);
    return rat_div(rat_mul(rat_int(x / g), rat_int(y)), rat_int(gd));
}

const struct pnode *pat_polymeter(struct arena *a, const struct pnode *const *kids,
                                  const struct rat *steps, int n)
{
    struct rat l = rat_int(0);
    int any = 0;
    for (int i = 0; i < n; i++) {
        if (steps[i].n == 0)
            continue;
        l = any ? rat_lcm(l, steps[i]) : steps[i];
        any = 1;
    }
    if (!any || l.n == 0)
        return pat_silence();
    const struct pnode **out = ARENA_ARRAY(a, const struct pnode *, n);
    if (!out)
        return NULL;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (steps[i].n != 0)
            out[m++] = pat_fast(a, rat_div(l, steps[i]), kids[i]);
    return pat_stack(a, out, m);
}

const struct pnode *pat_named_signal(struct arena *a, const char *name)
{
    size_t len = strlen(name);
    int bipolar = len > 1 && name[len - 1] == '2';
    char base[16];
    if (len >= sizeof base)
        return NULL;
    memcpy(base, name, len + 1);
    if (bipolar)
        base[len - 1] = 0;
    const struct pnode *s = NULL;
    if (strcmp(base, "saw") == 0)
        s = pat_signal(a, SIG_SAW);
    else if (strcmp(base, "isaw") == 0)
        s = pat_signal(a, SIG_ISAW);
    else if (strcmp(base, "square") == 0)
        s = pat_signal(a, SIG_SQUARE);
    else if (strcmp(base, "sine") == 0 || strcmp(base, "cosine") == 0) {
        s = pat_signal(a, SIG_SINE2);
        if (!bipolar)
            s = pat_fmap(a, FM_FROMBIPOLAR, s, 0, 0, val_none());
        if (base[0] == 'c')
            s = pat_shift(a, rat_make(1, 4), s);
        return s;
    } else if (strcmp(base, "tri") == 0) {
        const struct pnode *k[2] = { pat_named_signal(a, bipolar ? "saw2" : "saw"),
                                     pat_named_signal(a, bipolar ? "isaw2" : "isaw") };
        return k[0] && k[1] ? pat_fastcat(a, k, 2) : NULL;
    } else if (strcmp(base, "rand") == 0)
        s = pat_signal(a, SIG_RAND);
    else if (strcmp(base, "perlin") == 0 && !bipolar)
        return pat_signal(a, SIG_PERLIN);
    else
        return NULL;
    return bipolar ? pat_fmap(a, FM_TOBIPOLAR, s, 0, 0, val_none()) : s;
}
