/* dsp_peer.c -- issue 13: more of the phonon family's DSP vocabulary.
 *
 * The ops of DSP_PEER_OPS (dsp.h): one channel of a stereo pan (pan2_l,
 * pan2_r), a signal selector (select), a breakpoint envelope (segments),
 * granular synthesis of a live signal (granular), SuperDirt's drums
 * struck once as oscillators (superkick, supersnare), oscillators and an
 * envelope played by a pattern's events (sine_trig ..., env_trig), a
 * pattern's gate and triggers (gate, trig), timer and mix, and values or
 * signals chosen per cycle (every_val ... whenmod_effect), fundsp's soft saw
 * and organ waveforms (soft_saw_hz, organ_hz) and a delay-line pitch
 * shifter (pitch_shift), a spectral freeze (freeze) and SuperDirt's hat, FM,
 * chip and PWM synths as oscillators (superhat ... superpwm), a channel
 * vocoder (vocoder), a plucked waveguide string (waveguide) and fundsp's
 * five-voice chorus (fchorus) and a modulated feedback-delay reverb (lush),
 * with the meaning and
 * arguments of the Rust phonon project (ekg/phonon), our code. They share
 * dsp_more.c's interface (struct dsp_more_io; dsp_more_size, _init and
 * _process pass these ops here).
 *
 * DESIGN
 *
 * Each op keeps its state in one struct peer, followed by a ring where it
 * needs one (granular's two seconds of its input) or by a struct dsp_synth
 * (the drums), all in the caller's memory. A parameter that is not given
 * arrives as NaN (its table default "nan"): select counts its inputs and
 * segments its levels that way.
 *
 * Safety: input passes through dsp_finite(); parameters are clamped (NaN to
 * the low end); gains that move with a parameter glide over 5 ms, selection
 * changes crossfade over 5 ms; granular's sum is normalised by its overlap,
 * so no parameter sequence makes any op grow without bound.
 */
#include "dsp.h"
#include "dsp_wavconv.h"

#include <math.h>
#include <string.h>

enum { GRAINS = 32, SEG_LEVELS = 5 };
#define PS_WINDOW 0.05f         /* pitch_shift's window, s (the peer's 50 ms) */
#define FC_MAX 0.25f            /* fchorus: the longest delay, s (4 separations + a variation) */

struct grain {
    float pos;                  /* read position, samples behind the write head at start */
    float age, len, rate;       /* samples played, length, read speed */
};

struct peer {
    float lv;                   /* smoothed gain (pan2_l/r), the segments' level, waveguide's loop length */
    float from, to, x;          /* select: crossfade from input from to input to, x in 0..1
                                 * (waveguide: to, the period last plucked; fchorus: from, x,
                                 * separation and variation in samples, gliding) */
    float seg, el;              /* segments: segment index, samples into it */
    float spawn;                /* granular: grains owed, 0..1; waveguide: noise frames owed */
    float ph, env[4];           /* the *_trig oscillators: phase; ADSR level, stage, slope, left */
    float prev, t;              /* timer: last input, seconds since its rising edge */
    float on;                   /* the *_val and *_effect ops: 0 .. 1, gliding to this cycle's choice */
    int started;                /* the drums: struck; freeze: a spectrum held */
    int want;                   /* freeze: a capture owed at the next hop */
    uint32_t hop, at;           /* freeze: frames to the next hop; the output ring's read index */
    float lfo;                  /* superfm's modulator, superchip's and superpwm's LFO: phase */
    struct fz *fz;
    struct voc *voc;
    struct lush *lush;
    uint32_t w, mask, rng;      /* granular ring: newest index, size - 1; grain jitter */
    float *line;
    struct dsp_synth *syn;
    struct grain g[GRAINS];
};

static size_t r64(size_t n) { return (n + 63) & ~(size_t)63; }

static uint32_t ring_len(int op, float sr)
{
    if (op == DSP_MORE_PITCH_SHIFT)
        return dsp_pow2_at_least((uint32_t)(PS_WINDOW * sr) + 8);
    if (op == DSP_MORE_WAVEGUIDE)
        return dsp_pow2_at_least((uint32_t)(sr / 20.0f) + 8);
    if (op == DSP_MORE_FCHORUS)
        return dsp_pow2_at_least((uint32_t)(FC_MAX * sr) + 8);
    return op == DSP_MORE_GRANULAR ? dsp_pow2_at_least((uint32_t)(2.0f * sr) + 8) : 0;
}

/* lush's network: a predelay, four input allpasses, eight modulated lines */
enum { LUSH_LINES = 8, LUSH_AP = 4 };

struct lush {
    float *pre, *ap[LUSH_AP], *line[LUSH_LINES];   /* rings (power-of-two sizes) */
    uint32_t pmask, amask[LUSH_AP], lmask, w;
    float lp[LUSH_LINES], ph[LUSH_LINES];          /* in-loop low-pass, modulation phase */
};

/* lush's delays (ms at size 1): input allpasses, lines (coprime-ish) */
static const float lush_ap_ms[LUSH_AP] = { 4.7f, 3.6f, 12.7f, 9.3f };
static const float lush_line_ms[LUSH_LINES] = { 29.7f, 37.1f, 41.1f, 43.7f, 53.0f, 59.9f, 67.7f, 73.1f };
#define LUSH_PRE_MAX 0.5f       /* s */
#define LUSH_MOD_MS 5.0f        /* the lines' longest swing (spin 1 ms + wander 4 ms) */

static uint32_t lush_len(float ms, float sr) { return dsp_pow2_at_least((uint32_t)(ms * 0.001f * sr) + 8); }

