/* pat_ops_cond.c -- issue 11's conditionals and selection: the builders of
 * the PAT_OPS_COND rows of pat.h (inv, fix, sew, ghost, pickF, select, ...)
 * and of the rows behind the aliases that needed one (undegrade, within',
 * striateBy, chooseBy, degradeSeed).
 *
 * Meaning is Tidal's (tidalcycles/Tidal, Sound.Tidal.{Core,UI,Control}),
 * built, as pat_ops.c builds its rows, from the primitives of pat_core.c:
 * `sew` is an overlay of two masks, `fix` a P_MATCH filter of the pattern
 * with the function applied to what matches, `pickF` with a patterned index
 * is a P_PATARG node (an inner join over the index's events). Where Strudel
 * 1.2.6 has the function with the same arguments, the events equal Strudel's
 * (tests/conformance/tidal-cond.*).
 */
#include "pat.h"
#include "pat_ops_impl.h"

#include <math.h>

/* ---- small pieces ------------------------------------------------------------- */

static const struct pnode *stack2(struct arena *a, const struct pnode *x, const struct pnode *y)
{
    const struct pnode *k[2] = { x, y };
    return x && y ? pat_stack(a, k, 2) : NULL;
}

/* x as a whole number within [lo, hi], else the error `what`. */
static int whole_in(const struct op_args *A, double x, double lo, double hi, const char *what, long *n)
{
    if (!(x == floor(x) && x >= lo && x <= hi)) {
        *A->err = what;
        return -1;
    }
    *n = (long)x;
    return 0;
}

/* Tidal's `|op| (pure {key: x})`: structure from both sides. */
static const struct pnode *with_control(struct arena *a, int mode_vop, const struct pnode *p,
                                        const char *key, double x)
{
    return pat_app(a, mode_vop, p, pat_pure(a, val_map_set(a, val_none(), key, val_num(x))));
}

/* degradeBy x with the random signal `with`. */
static const struct pnode *degrade_with(struct arena *a, const struct pnode *with, double x,
                                        const struct pnode *p)
{
    struct pnode *d = pat_app(a, APP_LEFT | VOP_DEGRADE, p, with);
    if (d)
        d->x0 = x;
    return d;
}

/* A P_JOIN of kids by the index pattern sel (op 0: inner join, 1: outer). */
static const struct pnode *join(struct arena *a, int outer, const struct pnode *sel,
                                const struct pnode *const *kids, int n)
{
    if (n == 0)
        return pat_silence();
    const struct pnode **ks = ARENA_ARRAY(a, const struct pnode *, n + 1);
    if (!ks || !sel)
        return NULL;
    ks[0] = sel;
    for (int i = 0; i < n; i++)
        ks[i + 1] = kids[i];
    struct pnode *j = pat_node1(a, P_JOIN, outer, sel);
    if (j) {
        j->n = n + 1;
        j->kids = ks;
    }
    return j;
}

/* floor(v * n) clamped to 0 .. n-1: Tidal's `xs !! floor (f * length xs)`
 * for a selector f in 0..1. */
static const struct pnode *scaled_index(struct arena *a, const struct pnode *f, int n)
{
    return pat_fmap(a, FM_INDEX, pat_fmap(a, FM_MUL, f, n, 0, val_none()), n, 0, val_none());
}

/* The function list of an F argument. */
static int fn_list(const struct op_args *A, struct val v, const char *what)
{
    if (v.kind != VAL_LIST || v.n == 0) {
        *A->err = what;
        return -1;
    }
    return (int)v.n;
}

static const struct pnode *list_fn(struct val v, long i)
{
    struct val f = v.u.list[i];
    return f.kind == VAL_NODE ? f.u.node : pat_hole();
}

/* ---- aliases' rows -------------------------------------------------------------- */

/* undegrade = undegradeBy 0.5 */
const struct pnode *op_undegrade(const struct op_args *A)
{
    struct arena *a = A->a;
    return degrade_with(a, pat_fmap(a, FM_ONE_MINUS, pat_signal(a, SIG_RAND), 0, 0, val_none()), 0.5, A->p);
}

/* degradeSeed s = degradeBy 0.5 with the random stream of seed s (the
 * pattern's own randomness unchanged). */
const struct pnode *op_degradeseed(const struct op_args *A)
{
    struct pnode *r = pat_node1(A->a, P_SEED, 0, pat_signal(A->a, SIG_RAND));
    if (!r)
        return NULL;
    r->x0 = A->x[0];
    return degrade_with(A->a, r, 0.5, A->p);
}

