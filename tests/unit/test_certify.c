/* certify: canonical JSON, base64, times, keys, DSSE, revocation lists and verification. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testutil.h"
#include "certify/certify.h"

/* ---- canonical JSON numbers: RFC 8785 appendix B, and edge cases ---------------------- */

static const struct {
    uint64_t bits;
    const char *text;
} rfc8785_numbers[] = {
    {0x0000000000000000, "0"},
    {0x8000000000000000, "0"}, /* -0 */
    {0x0000000000000001, "5e-324"},
    {0x8000000000000001, "-5e-324"},
    {0x7fefffffffffffff, "1.7976931348623157e+308"},
    {0xffefffffffffffff, "-1.7976931348623157e+308"},
    {0x4340000000000000, "9007199254740992"},
    {0xc340000000000000, "-9007199254740992"},
    {0x4430000000000000, "295147905179352830000"},
    {0x44b52d02c7e14af5, "9.999999999999997e+22"},
    {0x44b52d02c7e14af6, "1e+23"},
    {0x44b52d02c7e14af7, "1.0000000000000001e+23"},
    {0x444b1ae4d6e2ef4e, "999999999999999700000"},
    {0x444b1ae4d6e2ef4f, "999999999999999900000"},
    {0x444b1ae4d6e2ef50, "1e+21"},
    {0x3eb0c6f7a0b5ed8c, "9.999999999999997e-7"},
    {0x3eb0c6f7a0b5ed8d, "0.000001"},
    {0x41b3de4355555553, "333333333.3333332"},
    {0x41b3de4355555554, "333333333.33333325"},
    {0x41b3de4355555555, "333333333.3333333"},
    {0x41b3de4355555556, "333333333.3333334"},
    {0x41b3de4355555557, "333333333.33333343"},
    {0xbecbf647612f3696, "-0.0000033333333333333333"},
    {0x43143ff3c1cb0959, "1424953923781206.2"},
};

START_TEST(test_jcs_rfc8785_numbers)
{
    double v;
    char out[TC_JCS_NUMBER_MAX];
    memcpy(&v, &rfc8785_numbers[_i].bits, sizeof v);
    ck_assert_int_eq(tc_jcs_number(v, out), 0);
    ck_assert_str_eq(out, rfc8785_numbers[_i].text);
}
END_TEST

static const struct {
    double v;
    const char *text;
} edge_numbers[] = {
    {1e21, "1e+21"},
    {1e20, "100000000000000000000"},
    {1e-7, "1e-7"},
    {1e-6, "0.000001"},
    {1.5e-7, "1.5e-7"},
    {0.1 + 0.2, "0.30000000000000004"},
    {5e-324, "5e-324"},
    {-0.0, "0"},
    {1, "1"},
    {-1.5, "-1.5"},
    {4.50, "4.5"},
    {2e-3, "0.002"},
    {1e30, "1e+30"},
    {0.000000000000000000000000001, "1e-27"},
    {123456789012345680000.0, "123456789012345680000"},
    {2.2250738585072014e-308, "2.2250738585072014e-308"},
    /* Powers of two where the nearest 16-digit decimal does not read back but
     * its upper neighbour does (ECMAScript output, checked with node). */
    {618970019642690137449562112.0, "6.189700196426902e+26"},           /* 2^89 */
    {5316911983139663491615228241121378304.0, "5.316911983139664e+36"}, /* 2^122 */
};

START_TEST(test_jcs_edge_numbers)
{
    char out[TC_JCS_NUMBER_MAX];
    ck_assert_int_eq(tc_jcs_number(edge_numbers[_i].v, out), 0);
    ck_assert_str_eq(out, edge_numbers[_i].text);
}
END_TEST

/* JCS writes a real below 1e21 without an exponent; beyond json_int_t jansson
 * would refuse it as an integer, so a certificate carrying one (a large relative
 * error, say) could not be verified (found by fuzzing). tc_jcs_load reads it. */
