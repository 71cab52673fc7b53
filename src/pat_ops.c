/* pat_ops.c -- building patterns: node constructors, the pattern functions
 * and the continuous signals.
 *
 * Each pattern function of the language is a row of PAT_OPS (pat.h) and a
 * short builder here, op_<name>, written as Strudel 1.2.6 writes it, in
 * terms of the primitives of pat_core.c: `off t f` is a stack of the
 * pattern and f applied to it shifted later, `sometimesBy` is an inner join
 * over a constant (which is why it cuts events at cycle boundaries), `brak`
 * is `when` over a boolean slowcat, and so on. Following the reference's
 * construction, not just its intent, is what makes the fragments of events
 * (their parts) come out where the conformance corpus expects them.
 *
 * Arguments arrive as constant values. pat_op_build unpacks them once, by
 * the row's kinds string, into struct op_args (numbers, exact times,
 * function bodies), and calls the row's builder, which only checks what is
 * particular to it (a count's range, a zero that means silence).
 * pat_op_apply wraps the transform in a P_PATARG node when some argument
 * is a pattern, and pat_core.c calls pat_op_build again with each argument
 * event's values while querying. So the builders must work on any thread
 * with the query's scratch arena, and must not keep pointers to the args.
 *
 * The rows of PAT_OPS, PAT_OP_ALIASES and PAT_SIGNALS are also what
 * pat_names gives the language page and "did you mean" (names.h).
 */
#include "pat.h"
#include "pat_ops_impl.h"
#include "pat_tonal.h"
#include "names.h"

#include <limits.h>
#include <math.h>
#include <string.h>

/* ---- constructors ---------------------------------------------------------- */

static const struct pnode silence_node = { .kind = P_SILENCE };
static const struct pnode hole_node = { .kind = P_HOLE };

const struct pnode *pat_silence(void) { return &silence_node; }
const struct pnode *pat_hole(void) { return &hole_node; }

/* A new node of kind k with room for nkids kids, mutable until the caller
 * has filled it in: *kids (when kids is not NULL) is its kids array. */
static struct pnode *node(struct arena *a, enum pkind k, int nkids, const struct pnode ***kids)
{
    struct pnode *p = ARENA_NEW(a, struct pnode);
    if (!p)
        return NULL;
    p->kind = (uint16_t)k;
    p->n = nkids;
    if (nkids) {
        const struct pnode **ks = arena_calloc(a, (size_t)nkids, sizeof *ks, _Alignof(const struct pnode *));
        if (!ks)
            return NULL;
        p->kids = ks;
        if (kids)
            *kids = ks;
    }
    return p;
}

struct pnode *pat_pure(struct arena *a, struct val v)
{
    struct pnode *p = node(a, P_PURE, 0, NULL);
    if (p) {
        p->v = v;
        p->flags = PF_PURE;
    }
    return p;
}

struct pnode *pat_signal(struct arena *a, enum pat_signal s)
{
    struct pnode *p = node(a, P_SIGNAL, 0, NULL);
    if (p)
        p->op = s;
    return p;
}

struct pnode *pat_node1(struct arena *a, enum pkind k, int op, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    const struct pnode **kids;
    struct pnode *p = node(a, k, 1, &kids);
    if (p) {
        p->op = op;
        kids[0] = kid;
    }
    return p;
}

struct pnode *pat_nodes(struct arena *a, enum pkind k, int op, const struct pnode *const *kids, int n)
{
    const struct pnode **ks;
    struct pnode *p = node(a, k, n, &ks);
    if (!p)
        return NULL;
    for (int i = 0; i < n; i++) {
        if (!kids[i])
            return NULL;
        ks[i] = kids[i];
    }
    p->op = op;
    return p;
}

