/* synth_kern.h -- the SuperDirt-style synths as batch kernels (issue 12).
 *
 * Included by voice_kern.h, so compiled once per instruction set with the
 * other kernels and under the same rules: frames outside, the VOICE_W lanes
 * of a batch inside, no branches in a lane loop, state copied into local
 * arrays, no floating-point contraction. Every kernel set computes the
 * same float operations in the same order, so all agree with the scalar
 * one to the bit (tests/test_voice.c, test_voice_synth_kernels_agree).
 *
 * dsp_synth.c starts notes (a trigger is control of one lane, not per
 * sample) and holds the struct dsp_synth of a batch; the sound of every
 * kind is made here, one renderer per kind, chosen once per segment (a
 * switch outside the loops). What keeps them fast:
 *  - band-limited oscillators without table reads on every sample: the
 *    naive wave in a lane loop, then each edge's residual added only at the
 *    samples within its reach (VK(edges), the instrument oscillators' own);
 *  - steady frequencies: a phase is computed from the segment's start
 *    (ph + f inc), so frames do not wait on each other;
 *  - modes (superpiano's partials): a decaying sine is a complex number
 *    turned and shrunk by a fixed factor each frame, four multiplies and
 *    two adds;
 *  - the sustained kinds' envelope is VK(adsr_block), which runs the frames
 *    between events as a plain ramp;
 *  - noise is xorshift on integer lanes; soshats' metal is naive squares
 *    (their aliases land in the hat's noise band anyway).
 * A lane that has not started or has ended gives exact zeros.
 *
 * VK(synth) renders a batch's block: it starts each note at its onset
 * frame by rendering the block in segments between onsets, then fades and
 * mixes the lanes as the instrument kernel does (VK(mix), lanes summed in a
 * fixed order). Audio thread and pool workers: no allocation, no locks.
 */

/* Band-limited saw of every lane at a steady increment, times wt, added to
 * acc; dp is scratch ([n][W]). */
static void VK(syn_saw_add)(float *restrict acc, float *restrict dp, float *ph, const float *inc, const float *wt,
                            uint32_t live, int n)
{
    VK(phase_steady)(dp, inc, ph, n);
    float w2[W];
    for (int l = 0; l < W; l++)
        w2[l] = 2.0f * wt[l];
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            acc[f * W + l] += w2[l] * dp[f * W + l] - wt[l];
    for (int l = 0; l < W; l++)
        if ((live >> l & 1) && wt[l] != 0.0f)
            VK(edges)(acc, dp, inc, l, n, 1, 0, -w2[l], 0);
}

/* The ADSR of the sustained kinds over n frames into e ([n][W]): attack,
 * decay over dec frames to level sus (1, 1: none; SuperDirt's decay
 * argument), hold for hold frames, release. A trigger
 * starts at the segment's first frame. */
static void VK(syn_env)(struct dsp_synth *s, float *restrict e, int n)
{
    float stt[W], gt[W], de[W], su[W];
    for (int l = 0; l < W; l++) {
        stt[l] = s->trig[l] > 0.0f ? 0.0f : -1.0f;
        gt[l] = s->hold[l];
        de[l] = s->dec[l];
        su[l] = s->sus[l];
    }
    VK(adsr_block)(e, s->env[0], s->env[1], s->env[2], s->env[3], stt, gt, s->att, de, su, s->rel, n);
    for (int l = 0; l < W; l++) {
        s->trig[l] = 0.0f;
        s->hold[l] = dsp_maxf(s->hold[l] - (float)n, 0.0f);
        s->alive[l] = dsp_env_idle(s->env[1][l]) ? 0.0f : s->alive[l];
    }
}

/* x = y e gain: a sustained kind's output. */
VK_NOINLINE static void VK(syn_apply)(float *restrict x, const float *restrict y, const float *restrict e,
                                      const float *restrict gain, int n)
{
    float g[W];
    memcpy(g, gain, sizeof g);
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            x[f * W + l] = y[f * W + l] * e[f * W + l] * g[l];
}

/* superkick: a sine whose increment falls from (1 + sweep) inc to inc
 * (decay 3), the body decay 1, a click of noise (decay 2), plain or (a
 * lane whose p2 is 1: SuperDirt's pitch1, speed, accelerate) through a
 * low-pass (the SVF, fa1..fa3, state f1/f2: VK(syn_kick_lpclick)). The body is a
 * rotation (a mode, as superpiano's partials) whose angle follows the sweep
 * every VK_SYN_KR frames and whose radius is the body's decay, even and odd
 * frames turned by c^2 apart (two chains: a rotation's multiply and add
 * wait on the previous one, and one chain made the kick wait on them);
 * the click's noise stops once every lane's click is below -120 dB. */
enum { VK_SYN_KR = 32 };

/* The click of frames [f0, f0 + m) when some lane's is low-passed: a
 * plain lane adds 0.3 noise as VK(syn_kick)'s loop does (the same
 * products: its sound to the bit), a filtered one the low-pass's output
 * (SuperDirt's WhiteNoise.ar(1) through LPF). */
static void VK(syn_kick_lpclick)(struct dsp_synth *restrict s, float *restrict x, float *d2, const float *k2,
                                 const float *g, uint32_t *rng, int f0, int m)
{
    float a1[W], a2[W], a3[W], s1[W], s2[W], fl[W];
    for (int l = 0; l < W; l++) {
        a1[l] = s->fa1[l]; a2[l] = s->fa2[l]; a3[l] = s->fa3[l];
        s1[l] = s->f1[l]; s2[l] = s->f2[l]; fl[l] = s->p2[l];
    }
    for (int f = f0; f < f0 + m; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float nz = dsp_noise_tick(&rng[l]);
            float v3 = nz - s2[l];
            float v1 = a1[l] * s1[l] + a2[l] * v3;
            float v2 = s2[l] + a2[l] * s1[l] + a3[l] * v3;
            s1[l] = 2.0f * v1 - s1[l];
            s2[l] = 2.0f * v2 - s2[l];
            float c = fl[l] > 0.0f ? v2 : 0.3f * nz;
            x[f * W + l] += c * d2[l] * g[l];
            d2[l] = d2[l] * k2[l];
        }
    for (int l = 0; l < W; l++) {
        s->f1[l] = dsp_flush(s1[l]);
        s->f2[l] = dsp_flush(s2[l]);
    }
}

