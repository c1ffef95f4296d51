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

/* PyTorch's update rule, lane by lane: a NaN always replaces the running
 * value. vmaxps/vminps return their second operand when either is NaN, so a
 * NaN already in acc stays, and a new one is blended in: three instructions
 * where the generic select takes five. */
#if PB_VLEN == 16 && defined(__AVX512F__)
#include <immintrin.h>
static inline pb_vf pb_vmax_nan(pb_vf acc, pb_vf v)
{
    __m512 r = _mm512_max_ps((__m512)v, (__m512)acc);
    return (pb_vf)_mm512_mask_blend_ps(_mm512_cmp_ps_mask((__m512)v, (__m512)v, _CMP_UNORD_Q), r, (__m512)v);
}
static inline pb_vf pb_vmin_nan(pb_vf acc, pb_vf v)
{
    __m512 r = _mm512_min_ps((__m512)v, (__m512)acc);
    return (pb_vf)_mm512_mask_blend_ps(_mm512_cmp_ps_mask((__m512)v, (__m512)v, _CMP_UNORD_Q), r, (__m512)v);
}
#elif PB_VLEN == 8 && defined(__AVX2__)
#include <immintrin.h>
static inline pb_vf pb_vmax_nan(pb_vf acc, pb_vf v)
{
    __m256 r = _mm256_max_ps((__m256)v, (__m256)acc);
    return (pb_vf)_mm256_blendv_ps(r, (__m256)v, _mm256_cmp_ps((__m256)v, (__m256)v, _CMP_UNORD_Q));
}
static inline pb_vf pb_vmin_nan(pb_vf acc, pb_vf v)
{
    __m256 r = _mm256_min_ps((__m256)v, (__m256)acc);
    return (pb_vf)_mm256_blendv_ps(r, (__m256)v, _mm256_cmp_ps((__m256)v, (__m256)v, _CMP_UNORD_Q));
}
#else
static inline pb_vf pb_vmax_nan(pb_vf acc, pb_vf v) { return pb_vselect((v > acc) | (v != v), v, acc); }
static inline pb_vf pb_vmin_nan(pb_vf acc, pb_vf v) { return pb_vselect((v < acc) | (v != v), v, acc); }
#endif


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
