/* dirt.c -- SuperDirt's /dirt/play on the engine (dirt.h).
 *
 * The network thread decodes a packet (osc.c), turns each /dirt/play into
 * a compact event (its frame, its length, its sound table, its controls
 * as key indices and values) and pushes it on a single-producer,
 * single-consumer ring. Each block, the audio thread (dirt_inject) moves
 * what the ring holds into its pending list, starts the events due in the
 * block and keeps the rest.
 *
 * Sound tables. voice_start finds an event's sound by name in a program's
 * sorted sound table; dirt events use a table of their own: a struct
 * program holding only sounds (samples and synths), with no players, never
 * published and never run. A name not seen before is resolved on the
 * network thread (a synth, else a sample folder, loaded then and held)
 * into a new table with one more sound; events carry the table they were
 * resolved in, so the audio thread never sees a table change. Tables are
 * freed with the dirt (a table per distinct name, DIRT_MAX_SOUNDS at most).
 *
 * The controls' keys come from PHONON_CONTROLS (controls.h), sorted, so a
 * map built in key order is sorted as val_map_get wants it.
 */
#include "dirt.h"

#include "controls.h"
#include "engine.h"
#include "graph.h"
#include "graph_names.h"
#include "midi.h"
#include "osc.h"
#include "sample.h"
#include "voice.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { DIRT_STRS = 96, MAX_KEYS = 128, MAX_WARNED = 64, NAME_MAX_LEN = 63, MAX_ERRS = 1 << 16 };

struct dirt_kv {
    uint16_t key;                   /* index into keys[] */
    int16_t str;                    /* offset in the event's strs, or -1: num */
    double num;
};

struct dirt_ev {
    int64_t frame;                  /* engine frame; -1: the next block */
    int64_t t_ns;                   /* its time tag, Unix ns (0: now) */
    double dur;                     /* frames */
    struct program *table;
    int nkv;
    struct dirt_kv kv[DIRT_MAX_CONTROLS];
    char strs[DIRT_STRS];
};

struct table {
    struct program prog;            /* sounds only */
    struct sound *sounds;
    struct table *older;
};

struct dirt {
    struct dirt_opts o;
    /* control keys, sorted; why each does nothing (NULL: it works) */
    const char *keys[MAX_KEYS];
    const char *ignored[MAX_KEYS];
    int nkeys;
    /* network thread */
    struct table *table;            /* the newest; ->older the rest */
    const struct sample_set *held[DIRT_MAX_SOUNDS];
    int nheld;
    char *names[DIRT_MAX_SOUNDS];   /* the sounds' names (every table points here) */
    int nnames;
    char warned[MAX_WARNED][NAME_MAX_LEN + 1];
    int nwarned;
    struct osc_msg scratch;
    long reply_len;
    void *reply;
    size_t reply_cap;
    /* the ring */
    struct dirt_ev ring[DIRT_QUEUE];
    _Atomic size_t head, tail;
    struct midi *midi;              /* s "midi" events go there (dirt_set_midi), or NULL */
    /* audio thread */
    struct dirt_ev pending[DIRT_QUEUE];
    int npending;
    /* the clock */
    int fixed;
    int64_t epoch_ns;
    double est_off_ns;              /* audio thread: Unix ns of frame 0 (clock_block) */
    int est_ok;
    _Atomic int64_t origin_ns, pos_now;     /* its estimate, published; the block playing */
    /* counters */
    _Atomic long packets, malformed, events, started, late, dropped, no_sound, unknown_names, other, handshakes;
    _Atomic int64_t late_max_frames;
    /* timing: each started event's start frame, as a time on the audio
     * clock, minus its time tag, both from the first event's, ns (the first
     * MAX_ERRS; written by the audio thread, read after it stopped) */
    int32_t errs[MAX_ERRS];
    _Atomic int nerrs;
    int64_t first_t, first_f;       /* the first such event's time tag and frame */
};

/* ---- keys -------------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

static int key_index(const struct dirt *d, const char *name)
{
    const char **k = bsearch(&name, d->keys, (size_t)d->nkeys, sizeof *d->keys, cmp_str);
    return k ? (int)(k - d->keys) : -1;
}

/* Every key of PHONON_CONTROLS once, sorted, with the reason it does
 * nothing from the row of the same name (or the first that sets it). */
