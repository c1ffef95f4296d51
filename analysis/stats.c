#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pb_cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

double pb_median(const double *v, size_t n)
{
    double *s = malloc(n * sizeof *s);
    if (s == NULL)
        return NAN;
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, pb_cmp_double);
    double m = n % 2 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    free(s);
    return m;
}

double pb_geomean(const double *v, size_t n)
{
    double log_sum = 0.0;
    size_t used = 0;
    for (size_t i = 0; i < n; ++i)
        if (isfinite(v[i]) && v[i] > 0.0) {
            log_sum += log(v[i]);
            ++used;
        }
    return used ? exp(log_sum / (double)used) : NAN;
}

/* P(U >= k) under the null with no ties. The number of arrangements giving
 * each U is a coefficient of the Gaussian binomial [nx+ny choose nx]_q, built
 * as prod_i (1 - q^(ny+i)) / (1 - q^i); every partial product has integer
 * coefficients, so doubles hold them exactly for the sizes benchmarks use. */
static double exact_upper_tail(size_t nx, size_t ny, double k)
{
    size_t deg = nx * ny;
    double *c = calloc(deg + 1, sizeof *c);
    if (c == NULL)
        return NAN;
    c[0] = 1.0;
    for (size_t i = 1; i <= nx; ++i) {
        for (size_t j = deg; j >= ny + i && j <= deg; --j)
            c[j] -= c[j - (ny + i)];
        for (size_t j = i; j <= deg; ++j)
            c[j] += c[j - i];
    }
    double total = 0.0, tail = 0.0;
    for (size_t u = 0; u <= deg; ++u) {
        total += c[u];
        if ((double)u >= k)
            tail += c[u];
    }
    free(c);
    return tail / total;
}

static double normal_sf(double z) { return 0.5 * erfc(z / sqrt(2.0)); }

typedef struct {
    double v;
    int from_x;
} tagged;

static int cmp_tagged(const void *a, const void *b) { return pb_cmp_double(&((const tagged *)a)->v, &((const tagged *)b)->v); }

pb_utest pb_mann_whitney(const double *x, size_t nx, const double *y, size_t ny)
{
    pb_utest r = {.u = NAN, .p = NAN, .exact = false};
    size_t n = nx + ny;
    tagged *all = malloc(n * sizeof *all);
    if (all == NULL || nx == 0 || ny == 0) {
        free(all);
        return r;
    }
    for (size_t i = 0; i < nx; ++i)
        all[i] = (tagged){x[i], 1};
    for (size_t i = 0; i < ny; ++i)
        all[nx + i] = (tagged){y[i], 0};
    qsort(all, n, sizeof *all, cmp_tagged);
    /* Mid-ranks for ties; tie_term = sum(t^3 - t) over groups of t equal values. */
    double rank_sum_x = 0.0, tie_term = 0.0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && all[j].v == all[i].v)
            ++j;
        double t = (double)(j - i), mid_rank = 0.5 * (double)(i + 1 + j);
        tie_term += t * t * t - t;
        for (size_t k = i; k < j; ++k)
            if (all[k].from_x)
                rank_sum_x += mid_rank;
        i = j;
    }
    free(all);
    double fx = (double)nx, fy = (double)ny, fn = (double)n;
    r.u = rank_sum_x - fx * (fx + 1.0) / 2.0;
    double u_big = fmax(r.u, fx * fy - r.u);
    r.exact = (nx <= 8 || ny <= 8) && tie_term == 0.0;
    if (r.exact) {
        r.p = 2.0 * exact_upper_tail(nx, ny, u_big);
    } else {
        double s = sqrt(fx * fy / 12.0 * ((fn + 1.0) - tie_term / (fn * (fn - 1.0))));
        r.p = s > 0.0 ? 2.0 * normal_sf((u_big - fx * fy / 2.0 - 0.5) / s) : 1.0;
    }
    r.p = fmin(r.p, 1.0);
    return r;
}

