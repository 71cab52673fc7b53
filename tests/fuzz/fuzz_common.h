/* tests/fuzz/fuzz_common.h -- what the fuzz targets share: querying a built
 * pattern the way the audio thread would, and checking the answer.
 *
 * A query runs with a fixed-size scratch arena (grow = 0: no malloc, as on
 * the audio thread) and low limits, over a few spans chosen to reach
 * negative cycles, cycle boundaries and large times. Besides "no crash, no
 * leak, no undefined behaviour, no hang" (the sanitizers and libFuzzer's
 * -timeout watch those), every answer must be well formed: parts with
 * begin <= end, denominators > 0, values that are values, an error with a
 * message and no events, and the same events when the query is repeated.
 * Every event is also sorted and printed, to run the formatting code on
 * whatever values came out.
 *
 * Not checked: that parts lie inside the query span. The reference breaks
 * that itself: Strudel's zoom maps events back with the cycle of the event,
 * not of the query, so `"<a b> c" $ linger 5.25` over [1/3, 7/3) returns an
 * event at 21/4, and the corpus follows the reference.
 *
 * Included by one target each (static functions).
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "pat.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum {
    FUZZ_SCRATCH = 4 << 20,     /* bytes of the fixed query arena */
    FUZZ_MAX_EVENTS = 2000,
    FUZZ_MAX_WORK = 300000,
};

static struct arena fuzz_scratch;

__attribute__((noreturn, format(printf, 1, 2)))
static void fuzz_die(const char *fmt, ...);

static void fuzz_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: broken invariant: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    abort();
}

static void fuzz_check_rat(struct rat r, const char *what)
{
    if (r.d <= 0)
        fuzz_die("%s has denominator %lld", what, (long long)r.d);
}

/* Query p over [b, e) twice; check the answers; print them. */
static void fuzz_query_span(const struct pnode *p, struct rat b, struct rat e)
{
    int n = -1;
    for (int round = 0; round < 2; round++) {
        struct pat_ctx c;
        struct pat_evbuf ev;
        arena_reset(&fuzz_scratch);
        pat_ctx_init(&c, &fuzz_scratch);
        c.max_events = FUZZ_MAX_EVENTS;
        c.max_work = FUZZ_MAX_WORK;
        int rc = pat_query(&c, p, b, e, &ev);
        if (rc && !c.msg[0])
            fuzz_die("query error %d without a message", rc);
        if (rc && ev.n)
            fuzz_die("query error %d with %d events", rc, ev.n);
        if (round == 1) {
            if (ev.n != n)
                fuzz_die("the same query gave %d then %d events", n, ev.n);
            return;
        }
        n = ev.n;
        for (int i = 0; i < ev.n; i++) {
            const struct pat_ev *x = &ev.ev[i];
            fuzz_check_rat(x->pb, "part begin");
            fuzz_check_rat(x->pe, "part end");
            if (rat_gt(x->pb, x->pe))
                fuzz_die("part %lld/%lld..%lld/%lld ends before it begins", (long long)x->pb.n,
                         (long long)x->pb.d, (long long)x->pe.n, (long long)x->pe.d);
            if (x->has_whole) {
                fuzz_check_rat(x->wb, "whole begin");
                fuzz_check_rat(x->we, "whole end");
            }
            if (x->v.kind == VAL_NONE || x->v.kind == VAL_NODE)
                fuzz_die("an event with value kind %d", x->v.kind);
        }
        pat_sort_events(&ev);
        char line[2048];
        for (int i = 0; i < ev.n; i++)
            if (pat_format_event(&ev.ev[i], line, sizeof line) == 0)
                fuzz_die("an empty event line");
    }
}

/* The spans every pattern is queried over. */
static void fuzz_query(const struct pnode *p)
{
    if (!fuzz_scratch.head && arena_init(&fuzz_scratch, FUZZ_SCRATCH, 0, 0))
        abort();
    fuzz_query_span(p, rat_int(0), rat_int(1));
    fuzz_query_span(p, rat_make(-3, 2), rat_make(1, 3));
    fuzz_query_span(p, rat_make(1000000007, 3), rat_make(1000000010, 3));
}

#endif
