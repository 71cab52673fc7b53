/* voice.c -- voices: starting them from events, rendering batches, ending.
 *
 * DESIGN. A batch holds VOICE_W voices of one kind that go to the same
 * destination (a player, or one of its instrument chains). Its per-lane
 * state is stored as arrays indexed by lane, and every per-sample loop is a
 * loop over frames around a loop over lanes, so that the compiler can turn
 * the lane loop into SIMD (and voice_simd.c compiles these loops per
 * instruction set). Lanes that are not sounding, or whose voice starts later
 * in the block, run with a zero mask instead of a branch.
 *
 * Allocation: the pool owns capacity/VOICE_W * 2 + 64 batches and, per
 * batch, its output buffer and the state of the widest kind (a synth or an
 * instrument's state slots). A new voice joins the newest batch of its key
 * (kind, program, player, sub destination, instrument or synth kind) that
 * has a free lane, else takes a free batch. Batches render in the order of
 * the active list, which only depends on the order voices were started:
 * the mix is the same whatever the thread count.
 *
 * The envelope of a voice: sample voices play plainly from their first
 * frame unless attack or release is given; instrument voices always have
 * one (attack 10 ms, release 300 ms unless the event says otherwise); the
 * gate closes when the event ends (times legato). Stealing and panic use a
 * separate 2 ms fade so they never click.
 */
#include "voice_impl.h"
#include "orbit.h"
#include "phonon.h"
#include "sample.h"

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { FADE_MS = 2 };

struct bkey_slot {                  /* the newest batch of a key with a free lane */
    int kind, player, sub, instr, synth, orbit;
    const struct program *prog;
    int batch;
};

/* A voice as the stealing rings name it: its batch and lane, and the low
 * 32 bits of its age, which tell a record of it from one of a later voice
 * in the same lane. */
struct vrec {
    uint32_t batch_lane;            /* batch * W + lane */
    uint32_t age;
};

struct vring {
    struct vrec *r;
    uint32_t head, n, cap;
};

struct voice_pool {
    int capacity, block, sr, nthreads;
    int nbatches;
    struct batch *b;
    unsigned char *ext;             /* per batch: ext_size bytes */
    size_t ext_size;
    float *outs;                    /* per batch: 2 * block */
    int free_head;                  /* batches used and freed, a list */
    int fresh;                      /* batches fresh..nbatches-1: never used */
    int *active;                    /* batch indices, in start order */
    int nactive;                    /* written by the audio thread with relaxed atomic stores:
                                       voice_get_stats reads it from others */
    struct bkey_slot keys[256];
    int nkeys;
    uint64_t clock;                 /* voice start counter (age) */
    struct vring by_start, by_release;  /* stealing order (see steal) */
    const struct voice_kernels *kern;
    int live;
    struct voice_stats stats;
    float *scratch;                 /* per thread: kernel scratch, then an output buffer */
    size_t kern_scratch;            /* bytes of a thread's kernel scratch */
    size_t scratch_per_thread;
    struct voice_fxmem *fxmem;      /* issue 12 (h-controls): delay memory of per-voice effects */
};

/* ---- chords ----------------------------------------------------------------------- */

