/* A deliberately wrong implementation, compiled only into the test build
 * poolbench-broken: naive's answer with one output changed, so the harness
 * must refuse to time it. */
#ifndef POOLBENCH_BROKEN_IMPL_H
#define POOLBENCH_BROKEN_IMPL_H
#include "poolbench/registry.h"
int pb_broken_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
#define PB_BROKEN_IMPL_ROW {.name = "broken", .family = "test", .run = pb_broken_run, .ops = pb_model_ops}
#endif
