/* dsp.h -- pure signal-processing kernels: oscillators, filters, envelopes,
 * pan, interpolation (per-lane, inline), bus effects (block functions) and
 * SuperDirt-style instruments (SoA voices).
 *
 * Nothing in this module allocates, locks, prints, touches files or keeps
 * global mutable state after dsp_init(): every function below may be called
 * on the audio thread or any worker thread, concurrently, as long as two
 * threads never share one state object. Output depends only on inputs and
 * state, so the same input gives the same bits on every run.
 *
 * THREE KINDS OF CODE
 *
 * 1. Per-lane kernels (static inline, this header). Each processes ONE
 *    sample of ONE lane; its state is passed as plain scalars by pointer, so
 *    the engine can keep structure-of-arrays state and write
 *
 *        for (int i = 0; i < n; i++)
 *            for (int l = 0; l < W; l++)
 *                out[i * W + l] = dsp_saw_tick(&ph[l], inc[l]);
 *
 *    and have the lane loop vectorised (W = 4, 8 or 16). The kernels are
 *    therefore branch-free (ternaries on floats become blends), use float
 *    only, and call no libm function: sin, tan, tanh, exp2 and log2 are the
 *    polynomial approximations below, whose accuracy is stated. Table reads
 *    (band-limited step tables, sample buffers) become gathers or per-lane
 *    loads. Every ternary selects between values computed beforehand (an
 *    arithmetic arm counts as a possible FP trap and stays a branch).
 *
 *    Checked with -fopt-info-vec / -Rpass=loop-vectorize on lane loops over
 *    saw, tri, sine, svf (coefficients per sample), moog, adsr, pink noise
 *    and Hermite reads, and on the instrument renders: clang 14 -O2 -mavx2
 *    vectorises all of them (8 lanes). GCC 12 vectorises them only with
 *    -O3 -fno-trapping-math -fno-tree-pre -fno-tree-dominator-opts
 *    -fno-thread-jumps (without these, if-conversion gives up on the selects
 *    and jump threading turns clamps back into branches); even then the
 *    superpwm and superchip renders stay scalar.
 *
 * 2. Bus effects (dsp_fx.c, dsp_reverb.c): block functions over n frames with per-sample
 *    parameter arrays and caller-provided memory sized by a _size() call
 *    made when a program is compiled (miniaudio's get_heap_size +
 *    init_preallocated). _process never allocates.
 *
 * 3. Instruments (dsp_synth.c): SuperDirt-style voices with SoA state for up
 *    to DSP_MAX_LANES lanes and a render function writing lane-interleaved
 *    output out[frame * W + lane].
 *
 * CONVENTIONS
 *
 *  - Sample rate sr in Hz, assumed in [8000, 384000]. Frequencies in Hz,
 *    times in seconds unless a name ends in _samples, levels linear unless a
 *    name ends in _db. Out-of-range parameters are clamped, never rejected;
 *    NaN parameters are treated as the low end of their range.
 *  - Oscillator phase is in [0, 1) (one period = 1), inc = freq / sr
 *    (negative inc runs backwards). Audio is nominally -1..1.
 *  - Denormals: recursive states (filters, reverb/delay lines, envelope
 *    followers) are flushed to exactly 0 when their magnitude drops below
 *    DSP_TINY (1e-15, -300 dBFS) by dsp_flush(), so no denormal ever reaches
 *    the arithmetic whatever the MXCSR flags. The engine may in addition set
 *    FTZ/DAZ on its threads; results are then unchanged.
 *  - Determinism: no hidden state, no libm in per-sample code, noise from
 *    explicit xorshift32 states. Bit-identical results between the scalar
 *    and SIMD builds additionally need the same floating-point contraction
 *    in both (compile with -ffp-contract=off, otherwise clang fuses a*b+c
 *    into FMA where -mfma is on).
 *  - The rounding trick in dsp_roundf() needs IEEE single-precision
 *    arithmetic without excess precision (SSE, NEON; not x87) and no
 *    -ffast-math.
 */
#ifndef DSP_H
#define DSP_H

#include <math.h>       /* fabsf: a single instruction, never a libm call */
#include <stddef.h>
#include <stdint.h>
#include <string.h>     /* memcpy for bit casts */

enum { DSP_MAX_LANES = 16 };            /* widest SIMD batch (AVX-512) */

/* Per-lane kernels must inline into the lane loops, or the loops cannot be
 * vectorised (a call is a barrier); the bigger ones would not be inlined by
 * the compilers' size heuristics alone. */
#if defined(__GNUC__) || defined(__clang__)
#define DSP_INLINE static inline __attribute__((always_inline))
#else
#define DSP_INLINE static inline
#endif

#define DSP_TINY 1e-15f                 /* flush-to-zero threshold */
#define DSP_PI 3.14159265358979f
#define DSP_TWO_PI 6.28318530717959f

/* One-time set-up of the read-only tables (band-limited step and ramp
 * residuals) used by the saw/square/pulse/tri kernels. REQUIRED: call it
 * once from the main thread before any audio runs (the tables start as
 * zeros, and those oscillators are wrong without them). Calling it again is
 * harmless but must not race with oscillators on another thread. */
void dsp_init(void);

/* ======================================================================
 * Scalar helpers. All branch-free, pure, any thread.
 * ====================================================================== */

/* min/max/clamp written as selects so they vectorise; a NaN x gives lo in
 * dsp_clampf (and b in dsp_minf/dsp_maxf). */
DSP_INLINE float dsp_minf(float a, float b) { return a < b ? a : b; }
DSP_INLINE float dsp_maxf(float a, float b) { return a > b ? a : b; }
DSP_INLINE float dsp_clampf(float x, float lo, float hi)
{
    x = x > lo ? x : lo;
    return x < hi ? x : hi;
}


/* Flush denormals to zero in this thread's floating-point unit (x86 FTZ and
 * DAZ, the FZ bit on AArch64). Recursive states are flushed by dsp_flush
 * anyway; this catches the rest (a filter ringing out, a gain ramp), where a
 * denormal operand costs a hundred cycles. Cheap enough to call per block. */
DSP_INLINE void dsp_denormals_off(void)
{
#if defined(__SSE2__)
    unsigned int csr;
    __asm__ volatile("stmxcsr %0" : "=m"(csr));
    csr |= 0x8040u;                                 /* FTZ | DAZ */
    __asm__ volatile("ldmxcsr %0" : : "m"(csr));
#elif defined(__aarch64__)
    uint64_t fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    fpcr |= (uint64_t)1 << 24;                      /* FZ */
    __asm__ volatile("msr fpcr, %0" : : "r"(fpcr));
#endif
}

/* 0 for |x| < DSP_TINY, else x: keeps recursive states out of denormals. */
DSP_INLINE float dsp_flush(float x)
{
    return fabsf(x) < DSP_TINY ? 0.0f : x;
}

/* Round to nearest (ties to even) for |x| < 2^22, by adding and removing
 * 1.5 * 2^23: the addition drops the fraction bits. Larger |x| are already
 * integers or nearly so; the result is then a multiple of 2 nearby. */
DSP_INLINE float dsp_roundf(float x)
{
    return (x + 12582912.0f) - 12582912.0f;
}

/* floor(x) for |x| < 2^22. */
DSP_INLINE float dsp_floorf(float x)
{
    float r = dsp_roundf(x);
    return r - (r > x ? 1.0f : 0.0f);
}

/* x - floor(x): the fractional part, strictly in [0, 1) (a tiny negative x
 * whose fraction would round to 1.0f gives 0), for |x| < 2^22. */
DSP_INLINE float dsp_wrap1(float x)
{
    float r = x - dsp_floorf(x);
    return r < 1.0f ? r : 0.0f;
}

/* sin(2 pi x) for |x| < 2^22. Reduces x to [-1/4, 1/4] of a period and
 * evaluates the odd Taylor polynomial of degree 11: |error| < 2e-7 over the
 * whole range (1.6e-7 measured by test_dsp_math_approximations_accuracy);
 * sin2pi(0) and sin2pi(k/2) are exactly 0. */
DSP_INLINE float dsp_sin2pi(float x)
{
    x = x - dsp_roundf(x);                      /* [-1/2, 1/2] */
    float ax = fabsf(x);
    float fold = 0.5f - ax;
    float y = ax > 0.25f ? fold : ax;           /* sin(pi - a) = sin(a) */
    float neg = -y;
    y = x < 0.0f ? neg : y;                     /* [-1/4, 1/4] */
    float y2 = y * y;
    float p = -15.0946425768f;                  /* -(2pi)^11 / 11! */
    p = p * y2 + 42.0586939449f;                /*  (2pi)^9 / 9!   */
    p = p * y2 - 76.7058597531f;                /* -(2pi)^7 / 7!   */
    p = p * y2 + 81.6052492761f;                /*  (2pi)^5 / 5!   */
    p = p * y2 - 41.3417022404f;                /* -(2pi)^3 / 3!   */
    p = p * y2 + 6.28318530718f;                /*   2pi           */
    return p * y;
}

