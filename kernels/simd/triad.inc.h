/* The roofline's memory roofs: STREAM's triad a = b + s*c in the widest
 * vectors this ISA has, as the pooling kernels load and store. Compiled for
 * the baseline ISA (SSE2 on x86-64), the triad timed each cache level at
 * what 16-byte accesses can move, not the level: on the Zen 5 VM, one
 * thread, 24 KiB 147 GB/s against 401 in AVX-512, 512 KiB 139 against
 * 162-186; from 2 MiB on, both alike (86-94). */
#include "vec.h"

/* a = b + s*c over [lo, hi), lo and hi multiples of PB_VLEN, the arrays
 * aligned to a vector (see pb_simd_triad). Streaming stores write a's lines whole, around the
 * caches, so a is not read first: the traffic is the 3 arrays STREAM
 * counts, where plain stores move a fourth (the read for ownership). */
static void triad(float *a, const float *b, const float *c, float s, int64_t lo, int64_t hi, bool streaming)
{
    const pb_vf vs = pb_vset1(s);
    if (streaming) {
        for (int64_t i = lo; i < hi; i += PB_VLEN)
            pb_vstream(a + i, pb_vload(b + i) + vs * pb_vload(c + i));
        pb_vstream_fence();
        return;
    }
    for (int64_t i = lo; i < hi; i += PB_VLEN)
        pb_vstore(a + i, pb_vload(b + i) + vs * pb_vload(c + i));
}
