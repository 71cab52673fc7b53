/* graph_names.h -- the compiler's names, one table per namespace.
 *
 * Every name the compiler gives a meaning to is one row of a table here,
 * declared once with its arguments (names, defaults and ranges), a one-line
 * description and an example that compiles:
 *
 *   SOUND_FNS   sound functions: oscillators, filters, envelopes, effects,
 *               math; an alias is a row naming the row it stands for
 *   SYNTHS      what s plays besides samples and ~buses: the SuperDirt-style
 *               synths (named by dsp_synth.c) and the bare waveforms
 *   statements  LANG_STATEMENTS in lang.h (the parser reads the table)
 *   controls    per-event controls: PHONON_CONTROLS in controls.h, shared
 *               with the pattern evaluator
 *
 * Name resolution (graph_sfn, graph_synth), "did you mean" lists, :keyword
 * arguments, clamping of constants, the warnings about ignored controls and
 * graph_names() (names.h: the rows for the language page) all read them.
 *
 * A sound function's parameters are written once, as the page shows them:
 * "cutoff=1000[10,30000] q=0.707[0.1,50]" is two parameters with their
 * defaults and the ranges constants are clamped to; the first `nreq` must be
 * given. They are parsed when a table is first used.
 *
 * This file is a leaf of the compiler: it calls nothing of it.
 * Thread context: constant after the first use (pthread_once), any thread.
 */
#ifndef GRAPH_NAMES_H
#define GRAPH_NAMES_H

#include "graph.h"
#include "lang.h"

/* ---- sound functions ------------------------------------------------------- */

enum sf_class { SF_GEN, SF_FILTER, SF_ENV, SF_FX, SF_PAN, SF_GAIN, SF_MATH };

enum { SFN_MAX_PARAMS = 6 };

struct sfn {
    const char *name;
    const char *alias_of;   /* an alias row: the name it stands for (nothing else set) */
    enum sf_class cls;
    int op;                 /* osc_op, filter_op, env_op, math_op, or gnode kind for SF_FX */
    int input;              /* 1: processes an input (chained with # or $) */
    int lane;               /* 1: can run per voice in an instrument */
    int nreq;               /* parameters that must be given */
    const char *args;       /* the parameters: "name=default[lo,hi] ..." */
    const char *desc, *example;
    /* parsed from args */
    int nparams;
    const char *params[SFN_MAX_PARAMS];     /* long names, for :keyword arguments */
    float def[SFN_MAX_PARAMS];
    float range[SFN_MAX_PARAMS][2];         /* ranges of constants: clamped with a warning */
};

/* X(name, class, op, input, lane, nreq, args, desc, example) and
 * A(alias, name, example). Row order is the order of "did you mean". */
