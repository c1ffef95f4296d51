/* The seed's examples and hand-computed cases for each PyTorch rule, run
 * through every registered implementation that accepts them. */
#define _GNU_SOURCE /* sysconf's cache sizes */
#include <string.h>
#include <unistd.h>

#include "pool_expect.h"
#include "sweep.h"

static pb_params params_2d(int64_t h, int64_t w, int64_t k, pb_mode mode)
{
    pb_params p;
    pb_params_default(&p, 1, 1, h, w, k, k);
    p.mode = mode;
    return p;
}

/* C planes of `plane` floats each (NCHW, one image) as the same image's
 * pixels of C channels (NHWC). */
static void planes_to_pixels(const float *planes, int64_t C, int64_t plane, float *pixels)
{
    for (int64_t c = 0; c < C; ++c)
        for (int64_t i = 0; i < plane; ++i)
            pixels[i * C + c] = planes[c * plane + i];
}

/* Seed: pool2d(X, (2, 2)) on [[0,1,2],[3,4,5],[6,7,8]] with stride 1. */
static void seed_3x3_max_and_avg(void **state)
{
    (void)state;
    const float x[] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    pb_params p = params_2d(3, 3, 2, PB_MODE_MAX);
    p.sh = p.sw = 1;
    expect_every_impl(p, x, (const float[]){4, 5, 7, 8});
    p.mode = PB_MODE_AVG;
    expect_every_impl(p, x, (const float[]){2, 3, 5, 6});
}

/* Seed: arange(16) as 1x1x4x4, MaxPool2d(3) and MaxPool2d(3, padding=1, stride=2). */
static void seed_arange16(void **state)
{
    (void)state;
    float x[16];
    for (int i = 0; i < 16; ++i)
        x[i] = (float)i;
    pb_params p = params_2d(4, 4, 3, PB_MODE_MAX);
    expect_every_impl(p, x, (const float[]){10});
    p.sh = p.sw = 2, p.ph = p.pw = 1;
    expect_every_impl(p, x, (const float[]){5, 7, 13, 15});
}

/* Seed: cat(X, X + 1) over channels, in both layouts. */
static void seed_two_channels(void **state)
{
    (void)state;
    float nchw[32], nhwc[32];
    for (int i = 0; i < 16; ++i) {
        nchw[i] = (float)i, nchw[16 + i] = (float)i + 1;
        nhwc[2 * i] = (float)i, nhwc[2 * i + 1] = (float)i + 1;
    }
    pb_params p;
    pb_params_default(&p, 1, 2, 4, 4, 3, 3);
    p.sh = p.sw = 2, p.ph = p.pw = 1;
    expect_every_impl(p, nchw, (const float[]){5, 7, 13, 15, 6, 8, 14, 16});
    p.layout = PB_LAYOUT_NHWC;
    expect_every_impl(p, nhwc, (const float[]){5, 6, 7, 8, 13, 14, 15, 16});
}

/* 1x5 row [1..5], kernel 1x2, stride 2: floor gives 2 outputs, ceil_mode 3,
 * the last window clipped to the single element 5. */
static void ceil_mode_adds_clipped_window(void **state)
{
    (void)state;
    const float x[] = {1, 2, 3, 4, 5};
    pb_params p;
    pb_params_default(&p, 1, 1, 1, 5, 1, 2);
    expect_every_impl(p, x, (const float[]){2, 4});
    p.ceil_mode = true;
    expect_every_impl(p, x, (const float[]){2, 4, 5});
    /* avg of the clipped window: PyTorch divides by 1 (clipped at input + pad). */
    p.mode = PB_MODE_AVG;
    expect_every_impl(p, x, (const float[]){1.5f, 3.5f, 5});
}

/* ceil_mode must not add a window that would start in the right padding:
 * W=4, k=2, s=2, pad=1 -> floor (4+2-2)/2+1 = 3; ceil would give 4 but the 4th
 * window starts at 3*2-1 = 5 >= W + pad = 5, so it is dropped. */
static void ceil_mode_last_window_starts_inside(void **state)
{
    (void)state;
    const float x[] = {1, 2, 3, 4};
    pb_params p;
    pb_params_default(&p, 1, 1, 1, 4, 1, 2);
    p.pw = 1, p.ceil_mode = true;
    assert_int_equal(pb_params_resolve(&p), PB_OK);
    assert_int_equal(p.ow, 3);
    expect_every_impl(p, x, (const float[]){1, 3, 4});
}

/* 3x3 all ones, k=3 s=1 p=1: corners see 4 real elements of 9 taps. */
static void count_include_pad_both_ways(void **state)
{
    (void)state;
    float x[9];
    for (int i = 0; i < 9; ++i)
        x[i] = 1;
    pb_params p = params_2d(3, 3, 3, PB_MODE_AVG);
    p.sh = p.sw = 1, p.ph = p.pw = 1;
    expect_every_impl(p, x,
                      (const float[]){4 / 9.0f, 6 / 9.0f, 4 / 9.0f, 6 / 9.0f, 1, 6 / 9.0f, 4 / 9.0f, 6 / 9.0f,
                                      4 / 9.0f});
    p.count_include_pad = false;
    expect_every_impl(p, x, (const float[]){1, 1, 1, 1, 1, 1, 1, 1, 1});
}

/* A ceil_mode window hanging past input + pad: W=4, k=4, s=3, pad=1, ceil ->
 * windows [-1,3) and [2,6). With count_include_pad the divisor is clipped at
 * W + pad = 5: 4 for the first, 3 for the second (PyTorch's rule); without,
 * it counts the real elements: 3 and 2. Checked against PyTorch 1.13. */
static void ceil_window_past_padding_divisor(void **state)
{
    (void)state;
    const float x[] = {3, 6, 9, 12};
    pb_params p;
    pb_params_default(&p, 1, 1, 1, 4, 1, 4);
    p.sw = 3, p.pw = 1, p.ceil_mode = true, p.mode = PB_MODE_AVG;
    expect_every_impl(p, x, (const float[]){4.5f, 7});
    p.count_include_pad = false;
    expect_every_impl(p, x, (const float[]){6, 10.5f});
}

