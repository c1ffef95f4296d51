#define _POSIX_C_SOURCE 200809L
#include "run_json.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "case_name.h"
#include "stats.h"

const char *const pb_papi_counter_names[PB_PAPI_N] = {
#define PB_PAPI_NAME(n) #n,
    PB_PAPI_COUNTERS(PB_PAPI_NAME)
#undef PB_PAPI_NAME
};

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Google Benchmark writes bare NaN and Infinity (e.g. the cv aggregate of a
 * counter that is always 0), which Python's json reads and JSON does not
 * allow. Outside strings they become null, so jansson reads the rest. dst
 * needs room for len * 4 / 3 + 4 bytes; returns the length written. */
static size_t replace_nonfinite(char *dst, const char *src, size_t len)
{
    static const char *const words[] = {"-Infinity", "Infinity", "NaN"};
    size_t out = 0;
    bool in_string = false;
    for (size_t i = 0; i < len;) {
        char c = src[i];
        size_t matched = 0;
        for (size_t w = 0; !in_string && w < sizeof words / sizeof words[0] && !matched; ++w)
            if (len - i >= strlen(words[w]) && memcmp(src + i, words[w], strlen(words[w])) == 0)
                matched = strlen(words[w]);
        if (matched) {
            memcpy(dst + out, "null", 4);
            out += 4;
            i += matched;
            continue;
        }
        dst[out++] = c;
        ++i;
        if (in_string && c == '\\' && i < len)
            dst[out++] = src[i++];
        else if (c == '"')
            in_string = !in_string;
    }
    return out;
}

/* Reads path as JSON; the error names the file and what is wrong with it. */
static json_t *load_json(const char *path, char *err, size_t errlen)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fail(err, errlen, "cannot read %s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        fail(err, errlen, "%s is not a regular file", path);
        return NULL;
    }
    size_t size = (size_t)st.st_size;
    FILE *f = fopen(path, "rb");
    char *raw = malloc(size + 1), *text = malloc(size / 3 * 4 + 8);
    bool ok = f != NULL && raw != NULL && text != NULL && fread(raw, 1, size, f) == size;
    if (!ok)
        fail(err, errlen, "cannot read %s: %s", path, f == NULL || ferror(f) ? strerror(errno) : "out of memory");
    if (f)
        fclose(f);
    json_t *root = NULL;
    if (ok) {
        json_error_t jerr;
        root = json_loadb(text, replace_nonfinite(text, raw, size), 0, &jerr);
        if (root == NULL)
            fail(err, errlen, "%s is not valid JSON (truncated or corrupt?): line %d column %d: %s", path, jerr.line,
                 jerr.column, jerr.text);
    }
    free(raw);
    free(text);
    return root;
}

static double num_or_nan(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_number(v) ? json_number_value(v) : NAN;
}

static double unit_to_ns(const char *unit)
{
    static const struct { const char *name; double ns; } units[] = {{"ns", 1.0}, {"us", 1e3}, {"ms", 1e6}, {"s", 1e9}};
    for (size_t i = 0; i < sizeof units / sizeof units[0]; ++i)
        if (strcmp(unit, units[i].name) == 0)
            return units[i].ns;
    return NAN;
}

/* "IMPL/LAYOUT/CASE[/suffix]" into its parts; the case is parsed when it can be. */
static void split_name(pb_bench *b)
{
    const char *s = b->name, *a = strchr(s, '/'), *c = a ? strchr(a + 1, '/') : NULL;
    if (a == NULL || c == NULL) {
        snprintf(b->impl, sizeof b->impl, "%s", s);
        return;
    }
    snprintf(b->impl, sizeof b->impl, "%.*s", (int)(a - s), s);
    snprintf(b->layout, sizeof b->layout, "%.*s", (int)(c - a - 1), a + 1);
    const char *end = strchr(c + 1, '/');
    int len = end ? (int)(end - c - 1) : (int)strlen(c + 1);
    if (end != NULL)
        sscanf(end, "/threads:%d", &b->name_threads);
    snprintf(b->case_name, sizeof b->case_name, "%.*s", len, c + 1);
    char err[256];
    b->has_params = pb_case_parse(b->case_name, &b->params, err, sizeof err) == 0;
    pb_layout layout = pb_layout_from_name(b->layout);
    if (b->has_params && layout != PB_LAYOUT_COUNT)
        b->params.layout = layout;
}

