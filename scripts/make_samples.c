/* make_samples.c -- synthesise phonon's own drum-machine sample kit.
 *
 *   build/make_samples OUTDIR
 *
 * writes OUTDIR/<name>/<name>_<k>.wav (Dirt-Samples layout) for a small kit:
 * kicks, snares, hats, claps, rim, toms, cowbell, cymbals, a woodblock, a
 * bass and a plucked "arpy" tone. scripts/make-samples compiles and runs it;
 * the output is CC0 (see samples/README.md).
 *
 * Everything is computed, nothing is recorded, and nothing comes from the
 * operating system: noise comes from our own PRNG (splitmix64) seeded from
 * the file's name and index, so two runs write byte-identical files, and one
 * file's sound never depends on the order the others were made in.
 *
 * Each voice is written in the style of the analogue machines it names:
 * kicks are sines with an exponential pitch sweep plus a filtered noise click;
 * snares a two-partial tone plus high-passed noise; hats and cymbals the six
 * detuned square waves of the TR-808 ("metallic cluster") through band- and
 * high-pass filters; the cowbell two squares at 540 and 800 Hz, band-passed.
 * Square and saw waves are band-limited with polyBLEP so that the cluster's
 * inharmonic character is the intended one and not aliasing.
 *
 * Every file goes through the same finish(): a 5 Hz DC blocker, a short
 * raised-cosine fade-in (0.5 ms: the first sample is exactly 0, which keeps
 * transients but avoids a step at the start), a fade-out over the last fifth
 * (the lengths are chosen so that the sound has mostly decayed by then), peak
 * normalisation to -1 dBFS, and rounding to 16-bit PCM at 44.1 kHz mono.
 * The WAV writer is ours (canonical 44-byte header), so the generator needs
 * only libm.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define RATE 44100
#define PI 3.14159265358979323846

/* --- deterministic noise --------------------------------------------------- */

struct rng { uint64_t s; };

