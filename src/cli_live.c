/* cli_live.c -- `phonon live FILE.ph`: play a pattern file, reload it on
 * every save.
 *
 * Three kinds of thread take part. PortAudio's (or JACK's) real-time thread
 * calls engine_render once per block and does nothing else. The engine's
 * pool workers help it. The main thread is the watcher: it waits for saves
 * (watch.h), and for each one reads the file, parses and compiles it into a
 * complete new program and publishes it (engine_publish); between saves it
 * frees retired programs (engine_collect), redraws the status line and
 * checks whether it is time to stop. Nothing the watcher does can make the
 * audio thread wait: a program reaches it through the engine's triple
 * buffer, whole or not at all.
 *
 * Reload rules. A file that cannot be read, is larger than CLI_LIVE_MAX_BYTES,
 * is not text or does not parse or compile gets its message (positioned,
 * from the compiler) and the program that was playing goes on as if nothing
 * happened; the next good save replaces it. A deleted file is waited for
 * (editors that save by delete + create, or a `git checkout`, bring it
 * back). A file that is broken when `live` starts plays silence until it is
 * fixed, so a typo never ends a performance.
 *
 * Half-written files. The watcher reports a save once the file has settled
 * (watch.h: the writer closed it, or it stayed the same for a while), but a
 * writer that starts again at once can still be caught: a read during which
 * the file changed (size, times or inode differ before and after) is put
 * off, silently, since the change brings another report; an empty file
 * after a program that came from a non-empty one is put off until it has
 * stayed empty for CLI_LIVE_EMPTY_HOLD_MS (a truncation whose text is
 * still to come), then loaded by cli_live_tick: silence, as asked.
 *
 * Reload latency (--stats) runs from the moment the watcher read the save's
 * last event from the kernel (watch_wait's when_ns) to the start of the
 * first block rendered from the new program (engine_get_stats: swap_ns,
 * once swap_seq is the sequence number engine_publish returned). Only this
 * thread publishes, so swap_seq cannot move past a pending program without
 * our doing: it is read back just before the next publication and on every
 * tick. A program replaced before any block played it is counted as
 * superseded, not as a latency sample. Not included: the time between the
 * editor's close() and the watcher reading the event (inotify events carry
 * no time), normally microseconds, a few ms on a loaded machine.
 *
 * Signals. SIGINT and SIGTERM are caught even when the shell started us
 * with them ignored (background jobs): the first asks the loop to stop
 * (audio_stop fades out over AUDIO_FADE_MS, --stats printed, exit 0), a
 * second one exits at once. SIGHUP (the terminal closed) does the same,
 * unless it was ignored when we started (nohup). They are blocked while the
 * audio and worker threads are created, so those threads inherit a mask
 * that sends every signal to the main thread, whose watch_wait the handler
 * wakes. SIGPIPE is ignored: a reader of stderr or stdout that went away
 * (`phonon live x.ph 2>&1 | head`) makes writes fail with EPIPE, which ends
 * nothing but that output; the music plays on.
 *
 * Open files. The audio system (the JACK client library, ALSA) needs a
 * dozen descriptors, the watch two or three, each reload and sample one;
 * out of them, the JACK library crashed or said "no JACK server", or the
 * reloads failed forever. So before anything is opened the budget is
 * checked (LIVE_FDS_NEEDED free below RLIMIT_NOFILE, the soft limit raised
 * towards the hard one when short) and a short one ends live with a message
 * and status 69.
 *
 * The reload part (struct cli_live) knows nothing of the audio device, so
 * tests/test_live.c drives it with engine_render directly.
 */
#include "audio.h"
#include "cli.h"
#include "cli_link.h"
#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "midi.h"
#include "phonon.h"
#include "pool.h"
#include "sample.h"
#include "voice.h"
#include "watch.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- samples for the statistics -------------------------------------------- */

struct live_series {
    int64_t *v;
    size_t n, cap;
};

