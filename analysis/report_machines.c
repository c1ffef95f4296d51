/* Runs of different machines side by side: what each machine is, every
 * benchmark they share as a speed ratio against the first run, and the
 * geometric mean of those ratios per implementation. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
#include "report.h"
#include "stats.h"

typedef struct {
    const char *label, *key;
    bool bytes;
} machine_row;

static const machine_row rows[] = {
    {"CPU", "cpu_model", false},          {"packages", "packages", false},
    {"cores", "cores", false},            {"cores the run could use", "usable_cores", false},
    {"hardware threads", "pus", false},
    {"NUMA nodes", "numa_nodes", false},  {"L1d", "l1d_bytes", true},
    {"L2", "l2_bytes", true},             {"L3", "l3_bytes", true},
    {"L3 as the triad found it", "l3_measured_bytes", true},
    {"memory", "memory_bytes", true},     {"memory placement", "memory_placement", false},
    {"SIMD", "simd_isa", false},
    {"L1 GB/s", "stream_l1_GBps", false}, {"L2 GB/s", "stream_l2_GBps", false},
    {"L3 GB/s", "stream_l3_GBps", false}, {"DRAM GB/s", "stream_dram_GBps", false},
    {"DRAM GB/s, all threads", "stream_dram_GBps_all_threads", false},
    {"DRAM GB/s, streaming stores", "stream_dram_nt_GBps", false},
    {"DRAM GB/s, streaming stores, all threads", "stream_dram_nt_GBps_all_threads", false},
    {"peak max/compare G/s", "peak_max_GOPS", false},
    {"empty OpenMP region, all threads (us)", "openmp_region_us", false},
    {"empty team hand-over, all threads (us)", "team_region_us", false},
    {"threads", "threads", false},        {"compiler", "compiler", false},
    {"flags", "compile_flags", false},    {"git", "git_revision", false},
    {"preset", "preset", false},          {"PAPI", "papi", false},
    {"oneDNN", "onednn", false},          {"date", "date", false},
};

static void machines_table(FILE *md, const pb_run *runs, int n)
{
    fprintf(md, "| |");
    for (int i = 0; i < n; ++i)
        fprintf(md, " %c: %s |", 'A' + i, pb_run_machine(&runs[i]));
    fprintf(md, "\n|---|");
    for (int i = 0; i < n; ++i)
        fprintf(md, "---|");
    fprintf(md, "\n| run |");
    for (int i = 0; i < n; ++i)
        fprintf(md, " `%s` |", runs[i].path);
    fputc('\n', md);
    for (size_t k = 0; k < sizeof rows / sizeof rows[0]; ++k) {
        fprintf(md, "| %s |", rows[k].label);
        for (int i = 0; i < n; ++i) {
            const char *v = pb_run_ctx_str(&runs[i], rows[k].key);
            char b[32];
            if (v && rows[k].bytes) {
                pb_fmt_bytes(pb_run_ctx_num(&runs[i], rows[k].key), b, sizeof b);
                v = b;
            }
            fprintf(md, " %s |", v ? v + strspn(v, " ") : "-");
        }
        fputc('\n', md);
    }
}

/* "B:machine": a series name without spaces that stays unique when two runs come from one machine. */
static void run_series(const pb_run *runs, int i, char *buf, size_t len)
{
    snprintf(buf, len, "%c:%s", 'A' + i, pb_run_machine(&runs[i]));
    for (char *c = buf; *c; ++c)
        if (*c == ' ')
            *c = '_';
}

/* Speed of run i relative to run 0 on benchmark b of run 0: time_A / time_i, NAN when i lacks it. */
static double speed_vs_first(const pb_run *runs, int i, const pb_bench *b)
{
    const pb_bench *o = pb_run_find(&runs[i], b->name);
    return o && o->time_ns > 0 && b->time_ns > 0 ? b->time_ns / o->time_ns : NAN;
}

static bool in_all(const pb_run *runs, int n, const pb_bench *b)
{
    for (int i = 1; i < n; ++i)
        if (isnan(speed_vs_first(runs, i, b)))
            return false;
    return true;
}

