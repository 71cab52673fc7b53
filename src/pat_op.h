/* pat_op.h -- what a row's builder receives (pat.h, PAT_OPS): the arguments
 * unpacked once by pat_op_build. Builders live in pat_ops.c and in the files
 * of their own areas (pat_tonal.c); this header is for them alone.
 */
#ifndef PAT_OP_H
#define PAT_OP_H

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

#endif
