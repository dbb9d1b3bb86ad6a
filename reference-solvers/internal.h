/*
 * Private to reference-solvers/: the model's storage, compiled programs, the
 * compiled system and the integrator interface. Nothing outside this folder
 * includes it; solvers.h is the interface.
 */
#ifndef TC_SOLVERS_INTERNAL_H
#define TC_SOLVERS_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "solvers.h"

/* ---- allocation and errors (util.c) -------------------------------------- */
void *tc_solv_alloc(size_t n);            /* zeroed; aborts on OOM */
void *tc_solv_realloc(void *p, size_t n); /* aborts on OOM */
char *tc_solv_strdup(const char *s);      /* NULL stays NULL */
#define TC_SOLV_GROW(arr, len, cap)                                                                \
    do {                                                                                           \
        if ((len) == (cap)) {                                                                      \
            (cap) = (cap) ? 2 * (cap) : 8;                                                         \
            (arr) = tc_solv_realloc((arr), (cap) * sizeof *(arr));                                 \
        }                                                                                          \
    } while (0)

/* Set this thread's message and return `code`. */
int tc_solver_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* An origin owned by the model. */
typedef struct tc_sorigin {
    char *file;
    long line;
    char *id;
} tc_sorigin;
tc_sorigin tc_sorigin_copy(tc_origin o);
tc_sorigin tc_sorigin_dup(const tc_sorigin *o);
void tc_sorigin_release(tc_sorigin *o);
/* " (file:line, id 'x')" or "" when nothing is known; into buf. */
const char *tc_sorigin_text(const tc_sorigin *o, char *buf, size_t size);

/* ---- name map (util.c): string -> index, open addressing ------------------ */
typedef struct tc_namemap {
    const char **keys; /* borrowed */
    size_t *values;
    size_t cap, len;
} tc_namemap;
void tc_namemap_put(tc_namemap *m, const char *key, size_t value);
long tc_namemap_get(const tc_namemap *m, const char *key); /* -1 when absent */
void tc_namemap_release(tc_namemap *m);

/* ---- model storage (model.c) ---------------------------------------------- */
typedef struct tc_mvar {
    char *name;
    tc_var_kind kind;
    double initial;
    char *units;
    tc_sorigin origin;
} tc_mvar;

typedef struct tc_meq {
    size_t var;
    tc_expr *rhs;
    tc_sorigin origin;
    tc_expr *factor; /* event assignments: times this, evaluated at execution; or NULL */
    bool fast;       /* algebraic: the rate of a fast process whose extent is var */
} tc_meq;

typedef struct tc_mevent {
    char *id;
    tc_expr *trigger, *delay, *priority;
    bool persistent, initial_value, use_values_from_trigger_time;
    tc_sorigin origin;
    tc_meq *assigns;
    size_t nassigns, capassigns;
} tc_mevent;

typedef struct tc_mfun {
    char *name;
    tc_expr *lambda;
    tc_sorigin origin;
} tc_mfun;

struct tc_model {
    tc_mvar *vars;
    size_t nvars, capvars;
    tc_namemap varmap;
    tc_meq *rates, *assigns, *inits, *algs; /* algs: var unused */
    size_t nrates, caprates, nassigns, capassigns, ninits, capinits, nalgs, capalgs;
    tc_mfun *funs;
    size_t nfuns, capfuns;
    tc_namemap funmap;
    tc_mevent *events;
    size_t nevents, capevents;
};

/* ---- tree helpers (deriv.c) ----------------------------------------------- */
tc_expr *tc_ex_num(double v);
tc_expr *tc_ex_un(tc_expr_op op, tc_expr *a);
tc_expr *tc_ex_bin(tc_expr_op op, tc_expr *a, tc_expr *b);
bool tc_ex_is_num(const tc_expr *e, double *v);
size_t tc_ex_size(const tc_expr *e);
/* Simplify in place (constant folding, neutral elements); returns the new root. */
tc_expr *tc_ex_simplify(tc_expr *e);
/* d e / d wrt (wrt NULL: d/d time). NULL when e holds a non-differentiable op.
 * e must be free of CALL and RATE_OF. Result simplified; caller frees. */
tc_expr *tc_ex_diff(const tc_expr *e, const char *wrt);
/* Evaluate one operator on already evaluated arguments (shared by the folder's
 * constant folding and the virtual machine). */
double tc_ex_apply(tc_expr_op op, const double *a, size_t n);

/* ---- programs (compile.c) ------------------------------------------------- */
typedef struct tc_ins {
    uint16_t op;
    uint16_t aux; /* APPLY: argument count */
    int32_t arg;  /* constant index, slot, output, jump target, operator, exponent */
} tc_ins;

