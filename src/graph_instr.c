/* graph_instr.c -- instruments: a bus compiled as a per-voice program.
 *
 * A bus named in a pattern (s "~pad(3,8)") is an instrument: its expression
 * is compiled a second time in instrument mode (cc.ib set), where
 * oscillators, filters, envelopes and math become per-voice ops, parameters
 * that are patterns or buses stay shared graph nodes, and the first effect
 * that cannot run per voice (delay, reverb ...) starts a chain applied to
 * the sum of that instrument's voices. In the voice's signal path every
 * oscillator is a per-voice op that follows the note: the first one written
 * is set to the note's frequency (its written frequency is instr.f0), the
 * others keep their ratio to it. A function's arguments are parameters
 * (cc.in_param): there a bare sine is Tidal's continuous pattern and sine 2
 * a shared graph node (an LFO).
 */
#include "graph_cc.h"

#include <stdlib.h>
#include <string.h>

/* Is this a chain `x # f` or `f $ x` whose function can run per voice? The
 * first one that cannot starts the part applied to the sum of the voices. */
static const struct sfn *chain_fn(const struct lang_node *rhs)
{
    const struct lang_node *h = rhs;
    while (h->kind == LANG_APP)
        h = h->kids[0];
    return h->kind == LANG_NAME ? graph_sfn(h->text) : NULL;
}

/* Compile the expression of an instrument: split `a # f # g ...` where the
 * first f that cannot run per voice begins the shared chain. */
static int instr_expr(struct cc *c, const struct lang_node *n, struct cval *out)
{
    if (n->kind == LANG_BINOP && n->op == LANG_OP_CHAIN) {
        const struct sfn *fn = chain_fn(n->kids[1]);
        struct cval l;
        if (instr_expr(c, n->kids[0], &l))
            return -1;
        if (c->ib->npost || (fn && (!fn->lane || fn->cls == SF_PAN))) {
            if (c->ib->npost == (int)(sizeof c->ib->post / sizeof *c->ib->post))
                return cc_fail(c, n->pos, "the instrument's chain is too long");
            c->ib->post[c->ib->npost++] = n->kids[1];
            *out = l;
            return 0;
        }
        struct cval f;
        if (c->eval(c, n->kids[1], &f))
            return -1;
        if (f.k != CV_SFN || !f.fn->input)
            return cc_fail(c, n->kids[1]->pos, "in an instrument, '#' must be followed by a filter, envelope or effect");
        return signal_sfn(c, &f, &l, n->pos, out);
    }
    return c->eval(c, n, out);
}

/* A bare oscillator name in an instrument is an oscillator at the note. */
int instr_bare_osc(struct cc *c, const struct lang_node *n, struct cval *out)
{
    const struct sfn *fn = graph_sfn(n->text);
    struct cval f;
    memset(&f, 0, sizeof f);
    f.k = CV_SFN;
    f.fn = fn;
    f.ast = n;
    struct carg a;
    memset(&a, 0, sizeof a);
    a.v.k = CV_PX;
    a.v.px.kind = PX_NUM;
    a.v.px.num = 261.63;
    a.pos = n->pos;
    if (fn->nreq > 0) {
        f.args = &a;
        f.nargs = 1;
    }
    return signal_sfn(c, &f, NULL, n->pos, out);
}

/* The voice's output: v itself when it is per voice, else an op passing the
 * constant or shared signal v (times one). The op's index, or -1. */
static int instr_out(struct cc *c, struct cval *v, struct lang_pos at)
{
    if (v->k != CV_VSIG) {
        struct cval one;
        memset(&one, 0, sizeof one);
        one.k = CV_PX;
        one.px.kind = PX_NUM;
        one.px.num = 1;
        if (signal_math(c, M_MUL, v, &one, at, v))
            return -1;
    }
    return v->node;
}

/* Build the instrument of an expression (a bus's, or a shorthand's). The
 * post chain's AST nodes are left in *ib for the players to apply. */
int instr_build(struct cc *c, const char *name, const struct lang_node *expr, struct ibuild *ib,
                       struct lang_pos at)
{
    memset(ib, 0, sizeof *ib);
    ib->first_osc = -1;
    struct ibuild *saved = c->ib;
    int in_param = c->in_param;
    c->ib = ib;
    c->in_param = 0;
    struct cval v;
    int rc = instr_expr(c, expr, &v), out = rc ? -1 : instr_out(c, &v, at);
    c->ib = saved;
    c->in_param = in_param;
    if (out < 0)
        return -1;
    return cc_add_instr(c, name, ib, out, at);
}

/* issue 13: the instrument of a nested bus (graph_nest.c), one op: each
 * voice is the shared signal v through the voice's envelope, gain and pan. */
int instr_pass(struct cc *c, const char *name, const struct cval *v, struct lang_pos at)
{
    struct ibuild *ib = malloc(sizeof *ib);
    if (!ib)
        return cc_oom(c, at);
    memset(ib, 0, sizeof *ib);
    ib->first_osc = -1;
    struct ibuild *saved = c->ib;
    int in_param = c->in_param;
    c->ib = ib;
    c->in_param = 0;
    struct cval x = *v;
    int out = instr_out(c, &x, at);
    c->ib = saved;
    c->in_param = in_param;
    int idx = out < 0 ? -1 : cc_add_instr(c, name, ib, out, at);
    free(ib);
    return idx;
}
