/* twincheck verify: check a certificate's signature, issuer, validity, revocation and files. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certify/certify.h"
#include "cli.h"

static const tc_cli_option options[] = {
    {"package", 'p', "PKG", "recompute every digest from the package PKG (.omex or folder)"},
    {"trust", 0, "DIR",
     "trusted issuers: public keys and X.509 certificates (*.pem, *.crt) "
     "in DIR"},
    {"key", 'k', "PUB", "trust only the issuer public key PUB (PEM)"},
    {"revocations", 0, "FILE",
     "the issuer's revocation list (default: "
     "DIR/<key id>.revocations.json with --trust)"},
    {"at", 0, "TIME", "check validity at TIME, RFC 3339 (default: now)"},
    {"require-passed", 0, NULL, "a certificate whose verdict is failed is invalid"},
    {"format", 'f', "FORMAT", "text (default) or json"},
    {0},
};

enum { OPT_PACKAGE, OPT_TRUST, OPT_KEY, OPT_REVOCATIONS, OPT_AT, OPT_REQUIRE, OPT_FORMAT };

typedef struct verify_args {
    const tc_cli_command *cmd;
    const char *package, *trust, *key, *revocations, *at;
    bool require_passed, json;
} verify_args;

static int on_option(void *ctx, int index, const char *arg)
{
    verify_args *a = ctx;
    switch (index) {
    case OPT_PACKAGE:
        a->package = arg;
        return 0;
    case OPT_TRUST:
        a->trust = arg;
        return 0;
    case OPT_KEY:
        a->key = arg;
        return 0;
    case OPT_REVOCATIONS:
        a->revocations = arg;
        return 0;
    case OPT_AT:
        a->at = arg;
        return 0;
    case OPT_REQUIRE:
        a->require_passed = true;
        return 0;
    case OPT_FORMAT:
        if (strcmp(arg, "json") == 0)
            a->json = true;
        else if (strcmp(arg, "text") != 0)
            return tc_cli_usage_error(a->cmd, "unknown format '%s' (expected text or json)", arg);
        return 0;
    }
    return -1;
}

static void print_text(const tc_verification *v, const char *path)
{
    printf("certificate %s\n", path);
    for (int c = 0; c < TC_VERIFY_COUNT; c++) {
        const tc_verify_item *it = &v->checks[c];
        printf("  %-4s  %-10s  %s\n",
               it->result == TC_CHECK_FAIL ? "FAIL" : tc_check_result_name(it->result),
               tc_verify_check_name((tc_verify_check)c), it->message ? it->message : "");
        for (size_t i = 0; i < it->ndetails; i++)
            printf("                    %s\n", it->details[i]);
    }
    json_t *pred = v->statement ? json_object_get(v->statement, "predicate") : NULL;
    if (pred) {
        json_t *f = json_object_get(pred, "findings");
        printf("certified: %s %s (fatal %lld, error %lld, warning %lld, info %lld), issued %s, "
               "expires %s\n",
               json_string_value(json_object_get(json_object_get(pred, "package"), "name")),
               json_string_value(json_object_get(pred, "verdict")),
               (long long)json_integer_value(json_object_get(f, "fatal")),
               (long long)json_integer_value(json_object_get(f, "error")),
               (long long)json_integer_value(json_object_get(f, "warning")),
               (long long)json_integer_value(json_object_get(f, "info")),
               json_string_value(json_object_get(pred, "issuedAt")),
               json_string_value(json_object_get(pred, "expiresAt")));
    }
    if (v->valid) {
        printf("result: valid\n");
        return;
    }
    printf("result: INVALID (");
    const char *sep = "";
    for (int c = 0; c < TC_VERIFY_COUNT; c++)
        if (v->checks[c].result == TC_CHECK_FAIL) {
            printf("%s%s", sep, tc_verify_check_name((tc_verify_check)c));
            sep = ", ";
        }
    printf(")\n");
}

/* Options may come before or after the operand ("twincheck verify CERT ..."): parse
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
    verify_args a = {.cmd = cmd};
    char *path = NULL;
    int n = parse_around(cmd, argc, argv, &a, &path, 1);
    if (n == -2)
        return TC_EXIT_OK;
    if (n < 0)
        return TC_EXIT_USAGE;
    if (n == 0)
        return tc_cli_usage_error(cmd, "no CERT to verify");
    if (!a.trust == !a.key)
        return tc_cli_usage_error(cmd, "give the trusted issuers with --trust DIR or --key PUB "
                                       "(one of them)");

    int status = TC_EXIT_USAGE;
    unsigned char *cert = NULL;
    size_t len = 0;
    tc_trust *trust = NULL;
    tc_key *key = NULL;
    tc_verification v;
    tc_verification_init(&v);
    tc_verify_options opt = {.package = a.package,
                             .revocations = a.revocations,
                             .at = (int64_t)time(NULL),
                             .require_passed = a.require_passed};

    if (a.at && tc_time_parse(a.at, &opt.at) != 0)
        goto fail;
    if (a.trust) {
        if (tc_trust_load_dir(&trust, a.trust) != 0)
            goto fail;
    } else {
        if (tc_key_load_public(&key, a.key) != 0)
            goto fail;
        trust = tc_trust_of_key(key, a.key);
        key = NULL;
    }
    opt.trust = trust;
    if (tc_read_file(path, TC_CERT_MAX_BYTES, &cert, &len) != 0)
        goto fail;
    if (tc_verify(&v, cert, len, &opt) != 0)
        goto fail;
    if (a.json) {
        json_t *j = tc_verification_json(&v, path);
        char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(j);
        if (!text) {
            tc_error_set(TC_EINTERNAL, "cannot render the result as JSON");
            status = TC_EXIT_INTERNAL;
            goto fail;
        }
        printf("%s\n", text);
        free(text);
    } else {
        print_text(&v, path);
    }
    status = v.valid ? TC_EXIT_OK : TC_EXIT_FINDINGS;
    goto cleanup;
fail:
    fprintf(stderr, "twincheck verify: %s\n", tc_error_last());
cleanup:
    tc_verification_release(&v);
    free(cert);
    tc_key_free(key);
    tc_trust_free(trust);
    return status;
}

const tc_cli_command tc_cmd_verify = {
    .name = "verify",
    .synopsis = "CERT (--trust DIR | --key PUB) [--package PKG] [--revocations FILE] [--at TIME] "
                "[--require-passed] [--format text|json]",
    .summary = "Check a certificate: signature, issuer, expiry, revocation and files.",
    .options = options,
    .run = run,
};
