/* General consistency (sbml:202xx-212xx): references between components resolve to
 * the right kind of object, constant things are not changed, a quantity is not set
 * twice, no circular definitions, and the per-level restrictions on species,
 * compartments, reactions and events. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

static const char *idn(const tc_sbml_base *b)
{
    return b->id ? b->id : "";
}

static bool is_kind(const sbml_ctx *c, const char *id, sbml_kind k)
{
    const sbml_sym *s = sbml_syms_find(&c->syms, id);
    for (; s && s < c->syms.items + c->syms.len && strcmp(s->id, id) == 0; s++)
        if (s->kind == k)
            return true;
    return false;
}

/* A variable that rules, initial and event assignments may set. */
static bool settable(const sbml_ctx *c, const char *id)
{
    if (is_kind(c, id, SBML_COMPARTMENT) || is_kind(c, id, SBML_SPECIES) ||
        is_kind(c, id, SBML_PARAMETER))
        return true;
    return c->doc->level >= 3 && is_kind(c, id, SBML_SPECIESREF);
}

/* constant="true"? (-1 unknown) */
static int constant_of(const sbml_ctx *c, const char *id)
{
    const sbml_sym *s = sbml_syms_find(&c->syms, id);
    if (!s)
        return -1;
    int l = c->doc->level;
    switch (s->kind) {
    case SBML_COMPARTMENT: {
        tc_sbml_bool k = ((const tc_sbml_compartment *)s->obj)->constant;
        return k < 0 ? (l == 2 ? 1 : -1) : k;
    }
    case SBML_SPECIES: {
        tc_sbml_bool k = ((const tc_sbml_species *)s->obj)->constant;
        return k < 0 ? (l == 2 ? 0 : -1) : k;
    }
    case SBML_PARAMETER: {
        tc_sbml_bool k = ((const tc_sbml_parameter *)s->obj)->constant;
        return k < 0 ? (l == 2 ? 1 : -1) : k;
    }
    case SBML_SPECIESREF: {
        tc_sbml_bool k = ((const tc_sbml_speciesref *)s->obj)->constant;
        return k;
    }
    default:
        return -1;
    }
}

static void check_model(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    if (m->nspecies && !m->ncompartments)
        sbml_report(&c->out, "sbml:20204", m->species[0].b.line,
                    "the model defines species but no compartment");
    if (m->conversion_factor && !is_kind(c, m->conversion_factor, SBML_PARAMETER))
        sbml_report(&c->out, "sbml:20216", m->b.line,
                    "the model's conversionFactor \"%s\" is not the id of a parameter",
                    m->conversion_factor);
    if (m->conversion_factor && constant_of(c, m->conversion_factor) == 0)
        sbml_report(&c->out, "sbml:20705", m->b.line,
                    "the model's conversionFactor \"%s\" must be a constant parameter",
                    m->conversion_factor);
}

/* "compartment", "species", ... for the id of a model variable, for messages. */
static const char *kind_word(const sbml_ctx *c, const char *id)
{
    const sbml_sym *s = sbml_syms_find(&c->syms, id);
    return sbml_kind_name(s ? s->kind : SBML_NONE, "variable");
}


/* Follow the outside attributes from x: a cycle brings us back to x. Reported once, at
 * the member that comes first in the document, naming the whole cycle. */
static void report_outside_cycle(sbml_ctx *c, const tc_sbml_compartment *x)
{
    const tc_sbml_model *m = c->m;
    const tc_sbml_compartment *p = sbml_compartment(c, x->outside);
    size_t step = 0;
    for (; p && p != x && step <= m->ncompartments; step++) {
        if (p < x) /* an earlier member reports it */
            return;
        p = p->outside ? sbml_compartment(c, p->outside) : NULL;
    }
    if (p != x)
        return;
    if (step == 0) {
        sbml_report(&c->out, "sbml:20505", x->b.line,
                    "compartment \"%s\" names itself as its outside; the outside attributes "
                    "may not form a cycle",
                    idn(&x->b));
        return;
    }
    tc_buf b = TC_BUF_INIT;
    tc_buf_printf(&b, "\"%s\"", idn(&x->b));
    p = x;
    for (size_t k = 0; k <= step && k < 8; k++) {
        p = sbml_compartment(c, p->outside);
        tc_buf_printf(&b, " inside \"%s\"", idn(&p->b));
    }
    if (step >= 8)
        tc_buf_puts(&b, " ...");
    sbml_report(&c->out, "sbml:20505", x->b.line,
                "compartment \"%s\" encloses itself (%s): the outside attributes may not form a "
                "cycle",
                idn(&x->b), b.data);
    tc_buf_release(&b);
}

