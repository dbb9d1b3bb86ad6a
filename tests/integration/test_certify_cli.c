/* keygen, certify, verify and revoke as a user runs them, and the stock openssl check. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "../testutil.h"

static char dir[64]; /* this test's temporary folder */

static void setup_dir(void)
{
    snprintf(dir, sizeof dir, "/tmp/tc-certify-cli-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}

/* Run a shell command line (standard error joined to the output) in the test
 * folder, with $B the twincheck binary and $D the folder; returns its exit status. */
TC_PRINTF(2, 3) static int sh(char **out, const char *fmt, ...)
{
    va_list ap;
    tc_buf cmd = TC_BUF_INIT, got = TC_BUF_INIT;
    tc_buf_printf(&cmd, "cd '%s' && B='%s' D='%s' && (", dir, tc_test_binary(), dir);
    va_start(ap, fmt);
    tc_buf_vprintf(&cmd, fmt, ap);
    va_end(ap);
    tc_buf_puts(&cmd, ") 2>&1");
    FILE *p = popen(cmd.data, "r");
    ck_assert_ptr_nonnull(p);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        tc_buf_add(&got, chunk, n);
    int status = pclose(p);
    tc_buf_add(&got, "", 0);
    if (out)
        *out = tc_buf_detach(&got);
    tc_buf_release(&got);
    tc_buf_release(&cmd);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Expect exit status `want` and every one of the NULL-terminated strings in the output. */
static void expect(int status, char **outp, int want, ...)
{
    va_list ap;
    char *out = *outp; /* read here: sh() has run by now */
    *outp = NULL;
    ck_assert_msg(status == want, "exit status %d, expected %d; output:\n%s", status, want, out);
    va_start(ap, want);
    for (const char *s = va_arg(ap, const char *); s; s = va_arg(ap, const char *))
        ck_assert_msg(strstr(out, s) != NULL, "'%s' not in the output:\n%s", s, out);
    va_end(ap);
    free(out);
}

static void write_package(void)
{
    char *out = NULL;
    int st =
        sh(&out,
           "mkdir -p pkg/data && cat > pkg/manifest.xml <<'EOF'\n"
           "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
           "  <content location=\".\" "
           "format=\"http://identifiers.org/combine.specifications/omex\"/>\n"
           "  <content location=\"./model.xml\" "
           "format=\"http://identifiers.org/combine.specifications/sbml\" master=\"true\"/>\n"
           "  <content location=\"./data/obs.csv\" "
           "format=\"http://purl.org/NET/mediatypes/text/csv\"/>\n"
           "</omexManifest>\n"
           "EOF\n"
           "printf '<?xml version=\"1.0\"?>\\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/"
           "version2/core\" level=\"3\" version=\"2\"/>\\n' > pkg/model.xml\n"
           "printf 'time,C\\n0,10\\n1,6.1\\n2,3.7\\n' > pkg/data/obs.csv");
    expect(st, &out, 0, NULL);
}

static const char *const key_types[] = {"ed25519", "p256"};
#define ISSUED "--issued-at 2025-01-01T00:00:00Z"
#define AT "--at 2025-06-01T00:00:00Z"

/* keygen into $D/NAME, returning the key id it printed (caller frees). */
static char *keygen(const char *name, const char *type)
{
    char *out = NULL;
    int st = sh(&out, "\"$B\" keygen --out %s --type %s", name, type);
    ck_assert_msg(st == 0, "keygen: %s", out);
    const char *p = strstr(out, "key id       ");
    ck_assert_ptr_nonnull(p);
    char *id = tc_xstrndup(p + 13, 64);
    free(out);
    return id;
}

START_TEST(test_keygen_mode_and_key_id)
{
    char *out = NULL;
    struct stat st;
    setup_dir();
    mode_t old = umask(0); /* the child inherits it: 0600 must not rely on umask */
    char *id = keygen("keys", key_types[_i]);
    umask(old);
    char *priv = tc_xasprintf("%s/keys/private.pem", dir);
    ck_assert_int_eq(stat(priv, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    /* The key id is the SHA-256 of the DER SubjectPublicKeyInfo, as openssl computes it. */
    expect(sh(&out, "openssl pkey -pubin -in keys/public.pem -outform DER | sha256sum"), &out, 0,
           id, NULL);
    expect(sh(&out, "\"$B\" keygen --out keys --type %s", key_types[_i]), &out, 2,
           "keys/private.pem already exists (use --force to replace it)", NULL);
    expect(sh(&out, "\"$B\" keygen --out keys --force"), &out, 0, "key id", NULL);
    expect(sh(&out, "\"$B\" keygen --out other --type rsa"), &out, 2,
           "unknown key type 'rsa' (expected ed25519 or p256)", NULL);
    free(priv);
    free(id);
    remove_dir();
}
END_TEST

START_TEST(test_encrypted_key)
{
    char *out = NULL;
    setup_dir();
    write_package();
    setenv("TC_TEST_PASSPHRASE", "a long passphrase", 1);
    expect(sh(&out, "\"$B\" keygen --out keys --passphrase-env TC_TEST_PASSPHRASE"), &out, 0,
           "encrypted", NULL);
    expect(sh(&out, "grep -c 'BEGIN ENCRYPTED PRIVATE KEY' keys/private.pem"), &out, 0, "1", NULL);
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem -o c.json"), &out, 2,
           "keys/private.pem is encrypted: give its passphrase with --passphrase-env or "
           "--passphrase-file",
           NULL);
    expect(sh(&out, "printf 'wrong\\n' > wrong && \"$B\" certify pkg --key keys/private.pem "
                    "--passphrase-file wrong -o c.json"),
           &out, 2, "cannot decrypt keys/private.pem", NULL);
    expect(sh(&out, "printf 'a long passphrase\\n' > right && \"$B\" certify pkg --key "
                    "keys/private.pem --passphrase-file right -o c.json"),
           &out, 0, "passed", NULL);
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem --passphrase-env "
                    "TC_TEST_PASSPHRASE -o c2.json"),
           &out, 0, "passed", NULL);
    expect(sh(&out, "\"$B\" keygen --out k2 --passphrase-env TC_TEST_UNSET_NAME"), &out, 2,
           "environment variable TC_TEST_UNSET_NAME (the passphrase) is not set", NULL);
    expect(sh(&out, "\"$B\" keygen --out k3 --passphrase secret"), &out, 2,
           "unknown option --passphrase", NULL);
    unsetenv("TC_TEST_PASSPHRASE");
    remove_dir();
}
END_TEST

START_TEST(test_round_trip_and_reproducible)
{
    char *out = NULL;
    setup_dir();
    write_package();
    char *id = keygen("keys", key_types[_i]);
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem -o c1.json " ISSUED), &out, 0,
           "pkg passed (fatal 0, error 0, warning 0, info 0); 3 subjects signed by key", id, NULL);
    /* Options before or after the operand. */
    expect(sh(&out, "\"$B\" verify c1.json --key keys/public.pem --package pkg " AT), &out, 0,
           "pass  signature", "pass  package     all 3 files match", "result: valid", NULL);
    expect(sh(&out, "\"$B\" verify --key keys/public.pem " AT " c1.json"), &out, 0,
           "skip  package     no package given", "result: valid", NULL);
    /* The same time from SOURCE_DATE_EPOCH; the same payload either way. */
    expect(sh(&out, "SOURCE_DATE_EPOCH=1735689600 \"$B\" certify pkg --key keys/private.pem "
                    "> c2.json"),
           &out, 0, "passed", NULL);
    expect(sh(&out, "for c in c1 c2; do sed 's/\"payloadType.*//' $c.json > $c.payload; done; "
                    "cmp c1.payload c2.payload && echo same"),
           &out, 0, "same", NULL);
    if (strcmp(key_types[_i], "ed25519") == 0) /* deterministic signatures: the same file */
        expect(sh(&out, "cmp c1.json c2.json && echo same"), &out, 0, "same", NULL);
    /* The JSON form of the result. */
    expect(sh(&out, "\"$B\" verify c1.json --key keys/public.pem --format json " AT), &out, 0,
           "\"valid\": true", "\"check\": \"signature\"", "\"verdict\": \"passed\"",
           "\"issuedAt\": \"2025-01-01T00:00:00Z\"", NULL);
    free(id);
    remove_dir();
}
END_TEST

/* The openssl block of docs/certificate.md, exactly as written there. */
static char *doc_block(void)
{
    unsigned char *doc = NULL;
    size_t len = 0;
    ck_assert_int_eq(tc_read_file(TC_SOURCE("docs/certificate.md"), 1 << 20, &doc, &len), 0);
    const char *begin = strstr((char *)doc, "<!-- openssl-verify:begin -->\n```sh\n");
    ck_assert_ptr_nonnull(begin);
    begin = strstr(begin, "```sh\n") + 6;
    const char *end = strstr(begin, "```\n<!-- openssl-verify:end -->");
    ck_assert_ptr_nonnull(end);
    char *block = tc_xstrndup(begin, (size_t)(end - begin));
    free(doc);
    return block;
}

START_TEST(test_openssl_alone_verifies)
{
    char *out = NULL;
    setup_dir();
    write_package();
    free(keygen("keys", key_types[_i]));
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem -o cert.json"), &out, 0, NULL);
    char *block = doc_block();
    char *script = tc_xasprintf("%s/verify.sh", dir);
    ck_assert_int_eq(tc_write_file(script, block, strlen(block)), 0);
    expect(sh(&out, "mkdir w && cd w && CERT=../cert.json PUB=../keys/public.pem /bin/sh "
                    "../verify.sh"),
           &out, 0, "Signature Verified Successfully", NULL);
    /* The PAE the script built is the one twincheck signed. */
    expect(sh(&out, "head -c 38 w/pae.bin"), &out, 0, "DSSEv1 28 application/vnd.in-toto+json",
           NULL);
    if (strcmp(key_types[_i], "p256") == 0)
        expect(sh(&out, "cd w && openssl pkeyutl -verify -pubin -inkey ../keys/public.pem "
                        "-rawin -digest sha256 -in pae.bin -sigfile sig.bin"),
               &out, 0, "Signature Verified Successfully", NULL);
    /* A changed payload fails the same commands. */
    expect(sh(&out, "p=$(sed -n 's/.*\"payload\":\"\\([^\"]*\\)\".*/\\1/p' cert.json | base64 -d "
                    "| sed 's/\"passed\"/\"failed\"/' | base64 -w0) && "
                    "sed \"s|\\\"payload\\\":\\\"[^\\\"]*\\\"|\\\"payload\\\":\\\"$p\\\"|\" "
                    "cert.json > forged.json && mkdir w2 && cd w2 && CERT=../forged.json "
                    "PUB=../keys/public.pem /bin/sh ../verify.sh"),
           &out, 1, "Signature Verification Failure", NULL);
    expect(sh(&out, "\"$B\" verify forged.json --key keys/public.pem"), &out, 1, "FAIL  signature",
           "does not verify", "result: INVALID (signature)", NULL);
    free(script);
    free(block);
    remove_dir();
}
END_TEST

START_TEST(test_package_differences_are_named)
{
    char *out = NULL;
    setup_dir();
    write_package();
    free(keygen("keys", "ed25519"));
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem -o cert.json " ISSUED), &out, 0,
           NULL);
    expect(sh(&out, "printf '3,2.2\\n' >> pkg/data/obs.csv && rm pkg/model.xml && "
                    "echo note > pkg/notes.txt && "
                    "\"$B\" verify cert.json --key keys/public.pem --package pkg " AT),
           &out, 1,
           "FAIL  package     pkg differs from the certificate: 1 changed, 1 missing, "
           "1 extra",
           "changed file data/obs.csv (certified sha256 ", "missing file model.xml",
           "extra file notes.txt", "pass  signature", "result: INVALID (package)", NULL);
    expect(
        sh(&out, "\"$B\" verify cert.json --key keys/public.pem --package pkg --format json " AT),
        &out, 1, "\"valid\": false", "\"missing file model.xml\"", "\"extra file notes.txt\"",
        NULL);
    remove_dir();
}
END_TEST

