/* voice_kern.h -- the batch kernels, included once per instruction set.
 *
 * The including file defines VK(name) (a suffix per ISA) and VK_NAME, and is
 * compiled with that ISA's flags. Every hot loop here is a loop over frames
 * around a loop over the W lanes of a batch; the lane loop is written
 * without branches (masks and selects), its state copied into local arrays
 * first, so the compiler turns it into SIMD: 8 lanes are one AVX2 register,
 * two SSE/NEON registers. The scalar build compiles the same loops with
 * vectorisation off, which makes it the reference the others are tested
 * against.
 *
 * Inputs of instrument ops come in two shapes, resolved once per block:
 * lane buffers ([frame][lane], each voice its own value) and uniform
 * buffers ([frame], the same for every voice: constants and shared nodes).
 * The common cases have their own loops (a filter whose cutoff is uniform
 * computes one set of coefficients per frame for all lanes, or one per
 * block when it is constant); the rest expand uniform inputs into lane
 * buffers first.
 *
 * Audio thread and pool workers: no allocation, no locks, no calls out.
 */
#include <limits.h>
#include <math.h>
#include <string.h>

#include "voice_impl.h"

/* Hot loops live in functions of their own, with restrict parameters: GCC
 * vectorises a lane loop only when it can see that its output cannot alias
 * its inputs. VK_LANE_LOOP keeps GCC from unrolling a lane loop before the
 * vectoriser sees it (it then sometimes fails to put the unrolled
 * statements back together and leaves them scalar). */
#define VK_NOINLINE __attribute__((noinline))
#define VK_LANE_LOOP _Pragma("GCC unroll 1")

/* ---- envelope and fades: the gain of every lane at every frame -------------- */

/* Whether an ADSR stage moves along its slope (attack, decay, release). */
static inline int VK(adsr_moving)(float sg)
{
    return sg == DSP_ENV_ATTACK || sg == DSP_ENV_DECAY || sg == DSP_ENV_RELEASE;
}

/* How many frames from frame ff (at most run) an ADSR in stage sg with lf
 * frames of its segment left goes without an event: a trigger at stt, a
 * gate-off at gt while held, the end of a moving segment (2 frames early:
 * the segment's last frames run the full tick). */
static inline int VK(adsr_run)(float sg, float lf, float stt, float gt, float ff, int run)
{
    int held = sg >= DSP_ENV_ATTACK && sg <= DSP_ENV_SUSTAIN;
    if (stt >= ff && stt - ff < (float)run)
        run = (int)(stt - ff);
    if (held && gt - ff < (float)run)
        run = gt <= ff ? 0 : (int)(gt - ff);
    if (VK(adsr_moving)(sg)) {
        int safe = lf > 2.0f ? (lf < 16777216.0f ? (int)lf - 2 : 16777214) : 0;
        run = safe < run ? safe : run;
    }
    return run;
}

/* The ADSR machine of dsp_adsr_tick for W lanes over n frames, each lane
 * with its own segment lengths and sustain (constant over the block),
 * trigger frame stt and gate-off frame gt (1e30: never). Writes the level
 * of every lane at every frame to e[f * W + l].
 *
 * Between events (a trigger, a gate-off, the end of a segment) a lane only
 * moves along its slope, so the frames up to the next event of any lane run
 * as a plain vector loop without the tick's divisions and selects, each
 * frame's level computed from the run's start (the tick adds the slope
 * frame by frame: the same ramp, rounded differently); the frame of an
 * event runs the full tick. */
VK_NOINLINE static void VK(adsr_block)(float *restrict e, float *restrict lv, float *restrict sg,
                                       float *restrict sl, float *restrict lf, const float *restrict stt,
                                       const float *restrict gt, const float *restrict at, const float *restrict de,
                                       const float *restrict su, const float *restrict re, int n)
{
    const float S = DSP_ENV_SUSTAIN;
    int f = 0;
    while (f < n) {
        float ff = (float)f;
        int run = n - f;
        float mv[W], hold[W], sus[W];
        for (int l = 0; l < W; l++) {
            run = VK(adsr_run)(sg[l], lf[l], stt[l], gt[l], ff, run);
            mv[l] = VK(adsr_moving)(sg[l]) ? 1.0f : 0.0f;
            hold[l] = sg[l] == S ? 1.0f : 0.0f;
            sus[l] = dsp_clampf(su[l], 0.0f, 1.0f);
        }
        if (run > 0) {
            /* level k + 1 frames into the run: lv + (k + 1) slope, computed
             * from the run's start so that frames do not wait on each other */
            float l0[W];
            for (int l = 0; l < W; l++)
                l0[l] = lv[l];
            for (int k = 0; k < run; k++, f++) {
                float kk = (float)(k + 1);
                VK_LANE_LOOP
                for (int l = 0; l < W; l++) {
                    float v = mv[l] > 0.0f ? l0[l] + kk * sl[l] : l0[l];
                    e[f * W + l] = hold[l] > 0.0f ? sus[l] : v;
                }
            }
            for (int l = 0; l < W; l++) {
                float v = mv[l] > 0.0f ? l0[l] + (float)run * sl[l] : l0[l];
                lv[l] = hold[l] > 0.0f ? sus[l] : v;
                lf[l] = mv[l] > 0.0f ? lf[l] - (float)run : lf[l];
            }
        } else {
            for (int l = 0; l < W; l++) {
                float trig = ff == stt[l] ? 1.0f : 0.0f;
                float gate = ff < gt[l] ? 1.0f : 0.0f;
                e[f * W + l] = dsp_adsr_tick(&lv[l], &sg[l], &sl[l], &lf[l], trig, gate, at[l], de[l], su[l], re[l]);
            }
            f++;
        }
    }
}

/* The same machine for one lane, frames f0..n-1 into e[f0..n-1], each
 * level times c: its runs end at its own events only, and each is a plain
 * loop over frames. */
static void VK(adsr_lane)(float *restrict e, float *lv, float *sg, float *sl, float *lf, float stt, float gt,
                          float at, float de, float su, float re, float c, int f0, int n)
{
    int f = f0;
    while (f < n) {
        float ff = (float)f;
        int run = VK(adsr_run)(*sg, *lf, stt, gt, ff, n - f);
        if (run > 0) {
            float l0 = *lv, slope = *sl;
            if (*sg == DSP_ENV_SUSTAIN) {
                float sus = dsp_clampf(su, 0.0f, 1.0f), v = sus * c;
                for (int k = 0; k < run; k++)
                    e[f + k] = v;
                *lv = sus;
            } else if (VK(adsr_moving)(*sg)) {
                /* level k + 1 frames into the run, from the run's start */
                for (int k = 0; k < run; k++)
                    e[f + k] = (l0 + (float)(k + 1) * slope) * c;
                *lv = l0 + (float)run * slope;
                *lf -= (float)run;
            } else {
                float v = l0 * c;
                for (int k = 0; k < run; k++)
                    e[f + k] = v;
            }
            f += run;
        } else {
            float v = dsp_adsr_tick(lv, sg, sl, lf, ff == stt ? 1.0f : 0.0f, ff < gt ? 1.0f : 0.0f, at, de, su, re);
            e[f] = v * c;
            f++;
        }
    }
}

/* The voice envelope's gains g[f][l] (the level in g where the lane has an
 * envelope, else 1) times the fade and whether the lane sounds. */
VK_NOINLINE static void VK(env_steady)(float *restrict g, const float *restrict he, const float *restrict fade,
                                       const float *restrict on, int n)
{
    /* env_fading with no onset and the fade constant: the same values */
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float e = g[f * W + l];                 /* read always: the select then vectorises */
            float amp = he[l] > 0.0f ? e : 1.0f;
            g[f * W + l] = amp * fade[l] * on[l];
        }
}

VK_NOINLINE static void VK(env_fading)(float *restrict g, const float *restrict he, const float *restrict fade,
                                       const float *restrict on0, const float *restrict st,
                                       const float *restrict s0, const float *restrict fstep, int n)
{
    for (int f = 0; f < n; f++) {
        float ff = (float)f;
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float on = ff >= st[l] ? on0[l] : 0.0f;
            float e = g[f * W + l];
            float amp = he[l] > 0.0f ? e : 1.0f;
            float fd = fade[l] - fstep[l] * (ff - s0[l] + 1.0f);   /* the fade, from the onset */
            float fv = fd > 0.0f ? fd : 0.0f;
            g[f * W + l] = amp * fv * on;
        }
    }
}

static void VK(env_pass)(struct batch *b, int frames, float *g)
{
    float on0[W], st[W], gt[W], he[W];
    for (int l = 0; l < W; l++) {
        on0[l] = b->alive[l];
        st[l] = (float)b->start[l];
        gt[l] = b->gate[l] == INT_MAX ? 1e30f : (float)b->gate[l];
        he[l] = b->has_env[l];
    }
    float lv[W], sg[W], sl[W], lf[W], at[W], de[W], su[W], re[W], fade[W], fstep[W];
    memcpy(lv, b->env[0], sizeof lv);
    memcpy(sg, b->env[1], sizeof sg);
    memcpy(sl, b->env[2], sizeof sl);
    memcpy(lf, b->env[3], sizeof lf);
    memcpy(at, b->att, sizeof at);
    memcpy(de, b->dec, sizeof de);
    memcpy(su, b->sus, sizeof su);
    memcpy(re, b->rel, sizeof re);
    memcpy(fade, b->fade, sizeof fade);
    memcpy(fstep, b->fstep, sizeof fstep);
    float s0[W], trig[W];
    for (int l = 0; l < W; l++) {
        s0[l] = st[l] < 0.0f ? 0.0f : st[l];
        trig[l] = he[l] > 0.0f ? st[l] : -1.0f;     /* lanes without an envelope never trigger */
    }
    VK(adsr_block)(g, lv, sg, sl, lf, trig, gt, at, de, su, re, frames);
    int steady = 1;                                 /* no lane starts or fades in this block */
    for (int l = 0; l < W; l++)
        steady &= st[l] < 0.0f && fstep[l] == 0.0f && fade[l] >= 0.0f;
    if (steady)
        VK(env_steady)(g, he, fade, on0, frames);
    else
        VK(env_fading)(g, he, fade, on0, st, s0, fstep, frames);
    for (int l = 0; l < W; l++) {
        float fd = fade[l] - fstep[l] * ((float)frames - s0[l]);
        fade[l] = fd > 0.0f ? fd : 0.0f;
    }
    memcpy(b->env[0], lv, sizeof lv);
    memcpy(b->env[1], sg, sizeof sg);
    memcpy(b->env[2], sl, sizeof sl);
    memcpy(b->env[3], lf, sizeof lf);
    memcpy(b->fade, fade, sizeof fade);
}

