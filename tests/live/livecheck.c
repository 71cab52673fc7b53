/* livecheck.c -- the two halves of the real-time reload test
 * (tests/live/reload.sh, soak.sh): an editor that saves a pattern file on a
 * schedule, and the judge that reads what `phonon live` played.
 *
 *   livecheck write FILE LOG SECONDS PERIOD_MS A.ph B.ph [BAD_AT]
 *       Save B and A into FILE alternately (FILE holds A to begin with),
 *       one save every PERIOD_MS, for SECONDS. Save number BAD_AT (1-based;
 *       0 or absent: none) is the version that was due with its ~tone line
 *       broken, so that it does not parse; the next save is that version
 *       fixed.
 *       Even saves write in place (truncate + write), odd ones write a
 *       temporary file and rename it over FILE, the two ways editors save.
 *       LOG gets one line per save: "T_NS A|B|X" (CLOCK_MONOTONIC right
 *       after the save; X: the broken one).
 *
 *   livecheck analyze REC.wav LOG LIVE.log REF_A.wav REF_B.wav FREQ_A FREQ_B BLOCK P99_MS
 *       REC is the recording of what live played while `write` ran, LIVE.log
 *       live's stderr (one "loaded ..., playing X ms after the save" line
 *       per good save), REF_A and REF_B renders of A and B (for the largest
 *       step their own content has). Checks, printing what it measured:
 *       - no gap: no run of near-silence longer than GAP_MS in the tone;
 *       - no click: the largest sample-to-sample step is at most the
 *         renders' largest plus the steepest step the louder tone can add
 *         (the tone's phase against the rest differs after a reload);
 *       - the tone switches between FREQ_A and FREQ_B exactly when a save
 *         changed the program (a broken save changes nothing);
 *       - each switch falls on a block boundary of the recording (jack_rec's
 *         cycles are live's blocks), within SWITCH_ALIGN_MS, the zero-crossing
 *         detector's resolution;
 *       - each switch comes within one block + the measured latency of its
 *         save: the recording has no clock in common with LOG, so what is
 *         checked is that the delay from save to switch varies by at most
 *         one block + P99_MS (live --stats' latency P99, which --stats
 *         checks against its own target). Also printed: how that delay
 *         minus live's latency for each save varies (the clocks' offset,
 *         plus the watcher's wake-up after the save and where in its cycle
 *         the callback ran, which live's figure cannot see).
 *       Exit 0 when everything holds, 1 otherwise.
 *
 * The tone is assumed much louder than anything else (big.ph mixes the rest
 * at -28 dB), so its zero crossings tell its frequency.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sndfile.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { GAP_MS = 2 };
static const double SWITCH_ALIGN_MS = 2.0;

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "livecheck: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    if (!s || fread(s, 1, (size_t)n, f) != (size_t)n)
        exit(2);
    s[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return s;
}

static void put(const char *path, const char *s, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, s, n) != (ssize_t)n || close(fd) != 0) {
        fprintf(stderr, "livecheck: cannot write %s: %s\n", path, strerror(errno));
        exit(2);
    }
}

/* ---- write ------------------------------------------------------------------ */

static int cmd_write(int argc, char **argv)
{
    if (argc < 7)
        return 2;
    const char *file = argv[1], *logp = argv[2];
    double seconds = atof(argv[3]);
    int period_ms = atoi(argv[4]);
    int bad_at = argc > 7 ? atoi(argv[7]) : 0;
    size_t len[2];
    char *text[2] = { slurp(argv[5], &len[0]), slurp(argv[6], &len[1]) };
    /* the broken variants: "~tone: sine (" opens a parenthesis that never
     * closes, a syntax error */
    char *bad[2];
    size_t badlen[2];
    for (int v = 0; v < 2; v++) {
        const char *at = strstr(text[v], "~tone: sine ");
        if (!at) {
            fprintf(stderr, "livecheck: %s has no '~tone: sine ' line\n", argv[5 + v]);
            return 2;
        }
        size_t pre = (size_t)(at - text[v]) + strlen("~tone: sine ");
        bad[v] = malloc(len[v] + 8);
        memcpy(bad[v], text[v], pre);
        memcpy(bad[v] + pre, "( ", 2);
        memcpy(bad[v] + pre + 2, text[v] + pre, len[v] - pre);
        badlen[v] = len[v] + 2;
    }
    FILE *log = fopen(logp, "w");
    if (!log)
        return 2;
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp~", file);
    int64_t t0 = mono_ns(), period = (int64_t)period_ms * 1000000;
    int saves = (int)(seconds * 1000 / period_ms);
    int next = 1;                       /* A plays first: B is due */
    for (int k = 1; k <= saves; k++) {
        int64_t due = t0 + (int64_t)k * period;
        struct timespec ts = { (time_t)(due / 1000000000), (long)(due % 1000000000) };
        while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
            ;
        int broken = k == bad_at;       /* the fix is the next save: `next` stays due */
        const char *s = broken ? bad[next] : text[next];
        size_t n = broken ? badlen[next] : len[next];
        if (k % 2 == 0) {
            put(file, s, n);
        } else {
            put(tmp, s, n);
            if (rename(tmp, file) != 0) {
                fprintf(stderr, "livecheck: rename: %s\n", strerror(errno));
                return 2;
            }
        }
        fprintf(log, "%lld %c\n", (long long)mono_ns(), broken ? 'X' : "AB"[next]);
        if (!broken)
            next ^= 1;
    }
    fclose(log);
    return 0;
}