/* Dilation 2 on a 1x7 row, k=3: taps x, x+2, x+4. */
static void dilation_skips_elements(void **state)
{
    (void)state;
    const float x[] = {7, 1, 2, 9, 3, 0, 4};
    pb_params p;
    pb_params_default(&p, 1, 1, 1, 7, 1, 3);
    p.sw = 1, p.dw = 2;
    /* windows start 0,1,2: {7,2,3}, {1,9,0}, {2,3,4} */
    expect_every_impl(p, x, (const float[]){7, 9, 4});
    p.mode = PB_MODE_MIN;
    expect_every_impl(p, x, (const float[]){2, 0, 2});
}

/* NaN anywhere in the window wins; -inf loses to anything but padding never
 * wins: an all-negative input with padding keeps its negative maxima. */
static void nan_and_negative_inputs(void **state)
{
    (void)state;
    const float x[] = {-5, NAN, -7, -INFINITY, -2, -3, -8, -9, -1};
    pb_params p = params_2d(3, 3, 2, PB_MODE_MAX);
    p.sh = p.sw = 1;
    expect_every_impl(p, x, (const float[]){NAN, NAN, -2, -1});
    p.mode = PB_MODE_MIN;
    expect_every_impl(p, x, (const float[]){NAN, NAN, -INFINITY, -9});
    const float neg[] = {-4, -3, -2, -1};
    pb_params q = params_2d(2, 2, 3, PB_MODE_MAX);
    q.sh = q.sw = 1, q.ph = q.pw = 1;
    expect_every_impl(q, neg, (const float[]){-1, -1, -1, -1});
    q.mode = PB_MODE_MIN;
    const float pos[] = {4, 3, 2, 1};
    expect_every_impl(q, pos, (const float[]){1, 1, 1, 1});
}

/* Global pooling over 2065 planes of side x side (5x5, and 7x7 from a
 * 64-byte aligned start, whose average the NCHW SIMD kernel takes as whole
 * aligned vectors), so whole vectors of planes, a partial one and a row tail all
 * occur, and in NHWC a pixel holds more channels than one pass of the
 * taps-into-output walk (2048): plane c holds i - c at element i (max N - 1 -
 * c in the last element, min -c, mean (N - 1) / 2 - c, all exact in any
 * order), except plane 0 with +inf last, plane 3 all -inf, and NaNs late in
 * plane 16, in plane 2050 (the second pass) and in plane 2064 (past the whole
 * vectors). */
static void expect_global_pool_planes(int side)
{
    enum { C = 2065, N_MAX = 49 };
    static _Alignas(64) float nchw[C * N_MAX], nhwc[C * N_MAX];
    static float max[C], min[C], avg[C];
    const int N = side * side;
    for (int c = 0; c < C; ++c) {
        for (int i = 0; i < N; ++i)
            nchw[c * N + i] = (float)(i - c);
        max[c] = (float)(N - 1 - c), min[c] = (float)-c, avg[c] = (float)((N - 1) / 2 - c);
    }
    nchw[N - 1] = INFINITY, max[0] = avg[0] = INFINITY;
    for (int i = 0; i < N; ++i)
        nchw[3 * N + i] = -INFINITY;
    max[3] = min[3] = avg[3] = -INFINITY;
    const int nan_planes[] = {16, 2050, 2064};
    for (int j = 0; j < 3; ++j) {
        const int c = nan_planes[j];
        nchw[c * N + 20] = NAN, max[c] = min[c] = avg[c] = NAN;
    }
    planes_to_pixels(nchw, C, N, nhwc);
    const pb_mode modes[] = {PB_MODE_MAX, PB_MODE_MIN, PB_MODE_AVG};
    const float *expect[] = {max, min, avg};
    for (int m = 0; m < 3; ++m)
        for (int l = 0; l < PB_LAYOUT_COUNT; ++l) {
            pb_params p;
            pb_params_default(&p, 1, C, side, side, side, side);
            p.mode = modes[m], p.layout = (pb_layout)l;
            expect_every_impl(p, p.layout == PB_LAYOUT_NCHW ? nchw : nhwc, expect[m]);
        }
}

static void global_pool_planes(void **state)
{
    (void)state;
    expect_global_pool_planes(5);
    expect_global_pool_planes(7);
}

/* Outputs of n images of C channels of side x side in layout, global
 * average, from `name` on `threads`. */
static float *global_avg_by(const char *name, pb_layout layout, int64_t n, int64_t C, int side, const float *in,
                            int threads)
{
    pb_params p;
    pb_params_default(&p, n, C, side, side, side, side);
    p.mode = PB_MODE_AVG, p.layout = layout;
    assert_int_equal(pb_params_resolve(&p), PB_OK);
    float *out = malloc((size_t)(n * C) * sizeof(float));
    assert_non_null(out);
    fill_unwritten(out, n * C);
    assert_int_equal(pb_impl_run_alloc(pb_impl_find(name), &p, in, out, threads), 0);
    return out;
}

/* NCHW outputs of C planes of 7x7, global average, from `name` on `threads`. */
static float *global_avg_7x7_by(const char *name, int64_t C, const float *in, int threads)
{
    return global_avg_by(name, PB_LAYOUT_NCHW, 1, C, 7, in, threads);
}

/* C planes of 7x7 whose sums round as they add: thirds, unlike the sweep's
 * eighths, so a different order of the adds shows in the bits. */
static float *thirds(int64_t C)
{
    float *in = aligned_alloc(64, ((size_t)C * 49 * sizeof(float) + 63) / 64 * 64);
    assert_non_null(in);
    pb_rng r = {49};
    for (int64_t i = 0; i < C * 49; ++i)
        in[i] = (float)pb_rng_range(&r, -(1 << 20), 1 << 20) / 3.0f;
    return in;
}

/* The threaded implementations (openmp, team) sum a global average as one
 * thread does, whatever the team: their shares of planes start where the
 * one-thread kernel starts a group of planes (1000 planes on 3 threads cut
 * at 333 and 666 otherwise). */
