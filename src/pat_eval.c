/* pat_eval.c -- the pattern meaning of an expression: AST -> pattern nodes.
 *
 * Evaluation is by value, bottom up: every node of the AST becomes a
 * compile-time value (struct pat_x): a number, a pattern (with its steps
 * per cycle when it came from a string), a function from patterns to
 * patterns, a list or a tuple. Application by juxtaposition collects a
 * builtin's arguments one at a time (Haskell style: `every 3` is a function
 * still waiting for its function and its pattern); `$` applies in whichever
 * direction has the function, or composes two functions; `#` and the
 * arithmetic operators combine patterns with the structure rules of
 * SEMANTICS.md section 2.
 *
 * A transform's number arguments given as plain numbers are used directly;
 * given as strings or pattern expressions they become pattern arguments
 * (pat_op_apply), exactly as SEMANTICS.md section 2 says. Functions are
 * node trees with P_HOLE standing for the pattern they will receive.
 *
 * Names are looked up in the controls below, then in pat.h's tables
 * (PAT_SIGNALS, PAT_OPS with PAT_OP_ALIASES): a PAT_T row collects its
 * arguments and then its pattern; a PAT_V row is built as soon as its
 * arguments are there, its lists unpacked here (value_args) by its kinds.
 *
 * Errors carry the position of the offending node; unknown names get the
 * nearest known one as a suggestion, from the same tables.
 */
#include "pat_eval.h"
#include "controls.h"
#include "lang.h"
#include "names.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- builtins --------------------------------------------------------------- */

enum bkind {
    B_TRANSFORM,    /* a PAT_T row: args then the pattern */
    B_VALUE,        /* a PAT_V row: a pattern once its arguments are there */
    B_CONTROL,      /* control map from its argument patterns (keys in names) */
    B_SIGNAL,       /* a row of PAT_SIGNALS: sine, saw, rand, ... */
};

struct builtin {
    const char *name;
    enum bkind kind;
    int op;                 /* B_TRANSFORM, B_VALUE: opcode; B_SIGNAL: the signal's row */
    const char *args;       /* argument kinds; B_CONTROL: the number of value arguments */
    const char *keys;       /* B_CONTROL: NUL-separated key names, then "" */
    int note;               /* B_CONTROL: note names become semitones */
};

/* Controls: name -> map keys (several keys: one per argument, except the
 * "multi" controls s and note, whose ':' lists fill several keys); the
 * table is controls.h's. */
#define CONTROL_BUILTIN(name, alias_of, kinds, keys, note, ignored, args, desc, example) \
    { name, B_CONTROL, 0, kinds, keys, note },
static const struct builtin controls[] = { PHONON_CONTROLS(CONTROL_BUILTIN) };
#undef CONTROL_BUILTIN

/* A builtin by name: a control, a signal or a row of PAT_OPS (aliases
 * included). A transform is named by its row (errors say "fast:" for
 * density); the others as written (timecat). */
static int lookup_builtin(const char *name, struct builtin *out)
{
    for (size_t i = 0; i < sizeof controls / sizeof *controls; i++)
        if (strcmp(controls[i].name, name) == 0) {
            *out = controls[i];
            return 0;
        }
    int sig = pat_signal_lookup(name);
    if (sig >= 0) {
        struct builtin b = { pat_signal_name(sig), B_SIGNAL, sig, "", NULL, 0 };
        *out = b;
        return 0;
    }
    const char *spelling;
    int op = pat_op_find(name, &spelling);
    if (op < 0)
        return -1;
    int value = pat_op_class(op) == PAT_V;
    struct builtin b = { value ? spelling : pat_op_name(op), value ? B_VALUE : B_TRANSFORM, op,
                         pat_op_args(op), NULL, 0 };
    *out = b;
    return 0;
}

/* The names of the PAT_OPS rows of class cls, in table order, after the
 * first n of names (the rows themselves: looking each name up again made
 * an unknown name cost rows x rows string compares). */
static int add_op_names(const char **names, int n, int cap, enum pat_op_class cls)
{
    for (int op = 0; op < PAT_OP_COUNT && n < cap; op++)
        if (pat_op_class(op) == cls && pat_op_name(op)[0])
            names[n++] = pat_op_name(op);
    return n;
}

/* Every name, for "did you mean": the controls, the patterns by themselves,
 * the signals, the transforms, then the other spellings (so that a tie goes
 * to a row's own name). */
static int all_names(const char **names, int cap)
{
    int n = 0, rows, sigs;
    const struct name_doc *docs = pat_names(NS_PATTERN, &rows), *sd = pat_names(NS_SIGNAL, &sigs);
    for (size_t i = 0; i < sizeof controls / sizeof *controls && n < cap; i++)
        names[n++] = controls[i].name;
    n = add_op_names(names, n, cap, PAT_V);
    for (int i = 0; i < sigs && n < cap; i++)
        names[n++] = sd[i].name;
    n = add_op_names(names, n, cap, PAT_T);
    for (int i = 0; i < rows && n < cap; i++)
        if (docs[i].alias_of)
            names[n++] = docs[i].name;
    return n;
}

/* ---- values ------------------------------------------------------------------- */

