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
    double u;       /* U statistic of the first sample: pairs (x, y) with x > y, ties counting 1/2 */
    double p;       /* two-sided p-value */
    bool exact;     /* exact null distribution (no ties, a sample of at most 8) or normal approximation */
} pb_utest;

/* scipy's choice: exact when one sample has at most 8 values and there are no
 * ties; otherwise the normal approximation with tie correction and continuity
 * correction. Needs nx, ny >= 1. */
pb_utest pb_mann_whitney(const double *x, size_t nx, const double *y, size_t ny);

/* The smallest two-sided p-value any outcome could give with these sample
 * sizes (all of one sample below all of the other, no ties). When it is above
 * alpha, no difference can ever be significant. */
double pb_mann_whitney_min_p(size_t nx, size_t ny);

#ifdef __cplusplus
}
#endif
#endif
