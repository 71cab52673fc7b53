/* cli_render.c -- `phonon render IN.ph OUT.wav`: the engine, offline.
 *
 * The same engine as `live`, run as fast as it goes, its blocks streamed to
 * a sound file (sndout.h: the format from OUT's extension and --format,
 * dither, reproducible bytes), so the same input and options always give
 * the same bytes, whatever the thread count. A summary (length, levels,
 * speed, voices) and the engine's warnings go to stderr, and a progress bar
 * while stderr is a terminal.
 *
 * OUT is replaced only by a complete render (sndout.h writes a temporary
 * file beside it and renames it at the end): a failure (a full disk, a file
 * size limit) or a stop signal leaves an existing OUT as it was, and no
 * partial file behind. SIGINT, SIGTERM and SIGHUP stop a render: the
 * temporary file is removed, the reason printed, and the exit status is 128
 * plus the signal's number (130 for SIGINT). SIGINT and SIGTERM are caught
 * even when the shell started us with them ignored (`phonon render ... &`
 * in a script); SIGHUP stays ignored when it was (nohup). A second signal
 * removes the temporary file and exits at once. SIGXFSZ is ignored, so that
 * a file size limit (ulimit -f) is a write error with a message (74)
 * rather than a core dump.
 *
 * Thread context: the main thread (the engine's pool helps it render; a
 * signal may arrive on any of its threads: the handler only sets a flag, or
 * unlinks and exits).
 */
#include "cli.h"
#include "engine.h"
#include "graph.h"
#include "midi.h"
#include "phonon.h"
#include "sample.h"
#include "sndout.h"
#include "voice.h"

#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] = "IN.ph OUT.wav [options]\n\n"
    "Render IN (a .ph file, or - for stdin) to OUT (- for stdout); the format\n"
    "follows OUT's extension or --type: wav, flac, aiff, ogg, opus, mp3, caf, w64,\n"
    "rf64, au, ... (whatever libsndfile writes). Default length: 8 cycles.\n"
    "--midi-file OUT.mid writes what s \"midi\" events would send to a MIDI port,\n"
    "as a Standard MIDI File whose ticks are the render's sample frames.";

/* One render: its options, then what it made along the way. */
struct render {
    struct cli_engine_opts eo;
    double cycles, duration;
    long seed;
    const char *format, *type;
    const char *png, *svg;          /* --png, --svg: a picture of the render */
    struct cli_picture *pic;
    const char *in, *out;           /* the operands */
    const char *midi_path;          /* --midi-file */
    struct midi *midi;
    struct midi_file *mf;
    struct sndout_format fmt;
    char *src;                      /* IN's text */
    size_t len;
    struct sample_bank *bank;
    struct program *prog;           /* compiled, until the engine has it */
    struct engine *eng;
    double cps, compile_s;
    int64_t total;                  /* frames to render */
    double peak, sumsq, wall_s;     /* for the summary */
};

/* The operands and options checked, IN read and compiled, the length
 * known. 0 or an exit code. */
static int render_prepare(struct render *r, int nops)
{
    char msg[512];
    if (nops != 2)
        return cli_fail("render", PHONON_EXIT_USAGE, "expected IN.ph OUT.wav (try 'phonon render --help')");
    int rc = cli_engine_check("render", &r->eo, 0);
    if (rc || (rc = cli_length_check("render", r->cycles, r->duration, 1)))
        return rc;
    if (sndout_choose_type(r->out, r->type, r->format, (int)r->eo.sample_rate, &r->fmt, msg, sizeof msg))
        return cli_fail("render", PHONON_EXIT_USAGE, "%s", msg);
    if ((rc = cli_read_file("render", r->in, &r->src, &r->len)))
        return rc;
    cli_block_from_source(&r->eo, r->src, r->len, r->in);
    if (!(r->bank = cli_bank("render", &r->eo.samples, (int)r->eo.sample_rate, r->eo.sample_mem, &rc)))
        return rc;
    struct cli_compile_opts co = { .sample_rate = (int)r->eo.sample_rate, .block = (int)r->eo.block,
                                   .bank = r->bank, .allow_missing = r->eo.allow_missing,
                                   .quiet = r->eo.quiet, .density = 1 };
    int64_t t0 = phonon_mono_ns();
    if ((rc = cli_compile("render", strcmp(r->in, "-") ? r->in : "<stdin>", r->src, r->len, &co, &r->prog)))
        return rc;
    r->compile_s = (double)(phonon_mono_ns() - t0) * 1e-9;
    r->cps = r->prog->cps;
    if (!r->midi_path && !r->eo.quiet && midi_program_plays(r->prog))
        fprintf(stderr, "phonon render: note: s \"midi\" events send nothing without --midi-file OUT.mid\n");
    double seconds = r->duration > 0 ? r->duration : (r->cycles > 0 ? r->cycles : 8) / r->cps;
    r->total = (int64_t)llround(seconds * (double)r->eo.sample_rate);
    if (r->total <= 0 || r->total > (int64_t)r->eo.sample_rate * 60 * 60 * 24)
        return cli_fail("render", PHONON_EXIT_USAGE, "the length must be between one frame and 24 hours");
    return 0;
}

