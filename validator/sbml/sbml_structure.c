/* Structure: the <sbml> element's level, version and namespace, the attributes each
 * core element requires and allows, their types, and the children each element may
 * hold and how many. Level 3 names each of these with its own rule; for Levels 1
 * and 2 they are what the XML Schema requires (sbml:10103). */
#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

typedef struct elem_spec {
    const char *name;
    const char *attr_rule;   /* Level 3: required/allowed attributes */
    const char *required;    /* Level 3 Version 1 */
    const char *optional;    /* besides metaid, sboTerm (and id, name in L3V2) */
    const char *l2_required; /* Levels 1 and 2 ("-": same as Level 3) */
    const char *l2_optional;
} elem_spec;

/* Attribute lists are space separated with a leading and trailing space. */
static const elem_spec specs[] = {
    {"model", "sbml:20222", " ",
     " id name substanceUnits timeUnits volumeUnits areaUnits lengthUnits extentUnits "
     "conversionFactor ",
     " ", " id name "},
    {"functionDefinition", "sbml:20307", " id ", " name ", " id ", " name "},
    {"unitDefinition", "sbml:20419", " id ", " name ", " id ", " name "},
    {"unit", "sbml:20421", " kind exponent scale multiplier ", " ", " kind ",
     " exponent scale multiplier offset "},
    {"compartment", "sbml:20517", " id constant ", " name spatialDimensions size units ", " id ",
     " name spatialDimensions size units outside constant compartmentType volume "},
    {"species", "sbml:20623", " id compartment hasOnlySubstanceUnits boundaryCondition constant ",
     " name initialAmount initialConcentration substanceUnits conversionFactor ",
     " id compartment ",
     " name initialAmount initialConcentration substanceUnits spatialSizeUnits "
     "hasOnlySubstanceUnits boundaryCondition charge constant speciesType "},
    {"parameter", "sbml:20706", " id constant ", " name value units ", " id ",
     " name value units constant "},
    {"localParameter", "sbml:21172", " id ", " name value units ", " id ", " name value units "},
    {"initialAssignment", "sbml:20805", " symbol ", " ", " symbol ", " "},
    {"assignmentRule", "sbml:20908", " variable ", " ", " variable ", " "},
    {"rateRule", "sbml:20909", " variable ", " ", " variable ", " "},
    {"algebraicRule", "sbml:20910", " ", " ", " ", " "},
    {"constraint", "sbml:21009", " ", " ", " ", " "},
    {"reaction", "sbml:21110", " id reversible fast ", " name compartment ", " id ",
     " name reversible fast "},
    {"speciesReference", "sbml:21116", " species constant ", " id name stoichiometry ", " species ",
     " id name stoichiometry "},
    {"modifierSpeciesReference", "sbml:21117", " species ", " id name ", " species ", " id name "},
    {"kineticLaw", "sbml:21132", " ", " ", " ", " timeUnits substanceUnits "},
    {"event", "sbml:21225", " useValuesFromTriggerTime ", " id name ", " ",
     " id name timeUnits useValuesFromTriggerTime "},
    {"eventAssignment", "sbml:21214", " variable ", " ", " variable ", " "},
    {"trigger", "sbml:21226", " persistent initialValue ", " ", " ", " "},
    {"delay", "sbml:21227", " ", " ", " ", " "},
    {"priority", "sbml:21232", " ", " ", " ", " "},
    {"compartmentType", "sbml:10103", " id ", " name ", " id ", " name "},
    {"speciesType", "sbml:10103", " id ", " name ", " id ", " name "},
    {"listOfFunctionDefinitions", "sbml:20223", " ", " ", " ", " "},
    {"listOfUnitDefinitions", "sbml:20224", " ", " ", " ", " "},
    {"listOfCompartments", "sbml:20225", " ", " ", " ", " "},
    {"listOfSpecies", "sbml:20226", " ", " ", " ", " "},
    {"listOfParameters", "sbml:20227", " ", " ", " ", " "},
    {"listOfInitialAssignments", "sbml:20228", " ", " ", " ", " "},
    {"listOfRules", "sbml:20229", " ", " ", " ", " "},
    {"listOfConstraints", "sbml:20230", " ", " ", " ", " "},
    {"listOfReactions", "sbml:20231", " ", " ", " ", " "},
    {"listOfEvents", "sbml:20232", " ", " ", " ", " "},
    {"listOfUnits", "sbml:20420", " ", " ", " ", " "},
    {"listOfReactants", "sbml:21150", " ", " ", " ", " "},
    {"listOfProducts", "sbml:21150", " ", " ", " ", " "},
    {"listOfModifiers", "sbml:21151", " ", " ", " ", " "},
    {"listOfLocalParameters", "sbml:21129", " ", " ", " ", " "},
    {"listOfEventAssignments", "sbml:21224", " ", " ", " ", " "},
};

/* Typed attributes: element, attribute, type (b boolean, d double, i integer), Level 3 rule. */
static const struct {
    const char *elem, *attr;
    char type;
    const char *rule;
} typed[] = {
    {"species", "hasOnlySubstanceUnits", 'b', "sbml:20620"},
    {"species", "boundaryCondition", 'b', "sbml:20621"},
    {"species", "constant", 'b', "sbml:20622"},
    {"species", "initialAmount", 'd', "sbml:20618"},
    {"species", "initialConcentration", 'd', "sbml:20619"},
    {"compartment", "constant", 'b', "sbml:20516"},
    {"compartment", "spatialDimensions", 'd', "sbml:20514"},
    {"compartment", "size", 'd', "sbml:20515"},
    {"parameter", "value", 'd', "sbml:20703"},
    {"parameter", "constant", 'b', "sbml:20704"},
    {"localParameter", "value", 'd', "sbml:21171"},
    {"unit", "exponent", 'd', "sbml:20416"},
    {"unit", "scale", 'i', "sbml:20417"},
    {"unit", "multiplier", 'd', "sbml:20418"},
    {"reaction", "reversible", 'b', "sbml:21108"},
    {"reaction", "fast", 'b', "sbml:21109"},
    {"speciesReference", "stoichiometry", 'd', "sbml:21114"},
    {"speciesReference", "constant", 'b', "sbml:21115"},
    {"event", "useValuesFromTriggerTime", 'b', "sbml:21208"},
    {"trigger", "persistent", 'b', "sbml:21228"},
    {"trigger", "initialValue", 'b', "sbml:21229"},
};

