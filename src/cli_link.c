/* cli_link.c -- the engine's cycle on an Ableton Link session (cli_link.h
 * says what is done; link.h is the library, engine.h the engine's side).
 */
#include "cli_link.h"

#include "cli.h"
#include "engine.h"
#include "link.h"
#include "phonon.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* ---- the host-time filter -------------------------------------------------------- */

/* The least-squares line through f's points, at x (centred sums: host times
 * of 10^12 us and frame counts of 10^9 keep their precision). */
static double line_at(const struct cli_link_filter *f, double x)
{
    double mx = 0, my = 0;
    for (int i = 0; i < f->n; i++) {
        mx += f->x[i];
        my += f->y[i];
    }
    mx /= f->n;
    my /= f->n;
    double sxx = 0, sxy = 0;
    for (int i = 0; i < f->n; i++) {
        sxx += (f->x[i] - mx) * (f->x[i] - mx);
        sxy += (f->x[i] - mx) * (f->y[i] - my);
    }
    return my + (sxx > 0 ? sxy / sxx : 0) * (x - mx);
}

/* See cli_link.h. */
double cli_link_filter_add(struct cli_link_filter *f, double x, double y, double reset)
{
    double at = f->n >= 2 ? line_at(f, x) : y;
    if (fabs(at - y) > reset) {
        f->off_by += y - at;
        if (++f->off < CLI_LINK_OUTLIERS)
            return at;
        for (int i = 0; i < f->n; i++)      /* the line moves; the last point joins it */
            f->y[i] += f->off_by / f->off;
    }
    f->off = 0;
    f->off_by = 0;
    f->x[f->next] = x;
    f->y[f->next] = y;
    f->next = (f->next + 1) % CLI_LINK_FILTER;
    if (f->n < CLI_LINK_FILTER)
        f->n++;
    return f->n < 2 ? y : line_at(f, x);
}

/* ---- the clock ---------------------------------------------------------------------- */

/* One block as played, for --link-log. */
struct link_rec {
    int64_t t0, t1;                 /* heard from, until (host us) */
    double c0, c1;                  /* the cycle span played */
    double bpm;
    int32_t peers, moved;
};

enum { LINK_RING = 1 << 13 };       /* 8192 blocks: 95 s at 512 frames, 44.1 kHz */

struct cli_link {
    struct plink *pl;
    struct engine *engine;
    int quantum, rate;
    double latency_us;
    FILE *log;
    int quiet;
    /* audio thread */
    struct cli_link_filter filter;
    int started, programs;
    struct link_rec last;           /* the block being played, its record to be finished */
    struct link_rec ring[LINK_RING];
    _Atomic uint32_t head, tail;    /* written by the audio thread, the control thread */
    _Atomic long dropped;           /* records the ring had no room for */
    _Atomic long blocks, stretched, jumps, moved_max;   /* moved_max: the largest stretch, frames */
    _Atomic double bpm, clamped;    /* the session's tempo; a tempo Link clamped (0: none) */
    _Atomic int peers;
    double clamped_said;            /* control thread */
};

/* Leave the finished block's record in the ring (audio thread). */
static void ring_put(struct cli_link *k, const struct link_rec *r)
{
    uint32_t h = atomic_load_explicit(&k->head, memory_order_relaxed);
    if (h - atomic_load_explicit(&k->tail, memory_order_acquire) >= LINK_RING) {
        atomic_fetch_add_explicit(&k->dropped, 1, memory_order_relaxed);
        return;
    }
    k->ring[h % LINK_RING] = *r;
    atomic_store_explicit(&k->head, h + 1, memory_order_release);
}

/* What the previous block did, counted and logged (audio thread). */
static void block_done(struct cli_link *k, const struct engine_clock *c)
{
    long m = (long)c->moved, am = labs(m);
    if (am > c->frames / 8)
        atomic_fetch_add_explicit(&k->jumps, 1, memory_order_relaxed);
    else if (am) {
        atomic_fetch_add_explicit(&k->stretched, 1, memory_order_relaxed);
        if (am > atomic_load_explicit(&k->moved_max, memory_order_relaxed))
            atomic_store_explicit(&k->moved_max, am, memory_order_relaxed);
    }
    k->last.c0 = c->played0;
    k->last.c1 = c->played1;
    k->last.moved = (int32_t)m;
    if (k->log)
        ring_put(k, &k->last);
}

