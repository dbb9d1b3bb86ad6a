/* Paths inside a package: one normal form, so that "a/./b" and "a/b" are the
 * same entry and nothing can climb out of the package root. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "intake.h"

tc_path_status tc_path_normalize(const char *path, char **out)
{
    *out = NULL;
    if (path[0] == '/' || path[0] == '\\')
        return TC_PATH_ABSOLUTE;
    /* A drive letter is absolute on the systems where the archive may be unpacked. */
    if (isalpha((unsigned char)path[0]) && path[1] == ':')
        return TC_PATH_ABSOLUTE;
    for (const char *p = path; *p; p++)
        if (*p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return TC_PATH_INVALID;

    size_t n = strlen(path);
    char *res = tc_xmalloc(n + 1);
    size_t len = 0;
    const char *p = path;
    while (*p) {
        const char *end = strchr(p, '/');
        size_t seg = end ? (size_t)(end - p) : strlen(p);
        if (seg == 0 || (seg == 1 && p[0] == '.')) {
            /* empty or "." segment: nothing */
        } else if (seg == 2 && p[0] == '.' && p[1] == '.') {
            if (len == 0) {
                free(res);
                return TC_PATH_ESCAPES;
            }
            while (len > 0 && res[len - 1] != '/')
                len--;
            if (len > 0)
                len--; /* the slash before the dropped segment */
        } else {
            if (len)
                res[len++] = '/';
            memcpy(res + len, p, seg);
            len += seg;
        }
        p += seg;
        if (*p == '/')
            p++;
    }
    res[len] = '\0';
    if (len == 0) {
        free(res);
        return TC_PATH_EMPTY;
    }
    *out = res;
    return TC_PATH_OK;
}

char *tc_package_resolve(const tc_package *pkg, const char *from, const char *ref)
{
    (void)pkg;
    if (!ref[0] || ref[0] == '/')
        return NULL;
    /* A URI with a scheme ("http:", "urn:") is not a file of the package. */
    size_t scheme =
        strspn(ref, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    if (scheme > 1 && ref[scheme] == ':')
        return NULL;
    const char *slash = from ? strrchr(from, '/') : NULL;
    char *joined =
        slash ? tc_xasprintf("%.*s/%s", (int)(slash - from), from, ref) : tc_xstrdup(ref);
    char *norm = NULL;
    tc_path_normalize(joined, &norm);
    free(joined);
    return norm;
}
