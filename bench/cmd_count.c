/* poolbench count: instructions and simulated cache misses per model op from
 * valgrind's callgrind, counted around one kernel call only. Deterministic
 * for a given binary and case, on any machine, hardware counters or not.
 * The parent runs itself under callgrind once per (implementation, layout,
 * case) with --child; the child warms the caches with one call and has
 * callgrind collect the second. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "case_name.h"
#include "cli.h"
#include "io/atomic_file.h"
#include "io/results_dir.h"
#include "machine.h"
#include "sweep.h"

/* The child's exit status when the implementation cannot run on valgrind's
 * simulated CPU (it has no AVX-512, whatever the host has). */
enum { CHILD_UNAVAILABLE = 3 };

static int child(const pb_impl *impl, const pb_params *p)
{
    if (!pb_impl_available(impl))
        return CHILD_UNAVAILABLE;
    int64_t in_n = pb_input_elems(p), out_n = pb_output_elems(p);
    float *in = malloc((size_t)in_n * sizeof(float)), *out = malloc((size_t)out_n * sizeof(float));
    size_t ws_bytes = pb_impl_workspace(impl, p);
    void *ws = ws_bytes ? aligned_alloc(64, (ws_bytes + 63) / 64 * 64) : NULL;
    if (!in || !out || (ws_bytes && !ws))
        return PB_EXIT_FAILURE;
    pb_rng rng = {0x5eed};
    pb_fill_input(&rng, in, in_n, false);
    pb_ctx ctx = {.threads = 1, .workspace = ws, .workspace_size = ws_bytes};
    if (impl->prepare && (ctx.state = impl->prepare(p, 1)) == NULL)
        return PB_EXIT_FAILURE;
    if (impl->load_input)
        impl->load_input(ctx.state, in);
    CALLGRIND_START_INSTRUMENTATION;
    impl->run(p, in, out, &ctx);
    CALLGRIND_TOGGLE_COLLECT;
    impl->run(p, in, out, &ctx);
    CALLGRIND_TOGGLE_COLLECT;
    CALLGRIND_STOP_INSTRUMENTATION;
    if (impl->release)
        impl->release(ctx.state);
    free(in), free(out), free(ws);
    return PB_EXIT_OK;
}

typedef struct {
    double ir, d1_misses, ll_misses;
} counts;

/* Reads the events: and summary:/totals: lines of a callgrind output file. */
static int parse_callgrind(const char *path, counts *c)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[4096], events[4096] = "";
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "events:", 7) == 0)
            snprintf(events, sizeof events, "%s", line + 7);
        if (strncmp(line, "summary:", 8) == 0 || strncmp(line, "totals:", 7) == 0) {
            char *vals = strchr(line, ':') + 1, *save1 = NULL, *save2 = NULL;
            char names[4096];
            snprintf(names, sizeof names, "%s", events);
            memset(c, 0, sizeof *c);
            for (char *n = strtok_r(names, " \n", &save1), *v = strtok_r(vals, " \n", &save2); n && v;
                 n = strtok_r(NULL, " \n", &save1), v = strtok_r(NULL, " \n", &save2)) {
                double x = strtod(v, NULL);
                if (strcmp(n, "Ir") == 0)
                    c->ir = x;
                else if (strcmp(n, "D1mr") == 0 || strcmp(n, "D1mw") == 0)
                    c->d1_misses += x;
                else if (strcmp(n, "DLmr") == 0 || strcmp(n, "DLmw") == 0)
                    c->ll_misses += x;
            }
            found = 0;
        }
    }
    fclose(f);
    return found;
}

