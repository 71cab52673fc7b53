/* graph_compile.c -- .ph AST -> struct program.
 *
 * An expression has a pattern meaning (pat_eval.c) and, where it is heard,
 * a sound meaning; the compiler decides between them as it goes, bottom up.
 * Each AST node evaluates to a `struct cval`:
 *
 *   CV_PX    a value of the pattern language (number, pattern, function ...)
 *   CV_SIG   an audio signal: a graph node
 *   CV_SFN   a sound function and the arguments it has so far (lpf 800,
 *            delay 0.3 0.2, sine 440): applied to an input by `#` or `$`,
 *            or a generator once its arguments are there
 *   CV_VSIG  (instrument mode) a per-voice signal: an op of the instrument
 *
 * Patterns become sound where they meet audio: a control pattern with s,
 * sound or note (PXF_SOUND) becomes a player node, other patterns a
 * parameter signal (a step function of time, or a continuous pattern
 * sampled at control rate). `#` merges controls into a sound pattern while
 * its right side is a per-event control (gain, pan, speed, lpf ...), and
 * turns it into audio when the right side is an effect (delay, reverb ...).
 *
 * Buses are compiled on first use and memoised; a bus that reaches itself
 * reads its own previous block (a FEEDBACK node). A bus named in a pattern
 * (s "~pad(3,8)") is an instrument: its expression is compiled a second time
 * in instrument mode, where oscillators, filters, envelopes and math become
 * per-voice ops, parameters that are patterns or buses stay shared graph
 * nodes, and the first effect that cannot run per voice (delay, reverb ...)
 * starts a chain applied to the sum of that instrument's voices. In the
 * voice's signal path every oscillator is a per-voice op that follows the
 * note: the first one written is set to the note's frequency (its written
 * frequency is instr.f0), the others keep their ratio to it. A function's
 * arguments are parameters (cc.in_param): there a bare sine is Tidal's
 * continuous pattern and sine 2 a shared graph node (an LFO).
 *
 * Sample voices run one filter (lpf, or hpf without lpf) and no band-pass:
 * a filter they cannot run (# lpf .. # hpf .., # bpf ..) stays with the
 * pattern value (cval.post) and becomes a filter on the player's audio.
 *
 * Nodes are appended after their inputs, so the node array is already in
 * evaluation order. Buffers and states are allocated at the end, when the
 * graph is complete, all in the program's arena.
 */
#include "graph.h"
#include "phonon.h"
#include "sample.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- sound functions ------------------------------------------------------- */

enum sf_class { SF_GEN, SF_FILTER, SF_ENV, SF_FX, SF_PAN, SF_GAIN, SF_MATH };

struct sfn {
    const char *name;
    enum sf_class cls;
    int op;                 /* osc_op, filter_op, env_op, math_op, or gnode kind for SF_FX */
    int input;              /* 1: processes an input (chained with # or $) */
    int lane;               /* 1: can run per voice in an instrument */
    int nreq;               /* parameters that must be given */
    int nparams;
    const char *params[6];  /* long names, for :keyword arguments */
    float def[6];
    float range[6][2];      /* ranges of constants: clamped with a warning */
};

#define F 1e6f
static const struct sfn sfns[] = {
    { "sine", SF_GEN, OSC_SINE, 0, 1, 1, 1, { "freq" }, { 261.63f }, { { 0, F } } },
    { "saw", SF_GEN, OSC_SAW, 0, 1, 1, 1, { "freq" }, { 261.63f }, { { 0, F } } },
    { "square", SF_GEN, OSC_SQUARE, 0, 1, 1, 1, { "freq" }, { 261.63f }, { { 0, F } } },
    { "tri", SF_GEN, OSC_TRI, 0, 1, 1, 1, { "freq" }, { 261.63f }, { { 0, F } } },
    { "pulse", SF_GEN, OSC_PULSE, 0, 1, 1, 2, { "freq", "width" }, { 261.63f, 0.5f }, { { 0, F }, { 0.01f, 0.99f } } },
    { "fm", SF_GEN, OSC_FM, 0, 1, 2, 3, { "carrier", "modulator", "index" }, { 261.63f, 261.63f, 1 },
      { { 0, F }, { 0, F }, { 0, 100 } } },
    { "noise", SF_GEN, OSC_NOISE, 0, 1, 0, 0, { 0 }, { 0 }, { { 0, 0 } } },
    { "pink", SF_GEN, OSC_PINK, 0, 1, 0, 0, { 0 }, { 0 }, { { 0, 0 } } },
    { "brown", SF_GEN, OSC_BROWN, 0, 1, 0, 0, { 0 }, { 0 }, { { 0, 0 } } },
    { "lpf", SF_FILTER, FLT_LPF, 1, 1, 1, 2, { "cutoff", "q" }, { 1000, 0.707f }, { { 10, 30000 }, { 0.1f, 50 } } },
    { "hpf", SF_FILTER, FLT_HPF, 1, 1, 1, 2, { "cutoff", "q" }, { 1000, 0.707f }, { { 10, 30000 }, { 0.1f, 50 } } },
    { "bpf", SF_FILTER, FLT_BPF, 1, 1, 1, 2, { "cutoff", "q" }, { 1000, 0.707f }, { { 10, 30000 }, { 0.1f, 50 } } },
    { "notch", SF_FILTER, FLT_NOTCH, 1, 1, 1, 2, { "cutoff", "q" }, { 1000, 0.707f }, { { 10, 30000 }, { 0.1f, 50 } } },
    { "moog", SF_FILTER, FLT_MOOG, 1, 1, 1, 2, { "cutoff", "resonance" }, { 1000, 0.5f }, { { 10, 30000 }, { 0, 1 } } },
    { "adsr", SF_ENV, ENV_ADSR, 1, 1, 0, 4, { "attack", "decay", "sustain", "release" },
      { 0.01f, 0.1f, 0.5f, 0.3f }, { { 0, 60 }, { 0, 60 }, { 0, 1 }, { 0, 60 } } },
    { "ad", SF_ENV, ENV_AD, 1, 1, 0, 2, { "attack", "decay" }, { 0.01f, 0.3f }, { { 0, 60 }, { 0, 60 } } },
    { "ar", SF_ENV, ENV_AR, 1, 1, 0, 2, { "attack", "release" }, { 0.01f, 0.3f }, { { 0, 60 }, { 0, 60 } } },
    { "line", SF_ENV, ENV_LINE, 1, 1, 2, 2, { "from", "to" }, { 0, 1 }, { { -F, F }, { -F, F } } },
    { "perc", SF_ENV, ENV_PERC, 1, 1, 0, 1, { "decay" }, { 0.3f }, { { 0, 60 } } },
    { "delay", SF_FX, N_DELAY, 1, 0, 0, 3, { "time", "feedback", "mix" }, { 0.25f, 0.5f, 0.5f },
      { { 0.0001f, 10 }, { -0.99f, 0.99f }, { 0, 1 } } },
    { "reverb", SF_FX, N_REVERB, 1, 0, 0, 3, { "room_size", "damping", "mix" }, { 0.5f, 0.5f, 0.3f },
      { { 0, 1 }, { 0, 1 }, { 0, 1 } } },
    { "plate", SF_FX, N_PLATE, 1, 0, 0, 6, { "predelay", "decay", "diffusion", "damping", "mod_depth", "mix" },
      { 0, 0.5f, 0.7f, 0.3f, 0.5f, 0.3f }, { { 0, 0.5f }, { 0, 0.99f }, { 0, 1 }, { 0, 1 }, { 0, 1 }, { 0, 1 } } },
    { "distort", SF_FX, N_DISTORT, 1, 1, 0, 2, { "drive", "mix" }, { 2, 1 }, { { 1, 100 }, { 0, 1 } } },
    { "bitcrush", SF_FX, N_BITCRUSH, 1, 1, 0, 2, { "bits", "downsample" }, { 8, 1 }, { { 1, 24 }, { 1, 64 } } },
    { "chorus", SF_FX, N_CHORUS, 1, 0, 0, 3, { "rate", "depth", "mix" }, { 1, 0.5f, 0.5f },
      { { 0.01f, 20 }, { 0, 1 }, { 0, 1 } } },
    { "compress", SF_FX, N_COMPRESS, 1, 0, 0, 5, { "threshold_db", "ratio", "attack", "release", "makeup_db" },
      { -20, 4, 0.01f, 0.1f, 0 }, { { -60, 0 }, { 1, 50 }, { 0.0001f, 1 }, { 0.001f, 5 }, { 0, 40 } } },
    { "limit", SF_FX, N_LIMIT, 1, 0, 0, 1, { "ceiling_db" }, { -1 }, { { -40, 0 } } },
    { "pan", SF_PAN, 0, 1, 0, 0, 1, { "p" }, { 0.5f }, { { 0, 1 } } },
    { "gain", SF_GAIN, M_MUL, 1, 1, 1, 1, { "g" }, { 1 }, { { -F, F } } },
    { "min", SF_MATH, M_MIN, 0, 1, 2, 2, { "a", "b" }, { 0, 0 }, { { -F, F }, { -F, F } } },
    { "max", SF_MATH, M_MAX, 0, 1, 2, 2, { "a", "b" }, { 0, 0 }, { { -F, F }, { -F, F } } },
    { "clip", SF_MATH, M_CLIP, 1, 1, 0, 2, { "lo", "hi" }, { -1, 1 }, { { -F, F }, { -F, F } } },
    { "mtof", SF_MATH, M_MTOF, 0, 1, 1, 1, { "note" }, { 60 }, { { -1e3f, 1e3f } } },
};
#undef F

static const struct { const char *alias, *name; } sfn_aliases[] = {
    { "compressor", "compress" }, { "comp", "compress" }, { "distortion", "distort" },
    { "dist", "distort" }, { "limiter", "limit" }, { "lowpass", "lpf" }, { "highpass", "hpf" },
    { "bandpass", "bpf" }, { "triangle", "tri" }, { "sawtooth", "saw" },
};

static const struct sfn *sfn_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof sfn_aliases / sizeof *sfn_aliases; i++)
        if (strcmp(sfn_aliases[i].alias, name) == 0)
            name = sfn_aliases[i].name;
    for (size_t i = 0; i < sizeof sfns / sizeof *sfns; i++)
        if (strcmp(sfns[i].name, name) == 0)
            return &sfns[i];
    return NULL;
}

/* ---- compile-time values ---------------------------------------------------- */

enum cvk { CV_PX, CV_SIG, CV_SFN, CV_VSIG };

struct carg;

struct cval {
    enum cvk k;
    struct pat_x px;                /* CV_PX */
    int node;                       /* CV_SIG: node; CV_VSIG: op */
    int nch;                        /* CV_SIG: channels */
    const struct sfn *fn;           /* CV_SFN */
    struct carg *args;              /* CV_SFN: arguments given so far */
    int nargs;
    const struct lang_node *ast;    /* the expression this came from */
    /* CV_PX sound pattern: filters on its audio, one per enum post_flt (the
     * rhs of `# hpf ...`), where a voice cannot run them: a voice has one
     * filter (lpf, or hpf without lpf) and no band-pass. NULL: none. */
    const struct lang_node *post[3];
};

enum post_flt { POST_LPF, POST_HPF, POST_BPF };

/* Carry the post filters of the pattern operands a, b (b may be NULL) to
 * the pattern r computed from them: a's first, then what b adds. */
static void post_carry(struct cval *r, const struct cval *a, const struct cval *b)
{
    for (int i = 0; i < 3; i++)
        r->post[i] = a && a->k == CV_PX && a->post[i] ? a->post[i]
                   : b && b->k == CV_PX ? b->post[i] : NULL;
}

struct carg {
    const char *kw;                 /* NULL: positional */
    struct cval v;
    struct lang_pos pos;
};

/* ---- compiler state ------------------------------------------------------------ */

