/* midi_alsa.c -- MIDI out through ALSA's sequencer (midi.h: the timing).
 *
 * A sequencer client "phonon" with one output port, connected to the port
 * --midi-out names, and a queue on the high-resolution timer (snd-hrtimer;
 * the default timer where it is missing). The MIDI thread reads
 * the ring every millisecond: clock marks update the map from frames to
 * CLOCK_MONOTONIC, messages go to the queue stamped with their real time
 * (ALSA's MIDI encoder turns the bytes into sequencer events). ALSA
 * delivers each at its time; one stamped in the past goes out at once.
 *
 * Closing: the thread sends what is left, the events still queued are
 * removed, and every note still on gets its note-off directly (not
 * queued), so nothing keeps sounding after phonon.
 *
 * Without ALSA (PHONON_HAVE_ALSA unset: macOS, or no libasound2-dev) the
 * same functions say that this build has no MIDI devices.
 */
#include "midi.h"

#include <stdlib.h>
#include <string.h>

#ifdef PHONON_HAVE_ALSA

#include "phonon.h"

#include <alsa/asoundlib.h>
#include <pthread.h>
#include <time.h>

struct midi_dev {
    struct midi *m;
    snd_seq_t *seq;
    snd_midi_event_t *enc;
    int port, queue;
    int sr;
    int64_t latency_ns;
    int64_t q0_ns;                  /* CLOCK_MONOTONIC when the queue started */
    double base_ns;                 /* the frame-to-clock offset (midi.h) */
    int have_base;
    char name[160];
    pthread_t th;
    int running;
    atomic_int stop;
};

int midi_have_devices(void) { return 1; }

/* Each writable port (not our own, not the system's), in ALSA's order:
 * fn(ctx, index, client, port, client name, port name); stops when fn
 * returns non-zero. */
static int each_port(snd_seq_t *seq, int (*fn)(void *, int, int, int, const char *, const char *), void *ctx)
{
    snd_seq_client_info_t *ci;
    snd_seq_port_info_t *pi;
    snd_seq_client_info_alloca(&ci);
    snd_seq_port_info_alloca(&pi);
    snd_seq_client_info_set_client(ci, -1);
    int idx = 0, self = snd_seq_client_id(seq);
    while (snd_seq_query_next_client(seq, ci) >= 0) {
        int c = snd_seq_client_info_get_client(ci);
        if (c == SND_SEQ_CLIENT_SYSTEM || c == self)
            continue;
        snd_seq_port_info_set_client(pi, c);
        snd_seq_port_info_set_port(pi, -1);
        while (snd_seq_query_next_port(seq, pi) >= 0) {
            unsigned cap = snd_seq_port_info_get_capability(pi);
            unsigned want = SND_SEQ_PORT_CAP_WRITE | SND_SEQ_PORT_CAP_SUBS_WRITE;
            if ((cap & want) != want || (cap & SND_SEQ_PORT_CAP_NO_EXPORT))
                continue;
            if (fn(ctx, idx++, c, snd_seq_port_info_get_port(pi), snd_seq_client_info_get_name(ci),
                   snd_seq_port_info_get_name(pi)))
                return 1;
        }
    }
    return 0;
}

static int print_port(void *ctx, int idx, int c, int p, const char *cname, const char *pname)
{
    fprintf(ctx, "%d\t%d:%d\t%s: %s\n", idx, c, p, cname, pname);
    return 0;
}

/* libasound prints its errors on stderr; ours say what to do instead. */
static void alsa_quiet(const char *file, int line, const char *fn, int err, const char *fmt, ...)
{
    (void)file, (void)line, (void)fn, (void)err, (void)fmt;
}

static int open_seq(snd_seq_t **seq, char *msg, size_t msg_size)
{
    snd_lib_error_set_handler(alsa_quiet);
    int err = snd_seq_open(seq, "default", SND_SEQ_OPEN_OUTPUT, 0);
    if (err < 0) {
        snprintf(msg, msg_size, "cannot open ALSA's sequencer (%s); is /dev/snd/seq there (modprobe snd-seq)?",
                 snd_strerror(err));
        return -1;
    }
    return 0;
}

int midi_list(FILE *f, char *msg, size_t msg_size)
{
    snd_seq_t *seq;
    if (open_seq(&seq, msg, msg_size))
        return -1;
    each_port(seq, print_port, f);
    snd_seq_close(seq);
    return 0;
}

struct find {
    const char *which;
    int want_idx, want_c, want_p;   /* -1: not given that way */
    int c, p;
    char name[160];
};

