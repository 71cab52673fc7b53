/* dsp_synth.c -- SuperDirt-style instruments: naming and starting notes.
 *
 * DESIGN
 *
 * A struct dsp_synth is one batch of up to DSP_MAX_LANES voices of a single
 * instrument, all per-voice state in [..][lane] arrays (dsp.h). This file
 * holds what is done once per note: defaults, and the trigger, which turns
 * a note's parameters into a lane's oscillator increments, weights, decay
 * factors, filter coefficients and mode rotations. The sound itself is
 * made per sample by the voice kernels (src/synth_kern.h, compiled once per
 * instruction set like the instrument voices and chosen at run time), so
 * it runs at the vector width of the CPU; dsp_synth_render (voice.c) is
 * the way in from outside a batch.
 *
 * Lanes end by themselves: sustained instruments when their ADSR returns
 * to idle, drums when their loudest decay falls below -80 dB; an ended lane
 * gives exact zeros. Triggering may use a little more arithmetic: decay
 * factors are 2^(-log2(1000) / (T60 sr)), computed with dsp_exp2 so that
 * results do not depend on the libm.
 *
 * The sounds follow the SuperDirt instruments' ideas (a swept sine kick, a
 * detuned saw stack, a PWM pair, a chip pulse, 2-op FM, a modes+noise
 * snare, a noise hat between SuperDirt's low- and high-pass, a piano of
 * decaying partials) but not their code: parameters are the ones in dsp.h.
 */
#include "dsp.h"

#include <math.h>
#include <string.h>

static const char *const kind_names[DSP_SYNTH_KINDS] = {
    "superkick", "supersaw", "superpwm", "superchip", "superfm", "supersnare", "superhat", "superpiano",
    "supergong", "superfork", "superhammond", "supervibe", "superprimes", "supersquare", "superreese",
    "soskick", "sostoms", "soshats", "sossnare",
    "supersiren", "superzow", "supercomparator", "supertron", "superhoover",
    "supermandolin", "superclap", "superstatic", "superwavemechanics",
    "supergrind",
};

int dsp_synth_kind_from_name(const char *name)
{
    for (int k = 0; k < DSP_SYNTH_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0)
            return k;
    return -1;
}

const char *dsp_synth_kind_name(enum dsp_synth_kind kind)
{
    return (unsigned)kind < DSP_SYNTH_KINDS ? kind_names[kind] : "?";
}

void dsp_synth_note_defaults(enum dsp_synth_kind kind, struct dsp_synth_note *n)
{
    static const float freq[DSP_SYNTH_KINDS] = { 50, 261.63f, 261.63f, 261.63f, 261.63f, 180, 8000, 261.63f,
                                                 [DSP_SOSKICK] = 65, 261.63f, 220, 405,
                                                 [DSP_SUPERCLAP] = 1500 };
    static const float sustain[DSP_SYNTH_KINDS] = { 0.4f, 0.5f, 0.5f, 0.25f, 0.5f, 0.3f, 0.1f, 1.0f,
                                                    3.0f, 2.0f, 0.5f, 2.0f, 1.0f, 0.5f, 0.5f,
                                                    [DSP_SOSKICK] = 0.6f, 0.5f, 0.3f, 0.4f,
                                                    1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f, 1.0f };
    n->freq = (unsigned)kind < DSP_SYNTH_KINDS && freq[kind] > 0 ? freq[kind] : 261.63f;
    n->gain = 1.0f;
    n->sustain = (unsigned)kind < DSP_SYNTH_KINDS ? sustain[kind] : 0.5f;
    int modal = (kind >= DSP_SUPERPIANO && kind <= DSP_SUPERPRIMES) || kind == DSP_SUPERMANDOLIN;
    n->attack = kind == DSP_SUPERCHIP ? 0.001f : modal ? 0.002f : 0.01f;
    n->release = kind == DSP_SUPERCHIP ? 0.05f : modal ? 0.1f : 0.3f;
    n->velocity = 1.0f;
    n->voices = -1.0f;
    n->detune = kind == DSP_SUPERPWM    ? 0.1f
                : kind == DSP_SUPERZOW  ? 1.0f
                : kind == DSP_SUPERTRON ? 0.0f
                : kind == DSP_SUPERSAW  ? 0.3f
                                        : NAN;     /* the others: their own sound unless given */
    if (kind >= DSP_SUPERSIREN && kind <= DSP_SUPERHOOVER) {
        static const float att[5] = { 0.05f, 0.07f, 0.05f, 0.05f, 0.03f }, rel[5] = { 0.05f, 0.1f, 0.1f, 0.1f, 0.1f };
        n->attack = att[kind - DSP_SUPERSIREN];
        n->release = rel[kind - DSP_SUPERSIREN];
    }
    if (kind == DSP_SUPERCLAP || kind == DSP_SUPERSTATIC || kind == DSP_SUPERWAVEMECHANICS || kind == DSP_SUPERGRIND)
        n->attack = n->release = NAN;           /* their envelope is the sustain's unless given */
    n->rate = 1.0f;
    n->width = 0.25f;
    n->ratio = 2.0f;
    n->index = 1.0f;
    n->sweep = 2.0f;
    n->tone = 0.5f;
    n->speed = n->accelerate = n->decay = n->semitone = NAN;
    n->pitch1 = n->pitch2 = n->pitch3 = n->lfo = n->resonance = n->slide = NAN;
    n->delay = NAN;
}

void dsp_synth_init(struct dsp_synth *s, enum dsp_synth_kind kind, float sr)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->sr = sr;
    s->seed = 1;
    for (int l = 0; l < DSP_MAX_LANES; l++) {
        s->rng[l] = dsp_noise_seed((uint32_t)l + 1);
        s->q[l] = 1.2f;
        s->dec[l] = s->sus[l] = 1.0f;
        s->pw[l] = 0.5f;
        s->pwd[l] = 0.4f;
    }
}

/* Levels (issue 12): SuperDirt stages its synths so that one voice at the
 * default gain peaks near -12 dBFS, leaving room for chords and layers
 * before the master's clipper. Each kind's gain 1 is scaled to that from
 * its measured peak over its playing range (tests/test_synth.c checks
 * every kind lands within -15..-9 dBFS). */
static const float level[DSP_SYNTH_KINDS] = {
    0.23f,      /* superkick: peaks ~1.1 */
    0.26f,      /* supersaw: ~0.95 */
    0.22f,      /* superpwm: ~1.15 */
    0.17f,      /* superchip: ~1.45 */
    0.25f,      /* superfm: 1 */
    0.29f,      /* supersnare: ~0.85 */
    0.22f,      /* superhat: ~1.15 */
    0.16f,      /* superpiano: ~1.5 */
    0.070f,     /* supergong: ~3.6 */
    0.142f,     /* superfork: ~1.75 */
    0.088f,     /* superhammond: ~2.85 */
    0.182f,     /* supervibe: ~1.37 */
    0.160f,     /* superprimes: ~1.56 */
    0.28f,      /* supersquare: ~0.88 */
    0.30f,      /* superreese: ~0.84 */
    0.25f,      /* soskick: ~0.95 */
    0.22f,      /* sostoms: ~1.1 */
    0.33f,      /* soshats: ~0.8 */
    0.35f,      /* sossnare: ~0.77 */
    0.25f,      /* supersiren: ~1 */
    0.17f,      /* superzow: ~1.4 */
    0.16f,      /* supercomparator: ~1.55 */
    0.22f,      /* supertron: ~1.1 */
    0.25f,      /* superhoover: ~1 */
    0.086f,     /* supermandolin: ~2.9 */
    0.105f,     /* superclap: ~2.4 */
    0.25f,      /* superstatic: clicks of 1 */
    2.8f,       /* superwavemechanics: narrow noise, ~0.09 */
    0.19f,      /* supergrind: ~1.3 */
};

