/*
 * The one file that talks to OpenSSL: keys, digests, signatures and X.509
 * trust stores. Every OpenSSL failure is drained from its error queue into our
 * own one-line message by crypto_fail(), here and nowhere else.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "certify.h"

struct tc_key {
    EVP_PKEY *pkey;
    tc_key_type type;
    bool has_private;
    char id[TC_SHA256_HEX];
};

/* Set our message `what`, followed by OpenSSL's reason for the most recent
 * failure when it gave one, and empty its queue. Returns `code`. */
TC_PRINTF(2, 3) static int crypto_fail(int code, const char *fmt, ...)
{
    char what[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    unsigned long e = ERR_peek_last_error();
    const char *reason = e ? ERR_reason_error_string(e) : NULL;
    ERR_clear_error();
    if (reason)
        return tc_error_set(code, "%s: %s", what, reason);
    return tc_error_set(code, "%s", what);
}

static const char *hex_digits = "0123456789abcdef";

static void to_hex(const unsigned char *bytes, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex_digits[bytes[i] >> 4];
        out[2 * i + 1] = hex_digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}

void tc_sha256_hex(const void *data, size_t len, char out[TC_SHA256_HEX])
{
    unsigned char md[32];
    unsigned int n = 0;
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32) {
        /* SHA-256 of memory cannot fail short of a broken library. */
        ERR_clear_error();
        abort();
    }
    to_hex(md, 32, out);
}

int tc_sha256_file(const char *path, char out[TC_SHA256_HEX])
{
    int rc = 0;
    FILE *f = fopen(path, "rb");
    EVP_MD_CTX *ctx = NULL;
    if (!f)
        return tc_error_set(errno == ENOENT ? TC_ENOTFOUND : TC_EIO, "cannot open %s: %s", path,
                            strerror(errno));
    ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        rc = crypto_fail(TC_EINTERNAL, "cannot start a SHA-256 digest");
        goto cleanup;
    }
    unsigned char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (EVP_DigestUpdate(ctx, chunk, n) != 1) {
            rc = crypto_fail(TC_EINTERNAL, "cannot digest %s", path);
            goto cleanup;
        }
    }
    if (ferror(f)) {
        rc = tc_error_set(TC_EIO, "cannot read %s: %s", path, strerror(errno));
        goto cleanup;
    }
    unsigned char md[32];
    unsigned int mdlen = 0;
    if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1 || mdlen != 32) {
        rc = crypto_fail(TC_EINTERNAL, "cannot digest %s", path);
        goto cleanup;
    }
    to_hex(md, 32, out);
cleanup:
    EVP_MD_CTX_free(ctx);
    fclose(f);
    return rc;
}

bool tc_is_sha256_hex(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++)
        if (!((s[n] >= '0' && s[n] <= '9') || (s[n] >= 'a' && s[n] <= 'f')))
            return false;
    return n == 64;
}

void tc_secret_free(char *secret, size_t len)
{
    if (!secret)
        return;
    OPENSSL_cleanse(secret, len);
    free(secret);
}

/* ---- keys ------------------------------------------------------------------------------ */

int tc_key_type_parse(const char *name, tc_key_type *out)
{
    if (strcmp(name, "ed25519") == 0)
        *out = TC_KEY_ED25519;
    else if (strcmp(name, "p256") == 0)
        *out = TC_KEY_P256;
    else
        return tc_error_set(TC_EUSAGE, "unknown key type '%s' (expected ed25519 or p256)", name);
    return 0;
}

const char *tc_key_type_name(tc_key_type type)
{
    return type == TC_KEY_P256 ? "p256" : "ed25519";
}