START_TEST(test_jcs_large_reals_read_back)
{
    json_t *v = json_pack("{s:[f,f,i,f],s:f}", "e", 1.7997631e20, 5e-324, (json_int_t)3, 1e16,
                          "f", -1e16);
    char *text = NULL;
    size_t len = 0;
    ck_assert_int_eq(tc_jcs_serialize(v, &text, &len), 0);
    ck_assert_str_eq(text, "{\"e\":[179976310000000000000,5e-324,3,10000000000000000],"
                           "\"f\":-10000000000000000}");
    json_error_t err;
    json_t *back = tc_jcs_load(text, len, &err);
    ck_assert_ptr_nonnull(back);
    json_t *e = json_object_get(back, "e");
    ck_assert(json_is_real(json_array_get(e, 0)));
    ck_assert(json_real_value(json_array_get(e, 0)) == 1.7997631e20);
    ck_assert(json_number_value(json_array_get(e, 2)) == 3.0);
    ck_assert(json_is_real(json_array_get(e, 3)));
    ck_assert(json_is_real(json_object_get(back, "f")));
    char *again = NULL;
    size_t again_len = 0;
    ck_assert_int_eq(tc_jcs_serialize(back, &again, &again_len), 0);
    ck_assert_str_eq(again, text);
    /* other errors are still errors */
    ck_assert_ptr_null(tc_jcs_load("{\"a\":1,\"a\":2}", 13, &err));
    ck_assert_ptr_null(tc_jcs_load("[1e999]", 7, &err));

    /* and a signed statement carrying such a number verifies */
    tc_key *key = NULL;
    ck_assert_int_eq(tc_key_generate(&key, TC_KEY_ED25519), 0);
    char *st = tc_xasprintf(
        "{\"_type\":\"" TC_INTOTO_STATEMENT_V1 "\",\"predicateType\":\"" TC_PREDICATE_TYPE "\","
        "\"subject\":[{\"name\":\"m.xml\",\"digest\":{\"sha256\":\"%064d\"}}],"
        "\"predicate\":{\"issuer\":{\"keyId\":\"%s\"},\"verdict\":\"failed\","
        "\"issuedAt\":\"2025-01-01T00:00:00Z\",\"expiresAt\":\"2026-01-01T00:00:00Z\","
        "\"reruns\":{\"entries\":[{\"max_rel_error\":179976310000000000000}]}}}",
        0, tc_key_id(key));
    char *cert = NULL;
    size_t cert_len = 0;
    ck_assert_int_eq(
        tc_dsse_sign(key, TC_DSSE_STATEMENT_TYPE, st, strlen(st), &cert, &cert_len), 0);
    tc_trust *trust = tc_trust_of_key(key, "test");
    tc_verify_options opt = {.trust = trust, .at = 1748736000 /* 2025-06-01 */};
    tc_verification ver;
    tc_verification_init(&ver);
    ck_assert_int_eq(tc_verify(&ver, cert, cert_len, &opt), 0);
    ck_assert_msg(ver.checks[TC_VERIFY_STATEMENT].result == TC_CHECK_PASS, "%s",
                  ver.checks[TC_VERIFY_STATEMENT].message);
    tc_verification_release(&ver);
    tc_trust_free(trust);
    free(cert);
    free(st);
    free(again);
    json_decref(back);
    free(text);
    json_decref(v);
}
END_TEST

START_TEST(test_jcs_rejects_nan_and_infinity)
{
    char out[TC_JCS_NUMBER_MAX];
    ck_assert_int_eq(tc_jcs_number(NAN, out), TC_EINVAL);
    ck_assert(strstr(tc_error_last(), "NaN") != NULL);
    ck_assert_int_eq(tc_jcs_number(-INFINITY, out), TC_EINVAL);
    ck_assert(strstr(tc_error_last(), "infinite") != NULL);
}
END_TEST

static char *canonical(const char *json)
{
    json_error_t err;
    json_t *v = json_loads(json, JSON_DECODE_ANY, &err);
    ck_assert_msg(v != NULL, "test JSON does not parse: %s", err.text);
    char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(tc_jcs_serialize(v, &out, &len), 0);
    ck_assert_uint_eq(len, strlen(out));
    json_decref(v);
    return out;
}

START_TEST(test_jcs_rfc8785_example)
{
    /* RFC 8785, section 3.2.2's input and 3.2.4's output. */
    char *out = canonical(
        "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
        "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
        "  \"literals\": [null, true, false]\n}");
    ck_assert_str_eq(out, "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,"
                          "1e+30,4.5,0.002,1e-27],\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\"
                          "\\\\\\\"/\"}");
    free(out);
}
END_TEST

START_TEST(test_jcs_sorts_by_utf16_code_units)
{
    /* RFC 8785, section 3.2.3: the emoji (a surrogate pair, D83D...) sorts
     * before U+FB33, though its code point is higher. */
    char *out = canonical("{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", "
                          "\"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\", "
                          "\"\\ud83d\\ude00\": \"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
                          "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}");
    const char *order[] = {"Carriage Return", "One",   "Control", "Latin Small",
                           "Euro Sign",       "Emoji", "Hebrew"};
    const char *at = out;
    for (size_t i = 0; i < sizeof order / sizeof *order; i++) {
        const char *p = strstr(at, order[i]);
        ck_assert_msg(p != NULL, "%s is out of order in %s", order[i], out);
        at = p;
    }
    free(out);
}
END_TEST

START_TEST(test_jcs_strings_integers_nesting)
{
    char *out = canonical("{\"b\":[1,2.0,-0.0,{\"z\":\"\\u0001\\u001f\\u007f\\b\\f\\t\"}],"
                          "\"a\":{}, \"\":[]}");
    ck_assert_str_eq(out,
                     "{\"\":[],\"a\":{},\"b\":[1,2,0,{\"z\":\"\\u0001\\u001f\x7f\\b\\f\\t\"}]}");
    free(out);
    json_t *big = json_pack("[I]", (json_int_t)1 << 60);
    char *s = NULL;
    size_t n = 0;
    ck_assert_int_eq(tc_jcs_serialize(big, &s, &n), TC_EINVAL);
    ck_assert(strstr(tc_error_last(), "2^53") != NULL);
    ck_assert_ptr_null(s);
    json_decref(big);
}
END_TEST

/* ---- base64, times, PAE --------------------------------------------------------------------- */

