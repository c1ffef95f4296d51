/* dladdr and RTLD_DEFAULT: which library serves the OpenMP calls. */
#define _GNU_SOURCE
#include "machine.h"
#include "poolbench/registry.h"

#include <ctype.h>
#include <dlfcn.h>
#include <hwloc.h>
#include <math.h>
#include <omp.h>
#include <papi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static hwloc_topology_t topology;
static pb_topology topo;
static bool topo_loaded;

static int64_t cache_size(hwloc_obj_type_t type)
{
    hwloc_obj_t o = hwloc_get_obj_by_type(topology, type, 0);
    return o && o->attr ? (int64_t)o->attr->cache.size : 0;
}

/* hwloc takes a CPU's name from /proc/cpuinfo's "model name", which aarch64
 * Linux does not print: it lists MIDR_EL1's fields instead, of which the
 * implementer and part name the core ("ARM part 0xd0c", a Neoverse N1),
 * and hwloc 2.9 put neither on the package (arm64 build under qemu-user
 * with an aarch64 /proc/cpuinfo). Without them every aarch64 machine would
 * be "unknown cpu" and share one results directory per core count. */
static bool cpuinfo_arm_model(char *out, size_t len)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f == NULL)
        return false;
    char line[256];
    unsigned implementer = 0, part = 0;
    bool have_implementer = false, have_part = false;
    while (!(have_implementer && have_part) && fgets(line, sizeof line, f)) {
        if (sscanf(line, "CPU implementer : %x", &implementer) == 1)
            have_implementer = true;
        else if (sscanf(line, "CPU part : %x", &part) == 1)
            have_part = true;
    }
    fclose(f);
    if (!(have_implementer && have_part))
        return false;
    static const struct {
        unsigned id;
        const char *name;
    } implementers[] = {{0x41, "ARM"},   {0x42, "Broadcom"},  {0x43, "Cavium"},   {0x46, "Fujitsu"},
                        {0x48, "HiSilicon"}, {0x4e, "NVIDIA"}, {0x51, "Qualcomm"}, {0x61, "Apple"},
                        {0xc0, "Ampere"}};
    const char *who = NULL;
    for (size_t i = 0; i < sizeof implementers / sizeof implementers[0]; ++i)
        if (implementers[i].id == implementer)
            who = implementers[i].name;
    if (who)
        snprintf(out, len, "%s part 0x%03x", who, part);
    else
        snprintf(out, len, "implementer 0x%02x part 0x%03x", implementer, part);
    return true;
}

const pb_topology *pb_topology_get(void)
{
    if (topo_loaded)
        return &topo;
    topo_loaded = true;
    hwloc_topology_init(&topology);
    hwloc_topology_load(topology);
    hwloc_obj_t pkg = hwloc_get_obj_by_type(topology, HWLOC_OBJ_PACKAGE, 0);
    const char *model = pkg ? hwloc_obj_get_info_by_name(pkg, "CPUModel") : NULL;
    if (model || !cpuinfo_arm_model(topo.cpu_model, sizeof topo.cpu_model))
        snprintf(topo.cpu_model, sizeof topo.cpu_model, "%s", model ? model : "unknown cpu");
    for (size_t len = strlen(topo.cpu_model); len > 0 && isspace((unsigned char)topo.cpu_model[len - 1]);)
        topo.cpu_model[--len] = '\0';
    topo.packages = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PACKAGE);
    topo.pus = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_PU);
    /* PUs where hwloc found no cores (no CPU topology in sysfs), as binding counts them. */
    topo.cores = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_CORE);
    if (topo.cores <= 0)
        topo.cores = topo.pus;
    topo.numa_nodes = hwloc_get_nbobjs_by_type(topology, HWLOC_OBJ_NUMANODE);
    topo.l1d_bytes = cache_size(HWLOC_OBJ_L1CACHE);
    topo.l2_bytes = cache_size(HWLOC_OBJ_L2CACHE);
    topo.l3_bytes = cache_size(HWLOC_OBJ_L3CACHE);
    for (hwloc_obj_t o = NULL; (o = hwloc_get_next_obj_by_type(topology, HWLOC_OBJ_L3CACHE, o));)
        topo.l3_total_bytes += o->attr ? (int64_t)o->attr->cache.size : 0;
    /* The kernel's page count: hwloc sums the NUMA nodes' meminfo, which misses
       memory hot-plugged into a VM (this 24 GiB VM's node 0 says 7.2 GiB), and
       under HWLOC_SYNTHETIC or an XML file says another machine's. */
    const long pages = sysconf(_SC_PHYS_PAGES), page_bytes = sysconf(_SC_PAGESIZE);
    topo.memory_bytes = pages > 0 && page_bytes > 0 ? (int64_t)pages * page_bytes
                                                    : (int64_t)hwloc_get_root_obj(topology)->total_memory;
    /* "AMD EPYC 7B13" with 2 cores -> "amd-epyc-7b13-2c" */
    size_t j = 0;
    for (const char *c = topo.cpu_model; *c && j + 8 < sizeof topo.machine; ++c) {
        if (isalnum((unsigned char)*c))
            topo.machine[j++] = (char)tolower((unsigned char)*c);
        else if (j > 0 && topo.machine[j - 1] != '-')
            topo.machine[j++] = '-';
    }
    while (j > 0 && topo.machine[j - 1] == '-')
        --j;
    snprintf(topo.machine + j, sizeof topo.machine - j, "-%dc", topo.cores > 0 ? topo.cores : 1);
    return &topo;
}

