#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "sweep.h"

static void describe(const pb_params *p, char *buf, size_t len)
{
    snprintf(buf, len,
             "%s %s n%" PRId64 " c%" PRId64 " h%" PRId64 " w%" PRId64 " k%" PRId64 "x%" PRId64 " s%" PRId64
             "x%" PRId64 " p%" PRId64 "x%" PRId64 " d%" PRId64 "x%" PRId64 "%s%s",
             pb_mode_name(p->mode), pb_layout_name(p->layout), p->n, p->c, p->h, p->w, p->kh, p->kw, p->sh, p->sw,
             p->ph, p->pw, p->dh, p->dw, p->ceil_mode ? " ceil" : "", p->count_include_pad ? "" : " exclude-pad");
}

/* 64-byte aligned, as the benchmarks' buffers are, so that the kernels take
 * the same paths here (streaming stores need aligned outputs). */
static float *floats(int64_t count) { return aligned_alloc(64, ((size_t)count * sizeof(float) + 63) / 64 * 64); }

typedef struct {
    int run, passed, refused, failed;
    char first_failure[256];
} check_tally;

static void check_impl(const pb_impl *impl, uint64_t seed, int cases, int threads, check_tally *t)
{
    memset(t, 0, sizeof *t);
    for (int i = 0; i < cases; ++i) {
        pb_params p;
        pb_sweep_case(seed, i, &p);
        if (pb_impl_refusal(impl, &p) != NULL) {
            ++t->refused;
            continue;
        }
        pb_rng r = {seed ^ (uint64_t)i << 20};
        int64_t in_count = pb_input_elems(&p), out_count = pb_output_elems(&p);
        float *in = floats(in_count), *want = floats(out_count), *got = floats(out_count);
        if (in == NULL || want == NULL || got == NULL) {
            ++t->failed;
            snprintf(t->first_failure, sizeof t->first_failure, "out of memory");
        } else {
            if (impl->specials_note != NULL && i % 3 == 0)
                pb_fill_input(&r, in, in_count, false);
            else
                pb_fill_input(&r, in, in_count, i % 3 == 0);
            int64_t bad = pb_check_one(impl, &p, in, threads, want, got);
            ++t->run;
            if (bad == -1) {
                ++t->passed;
            } else if (t->failed++ == 0) {
                char d[160];
                describe(&p, d, sizeof d);
                if (bad == -2)
                    snprintf(t->first_failure, sizeof t->first_failure, "case %d (%s): run failed", i, d);
                else
                    snprintf(t->first_failure, sizeof t->first_failure,
                             "case %d (%s): output %" PRId64 " is %g, naive says %g", i, d, bad, got[bad], want[bad]);
            }
        }
        free(in), free(want), free(got);
    }
}

int pb_cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {{"impl", required_argument, 0, 'i'},
                                             {"cases", required_argument, 0, 'n'},
                                             {"seed", required_argument, 0, 's'},
                                             {"threads", required_argument, 0, 't'},
                                             {"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    const char *only = NULL;
    int64_t cases = 400, seed = 1, threads = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'h':
            printf("usage: poolbench check [--impl NAME] [--cases N] [--seed S] [--threads T]\n\n"
                   "Runs every implementation (or NAME) against naive on a randomized sweep of shapes and\n"
                   "parameters: both layouts, every mode, odd sizes, padding, ceil_mode, dilation, NaN and\n"
                   "+-inf inputs. Max and min must match exactly; avg and softmax within %.0e relative.\n"
                   "Exit 0 when everything that ran passed, 1 otherwise.\n",
                   PB_SUM_RTOL);
            return PB_EXIT_OK;
        case 'i': only = optarg; break;
        case 'n':
            if (!pb_parse_int(optarg, &cases) || cases < 1 || cases > 1000000) {
                pb_cli_error("bad --cases '%s': expected 1 to 1000000", optarg);
                return PB_EXIT_USAGE;
            }
            break;
        case 's':
            if (!pb_parse_int(optarg, &seed)) {
                pb_cli_error("bad --seed '%s': expected an integer", optarg);
                return PB_EXIT_USAGE;
            }
            break;
        case 't':
            if (!pb_parse_int(optarg, &threads) || threads < 1 || threads > 4096) {
                pb_cli_error("bad --threads '%s': expected 1 to 4096", optarg);
                return PB_EXIT_USAGE;
            }
            break;
        default:
            pb_cli_error(c == ':' ? "option %s needs a value" : "unknown option %s", argv[optind - 1]);
            return PB_EXIT_USAGE;
        }
    }
    if (only != NULL && pb_cli_find_impl(only) == NULL)
        return PB_EXIT_USAGE;
    printf("%-22s %7s %7s %8s %7s  %s\n", "implementation", "cases", "passed", "refused", "failed", "verdict");
    int failures = 0;
    for (size_t i = 0; i < pb_impl_count(); ++i) {
        const pb_impl *impl = pb_impl_at(i);
        if (only != NULL && strcmp(impl->name, only) != 0)
            continue;
        if (!pb_impl_available(impl)) {
            printf("%-22s %7s %7s %8s %7s  %s\n", impl->name, "-", "-", "-", "-", "not available on this machine");
            continue;
        }
        check_tally t;
        check_impl(impl, (uint64_t)seed, (int)cases, (int)threads, &t);
        const char *verdict = t.failed ? "FAIL" : t.run == 0 ? "nothing supported" : "pass";
        printf("%-22s %7d %7d %8d %7d  %s\n", impl->name, t.run, t.passed, t.refused, t.failed, verdict);
        if (impl->specials_note != NULL)
            printf("    fed finite values only: %s\n", impl->specials_note);
        if (t.failed) {
            printf("    first failure: %s\n", t.first_failure);
            ++failures;
        }
        fflush(stdout);
    }
    return failures ? PB_EXIT_FAILURE : PB_EXIT_OK;
}
