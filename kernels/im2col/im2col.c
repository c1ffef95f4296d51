/* im2col pooling: gather each window into columns, then reduce each column,
 * as convolution libraries lay out their input. The columns are the cost the
 * family adds: kh*kw times the output, reported as workspace. */
#include "im2col.h"

#include <math.h>

#include "../simd/simd.h"

int64_t pb_im2col_row(const pb_params *p) { return p->c * p->oh * p->ow; }

void pb_im2col_gather(const pb_params *p, const float *image, float *cols, pb_fill_kind kind, float fill)
{
    const pb_strides is = pb_input_strides(p), os = pb_output_strides(p);
    const int64_t row = pb_im2col_row(p);
    for (int64_t ty = 0; ty < p->kh; ++ty)
        for (int64_t tx = 0; tx < p->kw; ++tx) {
            float *col = cols + (ty * p->kw + tx) * row;
            for (int64_t c = 0; c < p->c; ++c)
                for (int64_t oy = 0; oy < p->oh; ++oy) {
                    const int64_t y = oy * p->sh - p->ph + ty * p->dh;
                    for (int64_t ox = 0; ox < p->ow; ++ox) {
                        const int64_t x = ox * p->sw - p->pw + tx * p->dw;
                        float v = fill;
                        if (y >= 0 && y < p->h && x >= 0 && x < p->w) {
                            v = image[c * is.sc + y * is.sy + x * is.sx];
                        } else if (kind == PB_FILL_FIRST_TAP) {
                            int64_t ty0, ty1, tx0, tx1;
                            pb_window_taps(p, oy, ox, &ty0, &ty1, &tx0, &tx1);
                            if (ty0 < ty1 && tx0 < tx1)
                                v = image[c * is.sc + (oy * p->sh - p->ph + ty0 * p->dh) * is.sy +
                                          (ox * p->sw - p->pw + tx0 * p->dw) * is.sx];
                        }
                        col[c * os.sc + oy * os.sy + ox * os.sx] = v;
                    }
                }
        }
}

const char *pb_im2col_supports(const pb_params *p)
{
    return p->mode == PB_MODE_SOFTMAX ? "softmax pooling has its own gather (softmax-fast)" : NULL;
}

size_t pb_im2col_workspace(const pb_params *p) { return (size_t)(p->kh * p->kw * pb_im2col_row(p)) * sizeof(float); }

/* One pass per tap over the whole output, plus one divide per output for avg. */
double pb_im2col_ops(const pb_params *p) { return pb_model_ops(p) + (p->mode == PB_MODE_AVG ? (double)pb_output_elems(p) : 0); }

PB_INLINE void reduce(int op, const float *cols, int64_t taps, int64_t row, float *out)
{
    for (int64_t i = 0; i < row; ++i)
        out[i] = cols[i];
    for (int64_t t = 1; t < taps; ++t) {
        const float *col = cols + t * row;
        for (int64_t i = 0; i < row; ++i) {
            float v = col[i];
            out[i] = op == PB_OP_MAX   ? ((v > out[i] || v != v) ? v : out[i])
                     : op == PB_OP_MIN ? ((v < out[i] || v != v) ? v : out[i])
                                       : out[i] + v;
        }
    }
}

int pb_im2col_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    const int op = pb_mode_op(p->mode);
    const int64_t row = pb_im2col_row(p), taps = p->kh * p->kw, in_image = p->c * p->h * p->w;
    float *cols = ctx->workspace;
    /* Padding holds the reduction's identity; for sums, taps are added in naive's order. */
    const float fill = op == PB_OP_MAX ? -INFINITY : op == PB_OP_MIN ? INFINITY : 0.0f;
    for (int64_t n = 0; n < p->n; ++n) {
        float *o = out + n * row;
        pb_im2col_gather(p, in + n * in_image, cols, PB_FILL_CONSTANT, fill);
        if (op == PB_OP_MAX)
            reduce(PB_OP_MAX, cols, taps, row, o);
        else if (op == PB_OP_MIN)
            reduce(PB_OP_MIN, cols, taps, row, o);
        else
            reduce(PB_OP_SUM, cols, taps, row, o);
    }
    if (op == PB_OP_SUM)
        pb_avg_divide(p, out);
    return 0;
}
