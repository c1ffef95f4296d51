/* Max pooling with nothing but convolutions and ReLU, from
 * max(a, b) = a + ReLU(b - a): a pairwise tree over the window's taps. Each
 * level is a convolution producing (a, b - a) per pair (odd tap passed
 * through), a ReLU on the differences, and a convolution summing a + ReLU(b - a);
 * the convolutions run as OpenBLAS dgemm on im2col columns.
 * In double, b - a is exact unless the two magnitudes differ by more than 2^29,
 * so for such inputs (and every float the check sweep draws) the result is
 * exactly the max. Padding taps repeat the window's first real element, which
 * never changes a max. Infinities: see PB_CONV_RELU_MAX_SPECIALS_NOTE. */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "../im2col/im2col.h"
#include "conv.h"

pb_relu_network pb_conv_relu_max_network(int64_t kh, int64_t kw)
{
    pb_relu_network net = {0};
    int64_t ch = kh * kw;
    net.max_channels = (int)ch;
    while (ch > 1) {
        ++net.levels;
        ch = ch / 2 + ch % 2;
    }
    net.conv_layers = 2 * net.levels;
    net.relu_layers = net.levels;
    net.fused_conv_layers = net.levels + 1;
    if (net.levels == 0) /* a 1x1 window: the identity, one convolution */
        net.conv_layers = net.fused_conv_layers = 1;
    return net;
}

const char *pb_conv_relu_max_supports(const pb_params *p)
{
    if (p->mode != PB_MODE_MAX)
        return "max pooling only";
    return pb_has_empty_window(p) ? "a window wholly in the padding: the convolutions' max is NaN there, PyTorch's -inf"
                                  : NULL;
}

/* Columns (float), then two double buffers of up to kh*kw rows, and the weights. */
size_t pb_conv_relu_max_workspace(const pb_params *p)
{
    const size_t taps = (size_t)(p->kh * p->kw), row = (size_t)pb_im2col_row(p);
    return pb_im2col_workspace(p) + 2 * taps * row * sizeof(double) + 2 * taps * taps * sizeof(double) + 64;
}

/* Multiply-adds of both convolutions of every level, dense as dgemm runs them. */
double pb_conv_relu_max_ops(const pb_params *p)
{
    double ops = 0, ch = (double)(p->kh * p->kw);
    while (ch > 1) {
        const double pairs = (double)((int64_t)ch / 2), odd = (double)((int64_t)ch % 2);
        const double mid = 2 * pairs + odd, next = pairs + odd;
        ops += 2 * (mid * ch + next * mid) + mid; /* two gemms + the ReLU */
        ch = next;
    }
    return ops * (double)pb_output_elems(p);
}

/* Y (rows_out x n) = W (rows_out x rows_in) . X (rows_in x n) */
static void conv(const double *w, int64_t rows_out, int64_t rows_in, const double *x, double *y, int64_t n)
{
    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, (blasint)rows_out, (blasint)n, (blasint)rows_in, 1.0, w,
                (blasint)rows_in, x, (blasint)n, 0.0, y, (blasint)n);
}

int pb_conv_relu_max_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    const int64_t taps = p->kh * p->kw, row = pb_im2col_row(p), in_image = p->c * p->h * p->w;
    float *cols = ctx->workspace;
    double *x = (double *)(((uintptr_t)(cols + taps * row) + 7) & ~(uintptr_t)7);
    double *y = x + taps * row, *w = y + taps * row, *w2 = w + taps * taps;
    for (int64_t n = 0; n < p->n; ++n) {
        pb_im2col_gather(p, in + n * in_image, cols, PB_FILL_FIRST_TAP, -INFINITY);
        for (int64_t i = 0; i < taps * row; ++i)
            x[i] = cols[i];
        for (int64_t ch = taps; ch > 1;) {
            const int64_t pairs = ch / 2, odd = ch % 2, mid = 2 * pairs + odd, next = pairs + odd;
            /* First convolution: rows a and b - a per pair, the odd one through. */
            memset(w, 0, (size_t)(mid * ch) * sizeof(double));
            for (int64_t j = 0; j < pairs; ++j) {
                w[(2 * j) * ch + 2 * j] = 1.0;
                w[(2 * j + 1) * ch + 2 * j] = -1.0;
                w[(2 * j + 1) * ch + 2 * j + 1] = 1.0;
            }
            if (odd)
                w[(mid - 1) * ch + ch - 1] = 1.0;
            conv(w, mid, ch, x, y, row);
            /* ReLU on the differences: NaN stays NaN. */
            for (int64_t j = 0; j < pairs; ++j)
                for (double *v = y + (2 * j + 1) * row, *e = v + row; v < e; ++v)
                    *v = *v < 0.0 ? 0.0 : *v;
            /* Second convolution: a + ReLU(b - a). */
            memset(w2, 0, (size_t)(next * mid) * sizeof(double));
            for (int64_t j = 0; j < pairs; ++j)
                w2[j * mid + 2 * j] = w2[j * mid + 2 * j + 1] = 1.0;
            if (odd)
                w2[(next - 1) * mid + mid - 1] = 1.0;
            conv(w2, next, mid, y, x, row);
            ch = next;
        }
        for (int64_t i = 0; i < row; ++i)
            out[n * row + i] = (float)x[i];
    }
    return 0;
}
