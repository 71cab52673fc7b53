/* tests/test_pool.c -- the real-time thread pool (src/pool.c).
 *
 * Every test runs under a 10 s watchdog (SIGALRM): a lost wake-up or a
 * deadlock fails the test instead of hanging `make test`. Most tests keep the
 * workers at normal priority (rt_priority 0) because this machine is shared;
 * test_pool_real_time_priority_is_applied_or_noted asks for SCHED_FIFO.
 *
 * Jobs that must run on different threads at once ("meet" jobs) wait for
 * each other with a timeout: if pool_run failed to wake a worker, the
 * caller's job would wait forever, so such a test fails on a lost wake-up
 * rather than passing because the caller did all the work. The whole file
 * takes about 2 s on 2 cores. Build with -DPOOL_CONDVAR to test the
 * condition-variable fallback used on macOS.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "phonon.h"
#include "pool.h"

enum { MAX_JOBS = 1000, WATCHDOG_S = 10 };

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Test jobs block on purpose (sleeping, yielding); the rtsan build runs
 * the workers' jobs as real-time code, so those calls are declared. */
#ifdef PHONON_RTSAN
#include <sanitizer/rtsan_interface.h>
#define DELIBERATE(call) do { __rtsan_disable(); call; __rtsan_enable(); } while (0)
#else
#define DELIBERATE(call) call
#endif

static void sleep_us(long us)
{
    struct timespec ts = {us / 1000000, us % 1000000 * 1000};
    DELIBERATE(nanosleep(&ts, NULL));
}

static void spin_ns(uint64_t ns)
{
    uint64_t t0 = now_ns();
    while (now_ns() - t0 < ns)
        ;
}

/* --- watchdog ------------------------------------------------------------ */

static void watchdog_fired(int sig)
{
    (void)sig;
    static const char msg[] = "test_pool: watchdog: a test took more than 10 s (deadlock or lost wake-up?)\n";
    ssize_t r = write(2, msg, sizeof msg - 1);
    (void)r;
    _exit(1);
}

static int watchdog_arm(void **state)
{
    (void)state;
    signal(SIGALRM, watchdog_fired);
    alarm(WATCHDOG_S);
    return 0;
}

static int watchdog_disarm(void **state)
{
    (void)state;
    alarm(0);
    return 0;
}

/* --- options and notices ------------------------------------------------- */

struct notices {
    int count;
    char last[256];
};

static void notice_capture(void *user, const char *msg)
{
    struct notices *n = user;
    n->count++;
    snprintf(n->last, sizeof n->last, "%s", msg);
}

/* Defaults for a shared test machine: normal priority, short spins, notices
 * captured (and checked where they matter). */
static struct pool_opts test_opts(int nthreads, struct notices *n)
{
    struct pool_opts o;
    pool_opts_init(&o);
    o.nthreads = nthreads;
    o.rt_priority = 0;
    o.spin_us = 20;
    o.notice = notice_capture;
    o.notice_user = n;
    return o;
}

/* --- jobs ---------------------------------------------------------------- */

/* Counts how often each job ran and on which threads. */
struct count_ctx {
    atomic_int ran[MAX_JOBS];
    atomic_int bad_thread;          /* a thread index out of range was seen */
    int nthreads;
    int stamp;                      /* block number, written into out[] */
    int out[MAX_JOBS];              /* each job writes only its own slot */
    uint64_t work_ns;               /* how long each job spins */
};

static void job_count(void *ctx, int job, int thread)
{
    struct count_ctx *c = ctx;
    atomic_fetch_add_explicit(&c->ran[job], 1, memory_order_relaxed);
    if (thread < 0 || thread >= c->nthreads)
        atomic_store(&c->bad_thread, 1);
    c->out[job] = c->stamp;
    if (c->work_ns)
        spin_ns(c->work_ns);
}

static void count_reset(struct count_ctx *c, int nthreads)
{
    for (int j = 0; j < MAX_JOBS; j++)
        atomic_store_explicit(&c->ran[j], 0, memory_order_relaxed);
    atomic_store(&c->bad_thread, 0);
    c->nthreads = nthreads;
}

