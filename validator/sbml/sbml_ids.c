/* Identifiers (sbml:103xx): uniqueness of ids and metaids, the syntax of SId,
 * UnitSId, metaid and sboTerm values, and that unit references resolve. */
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "sbml_impl.h"

static long line_of(const xmlNode *n)
{
    return (long)xmlGetLineNo(n);
}

static bool is_sbml_elem(const xmlNode *n)
{
    return sbml_is_sbml(n);
}

/* Unit attributes and the rule that judges their syntax (10311). */
static const char *const unit_attrs[] = {"units",       "substanceUnits",  "timeUnits",
                                         "volumeUnits", "areaUnits",       "lengthUnits",
                                         "extentUnits", "spatialSizeUnits"};

typedef struct seen {
    const char **ids;
    long *lines;
    const char **elems; /* element names, owned by the document */
    size_t len, cap, capl, cape;
} seen;


/* Walk the XML for syntax of id, metaid, sboTerm and unit attributes. */
static void walk(sbml_ctx *c, const xmlNode *n, seen *metaids, int depth)
{
    if (depth > 200)
        return;
    for (const xmlNode *x = n->children; x; x = x->next) {
        if (x->type != XML_ELEMENT_NODE)
            continue;
        bool sb = is_sbml_elem(x);
        const char *en = (const char *)x->name;
        if (sb && strcmp(en, "math") != 0 && strcmp(en, "annotation") != 0 &&
            strcmp(en, "notes") != 0) {
            char *v = sbml_attr(x, "metaid");
            if (v) {
                if (!sbml_is_xml_id(v))
                    sbml_report(&c->out, "sbml:10309", line_of(x),
                                "metaid \"%s\" of <%s> is not a valid XML ID (a letter or _, "
                                "then letters, digits, ., - or _)",
                                v, en);
                TC_GROW(metaids->ids, metaids->cap, metaids->len + 1);
                TC_GROW(metaids->lines, metaids->capl, metaids->len + 1);
                TC_GROW(metaids->elems, metaids->cape, metaids->len + 1);
                metaids->ids[metaids->len] =
                    (const char *)xmlGetNoNsProp(x, (const xmlChar *)"metaid");
                metaids->elems[metaids->len] = en;
                metaids->lines[metaids->len++] = line_of(x);
                free(v);
            }
            v = sbml_attr(x, "sboTerm");
            if (v) {
                bool ok = strlen(v) == 11 && strncmp(v, "SBO:", 4) == 0;
                for (int i = 4; ok && i < 11; i++)
                    ok = v[i] >= '0' && v[i] <= '9';
                if (!ok)
                    sbml_report(&c->out, "sbml:10308", line_of(x),
                                "sboTerm \"%s\" of <%s> is not of the form SBO:NNNNNNN (SBO: "
                                "and seven digits)",
                                v, en);
                free(v);
            }
            v = sbml_attr(x, "id");
            if (v) {
                bool unitdef = strcmp(en, "unitDefinition") == 0;
                if (!sbml_is_sid(v))
                    sbml_report(&c->out, unitdef ? "sbml:10311" : "sbml:10310", line_of(x),
                                "id \"%s\" of <%s> is not a valid %s %s", v, en,
                                unitdef ? "UnitSId" : "SId",
                                "(a letter or _, then letters, digits or _)");
                free(v);
            }
            if (strcmp(en, "unit") != 0)
                for (size_t i = 0; i < sizeof(unit_attrs) / sizeof(unit_attrs[0]); i++) {
                    v = sbml_attr(x, unit_attrs[i]);
                    if (v && !sbml_is_sid(v))
                        sbml_report(&c->out, "sbml:10311", line_of(x),
                                    "%s=\"%s\" of <%s> is not a valid UnitSId (a letter or _, "
                                    "then letters, digits or _)",
                                    unit_attrs[i], v, en);
                    free(v);
                }
            /* references to other components must be SIds too */
            static const char *const refs[] = {"compartment", "species", "variable",
                                               "symbol",      "outside", "conversionFactor"};
            /* Level 1 names components with `name`, of type SName (the syntax of SId) */
            static const char *const l1_names[] = {"name", "compartment", "species", "specie",
                                                   "outside"};
            if (c->doc->level == 1)
                for (size_t i = 0; i < sizeof(l1_names) / sizeof(l1_names[0]); i++) {
                    bool unitdef = i == 0 && strcmp(en, "unitDefinition") == 0;
                    v = sbml_attr(x, l1_names[i]);
                    if (v && !sbml_is_sid(v))
                        sbml_report(&c->out, unitdef ? "sbml:10311" : "sbml:10310", line_of(x),
                                    "%s=\"%s\" of <%s> is not a valid SName (a letter or _, then "
                                    "letters, digits or _)",
                                    l1_names[i], v, en);
                    free(v);
                }
            if (c->doc->level >= 2)
                for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
                    v = sbml_attr(x, refs[i]);
                    if (v && !sbml_is_sid(v))
                        sbml_report(&c->out, "sbml:10310", line_of(x),
                                    "%s=\"%s\" of <%s> is not a valid SId (a letter or _, then "
                                    "letters, digits or _)",
                                    refs[i], v, en);
                    free(v);
                }
        }
        if (!sb || strcmp(en, "annotation") == 0 || strcmp(en, "notes") == 0)
            continue;
        if (strcmp(en, "math") == 0) {
            /* cn units (sbml:units) follow the UnitSId syntax */
            continue;
        }
        walk(c, x, metaids, depth + 1);
    }
}

