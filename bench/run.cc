// poolbench run: Google Benchmark over registry x cases x layouts.
// Every benchmark validates its implementation against naive before it is
// timed; a mismatch is reported as an error and the run fails without a result.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

extern "C" {
#include "case_name.h"
#include "cli.h"
#include "io/results_dir.h"
#include "machine.h"
#include "presets.h"
#include "poolbench/registry.h"
#include "sweep.h"
}
#include "git_revision.h"
#include "run_probes.h"
#include "run_progress.h"
#include "run_timing.h"

#ifndef POOLBENCH_VERSION
#define POOLBENCH_VERSION "unknown"
#endif
#ifndef POOLBENCH_COMPILE_FLAGS
#define POOLBENCH_COMPILE_FLAGS "unknown"
#endif
#ifndef POOLBENCH_BUILD_TYPE
#define POOLBENCH_BUILD_TYPE "unknown"
#endif

bool pb_run::validation_failed = false;

namespace {

struct RunOptions {
    std::string preset = "quick";
    std::vector<std::string> cases, impls;
    int layout = -1;  // -1: both
    int threads = 0;  // 0: the OpenMP default
    std::string out_dir = "results";
    bool user_out = false, user_min_time = false;
    bool list_only = false;  // --benchmark_list_tests: nothing runs, nothing is written
    bool interleaved = false; // --benchmark_enable_random_interleaving: recorded with the run
    bool triad = false;       // --triad: the triad probes even when every case fits the caches
};

struct AlignedFree {
    void operator()(float *p) const { std::free(p); }
};
using Buffer = std::unique_ptr<float, AlignedFree>;

Buffer alloc_floats(int64_t count)
{
    size_t bytes = (static_cast<size_t>(count) * sizeof(float) + 63) / 64 * 64;
    return Buffer(static_cast<float *>(std::aligned_alloc(64, bytes ? bytes : 64)));
}

// Input and naive's answer per case. Benchmarks are registered case-major,
// so one case's data serves every implementation that follows it; with
// --benchmark_enable_random_interleaving the repetitions of all cases
// alternate, so cases stay cached, the least recently used dropped once
// they pass a quarter of the machine's memory (the out-of-cache batches are
// a GB each, and rebuilding one means running naive over it again).
struct CaseData {
    Buffer in, expect;
    int64_t in_count = 0;
    size_t bytes = 0;
    uint64_t last_use = 0;
};
std::map<std::string, CaseData> g_cases;
size_t g_cases_bytes = 0;
uint64_t g_case_uses = 0;

const CaseData *case_data(const pb_params &p, const std::string &key)
{
    auto found = g_cases.find(key);
    if (found != g_cases.end()) {
        found->second.last_use = ++g_case_uses;
        return &found->second;
    }
    const size_t bytes = static_cast<size_t>(pb_input_elems(&p) + pb_output_elems(&p)) * sizeof(float);
    const int64_t memory = pb_topology_get()->memory_bytes;
    const size_t budget = memory > 0 ? static_cast<size_t>(memory / 4) : size_t{1} << 30;
    while (!g_cases.empty() && g_cases_bytes + bytes > budget) {
        auto oldest = std::min_element(g_cases.begin(), g_cases.end(), [](const auto &a, const auto &b) {
            return a.second.last_use < b.second.last_use;
        });
        g_cases_bytes -= oldest->second.bytes;
        g_cases.erase(oldest);
    }
    CaseData d;
    d.in_count = pb_input_elems(&p);
    d.in = alloc_floats(d.in_count);
    d.expect = alloc_floats(pb_output_elems(&p));
    if (!d.in || !d.expect)
        return nullptr;
    pb_rng rng{0x5eed};
    pb_fill_input(&rng, d.in.get(), d.in_count, false);
    if (pb_impl_run_alloc(pb_impl_find("naive"), &p, d.in.get(), d.expect.get(), 1) != 0)
        return nullptr;
    d.bytes = bytes;
    d.last_use = ++g_case_uses;
    g_cases_bytes += bytes;
    return &(g_cases[key] = std::move(d));
}

struct Bench {
    const pb_impl *impl;
    pb_params p;
    int threads;
    std::string key;
};

void run_benchmark(benchmark::State &state, const Bench &b)
{
    const CaseData *data = case_data(b.p, b.key);
    Buffer out = alloc_floats(pb_output_elems(&b.p));
    size_t ws_bytes = pb_impl_workspace(b.impl, &b.p);
    std::unique_ptr<void, void (*)(void *)> ws(ws_bytes ? std::aligned_alloc(64, (ws_bytes + 63) / 64 * 64) : nullptr,
                                               std::free);
    if (data == nullptr || !out || (ws_bytes && !ws)) {
        state.SkipWithError("out of memory");
        pb_run::validation_failed = true;
        return;
    }
    pb_ctx ctx{};
    ctx.threads = b.threads;
    ctx.workspace = ws.get();
    ctx.workspace_size = ws_bytes;
    if (b.impl->prepare != nullptr && (ctx.state = b.impl->prepare(&b.p, b.threads)) == nullptr) {
        state.SkipWithError("prepare failed");
        pb_run::validation_failed = true;
        return;
    }
    // Before the output's first touch, so its pages start out on their nodes.
    pb_run::note_placement(pb_place_for_threads(&b.p, data->in.get(), out.get(), b.threads));
    // Validate before timing: a wrong kernel never gets a number.
    std::fill(out.get(), out.get() + pb_output_elems(&b.p), std::nanf(""));
    if (b.impl->load_input != nullptr)
        b.impl->load_input(ctx.state, data->in.get());
    int rc = b.impl->run(&b.p, data->in.get(), out.get(), &ctx);
    if (rc == 0 && b.impl->store_output != nullptr)
        b.impl->store_output(ctx.state, out.get());
    int64_t bad = rc == 0 ? pb_outputs_mismatch(&b.p, data->in.get(), data->expect.get(), out.get()) : 0;
    if (bad >= 0) {
        char msg[256];
        std::snprintf(msg, sizeof msg, "VALIDATION FAILED: %s output %lld is %g, naive says %g", b.impl->name,
                      static_cast<long long>(bad), out.get()[bad], data->expect.get()[bad]);
        std::fprintf(stderr, "poolbench: %s\n", msg);
        state.SkipWithError(msg);
        pb_run::validation_failed = true;
    } else {
        const pb_papi *papi = pb_papi_get();
        long long values[PB_PAPI_MAX_EVENTS] = {0};
        bool counting = pb_papi_start() == 0;
        const double seconds =
            pb_run::time_passes(state, [&] { b.impl->run(&b.p, data->in.get(), out.get(), &ctx); });
        if (counting && pb_papi_stop(values) == 0)
            for (int i = 0; i < papi->n_events; ++i)
                state.counters[papi->names[i]] = benchmark::Counter(static_cast<double>(values[i]),
                                                                    benchmark::Counter::kAvgIterations);
        // Bytes moved per call: input + output once each, plus the workspace.
        const double model_ops = pb_model_ops(&b.p);
        const double bytes =
            static_cast<double>((pb_input_elems(&b.p) + pb_output_elems(&b.p)) * sizeof(float) + ws_bytes);
        const double iters = static_cast<double>(state.iterations());
        using C = benchmark::Counter;
        state.counters["model_ops"] = C(model_ops);
        state.counters["impl_ops"] = C(b.impl->ops(&b.p));
        state.counters["bytes"] = C(bytes, C::kDefaults, C::kIs1024);
        state.counters["workspace_bytes"] = C(static_cast<double>(ws_bytes));
        state.counters["window"] = C(static_cast<double>(b.p.kh * b.p.kw));
        state.counters["threads"] = C(static_cast<double>(b.threads));
        state.counters["GOPS"] = C(model_ops * iters / seconds * 1e-9);
        state.counters["GBps"] = C(bytes * iters / seconds * 1e-9);
        state.counters["ns_per_model_op"] = C(seconds * 1e9 / (model_ops * iters));
    }
    if (b.impl->release != nullptr)
        b.impl->release(ctx.state);
}

void usage()
{
    std::printf(
        "usage: poolbench run [--preset P] [--case CASE]... [--impl NAME[,NAME]] [--layout nchw|nhwc]\n"
        "                     [--threads T] [--out-dir DIR] [Google Benchmark flags]\n\n"
        "Times every implementation (or NAME) on every case of the preset in both layouts (or one),\n"
        "each validated against naive before it is timed, and writes Google Benchmark JSON to\n"
        "DIR/<machine>/<UTC stamp>/run.json (default DIR: results) unless --benchmark_out is given.\n\n"
        "  --preset P      %s (default quick)\n"
        "  --case CASE     benchdnn-style case, e.g. mb1ic64ih112kh3sh2ph1_max (repeatable, comma-separated);\n"
        "                  replaces the preset's cases (the threads preset still runs them at its\n"
        "                  thread counts)\n"
        "  --impl NAMES    comma-separated implementations (default: all that this machine can run)\n"
        "  --layout L      nchw or nhwc (default both)\n"
        "  --threads T     threads for the threaded implementations (openmp, team, onednn; default\n"
        "                  OMP_NUM_THREADS, else 1,\n"
        "                  so every implementation is compared single-threaded);\n"
        "                  the threads preset runs 1, 2, 4, ... and all cores instead (those the\n"
        "                  process may run on: under taskset -c 0-5, 1, 2, 4 and 6 threads)\n"
        "  --out-dir DIR   where results go (default results)\n"
        "  --triad         time the roofs among the benchmarks (the triads, probe/stream_triad..., and\n"
        "                  each case's plain pass, probe/plain_pass/CASE), as a run does by itself when a\n"
        "                  case leaves the last-level cache (a --benchmark_filter keeps them only if it\n"
        "                  matches them too: add |^probe)\n"
        "Google Benchmark's own flags pass through: --benchmark_filter=REGEX, --benchmark_repetitions=N,\n"
        "--benchmark_min_time=SECONDS, --benchmark_out=FILE --benchmark_out_format=json, ...\n"
        "For ratios on a noisy machine: --benchmark_enable_random_interleaving=true\n"
        "--benchmark_repetitions=9 --benchmark_min_time=0.1 (each implementation's repetitions alternate with\n"
        "the others', so a slow spell hits all of them). Interleaved, every case's input stays in memory;\n"
        "past a quarter of it (networks: about 5.5 GB) cases are rebuilt, naive and all, and the run slows.\n"
        "Counters per call: model_ops (N*C*oh*ow*kh*kw), impl_ops, bytes (input + output + workspace),\n"
        "workspace_bytes, window, threads; rates GOPS (model_ops/s), GBps, ns_per_model_op; PAPI counters\n"
        "where the machine has them.\n",
        pb_preset_names());
}

void split_commas(const char *s, std::vector<std::string> &out)
{
    std::string cur;
    for (const char *c = s;; ++c) {
        if (*c == ',' || *c == '\0') {
            if (!cur.empty())
                out.push_back(cur);
            cur.clear();
            if (*c == '\0')
                break;
        } else {
            cur += *c;
        }
    }
}

// Our flags are consumed; Google Benchmark's are kept for benchmark::Initialize.
int parse_options(int argc, char **argv, RunOptions &o, std::vector<char *> &gb_args)
{
    gb_args.push_back(argv[0]);
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char *flag) -> const char * {
            std::string f = flag;
            if (a.rfind(f + "=", 0) == 0)
                return argv[i] + f.size() + 1;
            if (a == f && i + 1 < argc)
                return argv[++i];
            return nullptr;
        };
        // A Google Benchmark boolean flag given as on: bare, =true or =1.
        auto switched_on = [&](const std::string &flag) { return a == flag || a == flag + "=true" || a == flag + "=1"; };
        const char *v;
        if (a == "--help" || a == "-h") {
            usage();
            return -1;
        } else if (a.rfind("--benchmark_", 0) == 0) {
            o.user_out |= a.rfind("--benchmark_out=", 0) == 0;
            o.user_min_time |= a.rfind("--benchmark_min_time", 0) == 0;
            o.list_only |= switched_on("--benchmark_list_tests");
            if (a.rfind("--benchmark_enable_random_interleaving", 0) == 0)
                o.interleaved = switched_on("--benchmark_enable_random_interleaving");
            gb_args.push_back(argv[i]);
        } else if ((v = value("--preset"))) {
            o.preset = v;
        } else if ((v = value("--case"))) {
            split_commas(v, o.cases);
        } else if ((v = value("--impl"))) {
            split_commas(v, o.impls);
        } else if ((v = value("--layout"))) {
            o.layout = pb_layout_from_name(v);
            if (o.layout == PB_LAYOUT_COUNT) {
                pb_cli_error("unknown layout '%s': expected nchw or nhwc", v);
                return PB_EXIT_USAGE;
            }
        } else if ((v = value("--threads"))) {
            int64_t t;
            if (!pb_parse_int(v, &t) || t < 1 || t > 4096) {
                pb_cli_error("bad --threads '%s': expected 1 to 4096", v);
                return PB_EXIT_USAGE;
            }
            o.threads = static_cast<int>(t);
        } else if ((v = value("--out-dir"))) {
            o.out_dir = v;
        } else if (a == "--triad") {
            o.triad = true;
        } else {
            pb_cli_error("unknown option '%s' (see poolbench run --help)", argv[i]);
            return PB_EXIT_USAGE;
        }
    }
    return 0;
}

