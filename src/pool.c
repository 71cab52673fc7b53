/* pool.c -- the real-time thread pool: persistent workers, one atomic job counter.
 *
 * DESIGN
 *
 * A block's jobs are claimed from one 64-bit word, `claim`, holding
 * njobs << 32 | next. The caller publishes a block by storing njobs << 32
 * (release); every participant, the caller included, takes jobs with
 * fetch_add(claim, 1) and stops at the first index >= njobs. Packing njobs
 * into the word is what makes the counter safe to reset per block: a worker
 * that is slow to leave block b may still do its last fetch_add after block
 * b+1 was published. Its claim then carries b+1's njobs, so it either fails
 * correctly or is a real claim on b+1, and the worker runs that job with the
 * current fn/ctx, which cannot change before b+1 is complete, and b+1 is not
 * complete while that job is unfinished. No claim is lost or taken twice, and
 * nobody ever reads a stale job count.
 *
 * `pending` counts unfinished jobs. Each participant subtracts the jobs it ran
 * once, with release, when its claims run out; the caller waits for zero with
 * acquire, so every job's writes happen-before pool_run returns. The next
 * block may overwrite fn/ctx only after that, which is also why the plain
 * fields are race-free.
 *
 * Waking. `epoch` goes up by one per block; workers wait for it to change.
 * A worker first spins on it (spin_us worth of pause instructions: back-to-
 * back blocks in render mode never sleep), then sleeps on it as a futex.
 * Before sleeping it increments `sleepers` and re-reads `epoch`; the caller
 * increments `epoch` and then reads `sleepers`. Both pairs are seq_cst, so
 * either the worker sees the new epoch or the caller sees the sleeper (the
 * store-buffering outcome where both miss is forbidden), and FUTEX_WAIT
 * itself returns at once if the epoch moved in between. The caller therefore
 * makes the futex wake only when someone sleeps, and wakes no more workers
 * than there are jobs beyond its own first one.
 *
 * Waiting. The caller spins for the workers still running jobs: at that
 * point it has nothing else to do, and sleeping would add a wake-up latency
 * (tens of us, more on a busy system) to every block on the audio thread.
 * The cost is a core busy for the length of the longest job in flight after
 * the caller ran out of claims, which is at most one job's duration. The one
 * exception is a wait longer than wait_spin_us: a worker may have been
 * preempted on the caller's own CPU (with SCHED_FIFO at equal or lower
 * priority it would never get the CPU back from a spinning caller), so the
 * caller then naps 50 us at a time, counted in the stats.
 *
 * Spin budgets are counted in loop iterations, calibrated once against
 * CLOCK_MONOTONIC in pool_new, so the spin loops read no clock at all.
 *
 * Platforms: Linux sleeps on a futex; elsewhere (macOS, BSD; or Linux built
 * with -DPOOL_CONDVAR, which the tests use to exercise it) a mutex and a
 * condition variable stand in, taken only on the sleep and wake paths.
 * Pinning and thread names are Linux-only.
 */
#include "pool.h"
#include "phonon.h"

#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* The Makefile's rtsan build (-DPHONON_RTSAN) flags every system call made
 * from a nonblocking function. pool_run's two deliberate ones, the futex wake
 * and the late-block nap, are declared allowed so only accidents are caught. */
#ifdef PHONON_RTSAN
#include <sanitizer/rtsan_interface.h>
#define RT_ALLOWED_BEGIN() __rtsan_disable()
#define RT_ALLOWED_END() __rtsan_enable()
/* Exported by the runtime (the header declares them only for C++): a
 * worker running jobs is on the audio path as much as the caller is. */
void __rtsan_realtime_enter(void);
void __rtsan_realtime_exit(void);
#define RT_JOBS_BEGIN() __rtsan_realtime_enter()
#define RT_JOBS_END() __rtsan_realtime_exit()
#else
#define RT_ALLOWED_BEGIN() ((void)0)
#define RT_ALLOWED_END() ((void)0)
#define RT_JOBS_BEGIN() ((void)0)
#define RT_JOBS_END() ((void)0)
#endif

#if defined(__linux__) && !defined(POOL_CONDVAR)
#include <linux/futex.h>
#include <sys/syscall.h>
#define POOL_FUTEX 1
#else
#define POOL_FUTEX 0
#endif

enum {
    CACHE_LINE = 64,
    NAP_NS = 50000,         /* the caller's nap once wait_spin_us is spent */
    CALIBRATE_NS = 50000,   /* one calibration round */
};

