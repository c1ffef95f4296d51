/* NCHW 3x3 max/min windows at stride 2, undilated, any padding and
 * ceil_mode, any row length (ResNet's stem, GoogLeNet, AlexNet's 55x55,
 * 27x27 and 13x13): vectorized along the output row, no tiles, no
 * transposes, no padded copy. A walk takes a run of column vectors of the
 * row (up to 2 NCHW_3X3S2_WALK + 1 of them, the blocks' PB_VLEN outputs
 * each need two and a lane of the third) down the whole plane:
 *  - each input row is loaded once per walk: the window's last row is the
 *    next output row's first, kept in registers;
 *  - a column vector reduces its window's three rows first (v), then
 *    m[j] = op(v[j], v[j + 1]) and output i = op(m[2i], m[2i + 1]): per
 *    PB_VLEN outputs two aligns and two permutes, where the nine taps one by
 *    one cost six even/odd permutes and the tiles a transpose of every float
 *    both ways;
 *  - columns outside the row are masked loads filled with the identity (only
 *    in walks that reach the row's ends), and a row outside the input is
 *    replaced by the nearest one inside, which every window reaching out
 *    holds too (max and min are idempotent): no padding copy, no branch per
 *    element.
 * Only the result's NaN depends on the order: the planes run NaN-free with a
 * witness (loaded vectors compared unordered in pairs), and a plane whose
 * witness saw a NaN is redone with the NaN rule by the caller. */
#include "poolbench/pool.h"
#include "vec.h"

/* Output blocks in one walk: the carried row's 2 NCHW_3X3S2_WALK + 1 column
 * vectors stay in registers (AVX2 has 16 of them, AVX-512 32). */
#if defined(__AVX512F__)
#define NCHW_3X3S2_WALK 4
#else
#define NCHW_3X3S2_WALK 3
#endif
#define NCHW_3X3S2_COLS (2 * NCHW_3X3S2_WALK + 1)
/* Input bytes a band of rows may span when a row takes several walks: each
 * walk re-reads the band, which should still be in L1. */
#define NCHW_3X3S2_BAND_BYTES 16384

PB_INLINE bool nchw_is_3x3s2(int op, const pb_params *p)
{
    return op != PB_OP_SUM && p->kh == 3 && p->kw == 3 && p->sh == 2 && p->sw == 2 && p->dh == 1 && p->dw == 1;
}

static inline int64_t nchw_3x3s2_clamp_row(const pb_params *p, int64_t y)
{
    return y < 0 ? 0 : y > p->h - 1 ? p->h - 1 : y;
}

/* The output rows from the first whose window rows 1 and 2 lie inside the
 * input (row 1 always does: the padding is at most 1): no clamping. */
static inline int64_t nchw_3x3s2_steady_rows(const pb_params *p)
{
    return p->h - 3 + p->ph < 0 ? 0 : (p->h - 3 + p->ph) / 2 + 1;
}

/* PB_VLEN outputs from the column vectors of their 2 * PB_VLEN + 1 input columns. */
PB_INLINE pb_vf nchw_3x3s2_block(int op, pb_vf v0, pb_vf v1, pb_vf v2)
{
    const pb_vf lo = pb_vop(op, v0, pb_vnext(v0, v1)), hi = pb_vop(op, v1, pb_vnext(v1, v2));
    return pb_vop(op, pb_veven(lo, hi), pb_vodd(lo, hi));
}

/* Column vector j of nv of a row whose first vector starts at `row`. Only
 * the first (left padding: `left`) and the last two (`right`: the last
 * window reaches at most two columns past the row) can leave the row; the
 * others load plain, and their masks take no register. */
PB_INLINE pb_vf nchw_3x3s2_load(bool left, bool right, int nv, const float *row, int j, const pb_vmask *m, pb_vf ident)
{
    if ((left && j == 0) || (right && j >= nv - 2))
        return pb_vload_masked(row + j * PB_VLEN, m[j], ident);
    return pb_vload(row + j * PB_VLEN);
}

/* Output row o of a walk from window rows r1, r2 (the first is carried in
 * c, which takes r2's): nb blocks, the last storing a whole vector when
 * `whole_last`, else its last_n lanes; with stream, every block streams its
 * lanes in the row and no more (see nchw_3x3s2_streams). */
