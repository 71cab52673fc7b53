/* voice_simd.c -- the batch kernels for the baseline vector unit every CPU
 * of the architecture has: SSE2 on x86-64, NEON on arm64. The Makefile
 * gives this file its vectoriser flags; the code is voice_kern.h. */
#define VK(x) x##_simd
#if defined(__aarch64__) || defined(__ARM_NEON)
#define VK_NAME "neon"
#else
#define VK_NAME "sse2"
#endif
#include "voice_kern.h"
