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
 * is reported as the mean number of sounding voices (capacity_voices). A
 * load whose P99 misses the budget is measured once more and the better of
 * the two kept: other processes on the machine only ever add time, and one
 * preempted worker must not end the search.
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
};

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

/* The text histogram of block times, the budget marked. */
static void histogram(const struct run *r, double budget)
{
    enum { BINS = 12, WIDTH = 40 };
    double top = r->max > budget ? r->max : budget;
    int count[BINS] = { 0 }, most = 1;
    for (int i = 0; i < r->nblocks; i++) {
        int b = (int)(r->ms[i] / top * BINS);
        if (b >= BINS)
            b = BINS - 1;
        if (++count[b] > most)
            most = count[b];
    }
    fprintf(stdout, "\nblock time histogram (ms; | marks the budget %.2f ms):\n", budget);
    for (int b = 0; b < BINS; b++) {
        double lo = top * b / BINS, hi = top * (b + 1) / BINS;
        int bar = count[b] ? 1 + (count[b] - 1) * (WIDTH - 1) / most : 0;
        fprintf(stdout, "  %7.3f-%-7.3f %c %-*.*s %d\n", lo, hi, lo <= budget && budget < hi ? '|' : ' ', WIDTH,
                bar, "########################################", count[b]);
    }
}

/* --svg: the block-time histogram and the voices over time. */
static int write_svg(const char *path, const struct run *r, double budget)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    const int W = 800, H = 300, pad = 40;
    double top = r->max > budget ? r->max : budget;
    fprintf(f, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='sans-serif' font-size='11'>\n",
            W, 2 * H + 20);
    fprintf(f, "<rect width='100%%' height='100%%' fill='white'/>\n");
    /* histogram of block times */
    enum { BINS = 50 };
    int count[BINS] = { 0 }, most = 1;
    for (int i = 0; i < r->nblocks; i++) {
        int b = (int)(r->ms[i] / top * BINS);
        if (b >= BINS)
            b = BINS - 1;
        if (++count[b] > most)
            most = count[b];
    }
    fprintf(f, "<text x='%d' y='16'>block time (ms), %d blocks; red: budget %.2f ms</text>\n", pad, r->nblocks, budget);
    for (int b = 0; b < BINS; b++) {
        double x = pad + (double)(W - 2 * pad) * b / BINS, w = (double)(W - 2 * pad) / BINS - 1;
        double h = (double)(H - 2 * pad) * count[b] / most;
        fprintf(f, "<rect x='%.1f' y='%.1f' width='%.1f' height='%.1f' fill='steelblue'/>\n", x, H - pad - h, w, h);
    }
    double bx = pad + (double)(W - 2 * pad) * budget / top;
    fprintf(f, "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='red'/>\n", bx, pad, bx, H - pad);
    fprintf(f, "<text x='%d' y='%d'>0</text><text x='%d' y='%d'>%.2f</text>\n", pad, H - pad + 14, W - pad - 20,
            H - pad + 14, top);
    /* voices over time */
    int vmax = 1;
    for (int i = 0; i < r->nblocks; i++)
        if (r->voices[i] > vmax)
            vmax = r->voices[i];
    fprintf(f, "<text x='%d' y='%d'>sounding voices over time (peak %d)</text>\n<polyline fill='none' stroke='darkgreen' points='",
            pad, H + 16, vmax);
    for (int i = 0; i < r->nblocks; i++) {
        double x = pad + (double)(W - 2 * pad) * i / (r->nblocks > 1 ? r->nblocks - 1 : 1);
        double y = 2 * H - pad - (double)(H - 2 * pad) * r->voices[i] / vmax;
        fprintf(f, "%.1f,%.1f ", x, y);
    }
    fprintf(f, "'/>\n</svg>\n");
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

