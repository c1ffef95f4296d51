#include "fit.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_multifit.h>
#include <math.h>

double pb_fit_predict(const pb_fit *f, const double *const *x, int i)
{
    double t = 0.0;
    for (int k = 0; k < f->nvars; ++k)
        t += f->coef[k] * x[k][i];
    return t;
}

/* Weighted least squares on the variables in mask; chi^2 or INFINITY. */
static double solve(const double *y, const double *const *x, int nvars, int n, unsigned mask, double *coef)
{
    int cols[PB_FIT_MAX_VARS], p = 0;
    for (int k = 0; k < nvars; ++k)
        if (mask & (1u << k))
            cols[p++] = k;
    if (p == 0 || n < p)
        return INFINITY;
    gsl_matrix *X = gsl_matrix_alloc((size_t)n, (size_t)p);
    gsl_vector *w = gsl_vector_alloc((size_t)n), *yv = gsl_vector_alloc((size_t)n), *c = gsl_vector_alloc((size_t)p);
    gsl_matrix *cov = gsl_matrix_alloc((size_t)p, (size_t)p);
    gsl_multifit_linear_workspace *ws = gsl_multifit_linear_alloc((size_t)n, (size_t)p);
    double chisq = INFINITY;
    if (X && w && yv && c && cov && ws) {
        for (int i = 0; i < n; ++i) {
            for (int j = 0; j < p; ++j)
                gsl_matrix_set(X, (size_t)i, (size_t)j, x[cols[j]][i]);
            gsl_vector_set(yv, (size_t)i, y[i]);
            gsl_vector_set(w, (size_t)i, 1.0 / (y[i] * y[i]));
        }
        if (gsl_multifit_wlinear(X, w, yv, c, cov, &chisq, ws) != GSL_SUCCESS)
            chisq = INFINITY;
        for (int k = 0; k < nvars; ++k)
            coef[k] = 0.0;
        for (int j = 0; j < p; ++j) {
            coef[cols[j]] = gsl_vector_get(c, (size_t)j);
            if (!(coef[cols[j]] >= 0.0))
                chisq = INFINITY;
        }
    }
    gsl_multifit_linear_free(ws);
    gsl_matrix_free(cov);
    gsl_vector_free(c);
    gsl_vector_free(yv);
    gsl_vector_free(w);
    gsl_matrix_free(X);
    return chisq;
}

pb_fit pb_fit_relative(const double *y, const double *const *x, int nvars, int n)
{
    pb_fit f = {.ok = false, .n = n, .nvars = nvars, .r2 = NAN, .worst = NAN, .worst_index = -1};
    if (nvars < 1 || nvars > PB_FIT_MAX_VARS || n < nvars + 1)
        return f;
    gsl_set_error_handler_off();
    /* Non-negative least squares for a handful of variables: the best of the
     * subsets whose free fit has no negative coefficient. */
    double best = INFINITY, coef[PB_FIT_MAX_VARS];
    unsigned best_mask = 0;
    for (unsigned mask = 1; mask < 1u << nvars; ++mask) {
        double chisq = solve(y, x, nvars, n, mask, coef);
        if (chisq < best) {
            best = chisq;
            best_mask = mask;
            for (int k = 0; k < nvars; ++k)
                f.coef[k] = coef[k];
        }
    }
    if (!isfinite(best))
        return f;
    f.ok = true;
    for (int k = 0; k < nvars; ++k)
        f.dropped[k] = !(best_mask & (1u << k));
    double sw = 0.0, swy = 0.0;
    for (int i = 0; i < n; ++i) {
        sw += 1.0 / (y[i] * y[i]);
        swy += 1.0 / y[i];
    }
    double mean = swy / sw, tss = 0.0;
    for (int i = 0; i < n; ++i) {
        double r = pb_fit_predict(&f, x, i) / y[i] - 1.0;
        tss += (1.0 - mean / y[i]) * (1.0 - mean / y[i]);
        if (f.worst_index < 0 || fabs(r) > fabs(f.worst)) {
            f.worst = r;
            f.worst_index = i;
        }
    }
    f.r2 = tss > 0.0 ? 1.0 - best / tss : NAN;
    return f;
}
