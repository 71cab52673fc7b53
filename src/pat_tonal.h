/* pat_tonal.h -- scales, chords and arpeggios (issue 11: tonal).
 *
 * The tables are Tidal's (Sound.Tidal.Scales, Sound.Tidal.Chords,
 * Sound.Tidal.UI's arp modes), one row per name, as X-macros:
 *
 *   TONAL_SCALES(X)   X(id, "name", (steps...))       semitones of one octave
 *   TONAL_CHORDS(X)   X(id, "name", (intervals...))   semitones above the root
 *   TONAL_ARPS(X)     X(id, "name", "description")    arp's modes
 *
 * A scale or chord that Tidal defines as another (bartok = melodicMajor,
 * M = major) is a row of its own with the same numbers, so that every name
 * is looked up the same way.
 *
 * The builders (op_scale, op_arp, ...) are rows of PAT_OPS (pat.h); the
 * patterns they make are P_TONAL nodes whose events pat_tonal_events
 * rewrites after the kid's query (pat_core.c calls it), because Tidal's
 * arp and rolled look at all the events of a query at once (withEvents).
 */
#ifndef PAT_TONAL_H
#define PAT_TONAL_H

#include "pat.h"

#define TONAL_SCALES(X) \
    X(minPent, "minPent", (0, 3, 5, 7, 10)) \
    X(majPent, "majPent", (0, 2, 4, 7, 9)) \
    X(ritusen, "ritusen", (0, 2, 5, 7, 9)) \
    X(egyptian, "egyptian", (0, 2, 5, 7, 10)) \
    X(kumai, "kumai", (0, 2, 3, 7, 9)) \
    X(hirajoshi, "hirajoshi", (0, 2, 3, 7, 8)) \
    X(iwato, "iwato", (0, 1, 5, 6, 10)) \
    X(chinese, "chinese", (0, 4, 6, 7, 11)) \
    X(indian, "indian", (0, 4, 5, 7, 10)) \
    X(pelog, "pelog", (0, 1, 3, 7, 8)) \
    X(prometheus, "prometheus", (0, 2, 4, 6, 11)) \
    X(scriabin, "scriabin", (0, 1, 4, 7, 9)) \
    X(gong, "gong", (0, 2, 4, 7, 9)) \
    X(shang, "shang", (0, 2, 5, 7, 10)) \
    X(jiao, "jiao", (0, 3, 5, 8, 10)) \
    X(zhi, "zhi", (0, 2, 5, 7, 9)) \
    X(yu, "yu", (0, 3, 5, 7, 10)) \
    X(whole, "whole", (0, 2, 4, 6, 8, 10)) \
    X(wholetone, "wholetone", (0, 2, 4, 6, 8, 10)) \
    X(augmented, "augmented", (0, 3, 4, 7, 8, 11)) \
    X(augmented2, "augmented2", (0, 1, 4, 5, 8, 9)) \
    X(hexMajor7, "hexMajor7", (0, 2, 4, 7, 9, 11)) \
    X(hexDorian, "hexDorian", (0, 2, 3, 5, 7, 10)) \
    X(hexPhrygian, "hexPhrygian", (0, 1, 3, 5, 8, 10)) \
    X(hexSus, "hexSus", (0, 2, 5, 7, 9, 10)) \
    X(hexMajor6, "hexMajor6", (0, 2, 4, 5, 7, 9)) \
    X(hexAeolian, "hexAeolian", (0, 3, 5, 7, 8, 10)) \
    X(major, "major", (0, 2, 4, 5, 7, 9, 11)) \
    X(ionian, "ionian", (0, 2, 4, 5, 7, 9, 11)) \
    X(dorian, "dorian", (0, 2, 3, 5, 7, 9, 10)) \
    X(phrygian, "phrygian", (0, 1, 3, 5, 7, 8, 10)) \
    X(lydian, "lydian", (0, 2, 4, 6, 7, 9, 11)) \
    X(mixolydian, "mixolydian", (0, 2, 4, 5, 7, 9, 10)) \
    X(aeolian, "aeolian", (0, 2, 3, 5, 7, 8, 10)) \
    X(minor, "minor", (0, 2, 3, 5, 7, 8, 10)) \
    X(locrian, "locrian", (0, 1, 3, 5, 6, 8, 10)) \
    X(harmonicMinor, "harmonicMinor", (0, 2, 3, 5, 7, 8, 11)) \
    X(harmonicMajor, "harmonicMajor", (0, 2, 4, 5, 7, 8, 11)) \
    X(melodicMinor, "melodicMinor", (0, 2, 3, 5, 7, 9, 11)) \
    X(melodicMinorDesc, "melodicMinorDesc", (0, 2, 3, 5, 7, 8, 10)) \
    X(melodicMajor, "melodicMajor", (0, 2, 4, 5, 7, 8, 10)) \
    X(bartok, "bartok", (0, 2, 4, 5, 7, 8, 10)) \
    X(hindu, "hindu", (0, 2, 4, 5, 7, 8, 10)) \
    X(todi, "todi", (0, 1, 3, 6, 7, 8, 11)) \
    X(purvi, "purvi", (0, 1, 4, 6, 7, 8, 11)) \
    X(marva, "marva", (0, 1, 4, 6, 7, 9, 11)) \
    X(bhairav, "bhairav", (0, 1, 4, 5, 7, 8, 11)) \
    X(ahirbhairav, "ahirbhairav", (0, 1, 4, 5, 7, 9, 10)) \
    X(superLocrian, "superLocrian", (0, 1, 3, 4, 6, 8, 10)) \
    X(romanianMinor, "romanianMinor", (0, 2, 3, 6, 7, 9, 10)) \
    X(hungarianMinor, "hungarianMinor", (0, 2, 3, 6, 7, 8, 11)) \
    X(neapolitanMinor, "neapolitanMinor", (0, 1, 3, 5, 7, 8, 11)) \
    X(enigmatic, "enigmatic", (0, 1, 4, 6, 8, 10, 11)) \
    X(spanish, "spanish", (0, 1, 4, 5, 7, 8, 10)) \
    X(leadingWhole, "leadingWhole", (0, 2, 4, 6, 8, 10, 11)) \
    X(lydianMinor, "lydianMinor", (0, 2, 4, 6, 7, 8, 10)) \
    X(neapolitanMajor, "neapolitanMajor", (0, 1, 3, 5, 7, 9, 11)) \
    X(locrianMajor, "locrianMajor", (0, 2, 4, 5, 6, 8, 10)) \
    X(diminished, "diminished", (0, 1, 3, 4, 6, 7, 9, 10)) \
    X(octatonic, "octatonic", (0, 1, 3, 4, 6, 7, 9, 10)) \
    X(diminished2, "diminished2", (0, 2, 3, 5, 6, 8, 9, 11)) \
    X(octatonic2, "octatonic2", (0, 2, 3, 5, 6, 8, 9, 11)) \
    X(messiaen1, "messiaen1", (0, 2, 4, 6, 8, 10)) \
    X(messiaen2, "messiaen2", (0, 1, 3, 4, 6, 7, 9, 10)) \
    X(messiaen3, "messiaen3", (0, 2, 3, 4, 6, 7, 8, 10, 11)) \
    X(messiaen4, "messiaen4", (0, 1, 2, 5, 6, 7, 8, 11)) \
    X(messiaen5, "messiaen5", (0, 1, 5, 6, 7, 11)) \
    X(messiaen6, "messiaen6", (0, 2, 4, 5, 6, 8, 10, 11)) \
    X(messiaen7, "messiaen7", (0, 1, 2, 3, 5, 6, 7, 8, 9, 11)) \
    X(chromatic, "chromatic", (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11)) \
    X(bayati, "bayati", (0, 1.5, 3, 5, 7, 8, 10)) \
    X(hijaz, "hijaz", (0, 1, 4, 5, 7, 8.5, 10)) \
    X(sikah, "sikah", (0, 1.5, 3.5, 5.5, 7, 8.5, 10.5)) \
    X(rast, "rast", (0, 2, 3.5, 5, 7, 9, 10.5)) \
    X(saba, "saba", (0, 1.5, 3, 4, 6, 8, 10)) \
    X(iraq, "iraq", (0, 1.5, 3.5, 5, 6.5, 8.5, 10.5))

