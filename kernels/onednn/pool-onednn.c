/* oneDNN's pooling primitive as an external reference implementation. The
 * primitive is created in prepare, outside the timed call; the run only sets
 * the data handles and executes. onednn-blocked pools oneDNN's own blocked
 * layout (nChw16c or nChw8c), converting in load_input / store_output. */
#include "onednn.h"

#include <omp.h>
#include <stdlib.h>

#include <oneapi/dnnl/dnnl.h>

typedef struct {
    dnnl_engine_t engine;
    dnnl_stream_t stream;
    dnnl_primitive_t pool;
    dnnl_memory_t src, dst;            /* the pooling's own memories */
    dnnl_memory_t user_src, user_dst;  /* our layout, blocked variant only */
    dnnl_primitive_t to_blocked, from_blocked;
    int threads;
} onednn_state;

/* PyTorch's extra ceil_mode padding as oneDNN's right padding: enough for
 * oneDNN's floor rule to give the same output size. */
static int64_t right_pad(int64_t in, int64_t out, int64_t k, int64_t s, int64_t d, int64_t pad)
{
    int64_t need = (out - 1) * s + (k - 1) * d + 1 - in - pad;
    return need > pad ? need : pad;
}

const char *pb_onednn_supports(const pb_params *p)
{
    if (p->mode == PB_MODE_MIN)
        return "oneDNN has no min pooling";
    if (p->mode == PB_MODE_SOFTMAX)
        return "oneDNN has no softmax pooling";
    if (p->mode == PB_MODE_MAX && pb_has_empty_window(p))
        return "a window wholly in the padding: oneDNN's max is -FLT_MAX there, PyTorch's -inf";
    if (p->mode == PB_MODE_AVG && (p->dh > 1 || p->dw > 1))
        return "dilated average pooling: PyTorch does not define it and oneDNN's divisor differs";
    /* oneDNN's avg_include_padding divides by the whole window, also where a
     * ceil_mode window hangs past the padding; PyTorch clips it there. */
    if (p->mode == PB_MODE_AVG && p->count_include_pad &&
        ((p->oh - 1) * p->sh - p->ph + p->kh > p->h + p->ph || (p->ow - 1) * p->sw - p->pw + p->kw > p->w + p->pw))
        return "ceil_mode window past the padding: oneDNN's include-padding divisor differs from PyTorch's";
    return NULL;
}

static dnnl_format_tag_t plain_tag(const pb_params *p) { return p->layout == PB_LAYOUT_NHWC ? dnnl_nhwc : dnnl_nchw; }

static void *prepare(const pb_params *p, int threads, dnnl_format_tag_t tag)
{
    onednn_state *st = calloc(1, sizeof *st);
    if (st == NULL)
        return NULL;
    st->threads = threads;
    dnnl_memory_desc_t src_md, dst_md, user_src_md, user_dst_md;
    dnnl_dims_t src_dims = {p->n, p->c, p->h, p->w}, dst_dims = {p->n, p->c, p->oh, p->ow};
    dnnl_dims_t strides = {p->sh, p->sw}, kernel = {p->kh, p->kw}, dilation = {p->dh - 1, p->dw - 1};
    dnnl_dims_t pad_l = {p->ph, p->pw};
    dnnl_dims_t pad_r = {right_pad(p->h, p->oh, p->kh, p->sh, p->dh, p->ph),
                         right_pad(p->w, p->ow, p->kw, p->sw, p->dw, p->pw)};
    dnnl_alg_kind_t alg = p->mode == PB_MODE_MAX ? dnnl_pooling_max
                          : p->count_include_pad ? dnnl_pooling_avg_include_padding
                                                 : dnnl_pooling_avg_exclude_padding;
    dnnl_pooling_v2_desc_t desc;
    dnnl_primitive_desc_t pd = NULL;
    bool ok = dnnl_engine_create(&st->engine, dnnl_cpu, 0) == dnnl_success &&
              dnnl_stream_create(&st->stream, st->engine, dnnl_stream_default_flags) == dnnl_success &&
              dnnl_memory_desc_init_by_tag(&src_md, 4, src_dims, dnnl_f32, tag) == dnnl_success &&
              dnnl_memory_desc_init_by_tag(&dst_md, 4, dst_dims, dnnl_f32, tag) == dnnl_success &&
              dnnl_pooling_v2_forward_desc_init(&desc, dnnl_forward_inference, alg, &src_md, &dst_md, strides,
                                                kernel, dilation, pad_l, pad_r) == dnnl_success &&
              dnnl_primitive_desc_create(&pd, &desc, NULL, st->engine, NULL) == dnnl_success &&
              dnnl_primitive_create(&st->pool, pd) == dnnl_success;
    if (pd != NULL)
        dnnl_primitive_desc_destroy(pd);
    void *alloc = tag == plain_tag(p) ? NULL : DNNL_MEMORY_ALLOCATE;
    ok = ok && dnnl_memory_create(&st->src, &src_md, st->engine, alloc) == dnnl_success &&
         dnnl_memory_create(&st->dst, &dst_md, st->engine, alloc) == dnnl_success;
    if (ok && alloc != NULL) {
        dnnl_primitive_desc_t rpd = NULL;
        ok = dnnl_memory_desc_init_by_tag(&user_src_md, 4, src_dims, dnnl_f32, plain_tag(p)) == dnnl_success &&
             dnnl_memory_desc_init_by_tag(&user_dst_md, 4, dst_dims, dnnl_f32, plain_tag(p)) == dnnl_success &&
             dnnl_memory_create(&st->user_src, &user_src_md, st->engine, NULL) == dnnl_success &&
             dnnl_memory_create(&st->user_dst, &user_dst_md, st->engine, NULL) == dnnl_success &&
             dnnl_reorder_primitive_desc_create(&rpd, &user_src_md, st->engine, &src_md, st->engine, NULL) ==
                 dnnl_success &&
             dnnl_primitive_create(&st->to_blocked, rpd) == dnnl_success;
        if (rpd != NULL)
            dnnl_primitive_desc_destroy(rpd), rpd = NULL;
        ok = ok &&
             dnnl_reorder_primitive_desc_create(&rpd, &dst_md, st->engine, &user_dst_md, st->engine, NULL) ==
                 dnnl_success &&
             dnnl_primitive_create(&st->from_blocked, rpd) == dnnl_success;
        if (rpd != NULL)
            dnnl_primitive_desc_destroy(rpd);
    }
    if (!ok) {
        pb_onednn_release(st);
        return NULL;
    }
    return st;
}

