/* Outputs written with streaming stores: POOLBENCH_STREAM_BYTES=0, set
 * before the first kernel call, makes every call stream, so the small cases
 * here take the paths that the out-of-cache batches take in a benchmark.
 * Every implementation that accepts a case is held to naive: bit-exact for
 * max and min, the sweep's tolerance for averages. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "poolbench/registry.h"
#include "sweep.h"

/* Count floats at a 64-byte boundary plus offset floats. */
static float *floats_at(int64_t count, int offset, void **block)
{
    *block = aligned_alloc(64, ((size_t)(count + offset) * sizeof(float) + 63) / 64 * 64);
    assert_non_null(*block);
    return (float *)*block + offset;
}

/* Every implementation but naive on p, its output offset floats past a
 * 64-byte boundary; fails naming the first output that differs from naive's. */
static void expect_naive_everywhere(const pb_params *p, int offset)
{
    void *in_block, *want_block, *got_block;
    float *in = floats_at(pb_input_elems(p), 0, &in_block);
    float *want = floats_at(pb_output_elems(p), 0, &want_block);
    float *got = floats_at(pb_output_elems(p), offset, &got_block);
    pb_rng r = {(uint64_t)(p->c * 1000 + p->kh * 10 + p->mode)};
    pb_fill_input(&r, in, pb_input_elems(p), p->mode != PB_MODE_AVG);
    int ran = 0;
    for (size_t i = 0; i < pb_impl_count(); ++i) {
        const pb_impl *impl = pb_impl_at(i);
        if (strcmp(impl->name, "naive") == 0 || pb_impl_refusal(impl, p) != NULL || impl->specials_note != NULL)
            continue;
        const int64_t bad = pb_check_one(impl, p, in, 2, want, got);
        if (bad != -1)
            fail_msg("%s, %s, C = %lld, W = %lld, %lldx%lld/s%lld, output offset %d: output %lld is %g, naive says %g",
                     impl->name, pb_layout_name(p->layout), (long long)p->c, (long long)p->w, (long long)p->kh,
                     (long long)p->kw, (long long)p->sh, offset, (long long)bad, bad >= 0 ? got[bad] : 0.0,
                     bad >= 0 ? want[bad] : 0.0);
        ++ran;
    }
    assert_true(ran >= 2);
    free(in_block), free(want_block), free(got_block);
}

/* The windows whose walks stream (2x2/s2, 3x3/s2 with padding or ceil_mode,
 * 3x3/s3), over channel counts of one vector of either ISA (8, 16), one
 * register block (64), a block and a vector (80), two and three blocks
 * (128; 192, also the 3x3/s2 walk's scratch path) and one to three runs of
 * AVX-512's pixel walk (256, 512, 768; see nhwc_whole_pixels), at output
 * offset 0 (streamed) and 1 float (not aligned: plain stores; a streaming
 * store there would fault). */
static void streamed_nhwc_matches_naive(void **state)
{
    (void)state;
    static const int64_t channels[] = {8, 16, 64, 80, 128, 192, 256, 512, 768};
    static const struct {
        int64_t k, s, pad;
        bool ceil;
    } windows[] = {{2, 2, 0, false}, {3, 2, 1, false}, {3, 2, 0, true}, {3, 3, 0, false}};
    static const pb_mode modes[] = {PB_MODE_MAX, PB_MODE_MIN, PB_MODE_AVG};
    for (size_t c = 0; c < sizeof channels / sizeof channels[0]; ++c)
        for (size_t w = 0; w < sizeof windows / sizeof windows[0]; ++w)
            for (size_t m = 0; m < sizeof modes / sizeof modes[0]; ++m)
                for (int offset = 0; offset < 2; ++offset) {
                    pb_params p;
                    pb_params_default(&p, 2, channels[c], 23, 21, windows[w].k, windows[w].k);
                    p.sh = p.sw = windows[w].s, p.ph = p.pw = windows[w].pad, p.ceil_mode = windows[w].ceil;
                    p.mode = modes[m], p.layout = PB_LAYOUT_NHWC;
                    assert_int_equal(pb_params_resolve(&p), PB_OK);
                    expect_naive_everywhere(&p, offset);
                }
}

/* NCHW 2x2/s2 (VGG's walk): output rows of 32 (two AVX-512 vectors, four
 * AVX2: streamed) and of 17 (part of a vector: plain stores), max/min/avg,
 * output aligned and one float off. */
static void streamed_nchw_2x2s2_matches_naive(void **state)
{
    (void)state;
    static const int64_t widths[] = {64, 65, 34};
    static const pb_mode modes[] = {PB_MODE_MAX, PB_MODE_MIN, PB_MODE_AVG};
    for (size_t w = 0; w < sizeof widths / sizeof widths[0]; ++w)
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; ++m)
            for (int offset = 0; offset < 2; ++offset) {
                pb_params p;
                pb_params_default(&p, 2, 3, 12, widths[w], 2, 2);
                p.mode = modes[m];
                assert_int_equal(pb_params_resolve(&p), PB_OK);
                expect_naive_everywhere(&p, offset);
            }
}

