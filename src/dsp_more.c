/* dsp_more.c -- issue 13: the phonon family's DSP vocabulary.
 *
 * Modulation effects (tremolo, vibrato, flanger, phaser, ring), resonators
 * (comb, allpass), control-signal shapers (lag, latch, schmidt, wrap,
 * decimator, env, amp_follower), generators (impulse, blip, xline, asr,
 * vco, pm, xfade, if) and stereo ops (pingpong, pan2, widener), with the
 * meaning and arguments of the Rust phonon project (ekg/phonon), our code.
 *
 * DESIGN
 *
 * One state struct serves every op (the few floats each needs, named by
 * use), followed by a delay ring for the ops that keep one, all in the
 * caller's memory (dsp_more_size, as the effects of dsp_fx.c). Parameters
 * arrive per frame, so patterned parameters change sample by sample; where
 * a jump would click, the op glides: delay times follow with a 5 ms one-pole
 * (comb, pingpong), the if selector crossfades over 5 ms, LFO depths are
 * multiplied in smoothly varying terms. Per-sample code uses the polynomial
 * helpers of dsp.h, never libm.
 *
 * Safety: input passes through dsp_finite(); feedback loops (comb, flanger,
 * phaser, pingpong) have gains below 1 and their content clamped, so no
 * parameter sequence makes them grow without bound; recursive states are
 * flushed to exact zeros.
 */
#include "dsp.h"

#include <math.h>
#include <string.h>

struct more {
    float ph;                   /* LFO or oscillator phase, 0..1 */
    float lv;                   /* level: envelope, held value, smoothed output */
    float prev;                 /* previous trigger / gate / input */
    float cur;                  /* smoothed delay in samples, or the if selector */
    float fb;                   /* feedback sample */
    float ms;                   /* mean square (amp_follower) */
    float st, sl, left;         /* ADSR machine (env) */
    float cnt;                  /* sample counter (decimator) */
    double t;                   /* elapsed samples (xline) */
    float z[12], w1[12];        /* allpass stages (phaser): last input, last output */
    uint32_t w, mask;           /* delay ring: newest sample's index, size - 1 */
    uint32_t rng;               /* noise (pluck's burst) */
    float *line, *line2;        /* rings (line2: pingpong's right) */
};

#define MORE_NAME(op, name, flags) name,
static const char *const names[] = { DSP_MORE_OPS(MORE_NAME) };
#undef MORE_NAME
#define MORE_FLAGS(op, name, flags) flags,
static const int flagv[] = { DSP_MORE_OPS(MORE_FLAGS) };
#undef MORE_FLAGS

int dsp_more_flags(int op) { return op >= 0 && op < DSP_MORE_COUNT ? flagv[op] : 0; }
const char *dsp_more_name(int op) { return op >= 0 && op < DSP_MORE_COUNT ? names[op] : "?"; }

static size_t r64(size_t n) { return (n + 63) & ~(size_t)63; }

/* Ring length (floats, a power of two) of an op, 0 for none. */
static uint32_t ring_len(int op, float sr)
{
    switch (op) {
    case DSP_MORE_VIBRATO: return dsp_pow2_at_least((uint32_t)(0.025f * sr) + 8);
    case DSP_MORE_FLANGER: return dsp_pow2_at_least((uint32_t)(0.012f * sr) + 8);
    case DSP_MORE_COMB: return dsp_pow2_at_least((uint32_t)(sr / 20.0f) + 8);
    case DSP_MORE_PINGPONG: return dsp_pow2_at_least((uint32_t)(5.0f * sr) + 8);
    case DSP_MORE_PLUCK: return dsp_pow2_at_least((uint32_t)(sr / 20.0f) + 8);
    case DSP_MORE_MULTITAP: return dsp_pow2_at_least((uint32_t)(8.0f * sr) + 8);
    case DSP_MORE_LIMITER: return dsp_pow2_at_least((uint32_t)(0.1f * sr) + 8);
    case DSP_MORE_RMS: return 2 * dsp_pow2_at_least((uint32_t)sr + 8);      /* doubles */
    case DSP_MORE_TAPEDELAY: return dsp_pow2_at_least((uint32_t)(1.1f * sr) + 8);
    default: return 0;
    }
}

size_t dsp_more_size(int op, float sr)
{
    if (op >= DSP_PEER_FIRST)
        return dsp_peer_size(op, sr);
    size_t mem = (size_t)ring_len(op, sr) * sizeof(float) * (op == DSP_MORE_PINGPONG ? 2 : 1);
    if (op == DSP_MORE_REVERB_ST)                 /* a Freeverb tank after the struct */
        mem = r64(sizeof(struct dsp_reverb)) + r64(dsp_reverb_size(sr));
    return r64(sizeof(struct more)) + r64(mem);
}

void dsp_more_init(int op, void *state, float sr)
{
    memset(state, 0, dsp_more_size(op, sr));
    dsp_more_init_zeroed(op, state, sr);
}

