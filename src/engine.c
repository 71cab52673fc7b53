/* engine.c -- one block at a time: clock, queries, voices, graph, master.
 *
 * The engine owns the voice pool, the thread pool, the pattern scratch arena
 * (fixed size: queries never allocate on the audio thread) and a triple
 * buffer through which programs arrive. The audio thread keeps a pointer to
 * the program it plays; when the triple buffer has a newer one, it switches
 * at the block boundary: voices keep sounding (routed to the new program's
 * player of the same key), the clock re-anchors if the tempo changed, and
 * `panic` fades every voice out.
 *
 * A block: start the voices of its onsets (queried during the previous
 * block, see query_next, or now when that block asked for another span or
 * program), then run the graph's nodes in order, a player node rendering
 * its voice batches on the pool (the block's first pool run also queries
 * the next block's onsets), then the master. Only the voice starts, the
 * graph and the sums of the pool's chunks are left to the audio thread.
 *
 * Freeing: the triple buffer hands back to the control thread the programs
 * the audio thread no longer holds; they wait in a retired list until their
 * voices_alive count reaches zero (voices of an instrument read its ops and
 * its parameter buffers), then engine_collect frees them.
 */
#include "engine.h"
#include "midi.h"
#include "orbit.h"

#include <pthread.h>
#include "phonon.h"
#include "pool.h"
#include "tbuf.h"
#include "voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct engine {
    struct engine_opts o;
    int onset_frame[ENGINE_ONSET_LOG], nonset_frames;   /* the last block's (engine_block_onsets) */
    struct tbuf tb;
    struct program *cur;            /* audio thread: the program playing */
    struct program *published;      /* control thread: the last one published */
    struct program **retired;       /* control thread: waiting for their voices */
    int nretired, capretired;
    struct voice_pool *vp;
    struct pool *pool;
    struct arena scratch;           /* pattern queries, reset per query */
    struct pat_ctx pc;
    struct pat_evbuf events;
    /* the next block's onsets, queried on the pool while this block renders
     * (its own arena and context: the audio thread queries node patterns
     * meanwhile); used when the next block is the one asked for */
    struct arena pre_scratch;
    struct pat_ctx pre_pc;
    struct pat_evbuf *pre_ev;       /* per player, in pre_scratch */
    int *pre_err;                   /* per player: the query's error (enum pat_err) */
    uint64_t pre_seq;               /* the program they are for (0: none) */
    struct rat pre_q0, pre_q1;      /* and the span */
    struct program *next_p;         /* to query in this block's first pool run (NULL: none) */
    struct rat next_q0, next_q1;
    /* clock */
    int64_t pos;                    /* frames rendered */
    int64_t anchor_pos;
    struct rat anchor_cycle;
    struct rat cps;
    struct rat cps_next;            /* issue 12: an event's cps control, from the next block */
    int cps_pending;
    /* buffers */
    float *master;                  /* [2][block] */
    struct dsp_master mst[2];
    int *batch_player, *batch_dest; /* per block: each batch's player and node (voice_batch_route) */
    int *batch_orbit;               /* and its orbit (voice_batch_orbit) */
    struct orbits *orbits;          /* SuperDirt's global effects (orbit.h): they outlive programs */
    int *batch_order;               /* per block: batches to render now */
    int *job_first, *job_len;       /* their chunks: where in batch_order, how many */
    struct voice_block vb;
    engine_inject_fn *inject;       /* voices from outside (engine_set_inject) */
    struct midi *midi;              /* MIDI out (engine_set_midi), or NULL */
    void *inject_user;
    engine_clock_fn *clock;         /* an outside clock (engine_set_clock) */
    void *clock_user;
    struct engine_clock clk;        /* what it was told last */
    int tempo_set;                  /* the tempo is news for it (engine_clock.tempo_set) */
    uint64_t seq;                   /* control thread: programs published */
    /* stats (written by the audio thread, read anywhere) */
    _Atomic uint64_t blocks, swaps, swap_seq;
    _Atomic int64_t swap_ns, swap_cost_ns, swap_cost_max_ns;
    _Atomic long nan_resets, limit_events, onsets_capped, limited_frames;
    _Atomic float limited_worst;    /* the master's largest gain reduction, a ratio */
    _Atomic double cycle_now;
    _Atomic double cps_now;         /* e->cps as of the last block: only the audio thread may read e->cps */
    /* query spans that failed at run time and played silent (a value a
     * pattern argument gave that the function cannot take), and the message
     * of one: query_msg_state 0 empty, 1 being written (by the thread that
     * queried), 2 ready for engine_take_query_error */
    _Atomic long query_silent;
    _Atomic int query_msg_state;
    char query_msg[200];
};

