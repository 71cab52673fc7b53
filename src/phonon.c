/* phonon.c -- the few definitions every module shares: error strings, the
 * cache-line allocation, the JSON string writer. Any thread unless said. */
#include "phonon.h"

#include <stdlib.h>

/* See phonon.h. */
const char *phonon_strerror(int err)
{
    switch (err) {
    case PHONON_OK: return "success";
    case PHONON_ENOMEM: return "out of memory";
    case PHONON_EINVAL: return "invalid argument";
    case PHONON_EIO: return "input/output error";
    case PHONON_ENOENT: return "not found";
    case PHONON_EFORMAT: return "unsupported or corrupt format";
    case PHONON_ENODEV: return "no audio device";
    case PHONON_ELIMIT: return "resource limit reached";
    case PHONON_EOVERFLOW: return "exact time arithmetic overflowed";
    case PHONON_EBUSY: return "resource busy";
    }
    return "unknown error";
}

/* See phonon.h. */
size_t phonon_json_escape(char *dst, size_t cap, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = 0;
#define PUT(c) do { if (n + 1 < cap) dst[n] = (c); n++; } while (0)
    PUT('"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        const char *esc = *p == '"' ? "\\\"" : *p == '\\' ? "\\\\" : *p == '\n' ? "\\n" : *p == '\t' ? "\\t"
                        : *p == '\r' ? "\\r" : *p == '\b' ? "\\b" : *p == '\f' ? "\\f" : NULL;
        if (esc) {
            PUT(esc[0]);
            PUT(esc[1]);
        } else if (*p < 0x20) {
            PUT('\\'); PUT('u'); PUT('0'); PUT('0'); PUT(hex[*p >> 4]); PUT(hex[*p & 15]);
        } else {
            PUT((char)*p);
        }
    }
    PUT('"');
#undef PUT
    if (cap)
        dst[n < cap ? n : cap - 1] = 0;
    return n;
}

/* See phonon.h. */
void *phonon_alloc64(size_t n)
{
    return aligned_alloc(64, phonon_round64(n));
}
