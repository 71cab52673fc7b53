/* voice_impl.h -- what voice.c shares with the per-ISA kernel files.
 *
 * A batch keeps its VOICE_W voices as structure-of-arrays lane state. The
 * kernels (voice_kern.h) are compiled once per instruction set
 * (voice_scalar.c, voice_simd.c, voice_avx2.c, voice_avx512.c), each with
 * its own compiler flags; voice.c picks one table at start-up from the
 * CPU's features, or from $PHONON_SIMD (scalar, sse2/neon, avx2, avx512).
 * All are compiled with -ffp-contract=off and without -ffast-math, so every
 * kernel computes the same float operations in the same order and agrees
 * with the scalar one to the bit (tests/test_voice.c checks -120 dB).
 *
 * Internal to the voice module: not for other modules.
 */
#ifndef VOICE_IMPL_H
#define VOICE_IMPL_H

#include <stdalign.h>
#include <stdint.h>

#include "dsp.h"
#include "graph.h"
#include "voice.h"

#define W VOICE_W

/* vowel: five formants (Hz, linear amplitude, bandwidth Hz) per vowel a e i o u */
enum { VOICE_FORMANTS = 5, VOICE_VOWELS = 5 };
extern const float voice_vowels[VOICE_VOWELS][3][VOICE_FORMANTS];

/* SuperDirt's per-voice effects (issue 12): parameters per lane, fixed for
 * a voice, then the state they keep (saved and restored with the rest of
 * a sample lane's state, see voice.c). */
struct voice_dirt {
    float coarse[W];                /* hold every coarse-th frame (> 1: on) */
    int vowel[W];                   /* 1 + index into voice_vowels (0: none) */
    float djf[W];                   /* DJ filter 0..1 (0.5: open; 0: off, the flag below) */
    float djf_on[W];
    float triode[W];                /* triode distortion amount */
    float krush[W], kcutoff[W];     /* Sonic Pi's krush and its low-pass */
    float ring[W], ringf[W], ringdf[W];     /* ring modulation: amount, Hz, glide Hz over 1 s */
    float tremdepth[W], tremrate[W];        /* tremolo */
    float octer[W], octersub[W], octersubsub[W];    /* octaver: octave up, down, two down */
    float oct_on[W];
};
struct voice_dirt_state {
    float ccount[W], chold[2][W];           /* coarse: frames to the next take, held values */
    float vst[VOICE_FORMANTS][2][2][W];     /* vowel: formant filters [formant][channel] */
    float djst[2][2][2][W];                 /* djf: [low, high][channel] */
    float tdc[2][2][W];                     /* triode: DC blocker [channel][x1, y1] */
    float kst[2][2][W];                     /* krush: its low-pass [channel] */
    float rph[W], rtime[W];                 /* ring: phase, seconds played */
    float tph[W];                           /* tremolo: phase */
    float oct[2][7][W];                     /* octer: [channel][dc x1, y1, lpf ic1, ic2, ff2, ff3, sub] */
};

/* issue 12, the rest of SuperDirt's and Strudel's per-voice effects
 * (h-controls; voice_fx.c starts them, voice_kern_fx.h runs them). The
 * delay-line ones (squiz, comb, binshift, freeze, xsdelay, leslie, phaser,
 * vib, fmi) read a lane's delay memory: VOICE_FX_REGIONS regions of
 * VOICE_FX_LEN frames per channel from a pool of slots (voice_fxmem),
 * taken as the voice starts; a voice that finds none plays without them. */
