/* Run-time dispatch for the simd family: which variant this CPU can execute. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#if POOLBENCH_X86
#include <cpuid.h>
#endif

#include "simd.h"

bool pb_simd_avx2_available(void)
{
#if POOLBENCH_X86
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
    return false;
#endif
}

bool pb_simd_avx512_available(void)
{
#if POOLBENCH_X86
    return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl");
#else
    return false;
#endif
}

/* Advanced SIMD is part of the aarch64 base ISA: where it is built, it runs. */
bool pb_simd_neon_available(void)
{
#if defined(__aarch64__)
    return true;
#else
    return false;
#endif
}

static bool prefetchw;
static pthread_once_t prefetchw_once = PTHREAD_ONCE_INIT;

/* CPUID, not __builtin_cpu_supports: clang's does not know "prfchw". */
static void prefetchw_find(void)
{
#if POOLBENCH_X86
    unsigned a, b, c, d;
    prefetchw = __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & bit_PRFCHW) != 0;
#endif
}

bool pb_simd_prefetchw_available(void)
{
    pthread_once(&prefetchw_once, prefetchw_find);
    return prefetchw;
}

/* Variants in order of preference; each machine builds its own ISA's and the
 * portable one. */
enum { ISA_AVX512, ISA_AVX2, ISA_NEON, ISA_SCALAR };

static int best_isa(void)
{
    return pb_simd_avx512_available() ? ISA_AVX512
           : pb_simd_avx2_available() ? ISA_AVX2
           : pb_simd_neon_available() ? ISA_NEON
                                      : ISA_SCALAR;
}

const char *pb_simd_isa(void)
{
    static const char *const names[] = {"avx512", "avx2", "neon", "scalar"};
    return names[best_isa()];
}

#if POOLBENCH_X86
#define PB_VARIANTS(prefix) {prefix##avx512, prefix##avx2, NULL, prefix##scalar}
#elif defined(__aarch64__)
#define PB_VARIANTS(prefix) {NULL, NULL, prefix##neon, prefix##scalar}
#else
#define PB_VARIANTS(prefix) {NULL, NULL, NULL, prefix##scalar}
#endif

static int64_t l1d_bytes;
static pthread_once_t l1d_once = PTHREAD_ONCE_INIT;

static void l1d_find(void)
{
#ifdef _SC_LEVEL1_DCACHE_SIZE
    l1d_bytes = sysconf(_SC_LEVEL1_DCACHE_SIZE);
#endif
}

/* A global average over 7x7 planes (ResNet's and GoogLeNet's last pool)
 * whose input does not fit L1d: AVX-512's kernel, 16 planes a group, reads
 * it from L2 1.34-1.42x slower than AVX2's 8 (A/B on the Zen 5 VM, 512 to
 * 2048 planes; from L3, 3 and 26 MB, AVX2 still 1.03-1.04x), though it is
 * 1.4x faster in L1 (128 planes) and no slower at 256. Max and min, without
 * the aligned groups, are faster in AVX-512 (2048 planes: 0.84x in AVX2). */
static bool global_avg_streams_from_l2(const pb_params *p)
{
    pthread_once(&l1d_once, l1d_find);
    return p->layout == PB_LAYOUT_NCHW && p->mode == PB_MODE_AVG && pb_is_global(p) && p->h * p->w == 49 &&
           l1d_bytes > 0 && pb_input_elems(p) * (int64_t)sizeof(float) > l1d_bytes;
}

pb_simd_nchw_fn pb_simd_best_nchw(const pb_params *p)
{
    static const pb_simd_nchw_fn variants[] = PB_VARIANTS(pb_simd_nchw_);
    const int isa = best_isa();
    return variants[isa == ISA_AVX512 && global_avg_streams_from_l2(p) ? ISA_AVX2 : isa];
}

pb_simd_nchw_separable_fn pb_simd_best_nchw_separable(void)
{
    static const pb_simd_nchw_separable_fn variants[] = PB_VARIANTS(pb_simd_nchw_separable_);
    return variants[best_isa()];
}

pb_simd_nhwc_fn pb_simd_best_nhwc(void)
{
    static const pb_simd_nhwc_fn variants[] = PB_VARIANTS(pb_simd_nhwc_);
    return variants[best_isa()];
}

int64_t pb_simd_peak_max(int64_t iters)
{
    static int64_t (*const variants[])(int64_t) = PB_VARIANTS(pb_simd_peak_max_);
    return variants[best_isa()](iters);
}

void pb_simd_triad(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming)
{
    static void (*const variants[])(float *, const float *, const float *, float, int64_t, int64_t,
                                    bool) = PB_VARIANTS(pb_simd_triad_);
    variants[best_isa()](a, b, c, s, lo, hi, streaming);
}

