/*
 * Canonical JSON, RFC 8785 (JCS): the bytes a signature covers must not depend
 * on who wrote the JSON. Numbers follow ECMAScript's Number::toString (the
 * shortest decimal that reads back as the same double), object keys are sorted
 * by their UTF-16 code units, strings use the minimal escapes, and there is no
 * whitespace.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "certify.h"

#define JCS_MAX_DEPTH 512

/* Digits and exponent of a double printed as d.ddd...e+XX. */
typedef struct decimal {
    char digits[24]; /* no leading zeros, NUL-terminated */
    int exp10;       /* value = 0.digits * 10^exp10 (ECMAScript's n) */
} decimal;

/* Split "%.*e" output ("1.2345e-07") into digits and ECMAScript's n. */
static void split_e(const char *s, decimal *d)
{
    size_t k = 0;
    const char *p = s;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9' && k + 1 < sizeof d->digits)
            d->digits[k++] = *p;
    d->digits[k] = '\0';
    d->exp10 = (*p == 'e' ? (int)strtol(p + 1, NULL, 10) : 0) + 1;
}

/* Does the decimal read back as exactly `v`? (glibc's strtod rounds
 * correctly, so this is exact.) */
static bool round_trips(const decimal *d, double v)
{
    char text[48];
    snprintf(text, sizeof text, "0.%se%d", d->digits, d->exp10);
    return strtod(text, NULL) == v;
}

/* Add `delta` (+1 or -1) to the last digit, keeping the digit count where
 * possible; false when the result would be zero. */
static bool step_last_digit(decimal *d, int delta)
{
    size_t k = strlen(d->digits);
    if (delta > 0) {
        size_t i = k;
        while (i > 0 && d->digits[i - 1] == '9')
            d->digits[--i] = '0';
        if (i == 0) { /* 99..9 + 1 = 100..0: one more power of ten */
            memmove(d->digits + 1, d->digits, k + 1);
            d->digits[0] = '1';
            d->digits[k] = '\0'; /* keep k digits */
            d->exp10++;
        } else {
            d->digits[i - 1]++;
        }
        return true;
    }
    size_t i = k;
    while (i > 0 && d->digits[i - 1] == '0')
        d->digits[--i] = '9';
    if (i == 0)
        return false;
    d->digits[i - 1]--;
    if (d->digits[0] == '0') { /* 100..0 - 1 = 099..9: drop the leading zero */
        if (k == 1)
            return false;
        memmove(d->digits, d->digits + 1, k);
        d->exp10--;
    }
    return true;
}

/* The shortest digits that round-trip, and among those the nearest to v. */
static void shortest(double v, decimal *out)
{
    char text[48];
    for (int p = 1; p <= 17; p++) {
        snprintf(text, sizeof text, "%.*e", p - 1, v);
        decimal d;
        split_e(text, &d);
        if (round_trips(&d, v)) {
            *out = d;
            return;
        }
        /* At a power of two the gap below v is half the gap above, so the
         * nearest p-digit decimal may miss while its neighbour on the far
         * side still reads back as v. At most one neighbour can. */
        decimal up = d, down = d;
        if (step_last_digit(&up, +1) && round_trips(&up, v)) {
            *out = up;
            return;
        }
        if (step_last_digit(&down, -1) && round_trips(&down, v)) {
            *out = down;
            return;
        }
    }
    snprintf(text, sizeof text, "%.16e", v); /* 17 digits always round-trip */
    split_e(text, out);
}

int tc_jcs_number(double v, char out[TC_JCS_NUMBER_MAX])
{
    if (!isfinite(v))
        return tc_error_set(TC_EINVAL, "%s cannot be written in JSON",
                            isnan(v) ? "NaN" : "an infinite number");
    if (v == 0) { /* -0 too */
        out[0] = '0';
        out[1] = '\0';
        return 0;
    }
    decimal d;
    shortest(fabs(v), &d);
    size_t k = strlen(d.digits);
    while (k > 1 && d.digits[k - 1] == '0')
        d.digits[--k] = '\0';
    int n = d.exp10;
    char *o = out;
    if (v < 0)
        *o++ = '-';
    if ((int)k <= n && n <= 21) {
        /* digits then n-k zeros: an integer */
        memcpy(o, d.digits, k);
        o += k;
        for (int i = 0; i < n - (int)k; i++)
            *o++ = '0';
    } else if (0 < n && n <= 21) {
        memcpy(o, d.digits, (size_t)n);
        o += n;
        *o++ = '.';
        memcpy(o, d.digits + n, k - (size_t)n);
        o += k - (size_t)n;
    } else if (-6 < n && n <= 0) {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -n; i++)
            *o++ = '0';
        memcpy(o, d.digits, k);
        o += k;
    } else {
        *o++ = d.digits[0];
        if (k > 1) {
            *o++ = '.';
            memcpy(o, d.digits + 1, k - 1);
            o += k - 1;
        }
        o += snprintf(o, 8, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
    }
    *o = '\0';
    return 0;
}

