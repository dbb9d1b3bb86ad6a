/* twincheck certify: run the pipeline on a package and sign a certificate of the result. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "certify/certify.h"
#include "cli.h"
#include "pipeline/pipeline.h"

static const tc_cli_option options[] = {
    {"key", 'k', "KEY", "the issuer's private key (PEM), from 'twincheck keygen'"},
    {"output", 'o', "CERT", "write the certificate to CERT instead of standard output"},
    {"passphrase-env", 0, "NAME", "the key's passphrase is in environment variable NAME"},
    {"passphrase-file", 0, "FILE", "the key's passphrase is the first line of FILE"},
    {"issued-at", 0, "TIME",
     "issue time, RFC 3339 (default: SOURCE_DATE_EPOCH when set, else "
     "now)"},
    {"valid-for", 0, "DAYS", "days until the certificate expires (default 365)"},
    {"fail-on", 0, "LEVEL",
     "the verdict fails on a finding at or above LEVEL: error (default), "
     "warning, info or fatal"},
    {0},
};

enum {
    OPT_KEY,
    OPT_OUTPUT,
    OPT_PASS_ENV,
    OPT_PASS_FILE,
    OPT_ISSUED_AT,
    OPT_VALID_FOR,
    OPT_FAIL_ON
};

#define MAX_VALID_DAYS 36525 /* a century */

typedef struct certify_args {
    const tc_cli_command *cmd;
    const char *key, *output, *pass_env, *pass_file, *issued_at;
    long valid_days;
    tc_options opt;
} certify_args;

static int on_option(void *ctx, int index, const char *arg)
{
    certify_args *a = ctx;
    char *end = NULL;
    switch (index) {
    case OPT_KEY:
        a->key = arg;
        return 0;
    case OPT_OUTPUT:
        a->output = arg;
        return 0;
    case OPT_PASS_ENV:
        a->pass_env = arg;
        return 0;
    case OPT_PASS_FILE:
        a->pass_file = arg;
        return 0;
    case OPT_ISSUED_AT:
        a->issued_at = arg;
        return 0;
    case OPT_VALID_FOR:
        errno = 0;
        a->valid_days = strtol(arg, &end, 10);
        if (errno || end == arg || *end || a->valid_days < 1 || a->valid_days > MAX_VALID_DAYS)
            return tc_cli_usage_error(a->cmd,
                                      "--valid-for '%s' is not a number of days from 1 "
                                      "to %d",
                                      arg, MAX_VALID_DAYS);
        return 0;
    case OPT_FAIL_ON:
        if (tc_severity_parse(arg, &a->opt.fail_on) != 0)
            return tc_cli_usage_error(a->cmd, "%s", tc_error_last());
        return 0;
    }
    return -1;
}

/* Options may come before or after the operand ("twincheck certify PKG ..."): parse
 * around each operand. Returns the number of operands (up to `max`, more is a
 * usage error), -1 after a usage error, -2 after --help. */
static int parse_around(const tc_cli_command *cmd, int argc, char **argv, void *a, char **operands,
                        int max)
{
    int n = 0, base = 0;
    for (;;) {
        int next = tc_cli_parse(cmd, argc - base, argv + base, on_option, a);
        if (next < 0)
            return next;
        base += next;
        if (base >= argc)
            return n;
        bool rest = strcmp(argv[base - 1], "--") == 0; /* operands only from here */
        for (; base < argc; base++) {
            if (n == max) {
                tc_cli_usage_error(cmd, "unexpected argument '%s'", argv[base]);
                return -1;
            }
            operands[n++] = argv[base];
            if (!rest)
                break;
        }
        if (base >= argc)
            return n;
    }
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    certify_args a = {.cmd = cmd, .output = "-", .valid_days = 365, .opt = TC_OPTIONS_INIT};
    a.opt.rerun = true; /* the whole pipeline, as far as it goes */
    a.opt.assess = true;
    char *target = NULL;
    int n = parse_around(cmd, argc, argv, &a, &target, 1);
    if (n == -2)
        return TC_EXIT_OK;
    if (n < 0)
        return TC_EXIT_USAGE;
    if (n == 0)
        return tc_cli_usage_error(cmd, "no PKG to certify");
    if (!a.key)
        return tc_cli_usage_error(cmd, "no --key to sign with");

    char *pass = NULL, *cert = NULL;
    size_t cert_len = 0;
    tc_key *key = NULL;
    json_t *before = NULL, *after = NULL, *statement = NULL;
    tc_cert_options co = {.valid_for = (int64_t)a.valid_days * 86400};
    int status = TC_EXIT_USAGE;
    tc_run run;
    tc_run_init(&run);

    if (tc_passphrase_read(a.pass_env, a.pass_file, &pass) != 0 ||
        tc_key_load_private(&key, a.key, pass) != 0 || tc_time_issue(a.issued_at, &co.issued_at))
        goto fail;
    if (co.issued_at > TC_TIME_LAST - co.valid_for) {
        tc_error_set(TC_EUSAGE, "the certificate would expire after 9999-12-31T23:59:59Z");
        goto fail;
    }
    if (tc_cert_subjects(&before, target) != 0)
        goto fail;
    tc_pipeline_run(&run, &a.opt, &target, 1);
    if (run.nerrors) {
        tc_error_set(TC_EIO, "%s", run.errors[0]);
        goto fail;
    }
    /* The verdict is about the bytes the pipeline read; the digests must be too. */
    if (tc_cert_subjects(&after, target) != 0)
        goto fail;
    if (!json_equal(before, after)) {
        tc_error_set(TC_EIO, "%s changed while it was being certified; try again", target);
        goto fail;
    }
    statement = tc_cert_statement(after, target, &run, tc_key_id(key), &co);
    after = NULL; /* taken over by the statement */
    status = TC_EXIT_INTERNAL;
    if (!statement) {
        tc_error_set(TC_EINTERNAL, "cannot build the statement");
        goto fail;
    }
    if (tc_cert_sign(key, statement, &cert, &cert_len) != 0)
        goto fail;
    if (tc_write_file(a.output, cert, cert_len) != 0) {
        status = TC_EXIT_USAGE;
        goto fail;
    }
    size_t counts[4];
    tc_findings_count(&run.findings, counts);
    bool passed = tc_run_passed(&run);
    fprintf(strcmp(a.output, "-") == 0 ? stderr : stdout,
            "twincheck certify: %s %s (fatal %zu, error %zu, warning %zu, info %zu); %zu "
            "subjects signed by key %s\n",
            target, passed ? "passed" : "failed", counts[TC_FATAL], counts[TC_ERROR],
            counts[TC_WARNING], counts[TC_INFO],
            json_array_size(json_object_get(statement, "subject")), tc_key_id(key));
    status = passed ? TC_EXIT_OK : TC_EXIT_FINDINGS;
    goto cleanup;
fail:
    fprintf(stderr, "twincheck certify: %s\n", tc_error_last());
cleanup:
    free(cert);
    json_decref(statement);
    json_decref(before);
    json_decref(after);
    tc_key_free(key);
    if (pass)
        tc_secret_free(pass, strlen(pass));
    tc_run_release(&run);
    return status;
}

const tc_cli_command tc_cmd_certify = {
    .name = "certify",
    .synopsis = "PKG --key KEY [-o CERT] [--issued-at TIME] [--valid-for DAYS] [--fail-on LEVEL] "
                "[--passphrase-env NAME | --passphrase-file FILE]",
    .summary = "Check a package and sign a certificate of the verdict and of every file.",
    .options = options,
    .run = run,
};