/* cos(2 pi x), same accuracy. */
DSP_INLINE float dsp_cos2pi(float x)
{
    return dsp_sin2pi(x + 0.25f);
}

/* tan(pi x) for x in [0, 0.49] (the SVF prewarp), as a ratio of the sine
 * polynomials: relative error < 5e-6 up to x = 0.49 (tan = 31.8). */
DSP_INLINE float dsp_tanpi(float x)
{
    return dsp_sin2pi(0.5f * x) / dsp_sin2pi(0.5f * x + 0.25f);
}

/* 2^x. x is clamped to [-126, 126]; relative error < 3e-7 (degree-6
 * polynomial of the fraction in [-1/2, 1/2], exponent set by bits). */
DSP_INLINE float dsp_exp2(float x)
{
    x = dsp_clampf(x, -126.0f, 126.0f);
    float n = dsp_roundf(x);
    float f = (x - n) * 0.693147180560f;        /* ln 2 * fraction */
    float p = 1.0f / 720.0f;
    p = p * f + 1.0f / 120.0f;
    p = p * f + 1.0f / 24.0f;
    p = p * f + 1.0f / 6.0f;
    p = p * f + 0.5f;
    p = p * f + 1.0f;
    p = p * f + 1.0f;
    uint32_t bits = (uint32_t)((int32_t)n + 127) << 23;
    float scale;
    memcpy(&scale, &bits, sizeof scale);
    return p * scale;
}

/* log2(x) for x > 0 (x <= 1e-30 or NaN gives log2(1e-30) = -99.66).
 * |error| < 1e-6 + the float rounding of the result (< 4e-6 up to
 * |log2 x| = 90). */
DSP_INLINE float dsp_log2(float x)
{
    x = x > 1e-30f ? x : 1e-30f;
    uint32_t b;
    memcpy(&b, &x, sizeof b);
    float e = (float)((int32_t)(b >> 23) - 127);
    b = (b & 0x007FFFFFu) | 0x3F800000u;
    float m;
    memcpy(&m, &b, sizeof m);                   /* mantissa in [1, 2) */
    int big = m > 1.41421356f;
    float half = 0.5f * m, e1 = e + 1.0f;
    m = big ? half : m;                         /* [0.707, 1.414] */
    e = big ? e1 : e;
    float z = (m - 1.0f) / (m + 1.0f);          /* ln m = 2 atanh z */
    float z2 = z * z;
    float p = 1.0f / 9.0f;
    p = p * z2 + 1.0f / 7.0f;
    p = p * z2 + 1.0f / 5.0f;
    p = p * z2 + 1.0f / 3.0f;
    p = p * z2 + 1.0f;
    return e + 2.88539008178f * z * p;          /* 2 / ln 2 */
}

/* tanh(x): |error| < 3e-7. Below |x| = 0.004 the cubic Taylor term is used
 * (relative accuracy for tiny signals); elsewhere (e - 1) / (e + 1) with
 * e = 2^(2x / ln 2), x clamped to +-9 where tanh is 1 in float. */
DSP_INLINE float dsp_tanh(float x)
{
    x = dsp_clampf(x, -9.0f, 9.0f);
    float e = dsp_exp2(x * 2.88539008178f);
    float big = (e - 1.0f) / (e + 1.0f);
    float small = x - x * x * x * (1.0f / 3.0f);
    return fabsf(x) < 0.004f ? small : big;
}

/* Decibels to linear gain and back (dsp_exp2/dsp_log2 accuracy). */
DSP_INLINE float dsp_db_to_gain(float db)
{
    return dsp_exp2(db * 0.166096404744f);      /* log2(10) / 20 */
}
DSP_INLINE float dsp_gain_to_db(float g)
{
    return dsp_log2(g) * 6.02059991328f;        /* 20 log10(2) */
}

/* MIDI-style note (semitones, 69 = A4 = 440 Hz) to Hz. */
DSP_INLINE float dsp_mtof(float note)
{
    return 440.0f * dsp_exp2((note - 69.0f) * (1.0f / 12.0f));
}

/* ======================================================================
 * Oscillators (per lane). State: float phase in [0, 1). inc = freq / sr,
 * any sign; |inc| >= 0.5 (at or above Nyquist) gives a waveform that is no
 * longer meaningful but stays bounded. Each _tick returns the sample at the
 * current phase, then advances the phase by inc (wrapped into [0, 1)).
 *
 * Band limiting (saw, square, pulse, tri): the naive waveform plus, around
 * each discontinuity, the residual of a band-limited step (BLEP) or, for the
 * corners of the triangle, of a band-limited ramp (BLAMP). The step is
 * filtered by a Kaiser-windowed sinc (cutoff 0.41 sr, beta 5.5) spanning
 * +-8 samples, tabulated by dsp_init() at 32 points per sample and read with
 * linear interpolation. The corrections are computed from the phase alone
 * (distance to the two previous and two next edges), so the kernels keep no
 * extra state and are exact while the period is at least 4 samples
 * (f <= sr / 4). Measured for a 5 kHz saw at 48 kHz: every aliasing product
 * below -73.5 dB relative to the fundamental over 0..24 kHz (-76.7 dB over
 * 0..22.05 kHz at 44.1 kHz), where a 2-sample polyBLEP reaches -22 dB; the
 * price is a gentle roll-off of the top octave (a 20 kHz harmonic is 7 dB
 * below 1/n at 48 kHz).
 * ====================================================================== */

enum {
    DSP_BLEP_HALF = 8,                          /* kernel half-width, samples */
    DSP_BLEP_RES = 32,                          /* table points per sample */
    DSP_BLEP_LEN = 2 * DSP_BLEP_HALF * DSP_BLEP_RES + 2,
};
/* Tables filled by dsp_init(), entry i at t = i / RES - HALF samples from
 * the edge (the last entry repeats the one before, for interpolation):
 *   dsp_blep_table   the band-limited unit step itself: 0 at -HALF, 1/2 at
 *                    0, 1 at +HALF (continuous, so it interpolates well);
 *   dsp_blamp_table  the band-limited unit-slope corner minus the ideal
 *                    corner max(t, 0): 0 at and beyond +-HALF. */
extern float dsp_blep_table[DSP_BLEP_LEN];
extern float dsp_blamp_table[DSP_BLEP_LEN];

/* Linear read of a table at t samples from the edge (clamped to the ends). */
DSP_INLINE float dsp_blep_lerp(const float *tab, float t)
{
    float x = (t + (float)DSP_BLEP_HALF) * (float)DSP_BLEP_RES;
    x = dsp_clampf(x, 0.0f, (float)(DSP_BLEP_LEN - 2));
    int32_t i = (int32_t)x;
    float f = x - (float)i;
    return tab[i] + f * (tab[i + 1] - tab[i]);
}

/* Step residual: band-limited step minus the ideal step (1 from t = 0). */
DSP_INLINE float dsp_blep_res(float t)
{
    return dsp_blep_lerp(dsp_blep_table, t) - (t >= 0.0f ? 1.0f : 0.0f);
}

/* Sums of the residuals of the edges of a periodic waveform within reach
 * of now: d in [0, 1) is the phase elapsed since the last edge, period the
 * period in samples. Edges sit at -d*period and -(d+1)*period (past) and at
 * (1-d)*period and (2-d)*period (future). */
DSP_INLINE float dsp_blep_sum(float d, float period)
{
    float a = d * period;                       /* samples since last edge */
    return dsp_blep_res(a) + dsp_blep_res(a + period)
         + dsp_blep_res(a - period) + dsp_blep_res(a - 2.0f * period);
}
DSP_INLINE float dsp_blamp_sum(float d, float period)
{
    float a = d * period;
    return dsp_blep_lerp(dsp_blamp_table, a) + dsp_blep_lerp(dsp_blamp_table, a + period)
         + dsp_blep_lerp(dsp_blamp_table, a - period)
         + dsp_blep_lerp(dsp_blamp_table, a - 2.0f * period);
}

/* Period in samples for an increment, kept finite (inc 0 = 1e7 samples). */
DSP_INLINE float dsp_osc_period(float inc)
{
    return 1.0f / dsp_maxf(fabsf(inc), 1e-7f);
}

/* An oscillator's phase increment (cycles per sample) as every oscillator
 * takes it: NaN gives 0, and |inc| is at most 1/2 (the Nyquist frequency).
 * A frequency above Nyquist has nothing band-limited to play, and the edge
 * loops (dsp_blep_sum's four terms, the kernels' edge visits) count on a
 * period of at least 2 samples: an unbounded inc made them spin (`saw #
 * note 2000`). Written with selects only, so the kernels vectorise it. */
