/* phonon.h -- things every module shares: version, exit codes, error codes.
 *
 * Exit codes follow sysexits(3), as ../spec/CLI.md lists them. Library-style
 * modules return 0 or a negative enum phonon_err and never exit; only cli_*.c
 * turns errors into exit codes.
 */
#ifndef PHONON_H
#define PHONON_H

#include <stddef.h>

#define PHONON_VERSION "0.1.0"

enum phonon_exit {
    PHONON_EXIT_OK = 0,
    PHONON_EXIT_USAGE = 64,      /* bad command line */
    PHONON_EXIT_DATAERR = 65,    /* bad pattern or data */
    PHONON_EXIT_NOINPUT = 66,    /* missing input file or sample root */
    PHONON_EXIT_UNAVAILABLE = 69,/* no audio device */
    PHONON_EXIT_SOFTWARE = 70,   /* internal error */
    PHONON_EXIT_CANTCREAT = 73,  /* cannot create output */
    PHONON_EXIT_IOERR = 74,      /* I/O error */
};

enum phonon_err {
    PHONON_OK = 0,
    PHONON_ENOMEM = -1,      /* out of memory */
    PHONON_EINVAL = -2,      /* invalid argument */
    PHONON_EIO = -3,         /* read or write failed */
    PHONON_ENOENT = -4,      /* file or sample not found */
    PHONON_EFORMAT = -5,     /* file has a format we cannot read */
    PHONON_ENODEV = -6,      /* no audio device */
    PHONON_ELIMIT = -7,      /* a resource limit was reached (events, voices, depth) */
    PHONON_EOVERFLOW = -8,   /* exact arithmetic overflowed */
    PHONON_EBUSY = -9,       /* resource in use */
};

/* A static string for an enum phonon_err. Any thread. */
const char *phonon_strerror(int err);

/* n rounded up to a whole number of 64-byte cache lines. */
static inline size_t phonon_round64(size_t n) { return (n + 63) & ~(size_t)63; }

/* n bytes aligned to a 64-byte cache line (n rounded up to a multiple of
 * 64, as aligned_alloc asks); free() releases it. Never on the audio thread. */
void *phonon_alloc64(size_t n);

#endif