static void engine_count_limit(struct engine *e) { atomic_fetch_add_explicit(&e->limit_events, 1, memory_order_relaxed); }

/* A player's query failed (err, c's message): count it; keep the message
 * when none is waiting. Audio path: a bounded copy, no call out. */
static void engine_count_failed(struct engine *e, int err, const struct pat_ctx *c)
{
    if (err == PAT_ERR_LIMIT) {
        engine_count_limit(e);
        return;
    }
    atomic_fetch_add_explicit(&e->query_silent, 1, memory_order_relaxed);
    int empty = 0;
    if (!atomic_compare_exchange_strong_explicit(&e->query_msg_state, &empty, 1, memory_order_acquire,
                                                 memory_order_relaxed))
        return;
    size_t i = 0;
    for (; i + 1 < sizeof e->query_msg && c->msg[i]; i++)
        e->query_msg[i] = c->msg[i];
    e->query_msg[i] = 0;
    atomic_store_explicit(&e->query_msg_state, 2, memory_order_release);
}

int engine_take_query_error(struct engine *e, char *buf, size_t cap)
{
    if (atomic_load_explicit(&e->query_msg_state, memory_order_acquire) != 2 || cap == 0)
        return 0;
    snprintf(buf, cap, "%s", e->query_msg);
    atomic_store_explicit(&e->query_msg_state, 0, memory_order_release);
    return 1;
}

/* The oscillators' tables, built once for the process before any engine
 * plays (a few ms: commands that play nothing do not pay for them). */
static pthread_once_t dsp_once = PTHREAD_ONCE_INIT;

/* What engine_new sets besides its memory, on a zeroed engine: the state
 * that blocks, programs and the clock change (engine_reset starts it
 * again). */
static void start_state(struct engine *e)
{
    pat_ctx_init(&e->pc, &e->scratch);
    pat_ctx_init(&e->pre_pc, &e->pre_scratch);
    if (e->o.query_events > 0 && e->o.query_events < PAT_MAX_EVENTS) {
        e->pc.max_events = e->pre_pc.max_events = e->o.query_events;
        e->pc.max_work = e->pre_pc.max_work = (long)e->o.query_events * (PAT_MAX_WORK / PAT_MAX_EVENTS);
    }
    for (int ch = 0; ch < 2; ch++)
        dsp_master_init(&e->mst[ch], (float)e->o.sample_rate);
    tbuf_init(&e->tb, NULL);
    e->cps = rat_make(1, 2);
    atomic_store_explicit(&e->cps_now, 0.5, memory_order_relaxed);
    e->anchor_cycle = rat_int(0);
}

