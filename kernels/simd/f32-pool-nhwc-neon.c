/* NHWC max/min/avg, 4 lanes per vector (NEON, aarch64). */
#define PB_VLEN 4
#include "simd.h"
#include "pool-nhwc.inc.h"

int pb_simd_nhwc_neon(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output)
{
    return nhwc_entry(p, in, out, share, stream_output);
}
