/* pat_ops_struct.c -- Tidal's structure and time functions (issue 11): bite,
 * rot, mono, plyWith, seqP, spaceOut, weave, slice, splice, quantise,
 * Tidal's Simple module and the rest of the PAT_OPS_STRUCT rows (pat.h).
 *
 * Each builder follows Tidal's own definition (UI.hs, Control.hs, Core.hs,
 * Simple.hs), in terms of the primitives of pat_ops.c where they suffice.
 * Those that rewrite the events of a span as a whole (rot sorts a cycle's
 * values, mono cuts overlaps, arpeggiate spreads events sharing a whole,
 * bite squeezes a slice into each index event) are P_HOOK nodes whose
 * query is pat_hook_query below, with the sub-queries pat_core.c lends it.
 * Like every builder these run on the query's thread with its scratch arena
 * when an argument is a pattern: no allocation outside the arena given.
 */
#include "pat.h"
#include "pat_ops_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* What a P_HOOK node does (its op). */
enum hook {
    HK_SQUEEZE,     /* kids[0] outer; each event's inner pattern (sq_inner) squeezed in */
    HK_ARP,         /* Tidal's arpeggiate: events sharing a whole share it out in turn */
    HK_ROT,         /* per cycle: values moved i0 events along, in time order */
    HK_MONO,        /* later events cut where an earlier one still sounds */
    HK_MAP,         /* every value through value function i0 (enum vfn), x0 its parameter */
    HK_PLAYFOR,     /* kids[0] only inside [r0, r1) */
    HK_LOOPFIRST,   /* every cycle plays kids[0]'s cycle 0 */
    HK_SUBSTRUCT,   /* kids[1] compressed into each true event of kids[0] */
    HK_SPLICE,      /* speed := x0 / whole length (times any speed), unit "c" */
    HK_BEAT,        /* innerJoin: each value as a pure compressed into [r0, r1) of the cycle */
    HK_SMOOTH,      /* kids[0] (mono) read at the middle of the query, tweened to the next value */
    HK_MARKOV,      /* per cycle: i0 states of the chain v (rows of weights) from state x0 */
    HK_CHUNKBACK,   /* cycle c: kids[1] (transformed) in part n-1 - c mod n of i0, kids[0] elsewhere */
    /* issue 13, the phonon family's timing shuffle */
    HK_JITTER,      /* each event moved by a random time in [-x0, x0) cycles, from its whole's start */
};

/* HK_SQUEEZE: the inner pattern of an outer event (op's i0). */
enum squeeze_kind {
    SQK_BITE,       /* slice (v / x0) mod 1 of kids[1], 1/x0 long */
    SQK_BITS,       /* the x0 bits of v, most significant first, as booleans */
    SQK_ASCII,      /* the 8 bits of each character of v */
    SQK_CHEW,       /* as bite, compressed (not focused) into the event, speed by its length */
};

enum vfn {
    VF_QROUND, VF_QFLOOR, VF_QCEIL,     /* to a multiple of 1/x0 (Haskell's round: half to even) */
    VF_SLICE,                           /* [i, n] -> {begin: (i mod n)/n, end: begin + 1/n} */
    VF_ENVL, VF_ENVLR, VF_ENVEQ, VF_ENVEQR,
};

/* ---- building ----------------------------------------------------------------- */

static struct pnode *hook(struct arena *a, enum hook op, const struct pnode *k0, const struct pnode *k1)
{
    const struct pnode *ks[2] = { k0, k1 };
    return pat_nodes(a, P_HOOK, op, ks, k1 ? 2 : 1);
}

static const struct pnode *map_values(struct arena *a, enum vfn f, double x, const struct pnode *p)
{
    struct pnode *h = hook(a, HK_MAP, p, NULL);
    if (h) {
        h->i0 = f;
        h->x0 = x;
    }
    return h;
}

static const struct pnode *squeeze(struct arena *a, enum squeeze_kind k, double x, const struct pnode *outer,
                                   const struct pnode *src)
{
    struct pnode *h = hook(a, HK_SQUEEZE, outer, src);
    if (h) {
        h->i0 = k;
        h->x0 = x;
    }
    return h;
}

static const struct pnode *pure_num(struct arena *a, double x) { return pat_pure(a, val_num(x)); }

static const struct pnode *with_key(struct arena *a, int vop, const struct pnode *p, const char *key,
                                    struct val x)
{
    return pat_app(a, APP_LEFT | vop, p, pat_pure(a, val_map_set(a, val_none(), key, x)));
}

static const struct pnode *stack2(struct arena *a, const struct pnode *x, const struct pnode *y)
{
    const struct pnode *k[2] = { x, y };
    return x && y ? pat_stack(a, k, 2) : NULL;
}

static const struct pnode *slow(struct arena *a, struct rat f, const struct pnode *p)
{
    return f.n == 0 ? pat_silence() : pat_fast(a, rat_div(rat_int(1), f), p);
}

/* A whole count within [lo, hi]. */
static int count_arg(const struct op_args *A, double x, long lo, long hi, const char *what, long *n)
{
    if (!(x == floor(x) && x >= lo && x <= hi)) {
        *A->err = what;
        return -1;
    }
    *n = (long)x;
    return 0;
}

static int time_of(const struct op_args *A, double x, struct rat *r)
{
    if (rat_from_double(x, r)) {
        *A->err = "a time must be a finite number";
        return -1;
    }
    return 0;
}

/* The numbers of an L argument (a list of numbers) as exact times. */
static int time_list(const struct op_args *A, struct val l, struct rat **out, int *n)
{
    if (l.kind != VAL_LIST) {
        *A->err = "expects a list of numbers [a, b, ...]";
        return -1;
    }
    struct rat *r = ARENA_ARRAY(A->a, struct rat, l.n ? l.n : 1);
    if (!r)
        return -1;
    for (uint32_t i = 0; i < l.n; i++)
        if (l.u.list[i].kind != VAL_NUM || time_of(A, l.u.list[i].u.num, &r[i]))
            return *A->err = "expects a list of numbers [a, b, ...]", -1;
    *out = r;
    *n = (int)l.n;
    return 0;
}

/* ---- transforms ---------------------------------------------------------------- */

/* bite n ipat: slice i of n of each cycle, squeezed into each event of ipat. */
const struct pnode *op_bite(const struct op_args *A)
{
    if (!(A->x[0] > 0)) {
        *A->err = "bite: the number of slices must be positive";
        return NULL;
    }
    return squeeze(A->a, SQK_BITE, A->x[0], A->f[1], A->p);
}

/* chew n ipat: as bite, each slice's speed scaled by how much it is
 * squashed or stretched (speed / (event length * n)). */
const struct pnode *op_chew(const struct op_args *A)
{
    if (!(A->x[0] > 0)) {
        *A->err = "chew: the number of slices must be positive";
        return NULL;
    }
    const struct pnode *q = squeeze(A->a, SQK_CHEW, A->x[0], A->f[1], A->p);
    return with_key(A->a, VOP_DIV, q, "speed", val_num(A->x[0]));
}

/* beat t d: each event as a pure value in the t-th of d parts of its cycle. */
const struct pnode *op_beat(const struct op_args *A)
{
    struct rat t, d;
    if (time_of(A, A->x[0], &t) || time_of(A, A->x[1], &d))
        return NULL;
    if (d.n <= 0) {
        *A->err = "beat: the number of parts must be positive";
        return NULL;
    }
    t = rat_sub(t, rat_mul(d, rat_floor(rat_div(t, d))));          /* mod' */
    struct pnode *h = hook(A->a, HK_BEAT, A->p, NULL);
    if (h) {
        h->r0 = rat_div(t, d);
        h->r1 = rat_min(rat_int(1), rat_div(rat_add(t, rat_int(1)), d));
    }
    return h;
}