/* A node of kind k over a list: silence for none, the one itself for one. */
static const struct pnode *list_node(struct arena *a, enum pkind k, const struct pnode *const *kids, int n)
{
    if (n == 0)
        return pat_silence();
    if (n == 1)
        return kids[0];
    return pat_nodes(a, k, 0, kids, n);
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

struct pnode *pat_app(struct arena *a, int op, const struct pnode *l, const struct pnode *r)
{
    if (!l || !r)
        return NULL;
    const struct pnode **kids;
    struct pnode *p = node(a, P_APP, 2, &kids);
    if (p) {
        p->op = op;
        kids[0] = l;
        kids[1] = r;
    }
    return p;
}

static const struct pnode *app_x(struct arena *a, int op, double x0, const struct pnode *l,
                                 const struct pnode *r)
{
    struct pnode *p = pat_app(a, op, l, r);
    if (p)
        p->x0 = x0;
    return p;
}

struct pnode *pat_fmap(struct arena *a, int op, const struct pnode *kid, double x0, double x1,
                       struct val v)
{
    struct pnode *p = pat_node1(a, P_FMAP, op, kid);
    if (p) {
        p->x0 = x0;
        p->x1 = x1;
        p->v = v;
    }
    return p;
}

/* kid moved by r (a P_SHIFT in time, a P_RSHIFT of its random signals):
 * kid itself when r is 0 or kid is silence. */
static const struct pnode *shift_node(struct arena *a, enum pkind k, struct rat r, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    if (r.n == 0 || kid->kind == P_SILENCE)
        return kid;
    struct pnode *p = pat_node1(a, k, 0, kid);
    if (p)
        p->r0 = r;
    return p;
}

const struct pnode *pat_shift(struct arena *a, struct rat early, const struct pnode *kid)
{
    return shift_node(a, P_SHIFT, early, kid);
}

const struct pnode *pat_fast(struct arena *a, struct rat factor, const struct pnode *kid)
{
    if (!kid)
        return NULL;
    if (factor.n <= 0 || kid->kind == P_SILENCE)
        return pat_silence();
    if (factor.n == 1 && factor.d == 1)
        return kid;
    struct pnode *p = pat_node1(a, P_FAST, 0, kid);
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
    if (factor.n <= 0 || kid->kind == P_SILENCE)
        return pat_silence();
    struct pnode *p = pat_node1(a, P_FASTGAP, 0, kid);
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
    struct pnode *p = pat_node1(a, P_ZOOM, 0, kid);
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

struct pnode *pat_valcat(struct arena *a, const struct val *vals, const int32_t *cols, int n, int32_t line)
{
    struct pnode *p = node(a, P_VALCAT, 0, NULL);
    if (p) {
        p->v.kind = VAL_LIST;
        p->v.n = (uint32_t)n;
        p->v.u.list = vals;
        p->cols = cols;
        p->line = line;
    }
    return p;
}

const struct pnode *pat_fastcat(struct arena *a, const struct pnode *const *kids, int n)
{
    const struct pnode *s = pat_slowcat(a, kids, n);
    return n > 1 ? pat_fast(a, rat_int(n), s) : s;
}

struct rat pat_mini_seed_shift(int64_t seed)
{
    return rat_make(3 * seed, 10000);
}

const struct pnode *pat_rand_shift(struct arena *a, struct rat later, const struct pnode *kid)
{
    return shift_node(a, P_RSHIFT, later, kid);
}

/* kids[i] shifted by seeds[i] (none: NULL) as pat_rand_shift does. */
static const struct pnode *seeded_kid(struct arena *a, const struct pnode *const *kids, const int32_t *seeds, int i)
{
    return seeds && seeds[i] ? pat_rand_shift(a, pat_mini_seed_shift(seeds[i]), kids[i]) : kids[i];
}

const struct pnode *pat_fastcat_seeded(struct arena *a, const struct pnode *const *kids, const int32_t *seeds,
                                       int n)
{
    if (!seeds || n < 1)
        return pat_fastcat(a, kids, n);
    if (n == 1)
        return seeded_kid(a, kids, seeds, 0);
    struct pnode *s = pat_nodes(a, P_SLOWCAT, 0, kids, n);
    if (!s)
        return NULL;
    s->seeds = seeds;
    return pat_fast(a, rat_int(n), s);
}

const struct pnode *pat_timecat(struct arena *a, const struct rat *weights,
                                const struct pnode *const *kids, int n, const char **err)
{
    return pat_timecat_seeded(a, weights, kids, NULL, n, err);
}

const struct pnode *pat_timecat_seeded(struct arena *a, const struct rat *weights, const struct pnode *const *kids,
                                       const int32_t *seeds, int n, const char **err)
{
    if (n == 0)
        return pat_silence();
    if (n == 1)
        return seeded_kid(a, kids, seeds, 0);
    static const char inexact[] = "the weights are too large or too fine to add exactly";
    int overflowed = rat_overflow;              /* an earlier overflow stays reported */
    rat_overflow = 0;
    struct rat total = rat_int(0), begin = rat_int(0);
    for (int i = 0; i < n; i++)
        total = rat_add(total, weights[i]);
    int inexact_sum = rat_overflow;
    rat_overflow |= overflowed;
    if (inexact_sum) {
        *err = inexact;
        return NULL;
    }
    if (total.n == 0) {
        *err = "Division by Zero";
        return NULL;
    }
    const struct pnode **parts = ARENA_ARRAY(a, const struct pnode *, n);
    struct rat *rs = ARENA_ARRAY(a, struct rat, n + 1);
    int32_t *ss = seeds ? ARENA_ARRAY(a, int32_t, n) : NULL;
    if (!parts || !rs || (seeds && !ss))
        return NULL;
    int m = 0;
    rs[0] = rat_int(0);
    for (int i = 0; i < n; i++) {
        if (weights[i].n == 0)
            continue;
        struct rat end = rat_add(begin, weights[i]), x = rs[m], y = rat_div(end, total);
        if (!kids[i])
            return NULL;
        if (rat_eq(x, y)) {                     /* a nonzero weight lost to rounding */
            *err = inexact;
            return NULL;
        }
        /* the kid as it is, compressed into [x, y) by the query (q_slot);
         * a slot out of order or beyond the cycle (a negative weight) is
         * silent, as pat_compress makes it */
        int in = !rat_gt(x, y) && !rat_gt(y, rat_int(1)) && !rat_lt(x, rat_int(0));
        if (ss)
            ss[m] = in ? seeds[i] : 0;
        parts[m] = in ? kids[i] : pat_silence();
        rs[++m] = y;
        begin = end;
    }
    if (m < 2)
        return m ? pat_compress(a, rs[0], rs[1], seeded_kid(a, parts, ss, 0)) : pat_stack(a, parts, 0);
    struct pnode *p = pat_nodes(a, P_TIMECAT, 0, parts, m);
    if (p) {
        p->rs = rs;
        p->seeds = ss;
    }
    return p;
}

const struct pnode *pat_call(struct arena *a, const struct pnode *fn, const struct pnode *arg)
{
    if (!fn || !arg)
        return NULL;
    if (fn->kind == P_HOLE)
        return arg;                                 /* the identity function */
    struct pnode *p = pat_node1(a, P_CALL, 0, arg);
    if (p)
        p->fn = fn;
    return p;
}

const struct pnode *pat_repeat(struct arena *a, struct rat n, const struct pnode *kid)
{
    if (kid && kid->kind == P_SILENCE)
        return kid;                             /* a time transform of silence is silence */
    struct pnode *p = pat_node1(a, P_REPEAT, 0, kid);
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
    if (note)
        p = pat_tonal_numeric(a, p);        /* Tidal's note patterns: "0..8" */
    struct pnode *f = pat_fmap(a, FM_CONTROL, p, 0, 0, val_str(names));
    if (f)
        f->i0 = note;
    return f;
}


/* ---- unpacked arguments ------------------------------------------------------- */

/* struct op_args, the builders' argument: pat_ops_impl.h. */

static int num_arg(const char **err, struct val v, double *x)
{
    if (v.kind == VAL_NUM) {
        *x = v.u.num;
        return 0;
    }
    if (v.kind == VAL_BOOL) {
        *x = v.u.b;
        return 0;
    }
    if (v.kind == VAL_STR && (val_parse_number(v.u.str, strlen(v.u.str), x)
                              || tonal_ratio(v.u.str, strlen(v.u.str), x)))   /* Tidal's "3h", "1%3" */
        return 0;
    *err = "an argument that must be a number is not one";
    return -1;
}

/* A number as an exact time (SEMANTICS.md 1). */
static int as_time(const struct op_args *A, double x, struct rat *r)
{
    if (rat_from_double(x, r)) {
        *A->err = isfinite(x) ? "a time or factor must be smaller than 9.2e18" : "a time or factor must be a finite number";
        return -1;
    }
    return 0;
}

/* The body of a function argument (the identity when it is missing). */
static const struct pnode *fn_arg(struct val v)
{
    return v.kind == VAL_NODE ? v.u.node : pat_hole();
}

/* Unpack args by kinds into A: every n and t is a number (t also an exact
 * time), N a number or NaN, b a truth value, f and p a node; the rest stays
 * in A->v. */
static int unpack(struct op_args *A, const char *kinds, const struct val *args)
{
    for (int i = 0; kinds[i]; i++) {
        A->v[i] = args[i];
        switch (kinds[i]) {
        case 'n':
            if (num_arg(A->err, args[i], &A->x[i]))
                return -1;
            break;
        case 't':
            if (num_arg(A->err, args[i], &A->x[i]) || as_time(A, A->x[i], &A->r[i]))
                return -1;
            break;
        case 'N':
            if (num_arg(A->err, args[i], &A->x[i])) {
                *A->err = NULL;
                A->x[i] = (double)NAN;      /* the builder's own checks reject it */
            }
            break;
        case 'b':
            A->x[i] = val_truthy(args[i]);
            break;
        case 'f':
        case 'p':
        case 'B':
            A->f[i] = fn_arg(args[i]);
            break;
        default:
            break;
        }
    }
    return 0;
}

/* x as a whole number within [lo, hi], else the error `what`. */
static int whole(const struct op_args *A, double x, long lo, long hi, const char *what, long *n)
{
    if (x != floor(x) || x < lo || x > hi) {
        *A->err = what;
        return -1;
    }
    *n = (long)x;
    return 0;
}

/* Strudel's listRange(0, n - 1): 0 .. floor(n) - 1, nothing when n <= 0;
 * PAT_MAX_COPIES + 1 for anything above the limit. */
static int range_count(double n)
{
    if (!(n > 0))
        return 0;
    return n > PAT_MAX_COPIES ? PAT_MAX_COPIES + 1 : (int)floor(n);
}

/* ---- shared pieces ---------------------------------------------------------------- */

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

/* A function body as a pure value (the reference reifies functions too). */
static const struct pnode *pure_fn(struct arena *a, const struct pnode *body)
{
    return pat_pure(a, (struct val){ VAL_NODE, 0, { .node = body } });
}

/* when bools f p: f applied where the boolean pattern is true (a P_PATARG
 * over the internal row WHEN). */
static const struct pnode *when(const struct op_args *A, const struct pnode *bools, const struct pnode *body,
                                const struct pnode *p)
{
    const struct pnode *wargs[2] = { bools, pure_fn(A->a, body) };
    struct val none[2] = { val_none(), val_none() };
    return pat_op_apply(A->a, PAT_OP_WHEN, none, wargs, 2, p, A->err);
}

/* P_EVERY: kids[1], the pattern transformed, on the cycles c with
 * c % n == at (truncating), kids[0] elsewhere. */
static const struct pnode *every_node(struct arena *a, long n, long at, const struct pnode *p,
                                      const struct pnode *fp)
{
    const struct pnode **ks;
    struct pnode *e = node(a, P_EVERY, 2, &ks);
    if (!e || !fp)
        return NULL;
    e->i0 = (int)n;
    e->x0 = (double)at;
    ks[0] = p;
    ks[1] = fp;
    return e;
}

/* pat.h: p on its cycle 0 only (once), as P_EVERY over n = INT_MAX cycles. */
const struct pnode *pat_first_cycle(struct arena *a, const struct pnode *p)
{
    return every_node(a, INT_MAX, 0, pat_silence(), p);
}

/* ---- euclid ------------------------------------------------------------------ */

/* Bjorklund's algorithm (SEMANTICS.md 6): k groups [1] (list A) and n - k
 * groups [0] (list B); while both lists have more than one group, pair A[i]
 * with B[i] into the new A, and the longer list's rest becomes the new B.
 * All groups of a list are equal, so a list is one group and a count; and
 * a run of rounds in which A is the shorter list only appends B to A's
 * group each time, so the run is done at once (as in Euclid's algorithm by
 * division). O(n log n) time, two buffers of n. */
int pat_bjorklund(struct arena *a, long k, long n, int **out)
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

/* The bits of (pulses, steps): negative pulses invert; more pulses than
 * steps is an error. *sp gets the steps. */
static const int *euclid_bits(const struct op_args *A, double pulses, double steps, long *sp)
{
    long p, s;
    if (whole(A, pulses, -10000, 10000, "euclid: the number of pulses must be a whole number from -10000 to 10000", &p) ||
        whole(A, steps, -10000, 10000, "euclid: the number of steps must be a whole number from -10000 to 10000", &s))
        return NULL;
    long ap = p < 0 ? -p : p;
    if (ap > s) {
        *A->err = "euclid: more pulses than steps";
        return NULL;
    }
    int *bits;
    if (pat_bjorklund(A->a, ap, s, &bits))
        return NULL;
    if (p < 0)
        for (long i = 0; i < s; i++)
            bits[i] = !bits[i];
    *sp = s;
    return bits;
}

/* p with the structure of the rhythm (pulses, steps); *steps (may be NULL)
 * gets the steps. */
static const struct pnode *euclid_struct(const struct op_args *A, double pulses, double steps,
                                         const struct pnode *p, long *nsteps)
{
    long s;
    const int *bits = euclid_bits(A, pulses, steps, &s);
    if (!bits)
        return NULL;
    if (nsteps)
        *nsteps = s;
    return pat_app(A->a, APP_RIGHT | VOP_KEEPIF, p, pat_bits(A->a, bits, (int)s));
}

/* euclidLegato(Rot): each pulse held until the next, the whole rotated left
 * by rot steps; fewer than one pulse is silence. */
static const struct pnode *euclid_legato(const struct op_args *A, double pulses, double steps, double rot)
{
    struct arena *a = A->a;
    if (pulses < 1)
        return pat_silence();
    long s;
    const int *bits = euclid_bits(A, pulses, steps, &s);
    if (!bits)
        return NULL;
    /* each pulse held until the next: weights = gap lengths + 1 */
    struct rat *w = ARENA_ARRAY(a, struct rat, s);
    const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, s);
    if (!w || !kids)
        return NULL;
    int n = 0;
    const struct pnode *t = pat_pure(a, val_bool(1));
    for (long i = 0; i < s; i++) {
        if (bits[i]) {
            w[n] = rat_int(1);
            kids[n++] = t;
        } else if (n) {
            w[n - 1] = rat_add(w[n - 1], rat_int(1));
        }
    }
    const struct pnode *tc = pat_timecat(a, w, kids, n, A->err);
    if (!tc)
        return NULL;
    struct rat r;
    if (as_time(A, rot, &r))
        return NULL;
    return pat_shift(a, rat_neg(rat_div(r, rat_int(s))), pat_app(a, APP_RIGHT | VOP_KEEPIF, A->p, tc));
}

/* euclidRot/euclidOff: the rhythm rotated left by the third argument's
 * steps; zero_silent: 0 steps is silence (euclidOff). */
static const struct pnode *euclid_rot(const struct op_args *A, int zero_silent)
{
    if (zero_silent && A->x[1] == 0)
        return pat_silence();
    long s;
    struct rat r;
    const struct pnode *e = euclid_struct(A, A->x[0], A->x[1], A->p, &s);
    if (!e || as_time(A, A->x[2], &r))
        return NULL;
    if (s == 0) {
        *A->err = "Division by Zero";
        return NULL;
    }
    return pat_shift(A->a, rat_div(r, rat_int(s)), e);
}

static const struct pnode *op_euclid(const struct op_args *A)
{
    return euclid_struct(A, A->x[0], A->x[1], A->p, NULL);
}

static const struct pnode *op_euclidrot(const struct op_args *A) { return euclid_rot(A, 0); }
static const struct pnode *op_euclidoff(const struct op_args *A) { return euclid_rot(A, 1); }

/* euclidFull n k on: `on` on the pulses, the pattern on the rests. */
static const struct pnode *op_euclidfull(const struct op_args *A)
{
    const struct pnode *on = euclid_struct(A, A->x[0], A->x[1], A->f[2], NULL);
    if (!on)
        return NULL;
    const struct pnode *off = euclid_struct(A, -A->x[0], A->x[1], A->p, NULL);
    return off ? stack2(A->a, on, off) : NULL;
}

static const struct pnode *op_euclidlegato(const struct op_args *A)
{
    return euclid_legato(A, A->x[0], A->x[1], 0);
}

static const struct pnode *op_euclidlegatorot(const struct op_args *A)
{
    return euclid_legato(A, A->x[0], A->x[1], A->x[2]);
}

/* ---- time: speed and shifts ---------------------------------------------------- */

static const struct pnode *op_fast(const struct op_args *A)
{
    return A->x[0] == 0 ? pat_silence() : pat_fast(A->a, A->r[0], A->p);
}

static const struct pnode *op_slow(const struct op_args *A)
{
    return A->x[0] == 0 ? pat_silence() : slow(A->a, A->r[0], A->p);
}

/* hurry: fast, and the speed control multiplied by the factor. */
static const struct pnode *op_hurry(const struct op_args *A)
{
    struct val m = val_map_set(A->a, val_none(), "speed", val_num(A->x[0]));
    return pat_app(A->a, APP_LEFT | VOP_MUL, pat_fast(A->a, A->r[0], A->p), pat_pure(A->a, m));
}

static const struct pnode *op_early(const struct op_args *A) { return pat_shift(A->a, A->r[0], A->p); }
static const struct pnode *op_late(const struct op_args *A) { return pat_shift(A->a, rat_neg(A->r[0]), A->p); }
static const struct pnode *op_fastgap(const struct op_args *A) { return pat_fastgap(A->a, A->r[0], A->p); }

static const struct pnode *op_compress(const struct op_args *A)
{
    const struct pnode *c = pat_compress(A->a, A->r[0], A->r[1], A->p);
    if (!c && rat_eq(A->r[0], A->r[1]))
        *A->err = "Division by Zero";
    return c;
}

static const struct pnode *op_zoom(const struct op_args *A) { return pat_zoom(A->a, A->r[0], A->r[1], A->p); }

/* inside n f = fast n . f . slow n; outside is inside 1/n. */
static const struct pnode *inside(const struct op_args *A, int outside)
{
    if (A->x[0] == 0)
        return pat_silence();
    struct rat by = A->r[0], inv = rat_div(rat_int(1), A->r[0]);
    if (outside) {
        struct rat t = inv;
        inv = by;
        by = t;
    }
    return pat_fast(A->a, by, pat_call(A->a, A->f[1], pat_fast(A->a, inv, A->p)));
}

static const struct pnode *op_inside(const struct op_args *A) { return inside(A, 0); }
static const struct pnode *op_outside(const struct op_args *A) { return inside(A, 1); }

static const struct pnode *op_rev(const struct op_args *A) { return pat_node1(A->a, P_REV, 0, A->p); }

/* palindrome = lastOf 2 rev */
static const struct pnode *op_palindrome(const struct op_args *A)
{
    return every_node(A->a, 2, 1, A->p, pat_node1(A->a, P_REV, 0, A->p));
}

/* iter n: cycle c starts c/n of a cycle later (iter': earlier). */
static const struct pnode *iter(const struct op_args *A, int back)
{
    long n;
    if (whole(A, A->x[0], -1000000, 1000000, "the count must be a whole number", &n))
        return NULL;
    if (n <= 0)
        return pat_silence();
    if (n == 1)
        return A->p;
    struct pnode *it = pat_node1(A->a, P_ITER, back, A->p);
    if (it)
        it->i0 = (int)n;
    return it;
}

static const struct pnode *op_iter(const struct op_args *A) { return iter(A, 0); }
static const struct pnode *op_iterback(const struct op_args *A) { return iter(A, 1); }

static const struct pnode *op_ply(const struct op_args *A)
{
    struct pnode *s = pat_node1(A->a, P_SQUEEZE, SQ_PLY, A->p);
    if (s)
        s->r0 = A->r[0];
    return s;
}

static const struct pnode *op_linger(const struct op_args *A)
{
    struct rat r;
    if (A->x[0] == 0)
        return pat_silence();
    if (as_time(A, A->x[0], &r))
        return NULL;
    if (A->x[0] < 0)        /* the last -fraction, as _fast with a negative factor: reversed */
        return pat_node1(A->a, P_REV, 0, slow(A->a, rat_neg(r), pat_zoom(A->a, rat_add(rat_int(1), r), rat_int(1), A->p)));
    return slow(A->a, r, pat_zoom(A->a, rat_int(0), r, A->p));
}

static const struct pnode *op_repeatcycles(const struct op_args *A)
{
    if (A->r[0].n == 0) {
        *A->err = "Division by Zero";
        return NULL;
    }
    return pat_repeat(A->a, A->r[0], A->p);
}

/* swingBy x n = inside n (late (seq [0, x/2])) */
static const struct pnode *swing_by(const struct op_args *A, double x, double n, struct rat rn)
{
    struct arena *a = A->a;
    const struct pnode *sk[2] = { pat_pure(a, val_num(0)), pat_pure(a, val_num(x / 2)) };
    const struct pnode *shift = pat_fastcat(a, sk, 2);
    if (n == 0)
        return pat_silence();
    const struct pnode *slowed = pat_fast(a, rat_div(rat_int(1), rn), A->p);
    struct val none = val_none();
    return pat_fast(a, rn, pat_op_apply(a, PAT_OP_LATE, &none, &shift, 1, slowed, A->err));
}

static const struct pnode *op_swingby(const struct op_args *A) { return swing_by(A, A->x[0], A->x[1], A->r[1]); }
static const struct pnode *op_swing(const struct op_args *A) { return swing_by(A, 1.0 / 3, A->x[0], A->r[0]); }

/* ---- cycles: conditional transforms ------------------------------------------------ */

static const struct pnode *op_every(const struct op_args *A)
{
    long n;
    if (whole(A, A->x[0], 1, 1000000000, "the count must be a positive whole number", &n))
        return NULL;
    return every_node(A->a, n, 0, A->p, pat_call(A->a, A->f[1], A->p));
}

static const struct pnode *op_everyoff(const struct op_args *A)
{
    long n, off;
    if (whole(A, A->x[0], 1, 1000000000, "the count must be a positive whole number", &n) ||
        whole(A, A->x[1], -1000000000, 1000000000, "every': the offset must be a whole number", &off))
        return NULL;
    return every_node(A->a, n, off, A->p, pat_call(A->a, A->f[2], A->p));
}

/* lastOf n f: f on the last cycle of every n (Tidal's _lastOf: a slowcat of
 * n - 1 plain cycles and one transformed). */
static const struct pnode *op_lastof(const struct op_args *A)
{
    long n;
    if (whole(A, A->x[0], 1, 1000000000, "the count must be a positive whole number", &n))
        return NULL;
    return every_node(A->a, n, n - 1, A->p, pat_call(A->a, A->f[1], A->p));
}

static const struct pnode *op_whenmod(const struct op_args *A)
{
    if (A->r[0].n <= 0) {
        *A->err = "whenmod: the cycle count must be positive";
        return NULL;
    }
    const struct pnode *f = pat_call(A->a, A->f[2], A->p);
    const struct pnode **ks;
    struct pnode *e = node(A->a, P_EVERY, 2, &ks);
    if (!e || !f)
        return NULL;
    e->op = 1;
    e->r0 = A->r[0];
    e->r1 = A->r[1];
    ks[0] = A->p;
    ks[1] = f;
    return e;
}

/* chunk n f: when over a boolean sequence (true first) rotated one step per
 * cycle (iter' for chunk, iter for chunk'), on the pattern's cycles each
 * repeated n times. */
static const struct pnode *chunk(const struct op_args *A, int iter_back)
{
    struct arena *a = A->a;
    long n;
    if (whole(A, A->x[0], 1, PAT_MAX_COPIES, "the count must be a positive whole number", &n))
        return NULL;
    const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, n);
    if (!kids)
        return NULL;
    for (long i = 0; i < n; i++)
        kids[i] = pat_pure(a, val_bool(i == 0));
    const struct pnode *binary = pat_fastcat(a, kids, (int)n);
    if (n > 1) {
        struct pnode *it = pat_node1(a, P_ITER, iter_back, binary);
        if (!it)
            return NULL;
        it->i0 = (int)n;
        binary = it;
    }
    return when(A, binary, A->f[1], pat_repeat(a, rat_int(n), A->p));
}

