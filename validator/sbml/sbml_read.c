/* Reading an SBML document into tc_sbml_model: the XML, the <sbml> element's level
 * and version, and every core component with its line, id and attributes. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "sbml_impl.h"

/* libSBML repeats the unit checks of Level 3 on Level 2 Versions 4-5 documents under ids
 * 80000 higher (its "strict" unit checks, which the Level 3 unit semantics need when the
 * model is converted), and the suite expects both ids there: a 105NN finding also answers
 * to 905NN when the catalogue has that id (rules/sbml/libsbml-ids.tsv). The id, in `out`,
 * or NULL. */
static const char *mirrored_id(const sbml_out *o, const char *rule, char out[16])
{
    if (o->level != 2 || o->version < 4 || strncmp(rule, "sbml:", 5) != 0 ||
        strncmp(rule + 5, "105", 3) != 0 || strlen(rule) != 10)
        return NULL;
    snprintf(out, 16, "sbml:9%s", rule + 6);
    return tc_rule_find(out) ? out : NULL;
}

void sbml_report(const sbml_out *o, const char *rule, long line, const char *fmt, ...)
{
    const tc_rule *r = tc_rule_find(rule);
    char buf[16];
    const char *also = mirrored_id(o, rule, buf);
    va_list ap;
    va_start(ap, fmt);
    /* one finding under both ids: the same problem shown once */
    tc_finding_vadd_also(o->fs, rule, also, r ? r->severity : TC_ERROR,
                         (tc_loc){.file = o->file, .line = line}, fmt, ap);
    va_end(ap);
}

/* ---- XML errors become sbml:01xxx ---- */
typedef struct xml_errs {
    const sbml_out *o;
    int count;
} xml_errs;

static const char *xml_rule(const char *msg)
{
    static const struct {
        const char *text, *rule;
    } map[] = {
        {"tag mismatch", "sbml:01009"},
        {"Premature end of data in tag", "sbml:01009"},
        {"redefined", "sbml:01010"},
        {"Entity '", "sbml:01011"},
        {"Namespace prefix", "sbml:01013"},
        {"xml namespace prefix", "sbml:01014"},
        {"xml namespace URI", "sbml:01014"},
        {"reuse of the xml", "sbml:01014"},
        {"XML declaration allowed only", "sbml:01023"},
        {"xmlns:", "sbml:01013"},
    };
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strstr(msg, map[i].text))
            return map[i].rule;
    return "sbml:01006";
}

/* Malformed XML is reported under its SBML id (01xxx); what the hardened reader
 * refuses for safety (entity bombs, depth, size, external entities, encodings)
 * keeps its own xml: id, as for any other XML file of the package. */
static void on_xml_problem(void *ctx, const tc_xml_problem *p)
{
    xml_errs *e = ctx;
    if (e->count++ >= 20)
        return;
    bool plain = strcmp(p->rule, "xml:not-well-formed") == 0 ||
                 strcmp(p->rule, "xml:namespace") == 0;
    const char *rule = plain ? xml_rule(p->message) : p->rule;
    tc_loc loc = {.file = e->o->file, .line = p->line, .column = p->column};
    tc_finding_add(e->o->fs, rule, loc, "%s", p->message);
}

/* ---- attribute helpers ----
 * Asked many times for every element, mostly for attributes it does not have: the
 * common cases (a value that is one text node, or no such attribute and no DTD that
 * could supply a default) are answered here without libxml2 allocating a copy first;
 * anything else goes through xmlGetNoNsProp and xmlHasNsProp, so the results are
 * always theirs. */
static const xmlAttr *attr_node(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next)
        if (!a->ns && a->name[0] == (xmlChar)name[0] && strcmp((const char *)a->name, name) == 0)
            return a;
    return NULL;
}

/* Without a DTD, libxml2 has no attribute defaults to add to what is written. */
static bool plain_element(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && !(n->doc && n->doc->intSubset);
}

