/* graph_state.c -- node memory: the allocate pass, reset, carry-over, freeing.
 *
 * Buffers and states are allocated when the graph is complete, all in the
 * program's arena except the states, which live in counted blocks of their
 * own so that a reload can hand them to the next program (below). Called by
 * the driver and by the engine; it calls only the context (graph_cc.c).
 */
#include "dsp_wavconv.h"
#include "graph_cc.h"
#include "phonon.h"
#include "sample.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Node states live in blocks of their own, shared by every program whose
 * node has the same key, kind and size (program_carry_state): a reload
 * hands the new program the very memory the playing one is writing, so it
 * goes on from the exact frame the old one stopped at, with nothing copied
 * on either thread. Only the playing program runs its nodes, so a block is
 * never run twice in a block. A block is freed with the last program that
 * holds it. Control thread only (compile, publish, free).
 *
 * A new block is zero. A large one (delay lines, reverbs: megabytes) is
 * fresh anonymous pages, never written here: a reload whose node takes
 * the playing program's block over (the usual case) then costs no
 * clearing and no page faults for the block it drops, and a new effect's
 * pages are faulted in as its line is first written. */
enum { STATE_MAPPED = 64 * 1024 };      /* blocks from this size on are mmap'd */

struct state_block {
    long refs;
    size_t mapped;                              /* bytes mmap'd (0: from the heap) */
    unsigned char pad[64 - sizeof(long) - sizeof(size_t)];   /* the state starts 64-byte aligned */
};

static void *state_new(size_t size)
{
    struct state_block *b;
    size_t total = sizeof *b + size;
    if (total >= STATE_MAPPED) {
        void *m = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED)
            return NULL;
        b = m;
        b->mapped = total;
    } else {
        b = phonon_alloc64(total);
        if (!b)
            return NULL;
        memset(b, 0, total);
    }
    b->refs = 1;
    return b + 1;
}

static void *state_retain(void *state)
{
    ((struct state_block *)state - 1)->refs++;
    return state;
}

static void state_release(void *state)
{
    struct state_block *b = state ? (struct state_block *)state - 1 : NULL;
    if (!b || --b->refs > 0)
        return;
    if (b->mapped)
        munmap(b, b->mapped);
    else
        free(b);
}

/* State size of a node (bytes, including effect memory after the struct). */
static size_t state_size(const struct gnode *g, float sr)
{
    switch (g->kind) {
    case N_OSC: return sizeof(struct osc_state);
    case N_FILTER: return sizeof(struct filt_state);
    case N_ENV: return sizeof(struct env_state);
    case N_PATPARAM: return 2 * sizeof(float);
    case N_DELAY: return 2 * FX_STRIDE(sizeof(struct dsp_delay), dsp_delay_size(10, sr));
    case N_REVERB: return sizeof(struct dsp_reverb) + 64 + dsp_reverb_size(sr);
    case N_PLATE: return sizeof(struct dsp_plate) + 64 + dsp_plate_size(sr);
    case N_BITCRUSH: return 2 * sizeof(struct dsp_bitcrush);
    case N_CHORUS: return 2 * FX_STRIDE(sizeof(struct dsp_chorus), dsp_chorus_size(sr));
    case N_COMPRESS: return sizeof(struct dsp_compress);
    case N_LIMIT: return sizeof(struct dsp_limit) + 64 + dsp_limit_size(sr);
    case N_MORE: return (dsp_more_flags(g->op) & DSP_MORE_ST ? 1 : 2) * dsp_more_size(g->op, sr);
    case N_WAVETABLE: return 2 * sizeof(float);                 /* a phase per channel */
    case N_CONVOLVE: return 2 * dsp_conv_size(g->data);          /* a delay line per channel */
    default: return 0;
    }
}

/* FNV-1a of a node's key (NULL: none). */
static uint32_t key_hash(const char *k)
{
    uint32_t h = 2166136261u;
    for (; k && *k; k++)
        h = (h ^ (uint8_t)*k) * 16777619u;
    return h;
}

