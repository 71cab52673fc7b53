/* cli_dirt.c -- `phonon dirt`: play what Tidal sends SuperDirt.
 *
 * A UDP socket bound to --listen ADDR (127.0.0.1 unless asked otherwise)
 * and --port (57120, SuperDirt's) is read by a network thread that hands
 * each datagram to dirt_packet (dirt.h) and sends the handshake replies
 * back from the same socket (Tidal's socket takes replies from the port it
 * sends to only). The engine is live's: the audio device, the sample roots,
 * the voices; with --file a .ph file plays beside the OSC events and is
 * reloaded on every save, as `phonon live` does.
 *
 * Why not liblo's server: liblo 0.31 (Debian 12) binds every UDP server to
 * the wildcard address, and the port must not be open to the network
 * unless --listen asks for it; the decoder is ours (osc.c), fuzzed.
 *
 * --render OUT.wav is the test mode: no device; blocks are rendered when
 * the wall clock reaches their start (frame 0 at the moment printed on
 * stdout: "port P epoch_ns E"), so a bundle sent ahead of its time starts
 * at the frame its time tag names, and the output shows it. With
 * --track-clock the time tags go through the clock a device uses (block
 * starts read from the wall clock as they are rendered, with the
 * scheduler's jitter), and --stats' timing error measures that clock.
 *
 * Signals: SIGINT and SIGTERM stop (live: with the device's fade; render:
 * OUT written up to there); a second one exits at once.
 *
 * Thread context: the main thread (the loop), the network thread, the
 * audio thread (the engine and dirt's inject hook).
 */
#include "audio.h"
#include "cli.h"
#include "cli_link.h"
#include "dirt.h"
#include "engine.h"
#include "graph.h"
#include "midi.h"
#include "phonon.h"
#include "pool.h"
#include "sample.h"
#include "sndout.h"
#include "watch.h"

#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char usage[] = "[options]\n\n"
    "Listen for SuperDirt's OSC (/dirt/play bundles from Tidal) and play it with\n"
    "phonon's voices and sample roots; --file plays a .ph file beside it.\n"
    "--render OUT.wav renders --duration seconds against the wall clock instead\n"
    "of playing (a test mode: it prints \"port P epoch_ns E\", frame 0's time).\n"
    "s \"midi\" events go to --midi-out's port (with --render: --midi-file's file).";

struct dirt_cli {
    struct cli_engine_opts eo;
    long port;
    const char *listen, *file, *render, *device, *format;
    const char *midi_out, *midi_path;   /* --midi-out, --midi-file */
    double duration, latency_ms;
    int stats, track;
    int link;                       /* --link: the --file's cycles on a Link session (cli_link.h) */
    long quantum;
    int fd;
    struct dirt *dirt;
    struct engine *eng;
    struct midi *midi;
    struct midi_dev *mdev;
    struct midi_file *mf;
    struct sample_bank *bank;
    atomic_int stop_net;
};

static volatile sig_atomic_t stop_signal;

static void on_stop(int sig)
{
    if (stop_signal)
        _exit(128 + sig);
    stop_signal = sig;
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

/* The socket on --listen:--port; the port it got (--port 0: any). */
static int open_socket(struct dirt_cli *c, int *port)
{
    char svc[16];
    snprintf(svc, sizeof svc, "%ld", c->port);
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_DGRAM,
                              .ai_flags = AI_PASSIVE | AI_NUMERICSERV }, *ai = NULL;
    int rc = getaddrinfo(c->listen, svc, &hints, &ai);
    if (rc)
        return cli_fail("dirt", PHONON_EXIT_USAGE, "--listen %s: %s", c->listen, gai_strerror(rc));
    int fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        freeaddrinfo(ai);
        return cli_fail("dirt", PHONON_EXIT_UNAVAILABLE, "cannot listen on %s port %ld: %s%s", c->listen, c->port,
                        strerror(err), err == EADDRINUSE ? " (is SuperDirt running?)" : "");
    }
    int loopback = ai->ai_family == AF_INET
                       ? (ntohl(((struct sockaddr_in *)ai->ai_addr)->sin_addr.s_addr) >> 24) == 127
                       : IN6_IS_ADDR_LOOPBACK(&((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr);
    freeaddrinfo(ai);
    if (!loopback && !c->eo.quiet)
        fprintf(stderr, "phonon dirt: warning: listening on %s: whoever can reach this machine can play on it\n",
                c->listen);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    getsockname(fd, (struct sockaddr *)&ss, &sl);
    *port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                           : ((struct sockaddr_in *)&ss)->sin_port);
    c->fd = fd;
    return 0;
}

