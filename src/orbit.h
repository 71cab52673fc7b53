/* orbit.h -- SuperDirt's orbits: global delay and reverb per orbit.
 *
 * Every voice sounds on an orbit (the control `orbit n`, default 0; n wraps
 * modulo ORBIT_COUNT as SuperDirt's orbit list does). An orbit owns one
 * delay and one reverb fed by the sum of its voices (before their players'
 * bus effects), whose wet outputs go to the master. As in SuperDirt
 * (DirtOrbit.sc, GlobalDirtEffect.sc, core-synths-global.scd) their
 * parameters are the orbit's, set by the events that start on it:
 *
 *   delay          the delay's output level; an event without it sets 0
 *   delaytime      seconds (cycles with lock 1), kept until an event sets it
 *   delayfeedback  kept until an event sets it
 *   lock           1: delaytime is in cycles (delaytime / cps seconds)
 *   room           the level sent into the reverb; an event without it sets 0
 *   size           the reverb's size (feedback), kept until set
 *   dry            the reverb's output is scaled by 1 - dry, kept until set
 *
 * Defaults where SuperDirt leaves a parameter 0: delaytime 0.25 s and
 * delayfeedback 0.5 (Strudel's), size 0.1 (SuperDirt's). Levels glide over
 * 10 ms (SuperDirt lags them by 10-20 ms). The delay is phonon's
 * dsp_delay (a feedback delay, wet only), the reverb phonon's Freeverb
 * tank (size = room_size, damping 0.5): the same ideas, not the same
 * filters.
 *
 * An orbit runs from the first event that sends to it (delay or room
 * above 0) on; until then it costs nothing and leaves the mix untouched.
 * Orbits belong to the engine, not to a program: their tails survive
 * reloads.
 *
 * Thread context: orbits_new/reset/free on a control thread; the rest on the
 * audio thread (no allocation).
 */
#ifndef ORBIT_H
#define ORBIT_H

#include "pat.h"

enum { ORBIT_COUNT = 12, ORBIT_MAX_DELAY_S = 4 };

struct orbits;

struct orbits *orbits_new(int sample_rate, int block);
void orbits_free(struct orbits *o);
/* Back to what orbits_new made: every orbit off, its tails gone (the
 * pages its lines used given back) (engine_reset; control thread). */
void orbits_reset(struct orbits *o);

/* The orbit an event plays on (its `orbit` key, wrapped; 0 without one). */
int orbit_of(struct val v);

/* An event with map v starts at `frame` of this block (cps: cycles per
 * second now): set its orbit's parameters from that frame on. */
void orbit_event(struct orbits *o, struct val v, int frame, double cps);

/* Does orbit n take input this block (it has been sent to)? */
int orbit_active(const struct orbits *o, int n);

/* Add a voice sum (stereo, [frames] each) to orbit n's input. */
void orbit_add(struct orbits *o, int n, const float *l, const float *r, int frames);

/* Run the active orbits' effects and add their wet outputs to ml, mr;
 * clear the inputs for the next block. */
void orbits_process(struct orbits *o, float *ml, float *mr, int frames);

#endif
