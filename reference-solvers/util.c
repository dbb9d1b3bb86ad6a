/* Allocation, error messages, origins and the name map of the solvers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void *tc_solv_alloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p) {
        fprintf(stderr, "twincheck: out of memory\n");
        abort();
    }
    return p;
}

void *tc_solv_realloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "twincheck: out of memory\n");
        abort();
    }
    return q;
}

char *tc_solv_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    return memcpy(tc_solv_alloc(n), s, n);
}

static _Thread_local char last_error[1024];

static const char *const status_names[] = {
#define TC_X(name, msg) #name,
    TC_SOLVER_STATUSES(TC_X)
#undef TC_X
};

const char *tc_solver_status_name(int status)
{
    return status <= 0 && -status < TC_SOLVER_STATUS_COUNT ? status_names[-status] : "?";
}

const char *tc_solver_error(void)
{
    return last_error;
}

int tc_solver_fail(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return code;
}

tc_sorigin tc_sorigin_copy(tc_origin o)
{
    return (tc_sorigin){tc_solv_strdup(o.file), o.line, tc_solv_strdup(o.id)};
}

tc_sorigin tc_sorigin_dup(const tc_sorigin *o)
{
    return (tc_sorigin){tc_solv_strdup(o->file), o->line, tc_solv_strdup(o->id)};
}

void tc_sorigin_release(tc_sorigin *o)
{
    free(o->file);
    free(o->id);
    o->file = o->id = NULL;
}

const char *tc_sorigin_text(const tc_sorigin *o, char *buf, size_t size)
{
    buf[0] = '\0';
    if (!o || (!o->file && !o->id && !o->line))
        return buf;
    char line[32] = "";
    if (o->line > 0)
        snprintf(line, sizeof line, ":%ld", o->line);
    if (o->id)
        snprintf(buf, size, " (%s%s%sid '%s')", o->file ? o->file : "", line,
                 o->file || o->line > 0 ? ", " : "", o->id);
    else
        snprintf(buf, size, " (%s%s)", o->file ? o->file : "", line);
    return buf;
}

/* FNV-1a */
static size_t hash(const char *s)
{
    size_t h = 1469598103934665603u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211u;
    return h;
}

void tc_namemap_put(tc_namemap *m, const char *key, size_t value)
{
    if (2 * (m->len + 1) > m->cap) {
        tc_namemap old = *m;
        m->cap = old.cap ? 2 * old.cap : 16;
        m->keys = tc_solv_alloc(m->cap * sizeof *m->keys);
        m->values = tc_solv_alloc(m->cap * sizeof *m->values);
        m->len = 0;
        for (size_t i = 0; i < old.cap; i++)
            if (old.keys[i])
                tc_namemap_put(m, old.keys[i], old.values[i]);
        free(old.keys);
        free(old.values);
    }
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & (m->cap - 1);
    if (!m->keys[i])
        m->len++;
    m->keys[i] = key;
    m->values[i] = value;
}

long tc_namemap_get(const tc_namemap *m, const char *key)
{
    if (!m->cap || !key)
        return -1;
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (strcmp(m->keys[i], key) == 0)
            return (long)m->values[i];
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

void tc_namemap_release(tc_namemap *m)
{
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}
