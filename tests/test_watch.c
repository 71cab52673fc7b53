/* tests/test_watch.c -- the file watcher, for each way an editor saves, on
 * the kernel backend and on the poll backend (every backend-dependent test
 * runs twice, with the backend as cmocka's initial state).
 *
 * Each test saves a file in a fresh temporary directory, then asserts the
 * report (within REPORT_MS) and that nothing else follows (exactly one report
 * per save): "quiet" waits a little longer than the longest debounce delay,
 * plus the poll period for the poll backend. The REPORT_MS leave out the
 * time the watching thread waited for a CPU (/proc/thread-self/schedstat):
 * on a busy machine other processes' time is not the watcher's delay.
 * Settling (issue 9): a writer that truncates and pauses, or writes half
 * and pauses, is reported once the file is whole (what a reader finds at
 * the report is the whole text). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "phonon.h"
#include "watch.h"

struct fix {
    enum watch_backend backend;
    char dir[64];
    char path[96];
    struct watch *w;
};

static enum watch_backend backend_kernel = WATCH_AUTO;
static enum watch_backend backend_poll = WATCH_POLL;

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Time this thread has waited on a run queue for a CPU so far, in ns (the
 * second number of /proc/thread-self/schedstat); 0 where unknown. */
static int64_t runqueue_wait_ns(void)
{
    FILE *f = fopen("/proc/thread-self/schedstat", "r");
    long long run = 0, wait = 0;
    if (f) {
        if (fscanf(f, "%lld %lld", &run, &wait) != 2)
            wait = 0;
        fclose(f);
    }
    return wait;
}

static void sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };
    nanosleep(&ts, NULL);
}

static void write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    assert_int_equal(close(fd), 0);
}

static void sibling(const struct fix *f, const char *name, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", f->dir, name);
}

/* How soon a report must come: 200 ms, plus the time the poll backend
 * waits for a file to settle (WATCH_SETTLE_MS; a kernel backend may fall
 * back to polling). */
#define REPORT_MS (200 + WATCH_SETTLE_MS)

static int quiet_ms(const struct fix *f)
{
    return WATCH_MAX_DELAY_MS + 30 + (f->backend == WATCH_POLL ? WATCH_POLL_MS + WATCH_SETTLE_MS : 0);
}

/* watch_wait with REPORT_MS to report, not counting the time this thread
 * waits for a CPU meanwhile. */
static int wait_report(struct watch *w, int64_t *when)
{
    int64_t t0 = now_ns(), q0 = runqueue_wait_ns();
    for (;;) {
        int64_t used = now_ns() - t0 - (runqueue_wait_ns() - q0);
        int left = used >= REPORT_MS * (int64_t)1000000 ? 0 : REPORT_MS - (int)(used / 1000000);
        int r = watch_wait(w, left, when);
        if (r != WATCH_TIMEOUT || left == 0)
            return r;
    }
}

static void expect(struct fix *f, int kind)
{
    int r = wait_report(f->w, NULL);
    if (r != kind)
        fail_msg("%s: expected report %d within %d ms, got %d", watch_backend_name(f->w),
                 kind, REPORT_MS, r);
}

/* A watcher thread, as in `phonon live`: it waits while the test saves, and
 * records every report until a quiet period passes without one. */
struct collect {
    struct fix *f;
    pthread_t thread;
    int n, kind[16];
    int first_ms;               /* how long to wait for the first report */
    int64_t seen_ns[16];        /* when watch_wait returned */
    int64_t waited_ns[16];      /* the thread's run-queue wait by then, since it started */
    int end;                    /* the result that ended it (WATCH_TIMEOUT) */
    _Atomic int saved;          /* the writer is done (collect_join): until then, and for
                                   first_ms after, no report yet is no end (a loaded
                                   machine may take seconds to start python3) */
};

static void *collect_run(void *arg)
{
    struct collect *c = arg;
    int64_t wait0 = runqueue_wait_ns();
    for (;;) {
        int saved = atomic_load(&c->saved);     /* before the wait: it ran wholly after the save */
        int r = watch_wait(c->f->w, c->n ? quiet_ms(c->f) : c->first_ms, NULL);
        if (r == WATCH_TIMEOUT && c->n == 0 && !saved)
            continue;
        if (r != WATCH_CHANGED && r != WATCH_DELETED && r != WATCH_BACK) {
            c->end = r;
            return NULL;
        }
        if (c->n < 16) {
            c->seen_ns[c->n] = now_ns();
            c->waited_ns[c->n] = runqueue_wait_ns() - wait0;
            c->kind[c->n++] = r;
        }
    }
}