/* randslice n: each query plays slice irand n of n of the pattern (an inner
 * join over the continuous irand, as Tidal's). */
const struct pnode *op_randslice(const struct op_args *A)
{
    long n;
    if (count_arg(A, A->x[0], 1, 1000000, "randslice: the number of slices must be a positive whole number", &n))
        return NULL;
    const struct pnode *r = pat_irand(A->a, val_num((double)n), NULL);
    const struct pnode *args[2] = { r, NULL };
    struct val vals[2] = { val_none(), val_num((double)n) };
    return pat_op_apply(A->a, PAT_OP_SLICE_CORE, vals, args, 2, A->p, A->err);
}

/* _slice n i: begin i/n, end (i+1)/n (the internal row of randslice). */
const struct pnode *op_slice_core(const struct op_args *A)
{
    double i = A->x[0], n = A->x[1];
    struct val m = val_map_set(A->a, val_none(), "begin", val_num(i / n));
    m = val_map_set(A->a, m, "end", val_num((i + 1) / n));
    return pat_app(A->a, APP_LEFT | VOP_SET, A->p, pat_pure(A->a, m));
}

/* smooth: Tidal's linear glide between the values of the monophonic pattern. */
const struct pnode *op_smooth(const struct op_args *A)
{
    return hook(A->a, HK_SMOOTH, hook(A->a, HK_MONO, A->p, NULL), NULL);
}

/* markovPat n xi [[w...]...]: per cycle, n steps of the Markov chain with
 * those transition weights, starting in state xi (Tidal's runMarkov). */
const struct pnode *op_markovpat(const struct op_args *A)
{
    return pat_op_apply(A->a, PAT_OP_MARKOV_CORE, A->v, A->argpat, 3, pat_silence(), A->err);
}

const struct pnode *op_markov_core(const struct op_args *A)
{
    long n, xi;
    struct val tp = A->v[2];
    if (count_arg(A, A->x[0], 0, 10000, "markovPat: the length must be a whole number from 0 to 10000", &n) ||
        count_arg(A, A->x[1], 0, 1000000, "markovPat: the first state must be a whole number from 0", &xi))
        return NULL;
    if (tp.kind != VAL_LIST || xi >= (long)tp.n) {
        *A->err = "markovPat: the first state must be a row of the matrix";
        return NULL;
    }
    for (uint32_t i = 0; i < tp.n; i++) {
        struct val row = tp.u.list[i];
        if (row.kind != VAL_LIST || row.n == 0 || row.n > tp.n)
            return *A->err = "markovPat: each row must list the weights of going to each state", NULL;
        for (uint32_t j = 0; j < row.n; j++)
            if (row.u.list[j].kind != VAL_NUM || !(row.u.list[j].u.num >= 0))
                return *A->err = "markovPat: the weights must be numbers >= 0", NULL;
    }
    if (n == 0)
        return pat_silence();
    struct pnode *h = hook(A->a, HK_MARKOV, pat_silence(), NULL);
    if (h) {
        h->i0 = (int)n;
        h->x0 = (double)xi;
        h->v = tp;
    }
    return h;
}

/* chunk' n f (Tidal's _chunk (-n)): cycle c applies f inside part
 * n - 1 - (c mod n) of n, so the parts go from the last backwards. */
const struct pnode *op_chunkback(const struct op_args *A)
{
    long n;
    if (count_arg(A, A->x[0], 1, PAT_MAX_COPIES, "the count must be a positive whole number", &n))
        return NULL;
    struct pnode *h = hook(A->a, HK_CHUNKBACK, A->p, pat_call(A->a, A->f[1], A->p));
    if (h)
        h->i0 = (int)n;
    return h;
}

/* plyWith n f = arpeggiate (compound n), compound n = overlay p (f (compound (n-1))). */
const struct pnode *op_plywith(const struct op_args *A)
{
    long n;
    if (A->x[0] <= 1)
        return A->p;
    if (count_arg(A, ceil(A->x[0]), 1, 1000, "plyWith: at most 1000 copies", &n))
        return NULL;
    const struct pnode *c = A->p;
    for (long i = 1; i < n; i++)
        c = stack2(A->a, A->p, pat_call(A->a, A->f[1], c));
    return hook(A->a, HK_ARP, c, NULL);
}

const struct pnode *op_rot(const struct op_args *A)
{
    long n;
    if (count_arg(A, A->x[0], -1000000000, 1000000000, "rot: the shift must be a whole number", &n))
        return NULL;
    struct pnode *h = hook(A->a, HK_ROT, A->p, NULL);
    if (h)
        h->i0 = (int)n;
    return h;
}

const struct pnode *op_mono(const struct op_args *A) { return hook(A->a, HK_MONO, A->p, NULL); }

/* loopAt n p = slow n p |* speed (1/n) # unit "c" */
const struct pnode *op_loopat(const struct op_args *A)
{
    if (A->x[0] == 0)
        return pat_silence();
    struct arena *a = A->a;
    const struct pnode *s = with_key(a, VOP_MUL, slow(a, A->r[0], A->p), "speed", val_num(1 / A->x[0]));
    return with_key(a, VOP_SET, s, "unit", val_str("c"));
}

/* soak n f = cat (take n (iterate f p)) */
const struct pnode *op_soak(const struct op_args *A)
{
    long n;
    if (count_arg(A, A->x[0], 0, 10000, "soak: the depth must be a whole number from 0 to 10000", &n))
        return NULL;
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, n ? n : 1);
    if (!k)
        return NULL;
    for (long i = 0; i < n; i++)
        k[i] = i ? pat_call(A->a, A->f[1], k[i - 1]) : A->p;
    return pat_slowcat(A->a, k, (int)n);
}

/* distrib [k1, k2, ...]: the rhythm of k1 pulses in k2 steps placed on the
 * pulses of the k2-of-k3 rhythm, and so on out to the last layer's steps
 * (Tidal's _distrib); the pattern sounds on the true steps. */
const struct pnode *op_distrib(const struct op_args *A)
{
    struct rat *xs;
    int m;
    if (time_list(A, A->v[0], &xs, &m))
        return NULL;
    for (int i = 0; i < m; i++)
        if (xs[i].d != 1 || xs[i].n < 0 || xs[i].n > 10000 || (i && xs[i].n < xs[i - 1].n))
            return *A->err = "distrib: expects whole numbers from 0 to 10000, each at least the one before", NULL;
    if (m == 0)
        return *A->err = "distrib: expects a list of whole numbers", NULL;
    long last = (long)xs[m - 1].n;
    int *acc = ARENA_ARRAY(A->a, int, last ? last : 1), *layer;
    if (!acc)
        return NULL;
    for (long i = 0; i < last; i++)
        acc[i] = 1;
    /* foldr over the layers from the innermost: layer i's bits take the
     * accumulated values in order on its true steps, false elsewhere */
    long accn = last;
    for (int l = 0; l + 1 < m; l++) {
        long st = (long)xs[l + 1].n;
        if (pat_bjorklund(A->a, (long)xs[l].n, st, &layer))
            return NULL;
        int *nxt = ARENA_ARRAY(A->a, int, st ? st : 1);
        if (!nxt)
            return NULL;
        for (long i = 0, j = 0; i < st; i++)
            nxt[i] = layer[i] ? (j < accn ? acc[j++] : 0) : 0;
        acc = nxt;
        accn = st;
    }
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, accn ? accn : 1);
    if (!k)
        return NULL;
    for (long i = 0; i < accn; i++)
        k[i] = acc[i] ? pat_pure(A->a, val_bool(1)) : pat_silence();
    return pat_app(A->a, APP_RIGHT | VOP_KEEPIF, A->p, pat_fastcat(A->a, k, (int)accn));
}

