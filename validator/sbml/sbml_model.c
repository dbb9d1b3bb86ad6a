/* The SBML semantics of a document as the reference solvers' model (tc_model):
 * which symbol is a state, a parameter, an assigned or an algebraic variable, what
 * reactions do to species in amount or concentration, conversion factors,
 * stoichiometries, local parameters, events with their Level 2 or Level 3
 * defaults, and fast reactions as an equilibrium (algebraic) subsystem.
 *
 * A species' SBML symbol stands for its concentration unless hasOnlySubstanceUnits
 * is true. Reactions change amounts. A species is integrated in the form of its
 * symbol while its compartment cannot change; in a compartment that varies, it is
 * integrated as a hidden amount variable ("S amount", a name no SBML id can take)
 * and its symbol is assigned amount / size, so the amount is what is conserved
 * when the size changes (SBML L3V2 sections 4.6.7 and 4.11). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sbml.h"
#include "solvers.h"

typedef enum sym_type { SYM_COMPARTMENT, SYM_SPECIES, SYM_PARAMETER, SYM_SREF, SYM_REACTION } sym_type;

typedef struct sym {
    char *id;
    sym_type type;
    const void *obj;
    long line;
    const tc_sbml_rule *assign, *rate;
    const tc_sbml_initial_assignment *ia;
    bool event_assigned, constant, algebraic;
    tc_var_kind kind;
    /* species */
    bool hosu, boundary, reacting, amount_path;
    bool fast;            /* changed by a fast reaction (then on the amount path) */
    long fast_index;      /* row in the fast subsystem */
    long comp;         /* symbol of the compartment, -1 none */
    char *amount_name; /* hidden amount variable, amount path only */
    tc_expr *change;   /* sum of stoichiometry * reaction rate over the reactions */
} sym;

/* Fast reactions are at equilibrium (their rates are zero) while the slow reactions
 * act. Each fast reaction j has an extent xi_j, an algebraic variable ("J extent") fixed
 * by rate_j = 0. A species that fast reactions change is integrated as the amount the
 * slow reactions alone give ("S slow amount", a state), and its amount is that plus
 * sum_j N_kj xi_j, with N the fast stoichiometry times the conversion factor. Where a
 * rate is zero whatever the extent (the reaction is switched off), the extent keeps its
 * value, so the slow reactions go on moving the species. */
typedef struct fast_sub {
    size_t nspecies;   /* species in fast reactions */
    long *species;     /* their symbols */
    size_t nreactions; /* fast reactions */
    long *reactions;   /* their symbols */
    tc_expr **N;       /* nspecies x nreactions, NULL where zero: a number or the symbol of
                        * a hidden assigned variable ("stoichiometry of S in J") */
    char **names;      /* per entry: that hidden variable's name, or NULL */
    tc_expr **values;  /* per entry with a name: its value */
} fast_sub;

struct tc_sbml_sim {
    tc_model *model;
    sym *syms;
    size_t nsyms, cap;
    char *file;
    int level;
    fast_sub fast;
};

/* ---- symbols ---- */
static long find_sym(const tc_sbml_sim *s, const char *id)
{
    if (!id)
        return -1;
    for (size_t i = 0; i < s->nsyms; i++)
        if (strcmp(s->syms[i].id, id) == 0)
            return (long)i;
    return -1;
}

static sym *add_sym(tc_sbml_sim *s, const char *id, sym_type type, const void *obj, long line)
{
    TC_GROW(s->syms, s->cap, s->nsyms + 1);
    sym *x = &s->syms[s->nsyms++];
    memset(x, 0, sizeof(*x));
    x->id = tc_xstrdup(id);
    x->type = type;
    x->obj = obj;
    x->line = line;
    x->comp = -1;
    return x;
}

static tc_origin origin(const tc_sbml_sim *s, long line, const char *id)
{
    return (tc_origin){.file = s->file, .line = line, .id = id};
}

static tc_expr *sym_expr(const char *name)
{
    return tc_expr_symbol(name);
}

/* The same for a name the caller allocated; frees it. */
static tc_expr *sym_expr_owned(char *name)
{
    tc_expr *e = tc_expr_symbol(name);
    free(name);
    return e;
}

static tc_expr *binary(tc_expr_op op, tc_expr *a, tc_expr *b)
{
    return tc_expr_add(tc_expr_add(tc_expr_new(op), a), b);
}

static tc_expr *copy(const tc_sbml_math *m)
{
    return m->expr ? tc_expr_copy(m->expr) : NULL;
}

/* Replace the kinetic law's local parameters by their values (they are constants,
 * and shadow global names of the same id). */
static const tc_sbml_parameter *local(const tc_sbml_kinetic_law *k, const char *name)
{
    for (size_t i = 0; name && i < k->nparameters; i++)
        if (k->parameters[i].b.id && strcmp(k->parameters[i].b.id, name) == 0)
            return &k->parameters[i];
    return NULL;
}

static void substitute_locals(tc_expr *e, const tc_sbml_kinetic_law *k)
{
    if (!e)
        return;
    if (e->op == TC_EXPR_RATE_OF && e->nargs == 1 && e->args[0]->op == TC_EXPR_SYMBOL &&
        local(k, e->args[0]->name)) {
        /* a local parameter is constant */
        tc_expr_free(e->args[0]);
        free(e->args);
        e->args = NULL;
        e->nargs = e->capargs = 0;
        e->op = TC_EXPR_NUMBER;
        e->value = 0;
        e->number = TC_NUMBER_INTEGER;
        return;
    }
    if (e->op == TC_EXPR_SYMBOL) {
        const tc_sbml_parameter *p = local(k, e->name);
        if (p) {
            free(e->name);
            e->name = NULL;
            e->op = TC_EXPR_NUMBER;
            e->value = p->value.set ? p->value.v : NAN;
            e->number = TC_NUMBER_REAL;
        }
        return;
    }
    for (size_t i = 0; i < e->nargs; i++)
        substitute_locals(e->args[i], k);
}

