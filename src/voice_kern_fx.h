/* voice_kern_fx.h -- the rest of SuperDirt's and Strudel's per-voice
 * effects (issue 12, h-controls), included by voice_kern.h once per
 * instruction set.
 *
 * Each runs on one lane's two channels xl, xr over a block, in place, as
 * the older ones in voice_kern.h do: a loop over frames per lane in plain
 * float operations (no libm, no contraction), so every kernel set computes
 * the same bits. voice_fx.c reads the controls and states what each
 * parameter means; the ones SuperDirt computes in the spectral domain are
 * time-domain approximations here (said in each function's comment and in
 * the language page).
 *
 * The delay-line effects each have a region of the lane's delay memory,
 * written at the lane's write position d2s.w + frame; fx2_mem gives it.
 */

static inline float *VK(fx2_mem)(struct batch *b, int l, int which, int ch)
{
    return b->d2.mem[l] + ((size_t)b->d2.region[which][l] * 2 + (size_t)ch) * VOICE_FX_LEN;
}

/* The delay line m read d frames (>= 1) before frame position p, linearly
 * interpolated. */
static inline float VK(fx2_tap)(const float *m, int32_t p, float d)
{
    float fd = (float)(int32_t)d, fr = d - fd;
    int32_t i = p - (int32_t)fd;
    float a = m[i & (VOICE_FX_LEN - 1)], c = m[(i - 1) & (VOICE_FX_LEN - 1)];
    return a + fr * (c - a);
}

/* bandf, bandq: SuperDirt's BPF at bandf, q = bandq (at least 1), times
 * bandq. */
static void VK(bandpass)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float q = b->d2.bandq[l];
    struct dsp_svf_coef cf = dsp_svf_coef(b->d2.bandf[l], q, sr);
    float (*st)[2][W] = b->d2s.bst;
    for (int f = 0; f < frames; f++) {
        xl[f] = q * dsp_svf_tick(&st[0][0][l], &st[0][1][l], cf, xl[f]).bp;
        xr[f] = q * dsp_svf_tick(&st[1][0][l], &st[1][1][l], cf, xr[f]).bp;
    }
}

/* phaser: SuperDirt's: the signal plus phaserdepth times itself delayed
 * by 8.8 .. 10 ms, the delay swinging at phaserrate (a sine here, a
 * parabolic one there). */
static void VK(phaser)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float depth = b->d2.phdepth[l], inc = b->d2.phrate[l] / sr, ph = 0.0f;
    int32_t w = b->d2s.w[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, *m = VK(fx2_mem)(b, l, FXR_PHASER, ch);
        ph = b->d2s.phph[l];
        for (int f = 0; f < frames; f++) {
            float d = (0.0094f + 0.0006f * dsp_sine_tick(&ph, inc)) * sr;
            m[(w + f) & (VOICE_FX_LEN - 1)] = x[f];
            x[f] += depth * VK(fx2_tap)(m, w + f, d);
        }
    }
    b->d2s.phph[l] = ph;
}

/* waveloss: SuperDirt's WaveLoss in its regular mode: the segments between
 * rising zero crossings are counted, and the first `waveloss` of every 100
 * are silenced. */
static void VK(waveloss)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    float drop = b->d2.waveloss[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, prev = b->d2s.wl[ch][0][l], seg = b->d2s.wl[ch][1][l];
        for (int f = 0; f < frames; f++) {
            float v = x[f];
            if (prev < 0.0f && v >= 0.0f)
                seg = seg + 1.0f >= 100.0f ? 0.0f : seg + 1.0f;
            prev = v;
            x[f] = seg < drop ? 0.0f : v;
        }
        b->d2s.wl[ch][0][l] = prev;
        b->d2s.wl[ch][1][l] = seg;
    }
}

/* squiz: SuperDirt's Squiz, one zero crossing a chunk: the signal is cut
 * at its rising zero crossings and the last whole chunk is played over and
 * over at `squiz` times the speed while the next one arrives (chunks
 * longer than the delay memory are skipped). */
