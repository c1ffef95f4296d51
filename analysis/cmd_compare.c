/* poolbench compare: regression verdicts between two runs, benchmark by
 * benchmark, over the per-repetition times, the way Google Benchmark's
 * compare.py tests them (Mann-Whitney U, two-sided), or between two lists of
 * runs taken in pairs (Wilcoxon signed-rank over the pairs), plus exact
 * instruction counts when both (first) runs carry callgrind.json. */
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"
#include "report.h"
#include "run_json.h"
#include "stats.h"

/* compare.py's UTEST_OPTIMAL_REPETITIONS: below it the test is "unreliable". */
enum { OPTIMAL_REPETITIONS = 9 };
/* Runs a side at the most; scripts/ab takes 9 pairs by default. */
enum { MAX_RUNS = 64 };

typedef enum { V_SAME, V_REGRESSED, V_IMPROVED } verdict;

typedef struct {
    int regressed, improved, same, only_one, untested, unreliable;
    size_t min_reps;
} tally;

/* One side of a comparison: one run, or several, each taken beside the
 * other side's run of the same index (scripts/ab alternates them). */
typedef struct {
    pb_run *runs; /* MAX_RUNS */
    size_t n;
} side;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: poolbench compare BASE.json[,BASE2.json...] NEW.json[,NEW2.json...] [--threshold PCT]\n"
            "                         [--alpha A]\n\n"
            "Per benchmark present in both runs (matched by name): the change of the median real time over\n"
            "repetitions, and a two-sided Mann-Whitney U test of BASE's repetitions against NEW's (as Google\n"
            "Benchmark's compare.py; exact p-value for small samples without ties, else the normal\n"
            "approximation with tie and continuity correction). A benchmark regressed when it is slower by\n"
            "more than the threshold (default 5%%) AND the difference is significant (p < alpha, default 0.05).\n"
            "With fewer repetitions than can ever reach alpha (fewer than 4 each), the test cannot decide:\n"
            "a warning says so and the verdict is taken on the threshold alone (run with\n"
            "--benchmark_repetitions=9 or more for a real test).\n"
            "Paired runs: several runs a side, comma-separated, as many on each, run i of BASE taken just\n"
            "before or after run i of NEW (scripts/ab alternates two builds so). The change is then the\n"
            "median of the pairs' changes of median time, and the test Wilcoxon's signed-rank over their\n"
            "log ratios (6 pairs or more can reach 0.05): a machine whose speed drifts over minutes moves\n"
            "both runs of a pair, and the pairs cancel it where separate runs cannot.\n"
            "When callgrind.json lies beside both (first) runs, instructions per call are compared too: exact\n"
            "counts, so any increase above the threshold is a regression without a test.\n"
            "Where both runs timed plain passes (probe/plain_pass: a run that leaves the caches, or --triad),\n"
            "the column 'vs pass' gives each change against its case's plain pass in each run, without a\n"
            "test: a case that slows as much as its plain pass did is the machine's spell, not the code.\n\n"
            "Exit status: 0 nothing regressed, 1 something regressed, 2 bad input.\n");
}

static bool parse_threshold(const char *s, double *pct)
{
    char *end;
    double v = strtod(s, &end);
    if (end == s || (*end != '\0' && strcmp(end, "%") != 0) || !(v >= 0.0 && v < 1000.0))
        return false;
    *pct = v;
    return true;
}

static verdict classify(double change_pct, double threshold_pct, bool significant)
{
    if (!significant || fabs(change_pct) <= threshold_pct)
        return V_SAME;
    return change_pct > 0 ? V_REGRESSED : V_IMPROVED;
}

static const char *verdict_word(verdict v) { return v == V_REGRESSED ? "REGRESSED" : v == V_IMPROVED ? "improved" : "same"; }

static void count(tally *t, verdict v)
{
    if (v == V_REGRESSED)
        ++t->regressed;
    else if (v == V_IMPROVED)
        ++t->improved;
    else
        ++t->same;
}

static void side_free(side *s)
{
    for (size_t i = 0; i < s->n; ++i)
        pb_run_free(&s->runs[i]);
    free(s->runs);
    s->runs = NULL;
    s->n = 0;
}

