/* The text report: findings grouped by target and file, compiler style. */
#include <string.h>

#include "report.h"

char *tc_report_text(const tc_run *run)
{
    tc_buf b = TC_BUF_INIT;
    const char *target = NULL, *file = NULL;
    for (size_t i = 0; i < run->findings.len; i++) {
        const tc_finding *f = &run->findings.items[i];
        bool new_target = !target || strcmp(target, f->target ? f->target : "") != 0;
        bool new_file = new_target || (file ? !f->file || strcmp(file, f->file) : !!f->file);
        if (new_target)
            tc_buf_printf(&b, "%s%s\n", i ? "\n" : "", f->target ? f->target : "");
        if (new_file && f->file)
            tc_buf_printf(&b, "  %s\n", f->file);
        target = f->target ? f->target : "";
        file = f->file;
        tc_buf_printf(&b, "    %s", f->file ? f->file : (f->target ? f->target : ""));
        if (f->line)
            tc_buf_printf(&b, ":%ld", f->line);
        if (f->line && f->column)
            tc_buf_printf(&b, ":%ld", f->column);
        tc_buf_printf(&b, ": %s: %s [%s]\n", tc_severity_name(f->severity), f->message, f->rule);
    }
    size_t counts[4];
    tc_findings_count(&run->findings, counts);
    tc_buf_printf(&b, "%s%s: %zu fatal, %zu error, %zu warning, %zu info\n",
                  run->findings.len ? "\n" : "", tc_run_passed(run) ? "PASS" : "FAIL",
                  counts[TC_FATAL], counts[TC_ERROR], counts[TC_WARNING], counts[TC_INFO]);
    return tc_buf_detach(&b);
}
