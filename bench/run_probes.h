// The probes a run times among its cases as benchmarks of their own, so that
// their repetitions sample the same spells of a shared machine as the cases'.
#ifndef POOLBENCH_BENCH_RUN_PROBES_H
#define POOLBENCH_BENCH_RUN_PROBES_H
#include <cstddef>
#include <vector>

extern "C" {
#include "poolbench/registry.h"
}

namespace pb_run {

// The triads of the roofline: each cache level, DRAM at one and the most
// threads, each core's L1d with more than one. Returns how many.
size_t register_triad_probes(const std::vector<int> &thread_counts);

// "probe/<impl>_region/threads:T": an empty call of a threaded implementation.
void register_region_probe(const pb_impl *impl, int threads);

// "probe/plain_pass/CASE/threads:1": each case's plain pass (plain_pass.h),
// the roof of the x oneDNN targets. Returns how many.
size_t register_plain_pass_probes(const pb_params *cases, int n_cases);

// Frees the probes' arrays once the run is done.
void release_probes();

}  // namespace pb_run
#endif
