/* The model a reader builds: variables, equations, events, functions. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

tc_model *tc_model_new(void)
{
    return tc_solv_alloc(sizeof(tc_model));
}

static void eqs_free(tc_meq *eqs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tc_expr_free(eqs[i].rhs);
        tc_expr_free(eqs[i].factor);
        tc_sorigin_release(&eqs[i].origin);
    }
    free(eqs);
}

void tc_model_free(tc_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nvars; i++) {
        free(m->vars[i].name);
        free(m->vars[i].units);
        tc_sorigin_release(&m->vars[i].origin);
    }
    free(m->vars);
    tc_namemap_release(&m->varmap);
    eqs_free(m->rates, m->nrates);
    eqs_free(m->assigns, m->nassigns);
    eqs_free(m->inits, m->ninits);
    eqs_free(m->algs, m->nalgs);
    for (size_t i = 0; i < m->nfuns; i++) {
        free(m->funs[i].name);
        tc_expr_free(m->funs[i].lambda);
        tc_sorigin_release(&m->funs[i].origin);
    }
    free(m->funs);
    tc_namemap_release(&m->funmap);
    for (size_t i = 0; i < m->nevents; i++) {
        tc_mevent *ev = &m->events[i];
        free(ev->id);
        tc_expr_free(ev->trigger);
        tc_expr_free(ev->delay);
        tc_expr_free(ev->priority);
        tc_sorigin_release(&ev->origin);
        eqs_free(ev->assigns, ev->nassigns);
    }
    free(m->events);
    free(m);
}

static const char *kind_name(tc_var_kind k)
{
    switch (k) {
    case TC_VAR_CONSTANT:
        return "constant";
    case TC_VAR_PARAMETER:
        return "parameter";
    case TC_VAR_STATE:
        return "state";
    case TC_VAR_ALGEBRAIC:
        return "algebraic";
    case TC_VAR_ASSIGNED:
        return "assigned";
    }
    return "?";
}

int tc_model_add_variable(tc_model *m, const char *name, tc_var_kind kind, double initial,
                          const char *units, tc_origin origin)
{
    if (!m || !name || !*name || kind < TC_VAR_CONSTANT || kind > TC_VAR_ASSIGNED)
        return tc_solver_fail(TC_SOLVER_EINVAL, "variable needs a name and a known kind");
    if (tc_namemap_get(&m->varmap, name) >= 0)
        return tc_solver_fail(TC_SOLVER_EMODEL, "variable '%s' is declared twice", name);
    TC_SOLV_GROW(m->vars, m->nvars, m->capvars);
    tc_mvar *v = &m->vars[m->nvars];
    v->name = tc_solv_strdup(name);
    v->kind = kind;
    v->initial = initial;
    v->units = tc_solv_strdup(units);
    v->origin = tc_sorigin_copy(origin);
    tc_namemap_put(&m->varmap, v->name, m->nvars);
    m->nvars++;
    return 0;
}

/* Find `var` and check its kind is in the mask; on failure frees rhs. */
static long lookup(tc_model *m, const char *var, unsigned kinds, const char *what, tc_expr *rhs)
{
    long i = m && var ? tc_namemap_get(&m->varmap, var) : -1;
    if (i < 0) {
        tc_expr_free(rhs);
        return tc_solver_fail(TC_SOLVER_EMODEL, "%s of undeclared variable '%s'", what,
                              var ? var : "(null)");
    }
    if (!(kinds & (1u << m->vars[i].kind))) {
        tc_expr_free(rhs);
        return tc_solver_fail(TC_SOLVER_EMODEL, "%s of %s variable '%s' is not allowed", what,
                              kind_name(m->vars[i].kind), var);
    }
    return i;
}

static int add_eq(tc_meq **eqs, size_t *n, size_t *cap, size_t var, tc_expr *rhs, tc_origin origin)
{
    TC_SOLV_GROW(*eqs, *n, *cap);
    (*eqs)[*n] = (tc_meq){.var = var, .rhs = rhs, .origin = tc_sorigin_copy(origin)};
    (*n)++;
    return 0;
}

static bool has_eq(const tc_meq *eqs, size_t n, size_t var)
{
    for (size_t i = 0; i < n; i++)
        if (eqs[i].var == var)
            return true;
    return false;
}

