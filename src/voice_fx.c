/* voice_fx.c -- starting the rest of SuperDirt's and Strudel's per-voice
 * effects (issue 12, h-controls): reading their controls into a lane, and
 * the pool of delay memory the delay-line ones use.
 *
 * voice_kern_fx.h runs them, on any voice kind (samples, synths,
 * instruments). What each control means, SuperDirt's defaults:
 *   bandf hz, bandq q=10          band-pass, gain bandq (bandq >= 1)
 *   waveloss n=0 .. 100           n of every 100 zero-crossing segments silenced
 *   squiz ratio                   chunks between zero crossings replayed ratio times as fast
 *   fshift hz, fshiftnote x, fshiftphase rad   single-sideband shift by hz + x * freq
 *   hbrick x, lbrick x            high-pass at 0.6 x Nyquist, low-pass at (1 - x) Nyquist
 *   comb x, smear x, scram x, binshift x, freeze x, real, imag, enhance,
 *   xsdelay mask, tsdelay x       spectral effects, approximated (voice_kern_fx.h)
 *   leslie x, lrate hz=6.7, lsize m=0.3        rotary speaker
 *   phaserrate hz=1, phaserdepth x=0.5         the signal plus a swinging 9.4 ms delay
 *   vib hz, vibmod semitones=0.5  Strudel's vibrato
 *   fmi index, fmh ratio=1        Strudel's FM (as phase modulation of the voice)
 *
 * The delay memory: VOICE_FX_SLOTS slots of VOICE_FX_REGIONS regions of
 * two channels, allocated once with the pool; a voice takes a slot when it
 * starts (audio thread, a stack of free slots) and gives it back in
 * voice_end_block once its lane has ended. No slot free (or more than
 * VOICE_FX_REGIONS delay-line effects on one voice): the voice plays
 * without those effects, and voice_fx2_start says so (counted in
 * voice_stats.fx_dropped: render and live warn).
 */
#include "voice_impl.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct voice_fxmem {
    float *mem;                     /* slots x regions x 2 channels x VOICE_FX_LEN */
    int free[VOICE_FX_SLOTS];
    int nfree;
};

enum { SLOT_FLOATS = VOICE_FX_REGIONS * 2 * VOICE_FX_LEN };

struct voice_fxmem *voice_fxmem_new(void)
{
    struct voice_fxmem *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->mem = calloc((size_t)VOICE_FX_SLOTS * SLOT_FLOATS, sizeof(float));
    if (!m->mem) {
        free(m);
        return NULL;
    }
    voice_fxmem_reset(m);
    return m;
}

void voice_fxmem_reset(struct voice_fxmem *m)
{
    for (int i = 0; i < VOICE_FX_SLOTS; i++)
        m->free[i] = VOICE_FX_SLOTS - 1 - i;
    m->nfree = VOICE_FX_SLOTS;
}

void voice_fxmem_free(struct voice_fxmem *m)
{
    if (!m)
        return;
    free(m->mem);
    free(m);
}

/* Give back the slots of b's lanes that no longer sound. */
void voice_fxmem_release(struct voice_fxmem *m, struct batch *b)
{
    for (int l = 0; l < W; l++)
        if (b->d2.mem[l] && !(b->live >> l & 1)) {
            m->free[m->nfree++] = (int)((b->d2.mem[l] - m->mem) / SLOT_FLOATS);
            b->d2.mem[l] = NULL;
        }
}

static const struct val *get(struct val v, const char *k) { return val_map_get(v, k); }

static float num(struct val v, const char *k, double dflt)
{
    double x = voice_num_or(get(v, k), dflt);
    return isfinite(x) ? (float)x : (float)dflt;
}

static float clampf(float x, float lo, float hi) { return x < lo ? lo : x > hi ? hi : x; }