VK_NOINLINE static void VK(syn_kick)(struct dsp_synth *restrict s, float *restrict x, int n)
{
    float zr[W], zi[W], inc[W], sw[W], d2[W], d3[W], k1[W], k2[W], k3[W], g[W], a[W];
    uint32_t rng[W];
    int click = 0, lp = 0;
    for (int l = 0; l < W; l++) {
        zr[l] = s->zr[0][l]; zi[l] = s->zi[0][l]; inc[l] = s->inc[0][l]; sw[l] = s->p1[l];
        d2[l] = s->d2[l]; d3[l] = s->d3[l];
        k1[l] = s->k1[l]; k2[l] = s->k2[l]; k3[l] = s->k3[l];
        g[l] = s->gain[l] * s->alive[l]; a[l] = s->alive[l]; rng[l] = s->rng[l];
        d2[l] = d2[l] < 1e-6f ? 0.0f : d2[l];
        click |= d2[l] > 0.0f;
        lp |= d2[l] > 0.0f && s->p2[l] > 0.0f;
    }
    for (int f0 = 0; f0 < n; f0 += VK_SYN_KR) {
        int m = n - f0 < VK_SYN_KR ? n - f0 : VK_SYN_KR;
        float cr[W], ci[W];
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float w = inc[l] * (1.0f + sw[l] * d3[l]);
            cr[l] = k1[l] * dsp_cos2pi(w);
            ci[l] = k1[l] * dsp_sin2pi(w);
        }
        for (int j = 0; j < m; j++)
            VK_LANE_LOOP
            for (int l = 0; l < W; l++)
                d3[l] = d3[l] * k3[l];
        /* frames f and f + 1 as two rotations by c^2 (z and z c), so
         * that each frame waits on the one two back */
        float c2r[W], c2i[W], yr[W], yi[W];
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            c2r[l] = cr[l] * cr[l] - ci[l] * ci[l];
            c2i[l] = 2.0f * (cr[l] * ci[l]);
            yr[l] = zr[l] * cr[l] - zi[l] * ci[l];
            yi[l] = zr[l] * ci[l] + zi[l] * cr[l];
        }
        int f = f0;
        for (; f + 2 <= f0 + m; f += 2)
            VK_LANE_LOOP
            for (int l = 0; l < W; l++) {
                x[f * W + l] = zi[l] * g[l];
                x[(f + 1) * W + l] = yi[l] * g[l];
                float r = zr[l] * c2r[l] - zi[l] * c2i[l];
                float i = zr[l] * c2i[l] + zi[l] * c2r[l];
                float r1 = yr[l] * c2r[l] - yi[l] * c2i[l];
                float i1 = yr[l] * c2i[l] + yi[l] * c2r[l];
                zr[l] = r; zi[l] = i; yr[l] = r1; yi[l] = i1;
            }
        if (f < f0 + m)                         /* an odd segment's last frame */
            VK_LANE_LOOP
            for (int l = 0; l < W; l++) {
                x[f * W + l] = zi[l] * g[l];
                zr[l] = yr[l];
                zi[l] = yi[l];
            }
        if (lp)
            VK(syn_kick_lpclick)(s, x, d2, k2, g, rng, f0, m);
        else if (click)
            for (f = f0; f < f0 + m; f++)
                VK_LANE_LOOP
                for (int l = 0; l < W; l++) {
                    x[f * W + l] += 0.3f * dsp_noise_tick(&rng[l]) * d2[l] * g[l];
                    d2[l] = d2[l] * k2[l];
                }
    }
    for (int l = 0; l < W; l++) {
        zr[l] = dsp_flush(zr[l]); zi[l] = dsp_flush(zi[l]); d2[l] = dsp_flush(d2[l]); d3[l] = dsp_flush(d3[l]);
        float body = zr[l] * zr[l] + zi[l] * zi[l];
        a[l] = body > 1e-8f || d2[l] > 1e-4f ? a[l] : 0.0f;
        s->zr[0][l] = zr[l]; s->zi[0][l] = zi[l];
        s->d2[l] = d2[l]; s->d3[l] = d3[l];
        s->alive[l] = a[l]; s->rng[l] = rng[l];
    }
}

/* supersaw's filter: the naive triangle an octave up added to acc, then
 * a resonant low-pass (the state-variable filter in its matrix form, as
 * VK(svf_uniform), q 1.2 a lane's default (s->q: SuperDirt's resonance;
 * its Moog with resonance 0.8 has a similar bump), its coefficients set every VK_SYN_KR frames from the LFO (a
 * control rate, as SuperCollider's .kr), then tanh. A 2-pole filter whose
 * state waits on the previous frame for a multiply and an add, where a
 * Moog ladder's waits on a tanh: the ladder made this the slowest synth. */
VK_NOINLINE static void VK(syn_saw_filter)(struct dsp_synth *restrict s, float *restrict y,
                                           const float *restrict acc, float sr, int n)
{
    float tp[W], ti[W], tw[W], lp[W], li[W], lo[W], hi[W], s0[W], s1[W], q[W];
    for (int l = 0; l < W; l++) {
        q[l] = s->q[l];
        tp[l] = s->ph[3][l]; ti[l] = s->inc[3][l]; tw[l] = s->wt[3][l]; lp[l] = s->ph[4][l]; li[l] = s->inc[4][l];
        lo[l] = s->p1[l]; hi[l] = s->p2[l]; s0[l] = s->mg[0][l]; s1[l] = s->mg[1][l];
    }
    for (int f0 = 0; f0 < n; f0 += VK_SYN_KR) {
        int m = n - f0 < VK_SYN_KR ? n - f0 : VK_SYN_KR;
        float m11[W], m12[W], b1[W], m21[W], m22[W], b2[W], a2[W], a3[W];
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float p = lp[l], t = p < 0.5f ? 4.0f * p - 1.0f : 3.0f - 4.0f * p;
            struct dsp_svf_coef c = dsp_svf_coef(lo[l] + (hi[l] - lo[l]) * (0.5f + 0.5f * t), q[l], sr);
            m11[l] = 2.0f * c.a1 - 1.0f; m12[l] = -2.0f * c.a2; b1[l] = 2.0f * c.a2;
            m21[l] = 2.0f * c.a2; m22[l] = 1.0f - 2.0f * c.a3; b2[l] = 2.0f * c.a3;
            a2[l] = c.a2; a3[l] = c.a3;
            lp[l] = dsp_wrap1(p + (float)m * li[l]);
        }
        for (int f = f0; f < f0 + m; f++)
            VK_LANE_LOOP
            for (int l = 0; l < W; l++) {
                float p = tp[l], t = p < 0.5f ? 4.0f * p - 1.0f : 3.0f - 4.0f * p;
                tp[l] = dsp_wrap1(p + ti[l]);
                float x = acc[f * W + l] + tw[l] * t, a = s0[l], b = s1[l];
                float low = b + a2[l] * a + a3[l] * (x - b);
                s0[l] = m11[l] * a + (m12[l] * b + b1[l] * x);
                s1[l] = m22[l] * b + (m21[l] * a + b2[l] * x);
                y[f * W + l] = dsp_tanh(low);
            }
        for (int l = 0; l < W; l++) {
            s0[l] = dsp_flush(s0[l]);
            s1[l] = dsp_flush(s1[l]);
        }
    }
    for (int l = 0; l < W; l++) {
        s->ph[3][l] = tp[l]; s->ph[4][l] = lp[l]; s->mg[0][l] = s0[l]; s->mg[1][l] = s1[l];
    }
}