typedef struct meta_use {
    const char *id, *elem;
    long line;
} meta_use;

static int meta_cmp(const void *a, const void *b)
{
    const meta_use *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->line > y->line) - (x->line < y->line);
}

static void check_metaids(sbml_ctx *c, const xmlNode *root)
{
    seen s = {0};
    char *v = sbml_attr(root, "metaid");
    if (v) {
        TC_GROW(s.ids, s.cap, 1);
        TC_GROW(s.lines, s.capl, 1);
        TC_GROW(s.elems, s.cape, 1);
        s.elems[0] = "sbml";
        s.ids[0] = (const char *)xmlGetNoNsProp(root, (const xmlChar *)"metaid");
        s.lines[0] = line_of(root);
        s.len = 1;
        if (!sbml_is_xml_id(v))
            sbml_report(&c->out, "sbml:10309", line_of(root),
                        "metaid \"%s\" of <sbml> is not a valid XML ID (a letter or _, then "
                        "letters, digits, ., - or _)",
                        v);
        free(v);
    }
    walk(c, root, &s, 0);
    /* duplicates: sort (id, line) pairs; equal ids end up side by side, first use first */
    meta_use *uses = tc_xmalloc((s.len ? s.len : 1) * sizeof(*uses));
    for (size_t i = 0; i < s.len; i++)
        uses[i] = (meta_use){s.ids[i], s.elems[i], s.lines[i]};
    if (s.len)
        qsort(uses, s.len, sizeof(*uses), meta_cmp);
    for (size_t i = 1, first = 0; i < s.len; i++) {
        if (strcmp(uses[i].id, uses[first].id) != 0) {
            first = i;
            continue;
        }
        sbml_report(&c->out, "sbml:10307", uses[i].line,
                    "metaid \"%s\" of <%s> is already used by <%s> (line %ld); every metaid "
                    "in the document must be different",
                    uses[i].id, uses[i].elem, uses[first].elem, uses[first].line);
    }
    free(uses);
    for (size_t i = 0; i < s.len; i++)
        xmlFree((void *)s.ids[i]);
    free(s.ids);
    free(s.lines);
    free(s.elems);
}

/* Level 3 Version 2: the ids of rules, assignments and constraints share the model's
 * namespace too; `taken` collects them (id -> line) to compare with each other and with
 * the ids of lists and other elements. */
static void other_id(sbml_ctx *c, const tc_sbml_base *b, sbml_map *taken)
{
    size_t first;
    if (b->id && sbml_syms_find(&c->syms, b->id))
        sbml_report(&c->out, "sbml:10301", b->line,
                    "the id \"%s\" of <%s> is already used in the model; ids must be unique in "
                    "a model",
                    b->id, b->element);
    else if (b->id && !sbml_map_put(taken, b->id, (size_t)b->line, &first))
        sbml_report(&c->out, "sbml:10301", b->line,
                    "the id \"%s\" of <%s> is already used (line %zu); ids must be unique in a "
                    "model",
                    b->id, b->element, first);
}