int tc_model_add_rate(tc_model *m, const char *var, tc_expr *rhs, tc_origin origin)
{
    long i = lookup(m, var, 1u << TC_VAR_STATE, "rate equation", rhs);
    if (i < 0)
        return (int)i;
    if (!rhs)
        return tc_solver_fail(TC_SOLVER_EINVAL, "rate equation of '%s' has no math", var);
    if (has_eq(m->rates, m->nrates, (size_t)i)) {
        tc_expr_free(rhs);
        return tc_solver_fail(TC_SOLVER_EMODEL, "variable '%s' has two rate equations", var);
    }
    return add_eq(&m->rates, &m->nrates, &m->caprates, (size_t)i, rhs, origin);
}

int tc_model_add_assignment(tc_model *m, const char *var, tc_expr *rhs, tc_origin origin)
{
    long i = lookup(m, var, 1u << TC_VAR_ASSIGNED, "assignment", rhs);
    if (i < 0)
        return (int)i;
    if (!rhs)
        return tc_solver_fail(TC_SOLVER_EINVAL, "assignment to '%s' has no math", var);
    if (has_eq(m->assigns, m->nassigns, (size_t)i)) {
        tc_expr_free(rhs);
        return tc_solver_fail(TC_SOLVER_EMODEL, "variable '%s' has two assignments", var);
    }
    return add_eq(&m->assigns, &m->nassigns, &m->capassigns, (size_t)i, rhs, origin);
}

int tc_model_add_initial_assignment(tc_model *m, const char *var, tc_expr *rhs, tc_origin origin)
{
    unsigned kinds = (1u << TC_VAR_CONSTANT) | (1u << TC_VAR_PARAMETER) | (1u << TC_VAR_STATE) |
                     (1u << TC_VAR_ALGEBRAIC);
    long i = lookup(m, var, kinds, "initial assignment", rhs);
    if (i < 0)
        return (int)i;
    if (!rhs)
        return tc_solver_fail(TC_SOLVER_EINVAL, "initial assignment to '%s' has no math", var);
    if (has_eq(m->inits, m->ninits, (size_t)i)) {
        tc_expr_free(rhs);
        return tc_solver_fail(TC_SOLVER_EMODEL, "variable '%s' has two initial assignments", var);
    }
    return add_eq(&m->inits, &m->ninits, &m->capinits, (size_t)i, rhs, origin);
}

int tc_model_add_algebraic(tc_model *m, tc_expr *expr, tc_origin origin)
{
    if (!m || !expr) {
        tc_expr_free(expr);
        return tc_solver_fail(TC_SOLVER_EINVAL, "algebraic constraint has no math");
    }
    return add_eq(&m->algs, &m->nalgs, &m->capalgs, 0, expr, origin);
}

int tc_model_add_fast(tc_model *m, const char *var, tc_expr *rate, tc_origin origin)
{
    long i = lookup(m, var, 1u << TC_VAR_ALGEBRAIC, "fast process", rate);
    if (i < 0)
        return (int)i;
    if (!rate)
        return tc_solver_fail(TC_SOLVER_EINVAL, "fast process of '%s' has no rate", var);
    for (size_t k = 0; k < m->nalgs; k++)
        if (m->algs[k].fast && m->algs[k].var == (size_t)i) {
            tc_expr_free(rate);
            return tc_solver_fail(TC_SOLVER_EMODEL, "variable '%s' is the extent of two fast "
                                  "processes", var);
        }
    add_eq(&m->algs, &m->nalgs, &m->capalgs, (size_t)i, rate, origin);
    m->algs[m->nalgs - 1].fast = true;
    return 0;
}

int tc_model_add_function(tc_model *m, const char *name, tc_expr *lambda, tc_origin origin)
{
    if (!m || !name || !lambda || lambda->op != TC_EXPR_LAMBDA || lambda->nargs < 1) {
        tc_expr_free(lambda);
        return tc_solver_fail(TC_SOLVER_EINVAL, "function '%s' needs a lambda with a body",
                              name ? name : "(null)");
    }
    for (size_t i = 0; i + 1 < lambda->nargs; i++)
        if (lambda->args[i]->op != TC_EXPR_SYMBOL || !lambda->args[i]->name) {
            tc_expr_free(lambda);
            return tc_solver_fail(TC_SOLVER_EMODEL, "function '%s': argument %zu is not a name",
                                  name, i + 1);
        }
    if (tc_namemap_get(&m->funmap, name) >= 0) {
        tc_expr_free(lambda);
        return tc_solver_fail(TC_SOLVER_EMODEL, "function '%s' is defined twice", name);
    }
    TC_SOLV_GROW(m->funs, m->nfuns, m->capfuns);
    tc_mfun *f = &m->funs[m->nfuns];
    f->name = tc_solv_strdup(name);
    f->lambda = lambda;
    f->origin = tc_sorigin_copy(origin);
    tc_namemap_put(&m->funmap, f->name, m->nfuns);
    m->nfuns++;
    return 0;
}

