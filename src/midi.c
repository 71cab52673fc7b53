/* midi.c -- MIDI out: events to messages, the ring, note-offs, MIDI files.
 *
 * The meaning and the timing are in midi.h; the ALSA device is midi_alsa.c.
 * Here: what an event sends (midi_event, one short function a message
 * kind), the note-offs still to come (a fixed table the audio thread owns),
 * the ring the messages leave by, and the Standard MIDI File writer that
 * render --midi-file uses.
 */
#include "midi.h"
#include "graph.h"
#include "phonon.h"
#include "voice.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct noteoff {
    int64_t frame;
    uint8_t chan, note, vel;
};

struct midi {
    int sr;
    struct midi_msg *ring;
    _Atomic uint32_t head;          /* next slot the producer writes */
    _Atomic uint32_t tail;          /* next slot the consumer reads */
    int64_t pos, end;               /* audio thread: the block being rendered */
    struct noteoff on[MIDI_MAX_ON]; /* audio thread: note-offs to come */
    int non;
    unsigned chans;                 /* audio thread: channels used since the last all-off */
    _Atomic long sent, dropped, bad_cmds, out_of_range;
};

struct midi *midi_new(int sample_rate)
{
    struct midi *m = calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->ring = calloc(MIDI_RING, sizeof *m->ring);
    if (!m->ring) {
        free(m);
        return NULL;
    }
    m->sr = sample_rate;
    return m;
}

void midi_free(struct midi *m)
{
    if (!m)
        return;
    free(m->ring);
    free(m);
}

static void count(_Atomic long *c)
{
    atomic_fetch_add_explicit(c, 1, memory_order_relaxed);
}

/* ---- the ring: one producer, one consumer --------------------------------------- */

static void push(struct midi *m, const struct midi_msg *msg)
{
    uint32_t h = atomic_load_explicit(&m->head, memory_order_relaxed);
    uint32_t t = atomic_load_explicit(&m->tail, memory_order_acquire);
    if (h - t >= MIDI_RING) {
        if (msg->len)
            count(&m->dropped);
        return;
    }
    m->ring[h & (MIDI_RING - 1)] = *msg;
    atomic_store_explicit(&m->head, h + 1, memory_order_release);
    if (msg->len)
        count(&m->sent);
}

static void send3(struct midi *m, int64_t at, int status, int a, int b, int len)
{
    struct midi_msg msg = { .frame = at < 0 ? 0 : at, .len = (uint8_t)len };
    msg.b[0] = (uint8_t)status;
    msg.b[1] = (uint8_t)(a < 0 ? 0 : a > 127 ? 127 : a);
    msg.b[2] = (uint8_t)(b < 0 ? 0 : b > 127 ? 127 : b);
    if (status < 0xF0)
        m->chans |= 1u << (status & 15);
    push(m, &msg);
}

int midi_drain(struct midi *m, struct midi_msg *out, int max)
{
    uint32_t t = atomic_load_explicit(&m->tail, memory_order_relaxed);
    uint32_t h = atomic_load_explicit(&m->head, memory_order_acquire);
    int n = 0;
    while (t != h && n < max)
        out[n++] = m->ring[t++ & (MIDI_RING - 1)];
    atomic_store_explicit(&m->tail, t, memory_order_release);
    return n;
}

void midi_get_stats(struct midi *m, struct midi_stats *st)
{
    st->sent = atomic_load_explicit(&m->sent, memory_order_relaxed);
    st->dropped = atomic_load_explicit(&m->dropped, memory_order_relaxed);
    st->bad_cmds = atomic_load_explicit(&m->bad_cmds, memory_order_relaxed);
    st->out_of_range = atomic_load_explicit(&m->out_of_range, memory_order_relaxed);
}

/* ---- note-offs ---------------------------------------------------------------------- */

static void noteoff_now(struct midi *m, const struct noteoff *o, int64_t at)
{
    send3(m, at, 0x80 | o->chan, o->note, o->vel, 3);
}

/* A note-off at o->frame: sent now when it falls in this block (or the
 * table is full), else kept until its block. */
static void noteoff_later(struct midi *m, const struct noteoff *o)
{
    if (o->frame < m->end || m->non == MIDI_MAX_ON)
        noteoff_now(m, o, o->frame);
    else
        m->on[m->non++] = *o;
}

