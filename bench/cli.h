/* Shared pieces of the poolbench command line. */
#ifndef POOLBENCH_CLI_H
#define POOLBENCH_CLI_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "poolbench/registry.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
    PB_EXIT_OK = 0,
    PB_EXIT_FAILURE = 1,     /* anything else: a run failed, a check mismatched */
    PB_EXIT_USAGE = 2,       /* bad usage or bad input */
    PB_EXIT_UNSUPPORTED = 3, /* the implementation does not support these parameters */
};

/* Prints "poolbench: <message>" on stderr, one line. */
void pb_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "3" -> 3x3, "3x2" -> 3 by 2. Values may be negative or zero: validation of
 * what they mean belongs to pb_params_resolve. False when not a pair of integers. */
bool pb_parse_pair(const char *s, int64_t *a, int64_t *b);
bool pb_parse_int(const char *s, int64_t *v);

/* The pooling options shared by subcommands (mode, window, layout...), parsed
 * by getopt_long. pb_pool_option returns true when it consumed option c. */
typedef struct {
    pb_params params;
    bool stride_given;
    const char *impl_name;
    int threads;
} pb_pool_options;
void pb_pool_options_init(pb_pool_options *o);
/* 1 consumed, 0 not a pool option, -1 bad value (already reported). */
int pb_pool_option(pb_pool_options *o, int c, const char *arg);
void pb_pool_options_finish(pb_pool_options *o);
#define PB_POOL_GETOPT_LONG                                                                                       \
    {"impl", required_argument, 0, 'i'}, {"mode", required_argument, 0, 'm'},                                   \
        {"kernel", required_argument, 0, 'k'}, {"stride", required_argument, 0, 's'},                            \
        {"padding", required_argument, 0, 'p'}, {"dilation", required_argument, 0, 'd'},                         \
        {"ceil-mode", no_argument, 0, 'C'}, {"exclude-pad", no_argument, 0, 'E'},                                \
        {"layout", required_argument, 0, 'l'}, {"threads", required_argument, 0, 't'}
#define PB_POOL_HELP                                                                                              \
    "  --impl NAME            implementation (see poolbench list); default naive\n"                                \
    "  --mode max|avg|min|softmax   default max\n"                                                                 \
    "  --kernel KHxKW         window (N means NxN); required\n"                                                    \
    "  --stride SHxSW         default: the kernel\n"                                                               \
    "  --padding PHxPW        default 0; at most half the kernel\n"                                                \
    "  --dilation DHxDW       default 1\n"                                                                         \
    "  --ceil-mode            PyTorch's ceil_mode\n"                                                               \
    "  --exclude-pad          avg: count_include_pad=False\n"                                                      \
    "  --layout nchw|nhwc     default nchw\n"                                                                      \
    "  --threads T            for openmp implementations; default OMP_NUM_THREADS or all cores\n"

/* The implementation called name, or NULL after saying there is none (and
 * that poolbench list names them all): every command's lookup of --impl. */
const pb_impl *pb_cli_find_impl(const char *name);

/* Subcommands: each gets argv with argv[0] = the subcommand name. */
int pb_cmd_list(int argc, char **argv);
int pb_cmd_pool(int argc, char **argv);
int pb_cmd_check(int argc, char **argv);
int pb_cmd_seed(int argc, char **argv);
int pb_cmd_run(int argc, char **argv);
int pb_cmd_network(int argc, char **argv);
int pb_cmd_count(int argc, char **argv);

#ifdef __cplusplus
}
#endif
#endif