static void VK(squiz)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    float r = b->d2.squiz[l];
    int32_t w = b->d2s.w[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, *m = VK(fx2_mem)(b, l, FXR_SQUIZ, ch);
        int32_t *sq = &b->d2s.sq[ch][0][l];
        int32_t seg = sq[0], cst = sq[W], clen = sq[2 * W];
        float rp = b->d2s.sqr[ch][0][l], prev = b->d2s.sqr[ch][1][l];
        for (int f = 0; f < frames; f++) {
            int32_t p = w + f;
            float v = x[f];
            m[p & (VOICE_FX_LEN - 1)] = v;
            if (prev < 0.0f && v >= 0.0f) {
                int32_t len = p - seg;
                if (len > 1 && len < VOICE_FX_LEN) {
                    cst = seg;
                    clen = len;
                    rp = 0.0f;
                }
                seg = p;
            }
            prev = v;
            x[f] = clen > 0 ? m[(cst + (int32_t)rp) & (VOICE_FX_LEN - 1)] : 0.0f;
            rp += r;
            while (clen > 0 && rp >= (float)clen)
                rp -= (float)clen;
        }
        sq[0] = seg;
        sq[W] = cst;
        sq[2 * W] = clen;
        b->d2s.sqr[ch][0][l] = rp;
        b->d2s.sqr[ch][1][l] = prev;
    }
}

/* One Hilbert pair of a frame: two chains of four second-order all-passes
 * (Niemitalo's coefficients) whose outputs are 90 degrees apart from
 * about 20 Hz to 20 kHz (the second one delayed a frame). h: [chain][stage]
 * [x1, x2][W], y: the same for the outputs, dl: the delayed frame. */
static const float VK(hil_a)[2][4] = {
    { 0.6923878f * 0.6923878f, 0.9360654322959f * 0.9360654322959f, 0.9882295226860f * 0.9882295226860f,
      0.9987488452737f * 0.9987488452737f },
    { 0.4021921162426f * 0.4021921162426f, 0.8561710882420f * 0.8561710882420f,
      0.9722909545651f * 0.9722909545651f, 0.9952884791278f * 0.9952884791278f },
};

static inline void VK(hilbert)(float (*h)[4][2][W], float (*y)[4][2][W], float *dl, int l, float x, float *re,
                               float *im)
{
    float out[2];
    for (int c = 0; c < 2; c++) {
        float v = x;
        for (int k = 0; k < 4; k++) {
            float o = VK(hil_a)[c][k] * (v + y[c][k][1][l]) - h[c][k][1][l];
            h[c][k][1][l] = h[c][k][0][l];
            h[c][k][0][l] = v;
            y[c][k][1][l] = y[c][k][0][l];
            y[c][k][0][l] = dsp_flush(o);
            v = o;
        }
        out[c] = v;
    }
    *re = out[0];
    *im = dl[l];
    dl[l] = out[1];
}

/* fshift, fshiftnote, fshiftphase: SuperDirt's FreqShift: every partial
 * moves by fshift + fshiftnote x the note's frequency Hz (single
 * sideband, the analytic signal times a complex sine). */
static void VK(fshift)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float inc = b->d2.fshift[l] / sr, ph0 = b->d2s.fsph[l], ph = ph0;
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl;
        ph = ph0;
        for (int f = 0; f < frames; f++) {
            float re, im, a = dsp_wrap1(ph + b->d2.fsphase[l]);
            VK(hilbert)(b->d2s.hil[0][ch], b->d2s.hilx[0][ch], b->d2s.hild[0][ch], l, x[f], &re, &im);
            x[f] = re * dsp_cos2pi(a) + im * dsp_sin2pi(a);
            ph = dsp_wrap1(ph + inc);
        }
    }
    b->d2s.fsph[l] = ph;
}

/* xsdelay, tsdelay: SuperDirt's spectral delay: 16 narrow band-passes
 * from 40 Hz to 17 kHz, band i delayed by (i & xsdelay) / 16 of tsdelay
 * x 0.2 s, summed with a fifth of the dry signal. The bands' q is 50
 * (SuperDirt's 200 is beyond the filter; the sum is scaled to match), the
 * delays at most the delay memory (85 ms at 48 kHz). */