/* The first earlier entry of ids[0..n) equal to ids[i], for each i in turn: calls
 * dup(ctx, i, j) for every duplicate i of an earlier j. */
static void duplicates(const char *const *ids, size_t n, void (*dup)(void *, size_t, size_t),
                       void *ctx)
{
    if (n <= 8) { /* small lists (most kinetic laws, most events) need no table */
        for (size_t i = 1; i < n; i++)
            for (size_t j = 0; ids[i] && j < i; j++)
                if (ids[j] && strcmp(ids[i], ids[j]) == 0) {
                    dup(ctx, i, j);
                    break;
                }
        return;
    }
    sbml_map first = {0};
    for (size_t i = 0; i < n; i++) {
        size_t j;
        if (ids[i] && !sbml_map_put(&first, ids[i], i, &j))
            dup(ctx, i, j);
    }
    sbml_map_free(&first);
}

/* Is this element's id in the model's SId namespace without being one of the
 * components the symbol table holds? Level 2 Versions 2-4 type definitions; in
 * Level 3 Version 2 every SBase may have an id: the lists, kinetic laws, triggers,
 * delays, priorities and units too. */
static bool extra_id_element(const sbml_ctx *c, const char *name)
{
    int l = c->doc->level, v = c->doc->version;
    if (l == 2 && (strcmp(name, "compartmentType") == 0 || strcmp(name, "speciesType") == 0))
        return true;
    if (l == 3 && v >= 2)
        return strncmp(name, "listOf", 6) == 0 || strcmp(name, "kineticLaw") == 0 ||
               strcmp(name, "trigger") == 0 || strcmp(name, "delay") == 0 ||
               strcmp(name, "priority") == 0 || strcmp(name, "unit") == 0;
    return false;
}

typedef struct extra {
    sbml_ctx *c;
    sbml_map seen; /* id -> line of its first extra element */
    char **keep;   /* the ids (owned) */
    size_t nkeep, cap;
} extra;

static void extra_walk(extra *x, const xmlNode *n, int depth)
{
    if (depth > 200)
        return;
    for (const xmlNode *e = n->children; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE || !sbml_is_sbml(e))
            continue;
        const char *name = (const char *)e->name;
        if (strcmp(name, "annotation") == 0 || strcmp(name, "notes") == 0)
            continue;
        char *id = extra_id_element(x->c, name) ? sbml_attr(e, "id") : NULL;
        if (id) {
            long line = line_of(e);
            size_t first;
            const sbml_sym *s = sbml_syms_find(&x->c->syms, id);
            if (s)
                sbml_report(&x->c->out, "sbml:10301", line,
                            "the id \"%s\" of <%s> is already used (line %ld); ids must be "
                            "unique in a model",
                            id, name, s->line);
            else if (x->c->m->b.id && strcmp(x->c->m->b.id, id) == 0)
                sbml_report(&x->c->out, "sbml:10301", line,
                            "the id \"%s\" of <%s> is also the model's id; ids must be unique "
                            "in a model",
                            id, name);
            if (!sbml_map_put(&x->seen, id, (size_t)line, &first)) {
                sbml_report(&x->c->out, "sbml:10301", line,
                            "the id \"%s\" of <%s> is already used (line %zu); ids must be "
                            "unique in a model",
                            id, name, first);
                free(id);
            } else {
                TC_GROW(x->keep, x->cap, x->nkeep + 1);
                x->keep[x->nkeep++] = id;
            }
        }
        extra_walk(x, e, depth + 1);
    }
}

/* `taken`: the ids already used besides the symbol table's (consumed). */
static void extra_ids(sbml_ctx *c, sbml_map taken)
{
    int l = c->doc->level, v = c->doc->version;
    if (!(l == 2 && v >= 2 && v <= 4) && !(l == 3 && v >= 2)) {
        sbml_map_free(&taken);
        return;
    }
    extra x = {.c = c, .seen = taken};
    extra_walk(&x, c->m->b.node, 0);
    for (size_t i = 0; i < x.nkeep; i++)
        free(x.keep[i]);
    free(x.keep);
    sbml_map_free(&x.seen);
}