START_TEST(test_issuer_and_validity)
{
    char *out = NULL;
    setup_dir();
    write_package();
    char *id = keygen("keys", "ed25519");
    free(keygen("other", "p256"));
    expect(
        sh(&out, "\"$B\" certify pkg --key keys/private.pem -o cert.json --valid-for 30 " ISSUED),
        &out, 0, NULL);
    char *unknown = tc_xasprintf("unknown issuer: no trusted key has id %s", id);
    expect(sh(&out, "\"$B\" verify cert.json --key other/public.pem " AT), &out, 1, "FAIL  issuer",
           unknown, "skip  signature   not checked: the issuer is not trusted",
           "result: INVALID (issuer)", NULL);
    expect(sh(&out, "\"$B\" verify cert.json --key keys/public.pem --at 2025-01-31T00:00:00Z"),
           &out, 1, "FAIL  validity    expired at 2025-01-31T00:00:00Z", NULL);
    expect(sh(&out, "\"$B\" verify cert.json --key keys/public.pem --at 2025-01-30T23:59:59Z"),
           &out, 0, "pass  validity", NULL);
    expect(sh(&out, "\"$B\" verify cert.json --key keys/public.pem --at 2024-12-31T23:59:59Z"),
           &out, 1, "FAIL  validity    not yet valid: issued at 2025-01-01T00:00:00Z", NULL);
    /* Without --at: the clock, and 30 days from 2025-01-01 are over. */
    expect(sh(&out, "\"$B\" verify cert.json --key keys/public.pem"), &out, 1, "expired", NULL);
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem -o now.json && "
                    "\"$B\" verify now.json --key keys/public.pem"),
           &out, 0, "result: valid", NULL);
    free(unknown);
    free(id);
    remove_dir();
}
END_TEST