static const struct pnode *op_chunk(const struct op_args *A) { return chunk(A, 1); }
static const struct pnode *op_chunkback_s(const struct op_args *A) { return chunk(A, 0); }

/* brak = when (slowcat [false, true]) (\x -> fastcat [x, silence] late 1/4) */
static const struct pnode *op_brak(const struct op_args *A)
{
    struct arena *a = A->a;
    const struct pnode *fk[2] = { pat_hole(), pat_silence() };
    const struct pnode *f = pat_shift(a, rat_make(-1, 4), pat_fastcat(a, fk, 2));
    const struct pnode *bk[2] = { pat_pure(a, val_bool(0)), pat_pure(a, val_bool(1)) };
    return f ? when(A, pat_slowcat(a, bk, 2), f, A->p) : NULL;
}

/* The internal row of when: f applied to the pattern when b is true. */
static const struct pnode *op_when(const struct op_args *A)
{
    return A->x[0] ? pat_call(A->a, A->f[1], A->p) : A->p;
}

/* within (b, e) f: f on the events starting in [b, e] of their cycle. */
static const struct pnode *op_within(const struct op_args *A)
{
    struct pnode *in = pat_node1(A->a, P_FILTER_WHEN, 0, A->p);
    struct pnode *out = pat_node1(A->a, P_FILTER_WHEN, 1, A->p);
    if (!in || !out)
        return NULL;
    in->x0 = out->x0 = A->x[0];
    in->x1 = out->x1 = A->x[1];
    return stack2(A->a, pat_call(A->a, A->f[2], in), out);
}