/* within' (s, e) f p: f on the part [s, e) of each cycle zoomed to a whole
 * cycle, then compressed back; the events starting elsewhere unchanged. */
const struct pnode *op_withinq(const struct op_args *A)
{
    struct arena *a = A->a;
    double s = A->x[0], e = A->x[1];
    struct rat rs, re;
    if (!(s >= 0 && e <= 1 && s < e) || rat_from_double(s, &rs) || rat_from_double(e, &re)) {
        *A->err = "within': expects 0 <= begin < end <= 1";
        return NULL;
    }
    const struct pnode *f = pat_call(a, A->f[2], pat_zoom(a, rs, re, A->p));
    struct pnode *in = pat_node1(a, P_FILTER_WHEN, 0, pat_compress(a, rs, re, f));
    struct pnode *out = pat_node1(a, P_FILTER_WHEN, 1, A->p);
    if (!in || !out)
        return NULL;
    in->x0 = out->x0 = s;
    in->x1 = out->x1 = nextafter(e, -(double)INFINITY);     /* [s, e): cycle positions below e */
    return stack2(a, in, out);
}

/* striateBy n f: n copies in a cycle, copy i playing the sample from
 * i * (1 - f) / (n - 1) for a length f (one copy: from 0). */
const struct pnode *op_striateby(const struct op_args *A)
{
    struct arena *a = A->a;
    long n;
    if (whole_in(A, A->x[0], 0, PAT_MAX_COPIES, "striateBy: the count must be a whole number from 0 to 100000", &n))
        return NULL;
    if (n == 0)
        return pat_silence();
    double f = A->x[1], slot = n > 1 ? (1 - f) / (double)(n - 1) : 0;
    const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, n);
    if (!kids)
        return NULL;
    for (long i = 0; i < n; i++) {
        struct val m = val_map_set(a, val_none(), "begin", val_num(slot * (double)i));
        kids[i] = pat_app(a, APP_LEFT | VOP_SET, A->p, pat_pure(a, val_map_set(a, m, "end", val_num(slot * (double)i + f))));
    }
    return pat_fastcat(a, kids, (int)n);
}

/* chooseBy f xs: the value at floor(f * n), structure from f (Tidal wraps
 * the index; f in 0..1 needs no wrap but at 1, which here is the last). */
const struct pnode *op_chooseby(const struct op_args *A)
{
    const struct pat_list *l = A->list;
    if (!A->f[0])
        return NULL;
    return join(A->a, 1, scaled_index(A->a, A->f[0], l->n), l->items, l->n);
}

/* ---- booleans -------------------------------------------------------------------- */

const struct pnode *op_inv(const struct op_args *A)
{
    return pat_fmap(A->a, FM_NOT, A->p, 0, 0, val_none());
}

/* sew bools a b: a where bools is true, b where false (cut by the bools). */
const struct pnode *op_sew(const struct op_args *A)
{
    struct arena *a = A->a;
    return stack2(a, pat_app(a, APP_LEFT | VOP_KEEPIF, A->f[1], A->f[0]),
                  pat_app(a, APP_LEFT | VOP_KEEPIF, A->p, pat_fmap(a, FM_NOT, A->f[0], 0, 0, val_none())));
}

/* stitch bools a b: the structure of bools, values of a on true, b on false. */
const struct pnode *op_stitch(const struct op_args *A)
{
    struct arena *a = A->a;
    return stack2(a, pat_app(a, APP_RIGHT | VOP_KEEPIF, A->f[1], A->f[0]),
                  pat_app(a, APP_RIGHT | VOP_KEEPIF, A->p, pat_fmap(a, FM_NOT, A->f[0], 0, 0, val_none())));
}

/* euclidInv k n = euclid (-k) n: the rests of the rhythm. */
const struct pnode *op_euclidinv(const struct op_args *A)
{
    struct val args[2] = { val_num(-A->x[0]), val_num(A->x[1]) };
    return pat_op_build(A->a, PAT_OP_EUCLID, args, 2, NULL, A->p, A->err);
}

/* ---- controls: fix ----------------------------------------------------------- */

/* contrast f g ctrls p: f on the events whose controls include one of ctrls'
 * (at the event's onset), g on the others. */
