/*
 * Verification of a certificate: each check says what it found, and the
 * payload is only interpreted once its signature by a trusted issuer holds.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "certify.h"

static const char *const check_names[TC_VERIFY_COUNT] = {
    "envelope", "issuer",     "chain",   "signature", "statement",
    "validity", "revocation", "package", "verdict",
};

const char *tc_verify_check_name(tc_verify_check c)
{
    return c < TC_VERIFY_COUNT ? check_names[c] : "?";
}

const char *tc_check_result_name(tc_check_result r)
{
    return r == TC_CHECK_PASS ? "pass" : r == TC_CHECK_FAIL ? "fail" : "skip";
}

void tc_verification_init(tc_verification *v)
{
    memset(v, 0, sizeof *v);
    for (int i = 0; i < TC_VERIFY_COUNT; i++)
        v->checks[i].result = TC_CHECK_SKIP;
}

void tc_verification_release(tc_verification *v)
{
    if (!v)
        return;
    for (int i = 0; i < TC_VERIFY_COUNT; i++) {
        free(v->checks[i].message);
        for (size_t j = 0; j < v->checks[i].ndetails; j++)
            free(v->checks[i].details[j]);
        free(v->checks[i].details);
    }
    json_decref(v->statement);
    memset(v, 0, sizeof *v);
}

TC_PRINTF(4, 5)
static void set_check(tc_verification *v, tc_verify_check c, tc_check_result r, const char *fmt,
                      ...)
{
    va_list ap;
    tc_buf b = TC_BUF_INIT;
    va_start(ap, fmt);
    tc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    free(v->checks[c].message);
    v->checks[c].result = r;
    v->checks[c].message = tc_buf_detach(&b);
}

TC_PRINTF(3, 4)
static void add_detail(tc_verification *v, tc_verify_check c, const char *fmt, ...)
{
    va_list ap;
    tc_buf b = TC_BUF_INIT;
    tc_verify_item *it = &v->checks[c];
    va_start(ap, fmt);
    tc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    TC_GROW(it->details, it->capdetails, it->ndetails + 1);
    it->details[it->ndetails++] = tc_buf_detach(&b);
}

/* Mark every check from `first` on as not made, and why. */
static void skip_from(tc_verification *v, tc_verify_check first, const char *why)
{
    for (int c = first; c < TC_VERIFY_COUNT; c++)
        set_check(v, (tc_verify_check)c, TC_CHECK_SKIP, "not checked: %s", why);
}

/* ---- the statement ------------------------------------------------------------------------ */

typedef struct statement_view {
    const char *issuer;
    int64_t issued_at, expires_at;
    const char *verdict;
} statement_view;

static bool valid_subject(json_t *s)
{
    const char *name = json_string_value(json_object_get(s, "name"));
    const char *digest = json_string_value(json_object_get(json_object_get(s, "digest"), "sha256"));
    return name && name[0] && digest && tc_is_sha256_hex(digest);
}

static bool is_archive_subject(json_t *s)
{
    const char *role =
        json_string_value(json_object_get(json_object_get(s, "annotations"), "twincheck:role"));
    return role && strcmp(role, "archive") == 0;
}

