/* dsp_wavconv.c -- issue 13: wavetable (one cycle of a sample) and convolve
 * (an impulse response from a sample), with the phonon family's meaning
 * (ekg/phonon: a wavetable oscillator whose default table is a sine, a
 * convolver whose default IR is a small room) and our code. The design and
 * the contracts are in dsp_wavconv.h.
 */
#include "dsp_wavconv.h"
#include "dsp.h"
#include "phonon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void dsp_fft(float *re, float *im, uint32_t n, const float *tc, const float *ts, uint32_t tn, int inverse)
{
    for (uint32_t i = 1, j = 0; i < n; i++) {
        uint32_t bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            float tr = re[i], ti = im[i];
            re[i] = re[j], im[i] = im[j];
            re[j] = tr, im[j] = ti;
        }
    }
    for (uint32_t len = 2; len <= n; len <<= 1)
        for (uint32_t i = 0; i < n; i += len)
            for (uint32_t k = 0; k < len / 2; k++) {
                uint32_t u = i + k, v = u + len / 2, t = k * (tn / len);
                float wr = tc[t], wi = inverse ? ts[t] : -ts[t];
                float xr = re[v] * wr - im[v] * wi, xi = re[v] * wi + im[v] * wr;
                re[v] = re[u] - xr, im[v] = im[u] - xi;
                re[u] += xr, im[u] += xi;
            }
}

static void twiddles(float *tc, float *ts, uint32_t tn)
{
    for (uint32_t k = 0; k < tn / 2; k++) {
        tc[k] = (float)cos(2 * M_PI * k / tn);
        ts[k] = (float)sin(2 * M_PI * k / tn);
    }
}

/* ---- wavetable ------------------------------------------------------------------ */

/* The cycle's harmonics 1 .. k_max as bins of a WT_N-point inverse FFT:
 * X_k / len (the DFT of the mono cycle), so that the inverse gives the
 * cycle again at WT_N points. The DFT is direct, in double, its angles
 * exact (an index into one table of len cosines). */
static int cycle_bins(const float *cycle, long len, int channels, double *br, double *bi, int k_max)
{
    double *cs = malloc(sizeof *cs * (size_t)len * 2), *x = malloc(sizeof *x * (size_t)len);
    if (!cs || !x) {
        free(cs);
        free(x);
        return -1;
    }
    for (long i = 0; i < len; i++) {
        cs[2 * i] = cos(2 * M_PI * (double)i / (double)len);
        cs[2 * i + 1] = sin(2 * M_PI * (double)i / (double)len);
        double s = 0;
        for (int c = 0; c < channels; c++)
            s += (double)dsp_finite(cycle[i * channels + c]);
        x[i] = s / channels;
    }
    for (int k = 1; k <= k_max; k++) {
        double re = 0, im = 0;
        for (long i = 0, at = 0; i < len; i++, at = at + k >= len ? at + k - len : at + k) {
            re += x[i] * cs[2 * at];
            im -= x[i] * cs[2 * at + 1];
        }
        br[k] = re / (double)len;
        bi[k] = im / (double)len;
    }
    free(cs);
    free(x);
    return 0;
}

int dsp_wavetable_build(struct dsp_wavetable *w, const float *cycle, long len, int channels)
{
    double *br = calloc(WT_HARM + 1, sizeof *br), *bi = calloc(WT_HARM + 1, sizeof *bi);
    float *re = malloc(sizeof *re * WT_N * 4), *im = re ? re + WT_N : NULL;
    int rc = -1;
    if (!br || !bi || !re)
        goto out;
    float *tc = re + 2 * WT_N, *ts = re + 3 * WT_N;
    twiddles(tc, ts, WT_N);
    long k_max = WT_HARM;
    if (!cycle) {
        bi[1] = -0.5;                           /* sin 2 pi t: the built-in table */
        k_max = 1;
    } else {
        k_max = (len - 1) / 2 < WT_HARM ? (len - 1) / 2 : WT_HARM;
        if (cycle_bins(cycle, len, channels, br, bi, (int)k_max))
            goto out;
    }
    for (int m = 0; m < WT_LEVELS; m++) {
        long top = WT_HARM >> m;
        memset(re, 0, sizeof *re * WT_N * 2);
        for (long k = 1; k <= top && k <= k_max; k++) {
            re[k] = (float)br[k], im[k] = (float)bi[k];
            re[WT_N - k] = (float)br[k], im[WT_N - k] = (float)-bi[k];
        }
        dsp_fft(re, im, WT_N, tc, ts, WT_N, 1);
        float *t = w->t[m];
        for (int i = 0; i < WT_N; i++)
            t[i + 1] = re[i];
        t[0] = re[WT_N - 1];
        for (int g = 1; g < WT_GUARD; g++)
            t[WT_N + g] = re[g - 1];
    }
    rc = 0;
out:
    free(br);
    free(bi);
    free(re);
    return rc;
}