PB_INLINE void nchw_3x3s2_out_row(int op, int nb, int nv, bool left, bool right, const float *r1, const float *r2,
                                  const pb_vmask *m, pb_vf ident, pb_vf *c, pb_nan_seen *wit, float *o, bool whole_last,
                                  int64_t last_n, bool stream)
{
    pb_vf v[NCHW_3X3S2_COLS];
    for (int j = 0; j < nv; ++j) {
        const pb_vf x1 = nchw_3x3s2_load(left, right, nv, r1, j, m, ident);
        const pb_vf x2 = nchw_3x3s2_load(left, right, nv, r2, j, m, ident);
        *wit = pb_see_nan(*wit, x1, x2);
        v[j] = pb_vop(op, pb_vop(op, c[j], x1), x2);
        c[j] = x2;
    }
    for (int b = 0; b < nb; ++b) {
        /* Past the vectors loaded, only lanes of outputs past the row read them. */
        const pb_vf res = nchw_3x3s2_block(op, v[2 * b], v[2 * b + 1 < nv ? 2 * b + 1 : nv - 1],
                                           v[2 * b + 2 < nv ? 2 * b + 2 : nv - 1]);
        if (stream)
            pb_vstream_halves(o + b * PB_VLEN, res, b < nb - 1 ? PB_VLEN : last_n);
        else if (b < nb - 1 || whole_last)
            pb_vstore(o + b * PB_VLEN, res);
        else
            pb_vstore_first(o + b * PB_VLEN, res, last_n);
    }
}

/* Output rows o and o + ow of a walk whose output rows pair up in one
 * vector (2 ow < PB_VLEN: AlexNet's 13x13), from window rows r .. r + 3 W
 * and the row before (carried in c, which takes r + 3 W): each output lane
 * picks its three columns with a two-source permute (three, where aligning
 * each row and pairing the results took four shuffles and one more op). */
PB_INLINE pb_vf nchw_3x3s2_pair(int op, const float *r, int64_t W, pb_vmask m, pb_vf ident, const pb_vi at[3], pb_vf *c,
                                pb_nan_seen *wit)
{
    /* A row of one vector is at most a line: four lines cover four rows. */
    for (int line = 0; line < 4; ++line)
        pb_prefetch(r + PB_PREFETCH_BYTES / sizeof(float) + line * 16);
    const pb_vf x1 = pb_vload_masked(r, m, ident), x2 = pb_vload_masked(r + W, m, ident);
    const pb_vf x3 = pb_vload_masked(r + 2 * W, m, ident), x4 = pb_vload_masked(r + 3 * W, m, ident);
    *wit = pb_see_nan(pb_see_nan(*wit, x1, x2), x3, x4);
    const pb_vf va = pb_vop(op, pb_vop(op, *c, x1), x2), vb = pb_vop(op, pb_vop(op, x2, x3), x4);
    *c = x4;
    return pb_vop(op, pb_vop(op, pb_vpermute2(va, vb, at[0]), pb_vpermute2(va, vb, at[1])),
                  pb_vpermute2(va, vb, at[2]));
}

/* All rows of `count` planes of paired output rows. Apart from the general
 * walk, with its bounds worked out once per call and one NaN witness for all
 * planes (a NaN sends them all to the redo: rare, and correct), so that its
 * few values stay in registers: inside the general walk gcc spilled the
 * strides and ran 40 instructions per pair of rows. The unpaired last rows
 * take nchw_3x3s2_out_row. */
