// The probes a run times among its cases: the STREAM-like triads, each
// case's plain pass and the empty call of each threaded implementation.
#include "run_probes.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "run_timing.h"

extern "C" {
#include "case_name.h"
#include "machine.h"
#include "plain_pass.h"
}

namespace pb_run {

namespace {

// The triad timed as benchmarks of the run, "probe/stream_triad[_nt]/LEVEL/
// threads:T": interleaved with the cases, its repetitions sample the same
// spells of a shared machine as theirs, where the context's probes saw only
// the run's start (on the Zen 5 VM, VGG pool1 at batch 83 on two threads read
// 45.8 GB/s in one run and 56.7 an hour later, same code; one run's start
// timed the L1d and L2 triads at 77 and 80 GB/s where others read 144-154).
// Each working set's arrays are made at its first probe and placed before
// each probe as a case's data is: each thread's chunk on its core's NUMA
// node, all of it on the one core's for a core's own probe.
using TriadPtr = std::unique_ptr<pb_triad, void (*)(pb_triad *)>;
std::map<int64_t, TriadPtr> g_triads;
using PlainPassPtr = std::unique_ptr<pb_plain_pass, void (*)(pb_plain_pass *)>;
std::map<std::string, PlainPassPtr> g_plain_passes;

// A bandwidth probe's end: its result checked (`wrong` says what a failure
// means), then its counters: bytes a pass, threads, and GB/s over the passes'
// wall time.
void finish_bandwidth_probe(benchmark::State &state, bool valid, const char *wrong, double bytes, int threads,
                            double seconds)
{
    if (!valid) {
        std::fprintf(stderr, "poolbench: VALIDATION FAILED: %s\n", wrong);
        state.SkipWithError((std::string("VALIDATION FAILED: ") + wrong).c_str());
        validation_failed = true;
        return;
    }
    using C = benchmark::Counter;
    state.counters["bytes"] = C(bytes, C::kDefaults, C::kIs1024);
    state.counters["threads"] = C(static_cast<double>(threads));
    state.counters["GBps"] = C(bytes * static_cast<double>(state.iterations()) / seconds * 1e-9);
}

// The triad on `threads` threads, or with core >= 0 on that one core alone.
void run_triad_probe(benchmark::State &state, int64_t working_set, int threads, bool streaming, int core)
{
    auto it = g_triads.find(working_set);
    if (it == g_triads.end())
        it = g_triads.emplace(working_set, TriadPtr(pb_triad_new(working_set, 1), pb_triad_free)).first;
    pb_triad *triad = it->second.get();
    if (triad == nullptr) {
        state.SkipWithError("out of memory");
        validation_failed = true;
        return;
    }
    // One pass untimed, as each case's validating call is: it brings a cache
    // level's arrays back in after the case before, and on the Zen 5 VM
    // memory left alone for 20 s streamed at 10 GB/s on its first pass and at
    // 37 after (the hypervisor's doing), and the probe's arrays lie idle
    // between its repetitions (a threads run's medians read 4-19 GB/s).
    // The run's one-thread benchmarks run on core 0, where the threaded
    // families bind their calling thread: the probe returns there.
    if (core >= 0 && pb_bind_thread_to_core(core) != 0) {
        state.SkipWithError(("cannot bind to core " + std::to_string(core)).c_str());
        return;
    }
    note_placement(pb_triad_place(triad, core >= 0 ? 1 : threads, core >= 0 ? core : 0));
    pb_triad_pass(triad, threads, streaming);
    const double seconds = time_passes(state, [&] { pb_triad_pass(triad, threads, streaming); });
    if (core >= 0)
        pb_bind_thread_to_core(0);
    // STREAM's rule: three arrays per pass, the write-allocate read not counted.
    finish_bandwidth_probe(state, pb_triad_valid(triad), "the triad's result is not b + 3 c", pb_triad_bytes(triad),
                           threads, seconds);
}

// "probe/stream_triad[_nt]/LEVEL/threads:T", or ".../core:N" for one core's.
void register_triad_probe(const char *level, int64_t working_set, int threads, bool streaming, int core = -1)
{
    const std::string name = std::string("probe/stream_triad") + (streaming ? "_nt" : "") + "/" + level +
                             (core >= 0 ? "/core:" + std::to_string(core) : "/threads:" + std::to_string(threads));
    benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State &s) {
        run_triad_probe(s, working_set, threads, streaming, core);
    })->Unit(benchmark::kMicrosecond);
}