/* Wrap `pkey` (taken over) after checking it is a kind we sign with. */
static int key_wrap(tc_key **out, EVP_PKEY *pkey, bool has_private, const char *source)
{
    tc_key_type type;
    unsigned char *der = NULL;
    *out = NULL;
    if (EVP_PKEY_get_id(pkey) == EVP_PKEY_ED25519) {
        type = TC_KEY_ED25519;
    } else if (EVP_PKEY_get_id(pkey) == EVP_PKEY_EC) {
        char group[64] = "";
        size_t glen = 0;
        if (EVP_PKEY_get_group_name(pkey, group, sizeof group, &glen) != 1 ||
            (strcmp(group, "prime256v1") != 0 && strcmp(group, "P-256") != 0)) {
            EVP_PKEY_free(pkey);
            ERR_clear_error();
            return tc_error_set(TC_EINVAL, "%s: EC key on curve '%s'; only P-256 is supported",
                                source, group[0] ? group : "unknown");
        }
        type = TC_KEY_P256;
    } else {
        const char *name = EVP_PKEY_get0_type_name(pkey);
        int rc = tc_error_set(TC_EINVAL, "%s: %s key; only Ed25519 and P-256 keys are supported",
                              source, name ? name : "unknown");
        EVP_PKEY_free(pkey);
        return rc;
    }
    int n = i2d_PUBKEY(pkey, &der);
    if (n <= 0) {
        EVP_PKEY_free(pkey);
        return crypto_fail(TC_EINVAL, "%s: cannot encode the public key", source);
    }
    tc_key *key = tc_xcalloc(1, sizeof *key);
    key->pkey = pkey;
    key->type = type;
    key->has_private = has_private;
    tc_sha256_hex(der, (size_t)n, key->id);
    OPENSSL_free(der);
    *out = key;
    return 0;
}

int tc_key_generate(tc_key **out, tc_key_type type)
{
    EVP_PKEY *pkey = type == TC_KEY_P256 ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")
                                         : EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    *out = NULL;
    if (!pkey)
        return crypto_fail(TC_EINTERNAL, "cannot generate an %s key", tc_key_type_name(type));
    return key_wrap(out, pkey, true, "generated key");
}

/* Read a PEM file into a memory BIO (bounded). */
static int read_bio(BIO **out, const char *path)
{
    unsigned char *data = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = tc_read_file(path, TC_KEY_MAX_BYTES, &data, &len);
    if (rc != 0)
        return rc;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio || BIO_write(bio, data, (int)len) != (int)len) {
        BIO_free(bio);
        tc_secret_free((char *)data, len);
        return crypto_fail(TC_EINTERNAL, "cannot buffer %s", path);
    }
    tc_secret_free((char *)data, len);
    *out = bio;
    return 0;
}

typedef struct pass_ctx {
    const char *passphrase;
    bool asked;
} pass_ctx;

/* Never prompts: gives the passphrase we were handed, or none. */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
    pass_ctx *p = u;
    (void)rwflag;
    p->asked = true;
    if (!p->passphrase)
        return -1;
    size_t n = strlen(p->passphrase);
    if (n > (size_t)size)
        return -1;
    memcpy(buf, p->passphrase, n);
    return (int)n;
}

int tc_key_load_private(tc_key **out, const char *path, const char *passphrase)
{
    BIO *bio = NULL;
    pass_ctx pc = {passphrase, false};
    *out = NULL;
    int rc = read_bio(&bio, path);
    if (rc != 0)
        return rc;
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &pc);
    BIO_free(bio);
    if (!pkey) {
        if (pc.asked && !passphrase) {
            ERR_clear_error();
            return tc_error_set(TC_EINVAL,
                                "%s is encrypted: give its passphrase with "
                                "--passphrase-env or --passphrase-file",
                                path);
        }
        if (pc.asked)
            return crypto_fail(TC_EINVAL, "cannot decrypt %s (wrong passphrase?)", path);
        return crypto_fail(TC_EINVAL, "%s is not a PEM private key", path);
    }
    return key_wrap(out, pkey, true, path);
}

int tc_key_load_public(tc_key **out, const char *path)
{
    BIO *bio = NULL;
    pass_ctx pc = {NULL, false};
    *out = NULL;
    int rc = read_bio(&bio, path);
    if (rc != 0)
        return rc;
    EVP_PKEY *pkey = PEM_read_bio_PUBKEY(bio, NULL, pass_cb, &pc);
    BIO_free(bio);
    if (!pkey)
        return crypto_fail(TC_EINVAL, "%s is not a PEM public key", path);
    return key_wrap(out, pkey, false, path);
}