/* ---- stop signals ---------------------------------------------------------- */

static volatile sig_atomic_t stop_signal;       /* the first stop signal's number */
static volatile sig_atomic_t temp_ready;        /* temp_path holds the temporary file */
static char temp_path[4096];

/* SIGINT/SIGTERM/SIGHUP: the first asks the render loop to stop, a second
 * removes the temporary file and exits at once. Async-signal-safe. */
static void on_stop_signal(int sig)
{
    if (!stop_signal) {
        stop_signal = sig;
        return;
    }
    if (temp_ready)
        unlink(temp_path);
    _exit(128 + sig);
}

/* The stop handlers, whatever SIGINT and SIGTERM were (a background job's
 * are ignored); SIGHUP only when not ignored (nohup). SIGXFSZ ignored. */
static void install_signals(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaddset(&sa.sa_mask, SIGHUP);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
        sigaction(SIGHUP, &sa, NULL);
    signal(SIGXFSZ, SIG_IGN);
}

/* "SIGINT", "SIGTERM" or "SIGHUP". */
static const char *signal_name(int sig)
{
    return sig == SIGINT ? "SIGINT" : sig == SIGTERM ? "SIGTERM" : sig == SIGHUP ? "SIGHUP" : "a signal";
}

/* The temporary file a second signal must remove (NULL: none now). */
static void set_temp_path(const char *p)
{
    temp_ready = 0;
    if (p && strlen(p) < sizeof temp_path) {
        memcpy(temp_path, p, strlen(p) + 1);
        temp_ready = 1;
    }
}

/* The progress bar, at most ten times a second. */
static void show_progress(int64_t done, int64_t total, int64_t *last_ns)
{
    if (phonon_mono_ns() - *last_ns <= 100000000)
        return;
    *last_ns = phonon_mono_ns();
    int pct = (int)(100.0 * (double)done / (double)total);
    fprintf(stderr, "\rrendering [%-40.*s] %3d%%", pct * 40 / 100, "########################################", pct);
}

/* Render every block into the open file, keeping peak and energy for the
 * summary. 0 or an exit code. */
static int render_blocks(struct render *r, struct sndout *snd, float *buf)
{
    char msg[512];
    int block = (int)r->eo.block, progress = !r->eo.quiet && isatty(2);
    int64_t t0 = phonon_mono_ns(), last = t0;
    for (int64_t done = 0; done < r->total;) {
        if (stop_signal) {
            if (progress)
                fprintf(stderr, "\r%-60s\r", "");
            return cli_fail("render", 128 + stop_signal, "stopped by %s after %.2f of %.2f s; %s not written",
                            signal_name(stop_signal), (double)done / (double)r->eo.sample_rate,
                            (double)r->total / (double)r->eo.sample_rate, r->out);
        }
        engine_render(r->eng, buf, block);
        int n = r->total - done < block ? (int)(r->total - done) : block;
        if (r->pic) {
            const int *onset;
            int nonsets = engine_block_onsets(r->eng, &onset);
            cli_picture_feed(r->pic, buf, n, onset, nonsets);
        }
        for (int i = 0; i < 2 * n; i++) {
            double x = (double)buf[i];
            if (fabs(x) > r->peak)
                r->peak = fabs(x);
            r->sumsq += x * x;
        }
        if (r->mf && midi_file_take(r->mf, r->midi))
            return cli_fail("render", PHONON_EXIT_SOFTWARE, "out of memory keeping MIDI messages");
        if (sndout_write(snd, buf, n, msg, sizeof msg))
            return cli_fail("render", PHONON_EXIT_IOERR, "%s; %s not written", msg, r->out);
        done += n;
        engine_collect(r->eng);
        if (progress)
            show_progress(done, r->total, &last);
    }
    if (progress)
        fprintf(stderr, "\r%-60s\r", "");
    r->wall_s = (double)(phonon_mono_ns() - t0) * 1e-9;
    return 0;
}

