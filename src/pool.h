/* pool.h -- persistent worker threads that help the audio thread render a block.
 *
 * Per block the audio thread has a list of independent jobs (voice batches,
 * each rendering into its own buffer). pool_run() hands them to the workers,
 * works on them itself as thread 0, and returns when every job is done:
 *
 *     static void render_batch(void *ctx, int job, int thread)
 *     {
 *         struct block *b = ctx;
 *         voice_batch_render(&b->batch[job], b->buf[job], b->nframes);
 *     }
 *     ...
 *     pool_run(pool, b->nbatches, render_batch, b);
 *     for (int j = 0; j < b->nbatches; j++)      // fixed order: same bits for
 *         mix_add(out, b->buf[j], b->nframes);   // 1 thread or 16
 *
 * Threads. pool_new() and pool_free() run on a control thread. pool_run() is
 * called by one thread at a time, "the audio thread"; it does not have to be
 * the thread that created the pool (a PortAudio callback thread is not), and
 * it may change between runs as long as the runs do not overlap (a debug
 * build asserts that). Jobs run on the caller and on the workers at once, so
 * fn must be safe to call concurrently for different job indices; a job must
 * not call pool_run.
 *
 * Real time. pool_run() does not allocate, lock or print. Its one system
 * call is a futex wake, made only when a worker is asleep (counted in
 * struct pool_stats.wakes). While blocks come back to back (render, profile)
 * the workers are still spinning and no call is made; in live mode the gap
 * between blocks is longer than the workers' spin, so each block with two or
 * more jobs costs one wake (a few us). The caller never sleeps waiting for
 * the workers: it spins, unless a job keeps it waiting longer than
 * wait_spin_us (then it naps, see there). Off Linux the wake is a condition
 * variable broadcast under a mutex.
 *
 * Memory ordering. Everything a job wrote happens-before pool_run() returns:
 * the caller may read the job outputs right away.
 *
 * Errors. pool_new() returns NULL only when out of memory. Everything else
 * it asks of the system (real-time priority, pinning, even starting a worker)
 * may be refused; it then says so in one line per kind of refusal through the
 * notice callback and carries on with what it got.
 */
#ifndef POOL_H
#define POOL_H

#include <stdbool.h>
#include <stdint.h>

/* The workers' default SCHED_FIFO priority: the lowest real-time one, so they
 * run ahead of every normal process and never ahead of a real-time audio
 * thread. Pass the audio thread's priority minus a few when it is known. */
#define POOL_RT_PRIORITY_DEFAULT 1

/* More threads than this are clamped to it. */
#define POOL_MAX_THREADS 256

struct pool_opts {
    int nthreads;           /* threads including the caller: 1 = no workers, every
                               job runs inline; 0 = online cores. More than the
                               cores works (tests do it) but only costs time */
    int rt_priority;        /* workers' SCHED_FIFO priority, 1..99 (clamped to
                               the system's range); 0 = normal scheduling */
    bool pin;               /* pin worker k to one CPU (see cpus); Linux only,
                               ignored elsewhere */
    const int *cpus;        /* borrowed, read in pool_new only: worker k (1-based)
                               runs on cpus[(k - 1) % ncpus]. NULL = allowed[k %
                               count], allowed being the CPUs the creating thread
                               may use, in order: with N = cores, allowed[0] is
                               left for the audio thread (pool_pin_caller) */
    int ncpus;
    int spin_us;            /* a worker with nothing to do spins this long before
                               sleeping on a futex; 0 = sleep at once */
    int wait_spin_us;       /* the caller spins this long for jobs still running
                               on workers, then naps 50 us at a time (counted in
                               pool_stats.naps): by then the block is late anyway
                               and a worker may be waiting for the caller's CPU
                               (a SCHED_FIFO caller would starve it for good).
                               A huge value never naps */
    bool timing;            /* measure busy time per thread (two clock reads per
                               job); off: busy_ns stays 0, jobs still counted */
    bool quiet;             /* drop notices */
    void (*notice)(void *user, const char *msg);  /* one line, no newline; NULL =
                               "phonon: <msg>\n" on stderr. Called from pool_new */
    void *notice_user;
};

/* Defaults: nthreads 0 (online cores), rt_priority POOL_RT_PRIORITY_DEFAULT,
 * pin on, cpus NULL, spin_us 50, wait_spin_us 500, timing on, quiet off,
 * notice NULL. */
void pool_opts_init(struct pool_opts *o);

struct pool;                /* opaque: pool_new / pool_free */

/* Start the workers (nthreads - 1 of them). o = NULL: the defaults. The
 * workers block every signal, so signals go to the application's threads.
 * Returns NULL when out of memory. Control thread. */
struct pool *pool_new(const struct pool_opts *o);

/* Stop and join the workers, then free. NULL is a no-op. No pool_run may be
 * in progress or start later. Control thread. */
void pool_free(struct pool *p);

/* Threads actually running, the caller included: opts.nthreads (resolved),
 * or fewer if the system refused to start a worker. Any thread. */
int pool_nthreads(const struct pool *p);

/* Pin the calling thread to a CPU that no worker is pinned to: with
 * nthreads <= CPUs the first CPU the creator may use is left free for it.
 * Meant for the audio thread, which must not share a CPU with a worker: a
 * worker of higher priority would preempt it, one of lower priority would
 * never run while it spins. A system call: call it once (first audio
 * callback, or before a render loop), never per block. Returns 0, or
 * PHONON_EINVAL when no CPU is free (pinning off or refused, more threads
 * than CPUs, not Linux) or the system refuses. */
int pool_pin_caller(const struct pool *p);

/* Call fn(ctx, job, thread) once for every job in 0..njobs-1 and return when
 * all have returned. thread is 0 on the caller and 1..nthreads-1 on the
 * workers (index per-thread scratch with it); which thread gets which job is
 * not fixed. njobs = 0 returns at once. Audio thread: see the top comment. */
void pool_run(struct pool *p, int njobs, void (*fn)(void *ctx, int job, int thread),
              void *ctx);

/* Utilisation since pool_new or the last pool_stats_reset. */
struct pool_stats {
    uint64_t runs;          /* pool_run calls with at least one job */
    uint64_t wakes;         /* futex wakes pool_run made (workers were asleep) */
    uint64_t naps;          /* 50 us naps pool_run took (see wait_spin_us) */
};

struct pool_thread_stats {
    uint64_t busy_ns;       /* time inside fn (CLOCK_MONOTONIC), 0 if !timing */
    uint64_t jobs;          /* jobs run */
};

/* Read the counters. The numbers are exact once the last pool_run has
 * returned and that return happens-before the read (same thread, a joined
 * render thread, a stopped stream). Read while blocks run (live display)
 * they are race-free but each lags by up to one block and busy_ns may not
 * match jobs yet. Any thread. thread: 0..pool_nthreads(p)-1. */
void pool_stats_read(const struct pool *p, struct pool_stats *s);
void pool_thread_stats_read(const struct pool *p, int thread, struct pool_thread_stats *t);

/* Zero all counters. Only while no pool_run is in progress, and before the
 * audio thread is told to go on (e.g. before starting the stream); a reset
 * that races a block may lose to that block's updates. */
void pool_stats_reset(struct pool *p);

#endif