char *sbml_attr(const xmlNode *n, const char *name)
{
    const xmlAttr *a = n && n->type == XML_ELEMENT_NODE ? attr_node(n, name) : NULL;
    if (a && a->children && !a->children->next && a->children->type == XML_TEXT_NODE)
        return a->children->content ? tc_xstrdup((const char *)a->children->content) : NULL;
    if (!a && plain_element(n))
        return NULL;
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = tc_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

const char *sbml_attr_view(const xmlNode *n, const char *name, char **owned)
{
    *owned = NULL;
    const xmlAttr *a = n && n->type == XML_ELEMENT_NODE ? attr_node(n, name) : NULL;
    if (a && a->children && !a->children->next && a->children->type == XML_TEXT_NODE)
        return (const char *)a->children->content;
    if (!a && plain_element(n))
        return NULL;
    *owned = sbml_attr(n, name);
    return *owned;
}

bool sbml_has_attr(const xmlNode *n, const char *name)
{
    if (plain_element(n))
        return attr_node(n, name) != NULL;
    return xmlHasNsProp(n, (const xmlChar *)name, NULL) != NULL;
}

/* The SBML core namespaces; a Level 3 package has a namespace of its own. */
static bool is_sbml_ns(const char *href)
{
    /* asked for every element: the common prefix is compared once */
    static const char prefix[] = "http://www.sbml.org/sbml/level";
    static const char *const core[] = {
        "1",          "2",          "2/version2",      "2/version3",
        "2/version4", "2/version5", "3/version1/core", "3/version2/core"};
    if (!href || strncmp(href, prefix, sizeof(prefix) - 1) != 0)
        return false;
    href += sizeof(prefix) - 1;
    for (size_t i = 0; i < sizeof(core) / sizeof(core[0]); i++)
        if (strcmp(href, core[i]) == 0)
            return true;
    return false;
}

/* Asked for nearly every element by every rule family, while a document holds only a
 * few namespace declarations: the answer is kept with each declaration, in the field
 * libxml2 leaves to applications (it is zero in every xmlNs libxml2 creates, and an
 * xmlNs never changes its href). A document is checked by one thread at a time. */
static char ns_core, ns_other;

bool sbml_is_sbml(const xmlNode *n)
{
    if (!n || n->type != XML_ELEMENT_NODE || !n->ns)
        return false;
    xmlNs *ns = n->ns;
    if (!ns->_private)
        ns->_private = is_sbml_ns((const char *)ns->href) ? &ns_core : &ns_other;
    return ns->_private == &ns_core;
}

bool sbml_is_math(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, "http://www.w3.org/1998/Math/MathML") == 0 &&
           strcmp((const char *)n->name, "math") == 0;
}

static bool named(const xmlNode *n, const char *name)
{
    return sbml_is_sbml(n) && strcmp((const char *)n->name, name) == 0;
}

/* Parse a double the way SBML writes it (XML Schema double: INF, -INF, NaN too). */
static bool parse_double(const char *s, double *out)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (!*s)
        return false;
    if (strcmp(s, "INF") == 0 || strcmp(s, "+INF") == 0) {
        *out = INFINITY;
        return true;
    }
    if (strcmp(s, "-INF") == 0) {
        *out = -INFINITY;
        return true;
    }
    if (strcmp(s, "NaN") == 0) {
        *out = NAN;
        return true;
    }
    if (!strchr("+-.0123456789", *s))
        return false;
    char *end;
    errno = 0;
    *out = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    return end != s && *end == '\0';
}

static tc_sbml_num num_attr(const xmlNode *n, const char *name)
{
    tc_sbml_num r = {0, false};
    char *owned;
    const char *s = sbml_attr_view(n, name, &owned);
    if (s && parse_double(s, &r.v))
        r.set = true;
    free(owned);
    return r;
}

/* A level or version as an int: 0 when absent or not a number; values beyond any
 * real level are clamped (still unsupported) so that the conversion is defined. */