static void check_compartments(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    for (size_t i = 0; i < m->ncompartments; i++) {
        const tc_sbml_compartment *x = &m->compartments[i];
        bool zero = x->spatial_dimensions.set && x->spatial_dimensions.v == 0;
        if (c->doc->level < 3 && zero) {
            if (x->size.set)
                sbml_report(&c->out, "sbml:20501", x->b.line,
                            "compartment \"%s\" has zero dimensions and so cannot have a size",
                            idn(&x->b));
            if (x->units)
                sbml_report(&c->out, "sbml:20502", x->b.line,
                            "compartment \"%s\" has zero dimensions and so cannot have units",
                            idn(&x->b));
            if (x->constant == 0)
                sbml_report(&c->out, "sbml:20503", x->b.line,
                            "compartment \"%s\" has zero dimensions and must be constant",
                            idn(&x->b));
        }
        if (x->outside) {
            const tc_sbml_compartment *o = sbml_compartment(c, x->outside);
            if (!o) {
                sbml_report(&c->out, "sbml:20504", x->b.line,
                            "the outside of compartment \"%s\" is \"%s\", which is no compartment",
                            idn(&x->b), x->outside);
            } else {
                bool ozero = o->spatial_dimensions.set && o->spatial_dimensions.v == 0;
                if (ozero && !zero)
                    sbml_report(&c->out, "sbml:20506", x->b.line,
                                "compartment \"%s\" is inside \"%s\", which has zero dimensions",
                                idn(&x->b), x->outside);
                /* and the other way round, as the suite and libSBML read the rule: a
                 * zero-dimensional compartment only sits inside another such */
                else if (zero && o->spatial_dimensions.set && !ozero)
                    sbml_report(&c->out, "sbml:20506", x->b.line,
                                "compartment \"%s\" has zero dimensions but is inside \"%s\", "
                                "which has %g",
                                idn(&x->b), x->outside, o->spatial_dimensions.v);
                report_outside_cycle(c, x);
            }
        }
        if (x->compartment_type && c->doc->level == 2) {
            bool found = false;
            const xmlNode *model = c->m->b.node;
            for (const xmlNode *l = model->children; l && !found; l = l->next)
                if (l->type == XML_ELEMENT_NODE &&
                    strcmp((const char *)l->name, "listOfCompartmentTypes") == 0)
                    for (const xmlNode *t = l->children; t && !found; t = t->next) {
                        char *id = t->type == XML_ELEMENT_NODE ? sbml_attr(t, "id") : NULL;
                        found = id && strcmp(id, x->compartment_type) == 0;
                        free(id);
                    }
            if (!found)
                sbml_report(&c->out, "sbml:20510", x->b.line,
                            "compartmentType \"%s\" of compartment \"%s\" is not defined",
                            x->compartment_type, idn(&x->b));
        }
    }
}

static bool species_type_exists(const sbml_ctx *c, const char *id)
{
    const xmlNode *model = c->m->b.node;
    for (const xmlNode *l = model->children; l; l = l->next)
        if (l->type == XML_ELEMENT_NODE && strcmp((const char *)l->name, "listOfSpeciesTypes") == 0)
            for (const xmlNode *t = l->children; t; t = t->next) {
                char *tid = t->type == XML_ELEMENT_NODE ? sbml_attr(t, "id") : NULL;
                bool eq = tid && strcmp(tid, id) == 0;
                free(tid);
                if (eq)
                    return true;
            }
    return false;
}