static const struct pnode *contrast(const struct op_args *A, const struct pnode *f, const struct pnode *g,
                                    const struct pnode *ctrls)
{
    struct arena *a = A->a;
    struct pnode *yes = pat_node1(a, P_MATCH, 0, A->p), *no = pat_node1(a, P_MATCH, 1, A->p);
    const struct pnode **ky = ARENA_ARRAY(a, const struct pnode *, 2), **kn = ARENA_ARRAY(a, const struct pnode *, 2);
    if (!yes || !no || !ky || !kn || !ctrls)
        return NULL;
    ky[0] = kn[0] = A->p;
    ky[1] = kn[1] = ctrls;
    yes->kids = ky;
    no->kids = kn;
    yes->n = no->n = 2;
    return stack2(a, pat_call(a, f, yes), pat_call(a, g, no));
}

const struct pnode *op_contrast(const struct op_args *A) { return contrast(A, A->f[0], A->f[1], A->f[2]); }
const struct pnode *op_fix(const struct op_args *A) { return contrast(A, A->f[0], pat_hole(), A->f[1]); }
const struct pnode *op_unfix(const struct op_args *A) { return contrast(A, pat_hole(), A->f[0], A->f[1]); }

/* ---- functions applied ------------------------------------------------------- */

/* apply f p = f p (also fmap and withValue, with a section: fmap (+ 1)) */
const struct pnode *op_apply(const struct op_args *A) { return pat_call(A->a, A->f[0], A->p); }

/* always f = f (Tidal's sometimesBy 1) */
const struct pnode *op_always(const struct op_args *A) { return pat_call(A->a, A->f[0], A->p); }

/* ghostWith a f p = superimpose (rotR (2.5 a) . f) $ superimpose (rotR (1.5 a) . f) p */
static const struct pnode *ghost_with(const struct op_args *A, struct rat t, const struct pnode *f)
{
    struct arena *a = A->a;
    const struct pnode *one = stack2(a, A->p, pat_shift(a, rat_neg(rat_mul(t, rat_make(3, 2))), pat_call(a, f, A->p)));
    if (!one)
        return NULL;
    return stack2(a, one, pat_shift(a, rat_neg(rat_mul(t, rat_make(5, 2))), pat_call(a, f, one)));
}

/* ghost' a: ghostWith a ((|*| gain 0.7) . (|> end 0.2) . (|*| speed 1.25)) */
static const struct pnode *ghost(const struct op_args *A, struct rat t)
{
    struct arena *a = A->a;
    const struct pnode *f = with_control(a, APP_BOTH | VOP_MUL, pat_hole(), "speed", 1.25);
    f = with_control(a, APP_LEFT | VOP_SET, f, "end", 0.2);
    f = with_control(a, APP_BOTH | VOP_MUL, f, "gain", 0.7);
    return f ? ghost_with(A, t, f) : NULL;
}

const struct pnode *op_ghost(const struct op_args *A) { return ghost(A, rat_make(1, 8)); }
const struct pnode *op_ghostq(const struct op_args *A) { return ghost(A, A->r[0]); }
const struct pnode *op_ghostwith(const struct op_args *A) { return ghost_with(A, A->r[0], A->f[1]); }

/* ---- selection ------------------------------------------------------------------ */

/* pickF i fs p: fs !!! i applied to p (the index wraps; a patterned index
 * is an inner join, through P_PATARG). */
const struct pnode *op_pickf(const struct op_args *A)
{
    int n = fn_list(A, A->v[1], "pickF: expects a non-empty list of functions");
    if (n < 0)
        return NULL;
    double i = floor(A->x[0]);
    if (!isfinite(i)) {
        *A->err = "pickF: the index must be a finite number";
        return NULL;
    }
    long k = (long)fmod(fmod(i, n) + n, n);
    return pat_call(A->a, list_fn(A->v[1], k), A->p);
}

/* selectF f fs p: fs !! floor (f * length fs) applied to p (f in 0..1). */
const struct pnode *op_selectf(const struct op_args *A)
{
    int n = fn_list(A, A->v[1], "selectF: expects a non-empty list of functions");
    if (n < 0)
        return NULL;
    double i = floor(A->x[0] * n);
    long k = !(i >= 0) ? 0 : i > n - 1 ? n - 1 : (long)i;
    return pat_call(A->a, list_fn(A->v[1], k), A->p);
}

/* select f ps: ps !! floor (clamp 0 1 f * (length ps - 1)), an inner join
 * over f (Tidal's current definition). */
