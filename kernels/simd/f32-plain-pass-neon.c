/* A case's plain pass (plain-pass.inc.h), 4 lanes per vector (NEON, aarch64). */
#define PB_VLEN 4
#include "simd.h"
#include "plain-pass.inc.h"

void pb_simd_plain_pass_neon(const float *in, int64_t in_lines, float *out, int64_t out_lines)
{
    plain_pass(in, in_lines, out, out_lines);
}
