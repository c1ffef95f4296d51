/* Output files that appear whole or not at all: written to a temporary file
 * in the destination's directory, then renamed over it. A failed run leaves
 * no partial file and never touches an existing one. */
#ifndef POOLBENCH_ATOMIC_FILE_H
#define POOLBENCH_ATOMIC_FILE_H
#include <stdio.h>
#include <limits.h>
#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    FILE *f;
    char tmp_path[PATH_MAX];
    char final_path[PATH_MAX];
} pb_atomic_file;

/* 0 on success; otherwise -1 and one line in err naming the problem. */
int pb_atomic_open(pb_atomic_file *af, const char *path, char *err, size_t errlen);
/* Flushes, closes and renames into place. On any failure the temporary is removed. */
int pb_atomic_commit(pb_atomic_file *af, char *err, size_t errlen);
/* Closes and removes the temporary; the destination is untouched. */
void pb_atomic_abort(pb_atomic_file *af);

#ifdef __cplusplus
}
#endif
#endif