static void check_species(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    int l = c->doc->level, v = c->doc->version;
    sbml_map pairs = {0}; /* species type and compartment -> first species */
    char **keys = NULL;
    size_t nkeys = 0, nkeys_cap = 0;
    for (size_t i = 0; i < m->nspecies; i++) {
        const tc_sbml_species *s = &m->species[i];
        const tc_sbml_compartment *x = s->compartment ? sbml_compartment(c, s->compartment) : NULL;
        if (!s->compartment) {
            if (l >= 2)
                sbml_report(&c->out, "sbml:20614", s->b.line,
                            "species \"%s\" names no compartment; every species must give the "
                            "compartment it is in",
                            idn(&s->b));
        } else if (!x) {
            sbml_report(&c->out, "sbml:20601", s->b.line,
                        "the compartment \"%s\" of species \"%s\" does not exist", s->compartment,
                        idn(&s->b));
        }
        if (l >= 3 && !s->substance_units && !m->substance_units)
            sbml_report(&c->out, "sbml:20616", s->b.line,
                        "the substance units of species \"%s\" are undefined: neither the "
                        "species nor the model sets substanceUnits",
                        idn(&s->b));
        bool zero = x && x->spatial_dimensions.set && x->spatial_dimensions.v == 0;
        if (l == 2 && v <= 2 && s->spatial_size_units) {
            if (s->has_only_substance_units == 1)
                sbml_report(&c->out, "sbml:20602", s->b.line,
                            "species \"%s\" has only substance units and so cannot have "
                            "spatialSizeUnits",
                            idn(&s->b));
            if (zero)
                sbml_report(&c->out, "sbml:20603", s->b.line,
                            "species \"%s\" is in a zero-dimensional compartment and so cannot "
                            "have spatialSizeUnits",
                            idn(&s->b));
        }
        if (l == 2 && v >= 3 && s->spatial_size_units)
            sbml_report(&c->out, "sbml:20615", s->b.line,
                        "species \"%s\" has spatialSizeUnits, which SBML Level 2 Version %d "
                        "removed",
                        idn(&s->b), v);
        if (zero && s->initial_concentration.set && l < 3)
            sbml_report(&c->out, "sbml:20604", s->b.line,
                        "species \"%s\" is in a zero-dimensional compartment and so cannot have "
                        "an initial concentration",
                        idn(&s->b));
        if (s->initial_amount.set && s->initial_concentration.set)
            sbml_report(&c->out, "sbml:20609", s->b.line,
                        "species \"%s\" sets both initialAmount and initialConcentration",
                        idn(&s->b));
        bool boundary = s->boundary_condition == 1;
        bool constant = s->constant == 1;
        if (!boundary && !constant && s->b.id && sbml_is_participant(c, s->b.id) &&
            (sbml_rule_for(c, s->b.id, TC_SBML_ASSIGNMENT) ||
             sbml_rule_for(c, s->b.id, TC_SBML_RATE)))
            sbml_report(&c->out, "sbml:20610", s->b.line,
                        "species \"%s\" is changed both by reactions and by a rule; make it a "
                        "boundary species or drop one",
                        idn(&s->b));
        if (!boundary && constant && s->b.id && sbml_is_participant(c, s->b.id))
            sbml_report(&c->out, "sbml:20611", s->b.line,
                        "species \"%s\" is constant and not a boundary species, so it cannot be "
                        "a reactant or product",
                        idn(&s->b));
        if (s->species_type && l == 2 && !species_type_exists(c, s->species_type))
            sbml_report(&c->out, "sbml:20612", s->b.line,
                        "speciesType \"%s\" of species \"%s\" is not defined", s->species_type,
                        idn(&s->b));
        if (s->species_type && l == 2 && s->compartment) {
            /* the pair as one key (neither part is an SId with a control character) */
            size_t n = strlen(s->species_type) + strlen(s->compartment) + 2, j;
            char *key = tc_xmalloc(n);
            snprintf(key, n, "%s\x1f%s", s->species_type, s->compartment);
            if (!sbml_map_put(&pairs, key, i, &j)) {
                sbml_report(&c->out, "sbml:20613", s->b.line,
                            "species \"%s\" and \"%s\" have the same species type in the "
                            "same compartment",
                            idn(&m->species[j].b), idn(&s->b));
                free(key);
            } else {
                TC_GROW(keys, nkeys_cap, nkeys + 1);
                keys[nkeys++] = key;
            }
        }
        if (s->conversion_factor) {
            if (!is_kind(c, s->conversion_factor, SBML_PARAMETER))
                sbml_report(&c->out, "sbml:20617", s->b.line,
                            "the conversionFactor \"%s\" of species \"%s\" is not a parameter",
                            s->conversion_factor, idn(&s->b));
            else if (constant_of(c, s->conversion_factor) == 0)
                sbml_report(&c->out, "sbml:20705", s->b.line,
                            "the conversionFactor \"%s\" of species \"%s\" must be a constant "
                            "parameter",
                            s->conversion_factor, idn(&s->b));
        }
    }
    for (size_t i = 0; i < nkeys; i++)
        free(keys[i]);
    free(keys);
    sbml_map_free(&pairs);
}

/* A compartment of zero dimensions, which Level 2 Version 5 forbids as the target of
 * initial assignments (20806) and rules (20911). */
static bool zero_dimensional(const sbml_ctx *c, const char *id)
{
    if (c->doc->level != 2 || c->doc->version < 5)
        return false;
    const tc_sbml_compartment *x = sbml_compartment(c, id);
    return x && x->spatial_dimensions.set && x->spatial_dimensions.v == 0;
}

static void check_initial_assignments(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    for (size_t i = 0; i < m->ninitial_assignments; i++) {
        const tc_sbml_initial_assignment *a = &m->initial_assignments[i];
        if (!a->symbol)
            continue;
        bool ok = settable(c, a->symbol);
        if (!ok && c->doc->level == 3 && c->doc->version >= 2)
            ok = sbml_syms_find(&c->syms, a->symbol) && !is_kind(c, a->symbol, SBML_FUNCTION) &&
                 !is_kind(c, a->symbol, SBML_EVENT);
        if (!ok)
            sbml_report(&c->out, "sbml:20801", a->b.line,
                        "the symbol \"%s\" of an initial assignment is not the id of a "
                        "compartment, species%s",
                        a->symbol,
                        c->doc->level >= 3 ? ", parameter or species reference" : " or parameter");
        const size_t *same;
        if (sbml_multi_get(&c->ix.initial, a->symbol, &same) && same[0] < i)
            sbml_report(&c->out, "sbml:20802", a->b.line,
                        "\"%s\" has more than one initial assignment", a->symbol);
        if (sbml_rule_for(c, a->symbol, TC_SBML_ASSIGNMENT))
            sbml_report(&c->out, "sbml:20803", a->b.line,
                        "\"%s\" has both an initial assignment and an assignment rule", a->symbol);
        if (zero_dimensional(c, a->symbol))
            sbml_report(&c->out, "sbml:20806", a->b.line,
                        "compartment \"%s\" has zero dimensions and so no size that an initial "
                        "assignment could set",
                        a->symbol);
    }
}

/* The first assignment rule after rule `after` whose variable a math reads, and
 * whether it reads the variable of rule `after` itself. */
typedef struct later_rule {
    const sbml_ctx *c;
    size_t after, first;
    bool self;
} later_rule;

static void find_later(void *ctx, const char *name)
{
    later_rule *w = ctx;
    const size_t *v;
    size_t n = sbml_multi_get(&w->c->ix.rules, name, &v);
    for (size_t i = 0; i < n; i++) {
        if (v[i] == w->after)
            w->self = true;
        if (v[i] > w->after && v[i] < w->first &&
            w->c->m->rules[v[i]].kind == TC_SBML_ASSIGNMENT)
            w->first = v[i];
    }
}

