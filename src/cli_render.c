/* cli_render.c -- `phonon render IN.ph OUT.wav`: the engine, offline.
 *
 * The same engine as `live`, run as fast as it goes, its blocks streamed to
 * libsndfile. The output format comes from OUT's extension (wav, flac,
 * aiff/aif, ogg); --format picks the sample type: f32 is written as is,
 * s24 and s16 are clipped, s16 with TPDF dither from a seeded generator, so
 * the same input and options always give the same bytes, whatever the
 * thread count.
 */
#include "cli.h"
#include "engine.h"
#include "graph.h"
#include "phonon.h"
#include "sample.h"
#include "voice.h"

#include <math.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static const char usage[] = "IN.ph OUT.wav [options]\n\n"
    "Render IN (a .ph file, or - for stdin) to OUT; the format follows OUT's\n"
    "extension: wav, flac, aiff, ogg. Default length: 8 cycles.";

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* xorshift32 for the dither: deterministic, seeded by --seed */
static uint32_t rng_next(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *s = x;
}

static int major_format(const char *path, int *major)
{
    const char *dot = strrchr(path, '.');
    if (!dot)
        return -1;
    if (!strcasecmp(dot, ".wav"))
        *major = SF_FORMAT_WAV;
    else if (!strcasecmp(dot, ".flac"))
        *major = SF_FORMAT_FLAC;
    else if (!strcasecmp(dot, ".aiff") || !strcasecmp(dot, ".aif"))
        *major = SF_FORMAT_AIFF;
    else if (!strcasecmp(dot, ".ogg"))
        *major = SF_FORMAT_OGG;
    else
        return -1;
    return 0;
}

/* libsndfile gives an Ogg stream a serial number seeded from the clock; to
 * keep renders byte-identical, set every page's serial to a fixed value and
 * recompute the page checksums (Ogg's CRC-32: polynomial 0x04c11db7, no
 * reflection, initial 0, over the page with its CRC field zeroed). */
static uint32_t ogg_crc(const unsigned char *p, size_t n)
{
    uint32_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc ^= (uint32_t)p[i] << 24;
        for (int k = 0; k < 8; k++)
            crc = crc & 0x80000000u ? (crc << 1) ^ 0x04c11db7u : crc << 1;
    }
    return crc;
}

static int ogg_fix_serial(const char *path)
{
    FILE *f = fopen(path, "r+b");
    if (!f)
        return -1;
    unsigned char *buf = NULL;
    long size = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
    int rc = -1;
    if (size > 0 && size < (1L << 30) && (buf = malloc((size_t)size)) && fseek(f, 0, SEEK_SET) == 0 &&
        fread(buf, 1, (size_t)size, f) == (size_t)size) {
        size_t at = 0;
        rc = 0;
        while (at + 27 <= (size_t)size && memcmp(buf + at, "OggS", 4) == 0) {
            unsigned char *pg = buf + at;
            size_t nseg = pg[26], len = 27 + nseg;
            if (at + len > (size_t)size) {
                rc = -1;
                break;
            }
            for (size_t k = 0; k < nseg; k++)
                len += pg[27 + k];
            if (at + len > (size_t)size) {
                rc = -1;
                break;
            }
            memcpy(pg + 14, "PHON", 4);                 /* serial */
            memset(pg + 22, 0, 4);
            uint32_t crc = ogg_crc(pg, len);
            pg[22] = (unsigned char)crc;
            pg[23] = (unsigned char)(crc >> 8);
            pg[24] = (unsigned char)(crc >> 16);
            pg[25] = (unsigned char)(crc >> 24);
            at += len;
        }
        if (rc == 0 && (fseek(f, 0, SEEK_SET) || fwrite(buf, 1, (size_t)size, f) != (size_t)size))
            rc = -1;
    }
    free(buf);
    if (fclose(f))
        rc = -1;
    return rc;
}

