/*
 * report: render a finished run in the formats its readers use — text for
 * terminals, JSON for repositories and scripts, SARIF 2.1.0 for code-scanning
 * tools, JUnit XML for CI dashboards. Every format is deterministic: the same
 * run gives the same bytes. docs/report-formats.md describes each one, and
 * docs/report.schema.json the JSON report.
 */
#ifndef TC_REPORT_H
#define TC_REPORT_H

#include "core/core.h"

typedef enum tc_format {
    TC_FORMAT_TEXT,
    TC_FORMAT_JSON,
    TC_FORMAT_SARIF,
    TC_FORMAT_JUNIT,
} tc_format;

/* "text", "json", "sarif" or "junit"; TC_EUSAGE otherwise. */
int tc_format_parse(const char *name, tc_format *out);
const char *tc_format_name(tc_format format);

/* Rendering flags. */
enum {
    TC_REPORT_COLOR = 1u << 0, /* ANSI colours in the text form (ignored by the others) */
};

/* Render the run (after tc_run_finish). *out is NUL-terminated; caller frees. */
int tc_report_render(const tc_run *run, tc_format format, char **out, size_t *len);
int tc_report_render_flags(const tc_run *run, tc_format format, unsigned flags, char **out,
                           size_t *len);

/* Whether a text report written to `output` ("-" is standard output) should be
 * coloured: only on a terminal, and only when NO_COLOR is not set at all. */
bool tc_report_color_wanted(const char *output);

/* The JSON report as a jansson value (new reference), for reuse by the
 * certificate and other stages. */
json_t *tc_report_json(const tc_run *run);

/* Individual renderers, behind tc_report_render. Each returns a string the
 * caller frees. */
char *tc_report_text(const tc_run *run, bool color);
char *tc_report_sarif(const tc_run *run);
char *tc_report_junit(const tc_run *run);

/* ---- shared by the renderers ------------------------------------------------ */
/* A copy of `s` that is valid UTF-8: each byte that does not start a valid
 * sequence becomes U+FFFD. Caller frees. */
char *tc_report_utf8(const char *s);
/* true when `file` names the target itself: a single file given on the command
 * line (its base name), rather than a file inside a directory or archive. */
bool tc_report_file_is_target(const char *target, const char *file);
/* "TARGET/FILE", or TARGET alone when there is no file or the file is the
 * target itself. Caller frees. */
char *tc_report_display_name(const char *target, const char *file);
/* The finding's rule id as the text forms show it: "sbml:10501", or with the id it
 * also answers to, "sbml:10501, also sbml:90501". Caller frees. */
char *tc_report_rule_label(const tc_finding *f);

#endif