static size_t lush_mem(float sr)
{
    size_t n = r64(sizeof(struct lush)) + r64(lush_len(LUSH_PRE_MAX * 1000.0f, sr) * sizeof(float));
    for (int i = 0; i < LUSH_AP; i++)
        n += r64(lush_len(lush_ap_ms[i], sr) * sizeof(float));
    return n + LUSH_LINES * r64(lush_len(lush_line_ms[LUSH_LINES - 1] + LUSH_MOD_MS, sr) * sizeof(float));
}

static void lush_init(struct lush *l, float sr)
{
    unsigned char *m = (unsigned char *)l + r64(sizeof *l);
    l->pmask = lush_len(LUSH_PRE_MAX * 1000.0f, sr) - 1;
    l->pre = (float *)(void *)m;
    m += r64((l->pmask + 1) * sizeof(float));
    for (int i = 0; i < LUSH_AP; i++) {
        l->amask[i] = lush_len(lush_ap_ms[i], sr) - 1;
        l->ap[i] = (float *)(void *)m;
        m += r64((l->amask[i] + 1) * sizeof(float));
    }
    l->lmask = lush_len(lush_line_ms[LUSH_LINES - 1] + LUSH_MOD_MS, sr) - 1;
    for (int i = 0; i < LUSH_LINES; i++) {
        l->line[i] = (float *)(void *)m;
        m += r64((l->lmask + 1) * sizeof(float));
        l->ph[i] = 0.125f * (float)i;
    }
}

static int is_drum(int op)
{
    return op == DSP_MORE_SUPERKICK || op == DSP_MORE_SUPERSNARE || op == DSP_MORE_SUPERHAT;
}

static enum dsp_synth_kind drum_kind(int op)
{
    return op == DSP_MORE_SUPERKICK ? DSP_SUPERKICK : op == DSP_MORE_SUPERSNARE ? DSP_SUPERSNARE : DSP_SUPERHAT;
}

/* freeze's frame: FZ_N frames analysed and resynthesised every FZ_HOP */
enum { FZ_N = 2048, FZ_HOP = FZ_N / 4 };

struct fz {
    float line[FZ_N], acc[FZ_N];        /* the input's last FZ_N frames; the output's overlap-add ring */
    float mag[FZ_N / 2 + 1];            /* the spectrum held: magnitudes */
    float re[FZ_N], im[FZ_N];           /* the FFT's work */
    float win[FZ_N];                    /* periodic Hann */
    float tc[FZ_N / 2], ts[FZ_N / 2];   /* cos, sin of 2 pi k / FZ_N */
};

/* vocoder's bands: the modulator's and the carrier's band-pass states, the
 * modulator's envelope per band, the coefficients for the band count */
enum { VOC_MAX = 32 };

struct voc {
    float m1[VOC_MAX], m2[VOC_MAX], c1[VOC_MAX], c2[VOC_MAX], env[VOC_MAX];
    struct dsp_svf_coef k[VOC_MAX];
    int bands;
};

size_t dsp_peer_size(int op, float sr)
{
    size_t mem = (size_t)ring_len(op, sr) * sizeof(float);
    if (is_drum(op))
        mem = sizeof(struct dsp_synth);
    if (op == DSP_MORE_FREEZE)
        mem = sizeof(struct fz);
    if (op == DSP_MORE_VOCODER)
        mem = sizeof(struct voc);
    if (op == DSP_MORE_LUSH)
        mem = lush_mem(sr);
    return r64(sizeof(struct peer)) + r64(mem);
}

void dsp_peer_init(int op, void *state, float sr)
{
    memset(state, 0, dsp_peer_size(op, sr));
    struct peer *s = state;
    unsigned char *mem = (unsigned char *)state + r64(sizeof *s);
    uint32_t len = ring_len(op, sr);                /* granular, pitch_shift */
    if (len) {
        s->line = (float *)(void *)mem;
        s->mask = len - 1;
    }
    if (is_drum(op)) {
        s->syn = (struct dsp_synth *)(void *)mem;
        dsp_synth_init(s->syn, drum_kind(op), sr);
    }
    if (op == DSP_MORE_VOCODER)
        s->voc = (struct voc *)(void *)mem;
    if (op == DSP_MORE_LUSH) {
        s->lush = (struct lush *)(void *)mem;
        lush_init(s->lush, sr);
    }
    if (op == DSP_MORE_FREEZE) {
        s->fz = (struct fz *)(void *)mem;
        for (int i = 0; i < FZ_N; i++)
            s->fz->win[i] = 0.5f - 0.5f * (float)cos(6.283185307179586 * i / FZ_N);
        for (int k = 0; k < FZ_N / 2; k++) {
            s->fz->tc[k] = (float)cos(6.283185307179586 * k / FZ_N);
            s->fz->ts[k] = (float)sin(6.283185307179586 * k / FZ_N);
        }
    }
    s->rng = dsp_noise_seed(0x6772u);
}

static float par(const float *p, int f, float lo, float hi) { return dsp_clampf(p[f], lo, hi); }
static int given(const float *p) { return p[0] == p[0]; }       /* a NaN default: not given */
static float glide(float sr) { return 1.0f - dsp_exp2(-1.442695f / (0.005f * sr)); }

/* pan2_l in position / pan2_r in position: the left or right gain of an
 * equal-power pan, position -1 (left) .. 1 (right); the gain glides */
static void pan_side(struct peer *s, const struct dsp_more_io *io, int right)
{
    float k = glide(io->sr);
    for (int f = 0; f < io->n; f++) {
        float l, r;
        dsp_pan_gains(0.5f * (par(io->p[0], f, -1, 1) + 1.0f), &l, &r);
        s->lv += ((right ? r : l) - s->lv) * k;
        io->y[0][f] = dsp_finite(io->x[0][f]) * s->lv;
    }
}