/* Runs njobs count jobs as block `stamp` and checks each ran exactly once
 * and that its output is visible to the caller. */
static void run_and_check(struct pool *p, struct count_ctx *c, int njobs, int stamp)
{
    count_reset(c, pool_nthreads(p));
    c->stamp = stamp;
    pool_run(p, njobs, job_count, c);
    for (int j = 0; j < MAX_JOBS; j++)
        assert_int_equal(atomic_load_explicit(&c->ran[j], memory_order_relaxed), j < njobs);
    for (int j = 0; j < njobs; j++)
        assert_int_equal(c->out[j], stamp);        /* plain read: needs pool_run's ordering */
    assert_int_equal(atomic_load(&c->bad_thread), 0);
}

/* "Meet" jobs: each waits until `need` jobs have started, so they must run
 * on `need` different threads at once. */
struct meet_ctx {
    atomic_int arrived;
    atomic_int timeouts;
    int need;
    int thread_of[64];              /* which thread ran each job */
    int policy[64];                 /* the thread's scheduling policy and priority */
    int priority[64];
};

static void job_meet(void *ctx, int job, int thread)
{
    struct meet_ctx *m = ctx;
    atomic_fetch_add(&m->arrived, 1);
    uint64_t t0 = now_ns();
    while (atomic_load(&m->arrived) < m->need) {
        uint64_t waited = now_ns() - t0;
        if (waited > 100000)
            DELIBERATE(sched_yield());              /* a thread is off the CPU: let it on */
        if (waited > 2000000000u) {
            atomic_fetch_add(&m->timeouts, 1);
            break;
        }
    }
    struct sched_param sp;
    pthread_getschedparam(pthread_self(), &m->policy[job], &sp);
    m->priority[job] = sp.sched_priority;
    m->thread_of[job] = thread;
}

/* Runs one block of n meet jobs and checks that every thread ran one. */
static void meet_block(struct pool *p, struct meet_ctx *m, int n)
{
    atomic_store(&m->arrived, 0);
    m->need = n;
    pool_run(p, n, job_meet, m);
    assert_int_equal(atomic_load(&m->timeouts), 0);
    unsigned seen = 0;
    for (int j = 0; j < n; j++)
        seen |= 1u << m->thread_of[j];
    assert_int_equal(seen, (1u << n) - 1);
}

/* --- tests --------------------------------------------------------------- */

static void test_pool_runs_every_job_exactly_once(void **state)
{
    (void)state;
    static const int threads[] = {1, 2, 3, 8};     /* 8 > the 2 cores here */
    static const int jobs[] = {0, 1, 7, 64, 1000};
    static struct count_ctx c;
    struct notices n = {0};
    for (size_t t = 0; t < sizeof threads / sizeof *threads; t++) {
        struct pool_opts o = test_opts(threads[t], &n);
        struct pool *p = pool_new(&o);
        assert_non_null(p);
        assert_int_equal(pool_nthreads(p), threads[t]);
        int stamp = 0;
        for (int rep = 0; rep < 20; rep++)
            for (size_t k = 0; k < sizeof jobs / sizeof *jobs; k++)
                run_and_check(p, &c, jobs[k], ++stamp);
        struct pool_stats s;
        pool_stats_read(p, &s);
        assert_int_equal(s.runs, 20 * 4);           /* njobs = 0 is not a run */
        pool_free(p);
    }
    assert_int_equal(n.count, 0);
}

static void test_pool_default_is_online_cores(void **state)
{
    (void)state;
    struct notices n = {0};
    struct pool_opts o = test_opts(0, &n);
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    assert_int_equal(pool_nthreads(p), (int)sysconf(_SC_NPROCESSORS_ONLN));
    pool_free(p);
    pool_free(NULL);
}

/* A worker left with nothing to do sleeps after spin_us; the next block must
 * wake it. spin_us = 0 makes it sleep right after every block, so the
 * caller's publish races the worker's way into the futex every time. */
