#include "plain_pass.h"

#include <stdlib.h>

#include "poolbench/registry.h"

struct pb_plain_pass {
    float *in, *out;
    int64_t in_lines, out_lines;
};

static int64_t lines_of(int64_t floats) { return (floats + 15) / 16; }

void pb_plain_pass_free(pb_plain_pass *pass)
{
    if (pass)
        free(pass->in), free(pass->out);
    free(pass);
}

pb_plain_pass *pb_plain_pass_new(const pb_params *p)
{
    pb_plain_pass *pass = calloc(1, sizeof *pass);
    if (!pass)
        return NULL;
    pass->in_lines = lines_of(pb_input_elems(p));
    pass->out_lines = lines_of(pb_output_elems(p));
    pass->in = aligned_alloc(64, (size_t)pass->in_lines * 64);
    pass->out = aligned_alloc(64, (size_t)pass->out_lines * 64);
    if (!pass->in || !pass->out) {
        pb_plain_pass_free(pass);
        return NULL;
    }
    /* Knuth's multiplicative hash: values in no order along the array, where
     * a rising run would make any range's max its last line's. */
    for (int64_t i = 0; i < pass->in_lines * 16; ++i)
        pass->in[i] = (float)(((uint32_t)i * 2654435761u) >> 8);
    for (int64_t i = 0; i < pass->out_lines * 16; ++i)
        pass->out[i] = 0;
    return pass;
}

int pb_plain_pass_place(pb_plain_pass *pass, int core)
{
    return pb_bind_memory_to_core(pass->in, (size_t)pass->in_lines * 64, core) |
           pb_bind_memory_to_core(pass->out, (size_t)pass->out_lines * 64, core);
}

void pb_plain_pass_run(pb_plain_pass *pass)
{
    pb_simd_plain_pass(pass->in, pass->in_lines, pass->out, pass->out_lines);
}

double pb_plain_pass_bytes(const pb_plain_pass *pass) { return 64.0 * (double)(pass->in_lines + pass->out_lines); }

bool pb_plain_pass_valid(const pb_plain_pass *pass)
{
    const int64_t n = pass->in_lines, m = pass->out_lines;
    bool ok = true;
    for (int64_t j = 0; j < m; ++j) {
        int64_t lo, hi;
        pb_plain_pass_lines(j, n, m, &lo, &hi);
        for (int lane = 0; lane < 16; ++lane) {
            float want = pass->in[lo * 16 + lane];
            for (int64_t k = lo + 1; k < hi; ++k)
                want = pass->in[k * 16 + lane] > want ? pass->in[k * 16 + lane] : want;
            ok &= pass->out[j * 16 + lane] == want;
        }
    }
    return ok;
}
