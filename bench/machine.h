/* What the harness records about the machine: hwloc topology, PAPI status,
 * and the STREAM-like bandwidth and peak-throughput probes. */
#ifndef POOLBENCH_MACHINE_H
#define POOLBENCH_MACHINE_H
#include <stdbool.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    char cpu_model[128];
    char machine[96]; /* directory-safe: cpu model + core count */
    int packages, cores, pus, numa_nodes;
    int64_t l1d_bytes, l2_bytes, l3_bytes, memory_bytes;
    /* Every L3 of the machine together (8 of 32 MiB on a 64-core server with
     * an L3 per 8 cores): what a team spread over all cores keeps cached. */
    int64_t l3_total_bytes;
} pb_topology;

/* Loads hwloc's view once; later calls return the same. */
const pb_topology *pb_topology_get(void);

/* Working set that leaves the last-level cache: 4x every L3 together (a team
 * on all cores keeps each share in its own core's L3; the L2 where there is
 * no L3, 32 MiB where neither is known), but no more than a 64th of memory,
 * or 1 GiB where that is more. A run holds its cases' data in a quarter of
 * memory, and the networks preset's two cases out of the caches take about
 * 1.25x this each, with their reference outputs. The 1 GiB is for the Zen 5
 * VM, whose hwloc reports a 508 MiB L3 that the triad does not find: its
 * batches stay as they were (stem 334, VGG pool1 83). A 2-socket server of
 * 2 x 384 MiB L3 and 384 GiB gets 3 GiB, where 1 GiB left a team on all its
 * cores in the L3. pb_llc_escape_bytes is the rule on this machine. */
int64_t pb_escape_bytes(int64_t l3_total_bytes, int64_t l2_bytes, int64_t memory_bytes);
int64_t pb_llc_escape_bytes(void);

/* PAPI: low-level event set of whatever of cycles, instructions, L1D/L2/L3
 * misses and FP ops this machine can count. */
#define PB_PAPI_MAX_EVENTS 6
typedef struct {
    bool available;
    char status[1200]; /* "available: N hardware counters" or "unavailable (reason)" */
    int event_set;
    int n_events;
    const char *names[PB_PAPI_MAX_EVENTS]; /* counter names in the JSON */
} pb_papi;
const pb_papi *pb_papi_get(void);
/* Start / stop around a timed loop; values[i] pairs with names[i]. */
int pb_papi_start(void);
int pb_papi_stop(long long *values);

/* The file of the OpenMP runtime that serves this process's OpenMP calls,
 * oneDNN's included (the first definition in the global scope wins). */
const char *pb_openmp_runtime(void);

/* STREAM-like triad a = b + s*c (bytes counted as STREAM does: 3 arrays of 4-byte
 * floats per element, write-allocate traffic not counted) in the widest
 * vectors the kernels use here (pb_simd_triad), best of several
 * timings, result validated. With streaming_stores, a is written with
 * non-temporal stores, which skip the write-allocate read: out of the caches
 * the bandwidth a kernel can reach when it does the same. Returns GB/s, or a
 * negative value if validation failed or this ISA has no streaming stores here. */
double pb_stream_triad_GBps(int64_t working_set_bytes, int threads, bool streaming_stores);

/* The triad's arrays, for timing passes one at a time (the run's interleaved
 * probes): new returns NULL when the working set is too small or memory
 * short, and places them for `threads` threads. A pass on T threads binds
 * thread i to core i and streams the i-th of T chunks; pb_triad_place puts
 * each chunk on the NUMA node of core first_core + i (0 on success). A pass
 * with streaming_stores needs pb_simd_streaming_stores_available.
 * pb_triad_bytes is STREAM's count per pass; pb_triad_valid checks every
 * result. */
typedef struct pb_triad pb_triad;
pb_triad *pb_triad_new(int64_t working_set_bytes, int threads);
int pb_triad_place(pb_triad *t, int threads, int first_core);
void pb_triad_pass(pb_triad *t, int threads, bool streaming_stores);
double pb_triad_bytes(const pb_triad *t);
bool pb_triad_valid(const pb_triad *t);
void pb_triad_free(pb_triad *t);

/* The one-thread triad out of the caches (at pb_llc_escape_bytes), timed once
 * per process. */
double pb_dram_triad_GBps(void);

/* The L3 as the triad finds it. hwloc reports what CPUID says, and a VM may
 * say anything: the Zen 5 VM's 508 MiB L3 made the L3 probe (at half of it)
 * time DRAM, and placed every case up to 508 MiB under that roof. The triad
 * runs at working sets doubling from 2x L2 up to half of hwloc's L3 and
 * stops at the first that runs at less than twice the DRAM triad; the L3 is
 * then twice the last working set that kept its speed, and its probe the
 * triad there (half the level, as for L1 and L2). Where half of hwloc's L3
 * keeps its speed, or no working set above L2 does, hwloc's size stands.
 * Timed once per process; bytes is 0 where hwloc reports no L3. */
typedef struct {
    int64_t bytes;     /* the L3 the run uses */
    double GBps;       /* the triad at half of it */
    char ladder[320];  /* every working set tried and its GB/s: "2 MiB 84.3, 4 MiB 82.9" */
} pb_l3_probe;
const pb_l3_probe *pb_l3_probe_get(void);
/* Whether `bytes` exceed that L3 (false where hwloc reports none), timing the
 * ladder only where the answer depends on it: the L3 it finds is hwloc's, or
 * at least twice its first working set. */
bool pb_exceeds_l3(int64_t bytes);

/* Peak max-pooling throughput of this core: the best simd kernel on an
 * L1-resident NHWC case (64 channels, 8x8 window, one output), in model GOPS. */
double pb_peak_max_GOPS(void);

#ifdef __cplusplus
}
#endif
#endif
