/* Figures of one quantity against one shape parameter, panel by panel, one
 * line per implementation: time vs model ops, throughput vs window, vs
 * working set, per network case; and thread scaling. A figure is drawn only
 * where the run has the data for it; otherwise the report says why. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "report.h"
#include "stats.h"

#define MAX_PANELS 8

typedef struct {
    const char *base, *caption, *title, *xlabel, *ylabel, *why_missing;
    bool logx, logy;
    bool categorical;        /* x = the case, in name order (the same in every panel, however the run
                                was ordered: interleaved repetitions finish in random order); labels
                                from the case names */
    int min_distinct_x;      /* a panel needs this many different x values */
    /* false: b is not in this figure; else its panel key (no spaces) and title. */
    bool (*panel)(const pb_report *r, const pb_bench *b, char *key, size_t klen, char *title, size_t tlen);
    double (*x)(const pb_report *r, const pb_bench *b);
    double (*y)(const pb_bench *b);
    const char *markers, *marker_names;
} lines_spec;

typedef struct {
    char key[96], title[160];
    char cases[8192];        /* categorical: the panel's cases in order */
    bool keep;
} panel;

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

static double x_of(const pb_report *r, const lines_spec *s, const panel *p, const pb_bench *b)
{
    return s->categorical ? (double)pb_word_index(p->cases, pb_bench_case(b)) : s->x(r, b);
}

typedef struct {
    const pb_bench *b;
    double x;
} point;

static int by_x(const void *a, const void *b) { return pb_cmp_double(&((const point *)a)->x, &((const point *)b)->x); }

/* Sorts the benchmarks of s into panels (which[i]: b[i]'s panel, -1 for
 * none); returns how many panels, at most MAX_PANELS. */
static int group_into_panels(pb_report *r, const lines_spec *s, panel *panels, int *which)
{
    int np = 0;
    for (size_t i = 0; i < r->n; ++i) {
        char key[96], title[160];
        which[i] = -1;
        if (!s->panel(r, r->b[i], key, sizeof key, title, sizeof title) || !(s->y(r->b[i]) > 0))
            continue;
        int k = 0;
        while (k < np && strcmp(panels[k].key, key) != 0)
            ++k;
        if (k == np) {
            if (np == MAX_PANELS)
                continue;
            snprintf(panels[k].key, sizeof panels[k].key, "%s", key);
            snprintf(panels[k].title, sizeof panels[k].title, "%s", title);
            ++np;
        }
        which[i] = k;
        pb_word_add(panels[k].cases, sizeof panels[k].cases, pb_bench_case(r->b[i]));
    }
    return np;
}

/* Keeps the panels with s->min_distinct_x different x values (xs: room for
 * every benchmark's); returns how many. */
static int keep_panels(pb_report *r, const lines_spec *s, panel *panels, int np, const int *which, double *xs)
{
    int kept = 0;
    for (int k = 0; k < np; ++k) {
        if (s->categorical)
            pb_word_sort(panels[k].cases);
        size_t n = 0, distinct = 0;
        for (size_t i = 0; i < r->n; ++i)
            if (which[i] == k)
                xs[n++] = x_of(r, s, &panels[k], r->b[i]);
        qsort(xs, n, sizeof *xs, pb_cmp_double);
        for (size_t i = 0; i < n; ++i)
            distinct += i == 0 || xs[i] != xs[i - 1];
        kept += panels[k].keep = (int)distinct >= s->min_distinct_x;
    }
    return kept;
}

/* Panel k as the plot's panel number `shown`: a line per implementation in x
 * order (pts: room for every benchmark), its x range and its ticks; each
 * implementation added to all_series. */