/* Names mentioned in e (not LAMBDA-bound), appended to a list of symbol indexes. */
static void mentioned(const tc_sbml_sim *s, const tc_expr *e, long **out, size_t *n, size_t *cap)
{
    if (!e)
        return;
    if (e->op == TC_EXPR_SYMBOL) {
        long k = find_sym(s, e->name);
        if (k >= 0) {
            for (size_t i = 0; i < *n; i++)
                if ((*out)[i] == k)
                    return;
            TC_GROW(*out, *cap, *n + 1);
            (*out)[(*n)++] = k;
        }
        return;
    }
    if (e->op == TC_EXPR_LAMBDA)
        return;
    for (size_t i = 0; i < e->nargs; i++)
        mentioned(s, e->args[i], out, n, cap);
}

/* ---- defaults by level ---- */
static bool flag(tc_sbml_bool b, bool dflt)
{
    return b < 0 ? dflt : b == 1;
}

/* ---- algebraic rules: which variable each one determines (bipartite matching) ---- */
typedef struct matching {
    long **adj;
    size_t *nadj;
    long *rule_of; /* per symbol: rule index or -1 */
    bool *seen;
} matching;

static bool augment(matching *mt, size_t rule)
{
    for (size_t i = 0; i < mt->nadj[rule]; i++) {
        long v = mt->adj[rule][i];
        if (mt->seen[v])
            continue;
        mt->seen[v] = true;
        if (mt->rule_of[v] < 0 || augment(mt, (size_t)mt->rule_of[v])) {
            mt->rule_of[v] = (long)rule;
            return true;
        }
    }
    return false;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static bool is_candidate(const sym *x)
{
    /* an algebraic rule determines no symbol that an event or an initial assignment
     * sets (SBML L3V2 sections 4.9 and 4.12) */
    if (x->constant || x->assign || x->rate || x->type == SYM_REACTION || x->event_assigned ||
        x->ia)
        return false;
    if (x->type == SYM_SPECIES && x->reacting)
        return false;
    return true;
}

static int match_algebraic(tc_sbml_sim *s, const tc_sbml_model *m)
{
    size_t nrules = 0;
    for (size_t i = 0; i < m->nrules; i++)
        nrules += m->rules[i].kind == TC_SBML_ALGEBRAIC && m->rules[i].math.expr;
    if (!nrules)
        return 0;
    int rc = 0;
    matching mt = {.adj = tc_xcalloc(nrules, sizeof(long *)),
                   .nadj = tc_xcalloc(nrules, sizeof(size_t)),
                   .rule_of = tc_xcalloc(s->nsyms, sizeof(long)),
                   .seen = tc_xcalloc(s->nsyms, sizeof(bool))};
    for (size_t i = 0; i < s->nsyms; i++)
        mt.rule_of[i] = -1;
    size_t r = 0;
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *ru = &m->rules[i];
        if (ru->kind != TC_SBML_ALGEBRAIC || !ru->math.expr)
            continue;
        long *all = NULL;
        size_t n = 0, cap = 0;
        mentioned(s, ru->math.expr, &all, &n, &cap);
        size_t cap2 = 0;
        for (size_t j = 0; j < n; j++) {
            if (!is_candidate(&s->syms[all[j]]))
                continue;
            TC_GROW(mt.adj[r], cap2, mt.nadj[r] + 1);
            mt.adj[r][mt.nadj[r]++] = all[j];
        }
        free(all);
        /* in document order: of two candidates, the one declared first is determined */
        if (mt.nadj[r] > 1) /* none: adj[r] is NULL, which qsort must not be given */
            qsort(mt.adj[r], mt.nadj[r], sizeof(long), cmp_long);
        r++;
    }
    r = 0;
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *ru = &m->rules[i];
        if (ru->kind != TC_SBML_ALGEBRAIC || !ru->math.expr)
            continue;
        memset(mt.seen, 0, s->nsyms * sizeof(bool));
        if (!augment(&mt, r)) {
            rc = tc_error_set(TC_EINVAL,
                              "%s:%ld: the algebraic rule determines no variable that is not "
                              "constant or fixed by another rule or by reactions "
                              "(the model is overdetermined)",
                              s->file, ru->b.line);
            goto cleanup;
        }
        r++;
    }
    for (size_t i = 0; i < s->nsyms; i++)
        if (mt.rule_of[i] >= 0)
            s->syms[i].algebraic = true;
cleanup:
    for (size_t i = 0; i < nrules; i++)
        free(mt.adj[i]);
    free(mt.adj);
    free(mt.nadj);
    free(mt.rule_of);
    free(mt.seen);
    return rc;
}