START_TEST(test_failed_verdict_is_certified)
{
    char *out = NULL;
    setup_dir();
    write_package();
    free(keygen("keys", "ed25519"));
    expect(sh(&out, "printf '<broken' > pkg/model.xml && "
                    "\"$B\" certify pkg --key keys/private.pem -o cert.json " ISSUED),
           &out, 1, "pkg failed (fatal 0, error ", NULL);
    expect(sh(&out, "\"$B\" verify cert.json --key keys/public.pem --package pkg " AT), &out, 0,
           "skip  verdict     the certified verdict is failed (not required to pass)",
           "certified: pkg failed (fatal 0, error ", "result: valid", NULL);
    expect(sh(&out, "\"$B\" verify cert.json --key keys/public.pem --require-passed " AT), &out, 1,
           "FAIL  verdict", "result: INVALID (verdict)", NULL);
    remove_dir();
}
END_TEST

START_TEST(test_revocation)
{
    char *out = NULL;
    setup_dir();
    write_package();
    char *id = keygen("keys", key_types[_i]);
    char *other = keygen("other", "ed25519");
    char *list = tc_xasprintf("trust/%s.revocations.json", id);
    expect(sh(&out, "mkdir trust && cp keys/public.pem trust/issuer.pem && "
                    "\"$B\" certify pkg --key keys/private.pem -o a.json " ISSUED " && "
                    "\"$B\" certify pkg --key keys/private.pem -o b.json "
                    "--issued-at 2025-01-02T00:00:00Z && "
                    "\"$B\" certify pkg --key other/private.pem -o o.json " ISSUED),
           &out, 0, NULL);
    expect(sh(&out, "\"$B\" verify a.json --trust trust " AT), &out, 0,
           "pass  revocation  no revocation list for this issuer", NULL);

    /* Revoke a.json: it fails, b.json still passes. */
    expect(sh(&out,
              "\"$B\" revoke --key keys/private.pem --cert a.json --list %s "
              "--issued-at 2025-03-01T00:00:00Z",
              list),
           &out, 0, "created", "1 revoked certificates, 0 revoked keys", NULL);
    expect(sh(&out, "\"$B\" verify a.json --trust trust " AT), &out, 1,
           "FAIL  revocation  this certificate (payload sha256 ", ") is revoked (list",
           "of 2025-03-01T00:00:00Z)", NULL);
    expect(sh(&out, "\"$B\" verify b.json --trust trust " AT), &out, 0,
           "pass  revocation  not revoked", "1 certificates, 0 keys", NULL);
    /* The same list named explicitly. */
    expect(sh(&out, "\"$B\" verify a.json --key keys/public.pem --revocations %s " AT, list), &out,
           1, "is revoked", NULL);
    /* A certificate of another issuer cannot be put on this issuer's list. */
    expect(sh(&out, "\"$B\" revoke --key keys/private.pem --cert o.json --list %s", list), &out, 2,
           "o.json was not issued with key", NULL);
    /* Revoking the issuer's key revokes everything it signed. */
    expect(sh(&out, "\"$B\" revoke --key keys/private.pem --key-id %s --list %s", id, list), &out,
           0, "updated", "1 revoked certificates, 1 revoked keys", NULL);
    expect(sh(&out, "\"$B\" verify b.json --trust trust " AT), &out, 1,
           "FAIL  revocation  the issuer's key", "is revoked", NULL);

    /* A forged list, signed by another key, in the issuer's place. */
    expect(sh(&out,
              "rm %s && \"$B\" revoke --key other/private.pem --key-id %s --list forged && "
              "cp forged %s",
              list, other, list),
           &out, 0, NULL);
    expect(sh(&out, "\"$B\" verify b.json --trust trust " AT), &out, 1,
           "FAIL  revocation  revocation list", "refused: it is not signed by issuer", id, NULL);
    expect(sh(&out, "\"$B\" revoke --key keys/private.pem --cert a.json --list %s", list), &out, 2,
           "refusing to update", "it is not signed by issuer", NULL);
    expect(sh(&out, "\"$B\" verify b.json --key keys/public.pem --revocations missing.json " AT),
           &out, 2, "cannot open missing.json", NULL);
    free(list);
    free(other);
    free(id);
    remove_dir();
}
END_TEST