/* Per-sample factor for a decay of 60 dB in t60 seconds. */
static float t60_factor(float t60, float sr)
{
    return dsp_exp2(-9.96578428f / (dsp_maxf(t60, 1e-4f) * sr));   /* log2(1000) */
}

static float semis(float st)
{
    return dsp_exp2(st * (1.0f / 12.0f));
}

/* issue 12 (h-synthctl): an argument the event gave (NAN: not given). */
static int given(float x)
{
    return x == x;
}

/* superpiano: partial k (1..7) of a stiff string sits at k f sqrt(1 + B k^2)
 * (B grows towards the treble), starts at amplitude k^-(2.2 - velocity) and
 * rings for T60 = 6 s (261.63 / f)^0.6 / k^0.7 (bass strings ring longer,
 * upper partials die first); a partial above 0.45 sr is left out. The
 * hammer is a thump of noise over 8 ms. */
static void piano_trigger(struct dsp_synth *s, int l, const struct dsp_synth_note *n, float f)
{
    const float sr = s->sr;
    float vel = dsp_clampf(n->velocity, 0.0f, 1.0f);
    float B = 0.0001f * dsp_exp2(dsp_log2(f * (1.0f / 261.63f)) * 0.8f);
    if (given(n->detune))                       /* SuperDirt's stretch: 0.1 */
        B *= dsp_clampf(n->detune, 0.0f, 1.0f) * 10.0f;
    float t0 = 6.0f * dsp_exp2(dsp_log2(261.63f / f) * 0.6f);
    for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
        float kk = (float)(k + 1);
        float fk = f * kk * sqrtf(1.0f + B * kk * kk);
        float amp = fk < 0.45f * sr ? dsp_exp2(-dsp_log2(kk) * (2.2f - vel)) : 0.0f;
        float r = t60_factor(t0 * dsp_exp2(-0.7f * dsp_log2(kk)), sr);
        float w = fk / sr;
        s->zr[k][l] = amp;                  /* Im z = 0, rising */
        s->zi[k][l] = 0.0f;
        s->cr[k][l] = r * dsp_cos2pi(w);
        s->ci[k][l] = r * dsp_sin2pi(w);
        s->mw[k][l] = w;
        s->mr[k][l] = r;
    }
    s->p2[l] = 0.15f * (0.3f + 0.7f * vel);
    s->d2[l] = 1.0f;
    s->k2[l] = t60_factor(0.008f, sr);
}

/* The other instruments of modes (issue 12), SuperDirt's ideas: each a
 * table of mode ratios, starting amplitudes and T60s (seconds at 261.63 Hz,
 * scaled by (261.63 / f)^tilt; 0: the mode does not decay), and the level
 * of a noise strike. */
struct modal {
    float ratio[DSP_SYNTH_OSCS], amp[DSP_SYNTH_OSCS], t60[DSP_SYNTH_OSCS];
    float tilt, strike;
};
static const struct modal modals[] = {
    /* supergong: the lowest modes of a clamped circular plate */
    { { 1.0f, 2.081f, 3.414f, 3.893f, 4.995f, 5.954f, 6.819f }, { 1, 0.7f, 0.6f, 0.5f, 0.45f, 0.4f, 0.35f },
      { 8, 5, 3.5f, 3, 2.5f, 2, 1.6f }, 0.5f, 0.05f },
    /* superfork: a tuning fork's fundamental and its clang tones */
    { { 1.0f, 6.1f, 16.7f, 20.1f }, { 1, 0.5f, 0.3f, 0.2f }, { 6, 1.5f, 0.25f, 0.15f }, 0.3f, 0 },
    /* superhammond: drawbars 16' 5 1/3' 8' 4' 2 2/3' 2' 1' of a tonewheel organ */
    { { 0.5f, 1.4988f, 1.0f, 2.0f, 2.9976f, 4.0f, 8.0f }, { 1, 0.8f, 1, 0.5f, 0.3f, 0.25f, 0.2f },
      { 0, 0, 0, 0, 0, 0, 0 }, 0, 0.02f },
    /* supervibe: a tuned bar's modes (1 : 4 : 10) and their quick top */
    { { 1.0f, 3.984f, 10.668f }, { 1, 0.35f, 0.12f }, { 5, 1.2f, 0.4f }, 0.7f, 0.03f },
    /* superprimes: partials at the primes, the upper ones shorter */
    { { 1, 2, 3, 5, 7, 11, 13 }, { 1, 0.6f, 0.45f, 0.3f, 0.22f, 0.15f, 0.12f }, { 3, 2.4f, 2, 1.5f, 1.2f, 0.9f, 0.8f },
      0.5f, 0 },
};

/* supermandolin: SuperDirt plucks two comb filters tuned detune % (0.2)
 * either side of the pitch with a burst of noise; a comb's ringing is
 * its harmonics, so here the lowest three of each comb and the fourth,
 * all ringing about as long, and the pluck's noise. */
static const struct modal mandolin = {
    { 0.998f, 1.002f, 1.996f, 2.004f, 2.994f, 3.006f, 4.0f }, { 1, 1, 0.5f, 0.5f, 0.33f, 0.33f, 0.25f },
    { 1.5f, 1.5f, 1.3f, 1.3f, 1.1f, 1.1f, 1.0f }, 0.3f, 0.1f
};

static void modal_trigger(struct dsp_synth *s, int l, const struct modal *m, float f)
{
    const float sr = s->sr;
    float tilt = dsp_exp2(dsp_log2(261.63f / f) * m->tilt);
    for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
        float fk = f * m->ratio[k], w = fk / sr;
        float r = m->t60[k] > 0.0f ? t60_factor(m->t60[k] * tilt, sr) : 1.0f;
        s->zr[k][l] = fk < 0.45f * sr ? m->amp[k] : 0.0f;
        s->zi[k][l] = 0.0f;
        s->cr[k][l] = r * dsp_cos2pi(w);
        s->ci[k][l] = r * dsp_sin2pi(w);
        s->mw[k][l] = w;
        s->mr[k][l] = r;
    }
    s->p2[l] = m->strike;
    s->d2[l] = 1.0f;
    s->k2[l] = t60_factor(0.008f, sr);
}

/* supersquare (SuperDirt's idea): pulses at f (0.7) and an octave down
 * (0.3) into supersaw's swept low-pass; superreese: two saws 0.7 % apart
 * (a Reese bass) into the low-pass held at 6 f. The kernel's supersaw
 * path: saws 0..2 and pulses 5, 6 by weight, triangle 3 by wt[3]. */
static void sub_trigger(struct dsp_synth *s, int l, const struct dsp_synth_note *n, float f, float inc)
{
    const float sr = s->sr;
    for (int k = 0; k < DSP_SYNTH_OSCS; k++)
        s->wt[k][l] = 0.0f;
    if (s->kind == DSP_SUPERSQUARE) {
        s->inc[5][l] = inc;
        s->inc[6][l] = 0.5f * inc;
        s->p1[l] = dsp_minf(10.0f * f, 0.45f * sr);
        s->p2[l] = dsp_minf(20.0f * f, 0.45f * sr);
    } else {
        s->inc[0][l] = inc * 0.9965f;
        s->inc[2][l] = inc * 1.0035f;
        s->wt[0][l] = s->wt[2][l] = 0.5f;
        s->ph[2][l] = s->ph[0][l];                      /* in phase: the beat starts full */
        s->p1[l] = s->p2[l] = dsp_minf(6.0f * f, 0.45f * sr);
    }
    s->inc[3][l] = dsp_minf(2.0f * inc, 0.45f);
    s->inc[4][l] = inc * (1.0f / 64.0f) * dsp_clampf(n->rate, 0.0f, 20.0f);
    s->ph[4][l] = 0.25f;
    for (int k = 0; k < 4; k++)
        s->mg[k][l] = 0.0f;
}

