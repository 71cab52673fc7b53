/* cli_profile.c -- `phonon profile FILE.ph`: how close to real time it runs.
 *
 * Renders with the real-time engine (the same code as `live`, the same
 * thread pool) as fast as it goes, timing every block with the monotonic
 * clock, and reports the distribution of block times against the budget
 * block / sample_rate: P50, P95, P99, P99.9 and max, the real-time factor,
 * voices, each thread's utilisation, the SIMD kernel in use and a verdict.
 *
 * --capacity grows the load until P99 no longer fits the budget: every
 * player's pattern is sped up by a density factor k (k = 1, 2, 4 ... then
 * bisection), the voice pool grown as needed, and the largest load that fits
 * is reported as the mean number of sounding voices (capacity_voices). Other
 * processes and the hypervisor only ever add time, so a load whose P99
 * misses the budget is measured once more and the better kept; one that
 * misses by a wide margin (twice what the last load that fitted predicts,
 * the cost growing with k) or while the hypervisor stole CPU time is
 * measured up to CAP_TRIES times, and so is the base load (k = 1): one
 * preempted worker must not end the search, nor report 0 for a base load
 * that fits. The search itself (capacity_search) takes the measurement as a
 * callback, so tests/test_profile.c drives it with made-up trials.
 *
 * The CPU time the hypervisor stole from this machine (/proc/stat's steal
 * ticks, as tests/live/lib.sh reads them) during the run and during the
 * search is reported with the results: a sign that they were disturbed.
 *
 * Thread context: the main thread, in the audio thread's role (the engine's
 * pool helps it as it helps the audio thread of `live`).
 */
#include "cli.h"
#include "engine.h"
#include "graph.h"
#include "phonon.h"
#include "pool.h"
#include "sample.h"
#include "voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char usage[] = "FILE.ph [options]\n\n"
    "Time the real-time engine block by block on FILE (default: 20 s of audio) and\n"
    "report block times (P50/P95/P99/P99.9/max) against the block's duration.";

struct run {
    int nblocks;
    double *ms;                     /* per block */
    int *voices;                    /* per block, after it */
    double wall_s, audio_s;
    double p50, p95, p99, p999, max;
    double voices_mean;
    int voices_peak;
    long stolen;
    double compile_ms;
    int threads;
    double util[64];
    long nan_resets, limit_events;
    long steal;                     /* ticks the hypervisor stole during it; -1 unknown */
};

/* CPU time the hypervisor took from this machine so far, in clock ticks
 * (/proc/stat, the first line's eighth number); -1 where unknown. */
