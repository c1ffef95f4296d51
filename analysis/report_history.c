/* A benchmark's life over revisions: the runs scripts/track leaves in
 * results/<machine>/history/<commit date>-<revision>/run.json, in name
 * order, one figure per implementation (time) and one for callgrind's
 * instructions when the runs carry them. */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "cli.h"
#include "report.h"

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* The subdirectories of dir holding a run.json, sorted. */
static char **list_runs(const char *dir, int *n)
{
    DIR *d = opendir(dir);
    *n = 0;
    if (d == NULL)
        return NULL;
    char **names = NULL;
    int cap = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char path[PATH_MAX];
        struct stat st;
        if (e->d_name[0] == '.' ||
            snprintf(path, sizeof path, "%s/%s/run.json", dir, e->d_name) >= (int)sizeof path ||
            stat(path, &st) != 0)
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 16;
            char **nn = realloc(names, (size_t)cap * sizeof *nn);
            if (nn == NULL)
                break;
            names = nn;
        }
        names[(*n)++] = strdup(e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, (size_t)*n, sizeof *names, by_name);
    return names;
}

/* "0896626" or "0896626+" (dirty): what an axis can hold. */
static void revision_label(const pb_run *run, const char *dirname, char *buf, size_t len)
{
    const char *rev = pb_run_ctx_str(run, "git_revision");
    if (rev == NULL) {
        snprintf(buf, len, "%s", dirname);
        return;
    }
    snprintf(buf, len, "%.7s%s", rev, strstr(rev, "dirty") ? "+" : "");
}

/* What one line of a history figure follows in one run: a benchmark's time,
 * or a callgrind entry's instructions per model op. */
typedef struct {
    char panel[16], series[256];
    double value;
} point;

/* The points of run for impl (time) or, with impl NULL, of its callgrind.json. */
static size_t points_of(const pb_run *run, const char *impl, point *out)
{
    size_t n = 0;
    if (impl == NULL) {
        for (size_t k = 0; k < run->n_cg; ++k)
            if (run->cg[k].model_ops > 0) {
                snprintf(out[n].panel, sizeof out[n].panel, "callgrind");
                snprintf(out[n].series, sizeof out[n].series, "%s", run->cg[k].name);
                out[n++].value = run->cg[k].instructions / run->cg[k].model_ops;
            }
        return n;
    }
    for (size_t k = 0; k < run->n_bench; ++k) {
        const pb_bench *b = &run->bench[k];
        if (strcmp(b->impl, impl) != 0 || !(b->time_ns > 0))
            continue;
        snprintf(out[n].panel, sizeof out[n].panel, "%s", b->layout[0] ? b->layout : "-");
        snprintf(out[n].series, sizeof out[n].series, "%s", pb_bench_case(b));
        out[n++].value = b->time_ns * 1e-3;
    }
    return n;
}

/* One figure: a panel per layout (or one for callgrind), a line per benchmark over the revisions. */
static void history_plot(pb_report *r, const pb_run *runs, int n, const char *impl, const char *base,
                         const char *what, const char *unit, char labels[][32])
{
    /* The caller has at least one run; said here, gcc stops warning that
     * the allocations below could ask for a negative count. */
    if (n < 1)
        return;
    size_t most = 0;
    for (int i = 0; i < n; ++i)
        most = runs[i].n_bench + runs[i].n_cg > most ? runs[i].n_bench + runs[i].n_cg : most;
    point **pts = calloc((size_t)n, sizeof *pts);
    size_t *count = calloc((size_t)n, sizeof *count);
    pb_plot pl;
    char err[PATH_MAX + 128];
    bool ok = pts && count;
    for (int i = 0; ok && i < n; ++i)
        ok = (pts[i] = malloc((most + 1) * sizeof **pts)) != NULL && ((count[i] = points_of(&runs[i], impl, pts[i])), 1);
    if (!ok || pb_plot_begin(&pl, r->dir, base, "panel,series,x,y,label", err, sizeof err) != 0) {
        pb_report_skip(r, base, "%s", ok ? err : "out of memory");
        goto done;
    }
    char panels[64] = "", series[8192] = "", panel[16], var[48];
    for (int i = 0; i < n; ++i)
        for (size_t k = 0; k < count[i]; ++k)
            pb_word_add(panels, sizeof panels, pts[i][k].panel);
    int np = 0;
    for (const char *w = panels; (w = pb_word_next(w, panel, sizeof panel));) {
        char pseries[8192] = "", s[256];
        ++np;
        for (int i = 0; i < n; ++i) {
            pb_plot_tick(&pl, np, i, labels[i]);
            for (size_t k = 0; k < count[i]; ++k)
                if (strcmp(pts[i][k].panel, panel) == 0)
                    pb_word_add(pseries, sizeof pseries, pts[i][k].series);
        }
        /* Series by series, in revision order, so each line is drawn left to right. */
        for (const char *sw = pseries; (sw = pb_word_next(sw, s, sizeof s));) {
            pb_word_add(series, sizeof series, s);
            for (int i = 0; i < n; ++i)
                for (size_t k = 0; k < count[i]; ++k)
                    if (strcmp(pts[i][k].panel, panel) == 0 && strcmp(pts[i][k].series, s) == 0)
                        pb_plot_row(&pl, "%s,%s,%d,%.17g,%s", panel, s, i, pts[i][k].value, labels[i]);
        }
        snprintf(var, sizeof var, "pseries_%d", np);
        pb_plot_str(&pl, var, "%s", pseries);
    }
    pb_plot_str(&pl, "panels", "%s", panels);
    pb_plot_str(&pl, "series", "%s", series);
    pb_plot_categorical(&pl);
    pb_plot_str(&pl, "style", "linespoints");
    pb_plot_str(&pl, "title", "%s over revisions, %s", what, r->machine_title);
    pb_plot_str(&pl, "ylabel", "%s", unit);
    char caption[256];
    snprintf(caption, sizeof caption, "%s over revisions", what);
    pb_report_plot(r, &pl, "lines.gp", caption);
done:
    for (int i = 0; pts && i < n; ++i)
        free(pts[i]);
    free(pts), free(count);
}