/* SuperDirt's sos drums (Renick Bell's), their ideas on our drum lanes:
 * soskick a sine falling an octave onto f in 20 ms (superkick's lane, no
 * click), sostoms a sine at f with a crackle of noise at its start,
 * soshats four squares at f (1.34, 2.405, 3.09, 1.309: the lane plays the
 * first three) and noise through a band-pass near 10 kHz, sossnare modes
 * at 0.85 f and 0.452 f and noise through a band-pass at 2 kHz. */
static void sos_trigger(struct dsp_synth *s, int l, float f, float inc, float sus)
{
    const float sr = s->sr;
    switch (s->kind) {
    case DSP_SOSKICK:
    case DSP_SOSTOMS: {
        int kick = s->kind == DSP_SOSKICK;
        s->ph[0][l] = 0.0f;
        s->p2[l] = 0.0f;                                    /* superkick's kernel: no click filter */
        s->inc[0][l] = inc;
        s->p1[l] = kick ? 1.0f : 0.0f;                      /* one octave */
        s->d2[l] = kick ? 0.0f : 1.0f;                      /* the toms' crackle */
        s->d3[l] = 1.0f;
        s->k1[l] = t60_factor(sus, sr);
        s->k2[l] = t60_factor(0.02f, sr);
        s->k3[l] = t60_factor(0.03f, sr);
        s->zr[0][l] = 1.0f;
        s->zi[0][l] = 0.0f;
        break;
    }
    case DSP_SOSHATS: {
        static const float ratio[3] = { 1.34f, 2.405f, 3.09f };
        for (int k = 0; k < 3; k++)
            s->inc[k][l] = dsp_minf(inc * ratio[k], 0.45f);
        s->k1[l] = t60_factor(sus, sr);
        struct dsp_svf_coef c = dsp_svf_coef(dsp_minf(f * 45.0f, 0.45f * sr), 2.0f, sr);
        s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
        break;
    }
    default: {                                              /* sossnare */
        s->ph[0][l] = s->ph[1][l] = 0.0f;
        s->inc[0][l] = inc * 0.85f;
        s->inc[1][l] = inc * 0.452f;
        s->p1[l] = 0.5f;
        s->d2[l] = 1.0f;
        s->k1[l] = t60_factor(0.5f * sus, sr);
        s->k2[l] = t60_factor(sus, sr);
        struct dsp_svf_coef c = dsp_svf_coef(2000.0f, 1.0f, sr);
        s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
        break;
    }
    }
}

/* The variable-width saws (VK(syn_var) says what each field does), the
 * SuperDirt SynthDefs' ideas:
 *  supersiren: one saw whose width opens from 0.05 to 1 over the note and
 *    whose pitch rises to 4 f and back (a trapezoid 1/4, 1/2, 1/4);
 *  superzow: saws at f and f (1 +- detune %) (0.5, -0.5, 0.5), the two
 *    read later by up to a cycle over 5 and 20 sustains (phasing), widths
 *    opening to 0.5 over 20 sustains;
 *  supercomparator: three saws at f opening from 0 to 1 over the note,
 *    each compared with a slow triangle (1, 1.08, 1.18 Hz: SuperDirt's
 *    ratios to the power 0.1), into a resonant low-pass at 4 f;
 *  supertron: rising saws at f +- (1 + detune) Hz compared with a triangle
 *    at f / 6.1 (its feedback filter's frequency): wobbling pulses;
 *  superhoover: saws two octaves, one octave down and at f (1, 0.9, 1.1). */
static void var_trigger(struct dsp_synth *s, int l, const struct dsp_synth_note *n, float f, float inc, float sus)
{
    const float sr = s->sr;
    float det = dsp_clampf(n->detune, 0.0f, 10.0f), lpf = 0.45f * sr, lpq = 0.7f;
    s->d3[l] = 0.0f;
    s->k3[l] = 1.0f / dsp_maxf(sus * sr, 1.0f);
    s->p1[l] = 0.0f; s->p2[l] = 0.0f; s->fa1[l] = 0.0f; s->fa2[l] = 0.0f; s->fa3[l] = 0.0f;
    s->ci[0][l] = 0.0f;
    for (int k = 0; k < 3; k++)
        s->zr[k][l] = 0.0f;
    switch (s->kind) {
    case DSP_SUPERSIREN:
        s->inc[0][l] = inc;
        s->wt[0][l] = 1.0f;
        s->p1[l] = 0.05f; s->p2[l] = 0.95f; s->fa1[l] = 1.0f;
        s->fa2[l] = 3.0f;
        break;
    case DSP_SUPERZOW:
        s->inc[0][l] = inc;
        s->inc[1][l] = inc * (1.0f + det * 0.01f);
        s->inc[2][l] = inc * (1.0f - det * 0.01f);
        s->wt[0][l] = 0.5f; s->wt[1][l] = -0.5f; s->wt[2][l] = 0.5f;
        s->zr[1][l] = 0.2f; s->zr[2][l] = 0.05f;
        s->p2[l] = 0.5f; s->fa1[l] = 0.05f;
        break;
    case DSP_SUPERCOMPARATOR: {
        static const float lfo[3] = { 1.0f, 1.081f, 1.177f };
        for (int k = 0; k < 3; k++) {
            s->inc[k][l] = inc;
            s->wt[k][l] = 1.0f / 3.0f;
            s->inc[3 + k][l] = lfo[k] / sr;
            s->wt[3 + k][l] = 1.0f;
        }
        s->p2[l] = 1.0f; s->fa1[l] = 1.0f; s->fa3[l] = 1.0f;
        lpf = dsp_minf(4.0f * f, lpf); lpq = 1.5f;
        s->ci[0][l] = 1.0f;
        break;
    }
    case DSP_SUPERTRON:
        for (int k = 0; k < 2; k++) {
            s->inc[k][l] = dsp_clampf(f + (k ? -1.0f : 1.0f) * (1.0f + det), 1.0f, 0.45f * sr) / sr;
            s->wt[k][l] = 0.5f;
            s->inc[3 + k][l] = inc / 6.1f;
            s->wt[3 + k][l] = 0.6f;
        }
        s->p1[l] = 1.0f; s->fa3[l] = 1.0f;
        break;
    default: {                                                /* superhoover */
        static const float ratio[3] = { 0.25f, 0.5f, 1.0f }, amp[3] = { 1.0f, 0.9f, 1.1f };
        for (int k = 0; k < 3; k++) {
            s->inc[k][l] = inc * ratio[k];
            s->wt[k][l] = amp[k] / 3.0f;
        }
        s->p1[l] = 1.0f;
        break;
    }
    }
    struct dsp_svf_coef c = dsp_svf_coef(lpf, lpq, sr);
    s->cr[0][l] = c.a1; s->cr[1][l] = c.a2; s->cr[2][l] = c.a3;
}