enum { VOICE_FX_LEN = 4096, VOICE_FX_REGIONS = VOICE_FX_PER_VOICE, VOICE_FX_SLOTS = VOICE_FX_VOICES, VOICE_XS_BANDS = 16 };
enum {                                  /* the delay-line effects, each a region when asked for */
    FXR_SQUIZ, FXR_COMB, FXR_BINSHIFT, FXR_FREEZE, FXR_XSDELAY, FXR_LESLIE, FXR_PHASER, FXR_VIB, FXR_FM, FXR_N
};
struct voice_dirt2 {
    float bandf[W], bandq[W];               /* band-pass: Hz (0: off), q */
    float waveloss[W];                      /* segments of every 100 dropped (0: off) */
    float squiz[W];                         /* chunk playback ratio (0: off) */
    float fs_on[W], fshift[W], fsphase[W];  /* frequency shift: Hz, phase (cycles) */
    float hbrick[W], lbrick[W];             /* brickwall cutoffs, Hz (0: off) */
    float comb[W];                          /* comb delay, frames (0: off) */
    float smear[W], smear_bw[W];            /* smear amount, its noise's bandwidth Hz */
    float scram[W];                         /* scramble amount (0: off) */
    float binshift[W];                      /* pitch ratio of the shift (0: off) */
    float freeze[W];
    float conf_on[W], conf_re[W], conf_im[W];       /* conformal map's a */
    float enhance[W];                       /* enhance + 1 (0: off) */
    float xs_on[W], xsdelay[W], tsdelay[W]; /* bit mask, seconds */
    float leslie[W], lrate[W], lsize[W];
    float ph_on[W], phrate[W], phdepth[W];
    float vib[W], vibmod[W];                /* Hz, semitones */
    float fmi[W], fmf[W];                   /* index at the fundamental, modulator Hz */
    float fm_amp[W];                        /* fm: the delay swing, frames */
    int region[FXR_N][W];                   /* region of the lane's memory, -1: none */
    float *mem[W];                          /* the lane's delay slot (NULL: none) */
};
struct voice_dirt2_state {
    float bst[2][2][W];                     /* band-pass [channel] */
    float wl[2][2][W];                      /* waveloss: [channel][last sample, segment] */
    float hil[2][2][2][4][2][W];            /* Hilbert pairs [fshift, conformal][channel][chain][stage][x1|x2 ... ] */
    float hilx[2][2][2][4][2][W];           /* their outputs y1, y2 */
    float hild[2][2][W];                    /* the second chain's one-frame delay */
    float fsph[W];                          /* frequency shifter's phase */
    float brick[2][2][4][2][W];             /* [high, low][channel][section][ic1, ic2] */
    float nst[2][2][2][W];                  /* smear, scram noise low-passes [which][channel] */
    uint32_t rng[W];
    int32_t sq[2][4][W];                    /* squiz [channel][segment start, chunk start, chunk length, -] */
    float sqr[2][2][W];                     /* squiz [channel][read position, last sample] */
    float bsph[W];                          /* binshift window phase */
    int32_t frz[W];                         /* freeze: frames recorded */
    float xs[VOICE_XS_BANDS][2][2][W];      /* xsdelay band-passes */
    float lph[2][W];                        /* leslie rotor phases (lrate, 0.8 lrate) */
    float lhp[2][2][W];                     /* leslie's 800 Hz split */
    float phph[W], vph[W], fmph[W];         /* phaser, vibrato, fm phases */
    int32_t w[W];                           /* write position in the delay memory */
};
/* Strudel's band-pass envelope (bpenv ...) lives in struct batch as bpenv. */

/* Strudel's filter envelope of a sample voice's filter (lpenv ... or
 * hpenv ...): the cutoff in Hz from min to max and back, exponential
 * segments, set once a block (issue 12). */
struct voice_fenv {
    float on[W];
    float min[W], max[W];           /* Hz */
    float att[W], dec[W], sus[W], rel[W];   /* seconds; sus a fraction of max - min */
    float gate[W];                  /* seconds until the release starts */
    float t[W];                     /* seconds since the onset */
};

