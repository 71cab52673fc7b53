/* graph_eval.c -- the evaluation pass: expressions into values, and buses.
 *
 * An expression has a pattern meaning (pat_eval.c) and, where it is heard,
 * a sound meaning; evaluation decides between them as it goes, bottom up,
 * each AST node becoming a struct cval (graph_cc.h). Patterns become sound
 * where they meet audio. `#` merges controls into a sound pattern while its
 * right side is a per-event control (gain, pan, speed, lpf ...), and turns
 * it into audio when the right side is an effect (delay, reverb ...); a
 * filter the voices cannot run stays with the pattern value (cval.post) and
 * becomes a filter on the player's audio.
 *
 * Buses are compiled on first use and memoised; a bus that reaches itself
 * reads its own previous block (a FEEDBACK node).
 *
 * The phonon family's forms (issue 13) are read here where their meaning
 * needs values: arithmetic after a '#' chain scales the chain's output
 * (chain_rhs), an effect bus (~fx $ lpf 800 # hpf 100) runs on what is
 * chained into it, stack [...] and select index a b ... over sounds mix or
 * pick audio, ~add/~sub/~mul/~div are the signal operators as functions,
 * and attack/release on audio are a per-cycle envelope (chain_ar).
 */
#include "graph_cc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int eval_bus(struct cc *c, struct cbus *b, struct lang_pos at, struct cval *out)
{
    if (b->state == 2) {
        *out = b->val;
        return 0;
    }
    if (b->state == 1) {
        /* a bus reaching itself reads its previous block */
        if (c->ib)
            return cc_fail(c, at, "~%s refers to itself inside an instrument", b->name);
        if (b->fb < 0) {
            int fb = cc_node(c, N_FEEDBACK, 0, 2, NULL, 0, at);
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
    if (nest_enter(c, b->name, 0, at))
        return -1;
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
    int rc = eval_expr(c, b->st->expr, &v);
    if (!rc && b->fb >= 0) {
        /* feedback needs the bus as audio (a graph node: still out of any
         * instrument, with the bus's keys) */
        int node = signal_of(c, &v, at);
        if (node < 0) {
            rc = -1;
        } else {
            c->nodes.v[b->fb].aux = node;
            v.k = CV_SIG;
            v.node = node;
            v.nch = cc_nch(c, node);
        }
    }
    c->stmt_name = saved;
    c->ib = ib;
    c->in_param = in_param;
    memcpy(c->key_seq, saved_seq, sizeof saved_seq);
    nest_leave(c, 0);
    if (rc)
        return -1;
    b->val = v;
    b->state = 2;
    *out = v;
    return 0;
}

int eval_bus_for_pattern(void *user, const char *name, struct lang_pos pos, struct pat_x *out)
{
    struct cc *c = user;
    struct cbus *b = cc_find_bus(c, name);
    if (!b)
        return cc_unknown_bus(c, name, pos);
    b->used = 1;
    struct cval v;
    if (eval_bus(c, b, pos, &v))
        return -1;
    if (v.k != CV_PX)
        return cc_fail(c, pos, "~%s is a sound; it cannot be used inside a pattern expression", name);
    *out = v.px;
    return 0;
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
        struct cbus *b = cc_find_bus(c, n->text);
        if (!b)
            return 0;                   /* the evaluation reports it */
        if (b->state == 1)
            return 1;                   /* itself: a feedback signal */
        b->used = 1;
        struct cval v;
        if (eval_bus(c, b, n->pos, &v))
            return -1;
        return v.k != CV_PX || cc_is_sound_px(&v);
    }
    case LANG_NAME: {
        const struct sfn *fn = graph_sfn(n->text);
        return fn && !pat_eval_is_builtin(n->text);
    }
    case LANG_APP: {
        const struct sfn *fn = n->kids[0]->kind == LANG_NAME ? graph_sfn(n->kids[0]->text) : NULL;
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

int eval_has_audio(struct cc *c, const struct lang_node *n)
{
    return has_audio(c, n, 0);
}

/* `# lpf/hpf/bpf ...` after a sound pattern, where the voices cannot run it:
 * a band-pass, a second filter of the other kind (a sample voice has one
 * filter: lpf, or hpf when there is no lpf), or any filter when the pattern
 * plays no sample (instruments and synths have no per-event filter). Then
 * it is a filter on the pattern's audio, kept with the pattern (cval.post)
 * until it is heard; with constant parameters the same as a filter per
 * voice (the filters are linear). 1: done (*out set), 0: not such a case,
 * -1: error. */
static int chain_post_filter(struct cc *c, const struct lang_node *n, const struct cval *l,
                             const struct lang_node *rhs, const char *head, struct cval *out)
{
    int type = strcmp(head, "lpf") == 0 ? POST_LPF : strcmp(head, "hpf") == 0 ? POST_HPF
             : strcmp(head, "bpf") == 0 ? POST_BPF : -1;
    if (type < 0 || !cc_is_sound_px(l))
        return 0;
    int samples = 0, others = 0;
    if (type != POST_BPF && !l->post[type]) {
        if (sound_kinds(c, l->px.pat, n->pos, &samples, &others))
            return -1;
        if (samples && !cc_sets_control(l->px.pat, type == POST_LPF ? "hcutoff" : "cutoff"))
            return 0;                   /* the sample voices' own filter */
    }
    struct cval f;
    if (eval_expr(c, rhs, &f))
        return -1;
    if (f.k != CV_SFN || f.fn->cls != SF_FILTER)
        return cc_fail(c, rhs->pos, "%s here must be given its cutoff (e.g. %s 800)", head, head);
    if (cc_sfn_check(c, &f, rhs->pos))
        return -1;
    *out = *l;
    out->ast = n;
    out->post[type] = rhs;              /* a later one of the same kind replaces it, as # does */
    return 1;
}

/* issue 12: `delay` is SuperDirt's orbit send with one argument (# delay
 * 0.5) and phonon's bus effect with two or more or with keyword arguments
 * (# delay 0.25 0.5 0.3, # delay :time 0.25). issue 11: `clip` likewise is
 * Strudel's legato with one argument (# clip 1) and phonon's sound function
 * with two (# clip -0.5 0.5). issue 12 (h-synthctl): `fm` likewise is
 * Strudel's FM index (fmi) with one argument (# fm 2) and phonon's
 * oscillator fm carrier modulator index otherwise. */
static int bus_form(const char *head, const struct lang_node *rhs)
{
    if (strcmp(head, "delay") != 0 && strcmp(head, "clip") != 0 && strcmp(head, "fm") != 0)
        return 0;
    if (rhs->kind != LANG_APP || rhs->nkids != 2)
        return 1;
    return rhs->kids[1]->kind == LANG_KWARG;
}

/* sound # release R, sound # attack A on audio (not a pattern's events):
 * the phonon family's amplitude envelope per cycle, ar 0.001 R or ar A
 * 0.001 (full level between attack and release, the release ending with the
 * cycle). */
static int chain_ar(struct cc *c, const struct lang_node *n, const struct cval *l, const struct lang_node *rhs,
                    const char *head, struct cval *out)
{
    struct cval f, t, other;
    memset(&f, 0, sizeof f);
    memset(&other, 0, sizeof other);
    f.k = CV_SFN;
    f.fn = graph_sfn("ar");
    f.ast = rhs;
    other.k = CV_PX;
    other.px.kind = PX_NUM;
    other.px.num = 0.001;
    int rel = head[0] == 'r';
    if (eval_expr(c, rhs->kids[1], &t) ||
        cc_sfn_add_arg(c, &f, rel ? &other : &t, NULL, rhs->pos) ||
        cc_sfn_add_arg(c, &f, rel ? &t : &other, NULL, rhs->pos))
        return -1;
    return signal_sfn(c, &f, l, n->pos, out);
}

/* `#`: controls merge into a sound pattern; effects process audio. */
static int chain_to(struct cc *c, const struct lang_node *n, const struct lang_node *lhs, struct cval l,
                    const struct lang_node *rhs, struct cval *out)
{
    const struct lang_node *h = rhs;
    while (h->kind == LANG_APP)
        h = h->kids[0];
    const char *head = h->kind == LANG_NAME ? h->text : NULL;
    int control = head && pat_eval_is_builtin(head) == 2 && !bus_form(head, rhs);
    /* A bare oscillator chained into note: an instrument shorthand. */
    if (head && lhs && strcmp(head, "note") == 0 &&
        ((l.k == CV_SFN && l.fn->cls == SF_GEN) || (l.k == CV_PX && (l.px.flags & PXF_BAREOSC)))) {
        struct ibuild *ib = malloc(sizeof *ib);
        if (!ib)
            return cc_oom(c, n->pos);
        char name[64];
        snprintf(name, sizeof name, "~@%d:%d", n->pos.line, n->pos.col);
        const char *iname = arena_strndup(c->a, name, strlen(name));
        int idx = iname ? instr_build(c, iname, lhs, ib, n->pos) : cc_oom(c, n->pos);
        free(ib);
        if (idx < 0)
            return -1;
        struct pat_x notes, s, r;
        if (cc_peval(c, rhs, &notes))
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
        struct sound snd;
        memset(&snd, 0, sizeof snd);
        snd.name = iname;
        snd.kind = SND_INSTR;
        snd.instr = idx;
        if (cc_add_sound(c, &snd, n->pos) < 0)
            return -1;
        *out = cc_px_val(&r, n);
        return 0;
    }
    /* a control that is also a sound function (lpf, hpf, gain, pan ...)
     * given a signal (~c # lpf (~lfo * 100 + 200)): no event can carry the
     * signal, so it is the sound function, on the pattern's audio */
    int signal_args = 0;
    if (control && head && graph_sfn(head) && graph_sfn(head)->input && l.k == CV_PX &&
        l.px.kind != PX_FN && l.px.kind != PX_PARTIAL && !c->ib && rhs != h) {
        if ((signal_args = has_audio(c, rhs, 0)) < 0)
            return -1;
    }
    if (control && !signal_args && !c->ib) {
        int r = chain_post_filter(c, n, &l, rhs, head, out);
        if (r)
            return r < 0 ? -1 : 0;
    }
    if (l.k == CV_PX && l.px.kind != PX_FN && l.px.kind != PX_PARTIAL && !c->ib && !signal_args &&
        (control || !head || !graph_sfn(head))) {
        /* pattern world: controls (and anything that is not a sound function) */
        struct pat_x r, x;
        if (cc_peval(c, rhs, &r) || cc_as_px(c, &l, n->pos, &x))
            return -1;
        struct pat_x res;
        if (pat_eval_binop(&c->pe, LANG_OP_CHAIN, &x, &r, n->pos, &res)) {
            if ((n->flags & LANG_F_LINE_START) && !c->err->hint[0])
                snprintf(c->err->hint, sizeof c->err->hint, "comments start with '--'");
            return -1;
        }
        *out = cc_px_val(&res, n);
        cc_post_carry(out, &l, NULL);
        return 0;
    }
    struct cval f;
    if (head && (strcmp(head, "attack") == 0 || strcmp(head, "release") == 0) && rhs->kind == LANG_APP &&
        rhs->nkids == 2 && graph_sfn("ar"))
        return chain_ar(c, n, &l, rhs, head, out);
    if (eval_expr(c, rhs, &f)) {
        if ((n->flags & LANG_F_LINE_START) && !c->err->hint[0])
            snprintf(c->err->hint, sizeof c->err->hint, "comments start with '--'");
        return -1;
    }
    if (f.k != CV_SFN || !f.fn->input) {
        if (f.k == CV_SFN && strcmp(f.fn->name, "fm") == 0 && cc_is_sound_px(&l))
            return cc_fail(c, rhs->pos, "fm with two or more arguments is the oscillator (fm carrier modulator "
                           "index), a sound of its own; Strudel's fm of a voice takes one argument (# fm 4 # fmh 2)");
        if (f.k == CV_SFN)
            return cc_fail(c, rhs->pos, "%s makes a sound of its own; '#' needs a filter, envelope or effect here",
                         f.fn->name);
        return cc_fail(c, rhs->pos, "'#' after a sound needs an effect, filter or envelope (like lpf 800)");
    }
    return signal_sfn(c, &f, &l, n->pos, out);
}

static int arith(struct cc *c, const struct lang_node *n, int i, const struct cval *l, const struct cval *r,
                 struct cval *out);

/* The function name an application is headed by (lpf in lpf 800 0.7), or NULL. */
static const char *head_name(const struct lang_node *h)
{
    while (h->kind == LANG_APP)
        h = h->kids[0];
    return h->kind == LANG_NAME ? h->text : NULL;
}

/* An effect that takes its input from '#': a sound function with an input
 * that makes no sound of its own (lpf 800 0.7, delay 0.25 0.5, reverb ...),
 * or attack/release on audio (chain_ar). */
static int is_effect(const struct lang_node *x)
{
    const char *h = head_name(x);
    const struct sfn *fn = h ? graph_sfn(h) : NULL;
    return (fn && fn->input && fn->cls != SF_GEN) || (h && (strcmp(h, "attack") == 0 || strcmp(h, "release") == 0));
}

static int is_arith(const struct lang_node *x)
{
    return x->kind == LANG_BINOP && !(x->flags & LANG_F_PAREN) && signal_math_op(x->op) >= 0;
}

/* The phonon family's effect bus: ~fx $ lpf 2000 0.6 # hpf 100 0.5, an
 * effect or a chain of effects with no input, which x # ~fx runs on x as if
 * written there (as a modifier bus ~fx # ... does: on a sample pattern lpf
 * is the voices' filter). The bus, or NULL. */
static struct cbus *effect_bus(struct cc *c, const struct lang_node *rhs)
{
    struct cbus *b = rhs->kind == LANG_BUS ? cc_find_bus(c, rhs->text) : NULL;
    const struct lang_node *e = b && b->st ? b->st->expr : NULL;
    while (e && e->kind == LANG_BINOP && e->op == LANG_OP_CHAIN && !(e->flags & LANG_F_PAREN))
        e = e->kids[0];
    return e && is_effect(e) ? b : NULL;
}

/* l # rhs, where rhs may be an effect bus (its chain, run on l) or, as the
 * phonon family reads it, arithmetic after the chain: x # lpf 800 0.7 * 0.3
 * parses as x # ((lpf 800 0.7) * 0.3) and means (x # lpf 800 0.7) * 0.3;
 * so does x # lpf 800 * 0.3 + 0.1, term by term from the left. A control
 * on a pattern keeps its pattern meaning (s "bd" # gain 0.5 * 2), but not
 * delay in its bus form (s "bd" # delay 0.3 0.5 * 0.5, bus_form). */
static int chain_rhs(struct cc *c, const struct lang_node *n, const struct lang_node *lhs, struct cval l,
                     const struct lang_node *rhs, struct cval *out)
{
    struct cbus *b = effect_bus(c, rhs);
    if (b) {
        if (++c->depth > PAT_MAX_DEPTH) {
            c->depth--;
            return cc_fail(c, rhs->pos, "~%s runs itself as an effect", b->name);
        }
        b->used = 1;
        const struct lang_node *e = b->st->expr;
        struct cval m;
        int chained = e->kind == LANG_BINOP && e->op == LANG_OP_CHAIN && !(e->flags & LANG_F_PAREN);
        int rc = chained ? chain_rhs(c, n, lhs, l, e->kids[0], &m) || chain_rhs(c, n, NULL, m, e->kids[1], out)
                         : chain_rhs(c, n, lhs, l, e, out);
        c->depth--;
        return rc ? -1 : 0;
    }
    const struct lang_node *first = rhs;
    while (is_arith(first))
        first = first->kids[0];
    const char *h = head_name(first);
    int pattern_world = l.k == CV_PX && h && pat_eval_is_builtin(h) == 2 && !bus_form(h, first);
    if (first != rhs && is_effect(first) && !pattern_world) {
        struct cval acc, r, t;
        if (chain_rhs(c, n, lhs, l, rhs->kids[0], &acc))
            return -1;
        for (int i = 1; i < rhs->nkids; i++) {
            if (eval_expr(c, rhs->kids[i], &r) || arith(c, rhs, i, &acc, &r, &t))
                return -1;
            acc = t;
        }
        *out = acc;
        return 0;
    }
    return chain_to(c, n, lhs, l, rhs, out);
}

int eval_effect_bus(struct cc *c, struct cbus *b)
{
    struct lang_node ref = { .kind = LANG_BUS, .text = b->name };
    return effect_bus(c, &ref) != NULL;
}

static int chain(struct cc *c, const struct lang_node *n, struct cval *out)
{
    struct cval l;
    if (eval_expr(c, n->kids[0], &l))
        return -1;
    return chain_rhs(c, n, n->kids[0], l, n->kids[1], out);
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
        if (cc_peval(c, n, &x))
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
            return item_steps(c, n->kids[n->nkids - 1], depth + 1);   /* the last term's */
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
        return cc_oom(c, n->pos);
    int flags = 0;
    struct cval first;
    memset(&first, 0, sizeof first);
    for (int i = 0; i < k; i++) {
        const struct lang_node *it = list->kids[i];
        struct cval v;
        c->in_param += c->ib != NULL;
        int rc = eval_expr(c, it, &v);
        c->in_param -= c->ib != NULL;
        if (rc)
            return -1;
        if (!cc_is_pattern(&v))
            return cc_fail(c, it->pos, "polymeter takes patterns; this is %s",
                         v.k == CV_PX ? "a function, list or tuple" : "a sound (audio signal)");
        if (i == 0)
            first = v;
        kids[i] = pat_eval_as_pattern(&c->pe, &v.px);
        if (!kids[i])
            return cc_oom(c, it->pos);
        steps[i] = v.px.kind == PX_STR ? v.px.steps : v.px.kind == PX_NUM ? rat_int(1) : item_steps(c, it, 0);
        flags |= v.px.flags;
        if (steps[i].n <= 0)
            cc_warn(c, it->pos, "polymeter cannot tell how many steps this pattern has per cycle (it can for "
                  "\"...\" strings and controls of one, like s \"a b c\"), so it is left out");
    }
    struct pat_x x;
    memset(&x, 0, sizeof x);
    x.kind = PX_PAT;
    x.pos = n->pos;
    x.flags = flags & PXF_SOUND;
    x.pat = pat_polymeter(c->a, kids, steps, k);
    if (!x.pat)
        return cc_oom(c, n->pos);
    *out = cc_px_val(&x, n);
    cc_post_carry(out, &first, NULL);
    return 1;
}

/* ~add a b, ~sub, ~mul, ~div: the phonon family's function forms of ~+ ~-
 * ~* ~/ (sample by sample), where no bus has the name. -1 when it is not one
 * of them (or on an error, then with c->err set: *rc). */
static int signal_fn_form(struct cc *c, const struct lang_node *n, struct cval *out, int *rc)
{
    static const char *const names[] = { "add", "sub", "mul", "div" };
    static const int ops[] = { M_ADD, M_SUB, M_MUL, M_DIV };
    const struct lang_node *h = n->kids[0];
    if (h->kind != LANG_BUS || n->nkids != 3 || cc_find_bus(c, h->text))
        return -1;
    for (int i = 0; i < 4; i++) {
        if (strcmp(h->text, names[i]) != 0)
            continue;
        struct cval a, b;
        *rc = eval_expr(c, n->kids[1], &a) || eval_expr(c, n->kids[2], &b) ||
              signal_math(c, ops[i], &a, &b, n->pos, out) ? -1 : 0;
        return 0;
    }
    return -1;
}

/* stack [a, b ...] where an element is audio (stack [sine 220, sine 440],
 * stack [s "bd(3,8)" # delay 0.3 0.2, ~pad]): the sum of the elements'
 * audio, each with its own chain; in an instrument's signal path, the sum
 * per voice (the peer's ~s: stack [saw 112 + sine 110, ...] played as
 * s "~s"). 1: done, 0: all patterns (the pattern stack), -1: error. */
static int stack_sounds(struct cc *c, const struct lang_node *n, struct cval *out)
{
    const struct lang_node *list = n->kids[1];
    struct cval *v = list->nkids ? ARENA_ARRAY(c->a, struct cval, list->nkids) : NULL;
    int audio = 0;
    if (list->nkids && !v)
        return cc_oom(c, n->pos);
    for (int i = 0; i < list->nkids; i++) {
        if (eval_expr(c, list->kids[i], &v[i]))
            return -1;
        audio |= !cc_is_pattern(&v[i]) || v[i].post[POST_LPF] || v[i].post[POST_HPF] || v[i].post[POST_BPF];
    }
    if (!audio)
        return 0;                       /* the elements made no nodes: evaluated again as patterns */
    for (int i = 0; i < list->nkids; i++) {
        if (cc_is_function(&v[i]))
            return cc_fail(c, list->kids[i]->pos, "stack mixes sounds here; this is a function");
        if (c->ib) {
            /* issue 13: in an instrument, the sum of per-voice signals */
            if (i && signal_math(c, M_ADD, &v[0], &v[i], list->kids[i]->pos, &v[0]))
                return -1;
            continue;
        }
        int node = signal_of(c, &v[i], list->kids[i]->pos);
        if (node < 0)
            return -1;
        v[i].k = CV_SIG;
        v[i].node = node;
        v[i].nch = cc_nch(c, node);
        if (i && signal_math(c, M_ADD, &v[0], &v[i], list->kids[i]->pos, &v[0]))
            return -1;
    }
    *out = v[0];
    out->ast = n;
    return 1;
}

/* select index a b c ...: the phonon family's signal multiplexer, where the
 * inputs are sounds (Tidal's select takes a list, select "<0 1>" [a, b]):
 * the input round(index), counted from 0 and wrapped, for a constant index;
 * for a signal index a chain of if (crossfaded over 5 ms), which holds the
 * first input below 0 and the last above. 1: done, 0: not this case, -1: error. */
static int select_sounds(struct cc *c, const struct lang_node *n, struct cval *out)
{
    int k = n->nkids - 2;
    const struct sfn *iff = graph_sfn("if");
    if (n->kids[2]->kind == LANG_LIST || k < 1 || !iff)
        return 0;
    struct cval *v = ARENA_ARRAY(c->a, struct cval, n->nkids - 1);
    if (!v)
        return cc_oom(c, n->pos);
    int audio = 0;
    for (int i = 0; i <= k; i++) {
        if (eval_expr(c, n->kids[i + 1], &v[i]))
            return -1;
        audio |= i > 0 && !cc_is_pattern(&v[i]) && !cc_is_function(&v[i]);
    }
    if (!audio)
        return 0;
    if (v[0].k == CV_PX && v[0].px.kind == PX_NUM) {
        long i = lround(v[0].px.num) % k;
        *out = v[1 + (i < 0 ? i + k : i)];
        return 1;
    }
    struct cval r = v[1];
    for (int i = 1; i < k; i++) {
        struct cval f, cond, off;
        memset(&f, 0, sizeof f);
        memset(&off, 0, sizeof off);
        f.k = CV_SFN;
        f.fn = iff;
        f.ast = n;
        off.k = CV_PX;
        off.px.kind = PX_NUM;
        off.px.num = i - 1;             /* index - (i - 1) > 0.5: index rounds to i or more */
        if (signal_math(c, M_SUB, &v[0], &off, n->pos, &cond) ||
            cc_sfn_add_arg(c, &f, &cond, NULL, n->pos) || cc_sfn_add_arg(c, &f, &v[i + 1], NULL, n->pos) ||
            cc_sfn_add_arg(c, &f, &r, NULL, n->pos))
            return -1;
        int node = signal_of(c, &f, n->pos);
        if (node < 0)
            return -1;
        memset(&r, 0, sizeof r);
        r.k = CV_SIG;
        r.node = node;
        r.nch = cc_nch(c, node);
    }
    *out = r;
    out->ast = n;
    return 1;
}

/* cat [a, b, c] over sounds: each element's audio in turn, a cycle each, as
 * cat does for patterns: select "<0 1 2>" a b c (crossfaded over 5 ms at
 * the cycle's start). 1: done, 0: not sounds (evaluated again as patterns),
 * -1: error. */
static int cat_sounds(struct cc *c, const struct lang_node *n, struct cval *out)
{
    const struct lang_node *list = n->kids[1];
    int k = list->nkids;
    if (k < 1 || k > 4096)
        return 0;
    struct lang_node *app = ARENA_NEW(c->a, struct lang_node), *sel = ARENA_NEW(c->a, struct lang_node),
                     *idx = ARENA_NEW(c->a, struct lang_node);
    struct lang_node **kids = ARENA_ARRAY(c->a, struct lang_node *, k + 2);
    char *text = ARENA_ARRAY(c->a, char, 6 * (size_t)k + 4);
    if (!app || !sel || !idx || !kids || !text)
        return cc_oom(c, n->pos);
    size_t len = 0;
    text[len++] = '<';
    for (int i = 0; i < k; i++)
        len += (size_t)sprintf(text + len, i ? " %d" : "%d", i);
    text[len++] = '>';
    text[len] = 0;
    *sel = *n->kids[0];
    sel->text = "select";
    *idx = *list;
    idx->kind = LANG_STR;
    idx->text = text;
    idx->len = len;
    idx->nkids = 0;
    idx->kids = NULL;
    *app = *n;
    app->nkids = k + 2;
    app->kids = kids;
    kids[0] = sel;
    kids[1] = idx;
    for (int i = 0; i < k; i++)
        kids[i + 2] = list->kids[i];
    int r = select_sounds(c, app, out);
    if (r > 0)
        out->ast = n;
    return r;
}

static int eval_app(struct cc *c, const struct lang_node *n, struct cval *out)
{
    int rc;
    if (!signal_fn_form(c, n, out, &rc))
        return rc;
    if (n->nkids >= 3 && n->kids[0]->kind == LANG_NAME && strcmp(n->kids[0]->text, "select") == 0 && !c->ib) {
        int r = select_sounds(c, n, out);
        if (r)
            return r < 0 ? -1 : 0;
    }
    if (n->nkids == 2 && n->kids[0]->kind == LANG_NAME && strcmp(n->kids[0]->text, "stack") == 0 &&
        n->kids[1]->kind == LANG_LIST && (!c->ib || !c->in_param)) {
        int r = stack_sounds(c, n, out);
        if (r)
            return r < 0 ? -1 : 0;
    }
    if (n->nkids == 2 && n->kids[0]->kind == LANG_NAME && n->kids[1]->kind == LANG_LIST && !c->ib &&
        (strcmp(n->kids[0]->text, "cat") == 0 || strcmp(n->kids[0]->text, "slowcat") == 0)) {
        int r = cat_sounds(c, n, out);
        if (r)
            return r < 0 ? -1 : 0;
    }
    if (n->nkids == 2 && n->kids[0]->kind == LANG_NAME && strcmp(n->kids[0]->text, "polymeter") == 0 &&
        n->kids[1]->kind == LANG_LIST) {
        int r = eval_polymeter(c, n, out);
        if (r)
            return r < 0 ? -1 : 0;
    }
    struct cval f;
    const struct sfn *head = n->kids[0]->kind == LANG_NAME ? graph_sfn(n->kids[0]->text) : NULL;
    int listed = head && head->cls == SF_MORE && n->nkids > 2 && n->kids[n->nkids - 1]->kind == LANG_LIST;
    if (head && n->nkids > 1 && (n->kids[1]->kind == LANG_TUPLE || listed) && pat_eval_is_builtin(n->kids[0]->text)) {
        /* issue 13, listed: select "<0 1>" [a, b] is Tidal's, select i a b the signal selector */
        /* compress (0.25, 0.75): the pattern transform, which takes a tuple
         * as in Tidal, not the compressor of the same name */
        struct pat_x r;
        if (cc_peval(c, n, &r))
            return -1;
        *out = cc_px_val(&r, n);
        return 0;
    }
    if (head && head->cls == SF_GEN) {
        /* an oscillator given its arguments (not a bare one at the note) */
        memset(&f, 0, sizeof f);
        f.k = CV_SFN;
        f.fn = head;
        f.ast = n->kids[0];
    } else if (eval_expr(c, n->kids[0], &f)) {
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
        int arc = eval_expr(c, an, &a);
        c->in_param -= c->ib != NULL;
        if (arc)
            return -1;
        if (f.k == CV_SFN) {
            if (cc_sfn_add_arg(c, &f, &a, kw, an->pos))
                return -1;
            continue;
        }
        if (kw)
            return cc_fail(c, n->kids[i]->pos, "keyword arguments (:%s) are for sound functions", kw);
        if (cc_is_function(&f)) {
            /* range lo hi <audio>: signal math */
            if ((a.k == CV_SIG || a.k == CV_VSIG || cc_is_sound_sfn(&a)) && f.px.kind == PX_PARTIAL && f.px.nargs == 2 &&
                n->kids[0]->kind == LANG_NAME && strcmp(n->kids[0]->text, "range") == 0) {
                struct cval lo = cc_px_val(&f.px.args[0], NULL), hi = cc_px_val(&f.px.args[1], NULL);
                /* sig in -1..1 -> lo..hi: (sig + 1) * (hi - lo) / 2 + lo */
                struct cval one, half, t, span;
                memset(&one, 0, sizeof one);
                one.k = CV_PX;
                one.px.kind = PX_NUM;
                one.px.num = 1;
                half = one;
                half.px.num = 0.5;
                if (signal_math(c, M_ADD, &a, &one, an->pos, &t) ||
                    signal_math(c, M_SUB, &hi, &lo, an->pos, &span) ||
                    signal_math(c, M_MUL, &t, &span, an->pos, &t) ||
                    signal_math(c, M_MUL, &t, &half, an->pos, &t) ||
                    signal_math(c, M_ADD, &t, &lo, an->pos, &f))
                    return -1;
                continue;
            }
            struct pat_x x, r;
            if (cc_as_px(c, &a, an->pos, &x))
                return -1;
            if (pat_eval_apply(&c->pe, &f.px, &x, n->kids[0]->pos, &r))
                return -1;
            struct cval fv = f;
            f = cc_px_val(&r, n);
            cc_post_carry(&f, &a, &fv);
            continue;
        }
        if (f.k == CV_PX)
            return cc_fail(c, an->pos, "%s is a pattern, not a function, so it cannot take an argument here "
                         "(use '#' to add controls or effects)", n->kids[0]->kind == LANG_NAME ? n->kids[0]->text : "this");
        return cc_fail(c, an->pos, "a sound is not a function: it cannot take an argument here");
    }
    if (c->ib && !c->in_param && f.k == CV_SFN && f.fn->cls == SF_GEN) {
        /* an oscillator in an instrument's signal path (sine 440, saw "55
         * 110"): a per-voice op now, in the order written, so the first one
         * written is the one the note sets and the others keep their ratio */
        f.ast = n;
        return signal_sfn(c, &f, NULL, n->pos, out);
    }
    *out = f;
    out->ast = n;
    return 0;
}

/* l op r, where l is what the kids before kid i gave (a flat chain, a + b
 * + c, folds from the left) and r is kid i: on audio sample by sample, on
 * patterns as pattern arithmetic. */
static int arith(struct cc *c, const struct lang_node *n, int i, const struct cval *l, const struct cval *r,
                 struct cval *out)
{
    int mop = signal_math_op(n->op);
    int sig_op = n->op == LANG_OP_SIG_ADD || n->op == LANG_OP_SIG_SUB || n->op == LANG_OP_SIG_MUL ||
                 n->op == LANG_OP_SIG_DIV;
    int audio = sig_op || l->k == CV_SIG || r->k == CV_SIG || l->k == CV_VSIG || r->k == CV_VSIG ||
                cc_is_sound_sfn(l) || cc_is_sound_sfn(r) || cc_is_sound_px(l) || cc_is_sound_px(r);
    if (audio && mop >= 0)
        return signal_math(c, mop, l, r, n->pos, out);
    struct pat_x x, y, res;
    if (cc_as_px(c, l, n->kids[0]->pos, &x) || cc_as_px(c, r, n->kids[i]->pos, &y))
        return -1;
    if (pat_eval_binop(&c->pe, n->op, &x, &y, n->pos, &res))
        return -1;
    *out = cc_px_val(&res, n);
    cc_post_carry(out, l, r);
    return 0;
}

/* A per-event control written after '$' ("bd*4" $ legato 2, as the phonon
 * family allows): the right side is a control applied to the left. */
static int control_after_apply(const struct lang_node *n)
{
    const struct lang_node *r = n->kids[1];
    if (n->op != LANG_OP_APPLY || (r->flags & LANG_F_PAREN))
        return 0;
    if (r->kind == LANG_APP)
        r = r->kids[0];
    return r->kind == LANG_NAME && pat_eval_is_builtin(r->text) == 2;
}

/* f $ x: a sound function applied to its input (lpf 800 $ saw 440), or a
 * transform to a pattern. */
static int apply(struct cc *c, const struct lang_node *n, const struct cval *l, const struct cval *r,
                 struct cval *out)
{
    if (l->k == CV_SFN && l->fn->input && r->k != CV_SFN && !cc_is_function(r))
        return signal_sfn(c, l, r, n->pos, out);
    if (r->k == CV_SFN && r->fn->input && l->k != CV_SFN && !cc_is_function(l))
        return signal_sfn(c, r, l, n->pos, out);
    struct pat_x x, y, res;
    if (cc_as_px(c, l, n->kids[0]->pos, &x) || cc_as_px(c, r, n->kids[1]->pos, &y))
        return -1;
    enum lang_op op = n->op;
    if (control_after_apply(n) && pat_eval_as_pattern(&c->pe, &x) && pat_eval_as_pattern(&c->pe, &y))
        op = LANG_OP_CHAIN;             /* "bd*4" $ legato 2 */
    if (op == LANG_OP_APPLY ? pat_eval_apply_node(&c->pe, n, &x, &y, &res)
                            : pat_eval_binop(&c->pe, op, &x, &y, n->pos, &res))
        return -1;
    *out = cc_px_val(&res, n);
    cc_post_carry(out, l, r);
    return 0;
}

/* osc "110 165 220" $ slow 4 (the phonon family writes a transform after an
 * oscillator whose parameters are pattern strings): the transform applies
 * to each pattern-string argument, osc ("110 165 220" $ slow 4). Written
 * name <args> on the left and a pattern transform on the right; 1 when n
 * is not of that shape (nothing evaluated). */
static int osc_then_transform(struct cc *c, const struct lang_node *n, struct cval *out)
{
    const struct lang_node *l = n->kids[0], *f = n->kids[1], *fh = f;
    while ((fh->kind == LANG_BINOP && (fh->op == LANG_OP_APPLY || fh->op == LANG_OP_COMPOSE))
           || fh->kind == LANG_APP)
        fh = fh->kids[0];                   /* fast 2 $ rev, fast 2 . rev: fast */
    if (n->nkids != 2 || l->kind != LANG_APP || l->kids[0]->kind != LANG_NAME || fh->kind != LANG_NAME)
        return 1;
    const struct sfn *osc = graph_sfn(l->kids[0]->text);
    if (!osc || osc->cls != SF_GEN || graph_sfn(fh->text) || pat_eval_is_builtin(fh->text) != 1)
        return 1;
    int strings = 0;
    for (int i = 1; i < l->nkids; i++)
        strings += l->kids[i]->kind == LANG_STR;
    if (!strings)
        return 1;
    struct cval fv;
    if (eval_expr(c, f, &fv))
        return -1;
    if (!cc_is_function(&fv))
        return cc_fail(c, f->pos, "'$' after %s takes a pattern transform (slow 4, fast 2)", l->kids[0]->text);
    struct lang_node *app = ARENA_NEW(c->a, struct lang_node);
    struct lang_node **kids = ARENA_ARRAY(c->a, struct lang_node *, l->nkids);
    if (!app || !kids)
        return cc_fail(c, n->pos, "out of memory");
    *app = *l;
    app->kids = kids;
    kids[0] = l->kids[0];
    for (int i = 1; i < l->nkids; i++) {
        kids[i] = l->kids[i];
        if (l->kids[i]->kind != LANG_STR)
            continue;
        struct lang_node *t = ARENA_NEW(c->a, struct lang_node);
        struct lang_node **tk = ARENA_ARRAY(c->a, struct lang_node *, 2);
        if (!t || !tk)
            return cc_fail(c, n->pos, "out of memory");
        *t = *n;
        t->flags = 0;
        t->kids = tk;
        tk[0] = l->kids[i];
        tk[1] = n->kids[1];
        kids[i] = t;
    }
    return eval_expr(c, app, out);
}

static int eval_binop(struct cc *c, const struct lang_node *n, struct cval *out)
{
    if (n->op == LANG_OP_APPLY) {
        int rc = osc_then_transform(c, n, out);
        if (rc <= 0)
            return rc;
    }
    if (n->op == LANG_OP_CHAIN)
        return chain(c, n, out);
    struct cval l, r;
    if (eval_expr(c, n->kids[0], &l) || eval_expr(c, n->kids[1], &r))
        return -1;
    if (n->op == LANG_OP_APPLY)
        return apply(c, n, &l, &r, out);
    for (int i = 1;; i++) {
        if (arith(c, n, i, &l, &r, out))
            return -1;
        if (i + 1 == n->nkids)
            return 0;
        l = *out;
        if (eval_expr(c, n->kids[i + 1], &r))
            return -1;
    }
}

int eval_expr(struct cc *c, const struct lang_node *n, struct cval *out)
{
    memset(out, 0, sizeof *out);
    out->ast = n;
    if (++c->depth > PAT_MAX_DEPTH) {
        c->depth--;
        return cc_fail(c, n->pos, "the expression is nested too deeply");
    }
    int rc = 0;
    switch (n->kind) {
    case LANG_NAME: {
        const struct sfn *fn = graph_sfn(n->text);
        int pb = pat_eval_is_builtin(n->text);
        if (fn && c->ib && !c->in_param && fn->cls == SF_GEN) {
            /* in an instrument's signal path: an oscillator at the note; as
             * a parameter, a bare sine is Tidal's continuous pattern */
            rc = instr_bare_osc(c, n, out);
            break;
        }
        if (fn && !(pb && (fn->cls == SF_FILTER || fn->cls == SF_ENV || fn->cls == SF_PAN || fn->cls == SF_GAIN))) {
            out->k = CV_SFN;
            out->fn = fn;
            out->ast = n;
            break;
        }
        if (!pb && !fn && cc_control_later(n->text)) {
            rc = cc_fail(c, n->pos, "%s is a SuperDirt/Strudel control phonon does not play yet: %s", n->text,
                         cc_control_later(n->text));
            break;
        }
        if (!pb && !fn && graph_out_of_scope(n->text, 0)) {
            rc = cc_fail(c, n->pos, "%s: %s", n->text, graph_out_of_scope(n->text, 0));
            break;
        }
        if (!pb && !fn) {
            const char *names[PAT_EVAL_NAMES_MAX];
            int k = pat_eval_names(names, PAT_EVAL_NAMES_MAX / 2);
            k = graph_sfn_names(names, k, PAT_EVAL_NAMES_MAX);
            const char *near = lang_suggest(n->text, names, k);
            rc = cc_fail(c, n->pos, "unknown function '%s'%s%s%s", n->text, near ? "; did you mean '" : "",
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
        rc = cc_peval(c, n, &x);
        if (!rc)
            *out = cc_px_val(&x, n);
        break;
    }
    case LANG_BUS: {
        struct cbus *b = cc_find_bus(c, n->text);
        if (!b) {
            rc = cc_unknown_bus(c, n->text, n->pos);
            break;
        }
        b->used = 1;
        rc = eval_bus(c, b, n->pos, out);
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
        if ((rc = eval_expr(c, n->kids[0], &x)))
            break;
        if (x.k == CV_SIG || x.k == CV_VSIG || cc_is_sound_sfn(&x) || cc_is_sound_px(&x)) {
            struct cval m;
            memset(&m, 0, sizeof m);
            m.k = CV_PX;
            m.px.kind = PX_NUM;
            m.px.num = -1;
            rc = signal_math(c, M_MUL, &x, &m, n->pos, out);
        } else {
            struct pat_x p;
            rc = cc_peval(c, n, &p);
            if (!rc)
                *out = cc_px_val(&p, n);
        }
        break;
    }
    case LANG_KWARG:
        rc = cc_fail(c, n->pos, "a keyword argument (:%s) can only follow a sound function", n->text);
        break;
    default: {
        struct pat_x x;
        rc = cc_peval(c, n, &x);
        if (!rc)
            *out = cc_px_val(&x, n);
        break;
    }
    }
    c->depth--;
    return rc;
}
