/* NHWC max/min/avg, vectorized across channels: each output pixel reduces its
 * window taps for a block of channels held in registers. Included by one file
 * per ISA with PB_VLEN set; taps are visited in naive's order, so max/min and
 * avg (true division) are bit-exact with the reference. */
#include "poolbench/pool.h"
#include "vec.h"

/* Channels per register block: four vectors in flight hide the load latency. */
#define PB_NHWC_BLOCK 4

/* win points at the window's first tap inside the input; ny x nx taps. */
static inline __attribute__((always_inline)) void nhwc_pixel(int op, const pb_params *p, const float *win,
                                                             int64_t ny, int64_t nx, float divisor, float *o)
{
    const int64_t C = p->c, row = p->w * C * p->dh, col = C * p->dw;
    int64_t c = 0;
    for (; c + PB_NHWC_BLOCK * PB_VLEN <= C; c += PB_NHWC_BLOCK * PB_VLEN) {
        pb_vf acc[PB_NHWC_BLOCK];
        for (int b = 0; b < PB_NHWC_BLOCK; ++b)
            acc[b] = pb_vset1(pb_op_identity(op));
        for (int64_t ty = 0; ty < ny; ++ty)
            for (int64_t tx = 0; tx < nx; ++tx) {
                const float *s = win + ty * row + tx * col + c;
                for (int b = 0; b < PB_NHWC_BLOCK; ++b)
                    acc[b] = pb_vop(op, acc[b], pb_vload(s + b * PB_VLEN));
            }
        for (int b = 0; b < PB_NHWC_BLOCK; ++b)
            pb_vstore(o + c + b * PB_VLEN, op == PB_OP_SUM ? acc[b] / pb_vset1(divisor) : acc[b]);
    }
    for (; c + PB_VLEN <= C; c += PB_VLEN) {
        pb_vf acc = pb_vset1(pb_op_identity(op));
        for (int64_t ty = 0; ty < ny; ++ty)
            for (int64_t tx = 0; tx < nx; ++tx)
                acc = pb_vop(op, acc, pb_vload(win + ty * row + tx * col + c));
        pb_vstore(o + c, op == PB_OP_SUM ? acc / pb_vset1(divisor) : acc);
    }
    for (; c < C; ++c) {
        float acc = pb_op_identity(op);
        for (int64_t ty = 0; ty < ny; ++ty)
            for (int64_t tx = 0; tx < nx; ++tx)
                acc = pb_sop(op, acc, win[ty * row + tx * col + c]);
        o[c] = op == PB_OP_SUM ? acc / divisor : acc;
    }
}

static inline __attribute__((always_inline)) void nhwc_pool(int op, const pb_params *p, const float *in, float *out,
                                                            int64_t oy0, int64_t oy1)
{
    const int64_t C = p->c;
    for (int64_t n = 0; n < p->n; ++n)
        for (int64_t oy = oy0; oy < oy1; ++oy) {
            /* The row's taps once; each column's from its own start. */
            int64_t ty0, ty1, unused0, unused1;
            pb_window_taps(p, oy, 0, &ty0, &ty1, &unused0, &unused1);
            const int64_t y = oy * p->sh - p->ph + ty0 * p->dh;
            for (int64_t ox = 0; ox < p->ow; ++ox) {
                const int64_t x0 = ox * p->sw - p->pw, d = p->dw;
                int64_t tx0 = x0 < 0 ? (-x0 + d - 1) / d : 0;
                int64_t tx1 = x0 <= p->w - 1 ? (p->w - 1 - x0) / d + 1 : 0;
                tx1 = tx1 < p->kw ? tx1 : p->kw;
                tx1 = tx1 > tx0 ? tx1 : tx0;
                const float *win = in + ((n * p->h + y) * p->w + x0 + tx0 * d) * C;
                int64_t divisor = op == PB_OP_SUM ? pb_avg_divisor(p, oy, ox) : 1;
                /* An empty window (possible with dilation) sums to 0; PyTorch outputs 0. */
                nhwc_pixel(op, p, win, ty1 - ty0, tx1 - tx0, (float)(divisor > 0 ? divisor : 1),
                           out + ((n * p->oh + oy) * p->ow + ox) * C);
            }
        }
}

/* The three specializations, so the mode test leaves the inner loops. */
static void nhwc_entry(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1)
{
    switch (pb_mode_op(p->mode)) {
    case PB_OP_MAX: nhwc_pool(PB_OP_MAX, p, in, out, oy0, oy1); break;
    case PB_OP_MIN: nhwc_pool(PB_OP_MIN, p, in, out, oy0, oy1); break;
    default: nhwc_pool(PB_OP_SUM, p, in, out, oy0, oy1); break;
    }
}
