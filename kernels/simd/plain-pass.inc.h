/* A case's plain pass: its input read once and its output written once, both
 * front to back, in the widest vectors this ISA has. It moves a pooling
 * layer's bytes with none of the layer's walk (no windows, no rows, no NaN
 * rule); the report sets it beside oneDNN in the x oneDNN targets. A guide,
 * not a strict ceiling: in the first threads run with it (Zen 5 VM), oneDNN's
 * NHWC VGG pool1 to pool4 ran at 95-102% of it, and our walk, two input rows
 * at a time, at up to 1.16x (pool4). */
#include "vec.h"

/* Output line j (16 floats) is the lane-wise max of its input lines
 * (pb_plain_pass_lines), whose ends are stepped here, not divided out: two
 * 64-bit divisions a line held the pass to 64 GB/s where the kernels moved
 * VGG pool2's bytes at 72. Four chains per vector, so that a global pool's
 * 49 lines to one are not a chain of 48 dependent maxima. */
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