static long steal_ticks(void)
{
    FILE *f = fopen("/proc/stat", "r");
    if (!f)
        return -1;
    long v[8];
    int n = fscanf(f, "cpu %ld %ld %ld %ld %ld %ld %ld %ld", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
    fclose(f);
    return n == 8 ? v[7] : -1;
}

/* qsort order of doubles. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-th percentile (0..100) of sorted[0 .. n), interpolated. */
static double pct(const double *sorted, int n, double p)
{
    if (n == 0)
        return 0;
    double idx = p / 100.0 * (n - 1);
    int i = (int)idx;
    double f = idx - i;
    return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/* Block times in bins equal parts of [0, top] (the last bin takes the
 * rest); returns the largest count (at least 1). */
static int bin_times(const struct run *r, double top, int *count, int bins)
{
    int most = 1;
    for (int b = 0; b < bins; b++)
        count[b] = 0;
    for (int i = 0; i < r->nblocks; i++) {
        int b = (int)(r->ms[i] / top * bins);
        if (b >= bins)
            b = bins - 1;
        if (++count[b] > most)
            most = count[b];
    }
    return most;
}

/* The text histogram of block times, the budget marked. */
static void histogram(const struct run *r, double budget)
{
    enum { BINS = 12, WIDTH = 40 };
    double top = r->max > budget ? r->max : budget;
    int count[BINS], most = bin_times(r, top, count, BINS);
    fprintf(stdout, "\nblock time histogram (ms; | marks the budget %.2f ms):\n", budget);
    for (int b = 0; b < BINS; b++) {
        double lo = top * b / BINS, hi = top * (b + 1) / BINS;
        int bar = count[b] ? 1 + (count[b] - 1) * (WIDTH - 1) / most : 0;
        fprintf(stdout, "  %7.3f-%-7.3f %c %-*.*s %d\n", lo, hi, lo <= budget && budget < hi ? '|' : ' ', WIDTH,
                bar, "########################################", count[b]);
    }
}

/* ---- --svg ------------------------------------------------------------------
 * Three panels with axes: the block-time histogram on a log count scale (so
 * the slow tail's few blocks show) with the budget and the P50/P95/P99/
 * P99.9 lines, block time over the run (seconds of audio) with the same
 * lines, and the sounding voices over the run. */

enum { SVG_W = 860, SVG_PANEL_H = 240, SVG_LEFT = 64, SVG_RIGHT = 24, SVG_TOP = 28, SVG_BOTTOM = 40 };

/* A 1-2-5 step giving about `want` ticks over span. */
static double nice_step(double span, int want)
{
    double raw = span / want, mag = pow(10, floor(log10(raw > 0 ? raw : 1)));
    double m = raw / mag;
    return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * mag;
}

/* One panel's frame: the box, the x axis ticks (linear) and the y axis
 * ticks (linear, or powers of ten with logy), the axis titles. y0 is the
 * panel's top. */
static void svg_axes(FILE *f, int y0, double xmax, double ymax, int logy, const char *xtitle, const char *ytitle,
                     const char *title)
{
    int x0 = SVG_LEFT, w = SVG_W - SVG_LEFT - SVG_RIGHT, h = SVG_PANEL_H - SVG_TOP - SVG_BOTTOM, yb = y0 + SVG_TOP + h;
    fprintf(f, "<g class='axis'>\n<text x='%d' y='%d' font-weight='bold'>%s</text>\n", x0, y0 + 18, title);
    fprintf(f, "<rect x='%d' y='%d' width='%d' height='%d' fill='none' stroke='#444'/>\n", x0, y0 + SVG_TOP, w, h);
    double step = nice_step(xmax, 8);
    for (double t = 0; t <= xmax * 1.0001; t += step) {
        double x = x0 + w * t / xmax;
        fprintf(f, "<line x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='#444'/><text class='xtick' x='%.1f' y='%d' "
                   "text-anchor='middle'>%g</text>\n", x, x, yb, yb + 4, x, yb + 16, t);
    }
    if (logy) {
        for (double v = 1; v <= ymax * 1.0001; v *= 10) {
            double y = yb - h * log10(v + 1) / log10(ymax + 1);
            fprintf(f, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#444'/><text class='ytick' x='%d' y='%.1f' "
                       "text-anchor='end'>%g</text>\n", x0 - 4, x0, y, y, x0 - 6, y + 4, v);
        }
    } else {
        double ys = nice_step(ymax, 5);
        for (double v = 0; v <= ymax * 1.0001; v += ys) {
            double y = yb - h * v / ymax;
            fprintf(f, "<line x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='#444'/><text class='ytick' x='%d' y='%.1f' "
                       "text-anchor='end'>%g</text>\n", x0 - 4, x0, y, y, x0 - 6, y + 4, v);
        }
    }
    fprintf(f, "<text x='%d' y='%d' text-anchor='middle'>%s</text>\n", x0 + w / 2, yb + 32, xtitle);
    fprintf(f, "<text x='14' y='%d' text-anchor='middle' transform='rotate(-90 14 %d)'>%s</text>\n</g>\n",
            y0 + SVG_TOP + h / 2, y0 + SVG_TOP + h / 2, ytitle);
}

/* The budget (red) and the percentiles (dashed) as vertical lines at their
 * ms on an x axis up to top (vertical 0) or horizontal ones on a y axis. */
static void svg_marks(FILE *f, const struct run *r, double budget, int y0, double top, int vertical)
{
    const struct { const char *name; double ms; const char *colour; } m[] = {
        { "budget", budget, "red" }, { "P50", r->p50, "#888" }, { "P95", r->p95, "#c80" },
        { "P99", r->p99, "#a0a" }, { "P99.9", r->p999, "#08a" },
    };
    int x0 = SVG_LEFT, w = SVG_W - SVG_LEFT - SVG_RIGHT, h = SVG_PANEL_H - SVG_TOP - SVG_BOTTOM, yt = y0 + SVG_TOP;
    for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
        const char *dash = i ? " stroke-dasharray='4 3'" : "";
        if (vertical) {
            double x = x0 + w * m[i].ms / top;
            fprintf(f, "<line class='pct' data-name='%s' x1='%.1f' x2='%.1f' y1='%d' y2='%d' stroke='%s'%s/>"
                       "<text x='%.1f' y='%d' fill='%s' font-size='10'>%s %.3g</text>\n", m[i].name, x, x, yt, yt + h,
                    m[i].colour, dash, x + 2, yt + 10 + 11 * (int)i, m[i].colour, m[i].name, m[i].ms);
        } else {
            double y = yt + h - h * m[i].ms / top;
            fprintf(f, "<line class='pct' data-name='%s' x1='%d' x2='%d' y1='%.1f' y2='%.1f' stroke='%s'%s/>"
                       "<text x='%d' y='%.1f' fill='%s' font-size='10' text-anchor='end'>%s</text>\n", m[i].name, x0,
                    x0 + w, y, y, m[i].colour, dash, x0 + w - 2, y - 2, m[i].colour, m[i].name);
        }
    }
}

/* --svg: the three panels. */
static int write_svg(const char *path, const struct run *r, double budget)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int x0 = SVG_LEFT, w = SVG_W - SVG_LEFT - SVG_RIGHT, h = SVG_PANEL_H - SVG_TOP - SVG_BOTTOM;
    double top = (r->max > budget ? r->max : budget) * 1.05, secs = r->audio_s > 0 ? r->audio_s : 1;
    fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' "
               "font-size='11'>\n<rect width='100%%' height='100%%' fill='white'/>\n", SVG_W, 3 * SVG_PANEL_H);
    /* 1: histogram, log counts */
    enum { BINS = 60 };
    int count[BINS], most = bin_times(r, top, count, BINS);
    char title[160];
    snprintf(title, sizeof title, "block time histogram: %d blocks (log count)", r->nblocks);
    svg_axes(f, 0, top, most, 1, "block time (ms)", "blocks", title);
    for (int b = 0; b < BINS; b++) {
        double bh = count[b] ? h * log10(count[b] + 1) / log10(most + 1) : 0;
        fprintf(f, "<rect class='bar' x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='steelblue'/>\n",
                x0 + (double)w * b / BINS, SVG_TOP + h - bh, (double)w / BINS - 1, bh);
    }
    svg_marks(f, r, budget, 0, top, 1);
    /* 2: block time over the run */
    svg_axes(f, SVG_PANEL_H, secs, top, 0, "audio time (s)", "block time (ms)", "block time over the run");
    fputs("<polyline class='blocktime' fill='none' stroke='steelblue' stroke-width='0.8' points='", f);
    for (int i = 0; i < r->nblocks; i++)
        fprintf(f, "%.1f,%.1f ", x0 + (double)w * i / (r->nblocks > 1 ? r->nblocks - 1 : 1),
                SVG_PANEL_H + SVG_TOP + h - h * r->ms[i] / top);
    fputs("'/>\n", f);
    svg_marks(f, r, budget, SVG_PANEL_H, top, 0);
    /* 3: voices over the run */
    int vmax = 1;
    for (int i = 0; i < r->nblocks; i++)
        vmax = r->voices[i] > vmax ? r->voices[i] : vmax;
    snprintf(title, sizeof title, "sounding voices (peak %d)", vmax);
    svg_axes(f, 2 * SVG_PANEL_H, secs, vmax, 0, "audio time (s)", "voices", title);
    fputs("<polyline class='voices' fill='none' stroke='darkgreen' points='", f);
    for (int i = 0; i < r->nblocks; i++)
        fprintf(f, "%.1f,%.1f ", x0 + (double)w * i / (r->nblocks > 1 ? r->nblocks - 1 : 1),
                2 * SVG_PANEL_H + SVG_TOP + h - (double)h * r->voices[i] / vmax);
    fputs("'/>\n</svg>\n", f);
    return fclose(f) ? -1 : 0;
}

