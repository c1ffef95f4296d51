/* poolbench report: report.md and its plots for one run, for several runs of
 * different machines side by side, or for a history directory. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"
#include "cli.h"
#include "report.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: poolbench report RUN.json [--out DIR]\n"
            "       poolbench report A.json B.json [C.json...] [--out DIR]\n"
            "       poolbench report --history DIR [--out DIR]\n\n"
            "One run: DIR/report.md (default DIR: the run's directory) with the machine, the fastest\n"
            "implementation per case, least-squares fits of the seed's cost model, the roofline, the seed's\n"
            "exercises measured, counters per model op, and PNG + SVG plots (gnuplot) with their CSV beside it.\n"
            "Several runs (different machines): the machines side by side, per-case time ratios against the\n"
            "first run and the geometric mean per implementation (default DIR: A's directory/vs-MACHINES).\n"
            "--history: time (and callgrind instructions) of every benchmark over the runs in DIR/*/run.json,\n"
            "in name order (scripts/track names them by commit date).\n");
}

/* mkdir DIR unless it exists; its parent must. */
static int ensure_dir(const char *dir)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode))
            return 0;
        pb_cli_error("output path is not a directory: %s", dir);
        return -1;
    }
    if (mkdir(dir, 0777) != 0) {
        pb_cli_error("cannot create output directory %s: %s", dir, strerror(errno));
        return -1;
    }
    return 0;
}

static void dir_of(const char *path, char *dir, size_t len)
{
    snprintf(dir, len, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == NULL)
        snprintf(dir, len, ".");
    else if (slash == dir)
        slash[1] = '\0';
    else
        *slash = '\0';
}

static void machine_title(const pb_run *run, char *buf, size_t len)
{
    const char *cpu = pb_run_ctx_str(run, "cpu_model"), *cores = pb_run_ctx_str(run, "cores");
    if (cpu && cores)
        snprintf(buf, len, "%s, %s cores", cpu, cores);
    else
        snprintf(buf, len, "%s", pb_run_machine(run));
}

/* The single-run sections use one thread count: the benchmarks without a
 * "/threads:T" suffix, or for a threads-preset run the threads:1 ones. */
static void select_primary(pb_report *r)
{
    const pb_run *run = r->run;
    bool any_plain = false;
    for (size_t i = 0; i < run->n_bench; ++i)
        any_plain |= run->bench[i].name_threads == 0;
    for (size_t i = 0; i < run->n_bench; ++i) {
        const pb_bench *b = &run->bench[i];
        if (b->name_threads != (any_plain ? 0 : 1) || !(b->time_ns > 0))
            continue;
        r->b[r->n++] = b;
        char key[128];
        pb_series_key(b, key, sizeof key);
        pb_word_add(r->series, sizeof r->series, key);
        if (b->layout[0])
            pb_word_add(r->layouts, sizeof r->layouts, b->layout);
    }
}

static int report_one(const pb_run *run, const char *dir)
{
    pb_report r;
    memset(&r, 0, sizeof r);
    r.run = run;
    machine_title(run, r.machine_title, sizeof r.machine_title);
    r.b = malloc(run->n_bench * sizeof *r.b);
    if (r.b == NULL) {
        pb_cli_error("out of memory");
        return PB_EXIT_FAILURE;
    }
    select_primary(&r);
    pb_atomic_file af;
    if (pb_report_open(&r, dir, &af) != 0) {
        free(r.b);
        return PB_EXIT_USAGE;
    }
    pb_report_header(&r);
    pb_report_best(&r);
    pb_report_targets(&r);
    pb_report_cost_model(&r);
    pb_report_roofline(&r);
    pb_report_exercises(&r);
    pb_report_counters(&r);
    pb_report_shapes(&r);
    fprintf(r.md, "\n## Plots not drawn\n\n%s", r.skipped[0] ? r.skipped : "None: every plot had data.\n");
    free(r.b);
    if (pb_report_commit(&af) != 0)
        return PB_EXIT_FAILURE;
    if (r.failures) {
        pb_cli_error("%d plot(s) failed; report.md lists them", r.failures);
        return PB_EXIT_FAILURE;
    }
    return PB_EXIT_OK;
}

int pb_cmd_report(int argc, char **argv)
{
    static const struct option longopts[] = {{"out", required_argument, 0, 'o'},
                                             {"history", required_argument, 0, 'H'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *out = NULL, *history = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return PB_EXIT_OK;
        case 'o':
            out = optarg;
            break;
        case 'H':
            history = optarg;
            break;
        case ':':
            pb_cli_error("option %s needs a value", argv[optind - 1]);
            return PB_EXIT_USAGE;
        default:
            pb_cli_error("unknown option '%s' (see poolbench report --help)", argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
    }
    int n = argc - optind;
    if (history != NULL) {
        if (n != 0) {
            pb_cli_error("--history takes a directory, not run files");
            return PB_EXIT_USAGE;
        }
        if (out && ensure_dir(out) != 0)
            return PB_EXIT_USAGE;
        return pb_report_history(history, out ? out : history);
    }
    if (n < 1) {
        pb_cli_error("report needs a run.json (see poolbench report --help)");
        return PB_EXIT_USAGE;
    }
    pb_run *runs = calloc((size_t)n, sizeof *runs);
    if (runs == NULL) {
        pb_cli_error("out of memory");
        return PB_EXIT_FAILURE;
    }
    int loaded = 0, rc = PB_EXIT_USAGE;
    char err[PATH_MAX + 256], dir[PATH_MAX];
    for (; loaded < n; ++loaded)
        if (pb_run_load(argv[optind + loaded], &runs[loaded], err, sizeof err) != 0) {
            pb_cli_error("%s", err);
            goto done;
        }
    dir_of(runs[0].path, dir, sizeof dir);
    if (out != NULL) {
        snprintf(dir, sizeof dir, "%s", out);
    } else if (n > 1) {
        size_t len = strlen(dir);
        snprintf(dir + len, sizeof dir - len, "/vs");
        for (int i = 1; i < n; ++i) {
            len = strlen(dir);
            snprintf(dir + len, sizeof dir - len, "-%s", pb_run_machine(&runs[i]));
        }
    }
    if (ensure_dir(dir) != 0)
        goto done;
    rc = n == 1 ? report_one(&runs[0], dir) : pb_report_machines(runs, n, dir);
done:
    for (int i = 0; i < loaded; ++i)
        pb_run_free(&runs[i]);
    free(runs);
    return rc;
}
