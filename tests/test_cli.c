/* Every bad input of the pool command through the real binary: one line on
 * stderr naming the problem, exit 2, no file created, an existing output left
 * byte for byte as it was. Run by ctest with the poolbench path as argv[1]. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "io/npy.h"

static const char *bin;
static char dir[] = "/tmp/poolbench-cli-XXXXXX";
static char x_npy[512], out_npy[512], stderr_txt[512];

static char *slurp(const char *path, size_t *len)
{
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    char *buf = malloc(1 << 20);
    *len = fread(buf, 1, 1 << 20, f);
    fclose(f);
    return buf;
}

static void write_bytes(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(data, 1, len, f);
    fclose(f);
}

/* Runs poolbench with args; returns its exit code, stderr in stderr_txt. */
static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s %s 2>%s >/dev/null", bin, args, stderr_txt);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int count_files(void)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "ls -A %s | wc -l", dir);
    FILE *p = popen(cmd, "r");
    int n = -1;
    if (fscanf(p, "%d", &n) != 1)
        n = -1;
    pclose(p);
    return n;
}

/* The bad case must fail with exit `code`, exactly one stderr line containing
 * `needle`, no new file in dir, and the existing output unchanged. */
static void expect_rejected(const char *args, int code, const char *needle)
{
    static const char sentinel[] = "existing output, must survive";
    write_bytes(out_npy, sentinel, sizeof sentinel);
    int before = count_files();
    int rc = run(args);
    size_t len;
    char *err = slurp(stderr_txt, &len);
    assert_non_null(err);
    err[len < (1 << 20) ? len : len - 1] = '\0';
    int lines = 0;
    for (size_t i = 0; i < len; ++i)
        lines += err[i] == '\n';
    if (rc != code || lines != 1 || strstr(err, needle) == NULL)
        fail_msg("poolbench %s: exit %d (want %d), stderr '%s' (want one line with '%s')", args, rc, code, err,
                 needle);
    free(err);
    assert_int_equal(count_files(), before);
    char *kept = slurp(out_npy, &len);
    assert_true(len == sizeof sentinel && memcmp(kept, sentinel, len) == 0);
    free(kept);
}

/* An .npy file whose header is dict and whose payload is `payload` zero bytes. */
static void write_npy_raw(const char *path, const char *dict, size_t payload)
{
    size_t n = strlen(dict);
    unsigned char *buf = calloc(1, 10 + n + payload);
    memcpy(buf, "\x93NUMPY\x01\x00", 8);
    buf[8] = (unsigned char)n, buf[9] = (unsigned char)(n >> 8);
    memcpy(buf + 10, dict, n);
    write_bytes(path, buf, 10 + n + payload);
    free(buf);
}

static char *args_for(const char *in, const char *extra)
{
    static char buf[1400];
    snprintf(buf, sizeof buf, "pool --kernel 2 --in %s --out %s %s", in, out_npy, extra);
    return buf;
}

static void bad_inputs(void **state)
{
    (void)state;
    char path[600];
    expect_rejected(args_for("/nonexistent/x.npy", ""), 2, "cannot open input");
    snprintf(path, sizeof path, "%s/text.npy", dir);
    write_bytes(path, "hello, not numpy\n", 17);
    expect_rejected(args_for(path, ""), 2, "not a .npy");
    size_t len;
    char *whole = slurp(x_npy, &len);
    snprintf(path, sizeof path, "%s/truncated.npy", dir);
    write_bytes(path, whole, len - 5);
    free(whole);
    expect_rejected(args_for(path, ""), 2, "truncated");
    snprintf(path, sizeof path, "%s/f8.npy", dir);
    write_npy_raw(path, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1, 1), }\n", 8);
    expect_rejected(args_for(path, ""), 2, "dtype");
    snprintf(path, sizeof path, "%s/three_d.npy", dir);
    char err[256];
    float v[8] = {0};
    assert_int_equal(pb_npy_write(path, (const int64_t[]){2, 2, 2}, 3, v, err, sizeof err), 0);
    expect_rejected(args_for(path, ""), 2, "4-D");
    snprintf(path, sizeof path, "%s/huge.npy", dir);
    write_npy_raw(path, "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 1, 1), }\n", 0);
    expect_rejected(args_for(path, ""), 2, "overflow");
    expect_rejected(args_for(x_npy, "--kernel 0"), 2, "kernel size");
    expect_rejected(args_for(x_npy, "--kernel -2"), 2, "kernel size");
    expect_rejected(args_for(x_npy, "--stride 0"), 2, "stride");
    expect_rejected(args_for(x_npy, "--stride -1"), 2, "stride");
    expect_rejected(args_for(x_npy, "--dilation 0"), 2, "dilation");
    expect_rejected(args_for(x_npy, "--kernel 3 --padding 2"), 2, "half the kernel");
    expect_rejected(args_for(x_npy, "--kernel 9"), 2, "output would be empty");
    expect_rejected(args_for(x_npy, "--impl nosuch"), 2, "unknown implementation");
    expect_rejected(args_for(x_npy, "--mode median"), 2, "unknown mode");
    expect_rejected(args_for(x_npy, "--layout chwn"), 2, "unknown layout");
    expect_rejected(args_for(x_npy, "--kernel 2x"), 2, "bad kernel");
    snprintf(path, sizeof path, "pool --kernel 2 --in %s --out %s/no/such/dir/y.npy", x_npy, dir);
    expect_rejected(path, 2, "output directory does not exist");
    expect_rejected("pool --kernel 2", 2, "needs");
    expect_rejected("frobnicate", 2, "unknown command");
}