static uint64_t rng_next(struct rng *r)    /* splitmix64 */
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double rng_white(struct rng *r)     /* uniform in [-1, 1) */
{
    return (double)(rng_next(r) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static struct rng rng_seed(const char *name, int k)   /* FNV-1a of "name:k" */
{
    uint64_t h = 0xcbf29ce484222325u;
    for (const char *p = name; *p; p++)
        h = (h ^ (unsigned char)*p) * 0x100000001b3u;
    h = (h ^ (unsigned)(':' + 256 * k)) * 0x100000001b3u;
    return (struct rng){ h };
}

/* --- building blocks ------------------------------------------------------- */

/* Band-limited step correction (polyBLEP) for a discontinuity at phase 0. */
static double blep(double ph, double dt)
{
    if (ph < dt) {
        ph /= dt;
        return ph + ph - ph * ph - 1.0;
    }
    if (ph > 1.0 - dt) {
        ph = (ph - 1.0) / dt;
        return ph * ph + ph + ph + 1.0;
    }
    return 0.0;
}

struct osc { double ph, dt; };             /* phase in [0,1), increment per sample */

static struct osc osc_at(double hz) { return (struct osc){ 0.0, hz / RATE }; }

static double osc_square(struct osc *o)
{
    double v = (o->ph < 0.5 ? 1.0 : -1.0) + blep(o->ph, o->dt);
    double half = o->ph + 0.5;
    v -= blep(half - floor(half), o->dt);
    o->ph += o->dt;
    o->ph -= floor(o->ph);
    return v;
}

static double osc_saw(struct osc *o)
{
    double v = 2.0 * o->ph - 1.0 - blep(o->ph, o->dt);
    o->ph += o->dt;
    o->ph -= floor(o->ph);
    return v;
}

/* RBJ-cookbook biquad (direct form I), for fixed low/high/band-pass filters. */
enum bq_kind { BQ_LP, BQ_HP, BQ_BP };
struct biquad { double b0, b1, b2, a1, a2, x1, x2, y1, y2; };

static struct biquad bq_make(enum bq_kind kind, double hz, double q)
{
    double w = 2.0 * PI * hz / RATE, c = cos(w), al = sin(w) / (2.0 * q);
    double b0, b1, b2, a0 = 1.0 + al;
    switch (kind) {
    case BQ_LP: b0 = (1.0 - c) / 2.0; b1 = 1.0 - c; b2 = b0; break;
    case BQ_HP: b0 = (1.0 + c) / 2.0; b1 = -(1.0 + c); b2 = b0; break;
    default:    b0 = al; b1 = 0.0; b2 = -al; break;  /* band-pass, 0 dB peak */
    }
    return (struct biquad){ b0 / a0, b1 / a0, b2 / a0, -2.0 * c / a0, (1.0 - al) / a0,
                            0, 0, 0, 0 };
}

static double bq_run(struct biquad *f, double x)
{
    double y = f->b0 * x + f->b1 * f->x1 + f->b2 * f->x2 - f->a1 * f->y1 - f->a2 * f->y2;
    f->x2 = f->x1; f->x1 = x;
    f->y2 = f->y1; f->y1 = y;
    return y;
}

static void bq_apply(double *x, int n, enum bq_kind kind, double hz, double q)
{
    struct biquad f = bq_make(kind, hz, q);
    for (int i = 0; i < n; i++)
        x[i] = bq_run(&f, x[i]);
}

/* The six square oscillators of the TR-808 cymbal/hat section, scaled. */
static const double metal_hz[6] = { 205.3, 304.4, 369.6, 522.7, 540.0, 800.0 };

static double metal_next(struct osc o[6])
{
    double s = 0.0;
    for (int j = 0; j < 6; j++)
        s += osc_square(&o[j]);
    return s / 6.0;
}

static void metal_init(struct osc o[6], double scale)
{
    for (int j = 0; j < 6; j++)
        o[j] = osc_at(metal_hz[j] * scale);
}

/* --- the voices: each fills x[0..n) -------------------------------------- */

struct kick { double f0, f1, tau_pitch, tau_amp, click, drive; };

static void make_kick(double *x, int n, struct rng *r, const struct kick *p)
{
    double ph = 0.0;
    struct biquad hp = bq_make(BQ_HP, 2500.0, 0.7);
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE;
        double f = p->f1 + (p->f0 - p->f1) * exp(-t / p->tau_pitch);
        double body = sin(2.0 * PI * ph) * exp(-t / p->tau_amp);
        ph += f / RATE;
        ph -= floor(ph);
        double click = bq_run(&hp, rng_white(r)) * exp(-t / 0.003) * p->click;
        double v = body + click;
        x[i] = p->drive > 0.0 ? tanh(p->drive * v) / tanh(p->drive) : v;
    }
}

struct snare { double tone_hz, tone, tau_tone, noise, tau_noise, hp_hz; };

static void make_snare(double *x, int n, struct rng *r, const struct snare *p)
{
    double ph1 = 0.0, ph2 = 0.0;
    struct biquad hp = bq_make(BQ_HP, p->hp_hz, 0.7), lp = bq_make(BQ_LP, 9000.0, 0.7);
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE;
        double drop = 1.0 + 0.25 * exp(-t / 0.01);     /* a little pitch bend */
        double tone = (sin(2.0 * PI * ph1) + 0.6 * sin(2.0 * PI * ph2)) * exp(-t / p->tau_tone);
        ph1 += p->tone_hz * drop / RATE;
        ph2 += p->tone_hz * 1.78 * drop / RATE;
        ph1 -= floor(ph1);
        ph2 -= floor(ph2);
        double noise = bq_run(&lp, bq_run(&hp, rng_white(r))) * exp(-t / p->tau_noise);
        x[i] = p->tone * tone + p->noise * noise;
    }
}

/* A metallic cluster (squares) mixed with white noise, band-passed and
 * high-passed, under a decaying envelope: hats, open hats, crash. */
struct metal { double scale, metal, noise, bp_hz, hp_hz, tau; };

