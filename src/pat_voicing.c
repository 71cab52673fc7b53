/* pat_voicing.c -- Strudel's chord symbols and voicings (issue 11, item 1).
 *
 * Meaning from Strudel 1.2.6 (@strudel/tonal: voicing, renderVoicing): each
 * event's chord symbol ("C^7", "F#m7b5", "Bb7#11/D") becomes the notes of
 * one voicing of its dictionary, all with the event's whole and part. The
 * symbol is a root [A-G][b#]*, a quality up to an optional "/bass" (which
 * changes nothing, as in Strudel). The voicing is the dictionary's one whose
 * top note (modes below, duck) or bottom note (above, root) lies nearest
 * under the anchor, in pitch classes; offset moves to the next voicing of
 * the list; n picks one note of it as a scale step. The controls that steer
 * it (chord dictionary anchor mode offset n octaves) are taken out of the
 * event; the others stay on each note, a note among them winning as
 * Strudel's .set(rest) does.
 *
 * Notes are numbers, semitones from c4 (phonon's note), where Strudel gives
 * note names (or MIDI numbers with n): the same pitches. An event whose
 * chord, dictionary or mode is unknown plays nothing, as in Strudel (which
 * logs it).
 */
#include "pat_voicing.h"
#include "pat_ops_impl.h"
#include "pat_tonal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum vdict {
#define VD_ENUM(id, name, aliases, desc) VD_##id,
    VOICING_DICTIONARIES(VD_ENUM)
#undef VD_ENUM
    VD_COUNT
};

static const struct vdict_row {
    const char *name;
    int aliases;
} vdicts[] = {
#define VD_ROW(id, name, aliases, desc) { name, aliases },
    VOICING_DICTIONARIES(VD_ROW)
#undef VD_ROW
};

static const struct vrow {
    int dict;
    const char *sym, *voicings;
} vrows[] = {
#define V_ROW(id, sym, voicings) { VD_##id, sym, voicings },
    VOICING_ROWS(V_ROW)
#undef V_ROW
};

enum {
    NVROWS = sizeof vrows / sizeof *vrows,
    VMAX = 16,                  /* voicings of one symbol, at most (ireal-ext has 12) */
    NMAX = 8,                   /* notes of one voicing, at most (5) */
};

enum vmode { VM_BELOW, VM_DUCK, VM_ABOVE, VM_ROOT, VM_COUNT };
static const char *const mode_names[VM_COUNT] = { "below", "duck", "above", "root" };

/* The control keys voicing reads (and takes out of the event). */
static const char *const voicing_keys[] = { "chord", "dictionary", "anchor", "mode", "offset", "n", "octaves" };

/* Does s equal key k with its first c replaced by to (k holding a c)? */
static int alias_eq(const char *s, const char *k, char c, const char *to)
{
    const char *at = strchr(k, c);
    size_t pre, tl = strlen(to);
    if (!at)
        return 0;
    pre = (size_t)(at - k);
    return strncmp(s, k, pre) == 0 && strncmp(s + pre, to, tl) == 0 && strcmp(s + pre + tl, at + 1) == 0;
}

/* The voicings of symbol sym (len bytes) in dictionary d, or NULL. */
static const char *symbol_voicings(int d, const char *sym, size_t len)
{
    char s[32];
    if (len >= sizeof s)
        return NULL;
    memcpy(s, sym, len);
    s[len] = 0;
    for (int i = 0; i < NVROWS; i++)
        if (vrows[i].dict == d && strcmp(vrows[i].sym, s) == 0)
            return vrows[i].voicings;
    for (int i = 0; vdicts[d].aliases && i < NVROWS; i++) {
        const char *k = vrows[i].sym;
        if (vrows[i].dict == d && ((strcmp(k, "^") == 0 && !*s) || alias_eq(s, k, '-', "m") ||
                                   alias_eq(s, k, '^', "M") || alias_eq(s, k, '+', "aug")))
            return vrows[i].voicings;
    }
    return NULL;
}

/* "0 7 11, 4 11 14" into v[VMAX][NMAX] with len[]; the count. */
static int parse_voicings(const char *t, double v[VMAX][NMAX], int *len)
{
    int nv = 0;
    len[0] = 0;
    while (*t && nv < VMAX) {
        char *end;
        double x = strtod(t, &end);
        if (end == t)
            break;
        if (len[nv] < NMAX)
            v[nv][len[nv]++] = x;
        t = end;
        while (*t == ' ')
            t++;
        if (*t == ',') {
            t++;
            if (++nv < VMAX)
                len[nv] = 0;
        }
    }
    return len[nv] ? nv + 1 : nv;
}

