/*
 * certify: signed quality certificates. A certificate is a DSSE envelope around
 * an in-toto Statement v1 whose subjects are the package's files (and the
 * archive itself) and whose predicate records the verdict of a run; the payload
 * is canonical JSON (RFC 8785), so the same package at the same time gives the
 * same bytes. Issuers sign with Ed25519 or ECDSA P-256 keys; verifiers trust a
 * directory of issuer public keys or X.509 certificates, and honour the
 * issuer's signed revocation list. docs/certificate.md describes the formats.
 *
 * Everything that touches OpenSSL is in crypto.c; its errors come back as our
 * own one-line messages in tc_error_last().
 */
#ifndef TC_CERTIFY_H
#define TC_CERTIFY_H

#include "core/core.h"

/* ---- identifiers of our formats ------------------------------------------------ */
#define TC_DSSE_STATEMENT_TYPE "application/vnd.in-toto+json"
#define TC_DSSE_REVOCATIONS_TYPE "application/vnd.twincheck.revocations+json"
#define TC_INTOTO_STATEMENT_V1 "https://in-toto.io/Statement/v1"
#define TC_PREDICATE_TYPE "urn:twincheck:predicate:quality-certificate:v1"
#define TC_REVOCATIONS_V1 "urn:twincheck:revocations:v1"

/* Bounds on what is read from outside. */
#define TC_CERT_MAX_BYTES ((size_t)16 << 20) /* a certificate or revocation list */
#define TC_KEY_MAX_BYTES ((size_t)1 << 20)   /* a PEM file */
#define TC_PASSPHRASE_MAX 1024               /* bytes of a passphrase */
#define TC_TRUST_MAX_FILES 1000              /* files in a trust directory */

/* ---- canonical JSON (RFC 8785) --------------------------------------------------- */
#define TC_JCS_NUMBER_MAX 32
/* ECMAScript's Number-to-String of `v` (shortest digits that read back as
 * `v`); TC_EINVAL for NaN and infinities, which JSON cannot carry. */
int tc_jcs_number(double v, char out[TC_JCS_NUMBER_MAX]);
/* Serialise `value` canonically: keys sorted by UTF-16 code units, no
 * whitespace, JCS string escapes. *out is NUL-terminated; the caller frees it.
 * TC_EINVAL for an integer beyond +-2^53 (not exact as an IEEE double). */
int tc_jcs_serialize(const json_t *value, char **out, size_t *len);
/* Read JSON that tc_jcs_serialize may have written (duplicate keys rejected). JCS
 * writes reals below 1e21 without an exponent ("179976310000000000000"): jansson
 * refuses those beyond json_int_t (the document is then read with every number as
 * a real, as JCS means them), and integers beyond +-2^53 are made reals again, so
 * that the value serialises to the same text. NULL with *err set otherwise. */
json_t *tc_jcs_load(const void *text, size_t len, json_error_t *err);

/* ---- base64 and times ----------------------------------------------------------------- */
/* Standard alphabet, padded. The caller frees the result. */
char *tc_base64_encode(const void *data, size_t len);
/* Standard or URL-safe alphabet (not mixed), padding optional, no whitespace,
 * unused bits zero. *out is NUL-terminated; the caller frees it. */
int tc_base64_decode(const char *text, size_t text_len, unsigned char **out, size_t *len);

#define TC_TIME_MAX_LEN 32
/* RFC 3339 date-time ("2025-01-31T12:00:00Z", "...+02:00", fraction ignored)
 * to seconds since the epoch; years 1970 to 9999. */
int tc_time_parse(const char *text, int64_t *out);
#define TC_TIME_LAST INT64_C(253402300799) /* 9999-12-31T23:59:59Z, the last time we write */
/* "YYYY-MM-DDTHH:MM:SSZ" (UTC). */
void tc_time_format(int64_t t, char out[TC_TIME_MAX_LEN]);
/* The issue time: `given` (RFC 3339) when not NULL, else SOURCE_DATE_EPOCH
 * when set, else the clock. */
int tc_time_issue(const char *given, int64_t *out);

/* ---- keys, digests and signatures (crypto.c, the OpenSSL boundary) --------------------- */
typedef enum tc_key_type { TC_KEY_ED25519, TC_KEY_P256 } tc_key_type;
/* "ed25519" or "p256"; TC_EUSAGE otherwise. */
int tc_key_type_parse(const char *name, tc_key_type *out);
const char *tc_key_type_name(tc_key_type type);

typedef struct tc_key tc_key; /* a public key, with its private half when loaded so */

