/* The one table of implementations. Adding a kernel means adding one row to
 * kernels/core/registry.c; the CLI, the tests and the benchmarks iterate it. */
#ifndef POOLBENCH_REGISTRY_H
#define POOLBENCH_REGISTRY_H

#include "poolbench/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a kernel may use besides its input and output. The caller owns the
 * workspace (at least workspace_bytes(p) bytes, 64-byte aligned) so that the
 * timed call never allocates. */
typedef struct {
    int threads;        /* threaded implementations only; <= 0 means their default */
    bool split_small;   /* threaded: use all `threads` even on work too small to gain from them */
    void *workspace;
    size_t workspace_size;
    void *state;        /* what the implementation's prepare() returned, or NULL */
} pb_ctx;

/* A kernel: in and out are dense tensors in p->layout. Returns 0 on success. */
typedef int (*pb_run_fn)(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);

typedef struct {
    const char *name;
    const char *family;
    /* A forced variant: the implementation whose kernels it runs with one ISA
     * fixed (a second sample of that kernel where the ISA is the one chosen
     * anyway). NULL for the others. */
    const char *variant_of;
    /* Takes ctx->threads: a threads run times it at each thread count. */
    bool threaded;
    /* A threaded implementation that splits another's kernels among its
     * threads: on one thread, a second sample of that one. NULL for the others. */
    const char *splits;
    /* `count` calls with no work in them at `threads`, back to back: what the
     * implementation's threading costs a call (timed among a run's cases).
     * NULL where that is not ours to time (oneDNN). */
    void (*empty_calls)(int threads, int64_t count);
    /* What reports call such a call ("OpenMP region"). */
    const char *region_noun;
    /* Can this machine execute it at all (ISA, library present)? NULL = always. */
    bool (*available)(void);
    /* NULL when the parameters are supported, else the reason they are not. NULL = all. */
    const char *(*supports)(const pb_params *p);
    pb_run_fn run;
    /* The implementation's own operation count for p (comparisons, adds, ...). */
    double (*ops)(const pb_params *p);
    /* Bytes of workspace the run needs; NULL = none. */
    size_t (*workspace_bytes)(const pb_params *p);
    /* Set-up kept out of the timed call (an external library's primitive, say):
     * prepare's result reaches run as ctx->state and is freed by release. NULL = none. */
    void *(*prepare)(const pb_params *p, int threads);
    void (*release)(void *state);
    /* For implementations that work in their own layout (oneDNN's blocked one):
     * load_input converts the input into the state before timing, run then
     * pools state to state, and store_output converts the result back for
     * validation. NULL = run reads in and writes out directly. */
    void (*load_input)(void *state, const float *in);
    void (*store_output)(void *state, float *out);
    /* Non-NULL where NaN and infinities are handled otherwise than PyTorch
     * does (an external library's own rule, or arithmetic that meets inf - inf):
     * says what happens. check then feeds it finite values only. */
    const char *specials_note;
} pb_impl;

size_t pb_impl_count(void);
const pb_impl *pb_impl_at(size_t i);
const pb_impl *pb_impl_find(const char *name);
bool pb_impl_available(const pb_impl *impl);
/* NULL when impl can run p on this machine, else why not. */
const char *pb_impl_refusal(const pb_impl *impl, const pb_params *p);
size_t pb_impl_workspace(const pb_impl *impl, const pb_params *p);

/* Runs impl on p with a workspace it allocates itself (not for timed loops).
 * Returns 0, or -1 with errno set when memory ran out, or the kernel's status. */
int pb_impl_run_alloc(const pb_impl *impl, const pb_params *p, const float *in, float *out, int threads);

/* The simd variant this CPU runs ("avx512", "avx2", "neon" or "scalar"), and the
 * version of the oneDNN the onednn implementation was built with ("not built"). */
const char *pb_simd_isa(void);
const char *pb_onednn_version(void);

/* simd outputs of more than this many bytes are written with streaming
 * stores where the variant has them (x86) and the walk takes them (NHWC
 * 2x2/s2, 3x3/s2, k x k/sk; NCHW 2x2/s2 and 3x3/s2): POOLBENCH_STREAM_BYTES, else a
 * quarter of the last-level cache (INT64_MAX when its size is unknown). */