static void wake_every_block(int nthreads, int spin_us, int blocks, int gap_every, int gap_us)
{
    struct notices n = {0};
    struct pool_opts o = test_opts(nthreads, &n);
    o.spin_us = spin_us;
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    static struct meet_ctx m;
    for (int b = 0; b < blocks; b++) {
        meet_block(p, &m, nthreads);
        if (gap_every && b % gap_every == 0)
            sleep_us(gap_us);
    }
    struct pool_stats s;
    pool_stats_read(p, &s);
    assert_int_equal(s.runs, blocks);
    assert_true(s.wakes > 0);                       /* the sleep path was taken */
    pool_free(p);
}

static void test_pool_wakes_sleeping_workers(void **state)
{
    (void)state;
    wake_every_block(2, 20, 1000, 2, 100);          /* sleeps 5x the spin every other block */
    wake_every_block(2, 0, 1000, 0, 0);             /* sleeps after every block */
    wake_every_block(3, 0, 200, 0, 0);              /* two sleepers to wake */
}

/* Thousands of blocks of 0..10 jobs that do a little work, with short gaps
 * now and then so the workers are sometimes spinning and sometimes asleep. */
static void test_pool_survives_thousands_of_blocks(void **state)
{
    (void)state;
    static struct count_ctx c;
    struct notices n = {0};
    struct pool_opts o = test_opts(3, &n);
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    c.work_ns = 2000;
    int total = 0;
    for (int b = 0; b < 5000; b++) {
        int njobs = b % 11;
        run_and_check(p, &c, njobs, b);
        total += njobs;
        if (b % 7 == 0)
            sleep_us(b % 2 ? 30 : 100);
    }
    c.work_ns = 0;
    uint64_t jobs = 0, worker_jobs = 0;
    for (int t = 0; t < pool_nthreads(p); t++) {
        struct pool_thread_stats ts;
        pool_thread_stats_read(p, t, &ts);
        jobs += ts.jobs;
        if (t > 0)
            worker_jobs += ts.jobs;
    }
    assert_int_equal(jobs, total);
    assert_true(worker_jobs > 0);
    pool_free(p);
}

/* The PortAudio callback thread is not the thread that created the pool.
 * run_blocks plays that thread: meet blocks (both threads must take part)
 * and blocks checking that thread 0 is the calling thread. cmocka's asserts
 * belong to the main thread, so it only counts failures. */
struct runner {
    struct pool *pool;
    int blocks;
    bool pin;                       /* pool_pin_caller first, as the engine would */
    pthread_t self;
    int failures;
    int worker_policy, worker_priority;     /* seen by the worker's last meet job */
};

static void job_check_caller(void *ctx, int job, int thread)
{
    struct runner *r = ctx;
    (void)job;
    if (thread == 0 && !pthread_equal(pthread_self(), r->self))
        r->failures++;                              /* only thread 0 writes it */
}

static void *run_blocks(void *arg)
{
    struct runner *r = arg;
    r->self = pthread_self();
    if (r->pin)
        pool_pin_caller(r->pool);   /* refused on one CPU: run anyway */
    static struct meet_ctx m;
    for (int b = 0; b < r->blocks; b++) {
        atomic_store(&m.arrived, 0);
        m.need = 2;
        pool_run(r->pool, 2, job_meet, &m);
        if (atomic_load(&m.timeouts) || m.thread_of[0] == m.thread_of[1])
            r->failures++;
        int w = m.thread_of[0] == 0;                /* the worker's job */
        r->worker_policy = m.policy[w];
        r->worker_priority = m.priority[w];
        pool_run(r->pool, 16, job_check_caller, r);
    }
    return NULL;
}

static void test_pool_runs_from_another_thread(void **state)
{
    (void)state;
    static struct count_ctx c;
    struct notices n = {0};
    struct pool_opts o = test_opts(2, &n);
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    run_and_check(p, &c, 64, 1);                    /* first from the creator */
    struct runner r = {.pool = p, .blocks = 500};
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, run_blocks, &r), 0);
    assert_int_equal(pthread_join(tid, NULL), 0);
    assert_int_equal(r.failures, 0);
    run_and_check(p, &c, 64, 2);                    /* and back */
    pool_free(p);
}

