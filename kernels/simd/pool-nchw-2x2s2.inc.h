/* NCHW 2x2 windows at stride 2, no padding or dilation, every window inside
 * the input (VGG's five pools): vectorized along the output row, PB_VLEN
 * outputs from two loads per input row split into even and odd columns by
 * two-source permutes; no tiles, no transposes, no padded copy. The tiles
 * pay about one shuffle per input float both ways; here a float costs a
 * quarter of a load, a permute and an operation. Taps in naive's order, so
 * bit-exact with naive. */
#ifndef POOLBENCH_SIMD_POOL_NCHW_2X2S2_INC_H
#define POOLBENCH_SIMD_POOL_NCHW_2X2S2_INC_H
#include "poolbench/pool.h"
#include "vec.h"

/* k x k windows at stride 2, undilated and unpadded, every window inside the input. */
static inline bool nchw_is_s2_inside(const pb_params *p, int64_t k)
{
    return p->kh == k && p->kw == k && p->sh == 2 && p->sw == 2 && p->ph == 0 && p->pw == 0 && p->dh == 1 &&
           p->dw == 1 && 2 * p->oh + k - 2 <= p->h && 2 * p->ow + k - 2 <= p->w;
}

/* Rows shorter than a vector would waste lanes here (pool-nchw-short-rows.inc.h). */
static inline bool nchw_is_2x2s2(const pb_params *p) { return nchw_is_s2_inside(p, 2) && p->ow >= PB_VLEN; }

/* n (up to PB_VLEN) outputs whose windows start at r0 (top row) and r1; the
 * loads of a partial block stop at its last window. Every tap is also shown
 * to the witness *wit when wit is given. */
static inline __attribute__((always_inline)) pb_vf nchw_2x2s2_block(int op, const float *r0, const float *r1,
                                                                   int64_t n, pb_nan_seen *wit)
{
    pb_vf a, b, c, d;
    if (n == PB_VLEN) {
        a = pb_vload(r0), b = pb_vload(r0 + PB_VLEN), c = pb_vload(r1), d = pb_vload(r1 + PB_VLEN);
    } else {
        const int64_t lo = 2 * n < PB_VLEN ? 2 * n : PB_VLEN, hi = 2 * n - lo;
        a = pb_vload_first(r0, lo), b = pb_vload_first(r0 + PB_VLEN, hi);
        c = pb_vload_first(r1, lo), d = pb_vload_first(r1 + PB_VLEN, hi);
    }
    if (wit)
        *wit = pb_see_nan(pb_see_nan(*wit, a, b), c, d);
    const pb_vf acc = pb_vop(op, pb_veven(a, b), pb_vodd(a, b));
    const pb_vf sum = pb_vop(op, pb_vop(op, acc, pb_veven(c, d)), pb_vodd(c, d));
    return op == PB_OP_SUM ? sum / pb_vset1(4.0f) : sum;
}

static inline __attribute__((always_inline)) void nchw_2x2s2_row(int op, const float *r0, const float *r1,
                                                                 float *o, int64_t ow, pb_nan_seen *wit)
{
    int64_t ox = 0;
    for (; ox + PB_VLEN <= ow; ox += PB_VLEN)
        pb_vstore(o + ox, nchw_2x2s2_block(op, r0 + 2 * ox, r1 + 2 * ox, PB_VLEN, wit));
    if (ox < ow)
        pb_vstore_first(o + ox, nchw_2x2s2_block(op, r0 + 2 * ox, r1 + 2 * ox, ow - ox, wit), ow - ox);
}

/* A max or min row runs the NaN-free update with the tap witness and again
 * with PyTorch's NaN rule only when the witness is NaN. */
static inline __attribute__((always_inline)) void nchw_2x2s2(int op, const pb_params *p, const float *in, float *out)
{
    const int64_t W = p->w, in_plane = p->h * W, out_plane = p->oh * p->ow;
    for (int64_t plane = 0; plane < p->n * p->c; ++plane)
        for (int64_t oy = 0; oy < p->oh; ++oy) {
            const float *r0 = in + plane * in_plane + 2 * oy * W;
            float *o = out + plane * out_plane + oy * p->ow;
            if (op == PB_OP_SUM) {
                nchw_2x2s2_row(op, r0, r0 + W, o, p->ow, NULL);
                continue;
            }
            pb_nan_seen wit = {0};
            nchw_2x2s2_row(pb_op_no_nan(op), r0, r0 + W, o, p->ow, &wit);
            if (pb_saw_nan(wit))
                nchw_2x2s2_row(op, r0, r0 + W, o, p->ow, NULL);
        }
}
#endif
