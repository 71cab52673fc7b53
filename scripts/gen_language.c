/* gen_language.c -- writes man/phonon-language.7 from the name tables.
 *
 *   build/gen-language            the page, on stdout (`make man` writes it)
 *   build/gen-language --examples every row's example: NAMESPACE<TAB>NAME<TAB>EXAMPLE
 *                                 (the line breaks of an example written as \036)
 *   build/gen-language --names    every documented name: NAMESPACE<TAB>NAME
 *
 * The page is the language's reference: every statement, operator,
 * mini-notation construct, pattern function, signal, sound function,
 * control and synth with its arguments, a line saying what it does and an
 * example, all read from the tables through names_docs() (names.h), so
 * that the page cannot drift from what the compiler accepts. `make test`
 * (tests/cli/language.sh) compares the committed page with this program's
 * output, lints it and checks every example with `phonon check`.
 */
#include "cli.h"
#include "engine.h"
#include "graph_cc.h"
#include "lang.h"
#include "names.h"
#include "pat.h"
#include "phonon.h"
#include "voice.h"

#include <stdio.h>
#include <string.h>

/* The page's order of the namespaces. */
static const enum name_ns order[] = { NS_STATEMENT, NS_OPERATOR, NS_MINI,  NS_PATTERN,
                                      NS_SIGNAL,    NS_SOUND,    NS_CONTROL, NS_SYNTH };
static const char *const ns_key[NS_COUNT] = {
    [NS_PATTERN] = "pattern", [NS_SIGNAL] = "signal",       [NS_SOUND] = "sound", [NS_CONTROL] = "control",
    [NS_SYNTH] = "synth",     [NS_STATEMENT] = "statement", [NS_OPERATOR] = "operator", [NS_MINI] = "mini",
};

/* s as roff text: backslashes escaped, hyphens as \-, a leading dot or
 * quote protected. */
static void roff(const char *s)
{
    for (const char *line = s; *s; s++) {
        if (s == line && (*s == '.' || *s == '\''))
            fputs("\\&", stdout);
        if (*s == '\n')        /* an example of several lines (the for loop's) */
            line = s + 1;
        if (*s == '\\')
            fputs("\\e", stdout);
        else if (*s == '-')
            fputs("\\-", stdout);
        else
            putchar(*s);
    }
}

static void section(enum name_ns ns)
{
    int n;
    const struct name_doc *d = names_docs(ns, &n);
    printf(".SH ");
    for (const char *t = names_ns_title(ns); *t; t++)
        putchar(*t >= 'a' && *t <= 'z' ? *t - 'a' + 'A' : *t);
    printf("\n");
    for (int i = 0; i < n; i++) {
        printf(".TP\n%s\\fB", ns == NS_OPERATOR ? "\\fIa\\fR " : "");
        roff(d[i].name);
        printf("\\fR%s", ns == NS_OPERATOR ? " \\fIb\\fR" : "");
        if (d[i].args && *d[i].args) {
            printf(" \\fI");
            roff(d[i].args);
            printf("\\fR");
        }
        printf("\n");
        roff(d[i].desc);
        if (d[i].alias_of) {
            printf(" (another name for \\fB");
            roff(d[i].alias_of);
            printf("\\fR)");
        }
        printf(".\n");
        if (d[i].example && *d[i].example) {
            printf(".RS\n.EX\n");
            roff(d[i].example);
            printf("\n.EE\n.RE\n");
        }
    }
}

/* The bounds every program runs within, from the constants the code uses:
 * what a flood, a deep nesting or a huge file meets instead of a stall. */