/* Loads the comma-separated runs of list; 0, or -1 with the error said. */
static int side_load(const char *list, const char *label, side *s)
{
    s->n = 0;
    s->runs = calloc(MAX_RUNS, sizeof *s->runs);
    char *copy = strdup(list), *save = NULL;
    bool failed = s->runs == NULL || copy == NULL;
    if (failed)
        pb_cli_error("out of memory");
    for (char *path = failed ? NULL : strtok_r(copy, ",", &save); path && !failed; path = strtok_r(NULL, ",", &save)) {
        char err[PATH_MAX + 256];
        if (s->n == MAX_RUNS) {
            pb_cli_error("%s lists more than %d runs", label, MAX_RUNS);
            failed = true;
        } else if (pb_run_load(path, &s->runs[s->n], err, sizeof err) != 0) {
            pb_cli_error("%s", err);
            failed = true;
        } else {
            ++s->n;
        }
    }
    free(copy);
    if (!failed && s->n == 0) {
        pb_cli_error("%s names no run", label);
        failed = true;
    }
    if (failed)
        side_free(s);
    return failed ? -1 : 0;
}

/* name's benchmark in each run of s, into found; false when a run lacks it. */
static bool side_find(const side *s, const char *name, const pb_bench **found)
{
    for (size_t i = 0; i < s->n; ++i)
        if ((found[i] = pb_run_find(&s->runs[i], name)) == NULL)
            return false;
    return true;
}

/* The median over the runs of each run's median time. */
static double side_time(const pb_bench *const *found, size_t n)
{
    double t[MAX_RUNS];
    for (size_t i = 0; i < n; ++i)
        t[i] = found[i]->time_ns;
    return pb_median(t, n);
}

/* The widest of w and the names of a side's benchmarks and probes (a plain
 * pass's name is longer than its case's benchmarks'). */
static size_t widest_name(const side *s, size_t w)
{
    for (size_t r = 0; r < s->n; ++r) {
        const pb_run *run = &s->runs[r];
        for (size_t i = 0; i < run->n_bench; ++i)
            w = strlen(run->bench[i].name) > w ? strlen(run->bench[i].name) : w;
        for (size_t i = 0; i < run->n_probe; ++i)
            w = strlen(run->probe[i].name) > w ? strlen(run->probe[i].name) : w;
    }
    return w;
}

/* Whether every run of a side timed some case's plain pass. */
static bool has_plain_passes(const side *s)
{
    static const char prefix[] = PB_PROBE_PREFIX "plain_pass/";
    for (size_t r = 0; r < s->n; ++r) {
        bool found = false;
        for (size_t i = 0; i < s->runs[r].n_probe && !found; ++i)
            found = strncmp(s->runs[r].probe[i].name, prefix, sizeof prefix - 1) == 0;
        if (!found)
            return false;
    }
    return true;
}

/* A benchmark's change from BASE to NEW, in percent, and its test. One run a
 * side: the change of the medians and the U test over the repetitions, as
 * compare.py. Paired runs: the median of the pairs' changes and the
 * signed-rank test over their log ratios. */
typedef struct {
    double change, p;
    bool testable;
} tested_change;

static tested_change test_change(const pb_bench *const *a, const pb_bench *const *b, size_t n, double alpha)
{
    tested_change t;
    if (n == 1) {
        t.change = (b[0]->time_ns / a[0]->time_ns - 1.0) * 100.0;
        t.testable = pb_mann_whitney_min_p(a[0]->n_reps, b[0]->n_reps) < alpha;
        t.p = pb_mann_whitney(a[0]->real_ns, a[0]->n_reps, b[0]->real_ns, b[0]->n_reps).p;
        return t;
    }
    double ratio[MAX_RUNS], log_ratio[MAX_RUNS];
    for (size_t i = 0; i < n; ++i) {
        ratio[i] = b[i]->time_ns / a[i]->time_ns;
        log_ratio[i] = log(ratio[i]);
    }
    t.change = (pb_median(ratio, n) - 1.0) * 100.0;
    t.testable = pb_wilcoxon_min_p(n) < alpha;
    t.p = pb_wilcoxon(log_ratio, n).p;
    return t;
}

/* The change of each NEW run's time over its case's plain pass against its
 * BASE run's over its own, in percent (the median over pairs); NAN where a
 * run has no such pass. */
static double change_against_plain_pass(const side *base, const pb_bench *const *a, const side *next,
                                        const pb_bench *const *b)
{
    double relative[MAX_RUNS];
    for (size_t i = 0; i < base->n; ++i) {
        const pb_bench *pass_a = pb_bench_plain_pass(&base->runs[i], a[i]);
        const pb_bench *pass_b = pb_bench_plain_pass(&next->runs[i], b[i]);
        if (!pass_a || !pass_b || !(pass_a->time_ns > 0) || !(pass_b->time_ns > 0))
            return NAN;
        relative[i] = (b[i]->time_ns / pass_b->time_ns) / (a[i]->time_ns / pass_a->time_ns);
    }
    return (pb_median(relative, base->n) - 1.0) * 100.0;
}