static void VK(syn_pulse_add)(float *restrict acc, float *restrict dp, float *restrict dq, float *restrict y,
                              float *restrict incb, float *ph, const float *inc, const float *w, float wt,
                              int wsteady, uint32_t live, int n);

/* supersaw: three detuned saws and a triangle into the filter (and
 * supersquare's two pulses, superreese's two saws). */
static void VK(syn_saw)(struct dsp_synth *s, float *restrict x, int n, float *restrict tmp)
{
    size_t nw = (size_t)n * W;
    float *acc = tmp, *dp = tmp + nw, *e = dp + nw, *y = e + nw, *dq = y + nw, *pb = dq + nw, *w = pb + nw;
    memset(acc, 0, sizeof(float) * nw);
    if (s->kind == DSP_SUPERSQUARE) {
        for (int f = 0; f < n; f++)
            for (int l = 0; l < W; l++)
                w[f * W + l] = s->pw[l];
        VK(syn_pulse_add)(acc, dp, dq, pb, NULL, s->ph[5], s->inc[5], w, 0.7f, 1, s->live, n);
        VK(syn_pulse_add)(acc, dp, dq, pb, NULL, s->ph[6], s->inc[6], w, 0.3f, 1, s->live, n);
    } else {
        for (int k = 0; k < 3; k++)
            VK(syn_saw_add)(acc, dp, s->ph[k], s->inc[k], s->wt[k], s->live, n);
    }
    VK(syn_saw_filter)(s, y, acc, s->sr, n);
    VK(syn_env)(s, e, n);
    VK(syn_apply)(x, y, e, s->gain, n);
}

/* The pulse widths of superpwm: 0.5 +- d sin(LFO), per frame (d 0.4, or
 * SuperDirt's voice). */
VK_NOINLINE static void VK(syn_pwm_widths)(float *restrict w0, float *restrict w1, float *restrict lph,
                                           const float *restrict linc, const float *restrict dep, int n)
{
    float p[W], i0[W], d[W];
    memcpy(p, lph, sizeof p);
    memcpy(i0, linc, sizeof i0);
    memcpy(d, dep, sizeof d);
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float m = d[l] * dsp_sin2pi(p[l]);
            w0[f * W + l] = 0.5f + m;
            w1[f * W + l] = 0.5f - m;
            p[l] = dsp_wrap1(p[l] + i0[l]);
        }
    memcpy(lph, p, sizeof p);
}

/* acc += wt * pulse(width w) of oscillator k (steady increment; the width
 * steady when wsteady, else the falling edges take the per-frame path,
 * which reads the increment of every frame from incb). */
static void VK(syn_pulse_add)(float *restrict acc, float *restrict dp, float *restrict dq, float *restrict y,
                              float *restrict incb, float *ph, const float *inc, const float *w, float wt,
                              int wsteady, uint32_t live, int n)
{
    VK(phase_steady)(dp, inc, ph, n);
    VK(shape_pulse)(y, dq, dp, w, n);
    for (int f = 0; f < (wsteady ? 0 : n); f++)
        for (int l = 0; l < W; l++)
            incb[f * W + l] = inc[l];
    for (int l = 0; l < W; l++)
        if (live >> l & 1) {
            VK(edges)(y, dq, wsteady ? inc : incb, l, n, wsteady, 0, -2.0f, 0);
            VK(edges)(y, dp, inc, l, n, 1, 0, 2.0f, 0);
        }
    for (int i = 0; i < n * W; i++)
        acc[i] += wt * y[i];
}

/* superpwm: two pulses whose widths an LFO sweeps against each other. */
static void VK(syn_pwm)(struct dsp_synth *s, float *restrict x, int n, float *restrict tmp)
{
    size_t nw = (size_t)n * W;
    float *acc = tmp, *dp = acc + nw, *dq = dp + nw, *y = dq + nw, *w0 = y + nw, *w1 = w0 + nw, *ib = w1 + nw;
    VK(syn_pwm_widths)(w0, w1, s->ph[2], s->inc[2], s->pwd, n);
    memset(acc, 0, sizeof(float) * nw);
    VK(syn_pulse_add)(acc, dp, dq, y, ib, s->ph[0], s->inc[0], w0, 0.5f, 0, s->live, n);
    VK(syn_pulse_add)(acc, dp, dq, y, ib, s->ph[1], s->inc[1], w1, 0.5f, 0, s->live, n);
    float *e = w0;
    VK(syn_env)(s, e, n);
    VK(syn_apply)(x, acc, e, s->gain, n);
}

/* superchip: a pulse (weight wt[0]: 0.6) and a triangle (wt[1]: 0.4;
 * SuperDirt's voice turns either off). */
static void VK(syn_chip)(struct dsp_synth *s, float *restrict x, int n, float *restrict tmp)
{
    size_t nw = (size_t)n * W;
    float *acc = tmp, *dp = acc + nw, *dq = dp + nw, *y = dq + nw, *w = y + nw, *pa = w + nw;
    float w0[W], w1[W];
    for (int l = 0; l < W; l++) {
        w0[l] = s->wt[0][l];
        w1[l] = s->wt[1][l];
    }
    for (int f = 0; f < n; f++)
        for (int l = 0; l < W; l++)
            w[f * W + l] = s->p1[l];
    memset(pa, 0, sizeof(float) * nw);
    VK(syn_pulse_add)(pa, dp, dq, y, NULL, s->ph[0], s->inc[0], w, 1.0f, 1, s->live, n);
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            acc[f * W + l] = w0[l] * pa[f * W + l];
    VK(phase_steady)(dp, s->inc[1], s->ph[1], n);
    VK(shape_tri)(y, dq, dp, n);
    for (int l = 0; l < W; l++)
        if (s->live >> l & 1) {
            VK(edges)(y, dp, s->inc[1], l, n, 1, 1, 8.0f, 1);
            VK(edges)(y, dq, s->inc[1], l, n, 1, 1, -8.0f, 1);
        }
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            acc[f * W + l] += w1[l] * y[f * W + l];
    float *e = w;
    VK(syn_env)(s, e, n);
    VK(syn_apply)(x, acc, e, s->gain, n);
}