START_TEST(test_base64)
{
    static const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char *e = tc_base64_encode(plain[i], strlen(plain[i]));
        ck_assert_str_eq(e, coded[i]);
        unsigned char *d = NULL;
        size_t n = 0;
        ck_assert_int_eq(tc_base64_decode(e, strlen(e), &d, &n), 0);
        ck_assert_uint_eq(n, strlen(plain[i]));
        ck_assert(memcmp(d, plain[i], n) == 0);
        free(d);
        free(e);
    }
    unsigned char *d = NULL;
    size_t n = 0;
    ck_assert_int_eq(tc_base64_decode("-_8", 3, &d, &n), 0); /* URL-safe, unpadded */
    ck_assert_uint_eq(n, 2);
    ck_assert_int_eq(d[0], 0xfb);
    ck_assert_int_eq(d[1], 0xff);
    free(d);
    ck_assert_int_eq(tc_base64_decode("+_8=", 4, &d, &n), TC_EINVAL); /* mixed alphabets */
    ck_assert_int_eq(tc_base64_decode("Zh==", 4, &d, &n), TC_EINVAL); /* bits after the end */
    ck_assert(strstr(tc_error_last(), "padding bits") != NULL);
    ck_assert_int_eq(tc_base64_decode("Zm9v\n", 5, &d, &n), TC_EINVAL);
    ck_assert_int_eq(tc_base64_decode("Z", 1, &d, &n), TC_EINVAL);
    ck_assert_int_eq(tc_base64_decode("Zg=a", 4, &d, &n), TC_EINVAL);
}
END_TEST

START_TEST(test_times)
{
    int64_t t;
    char s[TC_TIME_MAX_LEN];
    ck_assert_int_eq(tc_time_parse("1970-01-01T00:00:00Z", &t), 0);
    ck_assert_int_eq(t, 0);
    ck_assert_int_eq(tc_time_parse("2024-02-29T12:34:56Z", &t), 0);
    ck_assert_int_eq(t, 1709210096);
    tc_time_format(t, s);
    ck_assert_str_eq(s, "2024-02-29T12:34:56Z");
    ck_assert_int_eq(tc_time_parse("2024-02-29T14:34:56.789+02:00", &t), 0);
    ck_assert_int_eq(t, 1709210096);
    ck_assert_int_eq(tc_time_parse("2000-03-01t00:00:00-01:30", &t), 0);
    ck_assert_int_eq(t, 951868800 + 5400);
    const char *bad[] = {"2023-02-29T00:00:00Z",
                         "2024-13-01T00:00:00Z",
                         "2024-01-01 00:00:00Z",
                         "2024-01-01T00:00:00",
                         "1969-12-31T23:59:59Z",
                         "2024-01-01T24:00:00Z",
                         "2024-01-01T00:00:00+0100",
                         "yesterday",
                         ""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ck_assert_msg(tc_time_parse(bad[i], &t) == TC_EUSAGE, "accepted '%s'", bad[i]);
        ck_assert(strstr(tc_error_last(), "RFC 3339") != NULL);
    }
    setenv("SOURCE_DATE_EPOCH", "1735689600", 1);
    ck_assert_int_eq(tc_time_issue(NULL, &t), 0);
    ck_assert_int_eq(t, 1735689600);
    ck_assert_int_eq(tc_time_issue("2025-06-01T00:00:00Z", &t), 0); /* the option wins */
    ck_assert_int_eq(t, 1748736000);
    setenv("SOURCE_DATE_EPOCH", "12x", 1);
    ck_assert_int_eq(tc_time_issue(NULL, &t), TC_EUSAGE);
    unsetenv("SOURCE_DATE_EPOCH");
}
END_TEST

START_TEST(test_pae)
{
    /* The example of the DSSE protocol description. */
    tc_buf b = TC_BUF_INIT;
    tc_dsse_pae(&b, "http://example.com/HelloWorld", "hello world", 11);
    ck_assert_str_eq(b.data, "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
    tc_buf_release(&b);
    tc_dsse_pae(&b, "t", "", 0);
    ck_assert_str_eq(b.data, "DSSEv1 1 t 0 ");
    tc_buf_release(&b);
}
END_TEST

/* ---- keys -------------------------------------------------------------------------------------
 */

static char tmpdir[64];

static void make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tc-certify-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    ck_assert_int_eq(system(cmd), 0);
}

static char *tmp_path(const char *name)
{
    return tc_xasprintf("%s/%s", tmpdir, name);
}

static const tc_key_type both_types[] = {TC_KEY_ED25519, TC_KEY_P256};