#if defined(__AVX2__)
#include <immintrin.h>
/* An 8 x 8 transpose: c[l] gets element l of every r[j]. */
static inline void VK(transpose8)(const __m256 *r, __m256 *c)
{
    __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    c[0] = _mm256_permute2f128_ps(u0, u4, 0x20);
    c[1] = _mm256_permute2f128_ps(u1, u5, 0x20);
    c[2] = _mm256_permute2f128_ps(u2, u6, 0x20);
    c[3] = _mm256_permute2f128_ps(u3, u7, 0x20);
    c[4] = _mm256_permute2f128_ps(u0, u4, 0x31);
    c[5] = _mm256_permute2f128_ps(u1, u5, 0x31);
    c[6] = _mm256_permute2f128_ps(u2, u6, 0x31);
    c[7] = _mm256_permute2f128_ps(u3, u7, 0x31);
}

/* Eight frames' sums of eight lanes each, in the generic loop's pairwise
 * order: the rows transposed so that lane l of every frame sits in one
 * register, then added vertically. */
static inline __m256 VK(sum8x8)(const __m256 *r)
{
    __m256 c[8];
    VK(transpose8)(r, c);
    return _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(c[0], c[1]), _mm256_add_ps(c[2], c[3])),
                         _mm256_add_ps(_mm256_add_ps(c[4], c[5]), _mm256_add_ps(c[6], c[7])));
}
#endif

/* out_l/out_r[f] = sum over lanes of x * g * pan gain, lanes in order. */
static void VK(mix)(const struct batch *b, float *out, const float *xl, const float *xr, const float *g, int frames)
{
    float *ol = out, *or_ = out + frames;
    float gl[W], gr[W];
    memcpy(gl, b->gl, sizeof gl);
    memcpy(gr, b->gr, sizeof gr);
    int f0 = 0;
#if defined(__AVX2__)
    if (W == 8) {
        __m256 vgl = _mm256_loadu_ps(gl), vgr = _mm256_loadu_ps(gr);
        for (; f0 + 8 <= frames; f0 += 8) {
            __m256 pl[8], pr[8];
            for (int j = 0; j < 8; j++) {
                int i = (f0 + j) * W;
                __m256 v = _mm256_loadu_ps(g + i);
                pl[j] = _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(xl + i), v), vgl);
                pr[j] = _mm256_mul_ps(_mm256_mul_ps(_mm256_loadu_ps(xr + i), v), vgr);
            }
            _mm256_storeu_ps(ol + f0, VK(sum8x8)(pl));
            _mm256_storeu_ps(or_ + f0, VK(sum8x8)(pr));
        }
    }
#endif
    for (int f = f0; f < frames; f++) {
        float a[W], c[W];
        for (int l = 0; l < W; l++) {
            float v = g[f * W + l];
            a[l] = xl[f * W + l] * v * gl[l];
            c[l] = xr[f * W + l] * v * gr[l];
        }
        /* a fixed pairwise order: the same sum on every kernel */
        ol[f] = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        or_[f] = ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));
    }
}

/* ---- sample voices ------------------------------------------------------------ */

/* Sample voices run one voice at a time, vectorised over frames. Within a
 * block a voice plays at a constant rate inc from position i0 + t0, its
 * frames taken in groups of 8 counted from its first frame s in the block:
 * group k/8 starts at t = t0 + k inc (doubles: exact enough for any block),
 * split into a sample index B = i0 + floor(t) and a fraction
 * phi = t - floor(t); frame j of the group is at u = phi + j inc (floats,
 * small) from B: index B + floor(u), fraction u - floor(u). Every kernel
 * does these same operations (the vector ones 8 frames at once), so all
 * agree to the bit. Lanes that are not sounding cost nothing. A voice that
 * loops takes the sequential path (its position jumps back at the end). */
struct vk_grp {
    int32_t b;                      /* sample index of the group's first frame */
    float phi;                      /* and its fraction */
};

static inline struct vk_grp VK(group)(double t0, double dinc, int32_t i0, int k)
{
    double t = t0 + (double)k * dinc, w = floor(t);
    struct vk_grp g = { i0 + (int32_t)w, (float)(t - w) };
    if (g.phi >= 1.0f) {                            /* rounded up: the next index */
        g.b++;
        g.phi = 0.0f;
    }
    return g;
}

/* The slice a voice plays and how it reads it. */
struct vk_slice {
    const float *d;                 /* frame 0, interleaved */
    int32_t c, o;                   /* channels; the right channel's offset */
    int32_t pbeg, pend;             /* plays [pbeg, pend) ... */
    int32_t lo, hi;                 /* ... reading indices clamped to [lo, hi] */
    int fwd;
};

/* Hermite at frame index k (already times the channel count c) of channel o. */
static inline float VK(hermite)(const float *restrict d, int32_t k, int32_t c, int32_t o, float f)
{
    return dsp_hermite(d[k - c + o], d[k + o], d[k + c + o], d[k + 2 * c + o], f);
}

/* Frame j of group g: its clamped index (times the channel count) in *k,
 * its fraction in *fr; returns 0 when the frame lies outside the slice. */
static inline int VK(locate)(const struct vk_slice *sl, struct vk_grp g, float jinc, int32_t *k, float *fr)
{
    float u = g.phi + jinc, w = dsp_floorf(u);
    int32_t i = g.b + (int32_t)w;
    int32_t ri = i < sl->lo ? sl->lo : i > sl->hi ? sl->hi : i;
    *k = ri * sl->c;
    *fr = u - w;
    return sl->fwd ? i < sl->pend : i >= sl->pbeg;
}

/* Frames s..frames-1 of a stereo voice into xl, xr. */
VK_NOINLINE static void VK(play2)(const struct vk_slice *sl, float *restrict xl, float *restrict xr, int s,
                                  int frames, int32_t i0, double t0, float inc)
{
    float jinc[8];
    for (int j = 0; j < 8; j++)
        jinc[j] = (float)j * inc;
    for (int f = s; f < frames; f += 8) {
        struct vk_grp q = VK(group)(t0, (double)inc, i0, f - s);
        int m = frames - f < 8 ? frames - f : 8;
        for (int j = 0; j < m; j++) {
            int32_t k;
            float fr;
            int inr = VK(locate)(sl, q, jinc[j], &k, &fr);
            float yl = VK(hermite)(sl->d, k, sl->c, 0, fr), yr = VK(hermite)(sl->d, k, sl->c, sl->o, fr);
            xl[f + j] = inr ? yl : 0.0f;
            xr[f + j] = inr ? yr : 0.0f;
        }
    }
}

/* Where a mono voice's frames go: stored into x (x != NULL), or weighted by
 * its gains g[f] and pan gains and added: ol[f] += y g[f] gl, same for or_. */
struct vk_dest {
    float *x;
    float *ol, *or_;
    const float *g;
    float gl, gr;
};

/* Frame j of group g of a mono voice (jinc = j inc): 0 outside the slice. */
static inline float VK(read1)(const struct vk_slice *sl, struct vk_grp g, float jinc)
{
    int32_t k;
    float fr;
    int inr = VK(locate)(sl, g, jinc, &k, &fr);
    float y = VK(hermite)(sl->d, k, 1, 0, fr);
    return inr ? y : 0.0f;
}

#if defined(__AVX2__)
#include <immintrin.h>
/* dsp_hermite on vectors of frames: the same operations, lane by lane
 * (GCC's vector operators; a scalar operand applies to every lane). */
#define VK_HERMITE_V(name, T)                                                                                  \
    static inline T name(const T *t, T f)                                                                      \
    {                                                                                                          \
        T xm1 = t[0], x0 = t[1], x1 = t[2], x2 = t[3];                                                         \
        T c1 = 0.5f * (x1 - xm1), v = x0 - x1, w = c1 + v;                                                     \
        T c3 = (w + v) + 0.5f * (x2 - x0), b = w + c3;                                                         \
        return ((c3 * f - b) * f + c1) * f + x0;                                                               \
    }
VK_HERMITE_V(VK(hermite8), __m256)
#if defined(__AVX512F__)
VK_HERMITE_V(VK(hermite16), __m512)
#endif

/* The 4 taps of 8 frames: t[k][l] = p[k + off[l]], off[l] in [0, 12]
 * (loads reach p[18]). */
static inline void VK(window)(const float *p, __m256i off, __m256 *t)
{
#if defined(__AVX512VL__)
    for (int k = 0; k < 4; k++)
        t[k] = _mm256_permutex2var_ps(_mm256_loadu_ps(p + k), off, _mm256_loadu_ps(p + 8 + k));
#else
    __m256 hi = _mm256_castsi256_ps(_mm256_cmpgt_epi32(off, _mm256_set1_epi32(7)));
    for (int k = 0; k < 4; k++)
        t[k] = _mm256_blendv_ps(_mm256_permutevar8x32_ps(_mm256_loadu_ps(p + k), off),
                                _mm256_permutevar8x32_ps(_mm256_loadu_ps(p + 8 + k), off), hi);
#endif
}
#endif

/* The groups q0 .. q0+n-1 of a voice: their indices and fractions side by
 * side (a loop of its own: vectorised, and off the reads' critical path). */
enum { VK_GROUPS = 64 };
VK_NOINLINE static void VK(groups)(int32_t *restrict gb, float *restrict gphi, double t0, double dinc,
                                   int32_t i0, int q0, int n)
{
    for (int q = 0; q < n; q++) {
        struct vk_grp g = VK(group)(t0, dinc, i0, 8 * (q0 + q));
        gb[q] = g.b;
        gphi[q] = g.phi;
    }
}

