/* NCHW k x k windows at stride 1 (k = 3, 5, 7), undilated, padding up to
 * k / 2 (ResNet's and Inception's 3x3/s1/p1, the 5x5 and 7x7 max of the
 * window sweep): max, min and avg, separable in registers and by doubling.
 * A group of consecutive column blocks (PB_VLEN outputs each) walks down the
 * plane. Each input row is loaded once per group, a vector per block and the
 * one after, and reduced along the row on register shifts: pairs, fours from
 * pairs, k from those (h); down the plane, the h of the rows before are
 * reduced the same way, kept in registers. Per vector of a 7x7 max: about
 * 1.25 loads, 3.5 shifts and 3.5 operations along the row, 3 down it, where
 * k shifted loads and a ring of the last k - 1 rows' h took 7 loads and 12
 * operations (an output of max/min 7 is two fours that overlap; avg adds
 * disjoint parts, 4 + 2 + 1).
 * A padding row is the identity, without a load; in the groups whose loads
 * leave the row (at its ends) the loads are masked, filled with the identity,
 * and a row's last block stores only its lanes. (Copying the plane into a
 * padded one to load plainly instead took 5x5 from 45 to 54 us, 3x3 from 34
 * to 45; the channel-blocked tiles spend 70% of their 5x5 time transposing.)
 * Max and min give the same result in any order: a plane holding no NaN runs
 * with the one-instruction operation, one holding a NaN is redone by the
 * caller with naive's order. Avg's sums differ from naive's order: within
 * PB_SUM_RTOL. */
#include "poolbench/pool.h"
#include "vec.h"

#define NCHW_KS1_MAX_K 7
/* Blocks in one walk: each keeps 6 vectors of the rows above in registers
 * (AVX2 has 16 of them, AVX-512 32). */
#if defined(__AVX512F__)
#define NCHW_KS1_GROUP 4
#else
#define NCHW_KS1_GROUP 2
#endif
/* Vectors of input a row's reduction reads past a group's blocks. */
#define NCHW_KS1_EXTRA(k) (((k) - 1 + PB_VLEN - 1) / PB_VLEN)
#define NCHW_KS1_LOADS (NCHW_KS1_GROUP + NCHW_KS1_EXTRA(NCHW_KS1_MAX_K))
/* Blocks at each end of a row whose avg windows may count fewer than k
 * columns: the at most 3 outputs at each end whose windows reach into the
 * padding, which may straddle two blocks. */
#define NCHW_KS1_EDGE_BLOCKS (3 / PB_VLEN + 2)

/* pb_vop; of one lane, the float op: the lane select went through general
 * registers, and gcc kept this walk's rows above in memory (3x3 2.3x slower).
 * Here, not in vec.h: there it cost the one-lane 2x2/s2 walk 5x (gcc no
 * longer vectorized it). */
PB_INLINE pb_vf nchw_ks1_op(int op, pb_vf acc, pb_vf v)
{
    return PB_VLEN == 1 ? (pb_vf){pb_sop(op, acc[0], v[0])} : pb_vop(op, acc, v);
}

typedef struct {
    int64_t blocks; /* output blocks of a row, block i from column i * PB_VLEN; the last may be partial */
    /* avg: pb_avg_cols of each lane's output in the first and the last
     * NCHW_KS1_EDGE_BLOCKS blocks (all others count k) */
    pb_vf first_cols[NCHW_KS1_EDGE_BLOCKS], last_cols[NCHW_KS1_EDGE_BLOCKS];
    /* avg: pb_avg_rows of the first and the last ph output rows, the only
     * ones whose windows leave the input at the top or the bottom */
    float top_rows[NCHW_KS1_MAX_K / 2], bottom_rows[NCHW_KS1_MAX_K / 2];
} nchw_ks1_plan;

static pb_vf nchw_ks1_block_cols(const pb_params *p, int64_t block)
{
    pb_vf cols;
    for (int l = 0; l < PB_VLEN; ++l) {
        const int64_t ox = block * PB_VLEN + l;
        cols[l] = ox >= 0 && ox < p->ow ? (float)pb_avg_cols(p, ox) : 1.0f;
    }
    return cols;
}

/* The plan of every row, false when the case is not this kernel's. */
static inline bool nchw_ks1_plan_make(const pb_params *p, nchw_ks1_plan *q)
{
    const int64_t k = p->kh;
    if ((k != 3 && k != 5 && k != 7) || p->kw != k || p->sh != 1 || p->sw != 1 || p->dh != 1 || p->dw != 1 ||
        2 * p->ph > k || 2 * p->pw > k)
        return false;
    q->blocks = (p->ow + PB_VLEN - 1) / PB_VLEN;
    for (int64_t e = 0; e < NCHW_KS1_EDGE_BLOCKS; ++e) {
        q->first_cols[e] = nchw_ks1_block_cols(p, e);
        q->last_cols[e] = nchw_ks1_block_cols(p, q->blocks - NCHW_KS1_EDGE_BLOCKS + e);
    }
    for (int64_t j = 0; j < p->ph; ++j) {
        q->top_rows[j] = j < p->oh ? (float)pb_avg_rows(p, j) : 1.0f;
        q->bottom_rows[j] = j < p->oh ? (float)pb_avg_rows(p, p->oh - 1 - j) : 1.0f;
    }
    return true;
}