// Google Benchmark indents its JSON and writes each real with 17 digits; a run
// of the threads preset is then over 6 MB, most of it spaces and digits below
// the timer's resolution. Dropping the whitespace between tokens and writing a
// real with 10 significant digits (a part in 1e10, where repetitions differ by
// a part in 1e3) keeps every value a reader can use, integers and bare NaN
// (which a JSON library would refuse) as written.
bool write_compact_json(const std::string &from, const std::string &to)
{
    FILE *in = std::fopen(from.c_str(), "r");
    if (in == nullptr)
        return false;
    FILE *out = std::fopen(to.c_str(), "w");
    if (out == nullptr) {
        std::fclose(in);
        return false;
    }
    bool in_string = false, escaped = false;
    for (int c; (c = std::fgetc(in)) != EOF;) {
        if (in_string) {
            in_string = escaped || c != '"';
            escaped = !escaped && c == '\\';
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            continue;
        } else if (c == '-' || (c >= '0' && c <= '9')) {
            std::string number(1, static_cast<char>(c));
            while ((c = std::fgetc(in)) != EOF && std::strchr("0123456789+-.eE", c) != nullptr)
                number += static_cast<char>(c);
            if (c != EOF)
                std::ungetc(c, in);
            if (number.find_first_of(".eE") == std::string::npos)
                std::fputs(number.c_str(), out);
            else
                std::fprintf(out, "%.10g", std::strtod(number.c_str(), nullptr));
            continue;
        } else {
            in_string = c == '"';
        }
        std::fputc(c, out);
    }
    std::fputc('\n', out);
    const bool read_ok = !std::ferror(in);
    std::fclose(in);
    return std::fclose(out) == 0 && read_ok;
}