struct engine *engine_new(const struct engine_opts *o)
{
    pthread_once(&dsp_once, dsp_init);
    struct engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->o = *o;
    if (e->o.block < PHONON_MIN_BLOCK)
        e->o.block = PHONON_MIN_BLOCK;
    if (e->o.block > ENGINE_MAX_BLOCK)
        e->o.block = ENGINE_MAX_BLOCK;
    if (e->o.voices <= 0)
        e->o.voices = PHONON_DEFAULT_VOICES;
    struct pool_opts po;
    pool_opts_init(&po);
    po.nthreads = o->threads;
    po.rt_priority = o->rt_priority;
    po.quiet = o->quiet != 0;
    e->pool = pool_new(&po);
    int nthreads = e->pool ? pool_nthreads(e->pool) : 1;
    e->vp = voice_pool_new(e->o.voices, e->o.block, o->sample_rate, nthreads);
    e->master = phonon_alloc64(sizeof(float) * 2 * (size_t)e->o.block);
    size_t maxb = (size_t)(e->o.voices / 8 * 2 + 64 + 16);
    e->batch_order = malloc(sizeof(int) * maxb);
    e->batch_player = malloc(sizeof(int) * maxb);
    e->batch_dest = malloc(sizeof(int) * maxb);
    e->batch_orbit = malloc(sizeof(int) * maxb);
    e->orbits = orbits_new(o->sample_rate, e->o.block);
    e->job_first = malloc(sizeof(int) * maxb);
    e->job_len = malloc(sizeof(int) * maxb);
    if (!e->pool || !e->vp || !e->master || !e->batch_order || !e->batch_player || !e->batch_dest || !e->batch_orbit || !e->orbits || !e->job_first || !e->job_len || arena_init(&e->scratch, 8 << 20, 0, 0) ||
        arena_init(&e->pre_scratch, 8 << 20, 0, 0)) {
        engine_free(e);
        return NULL;
    }
    start_state(e);
    return e;
}

/* Free every program the engine holds (what plays, what waits in the
 * triple buffer, what is retired) and the retired list. */
static void drop_programs(struct engine *e)
{
    void *left[3];
    int n = tbuf_drain(&e->tb, left);
    for (int i = 0; i < n; i++)
        if (left[i] != e->cur)
            program_free(left[i]);
    program_free(e->cur);
    for (int i = 0; i < e->nretired; i++)
        if (e->retired[i] != e->cur)
            program_free(e->retired[i]);
    free(e->retired);
}

void engine_free(struct engine *e)
{
    if (!e)
        return;
    pool_free(e->pool);
    drop_programs(e);
    voice_pool_free(e->vp);
    free(e->master);
    free(e->batch_order);
    free(e->batch_player);
    free(e->batch_dest);
    free(e->batch_orbit);
    orbits_free(e->orbits);
    free(e->job_first);
    free(e->job_len);
    arena_deinit(&e->scratch);
    arena_deinit(&e->pre_scratch);
    free(e);
}

/* See engine.h. The engine is zeroed but for what engine_new allocated and
 * what was set from outside, so that state added to struct engine later
 * starts again by itself; start_state sets the rest. */
void engine_reset(struct engine *e)
{
    if (e->midi && midi_program_plays(e->cur))
        midi_all_off(e->midi, e->pos);
    drop_programs(e);
    struct engine k = *e;
    memset(e, 0, sizeof *e);
    e->o = k.o;
    e->vp = k.vp;
    e->pool = k.pool;
    e->scratch = k.scratch;
    e->pre_scratch = k.pre_scratch;
    e->master = k.master;
    e->batch_player = k.batch_player;
    e->batch_dest = k.batch_dest;
    e->batch_orbit = k.batch_orbit;
    e->orbits = k.orbits;
    e->batch_order = k.batch_order;
    e->job_first = k.job_first;
    e->job_len = k.job_len;
    e->inject = k.inject;
    e->inject_user = k.inject_user;
    e->midi = k.midi;
    e->clock = k.clock;
    e->clock_user = k.clock_user;
    arena_reset(&e->scratch);
    arena_reset(&e->pre_scratch);
    voice_pool_reset(e->vp);
    orbits_reset(e->orbits);
    start_state(e);
}

uint64_t engine_publish(struct engine *e, struct program *p)
{
    program_carry_state(p, e->published);
    p->seq = ++e->seq;
    e->published = p;
    struct program *old = tbuf_publish(&e->tb, p);
    if (old) {
        if (e->nretired == e->capretired) {
            int cap = e->capretired ? e->capretired * 2 : 8;
            struct program **v = realloc(e->retired, sizeof *v * (size_t)cap);
            if (!v)
                return p->seq;      /* cannot track it: keep it alive (a leak, never a crash) */
            e->retired = v;
            e->capretired = cap;
        }
        e->retired[e->nretired++] = old;
    }
    engine_collect(e);
    return p->seq;
}