static int measure(const char *self, const pb_impl *impl, const char *layout, const char *case_name, counts *c)
{
    char out_file[] = "/tmp/poolbench-callgrind-XXXXXX";
    int fd = mkstemp(out_file);
    if (fd < 0)
        return -1;
    close(fd);
    char out_flag[128];
    snprintf(out_flag, sizeof out_flag, "--callgrind-out-file=%s", out_file);
    pid_t pid = fork();
    if (pid == 0) {
        /* Fixed addresses, so simulated cache misses repeat exactly too. */
        personality(ADDR_NO_RANDOMIZE);
        int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 2);
        execlp("valgrind", "valgrind", "--tool=callgrind", "--instr-atstart=no", "--collect-atstart=no",
               "--cache-sim=yes", out_flag, self, "count", "--child", "--impl", impl->name, "--layout", layout,
               "--case", case_name, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    int rc = code == 0 ? parse_callgrind(out_file, c) : code == CHILD_UNAVAILABLE ? CHILD_UNAVAILABLE : -1;
    unlink(out_file);
    return rc;
}

static void usage(void)
{
    printf("usage: poolbench count --impl NAME[,NAME] --case CASE[,CASE] [--layout nchw|nhwc] [--out FILE]\n\n"
           "Runs each implementation on each case under valgrind's callgrind (needs valgrind),\n"
           "instrumenting one warm kernel call only, and writes callgrind.json: instructions,\n"
           "simulated D1 and last-level misses, per call and per model op. Default FILE:\n"
           "results/<machine>/<UTC stamp>-callgrind/callgrind.json.\n");
}

typedef struct {
    char impls[1024], cases[2048]; /* comma-separated, as given */
    int layouts[PB_LAYOUT_COUNT], n_layouts;
    const char *out_path;
    bool is_child;
} count_options;

/* 0, -1 after --help, or the exit code of a bad option. */
static int parse_options(int argc, char **argv, count_options *o)
{
    static const struct option longopts[] = {{"impl", required_argument, 0, 'i'}, {"case", required_argument, 0, 'c'},
                                             {"layout", required_argument, 0, 'l'}, {"out", required_argument, 0, 'o'},
                                             {"child", no_argument, 0, 'C'},        {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    *o = (count_options){.layouts = {PB_LAYOUT_NCHW, PB_LAYOUT_NHWC}, .n_layouts = 2};
    const char *layout_name = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(); return -1;
        case 'i': snprintf(o->impls, sizeof o->impls, "%s", optarg); break;
        case 'c': snprintf(o->cases, sizeof o->cases, "%s", optarg); break;
        case 'l': layout_name = optarg; break;
        case 'o': o->out_path = optarg; break;
        case 'C': o->is_child = true; break;
        default:
            pb_cli_error(c == ':' ? "option %s needs a value" : "unknown option %s", argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
    }
    if (!o->impls[0] || !o->cases[0]) {
        pb_cli_error("count needs --impl and --case (see poolbench count --help)");
        return PB_EXIT_USAGE;
    }
    if (layout_name != NULL) {
        o->layouts[0] = pb_layout_from_name(layout_name), o->n_layouts = 1;
        if (o->layouts[0] == PB_LAYOUT_COUNT) {
            pb_cli_error("unknown layout '%s': expected nchw or nhwc", layout_name);
            return PB_EXIT_USAGE;
        }
    }
    return 0;
}

/* Every implementation and case named, before any work. */
static int check_names(const count_options *o)
{
    char list[sizeof o->cases], err[256], *save = NULL;
    snprintf(list, sizeof list, "%s", o->impls);
    for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save))
        if (pb_cli_find_impl(name) == NULL)
            return PB_EXIT_USAGE;
    snprintf(list, sizeof list, "%s", o->cases);
    pb_params p;
    for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save))
        if (pb_case_parse(name, &p, err, sizeof err) != 0) {
            pb_cli_error("%s", err);
            return PB_EXIT_USAGE;
        }
    return 0;
}

/* Counts every implementation of o on case p in each of o's layouts under
 * self, the counts to json (after a comma unless *first) and a line each to
 * stdout. PB_EXIT_OK, or PB_EXIT_FAILURE when one could not be counted. */
