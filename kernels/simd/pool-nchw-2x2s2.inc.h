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
#define NCHW_2X2S2_BLOCK_COUNTS(X) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8)

/* The pairs of input row r for n (up to PB_VLEN) outputs: op of its even
 * and odd columns. The loads of a partial block stop at its last window.
 * Every tap is also shown to the witness *wit when wit is given. */
PB_INLINE pb_vf nchw_2x2s2_pairs(int op, const float *r, int64_t n, pb_nan_seen *wit)
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
PB_INLINE void nchw_2x2s2_put(float *o, pb_vf v, int64_t n, bool stream)
{
    if (n == PB_VLEN)
        pb_vput(o, v, stream);
    else
        pb_vstore_first(o, v, n);
}

/* Output block o of n outputs from the top row's pairs and the bottom row r1. */
PB_INLINE void nchw_2x2s2_finish(int op, pb_vf top, const float *r1, float *o, int64_t n, pb_nan_seen *wit, bool stream)
{
    pb_vf v = pb_vop(op, top, nchw_2x2s2_pairs(op, r1, n, wit));
    if (op == PB_OP_SUM)
        v /= pb_vset1(4.0f);
    nchw_2x2s2_put(o, v, n, stream);
}

/* A short row, nb blocks (the last of `last` outputs): the top row's pairs
 * held in registers. */
