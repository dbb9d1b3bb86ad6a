/* twincheck keygen: make an issuer key pair for signing certificates. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "certify/certify.h"
#include "cli.h"

static const tc_cli_option options[] = {
    {"out", 0, "DIR", "write private.pem (mode 0600) and public.pem into DIR (made if missing)"},
    {"type", 't', "TYPE", "key type: ed25519 (default) or p256 (ECDSA on NIST P-256)"},
    {"passphrase-env", 0, "NAME",
     "encrypt the private key with the passphrase in environment "
     "variable NAME"},
    {"passphrase-file", 0, "FILE", "encrypt the private key with the first line of FILE"},
    {"force", 0, NULL, "replace key files that already exist"},
    {0},
};

enum { OPT_OUT, OPT_TYPE, OPT_PASS_ENV, OPT_PASS_FILE, OPT_FORCE };

typedef struct keygen_args {
    const tc_cli_command *cmd;
    const char *out;
    tc_key_type type;
    const char *pass_env, *pass_file;
    bool force;
} keygen_args;

static int on_option(void *ctx, int index, const char *arg)
{
    keygen_args *a = ctx;
    switch (index) {
    case OPT_OUT:
        a->out = arg;
        return 0;
    case OPT_TYPE:
        if (tc_key_type_parse(arg, &a->type) != 0)
            return tc_cli_usage_error(a->cmd, "%s", tc_error_last());
        return 0;
    case OPT_PASS_ENV:
        a->pass_env = arg;
        return 0;
    case OPT_PASS_FILE:
        a->pass_file = arg;
        return 0;
    case OPT_FORCE:
        a->force = true;
        return 0;
    }
    return -1;
}

/* The public half is not secret, but is never silently replaced either. */
static int write_public(const char *path, const char *pem, size_t len, bool force)
{
    struct stat st;
    if (!force && lstat(path, &st) == 0)
        return tc_error_set(TC_EUSAGE, "%s already exists (use --force to replace it)", path);
    return tc_write_file(path, pem, len);
}

static int run(const tc_cli_command *cmd, int argc, char **argv)
{
    keygen_args a = {.cmd = cmd, .type = TC_KEY_ED25519};
    int first = tc_cli_parse(cmd, argc, argv, on_option, &a);
    if (first == -2)
        return TC_EXIT_OK;
    if (first < 0)
        return TC_EXIT_USAGE;
    if (first < argc)
        return tc_cli_usage_error(cmd, "unexpected argument '%s'", argv[first]);
    if (!a.out)
        return tc_cli_usage_error(cmd, "no --out DIR for the key files");

    int status = TC_EXIT_OK;
    char *pass = NULL, *priv = NULL, *pub = NULL;
    size_t priv_len = 0, pub_len = 0;
    char *priv_path = tc_xasprintf("%s/private.pem", a.out);
    char *pub_path = tc_xasprintf("%s/public.pem", a.out);
    tc_key *key = NULL;
    int rc = tc_passphrase_read(a.pass_env, a.pass_file, &pass);
    if (rc != 0) {
        status = TC_EXIT_USAGE;
        goto fail;
    }
    if (mkdir(a.out, 0700) != 0 && errno != EEXIST) {
        rc = tc_error_set(TC_EIO, "cannot create %s: %s", a.out, strerror(errno));
        status = TC_EXIT_USAGE;
        goto fail;
    }
    if ((rc = tc_key_generate(&key, a.type)) != 0 ||
        (rc = tc_key_private_pem(key, pass, &priv, &priv_len)) != 0 ||
        (rc = tc_key_public_pem(key, &pub, &pub_len)) != 0) {
        status = TC_EXIT_INTERNAL;
        goto fail;
    }
    if ((rc = tc_write_private_file(priv_path, priv, priv_len, a.force)) != 0 ||
        (rc = write_public(pub_path, pub, pub_len, a.force)) != 0) {
        status = rc == TC_EINTERNAL ? TC_EXIT_INTERNAL : TC_EXIT_USAGE;
        goto fail;
    }
    printf("key id       %s\ntype         %s\nprivate key  %s (mode 0600%s)\npublic key   %s\n",
           tc_key_id(key), tc_key_type_name(a.type), priv_path,
           pass ? ", encrypted" : ", not encrypted", pub_path);
    goto cleanup;
fail:
    fprintf(stderr, "twincheck keygen: %s\n", tc_error_last());
cleanup:
    tc_key_free(key);
    tc_secret_free(priv, priv_len);
    free(pub);
    if (pass)
        tc_secret_free(pass, strlen(pass));
    free(priv_path);
    free(pub_path);
    return status;
}

const tc_cli_command tc_cmd_keygen = {
    .name = "keygen",
    .synopsis = "--out DIR [--type ed25519|p256] [--passphrase-env NAME | --passphrase-file FILE] "
                "[--force]",
    .summary = "Make an issuer key pair for signing certificates.",
    .options = options,
    .run = run,
};
