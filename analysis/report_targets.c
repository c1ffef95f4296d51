/* The report's speed targets: each a ratio of two measurements of the same
 * run, so the machine's drift between runs cancels out. A target is met,
 * missed, or unsettled when the median times and the fastest repetitions
 * give different verdicts (on a shared machine one noisy repetition can
 * move a median across a threshold, rarely both). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "poolbench/registry.h"
#include "report.h"

/* Ours over oneDNN in the same layout; windows of 5x5 and more at stride 1,
 * where separable and van Herk/Gil-Werman reductions beat kh * kw taps, must
 * do better. */
#define TARGET_ONEDNN 1.25
#define TARGET_ONEDNN_LARGE_WINDOW 2.0
/* Our best NCHW time over our best NHWC time, at most. */
#define TARGET_NCHW_OVER_NHWC 1.3
/* Out of the caches: this share of the STREAM-like triad the run measured. */
#define TARGET_TRIAD_SHARE 0.85
/* All cores over one, in the caches: this parallel efficiency (1.8x on 2). */
#define TARGET_THREAD_EFFICIENCY 0.9

enum { MET, UNSETTLED, MISSED, VERDICTS };
static const char *const verdict_names[VERDICTS] = {"met", "unsettled", "missed"};

static double fastest_rep(const pb_bench *b)
{
    double t = INFINITY;
    for (size_t i = 0; i < b->n_reps; ++i)
        t = b->real_ns[i] < t ? b->real_ns[i] : t;
    return t;
}

/* "at least" targets: value >= target; "at most": value <= target. */
static int verdict(double median_value, double fastest_value, double target, bool at_least)
{
    const bool a = at_least ? median_value >= target : median_value <= target;
    const bool b = at_least ? fastest_value >= target : fastest_value <= target;
    return a && b ? MET : !a && !b ? MISSED : UNSETTLED;
}

/* One target's tally and the misses it names (those that fit; `unnamed`
 * counts the rest). */
typedef struct {
    const char *what;
    int count[VERDICTS], unnamed;
    char misses[4096];
} tally;

