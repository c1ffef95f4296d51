/* The seed notebook's exercises answered with this run's numbers: every
 * ratio compares two benchmarks of the same input, window, stride and
 * padding in the same layout. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis.h"
#include "conv/conv.h"
#include "report.h"
#include "stats.h"

static bool is_conv(const pb_bench *b) { return strncmp(b->impl, "conv-", 5) == 0; }
static bool mode_is(const pb_bench *b, pb_mode m) { return b->has_params && b->params.mode == m; }

/* Rows: every benchmark a, against the fastest b of the same geometry (and
 * against naive's b when asked); then the spread of a's time over b's. */
typedef struct {
    const char *a_head, *b_head, *ratio_words;
    bool (*is_a)(const pb_bench *a);
    bool (*is_b)(const pb_bench *a, const pb_bench *b);
    bool naive_column;
    const char *extra_head;                  /* extra columns, e.g. " window | levels |" */
    void (*extra)(FILE *md, const pb_bench *a);
} pair_spec;

static int pair_table(pb_report *r, const pair_spec *s)
{
    FILE *md = r->md;
    double *ratios = malloc(r->n * sizeof *ratios);
    int rows = 0;
    for (size_t i = 0; ratios && i < r->n; ++i) {
        const pb_bench *a = r->b[i], *best = NULL, *naive = NULL;
        if (!s->is_a(a))
            continue;
        for (size_t j = 0; j < r->n; ++j) {
            const pb_bench *b = r->b[j];
            if (b == a || !pb_same_geometry(a, b) || !s->is_b(a, b))
                continue;
            if (!best || b->time_ns < best->time_ns)
                best = b;
            if (strcmp(b->impl, "naive") == 0)
                naive = b;
        }
        if (best == NULL)
            continue;
        if (rows == 0) {
            fprintf(md, "| case | layout |%s %s | time | %s | time | ratio |%s\n|---|---|", s->extra_head ? s->extra_head : "",
                    s->a_head, s->b_head, s->naive_column ? " ratio to naive |" : "");
            for (const char *c = s->extra_head; c && *c; ++c)
                if (*c == '|')
                    fputs("---|", md);
            fprintf(md, "---|---|---|---|---|%s\n", s->naive_column ? "---|" : "");
        }
        char ta[32], tb[32];
        pb_fmt_time(a->time_ns, ta, sizeof ta);
        pb_fmt_time(best->time_ns, tb, sizeof tb);
        fprintf(md, "| %s | %s |", pb_bench_case(a), a->layout);
        if (s->extra)
            s->extra(md, a);
        ratios[rows++] = a->time_ns / best->time_ns;
        fprintf(md, " %s | %s | %s | %s | %.2f |", a->impl, ta, best->impl, tb, a->time_ns / best->time_ns);
        if (s->naive_column) {
            if (naive)
                fprintf(md, " %.2f |", a->time_ns / naive->time_ns);
            else
                fprintf(md, " - |");
        }
        fputc('\n', md);
    }
    if (rows > 0) {
        double lo = INFINITY, hi = 0;
        for (int i = 0; i < rows; ++i)
            lo = fmin(lo, ratios[i]), hi = fmax(hi, ratios[i]);
        fprintf(md, "\n%s takes %.2fx the time of the %s", s->ratio_words, pb_median(ratios, (size_t)rows), s->b_head);
        if (rows > 1)
            fprintf(md, " (median of %d cases; from %.2fx to %.2fx)", rows, lo, hi);
        fprintf(md, ".\n");
    }
    free(ratios);
    return rows;
}

static void none(pb_report *r, const char *what)
{
    fprintf(r->md, "This run has no %s with a same-geometry counterpart to compare with (not registered, filtered "
                   "out, or no matching case): not measured.\n",
            what);
}