/* ---- copies ------------------------------------------------------------------------ */

static const struct pnode *op_off(const struct op_args *A)
{
    return stack2(A->a, A->p, pat_call(A->a, A->f[1], pat_shift(A->a, rat_neg(A->r[0]), A->p)));
}

static const struct pnode *op_superimpose(const struct op_args *A)
{
    return stack2(A->a, A->p, pat_call(A->a, A->f[0], A->p));
}

static const struct pnode *op_layer(const struct op_args *A)
{
    if (A->v[0].kind != VAL_LIST) {
        *A->err = "layer: expects a list of functions";
        return NULL;
    }
    int m = (int)A->v[0].n;
    const struct pnode **kids = ARENA_ARRAY(A->a, const struct pnode *, m ? m : 1);
    if (!kids)
        return NULL;
    for (int i = 0; i < m; i++)
        kids[i] = pat_call(A->a, fn_arg(A->v[0].u.list[i]), A->p);
    return pat_stack(A->a, kids, m);
}

/* count copies, copy i shifted later by i * time and either transformed i
 * times by fn (echoWith) or with gain feedback^i (stut, echo). */
static const struct pnode *copies(const struct op_args *A, double count, struct rat time, double feedback,
                                  const struct pnode *fn)
{
    struct arena *a = A->a;
    int m = range_count(count);
    if (m > PAT_MAX_COPIES) {
        *A->err = "too many copies";
        return NULL;
    }
    const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, m ? m : 1);
    if (!kids)
        return NULL;
    for (int i = 0; i < m; i++) {
        const struct pnode *late = pat_shift(a, rat_neg(rat_mul(time, rat_int(i))), A->p);
        kids[i] = fn ? pat_call(a, fn, late) : set_control(a, late, "gain", pow(feedback, i));
    }
    return pat_stack(a, kids, m);
}

