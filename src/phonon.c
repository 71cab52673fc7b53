/* phonon.c -- the few definitions every module shares. */
#include "phonon.h"

#include <stdlib.h>

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

void *phonon_alloc64(size_t n)
{
    return aligned_alloc(64, phonon_round64(n));
}
