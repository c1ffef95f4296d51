/* NHWC max/min/avg, vectorized across channels: each output pixel reduces its
 * window taps for a block of channels held in registers, one block at a time
 * along a row of output pixels. Included by one file per ISA with PB_VLEN
 * set; taps are visited in naive's order, so max/min and avg (true division)
 * are bit-exact with the reference (max/min windows that share columns
 * reduce each column first: any order gives the same max or min, and NaN
 * wins in any order under the NaN rule). Windows wholly inside the input
 * with a common undilated size (2x2, 3x3; 5x5 and 7x7 for max/min) run fully
 * unrolled; rows whose taps hold no NaN take the one-instruction max/min (see
 * nhwc_rows for how that is known). 3x3 averages at stride 1 sum columns
 * first and scale by a reciprocal, like the NCHW 3x3/s1 walk: within
 * PB_SUM_RTOL. The walks of windows that do not share rows (2x2/s2, 3x3/s2,
 * k x k at stride k) write with streaming stores when the caller asks (see
 * pb_simd_streams_output): out of the caches, 2x2/s2 on 83 VGG images
 * 1.13x, the stem on 334 images 1.03x. */
#include <stdlib.h>

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
static inline __attribute__((always_inline)) void nhwc_see_pairs(int nb, pb_ordered *ordered, const pb_vf *v)
{
    _Pragma("GCC unroll 8") for (int b = 0; b < nb; b += 2) ordered[b / 2 % PB_NHWC_SEEN_CHAINS] =
        pb_keep_ordered(ordered[b / 2 % PB_NHWC_SEEN_CHAINS], v[b], v[b + 1 < nb ? b + 1 : b]);
}

/* nb vectors of channels (a compile-time count) of one output pixel: the
 * window's ny x nx taps from win, its first tap inside the input, row and col
 * floats apart; k x k when k (a compile-time size, unit dilation) is not 0.
 * The first tap seeds the accumulators: one operation fewer per window.
 * With wit, a NaN among the taps makes *wit NaN. */
static inline __attribute__((always_inline)) void nhwc_block(int op, int k, int nb, const float *win, int64_t row,
                                                             int64_t col, int64_t ny, int64_t nx, pb_vf div, float *o,
                                                             pb_vf *wit, bool stream)
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
static inline __attribute__((always_inline)) void nhwc_taps_into_output(int op, const float *win, int64_t row,
                                                                        int64_t col, int64_t ny, int64_t nx,
                                                                        pb_vf div, float *o, int64_t c,
                                                                        int64_t c_end, pb_vf *wit)
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

/* count unrolled k x k windows, channels [c, c_end) in blocks, pixel after
 * pixel (see nhwc_block_pixels). */
static inline __attribute__((always_inline)) void nhwc_whole_pixels(int op, int k, const float *win, int64_t row,
                                                                    int64_t col, pb_vf div, float *o, int64_t count,
                                                                    int64_t step, int64_t C, int64_t c, int64_t c_end,
                                                                    pb_vf *wit, bool stream)
{
    const int64_t pixel_bytes = C * (int64_t)sizeof(float), run = PB_NHWC_RUN_BLOCK * PB_VLEN;
    const bool runs = pixel_bytes >= PB_NHWC_RUN_MIN_BYTES && pixel_bytes < PB_NHWC_RUN_MAX_BYTES;
    const int64_t runs_end = runs ? c + (c_end - c) / run * run : c;
    for (int64_t i = 0; i < count; ++i) {
        int64_t b = c;
        for (; b < runs_end; b += run)
            nhwc_block(op, k, PB_NHWC_RUN_BLOCK, win + i * step + b, row, col, k, k, div, o + i * C + b, wit,
                       stream);
        for (; b < c_end; b += PB_NHWC_BLOCK * PB_VLEN)
            nhwc_block(op, k, PB_NHWC_BLOCK, win + i * step + b, row, col, k, k, div, o + i * C + b, wit, stream);
    }
}

/* count output pixels of one row from channel c on, the first one's window
 * at win and output at o, each window sw columns after the last. Unrolled
 * windows that do not overlap read each input float once: their blocks walk
 * pixel after pixel, all blocks of a pixel in turn, so the input streams in
 * runs of whole pixels (on the Zen 4 VM: VGG pool2 in NHWC 106 -> 94 us).
 * So do overlapping ones over pixels of at least PB_NHWC_RUN_MIN_BYTES
 * (Zen 5 VM, A/B against the walk below: 3x3/s2 2048x13x13 1.22x, 2x2/s1
 * 256x14x14 1.17x; with runs of 16 vectors, above). Other windows walk
 * block after block along the row, a block's taps one constant step apart
 * (pixel after pixel cost the 3x3/s1 avg 6% on the Zen 4 VM, 3x3/s2 on
 * 64 to 128 channels 0.89-0.96x on the Zen 5 VM). */