/* Take the contents of a memory BIO as a NUL-terminated string. */
static int bio_take(BIO *bio, char **out, size_t *len)
{
    char *mem = NULL;
    long n = BIO_get_mem_data(bio, &mem);
    if (n <= 0 || !mem)
        return crypto_fail(TC_EINTERNAL, "cannot encode key");
    *out = tc_xstrndup(mem, (size_t)n);
    *len = (size_t)n;
    OPENSSL_cleanse(mem, (size_t)n);
    return 0;
}

int tc_key_private_pem(const tc_key *key, const char *passphrase, char **out, size_t *len)
{
    int rc = 0;
    *out = NULL;
    *len = 0;
    if (!key->has_private)
        return tc_error_set(TC_EINVAL, "no private key to write");
    BIO *bio = BIO_new(BIO_s_secmem());
    if (!bio)
        return crypto_fail(TC_EINTERNAL, "cannot encode the private key");
    int ok = passphrase
                 ? PEM_write_bio_PKCS8PrivateKey(bio, key->pkey, EVP_aes_256_cbc(), passphrase,
                                                 (int)strlen(passphrase), NULL, NULL)
                 : PEM_write_bio_PrivateKey(bio, key->pkey, NULL, NULL, 0, NULL, NULL);
    if (ok != 1)
        rc = crypto_fail(TC_EINTERNAL, "cannot encode the private key");
    else
        rc = bio_take(bio, out, len);
    BIO_free(bio);
    return rc;
}

int tc_key_public_pem(const tc_key *key, char **out, size_t *len)
{
    int rc;
    *out = NULL;
    *len = 0;
    BIO *bio = BIO_new(BIO_s_mem());
    if (!bio || PEM_write_bio_PUBKEY(bio, key->pkey) != 1)
        rc = crypto_fail(TC_EINTERNAL, "cannot encode the public key");
    else
        rc = bio_take(bio, out, len);
    BIO_free(bio);
    return rc;
}

const char *tc_key_id(const tc_key *key)
{
    return key->id;
}

tc_key_type tc_key_get_type(const tc_key *key)
{
    return key->type;
}

/* Ed25519 is "pure" (no digest); ECDSA hashes with SHA-256. */
static const EVP_MD *key_md(const tc_key *key)
{
    return key->type == TC_KEY_P256 ? EVP_sha256() : NULL;
}

int tc_key_sign(const tc_key *key, const void *msg, size_t len, unsigned char **sig,
                size_t *sig_len)
{
    int rc = 0;
    size_t n = 0;
    unsigned char *buf = NULL;
    *sig = NULL;
    *sig_len = 0;
    if (!key->has_private)
        return tc_error_set(TC_EINVAL, "key %s has no private half to sign with", key->id);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestSignInit(ctx, NULL, key_md(key), NULL, key->pkey) != 1 ||
        EVP_DigestSign(ctx, NULL, &n, msg, len) != 1) {
        rc = crypto_fail(TC_EINTERNAL, "cannot sign with key %s", key->id);
        goto cleanup;
    }
    buf = tc_xmalloc(n);
    if (EVP_DigestSign(ctx, buf, &n, msg, len) != 1) {
        rc = crypto_fail(TC_EINTERNAL, "cannot sign with key %s", key->id);
        goto cleanup;
    }
    *sig = buf;
    *sig_len = n;
    buf = NULL;
cleanup:
    free(buf);
    EVP_MD_CTX_free(ctx);
    return rc;
}

int tc_key_verify(const tc_key *key, const void *msg, size_t len, const unsigned char *sig,
                  size_t sig_len)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (!ctx || EVP_DigestVerifyInit(ctx, NULL, key_md(key), NULL, key->pkey) != 1) {
        EVP_MD_CTX_free(ctx);
        return crypto_fail(TC_EINTERNAL, "cannot verify with key %s", key->id);
    }
    int ok = EVP_DigestVerify(ctx, sig, sig_len, msg, len);
    EVP_MD_CTX_free(ctx);
    ERR_clear_error(); /* a malformed signature is just a bad one */
    if (ok != 1)
        return tc_error_set(TC_ESIGNATURE, "the %s signature does not verify with key %s",
                            tc_key_type_name(key->type), key->id);
    return 0;
}

void tc_key_free(tc_key *key)
{
    if (!key)
        return;
    EVP_PKEY_free(key->pkey);
    free(key);
}

/* ---- files for secrets ------------------------------------------------------------------ */

