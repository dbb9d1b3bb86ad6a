/* Base64 for DSSE envelopes and RFC 3339 times for certificates. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "certify.h"

static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *tc_base64_encode(const void *data, size_t len)
{
    const unsigned char *p = data;
    char *out = tc_xmalloc(4 * ((len + 2) / 3) + 1);
    char *o = out;
    size_t i = 0;
    for (; i + 3 <= len; i += 3) {
        unsigned long w = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8 | p[i + 2];
        *o++ = b64_std[w >> 18];
        *o++ = b64_std[(w >> 12) & 63];
        *o++ = b64_std[(w >> 6) & 63];
        *o++ = b64_std[w & 63];
    }
    if (len - i == 1) {
        unsigned long w = (unsigned long)p[i] << 16;
        *o++ = b64_std[w >> 18];
        *o++ = b64_std[(w >> 12) & 63];
        *o++ = '=';
        *o++ = '=';
    } else if (len - i == 2) {
        unsigned long w = (unsigned long)p[i] << 16 | (unsigned long)p[i + 1] << 8;
        *o++ = b64_std[w >> 18];
        *o++ = b64_std[(w >> 12) & 63];
        *o++ = b64_std[(w >> 6) & 63];
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

/* Value of one character, or -1; `alphabet` records which one is in use
 * (0 undecided, 1 standard, 2 URL-safe) so the two are never mixed. */
static int b64_value(char c, int *alphabet)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    int kind = (c == '+' || c == '/') ? 1 : (c == '-' || c == '_') ? 2 : 0;
    if (kind == 0 || (*alphabet && *alphabet != kind))
        return -1;
    *alphabet = kind;
    return (c == '+' || c == '-') ? 62 : 63;
}

int tc_base64_decode(const char *text, size_t text_len, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    size_t n = text_len;
    if (n % 4 == 0 && n >= 2 && text[n - 1] == '=')
        n -= text[n - 2] == '=' ? 2 : 1;
    if (n % 4 == 1)
        return tc_error_set(TC_EINVAL, "base64 text has a wrong length (%zu characters)", text_len);
    unsigned char *buf = tc_xmalloc(n / 4 * 3 + 3);
    size_t o = 0;
    int alphabet = 0;
    unsigned long w = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = b64_value(text[i], &alphabet);
        if (v < 0) {
            free(buf);
            return tc_error_set(TC_EINVAL,
                                "base64 text has an unexpected character at "
                                "offset %zu",
                                i);
        }
        w = (w << 6) | (unsigned long)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (unsigned char)(w >> bits);
            w &= (1ul << bits) - 1;
        }
    }
    if (w != 0) { /* leftover bits must be zero: one text per byte string */
        free(buf);
        return tc_error_set(TC_EINVAL, "base64 text has non-zero padding bits");
    }
    buf[o] = '\0';
    *out = buf;
    *len = o;
    return 0;
}

/* ---- times -------------------------------------------------------------------------------- */

static bool digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int64_t days_from_civil(int y, int m, int d)
{
    static const int before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
    int64_t days = 0;
    for (int year = 1970; year < y; year++)
        days += leap(year) ? 366 : 365;
    days += before[m - 1] + (m > 2 && leap(y)) + d - 1;
    return days;
}

int tc_time_parse(const char *text, int64_t *out)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h, mi, s;
    const char *p = text;
    if (strlen(text) < 20 || !digits(p, 4, &y) || p[4] != '-' || !digits(p + 5, 2, &mo) ||
        p[7] != '-' || !digits(p + 8, 2, &d) || (p[10] != 'T' && p[10] != 't') ||
        !digits(p + 11, 2, &h) || p[13] != ':' || !digits(p + 14, 2, &mi) || p[16] != ':' ||
        !digits(p + 17, 2, &s))
        goto bad;
    p += 19;
    if (*p == '.') { /* fractions of a second are dropped */
        p++;
        if (*p < '0' || *p > '9')
            goto bad;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    int offset = 0;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
        offset = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (!digits(p + 1, 2, &oh) || !digits(p + 4, 2, &om) || oh > 23 || om > 59)
            goto bad;
        offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
    } else {
        goto bad;
    }
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 60 ||
        d > mdays[mo - 1] + (mo == 2 && leap(y)))
        goto bad;
    if (s == 60) /* a leap second: the same as the next second */
        s = 59;
    int64_t t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    if (t < 0)
        goto bad;
    *out = t;
    return 0;
bad:
    return tc_error_set(TC_EUSAGE,
                        "'%s' is not an RFC 3339 time like 2025-01-31T12:00:00Z "
                        "(years 1970 to 9999)",
                        text);
}

void tc_time_format(int64_t t, char out[TC_TIME_MAX_LEN])
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t < 0 || !gmtime_r(&tt, &tm)) {
        snprintf(out, TC_TIME_MAX_LEN, "1970-01-01T00:00:00Z");
        return;
    }
    strftime(out, TC_TIME_MAX_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int tc_time_issue(const char *given, int64_t *out)
{
    if (given)
        return tc_time_parse(given, out);
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && sde[0]) {
        char *end = NULL;
        errno = 0;
        long long v = strtoll(sde, &end, 10);
        if (errno != 0 || *end != '\0' || sde[0] < '0' || sde[0] > '9' || v > TC_TIME_LAST)
            return tc_error_set(TC_EUSAGE,
                                "SOURCE_DATE_EPOCH='%s' is not a number of seconds "
                                "since 1970",
                                sde);
        *out = v;
        return 0;
    }
    *out = (int64_t)time(NULL);
    return 0;
}