/* superfm: two-operator phase modulation, the index falling to 30 % (decay 1). */
VK_NOINLINE static void VK(syn_fm_core)(struct dsp_synth *restrict s, float *restrict y, int n)
{
    float pc[W], pm[W], ic[W], im[W], ix[W], d1[W], k1[W];
    for (int l = 0; l < W; l++) {
        pc[l] = s->ph[0][l]; pm[l] = s->ph[1][l]; ic[l] = s->inc[0][l]; im[l] = s->inc[1][l];
        ix[l] = s->p1[l]; d1[l] = s->d1[l]; k1[l] = s->k1[l];
    }
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float index = ix[l] * (0.3f + 0.7f * d1[l]);
            y[f * W + l] = dsp_fm_tick(&pc[l], &pm[l], ic[l], im[l], index);
            d1[l] = dsp_flush(d1[l] * k1[l]);
        }
    for (int l = 0; l < W; l++) {
        s->ph[0][l] = pc[l]; s->ph[1][l] = pm[l]; s->d1[l] = d1[l];
    }
}
static void VK(syn_fm)(struct dsp_synth *s, float *restrict x, int n, float *restrict tmp)
{
    float *y = tmp, *e = tmp + (size_t)n * W;
    VK(syn_fm_core)(s, y, n);
    VK(syn_env)(s, e, n);
    VK(syn_apply)(x, y, e, s->gain, n);
}

/* supersnare: two drum modes (decay 1) and band-passed noise (decay 2),
 * tone the mix. */
VK_NOINLINE static void VK(syn_snare)(struct dsp_synth *restrict s, float *restrict x, int n)
{
    float p0[W], p1[W], i0[W], i1[W], t[W], d1[W], d2[W], k1[W], k2[W], g[W], a[W];
    float f1[W], f2[W], a1[W], a2[W], a3[W], kk[W];
    uint32_t rng[W];
    for (int l = 0; l < W; l++) {
        p0[l] = s->ph[0][l]; p1[l] = s->ph[1][l]; i0[l] = s->inc[0][l]; i1[l] = s->inc[1][l];
        t[l] = s->p1[l]; d1[l] = s->d1[l]; d2[l] = s->d2[l]; k1[l] = s->k1[l]; k2[l] = s->k2[l];
        g[l] = s->gain[l]; a[l] = s->alive[l]; rng[l] = s->rng[l];
        f1[l] = s->f1[l]; f2[l] = s->f2[l];
        a1[l] = s->fa1[l]; a2[l] = s->fa2[l]; a3[l] = s->fa3[l]; kk[l] = s->fk[l];
    }
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float modes = 0.65f * dsp_sin2pi(p0[l]) + 0.35f * dsp_sin2pi(p1[l]);
            p0[l] = dsp_wrap1(p0[l] + i0[l]);
            p1[l] = dsp_wrap1(p1[l] + i1[l]);
            struct dsp_svf_coef c = { a1[l], a2[l], a3[l], kk[l] };
            float nz = dsp_svf_tick(&f1[l], &f2[l], c, dsp_noise_tick(&rng[l])).bp;
            float y = t[l] * modes * d1[l] + (1.0f - t[l]) * 1.5f * nz * d2[l];
            x[f * W + l] = y * g[l] * a[l];
            d1[l] = dsp_flush(d1[l] * k1[l]);
            d2[l] = dsp_flush(d2[l] * k2[l]);
            a[l] = dsp_maxf(d1[l], d2[l]) > 1e-4f ? a[l] : 0.0f;
        }
    for (int l = 0; l < W; l++) {
        s->ph[0][l] = p0[l]; s->ph[1][l] = p1[l]; s->d1[l] = d1[l]; s->d2[l] = d2[l];
        s->alive[l] = a[l]; s->rng[l] = rng[l]; s->f1[l] = f1[l]; s->f2[l] = f2[l];
    }
}

/* superhat (SuperDirt's): white noise through a low-pass at 3 f and a
 * high-pass at f (each Simper's SVF, q 0.707, as SuperCollider's
 * Butterworth LPF and HPF; the low-pass in f1/f2 with fa1..fa3, the
 * high-pass in mg[0]/mg[1] with cr[0..2][l] and fk), decay 1. The SVFs
 * step in their matrix form (as VK(syn_saw_filter)): a state waits on the
 * previous frame's for a multiply and two adds, not five operations, so
 * that the two filters in series do not make the frames wait; about 43
 * operations a frame for the lanes. The states are 2^31 times the
 * signal's scale (in the noise's); flushing them once a segment is moot. */