#define TONAL_CHORDS(X) \
    X(major, "major", (0, 4, 7)) \
    X(maj, "maj", (0, 4, 7)) \
    X(M, "M", (0, 4, 7)) \
    X(aug, "aug", (0, 4, 8)) \
    X(plus, "plus", (0, 4, 8)) \
    X(sharp5, "sharp5", (0, 4, 8)) \
    X(six, "six", (0, 4, 7, 9)) \
    X(c6, "6", (0, 4, 7, 9)) \
    X(sixNine, "sixNine", (0, 4, 7, 9, 14)) \
    X(six9, "six9", (0, 4, 7, 9, 14)) \
    X(sixby9, "sixby9", (0, 4, 7, 9, 14)) \
    X(c6by9, "6by9", (0, 4, 7, 9, 14)) \
    X(major7, "major7", (0, 4, 7, 11)) \
    X(maj7, "maj7", (0, 4, 7, 11)) \
    X(M7, "M7", (0, 4, 7, 11)) \
    X(major9, "major9", (0, 4, 7, 11, 14)) \
    X(maj9, "maj9", (0, 4, 7, 11, 14)) \
    X(M9, "M9", (0, 4, 7, 11, 14)) \
    X(add9, "add9", (0, 4, 7, 14)) \
    X(major11, "major11", (0, 4, 7, 11, 14, 17)) \
    X(maj11, "maj11", (0, 4, 7, 11, 14, 17)) \
    X(M11, "M11", (0, 4, 7, 11, 14, 17)) \
    X(add11, "add11", (0, 4, 7, 17)) \
    X(major13, "major13", (0, 4, 7, 11, 14, 21)) \
    X(maj13, "maj13", (0, 4, 7, 11, 14, 21)) \
    X(M13, "M13", (0, 4, 7, 11, 14, 21)) \
    X(add13, "add13", (0, 4, 7, 21)) \
    X(dom7, "dom7", (0, 4, 7, 10)) \
    X(dom9, "dom9", (0, 4, 7, 14)) \
    X(dom11, "dom11", (0, 4, 7, 17)) \
    X(dom13, "dom13", (0, 4, 7, 21)) \
    X(sevenFlat5, "sevenFlat5", (0, 4, 6, 10)) \
    X(c7f5, "7f5", (0, 4, 6, 10)) \
    X(sevenSharp5, "sevenSharp5", (0, 4, 8, 10)) \
    X(c7s5, "7s5", (0, 4, 8, 10)) \
    X(sevenFlat9, "sevenFlat9", (0, 4, 7, 10, 13)) \
    X(c7f9, "7f9", (0, 4, 7, 10, 13)) \
    X(nine, "nine", (0, 4, 7, 10, 14)) \
    X(eleven, "eleven", (0, 4, 7, 10, 14, 17)) \
    X(c11, "11", (0, 4, 7, 10, 14, 17)) \
    X(thirteen, "thirteen", (0, 4, 7, 10, 14, 17, 21)) \
    X(c13, "13", (0, 4, 7, 10, 14, 17, 21)) \
    X(minor, "minor", (0, 3, 7)) \
    X(min, "min", (0, 3, 7)) \
    X(m, "m", (0, 3, 7)) \
    X(diminished, "diminished", (0, 3, 6)) \
    X(dim, "dim", (0, 3, 6)) \
    X(minorSharp5, "minorSharp5", (0, 3, 8)) \
    X(msharp5, "msharp5", (0, 3, 8)) \
    X(mS5, "mS5", (0, 3, 8)) \
    X(minor6, "minor6", (0, 3, 7, 9)) \
    X(min6, "min6", (0, 3, 7, 9)) \
    X(m6, "m6", (0, 3, 7, 9)) \
    X(minorSixNine, "minorSixNine", (0, 3, 9, 7, 14)) \
    X(minor69, "minor69", (0, 3, 9, 7, 14)) \
    X(min69, "min69", (0, 3, 9, 7, 14)) \
    X(minSixNine, "minSixNine", (0, 3, 9, 7, 14)) \
    X(m69, "m69", (0, 3, 9, 7, 14)) \
    X(mSixNine, "mSixNine", (0, 3, 9, 7, 14)) \
    X(m6by9, "m6by9", (0, 3, 9, 7, 14)) \
    X(minor7flat5, "minor7flat5", (0, 3, 6, 10)) \
    X(minor7f5, "minor7f5", (0, 3, 6, 10)) \
    X(min7flat5, "min7flat5", (0, 3, 6, 10)) \
    X(min7f5, "min7f5", (0, 3, 6, 10)) \
    X(m7flat5, "m7flat5", (0, 3, 6, 10)) \
    X(m7f5, "m7f5", (0, 3, 6, 10)) \
    X(minor7, "minor7", (0, 3, 7, 10)) \
    X(min7, "min7", (0, 3, 7, 10)) \
    X(m7, "m7", (0, 3, 7, 10)) \
    X(minor7sharp5, "minor7sharp5", (0, 3, 8, 10)) \
    X(minor7s5, "minor7s5", (0, 3, 8, 10)) \
    X(min7sharp5, "min7sharp5", (0, 3, 8, 10)) \
    X(min7s5, "min7s5", (0, 3, 8, 10)) \
    X(m7sharp5, "m7sharp5", (0, 3, 8, 10)) \
    X(m7s5, "m7s5", (0, 3, 8, 10)) \
    X(minor7flat9, "minor7flat9", (0, 3, 7, 10, 13)) \
    X(minor7f9, "minor7f9", (0, 3, 7, 10, 13)) \
    X(min7flat9, "min7flat9", (0, 3, 7, 10, 13)) \
    X(min7f9, "min7f9", (0, 3, 7, 10, 13)) \
    X(m7flat9, "m7flat9", (0, 3, 7, 10, 13)) \
    X(m7f9, "m7f9", (0, 3, 7, 10, 13)) \
    X(minor7sharp9, "minor7sharp9", (0, 3, 7, 10, 15)) \
    X(minor7s9, "minor7s9", (0, 3, 7, 10, 15)) \
    X(min7sharp9, "min7sharp9", (0, 3, 7, 10, 15)) \
    X(min7s9, "min7s9", (0, 3, 7, 10, 15)) \
    X(m7sharp9, "m7sharp9", (0, 3, 7, 10, 15)) \
    X(m7s9, "m7s9", (0, 3, 7, 10, 15)) \
    X(diminished7, "diminished7", (0, 3, 6, 9)) \
    X(dim7, "dim7", (0, 3, 6, 9)) \
    X(minor9, "minor9", (0, 3, 7, 10, 14)) \
    X(min9, "min9", (0, 3, 7, 10, 14)) \
    X(m9, "m9", (0, 3, 7, 10, 14)) \
    X(minor11, "minor11", (0, 3, 7, 10, 14, 17)) \
    X(min11, "min11", (0, 3, 7, 10, 14, 17)) \
    X(m11, "m11", (0, 3, 7, 10, 14, 17)) \
    X(minor13, "minor13", (0, 3, 7, 10, 14, 17, 21)) \
    X(min13, "min13", (0, 3, 7, 10, 14, 17, 21)) \
    X(m13, "m13", (0, 3, 7, 10, 14, 17, 21)) \
    X(minorMajor7, "minorMajor7", (0, 3, 7, 11)) \
    X(minMaj7, "minMaj7", (0, 3, 7, 11)) \
    X(mmaj7, "mmaj7", (0, 3, 7, 11)) \
    X(one, "one", (0)) \
    X(c1, "1", (0)) \
    X(five, "five", (0, 7)) \
    X(c5, "5", (0, 7)) \
    X(sus2, "sus2", (0, 2, 7)) \
    X(sus4, "sus4", (0, 5, 7)) \
    X(sevenSus2, "sevenSus2", (0, 2, 7, 10)) \
    X(c7sus2, "7sus2", (0, 2, 7, 10)) \
    X(sevenSus4, "sevenSus4", (0, 5, 7, 10)) \
    X(c7sus4, "7sus4", (0, 5, 7, 10)) \
    X(nineSus4, "nineSus4", (0, 5, 7, 10, 14)) \
    X(ninesus4, "ninesus4", (0, 5, 7, 10, 14)) \
    X(c9sus4, "9sus4", (0, 5, 7, 10, 14)) \
    X(sevenFlat10, "sevenFlat10", (0, 4, 7, 10, 15)) \
    X(c7f10, "7f10", (0, 4, 7, 10, 15)) \
    X(nineSharp5, "nineSharp5", (0, 1, 13)) \
    X(c9sharp5, "9sharp5", (0, 1, 13)) \
    X(c9s5, "9s5", (0, 1, 13)) \
    X(minor9sharp5, "minor9sharp5", (0, 1, 14)) \
    X(minor9s5, "minor9s5", (0, 1, 14)) \
    X(min9sharp5, "min9sharp5", (0, 1, 14)) \
    X(min9s5, "min9s5", (0, 1, 14)) \
    X(m9sharp5, "m9sharp5", (0, 1, 14)) \
    X(m9s5, "m9s5", (0, 1, 14)) \
    X(sevenSharp5flat9, "sevenSharp5flat9", (0, 4, 8, 10, 13)) \
    X(c7s5f9, "7s5f9", (0, 4, 8, 10, 13)) \
    X(minor7sharp5flat9, "minor7sharp5flat9", (0, 3, 8, 10, 13)) \
    X(m7sharp5flat9, "m7sharp5flat9", (0, 3, 8, 10, 13)) \
    X(elevenSharp, "elevenSharp", (0, 4, 7, 10, 14, 18)) \
    X(c11s, "11s", (0, 4, 7, 10, 14, 18)) \
    X(minor11sharp, "minor11sharp", (0, 3, 7, 10, 14, 18)) \
    X(m11sharp, "m11sharp", (0, 3, 7, 10, 14, 18)) \
    X(m11s, "m11s", (0, 3, 7, 10, 14, 18))

