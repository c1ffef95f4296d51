/* softmax-fast: im2col columns (padding -inf, which gets weight 0), then the
 * column reduction of the best ISA this CPU has. */
#include <math.h>

#include "../im2col/im2col.h"
#include "../simd/simd.h"
#include "softmax.h"

const char *pb_softmax_fast_supports(const pb_params *p)
{
    return p->mode == PB_MODE_SOFTMAX ? NULL : "softmax pooling only";
}

size_t pb_softmax_fast_workspace(const pb_params *p) { return pb_im2col_workspace(p); }

/* Per tap: a max, an exp (counted as one op), a multiply and two adds; one divide per output. */
double pb_softmax_fast_ops(const pb_params *p) { return 5.0 * pb_model_ops(p) + (double)pb_output_elems(p); }

static pb_softmax_cols_fn best(void)
{
#if POOLBENCH_X86
    if (pb_simd_avx512_available())
        return pb_softmax_cols_avx512;
    if (pb_simd_avx2_available())
        return pb_softmax_cols_avx2;
#endif
    return pb_softmax_cols_scalar;
}

int pb_softmax_fast_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    const pb_softmax_cols_fn cols_fn = best();
    const int64_t row = pb_im2col_row(p), in_image = p->c * p->h * p->w;
    float *cols = ctx->workspace;
    for (int64_t n = 0; n < p->n; ++n) {
        pb_im2col_gather(p, in + n * in_image, cols, PB_FILL_CONSTANT, -INFINITY);
        cols_fn(cols, p->kh * p->kw, row, row, out + n * row);
    }
    return 0;
}
