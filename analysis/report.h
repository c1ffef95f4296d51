/* The pieces of `poolbench report`: one run's report is written section by
 * section into report.md, each section drawing its own plots beside it and
 * noting the plots it could not draw (and why) for the closing list. */
#ifndef POOLBENCH_ANALYSIS_REPORT_H
#define POOLBENCH_ANALYSIS_REPORT_H
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>

#include "plot.h"
#include "run_json.h"

typedef struct {
    const pb_run *run;
    char dir[PATH_MAX];
    FILE *md;
    char machine_title[256];   /* CPU model and cores: what every plot title names */
    /* The benchmarks the single-run sections use: those without a
     * "/threads:T" suffix, or the threads:1 ones of a threads-preset run. */
    const pb_bench **b;
    size_t n;
    char series[4096];         /* "impl/layout" keys, in order of appearance */
    char layouts[64];
    char skipped[8192];        /* markdown list of plots not drawn, with the reason */
    int failures;              /* plots that gnuplot failed to draw */
} pb_report;

/* Sections of a single-run report. */
void pb_report_header(pb_report *r);
void pb_report_best(pb_report *r);
void pb_report_targets(pb_report *r); /* against oneDNN per layout, NCHW against NHWC, the triad, threads */
void pb_report_cost_model(pb_report *r);
void pb_report_roofline(pb_report *r);
void pb_report_exercises(pb_report *r);
void pb_report_counters(pb_report *r);
void pb_report_shapes(pb_report *r);  /* window, working set, threads, per-case comparison */
void pb_report_time_vs_ops(pb_report *r);

/* Several runs from different machines side by side into dir/report.md. */
int pb_report_machines(pb_run *runs, int n, const char *dir);
/* Time (and instructions) of every benchmark over the runs of a history directory. */
int pb_report_history(const char *history_dir, const char *dir);

/* Sets r->dir and opens dir/report.md into r->md, to appear whole when
 * pb_report_commit renames it into place; 0, or -1 after an error line (a
 * path with no room for the file's name is refused, not cut short). */
int pb_report_open(pb_report *r, const char *dir, pb_atomic_file *af);
/* Puts report.md in place and says where; 0, or -1 after an error line. */
int pb_report_commit(pb_atomic_file *af);

/* Helpers shared by the sections. */
void pb_report_skip(pb_report *r, const char *plot, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Renders pl with script, then links it into the report under caption. */
void pb_report_plot(pb_report *r, pb_plot *pl, const char *script, const char *caption);
/* "simd-avx512/nchw" */
void pb_series_key(const pb_bench *b, char *buf, size_t len);
/* Giga model ops per second at the median time. */
double pb_bench_gops(const pb_bench *b);
bool pb_bench_softmax(const pb_bench *b);
/* Same input, window, stride, padding, dilation and ceil mode (any mode), same layout. */
bool pb_same_geometry(const pb_bench *a, const pb_bench *b);
/* A markdown-safe short case label: the case name, or the whole name when it did not parse. */
const char *pb_bench_case(const pb_bench *b);
/* A short label for plots: "c64 56x56 k3x3 s2 p1 max" (batch, dilation, ceil when not default). */
void pb_case_label(const pb_bench *b, char *buf, size_t len);
/* The plain pass of b's case in run (probe/plain_pass/CASE: its input read
 * once and its output written once, front to back), or NULL where the run
 * timed none. */
const pb_bench *pb_bench_plain_pass(const pb_run *run, const pb_bench *b);
/* The working set level a benchmark's bytes fit in: 0 L1d, 1 L2, 2 L3, 3 DRAM; -1 unknown. */
int pb_bench_level(const pb_run *run, const pb_bench *b);
/* Bytes of cache level 0..2 (L1d, L2, L3) in a run: the L3 as the run's
 * triad found it where the run measured it (l3_measured_bytes), else
 * hwloc's; NAN when the run does not say. */
double pb_run_cache_bytes(const pb_run *run, int level);
extern const char *const pb_level_names[4];
/* The STREAM-like triad of working-set level 0..3 at `threads`, with
 * streaming stores or not, GB/s, as the run's context recorded it at the
 * start (NAN where it has none: the cache levels only for one thread and
 * without streaming stores). */
double pb_run_triad_at_start(const pb_run *run, int level, int threads, bool streaming);
/* The same triad timed among the cases (the median of its repetitions)
 * where the run has that probe, else the one at the start; *probed (may be
 * NULL) says which. */
double pb_run_level_triad(const pb_run *run, int level, int threads, bool *probed);
/* A call with no work in it of threaded implementation `impl` (openmp's
 * empty region, team's empty hand-over) at `threads`, in microseconds: the
 * median of the run's probe/<impl>_region/threads:T timed among the cases
 * where it has one (*probed, may be NULL, says so), else the context's
 * <impl>_region_us from the run's start (0 where the run has neither). */
double pb_run_region_us(const pb_run *run, const char *impl, int threads, bool *probed);
/* The context's <impl>_region_us, from the run's start (0 where it has none). */
double pb_run_region_at_start_us(const pb_run *run, const char *impl);

#endif