static void threaded_global_avg_matches_one_thread(void **state)
{
    (void)state;
    enum { PLANES = 1000 };
    const char *const threaded[] = {"openmp", "team"};
    float *in = thirds(PLANES), *one = global_avg_7x7_by("simd", PLANES, in, 1);
    for (size_t i = 0; i < sizeof threaded / sizeof *threaded; ++i)
        for (int threads = 2; threads <= 4; ++threads) {
            float *team = global_avg_7x7_by(threaded[i], PLANES, in, threads);
            assert_memory_equal(team, one, PLANES * sizeof(float));
            free(team);
        }
    free(one), free(in);
}

/* NHWC global averages of 1024 channels and more go from nhwc_entry
 * straight to the taps' walk: bit for bit naive's (taps added in order, then
 * one true division), one and two images, every simd variant this CPU runs
 * and the threaded implementations on 2 to 4 threads. */
static void nhwc_global_avg_matches_naive(void **state)
{
    (void)state;
    const int64_t channels[] = {1024, 1040, 2048};
    const int sides[] = {4, 7};
    const struct {
        const char *name;
        int threads;
    } runs[] = {{"simd", 1},   {"simd-avx512", 1}, {"simd-avx2", 1}, {"simd-scalar", 1}, {"openmp", 2},
                {"openmp", 3}, {"openmp", 4},      {"team", 2},      {"team", 3},        {"team", 4}};
    float *in = thirds(2 * 2048); /* enough for the largest: two images of 2048 channels of 7x7 */
    for (int64_t images = 1; images <= 2; ++images)
        for (size_t i = 0; i < sizeof channels / sizeof *channels; ++i)
            for (size_t j = 0; j < sizeof sides / sizeof *sides; ++j) {
                float *want = global_avg_by("naive", PB_LAYOUT_NHWC, images, channels[i], sides[j], in, 1);
                for (size_t k = 0; k < sizeof runs / sizeof *runs; ++k) {
                    const pb_impl *impl = pb_impl_find(runs[k].name);
                    if (impl == NULL || !pb_impl_available(impl))
                        continue;
                    float *got =
                        global_avg_by(runs[k].name, PB_LAYOUT_NHWC, images, channels[i], sides[j], in, runs[k].threads);
                    assert_memory_equal(got, want, (size_t)(images * channels[i]) * sizeof(float));
                    free(got);
                }
                free(want);
            }
    free(in);
}

/* Where AVX-512 is the best variant, simd's global average of 7x7 planes
 * runs the AVX2 kernel once the input leaves L1d (see pb_simd_best_nchw), and
 * the AVX-512 one within it: bit for bit that variant's outputs, which differ
 * from the other's (16 lanes sum in another order than 8). */
static void global_avg_7x7_takes_avx2_beyond_l1(void **state)
{
    (void)state;
    enum { BEYOND_L1 = 2048, WITHIN_L1 = 64 };
    const long l1d = sysconf(_SC_LEVEL1_DCACHE_SIZE);
    pb_params p;
    pb_params_default(&p, 1, BEYOND_L1, 7, 7, 7, 7);
    const pb_impl *avx512 = pb_impl_find("simd-avx512");
    if (avx512 == NULL || pb_impl_refusal(avx512, &p) != NULL || l1d <= WITHIN_L1 * 49 * (long)sizeof(float) ||
        l1d >= BEYOND_L1 * 49 * (long)sizeof(float))
        skip();
    float *in = thirds(BEYOND_L1);
    const int64_t planes[] = {BEYOND_L1, WITHIN_L1};
    const char *const taken[] = {"simd-avx2", "simd-avx512"}, *const other[] = {"simd-avx512", "simd-avx2"};
    for (int i = 0; i < 2; ++i) {
        const size_t bytes = (size_t)planes[i] * sizeof(float);
        float *simd = global_avg_7x7_by("simd", planes[i], in, 1);
        float *want = global_avg_7x7_by(taken[i], planes[i], in, 1);
        float *not_want = global_avg_7x7_by(other[i], planes[i], in, 1);
        assert_memory_equal(simd, want, bytes);
        assert_memory_not_equal(simd, not_want, bytes);
        free(simd), free(want), free(not_want);
    }
    free(in);
}

/* C planes of H x W, x[r][col] = col + 10 r - plane, and what k x k pooling
 * at stride s gives, OH x OW a plane: a window's max is its bottom-right
 * tap, its min the top-left, its mean exact. */
static void ramp_planes(int C, int H, int W, int k, int s, int OH, int OW, float *nchw, float *max, float *min,
                        float *avg)
{
    const int span = (k - 1) * 11;
    for (int c = 0; c < C; ++c) {
        for (int r = 0; r < H; ++r)
            for (int col = 0; col < W; ++col)
                nchw[(c * H + r) * W + col] = (float)(col + 10 * r - c);
        for (int oy = 0; oy < OH; ++oy)
            for (int ox = 0; ox < OW; ++ox) {
                const int o = (c * OH + oy) * OW + ox;
                min[o] = (float)(s * ox + 10 * s * oy - c);
                max[o] = min[o] + (float)span, avg[o] = min[o] + (float)span / 2;
            }
    }
}

/* An input float of ramp_planes' planes set to value, NaN or +inf, at
 * (row, col) of plane, and the outputs [o, o + n) of that plane it changes
 * (o = oy OW + ox): NaN in every mode, or +inf in max and avg and, where
 * it was the window's smallest tap, min_then in min (NaN: min unchanged). */
typedef struct {
    int plane, row, col;
    float value;
    int o, n;
    float min_then;
} ramp_special;

/* ramp_planes' C planes of H x W with the specials, as NHWC pixels, pooled
 * k x k at stride s through every implementation, max, min and avg. */
