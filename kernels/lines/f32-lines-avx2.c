/* 1-D window passes (direct, van Herk/Gil-Werman, running sums), avx2. */
#define PB_VLEN 8
#include "line-kernels.inc.h"

const pb_line_kernels pb_line_kernels_avx2 = {.direct = direct, .vhgw = vhgw, .runsum = runsum};
