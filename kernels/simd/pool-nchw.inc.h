/* NCHW max/min/avg, vectorized along the output row: PB_VLEN neighbouring
 * outputs of one row are computed together, their taps loaded as shifted
 * vectors (stride 1), even lanes of two vectors (stride 2) or strided lanes
 * (other strides).
 *
 * Global windows reduce whole planes (nchw_global_planes), 2x2/s2 windows
 * inside the input, k x k at stride 1 (k = 3, 5, 7) and 3x3/s2 max/min have
 * their own kernels (pool-nchw-2x2s2.inc.h with pool-nchw-short-rows.inc.h
 * for rows shorter than a vector, pool-nchw-ks1.inc.h, pool-nchw-3x3s2.inc.h), whole
 * groups of PB_VLEN planes otherwise take channel-blocked tiles
 * (pool-nchw-blocked.inc.h); the planes left over, and separable, go row by
 * row as follows.
 *
 * direct (the simd family): each plane is first copied into a padded plane
 * whose padding, top, bottom, left, right and past the last window (ceil_mode,
 * a row's last partial block), holds the reduction's identity (-inf, +inf or
 * 0). Every window is then a full kh x kw window of ordinary vector loads: no
 * peeled borders, no bounds checks, no scalar code, and the same unrolled code
 * for every row. A padding tap is an exact no-op, and taps are visited in
 * naive's order (rows outer, columns inner), so max, min and avg are bit-exact
 * with naive.
 * separable: the window's rows are reduced first, straight from the plane
 * into one padded line, then the line's 1 x kw windows: kh + kw operations
 * per output instead of kh * kw (max/min, where order does not matter).
 *
 * A plane holding no NaN (one scan, then it is in cache) takes the
 * one-instruction max/min instead of the NaN-propagating three. */
#include "poolbench/pool.h"
#include "pool-nchw-2x2s2.inc.h"
#include "pool-nchw-ks1.inc.h"
#include "pool-nchw-3x3s2.inc.h"
#include "pool-nchw-blocked.inc.h"
#include "pool-nchw-short-rows.inc.h"
#include "vec.h"

/* How a block's taps are loaded: shifted vectors (stride 1), even lanes of two
 * vectors (stride 2), or lane by lane (any stride). */
enum { LOAD_SHIFTED, LOAD_EVEN, LOAD_STRIDED };

/* Output blocks computed together: independent accumulators, so one block's
 * chain of dependent steps does not stall the core. */
#define NCHW_GROUP 4

typedef struct {
    float *padded;  /* rows x len floats; element (r, i) holds input (r - ph, i - pw) */
    int32_t *cols;  /* avg: pb_avg_cols of each output column, the row's blocks rounded up */
    int64_t *start; /* first column of each block of a row: the same for every row */
    int64_t rows, len;
} nchw_work;

/* The call's buffers, in the thread's scratch, sized from the parameters
 * (separable needs one line, direct a whole padded plane); false when memory
 * runs out. */
static bool nchw_work_alloc(int op, bool separable, const pb_params *p, nchw_work *w)
{
    const int64_t blocks = (p->ow + PB_VLEN - 1) / PB_VLEN, span = (p->kw - 1) * p->dw;
    /* A block's loads reach (PB_VLEN - 1) * sw + span floats past its first
     * tap, plus PB_VLEN for the second vector of an even-lane load. */
    int64_t len = blocks * PB_VLEN * p->sw + span + PB_VLEN;
    len = len > p->pw + p->w ? len : p->pw + p->w;
    w->len = (len + 15) / 16 * 16;
    const int64_t reach = (p->oh - 1) * p->sh + (p->kh - 1) * p->dh + 1;
    w->rows = separable ? 1 : reach > p->ph + p->h ? reach : p->ph + p->h;
    const size_t plane_bytes = (size_t)(w->rows * w->len) * sizeof(float);
    const size_t cols_bytes = (size_t)(blocks * PB_VLEN) * sizeof(int32_t);
    const size_t start_bytes = (size_t)blocks * sizeof(int64_t);
    char *base = pb_simd_scratch(plane_bytes + cols_bytes + start_bytes);
    if (!base)
        return false;
    w->padded = (float *)base;
    /* plane_bytes is a multiple of 64 (len is): the int64 starts go first. */
    w->start = (int64_t *)(base + plane_bytes);
    w->cols = (int32_t *)(base + plane_bytes + start_bytes);
    /* A row of at least PB_VLEN outputs ends with a block overlapping the one
     * before it; a shorter row is one block that stores only its lanes. */
    for (int64_t i = 0; i < blocks; ++i)
        w->start[i] = (i + 1) * PB_VLEN <= p->ow || p->ow < PB_VLEN ? i * PB_VLEN : p->ow - PB_VLEN;
    const float ident = pb_op_identity(op);
    for (int64_t i = 0; i < w->rows * w->len; ++i)
        w->padded[i] = ident;
    for (int64_t i = 0; i < blocks * PB_VLEN; ++i)
        w->cols[i] = i < p->ow && op == PB_OP_SUM ? (int32_t)pb_avg_cols(p, i) : 1;
    return true;
}