/* The filters, waveshapers and modulators: no memory. */
static void start_plain(struct voice_dirt2 *d, int l, struct val v, double freq, float sr)
{
    d->bandf[l] = get(v, "bandf") ? clampf(num(v, "bandf", 0), 20.0f, 0.49f * sr) : 0.0f;
    d->bandq[l] = fmaxf(1.0f, num(v, "bandq", 10));
    d->waveloss[l] = clampf(num(v, "waveloss", 0), 0.0f, 100.0f);
    d->fs_on[l] = get(v, "fshift") || get(v, "fshiftnote");
    d->fshift[l] = (float)((double)num(v, "fshift", 0) + (double)num(v, "fshiftnote", 0) * freq);
    d->fsphase[l] = num(v, "fshiftphase", 0) / (float)(2 * M_PI);
    d->fsphase[l] -= floorf(d->fsphase[l]);
    float hb = clampf(num(v, "hbrick", 0), 0.0f, 1.0f), lb = clampf(num(v, "lbrick", 0), 0.0f, 1.0f);
    d->hbrick[l] = hb > 0.0f ? fmaxf(20.0f, hb * 0.6f * 0.5f * sr) : 0.0f;
    d->lbrick[l] = lb > 0.0f ? fmaxf(10.0f, (1.0f - lb) * 0.5f * sr) : 0.0f;
    float sm = clampf(num(v, "smear", 0), 0.0f, 1.0f);
    d->smear[l] = sm;
    d->smear_bw[l] = powf(64.0f, sm) * sr / 2048.0f;    /* linexp(0, 1, 1, 64) bins of 2048 */
    d->scram[l] = clampf(num(v, "scram", 0), 0.0f, 1.0f);
    d->conf_on[l] = get(v, "real") || get(v, "imag");
    d->conf_re[l] = 0.01f + 1.99f * clampf(num(v, "real", 0.5), 0.0f, 1.0f);
    d->conf_im[l] = 0.01f + 9.99f * clampf(num(v, "imag", 0.5), 0.0f, 1.0f);
    d->enhance[l] = get(v, "enhance") ? 1.0f + clampf(num(v, "enhance", 0.5), 0.0f, 1.0f) : 0.0f;
}

/* The delay-line effects' parameters; returns the mask of FXR_ regions
 * wanted. */
static unsigned start_delays(struct voice_dirt2 *d, int l, struct val v, double freq, float sr)
{
    unsigned want = 0;
    float maxd = (float)(VOICE_FX_LEN - 8);
    d->squiz[l] = get(v, "squiz") ? clampf(num(v, "squiz", 1), 1.0f, 100.0f) : 0.0f;
    want |= (d->squiz[l] > 0.0f) << FXR_SQUIZ;
    d->comb[l] = get(v, "comb") ? clampf(512.0f * num(v, "comb", 0), 1.0f, maxd) : 0.0f;
    want |= (d->comb[l] > 0.0f) << FXR_COMB;
    d->binshift[l] = get(v, "binshift") ? 0.01f + 3.99f * clampf(num(v, "binshift", 0), 0.0f, 1.0f) : 0.0f;
    want |= (d->binshift[l] > 0.0f) << FXR_BINSHIFT;
    d->freeze[l] = num(v, "freeze", 0) > 0 ? 1.0f : 0.0f;
    want |= (d->freeze[l] > 0.0f) << FXR_FREEZE;
    d->xs_on[l] = get(v, "xsdelay") || get(v, "tsdelay");
    d->xsdelay[l] = clampf(floorf(num(v, "xsdelay", 0.5)), 0.0f, 65535.0f);
    d->tsdelay[l] = clampf(num(v, "tsdelay", 0.5), 0.0f, 1.0f);
    want |= (d->xs_on[l] > 0.0f) << FXR_XSDELAY;
    d->leslie[l] = clampf(num(v, "leslie", 0), 0.0f, 1.0f);
    d->lrate[l] = clampf(num(v, "lrate", 6.7), 0.0f, 100.0f);
    d->lsize[l] = clampf(num(v, "lsize", 0.3), 0.0f, maxd * 343.0f / sr);
    want |= (d->leslie[l] != 0.0f) << FXR_LESLIE;
    d->ph_on[l] = get(v, "phaserrate") || get(v, "phaserdepth");
    d->phrate[l] = clampf(num(v, "phaserrate", 1), 0.0f, 1000.0f);
    d->phdepth[l] = clampf(num(v, "phaserdepth", 0.5), 0.0f, 1.0f);
    want |= (d->ph_on[l] > 0.0f) << FXR_PHASER;
    /* vibrato: the delay's swing 2 (2^(m/12) - 1) / (2 pi vib) s, within the memory */
    float vib = clampf(num(v, "vib", 0), 0.0f, 1000.0f), vm = num(v, "vibmod", 0.5);
    d->vib[l] = vib;
    d->vibmod[l] = vib > 0.0f ? fminf(maxd / 2, (exp2f(fabsf(vm) / 12.0f) - 1.0f) / (2.0f * (float)M_PI * vib) * sr)
                              : 0.0f;
    want |= (vib > 0.0f) << FXR_VIB;
    /* fm: phase deviation fmi at the fundamental: a swing of fmi / (2 pi f) s */
    float fmi = num(v, "fmi", 0), fmh = num(v, "fmh", 1);
    d->fmi[l] = get(v, "fmi") && fmi != 0.0f && freq > 0 ? fmi : 0.0f;
    d->fmf[l] = (float)(fabs((double)fmh) * freq);
    d->fm_amp[l] = d->fmi[l] != 0.0f ? fminf(maxd / 2, fabsf(fmi) / (2.0f * (float)M_PI * (float)freq) * sr) : 0.0f;
    want |= (d->fmi[l] != 0.0f) << FXR_FM;
    return want;
}