static void keys_init(struct dirt *d)
{
    static const struct { const char *name, *keys, *ignored; } rows[] = {
#define ROW(name, alias, kinds, keys, note, ignored, args, desc, ex) { name, keys, ignored },
        PHONON_CONTROLS(ROW)
#undef ROW
    };
    for (size_t r = 0; r < sizeof rows / sizeof *rows; r++)
        for (const char *k = rows[r].keys; *k; k += strlen(k) + 1) {
            int seen = 0;
            for (int i = 0; i < d->nkeys; i++)
                seen |= !strcmp(d->keys[i], k);
            if (!seen && d->nkeys < MAX_KEYS)
                d->keys[d->nkeys++] = k;
        }
    qsort(d->keys, (size_t)d->nkeys, sizeof *d->keys, cmp_str);
    for (int i = 0; i < d->nkeys; i++) {
        const char *why = NULL;
        int own = 0;
        for (size_t r = 0; r < sizeof rows / sizeof *rows && !own; r++) {
            int sets = 0;
            for (const char *k = rows[r].keys; *k && !sets; k += strlen(k) + 1)
                sets = !strcmp(k, d->keys[i]);
            own = !strcmp(rows[r].name, d->keys[i]);
            if (own || (sets && !why))
                why = rows[r].ignored;
        }
        d->ignored[i] = why;
    }
}

/* ---- lifetime ------------------------------------------------------------------- */

struct dirt *dirt_new(const struct dirt_opts *o)
{
    struct dirt *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->o = *o;
    keys_init(d);
    d->table = calloc(1, sizeof *d->table);
    if (!d->table) {
        free(d);
        return NULL;
    }
    return d;
}

void dirt_set_midi(struct dirt *d, struct midi *m) { d->midi = m; }

void dirt_free(struct dirt *d)
{
    if (!d)
        return;
    for (int i = 0; i < d->nnames; i++)
        free(d->names[i]);
    for (struct table *t = d->table, *next; t; t = next) {
        next = t->older;
        free(t->sounds);
        free(t);
    }
    for (int i = 0; i < d->nheld; i++)
        sample_bank_release(d->o.bank, d->held[i]);
    free(d);
}

static void inject(void *user, struct voice_pool *vp, int64_t pos, const struct voice_block *vb);

void dirt_attach(struct dirt *d, struct engine *e) { engine_set_inject(e, inject, d); }

void dirt_clock_fixed(struct dirt *d, int64_t epoch_ns)
{
    d->fixed = 1;
    d->epoch_ns = epoch_ns;
}

static void count(_Atomic long *c) { atomic_fetch_add_explicit(c, 1, memory_order_relaxed); }

/* Say something once per name (network thread); at most MAX_WARNED names
 * are warned about (a stream of new names is counted, not printed). The
 * message, which quotes what the network sent, is printed with every byte
 * that is not printable ASCII as '?' (no escape sequences reach the
 * terminal). */
__attribute__((format(printf, 3, 4))) static void warn_once(struct dirt *d, const char *name, const char *fmt, ...)
{
    for (int i = 0; i < d->nwarned; i++)
        if (!strncmp(d->warned[i], name, NAME_MAX_LEN))
            return;
    if (d->nwarned == MAX_WARNED || !d->o.warn)
        return;
    snprintf(d->warned[d->nwarned++], NAME_MAX_LEN + 1, "%s", name);
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    for (char *c = msg; *c; c++)
        if (*c < 0x20 || *c > 0x7e)
            *c = '?';
    fprintf(d->o.warn, "phonon dirt: warning: %s\n", msg);
}

/* ---- sounds ---------------------------------------------------------------------- */

/* One path component of letters, digits, '_', '-', '.', not starting with '.'. */
static int safe_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > NAME_MAX_LEN || s[0] == '.')
        return 0;
    return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.") == n;
}

static int cmp_sound(const void *a, const void *b)
{
    return strcmp(((const struct sound *)a)->name, ((const struct sound *)b)->name);
}