int cli_render(int argc, char **argv)
{
    struct cli_list roots = { 0 };
    double cycles = 0, duration = 0;
    long sr = 44100, block = 512, threads = 0, seed = 0, voices = 4096;
    const char *format = "s16";
    int quiet = 0, allow_missing = 0;
    const struct cli_opt opts[] = {
        { "cycles", 0, CLI_DOUBLE, &cycles, "N", "render N cycles (default 8)" },
        { "duration", 'd', CLI_DOUBLE, &duration, "SECONDS", "render this many seconds instead" },
        { "sample-rate", 'r', CLI_INT, &sr, "HZ", "sample rate (default 44100)" },
        { "block", 'b', CLI_INT, &block, "N", "frames per block (default 512)" },
        { "format", 'f', CLI_STRING, &format, "s16|s24|f32", "sample format (default s16, dithered)" },
        { "threads", 't', CLI_INT, &threads, "N", "threads, the main one included (default: all cores)" },
        { "voices", 0, CLI_INT, &voices, "N", "voice pool size (default 4096, up to 65536)" },
        { "seed", 0, CLI_INT, &seed, "N", "seed of the s16 dither (default 0)" },
        { "samples", 's', CLI_LIST, &roots, "DIR", "a sample root, searched first (repeatable)" },
        { "allow-missing", 0, CLI_FLAG, &allow_missing, NULL, "unknown sample names play silence" },
        { "sample-mem", 0, CLI_DOUBLE, &cli_sample_mem, "MIB", "samples kept loaded, least recently used unloaded (default 1024)" },
        { "quiet", 'q', CLI_FLAG, &quiet, NULL, "no progress, summary or warnings" },
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
    struct program *prog = NULL;
    struct engine *eng = NULL;
    SNDFILE *sf = NULL;
    float *buf = NULL;
    int major, sub;
    if (nops != 2) {
        rc = cli_fail("render", PHONON_EXIT_USAGE, "expected IN.ph OUT.wav (try 'phonon render --help')");
        goto done;
    }
    if (sr < 8000 || sr > 384000 || block < 16 || block > ENGINE_MAX_BLOCK || threads < 0 || threads > 256 ||
        voices < 1 || voices > 65536 || cycles < 0 || duration < 0 || (cycles > 0 && duration > 0)) {
        rc = cli_fail("render", PHONON_EXIT_USAGE,
                      "invalid option: --sample-rate 8000..384000, --block 16..%d, --threads 0..256, "
                      "--voices 1..65536, and --cycles or --duration (not both)", ENGINE_MAX_BLOCK);
        goto done;
    }
    if (major_format(ops[1], &major)) {
        rc = cli_fail("render", PHONON_EXIT_USAGE, "%s: the output must end in .wav, .flac, .aiff or .ogg", ops[1]);
        goto done;
    }
    if (!strcmp(format, "s16"))
        sub = SF_FORMAT_PCM_16;
    else if (!strcmp(format, "s24"))
        sub = SF_FORMAT_PCM_24;
    else if (!strcmp(format, "f32"))
        sub = SF_FORMAT_FLOAT;
    else {
        rc = cli_fail("render", PHONON_EXIT_USAGE, "--format must be s16, s24 or f32, not '%s'", format);
        goto done;
    }
    if (major == SF_FORMAT_OGG)
        sub = SF_FORMAT_VORBIS;
    if (major == SF_FORMAT_FLAC && sub == SF_FORMAT_FLOAT) {
        rc = cli_fail("render", PHONON_EXIT_USAGE, "FLAC stores integers: use --format s16 or s24");
        goto done;
    }
    if ((rc = cli_read_file("render", ops[0], 16 << 20, &src, &len)))
        goto done;
    if (!(bank = cli_bank("render", &roots, (int)sr, quiet, &rc)))
        goto done;
    struct cli_compile_opts co = { (int)sr, (int)block, bank, allow_missing, quiet, 1 };
    double t_compile = now_s();
    if ((rc = cli_compile("render", strcmp(ops[0], "-") ? ops[0] : "<stdin>", src, len, &co, &prog)))
        goto done;
    t_compile = now_s() - t_compile;
    double cps = prog->cps;
    if (duration <= 0)
        duration = (cycles > 0 ? cycles : 8) / cps;
    int64_t total = (int64_t)llround(duration * (double)sr);
    if (total <= 0 || total > (int64_t)sr * 60 * 60 * 24) {
        rc = cli_fail("render", PHONON_EXIT_USAGE, "the length must be between one frame and 24 hours");
        goto done;
    }
    SF_INFO info = { 0 };
    info.samplerate = (int)sr;
    info.channels = 2;
    info.format = major | sub;
    if (!sf_format_check(&info)) {
        rc = cli_fail("render", PHONON_EXIT_USAGE, "%s: this combination of container and --format %s is not supported",
                      ops[1], format);
        goto done;
    }
    struct engine_opts eo = { (int)sr, (int)block, (int)threads, (int)voices, 0, 1 };
    if (!(eng = engine_new(&eo))) {
        rc = cli_fail("render", PHONON_EXIT_SOFTWARE, "out of memory starting the engine");
        goto done;
    }
    sf = sf_open(ops[1], SFM_WRITE, &info);
    if (!sf) {
        rc = cli_fail("render", PHONON_EXIT_CANTCREAT, "cannot create %s: %s", ops[1], sf_strerror(NULL));
        goto done;
    }
    /* no PEAK chunk: it holds a timestamp, and the same render must give
     * the same bytes */
    sf_command(sf, SFC_SET_ADD_PEAK_CHUNK, NULL, SF_FALSE);
    if (major == SF_FORMAT_OGG) {
        double q = 0.6;
        sf_command(sf, SFC_SET_VBR_ENCODING_QUALITY, &q, sizeof q);
    }
    engine_publish(eng, prog);
    prog = NULL;
    buf = malloc(sizeof(float) * 2 * (size_t)block);
    short *s16 = malloc(sizeof(short) * 2 * (size_t)block);
    int *s24 = malloc(sizeof(int) * 2 * (size_t)block);
    if (!buf || !s16 || !s24) {
        free(s16);
        free(s24);
        rc = cli_fail("render", PHONON_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    uint32_t rng = (uint32_t)seed * 2654435761u ^ 0x9e3779b9u;
    if (!rng)
        rng = 1;
    int progress = !quiet && isatty(2);
    double t0 = now_s(), last = t0, peak = 0, sumsq = 0;
    int64_t done_frames = 0;
    while (done_frames < total) {
        engine_render(eng, buf, (int)block);
        int n = total - done_frames < block ? (int)(total - done_frames) : (int)block;
        for (int i = 0; i < 2 * n; i++) {
            double x = buf[i];
            if (fabs(x) > peak)
                peak = fabs(x);
            sumsq += x * x;
        }
        sf_count_t wrote;
        if (sub == SF_FORMAT_PCM_16) {
            for (int i = 0; i < 2 * n; i++) {
                /* TPDF dither: two uniform values of one LSB each */
                double d = ((double)(rng_next(&rng) >> 8) - (double)(rng_next(&rng) >> 8)) / 16777216.0;
                double v = floor(buf[i] * 32767.0 + d + 0.5);
                s16[i] = (short)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
            }
            wrote = sf_writef_short(sf, s16, n);
        } else if (sub == SF_FORMAT_PCM_24) {
            for (int i = 0; i < 2 * n; i++) {
                double v = floor(buf[i] * 8388607.0 + 0.5);
                v = v > 8388607 ? 8388607 : v < -8388608 ? -8388608 : v;
                s24[i] = (int)v * 256;
            }
            wrote = sf_writef_int(sf, s24, n);
        } else {
            wrote = sf_writef_float(sf, buf, n);
        }
        if (wrote != n) {
            free(s16);
            free(s24);
            rc = cli_fail("render", PHONON_EXIT_IOERR, "writing %s failed: %s", ops[1], sf_strerror(sf));
            goto done;
        }
        done_frames += n;
        engine_collect(eng);
        if (progress && now_s() - last > 0.1) {
            last = now_s();
            int pct = (int)(100.0 * (double)done_frames / (double)total);
            fprintf(stderr, "\rrendering [%-40.*s] %3d%%", pct * 40 / 100,
                    "########################################", pct);
        }
    }
    free(s16);
    free(s24);
    if (progress)
        fprintf(stderr, "\r%-60s\r", "");
    if (sf_close(sf)) {
        sf = NULL;
        rc = cli_fail("render", PHONON_EXIT_IOERR, "finishing %s failed", ops[1]);
        goto done;
    }
    sf = NULL;
    if (major == SF_FORMAT_OGG && ogg_fix_serial(ops[1])) {
        rc = cli_fail("render", PHONON_EXIT_IOERR, "rewriting %s failed", ops[1]);
        goto done;
    }
    double wall = now_s() - t0;
    if (!quiet) {
        struct engine_stats st;
        engine_get_stats(eng, &st);
        double secs = (double)total / (double)sr;
        double rms = sqrt(sumsq / (2.0 * (double)total));
        fprintf(stderr, "%s: %.2f s (%.2f cycles at %.4g cps), peak %.1f dBFS, RMS %.1f dBFS, "
                        "%.0fx real time, voices peak %d, compile %.1f ms, limited %.2f s (%.1f dB at most)\n",
                ops[1], secs, secs * cps, cps, peak > 0 ? 20 * log10(peak) : -INFINITY,
                rms > 0 ? 20 * log10(rms) : -INFINITY, wall > 0 ? secs / wall : 0, st.voices_peak,
                t_compile * 1000, (double)st.limited_frames / (double)sr, st.limited_max_db);
        if (st.nan_resets)
            fprintf(stderr, "phonon render: warning: %ld node or voice resets after NaN/Inf\n", st.nan_resets);
        if (st.voices_limited)
            fprintf(stderr, "phonon render: warning: %ld voice pitches or speeds were out of range (not a number, "
                            "above the Nyquist frequency, or speed beyond %g) and were limited\n",
                    st.voices_limited, VOICE_MAX_SPEED);
        if (st.limit_events)
            fprintf(stderr, "phonon render: warning: %ld block spans produced too many events and played silent\n",
                    st.limit_events);
        if (st.voices_stolen)
            fprintf(stderr, "phonon render: note: %ld voices were stolen (--voices %ld)\n", st.voices_stolen, voices);
    }
done:
    if (sf)
        sf_close(sf);
    free(buf);
    engine_free(eng);
    program_free(prog);
    sample_bank_free(bank);
    free(src);
    free(ops);
    free(roots.items);
    return rc;
}
