/* pat_ops_peer.c -- issue 13: pattern transforms the phonon family (the
 * Rust phonon project, ekg/phonon) uses that phonon lacked.
 *
 * Where Tidal or Strudel has the name, theirs is the meaning: focus is
 * Strudel's (Tidal has it only inside, as focusArc), stutter Tidal's. The
 * peer's names for rows Tidal spells otherwise (dup, wait, trim, mirror,
 * compressGap, quantize) are aliases in pat.h, PAT_OP_ALIASES_PEER.
 * stretch is Tidal's (the peer's stretch is legato 1); humanize the peer's,
 * with its velocity argument given a meaning (the peer ignores it).
 */
#include "pat_ops_impl.h"

#include <math.h>
#include <string.h>

/* focus b e = late b . fast (1 / (e - b)) . early (sam b), as Strudel's
 * focus: [b, e) of the cycles counted from b's cycle fills each cycle,
 * shifted so that b falls on b. */
const struct pnode *op_focus(const struct op_args *A)
{
    struct rat b = A->r[0], e = A->r[1], len = rat_sub(e, b);
    if (len.n == 0) {
        *A->err = "focus: begin and end must differ";
        return NULL;
    }
    const struct pnode *p = pat_shift(A->a, rat_floor(b), A->p);
    p = pat_fast(A->a, rat_div(rat_int(1), len), p);
    return pat_shift(A->a, rat_neg(b), p);
}

/* stutter n t = stack [ (t * i) ~> p | i <- [0 .. n - 1] ] (Tidal's). */
const struct pnode *op_stutter(const struct op_args *A)
{
    if (!(A->x[0] >= 1))
        return pat_silence();
    if (A->x[0] > PAT_MAX_COPIES) {
        *A->err = "stutter: too many copies";
        return NULL;
    }
    int n = (int)A->x[0];
    const struct pnode **kids = ARENA_ARRAY(A->a, const struct pnode *, (size_t)n);
    if (!kids)
        return NULL;
    for (int i = 0; i < n; i++)
        if (!(kids[i] = pat_shift(A->a, rat_neg(rat_mul(A->r[1], rat_int(i))), A->p)))
            return NULL;
    return pat_stack(A->a, kids, n);
}

static struct pnode *peer_hook(struct arena *a, int op, const struct pnode *kid, double x0, double x1)
{
    struct pnode *p = pat_node1(a, P_HOOK, op, kid);
    if (p) {
        p->x0 = x0;
        p->x1 = x1;
    }
    return p;
}

const struct pnode *op_stretch(const struct op_args *A) { return peer_hook(A->a, HK_PEER_STRETCH, A->p, 0, 0); }

const struct pnode *op_humanize(const struct op_args *A)
{
    if (!(A->x[0] >= 0 && A->x[0] <= 1 && A->x[1] >= 0 && A->x[1] <= 1)) {
        *A->err = "humanize: time and velocity must be in 0 .. 1";
        return NULL;
    }
    return peer_hook(A->a, HK_PEER_HUMANIZE, A->p, A->x[0], A->x[1]);
}

/* stretch p = splitQueries: each cycle c queries zoomArc (cycleArc (the
 * span from the first event's start to the last one's end in c)) p; a
 * cycle with no events is p's own (Tidal's enclosingArc [] = Arc 0 1). */
int q_stretch(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct arena *a = pat_sub_arena(s);
    struct rat qb = b;
    do {
        struct rat sam = rat_floor(qb), next = rat_add(sam, rat_int(1)), qe = rat_min(next, e);
        struct pat_evbuf cyc = { NULL, 0, 0 };
        if (pat_sub_query(s, p->kids[0], sam, next, &cyc))
            return -1;
        struct rat lo = rat_int(0), hi = rat_int(1);
        for (int i = 0; i < cyc.n; i++) {
            const struct pat_ev *ev = &cyc.ev[i];
            struct rat eb = ev->has_whole ? ev->wb : ev->pb, ee = ev->has_whole ? ev->we : ev->pe;
            lo = i == 0 || rat_lt(eb, lo) ? eb : lo;
            hi = i == 0 || rat_gt(ee, hi) ? ee : hi;
        }
        const struct pnode *z = p->kids[0];
        if (cyc.n > 0) {
            struct rat zb = rat_cycle_pos(lo);                  /* cycleArc */
            z = pat_zoom(a, zb, rat_add(zb, rat_sub(hi, lo)), p->kids[0]);
            if (!z)
                return pat_sub_fail(s, "stretch: out of memory");
        }
        if (pat_sub_query(s, z, qb, qe, out))
            return -1;
        qb = next;
    } while (rat_lt(qb, e));
    return 0;
}

/* The events of [b - reach, e + reach) moved each by shift(p, its onset),
 * cut to [b, e) (humanize, groove). A control map's gain is scaled by
 * gain(p, its onset) when that is given. */