static void pan2_l(struct peer *s, const struct dsp_more_io *io) { pan_side(s, io, 0); }
static void pan2_r(struct peer *s, const struct dsp_more_io *io) { pan_side(s, io, 1); }

/* select index in0 .. in7: the input round(index) wraps to among those
 * given; a change crossfades over 5 ms */
static void selectop(struct peer *s, const struct dsp_more_io *io)
{
    int n = 0;
    while (n < DSP_MORE_MAX_P - 1 && io->p[n + 1] && given(io->p[n + 1]))
        n++;
    float step = 1.0f / (0.005f * io->sr);
    for (int f = 0; f < io->n; f++) {
        if (n == 0) {
            io->y[0][f] = 0;
            continue;
        }
        float i = dsp_roundf(par(io->p[0], f, -1e6f, 1e6f));
        i -= (float)n * dsp_floorf(i / (float)n);                   /* wraps: Euclid's remainder */
        if (i != s->to) {
            s->from = s->x < 0.5f ? s->from : s->to;
            s->to = i;
            s->x = 0;
        }
        s->x = dsp_minf(s->x + step, 1.0f);
        float a = dsp_finite(io->p[1 + (int)s->from][f]), b = dsp_finite(io->p[1 + (int)s->to][f]);
        io->y[0][f] = a + (b - a) * s->x;
    }
}

/* segments l0 .. l4 t1 .. t4: from the program's start a line from each
 * level to the next over its time (s), then the last level given, held */
static void segments(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        int k = (int)s->seg;
        while (k < SEG_LEVELS - 1 && given(io->p[k + 1])
               && s->el >= par(io->p[SEG_LEVELS + k], f, 0, 3600) * io->sr) {
            s->el -= dsp_maxf(par(io->p[SEG_LEVELS + k], f, 0, 3600) * io->sr, 0);
            s->seg = (float)++k;
        }
        float a = par(io->p[k], f, -1e6f, 1e6f);
        if (k < SEG_LEVELS - 1 && given(io->p[k + 1])) {
            float len = par(io->p[SEG_LEVELS + k], f, 0, 3600) * io->sr;
            float b = par(io->p[k + 1], f, -1e6f, 1e6f);
            a += (b - a) * dsp_clampf(s->el / dsp_maxf(len, 1.0f), 0, 1);
            s->el += 1.0f;
        }
        io->y[0][f] = a;
    }
}

/* The ring read d samples behind the newest (linear between samples). */
static float ring_at(const struct peer *s, float d)
{
    float fd = dsp_floorf(d), t = d - fd;
    uint32_t i = s->w - (uint32_t)fd;
    return s->line[i & s->mask] * (1.0f - t) + s->line[(i - 1) & s->mask] * t;
}

/* granular in grain_ms density pitch: the input kept for two seconds;
 * Hann-windowed grains of grain_ms read at pitch times the speed, from up to
 * half a second back; density 0 .. 1 sets how many overlap (0 .. 8) */
static void granular(struct peer *s, const struct dsp_more_io *io)
{
    float maxback = (float)s->mask - 8.0f;
    for (int f = 0; f < io->n; f++) {
        s->w++;
        s->line[s->w & s->mask] = dsp_finite(io->x[0][f]);
        float len = par(io->p[0], f, 5, 500) * 0.001f * io->sr, dens = par(io->p[1], f, 0, 1);
        float rate = par(io->p[2], f, 0.1f, 4), overlap = 8.0f * dens;
        s->spawn += overlap / len;
        if (s->spawn >= 1.0f) {
            s->spawn -= 1.0f;
            for (int i = 0; i < GRAINS; i++)
                if (s->g[i].len == 0) {
                    float jitter = 0.5f * (dsp_noise_tick(&s->rng) + 1.0f) * 0.5f * io->sr;
                    float back = dsp_minf(len * dsp_maxf(rate, 1.0f) + 2.0f + jitter, maxback);
                    s->g[i] = (struct grain){ .pos = back, .len = len, .rate = rate };
                    break;
                }
        }
        float y = 0;
        for (int i = 0; i < GRAINS; i++) {
            struct grain *g = &s->g[i];
            if (g->len == 0)
                continue;
            float win = 0.5f - 0.5f * dsp_cos2pi(g->age / g->len);
            float d = dsp_clampf(g->pos - g->age * (g->rate - 1.0f), 1.0f, maxback);
            y += win * ring_at(s, d);
            if (++g->age >= g->len)
                g->len = 0;
        }
        io->y[0][f] = y / dsp_maxf(1.0f, 0.5f * overlap);
    }
}

/* superkick freq pitch_env sustain / supersnare freq snappy sustain /
 * superhat bright sustain (its noise from 5 + 5 bright kHz to 3 times that):
 * SuperDirt's drum (dsp_synth.c) struck once when the program starts, as
 * the peer's oscillators are (the kick starts (1 + 2 pitch_env) times up,
 * the snare's snappy is its share of noise) */
static void drum(struct peer *s, const struct dsp_more_io *io)
{
    if (!s->started) {
        struct dsp_synth_note n;
        int kick = s->syn->kind == DSP_SUPERKICK;
        dsp_synth_note_defaults(s->syn->kind, &n);
        if (s->syn->kind == DSP_SUPERHAT) {         /* superhat bright sustain */
            n.freq = 5000.0f + 5000.0f * par(io->p[0], 0, 0, 1);
            n.sustain = par(io->p[1], 0, 0.005f, 10);
        } else {
            n.freq = par(io->p[0], 0, 20, 2000);
            n.sustain = par(io->p[2], 0, 0.01f, 10);
            if (kick)
                n.sweep = dsp_log2(1.0f + 2.0f * par(io->p[1], 0, 0, 1));
            else
                n.tone = 1.0f - par(io->p[1], 0, 0, 1);
        }
        dsp_synth_trigger(s->syn, 0, &n);
        s->started = 1;
    }
    dsp_synth_render(s->syn, io->y[0], 1, io->n);
}

