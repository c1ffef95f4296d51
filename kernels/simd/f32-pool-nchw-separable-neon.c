/* NCHW max/min, rows reduced first then 1 x kw windows, 4 lanes per vector (NEON, aarch64). */
#define PB_VLEN 4
#include "simd.h"
#include "pool-nchw.inc.h"

int pb_simd_nchw_separable_neon(const pb_params *p, const float *in, float *out)
{
    return nchw_separable_entry(p, in, out);
}