static int level_number(tc_sbml_num n)
{
    if (!n.set || isnan(n.v))
        return 0;
    return n.v > 1e6 ? 1000000 : n.v < -1e6 ? -1000000 : (int)n.v;
}

static tc_sbml_bool bool_attr(const xmlNode *n, const char *name)
{
    char *owned;
    const char *s = sbml_attr_view(n, name, &owned);
    tc_sbml_bool r = -1;
    if (s) {
        const char *t = s;
        while (*t == ' ')
            t++;
        if (strncmp(t, "true", 4) == 0 || strncmp(t, "1", 1) == 0)
            r = 1;
        else if (strncmp(t, "false", 5) == 0 || strncmp(t, "0", 1) == 0)
            r = 0;
    }
    free(owned);
    return r;
}

static int sbo_attr(const xmlNode *n)
{
    char *owned;
    const char *s = sbml_attr_view(n, "sboTerm", &owned);
    int r = -1;
    if (s && strlen(s) == 11 && strncmp(s, "SBO:", 4) == 0) {
        r = 0;
        for (int i = 4; i < 11; i++) {
            if (s[i] < '0' || s[i] > '9') {
                r = -1;
                break;
            }
            r = r * 10 + (s[i] - '0');
        }
    }
    free(owned);
    return r;
}

static void read_base(tc_sbml_base *b, const xmlNode *n, int level)
{
    b->element = (const char *)n->name;
    b->line = (long)xmlGetLineNo(n);
    b->node = (void *)n;
    /* Level 1 names things with `name`, which then plays the role of the id. */
    b->id = sbml_attr(n, "id");
    b->name = sbml_attr(n, "name");
    if (level == 1 && !b->id && b->name && strcmp(b->element, "sbml") != 0)
        b->id = tc_xstrdup(b->name);
    b->metaid = sbml_attr(n, "metaid");
    b->sbo = sbo_attr(n);
}

static void free_base(tc_sbml_base *b)
{
    free(b->id);
    free(b->name);
    free(b->metaid);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            return c;
    return NULL;
}

static size_t count_children(const xmlNode *n, const char *name)
{
    size_t k = 0;
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (named(c, name))
            k++;
    return k;
}

/* ---- math ---- */
typedef struct reader {
    sbml_out o;
    int level;
} reader;

static void read_math(reader *r, tc_sbml_math *m, const xmlNode *parent, bool in_function)
{
    for (const xmlNode *c = parent->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "math") != 0)
            continue;
        m->line = (long)xmlGetLineNo(c);
        m->expr = sbml_math_read(&r->o, c, in_function);
        return;
    }
}

/* Level 1 writes math as a formula attribute. */
static void read_formula(reader *r, tc_sbml_math *m, const xmlNode *n)
{
    char *f = sbml_attr(n, "formula");
    if (!f)
        return;
    m->line = (long)xmlGetLineNo(n);
    m->expr = sbml_formula_parse(f, m->line);
    if (!m->expr)
        sbml_report(&r->o, "sbml:10103", m->line, "the formula \"%s\" cannot be read", f);
    free(f);
}

/* ---- components ---- */
static void read_unitdef(reader *r, tc_sbml_unitdef *u, const xmlNode *n)
{
    read_base(&u->b, n, r->level);
    const xmlNode *lo = child(n, "listOfUnits");
    u->nunits = count_children(lo, "unit");
    u->units = tc_xcalloc(u->nunits ? u->nunits : 1, sizeof(*u->units));
    size_t k = 0;
    for (const xmlNode *c = lo ? lo->children : NULL; c; c = c->next) {
        if (!named(c, "unit"))
            continue;
        tc_sbml_unit *x = &u->units[k++];
        read_base(&x->b, c, r->level);
        x->kind = sbml_attr(c, "kind");
        x->exponent = num_attr(c, "exponent");
        x->scale = num_attr(c, "scale");
        x->multiplier = num_attr(c, "multiplier");
        x->offset = num_attr(c, "offset");
    }
}