/* spaceOut [t...]: the pattern played at each speed in turn, the sequence
 * taking sum(t) cycles. */
const struct pnode *op_spaceout(const struct op_args *A)
{
    struct rat *xs, total = rat_int(0), at = rat_int(0);
    int m;
    if (time_list(A, A->v[0], &xs, &m))
        return NULL;
    for (int i = 0; i < m; i++)
        total = rat_add(total, xs[i]);
    if (total.n <= 0) {
        *A->err = "spaceOut: the times must add up to more than 0";
        return NULL;
    }
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, m);
    if (!k)
        return NULL;
    for (int i = 0; i < m; i++) {
        struct rat end = rat_add(at, xs[i]);
        k[i] = pat_compress(A->a, rat_div(at, total), rat_div(end, total), A->p);
        if (!k[i] && rat_eq(at, end))
            k[i] = pat_silence();
        at = end;
    }
    return slow(A->a, total, pat_stack(A->a, k, m));
}

/* smash n [t...] = slowcat (map (`slow` striate n p) ts) */
const struct pnode *op_smash(const struct op_args *A)
{
    struct rat *xs;
    int m;
    if (time_list(A, A->v[1], &xs, &m))
        return NULL;
    struct val n = val_num(A->x[0]);
    const struct pnode *st = pat_op_build(A->a, pat_op_lookup("striate"), &n, 1, NULL, A->p, A->err);
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, m ? m : 1);
    if (!st || !k)
        return NULL;
    for (int i = 0; i < m; i++)
        k[i] = slow(A->a, xs[i], st);
    return pat_slowcat(A->a, k, m);
}

/* trunc t = compress (0, t) . zoomArc (0, t) */
const struct pnode *op_trunc(const struct op_args *A)
{
    struct rat t = A->r[0];
    if (t.n <= 0)
        return pat_silence();
    if (rat_gt(t, rat_int(1)))
        return A->p;
    return pat_compress(A->a, rat_int(0), t, pat_zoom(A->a, rat_int(0), t, A->p));
}

/* spin n: n copies, copy i i/n of a cycle earlier with pan i/n. */
const struct pnode *op_spin(const struct op_args *A)
{
    long n;
    if (count_arg(A, A->x[0], -1000000, 10000, "spin: the number of copies must be a whole number up to 10000", &n))
        return NULL;
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, n > 0 ? n : 1);
    if (!k)
        return NULL;
    for (long i = 0; i < n; i++)
        k[i] = with_key(A->a, VOP_SET, pat_shift(A->a, rat_make(i, n), A->p), "pan", val_num((double)i / (double)n));
    return pat_stack(A->a, k, n > 0 ? (int)n : 0);
}

/* slice n ipat p = begin b # end (b + 1/n) # p, b = (i mod n) / n over ipat's structure */
const struct pnode *op_slice(const struct op_args *A)
{
    struct arena *a = A->a;
    const struct pnode *in = pat_app(a, APP_LEFT | VOP_TAIL, A->f[1], A->f[0]);
    return pat_app(a, APP_LEFT | VOP_SET, map_values(a, VF_SLICE, 0, in), A->p);
}

/* splice n ipat p: slice, with speed making each slice last its event. */
const struct pnode *op_splice(const struct op_args *A)
{
    long n;
    if (count_arg(A, A->x[0], 1, 1000000, "splice: the number of slices must be a positive whole number", &n))
        return NULL;
    struct arena *a = A->a;
    const struct pnode *in = pat_app(a, APP_LEFT | VOP_TAIL, A->f[1], pure_num(a, (double)n));
    const struct pnode *sl = pat_app(a, APP_LEFT | VOP_SET, map_values(a, VF_SLICE, 0, in), A->p);
    struct pnode *h = hook(a, HK_SPLICE, sl, NULL);
    if (!h)
        return NULL;
    h->x0 = 1.0 / (double)n;
    return with_key(a, VOP_SET, h, "unit", val_str("c"));
}

/* gap n = fast n (cat [pure 1, silence]) |>| chop n p (Tidal's 1 is {n: 1}). */
const struct pnode *op_gap(const struct op_args *A)
{
    struct arena *a = A->a;
    struct val one = val_map_set(a, val_none(), "n", val_num(1));
    const struct pnode *k[2] = { pat_pure(a, one), pat_silence() };
    struct val n = val_num(A->x[0]);
    const struct pnode *ch = pat_op_build(a, pat_op_lookup("chop"), &n, 1, NULL, A->p, A->err);
    if (!ch || !k[0])
        return NULL;
    struct rat r;
    if (time_of(A, A->x[0], &r))
        return NULL;
    return pat_app(a, APP_BOTH | VOP_SET, pat_fast(a, r, pat_slowcat(a, k, 2)), ch);
}

/* wedge t p' p: p' squashed into the first t of the cycle, p into the rest. */
const struct pnode *op_wedge(const struct op_args *A)
{
    struct arena *a = A->a;
    struct rat t = A->r[0], one = rat_int(1);
    if (t.n == 0)
        return A->p;
    if (rat_eq(t, one))
        return A->f[1];
    const struct pnode *l = pat_fastgap(a, rat_div(one, t), A->f[1]);
    const struct pnode *r = pat_shift(a, rat_neg(t), pat_fastgap(a, rat_div(one, rat_sub(one, t)), A->p));
    return stack2(a, l, r);
}

const struct pnode *op_loopfirst(const struct op_args *A) { return hook(A->a, HK_LOOPFIRST, A->p, NULL); }

/* timeLoop n = outside n loopFirst */
const struct pnode *op_timeloop(const struct op_args *A)
{
    if (A->r[0].n <= 0) {
        *A->err = "timeLoop: the length must be positive";
        return NULL;
    }
    const struct pnode *lf = hook(A->a, HK_LOOPFIRST, pat_fast(A->a, A->r[0], A->p), NULL);
    return slow(A->a, A->r[0], lf);
}

const struct pnode *op_substruct(const struct op_args *A) { return hook(A->a, HK_SUBSTRUCT, A->f[0], A->p); }

static const struct pnode *quant(const struct op_args *A, enum vfn f) { return map_values(A->a, f, A->x[0], A->p); }
const struct pnode *op_quantise(const struct op_args *A) { return quant(A, VF_QROUND); }
const struct pnode *op_qfloor(const struct op_args *A) { return quant(A, VF_QFLOOR); }
const struct pnode *op_qceiling(const struct op_args *A) { return quant(A, VF_QCEIL); }

/* ---- Tidal's Simple module ------------------------------------------------------- */

const struct pnode *op_crunch(const struct op_args *A) { return with_key(A->a, VOP_SET, A->p, "crush", val_num(3)); }
const struct pnode *op_louder(const struct op_args *A) { return with_key(A->a, VOP_MUL, A->p, "gain", val_num(1.2)); }
const struct pnode *op_quieter(const struct op_args *A) { return with_key(A->a, VOP_MUL, A->p, "gain", val_num(0.8)); }
const struct pnode *op_silent(const struct op_args *A) { return pat_silence(); }
const struct pnode *op_skip(const struct op_args *A) { return pat_shift(A->a, rat_make(1, 4), A->p); }
const struct pnode *op_left(const struct op_args *A) { return with_key(A->a, VOP_SET, A->p, "pan", val_num(0)); }
const struct pnode *op_right(const struct op_args *A) { return with_key(A->a, VOP_SET, A->p, "pan", val_num(1)); }
const struct pnode *op_higher(const struct op_args *A) { return with_key(A->a, VOP_MUL, A->p, "speed", val_num(1.5)); }
const struct pnode *op_lower(const struct op_args *A) { return with_key(A->a, VOP_MUL, A->p, "speed", val_num(0.75)); }