DSP_INLINE float dsp_inc_bound(float inc)
{
    float hi = inc < 0.5f ? inc : 0.5f;         /* NaN -> 0.5, fixed below */
    float x = inc > -0.5f ? hi : -0.5f;
    return inc == inc ? x : 0.0f;
}

/* Advance a phase; returns nothing, keeps it in [0, 1). */
DSP_INLINE void dsp_phase_step(float *phase, float inc)
{
    *phase = dsp_wrap1(*phase + inc);
}

/* Sine, |error| < 2e-7 (see dsp_sin2pi). */
DSP_INLINE float dsp_sine_tick(float *phase, float inc)
{
    float y = dsp_sin2pi(*phase);
    dsp_phase_step(phase, inc);
    return y;
}

/* Band-limited rising saw at phase d (in [0, 1)), period in samples. The
 * naive part and the residuals are both functions of d, so they agree on
 * which side of the edge a sample lies even when d rounds to 0. */
DSP_INLINE float dsp_blsaw(float d, float period)
{
    return 2.0f * d - 1.0f - 2.0f * dsp_blep_sum(d, period);
}

/* Rising saw 2 phase - 1, falling edge of 2 at phase 0. */
DSP_INLINE float dsp_saw_tick(float *phase, float inc)
{
    float y = dsp_blsaw(dsp_wrap1(*phase), dsp_osc_period(inc));
    dsp_phase_step(phase, inc);
    return y;
}

/* Pulse: +1 for phase < width, -1 after. width is clamped to [0.01, 0.99].
 * Built as the difference of two band-limited saws a width apart (so the
 * edges stay consistent, see dsp_blsaw). The naive pulse's mean 2 width - 1
 * is kept (no DC removal), so square = pulse 0.5 has mean 0. */
DSP_INLINE float dsp_pulse_tick(float *phase, float inc, float width)
{
    float p = dsp_wrap1(*phase), per = dsp_osc_period(inc);
    float w = dsp_clampf(width, 0.01f, 0.99f);
    float y = dsp_blsaw(dsp_wrap1(p - w), per) - dsp_blsaw(p, per) + (2.0f * w - 1.0f);
    dsp_phase_step(phase, inc);
    return y;
}

DSP_INLINE float dsp_square_tick(float *phase, float inc)
{
    return dsp_pulse_tick(phase, inc, 0.5f);
}

/* Triangle: -1 at phase 0, +1 at phase 1/2 (start at phase 1/4 for a
 * triangle that starts at 0, rising, in phase with a sine). Corners are
 * corrected with the band-limited ramp residual: the slope changes by
 * +-8 |inc| per sample at phase 0 and 1/2. */
DSP_INLINE float dsp_tri_tick(float *phase, float inc)
{
    float p = dsp_wrap1(*phase), per = dsp_osc_period(inc);
    float y = p < 0.5f ? 4.0f * p - 1.0f : 3.0f - 4.0f * p;
    float dslope = 8.0f * fabsf(inc);
    y += dslope * dsp_blamp_sum(p, per);
    y -= dslope * dsp_blamp_sum(dsp_wrap1(p - 0.5f), per);
    dsp_phase_step(phase, inc);
    return y;
}

/* Two-operator phase modulation: sin(2 pi pc + index * sin(2 pi pm)).
 * index in radians (the classic FM index beta), clamped to [0, 100].
 * Not band-limited: sidebands beyond Nyquist alias, as in every FM synth;
 * keep carrier + index * modulator below sr/2 for clean results. */
DSP_INLINE float dsp_fm_tick(float *pc, float *pm, float inc_c, float inc_m, float index)
{
    float i = dsp_clampf(index, 0.0f, 100.0f) * (1.0f / DSP_TWO_PI);
    float y = dsp_sin2pi(*pc + i * dsp_sin2pi(*pm));
    dsp_phase_step(pc, inc_c);
    dsp_phase_step(pm, inc_m);
    return y;
}

/* ----- Noise. State: uint32_t rng, never 0 (dsp_noise_seed gives one). */

/* A usable nonzero xorshift32 state from any seed (e.g. a voice index). */
DSP_INLINE uint32_t dsp_noise_seed(uint32_t seed)
{
    uint32_t x = seed * 2654435761u + 0x9E3779B9u;  /* spread small seeds */
    x ^= x >> 16;
    return x ? x : 0x12345678u;
}

/* White noise, uniform in [-1, 1), from Marsaglia's xorshift32. */
DSP_INLINE float dsp_noise_tick(uint32_t *rng)
{
    uint32_t x = *rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *rng = x;
    return (float)((int32_t)x >> 8) * (1.0f / 8388608.0f);  /* top 24 bits: exact */
}

/* Pink noise (-3 dB/octave, within +-0.5 dB from about 10 Hz to 20 kHz at
 * 44.1-48 kHz): white noise through three parallel leaky integrators plus a
 * direct path, the economy filter Paul Kellet described. State: rng and
 * b0, b1, b2 (start at 0). Output RMS about 0.2, peaks just under 1. */
DSP_INLINE float dsp_pink_tick(uint32_t *rng, float *b0, float *b1, float *b2)
{
    float w = dsp_noise_tick(rng);
    *b0 = 0.99765f * *b0 + w * 0.0990460f;
    *b1 = 0.96300f * *b1 + w * 0.2965164f;
    *b2 = 0.57000f * *b2 + w * 1.0526913f;
    return (*b0 + *b1 + *b2 + w * 0.1848f) * 0.12f;
}

/* Brown (red) noise, -6 dB/octave above about 8 Hz at 48 kHz: leaky
 * integral of white noise. State: rng and b (start at 0). RMS about 0.19,
 * peaks just under 1. */
DSP_INLINE float dsp_brown_tick(uint32_t *rng, float *b)
{
    float w = dsp_noise_tick(rng);
    *b = 0.999f * *b + w * 0.0147f;
    return *b;
}

/* ======================================================================
 * State-variable filter (per lane): the trapezoidal, zero-delay-feedback
 * SVF (Zavalishin's TPT topology in Andrew Simper's formulation). Stable
 * for any cutoff/q, including per-sample modulation: the state stays
 * bounded whatever the coefficient sequence.
 *
 * Coefficients: cutoff clamped to [10 Hz, 0.49 sr], q to [0.1, 50]
 * (0.707 = Butterworth). Computing them costs two sines and two divisions:
 * do it once per block for constant parameters, per sample for signals.
 * State: ic1eq, ic2eq (start at 0).
 * ====================================================================== */

struct dsp_svf_coef {
    float a1, a2, a3;           /* Simper's a1 = 1/(1 + g(g + k)), a2 = g a1, a3 = g a2 */
    float k;                    /* damping 1/q */
};

struct dsp_svf_out {
    float lp;                   /* low-pass, unity gain at DC */
    float bp;                   /* band-pass, unity gain at the cutoff */
    float hp;                   /* high-pass, unity gain at Nyquist */
};                              /* notch = lp + hp; peak = lp - hp */

DSP_INLINE struct dsp_svf_coef dsp_svf_coef(float cutoff_hz, float q, float sr)
{
    float fc = dsp_clampf(cutoff_hz, 10.0f, 0.49f * sr);
    float g = dsp_tanpi(fc / sr);
    float k = 1.0f / dsp_clampf(q, 0.1f, 50.0f);
    struct dsp_svf_coef c;
    c.a1 = 1.0f / (1.0f + g * (g + k));
    c.a2 = g * c.a1;
    c.a3 = g * c.a2;
    c.k = k;
    return c;
}

DSP_INLINE struct dsp_svf_out dsp_svf_tick(float *ic1eq, float *ic2eq,
                                              struct dsp_svf_coef c, float x)
{
    float s1 = *ic1eq, s2 = *ic2eq;
    float v3 = x - s2;
    float v1 = c.a1 * s1 + c.a2 * v3;           /* band (unnormalised) */
    float v2 = s2 + c.a2 * s1 + c.a3 * v3;      /* low */
    *ic1eq = dsp_flush(2.0f * v1 - s1);
    *ic2eq = dsp_flush(2.0f * v2 - s2);
    struct dsp_svf_out o;
    o.lp = v2;
    o.bp = c.k * v1;
    o.hp = x - c.k * v1 - v2;
    return o;
}

