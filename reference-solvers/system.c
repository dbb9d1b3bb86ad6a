/* The compiled system: slots, programs for assignments, rates, constraints,
 * triggers and the Jacobian; evaluation of the right-hand side with the
 * algebraic constraints solved by Newton; delayed values from the history. */
#include <cblas.h>
#include <lapacke.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Expanded trees bigger than this are not differentiated (finite differences). */
#define MAX_EXPANDED_NODES 20000
/* Jacobian programs bigger than this fall back to finite differences. */
#define MAX_JACOBIAN_CODE 4000000
#define MAX_DELAY_DEPTH 4
#define ALG_MAX_ITER 50
/* Fast processes: iterations of the pseudo-transient continuation, largest step. */
#define FAST_MAX_ITER 500
#define FAST_DTAU_MAX 1e30

struct tc_compiler {
    tc_system *sys;
    const tc_model *m;
    const char *what; /* "rate of 'x'" */
    const tc_sorigin *where;
    int expand_depth;
    bool before_start; /* compiling for a time before t0: rateOf is 0 there */
};

/* ---- compiler callbacks ---------------------------------------------------- */

long tc_compiler_slot(tc_compiler *c, const char *name)
{
    long i = tc_namemap_get(&c->m->varmap, name);
    return i < 0 ? -1 : 1 + i;
}

const tc_expr *tc_compiler_function(tc_compiler *c, const char *name)
{
    long i = tc_namemap_get(&c->m->funmap, name);
    return i < 0 ? NULL : c->m->funs[i].lambda;
}

