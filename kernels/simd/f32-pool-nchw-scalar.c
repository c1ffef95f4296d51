/* NCHW max/min/avg, every window tap, 1 lane(s) per vector (scalar). */
#define PB_VLEN 1
#include "simd.h"
#include "pool-nchw.inc.h"

int pb_simd_nchw_scalar(const pb_params *p, const float *in, float *out, bool stream_output)
{
    return nchw_entry(p, in, out, stream_output);
}