static void expect_ramp_pixels(int C, int H, int W, int k, int s, const ramp_special *specials, int count)
{
    pb_params p;
    pb_params_default(&p, 1, C, H, W, k, k);
    p.sh = p.sw = s, p.layout = PB_LAYOUT_NHWC;
    assert_int_equal(pb_params_resolve(&p), PB_OK);
    const int OH = (int)p.oh, OW = (int)p.ow;
    const size_t in = (size_t)C * H * W, out = (size_t)C * OH * OW;
    float *nchw = malloc(in * sizeof(float)), *nhwc = malloc(in * sizeof(float)), *expect = malloc(out * sizeof(float));
    float *max = malloc(out * sizeof(float)), *min = malloc(out * sizeof(float)), *avg = malloc(out * sizeof(float));
    assert_true(nchw && nhwc && expect && max && min && avg);
    ramp_planes(C, H, W, k, s, OH, OW, nchw, max, min, avg);
    for (const ramp_special *sp = specials; sp < specials + count; ++sp) {
        nchw[((size_t)sp->plane * H + sp->row) * W + sp->col] = sp->value;
        for (int i = sp->plane * OH * OW + sp->o; i < sp->plane * OH * OW + sp->o + sp->n; ++i) {
            max[i] = avg[i] = sp->value;
            min[i] = isnan(sp->value) ? sp->value : isnan(sp->min_then) ? min[i] : sp->min_then;
        }
    }
    planes_to_pixels(nchw, C, H * W, nhwc);
    const pb_mode modes[] = {PB_MODE_MAX, PB_MODE_MIN, PB_MODE_AVG};
    const float *planes[] = {max, min, avg};
    for (int m = 0; m < 3; ++m) {
        planes_to_pixels(planes[m], C, OH * OW, expect);
        p.mode = modes[m];
        expect_every_impl(p, nhwc, expect);
    }
    free(nchw);
    free(nhwc);
    free(expect);
    free(max);
    free(min);
    free(avg);
}

/* 4x4/s4 over 1041 planes of 8x8 in NHWC: windows of 16 taps side by side,
 * two a row, over more channels than a 4 KiB run (1024), the last one past
 * the whole vectors (see ramp_planes); plane 5 holds +inf at (7, 0), plane
 * 700 a NaN at (0, 0) and plane 1040 one at (5, 6). */
static void pool_4x4_stride_4_wide_pixels(void **state)
{
    (void)state;
    const ramp_special specials[] = {
        {5, 7, 0, INFINITY, 2, 1, NAN},
        {700, 0, 0, NAN, 0, 1, NAN},
        {1040, 5, 6, NAN, 3, 1, NAN},
    };
    expect_ramp_pixels(1041, 8, 8, 4, 4, specials, 3);
}

/* 2x2/s2 over 4 x 6 NHWC pixels of 600 channels (2400 bytes: with AVX-512 two
 * runs of 16 vectors, then a block of four, a vector, and 8 channels past the
 * whole vectors; see ramp_planes). Plane 403 (the second run's tenth vector,
 * past the eight witness chains) holds a NaN at (1, 1), the last tap of
 * window (0, 0); plane 40 one at (2, 4), the first tap of window (1, 2);
 * plane 530 +inf at (3, 5), the last of window (1, 2). */
static void pool_2x2_stride_2_long_pixels(void **state)
{
    (void)state;
    const ramp_special specials[] = {
        {403, 1, 1, NAN, 0, 1, NAN},
        {40, 2, 4, NAN, 5, 1, NAN},
        {530, 3, 5, INFINITY, 5, 1, NAN},
    };
    expect_ramp_pixels(600, 4, 6, 2, 2, specials, 3);
}

/* 3x3/s2 over 5 x 13 NHWC pixels of 300 channels (1200 bytes: with AVX-512
 * a run of 16 vectors, then two vectors and 12 channels past them; see
 * ramp_planes): two output rows of six windows, fewer than the shared-column
 * walk takes. Plane 150 (in the run's tenth vector, the second of a pair
 * the witness compares) holds a NaN at (2, 2), a tap of the four windows
 * (0..1, 0..1); plane 280 one at (4, 12), the last tap of window (1, 5);
 * plane 100 +inf at (0, 0), the first of window (0, 0). */
static void pool_3x3_stride_2_long_pixels(void **state)
{
    (void)state;
    const ramp_special specials[] = {
        {150, 2, 2, NAN, 0, 2, NAN},
        {150, 2, 2, NAN, 6, 2, NAN},
        {280, 4, 12, NAN, 11, 1, NAN},
        {100, 0, 0, INFINITY, 0, 1, 1 - 100},
    };
    expect_ramp_pixels(300, 5, 13, 3, 2, specials, 4);
}

/* 2x2/s2 over 4 x W planes, W = 36 (18 outputs a row: a whole vector of
 * outputs and a partial one with AVX-512, two and a part with AVX2), 40 and
 * 56 (an odd number of half vectors with AVX-512, as 36 is with AVX2: the
 * second row starts mid-vector and is cut from the pair's whole vectors;
 * 40's last block takes one of them, 56's two) and 266 (133: rows longer
 * than the NCHW kernel keeps in registers). x[r][c] = c +
 * 100 r, so a window's max is its bottom-right tap, its min the top-left,
 * its mean exact; window (0,16) holds +inf, (0,17) a NaN, (1,3) only -inf. */
static void pool_2x2_stride_2_rows(void **state)
{
    (void)state;
    enum { H = 4, W_MAX = 266, OUT_MAX = H / 2 * W_MAX / 2 };
    static float nchw[H * W_MAX], max[OUT_MAX], min[OUT_MAX], avg[OUT_MAX];
    const int widths[] = {36, 40, 56, 266};
    for (int wi = 0; wi < 4; ++wi) {
        const int W = widths[wi], OW = W / 2;
        for (int r = 0; r < H; ++r)
            for (int c = 0; c < W; ++c)
                nchw[r * W + c] = (float)(c + 100 * r);
        for (int oy = 0; oy < H / 2; ++oy)
            for (int ox = 0; ox < OW; ++ox) {
                const int o = oy * OW + ox;
                max[o] = (float)(2 * ox + 1 + 100 * (2 * oy + 1)), min[o] = (float)(2 * ox + 200 * oy);
                avg[o] = (float)(2 * ox + 200 * oy) + 50.5f;
            }
        nchw[32] = INFINITY, max[16] = avg[16] = INFINITY, min[16] = 33;
        nchw[W + 34] = NAN, max[17] = min[17] = avg[17] = NAN;
        for (int r = 2; r < 4; ++r)
            nchw[r * W + 6] = nchw[r * W + 7] = -INFINITY;
        max[OW + 3] = min[OW + 3] = avg[OW + 3] = -INFINITY;
        const pb_mode modes[] = {PB_MODE_MAX, PB_MODE_MIN, PB_MODE_AVG};
        const float *expect[] = {max, min, avg};
        for (int m = 0; m < 3; ++m) {
            pb_params p = params_2d(H, W, 2, modes[m]);
            expect_every_impl(p, nchw, expect[m]);
        }
    }
}