#define SOUND_FNS(X, A) \
    X("sine", SF_GEN, OSC_SINE, 0, 1, 1, "freq=261.63[0,1e6]", "sine oscillator (Hz)", "out: sine 440 * 0.2") \
    X("saw", SF_GEN, OSC_SAW, 0, 1, 1, "freq=261.63[0,1e6]", "band-limited sawtooth oscillator (Hz)", \
      "out: saw 110 # lpf 800 0.7") \
    A("sawtooth", "saw", "out: sawtooth 110 * 0.1") \
    X("square", SF_GEN, OSC_SQUARE, 0, 1, 1, "freq=261.63[0,1e6]", "band-limited square oscillator (Hz)", \
      "out: square 110 * 0.1") \
    X("tri", SF_GEN, OSC_TRI, 0, 1, 1, "freq=261.63[0,1e6]", "triangle oscillator (Hz)", "out: tri 220 * 0.3") \
    A("triangle", "tri", "out: triangle 220 * 0.3") \
    X("pulse", SF_GEN, OSC_PULSE, 0, 1, 1, "freq=261.63[0,1e6] width=0.5[0.01,0.99]", \
      "band-limited pulse oscillator with a pulse width", "out: pulse 110 0.3 * 0.1") \
    X("fm", SF_GEN, OSC_FM, 0, 1, 2, "carrier=261.63[0,1e6] modulator=261.63[0,1e6] index=1[0,100]", \
      "two-operator FM oscillator", "out: fm 220 440 2 * 0.2") \
    X("noise", SF_GEN, OSC_NOISE, 0, 1, 0, "", "white noise", "out: noise * 0.05") \
    X("pink", SF_GEN, OSC_PINK, 0, 1, 0, "", "pink noise (-3 dB per octave)", "out: pink * 0.05") \
    X("brown", SF_GEN, OSC_BROWN, 0, 1, 0, "", "brown noise (-6 dB per octave)", "out: brown * 0.05") \
    X("lpf", SF_FILTER, FLT_LPF, 1, 1, 1, "cutoff=1000[10,30000] q=0.707[0.1,50]", "low-pass filter", \
      "out: saw 110 # lpf 800 0.7") \
    A("lowpass", "lpf", "out: saw 110 # lowpass 800") \
    X("hpf", SF_FILTER, FLT_HPF, 1, 1, 1, "cutoff=1000[10,30000] q=0.707[0.1,50]", "high-pass filter", \
      "out: saw 110 # hpf 400") \
    A("highpass", "hpf", "out: saw 110 # highpass 400") \
    X("bpf", SF_FILTER, FLT_BPF, 1, 1, 1, "cutoff=1000[10,30000] q=0.707[0.1,50]", "band-pass filter", \
      "out: noise # bpf 1000 4") \
    A("bandpass", "bpf", "out: noise # bandpass 1000 4") \
    X("notch", SF_FILTER, FLT_NOTCH, 1, 1, 1, "cutoff=1000[10,30000] q=0.707[0.1,50]", "notch (band-stop) filter", \
      "out: saw 110 # notch 500 2") \
    X("moog", SF_FILTER, FLT_MOOG, 1, 1, 1, "cutoff=1000[10,30000] resonance=0.5[0,1]", \
      "4-pole ladder low-pass with resonance", "out: saw 55 # moog 600 0.7") \
    X("adsr", SF_ENV, ENV_ADSR, 1, 1, 0, "attack=0.01[0,60] decay=0.1[0,60] sustain=0.5[0,1] release=0.3[0,60]", \
      "attack-decay-sustain-release envelope (per cycle on a bus, per note in an instrument)", \
      "out: saw 110 # adsr 0.01 0.1 0.5 0.3") \
    X("ad", SF_ENV, ENV_AD, 1, 1, 0, "attack=0.01[0,60] decay=0.3[0,60]", "attack-decay envelope", \
      "out: saw 110 # ad 0.01 0.3") \
    X("ar", SF_ENV, ENV_AR, 1, 1, 0, "attack=0.01[0,60] release=0.3[0,60]", "attack-release envelope", \
      "out: saw 110 # ar 0.01 0.3") \
    X("line", SF_ENV, ENV_LINE, 1, 1, 2, "from=0[-1e6,1e6] to=1[-1e6,1e6]", "a ramp from..to over one cycle", \
      "out: saw 110 # line 1 0") \
    X("perc", SF_ENV, ENV_PERC, 1, 1, 0, "decay=0.3[0,60]", "percussive envelope: instant attack, decay", \
      "out: saw 110 # perc 0.2") \
    X("delay", SF_FX, N_DELAY, 1, 0, 0, "time=0.25[0.0001,10] feedback=0.5[-0.99,0.99] mix=0.5[0,1]", \
      "feedback delay (time in seconds)", "out: s \"bd sn\" # delay 0.25 0.5 0.4") \
    X("reverb", SF_FX, N_REVERB, 1, 0, 0, "room_size=0.5[0,1] damping=0.5[0,1] mix=0.3[0,1]", \
      "stereo reverb; mix crossfades dry and wet", "out: s \"bd sn\" # reverb 0.8 0.2 0.3") \
    X("plate", SF_FX, N_PLATE, 1, 0, 0, \
      "predelay=0[0,0.5] decay=0.5[0,0.99] diffusion=0.7[0,1] damping=0.3[0,1] mod_depth=0.5[0,1] mix=0.3[0,1]", \
      "Dattorro plate reverb", "out: s \"sn*2\" # plate 0.02 0.7") \
    X("distort", SF_FX, N_DISTORT, 1, 1, 0, "drive=2[1,100] mix=1[0,1]", "soft-clipping distortion", \
      "out: saw 110 # distort 4 0.5") \
    A("distortion", "distort", "out: saw 110 # distortion 4") \
    A("dist", "distort", "out: saw 110 # dist 4") \
    X("bitcrush", SF_FX, N_BITCRUSH, 1, 1, 0, "bits=8[1,24] downsample=1[1,64]", \
      "bit depth and sample rate reduction", "out: saw 110 # bitcrush 6 2") \
    X("chorus", SF_FX, N_CHORUS, 1, 0, 0, "rate=1[0.01,20] depth=0.5[0,1] mix=0.5[0,1]", "stereo chorus", \
      "out: saw 110 # chorus 1 0.5 0.3") \
    X("compress", SF_FX, N_COMPRESS, 1, 0, 0, \
      "threshold_db=-20[-60,0] ratio=4[1,50] attack=0.01[0.0001,1] release=0.1[0.001,5] makeup_db=0[0,40]", \
      "dynamic range compressor", "out: s \"bd*4\" # compress -20 4") \
    A("compressor", "compress", "out: s \"bd*4\" # compressor -20 4") \
    A("comp", "compress", "out: s \"bd*4\" # comp -20 4") \
    X("limit", SF_FX, N_LIMIT, 1, 0, 0, "ceiling_db=-1[-40,0]", "look-ahead limiter", "out: saw 110 # limit -3") \
    A("limiter", "limit", "out: saw 110 # limiter -3") \
    X("pan", SF_PAN, 0, 1, 0, 0, "p=0.5[0,1]", "equal-power pan to stereo, 0 left .. 1 right", \
      "out: saw 110 # pan 0.3") \
    X("gain", SF_GAIN, M_MUL, 1, 1, 1, "g=1[-1e6,1e6]", "multiply by g", "out: saw 110 # gain 0.2") \
    X("min", SF_MATH, M_MIN, 0, 1, 2, "a=0[-1e6,1e6] b=0[-1e6,1e6]", "the smaller of two signals", \
      "out: min (saw 110) (tri 55) * 0.2") \
    X("max", SF_MATH, M_MAX, 0, 1, 2, "a=0[-1e6,1e6] b=0[-1e6,1e6]", "the larger of two signals", \
      "out: max (saw 110) (tri 55) * 0.2") \
    X("clip", SF_MATH, M_CLIP, 1, 1, 0, "lo=-1[-1e6,1e6] hi=1[-1e6,1e6]", "clamp a signal to lo..hi", \
      "out: saw 110 * 2 # clip -0.5 0.5") \
    X("mtof", SF_MATH, M_MTOF, 0, 1, 1, "note=60[-1e3,1e3]", "MIDI note number to Hz", \
      "out: sine (mtof 69) * 0.2")

