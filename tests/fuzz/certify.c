/* Certificates (validator/certify). The first byte picks what the rest is:
 *   0: a certificate as found on disk: DSSE envelope parsing and every check of
 *      tc_verify (the signature does not verify, so the statement is not read);
 *   1: a statement payload, signed here, so that tc_verify reads it;
 *   2: a revocation list payload, signed here, opened by tc_revocations_open;
 *   3: any JSON value, serialised canonically (JCS) twice: the second pass must
 *      give the same bytes;
 *   else: base64 and timestamp parsing.
 * The key is made anew by each process, so in payloads "@KEYID@" stands for its id.
 */
#include "certify/certify.h"
#include "fuzz.h"

static tc_key *key;
static tc_trust *trust;

/* The payload with every "@KEYID@" replaced by the key's id. */
static char *with_key_id(const uint8_t *data, size_t size, size_t *len)
{
    static const char mark[] = "@KEYID@";
    const size_t mlen = sizeof mark - 1;
    tc_buf b = TC_BUF_INIT;
    size_t i = 0;
    while (i < size) {
        if (size - i >= mlen && memcmp(data + i, mark, mlen) == 0) {
            tc_buf_puts(&b, tc_key_id(key));
            i += mlen;
        } else {
            tc_buf_add(&b, data + i, 1);
            i++;
        }
    }
    *len = b.len;
    return tc_buf_detach(&b);
}

static void verify(const void *cert, size_t len)
{
    tc_verify_options opt = {.trust = trust, .at = 1748736000};
    tc_verification v;
    tc_verification_init(&v);
    if (tc_verify(&v, cert, len, &opt) == 0)
        json_decref(tc_verification_json(&v, "fuzz.cert"));
    tc_verification_release(&v);
}

static void canonical(const uint8_t *data, size_t size)
{
    json_error_t err;
    json_t *v = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES,
                           &err);
    char *a = NULL, *b = NULL;
    size_t alen = 0, blen = 0;
    if (v && tc_jcs_serialize(v, &a, &alen) == 0) {
        json_t *again = tc_jcs_load(a, alen, &err);
        if (!again || tc_jcs_serialize(again, &b, &blen) != 0 || alen != blen ||
            memcmp(a, b, alen) != 0)
            abort(); /* canonical JSON must read back to itself */
        json_decref(again);
    }
    free(a);
    free(b);
    json_decref(v);
}

TC_FUZZ_TARGET(certify)
{
    if (!key) {
        /* One key for the process; the trust owns it, certificates are signed with it. */
        if (tc_key_generate(&key, TC_KEY_ED25519) != 0)
            abort();
        trust = tc_trust_of_key(key, "fuzz");
    }
    if (size == 0)
        return 0;
    const uint8_t *rest = data + 1;
    size_t n = size - 1;
    char *env = NULL, *payload = NULL;
    size_t env_len = 0, payload_len = 0;
    switch (data[0]) {
    case 0: {
        tc_dsse d;
        if (tc_dsse_parse(&d, rest, n) == 0)
            tc_dsse_release(&d);
        verify(rest, n);
        break;
    }
    case 1:
    case 2:
        payload = with_key_id(rest, n, &payload_len);
        if (data[0] == 1 && tc_dsse_sign(key, TC_DSSE_STATEMENT_TYPE, payload, payload_len, &env,
                                         &env_len) == 0)
            verify(env, env_len);
        if (data[0] == 2 && tc_dsse_sign(key, TC_DSSE_REVOCATIONS_TYPE, payload, payload_len,
                                         &env, &env_len) == 0) {
            tc_revocations r;
            if (tc_revocations_open(&r, env, env_len, key) == 0)
                tc_revocations_release(&r);
        }
        break;
    case 3:
        canonical(rest, n);
        break;
    default: {
        char *text = (char *)tc_fuzz_copy(rest, n);
        unsigned char *bytes = NULL;
        size_t len = 0;
        if (tc_base64_decode(text, n, &bytes, &len) == 0)
            free(bytes);
        int64_t t;
        if (tc_time_parse(text, &t) == 0) {
            char out[TC_TIME_MAX_LEN];
            tc_time_format(t, out);
        }
        free(text);
        break;
    }
    }
    free(env);
    free(payload);
    return 0;
}
