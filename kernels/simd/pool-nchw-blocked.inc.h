/* NCHW pooled PB_VLEN planes at a time through channel-blocked tiles: a band
 * of input rows of PB_VLEN neighbouring planes is transposed in registers into
 * a tile of pixels of PB_VLEN channels (oneDNN's blocked layout, in the small),
 * with the reduction's identity around it as padding; there every window tap
 * is one whole-vector load, whatever the stride or dilation, with no shuffles
 * and no border code; the output band is transposed back into the planes.
 * A transpose costs about one shuffle per float, paid once per input and
 * output float, where vectorizing along the row pays shuffles or unaligned
 * loads per tap and wastes lanes on short rows.
 * Taps in naive's order (rows outer, columns inner), so bit-exact with naive. */
#include "poolbench/pool.h"
#include "pool-columns.inc.h"
#include "vec.h"

/* Tiles of about this many bytes stay in L2 next to the output tile. */
#define NCHW_TILE_BYTES (192 * 1024)

typedef struct {
    float *tile;  /* rows x wp pixels of PB_VLEN floats; pixel (r, i) is input (r - ph, i - pw) of the band */
    float *otile; /* band x owp pixels of PB_VLEN floats */
    int32_t *cols; /* avg: pb_avg_cols of each output column */
    int64_t wp, owp, band, rows;
} nchw_tiles;

static bool nchw_tiles_alloc(const pb_params *p, nchw_tiles *t)
{
    const int64_t reach = (p->ow - 1) * p->sw + (p->kw - 1) * p->dw + 1, span = (p->kh - 1) * p->dh + 1;
    t->wp = reach > p->pw + p->w ? reach : p->pw + p->w;
    t->owp = (p->ow + PB_VLEN - 1) / PB_VLEN * PB_VLEN;
    const int64_t rows_fit = NCHW_TILE_BYTES / (t->wp * PB_VLEN * (int64_t)sizeof(float));
    t->band = rows_fit > span ? (rows_fit - span) / p->sh + 1 : 1;
    t->band = t->band < p->oh ? t->band : p->oh;
    t->rows = (t->band - 1) * p->sh + span;
    const size_t tile_bytes = (size_t)(t->rows * t->wp * PB_VLEN) * sizeof(float);
    const size_t otile_bytes = (size_t)(t->band * t->owp * PB_VLEN) * sizeof(float);
    const size_t cols_bytes = (size_t)p->ow * sizeof(int32_t);
    char *base = pb_simd_scratch(tile_bytes + otile_bytes + cols_bytes);
    if (!base)
        return false;
    t->tile = (float *)base;
    t->otile = (float *)(base + tile_bytes);
    t->cols = (int32_t *)(base + tile_bytes + otile_bytes);
    /* The output tile's pixels past ow are transposed but never stored: keep them defined. */
    for (int64_t r = 0; r < t->band; ++r)
        memset(t->otile + (r * t->owp + p->ow) * PB_VLEN, 0, (size_t)((t->owp - p->ow) * PB_VLEN) * sizeof(float));
    for (int64_t ox = 0; ox < p->ow; ++ox)
        t->cols[ox] = (int32_t)pb_avg_cols(p, ox);
    return true;
}

/* Tile row for padded input row r: identity outside the input, the PB_VLEN
 * planes' row transposed into pixels inside, each pixel also added into *wit
 * when wit is given. */
PB_INLINE void nchw_tile_row(int op, const pb_params *p, const float *planes, int64_t r, float *trow, int64_t wp,
                             pb_vf *wit)
{
    const int64_t y = r - p->ph, W = p->w, plane = p->h * W;
    const pb_vf ident = pb_vset1(pb_op_identity(op));
    if (y < 0 || y >= p->h) {
        for (int64_t i = 0; i < wp; ++i)
            pb_vstore(trow + i * PB_VLEN, ident);
        return;
    }
    for (int64_t i = 0; i < p->pw; ++i)
        pb_vstore(trow + i * PB_VLEN, ident);
    for (int64_t i = p->pw + W; i < wp; ++i)
        pb_vstore(trow + i * PB_VLEN, ident);
    const float *src = planes + y * W;
    float *dst = trow + p->pw * PB_VLEN;
    for (int64_t x = 0; x < W; x += PB_VLEN) {
        /* A row's last block (all of a row shorter than PB_VLEN) loads only its
         * n floats: reading on would leave the last plane. */
        const int64_t n = W - x < PB_VLEN ? W - x : PB_VLEN;
        pb_vf v[PB_VLEN];
        for (int c = 0; c < PB_VLEN; ++c)
            v[c] = n == PB_VLEN ? pb_vload(src + c * plane + x) : pb_vload_first(src + c * plane + x, n);
        pb_vtranspose(v);
        for (int j = 0; j < n; ++j) {
            pb_vstore(dst + (x + j) * PB_VLEN, v[j]);
            if (wit)
                *wit += v[j];
        }
    }
}