/* Frames s..frames-1 of a mono voice (see vk_dest). The vector sets read
 * 8 frames at a time: while a group's taps all lie within 16 consecutive
 * samples inside the slice (at speeds up to 1.7), shifted loads of that
 * window and permutes of them replace the gathers (slow on many CPUs); up
 * to speed 3.6 each half of the group gets a window of its own; AVX-512
 * reads two groups at once through 32 samples. Other groups (near the
 * slice's ends, faster voices) and the other sets read frame by frame. */
static inline __attribute__((always_inline)) void VK(mono)(const struct vk_slice *sl, struct vk_dest dst, int s,
                                                           int frames, int32_t i0, double t0, float inc)
{
    float *restrict x = dst.x;
    float *restrict ol = dst.ol;
    float *restrict or_ = dst.or_;
    const float *restrict g = dst.g;
    float gl = dst.gl, gr = dst.gr;
    float jinc[8];
    for (int j = 0; j < 8; j++)
        jinc[j] = (float)j * inc;
#if defined(__AVX2__)
    const float *restrict d = sl->d;
    const __m256 vj = _mm256_mul_ps(_mm256_setr_ps(0, 1, 2, 3, 4, 5, 6, 7), _mm256_set1_ps(inc));
    const __m256 vgl = _mm256_set1_ps(gl), vgr = _mm256_set1_ps(gr);
    float ainc = inc < 0.0f ? -inc : inc;
    int win = ainc <= 1.7f ? 1 : ainc <= 3.6f ? 2 : 0;     /* windows per group */
    /* frame j's first tap (xm1) is element w_j + offc of the window from B - 1 - offc */
    int32_t offc = sl->fwd ? 0 : 12;
    const __m256i voffc = _mm256_set1_epi32(offc);
#if defined(__AVX512F__)
    const __m512 vj16 = _mm512_insertf32x8(_mm512_castps256_ps512(vj), vj, 1);
#endif
    int32_t pbeg = sl->pbeg, plast = sl->pend - 16;     /* a window at p in [pbeg, plast] is inside */
#endif
    int32_t gb[VK_GROUPS];
    float gphi[VK_GROUPS];
    for (int c0 = 0; c0 < frames - s; c0 += 8 * VK_GROUPS) {
        int ng = (frames - s - c0 + 7) / 8;
        ng = ng < VK_GROUPS ? ng : VK_GROUPS;
        VK(groups)(gb, gphi, t0, (double)inc, i0, c0 / 8, ng);
        for (int q = 0; q < ng; q++) {
            int f = s + c0 + 8 * q;
            struct vk_grp gq = { gb[q], gphi[q] };
#if defined(__AVX512F__)
            /* two groups at once, 16 frames whose taps lie within 32
             * samples: two loads and a two-source permute per tap (loads
             * reach p16 + 34, the slice's end + 2: inside the pad) */
            if (win == 1 && q + 1 < ng && f + 16 <= frames) {
                int32_t b1 = gb[q + 1], lo = gq.b < b1 ? gq.b : b1;
                int32_t p16 = lo - 1 - offc;
                if (p16 >= pbeg && p16 + 31 < sl->pend) {
                    __m512 u = _mm512_add_ps(
                        _mm512_insertf32x8(_mm512_set1_ps(gq.phi), _mm256_set1_ps(gphi[q + 1]), 1), vj16);
                    __m512 w = _mm512_roundscale_ps(u, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
                    __m512 fr = _mm512_sub_ps(u, w);
                    __m512i rel = _mm512_inserti32x8(_mm512_set1_epi32(gq.b - lo + offc), _mm256_set1_epi32(b1 - lo + offc), 1);
                    __m512i off = _mm512_add_epi32(_mm512_cvttps_epi32(w), rel);
                    __m512 t[4];
                    for (int k = 0; k < 4; k++)
                        t[k] = _mm512_permutex2var_ps(_mm512_loadu_ps(d + p16 + k), off,
                                                      _mm512_loadu_ps(d + p16 + 16 + k));
                    __m512 y = VK(hermite16)(t, fr);
                    if (x) {
                        _mm512_storeu_ps(x + f, y);
                    } else {
                        __m512 v = _mm512_mul_ps(y, _mm512_loadu_ps(g + f));
                        _mm512_storeu_ps(ol + f, _mm512_add_ps(_mm512_loadu_ps(ol + f), _mm512_mul_ps(v, _mm512_set1_ps(gl))));
                        _mm512_storeu_ps(or_ + f, _mm512_add_ps(_mm512_loadu_ps(or_ + f), _mm512_mul_ps(v, _mm512_set1_ps(gr))));
                    }
                    q++;
                    continue;
                }
            }
#endif
#if defined(__AVX2__)
            if (f + 8 <= frames) {
                __m256 u = _mm256_add_ps(_mm256_set1_ps(gq.phi), vj);
                __m256 w = _mm256_floor_ps(u);
                __m256 fr = _mm256_sub_ps(u, w);
                __m256i off = _mm256_add_epi32(_mm256_cvttps_epi32(w), voffc);
                int32_t pa = gq.b - 1 - offc, pb = pa;
                if (win == 2)
                    pb += (int32_t)dsp_floorf(gq.phi + jinc[4]);   /* lane 4's floor, as in w */
                __m256 y, t[4];
                if (win == 0 || pa < pbeg || pa > plast || pb < pbeg || pb > plast) {
                    float tmp[8];
                    for (int j = 0; j < 8; j++)
                        tmp[j] = VK(read1)(sl, gq, jinc[j]);
                    y = _mm256_loadu_ps(tmp);
                } else if (win == 1) {
                    VK(window)(d + pa, off, t);
                    y = VK(hermite8)(t, fr);
                } else {
                    __m256 tb[4];
                    VK(window)(d + pa, off, t);
                    VK(window)(d + pb, _mm256_sub_epi32(off, _mm256_set1_epi32(pb - pa)), tb);
                    for (int k = 0; k < 4; k++)
                        t[k] = _mm256_blend_ps(t[k], tb[k], 0xF0);
                    y = VK(hermite8)(t, fr);
                }
                if (x) {
                    _mm256_storeu_ps(x + f, y);
                } else {
                    __m256 v = _mm256_mul_ps(y, _mm256_loadu_ps(g + f));
                    _mm256_storeu_ps(ol + f, _mm256_add_ps(_mm256_loadu_ps(ol + f), _mm256_mul_ps(v, vgl)));
                    _mm256_storeu_ps(or_ + f, _mm256_add_ps(_mm256_loadu_ps(or_ + f), _mm256_mul_ps(v, vgr)));
                }
                continue;
            }
#endif
            int m = frames - f < 8 ? frames - f : 8;
            for (int j = 0; j < m; j++) {
                float y = VK(read1)(sl, gq, jinc[j]);
                if (x) {
                    x[f + j] = y;
                } else {
                    float yg = y * g[f + j];
                    ol[f + j] += yg * gl;
                    or_[f + j] += yg * gr;
                }
            }
        }
    }
}

/* The two uses of the mono loop, each compiled on its own. */
VK_NOINLINE static void VK(mono_store)(const struct vk_slice *sl, float *x, int s, int frames, int32_t i0,
                                       double t0, float inc)
{
    struct vk_dest dst = { x, NULL, NULL, NULL, 0.0f, 0.0f };
    VK(mono)(sl, dst, s, frames, i0, t0, inc);
}

VK_NOINLINE static void VK(mono_mix)(const struct vk_slice *sl, float *ol, float *or_, const float *g, float gl,
                                     float gr, int s, int frames, int32_t i0, double t0, float inc)
{
    struct vk_dest dst = { NULL, ol, or_, g, gl, gr };
    VK(mono)(sl, dst, s, frames, i0, t0, inc);
}

/* The voice of lane l plays frames s..frames-1 at its rate: the slice it
 * reads and its position. */
static struct vk_slice VK(slice)(const struct batch *b, int l)
{
    struct vk_slice sl;
    sl.d = b->data[l];
    sl.c = b->chans[l];
    sl.o = sl.c - 1;
    sl.pbeg = b->pbeg[l];
    sl.pend = b->pend[l];
    sl.lo = sl.pbeg - 1;
    sl.hi = sl.pend;
    sl.fwd = b->inc[l] >= 0.0f;
    return sl;
}

/* Moves lane l's position on by the frames s..frames-1 it played; returns
 * 1 when it has passed the slice's end (the voice ends with this block). */
static int VK(advance)(struct batch *b, int l, int s, int frames)
{
    double t = (double)b->pf[l] + (double)(frames - s) * (double)b->inc[l];
    double w = floor(t);
    double nw = (double)b->pi[l] + w;               /* stop at the end: the voice is over */
    b->pi[l] = nw > 2e9 ? 2000000000 : nw < -2e9 ? -2000000000 : (int32_t)nw;
    b->pf[l] = (float)(t - w);
    return b->inc[l] >= 0.0f ? b->pi[l] >= b->pend[l] : b->pi[l] < b->pbeg[l];
}

/* A looping voice, frame by frame: its position jumps back at the end. */
static int VK(play_loop)(struct batch *b, int l, int s, int frames, float *restrict xl, float *restrict xr)
{
    struct vk_slice sl = VK(slice)(b, l);
    int32_t i = b->pi[l];
    float fr = b->pf[l], inc = b->inc[l];
    for (int f = s; f < frames; f++) {
        int inr = sl.fwd ? i < sl.pend : i >= sl.pbeg;
        if (!inr && b->loops[l] > 0) {
            b->loops[l]--;
            i = sl.fwd ? sl.pbeg : sl.pend - 1;
            fr = 0.0f;
            inr = 1;
        }
        int32_t ri = i < sl.lo ? sl.lo : i > sl.hi ? sl.hi : i;
        const float *p = sl.d + (ptrdiff_t)ri * sl.c;
        xl[f] = inr ? dsp_hermite4_strided(p, sl.c, 0, fr) : 0.0f;
        xr[f] = inr ? dsp_hermite4_strided(p, sl.c, sl.o, fr) : 0.0f;
        float t = fr + (inr ? inc : 0.0f);
        float w = dsp_floorf(t);
        i += (int32_t)w;
        fr = t - w;
    }
    b->pi[l] = i;
    b->pf[l] = fr;
    return sl.fwd ? i >= sl.pend : i < sl.pbeg;
}

/* The gains of lane l's frames s..frames-1 into gv: full level from its
 * onset, times the fade when stolen or cut, times its envelope when it has
 * one (e: room for the envelope). Its fade and envelope move on. */
static void VK(lane_gain)(struct batch *b, int l, int s, int frames, float *restrict gv, float *restrict e)
{
    float fade = b->fade[l], step = b->fstep[l];
    int env = b->has_env[l] > 0.0f;
    /* the usual case, a steady fade: the ramp below with fade - 0 n = fade,
     * applied by the envelope itself */
    float c = step == 0.0f ? (fade > 0.0f ? fade : 0.0f) : 1.0f;
    float *lvl = step == 0.0f ? gv : e;
    if (env)
        VK(adsr_lane)(lvl, &b->env[0][l], &b->env[1][l], &b->env[2][l], &b->env[3][l], (float)b->start[l],
                      b->gate[l] == INT_MAX ? 1e30f : (float)b->gate[l], b->att[l], b->dec[l], b->sus[l],
                      b->rel[l], c, s, frames);
    if (step == 0.0f) {
        b->fade[l] = c;
        if (!env)
            for (int f = s; f < frames; f++)
                gv[f] = c;
        return;
    }
    for (int f = s; f < frames; f++) {
        float fd = fade - step * (float)(f - s + 1);
        gv[f] = fd > 0.0f ? fd : 0.0f;
    }
    float fd = fade - step * (float)(frames - s);
    b->fade[l] = fd > 0.0f ? fd : 0.0f;
    if (env)
        for (int f = s; f < frames; f++)
            gv[f] = e[f] * gv[f];
}

/* coarse n: each frame holds the value taken every n frames (SuperDirt's
 * Latch at SampleRate / n), the count running on across blocks. */
static void VK(coarse)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    struct voice_dirt_state *d = &b->dst;
    float n = b->dirt.coarse[l], c = d->ccount[l], hl = d->chold[0][l], hr = d->chold[1][l];
    for (int f = 0; f < frames; f++) {
        if (c <= 0.0f) {
            hl = xl[f];
            hr = xr[f];
            c += n;
        }
        c -= 1.0f;
        xl[f] = hl;
        xr[f] = hr;
    }
    d->ccount[l] = c;
    d->chold[0][l] = hl;
    d->chold[1][l] = hr;
}

