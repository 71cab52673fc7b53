/* dsp_reverb.c -- the two reverbs: a Freeverb-style room and a Dattorro
 * plate.
 *
 * DESIGN
 *
 * reverb: Jezar's Freeverb topology, which is public domain and has been
 * the "reverb" of SuperDirt-era live coding: per channel eight parallel
 * lowpass-feedback comb filters (mutually prime lengths around 25-37 ms)
 * build the dense decaying tail, four series Schroeder allpasses (feedback
 * 0.5) diffuse it; the right channel's lines are 23 samples longer, which
 * decorrelates the two channels. Delay lengths are the published 44.1 kHz
 * values scaled to the sample rate, so the sound is the same at 48 or 96
 * kHz. room_size sets the comb feedback, damping the low-pass in each comb
 * loop (higher damping = darker, shorter highs).
 *
 * plate: Jon Dattorro's 1997 plate ("Effect Design, Part 1"): the input is
 * predelayed, band-limited and run through four input diffusers, then
 * enters a "figure eight" tank: two branches, each a modulated allpass, a
 * delay, a damping low-pass, the decay gain, a second allpass and a second
 * delay, each branch feeding the other. The stereo output is a sum of seven
 * taps per channel taken inside the tank (the paper's table). Modulating
 * the first tank allpass of each branch (quadrature LFOs) smears the
 * resonances that a static tank would ring at.
 *
 * Both keep all lines in caller memory (dsp.h), flush their recursive
 * states, and read parameters per sample (they are cheap to map).
 */
#include "dsp.h"

#include <string.h>

/* ------------------------------------------------------------ reverb */

static const int comb_tuning[DSP_REVERB_COMBS] = { 1116, 1188, 1277, 1356, 1422, 1491, 1557, 1617 };
static const int ap_tuning[DSP_REVERB_ALLPASSES] = { 556, 441, 341, 225 };
enum { STEREO_SPREAD = 23 };

static uint32_t scaled(int len44, float sr)
{
    uint32_t l = (uint32_t)(len44 * sr / 44100.0f + 0.5f);
    return l < 1 ? 1 : l;
}

/* Walk the layout once: with s NULL it only counts floats. */
static size_t reverb_layout(struct dsp_reverb *s, float *mem, float sr)
{
    size_t used = 0;
    for (int ch = 0; ch < 2; ch++) {
        int spread = ch ? STEREO_SPREAD : 0;
        for (int i = 0; i < DSP_REVERB_COMBS + DSP_REVERB_ALLPASSES; i++) {
            int comb = i < DSP_REVERB_COMBS;
            uint32_t len = scaled((comb ? comb_tuning[i] : ap_tuning[i - DSP_REVERB_COMBS]) + spread, sr);
            if (s) {
                struct dsp_reverb_line *l = comb ? &s->comb[ch][i] : &s->ap[ch][i - DSP_REVERB_COMBS];
                l->buf = mem + used;
                l->len = len;
                l->pos = 0;
                l->store = 0.0f;
            }
            used += len;
        }
    }
    return used;
}

size_t dsp_reverb_size(float sr)
{
    return sizeof(float) * reverb_layout(NULL, NULL, sr);
}

void dsp_reverb_init(struct dsp_reverb *s, void *mem, float sr)
{
    memset(mem, 0, dsp_reverb_size(sr));
    dsp_reverb_init_zeroed(s, mem, sr);
}

void dsp_reverb_init_zeroed(struct dsp_reverb *s, void *mem, float sr)
{
    memset(s, 0, sizeof *s);
    reverb_layout(s, mem, sr);
}

static float comb_tick(struct dsp_reverb_line *c, float x, float feedback, float damp)
{
    float y = c->buf[c->pos];
    c->store = dsp_flush(y + damp * (c->store - y));    /* y (1 - damp) + store damp */
    c->buf[c->pos] = x + c->store * feedback;
    c->pos = c->pos + 1 == c->len ? 0 : c->pos + 1;
    return y;
}

static float allpass_tick(struct dsp_reverb_line *a, float x)
{
    float d = a->buf[a->pos];
    a->buf[a->pos] = dsp_flush(x + 0.5f * d);
    a->pos = a->pos + 1 == a->len ? 0 : a->pos + 1;
    return d - x;
}