START_TEST(test_key_sign_verify_and_pem)
{
    tc_key *key = NULL, *pub = NULL, *priv = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    char *pem = NULL, *pubpem = NULL;
    size_t pem_len, pub_len;
    make_tmpdir();
    ck_assert_int_eq(tc_key_generate(&key, both_types[_i]), 0);
    ck_assert_int_eq(tc_key_get_type(key), both_types[_i]);
    ck_assert(tc_is_sha256_hex(tc_key_id(key)));
    ck_assert_int_eq(tc_key_sign(key, "message", 7, &sig, &sig_len), 0);
    ck_assert_int_eq(tc_key_verify(key, "message", 7, sig, sig_len), 0);
    ck_assert_int_eq(tc_key_verify(key, "messagE", 7, sig, sig_len), TC_ESIGNATURE);
    sig[sig_len / 2] ^= 1;
    ck_assert_int_eq(tc_key_verify(key, "message", 7, sig, sig_len), TC_ESIGNATURE);
    ck_assert(strstr(tc_error_last(), "does not verify") != NULL);

    /* Through PEM files, encrypted and not: the same key id. */
    char *priv_path = tmp_path("k.pem"), *pub_path = tmp_path("p.pem");
    ck_assert_int_eq(tc_key_private_pem(key, "correct horse", &pem, &pem_len), 0);
    ck_assert(strstr(pem, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL);
    ck_assert_int_eq(tc_write_private_file(priv_path, pem, pem_len, false), 0);
    ck_assert_int_eq(tc_key_public_pem(key, &pubpem, &pub_len), 0);
    ck_assert_int_eq(tc_write_file(pub_path, pubpem, pub_len), 0);
    ck_assert_int_eq(tc_key_load_private(&priv, priv_path, NULL), TC_EINVAL);
    ck_assert(strstr(tc_error_last(), "is encrypted") != NULL);
    ck_assert_int_eq(tc_key_load_private(&priv, priv_path, "wrong horse"), TC_EINVAL);
    ck_assert(strstr(tc_error_last(), "cannot decrypt") != NULL);
    ck_assert_int_eq(tc_key_load_private(&priv, priv_path, "correct horse"), 0);
    ck_assert_int_eq(tc_key_load_public(&pub, pub_path), 0);
    ck_assert_str_eq(tc_key_id(priv), tc_key_id(key));
    ck_assert_str_eq(tc_key_id(pub), tc_key_id(key));
    free(sig);
    ck_assert_int_eq(tc_key_sign(priv, "m", 1, &sig, &sig_len), 0);
    ck_assert_int_eq(tc_key_verify(pub, "m", 1, sig, sig_len), 0);
    free(sig);
    ck_assert_int_eq(tc_key_sign(pub, "m", 1, &sig, &sig_len), TC_EINVAL); /* no private half */
    ck_assert_ptr_null(sig);
    tc_key *none = NULL;
    ck_assert_int_eq(tc_key_load_public(&none, priv_path), TC_EINVAL);
    ck_assert_ptr_null(none);
    ck_assert(strstr(tc_error_last(), "not a PEM public key") != NULL);
    tc_secret_free(pem, pem_len);
    free(pubpem);
    free(priv_path);
    free(pub_path);
    tc_key_free(key);
    tc_key_free(pub);
    tc_key_free(priv);
    remove_tmpdir();
}
END_TEST

START_TEST(test_private_file_mode_and_no_overwrite)
{
    struct stat st;
    make_tmpdir();
    char *path = tmp_path("secret.pem");
    mode_t old = umask(0); /* even with a permissive umask */
    ck_assert_int_eq(tc_write_private_file(path, "x", 1, false), 0);
    umask(old);
    ck_assert_int_eq(stat(path, &st), 0);
    ck_assert_int_eq(st.st_mode & 0777, 0600);
    ck_assert_int_eq(tc_write_private_file(path, "y", 1, false), TC_EUSAGE);
    ck_assert(strstr(tc_error_last(), "already exists") != NULL);
    ck_assert_int_eq(tc_write_private_file(path, "z", 1, true), 0);
    /* A planted symlink is not followed. */
    char *link = tmp_path("link.pem"), *target = tmp_path("target");
    ck_assert_int_eq(symlink(target, link), 0);
    ck_assert_int_eq(tc_write_private_file(link, "x", 1, false), TC_EUSAGE);
    ck_assert_int_ne(access(target, F_OK), 0);
    free(link);
    free(target);
    free(path);
    remove_tmpdir();
}
END_TEST

START_TEST(test_passphrase_sources)
{
    char *p = NULL;
    make_tmpdir();
    char *file = tmp_path("pass");
    ck_assert_int_eq(tc_write_file(file, "s3cret\r\nignored\n", 16), 0);
    ck_assert_int_eq(tc_passphrase_read(NULL, file, &p), 0);
    ck_assert_str_eq(p, "s3cret");
    tc_secret_free(p, strlen(p));
    setenv("TC_TEST_PASS", "from env", 1);
    ck_assert_int_eq(tc_passphrase_read("TC_TEST_PASS", NULL, &p), 0);
    ck_assert_str_eq(p, "from env");
    tc_secret_free(p, strlen(p));
    ck_assert_int_eq(tc_passphrase_read("TC_TEST_PASS", file, &p), TC_EUSAGE);
    ck_assert_int_eq(tc_passphrase_read("TC_TEST_UNSET_VARIABLE", NULL, &p), TC_EUSAGE);
    ck_assert(strstr(tc_error_last(), "TC_TEST_UNSET_VARIABLE") != NULL);
    ck_assert_int_eq(tc_write_file(file, "\n", 1), 0);
    ck_assert_int_eq(tc_passphrase_read(NULL, file, &p), TC_EINVAL);
    ck_assert_int_eq(tc_passphrase_read(NULL, NULL, &p), 0);
    ck_assert_ptr_null(p);
    free(file);
    remove_tmpdir();
}
END_TEST

/* ---- a small package, certified and verified in memory ------------------------------------ */

static void write_package(const char *dir)
{
    char *p = tc_xasprintf("%s/pkg", dir);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    free(p);
    p = tc_xasprintf("%s/pkg/data", dir);
    ck_assert_int_eq(mkdir(p, 0755), 0);
    free(p);
    static const char *manifest =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
        "  <content location=\".\" "
        "format=\"http://identifiers.org/combine.specifications/omex\"/>\n"
        "  <content location=\"./model.xml\" "
        "format=\"http://identifiers.org/combine.specifications/sbml\"/>\n"
        "  <content location=\"./data/obs.csv\" "
        "format=\"http://purl.org/NET/mediatypes/text/csv\"/>\n"
        "</omexManifest>\n";
    static const char *model = "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/"
                               "level3/version2/core\" level=\"3\" version=\"2\"/>\n";
    static const char *csv = "time,C\n0,10\n1,6.1\n2,3.7\n";
    const char *names[] = {"manifest.xml", "model.xml", "data/obs.csv"};
    const char *texts[] = {manifest, model, csv};
    for (int i = 0; i < 3; i++) {
        p = tc_xasprintf("%s/pkg/%s", dir, names[i]);
        ck_assert_int_eq(tc_write_file(p, texts[i], strlen(texts[i])), 0);
        free(p);
    }
}

/* Certify <tmpdir>/pkg with `key` at 2025-01-01 for a year. */
static char *certify_pkg(const tc_key *key, size_t *len)
{
    json_t *subjects = NULL;
    char *pkg = tmp_path("pkg"), *cert = NULL;
    tc_run run;
    tc_run_init(&run);
    ck_assert_int_eq(tc_cert_subjects(&subjects, pkg), 0);
    tc_cert_options co = {.issued_at = 1735689600, .valid_for = 365 * 86400};
    json_t *st = tc_cert_statement(subjects, pkg, &run, tc_key_id(key), &co);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(tc_cert_sign(key, st, &cert, len), 0);
    json_decref(st);
    tc_run_release(&run);
    free(pkg);
    return cert;
}

START_TEST(test_statement_is_canonical_and_complete)
{
    tc_key *key = NULL;
    tc_dsse env;
    size_t len1, len2;
    make_tmpdir();
    write_package(tmpdir);
    ck_assert_int_eq(tc_key_generate(&key, TC_KEY_ED25519), 0);
    char *c1 = certify_pkg(key, &len1), *c2 = certify_pkg(key, &len2);
    ck_assert_str_eq(c1, c2); /* Ed25519 is deterministic: the same bytes */
    ck_assert_int_eq(tc_dsse_parse(&env, c1, len1), 0);
    ck_assert_str_eq(env.payload_type, "application/vnd.in-toto+json");
    /* The payload is its own canonical form. */
    json_t *st = json_loads((const char *)env.payload, 0, NULL);
    ck_assert_ptr_nonnull(st);
    char *again = NULL;
    size_t n = 0;
    ck_assert_int_eq(tc_jcs_serialize(st, &again, &n), 0);
    ck_assert_str_eq(again, (const char *)env.payload);
    free(again);
    ck_assert_str_eq(json_string_value(json_object_get(st, "_type")),
                     "https://in-toto.io/Statement/v1");
    ck_assert_str_eq(json_string_value(json_object_get(st, "predicateType")),
                     "urn:twincheck:predicate:quality-certificate:v1");
    json_t *subjects = json_object_get(st, "subject");
    ck_assert_uint_eq(json_array_size(subjects), 3);
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(subjects, 0), "name")),
                     "data/obs.csv");
    char want[TC_SHA256_HEX];
    const char *csv = "time,C\n0,10\n1,6.1\n2,3.7\n";
    tc_sha256_hex(csv, strlen(csv), want);
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_array_get(subjects, 0), "digest"), "sha256")),
                     want);
    json_t *pred = json_object_get(st, "predicate");
    ck_assert_str_eq(json_string_value(json_object_get(pred, "issuedAt")), "2025-01-01T00:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(pred, "expiresAt")), "2026-01-01T00:00:00Z");
    ck_assert_str_eq(json_string_value(json_object_get(pred, "verdict")), "passed");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(pred, "issuer"), "keyId")),
                     tc_key_id(key));
    ck_assert_str_eq(json_string_value(json_object_get(
                         json_object_get(json_object_get(pred, "rules"), "catalogue"), "sha256")),
                     tc_rules_digest());
    ck_assert(json_is_null(json_object_get(pred, "reruns")));
    ck_assert(json_is_null(json_object_get(pred, "credibility")));
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(pred, "package"), "name")),
                     "pkg");
    json_decref(st);
    tc_dsse_release(&env);
    free(c1);
    free(c2);
    tc_key_free(key);
    remove_tmpdir();
}
END_TEST