int64_t pb_escape_bytes(int64_t l3_total_bytes, int64_t l2_bytes, int64_t memory_bytes)
{
    const int64_t llc = l3_total_bytes > 0 ? l3_total_bytes : l2_bytes > 0 ? l2_bytes : (int64_t)32 << 20;
    const int64_t gib = (int64_t)1 << 30, cap = memory_bytes / 64 > gib ? memory_bytes / 64 : gib;
    return 4 * llc < cap ? 4 * llc : cap;
}

int64_t pb_llc_escape_bytes(void)
{
    const pb_topology *t = pb_topology_get();
    return pb_escape_bytes(t->l3_total_bytes, t->l2_bytes, t->memory_bytes);
}

static pb_papi papi;
static bool papi_loaded;

const pb_papi *pb_papi_get(void)
{
    if (papi_loaded)
        return &papi;
    papi_loaded = true;
    papi.event_set = PAPI_NULL;
    int rc = PAPI_library_init(PAPI_VER_CURRENT);
    if (rc != PAPI_VER_CURRENT) {
        snprintf(papi.status, sizeof papi.status, "unavailable (PAPI_library_init: %s)", PAPI_strerror(rc));
        return &papi;
    }
    int counters = PAPI_num_cmp_hwctrs(0);
    if (counters <= 0) {
        const PAPI_component_info_t *ci = PAPI_get_component_info(0);
        snprintf(papi.status, sizeof papi.status, "unavailable (PAPI reports %d hardware counters%s%s)",
                 counters < 0 ? 0 : counters, ci && ci->disabled_reason[0] ? ": " : "",
                 ci && ci->disabled_reason[0] ? ci->disabled_reason : "");
        return &papi;
    }
    if (PAPI_create_eventset(&papi.event_set) != PAPI_OK) {
        snprintf(papi.status, sizeof papi.status, "unavailable (PAPI_create_eventset failed)");
        return &papi;
    }
    /* Each event on its own: a counter that cannot join the set is skipped. */
    static const char *const wanted[][2] = {
        {"PAPI_TOT_CYC", "papi_cycles"},     {"PAPI_TOT_INS", "papi_instructions"},
        {"PAPI_L1_DCM", "papi_l1d_misses"},  {"PAPI_L2_DCM", "papi_l2_misses"},
        {"PAPI_L3_TCM", "papi_l3_misses"},   {"PAPI_FP_OPS", "papi_fp_ops"},
    };
    char skipped[128] = "";
    for (size_t i = 0; i < sizeof wanted / sizeof wanted[0]; ++i) {
        if (PAPI_add_named_event(papi.event_set, wanted[i][0]) == PAPI_OK)
            papi.names[papi.n_events++] = wanted[i][1];
        else
            snprintf(skipped + strlen(skipped), sizeof skipped - strlen(skipped), " %s", wanted[i][0]);
    }
    papi.available = papi.n_events > 0;
    /* A guest can report counters its hypervisor does not let it program. */
    if (!papi.available)
        snprintf(papi.status, sizeof papi.status,
                 "unavailable (PAPI reports %d hardware counters but none of these events can be added:%s)", counters,
                 skipped);
    else
        snprintf(papi.status, sizeof papi.status, "available: %d hardware counters, %d events in use%s%s", counters,
                 papi.n_events, skipped[0] ? "; skipped" : "", skipped);
    return &papi;
}

