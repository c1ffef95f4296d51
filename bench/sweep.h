/* The randomized sweep that checks implementations against naive: shapes,
 * parameters and inputs (NaN, +-inf, ties) from a seeded generator, so a
 * failure is reproducible from its seed and index. */
#ifndef POOLBENCH_SWEEP_H
#define POOLBENCH_SWEEP_H
#include <stdint.h>
#include "poolbench/registry.h"
#ifdef __cplusplus
extern "C" {
#endif

typedef struct { uint64_t s; } pb_rng;
uint64_t pb_rng_next(pb_rng *r);
/* Uniform in [lo, hi]. */
int64_t pb_rng_range(pb_rng *r, int64_t lo, int64_t hi);

/* Case number i of the sweep with this seed: valid, resolved parameters. */
void pb_sweep_case(uint64_t seed, int i, pb_params *p);
/* Fills in with values in [-8, 8] in steps of 1/8 (so ties happen), and for some
 * cases NaN, -inf and +inf at random positions. */
void pb_fill_input(pb_rng *r, float *in, int64_t count, bool specials);

/* Runs impl and naive on p with input in; returns -1 when they agree, else the
 * first mismatching output index; -2 when a run failed or memory ran out. */
int64_t pb_check_one(const pb_impl *impl, const pb_params *p, const float *in, int threads, float *expect_out,
                     float *got_out);

#ifdef __cplusplus
}
#endif
#endif
