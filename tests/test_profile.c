/* tests/test_profile.c -- the search of `phonon profile --capacity`
 * (capacity_search in src/cli_profile.c), driven with made-up trials: no
 * clock, no engine. A model load costs P99 = 0.5 ms per unit of density
 * (budget 11.61 ms: the largest density that fits is 23 after bisection),
 * and a script of disturbances makes chosen measurements slow and/or
 * "stolen" (hypervisor steal ticks), as a busy host does. Checked: a
 * disturbed base load or a disturbed step never ends the search early (the
 * capacity is never 0 when the base load fits), a narrow miss is measured
 * twice, a wide one or one under steal up to CAP_TRIES times, a base load
 * that really misses gives 0 after a bounded number of trials, the pool
 * grows when a load fills it, and a trial's error ends the search.
 *
 * The file includes src/cli_profile.c to reach its static functions (the
 * command itself renamed, so it does not clash with the one in the
 * library objects).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#define cli_profile cli_profile_under_test
#include "cli_profile.c"

static const double BUDGET = 1000.0 * 512 / 44100;     /* 11.61 ms */

struct disturb {
    double k;
    int nth;                        /* the nth measurement of density k (1 = first) */
    double factor;                  /* P99 multiplied by this */
    long steal;                     /* ticks */
};

struct model {
    double ms_per_k;                /* P99 = ms_per_k * k */
    int peak_per_k;                 /* voices_peak = peak_per_k * k (capped by the pool) */
    const struct disturb *script;
    int nscript;
    double fail_k;                  /* a trial at this density returns 70 */
    /* what the search asked for */
    int calls;
    double ks[256];
    int pools[256];
};

static int count_k(const struct model *m, double k)
{
    int n = 0;
    for (int i = 0; i < m->calls && i < 256; i++)
        n += m->ks[i] == k;
    return n;
}

static int model_trial(void *ctx, double k, int pool, struct cap_trial *t)
{
    struct model *m = ctx;
    if (m->fail_k > 0 && k == m->fail_k)
        return 70;
    if (m->calls < 256) {
        m->ks[m->calls] = k;
        m->pools[m->calls] = pool;
    }
    m->calls++;
    int nth = count_k(m, k);
    t->p99 = m->ms_per_k * k;
    t->voices_mean = 60 * k;
    int peak = (int)(m->peak_per_k * k);
    t->voices_peak = peak < pool ? peak : pool;
    t->steal = 0;
    for (int i = 0; i < m->nscript; i++)
        if (m->script[i].k == k && m->script[i].nth == nth) {
            t->p99 *= m->script[i].factor;
            t->steal = m->script[i].steal;
        }
    return 0;
}

static struct cap_result search(struct model *m, const struct cap_trial *base)
{
    struct cap_search cs = { BUDGET, 4096, model_trial, m };
    struct cap_result res;
    assert_int_equal(capacity_search(&cs, base, &res), 0);
    return res;
}

static void test_profile_capacity_undisturbed(void **state)
{
    (void)state;
    struct model m = { .ms_per_k = 0.5, .peak_per_k = 80 };
    struct cap_result r = search(&m, NULL);
    /* 1 2 4 8 16 fit, 32 misses (twice: a narrow miss), then 24 20 22 23 23.5 23.25 */
    assert_true(r.k == 23);
    assert_true(r.voices == 60 * 23);
    assert_true(r.p99 <= BUDGET);
    assert_int_equal(count_k(&m, 1), 1);
    assert_int_equal(count_k(&m, 32), 2);
    assert_int_equal(count_k(&m, 24), 2);
    assert_int_equal(count_k(&m, 20), 1);
    assert_int_equal(r.trials, m.calls);
    assert_int_equal(r.retries, 4);             /* 32, 24, 23.5, 23.25 once more each */
    assert_int_equal(r.steal, 0);
}

/* The base load measured while the host took the CPU: 40 ms, 35 ticks
 * stolen, three times in a row. Once ended the search with 0 voices. */