static const struct pnode *op_stut(const struct op_args *A) { return copies(A, A->x[0], A->r[2], A->x[1], NULL); }
static const struct pnode *op_echo(const struct op_args *A) { return copies(A, A->x[0], A->r[1], A->x[2], NULL); }
static const struct pnode *op_echowith(const struct op_args *A) { return copies(A, A->x[0], A->r[1], 0, A->f[2]); }

/* juxBy w f: the pattern panned w/2 left, f of it w/2 right. */
static const struct pnode *jux_by(const struct op_args *A, double width, const struct pnode *fn)
{
    double by = width / 2;
    const struct pnode *l = pat_fmap(A->a, FM_PAN_ADD, A->p, -by, 0, val_none());
    const struct pnode *r = pat_fmap(A->a, FM_PAN_ADD, A->p, by, 0, val_none());
    return stack2(A->a, l, pat_call(A->a, fn, r));
}

static const struct pnode *op_jux(const struct op_args *A) { return jux_by(A, 1, A->f[0]); }
static const struct pnode *op_juxby(const struct op_args *A) { return jux_by(A, A->x[0], A->f[1]); }

/* ---- slices and structure --------------------------------------------------------- */

static const struct pnode *op_chop(const struct op_args *A)
{
    int m = range_count(A->x[0]);
    if (m == 0)
        return pat_silence();
    if (m > PAT_MAX_COPIES) {
        *A->err = "chop: too many parts";
        return NULL;
    }
    struct pnode *s = pat_node1(A->a, P_SQUEEZE, SQ_CHOP, A->p);
    if (s) {
        s->i0 = m;
        s->x0 = A->x[0];
    }
    return s;
}