/* What each container may hold: element, allowed children, Level 3 rule. */
static const struct {
    const char *list, *child, *rule;
} lists[] = {
    {"listOfFunctionDefinitions", "functionDefinition", "sbml:20206"},
    {"listOfUnitDefinitions", "unitDefinition", "sbml:20207"},
    {"listOfCompartments", "compartment", "sbml:20208"},
    {"listOfSpecies", "species", "sbml:20209"},
    {"listOfParameters", "parameter", "sbml:20210"},
    {"listOfInitialAssignments", "initialAssignment", "sbml:20211"},
    {"listOfRules", "assignmentRule rateRule algebraicRule", "sbml:20212"},
    {"listOfConstraints", "constraint", "sbml:20213"},
    {"listOfReactions", "reaction", "sbml:20214"},
    {"listOfEvents", "event", "sbml:20215"},
    {"listOfUnits", "unit", "sbml:20415"},
    {"listOfReactants", "speciesReference", "sbml:21104"},
    {"listOfProducts", "speciesReference", "sbml:21104"},
    {"listOfModifiers", "modifierSpeciesReference", "sbml:21105"},
    {"listOfLocalParameters", "localParameter", "sbml:21128"},
    {"listOfEventAssignments", "eventAssignment", "sbml:21223"},
    {"listOfCompartmentTypes", "compartmentType", "sbml:10103"}, /* Level 2 only */
    {"listOfSpeciesTypes", "speciesType", "sbml:10103"},
};

/* Children that may occur at most once: parent, child, rule. */
static const struct {
    const char *parent, *child, *rule;
} once[] = {
    {"sbml", "model", "sbml:20201"},
    {"model", "listOfFunctionDefinitions", "sbml:20205"},
    {"model", "listOfUnitDefinitions", "sbml:20205"},
    {"model", "listOfCompartments", "sbml:20205"},
    {"model", "listOfSpecies", "sbml:20205"},
    {"model", "listOfParameters", "sbml:20205"},
    {"model", "listOfInitialAssignments", "sbml:20205"},
    {"model", "listOfRules", "sbml:20205"},
    {"model", "listOfConstraints", "sbml:20205"},
    {"model", "listOfReactions", "sbml:20205"},
    {"model", "listOfEvents", "sbml:20205"},
    {"model", "listOfCompartmentTypes", "sbml:20205"},
    {"model", "listOfSpeciesTypes", "sbml:20205"},
    {"functionDefinition", "math", "sbml:20306"},
    {"unitDefinition", "listOfUnits", "sbml:20414"},
    {"initialAssignment", "math", "sbml:20804"},
    {"assignmentRule", "math", "sbml:20907"},
    {"rateRule", "math", "sbml:20907"},
    {"algebraicRule", "math", "sbml:20907"},
    {"constraint", "math", "sbml:21007"},
    {"constraint", "message", "sbml:21008"},
    {"reaction", "listOfReactants", "sbml:21106"},
    {"reaction", "listOfProducts", "sbml:21106"},
    {"reaction", "listOfModifiers", "sbml:21106"},
    {"reaction", "kineticLaw", "sbml:21106"},
    {"kineticLaw", "math", "sbml:21130"},
    {"kineticLaw", "listOfLocalParameters", "sbml:21127"},
    {"kineticLaw", "listOfParameters", "sbml:21127"},
    {"event", "trigger", "sbml:21201"},
    {"event", "delay", "sbml:21221"},
    {"event", "listOfEventAssignments", "sbml:21222"},
    {"event", "priority", "sbml:21230"},
    {"trigger", "math", "sbml:21209"},
    {"delay", "math", "sbml:21210"},
    {"eventAssignment", "math", "sbml:21213"},
    {"priority", "math", "sbml:21231"},
};

/* Elements whose math is required in Level 2 and Level 3 Version 1. */
static const struct {
    const char *elem, *rule;
} needs_math[] = {
    {"functionDefinition", "sbml:20306"},
    {"initialAssignment", "sbml:20804"},
    {"assignmentRule", "sbml:20907"},
    {"rateRule", "sbml:20907"},
    {"algebraicRule", "sbml:20907"},
    {"constraint", "sbml:21007"},
    {"kineticLaw", "sbml:21130"},
    {"trigger", "sbml:21209"},
    {"delay", "sbml:21210"},
    {"eventAssignment", "sbml:21213"},
    {"priority", "sbml:21231"},
};

/* Element names against the tables below, many times per element: most entries
 * differ in the first character, which is compared without a call. */
static inline bool same(const char *a, const char *b)
{
    return a[0] == b[0] && strcmp(a, b) == 0;
}

/* The rows of the tables of this file (specs, typed, lists, once, needs_math, children)
 * that name an element, in table order: every element is checked against every
 * table, so the rows are grouped by name once per process (rows_for, after the last
 * table) instead of each table being scanned for each element. */
#define MAX_ROWS 32
typedef struct elem_rows {
    const elem_spec *spec; /* the first row of specs */
    unsigned char typed[MAX_ROWS], ntyped;
    unsigned char lists[MAX_ROWS], nlists;
    unsigned char once[MAX_ROWS], nonce;
    unsigned char needs_math[MAX_ROWS], nneeds_math;
    unsigned char children[MAX_ROWS], nchildren;
} elem_rows;

static const elem_rows *rows_for(const char *name);

static bool in_list(const char *list, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
        if (p[-1] == ' ' && p[n] == ' ')
            return true;
    return false;
}

/* Is `word` one of the words of the space-separated `words`? */
static bool is_word_of(const char *words, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = words; *p;) {
        const char *e = strchr(p, ' ');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, word, n) == 0)
            return true;
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

static long line_of(const xmlNode *n)
{
    return (long)xmlGetLineNo(n);
}

static const char *nm(const xmlNode *n)
{
    return (const char *)n->name;
}

static bool valid_bool(const char *s)
{
    return strcmp(s, "true") == 0 || strcmp(s, "false") == 0 || strcmp(s, "1") == 0 ||
           strcmp(s, "0") == 0;
}