/* Append x (the first 4M samples are kept). */
static void series_add(struct live_series *s, int64_t x)
{
    if (s->n == s->cap) {
        if (s->cap >= ((size_t)1 << 22))
            return;                 /* days of reloads: keep the first 4M */
        size_t cap = s->cap ? s->cap * 2 : 256;
        int64_t *v = realloc(s->v, sizeof *v * cap);
        if (!v)
            return;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = x;
}

/* qsort order of int64_t. */
static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentiles (q in 0..1) of s; 0 when empty. */
static void series_pct(const struct live_series *s, const double *q, int nq, int64_t *out)
{
    int64_t *c = s->n ? malloc(sizeof *c * s->n) : NULL;
    if (c) {
        memcpy(c, s->v, sizeof *c * s->n);
        qsort(c, s->n, sizeof *c, cmp_i64);
    }
    for (int i = 0; i < nq; i++) {
        size_t rank = (size_t)ceil(q[i] * (double)s->n);
        out[i] = c ? c[rank ? rank - 1 : 0] : 0;
    }
    free(c);
}

/* ---- the reload part ----------------------------------------------------------- */

struct cli_live {
    char *path;
    int64_t empty_since;            /* an empty file was put off at this time (0: none) */
    struct stat empty_st;           /* ... and what fstat said of it then */
    struct engine *engine;
    struct cli_compile_opts co;
    int report;                     /* one line per reload on stderr */
    uint64_t pending_seq;           /* published, not yet seen playing */
    int64_t pending_event_ns;       /* the save's event time (0: none) */
    double pending_compile_ms;
    struct cli_live_counts n;
    struct live_series latency;     /* ns, event -> first block of the new program */
    struct live_series cost;        /* ns, swap_cost_ns of each program that played */
    struct program_starts starts;   /* the last program's: when each statement changed */
    int midi_noted;                 /* said that s "midi" goes nowhere without --midi-out */
};

/* See cli.h. */
struct cli_live *cli_live_new(const char *path, struct engine *e, const struct cli_compile_opts *co,
                              int report)
{
    struct cli_live *l = calloc(1, sizeof *l);
    if (!l || !(l->path = strdup(path))) {
        free(l);
        return NULL;
    }
    l->engine = e;
    l->co = *co;
    l->report = report;
    return l;
}

/* See cli.h. */
void cli_live_free(struct cli_live *l)
{
    if (!l)
        return;
    free(l->latency.v);
    free(l->cost.v);
    free(l->path);
    free(l);
}

/* See cli.h. */
void cli_live_get_counts(const struct cli_live *l, struct cli_live_counts *c)
{
    *c = l->n;
    c->empty_held = l->empty_since != 0;
    c->latency_samples = l->latency.n;
    c->pending = l->pending_seq != 0;
}

/* Take the pending program's latency sample if the audio thread has picked
 * it up; with `final`, give up on it (it is being replaced). The report line
 * of a load waits for this, so that it can say when the program played. */
static void sample_pending(struct cli_live *l, int final)
{
    if (!l->pending_seq)
        return;
    struct engine_stats st;
    engine_get_stats(l->engine, &st);
    if (st.swap_seq < l->pending_seq && !final)
        return;
    char played[64] = "";
    if (st.swap_seq < l->pending_seq) {
        l->n.superseded++;
        snprintf(played, sizeof played, ", replaced before it played");
    } else if (st.swap_seq == l->pending_seq && l->pending_event_ns) {
        int64_t latency = st.swap_ns - l->pending_event_ns;
        series_add(&l->latency, latency);
        series_add(&l->cost, st.swap_cost_ns);
        snprintf(played, sizeof played, ", playing %.1f ms after the save", (double)latency * 1e-6);
    }
    if (l->report)
        fprintf(stderr, "phonon live: loaded %s (compile %.1f ms)%s\n", l->path, l->pending_compile_ms, played);
    l->pending_seq = 0;
}

/* See cli.h. */
void cli_live_tick(struct cli_live *l)
{
    sample_pending(l, 0);
    engine_collect(l->engine);
    if (l->empty_since && phonon_mono_ns() - l->empty_since >= CLI_LIVE_EMPTY_HOLD_MS * (int64_t)1000000)
        cli_live_load(l, 0);
}

/* 1 when two fstat()s show the same file with the same contents, as far as
 * its size and times tell. */
static int same_state(const struct stat *a, const struct stat *b)
{
#if defined(__APPLE__)
    const struct timespec *am = &a->st_mtimespec, *bm = &b->st_mtimespec;
    const struct timespec *ac = &a->st_ctimespec, *bc = &b->st_ctimespec;
#else
    const struct timespec *am = &a->st_mtim, *bm = &b->st_mtim, *ac = &a->st_ctim, *bc = &b->st_ctim;
#endif
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
           am->tv_sec == bm->tv_sec && am->tv_nsec == bm->tv_nsec && ac->tv_sec == bc->tv_sec &&
           ac->tv_nsec == bc->tv_nsec;
}

/* Read the whole file, refusing what is no pattern file. 0, or an exit code
 * after printing why. *st: fstat after the read; *moved: the file changed
 * while it was read (the text may be a mix of two versions). */
static int read_pattern(const char *path, char **out, size_t *len, struct stat *st, int *moved)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cli_fail("live", errno == ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_IOERR,
                        "cannot read %s: %s", path, strerror(errno));
    struct stat sb;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        close(fd);
        return cli_fail("live", PHONON_EXIT_IOERR, "cannot read %s: not a regular file", path);
    }
    if (sb.st_size > CLI_LIVE_MAX_BYTES) {
        close(fd);
        return cli_fail("live", PHONON_EXIT_DATAERR, "%s is %lld bytes; a pattern file is at most %d",
                        path, (long long)sb.st_size, CLI_LIVE_MAX_BYTES);
    }
    /* read to the end, whatever fstat said: an editor may still be
     * writing; a file that grows past the limit is refused below */
    size_t cap = (size_t)sb.st_size + 4096, n = 0;
    char *buf = malloc(cap + 1);
    while (buf && n <= CLI_LIVE_MAX_BYTES) {
        if (n == cap) {
            char *more = realloc(buf, (cap *= 2) + 1);
            if (!more)
                free(buf);
            if (!(buf = more))
                break;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            int err = errno;
            close(fd);
            free(buf);
            return cli_fail("live", PHONON_EXIT_IOERR, "cannot read %s: %s", path, strerror(err));
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (!buf) {
        close(fd);
        return cli_fail("live", PHONON_EXIT_SOFTWARE, "out of memory reading %s", path);
    }
    *moved = fstat(fd, st) != 0 || !same_state(&sb, st) || (off_t)n != st->st_size;
    close(fd);
    if (n > CLI_LIVE_MAX_BYTES) {
        free(buf);
        return cli_fail("live", PHONON_EXIT_DATAERR, "%s is larger than %d bytes; is it a pattern file?",
                        path, CLI_LIVE_MAX_BYTES);
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

/* Whether a file just read (len bytes, fstat st, changed while read: moved)
 * is to be put off rather than loaded; see "Half-written files" at the top.
 * An empty file counts as having stayed empty only if it is the very same
 * empty file (inode, times) as when it was first put off. */
static int put_off(struct cli_live *l, size_t len, const struct stat *st, int moved)
{
    int64_t now = phonon_mono_ns();
    if (len > 0 || !l->n.loaded || !l->n.last_bytes) {
        l->empty_since = 0;
        if (!moved)
            return 0;
    } else if (l->empty_since && (moved || !same_state(st, &l->empty_st))) {
        l->empty_since = now;           /* written since: the hold starts again */
        l->empty_st = *st;
    } else if (!l->empty_since) {
        l->empty_since = now;
        l->empty_st = *st;
        if (!l->co.quiet)
            fprintf(stderr, "phonon live: %s is empty; the previous version keeps playing unless it stays empty "
                            "for %.1f s\n", l->path, CLI_LIVE_EMPTY_HOLD_MS / 1000.0);
    } else if (now - l->empty_since >= CLI_LIVE_EMPTY_HOLD_MS * (int64_t)1000000) {
        l->empty_since = 0;
        if (!l->co.quiet)
            fprintf(stderr, "phonon live: %s stayed empty: playing silence\n", l->path);
        return 0;
    }
    l->n.deferred++;
    return 1;
}

/* See cli.h. */
int cli_live_load(struct cli_live *l, int64_t event_ns)
{
    char *src = NULL;
    size_t len = 0;
    struct program *p = NULL;
    int64_t t0 = phonon_mono_ns();
    struct stat st;
    int moved = 0, rc = read_pattern(l->path, &src, &len, &st, &moved);
    if (!rc && put_off(l, len, &st, moved)) {
        free(src);
        return 0;
    }
    if (!rc) {
        l->co.prev = l->n.loaded ? &l->starts : NULL;   /* trigger, once: from this cycle */
        l->co.now = engine_cycle(l->engine);
        rc = cli_compile("live", l->path, src, len, &l->co, &p);
        l->co.prev = NULL;
        if (!rc)
            l->starts = p->starts;
    }
    free(src);
    l->n.last_compile_ms = (double)(phonon_mono_ns() - t0) * 1e-6;
    if (rc) {
        l->n.failed++;
        l->n.last_ok = 0;
        if (l->report)
            fprintf(stderr, "phonon live: %s not loaded; %s\n", l->path,
                    l->n.loaded ? "the previous version keeps playing" : "waiting for a working version");
        return rc;
    }
    if (!l->co.quiet && !l->midi_noted && !engine_midi(l->engine) && midi_program_plays(p)) {
        l->midi_noted = 1;
        fprintf(stderr, "phonon: note: s \"midi\" events send nothing without --midi-out PORT (--list-midi)\n");
        cli_diag_rows++;
    }
    sample_pending(l, 1);
    l->pending_seq = engine_publish(l->engine, p);
    l->pending_event_ns = event_ns;
    l->pending_compile_ms = l->n.last_compile_ms;
    l->n.loaded++;
    l->n.last_ok = 1;
    l->n.last_bytes = len;
    return 0;
}

/* See cli.h. */
int cli_live_handle(struct cli_live *l, int kind, int64_t when_ns)
{
    switch (kind) {
    case WATCH_CHANGED:
    case WATCH_BACK:
        l->n.deleted = 0;
        return cli_live_load(l, when_ns);
    case WATCH_DELETED:
        l->n.deleted = 1;
        fprintf(stderr, "phonon live: %s was deleted; %s until it is back\n", l->path,
                l->n.loaded ? "still playing" : "waiting");
        return 0;
    default:
        return 0;
    }
}

/* "reload latency: p50 7.1 p99 11.9 max 12.4 ms (199 samples)", for --stats */
static void print_series(FILE *f, const char *what, const struct live_series *s, double unit,
                         const char *unit_name)
{
    static const double q[] = { 0.5, 0.99, 1.0 };
    int64_t v[3];
    series_pct(s, q, 3, v);
    fprintf(f, "%s: p50 %.3f p99 %.3f max %.3f %s (%zu samples)\n", what, (double)v[0] / unit,
            (double)v[1] / unit, (double)v[2] / unit, unit_name, s->n);
}

/* See cli.h. */
void cli_live_print_stats(struct cli_live *l, FILE *f)
{
    sample_pending(l, 0);
    fprintf(f, "reloads: %u loaded, %u not loaded (errors), %u superseded before playing\n",
            l->n.loaded, l->n.failed, l->n.superseded);
    print_series(f, "reload latency", &l->latency, 1e6, "ms");
    print_series(f, "swap cost", &l->cost, 1e3, "us");
}

/* ---- the watchdog ----------------------------------------------------------------- */

/* The control thread never waits for the audio callback; it watches it. A
 * program that cannot play in real time (a callback still running after
 * WATCHDOG_STALL_NS, or callbacks that took more than WATCHDOG_OVERRUN times
 * their blocks' duration, busy nearly all the time, over WATCHDOG_WINDOW_NS)
 * is replaced by silence: a `panic` program, which also fades the voices that
 * sound. Reloads and Ctrl-C go on meanwhile; the next save that compiles
 * plays. Once per loaded program, so a callback that never returns is not
 * fed one silence after another. A control thread that itself woke late
 * (the host took the CPU from the whole machine) judges nothing: it starts a
 * new window. */
enum {
    WATCHDOG_WINDOW_NS = 2000000000,
    WATCHDOG_STALL_NS = 2000000000,
    WATCHDOG_LATE_NS = 500000000,
};
#define WATCHDOG_OVERRUN 1.5

struct watchdog {
    int64_t t0, busy0, last_ns;     /* the window's start; the previous look */
    unsigned blocks0;
    unsigned silenced_at;           /* loads count when silence was published (0: never) */
};

/* 1 (and why, in msg) when the program playing should be silenced. */
static int watchdog_look(struct watchdog *wd, const struct audio_stats *as, double block_ns, unsigned loads,
                         char *msg, size_t size)
{
    int64_t now = phonon_mono_ns();
    int late = wd->last_ns && now - wd->last_ns > WATCHDOG_LATE_NS;
    wd->last_ns = now;
    if (!wd->t0 || late) {
        wd->t0 = now, wd->busy0 = as->busy_ns, wd->blocks0 = as->blocks;
        return 0;
    }
    if (wd->silenced_at == loads + 1)
        return 0;
    if (as->running_ns > WATCHDOG_STALL_NS) {
        snprintf(msg, size, "the audio callback has not returned for %.1f s", (double)as->running_ns * 1e-9);
        return 1;
    }
    if (now - wd->t0 < WATCHDOG_WINDOW_NS)
        return 0;
    double busy = (double)(as->busy_ns - wd->busy0), budget = (double)(as->blocks - wd->blocks0) * block_ns;
    double wall = (double)(now - wd->t0);
    wd->t0 = now, wd->busy0 = as->busy_ns, wd->blocks0 = as->blocks;
    if (busy > 0.9 * wall && busy > WATCHDOG_OVERRUN * budget) {
        snprintf(msg, size, "the program took %.0f%% of the real-time budget for %.1f s",
                 budget > 0 ? 100.0 * busy / budget : 0.0, wall * 1e-9);
        return 1;
    }
    return 0;
}

/* Replace the program playing with silence (a `panic` program). */
static void live_silence(struct cli_live *l, struct watchdog *wd, const char *why)
{
    static const char panic[] = "panic\n";
    struct cli_compile_opts co = l->co;
    co.quiet = 1;
    struct program *p = NULL;
    if (cli_compile("live", l->path, panic, sizeof panic - 1, &co, &p) == 0) {
        sample_pending(l, 1);
        engine_publish(l->engine, p);
    }
    wd->silenced_at = l->n.loaded + 1;
    fprintf(stderr, "phonon live: %s: %s; playing silence until the next save\n", l->path, why);
}

/* A counter the engine keeps that deserves a warning when it grows
 * (voices_limited, onsets_capped): how much it grew since the last warning,
 * once a second at most (0: nothing to say yet). */
struct news {
    long warned;
    int64_t last_ns;
};

static long news_of(struct news *n, long total)
{
    int64_t now = phonon_mono_ns();
    if (total <= n->warned || now - n->last_ns < 1000000000)
        return 0;
    long d = total - n->warned;
    n->warned = total;
    n->last_ns = now;
    return d;
}

/* ---- the command ----------------------------------------------------------------- */

enum { LIVE_WATCHER_NICE = -10 };

static const char usage[] = "FILE.ph [options]\n\n"
    "Play FILE.ph and reload it on every save; a broken save leaves the previous\n"
    "version playing. A FILE that does not exist is created with a starter pattern.\n"
    "Plays on the JACK server when one runs, else on the default output device.\n"
    "Ctrl-C stops (with a 10 ms fade); a second Ctrl-C exits at once.\n"
    "--midi-out sends the events of s \"midi\" to a MIDI port (ALSA's sequencer),\n"
    "on time with the audio; every note still on is turned off at the end.";

static volatile sig_atomic_t stop_signals;
static struct watch *_Atomic signal_watch;

/* SIGINT/SIGTERM/SIGHUP: the first asks the loop to stop (and wakes it), a
 * second exits at once. Async-signal-safe. */
static void on_stop_signal(int sig)
{
    if (stop_signals++)
        _exit(128 + sig);
    struct watch *w = atomic_load(&signal_watch);
    if (w)
        watch_wake(w);
}

/* The stop signals: SIGINT, SIGTERM, SIGHUP. */
static void stop_set(sigset_t *s)
{
    sigemptyset(s);
    sigaddset(s, SIGINT);
    sigaddset(s, SIGTERM);
    sigaddset(s, SIGHUP);
}

/* SIGINT/SIGTERM to on_stop_signal, whatever they were (even ignored);
 * SIGHUP too unless ignored (nohup). The handler is not
 * re-entered: the stop signals are masked while it runs. */
static void install_signals(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    stop_set(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
        sigaction(SIGHUP, &sa, NULL);
}

/* Block (SIG_BLOCK) or unblock (SIG_UNBLOCK) the stop signals in this thread. */
static void block_signals(int how)
{
    sigset_t s;
    stop_set(&s);
    pthread_sigmask(how, &s, NULL);
}

/* Descriptors live must have free: the audio system's (a dozen for a JACK
 * client), the watch's, a reload's, a sample file's, with room to spare. */
enum { LIVE_FDS_NEEDED = 48, LIVE_FDS_SCAN = 4096 };

/* How many descriptors below `limit` are open (counted up to LIVE_FDS_SCAN). */
static int open_fds(rlim_t limit)
{
    int n = 0;
    for (int fd = 0; fd < LIVE_FDS_SCAN && (rlim_t)fd < limit; fd++)
        n += fcntl(fd, F_GETFD) != -1;
    return n;
}

/* The descriptor budget (see "Open files" at the top): 0, or 69 after
 * saying what is wrong and what to do. The soft limit is raised (towards
 * the hard one, up to LIVE_FDS_SCAN) only when it is short. */
static int check_fd_budget(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= LIVE_FDS_SCAN)
        return 0;
    int used = open_fds(rl.rlim_cur);
    if (rl.rlim_cur >= (rlim_t)(used + LIVE_FDS_NEEDED))
        return 0;
    struct rlimit up = rl;
    up.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > LIVE_FDS_SCAN ? LIVE_FDS_SCAN : rl.rlim_max;
    if (up.rlim_cur >= (rlim_t)(used + LIVE_FDS_NEEDED) && setrlimit(RLIMIT_NOFILE, &up) == 0)
        return 0;
    return cli_fail("live", PHONON_EXIT_UNAVAILABLE,
                    "too few open files allowed: the limit is %llu (hard limit %llu), %d are open, and live needs "
                    "%d more for the audio system, the file watch and samples; raise it (ulimit -n %d)",
                    (unsigned long long)rl.rlim_cur, (unsigned long long)rl.rlim_max, used, LIVE_FDS_NEEDED,
                    used + LIVE_FDS_NEEDED);
}

/* The render callback's user data: set before audio_start, after the engine
 * could be made with the device's rate. */
struct live_out {
    struct engine *engine;
    int pinned;                     /* the audio thread asked for its own CPU (first block) */
    _Atomic uint32_t peak;          /* the largest |sample| since the status line last looked,
                                       as float bits: non-negative floats order as their bits */
};

/* The block's peak into lo->peak (a lock-free max). Audio thread. */
static void meter_block(struct live_out *lo, const float *out, int frames)
{
    float peak = 0;
    for (int i = 0; i < 2 * frames; i++) {
        float x = fabsf(out[i]);
        peak = x > peak ? x : peak;     /* NaN never wins */
    }
    uint32_t bits, cur = atomic_load_explicit(&lo->peak, memory_order_relaxed);
    memcpy(&bits, &peak, sizeof bits);
    while (bits > cur && !atomic_compare_exchange_weak_explicit(&lo->peak, &cur, bits, memory_order_relaxed,
                                                                memory_order_relaxed)) {
    }
}

/* The audio callback's work: one engine block, metered. Audio thread. */
static void play_block(void *user, float *out, int frames)
{
    struct live_out *lo = user;
    if (!lo->pinned) {
        /* A CPU no pool worker is pinned to (pool.h): sharing one, the
         * caller would spin while the worker it waits for cannot run, and
         * the block would get no help (perf sched: the worker waited out
         * every callback; make soak-live's callback load P99 was 22-28 %
         * there, 10-12 % here). */
        lo->pinned = 1;
        pool_pin_caller(engine_pool(lo->engine));
    }
    engine_render(lo->engine, out, frames);
    meter_block(lo, out, frames);
}

/* --list-devices: the list on stdout; 69 when there is no output device. */
static int list_devices(void)
{
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem)
        return cli_fail("live", PHONON_EXIT_SOFTWARE, "out of memory");
    int r = audio_list_devices(mem);
    fclose(mem);
    int devices = 0, idx;     /* lines that start with an index */
    for (const char *line = text; line && *line; line = strchr(line, '\n')) {
        line += *line == '\n';
        devices += sscanf(line, "%d", &idx) == 1;
    }
    fputs(text ? text : "", stdout);
    free(text);
    if (r < 0)
        return cli_fail("live", PHONON_EXIT_UNAVAILABLE, "cannot list audio devices: %s", phonon_strerror(r));
    return devices ? PHONON_EXIT_OK : PHONON_EXIT_UNAVAILABLE;
}

/* FILE missing: write the starter pattern. 0 or an exit code. */
static int ensure_file(const char *path, int quiet)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode))
            return cli_fail("live", PHONON_EXIT_NOINPUT, "%s is a directory, not a pattern file", path);
        return 0;
    }
    if (errno != ENOENT)
        return cli_fail("live", PHONON_EXIT_NOINPUT, "cannot open %s: %s", path, strerror(errno));
    FILE *f = fopen(path, "wx");
    if (!f)
        return cli_fail("live", PHONON_EXIT_CANTCREAT, "%s does not exist and cannot be created: %s", path,
                        strerror(errno));
    if (fputs(cli_starter, f) < 0 || fclose(f) != 0)
        return cli_fail("live", PHONON_EXIT_CANTCREAT, "cannot write %s", path);
    if (!quiet)
        fprintf(stderr, "phonon live: %s did not exist: wrote a starter pattern; edit it and save while it plays\n",
                path);
    return 0;
}