static void VK(xsdelay)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    struct dsp_svf_coef cf[VOICE_XS_BANDS];
    float d[VOICE_XS_BANDS];
    int mask = (int)b->d2.xsdelay[l];
    for (int i = 0; i < VOICE_XS_BANDS; i++) {
        float hz = 40.0f * dsp_exp2(dsp_log2(17000.0f / 40.0f) * (float)i / (float)(VOICE_XS_BANDS - 1));
        cf[i] = dsp_svf_coef(hz, 50.0f, sr);
        float frames_d = (float)((i + 1) & mask) / (float)VOICE_XS_BANDS * b->d2.tsdelay[l] * 0.2f * sr;
        d[i] = dsp_clampf(frames_d, 0.0f, (float)(VOICE_FX_LEN - 4));
    }
    int32_t w = b->d2s.w[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, *m = VK(fx2_mem)(b, l, FXR_XSDELAY, ch);
        for (int f = 0; f < frames; f++) {
            m[(w + f) & (VOICE_FX_LEN - 1)] = x[f];
            float s = 0.0f;
            for (int i = 0; i < VOICE_XS_BANDS; i++) {
                float v = d[i] > 0.0f ? VK(fx2_tap)(m, w + f, d[i]) : x[f];
                s += dsp_svf_tick(&b->d2s.xs[i][ch][0][l], &b->d2s.xs[i][ch][1][l], cf[i], v).bp;
            }
            x[f] = 0.2f * x[f] + 2.0f * s;
        }
    }
}

/* freeze: an approximation of SuperDirt's PV_Freeze held from the onset:
 * the voice's first 2560 frames play, then its frames 256 .. 2304 loop
 * (a 256-frame crossfade at the seam) for as long as the voice lasts. */
static void VK(freeze)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    enum { XF = 256, LOOP = 2048, REC = LOOP + 2 * XF };
    int32_t n0 = b->d2s.frz[l], n = n0;
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, *m = VK(fx2_mem)(b, l, FXR_FREEZE, ch);
        n = n0;
        for (int f = 0; f < frames; f++, n++) {
            if (n < REC) {
                m[n] = x[f];
                continue;
            }
            int32_t j = (n - REC) % LOOP;
            float a = j < XF ? (float)j / (float)XF : 1.0f;
            x[f] = a * m[XF + j] + (1.0f - a) * (j < XF ? m[XF + LOOP + j] : 0.0f);
        }
    }
    b->d2s.frz[l] = n > REC + LOOP * 1000 ? REC + (n - REC) % LOOP : n;
}

/* comb: an approximation of SuperDirt's PV_RectComb (256 comb teeth over
 * the spectrum): the signal plus itself 512 x comb frames later, halved,
 * notches 256 comb apart over the spectrum. */
static void VK(comb)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    float d = b->d2.comb[l];
    int32_t w = b->d2s.w[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, *m = VK(fx2_mem)(b, l, FXR_COMB, ch);
        for (int f = 0; f < frames; f++) {
            m[(w + f) & (VOICE_FX_LEN - 1)] = x[f];
            x[f] = 0.5f * (x[f] + VK(fx2_tap)(m, w + f, d));
        }
    }
}

/* Noise low-passed at bw Hz, scaled to unit power: the modulator of smear
 * and scram (k: the scale). */
static inline float VK(fx2_noise)(struct batch *b, int l, int which, int ch, struct dsp_svf_coef cf, float k)
{
    float n = dsp_noise_tick(&b->d2s.rng[l]);
    return k * dsp_svf_tick(&b->d2s.nst[which][ch][0][l], &b->d2s.nst[which][ch][1][l], cf, n).lp;
}

/* smear and scram: approximations of SuperDirt's PV_MagSmear (magnitudes
 * averaged over 1 .. 64 bins) and PV_BinScramble (bins moved up to scram
 * of the spectrum): each partial spread over a band as wide, by
 * multiplying the signal with low-passed noise of that bandwidth,
 * crossfaded in by the amount. */
