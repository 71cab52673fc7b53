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

static int64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

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

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double pct(const double *sorted, int n, double p)
{
    if (n == 0)
        return 0;
    double idx = p / 100.0 * (n - 1);
    int i = (int)idx;
    double f = idx - i;
    return i + 1 < n ? sorted[i] + f * (sorted[i + 1] - sorted[i]) : sorted[i];
}

struct prof_opts {
    const char *path;
    const char *src;
    size_t len;
    struct sample_bank *bank;
    long sr, block, threads, voices;
    double seconds;
    int allow_missing, quiet;
};

/* Compile at density k and render; fills r. Returns 0 or an exit code. */
static int profile_once(const struct prof_opts *po, double k, int voices, struct run *r)
{
    memset(r, 0, sizeof *r);
    struct cli_compile_opts co = { (int)po->sr, (int)po->block, po->bank, po->allow_missing, po->quiet || k != 1, k };
    struct program *prog;
    int64_t t0 = now_ns();
    int rc = cli_compile("profile", po->path, po->src, po->len, &co, &prog);
    if (rc)
        return rc;
    r->compile_ms = (double)(now_ns() - t0) / 1e6;
    struct engine_opts eo = { (int)po->sr, (int)po->block, (int)po->threads, voices, 0, 1 };
    struct engine *e = engine_new(&eo);
    if (!e) {
        program_free(prog);
        return cli_fail("profile", PHONON_EXIT_SOFTWARE, "out of memory starting the engine");
    }
    engine_publish(e, prog);
    int warm = 8;
    int n = (int)ceil(po->seconds * (double)po->sr / (double)po->block);
    if (n < 1)
        n = 1;
    r->ms = malloc(sizeof *r->ms * (size_t)n);
    r->voices = malloc(sizeof *r->voices * (size_t)n);
    float *buf = malloc(sizeof(float) * 2 * (size_t)po->block);
    if (!r->ms || !r->voices || !buf) {
        free(buf);
        engine_free(e);
        return cli_fail("profile", PHONON_EXIT_SOFTWARE, "out of memory");
    }
    for (int i = 0; i < warm; i++)
        engine_render(e, buf, (int)po->block);
    pool_stats_reset(engine_pool(e));
    voice_reset_peak(engine_voices(e));
    int64_t start = now_ns();
    double vsum = 0;
    for (int i = 0; i < n; i++) {
        int64_t a = now_ns();
        engine_render(e, buf, (int)po->block);
        int64_t b = now_ns();
        r->ms[i] = (double)(b - a) / 1e6;
        struct engine_stats st;
        engine_get_stats(e, &st);
        r->voices[i] = st.voices;
        vsum += st.voices;
    }
    r->wall_s = (double)(now_ns() - start) / 1e9;
    r->audio_s = (double)n * (double)po->block / (double)po->sr;
    r->nblocks = n;
    struct engine_stats st;
    engine_get_stats(e, &st);
    r->voices_mean = vsum / n;
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
    free(buf);
    engine_free(e);
    return 0;
}

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

