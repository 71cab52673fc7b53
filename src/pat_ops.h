/* pat_ops.h -- what the builders of PAT_OPS rows share (internal to the
 * pat_ops*.c files): the unpacked arguments of a row, and the prototypes
 * of the builders that live outside pat_ops.c (a row block of pat.h per
 * file, so that the table in pat_ops.c can point at them).
 */
#ifndef PAT_OPS_H
#define PAT_OPS_H

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

/* Builders of pat_ops_cond.c (PAT_OPS_COND). */
#define PAT_OP_PROTO(e, name, cls, kinds, fn, args, desc, ex) op_builder fn;
PAT_OPS_COND(PAT_OP_PROTO)
#undef PAT_OP_PROTO

#endif
