/* NCHW k x k windows at stride 1 (k = 3, 5, 7), undilated, padding up to
 * k / 2 (ResNet's and Inception's 3x3/s1/p1, the 5x5 and 7x7 max of the
 * window sweep): max, min and avg, separable in registers. A group of column
 * blocks (PB_VLEN outputs each) walks down the plane: each input row's k
 * taps are reduced along the row (k shifted loads, k - 1 operations: h), the
 * last k - 1 rows' h stay in registers, and output row oy is the operation
 * over the h of its k window rows. Per PB_VLEN outputs that is k loads and
 * 2 (k - 1) operations, where the taps take k * k loads, and the
 * channel-blocked tiles a transpose of every float both ways (70% of the
 * tiles' 5x5 time on the Zen 5 VM). A padding row is the identity, without a
 * load; a tap leaving the row is a masked load filled with the identity,
 * only in the blocks at the row's ends, which walk one at a time so that
 * their k masks stay in mask registers. (Copying the plane into a padded one
 * to load plainly instead took 5x5 from 45 to 54 us, 3x3 from 34 to 45.)
 * Max and min give the same result in any order: a plane holding no NaN runs
 * with the one-instruction operation, one holding a NaN is redone by the
 * caller with naive's order. Avg sums rows of row sums, not naive's order:
 * within PB_SUM_RTOL. */
#include "poolbench/pool.h"
#include "vec.h"

#define NCHW_KS1_MAX_K 7
/* Blocks in one walk: their h rows and the k - 1 before stay in registers
 * (AVX2 has 16 of them, AVX-512 32). */
#if defined(__AVX512F__)
#define NCHW_KS1_GROUP 4
#else
#define NCHW_KS1_GROUP 2
#endif
/* Blocks with a tap leaving the row: the first (left padding), the last
 * whole one (right padding) and the last, overlapping one. */
#define NCHW_KS1_EDGES 3
/* The most blocks one walk takes. */
#define NCHW_KS1_WALK (NCHW_KS1_GROUP > NCHW_KS1_EDGES ? NCHW_KS1_GROUP : NCHW_KS1_EDGES)

typedef struct {
    int64_t inner_first, inner_end; /* blocks i in [first, end) start at i * PB_VLEN, every tap inside the row */
    int64_t edges;                  /* the other blocks: */
    int64_t edge_start[NCHW_KS1_EDGES];
    pb_vmask edge_mask[NCHW_KS1_EDGES][NCHW_KS1_MAX_K]; /* lanes of tap t inside the row */
    pb_vf edge_cols[NCHW_KS1_EDGES];                     /* avg: pb_avg_cols of each lane's output */
    /* avg: pb_avg_rows of the first and the last ph output rows, the only
     * ones whose windows leave the input at the top or the bottom */
    float top_rows[NCHW_KS1_MAX_K / 2], bottom_rows[NCHW_KS1_MAX_K / 2];
} nchw_ks1_plan;

/* The plan of every row, false when the case is not this kernel's. */
static inline bool nchw_ks1_plan_make(const pb_params *p, nchw_ks1_plan *q)
{
    const int64_t k = p->kh;
    if ((k != 3 && k != 5 && k != 7) || p->kw != k || p->sh != 1 || p->sw != 1 || p->dh != 1 || p->dw != 1 ||
        2 * p->ph > k || 2 * p->pw > k)
        return false;
    const int64_t W = p->w, ow = p->ow, pw = p->pw, reach = W - (k - 1) - PB_VLEN + pw;
    const int64_t whole_blocks = ow / PB_VLEN;
    q->inner_first = (pw + PB_VLEN - 1) / PB_VLEN; /* the blocks with a tap left of the row */
    q->inner_end = reach < 0 ? 0 : reach / PB_VLEN + 1 < whole_blocks ? reach / PB_VLEN + 1 : whole_blocks;
    if (q->inner_end < q->inner_first)
        q->inner_end = q->inner_first;
    int64_t n = 0;
    for (int64_t i = 0; i < whole_blocks; ++i)
        if (i < q->inner_first || i >= q->inner_end) {
            if (n == NCHW_KS1_EDGES)
                return false;
            q->edge_start[n++] = i * PB_VLEN;
        }
    if (ow % PB_VLEN != 0) {
        if (n == NCHW_KS1_EDGES)
            return false;
        /* A row of at least a vector ends with a block overlapping the one
         * before it; a shorter row is one block that stores only its lanes. */
        q->edge_start[n++] = ow < PB_VLEN ? 0 : ow - PB_VLEN;
    }
    q->edges = n;
    for (int64_t e = 0; e < n; ++e) {
        const int64_t o = q->edge_start[e];
        for (int64_t t = 0; t < k; ++t) {
            const int64_t c = o - pw + t, lo = c < 0 ? -c : 0, end = W - c < PB_VLEN ? W - c : PB_VLEN;
            q->edge_mask[e][t] = pb_vmask_lanes(lo, end > lo ? end : lo);
        }
        for (int l = 0; l < PB_VLEN; ++l)
            q->edge_cols[e][l] = o + l < ow ? (float)pb_avg_cols(p, o + l) : 1.0f;
    }
    for (int64_t j = 0; j < p->ph; ++j) {
        q->top_rows[j] = j < p->oh ? (float)pb_avg_rows(p, j) : 1.0f;
        q->bottom_rows[j] = j < p->oh ? (float)pb_avg_rows(p, p->oh - 1 - j) : 1.0f;
    }
    return true;
}