int tc_compiler_error(tc_compiler *c, int code, const char *fmt, ...)
{
    char msg[512], where[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return tc_solver_fail(code, "%s%s: %s", c->what ? c->what : "model",
                          tc_sorigin_text(c->where, where, sizeof where), msg);
}

static const tc_meq *find_eq(const tc_meq *eqs, size_t n, size_t var)
{
    for (size_t i = 0; i < n; i++)
        if (eqs[i].var == var)
            return &eqs[i];
    return NULL;
}

/*
 * A copy of e with user functions inlined, and (when `assigned`) assigned
 * variables replaced by their expressions and rateOf(x) by x's rate; NULL when
 * it grows beyond MAX_EXPANDED_NODES or nests too deeply.
 */
static tc_expr *expand(tc_compiler *c, const tc_expr *e, bool assigned, size_t *budget)
{
    if (!e || *budget == 0 || c->expand_depth > 64)
        return NULL;
    (*budget)--;
    const tc_model *m = c->m;
    tc_expr *r = NULL;
    if (e->op == TC_EXPR_SYMBOL && assigned) {
        long i = tc_namemap_get(&m->varmap, e->name);
        if (i >= 0 && m->vars[i].kind == TC_VAR_ASSIGNED) {
            const tc_meq *eq = find_eq(m->assigns, m->nassigns, (size_t)i);
            if (!eq)
                return NULL;
            c->expand_depth++;
            r = expand(c, eq->rhs, assigned, budget);
            c->expand_depth--;
            return r;
        }
    }
    if (e->op == TC_EXPR_RATE_OF && assigned && e->nargs == 1 && e->args[0]->name) {
        long i = tc_namemap_get(&m->varmap, e->args[0]->name);
        if (i < 0 || m->vars[i].kind == TC_VAR_ASSIGNED || m->vars[i].kind == TC_VAR_ALGEBRAIC)
            return NULL;
        const tc_meq *eq = find_eq(m->rates, m->nrates, (size_t)i);
        if (!eq)
            return tc_ex_num(0);
        c->expand_depth++;
        r = expand(c, eq->rhs, assigned, budget);
        c->expand_depth--;
        return r;
    }
    if (e->op == TC_EXPR_CALL) {
        const tc_expr *lambda = tc_compiler_function(c, e->name);
        if (!lambda || lambda->nargs - 1 != e->nargs)
            return NULL;
        size_t np = e->nargs;
        const char **names = tc_solv_alloc((np + 1) * sizeof *names);
        tc_expr **vals = tc_solv_alloc((np + 1) * sizeof *vals);
        bool ok = true;
        for (size_t i = 0; i < np; i++) {
            names[i] = lambda->args[i]->name;
            vals[i] = expand(c, e->args[i], assigned, budget);
            ok = ok && vals[i];
        }
        if (ok) {
            tc_expr *body = tc_ex_subst(lambda->args[np], names, (const tc_expr *const *)vals, np);
            c->expand_depth++;
            r = expand(c, body, assigned, budget);
            c->expand_depth--;
            tc_expr_free(body);
        }
        for (size_t i = 0; i < np; i++)
            tc_expr_free(vals[i]);
        free(names);
        free(vals);
        return r;
    }
    r = tc_expr_new(e->op);
    r->value = e->value;
    r->number = e->number;
    r->name = tc_solv_strdup(e->name);
    r->has_otherwise = e->has_otherwise;
    r->line = e->line;
    for (size_t i = 0; i < e->nargs; i++) {
        tc_expr *a = expand(c, e->args[i], assigned, budget);
        if (!a) {
            tc_expr_free(r);
            return NULL;
        }
        tc_expr_add(r, a);
    }
    return r;
}

tc_expr *tc_compiler_rate_of(tc_compiler *c, const char *name, int *err)
{
    const tc_model *m = c->m;
    long i = tc_namemap_get(&m->varmap, name);
    if (i < 0) {
        *err = tc_compiler_error(c, TC_SOLVER_EMODEL, "rateOf of unknown name '%s'", name);
        return NULL;
    }
    if (c->before_start)
        return tc_ex_num(0); /* nothing changes before the start (SBML L3V2 3.4.8) */
    switch (m->vars[i].kind) {
    case TC_VAR_CONSTANT:
    case TC_VAR_PARAMETER:
        return tc_ex_num(0);
    case TC_VAR_STATE: {
        const tc_meq *eq = find_eq(m->rates, m->nrates, (size_t)i);
        return eq ? tc_expr_copy(eq->rhs) : tc_ex_num(0);
    }
    case TC_VAR_ASSIGNED: {
        /* total derivative: d/dt e = de/dtime + sum over states de/ds * rate(s) */
        size_t budget = MAX_EXPANDED_NODES;
        const tc_meq *def = find_eq(m->assigns, m->nassigns, (size_t)i);
        tc_expr *e = def ? expand(c, def->rhs, true, &budget) : NULL;
        tc_expr *sum = e ? tc_ex_diff(e, NULL) : NULL;
        if (sum) {
            sum = tc_ex_bin(TC_EXPR_PLUS, sum, tc_ex_num(0));
            for (size_t s = 0; s < c->sys->nstates && sum; s++) {
                size_t var = c->sys->state_var[s];
                if (!tc_expr_mentions(e, m->vars[var].name))
                    continue;
                tc_expr *de = tc_ex_diff(e, m->vars[var].name);
                const tc_meq *eq = find_eq(m->rates, m->nrates, var);
                if (!de) {
                    tc_expr_free(sum);
                    sum = NULL;
                    break;
                }
                tc_expr_add(
                    sum, tc_ex_bin(TC_EXPR_TIMES, de, eq ? tc_expr_copy(eq->rhs) : tc_ex_num(0)));
            }
        }
        tc_expr_free(e);
        if (!sum)
            *err = tc_compiler_error(c, TC_SOLVER_EUNSUPPORTED,
                                     "rateOf('%s'): its assignment cannot be differentiated", name);
        return sum ? tc_ex_simplify(sum) : NULL;
    }
    case TC_VAR_ALGEBRAIC:
        break;
    }
    *err = tc_compiler_error(c, TC_SOLVER_EUNSUPPORTED,
                             "rateOf of algebraic variable '%s' is not supported", name);
    return NULL;
}

static int compile_into(tc_prog *p, tc_compiler *c, const tc_expr *e)
{
    tc_expr *s = tc_ex_simplify(tc_expr_copy(e));
    int rc = tc_prog_emit(p, c, s);
    tc_expr_free(s);
    return rc;
}

int tc_compiler_delay(tc_compiler *c, const tc_expr *expr)
{
    tc_system *sys = c->sys;
    if (sys->ndelayed >= 10000)
        return tc_compiler_error(c, TC_SOLVER_EUNSUPPORTED, "more than 10000 delay operators");
    size_t d = sys->ndelayed++;
    sys->delayed = tc_solv_realloc(sys->delayed, sys->ndelayed * sizeof *sys->delayed);
    sys->delayed_pre = tc_solv_realloc(sys->delayed_pre, sys->ndelayed * sizeof *sys->delayed_pre);
    memset(&sys->delayed[d], 0, sizeof sys->delayed[d]);
    memset(&sys->delayed_pre[d], 0, sizeof sys->delayed_pre[d]);
    tc_prog p = {0}, q = {0};
    int rc = compile_into(&p, c, expr);
    tc_prog_out(&p, 0);
    /* the same expression for a time before t0, where rateOf is 0 */
    bool before = c->before_start;
    c->before_start = true;
    if (rc == 0)
        rc = compile_into(&q, c, expr);
    c->before_start = before;
    tc_prog_out(&q, 0);
    /* after compiling: nested delays may have moved the arrays */
    sys->delayed[d] = p;
    sys->delayed_pre[d] = q;
    return rc < 0 ? rc : (int)d;
}

/* ---- dependency order ------------------------------------------------------- */

static void collect_symbols(const tc_expr *e, const tc_namemap *map, bool *seen, size_t *list,
                            size_t *n)
{
    if (!e)
        return;
    if (e->op == TC_EXPR_SYMBOL) {
        long i = tc_namemap_get(map, e->name);
        if (i >= 0 && !seen[i]) {
            seen[i] = true;
            list[(*n)++] = (size_t)i;
        }
        return;
    }
    for (size_t k = 0; k < e->nargs; k++)
        collect_symbols(e->args[k], map, seen, list, n);
}

static void collect_rate_dependencies(const tc_model *m, const tc_expr *e, bool *seen,
                                      size_t *list, size_t *n, int depth);

/* As collect_symbols, and for rateOf(x) also what x's rate is computed from: the
 * rate equation of a state, the rates of what an assigned variable's definition
 * mentions (so an initial value using rateOf comes after the quantities the rate
 * needs). `depth` bounds chains of assignments. */
static void collect_dependencies(const tc_model *m, const tc_expr *e, bool *seen, size_t *list,
                                 size_t *n, int depth)
{
    if (!e || depth > 16)
        return;
    if (e->op == TC_EXPR_RATE_OF && e->nargs == 1 && e->args[0]->op == TC_EXPR_SYMBOL) {
        long i = tc_namemap_get(&m->varmap, e->args[0]->name);
        collect_symbols(e->args[0], &m->varmap, seen, list, n);
        if (i < 0)
            return;
        if (m->vars[i].kind == TC_VAR_STATE) {
            const tc_meq *eq = find_eq(m->rates, m->nrates, (size_t)i);
            if (eq)
                collect_dependencies(m, eq->rhs, seen, list, n, depth + 1);
        } else if (m->vars[i].kind == TC_VAR_ASSIGNED) {
            const tc_meq *eq = find_eq(m->assigns, m->nassigns, (size_t)i);
            if (eq)
                collect_rate_dependencies(m, eq->rhs, seen, list, n, depth + 1);
        }
        return;
    }
    if (e->op == TC_EXPR_SYMBOL) {
        collect_symbols(e, &m->varmap, seen, list, n);
        return;
    }
    for (size_t k = 0; k < e->nargs; k++)
        collect_dependencies(m, e->args[k], seen, list, n, depth);
}

/* What the time derivative of e is computed from: e's symbols and their rates. */
static void collect_rate_dependencies(const tc_model *m, const tc_expr *e, bool *seen,
                                      size_t *list, size_t *n, int depth)
{
    if (!e || depth > 16)
        return;
    if (e->op == TC_EXPR_SYMBOL) {
        tc_expr *r = tc_expr_add(tc_expr_new(TC_EXPR_RATE_OF), tc_expr_symbol(e->name));
        collect_dependencies(m, r, seen, list, n, depth);
        tc_expr_free(r);
        return;
    }
    for (size_t k = 0; k < e->nargs; k++)
        collect_rate_dependencies(m, e->args[k], seen, list, n, depth);
}

typedef struct order_ctx {
    const tc_model *m;
    const tc_expr **expr; /* per variable: the equation defining it in this order, or NULL */
    int *mark;            /* 0 new, 1 on the path, 2 done */
    size_t *order, norder;
    size_t *path, npath;
    bool *seen;
    size_t *deps;
} order_ctx;

static int visit(order_ctx *o, size_t v, const char *what)
{
    if (o->mark[v] == 2)
        return 0;
    if (o->mark[v] == 1) {
        char names[600] = "";
        size_t len = 0, start = 0;
        while (start < o->npath && o->path[start] != v)
            start++;
        for (size_t k = start; k < o->npath && len + 80 < sizeof names; k++)
            len += (size_t)snprintf(names + len, sizeof names - len, "%s -> ",
                                    o->m->vars[o->path[k]].name);
        snprintf(names + len, sizeof names - len, "%s", o->m->vars[v].name);
        char where[300];
        return tc_solver_fail(TC_SOLVER_ECYCLE, "%s form a cycle: %s%s", what, names,
                              tc_sorigin_text(&o->m->vars[v].origin, where, sizeof where));
    }
    o->mark[v] = 1;
    o->path[o->npath++] = v;
    /* dependencies: every variable with an equation in this order that e mentions */
    size_t nd = 0, n = o->m->nvars;
    size_t *deps = tc_solv_alloc((n + 1) * sizeof *deps);
    memset(o->seen, 0, n * sizeof *o->seen);
    collect_dependencies(o->m, o->expr[v], o->seen, deps, &nd, 0);
    int rc = 0;
    for (size_t k = 0; k < nd && rc == 0; k++)
        if (o->expr[deps[k]])
            rc = visit(o, deps[k], what);
    free(deps);
    if (rc)
        return rc;
    o->npath--;
    o->mark[v] = 2;
    o->order[o->norder++] = v;
    return 0;
}

/* Order the variables with expr[v] != NULL so each comes after those it uses. */
static int dependency_order(const tc_model *m, const tc_expr **expr, size_t *order, size_t *norder,
                            const char *what)
{
    size_t n = m->nvars;
    order_ctx o = {m,
                   expr,
                   tc_solv_alloc((n + 1) * sizeof(int)),
                   order,
                   0,
                   tc_solv_alloc((n + 1) * sizeof(size_t)),
                   0,
                   tc_solv_alloc((n + 1) * sizeof(bool)),
                   NULL};
    int rc = 0;
    for (size_t v = 0; v < n && rc == 0; v++)
        if (expr[v])
            rc = visit(&o, v, what);
    *norder = o.norder;
    free(o.mark);
    free(o.path);
    free(o.seen);
    return rc;
}

/* ---- trigger indicators -------------------------------------------------- */

/* A continuous function positive where the trigger holds, when the trigger is
 * made of inequalities; otherwise +1/-1 from its truth. */
static tc_expr *indicator(const tc_expr *e)
{
    switch (e->op) {
    case TC_EXPR_GT:
    case TC_EXPR_GEQ:
    case TC_EXPR_LT:
    case TC_EXPR_LEQ: {
        if (e->nargs < 2)
            break;
        bool up = e->op == TC_EXPR_GT || e->op == TC_EXPR_GEQ;
        tc_expr *r = e->nargs > 2 ? tc_expr_new(TC_EXPR_MIN) : NULL;
        for (size_t i = 0; i + 1 < e->nargs; i++) {
            tc_expr *a = tc_expr_copy(e->args[i]), *b = tc_expr_copy(e->args[i + 1]);
            tc_expr *diff = up ? tc_ex_bin(TC_EXPR_MINUS, a, b) : tc_ex_bin(TC_EXPR_MINUS, b, a);
            if (!r)
                return diff;
            tc_expr_add(r, diff);
        }
        return r;
    }
    case TC_EXPR_AND:
    case TC_EXPR_OR: {
        if (e->nargs == 0)
            break;
        tc_expr *r = tc_expr_new(e->op == TC_EXPR_AND ? TC_EXPR_MIN : TC_EXPR_MAX);
        for (size_t i = 0; i < e->nargs; i++)
            tc_expr_add(r, indicator(e->args[i]));
        return r;
    }
    case TC_EXPR_NOT:
        if (e->nargs == 1)
            return tc_ex_un(TC_EXPR_MINUS, indicator(e->args[0]));
        break;
    default:
        break;
    }
    tc_expr *p = tc_expr_new(TC_EXPR_PIECEWISE);
    tc_expr_add(p, tc_ex_num(1));
    tc_expr_add(p, tc_expr_copy(e));
    tc_expr_add(p, tc_ex_num(-1));
    p->has_otherwise = true;
    return p;
}

/* Emit every comparison inside a trigger as a continuous function (a - b for
 * a > b); a trigger can change only where one of them crosses zero. */
static int compile_relations(tc_system *sys, tc_compiler *c, const tc_expr *e)
{
    if (!e)
        return 0;
    bool rel = e->op == TC_EXPR_GT || e->op == TC_EXPR_GEQ || e->op == TC_EXPR_LT ||
               e->op == TC_EXPR_LEQ;
    if (rel && e->nargs == 2 && sys->nrel < 10000) {
        tc_expr *d = indicator(e);
        int rc = compile_into(&sys->relations, c, d);
        tc_expr_free(d);
        if (rc < 0)
            return rc;
        tc_prog_out(&sys->relations, sys->nrel++);
    }
    for (size_t i = 0; i < e->nargs; i++) {
        int rc = compile_relations(sys, c, e->args[i]);
        if (rc < 0)
            return rc;
    }
    return 0;
}

/* ---- building -------------------------------------------------------------- */

/* Name the item being compiled, for error messages: "<what> '<name>'". */
static void origin_what(tc_compiler *c, char *buf, size_t size, const char *what, const char *name,
                        const tc_sorigin *where)
{
    snprintf(buf, size, "%s '%s'", what, name);
    c->what = buf;
    c->where = where;
}

static int compile_jacobian(tc_system *sys, tc_compiler *c)
{
    const tc_model *m = c->m;
    size_t nu = sys->nunk, n = sys->nstates;
    const char **unk = tc_solv_alloc((nu + 1) * sizeof *unk);
    long *unk_of_var = tc_solv_alloc((m->nvars + 1) * sizeof *unk_of_var);
    for (size_t v = 0; v < m->nvars; v++)
        unk_of_var[v] = -1;
    for (size_t i = 0; i < n; i++) {
        unk[i] = m->vars[sys->state_var[i]].name;
        unk_of_var[sys->state_var[i]] = (long)i;
    }
    for (size_t j = 0; j < sys->nalg; j++) {
        unk[n + j] = m->vars[sys->alg_var[j]].name;
        unk_of_var[sys->alg_var[j]] = (long)(n + j);
    }
    bool *seen = tc_solv_alloc(m->nvars + 1);
    size_t *syms = tc_solv_alloc((m->nvars + 1) * sizeof *syms);
    bool ok = true;
    int rc = 0;
    c->what = "Jacobian";
    c->where = NULL;
    for (size_t i = 0; i < nu && ok; i++) {
        const tc_expr *f = NULL;
        if (i < n) {
            const tc_meq *eq = find_eq(m->rates, m->nrates, sys->state_var[i]);
            if (!eq)
                continue;
            f = eq->rhs;
        } else {
            f = m->algs[i - n].rhs;
        }
        size_t budget = MAX_EXPANDED_NODES;
        tc_expr *e = expand(c, f, true, &budget);
        if (!e) {
            ok = false;
            break;
        }
        size_t ns = 0;
        memset(seen, 0, m->nvars);
        collect_symbols(e, &m->varmap, seen, syms, &ns);
        for (size_t k = 0; k < ns && ok; k++) {
            long j = unk_of_var[syms[k]];
            if (j < 0)
                continue;
            tc_expr *dij = tc_ex_diff(e, unk[j]);
            if (!dij) {
                ok = false;
                break;
            }
            if (!tc_ex_is_num(dij, NULL) || dij->value != 0.0) {
                rc = tc_prog_emit(&sys->jac, c, dij);
                tc_prog_out(&sys->jac, i + (size_t)j * nu);
            }
            tc_expr_free(dij);
            if (rc < 0 || sys->jac.n > MAX_JACOBIAN_CODE)
                ok = false;
        }
        tc_expr_free(e);
    }
    free(unk);
    free(unk_of_var);
    free(seen);
    free(syms);
    sys->symbolic_jac = ok;
    if (!ok)
        tc_prog_release(&sys->jac);
    return 0; /* falling back to finite differences is not an error */
}

static void set_threads_once(void)
{
    static int done;
    if (!done) {
        openblas_set_num_threads(1);
        done = 1;
    }
}

int tc_system_new(tc_system **out, const tc_model *m)
{
    if (!out)
        return tc_solver_fail(TC_SOLVER_EINVAL, "no output for the system");
    *out = NULL;
    if (!m)
        return tc_solver_fail(TC_SOLVER_EINVAL, "no model to compile");
    set_threads_once();
    tc_system *sys = tc_solv_alloc(sizeof *sys);
    tc_compiler cc = {sys, m, NULL, NULL, 0, false}, *c = &cc;
    const tc_expr **defs = NULL;
    size_t *order = NULL, norder = 0;
    char what[300];
    int rc = 0;

    size_t nv = m->nvars;
    sys->nvars = nv;
    sys->nslots = nv + 1;
    sys->names = tc_solv_alloc((nv + 1) * sizeof *sys->names);
    sys->kinds = tc_solv_alloc((nv + 1) * sizeof *sys->kinds);
    sys->initial = tc_solv_alloc((nv + 1) * sizeof *sys->initial);
    sys->origins = tc_solv_alloc((nv + 1) * sizeof *sys->origins);
    sys->var_state = tc_solv_alloc((nv + 1) * sizeof *sys->var_state);
    sys->state_var = tc_solv_alloc((nv + 1) * sizeof *sys->state_var);
    sys->alg_var = tc_solv_alloc((nv + 1) * sizeof *sys->alg_var);
    sys->rate_origin = tc_solv_alloc((nv + 1) * sizeof *sys->rate_origin);
    sys->v = tc_solv_alloc(sys->nslots * sizeof *sys->v);
    sys->bad_var = -1;
    for (size_t i = 0; i < nv; i++) {
        const tc_mvar *v = &m->vars[i];
        sys->names[i] = tc_solv_strdup(v->name);
        sys->kinds[i] = v->kind;
        sys->initial[i] = v->initial;
        sys->origins[i] = tc_sorigin_dup(&v->origin);
        sys->var_state[i] = -1;
        if (v->kind == TC_VAR_STATE) {
            const tc_meq *eq = find_eq(m->rates, m->nrates, i);
            sys->rate_origin[sys->nstates] = tc_sorigin_dup(eq ? &eq->origin : &v->origin);
            sys->var_state[i] = (long)sys->nstates;
            sys->state_var[sys->nstates++] = i;
        } else if (v->kind == TC_VAR_ALGEBRAIC) {
            sys->alg_var[sys->nalg++] = i;
        } else if (v->kind == TC_VAR_ASSIGNED && !find_eq(m->assigns, m->nassigns, i)) {
            char where[300];
            rc = tc_solver_fail(TC_SOLVER_EMODEL, "assigned variable '%s'%s has no assignment",
                                v->name, tc_sorigin_text(&v->origin, where, sizeof where));
            goto fail;
        }
    }
    if (sys->nalg != m->nalgs) {
        rc = tc_solver_fail(TC_SOLVER_EMODEL,
                            "%zu algebraic variables but %zu algebraic constraints", sys->nalg,
                            m->nalgs);
        goto fail;
    }
    sys->nunk = sys->nstates + sys->nalg;
    sys->alg_pair = tc_solv_alloc((m->nalgs + 1) * sizeof *sys->alg_pair);
    for (size_t k = 0; k < m->nalgs; k++) {
        sys->alg_pair[k] = -1;
        for (size_t j = 0; m->algs[k].fast && j < sys->nalg; j++)
            if (sys->alg_var[j] == m->algs[k].var)
                sys->alg_pair[k] = (long)j;
        sys->nfast += m->algs[k].fast;
    }

    /* assignments, in dependency order */
    defs = tc_solv_alloc((nv + 1) * sizeof *defs);
    order = tc_solv_alloc((nv + 1) * sizeof *order);
    for (size_t k = 0; k < m->nassigns; k++)
        defs[m->assigns[k].var] = m->assigns[k].rhs;
    if ((rc = dependency_order(m, defs, order, &norder, "assignments")) < 0)
        goto fail;
    for (size_t k = 0; k < norder; k++) {
        const tc_meq *eq = find_eq(m->assigns, m->nassigns, order[k]);
        if (!eq)
            continue;
        origin_what(c, what, sizeof what, "assignment to", m->vars[order[k]].name, &eq->origin);
        if ((rc = compile_into(&sys->assign, c, eq->rhs)) < 0)
            goto fail;
        tc_prog_store(&sys->assign, 1 + order[k]);
    }

    /* initial values: initial assignments and assignments together */
    for (size_t k = 0; k < m->ninits; k++)
        defs[m->inits[k].var] = m->inits[k].rhs;
    if ((rc = dependency_order(m, defs, order, &norder, "initial assignments")) < 0)
        goto fail;
    for (size_t k = 0; k < norder; k++) {
        const tc_meq *eq = find_eq(m->inits, m->ninits, order[k]);
        if (!eq)
            eq = find_eq(m->assigns, m->nassigns, order[k]);
        if (!eq)
            continue;
        origin_what(c, what, sizeof what, "initial value of", m->vars[order[k]].name, &eq->origin);
        if ((rc = compile_into(&sys->init, c, eq->rhs)) < 0)
            goto fail;
        tc_prog_store(&sys->init, 1 + order[k]);
    }

    for (size_t i = 0; i < sys->nstates; i++) {
        size_t var = sys->state_var[i];
        const tc_meq *eq = find_eq(m->rates, m->nrates, var);
        origin_what(c, what, sizeof what, "rate of", m->vars[var].name, &sys->rate_origin[i]);
        if (eq && (rc = compile_into(&sys->rates, c, eq->rhs)) < 0)
            goto fail;
        if (!eq) {
            tc_expr *zero = tc_ex_num(0);
            tc_prog_emit(&sys->rates, c, zero);
            tc_expr_free(zero);
        }
        tc_prog_out(&sys->rates, i);
    }
    for (size_t k = 0; k < m->nalgs; k++) {
        snprintf(what, sizeof what, "algebraic constraint %zu", k + 1);
        c->what = what;
        c->where = &m->algs[k].origin;
        if ((rc = compile_into(&sys->alg_res, c, m->algs[k].rhs)) < 0)
            goto fail;
        tc_prog_out(&sys->alg_res, k);
    }

    /* events */
    sys->nevents = m->nevents;
    sys->events = tc_solv_alloc((m->nevents + 1) * sizeof *sys->events);
    sys->event_values = tc_solv_alloc((m->nevents + 1) * sizeof *sys->event_values);
    sys->event_factors = tc_solv_alloc((m->nevents + 1) * sizeof *sys->event_factors);
    for (size_t k = 0; k < m->nevents; k++) {
        const tc_mevent *ev = &m->events[k];
        tc_sevent *se = &sys->events[k];
        se->origin = tc_sorigin_dup(&ev->origin);
        se->id = tc_solv_strdup(ev->id);
        se->persistent = ev->persistent;
        se->initial_value = ev->initial_value;
        se->use_values_from_trigger_time = ev->use_values_from_trigger_time;
        se->has_delay = ev->delay != NULL;
        se->has_priority = ev->priority != NULL;
        se->nassigns = ev->nassigns;
        se->assign_var = tc_solv_alloc((ev->nassigns + 1) * sizeof *se->assign_var);
        origin_what(c, what, sizeof what, "event", ev->id ? ev->id : "?", &ev->origin);
        tc_expr *ind = indicator(ev->trigger);
        rc = compile_into(&sys->triggers, c, ev->trigger);
        if (rc == 0)
            rc = compile_into(&sys->indicators, c, ind);
        tc_expr_free(ind);
        if (rc < 0)
            goto fail;
        tc_prog_out(&sys->triggers, k);
        tc_prog_out(&sys->indicators, k);
        if ((rc = compile_relations(sys, c, ev->trigger)) < 0)
            goto fail;
        tc_expr *none = tc_ex_num(ev->priority ? 0 : -INFINITY);
        rc = compile_into(&sys->priorities, c, ev->priority ? ev->priority : none);
        tc_expr_free(none);
        if (rc < 0)
            goto fail;
        tc_prog_out(&sys->priorities, k);
        tc_expr *zero = tc_ex_num(0);
        rc = compile_into(&sys->delays_prog, c, ev->delay ? ev->delay : zero);
        tc_expr_free(zero);
        if (rc < 0)
            goto fail;
        tc_prog_out(&sys->delays_prog, k);
        for (size_t a = 0; a < ev->nassigns; a++) {
            se->assign_var[a] = ev->assigns[a].var;
            origin_what(c, what, sizeof what, "event assignment to",
                        m->vars[ev->assigns[a].var].name, &ev->assigns[a].origin);
            if ((rc = compile_into(&sys->event_values[k], c, ev->assigns[a].rhs)) < 0)
                goto fail;
            tc_prog_out(&sys->event_values[k], a);
        }
        bool scaled = false;
        for (size_t a = 0; a < ev->nassigns; a++)
            scaled = scaled || ev->assigns[a].factor;
        for (size_t a = 0; scaled && a < ev->nassigns; a++) {
            tc_expr *one = tc_ex_num(1);
            origin_what(c, what, sizeof what, "event assignment to",
                        m->vars[ev->assigns[a].var].name, &ev->assigns[a].origin);
            rc = compile_into(&sys->event_factors[k], c,
                              ev->assigns[a].factor ? ev->assigns[a].factor : one);
            tc_expr_free(one);
            if (rc < 0)
                goto fail;
            tc_prog_out(&sys->event_factors[k], a);
        }
    }

    compile_jacobian(sys, c);

    /* the values before t0, for delayed expressions: initial values, initial
     * assignments and assignments evaluated at the past time, rateOf 0 */
    if (sys->ndelayed) {
        c->before_start = true;
        for (size_t k = 0; k < norder; k++) {
            const tc_meq *eq = find_eq(m->inits, m->ninits, order[k]);
            if (!eq)
                eq = find_eq(m->assigns, m->nassigns, order[k]);
            if (!eq)
                continue;
            origin_what(c, what, sizeof what, "initial value of", m->vars[order[k]].name,
                        &eq->origin);
            if ((rc = compile_into(&sys->init_pre, c, eq->rhs)) < 0)
                goto fail;
            tc_prog_store(&sys->init_pre, 1 + order[k]);
        }
        c->before_start = false;
    }

    size_t nu = sys->nunk ? sys->nunk : 1;
    sys->jfull = tc_solv_alloc(nu * nu * sizeof(double));
    sys->jwork = tc_solv_alloc(nu * nu * sizeof(double));
    sys->work = tc_solv_alloc((nu + m->nvars + m->nevents + 1) * sizeof(double));
    sys->work2 = tc_solv_alloc((nu + m->nvars + m->nevents + 1) * sizeof(double));
    sys->ytmp = tc_solv_alloc((nu + 1) * sizeof(double));
    sys->ipiv = tc_solv_alloc((nu + 1) * sizeof(int));
    sys->scratch = tc_solv_alloc(MAX_DELAY_DEPTH * sizeof *sys->scratch);
    for (int k = 0; k < MAX_DELAY_DEPTH; k++) /* slots, then the states at the delayed time */
        sys->scratch[k] = tc_solv_alloc((sys->nslots + sys->nstates) * sizeof(double));
    sys->algbuf = tc_solv_alloc((3 * sys->nalg + sys->nalg * sys->nalg + 1) * sizeof(double));
    sys->hist.y0 = tc_solv_alloc((sys->nstates + 1) * sizeof(double));
    if (sys->ndelayed) {
        /* parameters set by events: a delayed expression sees their past values */
        bool *set = tc_solv_alloc((sys->nvars + 1) * sizeof *set);
        for (size_t k = 0; k < sys->nevents; k++)
            for (size_t a = 0; a < sys->events[k].nassigns; a++)
                set[sys->events[k].assign_var[a]] = true;
        sys->hist.pvar = tc_solv_alloc((sys->nvars + 1) * sizeof *sys->hist.pvar);
        for (size_t i = 0; i < sys->nvars; i++)
            if (set[i] && sys->kinds[i] == TC_VAR_PARAMETER)
                sys->hist.pvar[sys->hist.np++] = i;
        free(set);
    }
    sys->rel_work = tc_solv_alloc((3 * sys->nrel + 1) * sizeof(double));
    free(defs);
    free(order);
    *out = sys;
    return 0;
fail:
    free(defs);
    free(order);
    tc_system_free(sys);
    return rc;
}

void tc_system_free(tc_system *sys)
{
    if (!sys)
        return;
    for (size_t i = 0; i < sys->nvars; i++) {
        free(sys->names[i]);
        tc_sorigin_release(&sys->origins[i]);
    }
    for (size_t i = 0; i < sys->nstates; i++)
        tc_sorigin_release(&sys->rate_origin[i]);
    free(sys->names);
    free(sys->kinds);
    free(sys->initial);
    free(sys->origins);
    free(sys->rate_origin);
    free(sys->var_state);
    free(sys->state_var);
    free(sys->alg_var);
    free(sys->v);
    tc_prog *progs[] = {&sys->init,       &sys->assign,     &sys->rates,
                        &sys->alg_res,    &sys->jac,        &sys->triggers,
                        &sys->indicators, &sys->priorities, &sys->delays_prog,
                        &sys->init_pre,   &sys->relations};
    for (size_t i = 0; i < sizeof progs / sizeof *progs; i++)
        tc_prog_release(progs[i]);
    if (sys->events)
        for (size_t k = 0; k < sys->nevents; k++) {
            tc_sorigin_release(&sys->events[k].origin);
            free(sys->events[k].id);
            free(sys->events[k].assign_var);
            tc_prog_release(&sys->event_values[k]);
            tc_prog_release(&sys->event_factors[k]);
        }
    free(sys->events);
    free(sys->event_values);
    free(sys->event_factors);
    free(sys->rel_work);
    for (size_t d = 0; d < sys->ndelayed; d++) {
        tc_prog_release(&sys->delayed[d]);
        tc_prog_release(&sys->delayed_pre[d]);
    }
    free(sys->delayed);
    free(sys->delayed_pre);
    free(sys->jfull);
    free(sys->jwork);
    free(sys->work);
    free(sys->work2);
    free(sys->ytmp);
    free(sys->ipiv);
    free(sys->algbuf);
    free(sys->alg_pair);
    if (sys->scratch)
        for (int k = 0; k < MAX_DELAY_DEPTH; k++)
            free(sys->scratch[k]);
    free(sys->scratch);
    free(sys->hist.t);
    free(sys->hist.y);
    free(sys->hist.f);
    free(sys->hist.y0);
    free(sys->hist.pvar);
    free(sys->hist.p);
    free(sys);
}

size_t tc_system_state_count(const tc_system *sys)
{
    return sys ? sys->nstates : 0;
}

size_t tc_system_state_variable(const tc_system *sys, size_t i)
{
    return sys && i < sys->nstates ? sys->state_var[i] : 0;
}

bool tc_system_has_symbolic_jacobian(const tc_system *sys)
{
    return sys && sys->symbolic_jac;
}

/* ---- evaluation ------------------------------------------------------------ */

/* The constraints' residuals r and their Jacobian in the algebraic variables gz
 * (column-major, m x m) at v; r2 is scratch. Returns 1 when a residual is not finite. */
static int constraints_at(tc_system *sys, double *v, double *r, double *r2, double *gz)
{
    size_t m = sys->nalg, n = sys->nstates, nu = sys->nunk;
    tc_prog_run(&sys->assign, sys, v, NULL);
    tc_prog_run(&sys->alg_res, sys, v, r);
    for (size_t k = 0; k < m; k++)
        if (!isfinite(r[k]))
            return 1;
    if (sys->symbolic_jac) {
        memset(sys->jfull, 0, nu * nu * sizeof(double));
        tc_prog_run(&sys->jac, sys, v, sys->jfull);
        for (size_t j = 0; j < m; j++)
            for (size_t i = 0; i < m; i++)
                gz[i + j * m] = sys->jfull[(n + i) + (n + j) * nu];
        return 0;
    }
    for (size_t j = 0; j < m; j++) {
        double *z = &v[1 + sys->alg_var[j]], save = *z;
        double dz = 1.4901161193847656e-08 * fmax(fabs(save), 1.0);
        *z = save + dz;
        tc_prog_run(&sys->assign, sys, v, NULL);
        tc_prog_run(&sys->alg_res, sys, v, r2);
        *z = save;
        for (size_t i = 0; i < m; i++)
            gz[i + j * m] = (r2[i] - r[i]) / dz;
    }
    return 0;
}

/*
 * Solve the constraints for the algebraic variables from their current values.
 * Without fast processes: Newton's method. With them: pseudo-transient continuation,
 * implicit Euler steps in a fast time tau on d(extent)/d tau = rate (the other
 * constraints take plain Newton steps), the step dtau growing as the rates fall, so
 * the iteration follows the processes to the equilibrium they reach and ends as
 * Newton's method. An extent whose rate is zero and does not depend on it stays.
 * Returns 0, or 1 when it does not converge.
 */
static int solve_constraints(tc_system *sys, double *v)
{
    size_t m = sys->nalg;
    double *r = sys->algbuf, *r2 = r + m, *gz = r2 + m;
    int max_iter = sys->nfast ? FAST_MAX_ITER : ALG_MAX_ITER;
    double dtau = 0, prev = 0;
    for (int it = 0; it < max_iter; it++) {
        if (constraints_at(sys, v, r, r2, gz))
            return 1;
        double rmax = 0, fmax_rate = 0, scale = 1;
        for (size_t k = 0; k < m; k++) {
            rmax = fmax(rmax, fabs(r[k]));
            if (sys->alg_pair[k] >= 0) {
                fmax_rate = fmax(fmax_rate, fabs(r[k]));
                scale = fmax(scale, fabs(v[1 + sys->alg_var[sys->alg_pair[k]]]));
            }
        }
        if (rmax == 0.0)
            return 0;
        if (sys->nfast) {
            /* first step: move an extent by about a tenth of its scale */
            if (it == 0 || dtau == 0)
                dtau = fmax_rate > 0 ? 0.1 * scale / fmax_rate : FAST_DTAU_MAX;
            else if (fmax_rate <= prev)
                dtau *= fmax_rate > 0 ? fmax(2.0, prev / fmax_rate) : 2.0;
            else
                dtau *= 0.5;
            dtau = fmin(dtau, FAST_DTAU_MAX);
            prev = fmax_rate;
            for (size_t k = 0; k < m; k++)
                if (sys->alg_pair[k] >= 0)
                    gz[k + (size_t)sys->alg_pair[k] * m] -= 1.0 / dtau;
        }
        for (size_t k = 0; k < m; k++)
            r[k] = -r[k];
        lapack_int info = LAPACKE_dgesv(LAPACK_COL_MAJOR, (lapack_int)m, 1, gz, (lapack_int)m,
                                        sys->ipiv, r, (lapack_int)m);
        if (info != 0)
            return 1;
        double step = 0;
        for (size_t j = 0; j < m; j++) {
            double *z = &v[1 + sys->alg_var[j]];
            *z += r[j];
            step = fmax(step, fabs(r[j]) / (fabs(*z) + 1e-300));
            if (!isfinite(*z))
                return 1;
        }
        if (step < 1e-13) {
            tc_prog_run(&sys->assign, sys, v, NULL);
            return 0;
        }
    }
    return 1;
}

int tc_system_update(tc_system *sys)
{
    if (sys->nalg) {
        for (size_t j = 0; j < sys->nalg; j++) {
            double *z = &sys->v[1 + sys->alg_var[j]];
            if (!isfinite(*z))
                *z = 0.0;
        }
        if (solve_constraints(sys, sys->v)) {
            sys->bad_var = (long)sys->alg_var[0];
            sys->bad_time = sys->v[0];
            return 1;
        }
        return 0;
    }
    tc_prog_run(&sys->assign, sys, sys->v, NULL);
    return 0;
}

int tc_system_set(tc_system *sys, double t, const double *y)
{
    sys->v[0] = t;
    for (size_t i = 0; i < sys->nstates; i++)
        sys->v[1 + sys->state_var[i]] = y[i];
    return tc_system_update(sys);
}

int tc_system_initial(tc_system *sys, double t0, double *y0)
{
    if (!sys || !y0)
        return tc_solver_fail(TC_SOLVER_EINVAL, "no system or no state vector");
    sys->v[0] = t0;
    for (size_t i = 0; i < sys->nvars; i++)
        sys->v[1 + i] = sys->initial[i];
    sys->tau_min = INFINITY;
    tc_system_history_reset(sys, t0, NULL);
    tc_prog_run(&sys->init, sys, sys->v, NULL);
    char where[300];
    if (tc_system_update(sys))
        return tc_solver_fail(TC_SOLVER_ECONV, "the algebraic constraints cannot be solved at t=%g",
                              t0);
    for (size_t i = 0; i < sys->nstates; i++) {
        size_t var = sys->state_var[i];
        y0[i] = sys->v[1 + var];
        if (!isfinite(y0[i]))
            return tc_solver_fail(TC_SOLVER_ENONFINITE, "initial value of '%s'%s is %g",
                                  sys->names[var],
                                  tc_sorigin_text(&sys->origins[var], where, sizeof where), y0[i]);
    }
    tc_system_history_reset(sys, t0, y0);
    return 0;
}

int tc_system_rhs(tc_system *sys, double t, const double *y, double *ydot)
{
    sys->rhs_evals++;
    if (tc_system_set(sys, t, y))
        return 1;
    tc_prog_run(&sys->rates, sys, sys->v, ydot);
    for (size_t i = 0; i < sys->nstates; i++)
        if (!isfinite(ydot[i])) {
            sys->bad_var = (long)sys->state_var[i];
            sys->bad_time = t;
            return 1;
        }
    return 0;
}

static int jacobian_fd(tc_system *sys, double t, const double *y, double *J)
{
    size_t n = sys->nstates;
    double *f0 = sys->work, *f1 = sys->work2, *yp = sys->ytmp;
    if (tc_system_rhs(sys, t, y, f0))
        return 1;
    memcpy(yp, y, n * sizeof *yp);
    for (size_t j = 0; j < n; j++) {
        double dy = 1.4901161193847656e-08 * fmax(fabs(y[j]), 1e-6);
        yp[j] = y[j] + dy;
        dy = yp[j] - y[j]; /* the increment actually representable */
        int rc = tc_system_rhs(sys, t, yp, f1);
        yp[j] = y[j];
        if (rc)
            return rc;
        for (size_t i = 0; i < n; i++) {
            J[i + j * n] = (f1[i] - f0[i]) / dy;
            if (!isfinite(J[i + j * n]))
                return 1;
        }
    }
    return 0;
}

int tc_system_jacobian(tc_system *sys, double t, const double *y, double *J)
{
    sys->jac_evals++;
    size_t n = sys->nstates, m = sys->nalg, nu = sys->nunk;
    if (!sys->symbolic_jac)
        return jacobian_fd(sys, t, y, J);
    if (tc_system_set(sys, t, y))
        return 1;
    memset(sys->jfull, 0, nu * nu * sizeof(double));
    tc_prog_run(&sys->jac, sys, sys->v, sys->jfull);
    for (size_t j = 0; j < n; j++)
        for (size_t i = 0; i < n; i++)
            J[i + j * n] = sys->jfull[i + j * nu];
    if (m) {
        /* J = Fy - Fz Gz^-1 Gy (the constraints define z as a function of y) */
        double *gz = sys->jwork, *x = tc_solv_alloc(m * n * sizeof(double));
        for (size_t j = 0; j < m; j++)
            for (size_t i = 0; i < m; i++)
                gz[i + j * m] = sys->jfull[(n + i) + (n + j) * nu];
        for (size_t j = 0; j < n; j++)
            for (size_t i = 0; i < m; i++)
                x[i + j * m] = sys->jfull[(n + i) + j * nu];
        lapack_int info;
        if (sys->nfast && n) {
            /* an extent the equilibrium leaves free stays: the least-norm solution */
            double *sv = tc_solv_alloc((m + 1) * sizeof(double));
            lapack_int rank;
            info = LAPACKE_dgelsd(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)m, (lapack_int)n,
                                  gz, (lapack_int)m, x, (lapack_int)m, sv, 1e-12, &rank);
            free(sv);
        } else {
            info = LAPACKE_dgesv(LAPACK_COL_MAJOR, (lapack_int)m, (lapack_int)n, gz,
                                 (lapack_int)m, sys->ipiv, x, (lapack_int)m);
        }
        if (info == 0)
            for (size_t j = 0; j < n; j++)
                for (size_t i = 0; i < n; i++) {
                    double s = 0;
                    for (size_t k = 0; k < m; k++)
                        s += sys->jfull[i + (n + k) * nu] * x[k + j * m];
                    J[i + j * n] -= s;
                }
        free(x);
        if (info != 0)
            return 1;
    }
    for (size_t k = 0; k < n * n; k++)
        if (!isfinite(J[k]))
            return jacobian_fd(sys, t, y, J);
    return 0;
}

