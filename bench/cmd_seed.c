/* The seed notebook's examples, computed by any implementation and printed
 * the way the notebook shows them. */
#include <getopt.h>
#include <string.h>

#include "cli.h"

static void print_tensor(const pb_params *p, const float *y)
{
    for (int64_t c = 0; c < p->c; ++c) {
        printf("  channel %lld:\n", (long long)c);
        for (int64_t i = 0; i < p->oh; ++i) {
            printf("    [");
            for (int64_t j = 0; j < p->ow; ++j)
                printf("%s%g", j ? ", " : "", y[(c * p->oh + i) * p->ow + j]);
            printf("]\n");
        }
    }
}

static int show(const pb_impl *impl, const char *title, pb_params p, const float *x)
{
    float y[64];
    printf("%s\n", title);
    if (pb_params_resolve(&p) != PB_OK || pb_output_elems(&p) > 64)
        return PB_EXIT_FAILURE;
    const char *why = pb_impl_refusal(impl, &p);
    if (why != NULL) {
        printf("  %s does not support this: %s\n", impl->name, why);
        return PB_EXIT_OK;
    }
    if (pb_impl_run_alloc(impl, &p, x, y, 1) != 0)
        return PB_EXIT_FAILURE;
    print_tensor(&p, y);
    return PB_EXIT_OK;
}

int pb_cmd_seed(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"impl", required_argument, 0, 'i'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *name = "naive";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: poolbench seed [--impl NAME]\n\nThe seed notebook's examples, computed by NAME "
                   "(default naive).\n");
            return PB_EXIT_OK;
        }
        if (c != 'i') {
            pb_cli_error(c == ':' ? "option %s needs a value" : "unknown option %s", argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
        name = optarg;
    }
    const pb_impl *impl = pb_cli_find_impl(name);
    if (impl == NULL)
        return PB_EXIT_USAGE;
    const float x3[9] = {0, 1, 2, 3, 4, 5, 6, 7, 8};
    float x16[32];
    for (int i = 0; i < 16; ++i)
        x16[i] = (float)i, x16[16 + i] = (float)i + 1;
    pb_params p;
    pb_params_default(&p, 1, 1, 3, 3, 2, 2);
    p.sh = p.sw = 1;
    int rc = show(impl, "pool2d(X, (2, 2)), X = [[0,1,2],[3,4,5],[6,7,8]]:", p, x3);
    p.mode = PB_MODE_AVG;
    rc |= show(impl, "pool2d(X, (2, 2), 'avg'):", p, x3);
    pb_params_default(&p, 1, 1, 4, 4, 3, 3);
    rc |= show(impl, "MaxPool2d(3) on arange(16) as 1x1x4x4:", p, x16);
    p.sh = p.sw = 2, p.ph = p.pw = 1;
    rc |= show(impl, "MaxPool2d(3, padding=1, stride=2):", p, x16);
    p.c = 2;
    rc |= show(impl, "MaxPool2d(3, padding=1, stride=2) on cat(X, X + 1):", p, x16);
    return rc;
}