/* ---- collecting the symbols ---- */
static void collect(tc_sbml_sim *s, const tc_sbml_model *m)
{
    bool l3 = s->level >= 3;
    bool l1 = s->level == 1;
    for (size_t i = 0; i < m->ncompartments; i++) {
        const tc_sbml_compartment *c = &m->compartments[i];
        if (!c->b.id)
            continue;
        sym *x = add_sym(s, c->b.id, SYM_COMPARTMENT, c, c->b.line);
        x->constant = flag(c->constant, !l1 && !l3);
        if (l1)
            x->constant = false;
    }
    for (size_t i = 0; i < m->nspecies; i++) {
        const tc_sbml_species *sp = &m->species[i];
        if (!sp->b.id)
            continue;
        sym *x = add_sym(s, sp->b.id, SYM_SPECIES, sp, sp->b.line);
        x->constant = flag(sp->constant, false);
        x->hosu = flag(sp->has_only_substance_units, false);
        x->boundary = flag(sp->boundary_condition, false);
    }
    for (size_t i = 0; i < m->nparameters; i++) {
        const tc_sbml_parameter *p = &m->parameters[i];
        if (!p->b.id)
            continue;
        sym *x = add_sym(s, p->b.id, SYM_PARAMETER, p, p->b.line);
        x->constant = l1 ? false : flag(p->constant, !l3);
    }
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        for (int list = 0; list < 2; list++) {
            const tc_sbml_speciesref *refs = list ? r->products : r->reactants;
            size_t n = list ? r->nproducts : r->nreactants;
            for (size_t j = 0; j < n; j++)
                if (refs[j].b.id && find_sym(s, refs[j].b.id) < 0) {
                    sym *x = add_sym(s, refs[j].b.id, SYM_SREF, &refs[j], refs[j].b.line);
                    /* Level 2 stoichiometries change only through stoichiometryMath */
                    x->constant = l3 ? flag(refs[j].constant, false) : true;
                }
        }
    }
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        char *id = r->b.id ? tc_xstrdup(r->b.id) : tc_xasprintf("reaction %zu", i + 1);
        add_sym(s, id, SYM_REACTION, r, r->b.line)->constant = false;
        free(id);
    }
    /* rules, initial assignments, events */
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *ru = &m->rules[i];
        long k = find_sym(s, ru->variable);
        if (k < 0 || !ru->math.expr)
            continue; /* Level 3 Version 2: a rule without math has no effect */
        if (ru->kind == TC_SBML_ASSIGNMENT)
            s->syms[k].assign = ru;
        else if (ru->kind == TC_SBML_RATE)
            s->syms[k].rate = ru;
    }
    for (size_t i = 0; i < m->ninitial_assignments; i++) {
        long k = find_sym(s, m->initial_assignments[i].symbol);
        if (k >= 0 && m->initial_assignments[i].math.expr)
            s->syms[k].ia = &m->initial_assignments[i];
    }
    for (size_t i = 0; i < m->nevents; i++)
        for (size_t j = 0; j < m->events[i].nassignments; j++) {
            long k = find_sym(s, m->events[i].assignments[j].variable);
            if (k >= 0)
                s->syms[k].event_assigned = true;
        }
    for (size_t i = 0; i < s->nsyms; i++) {
        sym *x = &s->syms[i];
        if (x->type != SYM_SPECIES)
            continue;
        x->comp = find_sym(s, ((const tc_sbml_species *)x->obj)->compartment);
    }
    /* species whose amount reactions change */
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        for (int list = 0; list < 2; list++) {
            const tc_sbml_speciesref *refs = list ? r->products : r->reactants;
            size_t n = list ? r->nproducts : r->nreactants;
            for (size_t j = 0; j < n; j++) {
                long k = find_sym(s, refs[j].species);
                if (k >= 0 && s->syms[k].type == SYM_SPECIES && !s->syms[k].boundary &&
                    !s->syms[k].constant && !s->syms[k].assign && !s->syms[k].rate)
                    s->syms[k].reacting = true;
            }
        }
    }
}

static tc_var_kind kind_of(const sym *x)
{
    if (x->type == SYM_REACTION || x->assign)
        return TC_VAR_ASSIGNED;
    if (x->rate || (x->type == SYM_SPECIES && x->reacting))
        return TC_VAR_STATE;
    if (x->algebraic)
        return TC_VAR_ALGEBRAIC;
    if (x->event_assigned || !x->constant)
        return TC_VAR_PARAMETER;
    return TC_VAR_CONSTANT;
}

/* Size of a compartment as an expression (1 when the species has none). */
static tc_expr *size_of(const tc_sbml_sim *s, const sym *sp)
{
    return sp->comp >= 0 ? sym_expr(s->syms[sp->comp].id) : tc_expr_number(1);
}

/* Does the compartment stay at its initial size? */
static bool fixed_size(const tc_sbml_sim *s, const sym *sp)
{
    return sp->comp < 0 || s->syms[sp->comp].kind == TC_VAR_CONSTANT;
}

/* ---- building the model ---- */
static int fail_model(tc_sbml_sim *s)
{
    return tc_error_set(TC_EINVAL, "%s", tc_solver_error());
}

/* The stoichiometry of a species reference as an expression, signed. */
static tc_expr *stoichiometry(const tc_sbml_sim *s, const tc_sbml_speciesref *ref, bool product)
{
    tc_expr *st;
    long k = find_sym(s, ref->b.id);
    if (ref->stoichiometry_math.expr)
        st = copy(&ref->stoichiometry_math);
    else if (k >= 0 && s->syms[k].type == SYM_SREF)
        st = sym_expr(ref->b.id);
    else {
        double v = ref->stoichiometry.set ? ref->stoichiometry.v : 1.0;
        if (ref->denominator.set && ref->denominator.v != 0)
            v /= ref->denominator.v;
        st = tc_expr_number(v);
    }
    if (!product)
        st = tc_expr_add(tc_expr_new(TC_EXPR_MINUS), st);
    return st;
}

static void add_change(sym *x, tc_expr *term)
{
    if (!x->change) {
        x->change = term;
        return;
    }
    if (x->change->op != TC_EXPR_PLUS)
        x->change = tc_expr_add(tc_expr_new(TC_EXPR_PLUS), x->change);
    tc_expr_add(x->change, term);
}

