/* twincheck rerun: validate packages, re-run their SED-ML experiments on the
 * reference solvers and compare the results with the declared outputs. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const tc_cli_option options[] = {
    TC_CLI_REPORT_OPTIONS,
    {"atol", 0, "A",
     "absolute comparison tolerance when the dossier gives none (default 1e-9)"},
    {"rtol", 0, "R",
     "relative comparison tolerance when the dossier gives none (default 1e-4)"},
    {"max-steps", 0, "N", "integrator step limit per simulation (default 500000)"},
    {"max-seconds", 0, "S", "wall-time limit per simulation in seconds (default 60)"},
    {"seed", 0, "N", "seed for the order of simultaneous events of equal priority (default 1)"},
    {0},
};

enum { OPT_ATOL = 3, OPT_RTOL, OPT_MAX_STEPS, OPT_MAX_SECONDS, OPT_SEED };

static int positive(const tc_cli_report_args *a, const char *opt, const char *arg, double *out)
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
    tc_cli_report_args *a = ctx;
    int rc = tc_cli_report_option(a, index, arg);
    if (rc != 1)
        return rc;
    double v;
    switch (index) {
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
    case OPT_SEED:
        return tc_cli_parse_seed(a->cmd, arg, &a->opt.rerun_seed);
    }
    return -1;
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    tc_cli_report_args a;
    tc_cli_report_args_init(&a, cmd);
    a.opt.rerun = true;
    return tc_cli_report_main(&a, argc, argv, on_option, "PKG");
}

const tc_cli_command tc_cmd_rerun = {
    .name = "rerun",
    .synopsis = "[--format text|json|sarif|junit] [-o FILE] [--fail-on LEVEL] [--atol A] "
                "[--rtol R] [--max-steps N] [--max-seconds S] [--seed N] PKG...",
    .summary = "Re-run the SED-ML experiments of twin packages and compare the results with "
               "the declared outputs.",
    .options = options,
    .run = run,
};
