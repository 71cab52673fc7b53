/* phonon.h -- things every module shares: version, exit codes, error codes,
 * the engine's defaults and limits, the monotonic clock.
 *
 * Exit codes follow sysexits(3), as ../spec/CLI.md lists them. Library-style
 * modules return 0 or a negative enum phonon_err and never exit; only cli_*.c
 * turns errors into exit codes.
 *
 * Thread context: any thread, the audio thread included (phonon_mono_ns is
 * one vDSO clock read, no system call; phonon_alloc64 excepted).
 */
#ifndef PHONON_H
#define PHONON_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

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

/* The engine's defaults and limits, as the command line offers them (the
 * options' help texts and the man page quote these numbers). Macros, not
 * enumerators, so that help strings can spell them (PHONON_STR). */
#define PHONON_DEFAULT_RATE 44100       /* Hz, render and profile (live: the device's) */
#define PHONON_MIN_RATE 8000
#define PHONON_MAX_RATE 384000
#define PHONON_DEFAULT_BLOCK 512        /* frames per block */
#define PHONON_MIN_BLOCK 16
#define PHONON_MAX_BLOCK 4096
#define PHONON_MAX_THREADS 256          /* 0 = one per online core */
#define PHONON_DEFAULT_VOICES 4096      /* voice pool */
#define PHONON_MAX_VOICES 65536
#define PHONON_DEFAULT_SAMPLE_MEM 1024  /* MiB of sample data kept loaded (--sample-mem) */
#define PHONON_MIN_SAMPLE_MEM 1
#define PHONON_MAX_SAMPLE_MEM 16777216  /* 16 TiB */

/* A macro's value as a string literal: PHONON_STR(PHONON_MAX_VOICES) is "65536". */
#define PHONON_STR_(x) #x
#define PHONON_STR(x) PHONON_STR_(x)

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

/* s as a JSON string literal, quotes included: '"' and '\\' escaped, the
 * control characters as \n \t \r \b \f or \u00XX. Like snprintf: writes at
 * most cap - 1 characters and a NUL to dst (nothing when cap is 0), returns
 * the whole literal's length. The one JSON string writer (pattern values,
 * the CLI's --json output). Any thread; no allocation. */
size_t phonon_json_escape(char *dst, size_t cap, const char *s);

/* n rounded up to a whole number of 64-byte cache lines. */
static inline size_t phonon_round64(size_t n) { return (n + 63) & ~(size_t)63; }

/* n bytes aligned to a 64-byte cache line (n rounded up to a multiple of
 * 64, as aligned_alloc asks); free() releases it. Never on the audio thread. */
void *phonon_alloc64(size_t n);

/* CLOCK_MONOTONIC in nanoseconds: the one clock for timing, deadlines and
 * latencies (watch_wait's when_ns, engine_stats' swap_ns, the audio
 * callback's load). Any thread, the audio thread included. */
static inline int64_t phonon_mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

#endif
