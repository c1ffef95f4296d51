#define _POSIX_C_SOURCE 200809L
#include "npy.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "atomic_file.h"

static const unsigned char npy_magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

static int fail(char *err, size_t errlen, const char *msg) { return snprintf(err, errlen, "%s", msg), -1; }

/* Finds the value that follows 'key': in the header dict; NULL if absent. */
static const char *dict_value(const char *hdr, const char *key)
{
    char quoted[32];
    snprintf(quoted, sizeof quoted, "'%s'", key);
    const char *k = strstr(hdr, quoted);
    if (k == NULL)
        return NULL;
    k += strlen(quoted);
    while (isspace((unsigned char)*k))
        ++k;
    if (*k != ':')
        return NULL;
    ++k;
    while (isspace((unsigned char)*k))
        ++k;
    return k;
}

static int parse_shape(const char *v, pb_npy *out, char *err, size_t errlen)
{
    if (*v != '(')
        return fail(err, errlen, "not a valid .npy file: shape is not a tuple");
    ++v;
    out->ndim = 0;
    out->count = 1;
    for (;;) {
        while (isspace((unsigned char)*v))
            ++v;
        if (*v == ')')
            break;
        if (!isdigit((unsigned char)*v))
            return fail(err, errlen, "not a valid .npy file: bad shape tuple");
        errno = 0;
        char *end;
        long long d = strtoll(v, &end, 10);
        if (errno == ERANGE)
            return fail(err, errlen, "array dimensions overflow");
        if (out->ndim == PB_NPY_MAX_DIMS)
            return fail(err, errlen, "array has too many dimensions");
        out->shape[out->ndim++] = d;
        if (__builtin_mul_overflow(out->count, (int64_t)d, &out->count) || out->count > INT64_MAX / 8)
            return fail(err, errlen, "array dimensions overflow: their product is too large");
        v = end;
        while (isspace((unsigned char)*v))
            ++v;
        if (*v == ',')
            ++v;
        else if (*v != ')')
            return fail(err, errlen, "not a valid .npy file: bad shape tuple");
    }
    return 0;
}

int pb_npy_parse(const unsigned char *buf, size_t len, pb_npy *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (len < 10 || memcmp(buf, npy_magic, sizeof npy_magic) != 0)
        return fail(err, errlen, "not a .npy file (no NUMPY magic)");
    unsigned major = buf[6];
    size_t hdr_len, hdr_off;
    if (major == 1) {
        hdr_len = buf[8] | (size_t)buf[9] << 8;
        hdr_off = 10;
    } else if (major == 2 || major == 3) {
        if (len < 12)
            return fail(err, errlen, "truncated .npy file: header cut short");
        hdr_len = buf[8] | (size_t)buf[9] << 8 | (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
        hdr_off = 12;
    } else {
        snprintf(err, errlen, "unsupported .npy format version %u", major);
        return -1;
    }
    if (hdr_len > len - hdr_off)
        return fail(err, errlen, "truncated .npy file: header cut short");
    char *hdr = malloc(hdr_len + 1);
    if (hdr == NULL)
        return fail(err, errlen, "out of memory reading the .npy header");
    memcpy(hdr, buf + hdr_off, hdr_len);
    hdr[hdr_len] = '\0';
    int rc = -1;
    const char *descr = dict_value(hdr, "descr");
    const char *fortran = dict_value(hdr, "fortran_order");
    const char *shape = dict_value(hdr, "shape");
    if (descr == NULL || fortran == NULL || shape == NULL) {
        fail(err, errlen, "not a valid .npy file: header lacks descr, fortran_order or shape");
    } else if (strncmp(descr, "'<f4'", 5) != 0) {
        int n = (int)strcspn(descr, ",}");
        snprintf(err, errlen, "wrong dtype %.*s: expected little-endian float32 '<f4'", n > 16 ? 16 : n, descr);
    } else if (strncmp(fortran, "False", 5) != 0) {
        fail(err, errlen, "array is in Fortran order: expected C order");
    } else if (parse_shape(shape, out, err, errlen) == 0) {
        size_t data_off = hdr_off + hdr_len;
        size_t want = (size_t)out->count * sizeof(float);
        size_t have = len - data_off;
        if (have < want) {
            snprintf(err, errlen, "truncated .npy file: %zu data bytes, shape needs %zu", have, want);
        } else if (have > want) {
            snprintf(err, errlen, "corrupt .npy file: %zu bytes past the data the shape describes", have - want);
        } else if ((out->data = malloc(want ? want : 1)) == NULL) {
            fail(err, errlen, "out of memory for the array");
        } else {
            memcpy(out->data, buf + data_off, want);
            rc = 0;
        }
    }
    free(hdr);
    return rc;
}

int pb_npy_read(const char *path, pb_npy *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        snprintf(err, errlen, "cannot open input %s: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "input %s is not a regular file", path);
        fclose(f);
        return -1;
    }
    size_t len = (size_t)st.st_size;
    unsigned char *buf = malloc(len ? len : 1);
    if (buf == NULL) {
        fclose(f);
        return fail(err, errlen, "out of memory reading the input");
    }
    size_t got = fread(buf, 1, len, f);
    int read_failed = ferror(f);
    fclose(f);
    int rc;
    if (read_failed || got != len) {
        snprintf(err, errlen, "cannot read input %s", path);
        rc = -1;
    } else {
        char inner[256];
        rc = pb_npy_parse(buf, len, out, inner, sizeof inner);
        if (rc != 0)
            snprintf(err, errlen, "%s: %s", path, inner);
    }
    free(buf);
    return rc;
}

int pb_npy_write(const char *path, const int64_t *shape, int ndim, const float *data, char *err, size_t errlen)
{
    char dict[256];
    int n = snprintf(dict, sizeof dict, "{'descr': '<f4', 'fortran_order': False, 'shape': (");
    int64_t count = 1;
    for (int i = 0; i < ndim; ++i) {
        n += snprintf(dict + n, sizeof dict - n, "%lld,%s", (long long)shape[i], i + 1 < ndim ? " " : "");
        count *= shape[i];
    }
    n += snprintf(dict + n, sizeof dict - n, "), }");
    /* Pad so the data starts 64-byte aligned, the header ending in '\n'. */
    size_t total = 10 + (size_t)n + 1;
    size_t pad = (64 - total % 64) % 64;
    pb_atomic_file af;
    if (pb_atomic_open(&af, path, err, errlen) != 0)
        return -1;
    unsigned hdr_len = (unsigned)(n + pad + 1);
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, hdr_len & 0xff, hdr_len >> 8};
    fwrite(pre, 1, sizeof pre, af.f);
    fwrite(dict, 1, (size_t)n, af.f);
    for (size_t i = 0; i < pad; ++i)
        fputc(' ', af.f);
    fputc('\n', af.f);
    fwrite(data, sizeof(float), (size_t)count, af.f);
    return pb_atomic_commit(&af, err, errlen);
}

void pb_npy_free(pb_npy *a)
{
    free(a->data);
    a->data = NULL;
}