/* ======================================================================
 * Moog-style ladder (per lane): four trapezoidal one-pole low-passes in
 * series with global negative feedback k * y4, solved without a unit delay
 * (the feedback is computed from the linear prediction of the cascade),
 * and a tanh on the signal entering the ladder. That tanh bounds the input
 * of four one-poles, so the output is bounded for any cutoff, resonance
 * and finite input, modulated or not: |y| <= 1 while the cutoff is at most
 * sr/4 (each stage's impulse response is then positive with unit area),
 * and in theory up to 1.94^4 above; the 60 s sweep test peaks at 0.95.
 *
 * cutoff clamped to [10 Hz, 0.49 sr]; resonance 0..1 (clamped) maps to
 * k = 4.2 * resonance: self-oscillation (a sine at the cutoff that persists
 * without input) starts near resonance 0.96. Passband gain is 1/(1 + k) for
 * small signals (the classic Moog bass loss). State: s1..s4 (start at 0).
 * ====================================================================== */

struct dsp_moog_coef {
    float G;                    /* one-pole gain g / (1 + g) */
    float k;                    /* feedback 0..4.2 */
    float G4;                   /* G^4 */
    float inv;                  /* 1 / (1 + k G^4) */
};

DSP_INLINE struct dsp_moog_coef dsp_moog_coef(float cutoff_hz, float resonance, float sr)
{
    float fc = dsp_clampf(cutoff_hz, 10.0f, 0.49f * sr);
    float g = dsp_tanpi(fc / sr);
    struct dsp_moog_coef c;
    c.G = g / (1.0f + g);
    c.k = 4.2f * dsp_clampf(resonance, 0.0f, 1.0f);
    float G2 = c.G * c.G;
    c.G4 = G2 * G2;
    c.inv = 1.0f / (1.0f + c.k * c.G4);
    return c;
}

/* One trapezoidal one-pole low-pass stage: y = G (x - s) + s, s' = 2y - s. */
DSP_INLINE float dsp_onepole_tpt(float *s, float G, float x)
{
    float v = G * (x - *s);
    float y = v + *s;
    *s = dsp_flush(y + v);
    return y;
}

DSP_INLINE float dsp_moog_tick(float *s1, float *s2, float *s3, float *s4,
                                  struct dsp_moog_coef c, float x)
{
    /* Each stage is y = G x + (1 - G) s; the cascade's output is
     * G^4 u + S with S gathered from the states. */
    float b = 1.0f - c.G;
    float S = b * (c.G * (c.G * (c.G * *s1 + *s2) + *s3) + *s4);
    float y4 = (c.G4 * x + S) * c.inv;         /* linear zero-delay solve */
    float u = dsp_tanh(x - c.k * y4);
    float y = dsp_onepole_tpt(s1, c.G, u);
    y = dsp_onepole_tpt(s2, c.G, y);
    y = dsp_onepole_tpt(s3, c.G, y);
    return dsp_onepole_tpt(s4, c.G, y);
}

/* ======================================================================
 * Envelopes (per lane), linear segments with exact lengths in samples.
 *
 * State (all float, start at 0 = idle, level 0):
 *   level  current output, 0..1
 *   stage  DSP_ENV_IDLE .. DSP_ENV_RELEASE (stored as float to vectorise)
 *   slope  per-sample change of the running segment
 *   left   samples left in the running segment
 *
 * Per sample inputs: trig > 0 starts the attack at this sample (a
 * retrigger starts from the current level, so there is no jump); gate > 0
 * holds the sustain, gate <= 0 moves any attack/decay/sustain into the
 * release (from the current level). The sample on which a segment of N
 * samples starts already moves by 1/N of the way, and the level equals the
 * segment's target exactly on its N-th sample: an attack of A samples
 * triggered at frame t reaches 1 at frame t + A - 1, the decay of D samples
 * reaches sustain at frame t + A + D - 1, and a release of R samples that
 * starts at frame g reaches 0 at frame g + R - 1. Lengths are rounded to
 * whole samples and at least 1 (attack 0 = full level on the trigger
 * sample). Use dsp_env_samples() to turn seconds into lengths once per
 * block.
 * ====================================================================== */

enum dsp_env_stage {
    DSP_ENV_IDLE = 0,
    DSP_ENV_ATTACK = 1,
    DSP_ENV_DECAY = 2,
    DSP_ENV_SUSTAIN = 3,
    DSP_ENV_RELEASE = 4,
};

/* Segment length in samples for a time in seconds: round(t sr), at least
 * 1, at most 2^24 (349 s at 48 kHz). */
DSP_INLINE float dsp_env_samples(float seconds, float sr)
{
    return dsp_clampf(dsp_roundf(seconds * sr), 1.0f, 16777216.0f);
}

/* The ADSR machine. att/dec/rel: segment lengths in samples (>= 1, see
 * dsp_env_samples); sus: sustain level, clamped to [0, 1]. Decay runs from
 * 1 to sus; with sus = 0 the envelope ends (stage IDLE) when the decay ends.
 * Returns the level for this sample. */
DSP_INLINE float dsp_adsr_tick(float *level, float *stage, float *slope, float *left,
                                  float trig, float gate,
                                  float att, float dec, float sus, float rel)
{
    /* Every candidate value is computed before the selects, and selects
     * only pick between values: compilers then turn them into blends
     * instead of branches (an arithmetic arm counts as a possible trap). */
    float lv = *level, st = *stage, sl = *slope, n = *left;
    sus = dsp_clampf(sus, 0.0f, 1.0f);
    const float A = DSP_ENV_ATTACK, D = DSP_ENV_DECAY, S = DSP_ENV_SUSTAIN;
    const float R = DSP_ENV_RELEASE, I = DSP_ENV_IDLE;

    /* Events at this sample: trigger, then gate-off (which wins). */
    float att_slope = (1.0f - lv) / att, rel_slope = -lv / rel;
    int go = trig > 0.0f;
    st = go ? A : st;
    n = go ? att : n;
    sl = go ? att_slope : sl;
    int off = (gate <= 0.0f) & (st >= A) & (st <= S);
    st = off ? R : st;
    n = off ? rel : n;
    sl = off ? rel_slope : sl;

    /* Run the current segment one sample; idle and sustain hold. */
    int moving = (st == A) | (st == D) | (st == R);
    float lv1 = lv + sl, n1 = n - 1.0f;
    lv = moving ? lv1 : lv;
    n = moving ? n1 : n;
    int done = moving & (n <= 0.0f);

    /* Segment ends: snap to its target, enter the next stage. */
    int a_end = done & (st == A), d_end = done & (st == D), r_end = done & (st == R);
    float dec_slope = (sus - 1.0f) / dec;
    float after_decay = sus > 0.0f ? S : I;
    lv = a_end ? 1.0f : lv;
    lv = d_end ? sus : lv;
    lv = r_end ? 0.0f : lv;
    st = a_end ? D : st;
    n = a_end ? dec : n;
    sl = a_end ? dec_slope : sl;
    st = d_end ? after_decay : st;
    st = r_end ? I : st;
    lv = st == S ? sus : lv;                    /* sustain follows sus */

    *level = lv; *stage = st; *slope = sl; *left = n;
    return lv;
}

/* AD: attack then decay to 0, ignoring the gate; IDLE when done. */
DSP_INLINE float dsp_ad_tick(float *level, float *stage, float *slope, float *left,
                                float trig, float att, float dec)
{
    return dsp_adsr_tick(level, stage, slope, left, trig, 1.0f, att, dec, 0.0f, 1.0f);
}

/* AR: attack to 1, hold while gate > 0, release on gate-off. */
DSP_INLINE float dsp_ar_tick(float *level, float *stage, float *slope, float *left,
                                float trig, float gate, float att, float rel)
{
    return dsp_adsr_tick(level, stage, slope, left, trig, gate, att, 1.0f, 1.0f, rel);
}

/* Perc: full level on the trigger sample, then a decay to 0. The level
 * returned is squared, for the quick-then-slow fall of a struck sound (the
 * linear state still ends exactly after dec samples). */
DSP_INLINE float dsp_perc_tick(float *level, float *stage, float *slope, float *left,
                                  float trig, float dec)
{
    float v = dsp_ad_tick(level, stage, slope, left, trig, 1.0f, dec);
    return v * v;
}

/* Line: from -> to over dur samples, then holds at to. State: pos (samples
 * since the start; set it to 0 to restart). The first sample is from; the
 * sample at pos = dur is exactly to. */
DSP_INLINE float dsp_line_tick(float *pos, float from, float to, float dur)
{
    float d = dsp_maxf(dur, 1.0f);
    float t = dsp_minf(*pos / d, 1.0f);
    float y = from + (to - from) * t;
    *pos = dsp_minf(*pos + 1.0f, d);
    return t >= 1.0f ? to : y;
}

/* True (nonzero) when an envelope has finished (stage IDLE after having
 * run); a voice can free itself when this holds for all its envelopes. */
DSP_INLINE int dsp_env_idle(float stage)
{
    return stage == (float)DSP_ENV_IDLE;
}

/* ======================================================================
 * Pan and interpolation (per lane).
 * ====================================================================== */