void dsp_more_init_zeroed(int op, void *state, float sr)
{
    if (op >= DSP_PEER_FIRST) {
        dsp_peer_init(op, state, sr);           /* (it clears its state itself) */
        return;
    }
    struct more *s = state;
    uint32_t len = ring_len(op, sr);
    if (len) {
        s->line = (float *)((unsigned char *)state + r64(sizeof *s));
        s->line2 = op == DSP_MORE_PINGPONG ? s->line + len : NULL;
        s->mask = len - 1;
    }
    if (op == DSP_MORE_REVERB_ST) {
        struct dsp_reverb *r = (struct dsp_reverb *)((unsigned char *)state + r64(sizeof *s));
        dsp_reverb_init_zeroed(r, (unsigned char *)r + r64(sizeof *r), sr);
    }
}

/* ---- helpers ------------------------------------------------------------------ */

static float par(const float *p, int f, float lo, float hi)
{
    return dsp_clampf(p[f], lo, hi);            /* NaN: lo (dsp_clampf) */
}

/* The ring read d samples behind the newest one (d >= 1, fractional:
 * Catmull-Rom between the two samples around it). */
static float ring_read(const float *line, uint32_t mask, uint32_t w, float d)
{
    float fd = dsp_floorf(d);
    uint32_t i0 = w - (uint32_t)fd;             /* d = fd + f: between i0 - 1 and i0 */
    float f = 1.0f - (d - fd);
    return dsp_hermite(line[(i0 - 2) & mask], line[(i0 - 1) & mask], line[i0 & mask], line[(i0 + 1) & mask], f);
}

/* One-pole coefficient of a time constant in samples (> 0). */
static float glide(float samples)
{
    return 1.0f - dsp_exp2(-1.442695f / dsp_maxf(samples, 1.0f));
}

static float sine_lfo(struct more *s, float rate, float sr)
{
    float y = dsp_sin2pi(s->ph);
    s->ph = dsp_wrap1(s->ph + rate / sr);
    return y;
}

/* ---- modulation effects --------------------------------------------------------- */

/* tremolo rate depth: gain 1 - depth/2 + depth/2 sin (0..1 at depth 1) */
static void tremolo(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float d = par(io->p[1], f, 0, 1), lfo = sine_lfo(s, par(io->p[0], f, 0.01f, 40), io->sr);
        io->y[0][f] = dsp_finite(io->x[0][f]) * (1.0f - 0.5f * d + 0.5f * d * lfo);
    }
}

/* vibrato rate depth: a delay swept by a sine, up to 10 ms * depth / 2 */
static void vibrato(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        s->w++;
        s->line[s->w & s->mask] = dsp_finite(io->x[0][f]);
        float depth = par(io->p[1], f, 0, 2), lfo = sine_lfo(s, par(io->p[0], f, 0.01f, 40), io->sr);
        float d = 0.010f * io->sr * 0.5f * depth * (1.0f + lfo);
        io->y[0][f] = ring_read(s->line, s->mask, s->w, 2.0f + d);
    }
}

/* flanger depth rate feedback: 3 ms +- 2 ms * depth, with feedback,
 * half dry and half wet */
static void flanger(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]);
        float depth = par(io->p[0], f, 0, 1), fb = par(io->p[2], f, 0, 0.95f);
        float lfo = sine_lfo(s, par(io->p[1], f, 0.01f, 20), io->sr);
        float d = (0.003f + 0.002f * depth * lfo) * io->sr;
        float wet = ring_read(s->line, s->mask, s->w, d - 1.0f);     /* read before the write */
        s->w++;
        s->line[s->w & s->mask] = dsp_flush(dsp_clampf(x + fb * wet, -4.0f, 4.0f));
        io->y[0][f] = 0.5f * (x + wet);
    }
}

/* phaser rate depth feedback stages: first-order allpasses swept 200 Hz ..
 * 200 + 1800 depth Hz, with feedback, mixed half and half with the dry */
static void phaser(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]);
        float depth = par(io->p[1], f, 0, 1), fb = par(io->p[2], f, 0, 0.95f);
        int stages = (int)dsp_roundf(par(io->p[3], f, 2, 12));
        float lfo = 0.5f * (sine_lfo(s, par(io->p[0], f, 0.01f, 20), io->sr) + 1.0f);
        float t = dsp_tanpi(dsp_minf((200.0f + 1800.0f * lfo * depth) / io->sr, 0.49f));
        float a = (t - 1.0f) / (t + 1.0f);
        float v = dsp_clampf(x + s->fb * fb, -4.0f, 4.0f);
        for (int k = 0; k < stages; k++) {
            float y = a * v + s->z[k] - a * s->w1[k];
            s->z[k] = v;
            s->w1[k] = dsp_flush(y);
            v = y;
        }
        s->fb = dsp_flush(v);
        io->y[0][f] = 0.5f * (x + v);
    }
}

/* ring freq: the input times a sine */
static void ring(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = dsp_finite(io->x[0][f]) * sine_lfo(s, par(io->p[0], f, 0, 0.49f * io->sr), io->sr);
}

/* ---- resonators ------------------------------------------------------------------- */

