/* NCHW max/min over planes whose output rows are at most a vector (VGG's
 * pool4 and pool5, AlexNet's 27x27 and 13x13), 2x2 and 3x3 windows at
 * stride 2 lying inside the input. An output row's window rows are reduced,
 * in registers, into 2 ow <= 2 PB_VLEN floats a[x]: op of the window rows at
 * column x (2x2), or at columns x and x + 1 (3x3); output ox is then
 * op(a[2 ox], a[2 ox + 1]), one even/odd step. The tiles would pay a
 * transpose of every float both ways; the row kernels a second vector of
 * columns that is mostly past the row. A row's store runs on past ow into the
 * rows after it, which are written later; only the stores that would leave
 * the plane are masked (AVX2's masked store is slow on Zen). Order differs
 * from naive's only for NaN: a plane returns false when its witness saw one,
 * and the caller redoes it. */
#include "poolbench/pool.h"
#include "pool-nchw-2x2s2.inc.h"
#include "vec.h"

/* Window k x k at stride 2 (k = 2 or 3) inside the input, rows of at most a vector of outputs. */
static inline bool nchw_short_rows_inside(const pb_params *p, int64_t k)
{
    return nchw_is_s2_inside(p, k) && p->ow <= PB_VLEN;
}

/* a[x .. x + m) for the window rows from r, W floats apart. */
static inline __attribute__((always_inline)) pb_vf nchw_short_columns(int op, int k, const float *r, int64_t W,
                                                                      int64_t m, pb_nan_seen *wit)
{
    const pb_vf a = pb_vload_first(r, m), b = pb_vload_first(r + W, m);
    *wit = pb_see_nan(*wit, a, b);
    pb_vf v = pb_vop(op, a, b);
    if (k == 3) {
        /* Columns x + 1 on: the window's third column, the next window's first. */
        const pb_vf c = pb_vload_first(r + 2 * W, m), a1 = pb_vload_first(r + 1, m);
        const pb_vf b1 = pb_vload_first(r + W + 1, m), c1 = pb_vload_first(r + 2 * W + 1, m);
        *wit = pb_see_nan(pb_see_nan(*wit, c, a1), b1, c1);
        v = pb_vop(op, pb_vop(op, v, c), pb_vop(op, pb_vop(op, a1, b1), c1));
    }
    return v;
}

/* One plane, k x k windows at stride 2 (k = 2 or 3), with the NaN-free op. */
static inline __attribute__((always_inline)) bool nchw_short_rows_plane(int op, int k, const pb_params *p,
                                                                        const float *in, float *out)
{
    const int64_t W = p->w, ow = p->ow, span = 2 * ow;
    const int64_t m0 = span < PB_VLEN ? span : PB_VLEN, m1 = span - m0;
    pb_nan_seen wit = {0};
    for (int64_t oy = 0; oy < p->oh; ++oy) {
        const float *r = in + 2 * oy * W;
        const pb_vf a0 = nchw_short_columns(op, k, r, W, m0, &wit);
        const pb_vf a1 = m1 > 0 ? nchw_short_columns(op, k, r + PB_VLEN, W, m1, &wit) : a0;
        const pb_vf res = pb_vop(op, pb_veven(a0, a1), pb_vodd(a0, a1));
        if (oy * ow + PB_VLEN <= p->oh * ow)
            pb_vstore(out + oy * ow, res);
        else
            pb_vstore_first(out + oy * ow, res, ow);
    }
    return !pb_saw_nan(wit);
}