/* Padded row y (taps from `row`) into the ring; output row oy = y + ph - k + 1
 * (stored at `orow`) is complete once it is in: the operation over its k
 * rows' h, scaled for avg. `steady`: y and every other row of oy's window
 * are input rows, so nothing needs a test. `whole`: every block lies inside
 * the row (else the row is shorter than a vector and has one block, from
 * column 0). Per block b, from column off[b]: ring[b] the h of the k - 1 rows
 * before, oldest first; masks[b] (when `masked`) the lanes of each tap inside
 * the row; cols the columns each lane's window counts and inner 1 / the
 * divisor of a steady row. */
static inline __attribute__((always_inline)) void nchw_ks1_step(int op, int k, int nb, bool masked, bool steady,
                                                                const pb_params *p, const nchw_ks1_plan *q,
                                                                int64_t y, bool whole, const float *row, float *orow,
                                                                const int64_t *off,
                                                                const pb_vmask (*masks)[NCHW_KS1_MAX_K],
                                                                pb_vf (*ring)[NCHW_KS1_MAX_K - 1], const pb_vf *cols,
                                                                const pb_vf *inner)
{
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    const bool inside = steady || (y >= 0 && y < p->h);
    const int64_t oy = y + p->ph - (k - 1);
    for (int b = 0; b < nb; ++b) {
        const float *x = row + off[b];
        pb_vf h = ident;
        if (inside && masked) {
            h = pb_vload_masked(x, masks[b][0], ident);
            for (int t = 1; t < k; ++t)
                h = pb_vop(op, h, pb_vload_masked(x + t, masks[b][t], ident));
        } else if (inside) {
            h = pb_vload(x);
            for (int t = 1; t < k; ++t)
                h = pb_vop(op, h, pb_vload(x + t));
        }
        if (steady || oy >= 0) {
            pb_vf v = ring[b][0];
            for (int t = 1; t < k - 1; ++t)
                v = pb_vop(op, v, ring[b][t]);
            v = pb_vop(op, v, h);
            if (op == PB_OP_SUM)
                v = steady ? v * inner[b]
                           : v / (cols[b] * pb_vset1(oy < p->ph ? q->top_rows[oy] : q->bottom_rows[p->oh - 1 - oy]));
            if (whole)
                pb_vstore(orow + off[b], v);
            else
                pb_vstore_first(orow + off[b], v, p->ow);
        }
        for (int t = 0; t < k - 2; ++t)
            ring[b][t] = ring[b][t + 1];
        ring[b][k - 2] = h;
    }
}

/* One walk down the plane: nb blocks from columns start[], their taps loaded
 * plain, or masked with masks[] and their avg columns from edge_cols[]. */