static void check_unique_ids(sbml_ctx *c)
{
    const sbml_syms *t = &c->syms;
    for (size_t i = 1; i < t->len; i++)
        if (strcmp(t->items[i].id, t->items[i - 1].id) == 0)
            sbml_report(&c->out, "sbml:10301", t->items[i].line,
                        "the id \"%s\" of <%s> is already used by <%s> (line %ld); ids must be "
                        "unique in a model",
                        t->items[i].id, ((const tc_sbml_base *)t->items[i].obj)->element,
                        ((const tc_sbml_base *)t->items[i - 1].obj)->element, t->items[i - 1].line);
    /* Level 3 Version 2: every SBase id shares the namespace; also the model id */
    const tc_sbml_model *m = c->m;
    if (m->b.id && sbml_syms_find(t, m->b.id))
        sbml_report(&c->out, "sbml:10301", sbml_syms_find(t, m->b.id)->line,
                    "the id \"%s\" of <%s> is also the model's id; ids must be unique in a model",
                    m->b.id, ((const tc_sbml_base *)sbml_syms_find(t, m->b.id)->obj)->element);
    sbml_map taken = {0};
    if (c->doc->level == 3 && c->doc->version >= 2) {
        for (size_t i = 0; i < m->nrules; i++)
            other_id(c, &m->rules[i].b, &taken);
        for (size_t i = 0; i < m->ninitial_assignments; i++)
            other_id(c, &m->initial_assignments[i].b, &taken);
        for (size_t i = 0; i < m->nconstraints; i++)
            other_id(c, &m->constraints[i].b, &taken);
        for (size_t i = 0; i < m->nevents; i++)
            for (size_t j = 0; j < m->events[i].nassignments; j++)
                other_id(c, &m->events[i].assignments[j].b, &taken);
    }
    extra_ids(c, taken);
}

static void check_unitdefs(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    for (size_t i = 0; i < m->nunitdefs; i++) {
        const size_t *same;
        if (sbml_multi_get(&c->ix.unitdefs, m->unitdefs[i].b.id, &same) && same[0] < i)
            sbml_report(&c->out, "sbml:10302", m->unitdefs[i].b.line,
                        "the unit definition id \"%s\" is already used (line %ld); unit "
                        "definition ids must be unique",
                        m->unitdefs[i].b.id, m->unitdefs[same[0]].b.line);
    }
}

typedef struct dup_ctx {
    sbml_ctx *c;
    const tc_sbml_kinetic_law *law;
    const tc_sbml_event *event;
} dup_ctx;

static void dup_local(void *ctx, size_t i, size_t j)
{
    dup_ctx *d = ctx;
    (void)j;
    char where[SBML_DESCRIBE_MAX];
    sbml_report(&d->c->out, "sbml:10303", d->law->parameters[i].b.line,
                "the local parameter id \"%s\" is already used in %s; the local parameter ids "
                "of a kinetic law must be unique",
                d->law->parameters[i].b.id, sbml_describe(where, sizeof(where), d->law->b.node));
}

static void dup_event_variable(void *ctx, size_t i, size_t j)
{
    dup_ctx *d = ctx;
    (void)j;
    char where[SBML_DESCRIBE_MAX];
    sbml_report(&d->c->out, "sbml:10305", d->event->assignments[i].b.line,
                "%s assigns \"%s\" more than once; an event may assign a variable only once",
                sbml_describe(where, sizeof(where), d->event->b.node),
                d->event->assignments[i].variable);
}

static void check_local(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    const char **ids = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_kinetic_law *k = m->reactions[i].kinetic_law;
        if (!k)
            continue;
        TC_GROW(ids, cap, k->nparameters + 1);
        for (size_t a = 0; a < k->nparameters; a++)
            ids[a] = k->parameters[a].b.id;
        dup_ctx d = {c, k, NULL};
        duplicates(ids, k->nparameters, dup_local, &d);
    }
    free(ids);
}