struct cbus {
    const char *name;
    const struct lang_stmt *st;
    int state;                      /* 0 not yet, 1 compiling, 2 done */
    struct cval val;
    int fb;                         /* FEEDBACK node reading this bus, or -1 */
    int used;                       /* referenced by another expression */
    int instr;                      /* its instrument, -1 when not built */
    int instr_state;                /* 0 not yet, 1 building, 2 done */
};

struct nodebuf {                    /* growable arrays (malloc; copied into the arena at the end) */
    struct gnode *v;
    int n, cap;
};

struct ibuild {                     /* an instrument being built */
    struct vop ops[INSTR_MAX_OPS];
    int nops, nstate;
    int first_osc;                  /* -1 until the first oscillator */
    float f0;
    /* the chain after the voice part: applied to the sum of the voices */
    const struct lang_node *post[16];
    int npost;
};

struct sndname {
    const char *name;
    struct lang_pos pos;
};

struct cc {
    struct program *p;
    struct arena *a;
    const struct graph_opts *o;
    struct lang_error *err;
    const struct lang_ast *ast;
    struct nodebuf nodes;
    struct cbus *buses;
    int nbuses;
    struct pat_eval pe;
    const char *stmt_name;          /* for node keys */
    int key_seq[N_KIND_COUNT];
    struct ibuild *ib;              /* instrument mode when not NULL */
    int in_param;                   /* instrument mode: evaluating a function's arguments
                                       (parameters, not the voice's signal path) */
    /* players */
    struct player *players;
    int nplayers, capplayers;
    /* sounds */
    struct sndname *names;
    int nnames, capnames;
    struct instr *instrs;
    const struct lang_node ***posts;    /* per instrument: its chain after the voices */
    int ninstrs, capinstrs;
    struct sound *sounds;
    int nsounds, capsounds;
    int default_instr;
    int depth;
    unsigned warned;                /* per-event controls no voice runs: warned once (bits) */
};