static bool valid_double(const char *s)
{
    if (strcmp(s, "INF") == 0 || strcmp(s, "-INF") == 0 || strcmp(s, "NaN") == 0)
        return true;
    char *end;
    if (!*s || !strchr("+-.0123456789", *s))
        return false;
    (void)strtod(s, &end);
    while (*end == ' ')
        end++;
    return end != s && *end == '\0';
}

static bool valid_int(const char *s)
{
    char *end;
    if (!*s)
        return false;
    (void)strtol(s, &end, 10);
    return end != s && *end == '\0';
}

typedef struct walker {
    const sbml_out *o;
    int level, version;
    const xmlChar *href;   /* the namespace of <sbml> */
    const char *rows_name; /* the element name whose rows were asked for last */
    const elem_rows *rows;
    /* elements reported as not allowed where they are (10102): what is inside them is
     * not judged, since no schema places it */
    const xmlNode **misplaced;
    size_t nmisplaced, misplaced_cap;
} walker;

/* The checks of one element ask for its rows in turn: the last answer is kept. */
static const elem_rows *element_rows(walker *w, const char *name)
{
    if (w->rows_name != name) {
        w->rows = rows_for(name);
        w->rows_name = name;
    }
    return w->rows;
}

static const char *schema_rule(const walker *w, const char *l3rule)
{
    return w->level >= 3 ? l3rule : "sbml:10103";
}

/* Level 2 attributes that exist only in some versions: element ("*" any), attribute,
 * first and last level*10+version. */
static const struct {
    const char *elem, *attr;
    int min_lv, max_lv;
} l2_versions[] = {
    {"*", "sboTerm", 22, 29},
    {"species", "spatialSizeUnits", 21, 22},
    {"species", "charge", 21, 22},
    {"species", "speciesType", 22, 25},
    {"compartment", "compartmentType", 22, 25},
    {"event", "timeUnits", 21, 22},
    {"event", "useValuesFromTriggerTime", 24, 29},
    {"kineticLaw", "timeUnits", 21, 21},
    {"kineticLaw", "substanceUnits", 21, 21},
    {"unit", "offset", 21, 21},
    {"speciesReference", "id", 22, 29},
    {"speciesReference", "name", 22, 29},
    {"modifierSpeciesReference", "id", 22, 29},
    {"modifierSpeciesReference", "name", 22, 29},
};

static bool l2_attr_exists(const char *elem, const char *attr, int lv)
{
    for (size_t i = 0; i < sizeof(l2_versions) / sizeof(l2_versions[0]); i++)
        if ((strcmp(l2_versions[i].elem, "*") == 0 || strcmp(l2_versions[i].elem, elem) == 0) &&
            strcmp(l2_versions[i].attr, attr) == 0)
            return lv >= l2_versions[i].min_lv && lv <= l2_versions[i].max_lv;
    return true;
}

/* Level 1 attributes, per element (Level 1 has no metaid or sboTerm). */
static const struct {
    const char *elem, *attrs;
} l1_attrs[] = {
    {"model", " name "},
    {"unitDefinition", " name "},
    {"unit", " kind exponent scale "},
    {"compartment", " name volume units outside "},
    {"specie", " name compartment initialAmount units boundaryCondition charge "},
    {"species", " name compartment initialAmount units boundaryCondition charge "},
    {"parameter", " name value units "},
    {"reaction", " name reversible fast "},
    {"specieReference", " specie species stoichiometry denominator "},
    {"speciesReference", " species specie stoichiometry denominator "},
    {"kineticLaw", " formula timeUnits substanceUnits "},
    {"algebraicRule", " formula "},
    {"compartmentVolumeRule", " formula type compartment "},
    {"specieConcentrationRule", " formula type specie "},
    {"speciesConcentrationRule", " formula type species "},
    {"parameterRule", " formula type name units "},
};

/* Level 1 required attributes, per element. */
static const struct {
    const char *elem, *attrs;
} l1_required[] = {
    {"compartment", " name "},
    {"specie", " name compartment initialAmount "},
    {"species", " name compartment initialAmount "},
    {"parameter", " name "},
    {"reaction", " name "},
    {"unitDefinition", " name "},
    {"unit", " kind "},
};

/* Before Level 3 libSBML's XML layer reports a missing required attribute too
 * (MissingXMLRequiredAttribute); Level 3 has a rule per element instead. */
static void missing(walker *w, const xmlNode *n, const char *attr)
{
    char what[SBML_DESCRIBE_MAX];
    sbml_report(w->o, "sbml:01015", line_of(n), "%s lacks its required attribute %s",
                sbml_describe(what, sizeof(what), n), attr);
}

/* "<a>, <b> or <c>" for the space-separated element names `names`. */
static const char *tag_list(char *buf, size_t n, const char *names)
{
    size_t len = 0, count = 0, total = 0;
    buf[0] = '\0';
    for (const char *p = names; *p; p++)
        total += (*p != ' ' && (p == names || p[-1] == ' '));
    for (const char *p = names; *p && len < n;) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e == p)
            break;
        count++;
        const char *sep = count == 1 ? "" : count == total ? " or " : ", ";
        int k = snprintf(buf + len, n - len, "%s<%.*s>", sep, (int)(e - p), p);
        if (k < 0)
            break;
        len += (size_t)k;
        p = e;
    }
    return buf;
}

static void check_l1_attrs(walker *w, const xmlNode *n)
{
    for (size_t i = 0; i < sizeof(l1_required) / sizeof(l1_required[0]); i++) {
        if (!same(l1_required[i].elem, nm(n)))
            continue;
        char word[32];
        for (const char *p = l1_required[i].attrs; sscanf(p, " %31s", word) == 1;) {
            if (!sbml_has_attr(n, word)) {
                char what[SBML_DESCRIBE_MAX];
                sbml_report(w->o, "sbml:10103", line_of(n),
                            "%s is missing the attribute %s, which SBML Level 1 requires",
                            sbml_describe(what, sizeof(what), n), word);
                missing(w, n, word);
            }
            p = strstr(p, word) + strlen(word);
        }
    }
    for (size_t i = 0; i < sizeof(l1_attrs) / sizeof(l1_attrs[0]); i++) {
        if (!same(l1_attrs[i].elem, nm(n)))
            continue;
        char what[SBML_DESCRIBE_MAX];
        for (const xmlAttr *a = n->properties; a; a = a->next)
            if (!a->ns && !in_list(l1_attrs[i].attrs, (const char *)a->name))
                sbml_report(w->o, "sbml:10103", line_of(n),
                            "%s may not have the attribute %s in SBML Level 1",
                            sbml_describe(what, sizeof(what), n), (const char *)a->name);
        return;
    }
}