static const struct {
    const char *name;
    int n;
    int iv[6];
} chords[] = {
    { "maj", 3, { 0, 4, 7 } }, { "M", 3, { 0, 4, 7 } }, { "major", 3, { 0, 4, 7 } },
    { "min", 3, { 0, 3, 7 } }, { "m", 3, { 0, 3, 7 } }, { "minor", 3, { 0, 3, 7 } },
    { "dim", 3, { 0, 3, 6 } }, { "aug", 3, { 0, 4, 8 } }, { "sus2", 3, { 0, 2, 7 } },
    { "sus4", 3, { 0, 5, 7 } }, { "maj7", 4, { 0, 4, 7, 11 } }, { "min7", 4, { 0, 3, 7, 10 } },
    { "m7", 4, { 0, 3, 7, 10 } }, { "dom7", 4, { 0, 4, 7, 10 } }, { "7", 4, { 0, 4, 7, 10 } },
    { "dim7", 4, { 0, 3, 6, 9 } }, { "m7b5", 4, { 0, 3, 6, 10 } }, { "maj9", 5, { 0, 4, 7, 11, 14 } },
    { "min9", 5, { 0, 3, 7, 10, 14 } }, { "m9", 5, { 0, 3, 7, 10, 14 } }, { "9", 5, { 0, 4, 7, 10, 14 } },
    { "11", 6, { 0, 4, 7, 10, 14, 17 } }, { "13", 6, { 0, 4, 7, 10, 14, 21 } }, { "6", 4, { 0, 4, 7, 9 } },
    { "m6", 4, { 0, 3, 7, 9 } }, { "add9", 4, { 0, 4, 7, 14 } }, { "5", 2, { 0, 7 } },
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int voice_chord(const char *s, double *notes, int max)
{
    const char *q = strchr(s, '\'');
    if (!q || max < 6)
        return 0;
    char root[32];
    size_t rl = (size_t)(q - s);
    if (rl == 0 || rl >= sizeof root)
        return 0;
    memcpy(root, s, rl);
    root[rl] = 0;
    double r;
    if (val_note_midi(root, 4, &r))
        return 0;
    r -= 60;
    const char *qual = q + 1, *mods = strchr(qual, '\'');
    size_t ql = mods ? (size_t)(mods - qual) : strlen(qual);
    int found = -1;
    for (size_t i = 0; i < sizeof chords / sizeof *chords; i++)
        if (strlen(chords[i].name) == ql && strncmp(chords[i].name, qual, ql) == 0)
            found = (int)i;
    if (found < 0) {
        notes[0] = r;
        return -1;
    }
    int n = chords[found].n;
    for (int i = 0; i < n; i++)
        notes[i] = r + chords[found].iv[i];
    while (mods) {                              /* 'i 'ii 'iii inversions, 'o open, 'd drop */
        const char *m = mods + 1;
        mods = strchr(m, '\'');
        size_t ml = mods ? (size_t)(mods - m) : strlen(m);
        if (ml >= 1 && strspn(m, "i") == ml) {
            for (size_t k = 0; k < ml; k++) {
                qsort(notes, (size_t)n, sizeof *notes, cmp_double);
                notes[0] += 12;
            }
        } else if (ml == 1 && m[0] == 'o' && n > 2) {
            qsort(notes, (size_t)n, sizeof *notes, cmp_double);
            notes[0] -= 12;
            notes[2] -= 12;
        } else if (ml >= 1 && m[0] == 'd') {
            int k = ml > 1 ? atoi(m + 1) : 1;
            qsort(notes, (size_t)n, sizeof *notes, cmp_double);
            if (k >= 1 && k <= n)
                notes[n - k] -= 12;
        }
    }
    qsort(notes, (size_t)n, sizeof *notes, cmp_double);
    return n;
}

/* ---- vowels ---------------------------------------------------------------------------- */

/* Tenor formants of a e i o u (the classic Csound formant table): Hz,
 * linear amplitude (0, -6 ... dB), bandwidth Hz. */
const float voice_vowels[VOICE_VOWELS][3][VOICE_FORMANTS] = {
    { { 650, 1080, 2650, 2900, 3250 }, { 1, 0.501f, 0.447f, 0.398f, 0.0794f }, { 80, 90, 120, 130, 140 } },
    { { 400, 1700, 2600, 3200, 3580 }, { 1, 0.1995f, 0.251f, 0.1995f, 0.1f }, { 70, 80, 100, 120, 120 } },
    { { 290, 1870, 2800, 3250, 3540 }, { 1, 0.178f, 0.126f, 0.1f, 0.0316f }, { 40, 90, 100, 120, 120 } },
    { { 400, 800, 2600, 2800, 3000 }, { 1, 0.316f, 0.251f, 0.251f, 0.0501f }, { 40, 80, 100, 120, 120 } },
    { { 350, 600, 2700, 2900, 3300 }, { 1, 0.1f, 0.141f, 0.1995f, 0.0501f }, { 40, 60, 100, 120, 120 } },
};

/* 1 + the vowel's index for "a" .. "u", 0 for anything else (no filter,
 * as SuperDirt plays an unknown vowel). */
static int vowel_index(const struct val *v)
{
    static const char names[] = "aeiou";
    if (!v || v->kind != VAL_STR || strlen(v->u.str) != 1 || !v->u.str[0])
        return 0;
    const char *at = strchr(names, v->u.str[0]);
    return at ? (int)(at - names) + 1 : 0;
}

/* ---- pool ------------------------------------------------------------------------------ */

static size_t ext_size_for(void)
{
    size_t instr = sizeof(float) * INSTR_MAX_STATE * W;
    size_t synth = sizeof(struct dsp_synth);
    size_t m = instr > synth ? instr : synth;
    return phonon_round64(m);
}

static int alloc_batches(struct voice_pool *vp, int capacity)
{
    int nb = capacity / W * 2 + 64;
    struct batch *b = phonon_alloc64(sizeof *b * (size_t)nb);
    size_t ext = ext_size_for();
    unsigned char *e = phonon_alloc64(ext * (size_t)nb);
    float *o = phonon_alloc64(sizeof(float) * 2 * (size_t)vp->block * (size_t)nb);
    int *act = malloc(sizeof *act * (size_t)nb);
    uint32_t ring_cap = 2 * (uint32_t)capacity + W;
    struct vrec *r1 = malloc(sizeof *r1 * ring_cap), *r2 = malloc(sizeof *r2 * ring_cap);
    if (!b || !e || !o || !act || !r1 || !r2) {
        free(b);
        free(e);
        free(o);
        free(act);
        free(r1);
        free(r2);
        return -1;
    }
    /* written now: a ring's pages would otherwise be touched for the first
     * time on the audio thread as its head goes round (a page fault every
     * few seconds of a live session) */
    memset(r1, 0, sizeof *r1 * ring_cap);
    memset(r2, 0, sizeof *r2 * ring_cap);
    free(vp->by_start.r);
    free(vp->by_release.r);
    vp->by_start = (struct vring){ r1, 0, 0, ring_cap };
    vp->by_release = (struct vring){ r2, 0, 0, ring_cap };
    /* not written here: a batch is cleared when first taken (new_batch),
     * so the pages of batches never used are never touched (a render of
     * 64 voices in a pool of 4,096 spent 15 % of its time clearing 17 MB) */
    free(vp->b);
    free(vp->ext);
    free(vp->outs);
    free(vp->active);
    vp->b = b;
    vp->ext = e;
    vp->outs = o;
    vp->active = act;
    vp->ext_size = ext;
    vp->nbatches = nb;
    vp->free_head = -1;
    vp->fresh = 0;
    vp->nactive = 0;
    vp->nkeys = 0;
    vp->capacity = capacity;
    vp->live = 0;
    return 0;
}

float voice_edge_tab[2][2][DSP_BLEP_RES][2 * DSP_BLEP_HALF];

static void edge_tables(void)
{
    for (int kind = 0; kind < 2; kind++) {
        const float *tab = kind ? dsp_blamp_table : dsp_blep_table;
        for (int r = 0; r < DSP_BLEP_RES; r++)
            for (int j = 0; j < 2 * DSP_BLEP_HALF; j++) {
                voice_edge_tab[kind][0][r][j] = tab[r + DSP_BLEP_RES * j];
                voice_edge_tab[kind][1][r][j] = tab[r + DSP_BLEP_RES * j + 1];
            }
    }
}

struct voice_pool *voice_pool_new(int capacity, int block, int sample_rate, int nthreads)
{
    struct voice_pool *vp = calloc(1, sizeof *vp);
    if (!vp)
        return NULL;
    if (capacity < 1)
        capacity = 1;
    if (capacity > 65536 * 16)
        capacity = 65536 * 16;
    vp->block = block;
    vp->sr = sample_rate;
    vp->nthreads = nthreads < 1 ? 1 : nthreads;
    /* each thread's scratch, then its output buffer; each on a cache line */
    vp->kern_scratch = phonon_round64(sizeof(float) * voice_scratch_floats(block));
    vp->scratch_per_thread = vp->kern_scratch + phonon_round64(sizeof(float) * 2 * (size_t)block);
    vp->kern = voice_choose_kernels();
    edge_tables();
    vp->scratch = phonon_alloc64(vp->scratch_per_thread * (size_t)vp->nthreads);
    vp->fxmem = voice_fxmem_new();
    if (!vp->scratch || !vp->fxmem || alloc_batches(vp, capacity)) {
        voice_pool_free(vp);
        return NULL;
    }
    return vp;
}

/* See voice.h. A batch is cleared as new_batch takes it: here the pool
 * only goes back to handing them out fresh, in the order alloc_batches
 * made them. (It made a free list of them all once and left `fresh` where
 * it was: a pool past the end of that list handed out again batches the
 * list had given, active twice, and overran the active list: fuzz reload,
 * tests/fuzz/regress/reload/crash-c95e0630....) */
void voice_pool_reset(struct voice_pool *vp)
{
    for (int i = 0; i < vp->fresh; i++)
        vp->b[i].active = 0;
    vp->free_head = -1;
    vp->fresh = 0;
    vp->nactive = 0;
    vp->nkeys = 0;
    vp->live = 0;
    vp->clock = 0;
    vp->by_start.head = vp->by_start.n = 0;
    vp->by_release.head = vp->by_release.n = 0;
    memset(&vp->stats, 0, sizeof vp->stats);
    vp->kern = voice_choose_kernels();
    voice_fxmem_reset(vp->fxmem);
}

void voice_pool_free(struct voice_pool *vp)
{
    if (!vp)
        return;
    free(vp->b);
    free(vp->ext);
    free(vp->outs);
    free(vp->active);
    free(vp->by_start.r);
    free(vp->by_release.r);
    free(vp->scratch);
    voice_fxmem_free(vp->fxmem);
    free(vp);
}

const float voice_silence[32];


/* The kernels for this CPU, or those $PHONON_SIMD asks for (when the CPU can
 * run them). */
static const struct voice_kernels *chosen;

const struct voice_kernels *voice_choose_kernels(void)
{
    if (chosen)
        return chosen;
    /* the widest set the CPU runs: AVX-512 reads sample voices 16 frames at
     * a time (tests/test_voice.c checks that every set agrees) */
    if (voice_use_kernels("avx512") != 0 && voice_use_kernels("avx2") != 0)
        voice_use_kernels("simd");
    const char *want = getenv("PHONON_SIMD");
    static const char *const known[] = { "scalar", "sse2", "neon", "simd", "avx2", "avx512" };
    int is_known = 0;
    for (size_t i = 0; want && i < sizeof known / sizeof *known; i++)
        is_known |= !strcmp(want, known[i]);
    if (want && *want && !is_known)
        fprintf(stderr, "phonon: PHONON_SIMD=%s is not a kernel set (scalar, sse2, avx2, avx512); using %s\n", want,
                chosen->name);
    else if (want && *want && voice_use_kernels(want) != 0)
        fprintf(stderr, "phonon: PHONON_SIMD=%s is not available on this CPU; using %s\n", want, chosen->name);
    return chosen;
}

const char *voice_kernel_name(void) { return voice_choose_kernels()->name; }
const char *voice_pool_kernel_name(const struct voice_pool *vp) { return vp->kern->name; }

int voice_use_kernels(const char *name)
{
    const struct voice_kernels *k = NULL;
    if (!strcmp(name, "scalar"))
        k = &voice_k_scalar;
    else if (!strcmp(name, "sse2") || !strcmp(name, "neon") || !strcmp(name, "simd"))
        k = &voice_k_simd;
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    int has_avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    if (!strcmp(name, "avx2") && has_avx2)
        k = &voice_k_avx2;
    else if (!strcmp(name, "avx512") && has_avx2 && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq"))
        k = &voice_k_avx512;
#endif
    if (!k)
        return -1;
    chosen = k;
    return 0;
}

int voice_batches(const struct voice_pool *vp) { return vp->nactive; }

void voice_get_stats(const struct voice_pool *vp, struct voice_stats *st)
{
    *st = vp->stats;
    st->live = vp->live;
    st->batches = __atomic_load_n(&vp->nactive, __ATOMIC_RELAXED);
}

void voice_reset_peak(struct voice_pool *vp) { vp->stats.peak = vp->live; }

/* ---- starting voices ------------------------------------------------------------------- */

static struct batch *new_batch(struct voice_pool *vp)
{
    int i = vp->free_head;
    if (i >= 0)
        vp->free_head = vp->b[i].next_free;
    else if (vp->fresh < vp->nbatches)
        i = vp->fresh++;
    else
        return NULL;
    struct batch *b = &vp->b[i];
    memset(b, 0, sizeof *b);
    b->out = vp->outs + (size_t)i * 2 * (size_t)vp->block;
    b->st = (float *)(void *)(vp->ext + vp->ext_size * (size_t)i);
    b->syn = (struct dsp_synth *)(void *)(vp->ext + vp->ext_size * (size_t)i);
    b->active = 1;
    vp->active[vp->nactive] = i;
    __atomic_store_n(&vp->nactive, vp->nactive + 1, __ATOMIC_RELAXED);
    return b;
}

/* A key slot for a new key: a new one, else one whose batch has ended
 * (each reload's program brings new keys: without reuse, 256 of them and
 * every voice would take a batch of its own). NULL when all are in use. */
static struct bkey_slot *free_key(struct voice_pool *vp)
{
    if (vp->nkeys < (int)(sizeof vp->keys / sizeof *vp->keys))
        return &vp->keys[vp->nkeys++];
    for (int i = 0; i < vp->nkeys; i++)
        if (vp->keys[i].batch < 0)
            return &vp->keys[i];
    return NULL;
}

/* A lane for a voice with this key: (batch, lane), stealing if full. */
static struct batch *lane_for(struct voice_pool *vp, int kind, struct program *p, int player, int sub,
                              int instr, int synth, int orbit, int *lane)
{
    struct bkey_slot *slot = NULL;
    for (int i = 0; i < vp->nkeys; i++) {
        struct bkey_slot *k = &vp->keys[i];
        if (k->kind == kind && k->prog == p && k->player == player && k->sub == sub && k->instr == instr &&
            k->synth == synth && k->orbit == orbit) {
            slot = k;
            break;
        }
    }
    if (slot && slot->batch >= 0) {
        struct batch *b = &vp->b[slot->batch];
        if (b->active && b->prog == p && b->kind == kind && b->live != (1u << W) - 1) {
            uint32_t free_lanes = ~b->live & ((1u << W) - 1);
            /* a lane that ended this block is only free after voice_end_block */
            *lane = __builtin_ctz(free_lanes);
            return b;
        }
    }
    struct batch *b = new_batch(vp);
    if (!b)
        return NULL;
    b->kind = kind;
    b->prog = p;
    b->player = player;
    b->sub = sub;
    b->dprog = p;
    b->dplayer = player;
    b->instr = instr;
    b->synth = synth;
    b->orbit = orbit;
    if (kind == SND_SYNTH)
        dsp_synth_init(b->syn, (enum dsp_synth_kind)synth, (float)vp->sr);
    if (kind == SND_INSTR)
        memset(b->st, 0, sizeof(float) * (size_t)p->instrs[instr].nstate * W);
    if (!slot)
        slot = free_key(vp);
    if (slot)
        *slot = (struct bkey_slot){ .kind = kind, .prog = p, .player = player, .sub = sub, .instr = instr,
                                    .synth = synth, .orbit = orbit, .batch = (int)(b - vp->b) };
    *lane = 0;
    return b;
}

/* Fade a lane out over 2 ms (stealing, cut groups, panic); a fading voice
 * no longer counts as sounding. */
static void fade_out(struct voice_pool *vp, struct batch *b, int l)
{
    b->fstep[l] = 1.0f / ((float)FADE_MS * 0.001f * (float)vp->sr);
    vp->live--;
}

/* Stealing is O(1) amortized. Two rings of voice records: by_start gets
 * every voice as it starts, by_release the lanes that released in a block
 * (voice_end_block queues them). A steal takes the voice released longest
 * ago, else the oldest voice: the first record of by_release, else of
 * by_start, that still names a sounding lane (not ended, not fading, not
 * reused: the age tells); records that do not are dropped as they reach
 * the front. A ring holds 2 x capacity + W records and at most capacity of
 * them are current, so a full ring compacts to half full or less: once per
 * capacity pushes at most. Audio thread; no allocation. */
static int vrec_current(const struct voice_pool *vp, struct vrec r)
{
    const struct batch *b = &vp->b[r.batch_lane / W];
    int l = (int)(r.batch_lane % W);
    return b->active && (b->live >> l & 1) && b->fstep[l] == 0 && (uint32_t)b->age[l] == r.age;
}

static void vring_push(struct voice_pool *vp, struct vring *q, const struct batch *b, int lane)
{
    if (q->n == q->cap) {                       /* compact: keep the current records, in order */
        uint32_t kept = 0;
        vp->stats.steal_probes += q->n;
        for (uint32_t i = 0; i < q->n; i++) {
            struct vrec r = q->r[(q->head + i) % q->cap];
            if (vrec_current(vp, r))            /* kept <= i: a record already read */
                q->r[(q->head + kept++) % q->cap] = r;
        }
        q->n = kept;
    }
    struct vrec r = { (uint32_t)(b - vp->b) * W + (uint32_t)lane, (uint32_t)b->age[lane] };
    q->r[(q->head + q->n++) % q->cap] = r;
}

/* The first current record of q (dropping those before it); 0 if none. */
static int vring_front(struct voice_pool *vp, struct vring *q, struct vrec *out)
{
    while (q->n) {
        struct vrec r = q->r[q->head];
        vp->stats.steal_probes++;
        if (vrec_current(vp, r)) {
            *out = r;
            return 1;
        }
        q->head = (q->head + 1) % q->cap;
        q->n--;
    }
    return 0;
}

/* Make room: fade out the voice released longest ago, else the oldest. */
static void steal(struct voice_pool *vp)
{
    struct vrec r;
    if (!vring_front(vp, &vp->by_release, &r) && !vring_front(vp, &vp->by_start, &r))
        return;
    fade_out(vp, &vp->b[r.batch_lane / W], (int)(r.batch_lane % W));
    vp->stats.stolen++;
}

static double num_or(const struct val *v, double dflt)
{
    if (!v)
        return dflt;
    if (v->kind == VAL_NUM)
        return v->u.num;
    if (v->kind == VAL_STR) {
        double x;
        if (val_parse_number(v->u.str, strlen(v->u.str), &x))
            return x;
        if (val_note_midi(v->u.str, 4, &x) == 0)
            return x - 60;
    }
    return dflt;
}

double voice_num_or(const struct val *v, double dflt) { return num_or(v, dflt); }

/* A control that counts (n, loop, cut) as a whole number: rounded down and
 * held within [lo, hi]; NaN is dflt. A cast of 1e30 to int is undefined. */
static int64_t num_count(const struct val *v, int64_t dflt, int64_t lo, int64_t hi)
{
    double x = floor(num_or(v, (double)dflt));
    return x != x ? dflt : x < (double)lo ? lo : x > (double)hi ? hi : (int64_t)x;
}

static const struct sound *find_sound(const struct program *p, const char *name)
{
    int lo = 0, hi = p->nsounds - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        int c = strcmp(p->sounds[mid].name, name);
        if (c == 0)
            return &p->sounds[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* Strudel's bank: name played from the folder <bank>_<name> when the
 * program has it (the compiler added those that exist), else name. */
static const struct sound *find_banked(const struct program *p, const char *name, const struct val *bank)
{
    if (bank && bank->kind == VAL_STR && name[0] != '~') {
        char banked[256];
        size_t bl = strlen(bank->u.str), nl = strlen(name);
        if (bl + nl + 2 <= sizeof banked) {
            memcpy(banked, bank->u.str, bl);
            banked[bl] = '_';
            memcpy(banked + bl + 1, name, nl + 1);
            const struct sound *snd = find_sound(p, banked);
            if (snd)
                return snd;
        }
    }
    return find_sound(p, name);
}

/* Cut groups: fade out every voice of the group (2 ms) before a new one. */
static void cut_group(struct voice_pool *vp, int group)
{
    for (int i = 0; i < vp->nactive; i++) {
        struct batch *b = &vp->b[vp->active[i]];
        for (int l = 0; l < W; l++)
            if ((b->live >> l & 1) && b->cut[l] == group && b->fstep[l] == 0)
                fade_out(vp, b, l);
    }
}

static float env_frames(double seconds, int sr)
{
    return dsp_env_samples((float)seconds, (float)sr);
}

/* A voice's frequency as it enters: NaN (or a negative frequency) gives
 * middle C, anything above the Nyquist frequency the Nyquist frequency,
 * each counted in stats.limited for the warning `render` and `live` print.
 * The oscillators bound their increments again (dsp_inc_bound), for
 * frequencies computed inside an instrument. */
static double bound_freq(struct voice_pool *vp, double freq)
{
    double nyquist = 0.5 * vp->sr;
    if (freq >= 0 && freq <= nyquist)
        return freq;
    vp->stats.limited++;
    return freq > nyquist ? nyquist : 261.6255653005986;
}

/* issue 12 (h-synthctl): SuperDirt's per-synth arguments the event gives
 * (dsp.h struct dsp_synth_note; the kinds read those their SynthDefs
 * declare). A value that is not a finite number is not given. */
static void synth_args(struct dsp_synth_note *sn, struct val v)
{
    static const struct { const char *key; size_t off; } args[] = {
        { "speed", offsetof(struct dsp_synth_note, speed) },
        { "accelerate", offsetof(struct dsp_synth_note, accelerate) },
        { "decay", offsetof(struct dsp_synth_note, decay) },
        { "semitone", offsetof(struct dsp_synth_note, semitone) },
        { "pitch1", offsetof(struct dsp_synth_note, pitch1) },
        { "pitch2", offsetof(struct dsp_synth_note, pitch2) },
        { "pitch3", offsetof(struct dsp_synth_note, pitch3) },
        { "lfo", offsetof(struct dsp_synth_note, lfo) },
        { "resonance", offsetof(struct dsp_synth_note, resonance) },
        { "slide", offsetof(struct dsp_synth_note, slide) },
        { "delay", offsetof(struct dsp_synth_note, delay) },
    };
    for (size_t i = 0; i < sizeof args / sizeof *args; i++) {
        double d = num_or(val_map_get(v, args[i].key), (double)NAN);
        if (isfinite(d))
            *(float *)(void *)((char *)sn + args[i].off) = (float)d;
    }
}

/* supervibe's tremolo (SuperDirt's modamp, default 1, and modfreq, 7 Hz)
 * is the voice's tremolo: the fundamental's level swings down by modamp / 2. */
static void vibe_tremolo(struct batch *b, int lane, struct val v)
{
    const struct val *a = val_map_get(v, "modamp"), *fr = val_map_get(v, "modfreq");
    if (!a && !fr)
        return;
    double depth = 0.5 * num_or(a, 1), rate = num_or(fr, 7);
    if (isfinite(depth) && isfinite(rate)) {
        b->dirt.tremdepth[lane] = (float)fmin(fmax(depth, 0), 1);
        b->dirt.tremrate[lane] = (float)fmin(fmax(rate, 0), 100);
        b->any_fx |= b->dirt.tremdepth[lane] > 0;
    }
}

/* issue 12: SuperDirt's effects and accelerate on a sample voice.
 * accelerate a: the speed glides from s to s (1 + a) while the sample
 * plays (over its length at the mean speed), a step a block. */
static void start_dirt_fx(struct batch *b, int lane, struct val v)
{
    struct voice_dirt *d = &b->dirt;
    double coarse = num_or(val_map_get(v, "coarse"), 0), acc = num_or(val_map_get(v, "accelerate"), 0);
    d->coarse[lane] = coarse > 1 ? (float)fmin(coarse, 1e6) : 0.0f;
    d->vowel[lane] = vowel_index(val_map_get(v, "vowel"));
    const struct val *djf = val_map_get(v, "djf");
    d->djf_on[lane] = djf != NULL;
    d->djf[lane] = (float)num_or(djf, 0.5);
    d->triode[lane] = (float)num_or(val_map_get(v, "triode"), 0);
    d->krush[lane] = (float)num_or(val_map_get(v, "krush"), 0);
    d->kcutoff[lane] = (float)num_or(val_map_get(v, "kcutoff"), 0);
    d->ring[lane] = (float)num_or(val_map_get(v, "ring"), 0);
    d->ringf[lane] = (float)num_or(val_map_get(v, "ringf"), 0);
    d->ringdf[lane] = (float)num_or(val_map_get(v, "ringdf"), 0);
    d->tremdepth[lane] = (float)num_or(val_map_get(v, "tremolodepth"), 0);
    d->tremrate[lane] = (float)num_or(val_map_get(v, "tremolorate"), 1);
    if (val_map_get(v, "tremolorate") && !val_map_get(v, "tremolodepth"))
        d->tremdepth[lane] = 0.5f;              /* SuperDirt's default depth */
    d->octer[lane] = (float)num_or(val_map_get(v, "octer"), 0);
    d->octersub[lane] = (float)num_or(val_map_get(v, "octersub"), 0);
    d->octersubsub[lane] = (float)num_or(val_map_get(v, "octersubsub"), 0);
    d->oct_on[lane] = val_map_get(v, "octer") || val_map_get(v, "octersub") || val_map_get(v, "octersubsub");
    if (!isfinite(d->octer[lane]) || !isfinite(d->octersub[lane]) || !isfinite(d->octersubsub[lane]))
        d->oct_on[lane] = 0;
    d->octer[lane] = fmaxf(0.0f, fminf(2.0f, d->octer[lane]));
    /* NaN or infinite parameters leave the effect off */
    if (!isfinite(d->djf[lane])) d->djf_on[lane] = 0;
    if (!isfinite(d->triode[lane])) d->triode[lane] = 0;
    if (!isfinite(d->krush[lane]) || !isfinite(d->kcutoff[lane])) d->krush[lane] = 0;
    if (!isfinite(d->ring[lane]) || !isfinite(d->ringf[lane]) || !isfinite(d->ringdf[lane])) d->ring[lane] = 0;
    if (!isfinite(d->tremdepth[lane]) || !isfinite(d->tremrate[lane])) d->tremdepth[lane] = 0;
    struct voice_dirt_state *st = &b->dst;
    st->ccount[lane] = st->rph[lane] = st->rtime[lane] = st->tph[lane] = 0;
    st->chold[0][lane] = st->chold[1][lane] = 0;
    for (int ch = 0; ch < 2; ch++)
        for (int k = 0; k < 2; k++) {
            for (int f = 0; f < VOICE_FORMANTS; f++)
                st->vst[f][ch][k][lane] = 0;
            st->djst[0][ch][k][lane] = st->djst[1][ch][k][lane] = 0;
            st->tdc[ch][k][lane] = st->kst[ch][k][lane] = 0;
        }
    for (int ch = 0; ch < 2; ch++)
        for (int k = 0; k < 7; k++)
            st->oct[ch][k][lane] = 0;
    b->any_fx |= d->coarse[lane] > 0 || d->vowel[lane] > 0 || d->djf_on[lane] > 0 || d->triode[lane] > 0 ||
                 d->krush[lane] > 0 || d->ring[lane] != 0 || d->tremdepth[lane] > 0 || d->oct_on[lane] > 0;
    b->dinc[lane] = 0;
    b->acc_left[lane] = 0;
    double s0 = (double)b->inc[lane], s1 = s0 * (1 + acc), mean = 0.5 * (fabs(s0) + fabs(s1));
    if (acc != 0 && acc == acc && mean > 1e-6) {
        double len = (double)(b->pend[lane] - b->pbeg[lane]) / mean;
        len = fmin(len, 1e9);
        b->acc_left[lane] = (int32_t)len;
        b->dinc[lane] = (float)((s1 - s0) / len);
    }
}

/* Strudel's filter envelope (lpenv, lpattack, lpdecay, lpsustain,
 * lprelease, or the hp ones for a high-pass voice): on when any is given
 * and the voice has its filter. Defaults as Strudel's createFilter: env 1
 * octave up, a d s r 0.005 0.14 0 0.1 when none is given, else a
 * sustain of 1 when only attack is given. */
static float fenv_setup(struct voice_fenv *fe, int lane, const struct val *x[5], double fc, double gate_s);

static void start_fenv(struct batch *b, int lane, struct val v, double gate_s)
{
    static const char *const keys[2][5] = {
        { "lpenv", "lpattack", "lpdecay", "lpsustain", "lprelease" },
        { "hpenv", "hpattack", "hpdecay", "hpsustain", "hprelease" },
    };
    struct voice_fenv *fe = &b->fenv;
    const char *const *k = keys[b->fhp[lane] > 0];
    const struct val *x[5];
    int any = 0;
    for (int i = 0; i < 5; i++)
        any |= (x[i] = val_map_get(v, k[i])) != NULL;
    fe->on[lane] = any && b->flt_on[lane] > 0;
    if (!(fe->on[lane] > 0))
        return;
    b->fc[lane] = fenv_setup(fe, lane, x, (double)b->fc[lane], gate_s);
}

/* Strudel's band-pass envelope (bpenv, bpattack, bpdecay, bpsustain,
 * bprelease) over the voice's bandf, as the lp one (h-controls). */
static void start_bpenv(struct batch *b, int lane, struct val v, double gate_s)
{
    static const char *const k[5] = { "bpenv", "bpattack", "bpdecay", "bpsustain", "bprelease" };
    const struct val *x[5];
    int any = 0;
    for (int i = 0; i < 5; i++)
        any |= (x[i] = val_map_get(v, k[i])) != NULL;
    b->bpenv.on[lane] = any && b->d2.bandf[lane] > 0;
    if (b->bpenv.on[lane] > 0)
        b->d2.bandf[lane] = fenv_setup(&b->bpenv, lane, x, (double)b->d2.bandf[lane], gate_s);
}

/* The envelope's segments from the controls x (env, a, d, s, r) over a
 * filter at fc; returns its starting cutoff. */
static float fenv_setup(struct voice_fenv *fe, int lane, const struct val *x[5], double fc, double gate_s)
{
    double env = num_or(x[0], 1);
    double lo = fmin(fc, 20000), hi = fmin(fc * pow(2.0, fabs(env)), 20000);
    int adsr = x[1] || x[2] || x[3] || x[4];
    double a = num_or(x[1], 0), d = num_or(x[2], 0), r = num_or(x[4], 0);
    double su = x[3] ? num_or(x[3], 0) : (x[1] && !x[2]) || (!x[1] && !x[2]) ? 1 : 0.001;
    if (!adsr) {
        a = 0.005, d = 0.14, su = 0, r = 0.1;
    }
    fe->min[lane] = (float)(env < 0 ? hi : lo);
    fe->max[lane] = (float)(env < 0 ? lo : hi);
    fe->att[lane] = (float)fmax(a, 0.001);
    fe->dec[lane] = (float)fmax(d, 0.001);
    fe->sus[lane] = (float)fmin(fmax(su, 0), 1);
    fe->rel[lane] = (float)fmax(r, 0.01);
    fe->gate[lane] = (float)gate_s;
    fe->t[lane] = 0;
    return fe->min[lane];
}

/* Strudel's pitch envelope of a sample voice (penv semitones, pattack,
 * pdecay, psustain, prelease, panchor): the pitch moves by cents from
 * -penv anchor to penv (1 - anchor) semitones and back, linear segments,
 * a step a block. Defaults as Strudel's: penv 1, a d s r 0.2 0.001 1
 * 0.001, anchor the sustain. */
static void start_penv(struct batch *b, int lane, struct val v, double gate_s)
{
    static const char *const keys[6] = { "penv", "pattack", "pdecay", "psustain", "prelease", "panchor" };
    struct voice_fenv *pe = &b->penv;
    const struct val *x[6];
    int any = 0;
    for (int i = 0; i < 6; i++)
        any |= i < 5 && (x[i] = val_map_get(v, keys[i])) != NULL;
    x[5] = val_map_get(v, keys[5]);
    pe->on[lane] = (float)any;
    b->pratio[lane] = 1;
    if (!any)
        return;
    int adsr = x[1] || x[2] || x[3] || x[4];
    double a = num_or(x[1], 0), d = num_or(x[2], 0), r = num_or(x[4], 0);
    double su = x[3] ? num_or(x[3], 0) : (x[1] && !x[2]) || (!x[1] && !x[2]) ? 1 : 0.001;
    if (!adsr) {
        a = 0.2, d = 0.001, su = 1, r = 0.001;
    }
    double cents = 100 * num_or(x[0], 1), anchor = num_or(x[5], fmin(fmax(su, 0), 1));
    pe->min[lane] = (float)(-cents * anchor);
    pe->max[lane] = (float)(cents - cents * anchor);
    pe->att[lane] = (float)fmax(a, 0.001);
    pe->dec[lane] = (float)fmax(d, 0.001);
    pe->sus[lane] = (float)fmin(fmax(su, 0), 1);
    pe->rel[lane] = (float)fmax(r, 0.01);
    pe->gate[lane] = (float)gate_s;
    pe->t[lane] = 0;
    if (!isfinite(pe->min[lane]) || !isfinite(pe->max[lane])) {
        pe->on[lane] = 0;
        return;
    }
    b->pratio[lane] = exp2f(pe->min[lane] / 1200.0f);
    b->inc[lane] *= b->pratio[lane];
}

/* The pitch envelope's cents at t seconds (linear segments). */
static float penv_at(const struct voice_fenv *pe, int l, float t)
{
    float lo = pe->min[l], hi = pe->max[l], sv = lo + pe->sus[l] * (hi - lo), g = pe->gate[l];
    float tt = t < g ? t : g;
    float held = tt < pe->att[l] ? lo + (hi - lo) * tt / pe->att[l]
               : sv + (hi - sv) * fmaxf(0.0f, 1.0f - (tt - pe->att[l]) / pe->dec[l]);
    if (t < g)
        return held;
    return held + (lo - held) * fminf(1.0f, (t - g) / pe->rel[l]);
}

/* from * (to / from) ^ u, u in [0, 1] (an exponential ramp). */
static float exp_ramp(float from, float to, float u)
{
    from = fmaxf(from, 0.001f);
    to = fmaxf(to, 0.001f);
    return from * powf(to / from, fminf(fmaxf(u, 0.0f), 1.0f));
}

/* The envelope's cutoff at t seconds. */
static float fenv_at(const struct voice_fenv *fe, int l, float t)
{
    float lo = fe->min[l], hi = fe->max[l], sv = lo + fe->sus[l] * (hi - lo);
    float g = fe->gate[l];
    float held = t < fe->att[l] ? exp_ramp(lo, hi, t / fe->att[l])
               : exp_ramp(hi, sv, (t - fe->att[l]) / fe->dec[l]);
    if (t < g)
        return held;
    float at_gate = g < fe->att[l] ? exp_ramp(lo, hi, g / fe->att[l]) : exp_ramp(hi, sv, (g - fe->att[l]) / fe->dec[l]);
    return exp_ramp(at_gate, lo, (t - g) / fe->rel[l]);
}

/* accelerate: lane l's speed after a block of n frames. A voice that
 * slowed to a standstill at its end is over. */
static void accelerate(struct batch *b, int l, int n)
{
    int k = b->acc_left[l] < n ? b->acc_left[l] : n;
    float inc = b->inc[l] + b->dinc[l] * (float)k;
    b->acc_left[l] -= k;
    if (b->acc_left[l] == 0)
        b->dinc[l] = 0;
    if (fabsf(inc) < 1e-4f) {
        b->fade[l] = 0.0f;
        return;
    }
    b->inc[l] = fmaxf(-(float)VOICE_MAX_SPEED, fminf((float)VOICE_MAX_SPEED, inc));
}

static void start_filter_shape(struct batch *b, int lane, struct val v);

/* A sample voice in lane `lane` of b: what it plays of which sample, at
 * what speed, through which filter and effects. -1 when there is nothing to
 * play (counted as dropped). */
static int start_sample(struct voice_pool *vp, struct batch *b, int lane, const struct sound *snd, struct val v,
                        double note, const struct voice_block *vblk)
{
    const struct val *x;
    long n = (long)num_count(val_map_get(v, "n"), 0, -(INT64_C(1) << 53), INT64_C(1) << 53);
    const struct sample *s = sample_set_pick(snd->set, n);
    double speed = num_or(val_map_get(v, "speed"), 1) * pow(2.0, note / 12.0);
    x = val_map_get(v, "unit");
    if (x && x->kind == VAL_STR && strcmp(x->u.str, "c") == 0)
        speed *= (double)s->frames / vblk->frames_per_cycle;
    /* h-controls: unit "s", Tidal's: the sample lasts speed seconds */
    double raw = num_or(val_map_get(v, "speed"), 1);
    if (x && x->kind == VAL_STR && strcmp(x->u.str, "s") == 0 && raw != 0)
        speed = (double)s->frames / vp->sr / raw * pow(2.0, note / 12.0);
    double beg = num_or(val_map_get(v, "begin"), 0), end = num_or(val_map_get(v, "end"), 1);
    beg = beg < 0 ? 0 : beg > 1 ? 1 : beg;
    end = end < beg ? beg : end > 1 ? 1 : end;
    b->data[lane] = s->data;
    b->chans[lane] = s->channels;
    b->pbeg[lane] = (int32_t)(beg * (double)s->frames);
    b->pend[lane] = (int32_t)(end * (double)s->frames);
    b->inc[lane] = (float)speed;
    if (!(fabs(speed) > 1e-6) || b->pend[lane] <= b->pbeg[lane]) {
        vp->stats.dropped++;            /* speed 0 or NaN, or an empty slice: nothing to play */
        vp->stats.limited += speed != speed;
        return -1;
    }
    if (fabs(speed) > VOICE_MAX_SPEED) {
        b->inc[lane] = speed > 0 ? (float)VOICE_MAX_SPEED : -(float)VOICE_MAX_SPEED;
        vp->stats.limited++;
    }
    b->pi[lane] = speed < 0 ? b->pend[lane] - 1 : b->pbeg[lane];
    b->pf[lane] = 0;
    b->loops[lane] = (int32_t)num_count(val_map_get(v, "loop"), 0, 0, INT32_MAX);
    start_filter_shape(b, lane, v);
    start_dirt_fx(b, lane, v);
    return 0;
}

/* A voice's own filter (cutoff or else hcutoff), shape and crush. */
static void start_filter_shape(struct batch *b, int lane, struct val v)
{
    double cutoff = num_or(val_map_get(v, "cutoff"), -1), hcut = num_or(val_map_get(v, "hcutoff"), -1);
    b->flt_on[lane] = cutoff > 0 || hcut > 0;
    b->fhp[lane] = cutoff > 0 ? 0.0f : 1.0f;
    b->fc[lane] = (float)(cutoff > 0 ? cutoff : hcut);
    b->fq[lane] = (float)num_or(val_map_get(v, cutoff > 0 ? "resonance" : "hresonance"), 0.707);
    for (int ch = 0; ch < 2; ch++)
        b->fst[ch][0][lane] = b->fst[ch][1][lane] = 0;
    b->shape[lane] = (float)num_or(val_map_get(v, "shape"), 0);
    b->crush[lane] = (float)num_or(val_map_get(v, "crush"), 0);
    b->any_fx |= b->flt_on[lane] > 0 || b->shape[lane] > 0 || b->crush[lane] > 0;
}

static void start_one(struct voice_pool *vp, struct program *p, int player, const struct sound *snd,
                      struct val v, double note, int cut, int frame, double dur_frames,
                      const struct voice_block *vblk)
{
    int sr = vp->sr;
    int sub = -1, instr = -1, synth = -1;
    if (snd->kind == SND_INSTR) {
        instr = snd->instr;
        const struct player *pl = &p->players[player];
        for (int k = 0; k < pl->nsub; k++)
            if (pl->sub_instr[k] == instr)
                sub = k;
    } else if (snd->kind == SND_SYNTH) {
        synth = snd->synth;
    }
    while (vp->live >= vp->capacity)
        steal(vp);
    int lane;
    struct batch *b = lane_for(vp, snd->kind, p, player, sub, instr, synth, orbit_of(v), &lane);
    if (!b) {
        vp->stats.dropped++;
        return;
    }
    const struct val *x;
    double gain = num_or(val_map_get(v, "gain"), 1) * num_or(val_map_get(v, "velocity"), 1);
    if ((x = val_map_get(v, "amp")))
        gain *= num_or(x, 1);
    if ((x = val_map_get(v, "postgain")))
        gain *= num_or(x, 1);
    double pan = num_or(val_map_get(v, "pan"), 0.5);
    double legato = num_or(val_map_get(v, "legato"), 0);
    /* h-controls: Strudel's duration (dur) in cycles replaces the event's
     * length and cuts the voice there, as legato does */
    double dcyc = num_or(val_map_get(v, "duration"), -1);
    if (dcyc > 0 && dcyc < 1e6) {
        dur_frames = dcyc * vblk->frames_per_cycle;
        if (!(legato > 0))
            legato = 1;
    }
    float pl_, pr_;
    dsp_pan_gains((float)pan, &pl_, &pr_);
    /* equal power: centre is -3 dB each side; keep a centred voice at unity */
    b->gl[lane] = (float)gain * pl_ * 1.41421356f;
    b->gr[lane] = (float)gain * pr_ * 1.41421356f;
    b->start[lane] = frame;
    b->age[lane] = ++vp->clock;
    b->fade[lane] = 1;
    b->fstep[lane] = 0;
    b->released[lane] = 0;
    b->cut[lane] = cut;
    double gate = legato > 0 ? dur_frames * legato : dur_frames;
    double attack = num_or(val_map_get(v, "attack"), -1), release = num_or(val_map_get(v, "release"), -1);
    double decay = num_or(val_map_get(v, "decay"), -1), sustain = num_or(val_map_get(v, "sustain"), -1);
    /* h-controls: hold, SuperDirt's linen envelope: the gate closes after
     * attack + hold seconds */
    /* sustain without decay is SuperDirt's: the voice's length in seconds
     * (samples and instruments; synths read it as their note length); with
     * decay it is Strudel's level after the decay (below) */
    int sus_len = sustain >= 0 && sustain < 1e6 && decay < 0 && (snd->kind == SND_SAMPLE || snd->kind == SND_INSTR);
    if (sus_len)
        gate = sustain * sr;
    double hold = num_or(val_map_get(v, "hold"), -1);
    if (hold >= 0 && hold < 1e6)
        gate = (fmax(attack, 0) + hold) * sr;
    /* h-controls: legato (and duration, sustain) cut a sample voice at its
     * gate, as SuperDirt's dirt_gate does: an envelope of sustain 1 released there */
    int cut_at_gate = snd->kind == SND_SAMPLE && (legato > 0 || sus_len);
    int env = snd->kind == SND_INSTR || attack >= 0 || release >= 0 || decay >= 0 || (hold >= 0 && hold < 1e6) ||
              cut_at_gate;
    b->has_env[lane] = (float)env;
    b->any_env |= env;
    if (snd->kind == SND_INSTR) {
        if (attack < 0) attack = 0.01;
        if (release < 0) release = 0.3;
    }
    b->att[lane] = env_frames(attack < 0 ? 0 : attack, sr);
    b->dec[lane] = env_frames(decay < 0 ? 0.0001 : decay, sr);
    b->sus[lane] = decay >= 0 ? (float)(sustain < 0 ? 0.5 : sustain) : 1.0f;
    b->rel[lane] = env_frames(release < 0 ? 0.001 : release, sr);
    for (int k = 0; k < 4; k++)
        b->env[k][lane] = 0;
    /* plain one-shots ignore the gate unless legato is given */
    b->gate[lane] = (env || legato > 0) && gate < (double)INT_MAX / 2 ? (int32_t)(frame + gate + 0.5) : INT_MAX;
    if (b->gate[lane] <= frame)
        b->gate[lane] = frame + 1;
    double freq = snd->kind == SND_SAMPLE ? 0 : bound_freq(vp, 261.6255653005986 * pow(2.0, note / 12.0));
    if (snd->kind == SND_SAMPLE) {
        if (start_sample(vp, b, lane, snd, v, note, vblk))
            return;
        start_fenv(b, lane, v, gate / sr);
        start_penv(b, lane, v, gate / sr);
    } else if (snd->kind == SND_SYNTH) {
        struct dsp_synth_note sn;
        dsp_synth_note_defaults((enum dsp_synth_kind)synth, &sn);
        /* drums: the note moves the kind's own pitch (superkick 50 Hz) */
        int drum = synth == DSP_SUPERKICK || synth == DSP_SUPERSNARE || synth == DSP_SUPERHAT ||
                   (synth >= DSP_SOSKICK && synth <= DSP_SOSSNARE) || synth == DSP_SUPERCLAP;
        sn.freq = drum ? (float)bound_freq(vp, (double)sn.freq * pow(2.0, note / 12.0)) : (float)freq;
        sn.gain = 1;
        if ((x = val_map_get(v, "freq")))
            sn.freq = (float)bound_freq(vp, num_or(x, freq));
        if (dur_frames > 0 && !drum)
            sn.sustain = (float)(gate / sr);
        if ((x = val_map_get(v, "sustain")))
            sn.sustain = (float)num_or(x, (double)sn.sustain);
        if (attack >= 0) sn.attack = (float)attack;
        if (release >= 0) sn.release = (float)release;
        if ((x = val_map_get(v, "detune"))) sn.detune = (float)num_or(x, (double)sn.detune);
        if ((x = val_map_get(v, "voice"))) sn.voices = (float)num_or(x, (double)sn.voices);
        if ((x = val_map_get(v, "velocity"))) sn.velocity = (float)num_or(x, (double)sn.velocity);
        if ((x = val_map_get(v, "rate"))) sn.rate = (float)num_or(x, (double)sn.rate);
        synth_args(&sn, v);
        /* the synth runs its own envelope; it is triggered at the onset
         * frame when the batch renders (render_synth splits the block) */
        b->has_env[lane] = 0;
        b->gate[lane] = INT_MAX;
        b->note[lane] = sn;
        b->pending[lane] = 1;
    } else {
        const struct instr *in = &p->instrs[instr];
        b->pitch[lane] = (float)(freq / (double)in->f0);
        for (int s = 0; s < in->nstate; s++)
            b->st[s * W + lane] = 0;
        /* fresh noise states, distinct per voice */
        for (int k = 0; k < in->nops; k++)
            if (in->ops[k].kind == VO_OSC) {
                uint32_t seed = dsp_noise_seed((uint32_t)vp->clock * 2654435761u + (uint32_t)k);
                memcpy(&b->st[(in->ops[k].st + 2) * W + lane], &seed, sizeof seed);
            }
    }
    /* issue 12 (h-controls): the per-voice effects, every voice kind */
    if (snd->kind != SND_SAMPLE) {
        start_filter_shape(b, lane, v);
        start_fenv(b, lane, v, gate / sr);
        start_dirt_fx(b, lane, v);
        if (synth == DSP_SUPERVIBE)
            vibe_tremolo(b, lane, v);
    }
    x = val_map_get(v, "freq");
    double fx_freq = x ? num_or(x, 0) : freq > 0 ? freq : 261.6255653005986 * pow(2.0, note / 12.0);
    vp->stats.fx_dropped += voice_fx2_start(vp->fxmem, b, lane, v, fx_freq, (float)sr);
    start_bpenv(b, lane, v, gate / sr);
    if (snd->kind == SND_SAMPLE)
        b->any_fx |= b->any_fx2;
    if (!(b->live >> lane & 1)) {
        if (b->prog)
            atomic_fetch_add(&b->prog->voices_alive, 1);
    }
    b->live |= 1u << lane;
    b->alive[lane] = 1.0f;
    vring_push(vp, &vp->by_start, b, lane);
    vp->live++;
    vp->stats.started++;
    if (vp->live > vp->stats.peak)
        vp->stats.peak = vp->live;
}

void voice_start(struct voice_pool *vp, struct program *p, int player, const struct pat_ev *ev,
                 int frame, double dur_frames, const struct voice_block *vb)
{
    struct val v = ev->v;
    if (v.kind != VAL_MAP)
        return;
    const struct val *s = val_map_get(v, "s");
    const char *name = s && s->kind == VAL_STR ? s->u.str : NULL;
    const struct sound *snd = NULL;
    struct sound deflt;
    if (name) {
        snd = find_banked(p, name, val_map_get(v, "bank"));
        if (!snd || snd->kind == SND_SILENT || snd->kind == SND_MIDI)
            return;
    } else if (val_map_get(v, "note") || val_map_get(v, "n") || val_map_get(v, "freq")) {
        if (p->players[player].default_instr < 0)
            return;
        memset(&deflt, 0, sizeof deflt);
        deflt.kind = SND_INSTR;
        deflt.instr = p->players[player].default_instr;
        snd = &deflt;
    } else {
        return;
    }
    /* h-controls: nudge (seconds) and SuperDirt's offset (seconds times
     * |speed|) start the voices later; never earlier */
    double later = fmax(0, num_or(val_map_get(v, "nudge"), 0)) +
                   fmax(0, num_or(val_map_get(v, "offset"), 0) * fabs(num_or(val_map_get(v, "speed"), 1)));
    if (later > 0 && later == later)
        frame += (int)lround(fmin(later, 60.0) * vp->sr);
    int c = (int)num_count(val_map_get(v, "cut"), 0, 0, INT_MAX);
    if (c)
        cut_group(vp, c);
    const struct val *nv = val_map_get(v, "note");
    /* n pitches synths and instruments, added to note (issue 12; for
     * samples it picks the file) */
    double n_add = snd->kind != SND_SAMPLE ? num_or(val_map_get(v, "n"), 0) : 0;
    double notes[8];
    int nnotes = 1;
    notes[0] = 0;
    if (nv && nv->kind == VAL_STR && strchr(nv->u.str, '\'')) {
        int k = voice_chord(nv->u.str, notes, 8);
        nnotes = k < 0 ? 1 : k == 0 ? 1 : k;
        if (k == 0)
            notes[0] = 0;
    } else if (nv) {
        notes[0] = num_or(nv, 0);
    }
    double oct = num_or(val_map_get(v, "octave"), 4) - 4;
    for (int i = 0; i < nnotes; i++)
        start_one(vp, p, player, snd, v, notes[i] + n_add + 12 * oct, c, frame, dur_frames, vb);
}

void voice_panic(struct voice_pool *vp)
{
    for (int i = 0; i < vp->nactive; i++) {
        struct batch *b = &vp->b[vp->active[i]];
        for (int l = 0; l < W; l++)
            if ((b->live >> l & 1) && b->fstep[l] == 0)
                fade_out(vp, b, l);
    }
}

/* ---- rendering ---------------------------------------------------------------------------- */

/* dsp.h's dsp_synth_render: the kernels in use, a chunk at a time (for
 * tests and tools; batches render through kern->synth). */
uint32_t dsp_synth_render(struct dsp_synth *s, float *out, int w, int n)
{
    enum { CH = 64 };
    float x[CH * W], tmp[VOICE_SYN_TMP * CH * W];
    const struct voice_kernels *k = voice_choose_kernels();
    w = w < 1 ? 1 : w > W ? W : w;
    uint32_t ended = 0;
    for (int f = 0; f < n; f += CH) {
        int m = n - f < CH ? n - f : CH;
        ended |= k->synth_lanes(s, x, m, tmp);
        for (int i = 0; i < m; i++)
            memcpy(out + (size_t)(f + i) * (size_t)w, x + i * W, sizeof(float) * (size_t)w);
    }
    return ended & ((1u << w) - 1u);
}

/* issue 12 (h-controls): a synth batch whose voices have per-voice
 * effects: the synth renders every lane into lanes ([frames][W]) as
 * render_synth does, then each lane runs its effects and is mixed with its
 * gains and fade. */
static uint32_t render_synth_fx(struct voice_pool *vp, struct batch *b, float *out, float *scratch, int frames)
{
    float *lanes = scratch + (size_t)frames * W, *xl = lanes + (size_t)frames * W, *xr = xl + frames;
    uint32_t bad = 0;
    for (int l = 0; l < W; l++)
        if (!isfinite(b->gl[l]) || !isfinite(b->gr[l]))
            bad |= 1u << l;
    int f = 0;
    while (f < frames) {
        for (int l = 0; l < W; l++)
            if (b->pending[l] > 0 && b->start[l] <= f) {
                dsp_synth_trigger(b->syn, l, &b->note[l]);
                b->pending[l] = 0;
            }
        int next = frames;
        for (int l = 0; l < W; l++)
            if (b->pending[l] > 0 && b->start[l] < next)
                next = b->start[l];
        dsp_synth_render(b->syn, scratch, W, next - f);
        memcpy(lanes + (size_t)f * W, scratch, sizeof(float) * (size_t)(next - f) * W);
        f = next;
    }
    memset(out, 0, sizeof(float) * 2 * (size_t)frames);
    for (int l = 0; l < W; l++) {
        if (!(b->live >> l & 1))
            continue;
        int s = b->start[l] < 0 ? 0 : b->start[l];
        for (int i = 0; i < frames; i++)
            xl[i] = xr[i] = i >= s && b->pending[l] == 0 ? lanes[(size_t)i * W + l] : 0.0f;
        vp->kern->lane_fx(b, l, frames, (float)vp->sr, xl, xr);
        for (int i = 0; i < frames; i++) {
            float fd = b->fade[l] - b->fstep[l];
            b->fade[l] = fd > 0 ? fd : 0;
            float yl = xl[i] * b->gl[l] * b->fade[l], yr = xr[i] * b->gr[l] * b->fade[l];
            if (!isfinite(yl) || !isfinite(yr))
                bad |= 1u << l;
            if (bad >> l & 1)
                continue;
            out[i] += yl;
            out[frames + i] += yr;
        }
    }
    for (int l = 0; l < W; l++)
        if ((b->live >> l & 1) && b->pending[l] == 0 && !(b->syn->live >> l & 1))
            b->fade[l] = 0;
    return bad & b->live;
}

/* After a batch rendered its block (pool thread): its lanes move on a block
 * and those that end leave it; voice_end_block counts them. */
static void lane_end(struct batch *b, int block, int sr)
{
    for (int l = 0; l < W; l++) {
        if (!(b->live >> l & 1))
            continue;
        if (b->start[l] >= block) {             /* h-controls: nudged past this block */
            b->start[l] -= block;
            if (b->gate[l] != INT_MAX)
                b->gate[l] -= block;
            continue;
        }
        if (b->bpenv.on[l] > 0) {
            b->bpenv.t[l] += (float)(block - (b->start[l] > 0 ? b->start[l] : 0)) / (float)sr;
            b->d2.bandf[l] = fenv_at(&b->bpenv, l, b->bpenv.t[l]);
        }
        if (b->fenv.on[l] > 0) {
            b->fenv.t[l] += (float)(block - (b->start[l] > 0 ? b->start[l] : 0)) / (float)sr;
            b->fc[l] = fenv_at(&b->fenv, l, b->fenv.t[l]);
        }
        if (b->kind == SND_SAMPLE && b->penv.on[l] > 0) {
            b->penv.t[l] += (float)(block - (b->start[l] > 0 ? b->start[l] : 0)) / (float)sr;
            float r = exp2f(penv_at(&b->penv, l, b->penv.t[l]) / 1200.0f);
            b->inc[l] = b->inc[l] / b->pratio[l] * r;
            b->pratio[l] = r;
        }
        b->start[l] = -1;
        if (b->kind == SND_SAMPLE && b->dinc[l] != 0)
            accelerate(b, l, block);
        if (b->gate[l] != INT_MAX) {
            b->gate[l] -= block;
            if (b->gate[l] <= 0) {
                b->gate[l] = 0;
                if (b->released[l] == 0)
                    b->just_released |= 1u << l;
                b->released[l] = 1;
            }
        }
        int ended = b->fade[l] <= 0;
        if (b->kind == SND_INSTR || b->has_env[l] > 0)
            ended |= b->env[1][l] == DSP_ENV_IDLE && b->gate[l] == 0;
        if (ended) {
            b->live &= ~(1u << l);
            b->alive[l] = 0.0f;
            b->ended++;
            b->ended_live += b->fstep[l] == 0;
        }
    }
}

/* What a sample kernel changes in a lane as it renders a block: kept
 * before the block so that a batch whose output is not finite can be
 * rendered again, lane by lane (sample_lanes). */
struct sample_state {
    int32_t pi[W], loops[W];
    float pf[W], fade[W], env[4][W], fst[2][2][W];
    struct voice_dirt_state dst;
    struct voice_dirt2_state d2s;
};

static void sample_save(const struct batch *b, struct sample_state *s)
{
    memcpy(s->pi, b->pi, sizeof s->pi);
    memcpy(s->loops, b->loops, sizeof s->loops);
    memcpy(s->pf, b->pf, sizeof s->pf);
    memcpy(s->fade, b->fade, sizeof s->fade);
    memcpy(s->env, b->env, sizeof s->env);
    memcpy(s->fst, b->fst, sizeof s->fst);
    s->dst = b->dst;
    s->d2s = b->d2s;
}

static void sample_restore(struct batch *b, const struct sample_state *s)
{
    memcpy(b->pi, s->pi, sizeof s->pi);
    memcpy(b->loops, s->loops, sizeof s->loops);
    memcpy(b->pf, s->pf, sizeof s->pf);
    memcpy(b->fade, s->fade, sizeof s->fade);
    memcpy(b->env, s->env, sizeof s->env);
    memcpy(b->fst, s->fst, sizeof s->fst);
    b->dst = s->dst;
    b->d2s = s->d2s;
}

/* The rare path of a sample batch whose output held a NaN or an infinity:
 * from the state saved before the block, each sounding lane renders alone
 * into lane_out ([2][frames], apart from the kernel's scratch); the finite
 * ones are added to out in lane order (the sum the batch makes without the
 * others), the others are returned as a mask. */
static uint32_t sample_lanes(struct voice_pool *vp, struct batch *b, const struct sample_state *saved,
                             float *out, float *scratch, float *lane_out, int frames)
{
    uint32_t live = b->live, bad = 0;
    sample_restore(b, saved);
    memset(out, 0, sizeof(float) * 2 * (size_t)frames);
    for (int l = 0; l < W; l++) {
        if (!(live >> l & 1))
            continue;
        b->live = 1u << l;
        vp->kern->sample(b, lane_out, frames, (float)vp->sr, scratch);
        if (vp->kern->finite(lane_out, 2 * frames))
            vp->kern->add(out, lane_out, 2 * frames);
        else
            bad |= 1u << l;
    }
    b->live = live;
    return bad;
}

/* Render batch i into out ([2][frames]). A NaN or an infinity never leaves
 * a voice: the lanes that made one are silenced (their voices end with the
 * block) and counted, the others play on. Should the sum of the finite
 * lanes still overflow, the whole batch is silenced. One pass over the
 * output checks it when all is well (the instrument kernel's own). */
static void render_batch(struct voice_pool *vp, int batch, float *out, float *scratch, const struct voice_block *vblk)
{
    struct batch *b = &vp->b[vp->active[batch]];
    int frames = vblk->frames;
    uint32_t bad = 0;
    int ok = 1;
    struct sample_state saved;
    switch (b->kind) {
    case SND_SAMPLE:
        sample_save(b, &saved);
        vp->kern->sample(b, out, frames, (float)vp->sr, scratch);
        ok = vp->kern->finite(out, 2 * frames);
        if (__builtin_expect(!ok, 0)) {
            bad = sample_lanes(vp, b, &saved, out, scratch, scratch + VOICE_SAMPLE_SCRATCH * (size_t)vp->block,
                               frames);
            ok = vp->kern->finite(out, 2 * frames);
        }
        break;
    case SND_SYNTH:
        bad = b->any_fx || b->any_fx2 ? render_synth_fx(vp, b, out, scratch, frames)
                                      : vp->kern->synth(b, out, frames, (float)vp->sr, scratch);
        ok = vp->kern->finite(out, 2 * frames);
        break;
    case SND_INSTR:
        bad = vp->kern->instr(b, out, frames, (float)vp->sr, scratch);
        ok = !(bad & VOICE_NOT_FINITE);
        bad &= ~VOICE_NOT_FINITE;
        break;
    default: memset(out, 0, sizeof(float) * 2 * (size_t)frames); break;
    }
    if (__builtin_expect(bad != 0, 0)) {
        for (int l = 0; l < W; l++)
            if (bad >> l & 1) {
                b->fade[l] = 0;
                b->gl[l] = b->gr[l] = 0.0f;     /* it ends with this block */
            }
        __atomic_fetch_add(&vp->stats.nan_resets, __builtin_popcount(bad), __ATOMIC_RELAXED);
    }
    if (__builtin_expect(!ok, 0)) {
        memset(out, 0, sizeof(float) * 2 * (size_t)frames);
        for (int l = 0; l < W; l++)
            b->fade[l] = 0;
        __atomic_fetch_add(&vp->stats.nan_resets, __builtin_popcount(b->live & ~bad), __ATOMIC_RELAXED);
    }
    lane_end(b, vp->block, vp->sr);
}

int voice_batch_route(const struct voice_pool *vp, int batch, const struct program *cur, int *dest)
{
    const struct batch *b = &vp->b[vp->active[batch]];
    int pi = cur && b->dprog == cur && b->dplayer >= 0 && b->dplayer < cur->nplayers ? b->dplayer : -1;
    *dest = -1;
    if (pi >= 0) {
        const struct player *pl = &cur->players[pi];
        int sub = b->prog == cur ? b->sub : -1;
        *dest = sub >= 0 ? pl->sub_node[sub] : pl->node;
    }
    return pi;
}

int voice_batch_orbit(const struct voice_pool *vp, int batch) { return vp->b[vp->active[batch]].orbit; }

const float *voice_batch_out(const struct voice_pool *vp, int batch) { return vp->b[vp->active[batch]].out; }

void voice_render_chunk(struct voice_pool *vp, const int *batches, int n, int thread, const struct voice_block *vb)
{
    /* the first batch renders into its own output, the sum; the others
     * into this thread's buffer (hot in the cache), added in order */
    unsigned char *mine = (unsigned char *)vp->scratch + vp->scratch_per_thread * (size_t)thread;
    float *scratch = (float *)(void *)mine, *tmp = (float *)(void *)(mine + vp->kern_scratch);
    float *sum = vp->b[vp->active[batches[0]]].out;
    dsp_denormals_off();                /* whichever thread runs it */
    render_batch(vp, batches[0], sum, scratch, vb);
    for (int k = 1; k < n; k++) {
        render_batch(vp, batches[k], tmp, scratch, vb);
        vp->kern->add(sum, tmp, 2 * vb->frames);
    }
}

void voice_mix_batch(struct voice_pool *vp, int batch, float *dl, float *dr, int frames)
{
    const float *out = vp->b[vp->active[batch]].out;
    vp->kern->add(dl, out, frames);
    vp->kern->add(dr, out + frames, frames);
}

void voice_end_block(struct voice_pool *vp)
{
    int w = 0;
    for (int i = 0; i < vp->nactive; i++) {
        int bi = vp->active[i];
        struct batch *b = &vp->b[bi];
        vp->live -= b->ended_live;              /* lane_end counted them when the batch rendered */
        if (b->ended && b->prog)
            atomic_fetch_sub(&b->prog->voices_alive, b->ended);
        b->ended = b->ended_live = 0;
        for (uint32_t rel = b->just_released & b->live; rel; rel &= rel - 1)
            vring_push(vp, &vp->by_release, b, __builtin_ctz(rel));
        b->just_released = 0;
        if (b->any_fx2)
            voice_fxmem_release(vp->fxmem, b);
        if (b->live) {
            vp->active[w++] = bi;
        } else {
            b->active = 0;
            b->next_free = vp->free_head;
            vp->free_head = bi;
            for (int k = 0; k < vp->nkeys; k++)
                if (vp->keys[k].batch == bi)
                    vp->keys[k].batch = -1;
        }
    }
    __atomic_store_n(&vp->nactive, w, __ATOMIC_RELAXED);
}

void voice_retarget(struct voice_pool *vp, const struct program *from, struct program *to)
{
    for (int i = 0; i < vp->nactive; i++) {
        struct batch *b = &vp->b[vp->active[i]];
        if (b->dprog != from)
            continue;
        int np = -1;
        if (b->dplayer >= 0 && to->prev_player && to->prev_seq == from->seq && b->dplayer < to->prev_nplayers) {
            np = to->prev_player[b->dplayer];       /* matched when it was published */
        } else if (b->dplayer >= 0) {
            const char *key = from->players[b->dplayer].key;
            for (int k = 0; k < to->nplayers && np < 0; k++)
                if (strcmp(to->players[k].key, key) == 0)
                    np = k;
        }
        /* the batch keeps its program (its instrument lives there) and
         * sounds through the new program's player of the same key, or
         * through the master when there is none */
        b->dprog = to;
        b->dplayer = np;
    }
}
