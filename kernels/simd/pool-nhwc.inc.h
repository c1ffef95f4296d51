/* NHWC max/min/avg, vectorized across channels: each output pixel reduces its
 * window taps for a block of channels held in registers, one block at a time
 * along a row of output pixels. Included by one file per ISA with PB_VLEN
 * set; taps are visited in naive's order, so max/min and avg (true division)
 * are bit-exact with the reference (max/min windows that share columns
 * reduce each column first: any order gives the same max or min, and NaN
 * wins in any order under the NaN rule). Windows wholly inside the input
 * with a common undilated size (2x2, 3x3; 5x5 and 7x7 for max/min) run fully
 * unrolled; rows whose taps hold no NaN take the one-instruction max/min (see
 * nhwc_rows for how that is known). 3x3 averages at stride 1 sum columns
 * first and scale by a reciprocal, like the NCHW 3x3/s1 walk: within
 * PB_SUM_RTOL. The walks of windows that do not share rows (2x2/s2, 3x3/s2,
 * k x k at stride k) write with streaming stores when the caller asks (see
 * pb_simd_streams_output): out of the caches, 2x2/s2 on 83 VGG images
 * 1.13x, the stem on 334 images 1.03x.
 *
 * The walks have files of their own: the register block every window walk
 * reduces into (pool-nhwc-block.inc.h), global pools reduced tap after tap
 * into the output (pool-nhwc-taps-into-output.inc.h), 3x3/s2 over pixels
 * wider than a block (pool-nhwc-3x3s2.inc.h) and the stride-1 column walks
 * (pool-nhwc-columns-s1.inc.h). This file picks among them row by row,
 * clips the edge windows and applies the NaN rule. */
#include <stdlib.h>

#include "poolbench/pool.h"
#include "pool-columns.inc.h"
#include "pool-nhwc-3x3s2.inc.h"
#include "pool-nhwc-block.inc.h"
#include "pool-nhwc-columns-s1.inc.h"
#include "pool-nhwc-taps-into-output.inc.h"
#include "vec.h"

/* count output pixels of one row, channels [c, nc), the first one's window
 * at win and output at o, each window sw columns after the last. Unrolled
 * windows that do not overlap read each input float once: their blocks walk
 * pixel after pixel, all blocks of a pixel in turn, so the input streams in
 * runs of whole pixels (on the Zen 4 VM: VGG pool2 in NHWC 106 -> 94 us).
 * So do overlapping ones over pixels of at least PB_NHWC_RUN_MIN_BYTES
 * (Zen 5 VM, A/B against the walk below: 3x3/s2 2048x13x13 1.22x, 2x2/s1
 * 256x14x14 1.17x; with runs of 16 vectors, PB_NHWC_RUN_BLOCK). Other
 * windows walk block after block along the row, a block's taps one constant
 * step apart (pixel after pixel cost the 3x3/s1 avg 6% on the Zen 4 VM,
 * 3x3/s2 on 64 to 128 channels 0.89-0.96x on the Zen 5 VM). */
