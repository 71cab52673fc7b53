/* graph_signal.c -- values into signals: sound functions and audio math.
 *
 * signal_of makes any value audio: a number a constant node, a pattern a
 * parameter node (a step function of time, or a continuous pattern sampled
 * at control rate), a sound pattern a player (through the play hook: the
 * resolve pass), then the filters the voices could not run (cval.post).
 * signal_sfn builds the node of a sound function from its arguments
 * (positional, then :keywords; constants clamped to their range with a
 * warning), or, in instrument mode, a per-voice op whose parameters are
 * constants or shared nodes. Audio math is a MATH node, or a per-voice op.
 *
 * Nodes are appended after their inputs, so the node array is already in
 * evaluation order.
 */
#include "graph_cc.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The audio signal of a value: node index (>= 0), or -1 with an error. */
int signal_of(struct cc *c, const struct cval *v, struct lang_pos at)
{
    switch (v->k) {
    case CV_SIG:
        return v->node;
    case CV_VSIG:
        return cc_fail(c, at, "internal: a per-voice signal outside its instrument");
    case CV_SFN: {
        struct cval r;
        if (v->nargs == 0 && v->fn->cls == SF_GEN && v->fn->nreq > 0 && v->ast && v->ast->kind == LANG_NAME) {
            /* a bare sine/saw/... is Tidal's continuous pattern, 0..1 per cycle */
            struct pat_x x;
            if (cc_as_px(c, v, at, &x))
                return -1;
            r = cc_px_val(&x, v->ast);
            return signal_of(c, &r, at);
        }
        if (signal_sfn(c, v, NULL, at, &r))
            return -1;
        return signal_of(c, &r, at);
    }
    case CV_PX:
        break;
    }
    if (v->px.kind == PX_NUM)
        return cc_const(c, (float)v->px.num, at);
    if (v->px.kind == PX_FN || v->px.kind == PX_PARTIAL)
        return cc_fail(c, at, "this is a pattern transform (a function), not a sound: apply it to a pattern with $");
    if (v->px.kind == PX_LIST || v->px.kind == PX_TUPLE)
        return cc_fail(c, at, "a list or tuple is not a sound");
    if (v->px.flags & PXF_SOUND) {
        int node = c->play(c, v->px.pat, v->ast && v->ast->pos.line ? v->ast->pos : at);
        for (int i = 0; i < 3 && node >= 0; i++) {
            if (!v->post[i])
                continue;
            struct cval f, in, r;
            memset(&in, 0, sizeof in);
            in.k = CV_SIG;
            in.node = node;
            in.nch = cc_nch(c, node);
            if (c->eval(c, v->post[i], &f))
                return -1;
            if (f.k != CV_SFN || f.fn->cls != SF_FILTER)
                return cc_fail(c, v->post[i]->pos, "internal: a sound pattern's filter is not a filter");
            if (signal_sfn(c, &f, &in, v->post[i]->pos, &r))
                return -1;
            node = r.node;
        }
        return node;
    }
    int n = cc_node(c, N_PATPARAM, 0, 1, NULL, 0, at);
    if (n >= 0)
        c->nodes.v[n].pat = v->px.pat;
    return n;
}

/* A parameter source for a per-voice op: constant, or a shared node. */
static int vsrc_of(struct cc *c, const struct cval *v, struct lang_pos at, int16_t *src, float *k)
{
    if (v->k == CV_VSIG) {
        *src = (int16_t)v->node;
        return 0;
    }
    if (v->k == CV_PX && v->px.kind == PX_NUM) {
        *src = VSRC_CONST;
        *k = (float)v->px.num;
        return 0;
    }
    struct ibuild *ib = c->ib;
    c->ib = NULL;                   /* shared parameters are ordinary graph nodes */
    int node = signal_of(c, v, at);
    c->ib = ib;
    if (node < 0)
        return -1;
    if (node > 32000)
        return cc_fail(c, at, "too many nodes for an instrument parameter");
    *src = (int16_t)(VSRC_NODE_BASE - node);
    return 0;
}

/* Parameter i as a node (graph mode), with constants clamped to the range. */
static int param_node(struct cc *c, const struct cval *f, int i, struct lang_pos at)
{
    const struct cval *v = cc_sfn_param(f, i);
    float x = f->fn->def[i];
    if (!v)
        return cc_const(c, x, at);
    if (v->k == CV_PX && v->px.kind == PX_NUM) {
        double w = v->px.num;                   /* as written: 1e308 is no float */
        float lo = f->fn->range[i][0], hi = f->fn->range[i][1];
        x = (float)w;
        if (!(w >= (double)lo && w <= (double)hi)) {
            float y = isnan(w) ? lo : w < (double)lo ? lo : hi;
            cc_warn(c, v->px.pos, "%s :%s %g is out of range [%g, %g]; using %g", f->fn->name,
                    f->fn->params[i], w, (double)lo, (double)hi, (double)y);
            x = y;
        }
        return cc_const(c, x, at);
    }
    int node = signal_of(c, v, at);
    const char *name = f->fn->params[i];
    if (node >= 0 && i == 0 && c->nodes.v[node].kind == N_PATPARAM && v->k == CV_PX &&
        (strcmp(name, "freq") == 0 || strcmp(name, "carrier") == 0))
        c->nodes.v[node].op = PATPARAM_HZ;   /* saw "c4 e4": note names in Hz (the phonon family's meaning) */
    return node;
}

