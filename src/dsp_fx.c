/* dsp_fx.c -- bus effects: delay, chorus, distortion, bitcrusher,
 * compressor, look-ahead limiter and the master stage.
 *
 * DESIGN
 *
 * These run on buses (one instance per channel, or one linked stereo
 * instance), not on voices, so they are plain sequential loops over the
 * block rather than lane kernels; they still use the polynomial helpers of
 * dsp.h instead of libm in the per-sample path, which keeps them fast and
 * their output identical whatever libm the machine has.
 *
 * Memory is the caller's (see dsp.h): _size() tells how many bytes, _init()
 * carves the lines out of them and zeroes everything. Delay lines are
 * power-of-two rings indexed with a mask.
 *
 * Safety rules every effect follows: input samples pass through
 * dsp_finite() before they touch state; feedback paths are clamped so that
 * no parameter sequence can make them grow without bound; recursive states
 * go through dsp_flush() so silence decays to exact zeros instead of
 * denormals.
 */
#include "dsp.h"

#include <math.h>
#include <string.h>

/* Time constant in seconds -> one-pole coefficient per sample (libm is fine
 * here: called at init or once per block, never per sample). */
static float onepole_coef(float seconds, float sr)
{
    return 1.0f - expf(-1.0f / (seconds * sr));
}

/* Hermite read of a ring at a fractional delay (>= 2 samples, in samples)
 * behind write index w. The whole and fractional parts are split before
 * they meet w, which grows without bound: float positions would lose
 * precision after 2^24 frames. */
static float ring_read(const float *line, uint32_t mask, uint32_t w, float delay)
{
    float whole = dsp_floorf(delay), fr = delay - whole;
    uint32_t i = w - (uint32_t)whole;           /* exactly delay = whole */
    float f = fr > 0.0f ? 1.0f - fr : 0.0f;     /* else between i-1 and i */
    i = fr > 0.0f ? i - 1 : i;
    float xm1 = line[(i - 1) & mask], x0 = line[i & mask];
    float x1 = line[(i + 1) & mask], x2 = line[(i + 2) & mask];
    float c1 = 0.5f * (x1 - xm1);
    float c2 = xm1 - 2.5f * x0 + 2.0f * x1 - 0.5f * x2;
    float c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
    return ((c3 * f + c2) * f + c1) * f + x0;
}

/* ------------------------------------------------------------------ delay */

static uint32_t delay_ring_len(float max_time, float sr)
{
    float m = dsp_clampf(max_time, 0.001f, 60.0f) * sr;
    return dsp_pow2_at_least((uint32_t)m + 8);
}

size_t dsp_delay_size(float max_time, float sr)
{
    return sizeof(float) * delay_ring_len(max_time, sr);
}

void dsp_delay_init(struct dsp_delay *s, void *mem, float max_time, float sr)
{
    memset(mem, 0, dsp_delay_size(max_time, sr));
    dsp_delay_init_zeroed(s, mem, max_time, sr);
}

void dsp_delay_init_zeroed(struct dsp_delay *s, void *mem, float max_time, float sr)
{
    uint32_t len = delay_ring_len(max_time, sr);
    memset(s, 0, sizeof *s);
    s->line = mem;
    s->mask = len - 1;
    s->sr = sr;
    s->max_samples = dsp_clampf(max_time, 0.001f, 60.0f) * sr;
    s->cur = -1.0f;                             /* first block jumps to its time */
}

void dsp_delay_process(struct dsp_delay *s, const float *in, float *out,
                       const float *time, const float *feedback, const float *mix, int n)
{
    const float glide = onepole_coef(0.05f, s->sr);
    const float dc_r = 1.0f - DSP_TWO_PI * 5.0f / s->sr;
    float cur = s->cur, dcx = s->dc_x, dcy = s->dc_y;
    uint32_t w = s->w, mask = s->mask;
    float *line = s->line;
    for (int i = 0; i < n; i++) {
        float x = dsp_finite(in[i]);
        float target = dsp_clampf(time[i] * s->sr, 2.0f, s->max_samples);
        cur = cur < 0.0f ? target : cur + glide * (target - cur);
        float y = ring_read(line, mask, w, cur);
        /* feedback path: gain, DC blocker, clamp */
        float fb = y * dsp_clampf(feedback[i], -0.99f, 0.99f);
        dcy = dsp_flush(fb - dcx + dc_r * dcy);
        dcx = fb;
        line[w & mask] = dsp_clampf(x + dcy, -4.0f, 4.0f);
        w++;
        float m = dsp_clampf(mix[i], 0.0f, 1.0f);
        out[i] = x + m * (y - x);
    }
    s->cur = cur; s->dc_x = dcx; s->dc_y = dcy; s->w = w;
}