/* The network thread: datagrams to dirt_packet, replies to their senders. */
static void *net_thread(void *arg)
{
    struct dirt_cli *c = arg;
    static unsigned char buf[65536], reply[512];
    while (!atomic_load(&c->stop_net)) {
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        if (poll(&p, 1, 100) <= 0)
            continue;
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom(c->fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
        if (n < 0)
            continue;
        long r = dirt_packet(c->dirt, buf, (size_t)n, reply, sizeof reply);
        if (r > 0)
            sendto(c->fd, reply, (size_t)r, 0, (struct sockaddr *)&from, fl);
    }
    return NULL;
}

static int64_t realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* --file in render mode: compiled once and published. 0 or an exit code. */
static int publish_file(struct dirt_cli *c, int rate)
{
    char *src = NULL;
    size_t len = 0;
    struct program *p = NULL;
    struct cli_compile_opts co = { .sample_rate = rate, .block = (int)c->eo.block, .bank = c->bank,
                                   .allow_missing = c->eo.allow_missing, .quiet = c->eo.quiet };
    int rc = cli_read_file("dirt", c->file, &src, &len);
    if (!rc)
        rc = cli_compile("dirt", c->file, src, len, &co, &p);
    free(src);
    if (!rc)
        engine_publish(c->eng, p);
    return rc;
}

/* The test mode: blocks rendered as the wall clock reaches them. */
static int run_render(struct dirt_cli *c, int64_t epoch)
{
    char msg[512];
    int rate = (int)c->eo.sample_rate, block = (int)c->eo.block;
    struct sndout_format fmt;
    if (sndout_choose(c->render, c->format, rate, &fmt, msg, sizeof msg))
        return cli_fail("dirt", PHONON_EXIT_USAGE, "%s", msg);
    int err = 0;
    struct sndout *snd = sndout_open(c->render, &fmt, rate, block, 0, &err, msg, sizeof msg);
    if (!snd)
        return cli_fail("dirt", PHONON_EXIT_CANTCREAT, "%s", msg);
    float *buf = malloc(sizeof(float) * 2 * (size_t)block);
    int64_t total = (int64_t)llround(c->duration * rate);
    int rc = buf ? 0 : cli_fail("dirt", PHONON_EXIT_SOFTWARE, "out of memory");
    for (int64_t done = 0; !rc && done < total && !stop_signal; done += block) {
        int64_t due = epoch + done * 1000000000 / rate;
        struct timespec ts = { (time_t)(due / 1000000000), (long)(due % 1000000000) };
        while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == EINTR && !stop_signal)
            ;
        engine_render(c->eng, buf, block);
        int n = total - done < block ? (int)(total - done) : block;
        if (sndout_write(snd, buf, n, msg, sizeof msg))
            rc = cli_fail("dirt", PHONON_EXIT_IOERR, "%s", msg);
        if (!rc && c->mf && midi_file_take(c->mf, c->midi))
            rc = cli_fail("dirt", PHONON_EXIT_SOFTWARE, "out of memory keeping MIDI messages");
        engine_collect(c->eng);
    }
    free(buf);
    if (!rc && c->mf) {                 /* notes still on end with the render */
        midi_all_off(c->midi, total);
        if (midi_file_take(c->mf, c->midi) || midi_file_write(c->mf, c->midi_path, total, msg, sizeof msg))
            rc = cli_fail("dirt", PHONON_EXIT_CANTCREAT, "cannot write %s", c->midi_path);
        else if (!c->eo.quiet)
            cli_midi_report("dirt", c->midi, c->midi_path, midi_file_count(c->mf));
    }
    if (rc) {
        sndout_abort(snd);
        return rc;
    }
    return sndout_finish(snd, msg, sizeof msg) ? cli_fail("dirt", PHONON_EXIT_IOERR, "%s", msg) : 0;
}

struct dirt_out {
    struct engine *eng;
};

static void play_block(void *user, float *out, int frames)
{
    struct dirt_out *o = user;
    engine_render(o->eng, out, frames);
}

