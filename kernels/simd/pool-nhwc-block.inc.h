/* The NHWC register block: nb vectors of one output pixel's channels held in
 * registers while its window's taps are reduced into them, and the register
 * budgets of every NHWC walk. */
#ifndef POOLBENCH_SIMD_POOL_NHWC_BLOCK_INC_H
#define POOLBENCH_SIMD_POOL_NHWC_BLOCK_INC_H
#include "poolbench/pool.h"
#include "pool-columns.inc.h"
#include "vec.h"

/* Channels per register block: four vectors in flight hide the load latency
 * of the unrolled windows; a general window's loop runs twice as many chains,
 * as its taps come from further apart (a 7x7 global pool: 49 rows of 2048
 * channels) and each chain is a window long. */
#define PB_NHWC_BLOCK 4
#define PB_NHWC_WIDE_BLOCK 8
/* Pixels of 1 to 4 KiB (256 to 1023 channels) in the pixel-major walk (see
 * nhwc_block_pixels) take 16 vectors a block where there are 32 registers,
 * as oneDNN's NHWC kernel does: each tap then loads a 1 KiB run. A/B in one
 * process on the Zen 5 VM, AVX-512, against blocks of 4: VGG pool5 (2x2/s2,
 * 512x14x14) 1.52-1.54x, 512x20x20 1.18-1.20x, 768 channels 1.05-1.17x;
 * 3x3/s2 on 256x13x13 (AlexNet) 1.18-1.25x, 512x14x14 1.39-1.46x,
 * 832x14x14 1.42x. Pixels of 1024 channels and more gained nothing (2x2/s2:
 * 1024 0.97x, 1536 and 2048 0.91x; why the pixel size matters so, this VM's
 * lack of counters leaves open). */
#if defined(__AVX512F__)
#define PB_NHWC_RUN_BLOCK 16
#else
#define PB_NHWC_RUN_BLOCK PB_NHWC_BLOCK
#endif
#define PB_NHWC_RUN_MIN_BYTES 1024
#define PB_NHWC_RUN_MAX_BYTES 4096
#define PB_NHWC_MAX_BLOCK (PB_NHWC_RUN_BLOCK > PB_NHWC_WIDE_BLOCK ? PB_NHWC_RUN_BLOCK : PB_NHWC_WIDE_BLOCK)
/* The witness of a block (see nhwc_row): up to PB_NHWC_WIDE_BLOCK vectors,
 * each vector's taps summed in a chain of its own. A longer block's
 * accumulators leave no registers for sums (16 on AVX-512, with 32), so its
 * taps go in pairs to PB_NHWC_SEEN_CHAINS chains of pb_keep_ordered, a
 * chain one mask register (A/B on the Zen 5 VM, AVX-512, against 8 sum
 * chains: VGG pool5 2x2/s2 1.13-1.19x; the sum chains of 4-vector blocks
 * read 0.93-0.99x as mask chains). */
#define PB_NHWC_SEEN_CHAINS 4

/* v's nb vectors shown in pairs to the chains of ordered (an odd last one
 * paired with itself). */
PB_INLINE void nhwc_see_pairs(int nb, pb_ordered *ordered, const pb_vf *v)
{
    _Pragma("GCC unroll 8") for (int b = 0; b < nb; b += 2) ordered[b / 2 % PB_NHWC_SEEN_CHAINS] =
        pb_keep_ordered(ordered[b / 2 % PB_NHWC_SEEN_CHAINS], v[b], v[b + 1 < nb ? b + 1 : b]);
}

/* nb vectors of channels (a compile-time count) of one output pixel: the
 * window's ny x nx taps from win, its first tap inside the input, row and col
 * floats apart; k x k when k (a compile-time size, unit dilation) is not 0.
 * The first tap seeds the accumulators: one operation fewer per window.
 * With wit, a NaN among the taps makes *wit NaN. */