static void check_rules(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *r = &m->rules[i];
        if (r->kind == TC_SBML_ALGEBRAIC || !r->variable)
            continue;
        bool rate = r->kind == TC_SBML_RATE;
        if (!settable(c, r->variable)) {
            sbml_report(&c->out, rate ? "sbml:20902" : "sbml:20901", r->b.line,
                        "the variable \"%s\" of a%s rule is not the id of a compartment, "
                        "species%s parameter%s",
                        r->variable, rate ? " rate" : "n assignment",
                        c->doc->level >= 3 ? "," : " or",
                        c->doc->level >= 3 ? " or species reference" : "");
            continue;
        }
        if (constant_of(c, r->variable) == 1)
            sbml_report(&c->out, rate ? "sbml:20904" : "sbml:20903", r->b.line,
                        "%s \"%s\" is constant and so cannot be the variable of a%s rule; only "
                        "a variable with constant=\"false\" may be",
                        kind_word(c, r->variable), r->variable, rate ? " rate" : "n assignment");
        if (zero_dimensional(c, r->variable))
            sbml_report(&c->out, "sbml:20911", r->b.line,
                        "compartment \"%s\" has zero dimensions and so no size that a%s rule "
                        "could set",
                        r->variable, rate ? " rate" : "n assignment");
    }
    /* Level 1 and Level 2 Version 1 evaluate assignment rules in order: a rule may use
     * neither a value that a later rule assigns nor the value it assigns itself (L1V2
     * section 4.6; libSBML's 99106) */
    if (c->doc->level == 1 || (c->doc->level == 2 && c->doc->version == 1))
        for (size_t i = 0; i < m->nrules; i++) {
            const tc_sbml_rule *r = &m->rules[i];
            if (r->kind != TC_SBML_ASSIGNMENT || !r->math.expr)
                continue;
            later_rule w = {c, i, m->nrules, false};
            sbml_expr_symbols(r->math.expr, find_later, &w);
            if (w.self)
                sbml_report(&c->out, "sbml:99106", r->b.line,
                            "the rule for \"%s\" uses \"%s\" itself; in this level a rule may "
                            "not use the value it assigns",
                            r->variable, r->variable);
            if (w.first < m->nrules)
                sbml_report(&c->out, "sbml:99106", r->b.line,
                            "the rule for \"%s\" uses \"%s\", which a later rule (line %ld) "
                            "assigns; in this level rules must come in order of use",
                            r->variable ? r->variable : "", m->rules[w.first].variable,
                            m->rules[w.first].b.line);
        }
}

/* ---- circular definitions among assignment rules, initial assignments and kinetic
 * laws (sbml:20906), found by depth-first search over "x is defined using y". ---- */
typedef struct dep_node {
    const char *id;
    const tc_expr *math;
    long line;
    int state;                      /* 0 new, 1 on stack, 2 done */
    const tc_sbml_kinetic_law *law; /* its local parameters hide model ids */
    size_t next;                    /* the next node with the same id, or SIZE_MAX */
    size_t last;                    /* in the first node of an id: the last one */
} dep_node;

typedef struct dep_graph {
    dep_node *nodes;
    size_t len;
    sbml_map first; /* id -> its first node */
} dep_graph;

static void add_node(dep_graph *g, dep_node n)
{
    size_t at = g->len, i;
    n.next = SIZE_MAX;
    n.last = at;
    g->nodes[g->len++] = n;
    if (!sbml_map_put(&g->first, n.id, at, &i)) {
        g->nodes[g->nodes[i].last].next = at;
        g->nodes[i].last = at;
    }
}

/* The depth-first search: the nodes on the current path, and the nodes already named in
 * a reported cycle (a second back edge into one of them reports nothing new). */
typedef struct dep_walk {
    sbml_ctx *c;
    dep_graph *g;
    size_t *path, depth;
    bool *reported;
} dep_walk;

/* A back edge from the top of the path to node `to`, which is on the path: the nodes
 * from `to` to the top form a cycle. Reported once, naming its members in order. */
static void report_cycle(dep_walk *w, size_t to)
{
    size_t from = w->depth;
    while (from > 0 && w->path[from - 1] != to)
        from--;
    if (from == 0 || w->reported[to])
        return;
    from--;
    tc_buf b = TC_BUF_INIT;
    for (size_t k = from; k < w->depth && k < from + 8; k++) {
        w->reported[w->path[k]] = true;
        tc_buf_printf(&b, "\"%s\" uses ", w->g->nodes[w->path[k]].id);
    }
    if (w->depth - from > 8)
        tc_buf_printf(&b, "... ");
    tc_buf_printf(&b, "\"%s\"", w->g->nodes[to].id);
    for (size_t k = from + 8; k < w->depth; k++)
        w->reported[w->path[k]] = true;
    sbml_report(&w->c->out, "sbml:20906", w->g->nodes[to].line,
                "the definition of \"%s\" depends on itself (%s): assignment rules, initial "
                "assignments and kinetic laws may not form a cycle",
                w->g->nodes[to].id, b.data);
    tc_buf_release(&b);
}

