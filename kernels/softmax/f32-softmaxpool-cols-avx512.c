/* Softmax pooling of im2col columns, 16 lane(s) per vector (avx512). */
#define PB_VLEN 16
#include "softmax-cols.inc.h"

void pb_softmax_cols_avx512(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out)
{
    softmax_cols(cols, taps, stride, count, out);
}
