/* graph_nest.c -- nested instrument buses (issue 13).
 *
 * A bus played as an instrument may itself be a sound pattern that plays
 * other instrument buses (or audio with such a pattern in it: s "~s" + saw
 * 55 * 0.2): ~c: slow 8 $ s "~s(<7 7 6 10>,11,2)" # note
 * "c3'maj", played by ~q: s "[~s ~c](3,8)", maybe with effects after it.
 * Such a bus is not compiled per voice. It is compiled once as the bus it
 * is (its `#` are per-event controls of its own events, or effects on its
 * sound), its player runs on the global clock like any other, and each
 * event that plays it starts a voice that passes the player's sound
 * through that voice's envelope, gain and pan: the outer events gate the
 * inner pattern, which does not restart at their onsets.
 * That is the phonon family's meaning: its synthesis voice renders the
 * bus's node, which runs every block on the global clock, through an
 * attack/release envelope. The inner events keep their own controls; the
 * outer events' pitch (note, n, freq) cannot move a whole pattern and is
 * warned about once.
 *
 * The compiled program stays flat and immutable: a nested bus is one player
 * and one instrument of one op, however many events play it, so the audio
 * path starts only ordinary voices, bounded like any (the pool, and the
 * onsets a block may start: counted and warned when dropped). The nesting
 * is bounded when compiling (NEST_MAX_DEPTH instrument buses inside one
 * another), and a bus that plays itself, directly or through other buses,
 * is an error naming the cycle.
 */
#include "graph_cc.h"

#include <stdio.h>
#include <string.h>

int nest_enter(struct cc *c, const char *name, int played, struct lang_pos at)
{
    if (played && c->nplayed >= NEST_MAX_DEPTH) {
        cc_fail(c, at, "instrument buses nest more than %d deep here: ~%s is played inside %d others",
                NEST_MAX_DEPTH, name, c->nplayed);
        snprintf(c->err->hint, sizeof c->err->hint, "a bus played with s \"~bus\" may play other buses the same "
                 "way, up to %d levels", NEST_MAX_DEPTH);
        return -1;
    }
    if (c->nnest < NEST_STACK) {
        c->nest[c->nnest].name = name;
        c->nest[c->nnest].played = played;
    }
    c->nnest++;
    c->nplayed += played;
    return 0;
}

void nest_leave(struct cc *c, int played)
{
    c->nnest--;
    c->nplayed -= played;
}

int nest_cycle(struct cc *c, const char *name, struct lang_pos at)
{
    int n = c->nnest < NEST_STACK ? c->nnest : NEST_STACK, from = -1, steps = 0;
    for (int i = 0; i < n && from < 0; i++)
        if (strcmp(c->nest[i].name, name) == 0)
            from = i;
    char chain[300];
    size_t o = (size_t)snprintf(chain, sizeof chain, "~%s", name);
    const char *last = name;
    for (int i = from + 1; from >= 0 && i < n && o < sizeof chain; i++) {
        if (strcmp(c->nest[i].name, last) == 0)
            continue;                   /* played, then its value compiled: one step */
        last = c->nest[i].name;
        o += (size_t)snprintf(chain + o, sizeof chain - o, steps++ ? ", which %s ~%s" : " %s ~%s",
                              c->nest[i].played ? "plays" : "uses", last);
    }
    if (steps)
        cc_fail(c, at, "a cycle of instrument buses: %s, which plays ~%s", chain, name);
    else
        cc_fail(c, at, "the instrument ~%s plays itself%s", name, from < 0 ? " through other buses" : "");
    snprintf(c->err->hint, sizeof c->err->hint, "a bus played with s \"~bus\" cannot play itself, directly or "
             "through other buses");
    return -1;
}

/* Does n play a sound pattern: is it one, maybe with effects after it
 * (s "~s*4" # note 7 # delay 0.3 0.5), or scaled by a number ((s "~s" #
 * note 7) * 0.5), or audio with one in it (s "~s" + saw 55 * 0.2)? Every
 * operand of + - * / is looked at, the part before a chain's first # of
 * each; a sound pattern is evaluated as a pattern only (no node made; one
 * that is no pattern is left to the instrument's own compile, error and
 * all). 1, 0, or -1: error. */
static int plays_sound_pattern(struct cc *c, const struct lang_node *n, int depth)
{
    while (n->kind == LANG_BINOP && n->op == LANG_OP_CHAIN)
        n = n->kids[0];
    if (n->kind == LANG_NUM)
        return 0;
    if (n->kind == LANG_BINOP && signal_math_op(n->op) >= 0 && depth < LANG_MAX_DEPTH) {
        int r = plays_sound_pattern(c, n->kids[0], depth + 1);
        return r ? r : plays_sound_pattern(c, n->kids[1], depth + 1);
    }
    int r = eval_has_audio(c, n);
    if (r)
        return r < 0 ? -1 : 0;
    struct lang_error saved = *c->err;
    struct pat_x x;
    if (cc_peval(c, n, &x)) {
        *c->err = saved;
        return 0;
    }
    struct cval v = cc_px_val(&x, n);
    return cc_is_sound_px(&v);
}

int nest_instr(struct cc *c, struct cbus *b, const char *name, struct lang_pos at)
{
    struct cval v;
    struct ibuild *ib = c->ib;
    int in_param = c->in_param;
    c->ib = NULL;
    c->in_param = 0;
    int r = plays_sound_pattern(c, b->st->expr, 0);
    int node = r < 0 ? -1 : r == 0 ? -2 : eval_bus(c, b, at, &v) ? -1 : signal_of(c, &v, at);
    c->ib = ib;
    c->in_param = in_param;
    if (node < 0)
        return node;
    memset(&v, 0, sizeof v);
    v.k = CV_SIG;
    v.node = node;
    v.nch = cc_nch(c, node);
    b->nested = 1;
    return instr_pass(c, name, &v, at);
}

/* Does p set control `name` as a control's own value (the s control's
 * names list n too: s "bd:3")? *budget bounds the walk. */
static int sets_own(const struct pnode *p, const char *name, int depth, int *budget)
{
    if (!p || depth > 2 * PAT_MAX_DEPTH || --*budget < 0)
        return 0;
    if (p->kind == P_FMAP && p->op == FM_CONTROL && p->v.kind == VAL_STR && strcmp(p->v.u.str, name) == 0)
        return 1;
    for (int i = 0; i < p->n; i++)
        if (sets_own(p->kids[i], name, depth + 1, budget))
            return 1;
    return p->fn && sets_own(p->fn, name, depth + 1, budget);
}

void nest_warn_pitch(struct cc *c, const struct pnode *pat, const char *name, struct lang_pos at)
{
    static const char *const pitch[] = { "note", "n", "freq" };
    struct cbus *b = name && name[0] == '~' ? cc_find_bus(c, name + 1) : NULL;
    for (int i = 0; b && b->nested && !c->nest_warned && i < (int)(sizeof pitch / sizeof *pitch); i++) {
        int budget = 200000;
        if (sets_own(pat, pitch[i], 0, &budget)) {
            c->nest_warned = 1;
            cc_warn(c, at, "%s does not transpose ~%s: a bus that plays its own pattern keeps its events' "
                    "pitch (the events that play it gate it, with their gain, pan and envelope)", pitch[i],
                    name + 1);
        }
    }
}
