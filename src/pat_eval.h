/* pat_eval.h -- the evaluator's interface: the pattern meaning of an
 * expression of the language.
 *
 * pat_eval turns an expression (the parser's struct lang_node) into a
 * compile-time value (struct pat_x): a number, a pattern, a function from
 * patterns to patterns, a list or a tuple. Its names are those of the
 * tables in pat.h (PAT_OPS, PAT_OP_ALIASES, PAT_SIGNALS) and the per-event
 * controls of pat_eval.c. This header is the one place where the pattern
 * layer meets the language's types: pat.h knows nothing of lang.h, and
 * what only needs patterns (queries, the engine) includes pat.h alone.
 *
 * Thread context: a control thread (the compiler, phonon query).
 */
#ifndef PAT_EVAL_H
#define PAT_EVAL_H

#include "lang.h"
#include "pat.h"

/* A compile-time value: what an expression evaluates to. */
enum pat_xkind {
    PX_NUM,         /* a number (also usable as a pattern: pure) */
    PX_STR,         /* a "..." pattern (its steps known) */
    PX_PAT,         /* any other pattern */
    PX_FN,          /* a function pattern -> pattern: pat is its body, with P_HOLE */
    PX_PARTIAL,     /* a builtin still waiting for arguments */
    PX_LIST,        /* [a, b, c] */
    PX_TUPLE,       /* (a, b) */
};

enum pat_xflags {
    PXF_SOUND = 1,                  /* built with s / sound / note: its events sound */
    PXF_BAREOSC = 2,                /* a bare oscillator name (saw, sine, ...) and its chain */
    PXF_OPERATOR = 4,               /* PX_FN: an operator alone, ($) or (~>); num is its lang_op */
    PXF_FLIPPED = 8,                /* with PXF_OPERATOR: Haskell's flip of it (flip mod 2 is (`mod` 2));
                                       num LANG_OP_NONE: flip itself */
};

struct pat_x {
    enum pat_xkind kind;
    int flags;                      /* enum pat_xflags */
    double num;                     /* PX_NUM */
    const struct pnode *pat;        /* PX_STR, PX_PAT, PX_FN */
    struct rat steps;               /* PX_STR: steps per cycle (0: unknown) */
    const struct lang_node *src;    /* PX_STR: the string as written (read again as booleans) */
    const void *b;                  /* PX_PARTIAL: the builtin (pat_eval.c) */
    struct pat_x *args;             /* PX_PARTIAL: arguments so far */
    int nargs;
    struct pat_x *items;            /* PX_LIST, PX_TUPLE */
    int nitems;
    struct lang_pos pos;
};

struct pat_eval {
    struct arena *a;                /* where nodes go (the program's arena) */
    struct lang_error *err;         /* filled on error (its file already set) */
    /* Resolve ~name inside a pattern expression: 0 with *out filled, or -1
     * with err filled. NULL: buses are an error (phonon query). */
    int (*bus)(void *user, const char *name, struct lang_pos pos, struct pat_x *out);
    void *user;
    int depth;
    /* The cycle at which the output statement being compiled last changed
     * (the live reloader's; 0 in a render or a query): trigger, qtrigger and
     * once count from it. */
    struct rat start;
    /* The AST whose nodes are evaluated, for the positions a message quotes
     * (lang_ast_pos: the file's, not its expanded text's); NULL: as they are. */
    const struct lang_ast *ast;
    /* The file's tempo in cycles per second (0: unset, Strudel's 0.5):
     * Strudel's cpm plays at that many cycles a minute whatever the tempo. */
    double cps;
};

/* Evaluate an expression: 0, or -1 with e->err filled (positioned). */
int pat_eval(struct pat_eval *e, const struct lang_node *n, struct pat_x *out);
/* Apply a function value (PX_FN, PX_PARTIAL) to an argument. */
int pat_eval_apply(struct pat_eval *e, const struct pat_x *f, const struct pat_x *arg,
                   struct lang_pos at, struct pat_x *out);
/* l $ r, n being the '$' node they came from (the phonon family's
 * "p $ binary 5" is told by how its side is written). */
int pat_eval_apply_node(struct pat_eval *e, const struct lang_node *n, const struct pat_x *l,
                        const struct pat_x *r, struct pat_x *out);
/* Combine two values with a binary operator, as the language does. */
int pat_eval_binop(struct pat_eval *e, enum lang_op op, const struct pat_x *l,
                   const struct pat_x *r, struct lang_pos at, struct pat_x *out);
/* Is name a builtin of the pattern language (a transform, control, signal...)?
 * 2 when it is a per-event control (gain, pan, speed, lpf, ...). */
int pat_eval_is_builtin(const char *name);
/* The pattern of a pattern-like value (numbers become pure patterns); NULL
 * for functions, lists and tuples. */
const struct pnode *pat_eval_as_pattern(struct pat_eval *e, const struct pat_x *x);
/* Every builtin name (for suggestions); returns the count. */
/* Room for every name the evaluator knows and the sound functions' (the
 * suggestions' lists; the tables hold about 700 today). */
enum { PAT_EVAL_NAMES_MAX = 2048 };
int pat_eval_names(const char **names, int cap);
/* Evaluate an expression that must be a pattern; NULL with e->err filled. */
const struct pnode *pat_eval_pattern(struct pat_eval *e, const struct lang_node *n);

#endif
