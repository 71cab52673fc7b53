/* graph_run.c -- running one node of a program for one block.
 *
 * Audio thread only: no allocation, no locks, no system calls, no printing.
 * Inputs are node buffers (mono or stereo); a mono input read as stereo is
 * the same buffer for both channels. Parameters that are constants are
 * read once per block (their buffers are constant), so filters compute
 * their coefficients once per block unless the cutoff really moves.
 */
#include "dsp_wavconv.h"
#include "graph.h"

#include <math.h>
#include <string.h>

/* Add one to an engine counter (relaxed: only read for statistics). */
static void count(_Atomic long *counter)
{
    if (counter)
        atomic_fetch_add_explicit(counter, 1, memory_order_relaxed);
}

static const float *inb(const struct program *p, const struct gnode *g, int i, int ch)
{
    const struct gnode *s = &p->nodes[g->in[i]];
    return s->out[ch < s->nch ? ch : 0];
}

static int is_const(const struct program *p, const struct gnode *g, int i)
{
    return p->nodes[g->in[i]].kind == N_CONST;
}

/* ---- parameters from patterns ------------------------------------------------------ */

static double frames_of(struct rat t, const struct graph_block *eb)
{
    return rat_to_double(rat_sub(t, eb->c0)) * eb->frames_per_cycle;
}

/* A pattern parameter's events in this block; -1 when the query failed
 * (a flood over the event cap is counted). */
static int query_block(const struct gnode *g, const struct graph_block *eb, struct pat_evbuf *evs)
{
    arena_reset(eb->pc->scratch);
    if (!pat_query(eb->pc, g->pat, eb->c0, eb->c1, evs))
        return 0;
    if (eb->pc->err == PAT_ERR_LIMIT)
        count(eb->limit_events);
    return -1;
}

/* A pattern as a signal: the value of the event active at each frame (a
 * step function), holding the last value between events; continuous
 * patterns are sampled every 16 frames and interpolated. */
static void run_patparam(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    float *out = g->out[0], *st = g->state;
    int n = eb->frames;
    float hold = st[0];
    for (int f = 0; f < n; f++)
        out[f] = hold;
    struct pat_evbuf evs;
    if (query_block(g, eb, &evs))
        return;
    int continuous = 0;
    for (int i = 0; i < evs.n; i++) {
        const struct pat_ev *e = &evs.ev[i];
        if (!e->has_whole) {
            continuous = 1;
            continue;
        }
        double x;
        if (e->v.kind == VAL_NUM)
            x = e->v.u.num;
        else if (e->v.kind == VAL_STR && val_note_midi(e->v.u.str, 4, &x) == 0)
            x = g->op == PATPARAM_HZ ? 440.0 * pow(2.0, (x - 69) / 12) : x - 60;
        else
            continue;
        int a = (int)ceil(frames_of(e->pb, eb) - 1e-9), b = (int)ceil(frames_of(e->pe, eb) - 1e-9);
        if (a < 0)
            a = 0;
        if (b > n)
            b = n;
        for (int f = a; f < b; f++)
            out[f] = (float)x;
    }
    hold = out[n - 1];
    if (continuous) {
        enum { STEP = 16 };
        float prev = st[1];
        for (int f0 = 0; f0 < n; f0 += STEP) {
            struct rat t = rat_add(eb->c0, rat_make((int64_t)f0 * eb->cps_rat.n,
                                                    (int64_t)eb->sample_rate * eb->cps_rat.d));
            struct rat t1 = rat_add(t, rat_make((int64_t)STEP * eb->cps_rat.n,
                                                (int64_t)eb->sample_rate * eb->cps_rat.d));
            arena_reset(eb->pc->scratch);
            float x = prev;
            if (pat_query(eb->pc, g->pat, t, t1, &evs) == 0) {
                for (int i = 0; i < evs.n; i++)
                    if (evs.ev[i].v.kind == VAL_NUM && rat_le(evs.ev[i].pb, t)) {
                        x = (float)evs.ev[i].v.u.num;
                        break;
                    }
            }
            int end = f0 + STEP < n ? f0 + STEP : n;
            for (int f = f0; f < end; f++)
                out[f] = prev + (x - prev) * (float)(f - f0 + 1) / (float)(end - f0);
            prev = x;
        }
        st[1] = prev;
        hold = prev;
    }
    st[0] = hold;
}

