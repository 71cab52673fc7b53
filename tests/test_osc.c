/* tests/test_osc.c -- the OSC decoder (src/osc.c) and SuperDirt's protocol
 * on the engine (src/dirt.c).
 *
 * The decoder: every type, bundles inside bundles, time tags, and the
 * packets it must refuse whole. With liblo installed (PHONON_HAVE_LIBLO,
 * the Makefile), messages and bundles liblo writes are decoded by ours and
 * what ours writes is read by liblo: two implementations of the spec agree.
 *
 * dirt: with a fixed clock and engine_render driven here (no wall clock in
 * the judgement), a bundle's voice starts at the frame its time tag names,
 * a late one at the next block (counted), unsafe and unknown sound names
 * play nothing, and a block starts at most DIRT_MAX_PER_BLOCK events.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dirt.h"
#include "engine.h"
#include "osc.h"
#include "sample.h"

#include <pthread.h>
#include <time.h>
#ifdef PHONON_HAVE_LIBLO
#include <lo/lo.h>
#endif

/* ---- writing packets by hand ------------------------------------------------------- */

struct pk {
    unsigned char b[2048];
    size_t n;
};

static void pk_bytes(struct pk *p, const void *x, size_t n)
{
    memcpy(p->b + p->n, x, n);
    p->n += n;
}

static void pk_str(struct pk *p, const char *s)
{
    size_t n = strlen(s), padded = (n + 4) & ~(size_t)3;
    memset(p->b + p->n, 0, padded);
    memcpy(p->b + p->n, s, n);
    p->n += padded;
}

static void pk_u32(struct pk *p, uint32_t v)
{
    unsigned char b[4] = { (unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8),
                           (unsigned char)v };
    pk_bytes(p, b, 4);
}

static void pk_u64(struct pk *p, uint64_t v)
{
    pk_u32(p, (uint32_t)(v >> 32));
    pk_u32(p, (uint32_t)v);
}

static void pk_f32(struct pk *p, float f)
{
    uint32_t u;
    memcpy(&u, &f, 4);
    pk_u32(p, u);
}

/* A bundle at time t holding message m. */
static void pk_bundle(struct pk *out, uint64_t t, const struct pk *m)
{
    out->n = 0;
    pk_bytes(out, "#bundle", 8);
    pk_u64(out, t);
    pk_u32(out, (uint32_t)m->n);
    pk_bytes(out, m->b, m->n);
}

/* ---- what the decoder delivers ---------------------------------------------------- */

struct got {
    int n;
    struct osc_msg m[8];
    char strs[8][OSC_MAX_ARGS][32];
};

static void collect(void *user, const struct osc_msg *m)
{
    struct got *g = user;
    if (g->n == 8)
        return;
    g->m[g->n] = *m;
    for (int i = 0; i < m->nargs && i < OSC_MAX_ARGS; i++)
        if (m->args[i].type == 's')
            snprintf(g->strs[g->n][i], 32, "%s", m->args[i].str);
    g->n++;
}

static struct osc_msg scratch;

static int decode(const struct pk *p, struct got *g)
{
    memset(g, 0, sizeof *g);
    return osc_decode(p->b, p->n, &scratch, collect, g);
}

static void test_osc_every_type(void **state)
{
    (void)state;
    struct pk p = { .n = 0 };
    pk_str(&p, "/x/y");
    pk_str(&p, ",ifsdhtbTFNIc");
    pk_u32(&p, (uint32_t)-7);
    pk_f32(&p, 0.25f);
    pk_str(&p, "bd");
    double d = -1.5;
    uint64_t du;
    memcpy(&du, &d, 8);
    pk_u64(&p, du);
    pk_u64(&p, (uint64_t)-3);
    pk_u64(&p, 0x0123456789abcdefull);
    pk_u32(&p, 5);
    pk_bytes(&p, "abcde\0\0\0", 8);
    pk_u32(&p, 'A');
    struct got g;
    assert_int_equal(decode(&p, &g), 1);
    const struct osc_msg *m = &g.m[0];
    assert_string_equal(m->addr, "/x/y");
    assert_true(m->time == OSC_TIME_NOW);
    assert_int_equal(m->nargs, 12);
    assert_true(m->args[0].num == -7);
    assert_true(m->args[1].num == 0.25);
    assert_string_equal(g.strs[0][2], "bd");
    assert_true(m->args[3].num == -1.5);
    assert_true(m->args[4].num == -3);
    assert_true(m->args[5].u64 == 0x0123456789abcdefull);
    assert_int_equal(m->args[6].type, 'b');
    assert_true(m->args[7].num == 1 && m->args[8].num == 0);
    assert_int_equal(m->args[9].type, 'N');
    assert_int_equal(m->args[10].type, 'I');
    assert_true(m->args[11].num == 'A');
}

