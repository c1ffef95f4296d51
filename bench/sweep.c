#include "sweep.h"

#include <math.h>
#include <stdlib.h>

uint64_t pb_rng_next(pb_rng *r)
{
    /* splitmix64: good enough and seedable with any value. */
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

int64_t pb_rng_range(pb_rng *r, int64_t lo, int64_t hi) { return lo + (int64_t)(pb_rng_next(r) % (uint64_t)(hi - lo + 1)); }

void pb_sweep_case(uint64_t seed, int i, pb_params *p)
{
    pb_rng r = {seed * 1000003u + (uint64_t)i};
    for (;;) {
        int64_t kh = pb_rng_range(&r, 1, 7), kw = pb_rng_range(&r, 1, 7);
        /* One case in four gets rows long enough for several vectors of 16 at stride 2+. */
        int64_t w_max = pb_rng_range(&r, 0, 3) == 0 ? 150 : 37;
        /* One case in eight gets whole cache lines of channels, 32 to 96: the
         * NHWC splits of the threaded families cut pixels into such slices. */
        const int64_t c = pb_rng_range(&r, 0, 7) == 0 ? 16 * pb_rng_range(&r, 2, 6) : pb_rng_range(&r, 1, 19);
        pb_params_default(p, pb_rng_range(&r, 1, 2), c, pb_rng_range(&r, 1, 23), pb_rng_range(&r, 1, w_max), kh, kw);
        p->mode = (pb_mode)pb_rng_range(&r, 0, PB_MODE_COUNT - 1);
        p->layout = (pb_layout)pb_rng_range(&r, 0, PB_LAYOUT_COUNT - 1);
        p->sh = pb_rng_range(&r, 1, 4), p->sw = pb_rng_range(&r, 1, 4);
        /* One case in eight takes a network window, 2x2 or 3x3 at stride 2,
         * one in eight a 3x3, 5x5 or 7x7 at stride 1 (simd has kernels of its
         * own for both), and one in eight the whole image (a global pool, whose
         * NHWC channels the threaded families slice). */
        const int64_t network = pb_rng_range(&r, 0, 7);
        if (network == 0)
            p->kh = p->kw = kh = kw = pb_rng_range(&r, 2, 3), p->sh = p->sw = 2;
        else if (network == 1)
            p->kh = p->kw = kh = kw = 2 * pb_rng_range(&r, 1, 3) + 1, p->sh = p->sw = 1;
        else if (network == 2)
            p->kh = kh = p->h, p->kw = kw = p->w, p->sh = p->sw = 1;
        if (network != 2)
            p->ph = pb_rng_range(&r, 0, kh / 2), p->pw = pb_rng_range(&r, 0, kw / 2);
        if (network != 2 && pb_rng_range(&r, 0, 3) == 0)
            p->dh = pb_rng_range(&r, 1, 3), p->dw = pb_rng_range(&r, 1, 3);
        p->ceil_mode = pb_rng_range(&r, 0, 1);
        p->count_include_pad = pb_rng_range(&r, 0, 1);
        if (pb_params_resolve(p) == PB_OK)
            return;
    }
}

static void fill(pb_rng *r, float *in, int64_t count, const float *specials, int n_specials)
{
    for (int64_t i = 0; i < count; ++i)
        in[i] = (float)pb_rng_range(r, -64, 64) / 8.0f;
    if (n_specials == 0)
        return;
    int64_t k = pb_rng_range(r, 1, 4);
    for (int64_t j = 0; j < k; ++j)
        in[pb_rng_range(r, 0, count - 1)] = specials[pb_rng_range(r, 0, n_specials - 1)];
}

void pb_fill_input(pb_rng *r, float *in, int64_t count, bool specials)
{
    static const float all[] = {NAN, -INFINITY, INFINITY, -INFINITY};
    fill(r, in, count, all, specials ? 4 : 0);
}

/* What got_out holds before the run: no pooling of pb_fill_input's values
 * (|x| <= 8, infinities, NaN) comes to it, so an output the implementation
 * never writes differs from naive's even where naive's is NaN, and even when
 * the buffer still holds the last implementation's right answer. */
#define PB_CHECK_UNWRITTEN 1e30f

int64_t pb_check_one(const pb_impl *impl, const pb_params *p, const float *in, int threads, float *expect_out,
                     float *got_out)
{
    const pb_impl *naive = pb_impl_find("naive");
    const int64_t count = pb_output_elems(p);
    for (int64_t i = 0; i < count; ++i)
        got_out[i] = PB_CHECK_UNWRITTEN;
    if (pb_impl_run_alloc(naive, p, in, expect_out, 1) != 0 || pb_impl_run_alloc(impl, p, in, got_out, threads) != 0)
        return -2;
    return pb_outputs_mismatch(p, in, expect_out, got_out);
}