/* A store trusting the public half of `key`, read back from PEM. */
static tc_trust *trust_for(const tc_key *key)
{
    tc_key *copy = NULL;
    char *pem = NULL, *path = tmp_path("issuer.pub");
    size_t n;
    ck_assert_int_eq(tc_key_public_pem(key, &pem, &n), 0);
    ck_assert_int_eq(tc_write_file(path, pem, n), 0);
    ck_assert_int_eq(tc_key_load_public(&copy, path), 0);
    tc_trust *trust = tc_trust_of_key(copy, path);
    free(pem);
    free(path);
    return trust;
}

static void verify_with(tc_verification *v, const char *cert, size_t len, const tc_trust *trust,
                        bool with_package)
{
    char *pkg = tmp_path("pkg");
    tc_verify_options opt = {
        .trust = trust, .package = with_package ? pkg : NULL, .at = 1748736000 /* 2025-06-01 */};
    tc_verification_init(v);
    ck_assert_int_eq(tc_verify(v, cert, len, &opt), 0);
    free(pkg);
}

START_TEST(test_verify_round_trip)
{
    tc_key *key = NULL;
    tc_verification v;
    size_t len;
    make_tmpdir();
    write_package(tmpdir);
    ck_assert_int_eq(tc_key_generate(&key, both_types[_i]), 0);
    char *cert = certify_pkg(key, &len);
    tc_trust *trust = trust_for(key);
    verify_with(&v, cert, len, trust, true);
    tc_trust_free(trust);
    for (int c = 0; c < TC_VERIFY_COUNT; c++)
        ck_assert_msg(v.checks[c].result != TC_CHECK_FAIL, "%s failed: %s", tc_verify_check_name(c),
                      v.checks[c].message);
    ck_assert(v.valid);
    ck_assert_int_eq(v.checks[TC_VERIFY_SIGNATURE].result, TC_CHECK_PASS);
    ck_assert_int_eq(v.checks[TC_VERIFY_PACKAGE].result, TC_CHECK_PASS);
    ck_assert(strstr(v.checks[TC_VERIFY_PACKAGE].message, "all 3 files") != NULL);
    tc_verification_release(&v);
    free(cert);
    tc_key_free(key);
    remove_tmpdir();
}
END_TEST

