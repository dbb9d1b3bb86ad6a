/* Findings and the run that collects them. */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

void tc_findings_init(tc_findings *fs)
{
    memset(fs, 0, sizeof *fs);
}

static void finding_release(tc_finding *f)
{
    free(f->rule);
    free(f->also);
    free(f->message);
    free(f->target);
    free(f->file);
    free(f->path);
}

void tc_findings_release(tc_findings *fs)
{
    if (!fs)
        return;
    for (size_t i = 0; i < fs->len; i++)
        finding_release(&fs->items[i]);
    free(fs->items);
    memset(fs, 0, sizeof *fs);
}

static char *dup_or_null(const char *s)
{
    return s ? tc_xstrdup(s) : NULL;
}

void tc_finding_vadd_also(tc_findings *fs, const char *rule, const char *also, tc_severity sev,
                          tc_loc loc, const char *fmt, va_list ap)
{
    assert(!also || (tc_rule_find(also) && "also-id missing from rules/catalogue"));
    tc_buf msg = TC_BUF_INIT;
    tc_buf_vprintf(&msg, fmt, ap);
    const char *file = loc.file;
    while (file && file[0] == '.' && file[1] == '/')
        file += 2;
    TC_GROW(fs->items, fs->cap, fs->len + 1);
    fs->items[fs->len++] = (tc_finding){
        .rule = tc_xstrdup(rule),
        /* the same id twice would only be noise in every report */
        .also = also && strcmp(also, rule) != 0 ? tc_xstrdup(also) : NULL,
        .severity = sev,
        .message = tc_buf_detach(&msg),
        .target = dup_or_null(fs->target),
        .file = file && *file ? tc_xstrdup(file) : NULL,
        .line = loc.line > 0 ? loc.line : 0,
        .column = loc.column > 0 ? loc.column : 0,
        .path = dup_or_null(loc.path),
    };
}

void tc_finding_vadd(tc_findings *fs, const char *rule, tc_severity sev, tc_loc loc,
                     const char *fmt, va_list ap)
{
    tc_finding_vadd_also(fs, rule, NULL, sev, loc, fmt, ap);
}

void tc_finding_add_also(tc_findings *fs, const char *rule, const char *also, tc_loc loc,
                         const char *fmt, ...)
{
    const tc_rule *r = tc_rule_find(rule);
    assert(r && "rule id missing from rules/catalogue");
    va_list ap;
    va_start(ap, fmt);
    tc_finding_vadd_also(fs, rule, also, r ? r->severity : TC_ERROR, loc, fmt, ap);
    va_end(ap);
}

bool tc_finding_is(const tc_finding *f, const char *rule)
{
    return strcmp(f->rule, rule) == 0 || (f->also && strcmp(f->also, rule) == 0);
}

void tc_finding_add(tc_findings *fs, const char *rule, tc_loc loc, const char *fmt, ...)
{
    const tc_rule *r = tc_rule_find(rule);
    assert(r && "rule id missing from rules/catalogue");
    va_list ap;
    va_start(ap, fmt);
    tc_finding_vadd(fs, rule, r ? r->severity : TC_ERROR, loc, fmt, ap);
    va_end(ap);
}

void tc_finding_add_severity(tc_findings *fs, const char *rule, tc_severity sev, tc_loc loc,
                             const char *fmt, ...)
{
    assert(tc_rule_find(rule) && "rule id missing from rules/catalogue");
    va_list ap;
    va_start(ap, fmt);
    tc_finding_vadd(fs, rule, sev, loc, fmt, ap);
    va_end(ap);
}

static int cmp_str(const char *a, const char *b)
{
    if (!a || !b)
        return (a != NULL) - (b != NULL); /* NULL (whole target) first */
    return strcmp(a, b);
}

static int cmp_long(long a, long b)
{
    return (a > b) - (a < b);
}

static int compare_findings(const void *pa, const void *pb)
{
    const tc_finding *a = pa, *b = pb;
    int c;
    if ((c = cmp_str(a->target, b->target)) || (c = cmp_str(a->file, b->file)) ||
        (c = cmp_long(a->line, b->line)) || (c = cmp_long(a->column, b->column)) ||
        (c = strcmp(a->rule, b->rule)) || (c = cmp_str(a->also, b->also)) ||
        (c = cmp_str(a->message, b->message)) || (c = cmp_str(a->path, b->path)))
        return c;
    return 0;
}

void tc_findings_sort(tc_findings *fs)
{
    if (fs->len > 1)
        qsort(fs->items, fs->len, sizeof *fs->items, compare_findings);
}

void tc_findings_count(const tc_findings *fs, size_t counts[4])
{
    memset(counts, 0, 4 * sizeof counts[0]);
    for (size_t i = 0; i < fs->len; i++)
        counts[fs->items[i].severity]++;
}

void tc_run_init(tc_run *run)
{
    memset(run, 0, sizeof *run);
    tc_findings_init(&run->findings);
    run->sections = json_object();
    run->fail_on = TC_ERROR;
}

void tc_run_release(tc_run *run)
{
    if (!run)
        return;
    for (size_t i = 0; i < run->ntargets; i++)
        free(run->targets[i]);
    free(run->targets);
    for (size_t i = 0; i < run->nchecks; i++) {
        free(run->checks[i].target);
        free(run->checks[i].file);
        free(run->checks[i].stage);
    }
    free(run->checks);
    for (size_t i = 0; i < run->nerrors; i++)
        free(run->errors[i]);
    free(run->errors);
    tc_findings_release(&run->findings);
    json_decref(run->sections);
    memset(run, 0, sizeof *run);
}

void tc_run_add_target(tc_run *run, const char *target)
{
    TC_GROW(run->targets, run->captargets, run->ntargets + 1);
    run->targets[run->ntargets++] = tc_xstrdup(target);
}

void tc_run_add_check(tc_run *run, const char *target, const char *file, const char *stage)
{
    for (size_t i = 0; i < run->nchecks; i++) {
        const tc_check *c = &run->checks[i];
        if (!cmp_str(c->target, target) && !cmp_str(c->file, file) && !strcmp(c->stage, stage))
            return;
    }
    TC_GROW(run->checks, run->capchecks, run->nchecks + 1);
    run->checks[run->nchecks++] = (tc_check){tc_xstrdup(target), dup_or_null(file),
                                             tc_xstrdup(stage)};
}

void tc_run_add_error(tc_run *run, const char *message)
{
    TC_GROW(run->errors, run->caperrors, run->nerrors + 1);
    run->errors[run->nerrors++] = tc_xstrdup(message);
}

void tc_run_set_section(tc_run *run, const char *name, json_t *section)
{
    json_object_set_new(run->sections, name, section);
}

bool tc_run_passed(const tc_run *run)
{
    for (size_t i = 0; i < run->findings.len; i++)
        if (run->findings.items[i].severity >= run->fail_on)
            return false;
    return true;
}

static int compare_checks(const void *pa, const void *pb)
{
    const tc_check *a = pa, *b = pb;
    int c;
    if ((c = cmp_str(a->target, b->target)) || (c = cmp_str(a->file, b->file)))
        return c;
    return strcmp(a->stage, b->stage);
}

void tc_run_finish(tc_run *run)
{
    tc_findings_sort(&run->findings);
    if (run->nchecks > 1)
        qsort(run->checks, run->nchecks, sizeof *run->checks, compare_checks);
}
