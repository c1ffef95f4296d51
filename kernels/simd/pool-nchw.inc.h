/* NCHW max/min/avg, vectorized along the output row: PB_VLEN neighbouring
 * outputs of one row are computed together, their taps loaded as shifted
 * vectors (stride 1), even lanes of two vectors (stride 2) or strided lanes
 * (other strides). Columns whose windows reach into the left or right padding
 * are peeled and done one by one, so the vector loop has no bounds checks.
 * Taps are visited in naive's order, so max/min and avg are bit-exact, except
 * global pooling's contiguous reduction (see nchw_contiguous). */
#include "poolbench/pool.h"
#include "vec.h"

/* Valid column taps [*t0, *t1) of output column ox. */
static inline void nchw_col_taps(const pb_params *p, int64_t ox, int64_t *t0, int64_t *t1)
{
    const int64_t x = ox * p->sw - p->pw, d = p->dw;
    int64_t lo = x < 0 ? (-x + d - 1) / d : 0;
    int64_t hi = x <= p->w - 1 ? (p->w - 1 - x) / d + 1 : 0;
    hi = hi < p->kw ? hi : p->kw;
    *t0 = lo, *t1 = hi > lo ? hi : lo;
}

/* One output, for the peeled border columns. */
static inline __attribute__((always_inline)) float nchw_one(int op, const pb_params *p, const float *plane,
                                                            int64_t y, int64_t ny, int64_t oy, int64_t ox)
{
    int64_t tx0, tx1;
    nchw_col_taps(p, ox, &tx0, &tx1);
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

/* How a block's taps are loaded: shifted vectors (stride 1), even lanes of two
 * vectors (stride 2), or lane by lane (any stride). */
enum { LOAD_SHIFTED, LOAD_EVEN, LOAD_STRIDED };

/* kw is a compile-time constant for the common windows (fully unrolled taps),
 * 0 for any other width (read from p). */
static inline __attribute__((always_inline)) pb_vf nchw_block_kw(int op, int load, int kw, const pb_params *p,
                                                                 const float *first, int64_t ny)
{
    const int64_t taps = kw ? kw : p->kw, row = p->dh * p->w, dw = p->dw;
    pb_vf acc = pb_vset1(pb_op_identity(op));
    for (int64_t ty = 0; ty < ny; ++ty) {
        const float *r = first + ty * row;
        for (int64_t tx = 0; tx < taps; ++tx) {
            const float *s = r + tx * dw;
            pb_vf v = load == LOAD_SHIFTED ? pb_vload(s) : load == LOAD_EVEN ? pb_vload_even(s)
                                                                               : pb_vload_strided(s, p->sw);
            acc = pb_vop(op, acc, v);
        }
    }
    return acc;
}

static inline __attribute__((always_inline)) pb_vf nchw_block(int op, int load, const pb_params *p,
                                                              const float *first, int64_t ny)
{
    switch (p->kw) {
    case 2: return nchw_block_kw(op, load, 2, p, first, ny);
    case 3: return nchw_block_kw(op, load, 3, p, first, ny);
    default: return nchw_block_kw(op, load, 0, p, first, ny);
    }
}

/* Output columns [oxa, oxb) of one row, all windows inside the row; the last
 * block overlaps the one before it rather than falling back to scalar code.
 * `fast` loads are used where they stay inside the row, strided ones elsewhere. */
static inline __attribute__((always_inline)) void nchw_interior(int op, int fast, const pb_params *p,
                                                                const float *rows, int64_t ny, float *orow,
                                                                int64_t oxa, int64_t oxb, pb_vf div)
{
    const int64_t sw = p->sw, span = (p->kw - 1) * p->dw;
    /* Floats a fast load reads past the block's last tap: stride 2 reads one more. */
    const int64_t over = fast == LOAD_EVEN ? 1 : 0;
    const int64_t row_end = p->w + p->pw; /* rows points pw before the row */
    for (int64_t ox = oxa;; ox += PB_VLEN) {
        if (ox + PB_VLEN > oxb)
            ox = oxb - PB_VLEN;
        const float *first = rows + ox * sw;
        const bool fits = (ox + PB_VLEN - 1) * sw + span + over < row_end;
        pb_vf acc = fits ? nchw_block(op, fast, p, first, ny) : nchw_block(op, LOAD_STRIDED, p, first, ny);
        pb_vstore(orow + ox, op == PB_OP_SUM ? acc / div : acc);
        if (ox + PB_VLEN >= oxb)
            break;
    }
}

/* A window covering whole rows of a plane (global pooling): one contiguous
 * run of floats per output, reduced with a vector accumulator. The sum order
 * differs from naive's here: avg stays within PB_SUM_RTOL. */
static inline __attribute__((always_inline)) float nchw_contiguous(int op, const float *s, int64_t n)
{
    pb_vf acc = pb_vset1(pb_op_identity(op));
    int64_t i = 0;
    for (; i + PB_VLEN <= n; i += PB_VLEN)
        acc = pb_vop(op, acc, pb_vload(s + i));
    float r = pb_op_identity(op);
    for (int l = 0; l < PB_VLEN; ++l)
        r = pb_sop(op, r, acc[l]);
    for (; i < n; ++i)
        r = pb_sop(op, r, s[i]);
    return r;
}

static inline __attribute__((always_inline)) void nchw_pool(int op, const pb_params *p, const float *in, float *out)
{
    const int64_t W = p->w, sw = p->sw, pw = p->pw, span = (p->kw - 1) * p->dw;
    if (p->oh == 1 && p->ow == 1 && p->kh == p->h && p->kw == W && p->ph == 0 && pw == 0 && p->dh == 1 &&
        p->dw == 1) {
        const float div = op == PB_OP_SUM ? (float)pb_avg_divisor(p, 0, 0) : 1.0f;
        for (int64_t i = 0; i < p->n * p->c; ++i) {
            float r = nchw_contiguous(op, in + i * p->h * W, p->h * W);
            out[i] = op == PB_OP_SUM ? r / div : r;
        }
        return;
    }
    /* Interior columns [oxa, oxb): every tap inside the row. */
    const int64_t oxa = (pw + sw - 1) / sw;
    int64_t oxb = W - 1 + pw - span >= 0 ? (W - 1 + pw - span) / sw + 1 : 0;
    oxb = oxb < p->ow ? oxb : p->ow;
    const bool vector_rows = oxb - oxa >= PB_VLEN;
    const int fast = sw == 1 ? LOAD_SHIFTED : sw == 2 ? LOAD_EVEN : LOAD_STRIDED;
    for (int64_t plane_i = 0; plane_i < p->n * p->c; ++plane_i) {
        const float *plane = in + plane_i * p->h * W;
        float *orow = out + plane_i * p->oh * p->ow;
        for (int64_t oy = 0; oy < p->oh; ++oy, orow += p->ow) {
            int64_t ty0, ty1, tx0, tx1;
            pb_window_taps(p, oy, oxa < p->ow ? oxa : 0, &ty0, &ty1, &tx0, &tx1);
            const int64_t y = oy * p->sh - p->ph + ty0 * p->dh, ny = ty1 - ty0;
            if (!vector_rows) {
                for (int64_t ox = 0; ox < p->ow; ++ox)
                    orow[ox] = nchw_one(op, p, plane, y, ny, oy, ox);
                continue;
            }
            for (int64_t ox = 0; ox < oxa; ++ox)
                orow[ox] = nchw_one(op, p, plane, y, ny, oy, ox);
            const int64_t d = op == PB_OP_SUM ? pb_avg_divisor(p, oy, oxa) : 1;
            const pb_vf div = pb_vset1((float)(d > 0 ? d : 1));
            const float *rows = plane + y * W - pw;
            if (fast == LOAD_SHIFTED)
                nchw_interior(op, LOAD_SHIFTED, p, rows, ny, orow, oxa, oxb, div);
            else if (fast == LOAD_EVEN)
                nchw_interior(op, LOAD_EVEN, p, rows, ny, orow, oxa, oxb, div);
            else
                nchw_interior(op, LOAD_STRIDED, p, rows, ny, orow, oxa, oxb, div);
            for (int64_t ox = oxb; ox < p->ow; ++ox)
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
