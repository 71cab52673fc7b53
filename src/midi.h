/* midi.h -- MIDI out: events of s "midi" as MIDI messages, on time.
 *
 * Meaning (SuperDirt's MIDI event type, which Tidal users drive): an event
 * whose s is "midi" plays no voice; it sends, on channel midichan (0..15),
 *
 *   ccn and ccv        a control change (both needed)
 *   nrpn (and val)     an NRPN: CC 99, 98 (number), 6, 38 (value), 101, 100 = 127
 *   progNum            a program change
 *   midibend           a pitch bend, 0 .. 16383 (8192: centre)
 *   miditouch          channel pressure
 *   note and/or n      a note: MIDI note 60 + note + n + 12 (octave - 4), rounded
 *                      (note 0 = middle C = 60; a chord sends every note). With
 *                      polyTouch: poly pressure on that note and no note-on.
 *                      Else a note-on of velocity
 *                        trunc(127 * 0.4 amp velocity (min(gain, 2))^4), 0..127
 *                      (SuperDirt's amp of 0.4 is phonon's 1; gain is SuperDirt's
 *                      fourth power here, not the voices' linear gain), and its
 *                      note-off after the note's length: sustain seconds, else
 *                      legato x the event, else the event; minus SuperDirt's
 *                      fade time (min(1 ms, 19 % of it)), so a note never runs
 *                      into the next one of the same pitch.
 *   midicmd            a command not sent by the above: noteOn, noteOff, control
 *                      (ctlNum, control), program, polyTouch, touch and bend
 *                      (val), allNotesOff, midiClock, start, stop, continue,
 *                      songPtr. An unknown one is counted (midi_stats.bad_cmds).
 *
 * nudge (seconds) moves every message of the event, the note-off too.
 * Events of a player whose sound reaches no output (a muted statement:
 * mute, solo of another, hushN; struct player audible) send nothing.
 * phonon dirt hands Tidal's s "midi" events here too (dirt.c), at the frame
 * of their time tag, without their nudge (Tidal put it in the time tag).
 *
 * Time. Every message carries the frame it sounds at: frames since the
 * engine started (the engine's sample counter), the event's onset frame
 * within its block plus its nudge. The audio thread never makes a system
 * call for MIDI: it writes messages into a lock-free ring (one producer,
 * one consumer; C11 atomics, acquire/release on the indices, as tbuf.h)
 * and keeps the note-offs still to come in a fixed table. Whoever reads
 * the ring decides when a frame happens:
 *
 *   render --midi-file: the frame is the time. The Standard MIDI File counts
 *     one tick per frame (division and tempo chosen so that a tick is
 *     exactly 1/sample-rate seconds, the tempo near the pattern's: 4 beats
 *     a cycle), so a message's tick is the frame of the audio it goes with.
 *   live --midi-out: a MIDI thread maps frames to the wall clock and hands
 *     each message to an ALSA sequencer queue with that time stamp (the
 *     queue's real-time clock, on the high-resolution timer where the
 *     kernel has snd-hrtimer; ALSA delivers it then). The map: the audio
 *     thread stamps each block with CLOCK_MONOTONIC as it starts rendering
 *     it (a clock mark in the ring); frame f sounds at mark_ns + (f - mark_pos) / rate
 *     + the device's output latency. Callbacks come late, never early, so
 *     the MIDI thread keeps the earliest offset it has seen (mark_ns -
 *     mark_pos / rate), and lets it rise by 1/1000 of the difference per
 *     mark so that it follows the drift between the sound card's clock and
 *     the system's. Block-accurate, as audio is: a message is late by the
 *     callback's jitter beyond its earliest, at most.
 *
 * All notes off: midi_all_off sends the note-off of every note still on
 * (at the frame given) and CC 123 (all notes off) on every channel used.
 * The engine calls it when a reload drops the program's MIDI (no s "midi"
 * any more, hush, panic); the command calls it when it stops (Ctrl-C, the
 * end of a render).
 *
 * Thread context: midi_new/free, midi_file_*, midi_dev_* and midi_list on a
 * control thread; midi_block, midi_event and midi_all_off on the audio
 * thread (the engine's block, dirt's inject hook: no allocation, lock,
 * system call or printing; midi_block reads CLOCK_MONOTONIC through the
 * vDSO, as the engine's swap timing does); midi_drain on the
 * one consumer (the render loop, or the MIDI thread); midi_stats anywhere.
 * Without ALSA at build time (no PHONON_HAVE_ALSA: macOS), midi_dev_open
 * and midi_list say that this build has no MIDI devices; files still work.
 */