static void check_rule_targets(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *r = &m->rules[i];
        if (!r->variable || r->kind == TC_SBML_ALGEBRAIC)
            continue;
        const size_t *same; /* assignment and rate rules of this variable */
        if (sbml_multi_get(&c->ix.rules, r->variable, &same) && same[0] < i)
            sbml_report(&c->out, "sbml:10304", r->b.line,
                        "\"%s\" is already the variable of another rule (line %ld); a variable "
                        "may be set by at most one assignment or rate rule",
                        r->variable, m->rules[same[0]].b.line);
    }
    const char **ids = NULL;
    size_t cap = 0;
    for (size_t i = 0; i < m->nevents; i++) {
        const tc_sbml_event *e = &m->events[i];
        TC_GROW(ids, cap, e->nassignments + 1);
        for (size_t a = 0; a < e->nassignments; a++)
            ids[a] = e->assignments[a].variable;
        dup_ctx d = {c, NULL, e};
        duplicates(ids, e->nassignments, dup_event_variable, &d);
        for (size_t a = 0; a < e->nassignments; a++) {
            const char *v = e->assignments[a].variable;
            if (v && sbml_rule_for(c, v, TC_SBML_ASSIGNMENT))
                sbml_report(&c->out, "sbml:10306", e->assignments[a].b.line,
                            "\"%s\" is assigned by event%s%s%s and also by an assignment rule, "
                            "which must set it at all times",
                            v, e->b.id ? " \"" : "", e->b.id ? e->b.id : "", e->b.id ? "\"" : "");
        }
    }
    free(ids);
}

static bool unit_known(const sbml_ctx *c, const char *u)
{
    int l = c->doc->level, v = c->doc->version;
    if (sbml_is_base_unit(u, l, v) || sbml_unitdef(c, u))
        return true;
    /* predefined unit names of Levels 1 and 2 */
    if (l < 3 && (strcmp(u, "substance") == 0 || strcmp(u, "volume") == 0 ||
                  strcmp(u, "time") == 0))
        return true;
    /* area and length arrived with Level 2 */
    if (l == 2 && (strcmp(u, "area") == 0 || strcmp(u, "length") == 0))
        return true;
    return false;
}

static void unit_ref(sbml_ctx *c, const char *u, const tc_sbml_base *b, const char *attr)
{
    if (!u || !sbml_is_sid(u) || unit_known(c, u))
        return;
    /* rule 10313 arrived with Level 2 Version 5; before, libSBML's 99303 (a warning) says
     * it, beside the per-element rules */
    bool rule = c->doc->level >= 3 || (c->doc->level == 2 && c->doc->version >= 5);
    sbml_report(&c->out, rule ? "sbml:10313" : "sbml:99303", b->line,
                "%s=\"%s\" of <%s>%s%s%s names no unit definition or base unit", attr, u,
                b->element, b->id ? " \"" : "", b->id ? b->id : "", b->id ? "\"" : "");
}

static void check_unit_refs(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    unit_ref(c, m->substance_units, &m->b, "substanceUnits");
    unit_ref(c, m->time_units, &m->b, "timeUnits");
    unit_ref(c, m->volume_units, &m->b, "volumeUnits");
    unit_ref(c, m->area_units, &m->b, "areaUnits");
    unit_ref(c, m->length_units, &m->b, "lengthUnits");
    unit_ref(c, m->extent_units, &m->b, "extentUnits");
    for (size_t i = 0; i < m->ncompartments; i++)
        unit_ref(c, m->compartments[i].units, &m->compartments[i].b, "units");
    for (size_t i = 0; i < m->nspecies; i++)
        unit_ref(c, m->species[i].substance_units, &m->species[i].b, "substanceUnits");
    for (size_t i = 0; i < m->nparameters; i++)
        unit_ref(c, m->parameters[i].units, &m->parameters[i].b, "units");
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_kinetic_law *k = m->reactions[i].kinetic_law;
        for (size_t j = 0; k && j < k->nparameters; j++)
            unit_ref(c, k->parameters[j].units, &k->parameters[j].b, "units");
    }
}

void sbml_check_ids(sbml_ctx *c)
{
    check_metaids(c, xmlDocGetRootElement(c->doc->xml));
    check_unique_ids(c);
    check_unitdefs(c);
    check_local(c);
    check_rule_targets(c);
    check_unit_refs(c);
}
