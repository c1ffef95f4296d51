/* A float vector of PB_VLEN lanes in GCC/clang vector extensions: the same
 * kernel source becomes AVX-512 (16), AVX2 (8) or plain scalar code (1)
 * depending on the file that includes it and the flags that file gets. */
#ifndef POOLBENCH_SIMD_VEC_H
#define POOLBENCH_SIMD_VEC_H
#include <math.h>
#include <stdbool.h>
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

/* How far ahead of its loads a walk down a plane asks for its input. The
 * hardware prefetchers alone left the NCHW 3x3/s2 walk at 70% of the triad
 * out of the caches; 16 KiB ahead took the stem (AVX-512, Zen 5 VM) from
 * 9.6 to 7.9 ms at batch 41 and from 68 to 55 us at batch 1 (L3); 24 and
 * 40 KiB were as good out of the caches and slower in L3. Later, measured
 * in one process against 16 KiB: 4 KiB 1.05-1.08x at batch 41, 1.04x at
 * batch 1, 1.18x on AlexNet's 55x55 and 1.16x on its 13x13 (both in L2);
 * 2 KiB gained 3-5% in the caches and lost 3% out of them, 8 KiB lost 1-7%.
 * AVX2, 4 against 16: 55x55 1.12x, stem 1.01x at batch 1, 0.96x at batch 41. */
#define PB_PREFETCH_BYTES 4096
static inline void pb_prefetch(const float *p) { __builtin_prefetch(p, 0, 3); }
static inline pb_vf pb_vselect(pb_vi m, pb_vf a, pb_vf b) { return (pb_vf)(((pb_vi)a & m) | ((pb_vi)b & ~m)); }

/* PyTorch's update rule, lane by lane: a NaN always replaces the running
 * value. vmaxps/vminps return their second operand when either is NaN, so a
 * NaN already in acc stays, and a new one is blended in: three instructions
 * where the generic select takes five. Without NaN, vmaxps(v, acc) alone is
 * naive's rule (v > acc ? v : acc, the first of equals kept). */
#if PB_VLEN == 16 && defined(__AVX512F__)
#include <immintrin.h>
static inline pb_vf pb_vmax(pb_vf acc, pb_vf v) { return (pb_vf)_mm512_max_ps((__m512)v, (__m512)acc); }
static inline pb_vf pb_vmin(pb_vf acc, pb_vf v) { return (pb_vf)_mm512_min_ps((__m512)v, (__m512)acc); }
static inline pb_vf pb_vnan_to(pb_vf r, pb_vf v)
{
    return (pb_vf)_mm512_mask_blend_ps(_mm512_cmp_ps_mask((__m512)v, (__m512)v, _CMP_UNORD_Q), (__m512)r, (__m512)v);
}
static inline bool pb_has_nan(const float *s, int64_t n)
{
    __mmask16 any = 0;
    int64_t i = 0;
    for (; i + 64 <= n; i += 64) {
        __m512 a = _mm512_loadu_ps(s + i), b = _mm512_loadu_ps(s + i + 16);
        __m512 c = _mm512_loadu_ps(s + i + 32), d = _mm512_loadu_ps(s + i + 48);
        /* a NaN in any of the four makes the pairwise compare unordered */
        any |= _mm512_cmp_ps_mask(a, b, _CMP_UNORD_Q) | _mm512_cmp_ps_mask(c, d, _CMP_UNORD_Q);
    }
    for (; i + 16 <= n; i += 16) {
        __m512 v = _mm512_loadu_ps(s + i);
        any |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    }
    if (i < n) {
        __m512 v = _mm512_maskz_loadu_ps((__mmask16)((1u << (n - i)) - 1), s + i);
        any |= _mm512_cmp_ps_mask(v, v, _CMP_UNORD_Q);
    }
    return any != 0;
}
/* The first n (<= 16) floats at p into the low lanes, zeros above; nothing past them is read. */
static inline pb_vf pb_vload_first(const float *p, int64_t n)
{
    return (pb_vf)_mm512_maskz_loadu_ps((__mmask16)((1u << n) - 1), p);
}
static inline void pb_vstore_first(float *p, pb_vf v, int64_t n)
{
    _mm512_mask_storeu_ps(p, (__mmask16)((1u << n) - 1), (__m512)v);
}
/* Lanes [lo, hi) of a vector (lo, hi in [0, 16]), and a load of only those
 * lanes from p, fill in the others: lanes outside are not read, so p may
 * point before the first float of a buffer as long as the lanes read lie in it. */