static void make_metal(double *x, int n, struct rng *r, const struct metal *p)
{
    struct osc o[6];
    metal_init(o, p->scale);
    for (int i = 0; i < n; i++)
        x[i] = p->metal * metal_next(o) + p->noise * rng_white(r);
    bq_apply(x, n, BQ_BP, p->bp_hz, 0.9);
    bq_apply(x, n, BQ_HP, p->hp_hz, 0.7);
    bq_apply(x, n, BQ_HP, p->hp_hz, 0.7);
    for (int i = 0; i < n; i++)
        x[i] *= exp(-(double)i / RATE / p->tau);
}

struct clap { int bursts; double gap, tau_tail, bp_hz; };

static void make_clap(double *x, int n, struct rng *r, const struct clap *p)
{
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE, env = 0.0;
        for (int b = 0; b < p->bursts; b++) {          /* several hands, slightly apart */
            double tb = t - b * p->gap;
            if (tb >= 0.0)
                env = fmax(env, exp(-tb / 0.004));
        }
        double tt = t - (p->bursts - 1) * p->gap;      /* the room after the last one */
        if (tt >= 0.0)
            env = fmax(env, 0.5 * exp(-tt / p->tau_tail));
        x[i] = rng_white(r) * env;
    }
    bq_apply(x, n, BQ_BP, p->bp_hz, 1.6);
    bq_apply(x, n, BQ_HP, 500.0, 0.7);
}

/* Decaying sine partials: rim, toms, woodblock, ride bell. */
struct ping { double hz[3], amp[3], tau[3], bend, noise, tau_noise; };

static void make_ping(double *x, int n, struct rng *r, const struct ping *p)
{
    double ph[3] = { 0, 0, 0 };
    struct biquad hp = bq_make(BQ_HP, 1200.0, 0.7);
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE, v = 0.0;
        double bend = 1.0 + p->bend * exp(-t / 0.04);  /* toms drop in pitch */
        for (int j = 0; j < 3; j++) {
            v += p->amp[j] * sin(2.0 * PI * ph[j]) * exp(-t / p->tau[j]);
            ph[j] += p->hz[j] * bend / RATE;
            ph[j] -= floor(ph[j]);
        }
        x[i] = v + p->noise * bq_run(&hp, rng_white(r)) * exp(-t / p->tau_noise);
    }
}

static void make_cowbell(double *x, int n, double pitch)
{
    struct osc a = osc_at(540.0 * pitch), b = osc_at(800.0 * pitch);
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE;
        double env = 0.6 * exp(-t / 0.012) + 0.4 * exp(-t / 0.18);
        x[i] = (osc_square(&a) + osc_square(&b)) * env;
    }
    bq_apply(x, n, BQ_BP, 850.0 * pitch, 1.2);
    bq_apply(x, n, BQ_HP, 400.0, 0.7);
}

/* Ride: a bright cluster an octave and more up, a bell of inharmonic partials,
 * and a long shimmer. */
static void make_ride(double *x, int n, struct rng *r, double scale, double bell)
{
    struct ping b = { { 2510.0 * scale, 3720.0 * scale, 5270.0 * scale },
                      { 1.0, 0.7, 0.5 }, { 0.35, 0.25, 0.18 }, 0.0, 0.0, 1.0 };
    double *y = malloc(sizeof *y * (size_t)n);
    if (!y) {
        perror("make_samples");
        exit(1);
    }
    make_metal(x, n, r, &(struct metal){ 2.4 * scale, 1.0, 0.35, 8000.0, 5000.0, 0.9 });
    make_ping(y, n, r, &b);
    for (int i = 0; i < n; i++)
        x[i] += bell * 0.25 * y[i];
    free(y);
}

/* Bass: a band-limited saw plus a sine at the same pitch, through a resonant
 * low-pass (TPT state-variable filter) whose cutoff falls after the attack. */
