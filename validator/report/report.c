/* Format selection, helpers shared by the renderers, and the JSON report,
 * which the other forms mirror. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report.h"
#include "twincheck/version.h"

static const char *const format_names[] = {"text", "json", "sarif", "junit"};

int tc_format_parse(const char *name, tc_format *out)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++) {
        if (strcmp(name, format_names[i]) == 0) {
            *out = (tc_format)i;
            return 0;
        }
    }
    return tc_error_set(TC_EUSAGE, "unknown format '%s' (expected text, json, sarif or junit)",
                        name);
}

const char *tc_format_name(tc_format format)
{
    return format_names[format];
}

bool tc_report_color_wanted(const char *output)
{
    /* NO_COLOR set to anything (even empty) turns colour off; see no-color.org. */
    if (getenv("NO_COLOR"))
        return false;
    if (strcmp(output, "-") != 0 || !isatty(STDOUT_FILENO))
        return false;
    const char *term = getenv("TERM");
    return !(term && strcmp(term, "dumb") == 0);
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when it is not one
 * (stray continuation, overlong form, surrogate, beyond U+10FFFF, truncated). */
static size_t utf8_valid_len(const unsigned char *s)
{
    unsigned char c = s[0];
    if (c < 0x80)
        return 1;
    size_t n;
    unsigned long cp, min;
    if (c >= 0xc2 && c <= 0xdf) {
        n = 2, cp = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, cp = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, cp = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        cp = (cp << 6) | (s[i] & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

char *tc_report_utf8(const char *s)
{
    tc_buf b = TC_BUF_INIT;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    tc_buf_puts(&b, "");
    while (*p) {
        size_t n = utf8_valid_len(p);
        if (n == 0) {
            tc_buf_puts(&b, "\xef\xbf\xbd"); /* U+FFFD */
            p++;
        } else {
            tc_buf_add(&b, p, n);
            p += n;
        }
    }
    return tc_buf_detach(&b);
}

bool tc_report_file_is_target(const char *target, const char *file)
{
    if (!target || !file)
        return false;
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    if (strcmp(base, file) != 0)
        return false;
    /* A directory may hold a file of its own name; a regular file cannot. */
    struct stat st;
    return !(stat(target, &st) == 0 && S_ISDIR(st.st_mode));
}

char *tc_report_display_name(const char *target, const char *file)
{
    if (!target)
        return tc_xstrdup(file ? file : "");
    if (!file || tc_report_file_is_target(target, file))
        return tc_xstrdup(target);
    size_t n = strlen(target);
    bool slash = n > 0 && target[n - 1] == '/';
    return tc_xasprintf("%s%s%s", target, slash ? "" : "/", file);
}

char *tc_report_rule_label(const tc_finding *f)
{
    return f->also ? tc_xasprintf("%s, also %s", f->rule, f->also) : tc_xstrdup(f->rule);
}

/* ---- the JSON report ------------------------------------------------------- */

static json_t *text_json(const char *s)
{
    char *clean = tc_report_utf8(s);
    json_t *j = json_string(clean);
    free(clean);
    return j;
}

static json_t *text_or_null(const char *s)
{
    return s ? text_json(s) : json_null();
}

static json_t *finding_json(const tc_finding *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", text_json(f->rule));
    json_object_set_new(o, "also", text_or_null(f->also));
    json_object_set_new(o, "severity", json_string(tc_severity_name(f->severity)));
    json_object_set_new(o, "message", text_json(f->message));
    json_object_set_new(o, "target", text_or_null(f->target));
    json_object_set_new(o, "file", text_or_null(f->file));
    json_object_set_new(o, "line", f->line ? json_integer(f->line) : json_null());
    json_object_set_new(o, "column", f->column ? json_integer(f->column) : json_null());
    json_object_set_new(o, "path", text_or_null(f->path));
    return o;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Later stages' sections, in name order so the bytes do not depend on the order
 * the stages ran in. A section may not replace a key of the report itself. */
static void add_sections(json_t *root, const json_t *sections)
{
    size_t n = json_object_size(sections);
    if (n == 0)
        return;
    const char **names = tc_xcalloc(n, sizeof *names);
    size_t k = 0;
    const char *name;
    json_t *section;
    json_object_foreach((json_t *)sections, name, section) names[k++] = name;
    qsort(names, k, sizeof *names, compare_names);
    for (size_t i = 0; i < k; i++)
        if (!json_object_get(root, names[i]))
            json_object_set(root, names[i], json_object_get(sections, names[i]));
    free(names);
}

json_t *tc_report_json(const tc_run *run)
{
    json_t *root = json_object();
    json_t *tool = json_object();
    json_object_set_new(tool, "name", json_string("twincheck"));
    json_object_set_new(tool, "version", json_string(TWINCHECK_VERSION));
    json_object_set_new(tool, "rules_digest", json_string(tc_rules_digest()));
    json_object_set_new(root, "tool", tool);

    json_t *targets = json_array();
    for (size_t i = 0; i < run->ntargets; i++)
        json_array_append_new(targets, text_json(run->targets[i]));
    json_object_set_new(root, "targets", targets);
    json_object_set_new(root, "verdict", json_string(tc_run_passed(run) ? "pass" : "fail"));
    json_object_set_new(root, "fail_on", json_string(tc_severity_name(run->fail_on)));

    size_t counts[4];
    tc_findings_count(&run->findings, counts);
    json_t *summary = json_object();
    for (int s = TC_FATAL; s >= TC_INFO; s--)
        json_object_set_new(summary, tc_severity_name((tc_severity)s),
                            json_integer((json_int_t)counts[s]));
    json_object_set_new(root, "summary", summary);

    json_t *checks = json_array();
    for (size_t i = 0; i < run->nchecks; i++) {
        const tc_check *c = &run->checks[i];
        json_t *o = json_object();
        json_object_set_new(o, "target", text_json(c->target));
        json_object_set_new(o, "file", text_or_null(c->file));
        json_object_set_new(o, "stage", text_json(c->stage));
        json_array_append_new(checks, o);
    }
    json_object_set_new(root, "checks", checks);

    json_t *findings = json_array();
    for (size_t i = 0; i < run->findings.len; i++)
        json_array_append_new(findings, finding_json(&run->findings.items[i]));
    json_object_set_new(root, "findings", findings);

    add_sections(root, run->sections);
    return root;
}

static char *json_text(const tc_run *run)
{
    json_t *j = tc_report_json(run);
    char *dumped = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!dumped)
        return NULL;
    char *s = tc_xasprintf("%s\n", dumped);
    free(dumped);
    return s;
}

int tc_report_render_flags(const tc_run *run, tc_format format, unsigned flags, char **out,
                           size_t *len)
{
    char *s = NULL;
    *out = NULL;
    *len = 0;
    switch (format) {
    case TC_FORMAT_JSON:
        s = json_text(run);
        break;
    case TC_FORMAT_TEXT:
        s = tc_report_text(run, (flags & TC_REPORT_COLOR) != 0);
        break;
    case TC_FORMAT_SARIF:
        s = tc_report_sarif(run);
        break;
    case TC_FORMAT_JUNIT:
        s = tc_report_junit(run);
        break;
    }
    if (!s)
        return tc_error_set(TC_EINTERNAL, "cannot render the %s report", tc_format_name(format));
    *out = s;
    *len = strlen(s);
    return 0;
}

int tc_report_render(const tc_run *run, tc_format format, char **out, size_t *len)
{
    return tc_report_render_flags(run, format, 0, out, len);
}
