/* The sections of a single run's report that read the run as a whole: the
 * machine, the fastest implementation per case, the seed's cost model tested
 * by least squares, the roofline and the counters. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "fit.h"
#include "poolbench/registry.h"
#include "report.h"
#include "stats.h"

/* A fit "holds" when every case lies within this of it: wider than the few
 * percent of run-to-run noise on a shared machine, narrower than the factor a
 * wrong cost model shows. */
#define HOLD_TOLERANCE 0.25

static const char *ctx(const pb_report *r, const char *key, const char *fallback)
{
    const char *v = pb_run_ctx_str(r->run, key);
    return v && *v ? v : fallback;
}

/* The team the all-threads probes ran with, the run's largest: the largest
 * in the benchmarks' names (the threads preset's all cores), else its one. */
static int probe_threads(const pb_report *r)
{
    const int named = pb_run_max_threads(r->run);
    return named > 1 ? named : (int)pb_run_ctx_num(r->run, "threads");
}

/* The title and the line that says what the run is. */
static void header_run(pb_report *r)
{
    FILE *md = r->md;
    size_t min_reps = SIZE_MAX, max_reps = 0;
    for (size_t i = 0; i < r->run->n_bench; ++i) {
        size_t k = r->run->bench[i].n_reps;
        min_reps = k < min_reps ? k : min_reps;
        max_reps = k > max_reps ? k : max_reps;
    }
    fprintf(md, "# poolbench report: %s\n\n", r->machine_title);
    fprintf(md, "Run `%s`: preset %s, %zu benchmarks, ", r->run->path, ctx(r, "preset", "?"), r->run->n_bench);
    if (min_reps == max_reps)
        fprintf(md, "%zu repetition%s each", min_reps, min_reps == 1 ? "" : "s");
    else
        fprintf(md, "%zu to %zu repetitions", min_reps, max_reps);
    if (pb_run_ctx_str(r->run, "repetitions"))
        fprintf(md, " (%s)", ctx(r, "repetitions", "?"));
    fprintf(md, "; every time below is the median over repetitions of the real time of one pooling call. "
                "Taken %s with poolbench %s at git %s, %s (%s, %s build).\n\n",
            ctx(r, "date", "?"), ctx(r, "poolbench_version", "?"), ctx(r, "git_revision", "?"), ctx(r, "compiler", "?"),
            ctx(r, "compile_flags", "?") + strspn(ctx(r, "compile_flags", "?"), " "), ctx(r, "build_type", "?"));
}

/* The machine table's rows on the hardware: cores, caches, memory. */
static void header_hardware(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "| CPU | %s: %s package(s), %s cores, %s hardware threads, %s NUMA node(s) |\n",
            ctx(r, "cpu_model", "?"), ctx(r, "packages", "?"), ctx(r, "cores", "?"), ctx(r, "pus", "?"),
            ctx(r, "numa_nodes", "?"));
    const char *usable = pb_run_ctx_str(r->run, "usable_cores");
    if (usable && strcmp(usable, ctx(r, "cores", "?")) != 0)
        fprintf(md, "| cores this run could use | %s (its affinity mask: taskset, numactl or a cpuset) |\n", usable);
    char l1[32], l2[32], l3[32], mem[32];
    pb_fmt_bytes(pb_run_ctx_num(r->run, "l1d_bytes"), l1, sizeof l1);
    pb_fmt_bytes(pb_run_ctx_num(r->run, "l2_bytes"), l2, sizeof l2);
    pb_fmt_bytes(pb_run_ctx_num(r->run, "l3_bytes"), l3, sizeof l3);
    pb_fmt_bytes(pb_run_ctx_num(r->run, "memory_bytes"), mem, sizeof mem);
    fprintf(md, "| caches (hwloc) | L1d %s, L2 %s, L3 %s |\n", l1, l2, l3);
    /* The L3 the run placed cases by, where the triad found another (see bench/machine.h). */
    const double l3_used = pb_run_cache_bytes(r->run, 2);
    if (l3_used > 0 && l3_used != pb_run_ctx_num(r->run, "l3_bytes")) {
        char m[32];
        pb_fmt_bytes(l3_used, m, sizeof m);
        fprintf(md,
                "| L3 as the triad found it (cases are placed by this) | %s: twice the largest working set that "
                "kept twice DRAM's speed (1-thread triad GB/s by working set: %s; DRAM %s) |\n",
                m, ctx(r, "stream_l3_ladder", "?"), ctx(r, "stream_dram_GBps", "?"));
    }
    fprintf(md, "| memory | %s |\n", mem);
    /* Runs before 2026-12-06 left every case's data where it was first touched. */
    if (pb_run_ctx_str(r->run, "memory_placement"))
        fprintf(md, "| memory placement | %s |\n", ctx(r, "memory_placement", "?"));
    fprintf(md, "| SIMD | %s |\n", ctx(r, "simd_isa", "?"));
    /* Runs before 2026-12-04 wrote every output with plain stores. */
    if (pb_run_ctx_str(r->run, "stream_output_bytes")) {
        const double bytes = pb_run_ctx_num(r->run, "stream_output_bytes");
        char b[32] = "never";
        if (bytes < (double)INT64_MAX)
            pb_fmt_bytes(bytes, b, sizeof b);
        fprintf(md, "| streaming stores (simd outputs larger than this) | %s |\n", b);
    }
}