static void limits(void)
{
    puts(".SH LIMITS");
    puts("Whatever a file says, one audio block does a bounded amount of work;");
    puts("what does not fit is dropped, counted, and reported once per reload (the");
    puts(".B live");
    puts("status line,");
    puts(".BR render 's");
    puts("summary).");
    puts(".TP");
    puts("File size");
    printf("At most %d MiB; a larger file is refused.\n", CLI_MAX_INPUT_BYTES >> 20);
    puts("A mini-notation step keeps tens of bytes (about a hundred while it is parsed) when");
    puts("its text is written again in the line (bd, sn:2, bd*2, bd@2, [bd sn]: the same text is");
    puts("one pattern, shared); so does a step with a random choice in it (bd?, [bd|sn]): its");
    puts("text is one pattern too, and the step keeps its seed.");
    puts(".TP");
    puts("Nesting");
    printf("Expressions nest at most %d deep, brackets in one mini-notation string %d,\n",
           LANG_MAX_DEPTH, PAT_MINI_MAX_DEPTH);
    printf("the evaluated pattern %d; deeper is an error naming the place.\n", PAT_MAX_DEPTH);
    puts("A sum or product of many terms is a flat list, not a nesting.");
    puts(".TP");
    puts("Functions");
    printf("The calls of functions (fn, ~name a b $) copy at most %d nodes of expressions\n", LANG_MAX_EXPANDED);
    puts("in one file (a node counts once, and once more for each of its operands); a");
    puts("function whose body calls another twice, and so on, multiplies them");
    puts("at each level, and past the bound the call is an error.");
    puts(".TP");
    puts("Events");
    printf("One query (one block of a playing output, or the range of\n.BR \"phonon query\" )\n");
    printf("yields at most %d events and does at most %d steps of work (a pattern node\n", PAT_MAX_EVENTS, PAT_MAX_WORK);
    puts("asked is one; an event of a plain sequence takes one). A block that would need more plays that output");
    puts("silent and is counted; a query reads only the steps it overlaps, so the");
    puts("cost follows the events in a block, not the steps written.");
    puts(".TP");
    puts("Nested instruments");
    printf("A bus played as an instrument (s \\(dq~bus\\(dq) may play other instrument buses, %d deep;\n",
           NEST_MAX_DEPTH);
    puts("deeper, or a bus that plays itself directly or through others, is an error naming the buses.");
    puts("As in the phonon family, a nested bus (a sound pattern, or audio with one in it:");
    puts("s \\(dq~s\\(dq + saw 55 * 0.2) is one sound on the global clock, whatever plays it:");
    puts("the events that play it gate its sound with their envelope, gain and pan (they do not");
    puts("restart it, nor transpose it: note on them is warned about), and its voices count as any others.");
    puts(".TP");
    puts("Voice starts");
    printf("At most %d per frame of a block (%d in a block of %d frames); the rest of\n",
           ENGINE_ONSETS_PER_FRAME, ENGINE_ONSETS_PER_FRAME * PHONON_DEFAULT_BLOCK, PHONON_DEFAULT_BLOCK);
    puts("a flood is dropped and counted.");
    puts(".TP");
    puts("Voices");
    printf(".B \\-\\-voices\n(default %d, at most %d) sound at once; when all play, a new one\n",
           PHONON_DEFAULT_VOICES, PHONON_MAX_VOICES);
    puts("takes the place of the oldest released voice, else the oldest.");
    puts(".TP");
    puts("Pitch and speed");
    printf("Oscillator frequencies are held below half the sample rate, NaN becomes 0,\n");
    printf("sample speeds are held within \\(+-%g; each is counted and warned.\n", VOICE_MAX_SPEED);
    puts(".TP");
    puts("Output");
    puts("The master never sends NaN, infinity or a sample beyond \\(+-1.0: a limiter");
    puts("holds sustained full scale without clicks, and");
    puts(".B render");
    puts("says how much it limited.");
    puts(".TP");
    puts("Samples");
    printf("At most %d MiB of samples loaded by default\n.RB ( \\-\\-sample\\-mem );\n", PHONON_DEFAULT_SAMPLE_MEM);
    puts("samples no program uses are unloaded, least recently used first.");
    puts(".TP");
    puts("Warnings");
    printf("The first %d are printed, then a count of the rest.\n", CLI_MAX_WARNINGS);
}

