/* poolbench: one binary, subcommands in the style of git. */
#include <stdio.h>
#include <string.h>

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
    {"seed", pb_cmd_seed, "the seed notebook's examples, computed by one implementation"},
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