/* The machine table's rows on bandwidth: the triads at the run's start and
 * among its cases, and the peak of max/compare. */
static void header_bandwidth(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "| bandwidth (STREAM-like triad, 1 thread) | L1 %s GB/s, L2 %s GB/s, L3 %s GB/s, DRAM %s GB/s",
            ctx(r, "stream_l1_GBps", "?"), ctx(r, "stream_l2_GBps", "?"), ctx(r, "stream_l3_GBps", "?"),
            ctx(r, "stream_dram_GBps", "?"));
    /* Runs before 2026-12-04 had no streaming-store probe. */
    if (pb_run_ctx_str(r->run, "stream_dram_nt_GBps"))
        fprintf(md, " (%s with streaming stores)", ctx(r, "stream_dram_nt_GBps", "?"));
    if (pb_run_ctx_str(r->run, "stream_dram_GBps_all_threads")) {
        fprintf(md, "; DRAM with %d threads %s GB/s", probe_threads(r), ctx(r, "stream_dram_GBps_all_threads", "?"));
        if (pb_run_ctx_str(r->run, "stream_dram_nt_GBps_all_threads"))
            fprintf(md, " (%s with streaming stores)", ctx(r, "stream_dram_nt_GBps_all_threads", "?"));
    }
    fprintf(md, " |\n");
    /* Runs before 2026-12-04 23:00 UTC timed the triad only at their start. */
    static const char triad_row[] = "| triad timed among the cases (median GB/s over its repetitions) |";
    int listed = 0;
    for (size_t i = 0; i < r->run->n_probe; ++i) {
        const pb_bench *p = &r->run->probe[i];
        static const char triad_prefix[] = PB_PROBE_PREFIX "stream_triad";
        if (pb_probe_GBps(p) > 0 && strncmp(p->name, triad_prefix, sizeof triad_prefix - 1) == 0)
            fprintf(md, "%s %s %.1f", listed++ ? "," : triad_row, p->name + strlen(PB_PROBE_PREFIX), pb_probe_GBps(p));
    }
    if (listed)
        fprintf(md, " |\n");
    fprintf(md, "| peak max/compare throughput (1 thread) | %s G/s |\n", ctx(r, "peak_max_GOPS", "?"));
}

/* The machine table's rows on software: PAPI, oneDNN, the OpenMP runtime and
 * what an empty parallel call cost. */
static void header_runtime(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "| PAPI | %s |\n| oneDNN | %s |\n", ctx(r, "papi", "not recorded"), ctx(r, "onednn", "not recorded"));
    /* Runs before 2026-12-03 did not record it (they ran on libgomp). */
    if (pb_run_ctx_str(r->run, "openmp_runtime"))
        fprintf(md, "| OpenMP runtime (ours and oneDNN's) | %s |\n", ctx(r, "openmp_runtime", "?"));
    for (size_t i = 0; i < pb_impl_count(); ++i) {
        const pb_impl *impl = pb_impl_at(i);
        if (impl->empty_calls == NULL)
            continue;
        bool region_probed;
        const double region_us = pb_run_region_us(r->run, impl->name, probe_threads(r), &region_probed);
        const double at_start = pb_run_region_at_start_us(r->run, impl->name);
        if (region_probed && at_start > 0)
            fprintf(md,
                    "| empty %s, %d threads | %.3f us timed among the cases (median; %.4g at the run's "
                    "start) |\n",
                    impl->region_noun, probe_threads(r), region_us, at_start);
        else if (region_probed)
            fprintf(md, "| empty %s, %d threads | %.3f us timed among the cases (median) |\n", impl->region_noun,
                    probe_threads(r), region_us);
        else if (at_start > 0)
            fprintf(md, "| empty %s, %d threads | %.4g us |\n", impl->region_noun, probe_threads(r), at_start);
    }
}

void pb_report_header(pb_report *r)
{
    header_run(r);
    fprintf(r->md, "| machine | |\n|---|---|\n");
    header_hardware(r);
    header_bandwidth(r);
    header_runtime(r);
    fprintf(r->md, "| threads | %s |\n\n", ctx(r, "threads", "?"));
}

/* "simd" or "onednn, 2 threads": the implementation and its thread count when above one. */
static void impl_label(const pb_bench *b, char *buf, size_t len)
{
    if (b->threads > 1)
        snprintf(buf, len, "%s, %.0f threads", b->impl, b->threads);
    else
        snprintf(buf, len, "%s", b->impl);
}

static bool is_onednn(const pb_bench *b) { return strncmp(b->impl, "onednn", 6) == 0; }

