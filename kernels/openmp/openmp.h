#ifndef POOLBENCH_OPENMP_H
#define POOLBENCH_OPENMP_H
#include "poolbench/registry.h"
const char *pb_openmp_supports(const pb_params *p);
int pb_openmp_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
double pb_openmp_ops(const pb_params *p);
void pb_openmp_empty_regions(int threads, int64_t calls);
#endif
