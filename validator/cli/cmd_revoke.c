/* twincheck revoke: add certificates or keys to an issuer's signed revocation list. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "certify/certify.h"
#include "cli.h"

static const tc_cli_option options[] = {
    {"key", 'k', "KEY", "the issuer's private key (PEM); it signs the list"},
    {"cert", 'c', "CERT", "revoke the certificate CERT (issued with KEY); may be repeated"},
    {"key-id", 0, "ID",
     "revoke every certificate signed by key ID (64 hex digits); may be "
     "repeated"},
    {"list", 'l', "FILE", "the revocation list to update, or to create when missing"},
    {"passphrase-env", 0, "NAME", "the key's passphrase is in environment variable NAME"},
    {"passphrase-file", 0, "FILE", "the key's passphrase is the first line of FILE"},
    {"issued-at", 0, "TIME",
     "issue time of the list, RFC 3339 (default: SOURCE_DATE_EPOCH "
     "when set, else now)"},
    {0},
};

enum { OPT_KEY, OPT_CERT, OPT_KEY_ID, OPT_LIST, OPT_PASS_ENV, OPT_PASS_FILE, OPT_ISSUED_AT };

#define MAX_ITEMS 1024 /* --cert and --key-id options on one command line */

typedef struct revoke_args {
    const tc_cli_command *cmd;
    const char *key, *list, *pass_env, *pass_file, *issued_at;
    const char *certs[MAX_ITEMS];
    size_t ncerts;
    const char *key_ids[MAX_ITEMS];
    size_t nkey_ids;
} revoke_args;

static int on_option(void *ctx, int index, const char *arg)
{
    revoke_args *a = ctx;
    switch (index) {
    case OPT_KEY:
        a->key = arg;
        return 0;
    case OPT_CERT:
    case OPT_KEY_ID:
        if (a->ncerts + a->nkey_ids >= MAX_ITEMS)
            return tc_cli_usage_error(a->cmd, "more than %d items to revoke at once", MAX_ITEMS);
        if (index == OPT_CERT) {
            a->certs[a->ncerts++] = arg;
        } else {
            if (!tc_is_sha256_hex(arg))
                return tc_cli_usage_error(a->cmd, "--key-id '%s' is not 64 lowercase hex digits",
                                          arg);
            a->key_ids[a->nkey_ids++] = arg;
        }
        return 0;
    case OPT_LIST:
        a->list = arg;
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
    }
    return -1;
}

/* The payload digest of a certificate this key issued. */
static int cert_digest(const char *path, const tc_key *key, char digest[TC_SHA256_HEX])
{
    unsigned char *text = NULL;
    size_t len = 0;
    tc_dsse env;
    int rc = tc_read_file(path, TC_CERT_MAX_BYTES, &text, &len);
    if (rc != 0)
        return rc;
    rc = tc_dsse_parse(&env, text, len);
    free(text);
    if (rc != 0) {
        char why[512];
        snprintf(why, sizeof why, "%s", tc_error_last());
        return tc_error_set(TC_EINVAL, "%s: %s", path, why);
    }
    if (strcmp(env.payload_type, TC_DSSE_STATEMENT_TYPE) != 0)
        rc = tc_error_set(TC_EINVAL, "%s is not a certificate (payload type '%s')", path,
                          env.payload_type);
    else if (tc_dsse_verify(&env, key) != 0)
        rc = tc_error_set(TC_EINVAL, "%s was not issued with key %s", path, tc_key_id(key));
    else
        tc_sha256_hex(env.payload, env.payload_len, digest);
    tc_dsse_release(&env);
    return rc;
}

/* The current list, verified, or an empty one when the file does not exist. */
static int load_list(const char *path, const tc_key *key, tc_revocations *list, bool *created)
{
    unsigned char *text = NULL;
    size_t len = 0;
    struct stat st;
    *created = false;
    tc_revocations_init(list);
    if (stat(path, &st) != 0 && errno == ENOENT) {
        *created = true;
        return 0;
    }
    int rc = tc_read_file(path, TC_CERT_MAX_BYTES, &text, &len);
    if (rc != 0)
        return rc;
    rc = tc_revocations_open(list, text, len, key);
    free(text);
    if (rc != 0) {
        char why[512];
        snprintf(why, sizeof why, "%s", tc_error_last());
        return tc_error_set(rc, "refusing to update %s: %s", path, why);
    }
    return 0;
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    revoke_args a = {.cmd = cmd};
    int first = tc_cli_parse(cmd, argc, argv, on_option, &a);
    if (first == -2)
        return TC_EXIT_OK;
    if (first < 0)
        return TC_EXIT_USAGE;
    if (first < argc)
        return tc_cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    if (!a.key || !a.list)
        return tc_cli_usage_error(cmd, "--key and --list are both needed");
    if (a.ncerts + a.nkey_ids == 0)
        return tc_cli_usage_error(cmd, "nothing to revoke: give --cert CERT or --key-id ID");

    int status = TC_EXIT_USAGE;
    char *pass = NULL, *out = NULL;
    char *tmp = tc_xasprintf("%s.tmp", a.list);
    size_t out_len = 0;
    tc_key *key = NULL;
    tc_revocations list;
    bool created = false;
    tc_revocations_init(&list);

    if (tc_passphrase_read(a.pass_env, a.pass_file, &pass) != 0 ||
        tc_key_load_private(&key, a.key, pass) != 0 ||
        load_list(a.list, key, &list, &created) != 0 ||
        tc_time_issue(a.issued_at, &list.issued_at) != 0)
        goto fail;
    for (size_t i = 0; i < a.ncerts; i++) {
        char digest[TC_SHA256_HEX];
        if (cert_digest(a.certs[i], key, digest) != 0)
            goto fail;
        tc_revocations_add_cert(&list, digest);
    }
    for (size_t i = 0; i < a.nkey_ids; i++)
        tc_revocations_add_key(&list, a.key_ids[i]);
    if (tc_revocations_sign(&list, key, &out, &out_len) != 0) {
        status = TC_EXIT_INTERNAL;
        goto fail;
    }
    /* Replace the list in one step: a reader sees the old one or the new one. */
    if (tc_write_file(tmp, out, out_len) != 0)
        goto fail;
    if (rename(tmp, a.list) != 0) {
        tc_error_set(TC_EIO, "cannot replace %s: %s", a.list, strerror(errno));
        remove(tmp);
        goto fail;
    }
    char when[TC_TIME_MAX_LEN];
    tc_time_format(list.issued_at, when);
    printf("%s %s: %zu revoked certificates, %zu revoked keys, issued %s by key %s\n",
           created ? "created" : "updated", a.list, list.ncerts, list.nkeys, when, tc_key_id(key));
    status = TC_EXIT_OK;
    goto cleanup;
fail:
    fprintf(stderr, "twincheck revoke: %s\n", tc_error_last());
cleanup:
    tc_revocations_release(&list);
    free(out);
    free(tmp);
    tc_key_free(key);
    if (pass)
        tc_secret_free(pass, strlen(pass));
    return status;
}

const tc_cli_command tc_cmd_revoke = {
    .name = "revoke",
    .synopsis = "--key KEY (--cert CERT | --key-id ID)... --list FILE [--issued-at TIME] "
                "[--passphrase-env NAME | --passphrase-file FILE]",
    .summary = "Add certificates or keys to the issuer's signed revocation list.",
    .options = options,
    .run = run,
};
