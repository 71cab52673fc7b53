/* tests/test_midi.c -- MIDI out (midi.h, issue 14), without a device.
 *
 * Each test compiles a .ph source string, plays it through a one-thread
 * engine with a MIDI ring attached, and checks the messages it sends: their
 * bytes, channels, frames (note-offs at the event's end, nudge), all notes
 * off when a reload drops MIDI, the timing against the audio onsets of the
 * same render, and the MIDI file render --midi-file writes. SuperDirt's
 * meaning (classes/DirtEventTypes.sc; SuperCollider's midiEventFunctions):
 * velocity trunc(127 amp gain^4) with amp 0.4, note 0 = MIDI 60, note-off
 * after the event minus a fade time of min(1 ms, 19 %).
 *
 * Fixture: a sample root in a mkdtemp directory, click/click.wav (64
 * frames, 1.0 at frame 0 and 0 after), 48 kHz.
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
#include <unistd.h>

#include "dsp.h"
#include "engine.h"
#include "graph.h"
#include "lang.h"
#include "midi.h"
#include "sample.h"

#define SR 48000
#define BLOCK 512

static char root[64];

static int group_setup(void **state)
{
    (void)state;
    dsp_init();
    snprintf(root, sizeof root, "/tmp/phonon-test-midi-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    char dir[128], path[192];
    snprintf(dir, sizeof dir, "%s/click", root);
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/click.wav", dir);
    float click[64] = { 1.0f };
    SF_INFO info = { .samplerate = SR, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_FLOAT };
    SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
    if (!sf)
        return -1;
    sf_writef_float(sf, click, 64);
    sf_close(sf);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    char p[192];
    snprintf(p, sizeof p, "%s/click/click.wav", root);
    unlink(p);
    snprintf(p, sizeof p, "%s/click", root);
    rmdir(p);
    return rmdir(root);
}

static struct sample_bank *bank_new(void)
{
    const char *roots[] = { root };
    struct sample_bank_opts bo = { .no_env = 1 };
    struct sample_error serr;
    struct sample_bank *bank = sample_bank_new(roots, 1, SR, &bo, &serr);
    assert_non_null(bank);
    return bank;
}

static struct program *compile_err(const char *src, struct sample_bank *bank, struct lang_error *err)
{
    memset(err, 0, sizeof *err);
    err->file = "test.ph";
    struct lang_ast *ast = lang_parse(src, strlen(src), "test.ph", err);
    if (!ast)
        return NULL;
    struct graph_opts go = { .sample_rate = SR, .block = BLOCK, .bank = bank };
    struct program *p = graph_compile(ast, &go, err);
    lang_ast_free(ast);
    return p;
}

static struct program *compile(const char *src, struct sample_bank *bank)
{
    struct lang_error err;
    struct program *p = compile_err(src, bank, &err);
    if (!p)
        print_message("compile error %d:%d: %s\n", err.line, err.col, err.msg);
    assert_non_null(p);
    return p;
}

/* ---- playing ------------------------------------------------------------------------ */

struct play {
    struct midi_msg msg[4096];
    int n;
    float *audio;                   /* interleaved stereo */
    long frames;
    struct midi_stats st;
};

static void take(struct play *pl, struct midi *m)
{
    struct midi_msg buf[256];
    int k;
    while ((k = midi_drain(m, buf, 256)) > 0)
        for (int i = 0; i < k; i++)
            if (buf[i].len && pl->n < 4096)
                pl->msg[pl->n++] = buf[i];
}

/* Play src for `seconds`, then (src2 not NULL) reload to src2 and play
 * seconds2 more; every message kept, and the audio. */
