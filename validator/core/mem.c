/* Allocation, growable strings and whole-file I/O. Running out of memory ends
 * the process with the internal-error status: no caller can do better. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core.h"

static void out_of_memory(size_t n)
{
    fprintf(stderr, "twincheck: out of memory (allocating %zu bytes)\n", n);
    exit(3);
}

void *tc_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        out_of_memory(n);
    return p;
}

void *tc_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        out_of_memory(n * size);
    return p;
}

void *tc_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        out_of_memory(n);
    return q;
}

char *tc_xstrdup(const char *s)
{
    return tc_xstrndup(s, strlen(s));
}

char *tc_xstrndup(const char *s, size_t n)
{
    char *p = tc_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *tc_xasprintf(const char *fmt, ...)
{
    tc_buf b = TC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return tc_buf_detach(&b);
}

void tc_grow(void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2 / size)
            out_of_memory(SIZE_MAX);
        n *= 2;
    }
    *items = tc_xrealloc(*items, n * size);
    *cap = n;
}

void tc_buf_add(tc_buf *b, const void *data, size_t n)
{
    TC_GROW(b->data, b->cap, b->len + n + 1);
    if (n)
        memcpy(b->data + b->len, data, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void tc_buf_puts(tc_buf *b, const char *s)
{
    tc_buf_add(b, s, strlen(s));
}

void tc_buf_vprintf(tc_buf *b, const char *fmt, va_list ap)
{
    /* Most texts (finding messages) are short: formatted once, on the stack, and
     * only formatted again when they are longer. */
    char local[256];
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(local, sizeof local, fmt, copy);
    va_end(copy);
    if (n < 0)
        return;
    TC_GROW(b->data, b->cap, b->len + (size_t)n + 1);
    if ((size_t)n < sizeof local)
        memcpy(b->data + b->len, local, (size_t)n + 1);
    else
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void tc_buf_printf(tc_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tc_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

char *tc_buf_detach(tc_buf *b)
{
    char *s = b->data ? b->data : tc_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return s;
}

void tc_buf_release(tc_buf *b)
{
    if (!b)
        return;
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int tc_read_file(const char *path, size_t max, unsigned char **out, size_t *len)
{
    int rc = 0;
    FILE *f = NULL;
    tc_buf b = TC_BUF_INIT;
    struct stat st;

    *out = NULL;
    *len = 0;
    f = fopen(path, "rb");
    if (!f) {
        rc = tc_error_set(errno == ENOENT ? TC_ENOTFOUND : TC_EIO, "cannot open %s: %s", path,
                          strerror(errno));
        goto cleanup;
    }
    if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode)) {
        rc = tc_error_set(TC_EIO, "%s is not a regular file", path);
        goto cleanup;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + n > max) {
            rc = tc_error_set(TC_ELIMIT, "%s is larger than the limit of %zu bytes", path, max);
            goto cleanup;
        }
        tc_buf_add(&b, chunk, n);
    }
    if (ferror(f)) {
        rc = tc_error_set(TC_EIO, "cannot read %s: %s", path, strerror(errno));
        goto cleanup;
    }
    *len = b.len;
    *out = (unsigned char *)tc_buf_detach(&b);
cleanup:
    if (f)
        fclose(f);
    tc_buf_release(&b);
    return rc;
}

int tc_write_file(const char *path, const void *data, size_t len)
{
    bool is_stdout = strcmp(path, "-") == 0;
    FILE *f = is_stdout ? stdout : fopen(path, "wb");
    if (!f)
        return tc_error_set(TC_EIO, "cannot write %s: %s", path, strerror(errno));
    size_t n = fwrite(data, 1, len, f);
    int bad = n != len || fflush(f) != 0;
    if (!is_stdout && fclose(f) != 0)
        bad = 1;
    if (bad)
        return tc_error_set(TC_EIO, "cannot write %s: %s", path, strerror(errno));
    return 0;
}