/* Live: the device plays the engine; --file reloaded on saves. */
static int run_live(struct dirt_cli *c, struct audio *a, int rate)
{
    struct cli_live *l = NULL;
    struct watch *w = NULL;
    int rc = 0;
    if (c->file) {
        struct cli_compile_opts co = { .sample_rate = rate, .block = audio_block(a), .bank = c->bank,
                                       .allow_missing = c->eo.allow_missing, .quiet = c->eo.quiet };
        int werr = 0;
        if (!(l = cli_live_new(c->file, c->eng, &co, !c->eo.quiet)))
            return cli_fail("dirt", PHONON_EXIT_SOFTWARE, "out of memory");
        if (!(w = watch_new(c->file, &werr))) {
            cli_live_free(l);
            return cli_fail("dirt", werr == PHONON_ENOENT ? PHONON_EXIT_NOINPUT : PHONON_EXIT_SOFTWARE,
                            "cannot watch %s: %s", c->file, phonon_strerror(werr));
        }
        cli_live_load(l, 0);
    }
    struct cli_link *k = NULL;
    if (c->link)
        k = cli_link_new("dirt", c->eng, (int)c->quantum, rate, audio_latency(a), NULL, c->eo.quiet, &rc);
    if (!rc && audio_start(a) < 0)
        rc = cli_fail("dirt", PHONON_EXIT_UNAVAILABLE, "cannot start %s", audio_device_name(a));
    int64_t t0 = phonon_mono_ns();
    while (!rc && !stop_signal) {
        if (c->duration > 0 && (double)(phonon_mono_ns() - t0) * 1e-9 >= c->duration)
            break;
        if (w) {
            int64_t when = 0;
            int kind = watch_wait(w, 100, &when);
            cli_live_handle(l, kind, when);
            cli_live_tick(l);
        } else {
            struct timespec ts = { 0, 100000000 };
            nanosleep(&ts, NULL);
            engine_collect(c->eng);
        }
        cli_link_tick(k);
    }
    if (!rc)
        audio_stop(a);
    if (k && c->stats && !c->eo.quiet)
        cli_link_print_stats(k, stderr);
    cli_link_free(k);               /* the stream stopped (or never started) */
    if (c->mdev) {                      /* the audio thread is done: every note still on goes off */
        midi_dev_close(c->mdev);
        c->mdev = NULL;
    }
    watch_free(w);
    cli_live_free(l);
    return rc;
}

/* --midi-out's port or --midi-file's file, fed by the engine and dirt.
 * 0 or an exit code. */
static int open_midi(struct dirt_cli *c, struct audio *a, int rate)
{
    char msg[256];
    if (!c->midi_out && !c->midi_path)
        return 0;
    if (!(c->midi = midi_new(rate)))
        return cli_fail("dirt", PHONON_EXIT_SOFTWARE, "out of memory");
    if (c->midi_path && !(c->mf = midi_file_new(rate, 0.5625, msg, sizeof msg)))
        return cli_fail("dirt", PHONON_EXIT_USAGE, "%s", msg);
    if (c->midi_out && !(c->mdev = midi_dev_open(c->midi, c->midi_out, rate, audio_latency(a), msg, sizeof msg)))
        return cli_fail("dirt", PHONON_EXIT_UNAVAILABLE, "%s", msg);
    if (c->mdev && !c->eo.quiet)
        fprintf(stderr, "phonon dirt: MIDI to %s\n", midi_dev_name(c->mdev));
    engine_set_midi(c->eng, c->midi);
    return 0;
}