static int cfail(struct cc *c, struct lang_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int cfail(struct cc *c, struct lang_pos at, const char *fmt, ...)
{
    char msg[sizeof c->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lang_error_set(c->err, at, "%s", msg);
    return -1;
}

static void cwarn(struct cc *c, struct lang_pos at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cwarn(struct cc *c, struct lang_pos at, const char *fmt, ...)
{
    struct lang_error w = { .file = c->err->file };
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof w.msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lang_error_set(&w, at, "%s", msg);
    c->p->warnings++;
    if (c->o->warn) {
        c->o->warn(c->o->warn_user, &w);
    } else {
        size_t len;
        const char *src = lang_ast_source(c->ast, &len);
        lang_diag_print(stderr, "warning", &w, src, len);
    }
}

static int oom(struct cc *c, struct lang_pos at) { return cfail(c, at, "out of memory"); }

/* ---- nodes ------------------------------------------------------------------------ */

static int add_node(struct cc *c, int kind, int op, int nch, const int *in, int nin, struct lang_pos at)
{
    if (c->nodes.n == c->nodes.cap) {
        int cap = c->nodes.cap ? c->nodes.cap * 2 : 64;
        if (cap > 2000000)
            return cfail(c, at, "the program has too many signal nodes");
        struct gnode *v = realloc(c->nodes.v, sizeof *v * (size_t)cap);
        if (!v)
            return oom(c, at);
        c->nodes.v = v;
        c->nodes.cap = cap;
    }
    struct gnode *g = &c->nodes.v[c->nodes.n];
    memset(g, 0, sizeof *g);
    g->kind = (uint16_t)kind;
    g->op = (uint16_t)op;
    g->nch = (uint8_t)nch;
    g->nin = (uint8_t)nin;
    for (int i = 0; i < nin; i++)
        g->in[i] = in[i];
    g->aux = g->aux2 = -1;
    char key[160];
    snprintf(key, sizeof key, "%s/%s/%d", c->stmt_name ? c->stmt_name : "?", gnode_kind_name(kind),
             c->key_seq[kind]++);
    g->key = arena_strndup(c->a, key, strlen(key));
    if (!g->key)
        return oom(c, at);
    return c->nodes.n++;
}

static int const_node(struct cc *c, float v, struct lang_pos at)
{
    int n = add_node(c, N_CONST, 0, 1, NULL, 0, at);
    if (n >= 0)
        c->nodes.v[n].c[0] = v;
    return n;
}

static int nch_of(struct cc *c, int node) { return c->nodes.v[node].nch; }

/* ---- values and conversions -------------------------------------------------------- */

static int eval(struct cc *c, const struct lang_node *n, struct cval *out);

static int pat_sets_control(const struct pnode *p, const char *name);

static struct cval px_val(const struct pat_x *x, const struct lang_node *ast)
{
    struct cval v;
    memset(&v, 0, sizeof v);
    v.k = CV_PX;
    v.px = *x;
    v.ast = ast;
    /* a pattern that sets s or note sounds, however it was built: the
     * pattern evaluator does not pass the flag through lists (stack [s "a",
     * s "b"], cat, polymeter ...) */
    if (x->kind == PX_PAT && !(x->flags & PXF_SOUND) && x->pat &&
        (pat_sets_control(x->pat, "s") || pat_sets_control(x->pat, "note")))
        v.px.flags |= PXF_SOUND;
    return v;
}

static int is_px_pattern(const struct cval *v)
{
    return v->k == CV_PX && (v->px.kind == PX_NUM || v->px.kind == PX_STR || v->px.kind == PX_PAT);
}

static int is_sound_px(const struct cval *v)
{
    return is_px_pattern(v) && (v->px.flags & PXF_SOUND);
}

/* A sound function that already is a sound: an oscillator given its
 * arguments, or one that needs none (noise, pink, brown). */
static int is_sound_sfn(const struct cval *v)
{
    return v->k == CV_SFN && (v->nargs || (v->fn->cls == SF_GEN && v->fn->nreq == 0));
}

/* pat_eval, with a clearer message when a sound function (noise, delay ...)
 * is met where a pattern is wanted: the pattern evaluator only knows it as
 * an unknown name. */
static int peval(struct cc *c, const struct lang_node *n, struct pat_x *out)
{
    if (pat_eval(&c->pe, n, out) == 0)
        return 0;
    static const char pre[] = "unknown function '";
    if (strncmp(c->err->msg, pre, sizeof pre - 1) == 0) {
        char name[64];
        const char *b = c->err->msg + sizeof pre - 1, *e = strchr(b, '\'');
        if (e && (size_t)(e - b) < sizeof name) {
            memcpy(name, b, (size_t)(e - b));
            name[e - b] = '\0';
            const struct sfn *fn = sfn_lookup(name);
            if (fn) {
                struct lang_pos at = { c->err->line, c->err->col };
                if (fn->cls == SF_GEN)
                    lang_error_set(c->err, at, "%s is an audio signal; it cannot be used as a pattern here",
                                   fn->name);
                else
                    lang_error_set(c->err, at, "%s is a sound function; it cannot be used as a pattern here",
                                   fn->name);
            } else {
                /* suggest from the sound functions too, as eval() does */
                const char *names[400];
                int k = pat_eval_names(names, 350);
                for (size_t i = 0; i < sizeof sfns / sizeof *sfns && k < 400; i++)
                    names[k++] = sfns[i].name;
                const char *near = lang_suggest(name, names, k);
                struct lang_pos at = { c->err->line, c->err->col };
                lang_error_set(c->err, at, "unknown function '%s'%s%s%s", name, near ? "; did you mean '" : "",
                               near ? near : "", near ? "'?" : "");
            }
        }
    }
    return -1;
}

static int make_player(struct cc *c, const struct pnode *pat, struct lang_pos at);
static int as_px(struct cc *c, const struct cval *v, struct lang_pos at, struct pat_x *out);
static int sfn_finish(struct cc *c, const struct cval *f, const struct cval *input, struct lang_pos at,
                      struct cval *out);

/* The audio signal of a value: node index (>= 0), or -1 with an error. */
static int to_signal(struct cc *c, const struct cval *v, struct lang_pos at)
{
    switch (v->k) {
    case CV_SIG:
        return v->node;
    case CV_VSIG:
        return cfail(c, at, "internal: a per-voice signal outside its instrument");
    case CV_SFN: {
        struct cval r;
        if (v->nargs == 0 && v->fn->cls == SF_GEN && v->fn->nreq > 0 && v->ast && v->ast->kind == LANG_NAME) {
            /* a bare sine/saw/... is Tidal's continuous pattern, 0..1 per cycle */
            struct pat_x x;
            if (as_px(c, v, at, &x))
                return -1;
            r = px_val(&x, v->ast);
            return to_signal(c, &r, at);
        }
        if (sfn_finish(c, v, NULL, at, &r))
            return -1;
        return to_signal(c, &r, at);
    }
    case CV_PX:
        break;
    }
    if (v->px.kind == PX_NUM)
        return const_node(c, (float)v->px.num, at);
    if (v->px.kind == PX_FN || v->px.kind == PX_PARTIAL)
        return cfail(c, at, "this is a pattern transform (a function), not a sound: apply it to a pattern with $");
    if (v->px.kind == PX_LIST || v->px.kind == PX_TUPLE)
        return cfail(c, at, "a list or tuple is not a sound");
    if (v->px.flags & PXF_SOUND) {
        int node = make_player(c, v->px.pat, v->ast && v->ast->pos.line ? v->ast->pos : at);
        for (int i = 0; i < 3 && node >= 0; i++) {
            if (!v->post[i])
                continue;
            struct cval f, in, r;
            memset(&in, 0, sizeof in);
            in.k = CV_SIG;
            in.node = node;
            in.nch = nch_of(c, node);
            if (eval(c, v->post[i], &f))
                return -1;
            if (f.k != CV_SFN || f.fn->cls != SF_FILTER)
                return cfail(c, v->post[i]->pos, "internal: a sound pattern's filter is not a filter");
            if (sfn_finish(c, &f, &in, v->post[i]->pos, &r))
                return -1;
            node = r.node;
        }
        return node;
    }
    int n = add_node(c, N_PATPARAM, 0, 1, NULL, 0, at);
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
    int node = to_signal(c, v, at);
    c->ib = ib;
    if (node < 0)
        return -1;
    if (node > 32000)
        return cfail(c, at, "too many nodes for an instrument parameter");
    *src = (int16_t)(VSRC_NODE_BASE - node);
    return 0;
}

/* ---- players and sounds (defined with the sound resolution below) ---- */

static int resolve_name(struct cc *c, const char *name, struct lang_pos at);

/* ---- sound functions: arguments and nodes ---------------------------------------------- */

/* The value of parameter i of f from the given arguments (positional, then
 * keywords), or NULL when not given. */
static const struct cval *sfn_param(const struct cval *f, int i)
{
    int pos = 0;
    for (int a = 0; a < f->nargs; a++) {
        if (f->args[a].kw) {
            if (strcmp(f->args[a].kw, f->fn->params[i]) == 0)
                return &f->args[a].v;
        } else if (pos++ == i) {
            return &f->args[a].v;
        }
    }
    return NULL;
}

static int sfn_check_args(struct cc *c, const struct cval *f, struct lang_pos at)
{
    int npos = 0;
    for (int a = 0; a < f->nargs; a++) {
        const struct carg *g = &f->args[a];
        if (!g->kw) {
            npos++;
            continue;
        }
        int found = 0;
        for (int i = 0; i < f->fn->nparams; i++)
            found |= strcmp(f->fn->params[i], g->kw) == 0;
        if (!found) {
            const char *near = lang_suggest(g->kw, f->fn->params, f->fn->nparams);
            return cfail(c, g->pos, "%s has no parameter :%s%s%s%s", f->fn->name, g->kw,
                         near ? "; did you mean :" : "", near ? near : "", near ? "?" : "");
        }
    }
    if (npos > f->fn->nparams)
        return cfail(c, at, "%s takes at most %d argument%s, got %d", f->fn->name, f->fn->nparams,
                     f->fn->nparams == 1 ? "" : "s", npos);
    for (int i = 0; i < f->fn->nreq; i++)
        if (!sfn_param(f, i))
            return cfail(c, at, "%s needs its %s (e.g. %s %s)", f->fn->name, f->fn->params[i], f->fn->name,
                         i == 0 ? "440" : "0.5");
    return 0;
}

/* Parameter i as a node (graph mode), with constants clamped to the range. */
static int param_node(struct cc *c, const struct cval *f, int i, struct lang_pos at)
{
    const struct cval *v = sfn_param(f, i);
    float x = f->fn->def[i];
    if (!v)
        return const_node(c, x, at);
    if (v->k == CV_PX && v->px.kind == PX_NUM) {
        x = (float)v->px.num;
        float lo = f->fn->range[i][0], hi = f->fn->range[i][1];
        if (!(x >= lo && x <= hi)) {
            float y = isnan(x) ? lo : x < lo ? lo : hi;
            cwarn(c, v->px.pos, "%s :%s %g is out of range [%g, %g]; using %g", f->fn->name,
                  f->fn->params[i], x, lo, hi, y);
            x = y;
        }
        return const_node(c, x, at);
    }
    return to_signal(c, v, at);
}

/* Build the node (or per-voice op) of a sound function. input: the signal it
 * processes (NULL for generators). */
static int vop_add(struct cc *c, int kind, int op, struct lang_pos at);

static int sfn_finish(struct cc *c, const struct cval *f, const struct cval *input, struct lang_pos at,
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
    if (sfn_check_args(c, f, at))
        return -1;
    if (fn->input && !input) {
        if (fn->cls == SF_ENV) {
            /* an envelope on its own is a signal 0..1: a VCA on a constant 1 */
            struct cval one;
            memset(&one, 0, sizeof one);
            one.k = CV_PX;
            one.px.kind = PX_NUM;
            one.px.num = 1;
            return sfn_finish(c, f, &one, at, out);
        }
        return cfail(c, at, "%s processes a signal: chain it, as in  x # %s ...", fn->name, fn->name);
    }
    if (c->ib) {                                    /* instrument mode: a per-voice op */
        int kind = fn->cls == SF_GEN ? VO_OSC : fn->cls == SF_FILTER ? VO_FILTER : fn->cls == SF_ENV ? VO_ENV
                   : fn->cls == SF_FX ? (fn->op == N_DISTORT ? VO_DISTORT : VO_BITCRUSH) : VO_MATH;
        int op = fn->cls == SF_GAIN ? M_MUL : fn->op;
        int v = vop_add(c, kind, op, at);
        if (v < 0)
            return -1;
        struct vop *o = &c->ib->ops[v];
        int k = 0;
        if (input && vsrc_of(c, input, at, &o->in[k], &o->k[k]))
            return -1;
        if (input)
            k++;
        for (int i = 0; i < fn->nparams && k < VOP_MAX_IN; i++, k++) {
            const struct cval *pv = sfn_param(f, i);
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
        if ((in[nin] = to_signal(c, input, at)) < 0)
            return -1;
        nch = nch_of(c, in[nin++]);
    }
    for (int i = 0; i < fn->nparams; i++)
        if ((in[nin++] = param_node(c, f, i, at)) < 0)
            return -1;
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
    case SF_GAIN: kind = N_MATH; op = M_MUL; break;
    default: kind = N_MATH;
        if (fn->op == M_CLIP || !input) {
            for (int i = 0; i < nin; i++)
                nch = nch_of(c, in[i]) > nch ? nch_of(c, in[i]) : nch;
        }
        break;
    }
    int node = add_node(c, kind, op, nch, in, nin, at);
    if (node < 0)
        return -1;
    out->k = CV_SIG;
    out->node = node;
    out->nch = nch;
    return 0;
}

/* ---- audio math ----------------------------------------------------------------------------- */

static int math_op_of(enum lang_op op)
{
    switch (op) {
    case LANG_OP_ADD: case LANG_OP_ADD_L: case LANG_OP_ADD_R: case LANG_OP_ADD_B: case LANG_OP_SIG_ADD: return M_ADD;
    case LANG_OP_SUB: case LANG_OP_SUB_L: case LANG_OP_SUB_R: case LANG_OP_SUB_B: case LANG_OP_SIG_SUB: return M_SUB;
    case LANG_OP_MUL: case LANG_OP_MUL_L: case LANG_OP_MUL_R: case LANG_OP_MUL_B: case LANG_OP_SIG_MUL: return M_MUL;
    case LANG_OP_DIV: case LANG_OP_DIV_L: case LANG_OP_DIV_R: case LANG_OP_DIV_B: case LANG_OP_SIG_DIV: return M_DIV;
    default: return -1;
    }
}

static int audio_math(struct cc *c, int mop, const struct cval *l, const struct cval *r, struct lang_pos at,
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
        int rc = audio_math(c, mop, l, r, at, out);
        c->ib = ib;
        return rc;
    }
    if (c->ib) {
        int v = vop_add(c, VO_MATH, mop, at);
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
    if ((in[0] = to_signal(c, l, at)) < 0 || (in[1] = to_signal(c, r, at)) < 0)
        return -1;
    int nch = nch_of(c, in[0]) > nch_of(c, in[1]) ? nch_of(c, in[0]) : nch_of(c, in[1]);
    int node = add_node(c, N_MATH, mop, nch, in, 2, at);
    if (node < 0)
        return -1;
    out->k = CV_SIG;
    out->node = node;
    out->nch = nch;
    return 0;
}

/* ---- buses ------------------------------------------------------------------------------------ */

static struct cbus *find_bus(struct cc *c, const char *name)
{
    for (int i = 0; i < c->nbuses; i++)
        if (strcmp(c->buses[i].name, name) == 0)
            return &c->buses[i];
    return NULL;
}

static int unknown_bus(struct cc *c, const char *name, struct lang_pos at)
{
    const char **names = malloc(sizeof *names * (size_t)(c->nbuses ? c->nbuses : 1));
    const char *near = NULL;
    if (names) {
        for (int i = 0; i < c->nbuses; i++)
            names[i] = c->buses[i].name;
        near = lang_suggest(name, names, c->nbuses);
    }
    int r = cfail(c, at, "undefined bus ~%s%s%s%s", name, near ? "; did you mean ~" : "", near ? near : "",
                  near ? "?" : "");
    free(names);
    return r;
}

static int compile_bus(struct cc *c, struct cbus *b, struct lang_pos at, struct cval *out)
{
    if (b->state == 2) {
        *out = b->val;
        return 0;
    }
    if (b->state == 1) {
        /* a bus reaching itself reads its previous block */
        if (c->ib)
            return cfail(c, at, "~%s refers to itself inside an instrument", b->name);
        if (b->fb < 0) {
            int fb = add_node(c, N_FEEDBACK, 0, 2, NULL, 0, at);
            if (fb < 0)
                return -1;
            b->fb = fb;
        }
        memset(out, 0, sizeof *out);
        out->k = CV_SIG;
        out->node = b->fb;
        out->nch = 2;
        return 0;
    }
    b->state = 1;
    const char *saved = c->stmt_name;
    struct ibuild *ib = c->ib;
    int in_param = c->in_param;
    /* the bus's node keys are its name and the path in its own expression,
     * whichever statement compiles it first (state carried on reload) */
    int saved_seq[N_KIND_COUNT];
    memcpy(saved_seq, c->key_seq, sizeof saved_seq);
    memset(c->key_seq, 0, sizeof c->key_seq);
    char name[80];
    snprintf(name, sizeof name, "~%s", b->name);
    c->stmt_name = arena_strndup(c->a, name, strlen(name));
    c->ib = NULL;
    c->in_param = 0;
    struct cval v;
    int rc = eval(c, b->st->expr, &v);
    if (!rc && b->fb >= 0) {
        /* feedback needs the bus as audio (a graph node: still out of any
         * instrument, with the bus's keys) */
        int node = to_signal(c, &v, at);
        if (node < 0) {
            rc = -1;
        } else {
            c->nodes.v[b->fb].aux = node;
            v.k = CV_SIG;
            v.node = node;
            v.nch = nch_of(c, node);
        }
    }
    c->stmt_name = saved;
    c->ib = ib;
    c->in_param = in_param;
    memcpy(c->key_seq, saved_seq, sizeof saved_seq);
    if (rc)
        return -1;
    b->val = v;
    b->state = 2;
    *out = v;
    return 0;
}

static int bus_for_pattern(void *user, const char *name, struct lang_pos pos, struct pat_x *out)
{
    struct cc *c = user;
    struct cbus *b = find_bus(c, name);
    if (!b)
        return unknown_bus(c, name, pos);
    b->used = 1;
    struct cval v;
    if (compile_bus(c, b, pos, &v))
        return -1;
    if (v.k != CV_PX)
        return cfail(c, pos, "~%s is a sound; it cannot be used inside a pattern expression", name);
    *out = v.px;
    return 0;
}

/* ---- instruments ---------------------------------------------------------------------------------- */

static int vop_add(struct cc *c, int kind, int op, struct lang_pos at)
{
    struct ibuild *ib = c->ib;
    if (ib->nops == INSTR_MAX_OPS)
        return cfail(c, at, "the instrument has more than %d operations", INSTR_MAX_OPS);
    static const int nst[] = {
        [VO_OSC] = 6, [VO_FILTER] = 4, [VO_ENV] = 5, [VO_MATH] = 0, [VO_DISTORT] = 0, [VO_BITCRUSH] = 2,
    };
    int need = nst[kind];
    if (ib->nstate + need > INSTR_MAX_STATE)
        return cfail(c, at, "the instrument needs too much state per voice");
    struct vop *o = &ib->ops[ib->nops];
    memset(o, 0, sizeof *o);
    o->kind = (uint16_t)kind;
    o->op = (uint16_t)op;
    for (int i = 0; i < VOP_MAX_IN; i++)
        o->in[i] = VSRC_CONST;
    o->st = (uint16_t)ib->nstate;
    o->nst = (uint16_t)need;
    ib->nstate += need;
    return ib->nops++;
}

/* Is this a chain `x # f` or `f $ x` whose function can run per voice? The
 * first one that cannot starts the part applied to the sum of the voices. */
static const struct sfn *chain_fn(const struct lang_node *rhs)
{
    const struct lang_node *h = rhs;
    while (h->kind == LANG_APP)
        h = h->kids[0];
    return h->kind == LANG_NAME ? sfn_lookup(h->text) : NULL;
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
                return cfail(c, n->pos, "the instrument's chain is too long");
            c->ib->post[c->ib->npost++] = n->kids[1];
            *out = l;
            return 0;
        }
        struct cval f;
        if (eval(c, n->kids[1], &f))
            return -1;
        if (f.k != CV_SFN || !f.fn->input)
            return cfail(c, n->kids[1]->pos, "in an instrument, '#' must be followed by a filter, envelope or effect");
        return sfn_finish(c, &f, &l, n->pos, out);
    }
    return eval(c, n, out);
}

/* A bare oscillator name in an instrument is an oscillator at the note. */
static int bare_osc(struct cc *c, const struct lang_node *n, struct cval *out)
{
    const struct sfn *fn = sfn_lookup(n->text);
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
    return sfn_finish(c, &f, NULL, n->pos, out);
}

static int add_instr(struct cc *c, const char *name, struct ibuild *ib, int out_op, struct lang_pos at)
{
    if (c->ninstrs == c->capinstrs) {
        int cap = c->capinstrs ? c->capinstrs * 2 : 8;
        struct instr *v = realloc(c->instrs, sizeof *v * (size_t)cap);
        const struct lang_node ***pv = realloc(c->posts, sizeof *pv * (size_t)cap);
        if (v)
            c->instrs = v;
        if (pv)
            c->posts = pv;
        if (!v || !pv)
            return oom(c, at);
        c->capinstrs = cap;
    }
    struct vop *ops = ARENA_ARRAY(c->a, struct vop, ib->nops ? ib->nops : 1);
    const struct lang_node **post = ARENA_ARRAY(c->a, const struct lang_node *, ib->npost ? ib->npost : 1);
    if (!ops || !post)
        return oom(c, at);
    memcpy(ops, ib->ops, sizeof *ops * (size_t)ib->nops);
    memcpy(post, ib->post, sizeof *post * (size_t)ib->npost);
    struct instr *in = &c->instrs[c->ninstrs];
    memset(in, 0, sizeof *in);
    in->name = name;
    in->ops = ops;
    in->nops = ib->nops;
    in->nstate = ib->nstate;
    in->out = out_op;
    in->f0 = ib->first_osc >= 0 ? ib->f0 : 261.63f;
    in->post = ib->npost;
    c->posts[c->ninstrs] = post;
    return c->ninstrs++;
}

/* Build the instrument of an expression (a bus's, or a shorthand's). The
 * post chain's AST nodes are left in *ib for the players to apply. */
static int build_instr(struct cc *c, const char *name, const struct lang_node *expr, struct ibuild *ib,
                       struct lang_pos at)
{
    memset(ib, 0, sizeof *ib);
    ib->first_osc = -1;
    struct ibuild *saved = c->ib;
    int in_param = c->in_param;
    c->ib = ib;
    c->in_param = 0;
    struct cval v;
    int rc = instr_expr(c, expr, &v);
    if (!rc && v.k != CV_VSIG) {
        /* a constant or shared signal: an op that passes it through */
        struct cval one;
        memset(&one, 0, sizeof one);
        one.k = CV_PX;
        one.px.kind = PX_NUM;
        one.px.num = 1;
        rc = audio_math(c, M_MUL, &v, &one, at, &v);
    }
    c->ib = saved;
    c->in_param = in_param;
    if (rc)
        return -1;
    return add_instr(c, name, ib, v.node, at);
}

/* ---- evaluation ------------------------------------------------------------------------------------ */

/* Apply a sound function value to one more argument (positional or :kw). */
static int sfn_add_arg(struct cc *c, struct cval *f, const struct cval *arg, const char *kw, struct lang_pos at)
{
    struct carg *args = ARENA_ARRAY(c->a, struct carg, f->nargs + 1);
    if (!args)
        return oom(c, at);
    if (f->nargs)
        memcpy(args, f->args, sizeof *args * (size_t)f->nargs);
    args[f->nargs].kw = kw;
    args[f->nargs].v = *arg;
    args[f->nargs].pos = at;
    f->args = args;
    f->nargs++;
    return 0;
}

static int is_pat_function(const struct cval *v)
{
    return v->k == CV_PX && (v->px.kind == PX_FN || v->px.kind == PX_PARTIAL);
}

/* Turn a value into one the pattern evaluator understands. */
static int as_px(struct cc *c, const struct cval *v, struct lang_pos at, struct pat_x *out)
{
    if (v->k == CV_PX) {
        *out = v->px;
        return 0;
    }
    if (v->k == CV_SFN && v->nargs == 0 && v->fn->cls == SF_GEN && v->fn->nreq == 0)
        return cfail(c, at, "%s is an audio signal, not a pattern: it cannot be used as a pattern here "
                     "(rand and perlin are random patterns)", v->fn->name);
    if (v->k == CV_SFN && v->nargs == 0 && v->fn->cls == SF_GEN && v->ast) {
        /* a bare oscillator name used as a pattern: Tidal's continuous signal */
        struct pat_x x;
        if (peval(c, v->ast, &x) == 0) {
            *out = x;
            return 0;
        }
        return -1;
    }
    return cfail(c, at, "a sound (audio signal) cannot be used as a pattern here");
}

/* Does the expression hold audio that no pattern event can carry: a bus
 * that is a sound, an oscillator given its frequency (sine 2), a sound
 * function that is not also a pattern function (noise, delay ...)? Buses
 * it names are compiled (memoised). -1 on a compile error. */
static int has_audio(struct cc *c, const struct lang_node *n, int depth)
{
    if (!n || depth > PAT_MAX_DEPTH)
        return 0;
    switch (n->kind) {
    case LANG_BUS: {
        struct cbus *b = find_bus(c, n->text);
        if (!b)
            return 0;                   /* the evaluation reports it */
        if (b->state == 1)
            return 1;                   /* itself: a feedback signal */
        b->used = 1;
        struct cval v;
        if (compile_bus(c, b, n->pos, &v))
            return -1;
        return v.k != CV_PX || is_sound_px(&v);
    }
    case LANG_NAME: {
        const struct sfn *fn = sfn_lookup(n->text);
        return fn && !pat_eval_is_builtin(n->text);
    }
    case LANG_APP: {
        const struct sfn *fn = n->kids[0]->kind == LANG_NAME ? sfn_lookup(n->kids[0]->text) : NULL;
        if (fn && fn->cls == SF_GEN && n->nkids > 1)
            return 1;
        break;
    }
    case LANG_STR:
        return 0;
    default:
        break;
    }
    for (int i = 0; i < n->nkids; i++) {
        int r = has_audio(c, n->kids[i], depth + 1);
        if (r)
            return r;
    }
    return 0;
}

/* Does pattern p set control `name` anywhere (FM_CONTROL nodes)? *budget
 * bounds the walk (patterns share subtrees). */
static int pat_sets(const struct pnode *p, const char *name, int depth, int *budget)
{
    if (!p || depth > 2 * PAT_MAX_DEPTH || --*budget < 0)
        return 0;
    if (p->kind == P_FMAP && p->op == FM_CONTROL && p->v.kind == VAL_STR)
        for (const char *k = p->v.u.str; *k; k += strlen(k) + 1)
            if (strcmp(k, name) == 0)
                return 1;
    for (int i = 0; i < p->n; i++)
        if (pat_sets(p->kids[i], name, depth + 1, budget))
            return 1;
    return p->fn && pat_sets(p->fn, name, depth + 1, budget);
}

static int pat_sets_control(const struct pnode *p, const char *name)
{
    int budget = 200000;
    return pat_sets(p, name, 0, &budget);
}

static int sound_kinds(struct cc *c, const struct pnode *pat, struct lang_pos at, int *samples, int *others);

/* `# lpf/hpf/bpf ...` after a sound pattern, where the voices cannot run it:
 * a band-pass, a second filter of the other kind (a sample voice has one
 * filter: lpf, or hpf when there is no lpf), or any filter when the pattern
 * plays no sample (instruments and synths have no per-event filter). Then
 * it is a filter on the pattern's audio, kept with the pattern (cval.post)
 * until it is heard; with constant parameters the same as a filter per
 * voice (the filters are linear). 1: done (*out set), 0: not such a case,
 * -1: error. */
static int chain_post_filter(struct cc *c, const struct lang_node *n, const struct cval *l, const char *head,
                             struct cval *out)
{
    int type = strcmp(head, "lpf") == 0 ? POST_LPF : strcmp(head, "hpf") == 0 ? POST_HPF
             : strcmp(head, "bpf") == 0 ? POST_BPF : -1;
    if (type < 0 || !is_sound_px(l))
        return 0;
    int samples = 0, others = 0;
    if (type != POST_BPF && !l->post[type]) {
        if (sound_kinds(c, l->px.pat, n->pos, &samples, &others))
            return -1;
        if (samples && !pat_sets_control(l->px.pat, type == POST_LPF ? "hcutoff" : "cutoff"))
            return 0;                   /* the sample voices' own filter */
    }
    const struct lang_node *rhs = n->kids[1];
    struct cval f;
    if (eval(c, rhs, &f))
        return -1;
    if (f.k != CV_SFN || f.fn->cls != SF_FILTER)
        return cfail(c, rhs->pos, "%s here must be given its cutoff (e.g. %s 800)", head, head);
    if (sfn_check_args(c, &f, rhs->pos))
        return -1;
    *out = *l;
    out->ast = n;
    out->post[type] = rhs;              /* a later one of the same kind replaces it, as # does */
    return 1;
}

/* `#`: controls merge into a sound pattern; effects process audio. */
static int chain(struct cc *c, const struct lang_node *n, struct cval *out)
{
    const struct lang_node *rhs = n->kids[1];
    struct cval l;
    if (eval(c, n->kids[0], &l))
        return -1;
    const struct lang_node *h = rhs;
    while (h->kind == LANG_APP)
        h = h->kids[0];
    const char *head = h->kind == LANG_NAME ? h->text : NULL;
    int control = head && pat_eval_is_builtin(head) == 2;
    /* A bare oscillator chained into note: an instrument shorthand. */
    if (head && strcmp(head, "note") == 0 &&
        ((l.k == CV_SFN && l.fn->cls == SF_GEN) || (l.k == CV_PX && (l.px.flags & PXF_BAREOSC)))) {
        struct ibuild *ib = malloc(sizeof *ib);
        if (!ib)
            return oom(c, n->pos);
        char name[64];
        snprintf(name, sizeof name, "~@%d:%d", n->pos.line, n->pos.col);
        const char *iname = arena_strndup(c->a, name, strlen(name));
        int idx = iname ? build_instr(c, iname, n->kids[0], ib, n->pos) : oom(c, n->pos);
        free(ib);
        if (idx < 0)
            return -1;
        struct pat_x notes, s, r;
        if (peval(c, rhs, &notes))
            return -1;
        /* note ... # s "~@line:col" */
        struct pat_x sname;
        memset(&sname, 0, sizeof sname);
        sname.kind = PX_PAT;
        sname.pat = pat_control(c->a, "s\0n\0gain\0", 0, pat_pure(c->a, val_str(iname)));
        sname.flags = PXF_SOUND;
        s = sname;
        if (!s.pat || pat_eval_binop(&c->pe, LANG_OP_CHAIN, &notes, &s, n->pos, &r))
            return -1;
        if (c->nsounds == c->capsounds) {
            int cap = c->capsounds ? c->capsounds * 2 : 16;
            struct sound *v = realloc(c->sounds, sizeof *v * (size_t)cap);
            if (!v)
                return oom(c, n->pos);
            c->sounds = v;
            c->capsounds = cap;
        }
        struct sound *snd = &c->sounds[c->nsounds++];
        memset(snd, 0, sizeof *snd);
        snd->name = iname;
        snd->kind = SND_INSTR;
        snd->instr = idx;
        *out = px_val(&r, n);
        return 0;
    }
    /* a control that is also a sound function (lpf, hpf, gain, pan ...)
     * given a signal (~c # lpf (~lfo * 100 + 200)): no event can carry the
     * signal, so it is the sound function, on the pattern's audio */
    int signal_args = 0;
    if (control && head && sfn_lookup(head) && sfn_lookup(head)->input && l.k == CV_PX &&
        l.px.kind != PX_FN && l.px.kind != PX_PARTIAL && !c->ib && rhs != h) {
        if ((signal_args = has_audio(c, rhs, 0)) < 0)
            return -1;
    }
    if (control && !signal_args && !c->ib) {
        int r = chain_post_filter(c, n, &l, head, out);
        if (r)
            return r < 0 ? -1 : 0;
    }
    if (l.k == CV_PX && l.px.kind != PX_FN && l.px.kind != PX_PARTIAL && !c->ib && !signal_args &&
        (control || !head || !sfn_lookup(head))) {
        /* pattern world: controls (and anything that is not a sound function) */
        struct pat_x r, x;
        if (peval(c, rhs, &r) || as_px(c, &l, n->pos, &x))
            return -1;
        struct pat_x res;
        if (pat_eval_binop(&c->pe, LANG_OP_CHAIN, &x, &r, n->pos, &res)) {
            if ((n->flags & LANG_F_LINE_START) && !c->err->hint[0])
                snprintf(c->err->hint, sizeof c->err->hint, "comments start with '--'");
            return -1;
        }
        *out = px_val(&res, n);
        post_carry(out, &l, NULL);
        return 0;
    }
    struct cval f;
    if (eval(c, rhs, &f)) {
        if ((n->flags & LANG_F_LINE_START) && !c->err->hint[0])
            snprintf(c->err->hint, sizeof c->err->hint, "comments start with '--'");
        return -1;
    }
    if (f.k != CV_SFN || !f.fn->input) {
        if (f.k == CV_SFN)
            return cfail(c, rhs->pos, "%s makes a sound of its own; '#' needs a filter, envelope or effect here",
                         f.fn->name);
        return cfail(c, rhs->pos, "'#' after a sound needs an effect, filter or envelope (like lpf 800)");
    }
    return sfn_finish(c, &f, &l, n->pos, out);
}

/* Steps per cycle of a polymeter item, from how it is written: a "..."
 * string (its own count), a number (1), a control of one (s "a b c",
 * n "0 1" ...), a chain or a one-sided operator (the structure's side).
 * 0: unknown. */
static struct rat item_steps(struct cc *c, const struct lang_node *n, int depth)
{
    if (!n || depth > PAT_MAX_DEPTH)
        return rat_int(0);
    switch (n->kind) {
    case LANG_NUM:
        return rat_int(1);
    case LANG_STR: {
        struct pat_x x;
        if (peval(c, n, &x))
            return rat_int(0);
        return x.kind == PX_STR ? x.steps : rat_int(0);
    }
    case LANG_APP:
        if (n->nkids == 2 && n->kids[0]->kind == LANG_NAME && pat_eval_is_builtin(n->kids[0]->text) == 2)
            return item_steps(c, n->kids[1], depth + 1);
        return rat_int(0);
    case LANG_BINOP:
        switch (n->op) {
        case LANG_OP_CHAIN: case LANG_OP_ADD_L: case LANG_OP_SUB_L: case LANG_OP_MUL_L: case LANG_OP_DIV_L:
            return item_steps(c, n->kids[0], depth + 1);
        case LANG_OP_ADD_R: case LANG_OP_SUB_R: case LANG_OP_MUL_R: case LANG_OP_DIV_R:
            return item_steps(c, n->kids[1], depth + 1);
        default:
            return rat_int(0);
        }
    default:
        return rat_int(0);
    }
}

/* polymeter [a, b ...] whose items are not all "..." strings: the pattern
 * evaluator only knows the steps of strings, so polymeter [s "a b c",
 * s "d e"] was silent. Here the steps come from how each item is written;
 * an item whose steps cannot be told is left out, with a warning. 1: done,
 * 0: not this case (plain strings, nested lists: the evaluator's own). */
static int eval_polymeter(struct cc *c, const struct lang_node *n, struct cval *out)
{
    const struct lang_node *list = n->kids[1];
    int k = list->nkids;
    int plain = 1;
    for (int i = 0; i < k; i++) {
        if (list->kids[i]->kind == LANG_LIST)
            return 0;
        plain &= list->kids[i]->kind == LANG_STR || list->kids[i]->kind == LANG_NUM;
    }
    if (plain || k == 0)
        return 0;
    const struct pnode **kids = ARENA_ARRAY(c->a, const struct pnode *, k);
    struct rat *steps = ARENA_ARRAY(c->a, struct rat, k);
    if (!kids || !steps)
        return oom(c, n->pos);
    int flags = 0;
    struct cval first;
    memset(&first, 0, sizeof first);
    for (int i = 0; i < k; i++) {
        const struct lang_node *it = list->kids[i];
        struct cval v;
        c->in_param += c->ib != NULL;
        int rc = eval(c, it, &v);
        c->in_param -= c->ib != NULL;
        if (rc)
            return -1;
        if (!is_px_pattern(&v))
            return cfail(c, it->pos, "polymeter takes patterns; this is %s",
                         v.k == CV_PX ? "a function, list or tuple" : "a sound (audio signal)");
        if (i == 0)
            first = v;
        kids[i] = pat_eval_as_pattern(&c->pe, &v.px);
        if (!kids[i])
            return oom(c, it->pos);
        steps[i] = v.px.kind == PX_STR ? v.px.steps : v.px.kind == PX_NUM ? rat_int(1) : item_steps(c, it, 0);
        flags |= v.px.flags;
        if (steps[i].n <= 0)
            cwarn(c, it->pos, "polymeter cannot tell how many steps this pattern has per cycle (it can for "
                  "\"...\" strings and controls of one, like s \"a b c\"), so it is left out");
    }
    struct pat_x x;
    memset(&x, 0, sizeof x);
    x.kind = PX_PAT;
    x.pos = n->pos;
    x.flags = flags & PXF_SOUND;
    x.pat = pat_polymeter(c->a, kids, steps, k);
    if (!x.pat)
        return oom(c, n->pos);
    *out = px_val(&x, n);
    post_carry(out, &first, NULL);
    return 1;
}

static int eval_app(struct cc *c, const struct lang_node *n, struct cval *out)
{
    if (n->nkids == 2 && n->kids[0]->kind == LANG_NAME && strcmp(n->kids[0]->text, "polymeter") == 0 &&
        n->kids[1]->kind == LANG_LIST) {
        int r = eval_polymeter(c, n, out);
        if (r)
            return r < 0 ? -1 : 0;
    }
    struct cval f;
    const struct sfn *head = n->kids[0]->kind == LANG_NAME ? sfn_lookup(n->kids[0]->text) : NULL;
    if (head && head->cls == SF_GEN) {
        /* an oscillator given its arguments (not a bare one at the note) */
        memset(&f, 0, sizeof f);
        f.k = CV_SFN;
        f.fn = head;
        f.ast = n->kids[0];
    } else if (eval(c, n->kids[0], &f)) {
        return -1;
    }
    for (int i = 1; i < n->nkids; i++) {
        const struct lang_node *an = n->kids[i];
        const char *kw = NULL;
        if (an->kind == LANG_KWARG) {
            kw = an->text;
            an = an->kids[0];
        }
        struct cval a;
        c->in_param += c->ib != NULL;
        int arc = eval(c, an, &a);
        c->in_param -= c->ib != NULL;
        if (arc)
            return -1;
        if (f.k == CV_SFN) {
            if (sfn_add_arg(c, &f, &a, kw, an->pos))
                return -1;
            continue;
        }
        if (kw)
            return cfail(c, n->kids[i]->pos, "keyword arguments (:%s) are for sound functions", kw);
        if (is_pat_function(&f)) {
            /* range lo hi <audio>: signal math */
            if ((a.k == CV_SIG || a.k == CV_VSIG || is_sound_sfn(&a)) && f.px.kind == PX_PARTIAL && f.px.nargs == 2 &&
                n->kids[0]->kind == LANG_NAME && strcmp(n->kids[0]->text, "range") == 0) {
                struct cval lo = px_val(&f.px.args[0], NULL), hi = px_val(&f.px.args[1], NULL);
                /* sig in -1..1 -> lo..hi: (sig + 1) * (hi - lo) / 2 + lo */
                struct cval one, half, t, span;
                memset(&one, 0, sizeof one);
                one.k = CV_PX;
                one.px.kind = PX_NUM;
                one.px.num = 1;
                half = one;
                half.px.num = 0.5;
                if (audio_math(c, M_ADD, &a, &one, an->pos, &t) ||
                    audio_math(c, M_SUB, &hi, &lo, an->pos, &span) ||
                    audio_math(c, M_MUL, &t, &span, an->pos, &t) ||
                    audio_math(c, M_MUL, &t, &half, an->pos, &t) ||
                    audio_math(c, M_ADD, &t, &lo, an->pos, &f))
                    return -1;
                continue;
            }
            struct pat_x x, r;
            if (as_px(c, &a, an->pos, &x))
                return -1;
            if (pat_eval_apply(&c->pe, &f.px, &x, n->kids[0]->pos, &r))
                return -1;
            struct cval fv = f;
            f = px_val(&r, n);
            post_carry(&f, &a, &fv);
            continue;
        }
        if (f.k == CV_PX)
            return cfail(c, an->pos, "%s is a pattern, not a function, so it cannot take an argument here "
                         "(use '#' to add controls or effects)", n->kids[0]->kind == LANG_NAME ? n->kids[0]->text : "this");
        return cfail(c, an->pos, "a sound is not a function: it cannot take an argument here");
    }
    if (c->ib && !c->in_param && f.k == CV_SFN && f.fn->cls == SF_GEN) {
        /* an oscillator in an instrument's signal path (sine 440, saw "55
         * 110"): a per-voice op now, in the order written, so the first one
         * written is the one the note sets and the others keep their ratio */
        f.ast = n;
        return sfn_finish(c, &f, NULL, n->pos, out);
    }
    *out = f;
    out->ast = n;
    return 0;
}

static int eval_binop(struct cc *c, const struct lang_node *n, struct cval *out)
{
    if (n->op == LANG_OP_CHAIN)
        return chain(c, n, out);
    struct cval l, r;
    if (eval(c, n->kids[0], &l) || eval(c, n->kids[1], &r))
        return -1;
    if (n->op == LANG_OP_APPLY) {
        /* a sound function applied to its input: lpf 800 $ saw 440 */
        if (l.k == CV_SFN && l.fn->input && r.k != CV_SFN)
            return sfn_finish(c, &l, &r, n->pos, out);
        if (r.k == CV_SFN && r.fn->input && l.k != CV_SFN && !is_pat_function(&l))
            return sfn_finish(c, &r, &l, n->pos, out);
        struct pat_x x, y, res;
        if (as_px(c, &l, n->kids[0]->pos, &x) || as_px(c, &r, n->kids[1]->pos, &y))
            return -1;
        if (pat_eval_binop(&c->pe, n->op, &x, &y, n->pos, &res))
            return -1;
        *out = px_val(&res, n);
        post_carry(out, &l, &r);
        return 0;
    }
    int mop = math_op_of(n->op);
    int sig_op = n->op == LANG_OP_SIG_ADD || n->op == LANG_OP_SIG_SUB || n->op == LANG_OP_SIG_MUL ||
                 n->op == LANG_OP_SIG_DIV;
    int audio = sig_op || l.k == CV_SIG || r.k == CV_SIG || l.k == CV_VSIG || r.k == CV_VSIG ||
                is_sound_sfn(&l) || is_sound_sfn(&r) || is_sound_px(&l) || is_sound_px(&r);
    if (audio && mop >= 0)
        return audio_math(c, mop, &l, &r, n->pos, out);
    struct pat_x x, y, res;
    if (as_px(c, &l, n->kids[0]->pos, &x) || as_px(c, &r, n->kids[1]->pos, &y))
        return -1;
    if (pat_eval_binop(&c->pe, n->op, &x, &y, n->pos, &res))
        return -1;
    *out = px_val(&res, n);
    post_carry(out, &l, &r);
    return 0;
}

static int eval(struct cc *c, const struct lang_node *n, struct cval *out)
{
    memset(out, 0, sizeof *out);
    out->ast = n;
    if (++c->depth > PAT_MAX_DEPTH) {
        c->depth--;
        return cfail(c, n->pos, "the expression is nested too deeply");
    }
    int rc = 0;
    switch (n->kind) {
    case LANG_NAME: {
        const struct sfn *fn = sfn_lookup(n->text);
        int pb = pat_eval_is_builtin(n->text);
        if (fn && c->ib && !c->in_param && fn->cls == SF_GEN) {
            /* in an instrument's signal path: an oscillator at the note; as
             * a parameter, a bare sine is Tidal's continuous pattern */
            rc = bare_osc(c, n, out);
            break;
        }
        if (fn && !(pb && (fn->cls == SF_FILTER || fn->cls == SF_ENV || fn->cls == SF_PAN || fn->cls == SF_GAIN))) {
            out->k = CV_SFN;
            out->fn = fn;
            out->ast = n;
            break;
        }
        if (!pb && !fn) {
            const char *names[400];
            int k = pat_eval_names(names, 350);
            for (size_t i = 0; i < sizeof sfns / sizeof *sfns && k < 400; i++)
                names[k++] = sfns[i].name;
            const char *near = lang_suggest(n->text, names, k);
            rc = cfail(c, n->pos, "unknown function '%s'%s%s%s", n->text, near ? "; did you mean '" : "",
                       near ? near : "", near ? "'?" : "");
            break;
        }
        if (fn && pb) {
            /* lpf, gain, pan, ar, adsr: controls of a sound pattern and
             * sound functions; which one is decided where they are used */
            out->k = CV_SFN;
            out->fn = fn;
            out->ast = n;
            break;
        }
        struct pat_x x;
        rc = peval(c, n, &x);
        if (!rc)
            *out = px_val(&x, n);
        break;
    }
    case LANG_BUS: {
        struct cbus *b = find_bus(c, n->text);
        if (!b) {
            rc = unknown_bus(c, n->text, n->pos);
            break;
        }
        b->used = 1;
        rc = compile_bus(c, b, n->pos, out);
        if (!rc && c->ib && (out->k == CV_SIG || out->k == CV_PX)) {
            /* a bus inside an instrument is a shared signal or pattern: keep it */
        }
        break;
    }
    case LANG_APP:
        rc = eval_app(c, n, out);
        break;
    case LANG_BINOP:
        rc = eval_binop(c, n, out);
        break;
    case LANG_NEG: {
        struct cval x;
        if ((rc = eval(c, n->kids[0], &x)))
            break;
        if (x.k == CV_SIG || x.k == CV_VSIG || is_sound_sfn(&x) || is_sound_px(&x)) {
            struct cval m;
            memset(&m, 0, sizeof m);
            m.k = CV_PX;
            m.px.kind = PX_NUM;
            m.px.num = -1;
            rc = audio_math(c, M_MUL, &x, &m, n->pos, out);
        } else {
            struct pat_x p;
            rc = peval(c, n, &p);
            if (!rc)
                *out = px_val(&p, n);
        }
        break;
    }
    case LANG_KWARG:
        rc = cfail(c, n->pos, "a keyword argument (:%s) can only follow a sound function", n->text);
        break;
    default: {
        struct pat_x x;
        rc = peval(c, n, &x);
        if (!rc)
            *out = px_val(&x, n);
        break;
    }
    }
    c->depth--;
    return rc;
}

static int cmp_sound(const void *a, const void *b)
{
    return strcmp(((const struct sound *)a)->name, ((const struct sound *)b)->name);
}

/* ---- sounds: what the names under s play --------------------------------------------------------- */

/* A built-in waveform as a sound name (s "saw" # note ...) when no sample
 * folder has that name: an instrument of that one oscillator. */
static int builtin_wave(struct cc *c, const char *name, struct lang_pos at)
{
    static const char *const waves[] = { "sine", "saw", "square", "tri", "triangle", "sawtooth" };
    for (size_t i = 0; i < sizeof waves / sizeof *waves; i++) {
        if (strcmp(waves[i], name))
            continue;
        struct lang_node fake;
        memset(&fake, 0, sizeof fake);
        fake.kind = LANG_NAME;
        fake.text = name;
        fake.pos = at;
        struct ibuild *ib = malloc(sizeof *ib);
        if (!ib)
            return oom(c, at);
        int idx = build_instr(c, name, &fake, ib, at);
        free(ib);
        return idx;
    }
    return -2;
}

static int unknown_sample(struct cc *c, const char *name, struct lang_pos at, int *silent)
{
    const char *const *bnames = NULL;
    int nb = c->o->bank ? sample_bank_names(c->o->bank, &bnames) : 0;
    if (nb < 0)
        nb = 0;
    const char **all = malloc(sizeof *all * (size_t)(nb + DSP_SYNTH_KINDS + c->nbuses + 1));
    const char *near = NULL;
    char list[200] = "";
    if (all) {
        int k = 0;
        for (int j = 0; j < nb; j++)
            all[k++] = bnames[j];
        for (int j = 0; j < DSP_SYNTH_KINDS; j++)
            all[k++] = dsp_synth_kind_name(j);
        near = lang_suggest(name, all, k);
        /* a few names sharing the first letter, to show what there is */
        size_t o = 0;
        for (int j = 0, shown = 0; j < nb && shown < 8 && o < sizeof list - 40; j++)
            if (bnames[j][0] == name[0] && (!near || strcmp(bnames[j], near)))
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", shown++ ? ", " : "", bnames[j]);
    }
    int rc = 0;
    char near_txt[160] = "";
    if (near && list[0])
        snprintf(near_txt, sizeof near_txt, " (did you mean '%s'? other names: %s)", near, list);
    else if (near)
        snprintf(near_txt, sizeof near_txt, " (did you mean '%s'?)", near);
    else if (list[0])
        snprintf(near_txt, sizeof near_txt, " (names starting alike: %s)", list);
    if (c->o->allow_missing) {
        cwarn(c, at, "unknown sample name '%s' plays silence%s", name, near_txt);
        *silent = 1;
    } else {
        rc = cfail(c, at, "unknown sample name '%s'%s", name, near_txt);
        if (!c->o->bank)
            snprintf(c->err->hint, sizeof c->err->hint, "no sample folders were found (--samples DIR)");
        else
            snprintf(c->err->hint, sizeof c->err->hint, "'phonon samples' lists the names; "
                     "--allow-missing plays unknown names as silence");
    }
    free(all);
    return rc;
}

/* The sound a name plays, resolved (and its samples loaded) once. Returns
 * its index in c->sounds, or -1 with an error. */
static int resolve_name(struct cc *c, const char *name, struct lang_pos at)
{
    for (int i = 0; i < c->nsounds; i++)
        if (strcmp(c->sounds[i].name, name) == 0)
            return i;
    struct sound snd;
    memset(&snd, 0, sizeof snd);
    snd.name = name;
    snd.kind = SND_SILENT;
    if (name[0] == '~') {
        struct cbus *b = find_bus(c, name + 1);
        if (!b)
            return unknown_bus(c, name + 1, at);
        b->used = 1;
        if (b->instr_state == 1)
            return cfail(c, at, "the instrument ~%s plays itself", name + 1);
        if (b->instr_state == 0) {
            b->instr_state = 1;
            struct ibuild *ib = malloc(sizeof *ib);
            if (!ib)
                return oom(c, at);
            const char *saved = c->stmt_name;
            int saved_seq[N_KIND_COUNT];    /* the statement's keys go on after the instrument's */
            memcpy(saved_seq, c->key_seq, sizeof saved_seq);
            char iname[96];             /* keys apart from the bus's own nodes */
            snprintf(iname, sizeof iname, "%s#voice", name);
            c->stmt_name = arena_strndup(c->a, iname, strlen(iname));
            memset(c->key_seq, 0, sizeof c->key_seq);
            b->instr = c->stmt_name ? build_instr(c, name, b->st->expr, ib, b->st->pos) : oom(c, at);
            c->stmt_name = saved;
            memcpy(c->key_seq, saved_seq, sizeof saved_seq);
            free(ib);
            if (b->instr < 0)
                return -1;
            b->instr_state = 2;
        }
        snd.kind = SND_INSTR;
        snd.instr = b->instr;
    } else if (dsp_synth_kind_from_name(name) >= 0) {
        snd.kind = SND_SYNTH;
        snd.synth = dsp_synth_kind_from_name(name);
    } else {
        struct sample_error serr = { 0 };
        const struct sample_set *set = c->o->bank ? sample_bank_lookup(c->o->bank, name, &serr) : NULL;
        if (set) {
            snd.kind = SND_SAMPLE;
            snd.set = set;
        } else if (c->o->bank && serr.code && serr.code != PHONON_ENOENT) {
            return cfail(c, at, "%s", serr.msg);
        } else if (c->o->bank && serr.code == PHONON_ENOENT && sample_bank_has_folder(c->o->bank, name)) {
            /* the folder is there, with nothing playable in it */
            cfail(c, at, "%s", serr.msg);
            snprintf(c->err->hint, sizeof c->err->hint, "put audio files in that folder, or remove it");
            return -1;
        } else {
            int w = builtin_wave(c, name, at);
            if (w == -1)
                return -1;
            if (w >= 0) {
                snd.kind = SND_INSTR;
                snd.instr = w;
            } else {
                int silent = 0;
                if (unknown_sample(c, name, at, &silent))
                    return -1;
            }
        }
    }
    if (c->nsounds == c->capsounds) {
        int cap = c->capsounds ? c->capsounds * 2 : 16;
        struct sound *v = realloc(c->sounds, sizeof *v * (size_t)cap);
        if (!v)
            return oom(c, at);
        c->sounds = v;
        c->capsounds = cap;
    }
    c->sounds[c->nsounds] = snd;
    return c->nsounds++;
}

/* The names an s control can take: every string atom under an s/sound
 * control of the pattern (and the first element of ':' lists). */
struct names {
    const char *v[256];
    struct lang_pos pos[256];           /* where each is written (0:0 unknown) */
    int n;
};

static void collect_sounds(const struct pnode *p, int under_s, struct names *out, int depth)
{
    if (!p || depth > 2 * PAT_MAX_DEPTH)
        return;
    if (p->kind == P_FMAP && p->op == FM_CONTROL)
        under_s = strcmp(p->v.u.str, "s") == 0;
    if (under_s && p->kind == P_PURE) {
        const char *name = p->v.kind == VAL_STR ? p->v.u.str
                         : p->v.kind == VAL_LIST && p->v.n && p->v.u.list[0].kind == VAL_STR ? p->v.u.list[0].u.str
                         : NULL;
        int seen = 0;
        for (int i = 0; name && i < out->n; i++)
            seen |= strcmp(out->v[i], name) == 0;
        if (name && !seen && out->n < (int)(sizeof out->v / sizeof *out->v)) {
            out->pos[out->n].line = p->line;
            out->pos[out->n].col = p->col;
            out->v[out->n++] = name;
        }
    }
    for (int i = 0; i < p->n; i++)
        collect_sounds(p->kids[i], under_s, out, depth + 1);
    if (p->fn)
        collect_sounds(p->fn, under_s, out, depth + 1);
}

/* What the names a sound pattern plays are: *samples when one is a sample
 * folder, *others when one is an instrument or a synth (or, with no name,
 * the default instrument). Resolves them (once). */
static int sound_kinds(struct cc *c, const struct pnode *pat, struct lang_pos at, int *samples, int *others)
{
    struct names *names = malloc(sizeof *names);
    if (!names)
        return oom(c, at);
    names->n = 0;
    collect_sounds(pat, 0, names, 0);
    *samples = 0;
    *others = names->n == 0;
    for (int i = 0; i < names->n; i++) {
        int si = resolve_name(c, names->v[i], names->pos[i].line ? names->pos[i] : at);
        if (si < 0) {
            free(names);
            return -1;
        }
        *samples |= c->sounds[si].kind == SND_SAMPLE;
        *others |= c->sounds[si].kind == SND_INSTR || c->sounds[si].kind == SND_SYNTH;
    }
    free(names);
    return 0;
}

/* A player node for a sound pattern, then, for each instrument it plays
 * that has a chain after its voices, a VOICESUM node with that chain, all
 * mixed. Returns the node that carries the player's sound. */
static int make_player(struct cc *c, const struct pnode *pat, struct lang_pos at)
{
    struct names *names = malloc(sizeof *names);
    if (!names)
        return oom(c, at);
    names->n = 0;
    collect_sounds(pat, 0, names, 0);
    int samples = 0, others = names->n == 0;
    for (int i = 0; i < names->n; i++) {
        int si = resolve_name(c, names->v[i], names->pos[i].line ? names->pos[i] : at);
        if (si < 0) {
            free(names);
            return -1;
        }
        samples |= c->sounds[si].kind == SND_SAMPLE;
        others |= c->sounds[si].kind == SND_INSTR || c->sounds[si].kind == SND_SYNTH;
    }
    /* per-event controls set where chain() could not turn them into filters
     * on the audio (inside lists, stack ...) and that no voice runs */
    if (samples && !(c->warned & 1) && pat_sets_control(pat, "cutoff") && pat_sets_control(pat, "hcutoff")) {
        c->warned |= 1;
        cwarn(c, at, "lpf and hpf set per event on the same samples (inside a list or a function's argument): "
              "a sample voice runs one filter, so only the lpf is heard; put the hpf on the whole sound, "
              "e.g. (stack [..]) # hpf 200");
    }
    if (!(c->warned & 2) && pat_sets_control(pat, "bandf")) {
        c->warned |= 2;
        cwarn(c, at, "bpf set per event (inside a list or a function's argument) does nothing: voices have no "
              "band-pass; put it on the whole sound, e.g. (stack [..]) # bpf 800 2");
    }
    if (others && !(c->warned & 4)) {
        static const char *const sample_only[] = { "cutoff", "hcutoff", "shape", "crush" };
        static const char *const shown[] = { "lpf", "hpf", "shape", "crush" };
        for (int i = 0; i < 4; i++)
            if (pat_sets_control(pat, sample_only[i])) {
                c->warned |= 4;
                cwarn(c, at, "%s per event applies to samples only; instruments and synths played here ignore it%s",
                      shown[i], i < 2 ? " (chain it on the sound: x # lpf ..)" : "");
                break;
            }
    }
    if (c->nplayers == c->capplayers) {
        int cap = c->capplayers ? c->capplayers * 2 : 8;
        struct player *v = realloc(c->players, sizeof *v * (size_t)cap);
        if (!v) {
            free(names);
            return oom(c, at);
        }
        c->players = v;
        c->capplayers = cap;
    }
    int pi = c->nplayers;
    if (c->o->density > 0 && c->o->density != 1) {
        /* profile --capacity: denser patterns, the same sounds */
        struct rat k;
        if (rat_from_double(c->o->density, &k) == 0)
            pat = pat_fast(c->a, k, pat);
    }
    int node = add_node(c, N_PLAYER, 0, 2, NULL, 0, at);
    if (node < 0) {
        free(names);
        return -1;
    }
    struct player *pl = &c->players[c->nplayers++];
    memset(pl, 0, sizeof *pl);
    pl->node = node;
    pl->pat = pat;
    pl->key = c->nodes.v[node].key;
    pl->default_instr = c->default_instr;
    c->nodes.v[node].pat = pat;
    c->nodes.v[node].aux = pi;
    int subs_i[16], subs_n[16], chains[16], nsub = 0;
    for (int i = 0; i < names->n && nsub < 16; i++) {
        int si = resolve_name(c, names->v[i], at);
        const struct sound *snd = &c->sounds[si];
        if (snd->kind != SND_INSTR || !c->instrs[snd->instr].post)
            continue;
        int ii = snd->instr;
        int vs = add_node(c, N_VOICESUM, 0, 2, NULL, 0, at);
        if (vs < 0)
            break;
        c->nodes.v[vs].aux = pi;
        c->nodes.v[vs].aux2 = ii;
        struct cval cur;
        memset(&cur, 0, sizeof cur);
        cur.k = CV_SIG;
        cur.node = vs;
        cur.nch = 2;
        int ok = 1;
        for (int k = 0; k < c->instrs[ii].post && ok; k++) {
            const struct lang_node *f_ast = c->posts[ii][k];
            struct cval f;
            if (eval(c, f_ast, &f)) {
                ok = 0;
                break;
            }
            if (f.k != CV_SFN || !f.fn->input) {
                cfail(c, f_ast->pos, "'#' after a sound needs an effect, filter or envelope");
                ok = 0;
                break;
            }
            ok = sfn_finish(c, &f, &cur, f_ast->pos, &cur) == 0;
        }
        if (!ok) {
            free(names);
            return -1;
        }
        subs_i[nsub] = ii;
        subs_n[nsub] = vs;
        chains[nsub++] = to_signal(c, &cur, at);
    }
    free(names);
    if (nsub == 0)
        return node;
    pl = &c->players[pi];
    int *si = ARENA_ARRAY(c->a, int, nsub), *sn = ARENA_ARRAY(c->a, int, nsub);
    if (!si || !sn)
        return oom(c, at);
    memcpy(si, subs_i, sizeof *si * (size_t)nsub);
    memcpy(sn, subs_n, sizeof *sn * (size_t)nsub);
    pl->sub_instr = si;
    pl->sub_node = sn;
    pl->nsub = nsub;
    /* mix the player's own voices with the chains, GNODE_MAX_IN at a time */
    int acc = node;
    for (int k = 0; k < nsub; k += GNODE_MAX_IN - 1) {
        int in[GNODE_MAX_IN], nin = 0;
        in[nin++] = acc;
        for (int j = k; j < nsub && nin < GNODE_MAX_IN; j++)
            in[nin++] = chains[j];
        acc = add_node(c, N_MIX, 0, 2, in, nin, at);
        if (acc < 0)
            return -1;
    }
    return acc;
}

/* The default instrument: notes without s play a triangle. */
static int default_instr(struct cc *c)
{
    struct lang_node fake;
    memset(&fake, 0, sizeof fake);
    fake.kind = LANG_NAME;
    fake.text = "tri";
    struct ibuild *ib = malloc(sizeof *ib);
    if (!ib)
        return oom(c, fake.pos);
    int idx = build_instr(c, "tri", &fake, ib, fake.pos);
    free(ib);
    return idx;
}

/* ---- node memory ---------------------------------------------------------------------------------------- */

struct osc_state { float ph, ph2; uint32_t rng; float b0, b1, b2; };
struct filt_state { float s[2][4]; };
struct env_state { float lv, st, sl, left, pos; int64_t last; };

/* State size of a node (bytes, including effect memory after the struct). */
/* Node states live in blocks of their own, shared by every program whose
 * node has the same key, kind and size (program_carry_state): a reload
 * hands the new program the very memory the playing one is writing, so it
 * goes on from the exact frame the old one stopped at, with nothing copied
 * on either thread. Only the playing program runs its nodes, so a block is
 * never run twice in a block. A block is freed with the last program that
 * holds it. Control thread only (compile, publish, free). */
struct state_block {
    long refs;
    unsigned char pad[64 - sizeof(long)];       /* the state starts 64-byte aligned */
};

static void *state_new(size_t size)
{
    struct state_block *b = phonon_alloc64(sizeof *b + size);
    if (!b)
        return NULL;
    b->refs = 1;
    return b + 1;
}

static void *state_retain(void *state)
{
    ((struct state_block *)state - 1)->refs++;
    return state;
}

static void state_release(void *state)
{
    if (state && --((struct state_block *)state - 1)->refs == 0)
        free((struct state_block *)state - 1);
}

static size_t state_size(const struct gnode *g, float sr)
{
    switch (g->kind) {
    case N_OSC: return sizeof(struct osc_state);
    case N_FILTER: return sizeof(struct filt_state);
    case N_ENV: return sizeof(struct env_state);
    case N_PATPARAM: return 2 * sizeof(float);
    case N_DELAY: return 2 * FX_STRIDE(sizeof(struct dsp_delay), dsp_delay_size(10, sr));
    case N_REVERB: return sizeof(struct dsp_reverb) + 64 + dsp_reverb_size(sr);
    case N_PLATE: return sizeof(struct dsp_plate) + 64 + dsp_plate_size(sr);
    case N_BITCRUSH: return 2 * sizeof(struct dsp_bitcrush);
    case N_CHORUS: return 2 * FX_STRIDE(sizeof(struct dsp_chorus), dsp_chorus_size(sr));
    case N_COMPRESS: return sizeof(struct dsp_compress);
    case N_LIMIT: return sizeof(struct dsp_limit) + 64 + dsp_limit_size(sr);
    default: return 0;
    }
}

static float *align64(void *p)
{
    return (float *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

void gnode_reset(struct gnode *g)
{
    float sr = g->c[1];                         /* the sample rate, kept for re-init */
    unsigned char *st = g->state;
    if (!st)
        return;
    memset(st, 0, g->state_size);
    switch (g->kind) {
    case N_OSC: {
        /* seeded from the node's key (FNV-1a), never from an address: the
         * same program makes the same noise on every run */
        uint32_t h = 2166136261u;
        for (const char *k = g->key; k && *k; k++)
            h = (h ^ (uint8_t)*k) * 16777619u;
        ((struct osc_state *)st)->rng = dsp_noise_seed(h);
        break;
    }
    case N_DELAY: {
        size_t one = FX_STRIDE(sizeof(struct dsp_delay), dsp_delay_size(10, sr));
        for (int ch = 0; ch < 2; ch++) {
            struct dsp_delay *d = (struct dsp_delay *)(st + ch * one);
            dsp_delay_init(d, align64(d + 1), 10, sr);
        }
        break;
    }
    case N_REVERB: {
        struct dsp_reverb *r = (struct dsp_reverb *)st;
        dsp_reverb_init(r, align64(r + 1), sr);
        break;
    }
    case N_PLATE: {
        struct dsp_plate *r = (struct dsp_plate *)st;
        dsp_plate_init(r, align64(r + 1), sr);
        break;
    }
    case N_BITCRUSH:
        dsp_bitcrush_init((struct dsp_bitcrush *)st);
        dsp_bitcrush_init((struct dsp_bitcrush *)st + 1);
        break;
    case N_CHORUS: {
        size_t one = FX_STRIDE(sizeof(struct dsp_chorus), dsp_chorus_size(sr));
        for (int ch = 0; ch < 2; ch++) {
            struct dsp_chorus *d = (struct dsp_chorus *)(st + ch * one);
            dsp_chorus_init(d, align64(d + 1), ch ? 0.25f : 0, sr);
        }
        break;
    }
    case N_COMPRESS:
        dsp_compress_init((struct dsp_compress *)st, sr);
        break;
    case N_LIMIT: {
        struct dsp_limit *l = (struct dsp_limit *)st;
        dsp_limit_init(l, align64(l + 1), sr);
        break;
    }
    default:
        break;
    }
}

static int allocate(struct cc *c, struct program *p)
{
    struct arena *a = c->a;
    float sr = (float)p->sample_rate;
    int B = p->block;
    p->nnodes = c->nodes.n;
    p->nodes = ARENA_ARRAY(a, struct gnode, p->nnodes ? p->nnodes : 1);
    if (!p->nodes)
        return oom(c, (struct lang_pos){ 0, 0 });
    if (p->nnodes)
        memcpy(p->nodes, c->nodes.v, sizeof *p->nodes * (size_t)p->nnodes);
    for (int i = 0; i < p->nnodes; i++) {
        struct gnode *g = &p->nodes[i];
        g->c[1] = sr;
        g->out[0] = arena_calloc(a, (size_t)B * g->nch, sizeof(float), 64);
        if (!g->out[0])
            return cfail(c, (struct lang_pos){ 0, 0 }, "out of memory for the signal buffers (%d nodes)", p->nnodes);
        g->out[1] = g->nch == 2 ? g->out[0] + B : g->out[0];
        if (g->kind == N_CONST) {
            for (int f = 0; f < B; f++)
                g->out[0][f] = g->c[0];
        }
        g->state_size = state_size(g, sr);
        if (g->state_size) {
            g->state = state_new(g->state_size);
            if (!g->state)
                return cfail(c, (struct lang_pos){ 0, 0 }, "out of memory for the effect states");
            gnode_reset(g);
        }
    }
    /* feedback sources keep last block's output */
    for (int i = 0; i < p->nnodes; i++) {
        struct gnode *g = &p->nodes[i];
        if (g->kind != N_FEEDBACK || g->aux < 0)
            continue;
        struct gnode *src = &p->nodes[g->aux];
        if (!src->prev[0]) {
            src->prev[0] = arena_calloc(a, (size_t)B * 2, sizeof(float), 64);
            if (!src->prev[0])
                return oom(c, (struct lang_pos){ 0, 0 });
            src->prev[1] = src->prev[0] + B;
        }
    }
    p->nscratch = 8;
    p->scratch = arena_calloc(a, (size_t)B * (size_t)p->nscratch, sizeof(float), 64);
    return p->scratch ? 0 : oom(c, (struct lang_pos){ 0, 0 });
}

/* ---- statements --------------------------------------------------------------------------------------- */

/* Controls the pattern language accepts (Tidal/SuperDirt names) that no
 * phonon voice reads: one warning per name, where it is first written. */
static const struct { const char *name, *why; } ignored_controls[] = {
    { "room", "use  # reverb room_size damping mix  on the sound" },
    { "size", "use  # reverb room_size damping mix  on the sound" },
    { "orbit", "phonon has no orbits: route sounds through buses and outputs" },
    { "vowel", "phonon has no formant filter: try  # bpf cutoff q" },
    { "coarse", "try  # crush bits" },
    { "accelerate", "use speed" },
    { "hold", "use legato, or adsr" },
};

static void warn_ignored(struct cc *c, const struct lang_node *n, unsigned *seen, int depth)
{
    if (!n || depth > 4 * PAT_MAX_DEPTH)
        return;
    if (n->kind == LANG_NAME)
        for (size_t i = 0; i < sizeof ignored_controls / sizeof *ignored_controls; i++)
            if (!(*seen >> i & 1) && strcmp(n->text, ignored_controls[i].name) == 0) {
                *seen |= 1u << i;
                cwarn(c, n->pos, "%s is accepted but does nothing in phonon; %s", n->text,
                      ignored_controls[i].why);
            }
    for (int i = 0; i < n->nkids; i++)
        warn_ignored(c, n->kids[i], seen, depth + 1);
}

static int out_index(const struct lang_stmt *st) { return st->out; }

struct program *graph_compile(const struct lang_ast *ast, const struct graph_opts *o, struct lang_error *err)
{
    struct program *p = calloc(1, sizeof *p);
    struct cc c;
    memset(&c, 0, sizeof c);
    if (!p || arena_init(&p->arena, 1 << 16, 1, 0)) {
        free(p);
        lang_error_set(err, (struct lang_pos){ 0, 0 }, "out of memory");
        return NULL;
    }
    c.p = p;
    c.a = &p->arena;
    c.o = o;
    c.err = err;
    c.ast = ast;
    c.pe.a = &p->arena;
    c.pe.err = err;
    c.pe.bus = bus_for_pattern;
    c.pe.user = &c;
    p->sample_rate = o->sample_rate;
    p->block = o->block;
    p->cps = 0.5;
    int nst = lang_ast_count(ast);
    const struct lang_stmt *outs[PROGRAM_OUTPUTS] = { 0 };
    int hushed[PROGRAM_OUTPUTS] = { 0 };
    c.buses = calloc((size_t)(nst ? nst : 1), sizeof *c.buses);
    if (!c.buses)
        goto fail_oom;
    for (int i = 0; i < nst; i++) {
        const struct lang_stmt *st = lang_ast_stmt(ast, i);
        switch (st->kind) {
        case LANG_STMT_TEMPO:
            p->cps = st->cps;
            break;
        case LANG_STMT_BUS: {
            struct cbus *b = find_bus(&c, st->name);
            if (b) {
                cwarn(&c, st->pos, "~%s is defined again; this definition replaces the one at line %d",
                      st->name, b->st->pos.line);
                b->st = st;
                break;
            }
            b = &c.buses[c.nbuses++];
            b->name = st->name;
            b->st = st;
            b->fb = -1;
            b->instr = -1;
            break;
        }
        case LANG_STMT_OUT:
            if (st->out >= 0 && st->out < PROGRAM_OUTPUTS) {
                if (outs[st->out])
                    cwarn(&c, st->pos, "output %s is defined again; this definition replaces the one at line %d",
                          st->out ? "o" : "out", outs[st->out]->pos.line);
                outs[st->out] = st;
            }
            break;
        case LANG_STMT_HUSH:
            if (st->out == 0)
                p->hush = 1;
            else if (st->out > 0 && st->out < PROGRAM_OUTPUTS)
                hushed[st->out] = 1;
            break;
        case LANG_STMT_PANIC:
            p->hush = 1;
            p->panic = 1;
            break;
        case LANG_STMT_EXPR:
            break;
        }
    }
    if (rat_from_double(p->cps, &p->cps_rat) || p->cps_rat.n <= 0) {
        lang_error_set(err, (struct lang_pos){ 1, 1 }, "the tempo must be a positive number");
        goto fail;
    }
    if ((c.default_instr = default_instr(&c)) < 0)
        goto fail;
    unsigned ignored_seen = 0;
    for (int i = 0; i < nst; i++)
        warn_ignored(&c, lang_ast_stmt(ast, i)->expr, &ignored_seen, 0);
    int out_nodes[PROGRAM_OUTPUTS + 64], nouts = 0, any_out = 0;
    for (int i = 0; i < PROGRAM_OUTPUTS; i++) {
        if (!outs[i])
            continue;
        any_out = 1;
        char name[16];
        snprintf(name, sizeof name, i ? "o%d" : "out", i);
        c.stmt_name = arena_strndup(c.a, name, strlen(name));
        memset(c.key_seq, 0, sizeof c.key_seq);
        struct cval v;
        if (eval(&c, outs[out_index(outs[i])]->expr, &v))
            goto fail;
        int node = to_signal(&c, &v, outs[i]->pos);
        if (node < 0)
            goto fail;
        if (!hushed[i])
            out_nodes[nouts++] = node;
    }
    /* no output statement: the buses nobody uses are the output */
    if (!any_out) {
        for (int i = 0; i < c.nbuses; i++) {
            struct cbus *b = &c.buses[i];
            if (b->state == 0) {
                c.stmt_name = NULL;
                struct cval v;
                char name[80];
                snprintf(name, sizeof name, "~%s", b->name);
                c.stmt_name = arena_strndup(c.a, name, strlen(name));
                if (compile_bus(&c, b, b->st->pos, &v))
                    goto fail;
            }
        }
        /* mark uses made by the compile above, then sum the unused ones */
        char listed[200] = "";
        size_t lo = 0;
        for (int i = 0; i < c.nbuses; i++) {
            struct cbus *b = &c.buses[i];
            if (b->used)
                continue;
            int node = to_signal(&c, &b->val, b->st->pos);
            if (node < 0)
                goto fail;
            if (nouts < (int)(sizeof out_nodes / sizeof *out_nodes))
                out_nodes[nouts++] = node;
            if (lo < sizeof listed - 20)
                lo += (size_t)snprintf(listed + lo, sizeof listed - lo, "%s~%s", lo ? ", " : "", b->name);
        }
        if (nouts) {
            struct lang_error w = { .file = err->file };
            lang_error_set(&w, (struct lang_pos){ 1, 1 }, "no output statement: playing %s", listed);
            if (o->warn)
                o->warn(o->warn_user, &w);
        } else {
            cwarn(&c, (struct lang_pos){ 1, 1 }, "nothing to play: the file has no output and no bus");
        }
    }
    /* buses nothing plays: compile them anyway so their errors show, then
     * drop what they added (nothing reads it) */
    for (int i = 0; i < c.nbuses; i++) {
        struct cbus *b = &c.buses[i];
        if (b->state != 0 || b->used)
            continue;
        int keep_nodes = c.nodes.n, keep_players = c.nplayers;
        char name[80];
        snprintf(name, sizeof name, "~%s", b->name);
        c.stmt_name = arena_strndup(c.a, name, strlen(name));
        struct cval v;
        if (compile_bus(&c, b, b->st->pos, &v))
            goto fail;
        if (v.k == CV_SFN && sfn_check_args(&c, &v, b->st->pos))
            goto fail;
        cwarn(&c, b->st->pos, "~%s is never used", b->name);
        c.nodes.n = keep_nodes;
        c.nplayers = keep_players;
    }
    int *outv = ARENA_ARRAY(c.a, int, nouts ? nouts : 1);
    if (!outv)
        goto fail_oom;
    memcpy(outv, out_nodes, sizeof *outv * (size_t)nouts);
    p->outs = outv;
    p->nouts = nouts;
    if (allocate(&c, p))
        goto fail;
    p->nplayers = c.nplayers;
    p->players = ARENA_ARRAY(c.a, struct player, c.nplayers ? c.nplayers : 1);
    p->ninstrs = c.ninstrs;
    struct instr *instrs = ARENA_ARRAY(c.a, struct instr, c.ninstrs ? c.ninstrs : 1);
    struct sound *sounds = ARENA_ARRAY(c.a, struct sound, c.nsounds ? c.nsounds : 1);
    if (!p->players || !instrs || !sounds)
        goto fail_oom;
    if (c.nplayers)
        memcpy(p->players, c.players, sizeof *p->players * (size_t)c.nplayers);
    if (c.ninstrs)
        memcpy(instrs, c.instrs, sizeof *instrs * (size_t)c.ninstrs);
    if (c.nsounds)
        memcpy(sounds, c.sounds, sizeof *sounds * (size_t)c.nsounds);
    qsort(sounds, (size_t)c.nsounds, sizeof *sounds, cmp_sound);
    p->instrs = instrs;
    p->sounds = sounds;
    p->nsounds = c.nsounds;
    atomic_init(&p->voices_alive, 0);
    /* the program holds the samples it plays (sample.h: Memory) */
    p->bank = o->bank;
    for (int i = 0; i < p->nsounds; i++)
        if (sounds[i].kind == SND_SAMPLE)
            sample_bank_hold(p->bank, sounds[i].set);
    sample_bank_compiled(p->bank);
    free(c.nodes.v);
    free(c.buses);
    free(c.players);
    free(c.instrs);
    free(c.posts);
    free(c.sounds);
    return p;
fail_oom:
    lang_error_set(err, (struct lang_pos){ 0, 0 }, "out of memory");
fail:
    free(c.nodes.v);
    free(c.buses);
    free(c.players);
    free(c.instrs);
    free(c.posts);
    free(c.sounds);
    arena_deinit(&p->arena);
    free(p);
    return NULL;
}

void program_free(struct program *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nsounds; i++)
        if (p->sounds[i].kind == SND_SAMPLE)
            sample_bank_release(p->bank, p->sounds[i].set);
    for (int i = 0; i < p->nnodes; i++)
        state_release(p->nodes[i].state);
    arena_deinit(&p->arena);
    free(p);
}

void program_carry_state(struct program *to, const struct program *from)
{
    if (!to || !from)
        return;
    int *pm = ARENA_ARRAY(&to->arena, int, from->nplayers ? from->nplayers : 1);
    if (pm) {
        for (int i = 0; i < from->nplayers; i++) {
            pm[i] = -1;
            for (int k = 0; k < to->nplayers && pm[i] < 0; k++)
                if (strcmp(from->players[i].key, to->players[k].key) == 0)
                    pm[i] = k;
        }
        to->prev_seq = from->seq;
        to->prev_nplayers = from->nplayers;
        to->prev_player = pm;
    }
    if (to->sample_rate != from->sample_rate)
        return;
    for (int i = 0; i < to->nnodes; i++) {
        struct gnode *g = &to->nodes[i];
        if (!g->state || g->kind == N_PATPARAM)
            continue;
        for (int j = 0; j < from->nnodes; j++) {
            const struct gnode *h = &from->nodes[j];
            if (h->state && h->kind == g->kind && h->state_size == g->state_size && strcmp(h->key, g->key) == 0) {
                state_release(g->state);
                g->state = state_retain(h->state);
                break;
            }
        }
    }
}

const char *gnode_kind_name(int kind)
{
#define GNODE_NAME(k, name) name,
    static const char *const names[] = { GNODE_KINDS(GNODE_NAME) };
#undef GNODE_NAME
    return kind >= 0 && kind < N_KIND_COUNT ? names[kind] : "?";
}
