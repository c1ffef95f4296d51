#include "broken_impl.h"

#include "../../kernels/naive/naive.h"

int pb_broken_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    int rc = pb_naive_run(p, in, out, ctx);
    out[pb_output_elems(p) / 2] += 1.0f;
    return rc;
}
