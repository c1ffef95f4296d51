/* A run.json of `poolbench run` (Google Benchmark JSON plus poolbench's
 * counters and context; see README "Results") read into one entry per
 * benchmark with every repetition's time, and the callgrind.json beside it
 * when there is one. */
#ifndef POOLBENCH_ANALYSIS_RUN_JSON_H
#define POOLBENCH_ANALYSIS_RUN_JSON_H
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "poolbench/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PAPI counters the harness may record, per pooling call. */
#define PB_PAPI_COUNTERS(X)                                                                                          \
    X(cycles) X(instructions) X(l1d_misses) X(l2_misses) X(l3_misses) X(fp_ops)
enum {
#define PB_PAPI_ENUM(n) PB_PAPI_##n,
    PB_PAPI_COUNTERS(PB_PAPI_ENUM) PB_PAPI_N
#undef PB_PAPI_ENUM
};
extern const char *const pb_papi_counter_names[PB_PAPI_N]; /* "cycles", ... (JSON key without "papi_") */

typedef struct {
    char *name;                  /* IMPL/LAYOUT/CASE[/threads:T], Google Benchmark's run_name */
    char impl[64], layout[16], case_name[160];
    int name_threads;            /* T of a "/threads:T" suffix (the threads preset), 0 without */
    bool has_params;             /* case_name parsed (pb_case_parse) */
    pb_params params;            /* with layout from the name */
    double *real_ns, *cpu_ns;    /* per repetition, nanoseconds per call */
    size_t n_reps;
    bool from_aggregate;         /* no per-repetition entries: one sample from the median aggregate */
    double time_ns;              /* median of real_ns */
    /* Counters per call; NAN when the run has none. */
    double model_ops, impl_ops, bytes, workspace_bytes, window, threads;
    double papi[PB_PAPI_N];
    /* From callgrind.json; NAN when absent. */
    double cg_instructions, cg_d1_misses, cg_ll_misses;
} pb_bench;

/* One benchmark of callgrind.json (deterministic counts per call). */
typedef struct {
    char *name;
    double model_ops, instructions, d1_misses, ll_misses;
} pb_cg_entry;

/* How the names of the run's benchmarks of the machine (pb_run.probe) begin. */
#define PB_PROBE_PREFIX "probe/"

typedef struct {
    char path[PATH_MAX];
    void *root;                  /* json_t *, owned */
    void *context;               /* json_t * inside root, may be NULL */
    pb_bench *bench;
    size_t n_bench;
    /* The run's own benchmarks of the machine, named PB_PROBE_PREFIX "WHAT/LEVEL/threads:T"
     * (the DRAM triad: bytes as STREAM counts them), kept apart from bench. */
    pb_bench *probe;
    size_t n_probe;
    bool has_callgrind;
    char callgrind_path[PATH_MAX];
    pb_cg_entry *cg;
    size_t n_cg;
} pb_run;

/* 0, or -1 with one line in err: missing file, bad JSON (with line and
 * column), or JSON that is not Google Benchmark output. A callgrind.json in
 * the same directory is attached when present; a broken one is an error too. */
int pb_run_load(const char *path, pb_run *run, char *err, size_t errlen);
void pb_run_free(pb_run *run);

/* Context values as the harness writes them (strings, some numeric). */
const char *pb_run_ctx_str(const pb_run *run, const char *key); /* NULL when absent */
double pb_run_ctx_num(const pb_run *run, const char *key);      /* NAN when absent or not a number */
/* The machine's short name, or "unknown machine". */
const char *pb_run_machine(const pb_run *run);

const pb_bench *pb_run_find(const pb_run *run, const char *name);
/* b's implementation, layout and case at `threads` ("/threads:T", 0 for none), or NULL. */
const pb_bench *pb_run_find_at(const pb_run *run, const pb_bench *b, int threads);
/* The probe "probe/WHAT/WHERE/threads:T" (WHERE a cache level, or a case for
 * plain_pass), or NULL; by its whole name. */
const pb_bench *pb_run_probe(const pb_run *run, const char *what, const char *where, int threads);
const pb_bench *pb_run_find_probe(const pb_run *run, const char *name);
/* A triad probe's GB/s over its median: bytes per pass over time per pass;
 * 0 for NULL or a probe without either. */
double pb_probe_GBps(const pb_bench *probe);
/* The largest T of the run's "/threads:T" names, 0 without any. */
int pb_run_max_threads(const pb_run *run);

#ifdef __cplusplus
}
#endif
#endif
