/* Max/min windows that share columns, over pixels of PB_VLEN channels (NHWC,
 * and the NCHW tiles' blocked pixels): each column's k rows are reduced once
 * and the windows take their columns from registers. Any order gives the
 * same max or min, and NaN wins in any order under the NaN rule, so this is
 * bit-exact with naive's order. */
#ifndef POOLBENCH_SIMD_POOL_COLUMNS_INC_H
#define POOLBENCH_SIMD_POOL_COLUMNS_INC_H
#include "vec.h"

/* Whether pb_column_pixels serves k x k windows at stride sw. */
static inline bool pb_columns_apply(int op, int k, int64_t sw)
{
    return op != PB_OP_SUM && k >= 3 && (sw == 1 || (k == 3 && sw == 2));
}

/* The first n lanes at x (n = PB_VLEN, a constant, for a whole vector). */
PB_INLINE pb_vf pb_vload_n(const float *x, int64_t n)
{
    return n == PB_VLEN ? pb_vload(x) : pb_vload_first(x, n);
}

PB_INLINE void pb_vstore_n(float *x, pb_vf v, int64_t n)
{
    if (n == PB_VLEN)
        pb_vstore(x, v);
    else
        pb_vstore_first(x, v, n);
}

/* The k rows of one column of windows reduced, for the first n channels of a
 * vector (k >= 1, n as in pb_vload_n). */
PB_INLINE pb_vf pb_column_n(int op, int64_t k, const float *x, int64_t row, int64_t n, pb_vf *wit)
{
    pb_vf v = pb_vload_n(x, n), acc = v, sum = v;
    for (int64_t t = 1; t < k; ++t) {
        v = pb_vload_n(x + t * row, n);
        acc = pb_vop(op, acc, v);
        sum += v;
    }
    if (wit)
        *wit += sum;
    return acc;
}

PB_INLINE pb_vf pb_column(int op, int k, const float *x, int64_t row, pb_vf *wit)
{
    return pb_column_n(op, k, x, row, PB_VLEN, wit);
}

/* One column of nr (1 or 2) stride-1 output rows' k-row windows into col:
 * rows 0 to k - 1 from x, and for two, also rows 1 to k, the k - 1 rows they
 * share reduced once (k + 1 loads for two rows where one at a time takes 2 k). */
PB_INLINE void pb_columns_s1_n(int op, int nr, int64_t k, const float *x, int64_t row, int64_t n, pb_vf *col,
                               pb_vf *wit)
{
    if (nr == 1) {
        col[0] = pb_column_n(op, k, x, row, n, wit);
        return;
    }
    const pb_vf top = pb_vload_n(x, n), bottom = pb_vload_n(x + k * row, n);
    /* The column's taps summed apart, then one add into *wit: a walk's
     * witness chain is an add a step long. */
    pb_vf taps = top + bottom;
    const pb_vf shared = pb_column_n(op, k - 1, x + row, row, n, wit ? &taps : NULL);
    col[0] = pb_vop(op, top, shared), col[1] = pb_vop(op, shared, bottom);
    if (wit)
        *wit += taps;
}

/* Most output rows and channel vectors pb_column_pixels takes at once. */
#define PB_COLUMN_ROWS_MAX 2
#define PB_COLUMN_VECTORS_MAX 4

/* The 3-row columns at x of nr output rows of 3x3/s2 windows, into col:
 * input rows 2r to 2r + 2 for output row r, each loaded once. */
PB_INLINE void pb_columns_3s2(int op, int nr, const float *x, int64_t row, pb_vf *col, pb_vf *wit)
{
    pb_vf top = pb_vload(x), sum = top;
    for (int r = 0; r < nr; ++r) {
        const pb_vf mid = pb_vload(x + (2 * r + 1) * row), bottom = pb_vload(x + (2 * r + 2) * row);
        col[r] = pb_vop(op, pb_vop(op, top, mid), bottom);
        sum += mid;
        sum += bottom;
        top = bottom;
    }
    if (wit)
        *wit += sum;
}

/* k x k max/min windows at stride 1 (k = 3, 5, 7) or 3x3 at stride 2: count
 * output pixels, input pixels C floats apart and rows `row` apart, of nr
 * output rows (compile-time; orow floats apart, rows one stride apart).
 * Stride 1 takes one vector of channels; 3x3/s2 takes nb vectors of
 * channels (compile-time), pixel after pixel, so the input is read in runs of nb
 * vectors with the row shared by neighbouring output rows loaded once (on
 * the Zen 4 VM, two rows of four vectors: NHWC stem 64.5 -> 58.7 us against
 * one row of one vector). Neighbouring windows share columns
 * (k - 1 at stride 1, one at 3x3/s2), so each column's k rows are reduced
 * once. Per output pixel, stride 1 takes k loads and 2 (k - 1) operations
 * and 3x3/s2 six and six or fewer, where the taps take k * k and k * k - 1.
 * With stream, the outputs are written with streaming stores (aligned). */
PB_INLINE void pb_column_pixels(int op, int k, int64_t sw, int nb, int nr, const float *win, int64_t row, int64_t C,
                                float *o, int64_t orow, int64_t count, pb_vf *wit, bool stream)
{
    if (sw == 2) {
        pb_vf first[PB_COLUMN_VECTORS_MAX][PB_COLUMN_ROWS_MAX];
        for (int b = 0; b < nb; ++b)
            pb_columns_3s2(op, nr, win + b * PB_VLEN, row, first[b], wit);
        for (int64_t i = 0; i < count; ++i)
            for (int b = 0; b < nb; ++b) {
                const float *x = win + (2 * i + 1) * C + b * PB_VLEN;
                pb_vf mid[PB_COLUMN_ROWS_MAX], last[PB_COLUMN_ROWS_MAX];
                pb_columns_3s2(op, nr, x, row, mid, wit);
                pb_columns_3s2(op, nr, x + C, row, last, wit);
                for (int r = 0; r < nr; ++r) {
                    pb_vput(o + r * orow + i * C + b * PB_VLEN, pb_vop(op, pb_vop(op, first[b][r], mid[r]), last[r]),
                            stream);
                    first[b][r] = last[r];
                }
            }
        return;
    }
    /* Callers check pb_columns_apply; saying so here keeps the compiler from
     * warning about cols[k - 1] in the k = 0 copies it cannot see are dead. */
    if (k < 3 || k > 7)
        __builtin_unreachable();
    pb_vf cols[7][PB_COLUMN_ROWS_MAX];
    for (int t = 0; t < k - 1; ++t)
        pb_columns_s1_n(op, nr, k, win + t * C, row, PB_VLEN, cols[t], wit);
    for (int64_t i = 0; i < count; ++i) {
        pb_columns_s1_n(op, nr, k, win + (i + k - 1) * C, row, PB_VLEN, cols[k - 1], wit);
        for (int r = 0; r < nr; ++r) {
            pb_vf acc = cols[0][r];
            for (int t = 1; t < k; ++t)
                acc = pb_vop(op, acc, cols[t][r]);
            pb_vput(o + r * orow + i * C, acc, stream);
        }
        for (int t = 0; t < k - 1; ++t)
            for (int r = 0; r < nr; ++r)
                cols[t][r] = cols[t + 1][r];
    }
}
#endif
