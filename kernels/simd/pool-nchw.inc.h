/* NCHW max/min/avg, vectorized along the output row: PB_VLEN neighbouring
 * outputs of one row are computed together, their taps loaded as shifted
 * vectors (stride 1), even lanes of two vectors (stride 2) or strided lanes
 * (other strides). Columns whose windows reach into the left or right padding
 * are peeled and done one by one, so the vector loop has no bounds checks.
 * Taps are visited in naive's order: max/min and avg are bit-exact. */
#include "poolbench/pool.h"
#include "vec.h"

/* One output from the plane, for the peeled border columns. */
static inline __attribute__((always_inline)) float nchw_one(int op, const pb_params *p, const float *plane,
                                                            int64_t y, int64_t ny, int64_t oy, int64_t ox)
{
    int64_t ty0, ty1, tx0, tx1;
    pb_window_taps(p, oy, ox, &ty0, &ty1, &tx0, &tx1);
    const int64_t x = ox * p->sw - p->pw;
    float acc = pb_op_identity(op);
    for (int64_t ty = 0; ty < ny; ++ty)
        for (int64_t tx = tx0; tx < tx1; ++tx)
            acc = pb_sop(op, acc, plane[(y + ty * p->dh) * p->w + x + tx * p->dw]);
    if (op != PB_OP_SUM)
        return acc;
    /* An empty window (possible with dilation) sums to 0; PyTorch outputs 0. */
    int64_t d = pb_avg_divisor(p, oy, ox);
    return acc / (float)(d > 0 ? d : 1);
}

static inline __attribute__((always_inline)) pb_vf nchw_taps(int op, const pb_params *p, const float *first,
                                                             int64_t ny)
{
    pb_vf acc = pb_vset1(pb_op_identity(op));
    for (int64_t ty = 0; ty < ny; ++ty) {
        const float *r = first + ty * p->dh * p->w;
        for (int64_t tx = 0; tx < p->kw; ++tx) {
            const float *s = r + tx * p->dw;
            pb_vf v = p->sw == 1 ? pb_vload(s) : p->sw == 2 ? pb_vload_even(s) : pb_vload_strided(s, p->sw);
            acc = pb_vop(op, acc, v);
        }
    }
    return acc;
}

static inline __attribute__((always_inline)) void nchw_pool(int op, const pb_params *p, const float *in, float *out)
{
    const int64_t W = p->w, sw = p->sw, pw = p->pw, span = (p->kw - 1) * p->dw;
    /* Interior columns [oxa, oxb): every tap inside the row. */
    const int64_t oxa = (pw + sw - 1) / sw;
    int64_t oxb = W - 1 + pw - span >= 0 ? (W - 1 + pw - span) / sw + 1 : 0;
    oxb = oxb < p->ow ? oxb : p->ow;
    /* A vector block may start at ox only if its last load stays in the row:
     * stride 2 loads 2*PB_VLEN floats, strided loads exactly what they use. */
    const int64_t load_end = sw == 2 ? 2 * PB_VLEN : sw * (PB_VLEN - 1) + 1;
    for (int64_t plane_i = 0; plane_i < p->n * p->c; ++plane_i) {
        const float *plane = in + plane_i * p->h * W;
        float *orow = out + plane_i * p->oh * p->ow;
        for (int64_t oy = 0; oy < p->oh; ++oy, orow += p->ow) {
            int64_t ty0, ty1, tx0, tx1;
            pb_window_taps(p, oy, 0, &ty0, &ty1, &tx0, &tx1);
            const int64_t y = oy * p->sh - p->ph + ty0 * p->dh, ny = ty1 - ty0;
            const int64_t left_end = oxa < p->ow ? oxa : p->ow;
            int64_t ox = 0;
            for (; ox < left_end; ++ox)
                orow[ox] = nchw_one(op, p, plane, y, ny, oy, ox);
            if (ox < oxb) {
                int64_t d = op == PB_OP_SUM ? pb_avg_divisor(p, oy, ox) : 1;
                const pb_vf div = pb_vset1((float)(d > 0 ? d : 1));
                for (; ox + PB_VLEN <= oxb && ox * sw + load_end - pw <= W; ox += PB_VLEN) {
                    pb_vf acc = nchw_taps(op, p, plane + y * W + ox * sw - pw, ny);
                    pb_vstore(orow + ox, op == PB_OP_SUM ? acc / div : acc);
                }
            }
            for (; ox < p->ow; ++ox)
                orow[ox] = nchw_one(op, p, plane, y, ny, oy, ox);
        }
    }
}

static void nchw_entry(const pb_params *p, const float *in, float *out)
{
    switch (pb_mode_op(p->mode)) {
    case PB_OP_MAX: nchw_pool(PB_OP_MAX, p, in, out); break;
    case PB_OP_MIN: nchw_pool(PB_OP_MIN, p, in, out); break;
    default: nchw_pool(PB_OP_SUM, p, in, out); break;
    }
}
