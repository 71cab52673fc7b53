/* graph_cc.c -- the compiler's shared context: values, messages, nodes.
 *
 * What every pass of the compiler uses and nothing more: errors and
 * warnings with positions, appending graph nodes (with their stable keys:
 * statement name, kind, sequence), per-voice ops of the instrument being
 * built, stored instruments and sounds, buses by name, and the small facts
 * about compile-time values (is it a pattern, a sound pattern, a sound
 * function that already sounds?). The pattern meaning of an expression is
 * pat_eval's; cc_peval only rewords its "unknown function" for names that
 * are sound functions.
 *
 * It calls nothing above it (graph_cc.h lists the layers); the name tables
 * (graph_names.c) are below it.
 */
#include "graph_cc.h"
#include "controls.h"
#include "phonon.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int cc_fail(struct cc *c, struct lang_pos at, const char *fmt, ...)
{
    char msg[sizeof c->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lang_error_set(c->err, at, "%s", msg);
    return -1;
}

void cc_warn(struct cc *c, struct lang_pos at, const char *fmt, ...)
{
    struct lang_error w = { .file = c->err->file };
    va_list ap;
    va_start(ap, fmt);
    char msg[sizeof w.msg];
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    lang_error_set(&w, at, "%s", msg);
    lang_ast_locate(c->ast, &w);
    c->p->warnings++;
    if (c->o->warn) {
        c->o->warn(c->o->warn_user, &w);
    } else {
        size_t len;
        const char *src = lang_ast_text(c->ast, &len);
        lang_diag_print(stderr, "warning", &w, src, len);
    }
}

int cc_oom(struct cc *c, struct lang_pos at) { return cc_fail(c, at, "out of memory"); }

int cc_node(struct cc *c, int kind, int op, int nch, const int *in, int nin, struct lang_pos at)
{
    if (c->nodes.n == c->nodes.cap) {
        int cap = c->nodes.cap ? c->nodes.cap * 2 : 64;
        if (cap > 2000000)
            return cc_fail(c, at, "the program has too many signal nodes");
        struct gnode *v = realloc(c->nodes.v, sizeof *v * (size_t)cap);
        if (!v)
            return cc_oom(c, at);
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
        return cc_oom(c, at);
    return c->nodes.n++;
}

int cc_const(struct cc *c, float v, struct lang_pos at)
{
    int n = cc_node(c, N_CONST, 0, 1, NULL, 0, at);
    if (n >= 0)
        c->nodes.v[n].c[0] = v;
    return n;
}

int cc_nch(struct cc *c, int node) { return c->nodes.v[node].nch; }

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

int cc_sets_control(const struct pnode *p, const char *name)
{
    int budget = 200000;
    return pat_sets(p, name, 0, &budget);
}

struct cval cc_px_val(const struct pat_x *x, const struct lang_node *ast)
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
        (cc_sets_control(x->pat, "s") || cc_sets_control(x->pat, "note")))
        v.px.flags |= PXF_SOUND;
    return v;
}

int cc_is_pattern(const struct cval *v)
{
    return v->k == CV_PX && (v->px.kind == PX_NUM || v->px.kind == PX_STR || v->px.kind == PX_PAT);
}

int cc_is_sound_px(const struct cval *v)
{
    return cc_is_pattern(v) && (v->px.flags & PXF_SOUND);
}

/* A sound function that already is a sound: an oscillator given its
 * arguments, or one that needs none (noise, pink, brown). */
int cc_is_sound_sfn(const struct cval *v)
{
    return v->k == CV_SFN && (v->nargs || (v->fn->cls == SF_GEN && v->fn->nreq == 0));
}

int cc_is_function(const struct cval *v)
{
    return v->k == CV_PX && (v->px.kind == PX_FN || v->px.kind == PX_PARTIAL);
}

/* Carry the post filters of the pattern operands a, b (b may be NULL) to
 * the pattern r computed from them: a's first, then what b adds. */
void cc_post_carry(struct cval *r, const struct cval *a, const struct cval *b)
{
    for (int i = 0; i < 3; i++)
        r->post[i] = a && a->k == CV_PX && a->post[i] ? a->post[i]
                   : b && b->k == CV_PX ? b->post[i] : NULL;
}

/* issue 12: why a SuperDirt or Strudel control phonon lacks is refused
 * (controls.h), or NULL. */
const char *cc_control_later(const char *name)
{
#define LATER(n, why) if (strcmp(name, n) == 0) return why;
    PHONON_CONTROLS_LATER(LATER)
#undef LATER
    return NULL;
}

