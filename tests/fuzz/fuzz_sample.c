/* tests/fuzz/fuzz_sample.c -- the sample loader (sample.c: libsndfile, the
 * mix-down to stereo, the truncation fade, the sinc resampler) on arbitrary
 * file contents.
 *
 * The first byte picks the file's extension (bits 0-2: wav, flac, aiff, aif,
 * ogg, WAV, au (not audio: no files), wav) and the engine rate (bits 3-4:
 * 44100, 48000, 22050, 96000); the rest is written to ROOT/x/a.EXT in a
 * temporary root (in /dev/shm when there is one), and a new bank (no
 * $PHONON_SAMPLES, no kit) looks `x` up.
 * A failed lookup must say why; a loaded set must hold 1 or more samples of
 * 1 or 2 channels and >= 1 frames, every frame finite, the pads zero. The
 * listing (`phonon samples x`, text or JSON, bit 5) is printed to /dev/null.
 *
 * The bank's caps are lowered: 64 MB (default 2 GiB), as the loader
 * allocates what the header promises before reading (see the report of
 * issue 9) and a few bytes of header may promise that much; 0.1 s of audio
 * (default 600 s), as 17 frames at 1 Hz resample to 750,000 frames at 130
 * taps each, seconds under ASan (regress/sample/slow-aiff-1hz-upsample).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "sample.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char root[64], dir[96];
static FILE *devnull;
static const char *const exts[8] = { "wav", "flac", "aiff", "aif", "ogg", "WAV", "au", "wav" };

static void cleanup(void)
{
    char p[128];
    for (int i = 0; i < 8; i++) {
        snprintf(p, sizeof p, "%s/a.%s", dir, exts[i]);
        unlink(p);
    }
    rmdir(dir);
    rmdir(root);
}

static void no_warn(void *ctx, const char *msg)
{
    (void)ctx;
    (void)msg;
}

__attribute__((noreturn)) static void die(const char *what, long i)
{
    fprintf(stderr, "fuzz: broken invariant: %s (%ld)\n", what, i);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static char path[128];
    if (!root[0]) {
        /* in memory where there is a tmpfs: the file is written, listed,
         * opened and removed once per input */
        snprintf(root, sizeof root, "%s/phonon-fuzz-sample-XXXXXX", access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(root) || !(devnull = fopen("/dev/null", "w")))
            abort();
        snprintf(dir, sizeof dir, "%s/x", root);
        mkdir(dir, 0777);
        atexit(cleanup);
    }
    static const int rates[4] = { 44100, 48000, 22050, 96000 };
    if (path[0])
        unlink(path);               /* the last input's file: only this one is there */
    snprintf(path, sizeof path, "%s/a.%s", dir, exts[data[0] & 7]);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(data + 1, 1, size - 1, f) != size - 1 || fclose(f) != 0)
        abort();

    const char *roots[] = { root };
    struct sample_bank_opts o = { .no_env = 1, .no_kit = 1, .max_seconds = 0.1, .max_bytes = 64 << 20,
                                   .warn = no_warn };
    struct sample_error err = { 0 };
    struct sample_bank *b = sample_bank_new(roots, 1, rates[(data[0] >> 3) & 3], &o, &err);
    if (!b)
        die("sample_bank_new failed", err.code);
    const struct sample_set *set = sample_bank_lookup(b, "x", &err);
    if (!set) {
        if (!err.msg[0] || err.code >= 0)
            die("a failed lookup without a message or code", err.code);
    } else {
        if (set->count < 1)
            die("a set with no samples", set->count);
        for (int i = 0; i < set->count; i++) {
            const struct sample *s = &set->samples[i];
            if (s->frames < 1 || s->channels < 1 || s->channels > 2)
                die("frames or channels", (long)s->frames);
            long n = (long)s->frames * s->channels, pad = SAMPLE_PAD * s->channels;
            for (long k = 0; k < n; k++)
                if (!isfinite(s->data[k]))
                    die("a frame is not finite", k);
            for (long k = 1; k <= pad; k++)
                if (s->data[-k] != 0.0f || s->data[n - 1 + k] != 0.0f)
                    die("a pad is not zero", k);
        }
    }
    err.msg[0] = 0;
    if (cli_samples_print(b, devnull, "x", (data[0] >> 5) & 1, &err) < 0 && !err.msg[0])
        die("a failed listing without a message", err.code);
    sample_bank_free(b);
    return 0;
}
