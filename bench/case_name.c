#include "case_name.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *mode_suffix;
    pb_mode mode;
    bool count_include_pad;
} mode_name;

static const mode_name modes[] = {
    {"max", PB_MODE_MAX, true},   {"min", PB_MODE_MIN, true},         {"avg_p", PB_MODE_AVG, true},
    {"avg_np", PB_MODE_AVG, false}, {"softmax", PB_MODE_SOFTMAX, true},
};

enum { F_MB, F_IC, F_IH, F_IW, F_KH, F_KW, F_SH, F_SW, F_PH, F_PW, F_DH, F_DW, F_CEIL, F_COUNT };
static const char *const field_names[F_COUNT] = {"mb", "ic", "ih", "iw", "kh", "kw", "sh",
                                                 "sw", "ph", "pw", "dh", "dw", "ceil"};

static int fail(char *err, size_t errlen, const char *fmt, const char *what)
{
    snprintf(err, errlen, fmt, what);
    return -1;
}

int pb_case_parse(const char *s, pb_params *p, char *err, size_t errlen)
{
    const char *underscore = strchr(s, '_');
    if (underscore == NULL)
        return fail(err, errlen, "case '%s' has no _mode suffix (e.g. _max, _avg_p)", s);
    const mode_name *mode = NULL;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; ++i)
        if (strcmp(underscore + 1, modes[i].mode_suffix) == 0)
            mode = &modes[i];
    if (mode == NULL)
        return fail(err, errlen, "unknown mode suffix '%s': expected max, min, avg_p, avg_np or softmax",
                    underscore + 1);
    int64_t v[F_COUNT];
    bool given[F_COUNT] = {false};
    for (const char *c = s; c < underscore;) {
        int f = -1;
        for (int i = 0; i < F_COUNT; ++i) {
            size_t n = strlen(field_names[i]);
            if (strncmp(c, field_names[i], n) == 0 && isdigit((unsigned char)c[n])) {
                f = i;
                c += n;
                break;
            }
        }
        if (f < 0)
            return fail(err, errlen, "case '%s': expected a field name (mb, ic, ih, iw, kh, kw, sh, sw, ph, pw, dh, "
                                     "dw, ceil) followed by a number", s);
        if (given[f])
            return fail(err, errlen, "case '%s' repeats a field", s);
        errno = 0;
        char *end;
        long long x = strtoll(c, &end, 10);
        if (errno != 0 || end > underscore)
            return fail(err, errlen, "case '%s': a number is out of range", s);
        v[f] = x, given[f] = true;
        c = end;
    }
    if (!given[F_IC] || !given[F_IH] || !given[F_KH])
        return fail(err, errlen, "case '%s' needs at least ic, ih and kh", s);
    static const int h_of_w[][2] = {{F_IW, F_IH}, {F_KW, F_KH}, {F_SW, F_SH}, {F_PW, F_PH}, {F_DW, F_DH}};
    const int64_t defaults[F_COUNT] = {[F_MB] = 1, [F_SH] = 1, [F_PH] = 0, [F_DH] = 0, [F_CEIL] = 0};
    for (int f = 0; f < F_COUNT; ++f)
        if (!given[f])
            v[f] = defaults[f];
    for (size_t i = 0; i < sizeof h_of_w / sizeof h_of_w[0]; ++i)
        if (!given[h_of_w[i][0]])
            v[h_of_w[i][0]] = v[h_of_w[i][1]];
    if (v[F_CEIL] > 1)
        return fail(err, errlen, "case '%s': ceil takes 0 or 1", s);
    pb_params_default(p, v[F_MB], v[F_IC], v[F_IH], v[F_IW], v[F_KH], v[F_KW]);
    p->sh = v[F_SH], p->sw = v[F_SW], p->ph = v[F_PH], p->pw = v[F_PW];
    p->dh = v[F_DH] + 1, p->dw = v[F_DW] + 1;
    p->ceil_mode = v[F_CEIL] == 1;
    p->mode = mode->mode;
    p->count_include_pad = mode->count_include_pad;
    pb_status st = pb_params_resolve(p);
    if (st != PB_OK) {
        snprintf(err, errlen, "case '%s': %s", s, pb_status_message(st));
        return -1;
    }
    return 0;
}

void pb_case_format(const pb_params *p, char *buf, size_t len)
{
    int n = snprintf(buf, len,
                     "mb%" PRId64 "ic%" PRId64 "ih%" PRId64 "iw%" PRId64 "kh%" PRId64 "kw%" PRId64 "sh%" PRId64
                     "sw%" PRId64 "ph%" PRId64 "pw%" PRId64,
                     p->n, p->c, p->h, p->w, p->kh, p->kw, p->sh, p->sw, p->ph, p->pw);
    if (n >= 0 && (size_t)n < len && (p->dh != 1 || p->dw != 1))
        n += snprintf(buf + n, len - (size_t)n, "dh%" PRId64 "dw%" PRId64, p->dh - 1, p->dw - 1);
    if (n >= 0 && (size_t)n < len && p->ceil_mode)
        n += snprintf(buf + n, len - (size_t)n, "ceil1");
    const char *suffix = "max";
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; ++i)
        if (modes[i].mode == p->mode && (p->mode != PB_MODE_AVG || modes[i].count_include_pad == p->count_include_pad))
            suffix = modes[i].mode_suffix;
    if (n >= 0 && (size_t)n < len)
        snprintf(buf + n, len - (size_t)n, "_%s", suffix);
}