struct prof_opts {
    struct cli_engine_opts eo;
    double cycles, duration;
    int json, capacity;
    const char *svg;
    const char *path;               /* FILE */
    char *src;                      /* its text */
    size_t len;
    struct sample_bank *bank;
    double seconds;                 /* of audio per run */
    double budget;                  /* ms per block */
};

/* An engine playing FILE compiled at density k, with a pool of `voices`;
 * r->compile_ms set. NULL after printing why, with *rc the exit code. */
static struct engine *start_engine(const struct prof_opts *po, double k, int voices, struct run *r, int *rc)
{
    struct cli_compile_opts co = { .sample_rate = (int)po->eo.sample_rate, .block = (int)po->eo.block,
                                   .bank = po->bank, .allow_missing = po->eo.allow_missing,
                                   .quiet = po->eo.quiet || k != 1, .density = k };
    struct program *prog;
    int64_t t0 = phonon_mono_ns();
    if ((*rc = cli_compile("profile", po->path, po->src, po->len, &co, &prog)))
        return NULL;
    r->compile_ms = (double)(phonon_mono_ns() - t0) / 1e6;
    struct engine_opts eo = { .sample_rate = (int)po->eo.sample_rate, .block = (int)po->eo.block,
                              .threads = (int)po->eo.threads, .voices = voices, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    if (!e) {
        program_free(prog);
        *rc = cli_fail("profile", PHONON_EXIT_SOFTWARE, "out of memory starting the engine");
        return NULL;
    }
    engine_publish(e, prog);
    return e;
}

/* Render r->nblocks blocks after a warm-up, timing each and counting the
 * voices after it; the pool's and the voices' statistics start after the
 * warm-up. */
static void time_blocks(struct engine *e, const struct prof_opts *po, float *buf, struct run *r)
{
    enum { WARM = 8 };
    int block = (int)po->eo.block;
    for (int i = 0; i < WARM; i++)
        engine_render(e, buf, block);
    pool_stats_reset(engine_pool(e));
    voice_reset_peak(engine_voices(e));
    int64_t start = phonon_mono_ns();
    double vsum = 0;
    for (int i = 0; i < r->nblocks; i++) {
        int64_t a = phonon_mono_ns();
        engine_render(e, buf, block);
        int64_t b = phonon_mono_ns();
        r->ms[i] = (double)(b - a) / 1e6;
        struct engine_stats st;
        engine_get_stats(e, &st);
        r->voices[i] = st.voices;
        vsum += st.voices;
    }
    r->wall_s = (double)(phonon_mono_ns() - start) / 1e9;
    r->audio_s = (double)r->nblocks * (double)block / (double)po->eo.sample_rate;
    r->voices_mean = vsum / r->nblocks;
}

/* The run's totals from the engine, the threads' utilisation and the
 * percentiles of its block times. */
static void summarise(struct engine *e, struct run *r)
{
    int n = r->nblocks;
    struct engine_stats st;
    engine_get_stats(e, &st);
    r->voices_peak = st.voices_peak;
    r->stolen = st.voices_stolen;
    r->nan_resets = st.nan_resets;
    r->limit_events = st.limit_events;
    struct pool *pool = engine_pool(e);
    r->threads = pool_nthreads(pool);
    for (int t = 0; t < r->threads && t < 64; t++) {
        struct pool_thread_stats ts;
        pool_thread_stats_read(pool, t, &ts);
        r->util[t] = r->wall_s > 0 ? (double)ts.busy_ns / 1e9 / r->wall_s : 0;
    }
    double *sorted = malloc(sizeof *sorted * (size_t)n);
    if (sorted) {
        memcpy(sorted, r->ms, sizeof *sorted * (size_t)n);
        qsort(sorted, (size_t)n, sizeof *sorted, cmp_double);
        r->p50 = pct(sorted, n, 50);
        r->p95 = pct(sorted, n, 95);
        r->p99 = pct(sorted, n, 99);
        r->p999 = pct(sorted, n, 99.9);
        r->max = sorted[n - 1];
        free(sorted);
    }
}

/* Compile at density k and render; fills r, r->steal measured around it.
 * Returns 0 or an exit code. */
static int profile_once(const struct prof_opts *po, double k, int voices, struct run *r)
{
    memset(r, 0, sizeof *r);
    long s0 = steal_ticks();
    int rc;
    struct engine *e = start_engine(po, k, voices, r, &rc);
    if (!e)
        return rc;
    int n = (int)ceil(po->seconds * (double)po->eo.sample_rate / (double)po->eo.block);
    r->nblocks = n < 1 ? 1 : n;
    r->ms = malloc(sizeof *r->ms * (size_t)r->nblocks);
    r->voices = malloc(sizeof *r->voices * (size_t)r->nblocks);
    float *buf = malloc(sizeof(float) * 2 * (size_t)po->eo.block);
    if (!r->ms || !r->voices || !buf) {
        free(buf);
        engine_free(e);
        return cli_fail("profile", PHONON_EXIT_SOFTWARE, "out of memory");
    }
    time_blocks(e, po, buf, r);
    summarise(e, r);
    free(buf);
    engine_free(e);
    long s1 = steal_ticks();
    r->steal = s0 >= 0 && s1 >= 0 ? s1 - s0 : -1;
    return 0;
}

/* Free a run's per-block arrays (its other fields stay). */
static void free_run(struct run *r)
{
    free(r->ms);
    free(r->voices);
    r->ms = NULL;
    r->voices = NULL;
}

/* ---- the capacity search ------------------------------------------------------ */

enum {
    CAP_TRIES = 4,                  /* measurements of a load at most */
    CAP_STEAL_TICKS = 10,           /* stolen during a trial: it was disturbed (0.1 s) */
    CAP_POOL_MAX = PHONON_MAX_VOICES,
};

struct cap_trial {                  /* one measurement of one load */
    double p99;                     /* ms */
    double voices_mean;
    int voices_peak;
    long steal;                     /* ticks stolen during it; -1 unknown */
};

/* Measure the load at density k with a pool of `pool` voices: 0, or an
 * exit code that ends the search. */
typedef int (*cap_trial_fn)(void *ctx, double k, int pool, struct cap_trial *t);

struct cap_search {
    double budget;                  /* ms */
    int pool;                       /* the voice pool to start with */
    cap_trial_fn trial;
    void *ctx;
};

/* What --capacity found: the largest load whose P99 fits the budget. */
struct cap_result {
    double k, voices, p99;          /* density, mean sounding voices, its P99; voices 0 when none fitted */
    int pool;
    int trials, retries;            /* measurements made; how many were repeats */
    long steal;                     /* ticks stolen during the trials; -1 unknown */
};

/* The pool doubled, up to CAP_POOL_MAX. */
static int grow_pool(int pool)
{
    return pool * 2 > CAP_POOL_MAX ? CAP_POOL_MAX : pool * 2;
}

/* Measure one load into *best (the measurement with the lowest P99): once
 * when it fits; when it misses, once more, and up to CAP_TRIES times when
 * the miss is wide -- P99 above twice `expect`, what the last load that fitted
 * predicts (expect 0: no prediction, every miss is wide) -- or the
 * hypervisor stole CPU time during the trial. `first`, when given, is a
 * measurement already made. */
static int cap_measure(const struct cap_search *cs, double k, int pool, double expect, const struct cap_trial *first,
                       struct cap_trial *best, struct cap_result *res)
{
    for (int n = 0; n < CAP_TRIES; n++) {
        struct cap_trial t = { 0 };
        if (n == 0 && first) {
            t = *first;
        } else {
            int rc = cs->trial(cs->ctx, k, pool, &t);
            if (rc)
                return rc;
        }
        res->trials++;
        res->retries += n > 0;
        if (t.steal >= 0)
            res->steal = (res->steal > 0 ? res->steal : 0) + t.steal;
        if (n == 0 || t.p99 < best->p99)
            *best = t;
        if (best->p99 <= cs->budget)
            break;
        int wide = expect <= 0 || best->p99 > 2 * expect;
        if (n >= 1 && !wide && t.steal <= CAP_STEAL_TICKS)
            break;
    }
    return 0;
}

/* Where the search stands: the largest density that fitted (and its P99),
 * the smallest that missed (0: none yet), the pool, the last measurement. */
struct cap_state {
    double good, good_p99, bad;
    int pool;
    struct cap_trial t;
};

/* Measure density k from where the search stands (the miss judged against
 * what the last fit predicts). */
static int cap_step(const struct cap_search *cs, struct cap_state *s, double k, struct cap_result *res)
{
    return cap_measure(cs, k, s->pool, s->good_p99 * k / s->good, NULL, &s->t, res);
}

/* Density k fitted with the pool in s: the result so far. */
static void cap_fits(struct cap_state *s, double k, struct cap_result *res)
{
    s->good = k, s->good_p99 = s->t.p99;
    res->k = k, res->voices = s->t.voices_mean, res->p99 = s->t.p99, res->pool = s->pool;
}

/* Double the density until P99 leaves the budget, then bisect (6 steps);
 * the pool grows when a load (nearly) fills it. `base`, when given, is the
 * measurement of k = 1 already made. Fills *res; returns 0 or the trial's
 * exit code. */
static int capacity_search(const struct cap_search *cs, const struct cap_trial *base, struct cap_result *res)
{
    *res = (struct cap_result){ .k = 1, .pool = cs->pool, .steal = -1 };
    struct cap_state s = { .good = 1, .pool = cs->pool };
    int rc;
    if ((rc = cap_measure(cs, 1, s.pool, 0, base, &s.t, res)))
        return rc;
    res->p99 = s.good_p99 = s.t.p99;
    if (s.t.p99 > cs->budget)
        return 0;                               /* the base load does not fit: 0 voices */
    res->voices = s.t.voices_mean;
    double k = 1;
    while (s.bad == 0 && k < 1 << 16) {
        k *= 2;
        if (s.t.voices_peak >= s.pool * 9 / 10 && s.pool < CAP_POOL_MAX)
            s.pool = grow_pool(s.pool);
        if ((rc = cap_step(cs, &s, k, res)))
            return rc;
        if (s.t.voices_peak >= s.pool && s.pool < CAP_POOL_MAX) {
            s.pool = grow_pool(s.pool);
            k /= 2;                             /* the pool was full: try again bigger */
        } else if (s.t.p99 <= cs->budget) {
            cap_fits(&s, k, res);
        } else {
            s.bad = k;
        }
    }
    for (int i = 0; i < 6 && s.bad > 0; i++) {
        k = (s.good + s.bad) / 2;
        if ((rc = cap_step(cs, &s, k, res)))
            return rc;
        if (s.t.p99 <= cs->budget && s.t.voices_peak < s.pool)
            cap_fits(&s, k, res);
        else
            s.bad = k;
    }
    return 0;
}

/* The real trial: profile_once at density k, with the steal it measured;
 * said on stderr when verbose. */
struct cap_ctx {
    const struct prof_opts *po;
    int verbose;
    double last_k;
};

static int cap_trial_profile(void *ctx, double k, int pool, struct cap_trial *t)
{
    struct cap_ctx *c = ctx;
    struct run r;
    int rc = profile_once(c->po, k, pool, &r);
    if (!rc) {
        *t = (struct cap_trial){ .p99 = r.p99, .voices_mean = r.voices_mean, .voices_peak = r.voices_peak,
                                 .steal = r.steal };
        if (c->verbose)
            fprintf(stderr, "capacity: density %g%s: P99 %.3f ms, %.0f voices, steal %ld ticks\n", k,
                    k == c->last_k ? " (again)" : "", t->p99, t->voices_mean, t->steal);
        c->last_k = k;
    }
    free_run(&r);
    return rc;
}

/* --capacity: the search from the run r at density 1 (its first trial). */
static int profile_capacity(const struct prof_opts *po, const struct run *r, struct cap_result *cap)
{
    struct cap_ctx cc = { .po = po, .verbose = !po->eo.quiet && !po->json, .last_k = 1 };
    struct cap_search cs = { .budget = po->budget, .pool = (int)po->eo.voices, .trial = cap_trial_profile, .ctx = &cc };
    struct cap_trial base = { .p99 = r->p99, .voices_mean = r->voices_mean, .voices_peak = r->voices_peak,
                              .steal = r->steal };
    return capacity_search(&cs, &base, cap);
}

/* --json: one object (../spec/CLI.md lists the keys). */
static void report_json(const struct prof_opts *po, const struct run *best, const struct cap_result *cap,
                        double rtf, const char *verdict)
{
    printf("{\"file\":");
    cli_json_string(stdout, po->path);
    printf(",\"blocks\":%d,\"block_frames\":%ld,\"sample_rate\":%ld,\"budget_ms\":%.4f,"
           "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f,\"max_ms\":%.4f,"
           "\"realtime_factor\":%.2f,\"voices_mean\":%.1f,\"voices_peak\":%d,\"voices_stolen\":%ld,"
           "\"threads\":%d,\"simd\":\"%s\",\"compile_ms\":%.3f,\"steal_ticks\":%ld,\"utilisation\":[",
           best->nblocks, po->eo.block, po->eo.sample_rate, po->budget, best->p50, best->p95, best->p99,
           best->p999, best->max, rtf, best->voices_mean, best->voices_peak, best->stolen, best->threads,
           voice_kernel_name(), best->compile_ms, best->steal);
    for (int t = 0; t < best->threads && t < 64; t++)
        printf("%s%.3f", t ? "," : "", best->util[t]);
    printf("],\"verdict\":\"%s\"", verdict);
    if (po->capacity)
        printf(",\"capacity_voices\":%.0f,\"capacity_p99_ms\":%.4f,\"capacity_density\":%g,"
               "\"capacity_trials\":%d,\"capacity_retries\":%d,\"capacity_steal_ticks\":%ld",
               cap->voices, cap->p99, cap->k, cap->trials, cap->retries, cap->steal);
    printf("}\n");
}

/* The text report, with the histogram. */
static void report_text(const struct prof_opts *po, const struct run *best, const struct cap_result *cap,
                        double rtf, const char *verdict)
{
    double budget = po->budget;
    printf("%s: %d blocks of %ld frames at %ld Hz (budget %.3f ms per block)\n", po->path, best->nblocks,
           po->eo.block, po->eo.sample_rate, budget);
    printf("compile      %.2f ms\n", best->compile_ms);
    printf("block time   P50 %.3f ms (%.1f%%)  P95 %.3f ms (%.1f%%)  P99 %.3f ms (%.1f%%)\n", best->p50,
           100 * best->p50 / budget, best->p95, 100 * best->p95 / budget, best->p99, 100 * best->p99 / budget);
    printf("             P99.9 %.3f ms (%.1f%%)  max %.3f ms (%.1f%%)\n", best->p999, 100 * best->p999 / budget,
           best->max, 100 * best->max / budget);
    printf("real time    %.1fx (%.2f s of audio in %.2f s)\n", rtf, best->audio_s, best->wall_s);
    printf("voices       mean %.1f  peak %d  stolen %ld\n", best->voices_mean, best->voices_peak, best->stolen);
    printf("threads      %d:", best->threads);
    for (int t = 0; t < best->threads && t < 64; t++)
        printf(" %s%.0f%%", t ? "" : "audio ", 100 * best->util[t]);
    printf("\nsimd         %s\n", voice_kernel_name());
    printf("steal        %ld ticks taken by the hypervisor during the run%s\n", best->steal,
           best->steal < 0 ? " (unknown: no /proc/stat)" : "");
    if (po->capacity)
        printf("capacity     %.0f voices (density %g, P99 %.3f ms; %d trials, %d repeated, steal %ld ticks)\n",
               cap->voices, cap->k, cap->p99, cap->trials, cap->retries, cap->steal);
    printf("verdict      %s\n", verdict);
    histogram(best, budget);
}

/* The report of run r (and of the search), text or JSON, and --svg. */
static int report(const struct prof_opts *po, const struct run *r, const struct cap_result *cap)
{
    double budget = po->budget, rtf = r->wall_s > 0 ? r->audio_s / r->wall_s : 0;
    const char *verdict = r->p99 <= budget * 0.5 ? "real time with room to spare"
                        : r->p99 <= budget ? "real time, but close to the budget"
                        : r->p50 <= budget ? "NOT real time: the slowest blocks miss the budget (expect xruns)"
                                           : "NOT real time: most blocks miss the budget";
    if (po->json)
        report_json(po, r, cap, rtf, verdict);
    else
        report_text(po, r, cap, rtf, verdict);
    if (po->svg && write_svg(po->svg, r, budget))
        return cli_fail("profile", PHONON_EXIT_CANTCREAT, "cannot write %s", po->svg);
    return 0;
}

/* The operand and options checked, FILE read, the bank opened, the length
 * of a run known (cycles need the tempo: FILE compiled once to learn it).
 * 0 or an exit code. */
static int profile_prepare(struct prof_opts *po, const char **ops, int nops)
{
    if (nops != 1)
        return cli_fail("profile", PHONON_EXIT_USAGE, "expected FILE.ph (try 'phonon profile --help')");
    int rc = cli_engine_check("profile", &po->eo, 0);
    if (rc || (rc = cli_length_check("profile", po->cycles, po->duration, 0)))
        return rc;
    po->path = ops[0];
    if ((rc = cli_read_file("profile", po->path, &po->src, &po->len)))
        return rc;
    cli_block_from_source(&po->eo, po->src, po->len, po->path);
    if (!(po->bank = cli_bank("profile", &po->eo.samples, (int)po->eo.sample_rate, po->eo.sample_mem, &rc)))
        return rc;
    po->seconds = 20;
    po->budget = 1000.0 * (double)po->eo.block / (double)po->eo.sample_rate;
    if (po->duration > 0) {
        po->seconds = po->duration;
    } else if (po->cycles > 0) {
        struct cli_compile_opts co = { .sample_rate = (int)po->eo.sample_rate, .block = (int)po->eo.block,
                                       .bank = po->bank, .allow_missing = po->eo.allow_missing, .quiet = 1,
                                       .density = 1 };
        struct program *p;
        if ((rc = cli_compile("profile", po->path, po->src, po->len, &co, &p)))
            return rc;
        po->seconds = po->cycles / p->cps;
        program_free(p);
    } else if (po->capacity) {
        po->seconds = 5;                         /* per trial */
    }
    return 0;
}

/* `phonon profile`: options, then prepare, one run, the search, the report. */
int cli_profile(int argc, char **argv)
{
    struct prof_opts po = { .eo = CLI_ENGINE_DEFAULTS(PHONON_DEFAULT_RATE) };
    po.eo.block = CLI_BLOCK_UNSET;  /* none given: the file's buffer: statement, or the default */
    const struct cli_opt opts[] = {
        { .name = "cycles", .type = CLI_DOUBLE, .dest = &po.cycles, .metavar = "N", .help = "profile N cycles" },
        { .name = "duration", .short_name = 'd', .type = CLI_DOUBLE, .dest = &po.duration, .metavar = "SECONDS",
          .help = "profile this much audio (default 20 s)" },
        { .name = "capacity", .type = CLI_FLAG, .dest = &po.capacity,
          .help = "find the most voices that keep P99 within the budget" },
        { .name = "json", .type = CLI_FLAG, .dest = &po.json, .help = "one JSON object instead of text" },
        { .name = "svg", .type = CLI_STRING, .dest = &po.svg, .metavar = "FILE",
          .help = "draw block times (histogram, over time; percentiles) and voices, with axes" },
        CLI_ENGINE_OPTS(&po.eo, CLI_HELP_RATE, CLI_HELP_BLOCK_FILE, "threads, the audio thread included (default: all cores)",
                        "no warnings"),
        { 0 },
    };
    const char **ops = NULL;
    int nops, help, rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    struct run r = { 0 };
    if (!rc && !help && !(rc = profile_prepare(&po, ops, nops)) && !(rc = profile_once(&po, 1, (int)po.eo.voices, &r))) {
        struct cap_result cap = { .k = 1, .voices = r.voices_mean, .p99 = r.p99, .steal = r.steal };
        if (!po.capacity || !(rc = profile_capacity(&po, &r, &cap)))
            rc = report(&po, &r, &cap);
    }
    free_run(&r);
    sample_bank_free(po.bank);
    free(po.src);
    free(ops);
    free(po.eo.samples.items);
    return rc;
}
