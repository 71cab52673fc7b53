/* pat_ops_tidal5.c -- issue 11: Tidal's ur, nTake, snowball, runMarkov and
 * stripe (the PAT_OPS_TIDAL5 rows of pat.h).
 *
 * Strudel has none of these, so each follows Tidal's own definition
 * (tidal-core's UI.hs and Params.hs), pinned by the hand-checked cases of
 * tests/conformance/tidal-5.cases. ur, stripe and nTake rewrite the events
 * of a span as a whole: they are P_HOOK nodes (ops from PAT_HOOK_TIDAL5)
 * whose query is pat_tidal5_hook_query below. Tidal's nTake keeps a counter
 * in the scheduler's state; phonon's patterns are pure, so here the counter
 * is a function of time: the onsets of the pattern before the event,
 * counted from cycle 0, kept by the query context from one query to the
 * next (pat_sub_memo_get) so that playing on costs one cycle's query.
 */
#include "pat_ops_impl.h"

#include <math.h>
#include <string.h>

enum hook5 {
    HK_UR = PAT_HOOK_TIDAL5,    /* kids[0] names, kids[1..] the named patterns (sped up); v: names, functions */
    HK_STRIPE,                  /* kids[0] in i0 stripes of random lengths per cycle */
    HK_NTAKE,                   /* kids[0]'s onsets take v's numbers in turn as n; i0 1: alone */
};

static struct pnode *hook5(struct arena *a, enum hook5 op, const struct pnode *const *kids, int n)
{
    return pat_nodes(a, P_HOOK, op, kids, n);
}

/* ---- snowball ---------------------------------------------------------------- */

/* combine l r with the o argument's operator (-1: overlay; PAT_O_FLIP
 * added: r and l swapped, flip (-)). */
static const struct pnode *combine(struct arena *a, int op, const struct pnode *l, const struct pnode *r)
{
    if (op >= PAT_O_FLIP - 1) {
        const struct pnode *t = l;
        l = r;
        r = t;
        op -= PAT_O_FLIP;
    }
    if (op < 0) {
        const struct pnode *k[2] = { l, r };
        return l && r ? pat_stack(a, k, 2) : NULL;
    }
    return pat_app(a, op, l, r);
}

/* snowball n c f p = cat (take n (scanl c p (drop 1 (iterate f p)))):
 * p, c p (f p), c (c p (f p)) (f (f p)), ... one cycle each. */
const struct pnode *op_snowball(const struct op_args *A)
{
    double d = A->x[0];
    if (!(d == floor(d) && d >= 0 && d <= 10000)) {
        *A->err = "snowball: the depth must be a whole number from 0 to 10000";
        return NULL;
    }
    long n = (long)d;
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, n ? n : 1);
    if (!k)
        return NULL;
    const struct pnode *it = A->p;                      /* f applied i times */
    for (long i = 0; i < n; i++) {
        if (i) {
            it = pat_call(A->a, A->f[2], it);
            k[i] = combine(A->a, (int)A->v[1].u.num, k[i - 1], it);
        } else {
            k[i] = A->p;
        }
        if (!k[i])
            return NULL;
    }
    return pat_slowcat(A->a, k, (int)n);
}

/* ---- runMarkov ---------------------------------------------------------------- */

/* runMarkov n tp xi seed: state 0 is xi; state k follows state k - 1 with
 * r = timeToRand (seed + k/n) (Tidal iterates from seed + 1/n). The list,
 * kept in a P_VALCAT marked PF_LIST, which the evaluator gives as [a, ...]. */
const struct pnode *op_runmarkov(const struct op_args *A)
{
    struct val tp = A->v[1];
    struct rat seed;
    if (A->argpat[0] || A->argpat[2] || A->argpat[3]) {
        *A->err = "runMarkov: the steps, first state and seed must be plain numbers";
        return NULL;
    }
    double nd = A->v[0].u.num, xd = A->v[2].u.num;
    if (!(nd == floor(nd) && nd >= 0 && nd <= 100000)) {
        *A->err = "runMarkov: the steps must be a whole number from 0 to 100000";
        return NULL;
    }
    if (!(xd == floor(xd) && xd >= 0 && xd < tp.n)) {
        *A->err = "runMarkov: the first state must be a row of the matrix";
        return NULL;
    }
    if (rat_from_double(A->v[3].u.num, &seed)) {
        *A->err = "runMarkov: the seed must be a finite number";
        return NULL;
    }
    for (uint32_t i = 0; i < tp.n; i++) {
        struct val row = tp.u.list[i];
        if (row.n == 0 || row.n > tp.n) {
            *A->err = "runMarkov: each row must list the weights of going to each state";
            return NULL;
        }
        for (uint32_t j = 0; j < row.n; j++)
            if (!(row.u.list[j].u.num >= 0)) {
                *A->err = "runMarkov: the weights must be numbers >= 0";
                return NULL;
            }
    }
    long n = (long)nd, x = (long)xd;
    struct val *xs = ARENA_ARRAY(A->a, struct val, n ? n : 1);
    if (!xs)
        return NULL;
    for (long k = 0; k < n; k++) {
        if (k)
            x = pat_markov_next(tp.u.list[x], pat_tidal_rand(rat_add(seed, rat_make(k, n))));
        xs[k] = val_num((double)x);
    }
    if (rat_overflow) {
        *A->err = "runMarkov: the seed is too large for exact time";
        return NULL;
    }
    struct pnode *p = pat_valcat(A->a, xs, NULL, (int)n, 0);
    if (p)
        p->flags |= PF_LIST;
    return p;
}