PB_INLINE void nhwc_block_pixels(int op, int k, const pb_params *p, const float *win, int64_t ny, int64_t nx,
                                 float divisor, float *o, int64_t count, int64_t c, int64_t nc, pb_vf *wit,
                                 bool stream)
{
    const int64_t C = p->c, row = p->w * C * (k ? 1 : p->dh), col = C * (k ? 1 : p->dw), step = p->sw * C;
    const pb_vf div = pb_vset1(divisor);
    const int64_t ty = k ? k : ny, tx = k ? k : nx;
    if (ty > 0 && tx > 0 && nhwc_many_long_taps(ty * tx, nc - c) && (count == 1 || p->sw >= tx)) {
        const int64_t c_end = c + (nc - c) / PB_VLEN * PB_VLEN;
        for (int64_t i = 0; i < count; ++i)
            nhwc_taps_into_output(op, win + i * step, row, col, ty, tx, div, o + i * C, c, c_end, wit);
        c = c_end;
    }
    for (; !k && c + PB_NHWC_WIDE_BLOCK * PB_VLEN <= nc; c += PB_NHWC_WIDE_BLOCK * PB_VLEN)
        for (int64_t i = 0; i < count; ++i)
            nhwc_block(op, k, PB_NHWC_WIDE_BLOCK, win + i * step + c, row, col, ny, nx, div, o + i * C + c, wit,
                       stream);
    const int64_t block = PB_NHWC_BLOCK * PB_VLEN, blocks_end = c + (nc - c) / block * block;
    /* Each branch its own call, so that stream is a compile-time constant in
     * the walk (with the flag tested at every store, VGG pool3 read 0.92x). */
    const bool pixel_major = k && (p->sw >= k || C * (int64_t)sizeof(float) >= PB_NHWC_RUN_MIN_BYTES);
    if (pixel_major && stream)
        nhwc_whole_pixels(op, k, win, row, col, div, o, count, step, C, c, blocks_end, wit, true);
    else if (pixel_major)
        nhwc_whole_pixels(op, k, win, row, col, div, o, count, step, C, c, blocks_end, wit, false);
    else
        for (int64_t b = c; b < blocks_end; b += block)
            for (int64_t i = 0; i < count; ++i)
                nhwc_block(op, k, PB_NHWC_BLOCK, win + i * step + b, row, col, ny, nx, div, o + i * C + b, wit,
                           stream);
    c = blocks_end;
    for (; c + PB_VLEN <= nc; c += PB_VLEN)
        for (int64_t i = 0; i < count; ++i)
            nhwc_block(op, k, 1, win + i * step + c, row, col, ny, nx, div, o + i * C + c, wit, stream);
    ny = k ? k : ny, nx = k ? k : nx;
    for (; c < nc; ++c)
        for (int64_t i = 0; i < count; ++i) {
            float acc = pb_op_identity(op);
            for (int64_t ty = 0; ty < ny; ++ty)
                for (int64_t tx = 0; tx < nx; ++tx)
                    acc = pb_sop(wit ? pb_op_nan_aware(op) : op, acc, win[i * step + ty * row + tx * col + c]);
            o[i * C + c] = op == PB_OP_SUM ? acc / divisor : acc;
        }
}

/* count output pixels of nr output rows (more than one only where
 * nhwc_row_pairs allows), the first nc channels of each pixel; see
 * nhwc_block_pixels. */
PB_INLINE void nhwc_pixels(int op, int k, int nr, const pb_params *p, const float *win, int64_t ny, int64_t nx,
                           float divisor, float *o, int64_t count, int64_t nc, pb_vf *wit, bool stream)
{
    const int64_t C = p->c, row = p->w * C, orow = p->ow * C;
    int64_t c = 0;
    /* On rows of a few windows, the blocks of channels in flight win (measured
     * on the Zen 4 VM: AlexNet's 6 wide rows 3.0 -> 3.7 us, its 13 wide 10.6 -> 9.1;
     * on the Zen 5 VM, AlexNet 256x13x13 read 0.95-1.20x with the walk). */
    if (pb_columns_apply(op, k, p->sw) && count >= 8) {
        /* Only 3x3/s2 comes here: stride 1 takes nhwc_column_rows. A pixel
         * of at most one register block keeps its shared columns in
         * registers (stem: shared columns in L1 cost 7%), and so do the rows
         * under the NaN rule (rare; every copy costs compile time). */
        const int nb = PB_NHWC_COLUMN_VECTORS;
        const int64_t vectors_end = nc / PB_VLEN * PB_VLEN;
        if (nc <= nb * PB_VLEN || pb_op_no_nan(op) != op) {
            /* stream a compile-time constant, as in nhwc_block_pixels (with
             * the flag tested at every store the stem read 0.96x). */
            for (; c + nb * PB_VLEN <= nc && stream; c += nb * PB_VLEN)
                pb_column_pixels(op, k, p->sw, nb, nr, win + c, row, C, o + c, orow, count, wit, true);
            for (; c + nb * PB_VLEN <= nc; c += nb * PB_VLEN)
                pb_column_pixels(op, k, p->sw, nb, nr, win + c, row, C, o + c, orow, count, wit, false);
            for (; c + PB_VLEN <= nc; c += PB_VLEN)
                pb_column_pixels(op, k, p->sw, 1, nr, win + c, row, C, o + c, orow, count, wit, stream);
        }
        for (int64_t end; c < vectors_end; c = end) {
            end = c + PB_NHWC_SHARED_MAX < vectors_end ? c + PB_NHWC_SHARED_MAX : vectors_end;
            nhwc_3s2_pixels(op, nr, win, row, C, c, end, o, orow, count, wit, stream);
        }
    }
    for (int r = 0; r < nr; ++r)
        nhwc_block_pixels(op, k, p, win + r * p->sh * row, ny, nx, divisor, o + r * orow, count, c, nc, wit, stream);
}

