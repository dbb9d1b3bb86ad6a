/* twincheck rerun: validate packages, re-run their SED-ML experiments on the
 * reference solvers and compare the results with the declared outputs. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "pipeline/pipeline.h"
#include "report/report.h"
#include "rerun/rerun.h"

static const tc_cli_option options[] = {
    {"format", 'f', "FORMAT", "report format: text (default), json, sarif or junit"},
    {"output", 'o', "FILE", "write the report to FILE instead of standard output"},
    {"fail-on", 0, "LEVEL",
     "exit 1 when a finding is at or above LEVEL: error (default), warning, info or fatal"},
    {"atol", 0, "A",
     "absolute comparison tolerance when the dossier gives none (default 1e-9)"},
    {"rtol", 0, "R",
     "relative comparison tolerance when the dossier gives none (default 1e-4)"},
    {"max-steps", 0, "N", "integrator step limit per simulation (default 500000)"},
    {"max-seconds", 0, "S", "wall-time limit per simulation in seconds (default 60)"},
    {0},
};

enum { OPT_FORMAT, OPT_OUTPUT, OPT_FAIL_ON, OPT_ATOL, OPT_RTOL, OPT_MAX_STEPS, OPT_MAX_SECONDS };

typedef struct rerun_args {
    const tc_cli_command *cmd;
    tc_format format;
    const char *output;
    tc_options opt;
} rerun_args;

static int positive(const rerun_args *a, const char *opt, const char *arg, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(arg, &end);
    if (end == arg || *end || errno || !isfinite(v) || v <= 0)
        return tc_cli_usage_error(a->cmd, "--%s needs a positive number, not '%s'", opt, arg);
    *out = v;
    return 0;
}

static int on_option(void *ctx, int index, const char *arg)
{
    rerun_args *a = ctx;
    double v;
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
    case OPT_ATOL:
        return positive(a, "atol", arg, &a->opt.rerun_atol);
    case OPT_RTOL:
        return positive(a, "rtol", arg, &a->opt.rerun_rtol);
    case OPT_MAX_STEPS:
        if (positive(a, "max-steps", arg, &v) != 0)
            return TC_EXIT_USAGE;
        if (v > 1e9 || v != floor(v))
            return tc_cli_usage_error(a->cmd, "--max-steps needs a whole number up to 1e9");
        a->opt.rerun_max_steps = (long)v;
        return 0;
    case OPT_MAX_SECONDS:
        return positive(a, "max-seconds", arg, &a->opt.rerun_max_seconds);
    }
    return -1;
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    rerun_args a = {.cmd = cmd, .format = TC_FORMAT_TEXT, .output = "-", .opt = TC_OPTIONS_INIT};
    a.opt.rerun = true;
    int first = tc_cli_parse(cmd, argc, argv, on_option, &a);
    if (first == -2)
        return TC_EXIT_OK;
    if (first < 0)
        return TC_EXIT_USAGE;
    if (first >= argc)
        return tc_cli_usage_error(cmd, "no PKG to re-run");

    return tc_cli_run_and_report(cmd, &a.opt, argv + first, (size_t)(argc - first), a.format,
                                 a.output);
}

const tc_cli_command tc_cmd_rerun = {
    .name = "rerun",
    .synopsis = "[--format text|json|sarif|junit] [-o FILE] [--fail-on LEVEL] [--atol A] "
                "[--rtol R] [--max-steps N] [--max-seconds S] PKG...",
    .summary = "Re-run the SED-ML experiments of twin packages and compare the results with "
               "the declared outputs.",
    .options = options,
    .run = run,
};