/* The table in which `name` is a sound: the newest, grown by one when the
 * name is new and plays something. NULL when it plays nothing (warned once). */
static struct table *table_for(struct dirt *d, const char *name)
{
    struct table *t = d->table;
    struct sound key = { .name = name };
    if (t->prog.nsounds && bsearch(&key, t->sounds, (size_t)t->prog.nsounds, sizeof key, cmp_sound))
        return t;
    if (!safe_name(name)) {
        warn_once(d, name, "sound name '%s' refused: a name is one file name within the sample roots", name);
        return NULL;
    }
    if (d->nnames == DIRT_MAX_SOUNDS) {
        warn_once(d, name, "sound '%s' dropped: too many sound names in one session", name);
        return NULL;
    }
    struct sound snd = { .kind = SND_SILENT };
    const struct gsynth *gs = graph_synth(name);
    const struct sample_set *set = NULL;
    struct sample_error err = { 0 };
    if (strcmp(name, "midi") == 0) {    /* MIDI out (midi.h) */
        if (!d->midi) {
            warn_once(d, name, "s \"midi\" events are dropped: no MIDI out (--midi-out, or --midi-file with --render)");
            return NULL;
        }
        snd.kind = SND_MIDI;
    } else if (gs && gs->kind != GSYNTH_WAVE) {
        snd.kind = SND_SYNTH;
        snd.synth = gs->kind;
    } else if (d->o.bank && (set = sample_bank_lookup(d->o.bank, name, &err))) {
        snd.kind = SND_SAMPLE;
        snd.set = set;
    } else if ((gs = graph_synth_stand_in(name))) {
        snd.kind = SND_SYNTH;
        snd.synth = gs->kind;
    } else {
        warn_once(d, name, "unknown sound '%s' (no synth, no sample folder): its events are dropped", name);
        return NULL;
    }
    int n = t->prog.nsounds;
    struct table *nt = calloc(1, sizeof *nt);
    struct sound *v = nt ? malloc(sizeof *v * (size_t)(n + 1)) : NULL;
    char *copy = v ? strdup(name) : NULL;
    if (!copy) {
        free(v);
        free(nt);
        return NULL;
    }
    if (set) {
        sample_bank_hold(d->o.bank, set);
        d->held[d->nheld++] = set;
    }
    d->names[d->nnames++] = copy;
    if (n)
        memcpy(v, t->sounds, sizeof *v * (size_t)n);
    snd.name = copy;
    v[n] = snd;
    qsort(v, (size_t)n + 1, sizeof *v, cmp_sound);
    nt->sounds = v;
    nt->prog.sounds = v;
    nt->prog.nsounds = n + 1;
    nt->prog.sample_rate = d->o.sample_rate;
    nt->older = t;
    d->table = nt;
    return nt;
}

/* ---- the clock ------------------------------------------------------------------------ */

static int64_t realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Unix ns of engine frame 0: fixed, or as the audio thread estimates it
 * from its blocks' starts (inject); -1 before the first block. */
static int clock_origin(struct dirt *d, double *origin)
{
    if (d->fixed) {
        *origin = (double)d->epoch_ns;
        return 0;
    }
    int64_t o = atomic_load_explicit(&d->origin_ns, memory_order_relaxed);
    *origin = (double)o;
    return o ? 0 : -1;
}

/* Audio thread: a block starts at `pos`, now. A block starts at its ideal
 * time or later (the thread woke late), never earlier, so the earliest
 * reading is the truest: one below the estimate is taken at once, one
 * above moves it by 1/256 (the device's clock drifts against the wall
 * clock, some 0.1 ms a second at most; a device that stopped for a while,
 * or a wall clock set back, is caught up with in a few seconds). */
static void clock_block(struct dirt *d, int64_t pos)
{
    double off = (double)realtime_ns() - (double)pos * 1e9 / d->o.sample_rate;
    if (!d->est_ok || off < d->est_off_ns)
        d->est_off_ns = off;
    else
        d->est_off_ns += (off - d->est_off_ns) / 256;
    d->est_ok = 1;
    atomic_store_explicit(&d->origin_ns, (int64_t)d->est_off_ns, memory_order_relaxed);
}

