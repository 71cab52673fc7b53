/* tbuf.c -- the triple buffer (see tbuf.h for the contract).
 *
 * Ownership. At every moment each of the three slot indices belongs to exactly
 * one party: `back` to the writer, `front` to the reader, and the index stored
 * in the shared word `mid` to nobody (it is in transit). The two operations
 * are exchanges on `mid`, so ownership moves without a moment where two
 * parties hold the same index:
 *
 *   publish:  slot[back] = p;  old = xchg(mid, back | FRESH);  back = old & 3
 *   acquire:  if (load(mid) & FRESH) { old = xchg(mid, front);  front = old & 3 }
 *
 * A slot's pointer is written only by the owner of its index (the writer, in
 * publish, and nobody else: the reader only reads slot[front]). Only the
 * reader clears FRESH and only the writer sets it, so once the reader has
 * seen FRESH it stays set until the reader's own exchange, and that exchange
 * is sure to get a middle index carrying new data.
 *
 * What the writer gets back. The index it receives from `mid` is either one
 * it published itself and the reader never took (FRESH was still set: the
 * pointer was never seen by the reader), or the reader's former front, which
 * the reader handed over in its exchange and stopped using before that (the
 * reader uses a pointer only until its next acquire). Either way, no reader
 * access can follow, so the writer may free it. We clear the slot after
 * handing the pointer out, so no pointer is ever returned twice.
 *
 * Memory ordering (C11 model):
 * - The writer's exchange is a release: the store to slot[back] and every
 *   write that built the object p points to happen before it. The reader's
 *   exchange is an acquire and reads that value (or a later one in the
 *   modification order of `mid`, which only the writer's exchanges and the
 *   reader's own can write, all read-modify-writes, hence in the same release
 *   sequence), so the reader sees the slot and a fully built object.
 * - The reader's exchange is also a release, and the writer's is also an
 *   acquire: the reader's last reads of its old front (the object and the
 *   slot) happen before the writer receives that index, so the writer's free
 *   (and its later overwrite of the slot) cannot race with them.
 * - The reader's first load of `mid` may be relaxed: if it sees FRESH it does
 *   the acquiring exchange before touching any new slot; if it does not, it
 *   keeps using its own front, whose contents it already synchronised with.
 *   A stale "not fresh" only delays the new pointer to the next block.
 * Both exchanges are therefore memory_order_acq_rel; nothing is seq_cst.
 */
#include "tbuf.h"

#include <assert.h>
#include <stddef.h>

enum { TBUF_INDEX = 3u, TBUF_FRESH = 4u };

void tbuf_init(struct tbuf *t, void *initial)
{
    t->slot[0] = initial;       /* front */
    t->slot[1] = NULL;          /* middle, not fresh */
    t->slot[2] = NULL;          /* back */
    t->front = 0;
    t->back = 2;
    /* A release store, so that a reader thread started later through some
     * other synchronisation sees these plain stores (thread creation already
     * orders them; this keeps the function correct on its own). */
    atomic_store_explicit(&t->mid.v, 1u, memory_order_release);
}

void *tbuf_publish(struct tbuf *t, void *p)
{
    assert(p != NULL);
    t->slot[t->back] = p;
    unsigned old = atomic_exchange_explicit(&t->mid.v, t->back | TBUF_FRESH,
                                            memory_order_acq_rel);
    t->back = old & TBUF_INDEX;         /* this slot is ours now */
    void *unused = t->slot[t->back];
    t->slot[t->back] = NULL;
    return unused;
}

void *tbuf_acquire(struct tbuf *t)
{
    if (atomic_load_explicit(&t->mid.v, memory_order_relaxed) & TBUF_FRESH) {
        unsigned old = atomic_exchange_explicit(&t->mid.v, t->front,
                                                memory_order_acq_rel);
        t->front = old & TBUF_INDEX;
    }
    return t->slot[t->front];
}

int tbuf_drain(struct tbuf *t, void *left[3])
{
    unsigned mid = atomic_load_explicit(&t->mid.v, memory_order_acquire) & TBUF_INDEX;
    unsigned order[3] = { t->front, mid, t->back };
    int n = 0;
    for (int i = 0; i < 3; i++) {
        if (t->slot[order[i]])
            left[n++] = t->slot[order[i]];
        t->slot[order[i]] = NULL;
    }
    atomic_store_explicit(&t->mid.v, mid, memory_order_release);  /* not fresh */
    return n;
}
