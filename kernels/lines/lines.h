/* 1-D window reductions along a line of positions, each position holding a
 * contiguous batch of floats (the channels of an NHWC pixel, or a whole row
 * when reducing down the columns of an NCHW plane). The separable, van
 * Herk/Gil-Werman and running-sum implementations are two such passes, rows
 * then columns. One source, instantiated per ISA like the simd family. */
#ifndef POOLBENCH_LINES_H
#define POOLBENCH_LINES_H
#include "poolbench/registry.h"

typedef struct {
    int64_t n_in, in_stride;   /* positions in the line, floats between positions */
    int64_t n_out, out_stride;
    int64_t batch;             /* contiguous floats per position */
    int64_t k, s, pad, d;      /* window, stride, left padding, dilation */
} pb_line;

/* op: 0 max, 1 min, 2 sum (the simd family's PB_OP_*). Padding taps are skipped
 * (max/min) or count as 0 (sum). Each reads line.n_in positions from src and
 * writes line.n_out to dst. */
typedef struct {
    /* Every valid tap of every window: k operations per output. */
    void (*direct)(int op, const pb_line *l, const float *src, float *dst);
    /* van Herk/Gil-Werman max/min: about 3 operations per position,
     * whatever k. scratch: 2 * pb_line_padded(l) * batch floats. */
    void (*vhgw)(int op, const pb_line *l, const float *src, float *dst, float *scratch);
    /* Window sums from running (prefix) sums in double: 2 adds per position
     * and 1 subtract per output, whatever k. scratch: pb_line_padded(l) * batch doubles. */
    void (*runsum)(const pb_line *l, const float *src, float *dst, double *scratch);
} pb_line_kernels;

/* Positions of the padded line that windows touch. */
int64_t pb_line_padded(const pb_line *l);
const pb_line_kernels *pb_line_kernels_best(void);

/* Registry glue for the three two-pass implementations. */
const char *pb_separable_supports(const pb_params *p);
const char *pb_vhgw_supports(const pb_params *p);
const char *pb_running_sum_supports(const pb_params *p);
int pb_separable_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_vhgw_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_running_sum_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
size_t pb_separable_workspace(const pb_params *p);
size_t pb_vhgw_workspace(const pb_params *p);
size_t pb_running_sum_workspace(const pb_params *p);
double pb_separable_ops(const pb_params *p);
double pb_vhgw_ops(const pb_params *p);
double pb_running_sum_ops(const pb_params *p);

extern const pb_line_kernels pb_line_kernels_scalar;
#if POOLBENCH_X86
extern const pb_line_kernels pb_line_kernels_avx2;
extern const pb_line_kernels pb_line_kernels_avx512;
#endif
#endif
