/* NCHW max/min/avg, every window tap, 16 lane(s) per vector (avx512). */
#define PB_VLEN 16
#include "simd.h"
#include "pool-nchw.inc.h"

int pb_simd_nchw_avx512(const pb_params *p, const float *in, float *out, bool stream_output)
{
    return nchw_entry(p, in, out, stream_output);
}