/* ---- ur ------------------------------------------------------------------------- */

/* ur t names [(name, p)] [(name, f)] = _slow t (unwrap (adjust <$> the
 * names' events)): each name event plays _fast t p (Tidal's ps'); with
 * name:function, rotR s (inside (1/(e - s)) f p) over the event's whole
 * [s, e). The hook works in the names' time; the result is slowed by t. */
const struct pnode *op_ur(const struct op_args *A)
{
    struct rat t;
    if (A->argpat[0] || rat_from_double(A->v[0].u.num, &t) || t.n < 0) {
        *A->err = "ur: the cycles must be a number >= 0";
        return NULL;
    }
    if (t.n == 0)
        return pat_silence();                   /* _slow 0: silence */
    const struct pat_list *l = A->list;
    const struct pnode **k = ARENA_ARRAY(A->a, const struct pnode *, l->n + 1);
    struct val *names = ARENA_ARRAY(A->a, struct val, l->n ? l->n : 1);
    struct val *both = ARENA_ARRAY(A->a, struct val, 2);
    if (!k || !names || !both)
        return NULL;
    k[0] = A->f[1];
    for (int i = 0; i < l->n; i++) {
        names[i] = val_str(l->names[i]);
        if (!(k[i + 1] = pat_fast(A->a, t, l->items[i])))
            return NULL;
    }
    both[0] = (struct val){ VAL_LIST, (uint32_t)l->n, { .list = names } };
    both[1] = A->v[3];
    struct pnode *h = hook5(A->a, HK_UR, k, l->n + 1);
    if (!h)
        return NULL;
    h->v = (struct val){ VAL_LIST, 2, { .list = both } };
    return pat_fast(A->a, rat_div(rat_int(1), t), h);
}

/* The index in names (a VAL_LIST of strings, step 1, or of name, body
 * pairs, step 2) of the word w[0..n), or -1. */
static int find_word(struct val names, uint32_t step, const char *w, size_t n)
{
    for (uint32_t i = 0; i < names.n; i += step)
        if (strlen(names.u.list[i].u.str) == n && memcmp(names.u.list[i].u.str, w, n) == 0)
            return (int)i;
    return -1;
}

/* An event's name and function name: "b:fast" as a list [b, fast] (the
 * mini-notation's ':'), or one string with ':' in it (Tidal's wordsBy). */
static int ur_words(struct val v, const char **w, size_t *wn, const char **f, size_t *fn)
{
    *f = NULL;
    *fn = 0;
    if (v.kind == VAL_LIST && v.n >= 1 && v.u.list[0].kind == VAL_STR) {
        *w = v.u.list[0].u.str;
        *wn = strlen(*w);
        if (v.n >= 2 && v.u.list[1].kind == VAL_STR) {
            *f = v.u.list[1].u.str;
            *fn = strlen(*f);
        }
        return 0;
    }
    if (v.kind != VAL_STR)
        return -1;
    const char *s = v.u.str;
    while (*s == ':')
        s++;
    *w = s;
    *wn = strcspn(s, ":");
    s += *wn;
    while (*s == ':')
        s++;
    if (*s) {
        *f = s;
        *fn = strcspn(s, ":");
    }
    return *wn ? 0 : -1;
}

