/*
 * rerun: execute a package's SED-ML experiments on the reference solvers and
 * compare every report data set with the values the package declares (CSV or
 * HDF5 reports, validator/outputs). The stage produces its own evidence:
 *
 *  - the comparison itself (largest absolute and relative error, and where);
 *  - code verification: the same task with the second, independent integrator;
 *  - calculation verification: the same task at tolerances 10x and 100x tighter.
 *
 * Results are the `reruns` report section (one JSON object per data set, see
 * docs/rerun.md), the simulated series (for the credibility assessment) and
 * findings rerun:... at the SED-ML file and line they concern.
 */
#ifndef TC_RERUN_H
#define TC_RERUN_H

#include <stdint.h>

#include "assess/assess.h"
#include "core/core.h"
#include "intake/intake.h"

/* Limits and tolerances. Comparison tolerances: the dossier's `tolerances`
 * member wins, then these when set (> 0), then the defaults below. */
typedef struct tc_rerun_options {
    unsigned version; /* TC_RERUN_OPTIONS_VERSION */
    double atol, rtol;          /* comparison with the declared values; 0: default */
    long max_steps;             /* integrator steps per simulation */
    double max_seconds;         /* wall time per simulation */
    size_t max_points;          /* output points of one task (all iterations) */
    size_t max_iterations;      /* iterations of one repeated task, nested ones multiplied */
    uint64_t seed;              /* orders simultaneous events of equal priority */
} tc_rerun_options;

#define TC_RERUN_DEFAULT_ATOL 1e-9
#define TC_RERUN_DEFAULT_RTOL 1e-4
#define TC_RERUN_OPTIONS_VERSION 1
#define TC_RERUN_OPTIONS_INIT                                                                      \
    ((tc_rerun_options){.version = TC_RERUN_OPTIONS_VERSION, .max_steps = 500000,               \
                        .max_seconds = 60.0, .max_points = 1000000, .max_iterations = 10000, .seed = 1})

/* What one package's re-run produced. The series point into memory the result
 * owns; release it after the assessment has read them. */
typedef struct tc_rerun_result {
    json_t *entries; /* array: the `reruns` entries of this package */
    tc_sim_series *series;
    size_t nseries, capseries;
    tc_sim_outputs outputs; /* {series, nseries}, for tc_assess_input.simulated */
    void *store;            /* owned strings and arrays */
} tc_rerun_result;

void tc_rerun_result_init(tc_rerun_result *r);
void tc_rerun_result_release(tc_rerun_result *r);

/* Re-run every SED-ML document of `pkg`. Findings go to `fs`; entries and series
 * to `out` (initialised by the caller). Returns 0; problems of the package are
 * findings and verdicts, never errors. */
int tc_rerun_package(const tc_package *pkg, const tc_rerun_options *opt, tc_findings *fs,
                     tc_rerun_result *out);

/* The reruns section as a text table for terminals (caller frees). */
char *tc_rerun_text(const json_t *entries);

#endif
