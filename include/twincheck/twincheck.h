/*
 * twincheck: the library's public interface.
 *
 * Ownership: every twincheck_* value the library returns is owned by the
 * caller and released with its matching _free function (which accepts NULL);
 * strings are released with twincheck_free.
 * Errors: functions return 0 or a negative code; twincheck_error_last() then
 * says why in one line.
 */
#ifndef TWINCHECK_H
#define TWINCHECK_H

#include <stddef.h>

#include "twincheck/version.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct twincheck_result twincheck_result;

#define TWINCHECK_OPTIONS_VERSION 1
typedef struct twincheck_options {
    unsigned version;    /* TWINCHECK_OPTIONS_VERSION */
    const char *fail_on; /* "fatal", "error" (NULL means this), "warning" or "info" */
} twincheck_options;
#define TWINCHECK_OPTIONS_INIT {TWINCHECK_OPTIONS_VERSION, NULL}

/* Validate the packages or files at `paths`. On success *out holds the result,
 * even when it found problems; a negative return means a path could not be
 * read or the options are wrong (*out is then NULL). */
int twincheck_validate(twincheck_result **out, const char *const *paths, size_t npaths,
                       const twincheck_options *options);
/* 1 when no finding is at or above the fail level, else 0. */
int twincheck_result_passed(const twincheck_result *result);
/* The report as "text", "json", "sarif" or "junit"; *out is released with twincheck_free. */
int twincheck_result_report(const twincheck_result *result, const char *format, char **out,
                            size_t *len);
void twincheck_result_free(twincheck_result *result);
void twincheck_free(void *p);
const char *twincheck_error_last(void);
const char *twincheck_version(void);

#ifdef __cplusplus
}
#endif
#endif