/* An issuer certified by an intermediate CA under a root CA, all made with openssl. */
START_TEST(test_x509_chain)
{
    char *out = NULL;
    setup_dir();
    write_package();
    free(keygen("keys", "ed25519"));
    expect(sh(&out,
              "set -e\n"
              "printf '[ca]\\nbasicConstraints=critical,CA:TRUE\\nkeyUsage=critical,keyCertSign,"
              "cRLSign\\n[leaf]\\nbasicConstraints=CA:FALSE\\nkeyUsage=critical,"
              "digitalSignature\\n[enc]\\nbasicConstraints=CA:FALSE\\nkeyUsage=critical,"
              "keyEncipherment\\n' > ext.cnf\n"
              "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out root.key\n"
              "openssl req -x509 -new -key root.key -subj /CN=Test-Root -days 30 -out root.pem "
              "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign\n"
              "openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out int.key\n"
              "openssl req -new -key int.key -subj /CN=Test-Intermediate -out int.csr\n"
              "openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -set_serial 2 -days 30 "
              "-extfile ext.cnf -extensions ca -out int.pem\n"
              "openssl req -new -key keys/private.pem -subj /CN=Test-Repository -out leaf.csr\n"
              "openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -set_serial 3 -days 30 "
              "-extfile ext.cnf -extensions leaf -out leaf.pem\n"
              "openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -set_serial 4 -days 30 "
              "-extfile ext.cnf -extensions enc -out enc.pem\n"
              "mkdir full noroot badusage\n"
              "cp root.pem int.pem leaf.pem full/\n"
              "cp int.pem leaf.pem noroot/\n"
              "cp root.pem int.pem badusage/ && cp enc.pem badusage/leaf.crt\n"
              "\"$B\" certify pkg --key keys/private.pem -o cert.json"),
           &out, 0, NULL);
    expect(sh(&out, "\"$B\" verify cert.json --trust full --package pkg"), &out, 0, "pass  issuer",
           "full/leaf.pem",
           "pass  chain       /CN=Test-Repository, chain of 3 "
           "to root /CN=Test-Root",
           "pass  signature", "result: valid", NULL);
    expect(sh(&out, "\"$B\" verify cert.json --trust noroot"), &out, 1,
           "FAIL  chain       certificate chain of /CN=Test-Repository does not verify: unable "
           "to get local issuer certificate",
           "skip  signature   not checked: the issuer's certificate is not trusted",
           "result: INVALID (chain)", NULL);
    expect(sh(&out, "\"$B\" verify cert.json --trust badusage"), &out, 1,
           "FAIL  chain       certificate /CN=Test-Repository does not allow digital signatures "
           "(key usage)",
           NULL);
    /* The chain is checked at the time of the check: after the CA certificates expire. */
    expect(sh(&out, "\"$B\" verify cert.json --trust full --at 2099-01-01T00:00:00Z"), &out, 1,
           "FAIL  chain", "certificate has expired", NULL);
    /* A private key in the trust folder is refused. */
    expect(sh(&out, "cp root.key full/oops.pem && \"$B\" verify cert.json --trust full"), &out, 2,
           "full/oops.pem holds a private key", NULL);
    remove_dir();
}
END_TEST

