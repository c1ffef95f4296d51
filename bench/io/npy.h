/* NumPy .npy files of little-endian float32, C order (versions 1.0 to 3.0). */
#ifndef POOLBENCH_NPY_H
#define POOLBENCH_NPY_H
#include <stddef.h>
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

#define PB_NPY_MAX_DIMS 8

typedef struct {
    int ndim;
    int64_t shape[PB_NPY_MAX_DIMS];
    int64_t count;  /* product of shape */
    float *data;    /* malloc'd; free with pb_npy_free */
} pb_npy;

/* Parses a whole .npy image. 0 on success, else -1 and one line in err. */
int pb_npy_parse(const unsigned char *buf, size_t len, pb_npy *out, char *err, size_t errlen);
int pb_npy_read(const char *path, pb_npy *out, char *err, size_t errlen);
/* Writes atomically (temporary file, then rename). */
int pb_npy_write(const char *path, const int64_t *shape, int ndim, const float *data, char *err, size_t errlen);
void pb_npy_free(pb_npy *a);

#ifdef __cplusplus
}
#endif
#endif