/* vowel: the sum of five band-passes at the vowel's formants, weighted by
 * their amplitudes, with a little of the dry signal (SuperDirt's BPF bank
 * into an equal-power crossfade, approximated). */
static void VK(vowel)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    const float (*vw)[VOICE_FORMANTS] = voice_vowels[b->dirt.vowel[l] - 1];
    float (*st)[2][2][W] = b->dst.vst;
    struct dsp_svf_coef cf[VOICE_FORMANTS];
    for (int k = 0; k < VOICE_FORMANTS; k++)
        cf[k] = dsp_svf_coef(vw[0][k], vw[0][k] / vw[2][k], sr);
    for (int f = 0; f < frames; f++) {
        float yl = 0.0f, yr = 0.0f;
        for (int k = 0; k < VOICE_FORMANTS; k++) {
            struct dsp_svf_out o1 = dsp_svf_tick(&st[k][0][0][l], &st[k][0][1][l], cf[k], xl[f]);
            struct dsp_svf_out o2 = dsp_svf_tick(&st[k][1][0][l], &st[k][1][1][l], cf[k], xr[f]);
            yl += vw[1][k] * o1.bp;
            yr += vw[1][k] * o2.bp;
        }
        xl[f] = 0.2f * xl[f] + 2.0f * yl;
        xr[f] = 0.2f * xr[f] + 2.0f * yr;
    }
}

/* lo * (hi / lo) ^ t for t in [0, 1] (SuperDirt's linexp, clipped). */
static inline float VK(linexp)(float t, float lo, float hi)
{
    return lo * dsp_exp2(dsp_log2(hi / lo) * dsp_clampf(t, 0.0f, 1.0f));
}

/* djf: a low-pass from 20 Hz (0) to 10 kHz (0.5), then a high-pass from
 * 20 Hz (0.5) to 10 kHz (1), both q 1, in series. */
static void VK(djf)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float x = b->dirt.djf[l];
    float (*st)[2][2][W] = b->dst.djst;
    struct dsp_svf_coef lo = dsp_svf_coef(VK(linexp)(2.0f * x, 20.0f, 10000.0f), 1.0f, sr);
    struct dsp_svf_coef hi = dsp_svf_coef(VK(linexp)(2.0f * x - 1.0f, 20.0f, 10000.0f), 1.0f, sr);
    for (int f = 0; f < frames; f++) {
        float a = dsp_svf_tick(&st[0][0][0][l], &st[0][0][1][l], lo, xl[f]).lp;
        float c = dsp_svf_tick(&st[0][1][0][l], &st[0][1][1][l], lo, xr[f]).lp;
        xl[f] = dsp_svf_tick(&st[1][0][0][l], &st[1][0][1][l], hi, a).hp;
        xr[f] = dsp_svf_tick(&st[1][1][0][l], &st[1][1][1][l], hi, c).hp;
    }
}

/* triode: the positive half passes, the negative half is squashed by
 * tanh(x sc) / sc (sc = 10 triode), then a DC blocker. */
static void VK(triode)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    float sc = b->dirt.triode[l] * 10.0f + 1e-3f, inv = 1.0f / sc;
    float (*dc)[2][W] = b->dst.tdc;
    for (int f = 0; f < frames; f++) {
        float *x[2] = { &xl[f], &xr[f] };
        for (int ch = 0; ch < 2; ch++) {
            float v = *x[ch];
            float y = v > 0.0f ? v : dsp_tanh(v * sc) * inv;
            float o = y - dc[ch][0][l] + 0.995f * dc[ch][1][l];
            dc[ch][0][l] = y;
            dc[ch][1][l] = dsp_flush(o);
            *x[ch] = o;
        }
    }
}

/* krush: Sonic Pi's (x^2 + k x) / (x^2 + |x| (k - 1) + 1) into a q 1
 * low-pass at kcutoff (4 kHz unless given), crossfaded with the dry
 * signal by 2 krush. */
static void VK(krush)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float k = b->dirt.krush[l], mix = dsp_clampf(2.0f * k, 0.0f, 1.0f);
    float fc = b->dirt.kcutoff[l] > 0.0f ? dsp_clampf(b->dirt.kcutoff[l], 20.0f, 10000.0f) : 4000.0f;
    struct dsp_svf_coef cf = dsp_svf_coef(fc, 1.0f, sr);
    float (*st)[2][W] = b->dst.kst;
    for (int f = 0; f < frames; f++) {
        float *x[2] = { &xl[f], &xr[f] };
        for (int ch = 0; ch < 2; ch++) {
            float v = *x[ch], a = v < 0.0f ? -v : v;
            float y = (v * v + k * v) / (v * v + a * (k - 1.0f) + 1.0f);
            y = dsp_svf_tick(&st[ch][0][l], &st[ch][1][l], cf, y).lp;
            *x[ch] = v + mix * (y - v);
        }
    }
}

/* ring: x (1 + ring sin), the sine gliding from ringf to ringf + ringdf
 * over the voice's first second (exponentially, a step a block), within
 * 20 Hz .. 20 kHz. */
static void VK(ring)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float f0 = dsp_clampf(b->dirt.ringf[l], 20.0f, 20000.0f);
    float f1 = dsp_clampf(b->dirt.ringf[l] + b->dirt.ringdf[l], 20.0f, 20000.0f);
    float hz = VK(linexp)(b->dst.rtime[l], f0, f1), amt = b->dirt.ring[l];
    float ph = b->dst.rph[l], inc = hz / sr;
    for (int f = 0; f < frames; f++) {
        float m = amt * dsp_sine_tick(&ph, inc);
        xl[f] += xl[f] * m;
        xr[f] += xr[f] * m;
    }
    b->dst.rph[l] = ph;
    b->dst.rtime[l] += (float)frames / sr;
}

/* tremolo: x ((1 - d) + d cos(2 pi rate t)), d = depth / 2 (depth 0..1). */
static void VK(tremolo)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float d = 0.5f * dsp_clampf(b->dirt.tremdepth[l], 0.0f, 1.0f), inc = b->dirt.tremrate[l] / sr;
    float ph = b->dst.tph[l];
    for (int f = 0; f < frames; f++) {
        float g = (1.0f - d) + d * dsp_cos2pi(ph);
        ph = dsp_wrap1(ph + inc);
        xl[f] *= g;
        xr[f] *= g;
    }
    b->dst.tph[l] = ph;
}

/* octer: 2 |x| through a DC blocker (an octave up) crossfaded in by octer
 * (0..1, then out to silence at 2); plus the signal low-passed at 440 Hz
 * times a flip-flop toggled by its rising zero crossings (an octave down,
 * octersub) and by that one's rising edges (two down, octersubsub). */
static void VK(octer)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float o1 = b->dirt.octer[l], o2 = b->dirt.octersub[l], o3 = b->dirt.octersubsub[l];
    float wa = o1 <= 1.0f ? 1.0f - o1 : 0.0f, wb = o1 <= 1.0f ? o1 * o1 : o1 * (2.0f - o1);
    struct dsp_svf_coef cf = dsp_svf_coef(440.0f, 0.7071f, sr);
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, (*st)[W] = b->dst.oct[ch];
        for (int f = 0; f < frames; f++) {
            float v = x[f], a = 2.0f * (v < 0.0f ? -v : v);
            float up = a - st[0][l] + 0.995f * st[1][l];
            st[0][l] = a;
            st[1][l] = dsp_flush(up);
            float prev = st[6][l];
            float sub = dsp_svf_tick(&st[2][l], &st[3][l], cf, v).lp;
            st[6][l] = sub;
            float ff2 = st[4][l], ff3 = st[5][l];
            if (sub > 0.0f && !(prev > 0.0f)) {
                ff2 = 1.0f - ff2;
                if (ff2 > 0.0f)
                    ff3 = 1.0f - ff3;
            }
            st[4][l] = ff2;
            st[5][l] = ff3;
            x[f] = wa * v + wb * up + (o2 * ff2 + o3 * ff3) * sub;
        }
    }
}

#include "voice_kern_fx.h"