/* Stack limit of one program run (deeper expressions are refused at compile time). */
#define TC_PROG_STACK 512

typedef struct tc_prog {
    tc_ins *code;
    size_t n, cap;
    double *consts;
    size_t nconsts, capconsts;
    int depth, max_depth; /* stack depth while emitting, maximum */
} tc_prog;

typedef struct tc_compiler tc_compiler; /* name resolution context, see system.c */

void tc_prog_release(tc_prog *p);
/* Append the code computing `e` (one value pushed). */
int tc_prog_emit(tc_prog *p, tc_compiler *c, const tc_expr *e);
/* A copy of e with SYMBOLs named names[i] replaced by copies of values[i]. */
tc_expr *tc_ex_subst(const tc_expr *e, const char *const *names, const tc_expr *const *values,
                     size_t n);
/* Pop into variable slot / output element. */
void tc_prog_store(tc_prog *p, size_t slot);
void tc_prog_out(tc_prog *p, size_t index);
/* Run: v are the variable slots (v[0] is time), out the outputs. */
void tc_prog_run(const tc_prog *p, tc_system *sys, double *v, double *out);

/* Callbacks from the compiler into the system (system.c). */
/* Slot of a name, -1 when unknown. */
long tc_compiler_slot(tc_compiler *c, const char *name);
/* The LAMBDA of a user function, NULL when unknown. */
const tc_expr *tc_compiler_function(tc_compiler *c, const char *name);
/* A tree computing rateOf(name) (caller frees), or NULL with the error set. */
tc_expr *tc_compiler_rate_of(tc_compiler *c, const char *name, int *err);
/* Register the delayed expression; returns its index, or <0 with the error set. */
int tc_compiler_delay(tc_compiler *c, const tc_expr *expr);
/* Report a compile error about e. */
int tc_compiler_error(tc_compiler *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Evaluate delayed expression d at time `tq` (system.c), for the VM. */
double tc_system_delayed(tc_system *sys, int d, double t, double tau);

/* ---- the compiled system (system.c) -------------------------------------- */
typedef struct tc_sevent {
    tc_sorigin origin;
    char *id;
    bool persistent, initial_value, use_values_from_trigger_time, has_delay, has_priority;
    size_t nassigns;
    size_t *assign_var; /* model variable index */
} tc_sevent;

typedef struct tc_history {
    double *t, *y, *f; /* n points, y/f n x nstates */
    size_t n, cap;
    double t0;
    double *y0;
    size_t np;    /* parameters that events change: constant between recorded points */
    size_t *pvar; /* their model variable indexes */
    double *p;    /* n x np: their values at each point */
} tc_history;

struct tc_system {
    size_t nvars, nslots, nstates, nalg;
    char **names;
    tc_var_kind *kinds;
    double *initial;
    tc_sorigin *origins;         /* per variable */
    tc_sorigin *rate_origin;     /* per state: the rate equation's, or the variable's */
    size_t *state_var, *alg_var; /* model variable of state i / algebraic j */
    long *var_state;             /* state index of a model variable, or -1 */
    double *v;                   /* slots: v[0] time, v[1 + var] */
    tc_prog init, assign, rates, alg_res, jac, triggers, indicators, priorities, delays_prog;
    tc_prog *event_values; /* per event: its assignment values to out[] */
    tc_prog *event_factors; /* per event: factors at execution (NULL: none scaled) */
    tc_prog *delayed;      /* per DELAY: the delayed expression */
    tc_prog *delayed_pre;  /* per DELAY: the same for a time before t0 (rateOf 0) */
    tc_prog init_pre;      /* values at a time before t0 (with DELAY only) */
    double tau_min;        /* smallest positive delay evaluated in the last step */
    tc_prog relations;     /* every comparison inside a trigger, as a - b or b - a */
    size_t nrel;
    double *rel_work; /* 3 * nrel: relations at two points for the integrators, scratch */
    size_t ndelayed;
    bool symbolic_jac;
    size_t nunk; /* nstates + nalg: the Jacobian program fills nunk x nunk */
    double *jwork, *jfull, *work, *work2, *ytmp;
    double *algbuf; /* constraint solve: residuals, trial residuals, Jacobian */
    long *alg_pair; /* per constraint: the algebraic index of its fast extent, or -1 */
    size_t nfast;   /* constraints that are fast processes */
    int *ipiv;
    tc_sevent *events;
    size_t nevents;
    tc_history hist;
    double **scratch; /* slot vectors for delayed evaluation, per depth */
    int delay_depth;
    double *stack;
    size_t stack_size;
    long rhs_evals, jac_evals;
    long bad_var; /* variable of the last non-finite value, -1 */
    double bad_time;
};

/* Evaluate assigned variables (and solve the constraints) for the current v. */
int tc_system_update(tc_system *sys);
/* Set time and states in v, then tc_system_update. */
int tc_system_set(tc_system *sys, double t, const double *y);
/* Trigger truth (0/1) and continuous indicators for the current v. */
void tc_system_triggers(tc_system *sys, double *truth, double *indicator);
/* The comparisons inside the triggers (rel[nrel]) for the current v. */
void tc_system_relations(tc_system *sys, double *rel);
/* Between ta and tb of a step, where the triggers' truth is `truth` at both ends and
 * the relations are rel_a and rel_b: the earliest time just after a relation crosses
 * zero at which a trigger differs from `truth` (a trigger true only briefly between
 * two samples). Sets *t_out, and the triggers' truth and indicators there. */
bool tc_system_relation_crossing(tc_system *sys, void (*interp)(void *, double, double *),
                                 void *st, double ta, double tb, const double *rel_a,
                                 const double *rel_b, const double *truth, double *y,
                                 double *t_out, double *truth_out, double *ind_out);
/* Record an accepted point for delayed expressions (no-op without DELAY): the
 * states y, their rates f, and the event-changed parameters from the current v. */
void tc_system_history_add(tc_system *sys, double t, const double *y, const double *f);
void tc_system_history_reset(tc_system *sys, double t0, const double *y0);

/* ---- triggers within an accepted step (events.c) -------------------------- */
/* The integrators' trigger bookkeeping, owned by the integrator. The arrays hold one
 * value per event except y (one per state); interp is the integrator's dense output
 * over its last step. */
typedef struct tc_trig_work {
    tc_system *sys;
    void (*interp)(void *st, double t, double *y);
    void *st;
    size_t ne;
    double *truth_cur;        /* the triggers' truth at the start of the step */
    double *truth_new, *g_hi; /* truth and indicators at the bracket's end */
    double *g_lo;             /* indicators at the bracket's start */
    double *truth_m, *g_m;    /* at a trial point */
    double *y;                /* states at a trial point */
} tc_trig_work;

void tc_trig_init(tc_trig_work *w, tc_system *sys, void (*interp)(void *, double, double *),
                  void *st);
void tc_trig_release(tc_trig_work *w);
/* Does any of truth[ne] differ from truth_cur? */
bool tc_trig_changed(const tc_trig_work *w, const double *truth);
/* Within the accepted step from ta to tb, whose states at tb are y_b: the first of
 * ten points inside the step, or a crossing of a trigger's comparison between two
 * of them, or else tb, where a trigger differs from truth_cur. Sets *hi there, and
 * truth_new and g_hi; false when no trigger changes (always without events). */
bool tc_trig_step_change(tc_trig_work *w, double ta, double tb, const double *y_b, double *hi);
/* A model without states advances in slices so its triggers are still checked: a
 * 64th of the longest stretch ahead met so far (*slice, kept across event restarts,
 * so an event scheduled shortly after costs one step, not 64), at most h_max when
 * positive. Returns the slice's end (tstop exactly when it reaches it); *h its length. */
double tc_trig_slice(double *slice, double t, double tstop, double h_max, double *h);

/* ---- integrators (bdf.c, dopri5.c) ---------------------------------------- */
typedef struct tc_integ_opts {
    double rtol, atol, h_init, h_max;
    tc_sim_stats *stats;
} tc_integ_opts;

/* Outcome of one advance. */
typedef struct tc_step_out {
    double t;   /* reached (a root, tstop or the end of a step) */
    bool root;  /* a trigger changed at t */
    long worst; /* on failure: state index with the largest weighted error, or -1 */
} tc_step_out;

typedef struct tc_integrator {
    const char *name;
    void *(*create)(tc_system *sys, const tc_integ_opts *o);
    /* Start (or restart after an event) at t with states y; truth is the trigger state. */
    int (*reset)(void *st, double t, const double *y, const double *truth);
    /* One step not beyond tstop, locating the first trigger change in it. */
    int (*advance)(void *st, double tstop, tc_step_out *out);
    /* States at t within the last step. */
    void (*interp)(void *st, double t, double *y);
    void (*destroy)(void *st);
    /* Optional: does the problem look stiff to this method (explains a step limit)? */
    bool (*looks_stiff)(void *st);
} tc_integrator;

extern const tc_integrator tc_bdf_integrator;
extern const tc_integrator tc_dopri5_integrator;

#endif
