/* Running the pipeline and writing its report: shared by every command whose
 * result is a report (validate, assess, rerun). */
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "cli.h"
#include "report/report.h"
#include "rerun/rerun.h"

static void append(char **report, size_t *len, char *table)
{
    char *both = tc_xasprintf("%s\n%s", *report, table);
    free(table);
    free(*report);
    *report = both;
    *len = strlen(both);
}

/* The text report, followed by the readable tables of the sections that have one. */
static void append_section_tables(const tc_run *run, char **report, size_t *len)
{
    json_t *reruns = json_object_get(run->sections, "reruns");
    json_t *cred = json_object_get(run->sections, "credibility");
    if (reruns)
        append(report, len, tc_rerun_text(reruns));
    if (cred)
        append(report, len, tc_assess_text(cred));
}

int tc_cli_run_and_report(const tc_cli_command *cmd, const tc_options *opt, char *const *targets,
                          size_t ntargets, tc_format format, const char *output)
{
    tc_run run;
    tc_run_init(&run);
    int status = TC_EXIT_OK;
    char *report = NULL;
    size_t len = 0;
    tc_pipeline_run(&run, opt, targets, ntargets);
    if (run.nerrors) {
        for (size_t i = 0; i < run.nerrors; i++)
            fprintf(stderr, "twincheck %s: %s\n", cmd->name, run.errors[i]);
        status = TC_EXIT_USAGE;
        goto cleanup;
    }
    unsigned flags = tc_report_color_wanted(output) ? TC_REPORT_COLOR : 0;
    if (tc_report_render_flags(&run, format, flags, &report, &len) != 0) {
        fprintf(stderr, "twincheck %s: %s\n", cmd->name, tc_error_last());
        status = TC_EXIT_INTERNAL;
        goto cleanup;
    }
    if (format == TC_FORMAT_TEXT)
        append_section_tables(&run, &report, &len);
    if (tc_write_file(output, report, len) != 0) {
        fprintf(stderr, "twincheck %s: %s\n", cmd->name, tc_error_last());
        status = TC_EXIT_INTERNAL;
        goto cleanup;
    }
    status = tc_run_passed(&run) ? TC_EXIT_OK : TC_EXIT_FINDINGS;
cleanup:
    free(report);
    tc_run_release(&run);
    return status;
}