void pb_simd_plain_pass(const float *in, int64_t in_lines, float *out, int64_t out_lines)
{
    static void (*const variants[])(const float *, int64_t, float *, int64_t) = PB_VARIANTS(pb_simd_plain_pass_);
    variants[best_isa()](in, in_lines, out, out_lines);
}

/* The x86 variants have them (PB_VSTREAM in vec.h); NEON's and the portable
 * one store plainly, and no kernel of theirs asks for them. */
bool pb_simd_streaming_stores_available(void) { return best_isa() == ISA_AVX512 || best_isa() == ISA_AVX2; }

/* OpenMP ends worker threads when a team shrinks (openmp sizes its team
 * by the work), so a thread's scratch is freed by a pthread key destructor
 * when the thread exits; the thread-local copy keeps the lookup cheap. */
static pthread_key_t scratch_key;
static pthread_once_t scratch_key_once = PTHREAD_ONCE_INIT;

static void scratch_key_create(void) { pthread_key_create(&scratch_key, free); }

void *pb_simd_scratch(size_t bytes)
{
    static _Thread_local void *buffer;
    static _Thread_local size_t capacity;
    if (bytes > capacity) {
        pthread_once(&scratch_key_once, scratch_key_create);
        free(buffer);
        capacity = 0;
        buffer = aligned_alloc(64, (bytes + 63) / 64 * 64);
        pthread_setspecific(scratch_key, buffer);
        if (!buffer)
            return NULL;
        capacity = bytes;
    }
    return buffer;
}

static int64_t stream_threshold_bytes;
static pthread_once_t stream_threshold_once = PTHREAD_ONCE_INIT;

/* POOLBENCH_STREAM_BYTES, else a quarter of the LLC as glibc reads it from
 * CPUID for its memcpy. */
static void stream_threshold_find(void)
{
    const char *set = getenv("POOLBENCH_STREAM_BYTES");
    if (set && *set) {
        char *end;
        errno = 0;
        const long long bytes = strtoll(set, &end, 10);
        if (*end == '\0' && errno == 0 && bytes >= 0) {
            stream_threshold_bytes = bytes;
            return;
        }
        fprintf(stderr, "poolbench: ignoring POOLBENCH_STREAM_BYTES=%s (not a byte count)\n", set);
    }
    long llc = 0;
#ifdef _SC_LEVEL3_CACHE_SIZE
    llc = sysconf(_SC_LEVEL3_CACHE_SIZE);
#endif
    stream_threshold_bytes = llc > 0 ? llc / 4 : INT64_MAX;
}

int64_t pb_simd_stream_output_bytes(void)
{
    pthread_once(&stream_threshold_once, stream_threshold_find);
    return stream_threshold_bytes;
}

bool pb_simd_streams_output(const pb_params *p)
{
    return pb_output_elems(p) > pb_simd_stream_output_bytes() / (int64_t)sizeof(float);
}

const char *pb_simd_supports(const pb_params *p)
{
    return p->mode == PB_MODE_SOFTMAX ? "softmax pooling is not a simd kernel (see softmax-fast)" : NULL;
}

double pb_simd_ops(const pb_params *p)
{
    /* The seed's count, one lane-operation per window tap: NCHW computes
     * padding columns (against the identity) and skips padding rows, NHWC
     * skips both, so border windows cost a little less than counted. */
    return pb_model_ops(p);
}

static int run_with(const pb_params *p, const float *in, float *out, pb_simd_nchw_fn nchw, pb_simd_nhwc_fn nhwc)
{
    const bool stream = pb_simd_streams_output(p);
    if (p->layout == PB_LAYOUT_NCHW)
        return nchw(p, in, out, stream);
    return nhwc(p, in, out, (pb_nhwc_share){0, p->oh, 0, p->c}, stream);
}

int pb_simd_run_auto(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)ctx;
    return run_with(p, in, out, pb_simd_best_nchw(p), pb_simd_best_nhwc());
}

/* A forced variant: a machine builds only its own ISA's and the portable
 * one, and the others' registry rows say they are not available here. */
static int run_isa(int isa, const pb_params *p, const float *in, float *out)
{
    static const pb_simd_nchw_fn nchw[] = PB_VARIANTS(pb_simd_nchw_);
    static const pb_simd_nhwc_fn nhwc[] = PB_VARIANTS(pb_simd_nhwc_);
    if (nchw[isa] == NULL) {
        errno = ENOTSUP;
        return -1;
    }
    return run_with(p, in, out, nchw[isa], nhwc[isa]);
}

int pb_simd_run_scalar(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)ctx;
    return run_isa(ISA_SCALAR, p, in, out);
}

int pb_simd_run_avx2(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)ctx;
    return run_isa(ISA_AVX2, p, in, out);
}

int pb_simd_run_avx512(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)ctx;
    return run_isa(ISA_AVX512, p, in, out);
}

int pb_simd_run_neon(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)ctx;
    return run_isa(ISA_NEON, p, in, out);
}