static int failf(struct pat_eval *e, struct lang_pos at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int failf(struct pat_eval *e, struct lang_pos at, const char *fmt, ...)
{
    char msg[sizeof e->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lang_error_set(e->err, at, "%s", msg);
    return -1;
}

/* "name: err", unless err already starts with the name. */
static int fail_named(struct pat_eval *e, struct lang_pos at, const char *name, const char *err)
{
    size_t nl = strlen(name);
    if (strncmp(err, name, nl) == 0 && err[nl] == ':')
        return failf(e, at, "%s", err);
    return failf(e, at, "%s: %s", name, err);
}

static int oom(struct pat_eval *e, struct lang_pos at)
{
    return failf(e, at, "out of memory");
}

static int is_pattern(const struct pat_x *x)
{
    return x->kind == PX_NUM || x->kind == PX_STR || x->kind == PX_PAT;
}

static int is_function(const struct pat_x *x)
{
    return x->kind == PX_FN || x->kind == PX_PARTIAL;
}

/* The pattern of a pattern-like value (a number is its pure pattern). */
static const struct pnode *as_pattern(struct pat_eval *e, const struct pat_x *x)
{
    if (x->kind == PX_NUM)
        return pat_pure(e->a, val_num(x->num));
    return x->pat;
}

static const char *kind_name(const struct pat_x *x)
{
    switch (x->kind) {
    case PX_NUM: return "a number";
    case PX_STR: return "a pattern string";
    case PX_PAT: return "a pattern";
    case PX_FN: return "a function";
    case PX_PARTIAL: return "a function";
    case PX_LIST: return "a list";
    case PX_TUPLE: return "a tuple";
    }
    return "a value";
}

static int eval(struct pat_eval *e, const struct lang_node *n, struct pat_x *out);
static int apply(struct pat_eval *e, const struct pat_x *f, const struct pat_x *arg,
                 struct lang_pos at, struct pat_x *out);
static int section_of(struct pat_eval *e, enum lang_op op, int right, const struct pat_x *operand,
                      struct lang_pos pos, struct pat_x *out);

/* The phonon family's shorter forms of names Tidal has with more
 * arguments, told apart by arity: a partial application with exactly these
 * numbers given and used as a transform means the peer's name
 * (stutter n is ply n; fit n is slow n). Tidal's full forms are untouched. */
static const struct { const char *name; int nargs; const char *as; } peer_short[] = {
    { "stutter", 1, "ply" },
    { "fit", 1, "slow" },
};

/* The peer_short row f is written in, or -1. */
static int peer_short_row(const struct pat_x *f)
{
    if (f->kind != PX_PARTIAL || !f->b)
        return -1;
    const struct builtin *b = f->b;
    for (size_t i = 0; i < sizeof peer_short / sizeof *peer_short; i++) {
        if (strcmp(b->name, peer_short[i].name) || f->nargs != peer_short[i].nargs)
            continue;
        for (int k = 0; k < f->nargs; k++)
            if (f->args[k].kind != PX_NUM)
                return -1;
        return (int)i;
    }
    return -1;
}

/* f itself, or f re-read as the peer's shorter form (0), -1 on no memory. */
static int peer_short_form(struct pat_eval *e, const struct pat_x *f, struct pat_x *out)
{
    *out = *f;
    int row = peer_short_row(f);
    if (row < 0)
        return 0;
    struct builtin *as = ARENA_NEW(e->a, struct builtin);
    if (!as)
        return -1;
    if (lookup_builtin(peer_short[row].as, as) == 0)
        out->b = as;
    return 0;
}

/* A function value as a node tree with a hole for its pattern. */
static int fn_body(struct pat_eval *e, const struct pat_x *f, struct lang_pos at,
                   const struct pnode **body)
{
    if (f->kind == PX_FN) {
        *body = f->pat;
        return 0;
    }
    if (f->kind == PX_PARTIAL) {
        struct pat_x hole = { .kind = PX_PAT, .pat = pat_hole(), .pos = at };
        struct pat_x r, g;
        if (peer_short_form(e, f, &g))
            return oom(e, at);
        if (apply(e, &g, &hole, at, &r))
            return -1;
        if (r.kind != PX_PAT)
            return failf(e, at, "'%s' needs more arguments before it can be used as a function",
                         f->b ? ((const struct builtin *)f->b)->name : "?");
        *body = r.pat;
        return 0;
    }
    return failf(e, at, "expected a function such as (fast 2) or rev, found %s", kind_name(f));
}

/* Does a partial application still wait for explicit arguments? */
static int partial_missing(const struct pat_x *f)
{
    const struct builtin *b = f->b;
    return (int)strlen(b->args) - f->nargs;
}

/* ---- building a builtin once its arguments are there ---------------------- */

static int list_patterns(struct pat_eval *e, const struct pat_x *l, struct lang_pos at,
                         const struct pnode ***kids, struct rat **steps)
{
    if (l->kind != PX_LIST)
        return failf(e, at, "expected a list [a, b, ...], found %s", kind_name(l));
    const struct pnode **k = ARENA_ARRAY(e->a, const struct pnode *, l->nitems ? l->nitems : 1);
    struct rat *s = ARENA_ARRAY(e->a, struct rat, l->nitems ? l->nitems : 1);
    if (!k || !s)
        return oom(e, at);
    for (int i = 0; i < l->nitems; i++) {
        const struct pat_x *it = &l->items[i];
        if (it->kind == PX_LIST) {              /* a nested list is a sequence */
            const struct pnode **sub;
            struct rat *ss;
            if (list_patterns(e, it, it->pos, &sub, &ss))
                return -1;
            k[i] = pat_fastcat(e->a, sub, it->nitems);
            s[i] = rat_int(it->nitems);
        } else if (is_pattern(it)) {
            k[i] = as_pattern(e, it);
            s[i] = it->kind == PX_STR ? it->steps : it->kind == PX_NUM ? rat_int(1) : rat_int(0);
        } else {
            return failf(e, it->pos, "expected a pattern in this list, found %s", kind_name(it));
        }
        if (!k[i])
            return oom(e, it->pos);
    }
    *kids = k;
    if (steps)
        *steps = s;
    return 0;
}

static int pair_list(struct pat_eval *e, const struct pat_x *l, struct lang_pos at, int weight_first,
                     const struct pnode ***kids, double **weights)
{
    if (l->kind != PX_LIST)
        return failf(e, at, "expected a list of pairs [(a, b), ...], found %s", kind_name(l));
    const struct pnode **k = ARENA_ARRAY(e->a, const struct pnode *, l->nitems ? l->nitems : 1);
    double *w = ARENA_ARRAY(e->a, double, l->nitems ? l->nitems : 1);
    if (!k || !w)
        return oom(e, at);
    for (int i = 0; i < l->nitems; i++) {
        const struct pat_x *t = &l->items[i];
        if (t->kind != PX_TUPLE || t->nitems != 2)
            return failf(e, t->pos, "expected a pair like %s", weight_first ? "(1, \"a b\")" : "(\"a\", 3)");
        const struct pat_x *wx = &t->items[weight_first ? 0 : 1], *px = &t->items[weight_first ? 1 : 0];
        if (wx->kind != PX_NUM)
            return failf(e, wx->pos, "expected a number as the weight");
        if (!is_pattern(px))
            return failf(e, px->pos, "expected a pattern, found %s", kind_name(px));
        w[i] = wx->num;
        k[i] = as_pattern(e, px);
        if (!k[i])
            return oom(e, px->pos);
    }
    *kids = k;
    *weights = w;
    return 0;
}

/* An L argument: a list of plain numbers, as a VAL_LIST of VAL_NUM. */
static int number_list(struct pat_eval *e, const struct builtin *b, const struct pat_x *x, struct val *out)
{
    if (x->kind != PX_LIST)
        return failf(e, x->pos, "%s: expected a list of numbers [1, 2], found %s", b->name, kind_name(x));
    struct val *items = ARENA_ARRAY(e->a, struct val, x->nitems ? x->nitems : 1);
    if (!items)
        return oom(e, x->pos);
    for (int k = 0; k < x->nitems; k++) {
        if (x->items[k].kind != PX_NUM)
            return failf(e, x->items[k].pos, "%s: expected a number in this list, found %s", b->name,
                         kind_name(&x->items[k]));
        items[k] = val_num(x->items[k].num);
    }
    out->kind = VAL_LIST;
    out->n = (uint32_t)x->nitems;
    out->u.list = items;
    return 0;
}

/* An F argument: a list of functions, as a VAL_LIST of their bodies. */
static int function_list(struct pat_eval *e, const struct builtin *b, const struct pat_x *x, struct val *out)
{
    if (x->kind != PX_LIST)
        return failf(e, x->pos, "%s: expected a list of functions [f, g], found %s", b->name, kind_name(x));
    struct val *items = ARENA_ARRAY(e->a, struct val, x->nitems ? x->nitems : 1);
    if (!items)
        return oom(e, x->pos);
    for (int k = 0; k < x->nitems; k++) {
        const struct pnode *body;
        if (fn_body(e, &x->items[k], x->items[k].pos, &body))
            return -1;
        items[k].kind = VAL_NODE;
        items[k].u.node = body;
    }
    out->kind = VAL_LIST;
    out->n = (uint32_t)x->nitems;
    out->u.list = items;
    return 0;
}

/* A T argument: a list of (begin, end, pattern) triples. */
static int triple_list(struct pat_eval *e, const struct builtin *b, const struct pat_x *x, struct pat_list *list)
{
    if (x->kind != PX_LIST)
        return failf(e, x->pos, "%s: expected a list of triples [(0, 2, \"a b\")], found %s", b->name, kind_name(x));
    int n = x->nitems ? x->nitems : 1;
    const struct pnode **k = ARENA_ARRAY(e->a, const struct pnode *, n);
    struct rat *bs = ARENA_ARRAY(e->a, struct rat, n), *es = ARENA_ARRAY(e->a, struct rat, n);
    if (!k || !bs || !es)
        return oom(e, x->pos);
    for (int i = 0; i < x->nitems; i++) {
        const struct pat_x *t = &x->items[i];
        if (t->kind != PX_TUPLE || t->nitems != 3 || t->items[0].kind != PX_NUM || t->items[1].kind != PX_NUM ||
            !is_pattern(&t->items[2]))
            return failf(e, t->pos, "%s: expected a triple (begin, end, pattern) like (0, 2, \"a b\")", b->name);
        if (rat_from_double(t->items[0].num, &bs[i]) || rat_from_double(t->items[1].num, &es[i]))
            return failf(e, t->pos, "%s: the times must be finite numbers", b->name);
        if (!(k[i] = as_pattern(e, &t->items[2])))
            return oom(e, t->pos);
    }
    list->items = k;
    list->times = bs;
    list->ends = es;
    list->n = x->nitems;
    return 0;
}

/* A list of (name, pattern) pairs: the names are strings of one atom. */
static int name_list(struct pat_eval *e, const struct pat_x *l, struct lang_pos at,
                     const struct pnode ***kids, const char ***names)
{
    if (l->kind != PX_LIST)
        return failf(e, at, "expected a list of pairs [(\"a\", pattern), ...], found %s", kind_name(l));
    const struct pnode **k = ARENA_ARRAY(e->a, const struct pnode *, l->nitems ? l->nitems : 1);
    const char **nm = ARENA_ARRAY(e->a, const char *, l->nitems ? l->nitems : 1);
    if (!k || !nm)
        return oom(e, at);
    for (int i = 0; i < l->nitems; i++) {
        const struct pat_x *t = &l->items[i];
        if (t->kind != PX_TUPLE || t->nitems != 2)
            return failf(e, t->pos, "expected a pair like (\"a\", s \"bd\")");
        const struct pat_x *nx = &t->items[0], *px = &t->items[1];
        if (nx->kind != PX_STR || nx->pat->kind != P_PURE || nx->pat->v.kind != VAL_STR)
            return failf(e, nx->pos, "expected a name in quotes, one word (\"a\")");
        if (!is_pattern(px))
            return failf(e, px->pos, "expected a pattern, found %s", kind_name(px));
        nm[i] = nx->pat->v.u.str;
        if (!(k[i] = as_pattern(e, px)))
            return oom(e, px->pos);
    }
    *kids = k;
    *names = nm;
    return 0;
}

/* issue 11 tidal5: a U argument, a list of (name, function) pairs (ur's), as
 * a VAL_LIST of name, body, name, body ... */
static int fn_name_list(struct pat_eval *e, const struct builtin *b, const struct pat_x *x, struct val *out)
{
    if (x->kind != PX_LIST)
        return failf(e, x->pos, "%s: expected a list of pairs [(\"a\", fast 2)], found %s", b->name, kind_name(x));
    struct val *items = ARENA_ARRAY(e->a, struct val, 2 * x->nitems + 1);
    if (!items)
        return oom(e, x->pos);
    for (int k = 0; k < x->nitems; k++) {
        const struct pat_x *t = &x->items[k];
        if (t->kind != PX_TUPLE || t->nitems != 2 || t->items[0].kind != PX_STR || t->items[0].pat->kind != P_PURE ||
            t->items[0].pat->v.kind != VAL_STR)
            return failf(e, t->pos, "%s: expected a pair of a name in quotes and a function, like (\"a\", fast 2)", b->name);
        const struct pnode *body;
        if (fn_body(e, &t->items[1], t->items[1].pos, &body))
            return -1;
        items[2 * k] = t->items[0].pat->v;
        items[2 * k + 1].kind = VAL_NODE;
        items[2 * k + 1].u.node = body;
    }
    out->kind = VAL_LIST;
    out->n = (uint32_t)(2 * x->nitems);
    out->u.list = items;
    return 0;
}

/* The arguments of a PAT_V row, unpacked by its kinds string: an n as a
 * constant (vals[i]) or its pattern (pats[i]), a p as a pattern, an l, w or
 * W list into *list. */
static int value_args(struct pat_eval *e, const struct builtin *b, const struct pat_x *args,
                      struct val *vals, const struct pnode **pats, struct pat_list *list)
{
    for (int i = 0; b->args[i]; i++) {
        const struct pat_x *x = &args[i];
        const struct pnode **kids = NULL;
        vals[i] = val_none();
        pats[i] = NULL;
        switch (b->args[i]) {
        case 'n':
            if (x->kind == PX_NUM)
                vals[i] = val_num(x->num);
            else
                pats[i] = x->pat;
            break;
        case 'p':
            if (!is_pattern(x))
                return failf(e, x->pos, "%s: expected a pattern, found %s", b->name, kind_name(x));
            vals[i].kind = VAL_NODE;
            vals[i].u.node = as_pattern(e, x);
            break;
        case 'L':
            if (number_list(e, b, x, &vals[i]))
                return -1;
            break;
        case 'F':
            if (function_list(e, b, x, &vals[i]))
                return -1;
            break;
        case 'f': {                         /* sig f */
            const struct pnode *body;
            if (fn_body(e, x, x->pos, &body))
                return -1;
            vals[i].kind = VAL_NODE;
            vals[i].u.node = body;
            break;
        }
        case 'T':
            if (triple_list(e, b, x, list))
                return -1;
            break;
        case 'r':                           /* lindenmayer's rules: not mini-notation */
            if (x->kind != PX_STR || !x->src || x->src->kind != LANG_STR)
                return failf(e, x->pos, "%s: expected a \"...\" string, found %s", b->name, kind_name(x));
            vals[i] = val_str(arena_strndup(e->a, x->src->text, x->src->len));
            if (!vals[i].u.str)
                return oom(e, x->pos);
            break;
        case 'U':
            if (fn_name_list(e, b, x, &vals[i]))
                return -1;
            break;
        case 'M': {
            if (x->kind != PX_LIST)
                return failf(e, x->pos, "%s: expected a list of lists of numbers [[1, 2], [3, 4]], found %s",
                             b->name, kind_name(x));
            struct val *rows = ARENA_ARRAY(e->a, struct val, x->nitems ? x->nitems : 1);
            if (!rows)
                return oom(e, x->pos);
            for (int k = 0; k < x->nitems; k++)
                if (number_list(e, b, &x->items[k], &rows[k]))
                    return -1;
            vals[i].kind = VAL_LIST;
            vals[i].n = (uint32_t)x->nitems;
            vals[i].u.list = rows;
            break;
        }
        case 'l': {
            struct rat *steps;
            if (list_patterns(e, x, x->pos, &kids, &steps))
                return -1;
            list->items = kids;
            list->steps = steps;
            list->n = x->nitems;
            break;
        }
        case 'S': {
            const char **names = NULL;
            if (name_list(e, x, x->pos, &kids, &names))
                return -1;
            list->items = kids;
            list->names = names;
            list->n = x->nitems;
            break;
        }
        case 'w':
        case 'W': {
            double *w = NULL;
            if (pair_list(e, x, x->pos, b->args[i] == 'w', &kids, &w))
                return -1;
            list->items = kids;
            list->weights = w;
            list->n = x->nitems;
            if (b->args[i] == 'W')
                break;
            struct rat *t = ARENA_ARRAY(e->a, struct rat, x->nitems ? x->nitems : 1);
            if (!t)
                return oom(e, x->pos);
            for (int k = 0; k < x->nitems; k++)
                if (rat_from_double(w[k], &t[k]))
                    return failf(e, x->items[k].pos, "%s: the weight must be a finite number", pat_op_name(b->op));
            list->times = t;
            break;
        }
        }
    }
    return 0;
}

/* A control's pattern from its nv value arguments: {key: v} for each, the
 * first over the others. */
static const struct pnode *build_control(struct pat_eval *e, const struct builtin *b, const struct pat_x *args,
                                         int nv)
{
    struct arena *a = e->a;
    const struct pnode *p = NULL;
    const char *key = b->keys;
    for (int i = 0; i < nv; i++, key += strlen(key) + 1) {
        int multi = i == 0 && nv == 1;  /* s and note fill several keys from lists */
        const char *names = key;
        if (!multi) {
            size_t kl = strlen(key);
            char *one = arena_alloc(a, kl + 2, 1);
            if (!one)
                return NULL;
            memcpy(one, key, kl + 1);
            one[kl + 1] = 0;
            names = one;
        }
        const struct pnode *c = pat_control(a, names, b->note, as_pattern(e, &args[i]));
        p = i == 0 ? c : pat_app(a, APP_LEFT | VOP_SET, p, c);
    }
    return p;
}

/* issue 11 tidal5: a row whose value is a Haskell list of numbers
 * (runMarkov) gives the list [a, b, ...] its P_VALCAT holds. */
static int list_value(struct pat_eval *e, const struct pnode *p, struct lang_pos at, struct pat_x *out)
{
    struct pat_x *items = ARENA_ARRAY(e->a, struct pat_x, p->v.n ? p->v.n : 1);
    if (!items)
        return oom(e, at);
    for (uint32_t i = 0; i < p->v.n; i++) {
        memset(&items[i], 0, sizeof items[i]);
        items[i].kind = PX_NUM;
        items[i].num = p->v.u.list[i].u.num;
        items[i].pos = at;
    }
    out->kind = PX_LIST;
    out->pat = NULL;
    out->items = items;
    out->nitems = (int)p->v.n;
    return 0;
}

/* Build a non-transform builtin whose arguments are complete. */
static int build_value(struct pat_eval *e, const struct builtin *b, const struct pat_x *args,
                       struct lang_pos at, struct pat_x *out)
{
    const char *err = NULL;
    const struct pnode *p = NULL;
    int given = out->nargs;             /* controls: how many arguments were given (0: all) */
    memset(out, 0, sizeof *out);
    out->kind = PX_PAT;
    out->pos = at;
    out->nargs = given;
    switch (b->kind) {
    case B_VALUE: {
        struct val vals[PAT_MAX_ARGS];
        const struct pnode *pats[PAT_MAX_ARGS];
        struct pat_list list = { 0 };
        if (value_args(e, b, args, vals, pats, &list))
            return -1;
        p = pat_value_build(e->a, b->op, vals, pats, &list, &err);
        break;
    }
    case B_CONTROL:
        for (int i = 0; i < (out->nargs ? out->nargs : (int)strlen(b->args)); i++)
            if (!is_pattern(&args[i]))      /* n (runMarkov ...): a list is no pattern */
                return failf(e, args[i].pos, "%s: expected a pattern, found %s%s", b->name, kind_name(&args[i]),
                             args[i].kind == PX_LIST ? " (listToPat or fromList makes one of a list)" : "");
        p = build_control(e, b, args, out->nargs ? out->nargs : (int)strlen(b->args));
        if (strcmp(b->name, "s") == 0 || strcmp(b->name, "sound") == 0 || strcmp(b->name, "note") == 0)
            out->flags |= PXF_SOUND;
        break;
    case B_SIGNAL:
        p = pat_signal_build(e->a, b->op);
        if (pat_signal_is_osc(b->op))
            out->flags |= PXF_BAREOSC;
        break;
    case B_TRANSFORM:
        break;
    }
    if (!p)
        return err ? fail_named(e, at, b->name, err) : oom(e, at);
    out->pat = p;
    if ((p->flags & PF_LIST) && p->kind == P_VALCAT)
        return list_value(e, p, at, out);
    return 0;
}

/* A "..." string read again as Tidal's Pattern Bool (the B arguments). */
static int bools(struct pat_eval *e, const struct lang_node *n, const struct pnode **out)
{
    struct pat_mini_error me;
    struct lang_pos at = lang_str_pos(n, 0);
    const struct pnode *p = pat_mini_parse_bools_at(e->a, n->text, n->len, at.line, at.col, &me, NULL);
    if (!p) {
        lang_error_set(e->err, lang_str_pos(n, me.offset), "%s", me.msg);
        return -1;
    }
    *out = p;
    return 0;
}

/* Build a transform whose explicit arguments are complete, on pattern p. */
/* cpm's argument in cycles a minute becomes fast's factor, cycles / 60 /
 * cps, from the file's tempo (Strudel's repl: its cpm reads the scheduler's). */
static int cpm_factor(struct pat_eval *e, struct val *vals, const struct pnode **pats, struct lang_pos at)
{
    double per = 60 * (e->cps > 0 ? e->cps : 0.5);
    if (pats[0])
        return (pats[0] = pat_fmap(e->a, FM_DIV, pats[0], per, 0, val_none())) ? 0 : oom(e, at);
    vals[0] = val_num(vals[0].u.num / per);
    return 0;
}

/* reset n and restart n with a number (the phonon family's; Tidal's take
 * booleans, which a number is not): the pattern restarts from its cycle 0
 * every n cycles, as restart (slow n "t") does. */
static int peer_reset_name(const char *name)
{
    return strcmp(name, "reset") == 0 || strcmp(name, "restart") == 0;
}

/* The booleans true once every n cycles (one event n cycles long). */
static int peer_every_n(struct pat_eval *e, const struct pat_x *x, const struct pnode **out)
{
    if (!(x->num >= 1) || x->num > 1e6 || x->num != (double)(int64_t)x->num)
        return failf(e, x->pos, "reset: a number of cycles must be a whole number from 1, found %g", x->num);
    struct rat per = { 1, (int64_t)x->num };
    *out = pat_fast(e->a, per, pat_pure(e->a, val_bool(1)));
    return *out ? 0 : oom(e, x->pos);
}

static int build_transform(struct pat_eval *e, const struct builtin *b, const struct pat_x *args,
                           const struct pnode *p, struct lang_pos at, struct pat_x *out);

/* p $ binary n (the phonon family's; Tidal's binary n is a boolean pattern,
 * which '$' cannot apply to a pattern): p plays in the cycles whose number
 * has bit n set, mask (slow (2^(n+1)) "f t") p. */
static int peer_binary(struct pat_eval *e, double num, const struct pat_x *p, struct lang_pos at,
                       struct pat_x *out)
{
    if (!(num >= 0 && num <= 30) || num != (double)(int)num)
        return failf(e, at, "binary: the bit of the cycle number must be a whole number from 0 to 30, found %g", num);
    const struct pnode *ft[2] = { pat_pure(e->a, val_bool(0)), pat_pure(e->a, val_bool(1)) };
    if (!ft[0] || !ft[1])
        return oom(e, at);
    struct rat per = { 1, (int64_t)2 << (int)num };
    struct pat_x gate = { .kind = PX_PAT, .pos = at, .pat = pat_fast(e->a, per, pat_fastcat(e->a, ft, 2)) };
    struct builtin mask;
    if (!gate.pat || lookup_builtin("mask", &mask))
        return oom(e, at);
    memset(out, 0, sizeof *out);
    out->pos = at;
    out->flags = p->flags;
    return build_transform(e, &mask, &gate, as_pattern(e, p), at, out);
}

static int binop_vop(enum lang_op op, int *mode);

/* issue 11 tidal5: an o argument, an operator alone ((+), (#), (|+|), (<>),
 * flip (-)) or overlay, as its pat_app op (-1: overlay), PAT_O_FLIP added
 * when flipped. */
static int operator_arg(struct pat_eval *e, const struct builtin *b, const struct pat_x *x, struct val *out)
{
    int mode = 0, vop = -1;
    if (x->kind == PX_PARTIAL && x->nargs == 0 && ((const struct builtin *)x->b)->op == PAT_OP_OVERLAY &&
        ((const struct builtin *)x->b)->kind == B_VALUE) {
        *out = val_num(-1);
        return 0;
    }
    if (x->kind == PX_FN && (x->flags & PXF_OPERATOR)) {
        if ((enum lang_op)x->num == LANG_OP_OVERLAY)
            mode = vop = 0;
        else
            vop = binop_vop((enum lang_op)x->num, &mode);
    }
    if (vop < 0)
        return failf(e, x->pos, "%s: expected an operator that combines two patterns, such as (+), (#) or (|+|)",
                     b->name);
    int o = (enum lang_op)x->num == LANG_OP_OVERLAY ? -1 : mode | vop;
    *out = val_num(o + ((x->flags & PXF_FLIPPED) ? PAT_O_FLIP : 0));
    return 0;
}

static int build_transform(struct pat_eval *e, const struct builtin *b, const struct pat_x *args,
                           const struct pnode *p, struct lang_pos at, struct pat_x *out)
{
    int nargs = (int)strlen(b->args), op = b->op;
    struct val vals[PAT_MAX_ARGS];
    const struct pnode *pats[PAT_MAX_ARGS];
    for (int i = 0; i < nargs; i++) {
        const struct pat_x *x = &args[i];
        pats[i] = NULL;
        vals[i] = val_none();
        switch (b->args[i]) {
        case 'n':
        case 't':
        case 'N':
            if (x->kind == PX_NUM)
                vals[i] = val_num(x->num);
            else if (x->kind == PX_STR || x->kind == PX_PAT)
                pats[i] = x->pat;
            else
                return failf(e, x->pos, "%s: expected a number or a pattern, found %s", b->name, kind_name(x));
            break;
        case 's':
            if (x->kind == PX_STR && x->pat && x->pat->kind == P_PURE)
                vals[i] = x->pat->v;        /* a constant name: checked now */
            else if (x->kind == PX_STR || x->kind == PX_PAT)
                pats[i] = x->pat;
            else
                return failf(e, x->pos, "%s: expected a name in a string (\"major\"), found %s", b->name, kind_name(x));
            break;
        case 'f': {
            const struct pnode *body;
            if (fn_body(e, x, x->pos, &body))
                return -1;
            vals[i].kind = VAL_NODE;
            vals[i].u.node = body;
            break;
        }
        case 'F':
            if (function_list(e, b, x, &vals[i]))
                return -1;
            break;
        case 'L':
            if (number_list(e, b, x, &vals[i]))
                return -1;
            break;
        case 'l': {
            const struct pnode **kids;
            if (list_patterns(e, x, x->pos, &kids, NULL))
                return -1;
            struct val *items = ARENA_ARRAY(e->a, struct val, x->nitems ? x->nitems : 1);
            if (!items)
                return oom(e, x->pos);
            for (int k = 0; k < x->nitems; k++) {
                items[k].kind = VAL_NODE;
                items[k].u.node = kids[k];
            }
            vals[i].kind = VAL_LIST;
            vals[i].n = (uint32_t)x->nitems;
            vals[i].u.list = items;
            break;
        }
        case 'o':
            if (operator_arg(e, b, x, &vals[i]))
                return -1;
            break;
        case 'g':
            if (!is_function(x))
                return failf(e, x->pos, "%s: expected a function such as fast or ($), found %s", b->name, kind_name(x));
            break;
        case 'V': {                     /* the g before it applied to each item */
            if (x->kind != PX_LIST)
                return failf(e, x->pos, "%s: expected a list [a, b], found %s", b->name, kind_name(x));
            struct val *fns = ARENA_ARRAY(e->a, struct val, x->nitems ? x->nitems : 1);
            if (!fns)
                return oom(e, x->pos);
            for (int k = 0; k < x->nitems; k++) {
                struct pat_x r;
                const struct pnode *body;
                if (apply(e, &args[i - 1], &x->items[k], x->items[k].pos, &r) || fn_body(e, &r, x->items[k].pos, &body))
                    return -1;
                fns[k].kind = VAL_NODE;
                fns[k].u.node = body;
            }
            vals[i].kind = VAL_LIST;
            vals[i].n = (uint32_t)x->nitems;
            vals[i].u.list = fns;
            break;
        }
        case 'p':
        case 'B':
            if (!is_pattern(x))
                return failf(e, x->pos, "%s: expected a pattern, found %s", b->name, kind_name(x));
            vals[i].kind = VAL_NODE;
            vals[i].u.node = as_pattern(e, x);
            if (b->args[i] == 'B' && x->kind == PX_STR && x->src && bools(e, x->src, &vals[i].u.node))
                return -1;
            if (b->args[i] == 'B' && x->kind == PX_NUM && peer_reset_name(b->name)) {
                if (peer_every_n(e, x, &vals[i].u.node))
                    return -1;
                op = pat_op_lookup("restart");
            }
            break;
        }
    }
    if (b->op == PAT_OP_CPM && cpm_factor(e, vals, pats, at))
        return -1;
    const char *err = NULL;
    const struct pnode *r = pat_op_apply(e->a, op, vals, pats, nargs, p, &err);
    if (!r)
        return err ? fail_named(e, at, b->name, err) : oom(e, at);
    int flags = out->flags;             /* the caller put the pattern's flags there */
    memset(out, 0, sizeof *out);
    out->kind = PX_PAT;
    out->pat = r;
    out->pos = at;
    out->flags = flags;
    return 0;
}

/* Apply a function value to one argument. */
static int apply(struct pat_eval *e, const struct pat_x *f, const struct pat_x *arg,
                 struct lang_pos at, struct pat_x *out)
{
    if (f->kind == PX_FN && (f->flags & PXF_OPERATOR)) {
        if ((enum lang_op)f->num == LANG_OP_NONE) {     /* flip: of an operator alone */
            if (arg->kind != PX_FN || !(arg->flags & PXF_OPERATOR) || arg->num == LANG_OP_NONE)
                return failf(e, arg->pos, "flip takes an operator here, such as mod or (-), found %s",
                             kind_name(arg));
            *out = *arg;
            out->flags ^= PXF_FLIPPED;
            return 0;
        }
        if ((enum lang_op)f->num != LANG_OP_APPLY)      /* (~>) 0.25 is (0.25 ~>) */
            return section_of(e, (enum lang_op)f->num, (f->flags & PXF_FLIPPED) != 0, arg, at, out);
        if (!is_function(arg))                          /* ($) f is f */
            return failf(e, arg->pos, "($) takes a function here, found %s", kind_name(arg));
        *out = *arg;
        return 0;
    }
    if (f->kind == PX_FN) {
        if (!is_pattern(arg))
            return failf(e, arg->pos, "a function takes a pattern here, found %s", kind_name(arg));
        memset(out, 0, sizeof *out);
        out->kind = PX_PAT;
        out->pos = at;
        out->flags = arg->flags | (f->flags & ~PXF_OPERATOR);
        out->pat = pat_call(e->a, f->pat, as_pattern(e, arg));
        return out->pat ? 0 : oom(e, at);
    }
    if (f->kind != PX_PARTIAL)
        return failf(e, f->pos, "%s is not a function, so it cannot take an argument here "
                     "(use '#' to set a control or '$' to apply a transform)", kind_name(f));
    const struct builtin *b = f->b;
    int missing = partial_missing(f);
    if (missing > 0) {
        /* a tuple fills several number arguments: zoom (0.25, 0.75) */
        int take = 1;
        const struct pat_x *items = arg;
        if (arg->kind == PX_TUPLE) {
            int fits = arg->nitems <= missing;
            for (int i = 0; i < arg->nitems && fits; i++)
                fits = pat_kind_is_number(b->args[f->nargs + i]);
            if (fits) {
                take = arg->nitems;
                items = arg->items;
            }
        }
        struct pat_x *args = ARENA_ARRAY(e->a, struct pat_x, f->nargs + take);
        if (!args)
            return oom(e, at);
        if (f->nargs)
            memcpy(args, f->args, sizeof *args * (size_t)f->nargs);
        memcpy(args + f->nargs, items, sizeof *args * (size_t)take);
        struct pat_x r = *f;
        r.args = args;
        r.nargs = f->nargs + take;
        if (b->kind != B_TRANSFORM && partial_missing(&r) == 0) {
            out->nargs = 0;
            return build_value(e, b, r.args, at, out);
        }
        *out = r;
        return 0;
    }
    const struct pat_x *last = f->nargs ? &f->args[f->nargs - 1] : NULL;
    if (last && last->kind == PX_PARTIAL && last->b && partial_missing(last) > 0
        && peer_short_row(last) < 0) {
        /* every 3 late 0.25, every 4 fast 2 (the phonon family writes the
         * function's arguments after it, unparenthesised; Tidal has no
         * meaning for it): the argument goes to the function, every 3 (late 0.25) */
        struct pat_x *args = ARENA_ARRAY(e->a, struct pat_x, f->nargs);
        if (!args)
            return oom(e, at);
        memcpy(args, f->args, sizeof *args * (size_t)f->nargs);
        if (apply(e, last, arg, at, &args[f->nargs - 1]))
            return -1;
        *out = *f;
        out->args = args;
        return 0;
    }
    if (b->kind != B_TRANSFORM)
        return failf(e, arg->pos, "%s has all its arguments; this one is too many", b->name);
    if (!is_pattern(arg))
        return failf(e, arg->pos, "%s: expected the pattern to transform, found %s", b->name, kind_name(arg));
    out->flags = arg->flags;
    return build_transform(e, b, f->args, as_pattern(e, arg), at, out);
}

/* ---- operators ---------------------------------------------------------------- */

static int binop_vop(enum lang_op op, int *mode)
{
    switch (op) {
    case LANG_OP_ADD: case LANG_OP_ADD_B: case LANG_OP_SIG_ADD: *mode = APP_BOTH; return VOP_ADD;
    case LANG_OP_SUB: case LANG_OP_SUB_B: case LANG_OP_SIG_SUB: *mode = APP_BOTH; return VOP_SUB;
    case LANG_OP_MUL: case LANG_OP_MUL_B: case LANG_OP_SIG_MUL: *mode = APP_BOTH; return VOP_MUL;
    case LANG_OP_DIV: case LANG_OP_DIV_B: case LANG_OP_SIG_DIV: *mode = APP_BOTH; return VOP_DIV;
    case LANG_OP_ADD_L: *mode = APP_LEFT; return VOP_ADD;
    case LANG_OP_ADD_R: *mode = APP_RIGHT; return VOP_ADD;
    case LANG_OP_SUB_L: *mode = APP_LEFT; return VOP_SUB;
    case LANG_OP_SUB_R: *mode = APP_RIGHT; return VOP_SUB;
    case LANG_OP_MUL_L: *mode = APP_LEFT; return VOP_MUL;
    case LANG_OP_MUL_R: *mode = APP_RIGHT; return VOP_MUL;
    case LANG_OP_DIV_L: *mode = APP_LEFT; return VOP_DIV;
    case LANG_OP_DIV_R: *mode = APP_RIGHT; return VOP_DIV;
    case LANG_OP_CHAIN: case LANG_OP_SET_L: *mode = APP_LEFT; return VOP_SET;
    case LANG_OP_SET_R: *mode = APP_RIGHT; return VOP_SET;
    case LANG_OP_SET_B: *mode = APP_BOTH; return VOP_SET;
    case LANG_OP_KEEP_L: *mode = APP_LEFT; return VOP_KEEP;
    case LANG_OP_KEEP_R: *mode = APP_RIGHT; return VOP_KEEP;
    case LANG_OP_KEEP_B: *mode = APP_BOTH; return VOP_KEEP;
    case LANG_OP_MOD_L: *mode = APP_LEFT; return VOP_MOD;
    case LANG_OP_MOD_R: *mode = APP_RIGHT; return VOP_MOD;
    case LANG_OP_MOD_B: *mode = APP_BOTH; return VOP_MOD;
    case LANG_OP_POW_L: *mode = APP_LEFT; return VOP_POW;
    case LANG_OP_POW_R: *mode = APP_RIGHT; return VOP_POW;
    case LANG_OP_POW_B: *mode = APP_BOTH; return VOP_POW;
    case LANG_OP_CAT_L: *mode = APP_LEFT; return VOP_CAT;
    case LANG_OP_CAT_R: *mode = APP_RIGHT; return VOP_CAT;
    case LANG_OP_CAT_B: *mode = APP_BOTH; return VOP_CAT;
    case LANG_OP_GT: *mode = APP_BOTH; return VOP_GT;
    case LANG_OP_LT: *mode = APP_BOTH; return VOP_LT;
    case LANG_OP_GE: *mode = APP_BOTH; return VOP_GE;
    case LANG_OP_LE: *mode = APP_BOTH; return VOP_LE;
    case LANG_OP_EQ: *mode = APP_BOTH; return VOP_EQ;
    case LANG_OP_NE: *mode = APP_BOTH; return VOP_NE;
    case LANG_OP_IMOD: case LANG_OP_IMODQ: *mode = APP_BOTH; return VOP_MOD;
    case LANG_OP_IDIV: *mode = APP_BOTH; return VOP_IDIV;
    default: return -1;
    }
}

/* f . g: the function that applies g, then f (Tidal's composition). */
static int compose(struct pat_eval *e, const struct pat_x *f, const struct pat_x *g,
                   struct lang_pos at, struct pat_x *out)
{
    const struct pnode *fb, *gb;
    if (!is_function(f) || !is_function(g))
        return failf(e, at, "'.' composes two transforms (fast 2 . rev), but here it has %s and %s",
                     kind_name(f), kind_name(g));
    if (fn_body(e, f, f->pos, &fb) || fn_body(e, g, g->pos, &gb))
        return -1;
    out->kind = PX_FN;
    out->flags = f->flags | g->flags;
    out->pat = pat_call(e->a, fb, gb);
    return out->pat ? 0 : oom(e, at);
}

/* a <> b: both patterns at once (Tidal's Semigroup instance: overlay). */
static int overlay(struct pat_eval *e, const struct pat_x *l, const struct pat_x *r,
                   struct lang_pos at, struct pat_x *out)
{
    if (!is_pattern(l) || !is_pattern(r))
        return failf(e, at, "'<>' overlays two patterns, but here it has %s and %s",
                     kind_name(l), kind_name(r));
    const struct pnode *both[2] = { as_pattern(e, l), as_pattern(e, r) };
    out->kind = PX_PAT;
    out->flags = l->flags | r->flags;
    out->pat = pat_stack(e->a, both, 2);
    return out->pat ? 0 : oom(e, at);
}

/* Apply binary operator op to two evaluated operands. */
static int binop(struct pat_eval *e, enum lang_op op, const struct pat_x *l, const struct pat_x *r,
                 struct lang_pos at, struct pat_x *out)
{
    memset(out, 0, sizeof *out);
    out->pos = at;
    if (op == LANG_OP_APPLY) {
        if (is_function(l) && (is_pattern(r) || r->kind == PX_LIST))   /* listToPat $ runMarkov ... */
            return apply(e, l, r, at, out);
        if (is_pattern(l) && is_function(r)) {  /* the peer's "pattern $ transform" */
            struct pat_x g;
            if (peer_short_form(e, r, &g))
                return oom(e, at);
            return apply(e, &g, l, at, out);
        }
        if (is_function(l) && is_function(r)) {    /* the pipeline "l, then r" */
            const struct pnode *fb, *gb;
            if (fn_body(e, l, l->pos, &fb) || fn_body(e, r, r->pos, &gb))
                return -1;
            out->kind = PX_FN;
            out->flags = (l->flags | r->flags) & ~PXF_OPERATOR;
            out->pat = pat_call(e->a, gb, fb);
            return out->pat ? 0 : oom(e, at);
        }
        return failf(e, at, "'$' applies a transform to a pattern, but here it has %s and %s",
                     kind_name(l), kind_name(r));
    }
    if (op == LANG_OP_COMPOSE)
        return compose(e, l, r, at, out);
    if (op == LANG_OP_OVERLAY)
        return overlay(e, l, r, at, out);
    if (op == LANG_OP_EARLY || op == LANG_OP_LATE) {
        /* t <~ p: p shifted earlier by t (a number or a pattern); t <~ f,
         * with f a transform: f's result shifted, (t <~) . f */
        if (is_pattern(l) && is_function(r)) {
            struct pat_x hole = { .kind = PX_PAT, .pat = pat_hole(), .pos = at }, shifted;
            if (binop(e, op, l, &hole, at, &shifted))
                return -1;
            struct pat_x fn = { .kind = PX_FN, .pat = as_pattern(e, &shifted), .pos = at,
                                .flags = shifted.flags };
            return compose(e, &fn, r, at, out);
        }
        if (!is_pattern(l) || !is_pattern(r))
            return failf(e, at, "'%s' needs a time on the left and a pattern on the right", lang_op_text(op));
        struct builtin b;
        lookup_builtin(op == LANG_OP_EARLY ? "rotL" : "rotR", &b);
        out->flags = r->flags;
        return build_transform(e, &b, l, as_pattern(e, r), at, out);
    }
    int mode, vop = binop_vop(op, &mode);
    if (vop < 0)
        return failf(e, at, "the operator '%s' has no pattern meaning", lang_op_text(op));
    struct pat_x done;
    if (r->kind == PX_PARTIAL && ((const struct builtin *)r->b)->kind == B_CONTROL && r->nargs >= 1) {
        /* lpf 800 without its q: the control with the arguments given */
        done.nargs = r->nargs;
        if (build_value(e, r->b, r->args, r->pos, &done))
            return -1;
        r = &done;
    }
    /* issue 11: a # voicing applies it (Strudel's .voicing() in a chain of controls) */
    if (op == LANG_OP_CHAIN && is_pattern(l) && r->kind == PX_PARTIAL && r->nargs == 0 &&
        ((const struct builtin *)r->b)->kind == B_TRANSFORM && ((const struct builtin *)r->b)->op == PAT_OP_VOICING)
        return apply(e, r, l, at, out);
    if ((op == LANG_OP_CHAIN || op == LANG_OP_SET_L) && is_pattern(l) && r->kind == PX_PAT) {
        const struct pnode *t = pat_ntake_on(e->a, r->pat, as_pattern(e, l));  /* issue 11 tidal5 */
        if (t) {
            out->kind = PX_PAT;
            out->flags = l->flags | r->flags;
            out->pat = t;
            return 0;
        }
    }
    if (!is_pattern(l) || !is_pattern(r)) {
        const struct pat_x *bad = is_pattern(l) ? r : l;
        if (op == LANG_OP_CHAIN && is_function(r))
            return failf(e, r->pos, "'#' needs a control or effect on its right (like gain 0.8); "
                         "to apply a transform use '$'");
        return failf(e, bad->pos, "'%s' needs patterns or numbers on both sides, found %s",
                     lang_op_text(op), kind_name(bad));
    }
    if (l->kind == PX_NUM && r->kind == PX_NUM && vop <= VOP_POW) {
        double x = l->num, y = r->num;
        out->kind = PX_NUM;
        out->num = vop == VOP_ADD ? x + y : vop == VOP_SUB ? x - y : vop == VOP_MUL ? x * y
                 : vop == VOP_DIV ? x / y : vop == VOP_MOD ? fmod(fmod(x, y) + y, y) : pow(x, y);
        return 0;
    }
    out->kind = PX_PAT;
    out->flags = l->flags | r->flags;
    out->pat = pat_app(e->a, mode | vop, as_pattern(e, l), as_pattern(e, r));
    return out->pat ? 0 : oom(e, at);
}

/* A section: a function of the missing operand. */
static int section_of(struct pat_eval *e, enum lang_op op, int right, const struct pat_x *operand,
                      struct lang_pos pos, struct pat_x *out)
{
    struct pat_x hole = { .kind = PX_PAT, .pat = pat_hole(), .pos = pos };
    struct pat_x r;
    if (op == LANG_OP_APPLY)
        return failf(e, pos, "'$' cannot be used in a section");
    /* A section is the reference's method call: (+ 7) is pat.add(7), whose
     * structure comes from the pattern it is applied to (the corpus shows
     * this), while the binary a + b takes structure from both sides. */
    switch (op) {
    case LANG_OP_ADD: op = right ? LANG_OP_ADD_L : LANG_OP_ADD_R; break;
    case LANG_OP_SUB: op = right ? LANG_OP_SUB_L : LANG_OP_SUB_R; break;
    case LANG_OP_MUL: op = right ? LANG_OP_MUL_L : LANG_OP_MUL_R; break;
    case LANG_OP_DIV: op = right ? LANG_OP_DIV_L : LANG_OP_DIV_R; break;
    default: break;
    }
    int mode, vop = binop_vop(op, &mode);
    if (vop >= VOP_IDIV && is_pattern(operand)) {  /* (> 2), (`mod` 4): the same rule */
        const struct pnode *x = as_pattern(e, operand);
        r.kind = PX_PAT;
        r.flags = operand->flags;
        r.pat = pat_app(e->a, (right ? APP_LEFT : APP_RIGHT) | vop, right ? pat_hole() : x,
                        right ? x : pat_hole());
        if (!r.pat)
            return oom(e, pos);
    } else if (binop(e, op, right ? &hole : operand, right ? operand : &hole, pos, &r)) {
        return -1;
    }
    memset(out, 0, sizeof *out);
    out->kind = PX_FN;
    out->flags = r.flags;
    out->pat = as_pattern(e, &r);
    out->pos = pos;
    return 0;
}

/* A section, or an operator alone: ($) (a function of a function) or
 * (~>), whose argument makes the section (0.25 ~>). */
static int section(struct pat_eval *e, const struct lang_node *n, struct pat_x *out)
{
    struct pat_x operand;
    if (n->nkids == 0) {
        memset(out, 0, sizeof *out);
        out->kind = PX_FN;
        out->flags = PXF_OPERATOR;
        out->num = n->op;
        out->pat = pat_hole();
        out->pos = n->pos;
        return 0;
    }
    if (eval(e, n->kids[0], &operand))
        return -1;
    return section_of(e, n->op, (n->flags & LANG_F_SECTION_R) != 0, &operand, n->pos, out);
}

/* The transforms whose time is the output statement's (LANG_STATEMENTS rows
 * of kind EXPR, and once): 0 trigger, 1 qtrigger, 2 once; -1 for others. */
static int statement_time_name(const char *name)
{
    static const char *const names[] = { "trigger", "qtrigger", "once", "qt" };
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0)
            return i == 3 ? 1 : i;
    return -1;
}

/* trigger: the pattern from its cycle 0 at e->start; qtrigger at the cycle
 * boundary from it on; once: qtrigger's first cycle only. */
static int statement_time_fn(struct pat_eval *e, int which, struct lang_pos at, struct pat_x *out)
{
    struct rat s = e->start.d ? e->start : rat_int(0);     /* unset: 0 */
    struct rat t = which == 0 ? s : rat_ceil(s);
    const struct pnode *body = which == 2 ? pat_first_cycle(e->a, pat_hole()) : pat_hole();
    out->kind = PX_FN;
    out->pat = body ? pat_shift(e->a, rat_neg(t), body) : NULL;
    return out->pat ? 0 : oom(e, at);
}

/* Haskell's functions of two numbers by name (mod 7 3, flip mod 2), as the
 * operator alone: mod is (`mod`); flip itself is LANG_OP_NONE. -1: none. */
static int operator_name(const char *name)
{
    static const struct { const char *name; enum lang_op op; } ops[] = {
        { "mod", LANG_OP_IMOD }, { "mod'", LANG_OP_IMODQ }, { "div", LANG_OP_IDIV }, { "flip", LANG_OP_NONE },
    };
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strcmp(name, ops[i].name) == 0)
            return (int)ops[i].op;
    return -1;
}

