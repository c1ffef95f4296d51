/* The registry: the single place an implementation is added. */
#include "poolbench/registry.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../conv/conv.h"
#include "../im2col/im2col.h"
#include "../lines/lines.h"
#include "../naive/naive.h"
#include "../openmp/openmp.h"
#include "../simd/simd.h"
#include "../softmax/softmax.h"
#include "../team/team.h"
#if POOLBENCH_HAVE_DNNL
#include <oneapi/dnnl/dnnl.h>

#include "../onednn/onednn.h"
#endif

#if POOLBENCH_TEST_BROKEN_IMPL
#include "broken_impl.h"
#endif

static const pb_impl impls[] = {
    {.name = "naive", .family = "naive", .run = pb_naive_run, .ops = pb_naive_ops},
#if POOLBENCH_TEST_BROKEN_IMPL
    PB_BROKEN_IMPL_ROW,
#endif
    {.name = "simd", .family = "simd", .supports = pb_simd_supports, .run = pb_simd_run_auto, .ops = pb_simd_ops},
    /* Every ISA's row on every machine, available or not: a report written on
     * one machine of a run made on another must still know them for simd's twins. */
    {.name = "simd-avx512", .family = "simd", .variant_of = "simd", .available = pb_simd_avx512_available,
     .supports = pb_simd_supports, .run = pb_simd_run_avx512, .ops = pb_simd_ops},
    {.name = "simd-avx2", .family = "simd", .variant_of = "simd", .available = pb_simd_avx2_available,
     .supports = pb_simd_supports, .run = pb_simd_run_avx2, .ops = pb_simd_ops},
    {.name = "simd-neon", .family = "simd", .variant_of = "simd", .available = pb_simd_neon_available,
     .supports = pb_simd_supports, .run = pb_simd_run_neon, .ops = pb_simd_ops},
    {.name = "simd-scalar", .family = "simd", .variant_of = "simd", .supports = pb_simd_supports,
     .run = pb_simd_run_scalar, .ops = pb_simd_ops},
    {.name = "im2col", .family = "im2col", .supports = pb_im2col_supports, .run = pb_im2col_run,
     .ops = pb_im2col_ops, .workspace_bytes = pb_im2col_workspace},
    {.name = "conv-avg", .family = "conv-emulation", .supports = pb_conv_avg_supports, .run = pb_conv_avg_run,
     .ops = pb_conv_avg_ops, .workspace_bytes = pb_conv_avg_workspace},
    {.name = "conv-relu-max", .family = "conv-emulation", .supports = pb_conv_relu_max_supports,
     .run = pb_conv_relu_max_run, .ops = pb_conv_relu_max_ops, .workspace_bytes = pb_conv_relu_max_workspace,
     .specials_note = PB_CONV_RELU_MAX_SPECIALS_NOTE},
    {.name = "conv-neg-min", .family = "conv-emulation", .supports = pb_conv_neg_min_supports,
     .run = pb_conv_neg_min_run, .ops = pb_conv_neg_min_ops, .workspace_bytes = pb_conv_neg_min_workspace},
    {.name = "softmax-fast", .family = "softmax", .supports = pb_softmax_fast_supports,
     .run = pb_softmax_fast_run, .ops = pb_softmax_fast_ops, .workspace_bytes = pb_softmax_fast_workspace},
    {.name = "separable", .family = "separable", .supports = pb_separable_supports, .run = pb_separable_run,
     .ops = pb_separable_ops, .workspace_bytes = pb_separable_workspace},
    {.name = "vhgw", .family = "vhgw", .supports = pb_vhgw_supports, .run = pb_vhgw_run, .ops = pb_vhgw_ops,
     .workspace_bytes = pb_vhgw_workspace},
    {.name = "running-sum", .family = "running-sum", .supports = pb_running_sum_supports,
     .run = pb_running_sum_run, .ops = pb_running_sum_ops, .workspace_bytes = pb_running_sum_workspace},
    {.name = "openmp", .family = "openmp", .threaded = true, .splits = "simd", .supports = pb_simd_supports,
     .run = pb_openmp_run, .ops = pb_simd_ops, .empty_calls = pb_openmp_empty_regions,
     .region_noun = "OpenMP region"},
    {.name = "team", .family = "team", .threaded = true, .splits = "simd", .supports = pb_simd_supports,
     .run = pb_team_run, .ops = pb_simd_ops, .empty_calls = pb_team_empty_calls,
     .region_noun = "team hand-over"},
#if POOLBENCH_HAVE_DNNL
    {.name = "onednn", .family = "onednn", .threaded = true, .supports = pb_onednn_supports, .run = pb_onednn_run,
     .ops = pb_onednn_ops, .prepare = pb_onednn_prepare_plain, .release = pb_onednn_release,
     .specials_note = PB_ONEDNN_SPECIALS_NOTE},
    {.name = "onednn-blocked", .family = "onednn", .threaded = true, .supports = pb_onednn_supports,
     .run = pb_onednn_run_blocked, .ops = pb_onednn_ops, .prepare = pb_onednn_prepare_blocked,
     .release = pb_onednn_release, .load_input = pb_onednn_load_input, .store_output = pb_onednn_store_output,
     .specials_note = PB_ONEDNN_SPECIALS_NOTE},
#endif
};

