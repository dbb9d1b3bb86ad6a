/* twincheck assess: validate packages and assess their credibility dossiers
 * against a rule pack. */
#include "cli.h"

static const tc_cli_option options[] = {
    TC_CLI_REPORT_OPTIONS,
    {"pack", 'p', "PACK",
     "rule pack: a built-in id (vv40, tsr) or a pack file (JSON); default: "
     "the pack the dossier names, else vv40"},
    {0},
};

enum { OPT_PACK = 3 };

static int on_option(void *ctx, int index, const char *arg)
{
    tc_cli_report_args *a = ctx;
    int rc = tc_cli_report_option(a, index, arg);
    if (rc != 1)
        return rc;
    if (index == OPT_PACK) {
        a->opt.pack = arg;
        return 0;
    }
    return -1;
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    tc_cli_report_args a;
    tc_cli_report_args_init(&a, cmd);
    a.opt.assess = true;
    a.opt.rerun = true; /* the re-run's results are evidence for the assessment */
    return tc_cli_report_main(&a, argc, argv, on_option, "PKG");
}

const tc_cli_command tc_cmd_assess = {
    .name = "assess",
    .synopsis = "[--pack PACK] [--format text|json|sarif|junit] [-o FILE] [--fail-on LEVEL] "
                "PKG...",
    .summary = "Assess the credibility dossier of twin packages against a rule pack "
               "(ASME V&V 40 style).",
    .options = options,
    .run = run,
};
