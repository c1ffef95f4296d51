/* NHWC 3x3/s2 max/min over pixels wider than a register block: the column a
 * window shares with the next kept in L1. */
#ifndef POOLBENCH_SIMD_POOL_NHWC_3X3S2_INC_H
#define POOLBENCH_SIMD_POOL_NHWC_3X3S2_INC_H
#include "pool-columns.inc.h"
#include "pool-nhwc-block.inc.h"
#include "vec.h"

/* Channels the 3x3/s2 walk keeps shared columns of, at most, per chunk. */
#define PB_NHWC_SHARED_MAX 1024

/* count output pixels of nr 3x3/s2 output rows, channels [c0, c1) (whole
 * vectors, at most PB_NHWC_SHARED_MAX), pixel after pixel: each pixel's
 * channels in one run, nb vectors at a time, the column a window shares with
 * the next one kept in shared (in L1) rather than in registers. Walking nb
 * vectors of channels along the whole row, then the next nb, read each row
 * in 256-byte pieces a pixel apart (A/B on the Zen 5 VM, AVX-512:
 * 192x27x27 7.5 -> 5.0 us, 128x56x56 31.6 -> 24.3, GoogLeNet 192x56x56
 * 38.0 -> 34.9). */
PB_INLINE void nhwc_3s2_pixels(int op, int nr, const float *win, int64_t row, int64_t C, int64_t c0, int64_t c1,
                               float *o, int64_t orow, int64_t count, pb_vf *wit, bool stream)
{
    float shared[PB_COLUMN_ROWS_MAX][PB_NHWC_SHARED_MAX] __attribute__((aligned(64)));
    const int nb = PB_NHWC_COLUMN_VECTORS;
    for (int64_t c = c0; c < c1; c += PB_VLEN) {
        pb_vf first[PB_COLUMN_ROWS_MAX];
        pb_columns_3s2(op, nr, win + c, row, first, wit);
        for (int r = 0; r < nr; ++r)
            pb_vstore(shared[r] + c - c0, first[r]);
    }
    for (int64_t i = 0; i < count; ++i)
        for (int64_t c = c0; c < c1;) {
            const int vectors = c + nb * PB_VLEN <= c1 ? nb : 1;
            for (int b = 0; b < vectors; ++b, c += PB_VLEN) {
                const float *x = win + (2 * i + 1) * C + c;
                pb_vf mid[PB_COLUMN_ROWS_MAX], last[PB_COLUMN_ROWS_MAX];
                pb_columns_3s2(op, nr, x, row, mid, wit);
                pb_columns_3s2(op, nr, x + C, row, last, wit);
                for (int r = 0; r < nr; ++r) {
                    float *f = shared[r] + c - c0;
                    pb_vput(o + r * orow + i * C + c, pb_vop(op, pb_vop(op, pb_vload(f), mid[r]), last[r]), stream);
                    pb_vstore(f, last[r]);
                }
            }
        }
}
#endif
