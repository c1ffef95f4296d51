#ifndef POOLBENCH_ONEDNN_H
#define POOLBENCH_ONEDNN_H
#include "poolbench/registry.h"
const char *pb_onednn_supports(const pb_params *p);
void *pb_onednn_prepare_plain(const pb_params *p, int threads);
void *pb_onednn_prepare_blocked(const pb_params *p, int threads);
void pb_onednn_release(void *state);
int pb_onednn_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_onednn_run_blocked(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
void pb_onednn_load_input(void *state, const float *in);
void pb_onednn_store_output(void *state, float *out);
double pb_onednn_ops(const pb_params *p);
/* Measured with poolbench check on oneDNN 2.6.3 (AVX-512 JIT): a NaN in a max
 * window is dropped when another tap is a number (vmaxps returns its second
 * operand for NaN), and a window of only -inf gives -FLT_MAX (the max starts
 * at the lowest finite float). */
#define PB_ONEDNN_SPECIALS_NOTE "max does not propagate NaN and turns an all -inf window into -FLT_MAX"
#endif