static int eval_name(struct pat_eval *e, const struct lang_node *n, struct pat_x *out)
{
    struct builtin b;
    memset(out, 0, sizeof *out);
    out->pos = n->pos;
    const char *name = n->text, *dot = strrchr(name, '.');
    if (dot && name[0] >= 'A' && name[0] <= 'Z')
        name = dot + 1;                 /* Data.Fixed.mod' is mod' */
    int st = statement_time_name(name);
    if (st >= 0)
        return statement_time_fn(e, st, n->pos, out);
    int opn = operator_name(name);
    if (opn >= 0) {
        out->kind = PX_FN;
        out->flags = PXF_OPERATOR;
        out->num = opn;
        out->pat = pat_hole();
        return 0;
    }
    if (lookup_builtin(name, &b)) {
        const char *names[PAT_EVAL_NAMES_MAX];
        int count = all_names(names, PAT_EVAL_NAMES_MAX);
        const char *near = lang_suggest(n->text, names, count);
        failf(e, n->pos, "unknown function '%s'%s%s%s", n->text, near ? "; did you mean '" : "",
              near ? near : "", near ? "'?" : "");
        return -1;
    }
    struct builtin *keep = ARENA_NEW(e->a, struct builtin);
    if (!keep)
        return oom(e, n->pos);
    *keep = b;
    out->kind = PX_PARTIAL;
    out->b = keep;
    if (b.kind != B_TRANSFORM && b.args[0] == 0)
        return build_value(e, keep, NULL, n->pos, out);
    return 0;
}

