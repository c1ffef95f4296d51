/* NCHW max/min/avg, every window tap, 8 lane(s) per vector (avx2). */
#define PB_VLEN 8
#include "simd.h"
#include "pool-nchw.inc.h"

int pb_simd_nchw_avx2(const pb_params *p, const float *in, float *out, bool stream_output)
{
    return nchw_entry(p, in, out, stream_output);
}