int tc_key_generate(tc_key **out, tc_key_type type);
/* A PEM private key (PKCS#8, encrypted when `passphrase` is not NULL). */
int tc_key_load_private(tc_key **out, const char *path, const char *passphrase);
/* A PEM public key (SubjectPublicKeyInfo). */
int tc_key_load_public(tc_key **out, const char *path);
/* PEM texts; the private one encrypted (PKCS#8, AES-256-CBC, PBKDF2) when
 * `passphrase` is not NULL. The caller frees *out (tc_secret_free for the
 * private one). */
int tc_key_private_pem(const tc_key *key, const char *passphrase, char **out, size_t *len);
int tc_key_public_pem(const tc_key *key, char **out, size_t *len);
/* Hex SHA-256 of the DER SubjectPublicKeyInfo (owned by the key). */
const char *tc_key_id(const tc_key *key);
tc_key_type tc_key_get_type(const tc_key *key);
/* Sign `msg` (Ed25519 over the bytes; ECDSA P-256 over their SHA-256, DER
 * signature). The caller frees *sig. */
int tc_key_sign(const tc_key *key, const void *msg, size_t len, unsigned char **sig,
                size_t *sig_len);
/* 0 when `sig` is a valid signature of `msg` by `key`, TC_ESIGNATURE when not. */
int tc_key_verify(const tc_key *key, const void *msg, size_t len, const unsigned char *sig,
                  size_t sig_len);
void tc_key_free(tc_key *key);

#define TC_SHA256_HEX 65
/* Streamed digest of a file of any size. */
int tc_sha256_file(const char *path, char out[TC_SHA256_HEX]);
/* true for 64 lowercase hex digits. */
bool tc_is_sha256_hex(const char *s);

/* Wipe and free a secret (passphrase, private PEM). Accepts NULL. */
void tc_secret_free(char *secret, size_t len);
/* The passphrase from environment variable `env` or the first line of `file`
 * (at most one of them; *out NULL when both are NULL). Free with
 * tc_secret_free(*out, strlen(*out)). */
int tc_passphrase_read(const char *env, const char *file, char **out);
/* Create `path` with mode 0600 (never wider, not even briefly), refusing to
 * replace an existing file unless `replace`, and write `data` to it. */
int tc_write_private_file(const char *path, const void *data, size_t len, bool replace);

/* ---- trust stores (crypto.c) ------------------------------------------------------------- */
/* Issuer public keys and X.509 certificates. A key is trusted when it is given
 * as a bare public key, or when it is in a certificate whose chain leads to a
 * self-signed certificate of the store and whose key usage allows digital
 * signatures. */
typedef struct tc_trust tc_trust;

/* Every *.pem and *.crt file of `dir`: PUBLIC KEY and CERTIFICATE blocks. */
int tc_trust_load_dir(tc_trust **out, const char *dir);
/* A store with one bare public key (takes ownership of `key`). */
tc_trust *tc_trust_of_key(tc_key *key, const char *source);
/* The directory the store was loaded from, or NULL. */
const char *tc_trust_dir(const tc_trust *trust);

typedef struct tc_issuer {
    const tc_key *key;  /* owned by the store */
    const char *source; /* the file it came from */
    bool certificate;   /* from an X.509 certificate (so a chain to check) */
} tc_issuer;
/* The issuer with this key id; TC_ENOTFOUND when the store has none. */
int tc_trust_find(const tc_trust *trust, const char *key_id, tc_issuer *out);
/* Check the certificate of `key_id` (an issuer from an X.509 certificate) at
 * time `at`: its chain to a trusted root and its key usage. 0 with a
 * description in *detail, TC_ESIGNATURE with the reason in tc_error_last().
 * The caller frees *detail. */
int tc_trust_check_chain(const tc_trust *trust, const char *key_id, int64_t at, char **detail);
void tc_trust_free(tc_trust *trust);

/* ---- DSSE envelopes --------------------------------------------------------------------- */
/* Pre-authentication encoding: "DSSEv1 <len type> <type> <len body> <body>". */
void tc_dsse_pae(tc_buf *out, const char *type, const void *body, size_t len);

typedef struct tc_dsse_signature {
    char *keyid; /* "" when absent */
    unsigned char *sig;
    size_t sig_len;
} tc_dsse_signature;

typedef struct tc_dsse {
    char *payload_type;
    unsigned char *payload; /* NUL-terminated */
    size_t payload_len;
    tc_dsse_signature *sigs;
    size_t nsigs;
} tc_dsse;

/* Sign `payload` and give the envelope as canonical JSON (caller frees). */
int tc_dsse_sign(const tc_key *key, const char *type, const void *payload, size_t len,
                 char **envelope, size_t *envelope_len);
/* Parse an envelope (not yet trusted). TC_EINVAL with the reason. */
int tc_dsse_parse(tc_dsse *out, const void *text, size_t len);
/* The signature of `key` over the envelope: 0 when one of the signatures named
 * with its key id (or without a key id) verifies, TC_ESIGNATURE otherwise. */
