/* Peak rate of vector max, 8 lane(s) per vector (avx2). */
#define PB_VLEN 8
#include "simd.h"
#include "peak-max.inc.h"

int64_t pb_simd_peak_max_avx2(int64_t iters) { return peak_max(iters); }
