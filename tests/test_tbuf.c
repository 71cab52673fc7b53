/* tests/test_tbuf.c -- the triple buffer: single-thread semantics, and a
 * two-thread stress run that checks the ownership promise (the reader never
 * holds a pointer the writer got back, everything is freed exactly once).
 * Run it under ThreadSanitizer too (make tsan). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "tbuf.h"

static void test_tbuf_initial_pointer_is_visible(void **state)
{
    (void)state;
    int a;
    struct tbuf t;
    tbuf_init(&t, &a);
    assert_ptr_equal(tbuf_acquire(&t), &a);
    assert_ptr_equal(tbuf_acquire(&t), &a);     /* nothing new: same front */

    struct tbuf e;
    tbuf_init(&e, NULL);
    assert_null(tbuf_acquire(&e));
}

/* The trace from tbuf.c's comment, step by step. */
static void test_tbuf_publish_returns_what_reader_released(void **state)
{
    (void)state;
    int a, b, c, d, e;
    struct tbuf t;
    tbuf_init(&t, &a);
    assert_null(tbuf_publish(&t, &b));          /* received the empty middle */
    assert_ptr_equal(tbuf_acquire(&t), &b);
    assert_ptr_equal(tbuf_publish(&t, &c), &a); /* a: the reader's old front */
    assert_ptr_equal(tbuf_publish(&t, &d), &c); /* c: never taken, superseded */
    assert_ptr_equal(tbuf_acquire(&t), &d);
    assert_ptr_equal(tbuf_acquire(&t), &d);
    assert_ptr_equal(tbuf_publish(&t, &e), &b); /* b: released by that acquire */

    void *left[3];
    int n = tbuf_drain(&t, left);
    assert_int_equal(n, 2);
    assert_ptr_equal(left[0], &d);              /* the reader's current first */
    assert_ptr_equal(left[1], &e);
    assert_int_equal(tbuf_drain(&t, left), 0);  /* drained means empty */
    assert_null(tbuf_acquire(&t));
}

/* Latest wins, and every superseded pointer comes back exactly once. */
static void test_tbuf_latest_wins_intermediates_returned_once(void **state)
{
    (void)state;
    enum { N = 50 };
    int obj[N + 1];
    int returned[N + 1] = {0};
    struct tbuf t;
    tbuf_init(&t, &obj[0]);
    for (int round = 0; round < 5; round++) {
        /* publish a run of 10 without reading, then read once */
        for (int i = round * 10 + 1; i <= round * 10 + 10; i++) {
            int *r = tbuf_publish(&t, &obj[i]);
            if (r)
                returned[r - obj]++;
        }
        assert_ptr_equal(tbuf_acquire(&t), &obj[round * 10 + 10]);
    }
    void *left[3];
    int n = tbuf_drain(&t, left);
    for (int i = 0; i < n; i++)
        returned[(int *)left[i] - obj]++;
    for (int i = 0; i <= N; i++)
        assert_int_equal(returned[i], 1);
}

/* --- two threads ------------------------------------------------------- */

enum { OBJ_NEW, OBJ_PUBLISHED, OBJ_FREED };

struct obj {
    long seq;               /* plain field: poisoned on "free", so TSan sees a
                               race if the reader could still read it */
    _Atomic int state;      /* OBJ_*: checked by both threads */
};

struct stress {
    struct tbuf t;
    struct obj *objs;
    long n;                         /* publishes */
    atomic_bool done;               /* writer finished */
    long freed_twice, freed_unpublished;        /* writer's findings */
    long seen_freed, went_backwards, seen;      /* reader's findings */
};

static void *stress_reader(void *arg)
{
    struct stress *s = arg;
    long last = -1;
    for (;;) {
        bool finished = atomic_load_explicit(&s->done, memory_order_acquire);
        struct obj *o = tbuf_acquire(&s->t);
        if (atomic_load_explicit(&o->state, memory_order_relaxed) == OBJ_FREED)
            s->seen_freed++;
        long seq = o->seq;
        if (seq < last)
            s->went_backwards++;
        if (seq != last)
            s->seen++;
        last = seq;
        for (volatile int k = 0; k < 20; k++)   /* "render a block" */
            ;
        /* still ours at the end of the block? */
        if (atomic_load_explicit(&o->state, memory_order_relaxed) == OBJ_FREED ||
            o->seq != seq)
            s->seen_freed++;
        if (finished) {
            /* after the writer's last publish we must get the last object */
            if (seq != s->n)
                s->went_backwards++;
            return NULL;
        }
    }
}

static void stress_free(struct stress *s, struct obj *o)
{
    int was = atomic_exchange_explicit(&o->state, OBJ_FREED, memory_order_relaxed);
    if (was == OBJ_FREED)
        s->freed_twice++;
    else if (was != OBJ_PUBLISHED)
        s->freed_unpublished++;
    o->seq = -1;            /* poison */
}

static void test_tbuf_two_threads_never_share_a_freed_pointer(void **state)
{
    (void)state;
    struct stress *s = calloc(1, sizeof *s);
    assert_non_null(s);
    s->n = 1000000;
    s->objs = calloc((size_t)s->n + 1, sizeof *s->objs);
    assert_non_null(s->objs);
    for (long i = 0; i <= s->n; i++) {
        s->objs[i].seq = i;
        atomic_init(&s->objs[i].state, OBJ_NEW);
    }
    atomic_init(&s->done, false);
    atomic_store(&s->objs[0].state, OBJ_PUBLISHED);
    tbuf_init(&s->t, &s->objs[0]);

    pthread_t reader;
    assert_int_equal(pthread_create(&reader, NULL, stress_reader, s), 0);
    for (long i = 1; i <= s->n; i++) {
        atomic_store_explicit(&s->objs[i].state, OBJ_PUBLISHED, memory_order_relaxed);
        struct obj *r = tbuf_publish(&s->t, &s->objs[i]);
        if (r)
            stress_free(s, r);
    }
    atomic_store_explicit(&s->done, true, memory_order_release);
    assert_int_equal(pthread_join(reader, NULL), 0);

    void *left[3];
    int n = tbuf_drain(&s->t, left);
    for (int i = 0; i < n; i++)
        stress_free(s, left[i]);

    assert_int_equal(s->freed_twice, 0);
    assert_int_equal(s->freed_unpublished, 0);
    assert_int_equal(s->seen_freed, 0);
    assert_int_equal(s->went_backwards, 0);
    for (long i = 0; i <= s->n; i++)
        if (atomic_load(&s->objs[i].state) != OBJ_FREED)
            fail_msg("object %ld was never freed", i);
    printf("# reader saw %ld distinct objects of %ld\n", s->seen, s->n + 1);
    free(s->objs);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tbuf_initial_pointer_is_visible),
        cmocka_unit_test(test_tbuf_publish_returns_what_reader_released),
        cmocka_unit_test(test_tbuf_latest_wins_intermediates_returned_once),
        cmocka_unit_test(test_tbuf_two_threads_never_share_a_freed_pointer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