/* Check the payload's shape; 0 or TC_EINVAL with the reason. */
static int read_statement(json_t *st, statement_view *out)
{
    const char *type = json_string_value(json_object_get(st, "_type"));
    const char *ptype = json_string_value(json_object_get(st, "predicateType"));
    json_t *subjects = json_object_get(st, "subject");
    json_t *pred = json_object_get(st, "predicate");
    if (!type || strcmp(type, TC_INTOTO_STATEMENT_V1) != 0)
        return tc_error_set(TC_EINVAL, "_type is not %s", TC_INTOTO_STATEMENT_V1);
    if (!ptype || strcmp(ptype, TC_PREDICATE_TYPE) != 0)
        return tc_error_set(TC_EINVAL, "predicateType is not %s", TC_PREDICATE_TYPE);
    if (!json_is_array(subjects) || json_array_size(subjects) == 0)
        return tc_error_set(TC_EINVAL, "subject is not a non-empty array");
    size_t archives = 0;
    for (size_t i = 0; i < json_array_size(subjects); i++) {
        json_t *s = json_array_get(subjects, i);
        if (!valid_subject(s))
            return tc_error_set(TC_EINVAL, "subject %zu has no name or no sha256 digest", i + 1);
        archives += is_archive_subject(s);
        const char *name = json_string_value(json_object_get(s, "name"));
        for (size_t j = 0; j < i; j++) {
            json_t *o = json_array_get(subjects, j);
            if (is_archive_subject(o) == is_archive_subject(s) &&
                strcmp(json_string_value(json_object_get(o, "name")), name) == 0)
                return tc_error_set(TC_EINVAL, "subject '%s' is listed twice", name);
        }
    }
    if (archives > 1)
        return tc_error_set(TC_EINVAL, "more than one subject is marked as the archive");
    out->issuer = json_string_value(json_object_get(json_object_get(pred, "issuer"), "keyId"));
    out->verdict = json_string_value(json_object_get(pred, "verdict"));
    const char *issued = json_string_value(json_object_get(pred, "issuedAt"));
    const char *expires = json_string_value(json_object_get(pred, "expiresAt"));
    if (!json_is_object(pred) || !out->issuer || !out->verdict || !issued || !expires)
        return tc_error_set(TC_EINVAL, "the predicate lacks issuer.keyId, verdict, issuedAt or "
                                       "expiresAt");
    if (strcmp(out->verdict, "passed") != 0 && strcmp(out->verdict, "failed") != 0)
        return tc_error_set(TC_EINVAL, "verdict '%s' is neither passed nor failed", out->verdict);
    if (tc_time_parse(issued, &out->issued_at) != 0 ||
        tc_time_parse(expires, &out->expires_at) != 0)
        return tc_error_set(TC_EINVAL, "issuedAt or expiresAt is not an RFC 3339 time");
    if (out->expires_at <= out->issued_at)
        return tc_error_set(TC_EINVAL, "expiresAt is not after issuedAt");
    return 0;
}

/* ---- the package ---------------------------------------------------------------------------- */

typedef struct named_digest {
    const char *name;
    const char *sha256;
} named_digest;

static int compare_named(const void *a, const void *b)
{
    return strcmp(((const named_digest *)a)->name, ((const named_digest *)b)->name);
}

/* The file subjects sorted by name, and the archive's subject, if any. */
static named_digest *split_subjects(json_t *subjects, size_t *n, named_digest *archive)
{
    named_digest *files = tc_xcalloc(json_array_size(subjects) + 1, sizeof *files);
    *n = 0;
    *archive = (named_digest){NULL, NULL};
    for (size_t i = 0; i < json_array_size(subjects); i++) {
        json_t *s = json_array_get(subjects, i);
        named_digest d = {
            json_string_value(json_object_get(s, "name")),
            json_string_value(json_object_get(json_object_get(s, "digest"), "sha256"))};
        if (is_archive_subject(s))
            *archive = d;
        else
            files[(*n)++] = d;
    }
    qsort(files, *n, sizeof *files, compare_named);
    return files;
}