/* pat_eval, with a clearer message when a sound function (noise, delay ...)
 * is met where a pattern is wanted: the pattern evaluator only knows it as
 * an unknown name. */
int cc_peval(struct cc *c, const struct lang_node *n, struct pat_x *out)
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
            const struct sfn *fn = graph_sfn(name);
            const char *later = cc_control_later(name), *oos = graph_out_of_scope(name, 0);
            if (later) {
                struct lang_pos at = { c->err->line, c->err->col };
                lang_error_set(c->err, at, "%s is a SuperDirt/Strudel control phonon does not play yet: %s", name,
                               later);
            } else if (oos) {
                lang_error_set(c->err, (struct lang_pos){ c->err->line, c->err->col }, "%s: %s", name, oos);
            } else if (fn) {
                struct lang_pos at = { c->err->line, c->err->col };
                if (fn->cls == SF_GEN)
                    lang_error_set(c->err, at, "%s is an audio signal; it cannot be used as a pattern here",
                                   fn->name);
                else
                    lang_error_set(c->err, at, "%s is a sound function; it cannot be used as a pattern here",
                                   fn->name);
            } else {
                /* suggest from the sound functions too, as eval() does */
                const char *names[PAT_EVAL_NAMES_MAX];
                int k = pat_eval_names(names, PAT_EVAL_NAMES_MAX / 2);
                k = graph_sfn_names(names, k, PAT_EVAL_NAMES_MAX);
                const char *near = lang_suggest(name, names, k);
                struct lang_pos at = { c->err->line, c->err->col };
                lang_error_set(c->err, at, "unknown function '%s'%s%s%s", name, near ? "; did you mean '" : "",
                               near ? near : "", near ? "'?" : "");
            }
        }
    }
    return -1;
}

/* Turn a value into one the pattern evaluator understands. */
int cc_as_px(struct cc *c, const struct cval *v, struct lang_pos at, struct pat_x *out)
{
    if (v->k == CV_PX) {
        *out = v->px;
        return 0;
    }
    if (v->k == CV_SFN && v->nargs == 0 && v->fn->cls == SF_GEN && v->fn->nreq == 0)
        return cc_fail(c, at, "%s is an audio signal, not a pattern: it cannot be used as a pattern here "
                     "(rand and perlin are random patterns)", v->fn->name);
    if (v->k == CV_SFN && v->nargs == 0 && v->fn->cls == SF_GEN && v->ast) {
        /* a bare oscillator name used as a pattern: Tidal's continuous signal */
        struct pat_x x;
        if (cc_peval(c, v->ast, &x) == 0) {
            *out = x;
            return 0;
        }
        return -1;
    }
    if (v->k == CV_SFN && v->ast && pat_eval_is_builtin(v->fn->name) == 1) {
        /* compress 0.25 0.5 $ rev: the name's pattern transform (compress,
         * not the compressor), where a transform is wanted */
        struct pat_x x;
        struct lang_error saved = *c->err;
        if (cc_peval(c, v->ast, &x) == 0 && (x.kind == PX_FN || x.kind == PX_PARTIAL)) {
            *out = x;
            return 0;
        }
        *c->err = saved;
    }
    return cc_fail(c, at, "a sound (audio signal) cannot be used as a pattern here");
}

/* The value of parameter i of f from the given arguments (positional, then
 * keywords), or NULL when not given. */
const struct cval *cc_sfn_param(const struct cval *f, int i)
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

int cc_sfn_check(struct cc *c, const struct cval *f, struct lang_pos at)
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
            return cc_fail(c, g->pos, "%s has no parameter :%s%s%s%s", f->fn->name, g->kw,
                         near ? "; did you mean :" : "", near ? near : "", near ? "?" : "");
        }
    }
    if (npos > f->fn->nparams)
        return cc_fail(c, at, "%s takes at most %d argument%s, got %d", f->fn->name, f->fn->nparams,
                     f->fn->nparams == 1 ? "" : "s", npos);
    for (int i = 0; i < f->fn->nreq; i++)
        if (!cc_sfn_param(f, i))
            return cc_fail(c, at, "%s needs its %s (e.g. %s %s)", f->fn->name, f->fn->params[i], f->fn->name,
                         i == 0 ? "440" : "0.5");
    return 0;
}

