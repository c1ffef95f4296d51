/* poolbench: one binary, subcommands in the style of git. */
#include <stdio.h>
#include <string.h>

#include "analysis.h"
#include "cli.h"

typedef struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} pb_command;

static const pb_command commands[] = {
    {"list", pb_cmd_list, "list the implementations and what each supports here"},
    {"pool", pb_cmd_pool, "pool one .npy tensor with one implementation"},
    {"check", pb_cmd_check, "check every implementation against naive on a randomized sweep"},
    {"run", pb_cmd_run, "benchmark implementations x cases x layouts (Google Benchmark)"},
    {"count", pb_cmd_count, "instructions and cache misses per model op under valgrind's callgrind"},
    {"network", pb_cmd_network, "the convolution + ReLU network conv-relu-max uses for a window"},
    {"seed", pb_cmd_seed, "the seed notebook's examples, computed by one implementation"},
    {"report", pb_cmd_report, "report.md with fits, roofline and plots for a run (or machines side by side)"},
    {"compare", pb_cmd_compare, "regression verdicts between two runs (exit 1 when something regressed)"},
};

static void usage(FILE *f)
{
    fprintf(f, "usage: poolbench COMMAND [options]   (poolbench COMMAND --help for its options)\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return PB_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return PB_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; ++i)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].run(argc - 1, argv + 1);
    pb_cli_error("unknown command '%s' (see poolbench --help)", argv[1]);
    return PB_EXIT_USAGE;
}