/* JavaScript's ((n % m) + m) % m (Strudel's _mod). */
static double jsmod(double n, double m)
{
    return fmod(fmod(n, m) + m, m);
}

/* tokenizeChord: ^([A-G][b#]*)([^/]*)/?([A-G][b#]*)?$ . Sets the root's
 * chroma (C 0 .. B 11 plus its accidentals) and the symbol; 0, or -1. */
static int tokenize_chord(const char *s, double *chroma, const char **sym, size_t *sym_len)
{
    static const int natural[7] = { 9, 11, 0, 2, 4, 5, 7 };    /* A .. G */
    if (s[0] < 'A' || s[0] > 'G')
        return -1;
    double x = natural[s[0] - 'A'];
    const char *p = s + 1;
    for (; *p == 'b' || *p == '#'; p++)
        x += *p == '#' ? 1 : -1;
    const char *slash = strchr(p, '/');
    *sym = p;
    *sym_len = slash ? (size_t)(slash - p) : strlen(p);
    if (slash) {
        const char *b = slash + 1;
        if (*b) {
            if (*b < 'A' || *b > 'G')
                return -1;
            for (b++; *b == 'b' || *b == '#'; b++)
                ;
            if (*b)
                return -1;
        }
    }
    *chroma = x;
    return 0;
}

/* The voicing's note compared with the anchor in mode m. */
static double mode_target(int m, const double *v, int n)
{
    return m == VM_BELOW || m == VM_DUCK ? v[n - 1] : v[0];
}

struct vopts {
    const char *chord;
    int dict, mode;
    double anchor, offset, octaves, n;
    int has_n;
};

/* renderVoicing: the notes (MIDI) of o's chord into notes; the count, or
 * -1 when the chord is not one of the dictionary's. */
static int render(const struct vopts *o, double *notes)
{
    double root, v[VMAX][NMAX], diff[VMAX], min = 0;
    int len[VMAX], best = 0;
    const char *sym;
    size_t sl;
    if (tokenize_chord(o->chord, &root, &sym, &sl))
        return -1;
    const char *text = symbol_voicings(o->dict, sym, sl);
    int nv = text ? parse_voicings(text, v, len) : 0;
    if (nv == 0)
        return -1;
    double anchor_chroma = fmod(o->anchor, 12);
    for (int i = 0; i < nv; i++) {
        diff[i] = jsmod(anchor_chroma - mode_target(o->mode, v[i], len[i]) - root, 12);
        if (i == 0 || diff[i] < min) {
            min = diff[i];
            best = i;
        }
    }
    if (o->mode == VM_ROOT)
        best = 0;
    double oct = ceil(o->offset / nv) * 12;
    int k = (int)jsmod(best + o->offset, nv), n = 0;
    double top = mode_target(o->mode, v[k], len[k]), at = o->anchor - diff[k] + oct;
    for (int j = 0; j < len[k]; j++) {
        double x = at - top + v[k][j];
        if (!(o->mode == VM_DUCK && x == o->anchor))
            notes[n++] = x;
    }
    if (o->has_n) {             /* scaleStep: the n-th note, octaves*12 a round */
        if (n == 0)
            return -1;
        double x = notes[(int)jsmod(o->n, n)] + floor(o->n / n) * o->octaves * 12;
        notes[0] = x;
        return 1;
    }
    return n;
}

/* The index of s among dictionary names (dict 1) or mode names, or -1. */
static int find_name(const char *s, int dict)
{
    for (int i = 0; i < (dict ? VD_COUNT : VM_COUNT); i++)
        if (strcmp(s, dict ? vdicts[i].name : mode_names[i]) == 0)
            return i;
    return -1;
}

static int is_voicing_key(const char *k)
{
    for (size_t i = 0; i < sizeof voicing_keys / sizeof *voicing_keys; i++)
        if (strcmp(k, voicing_keys[i]) == 0)
            return 1;
    return 0;
}

/* A number control (integer when whole is set) into *x; 0 when absent
 * (*x stays its default), -1 when it is not such a number. */