static void test_profile_capacity_survives_a_stolen_base(void **state)
{
    (void)state;
    static const struct disturb script[] = { { 1, 1, 80, 35 }, { 1, 2, 60, 20 } };
    struct model m = { .ms_per_k = 0.5, .peak_per_k = 80, .script = script, .nscript = 2 };
    struct cap_trial base = { 40, 60, 80, 35 };  /* the profile's own run, disturbed too */
    struct cap_result r = search(&m, &base);
    assert_true(r.voices > 0);
    assert_true(r.k == 23);
    assert_int_equal(count_k(&m, 1), 3);        /* the given one + 3 = CAP_TRIES */
    assert_int_equal(r.steal, 35 + 35 + 20);
    assert_true(r.retries >= 3);
}

/* A wide miss in the middle (k = 16 at 5x, then 3x what k = 8 predicts) is
 * measured again until it fits; it once ended the doubling at 8. */
static void test_profile_capacity_retries_a_wide_miss(void **state)
{
    (void)state;
    static const struct disturb script[] = { { 16, 1, 5, 0 }, { 16, 2, 3, 0 } };
    struct model m = { .ms_per_k = 0.5, .peak_per_k = 80, .script = script, .nscript = 2 };
    struct cap_result r = search(&m, NULL);
    assert_true(r.k == 23);
    assert_int_equal(count_k(&m, 16), 3);
}

/* A narrow miss with steal is measured again as long as steal goes on
 * (up to CAP_TRIES), and a clean measurement that fits wins. */
static void test_profile_capacity_retries_under_steal(void **state)
{
    (void)state;
    static const struct disturb script[] = { { 16, 1, 1.5, 50 }, { 16, 2, 1.5, 50 }, { 16, 3, 1, 0 } };
    struct model m = { .ms_per_k = 0.5, .peak_per_k = 80, .script = script, .nscript = 3 };
    struct cap_result r = search(&m, NULL);
    assert_true(r.k == 23);
    assert_int_equal(count_k(&m, 16), 3);
    assert_int_equal(r.steal, 100);
    /* without steal, the same narrow miss is measured twice and ends the doubling */
    static const struct disturb narrow[] = { { 16, 1, 1.5, 0 }, { 16, 2, 1.5, 0 } };
    struct model n = { .ms_per_k = 0.5, .peak_per_k = 80, .script = narrow, .nscript = 2 };
    r = search(&n, NULL);
    assert_int_equal(count_k(&n, 16), 2);
    assert_true(r.k >= 8 && r.k < 16);
}

/* A base load that really misses: 0 voices, after CAP_TRIES measurements. */
static void test_profile_capacity_zero_only_when_the_base_misses(void **state)
{
    (void)state;
    struct model m = { .ms_per_k = 20, .peak_per_k = 80 };
    struct cap_result r = search(&m, NULL);
    assert_true(r.voices == 0);
    assert_true(r.k == 1);
    assert_true(r.p99 > BUDGET);
    assert_int_equal(m.calls, CAP_TRIES);
    assert_int_equal(r.trials, CAP_TRIES);
}

/* A load that fills the pool is measured again with a pool twice as big. */
static void test_profile_capacity_grows_the_pool(void **state)
{
    (void)state;
    struct model m = { .ms_per_k = 0.5, .peak_per_k = 400 };
    struct cap_result r = search(&m, NULL);
    assert_true(r.k == 23);
    assert_true(r.pool > 4096);
    assert_true(r.pool >= 400 * 23);
    for (int i = 0; i < m.calls; i++)
        assert_true(m.pools[i] <= CAP_POOL_MAX);
}

static void test_profile_capacity_stops_on_a_trial_error(void **state)
{
    (void)state;
    struct model m = { .ms_per_k = 0.5, .peak_per_k = 80, .fail_k = 4 };
    struct cap_search cs = { BUDGET, 4096, model_trial, &m };
    struct cap_result r;
    assert_int_equal(capacity_search(&cs, NULL, &r), 70);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_profile_capacity_undisturbed),
        cmocka_unit_test(test_profile_capacity_survives_a_stolen_base),
        cmocka_unit_test(test_profile_capacity_retries_a_wide_miss),
        cmocka_unit_test(test_profile_capacity_retries_under_steal),
        cmocka_unit_test(test_profile_capacity_zero_only_when_the_base_misses),
        cmocka_unit_test(test_profile_capacity_grows_the_pool),
        cmocka_unit_test(test_profile_capacity_stops_on_a_trial_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
