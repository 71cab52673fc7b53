/* dirt.h -- SuperDirt's protocol played by the engine (phonon dirt).
 *
 * Tidal (and anything that speaks to SuperDirt) sends one OSC bundle per
 * event: its time tag is when the event starts, its message /dirt/play (or
 * /play2) holds name-value pairs: s "bd", n 3, gain 1.1, orbit 0, cps 0.56,
 * delta 0.44 (the event's length in seconds), cycle 12.5 ... Each becomes a
 * voice started at the frame its time tag falls on, by the same voice code
 * as the patterns of a .ph file (voice_start), with the same sample roots:
 *
 *   names     the names of PHONON_CONTROLS' keys (controls.h) go to the
 *             voice as they are; cps, cycle, delta, _id_ and latency are
 *             Tidal's bookkeeping (delta gives the voice's length); lag
 *             (seconds) moves the event later, as in SuperDirt; any other
 *             name is counted and warned about once;
 *   sounds    s is a synth of phonon's (superpiano, supersaw ...) or a
 *             sample folder of the roots; "bd:3" is s "bd" with n 3. A name
 *             must be one path component (letters, digits, _ - . and not
 *             starting with '.'): nothing from the network reaches the file
 *             system outside the roots. A name that is neither is warned
 *             about once and its events are dropped;
 *   time      a time tag is Unix time (NTP's era); the frame it falls on
 *             comes from the clock: fixed (dirt_clock_fixed: frame 0 is at
 *             a given time, for renders) or tracked (the audio thread's
 *             block starts against CLOCK_REALTIME, smoothed). Like
 *             scsynth's, a time tag is when the block computing it starts
 *             to be computed: Tidal's latency (0.2 s) covers the device's.
 *             "Now" (and a message outside a bundle) plays at the next
 *             block; an event whose time has passed plays at once and is
 *             counted late; one more than DIRT_MAX_AHEAD_S ahead is dropped;
 *   replies   /dirt/handshake gets /dirt/handshake/reply as SuperDirt sends
 *             it (serverHostname, serverPort, controlBusIndices: one bus,
 *             0, so that Tidal's boot completes; phonon has no control
 *             buses), /dirt/hello gets /dirt/hello/reply.
 *
 * Voices of dirt events sound through the master (phonon has no orbits:
 * the orbit name is accepted and does nothing, as in a .ph file).
 *
 * Bounds: a malformed packet is dropped whole and counted (osc.h); at most
 * DIRT_QUEUE events wait to start (more are dropped and counted), at most
 * DIRT_MAX_PER_BLOCK start in one block (the rest of a flood is dropped
 * and counted), a message carries at most DIRT_MAX_CONTROLS names.
 *
 * Thread context: dirt_new/free/attach/clock_fixed before the audio
 * starts or after it stopped; dirt_packet on one control thread (the
 * network thread); the inject hook on the audio thread (no allocation,
 * locks or printing: a lock-free queue between them); dirt_get_stats
 * anywhere.
 */
#ifndef DIRT_H
#define DIRT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
    DIRT_QUEUE = 2048,              /* events waiting for their block */
    DIRT_MAX_PER_BLOCK = 256,       /* voices started by dirt events in one block */
    DIRT_MAX_CONTROLS = 32,         /* names of one event */
    DIRT_MAX_SOUNDS = 512,          /* distinct sound names resolved */
    DIRT_MAX_AHEAD_S = 60,
};

struct engine;
struct sample_bank;

struct dirt_opts {
    int sample_rate;
    struct sample_bank *bank;       /* borrowed; NULL: synths only */
    const char *host;               /* for the handshake reply */
    int port;
    FILE *warn;                     /* warnings (first of each kind); NULL: none */
};

struct dirt_stats {
    long packets, malformed;        /* datagrams; those dropped as malformed */
    long events;                    /* /dirt/play and /play2 messages queued */
    long started;                   /* events whose voices started */
    long late;                      /* started after their time (at the next block) */
    double late_max_ms;
    long dropped;                   /* queue full, too far ahead, or over DIRT_MAX_PER_BLOCK */
    long no_sound;                  /* without s, or with an unknown or unsafe sound name */
    long unknown_names;             /* names that are no control (each counted per message) */
    long other;                     /* messages to other addresses */
    long handshakes;
};

struct dirt *dirt_new(const struct dirt_opts *o);
void dirt_free(struct dirt *d);     /* after the engine stopped calling it */
/* Play through engine e (engine_set_inject). */
void dirt_attach(struct dirt *d, struct engine *e);
/* MIDI out (midi.h): events whose s is "midi" go to m's ring (at their
 * frame; their nudge is in Tidal's time tag already) instead of being
 * dropped as an unknown sound. Before packets arrive; the same m as the
 * engine's (engine_set_midi), whose blocks stamp it. */
struct midi;
void dirt_set_midi(struct dirt *d, struct midi *m);
/* Fixed clock: the engine's frame 0 is at Unix time epoch_ns. */
void dirt_clock_fixed(struct dirt *d, int64_t epoch_ns);

/* One datagram. Returns the length of the reply written to reply (send it
 * back to the sender), 0 for none. */
long dirt_packet(struct dirt *d, const void *buf, size_t len, void *reply, size_t cap);

void dirt_get_stats(struct dirt *d, struct dirt_stats *st);
/* Timing: for each started event with a time tag (the first 65,536), its
 * start frame as a time on the audio clock (frames / rate) minus its time
 * tag, both counted from the first such event's; the errors are taken
 * from their median (a constant latency is no error), as a recording's
 * onsets compared with the time tags would show them. Returns how many;
 * P50, P99 and the largest absolute error in ms. Call once the audio has
 * stopped. */
int dirt_timing(struct dirt *d, double *p50_ms, double *p99_ms, double *max_ms);
/* "dirt: N events (N late, at most X ms), N dropped, ..." one line. */
void dirt_print_stats(struct dirt *d, FILE *f);

#endif