/* ---- messages ----------------------------------------------------------------------- */

static int cmp_kv(const void *a, const void *b)
{
    return (int)((const struct dirt_kv *)a)->key - (int)((const struct dirt_kv *)b)->key;
}

/* Set key k (a name of keys[]) to a number or a string; a later value of
 * the same name wins. */
static void ev_set(struct dirt *d, struct dirt_ev *ev, int *strlen_used, const char *k, double num, const char *str)
{
    int ki = key_index(d, k);
    if (ki < 0)
        return;
    struct dirt_kv *kv = NULL;
    for (int i = 0; i < ev->nkv; i++)
        if (ev->kv[i].key == ki)
            kv = &ev->kv[i];
    if (!kv && ev->nkv == DIRT_MAX_CONTROLS)
        return;
    if (!kv)
        kv = &ev->kv[ev->nkv++];
    kv->key = (uint16_t)ki;
    kv->num = num;
    kv->str = -1;
    size_t n = str ? strlen(str) + 1 : 0;
    if (str && (size_t)*strlen_used + n <= DIRT_STRS) {
        memcpy(ev->strs + *strlen_used, str, n);
        kv->str = (int16_t)*strlen_used;
        *strlen_used += (int)n;
    } else if (str) {
        ev->nkv--;                  /* no room for the string: left out */
    }
}

/* Tidal's bookkeeping names: no controls, nothing to warn about. */
static int meta_name(const char *k)
{
    static const char *const meta[] = { "cps", "cycle", "delta", "_id_", "latency", "id" };
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        if (!strcmp(k, meta[i]))
            return 1;
    return 0;
}

/* s "bd:3": the name before ':' (into buf), *n the number after (or -1). */
static const char *split_sound(const char *s, char *buf, size_t cap, double *n)
{
    const char *colon = strchr(s, ':');
    *n = -1;
    if (!colon)
        return s;
    size_t len = (size_t)(colon - s);
    if (len >= cap)
        len = cap - 1;
    memcpy(buf, s, len);
    buf[len] = 0;
    char *end;
    double x = strtod(colon + 1, &end);
    if (end != colon + 1 && isfinite(x))
        *n = x;
    return buf;
}

/* The engine frame of time tag t: -1 for "now"; *ahead_ok 0 when too far. */
static int64_t frame_of(struct dirt *d, uint64_t t, int *ahead_ok)
{
    double origin;
    *ahead_ok = 1;
    if (t == OSC_TIME_NOW || clock_origin(d, &origin))
        return -1;
    double f = ((double)osc_time_to_unix_ns(t) - origin) * d->o.sample_rate / 1e9;
    double now = (double)atomic_load_explicit(&d->pos_now, memory_order_relaxed);
    if (d->fixed)
        now = ((double)realtime_ns() - origin) * d->o.sample_rate / 1e9;
    if (!(f - now < (double)DIRT_MAX_AHEAD_S * d->o.sample_rate))
        *ahead_ok = 0;
    if (f < 0)
        return 0;
    return (int64_t)floor(f + 0.5);
}

/* What a /dirt/play message says, read pair by pair. */
struct pairs {
    struct dirt_ev ev;              /* its controls so far */
    int used;                       /* bytes of ev.strs */
    const char *sound;
    double delta, cps, n_split, lag;
    char namebuf[NAME_MAX_LEN + 1];
};

/* One name-value pair into pp. */
static void read_pair(struct dirt *d, struct pairs *pp, const char *k, const struct osc_arg *v)
{
    int is_str = v->type == 's', is_num = strchr("ifdhcTF", v->type) != NULL;
    if (!strcmp(k, "s") || !strcmp(k, "sound")) {
        if (is_str)
            pp->sound = split_sound(v->str, pp->namebuf, sizeof pp->namebuf, &pp->n_split);
    } else if (!strcmp(k, "delta") && is_num) {
        pp->delta = v->num;
    } else if (!strcmp(k, "cps") && is_num) {
        pp->cps = v->num;
    } else if (!strcmp(k, "lag") && is_num && fabs(v->num) < 10) {
        pp->lag = v->num;                   /* SuperDirt: seconds added to the event's time */
    } else if (meta_name(k)) {
        return;
    } else if (key_index(d, k) >= 0 && (is_str || is_num)) {
        int ki = key_index(d, k);
        if (d->ignored[ki])
            warn_once(d, k, "'%s' does nothing in phonon (%s)", k, d->ignored[ki]);
        if (!is_num || isfinite(v->num))
            ev_set(d, &pp->ev, &pp->used, k, is_num ? v->num : 0, is_str ? v->str : NULL);
    } else {
        count(&d->unknown_names);
        warn_once(d, k, "'%s' is no control of phonon's: ignored (man phonon-language lists them)", k);
    }
}

