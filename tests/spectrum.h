/* spectrum.h -- magnitude spectra of test signals, for assertions in tests.
 *
 * A small header-only helper for the test programs (never linked into
 * phonon). It answers questions such as "where is the strongest component",
 * "how loud is the component near 880 Hz" and "what is the loudest thing that
 * is not a harmonic of 440 Hz", in dB.
 *
 * Method: the buffer is multiplied by a 4-term Blackman-Harris window
 * (side lobes below -92 dB, so components 60-90 dB apart can be told apart),
 * transformed by an in-place radix-2 FFT in double precision, and converted to
 * dB with the window's coherent gain removed: a full-scale sine (amplitude 1)
 * that falls on a bin reads 0 dB, and one that falls between bins reads at
 * most 0.83 dB lower (the window's scalloping loss). A sinusoid's energy
 * spreads over about +-4 bins (the main lobe), which is why the "near"
 * queries below take a width.
 *
 * Usage:
 *     struct spectrum sp;
 *     spectrum_init(&sp, buf, 16384, 48000.0);   // n must be a power of two
 *     int b = spectrum_peak_bin(&sp, 1, sp.n / 2);
 *     double hz = spectrum_bin_hz(&sp, b);
 *     double h2 = spectrum_level_near(&sp, 880.0, 20.0);
 *     spectrum_free(&sp);
 *
 * Thread context: any; each struct spectrum is independent. Allocates with
 * malloc (tests only); spectrum_init returns -1 if memory runs out or n is
 * not a power of two in [16, 2^24].
 */
#ifndef SPECTRUM_H
#define SPECTRUM_H

#include <math.h>
#include <stdlib.h>

struct spectrum {
    int n;              /* FFT size (power of two) */
    double sr;          /* sample rate in Hz */
    double *db;         /* n/2 + 1 levels in dB re a full-scale sine; owned */
};

/* In-place iterative radix-2 FFT of re[]/im[] (length n, a power of two). */
static inline void spectrum_fft(double *re, double *im, int n)
{
    for (int i = 1, j = 0; i < n; i++) {           /* bit-reversal permutation */
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double ang = -2.0 * M_PI / len;
        for (int i = 0; i < n; i += len) {
            for (int k = 0; k < len / 2; k++) {
                double wr = cos(ang * k), wi = sin(ang * k);
                int a = i + k, b = i + k + len / 2;
                double xr = re[b] * wr - im[b] * wi;
                double xi = re[b] * wi + im[b] * wr;
                re[b] = re[a] - xr; im[b] = im[a] - xi;
                re[a] += xr;        im[a] += xi;
            }
        }
    }
}

/* Window x[0..n-1] (Blackman-Harris), transform, and store levels in dB.
 * Returns 0, or -1 (bad n, out of memory). */
static inline int spectrum_init(struct spectrum *sp, const float *x, int n, double sr)
{
    sp->n = n;
    sp->sr = sr;
    sp->db = NULL;
    if (n < 16 || n > (1 << 24) || (n & (n - 1)))
        return -1;
    double *re = malloc(sizeof *re * (size_t)n);
    double *im = calloc((size_t)n, sizeof *im);
    sp->db = malloc(sizeof *sp->db * (size_t)(n / 2 + 1));
    if (!re || !im || !sp->db) {
        free(re); free(im); free(sp->db);
        sp->db = NULL;
        return -1;
    }
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        double t = 2.0 * M_PI * i / n;
        double w = 0.35875 - 0.48829 * cos(t) + 0.14128 * cos(2 * t) - 0.01168 * cos(3 * t);
        re[i] = x[i] * w;
        sum += w;
    }
    spectrum_fft(re, im, n);
    for (int k = 0; k <= n / 2; k++) {
        /* amplitude of a sine = 2|X|/sum(w); 1e-30 keeps log10 finite */
        double a = 2.0 * sqrt(re[k] * re[k] + im[k] * im[k]) / sum;
        sp->db[k] = 20.0 * log10(a + 1e-30);
    }
    free(re);
    free(im);
    return 0;
}

static inline void spectrum_free(struct spectrum *sp)
{
    free(sp->db);
    sp->db = NULL;
}

static inline double spectrum_bin_hz(const struct spectrum *sp, int bin)
{
    return bin * sp->sr / sp->n;
}

static inline int spectrum_hz_bin(const struct spectrum *sp, double hz)
{
    int b = (int)floor(hz * sp->n / sp->sr + 0.5);
    return b < 0 ? 0 : b > sp->n / 2 ? sp->n / 2 : b;
}

/* Bin of the highest level among bins [lo, hi] (clamped to the spectrum). */
static inline int spectrum_peak_bin(const struct spectrum *sp, int lo, int hi)
{
    if (lo < 0) lo = 0;
    if (hi > sp->n / 2) hi = sp->n / 2;
    int best = lo;
    for (int k = lo; k <= hi; k++)
        if (sp->db[k] > sp->db[best])
            best = k;
    return best;
}

/* Frequency of the strongest component in [lo_hz, hi_hz], refined to a
 * fraction of a bin by a parabola through the peak and its neighbours. */
static inline double spectrum_peak_hz(const struct spectrum *sp, double lo_hz, double hi_hz)
{
    int b = spectrum_peak_bin(sp, spectrum_hz_bin(sp, lo_hz), spectrum_hz_bin(sp, hi_hz));
    double off = 0.0;
    if (b > 0 && b < sp->n / 2) {
        double a = sp->db[b - 1], c = sp->db[b], d = sp->db[b + 1];
        double den = a - 2.0 * c + d;
        if (den < 0.0)
            off = 0.5 * (a - d) / den;
    }
    return (b + off) * sp->sr / sp->n;
}

/* Highest level (dB) within +-width_hz of hz. */
static inline double spectrum_level_near(const struct spectrum *sp, double hz, double width_hz)
{
    int b = spectrum_peak_bin(sp, spectrum_hz_bin(sp, hz - width_hz),
                              spectrum_hz_bin(sp, hz + width_hz));
    return sp->db[b];
}

/* Highest level (dB) in [lo_hz, hi_hz] among bins farther than guard_hz from
 * every multiple of f0 (f0 > 0), i.e. the loudest non-harmonic component:
 * aliasing, noise, spurs. *at_hz (may be NULL) receives its frequency. */
static inline double spectrum_nonharmonic_max(const struct spectrum *sp, double f0,
                                              double guard_hz, double lo_hz,
                                              double hi_hz, double *at_hz)
{
    double best = -400.0;
    int lo = spectrum_hz_bin(sp, lo_hz), hi = spectrum_hz_bin(sp, hi_hz);
    for (int k = lo; k <= hi; k++) {
        double hz = spectrum_bin_hz(sp, k);
        double h = floor(hz / f0 + 0.5) * f0;        /* nearest harmonic (or DC) */
        if (fabs(hz - h) <= guard_hz || sp->db[k] <= best)
            continue;
        best = sp->db[k];
        if (at_hz)
            *at_hz = hz;
    }
    return best;
}

/* Mean power in [lo_hz, hi_hz] expressed in dB (average of |X|^2 over the
 * bins): for noise, compare bands of equal width in Hz to get the slope. */
static inline double spectrum_band_power_db(const struct spectrum *sp, double lo_hz, double hi_hz)
{
    int lo = spectrum_hz_bin(sp, lo_hz), hi = spectrum_hz_bin(sp, hi_hz);
    double sum = 0.0;
    for (int k = lo; k <= hi; k++)
        sum += pow(10.0, sp->db[k] / 10.0);
    return 10.0 * log10(sum / (hi - lo + 1) + 1e-300);
}

#endif
