/*
 * reference-solvers: compiles a tc_model once (math to flat instruction
 * sequences, symbolic Jacobian) and integrates it with one of two independent
 * integrator families: implicit variable-order BDF (stiff problems) and explicit
 * Dormand-Prince 5(4) (non-stiff), both with events, delays and dense output.
 * See docs/solvers.md for the algorithms and the limits.
 *
 * Errors: every function that can fail returns 0 or a negative tc_solver_status
 * and sets a one-line message for this thread (tc_solver_error()). Out of memory
 * aborts.
 */
#ifndef TC_SOLVERS_H
#define TC_SOLVERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "expr.h"
#include "model.h"

/* X(name, default message) — append only */
#define TC_SOLVER_STATUSES(X)                                                                      \
    X(OK, "success")                                                                               \
    X(EINVAL, "invalid argument")                                                                  \
    X(EMODEL, "invalid model")                                                                     \
    X(ECYCLE, "cyclic dependency between assignments")                                             \
    X(EUNSUPPORTED, "unsupported construct")                                                       \
    X(ESTEPS, "step limit reached")                                                                \
    X(ETIME, "wall-time limit reached")                                                            \
    X(ECONV, "convergence failure")                                                                \
    X(EUNDERFLOW, "step size underflow")                                                           \
    X(ENONFINITE, "non-finite value")                                                              \
    X(ESINGULAR, "singular matrix")                                                                \
    X(EEVENTS, "event limit reached")                                                              \
    X(ENOSTEADY, "no steady state reached")

typedef enum tc_solver_status {
#define TC_X(name, msg) TC_SOLVER_##name##_INDEX,
    TC_SOLVER_STATUSES(TC_X)
#undef TC_X
        TC_SOLVER_STATUS_COUNT
} tc_solver_status_index;

/* Codes are the negated indexes: TC_SOLVER_ESTEPS == -TC_SOLVER_ESTEPS_INDEX. */
#define TC_SOLVER_OK 0
#define TC_SOLVER_EINVAL (-TC_SOLVER_EINVAL_INDEX)
#define TC_SOLVER_EMODEL (-TC_SOLVER_EMODEL_INDEX)
#define TC_SOLVER_ECYCLE (-TC_SOLVER_ECYCLE_INDEX)
#define TC_SOLVER_EUNSUPPORTED (-TC_SOLVER_EUNSUPPORTED_INDEX)
#define TC_SOLVER_ESTEPS (-TC_SOLVER_ESTEPS_INDEX)
#define TC_SOLVER_ETIME (-TC_SOLVER_ETIME_INDEX)
#define TC_SOLVER_ECONV (-TC_SOLVER_ECONV_INDEX)
#define TC_SOLVER_EUNDERFLOW (-TC_SOLVER_EUNDERFLOW_INDEX)
#define TC_SOLVER_ENONFINITE (-TC_SOLVER_ENONFINITE_INDEX)
#define TC_SOLVER_ESINGULAR (-TC_SOLVER_ESINGULAR_INDEX)
#define TC_SOLVER_EEVENTS (-TC_SOLVER_EEVENTS_INDEX)
#define TC_SOLVER_ENOSTEADY (-TC_SOLVER_ENOSTEADY_INDEX)

/* "ESTEPS" etc. for a code (0 or negative), "?" when unknown. */
const char *tc_solver_status_name(int status);
/* The last error message set on this thread ("" when none). */
const char *tc_solver_error(void);

/* ---- compiled system ----------------------------------------------------- */

/* The model compiled for evaluation. It keeps no pointer into the model. One
 * simulation at a time per system (it holds the parameter values events change). */
typedef struct tc_system tc_system;

/* Compile: resolve names, inline functions, order assignments, compile rates,
 * constraints, triggers and the Jacobian. Errors name the item and its origin. */
int tc_system_new(tc_system **out, const tc_model *m);
void tc_system_free(tc_system *sys);

/* Unknowns integrated: the STATE variables, in declaration order. */
size_t tc_system_state_count(const tc_system *sys);
/* Model variable index of state i. */
size_t tc_system_state_variable(const tc_system *sys, size_t i);
/* Is the Jacobian symbolic (true) or by finite differences (false)? */
bool tc_system_has_symbolic_jacobian(const tc_system *sys);

/* Reset parameters, apply initial assignments and solve the constraints at t0;
 * y0 receives the states. */
int tc_system_initial(tc_system *sys, double t0, double *y0);
/* ydot = f(t, y). Returns 0, >0 for a recoverable failure (non-finite value,
 * constraint not solved: the caller may retry with a smaller step), <0 fatal. */