/* General windows (k = 0, one output row) out of line, one copy per op (see
 * PB_OUT_OF_LINE_BY_OP) with and one without the witness: the clipped edge
 * pixels of every row and the rows of fewer than k taps call them, where
 * inlining them into every unrolled row made the NHWC files several hundred
 * KB of code and minutes to compile. The witness comes back as a value: a
 * pointer to the caller's kept it in memory through the caller's whole row
 * (VGG pool4 in NHWC 23.6 -> 32.3 us). */
PB_INLINE pb_vf nhwc_general(int op, const pb_params *p, const float *win, int64_t ny, int64_t nx, float divisor,
                             float *o, int64_t count, int64_t nc)
{
    nhwc_pixels(op, 0, 1, p, win, ny, nx, divisor, o, count, nc, NULL, false);
    return pb_vset1(0.0f);
}

PB_INLINE pb_vf nhwc_general_witnessed(int op, const pb_params *p, const float *win, int64_t ny, int64_t nx,
                                       float divisor, float *o, int64_t count, int64_t nc)
{
    pb_vf wit = pb_vset1(0.0f);
    nhwc_pixels(op, 0, 1, p, win, ny, nx, divisor, o, count, nc, &wit, false);
    return wit;
}

#define PB_NHWC_GENERAL_PARAMS                                                                                   \
    (const pb_params *p, const float *win, int64_t ny, int64_t nx, float divisor, float *o, int64_t count, int64_t nc)
PB_OUT_OF_LINE_BY_OP(pb_vf, nhwc_general, PB_NHWC_GENERAL_PARAMS, p, win, ny, nx, divisor, o, count, nc)
PB_OUT_OF_LINE_BY_OP(pb_vf, nhwc_general_witnessed, PB_NHWC_GENERAL_PARAMS, p, win, ny, nx, divisor, o, count, nc)
#undef PB_NHWC_GENERAL_PARAMS

/* nhwc_pixels(op, 0, 1, ...) through the copies above. */
PB_INLINE void nhwc_general_pixels(int op, const pb_params *p, const float *win, int64_t ny, int64_t nx, float divisor,
                                   float *o, int64_t count, int64_t nc, pb_vf *wit)
{
    if (wit)
        *wit += PB_CALL_BY_OP(nhwc_general_witnessed, op, p, win, ny, nx, divisor, o, count, nc);
    else
        PB_CALL_BY_OP(nhwc_general, op, p, win, ny, nx, divisor, o, count, nc);
}

/* Whether any of the ny input rows of image n from y, dh apart, holds a NaN
 * among the first nc channels of its pixels (scanned from the first pixel's
 * to the last one's, the channels between included). */
static bool nhwc_rows_hold_nan(const pb_params *p, const float *image, int8_t *row_nan, int64_t y, int64_t ny,
                               int64_t nc)
{
    const int64_t row = p->w * p->c, scanned = (p->w - 1) * p->c + nc;
    bool any = false;
    for (int64_t t = 0; t < ny; ++t) {
        const int64_t r = y + t * p->dh;
        if (row_nan[r] < 0)
            row_nan[r] = pb_has_nan(image + r * row, scanned);
        any |= row_nan[r] != 0;
    }
    return any;
}

/* Output pixel ox of a row whose window rows start at input row y (ny of
 * them), its columns clipped to the input. */
PB_INLINE void nhwc_clipped_pixel(int op, const pb_params *p, const float *image, int64_t y, int64_t ny,
                                  int64_t row_taps, int64_t ox, float *orow, int64_t nc, pb_vf *wit)
{
    const int64_t C = p->c, d = p->dw, x0 = ox * p->sw - p->pw;
    int64_t tx0 = x0 < 0 ? (-x0 + d - 1) / d : 0;
    int64_t tx1 = x0 <= p->w - 1 ? (p->w - 1 - x0) / d + 1 : 0;
    tx1 = tx1 < p->kw ? tx1 : p->kw;
    tx1 = tx1 > tx0 ? tx1 : tx0;
    nhwc_general_pixels(op, p, image + (y * p->w + x0 + tx0 * d) * C, ny, tx1 - tx0,
                        op == PB_OP_SUM ? nhwc_avg_divisor(p, row_taps, ox) : 1.0f, orow + ox * C, 1, nc, wit);
}

/* Whether nhwc_row's rows of k x k windows are column walks (k >= 5 comes
 * only at stride 1: see nhwc_entry). */