/* nb blocks of outputs starting at columns o[0..nb) of the row whose windows
 * start at `base`, rows `rstride` floats apart. kh and kw are compile-time
 * constants for the common undilated windows (fully unrolled taps, stride
 * known from the load), 0 for any other (read from p). */
PB_INLINE void nchw_blocks(int op, int load, int kh, int kw, int nb, const pb_params *p, const float *base,
                           int64_t rstride, const int64_t *o, pb_vf *acc)
{
    const int64_t th = kh ? kh : p->kh, tw = kw ? kw : p->kw, dw = kw ? 1 : p->dw;
    const int64_t sw = kw && load == LOAD_SHIFTED ? 1 : kw && load == LOAD_EVEN ? 2 : p->sw;
    const int64_t rs = kh ? rstride : rstride * p->dh;
    for (int b = 0; b < nb; ++b)
        acc[b] = pb_vset1(pb_op_identity(op));
    for (int64_t ty = 0; ty < th; ++ty)
        for (int64_t tx = 0; tx < tw; ++tx)
            for (int b = 0; b < nb; ++b) {
                const float *s = base + ty * rs + o[b] * sw + tx * dw;
                pb_vf v = load == LOAD_SHIFTED ? pb_vload(s) : load == LOAD_EVEN ? pb_vload_even(s)
                                                                                   : pb_vload_strided(s, sw);
                acc[b] = pb_vop(op, acc[b], v);
            }
}

/* Averages divide by rows(oy) * cols(ox); a row shorter than PB_VLEN stores
 * only its lanes. */
PB_INLINE void nchw_store(int op, const pb_params *p, pb_vf acc, int64_t o, const int32_t *cols, int64_t row_taps,
                          float *orow)
{
    if (op == PB_OP_SUM) {
        pb_vi d;
        memcpy(&d, cols + o, sizeof d);
        d *= (int32_t)row_taps;
        /* An empty window (possible with dilation) sums to 0; PyTorch outputs 0. */
        const pb_vi positive = d > 0;
        d = (d & positive) | (((pb_vi){0} + 1) & ~positive);
        acc /= __builtin_convertvector(d, pb_vf);
    }
    if (o + PB_VLEN <= p->ow)
        pb_vstore(orow + o, acc);
    else
        memcpy(orow + o, &acc, (size_t)(p->ow - o) * sizeof(float));
}

PB_INLINE void nchw_row(int op, int load, int kh, int kw, const pb_params *p, const float *base, int64_t rstride,
                        const nchw_work *w, int64_t row_taps, float *orow)
{
    const int64_t blocks = (p->ow + PB_VLEN - 1) / PB_VLEN;
    int64_t i = 0;
    pb_vf acc[NCHW_GROUP];
    for (; i + NCHW_GROUP <= blocks; i += NCHW_GROUP) {
        nchw_blocks(op, load, kh, kw, NCHW_GROUP, p, base, rstride, w->start + i, acc);
        for (int b = 0; b < NCHW_GROUP; ++b)
            nchw_store(op, p, acc[b], w->start[i + b], w->cols, row_taps, orow);
    }
    for (; i < blocks; ++i) {
        nchw_blocks(op, load, kh, kw, 1, p, base, rstride, w->start + i, acc);
        nchw_store(op, p, acc[0], w->start[i], w->cols, row_taps, orow);
    }
}

/* dst[x] = op over the ny rows from `first`, dh rows apart, for x in [0, W),
 * NCHW_GROUP vectors at a time (a short last group repeats its last block). */
