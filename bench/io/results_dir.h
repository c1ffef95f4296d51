/* A run's own directory under the results root, named for the machine and the
 * UTC time it started: ROOT/MACHINE/20261206T135758Z[SUFFIX], with -2, -3, ...
 * after it where that exists (two runs in one second). Made with its parents;
 * a run that then writes nothing removes it (rmdir). */
#ifndef POOLBENCH_RESULTS_DIR_H
#define POOLBENCH_RESULTS_DIR_H
#include <stddef.h>
#ifdef __cplusplus
extern "C" {
#endif

/* 0 with the directory's path in out; otherwise -1 and one line in err. */
int pb_results_dir_make(const char *root, const char *machine, const char *suffix, char *out, size_t len, char *err,
                        size_t errlen);

#ifdef __cplusplus
}
#endif
#endif
