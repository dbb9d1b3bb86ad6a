/* rerun internals: expression evaluation, model preparation and task execution. */
#ifndef TC_RERUN_INTERNAL_H
#define TC_RERUN_INTERNAL_H

#include "rerun.h"
#include "sbml/sbml.h"
#include "sedml/sedml.h"

/* ---- eval.c ---- */
/* Value of a symbol, false when unknown. */
typedef bool (*rr_lookup_fn)(void *ctx, const char *name, double *value);
/* Evaluate a SED-ML math tree (scalar operations only). NaN with *why set
 * (static text or NULL) for what cannot be evaluated. */
double rr_eval(const tc_expr *e, rr_lookup_fn lookup, void *ctx, const char **why);

/* ---- exec.c ---- */
typedef enum rr_status {
    RR_OK = 0,
    RR_NOT_VERIFIABLE, /* the task cannot be re-run faithfully (reason says why) */
    RR_BROKEN,         /* the package is wrong: missing model, change target, ... */
    RR_DIVERGED        /* the simulation failed (limit, non-finite value) */
} rr_status;

/* One simulation's output: the model as changed, and its result. */
typedef struct rr_run {
    const char *model_id; /* SED-ML model id (the document's string) */
    const tc_sedml_task *task; /* the plain task this simulation ran */
    tc_sbml_doc *doc;
    tc_sbml_sim *sim;
    tc_sim_result *res;
} rr_run;

typedef struct rr_exec {
    rr_status status;
    char *reason; /* one line when status != RR_OK */
    const char *rule; /* finding for a status != RR_OK */
    long line;        /* where in the SED-ML file */
    char *substitution; /* the algorithm mapping text of the first simulation */
    const char *integrator;
    rr_run *runs;
    size_t nruns, cap;
} rr_exec;

/* Output times for one simulation (ascending, inside its simulated span). */
typedef struct rr_grid {
    const double *times;
    size_t n;
} rr_grid;

/* How to run: which of the two integrators, and how much tighter than the
 * simulation's own tolerances. */
typedef struct rr_config {
    bool second;  /* the other integrator than the algorithm's */
    double scale; /* tolerances divided by this */
    /* the k-th simulation of the task, when a uniform time course, outputs at
     * grids[k] (the declared time points) instead of its own grid, unless that
     * grid is empty; NULL for the own grids everywhere */
    const rr_grid *grids;
    size_t ngrids;
} rr_config;

typedef struct rr_ctx {
    const tc_package *pkg;
    const tc_sedml_doc *doc;
    const tc_rerun_options *opt;
    size_t simulations; /* count, bounded by opt->max_iterations */
    size_t points;
} rr_ctx;

void rr_exec_run(rr_ctx *c, const tc_sedml_task *task, rr_config cfg, rr_exec *out);
void rr_exec_release(rr_exec *e);

/* The SBML id (and form) a data generator variable's target names in a run's
 * model; TC_ENOTFOUND when it selects nothing, TC_EUSAGE when unsupported. */
int rr_resolve_target(const tc_sbml_doc *doc, const tc_sedml_target *t, char **id);

#endif