static inline __attribute__((always_inline)) void nchw_ks1_walk(int op, int k, int nb, bool masked,
                                                                const pb_params *p, const nchw_ks1_plan *q,
                                                                const float *plane, float *out, const int64_t *start,
                                                                const pb_vmask (*masks)[NCHW_KS1_MAX_K],
                                                                const pb_vf *edge_cols)
{
    const int64_t H = p->h, W = p->w, ph = p->ph, ow = p->ow;
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    int64_t off[NCHW_KS1_WALK];
    pb_vf ring[NCHW_KS1_WALK][NCHW_KS1_MAX_K - 1], cols[NCHW_KS1_WALK], inner[NCHW_KS1_WALK];
    for (int b = 0; b < nb; ++b) {
        /* A local copy: the vector stores may alias start[], which would be reloaded every row. */
        off[b] = start[b];
        for (int t = 0; t < k - 1; ++t)
            ring[b][t] = ident;
        cols[b] = inner[b] = pb_vset1(1.0f);
        if (op == PB_OP_SUM) {
            cols[b] = masked ? edge_cols[b] : pb_vset1((float)k);
            inner[b] = pb_vset1(1.0f) / (cols[b] * (float)k);
        }
    }
    /* Steady rows: inside the input, completing output rows ph and on, whose
     * windows start inside it. */
    const bool whole = off[nb - 1] + PB_VLEN <= ow;
    int64_t y = -ph;
    const float *row = plane - ph * W - p->pw;
    float *orow = out - (k - 1) * ow; /* output row y + ph - k + 1 */
    for (; y < k - 1 && y < H + ph; ++y, row += W, orow += ow)
        nchw_ks1_step(op, k, nb, masked, false, p, q, y, whole, row, orow, off, masks, ring, cols, inner);
    for (; y < H; ++y, row += W, orow += ow)
        nchw_ks1_step(op, k, nb, masked, true, p, q, y, whole, row, orow, off, masks, ring, cols, inner);
    for (; y < H + ph; ++y, row += W, orow += ow)
        nchw_ks1_step(op, k, nb, masked, false, p, q, y, whole, row, orow, off, masks, ring, cols, inner);
}

/* One plane with op (the NaN-free max/min, or the sum) and window k: each
 * edge block in its own masked walk, the inner blocks in walks of
 * NCHW_KS1_GROUP. */
static inline __attribute__((always_inline)) void nchw_ks1_plane_k(int op, int k, const pb_params *p,
                                                                   const nchw_ks1_plan *q, const float *plane,
                                                                   float *out)
{
    switch (q->edges) {
    case 1: nchw_ks1_walk(op, k, 1, true, p, q, plane, out, q->edge_start, q->edge_mask, q->edge_cols); break;
    case 2: nchw_ks1_walk(op, k, 2, true, p, q, plane, out, q->edge_start, q->edge_mask, q->edge_cols); break;
    case 3: nchw_ks1_walk(op, k, 3, true, p, q, plane, out, q->edge_start, q->edge_mask, q->edge_cols); break;
    default: break;
    }
    int64_t start[NCHW_KS1_WALK];
    for (int64_t i = q->inner_first; i < q->inner_end; i += NCHW_KS1_GROUP) {
        const int64_t nb = q->inner_end - i < NCHW_KS1_GROUP ? q->inner_end - i : NCHW_KS1_GROUP;
        for (int b = 0; b < nb; ++b)
            start[b] = (i + b) * PB_VLEN;
        switch (nb) {
        case NCHW_KS1_GROUP: nchw_ks1_walk(op, k, NCHW_KS1_GROUP, false, p, q, plane, out, start, NULL, NULL); break;
#if NCHW_KS1_GROUP > 2
        case 3: nchw_ks1_walk(op, k, 3, false, p, q, plane, out, start, NULL, NULL); break;
        case 2: nchw_ks1_walk(op, k, 2, false, p, q, plane, out, start, NULL, NULL); break;
#endif
        default: nchw_ks1_walk(op, k, 1, false, p, q, plane, out, start, NULL, NULL); break;
        }
    }
}

static inline __attribute__((always_inline)) void nchw_ks1_plane(int op, const pb_params *p, const nchw_ks1_plan *q,
                                                                 const float *plane, float *out)
{
    switch (p->kh) {
    case 3: nchw_ks1_plane_k(op, 3, p, q, plane, out); break;
    case 5: nchw_ks1_plane_k(op, 5, p, q, plane, out); break;
    default: nchw_ks1_plane_k(op, 7, p, q, plane, out); break;
    }
}
