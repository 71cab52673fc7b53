/* dsp_wavconv.h -- issue 13: the two names of the phonon family's DSP
 * vocabulary that read a sample: a wavetable oscillator (one cycle) and a
 * convolver (an impulse response).
 *
 * Each is split in two. The TABLES (struct dsp_wavetable, struct
 * dsp_conv_ir) are built once from the sample's frames when the program is
 * compiled, on the control thread (the builders allocate work memory and
 * free it), and are then immutable: they live in the program's arena and
 * any number of audio threads may read them. The STATES are the little that
 * changes as the sound plays (a phase; the input's recent spectra), in the
 * caller's memory, zero at the start, and carried over on a reload like any
 * node's state: a state never points into its tables, so a reload that
 * changes the sample keeps the phase or the reverb tail going.
 *
 * wavetable: the cycle's harmonics 1 .. 1024 (its DFT; DC left out) are
 * written into WT_LEVELS mip-map tables of WT_N points, level m holding the
 * harmonics up to 1024 >> m (the last level is silence). At frequency f
 * the oscillator reads the two levels whose highest harmonic lies below
 * Nyquist, crossfaded by log2 f, so no partial ever folds over and a glide
 * changes the timbre smoothly; cubic (Catmull-Rom) interpolation between
 * points (a table is 4 times oversampled at its richest).
 *
 * convolve: uniformly partitioned convolution, exact (no latency): the
 * first CV_P taps by direct form, every later partition of CV_P taps by
 * overlap-save FFTs of CV_N = 2 CV_P points against a frequency-domain
 * delay line of the input's spectra, one forward and one inverse FFT per
 * CV_P frames. Impulse responses are at most CV_MAX_S s long.
 *
 * Safety: inputs, frequencies and mixes pass through dsp_finite(); the
 * tables are built from finite values only (non-finite frames read as 0);
 * a convolution is a finite sum of bounded terms, and the states hold
 * nothing that feeds back, so no input makes either grow without bound.
 */
#ifndef DSP_WAVCONV_H
#define DSP_WAVCONV_H

#include <stddef.h>
#include <stdint.h>

/* In-place radix-2 FFT of re[n] + i im[n] (n a power of two); inverse: e^{+i},
 * unscaled. tc, ts: cos and sin of 2 pi k / tn for k < tn / 2, tn a power of
 * two >= n (one table serves every smaller size). */
void dsp_fft(float *re, float *im, uint32_t n, const float *tc, const float *ts, uint32_t tn, int inverse);

/* ---- wavetable ------------------------------------------------------------------ */

enum { WT_N = 4096, WT_HARM = 1024, WT_LEVELS = 12, WT_GUARD = 4 };

struct dsp_wavetable {
    /* level m: point i at t[m][i + 1]; t[m][0] and t[m][WT_N + 1 ..] wrap */
    float t[WT_LEVELS][WT_N + WT_GUARD];
};

/* The tables of one cycle of len frames (channels interleaved, mixed to
 * mono). The built-in table when cycle is NULL: a sine (the phonon family's
 * default). 0, or -1 when out of memory. Control thread. */
int dsp_wavetable_build(struct dsp_wavetable *w, const float *cycle, long len, int channels);

/* n frames of the oscillator at freq[] Hz (negative runs backwards) from
 * phase *ph (0 .. 1, kept). Audio thread. */
void dsp_wavetable_process(const struct dsp_wavetable *w, float *ph, const float *freq, float *y, int n, float sr);

/* ---- convolve ------------------------------------------------------------------- */

enum { CV_P = 256, CV_N = 2 * CV_P, CV_BINS = CV_P + 1 };
#define CV_MAX_S 1.0            /* the longest impulse response, s */

struct dsp_conv_ir {
    int len;                    /* taps, 1 .. CV_MAX_S * sr */
    int channels;               /* 1 or 2 */
    int parts;                  /* partitions after the first (0 when len <= CV_P) */
    float head[2][CV_P];        /* per channel: the first CV_P taps */
    float *re[2], *im[2];       /* per channel: parts x CV_BINS, each partition's spectrum / CV_N */
    float tc[CV_N / 2], ts[CV_N / 2];
};

/* Bytes of the spectra an IR of len taps needs after the struct (both
 * channels); dsp_conv_ir_build is given that much memory. */
size_t dsp_conv_ir_mem(long len);

/* The IR of len frames (channels interleaved, 1 or 2; len clamped to the
 * bound by the caller), its spectra in mem. The built-in IR when ir is
 * NULL: the phonon family's small room (0.5 s: the direct sound, six early
 * reflections, an exponential tail), and len is ignored (give
 * dsp_conv_builtin_len). Control thread. */
void dsp_conv_ir_build(struct dsp_conv_ir *h, const float *ir, long len, int channels, float sr, void *mem);
long dsp_conv_builtin_len(float sr);

/* One channel's state: a struct dsp_conv followed by its delay line. */
size_t dsp_conv_size(const struct dsp_conv_ir *h);

/* n frames of channel ch: y = (1 - mix) x + mix (x * h), mix (0 .. 1)
 * gliding over 5 ms. Audio thread. */
void dsp_conv_process(const struct dsp_conv_ir *h, int ch, void *state, const float *x, const float *mix, float *y,
                      int n, float sr);

#endif