static void good_run_and_round_trip(void **state)
{
    (void)state;
    unlink(out_npy);
    char args[1400];
    snprintf(args, sizeof args, "pool --kernel 3 --stride 2 --padding 1 --in %s --out %s", x_npy, out_npy);
    assert_int_equal(run(args), 0);
    pb_npy y;
    char err[256];
    assert_int_equal(pb_npy_read(out_npy, &y, err, sizeof err), 0);
    /* The seed: arange(16) as 1x1x4x4, MaxPool2d(3, padding=1, stride=2). */
    assert_int_equal(y.ndim, 4);
    assert_int_equal(y.count, 4);
    assert_true(y.data[0] == 5 && y.data[1] == 7 && y.data[2] == 13 && y.data[3] == 15);
    pb_npy_free(&y);
    /* An existing output is replaced only by a complete new file. */
    assert_int_equal(run(args), 0);
}

/* poolbench ARGS --benchmark_list_tests=true: the benchmarks it would run,
 * one name a line (caller frees). */
static char *listed(const char *args)
{
    char cmd[2048], path[600];
    snprintf(path, sizeof path, "%s/listed.txt", dir);
    snprintf(cmd, sizeof cmd, "%s %s --benchmark_list_tests=true >%s 2>/dev/null", bin, args, path);
    assert_int_equal(system(cmd), 0);
    size_t len;
    char *text = slurp(path, &len);
    unlink(path);
    assert_non_null(text);
    text = realloc(text, len + 1);
    text[len] = '\0';
    return text;
}

/* --case replaces the threads preset's cases, not its thread counts: the
 * same case lists the same benchmarks (each at 1..all cores) either way;
 * with more than one, the run times an empty region among them too. The
 * filters name the implementation: the preset's run, which leaves the
 * caches, also times the case's plain pass (probe/plain_pass/CASE). */
static void threads_preset_keeps_its_threads_with_cases(void **state)
{
    (void)state;
    static const char pool5[] = "mb1ic512ih14iw14kh2kw2sh2sw2ph0pw0_max";
    char args[600];
    snprintf(args, sizeof args, "run --preset threads --impl openmp --layout nchw --benchmark_filter=^openmp/nchw/%s",
             pool5);
    char *from_preset = listed(args);
    snprintf(args, sizeof args, "run --preset threads --impl openmp --layout nchw --case %s", pool5);
    char *from_case = listed(args);
    strcat(args, " --benchmark_filter=^openmp/nchw/");
    strcat(args, pool5);
    char *from_case_filtered = listed(args);
    assert_non_null(strstr(from_preset, pool5));
    assert_string_equal(from_case_filtered, from_preset);
    if (strstr(from_preset, "/threads:2"))
        assert_non_null(strstr(from_case, "probe/openmp_region/threads:"));
    free(from_preset), free(from_case), free(from_case_filtered);
}

static void help_everywhere(void **state)
{
    (void)state;
    static const char *const cmds[] = {"--help", "list --help", "pool --help", "check --help", "seed --help", "network --help", "run --help"};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; ++i)
        if (run(cmds[i]) != 0)
            fail_msg("poolbench %s did not exit 0", cmds[i]);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test_cli PATH/TO/poolbench\n");
        return 2;
    }
    bin = argv[1];
    if (mkdtemp(dir) == NULL)
        return 1;
    snprintf(x_npy, sizeof x_npy, "%s/x.npy", dir);
    snprintf(out_npy, sizeof out_npy, "%s/out.npy", dir);
    snprintf(stderr_txt, sizeof stderr_txt, "/tmp/%s-stderr.txt", dir + 5);
    float x[16];
    for (int i = 0; i < 16; ++i)
        x[i] = (float)i;
    char err[256];
    if (pb_npy_write(x_npy, (const int64_t[]){1, 1, 4, 4}, 4, x, err, sizeof err) != 0)
        return 1;
    const struct CMUnitTest tests[] = {cmocka_unit_test(bad_inputs), cmocka_unit_test(good_run_and_round_trip),
                                       cmocka_unit_test(threads_preset_keeps_its_threads_with_cases),
                                       cmocka_unit_test(help_everywhere)};
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s %s", dir, stderr_txt);
    if (system(cmd) != 0)
        return 1;
    return failed;
}
