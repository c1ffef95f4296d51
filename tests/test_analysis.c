/* The statistics behind report and compare, against values worked out by hand:
 * the Mann-Whitney U test (scipy.stats.mannwhitneyu's two-sided "auto"
 * method, as Google Benchmark's compare.py calls it), Wilcoxon's signed-rank
 * test (scipy.stats.wilcoxon's defaults) and the relative,
 * non-negative least-squares fits; and the word lists the plots keep their
 * series and cases in. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fit.h"
#include "plot.h"
#include "stats.h"

/* Fully separated samples of 5: U = 0, and only 2 of the C(10,5) = 252
 * arrangements are as extreme in either direction: p = 2/252. */
static void utest_separated_exact(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5}, y[] = {6, 7, 8, 9, 10};
    pb_utest u = pb_mann_whitney(x, 5, y, 5);
    assert_true(u.exact);
    assert_float_equal(u.u, 0.0, 0.0);
    assert_float_equal(u.p, 2.0 / 252.0, 1e-12);
    pb_utest v = pb_mann_whitney(y, 5, x, 5);
    assert_float_equal(v.u, 25.0, 0.0);
    assert_float_equal(v.p, 2.0 / 252.0, 1e-12);
}

/* x = {1,3,5}, y = {2,4,6}: U_x = 3 (3>2, 5>2, 5>4), the larger U is 6. The
 * 20 arrangements of 3+3 give U = 0..9 with counts 1,1,2,3,3,3,3,2,1,1, so
 * P(U >= 6) = (3+2+1+1)/20 and p = 2 * 7/20 = 0.7. */
static void utest_interleaved_exact(void **state)
{
    (void)state;
    const double x[] = {5, 1, 3}, y[] = {6, 2, 4};
    pb_utest u = pb_mann_whitney(x, 3, y, 3);
    assert_true(u.exact);
    assert_float_equal(u.u, 3.0, 0.0);
    assert_float_equal(u.p, 0.7, 1e-12);
}

/* x = {1,2,2,3}, y = {2,3,4,5}: ties, so the normal approximation. Mid-ranks
 * 1, 3, 3, 5.5 for x: R = 12.5, U_x = 2.5, larger U = 13.5, mean 8. Ties of 3
 * and 2: sum(t^3 - t) = 24 + 6 = 30; sigma = sqrt(16/12 * (9 - 30/56)) =
 * 3.35942172; z = (13.5 - 8 - 0.5) / sigma = 1.48835139; p = erfc(z/sqrt 2) =
 * 0.136658248. */
static void utest_ties_normal(void **state)
{
    (void)state;
    const double x[] = {1, 2, 2, 3}, y[] = {2, 3, 4, 5};
    pb_utest u = pb_mann_whitney(x, 4, y, 4);
    assert_false(u.exact);
    assert_float_equal(u.u, 2.5, 0.0);
    assert_float_equal(u.p, 0.136658248, 1e-8);
}

/* Identical samples: every value tied, no evidence of a difference. */
static void utest_all_tied(void **state)
{
    (void)state;
    const double x[] = {7, 7, 7}, y[] = {7, 7, 7};
    pb_utest u = pb_mann_whitney(x, 3, y, 3);
    assert_float_equal(u.p, 1.0, 0.0);
}

/* Large samples without ties: normal approximation. Separated samples of 10:
 * U = 100, mean 50, sigma = sqrt(100/12 * 21) = 13.2287566, z = 49.5/sigma =
 * 3.74185914, p = erfc(z / sqrt 2) = 1.8267e-4. */
static void utest_large_normal(void **state)
{
    (void)state;
    double x[10], y[10];
    for (int i = 0; i < 10; ++i)
        x[i] = i, y[i] = 100 + i;
    pb_utest u = pb_mann_whitney(x, 10, y, 10);
    assert_false(u.exact);
    assert_float_equal(u.p, erfc(49.5 / sqrt(100.0 / 12.0 * 21.0) / sqrt(2.0)), 1e-12);
    assert_float_equal(u.p, 1.8267e-4, 1e-7);
}

