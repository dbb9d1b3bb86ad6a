/*
 * Revocation lists: a DSSE envelope (payload type
 * application/vnd.twincheck.revocations+json) signed by the issuer it speaks
 * for, naming revoked certificates by the SHA-256 of their payload and revoked
 * keys by key id.
 */
#include <stdlib.h>
#include <string.h>

#include "certify.h"

#define REVOCATIONS_MAX_ENTRIES 1000000

void tc_revocations_init(tc_revocations *r)
{
    memset(r, 0, sizeof *r);
}

void tc_revocations_release(tc_revocations *r)
{
    if (!r)
        return;
    free(r->issuer);
    for (size_t i = 0; i < r->ncerts; i++)
        free(r->certs[i]);
    for (size_t i = 0; i < r->nkeys; i++)
        free(r->keys[i]);
    free(r->certs);
    free(r->keys);
    memset(r, 0, sizeof *r);
}

/* Insert into a sorted list unless it is there already. */
static void sorted_add(char ***items, size_t *n, size_t *cap, const char *value)
{
    size_t lo = 0, hi = *n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp((*items)[mid], value);
        if (c == 0)
            return;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    TC_GROW(*items, *cap, *n + 1);
    memmove(*items + lo + 1, *items + lo, (*n - lo) * sizeof **items);
    (*items)[lo] = tc_xstrdup(value);
    (*n)++;
}

static bool sorted_has(char *const *items, size_t n, const char *value)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(items[mid], value);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void tc_revocations_add_cert(tc_revocations *r, const char *digest)
{
    sorted_add(&r->certs, &r->ncerts, &r->capcerts, digest);
}

void tc_revocations_add_key(tc_revocations *r, const char *key_id)
{
    sorted_add(&r->keys, &r->nkeys, &r->capkeys, key_id);
}

bool tc_revocations_has_cert(const tc_revocations *r, const char *digest)
{
    return sorted_has(r->certs, r->ncerts, digest);
}

bool tc_revocations_has_key(const tc_revocations *r, const char *key_id)
{
    return sorted_has(r->keys, r->nkeys, key_id);
}

/* One list of 64-digit hex strings from the payload. */
static int read_ids(json_t *list, const char *name, tc_revocations *r, bool certs)
{
    if (!json_is_array(list))
        return tc_error_set(TC_EINVAL, "the revocation list's %s is not an array", name);
    if (json_array_size(list) > REVOCATIONS_MAX_ENTRIES)
        return tc_error_set(TC_ELIMIT, "the revocation list has more than %d %s",
                            REVOCATIONS_MAX_ENTRIES, name);
    for (size_t i = 0; i < json_array_size(list); i++) {
        const char *s = json_string_value(json_array_get(list, i));
        if (!s || !tc_is_sha256_hex(s))
            return tc_error_set(TC_EINVAL,
                                "entry %zu of the revocation list's %s is not 64 "
                                "lowercase hex digits",
                                i + 1, name);
        if (certs)
            tc_revocations_add_cert(r, s);
        else
            tc_revocations_add_key(r, s);
    }
    return 0;
}

int tc_revocations_open(tc_revocations *out, const void *text, size_t len, const tc_key *issuer)
{
    tc_dsse env;
    json_t *root = NULL;
    json_error_t jerr;
    tc_revocations_init(out);
    int rc = tc_dsse_parse(&env, text, len);
    if (rc != 0)
        return rc;
    if (strcmp(env.payload_type, TC_DSSE_REVOCATIONS_TYPE) != 0) {
        rc = tc_error_set(TC_EINVAL, "payload type is '%s', not %s", env.payload_type,
                          TC_DSSE_REVOCATIONS_TYPE);
        goto cleanup;
    }
    if (tc_dsse_verify(&env, issuer) != 0) {
        rc = tc_error_set(TC_ESIGNATURE, "it is not signed by issuer %s", tc_key_id(issuer));
        goto cleanup;
    }
    root = tc_jcs_load(env.payload, env.payload_len, &jerr);
    const char *type = json_string_value(json_object_get(root, "_type"));
    const char *who = json_string_value(json_object_get(root, "issuer"));
    const char *when = json_string_value(json_object_get(root, "issuedAt"));
    if (!root || !type || strcmp(type, TC_REVOCATIONS_V1) != 0 || !who || !when) {
        rc = tc_error_set(TC_EINVAL, "its payload is not a %s object with issuer and issuedAt",
                          TC_REVOCATIONS_V1);
        goto cleanup;
    }
    /* Signed by the issuer, but it must also speak for that issuer. */
    if (strcmp(who, tc_key_id(issuer)) != 0) {
        rc = tc_error_set(TC_ESIGNATURE, "it speaks for issuer %s, not %s", who, tc_key_id(issuer));
        goto cleanup;
    }
    rc = tc_time_parse(when, &out->issued_at);
    if (rc != 0) {
        rc = tc_error_set(TC_EINVAL, "its issuedAt '%s' is not an RFC 3339 time", when);
        goto cleanup;
    }
    out->issuer = tc_xstrdup(who);
    rc = read_ids(json_object_get(root, "certificates"), "certificates", out, true);
    if (rc == 0)
        rc = read_ids(json_object_get(root, "keys"), "keys", out, false);
cleanup:
    json_decref(root);
    tc_dsse_release(&env);
    if (rc != 0)
        tc_revocations_release(out);
    return rc;
}

static json_t *id_array(char *const *items, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

int tc_revocations_sign(const tc_revocations *r, const tc_key *key, char **out, size_t *len)
{
    char when[TC_TIME_MAX_LEN];
    char *payload = NULL;
    size_t payload_len = 0;
    *out = NULL;
    *len = 0;
    tc_time_format(r->issued_at, when);
    json_t *root = json_pack("{s:s, s:s, s:s, s:o, s:o}", "_type", TC_REVOCATIONS_V1, "issuer",
                             tc_key_id(key), "issuedAt", when, "certificates",
                             id_array(r->certs, r->ncerts), "keys", id_array(r->keys, r->nkeys));
    if (!root)
        return tc_error_set(TC_EINTERNAL, "cannot build the revocation list");
    int rc = tc_jcs_serialize(root, &payload, &payload_len);
    json_decref(root);
    if (rc == 0)
        rc = tc_dsse_sign(key, TC_DSSE_REVOCATIONS_TYPE, payload, payload_len, out, len);
    free(payload);
    return rc;
}
