/* test_rt.c -- the audio path allocates nothing, takes no lock and makes no
 * system call once it is warm.
 *
 * The test binary interposes the C library's allocation, locking, sleeping,
 * file and system-call entry points (a definition in the executable wins
 * over the shared library's for every caller, the engine's included). Each
 * stand-in counts its calls while the guard is armed and otherwise passes
 * the call on. The guard is armed around engine_render only, after a
 * warm-up, for blocks that start voices of every kind (samples, bus
 * instruments, SuperDirt synths), run every bus effect, steal voices, cut
 * groups and pick up newly published programs.
 *
 * The thread pool documents two deliberate system calls (pool.h): the
 * futex wake for a sleeping worker and the caller's nap when a worker is
 * late; and a worker with nothing left to do sleeps on a futex (off the
 * audio path: nobody waits for it). The guard is process-wide, so it sees
 * those too. With one thread there is no pool and nothing at all is
 * allowed; with several, exactly those three are tolerated and counted.
 *
 * Under `make rtsan` (clang -fsanitize=realtime) the same renders run
 * inside __rtsan_realtime_enter/exit instead, and the sanitizer aborts on
 * any blocking call, whatever the entry point.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <math.h>
#include <pthread.h>
#include <sndfile.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dsp.h"
#include "fixture.h"
#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "sample.h"

#ifdef PHONON_RTSAN
/* Exported by the runtime; its header declares them for C++ only. */
void __rtsan_realtime_enter(void);
void __rtsan_realtime_exit(void);
#endif

/* ASan and TSan bring their own malloc and pthread interceptors: under
 * them the guard is off (the renders still run, for the sanitizer). */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define NO_GUARD 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__) || defined(PHONON_RTSAN)
#define NO_GUARD 1
#endif

/* ---- the guard ---------------------------------------------------------------- */

enum call { C_ALLOC, C_FREE, C_LOCK, C_SLEEP, C_FILE, C_SYSCALL, C_FUTEX_WAKE, C_FUTEX_WAIT, C_MAP, NCALLS };
static const char *call_name[NCALLS] = { "allocation", "free", "lock", "sleep", "file i/o",
                                         "system call", "futex wake", "futex wait", "mmap" };

static atomic_int armed;
static atomic_long calls[NCALLS];

#ifndef NO_GUARD
static void note_call(enum call c)
{
    if (atomic_load_explicit(&armed, memory_order_relaxed))
        atomic_fetch_add_explicit(&calls[c], 1, memory_order_relaxed);
}


/* glibc's own entry points, exported for exactly this use. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);

void *malloc(size_t n)
{
    note_call(C_ALLOC);
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b)
{
    note_call(C_ALLOC);
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n)
{
    note_call(C_ALLOC);
    return __libc_realloc(p, n);
}
void free(void *p)
{
    if (p)
        note_call(C_FREE);
    __libc_free(p);
}
void *aligned_alloc(size_t a, size_t n)
{
    note_call(C_ALLOC);
    return __libc_memalign(a, n);
}
int posix_memalign(void **out, size_t a, size_t n)
{
    note_call(C_ALLOC);
    void *p = __libc_memalign(a, n);
    if (!p)
        return ENOMEM;
    *out = p;
    return 0;
}

/* The rest go to the next definition (libc's), looked up before arming. */
#define NEXT(ret, name, params) static ret(*next_##name) params
NEXT(int, pthread_mutex_lock, (pthread_mutex_t *));
NEXT(int, pthread_mutex_trylock, (pthread_mutex_t *));
NEXT(int, pthread_rwlock_rdlock, (pthread_rwlock_t *));
NEXT(int, pthread_rwlock_wrlock, (pthread_rwlock_t *));
NEXT(int, pthread_cond_wait, (pthread_cond_t *, pthread_mutex_t *));
NEXT(int, pthread_cond_timedwait, (pthread_cond_t *, pthread_mutex_t *, const struct timespec *));
NEXT(int, pthread_cond_signal, (pthread_cond_t *));
NEXT(int, pthread_cond_broadcast, (pthread_cond_t *));
NEXT(int, nanosleep, (const struct timespec *, struct timespec *));
NEXT(int, clock_nanosleep, (clockid_t, int, const struct timespec *, struct timespec *));
NEXT(int, usleep, (useconds_t));
NEXT(int, sched_yield, (void));
NEXT(ssize_t, write, (int, const void *, size_t));
NEXT(ssize_t, read, (int, void *, size_t));
NEXT(int, open, (const char *, int, ...));
NEXT(int, openat, (int, const char *, int, ...));
NEXT(FILE *, fopen, (const char *, const char *));
NEXT(int, close, (int));
NEXT(long, syscall, (long, ...));
NEXT(void *, mmap, (void *, size_t, int, int, int, off_t));
NEXT(int, munmap, (void *, size_t));