/* A Level 3 package namespace (its elements are the package's to judge). */
static bool l3_package_ns(const xmlNs *ns)
{
    return ns && ns->href &&
           strncmp((const char *)ns->href, "http://www.sbml.org/sbml/level3/", 32) == 0;
}

/* Level 2 Version 2 allows sboTerm only on some elements. */
static bool l2v2_sbo_allowed(const char *elem)
{
    static const char *const with[] = {"model",
                                       "functionDefinition",
                                       "parameter",
                                       "initialAssignment",
                                       "algebraicRule",
                                       "assignmentRule",
                                       "rateRule",
                                       "constraint",
                                       "reaction",
                                       "speciesReference",
                                       "modifierSpeciesReference",
                                       "kineticLaw",
                                       "event",
                                       "eventAssignment"};
    for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++)
        if (strcmp(with[i], elem) == 0)
            return true;
    return false;
}

static void check_attrs(walker *w, const xmlNode *n, const elem_spec *s)
{
    bool l3 = w->level >= 3, v2 = l3 && w->version >= 2;
    const char *req = l3 ? s->required : s->l2_required;
    const char *opt = l3 ? s->optional : s->l2_optional;
    const char *rule = schema_rule(w, s->attr_rule);
    int lv = w->level * 10 + w->version;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        if (a->ns && l3 && !l3_package_ns(a->ns) &&
            !xmlStrEqual(a->ns->href, (const xmlChar *)"http://www.w3.org/XML/1998/namespace")) {
            /* Level 3 lets packages add attributes, nothing else does */
            sbml_report(w->o, rule, line_of(n),
                        "<%s> may not have the attribute %s:%s from the namespace \"%s\", which "
                        "is no Level 3 package's",
                        s->name, a->ns->prefix ? (const char *)a->ns->prefix : "", an,
                        (const char *)a->ns->href);
            continue;
        }
        if (a->ns)
            continue; /* package namespaces are not ours to judge */
        if ((w->level == 2 && !l2_attr_exists(s->name, an, lv)) ||
            (lv == 22 && strcmp(an, "sboTerm") == 0 && !l2v2_sbo_allowed(s->name))) {
            char what[SBML_DESCRIBE_MAX];
            sbml_report(w->o, "sbml:10103", line_of(n),
                        "%s may not have the attribute %s in SBML Level 2 Version %d",
                        sbml_describe(what, sizeof(what), n), an, w->version);
            continue;
        }
        if (in_list(req, an) || in_list(opt, an) || strcmp(an, "metaid") == 0)
            continue;
        if (strcmp(an, "sboTerm") == 0 && !(w->level == 2 && w->version == 1) && w->level > 1)
            continue;
        if (v2 && (strcmp(an, "id") == 0 || strcmp(an, "name") == 0))
            continue;
        if (v2 && strcmp(s->name, "reaction") == 0 && strcmp(an, "fast") == 0) {
            sbml_report(w->o, rule, line_of(n),
                        "<reaction> has the attribute fast, which SBML Level 3 Version 2 removed");
            continue;
        }
        if (w->level < 3 && w->level == 1 && strcmp(an, "name") == 0)
            continue;
        char what[SBML_DESCRIBE_MAX];
        sbml_report(w->o, rule, line_of(n), "%s may not have the attribute %s",
                    sbml_describe(what, sizeof(what), n), an);
    }
    /* required attributes; Level 1 names things with `name` */
    const char *p = req;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e > p) {
            char word[64];
            size_t len = (size_t)(e - p) < sizeof(word) - 1 ? (size_t)(e - p) : sizeof(word) - 1;
            memcpy(word, p, len);
            word[len] = '\0';
            bool skip = (v2 && strcmp(s->name, "reaction") == 0 && strcmp(word, "fast") == 0) ||
                        (w->level == 1 && strcmp(word, "id") == 0);
            if (!skip && !sbml_has_attr(n, word)) {
                char what[SBML_DESCRIBE_MAX];
                sbml_report(w->o, rule, line_of(n), "%s is missing the required attribute %s",
                            sbml_describe(what, sizeof(what), n), word);
                if (w->level < 3)
                    missing(w, n, word);
            }
        }
        p = e;
    }
}

static void check_types(walker *w, const xmlNode *n)
{
    const elem_rows *rows = element_rows(w, nm(n));
    for (size_t k = 0; rows && k < rows->ntyped; k++) {
        size_t i = rows->typed[k];
        char *own;
        const char *v = sbml_attr_view(n, typed[i].attr, &own);
        if (!v)
            continue;
        bool ok = typed[i].type == 'b'   ? valid_bool(v)
                  : typed[i].type == 'd' ? valid_double(v)
                                         : valid_int(v);
        if (typed[i].type == 'd' && w->level < 3 && strcmp(typed[i].attr, "exponent") == 0)
            ok = valid_int(v);
        const char *want = typed[i].type == 'b'   ? "a boolean (true or false)"
                           : typed[i].type == 'd' ? "a number"
                                                  : "an integer";
        if (!ok) {
            sbml_report(w->o, schema_rule(w, typed[i].rule), line_of(n),
                        "the attribute %s=\"%s\" of <%s> must be %s", typed[i].attr, v, nm(n),
                        want);
            /* what libSBML's XML layer says of the same value (XMLAttributeTypeMismatch) */
            sbml_report(w->o, "sbml:01016", line_of(n),
                        "the value \"%s\" of attribute %s of <%s> is not of its type (%s)", v,
                        typed[i].attr, nm(n), want);
        }
        free(own);
    }
}

static bool is_notes_or_annotation(const xmlNode *c)
{
    return same(nm(c), "notes") || same(nm(c), "annotation");
}