/* ----------------------------------------------------------------- chorus */

enum { CHORUS_MAX_MS = 24 };

size_t dsp_chorus_size(float sr)
{
    return sizeof(float) * dsp_pow2_at_least((uint32_t)(CHORUS_MAX_MS * 0.001f * sr) + 8);
}

void dsp_chorus_init(struct dsp_chorus *s, void *mem, float phase, float sr)
{
    memset(mem, 0, dsp_chorus_size(sr));
    dsp_chorus_init_zeroed(s, mem, phase, sr);
}

void dsp_chorus_init_zeroed(struct dsp_chorus *s, void *mem, float phase, float sr)
{
    size_t bytes = dsp_chorus_size(sr);
    memset(s, 0, sizeof *s);
    s->line = mem;
    s->mask = (uint32_t)(bytes / sizeof(float)) - 1;
    s->sr = sr;
    s->lfo = dsp_wrap1(phase);
}

void dsp_chorus_process(struct dsp_chorus *s, const float *in, float *out,
                        const float *rate, const float *depth, const float *mix, int n)
{
    const float centre = 0.012f * s->sr, sweep = 0.008f * s->sr;
    float lfo = s->lfo;
    uint32_t w = s->w;
    for (int i = 0; i < n; i++) {
        float x = dsp_finite(in[i]);
        s->line[w & s->mask] = x;
        float d = centre + sweep * dsp_clampf(depth[i], 0.0f, 1.0f) * dsp_sin2pi(lfo);
        float y = ring_read(s->line, s->mask, w, d);
        w++;
        lfo = dsp_wrap1(lfo + dsp_clampf(rate[i], 0.01f, 20.0f) / s->sr);
        float m = dsp_clampf(mix[i], 0.0f, 1.0f);
        out[i] = x + m * (y - x);
    }
    s->lfo = lfo;
    s->w = w;
}

/* ---------------------------------------------------- distort, bitcrush */

void dsp_distort_process(const float *in, float *out, const float *drive,
                         const float *mix, int n)
{
    for (int i = 0; i < n; i++) {
        float x = dsp_finite(in[i]);
        float d = dsp_clampf(drive[i], 1.0f, 100.0f);
        float wet = dsp_tanh(d * x) / dsp_tanh(d);
        float m = dsp_clampf(mix[i], 0.0f, 1.0f);
        out[i] = x + m * (wet - x);
    }
}

void dsp_bitcrush_init(struct dsp_bitcrush *s)
{
    s->held = 0.0f;
    s->phase = 1.0f;                            /* take the first sample */
}

void dsp_bitcrush_process(struct dsp_bitcrush *s, const float *in, float *out,
                          const float *bits, const float *downsample, int n)
{
    float held = s->held, ph = s->phase;
    for (int i = 0; i < n; i++) {
        float x = dsp_finite(in[i]);
        /* sample and hold: a new sample each time the phase passes 1 */
        float take = ph >= 1.0f ? 1.0f : 0.0f;
        held = take > 0.0f ? x : held;
        ph = ph - take + 1.0f / dsp_clampf(downsample[i], 1.0f, 64.0f);
        float steps = dsp_exp2(dsp_clampf(bits[i], 1.0f, 24.0f) - 1.0f);
        out[i] = dsp_roundf(dsp_clampf(held, -1.0f, 1.0f) * steps) / steps;
    }
    s->held = held;
    s->phase = ph;
}

/* ------------------------------------------------------------- compressor */

void dsp_compress_init(struct dsp_compress *s, float sr)
{
    s->sr = sr;
    s->gr = 0.0f;
}

/* Static curve: gain reduction in dB for a level in dB (soft knee of width
 * KNEE centred on the threshold: the quadratic joins both straight parts
 * with matching slopes). */
#define KNEE 6.0f
static float compress_curve(float level, float thr, float ratio)
{
    float over = level - thr;
    float slope = 1.0f - 1.0f / ratio;
    float hard = over * slope;
    float k = over + 0.5f * KNEE;
    float soft = slope * k * k / (2.0f * KNEE);
    float gr = over <= -0.5f * KNEE ? 0.0f : over >= 0.5f * KNEE ? hard : soft;
    return gr;
}

