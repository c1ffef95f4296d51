/* What the implementations whose infinity/NaN rule differs from PyTorch's do,
 * exactly as their registry rows state it. */
#include "pool_expect.h"
#include "../kernels/conv/conv.h"

static void run_one(const char *name, pb_params p, const float *in, float *out)
{
    const pb_impl *impl = pb_impl_find(name);
    if (impl == NULL)
        skip();
    assert_int_equal(pb_params_resolve(&p), PB_OK);
    assert_null(pb_impl_refusal(impl, &p));
    assert_non_null(impl->specials_note);
    fill_unwritten(out, pb_output_elems(&p));
    assert_int_equal(pb_impl_run_alloc(impl, &p, in, out, 1), 0);
}

/* 1x4 row, windows of 2 at stride 2. */
static pb_params row_pairs(void)
{
    pb_params p;
    pb_params_default(&p, 1, 1, 1, 4, 1, 2);
    return p;
}

/* The convolutions are dense: each output channel is a weighted sum of every
 * input channel, zero weights included, and 0 * inf = NaN. So any infinity in
 * a window gives NaN, a NaN propagates, and finite windows are exact. */
static void conv_relu_max_infinities(void **state)
{
    (void)state;
    float out[2];
    run_one("conv-relu-max", row_pairs(), (const float[]){-INFINITY, 3, INFINITY, INFINITY}, out);
    assert_true(isnan(out[0]) && isnan(out[1]));
    run_one("conv-relu-max", row_pairs(), (const float[]){NAN, 3, 2, INFINITY}, out);
    assert_true(isnan(out[0]) && isnan(out[1]));
    run_one("conv-relu-max", row_pairs(), (const float[]){-1.5f, 1e-7f, 3e8f, -2e8f}, out);
    assert_true(out[0] == 1e-7f && out[1] == 3e8f);
}

/* oneDNN 2.6: a NaN beside a number is dropped, an all -inf window is -FLT_MAX. */
static void onednn_nan_and_neg_inf(void **state)
{
    (void)state;
    float out[2];
    run_one("onednn", row_pairs(), (const float[]){NAN, 3, -INFINITY, -INFINITY}, out);
    assert_true(out[0] == 3);
    assert_true(out[1] == -3.40282347e+38f);
}

/* Exercise 3 by hand: 4 taps -> levels 4->2->1; 9 taps -> 9->5->3->2->1.
 * Each level: conv (a, b - a), ReLU, conv (a + ReLU). The first layer holds
 * a and b - a for every pair, plus the odd tap: as many channels as taps. */
static void relu_network_sizes(void **state)
{
    (void)state;
    pb_relu_network two = pb_conv_relu_max_network(2, 2), three = pb_conv_relu_max_network(3, 3);
    assert_int_equal(two.levels, 2);
    assert_int_equal(two.conv_layers, 4);
    assert_int_equal(two.fused_conv_layers, 3);
    assert_int_equal(two.relu_layers, 2);
    assert_int_equal(two.max_channels, 4);
    assert_int_equal(three.levels, 4);
    assert_int_equal(three.conv_layers, 8);
    assert_int_equal(three.fused_conv_layers, 5);
    assert_int_equal(three.relu_layers, 4);
    assert_int_equal(three.max_channels, 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(conv_relu_max_infinities),
                                       cmocka_unit_test(onednn_nan_and_neg_inf),
                                       cmocka_unit_test(relu_network_sizes)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