/* C planes of H x W, x[r][c] = c + 100 r + 1000 plane, and the max and min
 * of its k x k windows at stride 2 without padding: the bottom-right tap and
 * the top-left. */
static void fill_plane_ramps(int C, int H, int W, int k, float *x, float *max, float *min)
{
    const int OH = (H - k) / 2 + 1, OW = (W - k) / 2 + 1;
    for (int c = 0; c < C; ++c) {
        for (int r = 0; r < H; ++r)
            for (int col = 0; col < W; ++col)
                x[(c * H + r) * W + col] = (float)(col + 100 * r + 1000 * c);
        for (int oy = 0; oy < OH; ++oy)
            for (int ox = 0; ox < OW; ++ox) {
                const int o = (c * OH + oy) * OW + ox;
                max[o] = (float)(2 * ox + k - 1 + 100 * (2 * oy + k - 1) + 1000 * c);
                min[o] = (float)(2 * ox + 200 * oy + 1000 * c);
            }
    }
}

/* Every implementation's k x k/s2 max and min of C planes of H x W. */
static void expect_stride_2_max_min(int C, int H, int W, int k, const float *x, const float *max, const float *min)
{
    pb_params p;
    pb_params_default(&p, 1, C, H, W, k, k);
    p.sh = p.sw = 2;
    p.mode = PB_MODE_MAX;
    expect_every_impl(p, x, max);
    p.mode = PB_MODE_MIN;
    expect_every_impl(p, x, min);
}

/* 2x2/s2 over C H x W planes, rows shorter than any vector (W <= 16). At
 * W = 11 (5 outputs a row) a row's store may run on into the next rows and
 * the last column is in no window, at H = 9 nor is the last row; at H = 2 oh
 * the planes' rows are one run for the SIMD kernel, and at W = 2 ow as well
 * one stream, cut into rows in registers (6, 10, 14, 16: every row offset in
 * a vector); 130 planes are more than the kernel's 64 NaN flags. x[r][c] =
 * c + 100 r + 1000 plane, so a window's max is its bottom-right tap, its min
 * the top-left; the last plane holds a NaN in row 3 (column 4, or the last),
 * which every plane's flag must reach, plane 2 +inf at the top-right tap of
 * its first row's last window. */
static void expect_2x2_stride_2_short_rows(int C, int H, int W)
{
    enum { X_MAX = 130 * 4 * 2, OUT_MAX = X_MAX / 4 };
    static float x[X_MAX], max[OUT_MAX], min[OUT_MAX];
    const int OH = H / 2, OW = W / 2, nan_col = W > 4 ? 4 : W - 1;
    assert_true(C * H * W <= X_MAX);
    fill_plane_ramps(C, H, W, 2, x, max, min);
    const int nan_out = ((C - 1) * OH + 1) * OW + nan_col / 2;
    x[((C - 1) * H + 3) * W + nan_col] = NAN, max[nan_out] = min[nan_out] = NAN;
    x[2 * H * W + ((W - 2) | 1)] = INFINITY, max[2 * OH * OW + (W - 2) / 2] = INFINITY;
    expect_stride_2_max_min(C, H, W, 2, x, max, min);
}

static void pool_2x2_stride_2_short_rows(void **state)
{
    (void)state;
    expect_2x2_stride_2_short_rows(3, 9, 11);
    expect_2x2_stride_2_short_rows(3, 8, 11);
    const int widths[] = {6, 10, 14, 16};
    for (int i = 0; i < 4; ++i)
        expect_2x2_stride_2_short_rows(3, 14, widths[i]);
    /* 4x2: a 2x2 plane would be a global pool. */
    expect_2x2_stride_2_short_rows(130, 4, 2);
}

/* 3x3/s2 over C planes of S x S, S = 5, 9 and 13 (2, 4 and 6 outputs a row;
 * AlexNet's 13x13): every output row pairs up inside the input, so the NCHW
 * SIMD kernel walks the pairs of all the planes in one loop; 70 planes take
 * two calls of up to 64. x[r][c] = c + 100 r + 1000 plane, so a window's max
 * is its bottom-right tap, its min the top-left; plane 66's first row, which
 * only its first pair's carried row holds, has a NaN in column 4 (windows
 * ox = 1 and 2), plane 3 +inf in its last tap. */
static void expect_3x3_stride_2_paired_rows(int C, int S)
{
    enum { X_MAX = 70 * 13 * 13, OUT_MAX = 70 * 6 * 6 };
    static float x[X_MAX], max[OUT_MAX], min[OUT_MAX];
    const int O = (S - 3) / 2 + 1;
    assert_true(C * S * S <= X_MAX && C > 66);
    fill_plane_ramps(C, S, S, 3, x, max, min);
    x[66 * S * S + 4] = NAN;
    for (int ox = 1; ox <= 2 && ox < O; ++ox)
        max[66 * O * O + ox] = min[66 * O * O + ox] = NAN;
    x[4 * S * S - 1] = INFINITY, max[4 * O * O - 1] = INFINITY;
    expect_stride_2_max_min(C, S, S, 3, x, max, min);
}

static void pool_3x3_stride_2_paired_rows(void **state)
{
    (void)state;
    expect_3x3_stride_2_paired_rows(70, 5);
    expect_3x3_stride_2_paired_rows(70, 9);
    expect_3x3_stride_2_paired_rows(70, 13);
    expect_3x3_stride_2_paired_rows(67, 13);
}

/* Max and min, 3x3 at stride 2 and 3x3, 5x5 and 7x7 at stride 1, over 7 x W
 * planes with padding 0 and 1, ceil_mode off and on, W = 13, 14 and 27 (rows
 * of at most a vector of outputs at 3x3/s2, one with a column no window
 * reaches), 33 (16 or 17 outputs) and 70 (a partial last vector), in both
 * layouts, 17 planes (a whole vector of them for NCHW's channel-blocked tiles
 * and more): x[r][c] = c + 100 r, so a window's max is its bottom-right tap
 * inside the input and its min the top-left; plane 0 holds +inf at row 6 and
 * -inf at row 0, in columns no 3x3/s2 window without padding has as a corner
 * (7 and 9, or 20 and 31 from W = 33 on), plane 1 a NaN at (2, 2) and plane 2
 * one at (1, W - 1), the last column. */