static const struct pnode *hurry_by(const struct op_args *A, double x)
{
    struct val v = val_num(x);
    return pat_op_build(A->a, pat_op_lookup("hurry"), &v, 1, NULL, A->p, A->err);
}

const struct pnode *op_faster(const struct op_args *A) { return hurry_by(A, 2); }
const struct pnode *op_slower(const struct op_args *A) { return hurry_by(A, 0.5); }

/* scratch = rev . chop 32 */
const struct pnode *op_scratch(const struct op_args *A)
{
    struct val v = val_num(32);
    const struct pnode *c = pat_op_build(A->a, pat_op_lookup("chop"), &v, 1, NULL, A->p, A->err);
    return c ? pat_node1(A->a, P_REV, 0, c) : NULL;
}

/* ---- patterns by themselves -------------------------------------------------------- */

/* pure x: x once per cycle (a number, or a string of one word). */
const struct pnode *op_pure(const struct op_args *A)
{
    if (A->v[0].kind == VAL_NUM)
        return pure_num(A->a, A->v[0].u.num);
    const struct pnode *p = A->argpat[0];
    if (p && (p->flags & PF_PURE))
        return p;
    *A->err = "pure: expects one value (a number or a one-word string)";
    return NULL;
}

static const struct pnode *two(const struct op_args *A, int fast)
{
    const struct pnode *k[2] = { A->f[0], A->f[1] };
    const struct pnode *c = pat_slowcat(A->a, k, 2);
    return fast ? pat_fast(A->a, rat_int(2), c) : c;
}

const struct pnode *op_append(const struct op_args *A) { return two(A, 0); }
const struct pnode *op_fastappend(const struct op_args *A) { return two(A, 1); }

const struct pnode *op_fromlist(const struct op_args *A) { return pat_slowcat(A->a, A->list->items, A->list->n); }
const struct pnode *op_listtopat(const struct op_args *A) { return pat_fastcat(A->a, A->list->items, A->list->n); }

/* scan n = slowcat [run 1, run 2 .. run n] */
const struct pnode *op_scan_core(const struct op_args *A)
{
    long n;
    if (count_arg(A, floor(A->x[0]), -1000000, 10000, "scan: the count must be at most 10000", &n))
        return NULL;
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, n > 0 ? n : 1);
    if (!k)
        return NULL;
    for (long i = 1; i <= n; i++) {
        const struct pnode **r = ARENA_ARRAY(A->a, const struct pnode *, i);
        if (!r)
            return NULL;
        for (long j = 0; j < i; j++)
            r[j] = pure_num(A->a, (double)j);
        k[i - 1] = pat_fastcat(A->a, r, (int)i);
    }
    return pat_slowcat(A->a, k, n > 0 ? (int)n : 0);
}

const struct pnode *op_scan(const struct op_args *A)
{
    return pat_op_apply(A->a, PAT_OP_SCAN_CORE, A->v, A->argpat, 1, pat_silence(), A->err);
}

/* weaveWith t p [f...] = slow t (stack [i/len `rotL` fast t (f_i (slow t p))]) */
static const struct pnode *weave_with(const struct op_args *A, const struct pnode *const *items, int n, int set)
{
    struct rat t;
    if (A->v[0].kind != VAL_NUM || time_of(A, A->v[0].u.num, &t) || t.n <= 0) {
        *A->err = "the length in cycles must be a positive number";
        return NULL;
    }
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, n ? n : 1);
    if (!k)
        return NULL;
    const struct pnode *sp = slow(A->a, t, A->f[1]);
    for (int i = 0; i < n; i++) {
        const struct pnode *w = set ? pat_app(A->a, APP_LEFT | VOP_SET, items[i], sp) : pat_call(A->a, items[i], sp);
        k[i] = pat_shift(A->a, rat_make(i, n), pat_fast(A->a, t, w));
    }
    return slow(A->a, t, pat_stack(A->a, k, n));
}

/* weave t p [q...] = weaveWith t p [(q #) ...] */
const struct pnode *op_weave(const struct op_args *A) { return weave_with(A, A->list->items, A->list->n, 1); }

const struct pnode *op_weavewith(const struct op_args *A)
{
    struct val l = A->v[2];
    const struct pnode **fs = ARENA_ARRAY(A->a, const struct pnode *, l.n ? l.n : 1);
    if (!fs || l.kind != VAL_LIST)
        return NULL;
    for (uint32_t i = 0; i < l.n; i++)
        fs[i] = l.u.list[i].u.node;
    return weave_with(A, fs, (int)l.n, 0);
}

/* seqP [(b, e, p)]: p from cycle sam(b) on, heard only in [b, e). */
static const struct pnode *seqp(const struct op_args *A, const struct pat_list *l)
{
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, l->n ? l->n : 1);
    if (!k)
        return NULL;
    for (int i = 0; i < l->n; i++) {
        struct pnode *h = hook(A->a, HK_PLAYFOR, pat_shift(A->a, rat_neg(rat_floor(l->times[i])), l->items[i]), NULL);
        if (!h)
            return NULL;
        h->r0 = l->times[i];
        h->r1 = l->ends[i];
        k[i] = h;
    }
    return pat_stack(A->a, k, l->n);
}

const struct pnode *op_seqp(const struct op_args *A) { return seqp(A, A->list); }

/* seqPLoop = timeLoop (max e - min b) (min b `rotL` seqP ps) */
static const struct pnode *seqp_loop(const struct op_args *A, const struct pat_list *l)
{
    if (l->n == 0)
        return pat_silence();
    struct rat lo = l->times[0], hi = l->ends[0];
    for (int i = 1; i < l->n; i++) {
        lo = rat_min(lo, l->times[i]);
        hi = rat_max(hi, l->ends[i]);
    }
    struct op_args B = *A;
    B.p = pat_shift(A->a, lo, seqp(A, l));
    B.r[0] = rat_sub(hi, lo);
    if (!B.p)
        return NULL;
    return op_timeloop(&B);
}

const struct pnode *op_seqploop(const struct op_args *A) { return seqp_loop(A, A->list); }

/* arrange [(n, p)] = seqPLoop of the patterns one after the other, n cycles each */
const struct pnode *op_arrange(const struct op_args *A)
{
    const struct pat_list *w = A->list;
    struct rat *b = ARENA_ARRAY(A->a, struct rat, w->n ? w->n : 1), *e = ARENA_ARRAY(A->a, struct rat, w->n ? w->n : 1);
    if (!b || !e)
        return NULL;
    struct rat at = rat_int(0);
    for (int i = 0; i < w->n; i++) {
        b[i] = at;
        at = e[i] = rat_add(at, w->times[i]);
    }
    struct pat_list l = { .items = w->items, .times = b, .ends = e, .n = w->n };
    return seqp_loop(A, &l);
}

/* necklace per [k...]: one true then k - 1 false for each k, per steps a cycle. */
const struct pnode *op_necklace(const struct op_args *A)
{
    struct rat *xs, total = rat_int(0), per;
    int m;
    if (A->v[0].kind != VAL_NUM) {
        *A->err = "necklace: the steps per cycle must be a number";
        return NULL;
    }
    if (time_list(A, A->v[1], &xs, &m) || time_of(A, A->v[0].u.num, &per))
        return NULL;
    long steps = 0;
    for (int i = 0; i < m; i++) {
        if (xs[i].d != 1 || xs[i].n < 1 || xs[i].n > 10000)
            return *A->err = "necklace: expects whole numbers from 1 to 10000", NULL;
        steps += (long)xs[i].n;
        total = rat_add(total, xs[i]);
    }
    if (per.n <= 0 || steps == 0)
        return pat_silence();
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, steps);
    if (!k)
        return NULL;
    long o = 0;
    for (int i = 0; i < m; i++)
        for (long j = 0; j < xs[i].n; j++)
            k[o++] = pat_pure(A->a, val_bool(j == 0));
    return slow(A->a, rat_div(total, per), pat_fastcat(A->a, k, (int)steps));
}

