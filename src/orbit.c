/* orbit.c -- SuperDirt's orbits: a global delay and reverb each (orbit.h).
 *
 * DESIGN. Parameters change at the frame of the event that sets them: each
 * orbit keeps a per-frame array of every parameter for the block, and an
 * event overwrites the rest of the block from its frame when a value
 * changes; after the block each array holds its last value throughout, for
 * the next. Levels (delay, room, dry) glide with a 10 ms one-pole; times
 * glide inside the delay itself.
 */
#include "orbit.h"
#include "dsp.h"
#include "phonon.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

enum { P_TIME, P_FB, P_AMP, P_ROOM, P_SIZE, P_DRY, NPARAM };

struct orbit {
    int active;
    int lock;
    double delaytime;               /* as given (seconds, or cycles with lock) */
    float *p[NPARAM];               /* per frame this block */
    float *inl, *inr;               /* the voices' sum this block */
    float amp, room, dry;           /* smoothed levels */
    struct dsp_delay dl[2];
    struct dsp_reverb rv;
    unsigned char *lines;           /* the delay lines' and the reverb's memory */
    size_t lines_size;
};

struct orbits {
    int sr, block;
    float glide;                    /* one-pole coefficient, 10 ms */
    float *mem;                     /* every buffer: one anonymous mapping */
    size_t mem_size;
    float *t[4];                    /* scratch [block] each */
    float *damp, *ones;
    struct orbit o[ORBIT_COUNT];
};

static double num_of(const struct val *v, double dflt)
{
    if (!v)
        return dflt;
    if (v->kind == VAL_NUM)
        return v->u.num;
    double x;
    if (v->kind == VAL_STR && val_parse_number(v->u.str, strlen(v->u.str), &x))
        return x;
    return dflt;
}

static void fill(float *a, int from, int to, float x)
{
    for (int i = from; i < to; i++)
        a[i] = x;
}

/* The sizes of the parts of o->mem: a delay line, a reverb, a block. */
static void part_sizes(const struct orbits *o, size_t *dsz, size_t *rsz, size_t *bsz)
{
    *dsz = phonon_round64(dsp_delay_size(ORBIT_MAX_DELAY_S, (float)o->sr));
    *rsz = phonon_round64(dsp_reverb_size((float)o->sr));
    *bsz = phonon_round64(sizeof(float) * (size_t)o->block);
}

/* Orbit n at its place in o->mem, off, with its start values; its delay
 * lines and reverb must be zero (fresh pages, or orbits_reset's). */
static void lay_out_orbit(struct orbits *o, int n)
{
    static const float init[NPARAM] = { 0.25f, 0.5f, 0, 0, 0.1f, 0 };
    size_t dsz, rsz, bsz;
    part_sizes(o, &dsz, &rsz, &bsz);
    float sr = (float)o->sr;
    unsigned char *m = (unsigned char *)o->mem + 6 * bsz + (size_t)n * (2 * dsz + rsz + (NPARAM + 2) * bsz);
    struct orbit *ob = &o->o[n];
    memset(ob, 0, sizeof *ob);
    ob->lines = m;
    ob->lines_size = 2 * dsz + rsz;
    for (int ch = 0; ch < 2; ch++, m += dsz)
        dsp_delay_init_zeroed(&ob->dl[ch], m, ORBIT_MAX_DELAY_S, sr);
    dsp_reverb_init_zeroed(&ob->rv, m, sr);
    m += rsz;
    for (int k = 0; k < NPARAM; k++, m += bsz) {
        ob->p[k] = (float *)(void *)m;
        fill(ob->p[k], 0, o->block, init[k]);
    }
    ob->inl = (float *)(void *)m;
    m += bsz;
    ob->inr = (float *)(void *)m;
    memset(ob->inl, 0, sizeof(float) * (size_t)o->block);
    memset(ob->inr, 0, sizeof(float) * (size_t)o->block);
    ob->delaytime = 0.25;
}

struct orbits *orbits_new(int sample_rate, int block)
{
    struct orbits *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->sr = sample_rate;
    o->block = block;
    o->glide = 1.0f - expf(-1.0f / (0.01f * (float)sample_rate));
    size_t dsz, rsz, bsz;
    part_sizes(o, &dsz, &rsz, &bsz);
    size_t per = 2 * dsz + rsz + (NPARAM + 2) * bsz;
    size_t total = per * ORBIT_COUNT + 6 * bsz;
    /* Fresh anonymous pages, zero until written: the delay lines and
     * reverbs (about 25 MB at 44.1 kHz) cost no memory and no time until
     * an orbit is sent to, and then only the pages its lines reach. */
    void *mm = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mm == MAP_FAILED) {
        free(o);
        return NULL;
    }
    o->mem = (float *)mm;
    o->mem_size = total;
    unsigned char *m = mm;
    for (int k = 0; k < 4; k++, m += bsz)
        o->t[k] = (float *)(void *)m;
    o->damp = (float *)(void *)m;
    m += bsz;
    o->ones = (float *)(void *)m;
    fill(o->damp, 0, block, 0.5f);
    fill(o->ones, 0, block, 1.0f);
    for (int n = 0; n < ORBIT_COUNT; n++)
        lay_out_orbit(o, n);
    return o;
}

/* Zero n bytes at p: the whole pages in it are given back (zero again
 * when next read, and free until then), the ends are cleared. */
static void zero_lines(unsigned char *p, size_t n)
{
    uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), a = (uintptr_t)p, z = a + n;
    uintptr_t a1 = (a + page - 1) & ~(page - 1), z1 = z & ~(page - 1);
    if (z1 <= a1 || madvise((void *)a1, z1 - a1, MADV_DONTNEED) != 0) {
        memset(p, 0, n);
        return;
    }
    memset(p, 0, a1 - a);
    memset((void *)z1, 0, z - z1);
}