PB_INLINE void nchw_reduce_rows(int op, const pb_params *p, const float *first, int64_t ny, float *dst)
{
    const int64_t W = p->w, step = p->dh * W, blocks = (W + PB_VLEN - 1) / PB_VLEN;
    if (W < PB_VLEN) {
        for (int64_t x = 0; x < W; ++x) {
            float acc = pb_op_identity(op);
            for (int64_t t = 0; t < ny; ++t)
                acc = pb_sop(op, acc, first[t * step + x]);
            dst[x] = acc;
        }
        return;
    }
    for (int64_t i = 0; i < blocks; i += NCHW_GROUP) {
        int64_t at[NCHW_GROUP];
        pb_vf acc[NCHW_GROUP];
        for (int b = 0; b < NCHW_GROUP; ++b) {
            const int64_t x = (i + b < blocks ? i + b : blocks - 1) * PB_VLEN;
            at[b] = x + PB_VLEN <= W ? x : W - PB_VLEN;
            acc[b] = pb_vset1(pb_op_identity(op));
        }
        for (int64_t t = 0; t < ny; ++t)
            for (int b = 0; b < NCHW_GROUP; ++b)
                acc[b] = pb_vop(op, acc[b], pb_vload(first + t * step + at[b]));
        for (int b = 0; b < NCHW_GROUP; ++b)
            pb_vstore(dst + at[b], acc[b]);
    }
}

/* One plane: separable reduces each output row's window rows into the line,
 * direct copies the plane into the padded plane once. */
PB_INLINE void nchw_plane(int op, int load, int kh, int kw, bool separable, const pb_params *p, const float *plane,
                          float *out, const nchw_work *w)
{
    const int64_t W = p->w;
    if (separable) {
        for (int64_t oy = 0; oy < p->oh; ++oy) {
            int64_t ty0, ty1, unused0, unused1;
            pb_window_taps(p, oy, 0, &ty0, &ty1, &unused0, &unused1);
            const int64_t y0 = oy * p->sh - p->ph + ty0 * p->dh;
            nchw_reduce_rows(op, p, plane + y0 * W, ty1 - ty0, w->padded + p->pw);
            nchw_row(op, load, 1, kw, p, w->padded, 0, w, 1, out + oy * p->ow);
        }
        return;
    }
    for (int64_t y = 0; y < p->h; ++y)
        memcpy(w->padded + (p->ph + y) * w->len + p->pw, plane + y * W, (size_t)W * sizeof(float));
    for (int64_t oy = 0; oy < p->oh; ++oy) {
        const int64_t row_taps = op == PB_OP_SUM ? pb_avg_rows(p, oy) : 1;
        nchw_row(op, load, kh, kw, p, w->padded + oy * p->sh * w->len, w->len, w, row_taps, out + oy * p->ow);
    }
}

/* Per plane: the NaN-free max/min where the plane holds no NaN. */
PB_INLINE void nchw_planes_k(int op, int load, int kh, int kw, bool separable, const pb_params *p, const float *in,
                             float *out, const nchw_work *w)
{
    const int64_t in_plane = p->h * p->w, out_plane = p->oh * p->ow;
    for (int64_t i = 0; i < p->n * p->c; ++i) {
        const float *plane = in + i * in_plane;
        if (op != PB_OP_SUM && !pb_has_nan(plane, in_plane))
            nchw_plane(pb_op_no_nan(op), load, kh, kw, separable, p, plane, out + i * out_plane, w);
        else
            nchw_plane(op, load, kh, kw, separable, p, plane, out + i * out_plane, w);
    }
}

/* Compile-time window sizes for the fast loads' common windows. */
PB_INLINE void nchw_planes_kw(int op, int load, int kh, bool separable, const pb_params *p, const float *in, float *out,
                              const nchw_work *w)
{
    /* Separable rows are 1 x kw, so larger windows unroll cheaply there too. */
    const int64_t kw = load == LOAD_STRIDED || p->dw != 1 ? 0 : p->kw;
    if (kw == 2)
        nchw_planes_k(op, load, kh, 2, separable, p, in, out, w);
    else if (kw == 3)
        nchw_planes_k(op, load, kh, 3, separable, p, in, out, w);
    else if (separable && kw == 5)
        nchw_planes_k(op, load, kh, 5, separable, p, in, out, w);
    else if (separable && kw == 7)
        nchw_planes_k(op, load, kh, 7, separable, p, in, out, w);
    else
        nchw_planes_k(op, load, kh, 0, separable, p, in, out, w);
}

PB_INLINE void nchw_planes(int op, int load, bool separable, const pb_params *p, const float *in, float *out,
                           const nchw_work *w)
{
    /* The window's rows are a loop (separable's one row aside): unrolling them
     * too tripled the direct rows' code for a few percent on the planes the
     * dedicated kernels and the tiles leave. */
    nchw_planes_kw(op, load, separable ? 1 : 0, separable, p, in, out, w);
}