void midi_block(struct midi *m, int64_t pos, int frames)
{
    m->pos = pos;
    m->end = pos + frames;
    struct midi_msg mark = { .frame = pos, .ns = phonon_mono_ns() };
    push(m, &mark);
    for (int i = 0; i < m->non;) {
        if (m->on[i].frame < m->end) {
            noteoff_now(m, &m->on[i], m->on[i].frame);
            m->on[i] = m->on[--m->non];
        } else {
            i++;
        }
    }
}

void midi_all_off(struct midi *m, int64_t at)
{
    if (at < 0)
        at = m->end;
    for (int i = 0; i < m->non; i++)
        noteoff_now(m, &m->on[i], at);
    m->non = 0;
    unsigned used = m->chans;
    for (int ch = 0; ch < 16; ch++)
        if (used >> ch & 1)
            send3(m, at, 0xB0 | ch, 123, 0, 3);
    m->chans = 0;
}

/* ---- an event ----------------------------------------------------------------------- */

/* v's key as a number (numbers, numeric strings), or dflt. */
static double num(struct val v, const char *key, double dflt)
{
    const struct val *x = val_map_get(v, key);
    double d;
    if (x && x->kind == VAL_NUM)
        return x->u.num;
    if (x && x->kind == VAL_STR && val_parse_number(x->u.str, strlen(x->u.str), &d))
        return d;
    if (x && x->kind == VAL_BOOL)
        return x->u.b;
    return dflt;
}

static int has(struct val v, const char *key) { return val_map_get(v, key) != NULL; }

static int clamp_int(double x, int lo, int hi)
{
    if (!(x >= lo))
        return lo;
    return x > hi ? hi : (int)x;
}

/* One event's facts, worked out once. */
struct mev {
    int64_t at;                     /* frame of its messages */
    int chan;
    double sus_frames;              /* note length, before the fade */
    int vel;
    const char *cmd;                /* midicmd, or NULL */
    int cmd_done;                   /* the above already sent it */
};

int midi_program_plays(const struct program *p)
{
    for (int i = 0; p && i < p->nsounds; i++)
        if (p->sounds[i].kind == SND_MIDI)
            return 1;
    return 0;
}

int midi_is_event(struct val v)
{
    const struct val *s = val_map_get(v, "s");
    return s && s->kind == VAL_STR && strcmp(s->u.str, "midi") == 0;
}

/* The notes of the event as MIDI note numbers (note + n, octave; a chord's
 * every note), SuperDirt's rounding; their count. */
static int midi_notes(struct val v, int *out, int max)
{
    double notes[8] = { 0 };
    int n = 1;
    const struct val *nv = val_map_get(v, "note");
    if (nv && nv->kind == VAL_STR && strchr(nv->u.str, '\'')) {
        int k = voice_chord(nv->u.str, notes, 8);
        n = k < 1 ? 1 : k;
    } else {
        notes[0] = num(v, "note", 0);
    }
    double add = 60 + num(v, "n", 0) + 12 * (num(v, "octave", 4) - 4);
    int k = 0;
    for (int i = 0; i < n && k < max; i++)
        out[k++] = (int)floor(notes[i] + add + 0.5);
    return k;
}

/* A note-on now and its note-off after the note's length (SuperDirt's: the
 * fade time min(1 ms, 19 %) taken off). */
static void note_on(struct midi *m, const struct mev *e, int note)
{
    if (note < 0 || note > 127) {
        count(&m->out_of_range);
        return;
    }
    send3(m, e->at, 0x90 | e->chan, note, e->vel, 3);
    double fade = e->sus_frames * 0.19098 < 0.001 * m->sr ? e->sus_frames * 0.19098 : 0.001 * m->sr;
    double len = e->sus_frames - fade;
    struct noteoff o = { .frame = e->at + (len > 0 ? (int64_t)llround(len) : 0), .chan = (uint8_t)e->chan,
                         .note = (uint8_t)note, .vel = (uint8_t)e->vel };
    noteoff_later(m, &o);
}

