/* Peak rate of vector max, 4 lanes per vector (NEON, aarch64). */
#define PB_VLEN 4
#include "simd.h"
#include "peak-max.inc.h"

int64_t pb_simd_peak_max_neon(int64_t iters) { return peak_max(iters); }
