/* audio.h -- real-time audio output: a render callback called with fixed
 * blocks of stereo float frames, on PortAudio (audio_pa.c).
 *
 * The device is the JACK server when one is running (PortAudio sees JACK only
 * if the server runs when PortAudio starts, i.e. in audio_open), else
 * PortAudio's default output; or the one named by audio_opts.device. The
 * render callback is always called with exactly audio_opts.block frames: we
 * ask PortAudio for that buffer size, and if a host hands out other sizes
 * anyway, a block buffer allocated in audio_open adapts.
 *
 * Stopping fades out: audio_stop ramps the output to silence over
 * AUDIO_FADE_MS (applied here, after render, so the engine need not know),
 * waits until the ramp has been played, then stops the stream. Killing the
 * process instead clicks.
 *
 * Start-up noise: ALSA and JACK print pages of diagnostics on stderr while
 * PortAudio probes devices. audio_open and audio_list_devices install silent
 * error handlers in both libraries (found at run time, without linking them)
 * and send fd 2 to /dev/null during Pa_Initialize only. Set
 * PHONON_AUDIO_DEBUG=1 to see everything. Because of that redirection, call
 * them before starting threads that print.
 *
 * Thread context: audio_open, audio_start, audio_stop, audio_close and
 * audio_list_devices from one control thread. render runs on the audio
 * thread (a real-time thread owned by PortAudio or JACK): it must not
 * allocate, lock, block, print or touch files. audio_get_stats and the other
 * accessors may be called from any thread while the stream runs.
 * Errors: negative enum phonon_err (phonon.h); PHONON_ENODEV means exit 69.
 */
#ifndef AUDIO_H
#define AUDIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "phonon.h"

enum {
    AUDIO_CHANNELS = 2,         /* stereo, float32, interleaved L R L R ... */
    AUDIO_DEFAULT_BLOCK = PHONON_DEFAULT_BLOCK,
    AUDIO_MAX_BLOCK = 8192,
    AUDIO_FADE_MS = 10,
    AUDIO_LOAD_BINS = 41,       /* callback load histogram: 2.5 % per bin, the last one 100 % and over */
};

/* Fill out[0 .. frames*AUDIO_CHANNELS-1]; frames is always audio_opts.block.
 * Audio thread: no allocation, locks, blocking, printing or file access. */
typedef void audio_render_fn(void *user, float *out, int frames);

struct audio_opts {
    const char *device;         /* NULL or "": JACK if running, else the default
                                   output; all digits: a device index; else a
                                   case-insensitive substring of
                                   "host API: device name" (--list-devices) */
    double sample_rate;         /* Hz; 0: the device's default (with JACK the
                                   server's rate, the only one it accepts) */
    int block;                  /* frames per render call; 0: AUDIO_DEFAULT_BLOCK */
    double latency;             /* seconds, a hint; 0: the device's low default */
    audio_render_fn *render;    /* required */
    void *user;                 /* passed to render */
    int host_frames;            /* frames per buffer asked of PortAudio: 0 =
                                   block (normal); -1 = whatever the host likes,
                                   so that the block buffer adapts (tests) */
};

/* Counters since audio_open, readable from any thread while the stream runs. */
struct audio_stats {
    unsigned callbacks;         /* host callbacks */
    unsigned blocks;            /* render calls */
    unsigned underflows;        /* paOutputUnderflow: the device ran dry (a click) */
    unsigned overflows;         /* paOutputOverflow */
    unsigned priming;           /* paPrimingOutput: callbacks filling the buffer at start */
    double load_last;           /* time in the last callback / its buffer's duration */
    double load_max;            /* the largest load since open or the last reset */
    unsigned load_hist[AUDIO_LOAD_BINS];    /* callbacks per load bin (see audio_load_quantile) */
    int64_t busy_ns;            /* time spent in callbacks since open */
    int64_t running_ns;         /* how long the callback running now has run (0: none) */
};

struct audio;                   /* opaque: audio_open ... audio_close */

/* Open the output stream (not started). On error returns a negative
 * enum phonon_err and, when msg is not NULL, one line (no newline) saying what
 * went wrong in terms of the options, e.g. "no audio output device matches
 * 'usb' (see --list-devices)":
 *   PHONON_ENODEV  no such device, no output device at all, or it refused to
 *                  open (busy, rate not supported, JACK not at that rate)
 *   PHONON_EINVAL  bad options (block out of 1..AUDIO_MAX_BLOCK, no render)
 *   PHONON_ENOMEM
 * *out is set only on success. */
int audio_open(struct audio **out, const struct audio_opts *o, char *msg, size_t msg_size);

/* Start calling render. 0 or PHONON_ENODEV (the device went away). */
int audio_start(struct audio *a);

/* Fade out over AUDIO_FADE_MS, wait until it has been played (bounded by the
 * stream's latency plus a margin), stop the stream. Render keeps being called
 * during the fade. No-op when not started. Returns 0 or PHONON_ENODEV. */
int audio_stop(struct audio *a);

/* Stop at once if running (no fade), close the stream, release everything.
 * NULL is a no-op. */
void audio_close(struct audio *a);

/* Print the output devices, one a line: "index  host API: name  (channels,
 * default rate)", marking the one audio_open would pick with '*'. Returns 0 or
 * a negative error. */
int audio_list_devices(FILE *f);

void audio_get_stats(struct audio *a, struct audio_stats *s);   /* not const: C11's atomic loads take non-const */

/* The load that a fraction q (0..1) of the callbacks stayed at or under,
 * from the histogram: the upper edge of its bin (2.5 % wide), so 0.99 gives
 * the P99 callback load rounded up (never above load_max).
 * One late callback (the host descheduled the audio thread) moves load_max
 * but not the P99.9 of a minute; a program that runs near its budget moves
 * both. 0 before the first callback. */
double audio_load_quantile(const struct audio_stats *s, double q);

double audio_sample_rate(const struct audio *a);    /* the stream's actual rate */
int audio_block(const struct audio *a);             /* frames per render call */
double audio_latency(const struct audio *a);        /* output latency, seconds */
const char *audio_device_name(const struct audio *a);   /* "host API: device" */
int audio_is_jack(const struct audio *a);           /* 1 when playing through JACK */

#endif