/* Global pooling's last step for `count` planes whose vectors are acc[]:
 * each vector's lanes reduced, divided for avg, stored. */
PB_INLINE void nchw_global_finish(int op, pb_vf *acc, int64_t count, float div, float *o)
{
    pb_vf r = pb_vreduce_lanes(op, acc);
    if (op == PB_OP_SUM)
        r /= pb_vset1(div);
    if (count == PB_VLEN)
        pb_vstore(o, r);
    else
        pb_vstore_first(o, r, count);
}

/* A window covering whole planes (global pooling), `count` (up to PB_VLEN)
 * planes of n floats at once: each plane reduces into its own vector, PB_VLEN
 * independent chains, and one tree of shuffles (pb_vreduce_lanes) turns those
 * vectors' lanes into a vector of plane results, where a horizontal reduction
 * per plane would be a serial chain of PB_VLEN scalar steps. The sum order
 * differs from naive's here: avg stays within PB_SUM_RTOL. A plane's last
 * partial vector is one masked load filled with the identity. */
PB_INLINE void nchw_global_planes(int op, const float *planes, int64_t n, int64_t count, float div, float *o)
{
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    pb_vf acc[PB_VLEN];
    for (int c = 0; c < PB_VLEN; ++c)
        acc[c] = ident;
    int64_t i = 0;
    for (; i + PB_VLEN <= n; i += PB_VLEN)
        for (int c = 0; c < count; ++c)
            acc[c] = pb_vop(op, acc[c], pb_vload(planes + c * n + i));
    if (i < n) {
        const pb_vmask inside = pb_vmask_lanes(0, n - i);
        for (int c = 0; c < count; ++c)
            acc[c] = pb_vop(op, acc[c], pb_vload_masked(planes + c * n + i, inside, ident));
    }
    nchw_global_finish(op, acc, count, div, o);
}

/* PB_VLEN planes of N floats, N a compile-time size of at least PB_VLEN,
 * from a vector-aligned start: the group is N aligned vectors, each holding
 * the end of one plane and the start of the next at most, so every load is
 * whole and aligned, where plane by plane most loads straddle two cache
 * lines (2048 planes of 7x7: 8192 straddling loads become 6272 aligned). */
PB_INLINE void nchw_global_aligned_planes(int op, const float *planes, int64_t N, float div, float *o)
{
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    pb_vf acc[PB_VLEN];
    for (int c = 0; c < PB_VLEN; ++c)
        acc[c] = ident;
    pb_vi lane;
    for (int l = 0; l < PB_VLEN; ++l)
        lane[l] = l;
#pragma GCC unroll 64
    for (int64_t k = 0; k < N; ++k) {
        const pb_vf v = pb_vload(planes + k * PB_VLEN);
        const int64_t c = k * PB_VLEN / N, split = (c + 1) * N - k * PB_VLEN;
        if (split >= PB_VLEN) {
            acc[c] = pb_vop(op, acc[c], v);
        } else {
            const pb_vi first = lane < (pb_vi){0} + (int32_t)split;
            acc[c] = pb_vop(op, acc[c], pb_vselect(first, v, ident));
            acc[c + 1] = pb_vop(op, acc[c + 1], pb_vselect(first, ident, v));
        }
    }
    nchw_global_finish(op, acc, PB_VLEN, div, o);
}

/* Plane by plane, vectorized along the rows. */
PB_INLINE int nchw_pool_rows(int op, bool separable, const pb_params *p, const float *in, float *out)
{
    nchw_work w;
    if (!nchw_work_alloc(op, separable, p, &w))
        return -1;
    if (p->sw == 1)
        nchw_planes(op, LOAD_SHIFTED, separable, p, in, out, &w);
    else if (p->sw == 2)
        nchw_planes(op, LOAD_EVEN, separable, p, in, out, &w);
    else
        nchw_planes(op, LOAD_STRIDED, separable, p, in, out, &w);
    return 0;
}

/* The direct row path out of line: it is reached from the witnessed
 * kernels' redo and from the planes the tiles leave. */
PB_INLINE int nchw_direct_rows(int op, const pb_params *p, const float *in, float *out)
{
    return nchw_pool_rows(op, false, p, in, out);
}
PB_OUT_OF_LINE_BY_OP(int, nchw_direct_rows, (const pb_params *p, const float *in, float *out), p, in, out)