/* nb output pixels from columns ox[0..nb) of the row whose windows start at
 * `base`; kh, kw compile-time constants for common undilated windows, else 0;
 * sw likewise for strides 1 and 2. */
PB_INLINE void nchw_tile_pixels(int op, int kh, int kw, int sw, int nb, const pb_params *p, const float *base,
                                int64_t wp, int64_t ox, pb_vf *acc)
{
    const int64_t th = kh ? kh : p->kh, tw = kw ? kw : p->kw, dh = kh ? 1 : p->dh, dw = kw ? 1 : p->dw;
    const int64_t step = (sw ? sw : p->sw) * PB_VLEN, row = dh * wp * PB_VLEN, col = dw * PB_VLEN;
    const float *first = base + ox * step;
    for (int b = 0; b < nb; ++b)
        acc[b] = pb_vset1(pb_op_identity(op));
    for (int64_t ty = 0; ty < th; ++ty) {
        const float *r = first + ty * row;
        for (int64_t tx = 0; tx < tw; ++tx)
            for (int b = 0; b < nb; ++b)
                acc[b] = pb_vop(op, acc[b], pb_vload(r + b * step + tx * col));
    }
}

PB_INLINE void nchw_tile_out(int op, const nchw_tiles *t, pb_vf acc, int64_t row_taps, int64_t ox, float *orow)
{
    if (op == PB_OP_SUM) {
        const int64_t d = row_taps * t->cols[ox];
        /* An empty window (possible with dilation) sums to 0; PyTorch outputs 0. */
        acc /= pb_vset1((float)(d > 0 ? d : 1));
    }
    pb_vstore(orow + ox * PB_VLEN, acc);
}

/* Output rows [oy0, oy1) of the PB_VLEN planes from the filled tile. */
PB_INLINE void nchw_tile_outputs(int op, int kh, int kw, int sw, const pb_params *p, float *out, int64_t oy0,
                                 int64_t oy1, const nchw_tiles *t)
{
    const int64_t wp = t->wp, pix = wp * PB_VLEN;
    for (int64_t oy = oy0; oy < oy1; ++oy) {
        const float *base = t->tile + (oy - oy0) * p->sh * pix;
        float *orow = t->otile + (oy - oy0) * t->owp * PB_VLEN;
        if (kh == kw && pb_columns_apply(op, kh, sw)) {
            /* Stride 1 in pairs of rows, as in NHWC: the identity rows around
             * the tile make every pair's windows whole. */
            if (sw == 1 && p->sh == 1 && oy + 1 < oy1)
                pb_column_pixels(op, kh, 1, 1, 2, base, pix, PB_VLEN, orow, t->owp * PB_VLEN, p->ow, NULL, false), ++oy;
            else
                pb_column_pixels(op, kh, sw, 1, 1, base, pix, PB_VLEN, orow, 0, p->ow, NULL, false);
            continue;
        }
        const int64_t row_taps = op == PB_OP_SUM ? pb_avg_rows(p, oy) : 1;
        pb_vf acc[4];
        int64_t ox = 0;
        for (; ox + 4 <= p->ow; ox += 4) {
            nchw_tile_pixels(op, kh, kw, sw, 4, p, base, wp, ox, acc);
            for (int b = 0; b < 4; ++b)
                nchw_tile_out(op, t, acc[b], row_taps, ox + b, orow);
        }
        for (; ox < p->ow; ++ox) {
            nchw_tile_pixels(op, kh, kw, sw, 1, p, base, wp, ox, acc);
            nchw_tile_out(op, t, acc[0], row_taps, ox, orow);
        }
    }
    const int64_t out_plane = p->oh * p->ow;
    for (int64_t oy = oy0; oy < oy1; ++oy) {
        const float *orow = t->otile + (oy - oy0) * t->owp * PB_VLEN;
        for (int64_t ox = 0; ox < p->ow; ox += PB_VLEN) {
            pb_vf v[PB_VLEN];
            for (int j = 0; j < PB_VLEN; ++j)
                v[j] = pb_vload(orow + (ox + j) * PB_VLEN);
            pb_vtranspose(v);
            const int64_t n = p->ow - ox < PB_VLEN ? p->ow - ox : PB_VLEN;
            for (int c = 0; c < PB_VLEN; ++c) {
                float *dst = out + c * out_plane + oy * p->ow + ox;
                if (n == PB_VLEN)
                    pb_vstore(dst, v[c]);
                else
                    pb_vstore_first(dst, v[c], n);
            }
        }
    }
}