static inline __attribute__((always_inline)) void nhwc_block_pixels(int op, int k, const pb_params *p,
                                                                    const float *win, int64_t ny, int64_t nx,
                                                                    float divisor, float *o, int64_t count, int64_t c,
                                                                    pb_vf *wit, bool stream)
{
    const int64_t C = p->c, row = p->w * C * (k ? 1 : p->dh), col = C * (k ? 1 : p->dw), step = p->sw * C;
    const pb_vf div = pb_vset1(divisor);
    const int64_t ty = k ? k : ny, tx = k ? k : nx;
    if (ty > 0 && tx > 0 && nhwc_many_long_taps(ty * tx, C - c) && (count == 1 || p->sw >= tx)) {
        const int64_t c_end = c + (C - c) / PB_VLEN * PB_VLEN;
        for (int64_t i = 0; i < count; ++i)
            nhwc_taps_into_output(op, win + i * step, row, col, ty, tx, div, o + i * C, c, c_end, wit);
        c = c_end;
    }
    for (; !k && c + PB_NHWC_WIDE_BLOCK * PB_VLEN <= C; c += PB_NHWC_WIDE_BLOCK * PB_VLEN)
        for (int64_t i = 0; i < count; ++i)
            nhwc_block(op, k, PB_NHWC_WIDE_BLOCK, win + i * step + c, row, col, ny, nx, div, o + i * C + c, wit,
                       stream);
    const int64_t block = PB_NHWC_BLOCK * PB_VLEN, blocks_end = c + (C - c) / block * block;
    /* Each branch its own call, so that stream is a compile-time constant in
     * the walk (with the flag tested at every store, VGG pool3 read 0.92x). */
    const bool pixel_major = k && (p->sw >= k || C * (int64_t)sizeof(float) >= PB_NHWC_RUN_MIN_BYTES);
    if (pixel_major && stream)
        nhwc_whole_pixels(op, k, win, row, col, div, o, count, step, C, c, blocks_end, wit, true);
    else if (pixel_major)
        nhwc_whole_pixels(op, k, win, row, col, div, o, count, step, C, c, blocks_end, wit, false);
    else
        for (int64_t b = c; b < blocks_end; b += block)
            for (int64_t i = 0; i < count; ++i)
                nhwc_block(op, k, PB_NHWC_BLOCK, win + i * step + b, row, col, ny, nx, div, o + i * C + b, wit,
                           stream);
    c = blocks_end;
    for (; c + PB_VLEN <= C; c += PB_VLEN)
        for (int64_t i = 0; i < count; ++i)
            nhwc_block(op, k, 1, win + i * step + c, row, col, ny, nx, div, o + i * C + c, wit, stream);
    ny = k ? k : ny, nx = k ? k : nx;
    for (; c < C; ++c)
        for (int64_t i = 0; i < count; ++i) {
            float acc = pb_op_identity(op);
            for (int64_t ty = 0; ty < ny; ++ty)
                for (int64_t tx = 0; tx < nx; ++tx)
                    acc = pb_sop(wit ? pb_op_nan_aware(op) : op, acc, win[i * step + ty * row + tx * col + c]);
            o[i * C + c] = op == PB_OP_SUM ? acc / divisor : acc;
        }
}

/* Channels the 3x3/s2 walk keeps shared columns of, at most, per chunk. */
#define PB_NHWC_SHARED_MAX 1024

/* count output pixels of nr 3x3/s2 output rows, channels [c0, c1) (whole
 * vectors, at most PB_NHWC_SHARED_MAX), pixel after pixel: each pixel's
 * channels in one run, nb vectors at a time, the column a window shares with
 * the next one kept in shared (in L1) rather than in registers. Walking nb
 * vectors of channels along the whole row, then the next nb, read each row
 * in 256-byte pieces a pixel apart (A/B on the Zen 5 VM, AVX-512:
 * 192x27x27 7.5 -> 5.0 us, 128x56x56 31.6 -> 24.3, GoogLeNet 192x56x56
 * 38.0 -> 34.9). */
static inline __attribute__((always_inline)) void nhwc_3s2_pixels(int op, int nr, const float *win, int64_t row,
                                                                  int64_t C, int64_t c0, int64_t c1, float *o,
                                                                  int64_t orow, int64_t count, pb_vf *wit, bool stream)
{
    float shared[PB_COLUMN_ROWS_MAX][PB_NHWC_SHARED_MAX] __attribute__((aligned(64)));
    const int nb = PB_NHWC_COLUMN_VECTORS;
    for (int64_t c = c0; c < c1; c += PB_VLEN) {
        pb_vf first[PB_COLUMN_ROWS_MAX];
        pb_columns_3s2(op, nr, win + c, row, first, wit);
        for (int r = 0; r < nr; ++r)
            pb_vstore(shared[r] + c - c0, first[r]);
    }
    for (int64_t i = 0; i < count; ++i)
        for (int64_t c = c0; c < c1;) {
            const int vectors = c + nb * PB_VLEN <= c1 ? nb : 1;
            for (int b = 0; b < vectors; ++b, c += PB_VLEN) {
                const float *x = win + (2 * i + 1) * C + c;
                pb_vf mid[PB_COLUMN_ROWS_MAX], last[PB_COLUMN_ROWS_MAX];
                pb_columns_3s2(op, nr, x, row, mid, wit);
                pb_columns_3s2(op, nr, x + C, row, last, wit);
                for (int r = 0; r < nr; ++r) {
                    float *f = shared[r] + c - c0;
                    pb_vput(o + r * orow + i * C + c, pb_vop(op, pb_vop(op, pb_vload(f), mid[r]), last[r]), stream);
                    pb_vstore(f, last[r]);
                }
            }
        }
}