static void plot_panel(pb_report *r, const lines_spec *s, pb_plot *pl, const panel *p, int k, const int *which,
                       point *pts, int shown, char *all_series, size_t all_len)
{
    char impls[2048] = "", impl[64], var[32];
    for (size_t i = 0; i < r->n; ++i)
        if (which[i] == k)
            pb_word_add(impls, sizeof impls, r->b[i]->impl);
    double lo = INFINITY, hi = -INFINITY;
    for (const char *w = impls; (w = pb_word_next(w, impl, sizeof impl));) {
        size_t n = 0;
        for (size_t i = 0; i < r->n; ++i)
            if (which[i] == k && strcmp(r->b[i]->impl, impl) == 0)
                pts[n++] = (point){r->b[i], x_of(r, s, p, r->b[i])};
        qsort(pts, n, sizeof *pts, by_x);
        if (n > 0)
            lo = fmin(lo, pts[0].x), hi = fmax(hi, pts[n - 1].x);
        for (size_t i = 0; i < n; ++i)
            pb_plot_row(pl, "%s,%s,%.17g,%.17g,%s", p->key, impl, pts[i].x, s->y(pts[i].b),
                        s->categorical ? pb_bench_case(pts[i].b) : "");
        pb_word_add(all_series, all_len, impl);
    }
    snprintf(var, sizeof var, "pseries_%d", shown);
    pb_plot_str(pl, var, "%s", impls);
    if (!s->categorical) {
        /* A margin around the data: a factor on a log axis, a fraction of the span on a linear one. */
        double span = hi - lo > 0 ? hi - lo : fabs(hi) + 1.0;
        snprintf(var, sizeof var, "xmin_%d", shown);
        pb_plot_num(pl, var, s->logx ? lo / 1.5 : lo - 0.05 * span);
        snprintf(var, sizeof var, "xmax_%d", shown);
        pb_plot_num(pl, var, s->logx ? hi * 1.5 : hi + 0.05 * span);
    }
    snprintf(var, sizeof var, "ptitle_%d", shown);
    pb_plot_str(pl, var, "%s", p->title);
    /* Ticks in x order: the panel's cases as they first appear. */
    char c[160];
    int tick = 0;
    for (const char *w = s->categorical ? p->cases : ""; (w = pb_word_next(w, c, sizeof c)); ++tick)
        for (size_t i = 0; i < r->n; ++i)
            if (which[i] == k && strcmp(pb_bench_case(r->b[i]), c) == 0) {
                char label[160];
                pb_case_label(r->b[i], label, sizeof label);
                pb_plot_tick(pl, shown, tick, label);
                break;
            }
}

/* Returns true when drawn (or gnuplot failed, which the report lists); false when no panel had the data. */
static bool draw_lines(pb_report *r, const lines_spec *s)
{
    panel *panels = calloc(MAX_PANELS, sizeof *panels);
    int *which = malloc(r->n * sizeof *which);
    point *pts = malloc(r->n * sizeof *pts);
    double *xs = malloc(r->n * sizeof *xs);
    bool drawn = false;
    if (!panels || !which || !pts || !xs)
        goto done;
    const int np = group_into_panels(r, s, panels, which);
    if (keep_panels(r, s, panels, np, which, xs) == 0)
        goto done;
    drawn = true;
    pb_plot pl;
    char err[PATH_MAX + 128];
    if (pb_plot_begin(&pl, r->dir, s->base, "panel,series,x,y,label", err, sizeof err) != 0) {
        pb_report_skip(r, s->base, "%s", err);
        goto done;
    }
    char panel_keys[1024] = "", all_series[2048] = "";
    int shown = 0;
    for (int k = 0; k < np; ++k)
        if (panels[k].keep) {
            plot_panel(r, s, &pl, &panels[k], k, which, pts, ++shown, all_series, sizeof all_series);
            pb_word_add(panel_keys, sizeof panel_keys, panels[k].key);
        }
    pb_plot_str(&pl, "panels", "%s", panel_keys);
    pb_plot_str(&pl, "series", "%s", all_series);
    pb_plot_str(&pl, "title", "%s, %s", s->title, r->machine_title);
    if (s->xlabel)
        pb_plot_str(&pl, "xlabel", "%s", s->xlabel);
    pb_plot_str(&pl, "ylabel", "%s", s->ylabel);
    pb_plot_num(&pl, "logx", s->logx);
    pb_plot_num(&pl, "logy", s->logy);
    if (s->categorical)
        pb_plot_categorical(&pl);
    if (s->markers) {
        pb_plot_str(&pl, "markers", "%s", s->markers);
        pb_plot_str(&pl, "marker_names", "%s", s->marker_names);
    }
    pb_report_plot(r, &pl, "lines.gp", s->caption);
done:
    if (!drawn)
        pb_report_skip(r, s->base, "%s", s->why_missing);
    free(panels), free(which), free(pts), free(xs);
    return drawn;
}