/* arp's modes: the order in which a chord's notes are played. */
#define TONAL_ARPS(X) \
    X(UP, "up", "low to high") \
    X(DOWN, "down", "high to low") \
    X(UPDOWN, "updown", "up then down, the ends not repeated") \
    X(DOWNUP, "downup", "down then up, the ends not repeated") \
    X(UPANDDOWN, "up&down", "up then down, the ends repeated") \
    X(DOWNANDUP, "down&up", "down then up, the ends repeated") \
    X(CONVERGE, "converge", "outside in: lowest, highest, second lowest, ...") \
    X(DIVERGE, "diverge", "inside out (converge reversed)") \
    X(DISCONVERGE, "disconverge", "converge then diverge") \
    X(PINKYUP, "pinkyup", "each note but the highest, each followed by the highest") \
    X(PINKYUPDOWN, "pinkyupdown", "pinkyup then back down") \
    X(THUMBUP, "thumbup", "the lowest before each of the others") \
    X(THUMBUPDOWN, "thumbupdown", "thumbup then back down")

#define TONAL_ARP_ENUM(e, name, desc) TONAL_ARP_##e,
enum tonal_arp { TONAL_ARPS(TONAL_ARP_ENUM) TONAL_ARP_COUNT };
#undef TONAL_ARP_ENUM