VK_NOINLINE static void VK(syn_hat_dirt)(struct dsp_synth *restrict s, float *restrict x, int n)
{
    float d1[W], k1[W], g[W], a[W], l1[W], l2[W], h1[W], h2[W];
    float lm11[W], lm12[W], lb1[W], lm21[W], lm22[W], lb2[W];
    float hm11[W], hm12[W], hb1[W], hm21[W], hm22[W], hb2[W], hk2[W];
    uint32_t rng[W];
    for (int l = 0; l < W; l++) {
        d1[l] = s->d1[l]; k1[l] = s->k1[l]; a[l] = s->alive[l];
        g[l] = s->gain[l] * s->alive[l] * (1.0f / 2147483648.0f);
        rng[l] = s->rng[l];
        l1[l] = s->f1[l]; l2[l] = s->f2[l]; h1[l] = s->mg[0][l]; h2[l] = s->mg[1][l];
        float a1 = s->fa1[l], a2 = s->fa2[l], a3 = s->fa3[l];
        lm11[l] = 2.0f * a1 - 1.0f; lm12[l] = -2.0f * a2; lb1[l] = 2.0f * a2;
        lm21[l] = 2.0f * a2; lm22[l] = 1.0f - 2.0f * a3; lb2[l] = 2.0f * a3;
        a1 = s->cr[0][l]; a2 = s->cr[1][l]; a3 = s->cr[2][l];
        hm11[l] = 2.0f * a1 - 1.0f; hm12[l] = -2.0f * a2; hb1[l] = 2.0f * a2;
        hm21[l] = 2.0f * a2; hm22[l] = 1.0f - 2.0f * a3; hb2[l] = 2.0f * a3; hk2[l] = 0.5f * s->fk[l];
    }
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            /* the noise as a plain int32 (2^31 of dsp_noise_tick's scale,
             * taken out by g); a filter's band and low outputs are the
             * means of its old and new states (v1 = (s1 + s1') / 2) */
            uint32_t r = rng[l];
            r ^= r << 13;
            r ^= r >> 17;
            r ^= r << 5;
            rng[l] = r;
            float xi = (float)(int32_t)r, p = l1[l], q = l2[l];
            float nq = lm22[l] * q + (lm21[l] * p + lb2[l] * xi);
            l1[l] = lm11[l] * p + (lm12[l] * q + lb1[l] * xi);
            l2[l] = nq;
            float lo = 0.5f * (q + nq);
            p = h1[l];
            q = h2[l];
            float np = hm11[l] * p + (hm12[l] * q + hb1[l] * lo);
            float nq2 = hm22[l] * q + (hm21[l] * p + hb2[l] * lo);
            h1[l] = np;
            h2[l] = nq2;
            float hp = lo - hk2[l] * (p + np) - 0.5f * (q + nq2);
            x[f * W + l] = hp * d1[l] * g[l];
            d1[l] = d1[l] * k1[l];
        }
    for (int l = 0; l < W; l++) {
        d1[l] = dsp_flush(d1[l]);
        a[l] = d1[l] > 1e-4f ? a[l] : 0.0f;
        s->d1[l] = d1[l]; s->alive[l] = a[l]; s->rng[l] = rng[l];
        s->f1[l] = dsp_flush(l1[l]); s->f2[l] = dsp_flush(l2[l]);
        s->mg[0][l] = dsp_flush(h1[l]); s->mg[1][l] = dsp_flush(h2[l]);
    }
}

/* soshats: three naive squares at inharmonic ratios and noise through a
 * band-pass at freq, decay 1. */
VK_NOINLINE static void VK(syn_hat)(struct dsp_synth *restrict s, float *restrict x, int n)
{
    enum { K = 3 };
    float ph[K][W], inc[K][W], d1[W], k1[W], g[W], a[W];
    float f1[W], f2[W], a1[W], a2[W], a3[W], kk[W];
    uint32_t rng[W];
    for (int l = 0; l < W; l++) {
        for (int k = 0; k < K; k++) {
            ph[k][l] = s->ph[k][l];
            inc[k][l] = s->inc[k][l];
        }
        d1[l] = s->d1[l]; k1[l] = s->k1[l]; g[l] = s->gain[l] * s->alive[l]; a[l] = s->alive[l];
        rng[l] = s->rng[l];
        f1[l] = s->f1[l]; f2[l] = s->f2[l];
        a1[l] = s->fa1[l]; a2[l] = s->fa2[l]; a3[l] = s->fa3[l]; kk[l] = s->fk[l];
    }
    for (int f = 0; f < n; f++) {
        float ff = (float)f, m[W];
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            m[l] = 0.5f * dsp_noise_tick(&rng[l]);
        for (int k = 0; k < K; k++)
            VK_LANE_LOOP
            for (int l = 0; l < W; l++)
                m[l] += dsp_wrap1(ph[k][l] + ff * inc[k][l]) < 0.5f ? 1.0f / 6.0f : -1.0f / 6.0f;
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            /* the band-pass of dsp_svf_tick, its state flushed once a segment */
            float xi = m[l], p = f1[l], q = f2[l];
            float v1 = a1[l] * p + a2[l] * (xi - q);
            float v2 = q + a2[l] * p + a3[l] * (xi - q);
            f1[l] = 2.0f * v1 - p;
            f2[l] = 2.0f * v2 - q;
            x[f * W + l] = 2.5f * kk[l] * v1 * d1[l] * g[l];
            d1[l] = d1[l] * k1[l];
        }
    }
    for (int l = 0; l < W; l++) {
        f1[l] = dsp_flush(f1[l]);
        f2[l] = dsp_flush(f2[l]);
        d1[l] = dsp_flush(d1[l]);
        a[l] = d1[l] > 1e-4f ? a[l] : 0.0f;
        for (int k = 0; k < K; k++)
            s->ph[k][l] = dsp_wrap1(ph[k][l] + (float)n * inc[k][l]);
        s->d1[l] = d1[l]; s->alive[l] = a[l]; s->rng[l] = rng[l]; s->f1[l] = f1[l]; s->f2[l] = f2[l];
    }
}

/* superpiano's strings (and the other modal kinds: gong, fork, hammond,
 * vibe, primes): DSP_SYNTH_OSCS decaying partials (modes), each a rotation
 * z' = z c, and a strike of noise (decay 2). */
VK_NOINLINE static void VK(syn_modes)(struct dsp_synth *restrict s, float *restrict y, int n)
{
    enum { K = DSP_SYNTH_OSCS };
    float zr[K][W], zi[K][W], cr[K][W], ci[K][W], d2[W], k2[W], hz[W];
    uint32_t rng[W];
    for (int l = 0; l < W; l++) {
        for (int k = 0; k < K; k++) {
            zr[k][l] = s->zr[k][l]; zi[k][l] = s->zi[k][l];
            cr[k][l] = s->cr[k][l]; ci[k][l] = s->ci[k][l];
        }
        d2[l] = s->d2[l]; k2[l] = s->k2[l]; hz[l] = s->p2[l]; rng[l] = s->rng[l];
    }
    for (int f = 0; f < n; f++) {
        float v[W];
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            v[l] = hz[l] * d2[l] * dsp_noise_tick(&rng[l]);
            d2[l] = d2[l] * k2[l];
        }
        for (int k = 0; k < K; k++)
            VK_LANE_LOOP
            for (int l = 0; l < W; l++) {
                float r = zr[k][l] * cr[k][l] - zi[k][l] * ci[k][l];
                float i = zr[k][l] * ci[k][l] + zi[k][l] * cr[k][l];
                zr[k][l] = r;
                zi[k][l] = i;
                v[l] += i;
            }
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            y[f * W + l] = v[l];
    }
    for (int l = 0; l < W; l++) {
        for (int k = 0; k < K; k++) {
            s->zr[k][l] = dsp_flush(zr[k][l]);
            s->zi[k][l] = dsp_flush(zi[k][l]);
        }
        s->d2[l] = dsp_flush(d2[l]); s->rng[l] = rng[l];
    }
}
static void VK(syn_piano)(struct dsp_synth *s, float *restrict x, int n, float *restrict tmp)
{
    float *y = tmp, *e = tmp + (size_t)n * W;
    VK(syn_modes)(s, y, n);
    VK(syn_env)(s, e, n);
    VK(syn_apply)(x, y, e, s->gain, n);
}

