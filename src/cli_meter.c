/* cli_meter.c -- the level meter of `phonon live`'s status line, and the
 * erasing of a fixed error's rows.
 *
 * The meter is text: a bar from -48 dBFS to 0 for the peak since the last
 * redraw ('#'), the peak held for 1.5 s ('|'), the level in dB, and CLIP
 * (held 3 s) once a sample reached full scale (0.999). With colour (a
 * terminal and no $NO_COLOR: https://no-color.org) the bar is green, yellow
 * from -12 dB and red from -3 dB, and CLIP bold red; without, plain text.
 *
 * Thread context: the live watcher (main) thread; the peak comes from the
 * audio callback through an atomic (cli_live.c).
 */
#include "cli.h"

#include <math.h>
#include <string.h>

#define METER_FLOOR_DB (-48.0)
enum { METER_WIDTH = 16, METER_HOLD_MS = 1500, METER_CLIP_MS = 3000 };

/* The cell (0 .. METER_WIDTH) a level in dB reaches. */
static int meter_cells(double db)
{
    if (db <= METER_FLOOR_DB)
        return 0;
    if (db >= 0)
        return METER_WIDTH;
    return (int)((db - METER_FLOOR_DB) / -METER_FLOOR_DB * METER_WIDTH + 1e-6);    /* -24.0 dB is 8 */
}

/* See cli.h. */
void cli_meter_text(struct cli_meter *m, float peak, int64_t now_ns, int colour, char *buf, size_t size)
{
    if (!(peak >= 0))
        peak = 0;                   /* NaN */
    if (peak >= m->hold || now_ns - m->hold_ns > METER_HOLD_MS * (int64_t)1000000) {
        m->hold = peak;
        m->hold_ns = now_ns;
    }
    if (peak >= 0.999f)
        m->clip_ns = now_ns;
    int clip = m->clip_ns && now_ns - m->clip_ns < METER_CLIP_MS * (int64_t)1000000;
    double db = peak > 0 ? 20 * log10((double)peak) : -HUGE_VAL;
    double hold_db = m->hold > 0 ? 20 * log10((double)m->hold) : -HUGE_VAL;
    int fill = meter_cells(db), mark = hold_db > METER_FLOOR_DB ? meter_cells(hold_db) - 1 : -1;
    if (mark < 0 && hold_db > METER_FLOOR_DB)
        mark = 0;
    size_t at = (size_t)snprintf(buf, size, "[");
    for (int i = 0; i < METER_WIDTH && at + 16 < size; i++) {
        double cell_db = METER_FLOOR_DB * (1 - (double)i / METER_WIDTH);
        const char *col = !colour || i >= fill ? "" : cell_db >= -3 ? "\033[31m" : cell_db >= -12 ? "\033[33m" : "\033[32m";
        at += (size_t)snprintf(buf + at, size - at, "%s%c%s", col, i < fill ? '#' : i == mark ? '|' : ' ',
                               *col ? "\033[0m" : "");
    }
    if (at + 32 < size)
        snprintf(buf + at, size - at, "] %5.1f dB%s", db < -99.9 ? -99.9 : db,
                 clip ? (colour ? " \033[1;31mCLIP\033[0m" : " CLIP") : "");
}

/* See cli.h: up over the rows below and the error's, delete the error's
 * (what was below moves up), back down below what stayed. */
void cli_erase_rows(FILE *f, unsigned long rows, unsigned long below)
{
    if (!rows)
        return;
    if (below)
        fprintf(f, "\033[%luA\033[%luM\033[%luB", rows + below, rows, below);
    else
        fprintf(f, "\033[%luA\033[J", rows);
}