/* ---- strings and keys ----------------------------------------------------------------- */

static void put_string(tc_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    tc_buf_add(b, "\"", 1);
    size_t run = 0; /* bytes copied as they are, added in one go */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[7];
        switch (c) {
        case '"':
            esc = "\\\"";
            break;
        case '\\':
            esc = "\\\\";
            break;
        case '\b':
            esc = "\\b";
            break;
        case '\f':
            esc = "\\f";
            break;
        case '\n':
            esc = "\\n";
            break;
        case '\r':
            esc = "\\r";
            break;
        case '\t':
            esc = "\\t";
            break;
        default:
            if (c < 0x20) {
                u[0] = '\\', u[1] = 'u', u[2] = '0', u[3] = '0';
                u[4] = hex[c >> 4], u[5] = hex[c & 15], u[6] = '\0';
                esc = u;
            }
        }
        if (!esc) {
            run++;
            continue;
        }
        tc_buf_add(b, s + i - run, run);
        run = 0;
        tc_buf_puts(b, esc);
    }
    tc_buf_add(b, s + len - run, run);
    tc_buf_add(b, "\"", 1);
}

/* Next code point of valid UTF-8 (jansson only holds valid UTF-8). */
static unsigned long next_code_point(const unsigned char **p, const unsigned char *end)
{
    const unsigned char *s = *p;
    unsigned long c = *s++;
    int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (more)
        c &= 0x3fu >> more;
    for (; more > 0 && s < end; more--)
        c = (c << 6) | (*s++ & 0x3fu);
    *p = s;
    return c;
}

/* Compare two UTF-8 strings as sequences of UTF-16 code units. */
static int utf16_compare(const char *a, size_t alen, const char *b, size_t blen)
{
    const unsigned char *pa = (const unsigned char *)a, *ea = pa + alen;
    const unsigned char *pb = (const unsigned char *)b, *eb = pb + blen;
    unsigned pending_a = 0, pending_b = 0; /* low surrogates still to compare */
    for (;;) {
        bool more_a = pending_a || pa < ea, more_b = pending_b || pb < eb;
        if (!more_a || !more_b)
            return more_a - more_b;
        unsigned ua, ub;
        if (pending_a) {
            ua = pending_a;
            pending_a = 0;
        } else {
            unsigned long c = next_code_point(&pa, ea);
            if (c >= 0x10000) {
                ua = 0xd800 + (unsigned)((c - 0x10000) >> 10);
                pending_a = 0xdc00 + (unsigned)((c - 0x10000) & 0x3ff);
            } else {
                ua = (unsigned)c;
            }
        }
        if (pending_b) {
            ub = pending_b;
            pending_b = 0;
        } else {
            unsigned long c = next_code_point(&pb, eb);
            if (c >= 0x10000) {
                ub = 0xd800 + (unsigned)((c - 0x10000) >> 10);
                pending_b = 0xdc00 + (unsigned)((c - 0x10000) & 0x3ff);
            } else {
                ub = (unsigned)c;
            }
        }
        if (ua != ub)
            return ua < ub ? -1 : 1;
    }
}

typedef struct member {
    const char *key;
    size_t len;
    json_t *value;
} member;

static int compare_members(const void *a, const void *b)
{
    const member *x = a, *y = b;
    return utf16_compare(x->key, x->len, y->key, y->len);
}

/* ---- values ------------------------------------------------------------------------------ */

