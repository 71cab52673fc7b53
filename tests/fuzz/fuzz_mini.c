/* tests/fuzz/fuzz_mini.c -- the mini-notation parser and a query of its result.
 *
 * The input is the contents of a "..." string (not NUL-terminated: the parser
 * must respect the length). A syntax error must come with a message and an
 * offset inside the input; a parsed pattern is queried as the audio thread
 * would (fuzz_common.h).
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    if (arena_init(&a, 1 << 14, 1, 64 << 20))
        return 0;
    struct pat_mini_error err;
    struct rat steps;
    const struct pnode *p = pat_mini_parse(&a, (const char *)data, size, &err, &steps);
    if (!p) {
        if (!err.msg[0])
            fuzz_die("a mini-notation error without a message");
        if (err.offset > size)
            fuzz_die("error offset %zu past the end (%zu)", err.offset, size);
        if (err.open_offset >= (long)size)
            fuzz_die("open bracket offset %ld past the end (%zu)", err.open_offset, size);
    } else {
        if (steps.d <= 0)
            fuzz_die("steps with denominator %lld", (long long)steps.d);
        fuzz_query(p);
    }
    arena_deinit(&a);
    return 0;
}