/* comb frequency feedback: y = x + feedback y[n - sr / frequency] */
static void comb(struct more *s, const struct dsp_more_io *io)
{
    float k = glide(0.005f * io->sr), maxd = (float)s->mask - 4.0f;
    for (int f = 0; f < io->n; f++) {
        float target = dsp_clampf(io->sr / par(io->p[0], f, 20, 20000) - 1.0f, 1.0f, maxd);   /* read before the write */
        s->cur = s->cur > 0 ? s->cur + (target - s->cur) * k : target;
        float y = dsp_finite(io->x[0][f]) + par(io->p[1], f, 0, 0.99f) * ring_read(s->line, s->mask, s->w, s->cur);
        y = dsp_clampf(y, -1e4f, 1e4f);
        s->w++;
        s->line[s->w & s->mask] = dsp_flush(y);
        io->y[0][f] = y;
    }
}

/* allpass coefficient: first order, y = a x + x[n-1] - a y[n-1] */
static void allpass(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float a = par(io->p[0], f, -0.99f, 0.99f), x = dsp_finite(io->x[0][f]);
        float y = a * x + s->prev - a * s->lv;
        s->prev = x;
        s->lv = dsp_flush(y);
        io->y[0][f] = y;
    }
}

/* ---- control signals ------------------------------------------------------------- */

/* lag time: exponential smoothing with time constant time s (0: none) */
static void lag(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float t = par(io->p[0], f, 0, 60), x = dsp_finite(io->x[0][f]);
        s->lv = dsp_flush(t < 1e-5f ? x : s->lv + (x - s->lv) * glide(t * io->sr));
        io->y[0][f] = s->lv;
    }
}

/* latch gate (sample_hold): the input taken when the gate rises above 0 */
static void latch(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float g = dsp_finite(io->p[0][f]);
        if (s->prev <= 0 && g > 0)
            s->lv = dsp_finite(io->x[0][f]);
        s->prev = g;
        io->y[0][f] = s->lv;
    }
}

/* schmidt high low: 1 once the input is above high, 0 once below low */
static void schmidt(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]);
        if (x > io->p[0][f])
            s->lv = 1;
        else if (x < io->p[1][f])
            s->lv = 0;
        io->y[0][f] = s->lv;
    }
}

/* wrap min max: the input folded into [min, max) */
static void wrap(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float lo = dsp_finite(io->p[0][f]), range = dsp_finite(io->p[1][f]) - lo;
        float x = dsp_clampf(dsp_finite(io->x[0][f]), -1e6f, 1e6f);
        io->y[0][f] = fabsf(range) < 1e-10f ? lo : lo + range * dsp_wrap1((x - lo) / range);
    }
}

/* decimator factor smooth: hold every factor-th sample, then a one-pole
 * with coefficient smooth */
static void decimator(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float fac = par(io->p[0], f, 1, 1000), sm = par(io->p[1], f, 0, 0.99f);
        if (++s->cnt >= fac) {
            s->prev = dsp_finite(io->x[0][f]);
            s->cnt = 0;
        }
        s->lv = dsp_flush(s->prev * (1.0f - sm) + s->lv * sm);
        io->y[0][f] = s->lv;
    }
}

/* env attack decay sustain release: the input through an ADSR triggered
 * once (at the start) whose gate stays open: it settles at sustain */
static void env(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float trig = s->prev == 0 ? 1.0f : 0.0f;
        s->prev = 1;
        float e = dsp_adsr_tick(&s->lv, &s->st, &s->sl, &s->left, trig, 1.0f, dsp_env_samples(io->p[0][f], io->sr),
                                dsp_env_samples(io->p[1][f], io->sr), io->p[2][f],
                                dsp_env_samples(io->p[3][f], io->sr));
        io->y[0][f] = dsp_finite(io->x[0][f]) * e;
    }
}

/* amp_follower attack release window: the RMS over window seconds,
 * followed with attack and release time constants */
static void follow(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_clampf(dsp_finite(io->x[0][f]), -1e3f, 1e3f);
        float win = par(io->p[2], f, 1e-4f, 10) * io->sr;
        s->ms = dsp_flush(s->ms + (x * x - s->ms) * glide(win));
        float r = sqrtf(s->ms);
        float t = r > s->lv ? par(io->p[0], f, 1e-5f, 10) : par(io->p[1], f, 1e-5f, 10);
        s->lv = dsp_flush(s->lv + (r - s->lv) * glide(t * io->sr));
        io->y[0][f] = s->lv;
    }
}

/* ---- generators ------------------------------------------------------------------- */

/* impulse freq: 1 on the sample where the phase wraps (first after one
 * period), else 0 */
static void impulse(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        s->ph += par(io->p[0], f, 0, io->sr) / io->sr;
        float hit = s->ph >= 1.0f ? 1.0f : 0.0f;
        s->ph = dsp_wrap1(s->ph);
        io->y[0][f] = hit;
    }
}

/* blip freq: band-limited impulse train, the harmonics up to Nyquist (at
 * most 1000) summed in closed form (the Dirichlet kernel), peak 1 */
static void blip(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float fr = par(io->p[0], f, 0.1f, 0.49f * io->sr);
        float nh = dsp_minf(dsp_floorf(0.5f * io->sr / fr), 1000.0f);
        float den = dsp_sin2pi(0.5f * s->ph);
        float sum = fabsf(den) < 1e-6f ? nh
                    : dsp_sin2pi(dsp_wrap1(nh * s->ph) + 0.5f * s->ph) / (2.0f * den) - 0.5f;
        io->y[0][f] = dsp_clampf(sum / nh, -1.0f, 1.0f);
        s->ph = dsp_wrap1(s->ph + fr / io->sr);
    }
}

