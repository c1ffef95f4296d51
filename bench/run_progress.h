// poolbench run's console output.
#ifndef POOLBENCH_BENCH_RUN_PROGRESS_H
#define POOLBENCH_BENCH_RUN_PROGRESS_H
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace pb_run {

// Progress on stderr and the summary table afterwards, around Google
// Benchmark's console output.
class ProgressReporter : public benchmark::ConsoleReporter {
  public:
    // Colour only on a terminal, as Google Benchmark's own default reporter does.
    explicit ProgressReporter(size_t total)
        : ConsoleReporter(isatty(STDOUT_FILENO) ? OO_ColorTabular : OO_Tabular), total_(total)
    {
    }
    void ReportRuns(const std::vector<Run> &runs) override;
    void PrintTable() const;

  private:
    size_t total_, done_ = 0;
    std::map<std::string, double> medians_, model_ops_, bytes_;
    std::map<std::string, bool> has_median_;
};

}  // namespace pb_run
#endif