/* The status line: everything a performer glances at, at most 10 times a
 * second, redrawn in place. */
struct status {
    int on;                         /* stderr is a terminal and not --quiet */
    int shown;                      /* a line is on screen */
    int rate;                       /* Hz, for the time the master limited */
    int64_t last_ns;
    int colour;                     /* ANSI colours: a terminal and no $NO_COLOR */
    struct cli_meter meter;
    unsigned long err_rows;         /* rows of the last failed load's errors, just above */
};

/* Erase the status line, if one is shown (before any other message). */
static void status_clear(struct status *s)
{
    s->err_rows = 0;                /* a message follows: the rows above are no longer the error's */
    if (s->shown) {
        fputs("\r\033[K", stderr);
        s->shown = 0;
    }
}

/* The level meter (cli_meter.c) with the peak the audio callback kept
 * since the last redraw (taken, and reset). */
static void status_meter(struct status *s, _Atomic uint32_t *peak_bits, int64_t now, char *buf, size_t size)
{
    uint32_t bits = atomic_exchange_explicit(peak_bits, 0, memory_order_relaxed);
    float peak;
    memcpy(&peak, &bits, sizeof peak);
    cli_meter_text(&s->meter, peak, now, s->colour, buf, size);
}

/* Redraw the status line, at most every 100 ms. */
static void status_draw(struct status *s, struct engine *e, struct audio *a, const struct cli_live *l,
                        struct live_out *out)
{
    int64_t now = phonon_mono_ns();
    if (!s->on || now - s->last_ns < 100000000)
        return;
    s->last_ns = now;
    struct engine_stats es;
    struct audio_stats as;
    struct cli_live_counts c;
    engine_get_stats(e, &es);
    audio_get_stats(a, &as);
    cli_live_get_counts(l, &c);
    char reload[96];
    if (c.deleted)
        snprintf(reload, sizeof reload, "file deleted");
    else if (!c.loaded && !c.failed)
        snprintf(reload, sizeof reload, "-");
    else
        snprintf(reload, sizeof reload, "%s %.1f ms", c.last_ok ? "ok" : "ERROR", c.last_compile_ms);
    if (c.last_ok && l->latency.n) {    /* the last save heard this long after it was read */
        size_t at = strlen(reload);
        snprintf(reload + at, sizeof reload - at, ", heard +%.1f ms", (double)l->latency.v[l->latency.n - 1] * 1e-6);
    }
    char limited[48] = "";
    if (es.limited_frames && s->rate > 0)
        snprintf(limited, sizeof limited, "  limited %.1f s (%.0f dB)", (double)es.limited_frames / s->rate,
                 es.limited_max_db);
    char meter[512];
    status_meter(s, &out->peak, now, meter, sizeof meter);
    fprintf(stderr, "\r%s  cycle %.2f  cps %.3g  voices %d  load %.0f%%  xruns %u  reload %s%s\033[K", meter,
            es.cycle, es.cps, es.voices, as.load_last * 100.0, as.underflows, reload, limited);
    s->shown = 1;
}

