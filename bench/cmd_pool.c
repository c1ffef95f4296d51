#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "io/npy.h"

static void pool_help(void)
{
    printf("usage: poolbench pool --kernel KHxKW --in X.npy --out Y.npy [options]\n\n"
           "Pools one 4-D little-endian float32 .npy tensor (N,C,H,W for nchw, N,H,W,C for nhwc)\n"
           "with PyTorch's max_pool2d / avg_pool2d semantics.\n\n" PB_POOL_HELP
           "  --in X.npy             input tensor\n"
           "  --out Y.npy            output tensor, written atomically\n\n"
           "exit: 0 done, 2 bad usage or input, 3 implementation does not support the case, 1 other\n");
}

/* Parses pool's arguments into o, *in_path and *out_path. Returns -1 to go
 * on, else the exit code (help printed, or a usage error reported). */
static int parse_pool_args(int argc, char **argv, pb_pool_options *o, const char **in_path, const char **out_path)
{
    static const struct option longopts[] = {PB_POOL_GETOPT_LONG,
                                             {"in", required_argument, 0, 'I'},
                                             {"out", required_argument, 0, 'O'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    pb_pool_options_init(o);
    *in_path = *out_path = NULL;
    bool kernel_given = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (c == 'h') {
            pool_help();
            return PB_EXIT_OK;
        }
        if (c == 'I' || c == 'O') {
            *(c == 'I' ? in_path : out_path) = optarg;
            continue;
        }
        if (c == ':' || c == '?') {
            pb_cli_error(c == ':' ? "option %s needs a value" : "unknown option %s", argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
        kernel_given |= c == 'k';
        if (pb_pool_option(o, c, optarg) < 0)
            return PB_EXIT_USAGE;
    }
    if (optind < argc) {
        pb_cli_error("unexpected argument '%s'", argv[optind]);
        return PB_EXIT_USAGE;
    }
    if (!kernel_given || *in_path == NULL || *out_path == NULL) {
        pb_cli_error("pool needs --kernel, --in and --out (see poolbench pool --help)");
        return PB_EXIT_USAGE;
    }
    pb_pool_options_finish(o);
    return -1;
}

/* Pools x (read from in_path) with impl and p's window into out_path, p's
 * shape taken from x. Returns the exit code. */
static int pool_tensor(const pb_impl *impl, pb_params *p, int threads, const pb_npy *x, const char *in_path,
                       const char *out_path)
{
    if (x->ndim != 4) {
        pb_cli_error("%s: input must be 4-D (%s), got %d-D", in_path,
                     p->layout == PB_LAYOUT_NHWC ? "N,H,W,C" : "N,C,H,W", x->ndim);
        return PB_EXIT_USAGE;
    }
    p->n = x->shape[0];
    if (p->layout == PB_LAYOUT_NHWC)
        p->h = x->shape[1], p->w = x->shape[2], p->c = x->shape[3];
    else
        p->c = x->shape[1], p->h = x->shape[2], p->w = x->shape[3];
    pb_status st = pb_params_resolve(p);
    if (st != PB_OK) {
        pb_cli_error("%s", pb_status_message(st));
        return PB_EXIT_USAGE;
    }
    const char *why = pb_impl_refusal(impl, p);
    if (why != NULL) {
        pb_cli_error("%s does not support this case: %s", impl->name, why);
        return PB_EXIT_UNSUPPORTED;
    }
    float *y = malloc((size_t)pb_output_elems(p) * sizeof(float));
    if (y == NULL || pb_impl_run_alloc(impl, p, x->data, y, threads) != 0) {
        pb_cli_error("%s failed: %s", impl->name, y == NULL ? "out of memory" : "kernel error");
        free(y);
        return PB_EXIT_FAILURE;
    }
    int64_t shape[4] = {p->n, p->c, p->oh, p->ow};
    if (p->layout == PB_LAYOUT_NHWC)
        shape[1] = p->oh, shape[2] = p->ow, shape[3] = p->c;
    char err[512];
    const int written = pb_npy_write(out_path, shape, 4, y, err, sizeof err);
    free(y);
    if (written != 0) {
        pb_cli_error("%s", err);
        return PB_EXIT_USAGE;
    }
    return PB_EXIT_OK;
}

int pb_cmd_pool(int argc, char **argv)
{
    pb_pool_options o;
    const char *in_path, *out_path;
    const int parsed = parse_pool_args(argc, argv, &o, &in_path, &out_path);
    if (parsed >= 0)
        return parsed;
    const pb_impl *impl = pb_cli_find_impl(o.impl_name);
    if (impl == NULL)
        return PB_EXIT_USAGE;
    char err[512];
    pb_npy x;
    if (pb_npy_read(in_path, &x, err, sizeof err) != 0) {
        pb_cli_error("%s", err);
        return PB_EXIT_USAGE;
    }
    const int rc = pool_tensor(impl, &o.params, o.threads, &x, in_path, out_path);
    pb_npy_free(&x);
    return rc;
}