/* striate n: a slowcat of n begin/end slices set on the pattern, fast n. */
static const struct pnode *op_striate(const struct op_args *A)
{
    struct arena *a = A->a;
    double x = A->x[0];
    int m = range_count(x);
    if (m > PAT_MAX_COPIES) {
        *A->err = "striate: too many parts";
        return NULL;
    }
    const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, m ? m : 1);
    if (!kids)
        return NULL;
    for (int i = 0; i < m; i++) {
        struct val s = val_map_set(a, val_none(), "begin", val_num(i / x));
        kids[i] = pat_pure(a, val_map_set(a, s, "end", val_num((i + 1) / x)));
    }
    return pat_fast(a, A->r[0], pat_app(a, APP_LEFT | VOP_SET, A->p, pat_slowcat(a, kids, m)));
}

static const struct pnode *op_segment(const struct op_args *A)
{
    return A->x[0] == 0 ? pat_silence() : segment(A->a, A->r[0], A->p);
}

static const struct pnode *op_range(const struct op_args *A) { return range(A->a, A->x[0], A->x[1], A->p); }

static const struct pnode *op_rangex(const struct op_args *A)
{
    return pat_fmap(A->a, FM_RANGEX, range(A->a, log(A->x[0]), log(A->x[1]), A->p), 0, 0, val_none());
}

static const struct pnode *op_struct(const struct op_args *A)
{
    return pat_app(A->a, APP_RIGHT | VOP_KEEPIF, A->p, A->f[0]);
}

static const struct pnode *op_mask(const struct op_args *A)
{
    return pat_app(A->a, APP_LEFT | VOP_KEEPIF, A->p, A->f[0]);
}

/* shuffle/scramble n: slice i of each cycle for each index event of a
 * random permutation (shuffle) or random choices (scramble). */
static const struct pnode *rearrange(const struct op_args *A, int shuffle)
{
    struct arena *a = A->a;
    long n;
    if (whole(A, A->x[0], -1000000, PAT_MAX_COPIES, "the count must be a whole number", &n))
        return NULL;
    if (n <= 0)
        return pat_silence();
    const struct pnode *ipat;
    if (shuffle) {
        struct pnode *rr = node(a, P_RANDRUN, 0, NULL);
        if (!rr)
            return NULL;
        rr->i0 = (int)n;
        ipat = segment(a, rat_int(n), rr);
    } else {
        ipat = segment(a, rat_int(n), pat_fmap(a, FM_TRUNC_MUL, rand_node(a), (double)n, 0, val_none()));
    }
    const struct pnode **ks;
    struct pnode *r = node(a, P_REARRANGE, 2, &ks);
    if (!r || !ipat)
        return NULL;
    r->i0 = (int)n;
    ks[0] = ipat;
    ks[1] = A->p;
    return r;
}

/* shuffle n: Tidal's (n parts, a random permutation per cycle). An amount
 * between 0 and 1 that is not whole has no Tidal meaning; there it is the
 * phonon family's shuffle: events moved by up to that many cycles either way. */
static const struct pnode *op_shuffle(const struct op_args *A)
{
    double x = A->x[0];
    if (x > 0 && x < 1)
        return pat_jitter(A->a, x, A->p);
    return rearrange(A, 1);
}
static const struct pnode *op_scramble(const struct op_args *A) { return rearrange(A, 0); }

/* ---- randomness --------------------------------------------------------------------- */

static const struct pnode *op_degradeby(const struct op_args *A)
{
    return degrade_with(A->a, rand_node(A->a), A->x[0], A->p);
}

static const struct pnode *op_degrade(const struct op_args *A)
{
    return degrade_with(A->a, rand_node(A->a), 0.5, A->p);
}

static const struct pnode *op_undegradeby(const struct op_args *A)
{
    return degrade_with(A->a, one_minus(A->a, rand_node(A->a)), A->x[0], A->p);
}

/* sometimesBy x f (cycles: someCyclesBy): reify(x).fmap(...).innerJoin(),
 * always a join over pure(x), built by the internal rows below. */
static const struct pnode *sometimes(const struct op_args *A, double x, const struct pnode *fn, int cycles)
{
    const struct pnode **ks;
    struct pnode *pa = node(A->a, P_PATARG, 2, &ks);
    if (!pa)
        return NULL;
    pa->op = cycles ? PAT_OP_SOMECYCLES_CORE : PAT_OP_SOMETIMES_CORE;
    pa->fn = fn;
    ks[0] = pat_pure(A->a, val_num(x));
    ks[1] = A->p;
    return ks[0] ? pa : NULL;
}

static const struct pnode *op_sometimesby(const struct op_args *A) { return sometimes(A, A->x[0], A->f[1], 0); }
static const struct pnode *op_sometimes(const struct op_args *A) { return sometimes(A, 0.5, A->f[0], 0); }
static const struct pnode *op_often(const struct op_args *A) { return sometimes(A, 0.75, A->f[0], 0); }
static const struct pnode *op_rarely(const struct op_args *A) { return sometimes(A, 0.25, A->f[0], 0); }
static const struct pnode *op_almostnever(const struct op_args *A) { return sometimes(A, 0.1, A->f[0], 0); }
static const struct pnode *op_almostalways(const struct op_args *A) { return sometimes(A, 0.9, A->f[0], 0); }
static const struct pnode *op_somecyclesby(const struct op_args *A) { return sometimes(A, A->x[0], A->f[1], 1); }
static const struct pnode *op_somecycles(const struct op_args *A) { return sometimes(A, 0.5, A->f[0], 1); }

static const struct pnode *op_sometimes_core(const struct op_args *A)
{
    struct arena *a = A->a;
    double x = A->x[0];
    return stack2(a, degrade_with(a, rand_node(a), x, A->p),
                  pat_call(a, A->fn, degrade_with(a, one_minus(a, rand_node(a)), 1 - x, A->p)));
}

static const struct pnode *op_somecycles_core(const struct op_args *A)
{
    struct arena *a = A->a;
    double x = A->x[0];
    return stack2(a, degrade_with(a, segment(a, rat_int(1), rand_node(a)), x, A->p),
                  pat_call(a, A->fn, degrade_with(a, segment(a, rat_int(1), one_minus(a, rand_node(a))),
                                                  1 - x, A->p)));
}

static const struct pnode *op_seed(const struct op_args *A)
{
    struct pnode *s = pat_node1(A->a, P_SEED, 0, A->p);
    if (s)
        s->x0 = A->x[0];
    return s;
}

