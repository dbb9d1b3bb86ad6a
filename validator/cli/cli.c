/* Option parsing and help shared by every command. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "core/core.h"

void tc_cli_help(const tc_cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: twincheck %s %s\n\n%s\n\noptions:\n", cmd->name, cmd->synopsis,
            cmd->summary);
    for (const tc_cli_option *o = cmd->options; o && o->name; o++) {
        char left[64];
        if (o->short_name)
            snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
                     o->arg ? " " : "", o->arg ? o->arg : "");
        else
            snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
                     o->arg ? o->arg : "");
        fprintf(out, "  %-28s %s\n", left, o->help);
    }
    fprintf(out, "  %-28s %s\n", "-h, --help", "show this help and exit");
}

int tc_cli_usage_error(const tc_cli_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "twincheck %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n(see 'twincheck %s --help')\n", cmd->name);
    return TC_EXIT_USAGE;
}

int tc_cli_parse_seed(const tc_cli_command *cmd, const char *arg, uint64_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(arg, &end, 10);
    if (end == arg || *end || errno || arg[strspn(arg, " \t")] == '-')
        return tc_cli_usage_error(cmd, "--seed needs a whole number from 0 to %llu, not '%s'",
                                  (unsigned long long)UINT64_MAX, arg);
    *out = (uint64_t)v;
    return 0;
}

int tc_cli_parse(const tc_cli_command *cmd, int argc, char **argv, tc_cli_option_fn on_option,
                 void *ctx)
{
    size_t n = 0;
    while (cmd->options && cmd->options[n].name)
        n++;
    struct option *longs = tc_xcalloc(n + 2, sizeof *longs);
    tc_buf shorts = TC_BUF_INIT;
    tc_buf_puts(&shorts, ":h"); /* options may follow operands; report missing args */
    for (size_t i = 0; i < n; i++) {
        const tc_cli_option *o = &cmd->options[i];
        longs[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
                                   256 + (int)i};
        if (o->short_name)
            tc_buf_printf(&shorts, "%c%s", o->short_name, o->arg ? ":" : "");
    }
    longs[n] = (struct option){"help", no_argument, NULL, 'h'};

    int result = -1;
    optind = 1;
    opterr = 0;
    for (;;) {
        int c = getopt_long(argc, argv, shorts.data, longs, NULL);
        if (c == -1)
            break;
        if (c == 'h') {
            tc_cli_help(cmd, stdout);
            result = -2;
            goto cleanup;
        }
        if (c == '?' || c == ':') {
            const char *what = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
            tc_cli_usage_error(cmd, c == ':' ? "option %s needs an argument"
                                             : "unknown option %s", what);
            goto cleanup;
        }
        int index = -1;
        if (c >= 256)
            index = c - 256;
        else
            for (size_t i = 0; i < n; i++)
                if (cmd->options[i].short_name == c)
                    index = (int)i;
        if (index < 0 || on_option(ctx, index, optarg) != 0)
            goto cleanup;
    }
    result = optind;
cleanup:
    free(longs);
    tc_buf_release(&shorts);
    return result;
}

int tc_cli_parse_operands(const tc_cli_command *cmd, int argc, char **argv,
                          tc_cli_option_fn on_option, void *ctx, char **operands, int max)
{
    int first = tc_cli_parse(cmd, argc, argv, on_option, ctx);
    if (first < 0)
        return first;
    int n = argc - first;
    if (n > max) {
        tc_cli_usage_error(cmd, "unexpected argument '%s'", argv[first + max]);
        return -1;
    }
    for (int i = 0; i < n; i++)
        operands[i] = argv[first + i];
    return n;
}