/* first_ms covers the save itself (a python3 start-up can take a while);
 * the REPORT_MS promise is checked against the time the save ended. */
static void collect_start(struct collect *c, struct fix *f, int first_ms)
{
    memset(c, 0, sizeof *c);
    atomic_init(&c->saved, 0);
    c->f = f;
    c->first_ms = first_ms;
    assert_int_equal(pthread_create(&c->thread, NULL, collect_run, c), 0);
    sleep_ms(5);                /* let it block in watch_wait */
}

/* Join, and assert exactly one report of `kind`, within REPORT_MS of
 * saved_ns (not counting the time the watching thread waited for a CPU). */
/* The writer is done: the collector ends after its next quiet wait. */
static void collect_join(struct collect *c)
{
    atomic_store(&c->saved, 1);
    assert_int_equal(pthread_join(c->thread, NULL), 0);
}

static void collect_expect_one(struct collect *c, int kind, int64_t saved_ns)
{
    collect_join(c);
    assert_int_equal(c->end, WATCH_TIMEOUT);
    if (c->n != 1 || c->kind[0] != kind)
        fail_msg("%s: expected one report %d, got %d reports (first %d)",
                 watch_backend_name(c->f->w), kind, c->n, c->n ? c->kind[0] : 0);
    int64_t late = c->seen_ns[0] - saved_ns;
    if (late - c->waited_ns[0] >= REPORT_MS * (int64_t)1000000)
        fail_msg("%s: the report came %.1f ms after the save (%.1f ms of it waiting for a CPU)",
                 watch_backend_name(c->f->w), late / 1e6, c->waited_ns[0] / 1e6);
}

/* A directory with pat.ph (content "a") and a watch on it. */
static int fix_setup(void **state)
{
    struct fix *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->backend = *state ? *(enum watch_backend *)*state : WATCH_AUTO;
    strcpy(f->dir, "/tmp/phonon-watch-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/pat.ph", f->dir);
    write_file(f->path, "a");
    int err = 0;
    f->w = watch_new_backend(f->path, f->backend, &err);
    if (!f->w)
        return -1;
    *state = f;
    return 0;
}

static int fix_teardown(void **state)
{
    struct fix *f = *state;
    watch_free(f->w);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int r = system(cmd);
    free(f);
    return r == 0 ? 0 : -1;
}

/* --- saves ------------------------------------------------------------- */

static void test_watch_in_place_save_reports_once(void **state)
{
    struct fix *f = *state;
    struct collect c;
    collect_start(&c, f, 3000);
    write_file(f->path, "bb");
    collect_expect_one(&c, WATCH_CHANGED, now_ns());

    /* the reported time is the event's, between the save and the report */
    int64_t before = now_ns();
    write_file(f->path, "ccc");
    int64_t when = 0;
    assert_int_equal(wait_report(f->w, &when), WATCH_CHANGED);
    assert_true(when >= before && when <= now_ns());
}

static void test_watch_rename_over_reports_once(void **state)
{
    struct fix *f = *state;
    char tmp[128];
    sibling(f, "pat.ph.tmp", tmp, sizeof tmp);
    struct collect c;
    collect_start(&c, f, 3000);
    write_file(tmp, "renamed");
    assert_int_equal(rename(tmp, f->path), 0);
    collect_expect_one(&c, WATCH_CHANGED, now_ns());
}

/* vim with backupcopy=no: swap file, rename the original to file~, write a
 * new file, remove the backup. The file is missing for a moment: still one
 * CHANGED, no DELETED. */