const char *pb_openmp_runtime(void)
{
    Dl_info info;
    void *entry = dlsym(RTLD_DEFAULT, "omp_get_thread_num");
    return entry && dladdr(entry, &info) && info.dli_fname ? info.dli_fname : "unknown";
}

int pb_papi_start(void) { return papi.available ? PAPI_start(papi.event_set) : -1; }
int pb_papi_stop(long long *values) { return papi.available ? PAPI_stop(papi.event_set, values) : -1; }

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Thread t of nt takes elements [*lo, *hi), whole 64-byte lines (n is a
 * multiple of 16), as pb_simd_triad needs and no two threads share a line. */
static void triad_chunk(int64_t n, int t, int nt, int64_t *lo, int64_t *hi)
{
    const int64_t per = (n / 16 + nt - 1) / nt * 16;
    *lo = t * per < n ? t * per : n;
    *hi = *lo + per < n ? *lo + per : n;
}

struct pb_triad {
    float *a, *b, *c;
    int64_t n;
};

/* STREAM's values: b and c hold these, a = b + s*c holds TRIAD_A after any
 * pass (exact in float). */
#define TRIAD_B 1.0f
#define TRIAD_C 2.0f
#define TRIAD_S 3.0f
#define TRIAD_A (TRIAD_B + TRIAD_S * TRIAD_C)

void pb_triad_free(pb_triad *t)
{
    if (t)
        free(t->a), free(t->b), free(t->c);
    free(t);
}

pb_triad *pb_triad_new(int64_t working_set_bytes, int threads)
{
    const int64_t n = working_set_bytes / (3 * (int64_t)sizeof(float)) / 16 * 16;
    pb_triad *t = n >= 64 ? calloc(1, sizeof *t) : NULL;
    if (!t)
        return NULL;
    t->n = n;
    t->a = aligned_alloc(64, (size_t)n * sizeof(float));
    t->b = aligned_alloc(64, (size_t)n * sizeof(float));
    t->c = aligned_alloc(64, (size_t)n * sizeof(float));
    if (!t->a || !t->b || !t->c) {
        pb_triad_free(t);
        return NULL;
    }
    pb_triad_place(t, threads, 0);
#pragma omp parallel num_threads(threads)
    {
        int64_t lo, hi;
        triad_chunk(n, omp_get_thread_num(), omp_get_num_threads(), &lo, &hi);
        for (int64_t i = lo; i < hi; ++i)
            t->a[i] = 0, t->b[i] = TRIAD_B, t->c[i] = TRIAD_C;
    }
    return t;
}

int pb_triad_place(pb_triad *t, int threads, int first_core)
{
    int failed = 0;
    for (int i = 0; i < threads; ++i) {
        int64_t lo, hi;
        triad_chunk(t->n, i, threads, &lo, &hi);
        const size_t bytes = (size_t)(hi - lo) * sizeof(float);
        failed |= pb_bind_memory_to_core(t->a + lo, bytes, first_core + i);
        failed |= pb_bind_memory_to_core(t->b + lo, bytes, first_core + i);
        failed |= pb_bind_memory_to_core(t->c + lo, bytes, first_core + i);
    }
    return failed ? -1 : 0;
}

void pb_triad_pass(pb_triad *t, int threads, bool streaming_stores)
{
    /* One thread runs without a parallel region: its fork and join would
     * dominate the L1-sized case. */
    if (threads <= 1) {
        pb_simd_triad(t->a, t->b, t->c, TRIAD_S, 0, t->n, streaming_stores);
        return;
    }
#pragma omp parallel num_threads(threads)
    {
        pb_bind_thread_to_core(omp_get_thread_num());
        int64_t lo, hi;
        triad_chunk(t->n, omp_get_thread_num(), omp_get_num_threads(), &lo, &hi);
        pb_simd_triad(t->a, t->b, t->c, TRIAD_S, lo, hi, streaming_stores);
    }
}

