/* The threads preset's thread counts: doubling from 1, then all the cores,
 * however many there are; the working set that leaves the caches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "machine.h"
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

#define MIB ((int64_t)1 << 20)
#define GIB ((int64_t)1 << 30)

static void escape_is_four_l3s_within_memory(void **state)
{
    (void)state;
    /* The Zen 5 VM: hwloc's 508 MiB L3, 24 GiB: 1 GiB, as before the rule. */
    assert_int_equal(pb_escape_bytes(508 * MIB, 1 * MIB, 24 * GIB), 1 * GIB);
    /* A desktop: 32 MiB of L3, 4x of it. */
    assert_int_equal(pb_escape_bytes(32 * MIB, 1 * MIB, 16 * GIB), 128 * MIB);
    /* 2 sockets of 12 x 32 MiB and 384 GiB: 4 x 768 MiB, under 6 GiB. */
    assert_int_equal(pb_escape_bytes(768 * MIB, 1 * MIB, 384 * GIB), 3 * GIB);
    /* 1 GiB of L3 and 128 GiB: a 64th of memory, 2 GiB. */
    assert_int_equal(pb_escape_bytes(1 * GIB, 2 * MIB, 128 * GIB), 2 * GIB);
    /* No L3: 4x the L2; nothing known: 4x 32 MiB. */
    assert_int_equal(pb_escape_bytes(0, 4 * MIB, 8 * GIB), 16 * MIB);
    assert_int_equal(pb_escape_bytes(0, 0, 0), 128 * MIB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(thread_counts_double_then_take_all_cores),
        cmocka_unit_test(thread_counts_fit_the_largest_int),
        cmocka_unit_test(escape_is_four_l3s_within_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