/* SuperDirt's effects a lane asks for, in SuperDirt's module order. */
static void VK(dirt_fx)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    const struct voice_dirt *d = &b->dirt;
    if (d->coarse[l] > 1)
        VK(coarse)(b, l, frames, xl, xr);
    if (d->vowel[l] > 0)
        VK(vowel)(b, l, frames, sr, xl, xr);
    if (d->djf_on[l] > 0)
        VK(djf)(b, l, frames, sr, xl, xr);
    if (d->triode[l] > 0)
        VK(triode)(b, l, frames, xl, xr);
    if (d->krush[l] > 0)
        VK(krush)(b, l, frames, sr, xl, xr);
    if (d->ring[l] != 0)
        VK(ring)(b, l, frames, sr, xl, xr);
    if (d->tremdepth[l] > 0)
        VK(tremolo)(b, l, frames, sr, xl, xr);
    if (d->oct_on[l] > 0)
        VK(octer)(b, l, frames, sr, xl, xr);
}

/* Per-voice filter, shape and crush on both sides (voices that ask only). */
static void VK(voice_fx)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    if (b->flt_on[l] > 0) {
        struct dsp_svf_coef cf = dsp_svf_coef(b->fc[l], b->fq[l], sr);
        for (int f = 0; f < frames; f++) {
            struct dsp_svf_out o1 = dsp_svf_tick(&b->fst[0][0][l], &b->fst[0][1][l], cf, xl[f]);
            struct dsp_svf_out o2 = dsp_svf_tick(&b->fst[1][0][l], &b->fst[1][1][l], cf, xr[f]);
            xl[f] = b->fhp[l] > 0 ? o1.hp : o1.lp;
            xr[f] = b->fhp[l] > 0 ? o2.hp : o2.lp;
        }
    }
    if (b->shape[l] > 0) {
        float k = 1.0f + 20.0f * dsp_clampf(b->shape[l], 0, 0.99f), n = 1.0f / dsp_tanh(k);
        for (int f = 0; f < frames; f++) {
            xl[f] = dsp_tanh(k * xl[f]) * n;
            xr[f] = dsp_tanh(k * xr[f]) * n;
        }
    }
    if (b->crush[l] > 0) {
        float steps = dsp_exp2(dsp_clampf(b->crush[l], 1, 16) - 1);
        for (int f = 0; f < frames; f++) {
            xl[f] = dsp_roundf(xl[f] * steps) / steps;
            xr[f] = dsp_roundf(xr[f] * steps) / steps;
        }
    }
    VK(dirt_fx)(b, l, frames, sr, xl, xr);
    if (b->any_fx2)
        VK(dirt_fx2)(b, l, frames, sr, xl, xr);
}

/* Sample voices: scratch holds gv, e, xl, xr (VOICE_SAMPLE_SCRATCH). */
static void VK(sample)(struct batch *b, float *out, int frames, float sr, float *scratch)
{
    float *gv = scratch, *e = gv + frames, *xl = e + frames, *xr = xl + frames;
    float *ol = out, *or_ = out + frames;
    for (int f = 0; f < frames; f++)
        ol[f] = or_[f] = 0.0f;
    for (int l = 0; l < W; l++) {
        if (!(b->live >> l & 1))
            continue;
        int s = b->start[l] < 0 ? 0 : b->start[l];
        if (s >= frames)
            continue;                               /* nudged past this block */
        VK(lane_gain)(b, l, s, frames, gv, e);
        struct vk_slice sl = VK(slice)(b, l);
        int32_t i0 = b->pi[l];
        double t0 = (double)b->pf[l];
        float inc = b->inc[l];
        int over, mixed = 0;
        if (b->loops[l] > 0) {
            over = VK(play_loop)(b, l, s, frames, xl, xr);
        } else {
            if (sl.c == 1 && !b->any_fx) {
                /* the common case: read, weigh and mix in one pass */
                VK(mono_mix)(&sl, ol, or_, gv, b->gl[l], b->gr[l], s, frames, i0, t0, inc);
                mixed = 1;
            } else if (sl.c == 1) {
                VK(mono_store)(&sl, xl, s, frames, i0, t0, inc);
                memcpy(xr + s, xl + s, sizeof *xr * (size_t)(frames - s));
            } else {
                VK(play2)(&sl, xl, xr, s, frames, i0, t0, inc);
            }
            over = VK(advance)(b, l, s, frames);
        }
        if (!mixed) {
            if (b->any_fx) {
                for (int f = 0; f < s; f++)
                    xl[f] = xr[f] = 0.0f;           /* the filters run from the block's start */
                VK(voice_fx)(b, l, frames, sr, xl, xr);
            }
            float gl = b->gl[l], gr = b->gr[l];
            for (int f = s; f < frames; f++) {
                float v = gv[f];
                ol[f] += xl[f] * v * gl;
                or_[f] += xr[f] * v * gr;
            }
        }
        if (over)
            b->fade[l] = 0.0f;                      /* played out: the voice ends with this block */
    }
}

/* ---- instruments ----------------------------------------------------------------- */

struct vk_in {
    const float *p;                 /* [frame][lane] when lane, else [frame] */
    int lane;
    int konst;                      /* a constant of the instrument (uniform, the same every frame) */
};

struct vk_ctx {
    struct batch *b;
    const struct instr *in;
    int frames;
    float sr;
    float *bufs;                    /* op outputs: [op][frame][lane] */
    float *tmp;                     /* VK_EXTRA lane buffers */
    float *uni;                     /* VOP_MAX_IN uniform buffers for constants */
};

static float *VK(opbuf)(const struct vk_ctx *c, int op)
{
    return c->bufs + (size_t)op * (size_t)c->frames * W;
}

static struct vk_in VK(input)(const struct vk_ctx *c, const struct vop *o, int k)
{
    struct vk_in r;
    int s = o->in[k];
    r.konst = 0;
    if (s >= 0) {
        r.p = VK(opbuf)(c, s);
        r.lane = 1;
    } else if (s == VSRC_CONST) {
        float *u = c->uni + (size_t)k * (size_t)c->frames;
        for (int f = 0; f < c->frames; f++)
            u[f] = o->k[k];
        r.p = u;
        r.lane = 0;
        r.konst = 1;
    } else {
        r.p = c->b->prog->nodes[VSRC_NODE_BASE - s].out[0];
        r.lane = 0;
    }
    return r;
}

/* A lane view of an input (expanding a uniform one into tmp slot t). */
static const float *VK(lanes)(const struct vk_ctx *c, struct vk_in in, int t)
{
    if (in.lane)
        return in.p;
    float *d = c->tmp + (size_t)t * (size_t)c->frames * W;
    for (int f = 0; f < c->frames; f++) {
        float v = in.p[f];
        for (int l = 0; l < W; l++)
            d[f * W + l] = v;
    }
    return d;
}

static int VK(is_constant)(struct vk_in in, int frames)
{
    if (in.lane)
        return 0;
    if (in.konst)
        return 1;
    const float *restrict p = in.p;
    float v = p[0];
    int differ = 0;
    for (int f = 1; f < frames; f++)
        differ |= p[f] != v;
    return !differ;
}

/* The oscillator loops, one function each with restrict parameters: GCC
 * vectorises the lane loop (table reads as gathers) only when it can see
 * that the output cannot alias the tables. */
/* Oscillator phase: dp[f * W + l] is lane l's phase in [0, 1) at frame f,
 * and ph[] advances by the block. With a steady frequency (the same inc all
 * block, the usual case) every frame's phase is computed from the block's
 * start, ph + f inc, so the frames do not wait on each other; otherwise
 * the phase is accumulated frame by frame. */
VK_NOINLINE static void VK(phase_steady)(float *restrict dp, const float *restrict inc, float *restrict ph, int n)
{
    float p0[W], i0[W];
    for (int l = 0; l < W; l++) {
        p0[l] = ph[l];
        i0[l] = inc[l];
    }
    for (int f = 0; f < n; f++) {
        float ff = (float)f;
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            dp[f * W + l] = dsp_wrap1(p0[l] + ff * i0[l]);
    }
    for (int l = 0; l < W; l++)
        ph[l] = dsp_wrap1(p0[l] + (float)n * i0[l]);
}
VK_NOINLINE static void VK(phase_run)(float *restrict dp, const float *restrict inc, float *restrict ph, int n)
{
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            dp[f * W + l] = dsp_wrap1(ph[l]);
            dsp_phase_step(&ph[l], inc[f * W + l]);
        }
}

/* Band-limited edges without table reads on every sample. The residual of
 * an edge (dsp_blep_sum, dsp_blamp_sum) is exactly 0 further than
 * DSP_BLEP_HALF samples from it, and a gather per lane per sample is the
 * slowest thing a vector unit does. So the lane loops below compute the
 * naive waveform and record each sample's phase; VK(edges) then visits,
 * lane by lane, only the samples near an edge and adds their residual there
 * (skipping straight to the next edge when the lane's frequency holds over
 * the block). The residuals are those dsp_blep_sum and dsp_blamp_sum
 * compute for the same phase. */
VK_NOINLINE static void VK(shape_sine)(float *restrict out, const float *restrict dp, int n)
{
    for (int i = 0; i < n * W; i++)
        out[i] = dsp_sin2pi(dp[i]);
}
VK_NOINLINE static void VK(shape_saw)(float *restrict out, const float *restrict dp, int n)
{
    for (int i = 0; i < n * W; i++)
        out[i] = 2.0f * dp[i] - 1.0f;
}
/* pulse = blsaw(p - w) - blsaw(p) + (2 w - 1); the residuals are added later */
VK_NOINLINE static void VK(shape_pulse)(float *restrict out, float *restrict dq, const float *restrict dp,
                                        const float *restrict w, int n)
{
    for (int i = 0; i < n * W; i++) {
        float p = dp[i], wc = dsp_clampf(w[i], 0.01f, 0.99f);
        float q = dsp_wrap1(p - wc);
        dq[i] = q;
        out[i] = ((2.0f * q - 1.0f) - (2.0f * p - 1.0f)) + (2.0f * wc - 1.0f);
    }
}
VK_NOINLINE static void VK(shape_tri)(float *restrict out, float *restrict dq, const float *restrict dp, int n)
{
    for (int i = 0; i < n * W; i++) {
        float p = dp[i];
        dq[i] = dsp_wrap1(p - 0.5f);
        out[i] = p < 0.5f ? 4.0f * p - 1.0f : 3.0f - 4.0f * p;
    }
}

