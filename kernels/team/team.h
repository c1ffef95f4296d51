#ifndef POOLBENCH_TEAM_H
#define POOLBENCH_TEAM_H
#include "poolbench/registry.h"
int pb_team_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
void pb_team_empty_calls(int threads, int64_t count);
#endif