/* issue 13: a pattern as a gate (N_PATPARAM PATPARAM_GATE, for the DSP_MORE_GATED
 * ops): 0 outside events, 1 inside a true event (a value other than 0,
 * false, "f"), 2 on the frame where one starts. */
static void run_patgate(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    float *out = g->out[0];
    int n = eb->frames;
    memset(out, 0, sizeof(float) * (size_t)n);
    struct pat_evbuf evs;
    if (query_block(g, eb, &evs))
        return;
    for (int i = 0; i < evs.n; i++) {
        const struct pat_ev *e = &evs.ev[i];
        if (!e->has_whole || !val_truthy(e->v) ||
            (e->v.kind == VAL_STR && (strcmp(e->v.u.str, "f") == 0 || strcmp(e->v.u.str, "false") == 0)))
            continue;
        int a = (int)ceil(frames_of(e->pb, eb) - 1e-9), b = (int)ceil(frames_of(e->pe, eb) - 1e-9);
        a = a < 0 ? 0 : a;
        b = b > n ? n : b;
        for (int f = a; f < b; f++)
            out[f] = out[f] > 1.0f ? out[f] : 1.0f;
        if (a < b && rat_eq(e->pb, e->wb))
            out[a] = 2.0f;
    }
}

/* ---- oscillators, filters, envelopes ------------------------------------------------- */

static void run_osc(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    struct osc_state *s = g->state;
    float *out = g->out[0];
    float sr = (float)p->sample_rate;
    const float *freq = g->nin > 0 ? inb(p, g, 0, 0) : NULL;
    const float *p1 = g->nin > 1 ? inb(p, g, 1, 0) : NULL, *p2 = g->nin > 2 ? inb(p, g, 2, 0) : NULL;
    for (int f = 0; f < eb->frames; f++) {
        float inc = freq ? dsp_inc_bound(freq[f] / sr) : 0;
        switch (g->op) {
        case OSC_SINE: out[f] = dsp_sine_tick(&s->ph, inc); break;
        case OSC_SAW: out[f] = dsp_saw_tick(&s->ph, inc); break;
        case OSC_SQUARE: out[f] = dsp_square_tick(&s->ph, inc); break;
        case OSC_TRI: out[f] = dsp_tri_tick(&s->ph, inc); break;
        case OSC_PULSE: out[f] = dsp_pulse_tick(&s->ph, inc, p1[f]); break;
        case OSC_FM: out[f] = dsp_fm_tick(&s->ph, &s->ph2, inc, dsp_inc_bound(p1[f] / sr), p2[f]); break;
        case OSC_NOISE: out[f] = dsp_noise_tick(&s->rng); break;
        case OSC_PINK: out[f] = dsp_pink_tick(&s->rng, &s->b0, &s->b1, &s->b2); break;
        case OSC_BROWN: out[f] = dsp_brown_tick(&s->rng, &s->b0); break;
        default: out[f] = 0;
        }
    }
}

static void run_filter(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    struct filt_state *s = g->state;
    float sr = (float)p->sample_rate;
    const float *cut = inb(p, g, 1, 0), *q = inb(p, g, 2, 0);
    int fixed = is_const(p, g, 1) && is_const(p, g, 2);
    for (int ch = 0; ch < g->nch; ch++) {
        const float *in = inb(p, g, 0, ch);
        float *out = g->out[ch], *st = s->s[ch];
        if (g->op == FLT_MOOG) {
            struct dsp_moog_coef c = dsp_moog_coef(cut[0], q[0], sr);
            for (int f = 0; f < eb->frames; f++) {
                if (!fixed)
                    c = dsp_moog_coef(cut[f], q[f], sr);
                out[f] = dsp_moog_tick(&st[0], &st[1], &st[2], &st[3], c, in[f]);
            }
            continue;
        }
        struct dsp_svf_coef c = dsp_svf_coef(cut[0], q[0], sr);
        for (int f = 0; f < eb->frames; f++) {
            if (!fixed)
                c = dsp_svf_coef(cut[f], q[f], sr);
            struct dsp_svf_out o = dsp_svf_tick(&st[0], &st[1], c, in[f]);
            out[f] = g->op == FLT_LPF ? o.lp : g->op == FLT_HPF ? o.hp : g->op == FLT_BPF ? o.bp : o.lp + o.hp;
        }
    }
}