static int has_kwargs(const struct lang_node *n)
{
    for (int i = 1; i < n->nkids; i++)
        if (n->kids[i]->kind == LANG_KWARG)
            return 1;
    return 0;
}

/* The key of control b that keyword kw names: a key (adsr :release 3, lpf
 * :resonance 0.3), or q for the second key of a filter (lpf 800 :q 0.5). */
static const char *control_key(const struct builtin *b, const char *kw)
{
    int i = 0;
    for (const char *k = b->keys; *k; k += strlen(k) + 1, i++)
        if (strcmp(k, kw) == 0 || (i == 1 && strcmp(kw, "q") == 0 && (strstr(k, "resonance") || strcmp(k, "bandq") == 0)) ||
            (i == 0 && strcmp(kw, "cutoff") == 0 && (strcmp(k, "hcutoff") == 0 || strcmp(k, "bandf") == 0)))
            return k;
    return NULL;
}

/* A control with keyword arguments, in any order and after the positional
 * ones (s "bd" # adsr :attack 0.01 :release 3, lpf 800 :q 0.5): the
 * positional arguments given, then each named key set (the controls not
 * named keep the voice's defaults), merged as '#' merges. */
static int control_kwargs(struct pat_eval *e, const struct lang_node *n, const struct pat_x *f,
                          struct pat_x *out)
{
    const struct builtin *b = f->b;
    struct pat_x acc = *f, arg, r;
    int have = 0;
    for (int i = 1; i < n->nkids; i++) {
        const struct lang_node *a = n->kids[i];
        if (a->kind != LANG_KWARG) {
            if (have)
                return failf(e, a->pos, "positional arguments come before the keyword arguments");
            if (eval(e, a, &arg) || apply(e, &acc, &arg, n->kids[0]->pos, &r))
                return -1;
            acc = r;
            continue;
        }
        if (!have && acc.kind == PX_PARTIAL && acc.nargs >= 1) {
            struct pat_x done = { .nargs = acc.nargs };
            if (build_value(e, b, acc.args, acc.pos, &done))
                return -1;
            done.kind = PX_PAT;
            done.pos = acc.pos;
            acc = done;
            have = 1;
        }
        const char *key = control_key(b, a->text);
        struct builtin kb;
        if (!key || lookup_builtin(key, &kb) || kb.kind != B_CONTROL) {
            char keys[160] = "";
            for (const char *k = b->keys; *k && strlen(keys) + strlen(k) + 4 < sizeof keys; k += strlen(k) + 1)
                snprintf(keys + strlen(keys), sizeof keys - strlen(keys), "%s:%s", keys[0] ? ", " : "", k);
            return failf(e, a->pos, "%s has no parameter :%s (it has %s)", b->name, a->text, keys);
        }
        struct pat_x kf = { .kind = PX_PARTIAL, .pos = a->pos };
        struct builtin *kp = ARENA_NEW(e->a, struct builtin);
        if (!kp)
            return oom(e, a->pos);
        *kp = kb;
        kf.b = kp;
        if (eval(e, a->kids[0], &arg) || apply(e, &kf, &arg, a->pos, &r))
            return -1;
        if (!have) {
            acc = r;
            have = 1;
        } else {
            struct pat_x m;
            if (binop(e, LANG_OP_CHAIN, &acc, &r, a->pos, &m))
                return -1;
            acc = m;
        }
    }
    *out = acc;
    return 0;
}