/* superclap (SuperDirt's): noise band-passed at f (1500 Hz) under four
 * bursts 5 ms apart, each falling to zero in 40 ms, the whole under an
 * envelope rising over 0.01 and falling over 0.6 of the sustain.
 * superstatic: impulses at 20 f a second (Dust at 40 f, the half above
 * 0.5) each moving a square at 4 f a step (its steps sound: clicks),
 * under a rise and fall of half
 * the sustain each. superwavemechanics: noise through narrow band-passes
 * (q 40) at 1.75 f times 3/8, 5/8, 1, 9/8 (SuperDirt picks the 1.75 at
 * random from a few; its reverb and limiter are left out), under
 * superstatic's envelope. supergrind: SuperDirt's impulses (f / 2, swung
 * +-50 % by a sine at 1/4 Hz) into a feedback delay of one period with
 * tanh, then sin: here the impulses ring a resonator at f (T60 0.2 s)
 * folded by sin(pi tanh(2 y)); its trigger bursts and reverb left out;
 * envelope 0.1, 0.8, 0.1 of the sustain. All take their envelope from the
 * sustain, as SuperDirt's do, unless attack or release is given: SuperDirt
 * then runs its envelope module (a linen of attack, hold 0, release) on
 * their output, here their rise and fall. */
static void noise_trigger(struct dsp_synth *s, int l, const struct dsp_synth_note *n, float f, float inc, float sus)
{
    const float sr = s->sr;
    int clap = s->kind == DSP_SUPERCLAP;
    int grind = s->kind == DSP_SUPERGRIND;
    s->att[l] = dsp_env_samples((clap ? 0.01f : grind ? 0.1f : 0.5f) * sus, sr);   /* wavemechanics as static */
    s->rel[l] = dsp_env_samples((clap ? 0.6f : grind ? 0.1f : 0.5f) * sus, sr);
    s->hold[l] = grind ? dsp_env_samples(0.9f * sus, sr) : s->att[l];     /* the gate closes at the top */
    /* SuperDirt's envelope module (attack, release given) shapes any
     * synth after its own: here attack and release replace this rise and
     * fall, the gate closing at the top (its linen with hold 0) */
    if (given(n->attack) || given(n->release)) {
        if (given(n->attack))
            s->att[l] = dsp_env_samples(dsp_clampf(n->attack, 0.0f, 10.0f), sr);
        if (given(n->release))
            s->rel[l] = dsp_env_samples(dsp_clampf(n->release, 0.001f, 10.0f), sr);
        s->hold[l] = s->att[l];
    }
    if (clap) {
        s->p1[l] = 0.0f;
        s->p2[l] = 0.005f * sr;
        s->zr[0][l] = 1.0f / (0.04f * sr);
        struct dsp_svf_coef c = dsp_svf_coef(f, 1.5f, sr);
        s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
    } else if (s->kind == DSP_SUPERGRIND) {
        float r = t60_factor(0.2f, sr);
        s->ph[0][l] = 0.999f;                               /* the first impulse at once */
        s->inc[0][l] = 0.5f * inc;
        s->inc[1][l] = 0.25f / sr;
        s->ph[1][l] = 0.0f;
        s->zr[0][l] = s->zi[0][l] = 0.0f;
        s->cr[0][l] = r * dsp_cos2pi(inc);
        s->ci[0][l] = r * dsp_sin2pi(inc);
    } else if (s->kind == DSP_SUPERWAVEMECHANICS) {
        static const float ratio[4] = { 3.0f / 8, 5.0f / 8, 8.0f / 8, 9.0f / 8 };
        for (int k = 0; k < 4; k++) {
            struct dsp_svf_coef c = dsp_svf_coef(dsp_minf(1.75f * ratio[k] * f, 0.45f * sr), 40.0f, sr);
            s->cr[k][l] = c.a1; s->ci[k][l] = c.a2; s->zr[k][l] = c.a3; s->fk[l] = c.k;
            s->mg[k][l] = s->zi[k][l] = 0.0f;
            s->mw[k][l] = 1.75f * ratio[k] * f;     /* the glide's bases: band, q */
            s->mr[k][l] = 40.0f;
        }
    } else {
        s->ph[0][l] = 0.0f;
        s->inc[0][l] = dsp_minf(4.0f * inc, 0.45f);
        s->p1[l] = dsp_minf(20.0f * inc, 1.0f);
    }
}

/* ---- issue 12 (h-synthctl): SuperDirt's per-synth arguments ---------------
 * Each kind reads the arguments its SuperDirt SynthDef declares (the SYNTHS
 * rows in graph_names.h list them; the compiler warns about the others),
 * with the SynthDef's meaning; an argument the event does not give leaves
 * the kind's own sound bit for bit. */

/* superhammond's drawbar presets (voice 0..9, SuperDirt's table) for the
 * seven drawbars here: 16', 5 1/3', 8', 4', 2 2/3', 2', 1' */
static const float hammond_bars[10][7] = {
    { 1, 4, 5, 4, 3, 1, 0 }, { 0, 0, 8, 0, 4, 0, 0 }, { 0, 7, 8, 1, 2, 0, 0 }, { 0, 0, 7, 8, 8, 8, 2 },
    { 4, 0, 5, 5, 4, 5, 6 }, { 8, 8, 5, 3, 2, 4, 8 }, { 8, 8, 8, 0, 0, 0, 3 }, { 8, 8, 8, 8, 8, 8, 8 },
    { 8, 0, 0, 0, 0, 0, 8 }, { 0, 0, 8, 8, 0, 0, 0 },
};

static float sum7(const float *a)
{
    float t = 0.0f;
    for (int k = 0; k < DSP_SYNTH_OSCS; k++)
        t += a[k];
    return t;
}

/* superhammond: voice picks (and between whole numbers blends) a drawbar
 * preset, each bar 2^(setting - 8) as SuperDirt's (the 1' bar 1.5 less),
 * the total level kept. (SuperDirt's perc and percf are not here: perc is
 * phonon's envelope.) */
static void hammond_args(struct modal *m, const struct dsp_synth_note *n)
{
    float total = sum7(m->amp);
    if (given(n->voices) && n->voices >= 0.0f) {
        float v = dsp_clampf(n->voices, 0.0f, 9.0f);
        int i = (int)v;
        int j = i < 9 ? i + 1 : 9;
        float t = v - (float)i, a[DSP_SYNTH_OSCS];
        static const float damp[DSP_SYNTH_OSCS] = { 0, 0, 0, 0, 0, 0, 1.5f };
        for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
            float bar = hammond_bars[i][k] + t * (hammond_bars[j][k] - hammond_bars[i][k]);
            a[k] = dsp_exp2(bar - 8.0f - damp[k]);
        }
        float sa = sum7(a);
        for (int k = 0; k < DSP_SYNTH_OSCS; k++)
            m->amp[k] = a[k] * total / sa;
    }
}

/* A modal kind's table under the event's arguments:
 *  supergong: voice v (0..4) weights mode k by ratio^v (the level kept),
 *    decay d (0..2) makes mode k ring ratio^(d - 1) times as long;
 *  supervibe: decay d shortens the upper modes by e^-d, velocity v scales
 *    them by v and v^2 (and the mallet by v), detune moves the top mode;
 *  superprimes: detune d moves the partials alternately by +-d/12;
 *  supermandolin: detune (%) sets the two strings' distance (0.2);
 *  superhammond: hammond_args. */