static void make_bass(double *x, int n, double hz)
{
    struct osc saw = osc_at(hz);
    double s1 = 0.0, s2 = 0.0, k = 1.0 / 1.6;      /* k = 1/Q */
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE;
        double fc = hz * (1.5 + 30.0 * exp(-t / 0.09));
        double g = tan(PI * fmin(fc, 16000.0) / RATE);
        double sine = sin(2.0 * PI * saw.ph);
        double in = osc_saw(&saw);
        double hp = (in - (k + g) * s1 - s2) / (1.0 + g * (k + g));
        double bp = g * hp + s1;
        double lp = g * bp + s2;
        s1 = g * hp + bp;
        s2 = g * bp + lp;
        double amp = exp(-t / 0.45) * (1.0 - exp(-t / 0.002));
        x[i] = (lp + 0.6 * sine) * amp;
    }
}

/* Arpy: a plucked string as decaying harmonics; the higher ones die sooner
 * and the pluck point (1/5 of the string) shapes the spectrum. */
static void make_pluck(double *x, int n, double hz)
{
    enum { MAXH = 24 };
    double ph[MAXH] = { 0 };
    int nh = 0;
    while (nh < MAXH && (nh + 1) * hz < 15000.0)
        nh++;
    for (int i = 0; i < n; i++) {
        double t = (double)i / RATE, v = 0.0;
        for (int h = 1; h <= nh; h++) {
            double a = sin(PI * h * 0.2) / pow(h, 1.3);
            v += a * sin(2.0 * PI * ph[h - 1]) * exp(-t * (2.0 + 1.6 * (h - 1)));
            ph[h - 1] += h * hz / RATE;
            ph[h - 1] -= floor(ph[h - 1]);
        }
        x[i] = v;
    }
}

/* --- finishing and writing ------------------------------------------------- */

static void finish(double *x, int n)
{
    const double r = 1.0 - 2.0 * PI * 5.0 / RATE;   /* DC blocker: zero at DC, pole near it */
    double x1 = 0.0, y1 = 0.0;
    for (int i = 0; i < n; i++) {
        double y = x[i] - x1 + r * y1;
        x1 = x[i];
        x[i] = y1 = y;
    }
    int fin = RATE / 2000, fout = n / 5;           /* 0.5 ms in; out over the last fifth */
    for (int i = 0; i < fin && i < n; i++)
        x[i] *= 0.5 - 0.5 * cos(PI * i / fin);
    for (int i = 0; i < fout && i < n; i++)
        x[n - 1 - i] *= 0.5 - 0.5 * cos(PI * i / fout);
    double peak = 0.0;
    for (int i = 0; i < n; i++)
        peak = fmax(peak, fabs(x[i]));
    double g = peak > 0.0 ? pow(10.0, -1.0 / 20.0) / peak : 0.0;
    for (int i = 0; i < n; i++)
        x[i] *= g;
}

