/* poolbench compare: regression verdicts between two runs, benchmark by
 * benchmark, over the per-repetition times, the way Google Benchmark's
 * compare.py tests them (Mann-Whitney U, two-sided), plus exact instruction
 * counts when both runs carry callgrind.json. */
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

typedef enum { V_SAME, V_REGRESSED, V_IMPROVED } verdict;

typedef struct {
    int regressed, improved, same, only_one, untested, unreliable;
    size_t min_reps;
} tally;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: poolbench compare BASE.json NEW.json [--threshold PCT] [--alpha A]\n\n"
            "Per benchmark present in both runs (matched by name): the change of the median real time over\n"
            "repetitions, and a two-sided Mann-Whitney U test of BASE's repetitions against NEW's (as Google\n"
            "Benchmark's compare.py; exact p-value for small samples without ties, else the normal\n"
            "approximation with tie and continuity correction). A benchmark regressed when it is slower by\n"
            "more than the threshold (default 5%%) AND the difference is significant (p < alpha, default 0.05).\n"
            "With fewer repetitions than can ever reach alpha (fewer than 4 each), the test cannot decide:\n"
            "a warning says so and the verdict is taken on the threshold alone (run with\n"
            "--benchmark_repetitions=9 or more for a real test).\n"
            "When callgrind.json lies beside both runs, instructions per call are compared too: exact\n"
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

/* The widest of w and the names of a run's benchmarks and probes (a plain
 * pass's name is longer than its case's benchmarks'). */
static size_t widest_name(const pb_run *run, size_t w)
{
    for (size_t i = 0; i < run->n_bench; ++i)
        w = strlen(run->bench[i].name) > w ? strlen(run->bench[i].name) : w;
    for (size_t i = 0; i < run->n_probe; ++i)
        w = strlen(run->probe[i].name) > w ? strlen(run->probe[i].name) : w;
    return w;
}

static int name_width(const pb_run *a, const pb_run *b) { return (int)widest_name(b, widest_name(a, 9)); }

/* Whether a run timed any case's plain pass. */
static bool has_plain_passes(const pb_run *run)
{
    static const char prefix[] = PB_PROBE_PREFIX "plain_pass/";
    for (size_t i = 0; i < run->n_probe; ++i)
        if (strncmp(run->probe[i].name, prefix, sizeof prefix - 1) == 0)
            return true;
    return false;
}

/* The change of b's median time over its case's plain pass in NEW against
 * a's over its own in BASE, in percent; NAN where either run has no such pass. */
static double change_against_plain_pass(const pb_run *base, const pb_bench *a, const pb_run *next, const pb_bench *b)
{
    const pb_bench *pass_a = pb_bench_plain_pass(base, a), *pass_b = pb_bench_plain_pass(next, b);
    if (!pass_a || !pass_b || !(pass_a->time_ns > 0) || !(pass_b->time_ns > 0))
        return NAN;
    return (b->time_ns / pass_b->time_ns) / (a->time_ns / pass_a->time_ns) * 100.0 - 100.0;
}

