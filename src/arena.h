/* arena.h -- bump allocator: many small allocations, one release.
 *
 * Used for compiled programs (one arena each, released in one go), for ASTs
 * and, reset per query, for the pattern engine's scratch memory on the audio
 * thread. An arena is a chain of chunks. With grow = 0 it never allocates
 * after arena_init, so it is safe on the audio thread: a request that does not
 * fit returns NULL and the caller reports a resource limit.
 *
 * Thread context: an arena belongs to one thread at a time. Not locked.
 */
#ifndef ARENA_H
#define ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
    struct arena_chunk *head;   /* current chunk (the newest) */
    size_t chunk_size;          /* size of the next chunk to allocate */
    size_t total;               /* bytes of all chunks */
    size_t limit;               /* never grow beyond this many bytes (0 = no limit) */
    int grow;                   /* may allocate new chunks */
};

/* Initialise with a first chunk of `initial` bytes. grow: whether more chunks
 * may be added later (never on the audio thread). limit: cap on the total
 * size in bytes (0: none). Returns 0, or -1 when out of memory. */
int arena_init(struct arena *a, size_t initial, int grow, size_t limit);
void arena_deinit(struct arena *a);        /* frees every chunk */

/* size bytes aligned to align (a power of two <= 64); NULL when full. */
void *arena_alloc(struct arena *a, size_t size, size_t align);
/* Zeroed memory. */
void *arena_calloc(struct arena *a, size_t n, size_t size, size_t align);
/* A NUL-terminated copy of s[0..len). */
char *arena_strndup(struct arena *a, const char *s, size_t len);

/* Forget every allocation. A growing arena keeps its newest (largest) chunk
 * and frees the others; a fixed one keeps its single chunk, so it never
 * allocates or frees: audio-thread safe when grow == 0. */
void arena_reset(struct arena *a);

/* issue 11 tidal5: a point arena_rewind returns to, forgetting every
 * allocation made since (a query that counts in a loop keeps its memory
 * flat). Rewinding past a chunk added since the mark does nothing. */
struct arena_mark {
    const struct arena_chunk *head;
    size_t used;
};
struct arena_mark arena_mark(const struct arena *a);
void arena_rewind(struct arena *a, struct arena_mark m);

#define ARENA_NEW(a, type) ((type *)arena_calloc((a), 1, sizeof(type), _Alignof(type)))
#define ARENA_ARRAY(a, type, n) ((type *)arena_alloc((a), sizeof(type) * (size_t)(n), _Alignof(type)))

#endif