/* The pattern a name event plays (NULL: silence; *fail set on no memory). */
static const struct pnode *ur_inner(const struct pat_sub *s, const struct pnode *p, const struct pat_ev *ev, int *fail)
{
    struct arena *a = pat_sub_arena(s);
    struct val names = p->v.u.list[0], fns = p->v.u.list[1];
    const char *w, *f;
    size_t wn, fn;
    *fail = 0;
    if (ur_words(ev->v, &w, &wn, &f, &fn))
        return NULL;
    int i = find_word(names, 1, w, wn);
    if (i < 0)
        return NULL;
    const struct pnode *q = p->kids[i + 1];
    if (!f)
        return q;                               /* no function: as it runs */
    struct rat d = rat_sub(ev->we, ev->wb);
    if (d.n <= 0)
        return NULL;
    int j = find_word(fns, 2, f, fn);
    q = pat_fast(a, d, q);                      /* inside (1/d) f: slow d . f . fast d */
    if (j >= 0)
        q = pat_call(a, fns.u.list[j + 1].u.node, q);
    q = pat_node1(a, P_SPLIT, 0, pat_fast(a, rat_div(rat_int(1), d), q));      /* its innerJoin */
    q = pat_shift(a, rat_neg(ev->wb), q);                                        /* rotR s */
    *fail = q == NULL;
    return q;
}

/* unwrap: each name event's pattern over its part, wholes intersected. */
static int q_ur(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct pat_evbuf O = { NULL, 0, 0 };
    if (pat_sub_query(s, p->kids[0], b, e, &O))
        return -1;
    for (int i = 0; i < O.n; i++) {
        const struct pat_ev *o = &O.ev[i];
        int fail;
        if (!o->has_whole)
            continue;
        const struct pnode *q = ur_inner(s, p, o, &fail);
        if (fail)
            return sub_oom(s);
        struct pat_evbuf I = { NULL, 0, 0 };
        if (!q)
            continue;
        if (pat_sub_query(s, q, o->pb, o->pe, &I))
            return -1;
        for (int j = 0; j < I.n; j++) {
            struct pat_ev ev = I.ev[j];
            if (ev.has_whole && !pat_span_sect(o->wb, o->we, ev.wb, ev.we, &ev.wb, &ev.we))
                continue;
            if (!pat_span_sect(o->pb, o->pe, ev.pb, ev.pe, &ev.pb, &ev.pe))
                continue;
            if (sub_push(s, out, &ev))
                return -1;
        }
    }
    return 0;
}

/* ---- stripe ---------------------------------------------------------------------- */

/* stripe n = substruct' (randStruct n): cycle c is cut into n stripes of
 * lengths in proportion to r_0 .. r_n-1, r_i = [1, 2, 3] !! floor (3 *
 * timeToRand (c + i/n)) (randArcs: choose [1, 2, 3] shifted i/n earlier,
 * Tidal's rand read at the start of the query); stripe i plays cycle c of
 * compressArc (its span) (inside (1/n) (rotR i) p) = rotR (i * n) p. */
const struct pnode *op_stripe(const struct op_args *A)
{
    double d = A->x[0];
    if (!(d == floor(d) && d <= PAT_MAX_COPIES)) {
        *A->err = "stripe: the count must be a whole number";
        return NULL;
    }
    if (d < 1)
        return pat_silence();                   /* randArcs 0: no arcs, no events */
    const struct pnode *k[1] = { A->p };
    struct pnode *h = hook5(A->a, HK_STRIPE, k, 1);
    if (h)
        h->i0 = (int)d;
    return h;
}

/* The events of stripe i, [sb, se) of cycle c, over [b, e) (Tidal queries the
 * whole stripe; the part inside the query is what a query asks). */
static int stripe_one(const struct pat_sub *s, const struct pnode *p, int64_t c, int i, struct rat sb,
                      struct rat se, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct arena *a = pat_sub_arena(s);
    struct rat wb = rat_add(rat_int(c), sb), we = rat_add(rat_int(c), se), qb, qe;
    if (!pat_span_sect(wb, we, b, e, &qb, &qe))
        return 0;
    const struct pnode *q = pat_shift(a, rat_int(-(int64_t)i * p->i0), p->kids[0]);
    q = pat_compress(a, sb, se, pat_node1(a, P_SPLIT, 0, q));
    if (!q)
        return sub_oom(s);
    struct pat_evbuf I = { NULL, 0, 0 };
    if (pat_sub_query(s, q, qb, qe, &I))
        return -1;
    for (int j = 0; j < I.n; j++)
        if (sub_push(s, out, &I.ev[j]))
            return -1;
    return 0;
}

