/*
 * cli: the `twincheck` command. Each command is one file (cmd_NAME.c) with its
 * option table, from which --help is printed; docs/man/twincheck-NAME.1 must
 * name the same options (scripts/check-docs.sh checks it).
 *
 * Exit status everywhere: 0 passed, 1 findings at or above the fail level (or
 * an invalid certificate), 2 usage error or unreadable input, 3 internal error.
 */
#ifndef TC_CLI_H
#define TC_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "pipeline/pipeline.h"
#include "report/report.h"

enum { TC_EXIT_OK = 0, TC_EXIT_FINDINGS = 1, TC_EXIT_USAGE = 2, TC_EXIT_INTERNAL = 3 };

typedef struct tc_cli_option {
    const char *name; /* long name without "--" */
    int short_name;   /* 0 if none */
    const char *arg;  /* argument placeholder, NULL for a flag */
    const char *help;
} tc_cli_option;

typedef struct tc_cli_command {
    const char *name;
    const char *synopsis; /* after "twincheck NAME " */
    const char *summary;
    const tc_cli_option *options; /* terminated by {0} */
    int (*run)(const struct tc_cli_command *cmd, int argc, char **argv);
} tc_cli_command;

/* Parse argv[1..] against the command's table (getopt_long; options and operands
 * may come in any order, "--" ends options). Calls `on_option` for each option
 * with its table index and argument; returns the index of the first operand
 * (operands are moved behind the options), or -1 after printing a usage error. --help is handled here
 * (returns -2 after printing help). */
typedef int (*tc_cli_option_fn)(void *ctx, int index, const char *arg);
int tc_cli_parse(const tc_cli_command *cmd, int argc, char **argv, tc_cli_option_fn on_option,
                 void *ctx);
/* The same, for commands with at most `max` operands: stores them in operands[]
 * and returns how many there are (-1 usage error, -2 help shown). */
int tc_cli_parse_operands(const tc_cli_command *cmd, int argc, char **argv,
                          tc_cli_option_fn on_option, void *ctx, char **operands, int max);
void tc_cli_help(const tc_cli_command *cmd, FILE *out);
/* Print "twincheck NAME: message" to stderr and return TC_EXIT_USAGE. */
int tc_cli_usage_error(const tc_cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Parse `arg` as a seed, a whole number from 0 to 2^64-1; a usage error otherwise. */
int tc_cli_parse_seed(const tc_cli_command *cmd, const char *arg, uint64_t *out);

/* The report options of every command whose result is a report (validate,
 * assess, rerun), for the start of its option table. */
#define TC_CLI_REPORT_OPTIONS                                                                      \
    {"format", 'f', "FORMAT", "report format: text (default), json, sarif or junit"},             \
        {"output", 'o', "FILE", "write the report to FILE instead of standard output"},           \
        {"fail-on", 0, "LEVEL",                                                                    \
         "exit 1 when a finding is at or above LEVEL: error (default), warning, info or fatal"}

/* What such a command gathers from its options. */
typedef struct tc_cli_report_args {
    const tc_cli_command *cmd;
    tc_format format;
    const char *output;
    tc_options opt;
} tc_cli_report_args;

void tc_cli_report_args_init(tc_cli_report_args *r, const tc_cli_command *cmd);
/* Handle --format, --output or --fail-on: 0 when handled, TC_EXIT_USAGE after a
 * usage error, 1 when the option is none of them. */
int tc_cli_report_option(tc_cli_report_args *r, int index, const char *arg);
/* Parse the options (on_option gets `r` as its context), require at least one
 * operand (`what` names it in the error), run the pipeline and write the report. */
int tc_cli_report_main(tc_cli_report_args *r, int argc, char **argv, tc_cli_option_fn on_option,
                       const char *what);

/* Run the pipeline over the targets and write its report in `format` to `output`
 * ("-": standard output); returns the exit status (input errors 2, a report that
 * cannot be written 3, findings at the fail level 1). */
int tc_cli_run_and_report(const tc_cli_command *cmd, const tc_options *opt, char *const *targets,
                          size_t ntargets, tc_format format, const char *output);

/* The commands, one line each in commands.def. */
#define TC_COMMAND(name) extern const tc_cli_command tc_cmd_##name;
#include "commands.def"
#undef TC_COMMAND

#endif
