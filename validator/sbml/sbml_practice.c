/* Modelling practice (libSBML's sbml:8xxxx warnings) and over-determined models
 * (sbml:10601), which is found as a maximum matching between equations and the
 * variables they can determine. */
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

/* Is `id` given a value by an initial assignment or a rule? */
static bool assigned(const sbml_ctx *c, const char *id)
{
    const size_t *v;
    if (!id)
        return false;
    if (sbml_multi_get(&c->ix.initial, id, &v))
        return true;
    return sbml_rule_for(c, id, TC_SBML_ASSIGNMENT) || sbml_rule_for(c, id, TC_SBML_RATE);
}

static void check_values(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    for (size_t i = 0; i < m->ncompartments && c->doc->level >= 2; i++) {
        const tc_sbml_compartment *x = &m->compartments[i];
        bool zero = x->spatial_dimensions.set && x->spatial_dimensions.v == 0;
        if (!x->size.set && !zero && !assigned(c, x->b.id))
            sbml_report(&c->out, "sbml:80501", x->b.line,
                        "compartment \"%s\" has no size and nothing assigns one",
                        x->b.id ? x->b.id : "");
    }
    for (size_t i = 0; i < m->nspecies && c->doc->level >= 2; i++) {
        const tc_sbml_species *s = &m->species[i];
        if (!s->initial_amount.set && !s->initial_concentration.set && !assigned(c, s->b.id))
            sbml_report(&c->out, "sbml:80601", s->b.line,
                        "species \"%s\" has no initial amount or concentration and nothing "
                        "assigns one",
                        s->b.id ? s->b.id : "");
    }
    for (size_t i = 0; i < m->nparameters; i++) {
        const tc_sbml_parameter *p = &m->parameters[i];
        /* Level 3 made this a rule of its own (20702); before, libSBML's practice check */
        if (!p->units)
            sbml_report(&c->out, c->doc->level >= 3 ? "sbml:20702" : "sbml:80701", p->b.line,
                        "parameter \"%s\" has no units; declaring them lets its use be checked",
                        p->b.id ? p->b.id : "");
        if (!p->value.set && !assigned(c, p->b.id))
            sbml_report(&c->out, "sbml:80702", p->b.line,
                        "parameter \"%s\" has no value and nothing assigns one",
                        p->b.id ? p->b.id : "");
    }
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_kinetic_law *k = m->reactions[i].kinetic_law;
        for (size_t j = 0; k && j < k->nparameters; j++) {
            const tc_sbml_parameter *p = &k->parameters[j];
            const char *rid = m->reactions[i].b.id ? m->reactions[i].b.id : "";
            if (!p->units)
                sbml_report(&c->out, "sbml:80701", p->b.line,
                            "local parameter \"%s\" of reaction \"%s\" has no units; declaring "
                            "them lets its use be checked",
                            p->b.id ? p->b.id : "", rid);
            if (!p->value.set)
                sbml_report(&c->out, "sbml:80702", p->b.line,
                            "local parameter \"%s\" of reaction \"%s\" has no value",
                            p->b.id ? p->b.id : "", rid);
            /* any id of the model: a species, a reaction, a function definition, ... */
            const sbml_sym *s = sbml_syms_find(&c->syms, p->b.id);
            if (s)
                sbml_report(&c->out, "sbml:81121", p->b.line,
                            "local parameter \"%s\" of reaction \"%s\" hides the model's %s "
                            "\"%s\" inside its kinetic law",
                            p->b.id, rid, sbml_kind_name(s->kind, "component"), p->b.id);
        }
    }
}

/* ---- over-determination: equations x variables, augmenting paths ---- */
typedef struct bip {
    size_t neq, nvar;
    size_t **adj; /* per equation: variable indices */
    size_t *nadj, *capadj;
    long *eq_line;
    long *match_var; /* variable -> equation, -1 free */
    size_t *seen;    /* variable -> 1 + the equation whose search last reached it */
    size_t stamp;
} bip;

static void add_edge(bip *g, size_t eq, size_t var)
{
    TC_GROW(g->adj[eq], g->capadj[eq], g->nadj[eq] + 1);
    g->adj[eq][g->nadj[eq]++] = var;
}

static bool augment(bip *g, size_t eq, int depth)
{
    if (depth > 100000)
        return false;
    for (size_t i = 0; i < g->nadj[eq]; i++) {
        size_t v = g->adj[eq][i];
        if (g->seen[v] == g->stamp)
            continue;
        g->seen[v] = g->stamp;
        if (g->match_var[v] < 0 || augment(g, (size_t)g->match_var[v], depth + 1)) {
            g->match_var[v] = (long)eq;
            return true;
        }
    }
    return false;
}

typedef struct vars {
    const char **ids;
    size_t len, cap;
    sbml_map index; /* id -> its first position */
} vars;

static void add_var(vars *v, const char *id)
{
    TC_GROW(v->ids, v->cap, v->len + 1);
    sbml_map_put(&v->index, id, v->len, NULL);
    v->ids[v->len++] = id;
}

static long var_index(const vars *v, const char *id)
{
    size_t i;
    return sbml_map_get(&v->index, id, &i) ? (long)i : -1;
}

