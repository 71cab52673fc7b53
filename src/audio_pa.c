/* audio_pa.c -- audio.h on PortAudio.
 *
 * Choosing the device. PortAudio lists the JACK host API only when a JACK
 * server runs at Pa_Initialize, so "is JACK running?" is simply
 * Pa_HostApiTypeIdToHostApiIndex(paJACK) >= 0, and then we take that host
 * API's default output (JACK's "system" playback ports, which PortAudio
 * connects us to). Otherwise PortAudio's default output device. A device
 * named by the user is matched by index or by substring against the same
 * "host API: device" string that audio_list_devices prints. The JACK client is
 * called "phonon" (PaJack_SetClientName, looked up at run time: a PortAudio
 * without JACK has no such function).
 *
 * The callback. PortAudio calls on_audio on its real-time thread; we ask for
 * exactly `block` frames per buffer (PortAudio's buffer processor then
 * re-blocks whatever the host does), so normally on_audio renders straight
 * into the host's buffer. If a host still hands out other sizes, the block
 * buffer `buf` (allocated in audio_open) adapts: render a whole block into
 * it whenever it is empty and copy out what the host asks for, which adds no
 * latency beyond the re-blocking itself. Around that, on_audio only counts:
 * the status flags (underflow, overflow, priming) into relaxed atomics, and
 * its own duration against the buffer's duration (the load), the total
 * time spent in callbacks and when the running one began (so that the
 * control thread sees an engine that overruns or never returns, and can
 * act without waiting for it: cli_live.c's watchdog). Nothing else:
 * no allocation, no lock, no print, no system call (clock_gettime with
 * CLOCK_MONOTONIC is served by the vDSO on Linux, without entering the
 * kernel).
 *
 * The fade. audio_stop raises fade_req; the callback multiplies its output
 * by a linear ramp from 1 to 0 over AUDIO_FADE_MS, then writes silence and
 * raises faded; audio_stop waits for that and calls Pa_StopStream, which
 * plays out the buffers already queued (the ramp and the silence) before it
 * returns. Doing it here rather than in the engine keeps the ramp exactly
 * where the samples leave the program.
 *
 * Silencing the libraries. ALSA prints its configuration errors through
 * snd_lib_error (snd_lib_error_set_handler), JACK through the functions set
 * by jack_set_error_function and jack_set_info_function. libportaudio links
 * both libraries, so dlsym(RTLD_DEFAULT, ...) finds them before
 * Pa_Initialize without our linking them; where they are absent (macOS) the
 * lookup fails and nothing happens. As a last resort fd 2 points to
 * /dev/null during Pa_Initialize, the call that probes every device.
 */
#include "audio.h"
#include "phonon.h"

#include <ctype.h>
#include <dlfcn.h>
#include <fcntl.h>
#include <math.h>
#include <portaudio.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct audio {
    PaStream *stream;
    audio_render_fn *render;
    void *user;
    int block;                  /* frames per render call */
    double rate;                /* the stream's sample rate */
    double latency;             /* the stream's output latency, seconds */
    int jack;                   /* playing through JACK */
    int started;
    char name[192];             /* "host API: device" */

    /* audio thread only (between start and stop) */
    float *buf;                 /* one block, for hosts that hand out other sizes */
    int buf_pos;                /* frames of buf already played; block = empty */
    int fade_pos, fade_len;     /* frames of the fade done, and its length */
    double load_scale;          /* ppm of load per ns of callback per frame */

    /* shared: written by one side, read by the other */
    atomic_int fade_req;        /* control -> audio: start fading out */
    atomic_int faded;           /* audio -> control: the fade is complete */
    atomic_uint callbacks, blocks, underflows, overflows, priming;
    atomic_uint load_last_ppm, load_max_ppm;    /* load in millionths */
    atomic_uint load_hist[AUDIO_LOAD_BINS];
    atomic_llong busy_ns;       /* time spent in callbacks, in total */
    atomic_llong entered_ns;    /* when the running callback began; 0: none runs */
};

/* ---- quiet PortAudio start-up ------------------------------------------ */