const struct pnode *op_select(const struct op_args *A)
{
    struct arena *a = A->a;
    const struct pat_list *l = A->list;
    if (!A->f[0])
        return NULL;
    const struct pnode *i = pat_fmap(a, FM_MUL, A->f[0], l->n - 1, 0, val_none());
    return join(a, 0, pat_fmap(a, FM_INDEX, i, l->n, 0, val_none()), l->items, l->n);
}

/* pick xs i (Strudel's): xs at round(i) clamped to the list, an inner join. */
const struct pnode *op_pick(const struct op_args *A)
{
    struct arena *a = A->a;
    struct val xs = A->v[0];
    if (xs.kind != VAL_LIST) {
        *A->err = "pick: expects a list of patterns";
        return NULL;
    }
    const struct pnode **kids = ARENA_ARRAY(a, const struct pnode *, xs.n ? xs.n : 1);
    if (!kids)
        return NULL;
    for (uint32_t k = 0; k < xs.n; k++)
        kids[k] = xs.u.list[k].u.node;
    const struct pnode *r = pat_fmap(a, FM_ROUND, A->p, 0, 0, val_none());
    return join(a, 0, pat_fmap(a, FM_INDEX, r, xs.n, 0, val_none()), kids, (int)xs.n);
}

/* squeeze i xs: a squeeze join over i of xs !!! round(i). */
const struct pnode *op_squeeze(const struct op_args *A)
{
    const struct pat_list *l = A->list;
    if (!A->f[0])
        return NULL;
    return join(A->a, 3, pat_fmap(A->a, FM_WRAP_INDEX, A->f[0], l->n, 0, val_none()), l->items, l->n);
}

/* ---- randomness ---------------------------------------------------------------- */

/* sometimesBy' x f p = overlay (degradeBy x p) (unDegradeBy x (f p)): f on
 * the whole pattern first, then the events whose rand is below x kept. */
static const struct pnode *sometimes_q(const struct op_args *A, double x, const struct pnode *f)
{
    struct arena *a = A->a;
    const struct pnode *r = pat_signal(a, SIG_RAND);
    const struct pnode *kept = degrade_with(a, pat_fmap(a, FM_ONE_MINUS, r, 0, 0, val_none()), 1 - x,
                                            pat_call(a, f, A->p));
    return stack2(a, degrade_with(a, r, x, A->p), kept);
}

const struct pnode *op_sometimesbyq(const struct op_args *A) { return sometimes_q(A, A->x[0], A->f[1]); }
const struct pnode *op_sometimesq(const struct op_args *A) { return sometimes_q(A, 0.5, A->f[0]); }
const struct pnode *op_oftenq(const struct op_args *A) { return sometimes_q(A, 0.75, A->f[0]); }
const struct pnode *op_rarelyq(const struct op_args *A) { return sometimes_q(A, 0.25, A->f[0]); }
const struct pnode *op_almostalwaysq(const struct op_args *A) { return sometimes_q(A, 0.9, A->f[0]); }

/* wchoose's node with another selector in place of rand. */
static const struct pnode *wchoose_by(const struct op_args *A, const struct pnode *sel)
{
    const struct pat_list *l = A->list;
    const struct pnode *w = pat_wchoose(A->a, l->items, l->weights, l->n, A->err);
    if (!w || !sel || w->kind != P_WCHOOSE)
        return w;
    struct pnode *c = ARENA_NEW(A->a, struct pnode);
    const struct pnode **ks = ARENA_ARRAY(A->a, const struct pnode *, w->n);
    if (!c || !ks)
        return NULL;
    *c = *w;
    ks[0] = sel;
    for (int i = 1; i < w->n; i++)
        ks[i] = w->kids[i];
    c->kids = ks;
    return c;
}

/* wchooseBy f pairs: the value whose cumulative weight first exceeds
 * f * total, with f's structure. */
const struct pnode *op_wchooseby(const struct op_args *A)
{
    return A->f[0] ? wchoose_by(A, A->f[0]) : NULL;
}

/* wrandcat pairs = unwrap (wchooseBy (segment 1 rand) pairs): a pattern
 * chosen by weight each cycle, its events cut to the cycle. */
