/*
 * pipeline: run the stages over each target in order —
 * intake -> parse -> validate -> re-run -> assess — collecting findings and
 * report sections into a tc_run. Stages never call each other; this does.
 */
#ifndef TC_PIPELINE_H
#define TC_PIPELINE_H

#include <stdint.h>

#include "core/core.h"
#include "intake/intake.h"

typedef struct tc_options {
    unsigned version; /* TC_OPTIONS_VERSION */
    tc_limits limits;
    tc_severity fail_on;
    bool rerun;  /* re-run simulation experiments */
    bool assess; /* credibility assessment */
    /* Assess only the packages that carry a credibility dossier (certify: a
     * package without one is certified without a credibility section). */
    bool assess_if_dossier;
    const char *pack; /* credibility rule pack: a built-in id or a file; NULL: the dossier's */
    /* re-run: comparison tolerances (0: the dossier's, else the defaults) and limits
     * per simulation (0: the defaults of validator/rerun/rerun.h) */
    double rerun_atol, rerun_rtol;
    long rerun_max_steps;
    double rerun_max_seconds;
    uint64_t rerun_seed; /* orders simultaneous events of equal priority */
} tc_options;

#define TC_OPTIONS_VERSION 1
#define TC_OPTIONS_INIT                                                                            \
    ((tc_options){.version = TC_OPTIONS_VERSION, .limits = TC_LIMITS_DEFAULT, .fail_on = TC_ERROR,   \
                  .rerun_seed = 1})

/* Check every target into `run` (initialised by the caller). Returns 0, or a
 * negative code when a target could not be read at all (message in
 * tc_error_last(); the other targets are still checked). */
int tc_pipeline_run(tc_run *run, const tc_options *opt, char *const *targets, size_t ntargets);

#endif
