/* Min pooling as -maxpool(-x), the seed's answer to "is min pooling needed?",
 * on the best simd max kernel, next to the direct min of naive and simd. */
#include "../simd/simd.h"
#include "conv.h"

const char *pb_conv_neg_min_supports(const pb_params *p)
{
    return p->mode == PB_MODE_MIN ? NULL : "min pooling only";
}

size_t pb_conv_neg_min_workspace(const pb_params *p) { return (size_t)pb_input_elems(p) * sizeof(float); }

/* The max's taps plus two negations per element. */
double pb_conv_neg_min_ops(const pb_params *p)
{
    return pb_model_ops(p) + (double)pb_input_elems(p) + (double)pb_output_elems(p);
}

int pb_conv_neg_min_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    float *neg = ctx->workspace;
    for (int64_t i = 0, n = pb_input_elems(p); i < n; ++i)
        neg[i] = -in[i];
    pb_params as_max = *p;
    as_max.mode = PB_MODE_MAX;
    pb_ctx single = {.threads = 1};
    pb_simd_run_auto(&as_max, neg, out, &single);
    for (int64_t i = 0, n = pb_output_elems(p); i < n; ++i)
        out[i] = -out[i];
    return 0;
}