const struct pnode *op_wrandcat(const struct op_args *A)
{
    struct arena *a = A->a;
    const struct pat_list *l = A->list;
    const struct pnode **idx = ARENA_ARRAY(a, const struct pnode *, l->n ? l->n : 1);
    if (!idx)
        return NULL;
    for (int i = 0; i < l->n; i++)
        if (!(idx[i] = pat_pure(a, val_num(i))))
            return NULL;
    struct pat_list il = *l;
    il.items = idx;
    struct op_args B = *A;
    B.list = &il;
    const struct pnode *one = pat_app(a, APP_RIGHT | VOP_KEEPIF, pat_signal(a, SIG_RAND),
                                      pat_pure(a, val_bool(1)));
    return join(a, 2, wchoose_by(&B, one), l->items, l->n);
}

/* cycleChoose xs = segment 1 (choose xs) */
const struct pnode *op_cyclechoose(const struct op_args *A)
{
    struct arena *a = A->a;
    const struct pnode *c = pat_choose(a, A->list->items, A->list->n, 0);
    return pat_app(a, APP_RIGHT | VOP_KEEPIF, c, pat_pure(a, val_bool(1)));
}

/* ---- cycles ------------------------------------------------------------------------ */

/* foldEvery ns f p = foldr (`_every` f) p ns: every n1 f (every n2 f (... p)) */
const struct pnode *op_foldevery(const struct op_args *A)
{
    struct val ns = A->v[0];
    if (ns.kind != VAL_LIST) {
        *A->err = "foldEvery: expects a list of counts [3, 5]";
        return NULL;
    }
    const struct pnode *p = A->p;
    for (long i = (long)ns.n - 1; i >= 0 && p; i--) {
        struct val args[2] = { ns.u.list[i], { VAL_NODE, 0, { .node = A->f[1] } } };
        p = pat_op_build(A->a, PAT_OP_EVERY, args, 2, NULL, p, A->err);
    }
    return p;
}

/* fit step xs p: xs !!! (i + step * the cycle of the event's part), the
 * structure of p (Tidal's _fit; the cycle number is the time signal
 * sampled once per cycle, added with p's structure). */
const struct pnode *op_fit(const struct op_args *A)
{
    struct arena *a = A->a;
    const struct pat_list *l = A->list;
    if (A->argpat[0] || A->v[0].kind != VAL_NUM) {
        *A->err = "fit: the step must be a number";
        return NULL;
    }
    if (l->n == 0 || !A->f[2])
        return l->n == 0 ? pat_silence() : NULL;
    const struct pnode *cycle = pat_app(a, APP_RIGHT | VOP_KEEPIF, pat_signal(a, SIG_TIME), pat_pure(a, val_bool(1)));
    const struct pnode *idx = pat_app(a, APP_LEFT | VOP_ADD, A->f[2], pat_fmap(a, FM_MUL, cycle, A->v[0].u.num, 0, val_none()));
    return join(a, 1, pat_fmap(a, FM_WRAP_INDEX, idx, l->n, 0, val_none()), l->items, l->n);
}

/* spread g xs p = slowcat [g x p | x <- xs]; fastspread: fastcat. The
 * evaluator hands over the list of the functions g x (kinds g V). */
static const struct pnode *spread(const struct op_args *A, struct val fs, int fast)
{
    int n = fn_list(A, fs, "spread: expects a non-empty list");
    if (n < 0)
        return NULL;
    const struct pnode **kids = ARENA_ARRAY(A->a, const struct pnode *, n);
    if (!kids)
        return NULL;
    for (int i = 0; i < n; i++)
        if (!(kids[i] = pat_call(A->a, list_fn(fs, i), A->p)))
            return NULL;
    return fast ? pat_fastcat(A->a, kids, n) : pat_slowcat(A->a, kids, n);
}

const struct pnode *op_spread(const struct op_args *A) { return spread(A, A->v[1], 0); }
const struct pnode *op_fastspread(const struct op_args *A) { return spread(A, A->v[1], 1); }
const struct pnode *op_spreadf(const struct op_args *A) { return spread(A, A->v[0], 0); }

/* inhabit pairs names: a squeeze join over names of the pattern of each
 * name (Tidal's; a name not in the list is silence). */
const struct pnode *op_inhabit(const struct op_args *A)
{
    struct arena *a = A->a;
    const struct pat_list *l = A->list;
    struct val *ns = ARENA_ARRAY(a, struct val, l->n ? l->n : 1);
    if (!ns || !A->f[1])
        return NULL;
    for (int i = 0; i < l->n; i++)
        ns[i] = val_str(l->names[i]);
    struct val list = { VAL_LIST, (uint32_t)l->n, { .list = ns } };
    return join(a, 3, pat_fmap(a, FM_NAME_INDEX, A->f[1], 0, 0, list), l->items, l->n);
}