/* xline start end duration: exponential from start to end over duration
 * seconds from the start, then end (linear when a sign differs or start is 0) */
static void xline(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float a = dsp_clampf(io->p[0][f], -1e6f, 1e6f), b = dsp_clampf(io->p[1][f], -1e6f, 1e6f);
        double total = (double)(par(io->p[2], f, 0, 3600) * io->sr);
        float x = total < 1 ? 1.0f : (float)(s->t / total);
        float y;
        if (x >= 1.0f)
            y = b;
        else if (fabsf(a) < 1e-5f || (a > 0) != (b > 0) || fabsf(b) < 1e-5f)
            y = a + (b - a) * x;
        else
            y = a * dsp_exp2(x * dsp_log2(b / a));
        io->y[0][f] = y;
        if (x < 1.0f)
            s->t += 1;
    }
}

/* asr gate attack release: a linear rise to 1 over attack s while the gate
 * is above 0.5, a linear fall over release s after */
static void asr(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float att = par(io->p[1], f, 1e-4f, 60), rel = par(io->p[2], f, 1e-4f, 60);
        if (io->p[0][f] > 0.5f)
            s->lv = dsp_minf(s->lv + 1.0f / (att * io->sr), 1.0f);
        else
            s->lv = dsp_maxf(s->lv - 1.0f / (rel * io->sr), 0.0f);
        io->y[0][f] = s->lv;
    }
}

/* vco freq waveform pulse_width: 0 saw, 1 pulse, 2 triangle, 3 sine */
static void vco(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float inc = dsp_inc_bound(par(io->p[0], f, 0, 1e6f) / io->sr), w = io->p[1][f];
        io->y[0][f] = w < 0.5f ? dsp_saw_tick(&s->ph, inc)
                      : w < 1.5f ? dsp_pulse_tick(&s->ph, inc, io->p[2][f])
                      : w < 2.5f ? dsp_tri_tick(&s->ph, inc) : dsp_sine_tick(&s->ph, inc);
    }
}

/* pm carrier modulator index: sin(2 pi carrier t + index * modulator),
 * the modulator an audio signal */
static void pm(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float m = dsp_clampf(dsp_finite(io->p[1][f]), -1e3f, 1e3f) * par(io->p[2], f, 0, 100);
        io->y[0][f] = dsp_sin2pi(s->ph + m * (1.0f / DSP_TWO_PI));
        s->ph = dsp_wrap1(s->ph + dsp_inc_bound(par(io->p[0], f, 0, 1e6f) / io->sr));
    }
}

/* xfade a b mix: (1 - mix) a + mix b */
static void xfade(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float m = par(io->p[2], f, 0, 1);
        io->y[0][f] = (1.0f - m) * dsp_finite(io->p[0][f]) + m * dsp_finite(io->p[1][f]);
    }
}

/* if cond then else: then while cond > 0.5, else otherwise, crossfaded
 * over 5 ms at each switch */
static void ifop(struct more *s, const struct dsp_more_io *io)
{
    float step = 1.0f / (0.005f * io->sr);
    for (int f = 0; f < io->n; f++) {
        s->cur = io->p[0][f] > 0.5f ? dsp_minf(s->cur + step, 1.0f) : dsp_maxf(s->cur - step, 0.0f);
        io->y[0][f] = s->cur * dsp_finite(io->p[1][f]) + (1.0f - s->cur) * dsp_finite(io->p[2][f]);
    }
}

/* ---- stereo ------------------------------------------------------------------------ */

/* pingpong time feedback width channel mix: two delay lines feeding each
 * other, the input entering on one side (channel 0 left, 1 right); width
 * 1 keeps the echoes on their sides, 0 puts them in the middle */
static void pingpong(struct more *s, const struct dsp_more_io *io)
{
    float k = glide(0.005f * io->sr), maxd = (float)s->mask - 4.0f;
    for (int f = 0; f < io->n; f++) {
        float xl = dsp_finite(io->x[0][f]), xr = dsp_finite(io->x[1][f]), m = 0.5f * (xl + xr);
        float target = dsp_clampf(par(io->p[0], f, 0.001f, 5) * io->sr - 1.0f, 1.0f, maxd);
        s->cur = s->cur > 0 ? s->cur + (target - s->cur) * k : target;
        float dl = ring_read(s->line, s->mask, s->w, s->cur), dr = ring_read(s->line2, s->mask, s->w, s->cur);
        float fb = par(io->p[1], f, 0, 0.99f), w = par(io->p[2], f, 0, 1), mix = par(io->p[4], f, 0, 1);
        int right = io->p[3][f] >= 0.5f;
        s->w++;
        s->line[s->w & s->mask] = dsp_flush(dsp_clampf((right ? 0 : m) + fb * dr, -4.0f, 4.0f));
        s->line2[s->w & s->mask] = dsp_flush(dsp_clampf((right ? m : 0) + fb * dl, -4.0f, 4.0f));
        float a = 0.5f * (1.0f + w), b = 0.5f * (1.0f - w);
        io->y[0][f] = (1.0f - mix) * xl + mix * (a * dl + b * dr);
        io->y[1][f] = (1.0f - mix) * xr + mix * (a * dr + b * dl);
    }
}