/* The pairs of m into pp: 0, or -1 for a message that is no list of pairs
 * (counted as malformed). */
static int read_pairs(struct dirt *d, const struct osc_msg *m, struct pairs *pp)
{
    memset(pp, 0, sizeof *pp);
    pp->delta = pp->cps = pp->n_split = -1;
    for (int i = 0; i < m->nargs; i += 2)
        if (i + 1 == m->nargs || m->args[i].type != 's') {
            count(&d->malformed);
            warn_once(d, "#pairs", "a %s message that is not name-value pairs was ignored", m->addr);
            return -1;
        }
    for (int i = 0; i < m->nargs; i += 2)
        read_pair(d, pp, m->args[i].str, &m->args[i + 1]);
    return 0;
}

/* Event ev, at time tag t, onto the ring (or dropped and counted). */
static void enqueue(struct dirt *d, struct dirt_ev *ev, uint64_t t)
{
    int ahead_ok;
    ev->frame = frame_of(d, t, &ahead_ok);
    ev->t_ns = t == OSC_TIME_NOW ? 0 : osc_time_to_unix_ns(t);
    size_t head = atomic_load_explicit(&d->head, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&d->tail, memory_order_acquire);
    if (!ahead_ok || head - tail >= DIRT_QUEUE) {
        count(&d->dropped);
        return;
    }
    d->ring[head % DIRT_QUEUE] = *ev;
    atomic_store_explicit(&d->head, head + 1, memory_order_release);
    count(&d->events);
}

/* A /dirt/play message: its pairs read, its sound resolved, onto the ring. */
static void play(struct dirt *d, const struct osc_msg *m)
{
    struct pairs pp;
    if (read_pairs(d, m, &pp))
        return;
    struct table *t = pp.sound ? table_for(d, pp.sound) : NULL;
    if (!t) {
        count(&d->no_sound);
        if (!pp.sound)
            warn_once(d, "#nos", "a %s message without s was ignored", m->addr);
        return;
    }
    ev_set(d, &pp.ev, &pp.used, "s", 0, pp.sound);
    int has_n = 0;
    for (int i = 0; i < pp.ev.nkv; i++)
        has_n |= !strcmp(d->keys[pp.ev.kv[i].key], "n");
    if (pp.n_split >= 0 && !has_n)
        ev_set(d, &pp.ev, &pp.used, "n", pp.n_split, NULL);
    qsort(pp.ev.kv, (size_t)pp.ev.nkv, sizeof *pp.ev.kv, cmp_kv);
    pp.ev.dur = (pp.delta > 0 ? pp.delta : pp.cps > 0 ? 1 / pp.cps : 1) * d->o.sample_rate;
    pp.ev.table = &t->prog;
    uint64_t time = m->time;
    if (pp.lag != 0 && time != OSC_TIME_NOW)
        time = osc_time_from_unix_ns(osc_time_to_unix_ns(time) + (int64_t)llround(pp.lag * 1e9));
    enqueue(d, &pp.ev, time);
}

/* SuperDirt's handshake reply (SuperDirt.sc, handshakeReplyData). */
static void handshake(struct dirt *d)
{
    struct osc_out o;
    osc_out_begin(&o, d->reply, d->reply_cap, "/dirt/handshake/reply", ",sssisi");
    osc_out_str(&o, "&serverHostname");
    osc_out_str(&o, d->o.host ? d->o.host : "127.0.0.1");
    osc_out_str(&o, "&serverPort");
    osc_out_int(&o, d->o.port);
    osc_out_str(&o, "&controlBusIndices");
    osc_out_int(&o, 0);
    d->reply_len = osc_out_end(&o) > 0 ? osc_out_end(&o) : 0;
    count(&d->handshakes);
}