struct batch {
    int kind;                       /* SND_SAMPLE, SND_SYNTH, SND_INSTR */
    int active;                     /* in the active list */
    int next_free;
    int ended, ended_live;          /* lanes that ended this block; those still counted live */
    uint32_t live;                  /* lanes sounding */
    struct program *prog;           /* the program that started its voices */
    int player, sub;                /* in prog: player index, sub index (-1: the player itself) */
    const struct program *dprog;    /* where the output goes: dprog's player dplayer ... */
    int dplayer;                    /* ... or the master when -1 (after a reload without it) */
    int instr, synth;               /* INSTR / SYNTH */
    int orbit;                      /* the orbit its voices send to (orbit.h) */
    int any_env, any_fx;            /* some lane has an envelope / a per-voice effect */
    /* per lane, every kind */
    alignas(32) int32_t start[W];   /* onset frame in this block (-1 once running) */
    alignas(32) int32_t gate[W];    /* frames until the gate closes (INT_MAX: never) */
    alignas(32) float alive[W];     /* 1.0 for a sounding lane */
    alignas(32) float gl[W];        /* gain * pan, left */
    alignas(32) float gr[W];        /* right */
    alignas(32) float env[4][W];    /* voice envelope: level, stage, slope, left */
    alignas(32) float att[W];       /* its segments (frames) and sustain level */
    alignas(32) float dec[W];
    alignas(32) float sus[W];
    alignas(32) float rel[W];
    alignas(32) float has_env[W];   /* 1: the envelope shapes the voice */
    alignas(32) float fade[W];      /* fade-out for stealing / cut (1 -> 0) */
    alignas(32) float fstep[W];
    uint64_t age[W];                /* start order */
    uint32_t just_released;         /* lanes released in the block just rendered (lane_end,
                                       then voice_end_block queues them for stealing) */
    int cut[W];
    float released[W];
    /* sample voices */
    const float *data[W];           /* frame 0 of the sample (a silent pad for idle lanes) */
    alignas(32) int32_t chans[W];   /* 1 or 2 */
    alignas(32) int32_t pi[W];      /* position: frame index ... */
    alignas(32) float pf[W];        /* ... and fraction */
    alignas(32) float inc[W];       /* frames per output frame (negative: backwards) */
    alignas(32) int32_t pend[W];    /* play [pbeg, pend) */
    alignas(32) int32_t pbeg[W];
    alignas(32) int32_t loops[W];   /* restarts left */
    float flt_on[W], fc[W], fq[W], fhp[W];  /* per-voice filter: on, cutoff, q, 1 = high-pass */
    float fst[2][2][W];             /* its state [channel][ic1, ic2] */
    float shape[W], crush[W];
    /* issue 12: SuperDirt's effects of sample voices (0: off) */
    struct voice_dirt dirt;
    struct voice_dirt_state dst;
    struct voice_fenv fenv;
    struct voice_fenv penv;         /* Strudel's pitch envelope: min, max in cents, ratio now */
    float pratio[W];
    /* h-controls: the rest of SuperDirt's per-voice effects, any voice kind */
    int any_fx2;                    /* some lane has one of them */
    struct voice_dirt2 d2;
    struct voice_dirt2_state d2s;
    struct voice_fenv bpenv;        /* Strudel's band-pass envelope over d2.bandf */
    float dinc[W];                  /* accelerate: inc's change per frame ... */
    int32_t acc_left[W];            /* ... for this many frames more */
    /* instrument voices */
    alignas(32) float pitch[W];     /* note frequency / the instrument's f0 */
    float *st;                      /* state slots [slot][lane] (ext) */
    /* synth voices */
    struct dsp_synth *syn;          /* (ext) */
    struct dsp_synth_note note[W];  /* a note waiting for its onset frame */
    float pending[W];               /* 1: note[] not triggered yet */
    float *out;                     /* [2][block] */
};

/* Per-thread scratch of a kernel: room for every op's lane buffer and a few
 * more (see voice_scratch_floats). */
enum { VK_EXTRA = 12 };
static inline size_t voice_scratch_floats(int block)
{
    return ((size_t)INSTR_MAX_OPS + VK_EXTRA) * (size_t)block * W + (size_t)VOP_MAX_IN * (size_t)block + 64;
}

/* A synth renderer's buffers ([frames][W] each, synth_kern.h). */
enum { VOICE_SYN_TMP = 7 };