static void read_compartment(reader *r, tc_sbml_compartment *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    x->spatial_dimensions = num_attr(n, "spatialDimensions");
    x->size = num_attr(n, r->level == 1 ? "volume" : "size");
    if (r->level == 2 && !x->size.set)
        x->size = num_attr(n, "volume");
    x->units = sbml_attr(n, "units");
    x->outside = sbml_attr(n, "outside");
    x->compartment_type = sbml_attr(n, "compartmentType");
    x->constant = bool_attr(n, "constant");
}

static void read_species(reader *r, tc_sbml_species *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    x->compartment = sbml_attr(n, "compartment");
    x->substance_units = sbml_attr(n, r->level == 1 ? "units" : "substanceUnits");
    x->spatial_size_units = sbml_attr(n, "spatialSizeUnits");
    x->conversion_factor = sbml_attr(n, "conversionFactor");
    x->species_type = sbml_attr(n, "speciesType");
    x->initial_amount = num_attr(n, "initialAmount");
    x->initial_concentration = num_attr(n, "initialConcentration");
    x->charge = num_attr(n, "charge");
    x->has_only_substance_units = bool_attr(n, "hasOnlySubstanceUnits");
    x->boundary_condition = bool_attr(n, "boundaryCondition");
    x->constant = bool_attr(n, "constant");
}

static void read_parameter(reader *r, tc_sbml_parameter *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    x->value = num_attr(n, "value");
    x->units = sbml_attr(n, "units");
    x->constant = bool_attr(n, "constant");
}

static void read_sref(reader *r, tc_sbml_speciesref *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    /* in Level 1 `species` names the species and there is no id */
    if (r->level == 1) {
        free(x->b.id);
        x->b.id = NULL;
    }
    x->species = sbml_attr(n, r->level == 1 ? "specie" : "species");
    if (!x->species)
        x->species = sbml_attr(n, "species");
    x->stoichiometry = num_attr(n, "stoichiometry");
    x->denominator = num_attr(n, "denominator");
    x->constant = bool_attr(n, "constant");
    const xmlNode *sm = child(n, "stoichiometryMath");
    if (sm)
        read_math(r, &x->stoichiometry_math, sm, false);
}

static void read_srefs(reader *r, const xmlNode *list, const char *elem, tc_sbml_speciesref **out,
                       size_t *n)
{
    size_t k = count_children(list, elem);
    if (r->level == 1 && strcmp(elem, "speciesReference") == 0)
        k += count_children(list, "specieReference");
    *out = tc_xcalloc(k ? k : 1, sizeof(**out));
    *n = 0;
    for (const xmlNode *c = list ? list->children : NULL; c; c = c->next)
        if (named(c, elem) ||
            (r->level == 1 && named(c, "specieReference") && strcmp(elem, "speciesReference") == 0))
            read_sref(r, &(*out)[(*n)++], c);
}

static void read_reaction(reader *r, tc_sbml_reaction *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    x->reversible = bool_attr(n, "reversible");
    x->fast = bool_attr(n, "fast");
    x->compartment = sbml_attr(n, "compartment");
    read_srefs(r, child(n, "listOfReactants"), "speciesReference", &x->reactants, &x->nreactants);
    read_srefs(r, child(n, "listOfProducts"), "speciesReference", &x->products, &x->nproducts);
    read_srefs(r, child(n, "listOfModifiers"), "modifierSpeciesReference", &x->modifiers,
               &x->nmodifiers);
    const xmlNode *kl = child(n, "kineticLaw");
    if (!kl)
        return;
    tc_sbml_kinetic_law *k = tc_xcalloc(1, sizeof(*k));
    x->kinetic_law = k;
    read_base(&k->b, kl, r->level);
    if (r->level == 1)
        read_formula(r, &k->math, kl);
    else
        read_math(r, &k->math, kl, false);
    k->substance_units = sbml_attr(kl, "substanceUnits");
    k->time_units = sbml_attr(kl, "timeUnits");
    const xmlNode *lp = child(kl, r->level >= 3 ? "listOfLocalParameters" : "listOfParameters");
    const char *pe = r->level >= 3 ? "localParameter" : "parameter";
    size_t np = count_children(lp, pe);
    k->parameters = tc_xcalloc(np ? np : 1, sizeof(*k->parameters));
    for (const xmlNode *c = lp ? lp->children : NULL; c; c = c->next)
        if (named(c, pe))
            read_parameter(r, &k->parameters[k->nparameters++], c);
}

