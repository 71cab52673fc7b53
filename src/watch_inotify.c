/* watch_inotify.c -- the Linux kernel backend of watch.h: inotify on the
 * file's directory.
 *
 * Watching the directory rather than the file is what makes rename-style
 * saves visible: an inotify watch on the file itself follows the inode, which
 * is the OLD file after `mv tmp file`. On the directory we get every entry's
 * events with the entry's name, and keep those for our name:
 *
 *   IN_CLOSE_WRITE, IN_MOVED_TO   the end of a save        -> WATCH_HINT_DONE
 *   IN_CREATE, IN_MODIFY          a save may be under way  -> WATCH_HINT_MODIFY
 *   IN_DELETE, IN_MOVED_FROM      gone, maybe for a moment -> WATCH_HINT_GONE
 *
 * and, because a mask loses the order of the events it merges, one more:
 * WATCH_HINT_WRITING when the LAST of them was IN_CREATE or IN_MODIFY (a
 * writer has the file open: its IN_CLOSE_WRITE is still to come). A read
 * that holds one save's close and the next save's truncation says WRITING.
 *
 * IN_CLOSE_WRITE and IN_MOVED_TO are what keep the latency low: they say the
 * new content is complete, so watch.c reports them without waiting for
 * the burst to end. IN_Q_OVERFLOW (the queue overflowed, events were lost)
 * asks for a rescan; the directory's own removal or rename (IN_DELETE_SELF,
 * IN_MOVE_SELF, IN_IGNORED, IN_UNMOUNT) makes the watch fall back to polling.
 * IN_EXCL_UNLINK drops events on entries after they were unlinked (an editor
 * still writing its deleted swap file).
 *
 * The descriptor is non-blocking; watch.c polls it together with the
 * wake-up pipe, and calls watch_inotify_read when it is readable.
 */
#if defined(__linux__)

#define WATCH_BACKEND_INTERNALS
#include "watch.h"
#include "phonon.h"

#include <errno.h>
#include <stdalign.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

int watch_inotify_open(struct watch_kernel *k, const char *dir)
{
    k->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (k->fd < 0)
        return errno == ENOMEM ? PHONON_ENOMEM : PHONON_EIO;
    k->dir = inotify_add_watch(k->fd, dir,
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_MODIFY |
                               IN_DELETE | IN_MOVED_FROM | IN_DELETE_SELF |
                               IN_MOVE_SELF | IN_ONLYDIR | IN_EXCL_UNLINK);
    if (k->dir < 0) {
        /* ENOSPC: the per-user watch limit (fs.inotify.max_user_watches) */
        int e = errno;
        close(k->fd);
        k->fd = -1;
        return e == ENOENT || e == ENOTDIR ? PHONON_ENOENT :
               e == ENOMEM ? PHONON_ENOMEM : PHONON_EIO;
    }
    k->file = -1;
    return 0;
}

int watch_inotify_read(struct watch_kernel *k, const char *name)
{
    /* Room for many events; aligned as struct inotify_event wants. */
    alignas(struct inotify_event) char buf[8192];
    int hints = 0, writing = -1;        /* -1: no event for our name */
    for (;;) {
        ssize_t n = read(k->fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)     /* drained */
                return hints | (writing > 0 ? WATCH_HINT_WRITING : 0);
            return PHONON_EIO;
        }
        if (n == 0)
            return PHONON_EIO;
        for (char *p = buf; p < buf + n; ) {
            const struct inotify_event *ev = (const struct inotify_event *)(void *)p;
            p += sizeof *ev + ev->len;
            if (ev->mask & IN_Q_OVERFLOW)
                hints |= WATCH_HINT_RESCAN;
            if (ev->mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED | IN_UNMOUNT))
                hints |= WATCH_HINT_DIRLOST;
            if (ev->len == 0 || strcmp(ev->name, name) != 0)
                continue;                   /* the directory itself, or a sibling */
            if (ev->mask & (IN_CLOSE_WRITE | IN_MOVED_TO))
                hints |= WATCH_HINT_DONE, writing = 0;
            if (ev->mask & (IN_CREATE | IN_MODIFY))
                hints |= WATCH_HINT_MODIFY, writing = 1;
            if (ev->mask & (IN_DELETE | IN_MOVED_FROM))
                hints |= WATCH_HINT_GONE, writing = 0;
        }
    }
}

void watch_inotify_close(struct watch_kernel *k)
{
    if (k->fd >= 0)
        close(k->fd);           /* also removes the watch */
    k->fd = -1;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int watch_inotify_unused;
#endif