/* The ADSR of p[a .. a + 3] (attack decay sustain release, s) driven by a
 * gate signal (DSP_MORE_GATED: 2 starts, > 0.5 holds) at frame f. */
static float gated_env(struct peer *s, const struct dsp_more_io *io, int a, float gate, int f)
{
    return dsp_adsr_tick(&s->env[0], &s->env[1], &s->env[2], &s->env[3], gate > 1.5f ? 1.0f : 0.0f,
                         gate > 0.5f ? 1.0f : 0.0f, dsp_env_samples(par(io->p[a], f, 0, 60), io->sr),
                         dsp_env_samples(par(io->p[a + 1], f, 0, 60), io->sr), par(io->p[a + 2], f, 0, 1),
                         dsp_env_samples(par(io->p[a + 3], f, 0, 60), io->sr));
}

/* sine_trig / saw_trig / square_trig / tri_trig freqs attack decay
 * sustain release: each event of freqs starts a band-limited note at its
 * value (Hz) with an ADSR, held while the event lasts (the peer's pattern
 * synths, default a short percussive envelope) */
static void trig_osc(struct peer *s, const struct dsp_more_io *io, int wave)
{
    for (int f = 0; f < io->n; f++) {
        float env = gated_env(s, io, 1, par(io->p[5], f, 0, 2), f);
        float inc = dsp_inc_bound(par(io->p[0], f, 0, 1e6f) / io->sr), y;
        switch (wave) {
        case 0: y = dsp_sine_tick(&s->ph, inc); break;
        case 1: y = dsp_saw_tick(&s->ph, inc); break;
        case 2: y = dsp_square_tick(&s->ph, inc); break;
        default: y = dsp_tri_tick(&s->ph, inc); break;
        }
        io->y[0][f] = y * env;
    }
}

static void sine_trig(struct peer *s, const struct dsp_more_io *io) { trig_osc(s, io, 0); }
static void saw_trig(struct peer *s, const struct dsp_more_io *io) { trig_osc(s, io, 1); }
static void square_trig(struct peer *s, const struct dsp_more_io *io) { trig_osc(s, io, 2); }
static void tri_trig(struct peer *s, const struct dsp_more_io *io) { trig_osc(s, io, 3); }

/* gate pattern: 1 while a true event lasts, else 0; trig pattern: 1 on
 * the first frame of each true event, else 0 */
static void gate(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = io->p[1][f] > 0.5f ? 1.0f : 0.0f;
}

static void trig(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = io->p[1][f] > 1.5f ? 1.0f : 0.0f;
}

/* env_trig in pattern attack decay sustain release: the input times an
 * ADSR that each event of pattern starts, held while it lasts */
static void env_trig(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = dsp_finite(io->x[0][f]) * gated_env(s, io, 1, par(io->p[5], f, 0, 2), f);
}

/* timer in: seconds since the input last rose above 0.5 (from the start
 * until it first does) */
static void timer(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]);
        s->t = x > 0.5f && s->prev <= 0.5f ? 0.0f : dsp_minf(s->t + 1.0f / io->sr, 1e7f);
        s->prev = x;
        io->y[0][f] = s->t;
    }
}

/* mix in0 .. in7: the sum of the inputs given (the peer's: no scaling) */
static void mix(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float y = 0;
        for (int k = 0; k < DSP_MORE_MAX_P - 1 && io->p[k]; k++)
            y += given(io->p[k]) ? dsp_finite(io->p[k][f]) : 0.0f;
        io->y[0][f] = y;
    }
}

/* ---- per-cycle choices (every_val ... whenmod_effect) ----------------------------- */

/* The cycle frame f falls in. */
static double cycle_of(const struct dsp_more_io *io, int f)
{
    return floor(io->cycle0 + (double)f / (io->frames_per_cycle > 0 ? io->frames_per_cycle : 1e300));
}

static int count_par(const float *p, int f) { return (int)dsp_roundf(par(p, f, 1, 1e6f)); }

/* c mod n == 0 (Euclid's remainder, so negative cycles count too) */
static int nth(double c, int n) { return fmod(fmod(c, n) + n, n) == 0; }

/* A random number 0 .. 1 of the cycle, the same every run. */
static float cycle_rand(double c)
{
    uint32_t x = dsp_noise_seed((uint32_t)(int64_t)c ^ 0x5eedu);
    return (float)(dsp_noise_seed(x) >> 8) * (1.0f / 16777216.0f);
}

/* out = off + (on - off) s->on, s->on gliding over 5 ms to pick (0 or 1). */
static float choose(struct peer *s, const struct dsp_more_io *io, int pick, float on, float off)
{
    float step = 1.0f / (0.005f * io->sr);
    s->on = pick ? dsp_minf(s->on + step, 1.0f) : dsp_maxf(s->on - step, 0.0f);
    return off + (on - off) * s->on;
}

/* every_val n on off: on in every n-th cycle (0, n, 2n ...), off otherwise */
static void every_val(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = choose(s, io, nth(cycle_of(io, f), count_par(io->p[0], f)), par(io->p[1], f, -1e6f, 1e6f),
                             par(io->p[2], f, -1e6f, 1e6f));
}