std::string fmt(double v)
{
    char b[64];
    std::snprintf(b, sizeof b, "%.4g", v);
    return b;
}

// threads: the run's default team; most_threads: the largest any benchmark
// uses (all cores in the threads preset), for the all-threads triad.
void add_machine_context(const RunOptions &o, int threads, int most_threads)
{
    const pb_topology *t = pb_topology_get();
    using benchmark::AddCustomContext;
    AddCustomContext("poolbench_version", POOLBENCH_VERSION);
    AddCustomContext("git_revision", POOLBENCH_GIT_REVISION);
#if defined(__clang__)
    AddCustomContext("compiler", std::string("clang ") + __clang_version__);
#elif defined(__GNUC__)
    AddCustomContext("compiler", std::string("gcc ") + __VERSION__);
#endif
    AddCustomContext("compile_flags", POOLBENCH_COMPILE_FLAGS);
    AddCustomContext("build_type", POOLBENCH_BUILD_TYPE);
    // --case keeps only the threads preset's thread counts (see pb_cmd_run).
    AddCustomContext("preset", o.cases.empty()                           ? o.preset
                               : pb_preset_is_threads(o.preset.c_str()) ? "threads, custom cases"
                                                                         : "custom");
    AddCustomContext("threads", std::to_string(threads));
    AddCustomContext("repetitions", o.interleaved ? "randomly interleaved" : "one benchmark's after another");
    AddCustomContext("papi", pb_papi_get()->status);
    AddCustomContext("onednn", pb_impl_find("onednn") ? pb_onednn_version() : "not built");
    AddCustomContext("openmp_runtime", pb_openmp_runtime());
    AddCustomContext("machine", t->machine);
    AddCustomContext("cpu_model", t->cpu_model);
    AddCustomContext("packages", std::to_string(t->packages));
    AddCustomContext("cores", std::to_string(t->cores));
    AddCustomContext("usable_cores", std::to_string(pb_core_count()));
    AddCustomContext("pus", std::to_string(t->pus));
    AddCustomContext("numa_nodes", std::to_string(t->numa_nodes));
    AddCustomContext("memory_placement", pb_memory_binding_available()
                                             ? "each thread's share of a case or triad on its core's NUMA node"
                                             : "where first touched (binding memory is refused or not possible here)");
    AddCustomContext("l1d_bytes", std::to_string(t->l1d_bytes));
    AddCustomContext("l2_bytes", std::to_string(t->l2_bytes));
    AddCustomContext("l3_bytes", std::to_string(t->l3_bytes));
    AddCustomContext("memory_bytes", std::to_string(t->memory_bytes));
    AddCustomContext("simd_isa", pb_simd_isa());
    AddCustomContext("stream_output_bytes", std::to_string(pb_simd_stream_output_bytes()));
    std::fprintf(stderr, "poolbench: probing bandwidth and peak throughput...\n");
    // Half of L1d and L2; the L3 as the triad finds it; the LLC-escaping size for DRAM.
    const int64_t sizes[] = {t->l1d_bytes / 2, t->l2_bytes / 2};
    const char *keys[] = {"stream_l1_GBps", "stream_l2_GBps"};
    for (int i = 0; i < 2; ++i)
        if (sizes[i] > 0)
            AddCustomContext(keys[i], fmt(pb_stream_triad_GBps(sizes[i], 1, false)));
    const pb_l3_probe *l3 = pb_l3_probe_get();
    if (l3->bytes > 0) {
        AddCustomContext("stream_l3_GBps", fmt(l3->GBps));
        AddCustomContext("l3_measured_bytes", std::to_string(l3->bytes));
        AddCustomContext("stream_l3_ladder", l3->ladder);
    }
    AddCustomContext("stream_dram_GBps", fmt(pb_dram_triad_GBps()));
    if (most_threads > 1)
        AddCustomContext("stream_dram_GBps_all_threads",
                         fmt(pb_stream_triad_GBps(pb_llc_escape_bytes(), most_threads, false)));
    // The DRAM roof of a kernel that writes around the caches: the plain
    // triad also reads its output array in (write-allocate), which STREAM's
    // bytes leave uncounted.
    if (pb_simd_streaming_stores_available()) {
        AddCustomContext("stream_dram_nt_GBps", fmt(pb_stream_triad_GBps(pb_llc_escape_bytes(), 1, true)));
        if (most_threads > 1)
            AddCustomContext("stream_dram_nt_GBps_all_threads",
                             fmt(pb_stream_triad_GBps(pb_llc_escape_bytes(), most_threads, true)));
    }
    AddCustomContext("peak_max_GOPS", fmt(pb_peak_max_GOPS()));
    for (size_t i = 0; i < pb_impl_count() && most_threads > 1; ++i)
        if (pb_impl_at(i)->empty_calls != nullptr)
            AddCustomContext(std::string(pb_impl_at(i)->name) + "_region_us",
                             fmt(pb_impl_region_us(pb_impl_at(i), most_threads)));
    AddCustomContext("bytes_rule", "bytes = input + output + workspace, each counted once per call");
}

