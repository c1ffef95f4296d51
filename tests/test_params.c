/* pb_params_resolve: every error code, and output shapes by PyTorch's formula
 * for hand-checked cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "poolbench/pool.h"

static pb_params base(void)
{
    pb_params p;
    pb_params_default(&p, 1, 3, 8, 8, 3, 3);
    return p;
}

static pb_status resolve(pb_params p) { return pb_params_resolve(&p); }

static void each_error_code(void **state)
{
    (void)state;
    pb_params p = base();
    assert_int_equal(resolve(p), PB_OK);
    p = base(), p.c = 0;
    assert_int_equal(resolve(p), PB_ERR_SHAPE_NONPOSITIVE);
    p = base(), p.w = -1;
    assert_int_equal(resolve(p), PB_ERR_SHAPE_NONPOSITIVE);
    p = base(), p.kh = 0;
    assert_int_equal(resolve(p), PB_ERR_KERNEL_NONPOSITIVE);
    p = base(), p.kw = -3;
    assert_int_equal(resolve(p), PB_ERR_KERNEL_NONPOSITIVE);
    p = base(), p.sw = 0;
    assert_int_equal(resolve(p), PB_ERR_STRIDE_NONPOSITIVE);
    p = base(), p.dh = 0;
    assert_int_equal(resolve(p), PB_ERR_DILATION_NONPOSITIVE);
    p = base(), p.ph = -1;
    assert_int_equal(resolve(p), PB_ERR_PADDING_NEGATIVE);
    p = base(), p.pw = 2; /* 3 / 2 = 1 */
    assert_int_equal(resolve(p), PB_ERR_PADDING_OVER_HALF);
    p = base(), p.h = 2; /* 3x3 window on 2 rows, no padding */
    assert_int_equal(resolve(p), PB_ERR_OUTPUT_EMPTY);
    p = base(), p.n = (int64_t)1 << 30, p.c = (int64_t)1 << 30, p.h = (int64_t)1 << 30;
    assert_int_equal(resolve(p), PB_ERR_SIZE_OVERFLOW);
    p = base(), p.kh = INT64_MAX;
    assert_int_equal(resolve(p), PB_ERR_SIZE_OVERFLOW);
    p = base(), p.mode = PB_MODE_COUNT;
    assert_int_equal(resolve(p), PB_ERR_MODE);
    p = base(), p.layout = PB_LAYOUT_COUNT;
    assert_int_equal(resolve(p), PB_ERR_LAYOUT);
    for (int s = 0; s < PB_ERR_COUNT; ++s)
        assert_true(pb_status_message((pb_status)s)[0] != '\0');
}

/* {H, k, s, pad, dil, ceil, expected}: values from PyTorch 1.13's max_pool2d. */
static void output_shapes(void **state)
{
    (void)state;
    static const int64_t table[][7] = {
        {112, 3, 2, 1, 1, 0, 56}, {224, 2, 2, 0, 1, 0, 112}, {55, 3, 2, 0, 1, 1, 27}, {54, 3, 2, 0, 1, 1, 27},
        {56, 3, 1, 1, 1, 0, 56},  {7, 7, 1, 0, 1, 0, 1},     {4, 3, 2, 1, 1, 0, 2},   {5, 2, 2, 0, 1, 1, 3},
        {4, 2, 2, 1, 1, 1, 3},    {10, 3, 1, 0, 2, 0, 6},   {6, 4, 3, 0, 1, 1, 2},   {1, 2, 1, 1, 2, 0, 1},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; ++i) {
        pb_params p;
        pb_params_default(&p, 1, 1, table[i][0], 3, table[i][1], 1);
        p.sh = table[i][2], p.ph = table[i][3], p.dh = table[i][4], p.ceil_mode = table[i][5];
        assert_int_equal(pb_params_resolve(&p), PB_OK);
        if (p.oh != table[i][6])
            fail_msg("case %zu: oh %lld, PyTorch says %lld", i, (long long)p.oh, (long long)table[i][6]);
    }
}

static void model_ops_is_seed_cost(void **state)
{
    (void)state;
    pb_params p;
    pb_params_default(&p, 2, 64, 112, 112, 3, 3);
    p.sh = p.sw = 2, p.ph = p.pw = 1;
    assert_int_equal(pb_params_resolve(&p), PB_OK);
    assert_true(pb_model_ops(&p) == 2.0 * 64 * 56 * 56 * 9);
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int m = 0; m < PB_MODE_COUNT; ++m)
        assert_int_equal(pb_mode_from_name(pb_mode_name((pb_mode)m)), m);
    for (int l = 0; l < PB_LAYOUT_COUNT; ++l)
        assert_int_equal(pb_layout_from_name(pb_layout_name((pb_layout)l)), l);
    assert_int_equal(pb_mode_from_name("mean"), PB_MODE_COUNT);
    assert_int_equal(pb_layout_from_name("nc"), PB_LAYOUT_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(each_error_code),
        cmocka_unit_test(output_shapes),
        cmocka_unit_test(model_ops_is_seed_cost),
        cmocka_unit_test(names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
