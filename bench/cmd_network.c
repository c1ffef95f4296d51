/* The seed's exercise 3, answered by the program: the convolution + ReLU
 * network conv-relu-max builds for a window. */
#include <getopt.h>

#include "../kernels/conv/conv.h"
#include "cli.h"

int pb_cmd_network(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"kernel", required_argument, 0, 'k'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    int64_t kh = 0, kw = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        if (c == 'h') {
            printf("usage: poolbench network --kernel KHxKW\n\nThe convolution and ReLU layers conv-relu-max uses "
                   "for a KHxKW max pool,\nfrom max(a, b) = a + ReLU(b - a) applied as a pairwise tree.\n");
            return PB_EXIT_OK;
        }
        if (c != 'k' || !pb_parse_pair(optarg, &kh, &kw)) {
            pb_cli_error(c == 'k' ? "bad kernel '%s': expected N or HxW" : "unknown option %s",
                         c == 'k' ? optarg : argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
    }
    if (kh < 1 || kw < 1 || kh * kw > 1 << 20) {
        pb_cli_error("network needs --kernel KHxKW with 1 <= KH*KW <= 2^20");
        return PB_EXIT_USAGE;
    }
    pb_relu_network net = pb_conv_relu_max_network(kh, kw);
    printf("%lldx%lld max pool from convolutions and ReLU: %d levels of pairwise max(a, b) = a + ReLU(b - a);\n"
           "%d convolution layers (%d when each level's second convolution is fused into the next level's first),\n"
           "%d ReLU layers, at most %d channels (the first layer: a and b - a for every pair of the %lld taps).\n",
           (long long)kh, (long long)kw, net.levels, net.conv_layers, net.fused_conv_layers, net.relu_layers,
           net.max_channels, (long long)(kh * kw));
    return PB_EXIT_OK;
}