/* The variable-width saws (h-synth2): supersiren, superzow, supercomparator,
 * supertron, superhoover. Three naive VarSaws (as SuperCollider's VarSaw:
 * rising over width w of the cycle, falling over the rest) whose width
 * moves from p1 by p2 min(r fa1, 1), r the note's ramp (d3, 0 to 1 over the
 * sustain by k3 a frame); oscillator k reads its phase min(r zr[k], 1)
 * cycles late (superzow's sliding delays); the pitch rises by fa2 times a
 * trapezoid of r (supersiren); where fa3 is 1, each saw becomes +-1 by
 * comparing it with a triangle LFO of depth wt[3 + k] (ph/inc[3 + k]:
 * supercomparator's and supertron's pulses); the weighted sum goes through
 * a low-pass (coefficients cr[0..2]) mixed in by ci[0]. */
VK_NOINLINE static void VK(syn_var_core)(struct dsp_synth *restrict s, float *restrict y, int n)
{
    enum { K = 3 };
    float ph[K][W], inc[K][W], wt[K][W], off[K][W], lph[K][W], linc[K][W], ldep[K][W];
    float r[W], rk[W], w0[W], ws[W], wr[W], pd[W], cmp[W], f1[W], f2[W], a1[W], a2[W], a3[W], mix[W];
    for (int l = 0; l < W; l++) {
        for (int k = 0; k < K; k++) {
            ph[k][l] = s->ph[k][l]; inc[k][l] = s->inc[k][l]; wt[k][l] = s->wt[k][l]; off[k][l] = s->zr[k][l];
            lph[k][l] = s->ph[K + k][l]; linc[k][l] = s->inc[K + k][l]; ldep[k][l] = s->wt[K + k][l];
        }
        r[l] = s->d3[l]; rk[l] = s->k3[l]; w0[l] = s->p1[l]; ws[l] = s->p2[l]; wr[l] = s->fa1[l];
        pd[l] = s->fa2[l]; cmp[l] = s->fa3[l]; f1[l] = s->f1[l]; f2[l] = s->f2[l];
        a1[l] = s->cr[0][l]; a2[l] = s->cr[1][l]; a3[l] = s->cr[2][l]; mix[l] = s->ci[0][l];
    }
    for (int f = 0; f < n; f++) {
        float v[W];
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            v[l] = 0.0f;
        for (int k = 0; k < K; k++)
            VK_LANE_LOOP
            for (int l = 0; l < W; l++) {
                float rr = dsp_minf(r[l], 1.0f);
                float tz = dsp_clampf(dsp_minf(4.0f * rr, 4.0f - 4.0f * rr), 0.0f, 1.0f);
                float w = dsp_clampf(w0[l] + ws[l] * dsp_minf(rr * wr[l], 1.0f), 0.001f, 0.999f);
                float p = dsp_wrap1(ph[k][l] - dsp_minf(rr * off[k][l], 1.0f) + 1.0f);
                float x = p < w ? 2.0f * p / w - 1.0f : 1.0f - 2.0f * (p - w) / (1.0f - w);
                float q = lph[k][l], t = q < 0.5f ? 4.0f * q - 1.0f : 3.0f - 4.0f * q;
                float c = x > ldep[k][l] * t ? 1.0f : -1.0f;
                v[l] += wt[k][l] * (cmp[l] > 0.0f ? c : x);
                ph[k][l] = dsp_wrap1(ph[k][l] + inc[k][l] * (1.0f + pd[l] * tz));
                lph[k][l] = dsp_wrap1(q + linc[k][l]);
            }
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            struct dsp_svf_coef co = { a1[l], a2[l], a3[l], 1.0f };
            float lo = dsp_svf_tick(&f1[l], &f2[l], co, v[l]).lp;
            y[f * W + l] = v[l] + mix[l] * (lo - v[l]);
            r[l] = r[l] + rk[l];
        }
    }
    for (int l = 0; l < W; l++) {
        for (int k = 0; k < K; k++) {
            s->ph[k][l] = ph[k][l];
            s->ph[K + k][l] = lph[k][l];
        }
        s->d3[l] = dsp_minf(r[l], 2.0f); s->f1[l] = f1[l]; s->f2[l] = f2[l];
    }
}
static void VK(syn_var)(struct dsp_synth *s, float *restrict x, int n, float *restrict tmp)
{
    float *y = tmp, *e = tmp + (size_t)n * W;
    VK(syn_var_core)(s, y, n);
    VK(syn_env)(s, e, n);
    VK(syn_apply)(x, y, e, s->gain, n);
}

/* superclap: noise through a band-pass (fa1..fk) under four bursts that
 * start p2 frames apart and fall to zero over 1 / zr[0] frames (p1: the
 * frames since the onset). */
VK_NOINLINE static void VK(syn_clap_core)(struct dsp_synth *restrict s, float *restrict y, int n)
{
    float t[W], sp[W], il[W], f1[W], f2[W], a1[W], a2[W], a3[W], kk[W];
    uint32_t rng[W];
    for (int l = 0; l < W; l++) {
        t[l] = s->p1[l]; sp[l] = s->p2[l]; il[l] = s->zr[0][l]; rng[l] = s->rng[l];
        f1[l] = s->f1[l]; f2[l] = s->f2[l];
        a1[l] = s->fa1[l]; a2[l] = s->fa2[l]; a3[l] = s->fa3[l]; kk[l] = s->fk[l];
    }
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float b = 0.0f;
            for (int i = 0; i < 4; i++) {
                float u = (t[l] - (float)i * sp[l]) * il[l];
                b += u >= 0.0f && u < 1.0f ? 1.0f - u : 0.0f;
            }
            struct dsp_svf_coef c = { a1[l], a2[l], a3[l], kk[l] };
            y[f * W + l] = 2.0f * b * dsp_svf_tick(&f1[l], &f2[l], c, dsp_noise_tick(&rng[l])).bp;
            t[l] = dsp_minf(t[l] + 1.0f, 1e9f);
        }
    for (int l = 0; l < W; l++) {
        s->p1[l] = t[l]; s->rng[l] = rng[l]; s->f1[l] = f1[l]; s->f2[l] = f2[l];
    }
}

