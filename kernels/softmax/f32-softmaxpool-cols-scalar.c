/* Softmax pooling of im2col columns, 1 lane(s) per vector (scalar). */
#define PB_VLEN 1
#include "softmax-cols.inc.h"

void pb_softmax_cols_scalar(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out)
{
    softmax_cols(cols, taps, stride, count, out);
}