static void dfs(dep_walk *w, const dep_node *at, const tc_expr *e, int depth);

static void visit(dep_walk *w, size_t at, int depth)
{
    dep_node *n = &w->g->nodes[at];
    if (n->state == 2 || depth > 5000)
        return;
    if (n->state == 1) {
        report_cycle(w, at);
        return;
    }
    n->state = 1;
    w->path[w->depth++] = at;
    dfs(w, n, n->math, depth);
    w->depth--;
    n->state = 2;
}

/* Visit every node that defines `id`. */
static void visit_id(dep_walk *w, const char *id, int depth)
{
    size_t i;
    if (sbml_map_get(&w->g->first, id, &i))
        for (; i != SIZE_MAX; i = w->g->nodes[i].next)
            visit(w, i, depth + 1);
}

static void dfs(dep_walk *w, const dep_node *at, const tc_expr *e, int depth)
{
    if (!e || depth > 5000)
        return;
    if (e->op == TC_EXPR_SYMBOL && e->name) {
        for (size_t i = 0; at->law && i < at->law->nparameters; i++)
            if (at->law->parameters[i].b.id && strcmp(at->law->parameters[i].b.id, e->name) == 0)
                return;
        visit_id(w, e->name, depth);
        /* a concentration depends on the size of its compartment */
        const tc_sbml_species *sp = sbml_species(w->c, e->name);
        if (sp && sp->has_only_substance_units != 1 && sp->compartment)
            visit_id(w, sp->compartment, depth);
        return;
    }
    /* function bodies only see their arguments: a call depends on what it is given */
    if (e->op == TC_EXPR_RATE_OF)
        return;
    for (size_t i = 0; i < e->nargs; i++)
        dfs(w, at, e->args[i], depth + 1);
}

static void check_cycles(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    size_t cap = m->nrules + m->ninitial_assignments + m->nreactions + 1;
    dep_graph g = {.nodes = tc_xcalloc(cap, sizeof(*g.nodes))};
    for (size_t i = 0; i < m->nrules; i++)
        if (m->rules[i].kind == TC_SBML_ASSIGNMENT && m->rules[i].variable && m->rules[i].math.expr)
            add_node(&g, (dep_node){m->rules[i].variable, m->rules[i].math.expr,
                                    m->rules[i].b.line, 0, NULL, 0, 0});
    for (size_t i = 0; i < m->ninitial_assignments; i++)
        if (m->initial_assignments[i].symbol && m->initial_assignments[i].math.expr &&
            !sbml_map_get(&g.first, m->initial_assignments[i].symbol, NULL))
            add_node(&g, (dep_node){m->initial_assignments[i].symbol,
                                    m->initial_assignments[i].math.expr,
                                    m->initial_assignments[i].b.line, 0, NULL, 0, 0});
    for (size_t i = 0; i < m->nreactions; i++)
        if (m->reactions[i].b.id && m->reactions[i].kinetic_law &&
            m->reactions[i].kinetic_law->math.expr)
            add_node(&g, (dep_node){m->reactions[i].b.id, m->reactions[i].kinetic_law->math.expr,
                                    m->reactions[i].kinetic_law->b.line, 0,
                                    m->reactions[i].kinetic_law, 0, 0});
    dep_walk w = {.c = c,
                  .g = &g,
                  .path = tc_xcalloc(g.len + 1, sizeof(size_t)),
                  .reported = tc_xcalloc(g.len + 1, sizeof(bool))};
    for (size_t i = 0; i < g.len; i++)
        if (!g.nodes[i].state)
            visit(&w, i, 0);
    free(w.path);
    free(w.reported);
    sbml_map_free(&g.first);
    free(g.nodes);
}

/* ---- rates that depend on themselves through rateOf (sbml:20912) ----
 * A graph over two kinds of node: the rate of x (defined by x's rate rule, or by the kinetic
 * laws of the reactions x takes part in) and the value of a (defined by a's assignment rule,
 * or at the start by its initial assignment). An edge goes to the rate of y for each
 * rateOf(y) in a definition, and to the value of a for each a that has one. A cycle through
 * a rate node is a rate that depends on itself. One depth-first search over the graph finds
 * every such cycle in linear time (a walk along each path would be exponential). */
typedef struct rate_edge {
    size_t to;
    long line;                      /* of the definition the edge comes from */
    const tc_sbml_reaction *reaction; /* whose kinetic law it is in, or NULL */
} rate_edge;

typedef struct rate_node {
    const char *id;
    bool rate;         /* the rate of id, else its value */
    size_t first, n;   /* its edges: edges[first .. first + n) */
    int state;         /* 0 new, 1 on the path, 2 done */
    bool reported;
} rate_node;

typedef struct rate_graph {
    sbml_ctx *c;
    rate_node *nodes;
    size_t len, cap;
    rate_edge *edges;
    size_t nedges, edges_cap;
    sbml_map rates, values; /* id -> node */
} rate_graph;

static size_t rate_node_for(rate_graph *g, const char *id, bool rate)
{
    sbml_map *m = rate ? &g->rates : &g->values;
    size_t i;
    if (sbml_map_get(m, id, &i))
        return i;
    TC_GROW(g->nodes, g->cap, g->len + 1);
    g->nodes[g->len] = (rate_node){.id = id, .rate = rate};
    sbml_map_put(m, id, g->len, NULL);
    return g->len++;
}

