/* The openmp family: the best single-thread simd kernel run by a team of
 * threads bound to cores, over N*C planes in NCHW and over image rows in NHWC.
 * Each output is computed by the same kernel code whatever the split, so the
 * result is identical to the single-thread kernel at any thread count. */
#include <omp.h>
#include <stdlib.h>

#include "../simd/simd.h"
#include "openmp.h"

/* Each OpenMP worker binds itself once, to the core of its team index. */
static _Thread_local int bound_core = -1;

static void bind_once(void)
{
    int t = omp_get_thread_num();
    if (bound_core != t && pb_bind_thread_to_core(t) == 0)
        bound_core = t;
}

const char *pb_openmp_supports(const pb_params *p)
{
    return p->mode == PB_MODE_SOFTMAX ? "softmax pooling is not a simd kernel (see softmax-fast)" : NULL;
}

double pb_openmp_ops(const pb_params *p) { return pb_simd_ops(p); }

/* Below this much input plus output per thread, a second thread loses more
 * to the region than it saves. On the Zen 5 VM with LLVM's libomp (the
 * suite's default runtime; an empty region at two threads cost 0.38 us when
 * this was set), two threads took, against one, in one process: AlexNet
 * 256x13x13 (205 KB) 0.64-1.02x, global avg 2048x7x7 NCHW (400 KB) 1.18x,
 * VGG pool5 (490 KB) 1.19-1.34x, AlexNet 192x27x27 (674 KB) 1.24-1.72x.
 * (On libgomp, whose regions cost 2.2 us there, pool5 took 0.61-0.67x: with
 * that runtime the bound belongs nearer 256 KiB.) On 2026-12-05 regions
 * there cost 1.4 us in the morning and 0.41 us an hour later, and pool5 in
 * NHWC took 0.63-0.84x at two threads either way; a bound that follows the
 * timed region (a share must outlast it, costed at 200 bytes per ns) gave
 * pool5 NHWC 1.19x but 2048x7x7 max NCHW 0.86x (its kernel moves 92 bytes
 * per ns): no pace in bytes fits both. A team of one calls the kernel
 * without a region. */
#define PB_OPENMP_MIN_BYTES_PER_THREAD (160 * 1024)

/* Threads for `units` independent pieces of work (planes or rows). */
static int team_size(const pb_params *p, const pb_ctx *ctx, int64_t units)
{
    const int64_t bytes = (pb_input_elems(p) + pb_output_elems(p)) * (int64_t)sizeof(float);
    const int threads = ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
    int64_t team = ctx->split_small ? threads : bytes / PB_OPENMP_MIN_BYTES_PER_THREAD;
    team = team < threads ? team : threads;
    team = team < units ? team : units;
    return team > 1 ? (int)team : 1;
}

/* Where share t of nt of the N*C planes starts. A global average's kernel
 * sums a vector's worth of planes at a time from a vector-aligned start
 * (nchw_global_aligned_planes), in another order than plane by plane: its
 * shares start on multiples of 16 planes (AVX-512's vector, two of AVX2's),
 * where the one-thread kernel starts a group, so every team sums alike
 * (1000 planes on 2 threads, cut at 500, differed in the last bit). Other
 * kernels' sums do not depend on the cut: their shares stay even. */
static int64_t nchw_share_start(const pb_params *p, int64_t t, int64_t nt)
{
    const int64_t planes = p->n * p->c, grain = p->mode == PB_MODE_AVG && pb_is_global(p) ? 16 : 1;
    return t == nt ? planes : planes * t / nt / grain * grain;
}

/* Share t of nt of the N*C planes. */
static int nchw_share(const pb_params *p, const float *in, float *out, int64_t t, int64_t nt)
{
    const int64_t in_plane = p->h * p->w, out_plane = p->oh * p->ow;
    const int64_t begin = nchw_share_start(p, t, nt), end = nchw_share_start(p, t + 1, nt);
    if (end <= begin)
        return 0;
    pb_params part = *p;
    part.n = 1, part.c = end - begin;
    return pb_simd_best_nchw(p)(&part, in + begin * in_plane, out + begin * out_plane, pb_simd_streams_output(p));
}

/* Share t of nt of the N*oh output rows of all images, cut at image boundaries. */
static int nhwc_share(const pb_params *p, const float *in, float *out, int64_t t, int64_t nt)
{
    const bool stream_output = pb_simd_streams_output(p);
    const pb_simd_nhwc_fn kernel = pb_simd_best_nhwc();
    const int64_t rows = p->n * p->oh;
    int failed = 0;
    for (int64_t r = rows * t / nt, end = rows * (t + 1) / nt; r < end;) {
        const int64_t n = r / p->oh, oy0 = r % p->oh;
        const int64_t oy1 = (end - n * p->oh) < p->oh ? end - n * p->oh : p->oh;
        pb_params image = *p;
        image.n = 1;
        failed |= kernel(&image, in + n * p->h * p->w * p->c, out + n * p->oh * p->ow * p->c, oy0, oy1,
                         stream_output) != 0;
        r = n * p->oh + oy1;
    }
    return failed;
}

int pb_openmp_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    const bool nchw = p->layout == PB_LAYOUT_NCHW;
    const int team = team_size(p, ctx, nchw ? p->n * p->c : p->n * p->oh);
    if (team == 1)
        return (nchw ? nchw_share(p, in, out, 0, 1) : nhwc_share(p, in, out, 0, 1)) != 0 ? -1 : 0;
    int failed = 0;
#pragma omp parallel num_threads(team) reduction(| : failed)
    {
        bind_once();
        const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
        failed |= (nchw ? nchw_share(p, in, out, t, nt) : nhwc_share(p, in, out, t, nt)) != 0;
    }
    return failed ? -1 : 0;
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void pb_openmp_empty_regions(int threads, int64_t calls)
{
    for (int64_t i = 0; i < calls; ++i) {
#pragma omp parallel num_threads(threads)
        bind_once();
    }
}

double pb_openmp_region_us(int threads)
{
    enum { CALLS = 2000, ROUNDS = 9 };
    double us[ROUNDS];
    for (int round = -1; round < ROUNDS; ++round) {
        const double start = omp_get_wtime();
        pb_openmp_empty_regions(threads, CALLS);
        /* Round -1 starts the team and binds it. */
        if (round >= 0)
            us[round] = (omp_get_wtime() - start) / CALLS * 1e6;
    }
    qsort(us, ROUNDS, sizeof us[0], compare_doubles);
    return us[ROUNDS / 2];
}
