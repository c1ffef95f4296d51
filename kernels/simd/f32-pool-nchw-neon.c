/* NCHW max/min/avg, every window tap, 4 lanes per vector (NEON, aarch64). */
#define PB_VLEN 4
#include "simd.h"
#include "pool-nchw.inc.h"

int pb_simd_nchw_neon(const pb_params *p, const float *in, float *out, bool stream_output)
{
    return nchw_entry(p, in, out, stream_output);
}
