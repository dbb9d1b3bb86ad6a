/*
 * JUnit XML in the layout Jenkins, GitLab and most CI dashboards read:
 * <testsuites> holds one <testsuite> per target; each (file, stage) checked is
 * a <testcase> (classname = stage, name = target and file). Findings at or
 * above the fail level make the test case's <failure>; lower ones go to its
 * <system-out>. No timestamps or timings: the report is deterministic.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "twincheck/version.h"

/* Escape for XML 1.0 text and attribute values. Characters XML 1.0 cannot
 * carry at all (most C0 controls, U+FFFE, U+FFFF) become U+FFFD; in attributes
 * tab and newline are escaped so they survive attribute normalisation. */
static void put_xml(tc_buf *b, const char *s, bool attribute)
{
    char *clean = tc_report_utf8(s);
    for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
        unsigned char c = *p;
        if (c == '&')
            tc_buf_puts(b, "&amp;");
        else if (c == '<')
            tc_buf_puts(b, "&lt;");
        else if (c == '>')
            tc_buf_puts(b, "&gt;");
        else if (c == '"' && attribute)
            tc_buf_puts(b, "&quot;");
        else if ((c == '\n' || c == '\t' || c == '\r') && attribute)
            tc_buf_printf(b, "&#%d;", c);
        else if (c == '\r')
            tc_buf_puts(b, "&#13;");
        else if (c < 0x20 && c != '\n' && c != '\t')
            tc_buf_puts(b, "\xef\xbf\xbd");
        else if (c == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
            tc_buf_puts(b, "\xef\xbf\xbd"); /* U+FFFE, U+FFFF */
            p += 2;
        } else
            tc_buf_add(b, p, 1);
    }
    free(clean);
}

/* One test case: a check, or a (target, file, stage) that has findings but
 * was not recorded as a check (so no finding is lost). */
typedef struct junit_case {
    const char *target;
    const char *file;
    char *stage;
    const tc_finding **findings;
    size_t nfindings, cap;
    bool failed;
} junit_case;

static int compare_cases(const void *pa, const void *pb)
{
    const junit_case *a = pa, *b = pb;
    int c = strcmp(a->target, b->target);
    if (c)
        return c;
    if (!a->file || !b->file)
        c = (a->file != NULL) - (b->file != NULL);
    else
        c = strcmp(a->file, b->file);
    return c ? c : strcmp(a->stage, b->stage);
}

static junit_case *find_case(junit_case *sorted, size_t n, const char *target, const char *file,
                             char *stage)
{
    junit_case key = {.target = target, .file = file, .stage = stage};
    return bsearch(&key, sorted, n, sizeof *sorted, compare_cases);
}

/* Add a case unless `seen` has it already (a set, so large packages stay linear). */
static void add_case(junit_case **cases, size_t *n, size_t *cap, json_t *seen, const char *target,
                     const char *file, const char *stage)
{
    char *key = tc_xasprintf("%s\n%c%s\n%s", target, file ? 'f' : '-', file ? file : "", stage);
    if (!json_object_get(seen, key)) {
        json_object_set_new_nocheck(seen, key, json_true());
        TC_GROW(*cases, *cap, *n + 1);
        (*cases)[(*n)++] = (junit_case){.target = target, .file = file, .stage = tc_xstrdup(stage)};
    }
    free(key);
}

static void put_finding_line(tc_buf *b, const tc_finding *f)
{
    tc_buf line = TC_BUF_INIT;
    tc_buf_puts(&line, f->file ? f->file : (f->target ? f->target : ""));
    if (f->line)
        tc_buf_printf(&line, ":%ld", f->line);
    if (f->line && f->column)
        tc_buf_printf(&line, ":%ld", f->column);
    tc_buf_printf(&line, ": %s: %s", tc_severity_name(f->severity), f->message);
    if (f->path)
        tc_buf_printf(&line, " (at %s)", f->path[0] ? f->path : "the document root");
    char *rules = tc_report_rule_label(f);
    tc_buf_printf(&line, " [%s]\n", rules);
    free(rules);
    put_xml(b, line.data, false);
    tc_buf_release(&line);
}