static void test_watch_vim_style_save_reports_changed_once(void **state)
{
    struct fix *f = *state;
    char swp[128], bak[128];
    sibling(f, ".pat.ph.swp", swp, sizeof swp);
    sibling(f, "pat.ph~", bak, sizeof bak);
    struct collect c;
    collect_start(&c, f, 3000);
    write_file(swp, "swap");
    assert_int_equal(rename(f->path, bak), 0);
    usleep(1000);                       /* vim takes a moment to write */
    write_file(f->path, "vim wrote this");
    assert_int_equal(unlink(bak), 0);
    assert_int_equal(unlink(swp), 0);
    collect_expect_one(&c, WATCH_CHANGED, now_ns());
}

static void test_watch_sed_in_place_reports_once(void **state)
{
    struct fix *f = *state;
    if (system("command -v sed >/dev/null 2>&1") != 0)
        skip();
    char cmd[256];
    snprintf(cmd, sizeof cmd, "sed -i 's/a/sed/' '%s'", f->path);
    struct collect c;
    collect_start(&c, f, 3000);
    assert_int_equal(system(cmd), 0);
    collect_expect_one(&c, WATCH_CHANGED, now_ns());
}

static void test_watch_python_os_replace_reports_once(void **state)
{
    struct fix *f = *state;
    if (system("command -v python3 >/dev/null 2>&1") != 0)
        skip();
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "python3 -c 'import os, sys; p = sys.argv[1]; "
             "open(p + \".new\", \"w\").write(\"py\"); os.replace(p + \".new\", p)' '%s'",
             f->path);
    struct collect c;
    collect_start(&c, f, 3000);
    assert_int_equal(system(cmd), 0);
    collect_expect_one(&c, WATCH_CHANGED, now_ns());
}

/* Ten saves in about 5 ms: one or two reports, not ten. A loaded machine
 * may stretch the burst: a pause of the writer longer than WATCH_QUIET_MS
 * ends a burst, and a burst longer than WATCH_MAX_DELAY_MS is reported on
 * the way, so each of those allows one report more (counted from the
 * writer's own clock; on a quiet machine there are none). */
static void test_watch_burst_of_saves_is_debounced(void **state)
{
    struct fix *f = *state;
    char text[32];
    struct collect c;
    collect_start(&c, f, 3000);
    int64_t first = 0, last = 0;
    int allowed = 2;
    for (int i = 0; i < 10; i++) {
        snprintf(text, sizeof text, "save %*d", i + 1, i);  /* sizes differ */
        write_file(f->path, text);
        int64_t t = now_ns();
        if (i && t - last > (int64_t)WATCH_QUIET_MS * 1000000)
            allowed++;
        first = i ? first : t;
        last = t;
        usleep(500);
    }
    allowed += (int)((last - first) / ((int64_t)WATCH_MAX_DELAY_MS * 1000000));
    collect_join(&c);
    assert_int_equal(c.end, WATCH_TIMEOUT);
    if (allowed > 2)
        print_message("    the writer took %.1f ms: up to %d reports allowed\n", (double)(last - first) / 1e6, allowed);
    assert_in_range(c.n, 1, allowed);
    for (int i = 0; i < c.n; i++)
        assert_int_equal(c.kind[i], WATCH_CHANGED);
}

static void test_watch_delete_then_recreate_reports_deleted_then_back(void **state)
{
    struct fix *f = *state;
    struct collect c;
    collect_start(&c, f, 3000);
    assert_int_equal(unlink(f->path), 0);
    collect_expect_one(&c, WATCH_DELETED, now_ns());
    collect_start(&c, f, 3000);
    write_file(f->path, "back again");
    collect_expect_one(&c, WATCH_BACK, now_ns());
    write_file(f->path, "and changed");
    expect(f, WATCH_CHANGED);
}

static void test_watch_other_names_in_directory_are_ignored(void **state)
{
    struct fix *f = *state;
    char other[128], other2[128], bak[128], swp[128];
    sibling(f, "other.ph", other, sizeof other);
    sibling(f, "other2.ph", other2, sizeof other2);
    sibling(f, "pat.ph~", bak, sizeof bak);
    sibling(f, ".pat.ph.swp", swp, sizeof swp);
    struct collect c;
    collect_start(&c, f, quiet_ms(f) + 50);
    write_file(other, "x");
    write_file(bak, "x");
    write_file(swp, "x");
    assert_int_equal(rename(other, other2), 0);
    assert_int_equal(unlink(other2), 0);
    assert_int_equal(unlink(bak), 0);
    assert_int_equal(unlink(swp), 0);
    collect_join(&c);
    assert_int_equal(c.end, WATCH_TIMEOUT);
    assert_int_equal(c.n, 0);
}

