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

enum sf_class { SF_GEN, SF_FILTER, SF_ENV, SF_FX, SF_PAN, SF_GAIN, SF_MATH,
                SF_MORE /* issue 13: a MORE node, op = enum dsp_more_op */,
                SF_WAVCONV /* issue 13: op = N_WAVETABLE or N_CONVOLVE (graph_wavconv.c) */ };

enum { SFN_MAX_PARAMS = 9 };

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
      "out: sine (mtof 69) * 0.2") \
    SOUND_FNS_DSP(X, A)

/* issue 13: DSP vocabulary -- the phonon family's names (ekg/phonon), with
 * its arguments. A function that processes a signal also takes it as its
 * first argument (flanger ~in 0.5 0.5 0.3). SF_MORE rows run dsp_more.c. */
#define SOUND_FNS_DSP(X, A) \
    A("white_noise", "noise", "out: white_noise * 0.05") \
    A("pink_noise", "pink", "out: pink_noise * 0.05") \
    A("brown_noise", "brown", "out: brown_noise * 0.05") \
    A("saw_hz", "saw", "out: saw_hz 110 * 0.1") \
    A("square_hz", "square", "out: square_hz 110 * 0.1") \
    A("triangle_hz", "tri", "out: triangle_hz 220 * 0.3") \
    X("rlpf", SF_FILTER, FLT_LPF, 1, 1, 1, "cutoff=1000[10,30000] resonance=0.707[0.1,20]", \
      "resonant low-pass (12 dB/octave; resonance is the filter's Q)", "out: saw 110 # rlpf 800 4") \
    X("rhpf", SF_FILTER, FLT_HPF, 1, 1, 1, "cutoff=1000[10,30000] resonance=0.707[0.1,20]", \
      "resonant high-pass (12 dB/octave; resonance is the filter's Q)", "out: saw 110 # rhpf 800 4") \
    X("resonz", SF_FILTER, FLT_BPF, 1, 1, 1, "frequency=1000[10,30000] q=1[0.5,50]", \
      "resonant band-pass, unity gain at the frequency", "out: noise # resonz 800 15") \
    X("bq_lp", SF_FILTER, FLT_LPF, 1, 1, 1, "frequency=1000[10,30000] q=0.707[0.1,20]", \
      "biquad low-pass (the cookbook response, run as a modulation-safe state-variable filter)", \
      "out: saw 110 # bq_lp 1000 2") \
    X("bq_hp", SF_FILTER, FLT_HPF, 1, 1, 1, "frequency=1000[10,30000] q=0.707[0.1,20]", "biquad high-pass", \
      "out: saw 110 # bq_hp 1000 0.7") \
    X("bq_bp", SF_FILTER, FLT_BPF, 1, 1, 1, "frequency=1000[10,30000] q=0.707[0.1,20]", \
      "biquad band-pass, unity gain at the frequency (the peer's has gain q there)", "out: noise # bq_bp 1000 4") \
    X("bq_notch", SF_FILTER, FLT_NOTCH, 1, 1, 1, "frequency=1000[10,30000] q=0.707[0.1,20]", "biquad notch", \
      "out: saw 110 # bq_notch 1000 2") \
    X("svf_lp", SF_FILTER, FLT_LPF, 1, 1, 1, "frequency=1000[10,30000] resonance=0.707[0.1,50]", \
      "state-variable low-pass (resonance is its Q)", "out: noise # svf_lp 1000 5") \
    X("svf_hp", SF_FILTER, FLT_HPF, 1, 1, 1, "frequency=1000[10,30000] resonance=0.707[0.1,50]", \
      "state-variable high-pass", "out: noise # svf_hp 1000 0.7") \
    X("svf_bp", SF_FILTER, FLT_BPF, 1, 1, 1, "frequency=1000[10,30000] resonance=0.707[0.1,50]", \
      "state-variable band-pass, unity gain at the frequency", "out: noise # svf_bp 1000 4") \
    X("svf_notch", SF_FILTER, FLT_NOTCH, 1, 1, 1, "frequency=1000[10,30000] resonance=0.707[0.1,50]", \
      "state-variable notch", "out: saw 110 # svf_notch 1000 2") \
    X("moog_ladder", SF_FILTER, FLT_MOOG, 1, 1, 1, "cutoff=1000[10,30000] resonance=0.5[0,1]", \
      "4-pole ladder low-pass (as moog)", "out: saw 55 # moog_ladder 600 0.7") \
    X("moog_hz", SF_FILTER, FLT_MOOG, 1, 1, 1, "cutoff=1000[10,30000] resonance=0.5[0,1]", \
      "4-pole ladder low-pass (as moog)", "out: saw 55 # moog_hz 600 0.7") \
    X("ring_mod", SF_MATH, M_MUL, 0, 1, 2, "a=0[-1e6,1e6] b=0[-1e6,1e6]", "ring modulation: a times b", \
      "out: ring_mod (saw 220) (sine 30) * 0.3") \
    X("tremolo", SF_MORE, DSP_MORE_TREMOLO, 1, 0, 0, "rate=5[0.01,40] depth=0.5[0,1]", \
      "amplitude modulation by a sine: gain 1 - depth/2 + depth/2 sin", "out: saw 110 # tremolo 6 0.6") \
    A("trem", "tremolo", "out: saw 110 # trem 6 0.6") \
    X("vibrato", SF_MORE, DSP_MORE_VIBRATO, 1, 0, 0, "rate=5[0.01,40] depth=0.5[0,2]", \
      "pitch modulation: a delay swept by a sine, up to 5 ms per unit of depth", \
      "out: saw 220 # vibrato 5 0.5") \
    A("vib", "vibrato", "out: saw 220 # vib 5 0.5") \
    X("flanger", SF_MORE, DSP_MORE_FLANGER, 1, 0, 0, "depth=0.5[0,1] rate=0.5[0.01,20] feedback=0.5[0,0.95]", \
      "flanger: a 3 ms delay swept by +-2 ms * depth, with feedback, half dry", \
      "out: s \"bd sn hh cp\" # flanger 0.3 0.5 0.3") \
    X("phaser", SF_MORE, DSP_MORE_PHASER, 1, 0, 0, \
      "rate=0.5[0.01,20] depth=0.5[0,1] feedback=0[0,0.95] stages=4[2,12]", \
      "phaser: stages first-order allpasses swept from 200 Hz up to 2 kHz * depth, half dry", \
      "out: saw 110 # phaser 1.5 0.8 0.6 6") \
    A("ph", "phaser", "out: saw 110 # ph 1.5 0.8") \
    X("comb", SF_MORE, DSP_MORE_COMB, 1, 0, 0, "frequency=440[20,20000] feedback=0.5[0,0.99]", \
      "feedback comb filter: resonances at multiples of frequency", "out: noise * 0.05 # comb 220 0.9") \
    X("allpass", SF_MORE, DSP_MORE_ALLPASS, 1, 0, 0, "coefficient=0.5[-0.99,0.99]", \
      "first-order allpass: y = a x + x[n-1] - a y[n-1]", "out: saw 110 # allpass 0.7") \
    X("ring", SF_MORE, DSP_MORE_RING, 1, 0, 1, "freq=440[0,100000]", "ring modulation by a sine at freq", \
      "out: saw 110 # ring 300") \
    X("lag", SF_MORE, DSP_MORE_LAG, 1, 0, 1, "time=0.1[0,60]", \
      "exponential smoothing with a time constant (0: none)", "out: sine (\"220 330\" # lag 0.05) * 0.2") \
    X("latch", SF_MORE, DSP_MORE_LATCH, 1, 0, 1, "gate=0[-1e6,1e6]", \
      "sample and hold: the input taken when gate rises above 0", \
      "out: sine ((noise # latch (impulse 8)) * 200 + 400) * 0.2") \
    A("sample_hold", "latch", "out: sine (sample_hold noise (impulse 8) * 200 + 400) * 0.2") \
    X("schmidt", SF_MORE, DSP_MORE_SCHMIDT, 1, 0, 2, "high=0.5[-1e6,1e6] low=-0.5[-1e6,1e6]", \
      "Schmitt trigger: 1 once the input is above high, 0 once below low", \
      "out: saw 110 * (sine 1 # schmidt 0.7 0.3) * 0.3") \
    X("wrap", SF_MORE, DSP_MORE_WRAP, 1, 0, 2, "min=0[-1e6,1e6] max=1[-1e6,1e6]", \
      "the input folded into [min, max)", "out: sine ((sine 0.5 * 3 # wrap 0 1) * 200 + 300) * 0.2") \
    X("decimator", SF_MORE, DSP_MORE_DECIMATOR, 1, 0, 1, "factor=1[1,1000] smooth=0[0,0.99]", \
      "sample-rate reduction: hold every factor-th sample, smoothed by a one-pole of coefficient smooth", \
      "out: saw 110 # decimator 8 0.2") \
    X("env", SF_MORE, DSP_MORE_ENV, 1, 0, 4, \
      "attack=0.01[0,60] decay=0.1[0,60] sustain=0.5[0,1] release=0.3[0,60]", \
      "an ADSR started once when the program starts, gate held: attack, decay, then sustain", \
      "out: square 220 # env 0.01 0.05 0.5 0.1") \
    A("envelope", "env", "out: square 220 # envelope 0.01 0.05 0.5 0.1") \
    X("amp_follower", SF_MORE, DSP_MORE_FOLLOW, 1, 0, 0, "attack=0.01[1e-5,10] release=0.1[1e-5,10] window=0.01[1e-4,10]", \
      "envelope follower: the RMS over window s, followed with attack and release times", \
      "out: saw 110 * (s \"bd*4\" # amp_follower 0.01 0.1 0.01)") \
    X("impulse", SF_MORE, DSP_MORE_IMPULSE, 0, 0, 1, "freq=1[0,1e6]", \
      "impulse train: one sample of 1 every 1/freq s (the first after one period)", \
      "out: impulse 4 # comb 220 0.95") \
    X("blip", SF_MORE, DSP_MORE_BLIP, 0, 0, 1, "freq=440[0.1,1e6]", \
      "band-limited impulse train: every harmonic up to Nyquist (at most 1000), peak 1", \
      "out: blip 110 * 0.3") \
    X("xline", SF_MORE, DSP_MORE_XLINE, 0, 0, 3, "start=1[-1e6,1e6] end=0.001[-1e6,1e6] duration=1[0,3600]", \
      "exponential ramp from start to end over duration s from the program's start, then end", \
      "out: sine (xline 2000 100 4) * 0.2") \
    X("asr", SF_MORE, DSP_MORE_ASR, 0, 0, 3, "gate=0[-1e6,1e6] attack=0.01[0,60] release=0.1[0,60]", \
      "attack-sustain-release envelope of a gate signal: rises while gate > 0.5, falls after", \
      "out: saw 110 * asr (square 1) 0.1 0.2 * 0.3") \
    X("vco", SF_MORE, DSP_MORE_VCO, 0, 0, 1, "freq=261.63[0,1e6] waveform=0[0,3] pulse_width=0.5[0.01,0.99]", \
      "band-limited oscillator: waveform 0 saw, 1 pulse, 2 triangle, 3 sine", "out: vco 110 1 0.3 * 0.2") \
    X("pm", SF_MORE, DSP_MORE_PM, 0, 0, 2, "carrier=261.63[0,1e6] modulator=0[-1e6,1e6] index=1[0,100]", \
      "phase modulation: sin(2 pi carrier t + index * modulator), modulator an audio signal", \
      "out: pm 440 (sine 220) 2 * 0.2") \
    X("xfade", SF_MORE, DSP_MORE_XFADE, 0, 0, 3, "a=0[-1e6,1e6] b=0[-1e6,1e6] mix=0.5[0,1]", \
      "crossfade: (1 - mix) a + mix b", "out: xfade (saw 110) (square 110) (sine 0.5 * 0.5 + 0.5) * 0.2") \
    X("if", SF_MORE, DSP_MORE_IF, 0, 0, 3, "cond=0[-1e6,1e6] then=0[-1e6,1e6] else=0[-1e6,1e6]", \
      "then while cond > 0.5, else otherwise (crossfaded over 5 ms)", \
      "out: if (square 1) (saw 110) (saw 165) * 0.2") \
    X("pingpong", SF_MORE, DSP_MORE_PINGPONG, 1, 0, 2, \
      "time=0.25[0.001,5] feedback=0.5[0,0.99] width=0.8[0,1] channel=0[0,1] mix=0.7[0,1]", \
      "stereo delay bouncing between the sides (input enters left, or right with channel 1)", \
      "out: s \"bd ~ ~ ~\" # pingpong 0.2 0.8 0.8 0 0.7") \
    X("pan2", SF_MORE, DSP_MORE_PAN2, 1, 0, 1, "position=0[-1,1]", "equal-power pan, -1 left .. 1 right", \
      "out: saw 110 # pan2 -0.5") \
    X("widener", SF_MORE, DSP_MORE_WIDENER, 1, 0, 0, "width=1[0,4]", \
      "stereo width: the side signal scaled (0 mono, 1 unchanged)", "out: s \"bd sn\" # pan \"0 1\" # widener 1.5") \
    A("width", "widener", "out: s \"bd sn\" # pan \"0 1\" # width 1.5") \
    X("formant", SF_MORE, DSP_MORE_FORMANT, 1, 0, 0, \
      "f1=730[50,5000] f2=1090[50,5000] f3=2440[50,10000] bw1=80[10,1000] bw2=90[10,1000] bw3=120[10,1000]", \
      "three resonant band-passes (formants at f1 f2 f3, bandwidths in Hz) in parallel, gain f/bw each, " \
      "summed at half", "out: saw 110 * 0.05 # formant 730 1090 2440 80 90 120") \
    X("pluck", SF_MORE, DSP_MORE_PLUCK, 0, 0, 1, "freq=261.63[20,10000] damping=0.5[0,1]", \
      "Karplus-Strong string, plucked once when it starts (damping shortens the decay)", \
      "out: pluck 220 0.3 * 0.5") \
    X("multitap", SF_MORE, DSP_MORE_MULTITAP, 1, 0, 2, "time=0.25[0.001,1] taps=4[2,8] feedback=0.5[0,0.95] mix=0.6[0,1]", \
      "taps echoes at multiples of time, the i-th at gain 1/i, averaged and fed back", \
      "out: s \"bd ~ sn ~\" # multitap 0.125 4 0.3 0.5") \
    X("limiter", SF_MORE, DSP_MORE_LIMITER, 1, 0, 1, "threshold=1[0.001,2] attack=0.005[0.001,0.1] release=0.1[0.01,1]", \
      "look-ahead limiter with a linear threshold (the phonon family's; limit takes a ceiling in dB)", \
      "out: saw 110 # limiter 0.5 0.005 0.1") \
    X("reverb_stereo", SF_MORE, DSP_MORE_REVERB_ST, 1, 0, 2, "wet=0.3[0,1] time=1.5[0.01,100]", \
      "stereo reverb (reverb's tank) decaying in about time seconds (0.5 .. 10), wet crossfades", \
      "out: saw 220 # reverb_stereo 0.3 2") \
    X("phasor", SF_MORE, DSP_MORE_PHASOR, 0, 0, 0, "speed=1[-1e4,1e4]", \
      "a ramp 0..1 locked to the cycle, speed times per cycle", "out: sine (phasor 1 * 400 + 200) * 0.2") \
    X("rms", SF_MORE, DSP_MORE_RMS, 1, 0, 1, "window=0.05[0.001,1]", "root mean square over the last window s", \
      "out: saw 110 * (s \"bd*4\" # rms 0.02)") \
    X("peak_follower", SF_MORE, DSP_MORE_PEAK, 1, 0, 2, "attack=0.001[1e-5,10] release=0.1[1e-5,10]", \
      "the input's magnitude followed with attack and release time constants", \
      "out: saw 110 * (s \"bd*4\" # peak_follower 0.001 0.2)") \
    X("fmcrossmod", SF_MORE, DSP_MORE_FMCROSS, 0, 0, 3, "carrier=0[-1e6,1e6] modulator=0[-1e6,1e6] depth=1[-1e3,1e3]", \
      "cross modulation of two signals: carrier * cos(2 pi depth modulator)", \
      "out: fmcrossmod (saw 220) (sine 110) 0.5 * 0.2") \
    A("fm_crossmod", "fmcrossmod", "out: fm_crossmod (saw 220) (sine 110) 0.5 * 0.2") \
    X("expander", SF_MORE, DSP_MORE_EXPANDER, 1, 0, 4, \
      "threshold_db=-20[-60,0] ratio=2[1,10] attack=0.01[0.001,1] release=0.1[0.01,3]", \
      "upward expander (the peer's): above the threshold the level rises ratio - 1 dB per dB, at most 40 dB", \
      "out: saw 110 * 0.1 # expander -30 1.5 0.01 0.1") \
    A("expand", "expander", "out: saw 110 * 0.1 # expand -30 1.5 0.01 0.1") \
    X("sidechain_compressor", SF_MORE, DSP_MORE_SIDECHAIN, 1, 0, 5, \
      "sidechain=0[-1e6,1e6] threshold_db=-20[-60,0] ratio=4[1,20] attack=0.01[0.001,1] release=0.1[0.01,3]", \
      "compressor driven by the level of another signal (ducking)", \
      "out: saw 55 * 0.3 # sidechain_compressor (s \"bd*4\") -30 8 0.005 0.2") \
    A("sidechain_comp", "sidechain_compressor", "out: saw 55 * 0.3 # sidechain_comp (s \"bd*4\") -30 8 0.005 0.2") \
    A("sc_comp", "sidechain_compressor", "out: saw 55 * 0.3 # sc_comp (s \"bd*4\") -30 8 0.005 0.2") \
    X("transient_shaper", SF_MORE, DSP_MORE_TSHAPER, 1, 0, 2, "attack_db=0[-40,40] sustain_db=0[-40,40]", \
      "gain attack_db on onsets (a fast follower ahead of a slow one), sustain_db elsewhere", \
      "out: s \"bd sn\" # transient_shaper 6 -6") \
    A("tshaper", "transient_shaper", "out: s \"bd sn\" # tshaper 6 -6") \
    X("curve", SF_MORE, DSP_MORE_CURVE, 0, 0, 4, \
      "start=0[-1e6,1e6] end=1[-1e6,1e6] duration=1[0.001,3600] curve=0[-50,50]", \
      "a ramp from start to end over duration s from the program's start, shaped by curve " \
      "(SuperCollider's Env: 0 linear, < 0 fast then slow)", "out: sine (curve 100 1000 4 -3) * 0.2") \
    X("djf", SF_MORE, DSP_MORE_DJF, 1, 0, 1, "value=0.5[0,1]", \
      "DJ filter: below 0.5 a low-pass (80 .. 800 Hz), above a high-pass (800 Hz .. 8 kHz)", \
      "out: saw 110 # djf 0.3") \
    X("additive", SF_MORE, DSP_MORE_ADDITIVE, 0, 0, 1, \
      "freq=440[20,10000] a1=1[0,1000] a2=0[0,1000] a3=0[0,1000] a4=0[0,1000] a5=0[0,1000]", \
      "harmonics 1..5 of freq at amplitudes a1..a5 (or one string \"1 0.5 0.25\"), normalised by their sum", \
      "out: additive 220 \"1 0.5 0.25\" * 0.3") \
    X("tapedelay", SF_MORE, DSP_MORE_TAPEDELAY, 1, 0, 2, \
      "time=0.3[0.001,1] feedback=0.5[0,0.95] wow_rate=0.5[0.1,2] wow_depth=0.02[0,1] flutter_rate=6[5,10] " \
      "flutter_depth=0.05[0,1] saturation=0.3[0,1] mix=0.5[0,1]", \
      "tape echo: the time wobbles (wow depth ms, flutter depth/10 ms), saturation and a low-pass in the loop", \
      "out: s \"sn ~\" # tapedelay 0.3 0.6") \
    A("tape", "tapedelay", "out: s \"sn ~\" # tape 0.3 0.6") \
    X("parametric_eq", SF_MORE, DSP_MORE_PEQ, 1, 0, 0, \
      "f1=100[10,30000] g1=0[-24,24] q1=1[0.1,20] f2=1000[10,30000] g2=0[-24,24] q2=1[0.1,20] " \
      "f3=4000[10,30000] g3=0[-24,24] q3=1[0.1,20]", \
      "three peaking bands in series: frequency, gain in dB, q each", \
      "out: saw 110 # parametric_eq 100 6 1 1000 -6 2 4000 3 1") \
    A("eq", "parametric_eq", "out: saw 110 # eq 100 6 1 1000 -6 2 4000 3 1") \
    X("supersaw", SF_MORE, DSP_MORE_SUPERSAW, 0, 0, 1, "freq=261.63[0,1e6] detune=0.3[0,1] voices=7[2,7]", \
      "SuperDirt's supersaw as an oscillator: voices saws spread over freq * (1 +- detune / 10)", \
      "out: supersaw 110 0.5 7 * 0.3") \
    SOUND_FNS_PEER(X, A)

