/* voice_scalar.c -- the batch kernels compiled for scalar.
 * The Makefile gives this file its instruction set and vectoriser flags;
 * the code is voice_kern.h. */

#define VK(x) x##_scalar
#define VK_NAME "scalar"
#include "voice_kern.h"

