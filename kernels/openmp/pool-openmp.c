/* The openmp family: the simd kernels split among an OpenMP team bound to
 * cores (see core/split.h). */
#include <omp.h>

#include "../core/split.h"
#include "openmp.h"

/* Each OpenMP worker binds itself to the core of its team index (a system
 * call the first time only). */
static void bind_to_team_index(void) { pb_bind_thread_to_core(omp_get_thread_num()); }

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

int pb_openmp_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    /* Unless told a count: OpenMP's (OMP_NUM_THREADS, else every PU), but no
     * more than a thread per core, the team's rule; on an SMT machine a
     * thread per PU put two threads on the one PU each core binds to. */
    const int cores = pb_core_count(), most = omp_get_max_threads();
    const int threads = cores > 0 && cores < most ? cores : most;
    const int team = pb_split_team_size(p, ctx, threads, PB_OPENMP_MIN_BYTES_PER_THREAD);
    if (team == 1)
        return pb_split_run_share(p, in, out, 0, 1) != 0 ? -1 : 0;
    int failed = 0;
#pragma omp parallel num_threads(team) reduction(| : failed)
    {
        bind_to_team_index();
        const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
        failed |= pb_split_run_share(p, in, out, t, nt);
    }
    return failed ? -1 : 0;
}

void pb_openmp_empty_regions(int threads, int64_t calls)
{
    for (int64_t i = 0; i < calls; ++i) {
#pragma omp parallel num_threads(threads)
        bind_to_team_index();
    }
}