void pb_report_best(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "## Fastest per case\n\nOurs = every implementation but oneDNN's. *vs oneDNN* is oneDNN's best "
                "time over ours (above 1: ours is faster); *vs naive* likewise.\n\n");
    fprintf(md, "| case | layout | fastest of ours | time | GOPS | GB/s | vs naive | oneDNN's best | vs oneDNN |\n"
                "|---|---|---|---|---|---|---|---|---|\n");
    bool *done = calloc(r->n, sizeof *done);
    for (size_t i = 0; done && i < r->n; ++i) {
        if (done[i])
            continue;
        const pb_bench *ours = NULL, *naive = NULL, *dnn = NULL;
        for (size_t j = i; j < r->n; ++j) {
            const pb_bench *b = r->b[j];
            if (strcmp(b->case_name, r->b[i]->case_name) != 0 || strcmp(b->layout, r->b[i]->layout) != 0)
                continue;
            done[j] = true;
            if (is_onednn(b)) {
                if (!dnn || b->time_ns < dnn->time_ns)
                    dnn = b;
            } else if (!ours || b->time_ns < ours->time_ns) {
                ours = b;
            }
            if (strcmp(b->impl, "naive") == 0)
                naive = b;
        }
        if (ours == NULL)
            continue;
        char t[32], td[192] = "-", vs_naive[16] = "-", vs_dnn[16] = "-";
        pb_fmt_time(ours->time_ns, t, sizeof t);
        if (naive)
            snprintf(vs_naive, sizeof vs_naive, "%.1f", naive->time_ns / ours->time_ns);
        if (dnn) {
            char x[32];
            pb_fmt_time(dnn->time_ns, x, sizeof x);
            char label[96];
            impl_label(dnn, label, sizeof label);
            snprintf(td, sizeof td, "%s (%s)", x, label);
            snprintf(vs_dnn, sizeof vs_dnn, "%.2f", dnn->time_ns / ours->time_ns);
        }
        char label[96];
        impl_label(ours, label, sizeof label);
        fprintf(md, "| %s | %s | %s | %s | %.2f | %.2f | %s | %s | %s |\n", pb_bench_case(ours), ours->layout, label,
                t, pb_bench_gops(ours), ours->bytes / ours->time_ns, vs_naive, td, vs_dnn);
    }
    free(done);
    fputc('\n', md);
}

/* The benchmarks of one series that the cost model is fitted on. */
static int fit_members(const pb_report *r, const char *key, const pb_bench **out)
{
    int n = 0;
    for (size_t i = 0; i < r->n; ++i) {
        char k[128];
        pb_series_key(r->b[i], k, sizeof k);
        const pb_bench *b = r->b[i];
        if (strcmp(k, key) == 0 && !pb_bench_softmax(b) && b->time_ns > 0 && b->model_ops > 0 && b->bytes > 0 &&
            b->impl_ops > 0)
            out[n++] = b;
    }
    return n;
}

/* The four cost models fitted to every series. */
enum { FIT_OPS, FIT_OPS_BYTES, FIT_OPS_OUTPUTS, FIT_OWN, FIT_COUNT };
static const char *const fit_labels[FIT_COUNT] = {"model ops", "model ops + bytes", "model ops + outputs",
                                                  "own ops"};
static const char *const fit_units[FIT_COUNT][2] = {
    {"ns/op", ""}, {"ns/op", "ns/byte"}, {"ns/op", "ns/output"}, {"ns/own op", ""}};

typedef struct {
    const pb_run *run;
    const pb_bench **m;
    int n;
    double *y, *x[4]; /* time; model ops, bytes, outputs, own ops */
    pb_fit fit[FIT_COUNT];
    bool own_differs;
} series_fits;

static void fit_series(series_fits *s)
{
    double *ops = s->x[0], *bytes = s->x[1], *outputs = s->x[2], *own = s->x[3];
    s->own_differs = false;
    for (int i = 0; i < s->n; ++i) {
        const pb_bench *b = s->m[i];
        s->y[i] = b->time_ns, ops[i] = b->model_ops, bytes[i] = b->bytes, own[i] = b->impl_ops;
        outputs[i] = b->has_params ? (double)pb_output_elems(&b->params) : b->model_ops / b->window;
        s->own_differs |= fabs(own[i] / ops[i] - 1.0) > 1e-9;
    }
    const double *vars[FIT_COUNT][2] = {{ops}, {ops, bytes}, {ops, outputs}, {own}};
    static const int nvars[FIT_COUNT] = {1, 2, 2, 1};
    for (int f = 0; f < FIT_COUNT; ++f)
        s->fit[f] = pb_fit_relative(s->y, vars[f], nvars[f], s->n);
}

static void fit_cell(FILE *md, const series_fits *s, int f)
{
    const pb_fit *fit = &s->fit[f];
    if (f == FIT_OWN && !s->own_differs) {
        fprintf(md, " = model ops |");
        return;
    }
    if (!fit->ok) {
        fprintf(md, " too few cases |");
        return;
    }
    fprintf(md, " %.3g %s", fit->coef[0], fit_units[f][0]);
    if (fit->nvars > 1)
        fprintf(md, " + %.3g %s", fit->coef[1], fit_units[f][1]);
    fprintf(md, "; R² %.2f; worst %+.0f%% |", fit->r2, 100.0 * fit->worst);
}

