/* Names for elements in findings: what a modeller calls the element that holds some
 * math ("the kinetic law of reaction "r"") or any other component ("species "s""). */
#include <stdio.h>
#include <string.h>

#include "sbml_impl.h"

/* Longest id quoted in a description; longer ones are cut with "...". */
#define ID_MAX 64

static bool ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && strcmp(s + a - b, tail) == 0;
}

static bool named(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

/* The value of the first of `attrs` (a NULL-terminated list) that n has, quoted and
 * bounded, into out; "" when none. */
static const char *quoted(const xmlNode *n, const char *const *attrs, char out[ID_MAX + 8])
{
    out[0] = '\0';
    for (size_t i = 0; n && attrs[i]; i++) {
        xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)attrs[i]);
        if (!v)
            continue;
        size_t len = strlen((const char *)v);
        snprintf(out, ID_MAX + 8, "\"%.*s%s\"", ID_MAX, (const char *)v, len > ID_MAX ? "..." : "");
        xmlFree(v);
        break;
    }
    return out;
}

static const char *const id_attrs[] = {"id", NULL};
static const char *const l1_id_attrs[] = {"id", "name", NULL}; /* Level 1 names by `name` */
static const char *const variable_attrs[] = {"variable", "compartment", "species",
                                             "specie",   "name",        NULL};

/* The element above n, skipping a listOf... wrapper. */
static const xmlNode *owner_of(const xmlNode *n)
{
    const xmlNode *p = n ? n->parent : NULL;
    if (p && p->type == XML_ELEMENT_NODE && strncmp((const char *)p->name, "listOf", 6) == 0)
        p = p->parent;
    return p && p->type == XML_ELEMENT_NODE ? p : NULL;
}

/* "event "e"" or "an event" (without an id), and likewise for reactions. */
static void owner_phrase(char *buf, size_t n, const char *kind, const xmlNode *owner)
{
    char q[ID_MAX + 8];
    quoted(owner, l1_id_attrs, q);
    if (q[0])
        snprintf(buf, n, "%s %s", kind, q);
    else
        snprintf(buf, n, "%s %s", strchr("aeiou", kind[0]) ? "an" : "a", kind);
}

const char *sbml_describe(char *buf, size_t n, const void *node)
{
    const xmlNode *x = node;
    char q[ID_MAX + 8], of[ID_MAX + 32];
    if (!x || x->type != XML_ELEMENT_NODE) {
        snprintf(buf, n, "an element");
        return buf;
    }
    const char *name = (const char *)x->name;
    if (named(x, "math") && x->parent && x->parent->type == XML_ELEMENT_NODE)
        return sbml_describe(buf, n, x->parent);
    if (named(x, "functionDefinition")) {
        snprintf(buf, n, "function %s", quoted(x, id_attrs, q));
    } else if (named(x, "kineticLaw")) {
        owner_phrase(of, sizeof(of), "reaction", x->parent);
        snprintf(buf, n, "the kinetic law of %s", of);
    } else if (ends_with(name, "Rule")) {
        const char *kind = named(x, "rateRule")         ? "rate rule"
                           : named(x, "assignmentRule") ? "assignment rule"
                           : named(x, "algebraicRule")  ? NULL
                                                        : "rule";
        quoted(x, variable_attrs, q);
        if (!kind)
            snprintf(buf, n, "an algebraic rule");
        else if (q[0])
            snprintf(buf, n, "the %s for %s", kind, q);
        else
            snprintf(buf, n, "%s %s", kind[0] == 'a' ? "an" : "a", kind);
    } else if (named(x, "initialAssignment")) {
        static const char *const symbol[] = {"symbol", NULL};
        quoted(x, symbol, q);
        if (q[0])
            snprintf(buf, n, "the initial assignment to %s", q);
        else
            snprintf(buf, n, "an initial assignment");
    } else if (named(x, "eventAssignment")) {
        static const char *const variable[] = {"variable", NULL};
        owner_phrase(of, sizeof(of), "event", owner_of(x));
        quoted(x, variable, q);
        if (q[0])
            snprintf(buf, n, "the assignment to %s of %s", q, of);
        else
            snprintf(buf, n, "an assignment of %s", of);
    } else if (named(x, "trigger") || named(x, "delay") || named(x, "priority")) {
        owner_phrase(of, sizeof(of), "event", x->parent);
        snprintf(buf, n, "the %s of %s", name, of);
    } else if (named(x, "stoichiometryMath")) {
        static const char *const species[] = {"species", "specie", NULL};
        const xmlNode *ref = x->parent;
        owner_phrase(of, sizeof(of), "reaction", owner_of(ref));
        quoted(ref, species, q);
        snprintf(buf, n, "the stoichiometryMath of %s in %s", q[0] ? q : "a species", of);
    } else if (ends_with(name, "eciesReference") || named(x, "specieReference")) {
        static const char *const species[] = {"species", "specie", NULL};
        const xmlNode *list = x->parent;
        const char *role = named(list, "listOfReactants")   ? "reactant"
                           : named(list, "listOfProducts")  ? "product"
                           : named(list, "listOfModifiers") ? "modifier"
                                                            : "species reference";
        owner_phrase(of, sizeof(of), "reaction", owner_of(x));
        quoted(x, species, q);
        if (q[0])
            snprintf(buf, n, "the %s %s of %s", role, q, of);
        else
            snprintf(buf, n, "a %s of %s", role, of);
    } else if (named(x, "constraint")) {
        snprintf(buf, n, "a constraint");
    } else if (named(x, "model")) {
        quoted(x, id_attrs, q);
        snprintf(buf, n, "the model%s%s", q[0] ? " " : "", q);
    } else {
        quoted(x, l1_id_attrs, q);
        snprintf(buf, n, "<%s>%s%s", name, q[0] ? " " : "", q);
    }
    return buf;
}
