/* The simd family: one microkernel per file, f32-<what>-<layout>-<isa>.c.
 * Each entry point below computes max, avg or min (p->mode) for every image
 * and channel; the NHWC ones only a share of it (pb_nhwc_share), so the
 * threaded families can split rows and channels among threads. */
#ifndef POOLBENCH_SIMD_H
#define POOLBENCH_SIMD_H
#include "poolbench/registry.h"

/* How the kernels declare their helpers: forced inline, so that each caller
 * gets a copy with its op, window and block sizes known at compile time. The
 * sanitizer build (POOLBENCH_NO_FORCED_INLINE) leaves inlining to the
 * compiler: the same code runs the same paths, and gcc builds the vector
 * kernels under the sanitizers in about 30 s of the test command instead of
 * 338 (755 s in all, fresh clone on the 2-core Zen 5 VM). */
#if POOLBENCH_NO_FORCED_INLINE
#define PB_INLINE static inline
#else
#define PB_INLINE static inline __attribute__((always_inline))
#endif

/* The reductions the vector kernels compute, and the one each mode needs. */
enum { PB_OP_MAX, PB_OP_MIN, PB_OP_SUM };
/* Max and min for data known to hold no NaN: one instruction per tap instead
 * of three, chosen by kernels that have scanned their rows (pb_has_nan) or
 * summed their taps into a witness that stayed a number (pb_vany_nan). */
enum { PB_OP_MAX_NO_NAN = PB_OP_SUM + 1, PB_OP_MIN_NO_NAN };
static inline int pb_mode_op(pb_mode m) { return m == PB_MODE_MAX ? PB_OP_MAX : m == PB_MODE_MIN ? PB_OP_MIN : PB_OP_SUM; }

/* Kernels return 0, or nonzero when their buffers cannot be allocated. The
 * NCHW and NHWC kernels write their outputs with streaming stores where
 * stream_output (pb_simd_streams_output of the whole call), their walk and
 * their ISA allow. */
typedef int (*pb_simd_nchw_fn)(const pb_params *p, const float *in, float *out, bool stream_output);
typedef int (*pb_simd_nchw_separable_fn)(const pb_params *p, const float *in, float *out);
/* The part of an NHWC call a kernel computes: output rows [oy0, oy1) of
 * every image, channels [c0, c1) of every pixel (c0 a multiple of 16). */
typedef struct {
    int64_t oy0, oy1, c0, c1;
} pb_nhwc_share;
typedef int (*pb_simd_nhwc_fn)(const pb_params *p, const float *in, float *out, pb_nhwc_share share,
                               bool stream_output);

int pb_simd_nchw_scalar(const pb_params *p, const float *in, float *out, bool stream_output);
int pb_simd_nchw_separable_scalar(const pb_params *p, const float *in, float *out);
int pb_simd_nhwc_scalar(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output);
int64_t pb_simd_peak_max_scalar(int64_t iters);
void pb_simd_triad_scalar(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming);
void pb_simd_plain_pass_scalar(const float *in, int64_t in_lines, float *out, int64_t out_lines);
#if POOLBENCH_X86
int pb_simd_nchw_avx2(const pb_params *p, const float *in, float *out, bool stream_output);
int pb_simd_nchw_separable_avx2(const pb_params *p, const float *in, float *out);
int pb_simd_nhwc_avx2(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output);
int pb_simd_nchw_avx512(const pb_params *p, const float *in, float *out, bool stream_output);
int pb_simd_nchw_separable_avx512(const pb_params *p, const float *in, float *out);
int pb_simd_nhwc_avx512(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output);
int64_t pb_simd_peak_max_avx2(int64_t iters);
int64_t pb_simd_peak_max_avx512(int64_t iters);
void pb_simd_triad_avx2(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming);
void pb_simd_triad_avx512(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming);
void pb_simd_plain_pass_avx2(const float *in, int64_t in_lines, float *out, int64_t out_lines);
void pb_simd_plain_pass_avx512(const float *in, int64_t in_lines, float *out, int64_t out_lines);
#elif defined(__aarch64__)
int pb_simd_nchw_neon(const pb_params *p, const float *in, float *out, bool stream_output);
int pb_simd_nchw_separable_neon(const pb_params *p, const float *in, float *out);
int pb_simd_nhwc_neon(const pb_params *p, const float *in, float *out, pb_nhwc_share share, bool stream_output);
int64_t pb_simd_peak_max_neon(int64_t iters);
void pb_simd_triad_neon(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming);
void pb_simd_plain_pass_neon(const float *in, int64_t in_lines, float *out, int64_t out_lines);
#endif

/* A 64-byte aligned buffer of at least `bytes`, owned by the calling thread
 * and kept for its next call (NULL when memory runs out): a kernel's tiles
 * are allocated once, not paged in again on every call. One user at a time. */
void *pb_simd_scratch(size_t bytes);

/* Whether a call with p's output (all of it, however the call is split)
 * should write it with streaming stores: when it exceeds a quarter of the
 * last-level cache, the rule glibc's memcpy uses for its own non-temporal
 * stores (x86_non_temporal_threshold), the output cannot stay in the caches
 * for whoever reads it next, and skipping each line's read for ownership
 * saves traffic (2x2/s2: a fifth). Never where the LLC size is unknown. */
bool pb_simd_streams_output(const pb_params *p);

/* Whether the CPU has PREFETCHW, with which the threaded implementations
 * claim their shares' first output lines (x86 only; CPUID is asked once, as
 * every CPUID traps to the hypervisor in a VM). */
bool pb_simd_prefetchw_available(void);

/* Whether p's window covers whole planes (global pooling). */
static inline bool pb_is_global(const pb_params *p)
{
    return p->oh == 1 && p->ow == 1 && p->kh == p->h && p->kw == p->w && p->ph == 0 && p->pw == 0 && p->dh == 1 &&
           p->dw == 1;
}

/* The best variant this CPU can run for the whole call p (every share of a
 * split call takes the same one, so the sums come out alike). */
pb_simd_nchw_fn pb_simd_best_nchw(const pb_params *p);
/* Max/min only: the separable NCHW kernel (rows reduced first). */
pb_simd_nchw_separable_fn pb_simd_best_nchw_separable(void);
pb_simd_nhwc_fn pb_simd_best_nhwc(void);

/* Registry glue. */
bool pb_simd_avx2_available(void);
bool pb_simd_avx512_available(void);
bool pb_simd_neon_available(void);
const char *pb_simd_supports(const pb_params *p);
double pb_simd_ops(const pb_params *p);
int pb_simd_run_auto(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_simd_run_scalar(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
/* Where their ISA is not built these fail with ENOTSUP (their rows are never available there). */
int pb_simd_run_avx2(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_simd_run_avx512(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
int pb_simd_run_neon(const pb_params *p, const float *in, float *out, const pb_ctx *ctx);
#endif
