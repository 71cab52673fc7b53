/* watch.c -- the part of watch.h every platform shares: choosing a backend,
 * the debounce, deleted/back tracking, the wake-up pipe and the wait loop.
 * The backends only translate what they see into WATCH_HINT_* masks for our
 * file's name: the kernel ones (watch_inotify.c, watch_kqueue.c) from their
 * events, the polling one (watch_poll.c) from stat(); everything they have
 * in common lives here, so it is written (and tested) once.
 *
 * The wait loop. watch_wait sleeps in poll(2) on the wake-up pipe and the
 * kernel backend's descriptor, with a timeout that is the nearest of: the
 * caller's deadline, the due time of a pending report, and the next look of
 * the poll backend. Hints are stamped with the time they were read and fed
 * to the debounce; a report is made when one is due.
 *
 * The debounce, as a small state machine over these fields:
 *   pending      something happened that was not reported yet
 *   now_due      ... and it ended a save (WATCH_HINT_DONE): report at once
 *   first_ns     time of the first unreported event
 *   last_ns      time of the latest event (reported or not)
 *   reported     a report was made in the current burst
 *   writing      the file may be half-written (see "Settling" in watch.h)
 * A burst begins with an event that comes WATCH_QUIET_MS or more after the
 * previous one. A DONE hint is reported at once unless the burst has already
 * had a report (then it is one of many saves in a row, and waits with the
 * rest) or a write came after it; everything else is due at
 * min(last + QUIET, first + MAX_DELAY), unless the file is being written:
 * then at first + SETTLE_MAX on inotify (the writer's close comes first,
 * normally), at min(last + SETTLE, first + SETTLE_MAX) on the backends that
 * see no close (no event for SETTLE: the file stayed the same).
 *
 * A report does not trust the hints about existence: it stat()s the path and
 * compares with what the caller was last told (present or not). That is what
 * turns vim's "rename the file away, write a new one" (a GONE hint, then a
 * DONE) into one WATCH_CHANGED instead of DELETED + BACK, and lets a stray
 * event about a file that is still missing say nothing.
 *
 * Thread context: as watch.h says (one watcher thread; watch_wake from any
 * thread or a signal handler).
 */
#define WATCH_BACKEND_INTERNALS
#include "watch.h"
#include "phonon.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__linux__)
#define HAVE_INOTIFY 1
#else
#define HAVE_INOTIFY 0
#endif
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)
#define HAVE_KQUEUE 1
#else
#define HAVE_KQUEUE 0
#endif

#define MS ((int64_t)1000000)

struct watch {
    char *path, *dir, *name;    /* owned: the file, its directory, its name */
    enum watch_backend backend; /* in use now: WATCH_INOTIFY, _KQUEUE or _POLL */
    struct watch_kernel k;      /* kernel backend state (k.fd < 0 for poll) */
    int wake[2];                /* pipe: watch_wake writes, watch_wait reads */
    bool present;               /* the caller was last told the file exists */
    /* debounce (see the top of the file) */
    bool pending, now_due, reported, writing;
    int64_t first_ns, last_ns;
    struct watch_poller poll;   /* poll backend state (watch_poll.c) */
};

/* Split path into a directory and a file name (both fresh strings). */
static int split_path(struct watch *w, const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*name)
        return PHONON_EINVAL;           /* "dir/" names a directory */
    w->path = strdup(path);
    w->name = strdup(name);
    if (!slash)
        w->dir = strdup(".");
    else if (slash == path)
        w->dir = strdup("/");
    else
        w->dir = strndup(path, (size_t)(slash - path));
    return w->path && w->name && w->dir ? 0 : PHONON_ENOMEM;
}

/* A symbolic link is resolved once, so that saves to its target are seen. */
static int resolve_link(struct watch *w, const char *path)
{
    struct stat st;
    if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
        char *real = realpath(path, NULL);
        if (real) {
            int r = split_path(w, real);
            free(real);
            return r;
        }
    }
    return split_path(w, path);
}

/* The wake-up pipe, non-blocking at both ends, closed on exec. */
static int open_pipe(int fds[2])
{
    if (pipe(fds) != 0)
        return PHONON_EIO;
    for (int i = 0; i < 2; i++) {
        (void)fcntl(fds[i], F_SETFD, FD_CLOEXEC);
        (void)fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK);
    }
    return 0;
}

/* Stop the kernel backend, if one runs. */
static void kernel_close(struct watch *w)
{
#if HAVE_INOTIFY
    if (w->backend == WATCH_INOTIFY)
        watch_inotify_close(&w->k);
#endif
#if HAVE_KQUEUE
    if (w->backend == WATCH_KQUEUE)
        watch_kqueue_close(&w->k);
#endif
    w->k.fd = -1;
}

/* Fall back to polling (the directory went away, or the kernel backend
 * failed). The caller is sent a report anyway (the hint that got us here), so
 * the poll backend starts from the file as it is now. */
