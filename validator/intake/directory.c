/* The directory form: a folder laid out like an archive. Folders are opened
 * relative to their parent with O_NOFOLLOW, so a link swapped in while we walk
 * cannot lead us out. Links: a link to a file inside the package is read as
 * that file (as `zip -r` would store it); a link to a folder is not followed
 * (loops) and is reported; a link that leaves the package or dangles is an
 * error and is never read. Sockets, FIFOs and devices are never opened. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MAX_DEPTH 64

typedef struct walker {
    tc_intake *in;
    const char *root;
    char *root_real;
    size_t entries;
} walker;

/* Read an open regular file, bounded by the per-file and total limits. */
static bool read_fd(tc_intake *in, int fd, const char *path, unsigned char **out, size_t *outlen)
{
    uint64_t max = in->limits->max_file_size;
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    *out = NULL;
    *outlen = 0;
    for (;;) {
        TC_GROW(buf, cap, len + 65536 + 1);
        ssize_t n = read(fd, buf + len, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            tc_finding_add(in->fs, "omex:unreadable-file", TC_AT_FILE(path),
                           "%s cannot be read: %s", path, strerror(errno));
            free(buf);
            return false;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (!tc_intake_account(in, path, (uint64_t)n)) {
            free(buf);
            return false;
        }
        if (len > max) {
            tc_finding_add(in->fs, "omex:file-too-large", TC_AT_FILE(path),
                           "%s is larger than %llu bytes, the limit for one file; it was not read "
                           "further",
                           path, (unsigned long long)max);
            free(buf);
            return false;
        }
    }
    buf = buf ? buf : tc_xmalloc(1);
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return true;
}

static void add_regular(walker *w, int fd, char *path)
{
    unsigned char *data;
    size_t len;
    if (fd < 0) {
        tc_finding_add(w->in->fs, "omex:unreadable-file", TC_AT_FILE(path),
                       "%s cannot be opened: %s", path, strerror(errno));
        tc_intake_add(w->in, path, NULL, 0);
        return;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        tc_finding_add(w->in->fs, "omex:special-file", TC_AT_FILE(path),
                       "%s is not a regular file; it was not read", path);
        tc_intake_add(w->in, path, NULL, 0);
        close(fd);
        return;
    }
    if (read_fd(w->in, fd, path, &data, &len))
        tc_intake_add(w->in, path, data, len);
    else
        tc_intake_add(w->in, path, NULL, 0);
    close(fd);
}

static void add_link(walker *w, int dirfd, const char *name, char *path)
{
    char target[PATH_MAX];
    ssize_t n = readlinkat(dirfd, name, target, sizeof target - 1);
    target[n > 0 ? n : 0] = '\0';
    char *full = tc_xasprintf("%s/%s", w->root, path);
    char *real = realpath(full, NULL);
    size_t rootlen = strlen(w->root_real);
    const char *why = NULL;
    struct stat st;
    if (!real)
        why = "does not resolve to anything (dangling, or a loop of links)";
    else if (strncmp(real, w->root_real, rootlen) != 0 ||
             (real[rootlen] != '/' && real[rootlen] != '\0'))
        why = "leaves the package";
    else if (stat(real, &st) != 0)
        why = "cannot be examined";
    if (why) {
        tc_finding_add(w->in->fs, "omex:symlink-escape", TC_AT_FILE(path),
                       "%s is a symbolic link to '%s', which %s; links are not followed out of "
                       "the package, put the file itself there",
                       path, target, why);
        tc_intake_add(w->in, path, NULL, 0);
    } else if (S_ISDIR(st.st_mode)) {
        tc_finding_add(w->in->fs, "omex:symlink", TC_AT_FILE(path),
                       "%s is a symbolic link to the folder '%s' inside the package; links to "
                       "folders are not followed, put the folder itself there",
                       path, target);
        free(path);
    } else if (S_ISREG(st.st_mode)) {
        add_regular(w, open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC), path);
    } else {
        tc_finding_add(w->in->fs, "omex:special-file", TC_AT_FILE(path),
                       "%s links to something that is not a regular file; a package holds only "
                       "files and folders",
                       path);
        tc_intake_add(w->in, path, NULL, 0);
    }
    free(real);
    free(full);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Walk the folder open as `dirfd` (consumed), `rel` its path in the package. */
static void walk(walker *w, int dirfd, const char *rel, int depth)
{
    tc_intake *in = w->in;
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return;
    }
    /* Names sorted, so the walk (and where a limit stops it) is deterministic. */
    char **names = NULL;
    size_t nnames = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        TC_GROW(names, cap, nnames + 1);
        names[nnames++] = tc_xstrdup(e->d_name);
        if (nnames > in->limits->max_entries)
            break;
    }
    if (nnames > 1)
        qsort(names, nnames, sizeof *names, compare_names);
    for (size_t i = 0; i < nnames && !in->stopped; i++) {
        const char *name = names[i];
        if (++w->entries > in->limits->max_entries) {
            tc_finding_add(in->fs, "omex:too-many-entries", TC_AT_PACKAGE,
                           "the folder holds more than %zu files and folders, the limit; it was "
                           "not examined further",
                           in->limits->max_entries);
            in->stopped = true;
            break;
        }
        char *raw = rel[0] ? tc_xasprintf("%s/%s", rel, name) : tc_xstrdup(name);
        struct stat st;
        if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            free(raw);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            if (depth >= MAX_DEPTH) {
                tc_finding_add(in->fs, "omex:too-deep", TC_AT_FILE(raw),
                               "%s is nested more than %d folders deep; it was not examined", raw,
                               MAX_DEPTH);
            } else {
                int sub = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
                if (sub >= 0)
                    walk(w, sub, raw, depth + 1);
            }
            free(raw);
            continue;
        }
        char *path = tc_intake_entry_path(in, raw);
        free(raw);
        if (!path)
            continue;
        if (S_ISREG(st.st_mode)) {
            add_regular(w, openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC),
                        path);
        } else if (S_ISLNK(st.st_mode)) {
            add_link(w, dirfd, name, path);
        } else {
            tc_finding_add(in->fs, "omex:special-file", TC_AT_FILE(path),
                           "%s is a device, socket or FIFO, not a regular file; it was not read",
                           path);
            tc_intake_add(in, path, NULL, 0);
        }
    }
    for (size_t i = 0; i < nnames; i++)
        free(names[i]);
    free(names);
    closedir(d);
}

int tc_intake_read_directory(tc_intake *in, const char *target)
{
    walker w = {in, target, realpath(target, NULL), 0};
    int fd = w.root_real ? open(w.root_real, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd < 0) {
        int rc = tc_error_set(TC_EIO, "cannot read the folder %s: %s", target, strerror(errno));
        free(w.root_real);
        return rc;
    }
    walk(&w, fd, "", 0);
    free(w.root_real);
    return 0;
}