static void VK(smear_scram)(struct batch *b, int l, int frames, float sr, int which, float amt, float bw,
                            float *restrict xl, float *restrict xr)
{
    bw = dsp_clampf(bw, 10.0f, 0.45f * sr);
    struct dsp_svf_coef cf = dsp_svf_coef(bw, 0.7071f, sr);
    /* a q 0.707 low-pass passes noise of power 1/3 over 1.11 bw of sr/2 */
    float k = 1.0f / sqrtf(2.22f * bw / sr / 3.0f);
    for (int f = 0; f < frames; f++) {
        float nl = VK(fx2_noise)(b, l, which, 0, cf, k), nr = VK(fx2_noise)(b, l, which, 1, cf, k);
        xl[f] += amt * (xl[f] * nl - xl[f]);
        xr[f] += amt * (xr[f] * nr - xr[f]);
    }
}

/* binshift: an approximation of SuperDirt's PV_BinShift (bins stretched
 * by 0.01 .. 4): the signal shifted in pitch by that ratio, two taps
 * sweeping a 2048-frame delay, each faded in and out (sin^2 windows). */
static void VK(binshift)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    const float len = 2048.0f;
    float step = (1.0f - b->d2.binshift[l]) / len, ph = 0.0f;
    int32_t w = b->d2s.w[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, *m = VK(fx2_mem)(b, l, FXR_BINSHIFT, ch);
        ph = b->d2s.bsph[l];
        for (int f = 0; f < frames; f++) {
            m[(w + f) & (VOICE_FX_LEN - 1)] = x[f];
            float p2 = dsp_wrap1(ph + 0.5f), s = dsp_sin2pi(0.5f * ph), g1 = s * s;
            x[f] = g1 * VK(fx2_tap)(m, w + f, 1.0f + ph * len) +
                   (1.0f - g1) * VK(fx2_tap)(m, w + f, 1.0f + p2 * len);
            ph = dsp_wrap1(ph + step);
        }
    }
    b->d2s.bsph[l] = ph;
}

/* hbrick, lbrick: approximations of SuperDirt's PV_BrickWall: an
 * eighth-order Butterworth high-pass at hbrick x 0.6 x Nyquist, a
 * low-pass at (1 - lbrick) x Nyquist. */
static void VK(brick)(struct batch *b, int l, int frames, float sr, int low, float *restrict xl, float *restrict xr)
{
    static const float qs[4] = { 0.5098f, 0.6013f, 0.9000f, 2.5629f };
    float hz = low ? b->d2.lbrick[l] : b->d2.hbrick[l];
    struct dsp_svf_coef cf[4];
    for (int k = 0; k < 4; k++)
        cf[k] = dsp_svf_coef(hz, qs[k], sr);
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, (*st)[2][W] = b->d2s.brick[low][ch];
        for (int f = 0; f < frames; f++) {
            float v = x[f];
            for (int k = 0; k < 4; k++) {
                struct dsp_svf_out o = dsp_svf_tick(&st[k][0][l], &st[k][1][l], cf[k], v);
                v = low ? o.lp : o.hp;
            }
            x[f] = v;
        }
    }
}

/* real, imag: an approximation of SuperDirt's PV_ConformalMap: the map
 * z -> (z - a) / (1 - conj(a) z), a = real' + i imag', applied to the
 * analytic signal frame by frame (not to its bins), its real part less
 * the map of silence, through tanh. */
static void VK(conformal)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    float ar = b->d2.conf_re[l], ai = b->d2.conf_im[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl;
        for (int f = 0; f < frames; f++) {
            float zr, zi;
            VK(hilbert)(b->d2s.hil[1][ch], b->d2s.hilx[1][ch], b->d2s.hild[1][ch], l, x[f], &zr, &zi);
            float nr = zr - ar, ni = zi - ai;
            float dr = 1.0f - (ar * zr + ai * zi), di = -(ar * zi - ai * zr);
            float den = dr * dr + di * di;
            float wr = den > 1e-6f ? (nr * dr + ni * di) / den : 0.0f;
            x[f] = dsp_tanh(wr + ar);
        }
    }
}

/* enhance: an approximation of SuperDirt's PV_SpectralEnhance (partials
 * added above each bin, up to 16 at ratios to 5, strength to 0.99): an
 * exciter, the signal plus strength x its overtones from a tanh driven by
 * partials x ratio, through tanh. */
