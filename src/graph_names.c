/* graph_names.c -- the compiler's name tables: lookups and documentation rows.
 *
 * The tables themselves are X-macros (graph_names.h, controls.h); this file
 * expands them once into arrays, parses each sound function's parameter
 * string ("cutoff=1000[10,30000] q=0.707[0.1,50]") into names, defaults and
 * ranges the first time a table is used, and answers the compiler's
 * questions about names: which sound function or synth a name is, the names
 * to suggest from, whether a control does nothing. graph_names() gives the
 * rows of struct name_doc (names.h) that the language page, "did you mean"
 * and the test compiling every example read.
 *
 * A leaf: it calls nothing of the compiler (dsp_synth_kind_name names the
 * synths).
 * Thread context: any thread; the parse runs once (pthread_once).
 */
#include "graph_names.h"
#include "controls.h"
#include "names.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tables, expanded ------------------------------------------------------ */

#define SFN_ROW(nm, cls_, op_, in_, lane_, nreq_, args_, desc_, ex_) \
    { .name = nm, .cls = cls_, .op = op_, .input = in_, .lane = lane_, .nreq = nreq_, \
      .args = args_, .desc = desc_, .example = ex_ },
#define SFN_ALIAS(nm, of, ex_) { .name = nm, .alias_of = of, .example = ex_ },
static struct sfn sfns[] = { SOUND_FNS(SFN_ROW, SFN_ALIAS) };
#undef SFN_ROW
#undef SFN_ALIAS
enum { NSFNS = sizeof sfns / sizeof *sfns };

#define SYNTH_ROW(kind_, args_, desc_, ex_) { NULL, NULL, kind_, args_, desc_, ex_ },
#define WAVE_ROW(nm, of, desc_, ex_) { nm, of, GSYNTH_WAVE, "note", desc_, ex_ },
static struct gsynth synths[] = { SYNTHS(SYNTH_ROW, WAVE_ROW) };
#undef SYNTH_ROW
#undef WAVE_ROW
enum { NSYNTHS = sizeof synths / sizeof *synths };

struct gcontrol {
    const char *name, *alias_of, *ignored, *args, *desc, *example;
};
#define CONTROL_ROW(nm, of, kinds, keys, note, ign, args_, desc_, ex_) { nm, of, ign, args_, desc_, ex_ },
static const struct gcontrol controls[] = { PHONON_CONTROLS(CONTROL_ROW) };
#undef CONTROL_ROW
enum { NCONTROLS = sizeof controls / sizeof *controls };

#define STATEMENT_ROW(nm, of, kind_, args_, desc_, ex_) { nm, of, kind_, args_, desc_, ex_ },
static const struct gstatement statements[] = { LANG_STATEMENTS(STATEMENT_ROW) };
#undef STATEMENT_ROW
enum { NSTATEMENTS = sizeof statements / sizeof *statements };

/* ---- first use: parameters parsed, documentation rows built -------------------- */

static char param_names[NSFNS][SFN_MAX_PARAMS][24];
static struct name_doc docs[NS_COUNT][NSFNS + NCONTROLS + NSYNTHS + NSTATEMENTS];
static int ndocs[NS_COUNT];
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* "name=def[lo,hi] ..." into fn's params, def and range. A malformed
 * string is a programming error: abort, so the table's test finds it. */
static void parse_params(struct sfn *fn, char (*names)[24])
{
    const char *s = fn->args;
    while (*s) {
        int i = fn->nparams;
        const char *eq = strchr(s, '=');
        if (i == SFN_MAX_PARAMS || !eq || eq - s >= 24)
            abort();
        memcpy(names[i], s, (size_t)(eq - s));
        names[i][eq - s] = '\0';
        char *e;
        fn->params[i] = names[i];
        fn->def[i] = strtof(eq + 1, &e);
        if (*e != '[')
            abort();
        fn->range[i][0] = strtof(e + 1, &e);
        if (*e != ',')
            abort();
        fn->range[i][1] = strtof(e + 1, &e);
        if (*e != ']')
            abort();
        fn->nparams++;
        s = e + 1;
        while (*s == ' ')
            s++;
    }
}

static const struct sfn *sfn_row(const char *name)
{
    for (int i = 0; i < NSFNS; i++)
        if (strcmp(sfns[i].name, name) == 0)
            return &sfns[i];
    return NULL;
}

static void add_doc(enum name_ns ns, const char *name, const char *alias_of, const char *args, const char *desc,
                    const char *example)
{
    docs[ns][ndocs[ns]++] = (struct name_doc){ name, alias_of, args, desc, example };
}