static void per_case(FILE *md, const pb_run *runs, int n, int *shared)
{
    fprintf(md, "\n## Per benchmark\n\nMedian time per call on each machine and its speed against A (A's time "
                "over its time: above 1, faster than A), for every benchmark all runs share.\n\n| benchmark | A |");
    for (int i = 1; i < n; ++i)
        fprintf(md, " %c | %c vs A |", 'A' + i, 'A' + i);
    fprintf(md, "\n|---|---|");
    for (int i = 1; i < n; ++i)
        fprintf(md, "---|---|");
    fputc('\n', md);
    *shared = 0;
    for (size_t k = 0; k < runs[0].n_bench; ++k) {
        const pb_bench *b = &runs[0].bench[k];
        if (!in_all(runs, n, b))
            continue;
        ++*shared;
        char t[32];
        pb_fmt_time(b->time_ns, t, sizeof t);
        fprintf(md, "| %s | %s |", b->name, t);
        for (int i = 1; i < n; ++i) {
            pb_fmt_time(pb_run_find(&runs[i], b->name)->time_ns, t, sizeof t);
            fprintf(md, " %s | %.2f |", t, speed_vs_first(runs, i, b));
        }
        fputc('\n', md);
    }
}

static void geomeans(FILE *md, const pb_run *runs, int n, pb_plot *pl, bool plotting)
{
    fprintf(md, "\n## Geometric mean per implementation\n\nGeometric mean over the shared benchmarks of each "
                "implementation of the speed against A:\n\n| implementation | benchmarks |");
    for (int i = 1; i < n; ++i)
        fprintf(md, " %c vs A |", 'A' + i);
    fprintf(md, "\n|---|---|");
    for (int i = 1; i < n; ++i)
        fprintf(md, "---|");
    fputc('\n', md);
    char impls[2048] = "", impl[64];
    for (size_t k = 0; k < runs[0].n_bench; ++k)
        if (in_all(runs, n, &runs[0].bench[k]))
            pb_word_add(impls, sizeof impls, runs[0].bench[k].impl);
    double *v = malloc(runs[0].n_bench * sizeof *v);
    int x = 0;
    for (const char *w = impls; v && (w = pb_word_next(w, impl, sizeof impl)); ++x) {
        size_t count = 0;
        for (size_t k = 0; k < runs[0].n_bench; ++k)
            count += strcmp(runs[0].bench[k].impl, impl) == 0 && in_all(runs, n, &runs[0].bench[k]);
        fprintf(md, "| %s | %zu |", impl, count);
        if (plotting)
            pb_plot_tick(pl, 1, x, impl);
        for (int i = 1; i < n; ++i) {
            size_t m = 0;
            for (size_t k = 0; k < runs[0].n_bench; ++k) {
                const pb_bench *b = &runs[0].bench[k];
                if (strcmp(b->impl, impl) == 0 && in_all(runs, n, b))
                    v[m++] = speed_vs_first(runs, i, b);
            }
            double g = pb_geomean(v, m);
            fprintf(md, " %.2f |", g);
            char s[160];
            run_series(runs, i, s, sizeof s);
            if (plotting)
                pb_plot_row(pl, "geomean,%s,%d,%.17g,%s", s, x, g, impl);
        }
        fputc('\n', md);
    }
    free(v);
}

