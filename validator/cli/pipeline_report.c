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

void tc_cli_report_args_init(tc_cli_report_args *r, const tc_cli_command *cmd)
{
    *r = (tc_cli_report_args){.cmd = cmd, .format = TC_FORMAT_TEXT, .output = "-",
                              .opt = TC_OPTIONS_INIT};
}

int tc_cli_report_option(tc_cli_report_args *r, int index, const char *arg)
{
    const char *name = r->cmd->options[index].name;
    if (strcmp(name, "format") == 0) {
        if (tc_format_parse(arg, &r->format) != 0)
            return tc_cli_usage_error(r->cmd, "%s", tc_error_last());
        return 0;
    }
    if (strcmp(name, "output") == 0) {
        r->output = arg;
        return 0;
    }
    if (strcmp(name, "fail-on") == 0) {
        if (tc_severity_parse(arg, &r->opt.fail_on) != 0)
            return tc_cli_usage_error(r->cmd, "%s", tc_error_last());
        return 0;
    }
    return 1;
}

int tc_cli_report_main(tc_cli_report_args *r, int argc, char **argv, tc_cli_option_fn on_option,
                       const char *what)
{
    int first = tc_cli_parse(r->cmd, argc, argv, on_option, r);
    if (first == -2)
        return TC_EXIT_OK;
    if (first < 0)
        return TC_EXIT_USAGE;
    if (first >= argc)
        return tc_cli_usage_error(r->cmd, "no %s to %s", what, r->cmd->name);
    return tc_cli_run_and_report(r->cmd, &r->opt, argv + first, (size_t)(argc - first), r->format,
                                 r->output);
}
