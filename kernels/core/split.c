#include "split.h"

#include "../simd/simd.h"

/* An NHWC channel slice holds whole cache lines of a pixel's channels, so
 * no two threads write one output line (where pixels start on a line). */
#define NHWC_SLICE_GRAIN 16

static int64_t nhwc_grains(const pb_params *p) { return (p->c + NHWC_SLICE_GRAIN - 1) / NHWC_SLICE_GRAIN; }

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

/* How many slices of channels an NHWC call's nt threads cut each share of
 * rows into (nt / slices shares of rows). Only where the rows are single
 * pixels (a global pool) and fewer than the threads, which a row split
 * would leave idle: there the fewest slices that give the largest share the
 * least work, counted as rows x grains. Each slice's output is then a short
 * run of its own. Slices of longer rows interleave two threads' outputs and
 * inputs pixel by pixel: on the Zen 5 VM, two threads slicing AlexNet
 * 192x27x27 took 23 us where its rows take 4.5 (one thread 6.1), VGG
 * pool5 4-5 us against 2.3-2.8, and even one thread running both slices of
 * pool5 in turn took 1.8x its whole pixels' time. Divisors are found in
 * pairs, so that every thread of a call works this out in about sqrt(nt)
 * steps. */
static int64_t nhwc_channel_slices(const pb_params *p, int64_t nt)
{
    const int64_t rows = p->n * p->oh, grains = nhwc_grains(p);
    if (p->ow > 1 || rows >= nt)
        return 1;
    int64_t best = nt, least = INT64_MAX;
    for (int64_t d = 1; d * d <= nt; ++d) {
        if (nt % d != 0)
            continue;
        const int64_t divisors[2] = {d, nt / d};
        for (int i = 0; i < 2; ++i) {
            const int64_t slices = divisors[i], row_shares = nt / slices;
            const int64_t work = (rows + row_shares - 1) / row_shares * ((grains + slices - 1) / slices);
            if (work < least || (work == least && slices < best))
                best = slices, least = work;
        }
    }
    return best;
}

/* The most threads a call can keep busy: its planes, or its NHWC rows,
 * times their grains where they are single pixels (see
 * nhwc_channel_slices). */
static int64_t split_units(const pb_params *p)
{
    if (p->layout == PB_LAYOUT_NCHW)
        return p->n * p->c;
    return p->n * p->oh * (p->ow == 1 ? nhwc_grains(p) : 1);
}

/* Past a thread a row, an NHWC call slices its pixels (see
 * nhwc_channel_slices), and a slice costs near what its whole pixel does (one
 * thread on half of 2048x7x7's channels took 0.72x the whole's time): such
 * threads must bring four times the bytes a thread of rows does. With twice,
 * on the Zen 5 VM at two threads against one: openmp, whose region costs
 * 1.5-2 us, took 2048x7x7 in 5.9-6.5 us where one thread takes 2.8, and team
 * 1024x7x7 in 1.69-1.82 us against 1.48-1.54. */
int pb_split_team_size(const pb_params *p, const pb_ctx *ctx, int default_threads, int64_t min_bytes_per_thread)
{
    const int64_t bytes = (pb_input_elems(p) + pb_output_elems(p)) * (int64_t)sizeof(float);
    const int threads = ctx->threads > 0 ? ctx->threads : default_threads;
    int64_t team = ctx->split_small ? threads : bytes / min_bytes_per_thread;
    const int64_t rows = p->layout == PB_LAYOUT_NHWC ? p->n * p->oh : INT64_MAX;
    if (!ctx->split_small && team > rows) {
        const int64_t sliced = bytes / (4 * min_bytes_per_thread);
        team = sliced > rows ? sliced : rows;
    }
    team = team < threads ? team : threads;
    team = team < split_units(p) ? team : split_units(p);
    return team > 1 ? (int)team : 1;
}

/* The first of share t of nt of the N*oh output rows of all images. Where
 * the rows do not divide evenly, the earlier shares take the extra ones:
 * share 0 is the calling thread's, which starts first (a team's member
 * starts 0.3 us after the call on the Zen 5 VM). Against giving the later
 * shares the extra rows, team at two threads in one process: AlexNet
 * 192x27x27 (13 rows) 1.27-1.39x, VGG pool5 (7) 1.06-1.18x, AlexNet 64x55x55
 * (27) 1.06-1.13x; openmp 1.08-1.29x. */
static int64_t nhwc_share_start(const pb_params *p, int64_t t, int64_t nt)
{
    return (p->n * p->oh * t + nt - 1) / nt;
}

/* Where slice s of ns of an NHWC pixel's channels starts. */
static int64_t nhwc_slice_start(const pb_params *p, int64_t s, int64_t ns)
{
    const int64_t c = nhwc_grains(p) * s / ns * NHWC_SLICE_GRAIN;
    return c < p->c ? c : p->c;
}

/* Share t of nt: slice t % slices of the channels of share t / slices of the
 * rows, the rows cut at image boundaries. */