static void modal_args(struct modal *m, int kind, const struct dsp_synth_note *n)
{
    switch (kind) {
    case DSP_SUPERGONG: {
        float total = sum7(m->amp), v = given(n->voices) ? dsp_clampf(n->voices, 0.0f, 4.0f) : 0.0f;
        float d = given(n->decay) ? dsp_clampf(n->decay, 0.0f, 2.0f) : 1.0f;
        for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
            float lr = dsp_log2(m->ratio[k]);
            m->amp[k] *= dsp_exp2(v * lr);
            m->t60[k] *= dsp_exp2((d - 1.0f) * lr);
        }
        float after = sum7(m->amp);
        for (int k = 0; k < DSP_SYNTH_OSCS; k++)
            m->amp[k] *= total / after;
        break;
    }
    case DSP_SUPERVIBE: {
        float d = given(n->decay) ? dsp_exp2(-1.44269504f * dsp_clampf(n->decay, 0.0f, 10.0f)) : 1.0f;
        float v = dsp_clampf(n->velocity, 0.0f, 4.0f);
        m->t60[1] *= d;
        m->t60[2] *= d;
        m->amp[1] *= v;
        m->amp[2] *= v * v;
        m->strike *= v;
        if (given(n->detune))
            m->ratio[2] += dsp_clampf(n->detune, -5.0f, 10.0f);
        break;
    }
    case DSP_SUPERPRIMES:
        for (int k = 0; k < DSP_SYNTH_OSCS; k++)
            m->ratio[k] *= 1.0f + (k & 1 ? -1.0f : 1.0f) * dsp_clampf(n->detune, 0.0f, 6.0f) * (1.0f / 12.0f);
        break;
    case DSP_SUPERMANDOLIN: {
        float d = dsp_clampf(n->detune, 0.0f, 10.0f) * 0.01f;
        for (int k = 0; k < 6; k++)
            m->ratio[k] = (float)(k / 2 + 1) * (k & 1 ? 1.0f + d : 1.0f - d);
        break;
    }
    case DSP_SUPERHAMMOND:
        hammond_args(m, n);
        break;
    default:
        break;
    }
}

/* Whether a modal kind's table changes under n (else the static table is
 * used as it is: the kind's own sound to the bit). */
static int modal_changed(int kind, const struct dsp_synth_note *n)
{
    switch (kind) {
    case DSP_SUPERGONG: return (given(n->voices) && n->voices >= 0.0f) || given(n->decay);
    case DSP_SUPERVIBE: return given(n->decay) || n->velocity != 1.0f || given(n->detune);
    case DSP_SUPERPRIMES:
    case DSP_SUPERMANDOLIN: return given(n->detune);
    case DSP_SUPERHAMMOND: return given(n->voices) && n->voices >= 0.0f;
    default: return 0;
    }
}

/* supersaw, supersquare: pitch1 scales the filter's bottom (10 f), lfo
 * sets its top to (lfo + 1) times that, resonance (0..1) its q (0.5 ..
 * 4; 1.2 when not given: SuperDirt's 0.2), semitone the second
 * oscillator's interval (up for the saw's triangle, down for the square's
 * second pulse); superreese: detune (%) moves the saws apart, voice (0..2)
 * lowers the filter's q as SuperDirt's first filter. */
static void saw_args(struct dsp_synth *s, int l, const struct dsp_synth_note *n, float f, float inc)
{
    const float sr = s->sr;
    if (s->kind == DSP_SUPERREESE) {
        if (given(n->detune)) {
            float d = dsp_clampf(n->detune, -0.3f, 10.0f) * 0.01f;
            s->inc[0][l] = inc * (0.9965f - d);
            s->inc[2][l] = inc * (1.0035f + d);
        }
        if (n->voices >= 0.0f)
            s->q[l] = 1.2f * (3.0f - 1.25f * dsp_clampf(n->voices, 0.0f, 2.0f)) * (1.0f / 3.0f);
        return;
    }
    if (given(n->pitch1) || given(n->lfo)) {
        float p1 = given(n->pitch1) ? dsp_clampf(n->pitch1, 0.01f, 100.0f) : 1.0f;
        float lfo = given(n->lfo) ? dsp_clampf(n->lfo, 0.0f, 100.0f) : 1.0f;
        s->p1[l] = dsp_minf(10.0f * f * p1, 0.45f * sr);
        s->p2[l] = dsp_minf(s->p1[l] * (lfo + 1.0f), 0.45f * sr);
    }
    if (given(n->resonance))
        s->q[l] = 0.5f + 3.5f * dsp_clampf(n->resonance, 0.0f, 1.0f);
    if (given(n->semitone)) {
        float st = semis(dsp_clampf(n->semitone, -48.0f, 48.0f));
        if (s->kind == DSP_SUPERSQUARE)
            s->inc[6][l] = dsp_minf(inc / st, 0.45f);
        else
            s->inc[3][l] = dsp_minf(inc * st, 0.45f);
    }
    if (s->kind == DSP_SUPERSQUARE && n->voices >= 0.0f)
        s->pw[l] = dsp_clampf(n->voices, 0.02f, 0.98f);
}

/* The kinds whose SynthDefs scale their pitch by DirtFreqScale (speed,
 * accelerate): all but superfm, superclap and the sos drums. superkick
 * scales its click's low-pass instead (kick_click). */
static int freq_scaled(int kind)
{
    return kind != DSP_SUPERFM && kind != DSP_SUPERCLAP && kind != DSP_SUPERKICK &&
           !(kind >= DSP_SOSKICK && kind <= DSP_SOSSNARE);
}

/* superkick's click as SuperDirt's SynthDef shapes it: decay scales its
 * length (here 10 ms, T60), and pitch1, speed and accelerate its noise's
 * low-pass (1500 pitch1 |speed| Hz, gliding to (1 + accelerate) times that
 * over the click: DirtFreqScale over clickdur). Returns the click's T60
 * in seconds; *hz the low-pass, 0 when none of these is given (the click
 * stays plain noise, the kick's own sound). */
static float kick_click(const struct dsp_synth_note *n, float sr, float *hz)
{
    *hz = 0.0f;
    if (given(n->pitch1) || given(n->speed) || given(n->accelerate)) {
        float p = given(n->pitch1) ? dsp_clampf(n->pitch1, 0.001f, 100.0f) : 1.0f;
        float sp = given(n->speed) ? fabsf(n->speed) : 1.0f;
        *hz = dsp_clampf(1500.0f * p * sp, 10.0f, 0.45f * sr);
    }
    return given(n->decay) ? 0.01f * dsp_clampf(n->decay, 0.01f, 50.0f) : 0.01f;
}

static void kick_lowpass(struct dsp_synth *s, int l, float hz)
{
    struct dsp_svf_coef c = dsp_svf_coef(hz, 0.70710678f, s->sr);
    s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3;
}

/* superhat's two filters: a low-pass at 3 f over a high-pass at f. */
static void hat_filters(struct dsp_synth *s, int l, float f)
{
    struct dsp_svf_coef lo = dsp_svf_coef(dsp_minf(3.0f * f, 0.45f * s->sr), 0.70710678f, s->sr);
    struct dsp_svf_coef hi = dsp_svf_coef(f, 0.70710678f, s->sr);
    s->fa1[l] = lo.a1; s->fa2[l] = lo.a2; s->fa3[l] = lo.a3;
    s->cr[0][l] = hi.a1; s->cr[1][l] = hi.a2; s->cr[2][l] = hi.a3; s->fk[l] = hi.k;
}

/* The sustained kinds whose SynthDefs shape their level with decay: an
 * envelope falling to 1 - decay from 0.05 to 0.2 of the sustain. */
static int decays(int kind)
{
    return kind == DSP_SUPERSAW || kind == DSP_SUPERSQUARE || kind == DSP_SUPERPWM ||
           kind == DSP_SUPERCOMPARATOR || kind == DSP_SUPERZOW || kind == DSP_SUPERHOOVER;
}

/* The other kinds' arguments, set after their trigger (the variable-width
 * saws', the noises', the drums'). */