/* The plane kernels that run max/min NaN-free, with a witness or after a
 * scan (k x k/s1 runs its sums through here too: a sum plane is always clean). */
enum { PLANES_2X2S2_SHORT_ROWS, PLANES_3X3S2, PLANES_KS1 };

/* A plane of the k x k/s1 kernel, false (and nothing written) where a max or
 * min plane holds a NaN. */
PB_INLINE bool nchw_ks1_plane_clean(int op, const pb_params *p, const nchw_ks1_plan *q, const float *plane, float *out)
{
    if (op != PB_OP_SUM && pb_has_nan(plane, p->h * p->w))
        return false;
    nchw_ks1_plane(pb_op_no_nan(op), p, q, plane, out);
    return true;
}

/* `count` (up to 64) planes of the k x k/s1 kernel, as nchw_3x3s2_planes
 * takes them: bit i of the result is set when plane i may hold a NaN
 * (nothing of it is then to be trusted). */
PB_INLINE uint64_t nchw_ks1_planes(int op, const pb_params *p, const nchw_ks1_plan *q, const float *in, float *out,
                                   int64_t count)
{
    uint64_t dirty = 0;
    for (int64_t i = 0; i < count; ++i)
        dirty |= (uint64_t)!nchw_ks1_plane_clean(op, p, q, in + i * p->h * p->w, out + i * p->oh * p->ow) << i;
    return dirty;
}

/* Each kernel out of line (see PB_OUT_OF_LINE_BY_OP), its planes looped over
 * inside: a call per plane cost VGG pool5 (512 planes of 14x14) 10%. */
PB_OUT_OF_LINE_BY_OP(uint64_t, nchw_ks1_planes,
                     (const pb_params *p, const nchw_ks1_plan *q, const float *in, float *out, int64_t count), p, q,
                     in, out, count)
PB_OUT_OF_LINE_BY_OP(uint64_t, nchw_3x3s2_planes,
                     (const pb_params *p, const float *in, float *out, int64_t count, bool stream), p, in, out, count,
                     stream)
PB_OUT_OF_LINE_BY_OP(uint64_t, nchw_short_rows_planes, (const pb_params *p, const float *in, float *out, int64_t count),
                     p, in, out, count)
PB_OUT_OF_LINE_BY_OP(int, nchw_2x2s2, (const pb_params *p, const float *in, float *out, bool stream_output), p, in,
                     out, stream_output)
PB_OUT_OF_LINE_BY_OP(bool, nchw_tile_groups, (const pb_params *p, const float *in, float *out, int64_t groups), p, in,
                     out, groups)

/* Up to 64 planes a call (a bit each in `dirty`), or all of them where the
 * short-rows kernel takes them as one run (pool5: 8 calls of 64 planes
 * cost 10%; AlexNet 256x13x13's 4 calls of its paired 3x3/s2 rows, under
 * one witness too, cost nothing measurable); a plane the kernel found may
 * hold a NaN is redone row by row with the NaN rule. stream: the 3x3/s2
 * walks' outputs stream (nchw_3x3s2_streams). */
PB_INLINE int nchw_planes_witnessed(int op, int kernel, const pb_params *p, const nchw_ks1_plan *q1, const float *in,
                                    float *out, bool stream)
{
    const int64_t in_plane = p->h * p->w, out_plane = p->oh * p->ow, planes = p->n * p->c;
    const int64_t per_call = kernel == PLANES_2X2S2_SHORT_ROWS && nchw_short_rows_one_run(p) ? planes : 64;
    pb_params one = *p;
    one.n = 1, one.c = 1;
    for (int64_t i = 0; i < planes; i += per_call) {
        const float *plane = in + i * in_plane;
        float *o = out + i * out_plane;
        const int64_t count = planes - i < per_call ? planes - i : per_call;
        const int clean = pb_op_no_nan(op);
        const uint64_t dirty =
            kernel == PLANES_3X3S2 ? PB_CALL_BY_OP(nchw_3x3s2_planes, clean, p, plane, o, count, stream)
            : kernel == PLANES_KS1 ? PB_CALL_BY_OP(nchw_ks1_planes, op, p, q1, plane, o, count)
                                   : PB_CALL_BY_OP(nchw_short_rows_planes, clean, p, plane, o, count);
        /* The set bits only: testing all 64 cost pool5 (8 calls) about 5%.
         * A bit stands for per_bit planes (pb_planes_all_dirty). */
        const int64_t per_bit = (count + 63) / 64;
        /* The redo's plain stores land after the streamed ones they replace. */
        if (stream && dirty)
            pb_vstream_fence();
        for (uint64_t left = dirty; left != 0; left &= left - 1) {
            const int64_t first = __builtin_ctzll(left) * per_bit;
            for (int64_t k = first; k < first + per_bit && k < count; ++k)
                if (PB_CALL_BY_OP(nchw_direct_rows, op, &one, plane + k * in_plane, o + k * out_plane) != 0)
                    return -1;
        }
    }
    if (stream)
        pb_vstream_fence();
    return 0;
}