/* Equal-power pan law, p in 0..1 (clamped; 0 left, 0.5 centre, 1 right):
 * left = cos(p pi/2), right = sin(p pi/2). p = 0 gives right exactly 0 (and
 * p = 1 left exactly 0); p = 0.5 gives both exactly equal, 0.7071 (-3 dB). */
DSP_INLINE void dsp_pan_gains(float p, float *left, float *right)
{
    p = dsp_clampf(p, 0.0f, 1.0f);
    *left = dsp_sin2pi(0.25f * (1.0f - p));
    *right = dsp_sin2pi(0.25f * p);
}

/* 4-point, 3rd-order Hermite (Catmull-Rom) interpolation of x at position
 * i + f, f in [0, 1): reads x[i-1], x[i], x[i+1], x[i+2]; the caller keeps
 * those in bounds (e.g. a buffer padded with one sample before and two
 * after). The position is split into an int32 index and a float fraction so
 * that samples longer than 2^24 frames keep sub-sample precision without
 * double. For SIMD gathers, keep every sample of a program in one arena and
 * give each lane an index into it (one base pointer for all lanes). */
DSP_INLINE float dsp_hermite(float xm1, float x0, float x1, float x2, float f)
{
    /* the Catmull-Rom cubic c3 f^3 + c2 f^2 + c1 f + x0 with
     * c1 = (x1 - xm1) / 2, c3 = (x2 - xm1) / 2 + 3 (x0 - x1) / 2 and
     * c2 = -(c1 + (x0 - x1) + c3), in 15 operations */
    float c1 = 0.5f * (x1 - xm1), v = x0 - x1, w = c1 + v;
    float c3 = (w + v) + 0.5f * (x2 - x0), b = w + c3;
    return ((c3 * f - b) * f + c1) * f + x0;
}

DSP_INLINE float dsp_hermite4(const float *x, int32_t i, float f)
{
    return dsp_hermite(x[i - 1], x[i], x[i + 1], x[i + 2], f);
}

/* Advance a split position by inc frames (any sign, |inc| < 2^22). */
DSP_INLINE void dsp_pos_step(int32_t *i, float *f, float inc)
{
    float t = *f + inc;
    float w = dsp_floorf(t);
    *i += (int32_t)w;
    *f = t - w;
}

/* ======================================================================
 * Bus effects (dsp_fx.c, dsp_reverb.c). Block functions.
 *
 * Memory: an effect whose state needs buffers (delay lines) has
 *     size_t dsp_X_size(<what fixes the memory>, float sr);   bytes needed
 *     void   dsp_X_init(struct dsp_X *s, void *mem, <same>, float sr);
 * mem must hold dsp_X_size() bytes, aligned for float, and outlive s; init
 * zeroes it (silence). Effects without buffers have only _init. Call
 * _size/_init when a program is compiled (any thread); _process on the
 * audio thread: no allocation, no locks, no libm calls per sample.
 * Carrying the struct and its mem over a reload keeps the tail playing.
 *
 * Processing: dsp_X_process(s, in..., out..., <parameter arrays>, n)
 * handles n frames (any n >= 0). Each parameter is an array of n values,
 * one per frame (fill it once per block for a constant). Out-of-range
 * values are clamped to the documented ranges. out may equal in (in-place)
 * unless stated otherwise. Stereo variants take inr/outr; where inr may be
 * NULL the input is mono.
 *
 * Every effect replaces NaN or infinite input samples by 0 before they can
 * reach its state, so one bad sample cannot poison a delay line or a
 * reverb tail for good.
 * ====================================================================== */

/* Smallest power of two >= n (n <= 2^31), for ring buffer sizes. */
static inline uint32_t dsp_pow2_at_least(uint32_t n)
{
    uint32_t p = 1;
    while (p < n)
        p <<= 1;
    return p;
}

/* 0 for NaN and +-Inf, else x. */
DSP_INLINE float dsp_finite(float x)
{
    return fabsf(x) <= 3.4e38f ? x : 0.0f;
}

/* ----- delay time feedback mix ------------------------------------------
 * time      seconds, clamped to [2 / sr, max_time]; changes glide with a
 *           50 ms time constant (tape-like pitch bend, never a click)
 * feedback  clamped to [-0.99, 0.99]; the loop holds a DC blocker (5 Hz)
 *           and its content is clamped to +-4, so it never drifts or runs away
 * mix       0..1: out = (1 - mix) dry + mix wet
 * An impulse at frame 0 with time T s comes out at frame round(T sr).
 * One instance per channel. */
struct dsp_delay {
    float *line;                /* power-of-two ring, in mem */
    uint32_t mask, w;           /* index mask, write position */
    float sr, max_samples;
    float cur;                  /* smoothed delay in samples */
    float dc_x, dc_y;           /* feedback-path DC blocker state */
};
size_t dsp_delay_size(float max_time, float sr);
void dsp_delay_init(struct dsp_delay *s, void *mem, float max_time, float sr);
/* As dsp_delay_init over memory known to be zero (fresh anonymous pages):
 * the line is not written, so its pages are faulted in as it is used. */
void dsp_delay_init_zeroed(struct dsp_delay *s, void *mem, float max_time, float sr);
void dsp_delay_process(struct dsp_delay *s, const float *in, float *out,
                       const float *time, const float *feedback, const float *mix, int n);

/* ----- chorus rate depth mix ---------------------------------------------
 * A delay of 12 ms swept by a sine LFO.
 * rate   LFO Hz, clamped to [0.01, 20]
 * depth  0..1: sweep of +-0 .. +-8 ms around the 12 ms centre
 * mix    0..1 crossfade (0.5 = classic chorus)
 * phase (init) LFO start phase 0..1: give the right channel's instance
 * 0.25 for a wide stereo chorus. One instance per channel. */
struct dsp_chorus {
    float *line;
    uint32_t mask, w;
    float sr, lfo;              /* LFO phase 0..1 */
};
size_t dsp_chorus_size(float sr);
void dsp_chorus_init(struct dsp_chorus *s, void *mem, float phase, float sr);
void dsp_chorus_init_zeroed(struct dsp_chorus *s, void *mem, float phase, float sr);   /* mem already 0 */
void dsp_chorus_process(struct dsp_chorus *s, const float *in, float *out,
                        const float *rate, const float *depth, const float *mix, int n);

/* ----- distort drive mix (stateless) -------------------------------------
 * wet = tanh(drive x) / tanh(drive): a full-scale input stays full scale,
 * so turning drive up changes the timbre more than the peak level.
 * drive clamped to [1, 100]; mix 0..1 crossfade. Per channel. */
void dsp_distort_process(const float *in, float *out, const float *drive,
                         const float *mix, int n);

/* ----- bitcrush bits downsample ------------------------------------------
 * bits        1..24 (fractional allowed): the signal is rounded to steps of
 *             2^(1 - bits) (bits 1 = three levels -1, 0, 1)
 * downsample  1..64: a sample is held for that many frames (fractional
 *             allowed; 1 = no rate reduction)
 * Per channel. State: held sample and hold phase. */
struct dsp_bitcrush {
    float held, phase;
};
void dsp_bitcrush_init(struct dsp_bitcrush *s);
void dsp_bitcrush_process(struct dsp_bitcrush *s, const float *in, float *out,
                          const float *bits, const float *downsample, int n);

/* ----- compress threshold_db ratio attack release makeup_db --------------
 * Feed-forward compressor in the log domain: the gain computer maps the
 * instantaneous level (dBFS of |x|, linked stereo: the louder channel) to
 * a gain reduction with a 6 dB soft knee; the reduction is smoothed by a
 * peak follower (attack when it grows, release when it shrinks) and
 * applied to both channels, plus makeup.
 * threshold_db  [-60, 0]
 * ratio         [1, 50] (1 = off; 50 ~ limiting)
 * attack        seconds [0.0001, 1]
 * release       seconds [0.001, 5]
 * makeup_db     [0, 40]
 * Steady state: a tone of peak level L > threshold T comes out with peak
 * T + (L - T) / ratio + makeup (within the release ripple).
 * inr/outr NULL for mono. */
struct dsp_compress {
    float sr;
    float gr;                   /* smoothed gain reduction, dB (>= 0) */
};
void dsp_compress_init(struct dsp_compress *s, float sr);
void dsp_compress_process(struct dsp_compress *s, const float *inl, const float *inr,
                          float *outl, float *outr, const float *threshold_db,
                          const float *ratio, const float *attack, const float *release,
                          const float *makeup_db, int n);