PB_INLINE void nchw_3x3s2_paired_walk(int op, const pb_params *p, const float *in, float *out, pb_vmask m,
                                      int64_t count, uint64_t *dirty)
{
    const int64_t H = p->h, W = p->w, ow = p->ow, oh = p->oh, ph = p->ph, pw = p->pw;
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    /* Pairs whose window rows all lie inside the input, and of those the
     * ones whose whole-vector store stays inside the plane (lanes past the
     * pair land on rows written after it). */
    const int64_t steady = nchw_3x3s2_steady_rows(p);
    const int64_t pairs = (steady < oh ? steady : oh) / 2;
    const int64_t whole = oh * ow >= PB_VLEN ? (oh * ow - PB_VLEN) / ow / 2 + 1 : 0;
    const int64_t whole_pairs = whole < pairs ? whole : pairs;
    const pb_vi at0 = pb_even_lanes_of_two(ow);
    const pb_vi at[3] = {at0, (at0 + 1) & (2 * PB_VLEN - 1), (at0 + 2) & (2 * PB_VLEN - 1)};
    const float *first = in + nchw_3x3s2_clamp_row(p, -ph) * W - pw, *rows = in + (1 - ph) * W - pw;
    pb_nan_seen wit = {0};
    if (oh == 2 * pairs) {
        /* Every row pairs up inside the input (AlexNet's 13x13): one loop over
         * the pairs of all the planes, each plane's first pair loading its
         * carried row, and every store a whole vector but those that would
         * run past the call's last output.
         * Plane by plane, as below, the same pairs took 1.27-1.45x as long
         * (A/B, 256x13x13, 2026-12-05). */
        const int64_t total = count * pairs;
        const float *r = rows;
        float *o = out, *const end = out + count * oh * ow;
        pb_vf c = ident;
        for (int64_t t = 0, left = 0, plane = 0; t < total; ++t, r += 4 * W, o += 2 * ow, --left) {
            if (left == 0) {
                left = pairs, r = rows + plane;
                c = pb_vload_masked(first + plane, m, ident);
                wit = pb_see_nan(wit, c, c);
                plane += H * W;
            }
            const pb_vf x = nchw_3x3s2_pair(op, r, W, m, ident, at, &c, &wit);
            if (o + PB_VLEN <= end)
                pb_vstore(o, x);
            else
                pb_vstore_first(o, x, 2 * ow);
        }
        if (pb_saw_nan(wit))
            *dirty |= pb_planes_all_dirty(count);
        return;
    }
    for (int64_t i = 0; i < count; ++i) {
        pb_vf c = pb_vload_masked(first + i * H * W, m, ident);
        wit = pb_see_nan(wit, c, c);
        const float *r = rows + i * H * W;
        float *o = out + i * oh * ow;
        int64_t k = 0;
        for (; k < whole_pairs; ++k, r += 4 * W, o += 2 * ow)
            pb_vstore(o, nchw_3x3s2_pair(op, r, W, m, ident, at, &c, &wit));
        for (; k < pairs; ++k, r += 4 * W, o += 2 * ow)
            pb_vstore_first(o, nchw_3x3s2_pair(op, r, W, m, ident, at, &c, &wit), 2 * ow);
        const float *plane = in + i * H * W - pw;
        for (int64_t oy = 2 * pairs; oy < oh; ++oy, o += ow)
            nchw_3x3s2_out_row(op, 1, 1, true, true, plane + nchw_3x3s2_clamp_row(p, 2 * oy - ph + 1) * W,
                               plane + nchw_3x3s2_clamp_row(p, 2 * oy - ph + 2) * W, &m, ident, &c, &wit, o, false,
                               ow, false);
    }
    if (pb_saw_nan(wit))
        *dirty |= pb_planes_all_dirty(count);
}

/* One walk down output rows [oy0, oy1) of each of `count` planes: nb blocks
 * of outputs from block b0, from the nv column vectors (2 nb + 1, or fewer
 * where the row ends early) starting at input column 2 * b0 * PB_VLEN - pw;
 * `left`, `right`: the first or the last vectors may leave the row. Bit i
 * of *dirty is set when plane i may hold a NaN. Rows of one vector or less
 * in pairs (nchw_3x3s2_paired_walk) do not stream. */
