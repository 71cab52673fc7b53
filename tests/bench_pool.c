/* tests/bench_pool.c -- what one pool_run costs per block (not a unit test).
 *
 *   cc -std=c11 -D_GNU_SOURCE -O2 -Isrc tests/bench_pool.c src/pool.c -lpthread -o bench_pool
 *   ./bench_pool [-r] [-p] [blocks]  (default 100000; the gapped runs use blocks/50)
 *
 * Each scenario times every pool_run with CLOCK_MONOTONIC and prints the
 * median, P99 and maximum in microseconds:
 *
 *   inline      nthreads 1: the floor (8 function calls and the bookkeeping)
 *   spinning    nthreads 2, blocks back to back, so the worker is still
 *               spinning when the next block comes (render / profile)
 *   no timing   the same with timing off: the cost of the busy-time clock
 *   asleep      nthreads 2 with a 2 ms gap after each block, so the worker
 *               sleeps and every block pays the futex wake (live mode)
 *   work x1/x2  8 jobs of 20 us each, inline and on 2 threads back to back:
 *               what the pool buys when the jobs are real
 *
 * Workers run at normal priority (no SCHED_FIFO on a shared machine); pass
 * -r to ask for the default real-time priority, and -p to pin the calling
 * thread with pool_pin_caller (with -r but without -p, a worker woken on the
 * caller's CPU preempts it: "asleep" then costs about spin_us per block).
 */
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pool.h"

enum { NJOBS = 8 };

struct slot {
    _Alignas(64) uint64_t value;    /* one cache line per job: no false sharing */
};

struct bench_ctx {
    struct slot slot[NJOBS];
    uint64_t work_ns;
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void job(void *ctx, int j, int thread)
{
    struct bench_ctx *c = ctx;
    if (c->work_ns) {
        uint64_t t0 = now_ns();
        while (now_ns() - t0 < c->work_ns)
            ;
    }
    c->slot[j].value += (uint64_t)thread + 1;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

static bool rt, pin;

static void scenario(const char *name, int nthreads, bool timing, int blocks,
                     long gap_ns, uint64_t work_ns)
{
    cpu_set_t mask;                 /* the next pool must see the full mask again */
    pthread_getaffinity_np(pthread_self(), sizeof mask, &mask);
    struct pool_opts o;
    pool_opts_init(&o);
    o.nthreads = nthreads;
    o.timing = timing;
    if (!rt)
        o.rt_priority = 0;
    struct pool *p = pool_new(&o);
    uint64_t *t = malloc((size_t)blocks * sizeof *t);
    if (!p || !t) {
        fprintf(stderr, "bench_pool: out of memory\n");
        exit(1);
    }
    if (pin && nthreads > 1 && pool_pin_caller(p) != 0)
        fprintf(stderr, "bench_pool: pool_pin_caller refused\n");
    static struct bench_ctx c;
    memset(&c, 0, sizeof c);
    c.work_ns = work_ns;
    for (int b = 0; b < blocks / 10 + 1; b++)              /* warm up */
        pool_run(p, NJOBS, job, &c);
    pool_stats_reset(p);
    for (int b = 0; b < blocks; b++) {
        uint64_t t0 = now_ns();
        pool_run(p, NJOBS, job, &c);
        t[b] = now_ns() - t0;
        if (gap_ns) {
            struct timespec gap = {0, gap_ns};
            nanosleep(&gap, NULL);
        }
    }
    struct pool_stats s;
    pool_stats_read(p, &s);
    uint64_t worker_jobs = 0;
    for (int k = 1; k < pool_nthreads(p); k++) {
        struct pool_thread_stats ts;
        pool_thread_stats_read(p, k, &ts);
        worker_jobs += ts.jobs;
    }
    qsort(t, (size_t)blocks, sizeof *t, cmp_u64);
    printf("%-12s %7d %8.2f %8.2f %9.1f %7.0f%% %7llu %6llu\n", name, blocks,
           t[blocks / 2] / 1e3, t[(size_t)blocks * 99 / 100] / 1e3, t[blocks - 1] / 1e3,
           100.0 * (double)worker_jobs / ((double)blocks * NJOBS),
           (unsigned long long)s.wakes, (unsigned long long)s.naps);
    free(t);
    pool_free(p);
    pthread_setaffinity_np(pthread_self(), sizeof mask, &mask);
}

int main(int argc, char **argv)
{
    int blocks = 100000;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-r") == 0)
            rt = true;
        else if (strcmp(argv[i], "-p") == 0)
            pin = true;
        else if ((blocks = atoi(argv[i])) < 100) {
            fprintf(stderr, "usage: bench_pool [-r] [-p] [blocks >= 100]\n");
            return 64;
        }
    }
    printf("pool_run per block, %d jobs (us)\n", NJOBS);
    printf("%-12s %7s %8s %8s %9s %8s %7s %6s\n", "scenario", "blocks", "median", "p99",
           "max", "workers", "wakes", "naps");
    scenario("inline", 1, true, blocks, 0, 0);
    scenario("spinning", 2, true, blocks, 0, 0);
    scenario("no timing", 2, false, blocks, 0, 0);
    scenario("asleep", 2, true, blocks / 50, 2000000, 0);
    scenario("work x1", 1, true, blocks / 50, 0, 20000);
    scenario("work x2", 2, true, blocks / 50, 0, 20000);
    scenario("work asleep", 2, true, blocks / 50, 2000000, 20000);
    return 0;
}