static bool is_local_param(const tc_sbml_kinetic_law *law, const char *id)
{
    for (size_t i = 0; law && i < law->nparameters; i++)
        if (law->parameters[i].b.id && strcmp(law->parameters[i].b.id, id) == 0)
            return true;
    return false;
}

static void add_rate_edge(rate_graph *g, size_t to, long line, const tc_sbml_reaction *x)
{
    TC_GROW(g->edges, g->edges_cap, g->nedges + 1);
    g->edges[g->nedges++] = (rate_edge){.to = to, .line = line, .reaction = x};
}

/* The edges of one definition's math; inside a kinetic law its local parameters hide the
 * model's ids. */
static void rate_edges_of(rate_graph *g, const tc_expr *e, const tc_sbml_kinetic_law *law,
                          long line, const tc_sbml_reaction *x, int depth)
{
    if (!e || depth > 5000)
        return;
    if (e->op == TC_EXPR_RATE_OF) {
        if (e->nargs == 1 && e->args[0]->name && !is_local_param(law, e->args[0]->name))
            add_rate_edge(g, rate_node_for(g, e->args[0]->name, true), line, x);
        return;
    }
    if (e->op == TC_EXPR_SYMBOL && e->name) {
        const size_t *ia;
        if (!is_local_param(law, e->name) &&
            (sbml_rule_for(g->c, e->name, TC_SBML_ASSIGNMENT) ||
             sbml_multi_get(&g->c->ix.initial, e->name, &ia)))
            add_rate_edge(g, rate_node_for(g, e->name, false), line, x);
        return;
    }
    for (size_t i = 0; i < e->nargs; i++)
        rate_edges_of(g, e->args[i], law, line, x, depth + 1);
}

/* Fill in node i's edges (nodes are added as they are first named, so in order). */
static void rate_node_edges(rate_graph *g, size_t i)
{
    const tc_sbml_model *m = g->c->m;
    const char *id = g->nodes[i].id;
    size_t first = g->nedges;
    if (g->nodes[i].rate) {
        const tc_sbml_rule *r = sbml_rule_for(g->c, id, TC_SBML_RATE);
        if (r)
            rate_edges_of(g, r->math.expr, NULL, r->b.line, NULL, 0);
        const size_t *rx;
        size_t n = sbml_multi_get(&g->c->ix.participant, id, &rx);
        for (size_t k = 0; k < n; k++) {
            const tc_sbml_reaction *x = &m->reactions[rx[k]];
            if ((k == 0 || rx[k] != rx[k - 1]) && x->kinetic_law)
                rate_edges_of(g, x->kinetic_law->math.expr, x->kinetic_law,
                              x->kinetic_law->b.line, x, 0);
        }
    } else {
        const tc_sbml_rule *a = sbml_rule_for(g->c, id, TC_SBML_ASSIGNMENT);
        const size_t *ia;
        if (a)
            rate_edges_of(g, a->math.expr, NULL, a->b.line, NULL, 0);
        else if (sbml_multi_get(&g->c->ix.initial, id, &ia)) {
            const tc_sbml_initial_assignment *x = &m->initial_assignments[ia[0]];
            rate_edges_of(g, x->math.expr, NULL, x->b.line, NULL, 0);
        }
    }
    g->nodes[i].first = first;
    g->nodes[i].n = g->nedges - first;
}

/* A back edge into node `to`: path[from..top] and back to `to` is a cycle. Reported once,
 * at its first rate (by the edge that leaves it), naming the rates in order, unless it has
 * no rate (a loop of values is sbml:20906's) or a member was already reported. */
static void report_rate_cycle(rate_graph *g, const size_t *path, const size_t *edge_of,
                              size_t top, size_t to)
{
    size_t from = top + 1;
    while (from > 0 && path[from - 1] != to)
        from--;
    if (from == 0)
        return;
    from--;
    size_t at = SIZE_MAX;
    for (size_t k = from; k <= top; k++) {
        if (g->nodes[path[k]].reported)
            return;
        if (at == SIZE_MAX && g->nodes[path[k]].rate)
            at = k;
    }
    if (at == SIZE_MAX)
        return;
    tc_buf b = TC_BUF_INIT;
    size_t len = top - from + 1, shown = 0;
    for (size_t step = 0; step <= len; step++) {
        const rate_node *n = &g->nodes[path[from + (at - from + step) % len]];
        if (!n->rate)
            continue;
        if (shown++ == 9) {
            tc_buf_puts(&b, " -> ...");
            break;
        }
        tc_buf_printf(&b, "%s\"%s\"", step ? " -> " : "", n->id);
    }
    if (shown > 9) /* close the cycle after the ellipsis */
        tc_buf_printf(&b, " -> \"%s\"", g->nodes[path[at]].id);
    for (size_t k = from; k <= top; k++)
        g->nodes[path[k]].reported = true;
    const rate_node *n = &g->nodes[path[at]];
    const rate_edge *e = &g->edges[edge_of[at]];
    if (e->reaction)
        sbml_report(&g->c->out, "sbml:20912", e->line,
                    "the rate of species \"%s\" depends on itself through rateOf in the kinetic "
                    "law of reaction \"%s\" (%s)",
                    n->id, idn(&e->reaction->b), b.data);
    else
        sbml_report(&g->c->out, "sbml:20912", e->line,
                    "the rate rule for \"%s\" depends on its own rate through rateOf (%s); a "
                    "rate may not depend on itself",
                    n->id, b.data);
    tc_buf_release(&b);
}