static void test_osc_nested_bundles_keep_their_times(void **state)
{
    (void)state;
    struct pk a = { .n = 0 }, b = { .n = 0 }, inner, outer = { .n = 0 };
    pk_str(&a, "/a");
    pk_str(&a, ",");
    pk_str(&b, "/b");
    pk_str(&b, ",s");
    pk_str(&b, "sn");
    pk_bundle(&inner, 77, &b);
    pk_bytes(&outer, "#bundle", 8);
    pk_u64(&outer, 55);
    pk_u32(&outer, (uint32_t)a.n);
    pk_bytes(&outer, a.b, a.n);
    pk_u32(&outer, (uint32_t)inner.n);
    pk_bytes(&outer, inner.b, inner.n);
    struct got g;
    assert_int_equal(decode(&outer, &g), 2);
    assert_string_equal(g.m[0].addr, "/a");
    assert_true(g.m[0].time == 55);
    assert_string_equal(g.m[1].addr, "/b");
    assert_true(g.m[1].time == 77);
    assert_string_equal(g.strs[1][0], "sn");
}

/* Each of these is refused whole: nothing delivered. */
static void test_osc_malformed_packets_deliver_nothing(void **state)
{
    (void)state;
    struct pk ok = { .n = 0 };
    pk_str(&ok, "/dirt/play");
    pk_str(&ok, ",si");
    pk_str(&ok, "s");
    pk_u32(&ok, 1);
    struct got g;
    assert_int_equal(decode(&ok, &g), 1);
    for (size_t cut = 0; cut < ok.n; cut++) {       /* every truncation */
        struct pk t = ok;
        t.n = cut;
        assert_int_equal(decode(&t, &g), OSC_EMALFORMED);
        assert_int_equal(g.n, 0);
    }
    struct pk bad = ok;
    bad.b[13] = 'x';                                 /* type tag without ',' */
    assert_int_equal(decode(&bad, &g), OSC_EMALFORMED);
    bad = ok;
    bad.b[13] = ',';
    bad.b[15] = 'q';                                 /* unknown type */
    assert_int_equal(decode(&bad, &g), OSC_EMALFORMED);
    bad = ok;
    pk_u32(&bad, 9);                                 /* bytes left over */
    assert_int_equal(decode(&bad, &g), OSC_EMALFORMED);
    bad = ok;
    bad.b[0] = 'd';                                  /* address without '/' */
    assert_int_equal(decode(&bad, &g), OSC_EMALFORMED);
    /* a bundle element whose size runs past the end, then one of size 0,
     * then a good message after a bad one: nothing at all */
    struct pk bu;
    pk_bundle(&bu, 5, &ok);
    bu.b[19] += 4;
    assert_int_equal(decode(&bu, &g), OSC_EMALFORMED);
    pk_bundle(&bu, 5, &ok);
    pk_u32(&bu, 0);
    assert_int_equal(decode(&bu, &g), OSC_EMALFORMED);
    assert_int_equal(g.n, 0);
    /* bundles nested deeper than OSC_MAX_DEPTH */
    struct pk deep = ok, next;
    for (int i = 0; i < OSC_MAX_DEPTH; i++) {
        pk_bundle(&next, 1, &deep);
        deep = next;
    }
    assert_int_equal(decode(&deep, &g), 1);
    pk_bundle(&next, 1, &deep);
    assert_int_equal(decode(&next, &g), OSC_EMALFORMED);
}