/* The options of `phonon live`. */
struct live_opts {
    struct cli_engine_opts eo;
    const char *device;
    const char *midi_out;           /* --midi-out NAME|INDEX */
    double latency_ms, cycles, duration;
    int list, list_midi, stats;
    int link;                       /* --link: follow an Ableton Link session (cli_link.h) */
    long quantum;                   /* --quantum: beats per cycle */
    const char *link_log;           /* --link-log FILE */
};

/* What a session holds while it plays; cli_live frees it. */
struct live_session {
    const struct live_opts *lo;
    const char *path;
    struct live_out out;            /* the render callback's user data */
    struct audio *audio;
    struct engine *eng;
    struct midi *midi;              /* --midi-out: the engine's MIDI ring */
    struct midi_dev *mdev;          /* and the port it goes to */
    struct sample_bank *bank;
    struct cli_live *l;
    struct watch *w;
    struct cli_link *link;          /* --link */
    struct status status;
    int rate, block;
};

/* The operand and the options' ranges. 0 or an exit code. */
static int live_check(const struct live_opts *lo, int nops)
{
    if (nops != 1)
        return cli_fail("live", PHONON_EXIT_USAGE, "expected one FILE.ph (try 'phonon live --help')");
    int rc = cli_engine_check("live", &lo->eo, 1);
    if (rc || (rc = cli_length_check("live", lo->cycles, lo->duration, 1)))
        return rc;
    if (lo->latency_ms < 0 || lo->latency_ms > 2000)
        return cli_fail("live", PHONON_EXIT_USAGE, "invalid option: --latency 0..2000");
    if (lo->quantum < 1 || lo->quantum > CLI_LINK_MAX_QUANTUM)
        return cli_fail("live", PHONON_EXIT_USAGE, "invalid option: --quantum 1..%d", CLI_LINK_MAX_QUANTUM);
    if (!lo->link && (lo->link_log || lo->quantum != CLI_LINK_QUANTUM))
        return cli_fail("live", PHONON_EXIT_USAGE, "--quantum and --link-log go with --link");
    if (lo->link && !cli_link_available("live"))
        return PHONON_EXIT_UNAVAILABLE;
    return 0;
}

