/* A case's plain pass as a probe of the run (pb_simd_plain_pass): its input
 * read once and its output written once, the sizes of the case's rounded up
 * to whole 64-byte lines. */
#ifndef POOLBENCH_PLAIN_PASS_H
#define POOLBENCH_PLAIN_PASS_H
#include <stdbool.h>

#include "poolbench/pool.h"
#ifdef __cplusplus
extern "C" {
#endif

/* NULL when memory is short. The input holds distinct values, so a line
 * reduced from the wrong range of lines fails pb_plain_pass_valid. */
typedef struct pb_plain_pass pb_plain_pass;
pb_plain_pass *pb_plain_pass_new(const pb_params *p);
/* Puts both arrays on core's NUMA node; 0 on success. */
int pb_plain_pass_place(pb_plain_pass *pass, int core);
void pb_plain_pass_run(pb_plain_pass *pass);
/* Input + output, each once per pass: the case's own bytes rule. */
double pb_plain_pass_bytes(const pb_plain_pass *pass);
/* Every output lane the max of its lines' lanes, recomputed one float at a time. */
bool pb_plain_pass_valid(const pb_plain_pass *pass);
void pb_plain_pass_free(pb_plain_pass *pass);

#ifdef __cplusplus
}
#endif
#endif
