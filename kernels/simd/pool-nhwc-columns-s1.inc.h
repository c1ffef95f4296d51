/* NHWC k x k windows at stride 1 as column walks: each input column's window
 * rows reduced once, into registers, and the windows taken from the columns;
 * clipped edges and short rows take the same walk with the op's identity
 * outside the input. Also the row geometry every NHWC row uses
 * (nhwc_row_taps, nhwc_avg_divisor): here, where the walks need it first. */
#ifndef POOLBENCH_SIMD_POOL_NHWC_COLUMNS_S1_INC_H
#define POOLBENCH_SIMD_POOL_NHWC_COLUMNS_S1_INC_H
#include "poolbench/pool.h"
#include "pool-columns.inc.h"
#include "pool-nhwc-block.inc.h"
#include "vec.h"

/* What avg output pixel ox of a row of row_taps window rows divides by: an
 * empty window (possible with dilation) sums to 0, and PyTorch outputs 0. */
static inline float nhwc_avg_divisor(const pb_params *p, int64_t row_taps, int64_t ox)
{
    const int64_t divisor = row_taps * pb_avg_cols(p, ox);
    return (float)(divisor > 0 ? divisor : 1);
}

/* Input column x of nr (1 or 2) output rows' ny-row windows reduced into
 * col (see pb_columns_s1_n), or none outside the input. */
PB_INLINE void nhwc_columns_at(int op, int nr, int64_t ny, const pb_params *p, const float *rows, int64_t x, int64_t n,
                               pb_vf none, pb_vf *col, pb_vf *wit)
{
    if (x < 0 || x >= p->w) {
        col[0] = col[nr - 1] = none;
        return;
    }
    pb_columns_s1_n(op, nr, ny, rows + x * p->c, p->w * p->c, n, col, wit);
}

/* 1 / the divisor of each avg output pixel of a stride-1 k x k row: inside
 * for [oxa, oxb), where the window's columns are all in the input, edge[ox]
 * left of it and edge[PB_NHWC_EDGE + ox - oxb] right of it (at most k / 2
 * pixels each side). Worked out before the walk: a call inside it would
 * spill every vector register. */
#define PB_NHWC_EDGE 4
typedef struct {
    int64_t oxa, oxb;
    float inside, edge[2 * PB_NHWC_EDGE];
} nhwc_avg_scales;

static void nhwc_avg_row_scales(const pb_params *p, int k, int64_t row_taps, nhwc_avg_scales *s)
{
    const int64_t oxb = p->w + p->pw - (k - 1);
    s->oxa = p->pw < p->ow ? p->pw : p->ow;
    s->oxb = oxb < s->oxa ? s->oxa : oxb < p->ow ? oxb : p->ow;
    s->inside = 1.0f / (float)(row_taps * k);
    for (int64_t ox = 0; ox < s->oxa; ++ox)
        s->edge[ox] = 1.0f / nhwc_avg_divisor(p, row_taps, ox);
    for (int64_t ox = s->oxb; ox < p->ow; ++ox)
        s->edge[PB_NHWC_EDGE + ox - s->oxb] = 1.0f / nhwc_avg_divisor(p, row_taps, ox);
}

/* Output pixel ox of a stride-1 column walk (see nhwc_column_row), nb
 * vectors of channels: its last column into cols[k - 1], its k columns
 * reduced and stored, the columns shifted for ox + 1. Inside (a
 * compile-time flag) the column is in the input, at x, and an average's
 * scale is avg->inside: no bounds test, no index arithmetic, no scale lookup
 * in the walk's middle (64x16x16 3x3/s1 avg, in L1: 1.93 -> 1.71 us). */