/* Depth-first from node s without recursion: path[] holds the nodes on the current path
 * and edge_of[k] the edge path[k] is following; both grow with the path. */
typedef struct rate_path {
    size_t *path, *edge_of, cap;
} rate_path;

static void rate_search(rate_graph *g, size_t s, rate_path *p)
{
    size_t top = 0;
    TC_GROW(p->path, p->cap, 1);
    p->edge_of = tc_xrealloc(p->edge_of, p->cap * sizeof(*p->edge_of));
    p->path[0] = s;
    g->nodes[s].state = 1;
    rate_node_edges(g, s);
    p->edge_of[0] = g->nodes[s].first;
    for (;;) {
        rate_node *n = &g->nodes[p->path[top]];
        if (p->edge_of[top] == n->first + n->n) {
            n->state = 2;
            if (top == 0)
                return;
            top--;
            p->edge_of[top]++;
            continue;
        }
        size_t to = g->edges[p->edge_of[top]].to;
        if (g->nodes[to].state == 1) {
            report_rate_cycle(g, p->path, p->edge_of, top, to);
            p->edge_of[top]++;
        } else if (g->nodes[to].state == 2) {
            p->edge_of[top]++;
        } else {
            g->nodes[to].state = 1;
            rate_node_edges(g, to);
            if (top + 2 > p->cap) {
                TC_GROW(p->path, p->cap, top + 2);
                p->edge_of = tc_xrealloc(p->edge_of, p->cap * sizeof(*p->edge_of));
            }
            p->path[++top] = to;
            p->edge_of[top] = g->nodes[to].first;
        }
    }
}

static void check_rate_cycles(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    if (c->doc->level < 3)
        return;
    rate_graph g = {.c = c};
    /* the starting points, in document order: rate rules, then the reactions' species */
    for (size_t i = 0; i < m->nrules; i++)
        if (m->rules[i].kind == TC_SBML_RATE && m->rules[i].variable)
            rate_node_for(&g, m->rules[i].variable, true);
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *x = &m->reactions[i];
        for (size_t j = 0; x->kinetic_law && j < x->nreactants + x->nproducts; j++) {
            const tc_sbml_speciesref *sr =
                j < x->nreactants ? &x->reactants[j] : &x->products[j - x->nreactants];
            if (sr->species)
                rate_node_for(&g, sr->species, true);
        }
    }
    size_t starts = g.len;
    rate_path p = {0};
    for (size_t i = 0; i < starts; i++)
        if (!g.nodes[i].state)
            rate_search(&g, i, &p);
    free(p.path);
    free(p.edge_of);
    free(g.nodes);
    free(g.edges);
    sbml_map_free(&g.rates);
    sbml_map_free(&g.values);
}

/* The species a math reads, as indexes into the model's species, in document order,
 * each once. */
typedef struct species_set {
    const sbml_ctx *c;
    size_t *idx;
    size_t len, cap;
} species_set;

static void add_species(void *ctx, const char *name)
{
    species_set *w = ctx;
    const tc_sbml_species *sp = sbml_species(w->c, name);
    if (!sp)
        return;
    TC_GROW(w->idx, w->cap, w->len + 1);
    w->idx[w->len++] = (size_t)(sp - w->c->m->species);
}

static int cmp_size(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}

static void species_in(species_set *w, const tc_expr *e)
{
    w->len = 0;
    sbml_expr_symbols(e, add_species, w);
    if (w->len < 2)
        return;
    qsort(w->idx, w->len, sizeof(*w->idx), cmp_size);
    size_t n = 1;
    for (size_t i = 1; i < w->len; i++)
        if (w->idx[i] != w->idx[n - 1])
            w->idx[n++] = w->idx[i];
    w->len = n;
}