/* pan2 position: equal-power pan, -1 left .. 1 right (a stereo input is
 * balanced, as pan does) */
static void pan2(struct more *s, const struct dsp_more_io *io)
{
    int st = io->x[0] != io->x[1];
    for (int f = 0; f < io->n; f++) {
        float l, r;
        dsp_pan_gains(0.5f * (par(io->p[0], f, -1, 1) + 1.0f), &l, &r);
        float xl = dsp_finite(io->x[0][f]), xr = dsp_finite(io->x[1][f]);
        io->y[0][f] = st ? xl * l * 1.41421356f : xl * l;
        io->y[1][f] = st ? xr * r * 1.41421356f : xl * r;
    }
}

/* widener width: mid/side, the side scaled by width (0 mono, 1 as is) */
static void widener(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float xl = dsp_finite(io->x[0][f]), xr = dsp_finite(io->x[1][f]);
        float mid = 0.5f * (xl + xr), side = 0.5f * (xl - xr) * par(io->p[0], f, 0, 4);
        io->y[0][f] = mid + side;
        io->y[1][f] = mid - side;
    }
}

/* formant source f1 f2 f3 bw1 bw2 bw3: three resonant band-passes (q =
 * f / bw) in parallel, each with gain q at its frequency, summed at half */
static void formant(struct more *s, const struct dsp_more_io *io)
{
    static const float fmax[3] = { 5000, 5000, 10000 };
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]), y = 0;
        for (int k = 0; k < 3; k++) {
            float fr = par(io->p[k], f, 50, fmax[k]), q = fr / par(io->p[3 + k], f, 10, 1000);
            struct dsp_svf_coef c = dsp_svf_coef(fr, dsp_clampf(q, 0.5f, 50), io->sr);
            y += dsp_svf_tick(&s->z[2 * k], &s->z[2 * k + 1], c, x).bp / c.k;
        }
        io->y[0][f] = 0.5f * y;
    }
}

/* pluck freq damping: Karplus-Strong, plucked once when it starts: a
 * burst of noise one period long circulates through a two-point average
 * with a loss of 0.9995 - 0.001 damping per pass; the period is read
 * fractionally, so the pitch is exact and glides when freq moves */
static void pluck(struct more *s, const struct dsp_more_io *io)
{
    float k = glide(0.005f * io->sr), maxd = (float)s->mask - 4.0f;
    for (int f = 0; f < io->n; f++) {
        float per = io->sr / par(io->p[0], f, 20, 10000);
        if (s->cnt == 0) {                          /* the pluck: one period of noise */
            s->cnt = per;
            s->rng = dsp_noise_seed(1);
        }
        float x = 0;
        if (s->t < (double)s->cnt) {
            x = dsp_noise_tick(&s->rng);
            s->t += 1;
        }
        float target = dsp_clampf(per - 1.5f, 1.0f, maxd);     /* the average adds half a sample */
        s->cur = s->cur > 0 ? s->cur + (target - s->cur) * k : target;
        float a = ring_read(s->line, s->mask, s->w, s->cur), b = ring_read(s->line, s->mask, s->w, s->cur + 1.0f);
        float y = x + (0.9995f - 0.001f * par(io->p[1], f, 0, 1)) * 0.5f * (a + b);
        s->w++;
        s->line[s->w & s->mask] = dsp_flush(dsp_clampf(y, -4.0f, 4.0f));
        io->y[0][f] = y;
    }
}

/* multitap time taps feedback mix: taps (2..8) echoes at multiples of
 * time, the i-th at gain 1/i, averaged; fed back into the line */
static void multitap(struct more *s, const struct dsp_more_io *io)
{
    float k = glide(0.005f * io->sr);
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]);
        int taps = (int)dsp_roundf(par(io->p[1], f, 2, 8));
        float target = par(io->p[0], f, 0.001f, 1) * io->sr;
        s->cur = s->cur > 0 ? s->cur + (target - s->cur) * k : target;
        float sum = 0;
        for (int i = 1; i <= taps; i++)
            sum += ring_read(s->line, s->mask, s->w, dsp_minf(s->cur * (float)i - 1.0f, (float)s->mask - 4.0f)) /
                   (float)i;
        sum /= (float)taps;
        s->w++;
        s->line[s->w & s->mask] = dsp_flush(dsp_clampf(x + sum * par(io->p[2], f, 0, 0.95f), -4.0f, 4.0f));
        float mix = par(io->p[3], f, 0, 1);
        io->y[0][f] = x * (1.0f - mix) + sum * mix;
    }
}

/* limiter threshold attack release: the input delayed by attack s (look
 * ahead) times a gain that drops at once to threshold / |input| and
 * recovers with the release time; the output never exceeds threshold */
static void limiter(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_clampf(dsp_finite(io->x[0][f]), -1e6f, 1e6f);
        float thr = par(io->p[0], f, 0.001f, 2), ax = fabsf(x);
        float d = par(io->p[1], f, 0.001f, 0.1f) * io->sr;
        s->w++;
        s->line[s->w & s->mask] = x;
        float target = ax > thr ? thr / ax : 1.0f;
        if (s->prev == 0)
            s->lv = 1;                              /* the gain starts open */
        s->prev = 1;
        s->lv = target < s->lv ? target : s->lv + (target - s->lv) * glide(par(io->p[2], f, 0.01f, 1) * io->sr);
        float y = s->line[(s->w - (uint32_t)d) & s->mask] * s->lv;
        io->y[0][f] = dsp_clampf(y, -thr, thr);
    }
}