void dsp_compress_process(struct dsp_compress *s, const float *inl, const float *inr,
                          float *outl, float *outr, const float *threshold_db,
                          const float *ratio, const float *attack, const float *release,
                          const float *makeup_db, int n)
{
    float gr = s->gr, sr = s->sr;
    for (int i = 0; i < n; i++) {
        float l = dsp_finite(inl[i]), r = inr ? dsp_finite(inr[i]) : 0.0f;
        float peak = dsp_maxf(fabsf(l), fabsf(r));
        float want = compress_curve(dsp_gain_to_db(peak),
                                    dsp_clampf(threshold_db[i], -60.0f, 0.0f),
                                    dsp_clampf(ratio[i], 1.0f, 50.0f));
        /* per-sample coefficients: 1 - exp(-1/(t sr)) via exp2 */
        float ta = dsp_clampf(attack[i], 0.0001f, 1.0f), tr = dsp_clampf(release[i], 0.001f, 5.0f);
        float ca = 1.0f - dsp_exp2(-1.44269504f / (ta * sr));
        float cr = 1.0f - dsp_exp2(-1.44269504f / (tr * sr));
        float c = want > gr ? ca : cr;
        gr = dsp_flush(gr + c * (want - gr));
        float g = dsp_db_to_gain(dsp_clampf(makeup_db[i], 0.0f, 40.0f) - gr);
        outl[i] = l * g;
        if (outr)
            outr[i] = r * g;
    }
    s->gr = gr;
}

/* ---------------------------------------------------------------- limiter */

static uint32_t limit_len(float sr)
{
    uint32_t l = (uint32_t)(0.0015f * sr + 0.5f);
    return l < 1 ? 1 : l > DSP_LIMIT_MAX_LOOKAHEAD ? DSP_LIMIT_MAX_LOOKAHEAD : l;
}

size_t dsp_limit_size(float sr)
{
    return sizeof(float) * 4 * limit_len(sr);
}

void dsp_limit_init(struct dsp_limit *s, void *mem, float sr)
{
    uint32_t len = limit_len(sr);
    float *f = mem;
    memset(s, 0, sizeof *s);
    s->len = len;
    s->dl = f;
    s->dr = f + len;
    s->req = f + 2 * len;
    s->gmin = f + 3 * len;
    memset(f, 0, sizeof(float) * 4 * len);
    for (uint32_t i = 0; i < len; i++)
        s->req[i] = s->gmin[i] = 1.0f;
    s->sr = sr;
    s->g = 1.0f;
}

int dsp_limit_latency(const struct dsp_limit *s)
{
    return (int)s->len - 1;
}

/* Two stages over rings of len: (1) the released minimum of the required
 * gains of the last len samples, (2) the average of the last len values of
 * (1). The sample leaving the delay line (len - 1 frames old) lies in the
 * window of every one of the len minima averaged, so the average is at
 * most its required gain: no overshoot by construction (the clamp catches
 * float rounding). */
void dsp_limit_process(struct dsp_limit *s, const float *inl, const float *inr,
                       float *outl, float *outr, const float *ceiling_db, int n)
{
    const uint32_t len = s->len;
    const float rel = onepole_coef(0.1f, s->sr), inv_len = 1.0f / (float)len;
    float g = s->g;
    uint32_t w = s->w;
    for (int i = 0; i < n; i++) {
        float l = dsp_finite(inl[i]), r = inr ? dsp_finite(inr[i]) : 0.0f;
        float ceil = dsp_db_to_gain(dsp_clampf(ceiling_db[i], -40.0f, 0.0f));
        float peak = dsp_maxf(fabsf(l), fabsf(r));
        s->req[w] = peak > ceil ? ceil / peak : 1.0f;
        float m = 1.0f;
        for (uint32_t k = 0; k < len; k++)
            m = dsp_minf(m, s->req[k]);
        g = m < g ? m : g + rel * (m - g);      /* instant down, slow up */
        s->gmin[w] = g;
        float avg = 0.0f;
        for (uint32_t k = 0; k < len; k++)
            avg += s->gmin[k];
        avg *= inv_len;
        s->dl[w] = l;
        s->dr[w] = r;
        w = w + 1 == len ? 0 : w + 1;
        float dl = s->dl[w], dr = s->dr[w];     /* len - 1 frames old */
        outl[i] = dsp_clampf(dl * avg, -ceil, ceil);
        if (outr)
            outr[i] = dsp_clampf(dr * avg, -ceil, ceil);
    }
    s->g = g;
    s->w = w;
}

/* ----------------------------------------------------------------- master */