static bool panel_layout(const pb_report *r, const pb_bench *b, char *key, size_t klen, char *title, size_t tlen)
{
    (void)r;
    snprintf(key, klen, "%s", b->layout);
    snprintf(title, tlen, "%s", b->layout);
    return b->layout[0] != '\0' && b->model_ops > 0;
}
static double x_model_ops(const pb_report *r, const pb_bench *b) { return (void)r, b->model_ops; }
static double y_time_us(const pb_bench *b) { return b->time_ns * 1e-3; }
static double y_gops(const pb_bench *b) { return pb_bench_gops(b); }
static double y_gbps(const pb_bench *b) { return b->bytes / b->time_ns; }

void pb_report_time_vs_ops(pb_report *r)
{
    static const lines_spec spec = {
        .base = "time_vs_model_ops",
        .caption = "Time per call against the seed's model ops, one line per implementation",
        .title = "Time per pooling call vs the seed's model ops",
        .xlabel = "model ops per call (N C h_{out} w_{out} p_h p_w)",
        .ylabel = "time per call (µs, median)",
        .why_missing = "no benchmark with model_ops",
        .logx = true, .logy = true, .min_distinct_x = 1,
        .panel = panel_layout, .x = x_model_ops, .y = y_time_us};
    draw_lines(r, &spec);
}

/* Square windows of one plane, one mode and one stride rule (1, or = kernel). */
static bool panel_window(const pb_report *r, const pb_bench *b, char *key, size_t klen, char *title, size_t tlen)
{
    (void)r;
    const pb_params *p = &b->params;
    if (!b->has_params || p->kh != p->kw || p->dh != 1 || p->dw != 1)
        return false;
    bool s1 = p->sh == 1 && p->sw == 1, sk = p->sh == p->kh && p->sw == p->kw;
    if (!s1 && !sk)
        return false;
    snprintf(key, klen, "%s_%s_%lldx%lldx%lldx%lld_%s", b->layout, s1 ? "s1" : "sk", (long long)p->n, (long long)p->c,
             (long long)p->h, (long long)p->w, pb_mode_name(p->mode));
    snprintf(title, tlen, "%s, stride %s, %s on %lldx%lldx%lldx%lld", b->layout, s1 ? "1" : "= window",
             pb_mode_name(p->mode), (long long)p->n, (long long)p->c, (long long)p->h, (long long)p->w);
    return true;
}
static double x_window(const pb_report *r, const pb_bench *b) { return (void)r, (double)b->params.kh; }

/* One window geometry, inputs of different sizes. */
static bool panel_geometry(const pb_report *r, const pb_bench *b, char *key, size_t klen, char *title, size_t tlen)
{
    (void)r;
    const pb_params *p = &b->params;
    if (!b->has_params || !(b->bytes > 0))
        return false;
    snprintf(key, klen, "%s_k%lldx%lld_s%lldx%lld_p%lldx%lld_%s", b->layout, (long long)p->kh, (long long)p->kw,
             (long long)p->sh, (long long)p->sw, (long long)p->ph, (long long)p->pw, pb_mode_name(p->mode));
    snprintf(title, tlen, "%s, %s %lldx%lld stride %lld pad %lld", b->layout, pb_mode_name(p->mode),
             (long long)p->kh, (long long)p->kw, (long long)p->sh, (long long)p->ph);
    return true;
}
/* The data a call touches, input + output: workspace varies by implementation and would split a case. */
static double x_working_set_kib(const pb_report *r, const pb_bench *b)
{
    (void)r;
    return (b->bytes - (b->workspace_bytes > 0 ? b->workspace_bytes : 0)) / 1024.0;
}

static void cache_markers(const pb_report *r, char *pos, size_t plen, char *names, size_t nlen)
{
    pos[0] = names[0] = '\0';
    for (int l = 0; l < 3; ++l) {
        double v = pb_run_cache_bytes(r->run, l);
        if (!(v > 0))
            continue;
        size_t used = strlen(pos);
        snprintf(pos + used, plen - used, "%s%.6g", used ? " " : "", v / 1024.0);
        pb_word_add(names, nlen, pb_level_names[l]);
    }
}