static bool holds(const pb_fit *f) { return f->ok && fabs(f->worst) <= HOLD_TOLERANCE; }

/* What the best alternative model says about the cases, in words drawn from its numbers. */
static void explain(FILE *md, const series_fits *s, int f)
{
    const pb_fit *fit = &s->fit[f];
    if (f == FIT_OWN) {
        fprintf(md, " It follows its own operation count%s: it does not do the seed's p_h·p_w work per output.",
                holds(fit) ? "" : " more closely");
        return;
    }
    if (f == FIT_OPS_OUTPUTS) {
        fprintf(md, " A fixed cost of %.3g ns per output window (%.1f model ops' worth) is what the seed's count "
                    "misses: it weighs most on small windows.",
                fit->coef[1], fit->coef[0] > 0 ? fit->coef[1] / fit->coef[0] : INFINITY);
        return;
    }
    int64_t max_bytes_window = 0, min_ops_window = INT64_MAX;
    int n_bytes = 0;
    for (int i = 0; i < s->n; ++i) {
        int64_t window = s->m[i]->has_params ? s->m[i]->params.kh * s->m[i]->params.kw : 0;
        if (fit->coef[1] * s->x[1][i] > fit->coef[0] * s->x[0][i]) {
            ++n_bytes;
            max_bytes_window = window > max_bytes_window ? window : max_bytes_window;
        } else if (window < min_ops_window) {
            min_ops_window = window;
        }
    }
    fprintf(md, " Its bytes move at %.1f GB/s.", 1.0 / fit->coef[1]);
    if (n_bytes > 0 && n_bytes < s->n && max_bytes_window < min_ops_window)
        fprintf(md, " Windows of up to %lld taps follow bytes, not ops (%d case%s); larger ones follow ops.",
                (long long)max_bytes_window, n_bytes, n_bytes == 1 ? "" : "s");
    else if (n_bytes == s->n)
        fprintf(md, " Every case follows bytes more than ops.");
    else if (n_bytes > 0)
        fprintf(md, " %d of %d cases follow bytes more than ops, not only the small windows.", n_bytes, s->n);
}

/* The median ns per model op of each mode the series has; says so when the
 * modes differ by more than the tolerance (the seed prices a compare and an
 * add alike). */
static void by_mode(FILE *md, const series_fits *s)
{
    double *v = malloc((size_t)s->n * sizeof *v), med[PB_MODE_COUNT], lo = INFINITY, hi = 0;
    int modes = 0;
    for (int mode = 0; v && mode < PB_MODE_COUNT; ++mode) {
        size_t k = 0;
        for (int i = 0; i < s->n; ++i)
            if (s->m[i]->has_params && (int)s->m[i]->params.mode == mode)
                v[k++] = s->y[i] / s->x[0][i];
        med[mode] = k ? pb_median(v, k) : NAN;
        if (k) {
            ++modes;
            lo = fmin(lo, med[mode]), hi = fmax(hi, med[mode]);
        }
    }
    free(v);
    if (modes < 2 || hi <= lo * (1.0 + HOLD_TOLERANCE))
        return;
    fprintf(md, " By mode, the median ns per model op differs %.1fx:", hi / lo);
    for (int mode = 0; mode < PB_MODE_COUNT; ++mode)
        if (isfinite(med[mode]))
            fprintf(md, " %s %.3g", pb_mode_name((pb_mode)mode), med[mode]);
    fprintf(md, " (the seed counts a compare and an add alike).");
}

/* Plain words on one series from its fits; every number comes from them. */
static void verdict(FILE *md, const char *key, const series_fits *s)
{
    const pb_fit *f1 = &s->fit[FIT_OPS];
    fprintf(md, "- **%s**: ", key);
    if (!f1->ok) {
        fprintf(md, "%d case(s) without softmax: too few to fit.\n", s->n);
        return;
    }
    if (holds(f1)) {
        fprintf(md, "the seed's model holds: %.3g ns per model op, every case within %.0f%% of it (R² %.2f).\n",
                f1->coef[0], 100.0 * fabs(f1->worst), f1->r2);
        return;
    }
    const pb_bench *worst = s->m[f1->worst_index];
    fprintf(md, "the seed's model breaks: at %.3g ns per model op, %s takes %.2fx the time the fit predicts",
            f1->coef[0], pb_bench_case(worst), 1.0 / (1.0 + f1->worst));
    int level = pb_bench_level(s->run, worst);
    if (level >= 0) {
        char ws[32];
        pb_fmt_bytes(worst->bytes, ws, sizeof ws);
        if (level == 3)
            fprintf(md, " (its %s leave the last-level cache)", ws);
        else
            fprintf(md, " (its %s fit in %s)", ws, pb_level_names[level]);
    }
    fputc('.', md);
    by_mode(md, s);
    int best = -1;
    for (int f = FIT_OPS_BYTES; f < FIT_COUNT; ++f) {
        const pb_fit *fit = &s->fit[f];
        bool usable = fit->ok && !(f == FIT_OWN && !s->own_differs) && !(fit->nvars > 1 && fit->dropped[1]);
        if (usable && fabs(fit->worst) < 0.5 * fabs(f1->worst) &&
            (best < 0 || fabs(fit->worst) < fabs(s->fit[best].worst)))
            best = f;
    }
    if (best < 0) {
        fprintf(md, " No other model here does much better (worst cases:");
        for (int f = FIT_OPS_BYTES; f < FIT_COUNT; ++f) {
            if (f == FIT_OWN && !s->own_differs)
                continue;
            fprintf(md, "%s %s ", f == FIT_OPS_BYTES ? "" : ",", fit_labels[f]);
            if (s->fit[f].ok)
                fprintf(md, "%+.0f%%", 100.0 * s->fit[f].worst);
            else
                fprintf(md, "too few cases");
        }
        fprintf(md, ").\n");
        return;
    }
    fprintf(md, " Best explained by %s, which %s (worst %+.0f%%, R² %.2f).", fit_labels[best],
            holds(&s->fit[best]) ? "holds" : "comes closer", 100.0 * s->fit[best].worst, s->fit[best].r2);
    explain(md, s, best);
    fputc('\n', md);
}