/* sometimes_by_val prob on off (sometimes_val on off prob): on in a cycle
 * with probability prob */
static void sometimes(struct peer *s, const struct dsp_more_io *io, int pr, int on, int off)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = choose(s, io, cycle_rand(cycle_of(io, f)) < par(io->p[pr], f, 0, 1),
                             par(io->p[on], f, -1e6f, 1e6f), par(io->p[off], f, -1e6f, 1e6f));
}

static void sometimes_val(struct peer *s, const struct dsp_more_io *io) { sometimes(s, io, 2, 0, 1); }
static void sometimes_by_val(struct peer *s, const struct dsp_more_io *io) { sometimes(s, io, 0, 1, 2); }

/* whenmod_val modulo offset on off: on in the cycles c with (c - offset) mod modulo == 0 */
static void whenmod_val(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = choose(s, io, nth(cycle_of(io, f) - (double)dsp_roundf(par(io->p[1], f, -1e6f, 1e6f)),
                                        count_par(io->p[0], f)),
                             par(io->p[2], f, -1e6f, 1e6f), par(io->p[3], f, -1e6f, 1e6f));
}

/* every_effect in n effect / sometimes_effect in effect prob / whenmod_effect
 * in modulo offset effect: the effect's signal in the cycles chosen as by
 * the *_val ops, the input's otherwise, crossfaded over 5 ms */
static void every_fx(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = choose(s, io, nth(cycle_of(io, f), count_par(io->p[1], f)), dsp_finite(io->p[2][f]),
                             dsp_finite(io->p[0][f]));
}

static void sometimes_fx(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = choose(s, io, cycle_rand(cycle_of(io, f)) < par(io->p[2], f, 0, 1), dsp_finite(io->p[1][f]),
                             dsp_finite(io->p[0][f]));
}

static void whenmod_fx(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++)
        io->y[0][f] = choose(s, io, nth(cycle_of(io, f) - (double)dsp_roundf(par(io->p[2], f, -1e6f, 1e6f)),
                                        count_par(io->p[1], f)),
                             dsp_finite(io->p[3][f]), dsp_finite(io->p[0][f]));
}

/* ---- additive waveforms (fundsp's, which the peer plays) ---------------------------- */

enum { PARTIALS = 24 };

/* Partial k's amplitude: soft saw 1/k^2 (all partials, falling like a
 * triangle's); organ 1/(k + j^3), j the odd part of k (octaves stand out). */
static float partial_amp(int organ, int k)
{
    int j = k;
    while (!(j & 1))
        j >>= 1;
    return organ ? 1.0f / (float)(k + j * j * j) : 1.0f / (float)(k * k);
}

/* Partial k's phase (cycles), as fundsp lays them out: k = 3 mod 4 and even
 * k at a half cycle, the other odd ones at 0. */
static float partial_phase(int k) { return (k & 3) == 3 || !(k & 1) ? 0.5f : 0.0f; }

/* soft_saw_hz freq / organ_hz freq: the first 24 partials of the waveform,
 * those below Nyquist only (band-limited), scaled by 1 / the sum of all 24
 * amplitudes (peak below 1) */
static void additive_wave(struct peer *s, const struct dsp_more_io *io, int organ)
{
    float norm = 0;
    for (int k = 1; k <= PARTIALS; k++)
        norm += partial_amp(organ, k);
    norm = 1.0f / norm;
    for (int f = 0; f < io->n; f++) {
        float fr = par(io->p[0], f, 0, 1e6f), y = 0;
        for (int k = 1; k <= PARTIALS && (float)k * fr < 0.5f * io->sr; k++)
            y += partial_amp(organ, k) * dsp_sin2pi(dsp_wrap1((float)k * s->ph + partial_phase(k)));
        io->y[0][f] = y * norm;
        s->ph = dsp_wrap1(s->ph + fr / io->sr);
    }
}

static void soft_saw(struct peer *s, const struct dsp_more_io *io) { additive_wave(s, io, 0); }
static void organ(struct peer *s, const struct dsp_more_io *io) { additive_wave(s, io, 1); }

/* pitch_shift in semitones: two taps sweep a 50 ms delay at 1 - ratio
 * samples per sample, half a window apart, each faded in and out by
 * sin^2 (the pair sums to 1); semitones -24 .. 24 */
static void pitch_shift(struct peer *s, const struct dsp_more_io *io)
{
    float w = PS_WINDOW * io->sr;
    for (int f = 0; f < io->n; f++) {
        s->w++;
        s->line[s->w & s->mask] = dsp_finite(io->x[0][f]);
        float ratio = dsp_exp2(par(io->p[0], f, -24, 24) * (1.0f / 12.0f));
        s->ph = dsp_wrap1(s->ph + (1.0f - ratio) / w);
        float p2 = dsp_wrap1(s->ph + 0.5f);
        float g1 = dsp_sin2pi(0.5f * s->ph), g2 = dsp_sin2pi(0.5f * p2);
        io->y[0][f] = g1 * g1 * ring_at(s, 1.0f + s->ph * w) + g2 * g2 * ring_at(s, 1.0f + p2 * w);
    }
}

/* ---- freeze: a spectrum held ------------------------------------------------------- */

/* In-place radix-2 FFT of FZ_N points; inverse: e^{+i}, unscaled (dsp_wavconv.c's). */
static void fft(struct fz *z, int inverse)
{
    dsp_fft(z->re, z->im, FZ_N, z->tc, z->ts, FZ_N, inverse);
}