typedef __mmask16 pb_vmask;
static inline pb_vmask pb_vmask_lanes(int64_t lo, int64_t hi) { return (pb_vmask)(((1u << hi) - 1) & ~((1u << lo) - 1)); }
static inline pb_vf pb_vload_masked(const float *p, pb_vmask m, pb_vf fill)
{
    return (pb_vf)_mm512_mask_loadu_ps((__m512)fill, m, p);
}
/* A NaN witness: remembers whether a lane of any pair shown to it was NaN,
 * one unordered compare per pair of vectors. */
typedef __mmask16 pb_nan_seen;
static inline pb_nan_seen pb_see_nan(pb_nan_seen s, pb_vf a, pb_vf b)
{
    return _kor_mask16(s, _mm512_cmp_ps_mask((__m512)a, (__m512)b, _CMP_UNORD_Q));
}
static inline bool pb_saw_nan(pb_nan_seen s) { return s != 0; }
/* The lanes in which a or b is NaN, as bits: a witness in a general
 * register, for loops where pb_see_nan's mask-register ors are the critical
 * path (NCHW short rows in whole vectors: 1.05x; NCHW 2x2/s2 rows of half
 * vectors). Elsewhere measured no faster than pb_see_nan (0.94-1.04x). */
static inline unsigned pb_nan_lanes(pb_vf a, pb_vf b)
{
    return _mm512_cmp_ps_mask((__m512)a, (__m512)b, _CMP_UNORD_Q);
}
/* The same knowledge the other way round: the lanes in which every pair
 * shown was ordered. A pair costs one ordered compare masked by them, where
 * pb_see_nan takes a compare and an or, but each compare waits for the last:
 * it wins with a few chains side by side (NHWC blocks of 16 vectors, 4
 * chains: 1.03-1.11x) and lost with one (NCHW rows: 0.56-1.00x). */
typedef __mmask16 pb_ordered;
static inline pb_ordered pb_ordered_all(void) { return (pb_ordered)0xffff; }
static inline pb_ordered pb_keep_ordered(pb_ordered s, pb_vf a, pb_vf b)
{
    return _mm512_mask_cmp_ps_mask(s, (__m512)a, (__m512)b, _CMP_ORD_Q);
}
static inline bool pb_all_ordered(pb_ordered s) { return s == 0xffff; }
/* Lane l of a[idx[l]], or of b[idx[l] - 16], idx[l] in [0, 32). */
static inline pb_vf pb_vpermute2(pb_vf a, pb_vf b, pb_vi idx)
{
    return (pb_vf)_mm512_permutex2var_ps((__m512)a, (__m512i)idx, (__m512)b);
}
/* r[i] lane j <-> r[j] lane i: a 16 x 16 block of floats transposed in
 * registers (four stages of unpack and shuffles). */