/* superstatic: SuperDirt's Dust into a Pulse's frequency: impulses come
 * with probability p1 a frame, each moving a square's phase (ph[0]) by
 * inc[0]; between them the square holds (a random telegraph). What
 * sounds is its steps: a crackle of clicks, +-1, alternating. */
VK_NOINLINE static void VK(syn_static_core)(struct dsp_synth *restrict s, float *restrict y, int n)
{
    float ph[W], inc[W], pr[W];
    uint32_t rng[W];
    for (int l = 0; l < W; l++) {
        ph[l] = s->ph[0][l]; inc[l] = s->inc[0][l]; pr[l] = s->p1[l]; rng[l] = s->rng[l];
    }
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float u = 0.5f * (dsp_noise_tick(&rng[l]) + 1.0f);
            float was = ph[l] < 0.5f ? 0.5f : -0.5f;
            ph[l] = u < pr[l] ? dsp_wrap1(ph[l] + inc[l]) : ph[l];
            y[f * W + l] = (ph[l] < 0.5f ? 0.5f : -0.5f) - was;
        }
    for (int l = 0; l < W; l++) {
        s->ph[0][l] = ph[l]; s->rng[l] = rng[l];
    }
}
/* superwavemechanics: one noise through four narrow band-passes (their
 * a1, a2, a3 in cr, ci, zr[k], k in fk; states mg[k], zi[k]) summed. */
VK_NOINLINE static void VK(syn_bands_core)(struct dsp_synth *restrict s, float *restrict y, int n)
{
    enum { K = 4 };
    float b1[K][W], b2[K][W], c1[K][W], c2[K][W], c3[K][W], kk[W];
    uint32_t rng[W];
    for (int l = 0; l < W; l++) {
        for (int k = 0; k < K; k++) {
            b1[k][l] = s->mg[k][l]; b2[k][l] = s->zi[k][l];
            c1[k][l] = s->cr[k][l]; c2[k][l] = s->ci[k][l]; c3[k][l] = s->zr[k][l];
        }
        kk[l] = s->fk[l]; rng[l] = s->rng[l];
    }
    for (int f = 0; f < n; f++) {
        float x[W], v[W];
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            x[l] = dsp_noise_tick(&rng[l]);
            v[l] = 0.0f;
        }
        for (int k = 0; k < K; k++)
            VK_LANE_LOOP
            for (int l = 0; l < W; l++) {
                struct dsp_svf_coef c = { c1[k][l], c2[k][l], c3[k][l], kk[l] };
                v[l] += dsp_svf_tick(&b1[k][l], &b2[k][l], c, x[l]).bp;
            }
        VK_LANE_LOOP
        for (int l = 0; l < W; l++)
            y[f * W + l] = v[l];
    }
    for (int l = 0; l < W; l++) {
        for (int k = 0; k < K; k++) {
            s->mg[k][l] = b1[k][l];
            s->zi[k][l] = b2[k][l];
        }
        s->rng[l] = rng[l];
    }
}

/* supergrind: an impulse train (phase ph[0], increment inc[0] swung
 * +-50 % by a sine LFO at ph/inc[1]) rings a resonator at the pitch (z
 * turned by c = cr/ci[0] a frame), folded by sin(3 tanh(2 Im z)). */
VK_NOINLINE static void VK(syn_grind_core)(struct dsp_synth *restrict s, float *restrict y, int n)
{
    float p[W], ip[W], lp[W], il[W], zr[W], zi[W], cr[W], ci[W];
    for (int l = 0; l < W; l++) {
        p[l] = s->ph[0][l]; ip[l] = s->inc[0][l]; lp[l] = s->ph[1][l]; il[l] = s->inc[1][l];
        zr[l] = s->zr[0][l]; zi[l] = s->zi[0][l]; cr[l] = s->cr[0][l]; ci[l] = s->ci[0][l];
    }
    for (int f = 0; f < n; f++)
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float np = p[l] + ip[l] * (1.0f + 0.5f * dsp_sin2pi(lp[l]));
            float imp = np >= 1.0f ? 1.0f : 0.0f;
            p[l] = np - imp;
            lp[l] = dsp_wrap1(lp[l] + il[l]);
            float r = zr[l] * cr[l] - zi[l] * ci[l] + imp;
            float i = zr[l] * ci[l] + zi[l] * cr[l];
            zr[l] = r;
            zi[l] = i;
            y[f * W + l] = dsp_sin2pi(0.5f * dsp_tanh(2.0f * i));
        }
    for (int l = 0; l < W; l++) {
        s->ph[0][l] = p[l]; s->ph[1][l] = lp[l]; s->zr[0][l] = dsp_flush(zr[l]); s->zi[0][l] = dsp_flush(zi[l]);
    }
}

static void VK(syn_noise)(struct dsp_synth *s, float *restrict x, int n, float *restrict tmp)
{
    float *y = tmp, *e = tmp + (size_t)n * W;
    if (s->kind == DSP_SUPERCLAP)
        VK(syn_clap_core)(s, y, n);
    else if (s->kind == DSP_SUPERWAVEMECHANICS)
        VK(syn_bands_core)(s, y, n);
    else if (s->kind == DSP_SUPERGRIND)
        VK(syn_grind_core)(s, y, n);
    else
        VK(syn_static_core)(s, y, n);
    VK(syn_env)(s, e, n);
    VK(syn_apply)(x, y, e, s->gain, n);
}

/* Render lanes 0..W-1 of s for n frames into x ([n][W]); tmp holds
 * VOICE_SYN_TMP n W floats. Returns the lanes that ended; s->live is updated. */
static void VK(synth_kind)(struct dsp_synth *s, float *x, int n, float *tmp);
static uint32_t VK(synth_lanes)(struct dsp_synth *s, float *x, int n, float *tmp)
{
    if (n <= 0)
        return 0;
    if (s->gliding)                     /* issue 12: accelerate, slide: the pitch a chunk at a time */
        for (int f = 0; f < n; f += DSP_SYNTH_GLIDE_CHUNK) {
            int m = n - f < DSP_SYNTH_GLIDE_CHUNK ? n - f : DSP_SYNTH_GLIDE_CHUNK;
            dsp_synth_glide(s, m);
            VK(synth_kind)(s, x + (size_t)f * W, m, tmp);
        }
    else
        VK(synth_kind)(s, x, n, tmp);
    uint32_t now = 0, lanes = (1u << W) - 1u;
    for (int l = 0; l < W; l++)
        now |= s->alive[l] > 0.0f ? 1u << l : 0u;
    uint32_t ended = s->live & lanes & ~now;
    s->live = (s->live & ~lanes) | now;
    return ended;
}