/* count output pixels of nr output rows (more than one only where
 * nhwc_row_pairs allows), every channel; see nhwc_block_pixels. */
static inline __attribute__((always_inline)) void nhwc_pixels(int op, int k, int nr, const pb_params *p,
                                                              const float *win, int64_t ny, int64_t nx, float divisor,
                                                              float *o, int64_t count, pb_vf *wit, bool stream)
{
    const int64_t C = p->c, row = p->w * C, orow = p->ow * C;
    int64_t c = 0;
    /* On rows of a few windows, the blocks of channels in flight win (measured
     * on the Zen 4 VM: AlexNet's 6 wide rows 3.0 -> 3.7 us, its 13 wide 10.6 -> 9.1;
     * on the Zen 5 VM, AlexNet 256x13x13 read 0.95-1.20x with the walk). */
    if (pb_columns_apply(op, k, p->sw) && count >= 8) {
        /* Only 3x3/s2 comes here: stride 1 takes nhwc_column_rows. A pixel
         * of at most one register block keeps its shared columns in
         * registers (stem: shared columns in L1 cost 7%), and so do the rows
         * under the NaN rule (rare; every copy costs compile time). */
        const int nb = PB_NHWC_COLUMN_VECTORS;
        const int64_t vectors_end = C / PB_VLEN * PB_VLEN;
        if (C <= nb * PB_VLEN || pb_op_no_nan(op) != op) {
            /* stream a compile-time constant, as in nhwc_block_pixels (with
             * the flag tested at every store the stem read 0.96x). */
            for (; c + nb * PB_VLEN <= C && stream; c += nb * PB_VLEN)
                pb_column_pixels(op, k, p->sw, nb, nr, win + c, row, C, o + c, orow, count, wit, true);
            for (; c + nb * PB_VLEN <= C; c += nb * PB_VLEN)
                pb_column_pixels(op, k, p->sw, nb, nr, win + c, row, C, o + c, orow, count, wit, false);
            for (; c + PB_VLEN <= C; c += PB_VLEN)
                pb_column_pixels(op, k, p->sw, 1, nr, win + c, row, C, o + c, orow, count, wit, stream);
        }
        for (int64_t end; c < vectors_end; c = end) {
            end = c + PB_NHWC_SHARED_MAX < vectors_end ? c + PB_NHWC_SHARED_MAX : vectors_end;
            nhwc_3s2_pixels(op, nr, win, row, C, c, end, o, orow, count, wit, stream);
        }
    }
    for (int r = 0; r < nr; ++r)
        nhwc_block_pixels(op, k, p, win + r * p->sh * row, ny, nx, divisor, o + r * orow, count, c, wit, stream);
}

/* General windows (k = 0, one output row) out of line, one copy per op (see
 * PB_OUT_OF_LINE_BY_OP) with and one without the witness: the clipped edge
 * pixels of every row and the rows of fewer than k taps call them, where
 * inlining them into every unrolled row made the NHWC files several hundred
 * KB of code and minutes to compile. The witness comes back as a value: a
 * pointer to the caller's kept it in memory through the caller's whole row
 * (VGG pool4 in NHWC 23.6 -> 32.3 us). */
static inline __attribute__((always_inline)) pb_vf nhwc_general(int op, const pb_params *p, const float *win,
                                                                int64_t ny, int64_t nx, float divisor, float *o,
                                                                int64_t count)
{
    nhwc_pixels(op, 0, 1, p, win, ny, nx, divisor, o, count, NULL, false);
    return pb_vset1(0.0f);
}

static inline __attribute__((always_inline)) pb_vf nhwc_general_witnessed(int op, const pb_params *p,
                                                                          const float *win, int64_t ny, int64_t nx,
                                                                          float divisor, float *o, int64_t count)
{
    pb_vf wit = pb_vset1(0.0f);
    nhwc_pixels(op, 0, 1, p, win, ny, nx, divisor, o, count, &wit, false);
    return wit;
}

#define PB_NHWC_GENERAL_PARAMS                                                                                   \
    (const pb_params *p, const float *win, int64_t ny, int64_t nx, float divisor, float *o, int64_t count)
PB_OUT_OF_LINE_BY_OP(pb_vf, nhwc_general, PB_NHWC_GENERAL_PARAMS, p, win, ny, nx, divisor, o, count)
PB_OUT_OF_LINE_BY_OP(pb_vf, nhwc_general_witnessed, PB_NHWC_GENERAL_PARAMS, p, win, ny, nx, divisor, o, count)
#undef PB_NHWC_GENERAL_PARAMS

/* nhwc_pixels(op, 0, 1, ...) through the copies above. */
static inline __attribute__((always_inline)) void nhwc_general_pixels(int op, const pb_params *p, const float *win,
                                                                      int64_t ny, int64_t nx, float divisor,
                                                                      float *o, int64_t count, pb_vf *wit)
{
    if (wit)
        *wit += PB_CALL_BY_OP(nhwc_general_witnessed, op, p, win, ny, nx, divisor, o, count);
    else
        PB_CALL_BY_OP(nhwc_general, op, p, win, ny, nx, divisor, o, count);
}