static void read_counters(pb_bench *b, const json_t *e)
{
    b->model_ops = num_or_nan(e, "model_ops");
    b->impl_ops = num_or_nan(e, "impl_ops");
    b->bytes = num_or_nan(e, "bytes");
    b->workspace_bytes = num_or_nan(e, "workspace_bytes");
    b->window = num_or_nan(e, "window");
    b->threads = num_or_nan(e, "threads");
    for (int i = 0; i < PB_PAPI_N; ++i) {
        char key[64];
        snprintf(key, sizeof key, "papi_%s", pb_papi_counter_names[i]);
        b->papi[i] = num_or_nan(e, key);
    }
    b->cg_instructions = b->cg_d1_misses = b->cg_ll_misses = NAN;
}

static pb_bench *find_in(pb_bench *list, size_t n, const char *name)
{
    for (size_t i = 0; i < n; ++i)
        if (strcmp(list[i].name, name) == 0)
            return &list[i];
    return NULL;
}

/* The entry of `name` in list (of *n, room for *cap), added when new. */
static pb_bench *bench_for(pb_bench **list, size_t *n, size_t *cap, const char *name)
{
    pb_bench *found = find_in(*list, *n, name);
    if (found)
        return found;
    if (*n == *cap) {
        size_t ncap = *cap ? 2 * *cap : 64;
        pb_bench *nb = realloc(*list, ncap * sizeof *nb);
        if (nb == NULL)
            return NULL;
        *list = nb;
        *cap = ncap;
    }
    pb_bench *b = &(*list)[*n];
    memset(b, 0, sizeof *b);
    if ((b->name = strdup(name)) == NULL)
        return NULL;
    ++*n;
    split_name(b);
    return b;
}

static int add_sample(pb_bench *b, double real_ns, double cpu_ns)
{
    double *r = realloc(b->real_ns, (b->n_reps + 1) * sizeof *r);
    if (r == NULL)
        return -1;
    b->real_ns = r;
    double *c = realloc(b->cpu_ns, (b->n_reps + 1) * sizeof *c);
    if (c == NULL)
        return -1;
    b->cpu_ns = c;
    b->real_ns[b->n_reps] = real_ns;
    b->cpu_ns[b->n_reps] = cpu_ns;
    ++b->n_reps;
    return 0;
}

/* One Google Benchmark entry: repetitions become samples; of the aggregates
 * only the median is kept, and only for benchmarks without repetitions in
 * the file (--benchmark_report_aggregates_only). */