static float *align64(void *p)
{
    return (float *)(((uintptr_t)p + 63) & ~(uintptr_t)63);
}

/* A node's state from zero: what is not zero set up (its kind's
 * *_init_zeroed: delay lines are not written). */
static void gnode_init(struct gnode *g)
{
    float sr = g->c[1];                         /* the sample rate, kept for re-init */
    unsigned char *st = g->state;
    switch (g->kind) {
    case N_OSC: {
        /* seeded from the node's key (FNV-1a), never from an address: the
         * same program makes the same noise on every run */
        ((struct osc_state *)st)->rng = dsp_noise_seed(key_hash(g->key));
        break;
    }
    case N_ENV:
        /* no cycle seen yet: the first block's cycle triggers (last = 0
         * left cycle 0 without its envelope, silent) */
        ((struct env_state *)st)->last = INT64_MIN;
        break;
    case N_DELAY: {
        size_t one = FX_STRIDE(sizeof(struct dsp_delay), dsp_delay_size(10, sr));
        for (int ch = 0; ch < 2; ch++) {
            struct dsp_delay *d = (struct dsp_delay *)(st + ch * one);
            dsp_delay_init_zeroed(d, align64(d + 1), 10, sr);
        }
        break;
    }
    case N_REVERB: {
        struct dsp_reverb *r = (struct dsp_reverb *)st;
        dsp_reverb_init_zeroed(r, align64(r + 1), sr);
        break;
    }
    case N_PLATE: {
        struct dsp_plate *r = (struct dsp_plate *)st;
        dsp_plate_init_zeroed(r, align64(r + 1), sr);
        break;
    }
    case N_BITCRUSH:
        dsp_bitcrush_init((struct dsp_bitcrush *)st);
        dsp_bitcrush_init((struct dsp_bitcrush *)st + 1);
        break;
    case N_CHORUS: {
        size_t one = FX_STRIDE(sizeof(struct dsp_chorus), dsp_chorus_size(sr));
        for (int ch = 0; ch < 2; ch++) {
            struct dsp_chorus *d = (struct dsp_chorus *)(st + ch * one);
            dsp_chorus_init_zeroed(d, align64(d + 1), ch ? 0.25f : 0, sr);
        }
        break;
    }
    case N_COMPRESS:
        dsp_compress_init((struct dsp_compress *)st, sr);
        break;
    case N_LIMIT: {
        struct dsp_limit *l = (struct dsp_limit *)st;
        dsp_limit_init(l, align64(l + 1), sr);
        break;
    }
    case N_MORE:                                /* one state per channel */
        for (size_t at = 0; at < g->state_size; at += dsp_more_size(g->op, sr))
            dsp_more_init_zeroed(g->op, st + at, sr);
        break;
    default:
        break;
    }
}

void gnode_reset(struct gnode *g)
{
    if (!g->state)
        return;
    memset(g->state, 0, g->state_size);
    gnode_init(g);
}