static void test_pool_stats_add_up(void **state)
{
    (void)state;
    static struct count_ctx c;
    struct notices n = {0};
    struct pool_opts o = test_opts(2, &n);
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    run_and_check(p, &c, 10, 1);
    pool_stats_reset(p);

    enum { BLOCKS = 200, JOBS = 4, WORK_NS = 20000 };
    c.work_ns = WORK_NS;
    uint64_t t0 = now_ns();
    for (int b = 0; b < BLOCKS; b++)
        run_and_check(p, &c, JOBS, b);
    uint64_t wall = now_ns() - t0;
    c.work_ns = 0;

    struct pool_stats s;
    pool_stats_read(p, &s);
    assert_int_equal(s.runs, BLOCKS);
    uint64_t busy = 0, jobs = 0;
    for (int t = 0; t < pool_nthreads(p); t++) {
        struct pool_thread_stats ts;
        pool_thread_stats_read(p, t, &ts);
        assert_true(ts.busy_ns >= ts.jobs * WORK_NS);   /* each job spins WORK_NS */
        busy += ts.busy_ns;
        jobs += ts.jobs;
    }
    assert_int_equal(jobs, BLOCKS * JOBS);
    assert_true(busy <= wall * (uint64_t)pool_nthreads(p));

    pool_stats_reset(p);
    pool_stats_read(p, &s);
    assert_int_equal(s.runs + s.wakes + s.naps, 0);
    for (int t = 0; t < pool_nthreads(p); t++) {
        struct pool_thread_stats ts;
        pool_thread_stats_read(p, t, &ts);
        assert_int_equal(ts.busy_ns + ts.jobs, 0);
    }
    pool_free(p);

    o.timing = false;                               /* jobs still counted */
    p = pool_new(&o);
    assert_non_null(p);
    run_and_check(p, &c, 50, 1);
    jobs = 0;
    for (int t = 0; t < pool_nthreads(p); t++) {
        struct pool_thread_stats ts;
        pool_thread_stats_read(p, t, &ts);
        assert_int_equal(ts.busy_ns, 0);
        jobs += ts.jobs;
    }
    assert_int_equal(jobs, 50);
    pool_free(p);
}

/* While the workers are still spinning (blocks back to back), pool_run makes
 * no system call at all: the futex wake is its only one and the counter
 * proves it was never made. Long spins make this deterministic. */
static void test_pool_makes_no_syscall_while_workers_spin(void **state)
{
    (void)state;
    static struct count_ctx c;
    struct notices n = {0};
    for (int nthreads = 2; nthreads <= 3; nthreads++) {
        struct pool_opts o = test_opts(nthreads, &n);
        o.spin_us = 10000000;
        o.wait_spin_us = 10000000;
        struct pool *p = pool_new(&o);
        assert_non_null(p);
        for (int b = 0; b < 2000; b++)
            run_and_check(p, &c, 8, b);
        struct pool_stats s;
        pool_stats_read(p, &s);
        assert_int_equal(s.runs, 2000);
        assert_int_equal(s.wakes, 0);
        assert_int_equal(s.naps, 0);
        pool_free(p);
    }
}

/* The same, checked by RealtimeSanitizer when this file is built like the
 * Makefile's rtsan variant (clang -fsanitize=realtime -DPHONON_RTSAN): any
 * malloc, lock or system call inside pool_run other than the futex wake
 * aborts the test. Otherwise it is an ordinary run of both wait paths. */
#ifdef PHONON_RTSAN
#define NONBLOCKING __attribute__((nonblocking))
#else
#define NONBLOCKING
#endif

static void run_block_rt(struct pool *p, struct count_ctx *c, int njobs) NONBLOCKING;
static void run_block_rt(struct pool *p, struct count_ctx *c, int njobs)
{
    pool_run(p, njobs, job_count, c);
}