/* Rebuild an envelope around changed payload or signature bytes. */
static char *envelope_of(const tc_dsse *env, const unsigned char *payload, const unsigned char *sig,
                         size_t *len)
{
    char *p64 = tc_base64_encode(payload, env->payload_len);
    char *s64 = tc_base64_encode(sig, env->sigs[0].sig_len);
    json_t *j = json_pack("{s:s,s:s,s:[{s:s,s:s}]}", "payload", p64, "payloadType",
                          env->payload_type, "signatures", "keyid", env->sigs[0].keyid, "sig", s64);
    char *out = NULL;
    ck_assert_int_eq(tc_jcs_serialize(j, &out, len), 0);
    json_decref(j);
    free(p64);
    free(s64);
    return out;
}

START_TEST(test_any_tampered_byte_fails)
{
    tc_key *key = NULL;
    tc_dsse env;
    size_t len;
    make_tmpdir();
    write_package(tmpdir);
    ck_assert_int_eq(tc_key_generate(&key, both_types[_i]), 0);
    char *cert = certify_pkg(key, &len);
    tc_trust *trust = trust_for(key);
    ck_assert_int_eq(tc_dsse_parse(&env, cert, len), 0);

    /* Every byte of the payload. */
    unsigned char *payload = tc_xmalloc(env.payload_len);
    for (size_t i = 0; i < env.payload_len; i++) {
        tc_verification v;
        size_t n;
        memcpy(payload, env.payload, env.payload_len);
        payload[i] ^= 0x01;
        char *bad = envelope_of(&env, payload, env.sigs[0].sig, &n);
        verify_with(&v, bad, n, trust, false);
        ck_assert_msg(!v.valid, "payload byte %zu changed, still valid", i);
        ck_assert_int_eq(v.checks[TC_VERIFY_SIGNATURE].result, TC_CHECK_FAIL);
        ck_assert(strstr(v.checks[TC_VERIFY_SIGNATURE].message, "does not verify") != NULL);
        ck_assert_int_eq(v.checks[TC_VERIFY_STATEMENT].result, TC_CHECK_SKIP);
        tc_verification_release(&v);
        free(bad);
    }
    free(payload);

    /* Every byte of the signature. */
    unsigned char *sig = tc_xmalloc(env.sigs[0].sig_len);
    for (size_t i = 0; i < env.sigs[0].sig_len; i++) {
        tc_verification v;
        size_t n;
        memcpy(sig, env.sigs[0].sig, env.sigs[0].sig_len);
        sig[i] ^= 0x80;
        char *bad = envelope_of(&env, env.payload, sig, &n);
        verify_with(&v, bad, n, trust, false);
        ck_assert_msg(!v.valid, "signature byte %zu changed, still valid", i);
        ck_assert_int_eq(v.checks[TC_VERIFY_SIGNATURE].result, TC_CHECK_FAIL);
        tc_verification_release(&v);
        free(bad);
    }
    free(sig);

    /* Every character of the envelope's base64 texts. */
    for (size_t i = 0; i < len; i++) {
        char *bad = tc_xstrndup(cert, len);
        tc_verification v;
        if (bad[i] >= 'a' && bad[i] <= 'y')
            bad[i]++;
        else
            bad[i] = bad[i] == 'A' ? 'B' : 'A';
        verify_with(&v, bad, len, trust, false);
        ck_assert_msg(!v.valid, "envelope character %zu changed, still valid", i);
        tc_verification_release(&v);
        free(bad);
    }
    tc_dsse_release(&env);
    tc_trust_free(trust);
    free(cert);
    tc_key_free(key);
    remove_tmpdir();
}
END_TEST

