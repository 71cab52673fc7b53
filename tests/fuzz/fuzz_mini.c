/* tests/fuzz/fuzz_mini.c -- the mini-notation parser and a query of its result.
 *
 * The input is the contents of a "..." string (not NUL-terminated: the parser
 * must respect the length). A syntax error must come with a message and an
 * offset inside the input; a parsed pattern is queried as the audio thread
 * would (fuzz_common.h).
 *
 * The parse gets an arena of at most 64 KB + 2 KB per input byte + 1 KB
 * per unit of the largest number written (x(13,2435) builds 2435 steps): a
 * parser linear in what it is asked to build stays far below (the seeds
 * and a corpus of 850 inputs need under 40 KB + 300 bytes per byte), and
 * running out is a finding (the message "out of memory"): backtracking that
 * repeats work exponentially, as `"[a ..[a ..[a .. ...` did
 * (regress/mini/exp-backtrack-range-bracket). FUZZ_ALLOW_OOM=1 turns the
 * check off while such a finding is open. The bound also keeps the target
 * fast: with a 64 MB arena, such inputs took a second each, and libFuzzer,
 * which favours inputs with many features, chose them often enough to
 * bring the target from 5000 to 790 execs/s.
 */
#include <ctype.h>

#include "fuzz_common.h"

/* The largest number written in the input, at most 2^16: every run of
 * digits as an integer, and a number with an exponent as its value (1E4
 * asks for 10,000 euclid steps in 3 bytes: regress/mini/euclid-1e4-steps). */
static size_t largest_number(const uint8_t *data, size_t size)
{
    enum { CAP = 65536 };
    double best = 0;
    for (size_t i = 0; i < size; i++) {
        if (!isdigit(data[i]) || (i && isdigit(data[i - 1])))
            continue;
        double run = 0;
        size_t j = i;
        for (; j < size && isdigit(data[j]); j++)
            run = run * 10 + (data[j] - '0') > CAP ? CAP : run * 10 + (data[j] - '0');
        best = run > best ? run : best;
        if (j + 1 < size && data[j] == '.' && isdigit(data[j + 1]))
            for (j++; j < size && isdigit(data[j]); j++)
                ;
        size_t k = j + 1;
        if (k < size && (data[k] == '+' || data[k] == '-'))
            k++;
        if (j < size && (data[j] == 'e' || data[j] == 'E') && k < size && isdigit(data[k]) && k - i < 64) {
            while (k < size && isdigit(data[k]) && k - i < 64)
                k++;
            char text[72];
            memcpy(text, data + i, k - i);
            text[k - i] = 0;
            double x = strtod(text, NULL);    /* digits [. digits] e [+-] digits: a plain number */
            best = x > best ? (x > CAP ? CAP : x) : best;
        }
    }
    return (size_t)best;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena a;
    size_t limit = ((size_t)64 << 10) + 2048 * size + 1024 * largest_number(data, size);
    if (arena_init(&a, 1 << 14, 1, limit))
        return 0;
    struct pat_mini_error err;
    struct rat steps;
    const struct pnode *p = pat_mini_parse(&a, (const char *)data, size, &err, &steps);
    if (!p) {
        if (!err.msg[0])
            fuzz_die("a mini-notation error without a message");
        static int allow_oom = -1;
        if (allow_oom < 0)
            allow_oom = getenv("FUZZ_ALLOW_OOM") != NULL;
        if (!allow_oom && strstr(err.msg, "out of memory"))
            fuzz_die("parsing %zu bytes needs more than %zu bytes", size, limit);
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