/* Catmull-Rom between points i and i + 1 of level t (point i at t[i + 1]). */
static float wt_read(const float *t, int i, float fr)
{
    float p0 = t[i], p1 = t[i + 1], p2 = t[i + 2], p3 = t[i + 3];
    return p1 + 0.5f * fr * (p2 - p0 + fr * (2.0f * p0 - 5.0f * p1 + 4.0f * p2 - p3 + fr * (3.0f * (p1 - p2) + p3 - p0)));
}

/* The level pair for |f| Hz: x = log2(2048 |f| / sr) puts level x + 1's
 * top harmonic ((1024 >> (x + 1)) |f|) at a quarter of the rate; levels
 * floor(x) + 1 and floor(x) + 2, crossfaded by the fraction of x, both
 * stay below Nyquist. Below x = -1 the richest level alone. */
static int wt_level(float af, float sr, float *frac)
{
    float x = dsp_log2(af * 2048.0f / sr);
    if (x < -1.0f) {
        *frac = 0;
        return 0;
    }
    x = x < 20.0f ? x : 20.0f;
    float fl = floorf(x);
    *frac = x - fl;
    int b = (int)fl + 1;
    return b < WT_LEVELS - 1 ? b : WT_LEVELS - 1;
}

void dsp_wavetable_process(const struct dsp_wavetable *w, float *ph, const float *freq, float *y, int n, float sr)
{
    float p = dsp_finite(*ph);
    p = p - floorf(p);
    for (int i = 0; i < n; i++) {
        float f = dsp_clampf(dsp_finite(freq[i]), -sr, sr), t;
        int b = wt_level(fabsf(f), sr, &t);
        float pos = p * (float)WT_N;
        int k = (int)pos;
        k = k < WT_N ? k : WT_N - 1;
        float fr = pos - (float)k;
        float out = wt_read(w->t[b], k, fr);
        if (b + 1 < WT_LEVELS)
            out += t * (wt_read(w->t[b + 1], k, fr) - out);
        y[i] = out;
        p += f / sr;
        p -= floorf(p);
    }
    *ph = p;
}

/* ---- convolve ------------------------------------------------------------------- */

struct dsp_conv {
    int pos;                    /* frames into the partition, 0 .. CV_P - 1 */
    int slot;                   /* the delay line's newest spectrum */
    int started;                /* mix has its first value */
    float mix;                  /* smoothed */
    float in[CV_N];             /* the last partition's input, then this one's */
    float tail[CV_P];           /* the later partitions' output over this partition */
    float re[CV_N], im[CV_N];   /* FFT work */
    /* then parts x CV_BINS re and parts x CV_BINS im: the input's spectra */
};

/* Tap i of the built-in IR: the phonon family's room (the direct sound at
 * 1, six reflections between 21 and 156 ms, a tail 0.05 e^{-3t} added). */
static float builtin_tap(long i, float sr)
{
    static const float refl[][2] = { { 0.021f, 0.6f }, { 0.043f, 0.4f }, { 0.067f, 0.3f },
                                     { 0.089f, 0.2f }, { 0.121f, 0.15f }, { 0.156f, 0.1f } };
    if (i == 0)
        return 1.0f;
    float v = 0;
    for (size_t r = 0; r < sizeof refl / sizeof *refl; r++)
        if (i == (long)(refl[r][0] * sr))
            v = refl[r][1];
    return v + 0.05f * expf(-3.0f * (float)i / sr);
}

long dsp_conv_builtin_len(float sr)
{
    return (long)(sr * 0.5f);
}

static long conv_parts(long len)
{
    return len > CV_P ? (len - 1) / CV_P : 0;
}

size_t dsp_conv_ir_mem(long len)
{
    return (size_t)conv_parts(len) * CV_BINS * 4 * sizeof(float);
}

static float ir_tap(const float *ir, long len, int channels, int ch, long i, float sr)
{
    if (i >= len)
        return 0;
    return ir ? dsp_finite(ir[i * channels + (ch < channels ? ch : 0)]) : builtin_tap(i, sr);
}

