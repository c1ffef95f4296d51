/* NHWC max/min/avg, 1 lane(s) per vector (scalar). */
#define PB_VLEN 1
#include "simd.h"
#include "pool-nhwc.inc.h"

int pb_simd_nhwc_scalar(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output)
{
    return nhwc_entry(p, in, out, share, stream_output);
}
