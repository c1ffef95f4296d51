/* The simd family: one microkernel per file, f32-<what>-<layout>-<isa>.c.
 * Each entry point below computes max, avg or min (p->mode) for every image
 * and channel; the NHWC ones only output rows [oy0, oy1), so the openmp family
 * can split rows among threads. */
#ifndef POOLBENCH_SIMD_H
#define POOLBENCH_SIMD_H
#include "poolbench/registry.h"

/* The reductions the vector kernels compute, and the one each mode needs. */
enum { PB_OP_MAX, PB_OP_MIN, PB_OP_SUM };
static inline int pb_mode_op(pb_mode m) { return m == PB_MODE_MAX ? PB_OP_MAX : m == PB_MODE_MIN ? PB_OP_MIN : PB_OP_SUM; }

typedef void (*pb_simd_nchw_fn)(const pb_params *p, const float *in, float *out);
typedef void (*pb_simd_nhwc_fn)(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1);

void pb_simd_nchw_scalar(const pb_params *p, const float *in, float *out);
void pb_simd_nhwc_scalar(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1);
#if POOLBENCH_X86
void pb_simd_nchw_avx2(const pb_params *p, const float *in, float *out);
void pb_simd_nhwc_avx2(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1);
void pb_simd_nchw_avx512(const pb_params *p, const float *in, float *out);
void pb_simd_nhwc_avx512(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1);
#endif

/* The best variant this CPU can run. */
pb_simd_nchw_fn pb_simd_best_nchw(void);
pb_simd_nhwc_fn pb_simd_best_nhwc(void);

/* Registry glue. */
bool pb_simd_avx2_available(void);
bool pb_simd_avx512_available(void);
const char *pb_simd_supports(const pb_params *p);
double pb_simd_ops(const pb_params *p);
int pb_simd_run_auto(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_simd_run_scalar(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
#if POOLBENCH_X86
int pb_simd_run_avx2(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_simd_run_avx512(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
#endif
#endif