/* The Level 2 rule for a list that is present but empty. */
static const char *empty_list_rule(const xmlNode *list, int level)
{
    const char *name = nm(list);
    if (strcmp(name, "listOfUnits") == 0)
        return level >= 3 ? "sbml:20413" : "sbml:20409";
    if (strcmp(name, "listOfLocalParameters") == 0)
        return "sbml:21123";
    if (strcmp(name, "listOfReactants") == 0 || strcmp(name, "listOfProducts") == 0 ||
        strcmp(name, "listOfModifiers") == 0)
        return "sbml:21103";
    if (strcmp(name, "listOfParameters") == 0 && list->parent &&
        strcmp(nm(list->parent), "kineticLaw") == 0)
        return "sbml:21123";
    if (strcmp(name, "listOfEventAssignments") == 0)
        return "sbml:21203";
    return "sbml:20203";
}

static void check_children(walker *w, const xmlNode *n)
{
    const char *name = nm(n);
    /* a kinetic law, when present, is not empty in Level 2 and Level 3 Version 1 (21103;
     * Level 1 gives it a formula attribute) */
    if (same(name, "kineticLaw") && (w->level == 2 || (w->level == 3 && w->version == 1))) {
        bool any = false;
        for (const xmlNode *c = n->children; c && !any; c = c->next)
            any = c->type == XML_ELEMENT_NODE && !is_notes_or_annotation(c);
        if (!any) {
            char what[SBML_DESCRIBE_MAX];
            sbml_report(w->o, "sbml:21103", line_of(n),
                        "%s is present but empty; it must contain <math> or be left out",
                        sbml_describe(what, sizeof(what), n));
        }
    }
    if (same(name, "stoichiometryMath")) {
        bool has = false;
        for (const xmlNode *c = n->children; c; c = c->next)
            has = has || (c->type == XML_ELEMENT_NODE && strcmp(nm(c), "math") == 0);
        if (!has) {
            char what[SBML_DESCRIBE_MAX];
            sbml_report(w->o, "sbml:99131", line_of(n), "%s has no <math>; it must contain one",
                        sbml_describe(what, sizeof(what), n));
        }
    }
    const elem_rows *rows = element_rows(w, name);
    for (size_t k = 0; rows && k < rows->nlists; k++) {
        size_t i = rows->lists[k];
        for (const xmlNode *c = n->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE || !sbml_is_sbml(c) || is_notes_or_annotation(c))
                continue;
            bool ok = is_word_of(lists[i].child, nm(c));
            /* Level 1 Version 1 spells them specie and specieReference, each in its list */
            if (!ok && w->level == 1 && strcmp(nm(c), "specieReference") == 0)
                ok = strcmp(name, "listOfReactants") == 0 || strcmp(name, "listOfProducts") == 0;
            if (!ok && w->level < 3 && strcmp(name, "listOfRules") == 0)
                ok = strstr(nm(c), "Rule") != NULL;
            if (!ok && w->level == 1 && strcmp(nm(c), "specie") == 0)
                ok = strcmp(name, "listOfSpecies") == 0;
            if (!ok && w->level < 3 && strcmp(name, "listOfParameters") == 0)
                ok = strcmp(nm(c), "parameter") == 0;
            /* Level 2 has the reactant/product/modifier list rules too */
            bool l2_rule = strcmp(lists[i].rule, "sbml:21104") == 0 ||
                           strcmp(lists[i].rule, "sbml:21105") == 0;
            char tags[128];
            if (!ok)
                sbml_report(w->o, l2_rule ? lists[i].rule : schema_rule(w, lists[i].rule),
                            line_of(c), "<%s> may only contain %s, not <%s>", name,
                            tag_list(tags, sizeof(tags), lists[i].child), nm(c));
        }
        /* an empty list is a schema error before Level 3; Level 3 Version 1 still
         * requires its lists to hold something when present (20203 for the model's, 20413,
         * 21103, 21123, 21203) */
        const char *er = empty_list_rule(n, w->level);
        bool l3v1_list =
            w->level == 3 && w->version == 1 &&
            (strcmp(er, "sbml:20203") != 0 || (n->parent && strcmp(nm(n->parent), "model") == 0));
        if (w->level < 3 || l3v1_list) {
            bool any = false;
            for (const xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && !is_notes_or_annotation(c))
                    any = true;
            if (!any) {
                const char *r = er;
                /* rule 20409 arrived with Level 2 Version 2; before, only the schema */
                if (strcmp(r, "sbml:20409") == 0 && w->level * 10 + w->version < 22)
                    r = "sbml:10103";
                char tags[128];
                sbml_report(w->o, r, line_of(n),
                            "<%s> is present but empty; it must contain at least one %s or be "
                            "left out",
                            name, tag_list(tags, sizeof(tags), lists[i].child));
            }
        }
    }
    for (size_t r = 0; rows && r < rows->nonce; r++) {
        size_t i = rows->once[r];
        int k = 0;
        for (const xmlNode *c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp(nm(c), once[i].child) == 0 && ++k == 2)
                sbml_report(w->o, schema_rule(w, once[i].rule), line_of(c),
                            "<%s> may contain only one <%s>", name, once[i].child);
    }
    /* Level 3 Version 1 requires the math (Level 2 schemas do too, but validators have
     * always accepted its absence there, and the suites' valid files rely on that) */
    if (w->level == 3 && w->version == 1) {
        for (size_t k = 0; rows && k < rows->nneeds_math; k++) {
            size_t i = rows->needs_math[k];
            bool has = false;
            for (const xmlNode *c = n->children; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE && strcmp(nm(c), "math") == 0)
                    has = true;
            if (!has)
                sbml_report(w->o, schema_rule(w, needs_math[i].rule), line_of(n),
                            "<%s> must contain <math>", name);
        }
    }
    /* an event has a trigger up to Level 3 Version 1; Version 2 made it optional */
    if (same(name, "event") && w->level >= 2 && !(w->level == 3 && w->version >= 2)) {
        bool has = false;
        for (const xmlNode *c = n->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && strcmp(nm(c), "trigger") == 0)
                has = true;
        char *id = has ? NULL : sbml_attr(n, "id");
        const char *q = id ? "\"" : "";
        /* Level 2 Version 1 has no numbered rules: its schema is what requires the trigger */
        if (!has && w->level == 2 && w->version == 1)
            sbml_report(w->o, "sbml:10103", line_of(n),
                        "<event> %s%s%shas no <trigger>, which the SBML Level 2 Version 1 schema "
                        "requires",
                        q, id ? id : "", id ? "\" " : "");
        else if (!has)
            sbml_report(w->o, "sbml:21201", line_of(n), "<event> must contain a <trigger>");
        free(id);
    }
}

