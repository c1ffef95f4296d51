/* The benchmark presets: lists of cases, some sized from the machine's caches. */
#ifndef POOLBENCH_PRESETS_H
#define POOLBENCH_PRESETS_H
#include <stddef.h>
#include "poolbench/pool.h"
#ifdef __cplusplus
extern "C" {
#endif

#define PB_PRESET_MAX_CASES 128
/* Fills cases (layout NCHW; the harness runs each layout) and returns how many;
 * -1 with err for an unknown preset. */
int pb_preset_cases(const char *preset, pb_params *cases, int max, char *err, size_t errlen);
/* "quick, networks, window, cache, threads" */
const char *pb_preset_names(void);
/* Presets that scale over thread counts instead of implementations. */
int pb_preset_is_threads(const char *preset);
/* Room for every count pb_preset_thread_counts gives an int's worth of cores. */
#define PB_THREAD_COUNTS_MAX 32
/* The thread counts such a preset runs on `cores` usable cores, into counts
 * (PB_THREAD_COUNTS_MAX long), returning how many: 1, doubling while below
 * cores, then cores (2 cores: 1, 2; 48: 1, 2, 4, 8, 16, 32, 48). Their number
 * grows with log2 of the cores, so a large server's run is not 48 runs. */
int pb_preset_thread_counts(int cores, int *counts);

#ifdef __cplusplus
}
#endif
#endif