void dsp_reverb_process(struct dsp_reverb *s, const float *inl, const float *inr,
                        float *outl, float *outr, const float *room_size,
                        const float *damping, const float *mix, int n)
{
    for (int i = 0; i < n; i++) {
        float l = dsp_finite(inl[i]), r = inr ? dsp_finite(inr[i]) : l;
        float x = (l + r) * 0.015f;                     /* Freeverb's fixed input gain */
        float fb = 0.7f + 0.28f * dsp_clampf(room_size[i], 0.0f, 1.0f);
        float damp = 0.4f * dsp_clampf(damping[i], 0.0f, 1.0f);
        float wet[2];
        for (int ch = 0; ch < 2; ch++) {
            float acc = 0.0f;
            for (int k = 0; k < DSP_REVERB_COMBS; k++)
                acc += comb_tick(&s->comb[ch][k], x, fb, damp);
            for (int k = 0; k < DSP_REVERB_ALLPASSES; k++)
                acc = allpass_tick(&s->ap[ch][k], acc);
            wet[ch] = 3.0f * acc;                       /* Freeverb's wet scale */
        }
        float m = dsp_clampf(mix[i], 0.0f, 1.0f);
        outl[i] = l + m * (wet[0] - l);
        outr[i] = r + m * (wet[1] - r);
    }
}

/* ------------------------------------------------------------- plate */

#define PLATE_SR 29761.0f
enum { PLATE_EXCURSION = 16, PLATE_MAX_PREDELAY_MS = 500 };

/* Paper lengths at 29761 Hz. */
static const int in_ap_len[4] = { 142, 107, 379, 277 };
static const int mod_ap_len[2] = { 672, 908 };
static const int d1_len[2] = { 4453, 4217 };
static const int ap2_len[2] = { 1800, 2656 };
static const int d2_len[2] = { 3720, 3163 };

/* Output taps (paper's table), at 29761 Hz: which line, offset, sign. */
enum { T_D1L, T_AP2L, T_D2L, T_D1R, T_AP2R, T_D2R };
struct tap { int line, at; float sign; };
static const struct tap taps[2][7] = {
    { { T_D1R, 266, 1 }, { T_D1R, 2974, 1 }, { T_AP2R, 1913, -1 }, { T_D2R, 1996, 1 },
      { T_D1L, 1990, -1 }, { T_AP2L, 187, -1 }, { T_D2L, 1066, -1 } },
    { { T_D1L, 353, 1 }, { T_D1L, 3627, 1 }, { T_AP2L, 1228, -1 }, { T_D2L, 2673, 1 },
      { T_D1R, 2111, -1 }, { T_AP2R, 335, -1 }, { T_D2R, 121, -1 } },
};

static size_t plate_line(struct dsp_plate_line *l, float *mem, size_t used, uint32_t len,
                         uint32_t extra)
{
    uint32_t size = dsp_pow2_at_least(len + extra + 2);
    if (l) {
        l->buf = mem + used;
        l->len = len;
        l->mask = size - 1;
        l->pos = 0;
    }
    return used + size;
}

static size_t plate_layout(struct dsp_plate *s, float *mem, float sr)
{
    float k = sr / PLATE_SR;
    uint32_t exc = (uint32_t)(PLATE_EXCURSION * k) + 2;
    size_t u = 0;
#define L(field) (s ? &s->field : NULL)
    u = plate_line(L(pre), mem, u, (uint32_t)(PLATE_MAX_PREDELAY_MS * 0.001f * sr), 0);
    for (int i = 0; i < 4; i++)
        u = plate_line(L(in_ap[i]), mem, u, (uint32_t)(in_ap_len[i] * k), 0);
    for (int b = 0; b < 2; b++) {
        u = plate_line(L(mod_ap[b]), mem, u, (uint32_t)(mod_ap_len[b] * k), exc);
        u = plate_line(L(d1[b]), mem, u, (uint32_t)(d1_len[b] * k), 0);
        u = plate_line(L(ap2[b]), mem, u, (uint32_t)(ap2_len[b] * k), 0);
        u = plate_line(L(d2[b]), mem, u, (uint32_t)(d2_len[b] * k), 0);
    }
#undef L
    return u;
}

size_t dsp_plate_size(float sr)
{
    return sizeof(float) * plate_layout(NULL, NULL, sr);
}

void dsp_plate_init(struct dsp_plate *s, void *mem, float sr)
{
    memset(mem, 0, dsp_plate_size(sr));
    dsp_plate_init_zeroed(s, mem, sr);
}

void dsp_plate_init_zeroed(struct dsp_plate *s, void *mem, float sr)
{
    memset(s, 0, sizeof *s);
    plate_layout(s, mem, sr);
    s->sr = sr;
    s->scale = sr / PLATE_SR;
}

/* The value written `back` samples ago (back >= 1), and a write. */
static float line_at(const struct dsp_plate_line *l, uint32_t back)
{
    return l->buf[(l->pos - back) & l->mask];
}
static void line_push(struct dsp_plate_line *l, float x)
{
    l->buf[l->pos & l->mask] = x;
    l->pos++;
}