static void alsa_quiet(const char *file, int line, const char *fn, int err,
                       const char *fmt, ...)
{
    (void)file, (void)line, (void)fn, (void)err, (void)fmt;
}

static void jack_quiet(const char *msg)
{
    (void)msg;
}

static int debug_audio(void)
{
    const char *e = getenv("PHONON_AUDIO_DEBUG");
    return e && *e && strcmp(e, "0") != 0;
}

/* dlsym gives a void *; converting it to a function pointer is what POSIX
 * promises works, though ISO C does not, hence the memcpy. */
static void *lookup(const char *name)
{
    return dlsym(RTLD_DEFAULT, name);
}

static int pa_init(void)
{
    typedef int alsa_set_fn(void (*)(const char *, int, const char *, int, const char *, ...));
    typedef void jack_set_fn(void (*)(const char *));
    typedef PaError name_fn(const char *);
    void *p;
    if ((p = lookup("PaJack_SetClientName"))) {
        name_fn *set_name;
        memcpy(&set_name, &p, sizeof p);
        set_name("phonon");     /* must be a string that stays valid */
    }
    if (debug_audio())
        return Pa_Initialize();
    if ((p = lookup("snd_lib_error_set_handler"))) {
        alsa_set_fn *set;
        memcpy(&set, &p, sizeof p);
        set(alsa_quiet);
    }
    const char *jack_setters[] = { "jack_set_error_function", "jack_set_info_function" };
    for (int i = 0; i < 2; i++)
        if ((p = lookup(jack_setters[i]))) {
            jack_set_fn *set;
            memcpy(&set, &p, sizeof p);
            set(jack_quiet);
        }
    fflush(stderr);
    int saved = fcntl(2, F_DUPFD_CLOEXEC, 3);
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && null >= 0)
        dup2(null, 2);
    PaError e = Pa_Initialize();
    if (saved >= 0 && null >= 0)
        dup2(saved, 2);
    if (saved >= 0)
        close(saved);
    if (null >= 0)
        close(null);
    return e;
}

/* ---- the callback -------------------------------------------------------- */

#define COUNT(x) atomic_fetch_add_explicit(&(x), 1, memory_order_relaxed)

static void fade_out(struct audio *a, float *out, unsigned long frames)
{
    for (unsigned long i = 0; i < frames; i++) {
        float g = 0.0f;
        if (a->fade_pos < a->fade_len)
            g = 1.0f - (float)(++a->fade_pos) / (float)a->fade_len;
        out[2 * i] *= g;
        out[2 * i + 1] *= g;
    }
    if (a->fade_pos >= a->fade_len)
        atomic_store_explicit(&a->faded, 1, memory_order_release);
}

static int on_audio(const void *in, void *output, unsigned long frames,
                    const PaStreamCallbackTimeInfo *time, PaStreamCallbackFlags flags,
                    void *user)
{
    (void)in, (void)time;
    struct audio *a = user;
    int64_t t0 = phonon_mono_ns();
    atomic_store_explicit(&a->entered_ns, t0, memory_order_relaxed);
    if (flags & paOutputUnderflow)
        COUNT(a->underflows);
    if (flags & paOutputOverflow)
        COUNT(a->overflows);
    if (flags & paPrimingOutput)
        COUNT(a->priming);

    float *out = output;
    unsigned long block = (unsigned long)a->block;
    if (frames == block && a->buf_pos == a->block) {
        a->render(a->user, out, a->block);      /* the usual case */
        COUNT(a->blocks);
    } else {
        for (unsigned long done = 0; done < frames; ) {
            if (a->buf_pos == a->block) {
                a->render(a->user, a->buf, a->block);
                a->buf_pos = 0;
                COUNT(a->blocks);
            }
            unsigned long n = block - (unsigned long)a->buf_pos;
            if (n > frames - done)
                n = frames - done;
            memcpy(out + AUDIO_CHANNELS * done, a->buf + AUDIO_CHANNELS * a->buf_pos,
                   n * AUDIO_CHANNELS * sizeof *out);
            done += n;
            a->buf_pos += (int)n;
        }
    }
    if (atomic_load_explicit(&a->fade_req, memory_order_relaxed))
        fade_out(a, out, frames);

    COUNT(a->callbacks);
    int64_t t1 = phonon_mono_ns();
    atomic_fetch_add_explicit(&a->busy_ns, t1 - t0, memory_order_relaxed);
    atomic_store_explicit(&a->entered_ns, 0, memory_order_relaxed);
    double ppm = (double)(t1 - t0) * a->load_scale / (double)(frames ? frames : 1);
    unsigned load = ppm >= 4e9 ? 4000000000u : (unsigned)ppm;
    atomic_store_explicit(&a->load_last_ppm, load, memory_order_relaxed);
    if (load > atomic_load_explicit(&a->load_max_ppm, memory_order_relaxed))
        atomic_store_explicit(&a->load_max_ppm, load, memory_order_relaxed);
    unsigned bin = load / (1000000u / (AUDIO_LOAD_BINS - 1));
    COUNT(a->load_hist[bin < AUDIO_LOAD_BINS ? bin : AUDIO_LOAD_BINS - 1]);
    return paContinue;
}