START_TEST(test_usage_errors)
{
    char *out = NULL;
    setup_dir();
    write_package();
    free(keygen("keys", "ed25519"));
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem -o c.json " ISSUED), &out, 0, NULL);
    expect(sh(&out, "\"$B\" verify c.json --trust keys --key keys/public.pem"), &out, 2,
           "give the trusted issuers with --trust DIR or --key PUB (one of them)", NULL);
    expect(sh(&out, "\"$B\" verify c.json"), &out, 2, "--trust DIR or --key PUB", NULL);
    expect(sh(&out, "\"$B\" verify none.json --key keys/public.pem"), &out, 2,
           "cannot open none.json", NULL);
    expect(sh(&out, "\"$B\" verify c.json --trust nowhere"), &out, 2,
           "cannot read trust directory nowhere", NULL);
    expect(sh(&out, "\"$B\" verify c.json --key keys/private.pem"), &out, 2,
           "keys/private.pem is not a PEM public key", NULL);
    expect(sh(&out, "\"$B\" verify c.json --key keys/public.pem --format xml"), &out, 2,
           "unknown format 'xml'", NULL);
    expect(sh(&out, "\"$B\" verify c.json --key keys/public.pem --at tomorrow"), &out, 2,
           "'tomorrow' is not an RFC 3339 time", NULL);
    expect(sh(&out, "\"$B\" verify c.json x.json --key keys/public.pem"), &out, 2,
           "unexpected argument 'x.json'", NULL);
    expect(sh(&out, "\"$B\" verify c.json --key keys/public.pem --package nothing " AT), &out, 2,
           "cannot open nothing", NULL);
    expect(sh(&out, "\"$B\" verify keys/public.pem --key keys/public.pem"), &out, 1,
           "FAIL  envelope    not JSON", NULL);
    expect(sh(&out, "\"$B\" certify pkg"), &out, 2, "no --key to sign with", NULL);
    expect(sh(&out, "\"$B\" certify --key keys/private.pem"), &out, 2, "no PKG to certify", NULL);
    expect(sh(&out, "\"$B\" certify nothing --key keys/private.pem"), &out, 2,
           "cannot open nothing", NULL);
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem --valid-for 0"), &out, 2,
           "--valid-for '0' is not a number of days", NULL);
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem --issued-at 9999-06-01T00:00:00Z"),
           &out, 2, "would expire after 9999-12-31T23:59:59Z", NULL);
    expect(sh(&out, "SOURCE_DATE_EPOCH=soon \"$B\" certify pkg --key keys/private.pem"), &out, 2,
           "SOURCE_DATE_EPOCH='soon' is not a number of seconds", NULL);
    expect(sh(&out, "\"$B\" certify pkg --key keys/public.pem"), &out, 2,
           "keys/public.pem is not a PEM private key", NULL);
    expect(sh(&out, "\"$B\" revoke --key keys/private.pem --list l.json"), &out, 2,
           "nothing to revoke", NULL);
    expect(sh(&out, "\"$B\" revoke --key keys/private.pem --key-id ABC --list l.json"), &out, 2,
           "--key-id 'ABC' is not 64 lowercase hex digits", NULL);
    expect(sh(&out, "\"$B\" revoke --key keys/private.pem --cert pkg/model.xml --list l.json"),
           &out, 2, "pkg/model.xml: not JSON", NULL);
    expect(sh(&out, "\"$B\" keygen"), &out, 2, "no --out DIR", NULL);
    remove_dir();
}
END_TEST

