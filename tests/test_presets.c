/* The threads preset's thread counts: doubling from 1, then all the cores,
 * however many there are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "presets.h"

static void expect_counts(int cores, const int *want, int n)
{
    int got[PB_THREAD_COUNTS_MAX];
    assert_int_equal(pb_preset_thread_counts(cores, got), n);
    assert_memory_equal(got, want, (size_t)n * sizeof *want);
}

static void thread_counts_double_then_take_all_cores(void **state)
{
    (void)state;
    expect_counts(1, (const int[]){1}, 1);
    expect_counts(2, (const int[]){1, 2}, 2);
    expect_counts(3, (const int[]){1, 2, 3}, 3);
    expect_counts(8, (const int[]){1, 2, 4, 8}, 4);
    expect_counts(48, (const int[]){1, 2, 4, 8, 16, 32, 48}, 7);
    expect_counts(192, (const int[]){1, 2, 4, 8, 16, 32, 64, 128, 192}, 9);
    /* No core count known (hwloc failed): one thread. */
    expect_counts(0, (const int[]){1}, 1);
}

static void thread_counts_fit_the_largest_int(void **state)
{
    (void)state;
    int got[PB_THREAD_COUNTS_MAX];
    const int n = pb_preset_thread_counts(2147483647, got);
    assert_int_equal(n, 32);
    assert_int_equal(got[30], 1 << 30);
    assert_int_equal(got[31], 2147483647);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thread_counts_double_then_take_all_cores),
        cmocka_unit_test(thread_counts_fit_the_largest_int),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