static tc_sbml_event_part *read_part(reader *r, const xmlNode *n)
{
    if (!n)
        return NULL;
    tc_sbml_event_part *p = tc_xcalloc(1, sizeof(*p));
    read_base(&p->b, n, r->level);
    read_math(r, &p->math, n, false);
    p->persistent = bool_attr(n, "persistent");
    p->initial_value = bool_attr(n, "initialValue");
    return p;
}

static void read_event(reader *r, tc_sbml_event *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    x->use_values_from_trigger_time = bool_attr(n, "useValuesFromTriggerTime");
    x->time_units = sbml_attr(n, "timeUnits");
    x->trigger = read_part(r, child(n, "trigger"));
    x->delay = read_part(r, child(n, "delay"));
    x->priority = read_part(r, child(n, "priority"));
    const xmlNode *la = child(n, "listOfEventAssignments");
    size_t k = count_children(la, "eventAssignment");
    x->assignments = tc_xcalloc(k ? k : 1, sizeof(*x->assignments));
    for (const xmlNode *c = la ? la->children : NULL; c; c = c->next) {
        if (!named(c, "eventAssignment"))
            continue;
        tc_sbml_event_assignment *a = &x->assignments[x->nassignments++];
        read_base(&a->b, c, r->level);
        a->variable = sbml_attr(c, "variable");
        read_math(r, &a->math, c, false);
    }
}

/* Read every `elem` child of model/listName into a new array. */
#define READ_LIST(r, model, listname, elem, arr, n, fn)                                            \
    do {                                                                                           \
        const xmlNode *lst_ = child((model), (listname));                                          \
        size_t k_ = count_children(lst_, (elem));                                                  \
        (arr) = tc_xcalloc(k_ ? k_ : 1, sizeof(*(arr)));                                           \
        (n) = 0;                                                                                   \
        for (const xmlNode *c_ = lst_ ? lst_->children : NULL; c_; c_ = c_->next)                  \
            if (named(c_, (elem)))                                                                 \
                fn((r), &(arr)[(n)++], c_);                                                        \
    } while (0)

static void read_function(reader *r, tc_sbml_function *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    read_math(r, &x->math, n, true);
}

static void read_ia(reader *r, tc_sbml_initial_assignment *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    x->symbol = sbml_attr(n, "symbol");
    read_math(r, &x->math, n, false);
}

static void read_constraint(reader *r, tc_sbml_constraint *x, const xmlNode *n)
{
    read_base(&x->b, n, r->level);
    read_math(r, &x->math, n, false);
    x->has_message = child(n, "message") != NULL;
}