static inline void pb_vtranspose(pb_vf r[16])
{
    __m512 t[16], u[16];
    for (int i = 0; i < 16; ++i)
        u[i] = (__m512)r[i];
    for (int i = 0; i < 8; ++i) {
        t[2 * i] = _mm512_unpacklo_ps(u[2 * i], u[2 * i + 1]);
        t[2 * i + 1] = _mm512_unpackhi_ps(u[2 * i], u[2 * i + 1]);
    }
    for (int i = 0; i < 4; ++i) {
        u[4 * i + 0] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * i + 1] = _mm512_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[4 * i + 2] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * i + 3] = _mm512_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int h = 0; h < 2; ++h)
        for (int i = 0; i < 4; ++i) {
            t[8 * h + i] = _mm512_shuffle_f32x4(u[8 * h + i], u[8 * h + 4 + i], 0x88);
            t[8 * h + 4 + i] = _mm512_shuffle_f32x4(u[8 * h + i], u[8 * h + 4 + i], 0xdd);
        }
    for (int i = 0; i < 8; ++i) {
        r[i] = (pb_vf)_mm512_shuffle_f32x4(t[i], t[8 + i], 0x88);
        r[8 + i] = (pb_vf)_mm512_shuffle_f32x4(t[i], t[8 + i], 0xdd);
    }
}
#elif PB_VLEN == 8 && defined(__AVX2__)
#include <immintrin.h>
static inline pb_vf pb_vmax(pb_vf acc, pb_vf v) { return (pb_vf)_mm256_max_ps((__m256)v, (__m256)acc); }
static inline pb_vf pb_vmin(pb_vf acc, pb_vf v) { return (pb_vf)_mm256_min_ps((__m256)v, (__m256)acc); }
static inline pb_vf pb_vnan_to(pb_vf r, pb_vf v)
{
    return (pb_vf)_mm256_blendv_ps((__m256)r, (__m256)v, _mm256_cmp_ps((__m256)v, (__m256)v, _CMP_UNORD_Q));
}
static inline bool pb_has_nan(const float *s, int64_t n)
{
    __m256 any = _mm256_setzero_ps();
    int64_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256 a = _mm256_loadu_ps(s + i), b = _mm256_loadu_ps(s + i + 8);
        __m256 c = _mm256_loadu_ps(s + i + 16), d = _mm256_loadu_ps(s + i + 24);
        /* a NaN in any of the four makes the pairwise compare unordered */
        any = _mm256_or_ps(any, _mm256_or_ps(_mm256_cmp_ps(a, b, _CMP_UNORD_Q), _mm256_cmp_ps(c, d, _CMP_UNORD_Q)));
    }
    for (; i + 8 <= n; i += 8) {
        __m256 v = _mm256_loadu_ps(s + i);
        any = _mm256_or_ps(any, _mm256_cmp_ps(v, v, _CMP_UNORD_Q));
    }
    bool tail = false;
    for (; i < n; ++i)
        tail |= isnan(s[i]);
    return tail || _mm256_movemask_ps(any) != 0;
}
/* The first n (<= 8) floats at p into the low lanes, zeros above; nothing past them is read. */
static inline __m256i pb_first_lanes(int64_t n)
{
    return _mm256_cmpgt_epi32(_mm256_set1_epi32((int)n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
static inline pb_vf pb_vload_first(const float *p, int64_t n) { return (pb_vf)_mm256_maskload_ps(p, pb_first_lanes(n)); }
static inline void pb_vstore_first(float *p, pb_vf v, int64_t n) { _mm256_maskstore_ps(p, pb_first_lanes(n), (__m256)v); }
/* Lanes [lo, hi) of a vector (lo, hi in [0, 8]), and a load of only those
 * lanes from p, fill in the others: lanes outside are not read, so p may
 * point before the first float of a buffer as long as the lanes read lie in it. */
typedef __m256i pb_vmask;
static inline pb_vmask pb_vmask_lanes(int64_t lo, int64_t hi)
{
    return _mm256_andnot_si256(pb_first_lanes(lo), pb_first_lanes(hi));
}
static inline pb_vf pb_vload_masked(const float *p, pb_vmask m, pb_vf fill)
{
    return (pb_vf)_mm256_blendv_ps((__m256)fill, _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m));
}
/* A NaN witness: remembers whether a lane of any pair shown to it was NaN,
 * one unordered compare per pair of vectors. */
typedef __m256 pb_nan_seen;
static inline pb_nan_seen pb_see_nan(pb_nan_seen s, pb_vf a, pb_vf b)
{
    return _mm256_or_ps(s, _mm256_cmp_ps((__m256)a, (__m256)b, _CMP_UNORD_Q));
}
static inline bool pb_saw_nan(pb_nan_seen s) { return _mm256_movemask_ps(s) != 0; }
static inline unsigned pb_nan_lanes(pb_vf a, pb_vf b)
{
    return (unsigned)_mm256_movemask_ps(_mm256_cmp_ps((__m256)a, (__m256)b, _CMP_UNORD_Q));
}
/* The lanes in which every pair shown was ordered (see the AVX-512 one). */
typedef __m256 pb_ordered;
static inline pb_ordered pb_ordered_all(void) { return _mm256_castsi256_ps(_mm256_set1_epi32(-1)); }
static inline pb_ordered pb_keep_ordered(pb_ordered s, pb_vf a, pb_vf b)
{
    return _mm256_and_ps(s, _mm256_cmp_ps((__m256)a, (__m256)b, _CMP_ORD_Q));
}
static inline bool pb_all_ordered(pb_ordered s) { return _mm256_movemask_ps(s) == 0xff; }
/* Lane l of a[idx[l]], or of b[idx[l] - 8], idx[l] in [0, 16). */
static inline pb_vf pb_vpermute2(pb_vf a, pb_vf b, pb_vi idx)
{
    /* vpermps reads the index's low three bits: each source permuted, then the lanes from b picked. */
    const __m256 from_a = _mm256_permutevar8x32_ps((__m256)a, (__m256i)idx);
    const __m256 from_b = _mm256_permutevar8x32_ps((__m256)b, (__m256i)idx);
    const __m256i in_b = _mm256_cmpgt_epi32((__m256i)idx, _mm256_set1_epi32(7));
    return (pb_vf)_mm256_blendv_ps(from_a, from_b, _mm256_castsi256_ps(in_b));
}
/* r[i] lane j <-> r[j] lane i: an 8 x 8 block of floats transposed in
 * registers (unpack, shuffle, then swap 128-bit halves). */
static inline void pb_vtranspose(pb_vf r[8])
{
    __m256 t[8], u[8];
    for (int i = 0; i < 4; ++i) {
        t[2 * i] = _mm256_unpacklo_ps((__m256)r[2 * i], (__m256)r[2 * i + 1]);
        t[2 * i + 1] = _mm256_unpackhi_ps((__m256)r[2 * i], (__m256)r[2 * i + 1]);
    }
    for (int i = 0; i < 2; ++i) {
        u[4 * i + 0] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * i + 1] = _mm256_shuffle_ps(t[4 * i], t[4 * i + 2], _MM_SHUFFLE(3, 2, 3, 2));
        u[4 * i + 2] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(1, 0, 1, 0));
        u[4 * i + 3] = _mm256_shuffle_ps(t[4 * i + 1], t[4 * i + 3], _MM_SHUFFLE(3, 2, 3, 2));
    }
    for (int i = 0; i < 4; ++i) {
        r[i] = (pb_vf)_mm256_permute2f128_ps(u[i], u[4 + i], 0x20);
        r[4 + i] = (pb_vf)_mm256_permute2f128_ps(u[i], u[4 + i], 0x31);
    }
}
#else
static inline pb_vf pb_vmax(pb_vf acc, pb_vf v) { return pb_vselect(v > acc, v, acc); }
static inline pb_vf pb_vmin(pb_vf acc, pb_vf v) { return pb_vselect(v < acc, v, acc); }
static inline pb_vf pb_vnan_to(pb_vf r, pb_vf v) { return pb_vselect(v != v, v, r); }
static inline bool pb_has_nan(const float *s, int64_t n)
{
    bool any = false;
    for (int64_t i = 0; i < n; ++i)
        any |= isnan(s[i]);
    return any;
}
/* The first n (<= PB_VLEN) floats at p into the low lanes, zeros above; nothing past them is read. */
static inline pb_vf pb_vload_first(const float *p, int64_t n)
{
    pb_vf v = {0};
    memcpy(&v, p, (size_t)n * sizeof(float));
    return v;
}
static inline void pb_vstore_first(float *p, pb_vf v, int64_t n) { memcpy(p, &v, (size_t)n * sizeof(float)); }
/* Lanes [lo, hi) of a vector, and a load of only those lanes from p, fill in
 * the others: lanes outside are not read, so p may point before the first
 * float of a buffer as long as the lanes read lie in it. */
