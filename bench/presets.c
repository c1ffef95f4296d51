#include "presets.h"

#include <stdio.h>
#include <string.h>

#include "case_name.h"
#include "machine.h"

/* quick: one of each kind of shape, small enough that every implementation in
 * both layouts runs in well under three minutes on two cores. Each of avg, min
 * and softmax has a max of the same geometry beside it, so the report measures
 * the notebook's exercises (avg vs max, min vs -max(-x) vs max, softmax vs max). */
static const char *const quick[] = {
    "mb1ic64ih56kh3sh2ph1_max",  "mb1ic64ih56kh3sh1ph1_avg_p",   "mb1ic64ih56kh3sh1ph1_max",
    "mb1ic64ih56kh2sh2_max",     "mb1ic64ih56kh7sh1ph3_max",     "mb1ic64ih28kh3sh1ph1_min",
    "mb1ic64ih28kh3sh1ph1_max",  "mb1ic512ih7kh7_avg_p",         "mb1ic32ih28kh3sh1ph1_softmax",
    "mb1ic32ih28kh3sh1ph1_max",
};

/* networks: the pooling layers of real networks at batch 1, plus issue 6's
 * stride-1 windows. A second batch that leaves the last-level cache is added
 * for the ResNet-50 stem and VGG's first pool. */
static const char *const networks[] = {
    "mb1ic64ih112kh3sh2ph1_max",       /* ResNet-50 stem pool */
    "mb1ic2048ih7kh7_avg_p",           /* ResNet-50 global average */
    "mb1ic64ih224kh2sh2_max",          /* VGG-16 pool1..pool5 */
    "mb1ic128ih112kh2sh2_max",
    "mb1ic256ih56kh2sh2_max",
    "mb1ic512ih28kh2sh2_max",
    "mb1ic512ih14kh2sh2_max",
    "mb1ic192ih56kh3sh2ceil1_max",     /* GoogLeNet 3x3/s2 (ceil) */
    "mb1ic480ih28kh3sh1ph1_max",       /* GoogLeNet/Inception 3x3/s1 branch pool */
    "mb1ic64ih55kh3sh2ceil1_max",      /* AlexNet overlapping 3x3/s2 with ceil_mode */
    "mb1ic192ih27kh3sh2ceil1_max",
    "mb1ic256ih13kh3sh2ceil1_max",
    "mb1ic64ih56kh3sh1ph1_max",        /* issue 6: 3x3/s1 max and avg, 5x5 and 7x7/s1 max */
    "mb1ic64ih56kh3sh1ph1_avg_p",
    "mb1ic64ih56kh5sh1ph2_max",
    "mb1ic64ih56kh7sh1ph3_max",
};

static int add(pb_params *cases, int n, int max, const char *name)
{
    char err[256];
    if (n < max && pb_case_parse(name, &cases[n], err, sizeof err) == 0)
        return n + 1;
    fprintf(stderr, "poolbench: preset case dropped: %s\n", err);
    return n;
}

/* A case with the same plane and window but a batch whose input is about `bytes`. */
static int add_batched(pb_params *cases, int n, int max, const char *name, int64_t bytes)
{
    int m = add(cases, n, max, name);
    if (m == n)
        return n;
    pb_params *p = &cases[n];
    int64_t per_image = p->c * p->h * p->w * (int64_t)sizeof(float);
    p->n = bytes / per_image > 1 ? bytes / per_image : 2;
    pb_params_resolve(p);
    return m;
}

int pb_preset_cases(const char *preset, pb_params *cases, int max, char *err, size_t errlen)
{
    int n = 0;
    char name[128];
    if (strcmp(preset, "quick") == 0) {
        for (size_t i = 0; i < sizeof quick / sizeof quick[0]; ++i)
            n = add(cases, n, max, quick[i]);
    } else if (strcmp(preset, "networks") == 0 || strcmp(preset, "threads") == 0) {
        for (size_t i = 0; i < sizeof networks / sizeof networks[0]; ++i)
            n = add(cases, n, max, networks[i]);
        n = add_batched(cases, n, max, "mb1ic64ih112kh3sh2ph1_max", pb_llc_escape_bytes());
        n = add_batched(cases, n, max, "mb1ic64ih224kh2sh2_max", pb_llc_escape_bytes());
    } else if (strcmp(preset, "window") == 0) {
        for (int k = 2; k <= 15; ++k)
            for (int s = 0; s < 2; ++s) {
                snprintf(name, sizeof name, "mb1ic16ih64kh%dsh%d_max", k, s ? k : 1);
                n = add(cases, n, max, name);
            }
    } else if (strcmp(preset, "cache") == 0) {
        /* Inputs of half of L1d, L2 and L3 (as the triad finds it) and of 4x
         * L3: each level crossed. */
        const pb_topology *t = pb_topology_get();
        const int64_t sizes[] = {t->l1d_bytes / 2, t->l2_bytes / 2, pb_l3_probe_get()->bytes / 2,
                                 pb_llc_escape_bytes()};
        for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; ++i)
            for (int s = 1; s <= 2; ++s) {
                if (sizes[i] <= 0)
                    continue;
                int64_t c = sizes[i] / (56 * 56 * (int64_t)sizeof(float));
                snprintf(name, sizeof name, "mb1ic%lldih56kh3sh%dph1_max", (long long)(c > 0 ? c : 1), s);
                n = add(cases, n, max, name);
            }
    } else {
        snprintf(err, errlen, "unknown preset '%s': expected %s", preset, pb_preset_names());
        return -1;
    }
    return n;
}

const char *pb_preset_names(void) { return "quick, networks, window, cache or threads"; }
int pb_preset_is_threads(const char *preset) { return strcmp(preset, "threads") == 0; }

int pb_preset_thread_counts(int cores, int *counts)
{
    int n = 0;
    for (int t = 1; t < cores; t = t > cores / 2 ? cores : 2 * t)
        counts[n++] = t;
    counts[n++] = cores > 1 ? cores : 1;
    return n;
}