/* Lanes t on of the row held in x[0..last], from vector b: a shift across
 * two vectors (x[last] stands in for the one past it, whose lanes no output
 * lane reads). */
PB_INLINE pb_vf nchw_ks1_from(const pb_vf *x, int last, int b, int t)
{
    const int i = b + t / PB_VLEN, r = t % PB_VLEN;
    const pb_vf lo = x[i < last ? i : last];
    return r == 0 ? lo : pb_valign(lo, x[i + 1 < last ? i + 1 : last], r);
}

/* The k taps along the row of nb blocks' outputs (h), from the row's vectors
 * in a (nb + NCHW_KS1_EXTRA(k) of them). */
PB_INLINE void nchw_ks1_along(int op, int k, int nb, const pb_vf *a, pb_vf *h)
{
    const int last = nb + NCHW_KS1_EXTRA(k) - 1;
    /* A 7x7 max's fours overlap into the next block: one more of them. */
    const int fours = k == 7 && op != PB_OP_SUM ? last + 1 : nb;
    pb_vf two[NCHW_KS1_LOADS], four[NCHW_KS1_LOADS];
    for (int j = 0; j <= last && k > 3; ++j)
        two[j] = nchw_ks1_op(op, a[j], nchw_ks1_from(a, last, j, 1));
    for (int j = 0; j < fours && k > 3; ++j)
        four[j] = nchw_ks1_op(op, two[j], nchw_ks1_from(two, last, j, 2));
    for (int b = 0; b < nb; ++b)
        if (k == 3)
            h[b] = nchw_ks1_op(op, nchw_ks1_op(op, a[b], nchw_ks1_from(a, last, b, 1)), nchw_ks1_from(a, last, b, 2));
        else if (k == 5)
            h[b] = nchw_ks1_op(op, four[b], nchw_ks1_from(a, last, b, 4));
        else if (op != PB_OP_SUM)
            h[b] = nchw_ks1_op(op, four[b], nchw_ks1_from(four, last, b, 3));
        else
            h[b] = nchw_ks1_op(op, nchw_ks1_op(op, four[b], nchw_ks1_from(two, last, b, 4)),
                               nchw_ks1_from(a, last, b, 6));
}

/* A block's reductions of the rows above the current one: the h of the row
 * above, the pairs of rows that end 2 and 1 rows above, the fours that end
 * 3, 2 and 1 rows above. */
typedef struct {
    pb_vf h1, pair2, pair1, four3, four2, four1;
} nchw_ks1_above;

/* The k rows' reduction ending at row y, given its h; *s moves one row down. */
PB_INLINE pb_vf nchw_ks1_down(int op, int k, nchw_ks1_above *s, pb_vf h)
{
    const pb_vf pair = nchw_ks1_op(op, s->h1, h), four = k > 3 ? nchw_ks1_op(op, s->pair2, pair) : h;
    pb_vf v;
    if (k == 3)
        v = nchw_ks1_op(op, s->pair1, h);
    else if (k == 5)
        v = nchw_ks1_op(op, s->four1, h);
    else if (op != PB_OP_SUM)
        v = nchw_ks1_op(op, s->four3, four);
    else
        v = nchw_ks1_op(op, nchw_ks1_op(op, s->four3, s->pair1), h);
    *s = (nchw_ks1_above){h, s->pair1, pair, s->four2, s->four1, four};
    return v;
}

/* Padded row y (taps from `row`, at the column of the group's first output)
 * into the group's nb blocks; output row oy = y + ph - k + 1 (stored at
 * `orow`) is complete once it is in, scaled for avg. `steady`: y and every
 * other row of oy's window are input rows, so nothing needs a test. Loads
 * masked with mask[] when `masked`; the last block stores last_lanes lanes;
 * cols the columns each lane's window counts and inner 1 / the divisor of a
 * steady row. */
PB_INLINE void nchw_ks1_step(int op, int k, int nb, bool masked, bool steady, const pb_params *p,
                             const nchw_ks1_plan *q, int64_t y, const float *row, float *orow, const pb_vmask *mask,
                             int64_t last_lanes, nchw_ks1_above *above, const pb_vf *cols, const pb_vf *inner)
{
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    const int64_t oy = y + p->ph - (k - 1);
    pb_vf h[NCHW_KS1_GROUP];
    if (steady || (y >= 0 && y < p->h)) {
        pb_vf a[NCHW_KS1_LOADS];
        for (int j = 0; j < nb + NCHW_KS1_EXTRA(k); ++j)
            a[j] = masked ? pb_vload_masked(row + j * PB_VLEN, mask[j], ident) : pb_vload(row + j * PB_VLEN);
        nchw_ks1_along(op, k, nb, a, h);
    } else {
        for (int b = 0; b < nb; ++b)
            h[b] = ident;
    }
    for (int b = 0; b < nb; ++b) {
        pb_vf v = nchw_ks1_down(op, k, &above[b], h[b]);
        if (!steady && oy < 0)
            continue;
        if (op == PB_OP_SUM)
            v = steady ? v * inner[b]
                       : v / (cols[b] * pb_vset1(oy < p->ph ? q->top_rows[oy] : q->bottom_rows[p->oh - 1 - oy]));
        if (b < nb - 1 || last_lanes == PB_VLEN)
            pb_vstore(orow + b * PB_VLEN, v);
        else
            pb_vstore_first(orow + b * PB_VLEN, v, last_lanes);
    }
}