static void per_case_comparison(pb_report *r)
{
    static const lines_spec spec = {
        .base = "implementations_per_case",
        .caption = "Throughput of every implementation on every case (log scale)",
        .title = "Implementations compared per case",
        .ylabel = "G model ops/s (median)",
        .why_missing = "the run has a single implementation",
        .logy = true, .categorical = true, .min_distinct_x = 1,
        .panel = panel_layout, .y = y_gops};
    char impls[2048] = "";
    for (size_t i = 0; i < r->n; ++i)
        pb_word_add(impls, sizeof impls, r->b[i]->impl);
    if (strchr(impls, ' ') == NULL) {
        pb_report_skip(r, spec.base, "%s", spec.why_missing);
        return;
    }
    fprintf(r->md, "\n### Implementations per case\n");
    draw_lines(r, &spec);
}

/* Geometric-mean speed-up over one thread of each implementation, across
 * the cases it ran at every thread count. */
/* The thread counts of the run's benchmark names, each once, ascending, into
 * counts (room for one per benchmark); returns how many. */
static size_t thread_counts_of(const pb_run *run, int *counts)
{
    size_t n = 0;
    for (size_t i = 0; i < run->n_bench; ++i)
        if (run->bench[i].name_threads >= 1)
            counts[n++] = run->bench[i].name_threads;
    if (n > 0)
        qsort(counts, n, sizeof *counts, cmp_int);
    size_t distinct = 0;
    for (size_t i = 0; i < n; ++i)
        if (distinct == 0 || counts[distinct - 1] != counts[i])
            counts[distinct++] = counts[i];
    return distinct;
}

/* Geometric mean of series key's speed-ups at t threads over its own
 * benchmarks at 1, over the cases that have both (*n of them; speedups:
 * room for one per benchmark). */
static double speedup_geomean(const pb_run *run, const char *key, int t, double *speedups, size_t *n)
{
    *n = 0;
    for (size_t i = 0; i < run->n_bench; ++i) {
        const pb_bench *b = &run->bench[i];
        char k[128];
        pb_series_key(b, k, sizeof k);
        if (b->name_threads != t || strcmp(k, key) != 0)
            continue;
        const pb_bench *base = pb_run_find_at(run, b, 1);
        if (base)
            speedups[(*n)++] = base->time_ns / b->time_ns;
    }
    return pb_geomean(speedups, *n);
}

