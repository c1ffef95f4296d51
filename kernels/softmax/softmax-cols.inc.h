/* Softmax pooling of im2col columns for one vector width (PB_VLEN): the
 * window max, then sum(e * x) / sum(e) with e = exp(x - max). Same special
 * cases as naive: NaN wins, an infinite max is the answer, -inf weighs 0. */
#include "../simd/vec.h"
#include "softmax.h"

/* exp for x <= 0 (Cephes' single-precision polynomial, ~1 ulp): x = n ln2 + r,
 * exp(r) by a degree-6 polynomial, times 2^n built in the exponent bits. */
static inline pb_vf vexp_nonpositive(pb_vf x)
{
    x = pb_vselect(x < pb_vset1(-87.0f), pb_vset1(-87.0f), x);
    pb_vf fx = x * pb_vset1(1.44269504088896341f) + pb_vset1(0.5f);
    pb_vf t = __builtin_convertvector(__builtin_convertvector(fx, pb_vi), pb_vf);
    fx = pb_vselect(t > fx, t - pb_vset1(1.0f), t); /* floor */
    x = x - fx * pb_vset1(0.693359375f) - fx * pb_vset1(-2.12194440e-4f);
    pb_vf y = pb_vset1(1.9875691500e-4f);
    y = y * x + pb_vset1(1.3981999507e-3f);
    y = y * x + pb_vset1(8.3334519073e-3f);
    y = y * x + pb_vset1(4.1665795894e-2f);
    y = y * x + pb_vset1(1.6666665459e-1f);
    y = y * x + pb_vset1(5.0000001201e-1f);
    y = y * x * x + x + pb_vset1(1.0f);
    pb_vi n = __builtin_convertvector(fx, pb_vi);
    return (pb_vf)((pb_vi)y + ((n) << 23));
}

static inline pb_vf softmax_lanes(const float *cols, int64_t taps, int64_t row, int64_t i)
{
    pb_vf m = pb_vset1(-INFINITY);
    for (int64_t t = 0; t < taps; ++t)
        m = pb_vop(PB_OP_MAX, m, pb_vload(cols + t * row + i));
    pb_vf num = pb_vset1(0.0f), den = pb_vset1(0.0f);
    const pb_vf zero = pb_vset1(0.0f);
    /* Where the max is infinite the difference below is NaN: the max is the answer there. */
    const pb_vi special = (m != m) | (m == pb_vset1(INFINITY)) | (m == pb_vset1(-INFINITY));
    const pb_vf m_safe = pb_vselect(special, zero, m);
    for (int64_t t = 0; t < taps; ++t) {
        pb_vf x = pb_vload(cols + t * row + i);
        pb_vi weightless = (x == pb_vset1(-INFINITY)) | special;
        pb_vf e = pb_vselect(weightless, zero, vexp_nonpositive(x - m_safe));
        num += pb_vselect(weightless, zero, e * x);
        den += e;
    }
    return pb_vselect(special, m, num / den);
}

/* Outputs [0, count) of tap rows `stride` floats apart; the last count % PB_VLEN
 * go through the one-lane build of this same code. */
static void softmax_cols(const float *cols, int64_t taps, int64_t stride, int64_t count, float *out)
{
    int64_t i = 0;
    for (; i + PB_VLEN <= count; i += PB_VLEN)
        pb_vstore(out + i, softmax_lanes(cols, taps, stride, i));
#if PB_VLEN > 1
    if (i < count)
        pb_softmax_cols_scalar(cols + i, taps, stride, count - i, out + i);
#endif
}
