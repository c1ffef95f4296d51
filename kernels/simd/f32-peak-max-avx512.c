/* Peak rate of vector max, 16 lane(s) per vector (avx512). */
#define PB_VLEN 16
#include "simd.h"
#include "peak-max.inc.h"

int64_t pb_simd_peak_max_avx512(int64_t iters) { return peak_max(iters); }
