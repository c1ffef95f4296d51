/* How the threaded implementations (openmp, team) divide a call among a team
 * of threads: N*C planes in NCHW, image rows in NHWC (and slices of their
 * channels where the rows are single pixels, as in a global pool), each share
 * run by the best single-thread simd kernel, so every output is computed by
 * the same code whatever the split and the result is identical at any thread
 * count. */
#ifndef POOLBENCH_CORE_SPLIT_H
#define POOLBENCH_CORE_SPLIT_H
#include "poolbench/registry.h"

/* Threads for p: ctx->threads (or `default_threads` where that is not set),
 * fewer where a share would hold less than min_bytes_per_thread of input
 * plus output (unless ctx->split_small) or where there are fewer planes,
 * rows or slices than threads. At least 1. */
int pb_split_team_size(const pb_params *p, const pb_ctx *ctx, int default_threads, int64_t min_bytes_per_thread);

/* Share t of nt of the call. Nonzero when the kernel failed. */
int pb_split_run_share(const pb_params *p, const float *in, float *out, int64_t t, int64_t nt);
#endif