static void test_watch_missing_file_reports_back_when_created(void **state)
{
    struct fix *f = *state;
    char later[128];
    sibling(f, "later.ph", later, sizeof later);
    int err = 0;
    struct watch *w = watch_new_backend(later, f->backend, &err);
    assert_non_null(w);
    assert_int_equal(watch_wait(w, 0, NULL), WATCH_TIMEOUT);
    write_file(later, "new");
    assert_int_equal(wait_report(w, NULL), WATCH_BACK);
    watch_free(w);
}

/* The directory goes away: the kernel backend falls back to polling, and the
 * file is found again when the directory comes back. */
static void test_watch_directory_removed_falls_back_to_polling(void **state)
{
    struct fix *f = *state;
    assert_int_equal(unlink(f->path), 0);
    expect(f, WATCH_DELETED);
    assert_int_equal(rmdir(f->dir), 0);
    assert_int_equal(watch_wait(f->w, quiet_ms(f), NULL), WATCH_TIMEOUT);
    assert_string_equal(watch_backend_name(f->w), "poll");
    assert_int_equal(mkdir(f->dir, 0700), 0);
    write_file(f->path, "restored");
    assert_int_equal(wait_report(f->w, NULL), WATCH_BACK);
}

static void test_watch_symlink_target_is_watched(void **state)
{
    struct fix *f = *state;
    char link[128];
    sibling(f, "link.ph", link, sizeof link);
    assert_int_equal(symlink(f->path, link), 0);
    int err = 0;
    struct watch *w = watch_new_backend(link, f->backend, &err);
    assert_non_null(w);
    assert_string_equal(watch_path(w), f->path);
    write_file(f->path, "through the link");
    assert_int_equal(wait_report(w, NULL), WATCH_CHANGED);
    watch_free(w);
}

/* --- wake-up and errors ------------------------------------------------ */

static void *wake_later(void *arg)
{
    sleep_ms(20);
    watch_wake(arg);
    return NULL;
}

static void test_watch_wake_interrupts_wait(void **state)
{
    struct fix *f = *state;
    watch_wake(f->w);                   /* before waiting: sticks */
    watch_wake(f->w);                   /* twice: still one WOKEN */
    assert_int_equal(watch_wait(f->w, 0, NULL), WATCH_WOKEN);
    assert_int_equal(watch_wait(f->w, 0, NULL), WATCH_TIMEOUT);

    pthread_t t;
    int64_t t0 = now_ns();
    assert_int_equal(pthread_create(&t, NULL, wake_later, f->w), 0);
    assert_int_equal(watch_wait(f->w, -1, NULL), WATCH_WOKEN);
    assert_true(now_ns() - t0 < 1000 * (int64_t)1000000);
    pthread_join(t, NULL);
}

static void test_watch_bad_paths_are_errors(void **state)
{
    (void)state;
    int err = 0;
    assert_null(watch_new("/nonexistent-phonon-dir/x.ph", &err));
    assert_int_equal(err, PHONON_ENOENT);
    assert_null(watch_new("/tmp/", &err));
    assert_int_equal(err, PHONON_EINVAL);
    assert_null(watch_new("/tmp", &err));       /* a directory, not a file */
    assert_int_equal(err, PHONON_EINVAL);
    assert_null(watch_new("", &err));
    assert_int_equal(err, PHONON_EINVAL);
}

static void test_watch_backend_choice(void **state)
{
    (void)state;
    int err = 0;
    struct watch *w = watch_new("/tmp/phonon-watch-choice.ph", &err);
    assert_non_null(w);
#if defined(__linux__)
    assert_string_equal(watch_backend_name(w), "inotify");
#endif
    watch_free(w);
    setenv("PHONON_WATCH", "poll", 1);
    w = watch_new("/tmp/phonon-watch-choice.ph", &err);
    unsetenv("PHONON_WATCH");
    assert_non_null(w);
    assert_string_equal(watch_backend_name(w), "poll");
    watch_free(w);
#if !defined(__APPLE__) && !defined(__FreeBSD__)
    assert_null(watch_new_backend("/tmp/x.ph", WATCH_KQUEUE, &err));
    assert_int_equal(err, PHONON_EINVAL);
#endif
}

