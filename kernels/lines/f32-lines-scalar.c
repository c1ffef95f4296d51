/* 1-D window passes (direct, van Herk/Gil-Werman, running sums), scalar. */
#define PB_VLEN 1
#include "line-kernels.inc.h"

const pb_line_kernels pb_line_kernels_scalar = {.direct = direct, .vhgw = vhgw, .runsum = runsum};