static void test_osc_time_tags(void **state)
{
    (void)state;
    int64_t ns = 1733500000123456789LL;
    uint64_t t = osc_time_from_unix_ns(ns);
    assert_int_equal(t >> 32, 1733500000u + OSC_NTP_UNIX_OFFSET);
    int64_t back = osc_time_to_unix_ns(t);
    assert_true(back - ns <= 1 && ns - back <= 1);
    assert_int_equal(osc_time_to_unix_ns(OSC_TIME_NOW), 0);
    assert_int_equal(osc_time_to_unix_ns((uint64_t)(OSC_NTP_UNIX_OFFSET + 1) << 32 | 0x80000000u), 1500000000);
}

#ifdef PHONON_HAVE_LIBLO
/* liblo writes, we read. */
static void test_osc_reads_what_liblo_writes(void **state)
{
    (void)state;
    lo_message m = lo_message_new();
    lo_message_add_string(m, "s");
    lo_message_add_string(m, "superpiano");
    lo_message_add_string(m, "n");
    lo_message_add_float(m, 3.5f);
    lo_message_add_string(m, "orbit");
    lo_message_add_int32(m, -2);
    lo_message_add_double(m, 0.125);
    lo_message_add_int64(m, -9);
    lo_message_add_true(m);
    lo_message_add_nil(m);
    lo_timetag tt = { 3942489600u, 0x40000000u };
    lo_bundle b = lo_bundle_new(tt);
    lo_bundle_add_message(b, "/dirt/play", m);
    size_t size = 0;
    void *data = lo_bundle_serialise(b, NULL, &size);
    struct got g;
    memset(&g, 0, sizeof g);
    assert_int_equal(osc_decode(data, size, &scratch, collect, &g), 1);
    assert_string_equal(g.m[0].addr, "/dirt/play");
    assert_true(g.m[0].time == ((uint64_t)3942489600u << 32 | 0x40000000u));
    assert_int_equal(g.m[0].nargs, 10);
    assert_string_equal(g.strs[0][1], "superpiano");
    assert_true(g.m[0].args[3].num == 3.5);
    assert_true(g.m[0].args[5].num == -2);
    assert_true(g.m[0].args[6].num == 0.125);
    assert_true(g.m[0].args[7].num == -9);
    assert_int_equal(g.m[0].args[8].type, 'T');
    assert_int_equal(g.m[0].args[9].type, 'N');
    free(data);
    lo_bundle_free_recursive(b);
}

/* We write (the handshake reply's writer), liblo reads. */
static void test_osc_liblo_reads_what_we_write(void **state)
{
    (void)state;
    unsigned char buf[256];
    struct osc_out o;
    osc_out_begin(&o, buf, sizeof buf, "/dirt/handshake/reply", ",sisi");
    osc_out_str(&o, "&serverPort");
    osc_out_int(&o, 57120);
    osc_out_str(&o, "&controlBusIndices");
    osc_out_int(&o, -1);
    long n = osc_out_end(&o);
    assert_true(n > 0);
    int res = 0;
    lo_message m = lo_message_deserialise(buf, (size_t)n, &res);
    assert_non_null(m);
    assert_string_equal(lo_get_path(buf, n), "/dirt/handshake/reply");
    assert_string_equal(lo_message_get_types(m), "sisi");
    /* liblo keeps its argv array and the arguments inside the message, 4-byte
     * aligned as OSC is, though both are 8-byte types: pointers and values
     * are read by copying their bytes */
    lo_arg **argv = lo_message_get_argv(m);
    const void *a[4];
    memcpy(a, argv, sizeof a);
    int32_t port, buses;
    memcpy(&port, a[1], sizeof port);
    memcpy(&buses, a[3], sizeof buses);
    assert_string_equal((const char *)a[0], "&serverPort");
    assert_int_equal(port, 57120);
    assert_int_equal(buses, -1);
    lo_message_free(m);
    osc_out_begin(&o, buf, 8, "/too/long/for/eight/bytes", ",");
    assert_int_equal(osc_out_end(&o), -1);
}
#endif

/* ---- dirt on the engine ------------------------------------------------------------ */

enum { SR = 44100, BLOCK = 256 };

struct rig {
    char root[64];
    struct sample_bank *bank;
    struct engine *eng;
    struct dirt *dirt;
    int64_t epoch;
    float *out;                     /* the mono sum of everything rendered */
    int64_t frames;
};

