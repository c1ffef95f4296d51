#include "lines.h"

#include "../simd/simd.h"

int64_t pb_line_padded(const pb_line *l) { return (l->n_out - 1) * l->s + (l->k - 1) * l->d + 1; }

const pb_line_kernels *pb_line_kernels_best(void)
{
#if POOLBENCH_X86
    if (pb_simd_avx512_available())
        return &pb_line_kernels_avx512;
    if (pb_simd_avx2_available())
        return &pb_line_kernels_avx2;
#endif
    return &pb_line_kernels_scalar;
}