PB_INLINE void nchw_3x3s2_walk(int op, int nb, int nv, bool left, bool right, const pb_params *p, const float *in,
                               float *out, int64_t b0, int64_t oy0, int64_t oy1, int64_t count, uint64_t *dirty,
                               bool stream)
{
    const int64_t H = p->h, W = p->w, ow = p->ow, oh = p->oh, ph = p->ph, col0 = 2 * b0 * PB_VLEN - p->pw;
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    pb_vmask m[NCHW_3X3S2_COLS];
    for (int j = 0; j < nv; ++j)
        m[j] = pb_vmask_row(col0 + j * PB_VLEN, W);
    if (nv == 1 && 2 * ow <= PB_VLEN && oy0 == 0 && oy1 == oh) {
        nchw_3x3s2_paired_walk(op, p, in, out, m[0], count, dirty);
        return;
    }
    /* The last block's outputs, and until which output row it may store a
     * whole vector anyway: when this walk is the whole row, the lanes past it
     * land on the next rows of the plane, which this walk writes after. */
    const int64_t last_n = ow - (b0 + nb - 1) * PB_VLEN;
    const int64_t whole_rows =
        b0 == 0 && last_n <= PB_VLEN && oh * ow >= nb * PB_VLEN ? (oh * ow - nb * PB_VLEN) / ow : -1;
    const int64_t steady = nchw_3x3s2_steady_rows(p);
    const int64_t steady_end = steady < oy0 ? oy0 : steady > oy1 ? oy1 : steady;
    /* Whole rows ahead, so the prefetches fall on the walk's columns, and
     * only in walks of whole rows: a band's next rows wait for its other walks
     * (with AVX2 on the stem, prefetching there cost 5-10% in the caches). */
    const int64_t ahead = (PB_PREFETCH_BYTES / (int64_t)sizeof(float) / W + 1) * W;
    const bool prefetch = b0 == 0 && last_n <= PB_VLEN;
    for (int64_t i = 0; i < count; ++i) {
        const float *plane = in + i * H * W;
        pb_nan_seen wit = {0};
        pb_vf c[NCHW_3X3S2_COLS];
        const float *first = plane + nchw_3x3s2_clamp_row(p, 2 * oy0 - ph) * W + col0;
        for (int j = 0; j < nv; ++j) {
            c[j] = nchw_3x3s2_load(left, right, nv, first, j, m, ident);
            wit = pb_see_nan(wit, c[j], c[j]);
        }
        float *o = out + i * oh * ow + oy0 * ow + b0 * PB_VLEN;
        const float *r = plane + (2 * oy0 - ph + 1) * W + col0;
        int64_t oy = oy0;
        for (; oy < steady_end; ++oy, o += ow, r += 2 * W) {
            for (int j = 0; prefetch && j < nv; ++j) {
                pb_prefetch(r + ahead + j * PB_VLEN);
                pb_prefetch(r + W + ahead + j * PB_VLEN);
            }
            nchw_3x3s2_out_row(op, nb, nv, left, right, r, r + W, m, ident, c, &wit, o,
                               last_n >= PB_VLEN || oy <= whole_rows, last_n, stream);
        }
        for (; oy < oy1; ++oy, o += ow)
            nchw_3x3s2_out_row(op, nb, nv, left, right, plane + nchw_3x3s2_clamp_row(p, 2 * oy - ph + 1) * W + col0,
                               plane + nchw_3x3s2_clamp_row(p, 2 * oy - ph + 2) * W + col0, m, ident, c, &wit, o,
                               last_n >= PB_VLEN || oy <= whole_rows, last_n, stream);
        if (pb_saw_nan(wit))
            *dirty |= (uint64_t)1 << i;
    }
}

/* The walk from block b0 with its shape as compile-time constants: nb
 * blocks (up to NCHW_3X3S2_WALK) from nv = 2 nb - 1 to 2 nb + 1 vectors;
 * plain loads inside the row, masks only where the walk reaches its ends. */
