/* pat_ops_peer.c -- issue 13: pattern transforms the phonon family (the
 * Rust phonon project, ekg/phonon) uses that phonon lacked.
 *
 * Where Tidal or Strudel has the name, theirs is the meaning: focus is
 * Strudel's (Tidal has it only inside, as focusArc), stutter Tidal's. The
 * peer's names for rows Tidal spells otherwise (dup, wait, trim, mirror,
 * compressGap, quantize) are aliases in pat.h, PAT_OP_ALIASES_PEER.
 */
#include "pat_ops_impl.h"

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