void tc_system_triggers(tc_system *sys, double *truth, double *indicator_out)
{
    if (!sys->nevents)
        return;
    if (truth) {
        tc_prog_run(&sys->triggers, sys, sys->v, truth);
        for (size_t k = 0; k < sys->nevents; k++)
            truth[k] = truth[k] != 0.0 && !isnan(truth[k]) ? 1.0 : 0.0;
    }
    if (indicator_out)
        tc_prog_run(&sys->indicators, sys, sys->v, indicator_out);
}

void tc_system_relations(tc_system *sys, double *rel)
{
    if (sys->nrel)
        tc_prog_run(&sys->relations, sys, sys->v, rel);
}

bool tc_system_relation_crossing(tc_system *sys, void (*interp)(void *, double, double *),
                                 void *st, double ta, double tb, const double *rel_a,
                                 const double *rel_b, const double *truth, double *y,
                                 double *t_out, double *truth_out, double *ind_out)
{
    double best = INFINITY, *r = sys->rel_work + 2 * sys->nrel;
    for (size_t k = 0; k < sys->nrel; k++) {
        if ((rel_a[k] > 0) == (rel_b[k] > 0) || isnan(rel_a[k]) || isnan(rel_b[k]))
            continue;
        /* bisect to the first representable point with rel_b's sign */
        bool side_b = rel_b[k] > 0;
        double lo = ta, hi = tb;
        for (int it = 0; it < 200; it++) {
            double mid = lo + 0.5 * (hi - lo);
            if (!(mid > lo && mid < hi))
                break;
            interp(st, mid, y);
            tc_system_set(sys, mid, y);
            tc_system_relations(sys, r);
            if ((r[k] > 0) == side_b)
                hi = mid;
            else
                lo = mid;
        }
        if (hi >= best)
            continue;
        interp(st, hi, y);
        tc_system_set(sys, hi, y);
        tc_system_triggers(sys, truth_out, NULL);
        bool changed = false;
        for (size_t e = 0; e < sys->nevents; e++)
            changed = changed || truth_out[e] != truth[e];
        if (changed)
            best = hi;
    }
    if (!isfinite(best))
        return false;
    interp(st, best, y);
    tc_system_set(sys, best, y);
    tc_system_triggers(sys, truth_out, ind_out);
    *t_out = best;
    return true;
}