/* ----- limit ceiling_db --------------------------------------------------
 * Look-ahead peak limiter (1.5 ms look-ahead: the output is delayed by
 * dsp_limit_latency() frames, 71 at 48 kHz): the gain needed by every sample is known
 * before the sample arrives; the gain follows the minimum over the
 * look-ahead window, smoothed by a moving average of the same length (a
 * ramp instead of a step) and released with a 100 ms time constant. A
 * final clamp makes the guarantee exact: no output sample ever exceeds the
 * ceiling. ceiling_db in [-40, 0]. Linked stereo; inr/outr NULL for mono.
 * Not in-place (out must not alias in). */
enum { DSP_LIMIT_MAX_LOOKAHEAD = 1024 };
struct dsp_limit {
    float *dl, *dr;             /* signal delay lines (look-ahead) */
    float *req, *gmin;          /* required gains, min-filtered gains */
    uint32_t len, w;            /* look-ahead length (frames), write index */
    float sr, g;                /* released gain */
};
size_t dsp_limit_size(float sr);
void dsp_limit_init(struct dsp_limit *s, void *mem, float sr);
int dsp_limit_latency(const struct dsp_limit *s);
void dsp_limit_process(struct dsp_limit *s, const float *inl, const float *inr,
                       float *outl, float *outr, const float *ceiling_db, int n);

/* ----- master: DC blocker + soft limiter ---------------------------------
 * For the main output, last in the chain: a 5 Hz DC-blocking high-pass,
 * then a soft clipper that is the identity below 0.7 (-3.1 dBFS) and bends
 * smoothly (continuous slope) towards 1.0 above it, never reaching it;
 * while (and for a second after) the clipper bends, a third 5 Hz stage
 * after it removes the DC its bending makes. NaN/Inf become 0; the output
 * never leaves [-1, 1]. In-place allowed. One state per channel. */
struct dsp_master {
    float r;                    /* pole of both 5 Hz DC stages */
    float x1, y1;               /* input blocker's average, servo's integral (dsp_fx.c) */
    float c;                    /* after the clipper: the integral of the output (while
                                   the clipper bends and leaves DC) */
    float e, bent;              /* 0.5 Hz averages of the output (the DC it may leave)
                                   and of whether the clipper bends (0 or 1) */
    int32_t hold, hold_len;     /* frames left of that stage; its length (1 s) */
    float worst;                /* the largest gain reduction so far (a ratio >= 1) */
};
void dsp_master_init(struct dsp_master *s, float sr);
/* Returns how many of the n samples it reduced by more than 1 dB (the
 * input clamp and the clipper: DSP_MASTER_LIMITED); s->worst keeps the
 * largest reduction. */
int dsp_master_process(struct dsp_master *s, const float *in, float *out, int n);
#define DSP_MASTER_LIMITED 1.12201845f  /* 1 dB, as a ratio */

/* Memoryless part of the master, for reuse: identity below 0.7, < 1 always. */
DSP_INLINE float dsp_soft_clip(float x)
{
    float a = fabsf(x);
    float bent = 0.7f + 0.3f * dsp_tanh((a - 0.7f) * (1.0f / 0.3f));
    float y = a > 0.7f ? bent : a;
    float neg = -y;
    return x < 0.0f ? neg : y;
}

/* ----- reverb room_size damping mix (Freeverb topology) ------------------
 * Per channel 8 parallel feedback combs with low-pass damping in the loop,
 * then 4 series allpasses; the right channel's delays are 23 samples (at
 * 44.1 kHz) longer than the left's for stereo spread. Delay lengths are
 * the classic tuning scaled to sr.
 * room_size  0..1 -> comb feedback 0.7 .. 0.98 (RT60 about 0.5 .. 10 s)
 * damping    0..1 -> loop low-pass coefficient 0 .. 0.4
 * mix        0..1: out = (1 - mix) dry + mix wet (mix 0 is exactly dry)
 * Input mono (inr NULL) or stereo (summed to mono into the tank, as
 * Freeverb does); output stereo. */
enum { DSP_REVERB_COMBS = 8, DSP_REVERB_ALLPASSES = 4 };
struct dsp_reverb_line {
    float *buf;
    uint32_t len, pos;
    float store;                /* comb damping state */
};
struct dsp_reverb {
    struct dsp_reverb_line comb[2][DSP_REVERB_COMBS];
    struct dsp_reverb_line ap[2][DSP_REVERB_ALLPASSES];
};
size_t dsp_reverb_size(float sr);
void dsp_reverb_init(struct dsp_reverb *s, void *mem, float sr);
void dsp_reverb_init_zeroed(struct dsp_reverb *s, void *mem, float sr);    /* as dsp_delay_init_zeroed */
void dsp_reverb_process(struct dsp_reverb *s, const float *inl, const float *inr,
                        float *outl, float *outr, const float *room_size,
                        const float *damping, const float *mix, int n);

/* ----- plate predelay decay diffusion damping mod_depth mix --------------
 * Dattorro's plate (J. Audio Eng. Soc. 45(9), 1997): predelay, input
 * band-limit, four input diffusers, then a figure-eight tank of two
 * branches (modulated allpass, delay, damping, decay, allpass, delay) whose
 * outputs are tapped at seven points per channel. Delay lengths are the
 * paper's (at 29761 Hz) scaled to sr.
 * predelay   seconds [0, 0.5]                    (default 0)
 * decay      0..0.99 tank feedback gain           (default 0.5)
 * diffusion  0..1 scales the input diffusers      (default 0.7: the paper's 0.75/0.625)
 * damping    0..1 tank low-pass                   (default 0.3)
 * mod_depth  0..1 of a 16-sample (at 29761 Hz) excursion of the tank
 *            allpasses, at about 1 Hz             (default 0.5)
 * mix        0..1 crossfade                        (default 0.3)
 * Input mono or stereo (summed), output stereo. */
struct dsp_plate_line {
    float *buf;
    uint32_t len, mask, pos;    /* len: nominal delay; buf size mask + 1 */
};
struct dsp_plate {
    float sr, scale;            /* sr / 29761 */
    struct dsp_plate_line pre, in_ap[4];
    struct dsp_plate_line mod_ap[2], d1[2], ap2[2], d2[2];
    float bw, damp[2];          /* one-pole states */
    float lfo;                  /* LFO phase */
};
size_t dsp_plate_size(float sr);
void dsp_plate_init(struct dsp_plate *s, void *mem, float sr);
void dsp_plate_init_zeroed(struct dsp_plate *s, void *mem, float sr);   /* mem already 0 */
void dsp_plate_process(struct dsp_plate *s, const float *inl, const float *inr,
                       float *outl, float *outr, const float *predelay,
                       const float *decay, const float *diffusion, const float *damping,
                       const float *mod_depth, const float *mix, int n);

/* ======================================================================
 * Instruments (dsp_synth.c): SuperDirt-style voices. One struct dsp_synth
 * holds up to DSP_MAX_LANES voices of one instrument in structure-of-arrays
 * form; the engine triggers lanes and renders W of them in lock-step.
 *
 *   superkick   sine with an exponential downward pitch sweep and a click;
 *               sustain = decay time (T60), sweep = start octaves above freq
 *   supersaw    three detuned band-limited saws and a triangle an
 *               octave up into a Moog low-pass swept by a slow LFO, tanh
 *   superpwm    two pulses whose widths an LFO sweeps (rate, detune)
 *   superchip   a 25%-duty pulse with a triangle underneath (width)
 *   superfm     two-operator phase modulation (ratio, index); the index
 *               falls to 30% over the note
 *   supersnare  two drum modes (freq, 1.83 freq) and noise (tone = mix)
 *   superhat    SuperDirt's: noise high-passed at freq and low-passed at
 *               3 freq (sustain = decay)
 *   superpiano  seven stretched partials, each decaying at its own rate
 *               (higher ones faster), and a hammer thump; velocity makes
 *               it brighter; sustain holds it, then the damper (release)
 *   supergong, superfork, superhammond, supervibe, superprimes: the same
 *               modes with other tables (dsp_synth.c, struct modal): a
 *               clamped plate's modes, a fork's, drawbars, a bar's, primes
 *   supersquare, superreese: supersaw's filter after two pulses (f, f/2)
 *               or two saws detuned apart (a Reese bass)
 *   soskick, sostoms, soshats, sossnare: SuperDirt's sos drums on the
 *               kick's, hat's and snare's lanes with their own settings
 *   supersiren, superzow, supercomparator, supertron, superhoover:
 *               variable-width saws (sustained; dsp_synth.c, var_trigger)
 *   supermandolin: two combs' harmonics as modes (superpiano's lanes)
 *   superclap   band-passed noise under four bursts (a drum: note moves
 *               its 1.5 kHz band); superstatic: a random telegraph's
 *               clicks; superwavemechanics: noise in four narrow bands;
 *               supergrind: a swinging impulse train ringing a folded
 *               resonator
 *
 * Every kind reads the arguments of its SuperDirt SynthDef that phonon
 * plays (struct dsp_synth_note; graph_names.h's SYNTHS rows list them per
 * kind, and the compiler warns about the others): speed and accelerate
 * (a glide, dsp_synth_glide), decay, voice, detune, semitone, pitch1 ...
 *
 * Sustained kinds (saw, pwm, chip, fm) run an ADSR: attack, hold for
 * sustain seconds (or until dsp_synth_release), release. Percussive kinds
 * (kick, snare, hat) decay exponentially with T60 = sustain and end at -80
 * dB. A lane that ends outputs exact zeros until triggered again.
 * Thread context: any; a struct dsp_synth is used by one thread at a time.
 * No allocation; trigger and render are audio-thread safe.
 * ====================================================================== */