double pb_triad_bytes(const pb_triad *t) { return 3.0 * (double)t->n * sizeof(float); }

bool pb_triad_valid(const pb_triad *t)
{
    /* STREAM's check: every a[i] exactly b + s*c. */
    bool ok = true;
    for (int64_t i = 0; i < t->n; ++i)
        ok &= t->a[i] == TRIAD_A;
    return ok;
}

double pb_stream_triad_GBps(int64_t working_set_bytes, int threads, bool streaming_stores)
{
    pb_triad *t = streaming_stores && !pb_simd_streaming_stores_available() ? NULL
                                                                       : pb_triad_new(working_set_bytes, threads);
    if (!t)
        return -1;
    /* Repeat the triad until a timing lasts >= 20 ms, keep the best of 5. */
    int64_t reps = 1;
    double best = INFINITY;
    for (int trial = 0; trial < 5;) {
        double t0 = now_seconds();
        for (int64_t r = 0; r < reps; ++r) {
            pb_triad_pass(t, threads, streaming_stores);
            __asm__ volatile("" ::: "memory");
        }
        double dt = now_seconds() - t0;
        if (dt < 0.02) {
            reps *= 2;
            continue;
        }
        best = fmin(best, dt / (double)reps);
        ++trial;
    }
    const double gbps = pb_triad_valid(t) ? pb_triad_bytes(t) / best * 1e-9 : -1;
    pb_triad_free(t);
    return gbps;
}

double pb_dram_triad_GBps(void)
{
    static double gbps;
    static bool timed;
    if (!timed)
        gbps = pb_stream_triad_GBps(pb_llc_escape_bytes(), 1, false), timed = true;
    return gbps;
}

/* Twice the DRAM triad: a working set slower than that has left the cache. */
#define L3_SPEED_OVER_DRAM 2.0

/* The ladder's first working set: twice L2 (1 MiB where hwloc reports none). */
static int64_t ladder_start(const pb_topology *t) { return 2 * (t->l2_bytes > 0 ? t->l2_bytes : (int64_t)1 << 20); }

const pb_l3_probe *pb_l3_probe_get(void)
{
    static pb_l3_probe l3;
    static bool probed;
    if (probed)
        return &l3;
    probed = true;
    const pb_topology *t = pb_topology_get();
    if (t->l3_bytes <= 0)
        return &l3;
    const double dram = pb_dram_triad_GBps();
    const int64_t half = t->l3_bytes / 2;
    int64_t kept = 0;
    double kept_GBps = 0;
    size_t used = 0;
    /* The last step is half of hwloc's L3 itself. */
    for (int64_t ws = ladder_start(t);; ws *= 2) {
        ws = ws < half ? ws : half;
        const double gbps = pb_stream_triad_GBps(ws, 1, false);
        if (used < sizeof l3.ladder)
            used += (size_t)snprintf(l3.ladder + used, sizeof l3.ladder - used, "%s%.4g MiB %.1f", used ? ", " : "",
                                     (double)ws / (1 << 20), gbps);
        if (!(gbps >= L3_SPEED_OVER_DRAM * dram))
            break;
        kept = ws, kept_GBps = gbps;
        if (ws == half)
            break;
    }
    const bool ladder_disagrees = kept > 0 && kept < half;
    l3.bytes = ladder_disagrees ? 2 * kept : t->l3_bytes;
    l3.GBps = kept == half || ladder_disagrees ? kept_GBps : pb_stream_triad_GBps(half, 1, false);
    return &l3;
}

bool pb_exceeds_l3(int64_t bytes)
{
    const pb_topology *t = pb_topology_get();
    if (t->l3_bytes <= 0 || bytes <= 2 * ladder_start(t))
        return false;
    return bytes > t->l3_bytes || bytes > pb_l3_probe_get()->bytes;
}

double pb_peak_max_GOPS(void)
{
    double best = INFINITY, ops = 0;
    int64_t iters = 1024;
    for (int trial = 0; trial < 5;) {
        double t0 = now_seconds();
        const int64_t done = pb_simd_peak_max(iters);
        double dt = now_seconds() - t0;
        if (dt < 0.02) {
            iters *= 2;
            continue;
        }
        if (dt < best)
            best = dt, ops = (double)done;
        ++trial;
    }
    return ops / best * 1e-9;
}