void engine_collect(struct engine *e)
{
    int w = 0;
    for (int i = 0; i < e->nretired; i++) {
        struct program *p = e->retired[i];
        if (atomic_load(&p->voices_alive) == 0 && p != e->published)
            program_free(p);
        else
            e->retired[w++] = p;
    }
    e->nretired = w;
}

/* ---- the block ---------------------------------------------------------------------- */

static struct rat cycle_at(const struct engine *e, int64_t pos)
{
    struct rat d = rat_make((pos - e->anchor_pos) * e->cps.n, e->cps.d * (int64_t)e->o.sample_rate);
    return rat_add(e->anchor_cycle, d);
}

static void switch_program(struct engine *e, struct program *np)
{
    struct program *old = e->cur;
    if (e->midi && midi_program_plays(old) && (np->hush || np->panic || !midi_program_plays(np)))
        midi_all_off(e->midi, e->pos);  /* the reload drops that output */
    if (old)
        voice_retarget(e->vp, old, np);
    if (!old || !rat_eq(np->cps_rat, old->cps_rat))
        e->tempo_set = 1;
    if (!old || !rat_eq(np->cps_rat, e->cps)) {
        /* re-anchor: the cycle position goes on from where it is */
        e->anchor_cycle = old ? cycle_at(e, e->pos) : rat_int(0);
        e->anchor_pos = e->pos;
        e->cps = np->cps_rat;
    }
    if (np->set_cycle) {            /* resetCycles, setCycle N: the count jumps */
        e->anchor_cycle = np->cycle;
        e->anchor_pos = e->pos;
    }
    if (np->panic)
        voice_panic(e->vp);
    e->cur = np;
    atomic_fetch_add_explicit(&e->swaps, 1, memory_order_relaxed);
}

struct render_job {
    struct engine *e;
    const int *batches;
    struct program *next;           /* job 0 queries the next block's onsets of this program */
};

/* Pool job: every player's onsets in [e->next_q0, e->next_q1) into pre_*. */
static void query_next(struct engine *e, struct program *p)
{
    arena_reset(&e->pre_scratch);
    e->pre_seq = 0;
    struct pat_evbuf *ev = ARENA_ARRAY(&e->pre_scratch, struct pat_evbuf, (size_t)p->nplayers + 1);
    int *err = ARENA_ARRAY(&e->pre_scratch, int, (size_t)p->nplayers + 1);
    if (!ev || !err)
        return;
    for (int pi = 0; pi < p->nplayers; pi++)
        if ((err[pi] = pat_query(&e->pre_pc, p->players[pi].pat, e->next_q0, e->next_q1, &ev[pi])))
            engine_count_failed(e, err[pi], &e->pre_pc);
    e->pre_ev = ev;
    e->pre_err = err;
    e->pre_q0 = e->next_q0;
    e->pre_q1 = e->next_q1;
    e->pre_seq = p->seq;
}

static void render_job(void *ctx, int job, int thread)
{
    struct render_job *j = ctx;
    struct engine *e = j->e;
    if (j->next) {
        if (job == 0) {
            query_next(e, j->next);
            return;
        }
        job--;
    }
    voice_render_chunk(e->vp, j->batches + e->job_first[job], e->job_len[job], thread, &e->vb);
}

/* Start the voices of every player's onsets in this block. An onset
 * sounds from the frame nearest to it, so the block takes the onsets that
 * round into it: those in its span moved back by half a frame. Which frame
 * an onset gets never depends on where blocks begin. Then asks for the
 * next block's onsets (if it is as long as this one: it starts where this
 * one ends) to be queried in this block's first pool run. */
/* issue 12: the cps control (Tidal's patterned tempo) sets the tempo from
 * the next block on; the last such event of a block wins. A reload to a
 * program of another tempo sets that one. */
static void event_cps(struct engine *e, struct val v)
{
    const struct val *c = val_map_get(v, "cps");
    double x = -1;
    if (c && c->kind == VAL_NUM)
        x = c->u.num;
    else if (c && c->kind == VAL_STR && !val_parse_number(c->u.str, strlen(c->u.str), &x))
        x = -1;
    struct rat r;
    if (x > 0 && x <= 1000 && rat_from_double(x, &r) == 0) {
        e->cps_next = r;
        e->cps_pending = 1;
    }
}