START_TEST(test_any_changed_file_byte_is_named)
{
    tc_key *key = NULL;
    size_t len;
    make_tmpdir();
    write_package(tmpdir);
    ck_assert_int_eq(tc_key_generate(&key, TC_KEY_ED25519), 0);
    char *cert = certify_pkg(key, &len);
    tc_trust *trust = trust_for(key);
    const char *names[] = {"manifest.xml", "model.xml", "data/obs.csv"};
    for (int f = 0; f < 3; f++) {
        char *path = tc_xasprintf("%s/pkg/%s", tmpdir, names[f]);
        unsigned char *data = NULL;
        size_t n = 0;
        ck_assert_int_eq(tc_read_file(path, 1 << 20, &data, &n), 0);
        for (size_t i = 0; i < n; i++) {
            tc_verification v;
            data[i] ^= 0x20;
            ck_assert_int_eq(tc_write_file(path, data, n), 0);
            verify_with(&v, cert, len, trust, true);
            data[i] ^= 0x20;
            ck_assert_msg(!v.valid, "%s byte %zu changed, still valid", names[f], i);
            ck_assert_int_eq(v.checks[TC_VERIFY_SIGNATURE].result, TC_CHECK_PASS);
            ck_assert_int_eq(v.checks[TC_VERIFY_PACKAGE].result, TC_CHECK_FAIL);
            ck_assert_uint_eq(v.checks[TC_VERIFY_PACKAGE].ndetails, 1);
            char *want = tc_xasprintf("changed file %s (", names[f]);
            ck_assert_msg(strncmp(v.checks[TC_VERIFY_PACKAGE].details[0], want, strlen(want)) == 0,
                          "%s", v.checks[TC_VERIFY_PACKAGE].details[0]);
            free(want);
            tc_verification_release(&v);
        }
        ck_assert_int_eq(tc_write_file(path, data, n), 0);
        free(data);
        free(path);
    }
    tc_trust_free(trust);
    free(cert);
    tc_key_free(key);
    remove_tmpdir();
}
END_TEST

START_TEST(test_expiry_and_unknown_issuer)
{
    tc_key *key = NULL, *other = NULL;
    tc_verification v;
    size_t len;
    make_tmpdir();
    write_package(tmpdir);
    ck_assert_int_eq(tc_key_generate(&key, TC_KEY_ED25519), 0);
    ck_assert_int_eq(tc_key_generate(&other, TC_KEY_P256), 0);
    char *cert = certify_pkg(key, &len);

    tc_trust *strangers = trust_for(other);
    verify_with(&v, cert, len, strangers, false);
    tc_trust_free(strangers);
    ck_assert(!v.valid);
    ck_assert_int_eq(v.checks[TC_VERIFY_ISSUER].result, TC_CHECK_FAIL);
    ck_assert(strstr(v.checks[TC_VERIFY_ISSUER].message, "unknown issuer") != NULL);
    ck_assert(strstr(v.checks[TC_VERIFY_ISSUER].message, tc_key_id(key)) != NULL);
    ck_assert_ptr_null(v.statement);
    tc_verification_release(&v);

    /* Expired one second after the year; not yet valid one second before. */
    tc_key *pub = NULL;
    char *pem = NULL, *path = tmp_path("k.pub");
    size_t n;
    ck_assert_int_eq(tc_key_public_pem(key, &pem, &n), 0);
    ck_assert_int_eq(tc_write_file(path, pem, n), 0);
    ck_assert_int_eq(tc_key_load_public(&pub, path), 0);
    tc_trust *trust = tc_trust_of_key(pub, path);
    const struct {
        int64_t at;
        bool valid;
        const char *says;
    } times[] = {
        {1735689600 - 1, false, "not yet valid"},
        {1735689600, true, "valid from"},
        {1735689600 + 365 * 86400 - 1, true, "valid from"},
        {1735689600 + 365 * 86400, false, "expired at 2026-01-01T00:00:00Z"},
    };
    for (size_t i = 0; i < 4; i++) {
        tc_verify_options opt = {.trust = trust, .at = times[i].at};
        tc_verification_init(&v);
        ck_assert_int_eq(tc_verify(&v, cert, len, &opt), 0);
        ck_assert_int_eq(v.valid, times[i].valid);
        ck_assert_msg(strstr(v.checks[TC_VERIFY_VALIDITY].message, times[i].says) != NULL, "%s",
                      v.checks[TC_VERIFY_VALIDITY].message);
        tc_verification_release(&v);
    }
    tc_trust_free(trust);
    free(pem);
    free(path);
    free(cert);
    tc_key_free(key);
    tc_key_free(other);
    remove_tmpdir();
}
END_TEST

/* ---- revocation lists ---------------------------------------------------------------------- */