static void kind_args(struct dsp_synth *s, int l, const struct dsp_synth_note *n, float f, float inc, float sus,
                      uint32_t *rng)
{
    const float sr = s->sr;
    switch (s->kind) {
    case DSP_SUPERKICK: {       /* decay: the click's length; pitch1, speed, accelerate: its low-pass */
        float hz, t60 = kick_click(n, sr, &hz);
        if (given(n->decay))
            s->k2[l] = t60_factor(t60, sr);
        if (hz > 0.0f) {
            kick_lowpass(s, l, hz);
            s->p2[l] = 1.0f;
        }
        break;
    }
    case DSP_SUPERPWM:          /* voice: the widths' swing (0.5 -> 0.4); semitone: the second pulse below */
        if (n->voices >= 0.0f)
            s->pwd[l] = dsp_clampf(0.8f * n->voices, 0.0f, 0.48f);
        if (given(n->semitone))
            s->inc[1][l] = dsp_minf(inc / semis(dsp_clampf(n->semitone, -48.0f, 48.0f)), 0.45f);
        break;
    case DSP_SUPERCHIP:         /* pitch2: the triangle's harmonic; voice: SuperDirt's levels, on or off */
        if (given(n->pitch2))
            s->inc[1][l] = dsp_clampf(inc * n->pitch2, 0.0f, 0.45f);
        if (n->voices >= 0.0f) {
            float v = dsp_clampf(n->voices, 0.0f, 1.0f), v2 = 2.0f * v;
            s->wt[0][l] = v < 0.5f ? 0.6f : 0.0f;
            s->wt[1][l] = v2 - floorf(v2) < 0.5f ? 0.4f : 0.0f;
        }
        break;
    case DSP_SUPERSNARE:        /* decay: the noise's length, times the sustain */
        if (given(n->decay))
            s->k2[l] = t60_factor(sus * dsp_clampf(n->decay, 0.01f, 20.0f), sr);
        break;
    case DSP_SUPERZOW:          /* slide: how fast the saws phase (1) */
        if (given(n->slide)) {
            float k = dsp_clampf(n->slide, 0.0f, 100.0f);
            s->zr[1][l] = 0.2f * k; s->zr[2][l] = 0.05f * k; s->fa1[l] = 0.05f * k;
        }
        break;
    case DSP_SUPERCOMPARATOR: { /* voice: the LFOs' spread; pitch1, resonance: the low-pass */
        static const float ratio[3] = { 1.0f, 2.188f, 5.091f };
        if (n->voices >= 0.0f)
            for (int k = 0; k < 3; k++)
                s->inc[3 + k][l] = dsp_exp2(dsp_log2(ratio[k]) * dsp_clampf(n->voices, 0.0f, 10.0f) * 0.2f) / sr;
        if (given(n->pitch1) || given(n->resonance)) {
            float p = given(n->pitch1) ? dsp_clampf(n->pitch1, 0.01f, 100.0f) : 1.0f;
            float q = given(n->resonance) ? 0.3f + 3.0f * dsp_clampf(n->resonance, 0.0f, 1.0f) : 1.5f;
            struct dsp_svf_coef c = dsp_svf_coef(dsp_minf(4.0f * f * p, 0.45f * sr), q, sr);
            s->cr[0][l] = c.a1; s->cr[1][l] = c.a2; s->cr[2][l] = c.a3;
        }
        break;
    }
    case DSP_SUPERTRON:         /* voice (0..1.5): narrower pulses */
        if (n->voices >= 0.0f)
            s->wt[3][l] = s->wt[4][l] = 0.6f + 0.4f * dsp_clampf(n->voices, 0.0f, 1.5f) / 1.5f;
        break;
    case DSP_SUPERCLAP:         /* rate: burst length 40 ms / rate; delay: spacing 5 ms delay; pitch1: band */
        if (given(n->rate) && n->rate != 1.0f)
            s->zr[0][l] = dsp_clampf(n->rate, 0.01f, 100.0f) / (0.04f * sr);
        if (given(n->delay))
            s->p2[l] = 0.005f * sr * dsp_clampf(n->delay, 0.0f, 20.0f);
        if (given(n->pitch1)) {
            struct dsp_svf_coef c = dsp_svf_coef(dsp_clampf(f * n->pitch1, 20.0f, 0.45f * sr), 1.5f, sr);
            s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
        }
        break;
    case DSP_SUPERWAVEMECHANICS:    /* voice: the bands' width; detune: their places at random */
        if (n->voices >= 0.0f || given(n->detune)) {
            static const float ratio[4] = { 3.0f / 8, 5.0f / 8, 8.0f / 8, 9.0f / 8 };
            float q = n->voices >= 0.0f ? 1.0f / (0.01f + 0.001f * dsp_exp2(9.96578428f * dsp_clampf(n->voices, 0.0f, 1.0f)))
                                        : 40.0f;
            float det = given(n->detune) ? dsp_clampf(n->detune, 0.0f, 1.5f) : 0.0f;
            for (int k = 0; k < 4; k++) {
                float d = 1.75f + det * dsp_noise_tick(rng);
                d = dsp_maxf(0.25f * floorf(4.0f * d + 0.5f), 0.25f);
                struct dsp_svf_coef c = dsp_svf_coef(dsp_minf(d * ratio[k] * f, 0.45f * sr), q, sr);
                s->cr[k][l] = c.a1; s->ci[k][l] = c.a2; s->zr[k][l] = c.a3; s->fk[l] = c.k;
                s->mw[k][l] = d * ratio[k] * f;
                s->mr[k][l] = q;
            }
        }
        break;
    case DSP_SUPERGRIND:        /* voice: the impulses' rate, (voice + 1) f / 2 */
        if (n->voices >= 0.0f)
            s->inc[0][l] = 0.5f * inc * (1.0f + dsp_clampf(n->voices, 0.0f, 10.0f));
        break;
    case DSP_SOSKICK:           /* pitch2: the beater's noise, speed its length (0.3: 30 ms) */
        if (given(n->pitch2)) {
            s->d2[l] = dsp_clampf(n->pitch2, 0.0f, 1.0f);
            s->k2[l] = t60_factor(0.1f * (given(n->speed) ? dsp_clampf(n->speed, 0.01f, 1.0f) : 0.3f), sr);
        }
        break;
    case DSP_SOSHATS:           /* resonance: the band-pass's width (1) */
        if (given(n->resonance)) {
            struct dsp_svf_coef c = dsp_svf_coef(dsp_minf(f * 45.0f, 0.45f * sr),
                                                 2.0f / dsp_clampf(n->resonance, 0.05f, 1.0f), sr);
            s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
        }
        break;
    case DSP_SOSSNARE:          /* semitone: the second mode's ratio; pitch1, resonance: the noise's band */
        if (given(n->semitone))
            s->inc[1][l] = dsp_clampf(inc * n->semitone, 0.0f, 0.45f);
        if (given(n->pitch1) || given(n->resonance)) {
            float hz = given(n->pitch1) ? dsp_clampf(n->pitch1, 20.0f, 0.45f * sr) : 2000.0f;
            float q = given(n->resonance) ? 0.1f / dsp_clampf(n->resonance, 0.01f, 1.0f) : 1.0f;
            struct dsp_svf_coef c = dsp_svf_coef(hz, q, sr);
            s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
        }
        break;
    default:
        break;
    }
    if (decays(s->kind) && given(n->decay)) {
        s->dec[l] = dsp_maxf(dsp_env_samples(0.15f * sus, sr), 1.0f);
        s->sus[l] = 1.0f - dsp_clampf(n->decay, 0.0f, 1.0f);
    }
}

/* Start lane l's glide when the event asks for one: accelerate (every
 * freq_scaled kind), superchip's slide (a glide
 * of slide 100 Hz repeated rate times over the sustain), superhoover's
 * (a dip of slide/4 of the pitch over its first 0.35 sustain). The
 * increments, filter bounds and mode turns at the onset are the glide's
 * bases (mw, mr). */