_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "pool needs lock-free 64-bit atomics");
_Static_assert(sizeof(atomic_uint) == 4, "the futex word must be 32 bits");

struct pool_thread {
    alignas(CACHE_LINE) _Atomic uint64_t busy_ns;  /* written by this thread only */
    _Atomic uint64_t jobs;                          /* written by this thread only */
    struct pool *pool;
    int index;                                      /* 0 = the caller */
    pthread_t tid;                                  /* workers only */
};

struct pool {
    /* Written by the caller once per block; read by every worker. */
    alignas(CACHE_LINE) atomic_uint epoch;  /* +1 per block and at shutdown; the futex word */
    atomic_bool quit;                       /* set by pool_free before its epoch bump */
    void (*fn)(void *ctx, int job, int thread);     /* current block; see DESIGN */
    void *ctx;
    /* Constant after pool_new, read on the same line the workers watch. */
    int nthreads;
    int caller_cpu;                         /* a CPU no worker is pinned to; -1 = none */
    uint32_t spin_iters;                    /* workers' spin budget, in loop iterations */
    uint32_t wait_iters;                    /* caller's spin budget before napping */
    bool timing;

    alignas(CACHE_LINE) _Atomic uint64_t claim;     /* njobs << 32 | next job index */
    alignas(CACHE_LINE) atomic_int pending;         /* jobs of this block not finished */
    alignas(CACHE_LINE) atomic_int sleepers;        /* workers in or entering the futex wait */

    /* Caller-only counters (atomic so the stats readers are race-free). */
    alignas(CACHE_LINE) _Atomic uint64_t runs, wakes, naps;
#ifndef NDEBUG
    atomic_int running;                     /* a pool_run is in progress */
#endif
#if !POOL_FUTEX
    pthread_mutex_t lock;
    pthread_cond_t cond;
#endif
    struct pool_thread thread[];            /* nthreads; [0] is the caller's */
};

/* --- small helpers ------------------------------------------------------- */

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__) || defined(__arm__)
    __asm__ __volatile__("yield" ::: "memory");
#else
    atomic_signal_fence(memory_order_seq_cst);
#endif
}

/* Add to a counter that only the calling thread writes: a plain load and
 * store (no locked instruction), still race-free for concurrent readers. */
static inline void counter_add(_Atomic uint64_t *c, uint64_t by)
{
    atomic_store_explicit(c, atomic_load_explicit(c, memory_order_relaxed) + by,
                          memory_order_relaxed);
}

/* Iterations per microsecond of a spin loop like ours (one atomic load and
 * one pause). The best of a few short rounds, so a preemption during one
 * round does not shorten the budgets. */
static double spin_rate(void)
{
    atomic_uint probe;
    atomic_init(&probe, 0);
    double best = 0;
    for (int round = 0; round < 3; round++) {
        uint64_t t0 = (uint64_t)phonon_mono_ns(), dt;
        uint64_t n = 0;
        do {
            for (int i = 0; i < 64; i++) {
                (void)atomic_load_explicit(&probe, memory_order_acquire);
                cpu_relax();
            }
            n += 64;
        } while ((dt = (uint64_t)phonon_mono_ns() - t0) < CALIBRATE_NS);
        double rate = (double)n * 1000.0 / (double)dt;
        if (rate > best)
            best = rate;
    }
    return best;
}

