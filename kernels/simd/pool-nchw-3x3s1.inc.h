/* NCHW 3x3 windows at stride 1, undilated, padding 0 or 1 (ResNet's and
 * Inception's 3x3/s1/p1): max, min and avg, separable in registers. A group
 * of column blocks (PB_VLEN outputs each) walks down the plane: each input
 * row's three taps are reduced along the row (three shifted loads, two
 * operations: h), the last two rows' h stay in registers, and output row oy
 * is the operation over the h of its three window rows. Per PB_VLEN outputs
 * that is three loads and four operations, where the nine taps take nine and
 * eight and the tiles a transpose of every float both ways. A padding row is
 * the identity, without a load; a tap leaving the row is a masked load filled
 * with the identity, only in the blocks at the row's ends.
 * Max and min give the same result in any order: a plane holding no NaN runs
 * with the one-instruction operation, one holding a NaN is redone by the
 * caller with naive's order. Avg sums rows of column sums, not naive's
 * order: within PB_SUM_RTOL. */
#include "poolbench/pool.h"
#include "vec.h"

/* Blocks in one walk: their h rows and the two before stay in registers
 * (AVX2 has 16 of them, AVX-512 32). */
#if defined(__AVX512F__)
#define NCHW_3X3S1_GROUP 4
#else
#define NCHW_3X3S1_GROUP 2
#endif
/* Blocks with a tap leaving the row: the first (left padding), the last
 * whole one (right padding) and the last, overlapping one. */
#define NCHW_3X3S1_EDGES 3
/* The most blocks one walk takes. */
#define NCHW_3X3S1_WALK (NCHW_3X3S1_GROUP > NCHW_3X3S1_EDGES ? NCHW_3X3S1_GROUP : NCHW_3X3S1_EDGES)

typedef struct {
    int64_t inner_first, inner_end; /* blocks i in [first, end) start at i * PB_VLEN, every tap inside the row */
    int64_t edges;                  /* the other blocks: */
    int64_t edge_start[NCHW_3X3S1_EDGES];
    pb_vmask edge_mask[NCHW_3X3S1_EDGES][3]; /* lanes of tap t inside the row */
    pb_vf edge_cols[NCHW_3X3S1_EDGES];       /* avg: pb_avg_cols of each lane's output */
} nchw_3x3s1_plan;

/* The plan of every row, false when the case is not this kernel's. */
static inline bool nchw_3x3s1_plan_make(const pb_params *p, nchw_3x3s1_plan *q)
{
    if (p->kh != 3 || p->kw != 3 || p->sh != 1 || p->sw != 1 || p->dh != 1 || p->dw != 1)
        return false;
    const int64_t W = p->w, ow = p->ow, pw = p->pw;
    const int64_t whole_blocks = ow / PB_VLEN, last_inside = (W - 2 - PB_VLEN + pw) / PB_VLEN;
    q->inner_first = pw > 0;
    q->inner_end = W - 2 - PB_VLEN + pw < 0 ? 0 : last_inside + 1 < whole_blocks ? last_inside + 1 : whole_blocks;
    if (q->inner_end < q->inner_first)
        q->inner_end = q->inner_first;
    int64_t n = 0;
    for (int64_t i = 0; i < whole_blocks; ++i)
        if (i < q->inner_first || i >= q->inner_end) {
            if (n == NCHW_3X3S1_EDGES)
                return false;
            q->edge_start[n++] = i * PB_VLEN;
        }
    if (ow % PB_VLEN != 0) {
        if (n == NCHW_3X3S1_EDGES)
            return false;
        /* A row of at least a vector ends with a block overlapping the one
         * before it; a shorter row is one block that stores only its lanes. */
        q->edge_start[n++] = ow < PB_VLEN ? 0 : ow - PB_VLEN;
    }
    q->edges = n;
    for (int64_t e = 0; e < n; ++e) {
        const int64_t o = q->edge_start[e];
        for (int t = 0; t < 3; ++t) {
            const int64_t c = o - pw + t, lo = c < 0 ? -c : 0, end = W - c < PB_VLEN ? W - c : PB_VLEN;
            q->edge_mask[e][t] = pb_vmask_lanes(lo, end > lo ? end : lo);
        }
        for (int l = 0; l < PB_VLEN; ++l)
            q->edge_cols[e][l] = o + l < ow ? (float)pb_avg_cols(p, o + l) : 1.0f;
    }
    return true;
}

/* Padded row y (taps from `row`) into the ring; output row oy = y + ph - 2
 * (stored at `orow`) is complete once it is in: the operation over its three
 * rows' h, scaled for avg. `steady`: y is an input row and oy neither the
 * first nor the last output row, so nothing needs a test. `whole`: every
 * block lies inside the row (else the row is shorter than a vector and has
 * one block, from column 0). Per block b, from
 * column off[b]: r0, r1 the h of the two rows before; cols the columns each
 * lane's window counts and inner 1 / the divisor of the rows in between. */