/* binaryN bits n: the bits of each number, most significant first. */
const struct pnode *op_binaryn_core(const struct op_args *A)
{
    long n;
    if (count_arg(A, A->x[0], 0, 64, "binaryN: the number of bits must be a whole number from 0 to 64", &n))
        return NULL;
    return squeeze(A->a, SQK_BITS, (double)n, A->p, NULL);
}

const struct pnode *op_binaryn(const struct op_args *A)
{
    return pat_op_apply(A->a, PAT_OP_BINARYN_CORE, A->v, A->argpat, 1, A->f[1], A->err);
}

const struct pnode *op_binary(const struct op_args *A)
{
    struct val eight = val_num(8);
    const struct pnode *none = NULL;
    return pat_op_apply(A->a, PAT_OP_BINARYN_CORE, &eight, &none, 1, A->f[0], A->err);
}

const struct pnode *op_ascii(const struct op_args *A) { return squeeze(A->a, SQK_ASCII, 8, A->f[0], NULL); }

static const struct pnode *env(const struct op_args *A, enum vfn f)
{
    return map_values(A->a, f, 0, pat_signal(A->a, SIG_TIME));
}

const struct pnode *op_envl(const struct op_args *A) { return env(A, VF_ENVL); }
const struct pnode *op_envlr(const struct op_args *A) { return env(A, VF_ENVLR); }
const struct pnode *op_enveq(const struct op_args *A) { return env(A, VF_ENVEQ); }
const struct pnode *op_enveqr(const struct op_args *A) { return env(A, VF_ENVEQR); }

const struct pnode *op_rand2(const struct op_args *A)
{
    return pat_fmap(A->a, FM_TOBIPOLAR, pat_signal(A->a, SIG_RAND), 0, 0, val_none());
}

/* ---- the queries of the P_HOOK nodes ------------------------------------------------ */

static struct pat_evbuf buf_empty(void)
{
    struct pat_evbuf b = { NULL, 0, 0 };
    return b;
}

/* A value as a number: numbers, booleans, numeric strings; NaN otherwise. */
static double numeric(struct val v)
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

/* A fastcat of booleans. */
static const struct pnode *bool_seq(struct arena *a, const int *bits, int n)
{
    const struct pnode **k = ARENA_ARRAY(a, const struct pnode *, n ? n : 1);
    if (!k)
        return NULL;
    for (int i = 0; i < n; i++)
        if (!(k[i] = pat_pure(a, val_bool(bits[i]))))
            return NULL;
    return pat_fastcat(a, k, n);
}

/* The inner pattern an outer event's value stands for (HK_SQUEEZE). */
static const struct pnode *sq_inner(const struct pat_sub *s, const struct pnode *p, struct val v)
{
    struct arena *a = pat_sub_arena(s);
    switch (p->i0) {
    case SQK_BITE:
    case SQK_CHEW: {
        struct rat i, n;
        double x = numeric(v);
        if (rat_from_double(x, &i) || rat_from_double(p->x0, &n))
            return pat_sub_fail(s, "bite: an index is not a number"), NULL;
        struct rat b = rat_cycle_pos(rat_div(i, n));
        return pat_zoom(a, b, rat_add(b, rat_div(rat_int(1), n)), p->kids[1]);
    }
    case SQK_BITS: {
        int n = (int)p->x0, bits[64];
        double x = numeric(v);
        if (!(fabs(x) < 9.2e18))
            return pat_sub_fail(s, "binaryN: a value is not a number"), NULL;
        int64_t num = (int64_t)x;
        for (int i = 0; i < n; i++)
            bits[i] = (int)(((uint64_t)num >> (n - 1 - i)) & 1);
        return n ? bool_seq(a, bits, n) : pat_silence();
    }
    case SQK_ASCII: {
        if (v.kind != VAL_STR)
            return pat_sub_fail(s, "ascii: a value is not a word"), NULL;
        size_t len = strlen(v.u.str);
        int *bits = ARENA_ARRAY(a, int, len * 8 + 1);
        if (!bits)
            return NULL;
        for (size_t c = 0; c < len; c++)
            for (int i = 0; i < 8; i++)
                bits[c * 8 + (size_t)i] = ((unsigned char)v.u.str[c] >> (7 - i)) & 1;
        return len ? bool_seq(a, bits, (int)len * 8) : pat_silence();
    }
    }
    return NULL;
}

/* squeezeJoin: each outer event's inner pattern, its cycle 0 focused into
 * the event's whole, heard in the event's part. */
static int q_squeeze(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                     struct pat_evbuf *out)
{
    struct pat_evbuf A = buf_empty(), B = buf_empty();
    struct arena *a = pat_sub_arena(s);
    if (pat_sub_query(s, p->kids[0], b, e, &A))
        return -1;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        if (!x->has_whole || rat_eq(x->wb, x->we))
            continue;
        const struct pnode *in = sq_inner(s, p, x->v);
        if (!in)
            return pat_sub_fail(s, "the query needs more memory than the engine reserves");
        struct rat len = rat_sub(x->we, x->wb);
        if (p->i0 == SQK_CHEW) {            /* squeezeJoinUp: compressArc (cycleArc whole) */
            struct rat cb = rat_cycle_pos(x->wb), ce = rat_add(cb, len);
            in = with_key(a, VOP_MUL, in, "speed", val_num(1 / rat_to_double(len)));
            in = rat_gt(ce, rat_int(1)) ? pat_silence() : pat_compress(a, cb, ce, in);
        } else {                            /* squeezeJoin: focusArc whole */
            in = pat_shift(a, rat_neg(x->wb), pat_fast(a, rat_div(rat_int(1), len), pat_shift(a, rat_floor(x->wb), in)));
        }
        if (!in)
            return sub_oom(s);
        B.n = 0;
        if (pat_sub_query(s, in, x->pb, x->pe, &B))
            return -1;
        for (int j = 0; j < B.n; j++) {
            struct pat_ev ev = B.ev[j];
            if (!ev.scale)
                ev.scale = x->scale;            /* issue 11 (strans): the value's scale */
            if (ev.has_whole && !pat_span_sect(ev.wb, ev.we, x->wb, x->we, &ev.wb, &ev.we))
                continue;
            if (!pat_span_sect(ev.pb, ev.pe, x->pb, x->pe, &ev.pb, &ev.pe))
                continue;
            if (sub_push(s, out, &ev))
                return -1;
        }
    }
    return 0;
}

/* Event order: by whole (none first), then part, then value text. */
static int ev_cmp(const struct pat_ev *x, const struct pat_ev *y)
{
    if (x->has_whole != y->has_whole)
        return x->has_whole - y->has_whole;
    int c = 0;
    if (x->has_whole && !(c = rat_cmp(x->wb, y->wb)))
        c = rat_cmp(x->we, y->we);
    if (!c && !(c = rat_cmp(x->pb, y->pb)))
        c = rat_cmp(x->pe, y->pe);
    if (!c) {
        char t[256], u[256];
        val_format(x->v, t, sizeof t);
        val_format(y->v, u, sizeof u);
        c = strcmp(t, u);
    }
    return c;
}