typedef pb_vi pb_vmask;
static inline pb_vmask pb_vmask_lanes(int64_t lo, int64_t hi)
{
    pb_vmask m;
    for (int l = 0; l < PB_VLEN; ++l)
        m[l] = l >= lo && l < hi ? -1 : 0;
    return m;
}
static inline pb_vf pb_vload_masked(const float *p, pb_vmask m, pb_vf fill)
{
    for (int l = 0; l < PB_VLEN; ++l)
        if (m[l])
            fill[l] = p[l];
    return fill;
}
/* A NaN witness: remembers whether a lane of any pair shown to it was NaN. */
typedef pb_vi pb_nan_seen;
static inline pb_nan_seen pb_see_nan(pb_nan_seen s, pb_vf a, pb_vf b) { return s | (a != a) | (b != b); }
static inline unsigned pb_nan_lanes(pb_vf a, pb_vf b)
{
    unsigned lanes = 0;
    for (int l = 0; l < PB_VLEN; ++l)
        lanes |= (unsigned)(a[l] != a[l] || b[l] != b[l]) << l;
    return lanes;
}
static inline bool pb_saw_nan(pb_nan_seen s)
{
    bool any = false;
    for (int l = 0; l < PB_VLEN; ++l)
        any |= s[l] != 0;
    return any;
}
/* The lanes in which every pair shown was ordered (see the AVX-512 one). */
typedef pb_vi pb_ordered;
static inline pb_ordered pb_ordered_all(void) { return (pb_ordered){0} - 1; }
static inline pb_ordered pb_keep_ordered(pb_ordered s, pb_vf a, pb_vf b) { return s & (a == a) & (b == b); }
static inline bool pb_all_ordered(pb_ordered s)
{
    bool all = true;
    for (int l = 0; l < PB_VLEN; ++l)
        all &= s[l] != 0;
    return all;
}
/* Lane l of a[idx[l]], or of b[idx[l] - PB_VLEN], idx[l] in [0, 2 PB_VLEN). */
static inline pb_vf pb_vpermute2(pb_vf a, pb_vf b, pb_vi idx)
{
    pb_vf r;
    for (int l = 0; l < PB_VLEN; ++l)
        r[l] = idx[l] < PB_VLEN ? a[idx[l]] : b[idx[l] - PB_VLEN];
    return r;
}
/* r[i] lane j <-> r[j] lane i (nothing to do for one lane). */
static inline void pb_vtranspose(pb_vf r[PB_VLEN])
{
    for (int i = 0; i < PB_VLEN; ++i)
        for (int j = i + 1; j < PB_VLEN; ++j) {
            float t = r[i][j];
            r[i][j] = r[j][i];
            r[j][i] = t;
        }
}
#endif