static int declare(tc_sbml_sim *s)
{
    for (size_t i = 0; i < s->nsyms; i++) {
        sym *x = &s->syms[i];
        x->kind = kind_of(x);
    }
    /* species forms (after the compartments' kinds are known) */
    for (size_t i = 0; i < s->nsyms; i++) {
        sym *x = &s->syms[i];
        if (x->type == SYM_SPECIES && x->fast) {
            x->amount_path = true;
            x->amount_name = tc_xasprintf("%s slow amount", x->id);
            continue;
        }
        if (x->type != SYM_SPECIES || x->hosu)
            continue;
        if (x->kind != TC_VAR_ASSIGNED && x->kind != TC_VAR_ALGEBRAIC && !fixed_size(s, x)) {
            x->amount_path = true;
            x->amount_name = tc_xasprintf("%s amount", x->id);
        }
    }
    for (size_t i = 0; i < s->nsyms; i++) {
        sym *x = &s->syms[i];
        double init = NAN;
        tc_origin o = origin(s, x->line, x->id);
        switch (x->type) {
        case SYM_COMPARTMENT: {
            const tc_sbml_compartment *c = x->obj;
            init = c->size.set ? c->size.v : s->level == 1 ? 1.0 : NAN;
            if (!c->size.set && c->spatial_dimensions.set && c->spatial_dimensions.v == 0)
                init = 1.0;
            break;
        }
        case SYM_PARAMETER: {
            const tc_sbml_parameter *p = x->obj;
            init = p->value.set ? p->value.v : NAN;
            break;
        }
        case SYM_SREF: {
            const tc_sbml_speciesref *r = x->obj;
            init = r->stoichiometry.set ? r->stoichiometry.v : 1.0;
            break;
        }
        case SYM_SPECIES: {
            const tc_sbml_species *sp = x->obj;
            if (x->amount_path) {
                double a = sp->initial_amount.set ? sp->initial_amount.v : NAN;
                if (tc_model_add_variable(s->model, x->amount_name, x->kind, a, NULL, o) != 0)
                    return fail_model(s);
                if (tc_model_add_variable(s->model, x->id, TC_VAR_ASSIGNED, NAN, NULL, o) != 0)
                    return fail_model(s);
                continue;
            }
            /* in the symbol's own form; a value in the other form is converted by an
             * initial assignment below, since the size may itself be computed */
            if (x->hosu && sp->initial_amount.set)
                init = sp->initial_amount.v;
            else if (!x->hosu && sp->initial_concentration.set)
                init = sp->initial_concentration.v;
            break;
        }
        case SYM_REACTION:
            break;
        }
        if (x->kind == TC_VAR_ALGEBRAIC && !isfinite(init))
            init = x->type == SYM_COMPARTMENT ? 1.0 : 0.0;
        if (tc_model_add_variable(s->model, x->id, x->kind, init, NULL, o) != 0)
            return fail_model(s);
    }
    return 0;
}

/* The species' initial value from its attributes when no initial assignment sets it. */
static int species_initial(tc_sbml_sim *s, sym *x)
{
    const tc_sbml_species *sp = x->obj;
    if (x->ia || x->assign)
        return 0;
    tc_origin o = origin(s, x->line, x->id);
    tc_expr *e = NULL;
    const char *target = x->amount_path ? x->amount_name : x->id;
    bool want_amount = x->amount_path || x->hosu;
    if (want_amount && !sp->initial_amount.set && sp->initial_concentration.set)
        e = binary(TC_EXPR_TIMES, tc_expr_number(sp->initial_concentration.v), size_of(s, x));
    else if (!want_amount && !sp->initial_concentration.set && sp->initial_amount.set)
        e = binary(TC_EXPR_DIVIDE, tc_expr_number(sp->initial_amount.v), size_of(s, x));
    if (!e)
        return 0;
    if (tc_model_add_initial_assignment(s->model, target, e, o) != 0)
        return fail_model(s);
    return 0;
}

/* ---- fast reactions ---- */

/* The value of a tree of numbers, signs, sums and products, or false. */
static bool numeric(const tc_expr *e, double *v)
{
    double a, acc;
    switch (e->op) {
    case TC_EXPR_NUMBER:
        *v = e->value;
        return true;
    case TC_EXPR_MINUS:
        if (e->nargs == 1 && numeric(e->args[0], &a)) {
            *v = -a;
            return true;
        }
        return false;
    case TC_EXPR_PLUS:
    case TC_EXPR_TIMES:
        acc = e->op == TC_EXPR_PLUS ? 0 : 1;
        for (size_t i = 0; i < e->nargs; i++) {
            if (!numeric(e->args[i], &a))
                return false;
            acc = e->op == TC_EXPR_PLUS ? acc + a : acc * a;
        }
        *v = acc;
        return true;
    default:
        return false;
    }
}

/* A stoichiometry or conversion factor that cannot change: its number. */
static bool fixed_value(const tc_sbml_sim *s, const char *id, double *v)
{
    long k = find_sym(s, id);
    const sym *x = k >= 0 ? &s->syms[k] : NULL;
    if (!x || !x->constant || x->ia || x->assign || x->rate || x->event_assigned)
        return false;
    if (x->type == SYM_PARAMETER && ((const tc_sbml_parameter *)x->obj)->value.set) {
        *v = ((const tc_sbml_parameter *)x->obj)->value.v;
        return true;
    }
    if (x->type == SYM_SREF) {
        const tc_sbml_speciesref *r = x->obj;
        *v = r->stoichiometry.set ? r->stoichiometry.v : 1.0;
        return true;
    }
    return false;
}

/* What one species reference of a fast reaction adds to N: the signed stoichiometry
 * times the species' conversion factor. */
