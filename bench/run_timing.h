// What every benchmark of a run shares: its clock, the flag that a result
// failed validation (the run then writes nothing), and the word when its data
// could not be placed.
#ifndef POOLBENCH_BENCH_RUN_TIMING_H
#define POOLBENCH_BENCH_RUN_TIMING_H
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdio>

extern "C" {
#include "poolbench/registry.h"
}

namespace pb_run {

// Set by any benchmark whose result is wrong or that could not run.
extern bool validation_failed;

// Takes the result of placing a benchmark's data on its threads' NUMA nodes
// and says once per run where that failed on a machine that can bind memory:
// the data then lies where it was first touched, which the context's
// memory_placement does not tell.
inline void note_placement(int rc)
{
    static bool said;
    if (rc != 0 && !said && pb_memory_binding_available()) {
        std::fprintf(stderr, "poolbench: some benchmark data could not be put on its threads' NUMA nodes; "
                             "it stays where it was first touched\n");
        said = true;
    }
}

// Wall seconds of the state's passes, for rates: Google Benchmark's own rates
// use the main thread's CPU time, wrong for threaded implementations, and
// UseRealTime() would append "/real_time" to every name. The clock stops at
// the end of the last pass, before Google Benchmark's: its timer reads the
// thread's CPU time after its wall clock, a system call where the kernel
// preempts a thread that overran its slice, so a clock stopped after the loop
// took up to 13% more than the real_time beside it with two busy loops on the
// 2-core VM (the DRAM triad, one pass of 32 ms).
template <class Pass>
double time_passes(benchmark::State &state, Pass pass)
{
    const auto start = std::chrono::steady_clock::now();
    auto end = start;
    benchmark::IterationCount done = 0;
    for (auto _ : state) {
        pass();
        benchmark::ClobberMemory();
        if (++done == state.max_iterations)
            end = std::chrono::steady_clock::now();
    }
    return std::chrono::duration<double>(end - start).count();
}

}  // namespace pb_run
#endif