/* Whether any of the ny input rows of image n from y, dh apart, holds a NaN. */
static bool nhwc_rows_hold_nan(const pb_params *p, const float *image, int8_t *row_nan, int64_t y, int64_t ny)
{
    const int64_t row = p->w * p->c;
    bool any = false;
    for (int64_t t = 0; t < ny; ++t) {
        const int64_t r = y + t * p->dh;
        if (row_nan[r] < 0)
            row_nan[r] = pb_has_nan(image + r * row, row);
        any |= row_nan[r] != 0;
    }
    return any;
}

/* What avg output pixel ox of a row of row_taps window rows divides by: an
 * empty window (possible with dilation) sums to 0, and PyTorch outputs 0. */
static inline float nhwc_avg_divisor(const pb_params *p, int64_t row_taps, int64_t ox)
{
    const int64_t divisor = row_taps * pb_avg_cols(p, ox);
    return (float)(divisor > 0 ? divisor : 1);
}

/* Output pixel ox of a row whose window rows start at input row y (ny of
 * them), its columns clipped to the input. */
static inline __attribute__((always_inline)) void nhwc_clipped_pixel(int op, const pb_params *p, const float *image,
                                                                     int64_t y, int64_t ny, int64_t row_taps,
                                                                     int64_t ox, float *orow, pb_vf *wit)
{
    const int64_t C = p->c, d = p->dw, x0 = ox * p->sw - p->pw;
    int64_t tx0 = x0 < 0 ? (-x0 + d - 1) / d : 0;
    int64_t tx1 = x0 <= p->w - 1 ? (p->w - 1 - x0) / d + 1 : 0;
    tx1 = tx1 < p->kw ? tx1 : p->kw;
    tx1 = tx1 > tx0 ? tx1 : tx0;
    nhwc_general_pixels(op, p, image + (y * p->w + x0 + tx0 * d) * C, ny, tx1 - tx0,
                        op == PB_OP_SUM ? nhwc_avg_divisor(p, row_taps, ox) : 1.0f, orow + ox * C, 1, wit);
}

/* Input column x of nr (1 or 2) output rows' ny-row windows reduced into
 * col (see pb_columns_s1_n), or none outside the input. */
static inline __attribute__((always_inline)) void nhwc_columns_at(int op, int nr, int64_t ny, const pb_params *p,
                                                                  const float *rows, int64_t x, int64_t n, pb_vf none,
                                                                  pb_vf *col, pb_vf *wit)
{
    if (x < 0 || x >= p->w) {
        col[0] = col[nr - 1] = none;
        return;
    }
    pb_columns_s1_n(op, nr, ny, rows + x * p->c, p->w * p->c, n, col, wit);
}

/* 1 / the divisor of each avg output pixel of a stride-1 k x k row: inside
 * for [oxa, oxb), where the window's columns are all in the input, edge[ox]
 * left of it and edge[PB_NHWC_EDGE + ox - oxb] right of it (at most k / 2
 * pixels each side). Worked out before the walk: a call inside it would
 * spill every vector register. */
#define PB_NHWC_EDGE 4
typedef struct {
    int64_t oxa, oxb;
    float inside, edge[2 * PB_NHWC_EDGE];
} nhwc_avg_scales;

static void nhwc_avg_row_scales(const pb_params *p, int k, int64_t row_taps, nhwc_avg_scales *s)
{
    const int64_t oxb = p->w + p->pw - (k - 1);
    s->oxa = p->pw < p->ow ? p->pw : p->ow;
    s->oxb = oxb < s->oxa ? s->oxa : oxb < p->ow ? oxb : p->ow;
    s->inside = 1.0f / (float)(row_taps * k);
    for (int64_t ox = 0; ox < s->oxa; ++ox)
        s->edge[ox] = 1.0f / nhwc_avg_divisor(p, row_taps, ox);
    for (int64_t ox = s->oxb; ox < p->ow; ++ox)
        s->edge[PB_NHWC_EDGE + ox - s->oxb] = 1.0f / nhwc_avg_divisor(p, row_taps, ox);
}

/* Output pixel ox of a stride-1 column walk (see nhwc_column_row), nb
 * vectors of channels: its last column into cols[k - 1], its k columns
 * reduced and stored, the columns shifted for ox + 1. Inside (a
 * compile-time flag) the column is in the input, at x, and an average's
 * scale is avg->inside: no bounds test, no index arithmetic, no scale lookup
 * in the walk's middle (64x16x16 3x3/s1 avg, in L1: 1.93 -> 1.71 us). */