/* ROOT/click/a.wav: one frame at 0.5, then silence. */
static void write_click(const char *root)
{
    char dir[128], path[160];
    snprintf(dir, sizeof dir, "%s/click", root);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/a.wav", dir);
    float x[64] = { 0.5f };
    SF_INFO info = { .samplerate = SR, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    assert_non_null(sf);
    sf_writef_float(sf, x, 64);
    sf_close(sf);
}

static void rig_open(struct rig *r)
{
    memset(r, 0, sizeof *r);
    snprintf(r->root, sizeof r->root, "/tmp/phonon-test-osc-XXXXXX");
    assert_non_null(mkdtemp(r->root));
    write_click(r->root);
    const char *roots[] = { r->root };
    struct sample_bank_opts so = { .no_env = 1, .no_kit = 1 };
    r->bank = sample_bank_new(roots, 1, SR, &so, NULL);
    assert_non_null(r->bank);
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 1, .voices = 1024, .quiet = 1 };
    r->eng = engine_new(&eo);
    assert_non_null(r->eng);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    r->epoch = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    struct dirt_opts d = { .sample_rate = SR, .bank = r->bank, .port = 57120 };
    r->dirt = dirt_new(&d);
    assert_non_null(r->dirt);
    dirt_attach(r->dirt, r->eng);
    dirt_clock_fixed(r->dirt, r->epoch);
    r->out = calloc(SR * 2, sizeof *r->out);
}

static void rig_close(struct rig *r)
{
    engine_free(r->eng);
    dirt_free(r->dirt);
    sample_bank_free(r->bank);
    free(r->out);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", r->root);
    assert_int_equal(system(cmd), 0);
}

static void rig_render(struct rig *r, int blocks)
{
    float buf[2 * BLOCK];
    for (int b = 0; b < blocks && r->frames + BLOCK <= SR * 2; b++) {
        engine_render(r->eng, buf, BLOCK);
        for (int f = 0; f < BLOCK; f++)
            r->out[r->frames + f] = buf[2 * f] + buf[2 * f + 1];
        r->frames += BLOCK;
    }
}

/* A /dirt/play bundle of s NAME at `frame` (+ a quarter frame) after epoch,
 * with SuperDirt's lag (seconds) when lag is not 0. */
static void rig_play_lag(struct rig *r, const char *name, double frame, float lag)
{
    struct pk m = { .n = 0 }, b;
    pk_str(&m, "/dirt/play");
    pk_str(&m, lag != 0 ? ",sssfsfsf" : ",sssfsf");
    pk_str(&m, "s");
    pk_str(&m, name);
    pk_str(&m, "cps");
    pk_f32(&m, 0.5625f);
    pk_str(&m, "delta");
    pk_f32(&m, 0.1f);
    if (lag != 0) {
        pk_str(&m, "lag");
        pk_f32(&m, lag);
    }
    int64_t ns = r->epoch + (int64_t)llround((frame + 0.25) * 1e9 / SR);
    pk_bundle(&b, osc_time_from_unix_ns(ns), &m);
    unsigned char reply[64];
    assert_int_equal(dirt_packet(r->dirt, b.b, b.n, reply, sizeof reply), 0);
}

static void rig_play(struct rig *r, const char *name, double frame) { rig_play_lag(r, name, frame, 0); }

/* Frames where a click starts: the output rises through 0.1 (a click is
 * one frame of 0.5 a side; the master's DC blocker leaves a tail of about
 * -0.001 after it). */
static int rig_onsets(const struct rig *r, int64_t *at, int max)
{
    int n = 0;
    for (int64_t i = 1; i < r->frames; i++)
        if (r->out[i] > 0.1f && r->out[i - 1] <= 0.1f && n < max)
            at[n++] = i;
    return n;
}

static void test_dirt_bundles_start_at_their_frames(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r);
    rig_play(&r, "click", 1000);
    rig_play(&r, "click", 1023);
    rig_play(&r, "click", 5000);            /* in a later block */
    rig_play_lag(&r, "click", 2000, 0.25f); /* 11025 frames later */
    rig_play(&r, "supersaw", 14000);        /* a synth: plays, not a click to find */
    rig_render(&r, 60);
    int64_t at[8];
    int n = rig_onsets(&r, at, 8);
    assert_true(n >= 4);
    assert_int_equal(at[0], 1000);
    assert_int_equal(at[1], 1023);
    assert_int_equal(at[2], 5000);
    assert_int_equal(at[3], 13025);
    struct dirt_stats st;
    dirt_get_stats(r.dirt, &st);
    assert_int_equal(st.events, 5);
    assert_int_equal(st.started, 5);
    assert_int_equal(st.late, 0);
    rig_close(&r);
}