static int add_entry(pb_run *run, const json_t *e, size_t index, size_t cap[2], char *err, size_t errlen)
{
    const char *name = json_string_value(json_object_get(e, "name"));
    const char *unit = json_string_value(json_object_get(e, "time_unit"));
    const json_t *real = json_object_get(e, "real_time"), *cpu = json_object_get(e, "cpu_time");
    if (!json_is_object(e) || name == NULL || unit == NULL || !json_is_number(real) || !json_is_number(cpu))
        return fail(err, errlen, "%s is not Google Benchmark JSON: benchmarks[%zu] lacks name, real_time, cpu_time "
                                 "or time_unit", run->path, index);
    double scale = unit_to_ns(unit);
    if (isnan(scale))
        return fail(err, errlen, "%s: benchmark %s has unknown time_unit '%s'", run->path, name, unit);
    if (json_is_true(json_object_get(e, "error_occurred"))) {
        const char *why = json_string_value(json_object_get(e, "error_message"));
        fprintf(stderr, "poolbench: %s: skipping %s, which failed: %s\n", run->path, name, why ? why : "no message");
        return 0;
    }
    const char *run_type = json_string_value(json_object_get(e, "run_type"));
    const char *run_name = json_string_value(json_object_get(e, "run_name"));
    bool aggregate = run_type != NULL && strcmp(run_type, "aggregate") == 0;
    if (aggregate) {
        const char *agg = json_string_value(json_object_get(e, "aggregate_name"));
        if (agg == NULL || strcmp(agg, "median") != 0)
            return 0;
    }
    const char *key = run_name ? run_name : name;
    const bool probe = strncmp(key, PB_PROBE_PREFIX, strlen(PB_PROBE_PREFIX)) == 0;
    pb_bench *b = probe ? bench_for(&run->probe, &run->n_probe, &cap[1], key)
                        : bench_for(&run->bench, &run->n_bench, &cap[0], key);
    if (b == NULL)
        return fail(err, errlen, "out of memory reading %s", run->path);
    if (aggregate && b->n_reps > 0 && !b->from_aggregate)
        return 0;
    if (!aggregate && b->from_aggregate) {
        b->n_reps = 0;
        b->from_aggregate = false;
    }
    if (b->n_reps == 0)
        read_counters(b, e);
    b->from_aggregate = aggregate;
    if (add_sample(b, json_number_value(real) * scale, json_number_value(cpu) * scale) != 0)
        return fail(err, errlen, "out of memory reading %s", run->path);
    return 0;
}

static int load_callgrind(pb_run *run, char *err, size_t errlen)
{
    json_t *root = load_json(run->callgrind_path, err, errlen);
    if (root == NULL)
        return -1;
    const json_t *list = json_object_get(root, "benchmarks");
    size_t i;
    const json_t *e;
    int rc = 0;
    if (!json_is_array(list)) {
        rc = fail(err, errlen, "%s has no \"benchmarks\" array", run->callgrind_path);
        goto done;
    }
    run->cg = calloc(json_array_size(list) + 1, sizeof *run->cg);
    if (run->cg == NULL) {
        rc = fail(err, errlen, "out of memory reading %s", run->callgrind_path);
        goto done;
    }
    json_array_foreach(list, i, e) {
        const char *name = json_string_value(json_object_get(e, "name"));
        double instr = num_or_nan(e, "instructions");
        if (name == NULL || isnan(instr)) {
            rc = fail(err, errlen, "%s: benchmarks[%zu] lacks name or instructions", run->callgrind_path, i);
            goto done;
        }
        pb_cg_entry *c = &run->cg[run->n_cg++];
        c->name = strdup(name);
        c->model_ops = num_or_nan(e, "model_ops");
        c->instructions = instr;
        c->d1_misses = num_or_nan(e, "d1_misses");
        c->ll_misses = num_or_nan(e, "ll_misses");
        pb_bench *b = (pb_bench *)pb_run_find(run, name);
        if (b != NULL) {
            b->cg_instructions = instr;
            b->cg_d1_misses = c->d1_misses;
            b->cg_ll_misses = c->ll_misses;
        }
    }
done:
    json_decref(root);
    return rc;
}