enum dsp_synth_kind {
    DSP_SUPERKICK, DSP_SUPERSAW, DSP_SUPERPWM, DSP_SUPERCHIP,
    DSP_SUPERFM, DSP_SUPERSNARE, DSP_SUPERHAT, DSP_SUPERPIANO,
    DSP_SUPERGONG, DSP_SUPERFORK, DSP_SUPERHAMMOND, DSP_SUPERVIBE, DSP_SUPERPRIMES,
    DSP_SUPERSQUARE, DSP_SUPERREESE,
    /* issue 12 (h-synth2): SuperDirt's sos drums on the kick, hat and snare lanes */
    DSP_SOSKICK, DSP_SOSTOMS, DSP_SOSHATS, DSP_SOSSNARE,
    /* and its variable-width saws (synth_kern.h, VK(syn_var)) */
    DSP_SUPERSIREN, DSP_SUPERZOW, DSP_SUPERCOMPARATOR, DSP_SUPERTRON, DSP_SUPERHOOVER,
    DSP_SUPERMANDOLIN,          /* superpiano's modes, dsp_synth.c mandolin */
    DSP_SUPERCLAP, DSP_SUPERSTATIC,     /* noise (synth_kern.h, VK(syn_noise)) */
    DSP_SUPERWAVEMECHANICS, DSP_SUPERGRIND,
    DSP_SYNTH_KINDS
};

/* Name ("superkick" ...) to kind, or -1. And back. */
int dsp_synth_kind_from_name(const char *name);
const char *dsp_synth_kind_name(enum dsp_synth_kind kind);

/* What a trigger sets; dsp_synth_note_defaults() fills every field with the
 * instrument's defaults, then the caller overrides what the event gives. */
struct dsp_synth_note {
    float freq;         /* Hz, clamped to [10, 0.45 sr]; default per kind */
    float gain;         /* linear, clamped to [0, 4]; default 1 */
    float sustain;      /* s, [0.001, 60]: hold time, or decay T60 for drums */
    float attack;       /* s, [0, 10], sustained kinds; default 0.01 (chip 0.001) */
    float release;      /* s, [0.001, 10], sustained kinds; default 0.3 (chip 0.05) */
    float voices;       /* SuperDirt's voice: supersaw's outer saws' detune as
                         * voice/50 of the pitch [0, 10], the other kinds' per
                         * their SYNTHS row; default -1: not given */
    float velocity;     /* superpiano: 0..1 (harder: louder, brighter), default 1 */
    float detune;       /* supersaw: outer saws' spread, superpwm: second pulse, in
                         * semitones [0, 2]; defaults 0.3 / 0.1; the other kinds'
                         * per their SYNTHS row (NAN: not given) */
    float rate;         /* superpwm: width LFO Hz [0.01, 20]; supersaw: its
                         * filter LFO's speed, times f/64 [0, 20]; default 1 */
    float width;        /* superchip: pulse width [0.05, 0.95], default 0.25 */
    float ratio;        /* superfm: modulator / carrier [0.01, 16], default 2 */
    float index;        /* superfm: index in radians [0, 20], default 1 */
    float sweep;        /* superkick: pitch starts this many octaves up [0, 6], default 2 */
    float tone;         /* supersnare: 0 = noise only .. 1 = modes only, default 0.5 */
    /* issue 12 (h-synthctl): SuperDirt's per-synth arguments, each with its
     * SynthDef's meaning (graph_names.h SYNTHS rows say which kind takes
     * which); NAN when the event does not give it: the kind's own sound */
    float speed;        /* pitch times |speed| (DirtFreqScale) */
    float accelerate;   /* pitch glides to (1 + a) times over the sustain */
    float decay;        /* sustained kinds: level 1 - decay after 0.2 sustain; drums: part length */
    float semitone;     /* second oscillator's interval, semitones */
    float pitch1, pitch2, pitch3;   /* filter / band / partial scales, per kind */
    float lfo;          /* filter LFO depth: its top is (lfo + 1) times its bottom */
    float resonance;    /* filter resonance 0..1 */
    float slide;        /* per kind: glide amount or phasing speed */
    float delay;        /* superclap: burst spacing, 5 ms times delay */
};
void dsp_synth_note_defaults(enum dsp_synth_kind kind, struct dsp_synth_note *n);

enum { DSP_SYNTH_OSCS = 7 };
struct dsp_synth {
    int kind;                                   /* enum dsp_synth_kind */
    float sr;
    uint32_t live;                              /* bit l: lane l sounding */
    uint32_t seed;                              /* advances per trigger: fresh phases */
    /* everything below: [..][lane] */
    float ph[DSP_SYNTH_OSCS][DSP_MAX_LANES];    /* oscillator phases */
    float inc[DSP_SYNTH_OSCS][DSP_MAX_LANES];   /* oscillator increments */
    float wt[DSP_SYNTH_OSCS][DSP_MAX_LANES];    /* oscillator weights */
    float gain[DSP_MAX_LANES];
    float alive[DSP_MAX_LANES];                 /* 1 sounding, 0 ended */
    float trig[DSP_MAX_LANES];                  /* 1: start the envelope next frame */
    float hold[DSP_MAX_LANES];                  /* frames until gate-off */
    float env[4][DSP_MAX_LANES];                /* ADSR level, stage, slope, left */
    float att[DSP_MAX_LANES], rel[DSP_MAX_LANES];   /* ADSR lengths, frames */
    float d1[DSP_MAX_LANES], k1[DSP_MAX_LANES]; /* exponential decay 1: value, factor */
    float d2[DSP_MAX_LANES], k2[DSP_MAX_LANES]; /* exponential decay 2 */
    float d3[DSP_MAX_LANES], k3[DSP_MAX_LANES]; /* exponential decay 3 */
    float p1[DSP_MAX_LANES], p2[DSP_MAX_LANES]; /* kind-specific parameters */
    float f1[DSP_MAX_LANES], f2[DSP_MAX_LANES]; /* SVF state */
    float mg[4][DSP_MAX_LANES];                 /* Moog state */
    float fa1[DSP_MAX_LANES], fa2[DSP_MAX_LANES], fa3[DSP_MAX_LANES], fk[DSP_MAX_LANES];
    uint32_t rng[DSP_MAX_LANES];
    /* modes: z turns by c = r e^(i w) each frame (a decaying sine, Im z) */
    float zr[DSP_SYNTH_OSCS][DSP_MAX_LANES], zi[DSP_SYNTH_OSCS][DSP_MAX_LANES];
    float cr[DSP_SYNTH_OSCS][DSP_MAX_LANES], ci[DSP_SYNTH_OSCS][DSP_MAX_LANES];
    /* issue 12 (h-synthctl): per-lane arguments the kernels read */
    float q[DSP_MAX_LANES];                     /* supersaw's filter q (1.2) */
    float dec[DSP_MAX_LANES], sus[DSP_MAX_LANES];   /* ADSR decay frames, level (1, 1) */
    float pw[DSP_MAX_LANES];                    /* supersquare's pulse width (0.5) */
    float pwd[DSP_MAX_LANES];                   /* superpwm's width swing (0.4) */
    /* the pitch glide (accelerate, slide): gliding bit l; frames since the
     * onset, glide length, the multiplier now applied, its parameters */
    uint32_t gliding;
    float gt[DSP_MAX_LANES], glen[DSP_MAX_LANES], gmul[DSP_MAX_LANES];
    float gacc[DSP_MAX_LANES], gslide[DSP_MAX_LANES], grep[DSP_MAX_LANES], gf[DSP_MAX_LANES];
    float mw[DSP_SYNTH_OSCS][DSP_MAX_LANES], mr[DSP_SYNTH_OSCS][DSP_MAX_LANES];  /* modes' base turn, radius */
};

/* Set up an empty batch (all lanes silent). */
void dsp_synth_init(struct dsp_synth *s, enum dsp_synth_kind kind, float sr);
/* Start a note on lane (0 <= lane < DSP_MAX_LANES), replacing whatever it
 * played; the note's first sample is the first frame the next render call
 * produces for that lane (split a block at the onset for sample accuracy).
 * A retriggered sustained lane starts its attack from the current level. */