static inline __attribute__((always_inline)) void nchw_3x3s1_step(int op, int nb, bool masked, bool steady,
                                                                  const pb_params *p, const nchw_3x3s1_plan *q,
                                                                  int64_t y, bool whole, const float *row, float *orow,
                                                                  const int64_t *off, pb_vf *r0, pb_vf *r1,
                                                                  const pb_vf *cols, const pb_vf *inner,
                                                                  const float rows_end[2])
{
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    const bool inside = steady || (y >= 0 && y < p->h);
    const int64_t oy = y + p->ph - 2;
    for (int b = 0; b < nb; ++b) {
        const float *x = row + off[b];
        pb_vf h = ident;
        if (inside && masked) {
            const pb_vmask *m = q->edge_mask[b];
            h = pb_vop(op, pb_vop(op, pb_vload_masked(x, m[0], ident), pb_vload_masked(x + 1, m[1], ident)),
                       pb_vload_masked(x + 2, m[2], ident));
        } else if (inside) {
            h = pb_vop(op, pb_vop(op, pb_vload(x), pb_vload(x + 1)), pb_vload(x + 2));
        }
        if (steady || oy >= 0) {
            pb_vf v = pb_vop(op, pb_vop(op, r0[b], r1[b]), h);
            if (op == PB_OP_SUM)
                v = steady || (oy > 0 && oy < p->oh - 1) ? v * inner[b] : v / (cols[b] * rows_end[oy > 0]);
            if (whole)
                pb_vstore(orow + off[b], v);
            else
                pb_vstore_first(orow + off[b], v, p->ow);
        }
        r0[b] = r1[b];
        r1[b] = h;
    }
}

/* One walk down the plane: nb blocks from columns start[], their taps loaded
 * plain, or masked (the plan's edge blocks, start = q->edge_start). */
static inline __attribute__((always_inline)) void nchw_3x3s1_walk(int op, int nb, bool masked, const pb_params *p,
                                                                  const nchw_3x3s1_plan *q, const float *plane,
                                                                  float *out, const int64_t *start)
{
    const int64_t H = p->h, W = p->w, ph = p->ph, ow = p->ow;
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    int64_t off[NCHW_3X3S1_WALK];
    pb_vf r0[NCHW_3X3S1_WALK], r1[NCHW_3X3S1_WALK], cols[NCHW_3X3S1_WALK], inner[NCHW_3X3S1_WALK];
    float rows_end[2] = {1.0f, 1.0f};
    for (int b = 0; b < nb; ++b) {
        /* A local copy: the vector stores may alias start[], which would be reloaded every row. */
        off[b] = start[b];
        r0[b] = r1[b] = ident;
        cols[b] = inner[b] = pb_vset1(1.0f);
        if (op == PB_OP_SUM) {
            cols[b] = masked ? q->edge_cols[b] : pb_vset1(3.0f);
            inner[b] = pb_vset1(1.0f) / (cols[b] * 3.0f);
        }
    }
    /* Kept out of the loop: a call there would spill the ring. */
    if (op == PB_OP_SUM)
        rows_end[0] = (float)pb_avg_rows(p, 0), rows_end[1] = (float)pb_avg_rows(p, p->oh - 1);
    /* Steady rows: inside the input, output rows 1 to oh - 2. */
    const int64_t first = 3 - ph > 0 ? 3 - ph : 0, end = H + ph - 1 < H ? H + ph - 1 : H;
    const bool whole = off[nb - 1] + PB_VLEN <= ow;
    int64_t y = -ph;
    const float *row = plane - ph * W - p->pw;
    float *orow = out - 2 * ow; /* output row y + ph - 2 */
    for (; y < first && y < H + ph; ++y, row += W, orow += ow)
        nchw_3x3s1_step(op, nb, masked, false, p, q, y, whole, row, orow, off, r0, r1, cols, inner, rows_end);
    for (; y < end; ++y, row += W, orow += ow)
        nchw_3x3s1_step(op, nb, masked, true, p, q, y, whole, row, orow, off, r0, r1, cols, inner, rows_end);
    for (; y < H + ph; ++y, row += W, orow += ow)
        nchw_3x3s1_step(op, nb, masked, false, p, q, y, whole, row, orow, off, r0, r1, cols, inner, rows_end);
}

/* One plane with op (the NaN-free max/min, or the sum): the edge blocks in
 * one masked walk, the inner blocks in walks of NCHW_3X3S1_GROUP. */
static inline __attribute__((always_inline)) void nchw_3x3s1_plane(int op, const pb_params *p,
                                                                   const nchw_3x3s1_plan *q, const float *plane,
                                                                   float *out)
{
    switch (q->edges) {
    case 1: nchw_3x3s1_walk(op, 1, true, p, q, plane, out, q->edge_start); break;
    case 2: nchw_3x3s1_walk(op, 2, true, p, q, plane, out, q->edge_start); break;
    case 3: nchw_3x3s1_walk(op, 3, true, p, q, plane, out, q->edge_start); break;
    default: break;
    }
    int64_t start[NCHW_3X3S1_WALK];
    for (int64_t i = q->inner_first; i < q->inner_end; i += NCHW_3X3S1_GROUP) {
        const int64_t nb = q->inner_end - i < NCHW_3X3S1_GROUP ? q->inner_end - i : NCHW_3X3S1_GROUP;
        for (int b = 0; b < nb; ++b)
            start[b] = (i + b) * PB_VLEN;
        switch (nb) {
        case NCHW_3X3S1_GROUP: nchw_3x3s1_walk(op, NCHW_3X3S1_GROUP, false, p, q, plane, out, start); break;
#if NCHW_3X3S1_GROUP > 2
        case 3: nchw_3x3s1_walk(op, 3, false, p, q, plane, out, start); break;
        case 2: nchw_3x3s1_walk(op, 2, false, p, q, plane, out, start); break;
#endif
        default: nchw_3x3s1_walk(op, 1, false, p, q, plane, out, start); break;
        }
    }
}