/* The children each element may have, in the order Level 2 requires (notes and
 * annotation are allowed everywhere and come first). min_lv/max_lv bound the SBML
 * level*10+version where a child exists. */
typedef struct child_spec {
    const char *parent, *child;
    int min_lv, max_lv;
} child_spec;

static const child_spec children[] = {
    {"sbml", "model", 11, 99},
    {"model", "listOfFunctionDefinitions", 21, 99},
    {"model", "listOfUnitDefinitions", 11, 99},
    {"model", "listOfCompartmentTypes", 22, 25},
    {"model", "listOfSpeciesTypes", 22, 25},
    {"model", "listOfCompartments", 11, 99},
    {"model", "listOfSpecies", 11, 99},
    {"model", "listOfParameters", 11, 99},
    {"model", "listOfInitialAssignments", 22, 99},
    {"model", "listOfRules", 11, 99},
    {"model", "listOfConstraints", 22, 99},
    {"model", "listOfReactions", 11, 99},
    {"model", "listOfEvents", 21, 99},
    {"functionDefinition", "math", 21, 99},
    {"unitDefinition", "listOfUnits", 11, 99},
    {"speciesReference", "stoichiometryMath", 21, 25},
    {"stoichiometryMath", "math", 21, 25},
    {"reaction", "listOfReactants", 11, 99},
    {"reaction", "listOfProducts", 11, 99},
    {"reaction", "listOfModifiers", 21, 99},
    {"reaction", "kineticLaw", 11, 99},
    {"kineticLaw", "math", 21, 99},
    {"kineticLaw", "listOfParameters", 11, 25},
    {"kineticLaw", "listOfLocalParameters", 31, 99},
    {"assignmentRule", "math", 21, 99},
    {"rateRule", "math", 21, 99},
    {"algebraicRule", "math", 21, 99},
    {"initialAssignment", "math", 22, 99},
    {"constraint", "math", 22, 99},
    {"constraint", "message", 22, 99},
    {"event", "trigger", 21, 99},
    {"event", "delay", 21, 99},
    {"event", "listOfEventAssignments", 21, 99},
    {"event", "priority", 31, 99},
    {"trigger", "math", 21, 99},
    {"delay", "math", 21, 99},
    {"priority", "math", 31, 99},
    {"eventAssignment", "math", 21, 99},
    {"compartment", "", 0, 0},
    {"species", "", 0, 0},
    {"specie", "", 0, 0},
    {"parameter", "", 0, 0},
    {"localParameter", "", 0, 0},
    {"unit", "", 0, 0},
    {"modifierSpeciesReference", "", 0, 0},
    {"specieReference", "", 0, 0},
    {"compartmentType", "", 0, 0},
    {"speciesType", "", 0, 0},
};

/* The rule for children out of order, per parent, in Level 2. */
static const char *order_rule(const char *parent)
{
    if (strcmp(parent, "model") == 0)
        return "sbml:20202";
    if (strcmp(parent, "reaction") == 0)
        return "sbml:21102";
    if (strcmp(parent, "kineticLaw") == 0)
        return "sbml:21122";
    if (strcmp(parent, "event") == 0)
        return "sbml:21205";
    if (strcmp(parent, "constraint") == 0)
        return "sbml:21002";
    return "sbml:10103";
}

static void check_known_children(walker *w, const xmlNode *n)
{
    const char *parent = nm(n);
    /* the table's entries for this parent, looked up once rather than per child */
    size_t mine[sizeof(children) / sizeof(children[0])], nmine = 0;
    const elem_rows *rows = element_rows(w, parent);
    for (size_t k = 0; rows && k < rows->nchildren; k++)
        mine[nmine++] = rows->children[k];
    if (!nmine)
        return;
    int lv = w->level * 10 + w->version, last = -1;
    long last_line = 0;
    bool order_reported = false, seen_content = false;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *cn = nm(c);
        if (strcmp(cn, "notes") == 0 || strcmp(cn, "annotation") == 0) {
            if (seen_content && w->level == 2 && !order_reported) {
                sbml_report(w->o, "sbml:10103", line_of(c),
                            "<%s> of <%s> must come before its other children", cn, parent);
                order_reported = true;
            }
            continue;
        }
        if (!sbml_is_sbml(c) && strcmp(cn, "math") == 0)
            cn = "math";
        else if (!sbml_is_sbml(c))
            continue; /* other namespaces: packages, not ours to judge */
        seen_content = true;
        int pos = -1;
        for (size_t k = 0; k < nmine; k++) {
            size_t i = mine[k];
            if (same(children[i].child, cn) && lv >= children[i].min_lv &&
                lv <= children[i].max_lv)
                pos = (int)i;
        }
        if (pos < 0) {
            sbml_report(w->o, "sbml:10102", line_of(c),
                        "<%s> is not an element SBML Level %d Version %d allows inside <%s>", cn,
                        w->level, w->version, parent);
            TC_GROW(w->misplaced, w->misplaced_cap, w->nmisplaced + 1);
            w->misplaced[w->nmisplaced++] = c;
            continue;
        }
        if (pos < last && w->level <= 2 && !order_reported) {
            sbml_report(w->o, order_rule(parent), line_of(c),
                        "<%s> is out of order inside <%s>: it must come before <%s> (line %ld)", cn,
                        parent, children[last].child, last_line);
            order_reported = true;
        }
        if (pos > last) {
            last = pos;
            last_line = line_of(c);
        }
    }
}

/* What the Level 1 and 2 schemas add: no empty attribute values (every SBML attribute
 * type needs at least one character), list elements carry only metaid and sboTerm
 * (nothing in Level 1). */