/* What a P_TONAL node does to its kid's events (op). */
enum tonal_kind {
    TK_SCALE,       /* values: degrees of v's steps (x0 semitones an octave) + x1 */
    TK_ARP,         /* events sharing a whole spread over it in arp mode i0 */
    TK_ROLL,        /* events sharing a whole start r0 of it apart (negative: from the top) */
    TK_NUMERIC,     /* Tidal's numeric mini-notation: an atom "0..8" becomes the range */
    TK_CHORDS,      /* values: chord texts (or lists of their pieces) become stacks of notes */
    TK_TRANSPOSE,   /* values: numbers + x0 semitones; note names respelled as Strudel's tonal does */
    TK_ROOTNOTES,   /* values: chord symbols ("C^7") to their root in octave x0 ("C2") */
    /* issue 11: Strudel's voicings (pat_voicing.c) */
    TK_VOICING,     /* values: chord symbols (or maps with chord) to the notes of a voicing */
    /* issue 11 (strans): Strudel's scaleTranspose through the events' scale */
    TK_STRANS,      /* values (or note, n): notes of their event's scale moved x0 steps in it */
};

/* Tidal's ratio syntax for a number (ParseBP's pRatio) over all of s:
 * "0.25", "1%3", "3h", "q" (w h q e s t f x: 1 1/2 1/4 1/8 1/16 1/3 1/5 1/6),
 * "4e2q" (4e2 quarters). Returns 1 and sets *x, or 0. */
