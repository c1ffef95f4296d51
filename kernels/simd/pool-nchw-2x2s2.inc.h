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

/* Rows of up to this many blocks keep the top row's pairs in registers. */
#define NCHW_2X2S2_IN_REGISTERS 8

/* The pairs of input row r for n (up to PB_VLEN) outputs: op of its even
 * and odd columns. The loads of a partial block stop at its last window.
 * Every tap is also shown to the witness *wit when wit is given. */
static inline __attribute__((always_inline)) pb_vf nchw_2x2s2_pairs(int op, const float *r, int64_t n,
                                                                   pb_nan_seen *wit)
{
    pb_vf a, b;
    if (n == PB_VLEN) {
        a = pb_vload(r), b = pb_vload(r + PB_VLEN);
    } else {
        const int64_t lo = 2 * n < PB_VLEN ? 2 * n : PB_VLEN, hi = 2 * n - lo;
        a = pb_vload_first(r, lo), b = pb_vload_first(r + PB_VLEN, hi);
    }
    if (wit)
        *wit = pb_see_nan(*wit, a, b);
    return pb_vop(op, pb_veven(a, b), pb_vodd(a, b));
}

/* The first n (up to PB_VLEN) lanes of v into o; a whole vector with a
 * streaming store where stream (o then aligned). */
static inline __attribute__((always_inline)) void nchw_2x2s2_put(float *o, pb_vf v, int64_t n, bool stream)
{
    if (n == PB_VLEN)
        pb_vput(o, v, stream);
    else
        pb_vstore_first(o, v, n);
}

/* Output block o of n outputs from the top row's pairs and the bottom row r1. */
static inline __attribute__((always_inline)) void nchw_2x2s2_finish(int op, pb_vf top, const float *r1, float *o,
                                                                   int64_t n, pb_nan_seen *wit, bool stream)
{
    pb_vf v = pb_vop(op, top, nchw_2x2s2_pairs(op, r1, n, wit));
    if (op == PB_OP_SUM)
        v /= pb_vset1(4.0f);
    nchw_2x2s2_put(o, v, n, stream);
}

/* A short row, nb blocks (the last of `last` outputs): the top row's pairs
 * held in registers. */
static inline __attribute__((always_inline)) void nchw_2x2s2_short(int op, int nb, const float *r0, const float *r1,
                                                                  float *o, int64_t last, pb_nan_seen *wit,
                                                                  bool stream)
{
    pb_vf top[NCHW_2X2S2_IN_REGISTERS];
    for (int b = 0; b < nb; ++b)
        top[b] = nchw_2x2s2_pairs(op, r0 + 2 * b * PB_VLEN, b < nb - 1 ? PB_VLEN : last, wit);
    for (int b = 0; b < nb; ++b)
        nchw_2x2s2_finish(op, top[b], r1 + 2 * b * PB_VLEN, o + b * PB_VLEN, b < nb - 1 ? PB_VLEN : last, wit,
                          stream);
}

/* An output row from its two input rows, one after the other: the top
 * row's pairs first (in registers, or for a long row stored into the output
 * row, still in L1 when the bottom row's come), taps in naive's order.
 * Memory sees each row in turn, where a block at a time interleaves two
 * streams a row apart in small steps: out of cache (VGG's pool1 at batch
 * 10, Zen 4) that ran at 11.7 GB/s, this at 23. Rows of up to
 * NCHW_2X2S2_IN_REGISTERS blocks write with streaming stores where stream;
 * longer ones read their output row back, so keep it in cache. */
static inline __attribute__((always_inline)) void nchw_2x2s2_row(int op, const float *r0, const float *r1,
                                                                 float *o, int64_t ow, pb_nan_seen *wit, bool stream)
{
    const int64_t nb = (ow + PB_VLEN - 1) / PB_VLEN, last = ow - (nb - 1) * PB_VLEN;
    switch (nb) {
    case 1: nchw_2x2s2_short(op, 1, r0, r1, o, last, wit, stream); return;
    case 2: nchw_2x2s2_short(op, 2, r0, r1, o, last, wit, stream); return;
    case 3: nchw_2x2s2_short(op, 3, r0, r1, o, last, wit, stream); return;
    case 4: nchw_2x2s2_short(op, 4, r0, r1, o, last, wit, stream); return;
    case 5: nchw_2x2s2_short(op, 5, r0, r1, o, last, wit, stream); return;
    case 6: nchw_2x2s2_short(op, 6, r0, r1, o, last, wit, stream); return;
    case 7: nchw_2x2s2_short(op, 7, r0, r1, o, last, wit, stream); return;
    case 8: nchw_2x2s2_short(op, 8, r0, r1, o, last, wit, stream); return;
    default: break;
    }
    for (int64_t b = 0; b < nb; ++b) {
        const int64_t n = b < nb - 1 ? PB_VLEN : last;
        nchw_2x2s2_put(o + b * PB_VLEN, nchw_2x2s2_pairs(op, r0 + 2 * b * PB_VLEN, n, wit), n, false);
    }
    for (int64_t b = 0; b < nb; ++b) {
        const int64_t n = b < nb - 1 ? PB_VLEN : last;
        const pb_vf top = n == PB_VLEN ? pb_vload(o + b * PB_VLEN) : pb_vload_first(o + b * PB_VLEN, n);
        nchw_2x2s2_finish(op, top, r1 + 2 * b * PB_VLEN, o + b * PB_VLEN, n, wit, false);
    }
}

/* Every plane's rows (see nchw_2x2s2). */
static inline __attribute__((always_inline)) void nchw_2x2s2_planes(int op, const pb_params *p, const float *in,
                                                                    float *out, bool stream)
{
    const int64_t W = p->w, in_plane = p->h * W, out_plane = p->oh * p->ow;
    for (int64_t plane = 0; plane < p->n * p->c; ++plane)
        for (int64_t oy = 0; oy < p->oh; ++oy) {
            const float *r0 = in + plane * in_plane + 2 * oy * W;
            float *o = out + plane * out_plane + oy * p->ow;
            if (op == PB_OP_SUM) {
                nchw_2x2s2_row(op, r0, r0 + W, o, p->ow, NULL, stream);
                continue;
            }
            pb_nan_seen wit = {0};
            nchw_2x2s2_row(pb_op_no_nan(op), r0, r0 + W, o, p->ow, &wit, stream);
            if (pb_saw_nan(wit))
                nchw_2x2s2_row(op, r0, r0 + W, o, p->ow, NULL, stream);
        }
}

/* A max or min row runs the NaN-free update with the tap witness and again
 * with PyTorch's NaN rule only when the witness is NaN. Outputs stream
 * where stream_output asks and every output vector is whole and aligned
 * (rows a multiple of the lanes); stream is then a compile-time constant
 * in the walk. Returns 0, like the kernels that allocate (nonzero: out of
 * memory). */
static inline __attribute__((always_inline)) int nchw_2x2s2(int op, const pb_params *p, const float *in, float *out,
                                                            bool stream_output)
{
    if (stream_output && PB_VSTREAM && p->ow % PB_VLEN == 0 && (uintptr_t)out % sizeof(pb_vf) == 0) {
        nchw_2x2s2_planes(op, p, in, out, true);
        pb_vstream_fence();
    } else {
        nchw_2x2s2_planes(op, p, in, out, false);
    }
    return 0;
}
#endif