static void VK(enhance)(struct batch *b, int l, int frames, float *restrict xl, float *restrict xr)
{
    float e = b->d2.enhance[l] - 1.0f;
    float parts = 1.0f + 15.0f * e, ratio = 1.0f + 4.0f * e, s = 0.99f * e, drive = parts * ratio;
    for (int f = 0; f < frames; f++) {
        xl[f] = dsp_tanh(xl[f] + s * dsp_tanh(drive * xl[f]));
        xr[f] = dsp_tanh(xr[f] + s * dsp_tanh(drive * xr[f]));
    }
}

/* vib, vibmod and fmi, fmh as a modulated delay: a delay d(t) moves the
 * pitch by 1 - d'(t). vib: d swings by (2^(vibmod/12) - 1) / (2 pi vib) s,
 * the pitch by about +-vibmod semitones at vib Hz (it falls first);
 * fmi: a sine of fmh x the note's frequency swings d by fmi / (2 pi f) s,
 * phase modulation of index fmi at the fundamental (Strudel's FM of the
 * oscillator, approximated for any voice). */
static void VK(moddelay)(struct batch *b, int l, int frames, float sr, int which, float *restrict xl,
                         float *restrict xr)
{
    int vib = which == FXR_VIB;
    float amp = vib ? b->d2.vibmod[l] : b->d2.fm_amp[l], inc = (vib ? b->d2.vib[l] : b->d2.fmf[l]) / sr;
    float *php = vib ? &b->d2s.vph[l] : &b->d2s.fmph[l], ph = *php;
    int32_t w = b->d2s.w[l];
    for (int ch = 0; ch < 2; ch++) {
        float *x = ch ? xr : xl, *m = VK(fx2_mem)(b, l, which, ch);
        ph = *php;
        for (int f = 0; f < frames; f++) {
            float d = vib ? 1.0f + amp * (1.0f - dsp_cos2pi(ph)) : 1.0f + amp * (1.0f + dsp_sin2pi(ph));
            m[(w + f) & (VOICE_FX_LEN - 1)] = x[f];
            x[f] = VK(fx2_tap)(m, w + f, d);
            ph = dsp_wrap1(ph + inc);
        }
    }
    *php = ph;
}

/* leslie, lrate, lsize: SuperDirt's rotary speaker (an orbit's global
 * effect there, per voice here): below 800 Hz the signal throbs in level,
 * above it the horn's distance (0 .. lsize m) delays it by distance / 343
 * s and lowers it, each side panned by its own rotor; leslie crossfades
 * from the dry signal. */
static void VK(leslie)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    float les = b->d2.leslie[l], size = b->d2.lsize[l], i1 = b->d2.lrate[l] / sr, i2 = 0.8f * i1;
    float p1 = b->d2s.lph[0][l], p2 = b->d2s.lph[1][l];
    struct dsp_svf_coef cf = dsp_svf_coef(800.0f, 0.7071f, sr);
    float *ml = VK(fx2_mem)(b, l, FXR_LESLIE, 0), *mr = VK(fx2_mem)(b, l, FXR_LESLIE, 1);
    int32_t w = b->d2s.w[l];
    for (int f = 0; f < frames; f++) {
        float dist = size * (0.5f + 0.5f * dsp_sin2pi(p1)), throb = 1.3f * size * (0.5f + 0.5f * dsp_sin2pi(p2));
        float bal1 = 0.2f * dsp_cos2pi(p2), bal2 = 0.4f * dsp_cos2pi(p1);
        float hl = dsp_svf_tick(&b->d2s.lhp[0][0][l], &b->d2s.lhp[0][1][l], cf, xl[f]).hp;
        float hr = dsp_svf_tick(&b->d2s.lhp[1][0][l], &b->d2s.lhp[1][1][l], cf, xr[f]).hp;
        ml[(w + f) & (VOICE_FX_LEN - 1)] = hl;
        mr[(w + f) & (VOICE_FX_LEN - 1)] = hr;
        float d = 1.0f + dist / 343.0f * sr;
        float s1l = les * (1.0f - throb) * (xl[f] - hl), s1r = les * (1.0f - throb) * (xr[f] - hr);
        float s2l = les * (1.0f - dist) * VK(fx2_tap)(ml, w + f, d), s2r = les * (1.0f - dist) * VK(fx2_tap)(mr, w + f, d);
        /* Balance2: equal power, 1 each side at the centre */
        float a1 = 0.125f * (bal1 + 1.0f), a2 = 0.125f * (bal2 + 1.0f);
        float g1l = 1.41421356f * dsp_cos2pi(a1), g1r = 1.41421356f * dsp_sin2pi(a1);
        float g2l = 1.41421356f * dsp_cos2pi(a2), g2r = 1.41421356f * dsp_sin2pi(a2);
        xl[f] = xl[f] * (1.0f - les) + 1.2f * (s1l * g1l + s2l * g2l);
        xr[f] = xr[f] * (1.0f - les) + 1.2f * (s1r * g1r + s2r * g2r);
        p1 = dsp_wrap1(p1 + i1);
        p2 = dsp_wrap1(p2 + i2);
    }
    b->d2s.lph[0][l] = p1;
    b->d2s.lph[1][l] = p2;
}

