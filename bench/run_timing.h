// What every benchmark of a run shares: its clock, and the flag that a
// result failed validation (the run then writes nothing).
#ifndef POOLBENCH_BENCH_RUN_TIMING_H
#define POOLBENCH_BENCH_RUN_TIMING_H
#include <benchmark/benchmark.h>

#include <chrono>

namespace pb_run {

// Set by any benchmark whose result is wrong or that could not run.
extern bool validation_failed;

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
