/*
 * report: render a finished run in the formats its readers use — text for
 * terminals, JSON for repositories and scripts, SARIF 2.1.0 for code-scanning
 * tools, JUnit XML for CI dashboards. Every format is deterministic: the same
 * run gives the same bytes.
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

/* Render the run (after tc_run_finish). *out is NUL-terminated; caller frees. */
int tc_report_render(const tc_run *run, tc_format format, char **out, size_t *len);

/* The JSON report as a jansson value (new reference), for reuse by the
 * certificate and other stages. */
json_t *tc_report_json(const tc_run *run);

/* Individual renderers, behind tc_report_render. */
char *tc_report_text(const tc_run *run);
char *tc_report_sarif(const tc_run *run);
char *tc_report_junit(const tc_run *run);

#endif