/* The smallest reachable p: 2 / C(n+m, n) exactly; below 4+4 never < 0.05. */
static void utest_min_p(void **state)
{
    (void)state;
    assert_float_equal(pb_mann_whitney_min_p(2, 2), 2.0 / 6.0, 1e-12);
    assert_float_equal(pb_mann_whitney_min_p(3, 3), 2.0 / 20.0, 1e-12);
    assert_float_equal(pb_mann_whitney_min_p(3, 4), 2.0 / 35.0, 1e-12);
    assert_float_equal(pb_mann_whitney_min_p(4, 4), 2.0 / 70.0, 1e-12);
    assert_float_equal(pb_mann_whitney_min_p(1, 9), 2.0 / 10.0, 1e-12);
}

/* scipy.stats.wilcoxon's own example (Darwin's paired heights, in eighths of
 * an inch): the negative differences -48 and -67 rank 10 and 14, so T+ = 120
 * - 24 = 96, and 2 P(T+ <= 24) over the 2^15 sign patterns is exactly
 * 0.041259765625 (counted by hand in a script, and scipy's documented value). */
static void wilcoxon_exact(void **state)
{
    (void)state;
    const double d[] = {6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75};
    pb_utest w = pb_wilcoxon(d, 15);
    assert_true(w.exact);
    assert_float_equal(w.u, 96.0, 0.0);
    assert_float_equal(w.p, 0.041259765625, 1e-15);
    const double same_sign[] = {0.1, 0.3, 0.2, 0.5, 0.4, 0.6};
    w = pb_wilcoxon(same_sign, 6);
    assert_float_equal(w.u, 21.0, 0.0);
    assert_float_equal(w.p, 2.0 / 64.0, 1e-15);
}

/* {0, 1, -1, 2, 2, 3}: the zero is dropped; |d| 1, 1, 2, 2, 3 take mid-ranks
 * 1.5, 1.5, 3.5, 3.5, 5, so T+ = 1.5 + 3.5 + 3.5 + 5 = 13.5 against a mean of
 * 7.5. Two ties of 2: sum(t^3 - t) = 12, variance 5*6*11/24 - 12/48 = 13.5,
 * z = 6 / sqrt(13.5) = 1.63299316, p = erfc(z / sqrt 2) = 0.102470435. */
static void wilcoxon_ties_and_zeros(void **state)
{
    (void)state;
    const double d[] = {0, 1, -1, 2, 2, 3};
    pb_utest w = pb_wilcoxon(d, 6);
    assert_false(w.exact);
    assert_float_equal(w.u, 13.5, 0.0);
    assert_float_equal(w.p, 0.102470435, 1e-8);
    const double zeros[] = {0, 0, 0};
    assert_float_equal(pb_wilcoxon(zeros, 3).p, 1.0, 0.0);
}

/* n differences of one sign: 2 / 2^n, so fewer than 6 pairs never reach 0.05. */
static void wilcoxon_min_p(void **state)
{
    (void)state;
    assert_float_equal(pb_wilcoxon_min_p(5), 0.0625, 1e-15);
    assert_float_equal(pb_wilcoxon_min_p(6), 0.03125, 1e-15);
    assert_float_equal(pb_wilcoxon_min_p(9), 2.0 / 512.0, 1e-15);
}

static void median_and_geomean(void **state)
{
    (void)state;
    const double odd[] = {5, 1, 3}, even[] = {4, 1, 3, 2}, g[] = {1, 4, 16, NAN, -2};
    assert_float_equal(pb_median(odd, 3), 3.0, 0.0);
    assert_float_equal(pb_median(even, 4), 2.5, 0.0);
    assert_float_equal(pb_geomean(g, 5), 4.0, 1e-12);
}

/* time = 2 ns * ops exactly: coefficient 2, R^2 1, no residual. */
static void fit_exact_one_variable(void **state)
{
    (void)state;
    const double ops[] = {10, 100, 1000, 5000}, y[] = {20, 200, 2000, 10000};
    const double *x[] = {ops};
    pb_fit f = pb_fit_relative(y, x, 1, 4);
    assert_true(f.ok);
    assert_float_equal(f.coef[0], 2.0, 1e-12);
    assert_float_equal(f.r2, 1.0, 1e-12);
    assert_float_equal(f.worst, 0.0, 1e-12);
}