static tc_expr *fast_term(const tc_sbml_sim *s, const tc_sbml_model *m,
                          const tc_sbml_speciesref *ref, bool product, const sym *x)
{
    tc_expr *st;
    double v;
    if (!ref->stoichiometry_math.expr && ref->b.id && fixed_value(s, ref->b.id, &v))
        st = tc_expr_number(product ? v : -v);
    else
        st = stoichiometry(s, ref, product);
    const tc_sbml_species *sp = x->obj;
    const char *cf = sp->conversion_factor ? sp->conversion_factor : m->conversion_factor;
    if (!cf)
        return st;
    return binary(TC_EXPR_TIMES, st, fixed_value(s, cf, &v) ? tc_expr_number(v) : sym_expr(cf));
}

/* The fast subsystem: its species, reactions and stoichiometry. */
static int fast_setup(tc_sbml_sim *s, const tc_sbml_model *m)
{
    fast_sub *f = &s->fast;
    size_t cap = 0, capr = 0;
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        if (!flag(r->fast, false))
            continue;
        bool any = false;
        for (int list = 0; list < 2; list++) {
            const tc_sbml_speciesref *refs = list ? r->products : r->reactants;
            size_t n = list ? r->nproducts : r->nreactants;
            for (size_t j = 0; j < n; j++) {
                long k = find_sym(s, refs[j].species);
                if (k < 0 || !s->syms[k].reacting)
                    continue;
                any = true;
                if (s->syms[k].fast)
                    continue;
                s->syms[k].fast = true;
                s->syms[k].fast_index = (long)f->nspecies;
                TC_GROW(f->species, cap, f->nspecies + 1);
                f->species[f->nspecies++] = k;
            }
        }
        if (!any)
            continue; /* it changes nothing that is integrated */
        for (size_t k = 0; k < s->nsyms; k++)
            if (s->syms[k].type == SYM_REACTION && s->syms[k].obj == r) {
                TC_GROW(f->reactions, capr, f->nreactions + 1);
                f->reactions[f->nreactions++] = (long)k;
            }
    }
    size_t ns = f->nspecies, nr = f->nreactions;
    for (size_t i = 0; i < ns; i++) {
        const sym *x = &s->syms[f->species[i]];
        if (!x->hosu && !fixed_size(s, x))
            return tc_error_set(TC_EUSAGE, "%s:%ld: not supported: species '%s' in a fast "
                                "reaction, in a compartment whose size changes",
                                s->file, x->line, x->id);
    }
    if (!nr)
        return 0;
    f->N = tc_xcalloc(ns * nr, sizeof(*f->N));
    f->names = tc_xcalloc(ns * nr, sizeof(*f->names));
    f->values = tc_xcalloc(ns * nr, sizeof(*f->values));
    for (size_t j = 0; j < nr; j++) {
        const sym *rs = &s->syms[f->reactions[j]];
        const tc_sbml_reaction *r = rs->obj;
        tc_expr **sum = tc_xcalloc(ns, sizeof(*sum));
        for (int list = 0; list < 2; list++) {
            const tc_sbml_speciesref *refs = list ? r->products : r->reactants;
            size_t n = list ? r->nproducts : r->nreactants;
            for (size_t q = 0; q < n; q++) {
                long k = find_sym(s, refs[q].species);
                if (k < 0 || !s->syms[k].fast)
                    continue;
                size_t row = (size_t)s->syms[k].fast_index;
                tc_expr *t = fast_term(s, m, &refs[q], list == 1, &s->syms[k]);
                if (!sum[row])
                    sum[row] = tc_expr_add(tc_expr_new(TC_EXPR_PLUS), t);
                else
                    tc_expr_add(sum[row], t);
            }
        }
        for (size_t i = 0; i < ns; i++) {
            double v;
            size_t e = i * nr + j;
            if (!sum[i])
                continue;
            if (numeric(sum[i], &v)) {
                tc_expr_free(sum[i]);
                f->N[e] = v != 0 ? tc_expr_number(v) : NULL;
                continue;
            }
            /* computed (initial assignment, rule, event, stoichiometryMath) */
            f->names[e] = tc_xasprintf("stoichiometry of %s in %s", s->syms[f->species[i]].id,
                                       rs->id);
            f->values[e] = sum[i];
            f->N[e] = sym_expr(f->names[e]);
        }
        free(sum);
    }
    return 0;
}

static char *extent_name(const tc_sbml_sim *s, size_t j)
{
    return tc_xasprintf("%s extent", s->syms[s->fast.reactions[j]].id);
}

static int fast_declare(tc_sbml_sim *s)
{
    const fast_sub *f = &s->fast;
    for (size_t j = 0; j < f->nreactions; j++) {
        const sym *r = &s->syms[f->reactions[j]];
        char *name = extent_name(s, j);
        int rc = tc_model_add_variable(s->model, name, TC_VAR_ALGEBRAIC, 0, NULL,
                                       origin(s, r->line, r->id));
        free(name);
        if (rc != 0)
            return fail_model(s);
    }
    for (size_t e = 0; e < f->nspecies * f->nreactions; e++) {
        if (!f->names[e])
            continue;
        const sym *r = &s->syms[f->reactions[e % f->nreactions]];
        tc_origin o = origin(s, r->line, r->id);
        if (tc_model_add_variable(s->model, f->names[e], TC_VAR_ASSIGNED, NAN, NULL, o) != 0 ||
            tc_model_add_assignment(s->model, f->names[e], tc_expr_copy(f->values[e]), o) != 0)
            return fail_model(s);
    }
    return 0;
}