PB_INLINE void nchw_2x2s2_short(int op, int nb, const float *r0, const float *r1, float *o, int64_t last,
                                pb_nan_seen *wit, bool stream)
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
PB_INLINE void nchw_2x2s2_row(int op, const float *r0, const float *r1, float *o, int64_t ow, pb_nan_seen *wit,
                              bool stream)
{
    const int64_t nb = (ow + PB_VLEN - 1) / PB_VLEN, last = ow - (nb - 1) * PB_VLEN;
#define NCHW_2X2S2_SHORT_OF(n)                                                                                   \
    case n: nchw_2x2s2_short(op, n, r0, r1, o, last, wit, stream); return;
    switch (nb) {
        NCHW_2X2S2_BLOCK_COUNTS(NCHW_2X2S2_SHORT_OF)
    default: break;
    }
#undef NCHW_2X2S2_SHORT_OF
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

/* Rows that are exactly their windows (W = 2 ow) and an odd number of half
 * vectors (VGG pool3's 56 floats): an output row's two input rows are whole
 * vectors together, but the second starts mid-vector, so each of its loads
 * at its own start splits a cache line. Up to NCHW_2X2S2_IN_REGISTERS
 * blocks. */
static inline bool nchw_2x2s2_half_vector_rows(const pb_params *p)
{
    return PB_VLEN > 1 && p->w == 2 * p->ow && p->w % PB_VLEN == PB_VLEN / 2 &&
           p->ow <= NCHW_2X2S2_IN_REGISTERS * PB_VLEN;
}

/* Column vector j of an output row of nchw_2x2s2_half_vector_rows whose
 * input rows start at r0: op of the two rows' floats j PB_VLEN on, the
 * second row's cut from the vector it starts in and the next (when there is
 * one: the pair ends half a vector into the last). Its loads are the pair's
 * whole vectors (aligned where the input is), shared with the neighbouring
 * columns. The NaN lanes of the taps are ored into *nan_lanes. */
PB_INLINE pb_vf nchw_2x2s2_half_vector_column(int op, const float *r0, int64_t W, int j, bool has_next,
                                              unsigned *nan_lanes)
{
    enum { HALF = PB_VLEN / 2 };
    const float *start = r0 + W - HALF + j * PB_VLEN;
    const pb_vf top = pb_vload(r0 + j * PB_VLEN), first = pb_vload(start);
    const pb_vf bottom = pb_valign(first, has_next ? pb_vload(start + PB_VLEN) : first, HALF);
    *nan_lanes |= pb_nan_lanes(top, bottom);
    return pb_vop(op, top, bottom);
}

/* An output row of nchw_2x2s2_half_vector_rows, nb blocks (the last of
 * `last` outputs): the two rows reduced first, each of their floats loaded
 * once, then each column pair. In L1 and L2 1.41x the row kernel's split
 * loads on pool3's 56, 1.30x on 40 (in-process A/B). Where W = 2 ow is a
 * multiple of a vector no load splits, and this order measured no faster in
 * cache and slower from DRAM (VGG pool1: 0.88x, the rows as interleaved streams; see
 * nchw_2x2s2_row). Order differs from naive's only for NaN: the result is
 * the NaN lanes of the taps, and the caller redoes a row that has any. */
PB_INLINE unsigned nchw_2x2s2_half_vector_blocks(int op, int nb, const float *r0, int64_t W, float *o, int64_t last)
{
    pb_vf columns[2 * NCHW_2X2S2_IN_REGISTERS];
    unsigned nan_lanes = 0;
    for (int j = 0; j < 2 * nb - 2; ++j)
        columns[j] = nchw_2x2s2_half_vector_column(op, r0, W, j, true, &nan_lanes);
    /* A last block of at most half a vector has one column vector. */
    const bool two_in_last = last > PB_VLEN / 2;
    columns[2 * nb - 2] = nchw_2x2s2_half_vector_column(op, r0, W, 2 * nb - 2, two_in_last, &nan_lanes);
    columns[2 * nb - 1] = two_in_last ? nchw_2x2s2_half_vector_column(op, r0, W, 2 * nb - 1, false, &nan_lanes)
                                      : columns[2 * nb - 2];
    for (int b = 0; b < nb; ++b) {
        const pb_vf lo = columns[2 * b], hi = columns[2 * b + 1];
        nchw_2x2s2_put(o + b * PB_VLEN, pb_vop(op, pb_veven(lo, hi), pb_vodd(lo, hi)), b < nb - 1 ? PB_VLEN : last,
                       false);
    }
    return nan_lanes;
}

/* nchw_2x2s2_half_vector_blocks with nb a constant. */
PB_INLINE unsigned nchw_2x2s2_half_vector_row(int op, const float *r0, int64_t W, float *o, int64_t ow)
{
    const int64_t nb = (ow + PB_VLEN - 1) / PB_VLEN, last = ow - (nb - 1) * PB_VLEN;
#define NCHW_2X2S2_HALF_VECTOR_ROW_OF(n)                                                                         \
    case n: return nchw_2x2s2_half_vector_blocks(op, n, r0, W, o, last);
    switch (nb) {
        NCHW_2X2S2_BLOCK_COUNTS(NCHW_2X2S2_HALF_VECTOR_ROW_OF)
    default: return ~0u;
    }
#undef NCHW_2X2S2_HALF_VECTOR_ROW_OF
}

/* Every plane's rows (see nchw_2x2s2). */
PB_INLINE void nchw_2x2s2_planes(int op, const pb_params *p, const float *in, float *out, bool stream)
{
    const int64_t W = p->w, in_plane = p->h * W, out_plane = p->oh * p->ow;
    const bool half_vector_rows = op != PB_OP_SUM && nchw_2x2s2_half_vector_rows(p);
    for (int64_t plane = 0; plane < p->n * p->c; ++plane)
        for (int64_t oy = 0; oy < p->oh; ++oy) {
            const float *r0 = in + plane * in_plane + 2 * oy * W;
            float *o = out + plane * out_plane + oy * p->ow;
            if (op == PB_OP_SUM) {
                nchw_2x2s2_row(op, r0, r0 + W, o, p->ow, NULL, stream);
                continue;
            }
            if (half_vector_rows) {
                if (nchw_2x2s2_half_vector_row(pb_op_no_nan(op), r0, W, o, p->ow) != 0)
                    nchw_2x2s2_row(op, r0, r0 + W, o, p->ow, NULL, false);
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
PB_INLINE int nchw_2x2s2(int op, const pb_params *p, const float *in, float *out, bool stream_output)
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