static void play2(const char *src, double seconds, const char *src2, double seconds2, struct play *pl)
{
    memset(pl, 0, sizeof *pl);
    struct sample_bank *bank = bank_new();
    struct program *p = compile(src, bank), *q = src2 ? compile(src2, bank) : NULL;
    struct engine_opts eo = { .sample_rate = SR, .block = BLOCK, .threads = 1, .voices = 256, .quiet = 1 };
    struct engine *e = engine_new(&eo);
    struct midi *m = midi_new(SR);
    assert_non_null(e);
    assert_non_null(m);
    engine_set_midi(e, m);
    engine_publish(e, p);
    long n1 = (long)llround(seconds * SR) / BLOCK * BLOCK, n2 = (long)llround(seconds2 * SR);
    pl->frames = n1 + n2;
    pl->audio = calloc(2 * (size_t)(pl->frames + BLOCK), sizeof(float));
    assert_non_null(pl->audio);
    long at = 0;
    for (; at < n1; at += BLOCK) {
        engine_render(e, pl->audio + 2 * at, BLOCK);
        take(pl, m);
        engine_collect(e);
    }
    if (q)
        engine_publish(e, q);
    for (; at < pl->frames; at += BLOCK) {
        engine_render(e, pl->audio + 2 * at, BLOCK);
        take(pl, m);
        engine_collect(e);
    }
    midi_get_stats(m, &pl->st);
    engine_free(e);
    midi_free(m);
    sample_bank_free(bank);
}

static void play(const char *src, double seconds, struct play *pl) { play2(src, seconds, NULL, 0, pl); }

static void play_free(struct play *pl) { free(pl->audio); }

/* The index of the k-th message (from 0) with status byte st (and data
 * byte b1 unless -1), or -1. */
static int find(const struct play *pl, int st, int b1, int k)
{
    for (int i = 0; i < pl->n; i++)
        if (pl->msg[i].b[0] == st && (b1 < 0 || pl->msg[i].b[1] == b1) && k-- == 0)
            return i;
    return -1;
}

static void assert_msg(const struct play *pl, int i, int64_t frame, int b0, int b1, int b2)
{
    assert_true(i >= 0);
    if (pl->msg[i].frame != frame || pl->msg[i].b[0] != b0 || pl->msg[i].b[1] != b1 ||
        (pl->msg[i].len == 3 && pl->msg[i].b[2] != b2))
        print_message("message %d: frame %lld %02x %02x %02x, expected %lld %02x %02x %02x\n", i,
                      (long long)pl->msg[i].frame, pl->msg[i].b[0], pl->msg[i].b[1], pl->msg[i].b[2],
                      (long long)frame, b0, b1, b2);
    assert_int_equal(pl->msg[i].frame, frame);
    assert_int_equal(pl->msg[i].b[0], b0);
    assert_int_equal(pl->msg[i].b[1], b1);
    if (pl->msg[i].len == 3)
        assert_int_equal(pl->msg[i].b[2], b2);
}

/* ---- notes --------------------------------------------------------------------------- */

/* note "0 4" on channel 2 at 0.5 cps: note-ons at 0 and 1 s, velocity 50
 * (127 x 0.4), note-offs 1 ms before each event's end. */
static void test_notes_channel_noteoff(void **state)
{
    (void)state;
    struct play pl;
    play("out: note \"0 4\" # s \"midi\" # midichan 2\n", 2.5, &pl);
    assert_msg(&pl, find(&pl, 0x92, 60, 0), 0, 0x92, 60, 50);
    assert_msg(&pl, find(&pl, 0x92, 64, 0), SR, 0x92, 64, 50);
    assert_msg(&pl, find(&pl, 0x82, 60, 0), SR - 48, 0x82, 60, 50);
    assert_msg(&pl, find(&pl, 0x82, 64, 0), 2 * SR - 48, 0x82, 64, 50);
    assert_msg(&pl, find(&pl, 0x92, 60, 1), 2 * SR, 0x92, 60, 50);
    assert_int_equal(find(&pl, 0x90, -1, 0), -1);      /* nothing on channel 0 */
    play_free(&pl);
    /* the audio is silent: s "midi" plays no voice */
    play("out: note \"0 4\" # s \"midi\"\n", 1, &pl);
    for (long i = 0; i < 2 * pl.frames; i++)
        assert_true(pl.audio[i] == 0.0f);
    play_free(&pl);
}

