/* Error codes and the out-of-band message of the last failure. */
#include <stdio.h>

#include "core.h"

static _Thread_local char last_message[1024];

const char *tc_error_name(int code)
{
    switch (code) {
#define TC_X(name, value, text)                                                                    \
    case value:                                                                                    \
        return text;
        TC_ERRORS(TC_X)
#undef TC_X
    }
    return "unknown error";
}

int tc_error_set(int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_message, sizeof last_message, fmt, ap);
    va_end(ap);
    return code;
}

const char *tc_error_last(void)
{
    return last_message[0] ? last_message : "no error";
}

void tc_error_clear(void)
{
    last_message[0] = '\0';
}
