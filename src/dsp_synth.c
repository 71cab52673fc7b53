/* dsp_synth.c -- SuperDirt-style instruments as SoA voice batches.
 *
 * DESIGN
 *
 * A struct dsp_synth is one batch of up to DSP_MAX_LANES voices of a single
 * instrument. All per-voice state lives in [..][lane] arrays, and each
 * render function runs frames in the outer loop and lanes in the inner
 * loop, written branch-free from the per-lane kernels of dsp.h, so that the
 * lane loop can be vectorised when this file is compiled with SIMD flags.
 * The instrument is chosen once per render call (a switch outside the
 * loops), SuperCollider's SETCALC idea.
 *
 * Every lane is rendered whether it sounds or not; a lane's output is
 * multiplied by its "alive" flag (1 or 0), so ended lanes give exact zeros
 * and their (bounded, flushed) state costs only time. Lanes end by
 * themselves: sustained instruments when their ADSR returns to idle,
 * drums when their loudest decay falls below -80 dB. The render call
 * reports the lanes that ended so that the engine can free the voices.
 *
 * Triggering (control of one lane, not per sample) may use a little more
 * arithmetic: decay factors are 2^(-log2(1000) / (T60 sr)), computed with
 * dsp_exp2 so that results do not depend on the libm.
 *
 * The sounds follow the SuperDirt instruments' ideas (a swept sine kick, a
 * detuned saw stack, a PWM pair, a chip pulse, 2-op FM, a modes+noise
 * snare, a metallic hat) but not their code: parameters are the ones in
 * dsp.h.
 */
#include "dsp.h"

#include <string.h>

static const char *const kind_names[DSP_SYNTH_KINDS] = {
    "superkick", "supersaw", "superpwm", "superchip", "superfm", "supersnare", "superhat",
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
    static const float freq[DSP_SYNTH_KINDS] = { 50, 261.63f, 261.63f, 261.63f, 261.63f, 180, 8000 };
    static const float sustain[DSP_SYNTH_KINDS] = { 0.4f, 0.5f, 0.5f, 0.25f, 0.5f, 0.3f, 0.1f };
    n->freq = (unsigned)kind < DSP_SYNTH_KINDS ? freq[kind] : 261.63f;
    n->gain = 1.0f;
    n->sustain = (unsigned)kind < DSP_SYNTH_KINDS ? sustain[kind] : 0.5f;
    n->attack = kind == DSP_SUPERCHIP ? 0.001f : 0.01f;
    n->release = kind == DSP_SUPERCHIP ? 0.05f : 0.3f;
    n->voices = 7.0f;
    n->detune = kind == DSP_SUPERPWM ? 0.1f : 0.3f;
    n->rate = 1.0f;
    n->width = 0.25f;
    n->ratio = 2.0f;
    n->index = 1.0f;
    n->sweep = 2.0f;
    n->tone = 0.5f;
}

void dsp_synth_init(struct dsp_synth *s, enum dsp_synth_kind kind, float sr)
{
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->sr = sr;
    s->seed = 1;
    for (int l = 0; l < DSP_MAX_LANES; l++)
        s->rng[l] = dsp_noise_seed((uint32_t)l + 1);
}

/* Per-sample factor for a decay of 60 dB in t60 seconds. */
static float t60_factor(float t60, float sr)
{
    return dsp_exp2(-9.96578428f / (dsp_maxf(t60, 1e-4f) * sr));   /* log2(1000) */
}

static float semis(float st)
{
    return dsp_exp2(st * (1.0f / 12.0f));
}