void dsp_conv_ir_build(struct dsp_conv_ir *h, const float *ir, long len, int channels, float sr, void *mem)
{
    if (!ir)
        len = dsp_conv_builtin_len(sr), channels = 1;
    memset(h, 0, sizeof *h);
    h->len = (int)len;
    h->channels = channels;
    h->parts = (int)conv_parts(len);
    twiddles(h->tc, h->ts, CV_N);
    float *m = mem, re[CV_N], im[CV_N];
    for (int ch = 0; ch < channels; ch++) {
        for (long i = 0; i < CV_P; i++)
            h->head[ch][CV_P - 1 - i] = ir_tap(ir, len, channels, ch, i, sr);
        h->re[ch] = m + (size_t)(2 * ch) * (size_t)h->parts * CV_BINS;
        h->im[ch] = h->re[ch] + (size_t)h->parts * CV_BINS;
        for (int j = 0; j < h->parts; j++) {
            for (long i = 0; i < CV_N; i++) {
                re[i] = i < CV_P ? ir_tap(ir, len, channels, ch, (long)(j + 1) * CV_P + i, sr) : 0.0f;
                im[i] = 0;
            }
            dsp_fft(re, im, CV_N, h->tc, h->ts, CV_N, 0);
            for (int k = 0; k < CV_BINS; k++) {
                h->re[ch][j * CV_BINS + k] = re[k] * (1.0f / CV_N);
                h->im[ch][j * CV_BINS + k] = im[k] * (1.0f / CV_N);
            }
        }
    }
}

size_t dsp_conv_size(const struct dsp_conv_ir *h)
{
    return phonon_round64(sizeof(struct dsp_conv)) + phonon_round64((size_t)h->parts * CV_BINS * 2 * sizeof(float));
}

/* A partition is complete: its spectrum (with the one before: overlap-save)
 * into the delay line, the later partitions' sum over the next one into
 * tail, the input moved down. */
static void conv_block(const struct dsp_conv_ir *h, int hc, struct dsp_conv *s)
{
    int parts = h->parts;
    if (parts) {
        float *dre = (float *)((unsigned char *)s + phonon_round64(sizeof *s)), *dim = dre + (size_t)parts * CV_BINS;
        memcpy(s->re, s->in, sizeof s->re);
        memset(s->im, 0, sizeof s->im);
        dsp_fft(s->re, s->im, CV_N, h->tc, h->ts, CV_N, 0);
        s->slot = s->slot + 1 < parts ? s->slot + 1 : 0;
        memcpy(dre + (size_t)s->slot * CV_BINS, s->re, sizeof(float) * CV_BINS);
        memcpy(dim + (size_t)s->slot * CV_BINS, s->im, sizeof(float) * CV_BINS);
        memset(s->re, 0, sizeof s->re);
        memset(s->im, 0, sizeof s->im);
        for (int j = 0, at = s->slot; j < parts; j++, at = at ? at - 1 : parts - 1) {
            const float *xr = dre + (size_t)at * CV_BINS, *xi = dim + (size_t)at * CV_BINS;
            const float *hr = h->re[hc] + (size_t)j * CV_BINS, *hi = h->im[hc] + (size_t)j * CV_BINS;
            for (int k = 0; k < CV_BINS; k++) {
                s->re[k] += xr[k] * hr[k] - xi[k] * hi[k];
                s->im[k] += xr[k] * hi[k] + xi[k] * hr[k];
            }
        }
        s->im[0] = s->im[CV_P] = 0;
        for (int k = 1; k < CV_P; k++)
            s->re[CV_N - k] = s->re[k], s->im[CV_N - k] = -s->im[k];
        dsp_fft(s->re, s->im, CV_N, h->tc, h->ts, CV_N, 1);
        memcpy(s->tail, s->re + CV_P, sizeof s->tail);
    }
    memcpy(s->in, s->in + CV_P, sizeof(float) * CV_P);
    s->pos = 0;
}

void dsp_conv_process(const struct dsp_conv_ir *h, int ch, void *state, const float *x, const float *mix, float *y,
                      int n, float sr)
{
    struct dsp_conv *s = state;
    int hc = ch < h->channels ? ch : 0;
    const float *hd = h->head[hc];
    float a = 1.0f - expf(-1.0f / (0.005f * sr));
    if (!s->started) {
        s->mix = dsp_clampf(dsp_finite(mix[0]), 0, 1);
        s->started = 1;
    }
    for (int f = 0; f < n; f++) {
        float in = dsp_finite(x[f]);
        s->in[CV_P + s->pos] = in;
        const float *xp = s->in + s->pos + 1;
        float wet = s->tail[s->pos];
        for (int i = 0; i < CV_P; i++)
            wet += hd[i] * xp[i];
        s->mix += a * (dsp_clampf(dsp_finite(mix[f]), 0, 1) - s->mix);
        y[f] = in + s->mix * (wet - in);
        if (++s->pos == CV_P)
            conv_block(h, hc, s);
    }
}