/* ---- the phonon family's "p $ binary n" and "p $ reset n $ binary n" ------- */

/* Is n written name <number> (binary 5, reset 3)? */
static int peer_call(const struct lang_node *n, const char *name)
{
    return n->kind == LANG_APP && n->nkids == 2 && n->kids[0]->kind == LANG_NAME
        && strcmp(n->kids[0]->text, name) == 0 && n->kids[1]->kind == LANG_NUM;
}

/* binary n as the peer's transform: a function with a hole. */
static int peer_binary_fn(struct pat_eval *e, double num, struct lang_pos at, struct pat_x *out)
{
    struct pat_x hole = { .kind = PX_PAT, .pat = pat_hole(), .pos = at };
    if (peer_binary(e, num, &hole, at, out))
        return -1;
    out->kind = PX_FN;
    return 0;
}

/* l $ r (the node n, its sides evaluated) where one side is written
 * binary <number>: a pattern on the left, or the other side a function
 * where Tidal has no meaning (binary 3 $ f, reset 3 $ binary 5), take the
 * peer's binary; anything else is Tidal's. */
static int peer_binary_apply(struct pat_eval *e, const struct lang_node *n, const struct pat_x *l,
                             const struct pat_x *r, struct pat_x *out)
{
    const struct lang_node *ln = n->kids[0], *rn = n->kids[1];
    int lb = peer_call(ln, "binary"), rb = peer_call(rn, "binary");
    struct pat_x f;
    if (rb && !lb && is_pattern(l))
        return peer_binary(e, rn->kids[1]->num, l, n->pos, out);
    if (rb && is_function(l) && (peer_call(ln, "reset") || peer_call(ln, "restart"))) {
        if (peer_binary_fn(e, rn->kids[1]->num, rn->pos, &f))
            return -1;
        return binop(e, LANG_OP_APPLY, l, &f, n->pos, out);
    }
    if (lb && is_function(r)) {
        if (peer_binary_fn(e, ln->kids[1]->num, ln->pos, &f))
            return -1;
        return binop(e, LANG_OP_APPLY, &f, r, n->pos, out);
    }
    return binop(e, LANG_OP_APPLY, l, r, n->pos, out);
}

