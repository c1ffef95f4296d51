#define _POSIX_C_SOURCE 200809L
/* libFuzzer target: command-line values (N / HxW pairs, mode and layout names)
 * through the parsers and pb_params_resolve; small valid cases are then pooled
 * by naive so the shape rules and the window arithmetic are exercised together. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "naive.h"

enum { FIELDS = 7 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char buf[512];
    if (size >= sizeof buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = '\0';
    char *field[FIELDS] = {0};
    char *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(buf, "\n", &save); tok != NULL && n < FIELDS; tok = strtok_r(NULL, "\n", &save))
        field[n++] = tok;
    if (n < FIELDS)
        return 0;
    pb_params p;
    pb_params_default(&p, 1, 1, 1, 1, 1, 1);
    int64_t h, w;
    if (!pb_parse_pair(field[0], &h, &w) || !pb_parse_pair(field[1], &p.kh, &p.kw) ||
        !pb_parse_pair(field[2], &p.sh, &p.sw) || !pb_parse_pair(field[3], &p.ph, &p.pw) ||
        !pb_parse_pair(field[4], &p.dh, &p.dw))
        return 0;
    p.h = h, p.w = w, p.c = 2;
    p.mode = pb_mode_from_name(field[5]);
    p.layout = pb_layout_from_name(field[6]);
    p.ceil_mode = size & 1;
    p.count_include_pad = size & 2;
    if (pb_params_resolve(&p) != PB_OK || pb_input_elems(&p) > 4096 || pb_output_elems(&p) > 4096 ||
        p.kh * p.kw > 4096)
        return 0;
    float *in = calloc((size_t)pb_input_elems(&p), sizeof(float));
    float *out = malloc((size_t)pb_output_elems(&p) * sizeof(float));
    pb_naive_run(&p, in, out, NULL);
    free(in);
    free(out);
    return 0;
}