static void read_rules(reader *r, tc_sbml_model *m, const xmlNode *model)
{
    const xmlNode *lst = child(model, "listOfRules");
    size_t k = 0;
    for (const xmlNode *c = lst ? lst->children : NULL; c; c = c->next)
        if (sbml_is_sbml(c))
            k++;
    m->rules = tc_xcalloc(k ? k : 1, sizeof(*m->rules));
    for (const xmlNode *c = lst ? lst->children : NULL; c; c = c->next) {
        if (!sbml_is_sbml(c))
            continue;
        const char *nm = (const char *)c->name;
        tc_sbml_rule *x = &m->rules[m->nrules];
        if (strcmp(nm, "algebraicRule") == 0) {
            x->kind = TC_SBML_ALGEBRAIC;
        } else if (strcmp(nm, "assignmentRule") == 0) {
            x->kind = TC_SBML_ASSIGNMENT;
            x->variable = sbml_attr(c, "variable");
        } else if (strcmp(nm, "rateRule") == 0) {
            x->kind = TC_SBML_RATE;
            x->variable = sbml_attr(c, "variable");
        } else if (r->level == 1 && strstr(nm, "Rule")) {
            /* compartmentVolumeRule, speciesConcentrationRule, parameterRule */
            char *type = sbml_attr(c, "type");
            x->kind = type && strcmp(type, "rate") == 0 ? TC_SBML_RATE : TC_SBML_ASSIGNMENT;
            free(type);
            x->variable = sbml_attr(c, strcmp(nm, "compartmentVolumeRule") == 0 ? "compartment"
                                       : strcmp(nm, "parameterRule") == 0       ? "name"
                                                                                : "specie");
            if (!x->variable)
                x->variable = sbml_attr(c, "species");
        } else {
            continue;
        }
        read_base(&x->b, c, r->level);
        if (r->level == 1) {
            free(x->b.id);
            x->b.id = NULL;
        }
        if (r->level == 1)
            read_formula(r, &x->math, c);
        else
            read_math(r, &x->math, c, false);
        m->nrules++;
    }
}

static tc_sbml_model *read_model(reader *r, const xmlNode *n)
{
    tc_sbml_model *m = tc_xcalloc(1, sizeof(*m));
    read_base(&m->b, n, r->level);
    m->substance_units = sbml_attr(n, "substanceUnits");
    m->time_units = sbml_attr(n, "timeUnits");
    m->volume_units = sbml_attr(n, "volumeUnits");
    m->area_units = sbml_attr(n, "areaUnits");
    m->length_units = sbml_attr(n, "lengthUnits");
    m->extent_units = sbml_attr(n, "extentUnits");
    m->conversion_factor = sbml_attr(n, "conversionFactor");
    READ_LIST(r, n, "listOfFunctionDefinitions", "functionDefinition", m->functions, m->nfunctions,
              read_function);
    READ_LIST(r, n, "listOfUnitDefinitions", "unitDefinition", m->unitdefs, m->nunitdefs,
              read_unitdef);
    READ_LIST(r, n, "listOfCompartments", "compartment", m->compartments, m->ncompartments,
              read_compartment);
    READ_LIST(r, n, "listOfSpecies",
              r->level == 1 && count_children(child(n, "listOfSpecies"), "specie") ? "specie"
                                                                                   : "species",
              m->species, m->nspecies, read_species);
    READ_LIST(r, n, "listOfParameters", "parameter", m->parameters, m->nparameters, read_parameter);
    READ_LIST(r, n, "listOfInitialAssignments", "initialAssignment", m->initial_assignments,
              m->ninitial_assignments, read_ia);
    read_rules(r, m, n);
    READ_LIST(r, n, "listOfConstraints", "constraint", m->constraints, m->nconstraints,
              read_constraint);
    READ_LIST(r, n, "listOfReactions", "reaction", m->reactions, m->nreactions, read_reaction);
    READ_LIST(r, n, "listOfEvents", "event", m->events, m->nevents, read_event);
    return m;
}

/* ---- freeing ---- */
static void free_math(tc_sbml_math *m)
{
    tc_expr_free(m->expr);
}

static void free_param(tc_sbml_parameter *p)
{
    free_base(&p->b);
    free(p->units);
}

static void free_srefs(tc_sbml_speciesref *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free_base(&s[i].b);
        free(s[i].species);
        free_math(&s[i].stoichiometry_math);
    }
    free(s);
}

static void free_part(tc_sbml_event_part *p)
{
    if (!p)
        return;
    free_base(&p->b);
    free_math(&p->math);
    free(p);
}