// A case's plain pass on core 0, where the one-thread cases run: made at its
// first probe, one pass untimed as the triad's, validated after its passes.
void run_plain_pass_probe(benchmark::State &state, const std::string &case_name, const pb_params &p)
{
    auto it = g_plain_passes.find(case_name);
    if (it == g_plain_passes.end())
        it = g_plain_passes.emplace(case_name, PlainPassPtr(pb_plain_pass_new(&p), pb_plain_pass_free)).first;
    pb_plain_pass *pass = it->second.get();
    if (pass == nullptr) {
        state.SkipWithError("out of memory");
        validation_failed = true;
        return;
    }
    note_placement(pb_plain_pass_place(pass, 0));
    pb_plain_pass_run(pass);
    const double seconds = time_passes(state, [&] { pb_plain_pass_run(pass); });
    finish_bandwidth_probe(state, pb_plain_pass_valid(pass), ("the plain pass of " + case_name + " is wrong").c_str(),
                           pb_plain_pass_bytes(pass), 1, seconds);
}

}  // namespace

size_t register_plain_pass_probes(const pb_params *cases, int n_cases)
{
    size_t n = 0;
    for (int i = 0; i < n_cases; ++i) {
        char case_name[160];
        pb_case_format(&cases[i], case_name, sizeof case_name);
        const std::string name = std::string("probe/plain_pass/") + case_name + "/threads:1";
        const pb_params p = cases[i];
        benchmark::RegisterBenchmark(name.c_str(), [case_name = std::string(case_name), p](benchmark::State &s) {
            run_plain_pass_probe(s, case_name, p);
        })->Unit(benchmark::kMicrosecond);
        ++n;
    }
    return n;
}

// The roofline's roofs: each cache level's triad at one thread, at the
// context's working sets (half of L1d and L2, half the L3 the ladder found);
// DRAM's at each thread count of the run's (one and the most), plain and,
// where the ISA has them, with streaming stores. With more than one thread,
// also the L1d triad on each core of the team: a team split evenly waits for
// its slowest core, and on the Zen 5 VM one vCPU at times ran the L1d triad
// at 81 GB/s while the other ran it at 140. Returns how many.
size_t register_triad_probes(const std::vector<int> &thread_counts)
{
    const pb_topology *topology = pb_topology_get();
    const struct {
        const char *level;
        int64_t working_set;
    } caches[] = {{"l1d", topology->l1d_bytes / 2},
                  {"l2", topology->l2_bytes / 2},
                  {"l3", pb_l3_probe_get()->bytes / 2}};
    size_t n = 0;
    for (const auto &cache : caches)
        if (cache.working_set > 0) {
            register_triad_probe(cache.level, cache.working_set, 1, false);
            ++n;
        }
    const int most = *std::max_element(thread_counts.begin(), thread_counts.end());
    const int team_cores = std::min(most, pb_core_count());
    for (int core = 0; most > 1 && core < team_cores && caches[0].working_set > 0; ++core, ++n)
        register_triad_probe(caches[0].level, caches[0].working_set, 1, false, core);
    std::vector<int> probed{1};
    if (most > 1)
        probed.push_back(most);
    for (int t : probed)
        for (bool nt : {false, true})
            if (!nt || pb_simd_streaming_stores_available()) {
                register_triad_probe("dram", pb_llc_escape_bytes(), t, nt);
                ++n;
            }
    return n;
}

// "probe/<impl>_region/threads:T": one call with no work in it of a threaded
// implementation of ours (openmp's empty parallel region, team's empty
// hand-over), timed among the cases as the triads are. Its cost sets the
// threads targets' ceiling, and on the Zen 5 VM openmp's read 0.40 and 1.61
// us in two runs six minutes apart (the cores' cache-line round trip follows
// the host); the context's figure is the run's start alone.
void register_region_probe(const pb_impl *impl, int threads)
{
    const std::string name = "probe/" + std::string(impl->name) + "_region/threads:" + std::to_string(threads);
    benchmark::RegisterBenchmark(name.c_str(),
                                 [impl, threads](benchmark::State &state) {
                                     impl->empty_calls(threads, 1); // starts and binds the team
                                     for (auto _ : state)
                                         impl->empty_calls(threads, 1);
                                     state.counters["threads"] = benchmark::Counter(static_cast<double>(threads));
                                 })
        ->Unit(benchmark::kMicrosecond);
}

void release_probes()
{
    g_triads.clear();
    g_plain_passes.clear();
}

}  // namespace pb_run