/* issue 13, second batch (dsp_peer.c). "nan" as a default: the parameter
 * counts as not given (select's inputs, segments' levels). */
#define SOUND_FNS_PEER(X, A) \
    X("pan2_l", SF_MORE, DSP_MORE_PAN2_L, 1, 0, 1, "position=0[-1,1]", \
      "the left channel of pan2: the input times the equal-power left gain of position (-1 .. 1)", \
      "out1: pan2_l (saw 110 * 0.2) -0.5") \
    X("pan2_r", SF_MORE, DSP_MORE_PAN2_R, 1, 0, 1, "position=0[-1,1]", \
      "the right channel of pan2: the input times the equal-power right gain of position (-1 .. 1)", \
      "out2: pan2_r (saw 110 * 0.2) 0.5") \
    X("select", SF_MORE, DSP_MORE_SELECT, 0, 0, 2, \
      "index=0[-1e6,1e6] in0=nan[-1e6,1e6] in1=nan[-1e6,1e6] in2=nan[-1e6,1e6] in3=nan[-1e6,1e6] in4=nan[-1e6,1e6] in5=nan[-1e6,1e6] in6=nan[-1e6,1e6] in7=nan[-1e6,1e6]", \
      "the input numbered round(index), wrapping over the inputs given (up to 8); a change crossfades over 5 ms", \
      "out: select (phasor 1 * 3) (sine 220) (sine 330) (sine 440) * 0.2") \
    X("segments", SF_MORE, DSP_MORE_SEGMENTS, 0, 0, 2, \
      "l0=0[-1e6,1e6] l1=nan[-1e6,1e6] l2=nan[-1e6,1e6] l3=nan[-1e6,1e6] l4=nan[-1e6,1e6] t1=0[0,3600] t2=0[0,3600] t3=0[0,3600] t4=0[0,3600]", \
      "breakpoint envelope from the program's start: lines from level to level over the times (s), then " \
      "the last level; the levels and the times may be two strings (segments \"0 1 0\" \"0.01 0.3\")", \
      "out: sine 110 * segments \"0 1 0\" \"0.01 0.3\"") \
    X("granular", SF_MORE, DSP_MORE_GRANULAR, 1, 0, 0, "grain_ms=50[5,500] density=0.5[0,1] pitch=1[0.1,4]", \
      "granular synthesis of the input's last two seconds: Hann grains of grain_ms read at pitch times " \
      "the speed, 8 * density overlapping, from up to 0.5 s back", \
      "out: granular (saw 110 * 0.3) 80 0.6 1.5") \
    X("superkick", SF_MORE, DSP_MORE_SUPERKICK, 0, 0, 1, "freq=60[20,2000] pitch_env=0.5[0,1] sustain=0.3[0.01,10]", \
      "SuperDirt's kick as an oscillator, struck once when the program starts (the phonon family's): " \
      "the pitch falls from (1 + 2 pitch_env) freq, decaying over sustain s", \
      "out: superkick 60 0.5 0.4") \
    X("supersnare", SF_MORE, DSP_MORE_SUPERSNARE, 0, 0, 1, "freq=200[20,2000] snappy=0.8[0,1] sustain=0.08[0.01,10]", \
      "SuperDirt's snare as an oscillator, struck once when the program starts: snappy is the noise's share", \
      "out: supersnare 200 0.8 0.2") \
    X("sine_trig", SF_MORE, DSP_MORE_SINE_TRIG, 0, 0, 1, "freq=440[0,1e6] attack=0.001[0,60] decay=0.1[0,60] sustain=0[0,1] release=0.1[0,60]", \
      "a band-limited sine started by each event of a pattern of frequencies (Hz), with an ADSR held while " \
      "the event lasts (the phonon family's pattern synth)", \
      "out: sine_trig \"440 ~ 660 ~\" 0.001 0.2 * 0.3") \
    X("saw_trig", SF_MORE, DSP_MORE_SAW_TRIG, 0, 0, 1, "freq=440[0,1e6] attack=0.001[0,60] decay=0.1[0,60] sustain=0[0,1] release=0.1[0,60]", \
      "a band-limited saw started by each event of a pattern of frequencies (Hz), with an ADSR held while " \
      "the event lasts (the phonon family's pattern synth)", \
      "out: saw_trig \"110 220 ~ 165\" * 0.2") \
    X("square_trig", SF_MORE, DSP_MORE_SQUARE_TRIG, 0, 0, 1, "freq=440[0,1e6] attack=0.001[0,60] decay=0.1[0,60] sustain=0[0,1] release=0.1[0,60]", \
      "a band-limited square started by each event of a pattern of frequencies (Hz), with an ADSR held while " \
      "the event lasts (the phonon family's pattern synth)", \
      "out: square_trig \"220*4\" 0.01 0.1 0.3 0.05 * 0.2") \
    X("tri_trig", SF_MORE, DSP_MORE_TRI_TRIG, 0, 0, 1, "freq=440[0,1e6] attack=0.001[0,60] decay=0.1[0,60] sustain=0[0,1] release=0.1[0,60]", \
      "a band-limited triangle started by each event of a pattern of frequencies (Hz), with an ADSR held while " \
      "the event lasts (the phonon family's pattern synth)", \
      "out: tri_trig \"440 ~ 440 ~\"") \
    X("gate", SF_MORE, DSP_MORE_GATE, 0, 0, 1, "pattern=0[-1e6,1e6]", \
      "1 while an event of pattern is on (not 0, false or f), else 0", \
      "out: saw 110 * gate \"1 0 1 1\" * 0.2") \
    X("trig", SF_MORE, DSP_MORE_TRIG, 0, 0, 1, "pattern=0[-1e6,1e6]", \
      "1 on the first sample of each event of pattern (not 0, false or f), else 0", \
      "out: comb (trig \"x ~ x x\") 220 0.99") \
    X("env_trig", SF_MORE, DSP_MORE_ENV_TRIG, 1, 0, 1, \
      "pattern=0[-1e6,1e6] attack=0.001[0,60] decay=0.1[0,60] sustain=0[0,1] release=0.1[0,60]", \
      "the input times an ADSR that each event of pattern starts, held while the event lasts", \
      "out: saw 110 * 0.3 # env_trig \"x ~ x x\" 0.005 0.2 0.2 0.1") \
    X("timer", SF_MORE, DSP_MORE_TIMER, 1, 0, 0, "", \
      "seconds since the input last rose above 0.5", \
      "out: sine (timer (trig \"x ~\") * 400 + 200) * 0.2") \
    X("mix", SF_MORE, DSP_MORE_MIX, 0, 0, 2, \
      "in0=nan[-1e6,1e6] in1=nan[-1e6,1e6] in2=nan[-1e6,1e6] in3=nan[-1e6,1e6] in4=nan[-1e6,1e6] " \
      "in5=nan[-1e6,1e6] in6=nan[-1e6,1e6] in7=nan[-1e6,1e6]", \
      "the sum of the signals given (up to 8; the peer's: not scaled)", \
      "out: mix (sine 220) (sine 330) (sine 440) * 0.1") \
    X("every_val", SF_MORE, DSP_MORE_EVERY_VAL, 0, 0, 3, "n=2[1,1e6] on=1[-1e6,1e6] off=0[-1e6,1e6]", \
      "on in every n-th cycle (0, n, 2n ...), off in the others (changes glide over 5 ms)", \
      "out: saw (every_val 4 220 110) * 0.2") \
    X("sometimes_val", SF_MORE, DSP_MORE_SOMETIMES_VAL, 0, 0, 2, "on=1[-1e6,1e6] off=0[-1e6,1e6] prob=0.5[0,1]", \
      "on in a cycle with probability prob (random per cycle, the same each run), off otherwise", \
      "out: saw 110 # lpf (sometimes_val 2000 400) 0.7") \
    X("sometimes_by_val", SF_MORE, DSP_MORE_SOMETIMES_BY_VAL, 0, 0, 3, "prob=0.5[0,1] on=1[-1e6,1e6] off=0[-1e6,1e6]", \
      "sometimes_val with the probability first", \
      "out: saw 110 # lpf (sometimes_by_val 0.3 2000 400) 0.7") \
    X("whenmod_val", SF_MORE, DSP_MORE_WHENMOD_VAL, 0, 0, 4, "modulo=4[1,1e6] offset=0[-1e6,1e6] on=1[-1e6,1e6] off=0[-1e6,1e6]", \
      "on in the cycles c where (c - offset) mod modulo is 0, off in the others", \
      "out: sine (whenmod_val 4 2 440 330) * 0.2") \
    X("every_effect", SF_MORE, DSP_MORE_EVERY_FX, 0, 0, 3, "input=0[-1e6,1e6] n=2[1,1e6] effect=0[-1e6,1e6]", \
      "effect's signal in every n-th cycle, input's in the others (crossfaded over 5 ms)", \
      "out: every_effect (saw 110 * 0.2) 2 (saw 110 * 0.2 # lpf 400 0.7)") \
    X("sometimes_effect", SF_MORE, DSP_MORE_SOMETIMES_FX, 0, 0, 2, "input=0[-1e6,1e6] effect=0[-1e6,1e6] prob=0.5[0,1]", \
      "effect's signal in a cycle with probability prob (random per cycle), input's otherwise", \
      "out: sometimes_effect (saw 110 * 0.2) (saw 110 * 0.2 # lpf 400 0.7)") \
    X("whenmod_effect", SF_MORE, DSP_MORE_WHENMOD_FX, 0, 0, 4, "input=0[-1e6,1e6] modulo=4[1,1e6] offset=0[-1e6,1e6] effect=0[-1e6,1e6]", \
      "effect's signal in the cycles c where (c - offset) mod modulo is 0, input's in the others", \
      "out: whenmod_effect (saw 110 * 0.2) 4 3 (saw 110 * 0.2 # hpf 2000 0.7)") \
    X("soft_saw_hz", SF_MORE, DSP_MORE_SOFT_SAW, 0, 0, 1, "freq=261.63[0,1e6]", \
      "fundsp's soft saw: every partial k at 1/k^2 (a saw falling off like a triangle), band-limited", \
      "out: soft_saw_hz 110 * 0.3") \
    A("soft_saw", "soft_saw_hz", "out: soft_saw 110 * 0.3") \
    X("organ_hz", SF_MORE, DSP_MORE_ORGAN, 0, 0, 1, "freq=261.63[0,1e6]", \
      "fundsp's organ wave: partial k at 1/(k + j^3), j the odd part of k, so the octaves lead; band-limited", \
      "out: organ_hz 220 * 0.3") \
    A("organ", "organ_hz", "out: organ 220 * 0.3") \
    X("pitch_shift", SF_MORE, DSP_MORE_PITCH_SHIFT, 1, 0, 1, "semitones=0[-24,24]", \
      "pitch shifter: two taps crossfaded across a 50 ms delay, read faster or slower by the ratio", \
      "out: pitch_shift (saw 110 * 0.2) 7") \
    /* issue 13, third batch (dsp_peer.c): freeze, SuperDirt's synths as oscillators */ \
    X("freeze", SF_MORE, DSP_MORE_FREEZE, 1, 0, 1, "trigger=0[-1e6,1e6]", \
      "spectral freeze: when trigger rises above 0.5 the input's spectrum (2048 frames) is held, resynthesised " \
      "every 512 frames at random phases; the next rise takes a new one; before the first the input passes " \
      "(as a control on events: SuperDirt's freeze)", \
      "out: freeze (saw 110 * 0.2 # lpf 800 0.7) (trig \"~ x\")") \
    X("superhat", SF_MORE, DSP_MORE_SUPERHAT, 0, 0, 0, "bright=0.7[0,1] sustain=0.05[0.005,10]", \
      "SuperDirt's hi-hat as an oscillator, struck once when the program starts: its noise from 5 + 5 bright kHz " \
      "up to three times that", \
      "out: superhat 0.8 0.3") \
    X("superfm", SF_MORE, DSP_MORE_SUPERFM, 0, 0, 1, "freq=261.63[0,1e6] mod_ratio=2[0,16] mod_index=1[0,50]", \
      "two-operator FM as an oscillator (the phonon family's): a sine at freq swung by mod_index * freq by a " \
      "sine at mod_ratio * freq", "out: superfm 220 1.5 2 * 0.2") \
    X("superchip", SF_MORE, DSP_MORE_SUPERCHIP, 0, 0, 1, "freq=261.63[0,1e6] vibrato_rate=5[0,40] vibrato_depth=0.05[0,1]", \
      "chip square as an oscillator (the phonon family's): a band-limited square with vibrato, " \
      "vibrato_depth * freq at vibrato_rate Hz", "out: superchip \"c4 e4 g4\" 6 0.02 * 0.2") \
    X("superpwm", SF_MORE, DSP_MORE_SUPERPWM, 0, 0, 1, "freq=261.63[0,1e6] pwm_rate=0.5[0,40] pwm_depth=0.8[0,1]", \
      "pulse-width modulation as an oscillator: a band-limited pulse whose width a triangle at pwm_rate Hz " \
      "sweeps 0.5 +- 0.45 pwm_depth (SuperDirt's meaning; the phonon family's mixes two squares)", \
      "out: superpwm 110 0.5 0.8 * 0.2") \
    X("vocoder", SF_MORE, DSP_MORE_VOCODER, 0, 0, 3, "modulator=0[-1e6,1e6] carrier=0[-1e6,1e6] bands=16[2,32]", \
      "channel vocoder: bands band-passes (q 2, 100 Hz up, log-spaced) of the carrier, each scaled by the " \
      "modulator's envelope in the same band (5 ms attack, 50 ms release)", \
      "out: vocoder (s \"bd sn hh cp\") (saw 110) 16") \
    X("waveguide", SF_MORE, DSP_MORE_WAVEGUIDE, 0, 0, 3, "freq=220[20,10000] damping=0.5[0,1] pickup=0.3[0,1]", \
      "waveguide string plucked with noise when it starts and on each new note (a jump of freq by more than a " \
      "semitone), heard at pickup along it (0.5, the middle, has no even harmonics; the ends, clamped to " \
      "0.02 and 0.98, hear least); damping shortens the decay", \
      "out: waveguide \"220 330\" 0.3 0.2 * 0.5") \
    X("fchorus", SF_MORE, DSP_MORE_FCHORUS, 1, 0, 3, "separation=0.015[0,0.05] variation=0.005[0,0.05] mod_frequency=0.3[0,20]", \
      "fundsp's chorus: the input and four copies delayed by 1 .. 4 separations (s) plus up to variation (s) " \
      "swept at mod_frequency Hz, averaged", "out: saw 110 * 0.2 # fchorus 0.015 0.005 0.3") \
    X("lush", SF_MORE, DSP_MORE_LUSH, 1, 0, 1, \
      "decay=0.5[0,1] diffusion=0.7[0,1] damping=0.3[0,1] spin=0.3[0,1] wander=0.2[0,1] freeze=0[0,1] mix=0.5[0,1] " \
      "predelay=0.02[0,0.5]", \
      "modulated reverb: input diffusion, eight delay lines mixed and damped, the tail falling 60 dB in " \
      "0.1 + 59.9 decay^2 s, lengths swung by spin (fast) and wander (slow); freeze > 0.5 holds the tail; " \
      "the input plus mix times the tail (the peer's 8-argument form puts predelay first: here :predelay)", \
      "out: s \"cp ~ ~ ~\" # lush 0.6 0.7 0.3 0.3 0.2 0 0.5") \
    /* issue 13: the names that read a sample (dsp_wavconv.c, graph_wavconv.c) */ \
    X("wavetable", SF_WAVCONV, N_WAVETABLE, 0, 0, 1, "freq=261.63[0,1e6]", \
      "wavetable oscillator: wavetable freq \"name:n\" plays the sample as one cycle at freq Hz (its harmonics " \
      "up to the 1024th, DC left out, its first second at most), band-limited (mip-mapped: no partial above " \
      "Nyquist); without a sample a sine (the phonon family's default table)", \
      "out: wavetable \"110 165 220 330\" * 0.2") \
    X("convolve", SF_WAVCONV, N_CONVOLVE, 1, 0, 0, "mix=1[0,1]", \
      "convolution with an impulse response: x # convolve \"name:n\" mix is (1 - mix) x + mix (x convolved " \
      "with the sample, as recorded, its first second at most; stereo when it is), exact and without latency " \
      "(partitioned FFT); without a sample the phonon family's built-in room (0.5 s: the direct sound, six " \
      "reflections 21 to 156 ms, a tail 0.05 e^-3t, loud for low notes)", \
      "out: s \"bd*2 sn\" # convolve \"cp:1\" 0.3") \
    A("convolution", "convolve", "out: saw \"55 ~ 82.5 ~\" * 0.1 # convolution")