static int eval(struct pat_eval *e, const struct lang_node *n, struct pat_x *out)
{
    memset(out, 0, sizeof *out);
    out->pos = n->pos;
    if (++e->depth > PAT_MAX_DEPTH) {
        e->depth--;
        return failf(e, n->pos, "the expression is nested too deeply");
    }
    int rc = 0;
    switch (n->kind) {
    case LANG_NUM:
        out->kind = PX_NUM;
        out->num = n->num;
        break;
    case LANG_STR: {
        struct pat_mini_error me;
        struct rat steps = rat_int(0);
        struct lang_pos at = lang_str_pos(n, 0);
        const struct pnode *p = pat_mini_parse_at(e->a, n->text, n->len, at.line, at.col, &me, &steps);
        if (!p) {
            lang_error_set(e->err, lang_str_pos(n, me.offset), "%s", me.msg);
            if (me.open_offset >= 0) {
                struct lang_pos o = lang_ast_pos(e->ast, lang_str_pos(n, (size_t)me.open_offset));
                size_t l = strlen(e->err->msg);
                snprintf(e->err->msg + l, sizeof e->err->msg - l, " opened at %d:%d", o.line, o.col);
            }
            rc = -1;
            break;
        }
        out->kind = PX_STR;
        out->pat = p;
        out->steps = steps;
        out->src = n;
        break;
    }
    case LANG_NAME:
        rc = eval_name(e, n, out);
        break;
    case LANG_BUS:
        if (!e->bus)
            rc = failf(e, n->pos, "~%s: buses can only be used in a pattern file", n->text);
        else
            rc = e->bus(e->user, n->text, n->pos, out);
        break;
    case LANG_APP: {
        struct pat_x f;
        if ((rc = eval(e, n->kids[0], &f)))
            break;
        if (f.kind == PX_PARTIAL && ((const struct builtin *)f.b)->kind == B_CONTROL && has_kwargs(n)) {
            rc = control_kwargs(e, n, &f, out);
            break;
        }
        for (int i = 1; i < n->nkids && !rc; i++) {
            struct pat_x arg, r;
            if (n->kids[i]->kind == LANG_KWARG) {
                rc = failf(e, n->kids[i]->pos, "keyword arguments (:%s) are for sound functions", n->kids[i]->text);
                break;
            }
            if ((rc = eval(e, n->kids[i], &arg)))
                break;
            if (!(rc = apply(e, &f, &arg, n->kids[0]->pos, &r)))
                f = r;
        }
        if (!rc)
            *out = f;
        break;
    }
    case LANG_BINOP: {                  /* a flat chain (a + b + c) folds from the left */
        struct pat_x l, r;
        if (n->op == LANG_OP_APPLY && n->nkids == 2) {
            if (!(rc = eval(e, n->kids[0], &l)) && !(rc = eval(e, n->kids[1], &r)))
                rc = pat_eval_apply_node(e, n, &l, &r, out);
            break;
        }
        rc = eval(e, n->kids[0], &l);
        for (int i = 1; i < n->nkids && !rc; i++)
            if (!(rc = eval(e, n->kids[i], &r)) && !(rc = binop(e, n->op, &l, &r, n->pos, out)))
                l = *out;
        if (rc && n->op == LANG_OP_CHAIN && (n->flags & LANG_F_LINE_START) && !e->err->hint[0])
            snprintf(e->err->hint, sizeof e->err->hint, "comments start with '--'");
        break;
    }
    case LANG_NEG: {
        struct pat_x x;
        if ((rc = eval(e, n->kids[0], &x)))
            break;
        if (x.kind == PX_NUM) {
            out->kind = PX_NUM;
            out->num = -x.num;
        } else if (is_pattern(&x)) {
            out->kind = PX_PAT;
            out->pat = pat_fmap(e->a, FM_MUL, x.pat, -1, 0, val_none());
            rc = out->pat ? 0 : oom(e, n->pos);
        } else {
            rc = failf(e, n->pos, "cannot negate %s", kind_name(&x));
        }
        break;
    }
    case LANG_LIST:
    case LANG_TUPLE: {
        struct pat_x *items = ARENA_ARRAY(e->a, struct pat_x, n->nkids ? n->nkids : 1);
        if (!items) {
            rc = oom(e, n->pos);
            break;
        }
        for (int i = 0; i < n->nkids && !rc; i++)
            rc = eval(e, n->kids[i], &items[i]);
        out->kind = n->kind == LANG_LIST ? PX_LIST : PX_TUPLE;
        out->items = items;
        out->nitems = n->nkids;
        break;
    }
    case LANG_KWARG:
        rc = failf(e, n->pos, "a keyword argument (:%s) can only follow a function", n->text);
        break;
    case LANG_SECTION:
        rc = section(e, n, out);
        break;
    }
    e->depth--;
    return rc;
}

