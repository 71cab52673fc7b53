/* tests/test_meter.c -- the live status line's level meter (cli_meter.c):
 * the bar and level, the peak hold and its expiry, the clip indicator and
 * its expiry, colour only when asked (NO_COLOR), and the escape sequences
 * that erase a fixed error's rows. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

#define MS (int64_t)1000000

static void test_meter_silence_and_full_scale(void **state)
{
    (void)state;
    struct cli_meter m = { 0 };
    char buf[512];
    cli_meter_text(&m, 0, 1000 * MS, 0, buf, sizeof buf);
    assert_string_equal(buf, "[                ] -99.9 dB");
    cli_meter_text(&m, 1.0f, 1100 * MS, 0, buf, sizeof buf);
    assert_string_equal(buf, "[################]   0.0 dB CLIP");
    /* -24 dB: half the range */
    struct cli_meter h = { 0 };
    cli_meter_text(&h, 0.0631f, 1000 * MS, 0, buf, sizeof buf);
    assert_string_equal(buf, "[########        ] -24.0 dB");
}

static void test_meter_holds_the_peak_then_lets_go(void **state)
{
    (void)state;
    struct cli_meter m = { 0 };
    char buf[512];
    cli_meter_text(&m, 0.5f, 1000 * MS, 0, buf, sizeof buf);        /* -6 dB */
    cli_meter_text(&m, 0.01f, 1100 * MS, 0, buf, sizeof buf);       /* -40 dB, the hold at -6 */
    assert_string_equal(buf, "[##          |   ] -40.0 dB");
    cli_meter_text(&m, 0.01f, 2600 * MS, 0, buf, sizeof buf);       /* 1.6 s later: hold gone */
    assert_string_equal(buf, "[##              ] -40.0 dB");
}

static void test_meter_clip_is_held_three_seconds(void **state)
{
    (void)state;
    struct cli_meter m = { 0 };
    char buf[512];
    cli_meter_text(&m, 1.2f, 1000 * MS, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "CLIP"));
    cli_meter_text(&m, 0.1f, 3900 * MS, 0, buf, sizeof buf);
    assert_non_null(strstr(buf, "CLIP"));
    cli_meter_text(&m, 0.1f, 4100 * MS, 0, buf, sizeof buf);
    assert_null(strstr(buf, "CLIP"));
}

static void test_meter_colour_only_when_asked(void **state)
{
    (void)state;
    struct cli_meter a = { 0 }, b = { 0 };
    char buf[1024];
    cli_meter_text(&a, 1.0f, 1000 * MS, 0, buf, sizeof buf);
    assert_null(strchr(buf, '\033'));
    cli_meter_text(&b, 1.0f, 1000 * MS, 1, buf, sizeof buf);
    assert_non_null(strstr(buf, "\033[32m#"));      /* green low */
    assert_non_null(strstr(buf, "\033[33m#"));      /* yellow from -12 dB */
    assert_non_null(strstr(buf, "\033[31m#"));      /* red from -3 dB */
    assert_non_null(strstr(buf, "\033[1;31mCLIP\033[0m"));
}

static void test_meter_nan_reads_as_silence(void **state)
{
    (void)state;
    struct cli_meter m = { 0 };
    char buf[512];
    cli_meter_text(&m, (float)NAN, 1000 * MS, 0, buf, sizeof buf);
    assert_string_equal(buf, "[                ] -99.9 dB");
}

static void test_erase_rows_keeps_what_came_after(void **state)
{
    (void)state;
    char *text = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&text, &n);
    cli_erase_rows(f, 3, 0);
    fputc('|', f);
    cli_erase_rows(f, 3, 2);
    fputc('|', f);
    cli_erase_rows(f, 0, 2);
    fclose(f);
    assert_string_equal(text, "\033[3A\033[J|\033[5A\033[3M\033[2B|");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_meter_silence_and_full_scale),
        cmocka_unit_test(test_meter_holds_the_peak_then_lets_go),
        cmocka_unit_test(test_meter_clip_is_held_three_seconds),
        cmocka_unit_test(test_meter_colour_only_when_asked),
        cmocka_unit_test(test_meter_nan_reads_as_silence),
        cmocka_unit_test(test_erase_rows_keeps_what_came_after),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