static void pool_kxk_rows(void **state)
{
    (void)state;
    enum { C = 17, H = 7, W_MAX = 70 };
    static float x[C * H * W_MAX], expect[C * H * W_MAX];
    const int64_t widths[] = {13, 14, 27, 33, 70};
    for (int wi = 0; wi < 5; ++wi)
        for (int pad = 0; pad < 2; ++pad)
            for (int ceil = 0; ceil < 2; ++ceil)
                for (int m = 0; m < 8; ++m) {
                    /* 3x3/s2, then 3x3, 5x5 and 7x7 at stride 1 */
                    const int64_t k = m < 4 ? 3 : m < 6 ? 5 : 7, stride = m < 2 ? 2 : 1;
                    const int64_t W = widths[wi];
                    pb_params p;
                    pb_params_default(&p, 1, C, H, W, k, k);
                    p.sh = p.sw = stride, p.ph = p.pw = pad, p.ceil_mode = ceil;
                    p.mode = m % 2 == 0 ? PB_MODE_MAX : PB_MODE_MIN;
                    assert_int_equal(pb_params_resolve(&p), PB_OK);
                    for (int c = 0; c < C; ++c)
                        for (int64_t r = 0; r < H; ++r)
                            for (int64_t col = 0; col < W; ++col)
                                x[(c * H + r) * W + col] = (float)(col + 100 * r);
                    const int64_t inf_x = W < 33 ? 7 : 20, neg_x = W < 33 ? 9 : 31;
                    x[6 * W + inf_x] = INFINITY, x[neg_x] = -INFINITY, x[(H + 2) * W + 2] = NAN;
                    x[(2 * H + 1) * W + W - 1] = NAN;
                    for (int c = 0; c < C; ++c)
                        for (int64_t oy = 0; oy < p.oh; ++oy)
                            for (int64_t ox = 0; ox < p.ow; ++ox) {
                                const int64_t y0 = stride * oy - pad, x0 = stride * ox - pad;
                                const int64_t y1 = y0 + k - 1 < H ? y0 + k - 1 : H - 1, x1 = x0 + k - 1 < W ? x0 + k - 1 : W - 1;
                                const bool holds_inf = c == 0 && y0 <= 6 && 6 <= y1 && x0 <= inf_x && inf_x <= x1;
                                const bool holds_neg = c == 0 && y0 <= 0 && x0 <= neg_x && neg_x <= x1;
                                const bool holds_nan = (c == 1 && y0 <= 2 && 2 <= y1 && x0 <= 2 && 2 <= x1) ||
                                                       (c == 2 && y0 <= 1 && 1 <= y1 && x1 == W - 1);
                                float *e = &expect[(c * p.oh + oy) * p.ow + ox];
                                if (m % 2 == 0)
                                    *e = holds_inf ? INFINITY : (float)(x1 + 100 * y1);
                                else
                                    *e = holds_neg ? -INFINITY : (float)((x0 > 0 ? x0 : 0) + 100 * (y0 > 0 ? y0 : 0));
                                if (holds_nan)
                                    *e = NAN;
                            }
                    expect_every_impl(p, x, expect);
                    static float x_nhwc[C * H * W_MAX], expect_nhwc[C * H * W_MAX];
                    planes_to_pixels(x, C, H * W, x_nhwc);
                    planes_to_pixels(expect, C, p.oh * p.ow, expect_nhwc);
                    p.layout = PB_LAYOUT_NHWC;
                    expect_every_impl(p, x_nhwc, expect_nhwc);
                }
}

/* Max and min 3x3/s2 over 66 planes of 40 x 150 (75 outputs a row: more
 * blocks than one walk of the NCHW kernel takes, in bands of rows, and more
 * planes than one call of it; in NHWC, output rows in pairs and channels
 * past the whole vectors), padding 0 and 1, ceil_mode off and on, both
 * layouts: x[r][c] = c + 1000 r + 100000 plane, so a window's max is its
 * bottom-right tap inside the input and its min the top-left. NaNs: plane
 * 65 at (39, 149), the last row's last column, and four in rows that, in
 * NHWC's pairs of output rows, are each in a different pair and in a
 * different place in it (rows 11, 17, 26 and 31: second output's middle
 * row, first's middle, first's middle, second's middle without padding;
 * shared, top, first's middle, shared with padding 1), so a NaN in one row
 * cannot send a pair to the NaN rule for another's sake. */
static void pool_3x3_stride_2_walks(void **state)
{
    (void)state;
    enum { C = 66, H = 40, W = 150, NANS = 5 };
    static const int64_t nans[NANS][3] = {{65, H - 1, W - 1}, {7, 11, 100}, {3, 17, 80}, {5, 26, 40}, {6, 31, 41}};
    static float x[C * H * W], expect[C * H * W], x_nhwc[C * H * W], expect_nhwc[C * H * W];
    for (int c = 0; c < C; ++c)
        for (int r = 0; r < H; ++r)
            for (int col = 0; col < W; ++col)
                x[(c * H + r) * W + col] = (float)(col + 1000 * r + 100000 * c);
    for (int i = 0; i < NANS; ++i)
        x[(nans[i][0] * H + nans[i][1]) * W + nans[i][2]] = NAN;
    planes_to_pixels(x, C, H * W, x_nhwc);
    for (int pad = 0; pad < 2; ++pad)
        for (int ceil = 0; ceil < 2; ++ceil)
            for (int m = 0; m < 2; ++m) {
                pb_params p;
                pb_params_default(&p, 1, C, H, W, 3, 3);
                p.sh = p.sw = 2, p.ph = p.pw = pad, p.ceil_mode = ceil;
                p.mode = m == 0 ? PB_MODE_MAX : PB_MODE_MIN;
                assert_int_equal(pb_params_resolve(&p), PB_OK);
                for (int64_t c = 0; c < C; ++c)
                    for (int64_t oy = 0; oy < p.oh; ++oy)
                        for (int64_t ox = 0; ox < p.ow; ++ox) {
                            const int64_t y0 = 2 * oy - pad, x0 = 2 * ox - pad;
                            const int64_t y1 = y0 + 2 < H ? y0 + 2 : H - 1, x1 = x0 + 2 < W ? x0 + 2 : W - 1;
                            bool holds_nan = false;
                            for (int i = 0; i < NANS; ++i)
                                holds_nan |= c == nans[i][0] && y0 <= nans[i][1] && nans[i][1] <= y1 &&
                                             x0 <= nans[i][2] && nans[i][2] <= x1;
                            const int64_t r = m == 0 ? y1 : y0 > 0 ? y0 : 0, col = m == 0 ? x1 : x0 > 0 ? x0 : 0;
                            expect[(c * p.oh + oy) * p.ow + ox] =
                                holds_nan ? NAN : (float)(col + 1000 * r + 100000 * c);
                        }
                expect_every_impl(p, x, expect);
                planes_to_pixels(expect, C, p.oh * p.ow, expect_nhwc);
                p.layout = PB_LAYOUT_NHWC;
                expect_every_impl(p, x_nhwc, expect_nhwc);
            }
}

