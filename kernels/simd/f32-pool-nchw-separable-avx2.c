/* NCHW max/min, rows reduced first then 1 x kw windows, 8 lane(s) per vector (avx2). */
#define PB_VLEN 8
#include "simd.h"
#include "pool-nchw.inc.h"

int pb_simd_nchw_separable_avx2(const pb_params *p, const float *in, float *out)
{
    return nchw_separable_entry(p, in, out);
}