/* Output rows [oy0, oy1) of the PB_VLEN planes from `planes`. A max or min
 * takes the one-instruction NaN-free update unless the witness, the sum of
 * every input pixel of the band, is NaN (or inf - inf: a false alarm only
 * costs the NaN rule's extra instructions). */
PB_INLINE void nchw_tile_band(int op, int kh, int kw, int sw, const pb_params *p, const float *planes, float *out,
                              int64_t oy0, int64_t oy1, const nchw_tiles *t)
{
    const int64_t pix = t->wp * PB_VLEN;
    const int64_t rows = (oy1 - oy0 - 1) * p->sh + (p->kh - 1) * p->dh + 1;
    pb_vf wit = pb_vset1(0.0f);
    for (int64_t r = 0; r < rows; ++r)
        nchw_tile_row(op, p, planes, oy0 * p->sh + r, t->tile + r * pix, t->wp, op == PB_OP_SUM ? NULL : &wit);
    if (op == PB_OP_SUM || pb_vany_nan(wit))
        nchw_tile_outputs(op, kh, kw, sw, p, out, oy0, oy1, t);
    else
        nchw_tile_outputs(pb_op_no_nan(op), kh, kw, sw, p, out, oy0, oy1, t);
}

PB_INLINE void nchw_tile_groups_k(int op, int kh, int kw, int sw, const pb_params *p, const float *in, float *out,
                                  int64_t groups, const nchw_tiles *t)
{
    const int64_t in_plane = p->h * p->w, out_plane = p->oh * p->ow;
    for (int64_t g = 0; g < groups; ++g) {
        const float *planes = in + g * PB_VLEN * in_plane;
        float *o = out + g * PB_VLEN * out_plane;
        for (int64_t oy = 0; oy < p->oh; oy += t->band)
            nchw_tile_band(op, kh, kw, sw, p, planes, o, oy, oy + t->band < p->oh ? oy + t->band : p->oh, t);
    }
}

/* Compile-time strides 1 and 2 for the common windows. */
PB_INLINE void nchw_tile_groups_kw(int op, int kh, int kw, const pb_params *p, const float *in, float *out,
                                   int64_t groups, const nchw_tiles *t)
{
    if (kh && p->sw == 1)
        nchw_tile_groups_k(op, kh, kw, 1, p, in, out, groups, t);
    else if (kh && p->sw == 2)
        nchw_tile_groups_k(op, kh, kw, 2, p, in, out, groups, t);
    else
        nchw_tile_groups_k(op, kh, kw, 0, p, in, out, groups, t);
}

/* The first `groups` groups of PB_VLEN planes; false when memory runs out. */
PB_INLINE bool nchw_tile_groups(int op, const pb_params *p, const float *in, float *out, int64_t groups)
{
    nchw_tiles t;
    if (!nchw_tiles_alloc(p, &t))
        return false;
    const bool unit = p->dh == 1 && p->dw == 1;
    if (unit && p->kh == 2 && p->kw == 2)
        nchw_tile_groups_kw(op, 2, 2, p, in, out, groups, &t);
    else if (unit && p->kh == 3 && p->kw == 3)
        nchw_tile_groups_kw(op, 3, 3, p, in, out, groups, &t);
    else
        nchw_tile_groups_kw(op, 0, 0, p, in, out, groups, &t);
    return true;
}