/* Stores around the caches (non-temporal: no read for ownership first), for
 * outputs that cannot stay in them (see pb_simd_streams_output); p aligned to
 * a vector. PB_VSTREAM says whether this ISA has them here; where it does
 * not, kernels never ask for them. The choice is made once per call, so the
 * branch in pb_vput is predicted every time. */
#if PB_VLEN == 16 && defined(__AVX512F__)
#define PB_VSTREAM true
static inline void pb_vstream(float *p, pb_vf v) { _mm512_stream_ps(p, (__m512)v); }
static inline void pb_vstream_low(float *p, pb_vf v) { _mm256_stream_ps(p, _mm512_castps512_ps256((__m512)v)); }
static inline void pb_vstream_high(float *p, pb_vf v) { _mm256_stream_ps(p, _mm512_extractf32x8_ps((__m512)v, 1)); }
#elif PB_VLEN == 8 && defined(__AVX2__)
#define PB_VSTREAM true
static inline void pb_vstream(float *p, pb_vf v) { _mm256_stream_ps(p, (__m256)v); }
static inline void pb_vstream_low(float *p, pb_vf v) { _mm_stream_ps(p, _mm256_castps256_ps128((__m256)v)); }
static inline void pb_vstream_high(float *p, pb_vf v) { _mm_stream_ps(p, _mm256_extractf128_ps((__m256)v, 1)); }
#else
#define PB_VSTREAM false
static inline void pb_vstream(float *p, pb_vf v) { pb_vstore(p, v); }
#endif
/* The first n lanes of v (n a multiple of half a vector) streamed to p,
 * aligned to half a vector, as half-vector stores: for rows whose starts
 * are only that aligned (the stem's 56-float output rows). */
PB_INLINE void pb_vstream_halves(float *p, pb_vf v, int64_t n)
{
#if PB_VSTREAM
    pb_vstream_low(p, v);
    if (n > PB_VLEN / 2)
        pb_vstream_high(p + PB_VLEN / 2, v);
#else
    pb_vstore_first(p, v, n);
#endif
}
PB_INLINE void pb_vput(float *p, pb_vf v, bool stream)
{
    if (stream)
        pb_vstream(p, v);
    else
        pb_vstore(p, v);
}
/* Streaming stores are weakly ordered: fenced before the call returns, so
 * whoever reads the output next (another thread after a barrier) sees it. */
static inline void pb_vstream_fence(void)
{
#if PB_VSTREAM
    _mm_sfence();
#endif
}

/* The lanes of a vector from column c of a row of w floats that lie in the row. */
static inline pb_vmask pb_vmask_row(int64_t c, int64_t w)
{
    const int64_t lo = c < 0 ? -c : 0, hi = w - c < PB_VLEN ? w - c : PB_VLEN;
    return pb_vmask_lanes(lo, hi > lo ? hi : lo);
}

PB_INLINE pb_vf pb_vop(int op, pb_vf acc, pb_vf v)
{
    switch (op) {
    case PB_OP_MAX: return pb_vnan_to(pb_vmax(acc, v), v);
    case PB_OP_MIN: return pb_vnan_to(pb_vmin(acc, v), v);
    case PB_OP_MAX_NO_NAN: return pb_vmax(acc, v);
    case PB_OP_MIN_NO_NAN: return pb_vmin(acc, v);
    default: return acc + v;
    }
}