static void collect_symbols(const tc_expr *e, const vars *v, bip *g, size_t eq, int depth)
{
    if (!e || depth > 1000)
        return;
    if (e->op == TC_EXPR_SYMBOL) {
        long k = var_index(v, e->name);
        if (k >= 0)
            add_edge(g, eq, (size_t)k);
    }
    for (size_t i = 0; i < e->nargs; i++)
        collect_symbols(e->args[i], v, g, eq, depth + 1);
}

static void check_overdetermined(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    vars v = {0};
    /* variables: everything not constant */
    for (size_t i = 0; i < m->ncompartments; i++)
        if (m->compartments[i].constant != 1 && m->compartments[i].b.id &&
            !(c->doc->level == 2 && m->compartments[i].constant < 0)) {
            add_var(&v, m->compartments[i].b.id);
        }
    for (size_t i = 0; i < m->nspecies; i++)
        if (m->species[i].constant != 1 && m->species[i].b.id) {
            add_var(&v, m->species[i].b.id);
        }
    for (size_t i = 0; i < m->nparameters; i++)
        if (m->parameters[i].constant != 1 && m->parameters[i].b.id &&
            !(c->doc->level == 2 && m->parameters[i].constant < 0)) {
            add_var(&v, m->parameters[i].b.id);
        }
    for (size_t i = 0; i < m->nreactions; i++)
        for (size_t j = 0; j < m->reactions[i].nreactants + m->reactions[i].nproducts; j++) {
            const tc_sbml_reaction *r = &m->reactions[i];
            const tc_sbml_speciesref *s =
                j < r->nreactants ? &r->reactants[j] : &r->products[j - r->nreactants];
            if (c->doc->level >= 3 && s->b.id && s->constant != 1) {
                add_var(&v, s->b.id);
            }
        }
    bip g = {0};
    size_t maxeq = m->nrules + m->nspecies + 1;
    g.adj = tc_xcalloc(maxeq, sizeof(*g.adj));
    g.nadj = tc_xcalloc(maxeq, sizeof(*g.nadj));
    g.capadj = tc_xcalloc(maxeq, sizeof(*g.capadj));
    g.eq_line = tc_xcalloc(maxeq, sizeof(*g.eq_line));
    /* for the message: the rule, or the species whose rate the reactions give */
    const void **eq_node = tc_xcalloc(maxeq, sizeof(*eq_node));
    const char **eq_species = tc_xcalloc(maxeq, sizeof(*eq_species));
    g.nvar = v.len;
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *r = &m->rules[i];
        if (r->kind == TC_SBML_ALGEBRAIC && !r->math.expr)
            continue; /* nothing to match it with (or a Level 1 formula) */
        size_t eq = g.neq++;
        g.eq_line[eq] = r->b.line;
        eq_node[eq] = r->b.node;
        if (r->kind == TC_SBML_ALGEBRAIC) {
            collect_symbols(r->math.expr, &v, &g, eq, 0);
        } else {
            long k = var_index(&v, r->variable);
            if (k >= 0)
                add_edge(&g, eq, (size_t)k);
        }
    }
    /* species changed by reactions have a rate equation of their own */
    for (size_t i = 0; i < m->nspecies; i++) {
        const tc_sbml_species *s = &m->species[i];
        if (s->boundary_condition == 1 || s->constant == 1 || !s->b.id)
            continue;
        if (!sbml_is_participant(c, s->b.id))
            continue;
        size_t eq = g.neq++;
        g.eq_line[eq] = s->b.line;
        eq_species[eq] = s->b.id;
        long k = var_index(&v, s->b.id);
        if (k >= 0)
            add_edge(&g, eq, (size_t)k);
    }
    g.match_var = tc_xmalloc((v.len ? v.len : 1) * sizeof(*g.match_var));
    g.seen = tc_xcalloc(v.len ? v.len : 1, sizeof(*g.seen));
    for (size_t i = 0; i < v.len; i++)
        g.match_var[i] = -1;
    for (size_t eq = 0; eq < g.neq; eq++) {
        g.stamp = eq + 1;
        if (!augment(&g, eq, 0)) {
            char what[SBML_DESCRIBE_MAX];
            if (eq_node[eq])
                sbml_describe(what, sizeof(what), eq_node[eq]);
            else
                snprintf(what, sizeof(what),
                         "the rate equation that reactions give species \"%.64s\"", eq_species[eq]);
            sbml_report(&c->out, "sbml:10601", g.eq_line[eq],
                        "the model is over-determined: %s has no variable left to determine; "
                        "each equation must determine a variable that no other one does",
                        what);
            break;
        }
    }
    for (size_t i = 0; i < maxeq; i++)
        free(g.adj[i]);
    free(g.adj);
    free(g.nadj);
    free(g.capadj);
    free(g.eq_line);
    free(eq_node);
    free(eq_species);
    free(g.match_var);
    free(g.seen);
    free(v.ids);
    sbml_map_free(&v.index);
}

void sbml_check_practice(sbml_ctx *c)
{
    check_values(c);
    check_overdetermined(c);
}
