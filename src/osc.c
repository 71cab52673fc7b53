/* osc.c -- OSC 1.0 packets read and written (osc.h).
 *
 * One walk over the packet serves both passes: the first only checks (fn
 * NULL), the second decodes each message into the scratch message and
 * delivers it. A reader (struct rd) is a cursor and an end; every read
 * checks that the bytes it takes lie before the end.
 */
#include "osc.h"

#include <string.h>

struct rd {
    const unsigned char *p, *end;
};

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t be64(const unsigned char *p) { return (uint64_t)be32(p) << 32 | be32(p + 4); }

/* Take n bytes (n a multiple of 4): their start, or NULL past the end. */
static const unsigned char *take(struct rd *r, size_t n)
{
    if ((size_t)(r->end - r->p) < n)
        return NULL;
    const unsigned char *at = r->p;
    r->p += n;
    return at;
}

/* A NUL-terminated string padded to 4 bytes: its start, or NULL. */
static const char *take_str(struct rd *r)
{
    const unsigned char *nul = memchr(r->p, 0, (size_t)(r->end - r->p));
    if (!nul)
        return NULL;
    size_t n = ((size_t)(nul - r->p) + 4) & ~(size_t)3;
    return (const char *)take(r, n);
}

/* One argument of type t into a (NULL: only checked). 0 or -1. */
static int take_arg(struct rd *r, char t, struct osc_arg *a)
{
    const unsigned char *p = NULL;
    struct osc_arg x = { .type = t };
    switch (t) {
    case 'i': case 'c': case 'r': case 'm':
        if (!(p = take(r, 4)))
            return -1;
        x.num = (double)(int32_t)be32(p);
        break;
    case 'f': {
        if (!(p = take(r, 4)))
            return -1;
        uint32_t u = be32(p);
        float f;
        memcpy(&f, &u, sizeof f);
        x.num = (double)f;
        break;
    }
    case 'd': case 'h': case 't': {
        if (!(p = take(r, 8)))
            return -1;
        uint64_t u = be64(p);
        x.u64 = u;
        if (t == 'd')
            memcpy(&x.num, &u, sizeof x.num);
        else if (t == 'h')
            x.num = (double)(int64_t)u;
        break;
    }
    case 's': case 'S':
        if (!(x.str = take_str(r)))
            return -1;
        x.type = 's';
        break;
    case 'b': {
        if (!(p = take(r, 4)))
            return -1;
        uint32_t n = be32(p);
        if (n > (uint32_t)(r->end - r->p) || !take(r, ((size_t)n + 3) & ~(size_t)3))
            return -1;
        break;
    }
    case 'T': x.num = 1; break;
    case 'F': case 'N': case 'I': break;
    default:
        return -1;                  /* unknown: its size is unknown */
    }
    if (a)
        *a = x;
    return 0;
}

struct walk {
    osc_msg_fn *fn;                 /* NULL: check only */
    void *user;
    struct osc_msg *m;
    int nmsgs;
};

/* A message filling [r->p, r->end): address, type tags, arguments, and
 * nothing left over. */
static int walk_msg(struct walk *w, struct rd r, uint64_t time)
{
    const char *addr = take_str(&r), *types = addr ? take_str(&r) : NULL;
    if (!addr || addr[0] != '/' || !types || types[0] != ',')
        return -1;
    size_t n = strlen(types + 1);
    if (n > OSC_MAX_ARGS || ++w->nmsgs > OSC_MAX_MESSAGES)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (take_arg(&r, types[1 + i], w->fn ? &w->m->args[i] : NULL))
            return -1;
    if (r.p != r.end)
        return -1;
    if (w->fn) {
        w->m->addr = addr;
        w->m->time = time;
        w->m->nargs = (int)n;
        w->fn(w->user, w->m);
    }
    return 0;
}

static int walk_packet(struct walk *w, struct rd r, int depth);

/* A bundle filling [r->p, r->end): "#bundle", its time tag, elements. */
static int walk_bundle(struct walk *w, struct rd r, int depth)
{
    const unsigned char *head = take(&r, 8), *tt = take(&r, 8);
    if (!head || !tt || memcmp(head, "#bundle", 8) != 0 || depth >= OSC_MAX_DEPTH)
        return -1;
    uint64_t time = be64(tt);
    while (r.p < r.end) {
        const unsigned char *szp = take(&r, 4);
        uint32_t sz = szp ? be32(szp) : 0;
        if (!szp || sz == 0 || sz % 4 || sz > (uint32_t)(r.end - r.p))
            return -1;
        struct rd el = { r.p, r.p + sz };
        r.p += sz;
        int rc = el.p[0] == '#' ? walk_packet(w, el, depth + 1) : walk_msg(w, el, time);
        if (rc)
            return -1;
    }
    return 0;
}

static int walk_packet(struct walk *w, struct rd r, int depth)
{
    if (r.end - r.p < 4 || (r.end - r.p) % 4)
        return -1;
    return r.p[0] == '#' ? walk_bundle(w, r, depth) : walk_msg(w, r, OSC_TIME_NOW);
}

int osc_decode(const void *buf, size_t len, struct osc_msg *scratch, osc_msg_fn *fn, void *user)
{
    struct rd r = { buf, (const unsigned char *)buf + len };
    struct walk check = { 0 };
    if (!buf || walk_packet(&check, r, 0))
        return OSC_EMALFORMED;
    struct walk deliver = { fn, user, scratch, 0 };
    walk_packet(&deliver, r, 0);
    return deliver.nmsgs;
}

int64_t osc_time_to_unix_ns(uint64_t t)
{
    if (t == OSC_TIME_NOW)
        return 0;
    int64_t sec = (int64_t)(t >> 32) - (int64_t)OSC_NTP_UNIX_OFFSET;
    /* the fraction in ns, rounded to nearest */
    int64_t frac = (int64_t)(((t & 0xffffffffu) * 1000000000u + 0x80000000u) >> 32);
    return sec * 1000000000 + frac;
}

uint64_t osc_time_from_unix_ns(int64_t ns)
{
    int64_t sec = ns / 1000000000, rem = ns % 1000000000;
    if (rem < 0) {
        rem += 1000000000;
        sec--;
    }
    uint64_t frac = (((uint64_t)rem << 32) + 500000000u) / 1000000000u;
    return ((uint64_t)(sec + OSC_NTP_UNIX_OFFSET) << 32) + frac;
}

/* ---- writing ------------------------------------------------------------------ */

static void put(struct osc_out *o, const void *p, size_t n, size_t padded)
{
    if (o->err || o->cap - o->len < padded) {
        o->err = 1;
        return;
    }
    memcpy(o->buf + o->len, p, n);
    memset(o->buf + o->len + n, 0, padded - n);
    o->len += padded;
}

void osc_out_str(struct osc_out *o, const char *s)
{
    size_t n = strlen(s);
    put(o, s, n, (n + 4) & ~(size_t)3);
}

void osc_out_int(struct osc_out *o, int32_t v)
{
    uint32_t u = (uint32_t)v;
    unsigned char b[4] = { (unsigned char)(u >> 24), (unsigned char)(u >> 16), (unsigned char)(u >> 8),
                           (unsigned char)u };
    put(o, b, 4, 4);
}

void osc_out_begin(struct osc_out *o, void *buf, size_t cap, const char *addr, const char *types)
{
    o->buf = buf;
    o->cap = cap;
    o->len = 0;
    o->err = 0;
    osc_out_str(o, addr);
    osc_out_str(o, types);
}

long osc_out_end(const struct osc_out *o) { return o->err ? -1 : (long)o->len; }