static void test_dirt_late_and_refused(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r);
    rig_render(&r, 10);                     /* frames 0 .. 2559 have played */
    rig_play(&r, "click", 100);             /* its time has passed */
    rig_play(&r, "../click", 3000);         /* leaves the roots */
    rig_play(&r, "click/../click", 3000);
    rig_play(&r, "nosuch", 3000);
    rig_render(&r, 20);
    int64_t at[8];
    int n = rig_onsets(&r, at, 8);
    assert_int_equal(n, 1);
    assert_int_equal(at[0], 10 * BLOCK);    /* at once: the next block's first frame */
    struct dirt_stats st;
    dirt_get_stats(r.dirt, &st);
    assert_int_equal(st.late, 1);
    assert_int_equal(st.no_sound, 3);
    assert_int_equal(st.started, 1);
    rig_close(&r);
}

static void test_dirt_bounds_a_flood(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r);
    for (int i = 0; i < DIRT_MAX_PER_BLOCK + 40; i++)
        rig_play(&r, "click", 600);
    rig_render(&r, 8);
    struct dirt_stats st;
    dirt_get_stats(r.dirt, &st);
    assert_int_equal(st.started, DIRT_MAX_PER_BLOCK);
    assert_int_equal(st.dropped, 40);
    /* the handshake is answered as SuperDirt answers it */
    struct pk h = { .n = 0 };
    pk_str(&h, "/dirt/handshake");
    pk_str(&h, ",");
    unsigned char reply[256];
    long n = dirt_packet(r.dirt, h.b, h.n, reply, sizeof reply);
    assert_true(n > 0);
    struct got g;
    memset(&g, 0, sizeof g);
    assert_int_equal(osc_decode(reply, (size_t)n, &scratch, collect, &g), 1);
    assert_string_equal(g.m[0].addr, "/dirt/handshake/reply");
    assert_string_equal(g.strs[0][4], "&controlBusIndices");
    /* garbage is counted, not played */
    assert_int_equal(dirt_packet(r.dirt, "#bundle", 7, reply, sizeof reply), 0);
    dirt_get_stats(r.dirt, &st);
    assert_int_equal(st.malformed, 1);
    rig_close(&r);
}

/* The network thread and the audio thread at once: every event sent is
 * started or counted as dropped (run it under ThreadSanitizer: make tsan). */
struct sender {
    struct rig *r;
    int n;
};

static void *send_events(void *arg)
{
    struct sender *s = arg;
    for (int i = 0; i < s->n; i++)
        rig_play(s->r, "click", 3000 + 37.0 * i);
    return NULL;
}

static void test_dirt_two_threads(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r);
    struct sender s = { &r, 3000 };
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, send_events, &s), 0);
    float buf[2 * BLOCK];
    for (int b = 0; b < 600; b++)           /* 3.5 s of frames; all events fall before the end */
        engine_render(r.eng, buf, BLOCK);
    pthread_join(t, NULL);
    for (int b = 0; b < 10; b++)
        engine_render(r.eng, buf, BLOCK);
    struct dirt_stats st;
    dirt_get_stats(r.dirt, &st);
    assert_int_equal(st.started + st.dropped, s.n);
    assert_int_equal(st.no_sound, 0);
    rig_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osc_every_type),
        cmocka_unit_test(test_osc_nested_bundles_keep_their_times),
        cmocka_unit_test(test_osc_malformed_packets_deliver_nothing),
        cmocka_unit_test(test_osc_time_tags),
#ifdef PHONON_HAVE_LIBLO
        cmocka_unit_test(test_osc_reads_what_liblo_writes),
        cmocka_unit_test(test_osc_liblo_reads_what_we_write),
#endif
        cmocka_unit_test(test_dirt_bundles_start_at_their_frames),
        cmocka_unit_test(test_dirt_late_and_refused),
        cmocka_unit_test(test_dirt_bounds_a_flood),
        cmocka_unit_test(test_dirt_two_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
