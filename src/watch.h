/* watch.h -- watch one file for saves, whichever way the editor saves it.
 *
 * `phonon live` re-reads its pattern file whenever it is saved. Editors save
 * in many ways: in place (truncate + write), by writing a temporary file and
 * renaming it over the original (vim, sed -i, Python's os.replace, most GUI
 * editors), or by deleting and recreating it; many leave sibling files
 * (`file~`, `.file.swp`) along the way. So we watch the file's DIRECTORY,
 * keep only events for the file's name, and turn each burst of events into
 * one report:
 *
 *   WATCH_CHANGED  the file may have new content: re-read it
 *   WATCH_DELETED  the file is gone (keep playing what you have, wait)
 *   WATCH_BACK     the file exists again after WATCH_DELETED, or for the
 *                  first time if it was missing when the watch started
 *
 * Timing (the debounce). An event that marks the END of a save (inotify's
 * IN_CLOSE_WRITE or IN_MOVED_TO for our name; a stat change seen by the poll
 * backend) is reported at once when nothing has been reported in the current
 * burst: a lone save costs no debounce delay. Other events (a write still in
 * progress, a removal that a rename may undo) are reported
 * WATCH_QUIET_MS after the last event of the burst, and never later than
 * WATCH_MAX_DELAY_MS after its first unreported event. Events that arrive
 * within WATCH_QUIET_MS of a report are folded into one trailing report, so
 * ten writes in 5 ms give two reports (the first at once, one at the end), not
 * ten. The poll backend adds its period (up to WATCH_POLL_MS, 25 ms on
 * average) before it can see anything.
 *
 * Settling. A file is reported only once it looks complete, so that a
 * writer that pauses (truncates, then writes 60 ms later; writes half,
 * pauses, writes the rest) is never read half-way:
 *   - inotify knows when the writer closes the file: while the last event
 *     for our name is a write (IN_MODIFY, IN_CREATE) with no IN_CLOSE_WRITE
 *     after it, the report waits for that close;
 *   - the poll and kqueue backends see no close: a change is reported once
 *     the file has stayed the same (size, times, inode) for WATCH_SETTLE_MS
 *     (for polling: looks WATCH_POLL_MS apart that agree);
 *   - either way a report is never held more than WATCH_SETTLE_MAX_MS after
 *     the burst's first event (a writer that keeps the file open, a bare
 *     truncate(1)).
 * A rename into place (IN_MOVED_TO; kqueue's new file with content) is
 * complete by nature. What is read may still be caught mid-write by a
 * writer that starts again at once; cli_live.c checks that the file did not
 * change while it read it, and holds back an empty file (CLI_LIVE_EMPTY_HOLD_MS).
 *
 * Backends (one file each, compiled where the platform has them):
 *   watch_inotify.c  Linux inotify on the directory
 *   watch_kqueue.c   macOS/BSD EVFILT_VNODE on the directory and the file
 *   watch_poll.c     stat() every WATCH_POLL_MS (mtime, ctime, size, inode)
 * and watch.c holds the part they share (choosing one, the debounce,
 * deleted/back tracking, the wake-up, the wait loop).
 * The automatic choice is the kernel backend, else polling. The environment
 * variable PHONON_WATCH=poll|inotify|kqueue chooses one (a backend the
 * platform lacks is ignored). If the watched directory itself is removed or
 * renamed, or the kernel backend fails, the watch falls back to polling the
 * path.
 *
 * A path that is a symbolic link when the watch starts is resolved once: the
 * link's target file (and its directory) is watched.
 *
 * Thread context: watch_new, watch_wait and watch_free are called by one
 * thread (the watcher thread), never the audio thread. watch_wake may be
 * called from any thread and from a signal handler (it is one write(2) to a
 * pipe) while another thread waits or before it waits.
 * Errors: negative enum phonon_err (phonon.h).
 */
#ifndef WATCH_H
#define WATCH_H

#include <stdint.h>

enum {
    WATCH_QUIET_MS = 20,        /* debounce: quiet time that ends a burst */
    WATCH_MAX_DELAY_MS = 50,    /* debounce: longest delay of a report */
    WATCH_POLL_MS = 50,         /* poll backend: stat period */
    WATCH_SETTLE_MS = 100,      /* poll, kqueue: unchanged this long = settled */
    WATCH_SETTLE_MAX_MS = 1000, /* longest wait for a file to settle */
};

enum watch_kind {
    WATCH_TIMEOUT = 0,          /* nothing to report before the timeout */
    WATCH_CHANGED = 1,          /* the file exists and may have new content */
    WATCH_DELETED = 2,          /* the file is gone */
    WATCH_BACK = 3,             /* the file exists again (or at last) */
    WATCH_WOKEN = 4,            /* watch_wake was called */
};

