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

typedef double (*metric_fn)(const pb_bench *b);
static double time_us(const pb_bench *b) { return b->time_ns * 1e-3; }
static double instructions(const pb_bench *b) { return b->cg_instructions; }

/* One figure: panels = layouts, a line per case over the revisions. */
static void history_plot(pb_report *r, const pb_run *runs, int n, const char *impl, metric_fn metric,
                         const char *base, const char *what, const char *unit, char labels[][32])
{
    pb_plot pl;
    char err[PATH_MAX + 128];
    if (pb_plot_begin(&pl, r->dir, base, "panel,series,x,y,label", err, sizeof err) != 0) {
        pb_report_skip(r, base, "%s", err);
        return;
    }
    char layouts[64] = "", series[8192] = "", layout[16], var[48];
    for (int i = 0; i < n; ++i)
        for (size_t k = 0; k < runs[i].n_bench; ++k)
            if ((!impl || strcmp(runs[i].bench[k].impl, impl) == 0) && metric(&runs[i].bench[k]) > 0)
                pb_word_add(layouts, sizeof layouts, runs[i].bench[k].layout);
    int panel = 0;
    for (const char *w = layouts; (w = pb_word_next(w, layout, sizeof layout));) {
        char pseries[8192] = "";
        ++panel;
        for (int i = 0; i < n; ++i) {
            pb_plot_tick(&pl, panel, i, labels[i]);
            for (size_t k = 0; k < runs[i].n_bench; ++k) {
                const pb_bench *b = &runs[i].bench[k];
                if ((impl && strcmp(b->impl, impl) != 0) || strcmp(b->layout, layout) != 0 || !(metric(b) > 0))
                    continue;
                char s[256];
                snprintf(s, sizeof s, "%s%s%s", impl ? "" : b->impl, impl ? "" : "/", pb_bench_case(b));
                pb_word_add(pseries, sizeof pseries, s);
                pb_word_add(series, sizeof series, s);
            }
        }
        /* Rows series by series, in revision order, so each line is drawn left to right. */
        char s[256];
        for (const char *sw = pseries; (sw = pb_word_next(sw, s, sizeof s));)
            for (int i = 0; i < n; ++i)
                for (size_t k = 0; k < runs[i].n_bench; ++k) {
                    const pb_bench *b = &runs[i].bench[k];
                    char name[256];
                    snprintf(name, sizeof name, "%s%s%s", impl ? "" : b->impl, impl ? "" : "/", pb_bench_case(b));
                    if ((!impl || strcmp(b->impl, impl) == 0) && strcmp(b->layout, layout) == 0 &&
                        strcmp(name, s) == 0 && metric(b) > 0)
                        pb_plot_row(&pl, "%s,%s,%d,%.17g,%s", layout, s, i, metric(b), labels[i]);
                }
        snprintf(var, sizeof var, "pseries_%d", panel);
        pb_plot_str(&pl, var, "%s", pseries);
    }
    pb_plot_str(&pl, "panels", "%s", layouts);
    pb_plot_str(&pl, "series", "%s", series);
    pb_plot_num(&pl, "xlabels", 1);
    pb_plot_num(&pl, "logx", 0);
    pb_plot_num(&pl, "logy", 1);
    pb_plot_str(&pl, "style", "linespoints");
    pb_plot_str(&pl, "title", "%s%s%s over revisions, %s", what, impl ? " of " : "", impl ? impl : "",
                r->machine_title);
    pb_plot_str(&pl, "xlabel", "revision");
    pb_plot_str(&pl, "ylabel", "%s", unit);
    char caption[256];
    snprintf(caption, sizeof caption, "%s%s%s over revisions", what, impl ? " of " : "", impl ? impl : "");
    pb_report_plot(r, &pl, "lines.gp", caption);
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
    snprintf(r.dir, sizeof r.dir, "%s", dir);
    const char *cpu = pb_run_ctx_str(r.run, "cpu_model");
    snprintf(r.machine_title, sizeof r.machine_title, "%s", cpu ? cpu : pb_run_machine(r.run));
    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/report.md", dir);
    if (pb_atomic_open(&af, path, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        goto done;
    }
    r.md = af.f;
    fprintf(r.md, "# poolbench history: %s\n\n| # | revision | run | date |\n|---|---|---|---|\n", r.machine_title);
    for (int i = 0; i < n; ++i) {
        const char *date = pb_run_ctx_str(&runs[i], "date");
        fprintf(r.md, "| %d | %s | `%s` | %s |\n", i + 1, labels[i], names[i], date ? date : "-");
    }
    fprintf(r.md, "\nMedian time per call at each revision (lines break where a benchmark did not run).\n");
    char impls[2048] = "", impl[64];
    bool counted = false;
    for (int i = 0; i < n; ++i)
        for (size_t k = 0; k < runs[i].n_bench; ++k) {
            pb_word_add(impls, sizeof impls, runs[i].bench[k].impl);
            counted |= runs[i].bench[k].cg_instructions > 0;
        }
    for (const char *w = impls; (w = pb_word_next(w, impl, sizeof impl));) {
        char base[96];
        snprintf(base, sizeof base, "history_time_%s", impl);
        history_plot(&r, runs, n, impl, time_us, base, "Time per call", "time per call (µs, median)", labels);
    }
    if (counted)
        history_plot(&r, runs, n, NULL, instructions, "history_instructions", "Instructions per call (callgrind)",
                     "instructions per call", labels);
    else
        pb_report_skip(&r, "history_instructions", "no run in the history has a callgrind.json beside it");
    fprintf(r.md, "\n## Plots not drawn\n\n%s", r.skipped[0] ? r.skipped : "None.\n");
    if (pb_atomic_commit(&af, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        rc = PB_EXIT_FAILURE;
        goto done;
    }
    printf("report: %s\n", path);
    rc = r.failures ? PB_EXIT_FAILURE : PB_EXIT_OK;
done:
    for (int i = 0; i < loaded; ++i)
        pb_run_free(&runs[i]);
    for (int i = 0; i < n; ++i)
        free(names[i]);
    free(names), free(runs), free(labels);
    return rc;
}