/* note + n, octave, s "midi:3", chords, rounding, out of range. */
static void test_note_numbers(void **state)
{
    (void)state;
    struct play pl;
    play("out: note \"2\" # n 3 # octave 5 # s \"midi\"\n", 1, &pl);
    assert_msg(&pl, find(&pl, 0x90, -1, 0), 0, 0x90, 60 + 2 + 3 + 12, 50);
    play_free(&pl);
    play("out: s \"midi:3\"\n", 1, &pl);
    assert_msg(&pl, find(&pl, 0x90, -1, 0), 0, 0x90, 63, 50);
    play_free(&pl);
    play("out: note \"c'maj\" # s \"midi\"\n", 1, &pl);
    assert_msg(&pl, find(&pl, 0x90, -1, 0), 0, 0x90, 60, 50);
    assert_msg(&pl, find(&pl, 0x90, -1, 1), 0, 0x90, 64, 50);
    assert_msg(&pl, find(&pl, 0x90, -1, 2), 0, 0x90, 67, 50);
    play_free(&pl);
    play("out: note \"0.5 -0.4 80\" # s \"midi\"\n", 2, &pl);
    assert_msg(&pl, find(&pl, 0x90, -1, 0), 0, 0x90, 61, 50);
    assert_msg(&pl, find(&pl, 0x90, -1, 1), 2 * SR / 3, 0x90, 60, 50);
    assert_int_equal(find(&pl, 0x90, -1, 2), -1);
    assert_int_equal(pl.st.out_of_range, 1);
    play_free(&pl);
}

/* SuperDirt's velocity: trunc(127 x 0.4 amp x min(gain, 2)^4); velocity
 * multiplies amp. */
static void test_velocity(void **state)
{
    (void)state;
    struct play pl;
    play("out: note \"0 1 2 3\" # s \"midi\" # gain \"1.2 3 1 0\" # amp \"0.5 1 1 1\" # velocity \"1 1 0.5 1\"\n",
         2, &pl);
    assert_int_equal(pl.msg[find(&pl, 0x90, 60, 0)].b[2], (int)(127 * 0.4 * 0.5 * 1.2 * 1.2 * 1.2 * 1.2));
    assert_int_equal(pl.msg[find(&pl, 0x90, 61, 0)].b[2], 127);
    assert_int_equal(pl.msg[find(&pl, 0x90, 62, 0)].b[2], 25);
    assert_int_equal(pl.msg[find(&pl, 0x90, 63, 0)].b[2], 0);
    play_free(&pl);
}

/* legato and sustain set the note's length, as SuperDirt's sustain. */
static void test_legato_sustain(void **state)
{
    (void)state;
    struct play pl;
    play("out: note \"0 1\" # s \"midi\" # legato 0.5\n", 2, &pl);
    assert_msg(&pl, find(&pl, 0x80, 60, 0), SR / 2 - 48, 0x80, 60, 50);
    assert_msg(&pl, find(&pl, 0x80, 61, 0), SR + SR / 2 - 48, 0x80, 61, 50);
    play_free(&pl);
    play("out: note \"0\" # s \"midi\" # sustain 0.1\n", 1, &pl);
    assert_msg(&pl, find(&pl, 0x80, 60, 0), SR / 10 - 48, 0x80, 60, 50);
    play_free(&pl);
    play("out: note \"0\" # s \"midi\" # sustain 0.001\n", 1, &pl);     /* fade: 19 % of a short note */
    assert_msg(&pl, find(&pl, 0x80, 60, 0), (int64_t)llround(48 - 48 * 0.19098), 0x80, 60, 50);
    play_free(&pl);
}

/* nudge moves the note-on and its note-off. */
static void test_nudge(void **state)
{
    (void)state;
    struct play pl;
    play("out: note \"0 1\" # s \"midi\" # nudge \"0.01 -0.005\"\n", 2, &pl);
    assert_msg(&pl, find(&pl, 0x90, 60, 0), 480, 0x90, 60, 50);
    assert_msg(&pl, find(&pl, 0x80, 60, 0), 480 + SR - 48, 0x80, 60, 50);
    assert_msg(&pl, find(&pl, 0x90, 61, 0), SR - 240, 0x90, 61, 50);
    play_free(&pl);
    /* on voices it is the same control (it starts them later: test_controls) */
    struct sample_bank *bank = bank_new();
    struct lang_error err;
    struct program *p = compile_err("out: s \"click\" # nudge 0.1\n", bank, &err);
    assert_non_null(p);
    program_free(p);
    sample_bank_free(bank);
}

/* ---- other messages ---------------------------------------------------------------- */

