/* STREAM's triad, 4 lanes per vector (NEON, aarch64). */
#define PB_VLEN 4
#include "simd.h"
#include "triad.inc.h"

void pb_simd_triad_neon(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming)
{
    triad(a, b, c, s, lo, hi, streaming);
}