const char *pb_onednn_version(void)
{
#if POOLBENCH_HAVE_DNNL
    static char version[32];
    const dnnl_version_t *v = dnnl_version();
    snprintf(version, sizeof version, "%d.%d.%d", v->major, v->minor, v->patch);
    return version;
#else
    return "not built";
#endif
}

size_t pb_impl_count(void) { return sizeof impls / sizeof impls[0]; }
const pb_impl *pb_impl_at(size_t i) { return i < pb_impl_count() ? &impls[i] : NULL; }

const pb_impl *pb_impl_find(const char *name)
{
    for (size_t i = 0; i < pb_impl_count(); ++i)
        if (strcmp(impls[i].name, name) == 0)
            return &impls[i];
    return NULL;
}

bool pb_impl_available(const pb_impl *impl) { return impl->available == NULL || impl->available(); }

const char *pb_impl_refusal(const pb_impl *impl, const pb_params *p)
{
    if (!pb_impl_available(impl))
        return "not available on this machine";
    return impl->supports ? impl->supports(p) : NULL;
}

size_t pb_impl_workspace(const pb_impl *impl, const pb_params *p)
{
    return impl->workspace_bytes ? impl->workspace_bytes(p) : 0;
}

int pb_impl_run_alloc(const pb_impl *impl, const pb_params *p, const float *in, float *out, int threads)
{
    size_t bytes = pb_impl_workspace(impl, p);
    void *ws = NULL;
    if (bytes > 0) {
        ws = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (ws == NULL) {
            errno = ENOMEM;
            return -1;
        }
    }
    /* One-shot runs check results, not speed: every team splits its work. */
    pb_ctx ctx = {.threads = threads, .split_small = true, .workspace = ws, .workspace_size = bytes};
    if (impl->prepare != NULL && (ctx.state = impl->prepare(p, threads)) == NULL) {
        free(ws);
        return -1;
    }
    if (impl->load_input != NULL)
        impl->load_input(ctx.state, in);
    int rc = impl->run(p, in, out, &ctx);
    if (rc == 0 && impl->store_output != NULL)
        impl->store_output(ctx.state, out);
    if (impl->release != NULL)
        impl->release(ctx.state);
    free(ws);
    return rc;
}

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

double pb_impl_region_us(const pb_impl *impl, int threads)
{
    enum { CALLS = 2000, ROUNDS = 9 };
    double us[ROUNDS];
    if (impl->empty_calls == NULL)
        return 0;
    for (int round = -1; round < ROUNDS; ++round) {
        const double start = seconds_now();
        impl->empty_calls(threads, CALLS);
        /* Round -1 starts the team and binds it. */
        if (round >= 0)
            us[round] = (seconds_now() - start) / CALLS * 1e6;
    }
    qsort(us, ROUNDS, sizeof us[0], compare_doubles);
    return us[ROUNDS / 2];
}

static bool same_exact(float a, float b) { return a == b || (isnan(a) && isnan(b)); }

int64_t pb_outputs_mismatch(const pb_params *p, const float *in, const float *expect, const float *got)
{
    const int64_t count = pb_output_elems(p);
    if (p->mode == PB_MODE_MAX || p->mode == PB_MODE_MIN) {
        for (int64_t i = 0; i < count; ++i)
            if (!same_exact(expect[i], got[i]))
                return i;
        return -1;
    }
    double in_scale = 0.0;
    for (int64_t i = 0, m = pb_input_elems(p); i < m; ++i)
        if (isfinite(in[i]) && fabs(in[i]) > in_scale)
            in_scale = fabs(in[i]);
    for (int64_t i = 0; i < count; ++i) {
        double a = expect[i], b = got[i];
        if (same_exact(expect[i], got[i]))
            continue;
        if (!isfinite(a) || !isfinite(b) || fabs(a - b) > PB_SUM_RTOL * (fmax(fabs(a), fabs(b)) + in_scale))
            return i;
    }
    return -1;
}