/* The engine's outside clock (engine_set_clock). Audio thread. */
static void link_clock(void *user, struct engine_clock *c)
{
    struct cli_link *k = user;
    if (k->started)
        block_done(k, c);
    atomic_fetch_add_explicit(&k->blocks, 1, memory_order_relaxed);
    double now = (double)plink_now_us(k->pl), block_us = c->frames * 1e6 / k->rate;
    /* a callback two blocks off the line: late, or frames lost (cli_link.h) */
    double t0 = cli_link_filter_add(&k->filter, (double)c->pos, now, 2 * block_us) + k->latency_us;
    struct plink_beat b = { .at_us = llround(t0), .end_us = llround(t0 + block_us),
                            .start = !k->started };
    double ours = rat_to_double(c->cps) * 60.0 * k->quantum;
    /* our news becomes the session's; a first program only while alone:
     * joining a session takes its tempo */
    if (c->tempo_set && (k->programs++ || plink_peers(k->pl) == 0))
        b.set_bpm = ours;
    plink_audio(k->pl, &b);
    k->started = 1;
    if (b.set_bpm > 0 && fabs(b.bpm - b.set_bpm) > 1e-6 * b.set_bpm)
        atomic_store_explicit(&k->clamped, b.set_bpm, memory_order_relaxed);
    /* Link carries a tempo as whole us per beat: within that, ours stays
     * (exact); else the session's, to 1/1000 bpm */
    if (fabs(ours - b.bpm) > 1e-5 * b.bpm)
        c->cps = rat_make(llround(b.bpm * 1000.0), 60000 * (int64_t)k->quantum);
    c->cycle_end = b.beat_end / k->quantum;
    k->last = (struct link_rec){ .t0 = b.at_us, .t1 = b.end_us, .bpm = b.bpm, .peers = b.peers };
    atomic_store_explicit(&k->bpm, b.bpm, memory_order_relaxed);
    atomic_store_explicit(&k->peers, b.peers, memory_order_relaxed);
}

/* ---- the control thread ---------------------------------------------------------- */

/* See cli_link.h. */
int cli_link_available(const char *cmd)
{
    if (plink_available())
        return 1;
    cli_fail(cmd, PHONON_EXIT_UNAVAILABLE,
             "this build has no Ableton Link (--link): rebuild with ableton-link-dev installed (make deps)");
    return 0;
}

/* See cli_link.h. */
struct cli_link *cli_link_new(const char *cmd, struct engine *e, int quantum, int rate, double latency_s,
                              const char *log_path, int quiet, int *rc)
{
    if (!cli_link_available(cmd)) {
        *rc = PHONON_EXIT_UNAVAILABLE;
        return NULL;
    }
    struct cli_link *k = calloc(1, sizeof *k);
    if (!k || !(k->pl = plink_new(0.5 * 60.0 * quantum, quantum))) {
        free(k);
        *rc = cli_fail(cmd, PHONON_EXIT_SOFTWARE, "cannot start Ableton Link (out of memory?)");
        return NULL;
    }
    k->engine = e;
    k->quantum = quantum;
    k->rate = rate;
    k->latency_us = latency_s * 1e6;
    k->quiet = quiet;
    if (log_path && !(k->log = fopen(log_path, "w"))) {
        *rc = cli_fail(cmd, PHONON_EXIT_CANTCREAT, "cannot write %s: %s", log_path, strerror(errno));
        plink_free(k->pl);
        free(k);
        return NULL;
    }
    if (k->log)
        fprintf(k->log, "# phonon --link-log: heard_from_us heard_until_us cycle_from cycle_until bpm peers "
                        "moved_frames (quantum %d, %d Hz)\n", quantum, rate);
    plink_enable(k->pl, 1);
    engine_set_clock(e, link_clock, k);
    return k;
}

/* See cli_link.h. */
void cli_link_tick(struct cli_link *k)
{
    if (!k)
        return;
    double cl = atomic_load_explicit(&k->clamped, memory_order_relaxed);
    if (cl > 0 && cl != k->clamped_said && !k->quiet)
        fprintf(stderr, "phonon: Link keeps tempos within %g..%g bpm (%g cps at quantum %d): %g bpm was clamped\n",
                PLINK_MIN_BPM, PLINK_MAX_BPM, PLINK_MAX_BPM / 60.0 / k->quantum, k->quantum, cl);
    k->clamped_said = cl;
    if (!k->log)
        return;
    uint32_t t = atomic_load_explicit(&k->tail, memory_order_relaxed);
    uint32_t h = atomic_load_explicit(&k->head, memory_order_acquire);
    for (; t != h; t++) {
        const struct link_rec *r = &k->ring[t % LINK_RING];
        fprintf(k->log, "%lld %lld %.17g %.17g %.6f %d %d\n", (long long)r->t0, (long long)r->t1, r->c0, r->c1,
                r->bpm, r->peers, r->moved);
    }
    atomic_store_explicit(&k->tail, t, memory_order_release);
    fflush(k->log);
}

/* See cli_link.h. */
void cli_link_print_stats(struct cli_link *k, FILE *f)
{
    fprintf(f, "link: %d peers, %.3f bpm (quantum %d); %ld blocks: %ld stretched (at most %ld frames), %ld jumps",
            atomic_load(&k->peers), atomic_load(&k->bpm), k->quantum, atomic_load(&k->blocks),
            atomic_load(&k->stretched), atomic_load(&k->moved_max), atomic_load(&k->jumps));
    long d = atomic_load(&k->dropped);
    if (d)
        fprintf(f, "; %ld log records dropped", d);
    fputc('\n', f);
}

/* See cli_link.h. */
void cli_link_free(struct cli_link *k)
{
    if (!k)
        return;
    engine_set_clock(k->engine, NULL, NULL);
    cli_link_tick(k);
    plink_free(k->pl);
    if (k->log)
        fclose(k->log);
    free(k);
}