/* The engine started with the program, OUT created, written and finished.
 * 0 or an exit code. */
static int render_run(struct render *r)
{
    char msg[512];
    struct engine_opts eo = { .sample_rate = (int)r->eo.sample_rate, .block = (int)r->eo.block,
                              .threads = (int)r->eo.threads, .voices = (int)r->eo.voices, .quiet = 1 };
    if (!(r->eng = engine_new(&eo)))
        return cli_fail("render", PHONON_EXIT_SOFTWARE, "out of memory starting the engine");
    int err = 0;
    struct sndout *snd = sndout_open(r->out, &r->fmt, (int)r->eo.sample_rate, (int)r->eo.block,
                                     (uint32_t)r->seed, &err, msg, sizeof msg);
    if (!snd)
        return cli_fail("render", err == PHONON_ENOMEM ? PHONON_EXIT_SOFTWARE : PHONON_EXIT_CANTCREAT, "%s", msg);
    set_temp_path(sndout_temp_path(snd));
    if (r->midi_path && !(r->mf = midi_file_new((int)r->eo.sample_rate, r->cps, msg, sizeof msg))) {
        sndout_abort(snd);
        set_temp_path(NULL);
        return cli_fail("render", PHONON_EXIT_USAGE, "%s", msg);
    }
    if (r->mf && !(r->midi = midi_new((int)r->eo.sample_rate))) {
        sndout_abort(snd);
        set_temp_path(NULL);
        return cli_fail("render", PHONON_EXIT_SOFTWARE, "out of memory");
    }
    engine_set_midi(r->eng, r->midi);
    engine_publish(r->eng, r->prog);
    r->prog = NULL;
    float *buf = malloc(sizeof(float) * 2 * (size_t)r->eo.block);
    if ((r->png || r->svg) && !(r->pic = cli_picture_new(r->total, (int)r->eo.sample_rate, r->cps))) {
        free(buf);
        buf = NULL;
    }
    int rc = buf ? render_blocks(r, snd, buf) : cli_fail("render", PHONON_EXIT_SOFTWARE, "out of memory");
    free(buf);
    if (rc) {
        sndout_abort(snd);
        set_temp_path(NULL);
        return rc;
    }
    rc = sndout_finish(snd, msg, sizeof msg);
    set_temp_path(NULL);
    if (rc)
        return cli_fail("render", PHONON_EXIT_IOERR, "%s; %s not written", msg, r->out);
    if (r->mf) {                        /* notes still on end with the render */
        midi_all_off(r->midi, r->total);
        if (midi_file_take(r->mf, r->midi))
            return cli_fail("render", PHONON_EXIT_SOFTWARE, "out of memory keeping MIDI messages");
        if (midi_file_write(r->mf, r->midi_path, r->total, msg, sizeof msg))
            return cli_fail("render", PHONON_EXIT_CANTCREAT, "%s", msg);
    }
    if (r->png && (rc = cli_picture_write(r->pic, r->png, 0, msg, sizeof msg)))
        return cli_fail("render", rc, "%s", msg);
    if (r->svg && (rc = cli_picture_write(r->pic, r->svg, 1, msg, sizeof msg)))
        return cli_fail("render", rc, "%s", msg);
    return 0;
}