void pb_report_cost_model(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "## The seed's cost model\n\n"
                "The seed prices a pooling layer at N·C·h_out·w_out·p_h·p_w operations (*model ops*). For each "
                "implementation and layout, least-squares fits through the origin of the time per call against: "
                "model ops alone (the seed's model); model ops and bytes moved (input + output + workspace); model "
                "ops and output windows (a fixed cost per window); the implementation's own operation count. Fits "
                "minimise relative error (weights 1/time², GSL `gsl_multifit_wlinear`), so every case counts alike "
                "whatever its size; coefficients are kept non-negative (a dropped term shows as 0). *Worst* is the "
                "largest relative residual (fit / measured − 1). A model *holds* when every case lies within %.0f%% "
                "of it. Softmax cases are left out: the seed itself prices their exponentials apart (see the "
                "exercises).\n\n| implementation | cases |",
            100.0 * HOLD_TOLERANCE);
    for (int f = 0; f < FIT_COUNT; ++f)
        fprintf(md, " %s |", fit_labels[f]);
    fprintf(md, "\n|---|---|---|---|---|---|\n");
    series_fits s;
    s.run = r->run;
    s.m = malloc(r->n * sizeof *s.m);
    s.y = malloc(r->n * sizeof *s.y);
    bool ok = s.m && s.y;
    for (int k = 0; k < 4; ++k)
        ok &= (s.x[k] = malloc(r->n * sizeof *s.x[k])) != NULL;
    char *verdicts = NULL;
    size_t verdicts_len = 0;
    FILE *vf = ok ? open_memstream(&verdicts, &verdicts_len) : NULL;
    char held[2048] = "", broke[2048] = "", key[128];
    for (const char *w = r->series; vf && (w = pb_word_next(w, key, sizeof key));) {
        if ((s.n = fit_members(r, key, s.m)) == 0)
            continue;
        fit_series(&s);
        fprintf(md, "| %s | %d |", key, s.n);
        for (int f = 0; f < FIT_COUNT; ++f)
            fit_cell(md, &s, f);
        fputc('\n', md);
        verdict(vf, key, &s);
        if (s.fit[FIT_OPS].ok)
            pb_word_add(holds(&s.fit[FIT_OPS]) ? held : broke, sizeof held, key);
    }
    if (vf)
        fclose(vf);
    fprintf(md, "\n%s\n", verdicts ? verdicts : "");
    fprintf(md, "In short: the seed's model holds (every case within %.0f%%) for %s; it breaks for %s.\n",
            100.0 * HOLD_TOLERANCE, held[0] ? held : "none", broke[0] ? broke : "none");
    free(verdicts);
    free(s.m), free(s.y);
    for (int k = 0; k < 4; ++k)
        free(s.x[k]);
    pb_report_time_vs_ops(r);
}

/* The roof of one benchmark: min(peak, bandwidth of the level its bytes fit
 * in * intensity), scaled to its thread count (private caches and the
 * compute peak scale with cores; DRAM uses the all-threads probe). A level's
 * bandwidth is its triad timed among the cases (the median of its
 * repetitions) where the run has one, else the one-shot probe of the run's
 * start (at_start; probed says which). */
typedef struct {
    double peak, bw[4], at_start[4], dram_all;
    bool probed[4];
} roofs;

static bool read_roofs(const pb_run *run, roofs *f)
{
    f->peak = pb_run_ctx_num(run, "peak_max_GOPS");
    bool ok = f->peak > 0;
    for (int l = 0; l < 4; ++l) {
        f->at_start[l] = pb_run_triad_at_start(run, l, 1, false);
        ok &= (f->bw[l] = pb_run_level_triad(run, l, 1, &f->probed[l])) > 0;
    }
    f->dram_all = pb_run_level_triad(run, 3, pb_run_max_threads(run), NULL);
    return ok;
}