PB_INLINE void nhwc_column_step(int op, int k, int nr, int nb, bool inside, int64_t ny, const pb_params *p,
                                const float *rows, const float *x, float *o, int64_t orow, int64_t n, int64_t ox,
                                const nhwc_avg_scales *avg, pb_vf scale_inside,
                                pb_vf cols[7][PB_NHWC_COLUMN_VECTORS][2], pb_vf *wit)
{
    for (int b = 0; b < nb; ++b) {
        pb_vf *const wb = wit ? wit + b : NULL;
        if (inside)
            pb_columns_s1_n(op, nr, ny, x + b * PB_VLEN, p->w * p->c, n, cols[k - 1][b], wb);
        else
            nhwc_columns_at(op, nr, ny, p, rows + b * PB_VLEN, ox - p->pw + k - 1, n, pb_vset1(pb_op_identity(op)),
                            cols[k - 1][b], wb);
    }
    const pb_vf scale = inside || op != PB_OP_SUM ? scale_inside
                                                  : pb_vset1(ox < avg->oxa   ? avg->edge[ox]
                                                             : ox < avg->oxb ? avg->inside
                                                                             : avg->edge[PB_NHWC_EDGE + ox - avg->oxb]);
    for (int r = 0; r < nr; ++r)
        for (int b = 0; b < nb; ++b) {
            pb_vf acc = cols[0][b][r];
            for (int t = 1; t < k; ++t)
                acc = pb_vop(op, acc, cols[t][b][r]);
            pb_vstore_n(o + r * orow + b * PB_VLEN, op == PB_OP_SUM ? acc * scale : acc, n);
        }
    for (int t = 0; t < k - 1; ++t)
        for (int b = 0; b < nb; ++b)
            for (int r = 0; r < nr; ++r)
                cols[t][b][r] = cols[t + 1][b][r];
}

/* The first n channels (see pb_vload_n; nb whole vectors when nb > 1) of
 * nr stride-1 k x k output rows (orow floats apart), output pixels
 * [ox0, ox1), as one column walk: rows holds the ny input rows of one output
 * row's windows (ny = ky when ky, a compile-time count, is not 0; two rows
 * take k + 1), and a column outside the input is the op's identity, so the
 * clipped windows at both ends and the rows of fewer than k taps at the top
 * and bottom take the same walk as the inside ones. An average is scaled by
 * avg (NULL for max/min). With wit, the loaded taps are added into *wit. */
PB_INLINE void nhwc_column_row(int op, int k, int nr, int nb, int64_t ky, int64_t ny, const pb_params *p,
                               const float *rows, float *o, int64_t orow, int64_t n, int64_t ox0, int64_t ox1,
                               const nhwc_avg_scales *avg, pb_vf *wit)
{
    if (k < 3 || k > 7 || nb < 1 || nb > PB_NHWC_COLUMN_VECTORS)
        __builtin_unreachable();
    ny = ky ? ky : ny;
    const int64_t C = p->c;
    const pb_vf none = pb_vset1(pb_op_identity(op)), scale_inside = pb_vset1(avg ? avg->inside : 1.0f);
    pb_vf cols[7][PB_NHWC_COLUMN_VECTORS][2];
    /* Several vectors of channels keep a witness each: one chain through
     * *wit would hold every step up for its adds. */
    pb_vf w[PB_NHWC_COLUMN_VECTORS];
    for (int b = 0; b < nb; ++b)
        w[b] = pb_vset1(0.0f);
    pb_vf *const ws = wit && nb > 1 ? w : wit;
    for (int t = 0; t < k - 1; ++t)
        for (int b = 0; b < nb; ++b)
            nhwc_columns_at(op, nr, ny, p, rows + b * PB_VLEN, ox0 - p->pw + t, n, none, cols[t][b],
                            ws ? ws + b : NULL);
    /* Output pixels [a, b) have their last column in the input and a whole
     * window: the walk's middle, in rows of k taps (ky given) of several
     * vectors. Other walks take the edge step throughout: one copy of the
     * step fewer to compile (the sanitizer build spent 111 s on the AVX-512
     * file with the middle in every walk, 52 before any, 73 now). */
    int64_t a = p->pw, b = p->w + p->pw - (k - 1);
    a = a < ox0 ? ox0 : a > ox1 ? ox1 : a;
    b = b < a ? a : b > ox1 ? ox1 : b;
    for (int64_t ox = ox0; ox < ox1; ++ox) {
        if (ky && nb > 1 && ox == a && a < b) {
            const float *x = rows + (ox - p->pw + k - 1) * C;
            for (float *out = o + ox * C; ox < b; ++ox, x += C, out += C)
                nhwc_column_step(op, k, nr, nb, true, ny, p, rows, x, out, orow, n, ox, avg, scale_inside, cols, ws);
            if (ox == ox1)
                break;
        }
        nhwc_column_step(op, k, nr, nb, false, ny, p, rows, NULL, o + ox * C, orow, n, ox, avg, scale_inside, cols,
                         ws);
    }
    for (int b = 0; b < nb && ws == w; ++b)
        *wit += w[b];
}

