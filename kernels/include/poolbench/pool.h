/* poolbench: 2-D pooling with PyTorch's semantics (float32, NCHW or NHWC).
 *
 * The framework half of the library: the parameter struct, its validation
 * and output-shape rules, and the error codes. Kernels see only pb_params
 * (already resolved) and the pb_run_fn signature in registry.h. */
#ifndef POOLBENCH_POOL_H
#define POOLBENCH_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { PB_MODE_MAX, PB_MODE_AVG, PB_MODE_MIN, PB_MODE_SOFTMAX, PB_MODE_COUNT } pb_mode;
typedef enum { PB_LAYOUT_NCHW, PB_LAYOUT_NHWC, PB_LAYOUT_COUNT } pb_layout;

typedef struct {
    int64_t n, c, h, w;        /* input shape, whatever the layout */
    int64_t kh, kw;            /* window */
    int64_t sh, sw;            /* stride */
    int64_t ph, pw;            /* implicit padding on each side */
    int64_t dh, dw;            /* dilation */
    bool ceil_mode;
    bool count_include_pad;    /* avg only; PyTorch's default is true */
    pb_mode mode;
    pb_layout layout;
    /* Filled in by pb_params_resolve. */
    int64_t oh, ow;
} pb_params;

typedef enum {
    PB_OK = 0,
    PB_ERR_SHAPE_NONPOSITIVE,   /* N, C, H or W < 1 */
    PB_ERR_KERNEL_NONPOSITIVE,
    PB_ERR_STRIDE_NONPOSITIVE,
    PB_ERR_DILATION_NONPOSITIVE,
    PB_ERR_PADDING_NEGATIVE,
    PB_ERR_PADDING_OVER_HALF,   /* PyTorch: pad <= kernel / 2 */
    PB_ERR_OUTPUT_EMPTY,        /* output height or width < 1 */
    PB_ERR_SIZE_OVERFLOW,       /* element or byte count does not fit */
    PB_ERR_MODE,
    PB_ERR_LAYOUT,
    PB_ERR_COUNT
} pb_status;

/* Fills sensible PyTorch defaults: stride = kernel, padding 0, dilation 1,
 * count_include_pad true, max, NCHW. */
void pb_params_default(pb_params *p, int64_t n, int64_t c, int64_t h, int64_t w, int64_t kh, int64_t kw);

/* Validates every field and computes oh, ow by PyTorch's pooling_output_shape. */
pb_status pb_params_resolve(pb_params *p);

/* One line naming the problem, for a status. */
const char *pb_status_message(pb_status s);

int64_t pb_input_elems(const pb_params *p);
int64_t pb_output_elems(const pb_params *p);

/* The seed's cost model: N*C*h_out*w_out*p_h*p_w. */
double pb_model_ops(const pb_params *p);

const char *pb_mode_name(pb_mode m);
const char *pb_layout_name(pb_layout l);
/* Return PB_MODE_COUNT / PB_LAYOUT_COUNT for an unknown name. */
pb_mode pb_mode_from_name(const char *s);
pb_layout pb_layout_from_name(const char *s);

/* Element strides of the input and output in the params' layout, so that
 * element (n, c, y, x) lives at n*sn + c*sc + y*sy + x*sx. */
typedef struct { int64_t sn, sc, sy, sx; } pb_strides;
pb_strides pb_input_strides(const pb_params *p);
pb_strides pb_output_strides(const pb_params *p);

/* Average divisor for output (oy, ox), exactly as PyTorch's avg_pool2d:
 * with count_include_pad the window clipped to the padded input (ceil_mode
 * windows may hang past it), otherwise the number of real input elements. */
int64_t pb_avg_divisor(const pb_params *p, int64_t oy, int64_t ox);
/* Its two factors: the divisor is rows(oy) * cols(ox), so a kernel can keep
 * one per output column and scale it per row. */
int64_t pb_avg_rows(const pb_params *p, int64_t oy);
int64_t pb_avg_cols(const pb_params *p, int64_t ox);

/* Divides every output of a tensor of window sums by its pb_avg_divisor (an
 * empty window, whose sum is 0, by 1), for implementations that sum first. */
void pb_avg_divide(const pb_params *p, float *out);

/* The rows [*y0, *y1) and columns [*x0, *x1) of window (oy, ox) that lie in the
 * input, counted in window taps (tap t reads input row oy*sh - ph + t*dh). */
void pb_window_taps(const pb_params *p, int64_t oy, int64_t ox, int64_t *ty0, int64_t *ty1, int64_t *tx0,
                    int64_t *tx1);

/* Whether some window holds no input element at all (dilation can step over
 * the input into the padding): PyTorch's max is then -inf, its min +inf. */
bool pb_has_empty_window(const pb_params *p);

#ifdef __cplusplus
}
#endif
#endif