/* The summary line and the engine's warnings (unless --quiet). */
static void render_summary(const struct render *r)
{
    struct engine_stats st;
    engine_get_stats(r->eng, &st);
    double secs = (double)r->total / (double)r->eo.sample_rate;
    double rms = sqrt(r->sumsq / (2.0 * (double)r->total));
    fprintf(stderr, "%s: %.2f s (%.2f cycles at %.4g cps), peak %.1f dBFS, RMS %.1f dBFS, "
                    "%.0fx real time, voices peak %d, compile %.1f ms, limited %.2f s (%.1f dB at most)\n",
            r->out, secs, secs * r->cps, r->cps, r->peak > 0 ? 20 * log10(r->peak) : -HUGE_VAL,
            rms > 0 ? 20 * log10(rms) : -HUGE_VAL, r->wall_s > 0 ? secs / r->wall_s : 0, st.voices_peak,
            r->compile_s * 1000, (double)st.limited_frames / (double)r->eo.sample_rate, st.limited_max_db);
    if (st.nan_resets)
        fprintf(stderr, "phonon render: warning: %ld node or voice resets after NaN/Inf\n", st.nan_resets);
    if (st.voices_limited)
        fprintf(stderr, "phonon render: warning: %ld voice pitches or speeds were out of range (not a number, "
                        "above the Nyquist frequency, or speed beyond %g) and were limited\n",
                st.voices_limited, VOICE_MAX_SPEED);
    if (st.voices_fx_dropped)
        fprintf(stderr, "phonon render: warning: %ld voices played without some of their delay-line effects "
                        "(comb, leslie, phaser, vib, fmi, xsdelay, ...): at most %d such voices sound at once, "
                        "with %d of these effects each\n",
                st.voices_fx_dropped, VOICE_FX_VOICES, VOICE_FX_PER_VOICE);
    if (st.onsets_capped)
        fprintf(stderr, "phonon render: warning: %ld onsets were dropped: a block starts at most %d voices "
                        "(%d per frame)\n",
                st.onsets_capped, ENGINE_ONSETS_PER_FRAME * (int)r->eo.block, ENGINE_ONSETS_PER_FRAME);
    if (st.limit_events)
        fprintf(stderr, "phonon render: warning: %ld block spans needed more than a query may (%d events, "
                        "%d steps of work) and played silent\n",
                st.limit_events, PAT_MAX_EVENTS, PAT_MAX_WORK);
    char why[200];
    if (st.query_silent && engine_take_query_error(r->eng, why, sizeof why))
        fprintf(stderr, "phonon render: warning: %ld block spans of a pattern played silent: %s\n",
                st.query_silent, why);
    if (st.voices_stolen)
        fprintf(stderr, "phonon render: note: %ld voices were stolen (--voices %ld)\n", st.voices_stolen,
                r->eo.voices);
    if (r->mf)
        cli_midi_report("render", r->midi, r->midi_path, midi_file_count(r->mf));
}

/* `phonon render`: options, then prepare, run, summary. */
int cli_render(int argc, char **argv)
{
    struct render r = { .eo = CLI_ENGINE_DEFAULTS(PHONON_DEFAULT_RATE), .format = "s16" };
    r.eo.block = CLI_BLOCK_UNSET;   /* none given: the file's buffer: statement, or the default */
    const struct cli_opt opts[] = {
        { .name = "cycles", .type = CLI_DOUBLE, .dest = &r.cycles, .metavar = "N",
          .help = "render N cycles (default 8)" },
        { .name = "duration", .short_name = 'd', .type = CLI_DOUBLE, .dest = &r.duration, .metavar = "SECONDS",
          .help = "render this many seconds instead" },
        { .name = "format", .short_name = 'f', .type = CLI_STRING, .dest = &r.format, .metavar = "s16|s24|f32",
          .help = "sample format (default s16, dithered)" },
        { .name = "type", .type = CLI_STRING, .dest = &r.type, .metavar = "EXT",
          .help = "the file type, as an extension (default: OUT's; wav for -)" },
        { .name = "png", .type = CLI_STRING, .dest = &r.png, .metavar = "FILE",
          .help = "also draw the render: waveforms, spectrogram, cycles, onsets" },
        { .name = "svg", .type = CLI_STRING, .dest = &r.svg, .metavar = "FILE", .help = "the same picture as SVG" },
        { .name = "midi-file", .type = CLI_STRING, .dest = &r.midi_path, .metavar = "OUT.mid",
          .help = "write the messages of s \"midi\" events to a MIDI file (one tick a frame)" },
        { .name = "seed", .type = CLI_INT, .dest = &r.seed, .metavar = "N", .help = "seed of the s16 dither (default 0)" },
        CLI_ENGINE_OPTS(&r.eo, CLI_HELP_RATE, CLI_HELP_BLOCK_FILE, "threads, the main one included (default: all cores)",
                        "no progress, summary or warnings"),
        { 0 },
    };
    const char **ops = NULL;
    int nops, help, rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    if (!rc && !help) {
        r.in = nops > 0 ? ops[0] : NULL;
        r.out = nops > 1 ? ops[1] : NULL;
        install_signals();
        rc = render_prepare(&r, nops);
        if (!rc)
            rc = render_run(&r);
        if (!rc && !r.eo.quiet)
            render_summary(&r);
    }
    engine_free(r.eng);
    midi_free(r.midi);
    midi_file_free(r.mf);
    cli_picture_free(r.pic);
    program_free(r.prog);
    sample_bank_free(r.bank);
    free(r.src);
    free(ops);
    free(r.eo.samples.items);
    return rc;
}
