#define _POSIX_C_SOURCE 200809L
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

extern char **environ;

int pb_plot_begin(pb_plot *pl, const char *dir, const char *base, const char *header, char *err, size_t errlen)
{
    memset(pl, 0, sizeof *pl);
    snprintf(pl->dir, sizeof pl->dir, "%s", dir);
    snprintf(pl->base, sizeof pl->base, "%s", base);
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s.csv", dir, base) >= (int)sizeof path) {
        snprintf(err, errlen, "output path too long: %s", dir);
        return -1;
    }
    if (pb_atomic_open(&pl->csv, path, err, errlen) != 0)
        return -1;
    fprintf(pl->csv.f, "%s\n", header);
    return 0;
}

void pb_plot_row(pb_plot *pl, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(pl->csv.f, fmt, ap);
    va_end(ap);
    fputc('\n', pl->csv.f);
    ++pl->rows;
}

static void append_var(pb_plot *pl, const char *name, const char *value_literal)
{
    size_t room = sizeof pl->vars - pl->vars_len;
    int n = snprintf(pl->vars + pl->vars_len, room, "%s=%s;", name, value_literal);
    if (n > 0 && (size_t)n < room)
        pl->vars_len += (size_t)n;
}

void pb_plot_str(pb_plot *pl, const char *name, const char *fmt, ...)
{
    char raw[8192], quoted[2 * 8192 + 2];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    /* gnuplot's single-quoted strings take no escapes except '' for a quote. */
    size_t j = 0;
    quoted[j++] = '\'';
    for (const char *c = raw; *c && j < sizeof quoted - 3; ++c) {
        if (*c == '\'')
            quoted[j++] = '\'';
        quoted[j++] = *c == '\n' ? ' ' : *c;
    }
    quoted[j++] = '\'';
    quoted[j] = '\0';
    append_var(pl, name, quoted);
}

void pb_plot_num(pb_plot *pl, const char *name, double v)
{
    char lit[64];
    snprintf(lit, sizeof lit, isfinite(v) ? "%.17g" : "NaN", v);
    append_var(pl, name, lit);
}

void pb_plot_categorical(pb_plot *pl)
{
    pb_plot_str(pl, "style", "points");
    pb_plot_num(pl, "xlabels", 1);
    pb_plot_num(pl, "cols", 1);
    pb_plot_num(pl, "logx", 0);
    pb_plot_num(pl, "logy", 1);
}

void pb_plot_tick(pb_plot *pl, int panel, int index, const char *label)
{
    char var[48];
    snprintf(var, sizeof var, "tick_%d_%d", panel, index + 1);
    pb_plot_str(pl, var, "%s", label);
    snprintf(var, sizeof var, "nticks_%d", panel);
    pb_plot_num(pl, var, index + 1);
    if ((int)strlen(label) > pl->tick_chars) {
        pl->tick_chars = (int)strlen(label);
        pb_plot_num(pl, "tick_chars", pl->tick_chars);
    }
}

static const char *plots_dir(void)
{
    const char *d = getenv("POOLBENCH_PLOTS_DIR");
    return d && *d ? d : POOLBENCH_PLOTS_DIR;
}

/* gnuplot writes into the temporary file of an atomic output, which is then
 * renamed into place: a failed plot leaves nothing behind. */
static int render_one(pb_plot *pl, const char *script, const char *fmt, char *err, size_t errlen)
{
    char path[PATH_MAX];
    if (snprintf(path, sizeof path, "%s/%s.%s", pl->dir, pl->base, fmt) >= (int)sizeof path) {
        snprintf(err, errlen, "output path too long: %s", pl->dir);
        return -1;
    }
    pb_atomic_file out;
    if (pb_atomic_open(&out, path, err, errlen) != 0)
        return -1;
    char vars[sizeof pl->vars + PATH_MAX + 64];
    snprintf(vars, sizeof vars, "%sout='%s';fmt='%s'", pl->vars, out.tmp_path, fmt);
    char *argv[] = {"gnuplot", "-e", vars, (char *)script, NULL};
    pid_t pid;
    int rc = posix_spawnp(&pid, "gnuplot", NULL, NULL, argv, environ);
    if (rc != 0) {
        snprintf(err, errlen, "cannot run gnuplot (%s): apt-get install -y gnuplot-nox", strerror(rc));
        pb_atomic_abort(&out);
        return -1;
    }
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    struct stat st;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(out.tmp_path, &st) != 0 || st.st_size == 0) {
        snprintf(err, errlen, "gnuplot failed on %s for %s.%s", script, pl->base, fmt);
        pb_atomic_abort(&out);
        return -1;
    }
    return pb_atomic_commit(&out, err, errlen);
}

int pb_plot_render(pb_plot *pl, const char *script, char *err, size_t errlen)
{
    if (pl->rows == 0) {
        snprintf(err, errlen, "no data for %s", pl->base);
        pb_plot_abort(pl);
        return -1;
    }
    char csv_path[PATH_MAX];
    snprintf(csv_path, sizeof csv_path, "%s", pl->csv.final_path);
    if (pb_atomic_commit(&pl->csv, err, errlen) != 0)
        return -1;
    char script_path[PATH_MAX];
    snprintf(script_path, sizeof script_path, "%s/%s", plots_dir(), script);
    struct stat st;
    if (stat(script_path, &st) != 0) {
        snprintf(err, errlen, "plot script %s not found (set POOLBENCH_PLOTS_DIR to poolbench's analysis/plots)",
                 script_path);
        return -1;
    }
    pb_plot_str(pl, "csv", "%s", csv_path);
    if (render_one(pl, script_path, "png", err, errlen) != 0 || render_one(pl, script_path, "svg", err, errlen) != 0)
        return -1;
    return 0;
}

void pb_plot_abort(pb_plot *pl) { pb_atomic_abort(&pl->csv); }

int pb_word_index(const char *list, const char *word)
{
    size_t n = strlen(word);
    int i = 0;
    for (const char *p = list; *p;) {
        while (*p == ' ')
            ++p;
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 0)
            break;
        if (len == n && strncmp(p, word, n) == 0)
            return i;
        ++i;
        p += len;
    }
    return -1;
}

void pb_word_add(char *list, size_t len, const char *word)
{
    if (pb_word_index(list, word) >= 0)
        return;
    const size_t used = strlen(list), sep = used ? 1 : 0;
    if (used + sep + strlen(word) < len)
        snprintf(list + used, len - used, "%s%s", sep ? " " : "", word);
}

static int by_strcmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void pb_word_sort(char *list)
{
    size_t n = 0, len = strlen(list);
    for (const char *c = list; *c; ++c)
        n += *c != ' ' && (c == list || c[-1] == ' ');
    char *copy = malloc(len + 1), **words = malloc((n ? n : 1) * sizeof *words);
    if (copy && words) {
        memcpy(copy, list, len + 1);
        n = 0;
        for (char *w = strtok(copy, " "); w; w = strtok(NULL, " "))
            words[n++] = w;
        qsort(words, n, sizeof *words, by_strcmp);
        list[0] = '\0';
        for (size_t i = 0; i < n; ++i)
            pb_word_add(list, len + 1, words[i]);
    }
    free(copy);
    free(words);
}

const char *pb_word_next(const char *list, char *buf, size_t len)
{
    while (*list == ' ')
        ++list;
    size_t n = strcspn(list, " ");
    if (n == 0)
        return NULL;
    snprintf(buf, len, "%.*s", (int)n, list);
    return list + n;
}