static void compare_times(const side *base, const side *next, double threshold, double alpha, int w, tally *t)
{
    const bool passes = has_plain_passes(base) && has_plain_passes(next);
    const char *const no_pass = passes ? "          " : "";
    if (base->n > 1)
        printf("%zu pairs of runs: change = the median of the pairs' changes, p = Wilcoxon signed-rank over them\n\n",
               base->n);
    printf("%-*s %10s %10s %9s%s %8s  %s\n", w, "benchmark", "base", "new", "change", passes ? "   vs pass" : "",
           "p-value", "verdict");
    t->min_reps = SIZE_MAX;
    const pb_run *first = &base->runs[0];
    for (size_t i = 0; i < first->n_bench; ++i) {
        const char *name = first->bench[i].name;
        const pb_bench *a[MAX_RUNS], *b[MAX_RUNS];
        const bool in_base = side_find(base, name, a), in_next = side_find(next, name, b);
        if (!in_base || !in_next) {
            const bool nowhere_new = pb_run_find(&next->runs[0], name) == NULL;
            printf("%-*s %10s %10s %9s%s %8s  %s\n", w, name, "", "-", "", no_pass, "",
                   in_base && nowhere_new ? "only in BASE" : "not in every run");
            ++t->only_one;
            continue;
        }
        const tested_change c = test_change(a, b, base->n, alpha);
        verdict v = classify(c.change, threshold, c.testable ? c.p < alpha : true);
        count(t, v);
        t->untested += !c.testable;
        if (base->n == 1) {
            t->unreliable += c.testable && (a[0]->n_reps < OPTIMAL_REPETITIONS || b[0]->n_reps < OPTIMAL_REPETITIONS);
            t->min_reps = a[0]->n_reps < t->min_reps ? a[0]->n_reps : t->min_reps;
            t->min_reps = b[0]->n_reps < t->min_reps ? b[0]->n_reps : t->min_reps;
        }
        char ta[32], tb[32], p[16];
        pb_fmt_time(side_time(a, base->n), ta, sizeof ta);
        pb_fmt_time(side_time(b, next->n), tb, sizeof tb);
        snprintf(p, sizeof p, c.testable ? "%.4f" : "-", c.p);
        const char *note = c.testable ? (v == V_SAME && fabs(c.change) > threshold ? " (not significant)" : "")
                                      : " (untested: threshold alone)";
        char vs_pass[16] = "";
        const double relative = change_against_plain_pass(base, a, next, b);
        if (passes && isfinite(relative))
            snprintf(vs_pass, sizeof vs_pass, " %+8.1f%%", relative);
        else if (passes)
            snprintf(vs_pass, sizeof vs_pass, " %9s", "-");
        printf("%-*s %10s %10s %+8.1f%%%s %8s  %s%s\n", w, name, ta, tb, c.change, vs_pass, p, verdict_word(v), note);
    }
    for (size_t i = 0; i < next->runs[0].n_bench; ++i)
        if (pb_run_find(first, next->runs[0].bench[i].name) == NULL) {
            printf("%-*s %10s %10s %9s%s %8s  only in NEW\n", w, next->runs[0].bench[i].name, "-", "", "", no_pass, "");
            ++t->only_one;
        }
}

/* A probe's GB/s on a side: the median over its runs; 0 where a run lacks it. */
static double side_probe_GBps(const side *s, const char *name)
{
    double g[MAX_RUNS];
    for (size_t i = 0; i < s->n; ++i)
        if (!((g[i] = pb_probe_GBps(pb_run_find_probe(&s->runs[i], name))) > 0))
            return 0.0;
    return pb_median(g, s->n);
}

/* The machine between the runs: the triads and the cases' plain passes each
 * timed among its cases (no verdict: a case slower by as much as its roof is
 * the machine's doing). */
static void compare_probes(const side *base, const side *next, int w)
{
    bool header = false;
    const pb_run *first = &base->runs[0];
    for (size_t i = 0; i < first->n_probe; ++i) {
        const char *name = first->probe[i].name;
        const double ga = side_probe_GBps(base, name), gb = side_probe_GBps(next, name);
        if (!(ga > 0) || !(gb > 0))
            continue;
        if (!header)
            printf("\nthe machine: the triads and plain passes timed among each run's cases, GB/s (median; no "
                   "verdict)\n");
        header = true;
        printf("%-*s %10.1f %10.1f %+8.1f%%\n", w, name, ga, gb, (gb / ga - 1.0) * 100.0);
    }
}

static const pb_cg_entry *find_cg(const pb_run *run, const char *name)
{
    for (size_t i = 0; i < run->n_cg; ++i)
        if (strcmp(run->cg[i].name, name) == 0)
            return &run->cg[i];
    return NULL;
}

