/* pat_ops_impl.h -- what the files of pattern functions share: the
 * unpacked arguments a row's builder receives, and the builders that live
 * outside pat_ops.c (pat_ops_struct.c, pat_tonal.c, ...; their rows are in
 * pat.h; the table in pat_ops.c needs their names). Private to them.
 */
#ifndef PAT_OPS_IMPL_H
#define PAT_OPS_IMPL_H

#include "pat.h"

/* A row's arguments, unpacked by its kinds string (pat.h): index i is the
 * i-th explicit argument. */
struct op_args {
    struct arena *a;
    const char **err;                       /* set with a static message on an error */
    const struct pnode *p;                  /* PAT_T, PAT_I: the pattern transformed */
    const struct pnode *fn;                 /* PAT_I: the function of the P_PATARG node */
    double x[PAT_MAX_ARGS];                 /* n, t: the number; b: 1 or 0 */
    struct rat r[PAT_MAX_ARGS];             /* t: the exact time */
    const struct pnode *f[PAT_MAX_ARGS];    /* f: the function's body; p: the pattern */
    struct val v[PAT_MAX_ARGS];             /* every argument as given (F: the list) */
    const struct pnode *const *argpat;      /* PAT_V: the pattern of an n argument, or NULL */
    const struct pat_list *list;            /* PAT_V: the l, w or W argument */
};

typedef const struct pnode *op_builder(const struct op_args *A);

/* Bjorklund's algorithm (euclid): the k-of-n rhythm as n ints 0/1 in *out. */
int pat_bjorklund(struct arena *a, long k, long n, int **out);

/* Builders of the rows of PAT_OPS_STRUCT (pat_ops_struct.c). */
#define PAT_OP_DECLARE(e, name, cls, kinds, fn, args, desc, ex) const struct pnode *fn(const struct op_args *A);
PAT_OPS_STRUCT(PAT_OP_DECLARE)
#undef PAT_OP_DECLARE

/* Builders of the rows of PAT_OPS_COND (pat_ops_cond.c). */
#define PAT_OP_DECLARE(e, name, cls, kinds, fn, args, desc, ex) const struct pnode *fn(const struct op_args *A);
PAT_OPS_COND(PAT_OP_DECLARE)
#undef PAT_OP_DECLARE

/* Builders of the rows of PAT_OPS_VOICING (pat_voicing.c). */
#define PAT_OP_DECLARE(e, name, cls, kinds, fn, args, desc, ex) const struct pnode *fn(const struct op_args *A);
PAT_OPS_VOICING(PAT_OP_DECLARE)
#undef PAT_OP_DECLARE
/* Builders of the rows of PAT_OPS_PRED (pat_ops_pred.c), and the query of
 * its P_HOOK nodes, whose ops start at PAT_HOOK_PRED (pat_hook_query hands
 * them on). */
#define PAT_OP_DECLARE(e, name, cls, kinds, fn, args, desc, ex) const struct pnode *fn(const struct op_args *A);
PAT_OPS_PRED(PAT_OP_DECLARE)
#undef PAT_OP_DECLARE
enum { PAT_HOOK_PRED = 64 };   /* up to HK_PEER_HUMANIZE - 1 (below) */
int pat_pred_hook_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                        struct pat_evbuf *out);
/* Builders of the rows of PAT_OPS_PEER (pat_ops_peer.c). */
#define PAT_OP_DECLARE(e, name, cls, kinds, fn, args, desc, ex) const struct pnode *fn(const struct op_args *A);
PAT_OPS_PEER(PAT_OP_DECLARE)
#undef PAT_OP_DECLARE

/* Hooks (P_HOOK ops) of pat_ops_peer.c, numbered after pat_ops_struct.c's
 * own, and their queries (pat_hook_query calls them). */
enum { HK_PEER_HUMANIZE = 100, HK_PEER_STRETCH, HK_PEER_GROOVE };
int q_humanize(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out);
int q_stretch(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out);
int q_groove(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e, struct pat_evbuf *out);
/* Tidal's timeToRand: the random number 0 .. 1 of time t (pat_core.c). */
double pat_rand(double t);

/* issue 11 tidal5: builders of the rows of PAT_OPS_TIDAL5 (pat_ops_tidal5.c)
 * and the query of its P_HOOK nodes, ops from PAT_HOOK_TIDAL5 on. */
#define PAT_OP_DECLARE(e, name, cls, kinds, fn, args, desc, ex) const struct pnode *fn(const struct op_args *A);
PAT_OPS_TIDAL5(PAT_OP_DECLARE)
#undef PAT_OP_DECLARE
enum { PAT_HOOK_TIDAL5 = 200 };
int pat_tidal5_hook_query(const struct pat_sub *s, const struct pnode *p, struct rat b, struct rat e,
                          struct pat_evbuf *out);
/* Tidal's own timeToRand (64-bit xorwise, exact in the rational time;
 * timeToRand 0 is 0.5), and runMarkov's step: the state after a state whose
 * row of weights is row, drawn with r (pat_ops_struct.c). */
double pat_tidal_rand(struct rat t);
/* p with its note controls keeping note names as names (pat_ops_tidal5.c),
 * for scale with a root (pat_tonal.c), as Strudel's note("c d#").scale(...). */
const struct pnode *pat_keep_note_names(struct arena *a, const struct pnode *p);
long pat_markov_next(struct val row, double r);

/* Hook queries (pat_ops_struct.c, pat_ops_tidal5.c): a copy of ev at the
 * end of out (-1: the query failed at a limit); the out-of-memory failure. */
static inline int sub_push(const struct pat_sub *s, struct pat_evbuf *out, const struct pat_ev *ev)
{
    struct pat_ev *e = pat_sub_push(s, out);
    if (!e)
        return -1;
    *e = *ev;
    return 0;
}

static inline int sub_oom(const struct pat_sub *s)
{
    return pat_sub_fail(s, "the query needs more memory than the engine reserves");
}

/* chunk' (a row of PAT_OPS, built as Tidal's in pat_ops_struct.c). */
const struct pnode *op_chunkback(const struct op_args *A);

#endif