static void put_case(tc_buf *b, const junit_case *c, tc_severity fail_on)
{
    char *name = tc_report_display_name(c->target, c->file);
    tc_buf_puts(b, "    <testcase classname=\"");
    put_xml(b, c->stage, true);
    tc_buf_puts(b, "\" name=\"");
    put_xml(b, name, true);
    free(name);
    if (c->nfindings == 0) {
        tc_buf_puts(b, "\"/>\n");
        return;
    }
    tc_buf_puts(b, "\">\n");

    size_t failing = 0, other = 0;
    tc_severity worst = TC_INFO;
    for (size_t i = 0; i < c->nfindings; i++) {
        if (c->findings[i]->severity >= fail_on) {
            failing++;
            if (c->findings[i]->severity > worst)
                worst = c->findings[i]->severity;
        } else {
            other++;
        }
    }
    if (failing) {
        const tc_finding *first = NULL;
        for (size_t i = 0; i < c->nfindings && !first; i++)
            if (c->findings[i]->severity >= fail_on)
                first = c->findings[i];
        char *rules = tc_report_rule_label(first);
        char *message = failing == 1
                            ? tc_xasprintf("%s [%s]", first->message, rules)
                            : tc_xasprintf("%zu findings at or above %s, first: %s [%s]", failing,
                                           tc_severity_name(fail_on), first->message, rules);
        free(rules);
        tc_buf_puts(b, "      <failure message=\"");
        put_xml(b, message, true);
        tc_buf_printf(b, "\" type=\"%s\">", tc_severity_name(worst));
        free(message);
        for (size_t i = 0; i < c->nfindings; i++)
            if (c->findings[i]->severity >= fail_on)
                put_finding_line(b, c->findings[i]);
        tc_buf_puts(b, "</failure>\n");
    }
    if (other) {
        tc_buf_puts(b, "      <system-out>");
        for (size_t i = 0; i < c->nfindings; i++)
            if (c->findings[i]->severity < fail_on)
                put_finding_line(b, c->findings[i]);
        tc_buf_puts(b, "</system-out>\n");
    }
    tc_buf_puts(b, "    </testcase>\n");
}

char *tc_report_junit(const tc_run *run)
{
    size_t n = 0, cap = 0;
    junit_case *cases = NULL;
    json_t *seen = json_object();
    for (size_t i = 0; i < run->nchecks; i++) {
        const tc_check *k = &run->checks[i];
        add_case(&cases, &n, &cap, seen, k->target ? k->target : "", k->file, k->stage);
    }
    for (size_t i = 0; i < run->findings.len; i++) {
        const tc_finding *f = &run->findings.items[i];
        char *stage = tc_rule_stage(f->rule);
        add_case(&cases, &n, &cap, seen, f->target ? f->target : "", f->file, stage);
        free(stage);
    }
    json_decref(seen);
    if (n > 1)
        qsort(cases, n, sizeof *cases, compare_cases);
    for (size_t i = 0; i < run->findings.len; i++) {
        const tc_finding *f = &run->findings.items[i];
        char *stage = tc_rule_stage(f->rule);
        junit_case *c = find_case(cases, n, f->target ? f->target : "", f->file, stage);
        free(stage);
        if (!c)
            continue; /* not reached: add_case made a case for every finding */
        TC_GROW(c->findings, c->cap, c->nfindings + 1);
        c->findings[c->nfindings++] = f;
        if (f->severity >= run->fail_on)
            c->failed = true;
    }

    size_t failures = 0;
    for (size_t i = 0; i < n; i++)
        failures += cases[i].failed;

    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    tc_buf_printf(&b,
                  "<testsuites name=\"twincheck %s\" tests=\"%zu\" failures=\"%zu\" "
                  "errors=\"0\" skipped=\"0\">\n",
                  TWINCHECK_VERSION, n, failures);
    /* Cases are sorted by target: one suite per run of equal targets. */
    for (size_t i = 0, id = 0; i < n; id++) {
        size_t end = i, suite_failures = 0;
        while (end < n && strcmp(cases[end].target, cases[i].target) == 0)
            suite_failures += cases[end++].failed;
        tc_buf_puts(&b, "  <testsuite name=\"");
        put_xml(&b, cases[i].target, true);
        tc_buf_printf(&b,
                      "\" id=\"%zu\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" "
                      "skipped=\"0\">\n",
                      id, end - i, suite_failures);
        tc_buf_printf(&b,
                      "    <properties>\n"
                      "      <property name=\"twincheck.version\" value=\"%s\"/>\n"
                      "      <property name=\"twincheck.fail-on\" value=\"%s\"/>\n"
                      "      <property name=\"twincheck.rules-digest\" value=\"%s\"/>\n"
                      "    </properties>\n",
                      TWINCHECK_VERSION, tc_severity_name(run->fail_on), tc_rules_digest());
        for (; i < end; i++)
            put_case(&b, &cases[i], run->fail_on);
        tc_buf_puts(&b, "  </testsuite>\n");
    }
    tc_buf_puts(&b, "</testsuites>\n");

    for (size_t i = 0; i < n; i++) {
        free(cases[i].stage);
        free(cases[i].findings);
    }
    free(cases);
    return tc_buf_detach(&b);
}