/* An archive is a subject of its own, beside every file in it; changing one byte
 * of the archive fails verification by naming it. */
START_TEST(test_archive_is_a_subject)
{
    char *out = NULL;
    const char *fixtures = getenv("TC_FIXTURES");
    if (!fixtures) {
        printf("SKIP test_archive_is_a_subject: TC_FIXTURES (generated archives) not set\n");
        return;
    }
    setup_dir();
    char *id = keygen("keys", "ed25519");
    expect(sh(&out, "cp '%s/broken/symlink-inside-archive.omex' twin.omex", fixtures), &out, 0,
           NULL);
    expect(sh(&out, "\"$B\" certify twin.omex --key keys/private.pem -o c.json " ISSUED), &out, 0,
           "twin.omex passed", "6 subjects signed by key", id, NULL);
    expect(sh(&out, "\"$B\" verify c.json --key keys/public.pem --package twin.omex " AT), &out,
           0, "pass  package     all 5 files and the archive match", "result: valid", NULL);
    /* Byte 10 is the first local header's modification time: the files still read the
     * same, only the archive's own digest changes. */
    expect(sh(&out, "printf '\\377' | dd of=twin.omex bs=1 seek=10 conv=notrunc 2>/dev/null && "
                    "\"$B\" verify c.json --key keys/public.pem --package twin.omex " AT),
           &out, 1, "changed archive twin.omex", "result: INVALID (package)", NULL);
    free(id);
    remove_dir();
}
END_TEST