static void log_onset(struct engine *e, int frame)
{
    int n = e->nonset_frames;
    if (n < ENGINE_ONSET_LOG && (n == 0 || e->onset_frame[n - 1] != frame))
        e->onset_frame[e->nonset_frames++] = frame;
}

/* See engine.h. */
int engine_block_onsets(const struct engine *e, const int **frames)
{
    *frames = e->onset_frame;
    return e->nonset_frames;
}

static void start_voices(struct engine *e, struct program *p, const struct graph_block *eb)
{
    struct rat half = rat_div(eb->cps_rat, rat_int(2 * (int64_t)eb->sample_rate));
    struct rat q0 = rat_sub(eb->c0, half), q1 = rat_sub(eb->c1, half);
    int pre = e->pre_seq == p->seq && rat_eq(e->pre_q0, q0) && rat_eq(e->pre_q1, q1);
    int onsets = 0, max_onsets = ENGINE_ONSETS_PER_FRAME * eb->frames;
    long capped = 0;
    for (int pi = 0; pi < p->nplayers; pi++) {
        const struct pat_evbuf *evs = &e->events;
        int err;
        if (pre) {
            evs = &e->pre_ev[pi];           /* queried during the last block */
            err = e->pre_err[pi];
        } else {
            arena_reset(&e->scratch);
            err = pat_query(&e->pc, p->players[pi].pat, q0, q1, &e->events);
            if (err)
                engine_count_failed(e, err, &e->pc);
        }
        if (err)
            continue;
        for (int i = 0; i < evs->n; i++) {
            const struct pat_ev *ev = &evs->ev[i];
            if (!ev->has_whole || !rat_eq(ev->wb, ev->pb) || rat_lt(ev->wb, q0) || !rat_lt(ev->wb, q1))
                continue;
            double fr = rat_to_double(rat_sub(ev->wb, eb->c0)) * eb->frames_per_cycle;
            int frame = (int)floor(fr + 0.5);
            if (frame >= eb->frames)
                frame = eb->frames - 1;
            if (frame < 0)
                frame = 0;
            if (onsets++ >= max_onsets) {
                capped++;                   /* a flood: the block's work stays bounded */
                continue;
            }
            double dur = rat_to_double(rat_sub(ev->we, ev->wb)) * eb->frames_per_cycle;
            if (e->midi && !p->hush && p->players[pi].audible && midi_is_event(ev->v))
                midi_event(e->midi, ev->v, frame, dur);
            voice_start(e->vp, p, pi, ev, frame, dur, &e->vb);
            log_onset(e, frame);
            orbit_event(e->orbits, ev->v, frame, rat_to_double(eb->cps_rat));
            event_cps(e, ev->v);
        }
    }
    if (capped)
        atomic_fetch_add_explicit(&e->onsets_capped, capped, memory_order_relaxed);
    e->next_p = p;
    e->next_q0 = q1;
    e->next_q1 = rat_sub(cycle_at(e, e->pos + 2 * (int64_t)eb->frames), half);
}

/* Render the batches that sound through player pi (pi < 0: those going to
 * the master) and add them to their destinations. The batches go to the
 * pool in chunks with the same destination, each summed inside its job;
 * only the chunk sums are added here, in order. A chunk holds up to
 * CHUNK batches, more when there are many (about CHUNKS jobs then: enough
 * to share among the threads, few sums left for this thread); the
 * chunks depend on the batches only, so the sums are the same for any
 * number of threads. */
enum { CHUNK = 8, CHUNKS = 64 };