/* --- settling (issue 9) ----------------------------------------------- */

/* A writer that truncates, pauses 60 ms, then writes: the report comes once
 * the file is complete (inotify: at the writer's close), so what a reader
 * finds at the report is the whole text, never the empty file. */
struct slow_writer {
    const char *path, *text;
    int pause_ms, split;        /* write text[0..split), pause, the rest */
};

static void *slow_write(void *arg)
{
    struct slow_writer *sw = arg;
    int fd = open(sw->path, O_WRONLY | O_TRUNC);
    size_t n = strlen(sw->text);
    if (fd < 0 || write(fd, sw->text, (size_t)sw->split) != sw->split)
        return (void *)1;
    sleep_ms(sw->pause_ms);
    if (write(fd, sw->text + sw->split, n - (size_t)sw->split) != (ssize_t)(n - (size_t)sw->split))
        return (void *)1;
    return close(fd) == 0 ? NULL : (void *)1;
}

/* Run sw, wait for the report and read the file at once: its contents. */
static void read_at_report(struct fix *f, struct slow_writer *sw, char *got, size_t size)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, slow_write, sw), 0);
    assert_int_equal(watch_wait(f->w, 3000, NULL), WATCH_CHANGED);
    int fd = open(f->path, O_RDONLY);
    assert_true(fd >= 0);
    ssize_t n = read(fd, got, size - 1);
    close(fd);
    got[n > 0 ? n : 0] = 0;
    void *r;
    assert_int_equal(pthread_join(t, &r), 0);
    assert_null(r);
}

static void test_watch_truncate_and_pause_reports_the_whole_file(void **state)
{
    struct fix *f = *state;
    char got[128];
    struct slow_writer sw = { f->path, "out: sine 440\n", 60, 0 };
    read_at_report(f, &sw, got, sizeof got);
    assert_string_equal(got, sw.text);
}

static void test_watch_half_written_file_is_not_reported(void **state)
{
    struct fix *f = *state;
    char got[128];
    struct slow_writer sw = { f->path, "cps: 1\nout: sine 440\n~b: sine 660\nout: ~b\n", 50, 21 };
    read_at_report(f, &sw, got, sizeof got);
    assert_string_equal(got, sw.text);
}

/* each backend-dependent test twice, named after its backend */
#define BOTH(fn) \
    { #fn "/kernel", fn, fix_setup, fix_teardown, &backend_kernel }, \
    { #fn "/poll", fn, fix_setup, fix_teardown, &backend_poll }

int main(void)
{
    const struct CMUnitTest tests[] = {
        BOTH(test_watch_in_place_save_reports_once),
        BOTH(test_watch_rename_over_reports_once),
        BOTH(test_watch_vim_style_save_reports_changed_once),
        BOTH(test_watch_sed_in_place_reports_once),
        BOTH(test_watch_python_os_replace_reports_once),
        BOTH(test_watch_burst_of_saves_is_debounced),
        BOTH(test_watch_delete_then_recreate_reports_deleted_then_back),
        BOTH(test_watch_other_names_in_directory_are_ignored),
        BOTH(test_watch_missing_file_reports_back_when_created),
        BOTH(test_watch_directory_removed_falls_back_to_polling),
        BOTH(test_watch_symlink_target_is_watched),
        BOTH(test_watch_wake_interrupts_wait),
        /* the kernel backend: polling settles by time (WATCH_SETTLE_MS),
         * too close to these pauses to assert on (test_live covers it) */
        { "test_watch_truncate_and_pause_reports_the_whole_file/kernel",
          test_watch_truncate_and_pause_reports_the_whole_file, fix_setup, fix_teardown, &backend_kernel },
        { "test_watch_half_written_file_is_not_reported/kernel", test_watch_half_written_file_is_not_reported,
          fix_setup, fix_teardown, &backend_kernel },
        cmocka_unit_test(test_watch_bad_paths_are_errors),
        cmocka_unit_test(test_watch_backend_choice),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