static void send_notes(struct midi *m, struct val v, const struct mev *e)
{
    int notes[8], n = midi_notes(v, notes, 8);
    for (int i = 0; i < n; i++) {
        if (has(v, "polyTouch"))
            send3(m, e->at, 0xA0 | e->chan, notes[i], clamp_int(num(v, "polyTouch", 125), 0, 127), 3);
        else
            note_on(m, e, notes[i]);
    }
}

static void send_bend(struct midi *m, const struct mev *e, double x)
{
    int b = clamp_int(x, 0, 16383);
    send3(m, e->at, 0xE0 | e->chan, b & 127, b >> 7, 3);
}

/* SuperDirt's NRPN: parameter number and value, 14 bits each. */
static void send_nrpn(struct midi *m, struct val v, const struct mev *e)
{
    int p = clamp_int(num(v, "nrpn", 0), 0, 16383), x = clamp_int(num(v, "val", 0), 0, 16383);
    int cc[6][2] = { { 99, p >> 7 }, { 98, p & 127 }, { 6, x >> 7 }, { 38, x & 127 }, { 101, 127 }, { 100, 127 } };
    for (int i = 0; i < 6; i++)
        send3(m, e->at, 0xB0 | e->chan, cc[i][0], cc[i][1], 3);
}

static int is_cmd(const struct mev *e, const char *name)
{
    return e->cmd && strcasecmp(e->cmd, name) == 0;
}

/* midicmd, when the controls did not already send it. */
static void send_cmd(struct midi *m, struct val v, const struct mev *e)
{
    static const struct { const char *name; int status; } rt[] = {
        { "midiClock", 0xF8 }, { "clock", 0xF8 }, { "start", 0xFA }, { "continue", 0xFB }, { "stop", 0xFC },
    };
    for (size_t i = 0; i < sizeof rt / sizeof *rt; i++)
        if (is_cmd(e, rt[i].name)) {
            send3(m, e->at, rt[i].status, 0, 0, 1);
            return;
        }
    int notes[8], c = e->chan;
    if (is_cmd(e, "noteOn")) {
        midi_notes(v, notes, 1);
        note_on(m, e, notes[0]);
    } else if (is_cmd(e, "noteOff")) {
        midi_notes(v, notes, 1);
        send3(m, e->at, 0x80 | c, notes[0], e->vel, 3);
    } else if (is_cmd(e, "control")) {
        send3(m, e->at, 0xB0 | c, clamp_int(num(v, "ctlNum", num(v, "ccn", 0)), 0, 127),
              clamp_int(num(v, "control", num(v, "ccv", 125)), 0, 127), 3);
    } else if (is_cmd(e, "program")) {
        send3(m, e->at, 0xC0 | c, clamp_int(num(v, "progNum", 1), 0, 127), 0, 2);
    } else if (is_cmd(e, "polyTouch")) {
        midi_notes(v, notes, 1);
        send3(m, e->at, 0xA0 | c, notes[0], clamp_int(num(v, "polyTouch", 125), 0, 127), 3);
    } else if (is_cmd(e, "touch")) {
        send3(m, e->at, 0xD0 | c, clamp_int(num(v, "val", 125), 0, 127), 0, 2);
    } else if (is_cmd(e, "bend")) {
        send_bend(m, e, num(v, "val", 8192));
    } else if (is_cmd(e, "allNotesOff")) {
        send3(m, e->at, 0xB0 | c, 123, 0, 3);
    } else if (is_cmd(e, "songPtr")) {
        int p = clamp_int(num(v, "songPtr", 0), 0, 16383);
        send3(m, e->at, 0xF2, p & 127, p >> 7, 3);
    } else {
        count(&m->bad_cmds);
    }
}