int pb_report_history(const char *history_dir, const char *dir)
{
    int n;
    char **names = list_runs(history_dir, &n);
    if (n == 0) {
        pb_cli_error("no run.json under %s/*/ (scripts/track fills it)", history_dir);
        free(names);
        return PB_EXIT_USAGE;
    }
    pb_run *runs = calloc((size_t)n, sizeof *runs);
    char (*labels)[32] = calloc((size_t)n, sizeof *labels);
    char err[PATH_MAX + 256];
    int loaded = 0, rc = PB_EXIT_USAGE;
    pb_atomic_file af = {0};
    for (; runs && labels && loaded < n; ++loaded) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s/run.json", history_dir, names[loaded]);
        if (pb_run_load(path, &runs[loaded], err, sizeof err) != 0) {
            pb_cli_error("%s", err);
            goto done;
        }
        revision_label(&runs[loaded], names[loaded], labels[loaded], sizeof labels[loaded]);
    }
    pb_report r;
    memset(&r, 0, sizeof r);
    r.run = &runs[n - 1];
    const char *cpu = pb_run_ctx_str(r.run, "cpu_model");
    snprintf(r.machine_title, sizeof r.machine_title, "%s", cpu ? cpu : pb_run_machine(r.run));
    if (pb_report_open(&r, dir, &af) != 0)
        goto done;
    fprintf(r.md, "# poolbench history: %s\n\n| # | revision | run | date |\n|---|---|---|---|\n", r.machine_title);
    for (int i = 0; i < n; ++i) {
        const char *date = pb_run_ctx_str(&runs[i], "date");
        fprintf(r.md, "| %d | %s | `%s` | %s |\n", i + 1, labels[i], names[i], date ? date : "-");
    }
    fprintf(r.md, "\nMedian time per call at each revision (lines break where a benchmark did not run).\n");
    char impls[2048] = "", impl[64];
    bool counted = false;
    for (int i = 0; i < n; ++i) {
        for (size_t k = 0; k < runs[i].n_bench; ++k)
            pb_word_add(impls, sizeof impls, runs[i].bench[k].impl);
        counted |= runs[i].n_cg > 0;
    }
    for (const char *w = impls; (w = pb_word_next(w, impl, sizeof impl));) {
        char base[96], what[128];
        snprintf(base, sizeof base, "history_time_%s", impl);
        snprintf(what, sizeof what, "Time per call of %s", impl);
        history_plot(&r, runs, n, impl, base, what, "time per call (µs, median)", labels);
    }
    if (counted)
        history_plot(&r, runs, n, NULL, "history_instructions", "Instructions per model op (callgrind)",
                     "instructions per model op", labels);
    else
        pb_report_skip(&r, "history_instructions", "no run in the history has a callgrind.json beside it");
    fprintf(r.md, "\n## Plots not drawn\n\n%s", r.skipped[0] ? r.skipped : "None.\n");
    if (pb_report_commit(&af) != 0) {
        rc = PB_EXIT_FAILURE;
        goto done;
    }
    rc = r.failures ? PB_EXIT_FAILURE : PB_EXIT_OK;
done:
    for (int i = 0; i < loaded; ++i)
        pb_run_free(&runs[i]);
    for (int i = 0; i < n; ++i)
        free(names[i]);
    free(names), free(runs), free(labels);
    return rc;
}