static void compare_instructions(const pb_run *base, const pb_run *next, double threshold, int w, tally *t)
{
    printf("\ninstructions per call (callgrind, exact):\n%-*s %14s %14s %9s  %s\n", w, "benchmark", "base", "new",
           "change", "verdict");
    for (size_t i = 0; i < base->n_cg; ++i) {
        const pb_cg_entry *a = &base->cg[i], *b = find_cg(next, a->name);
        if (b == NULL)
            continue;
        double change = (b->instructions / a->instructions - 1.0) * 100.0;
        verdict v = classify(change, threshold, true);
        count(t, v);
        printf("%-*s %14.0f %14.0f %+8.2f%%  %s\n", w, a->name, a->instructions, b->instructions, change,
               verdict_word(v));
    }
}

int pb_cmd_compare(int argc, char **argv)
{
    static const struct option longopts[] = {{"threshold", required_argument, 0, 't'},
                                             {"alpha", required_argument, 0, 'a'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    double threshold = 5.0, alpha = 0.05;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return PB_EXIT_OK;
        case 't':
            if (!parse_threshold(optarg, &threshold)) {
                pb_cli_error("bad --threshold '%s': expected a percentage such as 5%% or 2.5", optarg);
                return PB_EXIT_USAGE;
            }
            break;
        case 'a': {
            char *end;
            alpha = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(alpha > 0.0 && alpha < 1.0)) {
                pb_cli_error("bad --alpha '%s': expected a number between 0 and 1", optarg);
                return PB_EXIT_USAGE;
            }
            break;
        }
        case ':':
            pb_cli_error("option %s needs a value", argv[optind - 1]);
            return PB_EXIT_USAGE;
        default:
            pb_cli_error("unknown option '%s' (see poolbench compare --help)", argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
    }
    if (argc - optind != 2) {
        pb_cli_error("compare needs exactly two runs or lists of runs: BASE.json NEW.json (see poolbench compare "
                     "--help)");
        return PB_EXIT_USAGE;
    }
    side base, next = {0};
    if (side_load(argv[optind], "BASE", &base) != 0)
        return PB_EXIT_USAGE;
    int rc = PB_EXIT_USAGE;
    if (side_load(argv[optind + 1], "NEW", &next) != 0)
        goto done;
    if (base.n != next.n) {
        pb_cli_error("BASE has %zu runs and NEW %zu: paired runs need as many on each side", base.n, next.n);
        goto done;
    }
    tally t = {0};
    int w = (int)widest_name(&next, widest_name(&base, 9));
    compare_times(&base, &next, threshold, alpha, w, &t);
    if (t.regressed + t.improved + t.same == 0) {
        pb_cli_error("%s and %s have no benchmark in common", argv[optind], argv[optind + 1]);
        goto done;
    }
    int time_regressions = t.regressed;
    compare_probes(&base, &next, w);
    const pb_run *base0 = &base.runs[0], *next0 = &next.runs[0];
    if (base0->has_callgrind && next0->has_callgrind)
        compare_instructions(base0, next0, threshold, w, &t);
    else if (base0->has_callgrind || next0->has_callgrind)
        printf("\ninstructions not compared: callgrind.json lies beside %s only\n",
               base0->has_callgrind ? "BASE" : "NEW");
    if (t.untested && base.n > 1)
        fprintf(stderr,
                "poolbench: warning: %zu pairs of runs cannot reach alpha %g in a signed-rank test (6 pairs can "
                "reach 0.05); verdicts rest on the %g%% threshold alone\n",
                base.n, alpha, threshold);
    else if (t.untested)
        fprintf(stderr,
                "poolbench: warning: %d benchmark(s) have too few repetitions (fewest: %zu) for a U test to reach "
                "alpha %g; their verdicts rest on the %g%% threshold alone (use --benchmark_repetitions=%d)\n",
                t.untested, t.min_reps, alpha, threshold, OPTIMAL_REPETITIONS);
    else if (t.unreliable)
        fprintf(stderr, "poolbench: warning: U test over %zu repetitions: results unreliable, %d+ recommended (as "
                        "compare.py says)\n",
                t.min_reps, OPTIMAL_REPETITIONS);
    printf("\nsummary: %d regressed (%d in time, %d in instructions), %d improved, %d same, %d only in one run "
           "(threshold %g%%, alpha %g)\n",
           t.regressed, time_regressions, t.regressed - time_regressions, t.improved, t.same, t.only_one, threshold,
           alpha);
    rc = t.regressed ? PB_EXIT_FAILURE : PB_EXIT_OK;
done:
    side_free(&base);
    side_free(&next);
    return rc;
}
