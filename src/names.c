/* names.c -- the namespaces' rows in one place (names.h), for the language
 * page and anything else that lists names.
 *
 * Each namespace's rows come from its own table: pattern functions and
 * signals from pat_ops.c, sound functions, controls, synths and statements
 * from the compiler's tables, operators from LANG_OPS (lang.h). Only the
 * mini-notation has no name table of its own (pat_mini.c parses by hand):
 * its constructs are listed here, one row each, in the order of
 * LANGUAGE.md section 3.
 */
#include "names.h"

#include "lang.h"

#include <stddef.h>

#define OP_DOC(e, text, prec, desc, example) { text, NULL, "", desc, example },
static const struct name_doc op_docs[] = { LANG_OPS(OP_DOC) };
#undef OP_DOC

/* The constructs of mini-notation, as `name` the construct written in
 * general form. */
static const struct name_doc mini_docs[] = {
    { "a b c", NULL, "", "a sequence: the steps share the cycle equally", "out: s \"bd sn hh\"" },
    { "~", NULL, "", "a rest", "out: s \"bd ~ sn ~\"" },
    { "[a b]", NULL, "", "a group: one step subdivided", "out: s \"bd [sn sn]\"" },
    { "[a, b]", NULL, "", "a stack: the layers play at once", "out: s \"[bd*2, hh*3]\"" },
    { "<a b c>", NULL, "", "alternation: one per cycle (nests)", "out: s \"bd <sn cp [cp cp]>\"" },
    { "a*n", NULL, "n: number or pattern", "repeat a step n times within it (fast)", "out: s \"bd*2 hh*<3 4>\"" },
    { "a/n", NULL, "n: number or pattern", "slow a step down by n", "out: s \"bd [sn hh]/2\"" },
    { "a!n", NULL, "n: count", "replicate a step n times (a bare ! repeats the last step)",
      "out: s \"bd!3 sn ! hh\"" },
    { "a@w", NULL, "w: weight", "give a step weight w (a _ extends the step before it)", "out: s \"bd@3 sn _ hh\"" },
    { "a?", NULL, "p: probability (default 0.5)", "drop the step at random (a?0.3: with probability 0.3)",
      "out: s \"hh*8?\"" },
    { "a|b|c", NULL, "", "a random choice per cycle", "out: s \"bd*2 [sn|cp|hh]\"" },
    { "a . b c", NULL, "", "feet: dots split the sequence into equal groups", "out: s \"bd sn . hh hh hh\"" },
    { "{a b c}%n", NULL, "n: steps per cycle", "polymeter: n steps of the sequence per cycle",
      "out: s \"{bd sn hh}%4\"" },
    { "{a b, c d e}", NULL, "", "polymeter: layers at the first layer's step rate", "out: s \"{bd sn, hh hh hh}\"" },
    { "a(k,n,r)", NULL, "k: pulses, n: steps, r: rotation (left)", "Euclidean rhythm (arguments may be patterns)",
      "out: s \"bd(3,8) sn(<3 5>,8,2)\"" },
    { "name:i", NULL, "i: file number", "a sample's file number", "out: s \"bd:1 sn:2\"" },
    { "1 -0.5 .25", NULL, "", "numbers", "out: n \"0 -0.5 .25\" # s \"arpy\"" },
    { "c4 e5 fs3 bb2", NULL, "", "note names (c4 = middle C = 0 under note)", "out: note \"c4 e4 g4\" # s \"arpy\"" },
    { "c4'maj'ii", NULL, "root'quality['modifier...]", "a chord: one step of simultaneous notes",
      "out: saw # note \"<c4'maj e4'min7'ii>\" # ar 0.01 0.2 # gain 0.3" },
};

static const char *const titles[NS_COUNT] = {
    [NS_PATTERN] = "Pattern functions",
    [NS_SIGNAL] = "Signals",
    [NS_SOUND] = "Sound functions",
    [NS_CONTROL] = "Controls",
    [NS_SYNTH] = "Synths",
    [NS_STATEMENT] = "Statements",
    [NS_OPERATOR] = "Operators",
    [NS_MINI] = "Mini-notation",
};

const char *names_ns_title(enum name_ns ns)
{
    return ns >= 0 && ns < NS_COUNT ? titles[ns] : "";
}

const struct name_doc *names_docs(enum name_ns ns, int *n)
{
    switch (ns) {
    case NS_PATTERN:
    case NS_SIGNAL:
        return pat_names(ns, n);
    case NS_SOUND:
    case NS_CONTROL:
    case NS_SYNTH:
    case NS_STATEMENT:
        return graph_names(ns, n);
    case NS_OPERATOR:
        *n = (int)(sizeof op_docs / sizeof *op_docs);
        return op_docs;
    case NS_MINI:
        *n = (int)(sizeof mini_docs / sizeof *mini_docs);
        return mini_docs;
    default:
        *n = 0;
        return NULL;
    }
}
