/* Small statistics for benchmark results: medians, geometric means and the
 * Mann-Whitney U test that Google Benchmark's compare.py applies to
 * repetitions (scipy.stats.mannwhitneyu, two-sided, method "auto"). */
#ifndef POOLBENCH_ANALYSIS_STATS_H
#define POOLBENCH_ANALYSIS_STATS_H
#include <stdbool.h>
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* qsort's comparison of two doubles, ascending. */
int pb_cmp_double(const void *a, const void *b);
/* Median of n values (n > 0); v is left unchanged. */
double pb_median(const double *v, size_t n);
/* Geometric mean of the positive finite values among n; NAN when there are none. */
double pb_geomean(const double *v, size_t n);

typedef struct {
    double u;       /* U statistic of the first sample: pairs (x, y) with x > y, ties counting 1/2
                       (pb_wilcoxon: T+) */
    double p;       /* two-sided p-value */
    bool exact;     /* exact null distribution (no ties, a sample of at most 8; pb_wilcoxon: at most 50
                       differences) or normal approximation */
} pb_utest;

/* scipy's choice: exact when one sample has at most 8 values and there are no
 * ties; otherwise the normal approximation with tie correction and continuity
 * correction. Needs nx, ny >= 1. */
pb_utest pb_mann_whitney(const double *x, size_t nx, const double *y, size_t ny);

/* The smallest two-sided p-value any outcome could give with these sample
 * sizes (all of one sample below all of the other, no ties). When it is above
 * alpha, no difference can ever be significant. */
double pb_mann_whitney_min_p(size_t nx, size_t ny);

/* Wilcoxon's signed-rank test of n paired differences against a median of
 * zero, two-sided, as scipy.stats.wilcoxon by default: zeros dropped, ties
 * given mid-ranks; exact when there are at most 50 differences and no ties,
 * else the normal approximation with tie correction (no continuity
 * correction). u holds T+, the rank sum of the positive differences; p is 1
 * when every difference is zero. */
pb_utest pb_wilcoxon(const double *d, size_t n);

/* The smallest two-sided p-value n nonzero paired differences can give (all of
 * one sign): 2 / 2^n exactly up to 50. */
double pb_wilcoxon_min_p(size_t n);

#ifdef __cplusplus
}
#endif
#endif
