/* SBO terms (sbml:107xx): an element's sboTerm should come from the branch of the
 * Systems Biology Ontology its rule names. The part of the ontology needed is data
 * (rules/sbml/sbo.tsv, embedded); a term it does not list is not judged. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

extern const char tc_sbo_text[];

/* One is-a edge; a term may have several parents (the ontology is a DAG). */
typedef struct sbo_edge {
    int term, parent; /* parent -1: the root */
} sbo_edge;

typedef struct sbo_table {
    sbo_edge *edges; /* sorted by term */
    size_t len;
    int highest; /* ids above this name no term */
    int *obsolete;
    size_t nobsolete;
} sbo_table;

static sbo_table table;
static pthread_once_t table_once = PTHREAD_ONCE_INIT;

static int by_term(const void *a, const void *b)
{
    const sbo_edge *x = a, *y = b;
    return (x->term > y->term) - (x->term < y->term);
}

static void load(void)
{
    sbo_table t = {0};
    size_t cap = 0, ocap = 0;
    for (const char *p = tc_sbo_text; *p;) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        if (n && *p != '#') {
            char *line = tc_xstrndup(p, n), *sep = line + strcspn(line, " \t");
            if (strncmp(line, "highest", 7) == 0) {
                t.highest = atoi(sep);
            } else if (strncmp(line, "obsolete", 8) == 0) {
                for (char *q = sep, *end; *q; q = end) {
                    long id = strtol(q, &end, 10);
                    if (end == q)
                        break;
                    TC_GROW(t.obsolete, ocap, t.nobsolete + 1);
                    t.obsolete[t.nobsolete++] = (int)id;
                }
            } else if (*sep) {
                TC_GROW(t.edges, cap, t.len + 1);
                t.edges[t.len].term = atoi(line);
                t.edges[t.len].parent = sep[1] == '-' ? -1 : atoi(sep + 1);
                t.len++;
            }
            free(line);
        }
        p += n + (eol ? 1 : 0);
    }
    qsort(t.edges, t.len, sizeof(*t.edges), by_term);
    table = t;
}

/* 1: `term` is `root` or below it; 0: it is known and not; -1: unknown term. */
static int is_a_at(const sbo_table *t, int term, int root, int depth)
{
    if (term == root)
        return 1;
    sbo_edge key = {.term = term};
    const sbo_edge *e = bsearch(&key, t->edges, t->len, sizeof(*t->edges), by_term);
    if (!e)
        return -1;
    if (depth > 64) /* the ontology is far shallower: a cycle in the data */
        return 0;
    while (e > t->edges && e[-1].term == term)
        e--;
    for (; e < t->edges + t->len && e->term == term; e++)
        if (e->parent >= 0 && is_a_at(t, e->parent, root, depth + 1) == 1)
            return 1;
    return 0;
}

static int is_a(const sbo_table *t, int term, int root)
{
    return is_a_at(t, term, root, 0);
}

typedef struct sbo_check {
    sbml_ctx *c;
    const sbo_table *t;
} sbo_check;

static void expect(sbo_check *s, const tc_sbml_base *b, const char *rule, int root, int alt,
                   const char *what)
{
    if (b->sbo < 0)
        return;
    char what_el[SBML_DESCRIBE_MAX];
    if (b->node)
        sbml_describe(what_el, sizeof(what_el), b->node);
    else
        snprintf(what_el, sizeof(what_el), "<%s>", b->element);
    if (s->t->highest > 0 && b->sbo > s->t->highest) {
        sbml_report(&s->c->out, "sbml:99701", b->line,
                    "sboTerm SBO:%07d of %s is not a term of the Systems Biology Ontology", b->sbo,
                    what_el);
        return;
    }
    /* an obsolete term is in no branch: it is reported, and so is the branch rule */
    bool obsolete = false;
    for (size_t i = 0; i < s->t->nobsolete && !obsolete; i++)
        obsolete = s->t->obsolete[i] == b->sbo;
    if (obsolete)
        sbml_report(&s->c->out, "sbml:99702", b->line,
                    "sboTerm SBO:%07d of %s is an obsolete term of the Systems Biology Ontology",
                    b->sbo, what_el);
    int r = obsolete ? 0 : is_a(s->t, b->sbo, root);
    if (r != 0)
        return;
    if (alt >= 0 && !obsolete && is_a(s->t, b->sbo, alt) != 0)
        return;
    sbml_report(&s->c->out, rule, b->line,
                "sboTerm SBO:%07d of %s should be a term for %s (below SBO:%07d)", b->sbo, what_el,
                what, root);
}