/* The magnitudes of the Hann-windowed last FZ_N input frames (ring index w newest). */
static void fz_capture(struct fz *z, uint32_t w)
{
    for (uint32_t i = 0; i < FZ_N; i++) {
        z->re[i] = z->line[(w + 1 + i) & (FZ_N - 1)] * z->win[i];
        z->im[i] = 0;
    }
    fft(z, 0);
    for (int k = 0; k <= FZ_N / 2; k++)
        z->mag[k] = sqrtf(z->re[k] * z->re[k] + z->im[k] * z->im[k]);
    z->mag[0] = 0;                      /* no DC held */
}

/* One frame of the held magnitudes at random phases, windowed again and
 * added into the output ring from index at. 4/3 / FZ_N restores the
 * input's power: the windows' mean square is 3/8, their overlap 4. */
static void fz_synth(struct fz *z, uint32_t at, uint32_t *rng)
{
    for (int k = 0; k <= FZ_N / 2; k++) {
        float ph = dsp_wrap1(dsp_noise_tick(rng));
        z->re[k] = z->mag[k] * dsp_cos2pi(ph);
        z->im[k] = k == 0 || k == FZ_N / 2 ? 0.0f : z->mag[k] * dsp_sin2pi(ph);
        if (k > 0 && k < FZ_N / 2)
            z->re[FZ_N - k] = z->re[k], z->im[FZ_N - k] = -z->im[k];
    }
    fft(z, 1);
    for (uint32_t i = 0; i < FZ_N; i++)
        z->acc[(at + i) & (FZ_N - 1)] += z->re[i] * z->win[i] * (4.0f / 3.0f / FZ_N);
}

/* freeze in trigger: when trigger rises above 0.5 the spectrum of the last
 * FZ_N input frames is captured (at the next hop, so at most one analysis
 * and one resynthesis per FZ_HOP frames: two FFTs of 2048 points per 512
 * frames, about 44 butterflies a frame) and from then on sounds held,
 * resynthesised every hop at random phases (75 % overlap), crossfaded in
 * over FZ_N frames; the next rise captures anew. Before the first, the
 * input passes. */
static void freeze(struct peer *s, const struct dsp_more_io *io)
{
    struct fz *z = s->fz;
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]), trig = dsp_finite(io->p[0][f]);
        z->line[++s->w & (FZ_N - 1)] = x;
        s->want |= trig > 0.5f && s->prev <= 0.5f;
        s->prev = trig;
        if (s->hop == 0) {
            if (s->want)
                fz_capture(z, s->w), s->started = 1, s->want = 0;
            if (s->started)
                fz_synth(z, s->at, &s->rng);
            s->hop = FZ_HOP;
        }
        s->hop--;
        float y = z->acc[s->at & (FZ_N - 1)];
        z->acc[s->at++ & (FZ_N - 1)] = 0;
        s->on = s->started ? dsp_minf(s->on + 1.0f / FZ_N, 1.0f) : 0.0f;
        io->y[0][f] = x + (y - x) * s->on;
    }
}

/* ---- SuperDirt's synths as oscillators (the peer's) ---------------------------------- */

/* superfm freq ratio index: a sine whose frequency swings by index * freq
 * with a sine modulator at ratio * freq (the peer's two operators) */
static void superfm(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float fr = par(io->p[0], f, 0, 1e6f), m = dsp_sine_tick(&s->lfo, dsp_inc_bound(fr * par(io->p[1], f, 0, 16) / io->sr));
        io->y[0][f] = dsp_sine_tick(&s->ph, dsp_inc_bound(fr * (1.0f + par(io->p[2], f, 0, 50) * m) / io->sr));
    }
}

/* superchip freq rate depth: a band-limited square, its frequency swung by
 * depth * freq by a sine at rate Hz (vibrato) */
static void superchip(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float fr = par(io->p[0], f, 0, 1e6f), v = dsp_sine_tick(&s->lfo, par(io->p[1], f, 0, 40) / io->sr);
        io->y[0][f] = dsp_square_tick(&s->ph, dsp_inc_bound(fr * (1.0f + par(io->p[2], f, 0, 1) * v) / io->sr));
    }
}

/* superpwm freq rate depth: a band-limited pulse whose width a triangle at
 * rate Hz sweeps by +-0.45 depth around 0.5 (the peer mixes two squares by
 * the LFO, an amplitude change; SuperDirt's superpwm sweeps widths) */
static void superpwm(struct peer *s, const struct dsp_more_io *io)
{
    for (int f = 0; f < io->n; f++) {
        float fr = par(io->p[0], f, 0, 1e6f), t = dsp_tri_tick(&s->lfo, par(io->p[1], f, 0, 40) / io->sr);
        io->y[0][f] = dsp_pulse_tick(&s->ph, dsp_inc_bound(fr / io->sr), 0.5f + 0.45f * par(io->p[2], f, 0, 1) * t);
    }
}

/* ---- vocoder, waveguide ---------------------------------------------------------------- */

/* vocoder modulator carrier bands: bands (2 .. 32, read per block) band-passes
 * of q 2 log-spaced from 100 Hz (the k-th at 100 * 100^(k / bands) Hz, as the
 * peer's) split both signals; each carrier band is scaled by the modulator
 * band's envelope (5 ms attack, 50 ms release, at most 4), times pi/2 (the
 * envelope of a rectified sine is 2/pi of its peak). */