static void test_control_change(void **state)
{
    (void)state;
    struct play pl;
    play("out: s \"midi\" # ccn 74 # ccv \"<0 64 127>\" # midichan 15\n", 6.5, &pl);
    assert_msg(&pl, 0, 0, 0xBF, 74, 0);
    assert_msg(&pl, 1, 2 * SR, 0xBF, 74, 64);
    assert_msg(&pl, 2, 4 * SR, 0xBF, 74, 127);
    assert_int_equal(find(&pl, 0x9F, -1, 0), -1);      /* no note without note or n */
    play_free(&pl);
    play("out: s \"midi\" # cc \"7:100 10:0\"\n", 1.5, &pl);
    assert_msg(&pl, 0, 0, 0xB0, 7, 100);
    play_free(&pl);
    play("out: s \"midi*2\" # cc \"7:100 10:0\"\n", 1.5, &pl);
    assert_msg(&pl, 1, SR, 0xB0, 10, 0);
    play_free(&pl);
}

static void test_program_bend_touch_nrpn(void **state)
{
    (void)state;
    struct play pl;
    play("out: s \"midi\" # progNum 5 # midibend 12000 # miditouch 64 # nrpn \"1000:8193\" # midichan 1\n", 1, &pl);
    assert_int_equal(pl.n, 9);
    assert_msg(&pl, find(&pl, 0xB1, 99, 0), 0, 0xB1, 99, 7);
    assert_msg(&pl, find(&pl, 0xB1, 98, 0), 0, 0xB1, 98, 104);
    assert_msg(&pl, find(&pl, 0xB1, 6, 0), 0, 0xB1, 6, 64);
    assert_msg(&pl, find(&pl, 0xB1, 38, 0), 0, 0xB1, 38, 1);
    assert_msg(&pl, find(&pl, 0xB1, 101, 0), 0, 0xB1, 101, 127);
    assert_msg(&pl, find(&pl, 0xB1, 100, 0), 0, 0xB1, 100, 127);
    assert_msg(&pl, find(&pl, 0xC1, -1, 0), 0, 0xC1, 5, 0);
    assert_msg(&pl, find(&pl, 0xE1, -1, 0), 0, 0xE1, 12000 & 127, 12000 >> 7);
    assert_msg(&pl, find(&pl, 0xD1, -1, 0), 0, 0xD1, 64, 0);
    play_free(&pl);
    /* polyTouch on the note, no note-on */
    play("out: note \"0\" # s \"midi\" # polyTouch 100\n", 1, &pl);
    assert_int_equal(pl.n, 1);
    assert_msg(&pl, 0, 0, 0xA0, 60, 100);
    play_free(&pl);
}

static void test_midicmd(void **state)
{
    (void)state;
    struct play pl;
    play("out: midicmd \"start midiClock stop continue\" # s \"midi\"\n", 2, &pl);
    assert_int_equal(pl.n, 4);
    assert_msg(&pl, 0, 0, 0xFA, 0, 0);
    assert_int_equal(pl.msg[0].len, 1);
    assert_msg(&pl, 1, SR / 2, 0xF8, 0, 0);
    assert_msg(&pl, 2, SR, 0xFC, 0, 0);
    assert_msg(&pl, 3, 3 * SR / 2, 0xFB, 0, 0);
    play_free(&pl);
    /* 48 clocks a cycle (Tidal's usual: 24 a beat at 2 beats ... any
     * number): evenly spaced to the frame */
    play("out: midicmd \"midiClock*48\" # s \"midi\"\n", 2, &pl);
    assert_int_equal(pl.n, 48);
    for (int i = 0; i < 48; i++)
        assert_int_equal(pl.msg[i].frame, (int64_t)floor(i * 2.0 * SR / 48 + 0.5));
    play_free(&pl);
    play("out: midicmd \"control program bend touch allNotesOff songPtr\" # s \"midi\" # ctlNum 7 # control 99 "
         "# val 100 # songPtr 300\n", 2, &pl);
    assert_int_equal(pl.n, 6);
    assert_msg(&pl, 0, 0, 0xB0, 7, 99);
    assert_msg(&pl, 1, SR / 3, 0xC0, 1, 0);
    assert_msg(&pl, 2, 2 * SR / 3, 0xE0, 100, 0);
    assert_msg(&pl, 3, SR, 0xD0, 100, 0);
    assert_msg(&pl, 4, 4 * SR / 3, 0xB0, 123, 0);
    assert_msg(&pl, 5, 5 * SR / 3, 0xF2, 300 & 127, 300 >> 7);
    play_free(&pl);
    /* noteOn given with a note is sent once; an unknown command is counted */
    play("out: note \"0 1\" # s \"midi\" # midicmd \"noteOn bogus\"\n", 2, &pl);
    assert_int_equal(find(&pl, 0x90, 60, 1), -1);
    assert_true(find(&pl, 0x90, 61, 0) >= 0);
    assert_int_equal(pl.st.bad_cmds, 1);
    play_free(&pl);
}

