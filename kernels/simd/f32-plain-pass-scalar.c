/* A case's plain pass (plain-pass.inc.h), 1 lane per vector (scalar). */
#define PB_VLEN 1
#include "simd.h"
#include "plain-pass.inc.h"

void pb_simd_plain_pass_scalar(const float *in, int64_t in_lines, float *out, int64_t out_lines)
{
    plain_pass(in, in_lines, out, out_lines);
}
