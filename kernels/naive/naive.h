#ifndef POOLBENCH_NAIVE_H
#define POOLBENCH_NAIVE_H
#include "poolbench/registry.h"
int pb_naive_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
double pb_naive_ops(const pb_params *p);
#endif