static int num_opt(struct val m, const char *key, int whole, double *x)
{
    const struct val *v = val_map_get(m, key);
    if (!v)
        return 0;
    if (v->kind != VAL_NUM || !isfinite(v->u.num) || (whole && v->u.num != floor(v->u.num)))
        return -1;
    *x = v->u.num;
    return 1;
}

/* The options of one event's value (a chord symbol, or a control map); -1
 * when the event plays nothing. */
static int read_opts(struct val v, struct vopts *o)
{
    *o = (struct vopts){ .dict = VD_IREAL, .mode = VM_BELOW, .anchor = 72, .offset = 0, .octaves = 1 };
    if (v.kind == VAL_STR) {
        o->chord = v.u.str;
        return 0;
    }
    const struct val *ch = val_map_get(v, "chord"), *d = val_map_get(v, "dictionary"),
                     *a = val_map_get(v, "anchor"), *m = val_map_get(v, "mode");
    if (!ch || ch->kind != VAL_STR)
        return -1;
    o->chord = ch->u.str;
    if (d && (d->kind != VAL_STR || (o->dict = find_name(d->u.str, 1)) < 0))
        return -1;
    if (m && (m->kind != VAL_STR || (o->mode = find_name(m->u.str, 0)) < 0))
        return -1;
    if (a && a->kind == VAL_NUM)
        o->anchor = a->u.num;                       /* a MIDI number, as in Strudel */
    else if (a && (a->kind != VAL_STR || val_note_midi(a->u.str, 4, &o->anchor)))
        return -1;
    if (num_opt(v, "offset", 1, &o->offset) < 0 || num_opt(v, "octaves", 0, &o->octaves) < 0)
        return -1;
    o->has_n = num_opt(v, "n", 1, &o->n);
    return o->has_n < 0 || !isfinite(o->anchor) ? -1 : 0;
}

/* v without the voicing controls (a map), in arena a; {} for a string. */
static int rest_of(struct arena *a, struct val v, struct val *rest)
{
    *rest = (struct val){ VAL_MAP, 0, { .map = NULL } };
    if (v.kind != VAL_MAP)
        return 0;
    struct pat_kv *kv = ARENA_ARRAY(a, struct pat_kv, v.n ? v.n : 1);
    if (!kv)
        return -1;
    uint32_t n = 0;
    for (uint32_t i = 0; i < v.n; i++)
        if (!is_voicing_key(v.u.map[i].key))
            kv[n++] = v.u.map[i];
    rest->n = n;
    rest->u.map = kv;
    return 0;
}

#define NO_MEMORY "the query needs more memory than the engine reserves"

static void vfail(struct pat_ctx *c, const char *msg)
{
    if (!c->err) {
        c->err = PAT_ERR_LIMIT;
        snprintf(c->msg, sizeof c->msg, "%s", msg);
    }
}

void pat_voicing_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from)
{
    (void)p;
    int n = out->n - from;
    if (n == 0)
        return;
    if ((long)from + (long)n * NMAX > c->max_events) {
        vfail(c, "the query would produce too many events");
        return;
    }
    struct pat_evbuf res = { ARENA_ARRAY(c->scratch, struct pat_ev, from + n * NMAX), from, from + n * NMAX };
    if (!res.ev) {
        vfail(c, NO_MEMORY);
        return;
    }
    if (from)
        memcpy(res.ev, out->ev, sizeof *res.ev * (size_t)from);
    for (int i = from; i < out->n; i++) {
        struct vopts o;
        double notes[NMAX];
        struct val rest;
        int k = read_opts(out->ev[i].v, &o) ? -1 : render(&o, notes);
        if (k > 0 && rest_of(c->scratch, out->ev[i].v, &rest)) {
            vfail(c, NO_MEMORY);
            return;
        }
        for (int j = 0; j < k; j++) {
            struct pat_ev *ev = &res.ev[res.n++];
            *ev = out->ev[i];
            ev->v = val_map_get(rest, "note") ? rest : val_map_set(c->scratch, rest, "note", val_num(notes[j] - 60));
            if (ev->v.kind == VAL_NONE) {
                vfail(c, NO_MEMORY);
                return;
            }
        }
    }
    *out = res;
}

/* ---- the builder (a row of PAT_OPS) --------------------------------------------------- */

const struct pnode *op_voicing(const struct op_args *A)
{
    return pat_node1(A->a, P_TONAL, TK_VOICING, A->p);
}