/* reverb_stereo wet time: the Freeverb tank of reverb, its room set for a
 * decay of about time s (0.5 .. 10 s), crossfaded with the dry by wet */
static void reverb_st(struct more *s, const struct dsp_more_io *io)
{
    struct dsp_reverb *r = (struct dsp_reverb *)((unsigned char *)s + r64(sizeof *s));
    enum { CH = 256 };
    float room[CH], damp[CH];
    for (int f0 = 0; f0 < io->n; f0 += CH) {
        int m = io->n - f0 < CH ? io->n - f0 : CH;
        for (int f = 0; f < m; f++) {
            room[f] = dsp_clampf(dsp_log2(par(io->p[1], f0 + f, 0.01f, 100) * 2.0f) * (1.0f / 4.321928f), 0, 1);
            damp[f] = 0.5f;
        }
        const float *wet = io->p[0] + f0;
        float mix[CH];
        for (int f = 0; f < m; f++)
            mix[f] = dsp_clampf(wet[f], 0, 1);
        dsp_reverb_process(r, io->x[0] + f0, io->x[0] == io->x[1] ? NULL : io->x[1] + f0, io->y[0] + f0,
                           io->y[1] + f0, room, damp, mix, m);
    }
}

/* phasor speed: a ramp 0..1 that restarts speed times a cycle, locked to
 * the cycle (frac(cycle * speed)) */
static void phasor(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        double c = io->cycle0 + (io->frames_per_cycle > 0 ? f / io->frames_per_cycle : 0);
        double x = c * (double)dsp_clampf(dsp_finite(io->p[0][f]), -1e4f, 1e4f);
        io->y[0][f] = (float)(x - floor(x));
    }
}

/* rms window: the root mean square over the last window s (up to 1 s),
 * exact (differences of a running sum kept in doubles) */
static void rms(struct more *s, const struct dsp_more_io *io)
{
    double *sum = (double *)(void *)s->line;
    uint32_t mask = s->mask >> 1;
    for (int f = 0; f < io->n; f++) {
        float x = dsp_clampf(dsp_finite(io->x[0][f]), -1e3f, 1e3f);
        uint32_t w = (uint32_t)(par(io->p[0], f, 0.001f, 1) * io->sr);
        w = w < 1 ? 1 : w > mask - 1 ? mask - 1 : w;
        double now = sum[s->w & mask] + (double)x * (double)x;
        s->w++;
        sum[s->w & mask] = now;
        double ms = (now - sum[(s->w - w) & mask]) / w;
        io->y[0][f] = ms > 0 ? (float)sqrt(ms) : 0.0f;
    }
}

/* peak_follower attack release: |input| followed with attack and release
 * time constants */
static void peak(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = fabsf(dsp_clampf(dsp_finite(io->x[0][f]), -1e6f, 1e6f));
        float t = x > s->lv ? par(io->p[0], f, 1e-5f, 10) : par(io->p[1], f, 1e-5f, 10);
        s->lv = dsp_flush(s->lv + (x - s->lv) * glide(t * io->sr));
        io->y[0][f] = s->lv;
    }
}

/* fmcrossmod carrier modulator depth: carrier * cos(2 pi depth modulator) */
static void fmcross(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float ph = dsp_clampf(dsp_finite(io->p[2][f]) * dsp_finite(io->p[1][f]), -1e5f, 1e5f);
        io->y[0][f] = dsp_finite(io->p[0][f]) * dsp_cos2pi(ph);
    }
}

/* The follower of the dynamics ops: attack and release time constants. */
static float env_follow(struct more *s, float level, float att, float rel, float sr)
{
    s->lv = dsp_flush(s->lv + (level - s->lv) * glide((level > s->lv ? att : rel) * sr));
    return s->lv;
}

/* expander threshold_db ratio attack release: above the threshold the
 * level is raised by (ratio - 1) dB per dB over (the peer's upward
 * expander), at most +40 dB */
static void expander(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_clampf(dsp_finite(io->x[0][f]), -1e3f, 1e3f);
        float thr = par(io->p[0], f, -60, 0), ratio = par(io->p[1], f, 1, 10);
        float e = env_follow(s, fabsf(x), par(io->p[2], f, 0.001f, 1), par(io->p[3], f, 0.01f, 3), io->sr);
        float over = e > 0 ? dsp_gain_to_db(e) - thr : -1;
        float boost = over > 0 ? dsp_minf(over * (ratio - 1.0f), 40.0f) : 0.0f;
        io->y[0][f] = x * dsp_db_to_gain(boost);
    }
}

/* sidechain_compressor sidechain threshold_db ratio attack release: the
 * input compressed by the level of the sidechain signal */
