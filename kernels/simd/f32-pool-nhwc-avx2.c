/* NHWC max/min/avg, 8 lane(s) per vector (avx2). */
#define PB_VLEN 8
#include "simd.h"
#include "pool-nhwc.inc.h"

int pb_simd_nhwc_avx2(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output)
{
    return nhwc_entry(p, in, out, share, stream_output);
}