static inline __attribute__((always_inline)) void nhwc_column_step(int op, int k, int nr, int nb, bool inside,
                                                                   int64_t ny, const pb_params *p, const float *rows,
                                                                   const float *x, float *o, int64_t orow,
                                                                   int64_t n, int64_t ox, const nhwc_avg_scales *avg,
                                                                   pb_vf scale_inside,
                                                                   pb_vf cols[7][PB_NHWC_COLUMN_VECTORS][2], pb_vf *wit)
{
    for (int b = 0; b < nb; ++b) {
        pb_vf *const wb = wit ? wit + b : NULL;
        if (inside)
            pb_columns_s1_n(op, nr, ny, x + b * PB_VLEN, p->w * p->c, n, cols[k - 1][b], wb);
        else
            nhwc_columns_at(op, nr, ny, p, rows + b * PB_VLEN, ox - p->pw + k - 1, n, pb_vset1(pb_op_identity(op)),
                            cols[k - 1][b], wb);
    }
    const pb_vf scale = inside || op != PB_OP_SUM ? scale_inside
                                                  : pb_vset1(ox < avg->oxa   ? avg->edge[ox]
                                                             : ox < avg->oxb ? avg->inside
                                                                             : avg->edge[PB_NHWC_EDGE + ox - avg->oxb]);
    for (int r = 0; r < nr; ++r)
        for (int b = 0; b < nb; ++b) {
            pb_vf acc = cols[0][b][r];
            for (int t = 1; t < k; ++t)
                acc = pb_vop(op, acc, cols[t][b][r]);
            pb_vstore_n(o + r * orow + b * PB_VLEN, op == PB_OP_SUM ? acc * scale : acc, n);
        }
    for (int t = 0; t < k - 1; ++t)
        for (int b = 0; b < nb; ++b)
            for (int r = 0; r < nr; ++r)
                cols[t][b][r] = cols[t + 1][b][r];
}

/* The first n channels (see pb_vload_n; nb whole vectors when nb > 1) of
 * nr stride-1 k x k output rows (orow floats apart), output pixels
 * [ox0, ox1), as one column walk: rows holds the ny input rows of one output
 * row's windows (ny = ky when ky, a compile-time count, is not 0; two rows
 * take k + 1), and a column outside the input is the op's identity, so the
 * clipped windows at both ends and the rows of fewer than k taps at the top
 * and bottom take the same walk as the inside ones. An average is scaled by
 * avg (NULL for max/min). With wit, the loaded taps are added into *wit. */
static inline __attribute__((always_inline)) void nhwc_column_row(int op, int k, int nr, int nb, int64_t ky,
                                                                  int64_t ny, const pb_params *p, const float *rows,
                                                                  float *o, int64_t orow, int64_t n, int64_t ox0,
                                                                  int64_t ox1, const nhwc_avg_scales *avg, pb_vf *wit)
{
    if (k < 3 || k > 7 || nb < 1 || nb > PB_NHWC_COLUMN_VECTORS)
        __builtin_unreachable();
    ny = ky ? ky : ny;
    const int64_t C = p->c;
    const pb_vf none = pb_vset1(pb_op_identity(op)), scale_inside = pb_vset1(avg ? avg->inside : 1.0f);
    pb_vf cols[7][PB_NHWC_COLUMN_VECTORS][2];
    /* Several vectors of channels keep a witness each: one chain through
     * *wit would hold every step up for its adds. */
    pb_vf w[PB_NHWC_COLUMN_VECTORS];
    for (int b = 0; b < nb; ++b)
        w[b] = pb_vset1(0.0f);
    pb_vf *const ws = wit && nb > 1 ? w : wit;
    for (int t = 0; t < k - 1; ++t)
        for (int b = 0; b < nb; ++b)
            nhwc_columns_at(op, nr, ny, p, rows + b * PB_VLEN, ox0 - p->pw + t, n, none, cols[t][b],
                            ws ? ws + b : NULL);
    /* Output pixels [a, b) have their last column in the input and a whole
     * window: the walk's middle, in rows of k taps (ky given) of several
     * vectors. Other walks take the edge step throughout: one copy of the
     * step fewer to compile (the sanitizer build spent 111 s on the AVX-512
     * file with the middle in every walk, 52 before any, 73 now). */
    int64_t a = p->pw, b = p->w + p->pw - (k - 1);
    a = a < ox0 ? ox0 : a > ox1 ? ox1 : a;
    b = b < a ? a : b > ox1 ? ox1 : b;
    for (int64_t ox = ox0; ox < ox1; ++ox) {
        if (ky && nb > 1 && ox == a && a < b) {
            const float *x = rows + (ox - p->pw + k - 1) * C;
            for (float *out = o + ox * C; ox < b; ++ox, x += C, out += C)
                nhwc_column_step(op, k, nr, nb, true, ny, p, rows, x, out, orow, n, ox, avg, scale_inside, cols, ws);
            if (ox == ox1)
                break;
        }
        nhwc_column_step(op, k, nr, nb, false, ny, p, rows, NULL, o + ox * C, orow, n, ox, avg, scale_inside, cols,
                         ws);
    }
    for (int b = 0; b < nb && ws == w; ++b)
        *wit += w[b];
}

/* Channels from c of nr stride-1 k x k output rows (see nhwc_column_row;
 * two rows only where nhwc_row_pairs allows): PB_NHWC_COLUMN_VECTORS
 * vectors for a 3x3 with as many left, else one vector (fewer channels at
 * the end of C). Returns how many channels it did. The general window loop
 * took a quarter of the 7x7 time for its 6 edge columns and 6 edge rows in
 * 56, and a pair of rows loads k + 1 rows where two single rows load 2 k. */