static void resolve(void)
{
#define R(name) next_##name = (__typeof__(next_##name))dlsym(RTLD_NEXT, #name)
    R(pthread_mutex_lock); R(pthread_mutex_trylock); R(pthread_rwlock_rdlock); R(pthread_rwlock_wrlock);
    R(pthread_cond_wait); R(pthread_cond_timedwait); R(pthread_cond_signal); R(pthread_cond_broadcast);
    R(nanosleep); R(clock_nanosleep); R(usleep); R(sched_yield); R(write); R(read); R(open); R(openat);
    R(fopen); R(close); R(syscall); R(mmap); R(munmap);
#undef R
}

int pthread_mutex_lock(pthread_mutex_t *m) { note_call(C_LOCK); return next_pthread_mutex_lock(m); }
int pthread_mutex_trylock(pthread_mutex_t *m) { note_call(C_LOCK); return next_pthread_mutex_trylock(m); }
int pthread_rwlock_rdlock(pthread_rwlock_t *l) { note_call(C_LOCK); return next_pthread_rwlock_rdlock(l); }
int pthread_rwlock_wrlock(pthread_rwlock_t *l) { note_call(C_LOCK); return next_pthread_rwlock_wrlock(l); }
int pthread_cond_wait(pthread_cond_t *c, pthread_mutex_t *m)
{
    note_call(C_LOCK);
    return next_pthread_cond_wait(c, m);
}
int pthread_cond_timedwait(pthread_cond_t *c, pthread_mutex_t *m, const struct timespec *t)
{
    note_call(C_LOCK);
    return next_pthread_cond_timedwait(c, m, t);
}
int pthread_cond_signal(pthread_cond_t *c) { note_call(C_LOCK); return next_pthread_cond_signal(c); }
int pthread_cond_broadcast(pthread_cond_t *c) { note_call(C_LOCK); return next_pthread_cond_broadcast(c); }
int nanosleep(const struct timespec *a, struct timespec *b) { note_call(C_SLEEP); return next_nanosleep(a, b); }
int clock_nanosleep(clockid_t c, int f, const struct timespec *a, struct timespec *b)
{
    note_call(C_SLEEP);
    return next_clock_nanosleep(c, f, a, b);
}
int usleep(useconds_t u) { note_call(C_SLEEP); return next_usleep(u); }
int sched_yield(void) { note_call(C_SYSCALL); return next_sched_yield(); }
ssize_t write(int fd, const void *p, size_t n) { note_call(C_FILE); return next_write(fd, p, n); }
ssize_t read(int fd, void *p, size_t n) { note_call(C_FILE); return next_read(fd, p, n); }
int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
    va_end(ap);
    note_call(C_FILE);
    return next_open(path, flags, mode);
}
int openat(int dir, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    int mode = (flags & O_CREAT) ? va_arg(ap, int) : 0;
    va_end(ap);
    note_call(C_FILE);
    return next_openat(dir, path, flags, mode);
}
FILE *fopen(const char *path, const char *mode) { note_call(C_FILE); return next_fopen(path, mode); }
int close(int fd) { note_call(C_FILE); return next_close(fd); }
void *mmap(void *a, size_t n, int prot, int flags, int fd, off_t off)
{
    note_call(C_MAP);
    return next_mmap(a, n, prot, flags, fd, off);
}
int munmap(void *a, size_t n) { note_call(C_MAP); return next_munmap(a, n); }
long syscall(long nr, ...)
{
    va_list ap;
    va_start(ap, nr);
    long a[6];
    for (int i = 0; i < 6; i++)
        a[i] = va_arg(ap, long);
    va_end(ap);
    int op = (int)(a[1] & FUTEX_CMD_MASK);
    note_call(nr != SYS_futex ? C_SYSCALL : op == FUTEX_WAKE ? C_FUTEX_WAKE : op == FUTEX_WAIT ? C_FUTEX_WAIT
                                                                                            : C_SYSCALL);
    return next_syscall(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
#else
static void resolve(void) {}
#endif

static void arm(void)
{
#ifdef PHONON_RTSAN
    __rtsan_realtime_enter();
#endif
    atomic_store(&armed, 1);
}

static void disarm(void)
{
    atomic_store(&armed, 0);
#ifdef PHONON_RTSAN
    __rtsan_realtime_exit();
#endif
}

static void reset_calls(void)
{
    for (int i = 0; i < NCALLS; i++)
        atomic_store(&calls[i], 0);
}

/* ---- fixtures --------------------------------------------------------------------- */

#define SR 44100
#define BLOCK 256

static char root[64];


static int setup(void **state)
{
    (void)state;
    resolve();
    dsp_init();
    snprintf(root, sizeof root, "/tmp/phonon-test-rt-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    fixture_write_wav(root, "bd", 1, SR / 4, 60, SR);
    fixture_write_wav(root, "pad", 2, SR * 2, 220, SR);
    fixture_write_wav(root, "hh", 1, SR / 20, 3000, SR);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    static const char *const names[] = { "bd", "pad", "hh" };
    fixture_remove(root, names, 3);
    return 0;
}

/* Every kind of voice, every effect, random and structural transforms,
 * buses with feedback; dense enough to steal from a small pool. */
static const char *prog_a =
    "bpm: 137\n"
    "~lfo: sine 0.25 * 400 + 800\n"
    "~lead: saw # lpf 2000 0.8 # adsr 0.01 0.1 0.5 0.2\n"
    "~bell: fm 1 2.01 3 # perc 0.4\n"
    "~wind: pink # bpf 1200 2 # ar 0.05 0.3\n"
    "~sq: (pulse 1 0.3 + tri 2) * 0.3 # moog 1500 0.5 # ad 0.01 0.3\n"
    "~fx: ~mix # delay 0.25 0.4 0.3 # reverb 0.7 0.3 0.3 # chorus 1 0.3 0.2\n"
    "~fb: ~fb * 0.3 + ~lead2 * 0.2\n"
    "~lead2: square 110 # lpf ~lfo 0.7\n"
    "~mix: ~fb # distort 2 0.3 # bitcrush 8 2 # compress -20 4 0.01 0.1 0\n"
    "o1: s \"bd*4 [~ bd] . hh*8?\" # speed (range 0.5 1.9 rand) # pan rand # cut \"<0 1>\"\n"
    "o2: s \"pad(3,8,<0 2>)\" # begin 0.1 # end 0.9 # loop 2 # lpf 3000 # shape 0.3 # attack 0.01 # release 0.2\n"
    "o3: s \"~lead*8\" # note \"<c3'min7 f3'maj7>\" # gain 0.2\n"
    "o4: s \"~bell(5,8)\" # note (irand 12) # gain 0.2\n"
    "o5: every 2 (fast 2) $ s \"~wind ~sq\" # note \"0 7\"\n"
    "o6: s \"supersaw superpwm superchip superfm superkick supersnare superhat\" # note \"0 3 7\" # gain 0.2\n"
    "o7: ~fx * 0.3\n"
    "o8: s \"hh*16\" # speed -1 # crush 6 # hpf 2000\n";

static const char *prog_b =
    "bpm: 120\n"
    "~lead: tri # hpf 300 # adsr 0.02 0.1 0.7 0.3\n"
    "~fx: ~lead # plate 0.01 0.6 # limit -3\n"
    "o1: s \"bd(5,8)\" # gain 0.8\n"
    "o3: s \"~lead*4\" # note \"<c4'maj e3'min>\" # legato 2\n"
    "o7: ~fx * 0.5\n";


/* Render `blocks` blocks armed (after `warm` unarmed ones), publishing the
 * other program every `swap` blocks (between renders, on this thread: the
 * switch itself happens inside engine_render). */
static void run_guarded(int threads, int voices, int warm, int blocks, int swap, long *counts)
{
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1 };
    struct sample_error serr;
    struct sample_bank *bank = sample_bank_new(roots, 1, SR, &bo, &serr);
    assert_non_null(bank);
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = threads, .voices = voices, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    assert_non_null(e);
    struct program *pa = fixture_compile(prog_a, "rt.ph", bank, SR, BLOCK);
    assert_non_null(pa);
    engine_publish(e, pa);
    float *out = malloc(sizeof(float) * 2 * BLOCK);
    assert_non_null(out);
    for (int i = 0; i < warm; i++)
        engine_render(e, out, BLOCK);
    reset_calls();
    double sum = 0;
    for (int i = 0; i < blocks; i++) {
        if (swap && i % swap == swap - 1) {
            /* the control thread's work, unguarded: compile, publish, collect */
            struct program *p = fixture_compile((i / swap) % 2 ? prog_a : prog_b, "rt.ph", bank, SR, BLOCK);
            assert_non_null(p);
            engine_publish(e, p);
            engine_collect(e);
        }
        arm();
        engine_render(e, out, BLOCK);
        disarm();
        for (int f = 0; f < 2 * BLOCK; f++)
            sum += fabs(out[f]);
    }
    for (int i = 0; i < NCALLS; i++)
        counts[i] = atomic_load(&calls[i]);
    struct engine_stats st;
    engine_get_stats(e, &st);
    print_message("    %d threads, %d voices: %d blocks, peak %d voices, %ld stolen, %lu swaps, level %.3g\n",
                  threads, voices, blocks, st.voices_peak, st.voices_stolen, (unsigned long)st.swaps,
                  sum / blocks);
    assert_true(sum > 0);                       /* it did play something */
    assert_true(st.swaps >= (uint64_t)(swap ? blocks / swap : 0));
    free(out);
    engine_free(e);
    sample_bank_free(bank);
}

static void report(const long *counts, int allow_pool)
{
#ifdef NO_GUARD
    print_message("    (interposed guard off in this build: the sanitizer watches instead)\n");
#endif
    for (int i = 0; i < NCALLS; i++) {
        if (!counts[i])
            continue;
        int allowed = allow_pool && (i == C_FUTEX_WAKE || i == C_FUTEX_WAIT || i == C_SLEEP);
        print_message("    %s: %ld call(s) during armed blocks%s\n", call_name[i], counts[i],
                      allowed ? " (the pool's documented wake, idle wait or nap)" : "");
        if (!allowed)
            fail_msg("the audio path made %ld %s call(s)", counts[i], call_name[i]);
    }
}

/* One thread: the engine alone, nothing allowed. */
static void test_rt_one_thread_makes_no_calls(void **state)
{
    (void)state;
    long counts[NCALLS];
    run_guarded(1, 4096, 64, 1500, 0, counts);
    report(counts, 0);
}

/* Program swaps (state carried over, old voices finishing through the new
 * program) and a small pool that steals. */
static void test_rt_swaps_and_stealing_make_no_calls(void **state)
{
    (void)state;
    long counts[NCALLS];
    run_guarded(1, 24, 64, 1200, 100, counts);
    report(counts, 0);
}

/* Workers: only the pool's futex wake and late-worker nap may appear. */
static void test_rt_pool_makes_only_its_wakes(void **state)
{
    (void)state;
    long counts[NCALLS];
    run_guarded(3, 4096, 64, 800, 200, counts);
    report(counts, 1);
}

/* The guard itself works: an allocation while armed is seen. */
static void test_rt_guard_catches_a_malloc(void **state)
{
    (void)state;
#ifndef NO_GUARD
    reset_calls();
    atomic_store(&armed, 1);
    void *volatile p = malloc(16);
    atomic_store(&armed, 0);
    free(p);
    assert_int_equal(atomic_load(&calls[C_ALLOC]), 1);
    reset_calls();
#elif defined(PHONON_RTSAN)
    /* the sanitizer must stop a child that allocates in real-time context */
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);                       /* its report is expected */
        arm();
        void *volatile p = malloc(16);
        disarm();
        free(p);
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    assert_false(WIFEXITED(status) && WEXITSTATUS(status) == 0);
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rt_guard_catches_a_malloc),
        cmocka_unit_test(test_rt_one_thread_makes_no_calls),
        cmocka_unit_test(test_rt_swaps_and_stealing_make_no_calls),
        cmocka_unit_test(test_rt_pool_makes_only_its_wakes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