/* A bus-level envelope restarts at every cycle; its gate stays open until
 * the release has to begin to end with the cycle (or half the cycle when
 * the release is longer than that). */
static void run_env(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    struct env_state *s = g->state;
    float sr = (float)p->sample_rate;
    double fpc = eb->frames_per_cycle;
    const float *a = g->nin > 1 ? inb(p, g, 1, 0) : NULL, *b = g->nin > 2 ? inb(p, g, 2, 0) : NULL;
    const float *c = g->nin > 3 ? inb(p, g, 3, 0) : NULL, *d = g->nin > 4 ? inb(p, g, 4, 0) : NULL;
    float env[GRAPH_MAX_BLOCK];
    int n = eb->frames;
    for (int f = 0; f < n; f++) {
        double pos = eb->cycle0 + (double)f / fpc;
        int64_t cyc = (int64_t)floor(pos);
        float trig = cyc != s->last ? 1.0f : 0.0f;
        s->last = cyc;
        double frac = pos - (double)cyc;
        float rel_frames = g->op == ENV_ADSR ? d[f] * sr : g->op == ENV_AR && b ? b[f] * sr : 0;
        double rel_cycles = (double)rel_frames / fpc;
        float gate = frac < (rel_cycles < 0.5 ? 1.0 - rel_cycles : 0.5) ? 1.0f : 0.0f;
        float e;
        switch (g->op) {
        case ENV_ADSR:
            e = dsp_adsr_tick(&s->lv, &s->st, &s->sl, &s->left, trig, gate, dsp_env_samples(a[f], sr),
                              dsp_env_samples(b[f], sr), c[f], dsp_env_samples(d[f], sr));
            break;
        case ENV_AD:
            e = dsp_ad_tick(&s->lv, &s->st, &s->sl, &s->left, trig, dsp_env_samples(a[f], sr),
                            dsp_env_samples(b[f], sr));
            break;
        case ENV_AR:
            e = dsp_ar_tick(&s->lv, &s->st, &s->sl, &s->left, trig, gate, dsp_env_samples(a[f], sr),
                            dsp_env_samples(b[f], sr));
            break;
        case ENV_PERC:
            e = dsp_perc_tick(&s->lv, &s->st, &s->sl, &s->left, trig, dsp_env_samples(a[f], sr));
            break;
        default:                                     /* line from to over one cycle */
            e = (float)((double)a[f] + (double)(b[f] - a[f]) * frac);
            break;
        }
        env[f] = e;
    }
    for (int ch = 0; ch < g->nch; ch++) {
        const float *in = inb(p, g, 0, ch);
        float *out = g->out[ch];
        for (int f = 0; f < n; f++)
            out[f] = in[f] * env[f];
    }
}

/* ---- effects ------------------------------------------------------------------------------ */