static void glide_start(struct dsp_synth *s, int l, const struct dsp_synth_note *n, float f, float sus)
{
    int kick = s->kind == DSP_SUPERKICK;
    float acc = given(n->accelerate) && (freq_scaled(s->kind) || kick) ? dsp_clampf(n->accelerate, -1.0f, 100.0f)
                                                                       : 0.0f;
    float slide = given(n->slide) && (s->kind == DSP_SUPERCHIP || s->kind == DSP_SUPERHOOVER)
                      ? dsp_clampf(n->slide, -100.0f, 100.0f) : 0.0f;
    s->gliding &= ~(1u << l);
    if (acc == 0.0f && slide == 0.0f)
        return;
    s->gliding |= 1u << l;
    s->gt[l] = 0.0f;
    s->glen[l] = dsp_maxf(sus * s->sr, 1.0f);
    s->gmul[l] = 1.0f;
    s->gacc[l] = acc;
    s->gslide[l] = slide;
    s->grep[l] = given(n->rate) ? n->rate : 1.0f;
    s->gf[l] = f;
    if (kick)                                   /* the click's low-pass, over the click */
        s->glen[l] = dsp_maxf(kick_click(n, s->sr, &s->gf[l]) * s->sr, 1.0f);
    int modal = (s->kind >= DSP_SUPERPIANO && s->kind <= DSP_SUPERPRIMES) || s->kind == DSP_SUPERMANDOLIN;
    if (modal || s->kind == DSP_SUPERWAVEMECHANICS)
        return;                                 /* mw, mr: set by their trigger */
    for (int k = 0; k < DSP_SYNTH_OSCS; k++)
        s->mw[k][l] = s->inc[k][l];
    s->mr[0][l] = s->p1[l];
    s->mr[1][l] = s->p2[l];
    if (s->kind == DSP_SUPERGRIND) {            /* the resonator's turn and radius */
        s->mr[2][l] = sqrtf(s->cr[0][l] * s->cr[0][l] + s->ci[0][l] * s->ci[0][l]);
        s->mr[3][l] = s->inc[0][l] * 2.0f;      /* its turn: the pitch's increment */
    }
}

/* The pitch multiplier of lane l at u (0..1 of the sustain). */
static float glide_at(const struct dsp_synth *s, int l, float u)
{
    float g = 1.0f + s->gacc[l] * u;
    if (s->kind == DSP_SUPERCHIP && s->gslide[l] != 0.0f) {
        float x = -1.0f + 2.0f * s->grep[l] * u;
        x -= 2.0f * floorf(0.5f * (x + 1.0f));  /* wrap2 into [-1, 1) */
        g *= (s->gf[l] + s->gslide[l] * 100.0f * x) / s->gf[l];
    } else if (s->kind == DSP_SUPERHOOVER && s->gslide[l] != 0.0f) {
        float e = u < 0.05f ? u / 0.05f : dsp_maxf(1.0f - (u - 0.05f) / 0.3f, 0.0f);
        g *= 1.0f - 0.25f * s->gslide[l] * e;
    }
    return dsp_clampf(g, 0.01f, 100.0f);
}

/* Which increments follow the pitch, per kind: bit k for inc[k]. */
static unsigned glide_incs(int kind)
{
    switch (kind) {
    case DSP_SUPERSAW: case DSP_SUPERSQUARE: case DSP_SUPERREESE: return 0x7f;
    case DSP_SUPERTRON: return 0x1f;
    case DSP_SUPERSIREN: case DSP_SUPERZOW: case DSP_SUPERCOMPARATOR: case DSP_SUPERHOOVER: return 0x07;
    case DSP_SUPERSTATIC: case DSP_SUPERGRIND: return 0x01;
    case DSP_SUPERWAVEMECHANICS: return 0;       /* its bands: dsp_synth_glide */
    case DSP_SUPERKICK: case DSP_SUPERHAT: return 0;  /* their filters: dsp_synth_glide */
    default: return 0x03;                       /* pwm, chip, snare */
    }
}

void dsp_synth_glide(struct dsp_synth *s, int m)
{
    const float top = 0.45f * s->sr;
    int modal = (s->kind >= DSP_SUPERPIANO && s->kind <= DSP_SUPERPRIMES) || s->kind == DSP_SUPERMANDOLIN;
    unsigned incs = glide_incs(s->kind);
    for (int l = 0; l < DSP_MAX_LANES; l++) {
        if (!(s->gliding >> l & 1))
            continue;
        if (!(s->alive[l] > 0.0f)) {
            s->gliding &= ~(1u << l);
            continue;
        }
        float u = dsp_minf((s->gt[l] + 0.5f * (float)m) / s->glen[l], 1.0f);
        float g = glide_at(s, l, u);
        s->gt[l] += (float)m;
        if (u == 1.0f && (s->kind == DSP_SUPERKICK || s->kind == DSP_SUPERHAT))
            s->gliding &= ~(1u << l);           /* at its end: the batch renders in one piece again */
        if (g == s->gmul[l])
            continue;
        s->gmul[l] = g;
        if (modal) {
            for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
                float w = dsp_minf(s->mw[k][l] * g, 0.45f);
                s->cr[k][l] = s->mr[k][l] * dsp_cos2pi(w);
                s->ci[k][l] = s->mr[k][l] * dsp_sin2pi(w);
            }
            continue;
        }
        for (int k = 0; k < DSP_SYNTH_OSCS; k++)
            if (incs >> k & 1)
                s->inc[k][l] = dsp_minf(s->mw[k][l] * g, 0.45f);
        if (s->kind == DSP_SUPERSAW || s->kind == DSP_SUPERSQUARE || s->kind == DSP_SUPERREESE) {
            s->p1[l] = dsp_minf(s->mr[0][l] * g, top);
            s->p2[l] = dsp_minf(s->mr[1][l] * g, top);
        } else if (s->kind == DSP_SUPERSTATIC) {
            s->p1[l] = dsp_minf(s->mr[0][l] * g, 1.0f);
        } else if (s->kind == DSP_SUPERKICK) {
            kick_lowpass(s, l, dsp_minf(s->gf[l] * g, top));
        } else if (s->kind == DSP_SUPERHAT) {
            hat_filters(s, l, dsp_minf(s->gf[l] * g, top));
        } else if (s->kind == DSP_SUPERWAVEMECHANICS) {
            for (int k = 0; k < 4; k++) {
                struct dsp_svf_coef c = dsp_svf_coef(dsp_minf(s->mw[k][l] * g, top), s->mr[k][l], s->sr);
                s->cr[k][l] = c.a1; s->ci[k][l] = c.a2; s->zr[k][l] = c.a3;
            }
        } else if (s->kind == DSP_SUPERGRIND) {
            float w = dsp_minf(s->mr[3][l] * g, 0.45f);
            s->cr[0][l] = s->mr[2][l] * dsp_cos2pi(w);
            s->ci[0][l] = s->mr[2][l] * dsp_sin2pi(w);
        }
    }
}