/* What a Tidal or Strudel user should know (README has the same list). */
static void coming_from_tidal(void)
{
    static const char *const items[][2] = {
        { "$ and #", "$ applies a transform with either side the pattern and binds tighter than #: "
                     "s \"bd\" $ fast 2 # speed 2 is (s \"bd\" $ fast 2) # speed 2." },
        { "Octaves", "note names count from c4 = 0 (c5 is 12; Tidal's c5 is 0); a bare name (e) is 4 in both." },
        { "gain", "linear (0.5 is -6 dB); SuperDirt's is gain to the fourth. amp and postgain are linear." },
        { "n", "picks a sample's file; for synths and instruments it adds semitones to note." },
        { "Tidal over Strudel", "where they disagree, Tidal's meaning holds and the entry says so: arp "
                                "modes, scale output, fit, select, pickF, chunk' (chunkBack is Strudel's), "
                                "loopAt, slice, splice, binary." },
        { "Predicates", "a test for when, whenT, ifp, filterValues and filterWhen is a function of "
                        "patterns: a comparison section (> 3), (== 0), (/= 2), Haskell's mod and div "
                        "((`mod` 4), flip mod 4, Data.Fixed.mod'), composed with . ((== 0) . (`mod` 4)), "
                        "even, odd, not, and show, elem with Char literals ((elem '4') . show). Lambdas "
                        "(\\x -> ...) are not in the language. "
                        "Tidal's when tests the cycle number (Strudel's when takes booleans); whenT "
                        "tests each event's onset." },
        { "Booleans", "a \"...\" string given as the booleans of struct, mask, sew, stitch, while, reset or "
                      "restart is Tidal's Pattern Bool: t and f, and \"t(3,8)\" is t f f t f f t f; elsewhere "
                      "strings are true as in Strudel (\"f\" too)." },
        { "Per-voice effects", "every per-event effect of SuperDirt and Strudel runs on each voice it is given to: "
                               "samples, synths and instruments alike. leslie runs per voice (SuperDirt's is on "
                               "the orbit). vib and fmi are modulated delays of the voice, not modulations of an "
                               "oscillator. nudge and offset only delay a voice, never start it early. legato, "
                               "dur and sustain cut a sample at the end of its gate, as SuperDirt's do; sustain "
                               "given with decay is Strudel's level after the decay." },
        { "Scales", "a scale name with a root is Strudel's, from its whole dictionary, its words joined by : "
                    "(Strudel's .scale('C bebop major') is scale \"C:bebop:major\"); without a root it is "
                    "Tidal's table (scaleList)." },
        { "Sounds", "s \"piano\" (Strudel's default piano samples) plays the superpiano synth where no sample "
                    "folder has that name. SuperDirt's s \"in\" and \"inr\" are refused: live audio input is "
                    "out of scope." },
        { "Silent patterns", "a value that fails through a pattern argument (a scale name that does not exist) "
                             "plays silence as in Strudel, and is said: check warns of it in an output's first "
                             "8 cycles, render and live as they play, query on stderr." },
        { "Spectral effects", "comb, smear, scram, binshift, hbrick, lbrick, freeze, real, imag, enhance and "
                              "xsdelay/tsdelay are time-domain approximations of SuperDirt's FFT effects; each "
                              "entry says how. partials is refused: nothing in SuperDirt reads it." },
        { "voicing", "Strudel's .voicing() after controls is # voicing: n \"0 1 2\" # chord \"<C Am>\" # voicing. "
                     "Its notes are numbers from c4 where Strudel gives names; anchor numbers are MIDI as in "
                     "Strudel. The deprecated voicings is not there: use # dictionary with voicing." },
    };
    puts(".SH COMING FROM TIDAL AND STRUDEL");
    puts("Write o1 $ (or d1 $) for d1 $, and a Strudel method chain as a $ pipeline.");
    puts("Functions follow Tidal; where Strudel 1.2.6 has the same function, the events equal Strudel's.");
    puts("What differs:");
    for (size_t i = 0; i < sizeof items / sizeof *items; i++) {
        printf(".TP\n%s\n", items[i][0]);
        roff(items[i][1]);
        printf("\n");
    }
}

static void page(void)
{
    puts(".\\\" phonon-language.7 -- generated by build/gen-language from the name tables");
    puts(".\\\" (scripts/gen_language.c); do not edit: run `make man`.");
    puts(".TH PHONON-LANGUAGE 7 2026-12-06 \"phonon 0.1.0\" \"Miscellaneous Information Manual\"");
    puts(".nh");
    puts(".SH NAME");
    puts("phonon-language \\- the .ph pattern language of phonon, name by name");
    puts(".SH DESCRIPTION");
    puts("Every name the language knows, with its arguments, what it does and an");
    puts("example that compiles as written.");
    puts("Arguments are shown as");
    puts(".IR name : kind ,");
    puts("with a default after");
    puts(".B =");
    puts("and a range in brackets where there is one; named arguments may also be");
    puts("given as keywords");
    puts(".RI ( :name\\ value ).");
    puts("How a file is read, how expressions combine and how patterns become sound");
    puts("is described in");
    puts(".BR phonon (1),");
    puts("section THE LANGUAGE.");
    for (size_t i = 0; i < sizeof order / sizeof *order; i++)
        section(order[i]);
    limits();
    coming_from_tidal();
    puts(".SH SEE ALSO");
    puts(".BR phonon (1)");
}

static void list(int examples)
{
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        int n;
        const struct name_doc *d = names_docs(order[k], &n);
        for (int i = 0; i < n; i++) {
            printf("%s\t%s", ns_key[order[k]], d[i].name);
            if (examples) {     /* one line a row: an example's line breaks as \036 */
                putchar('\t');
                for (const char *e = d[i].example ? d[i].example : ""; *e; e++)
                    putchar(*e == '\n' ? '\036' : *e);
            }
            printf("\n");
        }
    }
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--examples") == 0)
        list(1);
    else if (argc == 2 && strcmp(argv[1], "--names") == 0)
        list(0);
    else if (argc == 1)
        page();
    else {
        fprintf(stderr, "usage: gen-language [--examples | --names]\n");
        return 64;
    }
    return 0;
}