void sbml_check_sbo(sbml_ctx *c)
{
    pthread_once(&table_once, load);
    sbo_check s = {c, &table};
    const tc_sbml_model *m = c->m;
    const int MATH = 64, RATE = 1, PARAM = 2, ROLE = 3, FRAME = 4, PROCESS = 231, ENTITY = 236;
    /* the <sbml> element itself (Level 3 Version 2), which may come without a model */
    const xmlNode *root = xmlDocGetRootElement(c->doc->xml);
    tc_sbml_base rb = {.element = "sbml", .line = (long)xmlGetLineNo(root), .sbo = -1};
    char *v = sbml_attr(root, "sboTerm");
    if (v && strlen(v) == 11 && strncmp(v, "SBO:", 4) == 0)
        rb.sbo = atoi(v + 4);
    free(v);
    expect(&s, &rb, "sbml:10719", FRAME, -1, "a modelling framework");
    if (!m)
        return;
    expect(&s, &m->b, "sbml:10701", FRAME, PROCESS, "a modelling framework or an interaction");
    for (size_t i = 0; i < m->nfunctions; i++)
        expect(&s, &m->functions[i].b, "sbml:10702", MATH, -1, "a mathematical expression");
    for (size_t i = 0; i < m->nparameters; i++)
        expect(&s, &m->parameters[i].b, "sbml:10703", PARAM, -1, "a quantitative parameter");
    for (size_t i = 0; i < m->ninitial_assignments; i++)
        expect(&s, &m->initial_assignments[i].b, "sbml:10704", MATH, -1,
               "a mathematical expression");
    for (size_t i = 0; i < m->nrules; i++)
        expect(&s, &m->rules[i].b, "sbml:10705", MATH, -1, "a mathematical expression");
    for (size_t i = 0; i < m->nconstraints; i++)
        expect(&s, &m->constraints[i].b, "sbml:10706", MATH, -1, "a mathematical expression");
    for (size_t i = 0; i < m->ncompartments; i++)
        expect(&s, &m->compartments[i].b, "sbml:10712", ENTITY, -1, "a material entity");
    for (size_t i = 0; i < m->nspecies; i++)
        expect(&s, &m->species[i].b, "sbml:10713", ENTITY, -1, "a material entity");
    /* 10718 cites Level 3 Version 1 as well: local parameters came with Level 3 */
    bool l3 = c->doc->level >= 3;
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        expect(&s, &r->b, "sbml:10707", PROCESS, -1, "an interaction");
        for (size_t j = 0; j < r->nreactants; j++)
            expect(&s, &r->reactants[j].b, "sbml:10708", ROLE, -1, "a participant role");
        for (size_t j = 0; j < r->nproducts; j++)
            expect(&s, &r->products[j].b, "sbml:10708", ROLE, -1, "a participant role");
        for (size_t j = 0; j < r->nmodifiers; j++)
            expect(&s, &r->modifiers[j].b, "sbml:10708", ROLE, -1, "a participant role");
        if (r->kinetic_law) {
            expect(&s, &r->kinetic_law->b, "sbml:10709", RATE, -1, "a rate law");
            for (size_t j = 0; j < r->kinetic_law->nparameters; j++)
                expect(&s, &r->kinetic_law->parameters[j].b, l3 ? "sbml:10718" : "sbml:10703",
                       PARAM, -1, "a quantitative parameter");
        }
    }
    for (size_t i = 0; i < m->nevents; i++) {
        const tc_sbml_event *e = &m->events[i];
        expect(&s, &e->b, "sbml:10710", PROCESS, -1, "an interaction");
        for (size_t j = 0; j < e->nassignments; j++)
            expect(&s, &e->assignments[j].b, "sbml:10711", MATH, -1, "a mathematical expression");
        if (e->trigger)
            expect(&s, &e->trigger->b, "sbml:10716", MATH, -1, "a mathematical expression");
        if (e->delay)
            expect(&s, &e->delay->b, "sbml:10717", MATH, -1, "a mathematical expression");
    }
    /* Level 2 types */
    const xmlNode *model = m->b.node;
    for (const xmlNode *l = model->children; l; l = l->next) {
        bool ct = l->type == XML_ELEMENT_NODE &&
                  strcmp((const char *)l->name, "listOfCompartmentTypes") == 0;
        bool st =
            l->type == XML_ELEMENT_NODE && strcmp((const char *)l->name, "listOfSpeciesTypes") == 0;
        if (!ct && !st)
            continue;
        for (const xmlNode *t = l->children; t; t = t->next) {
            if (t->type != XML_ELEMENT_NODE)
                continue;
            tc_sbml_base tb = {
                .element = (const char *)t->name, .line = (long)xmlGetLineNo(t), .sbo = -1};
            char *sv = sbml_attr(t, "sboTerm");
            if (sv && strlen(sv) == 11 && strncmp(sv, "SBO:", 4) == 0)
                tb.sbo = atoi(sv + 4);
            free(sv);
            expect(&s, &tb, ct ? "sbml:10714" : "sbml:10715", ENTITY, -1, "a material entity");
        }
    }
}