static void thread_scaling(pb_report *r)
{
    const pb_run *run = r->run;
    const int max_t = pb_run_max_threads(run);
    if (max_t < 2) {
        pb_report_skip(r, "thread_scaling", "the run has no thread counts above 1 (names with /threads:T: "
                                            "run --preset threads)");
        return;
    }
    /* A column per thread count the run has (1, 2, 4, ..., all cores), not
     * one per integer up to the largest. */
    int *counts = malloc(run->n_bench * sizeof *counts);
    const size_t n_counts = counts ? thread_counts_of(run, counts) : 0;
    FILE *md = r->md;
    fprintf(md, "\n### Thread scaling\n\nGeometric mean over cases of the speed-up over the same implementation on "
                "1 thread:\n\n| implementation | cases |");
    for (size_t c = 0; c < n_counts; ++c)
        fprintf(md, " %d |", counts[c]);
    fprintf(md, "\n|---|---|");
    for (size_t c = 0; c < n_counts; ++c)
        fprintf(md, "---|");
    fputc('\n', md);
    pb_plot pl;
    char err[PATH_MAX + 128];
    bool plotting = pb_plot_begin(&pl, r->dir, "thread_scaling", "panel,series,x,y,label", err, sizeof err) == 0;
    if (!plotting)
        pb_report_skip(r, "thread_scaling", "%s", err);
    char series[4096] = "", layouts[64] = "", impls[2048] = "", pseries[2][2048] = {"", ""};
    for (size_t i = 0; i < run->n_bench; ++i)
        if (run->bench[i].name_threads == 1) {
            char key[128];
            pb_series_key(&run->bench[i], key, sizeof key);
            pb_word_add(series, sizeof series, key);
        }
    double *speedups = malloc(run->n_bench * sizeof *speedups);
    char key[128];
    for (const char *w = series; speedups && (w = pb_word_next(w, key, sizeof key));) {
        const pb_bench *one = NULL;
        int cases = 0;
        for (size_t i = 0; i < run->n_bench; ++i) {
            char k[128];
            pb_series_key(&run->bench[i], k, sizeof k);
            cases += strcmp(k, key) == 0 && run->bench[i].name_threads == 1;
            if (!one && strcmp(k, key) == 0 && run->bench[i].name_threads == 1)
                one = &run->bench[i];
        }
        fprintf(md, "| %s | %d |", key, cases);
        int li = one && strcmp(one->layout, "nhwc") == 0;
        for (size_t c = 0; c < n_counts; ++c) {
            const int t = counts[c];
            size_t n;
            const double g = speedup_geomean(run, key, t, speedups, &n);
            fprintf(md, n ? " %.2f |" : " - |", g);
            if (plotting && n && one) {
                pb_plot_row(&pl, "%s,%s,%d,%.17g,", one->layout, one->impl, t, g);
                pb_word_add(pseries[li], sizeof pseries[li], one->impl);
                pb_word_add(impls, sizeof impls, one->impl);
                pb_word_add(layouts, sizeof layouts, one->layout);
            }
        }
        fputc('\n', md);
    }
    free(speedups);
    free(counts);
    if (!plotting)
        return;
    char layout[16], var[32];
    int k = 0;
    for (const char *w = layouts; (w = pb_word_next(w, layout, sizeof layout));) {
        snprintf(var, sizeof var, "pseries_%d", ++k);
        pb_plot_str(&pl, var, "%s", pseries[strcmp(layout, "nhwc") == 0]);
    }
    pb_plot_str(&pl, "panels", "%s", layouts);
    pb_plot_str(&pl, "series", "%s", impls);
    pb_plot_num(&pl, "ideal", 1);
    pb_plot_num(&pl, "logx", 0);
    pb_plot_num(&pl, "logy", 0);
    pb_plot_str(&pl, "title", "Thread scaling (geometric mean over cases), %s", r->machine_title);
    pb_plot_str(&pl, "xlabel", "threads");
    pb_plot_str(&pl, "ylabel", "speed-up over 1 thread");
    pb_report_plot(r, &pl, "lines.gp", "Speed-up over one thread, geometric mean over the cases");
}

void pb_report_shapes(pb_report *r)
{
    fprintf(r->md, "\n## Shapes\n");
    static const lines_spec window = {
        .base = "throughput_vs_window",
        .caption = "Throughput against the window size, stride 1 and stride = window (log scale)",
        .title = "Throughput vs square window size",
        .xlabel = "window side p (p x p taps)",
        .ylabel = "G model ops/s (median)",
        .why_missing = "fewer than 3 square window sizes on one plane, mode and stride rule (run --preset window)",
        .logy = true, .min_distinct_x = 3,
        .panel = panel_window, .x = x_window, .y = y_gops};
    if (r->n > 0) {
        fprintf(r->md, "\n### Window size\n");
        if (!draw_lines(r, &window))
            fprintf(r->md, "\nNot drawn: %s.\n", window.why_missing);
    }
    char markers[128], names[64];
    cache_markers(r, markers, sizeof markers, names, sizeof names);
    lines_spec cache = {
        .base = "throughput_vs_working_set",
        .caption = "Bandwidth against the working set, cache sizes (hwloc) marked",
        .title = "Throughput vs working set",
        .xlabel = "working set: input + output (KiB)",
        .ylabel = "GB/s moved (median)",
        .why_missing = "fewer than 3 working-set sizes for one window geometry (run --preset cache)",
        .logx = true, .min_distinct_x = 3,
        .panel = panel_geometry, .x = x_working_set_kib, .y = y_gbps,
        .markers = markers, .marker_names = names};
    if (r->n > 0) {
        fprintf(r->md, "\n### Working set\n");
        if (!draw_lines(r, &cache))
            fprintf(r->md, "\nNot drawn: %s.\n", cache.why_missing);
    }
    thread_scaling(r);
    if (r->n > 0)
        per_case_comparison(r);
}
