/* STREAM's triad, 1 lane(s) per vector (scalar). */
#define PB_VLEN 1
#include "simd.h"
#include "triad.inc.h"

void pb_simd_triad_scalar(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming)
{
    triad(a, b, c, s, lo, hi, streaming);
}