static void render_player(struct engine *e, struct program *p, int pi, float *ml, float *mr, int frames)
{
    struct voice_pool *vp = e->vp;
    int nb = voice_batches(vp);
    int n = 0, nj = 0, dest = 0, orbit = 0;
    int chunk = nb / CHUNKS > CHUNK ? nb / CHUNKS : CHUNK;
    for (int i = 0; i < nb; i++) {
        if (e->batch_player[i] != pi)
            continue;
        int d = e->batch_dest[i], ob = e->batch_orbit[i];
        if (nj == 0 || d != dest || ob != orbit || e->job_len[nj - 1] == chunk) {
            e->job_first[nj] = n;
            e->job_len[nj++] = 0;
            dest = d;
            orbit = ob;
        }
        e->job_len[nj - 1]++;
        e->batch_order[n++] = i;
    }
    if (nj == 0)
        return;
    struct render_job j = { e, e->batch_order, e->next_p };
    e->next_p = NULL;                   /* the first pool run of a block takes the query */
    pool_run(e->pool, nj + (j.next != NULL), render_job, &j);
    for (int k = 0; k < nj; k++) {
        int head = e->batch_order[e->job_first[k]], d = e->batch_dest[head];
        voice_mix_batch(vp, head, d >= 0 ? p->nodes[d].out[0] : ml, d >= 0 ? p->nodes[d].out[1] : mr, frames);
        if (orbit_active(e->orbits, e->batch_orbit[head]))
            orbit_add(e->orbits, e->batch_orbit[head], voice_batch_out(vp, head), voice_batch_out(vp, head) + frames,
                      frames);
    }
}

/* The outside clock's word on this block (engine_set_clock; engine.h says
 * what is done with it). *c0: the block's start, moved by a jump. Returns
 * the frames' worth of cycle the block plays beyond its length (a stretch,
 * negative: less), 0 for none. */
static int64_t follow_clock(struct engine *e, int frames, struct rat *c0)
{
    struct engine_clock *c = &e->clk;
    c->pos = e->pos;
    c->frames = frames;
    c->cps = e->cps;
    c->tempo_set = e->tempo_set;
    c->cycle_end = rat_to_double(cycle_at(e, e->pos + frames));
    e->tempo_set = 0;
    e->clock(e->clock_user, c);
    if (c->cps.n > 0 && c->cps.d > 0 && !rat_eq(c->cps, e->cps)) {
        e->anchor_cycle = *c0;
        e->anchor_pos = e->pos;
        e->cps = c->cps;
    }
    double err = c->cycle_end - rat_to_double(cycle_at(e, e->pos + frames));
    err -= floor(err + 0.5);                    /* the phase: the nearest whole cycle is ours */
    double k = round(err * e->o.sample_rate * (double)e->cps.d / (double)e->cps.n);
    int64_t m = isfinite(k) ? (int64_t)k : 0, most = frames / 8;
    if (llabs(m) > most && llabs(m) <= frames / 2)
        m = m > 0 ? most : -most;               /* the rest in the next blocks */
    c->moved = m;
    if (!m)
        return 0;
    e->anchor_pos -= m;                         /* cycle_at(n) becomes cycle_at(n + m) */
    if (llabs(m) > most) {
        *c0 = cycle_at(e, e->pos);              /* a jump */
        return 0;
    }
    return m;
}

