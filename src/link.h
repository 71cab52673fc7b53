/* link.h -- Ableton Link, the network tempo and beat grid, from C.
 *
 * A Link session is a set of programs on a local network (or one machine)
 * that share a tempo and a beat grid: any member may change the tempo, and
 * the others follow within milliseconds; the beats of all members fall at
 * the same moments. The grid's phase is shared over a "quantum" of beats
 * (for phonon: beats per cycle, so the cycles' starts coincide); the beat
 * count itself is each member's own. phonon live --link plays cycle c at
 * the moment Link puts beat c * quantum (cli_link.c, engine_set_clock).
 *
 * This is a thin layer over Ableton's header-only C++ library (link.cpp,
 * Debian's ableton-link-dev); a build without it has link_none.c instead,
 * where plink_available() is 0 and plink_new returns NULL.
 *
 *     struct plink *l = plink_new(120.0, 4);      // disabled, alone
 *     plink_enable(l, 1);                         // joins the network
 *     ...audio thread, every block...
 *     struct plink_beat b = { .at_us = t0, .end_us = t1 };
 *     plink_audio(l, &b);                         // session tempo, beats at t0, t1
 *     ...
 *     plink_free(l);
 *
 * Times are Link's host clock in microseconds (plink_now_us: on Linux
 * CLOCK_MONOTONIC_RAW), the same clock in every process of a machine.
 *
 * Threads. Link runs two threads of its own (network, and the hand-over of
 * the audio thread's changes). plink_new, plink_enable, plink_free and the
 * app-thread calls (plink_app_*) are for a control thread: they lock and
 * may allocate. plink_audio is the audio thread's, and only its: it is
 * real-time safe (Link's captureAudioSessionState/commitAudioSessionState:
 * a lock-free triple buffer and queue, no allocation, no lock, no system
 * call but the clock and a wake of Link's thread after a commit).
 * plink_peers and plink_now_us are real-time safe from any thread. Do not
 * change the session from both the audio thread and the app thread while
 * audio runs (Link's rule: the app thread's commit may be lost).
 *
 * Errors: plink_new returns NULL when out of memory or when the build has
 * no Link (plink_available tells which); nothing else fails.
 */
#ifndef LINK_H
#define LINK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Link keeps every tempo within these (a tempo set outside is clamped). */
#define PLINK_MIN_BPM 20.0
#define PLINK_MAX_BPM 999.0

struct plink;

/* 1 when this build has Link. */
int plink_available(void);

/* A Link participant, disabled (alone, silent on the network), its own
 * timeline at bpm from beat 0 now; quantum: beats over which the phase is
 * shared (> 0). Control thread. */
struct plink *plink_new(double bpm, double quantum);
void plink_free(struct plink *l);           /* disables first; NULL is a no-op */
void plink_enable(struct plink *l, int on); /* join / leave the network */

size_t plink_peers(const struct plink *l);  /* other members seen; any thread, RT-safe */
int64_t plink_now_us(const struct plink *l);/* Link's clock; any thread, RT-safe */

/* One look at (and change of) the session from the audio thread. */
struct plink_beat {
    int64_t at_us, end_us;          /* in: a block's first frame is heard at at_us,
                                       the frame after its last at end_us */
    double set_bpm;                 /* in: > 0: make this the session tempo from at_us
                                       on (the beat at at_us stays) */
    int start;                      /* in: ask for beat 0 at at_us: alone, the grid
                                       moves there; in a session, beat 0 goes to the
                                       session's next quantum boundary (our count only:
                                       the session's phase never moves) */
    double bpm;                     /* out: the session tempo (after set_bpm) */
    double beat, beat_end;          /* out: the beat at at_us and at end_us */
    int peers;                      /* out: plink_peers */
};
void plink_audio(struct plink *l, struct plink_beat *b);

/* The same from a control thread (tests; a program with no audio thread). */
void plink_app(struct plink *l, struct plink_beat *b);

#ifdef __cplusplus
}
#endif

#endif