static inline bool nhwc_walks_columns(int k, const pb_params *p)
{
    return k >= 5 || (k >= 3 && p->sw == 1);
}

/* Output rows oy to oy + nr - 1 of one image (nr > 1: see nhwc_row_pairs);
 * k: the unrolled window size, 0 for none. Columns whose windows lie inside
 * the input, [oxa, oxb), need no clipping (no integer divisions) and, in a
 * full-height row, take the unrolled k x k. With wit, every tap is also
 * added into *wit: a NaN among them leaves a NaN there (so can inf - inf: a
 * false alarm only costs a recomputation). The column walks add only the
 * taps they load, each column's once. */
PB_INLINE void nhwc_row(int op, int k, int nr, const pb_params *p, const float *image, int64_t oy, float *orow,
                        int64_t nc, pb_vf *wit, bool stream)
{
    if (nhwc_walks_columns(k, p)) {
        nhwc_column_rows(op, k, nr, p, image, oy, orow, nc, wit);
        return;
    }
    const int64_t C = p->c, span = (p->kw - 1) * p->dw, next = p->ow * C;
    int64_t y, ny, row_taps;
    nhwc_row_taps(p, op, oy, &y, &ny, &row_taps);
    int64_t oxa = (p->pw + p->sw - 1) / p->sw;
    int64_t oxb = p->w - 1 + p->pw - span >= 0 ? (p->w - 1 + p->pw - span) / p->sw + 1 : 0;
    oxb = oxb < p->ow ? oxb : p->ow;
    oxa = oxa < oxb ? oxa : oxb;
    for (int r = 0; r < nr; ++r)
        for (int64_t ox = 0; ox < oxa; ++ox)
            nhwc_clipped_pixel(op, p, image, y + r * p->sh, ny, row_taps, ox, orow + r * next, nc, wit);
    const int64_t divisor = row_taps * p->kw;
    const float div = (float)(divisor > 0 ? divisor : 1);
    const float *win = image + (y * p->w + oxa * p->sw - p->pw) * C;
    if (k && ny == k)
        nhwc_pixels(op, k, nr, p, win, k, k, div, orow + oxa * C, oxb - oxa, nc, wit, stream);
    else
        for (int r = 0; r < nr; ++r)
            nhwc_general_pixels(op, p, win + r * p->sh * p->w * C, ny, p->kw, div, orow + r * next + oxa * C,
                                oxb - oxa, nc, wit);
    for (int r = 0; r < nr; ++r)
        for (int64_t ox = oxb; ox < p->ow; ++ox)
            nhwc_clipped_pixel(op, p, image, y + r * p->sh, ny, row_taps, ox, orow + r * next, nc, wit);
}

/* Whether output rows oy and oy + 1 can run as a pair: max/min 3x3/s2, or
 * k x k at stride 1, the column walks loading the input rows their windows
 * share once, both rows' windows wholly inside the input's rows (so an
 * average's two rows divide alike). */
static bool nhwc_row_pairs(int op, int k, const pb_params *p, int64_t oy, int64_t oy1)
{
    const bool s2 = op != PB_OP_SUM && k == 3 && p->sh == 2 && p->sw == 2;
    const bool s1 = k >= 3 && p->sh == 1 && p->sw == 1;
    if (!(s1 || s2) || oy + 1 >= oy1)
        return false;
    const int64_t top = oy * p->sh - p->ph;
    return top >= 0 && top + p->sh + p->kh <= p->h;
}

/* Whether the taps of nr output rows from oy may hold a NaN (see
 * nhwc_rows_hold_nan). */
static bool nhwc_group_holds_nan(const pb_params *p, const float *image, int8_t *row_nan, int64_t oy, int nr,
                                 int64_t nc)
{
    int64_t y, ny, row_taps;
    nhwc_row_taps(p, PB_OP_MAX, oy, &y, &ny, &row_taps);
    return nhwc_rows_hold_nan(p, image, row_nan, y, ny + (nr - 1) * p->sh, nc);
}

/* A NaN must win a max or min, which the one-instruction update does not
 * ensure, so a row takes it only where no NaN can be in its taps, known one
 * of two ways. Where windows overlap a lot, except in most column walks
 * (row_nan given: see nhwc_entry), each input row is scanned once, when a
 * window first needs it: cheaper than a witness add on every tap. Elsewhere
 * the row runs with the witness and runs again with PyTorch's NaN rule only
 * when the witness is NaN. Sums have no such rule; their stride-1 rows pair
 * too. */