/* Linear read at a fractional distance back (>= 1). */
static float line_frac(const struct dsp_plate_line *l, float back)
{
    float whole = dsp_floorf(back), f = back - whole;
    uint32_t b = (uint32_t)whole;
    float a = line_at(l, b), c = line_at(l, b + 1);
    return a + f * (c - a);
}

/* Schroeder allpass on a line: w = x + g w[-N], y = w[-N] - g w. Taps into
 * the line read w. */
static float plate_allpass(struct dsp_plate_line *l, float x, float g, float delayed)
{
    float w = dsp_flush(x + g * delayed);
    line_push(l, w);
    return delayed - g * w;
}

void dsp_plate_process(struct dsp_plate *s, const float *inl, const float *inr,
                       float *outl, float *outr, const float *predelay,
                       const float *decay, const float *diffusion, const float *damping,
                       const float *mod_depth, const float *mix, int n)
{
    const float k = s->scale, lfo_inc = 1.0f / s->sr;   /* 1 Hz */
    const float max_pre = (float)s->pre.len;
    for (int i = 0; i < n; i++) {
        float l = dsp_finite(inl[i]), r = inr ? dsp_finite(inr[i]) : l;
        float dec = dsp_clampf(decay[i], 0.0f, 0.99f);
        float dif = dsp_clampf(diffusion[i], 0.0f, 1.0f);
        float damp = 0.95f * dsp_clampf(damping[i], 0.0f, 1.0f);
        float exc = PLATE_EXCURSION * k * dsp_clampf(mod_depth[i], 0.0f, 1.0f);
        float dd2 = dsp_clampf(dec + 0.15f, 0.25f, 0.5f);   /* decay diffusion 2 */
        float id1 = dsp_minf(dif * (0.75f / 0.7f), 0.9f), id2 = dsp_minf(dif * (0.625f / 0.7f), 0.9f);

        /* predelay (0 = straight through), band limit, input diffusion */
        float x = 0.5f * (l + r);
        line_push(&s->pre, x);
        float pd = dsp_clampf(predelay[i] * s->sr, 0.0f, max_pre - 1.0f);
        x = pd < 1.0f ? x : line_frac(&s->pre, pd);
        s->bw = dsp_flush(s->bw + 0.9995f * (x - s->bw));
        x = s->bw;
        for (int a = 0; a < 4; a++) {
            float g = a < 2 ? id1 : id2;
            x = plate_allpass(&s->in_ap[a], x, g, line_at(&s->in_ap[a], s->in_ap[a].len));
        }

        /* tank: each branch takes the other's end from the previous sample */
        float end[2] = { dec * line_at(&s->d2[1], s->d2[1].len),
                         dec * line_at(&s->d2[0], s->d2[0].len) };
        for (int b = 0; b < 2; b++) {
            float mod = exc * dsp_sin2pi(s->lfo + 0.25f * b);
            float back = (float)s->mod_ap[b].len + mod;
            float t = plate_allpass(&s->mod_ap[b], x + end[b], -0.7f,
                                    line_frac(&s->mod_ap[b], back));
            line_push(&s->d1[b], t);
            float y = line_at(&s->d1[b], s->d1[b].len);
            s->damp[b] = dsp_flush(y + damp * (s->damp[b] - y));
            y = dec * s->damp[b];
            y = plate_allpass(&s->ap2[b], y, dd2, line_at(&s->ap2[b], s->ap2[b].len));
            line_push(&s->d2[b], y);
        }
        s->lfo = dsp_wrap1(s->lfo + lfo_inc);

        float wet[2];
        for (int ch = 0; ch < 2; ch++) {
            float acc = 0.0f;
            for (int t = 0; t < 7; t++) {
                const struct tap *tp = &taps[ch][t];
                const struct dsp_plate_line *ln =
                    tp->line == T_D1L ? &s->d1[0] : tp->line == T_AP2L ? &s->ap2[0]
                  : tp->line == T_D2L ? &s->d2[0] : tp->line == T_D1R ? &s->d1[1]
                  : tp->line == T_AP2R ? &s->ap2[1] : &s->d2[1];
                acc += tp->sign * line_at(ln, (uint32_t)(tp->at * k) + 1);
            }
            wet[ch] = 0.6f * acc;
        }
        float m = dsp_clampf(mix[i], 0.0f, 1.0f);
        outl[i] = l + m * (wet[0] - l);
        outr[i] = r + m * (wet[1] - r);
    }
}