static uint32_t spin_iters(int us, double rate)
{
    double n = us > 0 ? (double)us * rate : 0;
    return n >= (double)UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

__attribute__((format(printf, 2, 3)))
static void notice(const struct pool_opts *o, const char *fmt, ...)
{
    if (o->quiet)
        return;
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (o->notice)
        o->notice(o->notice_user, msg);
    else
        fprintf(stderr, "phonon: %s\n", msg);
}

/* --- sleeping and waking ------------------------------------------------- */

#if POOL_FUTEX
/* Returns at once if epoch != seen; may also return spuriously. */
static void sleep_on_epoch(struct pool *p, unsigned seen)
{
    syscall(SYS_futex, &p->epoch, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0);
}

static void wake_workers(struct pool *p, int n)
{
    syscall(SYS_futex, &p->epoch, FUTEX_WAKE_PRIVATE, n, NULL, NULL, 0);
}
#else
/* The waker takes the lock before broadcasting, and the sleeper re-checks the
 * epoch under it, so a wake cannot fall between that check and the wait. */
static void sleep_on_epoch(struct pool *p, unsigned seen)
{
    pthread_mutex_lock(&p->lock);
    while (atomic_load_explicit(&p->epoch, memory_order_relaxed) == seen)
        pthread_cond_wait(&p->cond, &p->lock);
    pthread_mutex_unlock(&p->lock);
}

static void wake_workers(struct pool *p, int n)
{
    (void)n;
    pthread_mutex_lock(&p->lock);
    pthread_cond_broadcast(&p->cond);
    pthread_mutex_unlock(&p->lock);
}
#endif

/* --- the block protocol (see DESIGN) --------------------------------------- */

/* Claim and run jobs until the block has none left; returns how many this
 * thread ran. Its stats are updated before the caller of this function
 * releases them with the pending decrement. */
static int run_jobs(struct pool *p, struct pool_thread *t)
{
    int done = 0;
    uint64_t busy = 0;
    for (;;) {
        uint64_t w = atomic_fetch_add_explicit(&p->claim, 1, memory_order_acquire);
        uint32_t job = (uint32_t)w, njobs = (uint32_t)(w >> 32);
        if (job >= njobs)
            break;
        if (p->timing) {
            uint64_t t0 = (uint64_t)phonon_mono_ns();
            p->fn(p->ctx, (int)job, t->index);
            busy += (uint64_t)phonon_mono_ns() - t0;
        } else {
            p->fn(p->ctx, (int)job, t->index);
        }
        done++;
    }
    if (done) {
        counter_add(&t->busy_ns, busy);
        counter_add(&t->jobs, (uint64_t)done);
    }
    return done;
}

/* Wait until the epoch differs from seen; return the new one. */
static unsigned wait_for_block(struct pool *p, unsigned seen)
{
    unsigned e;
    for (uint32_t i = 0; i < p->spin_iters; i++) {
        e = atomic_load_explicit(&p->epoch, memory_order_acquire);
        if (e != seen)
            return e;
        cpu_relax();
    }
    for (;;) {
        atomic_fetch_add_explicit(&p->sleepers, 1, memory_order_seq_cst);
        if (atomic_load_explicit(&p->epoch, memory_order_seq_cst) == seen)
            sleep_on_epoch(p, seen);
        atomic_fetch_sub_explicit(&p->sleepers, 1, memory_order_relaxed);
        e = atomic_load_explicit(&p->epoch, memory_order_acquire);
        if (e != seen)
            return e;
    }
}

static void *worker_main(void *arg)
{
    struct pool_thread *t = arg;
    struct pool *p = t->pool;
    unsigned seen = 0;      /* the epoch at pool_new: a worker slow to start
                               still joins the first block */
    for (;;) {
        seen = wait_for_block(p, seen);
        if (atomic_load_explicit(&p->quit, memory_order_relaxed))
            return NULL;
        RT_JOBS_BEGIN();
        int done = run_jobs(p, t);
        RT_JOBS_END();
        if (done)
            atomic_fetch_sub_explicit(&p->pending, done, memory_order_release);
    }
}

/* The caller's wait for jobs still running on workers. */
static void wait_for_workers(struct pool *p)
{
    for (uint32_t i = 0; i < p->wait_iters; i++) {
        if (atomic_load_explicit(&p->pending, memory_order_acquire) == 0)
            return;
        cpu_relax();
    }
    while (atomic_load_explicit(&p->pending, memory_order_acquire) != 0) {
        struct timespec nap = {0, NAP_NS};
        RT_ALLOWED_BEGIN();
        nanosleep(&nap, NULL);
        RT_ALLOWED_END();
        counter_add(&p->naps, 1);
    }
}

void pool_run(struct pool *p, int njobs, void (*fn)(void *ctx, int job, int thread),
              void *ctx)
{
    assert(p && fn && njobs >= 0);
    if (njobs == 0)
        return;
#ifndef NDEBUG
    int overlapping = atomic_exchange(&p->running, 1);
    assert(!overlapping && "pool_run calls overlap");
#endif
    counter_add(&p->runs, 1);
    p->fn = fn;
    p->ctx = ctx;
    atomic_store_explicit(&p->pending, njobs, memory_order_relaxed);
    atomic_store_explicit(&p->claim, (uint64_t)njobs << 32, memory_order_release);
    if (p->nthreads > 1) {
        atomic_fetch_add_explicit(&p->epoch, 1, memory_order_seq_cst);
        int sleeping = atomic_load_explicit(&p->sleepers, memory_order_seq_cst);
        if (sleeping > 0 && njobs > 1) {
            RT_ALLOWED_BEGIN();
            wake_workers(p, sleeping < njobs - 1 ? sleeping : njobs - 1);
            RT_ALLOWED_END();
            counter_add(&p->wakes, 1);
        }
    }
    int done = run_jobs(p, &p->thread[0]);
    if (atomic_fetch_sub_explicit(&p->pending, done, memory_order_acq_rel) != done)
        wait_for_workers(p);
#ifndef NDEBUG
    atomic_store(&p->running, 0);
#endif
}

/* --- creation and teardown ------------------------------------------------ */

void pool_opts_init(struct pool_opts *o)
{
    *o = (struct pool_opts){
        .nthreads = 0,
        .rt_priority = POOL_RT_PRIORITY_DEFAULT,
        .pin = true,
        .spin_us = 50,
        .wait_spin_us = 500,
        .timing = true,
    };
}

#ifdef __linux__
/* The CPU for worker k (1-based): see struct pool_opts.cpus. allowed/nallowed
 * is the creating thread's affinity, used when o->cpus is NULL. */
static int worker_cpu(const struct pool_opts *o, const int *allowed, int nallowed, int k)
{
    if (o->cpus && o->ncpus > 0)
        return o->cpus[(k - 1) % o->ncpus];
    return allowed[k % nallowed];
}

static int pin_thread(pthread_t tid, int cpu)
{
    if (cpu < 0 || cpu >= CPU_SETSIZE)
        return EINVAL;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return pthread_setaffinity_np(tid, sizeof set, &set);
}
#endif

/* Start workers 1..n-1, then set their priority and CPU. Refusals are
 * summed up in one notice per kind. */
static void start_workers(struct pool *p, const struct pool_opts *o, int n)
{
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);   /* inherited by the workers */
    for (int k = 1; k < n; k++) {
        struct pool_thread *t = &p->thread[k];
        t->pool = p;
        t->index = k;
        int err = pthread_create(&t->tid, NULL, worker_main, t);
        if (err) {
            notice(o, "pool: cannot start worker thread %d of %d (%s); running with %d threads",
                   k, n - 1, strerror(err), k);
            break;
        }
        p->nthreads = k + 1;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    int nworkers = p->nthreads - 1;

    if (o->rt_priority > 0) {
        int lo = sched_get_priority_min(SCHED_FIFO), hi = sched_get_priority_max(SCHED_FIFO);
        struct sched_param sp = {
            .sched_priority = o->rt_priority < lo ? lo : o->rt_priority > hi ? hi : o->rt_priority,
        };
        int refused = 0, first_err = 0;
        for (int k = 1; k <= nworkers; k++) {
            int err = pthread_setschedparam(p->thread[k].tid, SCHED_FIFO, &sp);
            if (err && !refused++)
                first_err = err;
        }
        if (refused)
            notice(o, "pool: real-time priority %d refused for %d of %d worker threads (%s); "
                   "they run at normal priority", sp.sched_priority, refused, nworkers,
                   strerror(first_err));
    }

#ifdef __linux__
    if (o->pin && nworkers > 0) {
        int allowed[CPU_SETSIZE], nallowed = 0;
        cpu_set_t mask;
        if (pthread_getaffinity_np(pthread_self(), sizeof mask, &mask) == 0)
            for (int c = 0; c < CPU_SETSIZE; c++)
                if (CPU_ISSET(c, &mask))
                    allowed[nallowed++] = c;
        if (nallowed == 0)
            allowed[nallowed++] = 0;
        int refused = 0, first_err = 0, first_cpu = 0;
        bool taken[CPU_SETSIZE] = {false};
        for (int k = 1; k <= nworkers; k++) {
            int cpu = worker_cpu(o, allowed, nallowed, k);
            int err = pin_thread(p->thread[k].tid, cpu);
            if (err && !refused++) {
                first_err = err;
                first_cpu = cpu;
            }
            if (!err)
                taken[cpu] = true;
        }
        for (int i = 0; i < nallowed && p->caller_cpu < 0 && !refused; i++)
            if (!taken[allowed[i]])                 /* free only if no worker floats */
                p->caller_cpu = allowed[i];
        if (refused)
            notice(o, "pool: cannot pin %d of %d worker threads to their CPU (CPU %d: %s); "
                   "they run unpinned", refused, nworkers, first_cpu, strerror(first_err));
    }
    for (int k = 1; k <= nworkers; k++) {
        char name[24];
        snprintf(name, sizeof name, "phonon-pool-%d", k);
        name[15] = '\0';                            /* the kernel's limit */
        pthread_setname_np(p->thread[k].tid, name);
    }
#endif
}

struct pool *pool_new(const struct pool_opts *opts)
{
    struct pool_opts o;
    if (opts)
        o = *opts;
    else
        pool_opts_init(&o);
    assert(o.nthreads >= 0);
    int n = o.nthreads;
    if (n == 0) {
        long online = sysconf(_SC_NPROCESSORS_ONLN);
        n = online < 1 ? 1 : online > POOL_MAX_THREADS ? POOL_MAX_THREADS : (int)online;
    }
    if (n > POOL_MAX_THREADS)
        n = POOL_MAX_THREADS;

    size_t size = sizeof(struct pool) + (size_t)n * sizeof(struct pool_thread);
    size = (size + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;  /* aligned_alloc wants a multiple */
    struct pool *p = aligned_alloc(CACHE_LINE, size);
    if (!p)
        return NULL;
    memset(p, 0, size);
    atomic_init(&p->epoch, 0);
    atomic_init(&p->quit, false);
    atomic_init(&p->claim, 0);
    atomic_init(&p->pending, 0);
    atomic_init(&p->sleepers, 0);
    atomic_init(&p->runs, 0);
    atomic_init(&p->wakes, 0);
    atomic_init(&p->naps, 0);
#ifndef NDEBUG
    atomic_init(&p->running, 0);
#endif
    for (int k = 0; k < n; k++) {
        atomic_init(&p->thread[k].busy_ns, 0);
        atomic_init(&p->thread[k].jobs, 0);
    }
    p->thread[0].pool = p;
    p->nthreads = 1;
    p->caller_cpu = -1;
    p->timing = o.timing;
    if (n > 1) {
        double rate = spin_rate();
        p->spin_iters = spin_iters(o.spin_us, rate);
        p->wait_iters = spin_iters(o.wait_spin_us, rate);
#if !POOL_FUTEX
        pthread_mutex_init(&p->lock, NULL);
        pthread_cond_init(&p->cond, NULL);
#endif
        start_workers(p, &o, n);
    }
    return p;
}

void pool_free(struct pool *p)
{
    if (!p)
        return;
    if (p->nthreads > 1) {
        atomic_store_explicit(&p->quit, true, memory_order_relaxed);
        atomic_fetch_add_explicit(&p->epoch, 1, memory_order_seq_cst);  /* releases quit */
        wake_workers(p, INT_MAX);
        for (int k = 1; k < p->nthreads; k++)
            pthread_join(p->thread[k].tid, NULL);
#if !POOL_FUTEX
        pthread_mutex_destroy(&p->lock);
        pthread_cond_destroy(&p->cond);
#endif
    }
    free(p);
}

/* --- stats ----------------------------------------------------------------- */

int pool_nthreads(const struct pool *p)
{
    return p->nthreads;
}

int pool_pin_caller(const struct pool *p)
{
#ifdef __linux__
    RT_ALLOWED_BEGIN();             /* once, at the first audio callback */
    int err = p->caller_cpu >= 0 ? pin_thread(pthread_self(), p->caller_cpu) : EINVAL;
    RT_ALLOWED_END();
    if (err == 0)
        return 0;
#else
    (void)p;
#endif
    return PHONON_EINVAL;
}

void pool_stats_read(const struct pool *p, struct pool_stats *s)
{
    s->runs = atomic_load_explicit(&p->runs, memory_order_relaxed);
    s->wakes = atomic_load_explicit(&p->wakes, memory_order_relaxed);
    s->naps = atomic_load_explicit(&p->naps, memory_order_relaxed);
}

void pool_thread_stats_read(const struct pool *p, int thread, struct pool_thread_stats *t)
{
    assert(thread >= 0 && thread < p->nthreads);
    t->busy_ns = atomic_load_explicit(&p->thread[thread].busy_ns, memory_order_relaxed);
    t->jobs = atomic_load_explicit(&p->thread[thread].jobs, memory_order_relaxed);
}

void pool_stats_reset(struct pool *p)
{
    atomic_store_explicit(&p->runs, 0, memory_order_relaxed);
    atomic_store_explicit(&p->wakes, 0, memory_order_relaxed);
    atomic_store_explicit(&p->naps, 0, memory_order_relaxed);
    for (int k = 0; k < p->nthreads; k++) {
        atomic_store_explicit(&p->thread[k].busy_ns, 0, memory_order_relaxed);
        atomic_store_explicit(&p->thread[k].jobs, 0, memory_order_relaxed);
    }
}
