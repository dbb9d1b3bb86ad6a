/*
 * model: the mathematical model a format reader builds and the reference solvers
 * integrate. It knows nothing of SBML or CellML: variables with a kind, equations
 * on them (rates, assignments, initial assignments, algebraic constraints), events
 * and user functions, each with an origin pointing back into the source file.
 *
 * Ownership: every tc_expr handed to a tc_model_add_* function is owned by the
 * model from then on, also when the call fails. Strings are copied.
 * Errors: functions return 0 or a negative tc_solver_status; the message is in
 * tc_solver_error() (see solvers.h).
 */
#ifndef TC_MODEL_H
#define TC_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "expr.h"

/* Where an item came from: file, line (0 unknown) and element id (NULL unknown). */
typedef struct tc_origin {
    const char *file;
    long line;
    const char *id;
} tc_origin;

typedef enum tc_var_kind {
    TC_VAR_CONSTANT = 0, /* never changes */
    TC_VAR_PARAMETER,    /* constant between events; events may assign it */
    TC_VAR_STATE,        /* has a rate equation (no equation: rate 0) */
    TC_VAR_ALGEBRAIC,    /* determined by the algebraic constraints */
    TC_VAR_ASSIGNED      /* given by an assignment var := expr at all times */
} tc_var_kind;

typedef struct tc_model tc_model;

tc_model *tc_model_new(void);
void tc_model_free(tc_model *m);

/* Declare a variable. `initial` may be NAN when an initial assignment (or the
 * algebraic solve, for an ALGEBRAIC variable) provides it. `units` may be NULL. */
int tc_model_add_variable(tc_model *m, const char *name, tc_var_kind kind, double initial,
                          const char *units, tc_origin origin);
/* d(var)/dt = rhs. var must be a STATE; one rate per variable. */
int tc_model_add_rate(tc_model *m, const char *var, tc_expr *rhs, tc_origin origin);
/* var := rhs at all times; var must be ASSIGNED. Evaluated in dependency order;
 * a cycle is reported when the model is compiled, naming the variables. */
int tc_model_add_assignment(tc_model *m, const char *var, tc_expr *rhs, tc_origin origin);
/* var := rhs once, at the start (before the first output). */
int tc_model_add_initial_assignment(tc_model *m, const char *var, tc_expr *rhs, tc_origin origin);
/* 0 = expr; there must be as many constraints as ALGEBRAIC variables, and the
 * system must be index 1 (the constraints' Jacobian in those variables invertible). */
int tc_model_add_algebraic(tc_model *m, tc_expr *expr, tc_origin origin);
/* A fast process at equilibrium: 0 = rate, where `rate` is the rate at which the
 * ALGEBRAIC variable `var` (the process's extent) would change in a fast time. Counts as
 * one algebraic constraint, paired with var. The equilibrium taken is the one the process
 * reaches by running from var's current value, and where the rate does not depend on var
 * (the process is switched off) var keeps its value; see docs/solvers.md. */
int tc_model_add_fast(tc_model *m, const char *var, tc_expr *rate, tc_origin origin);
/* A user function `name`, a LAMBDA tree; CALLs to it are inlined when compiled. */
int tc_model_add_function(tc_model *m, const char *name, tc_expr *lambda, tc_origin origin);

typedef struct tc_event_spec {
    const char *id;     /* for messages; may be NULL */
    tc_expr *trigger;   /* boolean; required */
    tc_expr *delay;     /* NULL: none */
    tc_expr *priority;  /* NULL: lowest */
    bool persistent;    /* stays scheduled when the trigger turns false before it fires */
    bool initial_value; /* trigger value assumed just before t0 */
    bool use_values_from_trigger_time;
} tc_event_spec;

/* Add an event; trigger/delay/priority are owned from now on. *index (may be NULL)
 * receives the event's index for tc_model_add_event_assignment. */
int tc_model_add_event(tc_model *m, const tc_event_spec *spec, tc_origin origin, size_t *index);
/* When event `event` fires: var := rhs. var must not be ASSIGNED or CONSTANT. */
int tc_model_add_event_assignment(tc_model *m, size_t event, const char *var, tc_expr *rhs,
                                  tc_origin origin);

/* As tc_model_add_event_assignment, with the value multiplied by `factor` (owned;
 * NULL: 1) evaluated when the event executes, before any of its assignments, also
 * when the value itself comes from the trigger time (e.g. a new concentration
 * times the compartment size at execution gives the amount). */
int tc_model_add_event_assignment_scaled(tc_model *m, size_t event, const char *var,
                                         tc_expr *rhs, tc_expr *factor, tc_origin origin);

/* Read access, for readers' tests and messages. */
size_t tc_model_variable_count(const tc_model *m);
/* -1 when unknown */
long tc_model_variable_index(const tc_model *m, const char *name);
const char *tc_model_variable_name(const tc_model *m, size_t i);
tc_var_kind tc_model_variable_kind(const tc_model *m, size_t i);
const char *tc_model_variable_units(const tc_model *m, size_t i);
tc_origin tc_model_variable_origin(const tc_model *m, size_t i);

#endif