/* The effects of this file a lane asks for, in SuperDirt's module order
 * (Strudel's vibrato and FM first: they act on the oscillator there; the
 * leslie last: a global effect there); then the write position moves. */
static void VK(dirt_fx2)(struct batch *b, int l, int frames, float sr, float *restrict xl, float *restrict xr)
{
    const struct voice_dirt2 *d = &b->d2;
    int mem = d->mem[l] != NULL;
    if (mem && d->vib[l] > 0.0f && d->region[FXR_VIB][l] >= 0)
        VK(moddelay)(b, l, frames, sr, FXR_VIB, xl, xr);
    if (mem && d->fmi[l] != 0.0f && d->region[FXR_FM][l] >= 0)
        VK(moddelay)(b, l, frames, sr, FXR_FM, xl, xr);
    if (d->bandf[l] > 0.0f)
        VK(bandpass)(b, l, frames, sr, xl, xr);
    if (mem && d->ph_on[l] > 0.0f && d->region[FXR_PHASER][l] >= 0)
        VK(phaser)(b, l, frames, sr, xl, xr);
    if (d->waveloss[l] > 0.0f)
        VK(waveloss)(b, l, frames, xl, xr);
    if (mem && d->squiz[l] > 0.0f && d->region[FXR_SQUIZ][l] >= 0)
        VK(squiz)(b, l, frames, xl, xr);
    if (d->fs_on[l] > 0.0f)
        VK(fshift)(b, l, frames, sr, xl, xr);
    if (mem && d->xs_on[l] > 0.0f && d->region[FXR_XSDELAY][l] >= 0)
        VK(xsdelay)(b, l, frames, sr, xl, xr);
    if (mem && d->freeze[l] > 0.0f && d->region[FXR_FREEZE][l] >= 0)
        VK(freeze)(b, l, frames, xl, xr);
    if (mem && d->comb[l] > 0.0f && d->region[FXR_COMB][l] >= 0)
        VK(comb)(b, l, frames, xl, xr);
    if (d->smear[l] > 0.0f)
        VK(smear_scram)(b, l, frames, sr, 0, d->smear[l], d->smear_bw[l], xl, xr);
    if (d->scram[l] > 0.0f)
        VK(smear_scram)(b, l, frames, sr, 1, d->scram[l], d->scram[l] * 0.25f * sr, xl, xr);
    if (mem && d->binshift[l] > 0.0f && d->region[FXR_BINSHIFT][l] >= 0)
        VK(binshift)(b, l, frames, xl, xr);
    if (d->hbrick[l] > 0.0f)
        VK(brick)(b, l, frames, sr, 0, xl, xr);
    if (d->lbrick[l] > 0.0f)
        VK(brick)(b, l, frames, sr, 1, xl, xr);
    if (d->conf_on[l] > 0.0f)
        VK(conformal)(b, l, frames, xl, xr);
    if (d->enhance[l] > 0.0f)
        VK(enhance)(b, l, frames, xl, xr);
    if (mem && d->leslie[l] != 0.0f && d->region[FXR_LESLIE][l] >= 0)
        VK(leslie)(b, l, frames, sr, xl, xr);
    b->d2s.w[l] += frames;
    b->d2s.w[l] &= 0x3fffffff;
}