/* An orbit never sent to is as orbits_new left it (orbit_event, _add and
 * orbits_process leave it alone). */
void orbits_reset(struct orbits *o)
{
    for (int n = 0; n < ORBIT_COUNT; n++)
        if (o->o[n].active) {
            zero_lines(o->o[n].lines, o->o[n].lines_size);
            lay_out_orbit(o, n);
        }
}

void orbits_free(struct orbits *o)
{
    if (!o)
        return;
    munmap(o->mem, o->mem_size);
    free(o);
}

int orbit_of(struct val v)
{
    double x = num_of(val_map_get(v, "orbit"), 0);
    if (!(x == x) || fabs(x) > 1e9)
        return 0;
    long n = (long)floor(x) % ORBIT_COUNT;
    return (int)(n < 0 ? n + ORBIT_COUNT : n);
}

/* Parameter k of orbit ob is x from frame on (a no-op when it already is). */
static void set_param(struct orbits *o, struct orbit *ob, int k, int frame, double x)
{
    float f = (float)x;
    if (f == f && ob->p[k][frame] != f)
        fill(ob->p[k], frame, o->block, f);
}

void orbit_event(struct orbits *o, struct val v, int frame, double cps)
{
    if (v.kind != VAL_MAP || frame < 0 || frame >= o->block)
        return;
    struct orbit *ob = &o->o[orbit_of(v)];
    double delay = num_of(val_map_get(v, "delay"), 0), room = num_of(val_map_get(v, "room"), 0);
    if (!ob->active && !(delay > 0) && !(room > 0))
        return;                         /* nothing sent to it yet: it stays off */
    int first = !ob->active;
    ob->active = 1;
    const struct val *x;
    if ((x = val_map_get(v, "lock")))
        ob->lock = num_of(x, 0) >= 0.5;
    if ((x = val_map_get(v, "delaytime")))
        ob->delaytime = num_of(x, ob->delaytime);
    double t = ob->lock && cps > 0 ? ob->delaytime / cps : ob->delaytime;
    set_param(o, ob, P_TIME, frame, t < 0 ? 0 : t > ORBIT_MAX_DELAY_S ? ORBIT_MAX_DELAY_S : t);
    if ((x = val_map_get(v, "delayfeedback")))
        set_param(o, ob, P_FB, frame, num_of(x, 0) < 0 ? 0 : num_of(x, 0));
    set_param(o, ob, P_AMP, frame, delay < 0 ? 0 : delay);
    set_param(o, ob, P_ROOM, frame, room < 0 ? 0 : room);
    if ((x = val_map_get(v, "size")))
        set_param(o, ob, P_SIZE, frame, num_of(x, 0.1));
    if ((x = val_map_get(v, "dry")))
        set_param(o, ob, P_DRY, frame, num_of(x, 0));
    if (first) {                        /* the first send: the levels start there */
        ob->amp = ob->p[P_AMP][frame];
        ob->room = ob->p[P_ROOM][frame];
        ob->dry = ob->p[P_DRY][frame];
    }
}

int orbit_active(const struct orbits *o, int n) { return o->o[n].active; }

void orbit_add(struct orbits *o, int n, const float *l, const float *r, int frames)
{
    struct orbit *ob = &o->o[n];
    for (int i = 0; i < frames; i++) {
        ob->inl[i] += l[i];
        ob->inr[i] += r[i];
    }
}

/* One orbit's block: delay (wet, times its level) plus reverb (fed at the
 * room level, times 1 - dry) into ml, mr. */
static void orbit_run(struct orbits *o, struct orbit *ob, float *ml, float *mr, int frames)
{
    float *wl = o->t[0], *wr = o->t[1], *rl = o->t[2], *rr = o->t[3];
    float g = o->glide;
    dsp_delay_process(&ob->dl[0], ob->inl, wl, ob->p[P_TIME], ob->p[P_FB], o->ones, frames);
    dsp_delay_process(&ob->dl[1], ob->inr, wr, ob->p[P_TIME], ob->p[P_FB], o->ones, frames);
    float room = ob->room;
    for (int i = 0; i < frames; i++) {
        room += g * (ob->p[P_ROOM][i] - room);
        rl[i] = ob->inl[i] * room;
        rr[i] = ob->inr[i] * room;
    }
    ob->room = dsp_flush(room);
    dsp_reverb_process(&ob->rv, rl, rr, rl, rr, ob->p[P_SIZE], o->damp, o->ones, frames);
    float amp = ob->amp, dry = ob->dry;
    for (int i = 0; i < frames; i++) {
        amp += g * (ob->p[P_AMP][i] - amp);
        dry += g * (ob->p[P_DRY][i] - dry);
        ml[i] += wl[i] * amp + rl[i] * (1.0f - dry);
        mr[i] += wr[i] * amp + rr[i] * (1.0f - dry);
    }
    ob->amp = dsp_flush(amp);
    ob->dry = dsp_flush(dry);
}

void orbits_process(struct orbits *o, float *ml, float *mr, int frames)
{
    for (int n = 0; n < ORBIT_COUNT; n++) {
        struct orbit *ob = &o->o[n];
        if (!ob->active)
            continue;
        orbit_run(o, ob, ml, mr, frames);
        memset(ob->inl, 0, sizeof(float) * (size_t)frames);
        memset(ob->inr, 0, sizeof(float) * (size_t)frames);
        for (int k = 0; k < NPARAM; k++)
            fill(ob->p[k], 0, o->block, ob->p[k][o->block - 1]);
    }
}