/* The amount of a fast species: its slow amount plus N times the extents. */
static tc_expr *fast_amount(const tc_sbml_sim *s, const sym *x)
{
    const fast_sub *f = &s->fast;
    tc_expr *e = tc_expr_add(tc_expr_new(TC_EXPR_PLUS), sym_expr(x->amount_name));
    for (size_t j = 0; j < f->nreactions; j++) {
        const tc_expr *n = f->N[(size_t)x->fast_index * f->nreactions + j];
        if (n)
            tc_expr_add(e, binary(TC_EXPR_TIMES, tc_expr_copy(n),
                                  sym_expr_owned(extent_name(s, j))));
    }
    return e;
}

/* The rate of a fast species' slow amount: its slow change (may be NULL), less
 * d N/dt times the extents, so that a stoichiometry changing in time moves no amount
 * by itself. NULL when there is nothing. */
static tc_expr *fast_correction(const tc_sbml_sim *s, const sym *x, tc_expr *change)
{
    const fast_sub *f = &s->fast;
    for (size_t j = 0; j < f->nreactions; j++) {
        size_t e = (size_t)x->fast_index * f->nreactions + j;
        if (!f->names[e])
            continue;
        tc_expr *d = binary(TC_EXPR_TIMES,
                            tc_expr_add(tc_expr_new(TC_EXPR_RATE_OF), sym_expr(f->names[e])),
                            sym_expr_owned(extent_name(s, j)));
        change = change ? binary(TC_EXPR_MINUS, change, d)
                        : tc_expr_add(tc_expr_new(TC_EXPR_MINUS), d);
    }
    return change;
}

/* An event moves what the extents did into the slow amounts and sets the extents to
 * zero, so that the assignments it makes to fast species or to stoichiometries hold
 * from its time on; the equilibrium is then found again from there. */
static int fast_rebase(tc_sbml_sim *s, const tc_sbml_event *ev, size_t index)
{
    const fast_sub *f = &s->fast;
    tc_origin o = origin(s, ev->b.line, ev->b.id);
    for (size_t i = 0; i < f->nspecies; i++) {
        const sym *x = &s->syms[f->species[i]];
        bool assigned = false;
        for (size_t a = 0; a < ev->nassignments; a++)
            assigned = assigned || (ev->assignments[a].math.expr &&
                                    find_sym(s, ev->assignments[a].variable) == f->species[i]);
        if (assigned)
            continue;
        /* 1 times the amount at execution, before the event's assignments */
        tc_expr *amount = sym_expr(x->id);
        if (!x->hosu)
            amount = binary(TC_EXPR_TIMES, amount, size_of(s, x));
        if (tc_model_add_event_assignment_scaled(s->model, index, x->amount_name,
                                                 tc_expr_number(1), amount, o) != 0)
            return fail_model(s);
    }
    for (size_t j = 0; j < f->nreactions; j++) {
        char *name = extent_name(s, j);
        int rc = tc_model_add_event_assignment(s->model, index, name, tc_expr_number(0), o);
        free(name);
        if (rc != 0)
            return fail_model(s);
    }
    return 0;
}

/* Each fast reaction's rate is zero, its extent the unknown. */
static int fast_equations(tc_sbml_sim *s)
{
    const fast_sub *f = &s->fast;
    for (size_t j = 0; j < f->nreactions; j++) {
        const sym *r = &s->syms[f->reactions[j]];
        char *name = extent_name(s, j);
        int rc = tc_model_add_fast(s->model, name, sym_expr(r->id), origin(s, r->line, r->id));
        free(name);
        if (rc != 0)
            return fail_model(s);
    }
    return 0;
}

/* Reaction rates and what they do to each species. */
static int reactions(tc_sbml_sim *s, const tc_sbml_model *m)
{
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        const char *rid = NULL;
        for (size_t k = 0; k < s->nsyms; k++)
            if (s->syms[k].type == SYM_REACTION && s->syms[k].obj == r)
                rid = s->syms[k].id;
        tc_expr *rate = r->kinetic_law ? copy(&r->kinetic_law->math) : NULL;
        if (rate)
            substitute_locals(rate, r->kinetic_law);
        else
            rate = tc_expr_number(0);
        long line = r->kinetic_law ? r->kinetic_law->math.line : r->b.line;
        if (tc_model_add_assignment(s->model, rid, rate, origin(s, line, rid)) != 0)
            return fail_model(s);
        for (int list = 0; list < 2; list++) {
            const tc_sbml_speciesref *refs = list ? r->products : r->reactants;
            size_t n = list ? r->nproducts : r->nreactants;
            for (size_t j = 0; j < n; j++) {
                long k = find_sym(s, refs[j].species);
                if (k < 0 || !s->syms[k].reacting || flag(r->fast, false))
                    continue;
                add_change(&s->syms[k],
                           binary(TC_EXPR_TIMES, stoichiometry(s, &refs[j], list == 1),
                                  sym_expr(rid)));
            }
        }
    }
    const char *model_cf = m->conversion_factor;
    for (size_t i = 0; i < s->nsyms; i++) {
        sym *x = &s->syms[i];
        if (x->type != SYM_SPECIES || !x->reacting)
            continue;
        const tc_sbml_species *sp = x->obj;
        tc_expr *e = x->change;
        x->change = NULL;
        const char *cf = sp->conversion_factor ? sp->conversion_factor : model_cf;
        if (e && cf)
            e = binary(TC_EXPR_TIMES, sym_expr(cf), e);
        if (x->fast)
            e = fast_correction(s, x, e);
        if (!e)
            continue;
        const char *target = x->id;
        if (x->amount_path)
            target = x->amount_name;
        else if (!x->hosu)
            e = binary(TC_EXPR_DIVIDE, e, size_of(s, x));
        if (tc_model_add_rate(s->model, target, e, origin(s, x->line, x->id)) != 0)
            return fail_model(s);
    }
    return 0;
}