/* The device opened, then the engine at its rate and block, the bank, the
 * reloader and the watch. 0 or an exit code. No thread may exist before
 * audio_open (it silences fd 2 for a moment), and every thread created from
 * here on starts with the stop signals blocked, so that they reach the main
 * thread only. */
static int live_open(struct live_session *s)
{
    const struct live_opts *lo = s->lo;
    int rc = check_fd_budget();
    if (rc)
        return rc;
    install_signals();
    block_signals(SIG_BLOCK);
    struct audio_opts ao = { .device = lo->device, .sample_rate = (double)lo->eo.sample_rate,
                             .block = (int)lo->eo.block, .latency = lo->latency_ms / 1000.0, .render = play_block,
                             .user = &s->out };
    char msg[256] = "";
    int r = audio_open(&s->audio, &ao, msg, sizeof msg);
    if (r < 0)
        return cli_fail("live", r == PHONON_ENODEV ? PHONON_EXIT_UNAVAILABLE : PHONON_EXIT_SOFTWARE, "%s", msg);
    s->rate = (int)lround(audio_sample_rate(s->audio));
    s->block = audio_block(s->audio);
    struct engine_opts eo = { .sample_rate = s->rate, .block = s->block, .threads = (int)lo->eo.threads,
                              .voices = (int)lo->eo.voices, .rt_priority = POOL_RT_PRIORITY_DEFAULT,
                              .quiet = lo->eo.quiet };
    if (!(s->eng = engine_new(&eo)))
        return cli_fail("live", PHONON_EXIT_SOFTWARE, "out of memory starting the engine");
    s->out.engine = s->eng;         /* the stream starts later: nobody reads it yet */
    if (lo->link && !(s->link = cli_link_new("live", s->eng, (int)lo->quantum, s->rate, audio_latency(s->audio),
                                             lo->link_log, lo->eo.quiet, &rc)))
        return rc;
    if (lo->midi_out) {             /* the MIDI thread starts with the stop signals blocked too */
        if (!(s->midi = midi_new(s->rate)))
            return cli_fail("live", PHONON_EXIT_SOFTWARE, "out of memory");
        if (!(s->mdev = midi_dev_open(s->midi, lo->midi_out, s->rate, audio_latency(s->audio), msg, sizeof msg)))
            return cli_fail("live", PHONON_EXIT_UNAVAILABLE, "%s", msg);
        engine_set_midi(s->eng, s->midi);
    }
    if (!(s->bank = cli_bank("live", &lo->eo.samples, s->rate, lo->eo.sample_mem, &rc)))
        return rc;
    struct cli_compile_opts co = { .sample_rate = s->rate, .block = s->block, .bank = s->bank,
                                   .allow_missing = lo->eo.allow_missing, .quiet = lo->eo.quiet };
    s->status.on = !lo->eo.quiet && isatty(2);
    s->status.rate = s->rate;
    s->status.colour = s->status.on && !getenv("NO_COLOR");
    if (!(s->l = cli_live_new(s->path, s->eng, &co, !lo->eo.quiet && !s->status.on)))
        return cli_fail("live", PHONON_EXIT_SOFTWARE, "out of memory");
    int werr = 0;
    if (!(s->w = watch_new(s->path, &werr)))
        return cli_fail("live", werr == PHONON_ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_SOFTWARE,
                        "cannot watch %s: %s", s->path, phonon_strerror(werr));
    atomic_store(&signal_watch, s->w);
    return 0;
}