/* Compile at density k and render; fills r. Returns 0 or an exit code. */
static int profile_once(const struct prof_opts *po, double k, int voices, struct run *r)
{
    memset(r, 0, sizeof *r);
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

/* One load of the capacity search: measured again when its P99 misses
 * the budget, keeping the better of the two. */
static int trial(const struct prof_opts *po, double k, int voices, double budget, struct run *t)
{
    int rc = profile_once(po, k, voices, t);
    if (rc || t->p99 <= budget)
        return rc;
    struct run again;
    if ((rc = profile_once(po, k, voices, &again)))
        return rc;
    if (again.p99 < t->p99) {
        free_run(t);
        *t = again;
    } else {
        free_run(&again);
    }
    return 0;
}

/* What --capacity found: the largest load whose P99 fits the budget. */
struct capacity {
    double k, voices, p99;          /* density, mean sounding voices, its P99 */
};

/* The pool doubled, up to PHONON_MAX_VOICES. */
static int grow_pool(int pool)
{
    return pool * 2 > PHONON_MAX_VOICES ? PHONON_MAX_VOICES : pool * 2;
}

/* One trial of the search at density k, said on stderr unless quiet. */
static int capacity_trial(const struct prof_opts *po, double k, int pool, struct run *t)
{
    free_run(t);
    int rc = trial(po, k, pool, po->budget, t);
    if (!rc && !po->eo.quiet && !po->json)
        fprintf(stderr, "capacity: density %g: P99 %.3f ms, %.0f voices\n", k, t->p99, t->voices_mean);
    return rc;
}

/* --capacity: double the density from the run r at density 1 until P99
 * leaves the budget (the pool grown when it fills), then bisect. */
static int capacity_search(const struct prof_opts *po, const struct run *r, struct capacity *cap)
{
    double good = r->p99 <= po->budget ? 1 : 0, bad = 0, k = 1;
    int pool = (int)po->eo.voices, rc = 0;
    struct run t = { 0 };
    while (!rc && good > 0 && bad == 0 && k < 1 << 16) {
        k *= 2;
        if (t.voices_peak >= pool * 9 / 10 && pool < PHONON_MAX_VOICES)
            pool = grow_pool(pool);
        if ((rc = capacity_trial(po, k, pool, &t)))
            break;
        if (t.voices_peak >= pool && pool < PHONON_MAX_VOICES) {
            pool = grow_pool(pool);
            k /= 2;                          /* the pool was full: try again bigger */
            continue;
        }
        if (t.p99 <= po->budget) {
            good = k;
            *cap = (struct capacity){ .k = k, .voices = t.voices_mean, .p99 = t.p99 };
        } else {
            bad = k;
        }
    }
    for (int i = 0; !rc && i < 6 && good > 0 && bad > 0; i++) {
        k = (good + bad) / 2;
        if ((rc = capacity_trial(po, k, pool, &t)))
            break;
        if (t.p99 <= po->budget && t.voices_peak < pool) {
            good = k;
            *cap = (struct capacity){ .k = k, .voices = t.voices_mean, .p99 = t.p99 };
        } else {
            bad = k;
        }
    }
    free_run(&t);
    if (good == 0)
        cap->voices = 0;
    return rc;
}

/* --json: one object (../spec/CLI.md lists the keys). */
static void report_json(const struct prof_opts *po, const struct run *best, const struct capacity *cap,
                        double rtf, const char *verdict)
{
    printf("{\"file\":");
    cli_json_string(stdout, po->path);
    printf(",\"blocks\":%d,\"block_frames\":%ld,\"sample_rate\":%ld,\"budget_ms\":%.4f,"
           "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f,\"max_ms\":%.4f,"
           "\"realtime_factor\":%.2f,\"voices_mean\":%.1f,\"voices_peak\":%d,\"voices_stolen\":%ld,"
           "\"threads\":%d,\"simd\":\"%s\",\"compile_ms\":%.3f,\"utilisation\":[",
           best->nblocks, po->eo.block, po->eo.sample_rate, po->budget, best->p50, best->p95, best->p99,
           best->p999, best->max, rtf, best->voices_mean, best->voices_peak, best->stolen, best->threads,
           voice_kernel_name(), best->compile_ms);
    for (int t = 0; t < best->threads && t < 64; t++)
        printf("%s%.3f", t ? "," : "", best->util[t]);
    printf("],\"verdict\":\"%s\"", verdict);
    if (po->capacity)
        printf(",\"capacity_voices\":%.0f,\"capacity_p99_ms\":%.4f,\"capacity_density\":%g", cap->voices, cap->p99,
               cap->k);
    printf("}\n");
}

/* The text report, with the histogram. */
static void report_text(const struct prof_opts *po, const struct run *best, const struct capacity *cap,
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
    if (po->capacity)
        printf("capacity     %.0f voices (density %g, P99 %.3f ms)\n", cap->voices, cap->k, cap->p99);
    printf("verdict      %s\n", verdict);
    histogram(best, budget);
}

/* The report of run r (and of the search), text or JSON, and --svg. */
static int report(const struct prof_opts *po, const struct run *r, const struct capacity *cap)
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
    if (!(po->bank = cli_bank("profile", &po->eo.samples, (int)po->eo.sample_rate, &rc)))
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
    const struct cli_opt opts[] = {
        { .name = "cycles", .type = CLI_DOUBLE, .dest = &po.cycles, .metavar = "N", .help = "profile N cycles" },
        { .name = "duration", .short_name = 'd', .type = CLI_DOUBLE, .dest = &po.duration, .metavar = "SECONDS",
          .help = "profile this much audio (default 20 s)" },
        { .name = "capacity", .type = CLI_FLAG, .dest = &po.capacity,
          .help = "find the most voices that keep P99 within the budget" },
        { .name = "json", .type = CLI_FLAG, .dest = &po.json, .help = "one JSON object instead of text" },
        { .name = "svg", .type = CLI_STRING, .dest = &po.svg, .metavar = "FILE",
          .help = "draw the block-time histogram and voices over time" },
        CLI_ENGINE_OPTS(&po.eo, CLI_HELP_RATE, "threads, the audio thread included (default: all cores)",
                        "no warnings"),
        { 0 },
    };
    const char **ops = NULL;
    int nops, help, rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    struct run r = { 0 };
    if (!rc && !help && !(rc = profile_prepare(&po, ops, nops)) && !(rc = profile_once(&po, 1, (int)po.eo.voices, &r))) {
        struct capacity cap = { .k = 1, .voices = r.voices_mean, .p99 = r.p99 };
        if (!po.capacity || !(rc = capacity_search(&po, &r, &cap)))
            rc = report(&po, &r, &cap);
    }
    free_run(&r);
    sample_bank_free(po.bank);
    free(po.src);
    free(ops);
    free(po.eo.samples.items);
    return rc;
}