int tc_dsse_verify(const tc_dsse *env, const tc_key *key);
void tc_dsse_release(tc_dsse *env);

/* ---- certificates ------------------------------------------------------------------------- */
typedef struct tc_cert_options {
    int64_t issued_at;
    int64_t valid_for; /* seconds */
} tc_cert_options;

/* The subjects of `target` (a JSON array, new reference): every file of the
 * package with its SHA-256, and the archive itself for an archive. certify takes
 * them before and after the pipeline runs and refuses to sign if they differ. */
int tc_cert_subjects(json_t **out, const char *target);
/* The in-toto Statement for `target` after `run` (the pipeline's run over
 * target alone), taking over `subjects`; NULL on allocation failure. */
json_t *tc_cert_statement(json_t *subjects, const char *target, const tc_run *run,
                          const char *issuer, const tc_cert_options *opt);
/* The signed certificate (a DSSE envelope in canonical JSON) for a statement. */
int tc_cert_sign(const tc_key *key, const json_t *statement, char **out, size_t *len);

/* ---- verification ------------------------------------------------------------------------- */
typedef enum tc_check_result { TC_CHECK_PASS, TC_CHECK_FAIL, TC_CHECK_SKIP } tc_check_result;
const char *tc_check_result_name(tc_check_result r);

/* The checks, in the order they are made. */
typedef enum tc_verify_check {
    TC_VERIFY_ENVELOPE,
    TC_VERIFY_ISSUER,
    TC_VERIFY_CHAIN,
    TC_VERIFY_SIGNATURE,
    TC_VERIFY_STATEMENT,
    TC_VERIFY_VALIDITY,
    TC_VERIFY_REVOCATION,
    TC_VERIFY_PACKAGE,
    TC_VERIFY_VERDICT,
    TC_VERIFY_COUNT
} tc_verify_check;
const char *tc_verify_check_name(tc_verify_check c);

typedef struct tc_verify_item {
    tc_check_result result;
    char *message;  /* one line: what was found */
    char **details; /* one line each: e.g. every file that differs */
    size_t ndetails, capdetails;
} tc_verify_item;

typedef struct tc_verify_options {
    const tc_trust *trust;
    const char *package;     /* recompute subjects from this package, or NULL */
    const char *revocations; /* the issuer's list, or NULL: <dir>/<keyid>.revocations */
    int64_t at;              /* the time of the check */
    bool require_passed;     /* a certified "failed" verdict makes it invalid */
} tc_verify_options;

typedef struct tc_verification {
    tc_verify_item checks[TC_VERIFY_COUNT];
    bool valid;
    char payload_digest[TC_SHA256_HEX]; /* what a revocation list names */
    json_t *statement;                  /* once the signature is verified, else NULL */
} tc_verification;

void tc_verification_init(tc_verification *v);
void tc_verification_release(tc_verification *v);
/* Make every check on the certificate `cert`. Returns 0 with the outcome in *v
 * (valid or not), or a negative code for an input error (a package or
 * revocation list that cannot be read). */
int tc_verify(tc_verification *v, const void *cert, size_t len, const tc_verify_options *opt);
/* The outcome as JSON (new reference), for --format json. */
json_t *tc_verification_json(const tc_verification *v, const char *cert_path);

/* ---- revocation lists --------------------------------------------------------------------- */
typedef struct tc_revocations {
    char *issuer; /* key id of the signer */
    int64_t issued_at;
    char **certs; /* sha256 of revoked certificates' payloads, sorted */
    size_t ncerts, capcerts;
    char **keys; /* revoked key ids, sorted */
    size_t nkeys, capkeys;
} tc_revocations;

void tc_revocations_init(tc_revocations *r);
void tc_revocations_release(tc_revocations *r);
/* Parse and check a signed list: it must be signed by `issuer` and speak for
 * it. TC_ESIGNATURE when it is not, TC_EINVAL when it is malformed. */
int tc_revocations_open(tc_revocations *out, const void *text, size_t len, const tc_key *issuer);
/* Add entries (kept sorted, without repeats); `digest` and `key_id` are
 * 64-digit hex. */
void tc_revocations_add_cert(tc_revocations *r, const char *digest);
void tc_revocations_add_key(tc_revocations *r, const char *key_id);
bool tc_revocations_has_cert(const tc_revocations *r, const char *digest);
bool tc_revocations_has_key(const tc_revocations *r, const char *key_id);
/* Sign the list with `key` (its id becomes the issuer) as a DSSE envelope. */
int tc_revocations_sign(const tc_revocations *r, const tc_key *key, char **out, size_t *len);

#endif
