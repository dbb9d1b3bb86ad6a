/* The public library interface (include/twincheck/twincheck.h) over the pipeline. */
#include <stdlib.h>

#include "pipeline.h"
#include "report/report.h"
#include "twincheck/twincheck.h"

struct twincheck_result {
    tc_run run;
};

int twincheck_validate(twincheck_result **out, const char *const *paths, size_t npaths,
                       const twincheck_options *options)
{
    *out = NULL;
    tc_options opt = TC_OPTIONS_INIT;
    if (options && options->version != TWINCHECK_OPTIONS_VERSION)
        return tc_error_set(TC_EUSAGE, "options version %u is not %d", options->version,
                            TWINCHECK_OPTIONS_VERSION);
    if (options && options->fail_on && tc_severity_parse(options->fail_on, &opt.fail_on) != 0)
        return TC_EUSAGE;
    twincheck_result *r = tc_xcalloc(1, sizeof *r);
    tc_run_init(&r->run);
    int rc = tc_pipeline_run(&r->run, &opt, (char *const *)paths, npaths);
    if (rc != 0) {
        tc_error_set(rc, "%s", r->run.errors[0]);
        twincheck_result_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int twincheck_result_passed(const twincheck_result *result)
{
    return tc_run_passed(&result->run) ? 1 : 0;
}

int twincheck_result_report(const twincheck_result *result, const char *format, char **out,
                            size_t *len)
{
    tc_format f;
    *out = NULL;
    if (tc_format_parse(format, &f) != 0)
        return TC_EUSAGE;
    return tc_report_render(&result->run, f, out, len);
}

void twincheck_result_free(twincheck_result *result)
{
    if (!result)
        return;
    tc_run_release(&result->run);
    free(result);
}

void twincheck_free(void *p)
{
    free(p);
}

const char *twincheck_error_last(void)
{
    return tc_error_last();
}

const char *twincheck_version(void)
{
    return TWINCHECK_VERSION;
}
