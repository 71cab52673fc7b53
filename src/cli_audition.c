/* cli_audition.c -- `phonon samples play NAME[:N] [-o FILE]`: hear one
 * sample, or render it to a file.
 *
 * The sample is played by the engine as `s "NAME:N"` at a tempo of one
 * cycle per the sample's length, for one cycle: what a pattern would play,
 * at the default sample rate (the device's when playing). With -o the
 * render goes through `phonon render` (its formats, `-` for stdout);
 * without, through the default audio output, waiting for it to end.
 *
 * Thread context: the main thread (the audio callback renders the engine).
 */
#include "audio.h"
#include "cli.h"
#include "engine.h"
#include "graph.h"
#include "phonon.h"
#include "sample.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The program that plays NAME:N once in `seconds`, into buf. */
static void audition_program(char *buf, size_t size, const char *name, long n, double seconds)
{
    snprintf(buf, size, "tempo: %.9g\nout: s \"%s:%ld\"\n", 1.0 / seconds, name, n);
}

/* NAME[:N] split; 0, or 64 after saying why. */
static int split_name(const char *arg, char *name, size_t size, long *n)
{
    const char *colon = strrchr(arg, ':');
    char *end = NULL;
    *n = colon ? strtol(colon + 1, &end, 10) : 0;
    size_t len = colon ? (size_t)(colon - arg) : strlen(arg);
    if ((colon && (end == colon + 1 || *end)) || len == 0 || len >= size || strcspn(arg, " \t\"[]<>{}(),*/!?@~") < len)
        return cli_fail("samples", PHONON_EXIT_USAGE, "expected NAME or NAME:N, not '%s'", arg);
    memcpy(name, arg, len);
    name[len] = 0;
    return 0;
}

static void play_block(void *user, float *out, int frames)
{
    engine_render(user, out, frames);
}

/* The program played on the default output until it has ended. */
static int audition_play(const struct cli_list *roots, const char *name, long n)
{
    char msg[256] = "", text[512];
    struct audio *a = NULL;
    struct engine *eng = NULL;
    struct sample_bank *bank = NULL;
    struct program *p = NULL;
    struct sample_error err = { 0 };
    int rc = 0;
    /* the engine exists before the stream starts: audio_open only opens */
    struct audio_opts ao = { .render = play_block };
    if ((rc = audio_open(&a, &ao, msg, sizeof msg)) < 0)
        return cli_fail("samples", rc == PHONON_ENODEV ? PHONON_EXIT_UNAVAILABLE : PHONON_EXIT_SOFTWARE, "%s", msg);
    int rate = (int)lround(audio_sample_rate(a)), block = audio_block(a);
    rc = 0;
    if (!(bank = cli_bank("samples", roots, rate, 0, &rc)))
        goto done;
    const struct sample *s = sample_bank_get(bank, name, n, &err);
    if (!s) {
        rc = cli_fail("samples", err.code == PHONON_ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_DATAERR, "%s", err.msg);
        goto done;
    }
    double seconds = (double)s->frames / rate;
    audition_program(text, sizeof text, name, n, seconds);
    struct cli_compile_opts co = { .sample_rate = rate, .block = block, .bank = bank, .density = 1 };
    if ((rc = cli_compile("samples", "<play>", text, strlen(text), &co, &p)))
        goto done;
    struct engine_opts eo = { .sample_rate = rate, .block = block, .threads = 1, .voices = 16, .quiet = 1 };
    if (!(eng = engine_new(&eo))) {
        rc = cli_fail("samples", PHONON_EXIT_SOFTWARE, "out of memory");
        goto done;
    }
    engine_publish(eng, p);
    p = NULL;
    audio_close(a);                 /* reopened with the engine as the callback's user */
    ao.user = eng;
    if (audio_open(&a, &ao, msg, sizeof msg) < 0 || audio_start(a) < 0) {
        rc = cli_fail("samples", PHONON_EXIT_UNAVAILABLE, "%s", msg[0] ? msg : "cannot start the audio output");
        goto done;
    }
    fprintf(stderr, "phonon samples: playing %s:%ld (%s, %.2f s)\n", name, n, s->file, seconds);
    double wait = seconds * 0.999 + audio_latency(a) + 0.05;
    struct timespec ts = { .tv_sec = (time_t)wait, .tv_nsec = (long)((wait - floor(wait)) * 1e9) };
    nanosleep(&ts, NULL);
    audio_stop(a);
done:
    audio_close(a);
    engine_free(eng);
    program_free(p);
    sample_bank_free(bank);
    return rc;
}

/* -o FILE: `phonon render` of the program, one cycle. */
static int audition_render(const struct cli_list *roots, const char *name, long n, const char *out, long rate)
{
    struct sample_error err = { 0 };
    int rc = 0;
    struct sample_bank *bank = cli_bank("samples", roots, (int)rate, 0, &rc);
    if (!bank)
        return rc;
    const struct sample *s = sample_bank_get(bank, name, n, &err);
    double seconds = s ? (double)s->frames / (double)rate : 0;
    sample_bank_free(bank);
    if (!s)
        return cli_fail("samples", err.code == PHONON_ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_DATAERR, "%s",
                        err.msg);
    char text[512], in[] = "/tmp/phonon-play-XXXXXX.ph", rate_s[32];
    audition_program(text, sizeof text, name, n, seconds);
    int fd = mkstemps(in, 3);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
        if (fd >= 0)
            close(fd), unlink(in);
        return cli_fail("samples", PHONON_EXIT_CANTCREAT, "cannot write a temporary file in /tmp");
    }
    close(fd);
    snprintf(rate_s, sizeof rate_s, "%ld", rate);
    const char **argv = calloc((size_t)(9 + 2 * roots->n), sizeof *argv);
    int argc = 0;
    if (!argv) {
        unlink(in);
        return cli_fail("samples", PHONON_EXIT_SOFTWARE, "out of memory");
    }
    const char *fixed[] = { "render", in, out, "--cycles", "1", "--quiet", "--sample-rate", rate_s };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        argv[argc++] = fixed[i];
    for (int i = 0; i < roots->n; i++) {
        argv[argc++] = "--samples";
        argv[argc++] = roots->items[i];
    }
    rc = cli_render(argc, (char **)(uintptr_t)argv);
    unlink(in);
    free(argv);
    if (!rc && strcmp(out, "-") != 0)
        fprintf(stderr, "phonon samples: wrote %s:%ld (%.2f s) to %s\n", name, n, seconds, out);
    return rc;
}

/* See cli.h. */
int cli_samples_play(const struct cli_list *roots, const char *const *ops, int nops, const char *out, long rate)
{
    char name[256];
    long n;
    if (nops != 1)
        return cli_fail("samples", PHONON_EXIT_USAGE, "expected: phonon samples play NAME[:N] [-o FILE]");
    int rc = split_name(ops[0], name, sizeof name, &n);
    if (rc)
        return rc;
    if (rate < PHONON_MIN_RATE || rate > PHONON_MAX_RATE)
        return cli_fail("samples", PHONON_EXIT_USAGE, "--sample-rate %d..%d", PHONON_MIN_RATE, PHONON_MAX_RATE);
    return out ? audition_render(roots, name, n, out, rate) : audition_play(roots, name, n);
}