/* Add k * residual at the samples of lane l near an edge at phase 0, where
 * the sample's phase is d[f * W + l] and its period 1/|inc|; k is constant,
 * or times |inc| (slope changes) when kinc. Steady: inc is the same over
 * the block, so the lane may jump from one edge's reach to the next. */
/* A steady lane (the same inc all block, phase d0 at frame 0): its edges
 * sit at known frame positions e, and the 2 H samples within reach of one
 * are t = f - e away (e - f running backwards), all at the same fraction of
 * a table step: their residuals come from two rows of voice_edge_tab. */
static void VK(edges_steady)(float *restrict out, float d0, float inc, int l, int n, int ramp, float k)
{
    enum { H = DSP_BLEP_HALF, R = DSP_BLEP_RES, N = 2 * DSP_BLEP_HALF };
    double per = (double)dsp_osc_period(inc);
    int fwd = inc >= 0.0f;
    double e0 = (fwd ? -(double)d0 : (double)d0) * per;    /* an edge; others per apart */
    const float(*t0)[N] = voice_edge_tab[ramp][0], (*t1)[N] = voice_edge_tab[ramp][1];
    for (double q = ceil((-H - e0) / per);; q++) {
        double e = e0 + q * per;
        if (e >= (double)n + H)
            break;
        /* the sample nearest the edge's start in t: frame f0, then f0 + j (or - j) */
        double f0 = fwd ? ceil(e - H) : floor(e + H);
        double x0 = (fwd ? f0 - e + H : e - f0 + H) * R;     /* in [0, R) */
        int r = (int)x0;
        r = r < 0 ? 0 : r > R - 1 ? R - 1 : r;
        float fr = (float)(x0 - r);
        float res[N];
        for (int j = 0; j < N; j++) {
            float v = t0[r][j] + fr * (t1[r][j] - t0[r][j]);
            res[j] = k * (ramp ? v : v - (j >= H ? 1.0f : 0.0f));
        }
        int fs = (int)f0, step = fwd ? 1 : -1;
        for (int j = 0; j < N; j++) {
            int f = fs + step * j;
            if (f >= 0 && f < n)
                out[f * W + l] += res[j];
        }
    }
}

static void VK(edges)(float *restrict out, const float *restrict d, const float *restrict inc, int l, int n,
                      int steady, int ramp, float k, int kinc)
{
    const float H = (float)DSP_BLEP_HALF;
    const float *tab = ramp ? dsp_blamp_table : dsp_blep_table;
    if (steady) {
        VK(edges_steady)(out, d[l], inc[l], l, n, ramp, kinc ? k * fabsf(inc[l]) : k);
        return;
    }
    for (int f = 0; f < n; f++) {
        int i = f * W + l;
        float per = dsp_osc_period(inc[i]), a = d[i] * per;
        if (per < 2.0f * H) {                       /* all four terms */
            float r = ramp ? dsp_blamp_sum(d[i], per) : dsp_blep_sum(d[i], per);
            out[i] += (kinc ? k * fabsf(inc[i]) : k) * r;
        } else if (a < H || a - per > -H) {
            float t = a < H ? a : a - per;
            float r = dsp_blep_lerp(tab, t) - (ramp ? 0.0f : (t >= 0.0f ? 1.0f : 0.0f));
            out[i] += (kinc ? k * fabsf(inc[i]) : k) * r;
        }
    }
}

VK_NOINLINE static void VK(osc_fm)(float *restrict out, const float *restrict inc, const float *restrict mf,
                                   const float *restrict ix, float *restrict ph, float *restrict ph2,
                                   const float *restrict pm, int n)
{
    for (int f = 0; f < n; f++)
        for (int l = 0; l < W; l++)
            out[f * W + l] = dsp_fm_tick(&ph[l], &ph2[l], inc[f * W + l], dsp_inc_bound(mf[f * W + l] * pm[l]),
                                         ix[f * W + l]);
}
VK_NOINLINE static void VK(osc_noise)(float *restrict out, uint32_t *restrict rng, int n)
{
    for (int f = 0; f < n; f++)
        for (int l = 0; l < W; l++)
            out[f * W + l] = dsp_noise_tick(&rng[l]);
}
VK_NOINLINE static void VK(osc_pink)(float *restrict out, uint32_t *restrict rng, float *restrict b0,
                                     float *restrict b1, float *restrict b2, int n)
{
    for (int f = 0; f < n; f++)
        for (int l = 0; l < W; l++)
            out[f * W + l] = dsp_pink_tick(&rng[l], &b0[l], &b1[l], &b2[l]);
}
VK_NOINLINE static void VK(osc_brown)(float *restrict out, uint32_t *restrict rng, float *restrict b0, int n)
{
    for (int f = 0; f < n; f++)
        for (int l = 0; l < W; l++)
            out[f * W + l] = dsp_brown_tick(&rng[l], &b0[l]);
}

/* Filter loops: coefficients shared by every lane (one set per frame).
 * The state-variable filter is dsp_svf_tick rewritten as its state update
 * s' = M s + b x, so that a frame waits on the previous one for a multiply
 * and two adds instead of the tick's chain of five operations and the
 * flush (the engine's threads flush denormals in hardware). Same filter,
 * rounded differently: every kernel runs this same code. */
struct vk_svf {
    float m11, m12, b1, m21, m22, b2;       /* state update */
    float a1, a2, a3, k;                    /* outputs */
};
static inline struct vk_svf VK(svf_matrix)(float cutoff, float q, float sr)
{
    struct dsp_svf_coef c = dsp_svf_coef(cutoff, q, sr);
    struct vk_svf m;
    m.m11 = 2.0f * c.a1 - 1.0f;
    m.m12 = -2.0f * c.a2;
    m.b1 = 2.0f * c.a2;
    m.m21 = 2.0f * c.a2;
    m.m22 = 1.0f - 2.0f * c.a3;
    m.b2 = 2.0f * c.a3;
    m.a1 = c.a1;
    m.a2 = c.a2;
    m.a3 = c.a3;
    m.k = c.k;
    return m;
}

VK_NOINLINE static void VK(svf_uniform)(float *restrict out, const float *restrict x, const float *restrict cu,
                                        const float *restrict qu, float *restrict s0, float *restrict s1,
                                        int fixed, int mode, float sr, int n)
{
    struct vk_svf m = VK(svf_matrix)(cu[0], qu[0], sr);
    float lpw = mode == FLT_LPF || mode == FLT_NOTCH ? 1.0f : 0.0f;   /* output mix: lp, hp, bp */
    float hpw = mode == FLT_HPF || mode == FLT_NOTCH ? 1.0f : 0.0f;
    float bpw = mode == FLT_BPF ? 1.0f : 0.0f;
    for (int f = 0; f < n; f++) {
        if (!fixed)
            m = VK(svf_matrix)(cu[f], qu[f], sr);
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float xi = x[f * W + l], a = s0[l], b = s1[l];
            float v3 = xi - b;
            float v1 = m.a1 * a + m.a2 * v3;
            float v2 = b + m.a2 * a + m.a3 * v3;
            float hp = xi - m.k * v1 - v2;
            out[f * W + l] = lpw * v2 + hpw * hp + bpw * (m.k * v1);
            s0[l] = m.m11 * a + (m.m12 * b + m.b1 * xi);
            s1[l] = m.m22 * b + (m.m21 * a + m.b2 * xi);
        }
    }
}
VK_NOINLINE static void VK(moog_uniform)(float *restrict out, const float *restrict x, const float *restrict cu,
                                         const float *restrict qu, float *restrict s0, float *restrict s1,
                                         float *restrict s2, float *restrict s3, int fixed, float sr, int n)
{
    struct dsp_moog_coef k = dsp_moog_coef(cu[0], qu[0], sr);
    for (int f = 0; f < n; f++) {
        if (!fixed)
            k = dsp_moog_coef(cu[f], qu[f], sr);
        for (int l = 0; l < W; l++)
            out[f * W + l] = dsp_moog_tick(&s0[l], &s1[l], &s2[l], &s3[l], k, x[f * W + l]);
    }
}