/* ---- analyze ------------------------------------------------------------------ */

struct save {
    double t;                       /* seconds, CLOCK_MONOTONIC */
    char v;
};

static float *read_wav(const char *path, long *frames, int *rate)
{
    SF_INFO info = { 0 };
    SNDFILE *sf = sf_open(path, SFM_READ, &info);
    if (!sf) {
        fprintf(stderr, "livecheck: %s: %s\n", path, sf_strerror(NULL));
        exit(2);
    }
    float *x = malloc(sizeof *x * (size_t)info.frames * (size_t)info.channels);
    float *mono = malloc(sizeof *mono * (size_t)info.frames);
    if (!x || !mono || sf_readf_float(sf, x, info.frames) != info.frames)
        exit(2);
    sf_close(sf);
    for (long i = 0; i < info.frames; i++)
        mono[i] = x[i * info.channels];            /* left */
    free(x);
    *frames = info.frames;
    *rate = info.samplerate;
    return mono;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double max_step(const float *x, long from, long to)
{
    double m = 0;
    for (long i = from + 1; i < to; i++)
        m = fmax(m, fabs((double)x[i] - x[i - 1]));
    return m;
}

static int cmd_analyze(int argc, char **argv)
{
    if (argc < 10)
        return 2;
    long n, nref[2];
    int rate, ref_rate;
    float *x = read_wav(argv[1], &n, &rate);
    float *ref[2] = { read_wav(argv[4], &nref[0], &ref_rate), read_wav(argv[5], &nref[1], &ref_rate) };
    double fa = atof(argv[6]), fb = atof(argv[7]);
    int block = atoi(argv[8]);
    double p99 = atof(argv[9]) * 1e-3;
    int fail = 0;

    /* the saves, and the switches they should cause */
    FILE *lf = fopen(argv[2], "r");
    if (!lf)
        return 2;
    struct save *sv = NULL;
    int ns = 0, cap = 0;
    long long t;
    char v;
    while (fscanf(lf, "%lld %c", &t, &v) == 2) {
        if (ns == cap)
            sv = realloc(sv, sizeof *sv * (size_t)(cap = cap ? cap * 2 : 256));
        sv[ns++] = (struct save){ (double)t * 1e-9, v };
    }
    fclose(lf);
    /* live's latency for each good save, in order (the first load, of the
     * file as it was at start, has none) */
    double *lat = malloc(sizeof *lat * (size_t)(ns + 1));
    int nlat = 0;
    FILE *ll = fopen(argv[3], "r");
    if (!ll)
        return 2;
    char line[8192];
    while (fgets(line, sizeof line, ll)) {
        const char *p = strstr(line, ", playing ");
        if (p && nlat <= ns)
            lat[nlat++] = atof(p + strlen(", playing ")) * 1e-3;
    }
    fclose(ll);

    /* the part of the recording where the tone plays (live may have started
     * or ended within it) */
    long first = 0, last = n - 1;
    while (first < n && fabsf(x[first]) < 1e-3f)
        first++;
    while (last > first && fabsf(x[last]) < 1e-3f)
        last--;
    printf("recording: %.2f s at %d Hz, the tone from %.3f s to %.3f s\n", (double)n / rate, rate,
           (double)first / rate, (double)last / rate);
    if (last - first < rate) {
        printf("FAIL: less than a second of sound in the recording\n");
        return 1;
    }
    /* gap: a run of near-silence; the tone (0.3 at <= 660 Hz) is below 1e-3
     * for well under a sample around each zero crossing */
    long run = 0, worst_run = 0, worst_at = 0;
    for (long i = first; i <= last; i++) {
        run = fabsf(x[i]) < 1e-3f ? run + 1 : 0;
        if (run > worst_run)
            worst_run = run, worst_at = i;
    }
    printf("longest near-silence: %ld samples (%.3f ms) at %.3f s\n", worst_run, worst_run * 1e3 / rate,
           (double)worst_at / rate);
    if (worst_run > GAP_MS * rate / 1000) {
        printf("FAIL: a gap in the sound\n");
        fail = 1;
    }
    /* click: the largest step compared with what the content has by itself */
    double rec_step = max_step(x, first, last);
    double ref_step = fmax(max_step(ref[0], 0, nref[0]), max_step(ref[1], 0, nref[1]));
    double tone_step = 0.3 * 2 * M_PI * fmax(fa, fb) / rate;
    printf("largest step: recording %.4f, render %.4f (+ tone %.4f allowed)\n", rec_step, ref_step, tone_step);
    if (rec_step > ref_step + tone_step + 0.005) {
        long at = first;
        for (long i = first + 1; i <= last; i++)
            if (fabs((double)x[i] - x[i - 1]) >= rec_step)
                at = i;
        printf("FAIL: a click at %.4f s (step %.4f)\n", (double)at / rate, rec_step);
        fail = 1;
    }

    /* frequency: classify each half period between zero crossings (linear
     * interpolation) as A, B or neither; a switch lies between the last
     * half period of one and the first of the other */
    double half_a = rate / (2 * fa), half_b = rate / (2 * fb), tol = 0.15 * fmin(half_a, half_b);
    double prev_cross = -1, last_end[2] = { -1, -1 };
    int cur = -1, nsw = 0;
    double *sw = malloc(sizeof *sw * (size_t)(n / 16 + 1));
    char *swv = malloc((size_t)(n / 16 + 1));
    for (long i = first + 1; i <= last; i++) {
        if ((x[i - 1] < 0) == (x[i] < 0))
            continue;
        double c = (double)(i - 1) + x[i - 1] / (double)(x[i - 1] - x[i]);
        if (prev_cross >= 0) {
            double h = c - prev_cross;
            int k = fabs(h - half_a) < tol ? 0 : fabs(h - half_b) < tol ? 1 : -1;
            if (k >= 0) {
                if (cur >= 0 && k != cur) {
                    sw[nsw] = (last_end[cur] + prev_cross) / 2 / rate;
                    swv[nsw++] = "AB"[k];
                }
                cur = k;
                last_end[k] = c;
            }
        }
        prev_cross = c;
    }
    /* expected: a switch at each save that changes what plays */
    char playing = 'A';
    int nexp = 0, good = 0;
    double *ex = malloc(sizeof *ex * (size_t)(ns + 1)), *exlat = malloc(sizeof *exlat * (size_t)(ns + 1));
    char *exv = malloc((size_t)ns + 1);
    int bad_saves = 0;
    for (int i = 0; i < ns; i++) {
        if (sv[i].v == 'X') {
            bad_saves++;
            continue;
        }
        if (sv[i].v != playing) {
            ex[nexp] = sv[i].t;
            exlat[nexp] = good < nlat ? lat[good] : NAN;
            exv[nexp++] = sv[i].v;
            playing = sv[i].v;
        }
        good++;
    }
    printf("saves: %d (%d broken); switches expected %d, heard %d; live reported %d latencies\n", ns, bad_saves,
           nexp, nsw, nlat);
    if (nlat != good) {
        printf("FAIL: live reported a latency for %d of the %d good saves\n", nlat, good);
        fail = 1;
    }
    if (nsw != nexp) {
        printf("FAIL: the number of switches differs\n");
        for (int i = 0; i < nsw && i < 400; i++)
            printf("  heard %c at %.4f s\n", swv[i], sw[i]);
        return 1;
    }
    double dmin = 1e9, dmax = -1e9, *off = malloc(sizeof *off * (size_t)(nsw + 1));
    for (int i = 0; i < nsw; i++) {
        if (swv[i] != exv[i]) {
            printf("FAIL: switch %d is to %c, the save was %c\n", i + 1, swv[i], exv[i]);
            return 1;
        }
        double d = sw[i] - ex[i];
        dmin = fmin(dmin, d);
        dmax = fmax(dmax, d);
        off[i] = d - exlat[i];
    }
    printf("save -> switch delay: spread %.2f ms (allowed: one block + latency P99 = %.2f ms)\n",
           (dmax - dmin) * 1e3, 1e3 * ((double)block / rate + p99));
    if (dmax - dmin > (double)block / rate + p99) {
        printf("FAIL: a switch did not come within one block + the measured latency\n");
        fail = 1;
    }
    /* block boundaries: the switches' frame modulo the block, centred */
    double *mod = malloc(sizeof *mod * (size_t)(nsw + 1)), omin = INFINITY, omax = -INFINITY;
    for (int i = 0; i < nsw; i++) {
        double m = fmod(sw[i] * rate, block);
        mod[i] = m > block / 2.0 ? m - block : m;
        if (!isnan(off[i]))
            omin = fmin(omin, off[i]), omax = fmax(omax, off[i]);
    }
    qsort(mod, (size_t)nsw, sizeof *mod, cmp_double);
    double align = nsw ? fmax(mod[nsw / 2] - mod[0], mod[nsw - 1] - mod[nsw / 2]) / rate * 1e3 : 0;
    printf("switches on block boundaries: within %.2f ms (allowed %.1f ms)\n", align, SWITCH_ALIGN_MS);
    if (align > SWITCH_ALIGN_MS) {
        printf("FAIL: a switch fell inside a block\n");
        fail = 1;
    }
    printf("save -> switch delay minus live's latency for the save: spread %.2f ms\n", (omax - omin) * 1e3);
    return fail;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "write"))
        return cmd_write(argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "analyze"))
        return cmd_analyze(argc - 1, argv + 1);
    fprintf(stderr, "usage: livecheck write FILE LOG SECONDS PERIOD_MS A.ph B.ph [BAD_AT]\n"
                    "       livecheck analyze REC.wav LOG LIVE.log REF_A.wav REF_B.wav FREQ_A FREQ_B BLOCK P99_MS\n");
    return 2;
}