int tonal_ratio(const char *s, size_t len, double *x);
/* Chords whose parts are patterns ("c'major'<i 5>"): p's values are the
 * pieces of each chord's text; each event becomes the chord's notes. */
const struct pnode *pat_tonal_chords(struct arena *a, const struct pnode *p);
/* p read as Tidal reads a numeric pattern: TK_NUMERIC over p. */
const struct pnode *pat_tonal_numeric(struct arena *a, const struct pnode *p);

/* The steps of a scale by name (a row of TONAL_SCALES); the count, 0 if unknown. */
int tonal_scale(const char *name, const double **steps);
/* The intervals of a chord quality (a row of TONAL_CHORDS); the count, 0 if unknown. */
int tonal_chord(const char *name, size_t len, const double **iv);
/* A chord written as in mini-notation, "c'maj", "e4'min7'ii", "0'major'o",
 * "c'maj'10": its notes (semitones from c4) into notes[0..cap); returns
 * the count (at most cap), 0 when s is not a chord (no quality after a
 * root), -1 with *err set for an unknown quality or modifier. */
int tonal_chord_notes(const char *s, size_t len, double *notes, int cap, const char **err);
/* Every scale name, space-separated (Tidal's scaleList). */
const char *tonal_scale_list(void);

/* The rewrite of a P_TONAL node, on events from..n of out (pat_core.c). */
void pat_tonal_events(struct pat_ctx *c, const struct pnode *p, struct pat_evbuf *out, int from);

struct op_args;
const struct pnode *op_scale(const struct op_args *A);
const struct pnode *op_toscale(const struct op_args *A);
const struct pnode *op_toscaleoct(const struct op_args *A);
const struct pnode *op_scalelist(const struct op_args *A);
const struct pnode *op_arp(const struct op_args *A);
const struct pnode *op_arpeggiate(const struct op_args *A);
const struct pnode *op_rolled(const struct op_args *A);
const struct pnode *op_rolledby(const struct op_args *A);
const struct pnode *op_transpose(const struct op_args *A);
const struct pnode *op_rootnotes(const struct op_args *A);
const struct pnode *op_scaletranspose(const struct op_args *A);

#endif