/* The phonon family's standalone form of a function that processes a
 * signal: its first argument is the input when that is positional and a
 * sound or a signal (not a number or a pattern of numbers, which stay the
 * "chain it" error). */
static int sfn_first_input(const struct cval *f, struct cval *first)
{
    if (f->nargs < 1 || f->args[0].kw || f->nargs <= f->fn->nreq)
        return 0;
    const struct cval *v = &f->args[0].v;
    if (v->k == CV_SIG || v->k == CV_VSIG || cc_is_sound_sfn(v) || cc_is_sound_px(v)) {
        *first = *v;
        return 1;
    }
    return 0;
}

/* additive's amplitudes written as one string, as the peer allows
 * (additive 440 "1 0.5 0.25"): the numbers become the parameters a1 ... */
static int additive_amps(struct cc *c, struct cval *f, struct lang_pos at)
{
    if (f->nargs != 2 || f->args[1].kw || !f->args[1].v.ast || f->args[1].v.ast->kind != LANG_STR)
        return 0;
    const char *p = f->args[1].v.ast->text;
    int cap = f->fn->nparams;
    struct carg *args = ARENA_ARRAY(c->a, struct carg, (size_t)cap);
    if (!args)
        return cc_oom(c, at);
    args[0] = f->args[0];
    int n = 1;
    for (char *end; *p; p = end) {
        double x = strtod(p, &end);
        if (end == p) {
            end = (char *)(uintptr_t)(p + 1);     /* not a number: skipped, as the peer does */
            continue;
        }
        if (n == cap)
            return cc_fail(c, f->args[1].pos, "additive takes at most %d amplitudes", cap - 1);
        memset(&args[n], 0, sizeof args[n]);
        args[n].v.k = CV_PX;
        args[n].v.px.kind = PX_NUM;
        args[n].v.px.num = x;
        args[n++].pos = f->args[1].pos;
    }
    f->args = args;
    f->nargs = n;
    return 0;
}

/* issue 13: segments' levels and times written as two strings, as the peer
 * takes them (segments "0 1 0" "0.01 0.3"): the numbers become l0 ... and
 * t1 ... (at most 5 levels, one time fewer). */
static int segments_strs(struct cc *c, struct cval *f, struct lang_pos at)
{
    if (f->nargs != 2)
        return 0;
    for (int k = 0; k < 2; k++)
        if (f->args[k].kw || !f->args[k].v.ast || f->args[k].v.ast->kind != LANG_STR)
            return 0;
    enum { LEVELS = 5 };
    struct carg *args = ARENA_ARRAY(c->a, struct carg, (size_t)f->fn->nparams);
    if (!args)
        return cc_oom(c, at);
    int n = 0, cnt[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        char *end;
        for (const char *p = f->args[k].v.ast->text; *p; p = end) {
            double x = strtod(p, &end);
            if (end == p) {
                end = (char *)(uintptr_t)(p + 1);
                continue;
            }
            if (cnt[k] == LEVELS - k)
                return cc_fail(c, f->args[k].pos, "segments takes at most %d levels and %d times", LEVELS, LEVELS - 1);
            memset(&args[n], 0, sizeof args[n]);
            args[n].kw = f->fn->params[k * LEVELS + cnt[k]++];
            args[n].v.k = CV_PX;
            args[n].v.px.kind = PX_NUM;
            args[n].v.px.num = x;
            args[n++].pos = f->args[k].pos;
        }
    }
    if (cnt[0] < 2 || cnt[1] != cnt[0] - 1)
        return cc_fail(c, f->args[0].pos, "segments needs n levels (2 to %d) and n - 1 times, here %d and %d",
                       LEVELS, cnt[0], cnt[1]);
    f->args = args;
    f->nargs = n;
    return 0;
}

/* Build the node (or per-voice op) of a sound function. input: the signal it
 * processes (NULL for generators). */
