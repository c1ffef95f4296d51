/* The seed's exercises as implementations: average pooling as a depthwise
 * convolution, max pooling from convolutions and ReLU (max(a,b) = a +
 * ReLU(b - a)), min pooling as -maxpool(-x); convolutions through OpenBLAS. */
#ifndef POOLBENCH_CONV_H
#define POOLBENCH_CONV_H
#include "poolbench/registry.h"

/* The convolution + ReLU network conv-relu-max builds for a kh x kw window: a
 * pairwise tree, each level a convolution (a, b - a per pair), a ReLU and a
 * convolution (a + ReLU(b - a)). fused_conv_layers merges each level's second
 * convolution into the next level's first, as a real network would. */
typedef struct {
    int levels, conv_layers, fused_conv_layers, relu_layers, max_channels;
} pb_relu_network;
pb_relu_network pb_conv_relu_max_network(int64_t kh, int64_t kw);

const char *pb_conv_avg_supports(const pb_params *p);
int pb_conv_avg_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
size_t pb_conv_avg_workspace(const pb_params *p);
double pb_conv_avg_ops(const pb_params *p);

const char *pb_conv_relu_max_supports(const pb_params *p);
int pb_conv_relu_max_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
size_t pb_conv_relu_max_workspace(const pb_params *p);
double pb_conv_relu_max_ops(const pb_params *p);
#define PB_CONV_RELU_MAX_SPECIALS_NOTE                                                                           \
    "an infinity anywhere in a window makes it NaN (the dense convolutions multiply it by zero weights); NaN "      \
    "propagates"

const char *pb_conv_neg_min_supports(const pb_params *p);
int pb_conv_neg_min_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
size_t pb_conv_neg_min_workspace(const pb_params *p);
double pb_conv_neg_min_ops(const pb_params *p);
#endif