/* Per-case speed ratios: a panel per other machine and layout, a point per implementation. */
static void ratio_plot(pb_report *r, const pb_run *runs, int n)
{
    pb_plot pl;
    char err[PATH_MAX + 128];
    if (pb_plot_begin(&pl, r->dir, "machines_per_case", "panel,series,x,y,label", err, sizeof err) != 0) {
        pb_report_skip(r, "machines_per_case", "%s", err);
        return;
    }
    char panels[1024] = "", series[2048] = "", cases[8192] = "", var[48];
    int panel = 0;
    for (int i = 1; i < n && panel < 8; ++i) {
        for (int li = 0; li < 2 && panel < 8; ++li) {
            const char *layout = li ? "nhwc" : "nchw";
            char pseries[2048] = "", key[200], s[160];
            cases[0] = '\0';
            for (size_t k = 0; k < runs[0].n_bench; ++k) {
                const pb_bench *b = &runs[0].bench[k];
                if (strcmp(b->layout, layout) == 0 && in_all(runs, n, b))
                    pb_word_add(cases, sizeof cases, pb_bench_case(b));
            }
            if (!cases[0])
                continue;
            run_series(runs, i, s, sizeof s);
            snprintf(key, sizeof key, "%s_%s", s, layout);
            pb_word_add(panels, sizeof panels, key);
            ++panel;
            for (size_t k = 0; k < runs[0].n_bench; ++k) {
                const pb_bench *b = &runs[0].bench[k];
                if (strcmp(b->layout, layout) != 0 || !in_all(runs, n, b))
                    continue;
                pb_plot_row(&pl, "%s,%s,%d,%.17g,%s", key, b->impl, pb_word_index(cases, pb_bench_case(b)),
                            speed_vs_first(runs, i, b), pb_bench_case(b));
                pb_word_add(pseries, sizeof pseries, b->impl);
                pb_word_add(series, sizeof series, b->impl);
            }
            char c[160];
            int tick = 0;
            for (const char *w = cases; (w = pb_word_next(w, c, sizeof c)); ++tick)
                for (size_t k = 0; k < runs[0].n_bench; ++k)
                    if (strcmp(pb_bench_case(&runs[0].bench[k]), c) == 0) {
                        char label[160];
                        pb_case_label(&runs[0].bench[k], label, sizeof label);
                        pb_plot_tick(&pl, panel, tick, label);
                        break;
                    }
            snprintf(var, sizeof var, "pseries_%d", panel);
            pb_plot_str(&pl, var, "%s", pseries);
            snprintf(var, sizeof var, "ptitle_%d", panel);
            pb_plot_str(&pl, var, "%c (%s) against A (%s), %s", 'A' + i, pb_run_machine(&runs[i]),
                        pb_run_machine(&runs[0]), layout);
        }
    }
    pb_plot_str(&pl, "panels", "%s", panels);
    pb_plot_str(&pl, "series", "%s", series);
    pb_plot_categorical(&pl);
    pb_plot_num(&pl, "hline", 1);
    pb_plot_str(&pl, "title", "Speed per case against A (%s)", r->machine_title);
    pb_plot_str(&pl, "ylabel", "speed vs A (A's time / this time)");
    pb_report_plot(r, &pl, "lines.gp", "Speed of each machine against A on every shared benchmark (above 1: faster)");
}

int pb_report_machines(pb_run *runs, int n, const char *dir)
{
    pb_report r;
    memset(&r, 0, sizeof r);
    r.run = &runs[0];
    const char *cpu = pb_run_ctx_str(&runs[0], "cpu_model");
    snprintf(r.machine_title, sizeof r.machine_title, "A = %s", cpu ? cpu : pb_run_machine(&runs[0]));
    pb_atomic_file af;
    if (pb_report_open(&r, dir, &af) != 0)
        return PB_EXIT_USAGE;
    fprintf(r.md, "# poolbench: %d machines side by side\n\n", n);
    machines_table(r.md, runs, n);
    int shared;
    per_case(r.md, runs, n, &shared);
    if (shared == 0) {
        pb_atomic_abort(&af);
        pb_cli_error("the runs share no benchmark name: nothing to compare");
        return PB_EXIT_USAGE;
    }
    pb_plot pl;
    char err[PATH_MAX + 128];
    bool plotting = pb_plot_begin(&pl, dir, "machines_geomean", "panel,series,x,y,label", err, sizeof err) == 0;
    if (!plotting)
        pb_report_skip(&r, "machines_geomean", "%s", err);
    geomeans(r.md, runs, n, &pl, plotting);
    if (plotting) {
        char series[2048] = "", s[160];
        for (int i = 1; i < n; ++i) {
            run_series(runs, i, s, sizeof s);
            pb_word_add(series, sizeof series, s);
        }
        pb_plot_str(&pl, "panels", "geomean");
        pb_plot_str(&pl, "ptitle_1", "geometric mean over shared benchmarks");
        pb_plot_str(&pl, "series", "%s", series);
        pb_plot_categorical(&pl);
        pb_plot_num(&pl, "hline", 1);
        pb_plot_str(&pl, "title", "Speed per implementation against A (%s)", r.machine_title);
        pb_plot_str(&pl, "ylabel", "speed vs A (geometric mean)");
        pb_report_plot(&r, &pl, "lines.gp", "Geometric-mean speed of each implementation against A");
    }
    ratio_plot(&r, runs, n);
    if (r.skipped[0])
        fprintf(r.md, "\n## Plots not drawn\n\n%s", r.skipped);
    if (pb_report_commit(&af) != 0)
        return PB_EXIT_FAILURE;
    return r.failures ? PB_EXIT_FAILURE : PB_EXIT_OK;
}