/* Apply a sound function value to one more argument (positional or :kw). */
int cc_sfn_add_arg(struct cc *c, struct cval *f, const struct cval *arg, const char *kw, struct lang_pos at)
{
    struct carg *args = ARENA_ARRAY(c->a, struct carg, f->nargs + 1);
    if (!args)
        return cc_oom(c, at);
    if (f->nargs)
        memcpy(args, f->args, sizeof *args * (size_t)f->nargs);
    args[f->nargs].kw = kw;
    args[f->nargs].v = *arg;
    args[f->nargs].pos = at;
    f->args = args;
    f->nargs++;
    return 0;
}

/* FNV-1a of a bus name. */
static unsigned bus_hash(const char *name)
{
    unsigned h = 2166136261u;
    for (const unsigned char *s = (const unsigned char *)name; *s; s++)
        h = (h ^ *s) * 16777619u;
    return h;
}

/* The slot of name in the bus table: its own, or the empty one it would take. */
static unsigned bus_slot(const struct cc *c, const char *name)
{
    unsigned i = bus_hash(name) & c->bus_mask;
    while (c->bus_slots[i] && strcmp(c->buses[c->bus_slots[i] - 1].name, name) != 0)
        i = (i + 1) & c->bus_mask;
    return i;
}

/* Buses are looked up by hash: compiling n buses is linear in n (a linear
 * search made 40,000 buses take 8 s). */
int cc_buses_init(struct cc *c, int n)
{
    unsigned slots = 16;
    while (slots < 2u * (unsigned)n)
        slots *= 2;
    c->buses = calloc((size_t)(n ? n : 1), sizeof *c->buses);
    c->bus_slots = calloc(slots, sizeof *c->bus_slots);
    c->bus_mask = slots - 1;
    return c->buses && c->bus_slots ? 0 : cc_oom(c, (struct lang_pos){ 0, 0 });
}

struct cbus *cc_find_bus(struct cc *c, const char *name)
{
    if (!c->bus_slots)
        return NULL;
    int k = c->bus_slots[bus_slot(c, name)];
    return k ? &c->buses[k - 1] : NULL;
}

struct cbus *cc_add_bus(struct cc *c, const char *name)
{
    struct cbus *b = &c->buses[c->nbuses++];
    memset(b, 0, sizeof *b);
    b->name = name;
    c->bus_slots[bus_slot(c, name)] = c->nbuses;
    return b;
}

int cc_unknown_bus(struct cc *c, const char *name, struct lang_pos at)
{
    const char *oos = graph_out_of_scope(name, 1);
    if (oos)
        return cc_fail(c, at, "~%s: %s", name, oos);
    const char **names = malloc(sizeof *names * (size_t)(c->nbuses ? c->nbuses : 1));
    const char *near = NULL;
    if (names) {
        for (int i = 0; i < c->nbuses; i++)
            names[i] = c->buses[i].name;
        near = lang_suggest(name, names, c->nbuses);
    }
    int r = cc_fail(c, at, "undefined bus ~%s%s%s%s", name, near ? "; did you mean ~" : "", near ? near : "",
                  near ? "?" : "");
    free(names);
    return r;
}

int cc_vop_add(struct cc *c, int kind, int op, struct lang_pos at)
{
    struct ibuild *ib = c->ib;
    if (ib->nops == INSTR_MAX_OPS)
        return cc_fail(c, at, "the instrument has more than %d operations", INSTR_MAX_OPS);
    static const int nst[] = {
        [VO_OSC] = 6, [VO_FILTER] = 4, [VO_ENV] = 5, [VO_MATH] = 0, [VO_DISTORT] = 0, [VO_BITCRUSH] = 2,
    };
    int need = nst[kind];
    if (ib->nstate + need > INSTR_MAX_STATE)
        return cc_fail(c, at, "the instrument needs too much state per voice");
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

int cc_add_sound(struct cc *c, const struct sound *snd, struct lang_pos at)
{
    if (c->nsounds == c->capsounds) {
        int cap = c->capsounds ? c->capsounds * 2 : 16;
        struct sound *v = realloc(c->sounds, sizeof *v * (size_t)cap);
        if (!v)
            return cc_oom(c, at);
        c->sounds = v;
        c->capsounds = cap;
    }
    c->sounds[c->nsounds] = *snd;
    return c->nsounds++;
}

int cc_add_instr(struct cc *c, const char *name, struct ibuild *ib, int out_op, struct lang_pos at)
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
            return cc_oom(c, at);
        c->capinstrs = cap;
    }
    struct vop *ops = ARENA_ARRAY(c->a, struct vop, ib->nops ? ib->nops : 1);
    const struct lang_node **post = ARENA_ARRAY(c->a, const struct lang_node *, ib->npost ? ib->npost : 1);
    if (!ops || !post)
        return cc_oom(c, at);
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