static int rules(tc_sbml_sim *s, const tc_sbml_model *m)
{
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *ru = &m->rules[i];
        tc_origin o = origin(s, ru->b.line, ru->b.id ? ru->b.id : ru->variable);
        if (!ru->math.expr)
            continue;
        if (ru->kind == TC_SBML_ALGEBRAIC) {
            if (tc_model_add_algebraic(s->model, copy(&ru->math), o) != 0)
                return fail_model(s);
            continue;
        }
        long k = find_sym(s, ru->variable);
        if (k < 0)
            return tc_error_set(TC_EINVAL, "%s:%ld: the rule's variable '%s' is not defined",
                                s->file, ru->b.line, ru->variable ? ru->variable : "");
        sym *x = &s->syms[k];
        if (ru->kind == TC_SBML_ASSIGNMENT) {
            if (tc_model_add_assignment(s->model, x->id, copy(&ru->math), o) != 0)
                return fail_model(s);
            continue;
        }
        tc_expr *e = copy(&ru->math);
        const char *target = x->id;
        if (x->amount_path) {
            /* d(c V)/dt = dc/dt V + c dV/dt */
            target = x->amount_name;
            const sym *c = &s->syms[x->comp];
            e = binary(TC_EXPR_TIMES, e, sym_expr(c->id));
            if (c->kind != TC_VAR_PARAMETER)
                e = binary(TC_EXPR_PLUS, e,
                           binary(TC_EXPR_TIMES, sym_expr(x->id),
                                  tc_expr_add(tc_expr_new(TC_EXPR_RATE_OF), sym_expr(c->id))));
        }
        if (tc_model_add_rate(s->model, target, e, o) != 0)
            return fail_model(s);
    }
    return 0;
}

static int initial_assignments(tc_sbml_sim *s, const tc_sbml_model *m)
{
    for (size_t i = 0; i < m->ninitial_assignments; i++) {
        const tc_sbml_initial_assignment *ia = &m->initial_assignments[i];
        long k = find_sym(s, ia->symbol);
        if (k < 0)
            return tc_error_set(TC_EINVAL, "%s:%ld: the initial assignment's symbol '%s' is "
                                "not defined", s->file, ia->b.line, ia->symbol ? ia->symbol : "");
        if (!ia->math.expr)
            continue;
        sym *x = &s->syms[k];
        if (x->assign)
            continue; /* the rule holds from the start (sbml:10304 forbids both) */
        tc_expr *e = copy(&ia->math);
        const char *target = x->id;
        if (x->amount_path) {
            target = x->amount_name;
            if (!x->hosu)
                e = binary(TC_EXPR_TIMES, e, size_of(s, x));
        }
        if (tc_model_add_initial_assignment(s->model, target, e,
                                            origin(s, ia->b.line, ia->symbol)) != 0)
            return fail_model(s);
    }
    for (size_t i = 0; i < s->nsyms; i++)
        if (s->syms[i].type == SYM_SPECIES && species_initial(s, &s->syms[i]) != 0)
            return -1;
    return 0;
}

static int events(tc_sbml_sim *s, const tc_sbml_model *m)
{
    bool l3 = s->level >= 3;
    for (size_t i = 0; i < m->nevents; i++) {
        const tc_sbml_event *ev = &m->events[i];
        if (!ev->trigger || !ev->trigger->math.expr)
            continue; /* never fires */
        /* Level 2: a pending event always executes, a trigger true at the start does
         * not fire, values are from the trigger time unless said otherwise */
        tc_event_spec spec = {
            .id = ev->b.id,
            .trigger = copy(&ev->trigger->math),
            .delay = ev->delay ? copy(&ev->delay->math) : NULL,
            .priority = ev->priority ? copy(&ev->priority->math) : NULL,
            .persistent = l3 ? flag(ev->trigger->persistent, true) : true,
            .initial_value = l3 ? flag(ev->trigger->initial_value, true) : true,
            .use_values_from_trigger_time = flag(ev->use_values_from_trigger_time, true),
        };
        size_t index;
        if (tc_model_add_event(s->model, &spec, origin(s, ev->b.line, ev->b.id), &index) != 0)
            return fail_model(s);
        for (size_t j = 0; j < ev->nassignments; j++) {
            const tc_sbml_event_assignment *a = &ev->assignments[j];
            long k = find_sym(s, a->variable);
            if (k < 0)
                return tc_error_set(TC_EINVAL, "%s:%ld: the event assignment's variable '%s' "
                                    "is not defined", s->file, a->b.line,
                                    a->variable ? a->variable : "");
            if (!a->math.expr)
                continue; /* Level 3 Version 2: no math, no change */
            sym *x = &s->syms[k];
            tc_expr *e = copy(&a->math), *factor = NULL;
            const char *target = x->id;
            if (x->amount_path) {
                /* the new concentration times the size when the event executes, before
                 * its assignments (also when the same event changes the size, and when
                 * the concentration was computed at the trigger time) */
                target = x->amount_name;
                factor = x->hosu ? NULL : size_of(s, x);
            }
            if (tc_model_add_event_assignment_scaled(s->model, index, target, e, factor,
                                                     origin(s, a->b.line, a->variable)) != 0)
                return fail_model(s);
        }
        if (fast_rebase(s, ev, index) != 0)
            return -1;
    }
    return 0;
}

/* Amount-path species: the symbol is the concentration (or, for a fast species with
 * only substance units, the amount). */
