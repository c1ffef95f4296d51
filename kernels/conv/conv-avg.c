/* Average pooling as a depthwise convolution with a uniform 1/(kh*kw) kernel:
 * im2col, then one OpenBLAS sgemv per image (the kernel weights times each
 * column). Where PyTorch divides by another count (count_include_pad=False,
 * or a ceil_mode window clipped at the padding), the output is rescaled by
 * kh*kw / divisor. */
#include <cblas.h>

#include "../im2col/im2col.h"
#include "conv.h"

const char *pb_conv_avg_supports(const pb_params *p)
{
    return p->mode == PB_MODE_AVG ? NULL : "average pooling only";
}

size_t pb_conv_avg_workspace(const pb_params *p)
{
    return pb_im2col_workspace(p) + (size_t)(p->kh * p->kw) * sizeof(float);
}

/* A multiply-add per tap (the gemv) plus the rescale per output. */
double pb_conv_avg_ops(const pb_params *p) { return 2.0 * pb_model_ops(p) + (double)pb_output_elems(p); }

int pb_conv_avg_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    const int64_t taps = p->kh * p->kw, row = pb_im2col_row(p), in_image = p->c * p->h * p->w;
    float *cols = ctx->workspace, *weights = cols + taps * row;
    for (int64_t t = 0; t < taps; ++t)
        weights[t] = 1.0f / (float)taps;
    for (int64_t n = 0; n < p->n; ++n) {
        pb_im2col_gather(p, in + n * in_image, cols, PB_FILL_CONSTANT, 0.0f);
        cblas_sgemv(CblasRowMajor, CblasTrans, (blasint)taps, (blasint)row, 1.0f, cols, (blasint)row, weights, 1,
                    0.0f, out + n * row, 1);
    }
    const pb_strides os = pb_output_strides(p);
    for (int64_t oy = 0; oy < p->oh; ++oy)
        for (int64_t ox = 0; ox < p->ow; ++ox) {
            const int64_t d = pb_avg_divisor(p, oy, ox);
            if (d == taps)
                continue;
            const float scale = d > 0 ? (float)taps / (float)d : 0.0f;
            for (int64_t n = 0; n < p->n; ++n)
                for (int64_t c = 0; c < p->c; ++c)
                    out[n * os.sn + c * os.sc + oy * os.sy + ox * os.sx] *= scale;
        }
    return 0;
}