static void run_effect(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    float sr = (float)p->sample_rate;
    int n = eb->frames;
    unsigned char *st = g->state;
    const float *inl = inb(p, g, 0, 0), *inr = inb(p, g, 0, 1);
    int stereo_in = p->nodes[g->in[0]].nch == 2;
    switch (g->kind) {
    case N_DELAY: {
        size_t one = FX_STRIDE(sizeof(struct dsp_delay), dsp_delay_size(10, sr));
        for (int ch = 0; ch < g->nch; ch++)
            dsp_delay_process((struct dsp_delay *)(st + ch * one), inb(p, g, 0, ch), g->out[ch],
                              inb(p, g, 1, 0), inb(p, g, 2, 0), inb(p, g, 3, 0), n);
        break;
    }
    case N_CHORUS: {
        size_t one = FX_STRIDE(sizeof(struct dsp_chorus), dsp_chorus_size(sr));
        for (int ch = 0; ch < g->nch; ch++)
            dsp_chorus_process((struct dsp_chorus *)(st + ch * one), inb(p, g, 0, ch), g->out[ch],
                               inb(p, g, 1, 0), inb(p, g, 2, 0), inb(p, g, 3, 0), n);
        break;
    }
    case N_DISTORT:
        for (int ch = 0; ch < g->nch; ch++)
            dsp_distort_process(inb(p, g, 0, ch), g->out[ch], inb(p, g, 1, 0), inb(p, g, 2, 0), n);
        break;
    case N_BITCRUSH:
        for (int ch = 0; ch < g->nch; ch++)
            dsp_bitcrush_process((struct dsp_bitcrush *)st + ch, inb(p, g, 0, ch), g->out[ch],
                                 inb(p, g, 1, 0), inb(p, g, 2, 0), n);
        break;
    case N_REVERB: {
        struct dsp_reverb *r = (struct dsp_reverb *)st;
        dsp_reverb_process(r, inl, stereo_in ? inr : NULL, g->out[0], g->out[1], inb(p, g, 1, 0),
                           inb(p, g, 2, 0), inb(p, g, 3, 0), n);
        break;
    }
    case N_PLATE: {
        struct dsp_plate *r = (struct dsp_plate *)st;
        dsp_plate_process(r, inl, stereo_in ? inr : NULL, g->out[0], g->out[1], inb(p, g, 1, 0),
                          inb(p, g, 2, 0), inb(p, g, 3, 0), inb(p, g, 4, 0), inb(p, g, 5, 0),
                          inb(p, g, 6, 0), n);
        break;
    }
    case N_COMPRESS:
        dsp_compress_process((struct dsp_compress *)st, inl, g->nch == 2 ? inr : NULL, g->out[0],
                             g->nch == 2 ? g->out[1] : NULL, inb(p, g, 1, 0), inb(p, g, 2, 0), inb(p, g, 3, 0),
                             inb(p, g, 4, 0), inb(p, g, 5, 0), n);
        break;
    case N_LIMIT: {
        struct dsp_limit *l = (struct dsp_limit *)st;
        dsp_limit_process(l, inl, g->nch == 2 ? inr : NULL, g->out[0], g->nch == 2 ? g->out[1] : NULL,
                          inb(p, g, 1, 0), n);
        break;
    }
    default:
        break;
    }
}

/* issue 13: an op of dsp_more.c, once per channel with its own state (a
 * stereo op once, reading both input channels). */
static void run_more(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    int flags = dsp_more_flags(g->op), k = flags & DSP_MORE_GEN ? 0 : 1;
    size_t one = dsp_more_size(g->op, (float)p->sample_rate);
    struct dsp_more_io io = { .n = eb->frames, .sr = (float)p->sample_rate, .cycle0 = eb->cycle0,
                              .frames_per_cycle = eb->frames_per_cycle };
    for (int ch = 0; ch < (flags & DSP_MORE_ST ? 1 : g->nch); ch++) {
        if (k) {
            io.x[0] = inb(p, g, 0, ch);
            io.x[1] = inb(p, g, 0, 1);
        }
        for (int i = 0; i < DSP_MORE_MAX_P; i++)
            io.p[i] = k + i < g->nin ? inb(p, g, k + i, ch) : NULL;
        io.y[0] = g->out[ch];
        io.y[1] = g->out[1];
        dsp_more_process(g->op, (unsigned char *)g->state + (size_t)ch * one, &io);
    }
}

/* issue 13: wavetable and convolve (dsp_wavconv.c), their tables in g->data */
static void run_wavconv(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    float sr = (float)p->sample_rate;
    for (int ch = 0; ch < g->nch; ch++) {
        if (g->kind == N_WAVETABLE) {
            dsp_wavetable_process(g->data, (float *)g->state + ch, inb(p, g, 0, ch), g->out[ch], eb->frames, sr);
        } else {
            void *st = (unsigned char *)g->state + (size_t)ch * dsp_conv_size(g->data);
            dsp_conv_process(g->data, ch, st, inb(p, g, 0, ch), inb(p, g, 1, ch), g->out[ch], eb->frames, sr);
        }
    }
}