/* ---- choosing a device --------------------------------------------------- */

static void say(char *msg, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *msg, size_t size, const char *fmt, ...)
{
    if (!msg || !size)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, size, fmt, ap);
    va_end(ap);
}

static void device_label(PaDeviceIndex d, char *buf, size_t size)
{
    const PaDeviceInfo *di = Pa_GetDeviceInfo(d);
    const PaHostApiInfo *hi = di ? Pa_GetHostApiInfo(di->hostApi) : NULL;
    snprintf(buf, size, "%s: %s", hi ? hi->name : "?", di ? di->name : "?");
}

static int has_output(PaDeviceIndex d)
{
    const PaDeviceInfo *di = Pa_GetDeviceInfo(d);
    return di && di->maxOutputChannels > 0;
}

/* The device audio_open picks when none is named: JACK's, else the default. */
static PaDeviceIndex default_device(void)
{
    PaHostApiIndex jack = Pa_HostApiTypeIdToHostApiIndex(paJACK);
    if (jack >= 0) {
        const PaHostApiInfo *hi = Pa_GetHostApiInfo(jack);
        if (hi && hi->defaultOutputDevice >= 0 && has_output(hi->defaultOutputDevice))
            return hi->defaultOutputDevice;
    }
    return Pa_GetDefaultOutputDevice();
}

static int contains_nocase(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return 1;
    return n == 0;
}

/* A device index with outputs, or PHONON_ENODEV with msg filled. */
static int pick_device(const char *spec, char *msg, size_t size)
{
    int count = Pa_GetDeviceCount();
    if (!spec || !*spec) {
        PaDeviceIndex d = default_device();
        if (d == paNoDevice || !has_output(d)) {
            say(msg, size, "no audio output device (no sound card found and no JACK "
                "server running)");
            return PHONON_ENODEV;
        }
        return d;
    }
    size_t digits = strspn(spec, "0123456789");
    if (digits == strlen(spec)) {
        long d = digits <= 6 ? strtol(spec, NULL, 10) : -1;
        if (d < 0 || d >= count || !has_output((PaDeviceIndex)d)) {
            say(msg, size, "no audio output device number %s (see --list-devices)", spec);
            return PHONON_ENODEV;
        }
        return (int)d;
    }
    for (PaDeviceIndex d = 0; d < count; d++) {
        char label[192];
        device_label(d, label, sizeof label);
        if (has_output(d) && contains_nocase(label, spec))
            return d;
    }
    say(msg, size, "no audio output device matches '%s' (see --list-devices)", spec);
    return PHONON_ENODEV;
}

/* ---- the API ------------------------------------------------------------- */