PB_INLINE void nhwc_block(int op, int k, int nb, const float *win, int64_t row, int64_t col, int64_t ny, int64_t nx,
                          pb_vf div, float *o, pb_vf *wit, bool stream)
{
    ny = k ? k : ny, nx = k ? k : nx;
    pb_vf acc[PB_NHWC_MAX_BLOCK], v[PB_NHWC_MAX_BLOCK], sums[PB_NHWC_WIDE_BLOCK];
    pb_ordered ordered[PB_NHWC_SEEN_CHAINS];
    const bool seeded = k || (ny > 0 && nx > 0), summed = nb <= PB_NHWC_WIDE_BLOCK;
    for (int q = 0; q < PB_NHWC_SEEN_CHAINS; ++q)
        ordered[q] = pb_ordered_all();
    /* Unrolled whatever nb, so the accumulators stay in registers (pool5:
     * 2.87 -> 2.77 us). */
    _Pragma("GCC unroll 16") for (int b = 0; b < nb; ++b) {
        acc[b] = seeded ? pb_vload(win + b * PB_VLEN) : pb_vset1(pb_op_identity(op));
        if (summed)
            sums[b] = acc[b];
    }
    if (wit && seeded && !summed)
        nhwc_see_pairs(nb, ordered, acc);
    for (int64_t ty = 0; ty < ny; ++ty) {
        const float *r = win + ty * row;
        /* The tap's own pointer: with r + tx * col + b * PB_VLEN in every
         * load, gcc kept an index register per vector (256x13x13 3x3/s2
         * 2.23 -> 1.79 us with this). */
        for (int64_t tx = ty == 0 && seeded; tx < nx; ++tx) {
            const float *tap = r + tx * col;
            _Pragma("GCC unroll 16") for (int b = 0; b < nb; ++b) {
                v[b] = pb_vload(tap + b * PB_VLEN);
                acc[b] = pb_vop(op, acc[b], v[b]);
                if (wit && summed)
                    sums[b] += v[b];
            }
            if (wit && !summed)
                nhwc_see_pairs(nb, ordered, v);
        }
    }
    _Pragma("GCC unroll 16") for (int b = 0; b < nb; ++b)
        pb_vput(o + b * PB_VLEN, op == PB_OP_SUM ? acc[b] / div : acc[b], stream);
    for (int b = 0; b < nb && wit && summed; ++b)
        *wit += sums[b];
    bool saw = false;
    for (int q = 0; q < PB_NHWC_SEEN_CHAINS && wit && !summed; ++q)
        saw |= !pb_all_ordered(ordered[q]);
    if (saw)
        *wit += pb_vset1(__builtin_nanf(""));
}

/* Vectors of channels per pixel in the 3x3 column walks (two output rows
 * carry 2 of them each in registers at stride 2, 3 at stride 1: AVX2 has 16,
 * AVX-512 32; larger windows take one vector). At stride 1 on the Zen 5 VM,
 * 64x56x56 3x3/s1/p1 against the walk of one vector: four vectors avg 1.33x,
 * max 1.12x, where the same walk with one vector read 1.06x and 0.99x. */
/* PB_NHWC_WITNESSED_3X3: whether 3x3 column walks keep a witness (see
 * nhwc_entry); with 16 registers they have none to spare for it (64x56x56
 * 3x3/s1 max against the row scan: AVX2 0.97x, scalar 0.87-0.91x; 5x5 and
 * 7x7 gain on both). */
#if defined(__AVX512F__)
#define PB_NHWC_COLUMN_VECTORS 4
#define PB_NHWC_WITNESSED_3X3 true
#else
#define PB_NHWC_COLUMN_VECTORS 2
#define PB_NHWC_WITNESSED_3X3 false
#endif
_Static_assert(PB_NHWC_COLUMN_VECTORS <= PB_COLUMN_VECTORS_MAX, "pb_column_pixels holds at most this many");

/* count pixels of unrolled k x k windows from channel c, each pixel parts
 * blocks of nb vectors (both compile-time counts; see nhwc_whole_pixels).
 * The witness is a local here: through *wit (the row's) gcc kept it on the
 * stack, a store and a load every pixel, where this local stays in a
 * register (read in the disassembly); out of DRAM the stack cost 64
 * channels 1.10x at one thread and 1.04-1.10x at two (A/B, Zen 5 VM, 2x2/s2,
 * 83 images; 512 channels 1.05x, 128 and 192 0.96-1.00x). */