int64_t pb_simd_stream_output_bytes(void);

/* What one call of a threaded implementation with empty_calls costs with no
 * work in it (its fork and join, its "region"), in microseconds (median of 9
 * rounds of 2000 back to back): a kernel taking T us on one thread can take
 * no less than T / threads + this on `threads`. */
double pb_impl_region_us(const pb_impl *impl, int threads);

/* Binds the calling thread to one core (index modulo pb_core_count());
 * the threaded families (openmp, team) bind team member t to core t, the
 * calling thread being member 0. The topology is loaded once, and a thread
 * asking again for the core it last asked for gets the same answer without
 * a system call. 0 on success. */
int pb_bind_thread_to_core(int core);
/* Whether pb_bind_memory_to_core can bind here: hwloc's topology is this
 * machine's and Linux lets the process set memory policies and move pages
 * (tried once, on a page of its own). */
bool pb_memory_binding_available(void);
/* Puts the pages that start in [addr, addr + bytes) on the NUMA node(s) of
 * that core, moving those already touched elsewhere. 0 on success. */
int pb_bind_memory_to_core(const void *addr, size_t bytes, int core);
/* Puts each share of a call's input and output on the node of the core that
 * openmp and team run it on at `threads` threads (share t on core t, as
 * split among threads; 1: everything on core 0's), so a memory-bound case
 * on a machine of several nodes reads from every node's memory, each thread
 * from its own, as the team-touched triad does. 0 on success. */
int pb_place_for_threads(const pb_params *p, const float *in, const float *out, int threads);
/* The cores hwloc sees that the process may run on, as its affinity mask
 * stood at the first call here or to pb_bind_thread_to_core (0 when hwloc
 * could not load the topology): a run under taskset -c 0-3 has 4. */
int pb_core_count(void);

/* The roofline's compute roof: iters rounds of register-only vector maxima in
 * that variant; returns how many lane maxima (model ops) it did. */
int64_t pb_simd_peak_max(int64_t iters);

/* The roofline's memory roofs: STREAM's triad a = b + s*c over [lo, hi) in
 * the best variant's vectors; lo and hi multiples of 16 (a 64-byte line),
 * the arrays aligned to 64 bytes. streaming writes a with non-temporal
 * stores, which needs pb_simd_streaming_stores_available(). */
void pb_simd_triad(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming);
bool pb_simd_streaming_stores_available(void);

/* A case's plain pass, the roof of the x oneDNN targets: in's in_lines lines
 * (16 floats each) read once and out's out_lines written once, front to back,
 * in the best variant's vectors; output line j the lane-wise max of the input
 * lines pb_plain_pass_lines gives. Both arrays aligned to 64 bytes. */
void pb_simd_plain_pass(const float *in, int64_t in_lines, float *out, int64_t out_lines);
/* Input lines [*lo, *hi) of output line j: an even share of in's, or the one
 * line where there are more output lines than input lines. */
static inline void pb_plain_pass_lines(int64_t j, int64_t in_lines, int64_t out_lines, int64_t *lo, int64_t *hi)
{
    const int64_t first = j * in_lines / out_lines, end = (j + 1) * in_lines / out_lines;
    *lo = first < in_lines ? first : in_lines - 1;
    *hi = end > *lo ? end : *lo + 1;
}

/* Compares two outputs of p computed from input in. Max and min: exact (NaN
 * matches NaN; +0 and -0 are equal, as PyTorch's own kernels differ there).
 * Avg and softmax: |a-b| <= PB_SUM_RTOL * (max(|a|,|b|) + max|in|), the second
 * term because another summation order (separable, running sums) errs relative
 * to the magnitudes summed, not to the result. Returns the first mismatching
 * output index, or -1. */
#define PB_SUM_RTOL 1e-5
int64_t pb_outputs_mismatch(const pb_params *p, const float *in, const float *expect, const float *got);

#ifdef __cplusplus
}
#endif
#endif
