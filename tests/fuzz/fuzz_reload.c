/* tests/fuzz/fuzz_reload.c -- a live session: a sequence of saves of one
 * file, each compiled and published while the engine plays, as
 * cli_live_load does (state carried over by key, voices retargeted to the
 * new program's players, old programs collected once their voices end).
 *
 * The first byte sets up the run (fuzz_engine.h); the rest is up to 8
 * versions of the file separated by NUL bytes. A version that does not
 * compile publishes nothing (what plays goes on). After each version the
 * engine renders 0, 1 or 2 blocks (the version's length mod 3: 0 leaves a
 * published program superseded before it played), then engine_collect
 * runs; 3 more blocks at the end. Every block must be finite and within
 * [-1, 1].
 *
 * Blocks are a quarter of fuzz_setup's (64, 32, 128 or 256 frames): what
 * this target is for happens at block boundaries (a published program is
 * taken at the next block, voices move to it, the old one is collected),
 * and the frames in between are the voice kernels' and the DSP nodes' work,
 * which the render target fuzzes at full blocks. At full blocks that work
 * was 60 % of this target's time.
 */
#include "fuzz_engine.h"

enum { MAX_VERSIONS = 8 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct fuzz_setup s;
    fuzz_setup(data[0], &s);
    s.block /= 4;
    struct engine *e = fuzz_engine(&s);
    const char *src = (const char *)data + 1, *end = (const char *)data + size;
    for (int v = 0; v < MAX_VERSIONS && src <= end; v++) {
        const char *nul = memchr(src, 0, (size_t)(end - src));
        size_t len = (size_t)((nul ? nul : end) - src);
        struct program *p = fuzz_compile(src, len, &s);
        if (p)
            engine_publish(e, p);
        for (size_t b = 0; b < len % 3; b++)
            fuzz_render_block(e, &s);
        engine_collect(e);
        if (!nul)
            break;
        src = nul + 1;
    }
    for (int i = 0; i < 3; i++)
        fuzz_render_block(e, &s);
    engine_collect(e);
    fuzz_engine_done(e);
    return 0;
}