int cli_profile(int argc, char **argv)
{
    struct cli_list roots = { 0 };
    double cycles = 0, duration = 0;
    long sr = 44100, block = 512, threads = 0, voices = 4096;
    int json = 0, capacity = 0, quiet = 0, allow_missing = 0;
    const char *svg = NULL;
    const struct cli_opt opts[] = {
        { "cycles", 0, CLI_DOUBLE, &cycles, "N", "profile N cycles" },
        { "duration", 'd', CLI_DOUBLE, &duration, "SECONDS", "profile this much audio (default 20 s)" },
        { "sample-rate", 'r', CLI_INT, &sr, "HZ", "sample rate (default 44100)" },
        { "block", 'b', CLI_INT, &block, "N", "frames per block (default 512)" },
        { "threads", 't', CLI_INT, &threads, "N", "threads, the audio thread included (default: all cores)" },
        { "voices", 0, CLI_INT, &voices, "N", "voice pool size (default 4096, up to 65536)" },
        { "capacity", 0, CLI_FLAG, &capacity, NULL, "find the most voices that keep P99 within the budget" },
        { "json", 0, CLI_FLAG, &json, NULL, "one JSON object instead of text" },
        { "svg", 0, CLI_STRING, &svg, "FILE", "draw the block-time histogram and voices over time" },
        { "samples", 's', CLI_LIST, &roots, "DIR", "a sample root, searched first (repeatable)" },
        { "allow-missing", 0, CLI_FLAG, &allow_missing, NULL, "unknown sample names play silence" },
        { "sample-mem", 0, CLI_DOUBLE, &cli_sample_mem, "MIB", "samples kept loaded, least recently used unloaded (default 1024)" },
        { "quiet", 'q', CLI_FLAG, &quiet, NULL, "no warnings" },
        { 0 },
    };
    const char **ops = NULL;
    int nops, help, rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    if (rc || help) {
        free(roots.items);
        return rc;
    }
    char *src = NULL;
    size_t len = 0;
    struct sample_bank *bank = NULL;
    struct run best = { 0 }, r = { 0 };
    if (nops != 1) {
        rc = cli_fail("profile", PHONON_EXIT_USAGE, "expected FILE.ph (try 'phonon profile --help')");
        goto done;
    }
    if (sr < 8000 || sr > 384000 || block < 16 || block > ENGINE_MAX_BLOCK || threads < 0 || threads > 256 ||
        voices < 1 || voices > 65536 || cycles < 0 || duration < 0) {
        rc = cli_fail("profile", PHONON_EXIT_USAGE, "invalid option value (see 'phonon profile --help')");
        goto done;
    }
    if ((rc = cli_read_file("profile", ops[0], 16 << 20, &src, &len)))
        goto done;
    if (!(bank = cli_bank("profile", &roots, (int)sr, quiet, &rc)))
        goto done;
    struct prof_opts po = { ops[0], src, len, bank, sr, block, threads, voices, 20, allow_missing, quiet };
    /* the length: cycles need the tempo, so compile once to learn it */
    if (cycles > 0 || duration > 0) {
        if (duration > 0) {
            po.seconds = duration;
        } else {
            struct cli_compile_opts co = { (int)sr, (int)block, bank, allow_missing, 1, 1 };
            struct program *p;
            if ((rc = cli_compile("profile", ops[0], src, len, &co, &p)))
                goto done;
            po.seconds = cycles / p->cps;
            program_free(p);
        }
    } else if (capacity) {
        po.seconds = 5;                         /* per trial */
    }
    double budget = 1000.0 * (double)block / (double)sr;
    if ((rc = profile_once(&po, 1, (int)voices, &r)))
        goto done;
    double cap_k = 1, cap_voices = r.voices_mean, cap_p99 = r.p99;
    if (capacity) {
        /* double the density until P99 leaves the budget, then bisect */
        double good = r.p99 <= budget ? 1 : 0, bad = 0, k = 1;
        int pool = (int)voices;
        struct run t = { 0 };
        while (good > 0 && bad == 0 && k < 1 << 16) {
            k *= 2;
            free_run(&t);
            if (t.voices_peak >= pool * 9 / 10 && pool < 65536)
                pool = pool * 2 > 65536 ? 65536 : pool * 2;
            if ((rc = trial(&po, k, pool, budget, &t)))
                goto done;
            if (!quiet && !json)
                fprintf(stderr, "capacity: density %g: P99 %.3f ms, %.0f voices\n", k, t.p99, t.voices_mean);
            if (t.voices_peak >= pool && pool < 65536) {
                pool = pool * 2 > 65536 ? 65536 : pool * 2;
                k /= 2;                          /* the pool was full: try again bigger */
                continue;
            }
            if (t.p99 <= budget) {
                good = k;
                cap_k = k;
                cap_voices = t.voices_mean;
                cap_p99 = t.p99;
            } else {
                bad = k;
            }
        }
        for (int i = 0; i < 6 && good > 0 && bad > 0; i++) {
            k = (good + bad) / 2;
            free_run(&t);
            if ((rc = trial(&po, k, pool, budget, &t)))
                goto done;
            if (!quiet && !json)
                fprintf(stderr, "capacity: density %g: P99 %.3f ms, %.0f voices\n", k, t.p99, t.voices_mean);
            if (t.p99 <= budget && t.voices_peak < pool) {
                good = k;
                cap_k = k;
                cap_voices = t.voices_mean;
                cap_p99 = t.p99;
            } else {
                bad = k;
            }
        }
        free_run(&t);
        if (good == 0)
            cap_voices = 0;
    }
    best = r;
    double rtf = r.wall_s > 0 ? r.audio_s / r.wall_s : 0;
    const char *verdict = r.p99 <= budget * 0.5 ? "real time with room to spare"
                        : r.p99 <= budget ? "real time, but close to the budget"
                        : r.p50 <= budget ? "NOT real time: the slowest blocks miss the budget (expect xruns)"
                                          : "NOT real time: most blocks miss the budget";
    if (json) {
        printf("{\"file\":");
        cli_json_string(stdout, ops[0]);
        printf(",\"blocks\":%d,\"block_frames\":%ld,\"sample_rate\":%ld,\"budget_ms\":%.4f,"
               "\"p50_ms\":%.4f,\"p95_ms\":%.4f,\"p99_ms\":%.4f,\"p999_ms\":%.4f,\"max_ms\":%.4f,"
               "\"realtime_factor\":%.2f,\"voices_mean\":%.1f,\"voices_peak\":%d,\"voices_stolen\":%ld,"
               "\"threads\":%d,\"simd\":\"%s\",\"compile_ms\":%.3f,\"utilisation\":[",
               best.nblocks, block, sr, budget, best.p50, best.p95, best.p99, best.p999, best.max, rtf,
               best.voices_mean, best.voices_peak, best.stolen, best.threads, voice_kernel_name(), best.compile_ms);
        for (int t = 0; t < best.threads && t < 64; t++)
            printf("%s%.3f", t ? "," : "", best.util[t]);
        printf("],\"verdict\":\"%s\"", verdict);
        if (capacity)
            printf(",\"capacity_voices\":%.0f,\"capacity_p99_ms\":%.4f,\"capacity_density\":%g", cap_voices, cap_p99,
                   cap_k);
        printf("}\n");
    } else {
        printf("%s: %d blocks of %ld frames at %ld Hz (budget %.3f ms per block)\n", ops[0], best.nblocks, block, sr,
               budget);
        printf("compile      %.2f ms\n", best.compile_ms);
        printf("block time   P50 %.3f ms (%.1f%%)  P95 %.3f ms (%.1f%%)  P99 %.3f ms (%.1f%%)\n", best.p50,
               100 * best.p50 / budget, best.p95, 100 * best.p95 / budget, best.p99, 100 * best.p99 / budget);
        printf("             P99.9 %.3f ms (%.1f%%)  max %.3f ms (%.1f%%)\n", best.p999, 100 * best.p999 / budget,
               best.max, 100 * best.max / budget);
        printf("real time    %.1fx (%.2f s of audio in %.2f s)\n", rtf, best.audio_s, best.wall_s);
        printf("voices       mean %.1f  peak %d  stolen %ld\n", best.voices_mean, best.voices_peak, best.stolen);
        printf("threads      %d:", best.threads);
        for (int t = 0; t < best.threads && t < 64; t++)
            printf(" %s%.0f%%", t ? "" : "audio ", 100 * best.util[t]);
        printf("\nsimd         %s\n", voice_kernel_name());
        if (capacity)
            printf("capacity     %.0f voices (density %g, P99 %.3f ms)\n", cap_voices, cap_k, cap_p99);
        printf("verdict      %s\n", verdict);
        histogram(&best, budget);
    }
    if (svg && write_svg(svg, &best, budget))
        rc = cli_fail("profile", PHONON_EXIT_CANTCREAT, "cannot write %s", svg);
done:
    free_run(&r);
    sample_bank_free(bank);
    free(src);
    free(ops);
    free(roots.items);
    return rc;
}
