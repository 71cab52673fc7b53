/* graph_sound.c -- the resolve pass: what the names under s play, and players.
 *
 * A sound pattern (a control pattern with s, sound or note) becomes a
 * player node. The names its s controls can take are collected from the
 * pattern and resolved once each: ~bus (an instrument, built here), a
 * synth, a sample folder of the bank, a bare waveform (an instrument of one
 * oscillator), or an unknown name (an error with suggestions, or silence
 * with --allow-missing). Instruments with a chain after their voices get a
 * VOICESUM node each, the chain after it, all mixed with the player.
 *
 * Sample voices run one filter (lpf, or hpf without lpf) and no band-pass;
 * per-event controls that no voice played here runs are warned about once.
 */
#include "graph_cc.h"
#include "sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A built-in waveform as a sound name (s "saw" # note ...) when no sample
 * folder has that name: an instrument of that one oscillator. */
static int builtin_wave(struct cc *c, const char *name, struct lang_pos at)
{
    const struct gsynth *w = graph_synth(name);
    if (!w || w->kind != GSYNTH_WAVE)
        return -2;
    struct lang_node fake;
    memset(&fake, 0, sizeof fake);
    fake.kind = LANG_NAME;
    fake.text = name;
    fake.pos = at;
    struct ibuild *ib = malloc(sizeof *ib);
    if (!ib)
        return cc_oom(c, at);
    int idx = instr_build(c, name, &fake, ib, at);
    free(ib);
    return idx;
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
        k = graph_synth_names(all, k, nb + DSP_SYNTH_KINDS);
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
        cc_warn(c, at, "unknown sample name '%s' plays silence%s", name, near_txt);
        *silent = 1;
    } else {
        rc = cc_fail(c, at, "unknown sample name '%s'%s", name, near_txt);
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
static int sound_resolve(struct cc *c, const char *name, struct lang_pos at)
{
    for (int i = 0; i < c->nsounds; i++)
        if (strcmp(c->sounds[i].name, name) == 0)
            return i;
    struct sound snd;
    memset(&snd, 0, sizeof snd);
    snd.name = name;
    snd.kind = SND_SILENT;
    const struct gsynth *stand;         /* s "piano": superpiano where no folder has it */
    if (strcmp(name, "midi") == 0) {
        snd.kind = SND_MIDI;            /* MIDI out (midi.h): before any sample folder of that name */
    } else if (name[0] == '~') {
        struct cbus *b = cc_find_bus(c, name + 1);
        if (!b)
            return cc_unknown_bus(c, name + 1, at);
        b->used = 1;
        if (b->instr_state == 1 || b->state == 1)
            return nest_cycle(c, b->name, at);     /* issue 13: it plays itself, maybe through others */
        if (b->instr_state == 0) {
            if (nest_enter(c, b->name, 1, at))
                return -1;
            b->instr_state = 1;
            struct ibuild *ib = malloc(sizeof *ib);
            if (!ib)
                return cc_oom(c, at);
            const char *saved = c->stmt_name;
            int saved_seq[N_KIND_COUNT];    /* the statement's keys go on after the instrument's */
            memcpy(saved_seq, c->key_seq, sizeof saved_seq);
            char iname[96];             /* keys apart from the bus's own nodes */
            snprintf(iname, sizeof iname, "%s#voice", name);
            c->stmt_name = arena_strndup(c->a, iname, strlen(iname));
            memset(c->key_seq, 0, sizeof c->key_seq);
            b->instr = c->stmt_name ? nest_instr(c, b, name, b->st->pos) : cc_oom(c, at);
            if (b->instr == -2)         /* not a sound pattern: compiled per voice */
                b->instr = instr_build(c, name, b->st->expr, ib, b->st->pos);
            c->stmt_name = saved;
            memcpy(c->key_seq, saved_seq, sizeof saved_seq);
            nest_leave(c, 1);
            free(ib);
            if (b->instr < 0)
                return -1;
            b->instr_state = 2;
        }
        snd.kind = SND_INSTR;
        snd.instr = b->instr;
    } else if (graph_synth(name) && graph_synth(name)->kind != GSYNTH_WAVE) {
        snd.kind = SND_SYNTH;
        snd.synth = graph_synth(name)->kind;
    } else {
        struct sample_error serr = { 0 };
        const struct sample_set *set = c->o->bank ? sample_bank_lookup(c->o->bank, name, &serr) : NULL;
        if (set) {
            snd.kind = SND_SAMPLE;
            snd.set = set;
        } else if (c->o->bank && serr.code && serr.code != PHONON_ENOENT) {
            return cc_fail(c, at, "%s", serr.msg);
        } else if (serr.code == PHONON_ENOENT && serr.folder) {
            /* the folder is there, with nothing playable in it */
            cc_fail(c, at, "%s", serr.msg);
            snprintf(c->err->hint, sizeof c->err->hint, "put audio files in that folder, or remove it");
            return -1;
        } else if (strcmp(name, "in") == 0 || strcmp(name, "inr") == 0) {
            /* issue 12: SuperDirt's live input synths */
            cc_fail(c, at, "s \"%s\": live audio input is out of scope: phonon reads no audio device", name);
            snprintf(c->err->hint, sizeof c->err->hint, "record the input to a file and play it as a sample "
                     "(a folder of audio files under --samples)");
            return -1;
        } else if ((stand = graph_synth_stand_in(name))) {
            snd.kind = SND_SYNTH;
            snd.synth = stand->kind;
            cc_warn(c, at, "no sample folder is called '%s': the %s synth plays it", name,
                    dsp_synth_kind_name((enum dsp_synth_kind)snd.synth));
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
    return cc_add_sound(c, &snd, at);
}

/* The names an s control can take: every string atom under an s/sound
 * control of the pattern (and the first element of ':' lists). */
struct names {
    const char *v[256];
    struct lang_pos pos[256];           /* where each is written (0:0 unknown) */
    int n;
    char joined[4096];                  /* the names "b s" |++ "d n" makes: bd, sn ... */
    size_t used;
    int numbers;                        /* a side of |++: numbers count, as their text */
};

static void add_name(struct names *out, const char *name, int line, int col)
{
    int seen = 0;
    for (int i = 0; name && i < out->n; i++)
        seen |= strcmp(out->v[i], name) == 0;
    if (name && !seen && out->n < (int)(sizeof out->v / sizeof *out->v)) {
        out->pos[out->n].line = line;
        out->pos[out->n].col = col;
        out->v[out->n++] = name;
    }
}

/* The name a value of an s pattern plays: a string, the first of a ':'
 * list; on a side of |++, a number as its text. */
static void add_value(struct names *out, const struct val *v, int line, int col)
{
    const char *name = v->kind == VAL_STR ? v->u.str
                     : v->kind == VAL_LIST && v->n && v->u.list[0].kind == VAL_STR ? v->u.list[0].u.str
                     : NULL;
    if (!name && out->numbers && v->kind == VAL_NUM && out->used + 32 <= sizeof out->joined) {
        name = out->joined + out->used;     /* "1" in "drum" |++ "1" */
        out->used += val_format_num(v->u.num, out->joined + out->used, 32) + 1;
    }
    add_name(out, name, line, col);
}

static void collect_key(const struct pnode *p, const char *key, int under_s, struct names *out, int depth);

/* s (a |++ b): every name of a joined to every name of b (the atoms of
 * each side, numbers as their text), as the query will join them. */
static void collect_joined(const struct pnode *p, struct names *out, int depth)
{
    struct names *l = malloc(sizeof *l), *r = malloc(sizeof *r);
    if (l && r) {
        l->n = r->n = 0;
        l->used = r->used = 0;
        l->numbers = r->numbers = 1;
        collect_key(p->kids[0], "s", 1, l, depth + 1);
        collect_key(p->kids[1], "s", 1, r, depth + 1);
        for (int i = 0; i < l->n; i++)
            for (int j = 0; j < r->n; j++) {
                size_t n = strlen(l->v[i]) + strlen(r->v[j]) + 1;
                if (out->used + n > sizeof out->joined)
                    break;
                char *s = out->joined + out->used;
                snprintf(s, n, "%s%s", l->v[i], r->v[j]);
                out->used += n;
                add_name(out, s, l->pos[i].line, l->pos[i].col);
            }
    }
    free(l);
    free(r);
}

/* The names under control key (s, bank) in p. */
static void collect_key(const struct pnode *p, const char *key, int under_s, struct names *out, int depth)
{
    if (!p || depth > 2 * PAT_MAX_DEPTH)
        return;
    if (p->kind == P_FMAP && p->op == FM_CONTROL)
        under_s = strcmp(p->v.u.str, key) == 0;
    if (under_s && p->kind == P_APP && (p->op & ~APP_MODE_MASK) == VOP_CAT && p->n == 2) {
        collect_joined(p, out, depth);
        return;
    }
    if (under_s && p->kind == P_PURE)
        add_value(out, &p->v, p->line, p->col);
    for (uint32_t i = 0; under_s && p->kind == P_VALCAT && i < p->v.n; i++)
        add_value(out, &p->v.u.list[i], p->line, p->cols ? p->cols[i] : 0);
    for (int i = 0; i < p->n; i++)
        collect_key(p->kids[i], key, under_s, out, depth + 1);
    if (p->fn)
        collect_key(p->fn, key, under_s, out, depth + 1);
}

/* Resolve name i of ns. A name made by |++ is one the query may make (the
 * sides' names are crossed); one that names nothing is dropped (NULL, and
 * -2 returned): if the query does make it, it plays silence. */
static int resolve_name(struct cc *c, struct names *ns, int i, struct lang_pos at)
{
    const char *name = ns->v[i];
    if (!name)
        return -2;
    if (name >= ns->joined && name < ns->joined + sizeof ns->joined) {
        struct sample_error serr = { 0 };
        int known = name[0] == '~' ? cc_find_bus(c, name + 1) != NULL
                  : graph_synth(name) || (c->o->bank && sample_bank_lookup(c->o->bank, name, &serr));
        if (!known) {
            ns->v[i] = NULL;
            return -2;
        }
        if (!(ns->v[i] = arena_strndup(c->a, name, strlen(name))))
            return cc_oom(c, at);
    }
    return sound_resolve(c, ns->v[i], ns->pos[i].line ? ns->pos[i] : at);
}

/* issue 12, Strudel's bank: s "bd" # bank "RolandTR909" plays the folder
 * RolandTR909_bd. Every bank name with every sound name (not a bus) whose
 * folder exists is added to the names; one that does not is warned about,
 * and its events play the plain name (voice.c). */
static int add_banked(struct cc *c, const struct pnode *pat, struct names *out, struct lang_pos at)
{
    struct names *banks = malloc(sizeof *banks);
    if (!banks)
        return cc_oom(c, at);
    banks->n = 0;
    banks->used = 0;
    banks->numbers = 0;
    collect_key(pat, "bank", 0, banks, 0);
    int n = out->n;
    for (int b = 0; b < banks->n; b++)
        for (int i = 0; i < n && out->n < (int)(sizeof out->v / sizeof *out->v); i++) {
            if (out->v[i][0] == '~')
                continue;
            char name[256];
            snprintf(name, sizeof name, "%s_%s", banks->v[b], out->v[i]);
            if (!c->o->bank || !sample_bank_has_folder(c->o->bank, name)) {
                struct lang_pos p = banks->pos[b].line ? banks->pos[b] : at;
                cc_warn(c, p, "bank: no sample folder '%s'; those events play '%s'", name, out->v[i]);
                continue;
            }
            out->pos[out->n] = banks->pos[b];
            out->v[out->n] = arena_strndup(c->a, name, strlen(name));
            if (!out->v[out->n++]) {
                free(banks);
                return cc_oom(c, at);
            }
        }
    free(banks);
    return 0;
}

static int collect_sounds(struct cc *c, const struct pnode *p, struct names *out, struct lang_pos at)
{
    out->used = 0;
    out->numbers = 0;
    collect_key(p, "s", 0, out, 0);
    return add_banked(c, p, out, at);
}

/* What the names a sound pattern plays are: *samples when one is a sample
 * folder, *others when one is an instrument or a synth (or, with no name,
 * the default instrument). Resolves them (once). */
int sound_kinds(struct cc *c, const struct pnode *pat, struct lang_pos at, int *samples, int *others)
{
    struct names *names = malloc(sizeof *names);
    if (!names)
        return cc_oom(c, at);
    names->n = 0;
    if (collect_sounds(c, pat, names, at)) {
        free(names);
        return -1;
    }
    *samples = 0;
    *others = names->n == 0;
    for (int i = 0; i < names->n; i++) {
        int si = resolve_name(c, names, i, at);
        if (si == -2)
            continue;
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

/* Per-event controls set where the evaluation could not turn them into
 * filters on the audio (inside lists, stack ...) and that no voice runs
 * here: warned once per file each. */
static void warn_controls(struct cc *c, const struct pnode *pat, struct lang_pos at, int samples, int others,
                          int instrs)
{
    if (samples && !(c->warned & 1) && cc_sets_control(pat, "cutoff") && cc_sets_control(pat, "hcutoff")) {
        c->warned |= 1;
        cc_warn(c, at, "lpf and hpf set per event on the same samples (inside a list or a function's argument): "
                "a sample voice runs one filter, so only the lpf is heard; put the hpf on the whole sound, "
                "e.g. (stack [..]) # hpf 200");
    }
    if (others && !(c->warned & 4)) {
        /* issue 12: these move a sample's playback speed: sample voices
         * only (the other per-voice effects run on every voice, h-controls);
         * synths take accelerate as SuperDirt's do (graph_synthctl.c says
         * which) */
        if (cc_sets_control(pat, "penv")) {
            c->warned |= 4;
            cc_warn(c, at, "penv per event applies to samples only; instruments and synths played here ignore it");
        } else if (instrs && cc_sets_control(pat, "accelerate")) {
            c->warned |= 4;
            cc_warn(c, at, "accelerate per event applies to samples and synths only; instruments played here "
                    "ignore it");
        }
    }
}

/* issue 14: the MIDI controls act on s "midi" events only: set where no
 * "midi" is played, they are warned about once per file. (nudge moves
 * voices and MIDI events alike.) */
static void check_midi_controls(struct cc *c, const struct pnode *pat, struct lang_pos at, int midi)
{
    static const char *const midi_only[] = { "midichan", "midicmd", "ccn", "ccv", "nrpn", "val", "progNum",
                                             "polyTouch", "midibend", "miditouch", "ctlNum", "control", "songPtr" };
    for (int i = 0; !midi && !(c->warned & 8) && i < (int)(sizeof midi_only / sizeof *midi_only); i++)
        if (cc_sets_control(pat, midi_only[i])) {
            c->warned |= 8;
            cc_warn(c, at, "%s is a MIDI control: it acts on events of s \"midi\" only, and none is played here",
                    midi_only[i]);
        }
}

/* A new player of pat with its PLAYER node; the player's index, or -1. */
static int add_player(struct cc *c, const struct pnode *pat, struct lang_pos at)
{
    if (c->nplayers == c->capplayers) {
        int cap = c->capplayers ? c->capplayers * 2 : 8;
        struct player *v = realloc(c->players, sizeof *v * (size_t)cap);
        if (!v)
            return cc_oom(c, at);
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
    int node = cc_node(c, N_PLAYER, 0, 2, NULL, 0, at);
    if (node < 0)
        return -1;
    struct player *pl = &c->players[c->nplayers++];
    memset(pl, 0, sizeof *pl);
    pl->node = node;
    pl->pat = pat;
    pl->key = c->nodes.v[node].key;
    pl->default_instr = c->default_instr;
    c->nodes.v[node].pat = pat;
    c->nodes.v[node].aux = pi;
    return pi;
}

/* The VOICESUM node of instrument ii's voices under player pi (*vs; -1
 * when it could not be added), then the instrument's chain after its
 * voices on it. The chain's output node, or -1. */
static int voice_chain(struct cc *c, int pi, int ii, struct lang_pos at, int *vs)
{
    *vs = cc_node(c, N_VOICESUM, 0, 2, NULL, 0, at);
    if (*vs < 0)
        return -1;
    c->nodes.v[*vs].aux = pi;
    c->nodes.v[*vs].aux2 = ii;
    struct cval cur;
    memset(&cur, 0, sizeof cur);
    cur.k = CV_SIG;
    cur.node = *vs;
    cur.nch = 2;
    for (int k = 0; k < c->instrs[ii].post; k++) {
        const struct lang_node *f_ast = c->posts[ii][k];
        struct cval f;
        if (c->eval(c, f_ast, &f))
            return -1;
        if (f.k != CV_SFN || !f.fn->input)
            return cc_fail(c, f_ast->pos, "'#' after a sound needs an effect, filter or envelope");
        if (signal_sfn(c, &f, &cur, f_ast->pos, &cur))
            return -1;
    }
    return signal_of(c, &cur, at);
}

/* The player's own voices (node) mixed with its instruments' chains,
 * GNODE_MAX_IN at a time; the mix node, or -1. */
static int mix_chains(struct cc *c, int node, const int *chains, int nsub, struct lang_pos at)
{
    int acc = node;
    for (int k = 0; k < nsub; k += GNODE_MAX_IN - 1) {
        int in[GNODE_MAX_IN], nin = 0;
        in[nin++] = acc;
        for (int j = k; j < nsub && nin < GNODE_MAX_IN; j++)
            in[nin++] = chains[j];
        acc = cc_node(c, N_MIX, 0, 2, in, nin, at);
        if (acc < 0)
            return -1;
    }
    return acc;
}

/* A player node for a sound pattern, then, for each instrument it plays
 * that has a chain after its voices, a VOICESUM node with that chain, all
 * mixed. Returns the node that carries the player's sound. */
int sound_player(struct cc *c, const struct pnode *pat, struct lang_pos at)
{
    struct names *names = malloc(sizeof *names);
    if (!names)
        return cc_oom(c, at);
    names->n = 0;
    if (collect_sounds(c, pat, names, at)) {
        free(names);
        return -1;
    }
    int samples = 0, others = names->n == 0, midi = 0, instrs = names->n == 0, kinds[DSP_SYNTH_KINDS], nk = 0;
    for (int i = 0; i < names->n; i++) {
        int si = resolve_name(c, names, i, at);
        if (si == -2)
            continue;
        if (si < 0) {
            free(names);
            return -1;
        }
        samples |= c->sounds[si].kind == SND_SAMPLE;
        others |= c->sounds[si].kind == SND_INSTR || c->sounds[si].kind == SND_SYNTH;
        instrs |= c->sounds[si].kind == SND_INSTR;
        midi |= c->sounds[si].kind == SND_MIDI;
        /* issue 12 (h-synthctl): the synths played, once each */
        int k = c->sounds[si].synth, seen = 0;
        for (int j = 0; j < nk && c->sounds[si].kind == SND_SYNTH; j++)
            seen |= kinds[j] == k;
        if (c->sounds[si].kind == SND_SYNTH && !seen && nk < DSP_SYNTH_KINDS)
            kinds[nk++] = k;
        nest_warn_pitch(c, pat, names->v[i], at);
    }
    warn_controls(c, pat, at, samples, others, instrs);
    check_synth_args(c, pat, at, kinds, nk, samples || instrs);
    check_midi_controls(c, pat, at, midi);
    int pi = add_player(c, pat, at);
    if (pi < 0) {
        free(names);
        return -1;
    }
    int node = c->players[pi].node;
    int subs_i[16], subs_n[16], chains[16], nsub = 0;
    for (int i = 0; i < names->n && nsub < 16; i++) {
        if (!names->v[i])
            continue;
        int si = sound_resolve(c, names->v[i], at);
        const struct sound *snd = &c->sounds[si];
        if (snd->kind != SND_INSTR || !c->instrs[snd->instr].post)
            continue;
        int ii = snd->instr, vs;
        int chain = voice_chain(c, pi, ii, at, &vs);
        if (vs < 0)
            break;
        if (chain < 0) {
            free(names);
            return -1;
        }
        subs_i[nsub] = ii;
        subs_n[nsub] = vs;
        chains[nsub++] = chain;
    }
    free(names);
    if (nsub == 0)
        return node;
    struct player *pl = &c->players[pi];
    int *si = ARENA_ARRAY(c->a, int, nsub), *sn = ARENA_ARRAY(c->a, int, nsub);
    if (!si || !sn)
        return cc_oom(c, at);
    memcpy(si, subs_i, sizeof *si * (size_t)nsub);
    memcpy(sn, subs_n, sizeof *sn * (size_t)nsub);
    pl->sub_instr = si;
    pl->sub_node = sn;
    pl->nsub = nsub;
    return mix_chains(c, node, chains, nsub, at);
}

/* The default instrument: notes without s play a triangle. */
int sound_default_instr(struct cc *c)
{
    struct lang_node fake;
    memset(&fake, 0, sizeof fake);
    fake.kind = LANG_NAME;
    fake.text = "tri";
    struct ibuild *ib = malloc(sizeof *ib);
    if (!ib)
        return cc_oom(c, fake.pos);
    int idx = instr_build(c, "tri", &fake, ib, fake.pos);
    free(ib);
    return idx;
}