static void run_pan(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    const struct gnode *src = &p->nodes[g->in[0]];
    const float *pan = inb(p, g, 1, 0);
    for (int f = 0; f < eb->frames; f++) {
        float l, r;
        dsp_pan_gains(pan[f], &l, &r);
        if (src->nch == 1) {
            float x = src->out[0][f];
            g->out[0][f] = x * l;
            g->out[1][f] = x * r;
        } else {
            g->out[0][f] = src->out[0][f] * l * 1.41421356f;
            g->out[1][f] = src->out[1][f] * r * 1.41421356f;
        }
    }
}

static void run_math(const struct program *p, struct gnode *g, const struct graph_block *eb)
{
    for (int ch = 0; ch < g->nch; ch++) {
        const float *a = inb(p, g, 0, ch), *b = g->nin > 1 ? inb(p, g, 1, ch) : NULL;
        const float *c = g->nin > 2 ? inb(p, g, 2, ch) : NULL;
        float *out = g->out[ch];
        int n = eb->frames;
        switch (g->op) {
        case M_ADD: for (int f = 0; f < n; f++) out[f] = a[f] + b[f]; break;
        case M_SUB: for (int f = 0; f < n; f++) out[f] = a[f] - b[f]; break;
        case M_MUL: for (int f = 0; f < n; f++) out[f] = a[f] * b[f]; break;
        case M_DIV: for (int f = 0; f < n; f++) out[f] = b[f] != 0 ? a[f] / b[f] : 0; break;
        case M_MIN: for (int f = 0; f < n; f++) out[f] = dsp_minf(a[f], b[f]); break;
        case M_MAX: for (int f = 0; f < n; f++) out[f] = dsp_maxf(a[f], b[f]); break;
        case M_CLIP: for (int f = 0; f < n; f++) out[f] = dsp_clampf(a[f], b[f], c[f]); break;
        case M_MTOF: for (int f = 0; f < n; f++) out[f] = dsp_mtof(a[f]); break;
        default: for (int f = 0; f < n; f++) out[f] = a[f]; break;
        }
    }
}

void graph_run_node(struct program *p, int i, const struct graph_block *eb)
{
    struct gnode *g = &p->nodes[i];
    int n = eb->frames;
    switch (g->kind) {
    case N_CONST:
    case N_PLAYER:
    case N_VOICESUM:
        return;                     /* constant, or filled by the voices */
    case N_PATPARAM:
        if (g->op == PATPARAM_GATE)
            run_patgate(p, g, eb);
        else
            run_patparam(p, g, eb);
        return;
    case N_OSC: run_osc(p, g, eb); break;
    case N_FILTER: run_filter(p, g, eb); break;
    case N_ENV: run_env(p, g, eb); break;
    case N_PAN: run_pan(p, g, eb); break;
    case N_MATH: run_math(p, g, eb); break;
    case N_MORE: run_more(p, g, eb); break;
    case N_WAVETABLE: case N_CONVOLVE: run_wavconv(p, g, eb); break;
    case N_FEEDBACK: {
        const struct gnode *src = g->aux >= 0 ? &p->nodes[g->aux] : NULL;
        for (int ch = 0; ch < 2; ch++) {
            if (src && src->prev[0])
                memcpy(g->out[ch], src->prev[src->nch == 2 ? ch : 0], sizeof(float) * (size_t)n);
            else
                memset(g->out[ch], 0, sizeof(float) * (size_t)n);
        }
        return;
    }
    case N_MIX:
        for (int ch = 0; ch < 2; ch++) {
            float *out = g->out[ch];
            memcpy(out, inb(p, g, 0, ch), sizeof(float) * (size_t)n);
            for (int k = 1; k < g->nin; k++) {
                const float *x = inb(p, g, k, ch);
                for (int f = 0; f < n; f++)
                    out[f] += x[f];
            }
        }
        return;
    default:
        run_effect(p, g, eb);
        break;
    }
    /* NaN/Inf guard: a node that produced one is reset and silenced, so
     * nothing bad reaches its state, the next nodes or the output */
    float probe = 0;
    for (int ch = 0; ch < g->nch; ch++)
        for (int f = 0; f < n; f++)
            probe += g->out[ch][f] * 0.0f;
    if (probe != probe) {
        gnode_reset(g);
        for (int ch = 0; ch < g->nch; ch++)
            memset(g->out[ch], 0, sizeof(float) * (size_t)n);
        count(eb->nan_resets);
    }
}
