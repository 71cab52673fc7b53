/* watch_poll.c -- the polling backend of watch.h: stat() every WATCH_POLL_MS.
 *
 * The backend every platform has, and the one a watch falls back to when the
 * directory goes away or a kernel backend fails (watch.c decides). It
 * compares (exists, device, inode, size, mtime, ctime) with its last look
 * and turns a change into a hint for watch.c's debounce: WATCH_HINT_MODIFY
 * when the file is there (a save that may still be under way: watch.c waits
 * until looks WATCH_SETTLE_MS apart agree), WATCH_HINT_GONE when it is
 * missing. A change it sees is at most one period old. Its
 * limit: two same-size writes within the file system's timestamp
 * granularity (a few ms: Linux stamps files with a coarse clock) look
 * identical.
 *
 * Thread context: the watcher thread (watch_wait), like the rest of watch.h.
 */
#define WATCH_BACKEND_INTERNALS
#include "watch.h"
#include "phonon.h"

#include <sys/stat.h>

/* What stat() says about the path, as far as a save can change it. */
static struct watch_snap look(const char *path)
{
    struct watch_snap s = {0};
    struct stat st;
    if (stat(path, &st) != 0)
        return s;
    s.exists = 1;
    s.dev = (uint64_t)st.st_dev;
    s.ino = (uint64_t)st.st_ino;
    s.size = (int64_t)st.st_size;
#if defined(__APPLE__)
    s.mtime_ns = (int64_t)st.st_mtimespec.tv_sec * 1000000000 + st.st_mtimespec.tv_nsec;
    s.ctime_ns = (int64_t)st.st_ctimespec.tv_sec * 1000000000 + st.st_ctimespec.tv_nsec;
#else
    s.mtime_ns = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
    s.ctime_ns = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
#endif
    return s;
}

/* 1 when two looks show the same file, unchanged (or both show none). */
static int snap_same(const struct watch_snap *a, const struct watch_snap *b)
{
    if (a->exists != b->exists)
        return 0;
    return !a->exists || (a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
                          a->mtime_ns == b->mtime_ns && a->ctime_ns == b->ctime_ns);
}

/* See watch.h. */
void watch_poll_open(struct watch_poller *p, const char *path, int64_t now)
{
    p->seen = look(path);
    p->next_ns = now + WATCH_POLL_MS * (int64_t)1000000;
}

/* See watch.h. */
int watch_poll_read(struct watch_poller *p, const char *path, int64_t now)
{
    const int64_t period = WATCH_POLL_MS * (int64_t)1000000;
    struct watch_snap s = look(path);
    int hints = snap_same(&s, &p->seen) ? 0 : s.exists ? WATCH_HINT_MODIFY : WATCH_HINT_GONE;
    p->seen = s;
    p->next_ns += period;
    if (p->next_ns <= now)              /* fell behind (slept, stopped): */
        p->next_ns = now + period;      /* no catching up */
    return hints;
}
