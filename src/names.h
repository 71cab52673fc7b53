/* names.h -- what every namespace table says about its names.
 *
 * The language's names live in one X-macro table per namespace, next to the
 * code that gives them meaning (PAT_OPS in pat.h for pattern functions, the
 * sound-function, control, synth and statement tables of the compiler). Each
 * table also yields rows of struct name_doc (names_docs), and everything
 * that talks about names reads those rows:
 * "did you mean" (lang_suggest), the language page (man/phonon-language.7,
 * written by build/gen-language, compared with the committed page by
 * `make test`) and the test that compiles every row's example.
 *
 * Thread context: constant data, any thread.
 */
#ifndef NAMES_H
#define NAMES_H

enum name_ns {
    NS_PATTERN,     /* pattern functions and operators' transforms (fast, every, ...) */
    NS_SIGNAL,      /* continuous patterns (sine, rand, perlin, ...) */
    NS_SOUND,       /* sound functions: oscillators, filters, envelopes, effects */
    NS_CONTROL,     /* per-event controls (s, n, note, gain, pan, cutoff, ...) */
    NS_SYNTH,       /* synth names played with s (superkick, supersaw, ...) */
    NS_STATEMENT,   /* statements (bpm:, out:, hush, ...) */
    NS_OPERATOR,    /* binary operators (LANG_OPS in lang.h) */
    NS_MINI,        /* mini-notation constructs (names.c) */
    NS_COUNT
};

struct name_doc {
    const char *name;       /* as written in a program */
    const char *alias_of;   /* NULL, or the name this one is another spelling of */
    const char *args;       /* the arguments as the page shows them, with defaults and
                               ranges: "n:count f:transform", "freq=261.63[0,1e6]", "" */
    const char *desc;       /* one line, no final period needed */
    const char *example;    /* one line of the language that compiles as written
                               (a whole statement: out: ...) */
};

/* The rows of namespace ns, in table order; *n gets their count (names.c). */
const struct name_doc *names_docs(enum name_ns ns, int *n);
const char *names_ns_title(enum name_ns ns);

/* The providers names_docs dispatches to, each next to its tables:
 * NS_PATTERN and NS_SIGNAL from pat_ops.c; the others from the compiler.
 * NULL with *n = 0 for a namespace the provider does not hold. */
const struct name_doc *pat_names(enum name_ns ns, int *n);
const struct name_doc *graph_names(enum name_ns ns, int *n);

#endif
