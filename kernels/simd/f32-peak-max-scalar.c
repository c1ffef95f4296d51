/* Peak rate of vector max, 1 lane(s) per vector (scalar). */
#define PB_VLEN 1
#include "simd.h"
#include "peak-max.inc.h"

int64_t pb_simd_peak_max_scalar(int64_t iters) { return peak_max(iters); }