/* The roof and which one binds: 0..3 a level's bandwidth (pb_level_names), 4 the compute peak. */
enum { ROOF_PEAK = 4, ROOF_KINDS };
static double roof_of(const pb_run *run, const roofs *f, const pb_bench *b, int *binding)
{
    int level = pb_bench_level(run, b);
    double t = b->threads >= 1 ? b->threads : 1.0;
    if (level < 0)
        return NAN;
    double bw = level == 3 && t > 1 && f->dram_all > 0 ? f->dram_all : f->bw[level] * t;
    double mem = bw * b->model_ops / b->bytes, peak = f->peak * t;
    *binding = mem < peak ? level : ROOF_PEAK;
    return fmin(mem, peak);
}

/* Where the run lacks a roof: which, and no roofline. */
static void report_missing_roofs(pb_report *r, const roofs *f)
{
    /* Which: a machine that tells hwloc no cache sizes (some aarch64 ones)
     * has DRAM's triad and the peak, but no cache level's. */
    char missing[128] = "";
    for (int l = 0; l < 4; ++l)
        if (!(f->bw[l] > 0))
            pb_word_add(missing, sizeof missing, pb_level_names[l]);
    if (!(f->peak > 0))
        pb_word_add(missing, sizeof missing, "peak");
    fprintf(r->md, "The run's context lacks STREAM-like bandwidths or peak throughput (stream_*_GBps, "
                   "peak_max_GOPS) for: %s%s: no roofline.\n", missing,
            pb_run_ctx_num(r->run, "l1d_bytes") == 0 ? " (hwloc reported no cache sizes on its machine)" : "");
    pb_report_skip(r, "roofline", "the run records no bandwidth/peak probes for %s", missing);
}

static void roofs_table(FILE *md, const roofs *f)
{
    fprintf(md, "Roofs measured by the run itself: a STREAM-like triad per cache level and DRAM (working sets "
                "sized from hwloc, the L3 checked by a ladder of triads, validated like STREAM) and the peak max "
                "throughput of one core (independent vector maxima in registers, no memory access). Each "
                "benchmark is placed by its operational intensity, model ops per byte moved, under the roof of "
                "the level its bytes fit in: roof = min(peak, bandwidth × intensity), with the peak and private "
                "cache bandwidths multiplied by its thread count and DRAM taken from the all-threads probe. "
                "Softmax is left out (its roof is exponentials, not compares). A level's bandwidth is its "
                "triad timed among the cases (the median of its repetitions), where the run has one, else the "
                "one at the run's start.\n\n"
                "| level | bandwidth | at the run's start | ridge point (model ops/byte) |\n|---|---|---|---|\n");
    for (int l = 0; l < 4; ++l)
        fprintf(md, "| %s | %.1f GB/s%s | %.1f GB/s | %.2f |\n", pb_level_names[l], f->bw[l],
                f->probed[l] ? " timed among the cases" : "", f->at_start[l], f->peak / f->bw[l]);
    fprintf(md, "| peak | %.2f G model ops/s | | |\n\n", f->peak);
}

/* What the benchmarks did against their roofs, kept across implementations:
 * for the table's footnote and the plot's axes. */
typedef struct {
    double xmin, xmax, excess[ROOF_KINDS];
    int beaten[ROOF_KINDS];
} roof_tally;

/* A roof is a bound: where benchmarks beat one, that probe underestimates the machine. */
static void report_beaten_roofs(FILE *md, const roof_tally *t, double peak)
{
    int kinds_beaten = 0;
    for (int k = 0; k < ROOF_KINDS; ++k)
        if (t->beaten[k]) {
            fprintf(md, "%s %d benchmark(s) beat the %s roof by more than 10%% (up to %.0f%% of it)",
                    kinds_beaten++ ? ";" : "\nRoofs beaten:", t->beaten[k],
                    k == ROOF_PEAK ? "compute peak" : pb_level_names[k], 100.0 * t->excess[k]);
        }
    if (kinds_beaten)
        fprintf(md, ". A roof is a bound, so the probe behind it underestimates this machine (peak_max_GOPS %.2f "
                    "is the rate the run's probe measured on one core; a cache level's bandwidth probe depends on "
                    "the working set it ran at) or the implementation does fewer operations than the model counts; "
                    "read those "
                    "fractions as relative only.\n",
                peak);
}