static void vocoder(struct peer *s, const struct dsp_more_io *io)
{
    struct voc *v = s->voc;
    int bands = (int)dsp_roundf(par(io->p[2], 0, 2, VOC_MAX));
    if (bands != v->bands) {
        v->bands = bands;
        for (int b = 0; b < bands; b++)
            v->k[b] = dsp_svf_coef(100.0f * dsp_exp2(6.643856f * (float)b / (float)bands), 2.0f, io->sr);
    }
    float att = 1.0f - dsp_exp2(-1.442695f / (0.005f * io->sr)), rel = 1.0f - dsp_exp2(-1.442695f / (0.05f * io->sr));
    for (int f = 0; f < io->n; f++) {
        float m = dsp_finite(io->p[0][f]), c = dsp_finite(io->p[1][f]), y = 0;
        for (int b = 0; b < bands; b++) {
            float a = fabsf(dsp_svf_tick(&v->m1[b], &v->m2[b], v->k[b], m).bp);
            v->env[b] = dsp_minf(v->env[b] + (a - v->env[b]) * (a > v->env[b] ? att : rel), 4.0f);
            y += v->env[b] * dsp_svf_tick(&v->c1[b], &v->c2[b], v->k[b], c).bp;
        }
        io->y[0][f] = 1.5707963f * y;
    }
}

/* waveguide freq damping pickup: a string freq Hz (20 .. 10000), plucked
 * with a period of noise when it starts and on each jump of freq by more
 * than a semitone (a new note); the loop averages neighbours (the rails'
 * reflections) and keeps (1 - damping^2 / 1000 - 1e-5)^2 per period, as the
 * peer's; it is heard at pickup (0.02 .. 0.98) along it: the two
 * travelling waves there, one reflected (inverted) at an end, a period times
 * pickup apart, so harmonics k with k pickup whole cancel (0.5: the even
 * ones), as on a real string. The loop's length glides over 5 ms. */
static void waveguide(struct peer *s, const struct dsp_more_io *io)
{
    float k = glide(io->sr), maxd = (float)s->mask - 4.0f;
    for (int f = 0; f < io->n; f++) {
        float per = io->sr / par(io->p[0], f, 20, 10000);
        if (s->lv == 0 || per > s->to * 1.06f || per < s->to / 1.06f)
            s->spawn = per, s->to = per;            /* a pluck: spawn frames of noise owed */
        float x = 0;
        if (s->spawn > 0)
            x = dsp_noise_tick(&s->rng), s->spawn -= 1.0f;
        float target = dsp_clampf(per - 1.0f, 2.0f, maxd);   /* the write after the read adds one */
        s->lv = s->lv > 0 ? s->lv + (target - s->lv) * k : target;
        float dm = par(io->p[1], f, 0, 1), r = 1.0f - 0.001f * dm * dm - 1e-5f;
        float loop = r * r * (0.25f * ring_at(s, s->lv - 1.0f) + 0.5f * ring_at(s, s->lv) + 0.25f * ring_at(s, s->lv + 1.0f));
        s->w++;
        s->line[s->w & s->mask] = x + loop;
        float d = par(io->p[2], f, 0.02f, 0.98f) * (s->lv + 2.0f);
        io->y[0][f] = 0.5f * (ring_at(s, 1.0f) - ring_at(s, 1.0f + d));
    }
}

/* fchorus in separation variation mod_frequency: fundsp's mono chorus, five
 * voices averaged: the input and four copies delayed by i separations
 * (0 .. 0.05 s) plus up to variation (0 .. 0.05 s) swept by sines at
 * mod_frequency Hz (0 .. 20), a fifth of a cycle apart. separation and
 * variation glide over 20 ms, so patterned values do not click. */
static void fchorus(struct peer *s, const struct dsp_more_io *io)
{
    float k = 1.0f - dsp_exp2(-1.442695f / (0.02f * io->sr));
    for (int f = 0; f < io->n; f++) {
        s->w++;
        s->line[s->w & s->mask] = dsp_finite(io->x[0][f]);
        s->from += (par(io->p[0], f, 0, 0.05f) * io->sr - s->from) * k;   /* separation, samples */
        s->x += (par(io->p[1], f, 0, 0.05f) * io->sr - s->x) * k;          /* variation, samples */
        s->ph = dsp_wrap1(s->ph + par(io->p[2], f, 0, 20) / io->sr);
        float y = s->line[s->w & s->mask];
        for (int i = 1; i <= 4; i++) {
            float lfo = 0.5f + 0.5f * dsp_sin2pi(dsp_wrap1(s->ph + 0.2f * (float)i));
            y += ring_at(s, dsp_clampf((float)i * s->from + s->x * lfo, 1.0f, (float)s->mask - 4.0f));
        }
        io->y[0][f] = 0.2f * y;
    }
}

/* A ring read d samples behind index w (linear between samples). */
static float tap(const float *r, uint32_t mask, uint32_t w, float d)
{
    float fd = dsp_floorf(d), t = d - fd;
    uint32_t i = w - (uint32_t)fd;
    return r[i & mask] * (1.0f - t) + r[(i - 1) & mask] * t;
}

/* lush in decay diffusion damping spin wander freeze mix predelay: the
 * peer's lush reverb, our network: the input predelayed (0 .. 0.5 s), through
 * four allpasses of coefficient 0.7 diffusion, into eight delay lines of
 * 30 .. 73 ms mixed by a Householder reflection (orthogonal), each with a
 * one-pole low-pass (damping) and the gain that makes the tail fall 60 dB
 * in 0.1 + 59.9 decay^2 s. The lines' lengths swing by spin ms at about
 * 1 Hz and wander * 4 ms at about 0.1 Hz (sines, each line its own rate
 * and phase). freeze > 0.5: the loop keeps everything (gain 1, no damping)
 * and takes no more input. Out: the input plus mix times the tail. Every
 * loop gain is at most 1, so no setting grows without bound. */