/* The sample kernel uses VOICE_SAMPLE_SCRATCH * frames floats of its
 * scratch; voice.c keeps a lane's output after them (the NaN guard). */
enum { VOICE_SAMPLE_SCRATCH = 4 };

/* In the instrument kernel's result: its output still holds a NaN or an
 * infinity (the lanes' sum overflowed). */
#define VOICE_NOT_FINITE 0x80000000u

struct voice_kernels {
    const char *name;
    /* render a batch into out ([2][frames]); scratch per thread. The
     * instrument kernel checks its output: it returns the mask of lanes
     * whose signal or gains were not finite (left out of out), with
     * VOICE_NOT_FINITE when out still is not */
    void (*sample)(struct batch *b, float *out, int frames, float sr, float *scratch);
    uint32_t (*instr)(struct batch *b, float *out, int frames, float sr, float *scratch);
    /* synth batches (src/synth_kern.h): a block as instr; and n frames of
     * a struct dsp_synth's VOICE_W lanes into x[n][W] (tmp: VOICE_SYN_TMP
     * n W floats), returning the lanes that ended */
    uint32_t (*synth)(struct batch *b, float *out, int frames, float sr, float *scratch);
    uint32_t (*synth_lanes)(struct dsp_synth *s, float *x, int n, float *tmp);
    /* whole buffers: 0 when x[0..n) holds a NaN or an infinity; dst += src */
    int (*finite)(const float *x, int n);
    void (*add)(float *dst, const float *src, int n);
    /* issue 12 (h-controls): lane l's per-voice effects on its xl, xr
     * ([frames] each), for synth voices (voice.c renders them) */
    void (*lane_fx)(struct batch *b, int l, int frames, float sr, float *xl, float *xr);
};

/* issue 12 (h-controls): the per-voice effects of voice_fx.c. */
struct voice_fxmem;
struct voice_fxmem *voice_fxmem_new(void);
void voice_fxmem_free(struct voice_fxmem *m);
void voice_fxmem_reset(struct voice_fxmem *m);       /* every slot free again */
void voice_fxmem_release(struct voice_fxmem *m, struct batch *b);
/* 1 when some of the voice's delay-line effects got no memory (voice_fx.c). */
int voice_fx2_start(struct voice_fxmem *m, struct batch *b, int lane, struct val v, double freq, float sr);
/* voice.c's reading of a control's number (numbers, numeric strings, note names) */
double voice_num_or(const struct val *v, double dflt);

extern const struct voice_kernels voice_k_scalar;
#if defined(__x86_64__) || defined(__i386__)
extern const struct voice_kernels voice_k_simd, voice_k_avx2, voice_k_avx512;
#else
extern const struct voice_kernels voice_k_simd;
#endif

/* The band-limited step and ramp tables (dsp_blep_table, dsp_blamp_table)
 * rearranged for one edge at a time: the 2 DSP_BLEP_HALF samples within
 * reach of an edge all sit at the same fraction r/DSP_BLEP_RES of a table
 * step, so voice_edge_tab[kind][0][r][j] = table[r + DSP_BLEP_RES j] and
 * [kind][1][r][j] = table[r + DSP_BLEP_RES j + 1] hold all their
 * interpolation points side by side. kind 0: step, 1: ramp. Filled by
 * voice_pool_new (after dsp_init). */
extern float voice_edge_tab[2][2][DSP_BLEP_RES][2 * DSP_BLEP_HALF];

/* Samples of silence for idle lanes: readable at [-8, 8]. */
extern const float voice_silence[32];

/* The kernel table in use (chosen once). */
const struct voice_kernels *voice_choose_kernels(void);

/* Hermite interpolation of one channel of interleaved audio: p points at the
 * frame, c is the number of channels, o the channel. */
static inline float dsp_hermite4_strided(const float *p, int c, int o, float f)
{
    return dsp_hermite(p[o - c], p[o], p[o + c], p[o + 2 * c], f);
}

#endif
