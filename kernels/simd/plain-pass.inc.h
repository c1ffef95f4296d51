/* A case's plain pass: its input read once and its output written once, both
 * front to back, in the widest vectors this ISA has. It moves a pooling
 * layer's bytes with none of the layer's walk (no windows, no rows, no NaN
 * rule), so a kernel that reads each float once can beat it only by what the
 * caches give a walk over a stream. The report sets the x oneDNN targets
 * against it: on the Zen 5 VM a hand-made loop of this kind read VGG pool2's
 * 6.1 MiB at 88-89 GB/s, 90 us a pass, where oneDNN's NHWC pool2 took 91.3
 * (docs/speed.md). */
#include "vec.h"

/* Output line j (16 floats) is the lane-wise max of its input lines
 * (pb_plain_pass_lines), whose ends are stepped here, not divided out: two
 * 64-bit divisions a line held the pass to 64 GB/s where the kernels moved
 * VGG pool2's bytes at 72. Four chains per vector: a global pool's 49 lines
 * to one would otherwise wait on the max's latency. */
static void plain_pass(const float *in, int64_t in_lines, float *out, int64_t out_lines)
{
    const int64_t step = in_lines / out_lines, spare = in_lines % out_lines;
    int64_t end = 0, carried = 0; /* j*in_lines == end*out_lines + carried */
    for (int64_t j = 0; j < out_lines; ++j) {
        const int64_t lo = end < in_lines ? end : in_lines - 1;
        end += step;
        if ((carried += spare) >= out_lines)
            carried -= out_lines, ++end;
        const int64_t hi = end > lo ? end : lo + 1;
        for (int v = 0; v < 16; v += PB_VLEN) {
            const float *x = in + v;
            pb_vf a0 = pb_vload(x + lo * 16), a1 = a0, a2 = a0, a3 = a0;
            int64_t k = lo + 1;
            for (; k + 4 <= hi; k += 4) {
                a0 = pb_vmax(a0, pb_vload(x + k * 16));
                a1 = pb_vmax(a1, pb_vload(x + (k + 1) * 16));
                a2 = pb_vmax(a2, pb_vload(x + (k + 2) * 16));
                a3 = pb_vmax(a3, pb_vload(x + (k + 3) * 16));
            }
            for (; k < hi; ++k)
                a0 = pb_vmax(a0, pb_vload(x + k * 16));
            pb_vstore(out + j * 16 + v, pb_vmax(pb_vmax(a0, a1), pb_vmax(a2, a3)));
        }
    }
}