PB_INLINE float pb_sop(int op, float acc, float v)
{
    switch (op) {
    case PB_OP_MAX: return (v > acc || isnan(v)) ? v : acc;
    case PB_OP_MIN: return (v < acc || isnan(v)) ? v : acc;
    case PB_OP_MAX_NO_NAN: return v > acc ? v : acc;
    case PB_OP_MIN_NO_NAN: return v < acc ? v : acc;
    default: return acc + v;
    }
}

static inline float pb_op_identity(int op)
{
    return op == PB_OP_MAX || op == PB_OP_MAX_NO_NAN ? -INFINITY : op == PB_OP_MIN || op == PB_OP_MIN_NO_NAN ? INFINITY : 0.0f;
}

/* Lane c of the result is op over the lanes of r[c], for every c: halving
 * trees, each level pairing vectors with two shuffles and one op (AVX-512:
 * 30 shuffles and 15 ops, where a transpose then 15 ops takes 64 shuffles).
 * r is overwritten. */
#if PB_VLEN == 16 && defined(__AVX512F__)
PB_INLINE pb_vf pb_vreduce_lanes(int op, pb_vf r[16])
{
    /* Level by level the sources' partials interleave: pairs of floats, then
     * quadruples in each 128-bit lane, then 128-bit lanes, in source order. */
    for (int i = 0; i < 8; ++i)
        r[i] = pb_vop(op, (pb_vf)_mm512_unpacklo_ps((__m512)r[2 * i], (__m512)r[2 * i + 1]),
                      (pb_vf)_mm512_unpackhi_ps((__m512)r[2 * i], (__m512)r[2 * i + 1]));
    for (int i = 0; i < 4; ++i)
        r[i] = pb_vop(op, (pb_vf)_mm512_shuffle_ps((__m512)r[2 * i], (__m512)r[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                      (pb_vf)_mm512_shuffle_ps((__m512)r[2 * i], (__m512)r[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    for (int i = 0; i < 2; ++i)
        r[i] = pb_vop(op, (pb_vf)_mm512_shuffle_f32x4((__m512)r[2 * i], (__m512)r[2 * i + 1], 0x88),
                      (pb_vf)_mm512_shuffle_f32x4((__m512)r[2 * i], (__m512)r[2 * i + 1], 0xdd));
    return pb_vop(op, (pb_vf)_mm512_shuffle_f32x4((__m512)r[0], (__m512)r[1], 0x88),
                  (pb_vf)_mm512_shuffle_f32x4((__m512)r[0], (__m512)r[1], 0xdd));
}
#elif PB_VLEN == 8 && defined(__AVX2__)
PB_INLINE pb_vf pb_vreduce_lanes(int op, pb_vf r[8])
{
    for (int i = 0; i < 4; ++i)
        r[i] = pb_vop(op, (pb_vf)_mm256_unpacklo_ps((__m256)r[2 * i], (__m256)r[2 * i + 1]),
                      (pb_vf)_mm256_unpackhi_ps((__m256)r[2 * i], (__m256)r[2 * i + 1]));
    for (int i = 0; i < 2; ++i)
        r[i] = pb_vop(op, (pb_vf)_mm256_shuffle_ps((__m256)r[2 * i], (__m256)r[2 * i + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                      (pb_vf)_mm256_shuffle_ps((__m256)r[2 * i], (__m256)r[2 * i + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    return pb_vop(op, (pb_vf)_mm256_permute2f128_ps((__m256)r[0], (__m256)r[1], 0x20),
                  (pb_vf)_mm256_permute2f128_ps((__m256)r[0], (__m256)r[1], 0x31));
}
#else
PB_INLINE pb_vf pb_vreduce_lanes(int op, pb_vf r[PB_VLEN])
{
    pb_vf res;
    for (int c = 0; c < PB_VLEN; ++c) {
        res[c] = r[c][0];
        for (int l = 1; l < PB_VLEN; ++l)
            res[c] = pb_sop(op, res[c], r[c][l]);
    }
    return res;
}
#endif

/* The NaN-free form of a max or min, for rows known to hold no NaN. */
PB_INLINE int pb_op_no_nan(int op)
{
    return op == PB_OP_MAX ? PB_OP_MAX_NO_NAN : op == PB_OP_MIN ? PB_OP_MIN_NO_NAN : op;
}

static inline bool pb_vany_nan(pb_vf v)
{
    bool any = false;
    for (int l = 0; l < PB_VLEN; ++l)
        any |= v[l] != v[l];
    return any;
}

/* The NaN-propagating form of a max or min. */
PB_INLINE int pb_op_nan_aware(int op)
{
    return op == PB_OP_MAX_NO_NAN ? PB_OP_MAX : op == PB_OP_MIN_NO_NAN ? PB_OP_MIN : op;
}

/* The NCHW plane kernels' NaN flags with every one of `count` planes
 * marked: a bit a plane, or, past 64 planes, a bit per count / 64 of them
 * rounded up (see nchw_planes_witnessed). */
static inline uint64_t pb_planes_all_dirty(int64_t count)
{
    return ~(uint64_t)0 >> (64 - (count < 64 ? count : 64));
}

/* Out-of-line copies of the inline kernel fn(op, ...), one per
 * reduction (fn_max, fn_min, fn_sum, fn_max_no_nan, fn_min_no_nan), each with
 * its op a compile-time constant; PB_CALL_BY_OP(fn, op, ...) calls the copy
 * for a constant op (direct calls: gcc drops the copies no call is left to,
 * where taking their addresses had it compile all five). Several kernels
 * inlined into one function cost gcc minutes (its passes grow faster than
 * the function). */
#define PB_OUT_OF_LINE_COPY(ret, fn, name, op, params, ...)                                                       \
    static __attribute__((noinline, unused)) ret fn##_##name params { return fn(op, __VA_ARGS__); }
#define PB_OUT_OF_LINE_BY_OP(ret, fn, params, ...)                                                                \
    PB_OUT_OF_LINE_COPY(ret, fn, max, PB_OP_MAX, params, __VA_ARGS__)                                             \
    PB_OUT_OF_LINE_COPY(ret, fn, min, PB_OP_MIN, params, __VA_ARGS__)                                             \
    PB_OUT_OF_LINE_COPY(ret, fn, sum, PB_OP_SUM, params, __VA_ARGS__)                                             \
    PB_OUT_OF_LINE_COPY(ret, fn, max_no_nan, PB_OP_MAX_NO_NAN, params, __VA_ARGS__)                               \
    PB_OUT_OF_LINE_COPY(ret, fn, min_no_nan, PB_OP_MIN_NO_NAN, params, __VA_ARGS__)
#define PB_CALL_BY_OP(fn, op, ...)                                                                                \
    ((op) == PB_OP_MAX          ? fn##_max(__VA_ARGS__)                                                           \
     : (op) == PB_OP_MIN        ? fn##_min(__VA_ARGS__)                                                           \
     : (op) == PB_OP_SUM        ? fn##_sum(__VA_ARGS__)                                                           \
     : (op) == PB_OP_MAX_NO_NAN ? fn##_max_no_nan(__VA_ARGS__)                                                    \
                                : fn##_min_no_nan(__VA_ARGS__))

/* Even or odd lanes of two vectors, and the even lanes of the 2*PB_VLEN
 * floats at p: the stride-2 sampling. */
#if PB_VLEN == 16
#define PB_EVEN_LANES 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30
#define PB_ODD_LANES 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31
#elif PB_VLEN == 8
#define PB_EVEN_LANES 0, 2, 4, 6, 8, 10, 12, 14
#define PB_ODD_LANES 1, 3, 5, 7, 9, 11, 13, 15
#elif PB_VLEN == 4
#define PB_EVEN_LANES 0, 2, 4, 6
#define PB_ODD_LANES 1, 3, 5, 7
#elif PB_VLEN == 1
#define PB_EVEN_LANES 0
#define PB_ODD_LANES 1
#endif
/* Lanes 1.. of a, then lane 0 of b: the floats one column on. */
#if PB_VLEN == 16
#define PB_NEXT_LANES 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16
#elif PB_VLEN == 8
#define PB_NEXT_LANES 1, 2, 3, 4, 5, 6, 7, 8
#elif PB_VLEN == 4
#define PB_NEXT_LANES 1, 2, 3, 4
#elif PB_VLEN == 1
#define PB_NEXT_LANES 1
#endif
#if PB_VLEN == 16 && defined(__AVX512F__)
/* valignd: GCC makes the shuffle a two-source permute with an index vector. */
static inline pb_vf pb_vnext(pb_vf a, pb_vf b) { return (pb_vf)_mm512_alignr_epi32((__m512i)b, (__m512i)a, 1); }
#else
static inline pb_vf pb_vnext(pb_vf a, pb_vf b) { return __builtin_shufflevector(a, b, PB_NEXT_LANES); }
#endif
/* Lanes t to t + PB_VLEN - 1 of a then b (0 < t < PB_VLEN): one instruction
 * where t is a constant after inlining. valignd takes only an immediate, so
 * the switch keeps builds where it is not (a loop left rolled, as in the
 * sanitizer build) compiling. */
#if PB_VLEN == 16 && defined(__AVX512F__)
PB_INLINE pb_vf pb_valign(pb_vf a, pb_vf b, int t)
{
#define PB_VALIGN_CASE(n)                                                                                             \
    case n: return (pb_vf)_mm512_alignr_epi32((__m512i)b, (__m512i)a, n);
    switch (t) {
        PB_VALIGN_CASE(1) PB_VALIGN_CASE(2) PB_VALIGN_CASE(3) PB_VALIGN_CASE(4) PB_VALIGN_CASE(5)
        PB_VALIGN_CASE(6) PB_VALIGN_CASE(7) PB_VALIGN_CASE(8) PB_VALIGN_CASE(9) PB_VALIGN_CASE(10)
        PB_VALIGN_CASE(11) PB_VALIGN_CASE(12) PB_VALIGN_CASE(13) PB_VALIGN_CASE(14)
    default: return (pb_vf)_mm512_alignr_epi32((__m512i)b, (__m512i)a, 15);
    }
#undef PB_VALIGN_CASE
}
#elif PB_VLEN == 8
#define PB_LANES_FROM(t) t, t + 1, t + 2, t + 3, t + 4, t + 5, t + 6, t + 7
PB_INLINE pb_vf pb_valign(pb_vf a, pb_vf b, int t)
{
    switch (t) {
    case 1: return __builtin_shufflevector(a, b, PB_LANES_FROM(1));
    case 2: return __builtin_shufflevector(a, b, PB_LANES_FROM(2));
    case 3: return __builtin_shufflevector(a, b, PB_LANES_FROM(3));
    case 4: return __builtin_shufflevector(a, b, PB_LANES_FROM(4));
    case 5: return __builtin_shufflevector(a, b, PB_LANES_FROM(5));
    case 6: return __builtin_shufflevector(a, b, PB_LANES_FROM(6));
    default: return __builtin_shufflevector(a, b, PB_LANES_FROM(7));
    }
}
#undef PB_LANES_FROM
#elif PB_VLEN == 4
PB_INLINE pb_vf pb_valign(pb_vf a, pb_vf b, int t)
{
    switch (t) {
    case 1: return __builtin_shufflevector(a, b, 1, 2, 3, 4);
    case 2: return __builtin_shufflevector(a, b, 2, 3, 4, 5);
    default: return __builtin_shufflevector(a, b, 3, 4, 5, 6);
    }
}
#elif PB_VLEN == 1
static inline pb_vf pb_valign(pb_vf a, pb_vf b, int t) { return t ? b : a; }
#endif
#if PB_VLEN == 8 && defined(__AVX2__)
/* Within each 128-bit half, then the halves' 64-bit pairs into order: two
 * instructions, where GCC's shuffle takes two index permutes and a blend,
 * the indices held in registers AVX2 is short of. */
static inline pb_vf pb_veven(pb_vf a, pb_vf b)
{
    return (pb_vf)_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps((__m256)a, (__m256)b, 0x88)), 0xd8);
}
static inline pb_vf pb_vodd(pb_vf a, pb_vf b)
{
    return (pb_vf)_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps((__m256)a, (__m256)b, 0xdd)), 0xd8);
}
#else
static inline pb_vf pb_veven(pb_vf a, pb_vf b) { return __builtin_shufflevector(a, b, PB_EVEN_LANES); }
static inline pb_vf pb_vodd(pb_vf a, pb_vf b) { return __builtin_shufflevector(a, b, PB_ODD_LANES); }
#endif
/* Indices for pb_vpermute2 that put lanes 0, 2, ..., 2n - 2 of a, then
 * those of b, side by side (2n <= PB_VLEN; + 1 gives the odd lanes): two
 * short rows' stride-2 samples in one vector. */
static inline pb_vi pb_even_lanes_of_two(int64_t n)
{
    /* Lane l: 2 l below n, 2 l + PB_VLEN - 2 n from there; a few vector
     * operations, not a loop of lane inserts. */
    const pb_vi twice = {PB_EVEN_LANES}, from_b = twice >= (pb_vi){0} + (int32_t)(2 * n);
    return (twice + (from_b & (int32_t)(PB_VLEN - 2 * n))) & (2 * PB_VLEN - 1);
}
static inline pb_vf pb_vload_even(const float *p)
{
    return pb_veven(pb_vload(p), pb_vload(p + PB_VLEN));
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