/* The sound function called name (an alias gives the row it stands for),
 * or NULL. */
const struct sfn *graph_sfn(const char *name);
/* The sound functions' names (no aliases), in table order, from names[k]
 * on while k < cap; returns the new k. */
int graph_sfn_names(const char **names, int k, int cap);
/* A parameter's names as an array (for lang_suggest). */
const char *const *graph_sfn_params(const struct sfn *fn);

/* ---- synths: names s plays that are neither samples nor buses --------------- */

enum { GSYNTH_WAVE = -1 };

struct gsynth {
    const char *name;
    const char *alias_of;
    int kind;               /* enum dsp_synth_kind, or GSYNTH_WAVE (an instrument of that oscillator) */
    const char *args, *desc, *example;
};

/* S(dsp kind, args, desc, example): named by dsp_synth_kind_name(kind);
 * W(name, alias_of, desc, example): a waveform, played when no sample
 * folder has that name (the name is a sound function's). */
#define SYNTHS(S, W) \
    S(DSP_SUPERKICK, "note freq=50 sustain=0.4", "kick: a sine sweeping down, with a click", \
      "out: s \"superkick*4\"") \
    S(DSP_SUPERSAW, "note sustain detune=0.3", "up to 7 detuned saws", "out: note \"c2 e2\" # s \"supersaw\"") \
    S(DSP_SUPERPWM, "note sustain detune=0.1", "two pulses with swept widths", \
      "out: note \"0 3 7\" # s \"superpwm\"") \
    S(DSP_SUPERCHIP, "note sustain=0.25", "a 25% pulse over a triangle", "out: note \"0 12\" # s \"superchip\"") \
    S(DSP_SUPERFM, "note sustain", "two-operator FM", "out: s \"superfm*2\" # note \"-12 0\"") \
    S(DSP_SUPERSNARE, "note freq=180 sustain=0.3", "snare: two drum modes and noise", \
      "out: s \"~ supersnare\"") \
    S(DSP_SUPERHAT, "note freq=8000 sustain=0.1", "hi-hat: inharmonic squares and noise", \
      "out: s \"superhat*8\"") \
    W("sine", NULL, "an instrument of one sine at the note", "out: s \"sine*2\" # note \"0 7\"") \
    W("saw", NULL, "an instrument of one saw at the note", "out: s \"saw*2\" # note \"0 7\"") \
    W("square", NULL, "an instrument of one square at the note", "out: s \"square*2\" # note \"0 7\"") \
    W("tri", NULL, "an instrument of one triangle at the note", "out: s \"tri*2\" # note \"0 7\"") \
    W("triangle", "tri", "an instrument of one triangle at the note", "out: s \"triangle\" # note 7") \
    W("sawtooth", "saw", "an instrument of one saw at the note", "out: s \"sawtooth\" # note 7")

/* The synth or waveform called name, or NULL. */
const struct gsynth *graph_synth(const char *name);
/* The synths' names (GSYNTH_WAVE rows left out), in table order, as
 * graph_sfn_names. */
int graph_synth_names(const char **names, int k, int cap);

/* ---- controls ------------------------------------------------------------------ */

/* Why the control called name does nothing in phonon, or NULL when a voice
 * uses it (or it is not a control). *index: its row, for warned-once bits. */
const char *graph_control_ignored(const char *name, int *index);

/* ---- statements ----------------------------------------------------------------- */

/* The statements' table is the language front end's: LANG_STATEMENTS in
 * lang.h (the parser reads it); the rows are seen here as struct gstatement. */
struct gstatement {
    const char *name, *alias_of;
    int kind;               /* enum lang_stmt_kind */
    const char *args, *desc, *example;
};

/* The statement rows, in table order; *n gets their count. */
const struct gstatement *graph_statements(int *n);

#endif