/* A lane's slot and its regions for the effects in want (at most
 * VOICE_FX_REGIONS of them, in FXR_ order; zeroed). 1 when some of them got
 * no memory (no slot free, or too many effects), else 0. */
static int take_regions(struct voice_fxmem *m, struct batch *b, int l, unsigned want)
{
    struct voice_dirt2 *d = &b->d2;
    for (int k = 0; k < FXR_N; k++)
        d->region[k][l] = -1;
    if (!want)
        return 0;
    if (!d->mem[l]) {
        if (m->nfree == 0)
            return 1;
        d->mem[l] = m->mem + (size_t)m->free[--m->nfree] * SLOT_FLOATS;
    }
    int r = 0, lost = 0;
    for (int k = 0; k < FXR_N; k++) {
        if (!(want >> k & 1))
            continue;
        if (r == VOICE_FX_REGIONS) {
            lost = 1;
            continue;
        }
        d->region[k][l] = r;
        memset(d->mem[l] + (size_t)r * 2 * VOICE_FX_LEN, 0, sizeof(float) * 2 * VOICE_FX_LEN);
        r++;
    }
    return lost;
}

int voice_fx2_start(struct voice_fxmem *m, struct batch *b, int l, struct val v, double freq, float sr)
{
    struct voice_dirt2 *d = &b->d2;
    start_plain(d, l, v, freq, sr);
    unsigned want = start_delays(d, l, v, freq, sr);
    int lost = take_regions(m, b, l, want);
    int any = want || d->bandf[l] > 0.0f || d->waveloss[l] > 0.0f || d->fs_on[l] > 0.0f || d->hbrick[l] > 0.0f ||
              d->lbrick[l] > 0.0f || d->smear[l] > 0.0f || d->scram[l] > 0.0f || d->conf_on[l] > 0.0f ||
              d->enhance[l] > 0.0f;
    /* the state: all of it for this lane */
    struct voice_dirt2_state *s = &b->d2s;
    float *fl = (float *)(void *)s;
    size_t nf = sizeof *s / sizeof(float);
    for (size_t i = (size_t)l; i < nf; i += W)
        fl[i] = 0.0f;                   /* every member is [..][W] of 4-byte values */
    s->rng[l] = 0x9e3779b9u * (uint32_t)(l + 1) ^ (uint32_t)(b->age[l] * 2654435761u);
    if (!s->rng[l])
        s->rng[l] = 1;
    b->any_fx2 |= any;
    return lost;
}