int pat_eval(struct pat_eval *e, const struct lang_node *n, struct pat_x *out)
{
    return eval(e, n, out);
}

int pat_eval_apply_node(struct pat_eval *e, const struct lang_node *n, const struct pat_x *l,
                        const struct pat_x *r, struct pat_x *out)
{
    if (n->nkids == 2 && (peer_call(n->kids[0], "binary") || peer_call(n->kids[1], "binary")))
        return peer_binary_apply(e, n, l, r, out);
    return binop(e, LANG_OP_APPLY, l, r, n->pos, out);
}

int pat_eval_apply(struct pat_eval *e, const struct pat_x *f, const struct pat_x *arg,
                   struct lang_pos at, struct pat_x *out)
{
    return apply(e, f, arg, at, out);
}

int pat_eval_binop(struct pat_eval *e, enum lang_op op, const struct pat_x *l,
                   const struct pat_x *r, struct lang_pos at, struct pat_x *out)
{
    return binop(e, op, l, r, at, out);
}

int pat_eval_is_builtin(const char *name)
{
    struct builtin b;
    const char *dot = strrchr(name, '.');
    if (dot && name[0] >= 'A' && name[0] <= 'Z')
        name = dot + 1;                 /* Data.Fixed.mod' */
    if (statement_time_name(name) >= 0 || operator_name(name) >= 0)
        return 1;
    if (lookup_builtin(name, &b))
        return 0;
    return b.kind == B_CONTROL ? 2 : 1;
}

const struct pnode *pat_eval_as_pattern(struct pat_eval *e, const struct pat_x *x)
{
    return is_pattern(x) ? as_pattern(e, x) : NULL;
}

int pat_eval_names(const char **names, int cap)
{
    return all_names(names, cap);
}

const struct pnode *pat_eval_pattern(struct pat_eval *e, const struct lang_node *n)
{
    struct pat_x x;
    if (eval(e, n, &x))
        return NULL;
    if (is_function(&x)) {
        failf(e, n->pos, "this is a function (a transform), not a pattern: apply it to one, "
              "e.g. \"a b\" $ ...");
        return NULL;
    }
    if (!is_pattern(&x)) {
        failf(e, n->pos, "expected a pattern, found %s", kind_name(&x));
        return NULL;
    }
    const struct pnode *p = as_pattern(e, &x);
    if (!p)
        oom(e, n->pos);
    return p;
}
