/* NCHW 2x2/s2 max/min over planes whose output rows are at most a vector
 * (VGG's pool4 and pool5), every window inside the input. An output row's
 * two window rows are reduced, in registers, into 2 ow <= 2 PB_VLEN floats
 * a[x]; output ox is then op(a[2 ox], a[2 ox + 1]), one even/odd step. The
 * tiles would pay a transpose of every float both ways; the row kernel a
 * second vector of columns that is mostly past the row. A row's store runs
 * on past ow into the rows after it, which are written later; only the
 * stores that would leave the run of rows are masked (AVX2's masked store is slow
 * on Zen). Order differs from naive's only for NaN: a plane whose witness
 * saw one is marked, and the caller redoes it. */
#include "poolbench/pool.h"
#include "pool-nchw-2x2s2.inc.h"
#include "vec.h"

/* Windows 2x2 at stride 2 inside the input, rows of at most a vector of outputs. */
static inline bool nchw_short_rows_inside(const pb_params *p)
{
    return nchw_is_s2_inside(p, 2) && p->ow <= PB_VLEN;
}

/* a[x .. x + m) for the window rows from r, W floats apart. */
PB_INLINE pb_vf nchw_short_columns(int op, const float *r, int64_t W, int64_t m, pb_nan_seen *wit)
{
    const pb_vf a = pb_vload_first(r, m), b = pb_vload_first(r + W, m);
    *wit = pb_see_nan(*wit, a, b);
    return pb_vop(op, a, b);
}

/* Input rows per block of nchw_short_rows_blocks: a whole number of
 * vectors, and of output row pairs. */
static inline int64_t nchw_short_rows_per_block(int64_t W)
{
    int64_t rows = 4;
    while (rows * W % PB_VLEN != 0)
        rows *= 2;
    return rows;
}

/* The first output rows of a run whose window rows are W = 2 ow floats
 * (no unused column), so the run's input is one stream: a block of input
 * rows is whole vectors, each loaded once, and each row is cut from two of
 * them in registers. A row loaded where it starts crosses a vector boundary
 * and reads its floats twice; pool5's rows of 14 loaded that way took 1.5x
 * as long (stand-alone, in cache), bound by loads. W is a constant: the
 * cuts are immediate aligns. The lanes past a row hold the rows after it,
 * which the witness (bits of NaN lanes, in *nan_lanes) sees too: a NaN
 * there only redoes a plane in vain. Returns the output rows done, whole
 * blocks of them. */
PB_INLINE int64_t nchw_short_rows_blocks(int op, int64_t W, int64_t rows, const float *in, float *out,
                                         unsigned *nan_lanes)
{
    enum { MOST_ROWS = 8 };
    const int64_t ow = W / 2, per_block = nchw_short_rows_per_block(W), vectors = per_block * W / PB_VLEN;
    const int64_t end = rows * ow;
    const pb_vi even = pb_even_lanes_of_two(ow), odd = even + 1;
    unsigned lanes = 0;
    int64_t oy = 0;
    for (; (oy + per_block / 2) * ow + PB_VLEN - W <= end; oy += per_block / 2) {
        const float *block = in + 2 * oy * W;
        pb_vf v[MOST_ROWS], row[MOST_ROWS];
        for (int64_t j = 0; j < vectors; ++j)
            v[j] = pb_vload(block + j * PB_VLEN);
        for (int64_t i = 0; i < per_block; ++i) {
            const int64_t q = i * W / PB_VLEN, t = i * W % PB_VLEN;
            row[i] = t == 0 ? v[q] : pb_valign(v[q], t + W > PB_VLEN ? v[q + 1] : v[q], (int)t);
        }
        for (int64_t i = 0; i < per_block; i += 4) {
            lanes |= pb_nan_lanes(row[i], row[i + 1]) | pb_nan_lanes(row[i + 2], row[i + 3]);
            const pb_vf a = pb_vop(op, row[i], row[i + 1]), b = pb_vop(op, row[i + 2], row[i + 3]);
            const pb_vf res = pb_vop(op, pb_vpermute2(a, b, even), pb_vpermute2(a, b, odd));
            pb_vstore(out + (oy + i / 2) * ow, res);
        }
    }
    *nan_lanes = lanes;
    return oy;
}