/* Stable insertion sort (the spans hooks sort are one cycle's events). */
static void ev_sort(struct pat_ev *ev, int n, int by_whole_only)
{
    for (int i = 1; i < n; i++) {
        struct pat_ev x = ev[i];
        int j = i;
        while (j > 0) {
            const struct pat_ev *y = &ev[j - 1];
            int c = by_whole_only ? (x.has_whole != y->has_whole ? x.has_whole - y->has_whole
                                     : !x.has_whole ? 0
                                     : rat_cmp(x.wb, y->wb) ? rat_cmp(x.wb, y->wb) : rat_cmp(x.we, y->we))
                                  : ev_cmp(&x, y);
            if (c >= 0)
                break;
            ev[j] = ev[j - 1];
            j--;
        }
        ev[j] = x;
    }
}

static int same_whole(const struct pat_ev *x, const struct pat_ev *y)
{
    return x->has_whole == y->has_whole && (!x->has_whole || (rat_eq(x->wb, y->wb) && rat_eq(x->we, y->we)));
}

/* Tidal's arpeggiate: events with the same whole, in order, each get an
 * equal share of it. */
static int q_arp(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct pat_evbuf A = buf_empty();
    if (pat_sub_query(s, p->kids[0], b, e, &A))
        return -1;
    ev_sort(A.ev, A.n, 1);
    for (int g = 0, h; g < A.n; g = h) {
        for (h = g + 1; h < A.n && same_whole(&A.ev[g], &A.ev[h]); h++)
            ;
        if (!A.ev[g].has_whole)
            continue;
        struct rat dur = rat_div(rat_sub(A.ev[g].we, A.ev[g].wb), rat_int(h - g));
        for (int k = g; k < h; k++) {
            struct pat_ev ev = A.ev[k];
            ev.wb = rat_add(ev.wb, rat_mul(dur, rat_int(k - g)));
            ev.we = rat_add(ev.wb, dur);
            if (pat_span_sect(ev.wb, ev.we, A.ev[k].pb, A.ev[k].pe, &ev.pb, &ev.pe) && sub_push(s, out, &ev))
                return -1;
        }
    }
    return 0;
}

/* Tidal's defragParts: an event is joined with the first later fragment of
 * the same whole and value that touches it. */
static int defrag(struct pat_ev *ev, int n)
{
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            struct pat_ev *x = &ev[i], *y = &ev[j];
            if (!same_whole(x, y) || !val_equal(x->v, y->v) || !(rat_eq(x->pe, y->pb) || rat_eq(y->pe, x->pb)))
                continue;
            x->pb = rat_min(x->pb, y->pb);
            x->pe = rat_max(x->pe, y->pe);
            memmove(y, y + 1, sizeof *y * (size_t)(n - j - 1));
            n--;
            break;
        }
    return n;
}

/* rot: per cycle, the cycle's events (defragmented, in order) take the
 * values i0 events along, cut to the query. */