static void start_polling(struct watch *w, int64_t now)
{
    kernel_close(w);
    w->backend = WATCH_POLL;
    watch_poll_open(&w->poll, w->path, now);
}

/* Try to start backend b; 0 or a negative error. */
static int kernel_open(struct watch *w, enum watch_backend b)
{
    int r = PHONON_EINVAL;
#if HAVE_INOTIFY
    if (b == WATCH_INOTIFY)
        r = watch_inotify_open(&w->k, w->dir);
#endif
#if HAVE_KQUEUE
    if (b == WATCH_KQUEUE)
        r = watch_kqueue_open(&w->k, w->dir, w->path);
#endif
    if (b == WATCH_POLL)
        r = 0;
    if (r == 0)
        w->backend = b;
    return r;
}

/* PHONON_WATCH: a preference; a backend this platform lacks means auto. */
static enum watch_backend backend_from_env(void)
{
    const char *e = getenv("PHONON_WATCH");
    if (e && strcmp(e, "poll") == 0)
        return WATCH_POLL;
    if (HAVE_INOTIFY && e && strcmp(e, "inotify") == 0)
        return WATCH_INOTIFY;
    if (HAVE_KQUEUE && e && strcmp(e, "kqueue") == 0)
        return WATCH_KQUEUE;
    return WATCH_AUTO;
}

/* See watch.h. */
struct watch *watch_new(const char *path, int *err)
{
    return watch_new_backend(path, WATCH_AUTO, err);
}

/* See watch.h: the path split and resolved, the file looked at once (the
 * poll backend's first look, and whether it is present), then the backend. */