static int match_port(void *ctx, int idx, int c, int p, const char *cname, const char *pname)
{
    struct find *f = ctx;
    int hit = f->want_idx >= 0 ? idx == f->want_idx
            : f->want_c >= 0   ? c == f->want_c && p == f->want_p
                               : strstr(cname, f->which) || strstr(pname, f->which);
    if (hit) {
        f->c = c;
        f->p = p;
        snprintf(f->name, sizeof f->name, "%d:%d %s: %s", c, p, cname, pname);
    }
    return hit;
}

/* The port `which` names: an index, CLIENT:PORT, or part of a name. */
static int find_port(snd_seq_t *seq, const char *which, struct find *f)
{
    memset(f, 0, sizeof *f);
    f->which = which;
    f->want_idx = f->want_c = f->want_p = -1;
    char *end;
    long a = strtol(which, &end, 10);
    if (end != which && *end == '\0')
        f->want_idx = (int)a;
    else if (end != which && *end == ':') {
        char *e2;
        long b = strtol(end + 1, &e2, 10);
        if (e2 != end + 1 && *e2 == '\0') {
            f->want_c = (int)a;
            f->want_p = (int)b;
        }
    }
    return each_port(seq, match_port, f) ? 0 : -1;
}

/* The queue on the high-resolution timer where the kernel has it (the
 * system timer ticks at HZ, 4 ms at 250 Hz); else the default stays. */
static void queue_hrtimer(snd_seq_t *seq, int q)
{
    snd_seq_queue_timer_t *qt;
    snd_timer_id_t *id;
    snd_seq_queue_timer_alloca(&qt);
    snd_timer_id_alloca(&id);
    if (snd_seq_get_queue_timer(seq, q, qt) < 0)
        return;
    snd_timer_id_set_class(id, SND_TIMER_CLASS_GLOBAL);
    snd_timer_id_set_sclass(id, SND_TIMER_SCLASS_NONE);
    snd_timer_id_set_card(id, -1);
    snd_timer_id_set_device(id, SND_TIMER_GLOBAL_HRTIMER);
    snd_timer_id_set_subdevice(id, 0);
    snd_seq_queue_timer_set_type(qt, SND_SEQ_TIMER_ALSA);
    snd_seq_queue_timer_set_id(qt, id);
    snd_seq_set_queue_timer(seq, q, qt);
}

static int64_t queue_now_ns(struct midi_dev *d)
{
    return phonon_mono_ns() - d->q0_ns;
}

/* A message's bytes as a sequencer event from our port; scheduled at
 * queue time t_ns, or direct (t_ns < 0). */
static void out_msg(struct midi_dev *d, const struct midi_msg *msg, int64_t t_ns)
{
    snd_seq_event_t ev;
    snd_seq_ev_clear(&ev);
    snd_midi_event_reset_encode(d->enc);
    if (snd_midi_event_encode(d->enc, msg->b, msg->len, &ev) <= 0 || ev.type == SND_SEQ_EVENT_NONE)
        return;
    snd_seq_ev_set_source(&ev, d->port);
    snd_seq_ev_set_subs(&ev);
    if (t_ns < 0) {
        snd_seq_ev_set_direct(&ev);
    } else {
        snd_seq_real_time_t rt = { (unsigned)(t_ns / 1000000000), (unsigned)(t_ns % 1000000000) };
        snd_seq_ev_schedule_real(&ev, d->queue, 0, &rt);
    }
    snd_seq_event_output(d->seq, &ev);
}

/* Clock marks move the map; messages go out at their mapped time. */
static void handle(struct midi_dev *d, const struct midi_msg *msg, int direct)
{
    double per_frame = 1e9 / d->sr;
    if (!msg->len) {
        double off = (double)msg->ns - (double)msg->frame * per_frame;
        if (!d->have_base || off < d->base_ns)
            d->base_ns = off;
        else
            d->base_ns += (off - d->base_ns) * 0.001;
        d->have_base = 1;
        return;
    }
    int64_t t = (int64_t)(d->base_ns + (double)msg->frame * per_frame) + d->latency_ns - d->q0_ns;
    int64_t now = queue_now_ns(d);
    out_msg(d, msg, direct || !d->have_base ? -1 : t < now ? now : t);
}

static int pump(struct midi_dev *d, int direct)
{
    struct midi_msg buf[256];
    int n, total = 0;
    while ((n = midi_drain(d->m, buf, 256)) > 0) {
        for (int i = 0; i < n; i++)
            handle(d, &buf[i], direct);
        total += n;
    }
    if (total)
        snd_seq_drain_output(d->seq);
    return total;
}