/* NCHW 3x3/s2 (the stem's walk), whose rows stream in half vectors where
 * they hold whole ones: output rows of 56 (the stem's), 16 and 80 (two
 * walks a row) stream under both ISAs, 12 under AVX2 only, 23 under
 * neither; max/min over inputs with NaN and infinities (a NaN plane is
 * redone after the streamed stores), output aligned and one float off. */
static void streamed_nchw_3x3s2_matches_naive(void **state)
{
    (void)state;
    static const struct {
        int64_t w, pad;
        bool ceil;
    } rows[] = {{112, 1, false}, {32, 1, false}, {160, 1, false}, {24, 0, true}, {47, 0, true}};
    static const pb_mode modes[] = {PB_MODE_MAX, PB_MODE_MIN};
    for (size_t r = 0; r < sizeof rows / sizeof rows[0]; ++r)
        for (size_t m = 0; m < sizeof modes / sizeof modes[0]; ++m)
            for (int offset = 0; offset < 2; ++offset) {
                pb_params p;
                pb_params_default(&p, 2, 3, 9, rows[r].w, 3, 3);
                p.sh = p.sw = 2, p.ph = p.pw = rows[r].pad, p.ceil_mode = rows[r].ceil, p.mode = modes[m];
                assert_int_equal(pb_params_resolve(&p), PB_OK);
                expect_naive_everywhere(&p, offset);
            }
}

/* The roofline's triad, plainly stored and streamed: a[i] = b[i] + s*c[i]
 * exactly (small integers) over [lo, hi), whole lines, and nothing outside
 * that range written. */
static void triad_writes_its_range_exactly(void **state)
{
    (void)state;
    enum { N = 160, LO = 16, HI = 144 };
    void *blocks[3];
    float *a = floats_at(N, 0, &blocks[0]), *b = floats_at(N, 0, &blocks[1]), *c = floats_at(N, 0, &blocks[2]);
    for (int i = 0; i < N; ++i)
        b[i] = (float)i, c[i] = (float)(2 * i + 1);
    for (int streaming = 0; streaming <= (int)pb_simd_streaming_stores_available(); ++streaming) {
        for (int i = 0; i < N; ++i)
            a[i] = -1.0f;
        pb_simd_triad(a, b, c, 3.0f, LO, HI, streaming);
        for (int i = 0; i < N; ++i) {
            const float want = i >= LO && i < HI ? (float)(i + 3 * (2 * i + 1)) : -1.0f;
            if (a[i] != want)
                fail_msg("triad%s: a[%d] is %g, expected %g", streaming ? " (streaming)" : "", i, a[i], want);
        }
    }
    free(blocks[0]), free(blocks[1]), free(blocks[2]);
}

/* A case's plain pass: each output line the lane-wise max of its share of
 * input lines, hand-computed. Input line k holds lines[k] + lane/2 in each
 * lane (exact in float), so a line takes its range's largest, not its last,
 * and every lane its own. Five lines to two: [0, 2) and [2, 5); two to three
 * (more output than input): [0, 1), [0, 1), [1, 2); eight to one: all of them,
 * past the four chains. The line after the output is left as it was. */
static void plain_pass_reduces_each_share_exactly(void **state)
{
    (void)state;
    static const struct {
        int in_lines, out_lines;
        float lines[8], want[3];
    } shapes[] = {{5, 2, {5, 9, 1, 7, 3}, {9, 7}},
                  {2, 3, {4, 6}, {4, 4, 6}},
                  {8, 1, {2, 8, 3, 1, 11, 5, 10, 4}, {11}}};
    for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; ++s) {
        void *in_block, *out_block;
        float *in = floats_at(16 * shapes[s].in_lines, 0, &in_block);
        float *out = floats_at(16 * (shapes[s].out_lines + 1), 0, &out_block);
        for (int k = 0; k < shapes[s].in_lines; ++k)
            for (int lane = 0; lane < 16; ++lane)
                in[16 * k + lane] = shapes[s].lines[k] + 0.5f * (float)lane;
        for (int i = 0; i < 16 * (shapes[s].out_lines + 1); ++i)
            out[i] = -1.0f;
        pb_simd_plain_pass(in, shapes[s].in_lines, out, shapes[s].out_lines);
        for (int i = 0; i < 16 * (shapes[s].out_lines + 1); ++i) {
            const int j = i / 16;
            const float want = j < shapes[s].out_lines ? shapes[s].want[j] + 0.5f * (float)(i % 16) : -1.0f;
            if (out[i] != want)
                fail_msg("plain pass %d -> %d lines: out[%d] is %g, expected %g", shapes[s].in_lines,
                         shapes[s].out_lines, i, out[i], want);
        }
        free(in_block), free(out_block);
    }
}

int main(void)
{
    setenv("POOLBENCH_STREAM_BYTES", "0", 1);
    if (pb_simd_stream_output_bytes() != 0) {
        fprintf(stderr, "POOLBENCH_STREAM_BYTES=0 was not taken\n");
        return 1;
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test(streamed_nhwc_matches_naive),
                                       cmocka_unit_test(streamed_nchw_2x2s2_matches_naive),
                                       cmocka_unit_test(streamed_nchw_3x3s2_matches_naive),
                                       cmocka_unit_test(triad_writes_its_range_exactly),
                                       cmocka_unit_test(plain_pass_reduces_each_share_exactly)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
