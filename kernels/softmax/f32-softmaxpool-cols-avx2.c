/* Softmax pooling of im2col columns, 8 lane(s) per vector (avx2). */
#define PB_VLEN 8
#include "softmax-cols.inc.h"

void pb_softmax_cols_avx2(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out)
{
    softmax_cols(cols, taps, stride, count, out);
}