static int check_package(tc_verification *v, const char *package)
{
    json_t *found = NULL;
    int rc = tc_cert_subjects(&found, package);
    if (rc != 0)
        return rc;
    size_t nc, nf, changed = 0, missing = 0, extra = 0;
    named_digest carch, farch;
    named_digest *c = split_subjects(json_object_get(v->statement, "subject"), &nc, &carch);
    named_digest *f = split_subjects(found, &nf, &farch);
    const tc_verify_check P = TC_VERIFY_PACKAGE;
    if (carch.name && farch.name && strcmp(carch.sha256, farch.sha256) != 0) {
        add_detail(v, P, "changed archive %s (certified sha256 %s, found %s)", carch.name,
                   carch.sha256, farch.sha256);
        changed++;
    }
    size_t i = 0, j = 0;
    while (i < nc || j < nf) {
        int cmp = i >= nc ? 1 : j >= nf ? -1 : strcmp(c[i].name, f[j].name);
        if (cmp < 0) {
            add_detail(v, P, "missing file %s", c[i++].name);
            missing++;
        } else if (cmp > 0) {
            add_detail(v, P, "extra file %s", f[j++].name);
            extra++;
        } else {
            if (strcmp(c[i].sha256, f[j].sha256) != 0) {
                add_detail(v, P, "changed file %s (certified sha256 %s, found %s)", c[i].name,
                           c[i].sha256, f[j].sha256);
                changed++;
            }
            i++;
            j++;
        }
    }
    const char *archive_note = carch.name && !farch.name
                                   ? "; the certified archive itself was not compared (the "
                                     "package given is not an archive)"
                                   : "";
    if (changed + missing + extra == 0)
        set_check(v, P, TC_CHECK_PASS, "all %zu files%s match their certified sha256%s", nc,
                  carch.name && farch.name ? " and the archive" : "", archive_note);
    else
        set_check(v, P, TC_CHECK_FAIL,
                  "%s differs from the certificate: %zu changed, "
                  "%zu missing, %zu extra%s",
                  package, changed, missing, extra, archive_note);
    free(c);
    free(f);
    json_decref(found);
    return 0;
}

/* ---- revocation ------------------------------------------------------------------------------ */

static int check_revocation(tc_verification *v, const tc_verify_options *opt,
                            const tc_issuer *issuer)
{
    const tc_verify_check R = TC_VERIFY_REVOCATION;
    const char *key_id = tc_key_id(issuer->key);
    char *path = NULL;
    unsigned char *text = NULL;
    size_t len = 0;
    int rc = 0;
    tc_revocations list;
    tc_revocations_init(&list);
    if (opt->revocations) {
        path = tc_xstrdup(opt->revocations);
    } else if (opt->trust && tc_trust_dir(opt->trust)) {
        struct stat st;
        path = tc_xasprintf("%s/%s.revocations.json", tc_trust_dir(opt->trust), key_id);
        if (stat(path, &st) != 0 && errno == ENOENT) {
            set_check(v, R, TC_CHECK_PASS, "no revocation list for this issuer (%s)", path);
            goto cleanup;
        }
    } else {
        set_check(v, R, TC_CHECK_SKIP, "no revocation list given (--revocations)");
        goto cleanup;
    }
    rc = tc_read_file(path, TC_CERT_MAX_BYTES, &text, &len);
    if (rc != 0)
        goto cleanup;
    if (tc_revocations_open(&list, text, len, issuer->key) != 0) {
        set_check(v, R, TC_CHECK_FAIL, "revocation list %s refused: %s", path, tc_error_last());
        goto cleanup;
    }
    char when[TC_TIME_MAX_LEN];
    tc_time_format(list.issued_at, when);
    if (tc_revocations_has_key(&list, key_id))
        set_check(v, R, TC_CHECK_FAIL, "the issuer's key %s is revoked (list %s of %s)", key_id,
                  path, when);
    else if (tc_revocations_has_cert(&list, v->payload_digest))
        set_check(v, R, TC_CHECK_FAIL,
                  "this certificate (payload sha256 %s) is revoked (list %s "
                  "of %s)",
                  v->payload_digest, path, when);
    else
        set_check(v, R, TC_CHECK_PASS, "not revoked (list %s of %s: %zu certificates, %zu keys)",
                  path, when, list.ncerts, list.nkeys);
cleanup:
    tc_revocations_release(&list);
    free(text);
    free(path);
    return rc;
}

/* ---- all checks -------------------------------------------------------------------------------
 */

