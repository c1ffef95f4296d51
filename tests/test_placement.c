/* pb_place_for_threads: each share of a call's input and output bound to the
 * NUMA node of the core that runs it, at the hand-computed share boundaries
 * of openmp's and team's split. On a machine of one node every core's node
 * is the same, so there the test holds the policy over every page (none
 * left to first touch), and on one of several the boundaries too. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <hwloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include "poolbench/registry.h"

static hwloc_topology_t topology;

/* A mapping of its own, so no earlier policy of the heap's shows through. */
static float *map_floats(int64_t count)
{
    void *p = mmap(NULL, (size_t)count * sizeof(float), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(p != MAP_FAILED);
    return p;
}

/* The nodes of the core pb_bind_thread_to_core puts a thread on. */
static hwloc_nodeset_t nodes_of_core(int core)
{
    assert_int_equal(pb_bind_thread_to_core(core), 0);
    hwloc_cpuset_t cpus = hwloc_bitmap_alloc();
    hwloc_nodeset_t nodes = hwloc_bitmap_alloc();
    assert_int_equal(hwloc_get_cpubind(topology, cpus, HWLOC_CPUBIND_THREAD), 0);
    hwloc_cpuset_to_nodeset(topology, cpus, nodes);
    hwloc_bitmap_free(cpus);
    return nodes;
}

/* Floats [from, to) of buf, whole pages of them, are bound to core's nodes. */
static void expect_bound(const float *buf, int64_t from, int64_t to, int core)
{
    const uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
    const uintptr_t begin = ((uintptr_t)(buf + from) + page - 1) / page * page;
    const uintptr_t end = (uintptr_t)(buf + to) / page * page;
    assert_true(end > begin);
    hwloc_nodeset_t want = nodes_of_core(core), got = hwloc_bitmap_alloc();
    hwloc_membind_policy_t policy;
    assert_int_equal(hwloc_get_area_membind(topology, (void *)begin, end - begin, got, &policy, HWLOC_MEMBIND_BYNODESET),
                     0);
    assert_int_equal(policy, HWLOC_MEMBIND_BIND);
    assert_true(hwloc_bitmap_isequal(got, want));
    hwloc_bitmap_free(want);
    hwloc_bitmap_free(got);
}

static pb_params params(pb_layout layout, int64_t n, int64_t c, int64_t hw, int64_t k, int64_t s, int64_t pad)
{
    pb_params p;
    pb_params_default(&p, n, c, hw, hw, k, k);
    p.sh = p.sw = s, p.ph = p.pw = pad, p.layout = layout;
    assert_int_equal(pb_params_resolve(&p), PB_OK);
    return p;
}

static int setup(void **state)
{
    (void)state;
    if (!pb_memory_binding_available() || pb_core_count() < 1)
        return 0;
    return hwloc_topology_init(&topology) == 0 && hwloc_topology_load(topology) == 0 ? 0 : -1;
}

#define SKIP_WITHOUT_BINDING()                                                                                         \
    do {                                                                                                               \
        if (!pb_memory_binding_available()) {                                                                          \
            print_message("memory binding is not available here\n");                                                   \
            skip();                                                                                                    \
        }                                                                                                              \
    } while (0)

/* A call of p placed at `threads` threads in two shares: its input's floats
 * before in_cut and its output's before out_cut on core 0's node, the rest on
 * the node of core `second` (modulo the cores, as the binding takes it);
 * placed again at 1 thread, all of both on core 0's. */
static void expect_two_shares(const pb_params *p, int threads, int second, int64_t in_cut, int64_t out_cut)
{
    const int64_t in_n = pb_input_elems(p), out_n = pb_output_elems(p);
    float *in = map_floats(in_n), *out = map_floats(out_n);
    assert_int_equal(pb_place_for_threads(p, in, out, threads), 0);
    expect_bound(in, 0, in_cut, 0);
    expect_bound(in, in_cut, in_n, second);
    expect_bound(out, 0, out_cut, 0);
    expect_bound(out, out_cut, out_n, second);
    assert_int_equal(pb_place_for_threads(p, in, out, 1), 0);
    expect_bound(in, 0, in_n, 0);
    expect_bound(out, 0, out_n, 0);
    munmap(in, (size_t)in_n * sizeof(float));
    munmap(out, (size_t)out_n * sizeof(float));
}

/* The stem in NHWC: output rows 0-27 and 28-55 of 56 (64 channels of 56
 * columns a row); share 1's first output row reads from input row
 * 28 * 2 - 1 = 55 on (112 columns). */
static void nhwc_rows(void **state)
{
    (void)state;
    SKIP_WITHOUT_BINDING();
    const pb_params p = params(PB_LAYOUT_NHWC, 1, 64, 112, 3, 2, 1);
    expect_two_shares(&p, 2, 1, 55 * 112 * 64, 28 * 56 * 64);
}

/* NCHW: 64 planes (2 images of 32 channels), 32 each: 64x64 inputs, 32x32
 * outputs. */
static void nchw_planes(void **state)
{
    (void)state;
    SKIP_WITHOUT_BINDING();
    const pb_params p = params(PB_LAYOUT_NCHW, 2, 32, 64, 2, 2, 0);
    expect_two_shares(&p, 2, 1, 32 * 64 * 64, 32 * 32 * 32);
}

/* An NHWC global pool of 2 images of 2048 channels at 4 threads: each
 * image's one row cut into 2 slices of channels, image 1's on cores 2 and 3,
 * so its pages go on core 2's node (a split of rows alone would have put
 * them on core 1's). */
static void nhwc_sliced_rows(void **state)
{
    (void)state;
    SKIP_WITHOUT_BINDING();
    const pb_params p = params(PB_LAYOUT_NHWC, 2, 2048, 7, 7, 1, 0);
    expect_two_shares(&p, 4, 2, 7 * 7 * 2048, 2048);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nhwc_rows),
        cmocka_unit_test(nchw_planes),
        cmocka_unit_test(nhwc_sliced_rows),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