void midi_event(struct midi *m, struct val v, int frame, double dur_frames)
{
    struct mev e = { .at = m->pos + frame + (int64_t)llround(num(v, "nudge", 0) * m->sr) };
    if (e.at < 0)
        e.at = 0;
    e.chan = clamp_int(num(v, "midichan", 0), 0, 15);
    double delta = dur_frames;
    e.sus_frames = has(v, "sustain") ? num(v, "sustain", 0) * m->sr
                 : has(v, "legato") ? delta * num(v, "legato", 1) : delta;
    double g = num(v, "gain", 1);
    g = g > 2 ? 2 : g;
    e.vel = clamp_int(127 * 0.4 * num(v, "amp", 1) * num(v, "velocity", 1) * g * g * g * g, 0, 127);
    const struct val *cmd = val_map_get(v, "midicmd");
    e.cmd = cmd && cmd->kind == VAL_STR ? cmd->u.str : NULL;
    if (has(v, "ccn") && has(v, "ccv")) {
        send3(m, e.at, 0xB0 | e.chan, clamp_int(num(v, "ccn", 0), 0, 127), clamp_int(num(v, "ccv", 0), 0, 127), 3);
        e.cmd_done |= is_cmd(&e, "control");
    }
    if (has(v, "nrpn"))
        send_nrpn(m, v, &e);
    if (has(v, "progNum")) {
        send3(m, e.at, 0xC0 | e.chan, clamp_int(num(v, "progNum", 0), 0, 127), 0, 2);
        e.cmd_done |= is_cmd(&e, "program");
    }
    if (has(v, "midibend")) {
        send_bend(m, &e, num(v, "midibend", 8192));
        e.cmd_done |= is_cmd(&e, "bend");
    }
    if (has(v, "miditouch")) {
        send3(m, e.at, 0xD0 | e.chan, clamp_int(num(v, "miditouch", 0), 0, 127), 0, 2);
        e.cmd_done |= is_cmd(&e, "touch");
    }
    if (has(v, "note") || has(v, "n")) {
        send_notes(m, v, &e);
        e.cmd_done |= is_cmd(&e, "noteOn") || is_cmd(&e, "polyTouch");
    }
    if (e.cmd && !e.cmd_done)
        send_cmd(m, v, &e);
    else if (cmd && !e.cmd)
        count(&m->bad_cmds);
}

/* ---- Standard MIDI Files ------------------------------------------------------------ */

struct midi_file {
    int division;                   /* ticks per quarter note */
    uint32_t tempo;                 /* microseconds per quarter note */
    struct midi_msg *v;             /* kept messages; ns: their order */
    long n, cap;
};