/* NHWC pixels of many channels: C = 1045 is more than the 3x3/s2 walk's
 * 1024-channel scratch holds (a chunk of 1024, one of a vector, then the
 * channels past the whole vectors), and, at stride 1 with padding 1, more
 * than one pass of vectors (max and avg). 5 x 17 pixels, x = col + 10 r +
 * 100 c, so a max window's answer is its bottom-right tap inside the input
 * and a min window's its top-left; channel 1030, in the second chunk, holds
 * a NaN at (2, 9). */
static void nhwc_many_channels(void **state)
{
    (void)state;
    enum { C = 1045, H = 5, W = 17, NAN_C = 1030, NAN_R = 2, NAN_X = 9 };
    static float x[H * W * C], expect[H * W * C];
    for (int64_t r = 0; r < H; ++r)
        for (int64_t col = 0; col < W; ++col)
            for (int64_t c = 0; c < C; ++c)
                x[(r * W + col) * C + c] = (float)(col + 10 * r + 100 * c);
    x[(NAN_R * W + NAN_X) * C + NAN_C] = NAN;
    for (int64_t s = 1; s <= 2; ++s)
        for (int m = 0; m < 2; ++m) {
            pb_params p;
            pb_params_default(&p, 1, C, H, W, 3, 3);
            const int64_t pad = s == 1;
            p.sh = p.sw = s, p.ph = p.pw = pad, p.layout = PB_LAYOUT_NHWC, p.count_include_pad = false;
            p.mode = m == 0 ? PB_MODE_MAX : s == 2 ? PB_MODE_MIN : PB_MODE_AVG;
            assert_int_equal(pb_params_resolve(&p), PB_OK);
            for (int64_t oy = 0; oy < p.oh; ++oy)
                for (int64_t ox = 0; ox < p.ow; ++ox) {
                    const int64_t y0 = s * oy - pad, x0 = s * ox - pad;
                    const int64_t ya = y0 > 0 ? y0 : 0, xa = x0 > 0 ? x0 : 0;
                    const int64_t y1 = y0 + 2 < H ? y0 + 2 : H - 1, x1 = x0 + 2 < W ? x0 + 2 : W - 1;
                    for (int64_t c = 0; c < C; ++c) {
                        double sum = 0;
                        for (int64_t y = ya; y <= y1; ++y)
                            for (int64_t col = xa; col <= x1; ++col)
                                sum += (double)(col + 10 * y + 100 * c);
                        const bool holds_nan =
                            c == NAN_C && ya <= NAN_R && NAN_R <= y1 && xa <= NAN_X && NAN_X <= x1;
                        float *e = &expect[(oy * p.ow + ox) * C + c];
                        *e = p.mode == PB_MODE_MAX   ? (float)(x1 + 10 * y1 + 100 * c)
                             : p.mode == PB_MODE_MIN ? (float)(xa + 10 * ya + 100 * c)
                                                     : (float)(sum / (double)((y1 - ya + 1) * (x1 - xa + 1)));
                        if (holds_nan)
                            *e = NAN;
                    }
                }
            expect_every_impl(p, x, expect);
        }
}

/* Avg 3x3 at stride 1 over three 7 x W planes, padding 0 and 1,
 * count_include_pad on and off, W = 13, 14, 16, 17 (rows of less than, one
 * and a bit more than a vector), 33, 56 (ResNet's) and 70: x[r][c] = c + 100 r
 * + 1000 plane, the expected mean summed in double; plane 1 holds a NaN at
 * (2, 2) and plane 2 +inf at (6, W - 1), the last row's last column. */
static void pool_3x3_stride_1_avg(void **state)
{
    (void)state;
    enum { C = 3, H = 7, W_MAX = 70 };
    static float x[C * H * W_MAX], expect[C * H * W_MAX];
    const int64_t widths[] = {13, 14, 16, 17, 33, 56, 70};
    for (int wi = 0; wi < 7; ++wi)
        for (int pad = 0; pad < 2; ++pad)
            for (int include = 0; include < 2; ++include) {
                const int64_t W = widths[wi];
                pb_params p;
                pb_params_default(&p, 1, C, H, W, 3, 3);
                p.sh = p.sw = 1, p.ph = p.pw = pad, p.count_include_pad = include, p.mode = PB_MODE_AVG;
                assert_int_equal(pb_params_resolve(&p), PB_OK);
                for (int c = 0; c < C; ++c)
                    for (int64_t r = 0; r < H; ++r)
                        for (int64_t col = 0; col < W; ++col)
                            x[(c * H + r) * W + col] = (float)(col + 100 * r + 1000 * c);
                x[(H + 2) * W + 2] = NAN, x[(2 * H + 6) * W + W - 1] = INFINITY;
                for (int c = 0; c < C; ++c)
                    for (int64_t oy = 0; oy < p.oh; ++oy)
                        for (int64_t ox = 0; ox < p.ow; ++ox) {
                            double sum = 0;
                            int taps = 0;
                            for (int64_t y = oy - pad; y < oy - pad + 3; ++y)
                                for (int64_t col = ox - pad; col < ox - pad + 3; ++col)
                                    if (y >= 0 && y < H && col >= 0 && col < W)
                                        sum += x[(c * H + y) * W + col], ++taps;
                            expect[(c * p.oh + oy) * p.ow + ox] = (float)(sum / (include ? 9 : taps));
                        }
                expect_every_impl(p, x, expect);
            }
}