/* The first load, then the stream started. 0 or an exit code. */
static int live_start(struct live_session *s)
{
    if (!s->lo->eo.quiet)
        fprintf(stderr, "phonon live: playing %s on %s (%d Hz, %d frames, %.1f ms); Ctrl-C stops\n", s->path,
                audio_device_name(s->audio), s->rate, s->block, audio_latency(s->audio) * 1e3);
    if (s->mdev && !s->lo->eo.quiet)
        fprintf(stderr, "phonon live: MIDI to %s\n", midi_dev_name(s->mdev));
    cli_live_load(s->l, 0);
    if (audio_start(s->audio) < 0)
        return cli_fail("live", PHONON_EXIT_UNAVAILABLE, "cannot start %s", audio_device_name(s->audio));
    block_signals(SIG_UNBLOCK);
    /* Compiling is on the reload latency's path: ask for a larger share of
     * the CPU than the editor and the browser get. Allowed for root and for
     * users whose limits permit it (the audio group's usually do); a refusal
     * changes nothing else. Threads made from now on would inherit it: the
     * audio and worker threads exist already (and are real-time anyway). */
    setpriority(PRIO_PROCESS, (id_t)gettid(), LIVE_WATCHER_NICE);
    return 0;
}

/* How long watch_wait may sleep, given --cycles or --duration; -1 when the
 * session has played its length (also by the clock: blocks stop counting
 * while a callback hangs). */
static int live_timeout(const struct live_session *s, int timeout, int64_t started_ns)
{
    const struct live_opts *lo = s->lo;
    int64_t limit_frames = lo->duration > 0 ? (int64_t)llround(lo->duration * s->rate) : 0;
    if (!limit_frames && lo->cycles <= 0)
        return timeout;
    struct engine_stats es;
    engine_get_stats(s->eng, &es);
    double left_s = limit_frames ? (double)(limit_frames - (int64_t)es.blocks * s->block) / s->rate
                                 : (lo->cycles - es.cycle) / es.cps - (double)s->block / s->rate;
    if (left_s <= 0 || (lo->duration > 0 && (double)(phonon_mono_ns() - started_ns) * 1e-9 > lo->duration + 1.0))
        return -1;
    return left_s < 0.1 ? (int)(left_s * 1000) + 1 : timeout;
}

/* A save handled with the status line on: the rows a failed load printed
 * are remembered, and erased once a later save loads (the warnings that
 * load printed kept below them), so a fixed error does not stay on
 * screen. prev: the rows of the last failure, read before status_clear
 * (which forgets them: any other message printed in between keeps them on
 * screen). Only rows that are still on the terminal are erased. */