PB_INLINE void nchw_3x3s2_walk_from(int op, const pb_params *p, const float *in, float *out, int64_t b0, int64_t oy0,
                                    int64_t oy1, int64_t count, uint64_t *dirty, bool stream)
{
    const int64_t blocks = (p->ow + PB_VLEN - 1) / PB_VLEN;
    const int64_t nb = blocks - b0 < NCHW_3X3S2_WALK ? blocks - b0 : NCHW_3X3S2_WALK;
    const int64_t outputs = (b0 + nb) * PB_VLEN < p->ow ? nb * PB_VLEN : p->ow - b0 * PB_VLEN;
    /* The walk's windows span 2 outputs + 1 columns. */
    const int64_t nv = (2 * outputs + PB_VLEN) / PB_VLEN;
    const int64_t col0 = 2 * b0 * PB_VLEN - p->pw;
    if (nv == NCHW_3X3S2_COLS && col0 + NCHW_3X3S2_COLS * PB_VLEN <= p->w) {
        if (col0 >= 0)
            nchw_3x3s2_walk(op, NCHW_3X3S2_WALK, NCHW_3X3S2_COLS, false, false, p, in, out, b0, oy0, oy1, count,
                            dirty, stream);
        else
            nchw_3x3s2_walk(op, NCHW_3X3S2_WALK, NCHW_3X3S2_COLS, true, false, p, in, out, b0, oy0, oy1, count,
                            dirty, stream);
        return;
    }
    /* The rest mask the first vector too: a mask of the whole vector costs little. */
#define NCHW_3X3S2_MASKED(NB)                                                                                    \
    (nv == 2 * (NB) + 1                                                                                          \
         ? nchw_3x3s2_walk(op, NB, 2 * (NB) + 1, true, true, p, in, out, b0, oy0, oy1, count, dirty, stream)     \
     : nv == 2 * (NB)                                                                                            \
         ? nchw_3x3s2_walk(op, NB, 2 * (NB), true, true, p, in, out, b0, oy0, oy1, count, dirty, stream)         \
         : nchw_3x3s2_walk(op, NB, 2 * (NB) - 1, true, true, p, in, out, b0, oy0, oy1, count, dirty, stream))
    switch (nb) {
    case 1: NCHW_3X3S2_MASKED(1); break;
#if NCHW_3X3S2_WALK > 2
    case 2: NCHW_3X3S2_MASKED(2); break;
#endif
#if NCHW_3X3S2_WALK > 3
    case 3: NCHW_3X3S2_MASKED(3); break;
#endif
    default: NCHW_3X3S2_MASKED(NCHW_3X3S2_WALK); break;
    }
#undef NCHW_3X3S2_MASKED
}

/* Whether the walks may write out with streaming stores, where
 * stream_output asks: every output row must start half a vector aligned and
 * hold whole half vectors (the stem's rows of 56: every other one starts off
 * a vector boundary, and a walk's last vector would run into the next row),
 * so each store covers its own lanes only. */
static inline bool nchw_3x3s2_streams(const pb_params *p, const float *out, bool stream_output)
{
#if PB_VSTREAM
    return stream_output && p->ow % (PB_VLEN / 2) == 0 && (uintptr_t)out % (sizeof(pb_vf) / 2) == 0;
#else
    (void)p, (void)out, (void)stream_output;
    return false;
#endif
}

/* `count` (up to 64) planes with the NaN-free op; bit i of the result is
 * set when plane i may hold a NaN. A row of one walk takes all the planes in
 * that walk; longer rows go plane by plane in bands of rows, each band in
 * walks of NCHW_3X3S2_WALK blocks. stream: see nchw_3x3s2_streams. */
PB_INLINE uint64_t nchw_3x3s2_planes(int op, const pb_params *p, const float *in, float *out, int64_t count,
                                     bool stream)
{
    uint64_t dirty = 0;
    const int64_t blocks = (p->ow + PB_VLEN - 1) / PB_VLEN;
    if (blocks <= NCHW_3X3S2_WALK) {
        nchw_3x3s2_walk_from(op, p, in, out, 0, 0, p->oh, count, &dirty, stream);
        return dirty;
    }
    const int64_t band_rows = NCHW_3X3S2_BAND_BYTES / (2 * p->w * (int64_t)sizeof(float));
    const int64_t band = band_rows > 4 ? band_rows : 4;
    for (int64_t i = 0; i < count; ++i) {
        uint64_t one = 0;
        for (int64_t oy0 = 0; oy0 < p->oh; oy0 += band)
            for (int64_t b0 = 0; b0 < blocks; b0 += NCHW_3X3S2_WALK)
                nchw_3x3s2_walk_from(op, p, in + i * p->h * p->w, out + i * p->oh * p->ow, b0, oy0,
                                     oy0 + band < p->oh ? oy0 + band : p->oh, 1, &one, stream);
        dirty |= one << i;
    }
    return dirty;
}