/* ---- all notes off, timing ------------------------------------------------------------- */

/* A reload to a program without s "midi" turns the notes still on off at
 * the reload's first frame (and CC 123 on their channel); a reload that
 * keeps MIDI leaves them to end on time. */
static void test_all_off_on_reload_drop(void **state)
{
    (void)state;
    struct play pl;
    play2("out: note \"0\" # s \"midi\" # midichan 3 # sustain 10\n", 0.5, "out: s \"click\"\n", 1, &pl);
    int64_t reload = (int64_t)llround(0.5 * SR) / BLOCK * BLOCK;
    assert_msg(&pl, find(&pl, 0x93, 60, 0), 0, 0x93, 60, 50);
    assert_msg(&pl, find(&pl, 0x83, 60, 0), reload, 0x83, 60, 50);
    assert_msg(&pl, find(&pl, 0xB3, 123, 0), reload, 0xB3, 123, 0);
    play_free(&pl);
    play2("out: note \"0\" # s \"midi\" # sustain 1.5\n", 0.5, "out: note \"0\" # s \"midi\" # sustain 1.5 # gain 1\n",
          1.5, &pl);
    assert_msg(&pl, find(&pl, 0x80, 60, 0), (int64_t)(1.5 * SR) - 48, 0x80, 60, 50);
    assert_int_equal(find(&pl, 0xB0, 123, 0), -1);
    play_free(&pl);
    play2("out: note \"0\" # s \"midi\" # sustain 10\n", 0.5, "hush\n", 0.5, &pl);
    assert_msg(&pl, find(&pl, 0x80, 60, 0), (int64_t)llround(0.5 * SR) / BLOCK * BLOCK, 0x80, 60, 50);
    play_free(&pl);
}

/* A muted statement (mute, solo of another, hushN) sends nothing; a bus
 * that an output plays does. */
static void test_muted_sends_nothing(void **state)
{
    (void)state;
    struct play pl;
    play("d1: note \"0*4\" # s \"midi\"\nmute 1\n", 1, &pl);
    assert_int_equal(pl.n, 0);
    play_free(&pl);
    play("d1: note \"0*4\" # s \"midi\"\nd2: s \"click\"\nsolo 2\n", 1, &pl);
    assert_int_equal(pl.n, 0);
    play_free(&pl);
    play("~m: note \"0*4\" # s \"midi\"\nout: ~m * 0.5\n", 1, &pl);
    assert_true(find(&pl, 0x90, 60, 0) >= 0);
    play_free(&pl);
}

/* The note-ons fall on the frames where the same render's voices start:
 * clicks and notes of one pattern, at a tempo whose onsets are not whole
 * frames (rounded the same way), across block boundaries. */
static void test_timing_matches_audio(void **state)
{
    (void)state;
    struct play pl;
    play("cps: 0.7\nd1: s \"click*7 click*5\"\nd2: note \"0*7 0*5\" # s \"midi\"\n", 3 / 0.7, &pl);
    int on = 0;
    for (long f = 0; f < pl.frames; f++) {
        /* a click is one frame of 1.0 (the master's DC blocker leaves a
         * small tail after it) */
        if (fabsf(pl.audio[2 * f]) > 0.3f) {
            int i = find(&pl, 0x90, 60, on++);
            assert_true(i >= 0);
            if (pl.msg[i].frame != f)
                print_message("onset %d: audio at frame %ld, MIDI at %lld\n", on, f, (long long)pl.msg[i].frame);
            assert_int_equal(pl.msg[i].frame, f);
        }
    }
    assert_int_equal(on, 3 * 12);
    assert_int_equal(find(&pl, 0x90, 60, on), -1);
    play_free(&pl);
}