int signal_sfn(struct cc *c, const struct cval *f, const struct cval *input, struct lang_pos at,
                      struct cval *out)
{
    /* out may be f or input (x = f x): read them from copies */
    struct cval fc = *f, ic;
    f = &fc;
    if (input) {
        ic = *input;
        input = &ic;
    }
    const struct sfn *fn = f->fn;
    memset(out, 0, sizeof *out);
    if (fn->cls == SF_MORE && fn->op == DSP_MORE_ADDITIVE && additive_amps(c, &fc, at))
        return -1;
    if (fn->cls == SF_MORE && fn->op == DSP_MORE_SEGMENTS && segments_strs(c, &fc, at))
        return -1;
    struct cval first;
    if (fn->input && !input && fn->cls != SF_ENV && sfn_first_input(f, &first)) {
        /* the phonon family's standalone form: the first argument is the
         * input (flanger ~in 0.5 0.5 0.3 is ~in # flanger 0.5 0.5 0.3) */
        fc.args++;
        fc.nargs--;
        return signal_sfn(c, &fc, &first, at, out);
    }
    if (c->ib && (fn->cls == SF_MORE || fn->cls == SF_WAVCONV)) {
        /* issue 13: these run on the graph, not per voice: in an instrument
         * a generator is one signal shared by every voice */
        if (input && input->k == CV_VSIG)
            return cc_fail(c, at, "%s cannot run per voice inside an instrument: put it after the instrument "
                           "(~inst # ... on the bus that plays it)", fn->name);
        struct ibuild *ib = c->ib;
        c->ib = NULL;
        int rc = signal_sfn(c, f, input, at, out);
        c->ib = ib;
        return rc;
    }
    const char *sample = NULL;                      /* issue 13: wavetable's, convolve's (graph_wavconv.c) */
    struct lang_pos sample_at = at;
    const void *data = NULL;
    if (fn->cls == SF_WAVCONV && wavconv_sample_arg(c, &fc, &sample, &sample_at))
        return -1;
    if (cc_sfn_check(c, f, at))
        return -1;
    if (fn->input && !input) {
        if (fn->cls == SF_ENV) {
            /* an envelope on its own is a signal 0..1: a VCA on a constant 1 */
            struct cval one;
            memset(&one, 0, sizeof one);
            one.k = CV_PX;
            one.px.kind = PX_NUM;
            one.px.num = 1;
            return signal_sfn(c, f, &one, at, out);
        }
        return cc_fail(c, at, "%s processes a signal: chain it, as in  x # %s ...", fn->name, fn->name);
    }
    if (c->ib) {                                    /* instrument mode: a per-voice op */
        int kind = fn->cls == SF_GEN ? VO_OSC : fn->cls == SF_FILTER ? VO_FILTER : fn->cls == SF_ENV ? VO_ENV
                   : fn->cls == SF_FX ? (fn->op == N_DISTORT ? VO_DISTORT : VO_BITCRUSH) : VO_MATH;
        int op = fn->cls == SF_GAIN ? M_MUL : fn->op;
        int v = cc_vop_add(c, kind, op, at);
        if (v < 0)
            return -1;
        struct vop *o = &c->ib->ops[v];
        int k = 0;
        if (input && vsrc_of(c, input, at, &o->in[k], &o->k[k]))
            return -1;
        if (input)
            k++;
        for (int i = 0; i < fn->nparams && k < VOP_MAX_IN; i++, k++) {
            const struct cval *pv = cc_sfn_param(f, i);
            if (!pv) {
                o->in[k] = VSRC_CONST;
                o->k[k] = fn->def[i];
            } else if (vsrc_of(c, pv, at, &o->in[k], &o->k[k])) {
                return -1;
            }
        }
        if (kind == VO_OSC && fn->op != OSC_NOISE && fn->op != OSC_PINK && fn->op != OSC_BROWN) {
            o->pitched = 1;
            if (c->ib->first_osc < 0) {
                c->ib->first_osc = v;
                c->ib->f0 = (o->in[0] == VSRC_CONST && o->k[0] > 0) ? o->k[0] : 261.63f;
            }
        }
        out->k = CV_VSIG;
        out->node = v;
        return 0;
    }
    int in[GNODE_MAX_IN], nin = 0, nch = 1;
    if (input) {
        if ((in[nin] = signal_of(c, input, at)) < 0)
            return -1;
        nch = cc_nch(c, in[nin++]);
    }
    for (int i = 0; i < fn->nparams; i++)
        if ((in[nin++] = param_node(c, f, i, at)) < 0)
            return -1;
    if (fn->cls == SF_MORE && (dsp_more_flags(fn->op) & DSP_MORE_GATED)) {
        /* issue 13: the first parameter's events as a gate, one more input */
        const struct cval *pv = cc_sfn_param(f, 0);
        if (!pv || pv->k != CV_PX || (pv->px.kind != PX_STR && pv->px.kind != PX_PAT) || !pv->px.pat)
            return cc_fail(c, at, "%s takes a pattern of events first (%s \"1 ~ 1 1\")", fn->name, fn->name);
        int g = cc_node(c, N_PATPARAM, PATPARAM_GATE, 1, NULL, 0, at);
        if (g < 0)
            return -1;
        c->nodes.v[g].pat = pv->px.pat;
        in[nin++] = g;
    }
    int kind, op = fn->op;
    switch (fn->cls) {
    case SF_GEN: kind = N_OSC; break;
    case SF_FILTER: kind = N_FILTER; break;
    case SF_ENV: kind = N_ENV; break;
    case SF_FX: kind = fn->op; op = 0;
        if (kind == N_REVERB || kind == N_PLATE)
            nch = 2;
        break;
    case SF_PAN: kind = N_PAN; nch = 2; break;
    case SF_MORE:                                   /* issue 13: dsp_more.c */
        kind = N_MORE;
        if (dsp_more_flags(op) & DSP_MORE_ST)
            nch = 2;
        else if (!input)
            for (int i = 0; i < nin; i++)
                nch = cc_nch(c, in[i]) > nch ? cc_nch(c, in[i]) : nch;
        break;
    case SF_WAVCONV:                                /* issue 13: a sample's tables */
        kind = op;
        op = 0;
        if (!input)
            nch = cc_nch(c, in[0]);
        if (!(data = wavconv_data(c, kind, sample, sample_at, &nch)))
            return -1;
        break;
    case SF_GAIN: kind = N_MATH; op = M_MUL; break;
    default: kind = N_MATH;
        if (fn->op == M_CLIP || !input) {
            for (int i = 0; i < nin; i++)
                nch = cc_nch(c, in[i]) > nch ? cc_nch(c, in[i]) : nch;
        }
        break;
    }
    int node = cc_node(c, kind, op, nch, in, nin, at);
    if (node < 0)
        return -1;
    c->nodes.v[node].data = data;
    out->k = CV_SIG;
    out->node = node;
    out->nch = nch;
    return 0;
}

