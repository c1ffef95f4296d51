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

/* The k rows of one column of windows reduced, for a vector of channels. */
static inline __attribute__((always_inline)) pb_vf pb_column(int op, int k, const float *x, int64_t row, pb_vf *wit)
{
    pb_vf v = pb_vload(x), acc = v, sum = v;
    for (int t = 1; t < k; ++t) {
        v = pb_vload(x + t * row);
        acc = pb_vop(op, acc, v);
        sum += v;
    }
    if (wit)
        *wit += sum;
    return acc;
}

/* k x k max/min windows at stride 1 (k = 3, 5, 7) or 3x3 at stride 2: count
 * output pixels of one vector of channels, input pixels C floats apart and
 * rows `row` apart. Neighbouring windows share columns (k - 1 at stride 1,
 * one at 3x3/s2), so each column's k rows are reduced once. Per output pixel,
 * stride 1 takes k loads and 2 (k - 1) operations and 3x3/s2 six and six,
 * where the taps take k * k and k * k - 1. */
static inline __attribute__((always_inline)) void pb_column_pixels(int op, int k, int64_t sw, const float *win,
                                                                   int64_t row, int64_t C, float *o, int64_t count,
                                                                   pb_vf *wit)
{
    if (sw == 2) {
        pb_vf first = pb_column(op, 3, win, row, wit);
        for (int64_t i = 0; i < count; ++i) {
            const float *x = win + (2 * i + 1) * C;
            const pb_vf mid = pb_column(op, 3, x, row, wit), last = pb_column(op, 3, x + C, row, wit);
            pb_vstore(o + i * C, pb_vop(op, pb_vop(op, first, mid), last));
            first = last;
        }
        return;
    }
    pb_vf cols[7];
    for (int t = 0; t < k - 1; ++t)
        cols[t] = pb_column(op, k, win + t * C, row, wit);
    for (int64_t i = 0; i < count; ++i) {
        cols[k - 1] = pb_column(op, k, win + (i + k - 1) * C, row, wit);
        pb_vf acc = cols[0];
        for (int t = 1; t < k; ++t)
            acc = pb_vop(op, acc, cols[t]);
        pb_vstore(o + i * C, acc);
        for (int t = 0; t < k - 1; ++t)
            cols[t] = cols[t + 1];
    }
}
#endif
