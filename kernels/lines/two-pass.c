/* Pooling as two 1-D passes, down the columns then along the rows: the
 * separable (direct), van Herk/Gil-Werman and running-sum implementations.
 * Columns first because there a line position is a whole contiguous row (NCHW)
 * or row of pixels (NHWC), so the pass is vectorized whatever the layout; the
 * rows pass of NCHW is then scalar, except for separable (see nchw_separable). */
#include "lines.h"

#include "../simd/simd.h"

typedef enum { PASS_DIRECT, PASS_VHGW, PASS_RUNSUM } pass_kind;

/* The vertical line over an image: positions are rows of `row` floats. */
static pb_line vertical(const pb_params *p, int64_t row)
{
    return (pb_line){.n_in = p->h, .in_stride = row, .n_out = p->oh, .out_stride = row, .batch = row,
                     .k = p->kh, .s = p->sh, .pad = p->ph, .d = p->dh};
}

/* The horizontal line along one row: positions hold `batch` channels. */
static pb_line horizontal(const pb_params *p, int64_t batch)
{
    return (pb_line){.n_in = p->w, .in_stride = batch, .n_out = p->ow, .out_stride = batch, .batch = batch,
                     .k = p->kw, .s = p->sw, .pad = p->pw, .d = p->dw};
}

/* Per unit of work (a plane in NCHW, an image in NHWC): floats per row of
 * positions, channels per position, and units per tensor. */
static void units(const pb_params *p, int64_t *row, int64_t *batch, int64_t *count)
{
    if (p->layout == PB_LAYOUT_NHWC)
        *row = p->w * p->c, *batch = p->c, *count = p->n;
    else
        *row = p->w, *batch = 1, *count = p->n * p->c;
}

static size_t scratch_floats(pass_kind kind, const pb_line *l)
{
    int64_t n = pb_line_padded(l) * l->batch;
    return kind == PASS_VHGW ? (size_t)(2 * n) : kind == PASS_RUNSUM ? (size_t)(2 * n) : 0;
}

/* NCHW separable reduces each output row's window rows first, straight from
 * the plane into a padded line, then runs the line's 1 x kw windows as
 * vectors along W (the simd family's NCHW kernel, separable form): kh + kw
 * operations per output, both passes vectorized, no workspace. */
static bool nchw_separable(const pb_params *p, pass_kind kind)
{
    return kind == PASS_DIRECT && p->layout == PB_LAYOUT_NCHW;
}

static size_t workspace(const pb_params *p, pass_kind kind)
{
    if (nchw_separable(p, kind))
        return 0;
    int64_t row, batch, count;
    units(p, &row, &batch, &count);
    pb_line v = vertical(p, row), h = horizontal(p, batch);
    size_t sv = scratch_floats(kind, &v), sh = scratch_floats(kind, &h);
    return ((size_t)(p->oh * row) + (sv > sh ? sv : sh)) * sizeof(float) + 64;
}

static void apply(const pb_line_kernels *k, pass_kind kind, int op, const pb_line *l, const float *src, float *dst,
                  float *scratch)
{
    if (kind == PASS_DIRECT)
        k->direct(op, l, src, dst);
    else if (kind == PASS_VHGW)
        k->vhgw(op, l, src, dst, scratch);
    else
        k->runsum(l, src, dst, (double *)scratch);
}

static int run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx, pass_kind kind)
{
    if (nchw_separable(p, kind))
        return pb_simd_best_nchw_separable()(p, in, out);
    const pb_line_kernels *k = pb_line_kernels_best();
    const int op = pb_mode_op(p->mode);
    int64_t row, batch, count;
    units(p, &row, &batch, &count);
    const pb_line v = vertical(p, row), h = horizontal(p, batch);
    float *cols = ctx->workspace;
    /* Doubles for the running sums: keep the scratch 8-byte aligned. */
    float *scratch = cols + (p->oh * row + 1) / 2 * 2;
    const int64_t in_unit = p->h * row, out_unit = p->oh * p->ow * batch;
    for (int64_t u = 0; u < count; ++u) {
        apply(k, kind, op, &v, in + u * in_unit, cols, scratch);
        float *o = out + u * out_unit;
        for (int64_t oy = 0; oy < p->oh; ++oy)
            apply(k, kind, op, &h, cols + oy * row, o + oy * p->ow * batch, scratch);
    }
    if (op == PB_OP_SUM)
        pb_avg_divide(p, out);
    return 0;
}

static const char *max_min_only(const pb_params *p)
{
    return p->mode == PB_MODE_MAX || p->mode == PB_MODE_MIN ? NULL : "max and min only";
}

const char *pb_separable_supports(const pb_params *p) { return max_min_only(p); }
const char *pb_vhgw_supports(const pb_params *p) { return max_min_only(p); }
const char *pb_running_sum_supports(const pb_params *p)
{
    return p->mode == PB_MODE_AVG ? NULL : "average pooling only";
}

int pb_separable_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    return run(p, in, out, ctx, PASS_DIRECT);
}
int pb_vhgw_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    return run(p, in, out, ctx, PASS_VHGW);
}
int pb_running_sum_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    return run(p, in, out, ctx, PASS_RUNSUM);
}

size_t pb_separable_workspace(const pb_params *p) { return workspace(p, PASS_DIRECT); }
size_t pb_vhgw_workspace(const pb_params *p) { return workspace(p, PASS_VHGW); }
size_t pb_running_sum_workspace(const pb_params *p) { return workspace(p, PASS_RUNSUM); }

/* Operation counts, per channel: the column pass over oh x W then the row
 * pass over oh x ow.
 * separable: kh per column output + kw per row output (comparisons);
 * vhgw: 2 per padded position (the two running scans) + 1 per output, per pass;
 * running-sum: 1 add per padded position + 1 subtract per output, per pass, and
 * 1 divide per output. */
static double per_channel(const pb_params *p, pass_kind kind)
{
    const pb_line v = vertical(p, 1), h = horizontal(p, 1);
    const double W = (double)p->w, oh = (double)p->oh, ow = (double)p->ow;
    const double Lv = (double)pb_line_padded(&v), Lh = (double)pb_line_padded(&h);
    if (kind == PASS_DIRECT)
        return oh * W * (double)p->kh + oh * ow * (double)p->kw;
    if (kind == PASS_VHGW)
        return W * (2 * Lv + oh) + oh * (2 * Lh + ow);
    return W * (Lv + oh) + oh * (Lh + ow) + oh * ow;
}

double pb_separable_ops(const pb_params *p) { return (double)(p->n * p->c) * per_channel(p, PASS_DIRECT); }
double pb_vhgw_ops(const pb_params *p) { return (double)(p->n * p->c) * per_channel(p, PASS_VHGW); }
double pb_running_sum_ops(const pb_params *p) { return (double)(p->n * p->c) * per_channel(p, PASS_RUNSUM); }
