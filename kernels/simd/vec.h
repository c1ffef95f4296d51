/* A float vector of PB_VLEN lanes in GCC/clang vector extensions: the same
 * kernel source becomes AVX-512 (16), AVX2 (8) or plain scalar code (1)
 * depending on the file that includes it and the flags that file gets. */
#ifndef POOLBENCH_SIMD_VEC_H
#define POOLBENCH_SIMD_VEC_H
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "simd.h"

#ifndef PB_VLEN
#error "define PB_VLEN (lanes) before including vec.h"
#endif

typedef float pb_vf __attribute__((vector_size(PB_VLEN * 4)));
typedef int32_t pb_vi __attribute__((vector_size(PB_VLEN * 4)));

static inline pb_vf pb_vload(const float *p)
{
    pb_vf v;
    memcpy(&v, p, sizeof v);
    return v;
}

static inline void pb_vstore(float *p, pb_vf v) { memcpy(p, &v, sizeof v); }
static inline pb_vf pb_vset1(float x) { return (pb_vf){0} + x; }
static inline pb_vf pb_vselect(pb_vi m, pb_vf a, pb_vf b) { return (pb_vf)(((pb_vi)a & m) | ((pb_vi)b & ~m)); }

/* PyTorch's update rule, lane by lane: a NaN always replaces the running value. */
static inline pb_vf pb_vmax_nan(pb_vf acc, pb_vf v) { return pb_vselect((v > acc) | (v != v), v, acc); }
static inline pb_vf pb_vmin_nan(pb_vf acc, pb_vf v) { return pb_vselect((v < acc) | (v != v), v, acc); }


static inline __attribute__((always_inline)) pb_vf pb_vop(int op, pb_vf acc, pb_vf v)
{
    return op == PB_OP_MAX ? pb_vmax_nan(acc, v) : op == PB_OP_MIN ? pb_vmin_nan(acc, v) : acc + v;
}

static inline __attribute__((always_inline)) float pb_sop(int op, float acc, float v)
{
    return op == PB_OP_MAX   ? ((v > acc || isnan(v)) ? v : acc)
           : op == PB_OP_MIN ? ((v < acc || isnan(v)) ? v : acc)
                             : acc + v;
}

static inline float pb_op_identity(int op) { return op == PB_OP_MAX ? -INFINITY : op == PB_OP_MIN ? INFINITY : 0.0f; }

/* Even lanes of the 2*PB_VLEN floats at p: the stride-2 sampling. */
#if PB_VLEN == 16
#define PB_EVEN_LANES 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30
#elif PB_VLEN == 8
#define PB_EVEN_LANES 0, 2, 4, 6, 8, 10, 12, 14
#elif PB_VLEN == 4
#define PB_EVEN_LANES 0, 2, 4, 6
#elif PB_VLEN == 1
#define PB_EVEN_LANES 0
#endif
static inline pb_vf pb_vload_even(const float *p)
{
    return __builtin_shufflevector(pb_vload(p), pb_vload(p + PB_VLEN), PB_EVEN_LANES);
}

/* Lanes p[0], p[s], ..., p[(PB_VLEN-1)*s] for any stride. */
static inline pb_vf pb_vload_strided(const float *p, int64_t s)
{
    pb_vf v;
    for (int i = 0; i < PB_VLEN; ++i)
        v[i] = p[i * s];
    return v;
}

#endif