static int shifted(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out,
                   struct rat reach, struct rat (*shift)(const struct pnode *, const struct pat_ev *),
                   double (*gain)(const struct pnode *, const struct pat_ev *))
{
    struct arena *a = pat_sub_arena(s);
    struct pat_evbuf in = { NULL, 0, 0 };
    if (pat_sub_query(s, p->kids[0], rat_sub(b, reach), rat_add(e, reach), &in))
        return -1;
    for (int i = 0; i < in.n; i++) {
        struct pat_ev ev = in.ev[i];
        if (ev.has_whole) {
            struct rat off = shift(p, &ev);
            if (gain && ev.v.kind == VAL_MAP) {
                const struct val *g = val_map_get(ev.v, "gain");
                double g0 = g && g->kind == VAL_NUM ? g->u.num : 1.0;
                ev.v = val_map_set(a, ev.v, "gain", val_num(g0 * gain(p, &ev)));
            }
            ev.wb = rat_add(ev.wb, off);
            ev.we = rat_add(ev.we, off);
            ev.pb = rat_add(ev.pb, off);
            ev.pe = rat_add(ev.pe, off);
        }
        struct rat cb, ce;
        if (!pat_span_sect(ev.pb, ev.pe, b, e, &cb, &ce) && !(rat_eq(ev.pb, ev.pe) && rat_ge(ev.pb, b) && rat_lt(ev.pb, e)))
            continue;
        if (!rat_eq(ev.pb, ev.pe)) {
            ev.pb = cb;
            ev.pe = ce;
        }
        struct pat_ev *o = pat_sub_push(s, out);
        if (!o)
            return -1;
        *o = ev;
    }
    return 0;
}

/* groove templates (the peer's src/groove.rs presets as it plays them:
 * mpc and jazz at swing 0.5, drunken at intensity 0.5; jazz's 8th grid
 * written as 16ths): deviations in 1/3200 cycle per 16th, at amount 1 */
static const struct { const char *const names[3]; short dev[16]; } grooves[] = {
    { { "mpc", "mpc_swing", NULL }, { 0, 100, 0, 100, 0, 100, 0, 100, 0, 100, 0, 100, 0, 100, 0, 100 } },
    { { "hiphop", "lazy_hiphop", NULL }, { 0, 0, 32, 0, 64, 0, 32, 0, 0, 0, 32, 0, 64, 0, 32, 0 } },
    { { "reggae", "reggae_one_drop", "one_drop" }, { 0, 0, 32, 0, 0, 0, 32, 0, 80, 0, 32, 0, 0, 0, 32, 0 } },
    { { "jazz", "jazz_swing", NULL }, { 0, 0, 200, 200, 0, 0, 200, 200, 0, 0, 200, 200, 0, 0, 200, 200 } },
    { { "drunken", "drunk", NULL }, { 30, -20, 10, -30, 20, -10, 25, -25, 15, -35, 20, -15, 35, -20, 10, -30 } },
};

const struct pnode *op_groove(const struct op_args *A)
{
    if (!(A->x[1] >= -4 && A->x[1] <= 4)) {
        *A->err = "groove: the amount must be in -4 .. 4";
        return NULL;
    }
    if (A->v[0].kind != VAL_STR) {
        *A->err = "groove: the preset is a name: mpc, hiphop, reggae, jazz or drunken";
        return NULL;
    }
    for (size_t g = 0; g < sizeof grooves / sizeof *grooves; g++)
        for (int k = 0; k < 3 && grooves[g].names[k]; k++)
            if (strcmp(grooves[g].names[k], A->v[0].u.str) == 0) {
                struct pnode *h = peer_hook(A->a, HK_PEER_GROOVE, A->p, A->x[1], 0);
                if (h)
                    h->i0 = (int)g;
                return h;
            }
    *A->err = "groove: unknown preset (mpc, hiphop, reggae, jazz, drunken)";
    return NULL;
}

static struct rat groove_shift(const struct pnode *p, const struct pat_ev *ev)
{
    int slot = (int)(rat_to_double(rat_cycle_pos(ev->wb)) * 16);
    slot = slot < 0 ? 0 : slot > 15 ? 15 : slot;
    struct rat amount;
    if (rat_from_double(p->x0, &amount))
        amount = rat_int(0);
    return rat_mul(rat_make(grooves[p->i0].dev[slot], 3200), amount);
}

/* groove preset amount: each event moved by the deviation of the 16th its
 * onset falls in, times amount (-4 .. 4) */
int q_groove(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    return shifted(s, p, b, e, out, rat_make(1, 1), groove_shift, NULL);
}

/* humanize t v: the events of [b - t, e + t) moved by t (2 r - 1) cycles
 * (to 1/10000), r = rand at the middle of the event, cut to [b, e); a
 * control map's gain times 1 - v * r' (r' = rand half a cycle later) */
static struct rat humanize_shift(const struct pnode *p, const struct pat_ev *ev)
{
    double mid = 0.5 * (rat_to_double(ev->wb) + rat_to_double(ev->we));
    return rat_make((int64_t)llround(p->x0 * (2.0 * pat_rand(mid) - 1.0) * 10000), 10000);
}

static double humanize_gain(const struct pnode *p, const struct pat_ev *ev)
{
    double mid = 0.5 * (rat_to_double(ev->wb) + rat_to_double(ev->we));
    return 1.0 - p->x1 * pat_rand(mid + 0.5);
}

int q_humanize(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out)
{
    struct rat t;
    if (rat_from_double(p->x0, &t))
        return pat_sub_fail(s, "humanize: time is not a number");
    return shifted(s, p, b, e, out, t, humanize_shift, p->x1 > 0 ? humanize_gain : NULL);
}

/* walk s = p |+ (rand * 2 s - s): each value moved by a random amount in
 * [-s, s), the rand of the event's start (the peer's: a uniform step per
 * event, from a per-cycle generator) */
const struct pnode *op_walk(const struct op_args *A)
{
    const struct pnode *r = pat_fmap(A->a, FM_MUL, pat_signal(A->a, SIG_RAND), 2 * A->x[0], 0, val_none());
    r = pat_fmap(A->a, FM_ADD, r, -A->x[0], 0, val_none());
    return r ? pat_app(A->a, APP_LEFT | VOP_ADD, A->p, r) : NULL;
}
