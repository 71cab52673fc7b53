/* graph_compile.c -- .ph AST -> struct program: the driver.
 *
 * The passes, in order: collect the statements (tempo, buses, outputs,
 * hush, panic); evaluate every output (graph_eval.c, which resolves sounds
 * and builds instruments as it meets them); with no output statement, the
 * buses no expression uses become the output; compile the buses nothing
 * plays, for their errors, and drop what they added; allocate buffers and
 * states (graph_state.c); finish: copy the players, instruments and sounds
 * into the program's arena, and hold the sample sets it plays (the bank
 * then unloads what no program holds, past its cap; program_free lets go).
 *
 * graph_cc.h describes how the compiler is split into files; this one is
 * the top and sets the context's hooks.
 */
#include "graph_cc.h"

#include <math.h>
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int cmp_sound(const void *a, const void *b)
{
    return strcmp(((const struct sound *)a)->name, ((const struct sound *)b)->name);
}

/* Controls the pattern language accepts (Tidal/SuperDirt names) that no
 * phonon voice reads: one warning per name, where it is first written. */
static void warn_ignored(struct cc *c, const struct lang_node *n, unsigned *seen, int depth)
{
    if (!n || depth > 4 * PAT_MAX_DEPTH)
        return;
    int row;
    const char *why = n->kind == LANG_NAME ? graph_control_ignored(n->text, &row) : NULL;
    if (why && !(*seen >> row & 1)) {
        *seen |= 1u << row;
        cc_warn(c, n->pos, "%s is accepted but does nothing in phonon; %s", n->text, why);
    }
    for (int i = 0; i < n->nkids; i++)
        warn_ignored(c, n->kids[i], seen, depth + 1);
}