PB_INLINE void nhwc_rows(int op, int k, const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1,
                         int64_t nc, int8_t *row_nan, bool stream)
{
    for (int64_t n = 0; n < p->n; ++n) {
        const float *image = in + n * p->h * p->w * p->c;
        float *oimage = out + n * p->oh * p->ow * p->c;
        if (row_nan)
            memset(row_nan, -1, (size_t)p->h);
        for (int64_t oy = oy0; oy < oy1; ++oy) {
            float *orow = oimage + oy * p->ow * p->c;
            /* A pair's second row adds the input row one stride lower. */
            const int nr = nhwc_row_pairs(op, k, p, oy, oy1) ? 2 : 1;
            bool nan_rule = false;
            if (op == PB_OP_SUM && k >= 3 && nr == 2)
                nhwc_row(op, k, 2, p, image, oy, orow, nc, NULL, stream);
            else if (op == PB_OP_SUM)
                nan_rule = true;
            else if (row_nan) {
                nan_rule = nhwc_group_holds_nan(p, image, row_nan, oy, nr, nc);
                /* Each branch its own call, so the op stays a compile-time constant. */
                if (!nan_rule && nr == 2)
                    nhwc_row(pb_op_no_nan(op), k, 2, p, image, oy, orow, nc, NULL, stream);
                else if (!nan_rule)
                    nhwc_row(pb_op_no_nan(op), k, 1, p, image, oy, orow, nc, NULL, stream);
            } else {
                pb_vf wit = pb_vset1(0.0f);
                if (nr == 2)
                    nhwc_row(pb_op_no_nan(op), k, 2, p, image, oy, orow, nc, &wit, stream);
                else
                    nhwc_row(pb_op_no_nan(op), k, 1, p, image, oy, orow, nc, &wit, stream);
                nan_rule = pb_vany_nan(wit);
            }
            /* Sums, and max/min rows that may hold a NaN, in one place: every
             * inlined copy of a row costs compile time. */
            for (int r = 0; r < nr && nan_rule; ++r)
                nhwc_row(op, k, 1, p, image, oy + r, orow + r * p->ow * p->c, nc, NULL, stream);
            oy += nr - 1;
        }
    }
}

typedef void nhwc_rows_fn(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1, int64_t nc,
                          int8_t *row_nan, bool stream);

/* One function for each op and window size the rows specialize, rather than
 * all of them inlined into nhwc_entry: as one function, gcc spent minutes on
 * it in the sanitizer build. */
