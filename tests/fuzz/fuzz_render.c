/* tests/fuzz/fuzz_render.c -- whole files through the engine: parse,
 * compile, publish, render four blocks on one thread, as `phonon render`
 * does (the compiler, the pattern queries at block spans, voice starts, the
 * voice kernels, the DSP nodes and the master).
 *
 * The first byte picks the kernel set, the rate and block, and whether
 * unknown sample names are allowed (fuzz_engine.h); the rest is the file.
 * A file that does not compile must say why; one that compiles must render
 * finite output within [-1, 1] (the master's guarantee), without hanging
 * (libFuzzer's -timeout) or reading outside its buffers.
 */
#include "fuzz_engine.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    struct fuzz_setup s;
    fuzz_setup(data[0], &s);
    struct program *p = fuzz_compile((const char *)data + 1, size - 1, &s);
    if (!p)
        return 0;
    struct engine *e = fuzz_engine(&s);
    engine_publish(e, p);
    for (int i = 0; i < 4; i++)
        fuzz_render_block(e, &s);
    fuzz_engine_done(e);
    return 0;
}
