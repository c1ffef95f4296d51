/* libFuzzer target: the .npy parser must reject or accept any byte string
 * without reading out of bounds, and an accepted array must be as long as its shape says. */
#include <stdint.h>
#include <stdlib.h>

#include "io/npy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pb_npy a;
    char err[256];
    if (pb_npy_parse(data, size, &a, err, sizeof err) == 0) {
        volatile float sink = 0;
        for (int64_t i = 0; i < a.count; ++i)
            sink += a.data[i];
        (void)sink;
        pb_npy_free(&a);
    }
    return 0;
}