/* One walk down the plane: nb blocks from block `first`, their loads masked
 * to the row when `masked`. */
PB_INLINE void nchw_ks1_walk(int op, int k, int nb, bool masked, const pb_params *p, const nchw_ks1_plan *q,
                             const float *plane, float *out, int64_t first)
{
    const int64_t H = p->h, W = p->w, ph = p->ph, ow = p->ow, col = first * PB_VLEN;
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    pb_vmask mask[NCHW_KS1_LOADS];
    for (int j = 0; masked && j < nb + NCHW_KS1_EXTRA(k); ++j)
        mask[j] = pb_vmask_row(col - p->pw + j * PB_VLEN, W);
    nchw_ks1_above above[NCHW_KS1_GROUP];
    pb_vf cols[NCHW_KS1_GROUP], inner[NCHW_KS1_GROUP];
    for (int b = 0; b < nb; ++b) {
        above[b] = (nchw_ks1_above){ident, ident, ident, ident, ident, ident};
        const int64_t i = first + b, from_last = i - (q->blocks - NCHW_KS1_EDGE_BLOCKS);
        cols[b] = i < NCHW_KS1_EDGE_BLOCKS ? q->first_cols[i]
                  : from_last >= 0         ? q->last_cols[from_last]
                                           : pb_vset1((float)k);
        inner[b] = pb_vset1(1.0f) / (cols[b] * (float)k);
    }
    const int64_t last_start = col + (nb - 1) * PB_VLEN;
    const int64_t last_lanes = ow - last_start < PB_VLEN ? ow - last_start : PB_VLEN;
    /* Steady rows: inside the input, completing output rows ph and on, whose
     * windows start inside it. */
    int64_t y = -ph;
    const float *row = plane - ph * W + col - p->pw;
    float *orow = out - (k - 1) * ow + col; /* output row y + ph - k + 1 */
    for (; y < k - 1 && y < H + ph; ++y, row += W, orow += ow)
        nchw_ks1_step(op, k, nb, masked, false, p, q, y, row, orow, mask, last_lanes, above, cols, inner);
    for (; y < H; ++y, row += W, orow += ow)
        nchw_ks1_step(op, k, nb, masked, true, p, q, y, row, orow, mask, last_lanes, above, cols, inner);
    for (; y < H + ph; ++y, row += W, orow += ow)
        nchw_ks1_step(op, k, nb, masked, false, p, q, y, row, orow, mask, last_lanes, above, cols, inner);
}

PB_INLINE void nchw_ks1_walk_nb(int op, int k, int nb, bool masked, const pb_params *p, const nchw_ks1_plan *q,
                                const float *plane, float *out, int64_t first)
{
    switch (nb) {
    case NCHW_KS1_GROUP: nchw_ks1_walk(op, k, NCHW_KS1_GROUP, masked, p, q, plane, out, first); break;
#if NCHW_KS1_GROUP > 2
    case 3: nchw_ks1_walk(op, k, 3, masked, p, q, plane, out, first); break;
    case 2: nchw_ks1_walk(op, k, 2, masked, p, q, plane, out, first); break;
#endif
    default: nchw_ks1_walk(op, k, 1, masked, p, q, plane, out, first); break;
    }
}

/* One plane with op (the NaN-free max/min, or the sum) and window k, in
 * walks of NCHW_KS1_GROUP blocks; a walk whose loads all lie in the row
 * loads them plainly. */
PB_INLINE void nchw_ks1_plane_k(int op, int k, const pb_params *p, const nchw_ks1_plan *q, const float *plane,
                                float *out)
{
    for (int64_t i = 0; i < q->blocks; i += NCHW_KS1_GROUP) {
        const int nb = (int)(q->blocks - i < NCHW_KS1_GROUP ? q->blocks - i : NCHW_KS1_GROUP);
        const int64_t c = i * PB_VLEN - p->pw, end = c + (nb + NCHW_KS1_EXTRA(k)) * PB_VLEN;
        if (c >= 0 && end <= p->w)
            nchw_ks1_walk_nb(op, k, nb, false, p, q, plane, out, i);
        else
            nchw_ks1_walk_nb(op, k, nb, true, p, q, plane, out, i);
    }
}

PB_INLINE void nchw_ks1_plane(int op, const pb_params *p, const nchw_ks1_plan *q, const float *plane, float *out)
{
    switch (p->kh) {
    case 3: nchw_ks1_plane_k(op, 3, p, q, plane, out); break;
    case 5: nchw_ks1_plane_k(op, 5, p, q, plane, out); break;
    default: nchw_ks1_plane_k(op, 7, p, q, plane, out); break;
    }
}