enum watch_backend {
    WATCH_AUTO,                 /* PHONON_WATCH, else the kernel's, else poll */
    WATCH_INOTIFY,
    WATCH_KQUEUE,
    WATCH_POLL,
};

struct watch;                   /* opaque: watch_new ... watch_free */

/* Watch the file at `path` (which need not exist yet; its directory must).
 * Returns NULL and sets *err on failure: PHONON_ENOENT (the directory does
 * not exist or is not a directory), PHONON_EINVAL (empty path, or a path that
 * names a directory), PHONON_ENOMEM, PHONON_EIO (a kernel backend that was
 * asked for explicitly could not start). err may be NULL. */
struct watch *watch_new(const char *path, int *err);

/* Like watch_new with the backend chosen by the caller (tests). WATCH_INOTIFY
 * or WATCH_KQUEUE on a platform without it gives PHONON_EINVAL. */
struct watch *watch_new_backend(const char *path, enum watch_backend b, int *err);

/* Wait up to timeout_ms (negative: forever, 0: just look) for the next
 * report. Returns an enum watch_kind, or PHONON_EIO if poll(2) itself fails.
 * When the result is WATCH_CHANGED, WATCH_DELETED or WATCH_BACK and when_ns is
 * not NULL, *when_ns is the CLOCK_MONOTONIC time (nanoseconds) at which the
 * last event of the save was read from the kernel (or seen by the poll
 * backend): subtract it from clock_gettime(CLOCK_MONOTONIC) to measure
 * reload latency, including the debounce delay. A debounce in progress
 * carries over from one call to the next. */
int watch_wait(struct watch *w, int timeout_ms, int64_t *when_ns);

/* Make the current (or next) watch_wait return WATCH_WOKEN. Any thread,
 * async-signal-safe. Several wakes before a wait give one WATCH_WOKEN. */
void watch_wake(struct watch *w);

/* "inotify", "kqueue" or "poll": the backend in use right now. */
const char *watch_backend_name(const struct watch *w);

/* The path being watched (after resolving a symbolic link). Borrowed. */
const char *watch_path(const struct watch *w);

/* Stop watching and release everything. NULL is a no-op. No other thread may
 * be in watch_wait or watch_wake. */
void watch_free(struct watch *w);

#ifdef WATCH_BACKEND_INTERNALS
/* ---- Between watch.c (the common part) and the backends. ---- */

/* What a kernel backend saw for our file name since it was last asked. */
enum {
    WATCH_HINT_MODIFY = 1,      /* created or written: a save may be under way */
    WATCH_HINT_DONE = 2,        /* a save ended (closed after writing, renamed in) */
    WATCH_HINT_GONE = 4,        /* removed or renamed away (a rename may follow) */
    WATCH_HINT_RESCAN = 8,      /* events were lost: look at the file again */
    WATCH_HINT_DIRLOST = 16,    /* the directory went away: switch to polling */
    WATCH_HINT_WRITING = 32,    /* inotify: the last event was a write, its close is to come */
};

struct watch_kernel {
    int fd;                     /* inotify / kqueue descriptor, pollable; -1 none */
    int dir;                    /* inotify: watch descriptor; kqueue: directory fd */
    int file;                   /* kqueue: the file's fd, -1 while it is missing */
    uint64_t dev, ino;          /* kqueue: identity of the open file */
};

/* Each returns 0 or a negative enum phonon_err; *_read returns a mask of
 * WATCH_HINT_* (0: nothing about our name) or a negative error. */
int watch_inotify_open(struct watch_kernel *k, const char *dir);
int watch_inotify_read(struct watch_kernel *k, const char *name);
void watch_inotify_close(struct watch_kernel *k);
int watch_kqueue_open(struct watch_kernel *k, const char *dir, const char *path);
int watch_kqueue_read(struct watch_kernel *k, const char *path);
void watch_kqueue_close(struct watch_kernel *k);

/* The poll backend (watch_poll.c): what stat() says about the path, as far
 * as a save can change it, and when to look next. */
struct watch_snap {
    int exists;
    uint64_t dev, ino;
    int64_t size, mtime_ns, ctime_ns;
};

struct watch_poller {
    struct watch_snap seen;     /* the last look */
    int64_t next_ns;            /* CLOCK_MONOTONIC time of the next look */
};

/* Look at path now (time `now`); the next look is due WATCH_POLL_MS later. */
void watch_poll_open(struct watch_poller *p, const char *path, int64_t now);
/* The look due at `now`: WATCH_HINT_MODIFY (changed, present) or
 * WATCH_HINT_GONE (missing now) when the file differs from the last look,
 * else 0. Schedules the next look (without catching up on missed ones). */
int watch_poll_read(struct watch_poller *p, const char *path, int64_t now);
#endif

#endif