static void put_le(unsigned char *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static int write_wav(const char *path, const double *x, int n)
{
    unsigned char h[44];
    uint32_t data = (uint32_t)n * 2;
    memcpy(h, "RIFF", 4);      put_le(h + 4, 36 + data, 4);
    memcpy(h + 8, "WAVEfmt ", 8);
    put_le(h + 16, 16, 4);     put_le(h + 20, 1, 2);          /* PCM */
    put_le(h + 22, 1, 2);      put_le(h + 24, RATE, 4);       /* mono, 44.1 kHz */
    put_le(h + 28, RATE * 2, 4);
    put_le(h + 32, 2, 2);      put_le(h + 34, 16, 2);         /* 16-bit */
    memcpy(h + 36, "data", 4); put_le(h + 40, data, 4);
    unsigned char *pcm = malloc(data ? data : 1);
    FILE *f = fopen(path, "wb");
    if (!pcm || !f) {
        fprintf(stderr, "make_samples: %s: %s\n", path, strerror(errno));
        free(pcm);
        if (f)
            fclose(f);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        double v = floor(x[i] * 32767.0 + 0.5);
        v = fmax(-32768.0, fmin(32767.0, v));
        put_le(pcm + 2 * i, (uint32_t)(int32_t)v, 2);
    }
    int ok = fwrite(h, 1, sizeof h, f) == sizeof h && fwrite(pcm, 1, data, f) == data;
    ok &= fclose(f) == 0;
    free(pcm);
    if (!ok)
        fprintf(stderr, "make_samples: %s: write failed\n", path);
    return ok ? 0 : -1;
}

/* --- the kit ------------------------------------------------------------- */

static const struct kick kicks[] = {
    { 160.0, 52.0, 0.030, 0.25, 0.30, 0.0 },  /* 0: punchy */
    { 120.0, 45.0, 0.050, 0.38, 0.10, 0.0 },  /* 1: long 808-style boom */
    { 210.0, 55.0, 0.020, 0.18, 0.50, 3.0 },  /* 2: hard, driven */
    { 180.0, 65.0, 0.015, 0.10, 0.40, 0.0 },  /* 3: short and tight */
};
static const struct snare snares[] = {
    { 185.0, 0.55, 0.07, 0.75, 0.12, 1500.0 }, /* 0: classic */
    { 225.0, 0.45, 0.05, 0.80, 0.08, 2500.0 }, /* 1: tight, bright */
    { 160.0, 0.60, 0.10, 0.90, 0.25, 1000.0 }, /* 2: fat, long */
};
static const struct metal hats[] = {
    { 2.0, 1.0, 0.25, 10000.0, 7000.0, 0.025 }, /* 0: closed */
    { 2.0, 1.0, 0.25, 9000.0,  6500.0, 0.055 }, /* 1: closed, looser */
    { 1.0, 0.0, 1.00, 10000.0, 8000.0, 0.030 }, /* 2: noise hat */
};
static const struct metal open_hats[] = {
    { 2.0, 1.0, 0.25, 10000.0, 7000.0, 0.30 },
    { 1.9, 1.0, 0.40, 9000.0,  6500.0, 0.45 },
};
static const struct metal crashes[] = {
    { 2.6, 0.8, 0.70, 7000.0, 4000.0, 0.65 },  /* 0: crash */
    { 3.1, 0.6, 0.90, 9000.0, 5000.0, 0.30 },  /* 1: splash */
};
static const struct clap claps[] = {
    { 4, 0.010, 0.10, 1200.0 },
    { 3, 0.014, 0.16, 1000.0 },
};
static const struct ping rims[] = {
    { { 1700.0, 480.0, 3300.0 }, { 1.0, 0.5, 0.3 }, { 0.010, 0.012, 0.005 }, 0.0, 0.6, 0.001 },
    { { 2100.0, 620.0, 4000.0 }, { 1.0, 0.4, 0.3 }, { 0.008, 0.010, 0.004 }, 0.0, 0.8, 0.0015 },
};
/* Toms: fundamental, a 1.5x partial, and a little noise; the pitch drops by `bend`. */
#define TOM(hz, tau) { { hz, (hz) * 1.5, (hz) * 2.44 }, { 1.0, 0.25, 0.1 }, \
                       { tau, (tau) * 0.5, (tau) * 0.25 }, 0.35, 0.12, 0.01 }
static const struct ping low_toms[] = { TOM(90.0, 0.30), TOM(75.0, 0.35) };
static const struct ping mid_toms[] = { TOM(130.0, 0.24), TOM(115.0, 0.26) };
static const struct ping high_toms[] = { TOM(190.0, 0.18), TOM(170.0, 0.20) };
/* Woodblock: a short ping with an inharmonic partial (a struck bar). */
#define WOOD(hz) { { hz, (hz) * 2.76, (hz) * 5.4 }, { 1.0, 0.35, 0.12 }, \
                   { 0.030, 0.012, 0.006 }, 0.02, 0.25, 0.002 }
static const struct ping woods[] = { WOOD(1000.0), WOOD(1400.0), WOOD(700.0) };
static const double bass_hz[] = { 55.0, 65.40639, 82.40689, 97.99886 };       /* A1 C2 E2 G2 */
static const double arpy_hz[] = { 261.6256, 293.6648, 329.6276, 391.9954,     /* C4 D4 E4 G4 */
                                  440.0, 523.2511, 587.3295, 659.2551 };      /* A4 C5 D5 E5 */