int tc_model_add_event(tc_model *m, const tc_event_spec *spec, tc_origin origin, size_t *index)
{
    if (!m || !spec || !spec->trigger) {
        if (spec) {
            tc_expr_free(spec->trigger);
            tc_expr_free(spec->delay);
            tc_expr_free(spec->priority);
        }
        return tc_solver_fail(TC_SOLVER_EINVAL, "event needs a trigger");
    }
    TC_SOLV_GROW(m->events, m->nevents, m->capevents);
    tc_mevent *ev = &m->events[m->nevents];
    memset(ev, 0, sizeof *ev);
    ev->id = tc_solv_strdup(spec->id);
    ev->trigger = spec->trigger;
    ev->delay = spec->delay;
    ev->priority = spec->priority;
    ev->persistent = spec->persistent;
    ev->initial_value = spec->initial_value;
    ev->use_values_from_trigger_time = spec->use_values_from_trigger_time;
    ev->origin = tc_sorigin_copy(origin);
    if (index)
        *index = m->nevents;
    m->nevents++;
    return 0;
}

int tc_model_add_event_assignment(tc_model *m, size_t event, const char *var, tc_expr *rhs,
                                  tc_origin origin)
{
    return tc_model_add_event_assignment_scaled(m, event, var, rhs, NULL, origin);
}

int tc_model_add_event_assignment_scaled(tc_model *m, size_t event, const char *var,
                                         tc_expr *rhs, tc_expr *factor, tc_origin origin)
{
    if (!m || event >= m->nevents || !rhs) {
        tc_expr_free(rhs);
        tc_expr_free(factor);
        return tc_solver_fail(TC_SOLVER_EINVAL, "event assignment needs a known event and math");
    }
    unsigned kinds = (1u << TC_VAR_PARAMETER) | (1u << TC_VAR_STATE) | (1u << TC_VAR_ALGEBRAIC);
    long i = lookup(m, var, kinds, "event assignment", rhs);
    if (i < 0) {
        tc_expr_free(factor);
        return (int)i;
    }
    tc_mevent *ev = &m->events[event];
    if (has_eq(ev->assigns, ev->nassigns, (size_t)i)) {
        tc_expr_free(rhs);
        tc_expr_free(factor);
        return tc_solver_fail(TC_SOLVER_EMODEL, "event '%s' assigns '%s' twice",
                              ev->id ? ev->id : "?", var);
    }
    int rc = add_eq(&ev->assigns, &ev->nassigns, &ev->capassigns, (size_t)i, rhs, origin);
    if (rc == 0)
        ev->assigns[ev->nassigns - 1].factor = factor;
    else
        tc_expr_free(factor);
    return rc;
}

size_t tc_model_variable_count(const tc_model *m)
{
    return m ? m->nvars : 0;
}

long tc_model_variable_index(const tc_model *m, const char *name)
{
    return m ? tc_namemap_get(&m->varmap, name) : -1;
}

const char *tc_model_variable_name(const tc_model *m, size_t i)
{
    return m && i < m->nvars ? m->vars[i].name : NULL;
}

tc_var_kind tc_model_variable_kind(const tc_model *m, size_t i)
{
    return m && i < m->nvars ? m->vars[i].kind : TC_VAR_CONSTANT;
}

const char *tc_model_variable_units(const tc_model *m, size_t i)
{
    return m && i < m->nvars ? m->vars[i].units : NULL;
}

tc_origin tc_model_variable_origin(const tc_model *m, size_t i)
{
    if (!m || i >= m->nvars)
        return (tc_origin){0};
    const tc_sorigin *o = &m->vars[i].origin;
    return (tc_origin){o->file, o->line, o->id};
}
