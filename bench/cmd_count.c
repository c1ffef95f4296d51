/* poolbench count: instructions and simulated cache misses per model op from
 * valgrind's callgrind, counted around one kernel call only. Deterministic
 * for a given binary and case, on any machine, hardware counters or not.
 * The parent runs itself under callgrind once per (implementation, layout,
 * case) with --child; the child warms the caches with one call and has
 * callgrind collect the second. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <valgrind/callgrind.h>

#include "case_name.h"
#include "cli.h"
#include "io/atomic_file.h"
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
           "results/<machine>/<UTC stamp>/callgrind.json.\n");
}

int pb_cmd_count(int argc, char **argv)
{
    static const struct option longopts[] = {{"impl", required_argument, 0, 'i'}, {"case", required_argument, 0, 'c'},
                                             {"layout", required_argument, 0, 'l'}, {"out", required_argument, 0, 'o'},
                                             {"child", no_argument, 0, 'C'},        {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    char impls[1024] = "", cases[2048] = "";
    const char *layout_name = NULL, *out_path = NULL;
    bool is_child = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': usage(); return PB_EXIT_OK;
        case 'i': snprintf(impls, sizeof impls, "%s", optarg); break;
        case 'c': snprintf(cases, sizeof cases, "%s", optarg); break;
        case 'l': layout_name = optarg; break;
        case 'o': out_path = optarg; break;
        case 'C': is_child = true; break;
        default:
            pb_cli_error(c == ':' ? "option %s needs a value" : "unknown option %s", argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
    }
    if (!impls[0] || !cases[0]) {
        pb_cli_error("count needs --impl and --case (see poolbench count --help)");
        return PB_EXIT_USAGE;
    }
    int layouts[2] = {PB_LAYOUT_NCHW, PB_LAYOUT_NHWC}, n_layouts = 2;
    if (layout_name != NULL) {
        layouts[0] = pb_layout_from_name(layout_name), n_layouts = 1;
        if (layouts[0] == PB_LAYOUT_COUNT) {
            pb_cli_error("unknown layout '%s': expected nchw or nhwc", layout_name);
            return PB_EXIT_USAGE;
        }
    }
    char err[256];
    pb_params p;
    if (is_child) {
        const pb_impl *impl = pb_impl_find(impls);
        if (impl == NULL || pb_case_parse(cases, &p, err, sizeof err) != 0)
            return PB_EXIT_USAGE;
        p.layout = (pb_layout)layouts[0];
        return child(impl, &p);
    }
    if (system("valgrind --version >/dev/null 2>&1") != 0) {
        pb_cli_error("valgrind not found: apt-get install -y valgrind");
        return PB_EXIT_FAILURE;
    }
    /* Validate every name before any work. */
    char impl_list[1024], case_list[2048], *save = NULL;
    snprintf(impl_list, sizeof impl_list, "%s", impls);
    for (char *name = strtok_r(impl_list, ",", &save); name; name = strtok_r(NULL, ",", &save))
        if (pb_impl_find(name) == NULL) {
            pb_cli_error("unknown implementation '%s' (see poolbench list)", name);
            return PB_EXIT_USAGE;
        }
    snprintf(case_list, sizeof case_list, "%s", cases);
    for (char *name = strtok_r(case_list, ",", &save); name; name = strtok_r(NULL, ",", &save))
        if (pb_case_parse(name, &p, err, sizeof err) != 0) {
            pb_cli_error("%s", err);
            return PB_EXIT_USAGE;
        }
    char default_path[512];
    if (out_path == NULL) {
        char stamp[32];
        time_t now = time(NULL);
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
        char dir[400];
        snprintf(dir, sizeof dir, "results/%s/%s-callgrind", pb_topology_get()->machine, stamp);
        char mk[600];
        snprintf(mk, sizeof mk, "mkdir -p '%s'", dir);
        if (system(mk) != 0) {
            pb_cli_error("cannot create %s", dir);
            return PB_EXIT_USAGE;
        }
        snprintf(default_path, sizeof default_path, "%s/callgrind.json", dir);
        out_path = default_path;
    }
    /* This very binary, for valgrind to run (not /proc/self/exe, which in the
     * child would be valgrind itself). */
    char self[PATH_MAX];
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
    int rc = PB_EXIT_OK, first = 1;
    snprintf(case_list, sizeof case_list, "%s", cases);
    char *save_c = NULL;
    for (char *cn = strtok_r(case_list, ",", &save_c); cn; cn = strtok_r(NULL, ",", &save_c)) {
        pb_case_parse(cn, &p, err, sizeof err);
        char full[160];
        pb_case_format(&p, full, sizeof full);
        for (int l = 0; l < n_layouts; ++l) {
            p.layout = (pb_layout)layouts[l];
            snprintf(impl_list, sizeof impl_list, "%s", impls);
            char *save_i = NULL;
            for (char *in = strtok_r(impl_list, ",", &save_i); in; in = strtok_r(NULL, ",", &save_i)) {
                const pb_impl *impl = pb_impl_find(in);
                const char *why = pb_impl_refusal(impl, &p);
                if (why != NULL) {
                    fprintf(stderr, "poolbench: skipped %s/%s/%s: %s\n", in, pb_layout_name(p.layout), full, why);
                    continue;
                }
                counts k;
                const int measured = measure(self, impl, pb_layout_name(p.layout), full, &k);
                if (measured == CHILD_UNAVAILABLE) {
                    pb_cli_error("%s cannot run on valgrind's simulated CPU (valgrind implements no AVX-512): count %s/%s/%s "
                                 "with another variant, e.g. simd-avx2",
                                 in, in, pb_layout_name(p.layout), full);
                    rc = PB_EXIT_FAILURE;
                    continue;
                }
                if (measured != 0) {
                    pb_cli_error("callgrind run failed for %s/%s/%s", in, pb_layout_name(p.layout), full);
                    rc = PB_EXIT_FAILURE;
                    continue;
                }
                double ops = pb_model_ops(&p);
                fprintf(af.f,
                        "%s\n    {\"name\": \"%s/%s/%s\", \"model_ops\": %.0f, \"impl_ops\": %.0f, \"instructions\": "
                        "%.0f, \"instructions_per_model_op\": %.6g, \"d1_misses\": %.0f, \"ll_misses\": %.0f}",
                        first ? "" : ",", in, pb_layout_name(p.layout), full, ops, impl->ops(&p), k.ir, k.ir / ops,
                        k.d1_misses, k.ll_misses);
                printf("%-16s %-5s %-48s %14.0f instructions  %8.3f per model op  %10.0f D1 misses  %10.0f LL "
                       "misses\n",
                       in, pb_layout_name(p.layout), full, k.ir, k.ir / ops, k.d1_misses, k.ll_misses);
                first = 0;
            }
        }
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
