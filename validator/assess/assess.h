/*
 * assess: credibility assessment in the manner of ASME V&V 40. A package's
 * credibility dossier (docs/dossier.md) states the question of interest, the
 * context of use, model influence and decision consequence, and for every
 * credibility factor of a rule pack the gradation claimed with its evidence.
 * The engine computes the model risk itself, looks up the gradation each factor
 * must reach, and sets beside the claim the gradation that the tool's own
 * evidence supports (re-run agreement, solver convergence, recomputed output
 * comparisons, standards conformance). A claim is never evidence.
 *
 * Rule packs are data (rules/credibility/\*.json, docs/credibility.md); the
 * built-in ones are embedded in the binary. Problems found are findings
 * (cred:..., cred:PACK:...); only an unusable pack is an error.
 */
#ifndef TC_ASSESS_H
#define TC_ASSESS_H

#include "core/core.h"
#include "outputs/outputs.h"
#include "intake/intake.h"

/* ---- rule packs ------------------------------------------------------------ */

typedef struct tc_pack tc_pack;

/* Load a built-in pack by id ("vv40", "tsr"), or a pack file when `name` is not
 * a built-in id. Returns 0 with *out set, or TC_ENOTFOUND / TC_EIO / TC_EINVAL
 * with a message saying what is wrong with the pack (*out NULL). */
int tc_pack_load(tc_pack **out, const char *name);
/* Parse a pack from JSON text; `label` names it in messages. */
int tc_pack_parse(tc_pack **out, const char *text, size_t len, const char *label);
void tc_pack_free(tc_pack *pack);
const char *tc_pack_id(const tc_pack *pack);
/* Ids of the built-in packs, in a fixed order; NULL-terminated (static). */
const char *const *tc_pack_builtin_ids(void);
/* Model risk level (1..tc_pack_risk_levels) for an influence and a consequence
 * named on the pack's scales; 0 when either name is not on its scale. */
int tc_pack_risk(const tc_pack *pack, const char *influence, const char *consequence);
int tc_pack_risk_levels(const tc_pack *pack);

/* ---- what the re-run stage hands over -------------------------------------- */

/* One simulated series: the values of one SED-ML report data set against time,
 * as the re-run computed them. The arrays are the provider's; the engine only
 * reads them during tc_assess_package. */
typedef struct tc_sim_series {
    const char *sedml;    /* package path of the SED-ML file */
    const char *report;   /* SED-ML report id */
    const char *data_set; /* SED-ML data set id within the report */
    const double *time;   /* n times, non-decreasing */
    const double *value;  /* n values */
    size_t n;
} tc_sim_series;

typedef struct tc_sim_outputs {
    const tc_sim_series *series;
    size_t n;
} tc_sim_outputs;

/* ---- the assessment --------------------------------------------------------- */

typedef struct tc_assess_input {
    const tc_package *pkg;
    /* The pack to assess against; NULL: the built-in pack the dossier names,
     * or "vv40" when it names none. */
    const tc_pack *pack;
    /* The re-run stage's "reruns" section (an array, see docs/credibility.md)
     * or NULL when nothing was re-run. Entries with a "target" member other than
     * pkg->target are ignored. */
    const json_t *reruns;
    /* The simulated series, or NULL when the re-run did not provide them. */
    const tc_sim_outputs *simulated;
    /* Findings of the earlier stages on this package (standards conformance),
     * or NULL when they are not to be counted. */
    const tc_findings *prior;
} tc_assess_input;

/* Assess one package: findings go to `fs`, and *section receives the
 * "credibility" report object (new reference). Returns 0, or a negative code
 * when the built-in pack cannot be loaded (an internal error). */
int tc_assess_package(const tc_assess_input *in, tc_findings *fs, json_t **section);

/* The credibility section as text for terminals (caller frees). `section` is
 * one object or an array of them. */
char *tc_assess_text(const json_t *section);

/* ---- building blocks, exposed for tests and for the re-run stage ----------- */

typedef enum tc_metric {
    TC_METRIC_MAX_ABS_ERROR,
    TC_METRIC_MAX_REL_ERROR,
    TC_METRIC_RMSE,
    TC_METRIC_NRMSE,
    TC_METRIC_FRACTION_WITHIN,
    TC_METRIC_COUNT
} tc_metric;

/* "max_abs_error", ...; TC_METRIC_COUNT for an unknown name. */
tc_metric tc_metric_from_name(const char *name);
const char *tc_metric_name(tc_metric metric);
/* true when a smaller value is better (every metric but fraction_within). */
bool tc_metric_lower_is_better(tc_metric metric);

/* Compare a simulated series with observations (ot[i], ov[i]), interpolating
 * the simulation linearly at each observation time. band_abs and band_rel
 * define "within" for fraction_within (|sim - obs| <= band_abs + band_rel*|obs|).
 * Returns 0 with *value set; TC_EINVAL when an observation time lies outside the
 * simulated span, a series is empty, or the metric is undefined (relative error
 * at an observation of 0, normalised RMSE of constant observations). */
int tc_metric_compute(tc_metric metric, const double *st, const double *sv, size_t sn,
                      const double *ot, const double *ov, size_t on, double band_abs,
                      double band_rel, double *value);


#endif
