/* NHWC windows of many taps, each a long run of channels (a global pool),
 * reduced tap after tap into the output, which stays in L1. */
#ifndef POOLBENCH_SIMD_POOL_NHWC_TAPS_INTO_OUTPUT_INC_H
#define POOLBENCH_SIMD_POOL_NHWC_TAPS_INTO_OUTPUT_INC_H
#include "poolbench/pool.h"
#include "pool-nhwc-block.inc.h"
#include "vec.h"

/* Channels per pass of nhwc_taps_into_output: the accumulating output (8 KiB)
 * stays in L1 while the taps stream past it. It takes windows of at least
 * PB_NHWC_MANY_TAPS taps whose taps are runs of at least PB_NHWC_LONG_TAP
 * channels, a page (Zen 5 VM, 7x7 global avg: 2048 channels 4.28 -> 3.04
 * us, 1024 2.20 -> 1.69, but 512 1.12 -> 1.19). */
#define PB_NHWC_OUTPUT_CHUNK 2048
#define PB_NHWC_MANY_TAPS 16
#define PB_NHWC_LONG_TAP 1024

/* Whether windows of `taps` taps, each a run of `channels` channels, take
 * nhwc_taps_into_output. */
static inline bool nhwc_many_long_taps(int64_t taps, int64_t channels)
{
    return taps >= PB_NHWC_MANY_TAPS && channels >= PB_NHWC_LONG_TAP;
}

/* One output pixel's channels [c, c_end) (whole vectors) reduced tap after tap
 * into the output itself, each tap's channels read in one contiguous run: for
 * windows of many taps that do not overlap (a global pool: 49 taps of 2048
 * channels, 8 KiB apart), where a register block walking down the taps
 * touches each 4 KiB page for a few lines only. Same tap order per channel
 * as nhwc_block, so the same bits. */
PB_INLINE void nhwc_taps_into_output(int op, const float *win, int64_t row, int64_t col, int64_t ny, int64_t nx,
                                     pb_vf div, float *o, int64_t c, int64_t c_end, pb_vf *wit)
{
    for (; c < c_end; c += PB_NHWC_OUTPUT_CHUNK) {
        const int64_t end = c + PB_NHWC_OUTPUT_CHUNK < c_end ? c + PB_NHWC_OUTPUT_CHUNK : c_end;
        pb_vf w[PB_NHWC_BLOCK] = {0};
        for (int64_t j = c; j < end; j += PB_VLEN)
            pb_vstore(o + j, pb_vload(win + j));
        for (int64_t ty = 0; ty < ny; ++ty)
            for (int64_t tx = ty == 0; tx < nx; ++tx) {
                const float *tap = win + ty * row + tx * col;
                int64_t j = c;
                /* The block's output loaded before its taps, as in a plain
                 * loop of this pattern that ran 1.11-1.14x faster than the
                 * walk without it (gains: see nhwc_entry). */
                for (; j + PB_NHWC_BLOCK * PB_VLEN <= end; j += PB_NHWC_BLOCK * PB_VLEN) {
                    pb_vf acc[PB_NHWC_BLOCK];
                    for (int b = 0; b < PB_NHWC_BLOCK; ++b)
                        acc[b] = pb_vload(o + j + b * PB_VLEN);
                    for (int b = 0; b < PB_NHWC_BLOCK; ++b) {
                        const pb_vf v = pb_vload(tap + j + b * PB_VLEN);
                        pb_vstore(o + j + b * PB_VLEN, pb_vop(op, acc[b], v));
                        if (wit)
                            w[b] += v;
                    }
                }
                for (; j < end; j += PB_VLEN) {
                    const pb_vf v = pb_vload(tap + j);
                    pb_vstore(o + j, pb_vop(op, pb_vload(o + j), v));
                    if (wit)
                        w[0] += v;
                }
            }
        for (int64_t j = c; j < end && op == PB_OP_SUM; j += PB_VLEN)
            pb_vstore(o + j, pb_vload(o + j) / div);
        /* The first tap needs no witness: a NaN it seeds stays (see pb_vmax). */
        for (int b = 0; b < PB_NHWC_BLOCK && wit; ++b)
            *wit += w[b];
    }
}
#endif
