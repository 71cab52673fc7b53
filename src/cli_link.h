/* cli_link.h -- `phonon live --link`: the engine's cycle follows an Ableton
 * Link session (link.h).
 *
 * What it does, block by block (on the audio thread, as the engine's outside
 * clock, engine_set_clock):
 *   - the moment the block is heard: the time the callback runs, smoothed
 *     over the last CLI_LINK_FILTER blocks (a least-squares line through
 *     (frames rendered, host time): the sound card's clock against the
 *     host's, callback jitter averaged out), plus the device's output
 *     latency;
 *   - our tempo news (a reload whose tempo differs from the previous
 *     version's; a cps control; the first program, only when no peer is
 *     there yet, since joining a session takes its tempo) becomes the
 *     session's, from that moment: the other members follow;
 *   - else the session's tempo becomes ours at this block: a peer's change
 *     is heard within the block after Link brought it (a few ms);
 *   - the cycle position at the block's end is put on the session's grid:
 *     cycle = beat / quantum (beats per cycle) modulo whole cycles (the
 *     engine's count is ours; engine.h says how the engine gets there).
 *     At the first block beat 0 is asked for: alone, our cycle 0 starts
 *     now; in a session it starts at the session's next cycle boundary.
 * Link keeps tempos within 20..999 bpm (at quantum 4: cps 1/12 .. 4.16);
 * a tempo set outside is clamped and the tick says so.
 *
 * --link-log FILE: one line per block, written by the control thread from
 * records the audio thread leaves in a ring: the block's start and end as
 * heard (Link's host clock, us), the cycle span it played, the tempo, the
 * peers and the frames it was moved by. Two processes on one machine share
 * the clock, so their logs compare directly (tests/live/link.sh).
 *
 * Threads: cli_link_new, _tick, _print_stats, _free on the control thread;
 * the clock function on the audio thread (no allocation, lock, print or
 * file: link.h's plink_audio, a ring write, relaxed atomics).
 */
#ifndef CLI_LINK_H
#define CLI_LINK_H

#include <stdio.h>

struct engine;
struct cli_link;

enum {
    CLI_LINK_QUANTUM = 4,           /* beats per cycle by default (Tidal's) */
    CLI_LINK_MAX_QUANTUM = 64,
    CLI_LINK_FILTER = 256,          /* blocks the host time is smoothed over */
};

/* 1 when this build has Link; else 0 after saying so (cmd: "live"). */
int cli_link_available(const char *cmd);

/* Join the session (Link enabled now) and follow it from the engine's next
 * block: quantum beats per cycle, the device's rate and output latency (s),
 * log_path NULL or --link-log's file (created now). NULL after printing why
 * (cmd: "live"), with *rc the exit code: 69 when the build has no Link. */
struct cli_link *cli_link_new(const char *cmd, struct engine *e, int quantum, int rate, double latency_s,
                              const char *log_path, int quiet, int *rc);
/* Between blocks, on the control thread: the log written, notices printed. */
void cli_link_tick(struct cli_link *k);
/* --stats: the session and the corrections, on f. */
void cli_link_print_stats(struct cli_link *k, FILE *f);
/* Detach from the engine (no block may be rendering: the stream stopped),
 * leave the session, flush and close the log. NULL is a no-op. */
void cli_link_free(struct cli_link *k);

/* The host-time filter, alone (tests/test_link.c): a line through the last
 * CLI_LINK_FILTER points (x frames, y host us) by least squares. */
enum { CLI_LINK_OUTLIERS = 8 };
struct cli_link_filter {
    double x[CLI_LINK_FILTER], y[CLI_LINK_FILTER];
    int n, next;
    int off;                        /* points in a row that were off the line */
    double off_by;                  /* the sum of their distances from it */
};
/* Add (x, y) and return the line's y at x. A point more than `reset` us off
 * the line (a callback run late on a busy machine) is left out, unless
 * CLI_LINK_OUTLIERS in a row are: then the frames really moved against the
 * clock (the audio thread was not run for some periods and the server went
 * on without it; a stream restarted after an xrun) and the line moves by
 * their mean distance, its slope (the two clocks' ratio) kept. */
double cli_link_filter_add(struct cli_link_filter *f, double x, double y, double reset);

#endif
