/*
 * DSSE (Dead Simple Signing Envelope) v1: the signature covers the
 * pre-authentication encoding of the payload type and the payload bytes, never
 * a JSON serialisation, so an envelope is checked before its payload is parsed.
 */
#include <stdlib.h>
#include <string.h>

#include "certify.h"

void tc_dsse_pae(tc_buf *out, const char *type, const void *body, size_t len)
{
    tc_buf_printf(out, "DSSEv1 %zu %s %zu ", strlen(type), type, len);
    tc_buf_add(out, body, len);
}

int tc_dsse_sign(const tc_key *key, const char *type, const void *payload, size_t len,
                 char **envelope, size_t *envelope_len)
{
    tc_buf pae = TC_BUF_INIT;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    *envelope = NULL;
    *envelope_len = 0;
    tc_dsse_pae(&pae, type, payload, len);
    int rc = tc_key_sign(key, pae.data, pae.len, &sig, &sig_len);
    tc_buf_release(&pae);
    if (rc != 0)
        return rc;
    char *payload64 = tc_base64_encode(payload, len);
    char *sig64 = tc_base64_encode(sig, sig_len);
    json_t *env = json_pack("{s:s, s:s, s:[{s:s, s:s}]}", "payload", payload64, "payloadType", type,
                            "signatures", "keyid", tc_key_id(key), "sig", sig64);
    free(payload64);
    free(sig64);
    free(sig);
    if (!env)
        return tc_error_set(TC_EINTERNAL, "cannot build the envelope");
    rc = tc_jcs_serialize(env, envelope, envelope_len);
    json_decref(env);
    return rc;
}

/* A member that must be a string. */
static const char *get_string(json_t *obj, const char *name, size_t *len)
{
    json_t *v = json_object_get(obj, name);
    if (!json_is_string(v))
        return NULL;
    if (len)
        *len = json_string_length(v);
    return json_string_value(v);
}

#define DSSE_MAX_SIGNATURES 64

int tc_dsse_parse(tc_dsse *out, const void *text, size_t len)
{
    json_error_t jerr;
    int rc = 0;
    memset(out, 0, sizeof *out);
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return tc_error_set(TC_EINVAL, "not JSON (line %d, column %d: %s)", jerr.line, jerr.column,
                            jerr.text);
    size_t plen = 0;
    const char *payload = get_string(root, "payload", &plen);
    const char *type = get_string(root, "payloadType", NULL);
    json_t *sigs = json_object_get(root, "signatures");
    if (!json_is_object(root) || !payload || !type || !json_is_array(sigs)) {
        rc = tc_error_set(TC_EINVAL, "not a DSSE envelope (expected an object with payload, "
                                     "payloadType and signatures)");
        goto cleanup;
    }
    if (json_array_size(sigs) == 0 || json_array_size(sigs) > DSSE_MAX_SIGNATURES) {
        rc = tc_error_set(TC_EINVAL, "the envelope has %zu signatures (expected 1 to %d)",
                          json_array_size(sigs), DSSE_MAX_SIGNATURES);
        goto cleanup;
    }
    out->payload_type = tc_xstrdup(type);
    rc = tc_base64_decode(payload, plen, &out->payload, &out->payload_len);
    if (rc != 0) {
        char why[256];
        snprintf(why, sizeof why, "%s", tc_error_last());
        rc = tc_error_set(TC_EINVAL, "the payload is not valid base64: %s", why);
        goto cleanup;
    }
    out->sigs = tc_xcalloc(json_array_size(sigs), sizeof *out->sigs);
    for (size_t i = 0; i < json_array_size(sigs); i++) {
        json_t *s = json_array_get(sigs, i);
        size_t slen = 0;
        const char *sig = json_is_object(s) ? get_string(s, "sig", &slen) : NULL;
        json_t *keyid = json_is_object(s) ? json_object_get(s, "keyid") : NULL;
        if (!sig || (keyid && !json_is_string(keyid))) {
            rc = tc_error_set(TC_EINVAL,
                              "signature %zu is not an object with a string sig "
                              "(and keyid)",
                              i + 1);
            goto cleanup;
        }
        tc_dsse_signature *d = &out->sigs[out->nsigs++];
        d->keyid = tc_xstrdup(keyid ? json_string_value(keyid) : "");
        rc = tc_base64_decode(sig, slen, &d->sig, &d->sig_len);
        if (rc != 0) {
            char why[256];
            snprintf(why, sizeof why, "%s", tc_error_last());
            rc = tc_error_set(TC_EINVAL, "signature %zu is not valid base64: %s", i + 1, why);
            goto cleanup;
        }
    }
cleanup:
    json_decref(root);
    if (rc != 0)
        tc_dsse_release(out);
    return rc;
}

int tc_dsse_verify(const tc_dsse *env, const tc_key *key)
{
    tc_buf pae = TC_BUF_INIT;
    int rc = TC_ENOTFOUND;
    size_t tried = 0;
    tc_dsse_pae(&pae, env->payload_type, env->payload, env->payload_len);
    for (size_t i = 0; i < env->nsigs && rc != 0; i++) {
        const tc_dsse_signature *s = &env->sigs[i];
        if (s->keyid[0] && strcmp(s->keyid, tc_key_id(key)) != 0)
            continue;
        tried++;
        rc = tc_key_verify(key, pae.data, pae.len, s->sig, s->sig_len);
    }
    tc_buf_release(&pae);
    if (tried == 0)
        return tc_error_set(TC_ESIGNATURE, "no signature by key %s", tc_key_id(key));
    return rc;
}

void tc_dsse_release(tc_dsse *env)
{
    if (!env)
        return;
    free(env->payload_type);
    free(env->payload);
    for (size_t i = 0; i < env->nsigs; i++) {
        free(env->sigs[i].keyid);
        free(env->sigs[i].sig);
    }
    free(env->sigs);
    memset(env, 0, sizeof *env);
}