static int put_value(tc_buf *b, const json_t *v, int depth)
{
    char num[TC_JCS_NUMBER_MAX];
    if (depth > JCS_MAX_DEPTH)
        return tc_error_set(TC_ELIMIT, "JSON nested deeper than %d levels", JCS_MAX_DEPTH);
    switch (json_typeof(v)) {
    case JSON_NULL:
        tc_buf_puts(b, "null");
        return 0;
    case JSON_TRUE:
        tc_buf_puts(b, "true");
        return 0;
    case JSON_FALSE:
        tc_buf_puts(b, "false");
        return 0;
    case JSON_STRING:
        put_string(b, json_string_value(v), json_string_length(v));
        return 0;
    case JSON_INTEGER: {
        json_int_t i = json_integer_value(v);
        const json_int_t limit = (json_int_t)1 << 53;
        if (i > limit || i < -limit)
            return tc_error_set(TC_EINVAL,
                                "integer %lld is not exact as a JSON number "
                                "(beyond 2^53)",
                                (long long)i);
        tc_jcs_number((double)i, num);
        tc_buf_puts(b, num);
        return 0;
    }
    case JSON_REAL: {
        int rc = tc_jcs_number(json_real_value(v), num);
        if (rc == 0)
            tc_buf_puts(b, num);
        return rc;
    }
    case JSON_ARRAY: {
        tc_buf_add(b, "[", 1);
        for (size_t i = 0; i < json_array_size(v); i++) {
            if (i)
                tc_buf_add(b, ",", 1);
            int rc = put_value(b, json_array_get(v, i), depth + 1);
            if (rc != 0)
                return rc;
        }
        tc_buf_add(b, "]", 1);
        return 0;
    }
    case JSON_OBJECT: {
        size_t n = json_object_size(v), i = 0;
        member *m = tc_xcalloc(n ? n : 1, sizeof *m);
        void *it = json_object_iter((json_t *)v);
        for (; it && i < n; it = json_object_iter_next((json_t *)v, it), i++)
            m[i] = (member){json_object_iter_key(it), json_object_iter_key_len(it),
                            json_object_iter_value(it)};
        qsort(m, i, sizeof *m, compare_members);
        int rc = 0;
        tc_buf_add(b, "{", 1);
        for (size_t j = 0; j < i && rc == 0; j++) {
            if (j)
                tc_buf_add(b, ",", 1);
            put_string(b, m[j].key, m[j].len);
            tc_buf_add(b, ":", 1);
            rc = put_value(b, m[j].value, depth + 1);
        }
        tc_buf_add(b, "}", 1);
        free(m);
        return rc;
    }
    }
    return tc_error_set(TC_EINTERNAL, "unknown JSON value type");
}

int tc_jcs_serialize(const json_t *value, char **out, size_t *len)
{
    tc_buf b = TC_BUF_INIT;
    *out = NULL;
    *len = 0;
    int rc = put_value(&b, value, 0);
    if (rc != 0) {
        tc_buf_release(&b);
        return rc;
    }
    *len = b.len;
    *out = tc_buf_detach(&b);
    return 0;
}

/* Integers beyond +-2^53 in JCS text are doubles written without an exponent
 * (1e16 becomes 10000000000000000): make them reals again, so that they serialise
 * as they were written. */
static void integers_to_reals(json_t *v, int depth)
{
    const json_int_t exact = (json_int_t)1 << 53;
    if (depth > 4096) /* jansson stops at 2048 levels */
        return;
    if (json_is_array(v)) {
        for (size_t i = 0; i < json_array_size(v); i++) {
            json_t *e = json_array_get(v, i);
            if (json_is_integer(e) &&
                (json_integer_value(e) > exact || json_integer_value(e) < -exact))
                json_array_set_new(v, i, json_real((double)json_integer_value(e)));
            else
                integers_to_reals(e, depth + 1);
        }
    } else if (json_is_object(v)) {
        const char *key;
        json_t *e;
        json_object_foreach(v, key, e)
        {
            if (json_is_integer(e) &&
                (json_integer_value(e) > exact || json_integer_value(e) < -exact))
                json_object_set_new(v, key, json_real((double)json_integer_value(e)));
            else
                integers_to_reals(e, depth + 1);
        }
    }
}

json_t *tc_jcs_load(const void *text, size_t len, json_error_t *err)
{
    json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES, err);
    if (!v && json_error_code(err) == json_error_numeric_overflow)
        v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, err);
    integers_to_reals(v, 0);
    return v;
}
