/* graph_synthctl.c -- which synth takes which of SuperDirt's per-synth
 * arguments (issue 12, h-synthctl).
 *
 * SuperDirt passes every control of an event to the synth it plays, and
 * each SynthDef reads the arguments it declares (superpiano velocity and
 * detune, supersaw voice, semitone, pitch1, lfo, resonance ...). phonon's
 * synths do the same (dsp_synth.c), and each SYNTHS row in graph_names.h
 * lists, in its args column, the arguments its synth takes: that list is
 * both the language page's and the one checked here. An argument set on a
 * pattern whose synth does not take it would change nothing, so the
 * compiler says so, naming the synth and the argument; so it does for a
 * synth-only argument on a pattern that plays no synth.
 */
#include "graph_cc.h"
#include "graph_names.h"
#include "dsp.h"

#include <string.h>

/* The arguments checked: first those only synths read, then those with a
 * meaning for samples or instruments too (checked on the synths only). */
static const char *const synth_only[] = { "voice", "detune", "rate", "semitone", "pitch1", "pitch2",
                                          "lfo", "slide", "modamp", "modfreq" };
static const char *const general[] = { "accelerate", "decay", "speed", "resonance" };

/* Whether the args column names arg (a word, up to '=' or '['). */
static int row_takes(const char *args, const char *arg)
{
    size_t n = strlen(arg);
    for (const char *p = args; (p = strstr(p, arg)) != NULL; p += n) {
        int start = p == args || p[-1] == ' ';
        int end = p[n] == '\0' || p[n] == ' ' || p[n] == '=' || p[n] == '[';
        if (start && end)
            return 1;
    }
    return 0;
}

/* Warn about arg on synth kind when its row does not take it; 1 if warned. */
static int check_one(struct cc *c, struct lang_pos at, int kind, const char *arg)
{
    const struct gsynth *g = graph_synth(dsp_synth_kind_name((enum dsp_synth_kind)kind));
    if (!g || row_takes(g->args, arg))
        return 0;
    cc_warn(c, at, "%s does not take %s: it changes nothing on %s events (%s takes: %s)", g->name, arg, g->name,
            g->name, g->args);
    return 1;
}

void check_synth_args(struct cc *c, const struct pnode *pat, struct lang_pos at, const int *kinds, int nk,
                      int others)
{
    int n_only = (int)(sizeof synth_only / sizeof *synth_only), n_gen = (int)(sizeof general / sizeof *general);
    for (int i = 0; i < n_only + n_gen; i++) {
        const char *arg = i < n_only ? synth_only[i] : general[i - n_only];
        if (!cc_sets_control(pat, arg))
            continue;
        if (strcmp(arg, "resonance") == 0 && cc_sets_control(pat, "cutoff"))
            continue;                                   /* the voice's filter's q */
        if (i < n_only && nk == 0 && others) {
            cc_warn(c, at, "%s is an argument of SuperDirt's synths (supersaw ...): none is played here, so it "
                    "changes nothing", arg);
            continue;
        }
        for (int k = 0; k < nk; k++)
            check_one(c, at, kinds[k], arg);
    }
}
