/* NCHW 2x2/s2 max/min over planes whose output rows are at most a vector
 * (VGG's pool4 and pool5), every window inside the input. An output row's
 * two window rows are reduced, in registers, into 2 ow <= 2 PB_VLEN floats
 * a[x]; output ox is then op(a[2 ox], a[2 ox + 1]), one even/odd step. The
 * tiles would pay a transpose of every float both ways; the row kernel a
 * second vector of columns that is mostly past the row. A row's store runs
 * on past ow into the rows after it, which are written later; only the
 * stores that would leave the plane are masked (AVX2's masked store is slow
 * on Zen). Order differs from naive's only for NaN: a plane returns false
 * when its witness saw one, and the caller redoes it. */
#include "poolbench/pool.h"
#include "pool-nchw-2x2s2.inc.h"
#include "vec.h"

/* Windows 2x2 at stride 2 inside the input, rows of at most a vector of outputs. */
static inline bool nchw_short_rows_inside(const pb_params *p)
{
    return nchw_is_s2_inside(p, 2) && p->ow <= PB_VLEN;
}

/* a[x .. x + m) for the window rows from r, W floats apart. */
static inline __attribute__((always_inline)) pb_vf nchw_short_columns(int op, const float *r, int64_t W, int64_t m,
                                                                      pb_nan_seen *wit)
{
    const pb_vf a = pb_vload_first(r, m), b = pb_vload_first(r + W, m);
    *wit = pb_see_nan(*wit, a, b);
    return pb_vop(op, a, b);
}

/* One plane with the NaN-free op. Rows of at most half a vector of outputs
 * go in pairs, side by side in one vector: half the permutes and stores. */
static inline __attribute__((always_inline)) bool nchw_short_rows_plane(int op, const pb_params *p, const float *in,
                                                                        float *out)
{
    const int64_t W = p->w, ow = p->ow, span = 2 * ow, out_plane = p->oh * ow;
    const int64_t m0 = span < PB_VLEN ? span : PB_VLEN, m1 = span - m0;
    pb_nan_seen wit = {0};
    int64_t oy = 0;
    if (span <= PB_VLEN) {
        const pb_vi even = pb_even_lanes_of_two(ow), odd = even + 1;
        for (; oy + 2 <= p->oh; oy += 2) {
            const pb_vf a = nchw_short_columns(op, in + 2 * oy * W, W, span, &wit);
            const pb_vf b = nchw_short_columns(op, in + (2 * oy + 2) * W, W, span, &wit);
            const pb_vf res = pb_vop(op, pb_vpermute2(a, b, even), pb_vpermute2(a, b, odd));
            if (oy * ow + PB_VLEN <= out_plane)
                pb_vstore(out + oy * ow, res);
            else
                pb_vstore_first(out + oy * ow, res, span);
        }
    }
    for (; oy < p->oh; ++oy) {
        const float *r = in + 2 * oy * W;
        const pb_vf a0 = nchw_short_columns(op, r, W, m0, &wit);
        const pb_vf a1 = m1 > 0 ? nchw_short_columns(op, r + PB_VLEN, W, m1, &wit) : a0;
        const pb_vf res = pb_vop(op, pb_veven(a0, a1), pb_vodd(a0, a1));
        if (oy * ow + PB_VLEN <= out_plane)
            pb_vstore(out + oy * ow, res);
        else
            pb_vstore_first(out + oy * ow, res, ow);
    }
    return !pb_saw_nan(wit);
}