#ifndef MIDI_H
#define MIDI_H

#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#include "pat.h"

enum {
    MIDI_RING = 1 << 13,        /* messages in flight between the audio thread and the reader */
    MIDI_MAX_ON = 1024,         /* notes whose note-off is still to come */
};

/* One message: its frame and 1..3 bytes; len 0 is a clock mark (ns: the
 * CLOCK_MONOTONIC time at which the block of frame `frame` was rendered). */
struct midi_msg {
    int64_t frame;
    int64_t ns;
    uint8_t len;
    uint8_t b[3];
};

struct midi_stats {
    long sent;                  /* messages written into the ring */
    long dropped;               /* messages the full ring or note table refused */
    long bad_cmds;              /* events with an unknown midicmd */
    long out_of_range;          /* notes outside 0..127, not sent */
};

struct midi;

struct midi *midi_new(int sample_rate);
void midi_free(struct midi *m);

/* 1 when program p (or NULL) plays s "midi" (a scan of its few sounds:
 * any thread). */
struct program;
int midi_program_plays(const struct program *p);
/* 1 when event value v is a MIDI event (its s is "midi"). */
int midi_is_event(struct val v);
/* Audio thread, at the start of each block: the block starts at frame pos
 * and lasts `frames`; note-offs due before its end go out; a clock mark. */
void midi_block(struct midi *m, int64_t pos, int frames);
/* Audio thread: the messages of MIDI event v, its onset at `frame` of the
 * block, its whole lasting dur_frames. */
void midi_event(struct midi *m, struct val v, int frame, double dur_frames);
/* Note-offs of every note on, and CC 123 on every channel used, at frame
 * `at` (absolute; -1: the end of the last block). The audio thread, or any
 * thread once the audio thread has stopped. */
void midi_all_off(struct midi *m, int64_t at);
/* Up to max messages out of the ring (the one consumer); their count. */
int midi_drain(struct midi *m, struct midi_msg *out, int max);
void midi_get_stats(struct midi *m, struct midi_stats *st);

/* ---- Standard MIDI Files: what would have been sent ----------------------------- */

struct midi_file;
/* cps: the tempo the file shows (4 beats a cycle); NULL with msg when the
 * sample rate cannot be counted exactly in ticks. */
struct midi_file *midi_file_new(int sample_rate, double cps, char *msg, size_t msg_size);
/* Keep what the ring holds (call after every block). 0, or -1 out of memory. */
int midi_file_take(struct midi_file *f, struct midi *m);
/* Write a format 0 file, the messages in time order (equal times in the
 * order sent), up to frame `end` (the render's length; -1: all): from end
 * on only the note-offs of notes still on (at end) and all-notes-off are
 * kept. 0, or -1 with msg. */
int midi_file_write(struct midi_file *f, const char *path, int64_t end, char *msg, size_t msg_size);
long midi_file_count(const struct midi_file *f);
void midi_file_free(struct midi_file *f);

/* ---- devices (ALSA's sequencer) --------------------------------------------------- */

struct midi_dev;
/* Connect to the port named by `which` (an index of midi_list, CLIENT:PORT,
 * or a part of the client's or port's name) and start the MIDI thread that
 * reads m's ring; latency: the audio output's, seconds. NULL with msg. */
struct midi_dev *midi_dev_open(struct midi *m, const char *which, int sample_rate, double latency, char *msg,
                               size_t msg_size);
const char *midi_dev_name(const struct midi_dev *d);
/* Stop: every note still on is turned off now, the thread ends, the port
 * closes. Call after the audio has stopped. */
void midi_dev_close(struct midi_dev *d);
/* The ports a --midi-out can name, one a line, on f. 0, or -1 with msg
 * (no sequencer, or no MIDI in this build). */
int midi_list(FILE *f, char *msg, size_t msg_size);
/* 1 when this build has MIDI devices (ALSA). */
int midi_have_devices(void);

#endif