int audio_open(struct audio **out, const struct audio_opts *o, char *msg, size_t msg_size)
{
    int block = o->block ? o->block : AUDIO_DEFAULT_BLOCK;
    if (!o->render || block < 1 || block > AUDIO_MAX_BLOCK || o->sample_rate < 0 ||
        o->latency < 0) {
        say(msg, msg_size, "bad audio options (block %d, rate %g, latency %g)", block,
            o->sample_rate, o->latency);
        return PHONON_EINVAL;
    }
    struct audio *a = calloc(1, sizeof *a);
    float *buf = calloc((size_t)block * AUDIO_CHANNELS, sizeof *buf);
    if (!a || !buf) {
        free(a);
        free(buf);
        say(msg, msg_size, "out of memory");
        return PHONON_ENOMEM;
    }
    a->buf = buf;
    a->block = a->buf_pos = block;
    a->render = o->render;
    a->user = o->user;

    PaError e = pa_init();
    if (e != paNoError) {
        say(msg, msg_size, "cannot start PortAudio: %s", Pa_GetErrorText(e));
        free(a->buf);
        free(a);
        return PHONON_ENODEV;
    }
    int r = pick_device(o->device, msg, msg_size);
    if (r < 0)
        goto fail;
    PaDeviceIndex dev = r;
    const PaDeviceInfo *di = Pa_GetDeviceInfo(dev);
    device_label(dev, a->name, sizeof a->name);
    a->jack = Pa_GetHostApiInfo(di->hostApi)->type == paJACK;
    if (di->maxOutputChannels < AUDIO_CHANNELS) {
        say(msg, msg_size, "%s has %d output channel; phonon needs %d", a->name,
            di->maxOutputChannels, AUDIO_CHANNELS);
        r = PHONON_ENODEV;
        goto fail;
    }
    double rate = o->sample_rate > 0 ? o->sample_rate : di->defaultSampleRate;
    PaStreamParameters sp = {
        .device = dev,
        .channelCount = AUDIO_CHANNELS,
        .sampleFormat = paFloat32,
        .suggestedLatency = o->latency > 0 ? o->latency : di->defaultLowOutputLatency,
    };
    e = Pa_IsFormatSupported(NULL, &sp, rate);
    if (e == paNoError)
        e = Pa_OpenStream(&a->stream, NULL, &sp, rate,
                          o->host_frames < 0 ? paFramesPerBufferUnspecified
                                             : (unsigned long)block,
                          paNoFlag, on_audio, a);
    if (e != paNoError) {
        const char *why = e == paUnanticipatedHostError ? Pa_GetLastHostErrorInfo()->errorText
                                                        : Pa_GetErrorText(e);
        if (a->jack && rate != di->defaultSampleRate)
            say(msg, msg_size, "the JACK server runs at %g Hz; --sample-rate must be %g or "
                "left out", di->defaultSampleRate, di->defaultSampleRate);
        else
            say(msg, msg_size, "cannot open %s at %g Hz: %s", a->name, rate, why);
        a->stream = NULL;
        r = PHONON_ENODEV;
        goto fail;
    }
    const PaStreamInfo *si = Pa_GetStreamInfo(a->stream);
    a->rate = si && si->sampleRate > 0 ? si->sampleRate : rate;
    a->latency = si ? si->outputLatency : sp.suggestedLatency;
    a->fade_len = (int)(a->rate * AUDIO_FADE_MS / 1000.0 + 0.5);
    if (a->fade_len < 1)
        a->fade_len = 1;
    a->load_scale = a->rate / 1e3;   /* ppm = ns * 1e6 / (frames * 1e9 / rate) */
    *out = a;
    return 0;
fail:
    audio_close(a);
    return r;
}

int audio_start(struct audio *a)
{
    if (a->started)
        return 0;
    a->buf_pos = a->block;
    a->fade_pos = 0;
    atomic_store(&a->fade_req, 0);
    atomic_store(&a->faded, 0);
    if (Pa_StartStream(a->stream) != paNoError)
        return PHONON_ENODEV;
    a->started = 1;
    return 0;
}