void dsp_synth_trigger(struct dsp_synth *s, int lane, const struct dsp_synth_note *n)
{
    if (lane < 0 || lane >= DSP_MAX_LANES)
        return;
    const int l = lane;
    const float sr = s->sr;
    float f = dsp_clampf(n->freq, 10.0f, 0.45f * sr);
    float inc = f / sr;
    float sus = dsp_clampf(n->sustain, 0.001f, 60.0f);
    uint32_t r = dsp_noise_seed(s->seed++ * 977u + (uint32_t)l);

    for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
        s->ph[k][l] = 0.5f * (dsp_noise_tick(&r) + 1.0f);   /* [0, 1) */
        s->inc[k][l] = 0.0f;
        s->wt[k][l] = 0.0f;
    }
    s->gain[l] = dsp_clampf(n->gain, 0.0f, 4.0f);
    s->alive[l] = 1.0f;
    s->trig[l] = 1.0f;
    s->hold[l] = dsp_env_samples(sus, sr);
    s->att[l] = dsp_env_samples(dsp_clampf(n->attack, 0.0f, 10.0f), sr);
    s->rel[l] = dsp_env_samples(dsp_clampf(n->release, 0.001f, 10.0f), sr);
    s->d1[l] = 1.0f;                                    /* the decays a kind uses */
    s->d2[l] = s->d3[l] = 0.0f;                         /* are set to 1 below */
    s->k1[l] = s->k2[l] = s->k3[l] = 1.0f;
    s->f1[l] = s->f2[l] = 0.0f;
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
        break;
    case DSP_SUPERSAW: {
        float voices = dsp_clampf(dsp_roundf(n->voices), 1.0f, 7.0f);
        float spread = dsp_clampf(n->detune, 0.0f, 2.0f);
        /* weight 2/N (1 alone): N saws of random phase add up to about
         * sqrt(N) times one saw's RMS, so the stack sits near one saw */
        float w = 1.0f / dsp_maxf(1.0f, voices * 0.5f);
        for (int k = 0; k < DSP_SYNTH_OSCS; k++) {
            float off = voices > 1.0f ? spread * ((float)k / (voices - 1.0f) - 0.5f) : 0.0f;
            s->inc[k][l] = inc * semis(off);
            s->wt[k][l] = (float)k < voices ? w : 0.0f;
        }
        break;
    }
    case DSP_SUPERPWM:
        s->inc[0][l] = inc;
        s->inc[1][l] = inc * semis(dsp_clampf(n->detune, 0.0f, 2.0f));
        s->inc[2][l] = dsp_clampf(n->rate, 0.01f, 20.0f) / sr;   /* width LFO */
        s->wt[0][l] = s->wt[1][l] = 0.5f;
        break;
    case DSP_SUPERCHIP:
        s->ph[0][l] = s->ph[1][l] = 0.0f;
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
        static const float ratio[6] = { 0.25f, 0.367f, 0.451f, 0.637f, 0.658f, 0.975f };
        for (int k = 0; k < 6; k++) {
            s->inc[k][l] = dsp_minf(inc * ratio[k], 0.45f);
            s->wt[k][l] = 1.0f / 12.0f;
        }
        s->k1[l] = t60_factor(sus, sr);
        struct dsp_svf_coef c = dsp_svf_coef(f, 2.5f, sr);
        s->fa1[l] = c.a1; s->fa2[l] = c.a2; s->fa3[l] = c.a3; s->fk[l] = c.k;
        break;
    }
    default:
        break;
    }
}

void dsp_synth_release(struct dsp_synth *s, int lane)
{
    if (lane >= 0 && lane < DSP_MAX_LANES)
        s->hold[lane] = 0.0f;
}

/* The ADSR of a sustained lane for one frame: attack, hold while hold > 0,
 * release. Clears the trigger and the alive flag when it is over. */
static inline float lane_env(struct dsp_synth *s, int l)
{
    float gate = s->hold[l] > 0.0f ? 1.0f : 0.0f;
    s->hold[l] = dsp_maxf(s->hold[l] - 1.0f, 0.0f);
    float e = dsp_adsr_tick(&s->env[0][l], &s->env[1][l], &s->env[2][l], &s->env[3][l],
                            s->trig[l], gate, s->att[l], 1.0f, 1.0f, s->rel[l]);
    s->trig[l] = 0.0f;
    s->alive[l] = dsp_env_idle(s->env[1][l]) ? 0.0f : s->alive[l];
    return e;
}

/* The decays of a percussive lane: advance them, end the lane below -80 dB
 * of the loudest. */
static inline void lane_decay(struct dsp_synth *s, int l)
{
    s->d1[l] = dsp_flush(s->d1[l] * s->k1[l]);
    s->d2[l] = dsp_flush(s->d2[l] * s->k2[l]);
    s->d3[l] = dsp_flush(s->d3[l] * s->k3[l]);
    float loud = dsp_maxf(s->d1[l], s->d2[l]);
    s->alive[l] = loud > 1e-4f ? s->alive[l] : 0.0f;
}

static void render_kick(struct dsp_synth *restrict s, float *restrict out, int W, int n)
{
    for (int i = 0; i < n; i++)
        for (int l = 0; l < W; l++) {
            float inc = s->inc[0][l] * (1.0f + s->p1[l] * s->d3[l]);
            float body = dsp_sine_tick(&s->ph[0][l], inc) * s->d1[l];
            float click = 0.3f * dsp_noise_tick(&s->rng[l]) * s->d2[l];
            float y = (body + click) * s->gain[l] * s->alive[l];
            lane_decay(s, l);
            out[i * W + l] = y;
        }
}

static void render_saw(struct dsp_synth *restrict s, float *restrict out, int W, int n)
{
    for (int i = 0; i < n; i++) {
        float y[DSP_MAX_LANES] = { 0 };
        for (int k = 0; k < DSP_SYNTH_OSCS; k++)      /* lanes innermost */
            for (int l = 0; l < W; l++)
                y[l] += s->wt[k][l] * dsp_saw_tick(&s->ph[k][l], s->inc[k][l]);
        for (int l = 0; l < W; l++) {
            float a = s->alive[l];
            float e = lane_env(s, l);
            out[i * W + l] = y[l] * e * s->gain[l] * a;
        }
    }
}