static void test_pool_run_is_realtime_safe(void **state)
{
    (void)state;
    static struct count_ctx c;
    struct notices n = {0};
    for (int spin_us = 0; spin_us <= 1000000; spin_us += 1000000) {
        struct pool_opts o = test_opts(2, &n);
        o.spin_us = spin_us;                        /* 0: a wake every block */
        struct pool *p = pool_new(&o);
        assert_non_null(p);
        for (int b = 0; b < 500; b++) {
            count_reset(&c, 2);
            run_block_rt(p, &c, 8);
            for (int j = 0; j < 8; j++)
                assert_int_equal(atomic_load(&c.ran[j]), 1);
        }
        pool_free(p);
    }
}

/* pool_pin_caller on a helper thread, so the test's main thread (which
 * creates the other pools) stays unpinned: its result, and how many CPUs the
 * helper may use afterwards. */
struct pin_probe {
    struct pool *pool;
    int result;
    int ncpus_after;                /* CPUs in the thread's mask afterwards */
};

static void *pin_probe_run(void *arg)
{
    struct pin_probe *pp = arg;
    pp->result = pool_pin_caller(pp->pool);
    cpu_set_t mask;
    pthread_getaffinity_np(pthread_self(), sizeof mask, &mask);
    pp->ncpus_after = CPU_COUNT(&mask);
    return NULL;
}

static int pin_probe(struct pool *p, int *ncpus_after)
{
    struct pin_probe pp = {.pool = p};
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, pin_probe_run, &pp), 0);
    assert_int_equal(pthread_join(tid, NULL), 0);
    *ncpus_after = pp.ncpus_after;
    return pp.result;
}

/* A CPU that does not exist cannot be pinned to: one notice, and the pool
 * works; quiet drops the notice. */
static void test_pool_pinning_refused_is_noted_once(void **state)
{
    (void)state;
    static struct count_ctx c;
    static const int bad_cpu[] = {1000};
    struct notices n = {0};
    struct pool_opts o = test_opts(3, &n);
    o.cpus = bad_cpu;
    o.ncpus = 1;
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    assert_int_equal(n.count, 1);
    assert_non_null(strstr(n.last, "pin"));
    assert_non_null(strstr(n.last, "2 of 2"));
    for (int b = 0; b < 200; b++)
        run_and_check(p, &c, 7, b);
    int after;
    assert_int_equal(pin_probe(p, &after), PHONON_EINVAL);  /* workers float */
    pool_free(p);

    n.count = 0;
    o.quiet = true;
    p = pool_new(&o);
    assert_non_null(p);
    assert_int_equal(n.count, 0);
    run_and_check(p, &c, 7, 1);
    pool_free(p);
}

/* Started from a thread allowed on one CPU only: every worker is pinned to
 * that CPU, so three threads share one core; blocks still complete. */
static void *one_cpu_pool(void *arg)
{
    int *failures = arg;
    cpu_set_t mask, one;
    if (pthread_getaffinity_np(pthread_self(), sizeof mask, &mask) != 0)
        return NULL;
    int cpu = 0;
    while (!CPU_ISSET(cpu, &mask))
        cpu++;
    CPU_ZERO(&one);
    CPU_SET(cpu, &one);
    if (pthread_setaffinity_np(pthread_self(), sizeof one, &one) != 0)
        return NULL;
    static struct count_ctx c;
    struct notices n = {0};
    struct pool_opts o = test_opts(3, &n);
    struct pool *p = pool_new(&o);
    if (!p || n.count != 0)
        (*failures)++;
    for (int b = 0; p && b < 300; b++) {
        count_reset(&c, 3);
        c.stamp = b;
        pool_run(p, 9, job_count, &c);
        for (int j = 0; j < 9; j++)
            if (atomic_load(&c.ran[j]) != 1 || c.out[j] != b)
                (*failures)++;
        if (b % 10 == 0)
            sleep_us(50);
    }
    pool_free(p);
    return NULL;
}

static void test_pool_works_on_one_cpu(void **state)
{
    (void)state;
    int failures = 0;
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, one_cpu_pool, &failures), 0);
    assert_int_equal(pthread_join(tid, NULL), 0);
    assert_int_equal(failures, 0);
}

/* pool_pin_caller puts the calling thread on the CPU the workers left free,
 * and refuses when there is none. */
