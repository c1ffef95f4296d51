#include <math.h>
#include <stdio.h>

#include "analysis.h"

static void scaled(double v, const double *steps, const char *const *units, int n, char *buf, size_t len)
{
    int i = 0;
    while (i + 1 < n && fabs(v) >= steps[i + 1])
        ++i;
    double x = v / steps[i];
    snprintf(buf, len, x >= 100.0 || i == 0 ? "%.0f %s" : x >= 10.0 ? "%.1f %s" : "%.2f %s", x, units[i]);
}

void pb_fmt_time(double ns, char *buf, size_t len)
{
    static const double steps[] = {1.0, 1e3, 1e6, 1e9};
    static const char *const units[] = {"ns", "us", "ms", "s"};
    if (!isfinite(ns)) {
        snprintf(buf, len, "-");
        return;
    }
    scaled(ns, steps, units, 4, buf, len);
    if (ns < 100.0)
        snprintf(buf, len, "%.1f ns", ns);
}

void pb_fmt_bytes(double bytes, char *buf, size_t len)
{
    static const double steps[] = {1.0, 1024.0, 1048576.0, 1073741824.0};
    static const char *const units[] = {"B", "KiB", "MiB", "GiB"};
    if (!isfinite(bytes)) {
        snprintf(buf, len, "-");
        return;
    }
    scaled(bytes, steps, units, 4, buf, len);
}
