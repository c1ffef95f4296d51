/* NHWC max/min/avg, vectorized across channels: each output pixel reduces its
 * window taps for a block of channels held in registers. Included by one file
 * per ISA with PB_VLEN set; taps are visited in naive's order, so max/min and
 * avg (true division) are bit-exact with the reference.
 * Windows wholly inside the input with a common undilated size (2x2, 3x3)
 * run fully unrolled; rows holding no NaN (each input row scanned once, when
 * a window first needs it) take the one-instruction max/min. */
#include <stdlib.h>

#include "poolbench/pool.h"
#include "vec.h"

/* Channels per register block: four vectors in flight hide the load latency. */
#define PB_NHWC_BLOCK 4

/* win points at the window's first tap inside the input; ny x nx taps, or
 * k x k when k (a compile-time constant, unit dilation) is not 0. */
static inline __attribute__((always_inline)) void nhwc_pixel(int op, int k, const pb_params *p, const float *win,
                                                             int64_t ny, int64_t nx, float divisor, float *o)
{
    const int64_t C = p->c, row = p->w * C * (k ? 1 : p->dh), col = C * (k ? 1 : p->dw);
    ny = k ? k : ny, nx = k ? k : nx;
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

/* Whether any of the ny input rows of image n from y, dh apart, holds a NaN. */
static bool nhwc_rows_hold_nan(const pb_params *p, const float *image, int8_t *row_nan, int64_t y, int64_t ny)
{
    const int64_t row = p->w * p->c;
    bool any = false;
    for (int64_t t = 0; t < ny; ++t) {
        const int64_t r = y + t * p->dh;
        if (row_nan[r] < 0)
            row_nan[r] = pb_has_nan(image + r * row, row);
        any |= row_nan[r] != 0;
    }
    return any;
}

/* Output pixel ox of a row whose window rows start at input row y (ny of
 * them), its columns clipped to the input. */
static inline __attribute__((always_inline)) void nhwc_clipped_pixel(int op, const pb_params *p, const float *image,
                                                                     int64_t y, int64_t ny, int64_t row_taps,
                                                                     int64_t ox, float *orow)
{
    const int64_t C = p->c, d = p->dw, x0 = ox * p->sw - p->pw;
    int64_t tx0 = x0 < 0 ? (-x0 + d - 1) / d : 0;
    int64_t tx1 = x0 <= p->w - 1 ? (p->w - 1 - x0) / d + 1 : 0;
    tx1 = tx1 < p->kw ? tx1 : p->kw;
    tx1 = tx1 > tx0 ? tx1 : tx0;
    const int64_t divisor = op == PB_OP_SUM ? row_taps * pb_avg_cols(p, ox) : 1;
    /* An empty window (possible with dilation) sums to 0; PyTorch outputs 0. */
    nhwc_pixel(op, 0, p, image + (y * p->w + x0 + tx0 * d) * C, ny, tx1 - tx0, (float)(divisor > 0 ? divisor : 1),
               orow + ox * C);
}

/* Output row oy of one image; k: the unrolled window size, 0 for none.
 * Columns whose windows lie inside the input, [oxa, oxb), need no clipping
 * (no integer divisions) and, in a full-height row, take the unrolled k x k. */
static inline __attribute__((always_inline)) void nhwc_row(int op, int k, const pb_params *p, const float *image,
                                                           int64_t oy, float *orow)
{
    const int64_t C = p->c, span = (p->kw - 1) * p->dw;
    int64_t ty0, ty1, unused0, unused1;
    pb_window_taps(p, oy, 0, &ty0, &ty1, &unused0, &unused1);
    const int64_t y = oy * p->sh - p->ph + ty0 * p->dh, ny = ty1 - ty0;
    const int64_t row_taps = op == PB_OP_SUM ? pb_avg_rows(p, oy) : 1;
    int64_t oxa = (p->pw + p->sw - 1) / p->sw;
    int64_t oxb = p->w - 1 + p->pw - span >= 0 ? (p->w - 1 + p->pw - span) / p->sw + 1 : 0;
    oxb = oxb < p->ow ? oxb : p->ow;
    oxa = oxa < oxb ? oxa : oxb;
    for (int64_t ox = 0; ox < oxa; ++ox)
        nhwc_clipped_pixel(op, p, image, y, ny, row_taps, ox, orow);
    const int64_t divisor = row_taps * p->kw;
    const float div = (float)(divisor > 0 ? divisor : 1);
    for (int64_t ox = oxa; ox < oxb; ++ox) {
        const float *win = image + (y * p->w + ox * p->sw - p->pw) * C;
        if (k && ny == k)
            nhwc_pixel(op, k, p, win, k, k, div, orow + ox * C);
        else
            nhwc_pixel(op, 0, p, win, ny, p->kw, div, orow + ox * C);
    }
    for (int64_t ox = oxb; ox < p->ow; ++ox)
        nhwc_clipped_pixel(op, p, image, y, ny, row_taps, ox, orow);
}

static inline __attribute__((always_inline)) void nhwc_rows(int op, int k, const pb_params *p, const float *in,
                                                            float *out, int64_t oy0, int64_t oy1, int8_t *row_nan)
{
    for (int64_t n = 0; n < p->n; ++n) {
        const float *image = in + n * p->h * p->w * p->c;
        float *oimage = out + n * p->oh * p->ow * p->c;
        if (row_nan)
            memset(row_nan, -1, (size_t)p->h);
        for (int64_t oy = oy0; oy < oy1; ++oy) {
            int64_t ty0, ty1, unused0, unused1;
            pb_window_taps(p, oy, 0, &ty0, &ty1, &unused0, &unused1);
            const int64_t y = oy * p->sh - p->ph + ty0 * p->dh;
            float *orow = oimage + oy * p->ow * p->c;
            if (!row_nan || nhwc_rows_hold_nan(p, image, row_nan, y, ty1 - ty0))
                nhwc_row(op, k, p, image, oy, orow);
            else
                nhwc_row(pb_op_no_nan(op), k, p, image, oy, orow);
        }
    }
}

/* Returns nonzero when the row flags cannot be allocated. */
static inline __attribute__((always_inline)) int nhwc_pool(int op, const pb_params *p, const float *in, float *out,
                                                           int64_t oy0, int64_t oy1)
{
    int8_t *row_nan = NULL;
    if (op != PB_OP_SUM && !(row_nan = malloc((size_t)p->h)))
        return -1;
    const bool unit = p->dh == 1 && p->dw == 1 && p->kh == p->kw;
    if (unit && p->kh == 2)
        nhwc_rows(op, 2, p, in, out, oy0, oy1, row_nan);
    else if (unit && p->kh == 3)
        nhwc_rows(op, 3, p, in, out, oy0, oy1, row_nan);
    else
        nhwc_rows(op, 0, p, in, out, oy0, oy1, row_nan);
    free(row_nan);
    return 0;
}

/* The three specializations, so the mode test leaves the inner loops. */
static int nhwc_entry(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1)
{
    switch (pb_mode_op(p->mode)) {
    case PB_OP_MAX: return nhwc_pool(PB_OP_MAX, p, in, out, oy0, oy1);
    case PB_OP_MIN: return nhwc_pool(PB_OP_MIN, p, in, out, oy0, oy1);
    default: return nhwc_pool(PB_OP_SUM, p, in, out, oy0, oy1);
    }
}