void dsp_synth_trigger(struct dsp_synth *s, int lane, const struct dsp_synth_note *n)
{
    if (lane < 0 || lane >= DSP_MAX_LANES)
        return;
    const int l = lane;
    const float sr = s->sr;
    float f = n->freq;
    if (given(n->speed) && freq_scaled(s->kind))
        f *= fabsf(n->speed);                   /* DirtFreqScale's start */
    f = dsp_clampf(f, 10.0f, 0.45f * sr);
    float inc = f / sr;
    float sus = dsp_clampf(n->sustain, 0.001f, 60.0f);
    uint32_t r = dsp_noise_seed(s->seed++ * 977u + (uint32_t)l);

    for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
        s->ph[k][l] = 0.5f * (dsp_noise_tick(&r) + 1.0f);   /* [0, 1) */
        s->inc[k][l] = 0.0f;
        s->wt[k][l] = 0.0f;
    }
    s->gain[l] = dsp_clampf(n->gain, 0.0f, 4.0f) * level[s->kind];
    s->alive[l] = 1.0f;
    s->trig[l] = 1.0f;
    s->hold[l] = dsp_env_samples(sus, sr);
    s->att[l] = dsp_env_samples(dsp_clampf(given(n->attack) ? n->attack : 0.01f, 0.0f, 10.0f), sr);
    s->rel[l] = dsp_env_samples(dsp_clampf(given(n->release) ? n->release : 0.3f, 0.001f, 10.0f), sr);
    s->d1[l] = 1.0f;                                    /* the decays a kind uses */
    s->d2[l] = s->d3[l] = 0.0f;                         /* are set to 1 below */
    s->k1[l] = s->k2[l] = s->k3[l] = 1.0f;
    s->f1[l] = s->f2[l] = 0.0f;
    s->q[l] = 1.2f;
    s->dec[l] = s->sus[l] = 1.0f;
    s->pw[l] = 0.5f;
    s->pwd[l] = 0.4f;
    s->live |= 1u << l;

    switch (s->kind) {
    case DSP_SUPERKICK:
        s->ph[0][l] = 0.0f;                                 /* start at the zero crossing */
        s->inc[0][l] = inc;
        s->p1[l] = dsp_exp2(dsp_clampf(n->sweep, 0.0f, 6.0f)) - 1.0f;
        s->d2[l] = s->d3[l] = 1.0f;
        s->k1[l] = t60_factor(sus, sr);                     /* body */
        s->k2[l] = t60_factor(0.01f, sr);                   /* click */
        s->k3[l] = t60_factor(0.12f, sr);                   /* pitch sweep */
        s->p2[l] = 0.0f;                                    /* the click unfiltered (kind_args) */
        s->zr[0][l] = 1.0f;                                 /* the body: Im z, |z| its decay */
        s->zi[0][l] = 0.0f;
        break;
    case DSP_SUPERSAW: {
        /* SuperDirt's idea: three saws detuned by -d, 0, +d (d = voice/50
         * of the pitch, or half the detune spread in semitones) and a
         * triangle an octave up, half each, into a Moog low-pass that a
         * triangle LFO at f/64 sweeps between 10 f and 20 f */
        float d = n->voices >= 0.0f ? dsp_clampf(n->voices, 0.0f, 10.0f) * 0.02f
                                    : semis(0.5f * dsp_clampf(n->detune, 0.0f, 2.0f)) - 1.0f;
        for (int k = 0; k < 3; k++) {
            s->inc[k][l] = inc * (1.0f + (float)(k - 1) * d);
            s->wt[k][l] = 0.5f;
        }
        s->inc[3][l] = dsp_minf(2.0f * inc, 0.45f);
        s->wt[3][l] = 0.5f;
        s->inc[4][l] = inc * (1.0f / 64.0f) * dsp_clampf(n->rate, 0.0f, 20.0f);
        s->ph[4][l] = 0.25f;
        s->p1[l] = dsp_minf(10.0f * f, 0.45f * sr);
        s->p2[l] = dsp_minf(20.0f * f, 0.45f * sr);
        for (int k = 0; k < 4; k++)
            s->mg[k][l] = 0.0f;
        saw_args(s, l, n, f, inc);
        break;
    }
    case DSP_SUPERSQUARE:
    case DSP_SUPERREESE:
        sub_trigger(s, l, n, f, inc);
        saw_args(s, l, n, f, inc);
        break;
    case DSP_SUPERPWM:
        s->inc[0][l] = inc;
        s->inc[1][l] = inc * semis(dsp_clampf(n->detune, 0.0f, 2.0f));
        s->inc[2][l] = dsp_clampf(n->rate, 0.01f, 20.0f) / sr;   /* width LFO */
        s->wt[0][l] = s->wt[1][l] = 0.5f;
        break;
    case DSP_SUPERCHIP:
        s->ph[0][l] = 0.0f;
        s->ph[1][l] = 0.5f;                                 /* its peak under the pulse: fundamentals add */
        s->inc[0][l] = s->inc[1][l] = inc;
        s->p1[l] = dsp_clampf(n->width, 0.05f, 0.95f);
        s->wt[0][l] = 0.6f;
        s->wt[1][l] = 0.4f;
        break;
    case DSP_SUPERFM:
        s->ph[0][l] = s->ph[1][l] = 0.0f;
        s->inc[0][l] = inc;
        s->inc[1][l] = inc * dsp_clampf(n->ratio, 0.01f, 16.0f);
        s->p1[l] = dsp_clampf(n->index, 0.0f, 20.0f);
        s->k1[l] = t60_factor(3.0f * (sus + dsp_clampf(n->release, 0.001f, 10.0f)), sr);
        break;
    case DSP_SUPERSNARE: {
        s->ph[0][l] = s->ph[1][l] = 0.0f;
        s->inc[0][l] = inc;
        s->inc[1][l] = dsp_minf(inc * 1.83f, 0.45f);
        s->p1[l] = dsp_clampf(n->tone, 0.0f, 1.0f);
        s->d2[l] = 1.0f;
        s->k1[l] = t60_factor(0.5f * sus, sr);              /* drum modes */
        s->k2[l] = t60_factor(sus, sr);                     /* noise */
        struct dsp_svf_coef c = dsp_svf_coef(3000.0f, 0.7f, sr);
        s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
        break;
    }
    case DSP_SUPERHAT: {
        /* SuperDirt's: noise low-passed at 3 f, high-passed at f */
        s->k1[l] = t60_factor(sus, sr);
        hat_filters(s, l, f);
        s->mg[0][l] = s->mg[1][l] = 0.0f;
        break;
    }
    case DSP_SOSKICK: case DSP_SOSTOMS: case DSP_SOSHATS: case DSP_SOSSNARE:
        sos_trigger(s, l, f, inc, sus);
        break;
    case DSP_SUPERSIREN: case DSP_SUPERZOW: case DSP_SUPERCOMPARATOR: case DSP_SUPERTRON: case DSP_SUPERHOOVER:
        var_trigger(s, l, n, f, inc, sus);
        break;
    case DSP_SUPERPIANO:
        piano_trigger(s, l, n, f);
        break;
    case DSP_SUPERGONG: case DSP_SUPERFORK: case DSP_SUPERHAMMOND: case DSP_SUPERVIBE: case DSP_SUPERPRIMES:
    case DSP_SUPERMANDOLIN: {
        const struct modal *m = s->kind == DSP_SUPERMANDOLIN ? &mandolin : &modals[s->kind - DSP_SUPERGONG];
        struct modal mm;
        if (modal_changed(s->kind, n)) {
            mm = *m;
            modal_args(&mm, s->kind, n);
            m = &mm;
        }
        modal_trigger(s, l, m, f);
        break;
    }
    case DSP_SUPERCLAP:
    case DSP_SUPERSTATIC:
    case DSP_SUPERWAVEMECHANICS:
    case DSP_SUPERGRIND:
        noise_trigger(s, l, n, f, inc, sus);
        break;
    default:
        break;
    }
    kind_args(s, l, n, f, inc, sus, &r);
    glide_start(s, l, n, f, sus);
}

void dsp_synth_release(struct dsp_synth *s, int lane)
{
    if (lane >= 0 && lane < DSP_MAX_LANES)
        s->hold[lane] = 0.0f;
}
