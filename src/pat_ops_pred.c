/* pat_ops_pred.c -- Tidal's functions with a test (issue 11): when, whenT,
 * ifp, filterValues, filterWhen, and while, even, odd; with them reset,
 * restart, sig and id (the PAT_OPS_PRED rows of pat.h).
 *
 * A test is Haskell's (Int -> Bool), (Time -> Bool) or (a -> Bool). Here it
 * is what the language already has for functions of values: a section, a
 * composition of them, or a row such as even: (> 2), (== 0) . (`mod` 4),
 * not . even. It is a function of patterns like any transform, so a test of
 * a number x is the test applied to the pure pattern of x, queried over the
 * cycle of the time the test is about: it passes when its event there is
 * true (val_truthy: not 0, not false). A test that is a pattern in time
 * ((> "<1 2>")) is read at that time.
 *
 * The tests run while querying (in the query's scratch arena, no other
 * allocation), in P_HOOK nodes whose query pat_hook_query hands on to
 * pat_pred_hook_query below:
 *   when, ifp   the query split at cycles; cycle c is then's or else's as
 *               the test of c says (Tidal's definition exactly);
 *   whenT       each event of the transformed pattern whose onset passes,
 *               each of the plain one whose onset does not. Tidal tests the
 *               start of each query, which its scheduler makes the onset
 *               to within a frame; testing the onset itself keeps the
 *               result the same whatever the span asked (a render's blocks,
 *               phonon query's cycles);
 *   filterValues, filterWhen   the events whose value, whole start passes.
 */
#include "pat.h"
#include "pat_ops_impl.h"

#include <math.h>

enum pred_hook {
    PH_CYCLE = PAT_HOOK_PRED,   /* kids: then, else, test: per cycle number */
    PH_ONSET,                   /* kids: then, else, test: per event onset */
    PH_VALUE,                   /* kids: pattern, test: per event value */
    PH_RESET,                   /* kids: booleans, pattern: Tidal's trigJoin (i0 1: from cycle 0) */
};

/* ---- building ----------------------------------------------------------------- */

static struct pnode *pred_node(struct arena *a, enum pred_hook op, const struct pnode *k0,
                                     const struct pnode *k1, const struct pnode *test)
{
    const struct pnode *ks[3] = { k0, k1 ? k1 : test, test };
    return pat_nodes(a, P_HOOK, op, ks, k1 ? 3 : 2);
}

/* when test f p: f p on the cycles whose number passes, p on the others. */
const struct pnode *op_twhen(const struct op_args *A)
{
    return pred_node(A->a, PH_CYCLE, pat_call(A->a, A->f[1], A->p), A->p, A->f[0]);
}

const struct pnode *op_ifp(const struct op_args *A)
{
    return pred_node(A->a, PH_CYCLE, pat_call(A->a, A->f[1], A->p), pat_call(A->a, A->f[2], A->p), A->f[0]);
}

const struct pnode *op_whent(const struct op_args *A)
{
    return pred_node(A->a, PH_ONSET, pat_call(A->a, A->f[1], A->p), A->p, A->f[0]);
}

/* filterWhen test p: the onsets test (as whenT with silence for the rest). */
const struct pnode *op_filterwhen(const struct op_args *A)
{
    return pred_node(A->a, PH_ONSET, A->p, pat_silence(), A->f[0]);
}

const struct pnode *op_filtervalues(const struct op_args *A)
{
    return pred_node(A->a, PH_VALUE, A->p, NULL, A->f[0]);
}

/* while b f p = sew b (f p) p (Tidal's UI.hs). */
const struct pnode *op_while(const struct op_args *A)
{
    struct op_args S = *A;
    S.f[1] = pat_call(A->a, A->f[1], A->p);
    return S.f[1] ? op_sew(&S) : NULL;
}

/* even: (== r) . (`mod` 2) with r 0; odd with r 1. */
static const struct pnode *parity(struct arena *a, int r, const struct pnode *p)
{
    const struct pnode *two = pat_pure(a, val_num(2)), *want = pat_pure(a, val_num(r));
    const struct pnode *m = two ? pat_app(a, APP_LEFT | VOP_MOD, p, two) : NULL;
    return m && want ? pat_app(a, APP_LEFT | VOP_EQ, m, want) : NULL;
}

const struct pnode *op_even(const struct op_args *A) { return parity(A->a, 0, A->p); }
const struct pnode *op_odd(const struct op_args *A) { return parity(A->a, 1, A->p); }

/* elem x: Haskell's elem over a list value, or a text (a String is a list of
 * characters); show: a value's text, which is (++ ""). */
const struct pnode *op_elem(const struct op_args *A)
{
    return pat_app(A->a, APP_LEFT | VOP_ELEM, A->p, A->f[0]);
}

const struct pnode *op_show(const struct op_args *A)
{
    const struct pnode *none = pat_pure(A->a, val_str(""));
    return none ? pat_app(A->a, APP_LEFT | VOP_CAT, A->p, none) : NULL;
}

/* reset b p, restart b p (Tidal's Pattern.hs): each true event of b plays p
 * shifted to start at the event's cycle position (restart: at the event),
 * wholes and parts cut to the event's. */
static const struct pnode *reset_node(const struct op_args *A, int restart)
{
    struct pnode *p = pred_node(A->a, PH_RESET, A->f[0], NULL, A->p);
    if (p)
        p->i0 = restart;
    return p;
}