/* Engine, bank, dirt and socket; then render or play. */
static int dirt_run(struct dirt_cli *c)
{
    int rc = cli_engine_check("dirt", &c->eo, c->render == NULL);
    if (rc)
        return rc;
    if (c->port < 0 || c->port > 65535)
        return cli_fail("dirt", PHONON_EXIT_USAGE, "invalid option: --port 0..65535");
    if (c->render && !(c->duration > 0))
        return cli_fail("dirt", PHONON_EXIT_USAGE, "--render needs --duration SECONDS");
    if (c->quantum < 1 || c->quantum > CLI_LINK_MAX_QUANTUM)
        return cli_fail("dirt", PHONON_EXIT_USAGE, "invalid option: --quantum 1..%d", CLI_LINK_MAX_QUANTUM);
    if ((c->render || !c->link) && (c->link || c->quantum != CLI_LINK_QUANTUM))
        return cli_fail("dirt", PHONON_EXIT_USAGE, "%s", c->render ? "--link plays on a device, not with --render"
                                                                    : "--quantum goes with --link");
    if (c->link && !cli_link_available("dirt"))
        return PHONON_EXIT_UNAVAILABLE;
    if ((c->render && c->midi_out) || (!c->render && c->midi_path))
        return cli_fail("dirt", PHONON_EXIT_USAGE, "--midi-out plays to a port, --midi-file goes with --render");
    struct audio *a = NULL;
    struct dirt_out out = { 0 };
    int rate = (int)c->eo.sample_rate, block = (int)c->eo.block;
    if (!c->render) {
        struct audio_opts ao = { .device = c->device, .sample_rate = (double)c->eo.sample_rate, .block = block,
                                 .latency = c->latency_ms / 1000.0, .render = play_block, .user = &out };
        char msg[256] = "";
        int r = audio_open(&a, &ao, msg, sizeof msg);
        if (r < 0)
            return cli_fail("dirt", r == PHONON_ENODEV ? PHONON_EXIT_UNAVAILABLE : PHONON_EXIT_SOFTWARE, "%s", msg);
        rate = (int)lround(audio_sample_rate(a));
        block = audio_block(a);
    }
    struct engine_opts eo = { .sample_rate = rate, .block = block, .threads = (int)c->eo.threads,
                              .voices = (int)c->eo.voices, .quiet = 1,
                              .rt_priority = c->render ? 0 : POOL_RT_PRIORITY_DEFAULT };
    int port = 0;
    if (!(c->eng = engine_new(&eo)))
        rc = cli_fail("dirt", PHONON_EXIT_SOFTWARE, "out of memory starting the engine");
    out.eng = c->eng;
    if (!rc)
        rc = open_midi(c, a, rate);
    if (!rc && !(c->bank = cli_bank("dirt", &c->eo.samples, rate, c->eo.sample_mem, &rc)))
        rc = rc ? rc : PHONON_EXIT_SOFTWARE;
    if (!rc)
        rc = open_socket(c, &port);
    struct dirt_opts dopts = { .sample_rate = rate, .bank = c->bank, .host = c->listen, .port = port,
                               .warn = c->eo.quiet ? NULL : stderr };
    if (!rc && !(c->dirt = dirt_new(&dopts)))
        rc = cli_fail("dirt", PHONON_EXIT_SOFTWARE, "out of memory");
    if (!rc)
        dirt_set_midi(c->dirt, c->midi);
    if (!rc && c->render && c->file)
        rc = publish_file(c, rate);
    pthread_t net;
    int net_ok = 0, ran = !rc;
    if (!rc) {
        dirt_attach(c->dirt, c->eng);
        int64_t epoch = realtime_ns();
        if (c->render && !c->track)
            dirt_clock_fixed(c->dirt, epoch);
        net_ok = pthread_create(&net, NULL, net_thread, c) == 0;
        if (!c->eo.quiet)
            fprintf(stderr, "phonon dirt: listening on %s port %d (%d Hz, block %d)%s%s\n", c->listen, port, rate,
                    block, c->file ? ", playing " : "", c->file ? c->file : "");
        if (c->render) {
            printf("port %d epoch_ns %lld\n", port, (long long)epoch);
            fflush(stdout);
        }
        rc = c->render ? run_render(c, epoch) : run_live(c, a, rate);
    }
    if (net_ok) {
        atomic_store(&c->stop_net, 1);
        pthread_join(net, NULL);
    }
    audio_close(a);
    if (ran && (c->stats || c->render) && !c->eo.quiet)
        dirt_print_stats(c->dirt, stderr);
    return rc;
}