/* time = 0.5 * ops + 3 * bytes, recovered exactly with both terms. */
static void fit_exact_two_variables(void **state)
{
    (void)state;
    const double ops[] = {10, 100, 40, 7, 300}, bytes[] = {5, 2, 30, 70, 1};
    double y[5];
    for (int i = 0; i < 5; ++i)
        y[i] = 0.5 * ops[i] + 3 * bytes[i];
    const double *x[] = {ops, bytes};
    pb_fit f = pb_fit_relative(y, x, 2, 5);
    assert_true(f.ok);
    assert_false(f.dropped[0] || f.dropped[1]);
    assert_float_equal(f.coef[0], 0.5, 1e-10);
    assert_float_equal(f.coef[1], 3.0, 1e-10);
}

/* Relative least squares through the origin with one variable: minimising
 * sum (c x_i / y_i - 1)^2 gives c = sum(r_i) / sum(r_i^2), r_i = x_i / y_i.
 * Here r = 1, 1/2: c = 1.5 / 1.25 = 1.2; fits 1.2 and 0.6 against 1: worst
 * residual -40% at the second point. */
static void fit_relative_weighting(void **state)
{
    (void)state;
    const double ops[] = {10, 10}, y[] = {10, 20};
    const double *x[] = {ops};
    pb_fit f = pb_fit_relative(y, x, 1, 2);
    assert_true(f.ok);
    assert_float_equal(f.coef[0], 1.2, 1e-12);
    assert_int_equal(f.worst_index, 1);
    assert_float_equal(f.worst, -0.4, 1e-12);
}

/* A free fit would price bytes negatively (time falls as bytes grow): the
 * bytes term is dropped and ops alone is fitted. */
static void fit_drops_negative_term(void **state)
{
    (void)state;
    const double ops[] = {10, 20, 30, 40}, bytes[] = {40, 30, 20, 10};
    const double y[] = {9, 21, 33, 45};
    const double *x[] = {ops, bytes};
    pb_fit f = pb_fit_relative(y, x, 2, 4);
    assert_true(f.ok);
    assert_true(f.dropped[1]);
    assert_float_equal(f.coef[1], 0.0, 0.0);
    const double *x1[] = {ops};
    pb_fit g = pb_fit_relative(y, x1, 1, 4);
    assert_float_equal(f.coef[0], g.coef[0], 1e-12);
}

static void fit_too_few_points(void **state)
{
    (void)state;
    const double ops[] = {1, 2}, bytes[] = {3, 4}, y[] = {1, 2};
    const double *x[] = {ops, bytes};
    assert_false(pb_fit_relative(y, x, 2, 2).ok);
}

/* A panel's cases in name order, whatever order the run listed them in. */
static void word_sort_orders_names(void **state)
{
    (void)state;
    char list[64] = "mb2c mb1b mb1a mb10";
    pb_word_sort(list);
    assert_string_equal(list, "mb10 mb1a mb1b mb2c");
    char one[8] = "x", none[4] = "";
    pb_word_sort(one);
    pb_word_sort(none);
    assert_string_equal(one, "x");
    assert_string_equal(none, "");
}

/* A word that does not fit whole stays out: cut, it would name another case. */
static void word_add_keeps_words_whole(void **state)
{
    (void)state;
    char list[13] = "";
    const char *const words[] = {"alpha", "beta", "alpha", "gamma", "x"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; ++i)
        pb_word_add(list, sizeof list, words[i]);
    assert_string_equal(list, "alpha beta x");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utest_separated_exact),  cmocka_unit_test(utest_interleaved_exact),
        cmocka_unit_test(utest_ties_normal),      cmocka_unit_test(utest_all_tied),
        cmocka_unit_test(utest_large_normal),     cmocka_unit_test(utest_min_p),
        cmocka_unit_test(wilcoxon_exact),         cmocka_unit_test(wilcoxon_ties_and_zeros),
        cmocka_unit_test(wilcoxon_min_p),
        cmocka_unit_test(median_and_geomean),     cmocka_unit_test(fit_exact_one_variable),
        cmocka_unit_test(fit_exact_two_variables), cmocka_unit_test(fit_relative_weighting),
        cmocka_unit_test(fit_drops_negative_term), cmocka_unit_test(fit_too_few_points),
        cmocka_unit_test(word_sort_orders_names),
        cmocka_unit_test(word_add_keeps_words_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