int state_allocate(struct cc *c, struct program *p)
{
    struct arena *a = c->a;
    float sr = (float)p->sample_rate;
    int B = p->block;
    p->nnodes = c->nodes.n;
    p->nodes = ARENA_ARRAY(a, struct gnode, p->nnodes ? p->nnodes : 1);
    if (!p->nodes)
        return cc_oom(c, (struct lang_pos){ 0, 0 });
    if (p->nnodes)
        memcpy(p->nodes, c->nodes.v, sizeof *p->nodes * (size_t)p->nnodes);
    for (int i = 0; i < p->nnodes; i++) {
        struct gnode *g = &p->nodes[i];
        g->c[1] = sr;
        g->out[0] = arena_calloc(a, (size_t)B * g->nch, sizeof(float), 64);
        if (!g->out[0])
            return cc_fail(c, (struct lang_pos){ 0, 0 }, "out of memory for the signal buffers (%d nodes)", p->nnodes);
        g->out[1] = g->nch == 2 ? g->out[0] + B : g->out[0];
        if (g->kind == N_CONST) {
            for (int f = 0; f < B; f++)
                g->out[0][f] = g->c[0];
        }
        g->state_size = state_size(g, sr);
        if (g->state_size) {
            g->state = state_new(g->state_size);
            if (!g->state)
                return cc_fail(c, (struct lang_pos){ 0, 0 }, "out of memory for the effect states");
            gnode_init(g);
        }
    }
    /* feedback sources keep last block's output */
    for (int i = 0; i < p->nnodes; i++) {
        struct gnode *g = &p->nodes[i];
        if (g->kind != N_FEEDBACK || g->aux < 0)
            continue;
        struct gnode *src = &p->nodes[g->aux];
        if (!src->prev[0]) {
            src->prev[0] = arena_calloc(a, (size_t)B * 2, sizeof(float), 64);
            if (!src->prev[0])
                return cc_oom(c, (struct lang_pos){ 0, 0 });
            src->prev[1] = src->prev[0] + B;
        }
    }
    p->nscratch = 8;
    p->scratch = arena_calloc(a, (size_t)B * (size_t)p->nscratch, sizeof(float), 64);
    return p->scratch ? 0 : cc_oom(c, (struct lang_pos){ 0, 0 });
}

void program_free(struct program *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nsounds; i++)
        if (p->sounds[i].kind == SND_SAMPLE)
            sample_bank_release(p->bank, p->sounds[i].set);
    for (int i = 0; i < p->nnodes; i++)
        state_release(p->nodes[i].state);
    arena_deinit(&p->arena);
    free(p);
}

/* h, if g can take its state over: same key, kind and size (a MORE
 * node's state is its op's: issue 13, rings at different places). */
static const struct gnode *same_state(const struct gnode *g, const struct gnode *h)
{
    return h->state && h->kind == g->kind && h->state_size == g->state_size && strcmp(h->key, g->key) == 0 &&
                   (g->kind != N_MORE || h->op == g->op)
               ? h
               : NULL;
}

void program_carry_state(struct program *to, const struct program *from)
{
    if (!to || !from)
        return;
    int *pm = ARENA_ARRAY(&to->arena, int, from->nplayers ? from->nplayers : 1);
    if (pm) {
        for (int i = 0; i < from->nplayers; i++) {
            pm[i] = -1;
            for (int k = 0; k < to->nplayers && pm[i] < 0; k++)
                if (strcmp(from->players[i].key, to->players[k].key) == 0)
                    pm[i] = k;
        }
        to->prev_seq = from->seq;
        to->prev_nplayers = from->nplayers;
        to->prev_player = pm;
    }
    if (to->sample_rate != from->sample_rate)
        return;
    /* from's nodes with a state, by key: an open-addressing table (a linear
     * scan if it cannot be had), so that a reload costs time linear in nodes */
    size_t mask = 1;
    while (mask < 2 * (size_t)from->nnodes)
        mask <<= 1;
    int *slot = malloc(mask * sizeof *slot);
    mask--;
    if (slot) {
        for (size_t s = 0; s <= mask; s++)
            slot[s] = -1;
        for (int j = 0; j < from->nnodes; j++) {
            size_t s = key_hash(from->nodes[j].key) & mask;
            if (!from->nodes[j].state)
                continue;
            while (slot[s] >= 0)
                s = (s + 1) & mask;
            slot[s] = j;
        }
    }
    for (int i = 0; i < to->nnodes; i++) {
        struct gnode *g = &to->nodes[i];
        if (!g->state || g->kind == N_PATPARAM)
            continue;
        const struct gnode *h = NULL;
        if (slot) {
            for (size_t s = key_hash(g->key) & mask; slot[s] >= 0 && !h; s = (s + 1) & mask)
                h = same_state(g, &from->nodes[slot[s]]);
        } else {
            for (int j = 0; j < from->nnodes && !h; j++)
                h = same_state(g, &from->nodes[j]);
        }
        if (h) {
            state_release(g->state);
            g->state = state_retain(h->state);
        }
    }
    free(slot);
}