void dsp_synth_trigger(struct dsp_synth *s, int lane, const struct dsp_synth_note *n);
/* Gate-off now (sustained kinds: start the release; drums: no effect). */
void dsp_synth_release(struct dsp_synth *s, int lane);
/* Render lanes 0..W-1 (1 <= W <= VOICE_W, voice.h) for n frames into
 * out[frame * W + lane] (overwritten), with the voice kernels in use (the
 * synths' sound is theirs: src/synth_kern.h; defined in voice.c). Returns
 * the mask of lanes that ended during this call; s->live holds the lanes
 * still sounding. */
uint32_t dsp_synth_render(struct dsp_synth *s, float *out, int W, int n);
/* The gliding lanes' pitch for their next m frames (called by the kernels
 * before each chunk of at most DSP_SYNTH_GLIDE_CHUNK frames while
 * s->gliding): increments, filter bounds and mode turns follow it. */
enum { DSP_SYNTH_GLIDE_CHUNK = 64 };
void dsp_synth_glide(struct dsp_synth *s, int m);

/* ======================================================================
 * issue 13: DSP vocabulary (dsp_more.c) -- the phonon family's effects,
 * generators and control signals, one op each behind a single interface.
 *
 * Every op runs over a block: x is its input (NULL for a generator), p[]
 * its parameters (n values each, as the other bus effects), y its output.
 * Ops marked DSP_MORE_ST are stereo: x[0], x[1] in (the same buffer for a
 * mono input), y[0], y[1] out; the others process one channel, with one
 * state per channel (dsp_more_size is the size of one). Out-of-range
 * parameters are clamped; NaN or infinite input is read as 0; recursive
 * states are flushed; loops with feedback are bounded for any parameters.
 * ====================================================================== */

/* X(op, name, flags): flags DSP_MORE_GEN (no input), DSP_MORE_ST (stereo) */
#define DSP_MORE_OPS(X) \
    X(TREMOLO, "tremolo", 0) X(VIBRATO, "vibrato", 0) X(FLANGER, "flanger", 0) \
    X(PHASER, "phaser", 0) X(COMB, "comb", 0) X(ALLPASS, "allpass", 0) X(RING, "ring", 0) \
    X(LAG, "lag", 0) X(LATCH, "latch", 0) X(SCHMIDT, "schmidt", 0) X(WRAP, "wrap", 0) \
    X(DECIMATOR, "decimator", 0) X(ENV, "env", 0) X(FOLLOW, "amp_follower", 0) \
    X(IMPULSE, "impulse", DSP_MORE_GEN) X(BLIP, "blip", DSP_MORE_GEN) X(XLINE, "xline", DSP_MORE_GEN) \
    X(ASR, "asr", DSP_MORE_GEN) X(VCO, "vco", DSP_MORE_GEN) X(PM, "pm", DSP_MORE_GEN) \
    X(XFADE, "xfade", DSP_MORE_GEN) X(IF, "if", DSP_MORE_GEN) \
    X(PINGPONG, "pingpong", DSP_MORE_ST) X(PAN2, "pan2", DSP_MORE_ST) X(WIDENER, "widener", DSP_MORE_ST) \
    X(FORMANT, "formant", 0) X(PLUCK, "pluck", DSP_MORE_GEN) X(MULTITAP, "multitap", 0) \
    X(LIMITER, "limiter", 0) X(REVERB_ST, "reverb_stereo", DSP_MORE_ST) \
    X(PHASOR, "phasor", DSP_MORE_GEN) X(RMS, "rms", 0) X(PEAK, "peak_follower", 0) \
    X(FMCROSS, "fmcrossmod", DSP_MORE_GEN) X(EXPANDER, "expander", 0) X(SIDECHAIN, "sidechain_compressor", 0) \
    X(TSHAPER, "transient_shaper", 0) X(CURVE, "curve", DSP_MORE_GEN) X(DJF, "djf", 0) \
    X(ADDITIVE, "additive", DSP_MORE_GEN) X(TAPEDELAY, "tapedelay", 0) X(PEQ, "parametric_eq", 0) \
    X(SUPERSAW, "supersaw", DSP_MORE_GEN) \
    DSP_PEER_OPS(X)

/* issue 13, second batch (dsp_peer.c; dsp_more_* pass these ops there) */
#define DSP_PEER_OPS(X) \
    X(PAN2_L, "pan2_l", 0) X(PAN2_R, "pan2_r", 0) X(SELECT, "select", DSP_MORE_GEN) \
    X(SEGMENTS, "segments", DSP_MORE_GEN) X(GRANULAR, "granular", 0) \
    X(SUPERKICK, "superkick", DSP_MORE_GEN) X(SUPERSNARE, "supersnare", DSP_MORE_GEN) \
    X(SINE_TRIG, "sine_trig", DSP_MORE_GEN | DSP_MORE_GATED) X(SAW_TRIG, "saw_trig", DSP_MORE_GEN | DSP_MORE_GATED) \
    X(SQUARE_TRIG, "square_trig", DSP_MORE_GEN | DSP_MORE_GATED) X(TRI_TRIG, "tri_trig", DSP_MORE_GEN | DSP_MORE_GATED) \
    X(GATE, "gate", DSP_MORE_GEN | DSP_MORE_GATED) X(TRIG, "trig", DSP_MORE_GEN | DSP_MORE_GATED) \
    X(ENV_TRIG, "env_trig", DSP_MORE_GATED) X(TIMER, "timer", 0) X(MIX, "mix", DSP_MORE_GEN) \
    X(EVERY_VAL, "every_val", DSP_MORE_GEN) X(SOMETIMES_VAL, "sometimes_val", DSP_MORE_GEN) \
    X(SOMETIMES_BY_VAL, "sometimes_by_val", DSP_MORE_GEN) \
    X(WHENMOD_VAL, "whenmod_val", DSP_MORE_GEN) X(EVERY_FX, "every_effect", DSP_MORE_GEN) \
    X(SOMETIMES_FX, "sometimes_effect", DSP_MORE_GEN) X(WHENMOD_FX, "whenmod_effect", DSP_MORE_GEN) \
    X(SOFT_SAW, "soft_saw_hz", DSP_MORE_GEN) X(ORGAN, "organ_hz", DSP_MORE_GEN) \
    X(PITCH_SHIFT, "pitch_shift", 0) \
    X(FREEZE, "freeze", 0) X(SUPERHAT, "superhat", DSP_MORE_GEN) X(SUPERFM, "superfm", DSP_MORE_GEN) \
    X(SUPERCHIP, "superchip", DSP_MORE_GEN) X(SUPERPWM, "superpwm", DSP_MORE_GEN) \
    X(VOCODER, "vocoder", DSP_MORE_GEN) X(WAVEGUIDE, "waveguide", DSP_MORE_GEN) X(FCHORUS, "fchorus", 0) \
    X(LUSH, "lush", 0)

/* DSP_MORE_GATED: the first parameter is a pattern whose events also arrive
 * as one more parameter after the op's own, a gate signal: 0 outside true
 * events, 1 inside, 2 on an event's first frame (graph_run.c, N_PATPARAM
 * op 1). */
enum { DSP_MORE_GEN = 1, DSP_MORE_ST = 2, DSP_MORE_GATED = 4, DSP_MORE_MAX_P = 9 };

#define DSP_MORE_ENUM(op, name, flags) DSP_MORE_##op,
enum dsp_more_op { DSP_MORE_OPS(DSP_MORE_ENUM) DSP_MORE_COUNT };
#undef DSP_MORE_ENUM

struct dsp_more_io {
    const float *x[2];          /* input (x[1]: a stereo op's right channel) */
    const float *p[DSP_MORE_MAX_P];
    float *y[2];                /* output (y[1]: a stereo op's right channel) */
    int n;
    float sr;
    double cycle0;              /* the cycle at the block's first frame (phasor) */
    double frames_per_cycle;
};

/* The op's flags and name. */
int dsp_more_flags(int op);
const char *dsp_more_name(int op);
/* Bytes of one state (64-byte multiple, memory included); init zeroes it. */
size_t dsp_more_size(int op, float sr);
void dsp_more_init(int op, void *state, float sr);
void dsp_more_init_zeroed(int op, void *state, float sr);   /* the state already 0 */
void dsp_more_process(int op, void *state, const struct dsp_more_io *io);

/* The ops of DSP_PEER_OPS, from DSP_PEER_FIRST on (dsp_peer.c): the same
 * three calls, which dsp_more_size, _init and _process make for them. */
#define DSP_PEER_FIRST DSP_MORE_PAN2_L
size_t dsp_peer_size(int op, float sr);
void dsp_peer_init(int op, void *state, float sr);
void dsp_peer_process(int op, void *state, const struct dsp_more_io *io);

#endif
