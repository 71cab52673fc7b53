/* soak_render.c -- `make soak`: an hour of a dense pattern through the
 * engine, block by block, as `render` runs it, watching what a long set
 * would suffer from:
 *   - memory: the resident set after the first minute of audio must stay
 *     within +-1 MB (a leak of a few bytes per block shows within the hour);
 *   - the output: never NaN or Inf, never beyond +-0.999 (clipped), never
 *     silent (below -80 dBFS) for more than 5 seconds.
 *
 *   build/soak_render FILE.ph [SECONDS]      (default 3600 s of audio)
 *
 * Prints a progress line every 10 minutes of audio and a verdict; exits 0
 * when every check held, 1 otherwise, 66/65 when the file is missing or
 * does not compile. Links the library objects (engine, compiler, samples)
 * and compiles through the same cli_compile as `render`.
 */
#include "cli.h"
#include "engine.h"
#include "graph.h"
#include "phonon.h"
#include "sample.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

enum { SR = 44100, BLOCK = 512 };

/* Resident set size in KiB (/proc/self/statm), 0 when unknown. */
static long rss_kib(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f)
        return 0;
    if (fscanf(f, "%ld %ld", &pages, &resident) != 2)
        resident = 0;
    fclose(f);
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

struct soak {
    long blocks_nonfinite, samples_clipped;
    double peak, longest_silence_s, silence_s;
    long rss_ref, rss_min, rss_max;
};

/* Check one block of interleaved stereo. */
static void look(struct soak *s, const float *x, int frames)
{
    float pk = 0;
    int finite = 1;
    for (int i = 0; i < 2 * frames; i++) {
        float a = fabsf(x[i]);
        finite &= isfinite(x[i]);
        s->samples_clipped += a > 0.999f;
        pk = a > pk ? a : pk;
    }
    s->blocks_nonfinite += !finite;
    s->peak = pk > s->peak ? pk : s->peak;
    if (pk < 1e-4f) {
        s->silence_s += (double)frames / SR;
        s->longest_silence_s = fmax(s->longest_silence_s, s->silence_s);
    } else {
        s->silence_s = 0;
    }
}

/* Resident memory, once a minute of audio: the first reading after one
 * minute is the reference. */
static void look_memory(struct soak *s, double at_s)
{
    long r = rss_kib();
    if (at_s < 60 || r <= 0)
        return;
    if (!s->rss_ref)
        s->rss_ref = s->rss_min = s->rss_max = r;
    s->rss_min = r < s->rss_min ? r : s->rss_min;
    s->rss_max = r > s->rss_max ? r : s->rss_max;
}

static struct program *load(const char *path, struct sample_bank *bank, int *rc)
{
    char *src;
    size_t len;
    if ((*rc = cli_read_file("soak", path, 16 << 20, &src, &len)))
        return NULL;
    struct cli_compile_opts co = { .sample_rate = SR, .block = BLOCK, .bank = bank, .quiet = 1 };
    struct program *p = NULL;
    *rc = cli_compile("soak", path, src, len, &co, &p);
    free(src);
    return p;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: soak_render FILE.ph [SECONDS]\n");
        return 64;
    }
    double seconds = argc == 3 ? atof(argv[2]) : 3600;
    int rc = 0;
    struct cli_list roots = { 0 };
    struct sample_bank *bank = cli_bank("soak", &roots, SR, &rc);
    struct program *p = bank ? load(argv[1], bank, &rc) : NULL;
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 0, .voices = 4096, .quiet = 1 };
    struct engine *e = p ? engine_new(&eo) : NULL;
    float *buf = malloc(sizeof(float) * 2 * BLOCK);
    if (!e || !buf) {
        program_free(p);
        sample_bank_free(bank);
        free(buf);
        return rc ? rc : 70;
    }
    engine_publish(e, p);
    struct soak s = { 0 };
    int64_t t0 = phonon_mono_ns();
    long nblocks = (long)(seconds * SR / BLOCK);
    long per_minute = 60L * SR / BLOCK;
    for (long b = 0; b < nblocks; b++) {
        engine_render(e, buf, BLOCK);
        engine_collect(e);
        look(&s, buf, BLOCK);
        if (b % per_minute == 0) {
            double at = (double)b * BLOCK / SR;
            look_memory(&s, at);
            if (b && b % (10 * per_minute) == 0)
                printf("soak: %4.0f min of audio, %.0f s, resident %ld KiB\n", at / 60,
                       (double)(phonon_mono_ns() - t0) * 1e-9, rss_kib());
        }
        fflush(stdout);
    }
    double wall = (double)(phonon_mono_ns() - t0) * 1e-9;
    long drift = s.rss_ref ? (s.rss_max - s.rss_ref > s.rss_ref - s.rss_min ? s.rss_max - s.rss_ref
                                                                                : s.rss_ref - s.rss_min)
                           : 0;
    int ok = s.blocks_nonfinite == 0 && s.samples_clipped == 0 && s.longest_silence_s <= 5.0 && drift <= 1024;
    printf("soak: %.0f s of %s in %.0f s (%.0fx real time); resident after 1 min %ld KiB, drift at most %ld KiB "
           "(limit 1024); peak %.1f dBFS; %ld samples beyond 0.999; %ld blocks with NaN/Inf; longest silence "
           "%.1f s (limit 5)\n",
           seconds, argv[1], wall, wall > 0 ? seconds / wall : 0, s.rss_ref, drift,
           s.peak > 0 ? 20 * log10(s.peak) : -INFINITY, s.samples_clipped, s.blocks_nonfinite,
           s.longest_silence_s);
    printf("soak: %s\n", ok ? "passed" : "FAILED");
    engine_free(e);
    sample_bank_free(bank);
    free(buf);
    return ok ? 0 : 1;
}