static void on_msg(void *user, const struct osc_msg *m)
{
    struct dirt *d = user;
    if (!strcmp(m->addr, "/dirt/play") || !strcmp(m->addr, "/play2")) {
        play(d, m);
    } else if (!strcmp(m->addr, "/dirt/handshake")) {
        handshake(d);
    } else if (!strcmp(m->addr, "/dirt/hello")) {
        struct osc_out o;
        osc_out_begin(&o, d->reply, d->reply_cap, "/dirt/hello/reply", ",");
        d->reply_len = osc_out_end(&o) > 0 ? osc_out_end(&o) : 0;
    } else {
        count(&d->other);
        warn_once(d, m->addr, "messages to %s are not understood; ignored", m->addr);
    }
}

long dirt_packet(struct dirt *d, const void *buf, size_t len, void *reply, size_t cap)
{
    count(&d->packets);
    d->reply = reply;
    d->reply_cap = cap;
    d->reply_len = 0;
    if (osc_decode(buf, len, &d->scratch, on_msg, d) < 0) {
        long n = atomic_fetch_add_explicit(&d->malformed, 1, memory_order_relaxed) + 1;
        if (d->o.warn && (n & (n - 1)) == 0)        /* the 1st, 2nd, 4th, 8th ... */
            fprintf(d->o.warn, "phonon dirt: warning: malformed OSC packet of %zu bytes ignored (%ld so far)\n", len,
                    n);
    }
    return d->reply_len;
}

/* ---- the audio thread ------------------------------------------------------------------ */

/* Start one event's voices at `frame` of this block. */
static void start(struct voice_pool *vp, const struct dirt *d, const struct dirt_ev *ev, int frame,
                  const struct voice_block *vb)
{
    struct pat_kv kv[DIRT_MAX_CONTROLS];
    for (int i = 0; i < ev->nkv; i++) {
        kv[i].key = d->keys[ev->kv[i].key];
        kv[i].v = ev->kv[i].str >= 0 ? val_str(ev->strs + ev->kv[i].str) : val_num(ev->kv[i].num);
    }
    struct pat_ev pe;
    memset(&pe, 0, sizeof pe);
    pe.v.kind = VAL_MAP;
    pe.v.n = (uint32_t)ev->nkv;
    pe.v.u.map = kv;
    pe.has_whole = 1;
    if (d->midi && midi_is_event(pe.v)) {
        /* Tidal has put nudge into the time tag already: not twice */
        int n = 0;
        for (int i = 0; i < ev->nkv; i++)
            if (strcmp(kv[i].key, "nudge"))
                kv[n++] = kv[i];
        pe.v.n = (uint32_t)n;
        midi_event(d->midi, pe.v, frame, ev->dur);
        return;
    }
    voice_start(vp, ev->table, -1, &pe, frame, ev->dur, vb);
}

