/* twincheck validate: check packages and files and write a report. */
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "cli.h"
#include "pipeline/pipeline.h"
#include "report/report.h"

static const tc_cli_option options[] = {
    {"format", 'f', "FORMAT", "report format: text (default), json, sarif or junit"},
    {"output", 'o', "FILE", "write the report to FILE instead of standard output"},
    {"fail-on", 0, "LEVEL", "exit 1 when a finding is at or above LEVEL: error (default), "
                            "warning, info or fatal"},
    {"assess", 0, NULL, "also assess the credibility dossier (as 'twincheck assess' does)"},
    {"rerun", 0, NULL, "also re-run the SED-ML experiments (as 'twincheck rerun' does)"},
    {0},
};

enum { OPT_FORMAT, OPT_OUTPUT, OPT_FAIL_ON, OPT_ASSESS, OPT_RERUN };

typedef struct validate_args {
    const tc_cli_command *cmd;
    tc_format format;
    const char *output;
    tc_options opt;
} validate_args;

static int on_option(void *ctx, int index, const char *arg)
{
    validate_args *a = ctx;
    switch (index) {
    case OPT_FORMAT:
        if (tc_format_parse(arg, &a->format) != 0)
            return tc_cli_usage_error(a->cmd, "%s", tc_error_last());
        return 0;
    case OPT_OUTPUT:
        a->output = arg;
        return 0;
    case OPT_FAIL_ON:
        if (tc_severity_parse(arg, &a->opt.fail_on) != 0)
            return tc_cli_usage_error(a->cmd, "%s", tc_error_last());
        return 0;
    case OPT_ASSESS:
        a->opt.assess = true;
        a->opt.rerun = true; /* the re-run's results are evidence for the assessment */
        return 0;
    case OPT_RERUN:
        a->opt.rerun = true;
        return 0;
    }
    return -1;
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    validate_args a = {.cmd = cmd, .format = TC_FORMAT_TEXT, .output = "-",
                       .opt = TC_OPTIONS_INIT};
    int first = tc_cli_parse(cmd, argc, argv, on_option, &a);
    if (first == -2)
        return TC_EXIT_OK;
    if (first < 0)
        return TC_EXIT_USAGE;
    if (first >= argc)
        return tc_cli_usage_error(cmd, "no PATH to validate");

    return tc_cli_run_and_report(cmd, &a.opt, argv + first, (size_t)(argc - first), a.format,
                                 a.output);
}

const tc_cli_command tc_cmd_validate = {
    .name = "validate",
    .synopsis = "[--format text|json|sarif|junit] [-o FILE] [--fail-on LEVEL] [--assess] "
                "[--rerun] PATH...",
    .summary = "Validate twin packages (.omex archives or folders) and single files.",
    .options = options,
    .run = run,
};