void *pb_onednn_prepare_plain(const pb_params *p, int threads) { return prepare(p, threads, plain_tag(p)); }

void *pb_onednn_prepare_blocked(const pb_params *p, int threads)
{
    /* The block oneDNN's own kernels prefer on this CPU, as oneDNN sees it
     * (its ISA cap included); off x86 it reports no AVX-512. */
    const bool avx512 = (dnnl_get_effective_cpu_isa() & dnnl_cpu_isa_avx512_core) == dnnl_cpu_isa_avx512_core;
    return prepare(p, threads, avx512 ? dnnl_nChw16c : dnnl_nChw8c);
}

void pb_onednn_release(void *state)
{
    onednn_state *st = state;
    if (st == NULL)
        return;
    dnnl_primitive_t prims[] = {st->pool, st->to_blocked, st->from_blocked};
    for (size_t i = 0; i < 3; ++i)
        if (prims[i] != NULL)
            dnnl_primitive_destroy(prims[i]);
    dnnl_memory_t mems[] = {st->src, st->dst, st->user_src, st->user_dst};
    for (size_t i = 0; i < 4; ++i)
        if (mems[i] != NULL)
            dnnl_memory_destroy(mems[i]);
    if (st->stream != NULL)
        dnnl_stream_destroy(st->stream);
    if (st->engine != NULL)
        dnnl_engine_destroy(st->engine);
    free(st);
}

static int execute(onednn_state *st, dnnl_primitive_t prim, dnnl_memory_t src, dnnl_memory_t dst)
{
    if (st->threads > 0)
        omp_set_num_threads(st->threads);
    dnnl_exec_arg_t args[2] = {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}};
    if (dnnl_primitive_execute(prim, st->stream, 2, args) != dnnl_success)
        return -1;
    return dnnl_stream_wait(st->stream) == dnnl_success ? 0 : -1;
}

int pb_onednn_run(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)p;
    onednn_state *st = ctx->state;
    dnnl_memory_set_data_handle(st->src, (void *)in);
    dnnl_memory_set_data_handle(st->dst, out);
    return execute(st, st->pool, st->src, st->dst);
}

int pb_onednn_run_blocked(const pb_params *p, const float *in, float *out, const pb_ctx *ctx)
{
    (void)p, (void)in, (void)out;
    onednn_state *st = ctx->state;
    return execute(st, st->pool, st->src, st->dst);
}

void pb_onednn_load_input(void *state, const float *in)
{
    onednn_state *st = state;
    dnnl_memory_set_data_handle(st->user_src, (void *)in);
    execute(st, st->to_blocked, st->user_src, st->src);
}

void pb_onednn_store_output(void *state, float *out)
{
    onednn_state *st = state;
    dnnl_memory_set_data_handle(st->user_dst, out);
    execute(st, st->from_blocked, st->dst, st->user_dst);
}

double pb_onednn_ops(const pb_params *p) { return pb_model_ops(p); }