static void check_l12_schema(walker *w, const xmlNode *n)
{
    bool list = strncmp(nm(n), "listOf", 6) == 0;
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns)
            continue;
        const char *an = (const char *)a->name;
        xmlChar *v = xmlNodeGetContent((const xmlNode *)a);
        if (v && !*v)
            sbml_report(w->o, "sbml:10103", line_of(n),
                        "the attribute %s of <%s> is empty; an SBML attribute that is present "
                        "needs a value of at least one character",
                        an, nm(n));
        xmlFree(v);
        if (list && (w->level == 1 || (strcmp(an, "metaid") != 0 && strcmp(an, "sboTerm") != 0)))
            sbml_report(w->o, "sbml:10103", line_of(n),
                        "<%s> may not have the attribute %s in SBML Level %d", nm(n), an,
                        w->level);
        else if (list && w->level == 2 && w->version < 3 && strcmp(an, "sboTerm") == 0)
            /* lists gained sboTerm with the rest of SBase in Version 3 */
            sbml_report(w->o, "sbml:10103", line_of(n),
                        "<%s> may not have the attribute sboTerm in SBML Level 2 Version %d; "
                        "lists carry one from Version 3 on",
                        nm(n), w->version);
    }
}

/* Before Level 3 there are no packages: every element below <sbml> outside notes,
 * annotations and MathML is in the document's own SBML namespace. */
static void check_l12_namespaces(walker *w, const xmlNode *n, const xmlChar *href, int depth)
{
    if (depth > 200)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *cn = nm(c);
        if (strcmp(cn, "notes") == 0 || strcmp(cn, "annotation") == 0 ||
            strcmp(cn, "math") == 0 || strcmp(cn, "message") == 0)
            continue;
        const xmlChar *ch = c->ns ? c->ns->href : NULL;
        if (!ch || !href || !xmlStrEqual(ch, href)) {
            sbml_report(w->o, "sbml:10103", line_of(c),
                        "<%s> is in the namespace \"%s\", not the document's SBML namespace "
                        "\"%s\"",
                        cn, ch ? (const char *)ch : "", href ? (const char *)href : "");
            continue;
        }
        check_l12_namespaces(w, c, href, depth + 1);
    }
}

/* ---- the rows of each element name (elem_rows) ---- */
#define MAX_NAMES 96
static struct {
    const char *name;
    elem_rows rows;
} names[MAX_NAMES];
static size_t nnames;
static sbml_map name_index; /* name -> its entry in names */
static pthread_once_t names_once = PTHREAD_ONCE_INIT;

_Static_assert(sizeof(typed) / sizeof(typed[0]) <= 256 && sizeof(lists) / sizeof(lists[0]) <= 256 &&
                   sizeof(once) / sizeof(once[0]) <= 256 &&
                   sizeof(needs_math) / sizeof(needs_math[0]) <= 256 &&
                   sizeof(children) / sizeof(children[0]) <= 256,
               "row numbers are kept in unsigned char");

static elem_rows *rows_add(const char *name)
{
    size_t k;
    if (sbml_map_get(&name_index, name, &k))
        return &names[k].rows;
    assert(nnames < MAX_NAMES);
    names[nnames].name = name;
    sbml_map_put(&name_index, name, nnames, NULL);
    return &names[nnames++].rows;
}

static void row_add(unsigned char *rows, unsigned char *n, size_t i)
{
    assert(*n < MAX_ROWS);
    rows[(*n)++] = (unsigned char)i;
}

static void build_rows(void)
{
    for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
        elem_rows *r = rows_add(specs[i].name);
        if (!r->spec)
            r->spec = &specs[i];
    }
    for (size_t i = 0; i < sizeof(typed) / sizeof(typed[0]); i++) {
        elem_rows *r = rows_add(typed[i].elem);
        row_add(r->typed, &r->ntyped, i);
    }
    for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
        elem_rows *r = rows_add(lists[i].list);
        row_add(r->lists, &r->nlists, i);
    }
    for (size_t i = 0; i < sizeof(once) / sizeof(once[0]); i++) {
        elem_rows *r = rows_add(once[i].parent);
        row_add(r->once, &r->nonce, i);
    }
    for (size_t i = 0; i < sizeof(needs_math) / sizeof(needs_math[0]); i++) {
        elem_rows *r = rows_add(needs_math[i].elem);
        row_add(r->needs_math, &r->nneeds_math, i);
    }
    for (size_t i = 0; i < sizeof(children) / sizeof(children[0]); i++) {
        elem_rows *r = rows_add(children[i].parent);
        row_add(r->children, &r->nchildren, i);
    }
}

static const elem_rows *rows_for(const char *name)
{
    size_t k;
    pthread_once(&names_once, build_rows);
    return sbml_map_get(&name_index, name, &k) ? &names[k].rows : NULL;
}

static const elem_spec *spec_for(walker *w, const char *name)
{
    const elem_rows *r = element_rows(w, name);
    return r ? r->spec : NULL;
}

static bool misplaced(const walker *w, const xmlNode *n)
{
    for (size_t i = 0; i < w->nmisplaced; i++)
        if (w->misplaced[i] == n)
            return true;
    return false;
}

static void walk(walker *w, const xmlNode *n, int depth)
{
    if (depth > 200)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!sbml_is_sbml(c)) {
            if (w->level >= 3 && !sbml_is_math(c) && !l3_package_ns(c->ns))
                sbml_report(w->o, "sbml:10102", line_of(c),
                            "<%s> is in the namespace \"%s\", which is neither SBML's nor a "
                            "Level 3 package's; outside annotations it is not allowed",
                            nm(c), c->ns ? (const char *)c->ns->href : "");
            continue;
        }
        const char *name = nm(c);
        if (same(name, "notes") || same(name, "annotation") || same(name, "math") ||
            same(name, "message") || misplaced(w, c))
            continue;
        /* Levels 1 and 2: check_l12_namespaces. In Level 3 an element of a Level 1 or 2
         * namespace belongs to another schema (the Level 3 versions share one element set) */
        if (w->level >= 3 && !l3_package_ns(c->ns))
            sbml_report(w->o, "sbml:10103", line_of(c),
                        "<%s> is in the namespace \"%s\" of an earlier SBML level; an SBML Level "
                        "%d document keeps its elements in \"%s\"",
                        name, (const char *)c->ns->href, w->level,
                        w->href ? (const char *)w->href : "");
        const elem_spec *s = spec_for(w, name);
        /* local parameters are <parameter> inside a kinetic law before Level 3 */
        if (s && strcmp(name, "parameter") == 0 && w->level >= 3 && n->parent &&
            strcmp(nm(n), "listOfLocalParameters") == 0)
            s = spec_for(w, "localParameter");
        if (w->level < 3)
            check_l12_schema(w, c);
        if (s && w->level >= 2 && !(w->level < 3 && strncmp(name, "listOf", 6) == 0))
            check_attrs(w, c, s);
        if (w->level == 1)
            check_l1_attrs(w, c);
        check_types(w, c);
        check_children(w, c);
        check_known_children(w, c);
        walk(w, c, depth + 1);
    }
}

