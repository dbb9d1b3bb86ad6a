/* The text report for terminals: one compiler-style line per finding,
 * `file:line:col: severity: message [rule]`, a blank line between files, and a
 * summary line. Editors and terminals can jump to the locations. */
#include <stdlib.h>
#include <string.h>

#include "report.h"

#define SGR_RESET "\033[0m"
#define SGR_BOLD "\033[1m"

static const char *severity_colour(tc_severity s)
{
    switch (s) {
    case TC_FATAL:
    case TC_ERROR:
        return "\033[1;31m"; /* bold red */
    case TC_WARNING:
        return "\033[1;33m"; /* bold yellow */
    case TC_INFO:
        break;
    }
    return "\033[1;36m"; /* bold cyan */
}

/* Text that came from the input (messages quote file content, file names are
 * the submitter's) must not drive the terminal: control characters are shown
 * as \xNN, so one finding stays on one line and no escape sequence gets out. */
static void put_safe(tc_buf *b, const char *s)
{
    char *clean = tc_report_utf8(s);
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            tc_buf_printf(b, "\\x%02x", *p);
        else
            tc_buf_add(b, p, 1);
    }
    free(clean);
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

char *tc_report_text(const tc_run *run, bool color)
{
    tc_buf b = TC_BUF_INIT;
    const tc_finding *prev = NULL;
    size_t files_with_findings = 0;
    for (size_t i = 0; i < run->findings.len; i++) {
        const tc_finding *f = &run->findings.items[i];
        if (!prev || !same(prev->target, f->target) || !same(prev->file, f->file)) {
            if (prev)
                tc_buf_puts(&b, "\n");
            if (f->file)
                files_with_findings++;
        }
        prev = f;
        char *where = tc_report_display_name(f->target, f->file);
        if (color)
            tc_buf_puts(&b, SGR_BOLD);
        put_safe(&b, where);
        free(where);
        if (f->line)
            tc_buf_printf(&b, ":%ld", f->line);
        if (f->line && f->column)
            tc_buf_printf(&b, ":%ld", f->column);
        tc_buf_puts(&b, ":");
        if (color)
            tc_buf_printf(&b, SGR_RESET " %s%s" SGR_RESET ": ", severity_colour(f->severity),
                          tc_severity_name(f->severity));
        else
            tc_buf_printf(&b, " %s: ", tc_severity_name(f->severity));
        put_safe(&b, f->message);
        if (f->path) { /* "" is the JSON pointer of the whole document */
            tc_buf_puts(&b, " (at ");
            put_safe(&b, f->path[0] ? f->path : "the document root");
            tc_buf_puts(&b, ")");
        }
        char *rules = tc_report_rule_label(f);
        tc_buf_puts(&b, " [");
        put_safe(&b, rules);
        tc_buf_puts(&b, "]\n");
        free(rules);
    }

    /* Files checked: distinct (target, file) among the checks, which are sorted. */
    size_t files = 0;
    for (size_t i = 0; i < run->nchecks; i++) {
        const tc_check *c = &run->checks[i];
        if (c->file && (i == 0 || !same(run->checks[i - 1].target, c->target) ||
                        !same(run->checks[i - 1].file, c->file)))
            files++;
    }
    if (files < files_with_findings) /* e.g. a file the manifest names but the package lacks */
        files = files_with_findings;
    size_t counts[4];
    tc_findings_count(&run->findings, counts);
    bool passed = tc_run_passed(run);
    if (run->findings.len)
        tc_buf_puts(&b, "\n");
    if (color)
        tc_buf_puts(&b, passed ? "\033[1;32m" : "\033[1;31m");
    tc_buf_puts(&b, passed ? "PASS" : "FAIL");
    if (color)
        tc_buf_puts(&b, SGR_RESET);
    tc_buf_printf(&b,
                  ": %zu fatal, %zu error, %zu warning, %zu info; findings in %zu of %zu "
                  "file%s checked (fail level: %s)\n",
                  counts[TC_FATAL], counts[TC_ERROR], counts[TC_WARNING], counts[TC_INFO],
                  files_with_findings, files, files == 1 ? "" : "s",
                  tc_severity_name(run->fail_on));
    return tc_buf_detach(&b);
}