struct watch *watch_new_backend(const char *path, enum watch_backend b, int *err)
{
    int r = 0, dummy;
    if (!err)
        err = &dummy;
    if (!path || !*path) {
        *err = PHONON_EINVAL;
        return NULL;
    }
    struct watch *w = calloc(1, sizeof *w);
    if (!w) {
        *err = PHONON_ENOMEM;
        return NULL;
    }
    w->k.fd = w->k.dir = w->k.file = -1;
    w->wake[0] = w->wake[1] = -1;
    w->backend = WATCH_POLL;
    if ((r = resolve_link(w, path)) != 0)
        goto fail;
    struct stat st;
    if (stat(w->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        r = PHONON_ENOENT;
        goto fail;
    }
    watch_poll_open(&w->poll, w->path, phonon_mono_ns());
    if (w->poll.seen.exists && stat(w->path, &st) == 0 && S_ISDIR(st.st_mode)) {
        r = PHONON_EINVAL;
        goto fail;
    }
    w->present = w->poll.seen.exists;
    if ((r = open_pipe(w->wake)) != 0)
        goto fail;

    if (b == WATCH_AUTO)
        b = backend_from_env();
    if (b == WATCH_AUTO) {
        /* the kernel's backend, else polling */
        if (!(HAVE_INOTIFY && kernel_open(w, WATCH_INOTIFY) == 0) &&
            !(HAVE_KQUEUE && kernel_open(w, WATCH_KQUEUE) == 0))
            kernel_open(w, WATCH_POLL);
    } else if ((b == WATCH_INOTIFY && !HAVE_INOTIFY) || (b == WATCH_KQUEUE && !HAVE_KQUEUE)) {
        r = PHONON_EINVAL;
        goto fail;
    } else if ((r = kernel_open(w, b)) != 0) {
        if (r != PHONON_ENOENT && r != PHONON_ENOMEM)
            r = PHONON_EIO;
        goto fail;
    }
    return w;
fail:
    *err = r;
    watch_free(w);
    return NULL;
}

/* Whether the file may be half-written after hints about our name: on
 * inotify, the last event was a write (its close is to come); elsewhere, it
 * changed in place (only time tells whether the writer is done). */
static bool still_writing(const struct watch *w, int hints)
{
    if (w->backend == WATCH_INOTIFY)
        return hints & WATCH_HINT_WRITING;
    return (hints & WATCH_HINT_MODIFY) && !(hints & (WATCH_HINT_DONE | WATCH_HINT_GONE));
}

/* Feed hints read at time t to the debounce. */
static void note(struct watch *w, int hints, int64_t t)
{
    if (hints & WATCH_HINT_DIRLOST)
        start_polling(w, t);
    if (!hints)
        return;
    if (!w->pending && t - w->last_ns >= WATCH_QUIET_MS * MS)
        w->reported = false;            /* a new burst */
    if (!w->pending) {
        w->pending = true;
        w->first_ns = t;
    }
    w->last_ns = t;
    if (hints & (WATCH_HINT_DONE | WATCH_HINT_MODIFY | WATCH_HINT_GONE))
        w->writing = still_writing(w, hints);
    if ((hints & WATCH_HINT_DONE) && !w->reported && !w->writing)
        w->now_due = true;
}

/* When the pending report is due (see the debounce at the top). */
static int64_t due_ns(const struct watch *w)
{
    int64_t settle_cap = w->first_ns + WATCH_SETTLE_MAX_MS * MS;
    if (w->writing && w->backend == WATCH_INOTIFY)
        return settle_cap;              /* until the writer closes it */
    if (w->writing) {
        int64_t settled = w->last_ns + WATCH_SETTLE_MS * MS;
        return settled < settle_cap ? settled : settle_cap;
    }
    if (w->now_due)
        return w->first_ns;
    int64_t quiet = w->last_ns + WATCH_QUIET_MS * MS;
    int64_t cap = w->first_ns + WATCH_MAX_DELAY_MS * MS;
    return quiet < cap ? quiet : cap;
}

/* The pending report, decided by looking at the file: a watch_kind, or
 * WATCH_TIMEOUT when there is nothing to tell (missing, and already said). */
static int report(struct watch *w)
{
    w->pending = w->now_due = w->writing = false;
    w->reported = true;
    struct stat st;
    bool exists = stat(w->path, &st) == 0;
    int kind = exists ? (w->present ? WATCH_CHANGED : WATCH_BACK)
                      : (w->present ? WATCH_DELETED : WATCH_TIMEOUT);
    w->present = exists;
    return kind;
}

/* The kernel backend's hints for our name since it was last read. */
static int kernel_read(struct watch *w)
{
#if HAVE_INOTIFY
    if (w->backend == WATCH_INOTIFY)
        return watch_inotify_read(&w->k, w->name);
#endif
#if HAVE_KQUEUE
    if (w->backend == WATCH_KQUEUE)
        return watch_kqueue_read(&w->k, w->path);
#endif
    return 0;
}

/* Drain the wake-up pipe; true if anything was in it. */
static bool drain_wake(struct watch *w)
{
    char buf[64];
    bool woken = false;
    ssize_t n;
    while ((n = read(w->wake[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
        woken |= n > 0;
    return woken;
}

/* See watch.h; the loop is described at the top of the file. */
int watch_wait(struct watch *w, int timeout_ms, int64_t *when_ns)
{
    int64_t deadline = timeout_ms < 0 ? INT64_MAX : phonon_mono_ns() + timeout_ms * MS;
    for (bool looked = false;; looked = true) {
        int64_t now = phonon_mono_ns();
        if (w->backend == WATCH_POLL && now >= w->poll.next_ns)
            note(w, watch_poll_read(&w->poll, w->path, now), now);
        if (w->pending && now >= due_ns(w)) {
            int kind = report(w);
            if (kind != WATCH_TIMEOUT) {
                if (when_ns)
                    *when_ns = w->last_ns;
                return kind;
            }
        }
        if (now >= deadline && looked)  /* timeout 0 still looks once */
            return WATCH_TIMEOUT;
        /* sleep until the nearest of: deadline, due report, next poll */
        int64_t until = deadline;
        if (w->pending && due_ns(w) < until)
            until = due_ns(w);
        if (w->backend == WATCH_POLL && w->poll.next_ns < until)
            until = w->poll.next_ns;
        int ms = -1;
        if (until != INT64_MAX) {
            int64_t left = until <= now ? 0 : (until - now + MS - 1) / MS;  /* round up */
            ms = left > INT_MAX ? INT_MAX : (int)left;
        }
        struct pollfd pf[2] = {
            { .fd = w->wake[0], .events = POLLIN },
            { .fd = w->k.fd, .events = POLLIN },    /* -1: ignored by poll */
        };
        int n = poll(pf, 2, ms);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return PHONON_EIO;
        }
        if ((pf[0].revents & POLLIN) && drain_wake(w))
            return WATCH_WOKEN;
        if (pf[1].revents & (POLLIN | POLLERR | POLLHUP)) {
            int hints = kernel_read(w);
            if (hints < 0)              /* the kernel backend broke: poll */
                hints = WATCH_HINT_DIRLOST;
            note(w, hints, phonon_mono_ns());
        }
    }
}

/* See watch.h. */
void watch_wake(struct watch *w)
{
    /* async-signal-safe: one write; a full pipe already means "woken" */
    ssize_t r = write(w->wake[1], "w", 1);
    (void)r;
}

/* See watch.h. */
const char *watch_backend_name(const struct watch *w)
{
    switch (w->backend) {
    case WATCH_INOTIFY: return "inotify";
    case WATCH_KQUEUE:  return "kqueue";
    default:            return "poll";
    }
}

/* See watch.h. */
const char *watch_path(const struct watch *w)
{
    return w->path;
}

/* See watch.h. */
void watch_free(struct watch *w)
{
    if (!w)
        return;
    kernel_close(w);
    for (int i = 0; i < 2; i++)
        if (w->wake[i] >= 0)
            close(w->wake[i]);
    free(w->path);
    free(w->dir);
    free(w->name);
    free(w);
}
