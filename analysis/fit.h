/* Least-squares cost models: time = sum_k c_k * x_k (through the origin, as
 * the seed's model has no fixed cost), fitted on RELATIVE error (weights
 * 1/time^2, GSL's gsl_multifit_wlinear) so that a 10 us case counts as much
 * as a 10 ms one. Coefficients are kept non-negative (a negative cost per
 * byte is not a machine): when the free fit gives one, the best fit over the
 * remaining variables is taken instead. */
#ifndef POOLBENCH_ANALYSIS_FIT_H
#define POOLBENCH_ANALYSIS_FIT_H
#include <stdbool.h>
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

#define PB_FIT_MAX_VARS 3

typedef struct {
    bool ok;                       /* enough points and a solution */
    int n, nvars;
    double coef[PB_FIT_MAX_VARS];  /* time units per unit of x_k; 0 when dropped */
    bool dropped[PB_FIT_MAX_VARS]; /* forced to 0 by the sign constraint */
    double r2;                     /* 1 - sum w r^2 / sum w (y - weighted mean)^2, w = 1/y^2 */
    double worst;                  /* predicted / measured - 1 with the largest magnitude */
    int worst_index;
} pb_fit;

/* x[k][i]: variable k at point i; y[i] > 0. */
pb_fit pb_fit_relative(const double *y, const double *const *x, int nvars, int n);
/* The prediction of f at point i. */
double pb_fit_predict(const pb_fit *f, const double *const *x, int i);

#ifdef __cplusplus
}
#endif
#endif