static void VK(op_osc)(const struct vk_ctx *c, const struct vop *o, float *out, float *st)
{
    int n = c->frames;
    struct batch *b = c->b;
    float *inc = c->tmp + (size_t)(VK_EXTRA - 1) * (size_t)n * W;
    float pm[W];
    for (int l = 0; l < W; l++)
        pm[l] = (o->pitched ? b->pitch[l] : 1.0f) / c->sr;
    struct vk_in fr = VK(input)(c, o, 0);
    int steady = !fr.lane && VK(is_constant)(fr, n);
    int phased = o->op == OSC_SINE || o->op == OSC_SAW || o->op == OSC_SQUARE || o->op == OSC_PULSE ||
                 o->op == OSC_TRI;
    int ninc = steady && phased ? 1 : n;            /* a steady phase needs the first frame's only */
    if (fr.lane) {
        for (int f = 0; f < ninc; f++)
            for (int l = 0; l < W; l++)
                inc[f * W + l] = dsp_inc_bound(fr.p[f * W + l] * pm[l]);
    } else {
        for (int f = 0; f < ninc; f++) {
            float v = fr.p[f];
            for (int l = 0; l < W; l++)
                inc[f * W + l] = dsp_inc_bound(v * pm[l]);
        }
    }
    float ph[W], ph2[W], b0[W], b1[W], b2[W];
    uint32_t rng[W];
    memcpy(ph, st, sizeof ph);
    memcpy(ph2, st + W, sizeof ph2);
    memcpy(rng, st + 2 * W, sizeof rng);
    memcpy(b0, st + 3 * W, sizeof b0);
    memcpy(b1, st + 4 * W, sizeof b1);
    memcpy(b2, st + 5 * W, sizeof b2);
    float *dp = c->tmp + (size_t)(VK_EXTRA - 3) * (size_t)n * W, *dq = dp - (size_t)n * W;
    if (phased) {
        if (steady)
            VK(phase_steady)(dp, inc, ph, n);
        else
            VK(phase_run)(dp, inc, ph, n);
    }
    switch (o->op) {
    case OSC_SINE: VK(shape_sine)(out, dp, n); break;
    case OSC_SAW:
        VK(shape_saw)(out, dp, n);
        for (int l = 0; l < W; l++)
            if (b->live >> l & 1)
                VK(edges)(out, dp, inc, l, n, steady, 0, -2.0f, 0);
        break;
    case OSC_SQUARE:
    case OSC_PULSE: {
        const float *w;
        int wsteady = 1;                            /* the width holds: so do the falling edges */
        if (o->op == OSC_PULSE) {
            struct vk_in wi = VK(input)(c, o, 1);
            wsteady = VK(is_constant)(wi, n);
            w = VK(lanes)(c, wi, 0);
        } else {
            float *t = c->tmp;
            for (int i = 0; i < n * W; i++)
                t[i] = 0.5f;
            w = t;
        }
        VK(shape_pulse)(out, dq, dp, w, n);
        for (int l = 0; l < W; l++)
            if (b->live >> l & 1) {
                VK(edges)(out, dq, inc, l, n, steady && wsteady, 0, -2.0f, 0);
                VK(edges)(out, dp, inc, l, n, steady, 0, 2.0f, 0);
            }
        break;
    }
    case OSC_TRI:
        VK(shape_tri)(out, dq, dp, n);
        for (int l = 0; l < W; l++)
            if (b->live >> l & 1) {
                VK(edges)(out, dp, inc, l, n, steady, 1, 8.0f, 1);
                VK(edges)(out, dq, inc, l, n, steady, 1, -8.0f, 1);
            }
        break;
    case OSC_FM:
        VK(osc_fm)(out, inc, VK(lanes)(c, VK(input)(c, o, 1), 0), VK(lanes)(c, VK(input)(c, o, 2), 1), ph, ph2,
                   pm, n);
        break;
    case OSC_NOISE: VK(osc_noise)(out, rng, n); break;
    case OSC_PINK: VK(osc_pink)(out, rng, b0, b1, b2, n); break;
    default: VK(osc_brown)(out, rng, b0, n); break;
    }
    memcpy(st, ph, sizeof ph);
    memcpy(st + W, ph2, sizeof ph2);
    memcpy(st + 2 * W, rng, sizeof rng);
    memcpy(st + 3 * W, b0, sizeof b0);
    memcpy(st + 4 * W, b1, sizeof b1);
    memcpy(st + 5 * W, b2, sizeof b2);
}

static void VK(op_filter)(const struct vk_ctx *c, const struct vop *o, float *out, float *st)
{
    int n = c->frames;
    const float *x = VK(lanes)(c, VK(input)(c, o, 0), 0);
    struct vk_in cu = VK(input)(c, o, 1), qu = VK(input)(c, o, 2);
    float s0[W], s1[W], s2[W], s3[W];
    memcpy(s0, st, sizeof s0);
    memcpy(s1, st + W, sizeof s1);
    memcpy(s2, st + 2 * W, sizeof s2);
    memcpy(s3, st + 3 * W, sizeof s3);
    if (!cu.lane && !qu.lane) {
        /* one set of coefficients per frame for all lanes (per block when constant) */
        int fixed = VK(is_constant)(cu, n) && VK(is_constant)(qu, n);
        if (o->op == FLT_MOOG)
            VK(moog_uniform)(out, x, cu.p, qu.p, s0, s1, s2, s3, fixed, c->sr, n);
        else
            VK(svf_uniform)(out, x, cu.p, qu.p, s0, s1, fixed, o->op, c->sr, n);
    } else {
        const float *cl = VK(lanes)(c, cu, 1), *ql = VK(lanes)(c, qu, 2);
        for (int f = 0; f < n; f++) {
            for (int l = 0; l < W; l++) {
                if (o->op == FLT_MOOG) {
                    struct dsp_moog_coef k = dsp_moog_coef(cl[f * W + l], ql[f * W + l], c->sr);
                    out[f * W + l] = dsp_moog_tick(&s0[l], &s1[l], &s2[l], &s3[l], k, x[f * W + l]);
                } else {
                    struct dsp_svf_coef k = dsp_svf_coef(cl[f * W + l], ql[f * W + l], c->sr);
                    struct dsp_svf_out y = dsp_svf_tick(&s0[l], &s1[l], k, x[f * W + l]);
                    out[f * W + l] = o->op == FLT_LPF ? y.lp : o->op == FLT_HPF ? y.hp : o->op == FLT_BPF ? y.bp
                                                                                                     : y.lp + y.hp;
                }
            }
        }
    }
    memcpy(st, s0, sizeof s0);
    memcpy(st + W, s1, sizeof s1);
    memcpy(st + 2 * W, s2, sizeof s2);
    memcpy(st + 3 * W, s3, sizeof s3);
}

/* Envelope loops. The parameters of one frame are the same for every
 * lane when they are uniform (the usual case: constants or shared
 * patterns); segment lengths are then computed once per frame. */
struct vk_env {
    float *lv, *sg, *sl, *lf, *pos;         /* state arrays [W] */
    const float *stt, *gt;                  /* onset and gate frames [W] */
};

/* AD, AR and perc as ADSR segments (lengths in samples). */
static inline void VK(env_params)(int op, float *a, float *d, float *su, float *r)
{
    if (op == ENV_AD) {
        *su = 0.0f;
        *r = 1.0f;
    } else if (op == ENV_AR) {                      /* ar attack release: the second is the release */
        *r = *d;
        *d = 1.0f;
        *su = 1.0f;
    } else if (op == ENV_PERC) {
        *d = *a;
        *a = 1.0f;
        *su = 0.0f;
        *r = 1.0f;
    }
}

VK_NOINLINE static void VK(env_uniform)(float *restrict out, const float *restrict x, const float *restrict p0,
                                        const float *restrict p1, const float *restrict p2, const float *restrict p3,
                                        float *restrict lv, float *restrict sg, float *restrict sl,
                                        float *restrict lf, const float *restrict stt, const float *restrict gt,
                                        int op, float sr, int n)
{
    for (int f = 0; f < n; f++) {
        float ff = (float)f;
        /* per frame, shared: segment lengths */
        float a = dsp_env_samples(p0[f], sr), d = dsp_env_samples(p1[f], sr), su = p2[f];
        float r = dsp_env_samples(p3[f], sr);
        VK(env_params)(op, &a, &d, &su, &r);
        int gated = op == ENV_ADSR || op == ENV_AR;
        int perc = op == ENV_PERC;
        for (int l = 0; l < W; l++) {
            float trig = ff == stt[l] ? 1.0f : 0.0f;
            float gate = gated ? (ff < gt[l] ? 1.0f : 0.0f) : 1.0f;
            float e = dsp_adsr_tick(&lv[l], &sg[l], &sl[l], &lf[l], trig, gate, a, d, su, r);
            float e2 = e * e;
            out[f * W + l] = x[f * W + l] * (perc ? e2 : e);
        }
    }
}

static void VK(op_env)(const struct vk_ctx *c, const struct vop *o, float *out, float *st)
{
    int n = c->frames;
    struct batch *b = c->b;
    const float *x = VK(lanes)(c, VK(input)(c, o, 0), 0);
    struct vk_in p[4];
    for (int k = 0; k < 4; k++)
        p[k] = VK(input)(c, o, k + 1);
    int any_lane = p[0].lane || p[1].lane || p[2].lane || p[3].lane;
    float lv[W], sg[W], sl[W], lf[W], pos[W], stt[W], gt[W];
    memcpy(lv, st, sizeof lv);
    memcpy(sg, st + W, sizeof sg);
    memcpy(sl, st + 2 * W, sizeof sl);
    memcpy(lf, st + 3 * W, sizeof lf);
    memcpy(pos, st + 4 * W, sizeof pos);
    for (int l = 0; l < W; l++) {
        stt[l] = (float)b->start[l];
        gt[l] = b->gate[l] == INT_MAX ? 1e30f : (float)b->gate[l];
    }
    float sr = c->sr;
    int steady = !any_lane && VK(is_constant)(p[0], n) && VK(is_constant)(p[1], n) && VK(is_constant)(p[2], n) &&
                 VK(is_constant)(p[3], n);
    if (steady && o->op != ENV_LINE) {
        /* the usual case: the same segments for every voice all block long */
        float a = dsp_env_samples(p[0].p[0], sr), d = dsp_env_samples(p[1].p[0], sr), su = p[2].p[0];
        float r = dsp_env_samples(p[3].p[0], sr);
        VK(env_params)(o->op, &a, &d, &su, &r);
        float av[W], dv[W], sv[W], rv[W];
        for (int l = 0; l < W; l++) {
            av[l] = a;
            dv[l] = d;
            sv[l] = su;
            rv[l] = r;
            if (o->op != ENV_ADSR && o->op != ENV_AR)
                gt[l] = 1e30f;                      /* AD and perc ignore the gate */
        }
        float *e = c->tmp + (size_t)5 * (size_t)n * W;
        VK(adsr_block)(e, lv, sg, sl, lf, stt, gt, av, dv, sv, rv, n);
        if (o->op == ENV_PERC)
            for (int i = 0; i < n * W; i++)
                out[i] = x[i] * (e[i] * e[i]);
        else
            for (int i = 0; i < n * W; i++)
                out[i] = x[i] * e[i];
    } else if (!any_lane && o->op != ENV_LINE) {
        VK(env_uniform)(out, x, p[0].p, p[1].p, p[2].p, p[3].p, lv, sg, sl, lf, stt, gt, o->op, sr, n);
    } else {
        /* parameters per voice, or line: the general loop */
        const float *pl[4];
        for (int k = 0; k < 4; k++)
            pl[k] = VK(lanes)(c, p[k], 1 + k);
        for (int f = 0; f < n; f++) {
            float ff = (float)f;
            for (int l = 0; l < W; l++) {
                float q0 = pl[0][f * W + l], q1 = pl[1][f * W + l], q2 = pl[2][f * W + l], q3 = pl[3][f * W + l];
                float trig = ff == stt[l] ? 1.0f : 0.0f, gate = ff < gt[l] ? 1.0f : 0.0f;
                float e;
                switch (o->op) {
                case ENV_ADSR:
                    e = dsp_adsr_tick(&lv[l], &sg[l], &sl[l], &lf[l], trig, gate, dsp_env_samples(q0, sr),
                                      dsp_env_samples(q1, sr), q2, dsp_env_samples(q3, sr));
                    break;
                case ENV_AD:
                    e = dsp_ad_tick(&lv[l], &sg[l], &sl[l], &lf[l], trig, dsp_env_samples(q0, sr),
                                    dsp_env_samples(q1, sr));
                    break;
                case ENV_AR:
                    e = dsp_ar_tick(&lv[l], &sg[l], &sl[l], &lf[l], trig, gate, dsp_env_samples(q0, sr),
                                    dsp_env_samples(q1, sr));
                    break;
                case ENV_PERC:
                    e = dsp_perc_tick(&lv[l], &sg[l], &sl[l], &lf[l], trig, dsp_env_samples(q0, sr));
                    break;
                default: {                          /* line from to over the note */
                    float dur = gt[l] - stt[l];
                    pos[l] = trig > 0 ? 0.0f : pos[l];
                    lf[l] = trig > 0 ? (dur > 1.0f ? dur : 1.0f) : lf[l];
                    e = dsp_line_tick(&pos[l], q0, q1, lf[l]);
                    break;
                }
                }
                (void)q2;
                (void)q3;
                out[f * W + l] = x[f * W + l] * e;
            }
        }
    }
    memcpy(st, lv, sizeof lv);
    memcpy(st + W, sg, sizeof sg);
    memcpy(st + 2 * W, sl, sizeof sl);
    memcpy(st + 3 * W, lf, sizeof lf);
    memcpy(st + 4 * W, pos, sizeof pos);
}

