/* NHWC max/min/avg, 16 lane(s) per vector (avx512). */
#define PB_VLEN 16
#include "simd.h"
#include "pool-nhwc.inc.h"

int pb_simd_nhwc_avx512(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output)
{
    return nhwc_entry(p, in, out, share, stream_output);
}