static void free_model(tc_sbml_model *m)
{
    if (!m)
        return;
    free_base(&m->b);
    free(m->substance_units);
    free(m->time_units);
    free(m->volume_units);
    free(m->area_units);
    free(m->length_units);
    free(m->extent_units);
    free(m->conversion_factor);
    for (size_t i = 0; i < m->nfunctions; i++) {
        free_base(&m->functions[i].b);
        free_math(&m->functions[i].math);
    }
    free(m->functions);
    for (size_t i = 0; i < m->nunitdefs; i++) {
        tc_sbml_unitdef *u = &m->unitdefs[i];
        for (size_t j = 0; j < u->nunits; j++) {
            free_base(&u->units[j].b);
            free(u->units[j].kind);
        }
        free(u->units);
        free_base(&u->b);
    }
    free(m->unitdefs);
    for (size_t i = 0; i < m->ncompartments; i++) {
        tc_sbml_compartment *x = &m->compartments[i];
        free_base(&x->b);
        free(x->units);
        free(x->outside);
        free(x->compartment_type);
    }
    free(m->compartments);
    for (size_t i = 0; i < m->nspecies; i++) {
        tc_sbml_species *x = &m->species[i];
        free_base(&x->b);
        free(x->compartment);
        free(x->substance_units);
        free(x->spatial_size_units);
        free(x->conversion_factor);
        free(x->species_type);
    }
    free(m->species);
    for (size_t i = 0; i < m->nparameters; i++)
        free_param(&m->parameters[i]);
    free(m->parameters);
    for (size_t i = 0; i < m->ninitial_assignments; i++) {
        free_base(&m->initial_assignments[i].b);
        free(m->initial_assignments[i].symbol);
        free_math(&m->initial_assignments[i].math);
    }
    free(m->initial_assignments);
    for (size_t i = 0; i < m->nrules; i++) {
        free_base(&m->rules[i].b);
        free(m->rules[i].variable);
        free_math(&m->rules[i].math);
    }
    free(m->rules);
    for (size_t i = 0; i < m->nconstraints; i++) {
        free_base(&m->constraints[i].b);
        free_math(&m->constraints[i].math);
    }
    free(m->constraints);
    for (size_t i = 0; i < m->nreactions; i++) {
        tc_sbml_reaction *x = &m->reactions[i];
        free_base(&x->b);
        free(x->compartment);
        free_srefs(x->reactants, x->nreactants);
        free_srefs(x->products, x->nproducts);
        free_srefs(x->modifiers, x->nmodifiers);
        if (x->kinetic_law) {
            tc_sbml_kinetic_law *k = x->kinetic_law;
            free_base(&k->b);
            free_math(&k->math);
            for (size_t j = 0; j < k->nparameters; j++)
                free_param(&k->parameters[j]);
            free(k->parameters);
            free(k->substance_units);
            free(k->time_units);
            free(k);
        }
    }
    free(m->reactions);
    for (size_t i = 0; i < m->nevents; i++) {
        tc_sbml_event *x = &m->events[i];
        free_base(&x->b);
        free(x->time_units);
        free_part(x->trigger);
        free_part(x->delay);
        free_part(x->priority);
        for (size_t j = 0; j < x->nassignments; j++) {
            free_base(&x->assignments[j].b);
            free(x->assignments[j].variable);
            free_math(&x->assignments[j].math);
        }
        free(x->assignments);
    }
    free(m->events);
    free(m);
}

void tc_sbml_doc_free(tc_sbml_doc *doc)
{
    if (!doc)
        return;
    free_model(doc->model);
    for (size_t i = 0; i < doc->npackages; i++)
        free(doc->packages[i]);
    free(doc->packages);
    free(doc->file);
    if (doc->xml)
        xmlFreeDoc(doc->xml);
    free(doc);
}