/* `phonon dirt`. */
int cli_dirt(int argc, char **argv)
{
    struct dirt_cli c = { .eo = CLI_ENGINE_DEFAULTS(0), .port = 57120, .listen = "127.0.0.1", .format = "f32",
                          .fd = -1, .quantum = CLI_LINK_QUANTUM };
    c.eo.block = CLI_BLOCK_UNSET;   /* none given: --file's buffer: statement, or the default */
    int list_midi = 0;
    const struct cli_opt opts[] = {
        { .name = "port", .short_name = 'p', .type = CLI_INT, .dest = &c.port, .metavar = "N",
          .help = "UDP port (default 57120, SuperDirt's; 0: any free one)" },
        { .name = "listen", .type = CLI_STRING, .dest = &c.listen, .metavar = "ADDR",
          .help = "address to listen on (default 127.0.0.1; 0.0.0.0 opens it to the network)" },
        { .name = "file", .short_name = 'f', .type = CLI_STRING, .dest = &c.file, .metavar = "FILE.ph",
          .help = "also play FILE.ph, reloaded on every save" },
        { .name = "device", .short_name = 'o', .type = CLI_STRING, .dest = &c.device, .metavar = "NAME|INDEX",
          .help = "output device (see phonon live --list-devices)" },
        { .name = "latency", .type = CLI_DOUBLE, .dest = &c.latency_ms, .metavar = "MS",
          .help = "output latency hint in ms" },
        { .name = "duration", .short_name = 'd', .type = CLI_DOUBLE, .dest = &c.duration, .metavar = "SECONDS",
          .help = "stop after this many seconds (--render: required)" },
        { .name = "render", .type = CLI_STRING, .dest = &c.render, .metavar = "OUT.wav",
          .help = "test mode: render to OUT against the wall clock, no device" },
        { .name = "format", .type = CLI_STRING, .dest = &c.format, .metavar = "s16|s24|f32",
          .help = "--render's sample format (default f32)" },
        { .name = "track-clock", .type = CLI_FLAG, .dest = &c.track,
          .help = "--render: map time tags as a device does (block starts read from the wall clock)" },
        { .name = "stats", .type = CLI_FLAG, .dest = &c.stats,
          .help = "at exit, print the OSC counts and the timing error" },
        { .name = "link", .type = CLI_FLAG, .dest = &c.link,
          .help = "join the Ableton Link session: --file's tempo and cycles shared (see phonon live)" },
        { .name = "quantum", .type = CLI_INT, .dest = &c.quantum, .metavar = "N",
          .help = "with --link: Link beats per cycle (default 4)" },
        { .name = "midi-out", .type = CLI_STRING, .dest = &c.midi_out, .metavar = "NAME|INDEX",
          .help = "send s \"midi\" events to this MIDI port (see --list-midi)" },
        { .name = "midi-file", .type = CLI_STRING, .dest = &c.midi_path, .metavar = "OUT.mid",
          .help = "--render: write s \"midi\" events to a MIDI file (one tick a frame)" },
        { .name = "list-midi", .type = CLI_FLAG, .dest = &list_midi, .help = "list the MIDI ports and exit" },
        CLI_ENGINE_OPTS(&c.eo, "sample rate (default: the device's; --render: 44100)",
                        "frames per block (default: --file's buffer: N, else " PHONON_STR(PHONON_DEFAULT_BLOCK) ")",
                        "threads, the audio one included (default: all cores)", "no notices or warnings"),
        { 0 },
    };
    const char **ops = NULL;
    int nops, help, rc = cli_parse(argc, argv, opts, usage, &ops, &nops, &help);
    if (!rc && !help && nops)
        rc = cli_fail("dirt", PHONON_EXIT_USAGE, "no operands expected (a .ph file goes with --file)");
    if (!rc && !help && list_midi)
        rc = cli_midi_list("dirt");
    else if (!rc && !help) {
        if (c.render && c.eo.sample_rate == 0)
            c.eo.sample_rate = PHONON_DEFAULT_RATE;
        if (c.file)
            cli_block_from_file(&c.eo, c.file);
        else if (c.eo.block == CLI_BLOCK_UNSET)
            c.eo.block = PHONON_DEFAULT_BLOCK;
        install_signals();
        rc = dirt_run(&c);
    }
    if (c.fd >= 0)
        close(c.fd);
    midi_dev_close(c.mdev);         /* (an error before the stream stopped) */
    engine_free(c.eng);             /* its voices may point into dirt's sound tables */
    dirt_free(c.dirt);
    midi_free(c.midi);
    midi_file_free(c.mf);
    sample_bank_free(c.bank);
    free(ops);
    free(c.eo.samples.items);
    return rc;
}