int tc_system_rhs(tc_system *sys, double t, const double *y, double *ydot);
/* J = df/dy, column-major n x n (J[i + j*n] = dfi/dyj); same return convention. */
int tc_system_jacobian(tc_system *sys, double t, const double *y, double *J);

/* ---- simulation --------------------------------------------------------- */

typedef enum tc_method { TC_METHOD_BDF = 0, TC_METHOD_DOPRI5 } tc_method;

typedef struct tc_sim_options {
    int version; /* TC_SIM_OPTIONS_VERSION */
    tc_method method;
    double rtol, atol;
    double t0, t1; /* output grid: n_steps + 1 uniform points from t0 to t1 */
    size_t n_steps;
    const double *times; /* or these output times (nondecreasing, >= t0), when not NULL */
    size_t n_times;
    long max_steps;          /* integrator steps over the whole simulation */
    double max_wall_seconds; /* per simulation */
    double h_init;           /* 0: chosen automatically */
    double h_max;            /* 0: no limit */
    uint64_t seed;           /* for ties between events of equal priority */
    long max_events;         /* event executions at one time instant (a cascade) */
} tc_sim_options;

#define TC_SIM_OPTIONS_VERSION 1
#define TC_SIM_OPTIONS_INIT                                                                        \
    {                                                                                              \
        .version = TC_SIM_OPTIONS_VERSION, .method = TC_METHOD_BDF, .rtol = 1e-6, .atol = 1e-12,   \
        .t0 = 0.0, .t1 = 1.0, .n_steps = 100, .max_steps = 500000, .max_wall_seconds = 300.0,      \
        .seed = 1, .max_events = 100000                                                            \
    }

typedef struct tc_sim_stats {
    long steps, rejected_steps, rhs_evals, jac_evals, lu_factorisations, newton_failures,
        events_fired, roots_found;
} tc_sim_stats;

typedef struct tc_sim_result tc_sim_result;

/*
 * Run a simulation. Returns 0 when it reached the last output time. On a solver
 * failure (ESTEPS, ETIME, ECONV, EUNDERFLOW, ENONFINITE, EEVENTS) it returns that
 * code and *out still holds the rows computed before it, with the status, the time
 * and the message; on EINVAL *out is NULL. Free with tc_sim_result_free.
 */
int tc_simulate(tc_system *sys, const tc_sim_options *opts, tc_sim_result **out);
void tc_sim_result_free(tc_sim_result *r);

/*
 * Steady state: integrate from o->t0 with o->method (the output grid is ignored)
 * until every rate is small, max_i |dy_i/dt| / (100 (atol + rtol |y_i|)) < 1, and stays
 * so over at least 10 accepted steps spanning at least half the time it took to
 * get there (no event pending), at the latest by o->t1 (the time cap). Returns 0
 * with one row in *out: the state at the time the window closed. When the rates
 * do not vanish by the cap or within o->max_steps (an oscillator), damped Newton
 * iterations on the rates (with the Jacobian) start from the last state: when every
 * |dy_i/dt| <= atol + rtol |y_i| is reached, that state is the row (an unstable
 * steady state) and the result's message, otherwise "" on success, says so. Else
 * TC_SOLVER_ENOSTEADY; the message names the time and the state with the largest
 * scaled rate. Other failures as tc_simulate.
 */
int tc_steady_state(tc_system *sys, const tc_sim_options *o, tc_sim_result **out);

int tc_sim_result_status(const tc_sim_result *r);
/* One line, e.g. "step limit 1000 reached at t=0.0123 ..."; "" on success. */
const char *tc_sim_result_message(const tc_sim_result *r);
/* Time where the failure happened (NAN on success). */
double tc_sim_result_fail_time(const tc_sim_result *r);
/* Model variable index the failure is attributed to, or -1. */
long tc_sim_result_fail_variable(const tc_sim_result *r);
const tc_sim_stats *tc_sim_result_stats(const tc_sim_result *r);

/* Rows computed (== requested times on success) and columns (model variables). */
size_t tc_sim_result_rows(const tc_sim_result *r);
size_t tc_sim_result_columns(const tc_sim_result *r);
double tc_sim_result_time(const tc_sim_result *r, size_t row);
/* Value of model variable `var` (index in the model) at output row `row`. */
double tc_sim_result_value(const tc_sim_result *r, size_t row, size_t var);
/* Column index of a variable by name, or -1. */
long tc_sim_result_column(const tc_sim_result *r, const char *name);

#endif
