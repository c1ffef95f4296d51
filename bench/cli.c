#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void pb_cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("poolbench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

bool pb_parse_int(const char *s, int64_t *v)
{
    if (s == NULL || *s == '\0')
        return false;
    errno = 0;
    char *end;
    long long x = strtoll(s, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *v = x;
    return true;
}

bool pb_parse_pair(const char *s, int64_t *a, int64_t *b)
{
    const char *x = strchr(s, 'x');
    if (x == NULL) {
        if (!pb_parse_int(s, a))
            return false;
        *b = *a;
        return true;
    }
    char first[32];
    size_t len = (size_t)(x - s);
    if (len == 0 || len >= sizeof first)
        return false;
    memcpy(first, s, len);
    first[len] = '\0';
    return pb_parse_int(first, a) && pb_parse_int(x + 1, b);
}

void pb_pool_options_init(pb_pool_options *o)
{
    memset(o, 0, sizeof *o);
    pb_params_default(&o->params, 1, 1, 1, 1, 0, 0);
    o->impl_name = "naive";
}

static int bad_pair(const char *what, const char *arg)
{
    pb_cli_error("bad %s '%s': expected N or HxW with integers", what, arg);
    return -1;
}

int pb_pool_option(pb_pool_options *o, int c, const char *arg)
{
    pb_params *p = &o->params;
    switch (c) {
    case 'i': o->impl_name = arg; return 1;
    case 'm':
        p->mode = pb_mode_from_name(arg);
        if (p->mode == PB_MODE_COUNT) {
            pb_cli_error("unknown mode '%s': expected max, avg, min or softmax", arg);
            return -1;
        }
        return 1;
    case 'k': return pb_parse_pair(arg, &p->kh, &p->kw) ? 1 : bad_pair("kernel", arg);
    case 's': o->stride_given = true; return pb_parse_pair(arg, &p->sh, &p->sw) ? 1 : bad_pair("stride", arg);
    case 'p': return pb_parse_pair(arg, &p->ph, &p->pw) ? 1 : bad_pair("padding", arg);
    case 'd': return pb_parse_pair(arg, &p->dh, &p->dw) ? 1 : bad_pair("dilation", arg);
    case 'C': p->ceil_mode = true; return 1;
    case 'E': p->count_include_pad = false; return 1;
    case 'l':
        p->layout = pb_layout_from_name(arg);
        if (p->layout == PB_LAYOUT_COUNT) {
            pb_cli_error("unknown layout '%s': expected nchw or nhwc", arg);
            return -1;
        }
        return 1;
    case 't': {
        int64_t t;
        if (!pb_parse_int(arg, &t) || t < 1 || t > 4096) {
            pb_cli_error("bad thread count '%s': expected an integer from 1 to 4096", arg);
            return -1;
        }
        o->threads = (int)t;
        return 1;
    }
    default: return 0;
    }
}

void pb_pool_options_finish(pb_pool_options *o)
{
    if (!o->stride_given)
        o->params.sh = o->params.kh, o->params.sw = o->params.kw;
}
