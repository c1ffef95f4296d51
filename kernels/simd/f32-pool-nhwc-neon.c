/* NHWC max/min/avg, 4 lanes per vector (NEON, aarch64). */
#define PB_VLEN 4
#include "simd.h"
#include "pool-nhwc.inc.h"

int pb_simd_nhwc_neon(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1,
                      bool stream_output)
{
    return nhwc_entry(p, in, out, oy0, oy1, stream_output);
}