const struct pnode *op_reset(const struct op_args *A) { return reset_node(A, 0); }
const struct pnode *op_restart(const struct op_args *A) { return reset_node(A, 1); }

const struct pnode *op_id(const struct op_args *A) { return A->p; }

/* sig f: f applied to the time (a continuous pattern of the query's start). */
const struct pnode *op_sig(const struct op_args *A)
{
    const struct pnode *t = pat_signal(A->a, SIG_TIME);
    return t ? pat_call(A->a, A->f[0], t) : NULL;
}

/* ---- querying ----------------------------------------------------------------- */

static int oom(const struct pat_sub *s)
{
    return pat_sub_fail(s, "the query needs more memory than the engine reserves");
}

/* Does test pass for the value x, read at time t? -1 when the query failed. */
static int passes(const struct pat_sub *s, const struct pnode *test, struct val x, struct rat t)
{
    struct arena *a = pat_sub_arena(s);
    const struct pnode *arg = pat_pure(a, x);
    const struct pnode *call = arg ? pat_call(a, test, arg) : NULL;
    if (!call)
        return oom(s), -1;
    struct rat c = rat_floor(t);
    struct pat_evbuf ev = { NULL, 0, 0 };
    if (pat_sub_query(s, call, c, rat_add(c, rat_int(1)), &ev))
        return -1;
    for (int i = 0; i < ev.n; i++) {
        const struct pat_ev *v = &ev.ev[i];
        struct rat b = v->has_whole ? v->wb : v->pb, e = v->has_whole ? v->we : v->pe;
        if (rat_le(b, t) && rat_lt(t, e))
            return val_truthy(v->v);
    }
    return 0;
}

static int push(const struct pat_sub *s, struct pat_evbuf *out, const struct pat_ev *ev)
{
    struct pat_ev *n = pat_sub_push(s, out);
    if (!n)
        return -1;
    *n = *ev;
    return 0;
}

/* The events of kid over [b, e) whose onset (by_value: value) passes test
 * (want 1) or does not (want 0). */
static int filter(const struct pat_sub *s, const struct pnode *kid, const struct pnode *test, int by_value,
                  int want, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct pat_evbuf ev = { NULL, 0, 0 };
    if (pat_sub_query(s, kid, b, e, &ev))
        return -1;
    for (int i = 0; i < ev.n; i++) {
        struct rat on = ev.ev[i].has_whole ? ev.ev[i].wb : ev.ev[i].pb;
        int r = passes(s, test, by_value ? ev.ev[i].v : val_num(rat_to_double(on)), on);
        if (r < 0 || (r == want && push(s, out, &ev.ev[i])))
            return -1;
    }
    return 0;
}

/* when, ifp: the query split at cycles, each cycle's events from kids[0]
 * when its number passes, else from kids[1]. */
static int q_cycle(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                   struct pat_evbuf *out)
{
    struct rat qb = b;
    do {                                /* once at least: a query may be a point */
        struct rat c = rat_floor(qb), next = rat_add(c, rat_int(1));
        int r = passes(s, p->kids[2], val_num((double)c.n), c);
        if (r < 0 || pat_sub_query(s, p->kids[r ? 0 : 1], qb, rat_min(next, e), out))
            return -1;
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

/* reset, restart: for each true event of the booleans (kids[0]) that has a
 * whole, the pattern (kids[1]) later by its start's cycle position (restart:
 * by its start), over its part; whole and part cut to the event's. */
static int q_reset(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                   struct pat_evbuf *out)
{
    struct pat_evbuf bools = { NULL, 0, 0 };
    if (pat_sub_query(s, p->kids[0], b, e, &bools))
        return -1;
    for (int i = 0; i < bools.n; i++) {
        const struct pat_ev *o = &bools.ev[i];
        if (!o->has_whole || !val_truthy(o->v))
            continue;
        struct rat by = p->i0 ? o->wb : rat_cycle_pos(o->wb);
        const struct pnode *later = pat_shift(pat_sub_arena(s), rat_neg(by), p->kids[1]);
        struct pat_evbuf in = { NULL, 0, 0 };
        if (!later)
            return oom(s);
        if (pat_sub_query(s, later, o->pb, o->pe, &in))
            return -1;
        for (int k = 0; k < in.n; k++) {
            struct pat_ev ev = in.ev[k];
            if (!pat_span_sect(o->pb, o->pe, in.ev[k].pb, in.ev[k].pe, &ev.pb, &ev.pe) ||
                (ev.has_whole && !pat_span_sect(o->wb, o->we, in.ev[k].wb, in.ev[k].we, &ev.wb, &ev.we)))
                continue;
            if (push(s, out, &ev))
                return -1;
        }
    }
    return 0;
}

int pat_pred_hook_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                        struct pat_evbuf *out)
{
    switch (p->op) {
    case PH_CYCLE:
        return q_cycle(s, p, b, e, out);
    case PH_ONSET:
        return filter(s, p->kids[0], p->kids[2], 0, 1, b, e, out) ||
               filter(s, p->kids[1], p->kids[2], 0, 0, b, e, out) ? -1 : 0;
    case PH_VALUE:
        return filter(s, p->kids[0], p->kids[1], 1, 1, b, e, out);
    case PH_RESET:
        return q_reset(s, p, b, e, out);
    }
    return pat_sub_fail(s, "internal: unknown hook");
}
