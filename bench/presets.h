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

#ifdef __cplusplus
}
#endif
#endif