/* issue 11: the first name node spelling one of names[0..n) in the tree, or NULL. */
static const struct lang_node *find_name(const struct lang_node *x, const char *const *names, int n, int depth)
{
    if (!x || depth > 4 * PAT_MAX_DEPTH)
        return NULL;
    for (int i = 0; x->kind == LANG_NAME && i < n; i++)
        if (strcmp(x->text, names[i]) == 0)
            return x;
    for (int i = 0; i < x->nkids; i++) {
        const struct lang_node *f = find_name(x->kids[i], names, n, depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

/* issue 11: Strudel's voicing controls do nothing without voicing (or
 * rootNotes) somewhere in the file: one warning, where the first is written. */
static void warn_voicing_controls(struct cc *c)
{
    static const char *const controls[] = { "chord", "dictionary", "dict", "anchor", "mode", "octaves" };
    static const char *const readers[] = { "voicing", "rootNotes" };
    const struct lang_node *first = NULL;
    for (int i = 0; i < lang_ast_count(c->ast); i++) {
        const struct lang_node *e = lang_ast_stmt(c->ast, i)->expr;
        if (find_name(e, readers, 2, 0))
            return;
        if (!first)
            first = find_name(e, controls, (int)(sizeof controls / sizeof *controls), 0);
    }
    if (first)
        cc_warn(c, first->pos, "%s is read by voicing and does nothing without it; write # voicing after the controls",
                first->text);
}

/* The outputs: their statements (collect), then the nodes summed into the
 * main output (the output nodes of the statements, or the unused buses). */
struct outs {
    const struct lang_stmt *st[PROGRAM_OUTPUTS];
    int hushed[PROGRAM_OUTPUTS];    /* hushN, mute N; solo N: all the others */
    int muted[PROGRAM_OUTPUTS], soloed[PROGRAM_OUTPUTS];
    const struct lang_stmt *once[16];  /* once statements, in order */
    int nonce;
    double nudge;                   /* seconds: the last nudge statement's */
    int outmix;                     /* the last outmix: statement's mode (0: none) */
    const struct lang_node *all;    /* the last all statement's transform, or NULL */
    int node[PROGRAM_OUTPUTS + 64];
    int n;
};

static const struct lang_pos nowhere = { 0, 0 };

/* The cycle from which statement st counts (trigger, qtrigger, once): its
 * cycle in the previous program when its text is the same there, else now;
 * recorded in the program's table. *fresh: it is new or changed. */
static struct rat stmt_start(struct cc *c, const struct lang_stmt *st, int *fresh)
{
    size_t len;
    const char *src = lang_ast_source(c->ast, &len);
    uint64_t h = 1469598103934665603u ^ (uint64_t)st->kind;     /* FNV-1a */
    for (size_t i = st->off; i < st->end && i < len; i++)
        h = (h ^ (unsigned char)src[i]) * 1099511628211u;
    if (st->kind == LANG_STMT_OUT)
        h ^= (uint64_t)st->out << 56;
    const struct program_starts *prev = c->o->prev;
    double cycle = c->o->prev ? c->o->now : 0;
    *fresh = 1;
    for (int i = 0; prev && i < prev->n; i++)
        if (prev->key[i] == h) {
            cycle = prev->cycle[i];
            *fresh = 0;
            break;
        }
    struct program_starts *t = &c->p->starts;
    if (t->n < PROGRAM_STARTS) {
        t->key[t->n] = h;
        t->cycle[t->n++] = cycle;
    }
    struct rat r;
    if (rat_from_double(cycle, &r) || r.d == 0)
        r = rat_int(0);
    return r;
}

/* solo N / mute N (on) and unsolo / unmute (off; N = -1: every output). */
static void session_set(int *flags, int out, int on)
{
    for (int i = 1; i < PROGRAM_OUTPUTS; i++)
        if (out == i || out < 0)
            flags[i] = on;
}

/* After the statements: muted outputs, and with any solo every output
 * not soloed (the main output too), are hushed. */
static void session_apply(struct outs *outs)
{
    int any = 0;
    for (int i = 1; i < PROGRAM_OUTPUTS; i++)
        any |= outs->soloed[i];
    for (int i = 0; i < PROGRAM_OUTPUTS; i++)
        if (outs->muted[i] || (any && !outs->soloed[i]))
            outs->hushed[i] = 1;
}

/* Pass 1: the statements in order: tempo, buses (a later definition
 * replaces an earlier one, with a warning), outputs, hush and panic. */
static int collect(struct cc *c, struct outs *outs)
{
    struct program *p = c->p;
    int nst = lang_ast_count(c->ast);
    int rc = cc_buses_init(c, nst);
    if (rc)
        return rc;
    for (int i = 0; i < nst; i++) {
        const struct lang_stmt *st = lang_ast_stmt(c->ast, i);
        switch (st->kind) {
        case LANG_STMT_TEMPO:
            p->cps = st->cps;
            break;
        case LANG_STMT_BUS: {
            struct cbus *b = cc_find_bus(c, st->name);
            if (b) {
                cc_warn(c, st->pos, "~%s is defined again; this definition replaces the one at line %d",
                        st->name, lang_ast_pos(c->ast, b->st->pos).line);
                b->st = st;
                break;
            }
            b = cc_add_bus(c, st->name);
            b->st = st;
            b->fb = -1;
            b->instr = -1;
            break;
        }
        case LANG_STMT_OUT:
            if (st->out >= 0 && st->out < PROGRAM_OUTPUTS) {
                if (outs->st[st->out] && st->out)
                    cc_warn(c, st->pos, "output o%d is defined again; this definition replaces the one at line %d",
                            st->out, lang_ast_pos(c->ast, outs->st[st->out]->pos).line);
                else if (outs->st[st->out])
                    cc_warn(c, st->pos, "output out is defined again; this definition replaces the one at line %d",
                            lang_ast_pos(c->ast, outs->st[st->out]->pos).line);
                outs->st[st->out] = st;
            }
            break;
        case LANG_STMT_HUSH:
            if (st->out == 0)
                p->hush = 1;
            else if (st->out > 0 && st->out < PROGRAM_OUTPUTS)
                outs->hushed[st->out] = 1;
            break;
        case LANG_STMT_PANIC:
            p->hush = 1;
            p->panic = 1;
            break;
        case LANG_STMT_ONCE:
            if (outs->nonce == (int)(sizeof outs->once / sizeof *outs->once)) {
                lang_error_set(c->err, st->pos, "too many once statements (at most %d)", outs->nonce);
                return -1;
            }
            outs->once[outs->nonce++] = st;
            break;
        case LANG_STMT_CYCLE: {
            int fresh;
            stmt_start(c, st, &fresh);
            if (fresh && rat_from_double(st->cps, &p->cycle) == 0) {
                p->set_cycle = 1;
            }
            break;
        }
        case LANG_STMT_DEF:             /* never made: the parser substitutes them */
        case LANG_STMT_MACRO:           /* never made: expanded before parsing */
            break;
        case LANG_STMT_NUDGE:
            outs->nudge = st->cps;
            break;
        case LANG_STMT_ALL:
            outs->all = st->expr;
            break;
        case LANG_STMT_OUTMIX:
            outs->outmix = st->out;
            break;
        case LANG_STMT_BUFFER:          /* phonon live's block, read by cli_live */
            break;
        case LANG_STMT_UNHUSH:
            if (st->out < 0) {
                p->hush = 0;
                memset(outs->hushed, 0, sizeof outs->hushed);
            } else {
                outs->hushed[st->out] = 0;
            }
            break;
        case LANG_STMT_SOLO:
        case LANG_STMT_MUTE:
            session_set(st->kind == LANG_STMT_SOLO ? outs->soloed : outs->muted, st->out, st->on);
            break;
        case LANG_STMT_EXPR:
            break;
        }
    }
    session_apply(outs);
    if (rat_from_double(p->cps, &p->cps_rat) || p->cps_rat.n <= 0) {
        lang_error_set(c->err, (struct lang_pos){ 1, 1 }, "the tempo must be a positive number");
        return -1;
    }
    return 0;
}

/* Does the expression hold a "..." string with a letter in it (sample
 * names, as opposed to "0.5 1")? */
static int has_named_string(const struct lang_node *n, int depth)
{
    if (!n || depth > 64)
        return 0;
    if (n->kind == LANG_STR)
        for (size_t i = 0; i < n->len; i++)
            if ((n->text[i] >= 'a' && n->text[i] <= 'z') || (n->text[i] >= 'A' && n->text[i] <= 'Z'))
                return 1;
    for (int i = 0; i < n->nkids; i++)
        if (has_named_string(n->kids[i], depth + 1))
            return 1;
    return 0;
}

/* out $ "bd sn" $ fast 2: an output that is a pattern of names, not
 * sounds, plays them as s does, as the phonon family reads it (when every
 * name resolves; else it stays what it was). 0, or 1 with *v replaced. */
static int bare_names_as_sound(struct cc *c, const struct lang_stmt *st, struct cval *v)
{
    if (!cc_is_pattern(v) || (v->px.flags & PXF_SOUND) || v->px.kind == PX_NUM || !has_named_string(st->expr, 0))
        return 0;
    const struct pnode *pat = pat_eval_as_pattern(&c->pe, &v->px);
    struct pat_x x = v->px;
    x.kind = PX_PAT;
    x.flags |= PXF_SOUND;
    x.pat = pat ? pat_control(c->a, "s\0n\0gain\0", 0, pat) : NULL;
    if (!x.pat)
        return 0;
    struct lang_error saved = *c->err;
    int samples = 0, others = 0;
    if (sound_kinds(c, x.pat, st->pos, &samples, &others) || !samples || others) {
        *c->err = saved;
        return 0;
    }
    *v = cc_px_val(&x, st->expr);
    return 1;
}

/* all f: a pattern output's value through the transform f (Tidal's all). */
static int through_all(struct cc *c, const struct lang_node *all, struct cval *v, struct lang_pos at)
{
    struct pat_x f, r;
    if (!all || v->k != CV_PX || !pat_eval_as_pattern(&c->pe, &v->px))
        return 0;
    if (cc_peval(c, all, &f) || pat_eval_apply(&c->pe, &f, &v->px, at, &r))
        return -1;
    r.flags |= v->px.flags & PXF_SOUND;
    v->px = r;
    return 0;
}

/* One output or once statement's expression, as audio: its node or -1;
 * all: the transform of an all statement, or NULL. */
static int eval_output(struct cc *c, const struct lang_stmt *st, const struct lang_node *all)
{
    int fresh;
    c->pe.start = stmt_start(c, st, &fresh);
    struct cval v;
    int rc = eval_expr(c, st->expr, &v) || through_all(c, all, &v, st->pos);
    c->pe.start = rat_int(0);
    if (!rc)
        bare_names_as_sound(c, st, &v);
    return rc ? -1 : signal_of(c, &v, st->pos);
}

/* Pass 2: every output statement's expression, as audio. 1 when there is
 * at least one, 0 when none, -1 on an error. */
static int eval_outputs(struct cc *c, struct outs *outs)
{
    int any = 0;
    for (int i = 0; i < PROGRAM_OUTPUTS; i++) {
        if (!outs->st[i])
            continue;
        any = 1;
        char name[16];
        snprintf(name, sizeof name, i ? "o%d" : "out", i);
        c->stmt_name = arena_strndup(c->a, name, strlen(name));
        memset(c->key_seq, 0, sizeof c->key_seq);
        int node = eval_output(c, outs->st[i], outs->all);
        if (node < 0)
            return -1;
        if (!outs->hushed[i])
            outs->node[outs->n++] = node;
    }
    for (int i = 0; i < outs->nonce; i++) {
        any = 1;
        char name[16];
        snprintf(name, sizeof name, "once%d", i + 1);
        c->stmt_name = arena_strndup(c->a, name, strlen(name));
        memset(c->key_seq, 0, sizeof c->key_seq);
        int node = eval_output(c, outs->once[i], outs->all);
        if (node < 0)
            return -1;
        outs->node[outs->n++] = node;
    }
    return any;
}

/* With no output statement: the buses nobody uses are the output (every
 * bus compiled first, to know which are used), with a notice. */
static int play_unused_buses(struct cc *c, struct outs *outs)
{
    for (int i = 0; i < c->nbuses; i++) {
        struct cbus *b = &c->buses[i];
        if (b->state == 0 && eval_effect_bus(c, b)) {
            b->used = 1;            /* nothing to play: an effect with no input */
            cc_warn(c, b->st->pos, "~%s is an effect with nothing to process: use it as  x # ~%s", b->name, b->name);
        } else if (b->state == 0) {
            struct cval v;
            char name[80];
            snprintf(name, sizeof name, "~%s", b->name);
            c->stmt_name = arena_strndup(c->a, name, strlen(name));
            if (eval_bus(c, b, b->st->pos, &v))
                return -1;
        }
    }
    /* mark uses made by the compile above, then sum the unused ones */
    char listed[200] = "";
    size_t lo = 0;
    for (int i = 0; i < c->nbuses; i++) {
        struct cbus *b = &c->buses[i];
        if (b->used)
            continue;
        int node = signal_of(c, &b->val, b->st->pos);
        if (node < 0)
            return -1;
        if (outs->n < (int)(sizeof outs->node / sizeof *outs->node))
            outs->node[outs->n++] = node;
        if (lo < sizeof listed - 20)
            lo += (size_t)snprintf(listed + lo, sizeof listed - lo, "%s~%s", lo ? ", " : "", b->name);
    }
    if (outs->n) {
        struct lang_error w = { .file = c->err->file };
        lang_error_set(&w, (struct lang_pos){ 1, 1 }, "no output statement: playing %s", listed);
        if (c->o->warn)
            c->o->warn(c->o->warn_user, &w);
    } else {
        cc_warn(c, (struct lang_pos){ 1, 1 }, "nothing to play: the file has no output and no bus");
    }
    return 0;
}

/* Buses nothing plays: compile them anyway so their errors show, then
 * drop what they added (nothing reads it). */
static int check_unused_buses(struct cc *c)
{
    for (int i = 0; i < c->nbuses; i++) {
        struct cbus *b = &c->buses[i];
        if (b->state != 0 || b->used)
            continue;
        if (eval_effect_bus(c, b)) {
            cc_warn(c, b->st->pos, "~%s is never used (an effect: x # ~%s)", b->name, b->name);
            continue;
        }
        int keep_nodes = c->nodes.n, keep_players = c->nplayers;
        char name[80];
        snprintf(name, sizeof name, "~%s", b->name);
        c->stmt_name = arena_strndup(c->a, name, strlen(name));
        struct cval v;
        if (eval_bus(c, b, b->st->pos, &v))
            return -1;
        if (v.k == CV_SFN && cc_sfn_check(c, &v, b->st->pos))
            return -1;
        cc_warn(c, b->st->pos, "~%s is never used", b->name);
        c->nodes.n = keep_nodes;
        c->nplayers = keep_players;
    }
    return 0;
}

/* The program holds the samples it plays (sample.h: Memory; program_free
 * lets go), and the bank may unload what no program holds. */
static void hold_samples(struct program *p, struct sample_bank *bank)
{
    p->bank = bank;
    for (int i = 0; i < p->nsounds; i++)
        if (p->sounds[i].kind == SND_SAMPLE)
            sample_bank_hold(bank, p->sounds[i].set);
    sample_bank_compiled(bank);
}

/* Last passes: allocate the nodes' buffers and states, and copy outputs,
 * players, instruments and sounds (sorted by name) into the program. */
/* issue 14: which players' sound reaches the main output: the nodes the
 * outputs read, back through inputs and feedback; a player is audible when
 * its node or one of its VOICESUM nodes is. A muted statement's player is
 * not, and its MIDI events are not sent. 0 or -1 (out of memory). */
static int mark_audible(struct cc *c, struct program *p)
{
    int n = p->nnodes;
    char *seen = calloc((size_t)n + 1, 1);
    int *stack = malloc(sizeof *stack * ((size_t)n + 1));
    if (!seen || !stack) {
        free(seen);
        free(stack);
        return cc_oom(c, nowhere);
    }
    int top = 0;
    for (int k = 0; k < p->nouts; k++)
        if (!seen[p->outs[k]]) {
            seen[p->outs[k]] = 1;
            stack[top++] = p->outs[k];
        }
    while (top > 0) {
        const struct gnode *g = &p->nodes[stack[--top]];
        int from[GNODE_MAX_IN + 1], nf = 0;
        for (int i = 0; i < g->nin; i++)
            from[nf++] = g->in[i];
        if (g->kind == N_FEEDBACK)
            from[nf++] = g->aux;
        for (int i = 0; i < nf; i++)
            if (from[i] >= 0 && from[i] < n && !seen[from[i]]) {
                seen[from[i]] = 1;
                stack[top++] = from[i];
            }
    }
    for (int i = 0; i < n; i++)
        if (seen[i] && (p->nodes[i].kind == N_PLAYER || p->nodes[i].kind == N_VOICESUM) &&
            p->nodes[i].aux >= 0 && p->nodes[i].aux < p->nplayers)
            p->players[p->nodes[i].aux].audible = 1;
    free(seen);
    free(stack);
    return 0;
}

/* nudge X: every player's events X seconds (X * cps cycles) later. */
static int nudge_players(struct cc *c, struct program *p, double seconds)
{
    struct rat late;
    if (rat_from_double(seconds * p->cps, &late))
        return cc_fail(c, nowhere, "nudge %g: not a time the clock can hold", seconds);
    for (int i = 0; i < p->nplayers; i++)
        if (!(p->players[i].pat = pat_shift(c->a, rat_neg(late), p->players[i].pat)))
            return cc_oom(c, nowhere);
    return 0;
}

/* outmix: the outputs summed into one node, then scaled (gain: 1/n, sqrt:
 * 1/sqrt(n), n the outputs playing), saturated (tanh) or clipped (hard). */
static int mix_outputs(struct cc *c, struct outs *outs)
{
    if (!outs->outmix || outs->n == 0)
        return 0;
    struct lang_pos at = { 1, 1 };
    struct cval sum, v, k;
    memset(&sum, 0, sizeof sum);
    memset(&k, 0, sizeof k);
    k.k = CV_PX;
    k.px.kind = PX_NUM;
    for (int i = 0; i < outs->n; i++) {
        memset(&v, 0, sizeof v);
        v.k = CV_SIG;
        v.node = outs->node[i];
        v.nch = cc_nch(c, v.node);
        if (i == 0)
            sum = v;
        else if (signal_math(c, M_ADD, &sum, &v, at, &sum))
            return -1;
    }
    int mode = outs->outmix;                    /* LANG_OUTMIX_MODES */
    if (mode == 1 || mode == 2) {
        k.px.num = mode == 1 ? 1.0 / outs->n : 1.0 / sqrt(outs->n);
        if (signal_math(c, M_MUL, &sum, &k, at, &sum))
            return -1;
    } else {
        struct cval f, one;
        memset(&f, 0, sizeof f);
        f.k = CV_SFN;
        f.fn = graph_sfn(mode == 3 ? "distort" : "clip");
        one = k;
        one.px.num = 1;
        if (!f.fn || (mode == 3 && (cc_sfn_add_arg(c, &f, &one, NULL, at) || cc_sfn_add_arg(c, &f, &one, NULL, at))) ||
            signal_sfn(c, &f, &sum, at, &sum))
            return f.fn ? -1 : cc_fail(c, at, "internal: outmix's function is missing");
        k.px.num = 0.7615941559557649;          /* distort 1 is tanh(x) / tanh(1) */
        if (mode == 3 && signal_math(c, M_MUL, &sum, &k, at, &sum))
            return -1;
    }
    int node = signal_of(c, &sum, at);
    if (node < 0)
        return -1;
    outs->node[0] = node;
    outs->n = 1;
    return 0;
}

static int finish(struct cc *c, const struct outs *outs)
{
    struct program *p = c->p;
    int *outv = ARENA_ARRAY(c->a, int, outs->n ? outs->n : 1);
    if (!outv)
        return cc_oom(c, nowhere);
    memcpy(outv, outs->node, sizeof *outv * (size_t)outs->n);
    p->outs = outv;
    p->nouts = outs->n;
    if (state_allocate(c, p))
        return -1;
    p->nplayers = c->nplayers;
    p->players = ARENA_ARRAY(c->a, struct player, c->nplayers ? c->nplayers : 1);
    p->ninstrs = c->ninstrs;
    struct instr *instrs = ARENA_ARRAY(c->a, struct instr, c->ninstrs ? c->ninstrs : 1);
    struct sound *sounds = ARENA_ARRAY(c->a, struct sound, c->nsounds ? c->nsounds : 1);
    if (!p->players || !instrs || !sounds)
        return cc_oom(c, nowhere);
    if (c->nplayers)
        memcpy(p->players, c->players, sizeof *p->players * (size_t)c->nplayers);
    if (mark_audible(c, p))
        return -1;
    if (outs->nudge != 0 && nudge_players(c, p, outs->nudge))
        return -1;
    if (c->ninstrs)
        memcpy(instrs, c->instrs, sizeof *instrs * (size_t)c->ninstrs);
    if (c->nsounds)
        memcpy(sounds, c->sounds, sizeof *sounds * (size_t)c->nsounds);
    qsort(sounds, (size_t)c->nsounds, sizeof *sounds, cmp_sound);
    p->instrs = instrs;
    p->sounds = sounds;
    p->nsounds = c->nsounds;
    atomic_init(&p->voices_alive, 0);
    hold_samples(p, c->o->bank);
    return 0;
}

/* The passes in order; -1 with c->err set. */
static int run_passes(struct cc *c)
{
    struct outs outs;
    memset(&outs, 0, sizeof outs);
    if (collect(c, &outs))
        return -1;
    c->pe.cps = c->p->cps;              /* the tempo statements are collected now (cpm) */
    if ((c->default_instr = sound_default_instr(c)) < 0)
        return -1;
    unsigned ignored_seen = 0;
    for (int i = 0; i < lang_ast_count(c->ast); i++)
        warn_ignored(c, lang_ast_stmt(c->ast, i)->expr, &ignored_seen, 0);
    warn_voicing_controls(c);
    int any = eval_outputs(c, &outs);
    if (any < 0 || (!any && play_unused_buses(c, &outs)))
        return -1;
    if (check_unused_buses(c) || mix_outputs(c, &outs))
        return -1;
    return finish(c, &outs);
}

struct program *graph_compile(const struct lang_ast *ast, const struct graph_opts *o, struct lang_error *err)
{
    struct program *p = calloc(1, sizeof *p);
    struct cc c;
    memset(&c, 0, sizeof c);
    if (!p || arena_init(&p->arena, 1 << 16, 1, 0)) {
        free(p);
        lang_error_set(err, nowhere, "out of memory");
        return NULL;
    }
    c.p = p;
    c.a = &p->arena;
    c.o = o;
    c.err = err;
    c.ast = ast;
    c.pe.a = &p->arena;
    c.pe.err = err;
    c.pe.ast = ast;
    c.pe.bus = eval_bus_for_pattern;
    c.pe.user = &c;
    c.eval = eval_expr;
    c.play = sound_player;
    p->sample_rate = o->sample_rate;
    p->block = o->block;
    p->cps = 0.5;
    int rc = run_passes(&c);
    free(c.nodes.v);
    free(c.buses);
    free(c.bus_slots);
    free(c.players);
    free(c.instrs);
    free(c.posts);
    free(c.sounds);
    if (rc) {
        lang_ast_locate(ast, err);      /* the file's line and column, not the expanded text's */
        arena_deinit(&p->arena);
        free(p);
        return NULL;
    }
    return p;
}
