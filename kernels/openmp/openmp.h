#ifndef POOLBENCH_OPENMP_H
#define POOLBENCH_OPENMP_H
#include "poolbench/registry.h"
int pb_openmp_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
void pb_openmp_empty_regions(int threads, int64_t calls);
#endif
