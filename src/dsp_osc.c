/* dsp_osc.c -- the tables behind the band-limited oscillators.
 *
 * The per-lane oscillator kernels live in dsp.h (they must inline into the
 * engine's lane loops); what they share is two read-only tables, built here
 * once by dsp_init().
 *
 * DESIGN
 *
 * A naive sawtooth sampled at sr has harmonics above sr/2 that fold back as
 * inharmonic aliases. The classic 2-sample polyBLEP replaces each step by a
 * polynomial smoothed step and suppresses aliases by only 20-30 dB at high
 * notes (measured while designing this: -28 dB for a 5 kHz saw at 48 kHz).
 * We use the same idea with a real low-pass kernel: each discontinuity is
 * replaced by the step filtered with a Kaiser-windowed sinc,
 *
 *     k(t) = 2 fc sinc(2 fc t) I0(beta sqrt(1 - (t/H)^2)) / I0(beta),
 *
 * fc = 0.41 cycles per sample, beta = 5.5, |t| <= H = 8 samples. Its
 * transition band (about 0.33..0.5 of sr down to -60 dB) puts harmonics that
 * would alias 60+ dB down while the audible band keeps its level up to
 * about 0.35 sr. Because k is symmetric and has unit area, the waveform
 * "naive + step size * (band-limited step - ideal step)" equals, sample for
 * sample, the naive waveform filtered by k and then sampled: the error is
 * only what the kernel lets through beyond sr/2.
 *
 * dsp_blep_table holds the band-limited step s(t) = integral of k from -H
 * to t (continuous: it interpolates linearly without trouble at the edge
 * itself, where the residual s - step would jump). dsp_blamp_table holds the
 * residual of the band-limited corner, integral from -H to t of
 * (s - step), which is continuous with a kink at t = 0 -- a table point, so
 * no interpolation interval straddles it. Both are computed in double on a
 * grid 64 times finer than the table and then sampled.
 */
#include "dsp.h"

#include <math.h>

float dsp_blep_table[DSP_BLEP_LEN];
float dsp_blamp_table[DSP_BLEP_LEN];

enum { FINE = 64 };                             /* integration sub-steps per table step */

#define BLEP_FC 0.41                            /* kernel cutoff, cycles per sample */
#define BLEP_BETA 5.5                           /* Kaiser window shape */

/* Modified Bessel function of the first kind, order 0 (power series). */
static double bessel_i0(double x)
{
    double sum = 1.0, term = 1.0, q = x * x / 4.0;
    for (int k = 1; k < 50; k++) {
        term *= q / ((double)k * k);
        sum += term;
        if (term < 1e-17 * sum)
            break;
    }
    return sum;
}

static double kernel(double t)
{
    double h = DSP_BLEP_HALF, r = t / h;
    if (r <= -1.0 || r >= 1.0)
        return 0.0;
    double x = 2.0 * BLEP_FC * t;
    double sinc = x == 0.0 ? 1.0 : sin(M_PI * x) / (M_PI * x);
    return 2.0 * BLEP_FC * sinc * bessel_i0(BLEP_BETA * sqrt(1.0 - r * r)) / bessel_i0(BLEP_BETA);
}

void dsp_init(void)
{
    const int steps = (DSP_BLEP_LEN - 2) * FINE;   /* fine intervals over [-H, H] */
    const int zero = steps / 2;                    /* grid index of t = 0 */
    const double h = 1.0 / ((double)DSP_BLEP_RES * FINE);

    /* Pass 1: the kernel's area on this grid, to normalise s(H) to 1. */
    double total = 0.0, k0 = kernel(-DSP_BLEP_HALF), k1;
    for (int j = 1; j <= steps; j++, k0 = k1) {     /* each point's kernel once (it was twice) */
        k1 = kernel(-DSP_BLEP_HALF + j * h);
        total += 0.5 * h * (k0 + k1);
    }

    /* Pass 2: s(t) by cumulative trapezoid of k, and the corner residual by
     * cumulative trapezoid of (s - u), with u = 0 on intervals left of t = 0
     * and 1 right of it. */
    double s = 0.0, corner = 0.0;
    dsp_blep_table[0] = 0.0f;
    dsp_blamp_table[0] = 0.0f;
    k0 = kernel(-DSP_BLEP_HALF);
    for (int j = 1; j <= steps; j++, k0 = k1) {
        double s0 = s;
        k1 = kernel(-DSP_BLEP_HALF + j * h);
        s += 0.5 * h * (k0 + k1) / total;
        double u = j > zero ? 1.0 : 0.0;
        corner += 0.5 * h * ((s0 - u) + (s - u));
        if (j % FINE == 0) {
            dsp_blep_table[j / FINE] = (float)s;
            dsp_blamp_table[j / FINE] = (float)corner;
        }
    }
    /* Exact ends: the kernel is symmetric with unit area, so s(H) = 1 and the
     * corner residual is back to 0; pin them against rounding. The extra last
     * entry serves the interpolation at the very end. */
    dsp_blep_table[DSP_BLEP_LEN - 2] = 1.0f;
    dsp_blep_table[DSP_BLEP_LEN - 1] = 1.0f;
    dsp_blamp_table[DSP_BLEP_LEN - 2] = 0.0f;
    dsp_blamp_table[DSP_BLEP_LEN - 1] = 0.0f;
}
