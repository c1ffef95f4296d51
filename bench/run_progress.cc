#include "run_progress.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace pb_run {

namespace {

// "IMPL/LAYOUT/CASE[/threads:T]" -> (IMPL, "LAYOUT/CASE[/threads:T]")
std::pair<std::string, std::string> split_name(const std::string &name)
{
    size_t slash = name.find('/');
    return {name.substr(0, slash), name.substr(slash + 1)};
}

}  // namespace

void ProgressReporter::ReportRuns(const std::vector<Run> &runs)
{
    ConsoleReporter::ReportRuns(runs);
    if (runs.empty())
        return;
    // With repetitions each one is reported on its own, then the
    // aggregates: a benchmark is done at its aggregates (or its only run).
    const Run &last = runs.back();
    if (last.run_type == Run::RT_Aggregate || last.repetitions <= 1 || last.error_occurred)
        std::fprintf(stderr, "[%zu/%zu] %s\n", ++done_, total_, last.run_name.str().c_str());
    for (const Run &r : runs) {
        if (r.error_occurred)
            continue;
        bool aggregate = r.run_type == Run::RT_Aggregate;
        if (aggregate && r.aggregate_name != "median")
            continue;
        std::string name = r.run_name.str();
        // A median, when there is one, wins over single repetitions.
        if (aggregate || medians_.count(name) == 0 || !has_median_[name]) {
            double seconds = r.GetAdjustedRealTime() / benchmark::GetTimeUnitMultiplier(r.time_unit);
            if (!aggregate && medians_.count(name))
                seconds = std::min(seconds, medians_[name]);  // several repetitions, no aggregates
            medians_[name] = seconds;
            has_median_[name] = aggregate;
            auto it = r.counters.find("model_ops");  // none for the probes
            if (it != r.counters.end())
                model_ops_[name] = it->second.value;
            it = r.counters.find("bytes");
            if (it != r.counters.end())
                bytes_[name] = it->second.value;
        }
    }
}

void ProgressReporter::PrintTable() const
{
    std::map<std::string, std::vector<std::string>> by_case;
    for (const auto &kv : medians_)
        by_case[split_name(kv.first).second].push_back(kv.first);
    std::printf("\n%-22s %12s %9s %9s %9s %9s   (median real time per call; x = speed-up of this over that)\n",
                "implementation", "time [us]", "GOPS", "GB/s", "x naive", "x onednn");
    for (const auto &c : by_case) {
        std::printf("%s\n", c.first.c_str());
        auto ref = [&](const char *impl) {
            auto it = medians_.find(std::string(impl) + "/" + c.first);
            return it == medians_.end() ? NAN : it->second;
        };
        double naive = ref("naive"), onednn = ref("onednn");
        for (const std::string &name : c.second) {
            double t = medians_.at(name);
            char xn[16] = "-", xo[16] = "-";
            if (!std::isnan(naive))
                std::snprintf(xn, sizeof xn, "%.2f", naive / t);
            if (!std::isnan(onednn))
                std::snprintf(xo, sizeof xo, "%.2f", onednn / t);
            char gops[16] = "-", gbps[16] = "-";
            auto ops = model_ops_.find(name);
            if (ops != model_ops_.end())
                std::snprintf(gops, sizeof gops, "%.2f", ops->second / t * 1e-9);
            auto bytes = bytes_.find(name);  // none for the region probe
            if (bytes != bytes_.end())
                std::snprintf(gbps, sizeof gbps, "%.2f", bytes->second / t * 1e-9);
            std::printf("  %-20s %12.2f %9s %9s %9s %9s\n", split_name(name).first.c_str(), t * 1e6, gops, gbps, xn,
                        xo);
        }
    }
}

}  // namespace pb_run