/* The <sbml> element: namespace, level and version agree (sbml:20101-20103). */
static bool check_root(walker *w, const xmlNode *root)
{
    const char *href = root->ns ? (const char *)root->ns->href : "";
    static const struct {
        int l, v;
        const char *ns;
    } known[] = {{1, 1, "http://www.sbml.org/sbml/level1"},
                 {1, 2, "http://www.sbml.org/sbml/level1"},
                 {2, 1, "http://www.sbml.org/sbml/level2"},
                 {2, 2, "http://www.sbml.org/sbml/level2/version2"},
                 {2, 3, "http://www.sbml.org/sbml/level2/version3"},
                 {2, 4, "http://www.sbml.org/sbml/level2/version4"},
                 {2, 5, "http://www.sbml.org/sbml/level2/version5"},
                 {3, 1, "http://www.sbml.org/sbml/level3/version1/core"},
                 {3, 2, "http://www.sbml.org/sbml/level3/version2/core"}};
    char *ls = sbml_attr(root, "level"), *vs = sbml_attr(root, "version");
    long line = line_of(root);
    bool ns_known = false, match = false;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(known[i].ns, href) != 0)
            continue;
        ns_known = true;
        if (known[i].l == w->level && known[i].v == w->version)
            match = true;
    }
    bool lv_known = false;
    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (known[i].l == w->level && known[i].v == w->version)
            lv_known = true;
    if (!ls)
        sbml_report(w->o, "sbml:20102", line, "<sbml> must declare its level");
    if (!vs)
        sbml_report(w->o, "sbml:20103", line, "<sbml> must declare its version");
    if (ls && vs && !lv_known) {
        sbml_report(w->o, "sbml:99101", line, "SBML Level %s Version %s does not exist", ls, vs);
        /* and the namespace: unknown, or of another level, or of this level (then it is
         * the version that disagrees with it) */
        int ns_level = 0;
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
            if (strcmp(known[i].ns, href) == 0)
                ns_level = known[i].l;
        if (!ns_known)
            sbml_report(w->o, "sbml:20101", line,
                        "<sbml> is in the namespace \"%s\", which is not an SBML core namespace",
                        href);
        else if (ns_level == w->level)
            sbml_report(w->o, "sbml:20103", line,
                        "<sbml version=\"%s\"> does not agree with its namespace %s", vs, href);
        else
            sbml_report(w->o, "sbml:20102", line,
                        "<sbml level=\"%s\"> does not agree with its namespace %s", ls, href);
    } else if (!ns_known)
        sbml_report(w->o, "sbml:20101", line,
                    "<sbml> is in the namespace \"%s\", which is not an SBML core namespace", href);
    else if (ls && vs && !match) {
        bool level_ok = false;
        for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
            if (strcmp(known[i].ns, href) == 0 && known[i].l == w->level)
                level_ok = true;
        sbml_report(w->o, level_ok ? "sbml:20103" : "sbml:20102", line,
                    "<sbml level=\"%s\" version=\"%s\"> does not agree with its namespace %s", ls,
                    vs, href);
    }
    for (const xmlAttr *a = root->properties; w->level < 3 && a; a = a->next)
        if (a->ns && a->ns->href &&
            strncmp((const char *)a->ns->href, "http://www.sbml.org/sbml/level3/", 32) == 0)
            sbml_report(w->o, "sbml:10103", line,
                        "<sbml> of a Level %d document cannot use the Level 3 package attribute "
                        "%s:%s",
                        w->level, a->ns->prefix ? (const char *)a->ns->prefix : "",
                        (const char *)a->name);
    if (w->level >= 3) {
        for (const xmlAttr *a = root->properties; a; a = a->next) {
            const char *an = (const char *)a->name;
            if (a->ns || strcmp(an, "level") == 0 || strcmp(an, "version") == 0 ||
                strcmp(an, "metaid") == 0 || strcmp(an, "sboTerm") == 0)
                continue;
            if (w->version >= 2 && (strcmp(an, "id") == 0 || strcmp(an, "name") == 0))
                continue;
            sbml_report(w->o, "sbml:20108", line, "<sbml> may not have the attribute %s", an);
        }
    }
    int models = 0;
    for (const xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(nm(c), "model") == 0)
            models++;
        else if (w->level == 1 && (strcmp(nm(c), "notes") == 0 || strcmp(nm(c), "annotation") == 0))
            sbml_report(w->o, "sbml:99104", line_of(c),
                        "in SBML Level 1 the <sbml> element cannot have <%s>", nm(c));
    }
    if (models == 0 && !(w->level == 3 && w->version >= 2))
        sbml_report(w->o, "sbml:20201", line, "the document has no <model>");
    free(ls);
    free(vs);
    return lv_known;
}

void sbml_check_structure(const sbml_out *o, const xmlDoc *xml)
{
    const xmlNode *root = xmlDocGetRootElement((xmlDoc *)xml);
    walker w = {.o = o,
                .level = o->level,
                .version = o->version,
                .href = root->ns ? root->ns->href : NULL};
    /* no schema applies to a level and version that do not exist (99101) */
    if (!check_root(&w, root))
        return;
    if (w.level < 3 && w.level > 0)
        check_l12_namespaces(&w, root, root->ns ? root->ns->href : NULL, 0);
    check_children(&w, root);
    walk(&w, root, 0);
    free(w.misplaced);
}