static void sidechain(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float sc = fabsf(dsp_clampf(dsp_finite(io->p[0][f]), -1e3f, 1e3f));
        float thr = par(io->p[1], f, -60, 0), ratio = par(io->p[2], f, 1, 20);
        float e = env_follow(s, sc, par(io->p[3], f, 0.001f, 1), par(io->p[4], f, 0.01f, 3), io->sr);
        float over = e > 0 ? dsp_gain_to_db(e) - thr : -1;
        float cut = over > 0 ? over * (1.0f - 1.0f / ratio) : 0.0f;
        io->y[0][f] = dsp_finite(io->x[0][f]) * dsp_db_to_gain(-cut);
    }
}

/* transient_shaper attack_db sustain_db: a fast and a slow follower; where
 * the fast one leads (an onset) the attack gain applies, else the sustain */
static void tshaper(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_clampf(dsp_finite(io->x[0][f]), -1e3f, 1e3f), ax = fabsf(x);
        s->lv = dsp_flush(s->lv + (ax - s->lv) * glide((ax > s->lv ? 0.0005f : 0.020f) * io->sr));
        s->ms = dsp_flush(s->ms + (ax - s->ms) * glide((ax > s->ms ? 0.015f : 0.080f) * io->sr));
        float t = dsp_clampf(dsp_maxf(s->lv - s->ms, 0) / (s->lv + 1e-6f), 0, 1);
        float att = dsp_db_to_gain(par(io->p[0], f, -40, 40)), sus = dsp_db_to_gain(par(io->p[1], f, -40, 40));
        io->y[0][f] = x * (sus * (1.0f - t) + att * t);
    }
}

/* curve start end duration curve: from start to end over duration s from
 * the program's start, shaped as SuperCollider's Env curves (0 linear,
 * negative fast then slow, positive slow then fast), then end */
static void curve(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float a = dsp_clampf(io->p[0][f], -1e6f, 1e6f), b = dsp_clampf(io->p[1][f], -1e6f, 1e6f);
        float dur = par(io->p[2], f, 0.001f, 3600), k = par(io->p[3], f, -50, 50);
        s->t += 1;
        float t = dsp_minf((float)(s->t / (double)(dur * io->sr)), 1.0f);
        float c = fabsf(k) < 0.001f ? t
                  : (dsp_exp2(k * t * 1.442695f) - 1.0f) / (dsp_exp2(k * 1.442695f) - 1.0f);
        io->y[0][f] = a + (b - a) * c;
    }
}

/* djf value: the DJ filter: below 0.5 a low-pass from 80 Hz (0) to 800 Hz,
 * above a high-pass from 800 Hz to 8 kHz (1), Q 1; crossfaded between 0.48
 * and 0.52 so sweeping through the middle does not click */
static void djf(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float v = par(io->p[0], f, 0, 1);
        float fc = v < 0.5f ? 80.0f + 2.0f * v * 720.0f : 800.0f + 2.0f * (v - 0.5f) * 7200.0f;
        struct dsp_svf_coef c = dsp_svf_coef(dsp_minf(fc, 0.4f * io->sr), 1.0f, io->sr);
        struct dsp_svf_out o = dsp_svf_tick(&s->z[0], &s->z[1], c, dsp_finite(io->x[0][f]));
        float h = dsp_clampf((v - 0.48f) * 25.0f, 0, 1);
        io->y[0][f] = o.lp * (1.0f - h) + o.hp * h;
    }
}

/* additive freq a1 .. a5: partials k = 1..5 of freq at amplitudes ak,
 * normalised by their sum; a partial at or above Nyquist is left out */
static void additive(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float fr = par(io->p[0], f, 20, 10000), y = 0, sum = 0;
        for (int k = 1; k <= 5; k++) {
            float a = par(io->p[k], f, 0, 1e3f);
            sum += a;
            y += (float)k * fr < 0.5f * io->sr ? a * dsp_sin2pi((float)k * s->ph) : 0.0f;
        }
        io->y[0][f] = sum > 0 ? y / sum : 0.0f;
        s->ph = dsp_wrap1(s->ph + fr / io->sr);
    }
}

/* tapedelay time feedback wow_rate wow_depth flutter_rate flutter_depth
 * saturation mix: a delay whose time wobbles (wow: depth ms, flutter:
 * depth / 10 ms), with tanh saturation and a low-pass in the loop */
static void tapedelay(struct more *s, const struct dsp_more_io *io)
{
    float k = glide(0.005f * io->sr), maxd = (float)s->mask - 4.0f;
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]);
        float wow = dsp_sin2pi(s->ph) * par(io->p[3], f, 0, 1) * 0.001f;
        float flutter = dsp_sin2pi(s->cnt) * par(io->p[5], f, 0, 1) * 0.0001f;
        s->ph = dsp_wrap1(s->ph + par(io->p[2], f, 0.1f, 2) / io->sr);
        s->cnt = dsp_wrap1(s->cnt + par(io->p[4], f, 5, 10) / io->sr);
        float target = dsp_clampf((par(io->p[0], f, 0.001f, 1) + wow + flutter) * io->sr - 1.0f, 1.0f, maxd);
        s->cur = s->cur > 0 ? s->cur + (target - s->cur) * k : target;
        float d = ring_read(s->line, s->mask, s->w, s->cur);
        float sat = par(io->p[6], f, 0, 1), drive = 1.0f + 3.0f * sat;
        float y = sat > 0.01f ? dsp_tanh(d * drive) / drive : d;
        float cc = 0.7f + 0.2f * sat;
        s->lv = dsp_flush(s->lv * cc + y * (1.0f - cc));
        s->w++;
        s->line[s->w & s->mask] = dsp_flush(dsp_clampf(x + s->lv * par(io->p[1], f, 0, 0.95f), -4.0f, 4.0f));
        float mix = par(io->p[7], f, 0, 1);
        io->y[0][f] = x * (1.0f - mix) + s->lv * mix;
    }
}

