#define _POSIX_C_SOURCE 200809L
#include "atomic_file.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pb_atomic_open(pb_atomic_file *af, const char *path, char *err, size_t errlen)
{
    memset(af, 0, sizeof *af);
    if (strlen(path) + 16 >= sizeof af->tmp_path) {
        snprintf(err, errlen, "output path too long: %s", path);
        return -1;
    }
    char dir_buf[PATH_MAX];
    snprintf(dir_buf, sizeof dir_buf, "%s", path);
    const char *dir = dirname(dir_buf);
    struct stat st;
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "output directory does not exist: %s", dir);
        return -1;
    }
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        snprintf(err, errlen, "output path is a directory: %s", path);
        return -1;
    }
    snprintf(af->final_path, sizeof af->final_path, "%s", path);
    snprintf(af->tmp_path, sizeof af->tmp_path, "%s.tmpXXXXXX", path);
    int fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a file in %s: %s", dir, strerror(errno));
        return -1;
    }
    /* mkstemp makes 0600 files; give outputs the usual umask permissions. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    af->f = fdopen(fd, "wb");
    if (af->f == NULL) {
        snprintf(err, errlen, "cannot open %s: %s", af->tmp_path, strerror(errno));
        close(fd);
        unlink(af->tmp_path);
        return -1;
    }
    return 0;
}

int pb_atomic_commit(pb_atomic_file *af, char *err, size_t errlen)
{
    int failed = ferror(af->f) | fflush(af->f);
    failed |= fsync(fileno(af->f));
    failed |= fclose(af->f);
    af->f = NULL;
    if (failed) {
        snprintf(err, errlen, "cannot write %s: %s", af->final_path, strerror(errno));
        unlink(af->tmp_path);
        return -1;
    }
    if (rename(af->tmp_path, af->final_path) != 0) {
        snprintf(err, errlen, "cannot rename into %s: %s", af->final_path, strerror(errno));
        unlink(af->tmp_path);
        return -1;
    }
    return 0;
}

void pb_atomic_abort(pb_atomic_file *af)
{
    if (af->f != NULL) {
        fclose(af->f);
        af->f = NULL;
    }
    if (af->tmp_path[0] != '\0')
        unlink(af->tmp_path);
}