static void status_reload(struct status *s, unsigned long prev, struct cli_live *l, int kind, int64_t when)
{
    struct winsize ws;
    struct cli_live_counts before, after;
    cli_live_get_counts(l, &before);
    cli_diag_rows = 0;
    int rc = cli_live_handle(l, kind, when);
    cli_live_get_counts(l, &after);
    s->err_rows = 0;
    if (!s->on)
        return;
    if (rc == PHONON_EXIT_DATAERR) {
        s->err_rows = cli_diag_rows;
    } else if (!rc && prev && after.loaded > before.loaded && ioctl(2, TIOCGWINSZ, &ws) == 0 &&
               prev + cli_diag_rows < ws.ws_row) {
        cli_erase_rows(stderr, prev, cli_diag_rows);
    }   /* else (deferred, deleted: a notice may have been printed) the rows are forgotten */
}

/* One watch_wait result acted on: a save loaded, a deletion noted, a
 * failing watch reported (and a moment's pause). */
static void live_watch(struct live_session *s, int timeout)
{
    int64_t when = 0;
    int kind = watch_wait(s->w, timeout, &when);
    if (kind == WATCH_CHANGED || kind == WATCH_BACK || kind == WATCH_DELETED) {
        unsigned long prev = s->status.err_rows;
        status_clear(&s->status);
        status_reload(&s->status, prev, s->l, kind, when);
    } else if (kind < 0) {
        status_clear(&s->status);
        fprintf(stderr, "phonon live: watching %s failed (%s); still playing\n", s->path, phonon_strerror(kind));
        struct timespec t = { 0, 100000000 };
        nanosleep(&t, NULL);
    }
}

/* What the loop keeps between rounds about the audio side. */
struct live_watchers {
    struct watchdog wd;
    unsigned last_callbacks;
    int64_t last_callback_ns;
    struct news limited, capped, fx;   /* voices_limited, onsets_capped, voices_fx_dropped */
    char silent_why[200];               /* the last query failure told (engine_take_query_error) */
};

/* Between saves: the watchdog, out-of-range voices, and whether the device
 * still calls back. 0, or the exit code that ends the session (69: a
 * device that stopped calling back, e.g. the JACK server gone). */
static int live_audio_check(struct live_session *s, struct live_watchers *lw)
{
    struct audio_stats as;
    audio_get_stats(s->audio, &as);
    char why[128];
    if (watchdog_look(&lw->wd, &as, 1e9 * s->block / s->rate, s->l->n.loaded, why, sizeof why)) {
        status_clear(&s->status);
        live_silence(s->l, &lw->wd, why);
    }
    struct engine_stats es;
    engine_get_stats(s->eng, &es);
    long nl = news_of(&lw->limited, es.voices_limited), nc = news_of(&lw->capped, es.onsets_capped);
    long nf = news_of(&lw->fx, es.voices_fx_dropped);
    if ((nl || nc || nf) && !s->lo->eo.quiet)
        status_clear(&s->status);
    if (nf && !s->lo->eo.quiet)
        fprintf(stderr, "phonon live: warning: %ld voices played without some of their delay-line effects: "
                        "at most %d such voices sound at once, with %d of these effects each\n",
                nf, VOICE_FX_VOICES, VOICE_FX_PER_VOICE);
    if (nl && !s->lo->eo.quiet)
        fprintf(stderr, "phonon live: warning: %ld voice pitches or speeds were out of range (not a number, "
                        "above the Nyquist frequency, or speed beyond %g) and were limited\n",
                nl, VOICE_MAX_SPEED);
    if (nc && !s->lo->eo.quiet)
        fprintf(stderr, "phonon live: warning: %ld onsets were dropped: a block starts at most %d voices\n", nc,
                ENGINE_ONSETS_PER_FRAME * s->block);
    char qwhy[200];
    if (engine_take_query_error(s->eng, qwhy, sizeof qwhy) && strcmp(qwhy, lw->silent_why) && !s->lo->eo.quiet) {
        status_clear(&s->status);       /* each new reason once */
        fprintf(stderr, "phonon live: warning: a pattern plays silent: %s\n", qwhy);
        snprintf(lw->silent_why, sizeof lw->silent_why, "%s", qwhy);
    }
    if (as.callbacks != lw->last_callbacks || as.running_ns) {
        lw->last_callbacks = as.callbacks;          /* a callback that runs is the engine's, not the device's */
        lw->last_callback_ns = phonon_mono_ns();
    } else if (phonon_mono_ns() - lw->last_callback_ns > 3000000000) {
        status_clear(&s->status);
        return cli_fail("live", PHONON_EXIT_UNAVAILABLE, "%s stopped playing (no callback for 3 s)",
                        audio_device_name(s->audio));
    }
    return 0;
}

/* The watcher loop, until a stop signal, the end of --cycles/--duration or
 * a device that went away. Returns 0 or that exit code. */
static int live_loop(struct live_session *s)
{
    struct live_watchers lw = { .last_callback_ns = phonon_mono_ns() };
    int64_t started_ns = lw.last_callback_ns;
    int rc = 0;
    while (!stop_signals && !rc) {
        struct cli_live_counts c;
        cli_live_get_counts(s->l, &c);
        int timeout = live_timeout(s, c.pending ? 2 : 100, started_ns);     /* a pending reload reports soon */
        if (timeout < 0)
            break;
        live_watch(s, timeout);
        cli_link_tick(s->link);
        if (c.empty_held)
            status_clear(&s->status);       /* the tick may load it, and say so */
        cli_live_tick(s->l);
        status_draw(&s->status, s->eng, s->audio, s->l, &s->out);
        rc = live_audio_check(s, &lw);
    }
    status_clear(&s->status);
    return rc;
}