static int count_case(const char *self, const count_options *o, pb_params p, FILE *json, bool *first)
{
    char full[160], list[sizeof o->impls];
    pb_case_format(&p, full, sizeof full);
    int rc = PB_EXIT_OK;
    for (int l = 0; l < o->n_layouts; ++l) {
        p.layout = (pb_layout)o->layouts[l];
        const char *layout = pb_layout_name(p.layout);
        snprintf(list, sizeof list, "%s", o->impls);
        char *save = NULL;
        for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
            const pb_impl *impl = pb_impl_find(name);
            const char *why = pb_impl_refusal(impl, &p);
            if (why != NULL) {
                fprintf(stderr, "poolbench: skipped %s/%s/%s: %s\n", name, layout, full, why);
                continue;
            }
            counts k;
            const int measured = measure(self, impl, layout, full, &k);
            if (measured == CHILD_UNAVAILABLE) {
                pb_cli_error("%s cannot run on valgrind's simulated CPU (valgrind implements no AVX-512): count %s/%s/%s "
                             "with another variant, e.g. simd-avx2",
                             name, name, layout, full);
                rc = PB_EXIT_FAILURE;
                continue;
            }
            if (measured != 0) {
                pb_cli_error("callgrind run failed for %s/%s/%s", name, layout, full);
                rc = PB_EXIT_FAILURE;
                continue;
            }
            const double ops = pb_model_ops(&p);
            fprintf(json,
                    "%s\n    {\"name\": \"%s/%s/%s\", \"model_ops\": %.0f, \"impl_ops\": %.0f, \"instructions\": "
                    "%.0f, \"instructions_per_model_op\": %.6g, \"d1_misses\": %.0f, \"ll_misses\": %.0f}",
                    *first ? "" : ",", name, layout, full, ops, impl->ops(&p), k.ir, k.ir / ops, k.d1_misses,
                    k.ll_misses);
            printf("%-16s %-5s %-48s %14.0f instructions  %8.3f per model op  %10.0f D1 misses  %10.0f LL "
                   "misses\n",
                   name, layout, full, k.ir, k.ir / ops, k.d1_misses, k.ll_misses);
            *first = false;
        }
    }
    return rc;
}

/* Counts every case of o into out_path, whole or not at all. */
static int count_all(const count_options *o, const char *out_path)
{
    /* This very binary, for valgrind to run (not /proc/self/exe, which in the
     * child would be valgrind itself). */
    char self[PATH_MAX], err[PATH_MAX + 128];
    ssize_t self_len = readlink("/proc/self/exe", self, sizeof self - 1);
    if (self_len <= 0) {
        pb_cli_error("cannot find the poolbench binary: %s", strerror(errno));
        return PB_EXIT_FAILURE;
    }
    self[self_len] = '\0';
    pb_atomic_file af;
    if (pb_atomic_open(&af, out_path, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return PB_EXIT_USAGE;
    }
    fprintf(af.f, "{\n  \"context\": {\"machine\": \"%s\", \"tool\": \"valgrind --tool=callgrind --cache-sim=yes\", "
                  "\"counted\": \"one warm kernel call\"},\n  \"benchmarks\": [",
            pb_topology_get()->machine);
    int rc = PB_EXIT_OK;
    bool first = true;
    char list[sizeof o->cases], *save = NULL;
    snprintf(list, sizeof list, "%s", o->cases);
    for (char *name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
        pb_params p;
        pb_case_parse(name, &p, err, sizeof err);
        rc |= count_case(self, o, p, af.f, &first);
    }
    fprintf(af.f, "\n  ]\n}\n");
    if (rc != PB_EXIT_OK) {
        pb_atomic_abort(&af);
        return rc;
    }
    if (pb_atomic_commit(&af, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return PB_EXIT_FAILURE;
    }
    printf("callgrind counts: %s\n", out_path);
    return PB_EXIT_OK;
}

int pb_cmd_count(int argc, char **argv)
{
    count_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != 0)
        return rc < 0 ? PB_EXIT_OK : rc;
    if (o.is_child) {
        const pb_impl *impl = pb_impl_find(o.impls);
        pb_params p;
        char err[256];
        if (impl == NULL || pb_case_parse(o.cases, &p, err, sizeof err) != 0)
            return PB_EXIT_USAGE;
        p.layout = (pb_layout)o.layouts[0];
        return child(impl, &p);
    }
    if (system("valgrind --version >/dev/null 2>&1") != 0) {
        pb_cli_error("valgrind not found: apt-get install -y valgrind");
        return PB_EXIT_FAILURE;
    }
    if ((rc = check_names(&o)) != 0)
        return rc;
    if (o.out_path != NULL)
        return count_all(&o, o.out_path);
    char dir[PATH_MAX - 32], path[PATH_MAX], err[PATH_MAX + 128];
    if (pb_results_dir_make("results", pb_topology_get()->machine, "-callgrind", dir, sizeof dir, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return PB_EXIT_USAGE;
    }
    snprintf(path, sizeof path, "%s/callgrind.json", dir);
    rc = count_all(&o, path);
    if (rc != PB_EXIT_OK)
        rmdir(dir); /* nothing was written in it */
    return rc;
}