/* Max, min and avg (count_include_pad on and off) k x k at stride 1, k = 3,
 * 5 and 7, every padding up to k / 2, over three 10 x W planes, W from 1 to
 * 137: rows of one output, of less than, exactly and a bit more than one
 * and four vectors (NCHW's walks take four, the last store partial), and of
 * several walks, some middle ones' loads reaching past the row. x[r][c] = c +
 * 100 r + 1000 plane, the expected max the bottom-right tap inside the
 * input, min the top-left, the mean summed in double; plane 1 holds a NaN at
 * (4, W / 2). */
static void pool_kxk_stride_1_widths(void **state)
{
    (void)state;
    enum { C = 3, H = 10, W_MAX = 137 };
    static float x[C * H * W_MAX], expect[C * H * W_MAX], x_nhwc[C * H * W_MAX], expect_nhwc[C * H * W_MAX];
    const int64_t widths[] = {1, 2, 5, 7, 15, 16, 17, 47, 63, 64, 65, 79, 130, 137};
    for (int64_t k = 3; k <= 7; k += 2)
        for (size_t wi = 0; wi < sizeof widths / sizeof widths[0]; ++wi)
            for (int64_t pad = 0; pad <= k / 2; ++pad)
                for (int m = 0; m < 4; ++m) {
                    const int64_t W = widths[wi], nan_x = W / 2;
                    if (W + 2 * pad < k)
                        continue;
                    pb_params p;
                    pb_params_default(&p, 1, C, H, W, k, k);
                    p.sh = p.sw = 1, p.ph = p.pw = pad, p.count_include_pad = m == 3;
                    p.mode = m == 0 ? PB_MODE_MAX : m == 1 ? PB_MODE_MIN : PB_MODE_AVG;
                    assert_int_equal(pb_params_resolve(&p), PB_OK);
                    for (int c = 0; c < C; ++c)
                        for (int64_t r = 0; r < H; ++r)
                            for (int64_t col = 0; col < W; ++col)
                                x[(c * H + r) * W + col] = (float)(col + 100 * r + 1000 * c);
                    x[(H + 4) * W + nan_x] = NAN;
                    for (int c = 0; c < C; ++c)
                        for (int64_t oy = 0; oy < p.oh; ++oy)
                            for (int64_t ox = 0; ox < p.ow; ++ox) {
                                const int64_t y0 = oy - pad, x0 = ox - pad;
                                const int64_t y1 = y0 + k - 1 < H ? y0 + k - 1 : H - 1;
                                const int64_t x1 = x0 + k - 1 < W ? x0 + k - 1 : W - 1;
                                const int64_t ya = y0 > 0 ? y0 : 0, xa = x0 > 0 ? x0 : 0;
                                double sum = 0;
                                for (int64_t y = ya; y <= y1; ++y)
                                    for (int64_t col = xa; col <= x1; ++col)
                                        sum += x[(c * H + y) * W + col];
                                const double taps = m == 3 ? (double)(k * k) : (double)((y1 - ya + 1) * (x1 - xa + 1));
                                float *e = &expect[(c * p.oh + oy) * p.ow + ox];
                                *e = m == 0   ? (float)(x1 + 100 * y1 + 1000 * c)
                                     : m == 1 ? (float)(xa + 100 * ya + 1000 * c)
                                              : (float)(sum / taps);
                                if (c == 1 && ya <= 4 && 4 <= y1 && xa <= nan_x && nan_x <= x1)
                                    *e = NAN;
                            }
                    expect_every_impl(p, x, expect);
                    planes_to_pixels(x, C, H * W, x_nhwc);
                    planes_to_pixels(expect, C, p.oh * p.ow, expect_nhwc);
                    p.layout = PB_LAYOUT_NHWC;
                    expect_every_impl(p, x_nhwc, expect_nhwc);
                }
}

/* softmax pooling of one window {0, ln 3}: weights 1/4, 3/4 -> 0.75 ln 3. */
static void softmax_definition(void **state)
{
    (void)state;
    const float x[] = {0, (float)log(3.0)};
    pb_params p;
    pb_params_default(&p, 1, 1, 1, 2, 1, 2);
    p.mode = PB_MODE_SOFTMAX;
    expect_every_impl(p, x, (const float[]){(float)(0.75 * log(3.0))});
    const float all_neg_inf[] = {-INFINITY, -INFINITY};
    expect_every_impl(p, all_neg_inf, (const float[]){-INFINITY});
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(seed_3x3_max_and_avg),
        cmocka_unit_test(seed_arange16),
        cmocka_unit_test(seed_two_channels),
        cmocka_unit_test(ceil_mode_adds_clipped_window),
        cmocka_unit_test(ceil_mode_last_window_starts_inside),
        cmocka_unit_test(count_include_pad_both_ways),
        cmocka_unit_test(ceil_window_past_padding_divisor),
        cmocka_unit_test(dilation_skips_elements),
        cmocka_unit_test(nan_and_negative_inputs),
        cmocka_unit_test(global_pool_planes),
        cmocka_unit_test(global_avg_7x7_takes_avx2_beyond_l1),
        cmocka_unit_test(threaded_global_avg_matches_one_thread),
        cmocka_unit_test(nhwc_global_avg_matches_naive),
        cmocka_unit_test(pool_4x4_stride_4_wide_pixels),
        cmocka_unit_test(pool_2x2_stride_2_long_pixels),
        cmocka_unit_test(pool_3x3_stride_2_long_pixels),
        cmocka_unit_test(pool_2x2_stride_2_rows),
        cmocka_unit_test(pool_2x2_stride_2_short_rows),
        cmocka_unit_test(pool_3x3_stride_2_paired_rows),
        cmocka_unit_test(pool_kxk_rows),
        cmocka_unit_test(pool_3x3_stride_2_walks),
        cmocka_unit_test(nhwc_many_channels),
        cmocka_unit_test(pool_3x3_stride_1_avg),
        cmocka_unit_test(pool_kxk_stride_1_widths),
        cmocka_unit_test(softmax_definition),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