static void compare_times(const pb_run *base, const pb_run *next, double threshold, double alpha, int w, tally *t)
{
    const bool passes = has_plain_passes(base) && has_plain_passes(next);
    printf("%-*s %10s %10s %9s%s %8s  %s\n", w, "benchmark", "base", "new", "change", passes ? "   vs pass" : "",
           "p-value", "verdict");
    t->min_reps = SIZE_MAX;
    for (size_t i = 0; i < base->n_bench; ++i) {
        const pb_bench *a = &base->bench[i], *b = pb_run_find(next, a->name);
        if (b == NULL) {
            printf("%-*s %10s %10s %9s%s %8s  only in BASE\n", w, a->name, "", "-", "", passes ? "          " : "", "");
            ++t->only_one;
            continue;
        }
        double change = (b->time_ns / a->time_ns - 1.0) * 100.0;
        bool testable = pb_mann_whitney_min_p(a->n_reps, b->n_reps) < alpha;
        pb_utest u = pb_mann_whitney(a->real_ns, a->n_reps, b->real_ns, b->n_reps);
        verdict v = classify(change, threshold, testable ? u.p < alpha : true);
        count(t, v);
        t->untested += !testable;
        t->unreliable += testable && (a->n_reps < OPTIMAL_REPETITIONS || b->n_reps < OPTIMAL_REPETITIONS);
        t->min_reps = a->n_reps < t->min_reps ? a->n_reps : t->min_reps;
        t->min_reps = b->n_reps < t->min_reps ? b->n_reps : t->min_reps;
        char ta[32], tb[32], p[16];
        pb_fmt_time(a->time_ns, ta, sizeof ta);
        pb_fmt_time(b->time_ns, tb, sizeof tb);
        snprintf(p, sizeof p, testable ? "%.4f" : "-", u.p);
        const char *note = testable ? (v == V_SAME && fabs(change) > threshold ? " (not significant)" : "")
                                    : " (untested: threshold alone)";
        char vs_pass[16] = "";
        const double relative = change_against_plain_pass(base, a, next, b);
        if (passes && isfinite(relative))
            snprintf(vs_pass, sizeof vs_pass, " %+8.1f%%", relative);
        else if (passes)
            snprintf(vs_pass, sizeof vs_pass, " %9s", "-");
        printf("%-*s %10s %10s %+8.1f%%%s %8s  %s%s\n", w, a->name, ta, tb, change, vs_pass, p, verdict_word(v), note);
    }
    for (size_t i = 0; i < next->n_bench; ++i)
        if (pb_run_find(base, next->bench[i].name) == NULL) {
            printf("%-*s %10s %10s %9s%s %8s  only in NEW\n", w, next->bench[i].name, "-", "", "",
                   passes ? "          " : "", "");
            ++t->only_one;
        }
}

/* The machine between the runs: the triads and the cases' plain passes each
 * timed among its cases (no verdict: a case slower by as much as its roof is
 * the machine's doing). */
static void compare_probes(const pb_run *base, const pb_run *next, int w)
{
    bool header = false;
    for (size_t i = 0; i < base->n_probe; ++i) {
        const pb_bench *a = &base->probe[i], *b = pb_run_find_probe(next, a->name);
        if (b == NULL || !(pb_probe_GBps(a) > 0))
            continue;
        if (!header)
            printf("\nthe machine: the triads and plain passes timed among each run's cases, GB/s (median; no "
                   "verdict)\n");
        header = true;
        const double ga = pb_probe_GBps(a), gb = pb_probe_GBps(b);
        printf("%-*s %10.1f %10.1f %+8.1f%%\n", w, a->name, ga, gb, (gb / ga - 1.0) * 100.0);
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
        pb_cli_error("compare needs exactly two runs: BASE.json NEW.json (see poolbench compare --help)");
        return PB_EXIT_USAGE;
    }
    pb_run base, next;
    char err[PATH_MAX + 256];
    if (pb_run_load(argv[optind], &base, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return PB_EXIT_USAGE;
    }
    if (pb_run_load(argv[optind + 1], &next, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        pb_run_free(&base);
        return PB_EXIT_USAGE;
    }
    int rc = PB_EXIT_OK;
    tally t = {0};
    int w = name_width(&base, &next);
    compare_times(&base, &next, threshold, alpha, w, &t);
    if (t.regressed + t.improved + t.same == 0) {
        pb_cli_error("%s and %s have no benchmark in common", base.path, next.path);
        rc = PB_EXIT_USAGE;
        goto done;
    }
    int time_regressions = t.regressed;
    compare_probes(&base, &next, w);
    if (base.has_callgrind && next.has_callgrind)
        compare_instructions(&base, &next, threshold, w, &t);
    else if (base.has_callgrind || next.has_callgrind)
        printf("\ninstructions not compared: callgrind.json lies beside %s only\n",
               base.has_callgrind ? "BASE" : "NEW");
    if (t.untested)
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
    pb_run_free(&base);
    pb_run_free(&next);
    return rc;
}
