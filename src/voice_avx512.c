/* voice_avx512.c -- the batch kernels compiled for avx512.
 * The Makefile gives this file its instruction set and vectoriser flags;
 * the code is voice_kern.h. */
#if defined(__x86_64__) || defined(__i386__)
#define VK(x) x##_avx512
#define VK_NAME "avx512"
#include "voice_kern.h"
#else
typedef int voice_avx512_unused; /* this file is for x86 only */
#endif