void engine_render(struct engine *e, float *out, int frames)
{
    dsp_denormals_off();
    /* tbuf_acquire hands the program played until now back to the control
     * thread, which frees it once no voice holds it (engine_collect), but
     * switch_program still reads it: held as one more voice until then
     * (the increment is seen before the writer gets it: it precedes
     * tbuf_acquire's exchange; the release orders the reads before the
     * free). TSan saw the free race the switch's reads in test_live. */
    struct program *held = e->cur;
    if (held)
        atomic_fetch_add_explicit(&held->voices_alive, 1, memory_order_relaxed);
    struct program *np = tbuf_acquire(&e->tb);
    if (np && np != e->cur) {
        int64_t t0 = phonon_mono_ns();
        switch_program(e, np);
        int64_t cost = phonon_mono_ns() - t0;
        atomic_store_explicit(&e->swap_ns, t0, memory_order_relaxed);
        atomic_store_explicit(&e->swap_cost_ns, cost, memory_order_relaxed);
        if (cost > atomic_load_explicit(&e->swap_cost_max_ns, memory_order_relaxed))
            atomic_store_explicit(&e->swap_cost_max_ns, cost, memory_order_relaxed);
        atomic_store_explicit(&e->swap_seq, np->seq, memory_order_release);
    }
    if (held)
        atomic_fetch_sub_explicit(&held->voices_alive, 1, memory_order_release);
    struct program *p = e->cur;
    int B = e->o.block;
    if (frames > B)
        frames = B;
    float *ml = e->master, *mr = e->master + B;
    memset(ml, 0, sizeof(float) * 2 * (size_t)B);
    struct graph_block eb;
    memset(&eb, 0, sizeof eb);
    rat_overflow = 0;
    e->nonset_frames = 0;
    if (e->pos - e->anchor_pos > ((int64_t)1 << 40)) {
        e->anchor_cycle = cycle_at(e, e->pos);
        e->anchor_pos = e->pos;
    }
    eb.nan_resets = &e->nan_resets;
    eb.limit_events = &e->limit_events;
    eb.frames = frames;
    eb.sample_rate = e->o.sample_rate;
    eb.c0 = cycle_at(e, e->pos);
    int64_t stretch = e->clock ? follow_clock(e, frames, &eb.c0) : 0;
    eb.c1 = cycle_at(e, e->pos + frames);
    eb.cps_rat = e->cps;
    eb.cycle0 = rat_to_double(eb.c0);
    eb.frames_per_cycle = (double)e->o.sample_rate * (double)e->cps.d / (double)e->cps.n;
    if (stretch)
        eb.frames_per_cycle *= (double)frames / (double)(frames + stretch);
    e->clk.played0 = eb.cycle0;
    e->clk.played1 = rat_to_double(eb.c1);
    eb.pc = &e->pc;
    e->vb.frames = frames;
    e->vb.frames_per_cycle = eb.frames_per_cycle;
    e->vb.c0 = eb.c0;
    e->vb.cycle0 = eb.cycle0;
    e->next_p = NULL;
    if (e->midi)
        midi_block(e->midi, e->pos, frames);
    if (p)
        start_voices(e, p, &eb);
    if (e->inject)
        e->inject(e->inject_user, e->vp, e->pos, &e->vb);
    /* where each batch sounds: one pass over the batches for all players */
    for (int i = 0, nb = voice_batches(e->vp); i < nb; i++)
    {
        e->batch_player[i] = voice_batch_route(e->vp, i, p, &e->batch_dest[i]);
        e->batch_orbit[i] = voice_batch_orbit(e->vp, i);
    }
    if (p) {
        for (int i = 0; i < p->nnodes; i++) {
            struct gnode *g = &p->nodes[i];
            if (g->kind == N_PLAYER) {
                for (int ch = 0; ch < g->nch; ch++)
                    memset(g->out[ch], 0, sizeof(float) * (size_t)frames);
                for (int k = 0; k < p->players[g->aux].nsub; k++) {
                    struct gnode *s = &p->nodes[p->players[g->aux].sub_node[k]];
                    memset(s->out[0], 0, sizeof(float) * 2 * (size_t)B);
                }
                render_player(e, p, g->aux, ml, mr, frames);
                continue;
            }
            graph_run_node(p, i, &eb);
        }
        if (!p->hush) {
            for (int k = 0; k < p->nouts; k++) {
                const struct gnode *g = &p->nodes[p->outs[k]];
                for (int f = 0; f < frames; f++) {
                    ml[f] += g->out[0][f];
                    mr[f] += g->out[1][f];
                }
            }
        }
        /* feedback: the nodes read next block keep this block's output */
        for (int i = 0; i < p->nnodes; i++) {
            struct gnode *g = &p->nodes[i];
            if (g->prev[0]) {
                memcpy(g->prev[0], g->out[0], sizeof(float) * (size_t)frames);
                memcpy(g->prev[1], g->out[1], sizeof(float) * (size_t)frames);
            }
        }
    }
    /* voices whose program is gone sound through the master */
    render_player(e, p, -1, ml, mr, frames);
    orbits_process(e->orbits, ml, mr, frames);
    voice_end_block(e->vp);
    int lim_l = dsp_master_process(&e->mst[0], ml, ml, frames);
    int lim_r = dsp_master_process(&e->mst[1], mr, mr, frames);
    if (lim_l || lim_r) {
        atomic_fetch_add_explicit(&e->limited_frames, lim_l > lim_r ? lim_l : lim_r, memory_order_relaxed);
        float w = e->mst[0].worst > e->mst[1].worst ? e->mst[0].worst : e->mst[1].worst;
        atomic_store_explicit(&e->limited_worst, w, memory_order_relaxed);
    }
    /* the device and the file get finite samples within [-1, 1], whatever
     * the master did (it keeps them there: this is the last guard, and
     * changes no sample it lets through) */
    for (int f = 0; f < frames; f++) {
        out[2 * f] = dsp_clampf(dsp_finite(ml[f]), -1.0f, 1.0f);
        out[2 * f + 1] = dsp_clampf(dsp_finite(mr[f]), -1.0f, 1.0f);
    }
    if (e->cps_pending) {
        e->tempo_set |= !rat_eq(e->cps_next, e->cps);
        e->anchor_cycle = cycle_at(e, e->pos + frames);
        e->anchor_pos = e->pos + frames;
        e->cps = e->cps_next;
        e->cps_pending = 0;
    }
    e->pos += frames;
    atomic_store_explicit(&e->cycle_now, eb.cycle0, memory_order_relaxed);
    atomic_store_explicit(&e->cps_now, rat_to_double(e->cps), memory_order_relaxed);
    atomic_fetch_add_explicit(&e->blocks, 1, memory_order_relaxed);
}

