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
 *    column vectors, two aligns and two permutes per PB_VLEN outputs, where
 *    taking the nine taps one by one costs six even/odd permutes and the tiles
 *    a transpose of every float both ways;
 *  - a row's last column vector is the next block's first.
 * Only the result's NaN depends on the order: the planes run NaN-free with a
 * witness (loaded vectors compared unordered in pairs), and a plane whose
 * witness saw a NaN is redone with the NaN rule by the caller. */
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

/* Output rows computed together (nr of them, 1 or 2): row 2 of one is row 0
 * of the next, so two rows load five input rows, not six, and pay the row's
 * edges and loop set-up once: 8-10% on the stem and GoogLeNet with AVX-512.
 * With AVX2's 16 registers, two rows spill (GoogLeNet 93 -> 99 us). */
#if defined(__AVX512F__)
#define NCHW_3X3S2_ROWS 2
#else
#define NCHW_3X3S2_ROWS 1
#endif

/* The window rows r[0..2 nr] of nr output rows reduced at input column
 * `at`, PB_VLEN columns into v[i] for output row i. The witness sees rows 0
 * to 2 nr - 1, and row 2 nr only in the plane's last output row: every other
 * row 2 nr is the next output rows' row 0. */
static inline __attribute__((always_inline)) void nchw_3x3s2_rows(int op, int nr, bool last,
                                                                  const float *const r[2 * NCHW_3X3S2_ROWS + 1],
                                                                  int64_t at, pb_nan_seen *wit, pb_vf v[])
{
    pb_vf x[2 * NCHW_3X3S2_ROWS + 1];
    for (int t = 0; t <= 2 * nr; ++t)
        x[t] = pb_vload(r[t] + at);
    for (int i = 0; i < nr; ++i) {
        *wit = pb_see_nan(*wit, x[2 * i], x[2 * i + 1]);
        v[i] = pb_vop(op, pb_vop(op, x[2 * i], x[2 * i + 1]), x[2 * i + 2]);
    }
    if (last)
        *wit = pb_see_nan(*wit, x[2 * nr], x[2 * nr]);
}

/* Column vector k of the rows, the permuted one where it leaves the row. */
static inline __attribute__((always_inline)) void nchw_3x3s2_col(int op, int nr, bool last,
                                                                 const nchw_3x3s2_plan *q,
                                                                 const float *const r[2 * NCHW_3X3S2_ROWS + 1],
                                                                 int64_t k, pb_nan_seen *wit, pb_vf v[])
{
    if (k >= q->inner_first && k < q->inner_end) {
        nchw_3x3s2_rows(op, nr, last, r, k * PB_VLEN - q->pw, wit, v);
        return;
    }
    const int64_t e = k < q->inner_first ? k : q->inner_first + k - q->inner_end;
    nchw_3x3s2_rows(op, nr, last, r, q->base[e], wit, v);
    for (int i = 0; i < nr; ++i)
        v[i] = pb_vpermute(v[i], q->lanes[e]);
}

/* PB_VLEN outputs from the column vectors of their 2 * PB_VLEN + 1 input columns. */
static inline __attribute__((always_inline)) pb_vf nchw_3x3s2_block(int op, pb_vf v0, pb_vf v1, pb_vf v2)
{
    const pb_vf lo = pb_vop(op, v0, pb_vnext(v0, v1)), hi = pb_vop(op, v1, pb_vnext(v1, v2));
    return pb_vop(op, pb_veven(lo, hi), pb_vodd(lo, hi));
}

/* nr output rows from o, ow apart. Blocks whose columns lie inside the row
 * go first, without the edge tests. */
static inline __attribute__((always_inline)) void nchw_3x3s2_row(int op, int nr, bool last,
                                                                 const nchw_3x3s2_plan *q,
                                                                 const float *const r[2 * NCHW_3X3S2_ROWS + 1],
                                                                 float *o, int64_t ow, pb_nan_seen *wit)
{
    pb_vf v0[NCHW_3X3S2_ROWS], v1[NCHW_3X3S2_ROWS], v2[NCHW_3X3S2_ROWS];
    nchw_3x3s2_col(op, nr, last, q, r, 0, wit, v0);
    int64_t ox = 0, k = 1;
    for (; k + 1 < q->inner_end && ox + PB_VLEN <= ow; ox += PB_VLEN, k += 2) {
        const int64_t at = k * PB_VLEN - q->pw;
        nchw_3x3s2_rows(op, nr, last, r, at, wit, v1);
        nchw_3x3s2_rows(op, nr, last, r, at + PB_VLEN, wit, v2);
        for (int i = 0; i < nr; ++i) {
            pb_vstore(o + i * ow + ox, nchw_3x3s2_block(op, v0[i], v1[i], v2[i]));
            v0[i] = v2[i];
        }
    }
    for (; ox < ow; ox += PB_VLEN, k += 2) {
        nchw_3x3s2_col(op, nr, last, q, r, k, wit, v1);
        nchw_3x3s2_col(op, nr, last, q, r, k + 1, wit, v2);
        for (int i = 0; i < nr; ++i) {
            const pb_vf res = nchw_3x3s2_block(op, v0[i], v1[i], v2[i]);
            if (ox + PB_VLEN <= ow)
                pb_vstore(o + i * ow + ox, res);
            else
                pb_vstore_first(o + i * ow + ox, res, ow - ox);
            v0[i] = v2[i];
        }
    }
}

/* One plane with the NaN-free op; false when the plane may hold a NaN. */
static inline __attribute__((always_inline)) bool nchw_3x3s2_plane(int op, const pb_params *p,
                                                                   const nchw_3x3s2_plan *q, const float *in,
                                                                   float *out)
{
    pb_nan_seen wit = {0};
    for (int64_t oy = 0; oy < p->oh; oy += NCHW_3X3S2_ROWS) {
        const float *r[2 * NCHW_3X3S2_ROWS + 1];
        for (int t = 0; t <= 2 * NCHW_3X3S2_ROWS; ++t) {
            const int64_t y = 2 * oy - p->ph + t;
            r[t] = in + (y < 0 ? 0 : y > p->h - 1 ? p->h - 1 : y) * p->w;
        }
        float *o = out + oy * p->ow;
        if (oy + NCHW_3X3S2_ROWS < p->oh)
            nchw_3x3s2_row(op, NCHW_3X3S2_ROWS, false, q, r, o, p->ow, &wit);
        else if (oy + NCHW_3X3S2_ROWS == p->oh)
            nchw_3x3s2_row(op, NCHW_3X3S2_ROWS, true, q, r, o, p->ow, &wit);
        else
            nchw_3x3s2_row(op, 1, true, q, r, o, p->ow, &wit);
    }
    return !pb_saw_nan(wit);
}