/* The MATH op of an arithmetic operator (+ |+ ~+ ...), or -1. */
int signal_math_op(enum lang_op op)
{
    switch (op) {
    case LANG_OP_ADD: case LANG_OP_ADD_L: case LANG_OP_ADD_R: case LANG_OP_ADD_B: case LANG_OP_SIG_ADD:
    case LANG_OP_OVERLAY: return M_ADD;
    case LANG_OP_SUB: case LANG_OP_SUB_L: case LANG_OP_SUB_R: case LANG_OP_SUB_B: case LANG_OP_SIG_SUB: return M_SUB;
    case LANG_OP_MUL: case LANG_OP_MUL_L: case LANG_OP_MUL_R: case LANG_OP_MUL_B: case LANG_OP_SIG_MUL: return M_MUL;
    case LANG_OP_DIV: case LANG_OP_DIV_L: case LANG_OP_DIV_R: case LANG_OP_DIV_B: case LANG_OP_SIG_DIV: return M_DIV;
    default: return -1;
    }
}

/* l op r on audio: a MATH node, or in an instrument a per-voice op (math
 * on shared signals in a parameter stays one graph node). */
int signal_math(struct cc *c, int mop, const struct cval *l, const struct cval *r, struct lang_pos at,
                      struct cval *out)
{
    struct cval lc = *l, rc_ = *r;      /* out may be l or r (t = t * x) */
    l = &lc;
    r = &rc_;
    memset(out, 0, sizeof *out);
    if (c->ib && c->in_param && l->k != CV_VSIG && r->k != CV_VSIG) {
        /* math on shared signals in an instrument's parameter: one graph
         * node for every voice */
        struct ibuild *ib = c->ib;
        c->ib = NULL;
        int rc = signal_math(c, mop, l, r, at, out);
        c->ib = ib;
        return rc;
    }
    if (c->ib) {
        int v = cc_vop_add(c, VO_MATH, mop, at);
        if (v < 0)
            return -1;
        struct vop *o = &c->ib->ops[v];
        if (vsrc_of(c, l, at, &o->in[0], &o->k[0]) || vsrc_of(c, r, at, &o->in[1], &o->k[1]))
            return -1;
        out->k = CV_VSIG;
        out->node = v;
        return 0;
    }
    int in[2];
    if ((in[0] = signal_of(c, l, at)) < 0 || (in[1] = signal_of(c, r, at)) < 0)
        return -1;
    int nch = cc_nch(c, in[0]) > cc_nch(c, in[1]) ? cc_nch(c, in[0]) : cc_nch(c, in[1]);
    int node = cc_node(c, N_MATH, mop, nch, in, 2, at);
    if (node < 0)
        return -1;
    out->k = CV_SIG;
    out->node = node;
    out->nch = nch;
    return 0;
}