/* --stats at exit, on stdout. */
static void live_print_stats(const struct live_session *s)
{
    struct audio_stats as;
    struct engine_stats es;
    audio_get_stats(s->audio, &as);
    engine_get_stats(s->eng, &es);
    cli_live_print_stats(s->l, stdout);
    printf("swap cost on the audio thread, largest: %.3f us\n", (double)es.swap_cost_max_ns / 1e3);
    printf("master limited: %.2f s (%.1f dB at most)\n", (double)es.limited_frames / s->rate, es.limited_max_db);
    printf("xruns: %u (underflows %u, overflows %u), callbacks %u, blocks %u, max callback load %.1f%%\n",
           as.underflows + as.overflows, as.underflows, as.overflows, as.callbacks, as.blocks, as.load_max * 100.0);
    printf("callback load: p50 %.1f%% p99 %.1f%% p99.9 %.1f%% (rounded up to 2.5%% steps)\n",
           audio_load_quantile(&as, 0.5) * 100.0, audio_load_quantile(&as, 0.99) * 100.0,
           audio_load_quantile(&as, 0.999) * 100.0);
    printf("audio: %s, %d Hz, block %d, latency %.1f ms\n", audio_device_name(s->audio), s->rate, s->block,
           audio_latency(s->audio) * 1e3);
    if (s->link)
        cli_link_print_stats(s->link, stdout);
    fflush(stdout);
}

/* The stream stopped with its fade (or, when a callback hangs, the process
 * left at once), --stats printed. Returns rc, or 69 when the device went
 * away. */
static int live_stop(struct live_session *s, int rc)
{
    struct audio_stats fin;
    audio_get_stats(s->audio, &fin);
    if (fin.running_ns > WATCHDOG_LATE_NS) {
        /* stopping the stream would wait for a callback that does not
         * return: leave without the fade */
        fprintf(stderr, "phonon live: the audio callback has not returned for %.1f s; exiting without a fade\n",
                (double)fin.running_ns * 1e-9);
        if (s->lo->stats)
            cli_live_print_stats(s->l, stdout);
        fflush(stdout);
        _exit(rc ? rc : PHONON_EXIT_SOFTWARE);
    }
    if (audio_stop(s->audio) < 0 && !rc)
        rc = cli_fail("live", PHONON_EXIT_UNAVAILABLE, "%s went away", audio_device_name(s->audio));
    if (s->mdev) {                  /* the audio thread is done: every note still on goes off */
        midi_dev_close(s->mdev);
        s->mdev = NULL;
        struct midi_stats ms;
        midi_get_stats(s->midi, &ms);
        if (!s->lo->eo.quiet)
            cli_midi_report("live", s->midi, "the MIDI port", ms.sent);
    }
    if (s->lo->stats)
        live_print_stats(s);
    return rc;
}

/* A session on ops[0]: FILE made if missing (before the device: it is made
 * either way), the session opened, started, looped and stopped. */
_Static_assert(LANG_BUFFER_MIN == PHONON_MIN_BLOCK && LANG_BUFFER_MAX == PHONON_MAX_BLOCK,
               "buffer: takes what --block takes");

static int live_run(struct live_session *s, struct live_opts *lo, const char **ops, int nops)
{
    if (nops == 1)
        cli_block_from_file(&lo->eo, ops[0]);
    int rc = live_check(s->lo, nops);
    if (rc || (rc = ensure_file(s->path = ops[0], s->lo->eo.quiet)) || (rc = live_open(s)) ||
        (rc = live_start(s)))
        return rc;
    return live_stop(s, live_loop(s));
}

/* `phonon live`: options, then the device list or a session. */
int cli_live(int argc, char **argv)
{
    struct live_opts lo = { .eo = CLI_ENGINE_DEFAULTS(0), .quantum = CLI_LINK_QUANTUM };
    lo.eo.block = CLI_BLOCK_UNSET;  /* none given: the file's buffer: statement, or the default */
    const struct cli_opt opts[] = {
        { .name = "device", .short_name = 'o', .type = CLI_STRING, .dest = &lo.device, .metavar = "NAME|INDEX",
          .help = "output device (see --list-devices)" },
        { .name = "list-devices", .type = CLI_FLAG, .dest = &lo.list, .help = "list the output devices and exit" },
        { .name = "midi-out", .type = CLI_STRING, .dest = &lo.midi_out, .metavar = "NAME|INDEX",
          .help = "send s \"midi\" events to this MIDI port (see --list-midi)" },
        { .name = "list-midi", .type = CLI_FLAG, .dest = &lo.list_midi, .help = "list the MIDI ports and exit" },
        { .name = "latency", .type = CLI_DOUBLE, .dest = &lo.latency_ms, .metavar = "MS",
          .help = "output latency hint in ms (default: the device's low one)" },
        { .name = "cycles", .type = CLI_DOUBLE, .dest = &lo.cycles, .metavar = "N",
          .help = "stop after N cycles (fading out)" },
        { .name = "duration", .short_name = 'd', .type = CLI_DOUBLE, .dest = &lo.duration, .metavar = "SECONDS",
          .help = "stop after this many seconds" },
        { .name = "stats", .type = CLI_FLAG, .dest = &lo.stats,
          .help = "at exit, print reload latency, swap cost, xruns, load, limiting" },
        { .name = "link", .type = CLI_FLAG, .dest = &lo.link,
          .help = "join the Ableton Link session: shared tempo, cycles on its beat grid" },
        { .name = "quantum", .type = CLI_INT, .dest = &lo.quantum, .metavar = "N",
          .help = "with --link: Link beats per cycle (default 4)" },
        { .name = "link-log", .type = CLI_STRING, .dest = &lo.link_log, .metavar = "FILE",
          .help = "with --link: write each block's heard time and cycle span to FILE" },
        CLI_ENGINE_OPTS(&lo.eo, "sample rate (default: the device's)", CLI_HELP_BLOCK_FILE,
                        "threads, the audio one included (default: all cores)", "no status line, notices or warnings"),
        { 0 },
    };
    /* a reader of stdout or stderr that goes away ends nothing (EPIPE),
     * from the first line printed on (a new file's notice) */
    signal(SIGPIPE, SIG_IGN);
    const char **ops = NULL;
    int nops, help, rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    struct live_session s = { .lo = &lo };
    if (!rc && !help)
        rc = lo.list ? list_devices() : lo.list_midi ? cli_midi_list("live") : live_run(&s, &lo, ops, nops);
    atomic_store(&signal_watch, NULL);
    audio_close(s.audio);           /* stops the callbacks before the engine goes */
    cli_link_free(s.link);
    midi_dev_close(s.mdev);         /* (an error before the stream stopped) */
    watch_free(s.w);
    cli_live_free(s.l);
    engine_free(s.eng);
    midi_free(s.midi);
    sample_bank_free(s.bank);
    free(ops);
    free(lo.eo.samples.items);
    return rc;
}