// The implementations to run: --impl's, or every one this machine can run.
// 0, or the exit code of a name that is unknown or cannot run here.
int select_impls(const RunOptions &o, std::vector<const pb_impl *> &impls)
{
    if (o.impls.empty()) {
        for (size_t i = 0; i < pb_impl_count(); ++i)
            if (pb_impl_available(pb_impl_at(i)))
                impls.push_back(pb_impl_at(i));
        return 0;
    }
    for (const std::string &name : o.impls) {
        const pb_impl *impl = pb_cli_find_impl(name.c_str());
        if (impl == nullptr)
            return PB_EXIT_USAGE;
        if (!pb_impl_available(impl)) {
            pb_cli_error("%s cannot run on this machine", name.c_str());
            return PB_EXIT_UNSUPPORTED;
        }
        impls.push_back(impl);
    }
    return 0;
}

// The cases: --case's, or the preset's. Their count, or -1 after saying why.
int select_cases(const RunOptions &o, pb_params *cases)
{
    char err[256];
    if (o.cases.empty()) {
        const int n = pb_preset_cases(o.preset.c_str(), cases, PB_PRESET_MAX_CASES, err, sizeof err);
        if (n < 0)
            pb_cli_error("%s", err);
        return n;
    }
    int n = 0;
    for (const std::string &c : o.cases) {
        if (n == PB_PRESET_MAX_CASES || pb_case_parse(c.c_str(), &cases[n], err, sizeof err) != 0) {
            pb_cli_error("%s", n == PB_PRESET_MAX_CASES ? "too many cases" : err);
            return -1;
        }
        ++n;
    }
    return n;
}

