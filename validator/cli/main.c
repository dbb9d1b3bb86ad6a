/* twincheck: the command-line entry point and command dispatch. */
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "twincheck/version.h"

static const tc_cli_command *const commands[] = {
#define TC_COMMAND(name) &tc_cmd_##name,
#include "commands.def"
#undef TC_COMMAND
};

static void usage(FILE *out)
{
    fprintf(out, "usage: twincheck COMMAND [OPTIONS] [ARGS]\n\n"
                 "Checks that a healthcare digital twin is standards-compliant and credible.\n\n"
                 "commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\n'twincheck COMMAND --help' describes a command; 'twincheck --version' "
                 "prints the version.\n"
                 "exit status: 0 passed, 1 findings at or above the fail level, 2 usage or "
                 "input error, 3 internal error\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return TC_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return TC_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("twincheck %s\n", TWINCHECK_VERSION);
        return TC_EXIT_OK;
    }
    xmlInitParser();
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(argv[1], commands[i]->name) == 0) {
            int status = commands[i]->run(commands[i], argc - 1, argv + 1);
            xmlCleanupParser();
            return status;
        }
    }
    fprintf(stderr, "twincheck: unknown command '%s'\n\n", argv[1]);
    usage(stderr);
    return TC_EXIT_USAGE;
}