static void *midi_thread(void *arg)
{
    struct midi_dev *d = arg;
    while (!atomic_load(&d->stop)) {
        pump(d, 0);
        struct timespec ts = { 0, 1000000 };
        nanosleep(&ts, NULL);
    }
    return NULL;
}

static struct midi_dev *dev_fail(struct midi_dev *d)
{
    if (d->enc)
        snd_midi_event_free(d->enc);
    if (d->seq)
        snd_seq_close(d->seq);
    free(d);
    return NULL;
}

struct midi_dev *midi_dev_open(struct midi *m, const char *which, int sample_rate, double latency, char *msg,
                               size_t msg_size)
{
    struct midi_dev *d = calloc(1, sizeof *d);
    if (!d) {
        snprintf(msg, msg_size, "out of memory");
        return NULL;
    }
    d->m = m;
    d->sr = sample_rate;
    d->latency_ns = (int64_t)(latency * 1e9);
    if (open_seq(&d->seq, msg, msg_size))
        return dev_fail(d);
    snd_seq_set_client_name(d->seq, "phonon");
    snd_seq_set_client_pool_output(d->seq, 2048);   /* events in flight: a latency's worth of a dense pattern */
    struct find f;
    if (find_port(d->seq, which, &f)) {
        snprintf(msg, msg_size, "no MIDI port '%s' (phonon live --list-midi lists them)", which);
        return dev_fail(d);
    }
    snprintf(d->name, sizeof d->name, "%s", f.name);
    d->port = snd_seq_create_simple_port(d->seq, "out", SND_SEQ_PORT_CAP_READ | SND_SEQ_PORT_CAP_SUBS_READ,
                                         SND_SEQ_PORT_TYPE_MIDI_GENERIC | SND_SEQ_PORT_TYPE_APPLICATION);
    d->queue = snd_seq_alloc_named_queue(d->seq, "phonon");
    int err = d->port < 0 ? d->port : d->queue < 0 ? d->queue : 0;
    if (!err)
        err = snd_seq_connect_to(d->seq, d->port, f.c, f.p);
    if (!err)
        err = snd_midi_event_new(16, &d->enc);
    if (err < 0) {
        snprintf(msg, msg_size, "cannot connect to MIDI port %s (%s)", f.name, snd_strerror(err));
        return dev_fail(d);
    }
    queue_hrtimer(d->seq, d->queue);
    snd_seq_start_queue(d->seq, d->queue, NULL);
    snd_seq_drain_output(d->seq);
    d->q0_ns = phonon_mono_ns();
    if (pthread_create(&d->th, NULL, midi_thread, d)) {
        snprintf(msg, msg_size, "cannot start the MIDI thread");
        return dev_fail(d);
    }
    d->running = 1;
    return d;
}

const char *midi_dev_name(const struct midi_dev *d) { return d->name; }

void midi_dev_close(struct midi_dev *d)
{
    if (!d)
        return;
    if (d->running) {
        atomic_store(&d->stop, 1);
        pthread_join(d->th, NULL);
    }
    pump(d, 0);                         /* what the last blocks sent, queued */
    snd_seq_remove_events_t *rm;        /* then nothing still queued plays */
    if (snd_seq_remove_events_malloc(&rm) == 0) {
        snd_seq_remove_events_set_condition(rm, SND_SEQ_REMOVE_OUTPUT);
        snd_seq_remove_events_set_queue(rm, d->queue);
        snd_seq_remove_events(d->seq, rm);
        snd_seq_remove_events_free(rm);
    }
    midi_all_off(d->m, -1);             /* the audio thread has stopped: ours now */
    pump(d, 1);
    snd_seq_drain_output(d->seq);
    snd_seq_stop_queue(d->seq, d->queue, NULL);
    snd_seq_drain_output(d->seq);
    snd_seq_free_queue(d->seq, d->queue);
    dev_fail(d);
}

#else /* no ALSA */

struct midi_dev {
    int unused;
};

static const char no_midi[] = "this build of phonon has no MIDI devices (built without ALSA); "
                              "render --midi-file still writes MIDI files";

int midi_have_devices(void) { return 0; }

int midi_list(FILE *f, char *msg, size_t msg_size)
{
    (void)f;
    snprintf(msg, msg_size, "%s", no_midi);
    return -1;
}

struct midi_dev *midi_dev_open(struct midi *m, const char *which, int sample_rate, double latency, char *msg,
                               size_t msg_size)
{
    (void)m, (void)which, (void)sample_rate, (void)latency;
    snprintf(msg, msg_size, "%s", no_midi);
    return NULL;
}

const char *midi_dev_name(const struct midi_dev *d)
{
    (void)d;
    return "";
}

void midi_dev_close(struct midi_dev *d) { (void)d; }

#endif
