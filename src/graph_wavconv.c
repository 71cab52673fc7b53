/* graph_wavconv.c -- issue 13: the compiler's side of wavetable and convolve.
 *
 * Both take a sample as an argument in quotes, "name" or "name:n"
 * (wavetable freq "name:n", x # convolve "name:n" mix, or :sample "name:n"
 * anywhere). wavconv_sample_arg takes it off the function's arguments
 * before they are checked; wavconv_data looks the sample up in the bank
 * while the program is compiled and builds the node's tables
 * (dsp_wavconv.h) from its frames into the program's arena, so the audio
 * path reads memory that never changes and never touches a file. Without a
 * sample each plays the phonon family's default: a sine table, a small
 * room. A missing sample is an error naming it (with --allow-missing a
 * warning, and the node is silent), as is a silent one; a sample longer
 * than 1 s is cut to its first second, with a warning.
 *
 * Between graph_state.c and graph_signal.c in graph_cc.h's order: it calls
 * only the context (graph_cc.c) and the sample bank.
 */
#include "dsp_wavconv.h"
#include "graph_cc.h"
#include "phonon.h"
#include "sample.h"

#include <stdlib.h>
#include <string.h>

int wavconv_sample_arg(struct cc *c, struct cval *f, const char **name, struct lang_pos *pos)
{
    int slot = f->fn->op == N_WAVETABLE ? 1 : 0, npos = 0, take = -1;
    for (int i = 0; i < f->nargs; i++) {
        const struct carg *a = &f->args[i];
        const struct lang_node *ast = a->v.ast;
        if (a->kw ? strcmp(a->kw, "sample") == 0 : npos++ == slot && ast && ast->kind == LANG_STR)
            take = i;
    }
    if (take < 0)
        return 0;
    const struct carg *a = &f->args[take];
    if (!a->v.ast || a->v.ast->kind != LANG_STR || !a->v.ast->text[0] ||
        strpbrk(a->v.ast->text, " \t[]<>{}~*!?,|@()/%") || strlen(a->v.ast->text) > 200)
        return cc_fail(c, a->pos, "%s's sample is one name in quotes, \"name\" or \"name:n\" (not a pattern)",
                       f->fn->name);
    *name = a->v.ast->text;
    *pos = a->pos;
    struct carg *args = ARENA_ARRAY(c->a, struct carg, f->nargs > 1 ? f->nargs - 1 : 1);
    if (!args)
        return cc_oom(c, a->pos);
    int n = 0;
    for (int i = 0; i < f->nargs; i++)
        if (i != take)
            args[n++] = f->args[i];
    f->args = args;
    f->nargs = n;
    return 0;
}

/* The sample "name" or "name:n" of fname; *out NULL (and 0) when it is
 * missing and missing samples are allowed. */
static int find_sample(struct cc *c, const char *fname, const char *spec, struct lang_pos at,
                       const struct sample **out)
{
    char name[256];
    long n = 0;
    const char *colon = strrchr(spec, ':');
    size_t len = colon ? (size_t)(colon - spec) : strlen(spec);
    if (colon) {
        char *end;
        n = strtol(colon + 1, &end, 10);
        if (end == colon + 1 || *end || len == 0)
            return cc_fail(c, at, "%s: \"%s\" is not a sample \"name\" or \"name:n\"", fname, spec);
    }
    memcpy(name, spec, len);
    name[len] = '\0';
    struct sample_error serr = { 0 };
    const struct sample_set *set = c->o->bank ? sample_bank_lookup(c->o->bank, name, &serr) : NULL;
    *out = NULL;
    if (set) {
        *out = sample_set_pick(set, n);
        return 0;
    }
    if (c->o->allow_missing && (!c->o->bank || serr.code == PHONON_ENOENT)) {
        cc_warn(c, at, "%s: unknown sample name '%s'; it plays silence", fname, name);
        return 0;
    }
    if (serr.code && serr.code != PHONON_ENOENT)
        return cc_fail(c, at, "%s: %s", fname, serr.msg);
    return cc_fail(c, at, "%s: unknown sample name '%s' (a folder of audio files under a sample root)", fname, name);
}

/* The frames of s to use: all, or the first second (warned); 0 when s is
 * silent (an error). */
static long usable_frames(struct cc *c, const char *fname, const char *spec, const struct sample *s, struct lang_pos at)
{
    long bound = (long)(CV_MAX_S * c->o->sample_rate), len = (long)s->frames;
    int silent = 1;
    for (long i = 0; i < len * s->channels && silent; i++)
        silent = s->data[i] == 0.0f;
    if (silent) {
        cc_fail(c, at, "%s: the sample \"%s\" (%s) is silent: every frame is 0", fname, spec, s->path);
        return 0;
    }
    if (len > bound) {
        cc_warn(c, at, "%s: the sample \"%s\" is %.2f s long; its first %g s is used", fname, spec,
                (double)len / c->o->sample_rate, CV_MAX_S);
        len = bound;
    }
    return len;
}

static const void *wavetable_data(struct cc *c, const char *spec, struct lang_pos at)
{
    struct dsp_wavetable *w = arena_alloc(c->a, sizeof *w, 64);
    const struct sample *s = NULL;
    if (!w)
        return cc_oom(c, at), NULL;
    if (spec && find_sample(c, "wavetable", spec, at, &s))
        return NULL;
    if (spec && !s) {
        memset(w, 0, sizeof *w);                /* missing, allowed: silence */
        return w;
    }
    long len = s ? usable_frames(c, "wavetable", spec, s, at) : 0;
    if (s && !len)
        return NULL;
    if (s && len < 3)
        return cc_fail(c, at, "wavetable: the sample \"%s\" is %ld frames long; a cycle needs at least 3", spec,
                       len), NULL;
    if (dsp_wavetable_build(w, s ? s->data : NULL, len, s ? s->channels : 1))
        return cc_oom(c, at), NULL;
    return w;
}

static const void *convolve_data(struct cc *c, const char *spec, struct lang_pos at, int *nch)
{
    static const float zero = 0;
    float sr = (float)c->o->sample_rate;
    const struct sample *s = NULL;
    if (spec && find_sample(c, "convolve", spec, at, &s))
        return NULL;
    long len = s ? usable_frames(c, "convolve", spec, s, at) : spec ? 1 : dsp_conv_builtin_len(sr);
    if (s && !len)
        return NULL;
    struct dsp_conv_ir *h = arena_alloc(c->a, sizeof *h, 64);
    void *mem = arena_alloc(c->a, dsp_conv_ir_mem(len) ? dsp_conv_ir_mem(len) : 64, 64);
    if (!h || !mem)
        return cc_oom(c, at), NULL;
    dsp_conv_ir_build(h, s ? s->data : spec ? &zero : NULL, len, s ? s->channels : 1, sr, mem);
    *nch = h->channels > *nch ? h->channels : *nch;
    return h;
}

const void *wavconv_data(struct cc *c, int kind, const char *sample, struct lang_pos at, int *nch)
{
    return kind == N_WAVETABLE ? wavetable_data(c, sample, at) : convolve_data(c, sample, at, nch);
}
