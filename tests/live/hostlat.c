/* tests/live/hostlat.c -- how long the host keeps this machine's CPUs from
 * running anything, measured while a live test plays (lib.sh, run_judged).
 *
 *     hostlat MS        until SIGTERM or SIGINT, then one line on stdout:
 *     host stalls: N of at least MS ms (worst W ms) in S s, probe at SCHED_FIFO 80
 *
 * One thread per CPU, pinned, at SCHED_FIFO 80 (above phonon's audio
 * threads and the JACK server's), wakes every millisecond on an absolute
 * timer and counts the wake-ups later than MS. Nothing in phonon or the
 * test runs above it: such a stall is the host (a hypervisor that did not
 * run the virtual CPU, a kernel that did not preempt), and it delays a
 * block of audio just as much. On a quiet laptop there are none; on the
 * shared VMs phonon is built on there are a few a minute, 10-30 ms, with
 * phonon running or not. Where SCHED_FIFO is refused the probe runs at
 * normal priority and says so: then other load counts too.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

enum { MAX_CPUS = 64 };

static double threshold;
static atomic_int stop, fifo_refused;
static long stalls[MAX_CPUS];
static double worst[MAX_CPUS];

static double secs(const struct timespec *t) { return (double)t->tv_sec + (double)t->tv_nsec * 1e-9; }

static void *probe(void *arg)
{
    long cpu = (long)arg;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET((int)cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
    struct sched_param sp = { .sched_priority = 80 };
    if (pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) != 0)
        atomic_store(&fifo_refused, 1);
    struct timespec t, now;
    clock_gettime(CLOCK_MONOTONIC, &t);
    while (!atomic_load(&stop)) {
        t.tv_nsec += 1000000;
        if (t.tv_nsec >= 1000000000) {
            t.tv_nsec -= 1000000000;
            t.tv_sec++;
        }
        clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
        double late = secs(&now) - secs(&t);
        if (late * 1e3 >= threshold)
            stalls[cpu]++;
        if (late > worst[cpu])
            worst[cpu] = late;
        if (late > 1e-3)
            t = now;                    /* one stall, counted once */
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc != 2 || (threshold = atof(argv[1])) <= 0) {
        fprintf(stderr, "usage: hostlat MS\n");
        return 64;
    }
    sigset_t sigs;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);      /* inherited: only sigwait takes them */
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    n = n < 1 ? 1 : n > MAX_CPUS ? MAX_CPUS : n;
    pthread_t th[MAX_CPUS];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long started = 0;
    for (long c = 0; c < n; c++)
        if (pthread_create(&th[c], NULL, probe, (void *)c) == 0)
            started = c + 1;
        else
            break;
    int sig;
    sigwait(&sigs, &sig);
    atomic_store(&stop, 1);
    long total = 0;
    double w = 0;
    for (long c = 0; c < started; c++) {
        pthread_join(th[c], NULL);
        total += stalls[c];
        w = worst[c] > w ? worst[c] : w;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    printf("host stalls: %ld of at least %g ms (worst %.1f ms) in %.0f s, probe at %s\n", total, threshold, w * 1e3,
           secs(&t1) - secs(&t0), atomic_load(&fifo_refused) ? "normal priority (SCHED_FIFO refused)" : "SCHED_FIFO 80");
    return 0;
}