static const struct pnode *op_irand_core(const struct op_args *A)
{
    return pat_fmap(A->a, FM_TRUNC_MUL, rand_node(A->a), A->x[0], 0, val_none());
}

static const struct pnode *op_run_core(const struct op_args *A)
{
    struct arena *a = A->a;
    if (A->x[0] == 0)
        return pat_silence();
    return segment(a, A->r[0], pat_fmap(a, FM_ROUND, range(a, 0, A->x[0], pat_signal(a, SIG_SAW)), 0, 0, val_none()));
}

/* ---- patterns by themselves (PAT_V rows) ----------------------------------------- */

static const struct pnode *op_stack(const struct op_args *A) { return pat_stack(A->a, A->list->items, A->list->n); }
static const struct pnode *op_cat(const struct op_args *A) { return pat_slowcat(A->a, A->list->items, A->list->n); }
static const struct pnode *op_fastcat(const struct op_args *A) { return pat_fastcat(A->a, A->list->items, A->list->n); }

static const struct pnode *op_overlay(const struct op_args *A)
{
    const struct pnode *k[2] = { A->f[0], A->f[1] };
    return pat_stack(A->a, k, 2);
}

static const struct pnode *op_timecat(const struct op_args *A)
{
    return pat_timecat(A->a, A->list->times, A->list->items, A->list->n, A->err);
}

static const struct pnode *op_polymeter(const struct op_args *A)
{
    return pat_polymeter(A->a, A->list->items, A->list->steps, A->list->n);
}

static const struct pnode *op_run(const struct op_args *A) { return pat_run(A->a, A->v[0], A->argpat[0], A->err); }
static const struct pnode *op_irand(const struct op_args *A) { return pat_irand(A->a, A->v[0], A->argpat[0]); }
static const struct pnode *op_choose(const struct op_args *A) { return pat_choose(A->a, A->list->items, A->list->n, 0); }

static const struct pnode *op_choosecycles(const struct op_args *A)
{
    return pat_choose(A->a, A->list->items, A->list->n, 1);
}

static const struct pnode *op_wchoose(const struct op_args *A)
{
    return pat_wchoose(A->a, A->list->items, A->list->weights, A->list->n, A->err);
}

static const struct pnode *op_silence(const struct op_args *A) { return pat_silence(); }

/* ---- the table ------------------------------------------------------------------------ */

/* The rows' strings as arrays of their own (name_FAST, args_FAST, desc_FAST),
 * so that an alias's row can point at its target's. */
#define STRS_PAT_T(e, args, desc) static const char args_##e[] = args, desc_##e[] = desc;
#define STRS_PAT_V STRS_PAT_T
#define STRS_PAT_I(e, args, desc)
#define OP_STRINGS(e, name, cls, kinds, fn, args, desc, ex) \
    static const char name_##e[] = name; STRS_##cls(e, args, desc)
PAT_OPS(OP_STRINGS)
#undef OP_STRINGS
#undef STRS_PAT_T
#undef STRS_PAT_V
#undef STRS_PAT_I

static const struct op_row {
    const char *name;
    enum pat_op_class cls;
    const char *kinds;
    op_builder *build;
} op_rows[PAT_OP_COUNT] = {
#define OP_ROW(e, name, cls, kinds, fn, args, desc, ex) { name_##e, cls, kinds, fn },
    PAT_OPS(OP_ROW)
#undef OP_ROW
};

static const struct { const char *name; int op; } op_aliases[] = {
#define OP_ALIAS(name, e, ex) { name, PAT_OP_##e },
    PAT_OP_ALIASES(OP_ALIAS)
#undef OP_ALIAS
};

enum { OP_NALIASES = sizeof op_aliases / sizeof *op_aliases };

int pat_op_find(const char *name, const char **spelling)
{
    for (int i = 0; i < PAT_OP_COUNT; i++)
        if (op_rows[i].name[0] && strcmp(op_rows[i].name, name) == 0) {
            if (spelling)
                *spelling = op_rows[i].name;
            return i;
        }
    for (int i = 0; i < OP_NALIASES; i++)
        if (strcmp(op_aliases[i].name, name) == 0) {
            if (spelling)
                *spelling = op_aliases[i].name;
            return op_aliases[i].op;
        }
    return -1;
}

int pat_op_lookup(const char *name) { return pat_op_find(name, NULL); }
const char *pat_op_name(int op) { return op >= 0 && op < PAT_OP_COUNT ? op_rows[op].name : "?"; }
const char *pat_op_args(int op) { return op >= 0 && op < PAT_OP_COUNT ? op_rows[op].kinds : ""; }
enum pat_op_class pat_op_class(int op) { return op >= 0 && op < PAT_OP_COUNT ? op_rows[op].cls : PAT_I; }

/* ---- building a row ------------------------------------------------------------------- */

const struct pnode *pat_op_build(struct arena *a, int op, const struct val *args, int nargs,
                                 const struct pnode *fn, const struct pnode *p, const char **err)
{
    const char *dummy;
    if (!err)
        err = &dummy;
    *err = NULL;
    if (!p)
        return NULL;
    if (op < 0 || op >= PAT_OP_COUNT || op_rows[op].cls == PAT_V || (int)strlen(op_rows[op].kinds) > nargs) {
        *err = "internal: unknown transform";
        return NULL;
    }
    struct op_args A = { .a = a, .err = err, .p = p, .fn = fn };
    if (unpack(&A, op_rows[op].kinds, args))
        return NULL;
    return op_rows[op].build(&A);
}

const struct pnode *pat_value_build(struct arena *a, int op, const struct val *args,
                                    const struct pnode *const *argpats, const struct pat_list *list,
                                    const char **err)
{
    const char *dummy;
    if (!err)
        err = &dummy;
    *err = NULL;
    if (op < 0 || op >= PAT_OP_COUNT || op_rows[op].cls != PAT_V) {
        *err = "internal: not a pattern by itself";
        return NULL;
    }
    struct op_args A = { .a = a, .err = err, .argpat = argpats, .list = list };
    for (int i = 0; op_rows[op].kinds[i]; i++) {
        A.v[i] = args[i];
        if (op_rows[op].kinds[i] == 'p' || op_rows[op].kinds[i] == 'f')
            A.f[i] = args[i].kind == VAL_NODE ? args[i].u.node : NULL;
    }
    return op_rows[op].build(&A);
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
    const struct pnode **ks;
    struct pnode *pa = node(a, P_PATARG, nargs + 1, &ks);
    if (!pa || !p)
        return NULL;
    pa->op = op;
    for (int i = 0; i < nargs; i++) {
        const struct pnode *k = argpats[i] ? argpats[i] : pat_pure(a, args[i]);
        if (!k)
            return NULL;
        ks[i] = k;
    }
    ks[nargs] = p;
    return pa;
}