/* Two 5 Hz first-order DC stages around the soft clipper:
 *  - before it, x - m with m a one-pole average of the input (the classic
 *    DC blocker (1 - z^-1) / (1 - r z^-1)), which takes a large offset
 *    away before it reaches the clipper;
 *  - around it, a servo: out = clip(x - m - d) and d integrates the output,
 *    so the output's mean is zero even where the clipper bends an
 *    asymmetric signal (which a blocker before the clipper cannot see).
 *    Below the knee the servo is the same linear 5 Hz blocker, and the
 *    output stays inside the clipper's (-1, 1);
 *  - after it, while it bends and for a second after: out = (o - c) /
 *    (1 + |c|), with c integrating out: a second servo, outside the
 *    clipper. The first one settles slowly where the clipper is driven
 *    hard (its loop gain is its step times the clipper's slope, near 0
 *    most of the time: a rectified sine 40 dB over full scale kept 0.094
 *    of full scale of DC after 3 s, a stack of loud saws up to 0.005);
 *    this one's loop gain does not depend on the clipper, and an
 *    integrator leaves no DC once settled (below 0.001 within a second).
 *    The division keeps out inside [-1, 1] (|o| <= 1). The stage starts,
 *    at c = 0, when the clipper bends a quarter of the time and the output
 *    carries DC (MASTER_BENT); once the clipper has not bent for 0.1 s, c
 *    hands itself over to d (c + d, and so the output, unchanged) and a
 *    second after it last bent the stage is left, c about 1e-12 of what it
 *    was. A program that does not keep the clipper bending never meets
 *    the stage: its output is the two blockers' to the bit (every file in
 *    patterns/ but bench/q*.ph, stacks clipped 40 to 90 % of the time).
 * The struct's fields (dsp.h): r the pole, x1 holds m, y1 holds d, c and
 * hold the third stage. */
void dsp_master_init(struct dsp_master *s, float sr)
{
    s->r = 1.0f - DSP_TWO_PI * 5.0f / sr;
    s->x1 = s->y1 = 0.0f;
    s->c = s->e = s->bent = 0.0f;
    s->hold = 0;
    s->hold_len = (int32_t)sr;
    s->worst = 1.0f;
}

/* The stage after the clipper starts when the clipper bends a quarter of
 * the time or more (a clipped stack, not the peaks of a kick drum: every
 * file in patterns/ but the bench's clipped stacks stays below 0.01) and
 * the output's 0.5 Hz average is beyond 0.001. */
#define MASTER_BENT 0.25f
#define MASTER_DC 0.001f

/* One sample of the clipper (o: its input) and, when it has started (see
 * MASTER_BENT: e and bent are the averages), the stage after it; *d gets
 * the servo's next integral, *red is multiplied by the clipper's gain
 * reduction (a ratio). Returns the output. */
static float master_bend(struct dsp_master *s, float o, float *d, float k, float e, float bent, float *red)
{
    if (fabsf(o) > 0.7f) {
        float a = fabsf(o);
        o = dsp_clampf(dsp_soft_clip(o), -1.0f, 1.0f);
        *red *= a / fabsf(o);
        if (s->hold || (bent > MASTER_BENT && fabsf(e) > MASTER_DC))
            s->hold = s->hold_len;
    }
    if (!s->hold) {
        *d = dsp_flush(*d + k * o);
        return o;
    }
    float c = s->c, out = (o - c) / (1.0f + fabsf(c));
    *d = dsp_flush(*d + k * out);
    c = dsp_flush(c + k * out);
    if (s->hold < s->hold_len - s->hold_len / 10) {
        float t = k * c;                    /* not bent for 0.1 s: c moves into d */
        c -= t;
        *d += t;
    }
    if (--s->hold <= 0) {                   /* a second since it last bent: left */
        s->hold = 0;
        *d += c;
        c = 0.0f;
    }
    s->c = c;
    return out;
}

int dsp_master_process(struct dsp_master *s, const float *in, float *out, int n)
{
    float m = s->x1, d = s->y1, k = 1.0f - s->r, ke = 0.1f * k, e = s->e, bent = s->bent;
    int limited = 0;
    for (int i = 0; i < n; i++) {
        float xi = dsp_finite(in[i]), x = dsp_clampf(xi, -64.0f, 64.0f);
        float y = x - m;
        m = dsp_flush(m + k * y);
        /* below the knee the clipper passes its input unchanged: a branch
         * (not a select), so that the servo's next sample does not wait
         * on the clipper's arithmetic while the music stays below it */
        float o = y - d, b = fabsf(o) > 0.7f ? 1.0f : 0.0f;
        if (__builtin_expect(b > 0.0f || s->hold || x != xi, 0)) {
            /* the gain reduction: the input clamp's, then the clipper's */
            float red = x != xi ? fabsf(xi) * (1.0f / 64.0f) : 1.0f;
            if (b > 0.0f || s->hold)
                o = master_bend(s, o, &d, k, e, bent, &red);
            else
                d = dsp_flush(d + k * o);
            limited += red > DSP_MASTER_LIMITED;
            s->worst = red > s->worst ? red : s->worst;
        } else {
            d = dsp_flush(d + k * o);
        }
        e = e + ke * (o - e);
        bent = bent + ke * (b - bent);
        out[i] = o;
    }
    s->x1 = m;
    s->y1 = d;
    s->e = dsp_flush(e);
    s->bent = dsp_flush(bent);
    return limited;
}