static void render_pwm(struct dsp_synth *restrict s, float *restrict out, int W, int n)
{
    for (int i = 0; i < n; i++)
        for (int l = 0; l < W; l++) {
            float m = 0.4f * dsp_sine_tick(&s->ph[2][l], s->inc[2][l]);
            float y = s->wt[0][l] * dsp_pulse_tick(&s->ph[0][l], s->inc[0][l], 0.5f + m)
                    + s->wt[1][l] * dsp_pulse_tick(&s->ph[1][l], s->inc[1][l], 0.5f - m);
            float a = s->alive[l];
            float e = lane_env(s, l);
            out[i * W + l] = y * e * s->gain[l] * a;
        }
}

static void render_chip(struct dsp_synth *restrict s, float *restrict out, int W, int n)
{
    for (int i = 0; i < n; i++)
        for (int l = 0; l < W; l++) {
            float y = s->wt[0][l] * dsp_pulse_tick(&s->ph[0][l], s->inc[0][l], s->p1[l])
                    + s->wt[1][l] * dsp_tri_tick(&s->ph[1][l], s->inc[1][l]);
            float a = s->alive[l];
            float e = lane_env(s, l);
            out[i * W + l] = y * e * s->gain[l] * a;
        }
}

static void render_fm(struct dsp_synth *restrict s, float *restrict out, int W, int n)
{
    for (int i = 0; i < n; i++)
        for (int l = 0; l < W; l++) {
            float index = s->p1[l] * (0.3f + 0.7f * s->d1[l]);
            float y = dsp_fm_tick(&s->ph[0][l], &s->ph[1][l], s->inc[0][l], s->inc[1][l], index);
            s->d1[l] = dsp_flush(s->d1[l] * s->k1[l]);
            float a = s->alive[l];
            float e = lane_env(s, l);
            out[i * W + l] = y * e * s->gain[l] * a;
        }
}

static void render_snare(struct dsp_synth *restrict s, float *restrict out, int W, int n)
{
    for (int i = 0; i < n; i++)
        for (int l = 0; l < W; l++) {
            float modes = 0.65f * dsp_sine_tick(&s->ph[0][l], s->inc[0][l])
                        + 0.35f * dsp_sine_tick(&s->ph[1][l], s->inc[1][l]);
            struct dsp_svf_coef c = { s->fa1[l], s->fa2[l], s->fa3[l], s->fk[l] };
            float nz = dsp_svf_tick(&s->f1[l], &s->f2[l], c, dsp_noise_tick(&s->rng[l])).bp;
            float t = s->p1[l];
            float y = t * modes * s->d1[l] + (1.0f - t) * 1.5f * nz * s->d2[l];
            y *= s->gain[l] * s->alive[l];
            lane_decay(s, l);
            out[i * W + l] = y;
        }
}

static void render_hat(struct dsp_synth *restrict s, float *restrict out, int W, int n)
{
    for (int i = 0; i < n; i++) {
        float metal[DSP_MAX_LANES] = { 0 };
        for (int k = 0; k < 6; k++)                   /* lanes innermost */
            for (int l = 0; l < W; l++)
                metal[l] += s->wt[k][l] * dsp_square_tick(&s->ph[k][l], s->inc[k][l]);
        for (int l = 0; l < W; l++) {
            float x = metal[l] + 0.5f * dsp_noise_tick(&s->rng[l]);
            struct dsp_svf_coef c = { s->fa1[l], s->fa2[l], s->fa3[l], s->fk[l] };
            float y = 2.5f * dsp_svf_tick(&s->f1[l], &s->f2[l], c, x).bp;
            y *= s->d1[l] * s->gain[l] * s->alive[l];
            lane_decay(s, l);
            out[i * W + l] = y;
        }
    }
}

uint32_t dsp_synth_render(struct dsp_synth *s, float *out, int W, int n)
{
    if (W < 1)
        return 0;
    if (W > DSP_MAX_LANES)
        W = DSP_MAX_LANES;
    switch (s->kind) {
    case DSP_SUPERKICK:  render_kick(s, out, W, n); break;
    case DSP_SUPERSAW:   render_saw(s, out, W, n); break;
    case DSP_SUPERPWM:   render_pwm(s, out, W, n); break;
    case DSP_SUPERCHIP:  render_chip(s, out, W, n); break;
    case DSP_SUPERFM:    render_fm(s, out, W, n); break;
    case DSP_SUPERSNARE: render_snare(s, out, W, n); break;
    case DSP_SUPERHAT:   render_hat(s, out, W, n); break;
    default:
        memset(out, 0, sizeof(float) * (size_t)W * (size_t)(n > 0 ? n : 0));
        break;
    }
    uint32_t lanes = W == 32 ? ~0u : (1u << W) - 1u, now = 0;
    for (int l = 0; l < W; l++)
        now |= s->alive[l] > 0.0f ? 1u << l : 0u;
    uint32_t ended = s->live & lanes & ~now;
    s->live = (s->live & ~lanes) | now;
    return ended;
}