static void check_reactions(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    int l = c->doc->level;
    species_set seen = {.c = c};
    sbml_refs refs = {0};
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        if ((l < 3 || (l == 3 && c->doc->version == 1)) && r->nreactants + r->nproducts == 0)
            sbml_report(&c->out, "sbml:21101", r->b.line,
                        "reaction \"%s\" has neither reactants nor products", idn(&r->b));
        if (r->compartment && !sbml_compartment(c, r->compartment))
            sbml_report(&c->out, "sbml:21107", r->b.line,
                        "the compartment \"%s\" of reaction \"%s\" does not exist", r->compartment,
                        idn(&r->b));
        size_t all = r->nreactants + r->nproducts + r->nmodifiers;
        for (size_t j = 0; j < all; j++) {
            const tc_sbml_speciesref *s = j < r->nreactants ? &r->reactants[j]
                                          : j < r->nreactants + r->nproducts
                                              ? &r->products[j - r->nreactants]
                                              : &r->modifiers[j - r->nreactants - r->nproducts];
            bool modifier = j >= r->nreactants + r->nproducts;
            if (s->species && !sbml_species(c, s->species))
                sbml_report(&c->out, "sbml:21111", s->b.line,
                            "the species \"%s\" of a %s of reaction \"%s\" does not exist",
                            s->species, modifier ? "modifier" : "reactant or product", idn(&r->b));
            if (!modifier && l == 2 && s->stoichiometry.set && s->stoichiometry_math.expr)
                sbml_report(&c->out, "sbml:21113", s->b.line,
                            "the species reference to \"%s\" in reaction \"%s\" sets both "
                            "stoichiometry and stoichiometryMath; it may set only one",
                            s->species ? s->species : "", idn(&r->b));
        }
        for (size_t j = 0; j < r->nreactants + r->nproducts; j++) {
            const tc_sbml_speciesref *sr = sbml_reaction_ref(r, j);
            if (!sr->stoichiometry_math.expr)
                continue;
            species_in(&seen, sr->stoichiometry_math.expr);
            for (size_t s = 0; s < seen.len; s++) {
                const char *sid = m->species[seen.idx[s]].b.id;
                if (!sbml_refs_has(&refs, r, sid, true))
                    sbml_report(&c->out, "sbml:21131", sr->stoichiometry_math.line,
                                "species \"%s\" appears in a stoichiometryMath of reaction \"%s\" "
                                "but is not one of its reactants, products or modifiers",
                                sid, idn(&r->b));
            }
        }
        const tc_sbml_kinetic_law *k = r->kinetic_law;
        if (!k)
            continue;
        /* species in the rate law must take part in the reaction */
        species_in(&seen, k->math.expr);
        for (size_t s = 0; s < seen.len; s++) {
            const char *sid = m->species[seen.idx[s]].b.id;
            bool local = false;
            for (size_t p = 0; p < k->nparameters && !local; p++)
                local = k->parameters[p].b.id && strcmp(k->parameters[p].b.id, sid) == 0;
            if (!local && !sbml_refs_has(&refs, r, sid, true))
                sbml_report(&c->out, "sbml:21121", k->math.line,
                            "species \"%s\" appears in the kinetic law of reaction \"%s\" but is "
                            "not one of its reactants, products or modifiers",
                            sid, idn(&r->b));
        }
        for (size_t p = 0; p < k->nparameters; p++) {
            const tc_sbml_parameter *lp = &k->parameters[p];
            if (l == 2 && lp->constant == 0)
                sbml_report(&c->out, "sbml:21124", lp->b.line,
                            "local parameter \"%s\" of reaction \"%s\" must be constant",
                            idn(&lp->b), idn(&r->b));
            if ((l > 3 || (l == 3 && c->doc->version >= 2)) && lp->b.id &&
                sbml_refs_has(&refs, r, lp->b.id, true))
                sbml_report(&c->out, "sbml:21173", lp->b.line,
                            "local parameter \"%s\" of reaction \"%s\" has the same id as a "
                            "reactant, product or modifier of that reaction; it needs an id of its "
                            "own",
                            lp->b.id, idn(&r->b));
        }
    }
    sbml_refs_release(&refs);
    free(seen.idx);
}

static void check_events(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    int l = c->doc->level, v = c->doc->version;
    for (size_t i = 0; i < m->nevents; i++) {
        const tc_sbml_event *e = &m->events[i];
        if (l == 2 && v >= 4 && e->use_values_from_trigger_time == 0 && !e->delay)
            sbml_report(&c->out, "sbml:21206", e->b.line,
                        "event \"%s\" has useValuesFromTriggerTime=\"false\" but no delay",
                        idn(&e->b));
        if (l == 2 && e->nassignments == 0) {
            bool list = false;
            for (const xmlNode *x = ((const xmlNode *)e->b.node)->children; x; x = x->next)
                if (x->type == XML_ELEMENT_NODE &&
                    strcmp((const char *)x->name, "listOfEventAssignments") == 0)
                    list = true;
            if (!list)
                sbml_report(&c->out, "sbml:21203", e->b.line,
                            "event \"%s\" has no event assignments; Level 2 requires at least one",
                            idn(&e->b));
        }
        for (size_t j = 0; j < e->nassignments; j++) {
            const tc_sbml_event_assignment *a = &e->assignments[j];
            if (!a->variable)
                continue;
            bool ok = settable(c, a->variable);
            if (!ok) {
                sbml_report(&c->out, "sbml:21211", a->b.line,
                            "the variable \"%s\" of an event assignment of event%s%s%s is not the "
                            "id of a compartment, species%s",
                            a->variable, e->b.id ? " \"" : "", e->b.id ? e->b.id : "",
                            e->b.id ? "\"" : "",
                            l >= 3 ? ", parameter or species reference" : " or parameter");
                continue;
            }
            if (constant_of(c, a->variable) == 1)
                sbml_report(&c->out, "sbml:21212", a->b.line,
                            "%s \"%s\" is constant and so cannot be changed by event%s%s%s; only a "
                            "variable with constant=\"false\" may be",
                            kind_word(c, a->variable), a->variable, e->b.id ? " \"" : "",
                            e->b.id ? e->b.id : "", e->b.id ? "\"" : "");
        }
    }
}

void sbml_check_general(sbml_ctx *c)
{
    check_model(c);
    check_compartments(c);
    check_species(c);
    check_initial_assignments(c);
    check_rules(c);
    check_cycles(c);
    check_rate_cycles(c);
    check_reactions(c);
    check_events(c);
}