static void finish_roofline_plot(pb_report *r, pb_plot *pl, const roofs *f, const roof_tally *t, const char *impls,
                                 char pseries[2][2048])
{
    pb_plot_str(pl, "series", "%s", impls);
    pb_plot_str(pl, "panels", "%s", r->layouts);
    pb_plot_str(pl, "pseries_1", "%s", pseries[0]);
    pb_plot_str(pl, "pseries_2", "%s", pseries[1]);
    pb_plot_str(pl, "levels", "L1d L2 L3 DRAM");
    for (int l = 0; l < 4; ++l) {
        char v[16];
        snprintf(v, sizeof v, "bw_%d", l + 1);
        pb_plot_num(pl, v, f->bw[l]);
    }
    pb_plot_num(pl, "peak", f->peak);
    pb_plot_num(pl, "xmin", pow(10.0, floor(log10(fmin(t->xmin, f->peak / f->bw[3]))) - 0.0));
    pb_plot_num(pl, "xmax", pow(10.0, ceil(log10(fmax(t->xmax, f->peak / f->bw[0]) * 1.5))));
    pb_plot_str(pl, "title", "Roofline (1-thread roofs), %s", r->machine_title);
    pb_plot_str(pl, "xlabel", "operational intensity (model ops per byte moved)");
    pb_plot_str(pl, "ylabel", "throughput (G model ops/s)");
    pb_report_plot(r, pl, "roofline.gp", "Every benchmark under the measured roofs (lines: bandwidth × intensity per level, capped by the compare peak)");
}

void pb_report_roofline(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "\n## Roofline\n\n");
    roofs f;
    if (!read_roofs(r->run, &f)) {
        report_missing_roofs(r, &f);
        return;
    }
    roofs_table(md, &f);
    fprintf(md, "| implementation | cases | median %% of roof | best | worst | memory-bound cases |\n"
                "|---|---|---|---|---|---|\n");
    double *frac = malloc(r->n * sizeof *frac);
    pb_plot pl;
    char err[PATH_MAX + 128];
    bool plotting = pb_plot_begin(&pl, r->dir, "roofline", "panel,series,x,y", err, sizeof err) == 0;
    char impls[2048] = "", pseries[2][2048] = {"", ""};
    if (!plotting)
        pb_report_skip(r, "roofline", "%s", err);
    roof_tally t = {.xmin = INFINITY};
    char key[128];
    for (const char *s = r->series; frac && (s = pb_word_next(s, key, sizeof key));) {
        int n = 0, memory = 0;
        const pb_bench *best = NULL, *worst = NULL;
        double best_f = -1, worst_f = INFINITY;
        for (size_t i = 0; i < r->n; ++i) {
            const pb_bench *b = r->b[i];
            char k[128];
            pb_series_key(b, k, sizeof k);
            int binding;
            double roof = strcmp(k, key) == 0 && !pb_bench_softmax(b) && b->bytes > 0
                              ? roof_of(r->run, &f, b, &binding)
                              : NAN;
            if (!(roof > 0))
                continue;
            double x = pb_bench_gops(b) / roof;
            frac[n++] = x;
            memory += binding != ROOF_PEAK;
            if (x > 1.1) {
                ++t.beaten[binding];
                t.excess[binding] = fmax(t.excess[binding], x);
            }
            if (x > best_f)
                best_f = x, best = b;
            if (x < worst_f)
                worst_f = x, worst = b;
            double oi = b->model_ops / b->bytes;
            t.xmin = fmin(t.xmin, oi), t.xmax = fmax(t.xmax, oi);
            if (plotting) {
                pb_plot_row(&pl, "%s,%s,%.17g,%.17g", b->layout, b->impl, oi, pb_bench_gops(b));
                pb_word_add(impls, sizeof impls, b->impl);
                pb_word_add(pseries[pb_word_index(r->layouts, b->layout) > 0], sizeof pseries[0], b->impl);
            }
        }
        if (n == 0)
            continue;
        fprintf(md, "| %s | %d | %.1f%% | %.1f%% (%s) | %.1f%% (%s) | %d of %d |\n", key, n,
                100.0 * pb_median(frac, (size_t)n), 100.0 * best_f, pb_bench_case(best), 100.0 * worst_f,
                pb_bench_case(worst), memory, n);
    }
    free(frac);
    report_beaten_roofs(md, &t, f.peak);
    if (plotting)
        finish_roofline_plot(r, &pl, &f, &t, impls, pseries);
}

static bool any_papi(const pb_report *r)
{
    for (size_t i = 0; i < r->n; ++i)
        for (int k = 0; k < PB_PAPI_N; ++k)
            if (isfinite(r->b[i]->papi[k]))
                return true;
    return false;
}

