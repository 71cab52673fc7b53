/* watch_kqueue.c -- the macOS/BSD kernel backend of watch.h: kqueue
 * EVFILT_VNODE filters on the file's directory and on the file.
 *
 * kqueue watches open descriptors, not names, and says only WHAT happened to
 * a vnode, never which directory entry: so we hold two descriptors.
 *
 * - The directory (NOTE_WRITE whenever an entry is added, removed or
 *   renamed). On each such event we stat() our path and compare its identity
 *   (device, inode) with the file we hold open: the same identity means the
 *   event was about some other name (`file~`, `.file.swp`) and is ignored; a
 *   missing path means the file is gone (WATCH_HINT_GONE); a new identity
 *   means a rename-over or a recreation: we reopen and re-arm the file, and
 *   say WATCH_HINT_DONE when the new file already has content (the usual
 *   rename of a complete temporary file) or WATCH_HINT_MODIFY when it is
 *   still empty (created, to be written).
 * - The file (NOTE_WRITE, NOTE_EXTEND, NOTE_ATTRIB for in-place writes and
 *   truncation: WATCH_HINT_MODIFY; NOTE_DELETE, NOTE_RENAME: look again).
 *
 * kqueue has no "closed after writing" event, so in-place saves are only
 * ever WATCH_HINT_MODIFY and pay the debounce's quiet time (watch.h).
 * O_EVTONLY (macOS) opens for notifications only, so that the watch does not
 * keep a volume from being unmounted. EV_CLEAR makes every filter
 * edge-triggered. A kqueue descriptor is pollable, so watch.c waits on it
 * with poll(2) beside the wake-up pipe.
 */
#if defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || \
    defined(__OpenBSD__) || defined(__DragonFly__)

#define WATCH_BACKEND_INTERNALS
#include "watch.h"
#include "phonon.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <sys/event.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#ifndef O_EVTONLY
#define O_EVTONLY O_RDONLY
#endif

enum {
    DIR_NOTES = NOTE_WRITE | NOTE_DELETE | NOTE_RENAME | NOTE_REVOKE,
    FILE_NOTES = NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB | NOTE_DELETE |
                 NOTE_RENAME | NOTE_REVOKE,
};

static int arm(int kq, int fd, unsigned notes)
{
    struct kevent ev;
    EV_SET(&ev, fd, EVFILT_VNODE, EV_ADD | EV_CLEAR, notes, 0, NULL);
    return kevent(kq, &ev, 1, NULL, 0, NULL);
}

/* Open and arm the file at path, if it exists; k->file stays -1 if not. */
static void file_open(struct watch_kernel *k, const char *path)
{
    int fd = open(path, O_EVTONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0)
        return;
    struct stat st;
    if (fstat(fd, &st) != 0 || arm(k->fd, fd, FILE_NOTES) != 0) {
        close(fd);
        return;
    }
    k->file = fd;
    k->dev = (uint64_t)st.st_dev;
    k->ino = (uint64_t)st.st_ino;
}

static void file_close(struct watch_kernel *k)
{
    if (k->file >= 0)
        close(k->file);         /* closing a descriptor drops its filters */
    k->file = -1;
}

int watch_kqueue_open(struct watch_kernel *k, const char *dir, const char *path)
{
    k->file = -1;
    k->dir = -1;
    k->fd = kqueue();
    if (k->fd < 0)
        return PHONON_EIO;
    (void)fcntl(k->fd, F_SETFD, FD_CLOEXEC);
    k->dir = open(dir, O_EVTONLY | O_CLOEXEC | O_DIRECTORY);
    if (k->dir < 0 || arm(k->fd, k->dir, DIR_NOTES) != 0) {
        int e = errno;
        watch_kqueue_close(k);
        return e == ENOENT || e == ENOTDIR ? PHONON_ENOENT : PHONON_EIO;
    }
    file_open(k, path);
    return 0;
}

int watch_kqueue_read(struct watch_kernel *k, const char *path)
{
    const struct timespec zero = { 0, 0 };
    struct kevent evs[16];
    int hints = 0, look = 0;
    for (;;) {
        int n = kevent(k->fd, NULL, 0, evs, 16, &zero);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return PHONON_EIO;
        }
        for (int i = 0; i < n; i++) {
            int fd = (int)evs[i].ident;
            unsigned notes = (unsigned)evs[i].fflags;
            if (fd == k->dir) {
                if (notes & (NOTE_DELETE | NOTE_RENAME | NOTE_REVOKE))
                    hints |= WATCH_HINT_DIRLOST;
                if (notes & NOTE_WRITE)
                    look = 1;           /* some entry changed: ours? */
            } else if (fd == k->file) {
                if (notes & (NOTE_WRITE | NOTE_EXTEND | NOTE_ATTRIB))
                    hints |= WATCH_HINT_MODIFY;
                if (notes & (NOTE_DELETE | NOTE_RENAME | NOTE_REVOKE))
                    look = 1;
            }
        }
        if (n < 16)
            break;
    }
    if (look) {
        struct stat st;
        if (stat(path, &st) != 0) {
            if (k->file >= 0)
                hints |= WATCH_HINT_GONE;
            file_close(k);
        } else if (k->file < 0 || (uint64_t)st.st_dev != k->dev ||
                   (uint64_t)st.st_ino != k->ino) {
            file_close(k);
            file_open(k, path);
            hints |= st.st_size > 0 ? WATCH_HINT_DONE : WATCH_HINT_MODIFY;
        }
    }
    return hints;
}

void watch_kqueue_close(struct watch_kernel *k)
{
    file_close(k);
    if (k->dir >= 0)
        close(k->dir);
    if (k->fd >= 0)
        close(k->fd);
    k->dir = k->fd = -1;
}

#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int watch_kqueue_unused;
#endif
