#include <getopt.h>
#include <string.h>

#include "cli.h"

/* Asks supports() about a small representative case, so the list shows what
 * each implementation takes without a separate capability table to keep in sync. */
static bool takes(const pb_impl *impl, pb_mode mode, pb_layout layout, int64_t dilation)
{
    pb_params p;
    pb_params_default(&p, 1, 3, 9, 9, 3, 3);
    p.mode = mode, p.layout = layout, p.dh = p.dw = dilation, p.sh = p.sw = 2, p.ph = p.pw = 1;
    pb_params_resolve(&p);
    return pb_impl_refusal(impl, &p) == NULL;
}

const pb_impl *pb_cli_find_impl(const char *name)
{
    const pb_impl *impl = pb_impl_find(name);
    if (impl == NULL)
        pb_cli_error("unknown implementation '%s' (see poolbench list)", name);
    return impl;
}

int pb_cmd_list(int argc, char **argv)
{
    static const struct option longopts[] = {{"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: poolbench list\n\nOne implementation per line: name, family, whether this machine can run it,\n"
                   "the modes and layouts it supports, and whether it takes dilation.\n");
            return PB_EXIT_OK;
        }
        return PB_EXIT_USAGE;
    }
    if (optind < argc) {
        pb_cli_error("list takes no arguments");
        return PB_EXIT_USAGE;
    }
    printf("%-22s %-16s %-10s %-24s %-10s %s\n", "name", "family", "here", "modes", "layouts", "dilation");
    for (size_t i = 0; i < pb_impl_count(); ++i) {
        const pb_impl *impl = pb_impl_at(i);
        bool avail = pb_impl_available(impl);
        char modes[64] = "", layouts[32] = "";
        bool dil = false;
        for (int m = 0; m < PB_MODE_COUNT; ++m) {
            bool any = false;
            for (int l = 0; l < PB_LAYOUT_COUNT; ++l)
                any |= impl->supports == NULL || takes(impl, (pb_mode)m, (pb_layout)l, 1);
            if (any)
                snprintf(modes + strlen(modes), sizeof modes - strlen(modes), "%s%s", modes[0] ? "," : "",
                         pb_mode_name((pb_mode)m));
        }
        for (int l = 0; l < PB_LAYOUT_COUNT; ++l) {
            bool any = false;
            for (int m = 0; m < PB_MODE_COUNT; ++m) {
                any |= impl->supports == NULL || takes(impl, (pb_mode)m, (pb_layout)l, 1);
                dil |= impl->supports == NULL || takes(impl, (pb_mode)m, (pb_layout)l, 2);
            }
            if (any)
                snprintf(layouts + strlen(layouts), sizeof layouts - strlen(layouts), "%s%s",
                         layouts[0] ? "," : "", pb_layout_name((pb_layout)l));
        }
        printf("%-22s %-16s %-10s %-24s %-10s %s\n", impl->name, impl->family, avail ? "yes" : "no (cpu)",
               modes, layouts, dil ? "yes" : "no");
    }
    return PB_EXIT_OK;
}