/* issue 13: names of the phonon family that phonon leaves out on purpose,
 * with why: O(name, reason). */
#define OUT_OF_SCOPE(O) \
    O("vst", "plug-in hosting (VST, AU, LV2, CLAP) is out of scope: phonon runs no plug-ins") \
    O("vst2", "plug-in hosting (VST, AU, LV2, CLAP) is out of scope: phonon runs no plug-ins") \
    O("vst3", "plug-in hosting (VST, AU, LV2, CLAP) is out of scope: phonon runs no plug-ins") \
    O("au", "plug-in hosting (VST, AU, LV2, CLAP) is out of scope: phonon runs no plug-ins") \
    O("lv2", "plug-in hosting (VST, AU, LV2, CLAP) is out of scope: phonon runs no plug-ins") \
    O("clap", "plug-in hosting (VST, AU, LV2, CLAP) is out of scope: phonon runs no plug-ins") \
    O("plugin", "plug-in hosting (VST, AU, LV2, CLAP) is out of scope: phonon runs no plug-ins") \
    O("param", "plug-in parameters: plug-in hosting is out of scope, phonon runs no plug-ins") \
    O("midiSynth", "MIDI input is out of scope: phonon plays patterns, it reads no MIDI device") \
    O("midi_synth", "MIDI input is out of scope: phonon plays patterns, it reads no MIDI device") \
    /* issue 13, third batch: the peer's MIDI synth and its file tap */ \
    O("synth", "the phonon family's synth plays a waveform from MIDI input, which is out of scope (phonon " \
               "reads no MIDI device); for its note-pattern form write saw_trig \"c4 e4 g4\" (or sine_trig, " \
               "square_trig, tri_trig) with the ADSR after it") \
    O("tap", "the phonon family's tap writes the signal to a WAV file, and phonon's audio path never touches " \
             "files: render the program (or a bus of it as out) with `phonon render`") \
    O("probe", "the phonon family's probe (tap) writes the signal to a WAV file, and phonon's audio path never " \
               "touches files: render the program (or a bus of it as out) with `phonon render`") \
    /* issue 11: Strudel's deprecated voicings (its voice leading is state kept between queries) */ \
    O("voicings", "Strudel's deprecated form, whose voice leading depends on what was queried before; " \
                  "write # dictionary \"lefthand\" # voicing (with anchor, mode, offset)")

