/* Checks a run.json from poolbench run: every benchmark has every counter of
 * the results format, model_ops equals N*C*oh*ow*kh*kw of the case in its name,
 * and the context holds the topology, the PAPI status and the bandwidth probes;
 * the bandwidth probes timed among the cases (the triads and each case's
 * plain pass) have bytes, threads and GBps, GBps is bytes over the time per
 * pass, and a plain pass moves its case's input and output in whole 64-byte
 * lines. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case_name.h"

static int fail(const char *what, const char *name)
{
    fprintf(stderr, "FAIL: %s%s%s\n", what, name ? ": " : "", name ? name : "");
    return 1;
}

/* A plain pass's bytes from "CASE/threads:1": input and output floats, each
 * rounded up to 16 (a line), 4 bytes each; -1 for a name that is no case. */
static double plain_pass_bytes(const char *case_and_threads)
{
    char case_name[256];
    const char *end = strstr(case_and_threads, "/threads:");
    const size_t len = end ? (size_t)(end - case_and_threads) : 0;
    pb_params p;
    char err[256];
    if (len == 0 || len >= sizeof case_name)
        return -1;
    memcpy(case_name, case_and_threads, len);
    case_name[len] = '\0';
    if (pb_case_parse(case_name, &p, err, sizeof err) != 0)
        return -1;
    return 64.0 * (double)((pb_input_elems(&p) + 15) / 16 + (pb_output_elems(&p) + 15) / 16);
}

int main(int argc, char **argv)
{
    if (argc != 2)
        return fail("usage: check_run_json RUN.json", NULL);
    json_error_t e;
    json_t *root = json_load_file(argv[1], 0, &e);
    if (root == NULL)
        return fail(e.text, argv[1]);
    json_t *ctx = json_object_get(root, "context");
    static const char *const context_keys[] = {"papi", "machine", "cpu_model", "cores", "l1d_bytes", "l2_bytes",
                                               "l3_bytes", "numa_nodes", "memory_bytes", "git_revision",
                                               "compiler", "onednn", "stream_dram_GBps", "peak_max_GOPS",
                                               "repetitions"};
    for (size_t i = 0; i < sizeof context_keys / sizeof context_keys[0]; ++i)
        if (!json_is_string(json_object_get(ctx, context_keys[i])))
            return fail("context lacks", context_keys[i]);
#if defined(__x86_64__)
    /* Every x86-64 has streaming stores (SSE), so its runs probe with them. */
    if (!json_is_string(json_object_get(ctx, "stream_dram_nt_GBps")))
        return fail("context lacks", "stream_dram_nt_GBps");
    /* And tells its caches through CPUID, which hwloc reads where sysfs has
     * no cache directories (as in the 2-core VM): elsewhere (aarch64) a run
     * may know none, and then has no cache-level triads. */
    if (atoll(json_string_value(json_object_get(ctx, "l1d_bytes"))) <= 0)
        return fail("hwloc reported no L1d on x86-64", NULL);
#endif
    if (!json_is_string(json_object_get(ctx, "stream_output_bytes")))
        return fail("context lacks", "stream_output_bytes");
    /* Where hwloc reports an L3, the run checks it with the triad's ladder:
     * the size it places cases by, no larger than hwloc's. */
    const char *l3 = json_string_value(json_object_get(ctx, "l3_bytes"));
    if (atoll(l3) > 0) {
        const char *measured = json_string_value(json_object_get(ctx, "l3_measured_bytes"));
        if (!measured || !json_is_string(json_object_get(ctx, "stream_l3_ladder")))
            return fail("context lacks", "l3_measured_bytes and stream_l3_ladder");
        if (atoll(measured) <= 0 || atoll(measured) > atoll(l3))
            return fail("l3_measured_bytes is not in (0, l3_bytes]", measured);
    }
    static const char *const counters[] = {"model_ops", "impl_ops", "bytes", "workspace_bytes", "window",
                                           "threads",   "GOPS",     "GBps",  "ns_per_model_op"};
    json_t *benchmarks = json_object_get(root, "benchmarks");
    size_t i;
    json_t *b;
    if (json_array_size(benchmarks) < 8)
        return fail("too few benchmarks", NULL);
    size_t probes = 0;
    json_array_foreach(benchmarks, i, b)
    {
        const char *name = json_string_value(json_object_get(b, "name"));
        static const char plain_pass[] = "probe/plain_pass/";
        const bool is_plain_pass = strncmp(name, plain_pass, strlen(plain_pass)) == 0;
        if (strncmp(name, "probe/stream_triad", 18) == 0 || is_plain_pass) {
            static const char *const probe_counters[] = {"bytes", "threads", "GBps"};
            for (size_t k = 0; k < sizeof probe_counters / sizeof probe_counters[0]; ++k)
                if (!json_is_number(json_object_get(b, probe_counters[k])))
                    return fail("probe lacks a counter", name);
            /* real_time in us per pass, one pass of `bytes`. The harness's
             * clock (time_passes) and Google Benchmark's differ by microseconds
             * of the loop's own code: 1% tells a wrong rule (counting the
             * write-allocate read is 4/3 off) from the clocks. */
            const double gbps = json_number_value(json_object_get(b, "bytes")) /
                                (json_number_value(json_object_get(b, "real_time")) * 1e3);
            const double reported = json_number_value(json_object_get(b, "GBps"));
            if (fabs(gbps / reported - 1) > 0.01) {
                fprintf(stderr, "bytes over real_time is %g GB/s, GBps says %g\n", gbps, reported);
                return fail("probe's GBps is not bytes per pass over its time", name);
            }
            const double bytes = json_number_value(json_object_get(b, "bytes"));
            if (is_plain_pass && plain_pass_bytes(name + strlen(plain_pass)) != bytes)
                return fail("plain pass's bytes are not its case's input and output in whole lines", name);
            ++probes;
            continue;
        }
        for (size_t k = 0; k < sizeof counters / sizeof counters[0]; ++k)
            if (!json_is_number(json_object_get(b, counters[k])))
                return fail("benchmark lacks a counter", name);
        const char *slash = strrchr(name, '/');
        pb_params p;
        char err[256];
        if (slash == NULL || pb_case_parse(slash + 1, &p, err, sizeof err) != 0)
            return fail("name is not IMPL/LAYOUT/CASE", name);
        double want = (double)(p.n * p.c * p.oh * p.ow * p.kh * p.kw);
        if (json_number_value(json_object_get(b, "model_ops")) != want)
            return fail("model_ops is not N*C*oh*ow*kh*kw", name);
    }
    printf("ok: %zu benchmarks (%zu bandwidth probes), every counter present, model_ops matches each case\n",
           json_array_size(benchmarks), probes);
    json_decref(root);
    return 0;
}