static void __attribute__((format(printf, 3, 4))) tally_add(tally *t, int v, const char *fmt, ...)
{
    ++t->count[v];
    if (v == MET)
        return;
    char entry[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(entry, sizeof entry, fmt, ap);
    va_end(ap);
    const size_t used = strlen(t->misses);
    if (used + strlen(entry) + sizeof "; " + sizeof " (unsettled)" > sizeof t->misses) {
        ++t->unnamed;
        return;
    }
    snprintf(t->misses + used, sizeof t->misses - used, "%s%s%s", used ? "; " : "", entry,
             v == UNSETTLED ? " (unsettled)" : "");
}

static void tally_print(FILE *md, const tally *t)
{
    const int total = t->count[MET] + t->count[UNSETTLED] + t->count[MISSED];
    if (total == 0)
        return;
    fprintf(md, "- %s: met on %d of %d", t->what, t->count[MET], total);
    if (t->count[UNSETTLED])
        fprintf(md, ", unsettled on %d", t->count[UNSETTLED]);
    if (t->count[MISSED])
        fprintf(md, ", missed on %d", t->count[MISSED]);
    if (t->misses[0])
        fprintf(md, ". Not met: %s", t->misses);
    if (t->unnamed)
        fprintf(md, "; and %d more", t->unnamed);
    fprintf(md, ".\n");
}

/* Whether b times again a kernel that another of ours times in the same
 * case: a forced variant (the registry's variant_of), or a threaded
 * implementation that splits simd's kernels (openmp, team) on one thread.
 * The fastest of such twins is the luckiest of several samples of one
 * kernel, not a faster one: in the threads run 20261205T120227Z (Zen 5 VM)
 * simd and simd-avx512, the same code there, read up to 1.13x apart, and
 * counting them added up to 12% to the ratios against oneDNN. */
static bool times_a_twin(const pb_bench *b)
{
    const pb_impl *impl = pb_impl_find(b->impl);
    const bool one_thread = b->name_threads == 1 || (b->name_threads == 0 && b->threads == 1);
    return impl && (impl->variant_of || (impl->splits && one_thread));
}

/* The fastest of ours (every implementation but oneDNN's, twins only where
 * the run timed nothing else: see times_a_twin) and plain oneDNN among
 * benchmarks of one case and layout at `threads` ("/threads:T", 0 for
 * none). */
typedef struct {
    const pb_bench *ours, *onednn;
} layout_best;

static layout_best best_in(const pb_run *run, const char *case_name, const char *layout, int threads)
{
    layout_best lb = {NULL, NULL};
    const pb_bench *twin = NULL;
    for (size_t i = 0; i < run->n_bench; ++i) {
        const pb_bench *b = &run->bench[i];
        if (b->name_threads != threads || strcmp(b->case_name, case_name) != 0 || strcmp(b->layout, layout) != 0 ||
            !(b->time_ns > 0))
            continue;
        const pb_bench **best = times_a_twin(b) ? &twin : &lb.ours;
        if (strcmp(b->impl, "onednn") == 0)
            lb.onednn = b;
        else if (strncmp(b->impl, "onednn", 6) != 0 && (!*best || b->time_ns < (*best)->time_ns))
            *best = b;
    }
    if (!lb.ours)
        lb.ours = twin;
    return lb;
}

/* A window of 5x5 or more sliding at stride 1 (a global pool's stride is
 * nominal: it has one window). */
static bool large_stride_1_window(const pb_bench *b)
{
    const pb_params *p = &b->params;
    return b->has_params && p->kh >= 5 && p->kw >= 5 && p->sh == 1 && p->sw == 1 && p->oh > 1 && p->ow > 1;
}

/* The DRAM triad the out-of-cache targets compare with, at `threads`: the
 * run's probe timed among the cases when it has one (median and fastest
 * repetition, each set against its like), else the context's best of five
 * at the run's start. NaN when the run has neither. */
typedef struct {
    double median, fastest, at_start;
    bool among_cases;
} roof;

static roof triad_roof(const pb_run *run, bool streaming, int threads)
{
    const double at_start = pb_run_triad_at_start(run, 3, threads, streaming);
    const pb_bench *p = pb_run_probe(run, streaming ? "stream_triad_nt" : "stream_triad", "dram", threads);
    const double median = pb_probe_GBps(p);
    if (median > 0)
        return (roof){median, p->bytes / fastest_rep(p), at_start, true};
    return (roof){at_start, at_start, at_start, false};
}

/* The roof's GB/s and where it was measured. */
static void roof_print(FILE *md, roof t)
{
    fprintf(md, "%.1f GB/s", t.median);
    if (t.among_cases)
        fprintf(md, " timed among the cases (the median of its repetitions; %.1f at the run's start)", t.at_start);
}

/* Out of the caches, one layout: GB/s against the triad, the target, and
 * against the streaming-store triad nt where the run measured one (a higher
 * roof, shown beside it). */
static void triad_cell(const pb_report *r, const pb_bench *b, roof triad, roof nt, tally *t, char *cell, size_t len)
{
    snprintf(cell, len, "-");
    if (!b || pb_bench_level(r->run, b) != 3 || !(triad.median > 0))
        return;
    const double gbps = b->bytes / b->time_ns, fastest = b->bytes / fastest_rep(b);
    const int v = verdict(gbps / triad.median, fastest / triad.fastest, TARGET_TRIAD_SHARE, true);
    char share[32] = "";
    if (nt.median > 0)
        snprintf(share, sizeof share, "; %.0f%% nt", 100.0 * gbps / nt.median);
    snprintf(cell, len, "%.1f (%.0f%%, %s%s)", gbps, 100.0 * gbps / triad.median, verdict_names[v], share);
    tally_add(t, v, "%s %s %.0f%%", pb_bench_case(b), b->layout, 100.0 * gbps / triad.median);
}

/* What "nt" in the cells means, where the run measured it. */
static void nt_sentence(FILE *md, roof nt, int threads)
{
    if (!(nt.median > 0))
        return;
    fprintf(md, " *nt* is the share of the %d-thread triad with streaming (non-temporal) stores, ", threads);
    roof_print(md, nt);
    fprintf(md, ": the roof of a kernel that writes around the caches, shown beside the target.");
}

/* The L1d triad on one core, timed among the cases: GB/s (the median), or 0
 * where the run has no such probe (runs before 2026-12-05). */
static double core_triad(const pb_run *run, int core)
{
    char name[64];
    snprintf(name, sizeof name, PB_PROBE_PREFIX "stream_triad/l1d/core:%d", core);
    return pb_probe_GBps(pb_run_find_probe(run, name));
}

/* How fast the team's slowest core ran against core 0, where the one-thread
 * cases ran, by each core's L1d triad (listed into md); 1 where the run did
 * not time them. An even split waits for the slowest core. A team larger
 * than the machine shares its cores, and the run times each core once. */
static double team_pace(const pb_run *run, int threads, FILE *md)
{
    int cores = 0;
    double slowest = INFINITY;
    for (double gbps; cores < threads && (gbps = core_triad(run, cores)) > 0; ++cores)
        slowest = fmin(slowest, gbps);
    if (cores == 0)
        return 1.0;
    fprintf(md, " The L1d triad on each core, timed among the cases (medians, GB/s):");
    for (int c = 0; c < cores; ++c)
        fprintf(md, "%s core %d %.1f", c ? "," : "", c, core_triad(run, c));
    const double pace = slowest / core_triad(run, 0);
    fprintf(md, ". The one-thread cases ran on core 0, and an even split waits for the slowest core, here at %.0f%% "
                "of core 0's speed.",
            100.0 * pace);
    return pace;
}

/* The ceiling that impl's empty call at `threads` sets (nothing where the run
 * did not time it), naming impl where the run has several such. */
static void region_sentence(FILE *md, const pb_run *run, const pb_impl *impl, int threads, double pace,
                            bool name_it)
{
    bool region_probed;
    const double region_us = pb_run_region_us(run, impl->name, threads, &region_probed);
    if (region_us <= 0)
        return;
    const double e = TARGET_THREAD_EFFICIENCY;
    char split[64], when[128];
    snprintf(split, sizeof split, pace == 1.0 ? "%d" : "(%d × %.2f)", threads, pace);
    const double at_start = pb_run_region_at_start_us(run, impl->name);
    if (region_probed && at_start > 0)
        snprintf(when, sizeof when, "timed among the cases (the median of its repetitions; %.2f at the run's start)",
                 at_start);
    else
        snprintf(when, sizeof when, region_probed ? "timed among the cases (the median of its repetitions)"
                                                  : "at the run's start");
    fprintf(md, " An empty %s at %d threads cost %.2f us %s: a case taking T on one thread can speed "
                "up at most T / (T / %s + %.2f us) (*ceiling*%s%s)",
            impl->region_noun, threads, region_us, when, split, region_us, name_it ? " of " : "",
            name_it ? impl->name : "");
    if (e < pace)
        fprintf(md, ", so %.2fx needs T of at least %.1f us.", e * threads, e * threads * region_us / (1.0 - e / pace));
    else
        fprintf(md, ", so %.2fx is out of reach.", e * threads);
}

/* openmp (or the fastest of ours) at all of the run's threads against the
 * same implementation at one, per case and layout. */
static void thread_targets(pb_report *r, tally *scaling, tally *triad_all)
{
    const int threads = pb_run_max_threads(r->run);
    if (threads < 2)
        return;
    const roof triad = triad_roof(r->run, false, threads), nt = triad_roof(r->run, true, threads);
    FILE *md = r->md;
    fprintf(md, "\nAll %d threads against one, the same implementation (the fastest of ours at %d threads); in the "
                "caches the target is %.2fx (%.0f%% parallel efficiency), out of them %.0f%% of the %d-thread triad, ",
            threads, threads, TARGET_THREAD_EFFICIENCY * threads, 100.0 * TARGET_THREAD_EFFICIENCY,
            100.0 * TARGET_TRIAD_SHARE, threads);
    roof_print(md, triad);
    fprintf(md, "%s", nt.median > 0 ? "." : ":");
    nt_sentence(md, nt, threads);
    const double pace = team_pace(r->run, threads, md);
    /* Runs before 2026-12-04 did not measure the region, before 2026-12-05
     * 11:00 UTC only at their start, before 2026-12-05 22:00 only openmp's. */
    int regions = 0;
    for (size_t i = 0; i < pb_impl_count(); ++i)
        regions += pb_impl_at(i)->empty_calls && pb_run_region_us(r->run, pb_impl_at(i)->name, threads, NULL) > 0;
    for (size_t i = 0; i < pb_impl_count(); ++i)
        if (pb_impl_at(i)->empty_calls)
            region_sentence(md, r->run, pb_impl_at(i), threads, pace, regions > 1);
    const bool ceiling = regions > 0;
    fprintf(md, " *oneDNN* is plain oneDNN's speed-up on the same case and layout, for comparison, where the run "
                "timed it at both thread counts.");
    fprintf(md, "\n\n| case | layout | implementation | 1 thread | %d threads | speed-up |%s oneDNN | verdict |\n"
                "|---|---|---|---|---|---|---|---|%s\n",
            threads, ceiling ? " ceiling |" : "", ceiling ? "---|" : "");
    for (size_t i = 0; i < r->run->n_bench; ++i) {
        const pb_bench *many = &r->run->bench[i];
        if (many->name_threads != threads)
            continue;
        layout_best lb = best_in(r->run, many->case_name, many->layout, threads);
        if (lb.ours != many)
            continue;
        const pb_bench *one = pb_run_find_at(r->run, many, 1);
        if (!one)
            continue;
        char t1[32], tn[32], cell[96];
        pb_fmt_time(one->time_ns, t1, sizeof t1);
        pb_fmt_time(many->time_ns, tn, sizeof tn);
        const double speedup = one->time_ns / many->time_ns;
        if (pb_bench_level(r->run, many) == 3) {
            triad_cell(r, many, triad, nt, triad_all, cell, sizeof cell);
        } else {
            const double fastest = fastest_rep(one) / fastest_rep(many);
            const int v = verdict(speedup, fastest, TARGET_THREAD_EFFICIENCY * threads, true);
            snprintf(cell, sizeof cell, "%s", verdict_names[v]);
            tally_add(scaling, v, "%s %s %.2fx", pb_bench_case(many), many->layout, speedup);
        }
        char most[32] = "", dnn[32] = "-";
        const double region_us = pb_run_region_us(r->run, many->impl, threads, NULL);
        if (ceiling && region_us > 0)
            snprintf(most, sizeof most, " %.2f |", one->time_ns / (one->time_ns / (threads * pace) + 1e3 * region_us));
        else if (ceiling)
            snprintf(most, sizeof most, " - |");
        const pb_bench *dnn_one = lb.onednn ? pb_run_find_at(r->run, lb.onednn, 1) : NULL;
        if (dnn_one && dnn_one->time_ns > 0)
            snprintf(dnn, sizeof dnn, "%.2f", dnn_one->time_ns / lb.onednn->time_ns);
        fprintf(md, "| %s | %s | %s | %s | %s | %.2f |%s %s | %s |\n", pb_bench_case(many), many->layout, many->impl,
                t1, tn, speedup, most, dnn, cell);
    }
}

/* Where a case misses against oneDNN: how much of the one-thread triad of its
 * working set's level oneDNN already moves, how fast it is against the case's
 * plain pass, and what the goal would take of each. A kernel that moves each
 * float once can go no faster than its memory level lets it, and in the caches
 * oneDNN's plain NHWC kernels already run near there; the triad (two loads to
 * a store) is a guide, not a ceiling, for pooling's four or more loads to a
 * store, and the plain pass moves the case's own bytes in the case's own
 * ratio. Empty when the run has neither. */
static void onednn_bound(const pb_run *run, const pb_bench *dnn, double goal, char *out, size_t len)
{
    const int level = pb_bench_level(run, dnn);
    const double triad = level >= 0 ? pb_run_level_triad(run, level, 1, NULL) : NAN;
    const pb_bench *pass = pb_bench_plain_pass(run, dnn);
    const double triad_share = dnn->bytes / dnn->time_ns / triad;
    const double pass_share = pass && pass->time_ns > 0 ? pass->time_ns / dnn->time_ns : NAN;
    if (triad > 0 && pass_share > 0)
        snprintf(out, len, " (oneDNN at %.0f%% of the %s triad and %.0f%% of the plain pass; %.2fx would take %.0f%% "
                 "and %.0f%%)", 100.0 * triad_share, pb_level_names[level], 100.0 * pass_share, goal,
                 100.0 * triad_share * goal, 100.0 * pass_share * goal);
    else if (triad > 0)
        snprintf(out, len, " (oneDNN at %.0f%% of the %s triad; %.2fx would take %.0f%%)", 100.0 * triad_share,
                 pb_level_names[level], goal, 100.0 * triad_share * goal);
}

void pb_report_targets(pb_report *r)
{
    FILE *md = r->md;
    const roof triad = triad_roof(r->run, false, 1), nt = triad_roof(r->run, true, 1);
    fprintf(md, "## Speed targets\n\nEach target is a ratio of two measurements of this run. *x oneDNN* is plain "
                "oneDNN's time over our fastest in the same layout (target %.2fx, %.1fx for windows of 5x5 and more "
                "at stride 1), *NCHW / NHWC* our fastest NCHW time over our fastest NHWC time (at most %.1f), and "
                "out of the caches at least %.0f%% of the GB/s of the run's one-thread triad, ",
            TARGET_ONEDNN, TARGET_ONEDNN_LARGE_WINDOW, TARGET_NCHW_OVER_NHWC, 100.0 * TARGET_TRIAD_SHARE);
    roof_print(md, triad);
    fprintf(md, ". *Our fastest* leaves out the benchmarks that time one of our kernels again (simd's forced "
                "variants, openmp and team on one thread) where the run has another: the fastest of several "
                "samples of one kernel would be the luckiest, not a faster kernel. A target is *unsettled* when "
                "the medians and the fastest repetitions disagree on it. Where ours misses against oneDNN, the "
                "miss says how much of the one-thread triad of the case's cache level (or DRAM) oneDNN already "
                "moves, and what the target would take: a kernel that reads each float once cannot outrun its "
                "memory level by much. *Plain pass* is the case's input read once and its output written once, "
                "front to back in the widest vectors, each output line the max of its share of input lines "
                "(probe/plain_pass, timed among the cases, validated; bytes: input + output as the cases'): the "
                "case's bytes moved with none of pooling's walk. A miss says how fast oneDNN already is against "
                "it as well.");
    nt_sentence(md, nt, 1);
    fprintf(md, "\n\n");
    fprintf(md, "| case | layout | fastest of ours | time | oneDNN | plain pass | x oneDNN (fastest reps) | target | "
                "NCHW / NHWC | GB/s out of the caches |\n|---|---|---|---|---|---|---|---|---|---|\n");
    tally vs_onednn[2] = {{.what = "x oneDNN in NCHW"}, {.what = "x oneDNN in NHWC"}};
    tally layouts = {.what = "NCHW / NHWC"}, triad_one = {.what = "out of the caches, one thread"};
    tally scaling = {.what = "all threads in the caches"}, triad_all = {.what = "out of the caches, all threads"};
    static const char *const names[2] = {"nchw", "nhwc"};
    for (size_t i = 0; i < r->n; ++i) {
        const pb_bench *first = r->b[i];
        bool seen = false;
        for (size_t j = 0; j < i && !seen; ++j)
            seen = strcmp(r->b[j]->case_name, first->case_name) == 0;
        if (seen || pb_bench_softmax(first))
            continue;
        layout_best lb[2];
        for (int l = 0; l < 2; ++l)
            lb[l] = best_in(r->run, first->case_name, names[l], first->name_threads);
        for (int l = 0; l < 2; ++l) {
            const pb_bench *ours = lb[l].ours, *dnn = lb[l].onednn;
            if (!ours)
                continue;
            char t[32], td[32] = "-", x[64] = "-", target[16] = "-", ratio[48] = "", gb[96];
            pb_fmt_time(ours->time_ns, t, sizeof t);
            if (dnn) {
                const double goal = large_stride_1_window(ours) ? TARGET_ONEDNN_LARGE_WINDOW : TARGET_ONEDNN;
                const double med = dnn->time_ns / ours->time_ns, fast = fastest_rep(dnn) / fastest_rep(ours);
                const int v = verdict(med, fast, goal, true);
                pb_fmt_time(dnn->time_ns, td, sizeof td);
                snprintf(x, sizeof x, "%.2f (%.2f), %s", med, fast, verdict_names[v]);
                snprintf(target, sizeof target, "%.2f", goal);
                char bound[128] = "";
                if (v != MET)
                    onednn_bound(r->run, dnn, goal, bound, sizeof bound);
                tally_add(&vs_onednn[l], v, "%s %.2fx%s", pb_bench_case(ours), med, bound);
            }
            if (l == 0 && lb[1].ours) {
                const pb_bench *nhwc = lb[1].ours;
                const double med = ours->time_ns / nhwc->time_ns, fast = fastest_rep(ours) / fastest_rep(nhwc);
                const int v = verdict(med, fast, TARGET_NCHW_OVER_NHWC, false);
                snprintf(ratio, sizeof ratio, "%.2f, %s", med, verdict_names[v]);
                tally_add(&layouts, v, "%s %.2f", pb_bench_case(ours), med);
            }
            triad_cell(r, ours, triad, nt, &triad_one, gb, sizeof gb);
            const bool first_row = l == 0 || !lb[0].ours;
            const pb_bench *pass = first_row ? pb_bench_plain_pass(r->run, ours) : NULL;
            char tp[32] = "";
            if (pass)
                pb_fmt_time(pass->time_ns, tp, sizeof tp);
            fprintf(md, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", first_row ? pb_bench_case(ours) : "",
                    ours->layout, ours->impl, t, td, tp, x, target, ratio, gb);
        }
    }
    thread_targets(r, &scaling, &triad_all);
    fputc('\n', md);
    const tally *all[] = {&vs_onednn[0], &vs_onednn[1], &layouts, &triad_one, &scaling, &triad_all};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        tally_print(md, all[i]);
    fputc('\n', md);
}
