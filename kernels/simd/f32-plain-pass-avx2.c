/* A case's plain pass (plain-pass.inc.h), 8 lanes per vector (avx2). */
#define PB_VLEN 8
#include "simd.h"
#include "plain-pass.inc.h"

void pb_simd_plain_pass_avx2(const float *in, int64_t in_lines, float *out, int64_t out_lines)
{
    plain_pass(in, in_lines, out, out_lines);
}