int audio_stop(struct audio *a)
{
    if (!a->started)
        return 0;
    atomic_store_explicit(&a->fade_req, 1, memory_order_relaxed);
    /* The fade ends within a buffer or two of the request; give up waiting
     * (device gone, callbacks stopped) after several buffers' worth. */
    double wait_s = AUDIO_FADE_MS / 1000.0 + 4 * (a->latency + a->block / a->rate) + 0.2;
    int64_t give_up = phonon_mono_ns() + (int64_t)(wait_s * 1e9);
    while (!atomic_load_explicit(&a->faded, memory_order_acquire) && phonon_mono_ns() < give_up &&
           Pa_IsStreamActive(a->stream) == 1) {
        struct timespec ms = { 0, 1000000 };
        nanosleep(&ms, NULL);
    }
    PaError e = Pa_StopStream(a->stream);
    a->started = 0;
    return e == paNoError ? 0 : PHONON_ENODEV;
}

void audio_close(struct audio *a)
{
    if (!a)
        return;
    if (a->stream) {
        if (a->started)
            Pa_AbortStream(a->stream);
        Pa_CloseStream(a->stream);
    }
    Pa_Terminate();
    free(a->buf);
    free(a);
}

int audio_list_devices(FILE *f)
{
    PaError e = pa_init();
    if (e != paNoError) {
        fprintf(f, "PortAudio: %s\n", Pa_GetErrorText(e));
        return PHONON_ENODEV;
    }
    PaDeviceIndex def = default_device();
    int n = 0;
    for (PaDeviceIndex d = 0; d < Pa_GetDeviceCount(); d++) {
        if (!has_output(d))
            continue;
        const PaDeviceInfo *di = Pa_GetDeviceInfo(d);
        char label[192];
        device_label(d, label, sizeof label);
        fprintf(f, "%3d%c %s  (%d ch, %g Hz)\n", d, d == def ? '*' : ' ', label,
                di->maxOutputChannels, di->defaultSampleRate);
        n++;
    }
    if (!n)
        fprintf(f, "no audio output devices (no sound card found and no JACK server running)\n");
    Pa_Terminate();
    return 0;
}

void audio_get_stats(struct audio *a, struct audio_stats *s)
{
    /* the counters are independent: relaxed loads are enough */
    struct audio *m = a;
    s->callbacks = atomic_load_explicit(&m->callbacks, memory_order_relaxed);
    s->blocks = atomic_load_explicit(&m->blocks, memory_order_relaxed);
    s->underflows = atomic_load_explicit(&m->underflows, memory_order_relaxed);
    s->overflows = atomic_load_explicit(&m->overflows, memory_order_relaxed);
    s->priming = atomic_load_explicit(&m->priming, memory_order_relaxed);
    s->load_last = atomic_load_explicit(&m->load_last_ppm, memory_order_relaxed) / 1e6;
    s->load_max = atomic_load_explicit(&m->load_max_ppm, memory_order_relaxed) / 1e6;
    s->busy_ns = atomic_load_explicit(&m->busy_ns, memory_order_relaxed);
    for (int i = 0; i < AUDIO_LOAD_BINS; i++)
        s->load_hist[i] = atomic_load_explicit(&m->load_hist[i], memory_order_relaxed);
    int64_t entered = atomic_load_explicit(&m->entered_ns, memory_order_relaxed);
    s->running_ns = entered ? phonon_mono_ns() - entered : 0;
}

double audio_load_quantile(const struct audio_stats *s, double q)
{
    unsigned long long n = 0, seen = 0;
    for (int i = 0; i < AUDIO_LOAD_BINS; i++)
        n += s->load_hist[i];
    if (!n)
        return 0.0;
    unsigned long long want = (unsigned long long)ceil(q * (double)n);
    int i = 0;
    for (; i < AUDIO_LOAD_BINS - 1; i++) {
        seen += s->load_hist[i];
        if (seen >= want)
            break;
    }
    double edge = (double)(i + 1) / (AUDIO_LOAD_BINS - 1);
    return s->load_max > 0.0 && s->load_max < edge ? s->load_max : edge;
}

double audio_sample_rate(const struct audio *a) { return a->rate; }
int audio_block(const struct audio *a) { return a->block; }
double audio_latency(const struct audio *a) { return a->latency; }
const char *audio_device_name(const struct audio *a) { return a->name; }
int audio_is_jack(const struct audio *a) { return a->jack; }