#define LEN(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* Lengths in seconds, per variant; a variant without its own uses the first. */
static const struct voice {
    const char *name;
    int count;
    double seconds[4];
} kit[] = {
    { "bd", LEN(kicks), { 1.3, 1.6, 0.95, 0.55 } },
    { "sn", LEN(snares), { 0.5, 0.4, 0.9 } },
    { "hh", LEN(hats), { 0.2, 0.35, 0.2 } },
    { "oh", LEN(open_hats), { 1.2, 1.6 } },
    { "cp", LEN(claps), { 0.6, 0.8 } },
    { "rim", LEN(rims), { 0.12 } },
    { "lt", LEN(low_toms), { 1.0 } },
    { "mt", LEN(mid_toms), { 0.8 } },
    { "ht", LEN(high_toms), { 0.6 } },
    { "cb", 2, { 0.7 } },
    { "cr", LEN(crashes), { 3.2, 1.6 } },
    { "rd", 2, { 2.0 } },
    { "perc", LEN(woods), { 0.25 } },
    { "bass", LEN(bass_hz), { 1.2 } },
    { "arpy", LEN(arpy_hz), { 1.5 } },
};

static void render(const struct voice *v, int k, double *x, int n, struct rng *r)
{
    const char *s = v->name;
    if (!strcmp(s, "bd"))        make_kick(x, n, r, &kicks[k]);
    else if (!strcmp(s, "sn"))   make_snare(x, n, r, &snares[k]);
    else if (!strcmp(s, "hh"))   make_metal(x, n, r, &hats[k]);
    else if (!strcmp(s, "oh"))   make_metal(x, n, r, &open_hats[k]);
    else if (!strcmp(s, "cp"))   make_clap(x, n, r, &claps[k]);
    else if (!strcmp(s, "rim"))  make_ping(x, n, r, &rims[k]);
    else if (!strcmp(s, "lt"))   make_ping(x, n, r, &low_toms[k]);
    else if (!strcmp(s, "mt"))   make_ping(x, n, r, &mid_toms[k]);
    else if (!strcmp(s, "ht"))   make_ping(x, n, r, &high_toms[k]);
    else if (!strcmp(s, "cb"))   make_cowbell(x, n, k ? 1.12 : 1.0);
    else if (!strcmp(s, "cr"))   make_metal(x, n, r, &crashes[k]);
    else if (!strcmp(s, "rd"))   make_ride(x, n, r, k ? 1.1 : 1.0, k ? 0.5 : 1.0);
    else if (!strcmp(s, "perc")) make_ping(x, n, r, &woods[k]);
    else if (!strcmp(s, "bass")) make_bass(x, n, bass_hz[k]);
    else                         make_pluck(x, n, arpy_hz[k]);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_samples OUTDIR\n");
        return 64;
    }
    const char *out = argv[1];
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "make_samples: %s: %s\n", out, strerror(errno));
        return 73;
    }
    char path[4096];
    for (int v = 0; v < LEN(kit); v++) {
        snprintf(path, sizeof path, "%s/%s", out, kit[v].name);
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            fprintf(stderr, "make_samples: %s: %s\n", path, strerror(errno));
            return 73;
        }
        for (int k = 0; k < kit[v].count; k++) {
            double sec = k < 4 && kit[v].seconds[k] > 0.0 ? kit[v].seconds[k] : kit[v].seconds[0];
            int n = (int)(sec * RATE);
            double *x = calloc((size_t)n, sizeof *x);
            if (!x) {
                perror("make_samples");
                return 70;
            }
            struct rng r = rng_seed(kit[v].name, k);
            render(&kit[v], k, x, n, &r);
            finish(x, n);
            snprintf(path, sizeof path, "%s/%s/%s_%d.wav", out, kit[v].name, kit[v].name, k);
            int rc = write_wav(path, x, n);
            free(x);
            if (rc)
                return 73;
        }
    }
    return 0;
}
