/* The openmp family: the best single-thread simd kernel run by a team of
 * threads bound to cores, over N*C planes in NCHW and over image rows in NHWC.
 * Each output is computed by the same kernel code whatever the split, so the
 * result is identical to the single-thread kernel at any thread count. */
#include <omp.h>

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

int pb_openmp_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    const int threads = ctx->threads > 0 ? ctx->threads : omp_get_max_threads();
    if (p->layout == PB_LAYOUT_NCHW) {
        const pb_simd_nchw_fn kernel = pb_simd_best_nchw();
        const int64_t planes = p->n * p->c, in_plane = p->h * p->w, out_plane = p->oh * p->ow;
        int failed = 0;
#pragma omp parallel num_threads(threads) reduction(| : failed)
        {
            bind_once();
            const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
            const int64_t begin = planes * t / nt, end = planes * (t + 1) / nt;
            if (end > begin) {
                pb_params part = *p;
                part.n = 1, part.c = end - begin;
                failed |= kernel(&part, in + begin * in_plane, out + begin * out_plane) != 0;
            }
        }
        return failed ? -1 : 0;
    }
    const pb_simd_nhwc_fn kernel = pb_simd_best_nhwc();
    const int64_t rows = p->n * p->oh;
    int failed = 0;
#pragma omp parallel num_threads(threads) reduction(| : failed)
    {
        bind_once();
        const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
        /* Rows [begin, end) of all images, cut at image boundaries. */
        for (int64_t r = rows * t / nt, end = rows * (t + 1) / nt; r < end;) {
            const int64_t n = r / p->oh, oy0 = r % p->oh;
            const int64_t oy1 = (end - n * p->oh) < p->oh ? end - n * p->oh : p->oh;
            pb_params image = *p;
            image.n = 1;
            failed |= kernel(&image, in + n * p->h * p->w * p->c, out + n * p->oh * p->ow * p->c, oy0, oy1) != 0;
            r = n * p->oh + oy1;
        }
    }
    return failed ? -1 : 0;
}
