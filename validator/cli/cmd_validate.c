/* twincheck validate: check packages and files and write a report. */
#include "cli.h"

static const tc_cli_option options[] = {
    TC_CLI_REPORT_OPTIONS,
    {"assess", 0, NULL, "also assess the credibility dossier (as 'twincheck assess' does)"},
    {"rerun", 0, NULL, "also re-run the SED-ML experiments (as 'twincheck rerun' does)"},
    {0},
};

enum { OPT_ASSESS = 3, OPT_RERUN };

static int on_option(void *ctx, int index, const char *arg)
{
    tc_cli_report_args *a = ctx;
    int rc = tc_cli_report_option(a, index, arg);
    if (rc != 1)
        return rc;
    switch (index) {
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
    tc_cli_report_args a;
    tc_cli_report_args_init(&a, cmd);
    return tc_cli_report_main(&a, argc, argv, on_option, "PATH");
}

const tc_cli_command tc_cmd_validate = {
    .name = "validate",
    .synopsis = "[--format text|json|sarif|junit] [-o FILE] [--fail-on LEVEL] [--assess] "
                "[--rerun] PATH...",
    .summary = "Validate twin packages (.omex archives or folders) and single files.",
    .options = options,
    .run = run,
};