int tc_passphrase_read(const char *env, const char *file, char **out)
{
    *out = NULL;
    if (env && file)
        return tc_error_set(TC_EUSAGE, "give --passphrase-env or --passphrase-file, not both");
    if (env) {
        const char *value = getenv(env);
        if (!value || !value[0])
            return tc_error_set(TC_EUSAGE,
                                "environment variable %s (the passphrase) is not "
                                "set or empty",
                                env);
        if (strlen(value) > TC_PASSPHRASE_MAX)
            return tc_error_set(TC_ELIMIT, "the passphrase in %s is longer than %d bytes", env,
                                TC_PASSPHRASE_MAX);
        *out = tc_xstrdup(value);
        return 0;
    }
    if (!file)
        return 0;
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tc_read_file(file, TC_PASSPHRASE_MAX + 2, &data, &len);
    if (rc == TC_ELIMIT)
        return tc_error_set(TC_ELIMIT, "the passphrase in %s is longer than %d bytes", file,
                            TC_PASSPHRASE_MAX);
    if (rc != 0)
        return rc;
    size_t n = strcspn((const char *)data, "\r\n"); /* the first line */
    if (n == 0 || n > TC_PASSPHRASE_MAX || memchr(data, '\0', len) != NULL) {
        tc_secret_free((char *)data, len);
        return tc_error_set(TC_EINVAL,
                            "%s does not hold a passphrase on its first line "
                            "(1 to %d bytes, no NUL)",
                            file, TC_PASSPHRASE_MAX);
    }
    *out = tc_xstrndup((const char *)data, n);
    tc_secret_free((char *)data, len);
    return 0;
}

int tc_write_private_file(const char *path, const void *data, size_t len, bool replace)
{
    if (replace && unlink(path) != 0 && errno != ENOENT)
        return tc_error_set(TC_EIO, "cannot replace %s: %s", path, strerror(errno));
    /* O_EXCL: a file (or symlink) someone placed there is never reused, so
     * its mode and owner are ours. */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST)
            return tc_error_set(TC_EUSAGE, "%s already exists (use --force to replace it)", path);
        return tc_error_set(TC_EIO, "cannot create %s: %s", path, strerror(errno));
    }
    const char *p = data;
    size_t left = len;
    int rc = 0;
    if (fchmod(fd, 0600) != 0)
        rc = tc_error_set(TC_EIO, "cannot set the mode of %s: %s", path, strerror(errno));
    while (rc == 0 && left > 0) {
        ssize_t n = write(fd, p, left);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc = tc_error_set(TC_EIO, "cannot write %s: %s", path, strerror(errno));
            break;
        }
        p += n;
        left -= (size_t)n;
    }
    if (fsync(fd) != 0 && rc == 0)
        rc = tc_error_set(TC_EIO, "cannot write %s: %s", path, strerror(errno));
    if (close(fd) != 0 && rc == 0)
        rc = tc_error_set(TC_EIO, "cannot write %s: %s", path, strerror(errno));
    if (rc != 0)
        unlink(path);
    return rc;
}

/* ---- trust stores ------------------------------------------------------------------------ */

typedef struct trust_entry {
    tc_key *key;
    char *source;
    X509 *cert; /* NULL for a bare public key */
} trust_entry;

struct tc_trust {
    char *dir;
    trust_entry *entries;
    size_t n, cap;
    STACK_OF(X509) * roots;  /* self-signed certificates: the anchors */
    STACK_OF(X509) * others; /* every other certificate, for building chains */
};

static tc_trust *trust_new(void)
{
    tc_trust *t = tc_xcalloc(1, sizeof *t);
    t->roots = sk_X509_new_null();
    t->others = sk_X509_new_null();
    if (!t->roots || !t->others)
        abort(); /* allocation failure is fatal everywhere */
    return t;
}

static void trust_add(tc_trust *t, tc_key *key, const char *source, X509 *cert)
{
    TC_GROW(t->entries, t->cap, t->n + 1);
    t->entries[t->n++] = (trust_entry){key, tc_xstrdup(source), cert};
}

tc_trust *tc_trust_of_key(tc_key *key, const char *source)
{
    tc_trust *t = trust_new();
    trust_add(t, key, source, NULL);
    return t;
}