/* ---- patterns that are not transforms ------------------------------------------ */

const struct pnode *pat_irand(struct arena *a, struct val n, const struct pnode *npat)
{
    const struct pnode **ks;
    struct pnode *pa = node(a, P_PATARG, 2, &ks);
    if (!pa)
        return NULL;
    pa->op = PAT_OP_IRAND_CORE;
    ks[0] = npat ? npat : pat_pure(a, n);
    ks[1] = pat_silence();
    return ks[0] ? pa : NULL;
}

const struct pnode *pat_run(struct arena *a, struct val n, const struct pnode *npat, const char **err)
{
    const struct pnode *none = npat;
    return pat_op_apply(a, PAT_OP_RUN_CORE, &n, &none, 1, pat_silence(), err);
}

const struct pnode *pat_choose(struct arena *a, const struct pnode *const *xs, int n, int cycles)
{
    if (n == 0)
        return pat_silence();
    const struct pnode *sel = rand_node(a);
    if (cycles)
        sel = segment(a, rat_int(1), sel);
    sel = pat_fmap(a, FM_INDEX, range(a, 0, n, sel), n, 0, val_none());
    const struct pnode **ks;
    struct pnode *j = node(a, P_JOIN, n + 1, &ks);
    if (!j || !sel)
        return NULL;
    j->op = !cycles;                                /* choose: outer join; chooseCycles: inner */
    ks[0] = sel;
    for (int i = 0; i < n; i++)
        ks[i + 1] = xs[i];
    return j;
}

const struct pnode *pat_wchoose(struct arena *a, const struct pnode *const *xs, const double *w,
                                int n, const char **err)
{
    if (n == 0)
        return pat_silence();
    struct val *cum = ARENA_ARRAY(a, struct val, n);
    const struct pnode **ks;
    struct pnode *j = node(a, P_WCHOOSE, n + 1, &ks);
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
    ks[0] = rand_node(a);
    for (int i = 0; i < n; i++)
        ks[i + 1] = xs[i];
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


/* ---- continuous signals ------------------------------------------------------------- */

static const struct pnode *to_bipolar(struct arena *a, const struct pnode *s, int bipolar)
{
    return bipolar ? pat_fmap(a, FM_TOBIPOLAR, s, 0, 0, val_none()) : s;
}

static const struct pnode *sig_saw(struct arena *a, int bipolar) { return to_bipolar(a, pat_signal(a, SIG_SAW), bipolar); }
static const struct pnode *sig_isaw(struct arena *a, int bipolar) { return to_bipolar(a, pat_signal(a, SIG_ISAW), bipolar); }
static const struct pnode *sig_rand(struct arena *a, int bipolar) { return to_bipolar(a, pat_signal(a, SIG_RAND), bipolar); }
static const struct pnode *sig_perlin(struct arena *a, int bipolar) { return pat_signal(a, SIG_PERLIN); }

static const struct pnode *sig_square(struct arena *a, int bipolar)
{
    return to_bipolar(a, pat_signal(a, SIG_SQUARE), bipolar);
}

/* the sine is computed bipolar; the 0..1 form is its fromBipolar */
static const struct pnode *sig_sine(struct arena *a, int bipolar)
{
    const struct pnode *s = pat_signal(a, SIG_SINE2);
    return bipolar ? s : pat_fmap(a, FM_FROMBIPOLAR, s, 0, 0, val_none());
}

static const struct pnode *sig_cosine(struct arena *a, int bipolar)
{
    return pat_shift(a, rat_make(1, 4), sig_sine(a, bipolar));
}

/* tri = fastcat [saw, isaw] */
static const struct pnode *sig_tri(struct arena *a, int bipolar)
{
    const struct pnode *k[2] = { sig_saw(a, bipolar), sig_isaw(a, bipolar) };
    return k[0] && k[1] ? pat_fastcat(a, k, 2) : NULL;
}

static const struct sig_row {
    const char *name;
    const struct pnode *(*build)(struct arena *a, int bipolar);
    int bipolar, osc;
} sig_rows[PAT_SIG_COUNT] = {
#define SIG_ROW(e, name, fn, bipolar, osc, desc, ex) { name, fn, bipolar, osc },
    PAT_SIGNALS(SIG_ROW)
#undef SIG_ROW
};

int pat_signal_lookup(const char *name)
{
    for (int i = 0; i < PAT_SIG_COUNT; i++)
        if (strcmp(sig_rows[i].name, name) == 0)
            return i;
    return -1;
}

const char *pat_signal_name(int sig) { return sig >= 0 && sig < PAT_SIG_COUNT ? sig_rows[sig].name : "?"; }
int pat_signal_is_osc(int sig) { return sig >= 0 && sig < PAT_SIG_COUNT && sig_rows[sig].osc; }

const struct pnode *pat_signal_build(struct arena *a, int sig)
{
    if (sig < 0 || sig >= PAT_SIG_COUNT)
        return NULL;
    return sig_rows[sig].build(a, sig_rows[sig].bipolar);
}

const struct pnode *pat_named_signal(struct arena *a, const char *name)
{
    return pat_signal_build(a, pat_signal_lookup(name));
}

/* ---- the rows as the language page shows them (names.h) ------------------------------ */

/* PAT_T and PAT_V rows have a page row; internal ones do not. */
#define DOC_PAT_T(e, name, args, desc, ex) { name_##e, NULL, args_##e, desc_##e, ex },
#define DOC_PAT_V DOC_PAT_T
#define DOC_PAT_I(e, name, args, desc, ex)
#define OP_DOC(e, name, cls, kinds, fn, args, desc, ex) DOC_##cls(e, name, args, desc, ex)
#define ALIAS_DOC(name, e, ex) { name, name_##e, args_##e, desc_##e, ex },
static const struct name_doc pattern_docs[] = { PAT_OPS(OP_DOC) PAT_OP_ALIASES(ALIAS_DOC) };
#undef DOC_PAT_T
#undef DOC_PAT_V
#undef DOC_PAT_I
#undef OP_DOC
#undef ALIAS_DOC

static const struct name_doc signal_docs[] = {
#define SIG_DOC(e, name, fn, bipolar, osc, desc, ex) { name, NULL, "", desc, ex },
    PAT_SIGNALS(SIG_DOC)
#undef SIG_DOC
};

const struct name_doc *pat_names(enum name_ns ns, int *n)
{
    switch (ns) {
    case NS_PATTERN:
        *n = (int)(sizeof pattern_docs / sizeof *pattern_docs);
        return pattern_docs;
    case NS_SIGNAL:
        *n = (int)(sizeof signal_docs / sizeof *signal_docs);
        return signal_docs;
    default:
        *n = 0;
        return NULL;
    }
}