double engine_cycle(struct engine *e)
{
    return atomic_load_explicit(&e->cycle_now, memory_order_relaxed);
}

void engine_get_stats(struct engine *e, struct engine_stats *st)
{
    memset(st, 0, sizeof *st);
    st->blocks = atomic_load(&e->blocks);
    st->swaps = atomic_load(&e->swaps);
    st->swap_seq = atomic_load_explicit(&e->swap_seq, memory_order_acquire);
    st->swap_ns = atomic_load(&e->swap_ns);
    st->swap_cost_ns = atomic_load(&e->swap_cost_ns);
    st->swap_cost_max_ns = atomic_load(&e->swap_cost_max_ns);
    st->cycle = atomic_load(&e->cycle_now);
    st->cps = atomic_load_explicit(&e->cps_now, memory_order_relaxed);
    struct voice_stats vs;
    voice_get_stats(e->vp, &vs);
    st->voices = vs.live;
    st->voice_batches = vs.batches;
    st->voices_peak = vs.peak;
    st->voices_started = vs.started;
    st->voices_stolen = vs.stolen;
    st->voices_steal_probes = vs.steal_probes;
    st->voices_dropped = vs.dropped;
    st->nan_resets = atomic_load(&e->nan_resets) + vs.nan_resets;
    st->voices_limited = vs.limited;
    st->voices_fx_dropped = vs.fx_dropped;
    st->limit_events = atomic_load(&e->limit_events);
    st->query_silent = atomic_load(&e->query_silent);
    st->onsets_capped = atomic_load(&e->onsets_capped);
    st->limited_frames = atomic_load(&e->limited_frames);
    float w = atomic_load_explicit(&e->limited_worst, memory_order_relaxed);
    st->limited_max_db = w > 1.0f ? 20.0 * log10((double)w) : 0.0;
}

void engine_set_inject(struct engine *e, engine_inject_fn *fn, void *user)
{
    e->inject = fn;
    e->inject_user = user;
}

void engine_set_clock(struct engine *e, engine_clock_fn *fn, void *user)
{
    e->clock = fn;
    e->clock_user = user;
}
void engine_set_midi(struct engine *e, struct midi *m) { e->midi = m; }
struct midi *engine_midi(const struct engine *e) { return e->midi; }

struct pool *engine_pool(struct engine *e) { return e->pool; }
struct voice_pool *engine_voices(struct engine *e) { return e->vp; }