/* Even row widths with a vector of outputs or less (nchw_short_rows_blocks). */
#if PB_VLEN == 16
#define NCHW_SHORT_ROW_WIDTHS(X) X(2) X(4) X(6) X(8) X(10) X(12) X(14) X(16)
#elif PB_VLEN == 8
#define NCHW_SHORT_ROW_WIDTHS(X) X(2) X(4) X(6) X(8)
#else
#define NCHW_SHORT_ROW_WIDTHS(X)
#endif

/* `rows` output rows with the NaN-free op, row g from input rows 2 g and
 * 2 g + 1 at in + 2 g W and written at out + g ow: a plane's rows, or, where
 * the planes hold no unused last row, those of consecutive planes as one
 * run. Rows of at most half a vector of outputs go in pairs, side by side in
 * one vector: half the permutes and stores. The parameters are read once
 * into locals: the stores (memcpy) may alias them. False when a witness
 * saw a NaN. Two witnesses, each measured where it serves: the whole-vector
 * blocks keep theirs as bits in a general register, the masked loops a mask
 * register (bits there too: pool5 0.95-0.98x, 64 planes of 11x11 0.93x). */
PB_INLINE bool nchw_short_rows_run(int op, int64_t W, int64_t ow, int64_t rows, const float *in, float *out)
{
    const int64_t span = 2 * ow, end = rows * ow;
    const int64_t m0 = span < PB_VLEN ? span : PB_VLEN, m1 = span - m0;
    pb_nan_seen wit = {0};
    unsigned nan_lanes = 0;
    int64_t oy = 0;
    if (span == W) {
#define NCHW_SHORT_ROWS_BLOCKS_OF(w)                                                                             \
    case w: oy = nchw_short_rows_blocks(op, w, rows, in, out, &nan_lanes); break;
        switch (W) { NCHW_SHORT_ROW_WIDTHS(NCHW_SHORT_ROWS_BLOCKS_OF) }
#undef NCHW_SHORT_ROWS_BLOCKS_OF
    }
    if (span <= PB_VLEN) {
        const pb_vi even = pb_even_lanes_of_two(ow), odd = even + 1;
        for (; oy + 2 <= rows; oy += 2) {
            const pb_vf a = nchw_short_columns(op, in + 2 * oy * W, W, span, &wit);
            const pb_vf b = nchw_short_columns(op, in + (2 * oy + 2) * W, W, span, &wit);
            const pb_vf res = pb_vop(op, pb_vpermute2(a, b, even), pb_vpermute2(a, b, odd));
            if (oy * ow + PB_VLEN <= end)
                pb_vstore(out + oy * ow, res);
            else
                pb_vstore_first(out + oy * ow, res, span);
        }
    }
    for (; oy < rows; ++oy) {
        const float *r = in + 2 * oy * W;
        const pb_vf a0 = nchw_short_columns(op, r, W, m0, &wit);
        const pb_vf a1 = m1 > 0 ? nchw_short_columns(op, r + PB_VLEN, W, m1, &wit) : a0;
        const pb_vf res = pb_vop(op, pb_veven(a0, a1), pb_vodd(a0, a1));
        if (oy * ow + PB_VLEN <= end)
            pb_vstore(out + oy * ow, res);
        else
            pb_vstore_first(out + oy * ow, res, ow);
    }
    return !pb_saw_nan(wit) && nan_lanes == 0;
}

/* Whether the planes hold no unused last row: their rows are then one run,
 * which nchw_short_rows_planes takes whole. */
static inline bool nchw_short_rows_one_run(const pb_params *p) { return p->h == 2 * p->oh; }

/* `count` planes, as nchw_3x3s2_planes takes them: bit i of the result is
 * set when plane i may hold a NaN. Planes of one run (VGG pool5: 3584 rows,
 * where plane by plane each of the 512 planes paid its set-up and an
 * unpaired seventh row) come in any number, and a NaN in it marks them
 * all. */
PB_INLINE uint64_t nchw_short_rows_planes(int op, const pb_params *p, const float *in, float *out, int64_t count)
{
    const int64_t H = p->h, W = p->w, oh = p->oh, ow = p->ow;
    if (nchw_short_rows_one_run(p))
        return nchw_short_rows_run(op, W, ow, count * oh, in, out) ? 0 : pb_planes_all_dirty(count);
    uint64_t dirty = 0;
    for (int64_t i = 0; i < count; ++i)
        dirty |= (uint64_t)!nchw_short_rows_run(op, W, ow, oh, in + i * H * W, out + i * oh * ow) << i;
    return dirty;
}
