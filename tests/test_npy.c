/* The .npy reader: valid v1 and v2 files, and each corruption class. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "io/npy.h"

/* Builds an .npy image with the given version, header dict and payload length. */
static size_t build(unsigned char *buf, int version, const char *dict, size_t payload)
{
    size_t pre = version == 1 ? 10 : 12, n = strlen(dict);
    memcpy(buf, "\x93NUMPY", 6);
    buf[6] = (unsigned char)version, buf[7] = 0;
    if (version == 1)
        buf[8] = (unsigned char)n, buf[9] = 0;
    else
        buf[8] = (unsigned char)n, buf[9] = buf[10] = buf[11] = 0;
    memcpy(buf + pre, dict, n);
    for (size_t i = 0; i < payload; ++i)
        buf[pre + n + i] = (unsigned char)(i * 7);
    return pre + n + payload;
}

static void expect_error(const unsigned char *buf, size_t len, const char *needle)
{
    pb_npy a;
    char err[256] = "";
    assert_int_equal(pb_npy_parse(buf, len, &a, err, sizeof err), -1);
    if (strstr(err, needle) == NULL)
        fail_msg("error '%s' does not mention '%s'", err, needle);
}

static const char *const good = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 3, 2), }\n";

static void valid_versions(void **state)
{
    (void)state;
    unsigned char buf[512];
    for (int v = 1; v <= 2; ++v) {
        size_t len = build(buf, v, good, 12 * 4);
        pb_npy a;
        char err[256];
        assert_int_equal(pb_npy_parse(buf, len, &a, err, sizeof err), 0);
        assert_int_equal(a.ndim, 4);
        assert_int_equal(a.shape[2], 3);
        assert_int_equal(a.count, 12);
        pb_npy_free(&a);
    }
}

static void corruptions(void **state)
{
    (void)state;
    unsigned char buf[512];
    size_t len = build(buf, 1, good, 12 * 4);
    expect_error(buf, len - 1, "truncated");
    expect_error(buf, 20, "truncated");
    expect_error((const unsigned char *)"PK\x03\x04 a zip file", 18, "not a .npy");
    len = build(buf, 1, good, 12 * 4 + 3);
    expect_error(buf, len, "past the data");
    len = build(buf, 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", 16);
    expect_error(buf, len, "dtype");
    len = build(buf, 1, "{'descr': '>f4', 'fortran_order': False, 'shape': (2,), }\n", 8);
    expect_error(buf, len, "dtype");
    len = build(buf, 1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2,), }\n", 8);
    expect_error(buf, len, "Fortran");
    len = build(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 4), }\n", 0);
    expect_error(buf, len, "overflow");
    len = build(buf, 1, "{'descr': '<f4', 'fortran_order': False, 'shape': 7, }\n", 0);
    expect_error(buf, len, "shape");
    len = build(buf, 1, "{'descr': '<f4', 'shape': (1,), }\n", 4);
    expect_error(buf, len, "lacks");
    len = build(buf, 9, good, 0);
    expect_error(buf, len, "version");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(valid_versions), cmocka_unit_test(corruptions)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