static void inject(void *user, struct voice_pool *vp, int64_t pos, const struct voice_block *vb)
{
    struct dirt *d = user;
    if (!d->fixed)
        clock_block(d, pos);
    atomic_store_explicit(&d->pos_now, pos, memory_order_relaxed);
    size_t tail = atomic_load_explicit(&d->tail, memory_order_relaxed);
    size_t head = atomic_load_explicit(&d->head, memory_order_acquire);
    while (tail != head && d->npending < DIRT_QUEUE)
        d->pending[d->npending++] = d->ring[tail++ % DIRT_QUEUE];
    atomic_store_explicit(&d->tail, tail, memory_order_release);
    int w = 0, started = 0;
    long dropped = 0, late = 0;
    int64_t late_max = 0, end = pos + vb->frames;
    for (int i = 0; i < d->npending; i++) {
        const struct dirt_ev *ev = &d->pending[i];
        if (ev->frame >= end) {
            if (w != i)
                d->pending[w] = *ev;
            w++;
            continue;
        }
        if (started == DIRT_MAX_PER_BLOCK) {
            dropped++;
            continue;
        }
        int64_t f = ev->frame < 0 ? pos : ev->frame;
        if (f < pos) {
            late++;
            late_max = pos - f > late_max ? pos - f : late_max;
            f = pos;
        }
        start(vp, d, ev, (int)(f - pos), vb);
        started++;
        int k = atomic_load_explicit(&d->nerrs, memory_order_relaxed);
        if (ev->t_ns && k < MAX_ERRS) {
            if (!k) {
                d->first_t = ev->t_ns;
                d->first_f = f;
            }
            double e = (double)(f - d->first_f) * 1e9 / d->o.sample_rate - (double)(ev->t_ns - d->first_t);
            d->errs[k] = (int32_t)(e > 2e9 ? 2e9 : e < -2e9 ? -2e9 : e);
            atomic_store_explicit(&d->nerrs, k + 1, memory_order_release);
        }
    }
    d->npending = w;
    if (started)
        atomic_fetch_add_explicit(&d->started, started, memory_order_relaxed);
    if (dropped)
        atomic_fetch_add_explicit(&d->dropped, dropped, memory_order_relaxed);
    if (late) {
        atomic_fetch_add_explicit(&d->late, late, memory_order_relaxed);
        if (late_max > atomic_load_explicit(&d->late_max_frames, memory_order_relaxed))
            atomic_store_explicit(&d->late_max_frames, late_max, memory_order_relaxed);
    }
}

/* ---- statistics ------------------------------------------------------------------------ */

void dirt_get_stats(struct dirt *d, struct dirt_stats *st)
{
    memset(st, 0, sizeof *st);
    st->packets = atomic_load(&d->packets);
    st->malformed = atomic_load(&d->malformed);
    st->events = atomic_load(&d->events);
    st->started = atomic_load(&d->started);
    st->late = atomic_load(&d->late);
    st->late_max_ms = (double)atomic_load(&d->late_max_frames) * 1e3 / d->o.sample_rate;
    st->dropped = atomic_load(&d->dropped);
    st->no_sound = atomic_load(&d->no_sound);
    st->unknown_names = atomic_load(&d->unknown_names);
    st->other = atomic_load(&d->other);
    st->handshakes = atomic_load(&d->handshakes);
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

int dirt_timing(struct dirt *d, double *p50_ms, double *p99_ms, double *max_ms)
{
    int n = atomic_load_explicit(&d->nerrs, memory_order_acquire);
    int32_t *c = n ? malloc(sizeof *c * (size_t)n) : NULL;
    *p50_ms = *p99_ms = *max_ms = 0;
    if (!c)
        return 0;
    memcpy(c, d->errs, sizeof *c * (size_t)n);
    qsort(c, (size_t)n, sizeof *c, cmp_i32);
    int32_t med = c[(n - 1) / 2];
    for (int i = 0; i < n; i++)
        c[i] = abs(c[i] - med);             /* from the median: a constant latency is no error */
    qsort(c, (size_t)n, sizeof *c, cmp_i32);
    *p50_ms = c[(n - 1) / 2] * 1e-6;
    *p99_ms = c[(int)ceil(0.99 * n) - 1] * 1e-6;
    *max_ms = c[n - 1] * 1e-6;
    free(c);
    return n;
}

void dirt_print_stats(struct dirt *d, FILE *f)
{
    struct dirt_stats s;
    dirt_get_stats(d, &s);
    double p50, p99, mx;
    int n = dirt_timing(d, &p50, &p99, &mx);
    if (n)
        fprintf(f, "dirt timing: onsets against time tags over %d events, on the audio clock: |error| p50 %.4f "
                   "p99 %.4f max %.4f ms (one frame: %.4f ms)\n", n, p50, p99, mx, 1e3 / d->o.sample_rate);
    fprintf(f, "dirt: %ld packets, %ld events, %ld started, %ld late (at most %.1f ms), %ld dropped, "
               "%ld without a playable sound, %ld malformed, %ld unknown names, %ld other messages, %ld handshakes\n",
            s.packets, s.events, s.started, s.late, s.late_max_ms, s.dropped, s.no_sound, s.malformed,
            s.unknown_names, s.other, s.handshakes);
}