PB_INLINE int nchw_pool(int op, bool separable, const pb_params *p, const float *in, float *out, bool stream_output)
{
    if (pb_is_global(p)) {
        const float div = op == PB_OP_SUM ? (float)pb_avg_divisor(p, 0, 0) : 1.0f;
        const int64_t planes = p->n * p->c, n = p->h * p->w;
        int64_t i = 0;
        /* 7x7 averages (ResNet's and GoogLeNet's last pool) have the aligned
         * kernel; max and min do not: their NaN rule and the selects cost more
         * than the aligned loads save (A/B, 2048 planes: 0.84-0.92x). */
        if (op == PB_OP_SUM && n == 49 && (uintptr_t)in % sizeof(pb_vf) == 0)
            for (; i + PB_VLEN <= planes; i += PB_VLEN)
                nchw_global_aligned_planes(op, in + i * n, 49, div, out + i);
        /* A constant count keeps the accumulators in registers. */
        for (; i + PB_VLEN <= planes; i += PB_VLEN)
            nchw_global_planes(op, in + i * n, n, PB_VLEN, div, out + i);
        if (i < planes)
            nchw_global_planes(op, in + i * n, n, planes - i, div, out + i);
        return 0;
    }
    if (!separable && nchw_is_2x2s2(p))
        return PB_CALL_BY_OP(nchw_2x2s2, op, p, in, out, stream_output);
    if (!separable && op != PB_OP_SUM && nchw_short_rows_inside(p))
        return nchw_planes_witnessed(op, PLANES_2X2S2_SHORT_ROWS, p, NULL, in, out, false);
    if (!separable && nchw_is_3x3s2(op, p))
        return nchw_planes_witnessed(op, PLANES_3X3S2, p, NULL, in, out,
                                     nchw_3x3s2_streams(p, out, stream_output));
    nchw_ks1_plan plan_s1;
    if (!separable && nchw_ks1_plan_make(p, &plan_s1))
        return nchw_planes_witnessed(op, PLANES_KS1, p, &plan_s1, in, out, false);
    /* Whole groups of PB_VLEN planes go through channel-blocked tiles (direct
     * windows; separable has its own row scheme), the rest row by row. */
    const int64_t in_plane = p->h * p->w, out_plane = p->oh * p->ow, planes = p->n * p->c;
    const int64_t tiled = PB_VLEN > 1 && !separable ? planes / PB_VLEN * PB_VLEN : 0;
    if (tiled > 0 && !PB_CALL_BY_OP(nchw_tile_groups, op, p, in, out, tiled / PB_VLEN))
        return -1;
    if (tiled == planes)
        return 0;
    pb_params rest = *p;
    rest.n = 1, rest.c = planes - tiled;
    in += tiled * in_plane, out += tiled * out_plane;
    return separable ? nchw_pool_rows(op, true, &rest, in, out) : PB_CALL_BY_OP(nchw_direct_rows, op, &rest, in, out);
}

/* The entry points, one specialization per reduction so the mode test leaves
 * the inner loops. static inline: a file exports the one it is named for. */
static inline int nchw_entry(const pb_params *p, const float *in, float *out, bool stream_output)
{
    switch (pb_mode_op(p->mode)) {
    case PB_OP_MAX: return nchw_pool(PB_OP_MAX, false, p, in, out, stream_output);
    case PB_OP_MIN: return nchw_pool(PB_OP_MIN, false, p, in, out, stream_output);
    default: return nchw_pool(PB_OP_SUM, false, p, in, out, stream_output);
    }
}

static inline int nchw_separable_entry(const pb_params *p, const float *in, float *out)
{
    return pb_mode_op(p->mode) == PB_OP_MAX ? nchw_pool(PB_OP_MAX, true, p, in, out, false)
                                            : nchw_pool(PB_OP_MIN, true, p, in, out, false);
}