/* parametric_eq f1 g1 q1 f2 g2 q2 f3 g3 q3: three peaking bands (gain in
 * dB at each frequency, -24 .. 24, width q), in series */
static void peq(struct more *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float y = dsp_finite(io->x[0][f]);
        for (int b = 0; b < 3; b++) {
            float a = dsp_db_to_gain(0.5f * par(io->p[3 * b + 1], f, -24, 24));     /* sqrt of the gain */
            struct dsp_svf_coef c = dsp_svf_coef(par(io->p[3 * b], f, 10, 30000), par(io->p[3 * b + 2], f, 0.1f, 20) * a,
                                                 io->sr);
            y += (a * a - 1.0f) * dsp_svf_tick(&s->z[2 * b], &s->z[2 * b + 1], c, y).bp;
        }
        io->y[0][f] = y;
    }
}

/* supersaw freq detune voices: voices (2..7) band-limited saws spread
 * evenly over freq * (1 +- detune / 10), started at phases 0.13 apart,
 * summed at 0.7 / voices (SuperDirt's supersaw as an oscillator) */
static void supersaw(struct more *s, const struct dsp_more_io *io)
{
    if (s->prev == 0) {
        for (int i = 0; i < 7; i++)
            s->z[i] = dsp_wrap1(0.13f * (float)i);
        s->prev = 1;
    }
    for (int f = 0; f < io->n; f++) {
        int v = (int)dsp_roundf(par(io->p[2], f, 2, 7));
        float fr = par(io->p[0], f, 0, 1e6f), det = par(io->p[1], f, 0, 1), y = 0;
        for (int i = 0; i < v; i++) {
            float off = 2.0f * ((float)i / (float)(v - 1) - 0.5f);
            y += dsp_saw_tick(&s->z[i], dsp_inc_bound(fr * (1.0f + 0.1f * off * det) / io->sr));
        }
        io->y[0][f] = y * 0.7f / (float)v;
    }
}

typedef void (*more_fn)(struct more *, const struct dsp_more_io *);

static const more_fn fns[DSP_MORE_COUNT] = {
    [DSP_MORE_TREMOLO] = tremolo, [DSP_MORE_VIBRATO] = vibrato, [DSP_MORE_FLANGER] = flanger,
    [DSP_MORE_PHASER] = phaser, [DSP_MORE_COMB] = comb, [DSP_MORE_ALLPASS] = allpass, [DSP_MORE_RING] = ring,
    [DSP_MORE_LAG] = lag, [DSP_MORE_LATCH] = latch, [DSP_MORE_SCHMIDT] = schmidt, [DSP_MORE_WRAP] = wrap,
    [DSP_MORE_DECIMATOR] = decimator, [DSP_MORE_ENV] = env, [DSP_MORE_FOLLOW] = follow,
    [DSP_MORE_IMPULSE] = impulse, [DSP_MORE_BLIP] = blip, [DSP_MORE_XLINE] = xline, [DSP_MORE_ASR] = asr,
    [DSP_MORE_VCO] = vco, [DSP_MORE_PM] = pm, [DSP_MORE_XFADE] = xfade, [DSP_MORE_IF] = ifop,
    [DSP_MORE_PINGPONG] = pingpong, [DSP_MORE_PAN2] = pan2, [DSP_MORE_WIDENER] = widener,
    [DSP_MORE_FORMANT] = formant, [DSP_MORE_PLUCK] = pluck, [DSP_MORE_MULTITAP] = multitap,
    [DSP_MORE_LIMITER] = limiter, [DSP_MORE_REVERB_ST] = reverb_st,
    [DSP_MORE_PHASOR] = phasor, [DSP_MORE_RMS] = rms, [DSP_MORE_PEAK] = peak, [DSP_MORE_FMCROSS] = fmcross,
    [DSP_MORE_EXPANDER] = expander, [DSP_MORE_SIDECHAIN] = sidechain, [DSP_MORE_TSHAPER] = tshaper,
    [DSP_MORE_CURVE] = curve, [DSP_MORE_DJF] = djf, [DSP_MORE_ADDITIVE] = additive,
    [DSP_MORE_TAPEDELAY] = tapedelay, [DSP_MORE_PEQ] = peq, [DSP_MORE_SUPERSAW] = supersaw,
};

void dsp_more_process(int op, void *state, const struct dsp_more_io *io)
{
    if (op >= DSP_PEER_FIRST && op < DSP_MORE_COUNT) {
        dsp_peer_process(op, state, io);
        return;
    }
    if (op < 0 || op >= DSP_MORE_COUNT || !fns[op]) {
        memset(io->y[0], 0, sizeof(float) * (size_t)io->n);
        return;
    }
    fns[op](state, io);
}