static void papi_table(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "Hardware counters from PAPI, per model op (median over the cases of each implementation):\n\n"
                "| implementation |");
    for (int k = 0; k < PB_PAPI_N; ++k)
        fprintf(md, " %s |", pb_papi_counter_names[k]);
    fprintf(md, "\n|---|");
    for (int k = 0; k < PB_PAPI_N; ++k)
        fprintf(md, "---|");
    fputc('\n', md);
    pb_plot pl;
    char err[PATH_MAX + 128], counters[256] = "";
    bool plotting = pb_plot_begin(&pl, r->dir, "counters_per_op", "panel,series,x,y,label", err, sizeof err) == 0;
    double *v = malloc(r->n * sizeof *v);
    int col = 0;
    char key[128];
    for (const char *s = r->series; v && (s = pb_word_next(s, key, sizeof key)); ++col) {
        fprintf(md, "| %s |", key);
        for (int k = 0; k < PB_PAPI_N; ++k) {
            size_t n = 0;
            for (size_t i = 0; i < r->n; ++i) {
                char kk[128];
                pb_series_key(r->b[i], kk, sizeof kk);
                if (strcmp(kk, key) == 0 && isfinite(r->b[i]->papi[k]) && r->b[i]->model_ops > 0)
                    v[n++] = r->b[i]->papi[k] / r->b[i]->model_ops;
            }
            if (n == 0) {
                fprintf(md, " - |");
                continue;
            }
            double med = pb_median(v, n);
            fprintf(md, " %.3g |", med);
            if (plotting && med > 0) {
                pb_plot_row(&pl, "papi,%s,%d,%.17g,%s", pb_papi_counter_names[k], col, med, key);
                pb_word_add(counters, sizeof counters, pb_papi_counter_names[k]);
            }
        }
        fputc('\n', md);
    }
    free(v);
    if (!plotting) {
        pb_report_skip(r, "counters_per_op", "%s", err);
        return;
    }
    pb_plot_str(&pl, "panels", "papi");
    pb_plot_str(&pl, "ptitle_1", "PAPI, median over cases");
    pb_plot_str(&pl, "series", "%s", counters);
    pb_plot_categorical(&pl);
    int tick = 0;
    for (const char *w = r->series; (w = pb_word_next(w, key, sizeof key));)
        pb_plot_tick(&pl, 1, tick++, key);
    pb_plot_str(&pl, "title", "Hardware counters per model op, %s", r->machine_title);
    pb_plot_str(&pl, "ylabel", "events per model op");
    pb_report_plot(r, &pl, "lines.gp", "Hardware counters per model op");
}

static void callgrind_table(pb_report *r)
{
    const pb_run *run = r->run;
    FILE *md = r->md;
    fprintf(md, "Counts from `%s` (valgrind callgrind, instrumentation only around the kernel call: exact and "
                "the same on every run):\n\n| benchmark | instructions / model op | D1 misses / model op | LL misses "
                "/ model op |\n|---|---|---|---|\n",
            run->callgrind_path);
    pb_plot pl;
    char err[PATH_MAX + 128];
    bool plotting = pb_plot_begin(&pl, r->dir, "callgrind_per_op", "panel,series,x,y,label", err, sizeof err) == 0;
    if (!plotting)
        pb_report_skip(r, "callgrind_per_op", "%s", err);
    for (size_t i = 0; i < run->n_cg; ++i) {
        const pb_cg_entry *c = &run->cg[i];
        const pb_bench *b = pb_run_find(run, c->name);
        if (plotting && b) {
            char label[256], kase[160];
            pb_case_label(b, kase, sizeof kase);
            snprintf(label, sizeof label, "%s %s %s", b->impl, b->layout, kase);
            pb_plot_tick(&pl, 1, (int)i, label);
        } else if (plotting) {
            pb_plot_tick(&pl, 1, (int)i, c->name);
        }
        double ops = c->model_ops;
        fprintf(md, "| %s | %.3g | %.3g | %.3g |\n", c->name, c->instructions / ops, c->d1_misses / ops,
                c->ll_misses / ops);
        const double per_op[3] = {c->instructions / ops, c->d1_misses / ops, c->ll_misses / ops};
        static const char *const counters[3] = {"instructions", "D1_misses", "LL_misses"};
        for (int k = 0; plotting && k < 3; ++k)
            if (per_op[k] > 0)
                pb_plot_row(&pl, "callgrind,%s,%zu,%.17g,%s", counters[k], i, per_op[k], c->name);
    }
    if (!plotting)
        return;
    pb_plot_str(&pl, "panels", "callgrind");
    pb_plot_str(&pl, "ptitle_1", "callgrind (simulated caches)");
    pb_plot_str(&pl, "series", "instructions D1_misses LL_misses");
    pb_plot_categorical(&pl);
    pb_plot_str(&pl, "title", "Instructions and cache misses per model op (callgrind), %s", r->machine_title);
    pb_plot_str(&pl, "ylabel", "events per model op");
    pb_report_plot(r, &pl, "lines.gp", "Instructions and simulated cache misses per model op (callgrind)");
}

void pb_report_counters(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "\n## Counters per model op\n\n");
    bool papi = any_papi(r);
    if (papi)
        papi_table(r);
    else
        fprintf(md, "This run has no hardware counters: PAPI %s.\n", ctx(r, "papi", "status not recorded"));
    if (r->run->has_callgrind) {
        fputc('\n', md);
        callgrind_table(r);
    } else {
        fprintf(md, "\nNo callgrind.json lies beside the run (`poolbench count` writes one: instructions and "
                    "simulated cache misses per call under valgrind, the same on every machine and run).\n");
        pb_report_skip(r, "callgrind_per_op", "no callgrind.json beside the run");
    }
    if (!papi)
        pb_report_skip(r, "counters_per_op", "no PAPI counters in the run (PAPI %s)",
                       ctx(r, "papi", "status not recorded"));
}
