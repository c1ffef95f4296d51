/* NCHW 3x3 max/min windows at stride 2, undilated, any padding and
 * ceil_mode (ResNet's stem, GoogLeNet, AlexNet): vectorized along the output
 * row, no tiles, no transposes, no padded copy. Max and min are idempotent,
 * and that buys what naive's order cannot:
 *  - a row or column outside the input is replaced by the nearest one
 *    inside, which every window reaching out holds too (clamping): padding
 *    costs no identity fill and no branch per element, and the few column
 *    vectors that leave the row are loaded inside it and permuted;
 *  - each column vector reduces the window's three rows first (v), then
 *    m[j] = op(v[j], v[j + 1]) and output i = op(m[2i], m[2i + 1]): two
 *    column vectors, an align and two permutes per PB_VLEN outputs, where
 *    taking the nine taps one by one costs six even/odd permutes and the tiles
 *    a transpose of every float both ways;
 *  - a row's last column vector is the next block's first.
 * Only the result's NaN depends on the order: the planes run NaN-free with a
 * witness (every loaded vector added into it), and a plane whose witness is
 * NaN is redone with the NaN rule by the caller. */
#include "poolbench/pool.h"
#include "vec.h"

/* Column vectors leaving the row: the first (left padding), and up to four
 * past the last whole one (the last block's and, with ceil_mode, beyond). */
#define NCHW_3X3S2_EDGES 5

typedef struct {
    int64_t pw;                      /* column vector k starts at input column k * PB_VLEN - pw */
    int64_t inner_first, inner_end;  /* column vectors k in [inner_first, inner_end) lie inside the row */
    int64_t base[NCHW_3X3S2_EDGES];  /* the others load at base and permute by lanes */
    pb_vi lanes[NCHW_3X3S2_EDGES];
} nchw_3x3s2_plan;

/* The plan of every row, false when the case is not this kernel's: rows
 * shorter than a vector of outputs would waste lanes (the tiles fill them). */
static inline bool nchw_3x3s2_plan_make(int op, const pb_params *p, nchw_3x3s2_plan *q)
{
    if (op == PB_OP_SUM || p->kh != 3 || p->kw != 3 || p->sh != 2 || p->sw != 2 || p->dh != 1 || p->dw != 1 ||
        p->ow < PB_VLEN)
        return false;
    const int64_t W = p->w, cols = 2 * ((p->ow + PB_VLEN - 1) / PB_VLEN) + 1;
    const int64_t whole = (W - PB_VLEN + p->pw) / PB_VLEN + 1;
    q->pw = p->pw;
    q->inner_first = p->pw > 0;
    q->inner_end = whole < cols ? whole : cols;
    if (q->inner_first + cols - q->inner_end > NCHW_3X3S2_EDGES)
        return false;
    int e = 0;
    for (int64_t k = 0; k < cols; ++k) {
        if (k >= q->inner_first && k < q->inner_end)
            continue;
        const int64_t c = k * PB_VLEN - p->pw;
        q->base[e] = c < 0 ? 0 : c > W - PB_VLEN ? W - PB_VLEN : c;
        for (int l = 0; l < PB_VLEN; ++l) {
            const int64_t x = c + l;
            q->lanes[e][l] = (int32_t)((x < 0 ? 0 : x > W - 1 ? W - 1 : x) - q->base[e]);
        }
        ++e;
    }
    return true;
}

/* The window rows r[0..3) reduced at input column `at`: PB_VLEN columns.
 * The witness sees rows 0 and 1, and row 2 only in the plane's last output
 * row: every other row 2 is the next output row's row 0. */
static inline __attribute__((always_inline)) pb_vf nchw_3x3s2_rows(int op, bool last, const float *const r[3],
                                                                   int64_t at, pb_nan_seen *wit)
{
    const pb_vf a = pb_vload(r[0] + at), b = pb_vload(r[1] + at), d = pb_vload(r[2] + at);
    *wit = pb_see_nan(*wit, a, b);
    if (last)
        *wit = pb_see_nan(*wit, d, d);
    return pb_vop(op, pb_vop(op, a, b), d);
}

/* Column vector k of the row, the permuted one where it leaves the row. */
static inline __attribute__((always_inline)) pb_vf nchw_3x3s2_col(int op, bool last, const nchw_3x3s2_plan *q,
                                                                  const float *const r[3], int64_t k,
                                                                  pb_nan_seen *wit)
{
    if (k >= q->inner_first && k < q->inner_end)
        return nchw_3x3s2_rows(op, last, r, k * PB_VLEN - q->pw, wit);
    const int64_t e = k < q->inner_first ? k : q->inner_first + k - q->inner_end;
    return pb_vpermute(nchw_3x3s2_rows(op, last, r, q->base[e], wit), q->lanes[e]);
}

/* PB_VLEN outputs from the column vectors of their 2 * PB_VLEN + 1 input columns. */
static inline __attribute__((always_inline)) pb_vf nchw_3x3s2_block(int op, pb_vf v0, pb_vf v1, pb_vf v2)
{
    const pb_vf lo = pb_vop(op, v0, pb_vnext(v0, v1)), hi = pb_vop(op, v1, pb_vnext(v1, v2));
    return pb_vop(op, pb_veven(lo, hi), pb_vodd(lo, hi));
}

/* Blocks whose columns lie inside the row first, without the edge tests. */
static inline __attribute__((always_inline)) void nchw_3x3s2_row(int op, bool last, const nchw_3x3s2_plan *q,
                                                                 const float *const r[3], float *o, int64_t ow,
                                                                 pb_nan_seen *wit)
{
    pb_vf v0 = nchw_3x3s2_col(op, last, q, r, 0, wit);
    int64_t ox = 0, k = 1;
    for (; k + 1 < q->inner_end && ox + PB_VLEN <= ow; ox += PB_VLEN, k += 2) {
        const int64_t at = k * PB_VLEN - q->pw;
        const pb_vf v1 = nchw_3x3s2_rows(op, last, r, at, wit);
        const pb_vf v2 = nchw_3x3s2_rows(op, last, r, at + PB_VLEN, wit);
        pb_vstore(o + ox, nchw_3x3s2_block(op, v0, v1, v2));
        v0 = v2;
    }
    for (; ox < ow; ox += PB_VLEN, k += 2) {
        const pb_vf v1 = nchw_3x3s2_col(op, last, q, r, k, wit), v2 = nchw_3x3s2_col(op, last, q, r, k + 1, wit);
        const pb_vf res = nchw_3x3s2_block(op, v0, v1, v2);
        if (ox + PB_VLEN <= ow)
            pb_vstore(o + ox, res);
        else
            pb_vstore_first(o + ox, res, ow - ox);
        v0 = v2;
    }
}

/* One plane with the NaN-free op; false when the plane may hold a NaN. */
static inline __attribute__((always_inline)) bool nchw_3x3s2_plane(int op, const pb_params *p,
                                                                   const nchw_3x3s2_plan *q, const float *in,
                                                                   float *out)
{
    pb_nan_seen wit = {0};
    for (int64_t oy = 0; oy < p->oh; ++oy) {
        const float *r[3];
        for (int t = 0; t < 3; ++t) {
            const int64_t y = 2 * oy - p->ph + t;
            r[t] = in + (y < 0 ? 0 : y > p->h - 1 ? p->h - 1 : y) * p->w;
        }
        if (oy + 1 < p->oh)
            nchw_3x3s2_row(op, false, q, r, out + oy * p->ow, p->ow, &wit);
        else
            nchw_3x3s2_row(op, true, q, r, out + oy * p->ow, p->ow, &wit);
    }
    return !pb_saw_nan(wit);
}