int tc_verify(tc_verification *v, const void *cert, size_t len, const tc_verify_options *opt)
{
    tc_dsse env;
    tc_issuer issuer = {0};
    statement_view sv = {0};
    char when[TC_TIME_MAX_LEN], at[TC_TIME_MAX_LEN];
    int rc = 0;
    memset(&env, 0, sizeof env);

    if (tc_dsse_parse(&env, cert, len) != 0) {
        set_check(v, TC_VERIFY_ENVELOPE, TC_CHECK_FAIL, "%s", tc_error_last());
        skip_from(v, TC_VERIFY_ISSUER, "the envelope cannot be read");
        goto done;
    }
    tc_sha256_hex(env.payload, env.payload_len, v->payload_digest);
    if (strcmp(env.payload_type, TC_DSSE_STATEMENT_TYPE) != 0) {
        set_check(v, TC_VERIFY_ENVELOPE, TC_CHECK_FAIL, "payload type is '%s', not %s",
                  env.payload_type, TC_DSSE_STATEMENT_TYPE);
        skip_from(v, TC_VERIFY_ISSUER, "not a certificate");
        goto done;
    }
    set_check(v, TC_VERIFY_ENVELOPE, TC_CHECK_PASS,
              "DSSE envelope, payload type %s, %zu "
              "signature%s, payload sha256 %s",
              env.payload_type, env.nsigs, env.nsigs == 1 ? "" : "s", v->payload_digest);

    /* The issuer: the first signature whose key id the store knows. */
    bool found = false;
    for (size_t i = 0; i < env.nsigs && !found; i++)
        found = env.sigs[i].keyid[0] && tc_trust_find(opt->trust, env.sigs[i].keyid, &issuer) == 0;
    if (!found) {
        tc_buf ids = TC_BUF_INIT;
        for (size_t i = 0; i < env.nsigs; i++)
            tc_buf_printf(&ids, "%s%s", i ? ", " : "",
                          env.sigs[i].keyid[0] ? env.sigs[i].keyid : "(no key id)");
        set_check(v, TC_VERIFY_ISSUER, TC_CHECK_FAIL, "unknown issuer: no trusted key has id %s",
                  ids.data);
        tc_buf_release(&ids);
        skip_from(v, TC_VERIFY_CHAIN, "the issuer is not trusted");
        goto done;
    }
    set_check(v, TC_VERIFY_ISSUER, TC_CHECK_PASS, "key %s (%s) from %s", tc_key_id(issuer.key),
              tc_key_type_name(tc_key_get_type(issuer.key)), issuer.source);

    if (issuer.certificate) {
        char *detail = NULL;
        if (tc_trust_check_chain(opt->trust, tc_key_id(issuer.key), opt->at, &detail) != 0) {
            set_check(v, TC_VERIFY_CHAIN, TC_CHECK_FAIL, "%s", tc_error_last());
            skip_from(v, TC_VERIFY_SIGNATURE, "the issuer's certificate is not trusted");
            goto done;
        }
        set_check(v, TC_VERIFY_CHAIN, TC_CHECK_PASS, "%s", detail);
        free(detail);
    } else {
        set_check(v, TC_VERIFY_CHAIN, TC_CHECK_SKIP,
                  "the issuer is a trusted public key, "
                  "without certificate");
    }

    if (tc_dsse_verify(&env, issuer.key) != 0) {
        set_check(v, TC_VERIFY_SIGNATURE, TC_CHECK_FAIL,
                  "%s: the payload or the signature "
                  "was altered, or another key signed it",
                  tc_error_last());
        skip_from(v, TC_VERIFY_STATEMENT, "the payload is not authenticated");
        goto done;
    }
    set_check(v, TC_VERIFY_SIGNATURE, TC_CHECK_PASS, "%s signature by key %s verified",
              tc_key_type_name(tc_key_get_type(issuer.key)), tc_key_id(issuer.key));

    json_error_t jerr;
    v->statement =
        tc_jcs_load(env.payload, env.payload_len, &jerr);
    if (!v->statement) {
        set_check(v, TC_VERIFY_STATEMENT, TC_CHECK_FAIL,
                  "the payload is not JSON (line %d, "
                  "column %d: %s)",
                  jerr.line, jerr.column, jerr.text);
        skip_from(v, TC_VERIFY_VALIDITY, "the statement cannot be read");
        goto done;
    }
    if (read_statement(v->statement, &sv) != 0) {
        set_check(v, TC_VERIFY_STATEMENT, TC_CHECK_FAIL, "%s", tc_error_last());
        skip_from(v, TC_VERIFY_VALIDITY, "the statement cannot be read");
        goto done;
    }
    if (strcmp(sv.issuer, tc_key_id(issuer.key)) != 0) {
        set_check(v, TC_VERIFY_STATEMENT, TC_CHECK_FAIL,
                  "the predicate names issuer %s but key "
                  "%s signed it",
                  sv.issuer, tc_key_id(issuer.key));
        skip_from(v, TC_VERIFY_VALIDITY, "the statement's issuer is wrong");
        goto done;
    }
    set_check(v, TC_VERIFY_STATEMENT, TC_CHECK_PASS,
              "in-toto Statement v1 with %zu subjects, "
              "predicate %s",
              json_array_size(json_object_get(v->statement, "subject")), TC_PREDICATE_TYPE);

    tc_time_format(opt->at, at);
    if (opt->at < sv.issued_at) {
        tc_time_format(sv.issued_at, when);
        set_check(v, TC_VERIFY_VALIDITY, TC_CHECK_FAIL,
                  "not yet valid: issued at %s, checked "
                  "at %s",
                  when, at);
    } else if (opt->at >= sv.expires_at) {
        tc_time_format(sv.expires_at, when);
        set_check(v, TC_VERIFY_VALIDITY, TC_CHECK_FAIL, "expired at %s (checked at %s)", when, at);
    } else {
        char from[TC_TIME_MAX_LEN];
        tc_time_format(sv.issued_at, from);
        tc_time_format(sv.expires_at, when);
        set_check(v, TC_VERIFY_VALIDITY, TC_CHECK_PASS, "valid from %s until %s (checked at %s)",
                  from, when, at);
    }

    rc = check_revocation(v, opt, &issuer);
    if (rc != 0)
        goto done;
    if (opt->package)
        rc = check_package(v, opt->package);
    else
        set_check(v, TC_VERIFY_PACKAGE, TC_CHECK_SKIP, "no package given (--package)");
    if (rc != 0)
        goto done;

    if (strcmp(sv.verdict, "passed") == 0)
        set_check(v, TC_VERIFY_VERDICT, TC_CHECK_PASS, "the package passed");
    else if (opt->require_passed)
        set_check(v, TC_VERIFY_VERDICT, TC_CHECK_FAIL,
                  "the certified verdict is failed and "
                  "a passed one is required");
    else
        set_check(v, TC_VERIFY_VERDICT, TC_CHECK_SKIP,
                  "the certified verdict is failed (not "
                  "required to pass)");
done:
    tc_dsse_release(&env);
    v->valid = true;
    for (int c = 0; c < TC_VERIFY_COUNT; c++)
        if (v->checks[c].result == TC_CHECK_FAIL)
            v->valid = false;
    return rc;
}

json_t *tc_verification_json(const tc_verification *v, const char *cert_path)
{
    json_t *checks = json_array();
    for (int c = 0; c < TC_VERIFY_COUNT; c++) {
        const tc_verify_item *it = &v->checks[c];
        json_t *details = json_array();
        for (size_t i = 0; i < it->ndetails; i++)
            json_array_append_new(details, json_string(it->details[i]));
        json_array_append_new(checks,
                              json_pack("{s:s, s:s, s:s, s:o}", "check", check_names[c], "result",
                                        tc_check_result_name(it->result), "message",
                                        it->message ? it->message : "", "details", details));
    }
    json_t *pred = v->statement ? json_object_get(v->statement, "predicate") : NULL;
    return json_pack("{s:s, s:b, s:s?, s:o, s:O?}", "certificate", cert_path, "valid", v->valid,
                     "payloadSha256", v->payload_digest[0] ? v->payload_digest : NULL, "checks",
                     checks, "predicate", pred);
}