static void VK(op_math)(const struct vk_ctx *c, const struct vop *o, float *out)
{
    int n = c->frames;
    const float *a = VK(lanes)(c, VK(input)(c, o, 0), 0);
    const float *d = VK(lanes)(c, VK(input)(c, o, 1), 1);
    const float *e = o->op == M_CLIP ? VK(lanes)(c, VK(input)(c, o, 2), 2) : NULL;
    switch (o->op) {
    case M_ADD: for (int i = 0; i < n * W; i++) out[i] = a[i] + d[i]; break;
    case M_SUB: for (int i = 0; i < n * W; i++) out[i] = a[i] - d[i]; break;
    case M_MUL: for (int i = 0; i < n * W; i++) out[i] = a[i] * d[i]; break;
    case M_DIV: for (int i = 0; i < n * W; i++) out[i] = d[i] != 0.0f ? a[i] / (d[i] != 0.0f ? d[i] : 1.0f) : 0.0f; break;
    case M_MIN: for (int i = 0; i < n * W; i++) out[i] = dsp_minf(a[i], d[i]); break;
    case M_MAX: for (int i = 0; i < n * W; i++) out[i] = dsp_maxf(a[i], d[i]); break;
    case M_CLIP: for (int i = 0; i < n * W; i++) out[i] = dsp_clampf(a[i], d[i], e[i]); break;
    case M_MTOF: for (int i = 0; i < n * W; i++) out[i] = dsp_mtof(a[i]); break;
    default: memcpy(out, a, sizeof(float) * (size_t)n * W); break;
    }
}

static void VK(op_shape)(const struct vk_ctx *c, const struct vop *o, float *out, float *st)
{
    int n = c->frames;
    const float *x = VK(lanes)(c, VK(input)(c, o, 0), 0);
    struct vk_in p1 = VK(input)(c, o, 1), p2 = VK(input)(c, o, 2);
    const float *a = VK(lanes)(c, p1, 1), *m = VK(lanes)(c, p2, 2);
    if (o->kind == VO_DISTORT) {
        for (int i = 0; i < n * W; i++) {
            float d = dsp_clampf(a[i], 1, 100), mix = dsp_clampf(m[i], 0, 1);
            float wet = dsp_tanh(d * x[i]) / dsp_tanh(d);
            out[i] = x[i] + mix * (wet - x[i]);
        }
        return;
    }
    float held[W], ph[W];                           /* bitcrush */
    memcpy(held, st, sizeof held);
    memcpy(ph, st + W, sizeof ph);
    for (int f = 0; f < n; f++) {
        for (int l = 0; l < W; l++) {
            float bits = dsp_clampf(a[f * W + l], 1, 24), ds = dsp_clampf(m[f * W + l], 1, 64);
            float steps = dsp_exp2(bits - 1);
            float q = dsp_roundf(x[f * W + l] * steps) / steps;
            int take = ph[l] <= 0.0f;
            held[l] = take ? q : held[l];
            ph[l] = take ? ph[l] + ds - 1.0f : ph[l] - 1.0f;
            out[f * W + l] = held[l];
        }
    }
    memcpy(st, held, sizeof held);
    memcpy(st + W, ph, sizeof ph);
}

static int VK(finite)(const float *restrict x, int n);

/* 1 when x is neither a NaN nor an infinity (its exponent bits). */
static inline int VK(is_finite)(float x)
{
    uint32_t u;
    memcpy(&u, &x, sizeof u);
    return (u & 0x7f800000u) != 0x7f800000u;
}

/* The rare path of an instrument batch whose mix is not finite: the lanes
 * at fault are those where the mix's products (signal times gain, times
 * each pan gain, as VK(mix) forms them) are not finite. Their signal and
 * gains become 0 and the batch is mixed again, so the other lanes sound as
 * they would alone. Returns their mask (see struct voice_kernels). */
static uint32_t VK(instr_guard)(struct batch *b, float *out, float *v, float *vr, float *g, int frames)
{
    uint32_t bad = 0;
    for (int f = 0; f < frames; f++)
        for (int l = 0; l < W; l++) {
            float p = v[f * W + l] * g[f * W + l];
            if (!VK(is_finite)(p * b->gl[l]) || !VK(is_finite)(p * b->gr[l]))
                bad |= 1u << l;
        }
    bad &= b->live;
    for (int l = 0; l < W; l++)
        if (bad >> l & 1)
            b->gl[l] = b->gr[l] = 0.0f;
    for (int f = 0; f < frames; f++)
        for (int l = 0; l < W; l++)
            if (bad >> l & 1)
                v[f * W + l] = vr[f * W + l] = g[f * W + l] = 0.0f;
    VK(mix)(b, out, v, vr, g, frames);
    return bad | (VK(finite)(out, 2 * frames) ? 0u : VOICE_NOT_FINITE);
}

/* issue 12 (h-controls): the per-voice effects of an instrument batch: each
 * sounding lane of v ([frames][W]) through them into vl, vr (lx, rx: a
 * lane's two channels); silent before a lane's onset. */
static void VK(instr_fx)(struct batch *b, const float *v, float *vl, float *vr, float *lx, float *rx, int frames,
                         float sr)
{
    for (int l = 0; l < W; l++) {
        int live = b->live >> l & 1, s = b->start[l] < 0 ? 0 : b->start[l];
        for (int f = 0; f < frames; f++)
            lx[f] = rx[f] = live && f >= s ? v[f * W + l] : 0.0f;
        if (live)
            VK(voice_fx)(b, l, frames, sr, lx, rx);
        for (int f = 0; f < frames; f++) {
            vl[f * W + l] = lx[f];
            vr[f * W + l] = rx[f];
        }
    }
}

static uint32_t VK(instr)(struct batch *b, float *out, int frames, float sr, float *scratch)
{
    const struct instr *in = &b->prog->instrs[b->instr];
    struct vk_ctx c;
    c.b = b;
    c.in = in;
    c.frames = frames;
    c.sr = sr;
    c.bufs = scratch;
    c.tmp = scratch + (size_t)INSTR_MAX_OPS * (size_t)frames * W;
    c.uni = c.tmp + (size_t)VK_EXTRA * (size_t)frames * W;
    for (int oi = 0; oi < in->nops; oi++) {
        const struct vop *o = &in->ops[oi];
        float *ob = VK(opbuf)(&c, oi), *st = b->st + (size_t)o->st * W;
        switch (o->kind) {
        case VO_OSC: VK(op_osc)(&c, o, ob, st); break;
        case VO_FILTER: VK(op_filter)(&c, o, ob, st); break;
        case VO_ENV: VK(op_env)(&c, o, ob, st); break;
        case VO_MATH: VK(op_math)(&c, o, ob); break;
        default: VK(op_shape)(&c, o, ob, st); break;
        }
    }
    /* the voice: the instrument's output times the voice envelope, panned */
    float *g = c.tmp + (size_t)(VK_EXTRA - 2) * (size_t)frames * W;
    VK(env_pass)(b, frames, g);
    float *v = VK(opbuf)(&c, in->out), *vr = v;
    if (b->any_fx || b->any_fx2) {
        /* issue 12 (h-controls): per-voice effects, lane by lane */
        float *vl = c.tmp, *lx = c.tmp + 2 * (size_t)frames * W;
        vr = c.tmp + (size_t)frames * W;
        VK(instr_fx)(b, v, vl, vr, lx, lx + frames, frames, sr);
        v = vl;
    }
    VK(mix)(b, out, v, vr, g, frames);
    if (__builtin_expect(VK(finite)(out, 2 * frames), 1))
        return 0;
    return VK(instr_guard)(b, out, v, vr, g, frames);
}

/* ---- whole buffers ------------------------------------------------------------------ */

/* 0 when x[0..n) holds a NaN or an infinity (exponent bits all set; integer
 * operations, so that it vectorises). */
static int VK(finite)(const float *restrict x, int n)
{
    uint32_t bad = 0;
    for (int i = 0; i < n; i++) {
        uint32_t u;
        memcpy(&u, &x[i], sizeof u);
        bad |= (u & 0x7f800000u) == 0x7f800000u;
    }
    return !bad;
}

/* dst[i] += src[i] */
static void VK(add)(float *restrict dst, const float *restrict src, int n)
{
    for (int i = 0; i < n; i++)
        dst[i] += src[i];
}

/* ---- SuperDirt-style synths ------------------------------------------------------- */

#include "synth_kern.h"

const struct voice_kernels VK(voice_k) = { VK_NAME, VK(sample), VK(instr), VK(synth), VK(synth_lanes),
                                           VK(finite), VK(add), VK(voice_fx) };
