/* tbuf.h -- a triple buffer of pointers: one writer publishes, one reader
 * takes the newest, nobody waits.
 *
 * This is how a newly compiled program reaches the audio thread (see
 * ../spec/ARCHITECTURE.md, "Live reload"). Three slots hold pointers; one
 * atomic word says which slot is the "middle" one and whether it holds
 * something the reader has not taken yet (the fresh bit). The writer owns one
 * slot (back), the reader owns one (front), the middle one is in transit.
 *
 *   writer: back = p; swap(back, middle) and set fresh   (one atomic exchange)
 *   reader: if fresh: swap(middle, front) and clear fresh (one atomic exchange)
 *           else: keep front                              (one atomic load)
 *
 * The slot the writer receives in its exchange is never the reader's front,
 * so the pointer in it is no longer used by the reader: tbuf_publish returns
 * it and the writer frees it. Every published pointer is returned exactly once,
 * either by tbuf_publish (it was superseded) or by tbuf_drain (at shutdown).
 * A pointer published twice in a row without being superseded is the caller's
 * bug (it would be returned twice).
 *
 * Thread context: exactly one writer thread calls tbuf_publish; exactly one
 * reader thread calls tbuf_acquire (it may be the real-time audio thread:
 * tbuf_acquire never allocates, locks, blocks or makes a system call, and is
 * wait-free: one atomic load, plus one atomic exchange when something new is
 * there). tbuf_init and tbuf_drain run when neither of the others can run
 * (before the threads start, after they have stopped). The writer and the
 * reader may be the same thread.
 *
 * Memory: the buffer never owns, allocates or frees anything; it moves
 * pointers. The struct is caller storage (tbuf_init/tbuf_drain).
 */
#ifndef TBUF_H
#define TBUF_H

#include <stdalign.h>
#include <stdatomic.h>

/* The shared word, in a struct of its own so that it can only be used
 * through the atomic operations in tbuf.c (no accidental `w.v |= x`). */
struct tbuf_word {
    _Atomic unsigned v;     /* bits 0-1: middle slot index; bit 2: fresh */
};

struct tbuf {
    alignas(64) struct tbuf_word mid;  /* the only word both threads write */
    void *slot[3];          /* slot[i] is written only by the thread that owns i */
    alignas(64) unsigned back;         /* writer's slot index (writer only) */
    alignas(64) unsigned front;        /* reader's slot index (reader only) */
};

/* Start with `initial` visible to the reader as its front (NULL allowed:
 * tbuf_acquire then returns NULL until the first publish). */
void tbuf_init(struct tbuf *t, void *initial);

/* Writer only. Publish p (which must not be NULL); from now on the reader's
 * next tbuf_acquire returns p or something published later. Returns a pointer
 * the reader no longer uses and never will again: an earlier publication that
 * the reader has finished with or never took. The caller owns it (frees it).
 * Returns NULL when the slot it received was empty (the first two publishes). */
void *tbuf_publish(struct tbuf *t, void *p);

/* Reader only: call at a block boundary. Returns the newest published
 * pointer (or the initial one). The returned pointer stays valid and unchanged
 * until the reader's next tbuf_acquire: the writer cannot get it back before. */
void *tbuf_acquire(struct tbuf *t);

/* Neither thread running: moves the pointers still held by the buffer into
 * left[0..n-1] (the reader's current one first) for the caller to free,
 * returns n (0 to 3), and leaves the buffer empty (every slot NULL, as after
 * tbuf_init(t, NULL)). */
int tbuf_drain(struct tbuf *t, void *left[3]);

#endif