/* The kind's renderer for n frames of lanes 0..W-1. */
static void VK(synth_kind)(struct dsp_synth *s, float *x, int n, float *tmp)
{
    switch (s->kind) {
    case DSP_SUPERKICK:
    case DSP_SOSKICK:
    case DSP_SOSTOMS:    VK(syn_kick)(s, x, n); break;
    case DSP_SUPERSAW:
    case DSP_SUPERSQUARE:
    case DSP_SUPERREESE: VK(syn_saw)(s, x, n, tmp); break;
    case DSP_SUPERPWM:   VK(syn_pwm)(s, x, n, tmp); break;
    case DSP_SUPERCHIP:  VK(syn_chip)(s, x, n, tmp); break;
    case DSP_SUPERFM:    VK(syn_fm)(s, x, n, tmp); break;
    case DSP_SUPERSNARE:
    case DSP_SOSSNARE:   VK(syn_snare)(s, x, n); break;
    case DSP_SUPERHAT:   VK(syn_hat_dirt)(s, x, n); break;
    case DSP_SOSHATS:    VK(syn_hat)(s, x, n); break;
    case DSP_SUPERPIANO:
    case DSP_SUPERGONG:
    case DSP_SUPERFORK:
    case DSP_SUPERHAMMOND:
    case DSP_SUPERVIBE:
    case DSP_SUPERPRIMES:
    case DSP_SUPERMANDOLIN: VK(syn_piano)(s, x, n, tmp); break;
    case DSP_SUPERSIREN:
    case DSP_SUPERZOW:
    case DSP_SUPERCOMPARATOR:
    case DSP_SUPERTRON:
    case DSP_SUPERHOOVER: VK(syn_var)(s, x, n, tmp); break;
    case DSP_SUPERCLAP:
    case DSP_SUPERSTATIC:
    case DSP_SUPERWAVEMECHANICS:
    case DSP_SUPERGRIND: VK(syn_noise)(s, x, n, tmp); break;
    default: memset(x, 0, sizeof(float) * (size_t)n * W); break;
    }
}

/* VK(mix) of a batch whose lanes all have gain 1 for the block: the same
 * products and the same pairwise sum of the lanes. */
static void VK(mix_unfaded)(const struct batch *b, float *out, const float *x, int frames)
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
                __m256 v = _mm256_loadu_ps(x + (f0 + j) * W);
                pl[j] = _mm256_mul_ps(v, vgl);
                pr[j] = _mm256_mul_ps(v, vgr);
            }
            _mm256_storeu_ps(ol + f0, VK(sum8x8)(pl));
            _mm256_storeu_ps(or_ + f0, VK(sum8x8)(pr));
        }
    }
#endif
    for (int f = f0; f < frames; f++) {
        float a[W], c[W];
        for (int l = 0; l < W; l++) {
            a[l] = x[f * W + l] * gl[l];
            c[l] = x[f * W + l] * gr[l];
        }
        ol[f] = ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
        or_[f] = ((c[0] + c[1]) + (c[2] + c[3])) + ((c[4] + c[5]) + (c[6] + c[7]));
    }
}

/* g[i][l]: lane l's fade at frame i of the block. */
static void VK(synth_fades)(float *restrict g, const float *fade, const float *fstep, int frames)
{
    for (int i = 0; i < frames; i++) {
        float k = (float)(i + 1);
        VK_LANE_LOOP
        for (int l = 0; l < W; l++) {
            float fd = fade[l] - k * fstep[l];
            g[i * W + l] = fd > 0.0f ? fd : 0.0f;
        }
    }
}

/* A synth batch's block into out ([2][frames]): notes start at their
 * onset frames, lanes fade (stealing, cut) and mix as instrument lanes do.
 * Returns the lanes whose signal or gains were not finite (as VK(instr)). */
static uint32_t VK(synth)(struct batch *b, float *out, int frames, float sr, float *scratch)
{
    struct dsp_synth *s = b->syn;
    size_t nw = (size_t)frames * W;
    float *x = scratch, *g = x + nw, *tmp = g + nw;
    uint32_t quiet = ~s->live;                  /* lanes giving zeros all block */
    for (int l = 0; l < W; l++)
        quiet &= b->pending[l] > 0 ? ~(1u << l) : ~0u;
    int f = 0;
    while (f < frames) {
        for (int l = 0; l < W; l++)
            if (b->pending[l] > 0 && b->start[l] <= f) {
                dsp_synth_trigger(s, l, &b->note[l]);
                b->pending[l] = 0;
            }
        int next = frames;
        for (int l = 0; l < W; l++)
            if (b->pending[l] > 0 && b->start[l] < next)
                next = b->start[l];
        VK(synth_lanes)(s, x + (size_t)f * W, next - f, tmp);
        f = next;
    }
    /* the fade of frame i from the block's start (frames do not wait on
     * each other), as VK(env_fading); a batch with no sounding lane fading
     * (the usual case) mixes without it: x 1 gl is x gl to the bit, and a
     * quiet lane's zero times any fade is the same zero */
    float fade[W], fstep[W];
    memcpy(fade, b->fade, sizeof fade);
    memcpy(fstep, b->fstep, sizeof fstep);
    int fading = 0;
    for (int l = 0; l < W; l++)
        fading |= !(quiet >> l & 1) && (fade[l] != 1.0f || fstep[l] != 0.0f);
    if (fading)
        VK(synth_fades)(g, fade, fstep, frames);
    for (int l = 0; l < W; l++) {
        float fd = fade[l] - (float)frames * fstep[l];
        b->fade[l] = fd > 0.0f ? fd : 0.0f;
    }
    for (int l = 0; l < W; l++)
        if ((b->live >> l & 1) && b->pending[l] == 0 && !(s->live >> l & 1))
            b->fade[l] = 0.0f;                  /* the synth ended it */
    if (fading)
        VK(mix)(b, out, x, x, g, frames);
    else
        VK(mix_unfaded)(b, out, x, frames);
    if (__builtin_expect(VK(finite)(out, 2 * frames), 1))
        return 0;
    if (!fading)
        VK(synth_fades)(g, fade, fstep, frames);
    return VK(instr_guard)(b, out, x, x, g, frames) & ~VOICE_NOT_FINITE;
}
