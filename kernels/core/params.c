/* Parameter validation and PyTorch's output-shape rules. */
#include "poolbench/pool.h"

#include <string.h>

/* Largest kernel, stride, padding, dilation or extent accepted: keeps every
 * intermediate of the shape formula far from int64 overflow. */
#define PB_DIM_MAX ((int64_t)1 << 31)

static const char *const status_messages[PB_ERR_COUNT] = {
    [PB_OK] = "ok",
    [PB_ERR_SHAPE_NONPOSITIVE] = "input dimensions N, C, H and W must all be at least 1",
    [PB_ERR_KERNEL_NONPOSITIVE] = "kernel size must be at least 1",
    [PB_ERR_STRIDE_NONPOSITIVE] = "stride must be at least 1",
    [PB_ERR_DILATION_NONPOSITIVE] = "dilation must be at least 1",
    [PB_ERR_PADDING_NEGATIVE] = "padding must not be negative",
    [PB_ERR_PADDING_OVER_HALF] = "padding must be at most half the kernel size (PyTorch's rule)",
    [PB_ERR_OUTPUT_EMPTY] = "output would be empty: the window does not fit the padded input",
    [PB_ERR_SIZE_OVERFLOW] = "sizes too large: element or byte count overflows",
    [PB_ERR_MODE] = "unknown pooling mode",
    [PB_ERR_LAYOUT] = "unknown layout",
};

const char *pb_status_message(pb_status s)
{
    if ((unsigned)s >= PB_ERR_COUNT)
        return "unknown error";
    return status_messages[s];
}

void pb_params_default(pb_params *p, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kh, int64_t kw)
{
    memset(p, 0, sizeof *p);
    p->n = n, p->c = c, p->h = h, p->w = w;
    p->kh = kh, p->kw = kw;
    p->sh = kh, p->sw = kw;
    p->dh = 1, p->dw = 1;
    p->count_include_pad = true;
    p->mode = PB_MODE_MAX;
    p->layout = PB_LAYOUT_NCHW;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

/* PyTorch's pooling_output_shape: with ceil_mode the last window must start
 * inside the input or its left padding. */
static int64_t output_extent(int64_t in, int64_t k, int64_t pad, int64_t stride, int64_t dil, bool ceil_mode)
{
    int64_t out = floor_div(in + 2 * pad - dil * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0), stride) + 1;
    if (ceil_mode && (out - 1) * stride >= in + pad)
        --out;
    return out;
}

static bool product_fits(const int64_t *dims, int count, int64_t limit)
{
    int64_t prod = 1;
    for (int i = 0; i < count; ++i)
        if (__builtin_mul_overflow(prod, dims[i], &prod) || prod > limit)
            return false;
    return true;
}

pb_status pb_params_resolve(pb_params *p)
{
    if ((unsigned)p->mode >= PB_MODE_COUNT)
        return PB_ERR_MODE;
    if ((unsigned)p->layout >= PB_LAYOUT_COUNT)
        return PB_ERR_LAYOUT;
    if (p->n < 1 || p->c < 1 || p->h < 1 || p->w < 1)
        return PB_ERR_SHAPE_NONPOSITIVE;
    if (p->kh < 1 || p->kw < 1)
        return PB_ERR_KERNEL_NONPOSITIVE;
    if (p->sh < 1 || p->sw < 1)
        return PB_ERR_STRIDE_NONPOSITIVE;
    if (p->dh < 1 || p->dw < 1)
        return PB_ERR_DILATION_NONPOSITIVE;
    if (p->ph < 0 || p->pw < 0)
        return PB_ERR_PADDING_NEGATIVE;
    const int64_t bounded[] = {p->n, p->c, p->h, p->w, p->kh, p->kw, p->sh, p->sw, p->ph, p->pw, p->dh, p->dw};
    for (size_t i = 0; i < sizeof bounded / sizeof bounded[0]; ++i)
        if (bounded[i] > PB_DIM_MAX)
            return PB_ERR_SIZE_OVERFLOW;
    if (p->ph > p->kh / 2 || p->pw > p->kw / 2)
        return PB_ERR_PADDING_OVER_HALF;
    p->oh = output_extent(p->h, p->kh, p->ph, p->sh, p->dh, p->ceil_mode);
    p->ow = output_extent(p->w, p->kw, p->pw, p->sw, p->dw, p->ceil_mode);
    if (p->oh < 1 || p->ow < 1)
        return PB_ERR_OUTPUT_EMPTY;
    /* Bytes of input and output must be addressable, with room for indexing. */
    const int64_t byte_limit = INT64_MAX / 8;
    const int64_t in_dims[] = {p->n, p->c, p->h, p->w, (int64_t)sizeof(float)};
    const int64_t out_dims[] = {p->n, p->c, p->oh, p->ow, (int64_t)sizeof(float)};
    if (!product_fits(in_dims, 5, byte_limit) || !product_fits(out_dims, 5, byte_limit) ||
        (uint64_t)byte_limit > SIZE_MAX)
        return PB_ERR_SIZE_OVERFLOW;
    return PB_OK;
}