const char *tc_trust_dir(const tc_trust *trust)
{
    return trust->dir;
}

/* Every PEM block of one file. */
static int trust_load_file(tc_trust *t, const char *path)
{
    BIO *bio = NULL;
    char *name = NULL, *header = NULL;
    unsigned char *der = NULL;
    long der_len = 0;
    int blocks = 0;
    int rc = read_bio(&bio, path);
    if (rc != 0)
        return rc;
    while (rc == 0 && PEM_read_bio(bio, &name, &header, &der, &der_len) == 1) {
        const unsigned char *p = der;
        blocks++;
        if (strcmp(name, "PUBLIC KEY") == 0) {
            EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, der_len);
            tc_key *key = NULL;
            if (!pkey)
                rc = crypto_fail(TC_EINVAL, "%s: block %d is not a valid public key", path, blocks);
            else
                rc = key_wrap(&key, pkey, false, path);
            if (rc == 0)
                trust_add(t, key, path, NULL);
        } else if (strcmp(name, "CERTIFICATE") == 0 || strcmp(name, "TRUSTED CERTIFICATE") == 0) {
            X509 *cert = strcmp(name, "CERTIFICATE") == 0 ? d2i_X509(NULL, &p, der_len)
                                                          : d2i_X509_AUX(NULL, &p, der_len);
            EVP_PKEY *pkey = cert ? X509_get_pubkey(cert) : NULL;
            tc_key *key = NULL;
            if (!cert || !pkey) {
                rc = crypto_fail(TC_EINVAL, "%s: block %d is not a valid X.509 certificate", path,
                                 blocks);
                X509_free(cert);
            } else {
                if (X509_self_signed(cert, 0) == 1)
                    sk_X509_push(t->roots, cert);
                else
                    sk_X509_push(t->others, cert);
                /* A CA's key of an unsupported type still anchors chains. */
                if (key_wrap(&key, pkey, false, path) == 0)
                    trust_add(t, key, path, cert);
                pkey = NULL;
            }
            EVP_PKEY_free(pkey);
        } else if (strstr(name, "PRIVATE KEY")) {
            rc = tc_error_set(TC_EINVAL,
                              "%s holds a private key; a trust store holds public "
                              "keys and certificates only",
                              path);
        } else {
            rc = tc_error_set(TC_EINVAL,
                              "%s: unexpected PEM block '%s' (expected PUBLIC KEY "
                              "or CERTIFICATE)",
                              path, name);
        }
        OPENSSL_free(name);
        OPENSSL_free(header);
        OPENSSL_free(der);
        name = header = NULL;
        der = NULL;
    }
    ERR_clear_error(); /* the end of the blocks is reported as an error */
    if (rc == 0 && blocks == 0)
        rc = tc_error_set(TC_EINVAL, "%s holds no PEM public key or certificate", path);
    BIO_free(bio);
    return rc;
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int tc_trust_load_dir(tc_trust **out, const char *dir)
{
    int rc = 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    *out = NULL;
    DIR *d = opendir(dir);
    if (!d)
        return tc_error_set(errno == ENOENT ? TC_ENOTFOUND : TC_EIO,
                            "cannot read trust directory %s: %s", dir, strerror(errno));
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' ||
            !(has_suffix(e->d_name, ".pem") || has_suffix(e->d_name, ".crt")))
            continue;
        if (n >= TC_TRUST_MAX_FILES) {
            rc = tc_error_set(TC_ELIMIT, "trust directory %s has more than %d key files", dir,
                              TC_TRUST_MAX_FILES);
            break;
        }
        TC_GROW(names, cap, n + 1);
        names[n++] = tc_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof *names, compare_names); /* deterministic order */
    tc_trust *t = trust_new();
    t->dir = tc_xstrdup(dir);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        char *path = tc_xasprintf("%s/%s", dir, names[i]);
        rc = trust_load_file(t, path);
        free(path);
    }
    if (rc == 0 && t->n == 0)
        rc = tc_error_set(TC_ENOTFOUND,
                          "trust directory %s holds no issuer key or "
                          "certificate (*.pem, *.crt)",
                          dir);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    if (rc != 0) {
        tc_trust_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

static const trust_entry *trust_lookup(const tc_trust *trust, const char *key_id)
{
    const trust_entry *found = NULL;
    for (size_t i = 0; i < trust->n; i++) {
        const trust_entry *e = &trust->entries[i];
        if (strcmp(e->key->id, key_id) != 0)
            continue;
        if (!e->cert)
            return e; /* a bare key is trusted as it is: prefer it */
        if (!found)
            found = e;
    }
    return found;
}

int tc_trust_find(const tc_trust *trust, const char *key_id, tc_issuer *out)
{
    const trust_entry *e = trust_lookup(trust, key_id);
    if (!e)
        return tc_error_set(TC_ENOTFOUND, "no trusted issuer has key id %s", key_id);
    *out = (tc_issuer){e->key, e->source, e->cert != NULL};
    return 0;
}

static char *subject_line(X509 *cert)
{
    char buf[256];
    X509_NAME_oneline(X509_get_subject_name(cert), buf, sizeof buf);
    return tc_xstrdup(buf);
}

int tc_trust_check_chain(const tc_trust *trust, const char *key_id, int64_t at, char **detail)
{
    int rc = 0;
    X509_STORE *store = NULL;
    X509_STORE_CTX *ctx = NULL;
    *detail = NULL;
    const trust_entry *e = trust_lookup(trust, key_id);
    if (!e || !e->cert)
        return tc_error_set(TC_ENOTFOUND, "no X.509 certificate has key id %s", key_id);
    char *subject = subject_line(e->cert);
    store = X509_STORE_new();
    ctx = X509_STORE_CTX_new();
    if (!store || !ctx) {
        rc = crypto_fail(TC_EINTERNAL, "cannot set up certificate verification");
        goto cleanup;
    }
    for (int i = 0; i < sk_X509_num(trust->roots); i++)
        if (X509_STORE_add_cert(store, sk_X509_value(trust->roots, i)) != 1) {
            rc = crypto_fail(TC_EINTERNAL, "cannot add a root certificate");
            goto cleanup;
        }
    if (X509_STORE_CTX_init(ctx, store, e->cert, trust->others) != 1) {
        rc = crypto_fail(TC_EINTERNAL, "cannot set up certificate verification");
        goto cleanup;
    }
    X509_VERIFY_PARAM_set_time(X509_STORE_CTX_get0_param(ctx), (time_t)at);
    if (X509_verify_cert(ctx) != 1) {
        int err = X509_STORE_CTX_get_error(ctx);
        int depth = X509_STORE_CTX_get_error_depth(ctx);
        X509 *bad = X509_STORE_CTX_get_current_cert(ctx);
        char *where = bad ? subject_line(bad) : tc_xstrdup("?");
        ERR_clear_error();
        rc = tc_error_set(TC_ESIGNATURE,
                          "certificate chain of %s does not verify: %s "
                          "(at depth %d, %s)",
                          subject, X509_verify_cert_error_string(err), depth, where);
        free(where);
        goto cleanup;
    }
    uint32_t usage = X509_get_key_usage(e->cert);
    if (usage != UINT32_MAX && !(usage & KU_DIGITAL_SIGNATURE)) {
        rc = tc_error_set(TC_ESIGNATURE,
                          "certificate %s does not allow digital signatures "
                          "(key usage)",
                          subject);
        goto cleanup;
    }
    STACK_OF(X509) *chain = X509_STORE_CTX_get0_chain(ctx);
    int len = chain ? sk_X509_num(chain) : 0;
    X509 *root = len > 0 ? sk_X509_value(chain, len - 1) : NULL;
    char *root_name = root ? subject_line(root) : tc_xstrdup("?");
    *detail = tc_xasprintf("%s, chain of %d to root %s", subject, len, root_name);
    free(root_name);
cleanup:
    free(subject);
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return rc;
}

void tc_trust_free(tc_trust *trust)
{
    if (!trust)
        return;
    for (size_t i = 0; i < trust->n; i++) {
        tc_key_free(trust->entries[i].key);
        free(trust->entries[i].source);
    }
    free(trust->entries);
    sk_X509_pop_free(trust->roots, X509_free);
    sk_X509_pop_free(trust->others, X509_free);
    free(trust->dir);
    free(trust);
}