/* ---- history of states for delayed expressions ---------------------------- */

void tc_system_history_reset(tc_system *sys, double t0, const double *y0)
{
    sys->hist.n = 0;
    sys->hist.t0 = t0;
    if (y0)
        memcpy(sys->hist.y0, y0, sys->nstates * sizeof *y0);
}

void tc_system_history_add(tc_system *sys, double t, const double *y, const double *f)
{
    if (!sys->ndelayed)
        return;
    tc_history *h = &sys->hist;
    size_t n = sys->nstates;
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 256;
        h->t = tc_solv_realloc(h->t, h->cap * sizeof *h->t);
        h->y = tc_solv_realloc(h->y, h->cap * n * sizeof *h->y + 1);
        h->f = tc_solv_realloc(h->f, h->cap * n * sizeof *h->f + 1);
        h->p = tc_solv_realloc(h->p, h->cap * h->np * sizeof *h->p + 1);
    }
    h->t[h->n] = t;
    memcpy(h->y + h->n * n, y, n * sizeof *y);
    memcpy(h->f + h->n * n, f, n * sizeof *f);
    for (size_t j = 0; j < h->np; j++)
        h->p[h->n * h->np + j] = sys->v[1 + h->pvar[j]];
    h->n++;
}

/* The last recorded point at or before tq (at an event, the point after it); 0 when
 * tq is before the first. The history must not be empty. */
