/* The 1-D passes for one vector width (PB_VLEN). */
#include "../simd/vec.h"
#include "lines.h"


PB_INLINE float sop(int op, float a, float v) { return pb_sop(op, a, v); }

/* Valid taps [t0, t1) of output o. */
static inline void taps(const pb_line *l, int64_t o, int64_t *t0, int64_t *t1)
{
    int64_t start = o * l->s - l->pad;
    int64_t lo = start < 0 ? (-start + l->d - 1) / l->d : 0;
    int64_t hi = start <= l->n_in - 1 ? (l->n_in - 1 - start) / l->d + 1 : 0;
    *t0 = lo, *t1 = hi < l->k ? (hi > lo ? hi : lo) : l->k;
}

PB_INLINE void direct_op(int op, const pb_line *l, const float *src, float *dst)
{
    for (int64_t o = 0; o < l->n_out; ++o) {
        int64_t t0, t1;
        taps(l, o, &t0, &t1);
        const float *first = src + (o * l->s - l->pad + t0 * l->d) * l->in_stride;
        const int64_t step = l->d * l->in_stride;
        float *out = dst + o * l->out_stride;
        int64_t b = 0;
        for (; b + PB_VLEN <= l->batch; b += PB_VLEN) {
            pb_vf acc = pb_vset1(pb_op_identity(op));
            for (int64_t t = 0; t < t1 - t0; ++t)
                acc = pb_vop(op, acc, pb_vload(first + t * step + b));
            pb_vstore(out + b, acc);
        }
        for (; b < l->batch; ++b) {
            float acc = pb_op_identity(op);
            for (int64_t t = 0; t < t1 - t0; ++t)
                acc = sop(op, acc, first[t * step + b]);
            out[b] = acc;
        }
    }
}

static void direct(int op, const pb_line *l, const float *src, float *dst)
{
    switch (op) {
    case PB_OP_MAX: direct_op(PB_OP_MAX, l, src, dst); break;
    case PB_OP_MIN: direct_op(PB_OP_MIN, l, src, dst); break;
    default: direct_op(PB_OP_SUM, l, src, dst); break;
    }
}

/* The padded line: position i of it is input position i - pad. */
static inline const float *padded_at(const pb_line *l, const float *src, int64_t i)
{
    int64_t x = i - l->pad;
    return x >= 0 && x < l->n_in ? src + x * l->in_stride : NULL;
}

/* van Herk/Gil-Werman: along each residue class mod d, blocks of k taps;
 * g = running op from the block start, h = running op to the block end; the
 * window starting at i is op(h[i], g[i + (k-1)d]). Padding is the identity. */
PB_INLINE void vhgw_op(int op, const pb_line *l, const float *src, float *dst, float *scratch)
{
    const int64_t L = pb_line_padded(l), B = l->batch, k = l->k, d = l->d;
    float *g = scratch, *h = scratch + L * B;
    const float ident = pb_op_identity(op);
    for (int64_t i = 0; i < L; ++i) {
        const float *x = padded_at(l, src, i);
        const bool block_start = (i / d) % k == 0;
        for (int64_t b = 0; b < B; b += PB_VLEN) {
            if (b + PB_VLEN <= B) {
                pb_vf v = x ? pb_vload(x + b) : pb_vset1(ident);
                pb_vstore(g + i * B + b, block_start ? v : pb_vop(op, pb_vload(g + (i - d) * B + b), v));
            } else {
                for (int64_t c = b; c < B; ++c) {
                    float v = x ? x[c] : ident;
                    g[i * B + c] = block_start ? v : sop(op, g[(i - d) * B + c], v);
                }
            }
        }
    }
    for (int64_t i = L - 1; i >= 0; --i) {
        const float *x = padded_at(l, src, i);
        const bool block_end = (i / d) % k == k - 1 || i + d >= L;
        for (int64_t b = 0; b < B; b += PB_VLEN) {
            if (b + PB_VLEN <= B) {
                pb_vf v = x ? pb_vload(x + b) : pb_vset1(ident);
                pb_vstore(h + i * B + b, block_end ? v : pb_vop(op, v, pb_vload(h + (i + d) * B + b)));
            } else {
                for (int64_t c = b; c < B; ++c) {
                    float v = x ? x[c] : ident;
                    h[i * B + c] = block_end ? v : sop(op, v, h[(i + d) * B + c]);
                }
            }
        }
    }
    for (int64_t o = 0; o < l->n_out; ++o) {
        const int64_t i = o * l->s, j = i + (k - 1) * d;
        float *out = dst + o * l->out_stride;
        int64_t b = 0;
        for (; b + PB_VLEN <= B; b += PB_VLEN)
            pb_vstore(out + b, pb_vop(op, pb_vload(h + i * B + b), pb_vload(g + j * B + b)));
        for (; b < B; ++b)
            out[b] = sop(op, h[i * B + b], g[j * B + b]);
    }
}

static void vhgw(int op, const pb_line *l, const float *src, float *dst, float *scratch)
{
    if (op == PB_OP_MAX)
        vhgw_op(PB_OP_MAX, l, src, dst, scratch);
    else
        vhgw_op(PB_OP_MIN, l, src, dst, scratch);
}

/* Prefix sums per residue class in double, so long lines keep float accuracy:
 * P[i] = x[i] + P[i - d]; window sum = P[i + (k-1)d] - P[i - d]. An infinity
 * or NaN would poison every later difference (inf - inf), so a line holding
 * one is summed directly instead. */
static void runsum(const pb_line *l, const float *src, float *dst, double *P)
{
    const int64_t L = pb_line_padded(l), B = l->batch, k = l->k, d = l->d;
    double poison = 0.0;
    for (int64_t i = 0; i < L; ++i) {
        const float *x = padded_at(l, src, i);
        const double *prev = i >= d ? P + (i - d) * B : NULL;
        double *cur = P + i * B;
        for (int64_t b = 0; b < B; ++b) {
            double v = x ? (double)x[b] : 0.0;
            poison += v - v; /* 0 for finite values, NaN otherwise */
            cur[b] = v + (prev ? prev[b] : 0.0);
        }
    }
    if (poison != 0.0) {
        direct(PB_OP_SUM, l, src, dst);
        return;
    }
    for (int64_t o = 0; o < l->n_out; ++o) {
        const int64_t i = o * l->s, j = i + (k - 1) * d;
        const double *hi = P + j * B, *lo = i >= d ? P + (i - d) * B : NULL;
        float *out = dst + o * l->out_stride;
        for (int64_t b = 0; b < B; ++b)
            out[b] = (float)(hi[b] - (lo ? lo[b] : 0.0));
    }
}