/* Why name (a function, or a bus when it starts with "midi") is out of
 * scope, or NULL. */
const char *graph_out_of_scope(const char *name, int bus);

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
 * folder has that name (the name is a sound function's), or a stand-in: a
 * name whose alias_of is a synth's, played by that synth in the same case. */
#define SYNTHS(S, W) \
    S(DSP_SUPERKICK, "note freq=50 sustain=0.4 decay=1[0.01,50] pitch1=1[0.001,100] speed=1 accelerate=0", \
      "kick: a sine sweeping down, with a click (note: semitones from 50 Hz); SuperDirt's click arguments: decay " \
      "scales the click's length (10 ms), pitch1 and speed put its noise through SuperDirt's low-pass at " \
      "1500 pitch1 speed Hz (the click is plain noise unless pitch1, speed or accelerate is given), accelerate " \
      "glides that low-pass to (1 + accelerate) times over the click (SuperDirt's DirtFreqScale over its clickdur; " \
      "as in SuperDirt, speed and accelerate leave the body's pitch alone)", \
      "out: s \"superkick*4\" # pitch1 \"<1 4>\" # decay 2") \
    S(DSP_SUPERSAW, "note sustain detune=0.3 voice rate=1 semitone=12 pitch1=1 lfo=1 resonance=0.2[0,1] decay=0[0,1] speed=1 accelerate=0", \
      "three detuned saws (voice: SuperDirt's detune, voice/50 of the pitch) and a triangle semitone above " \
      "through a low-pass an LFO sweeps (rate) between 10 pitch1 and (lfo + 1) times that, its q from resonance; " \
      "decay lowers the level after 0.2 of the sustain to 1 - decay; speed and accelerate move the pitch " \
      "(SuperDirt's DirtFreqScale: from speed to speed (1 + accelerate) over the sustain)", \
      "out: note \"c2 e2\" # s \"supersaw\"") \
    S(DSP_SUPERPWM, "note sustain detune=0.1 voice=0.5 rate=1 semitone decay=0[0,1] speed=1 accelerate=0", "two pulses whose widths an LFO (rate Hz) swings by 0.8 voice; the second " \
      "detune semitones above, or semitone below; decay as supersaw's (SuperDirt's pitch1, lfo and resonance: " \
      "its filter is not here, warned)", \
      "out: note \"0 3 7\" # s \"superpwm\"") \
    S(DSP_SUPERCHIP, "note sustain=0.25 voice=0[0,1] pitch2=1 slide=0 rate=1 speed=1 accelerate=0", "a 25% pulse over a triangle at pitch2 times the pitch; voice 0..1 turns them " \
      "on and off as SuperDirt's levels (pulse below 0.5, triangle where 2 voice mod 1 is below 0.5; its third " \
      "oscillator, pitch3, is not here); slide glides the pitch from 100 slide Hz below to above it, rate times " \
      "over the sustain", "out: note \"0 12\" # s \"superchip\"") \
    S(DSP_SUPERFM, "note sustain", "two-operator FM", "out: s \"superfm*2\" # note \"-12 0\"") \
    S(DSP_SUPERSNARE, "note freq=180 sustain=0.3 decay=1 speed=1 accelerate=0", "snare: two drum modes and noise (note: semitones from 180 Hz); decay " \
      "scales the noise's length", \
      "out: s \"~ supersnare\"") \
    S(DSP_SUPERHAT, "note freq=8000 sustain=0.1 speed=1 accelerate=0", "hi-hat: SuperDirt's, noise between a " \
      "high-pass at freq and a low-pass at 3 freq (note: semitones from 8 kHz); speed and accelerate move both " \
      "filters (SuperDirt's DirtFreqScale: from speed to speed (1 + accelerate) times over the sustain)", \
      "out: s \"superhat*8\" # accelerate \"<0 -0.5>\"") \
    /* issue 12: the SuperDirt library as kernel lanes (src/synth_kern.h) */ \
    S(DSP_SUPERPIANO, "note sustain=1 velocity=1 detune=0.1[0,1] speed=1 accelerate=0", \
      "piano: seven stretched partials, the upper ones dying first, and a hammer thump; velocity 0..1; " \
      "detune is the strings' stiffness (SuperDirt's stretch: the partials go sharp)", \
      "out: n \"0 4 7 12\" # s \"superpiano\"") \
    S(DSP_SUPERGONG, "note sustain=3 voice=0[0,4] decay=1[0,2] speed=1 accelerate=0", "gong: the seven lowest modes of a clamped circular plate, ringing long; " \
      "voice 0..4 brightens (mode k weighted by its ratio^voice), decay 0..2 lets the upper modes ring longer (1: as is)", \
      "out: s \"supergong\" # note \"<-12 -5>\"") \
    S(DSP_SUPERFORK, "note sustain=2 speed=1 accelerate=0", "tuning fork: a pure fundamental after clang tones at 6.1, 16.7, 20.1 times it", \
      "out: s \"superfork*2\" # note \"9 21\"") \
    S(DSP_SUPERHAMMOND, "note sustain voice[0,9] speed=1 accelerate=0", "tonewheel organ: seven drawbars (16' to 1') that hold while the note does; voice " \
      "0..9 picks SuperDirt's drawbar presets (0 bass violin, 1 tibia, 2 bassoon, 3 french trumpet, 4 strings, 5 " \
      "blues, 6 jazz, 7 full shout, 8 bro' jack, 9 jazz 2; between two: a blend)", \
      "out: s \"superhammond\" # note \"[0,4,7]\" # legato 1") \
    S(DSP_SUPERVIBE, "note sustain=2 velocity=1 decay=0 detune=0 modamp=1[0,2] modfreq=7 speed=1 accelerate=0", "vibraphone: a tuned bar's modes (1 : 4 : 10) under a soft mallet; decay damps " \
      "the upper modes (e^-decay), velocity brightens, detune raises the top mode; modamp/modfreq: a tremolo " \
      "(SuperDirt's is on by default, here when either is given)", \
      "out: s \"supervibe*4\" # note \"0 4 7 11\"") \
    S(DSP_SUPERPRIMES, "note sustain=1 detune=0[0,6] speed=1 accelerate=0", "partials at the prime ratios 1 2 3 5 7 11 13, the upper ones shorter; detune " \
      "moves them alternately by +-detune/12", \
      "out: s \"superprimes*2\" # note \"0 7\"") \
    S(DSP_SUPERSQUARE, "note sustain voice=0.5[0,1] rate=1 semitone=12 pitch1=1 lfo=1 resonance=0.2[0,1] decay=0[0,1] speed=1 accelerate=0", \
      "pulses of width voice at the pitch and semitone (12) below through supersaw's swept low-pass (pitch1, " \
      "lfo, resonance, decay as there)", \
      "out: s \"supersquare*4\" # note \"-12 -5 0 3\"") \
    S(DSP_SUPERREESE, "note sustain detune=0 voice=0[0,2] speed=1 accelerate=0", "Reese bass: two saws 0.7 % apart beating (detune: % further apart each), " \
      "under a low-pass at 6 times the pitch whose q voice 0..2 lowers", \
      "out: s \"superreese\" # note -24 # legato 1") \
    /* issue 12 (h-synth2): more of SuperDirt's library on the same lanes */ \
    S(DSP_SOSKICK, "note freq=65 sustain=0.6 pitch2=0[0,1] speed=0.3[0,1]", "sos kick: a sine falling an octave onto the pitch in 20 ms (note: semitones " \
      "from 65 Hz); pitch2 0..1 adds the beater's noise, speed its length (SuperDirt's pitch1 and voice, phase " \
      "modulation, are not here)", \
      "out: s \"soskick*4\"") \
    S(DSP_SOSTOMS, "note freq=261.63 sustain=0.5", "sos toms: a sine at the pitch with a crackle of noise at its start", \
      "out: s \"sostoms*4\" # note \"-12 -7 -5 0\"") \
    S(DSP_SOSHATS, "note freq=220 sustain=0.3 resonance=1[0,1]", \
      "sos hats: squares at 1.34, 2.405, 3.09 times the pitch and noise through a " \
      "band-pass at 45 times it, resonance 0..1 its width", \
      "out: s \"soshats*8\"") \
    S(DSP_SOSSNARE, "note freq=405 sustain=0.4 semitone=0.452 pitch1=2000 resonance=0.1[0,1]", "sos snare: modes at 0.85 and semitone (0.452) times the pitch and noise in a " \
      "band at pitch1 Hz (2000) whose width is resonance", \
      "out: s \"~ sossnare\"") \
    S(DSP_SUPERSIREN, "note sustain speed=1 accelerate=0", "siren: a saw whose width opens over the note while its pitch rises to two octaves up and back", \
      "out: s \"supersiren\" # note -12 # legato 1") \
    S(DSP_SUPERZOW, "note sustain detune=1 slide=1 decay=0[0,1] speed=1 accelerate=0", \
      "phased saws: three saws detune % apart, two of them sliding up to a cycle late " \
      "over the note, slide times as fast; decay as supersaw's", \
      "out: s \"superzow*2\" # note \"0 -5\"") \
    S(DSP_SUPERCOMPARATOR, "note sustain voice=0.5 pitch1=1 resonance=0.5[0,1] decay=0[0,1] speed=1 accelerate=0", \
      "three opening saws compared with slow triangles (their rates SuperDirt's ratios^(voice/5)) into a " \
      "resonant low-pass at 4 pitch1 times the pitch (resonance its q); decay as supersaw's (SuperDirt's lfo " \
      "and rate, a moving cutoff, are not here)", \
      "out: s \"supercomparator\" # note \"<-12 -7>\" # legato 1") \
    S(DSP_SUPERTRON, "note sustain detune=0 voice=0[0,1.5] speed=1 accelerate=0", \
      "two pulses (1 + detune) Hz either side of the pitch whose widths wobble at a " \
      "sixth of it, voice 0..1.5 deeper (SuperDirt's: narrower)", \
      "out: s \"supertron*2\" # note \"-12 -5\"") \
    S(DSP_SUPERHOOVER, "note sustain slide=0 decay=0[0,1] speed=1 accelerate=0", "hoover: saws two octaves down, one octave down and at the pitch; slide: a dip " \
      "of slide/4 of the pitch over the first 0.35 sustain; decay as supersaw's", \
      "out: s \"superhoover\" # note \"<12 7>\" # legato 1") \
    S(DSP_SUPERMANDOLIN, "note sustain detune=0.2 speed=1 accelerate=0", \
      "mandolin: a pluck on two strings 2 detune % apart (detune 0.2; the harmonics of two combs), beating as " \
      "they ring", \
      "out: s \"supermandolin*4\" # note \"0 4 7 12\"") \
    S(DSP_SUPERCLAP, "note freq=1500 sustain=1 rate=1 delay=1 pitch1=1", \
      "clap: noise band-passed at 1.5 pitch1 kHz under four bursts 5 delay ms apart, each 40 / rate ms (note: " \
      "semitones from 1.5 kHz; delay also sends to the orbit's delay, as in SuperDirt); its envelope is the " \
      "sustain's, or attack and release when given (SuperDirt's envelope module)", \
      "out: s \"~ superclap\"") \
    S(DSP_SUPERSTATIC, "note sustain speed=1 accelerate=0", \
      "static: the clicks of a square stepped by random impulses (20 times the pitch a second), fading in and " \
      "out over the sustain (attack, release: as superclap's)", \
      "out: s \"superstatic\" # note 12 # legato 1") \
    S(DSP_SUPERWAVEMECHANICS, "note sustain voice[0,1] detune=0[0,1.5] speed=1 accelerate=0", \
      "noise in four narrow bands at 1.75 times the pitch times 3/8, 5/8, 1, 9/8, fading in and out over the " \
      "sustain (attack, release: as superclap's); voice 0..1 widens the bands, detune places them at random " \
      "(SuperDirt's resonance, a reverb, is not here)", \
      "out: s \"superwavemechanics\" # note \"<0 5>\" # legato 1") \
    S(DSP_SUPERGRIND, "note sustain voice=0 speed=1 accelerate=0", \
      "grind: impulses at (voice + 1) half the pitch, swung by a slow sine, ringing a resonator at the pitch, " \
      "folded by sin(tanh); envelope 0.1, 0.8, 0.1 of the sustain (attack, release: as superclap's; SuperDirt's " \
      "detune and rate are not here)", \
      "out: s \"supergrind\" # note -12 # legato 1") \
    W("sine", NULL, "an instrument of one sine at the note", "out: s \"sine*2\" # note \"0 7\"") \
    W("saw", NULL, "an instrument of one saw at the note", "out: s \"saw*2\" # note \"0 7\"") \
    W("square", NULL, "an instrument of one square at the note", "out: s \"square*2\" # note \"0 7\"") \
    W("tri", NULL, "an instrument of one triangle at the note", "out: s \"tri*2\" # note \"0 7\"") \
    W("triangle", "tri", "an instrument of one triangle at the note", "out: s \"triangle\" # note 7") \
    W("sawtooth", "saw", "an instrument of one saw at the note", "out: s \"sawtooth\" # note 7") \
    /* stand-ins: a W row whose alias_of is a synth plays that synth */ \
    W("piano", "superpiano", "Strudel's default piano is a sample set; where no sample folder is called " \
      "piano, the superpiano synth plays it (with a warning)", "out: n \"0 4 7 12\" # s \"piano\"")

/* The synth or waveform called name, or NULL. */
const struct gsynth *graph_synth(const char *name);
/* The synth that stands in for name where no sample folder has it (s "piano":
 * superpiano), or NULL. */
const struct gsynth *graph_synth_stand_in(const char *name);
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
