/* The reference: the seed's loops made general. One output at a time, taps in
 * row-major order, exactly as PyTorch's CPU kernels visit them, so every other
 * implementation is checked against this one. */
#include "naive.h"

#include <math.h>

/* PyTorch's max_pool2d update: a NaN always replaces the running value. */
static inline float max_step(float acc, float v) { return (v > acc || isnan(v)) ? v : acc; }
static inline float min_step(float acc, float v) { return (v < acc || isnan(v)) ? v : acc; }

/* Softmax pooling: sum over the window of softmax(x) * x, with the window max
 * subtracted before exp. An all -inf window gives -inf, and so does an empty
 * one (possible with dilation), as max pooling does; a window whose max is
 * +inf gives +inf (the softmax puts all weight there); NaN propagates. */
static float softmax_window(const float *base, const pb_strides *s, const pb_params *p, int64_t y0, int64_t ty0,
                            int64_t ty1, int64_t x0, int64_t tx0, int64_t tx1)
{
    float m = -INFINITY;
    for (int64_t ty = ty0; ty < ty1; ++ty)
        for (int64_t tx = tx0; tx < tx1; ++tx)
            m = max_step(m, base[(y0 + ty * p->dh) * s->sy + (x0 + tx * p->dw) * s->sx]);
    if (isnan(m) || isinf(m))
        return m;
    float num = 0.0f, den = 0.0f;
    for (int64_t ty = ty0; ty < ty1; ++ty)
        for (int64_t tx = tx0; tx < tx1; ++tx) {
            float v = base[(y0 + ty * p->dh) * s->sy + (x0 + tx * p->dw) * s->sx];
            float e = expf(v - m);
            /* A -inf element has weight 0: its term is 0, not 0 * -inf. */
            num += e > 0.0f ? e * v : 0.0f;
            den += e;
        }
    return num / den;
}

int pb_naive_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)ctx;
    const pb_strides is = pb_input_strides(p), os = pb_output_strides(p);
    for (int64_t n = 0; n < p->n; ++n)
        for (int64_t c = 0; c < p->c; ++c) {
            const float *base = in + n * is.sn + c * is.sc;
            for (int64_t oy = 0; oy < p->oh; ++oy)
                for (int64_t ox = 0; ox < p->ow; ++ox) {
                    const int64_t y0 = oy * p->sh - p->ph, x0 = ox * p->sw - p->pw;
                    int64_t ty0, ty1, tx0, tx1;
                    pb_window_taps(p, oy, ox, &ty0, &ty1, &tx0, &tx1);
                    float r;
                    if (p->mode == PB_MODE_SOFTMAX) {
                        r = softmax_window(base, &is, p, y0, ty0, ty1, x0, tx0, tx1);
                    } else {
                        float acc = p->mode == PB_MODE_MAX ? -INFINITY : p->mode == PB_MODE_MIN ? INFINITY : 0.0f;
                        for (int64_t ty = ty0; ty < ty1; ++ty)
                            for (int64_t tx = tx0; tx < tx1; ++tx) {
                                float v = base[(y0 + ty * p->dh) * is.sy + (x0 + tx * p->dw) * is.sx];
                                acc = p->mode == PB_MODE_MAX   ? max_step(acc, v)
                                      : p->mode == PB_MODE_MIN ? min_step(acc, v)
                                                               : acc + v;
                            }
                        if (p->mode == PB_MODE_AVG) {
                            int64_t div = pb_avg_divisor(p, oy, ox);
                            acc = div > 0 && ty0 < ty1 && tx0 < tx1 ? acc / (float)div : 0.0f;
                        }
                        r = acc;
                    }
                    out[n * os.sn + c * os.sc + oy * os.sy + ox * os.sx] = r;
                }
        }
    return 0;
}

double pb_naive_ops(const pb_params *p)
{
    /* Every tap of every window is visited, padding included in the count as
     * the seed's model does; softmax costs an exp, a multiply and two adds more. */
    double taps = pb_model_ops(p);
    return p->mode == PB_MODE_SOFTMAX ? 5.0 * taps : taps;
}