// Where a run's JSON goes: run.json in the run's own results directory, which
// Google Benchmark writes to a hidden file beside until the run has passed
// (see publish_json).
struct ResultsDir {
    std::string dir, tmp_json, final_json, out_flag;
};

int make_results_dir(const RunOptions &o, ResultsDir &r)
{
    char dir[PATH_MAX], err[PATH_MAX + 128];
    if (pb_results_dir_make(o.out_dir.c_str(), pb_topology_get()->machine, "", dir, sizeof dir, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return PB_EXIT_USAGE;
    }
    r.dir = dir;
    r.final_json = r.dir + "/run.json";
    r.tmp_json = r.dir + "/.run.json.tmp";
    r.out_flag = "--benchmark_out=" + r.tmp_json;
    return 0;
}

// Drops the hidden file and the directory: the run left nothing.
void discard_results(const ResultsDir &r)
{
    unlink(r.tmp_json.c_str());
    rmdir(r.dir.c_str());
}

// The passed run's JSON, compacted, renamed into place. False after saying why.
bool publish_json(const ResultsDir &r)
{
    const std::string compact_json = r.tmp_json + ".compact";
    const bool written =
        write_compact_json(r.tmp_json, compact_json) && std::rename(compact_json.c_str(), r.final_json.c_str()) == 0;
    const int why = errno;
    if (!written) {
        unlink(compact_json.c_str());
        discard_results(r);
        pb_cli_error("cannot write %s: %s", r.final_json.c_str(), std::strerror(why));
        return false;
    }
    unlink(r.tmp_json.c_str());
    return true;
}

// Registers a benchmark per case, layout, implementation and thread count
// (one-thread implementations once); returns how many, and the largest
// case's input + output bytes in *most_bytes.
size_t register_cases(const RunOptions &o, const pb_params *cases, int n_cases,
                      const std::vector<const pb_impl *> &impls, const std::vector<int> &thread_counts,
                      int64_t *most_bytes)
{
    size_t registered = 0;
    *most_bytes = 0;
    for (int ci = 0; ci < n_cases; ++ci)
        for (int layout = 0; layout < PB_LAYOUT_COUNT; ++layout) {
            if (o.layout >= 0 && layout != o.layout)
                continue;
            pb_params p = cases[ci];
            p.layout = static_cast<pb_layout>(layout);
            char case_name[160];
            pb_case_format(&p, case_name, sizeof case_name);
            std::string key = std::string(pb_layout_name(p.layout)) + "/" + case_name;
            const int64_t bytes = (pb_input_elems(&p) + pb_output_elems(&p)) * static_cast<int64_t>(sizeof(float));
            *most_bytes = bytes > *most_bytes ? bytes : *most_bytes;
            for (const pb_impl *impl : impls) {
                const char *why = pb_impl_refusal(impl, &p);
                if (why != nullptr) {
                    std::fprintf(stderr, "poolbench: skipped %s/%s: %s\n", impl->name, key.c_str(), why);
                    continue;
                }
                for (int t : thread_counts) {
                    if (!impl->threaded && t != thread_counts.front())
                        continue;
                    std::string name = std::string(impl->name) + "/" + key;
                    if (thread_counts.size() > 1)
                        name += "/threads:" + std::to_string(impl->threaded ? t : 1);
                    Bench b{impl, p, impl->threaded ? t : 1, key};
                    benchmark::RegisterBenchmark(name.c_str(), [b](benchmark::State &s) { run_benchmark(s, b); })
                        ->Unit(benchmark::kMicrosecond);
                    ++registered;
                }
            }
        }
    return registered;
}

}  // namespace