static bool a_conv_avg(const pb_bench *a) { return strcmp(a->impl, "conv-avg") == 0; }
static bool b_direct_avg(const pb_bench *a, const pb_bench *b)
{
    return mode_is(b, PB_MODE_AVG) && !is_conv(b) && b->params.count_include_pad == a->params.count_include_pad;
}
static bool a_conv_relu_max(const pb_bench *a) { return strcmp(a->impl, "conv-relu-max") == 0; }
static bool b_direct_max(const pb_bench *a, const pb_bench *b) { return (void)a, mode_is(b, PB_MODE_MAX) && !is_conv(b); }
static bool a_conv_neg_min(const pb_bench *a) { return strcmp(a->impl, "conv-neg-min") == 0; }
static bool b_direct_min(const pb_bench *a, const pb_bench *b) { return (void)a, mode_is(b, PB_MODE_MIN) && !is_conv(b); }
static bool a_direct_min(const pb_bench *a) { return mode_is(a, PB_MODE_MIN) && !is_conv(a); }
static bool a_softmax(const pb_bench *a) { return mode_is(a, PB_MODE_SOFTMAX); }
static bool a_direct_avg(const pb_bench *a) { return mode_is(a, PB_MODE_AVG) && !is_conv(a); }
static bool b_same_impl_max(const pb_bench *a, const pb_bench *b)
{
    return mode_is(b, PB_MODE_MAX) && strcmp(a->impl, b->impl) == 0;
}

static void relu_network_cells(FILE *md, const pb_bench *a)
{
    pb_relu_network net = pb_conv_relu_max_network(a->params.kh, a->params.kw);
    fprintf(md, " %lldx%lld | %d | %d | %d | %d |", (long long)a->params.kh, (long long)a->params.kw, net.relu_layers,
            net.conv_layers, net.fused_conv_layers, net.max_channels);
}

void pb_report_exercises(pb_report *r)
{
    FILE *md = r->md;
    fprintf(md, "\n## The seed's exercises, measured\n\nEvery ratio below is the time of the first benchmark over "
                "the second, both of this run, same input, window, stride, padding and layout. The harness checked "
                "every implementation against naive before timing it (max and min bit-exact, sums within 1e-5), so "
                "each pair computes the same values.\n\n");

    fprintf(md, "### Average pooling as a convolution\n\n");
    static const pair_spec avg_conv = {"conv-avg", "fastest direct avg", "Average pooling as a convolution",
                                       a_conv_avg, b_direct_avg, true, NULL, NULL};
    if (pair_table(r, &avg_conv) == 0)
        none(r, "`conv-avg` benchmark");

    fprintf(md, "\n### Max pooling from convolutions and ReLU\n\nA convolution alone is linear and max is not "
                "(max(a, b) + max(-a, -b) is not 0 in general), so max pooling needs the ReLU: max(a, b) = a + "
                "ReLU(b − a), applied as a pairwise tree over the window. The network `conv-relu-max` builds:\n\n"
                "| window | tree levels | ReLU layers | conv layers | conv layers, fused | channels (widest) |\n"
                "|---|---|---|---|---|---|\n");
    for (int k = 2; k <= 3; ++k) {
        pb_relu_network net = pb_conv_relu_max_network(k, k);
        fprintf(md, "| %dx%d | %d | %d | %d | %d | %d |\n", k, k, net.levels, net.relu_layers, net.conv_layers,
                net.fused_conv_layers, net.max_channels);
    }
    fputc('\n', md);
    static const pair_spec max_conv = {"conv-relu-max", "fastest direct max", "Max pooling through convolutions and ReLU",
                                       a_conv_relu_max, b_direct_max, true,
                                       " window | ReLU layers | conv layers | fused | channels |", relu_network_cells};
    if (pair_table(r, &max_conv) == 0)
        none(r, "`conv-relu-max` benchmark");

    fprintf(md, "\n### Minimum pooling: direct or -maxpool(-x)\n\n");
    static const pair_spec min_neg = {"conv-neg-min", "fastest direct min", "-maxpool(-x)", a_conv_neg_min,
                                      b_direct_min, true, NULL, NULL};
    if (pair_table(r, &min_neg) == 0)
        none(r, "`conv-neg-min` benchmark");
    fputc('\n', md);
    static const pair_spec min_max = {"direct min", "fastest direct max", "Direct min pooling", a_direct_min,
                                      b_direct_max, false, NULL, NULL};
    if (pair_table(r, &min_max) == 0)
        none(r, "min benchmark");

    fprintf(md, "\n### Softmax pooling against max pooling\n\n");
    static const pair_spec soft = {"softmax", "fastest direct max", "Softmax pooling", a_softmax, b_direct_max,
                                   true, NULL, NULL};
    if (pair_table(r, &soft) == 0)
        none(r, "softmax benchmark");

    fprintf(md, "\n### Max against average pooling\n\nSame implementation, same geometry, max against avg:\n\n");
    static const pair_spec avg_max = {"avg", "max of the same implementation", "Average pooling", a_direct_avg,
                                      b_same_impl_max, false, NULL, NULL};
    if (pair_table(r, &avg_max) == 0)
        none(r, "avg benchmark");
}
