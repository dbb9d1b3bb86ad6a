/* Format selection and the JSON report, which the other forms mirror. */
#include <stdlib.h>
#include <string.h>

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

static json_t *string_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *finding_json(const tc_finding *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "rule", json_string(f->rule));
    json_object_set_new(o, "severity", json_string(tc_severity_name(f->severity)));
    json_object_set_new(o, "message", json_string(f->message));
    json_object_set_new(o, "target", string_or_null(f->target));
    json_object_set_new(o, "file", string_or_null(f->file));
    json_object_set_new(o, "line", f->line ? json_integer(f->line) : json_null());
    json_object_set_new(o, "column", f->column ? json_integer(f->column) : json_null());
    json_object_set_new(o, "path", string_or_null(f->path));
    return o;
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
        json_array_append_new(targets, json_string(run->targets[i]));
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

    json_t *findings = json_array();
    for (size_t i = 0; i < run->findings.len; i++)
        json_array_append_new(findings, finding_json(&run->findings.items[i]));
    json_object_set_new(root, "findings", findings);

    const char *name;
    json_t *section;
    json_object_foreach(run->sections, name, section)
        json_object_set(root, name, section);
    return root;
}

int tc_report_render(const tc_run *run, tc_format format, char **out, size_t *len)
{
    char *s = NULL;
    switch (format) {
    case TC_FORMAT_JSON: {
        json_t *j = tc_report_json(run);
        char *dumped = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
        if (!dumped)
            return tc_error_set(TC_EINTERNAL, "cannot serialise the JSON report");
        s = tc_xasprintf("%s\n", dumped);
        free(dumped);
        break;
    }
    case TC_FORMAT_TEXT:
        s = tc_report_text(run);
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
