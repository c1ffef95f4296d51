/* STREAM's triad, 8 lane(s) per vector (avx2). */
#define PB_VLEN 8
#include "simd.h"
#include "triad.inc.h"

void pb_simd_triad_avx2(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming)
{
    triad(a, b, c, s, lo, hi, streaming);
}