static void init_tables(void)
{
    for (int i = 0; i < NSFNS; i++)
        if (!sfns[i].alias_of)
            parse_params(&sfns[i], param_names[i]);
    for (int i = 0; i < NSFNS; i++) {
        const struct sfn *f = &sfns[i], *t = f->alias_of ? sfn_row(f->alias_of) : f;
        if (!t)
            abort();
        add_doc(NS_SOUND, f->name, f->alias_of, t->args, t->desc, f->example);
    }
    for (int i = 0; i < NCONTROLS; i++) {
        const struct gcontrol *c = &controls[i];
        add_doc(NS_CONTROL, c->name, c->alias_of, c->args, c->desc, c->example);
    }
    for (int i = 0; i < NSYNTHS; i++) {
        struct gsynth *s = &synths[i];
        if (s->kind != GSYNTH_WAVE)
            s->name = dsp_synth_kind_name((enum dsp_synth_kind)s->kind);
        add_doc(NS_SYNTH, s->name, s->alias_of, s->args, s->desc, s->example);
    }
    for (int i = 0; i < NSTATEMENTS; i++) {
        const struct gstatement *s = &statements[i];
        add_doc(NS_STATEMENT, s->name, s->alias_of, s->args, s->desc, s->example);
    }
}

static void tables(void)
{
    pthread_once(&once, init_tables);
}

/* ---- lookups --------------------------------------------------------------------- */

const struct sfn *graph_sfn(const char *name)
{
    tables();
    const struct sfn *f = sfn_row(name);
    return f && f->alias_of ? sfn_row(f->alias_of) : f;
}

int graph_sfn_names(const char **names, int k, int cap)
{
    for (int i = 0; i < NSFNS && k < cap; i++)
        if (!sfns[i].alias_of)
            names[k++] = sfns[i].name;
    return k;
}

const char *const *graph_sfn_params(const struct sfn *fn)
{
    return fn->params;
}

const struct gsynth *graph_synth(const char *name)
{
    tables();
    for (int i = 0; i < NSYNTHS; i++)
        if (strcmp(synths[i].name, name) == 0)
            return &synths[i];
    return NULL;
}

const struct gsynth *graph_synth_stand_in(const char *name)
{
    const struct gsynth *w = graph_synth(name), *s = w && w->alias_of ? graph_synth(w->alias_of) : NULL;
    return w && w->kind == GSYNTH_WAVE && s && s->kind != GSYNTH_WAVE ? s : NULL;
}

int graph_synth_names(const char **names, int k, int cap)
{
    tables();
    for (int i = 0; i < NSYNTHS && k < cap; i++)
        if (synths[i].kind != GSYNTH_WAVE)
            names[k++] = synths[i].name;
    return k;
}

const char *graph_control_ignored(const char *name, int *index)
{
    for (int i = 0, k = 0; i < NCONTROLS; i++) {
        if (!controls[i].ignored)
            continue;
        if (strcmp(controls[i].name, name) == 0) {
            *index = k;
            return controls[i].ignored;
        }
        k++;
    }
    return NULL;
}

const struct gstatement *graph_statements(int *n)
{
    *n = NSTATEMENTS;
    return statements;
}

/* The node kinds' names (GNODE_KINDS, graph.h): for node keys and messages. */
const char *gnode_kind_name(int kind)
{
#define GNODE_NAME(k, name) name,
    static const char *const names[] = { GNODE_KINDS(GNODE_NAME) };
#undef GNODE_NAME
    return kind >= 0 && kind < N_KIND_COUNT ? names[kind] : "?";
}

const struct name_doc *graph_names(enum name_ns ns, int *n)
{
    tables();
    if (ns != NS_SOUND && ns != NS_CONTROL && ns != NS_SYNTH && ns != NS_STATEMENT) {
        *n = 0;
        return NULL;
    }
    *n = ndocs[ns];
    return docs[ns];
}

/* ---- issue 13: out of scope ------------------------------------------------------- */

const char *graph_out_of_scope(const char *name, int bus)
{
    if (bus)
        return strncmp(name, "midi", 4) == 0
               ? "MIDI input buses are out of scope: phonon plays patterns, it reads no MIDI device" : NULL;
#define OOS(nm, why) if (strcmp(name, nm) == 0) return why;
    OUT_OF_SCOPE(OOS)
#undef OOS
    return NULL;
}
