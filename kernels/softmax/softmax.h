/* softmax-fast: softmax pooling over im2col columns with a vector exp. */
#ifndef POOLBENCH_SOFTMAX_H
#define POOLBENCH_SOFTMAX_H
#include "poolbench/registry.h"

/* Reduces `taps` rows (stride floats apart, padding = -inf) into out[0, count).
 * One per ISA. */
typedef void (*pb_softmax_cols_fn)(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out);
void pb_softmax_cols_scalar(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out);
#if POOLBENCH_X86
void pb_softmax_cols_avx2(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out);
void pb_softmax_cols_avx512(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out);
#endif

const char *pb_softmax_fast_supports(const pb_params *p);
int pb_softmax_fast_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
size_t pb_softmax_fast_workspace(const pb_params *p);
double pb_softmax_fast_ops(const pb_params *p);
#endif