static void lush(struct peer *s, const struct dsp_more_io *io)
{
    struct lush *l = s->lush;
    float sr = io->sr;
    for (int f = 0; f < io->n; f++) {
        float x = dsp_finite(io->x[0][f]);
        float dec = par(io->p[0], f, 0, 1), dif = 0.7f * par(io->p[1], f, 0, 1), damp = 0.7f * par(io->p[2], f, 0, 1);
        float spin = par(io->p[3], f, 0, 1), wander = par(io->p[4], f, 0, 1);
        int frozen = par(io->p[5], f, 0, 1) > 0.5f;
        float mix = par(io->p[6], f, 0, 1), pre = par(io->p[7], f, 0, LUSH_PRE_MAX) * sr;
        l->w++;
        l->pre[l->w & l->pmask] = frozen ? 0.0f : x;
        float v = tap(l->pre, l->pmask, l->w, dsp_minf(pre, (float)l->pmask - 2.0f));
        for (int i = 0; i < LUSH_AP; i++) {                 /* Schroeder allpasses */
            float d = tap(l->ap[i], l->amask[i], l->w - 1, lush_ap_ms[i] * 0.001f * sr - 1.0f);
            float u = v + dif * d;
            l->ap[i][l->w & l->amask[i]] = dsp_flush(u);
            v = d - dif * u;
        }
        float rt = 0.1f + 59.9f * dec * dec, out[LUSH_LINES], sum = 0, wet = 0;
        for (int i = 0; i < LUSH_LINES; i++) {
            float len = lush_line_ms[i] * 0.001f * sr;
            float rate = 1.0f + 0.07f * (float)i;
            l->ph[i] = dsp_wrap1(l->ph[i] + rate / sr);
            float mod = 0.001f * sr * (spin * dsp_sin2pi(l->ph[i]) + 4.0f * wander * dsp_sin2pi(dsp_wrap1(0.1f * (float)i + 0.1f * l->ph[i])));
            out[i] = tap(l->line[i], l->lmask, l->w - 1, dsp_clampf(len + mod, 2.0f, (float)l->lmask - 2.0f));
            float g = frozen ? 1.0f : dsp_exp2(-9.965784f * len / (sr * rt));      /* 10^(-3 len / (sr rt)) */
            float k = frozen ? 0.0f : damp;
            l->lp[i] = dsp_flush((1.0f - k) * out[i] * g + k * l->lp[i]);
            sum += l->lp[i];
            wet += (i & 1 ? -out[i] : out[i]);
        }
        for (int i = 0; i < LUSH_LINES; i++)              /* Householder: I - 2/8 (1 1 ... 1) */
            l->line[i][l->w & l->lmask] = l->lp[i] - 0.25f * sum + 0.35355339f * (i & 1 ? -v : v);
        io->y[0][f] = x + mix * 0.35355339f * wet;
    }
}

typedef void (*peer_fn)(struct peer *, const struct dsp_more_io *);

void dsp_peer_process(int op, void *state, const struct dsp_more_io *io)
{
    peer_fn fn = NULL;
    switch (op) {
    case DSP_MORE_PAN2_L: fn = pan2_l; break;
    case DSP_MORE_PAN2_R: fn = pan2_r; break;
    case DSP_MORE_SELECT: fn = selectop; break;
    case DSP_MORE_SEGMENTS: fn = segments; break;
    case DSP_MORE_GRANULAR: fn = granular; break;
    case DSP_MORE_SUPERKICK: case DSP_MORE_SUPERSNARE: case DSP_MORE_SUPERHAT: fn = drum; break;
    case DSP_MORE_FREEZE: fn = freeze; break;
    case DSP_MORE_SUPERFM: fn = superfm; break;
    case DSP_MORE_SUPERCHIP: fn = superchip; break;
    case DSP_MORE_SUPERPWM: fn = superpwm; break;
    case DSP_MORE_VOCODER: fn = vocoder; break;
    case DSP_MORE_WAVEGUIDE: fn = waveguide; break;
    case DSP_MORE_FCHORUS: fn = fchorus; break;
    case DSP_MORE_LUSH: fn = lush; break;
    case DSP_MORE_SINE_TRIG: fn = sine_trig; break;
    case DSP_MORE_SAW_TRIG: fn = saw_trig; break;
    case DSP_MORE_SQUARE_TRIG: fn = square_trig; break;
    case DSP_MORE_TRI_TRIG: fn = tri_trig; break;
    case DSP_MORE_GATE: fn = gate; break;
    case DSP_MORE_TRIG: fn = trig; break;
    case DSP_MORE_ENV_TRIG: fn = env_trig; break;
    case DSP_MORE_TIMER: fn = timer; break;
    case DSP_MORE_MIX: fn = mix; break;
    case DSP_MORE_EVERY_VAL: fn = every_val; break;
    case DSP_MORE_SOMETIMES_VAL: fn = sometimes_val; break;
    case DSP_MORE_SOMETIMES_BY_VAL: fn = sometimes_by_val; break;
    case DSP_MORE_WHENMOD_VAL: fn = whenmod_val; break;
    case DSP_MORE_EVERY_FX: fn = every_fx; break;
    case DSP_MORE_SOMETIMES_FX: fn = sometimes_fx; break;
    case DSP_MORE_WHENMOD_FX: fn = whenmod_fx; break;
    case DSP_MORE_SOFT_SAW: fn = soft_saw; break;
    case DSP_MORE_ORGAN: fn = organ; break;
    case DSP_MORE_PITCH_SHIFT: fn = pitch_shift; break;
    default: break;
    }
    if (!fn) {
        memset(io->y[0], 0, sizeof(float) * (size_t)io->n);
        return;
    }
    fn(state, io);
}