static int nhwc_share(const pb_params *p, const float *in, float *out, int64_t t, int64_t nt)
{
    const bool stream_output = pb_simd_streams_output(p);
    const pb_simd_nhwc_fn kernel = pb_simd_best_nhwc();
    const int64_t slices = nhwc_channel_slices(p, nt), row_share = t / slices, row_shares = nt / slices;
    const int64_t c0 = nhwc_slice_start(p, t % slices, slices), c1 = nhwc_slice_start(p, t % slices + 1, slices);
    int failed = 0;
    for (int64_t r = nhwc_share_start(p, row_share, row_shares), end = nhwc_share_start(p, row_share + 1, row_shares);
         r < end && c0 < c1;) {
        const int64_t n = r / p->oh, oy0 = r % p->oh;
        const int64_t oy1 = (end - n * p->oh) < p->oh ? end - n * p->oh : p->oh;
        pb_params image = *p;
        image.n = 1;
        failed |= kernel(&image, in + n * p->h * p->w * p->c, out + n * p->oh * p->ow * p->c,
                         (pb_nhwc_share){oy0, oy1, c0, c1}, stream_output) != 0;
        r = n * p->oh + oy1;
    }
    return failed;
}

/* Where share t of nt starts in the output, in floats (NHWC: share t of nt
 * of the rows, whatever their channel slices). */
static int64_t share_output_start(const pb_params *p, int64_t t, int64_t nt)
{
    return p->layout == PB_LAYOUT_NCHW ? nchw_share_start(p, t, nt) * p->oh * p->ow
                                       : nhwc_share_start(p, t, nt) * p->ow * p->c;
}

/* Where share t of nt starts in the input, in floats: its first plane, or
 * the first input row its first output row reads (padding rows above an
 * image: the image's first). The halo rows two shares both read go with
 * the later one. */
static int64_t share_input_start(const pb_params *p, int64_t t, int64_t nt)
{
    if (p->layout == PB_LAYOUT_NCHW)
        return nchw_share_start(p, t, nt) * p->h * p->w;
    const int64_t r = nhwc_share_start(p, t, nt), n = r / p->oh, oy = r % p->oh;
    const int64_t iy = oy * p->sh - p->ph;
    return (n * p->h + (iy < 0 ? 0 : iy < p->h ? iy : p->h)) * p->w * p->c;
}

/* The channel slices of an NHWC share of rows interleave pixel by pixel,
 * so its rows go on the node of its first slice's thread. */
int pb_place_for_threads(const pb_params *p, const float *in, const float *out, int threads)
{
    const int64_t nt = threads < split_units(p) ? (threads > 1 ? threads : 1) : split_units(p);
    const int64_t slices = p->layout == PB_LAYOUT_NHWC ? nhwc_channel_slices(p, nt) : 1, shares = nt / slices;
    int failed = 0;
    for (int64_t t = 0; t < shares; ++t) {
        const int64_t in0 = share_input_start(p, t, shares), in1 = share_input_start(p, t + 1, shares);
        const int64_t out0 = share_output_start(p, t, shares), out1 = share_output_start(p, t + 1, shares);
        const int core = (int)(t * slices);
        failed |= pb_bind_memory_to_core(in + in0, (size_t)(in1 - in0) * sizeof(float), core);
        failed |= pb_bind_memory_to_core(out + out0, (size_t)(out1 - out0) * sizeof(float), core);
    }
    return failed ? -1 : 0;
}

/* Output bytes at the start of a share that its thread asks for, for
 * writing, before its kernel runs (see claim_share_start). */
#define SHARE_CLAIM_BYTES 8192

#if POOLBENCH_X86
/* PREFETCHW in asm: GCC builds __builtin_prefetch's write hint into it only
 * with -mprfchw, and drops a call to a function of prefetches alone. x86
 * without it (Intel before Broadwell) gets nothing, as a plain prefetch
 * gained nothing where PREFETCHW did. */
static void claim_for_writing(const char *p, int64_t bytes)
{
    if (!pb_simd_prefetchw_available())
        return;
    for (int64_t b = 0; b < bytes; b += 64)
        __asm__ volatile("prefetchw %0" : : "m"(p[b]));
}
#else
static void claim_for_writing(const char *p, int64_t bytes)
{
    for (int64_t b = 0; b < bytes; b += 64)
        __builtin_prefetch(p + b, 1, 3);
}
#endif

/* The share below this one writes up to its first line, and on the Zen 5 VM
 * that writer's prefetcher ran on some 4 KiB into this share's output on
 * every call (in one process of three, by where its pages lay), taking the
 * lines from this thread's cache: its first output row then took 1.3-1.8 us
 * where it takes 0.6 alone, its stores winning the lines back one at a time
 * (AlexNet 192x27x27 in NHWC, two threads). Asking for them all at once with
 * PREFETCHW before the kernel starts took the share from 3.9-4.0 us to 3.2,
 * as fast as with the shares 4 KiB apart (4 KiB asked for gained a little
 * less than 8, 16 no more); a plain prefetch gained nothing (docs/speed.md).
 * Outputs written around the caches do not need it, nor NHWC channel
 * slices, whose outputs are no one run. */
static void claim_share_start(const pb_params *p, float *out, int64_t t, int64_t nt)
{
    if (t == 0 || pb_simd_streams_output(p) || (p->layout == PB_LAYOUT_NHWC && nhwc_channel_slices(p, nt) > 1))
        return;
    const int64_t begin = share_output_start(p, t, nt), end = share_output_start(p, t + 1, nt);
    const int64_t bytes = (end - begin) * (int64_t)sizeof(float);
    claim_for_writing((const char *)(out + begin), bytes < SHARE_CLAIM_BYTES ? bytes : SHARE_CLAIM_BYTES);
}

int pb_split_run_share(const pb_params *p, const float *in, float *out, int64_t t, int64_t nt)
{
    claim_share_start(p, out, t, nt);
    return (p->layout == PB_LAYOUT_NCHW ? nchw_share(p, in, out, t, nt) : nhwc_share(p, in, out, t, nt)) != 0;
}
