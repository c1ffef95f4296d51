#include "results_dir.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* mkdir -p: every missing directory of path, which fits in PATH_MAX. */
static int make_parents(const char *path)
{
    char part[4096];
    const size_t n = strlen(path);
    if (n >= sizeof part)
        return errno = ENAMETOOLONG, -1;
    for (size_t i = 1; i <= n; ++i)
        if (i == n || path[i] == '/') {
            memcpy(part, path, i);
            part[i] = '\0';
            if (mkdir(part, 0777) != 0 && errno != EEXIST)
                return -1;
        }
    return 0;
}

int pb_results_dir_make(const char *root, const char *machine, const char *suffix, char *out, size_t len, char *err,
                        size_t errlen)
{
    char stamp[32];
    const time_t now = time(NULL);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime(&now));
    int n = snprintf(out, len, "%s/%s/%s%s", root, machine, stamp, suffix);
    const size_t base = (size_t)n;
    for (int k = 2; n >= 0 && (size_t)n < len && access(out, F_OK) == 0; ++k)
        n = snprintf(out + base, len - base, "-%d", k) + (int)base;
    if (n < 0 || (size_t)n >= len) {
        snprintf(err, errlen, "results directory path too long under %s", root);
        return -1;
    }
    if (make_parents(out) != 0) {
        snprintf(err, errlen, "cannot create results directory %s: %s", out, strerror(errno));
        return -1;
    }
    return 0;
}