static int q_rot(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct rat qb = b;
    do {
        struct rat sam = rat_floor(qb), next = rat_add(sam, rat_int(1)), qe = rat_min(next, e);
        struct pat_evbuf A = buf_empty();
        if (pat_sub_query(s, p->kids[0], sam, next, &A))
            return -1;
        int n = defrag(A.ev, A.n);
        ev_sort(A.ev, n, 0);
        struct val *vals = ARENA_ARRAY(pat_sub_arena(s), struct val, n ? n : 1);
        if (!vals)
            return sub_oom(s);
        for (int i = 0; i < n; i++)
            vals[i] = A.ev[i].v;
        long shift = p->i0 >= 0 ? p->i0 : (n + p->i0 < 0 ? 0 : n + p->i0);
        for (int i = 0; i < n; i++) {
            struct pat_ev ev = A.ev[i];
            ev.v = vals[(i + shift) % n];
            if (pat_span_sect(ev.pb, ev.pe, qb, qe, &ev.pb, &ev.pe) && sub_push(s, out, &ev))
                return -1;
        }
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

/* mono: in whole order, each event drops or trims the later ones it overlaps. */
static int q_mono(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct pat_evbuf A = buf_empty();
    if (pat_sub_query(s, p->kids[0], b, e, &A))
        return -1;
    ev_sort(A.ev, A.n, 1);
    char *gone = ARENA_ARRAY(pat_sub_arena(s), char, A.n ? A.n : 1);
    if (!gone)
        return sub_oom(s);
    memset(gone, 0, (size_t)A.n);
    for (int i = 0; i < A.n; i++) {
        if (gone[i])
            continue;
        struct pat_ev *x = &A.ev[i];
        struct rat xe = x->has_whole ? x->we : x->pe;
        for (int j = i + 1; j < A.n; j++) {
            struct pat_ev *y = &A.ev[j];
            struct rat yb = y->has_whole ? y->wb : y->pb, ye = y->has_whole ? y->we : y->pe;
            if (gone[j] || rat_ge(yb, xe))
                continue;
            if (rat_le(ye, xe)) {
                gone[j] = 1;
                continue;
            }
            y->has_whole = 1;
            y->wb = xe;
            y->we = ye;
        }
        struct pat_ev ev = *x;
        if (pat_span_sect(ev.has_whole ? ev.wb : ev.pb, ev.has_whole ? ev.we : ev.pe, ev.pb, ev.pe, &ev.pb, &ev.pe) &&
            sub_push(s, out, &ev))
            return -1;
    }
    return 0;
}

static double clamp01(double x) { return x < 0 ? 0 : x > 1 ? 1 : x; }

static int map_value(const struct pat_sub *s, const struct pnode *p, struct val v, struct val *out)
{
    struct arena *a = pat_sub_arena(s);
    double x = numeric(v), q = p->x0;
    switch (p->i0) {
    case VF_QROUND: case VF_QFLOOR: case VF_QCEIL: {
        if (isnan(x))
            return pat_sub_fail(s, "quantise: a value is not a number");
        double y = x * q;
        y = p->i0 == VF_QROUND ? nearbyint(y) : p->i0 == VF_QFLOOR ? floor(y) : ceil(y);
        *out = val_num(y / q);
        return 0;
    }
    case VF_SLICE: {
        if (v.kind != VAL_LIST || v.n < 2)
            return pat_sub_fail(s, "slice: an index or the number of slices is not a number");
        double i = numeric(v.u.list[0]), n = numeric(v.u.list[v.n - 1]);
        if (isnan(i) || !(n >= 1))
            return pat_sub_fail(s, "slice: an index or the number of slices is not a number");
        double ii = floor(i), nn = floor(n), m = ii - nn * floor(ii / nn);
        struct val bm = val_map_set(a, val_none(), "begin", val_num(m / nn));
        *out = val_map_set(a, bm, "end", val_num(m / nn + 1 / nn));
        return 0;
    }
    case VF_ENVL: *out = val_num(clamp01(x)); return 0;
    case VF_ENVLR: *out = val_num(1 - clamp01(x)); return 0;
    case VF_ENVEQ: *out = val_num(sqrt(sin(M_PI / 2 * clamp01(1 - x)))); return 0;
    case VF_ENVEQR: *out = val_num(sqrt(cos(M_PI / 2 * clamp01(1 - x)))); return 0;
    }
    return pat_sub_fail(s, "internal: unknown value function");
}

static int q_map(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    int from = out->n;
    if (pat_sub_query(s, p->kids[0], b, e, out))
        return -1;
    for (int i = from; i < out->n; i++)
        if (map_value(s, p, out->ev[i].v, &out->ev[i].v))
            return -1;
    return 0;
}

/* splice's speed: 1/slices per cycle of the event's whole, times any speed. */
static int q_splice(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    int from = out->n;
    if (pat_sub_query(s, p->kids[0], b, e, out))
        return -1;
    for (int i = from; i < out->n; i++) {
        struct pat_ev *ev = &out->ev[i];
        if (!ev->has_whole)
            continue;
        double d = p->x0 / rat_to_double(rat_sub(ev->we, ev->wb));
        const struct val *sp = val_map_get(ev->v, "speed");
        if (sp && sp->kind == VAL_NUM)
            d *= sp->u.num;
        ev->v = val_map_set(pat_sub_arena(s), ev->v, "speed", val_num(d));
    }
    return 0;
}

static int q_playfor(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct rat sb, se;
    if (!pat_span_sect(p->r0, p->r1, b, e, &sb, &se))
        return 0;
    return pat_sub_query(s, p->kids[0], sb, se, out);
}

static int q_loopfirst(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct rat qb = b;
    do {
        struct rat sam = rat_floor(qb), next = rat_add(sam, rat_int(1)), qe = rat_min(next, e);
        int from = out->n;
        if (pat_sub_query(s, p->kids[0], rat_sub(qb, sam), rat_sub(qe, sam), out))
            return -1;
        for (int i = from; i < out->n; i++) {
            struct pat_ev *ev = &out->ev[i];
            ev->pb = rat_add(ev->pb, sam);
            ev->pe = rat_add(ev->pe, sam);
            if (ev->has_whole) {                /* a signal's event has none to move */
                ev->wb = rat_add(ev->wb, sam);
                ev->we = rat_add(ev->we, sam);
            }
        }
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

/* substruct: for each true event, the pattern compressed into its whole
 * (compressArcTo), cut to the query. */
static int q_substruct(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct pat_evbuf A = buf_empty(), B = buf_empty();
    struct arena *a = pat_sub_arena(s);
    if (pat_sub_query(s, p->kids[0], b, e, &A))
        return -1;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        if (!val_truthy(x->v) || x->v.kind == VAL_NONE)
            continue;
        struct rat wb = x->has_whole ? x->wb : x->pb, we = x->has_whole ? x->we : x->pe, sam = rat_floor(wb);
        struct rat cb = rat_sub(wb, sam), ce = rat_sub(we, sam);
        if (rat_gt(ce, rat_int(1)) || rat_eq(cb, ce))
            continue;
        const struct pnode *c = pat_compress(a, cb, ce, p->kids[1]);
        if (!c)
            return sub_oom(s);
        B.n = 0;
        if (pat_sub_query(s, c, wb, we, &B))
            return -1;
        for (int j = 0; j < B.n; j++) {
            struct pat_ev ev = B.ev[j];
            if (pat_span_sect(ev.pb, ev.pe, b, e, &ev.pb, &ev.pe) && sub_push(s, out, &ev))
                return -1;
        }
    }
    return 0;
}

/* beat: innerJoin over (compress (r0, r1) . pure) of each value. */
static int q_beat(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct pat_evbuf A = buf_empty(), B = buf_empty();
    struct arena *a = pat_sub_arena(s);
    if (pat_sub_query(s, p->kids[0], b, e, &A))
        return -1;
    for (int i = 0; i < A.n; i++) {
        const struct pat_ev *x = &A.ev[i];
        const struct pnode *in = pat_compress(a, p->r0, p->r1, pat_pure(a, x->v));
        if (!in)
            return sub_oom(s);
        B.n = 0;
        if (pat_sub_query(s, in, x->pb, x->pe, &B))
            return -1;
        for (int j = 0; j < B.n; j++) {
            struct pat_ev ev = B.ev[j];
            ev.scale = x->scale;                /* issue 11 (strans): the value's scale */
            if (pat_span_sect(ev.pb, ev.pe, b, e, &ev.pb, &ev.pe) && sub_push(s, out, &ev))
                return -1;
        }
    }
    return 0;
}

/* smooth: the value at the middle of the query, moved towards the next
 * event's value by how far into its event the middle is; one event whose
 * whole and part are the query. */
static int q_smooth(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct pat_evbuf A = buf_empty(), B = buf_empty();
    struct rat mid = rat_div(rat_add(b, e), rat_int(2));
    if (pat_sub_query(s, p->kids[0], mid, mid, &A))
        return -1;
    if (A.n == 0)
        return 0;
    const struct pat_ev *x = &A.ev[0];
    struct pat_ev ev = { .wb = b, .we = e, .pb = b, .pe = e, .v = x->v, .has_whole = 1 };
    if (x->has_whole) {
        if (pat_sub_query(s, p->kids[0], x->we, x->we, &B))
            return -1;
    }
    if (B.n) {
        double v0 = numeric(x->v), v1 = numeric(B.ev[0].v);
        if (isnan(v0) || isnan(v1))
            return pat_sub_fail(s, "smooth: a value is not a number");
        struct rat wb = x->has_whole ? x->wb : x->pb, we = x->has_whole ? x->we : x->pe, d = rat_sub(we, wb);
        double pc = d.n == 0 ? 0 : rat_to_double(rat_div(rat_sub(x->pb, wb), d));
        ev.v = val_num(v0 + (v1 - v0) * pc);
    }
    return sub_push(s, out, &ev);
}

/* Tidal's timeToRand, with its 64-bit xorwise (Strudel's rand works in 32
 * bits): exact in the rational time; Tidal starts at 0.5 for time 0. */
double pat_tidal_rand(struct rat t)
{
    if (t.n == 0)
        return 0.5;
    struct rat f = rat_div(t, rat_int(300));
    f = rat_sub(f, rat_int(f.n / f.d));                         /* properFraction: towards zero */
    struct rat x = rat_mul(f, rat_int(536870912));
    int64_t v = x.n / x.d;                                      /* truncate */
    int64_t a = (int64_t)((uint64_t)v << 13) ^ v;
    int64_t b = (a >> 17) ^ a;
    int64_t c = (int64_t)((uint64_t)b << 5) ^ b;
    int64_t m = c % 536870912;
    if (m < 0)
        m += 536870912;
    return (double)m / 536870912;
}

/* The state after one whose row of weights is row, drawn with r: the first
 * cumulative weight at or above r times the row's total (of equal
 * cumulative weights, the last state, as Tidal's Map keeps it). */
long pat_markov_next(struct val row, double r)
{
    double total = 0, cum = 0;
    for (uint32_t j = 0; j < row.n; j++)
        total += row.u.list[j].u.num;
    for (uint32_t j = 0; j < row.n; j++) {
        cum += row.u.list[j].u.num;
        if (cum >= r * total) {
            long to = (long)j;
            while (to + 1 < (long)row.n && row.u.list[to + 1].u.num == 0)
                to++;
            return to;
        }
    }
    return 0;
}

/* runMarkov: state k + 1 from state k's row and timeToRand (cycle + (k + 1)/n),
 * by the first cumulative weight at or above r times the row's total (of
 * equal cumulative weights, the last state, as Tidal's Map keeps it). */
static int q_markov(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct arena *a = pat_sub_arena(s);
    int n = p->i0;
    struct rat qb = b;
    do {
        struct rat sam = rat_floor(qb), next = rat_add(sam, rat_int(1)), qe = rat_min(next, e);
        const struct pnode **k = ARENA_ARRAY(a, const struct pnode *, n);
        if (!k)
            return sub_oom(s);
        long x = (long)p->x0;
        for (int i = 0; i < n; i++) {
            if (!(k[i] = pat_pure(a, val_num((double)x))))
                return sub_oom(s);
            x = pat_markov_next(p->v.u.list[x], pat_tidal_rand(rat_add(sam, rat_make(i + 1, n))));
        }
        if (pat_sub_query(s, pat_fastcat(a, k, n), qb, qe, out))
            return -1;
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

/* chunk': per cycle, withinArc (i/n, (i+1)/n) f p (events by the cycle
 * position of their whole's start, half open), wholes cut to the cycle (the
 * bind over the slowed run). */
static int q_chunkback(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    int64_t n = p->i0;
    struct rat qb = b;
    do {
        struct rat sam = rat_floor(qb), next = rat_add(sam, rat_int(1)), qe = rat_min(next, e);
        int64_t c = rat_floor_int(qb), i = n - 1 - ((c % n) + n) % n;
        struct rat lo = rat_make(i, n), hi = rat_make(i + 1, n);
        for (int k = 0; k < 2; k++) {
            struct pat_evbuf A = buf_empty();
            if (pat_sub_query(s, p->kids[k], qb, qe, &A))
                return -1;
            for (int j = 0; j < A.n; j++) {
                struct pat_ev ev = A.ev[j];
                if (!ev.has_whole)
                    continue;
                struct rat pos = rat_cycle_pos(ev.wb);
                int inside = rat_ge(pos, lo) && rat_lt(pos, hi);
                if (inside != (k == 1) || !pat_span_sect(ev.wb, ev.we, sam, next, &ev.wb, &ev.we))
                    continue;
                if (sub_push(s, out, &ev))
                    return -1;
            }
        }
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

/* HK_JITTER: an event's shift is a hash of its whole's start (every
 * fragment of an event moves alike, on every query), x0 * (2u - 1). */
static int q_jitter(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct rat x;
    if (rat_from_double(p->x0, &x))
        return pat_sub_fail(s, "shuffle: the amount is no time");
    struct pat_evbuf A = buf_empty();
    if (pat_sub_query(s, p->kids[0], rat_sub(b, x), rat_add(e, x), &A))
        return -1;
    for (int i = 0; i < A.n; i++) {
        struct pat_ev ev = A.ev[i];
        if (ev.has_whole) {
            uint64_t h = (uint64_t)ev.wb.n * 0x9e3779b97f4a7c15u ^ (uint64_t)ev.wb.d * 0xbf58476d1ce4e5b9u;
            h ^= h >> 31;
            h *= 0x94d049bb133111ebu;
            h ^= h >> 29;
            struct rat d;
            if (rat_from_double(p->x0 * (2.0 * (double)(h >> 11) / 9007199254740992.0 - 1.0), &d))
                continue;
            ev.wb = rat_add(ev.wb, d);
            ev.we = rat_add(ev.we, d);
            ev.pb = rat_add(ev.pb, d);
            ev.pe = rat_add(ev.pe, d);
        }
        if (pat_span_sect(ev.pb, ev.pe, b, e, &ev.pb, &ev.pe) && sub_push(s, out, &ev))
            return -1;
    }
    return 0;
}

const struct pnode *pat_jitter(struct arena *a, double x, const struct pnode *p)
{
    struct pnode *h = hook(a, HK_JITTER, p, NULL);
    if (h)
        h->x0 = x;
    return h;
}

int pat_hook_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                   struct pat_evbuf *out)
{
    if (p->op >= PAT_HOOK_PRED && p->op < HK_PEER_HUMANIZE)     /* pat_ops_pred.c's: 64 .. 99 */
        return pat_pred_hook_query(s, p, b, e, out);
    if (p->op >= PAT_HOOK_TIDAL5)                               /* pat_ops_tidal5.c's: 200 .. */
        return pat_tidal5_hook_query(s, p, b, e, out);
    switch (p->op) {
    case HK_SQUEEZE: return q_squeeze(s, p, b, e, out);
    case HK_ARP: return q_arp(s, p, b, e, out);
    case HK_ROT: return q_rot(s, p, b, e, out);
    case HK_MONO: return q_mono(s, p, b, e, out);
    case HK_MAP: return q_map(s, p, b, e, out);
    case HK_PLAYFOR: return q_playfor(s, p, b, e, out);
    case HK_LOOPFIRST: return q_loopfirst(s, p, b, e, out);
    case HK_SUBSTRUCT: return q_substruct(s, p, b, e, out);
    case HK_SPLICE: return q_splice(s, p, b, e, out);
    case HK_BEAT: return q_beat(s, p, b, e, out);
    case HK_SMOOTH: return q_smooth(s, p, b, e, out);
    case HK_MARKOV: return q_markov(s, p, b, e, out);
    case HK_CHUNKBACK: return q_chunkback(s, p, b, e, out);
    case HK_JITTER: return q_jitter(s, p, b, e, out);
    case HK_PEER_HUMANIZE: return q_humanize(s, p, b, e, out);     /* issue 13: pat_ops_peer.c */
    case HK_PEER_STRETCH: return q_stretch(s, p, b, e, out);
    case HK_PEER_GROOVE: return q_groove(s, p, b, e, out);
    }
    return pat_sub_fail(s, "internal: unknown hook");
}

/* lindenmayer n "a:b,b:ab" axiom: Tidal's rewrite, n times, of every
 * character with a rule (the rule's first character before its ':') into
 * the rest of the rule with its ':'s removed; the others stay. Longest
 * result: LM_MAX characters. */
enum { LM_MAX = 4096 };

/* The replacement of c: what follows the ':' of the first rule whose first
 * character is c (Tidal's lookup), *len bytes of it; NULL: none. */
static const char *lm_rule(const char *rules, char c, size_t *len)
{
    for (const char *r = rules;; r++) {
        size_t n = strcspn(r, ",");
        const char *colon = memchr(r, ':', n);
        if (colon && colon > r && r[0] == c) {
            *len = n - (size_t)(colon + 1 - r);
            return colon + 1;
        }
        r += n;
        if (!*r)
            return NULL;
    }
}

/* One rewrite of s (Tidal's lindenmayer 1): -2 when longer than LM_MAX. */
static int lm_step(struct arena *a, const char *rules, const char *s, const char **out)
{
    size_t k = 0;
    char *t = ARENA_ARRAY(a, char, LM_MAX + 1);
    if (!t)
        return -1;
    for (const char *p = s; *p; p++) {
        size_t n = 1;
        const char *r = lm_rule(rules, *p, &n);
        if (!r)
            r = p;
        for (size_t i = 0; i < n; i++) {
            if (r[i] == ':')
                continue;                   /* Tidal drops every ':' of a rule */
            if (k == LM_MAX)
                return -2;
            t[k++] = r[i];
        }
    }
    t[k] = 0;
    *out = t;
    return 0;
}

const struct pnode *op_lindenmayer(const struct op_args *A)
{
    long n;
    if (A->argpat[0] || count_arg(A, A->v[0].u.num, 0, 1000, "lindenmayer: the steps must be a whole number from 0 to 1000", &n))
        return A->argpat[0] ? (*A->err = "lindenmayer: the steps must be a constant number", NULL) : NULL;
    const char *s = A->v[2].u.str;
    for (long i = 0; i < n; i++) {
        int rc = lm_step(A->a, A->v[1].u.str, s, &s);
        if (rc)
            return rc == -2 ? (*A->err = "lindenmayer: the string grows longer than 4096 characters", NULL) : NULL;
    }
    size_t m = strlen(s);
    if (m == 0)
        return pat_silence();
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, m);
    if (!k)
        return NULL;
    for (size_t i = 0; i < m; i++) {
        char *c = arena_strndup(A->a, s + i, 1);
        k[i] = s[i] == '~' ? pat_silence()
             : s[i] >= '0' && s[i] <= '9' ? pat_pure(A->a, val_num(s[i] - '0'))
             : c ? pat_pure(A->a, val_str(c)) : NULL;
        if (!k[i])
            return NULL;
    }
    return pat_fastcat(A->a, k, (int)m);
}

/* cpm: fast by the factor the evaluator made of the cycles a minute
 * (cpm_factor in pat_eval.c, which knows the file's tempo). */
const struct pnode *op_cpm(const struct op_args *A)
{
    return pat_op_build(A->a, PAT_OP_FAST, &A->v[0], 1, NULL, A->p, A->err);
}
