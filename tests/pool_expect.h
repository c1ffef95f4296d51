/* Runs a hand-computed case through every implementation in the registry
 * that takes it, so a new kernel is held to the seed's examples too. */
#ifndef POOLBENCH_TEST_POOL_EXPECT_H
#define POOLBENCH_TEST_POOL_EXPECT_H
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

#include "poolbench/registry.h"

/* What an output holds before a test's run: a number no case here pools
 * to, so an output the implementation never writes differs from the one
 * expected, NaN included, even in a buffer that held the last answer. */
static inline void fill_unwritten(float *out, int64_t count)
{
    for (int64_t i = 0; i < count; ++i)
        out[i] = 12345.0f;
}

/* Exact for max/min (NaN for NaN); avg and softmax within 1e-6 relative of the
 * hand value, since the hand value is the exact real-number answer. */
static inline void expect_every_impl(pb_params p, const float *in, const float *expect)
{
    assert_int_equal(pb_params_resolve(&p), PB_OK);
    const int64_t count = pb_output_elems(&p);
    float *out = malloc((size_t)count * sizeof(float));
    assert_non_null(out);
    bool finite = true;
    for (int64_t j = 0; j < pb_input_elems(&p); ++j)
        finite &= isfinite(in[j]) != 0;
    int ran = 0;
    for (size_t i = 0; i < pb_impl_count(); ++i) {
        const pb_impl *impl = pb_impl_at(i);
        /* Rows whose infinity/NaN rule is not PyTorch's are held to it in test_specials. */
        if (pb_impl_refusal(impl, &p) != NULL || (!finite && impl->specials_note != NULL))
            continue;
        fill_unwritten(out, count);
        assert_int_equal(pb_impl_run_alloc(impl, &p, in, out, 2), 0);
        for (int64_t j = 0; j < count; ++j) {
            bool exact = p.mode == PB_MODE_MAX || p.mode == PB_MODE_MIN;
            bool same = out[j] == expect[j] || (isnan(out[j]) && isnan(expect[j])) ||
                        (!exact && fabsf(out[j] - expect[j]) <= 1e-6f * fmaxf(1.0f, fabsf(expect[j])));
            if (!same)
                fail_msg("%s: output %lld is %g, expected %g", impl->name, (long long)j, out[j], expect[j]);
        }
        ++ran;
    }
    assert_true(ran >= 1);
    free(out);
}
#endif