static int q_stripe(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    int n = p->i0;
    struct rat qb = b;
    do {
        int64_t c = rat_floor_int(qb);
        struct rat next = rat_int(c + 1), qe = rat_min(next, e), total = rat_int(0), at = rat_int(0);
        int64_t r[64], *rs = n <= 64 ? r : ARENA_ARRAY(pat_sub_arena(s), int64_t, n);
        if (!rs)
            return sub_oom(s);
        for (int i = 0; i < n; i++) {
            double x = pat_tidal_rand(rat_add(rat_int(c), rat_make(i, n)));
            rs[i] = 1 + (int64_t)floor(x * 3);
            total = rat_add(total, rat_int(rs[i]));
        }
        for (int i = 0; i < n; i++) {
            struct rat to = i == n - 1 ? rat_int(1) : rat_add(at, rat_div(rat_int(rs[i]), total));
            if (stripe_one(s, p, c, i, at, to, qb, qe, out))
                return -1;
            at = to;
        }
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

/* ---- nTake ------------------------------------------------------------------------ */

static uint64_t ntake_serial(void)
{
    static uint64_t next;
    return __atomic_add_fetch(&next, 1, __ATOMIC_RELAXED);
}

static const struct val empty_map = { VAL_MAP, 0, { .map = NULL } };

/* nTake name xs alone: Tidal's pure (one onset a cycle) of the state value;
 * l # nTake name xs is pat_ntake_on. */
const struct pnode *op_ntake(const struct op_args *A)
{
    struct val xs = A->v[1];
    if (xs.n == 0) {
        *A->err = "nTake: the list of values must not be empty";
        return NULL;
    }
    const struct pnode *k[1] = { pat_pure(A->a, empty_map) };
    struct pnode *h = k[0] ? hook5(A->a, HK_NTAKE, k, 1) : NULL;
    if (h) {
        h->v = xs;
        h->i0 = 1;
        h->x1 = (double)ntake_serial();
    }
    return h;
}

const struct pnode *pat_ntake_on(struct arena *a, const struct pnode *take, const struct pnode *l)
{
    if (!take || take->kind != P_HOOK || take->op != HK_NTAKE || take->i0 != 1 || !l)
        return NULL;
    const struct pnode *k[1] = { l };
    struct pnode *h = hook5(a, HK_NTAKE, k, 1);
    if (h) {
        h->v = take->v;
        h->x1 = (double)ntake_serial();
    }
    return h;
}

static int is_onset(const struct pat_ev *ev) { return ev->has_whole && rat_eq(ev->wb, ev->pb); }

/* Adds the onsets of kids[0] in cycle c to *n, its scratch memory given
 * back (a count from cycle 0 after a reload late in a session). */
static int onsets_in(const struct pat_sub *s, const struct pnode *p, int64_t c, int64_t *n)
{
    struct pat_evbuf E = { NULL, 0, 0 };
    struct arena_mark m = pat_sub_mark(s);
    if (pat_sub_query(s, p->kids[0], rat_int(c), rat_int(c + 1), &E))
        return -1;
    for (int i = 0; i < E.n; i++)
        *n += is_onset(&E.ev[i]);
    pat_sub_rewind(s, m);
    return 0;
}

/* One query counts at most NTAKE_CATCHUP cycles of onsets: a block's work
 * stays bounded (issue 9). Past that (a reload late in a session, or a
 * query far from cycle 0 with nothing kept) the count goes on from where it
 * got to at the next query, and this one plays silent, saying so. */
enum { NTAKE_CATCHUP = 512 };

/* The onsets of kids[0] in [0, c) (negative c: minus those in [c, 0)). */
static int onsets_before(const struct pat_sub *s, const struct pnode *p, int64_t c, int64_t *count)
{
    uint64_t id = (uint64_t)p->x1;
    int64_t from = 0, k = 0;
    if (c < -NTAKE_CATCHUP)
        return pat_sub_fail(s, "nTake: counts onsets from cycle 0, at most 512 cycles before");
    if (c < 0) {
        for (int64_t i = c; i < 0; i++)
            if (onsets_in(s, p, i, &k))
                return -1;
        *count = -k;
        return 0;
    }
    if (pat_sub_memo_get(s, id, &from, &k) || from > c)
        from = 0, k = 0;
    int64_t to = c - from > NTAKE_CATCHUP ? from + NTAKE_CATCHUP : c;
    for (int64_t i = from; i < to; i++)
        if (onsets_in(s, p, i, &k))
            return -1;
    pat_sub_memo_set(s, id, to, k);
    if (to < c)
        return pat_sub_fail(s, "nTake: still counting the onsets since cycle 0 (512 cycles a query; "
                               "inside a function nothing is kept, so past cycle 512 it stays silent)");
    *count = k;
    return 0;
}

/* The value map v without key (Tidal drops the state value from events
 * without an onset). */
static struct val without(struct arena *a, struct val v, const char *key)
{
    if (v.kind != VAL_MAP || !val_map_get(v, key))
        return v.kind == VAL_MAP ? v : empty_map;
    struct pat_kv *kv = ARENA_ARRAY(a, struct pat_kv, v.n);
    if (!kv)
        return val_none();
    uint32_t m = 0;
    for (uint32_t i = 0; i < v.n; i++)
        if (strcmp(v.u.map[i].key, key))
            kv[m++] = v.u.map[i];
    return (struct val){ VAL_MAP, m, { .map = kv } };
}

/* Per cycle c: the onsets before it, then each onset of the cycle in time
 * order (simultaneous ones in the order of the query, as Tidal's scheduler
 * meets them) takes the next value. */
static int q_ntake(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct arena *a = pat_sub_arena(s);
    struct rat qb = b;
    do {
        int64_t c = rat_floor_int(qb), k0 = 0;
        struct rat next = rat_int(c + 1), qe = rat_min(next, e);
        struct pat_evbuf E = { NULL, 0, 0 };
        if (onsets_before(s, p, c, &k0) || pat_sub_query(s, p->kids[0], rat_int(c), next, &E))
            return -1;
        for (int i = 0; i < E.n; i++) {
            struct pat_ev ev = E.ev[i];
            if (!pat_span_sect(ev.pb, ev.pe, qb, qe, &ev.pb, &ev.pe))
                continue;
            if (!is_onset(&E.ev[i])) {
                ev.v = without(a, ev.v, "n");
            } else {
                int64_t k = k0;
                for (int j = 0; j < E.n; j++)
                    if (is_onset(&E.ev[j]) && (rat_lt(E.ev[j].wb, ev.wb) || (j < i && rat_eq(E.ev[j].wb, ev.wb))))
                        k++;
                int64_t m = (int64_t)p->v.n, at = ((k % m) + m) % m;
                ev.v = val_map_set(a, ev.v.kind == VAL_MAP ? ev.v : empty_map, "n", p->v.u.list[at]);
            }
            if (ev.v.kind == VAL_NONE)
                return sub_oom(s);
            if (sub_push(s, out, &ev))
                return -1;
        }
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

int pat_tidal5_hook_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                          struct pat_evbuf *out)
{
    switch (p->op) {
    case HK_UR: return q_ur(s, p, b, e, out);
    case HK_STRIPE: return q_stripe(s, p, b, e, out);
    case HK_NTAKE: return q_ntake(s, p, b, e, out);
    }
    return pat_sub_fail(s, "internal: unknown hook");
}

/* ---- note names under scale ------------------------------------------------------ */

/* p with every note control that turns note names into semitones (note "c
 * d#", n "c") keeping them as names instead, for Strudel's scale with a root
 * (note("c d#").scale("C:major") snaps the names to the scale). Nodes above
 * such a control are copied, the rest shared; *budget bounds the nodes
 * visited (a pattern sharing subtrees many times over keeps its numbers). */
static const struct pnode *keep_names(struct arena *a, const struct pnode *p, long *budget)
{
    if (!p || --*budget < 0)
        return p;
    if (p->kind == P_FMAP && p->op == FM_CONTROL && p->i0) {
        struct pnode *q = ARENA_NEW(a, struct pnode);
        if (q) {
            *q = *p;
            q->i0 = 0;
        }
        return q;
    }
    const struct pnode **ks = NULL;
    for (int i = 0; i < p->n; i++) {
        const struct pnode *k = keep_names(a, p->kids[i], budget);
        if (!k)
            return NULL;
        if (k != p->kids[i] && !ks) {
            if (!(ks = ARENA_ARRAY(a, const struct pnode *, p->n)))
                return NULL;
            memcpy(ks, p->kids, sizeof *ks * (size_t)p->n);
        }
        if (ks)
            ks[i] = k;
    }
    const struct pnode *fn = p->fn ? keep_names(a, p->fn, budget) : NULL;
    if (p->fn && !fn)
        return NULL;
    if (!ks && fn == p->fn)
        return p;
    struct pnode *q = ARENA_NEW(a, struct pnode);
    if (!q)
        return NULL;
    *q = *p;
    if (ks)
        q->kids = ks;
    q->fn = fn;
    return q;
}

const struct pnode *pat_keep_note_names(struct arena *a, const struct pnode *p)
{
    long budget = 100000;
    const struct pnode *q = keep_names(a, p, &budget);
    return budget < 0 ? p : q;
}