double pb_mann_whitney_min_p(size_t nx, size_t ny)
{
    if (nx == 0 || ny == 0)
        return 1.0;
    double fx = (double)nx, fy = (double)ny, fn = fx + fy;
    if (nx <= 8 || ny <= 8)
        return fmin(1.0, 2.0 * exact_upper_tail(nx, ny, fx * fy));
    double s = sqrt(fx * fy / 12.0 * (fn + 1.0));
    return fmin(1.0, 2.0 * normal_sf((fx * fy / 2.0 - 0.5) / s));
}

/* Differences up to which the signed-rank test counts its null distribution
 * exactly (scipy's choice); 2^50 subsets still fit a double's integers. */
enum { WILCOXON_EXACT_MAX = 50 };

/* P(T+ <= t) under the null without ties: the number of subsets of the
 * ranks 1..n with each sum, over 2^n. */
static double signed_rank_lower_tail(size_t n, double t)
{
    const size_t top = n * (n + 1) / 2;
    double *ways = calloc(top + 1, sizeof *ways);
    if (ways == NULL)
        return NAN;
    ways[0] = 1.0;
    for (size_t r = 1; r <= n; ++r)
        for (size_t s = top; s >= r; --s)
            ways[s] += ways[s - r];
    double tail = 0.0;
    for (size_t s = 0; s <= top && (double)s <= t; ++s)
        tail += ways[s];
    free(ways);
    return tail / ldexp(1.0, (int)n);
}

static int by_magnitude(const void *a, const void *b)
{
    const double x = fabs(*(const double *)a), y = fabs(*(const double *)b);
    return (x > y) - (x < y);
}

pb_utest pb_wilcoxon(const double *d, size_t n)
{
    pb_utest r = {.u = NAN, .p = NAN, .exact = false};
    double *nonzero = malloc((n ? n : 1) * sizeof *nonzero);
    if (nonzero == NULL)
        return r;
    size_t m = 0;
    for (size_t i = 0; i < n; ++i)
        if (d[i] != 0.0)
            nonzero[m++] = d[i];
    qsort(nonzero, m, sizeof *nonzero, by_magnitude);
    double t_plus = 0.0, tie_term = 0.0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        while (j < m && fabs(nonzero[j]) == fabs(nonzero[i]))
            ++j;
        const double t = (double)(j - i), mid_rank = 0.5 * (double)(i + 1 + j);
        tie_term += t * t * t - t;
        for (size_t k = i; k < j; ++k)
            t_plus += nonzero[k] > 0.0 ? mid_rank : 0.0;
        i = j;
    }
    free(nonzero);
    r.u = t_plus;
    if (m == 0) {
        r.p = 1.0;
        return r;
    }
    const double fm = (double)m, mean = fm * (fm + 1.0) / 4.0;
    r.exact = m <= WILCOXON_EXACT_MAX && tie_term == 0.0;
    if (r.exact) {
        r.p = 2.0 * signed_rank_lower_tail(m, fmin(t_plus, 2.0 * mean - t_plus));
    } else {
        const double sd = sqrt(fm * (fm + 1.0) * (2.0 * fm + 1.0) / 24.0 - tie_term / 48.0);
        r.p = sd > 0.0 ? 2.0 * normal_sf(fabs(t_plus - mean) / sd) : 1.0;
    }
    r.p = fmin(r.p, 1.0);
    return r;
}

double pb_wilcoxon_min_p(size_t n)
{
    if (n == 0)
        return 1.0;
    if (n <= WILCOXON_EXACT_MAX)
        return fmin(1.0, 2.0 * ldexp(1.0, -(int)n));
    const double fn = (double)n;
    return fmin(1.0, 2.0 * normal_sf(fn * (fn + 1.0) / 4.0 / sqrt(fn * (fn + 1.0) * (2.0 * fn + 1.0) / 24.0)));
}