void sbml_doc_replace(tc_sbml_doc *doc, xmlDoc *xml, const char *drop_package)
{
    free_model(doc->model);
    doc->model = NULL;
    for (size_t i = 0; drop_package && i < doc->npackages; i++) {
        if (strcmp(doc->packages[i], drop_package) != 0)
            continue;
        free(doc->packages[i]);
        doc->packages[i] = doc->packages[--doc->npackages];
        break;
    }
    xmlDoc *old = doc->xml;
    doc->xml = xml;
    /* the old document's prefixes are compared by name; the root keeps the same ones */
    reader r = {.o = {.file = doc->file, .fs = NULL, .level = doc->level, .version = doc->version},
                .level = doc->level};
    tc_findings quiet;
    tc_findings_init(&quiet);
    r.o.fs = &quiet; /* reading problems were reported on the composed document */
    const xmlNode *model = child(xmlDocGetRootElement(xml), "model");
    if (model)
        doc->model = read_model(&r, model);
    tc_findings_release(&quiet);
    xmlFreeDoc(old);
}

/* The declared encoding must be UTF-8 (sbml:10101). */
static void check_encoding(const sbml_out *o, const char *data, size_t len)
{
    if (len < 5 || strncmp(data, "<?xml", 5) != 0)
        return;
    const char *end = memchr(data, '>', len);
    if (!end)
        return;
    char *decl = tc_xstrndup(data, (size_t)(end - data));
    char *enc = strstr(decl, "encoding");
    if (enc) {
        enc += 8;
        while (*enc == ' ' || *enc == '=')
            enc++;
        if (*enc == '"' || *enc == '\'')
            enc++;
        if (strncasecmp(enc, "utf-8", 5) != 0)
            sbml_report(o, "sbml:10101", 1,
                        "the XML declaration names an encoding other than UTF-8; SBML files "
                        "must be UTF-8");
    }
    free(decl);
}

int tc_sbml_read(tc_sbml_doc **out, const void *data, size_t len, const char *file, tc_findings *fs)
{
    *out = NULL;
    sbml_out o = {.file = file, .fs = fs};
    check_encoding(&o, data, len);
    xml_errs errs = {&o, 0};
    xmlDocPtr xml = tc_xml_read_ex(data, len, file, on_xml_problem, &errs);
    if (!xml)
        return tc_error_set(TC_EINVAL, "%s: not well-formed XML", file);
    xmlNode *root = xmlDocGetRootElement(xml);
    if (!root || strcmp((const char *)root->name, "sbml") != 0) {
        sbml_report(&o, "sbml:10102", root ? (long)xmlGetLineNo(root) : 1,
                    "the document element is <%s>, not <sbml>",
                    root ? (const char *)root->name : "(none)");
        xmlFreeDoc(xml);
        return tc_error_set(TC_EINVAL, "%s: not an SBML document", file);
    }
    tc_sbml_doc *doc = tc_xcalloc(1, sizeof(*doc));
    doc->xml = xml;
    doc->file = tc_xstrdup(file);
    tc_sbml_num l = num_attr(root, "level"), v = num_attr(root, "version");
    doc->level = level_number(l);
    doc->version = level_number(v);
    size_t cap = 0;
    for (xmlNsPtr ns = root->nsDef; ns; ns = ns->next) {
        if (!ns->prefix || !ns->href)
            continue;
        const char *h = (const char *)ns->href;
        if (strncmp(h, "http://www.sbml.org/sbml/level3/", 32) == 0 && !is_sbml_ns(h)) {
            TC_GROW(doc->packages, cap, doc->npackages + 1);
            doc->packages[doc->npackages++] = tc_xstrdup((const char *)ns->prefix);
        }
    }
    reader r = {.o = {.file = file, .fs = fs, .level = doc->level, .version = doc->version},
                .level = doc->level};
    sbml_check_structure(&r.o, xml);
    sbml_check_annotations(&r.o, xml);
    const xmlNode *model = child(root, "model");
    if (model)
        doc->model = read_model(&r, model);
    *out = doc;
    return 0;
}