static inline __attribute__((always_inline)) int64_t nhwc_column_pass(int op, int k, int nr, const pb_params *p,
                                                                      const float *rows, int64_t ny,
                                                                      const nhwc_avg_scales *avg, float *orow,
                                                                      int64_t c, int64_t ox0, int64_t ox1, pb_vf *wit)
{
    const int64_t next = p->ow * p->c, wide = PB_NHWC_COLUMN_VECTORS * PB_VLEN;
    /* Not for the rows under the NaN rule (rare, and each copy costs compile time). */
    if (k == 3 && PB_NHWC_COLUMN_VECTORS > 1 && pb_op_no_nan(op) == op && c + wide <= p->c && (nr == 2 || ny == k)) {
        const int nb = PB_NHWC_COLUMN_VECTORS;
        if (nr == 2)
            nhwc_column_row(op, k, 2, nb, k, k, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
        else
            nhwc_column_row(op, k, 1, nb, k, k, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
        return wide;
    }
    if (c + PB_VLEN > p->c && nr == 2)
        nhwc_column_row(op, k, 2, 1, 0, k, p, rows + c, orow + c, next, p->c - c, ox0, ox1, avg, wit);
    else if (c + PB_VLEN > p->c)
        nhwc_column_row(op, k, 1, 1, 0, ny, p, rows + c, orow + c, next, p->c - c, ox0, ox1, avg, wit);
    else if (nr == 2)
        nhwc_column_row(op, k, 2, 1, k, k, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
    else if (ny == k)
        nhwc_column_row(op, k, 1, 1, k, ny, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
    else
        nhwc_column_row(op, k, 1, 1, 0, ny, p, rows + c, orow + c, next, PB_VLEN, ox0, ox1, avg, wit);
    return PB_VLEN;
}

/* Where output row oy's windows start (input row *y, *ny rows of them) and
 * how many rows an average divides by. */
static inline void nhwc_row_taps(const pb_params *p, int op, int64_t oy, int64_t *y, int64_t *ny, int64_t *row_taps)
{
    int64_t ty0, ty1, unused0, unused1;
    pb_window_taps(p, oy, 0, &ty0, &ty1, &unused0, &unused1);
    *y = oy * p->sh - p->ph + ty0 * p->dh, *ny = ty1 - ty0;
    *row_taps = op == PB_OP_SUM ? pb_avg_rows(p, oy) : 1;
}

/* nr stride-1 k x k output rows, every channel (see nhwc_column_pass). */
static inline __attribute__((always_inline)) void nhwc_column_rows(int op, int k, int nr, const pb_params *p,
                                                                   const float *image, int64_t oy, float *orow,
                                                                   pb_vf *wit)
{
    int64_t y, ny, row_taps;
    nhwc_row_taps(p, op, oy, &y, &ny, &row_taps);
    nhwc_avg_scales scales;
    if (op == PB_OP_SUM)
        nhwc_avg_row_scales(p, k, row_taps, &scales);
    for (int64_t c = 0; c < p->c;)
        c += nhwc_column_pass(op, k, nr, p, image + y * p->w * p->c, ny, op == PB_OP_SUM ? &scales : NULL, orow, c,
                              0, p->ow, wit);
}

/* Whether nhwc_row's rows of k x k windows are column walks (k >= 5 comes
 * only at stride 1: see nhwc_entry). */
static inline bool nhwc_walks_columns(int k, const pb_params *p)
{
    return k >= 5 || (k >= 3 && p->sw == 1);
}

/* Output rows oy to oy + nr - 1 of one image (nr > 1: see nhwc_row_pairs);
 * k: the unrolled window size, 0 for none. Columns whose windows lie inside
 * the input, [oxa, oxb), need no clipping (no integer divisions) and, in a
 * full-height row, take the unrolled k x k. With wit, every tap is also
 * added into *wit: a NaN among them leaves a NaN there (so can inf - inf: a
 * false alarm only costs a recomputation). The column walks add only the
 * taps they load, each column's once. */
static inline __attribute__((always_inline)) void nhwc_row(int op, int k, int nr, const pb_params *p,
                                                           const float *image, int64_t oy, float *orow, pb_vf *wit,
                                                           bool stream)
{
    if (nhwc_walks_columns(k, p)) {
        nhwc_column_rows(op, k, nr, p, image, oy, orow, wit);
        return;
    }
    const int64_t C = p->c, span = (p->kw - 1) * p->dw, next = p->ow * C;
    int64_t y, ny, row_taps;
    nhwc_row_taps(p, op, oy, &y, &ny, &row_taps);
    int64_t oxa = (p->pw + p->sw - 1) / p->sw;
    int64_t oxb = p->w - 1 + p->pw - span >= 0 ? (p->w - 1 + p->pw - span) / p->sw + 1 : 0;
    oxb = oxb < p->ow ? oxb : p->ow;
    oxa = oxa < oxb ? oxa : oxb;
    for (int r = 0; r < nr; ++r)
        for (int64_t ox = 0; ox < oxa; ++ox)
            nhwc_clipped_pixel(op, p, image, y + r * p->sh, ny, row_taps, ox, orow + r * next, wit);
    const int64_t divisor = row_taps * p->kw;
    const float div = (float)(divisor > 0 ? divisor : 1);
    const float *win = image + (y * p->w + oxa * p->sw - p->pw) * C;
    if (k && ny == k)
        nhwc_pixels(op, k, nr, p, win, k, k, div, orow + oxa * C, oxb - oxa, wit, stream);
    else
        for (int r = 0; r < nr; ++r)
            nhwc_general_pixels(op, p, win + r * p->sh * p->w * C, ny, p->kw, div, orow + r * next + oxa * C,
                                oxb - oxa, wit);
    for (int r = 0; r < nr; ++r)
        for (int64_t ox = oxb; ox < p->ow; ++ox)
            nhwc_clipped_pixel(op, p, image, y + r * p->sh, ny, row_taps, ox, orow + r * next, wit);
}

/* Whether output rows oy and oy + 1 can run as a pair: max/min 3x3/s2, or
 * k x k at stride 1, the column walks loading the input rows their windows
 * share once, both rows' windows wholly inside the input's rows (so an
 * average's two rows divide alike). */
static bool nhwc_row_pairs(int op, int k, const pb_params *p, int64_t oy, int64_t oy1)
{
    const bool s2 = op != PB_OP_SUM && k == 3 && p->sh == 2 && p->sw == 2;
    const bool s1 = k >= 3 && p->sh == 1 && p->sw == 1;
    if (!(s1 || s2) || oy + 1 >= oy1)
        return false;
    const int64_t top = oy * p->sh - p->ph;
    return top >= 0 && top + p->sh + p->kh <= p->h;
}

/* Whether the taps of nr output rows from oy may hold a NaN (see
 * nhwc_rows_hold_nan). */
static bool nhwc_group_holds_nan(const pb_params *p, const float *image, int8_t *row_nan, int64_t oy, int nr)
{
    int64_t y, ny, row_taps;
    nhwc_row_taps(p, PB_OP_MAX, oy, &y, &ny, &row_taps);
    return nhwc_rows_hold_nan(p, image, row_nan, y, ny + (nr - 1) * p->sh);
}

/* A NaN must win a max or min, which the one-instruction update does not
 * ensure, so a row takes it only where no NaN can be in its taps, known one
 * of two ways. Where windows overlap a lot, except in most column walks
 * (row_nan given: see nhwc_entry), each input row is scanned once, when a
 * window first needs it: cheaper than a witness add on every tap. Elsewhere
 * the row runs with the witness and runs again with PyTorch's NaN rule only
 * when the witness is NaN. Sums have no such rule; their stride-1 rows pair
 * too. */
static inline __attribute__((always_inline)) void nhwc_rows(int op, int k, const pb_params *p, const float *in,
                                                            float *out, int64_t oy0, int64_t oy1, int8_t *row_nan,
                                                            bool stream)
{
    for (int64_t n = 0; n < p->n; ++n) {
        const float *image = in + n * p->h * p->w * p->c;
        float *oimage = out + n * p->oh * p->ow * p->c;
        if (row_nan)
            memset(row_nan, -1, (size_t)p->h);
        for (int64_t oy = oy0; oy < oy1; ++oy) {
            float *orow = oimage + oy * p->ow * p->c;
            /* A pair's second row adds the input row one stride lower. */
            const int nr = nhwc_row_pairs(op, k, p, oy, oy1) ? 2 : 1;
            bool nan_rule = false;
            if (op == PB_OP_SUM && k >= 3 && nr == 2)
                nhwc_row(op, k, 2, p, image, oy, orow, NULL, stream);
            else if (op == PB_OP_SUM)
                nan_rule = true;
            else if (row_nan) {
                nan_rule = nhwc_group_holds_nan(p, image, row_nan, oy, nr);
                /* Each branch its own call, so the op stays a compile-time constant. */
                if (!nan_rule && nr == 2)
                    nhwc_row(pb_op_no_nan(op), k, 2, p, image, oy, orow, NULL, stream);
                else if (!nan_rule)
                    nhwc_row(pb_op_no_nan(op), k, 1, p, image, oy, orow, NULL, stream);
            } else {
                pb_vf wit = pb_vset1(0.0f);
                if (nr == 2)
                    nhwc_row(pb_op_no_nan(op), k, 2, p, image, oy, orow, &wit, stream);
                else
                    nhwc_row(pb_op_no_nan(op), k, 1, p, image, oy, orow, &wit, stream);
                nan_rule = pb_vany_nan(wit);
            }
            /* Sums, and max/min rows that may hold a NaN, in one place: every
             * inlined copy of a row costs compile time. */
            for (int r = 0; r < nr && nan_rule; ++r)
                nhwc_row(op, k, 1, p, image, oy + r, orow + r * p->ow * p->c, NULL, stream);
            oy += nr - 1;
        }
    }
}

typedef void nhwc_rows_fn(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1,
                          int8_t *row_nan, bool stream);

/* One function for each op and window size the rows specialize, rather than
 * all of them inlined into nhwc_entry: as one function, gcc spent minutes on
 * it in the sanitizer build. */
#define PB_NHWC_ROWS(op, k)                                                                                      \
    static __attribute__((noinline)) void nhwc_rows_##op##_##k(const pb_params *p, const float *in, float *out, \
                                                               int64_t oy0, int64_t oy1, int8_t *row_nan,       \
                                                               bool stream)                                     \
    {                                                                                                            \
        nhwc_rows(PB_OP_##op, k, p, in, out, oy0, oy1, row_nan, stream);                                         \
    }
PB_NHWC_ROWS(MAX, 0) PB_NHWC_ROWS(MAX, 2) PB_NHWC_ROWS(MAX, 3) PB_NHWC_ROWS(MAX, 5) PB_NHWC_ROWS(MAX, 7)
PB_NHWC_ROWS(MIN, 0) PB_NHWC_ROWS(MIN, 2) PB_NHWC_ROWS(MIN, 3) PB_NHWC_ROWS(MIN, 5) PB_NHWC_ROWS(MIN, 7)
PB_NHWC_ROWS(SUM, 0) PB_NHWC_ROWS(SUM, 2) PB_NHWC_ROWS(SUM, 3)
#undef PB_NHWC_ROWS

/* By op and k: 5x5 and 7x7 averages take the general rows (k = 0). */
#define PB_NHWC_ROWS_K 8
static nhwc_rows_fn *const nhwc_rows_by_op_k[3][PB_NHWC_ROWS_K] = {
    [PB_OP_MAX] = {nhwc_rows_MAX_0, NULL, nhwc_rows_MAX_2, nhwc_rows_MAX_3, NULL, nhwc_rows_MAX_5, NULL, nhwc_rows_MAX_7},
    [PB_OP_MIN] = {nhwc_rows_MIN_0, NULL, nhwc_rows_MIN_2, nhwc_rows_MIN_3, NULL, nhwc_rows_MIN_5, NULL, nhwc_rows_MIN_7},
    [PB_OP_SUM] = {nhwc_rows_SUM_0, NULL, nhwc_rows_SUM_2, nhwc_rows_SUM_3},
};

/* Whether p is a global average that nhwc_taps_into_output takes whole. */
static bool nhwc_global_avg(const pb_params *p)
{
    return p->mode == PB_MODE_AVG && pb_is_global(p) && nhwc_many_long_taps(p->kh * p->kw, p->c) &&
           p->c % PB_VLEN == 0;
}

/* Returns nonzero when the row flags cannot be allocated. */
static int nhwc_entry(const pb_params *p, const float *in, float *out, int64_t oy0, int64_t oy1, bool stream_output)
{
    const int op = pb_mode_op(p->mode);
    /* Straight to the taps' walk: through the general rows the same walk
     * took 1.06x as long. With the walk's block order, against both before
     * (A/B, Zen 5 VM): 2048x7x7 1.07-1.10x (1.02x in a slow spell), 8 images
     * of it 1.06x, 1536x8x8 1.11x, 1024x7x7 1.06x; a global max, which
     * still comes through the rows, 1.03x. */
    if (nhwc_global_avg(p)) {
        const pb_vf div = pb_vset1((float)pb_avg_divisor(p, 0, 0));
        for (int64_t n = 0; n < p->n && oy0 < oy1; ++n)
            nhwc_taps_into_output(PB_OP_SUM, in + n * p->h * p->w * p->c, p->w * p->c, p->c, p->kh, p->kw, div,
                                  out + n * p->c, 0, p->c, NULL);
        return 0;
    }
    /* Over four taps per input float, on average: the row scan (measured on
     * the EPYC VM: the witness on every tap wins at 3x3/s2 and 2x2/s2, the
     * scan at 3x3/s1; most column walks keep a cheaper witness: below).
     * Counted over the whole image: a global pool's window is large but
     * reads each float once, and scanning first read it twice. */
    const bool reuse = p->oh * p->ow * p->kh * p->kw > 4 * p->h * p->w;
    /* 5x5 and 7x7 rows are column walks, which need stride 1 along the row
     * and more than one window in it: a global 7x7 (one window a row) walked
     * its 49 taps 16 channels at a time: 2048 channels 9.96 us, where the
     * general rows' taps-into-output walk takes 2.91 (A/B, Zen 5 VM). */
    const bool walks = p->sw == 1 && p->ow > 1;
    const bool unit = p->dh == 1 && p->dw == 1 && p->kh == p->kw && p->kh < PB_NHWC_ROWS_K && (p->kh <= 3 || walks);
    nhwc_rows_fn *rows = unit ? nhwc_rows_by_op_k[op][p->kh] : NULL;
    /* The column walks add the taps they load (k + 1 per column of a pair of
     * rows) into a witness rather than scanning every row first (A/B on the
     * Zen 5 VM, AVX-512: 64x56x56 3x3/s1 max 1.10-1.14x, Inception
     * 480x28x28 1.23-1.26x, 5x5 1.08x, 7x7 1.04-1.07x; AVX2 5x5 1.05x, 7x7
     * 1.06x; scalar 7x7 1.18x), but not where a pass takes part of a vector:
     * that walk then kept its columns on the stack (13x40x40 0.73x). */
    const bool walk = rows && nhwc_walks_columns((int)p->kh, p);
    const bool witnessed_walk = walk && p->c % PB_VLEN == 0 && (p->kh > 3 || PB_NHWC_WITNESSED_3X3);
    int8_t *row_nan = NULL;
    if (op != PB_OP_SUM && (reuse || walk) && !witnessed_walk && !(row_nan = malloc((size_t)p->h)))
        return -1;
    /* Every vector store aligned, or none streamed. */
    const bool stream = stream_output && PB_VSTREAM && p->c % PB_VLEN == 0 && (uintptr_t)out % sizeof(pb_vf) == 0;
    (rows ? rows : nhwc_rows_by_op_k[op][0])(p, in, out, oy0, oy1, row_nan, stream);
    if (stream)
        pb_vstream_fence();
    free(row_nan);
    return 0;
}