START_TEST(test_revocation_lists)
{
    tc_key *key = NULL, *other = NULL;
    tc_revocations r, back;
    char *text = NULL;
    size_t len;
    char a[TC_SHA256_HEX], b[TC_SHA256_HEX];
    tc_sha256_hex("a", 1, a);
    tc_sha256_hex("b", 1, b);
    ck_assert_int_eq(tc_key_generate(&key, TC_KEY_ED25519), 0);
    ck_assert_int_eq(tc_key_generate(&other, TC_KEY_ED25519), 0);
    tc_revocations_init(&r);
    r.issued_at = 1735689600;
    tc_revocations_add_cert(&r, b);
    tc_revocations_add_cert(&r, a);
    tc_revocations_add_cert(&r, b);
    tc_revocations_add_key(&r, tc_key_id(other));
    ck_assert_uint_eq(r.ncerts, 2);
    ck_assert_int_lt(strcmp(r.certs[0], r.certs[1]), 0);
    ck_assert_int_eq(tc_revocations_sign(&r, key, &text, &len), 0);

    ck_assert_int_eq(tc_revocations_open(&back, text, len, key), 0);
    ck_assert_str_eq(back.issuer, tc_key_id(key));
    ck_assert_int_eq(back.issued_at, 1735689600);
    ck_assert(tc_revocations_has_cert(&back, a));
    ck_assert(tc_revocations_has_cert(&back, b));
    ck_assert(tc_revocations_has_key(&back, tc_key_id(other)));
    ck_assert(!tc_revocations_has_key(&back, tc_key_id(key)));
    tc_revocations_release(&back);

    /* Not signed by the issuer asked about. */
    ck_assert_int_eq(tc_revocations_open(&back, text, len, other), TC_ESIGNATURE);
    ck_assert(strstr(tc_error_last(), "not signed by issuer") != NULL);
    free(text);

    /* Signed by the key, but speaking for another issuer. */
    json_t *p =
        json_pack("{s:s,s:s,s:s,s:[],s:[]}", "_type", TC_REVOCATIONS_V1, "issuer", tc_key_id(other),
                  "issuedAt", "2025-01-01T00:00:00Z", "certificates", "keys");
    char *payload = NULL;
    ck_assert_int_eq(tc_jcs_serialize(p, &payload, &len), 0);
    ck_assert_int_eq(tc_dsse_sign(key, TC_DSSE_REVOCATIONS_TYPE, payload, len, &text, &len), 0);
    ck_assert_int_eq(tc_revocations_open(&back, text, len, key), TC_ESIGNATURE);
    ck_assert(strstr(tc_error_last(), "speaks for issuer") != NULL);
    free(text);
    free(payload);
    json_decref(p);

    /* A certificate envelope is not a revocation list. */
    ck_assert_int_eq(tc_dsse_sign(key, TC_DSSE_STATEMENT_TYPE, "{}", 2, &text, &len), 0);
    ck_assert_int_eq(tc_revocations_open(&back, text, len, key), TC_EINVAL);
    ck_assert(strstr(tc_error_last(), "payload type") != NULL);
    free(text);
    tc_revocations_release(&r);
    tc_key_free(key);
    tc_key_free(other);
}
END_TEST

START_TEST(test_malformed_envelopes)
{
    static const char *bad[] = {
        "",
        "[]",
        "{\"payload\":\"e30=\",\"payloadType\":\"x\"}",
        "{\"payload\":\"e30=\",\"payloadType\":\"x\",\"signatures\":[]}",
        "{\"payload\":\"e30\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"!!\"}]}",
        "{\"payload\":\"#\",\"payloadType\":\"x\",\"signatures\":[{\"sig\":\"AA==\"}]}",
        "{\"payload\":\"e30=\",\"payloadType\":\"x\",\"signatures\":[{\"keyid\":1,\"sig\":\"AA==\"}"
        "]}",
        "{\"payload\":\"e30=\",\"payload\":\"e30=\",\"payloadType\":\"x\",\"signatures\":[]}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        tc_dsse env;
        ck_assert_msg(tc_dsse_parse(&env, bad[i], strlen(bad[i])) == TC_EINVAL, "accepted %s",
                      bad[i]);
    }
}
END_TEST

Suite *certify_suite(void)
{
    Suite *s = suite_create("certify");
    TCase *tc = tcase_create("encodings");
    tcase_add_loop_test(tc, test_jcs_rfc8785_numbers, 0,
                        sizeof rfc8785_numbers / sizeof *rfc8785_numbers);
    tcase_add_loop_test(tc, test_jcs_edge_numbers, 0, sizeof edge_numbers / sizeof *edge_numbers);
    tcase_add_test(tc, test_jcs_rejects_nan_and_infinity);
    tcase_add_test(tc, test_jcs_large_reals_read_back);
    tcase_add_test(tc, test_jcs_rfc8785_example);
    tcase_add_test(tc, test_jcs_sorts_by_utf16_code_units);
    tcase_add_test(tc, test_jcs_strings_integers_nesting);
    tcase_add_test(tc, test_base64);
    tcase_add_test(tc, test_times);
    tcase_add_test(tc, test_pae);
    tcase_add_test(tc, test_malformed_envelopes);
    suite_add_tcase(s, tc);

    tc = tcase_create("keys and certificates");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_key_sign_verify_and_pem, 0, 2);
    tcase_add_test(tc, test_private_file_mode_and_no_overwrite);
    tcase_add_test(tc, test_passphrase_sources);
    tcase_add_test(tc, test_statement_is_canonical_and_complete);
    tcase_add_loop_test(tc, test_verify_round_trip, 0, 2);
    if (!getenv("TC_SKIP_TAMPER"))
        tcase_add_loop_test(tc, test_any_tampered_byte_fails, 0, 2);
    tcase_add_test(tc, test_any_changed_file_byte_is_named);
    tcase_add_test(tc, test_expiry_and_unknown_issuer);
    tcase_add_test(tc, test_revocation_lists);
    suite_add_tcase(s, tc);
    return s;
}
