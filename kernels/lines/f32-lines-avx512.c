/* 1-D window passes (direct, van Herk/Gil-Werman, running sums), avx512. */
#define PB_VLEN 16
#include "line-kernels.inc.h"

const pb_line_kernels pb_line_kernels_avx512 = {.direct = direct, .vhgw = vhgw, .runsum = runsum};
