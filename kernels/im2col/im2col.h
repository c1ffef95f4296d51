/* Window gathering shared by the im2col, conv-emulation and softmax-fast
 * implementations: for one image, one row per window tap, each row shaped like
 * the image's output in the params' layout, so reductions over taps are plain
 * element-wise loops whatever the layout. */
#ifndef POOLBENCH_IM2COL_H
#define POOLBENCH_IM2COL_H
#include "poolbench/registry.h"

/* Floats per tap row: the output elements of one image. */
int64_t pb_im2col_row(const pb_params *p);
/* What padding taps hold: a constant, or a copy of the window's first
 * in-bounds element (which never changes a max). */
typedef enum { PB_FILL_CONSTANT, PB_FILL_FIRST_TAP } pb_fill_kind;
/* cols: kh*kw rows of pb_im2col_row(p) floats; image: one image of the input. */
void pb_im2col_gather(const pb_params *p, const float *image, float *cols, pb_fill_kind kind, float fill);

const char *pb_im2col_supports(const pb_params *p);
int pb_im2col_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
size_t pb_im2col_workspace(const pb_params *p);
double pb_im2col_ops(const pb_params *p);
#endif
