/* twincheck rules: list the rule catalogue or explain one rule. */
#include <string.h>

#include "cli.h"
#include "core/core.h"

static const tc_cli_option options[] = {
    {"format", 'f', "FORMAT", "text (default) or tsv: id, severity, source, description"},
    {0},
};

typedef struct rules_args {
    const tc_cli_command *cmd;
    bool tsv;
} rules_args;

static int on_option(void *ctx, int index, const char *arg)
{
    rules_args *a = ctx;
    (void)index;
    if (strcmp(arg, "tsv") == 0)
        a->tsv = true;
    else if (strcmp(arg, "text") != 0)
        return tc_cli_usage_error(a->cmd, "unknown format '%s' (expected text or tsv)", arg);
    return 0;
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    rules_args a = {.cmd = cmd};
    int first = tc_cli_parse(cmd, argc, argv, on_option, &a);
    if (first == -2)
        return TC_EXIT_OK;
    if (first < 0)
        return TC_EXIT_USAGE;
    size_t n;
    const tc_rule *rules = tc_rules_all(&n);
    if (first < argc) {
        int status = TC_EXIT_OK;
        for (int i = first; i < argc; i++) {
            const tc_rule *r = tc_rule_find(argv[i]);
            if (!r) {
                fprintf(stderr, "twincheck rules: no rule '%s' (see 'twincheck rules')\n",
                        argv[i]);
                status = TC_EXIT_USAGE;
                continue;
            }
            if (a.tsv)
                printf("%s\t%s\t%s\t%s\n", r->id, tc_severity_name(r->severity), r->source,
                       r->description);
            else
                printf("%s\n  severity:    %s\n  source:      %s\n  description: %s\n", r->id,
                       tc_severity_name(r->severity), r->source, r->description);
        }
        return status;
    }
    for (size_t i = 0; i < n; i++) {
        if (a.tsv)
            printf("%s\t%s\t%s\t%s\n", rules[i].id, tc_severity_name(rules[i].severity),
                   rules[i].source, rules[i].description);
        else
            printf("%-34s %-8s %s\n", rules[i].id, tc_severity_name(rules[i].severity),
                   rules[i].description);
    }
    return TC_EXIT_OK;
}

const tc_cli_command tc_cmd_rules = {
    .name = "rules",
    .synopsis = "[--format text|tsv] [ID...]",
    .summary = "List the rule catalogue, or explain the rules named.",
    .options = options,
    .run = run,
};