#define PB_NHWC_ROWS(op, k)                                                                                      \
    static __attribute__((noinline)) void nhwc_rows_##op##_##k(const pb_params *p, const float *in, float *out, \
                                                               int64_t oy0, int64_t oy1, int64_t nc,            \
                                                               int8_t *row_nan, bool stream)                    \
    {                                                                                                            \
        nhwc_rows(PB_OP_##op, k, p, in, out, oy0, oy1, nc, row_nan, stream);                                     \
    }
PB_NHWC_ROWS(MAX, 0) PB_NHWC_ROWS(MAX, 2) PB_NHWC_ROWS(MAX, 3) PB_NHWC_ROWS(MAX, 5) PB_NHWC_ROWS(MAX, 7)
PB_NHWC_ROWS(MIN, 0) PB_NHWC_ROWS(MIN, 2) PB_NHWC_ROWS(MIN, 3) PB_NHWC_ROWS(MIN, 5) PB_NHWC_ROWS(MIN, 7)
PB_NHWC_ROWS(SUM, 0) PB_NHWC_ROWS(SUM, 2) PB_NHWC_ROWS(SUM, 3)
#undef PB_NHWC_ROWS

/* By op and k: 5x5 and 7x7 averages take the general rows (k = 0). */
#define PB_NHWC_ROWS_K 8
static nhwc_rows_fn *const nhwc_rows_by_op_k[3][PB_NHWC_ROWS_K] = {
    [PB_OP_MAX] = {nhwc_rows_MAX_0, NULL, nhwc_rows_MAX_2, nhwc_rows_MAX_3, NULL, nhwc_rows_MAX_5, NULL, nhwc_rows_MAX_7},
    [PB_OP_MIN] = {nhwc_rows_MIN_0, NULL, nhwc_rows_MIN_2, nhwc_rows_MIN_3, NULL, nhwc_rows_MIN_5, NULL, nhwc_rows_MIN_7},
    [PB_OP_SUM] = {nhwc_rows_SUM_0, NULL, nhwc_rows_SUM_2, nhwc_rows_SUM_3},
};

/* Whether p is a global average whose nc channels a pixel
 * nhwc_taps_into_output takes whole. */
static bool nhwc_global_avg(const pb_params *p, int64_t nc)
{
    return p->mode == PB_MODE_AVG && pb_is_global(p) && nhwc_many_long_taps(p->kh * p->kw, nc) && nc % PB_VLEN == 0;
}

/* Returns nonzero when the row flags cannot be allocated. Everything below
 * works on the share's first channel as if it were the pixel's: in and out
 * start there, nc channels from it, the pixel stride stays p->c. */
static int nhwc_entry(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output)
{
    const int op = pb_mode_op(p->mode);
    const int64_t oy0 = share.oy0, oy1 = share.oy1, nc = share.c1 - share.c0;
    in += share.c0, out += share.c0;
    /* Straight to the taps' walk: through the general rows the same walk
     * took 1.06x as long. With the walk's block order, against both before
     * (A/B, Zen 5 VM): 2048x7x7 1.07-1.10x (1.02x in a slow spell), 8 images
     * of it 1.06x, 1536x8x8 1.11x, 1024x7x7 1.06x; a global max, which
     * still comes through the rows, 1.03x. */
    if (nhwc_global_avg(p, nc)) {
        const pb_vf div = pb_vset1((float)pb_avg_divisor(p, 0, 0));
        for (int64_t n = 0; n < p->n && oy0 < oy1; ++n)
            nhwc_taps_into_output(PB_OP_SUM, in + n * p->h * p->w * p->c, p->w * p->c, p->c, p->kh, p->kw, div,
                                  out + n * p->c, 0, nc, NULL);
        return 0;
    }
    /* Over four taps per input float, on average: the row scan (measured on
     * the EPYC VM: the witness on every tap wins at 3x3/s2 and 2x2/s2, the
     * scan at 3x3/s1; most column walks keep a cheaper witness: below).
     * Counted over the whole image: a global pool's window is large but
     * reads each float once, and scanning first read it twice. */
    const bool reuse = p->oh * p->ow * p->kh * p->kw > 4 * p->h * p->w;
    /* 5x5 and 7x7 rows are column walks, which need stride 1 along the row
     * and more than one window in it: a global 7x7 (one window a row) walked
     * its 49 taps 16 channels at a time: 2048 channels 9.96 us, where the
     * general rows' taps-into-output walk takes 2.91 (A/B, Zen 5 VM). */
    const bool walks = p->sw == 1 && p->ow > 1;
    const bool unit = p->dh == 1 && p->dw == 1 && p->kh == p->kw && p->kh < PB_NHWC_ROWS_K && (p->kh <= 3 || walks);
    nhwc_rows_fn *rows = unit ? nhwc_rows_by_op_k[op][p->kh] : NULL;
    /* The column walks add the taps they load (k + 1 per column of a pair of
     * rows) into a witness rather than scanning every row first (A/B on the
     * Zen 5 VM, AVX-512: 64x56x56 3x3/s1 max 1.10-1.14x, Inception
     * 480x28x28 1.23-1.26x, 5x5 1.08x, 7x7 1.04-1.07x; AVX2 5x5 1.05x, 7x7
     * 1.06x; scalar 7x7 1.18x), but not where a pass takes part of a vector:
     * that walk then kept its columns on the stack (13x40x40 0.73x). */
    const bool walk = rows && nhwc_walks_columns((int)p->kh, p);
    const bool witnessed_walk = walk && nc % PB_VLEN == 0 && (p->kh > 3 || PB_NHWC_WITNESSED_3X3);
    int8_t *row_nan = NULL;
    if (op != PB_OP_SUM && (reuse || walk) && !witnessed_walk && !(row_nan = malloc((size_t)p->h)))
        return -1;
    /* Every vector store aligned, or none streamed. */
    const bool stream = stream_output && PB_VSTREAM && p->c % PB_VLEN == 0 && nc % PB_VLEN == 0 &&
                        (uintptr_t)out % sizeof(pb_vf) == 0;
    (rows ? rows : nhwc_rows_by_op_k[op][0])(p, in, out, oy0, oy1, nc, row_nan, stream);
    if (stream)
        pb_vstream_fence();
    free(row_nan);
    return 0;
}