/* A package with a credibility dossier is assessed, and the certificate names the
 * pack by id and digest; one without a dossier has no credibility summary. */
START_TEST(test_credibility_pack_is_recorded)
{
    char *out = NULL;
    setup_dir();
    free(keygen("keys", "ed25519"));
    expect(sh(&out, "\"$B\" certify '%s' --key keys/private.pem -o c.json " ISSUED " && "
                    "sed 's/.*\"payload\": *\"\\([^\"]*\\)\".*/\\1/' c.json | base64 -d",
              TC_SOURCE("fixtures/credibility/pk-package")),
           &out, 0, "\"packs\":[{\"id\":\"vv40\",\"sha256\":\"", "\"pack\":{\"id\":\"vv40\"",
           "\"risk\":3", "\"required\":", "\"supported\":", NULL);
    /* The bundled package re-runs: its three declared data sets verify. */
    expect(sh(&out, "\"$B\" certify '%s' --key keys/private.pem -o c3.json " ISSUED "; "
                    "sed 's/.*\"payload\": *\"\\([^\"]*\\)\".*/\\1/' c3.json | base64 -d",
              TC_SOURCE("fixtures/valid/pk-two-compartment")),
           &out, 0, "\"reruns\":{\"data_sets\":3,\"entries\":[", "\"fail\":0,",
           "\"not-verifiable\":0,\"pass\":3}", NULL);
    write_package();
    expect(sh(&out, "\"$B\" certify pkg --key keys/private.pem -o c2.json " ISSUED " && "
                    "sed 's/.*\"payload\": *\"\\([^\"]*\\)\".*/\\1/' c2.json | base64 -d"),
           &out, 0, "\"credibility\":null", "\"packs\":[]", NULL);
    remove_dir();
}
END_TEST

Suite *certify_cli_suite(void)
{
    Suite *s = suite_create("certify_cli");
    TCase *tc = tcase_create("commands");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_keygen_mode_and_key_id, 0, 2);
    tcase_add_test(tc, test_encrypted_key);
    tcase_add_loop_test(tc, test_round_trip_and_reproducible, 0, 2);
    tcase_add_loop_test(tc, test_openssl_alone_verifies, 0, 2);
    tcase_add_test(tc, test_package_differences_are_named);
    tcase_add_test(tc, test_issuer_and_validity);
    tcase_add_test(tc, test_failed_verdict_is_certified);
    tcase_add_loop_test(tc, test_revocation, 0, 2);
    tcase_add_test(tc, test_x509_chain);
    tcase_add_test(tc, test_usage_errors);
    tcase_add_test(tc, test_archive_is_a_subject);
    tcase_add_test(tc, test_credibility_pack_is_recorded);
    suite_add_tcase(s, tc);
    return s;
}