/* ---- the MIDI file ----------------------------------------------------------------------- */

static uint32_t be(const unsigned char *p, int n)
{
    uint32_t x = 0;
    for (int i = 0; i < n; i++)
        x = x << 8 | p[i];
    return x;
}

/* A tick is a frame: tempo / division = 1e6 / 48000 us; the events are
 * in time order, with delta times in frames; system messages escaped. */
static void test_midi_file(void **state)
{
    (void)state;
    char msg[256], path[128];
    struct midi *m = midi_new(SR);
    struct midi_file *f = midi_file_new(SR, 0.5, msg, sizeof msg);
    assert_non_null(f);
    struct val kv_s = val_str("midi"), kv_note = val_num(0), kv_cmd = val_str("start");
    struct pat_kv kv1[] = { { "note", kv_note }, { "s", kv_s } };
    struct pat_kv kv2[] = { { "midicmd", kv_cmd }, { "s", kv_s } };
    struct val v1 = { VAL_MAP, 2, { .map = kv1 } }, v2 = { VAL_MAP, 2, { .map = kv2 } };
    midi_block(m, 0, BLOCK);
    midi_event(m, v1, 100, 1000);           /* on at 100, off at 100 + 1000 - 48 */
    midi_event(m, v2, 10, 0);
    assert_int_equal(midi_file_take(f, m), 0);
    midi_block(m, BLOCK, BLOCK);
    midi_block(m, 2 * BLOCK, BLOCK);
    assert_int_equal(midi_file_take(f, m), 0);
    snprintf(path, sizeof path, "%s/t.mid", root);
    assert_int_equal(midi_file_write(f, path, -1, msg, sizeof msg), 0);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char b[256];
    size_t n = fread(b, 1, sizeof b, fp);
    fclose(fp);
    unlink(path);
    assert_memory_equal(b, "MThd", 4);
    assert_int_equal(be(b + 8, 2), 0);
    uint32_t division = be(b + 12, 2);
    assert_memory_equal(b + 14, "MTrk", 4);
    assert_int_equal(be(b + 18, 4), n - 22);
    const unsigned char *t = b + 22;
    assert_memory_equal(t, "\x00\xff\x51\x03", 4);
    uint32_t tempo = be(t + 4, 3);
    assert_int_equal((uint64_t)tempo * SR, (uint64_t)division * 1000000);   /* one tick, one frame */
    assert_int_equal(tempo, 500000);        /* 0.5 cps, 4 beats a cycle: 120 bpm */
    /* start at 10 (an F7 escape), the note-on at 100, its note-off 952
     * frames later (1000 less the 1 ms fade; a two-byte delta), the end */
    const unsigned char expect[] = { 10, 0xF7, 1, 0xFA, 90, 0x90, 60, 50, 0x80 | (952 >> 7), 952 & 127, 0x80, 60, 50,
                                     0, 0xFF, 0x2F, 0 };
    assert_int_equal(n, 22 + 7 + sizeof expect);
    assert_memory_equal(t + 7, expect, sizeof expect);
    midi_file_free(f);
    midi_free(m);
    /* rates a file cannot count exactly are refused with the reason */
    assert_null(midi_file_new(44101, 0.5, msg, sizeof msg));
    assert_non_null(strstr(msg, "44101"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_notes_channel_noteoff),
        cmocka_unit_test(test_note_numbers),
        cmocka_unit_test(test_velocity),
        cmocka_unit_test(test_legato_sustain),
        cmocka_unit_test(test_nudge),
        cmocka_unit_test(test_control_change),
        cmocka_unit_test(test_program_bend_touch_nrpn),
        cmocka_unit_test(test_midicmd),
        cmocka_unit_test(test_all_off_on_reload_drop),
        cmocka_unit_test(test_muted_sends_nothing),
        cmocka_unit_test(test_timing_matches_audio),
        cmocka_unit_test(test_midi_file),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