int64_t pb_input_elems(const pb_params *p) { return p->n * p->c * p->h * p->w; }
int64_t pb_output_elems(const pb_params *p) { return p->n * p->c * p->oh * p->ow; }

double pb_model_ops(const pb_params *p)
{
    return (double)p->n * (double)p->c * (double)p->oh * (double)p->ow * (double)p->kh * (double)p->kw;
}

static const char *const mode_names[PB_MODE_COUNT] = {"max", "avg", "min", "softmax"};
static const char *const layout_names[PB_LAYOUT_COUNT] = {"nchw", "nhwc"};

const char *pb_mode_name(pb_mode m) { return (unsigned)m < PB_MODE_COUNT ? mode_names[m] : "?"; }
const char *pb_layout_name(pb_layout l) { return (unsigned)l < PB_LAYOUT_COUNT ? layout_names[l] : "?"; }

pb_mode pb_mode_from_name(const char *s)
{
    for (int m = 0; m < PB_MODE_COUNT; ++m)
        if (strcmp(s, mode_names[m]) == 0)
            return (pb_mode)m;
    return PB_MODE_COUNT;
}

pb_layout pb_layout_from_name(const char *s)
{
    for (int l = 0; l < PB_LAYOUT_COUNT; ++l)
        if (strcmp(s, layout_names[l]) == 0)
            return (pb_layout)l;
    return PB_LAYOUT_COUNT;
}

static pb_strides strides_for(const pb_params *p, int64_t h, int64_t w)
{
    if (p->layout == PB_LAYOUT_NHWC)
        return (pb_strides){.sn = h * w * p->c, .sc = 1, .sy = w * p->c, .sx = p->c};
    return (pb_strides){.sn = p->c * h * w, .sc = h * w, .sy = w, .sx = 1};
}

pb_strides pb_input_strides(const pb_params *p) { return strides_for(p, p->h, p->w); }
pb_strides pb_output_strides(const pb_params *p) { return strides_for(p, p->oh, p->ow); }

/* Taps t in [0, k) with 0 <= start + t*dil < extent. */
static void valid_taps(int64_t start, int64_t k, int64_t dil, int64_t extent, int64_t *t0, int64_t *t1)
{
    int64_t lo = start < 0 ? (-start + dil - 1) / dil : 0;
    int64_t hi = start <= extent - 1 ? (extent - 1 - start) / dil + 1 : 0;
    if (hi > k)
        hi = k;
    if (hi < lo)
        hi = lo;
    *t0 = lo, *t1 = hi;
}

void pb_window_taps(const pb_params *p, int64_t oy, int64_t ox, int64_t *ty0, int64_t *ty1, int64_t *tx0,
                    int64_t *tx1)
{
    valid_taps(oy * p->sh - p->ph, p->kh, p->dh, p->h, ty0, ty1);
    valid_taps(ox * p->sw - p->pw, p->kw, p->dw, p->w, tx0, tx1);
}

bool pb_has_empty_window(const pb_params *p)
{
    int64_t t0, t1, unused0, unused1;
    for (int64_t oy = 0; oy < p->oh; ++oy) {
        pb_window_taps(p, oy, 0, &t0, &t1, &unused0, &unused1);
        if (t0 >= t1)
            return true;
    }
    for (int64_t ox = 0; ox < p->ow; ++ox) {
        pb_window_taps(p, 0, ox, &unused0, &unused1, &t0, &t1);
        if (t0 >= t1)
            return true;
    }
    return false;
}

/* Taps counted by an average along one dimension: inside the padded input
 * [-pad, extent + pad) with count_include_pad, inside the input without. */
static int64_t avg_taps(const pb_params *p, int64_t start, int64_t k, int64_t dil, int64_t extent, int64_t pad)
{
    int64_t t0, t1;
    if (p->count_include_pad)
        valid_taps(start, k, dil, extent + 2 * pad, &t0, &t1);
    else
        valid_taps(start - pad, k, dil, extent, &t0, &t1);
    return t1 - t0;
}

int64_t pb_avg_rows(const pb_params *p, int64_t oy) { return avg_taps(p, oy * p->sh, p->kh, p->dh, p->h, p->ph); }
int64_t pb_avg_cols(const pb_params *p, int64_t ox) { return avg_taps(p, ox * p->sw, p->kw, p->dw, p->w, p->pw); }
int64_t pb_avg_divisor(const pb_params *p, int64_t oy, int64_t ox) { return pb_avg_rows(p, oy) * pb_avg_cols(p, ox); }

void pb_avg_divide(const pb_params *p, float *out)
{
    const pb_strides os = pb_output_strides(p);
    for (int64_t oy = 0; oy < p->oh; ++oy)
        for (int64_t ox = 0; ox < p->ow; ++ox) {
            const int64_t d = pb_avg_divisor(p, oy, ox);
            const float div = (float)(d > 0 ? d : 1);
            for (int64_t n = 0; n < p->n; ++n)
                for (int64_t c = 0; c < p->c; ++c)
                    out[n * os.sn + c * os.sc + oy * os.sy + ox * os.sx] /= div;
        }
}