/* Channels [c, nc) of nr stride-1 k x k output rows (see nhwc_column_row;
 * two rows only where nhwc_row_pairs allows): PB_NHWC_COLUMN_VECTORS
 * vectors for a 3x3 with as many left, else one vector (fewer channels at
 * the end of C). Returns how many channels it did. The general window loop
 * took a quarter of the 7x7 time for its 6 edge columns and 6 edge rows in
 * 56, and a pair of rows loads k + 1 rows where two single rows load 2 k. */
PB_INLINE int64_t nhwc_column_pass(int op, int k, int nr, const pb_params *p, const float *rows, int64_t ny,
                                   const nhwc_avg_scales *avg, float *orow, int64_t c, int64_t nc, int64_t ox0,
                                   int64_t ox1, pb_vf *wit)
{
    const int64_t next = p->ow * p->c, wide = PB_NHWC_COLUMN_VECTORS * PB_VLEN;
    /* Not for the rows under the NaN rule (rare, and each copy costs compile time). */
    if (k == 3 && PB_NHWC_COLUMN_VECTORS > 1 && pb_op_no_nan(op) == op && c + wide <= nc && (nr == 2 || ny == k)) {
        const int nb = PB_NHWC_COLUMN_VECTORS;
        if (nr == 2)
            nhwc_column_row(op, k, 2, nb, k, k, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
        else
            nhwc_column_row(op, k, 1, nb, k, k, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
        return wide;
    }
    if (c + PB_VLEN > nc && nr == 2)
        nhwc_column_row(op, k, 2, 1, 0, k, p, rows + c, orow + c, next, nc - c, ox0, ox1, avg, wit);
    else if (c + PB_VLEN > nc)
        nhwc_column_row(op, k, 1, 1, 0, ny, p, rows + c, orow + c, next, nc - c, ox0, ox1, avg, wit);
    else if (nr == 2)
        nhwc_column_row(op, k, 2, 1, k, k, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
    else if (ny == k)
        nhwc_column_row(op, k, 1, 1, k, ny, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
    else
        nhwc_column_row(op, k, 1, 1, 0, ny, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
    return PB_VLEN;
}

/* Where output row oy's windows start (input row *y, *ny rows of them) and
 * how many rows an average divides by. */
static inline void nhwc_row_taps(const pb_params *p, int op, int64_t oy, int64_t *y, int64_t *ny, int64_t *row_taps)
{
    int64_t ty0, ty1, unused0, unused1;
    pb_window_taps(p, oy, 0, &ty0, &ty1, &unused0, &unused1);
    *y = oy * p->sh - p->ph + ty0 * p->dh, *ny = ty1 - ty0;
    *row_taps = op == PB_OP_SUM ? pb_avg_rows(p, oy) : 1;
}

/* nr stride-1 k x k output rows, the first nc channels of each pixel (see
 * nhwc_column_pass). */
PB_INLINE void nhwc_column_rows(int op, int k, int nr, const pb_params *p, const float *image, int64_t oy, float *orow,
                                int64_t nc, pb_vf *wit)
{
    int64_t y, ny, row_taps;
    nhwc_row_taps(p, op, oy, &y, &ny, &row_taps);
    nhwc_avg_scales scales;
    if (op == PB_OP_SUM)
        nhwc_avg_row_scales(p, k, row_taps, &scales);
    for (int64_t c = 0; c < nc;)
        c += nhwc_column_pass(op, k, nr, p, image + y * p->w * p->c, ny, op == PB_OP_SUM ? &scales : NULL, orow, c,
                              nc, 0, p->ow, wit);
}
#endif