static void test_pool_pin_caller_takes_the_free_cpu(void **state)
{
    (void)state;
    cpu_set_t mask;
    assert_int_equal(pthread_getaffinity_np(pthread_self(), sizeof mask, &mask), 0);
    int ncpus = CPU_COUNT(&mask), after;
    struct notices n = {0};

    struct pool_opts o = test_opts(ncpus, &n);      /* one CPU left for the caller */
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    if (ncpus >= 2) {
        assert_int_equal(pin_probe(p, &after), 0);
        assert_int_equal(after, 1);
    } else {
        assert_int_equal(pin_probe(p, &after), PHONON_EINVAL);
    }
    pool_free(p);

    o = test_opts(ncpus + 1, &n);                   /* every CPU has a worker */
    p = pool_new(&o);
    assert_non_null(p);
    assert_int_equal(pin_probe(p, &after), PHONON_EINVAL);
    assert_int_equal(after, ncpus);                 /* left as it was */
    pool_free(p);

    o = test_opts(2, &n);
    o.pin = false;
    p = pool_new(&o);
    assert_non_null(p);
    assert_int_equal(pin_probe(p, &after), PHONON_EINVAL);
    pool_free(p);
    assert_int_equal(n.count, 0);
}

/* SCHED_FIFO is either granted (the worker reports it from inside a job) or
 * refused with exactly one notice; the pool works either way. The blocks run
 * on a thread pinned with pool_pin_caller, as the engine's would: a real-time
 * worker woken on the caller's CPU would preempt the caller. */
static void test_pool_real_time_priority_is_applied_or_noted(void **state)
{
    (void)state;
    struct notices n = {0};
    struct pool_opts o = test_opts(2, &n);
    o.rt_priority = 1;
    struct pool *p = pool_new(&o);
    assert_non_null(p);
    struct runner r = {.pool = p, .blocks = 50, .pin = true};
    pthread_t tid;
    assert_int_equal(pthread_create(&tid, NULL, run_blocks, &r), 0);
    assert_int_equal(pthread_join(tid, NULL), 0);
    assert_int_equal(r.failures, 0);
    if (n.count == 0) {
        assert_int_equal(r.worker_policy, SCHED_FIFO);
        assert_int_equal(r.worker_priority, 1);
    } else {
        assert_int_equal(n.count, 1);
        assert_non_null(strstr(n.last, "real-time"));
        assert_int_equal(r.worker_policy, SCHED_OTHER);
    }
    pool_free(p);
}

/* pool_free joins workers whether they are asleep, spinning or never ran. */
static void test_pool_free_joins_workers_in_any_state(void **state)
{
    (void)state;
    static struct count_ctx c;
    struct notices n = {0};
    for (int i = 0; i < 30; i++) {
        struct pool_opts o = test_opts(1 + i % 4, &n);
        o.spin_us = i % 3 == 0 ? 0 : i % 3 == 1 ? 20 : 100000;
        struct pool *p = pool_new(&o);
        assert_non_null(p);
        if (i % 2)
            run_and_check(p, &c, 5, i);
        if (i % 5 == 0)
            sleep_us(100);
        pool_free(p);
    }
}

int main(int argc, char **argv)
{
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);   /* e.g. "*stats*" */
#define T(name) cmocka_unit_test_setup_teardown(name, watchdog_arm, watchdog_disarm)
    const struct CMUnitTest tests[] = {
        T(test_pool_runs_every_job_exactly_once),
        T(test_pool_default_is_online_cores),
        T(test_pool_wakes_sleeping_workers),
        T(test_pool_survives_thousands_of_blocks),
        T(test_pool_runs_from_another_thread),
        T(test_pool_stats_add_up),
        T(test_pool_makes_no_syscall_while_workers_spin),
        T(test_pool_run_is_realtime_safe),
        T(test_pool_pinning_refused_is_noted_once),
        T(test_pool_works_on_one_cpu),
        T(test_pool_pin_caller_takes_the_free_cpu),
        T(test_pool_real_time_priority_is_applied_or_noted),
        T(test_pool_free_joins_workers_in_any_state),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