PB_INLINE void nhwc_fixed_pixels(int op, int k, int nb, int parts, const float *win, int64_t row, int64_t col,
                                 pb_vf div, float *o, int64_t count, int64_t step, int64_t C, int64_t c, pb_vf *wit,
                                 bool stream)
{
    pb_vf seen = pb_vset1(0.0f);
    for (int64_t i = 0; i < count; ++i)
        _Pragma("GCC unroll 4") for (int j = 0; j < parts; ++j)
            nhwc_block(op, k, nb, win + i * step + c + j * nb * PB_VLEN, row, col, k, k, div,
                       o + i * C + c + j * nb * PB_VLEN, wit ? &seen : NULL, stream);
    if (wit)
        *wit += seen;
}

/* nhwc_fixed_pixels over runs of PB_NHWC_RUN_BLOCK vectors (in_runs) or
 * blocks of PB_NHWC_BLOCK. */
PB_INLINE void nhwc_fixed_parts(int op, int k, int parts, bool in_runs, const float *win, int64_t row, int64_t col,
                                pb_vf div, float *o, int64_t count, int64_t step, int64_t C, int64_t c, pb_vf *wit,
                                bool stream)
{
    if (in_runs)
        nhwc_fixed_pixels(op, k, PB_NHWC_RUN_BLOCK, parts, win, row, col, div, o, count, step, C, c, wit, stream);
    else
        nhwc_fixed_pixels(op, k, PB_NHWC_BLOCK, parts, win, row, col, div, o, count, step, C, c, wit, stream);
}

/* count unrolled k x k windows, channels [c, c_end) in blocks, pixel after
 * pixel (see nhwc_block_pixels). Out of the caches (stream), windows up to
 * 3x3 over pixels of one to three runs or blocks walk with that count known
 * at compile time: a loop over a pixel's two or three parts ran far slower
 * out of DRAM, though not in L3 (A/B on the Zen 5 VM, 2x2/s2, AVX-512:
 * 128x112x112 on 40 images 1.41-1.50x, 192x56x56 1.35-1.52x, 512x56x56
 * 1.22-1.32x, 768x56x56 1.12-1.18x, 256 channels (one run) 1.09x, 64 (one
 * block) 0.95-1.06x; AVX2 64 and 96 channels 1.06x; a bare AVX-512 loop of
 * two blocks a pixel 1.23x against it unrolled, even in L3; why, this VM's
 * lack of counters leaves open). In the caches the loop stays: two or three
 * parts unrolled read 0.93-0.99x there (192x56x56 0.93x). Larger windows
 * keep it too (not measured: each copy unrolls k*k taps). */
PB_INLINE void nhwc_whole_pixels(int op, int k, const float *win, int64_t row, int64_t col, pb_vf div, float *o,
                                 int64_t count, int64_t step, int64_t C, int64_t c, int64_t c_end, pb_vf *wit,
                                 bool stream)
{
    const int64_t pixel_bytes = C * (int64_t)sizeof(float), run = PB_NHWC_RUN_BLOCK * PB_VLEN;
    const int64_t block = PB_NHWC_BLOCK * PB_VLEN;
    const bool runs = pixel_bytes >= PB_NHWC_RUN_MIN_BYTES && pixel_bytes < PB_NHWC_RUN_MAX_BYTES;
    const int64_t runs_end = runs ? c + (c_end - c) / run * run : c;
    const int64_t nruns = (runs_end - c) / run, nblocks = (c_end - runs_end) / block;
    const bool fixed = stream && k <= 3 && (nruns == 0 || nblocks == 0);
    if (fixed && nruns + nblocks == 1)
        nhwc_fixed_parts(op, k, 1, nruns > 0, win, row, col, div, o, count, step, C, c, wit, stream);
    else if (fixed && nruns + nblocks == 2)
        nhwc_fixed_parts(op, k, 2, nruns > 0, win, row, col, div, o, count, step, C, c, wit, stream);
    else if (fixed && nruns + nblocks == 3)
        nhwc_fixed_parts(op, k, 3, nruns > 0, win, row, col, div, o, count, step, C, c, wit, stream);
    else
        for (int64_t i = 0; i < count; ++i) {
            int64_t b = c;
            for (; b < runs_end; b += run)
                nhwc_block(op, k, PB_NHWC_RUN_BLOCK, win + i * step + b, row, col, k, k, div, o + i * C + b, wit,
                           stream);
            for (; b < c_end; b += block)
                nhwc_block(op, k, PB_NHWC_BLOCK, win + i * step + b, row, col, k, k, div, o + i * C + b, wit,
                           stream);
        }
}
#endif