extern "C" int pb_cmd_run(int argc, char **argv)
{
    RunOptions o;
    std::vector<char *> gb_args;
    int rc = parse_options(argc, argv, o, gb_args);
    if (rc != 0)
        return rc < 0 ? PB_EXIT_OK : rc;
    std::vector<const pb_impl *> impls;
    if ((rc = select_impls(o, impls)) != 0)
        return rc;
    pb_params cases[PB_PRESET_MAX_CASES];
    const int n_cases = select_cases(o, cases);
    if (n_cases < 0)
        return PB_EXIT_USAGE;
    // One thread unless asked: the single-thread kernels and oneDNN then
    // compare at equal footing; the threads preset scales 1, 2, 4, ... and all
    // cores, its own cases or those of --case.
    const char *omp_env = std::getenv("OMP_NUM_THREADS");
    const int threads = o.threads > 0 ? o.threads : omp_env && std::atoi(omp_env) > 0 ? std::atoi(omp_env) : 1;
    std::vector<int> thread_counts;
    if (pb_preset_is_threads(o.preset.c_str())) {
        int counts[PB_THREAD_COUNTS_MAX];
        thread_counts.assign(counts, counts + pb_preset_thread_counts(pb_core_count(), counts));
    } else {
        thread_counts.push_back(threads);
    }

    // Results directory, unless the user chose --benchmark_out or only lists.
    ResultsDir results;
    if (!o.user_out && !o.list_only) {
        if ((rc = make_results_dir(o, results)) != 0)
            return rc;
        gb_args.push_back(const_cast<char *>(results.out_flag.c_str()));
        gb_args.push_back(const_cast<char *>("--benchmark_out_format=json"));
    }
    static char quick_min_time[] = "--benchmark_min_time=0.05";
    if (!o.user_min_time && o.preset == "quick" && o.cases.empty())
        gb_args.push_back(quick_min_time);
    int gb_argc = static_cast<int>(gb_args.size());
    gb_args.push_back(nullptr);
    benchmark::Initialize(&gb_argc, gb_args.data());
    if (benchmark::ReportUnrecognizedArguments(gb_argc, gb_args.data()))
        return PB_EXIT_USAGE;

    int64_t most_bytes;
    size_t registered = register_cases(o, cases, n_cases, impls, thread_counts, &most_bytes);
    if (registered > 0 && (o.triad || pb_exceeds_l3(most_bytes)))
        registered += pb_run::register_triad_probes(thread_counts) + pb_run::register_plain_pass_probes(cases, n_cases);
    for (const pb_impl *impl : impls)
        if (registered > 0 && thread_counts.size() > 1 && impl->empty_calls != nullptr) {
            pb_run::register_region_probe(impl, thread_counts.back());
            ++registered;
        }
    if (o.list_only) {
        const size_t listed = benchmark::RunSpecifiedBenchmarks();
        benchmark::Shutdown();
        if (listed == 0)
            pb_cli_error("no benchmark matched");
        return listed > 0 ? PB_EXIT_OK : PB_EXIT_FAILURE;
    }
    // The one-thread benchmarks and probes run where the threaded families'
    // calling thread does, from the first benchmark on.
    pb_bind_thread_to_core(0);
    add_machine_context(o, threads, *std::max_element(thread_counts.begin(), thread_counts.end()));
    pb_run::ProgressReporter reporter(registered);
    size_t ran = benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    g_cases.clear();
    pb_run::release_probes();
    if (pb_run::validation_failed || ran == 0) {
        if (!results.tmp_json.empty())
            discard_results(results);
        pb_cli_error("%s", pb_run::validation_failed ? "validation failed: no results were written"
                                               : "no benchmark matched: nothing was written");
        return PB_EXIT_FAILURE;
    }
    if (!results.tmp_json.empty() && !publish_json(results))
        return PB_EXIT_FAILURE;
    reporter.PrintTable();
    if (!results.final_json.empty())
        std::printf("\nresults: %s\n", results.final_json.c_str());
    return PB_EXIT_OK;
}
