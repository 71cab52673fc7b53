/* arena.c -- bump allocator over a chain of chunks.
 *
 * Allocation bumps an offset in the newest chunk; when it does not fit, a new
 * chunk at least twice as large as the last one (and large enough for the
 * request) is pushed in front, if growing is allowed. Reset rewinds to the
 * newest (largest) chunk; a non-growing arena has exactly one chunk, so its
 * capacity stays what was preallocated.
 */
#include "arena.h"
#include "phonon.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
    struct arena_chunk *next;   /* older chunk */
    size_t used, cap;           /* bytes used / available in data[] */
    _Alignas(64) unsigned char data[];
};

static struct arena_chunk *chunk_new(size_t cap)
{
    /* the chunk header is declared 64-byte aligned: so must its memory be */
    struct arena_chunk *c = phonon_alloc64(sizeof *c + cap);
    if (!c)
        return NULL;
    c->next = NULL;
    c->used = 0;
    c->cap = cap;
    return c;
}

int arena_init(struct arena *a, size_t initial, int grow, size_t limit)
{
    if (initial < 256)
        initial = 256;
    a->head = chunk_new(initial);
    a->chunk_size = initial;
    a->total = initial;
    a->limit = limit;
    a->grow = grow;
    return a->head ? 0 : -1;
}

void arena_deinit(struct arena *a)
{
    struct arena_chunk *c = a->head;
    while (c) {
        struct arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
}

static void *bump(struct arena_chunk *c, size_t size, size_t align)
{
    uintptr_t base = (uintptr_t)c->data;
    uintptr_t at = (base + c->used + (align - 1)) & ~(uintptr_t)(align - 1);
    size_t off = (size_t)(at - base);
    if (off > c->cap || size > c->cap - off)
        return NULL;
    c->used = off + size;
    return c->data + off;
}

void *arena_alloc(struct arena *a, size_t size, size_t align)
{
    if (!a->head)
        return NULL;
    if (size == 0)
        size = 1;
    void *p = bump(a->head, size, align);
    if (p)
        return p;
    if (!a->grow)                   /* a fixed arena has its one chunk */
        return NULL;
    size_t cap = a->chunk_size * 2;
    if (cap < size + align)
        cap = size + align;
    if (a->limit && a->total + cap > a->limit) {
        if (a->total + size + align > a->limit)
            return NULL;
        cap = size + align;
    }
    struct arena_chunk *c = chunk_new(cap);
    if (!c)
        return NULL;
    c->next = a->head;
    a->head = c;
    a->chunk_size = cap;
    a->total += cap;
    return bump(c, size, align);
}

void *arena_calloc(struct arena *a, size_t n, size_t size, size_t align)
{
    if (size && n > SIZE_MAX / size)
        return NULL;
    void *p = arena_alloc(a, n * size, align);
    if (p)
        memset(p, 0, n * size);
    return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t len)
{
    char *p = arena_alloc(a, len + 1, 1);
    if (p) {
        memcpy(p, s, len);
        p[len] = 0;
    }
    return p;
}

void arena_reset(struct arena *a)
{
    if (!a->head)
        return;
    if (a->grow) {
        /* Keep only the largest (newest) chunk: the next round starts with
         * the capacity the last one needed. */
        struct arena_chunk *c = a->head->next;
        while (c) {
            struct arena_chunk *next = c->next;
            a->total -= c->cap;
            free(c);
            c = next;
        }
        a->head->next = NULL;
    }
    a->head->used = 0;
}

struct arena_mark arena_mark(const struct arena *a)
{
    struct arena_mark m = { a->head, a->head ? a->head->used : 0 };
    return m;
}

void arena_rewind(struct arena *a, struct arena_mark m)
{
    if (a->head && a->head == m.head && m.used <= a->head->used)
        a->head->used = m.used;
}