static size_t history_find(const tc_history *h, double tq)
{
    size_t lo = 0, hi = h->n; /* t[lo] <= tq < t[hi], with t[n] taken as +inf */
    if (!(tq >= h->t[0]))
        return 0;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->t[mid] <= tq)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* States at time tq from the history (initial values before t0, cubic Hermite
 * between recorded points, linear extrapolation past the last one) into y, and the
 * event-changed parameters into the slots w: their values at the last point at or
 * before tq, the first point's before it; w keeps the current ones while nothing is
 * recorded. */
static void history_at(const tc_system *sys, double tq, double *y, double *w)
{
    const tc_history *h = &sys->hist;
    size_t n = sys->nstates;
    if (h->n == 0) {
        memcpy(y, h->y0, n * sizeof *y);
        return;
    }
    size_t lo = history_find(h, tq), last = h->n - 1;
    for (size_t j = 0; j < h->np; j++)
        w[1 + h->pvar[j]] = h->p[lo * h->np + j];
    if (tq <= h->t[0]) {
        memcpy(y, tq >= h->t[0] ? h->y : h->y0, n * sizeof *y);
        return;
    }
    if (lo == last) {
        for (size_t i = 0; i < n; i++)
            y[i] = h->y[last * n + i] + (tq - h->t[last]) * h->f[last * n + i];
        return;
    }
    size_t hi = lo + 1;
    double t0 = h->t[lo], dt = h->t[hi] - t0;
    if (dt <= 0) {
        memcpy(y, h->y + hi * n, n * sizeof *y);
        return;
    }
    double s = (tq - t0) / dt, s2 = s * s, s3 = s2 * s;
    double h00 = 2 * s3 - 3 * s2 + 1, h10 = s3 - 2 * s2 + s, h01 = -2 * s3 + 3 * s2, h11 = s3 - s2;
    for (size_t i = 0; i < n; i++)
        y[i] = h00 * h->y[lo * n + i] + h10 * dt * h->f[lo * n + i] + h01 * h->y[hi * n + i] +
               h11 * dt * h->f[hi * n + i];
}