int pb_run_load(const char *path, pb_run *run, char *err, size_t errlen)
{
    memset(run, 0, sizeof *run);
    snprintf(run->path, sizeof run->path, "%s", path);
    json_t *root = load_json(path, err, errlen);
    if (root == NULL)
        return -1;
    run->root = root;
    const json_t *list = json_object_get(root, "benchmarks");
    if (!json_is_object(root) || !json_is_array(list)) {
        pb_run_free(run);
        return fail(err, errlen, "%s is not Google Benchmark JSON: no \"benchmarks\" array", path);
    }
    json_t *context = json_object_get(root, "context");
    run->context = json_is_object(context) ? context : NULL;
    size_t cap[2] = {0, 0}, i;
    const json_t *e;
    json_array_foreach(list, i, e) {
        if (add_entry(run, e, i, cap, err, errlen) != 0) {
            pb_run_free(run);
            return -1;
        }
    }
    if (run->n_bench == 0) {
        pb_run_free(run);
        return fail(err, errlen, "%s holds no benchmark results", path);
    }
    for (size_t k = 0; k < run->n_bench; ++k)
        run->bench[k].time_ns = pb_median(run->bench[k].real_ns, run->bench[k].n_reps);
    for (size_t k = 0; k < run->n_probe; ++k)
        run->probe[k].time_ns = pb_median(run->probe[k].real_ns, run->probe[k].n_reps);

    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash)
        *slash = '\0';
    int len = snprintf(run->callgrind_path, sizeof run->callgrind_path, "%s/callgrind.json", slash ? dir : ".");
    struct stat st;
    if (len < (int)sizeof run->callgrind_path && stat(run->callgrind_path, &st) == 0) {
        if (load_callgrind(run, err, errlen) != 0) {
            pb_run_free(run);
            return -1;
        }
        run->has_callgrind = true;
    }
    return 0;
}

static void free_benches(pb_bench *list, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        free(list[i].name);
        free(list[i].real_ns);
        free(list[i].cpu_ns);
    }
    free(list);
}

void pb_run_free(pb_run *run)
{
    free_benches(run->bench, run->n_bench);
    free_benches(run->probe, run->n_probe);
    for (size_t i = 0; i < run->n_cg; ++i)
        free(run->cg[i].name);
    free(run->cg);
    json_decref(run->root);
    memset(run, 0, sizeof *run);
}

const char *pb_run_ctx_str(const pb_run *run, const char *key)
{
    return run->context ? json_string_value(json_object_get(run->context, key)) : NULL;
}

double pb_run_ctx_num(const pb_run *run, const char *key)
{
    const json_t *v = run->context ? json_object_get(run->context, key) : NULL;
    if (json_is_number(v))
        return json_number_value(v);
    const char *s = json_string_value(v);
    if (s == NULL)
        return NAN;
    char *end;
    double x = strtod(s, &end);
    return end != s && *end == '\0' ? x : NAN;
}

const char *pb_run_machine(const pb_run *run)
{
    const char *m = pb_run_ctx_str(run, "machine");
    return m ? m : "unknown machine";
}

const pb_bench *pb_run_find(const pb_run *run, const char *name) { return find_in(run->bench, run->n_bench, name); }

const pb_bench *pb_run_probe(const pb_run *run, const char *what, const char *where, int threads)
{
    char name[256];
    snprintf(name, sizeof name, PB_PROBE_PREFIX "%s/%s/threads:%d", what, where, threads);
    return pb_run_find_probe(run, name);
}

const pb_bench *pb_run_find_probe(const pb_run *run, const char *name)
{
    return find_in(run->probe, run->n_probe, name);
}

double pb_probe_GBps(const pb_bench *probe)
{
    return probe && probe->bytes > 0 && probe->time_ns > 0 ? probe->bytes / probe->time_ns : 0;
}

const pb_bench *pb_run_find_at(const pb_run *run, const pb_bench *b, int threads)
{
    for (size_t i = 0; i < run->n_bench; ++i) {
        const pb_bench *o = &run->bench[i];
        if (o->name_threads == threads && strcmp(o->impl, b->impl) == 0 && strcmp(o->layout, b->layout) == 0 &&
            strcmp(o->case_name, b->case_name) == 0)
            return o;
    }
    return NULL;
}

int pb_run_max_threads(const pb_run *run)
{
    int t = 0;
    for (size_t i = 0; i < run->n_bench; ++i)
        t = run->bench[i].name_threads > t ? run->bench[i].name_threads : t;
    return t;
}
