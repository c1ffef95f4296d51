#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "report.h"

const char *const pb_level_names[4] = {"L1d", "L2", "L3", "DRAM"};

int pb_report_open(pb_report *r, const char *dir, pb_atomic_file *af)
{
    char path[PATH_MAX], err[PATH_MAX + 256];
    if (snprintf(r->dir, sizeof r->dir, "%s", dir) >= (int)sizeof r->dir ||
        snprintf(path, sizeof path, "%s/report.md", dir) >= (int)sizeof path) {
        pb_cli_error("output path too long: %s", dir);
        return -1;
    }
    if (pb_atomic_open(af, path, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return -1;
    }
    r->md = af->f;
    return 0;
}

int pb_report_commit(pb_atomic_file *af)
{
    char err[PATH_MAX + 256];
    if (pb_atomic_commit(af, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return -1;
    }
    printf("report: %s\n", af->final_path);
    return 0;
}

void pb_report_skip(pb_report *r, const char *plot, const char *fmt, ...)
{
    /* A plot an earlier report drew into this directory would now contradict this one. */
    static const char *const exts[] = {"png", "svg", "csv"};
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; ++i) {
        char path[PATH_MAX];
        if (snprintf(path, sizeof path, "%s/%s.%s", r->dir, plot, exts[i]) < (int)sizeof path)
            unlink(path);
    }
    size_t used = strlen(r->skipped);
    int n = snprintf(r->skipped + used, sizeof r->skipped - used, "- %s: ", plot);
    if (n < 0 || (size_t)n >= sizeof r->skipped - used)
        return;
    used += (size_t)n;
    va_list ap;
    va_start(ap, fmt);
    n = vsnprintf(r->skipped + used, sizeof r->skipped - used, fmt, ap);
    va_end(ap);
    if (n >= 0 && (size_t)n + 1 < sizeof r->skipped - used)
        strcat(r->skipped, "\n");
}

void pb_report_plot(pb_report *r, pb_plot *pl, const char *script, const char *caption)
{
    char err[PATH_MAX + 256];
    if (pb_plot_render(pl, script, err, sizeof err) != 0) {
        ++r->failures;
        pb_report_skip(r, pl->base, "%s", err);
        fprintf(stderr, "poolbench: %s\n", err);
        return;
    }
    fprintf(r->md, "\n![%s](%s.png)\n\n*%s* ([SVG](%s.svg), [data](%s.csv))\n", caption, pl->base, caption, pl->base,
            pl->base);
}

void pb_series_key(const pb_bench *b, char *buf, size_t len) { snprintf(buf, len, "%s/%s", b->impl, b->layout); }

double pb_bench_gops(const pb_bench *b) { return b->model_ops / b->time_ns; }

bool pb_bench_softmax(const pb_bench *b) { return b->has_params && b->params.mode == PB_MODE_SOFTMAX; }

bool pb_same_geometry(const pb_bench *a, const pb_bench *b)
{
    const pb_params *p = &a->params, *q = &b->params;
    return a->has_params && b->has_params && strcmp(a->layout, b->layout) == 0 && p->n == q->n && p->c == q->c &&
           p->h == q->h && p->w == q->w && p->kh == q->kh && p->kw == q->kw && p->sh == q->sh && p->sw == q->sw &&
           p->ph == q->ph && p->pw == q->pw && p->dh == q->dh && p->dw == q->dw && p->ceil_mode == q->ceil_mode &&
           a->name_threads == b->name_threads;
}

const char *pb_bench_case(const pb_bench *b) { return b->case_name[0] ? b->case_name : b->name; }

double pb_run_cache_bytes(const pb_run *run, int level)
{
    static const char *const keys[3] = {"l1d_bytes", "l2_bytes", "l3_bytes"};
    /* Runs before 2026-12-05 took hwloc's L3 as it came. */
    if (level == 2 && pb_run_ctx_str(run, "l3_measured_bytes"))
        return pb_run_ctx_num(run, "l3_measured_bytes");
    return pb_run_ctx_num(run, keys[level]);
}

const pb_bench *pb_bench_plain_pass(const pb_run *run, const pb_bench *b)
{
    return pb_run_probe(run, "plain_pass", pb_bench_case(b), 1);
}

int pb_bench_level(const pb_run *run, const pb_bench *b)
{
    if (!isfinite(b->bytes))
        return -1;
    for (int l = 0; l < 3; ++l) {
        double size = pb_run_cache_bytes(run, l);
        if (!isfinite(size))
            return -1;
        if (b->bytes <= size)
            return l;
    }
    return 3;
}

void pb_case_label(const pb_bench *b, char *buf, size_t len)
{
    const pb_params *p = &b->params;
    if (!b->has_params) {
        snprintf(buf, len, "%s", pb_bench_case(b));
        return;
    }
    int n = p->n > 1 ? snprintf(buf, len, "n%lld ", (long long)p->n) : 0;
    if (n >= 0 && (size_t)n < len)
        n += snprintf(buf + n, len - (size_t)n, "c%lld %lldx%lld k%lldx%lld s%lld p%lld", (long long)p->c,
                      (long long)p->h, (long long)p->w, (long long)p->kh, (long long)p->kw, (long long)p->sh,
                      (long long)p->ph);
    if (n > 0 && (size_t)n < len && (p->dh > 1 || p->dw > 1))
        n += snprintf(buf + n, len - (size_t)n, " d%lld", (long long)p->dh);
    if (n > 0 && (size_t)n < len && p->ceil_mode)
        n += snprintf(buf + n, len - (size_t)n, " ceil");
    if (n > 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, " %s%s", pb_mode_name(p->mode),
                 p->mode == PB_MODE_AVG && !p->count_include_pad ? " excl-pad" : "");
}

double pb_run_triad_at_start(const pb_run *run, int level, int threads, bool streaming)
{
    static const char *const caches[3] = {"stream_l1_GBps", "stream_l2_GBps", "stream_l3_GBps"};
    if (level < 3)
        return threads <= 1 && !streaming ? pb_run_ctx_num(run, caches[level]) : NAN;
    char key[64];
    snprintf(key, sizeof key, "stream_dram%s_GBps%s", streaming ? "_nt" : "", threads > 1 ? "_all_threads" : "");
    return pb_run_ctx_num(run, key);
}

double pb_run_level_triad(const pb_run *run, int level, int threads, bool *probed)
{
    static const char *const probe_levels[4] = {"l1d", "l2", "l3", "dram"};
    const double gbps = pb_probe_GBps(pb_run_probe(run, "stream_triad", probe_levels[level], threads));
    if (probed)
        *probed = gbps > 0;
    return gbps > 0 ? gbps : pb_run_triad_at_start(run, level, threads, false);
}

double pb_run_region_at_start_us(const pb_run *run, const char *impl)
{
    char key[64];
    snprintf(key, sizeof key, "%s_region_us", impl);
    const double at_start = pb_run_ctx_num(run, key);
    return at_start > 0 ? at_start : 0;
}

double pb_run_region_us(const pb_run *run, const char *impl, int threads, bool *probed)
{
    char name[96];
    snprintf(name, sizeof name, PB_PROBE_PREFIX "%s_region/threads:%d", impl, threads);
    const pb_bench *probe = pb_run_find_probe(run, name);
    const bool timed = probe && probe->time_ns > 0;
    if (probed)
        *probed = timed;
    return timed ? probe->time_ns * 1e-3 : pb_run_region_at_start_us(run, impl);
}