static int64_t gcd64(int64_t a, int64_t b)
{
    while (b) {
        int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

struct midi_file *midi_file_new(int sample_rate, double cps, char *msg, size_t msg_size)
{
    /* a tick is a frame: tempo / division = 1e6 / rate exactly */
    int64_t g = gcd64(sample_rate, 1000000), unit = sample_rate / g, us = 1000000 / g;
    if (sample_rate <= 0 || unit > 32767) {
        snprintf(msg, msg_size, "a MIDI file cannot count frames of %d Hz exactly; try 44100 or 48000",
                 sample_rate);
        return NULL;
    }
    double beat_us = cps > 0 ? 1e6 / (4 * cps) : 500000;
    int64_t k = (int64_t)llround(beat_us / (double)us), kmax = 32767 / unit;
    if (k > 0xFFFFFF / us)
        k = 0xFFFFFF / us;
    k = k < 1 ? 1 : k > kmax ? kmax : k;
    struct midi_file *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(msg, msg_size, "out of memory");
        return NULL;
    }
    f->division = (int)(k * unit);
    f->tempo = (uint32_t)(k * us);
    return f;
}

int midi_file_take(struct midi_file *f, struct midi *m)
{
    struct midi_msg buf[256];
    int n;
    while ((n = midi_drain(m, buf, 256)) > 0) {
        for (int i = 0; i < n; i++) {
            if (!buf[i].len)
                continue;               /* clock marks: the frame is the time here */
            if (f->n == f->cap) {
                long cap = f->cap ? f->cap * 2 : 1024;
                struct midi_msg *v = realloc(f->v, sizeof *v * (size_t)cap);
                if (!v)
                    return -1;
                f->v = v;
                f->cap = cap;
            }
            f->v[f->n] = buf[i];
            f->v[f->n].ns = f->n;
            f->n++;
        }
    }
    return 0;
}

long midi_file_count(const struct midi_file *f) { return f->n; }

void midi_file_free(struct midi_file *f)
{
    if (!f)
        return;
    free(f->v);
    free(f);
}

static int by_time(const void *a, const void *b)
{
    const struct midi_msg *x = a, *y = b;
    if (x->frame != y->frame)
        return x->frame < y->frame ? -1 : 1;
    return (x->ns > y->ns) - (x->ns < y->ns);
}

struct bytes {
    unsigned char *p;
    size_t n, cap;
    int oom;
};

static void put(struct bytes *b, const void *src, size_t n)
{
    if (b->n + n > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096) + n;
        unsigned char *p = realloc(b->p, cap);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

/* A variable-length quantity (7 bits a byte, the last without bit 7). */
static void put_vlq(struct bytes *b, uint64_t x)
{
    unsigned char t[10];
    int n = 0;
    t[n++] = (unsigned char)(x & 127);
    while ((x >>= 7) && n < 10)
        t[n++] = (unsigned char)(0x80 | (x & 127));
    while (n--)
        put(b, &t[n], 1);
}

static void put_be(struct bytes *b, uint32_t x, int n)
{
    for (int i = n - 1; i >= 0; i--) {
        unsigned char c = (unsigned char)(x >> (8 * i));
        put(b, &c, 1);
    }
}

/* Whether msg, at or after the file's end, is kept: the note-off of a
 * note still on (on: counts per channel and note), or all notes off. */
static int keep_at_end(const struct midi_msg *msg, const uint8_t on[16][128])
{
    int st = msg->b[0] & 0xF0;
    if (st == 0xB0 && msg->b[1] == 123)
        return 1;
    int off = st == 0x80 || (st == 0x90 && msg->b[2] == 0);
    return off && on[msg->b[0] & 15][msg->b[1] & 127];
}

/* The track: the tempo, every message (system messages as F7 escapes),
 * the end. */
static void put_track(struct bytes *t, const struct midi_file *f, int64_t last)
{
    static const unsigned char tempo[] = { 0, 0xFF, 0x51, 3 }, end[] = { 0xFF, 0x2F, 0 };
    put(t, tempo, sizeof tempo);
    put_be(t, f->tempo, 3);
    int64_t prev = 0;
    uint8_t on[16][128];
    memset(on, 0, sizeof on);
    for (long i = 0; i < f->n; i++) {
        const struct midi_msg *msg = &f->v[i];
        int64_t at = msg->frame;
        if (last >= 0 && at >= last) {
            if (!keep_at_end(msg, on))
                continue;
            at = last;
        }
        int st = msg->b[0] & 0xF0, ch = msg->b[0] & 15, key = msg->b[1] & 127;
        if (st == 0x90 && msg->b[2] && on[ch][key] < 255)
            on[ch][key]++;
        else if ((st == 0x80 || st == 0x90) && on[ch][key])
            on[ch][key]--;
        put_vlq(t, (uint64_t)(at - prev));
        prev = at;
        if (msg->b[0] >= 0xF0) {
            unsigned char esc = 0xF7;
            put(t, &esc, 1);
            put_vlq(t, msg->len);
        }
        put(t, msg->b, msg->len);
    }
    put_vlq(t, 0);
    put(t, end, sizeof end);
}

int midi_file_write(struct midi_file *f, const char *path, int64_t end, char *msg, size_t msg_size)
{
    qsort(f->v, (size_t)f->n, sizeof *f->v, by_time);
    struct bytes t = { 0 }, all = { 0 };
    put_track(&t, f, end);
    put(&all, "MThd", 4);
    put_be(&all, 6, 4);
    put_be(&all, 0, 2);                 /* format 0: one track */
    put_be(&all, 1, 2);
    put_be(&all, (uint32_t)f->division, 2);
    put(&all, "MTrk", 4);
    put_be(&all, (uint32_t)t.n, 4);
    put(&all, t.p, t.n);
    int rc = 0;
    if (t.oom || all.oom) {
        snprintf(msg, msg_size, "out of memory writing %s", path);
        rc = -1;
    } else {
        FILE *fp = strcmp(path, "-") ? fopen(path, "wb") : stdout;
        int bad = !fp || fwrite(all.p, 1, all.n, fp) != all.n;
        if (fp && (fp != stdout ? fclose(fp) : fflush(fp)))
            bad = 1;
        if (bad) {
            snprintf(msg, msg_size, "cannot write %s", path);
            rc = -1;
        }
    }
    free(t.p);
    free(all.p);
    return rc;
}