double tc_system_delayed(tc_system *sys, int d, double t, double tau)
{
    if (!(tau >= 0) || d < 0 || (size_t)d >= sys->ndelayed || sys->delay_depth >= MAX_DELAY_DEPTH)
        return NAN;
    if (sys->delay_depth == 0 && tau > 0 && tau < sys->tau_min)
        sys->tau_min = tau; /* of delays at the current time only, not at a past one */
    double *w = sys->scratch[sys->delay_depth];
    double out = NAN;
    if (t - tau < sys->hist.t0) {
        /* before the start every value is its initial value, initial assignment or
         * assignment evaluated at that time, and nothing changes (SBML L3V2 3.4.8) */
        w[0] = t - tau;
        memcpy(w + 1, sys->initial, sys->nvars * sizeof *w);
        sys->delay_depth++;
        tc_prog_run(&sys->init_pre, sys, w, NULL);
        tc_prog_run(&sys->delayed_pre[d], sys, w, &out);
        sys->delay_depth--;
        return out;
    }
    memcpy(w, sys->v, sys->nslots * sizeof *w);
    w[0] = t - tau;
    double *ys = w + sys->nslots;
    history_at(sys, t - tau, ys, w);
    for (size_t i = 0; i < sys->nstates; i++)
        w[1 + sys->state_var[i]] = ys[i];
    sys->delay_depth++;
    tc_prog_run(&sys->assign, sys, w, NULL);
    tc_prog_run(&sys->delayed[d], sys, w, &out);
    sys->delay_depth--;
    return out;
}