static int concentrations(tc_sbml_sim *s)
{
    for (size_t i = 0; i < s->nsyms; i++) {
        sym *x = &s->syms[i];
        if (!x->amount_path)
            continue;
        tc_expr *e = x->fast ? fast_amount(s, x) : sym_expr(x->amount_name);
        if (!x->hosu)
            e = binary(TC_EXPR_DIVIDE, e, size_of(s, x));
        if (tc_model_add_assignment(s->model, x->id, e, origin(s, x->line, x->id)) != 0)
            return fail_model(s);
    }
    return 0;
}

static void sim_free_syms(tc_sbml_sim *s)
{
    for (size_t i = 0; i < s->nsyms; i++) {
        free(s->syms[i].id);
        free(s->syms[i].amount_name);
        tc_expr_free(s->syms[i].change);
    }
    free(s->syms);
}

void tc_sbml_sim_free(tc_sbml_sim *s)
{
    if (!s)
        return;
    size_t nfe = s->fast.nspecies * s->fast.nreactions;
    for (size_t e = 0; s->fast.N && e < nfe; e++) {
        tc_expr_free(s->fast.N[e]);
        free(s->fast.names[e]);
        tc_expr_free(s->fast.values[e]);
    }
    free(s->fast.species);
    free(s->fast.reactions);
    free(s->fast.N);
    free(s->fast.names);
    free(s->fast.values);
    tc_model_free(s->model);
    sim_free_syms(s);
    free(s->file);
    free(s);
}

int tc_sbml_sim_new(tc_sbml_sim **out, const tc_sbml_doc *doc)
{
    *out = NULL;
    const tc_sbml_model *m = doc ? doc->model : NULL;
    if (!m)
        return tc_error_set(TC_EINVAL, "%s: the document has no model",
                            doc && doc->file ? doc->file : "SBML");
    for (size_t i = 0; i < doc->npackages; i++)
        if (strcmp(doc->packages[i], "comp") == 0)
            return tc_error_set(TC_EUSAGE, "%s: not supported: comp (a composed model is "
                                "simulated once flattened, with tc_sbml_flatten)", doc->file);
    if (doc->level == 1)
        for (size_t i = 0; i < m->nreactions; i++)
            if (m->reactions[i].kinetic_law && !m->reactions[i].kinetic_law->math.expr)
                return tc_error_set(TC_EUSAGE, "%s: not supported: Level 1 text formulas",
                                    doc->file);
    tc_sbml_sim *s = tc_xcalloc(1, sizeof(*s));
    s->model = tc_model_new();
    s->file = tc_xstrdup(doc->file ? doc->file : "SBML");
    s->level = doc->level;
    collect(s, m);
    int rc = fast_setup(s, m);
    if (rc == 0)
        rc = match_algebraic(s, m);
    if (rc == 0)
        rc = declare(s);
    if (rc == 0)
        rc = fast_declare(s);
    for (size_t i = 0; rc == 0 && i < m->nfunctions; i++) {
        const tc_sbml_function *f = &m->functions[i];
        if (!f->b.id || !f->math.expr)
            continue;
        if (tc_model_add_function(s->model, f->b.id, copy(&f->math),
                                  origin(s, f->b.line, f->b.id)) != 0)
            rc = fail_model(s);
    }
    if (rc == 0)
        rc = reactions(s, m);
    if (rc == 0)
        rc = rules(s, m);
    if (rc == 0)
        rc = fast_equations(s);
    if (rc == 0)
        rc = concentrations(s);
    if (rc == 0)
        rc = initial_assignments(s, m);
    if (rc == 0)
        rc = events(s, m);
    if (rc != 0) {
        tc_sbml_sim_free(s);
        return rc < 0 ? rc : TC_EINVAL;
    }
    *out = s;
    return 0;
}

const tc_model *tc_sbml_sim_model(const tc_sbml_sim *s)
{
    return s->model;
}

size_t tc_sbml_sim_species(const tc_sbml_sim *s, const char ***ids)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nsyms; i++)
        n += s->syms[i].type == SYM_SPECIES;
    *ids = tc_xcalloc(n ? n : 1, sizeof(**ids));
    n = 0;
    for (size_t i = 0; i < s->nsyms; i++)
        if (s->syms[i].type == SYM_SPECIES)
            (*ids)[n++] = s->syms[i].id;
    return n;
}

int tc_sbml_sim_output(const tc_sbml_sim *s, const char *id, tc_sbml_form form,
                       tc_sbml_output *out)
{
    memset(out, 0, sizeof(*out));
    long k = find_sym(s, id);
    if (k < 0)
        return tc_error_set(TC_ENOTFOUND, "'%s' is no compartment, species, parameter, species "
                            "reference or reaction of the model", id);
    const sym *x = &s->syms[k];
    out->var = x->id;
    if (x->type != SYM_SPECIES || form == TC_SBML_NATURAL)
        return 0;
    bool amount = form == TC_SBML_AMOUNT;
    if (amount == x->hosu)
        return 0;
    if (amount && x->amount_path && !x->fast) {
        out->var = x->amount_name;
        return 0;
    }
    out->size = x->comp >= 0 ? s->syms[x->comp].id : NULL;
    out->divide = !amount;
    return 0;
}

double tc_sbml_output_value(const tc_sbml_output *o, const tc_sim_result *r, size_t row)
{
    long c = tc_sim_result_column(r, o->var);
    double v = c >= 0 ? tc_sim_result_value(r, row, (size_t)c) : NAN;
    if (!o->size)
        return v;
    long cs = tc_sim_result_column(r, o->size);
    double size = cs >= 0 ? tc_sim_result_value(r, row, (size_t)cs) : NAN;
    return o->divide ? v / size : v * size;
}
