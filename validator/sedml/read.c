/* Reading SED-ML Level 1 Versions 1-4 into the document model of sedml.h.
 * What can be told from one element alone (missing or malformed attributes,
 * containers with foreign children, ids that are not SIds) is reported here;
 * references between objects and into the package are checked in validate.c. */
#include <errno.h>
#include <libxml/tree.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "sedml.h"

#define MAX_OBJECTS 100000 /* of each kind, per document */

typedef struct reader {
    const tc_package *pkg;
    const tc_file *file;
    tc_findings *fs;
    tc_sedml_doc *doc;
    const char *ns; /* the document's SED-ML namespace */
    size_t objects;
    bool over_limit;
} reader;

static const char *const namespaces[] = {
    "http://sed-ml.org/",
    "http://sed-ml.org/sed-ml/level1/version2",
    "http://sed-ml.org/sed-ml/level1/version3",
    "http://sed-ml.org/sed-ml/level1/version4",
};

static tc_loc at(const reader *r, const xmlNode *n)
{
    return (tc_loc){.file = r->file->path, .line = tc_xml_line(n)};
}

static bool is_sed(const reader *r, const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, r->ns) == 0;
}

static bool is(const reader *r, const xmlNode *n, const char *name)
{
    return is_sed(r, n) && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child(const reader *r, const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is(r, c, name))
            return c;
    return NULL;
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = tc_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static bool count_object(reader *r, const xmlNode *n)
{
    if (++r->objects <= MAX_OBJECTS)
        return true;
    if (!r->over_limit)
        tc_finding_add(r->fs, "sedml:20207", at(r, n),
                       "more than %d SED-ML objects: the rest of the document is not read",
                       MAX_OBJECTS);
    r->over_limit = true;
    return false;
}

static bool parse_double_text(const char *s, double *out)
{
    if (!s)
        return false;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    if (!*s)
        return false;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    while (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r')
        end++;
    if (end == s || *end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

static bool parse_long_text(const char *s, long *out)
{
    if (!s || !*s)
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

/* A double attribute: false when absent; a malformed value is reported under `rule`. */
static bool attr_double(reader *r, const xmlNode *n, const char *name, const char *rule,
                        double *out)
{
    char *v = attr(n, name);
    if (!v)
        return false;
    bool ok = parse_double_text(v, out);
    if (!ok)
        tc_finding_add(r->fs, rule, at(r, n), "<%s %s=\"%s\">: the value must be a number",
                       (const char *)n->name, name, v);
    free(v);
    return ok;
}

static bool attr_long(reader *r, const xmlNode *n, const char *name, const char *rule, long *out)
{
    char *v = attr(n, name);
    if (!v)
        return false;
    bool ok = parse_long_text(v, out);
    if (!ok)
        tc_finding_add(r->fs, rule, at(r, n), "<%s %s=\"%s\">: the value must be an integer",
                       (const char *)n->name, name, v);
    free(v);
    return ok;
}

/* A boolean attribute; `deflt` when absent, reported under `rule` when malformed. */
static bool attr_bool(reader *r, const xmlNode *n, const char *name, const char *rule, bool deflt)
{
    char *v = attr(n, name);
    bool out = deflt;
    if (v) {
        if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
            out = true;
        else if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
            out = false;
        else
            tc_finding_add(r->fs, rule, at(r, n), "<%s %s=\"%s\">: the value must be true or false",
                           (const char *)n->name, name, v);
    }
    free(v);
    return out;
}

static void require(reader *r, const xmlNode *n, const char *rule, const char *name,
                    const char *value)
{
    if (!value)
        tc_finding_add(r->fs, rule, at(r, n), "<%s> lacks its required attribute %s",
                       (const char *)n->name, name);
}

/* ---- containers -------------------------------------------------------------- */

static const struct {
    const char *list;
    const char *items; /* space-separated */
} containers[] = {
    {"listOfDataDescriptions", "dataDescription"},
    {"listOfModels", "model"},
    {"listOfSimulations", "uniformTimeCourse oneStep steadyState analysis"},
    {"listOfTasks", "task repeatedTask parameterEstimationTask"},
    {"listOfDataGenerators", "dataGenerator"},
    {"listOfOutputs", "report plot2D plot3D figure"},
    {"listOfStyles", "style"},
    {"listOfChanges", "changeAttribute computeChange addXML removeXML changeXML setValue"},
    {"listOfVariables", "variable"},
    {"listOfParameters", "parameter"},
    {"listOfRanges", "uniformRange vectorRange functionalRange dataRange"},
    {"listOfSubTasks", "subTask"},
    {"listOfDataSets", "dataSet"},
    {"listOfCurves", "curve shadedArea"},
    {"listOfSurfaces", "surface"},
    {"listOfAlgorithmParameters", "algorithmParameter"},
    {"listOfDataSources", "dataSource"},
    {"listOfSlices", "slice"},
    {"listOfSubPlots", "subPlot"},
};

static bool word_in(const char *word, const char *list)
{
    size_t n = strlen(word);
    for (const char *p = list; *p;) {
        const char *end = strchr(p, ' ');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && strncmp(p, word, n) == 0)
            return true;
        p += len;
        if (*p == ' ')
            p++;
    }
    return false;
}

/* Every SED-ML child of a known listOf... container must be of its item types
 * (notes and annotation are allowed everywhere). */
static void check_container(reader *r, const xmlNode *list)
{
    for (size_t i = 0; i < sizeof containers / sizeof *containers; i++) {
        if (strcmp((const char *)list->name, containers[i].list) != 0)
            continue;
        for (const xmlNode *c = list->children; c; c = c->next) {
            if (!is_sed(r, c) || strcmp((const char *)c->name, "notes") == 0 ||
                strcmp((const char *)c->name, "annotation") == 0)
                continue;
            if (!word_in((const char *)c->name, containers[i].items))
                tc_finding_add(r->fs, "sedml:20207", at(r, c), "<%s> cannot hold <%s> (only %s)",
                               containers[i].list, (const char *)c->name, containers[i].items);
        }
        return;
    }
}

/* The SED-ML children named `item` of the container `list` under n. */
#define FOR_ITEMS(r, n, list, item, c)                                                             \
    for (const xmlNode *list_##c = child(r, n, list); list_##c; list_##c = NULL)                   \
        for (const xmlNode *c = list_##c->children; c; c = c->next)                                \
            if (is(r, c, item) && count_object(r, c))

/* ---- ids ------------------------------------------------------------------------ */

static bool is_sid(const char *s)
{
    if (!s || !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
        return false;
    for (s++; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_'))
            return false;
    return true;
}

typedef struct id_entry {
    const char *id;
    long line;
} id_entry;

static int compare_ids(const void *a, const void *b)
{
    const id_entry *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

static void collect_ids(reader *r, const xmlNode *n, id_entry **ids, size_t *len, size_t *cap,
                        xmlChar ***values, size_t *nvalues, size_t *capvalues)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!is_sed(r, c))
            continue; /* math, newXML content, notes, NuML descriptions */
        const char *name = (const char *)c->name;
        if (strcmp(name, "notes") == 0 || strcmp(name, "annotation") == 0 ||
            strcmp(name, "newXML") == 0)
            continue;
        xmlChar *id = xmlGetNoNsProp(c, (const xmlChar *)"id");
        if (id) {
            if (!is_sid((const char *)id))
                tc_finding_add(r->fs, "sedml:10302", at(r, c),
                               "<%s id=\"%s\">: an id must start with a letter or underscore "
                               "and hold only letters, digits and underscores",
                               name, (const char *)id);
            TC_GROW(*ids, *cap, *len + 1);
            (*ids)[(*len)++] = (id_entry){(const char *)id, tc_xml_line(c)};
            TC_GROW(*values, *capvalues, *nvalues + 1);
            (*values)[(*nvalues)++] = id;
        }
        if (*len < MAX_OBJECTS)
            collect_ids(r, c, ids, len, cap, values, nvalues, capvalues);
    }
}

static void check_unique_ids(reader *r, const xmlNode *root)
{
    id_entry *ids = NULL;
    size_t len = 0, cap = 0, nvalues = 0, capvalues = 0;
    xmlChar **values = NULL;
    collect_ids(r, root, &ids, &len, &cap, &values, &nvalues, &capvalues);
    if (len > 1)
        qsort(ids, len, sizeof *ids, compare_ids);
    for (size_t i = 1; i < len; i++) {
        if (strcmp(ids[i].id, ids[i - 1].id) != 0)
            continue;
        size_t first = i - 1;
        while (first > 0 && strcmp(ids[first - 1].id, ids[i].id) == 0)
            first--;
        tc_loc loc = {.file = r->file->path, .line = ids[i].line};
        tc_finding_add(r->fs, "sedml:10301", loc,
                       "id '%s' is already used on line %ld: ids must be unique in the document",
                       ids[i].id, ids[first].line);
    }
    for (size_t i = 0; i < nvalues; i++)
        xmlFree(values[i]);
    free(values);
    free(ids);
}

/* ---- pieces ------------------------------------------------------------------------ */

static void read_target(const xmlNode *n, const char *name, tc_sedml_target *t)
{
    t->xpath = attr(n, name);
    if (!t->xpath)
        return;
    size_t cap = 0;
    xmlNsPtr *list = xmlGetNsList(n->doc, n);
    for (size_t i = 0; list && list[i]; i++) {
        TC_GROW(t->ns, cap, t->nns + 1);
        t->ns[t->nns].prefix = list[i]->prefix ? tc_xstrdup((const char *)list[i]->prefix) : NULL;
        t->ns[t->nns].uri = tc_xstrdup(list[i]->href ? (const char *)list[i]->href : "");
        t->nns++;
    }
    xmlFree(list);
}

static const xmlNode *find_math(const xmlNode *n)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && strcmp((const char *)c->name, "math") == 0)
            return c;
    return NULL;
}

static void read_variable(reader *r, const xmlNode *n, tc_sedml_variable *v)
{
    v->id = attr(n, "id");
    v->name = attr(n, "name");
    read_target(n, "target", &v->target);
    v->symbol = attr(n, "symbol");
    v->task_ref = attr(n, "taskReference");
    v->model_ref = attr(n, "modelReference");
    v->term = attr(n, "term");
    v->line = tc_xml_line(n);
    require(r, n, "sedml:21203", "id", v->id);
    if (!v->target.xpath && !v->symbol && !v->term)
        tc_finding_add(r->fs, "sedml:20752", at(r, n),
                       "variable '%s' has neither a target nor a symbol", v->id ? v->id : "");
}

static void read_calc(reader *r, const xmlNode *n, tc_sedml_calc *calc, bool math_required)
{
    size_t capv = 0, capp = 0;
    FOR_ITEMS(r, n, "listOfVariables", "variable", c)
    {
        TC_GROW(calc->vars, capv, calc->nvars + 1);
        tc_sedml_variable *v = &calc->vars[calc->nvars++];
        memset(v, 0, sizeof *v);
        read_variable(r, c, v);
    }
    FOR_ITEMS(r, n, "listOfParameters", "parameter", c)
    {
        TC_GROW(calc->params, capp, calc->nparams + 1);
        tc_sedml_parameter *p = &calc->params[calc->nparams++];
        memset(p, 0, sizeof *p);
        p->id = attr(c, "id");
        p->name = attr(c, "name");
        p->line = tc_xml_line(c);
        char *value = attr(c, "value");
        if (!p->id || !value)
            tc_finding_add(r->fs, "sedml:20803", at(r, c), "<parameter> lacks its %s attribute",
                           !p->id ? "id" : "value");
        else
            attr_double(r, c, "value", "sedml:20803", &p->value);
        free(value);
    }
    const xmlNode *math = find_math(n);
    if (math) {
        calc->math_line = tc_xml_line(math);
        calc->math = tc_sedml_mathml(math, r->file->path, r->fs);
    } else if (math_required) {
        char *id = attr(n, "id");
        tc_finding_add(r->fs, "sedml:21404", at(r, n), "<%s%s%s> has no <math>",
                       (const char *)n->name, id ? " id=" : "", id ? id : "");
        free(id);
    }
}

static char *serialise_children(const xmlNode *n)
{
    xmlBufferPtr buf = xmlBufferCreate();
    for (const xmlNode *c = n->children; c; c = c->next)
        xmlNodeDump(buf, n->doc, (xmlNode *)c, 0, 0);
    char *s = tc_xstrdup((const char *)xmlBufferContent(buf));
    xmlBufferFree(buf);
    return s;
}

static void read_change(reader *r, const xmlNode *n, tc_sedml_change *ch)
{
    const char *name = (const char *)n->name;
    ch->line = tc_xml_line(n);
    read_target(n, "target", &ch->target);
    if (strcmp(name, "changeAttribute") == 0) {
        ch->kind = TC_SEDML_CHANGE_ATTRIBUTE;
        ch->new_value = attr(n, "newValue");
        require(r, n, "sedml:20603", "newValue", ch->new_value);
    } else if (strcmp(name, "computeChange") == 0) {
        ch->kind = TC_SEDML_CHANGE_COMPUTE;
        ch->symbol = attr(n, "symbol");
        read_calc(r, n, &ch->calc, true);
    } else if (strcmp(name, "addXML") == 0 || strcmp(name, "changeXML") == 0) {
        ch->kind = name[0] == 'a' ? TC_SEDML_CHANGE_ADD_XML : TC_SEDML_CHANGE_XML;
        const xmlNode *nx = child(r, n, "newXML");
        bool has_element = false;
        for (const xmlNode *c = nx ? nx->children : NULL; c; c = c->next)
            has_element |= c->type == XML_ELEMENT_NODE;
        if (!has_element)
            tc_finding_add(r->fs, "sedml:20503", at(r, n),
                           "<%s> needs a <newXML> holding at least one XML element", name);
        else
            ch->new_xml = serialise_children(nx);
    } else if (strcmp(name, "removeXML") == 0) {
        ch->kind = TC_SEDML_CHANGE_REMOVE_XML;
    } else { /* setValue */
        ch->kind = TC_SEDML_CHANGE_SET_VALUE;
        ch->symbol = attr(n, "symbol");
        ch->model_ref = attr(n, "modelReference");
        ch->range = attr(n, "range");
        require(r, n, "sedml:22803", "modelReference", ch->model_ref);
        if (!ch->target.xpath && !ch->symbol)
            tc_finding_add(r->fs, "sedml:22808", at(r, n),
                           "<setValue> needs a target or a symbol to say what it sets");
        read_calc(r, n, &ch->calc, true);
        return;
    }
    if (!ch->target.xpath)
        require(r, n, "sedml:20403", "target", ch->target.xpath);
}

static void read_changes(reader *r, const xmlNode *n, tc_sedml_change **changes, size_t *count)
{
    size_t cap = 0;
    const xmlNode *list = child(r, n, "listOfChanges");
    for (const xmlNode *c = list ? list->children : NULL; c; c = c->next) {
        if (!is_sed(r, c) || !word_in((const char *)c->name, "changeAttribute computeChange "
                                                             "addXML removeXML changeXML setValue"))
            continue;
        if (!count_object(r, c))
            break;
        TC_GROW(*changes, cap, *count + 1);
        tc_sedml_change *ch = &(*changes)[(*count)++];
        memset(ch, 0, sizeof *ch);
        read_change(r, c, ch);
    }
}

/* ---- top-level lists ----------------------------------------------------------------- */

static void read_model(reader *r, const xmlNode *n, tc_sedml_model *m)
{
    m->id = attr(n, "id");
    m->name = attr(n, "name");
    m->language = attr(n, "language");
    m->source = attr(n, "source");
    m->line = tc_xml_line(n);
    if (!m->id || !m->language || !m->source)
        tc_finding_add(r->fs, "sedml:20303", at(r, n), "<model%s%s> lacks its %s attribute",
                       m->id ? " id=" : "", m->id ? m->id : "",
                       !m->id         ? "id"
                       : !m->language ? "language"
                                      : "source");
    if (m->source) {
        const char *s = m->source;
        if (s[0] == '#') {
            m->source_model = tc_xstrdup(s + 1);
        } else if (strncmp(s, "urn:", 4) == 0 || strncmp(s, "http://", 7) == 0 ||
                   strncmp(s, "https://", 8) == 0 || strncmp(s, "ftp://", 6) == 0) {
            m->source_offline = true;
        } else {
            m->source_path = tc_package_resolve(r->pkg, r->file->path, s);
        }
    }
    read_changes(r, n, &m->changes, &m->nchanges);
}

static void read_algorithm(reader *r, const xmlNode *n, tc_sedml_algorithm *a)
{
    a->kisao = attr(n, "kisaoID");
    a->line = tc_xml_line(n);
    require(r, n, "sedml:21103", "kisaoID", a->kisao);
    size_t cap = 0;
    FOR_ITEMS(r, n, "listOfAlgorithmParameters", "algorithmParameter", c)
    {
        TC_GROW(a->params, cap, a->nparams + 1);
        tc_sedml_algorithm_parameter *p = &a->params[a->nparams++];
        p->kisao = attr(c, "kisaoID");
        p->value = attr(c, "value");
        p->line = tc_xml_line(c);
        if (!p->kisao || !p->value)
            tc_finding_add(r->fs, "sedml:22403", at(r, c),
                           "<algorithmParameter> lacks its %s attribute",
                           !p->kisao ? "kisaoID" : "value");
    }
}

/* numberOfPoints (Versions 1-3; deprecated in 4) or numberOfSteps (Version 4). */
static bool read_steps(reader *r, const xmlNode *n, long *steps, const char *rule_both,
                       const char *rule_deprecated, const char *rule_bad)
{
    bool has_points = xmlHasProp(n, (const xmlChar *)"numberOfPoints") != NULL;
    bool has_steps = xmlHasProp(n, (const xmlChar *)"numberOfSteps") != NULL;
    const char *name = (const char *)n->name;
    if (has_points && has_steps)
        tc_finding_add(r->fs, rule_both, at(r, n),
                       "<%s> gives both numberOfPoints and numberOfSteps; give only one", name);
    if (r->doc->version >= 4 && has_points && !has_steps)
        tc_finding_add(r->fs, rule_deprecated, at(r, n),
                       "<%s> uses numberOfPoints, deprecated in Version 4: it means the number of "
                       "steps, so write numberOfSteps",
                       name);
    if (r->doc->version < 4 && has_steps && !has_points)
        tc_finding_add(r->fs, rule_bad, at(r, n),
                       "<%s> uses numberOfSteps, which Level 1 Version %d does not have: use "
                       "numberOfPoints",
                       name, r->doc->version);
    const char *attr_name = has_steps ? "numberOfSteps" : "numberOfPoints";
    if (!has_points && !has_steps)
        return false;
    if (!attr_long(r, n, attr_name, rule_bad, steps))
        return false;
    return true;
}

static void read_simulation(reader *r, const xmlNode *n, tc_sedml_simulation *s)
{
    const char *name = (const char *)n->name;
    s->id = attr(n, "id");
    s->name = attr(n, "name");
    s->line = tc_xml_line(n);
    require(r, n, "sedml:21203", "id", s->id);
    if (strcmp(name, "uniformTimeCourse") == 0) {
        s->kind = TC_SEDML_SIM_UNIFORM_TIME_COURSE;
        bool ok = true;
        static const char *const times[] = {"initialTime", "outputStartTime", "outputEndTime"};
        double *dst[] = {&s->initial_time, &s->output_start_time, &s->output_end_time};
        for (int i = 0; i < 3; i++) {
            if (!xmlHasProp(n, (const xmlChar *)times[i])) {
                tc_finding_add(r->fs, "sedml:21003", at(r, n),
                               "<uniformTimeCourse id=\"%s\"> lacks its %s attribute",
                               s->id ? s->id : "", times[i]);
                ok = false;
            } else if (!attr_double(r, n, times[i], "sedml:21003", dst[i])) {
                ok = false;
            }
        }
        if (!read_steps(r, n, &s->number_of_steps, "sedml:21054", "sedml:21050", "sedml:21008")) {
            if (!xmlHasProp(n, (const xmlChar *)"numberOfPoints") &&
                !xmlHasProp(n, (const xmlChar *)"numberOfSteps"))
                tc_finding_add(r->fs, "sedml:21003", at(r, n),
                               "<uniformTimeCourse id=\"%s\"> lacks its %s attribute",
                               s->id ? s->id : "",
                               r->doc->version >= 4 ? "numberOfSteps" : "numberOfPoints");
            ok = false;
        } else if (s->number_of_steps <= 0) {
            tc_finding_add(r->fs, "sedml:21008", at(r, n),
                           "<uniformTimeCourse id=\"%s\"> has %ld steps; it needs at least one",
                           s->id ? s->id : "", s->number_of_steps);
        }
        if (ok && s->output_start_time < s->initial_time)
            tc_finding_add(r->fs, "sedml:21051", at(r, n),
                           "<uniformTimeCourse id=\"%s\">: outputStartTime %g is before "
                           "initialTime %g",
                           s->id ? s->id : "", s->output_start_time, s->initial_time);
        if (ok && s->output_end_time < s->output_start_time)
            tc_finding_add(r->fs, "sedml:21052", at(r, n),
                           "<uniformTimeCourse id=\"%s\">: outputEndTime %g is before "
                           "outputStartTime %g",
                           s->id ? s->id : "", s->output_end_time, s->output_start_time);
    } else if (strcmp(name, "oneStep") == 0) {
        s->kind = TC_SEDML_SIM_ONE_STEP;
        if (!attr_double(r, n, "step", "sedml:21003", &s->step) &&
            !xmlHasProp(n, (const xmlChar *)"step"))
            tc_finding_add(r->fs, "sedml:21003", at(r, n), "<oneStep> lacks its step attribute");
        else if (s->step < 0)
            tc_finding_add(r->fs, "sedml:21003", at(r, n), "<oneStep> step %g is negative",
                           s->step);
    } else if (strcmp(name, "steadyState") == 0) {
        s->kind = TC_SEDML_SIM_STEADY_STATE;
    } else {
        s->kind = TC_SEDML_SIM_ANALYSIS;
    }
    int nalg = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!is(r, c, "algorithm"))
            continue;
        if (nalg++ == 0) {
            read_algorithm(r, c, &s->algorithm);
            s->has_algorithm = true;
        }
    }
    if (nalg != 1)
        tc_finding_add(r->fs, "sedml:20903", at(r, n),
                       "simulation '%s' has %d algorithm elements; it needs exactly one",
                       s->id ? s->id : "", nalg);
}

static void read_range(reader *r, const xmlNode *n, tc_sedml_range *g)
{
    const char *name = (const char *)n->name;
    g->id = attr(n, "id");
    g->line = tc_xml_line(n);
    require(r, n, "sedml:21203", "id", g->id);
    if (strcmp(name, "uniformRange") == 0) {
        g->kind = TC_SEDML_RANGE_UNIFORM;
        bool has_start = attr_double(r, n, "start", "sedml:22903", &g->start);
        bool has_end = attr_double(r, n, "end", "sedml:22903", &g->end);
        if (!xmlHasProp(n, (const xmlChar *)"start") || !xmlHasProp(n, (const xmlChar *)"end"))
            tc_finding_add(r->fs, "sedml:22903", at(r, n), "<uniformRange> lacks its %s attribute",
                           !xmlHasProp(n, (const xmlChar *)"start") ? "start" : "end");
        (void)has_start;
        (void)has_end;
        if (!read_steps(r, n, &g->number_of_steps, "sedml:22952", "sedml:22950", "sedml:22903")) {
            if (!xmlHasProp(n, (const xmlChar *)"numberOfPoints") &&
                !xmlHasProp(n, (const xmlChar *)"numberOfSteps"))
                tc_finding_add(r->fs, "sedml:22903", at(r, n),
                               "<uniformRange> lacks its %s attribute",
                               r->doc->version >= 4 ? "numberOfSteps" : "numberOfPoints");
        } else if (g->number_of_steps <= 0) {
            tc_finding_add(r->fs, "sedml:22903", at(r, n),
                           "<uniformRange> has %ld steps; it needs at least one",
                           g->number_of_steps);
        }
        char *type = attr(n, "type");
        if (type && strcmp(type, "log") == 0)
            g->log = true;
        else if (type && strcmp(type, "linear") != 0)
            tc_finding_add(r->fs, "sedml:22903", at(r, n),
                           "<uniformRange type=\"%s\">: the type must be linear or log", type);
        free(type);
    } else if (strcmp(name, "vectorRange") == 0) {
        g->kind = TC_SEDML_RANGE_VECTOR;
        size_t cap = 0;
        char *values = attr(n, "values"); /* L1V4 writes them in an attribute */
        if (values) {
            char *save = NULL;
            for (char *tok = strtok_r(values, " ,[]\t\n", &save); tok;
                 tok = strtok_r(NULL, " ,[]\t\n", &save)) {
                double v = 0;
                if (!parse_double_text(tok, &v)) {
                    tc_finding_add(r->fs, "sedml:23004", at(r, n),
                                   "<vectorRange> value '%s' is not a number", tok);
                    continue;
                }
                TC_GROW(g->values, cap, g->nvalues + 1);
                g->values[g->nvalues++] = v;
            }
            free(values);
        }
        for (const xmlNode *c = n->children; c; c = c->next) {
            if (!is(r, c, "value") || !count_object(r, c))
                continue;
            xmlChar *text = xmlNodeGetContent(c);
            double v = 0;
            if (!parse_double_text((const char *)text, &v)) {
                tc_finding_add(r->fs, "sedml:23004", at(r, c),
                               "<value> '%s' of a vectorRange is not a number",
                               text ? (const char *)text : "");
            } else {
                TC_GROW(g->values, cap, g->nvalues + 1);
                g->values[g->nvalues++] = v;
            }
            xmlFree(text);
        }
        if (g->nvalues == 0)
            tc_finding_add(r->fs, "sedml:23004", at(r, n), "<vectorRange> has no values");
    } else if (strcmp(name, "functionalRange") == 0) {
        g->kind = TC_SEDML_RANGE_FUNCTIONAL;
        g->range_ref = attr(n, "range");
        if (!g->range_ref)
            tc_finding_add(r->fs, "sedml:23105", at(r, n),
                           "<functionalRange> lacks its range attribute");
        read_calc(r, n, &g->calc, true);
    } else {
        g->kind = TC_SEDML_RANGE_DATA;
        g->source_ref = attr(n, "sourceReference");
    }
}

static int compare_subtasks(const void *a, const void *b)
{
    const tc_sedml_subtask *x = a, *y = b;
    if (x->order != y->order)
        return (x->order > y->order) - (x->order < y->order);
    return (x->line > y->line) - (x->line < y->line); /* stable: document order */
}

static void read_task(reader *r, const xmlNode *n, tc_sedml_task *t)
{
    const char *name = (const char *)n->name;
    t->id = attr(n, "id");
    t->name = attr(n, "name");
    t->line = tc_xml_line(n);
    require(r, n, "sedml:21203", "id", t->id);
    if (strcmp(name, "task") == 0) {
        t->kind = TC_SEDML_TASK;
        t->model_ref = attr(n, "modelReference");
        t->simulation_ref = attr(n, "simulationReference");
        if (!t->model_ref || !t->simulation_ref)
            tc_finding_add(r->fs, "sedml:21303", at(r, n),
                           "<task id=\"%s\"> lacks its %s attribute", t->id ? t->id : "",
                           !t->model_ref ? "modelReference" : "simulationReference");
        return;
    }
    if (strcmp(name, "parameterEstimationTask") == 0) {
        t->kind = TC_SEDML_PARAMETER_ESTIMATION_TASK;
        t->model_ref = attr(n, "modelReference");
        return;
    }
    t->kind = TC_SEDML_REPEATED_TASK;
    t->range = attr(n, "range");
    if (!t->range)
        tc_finding_add(r->fs, "sedml:23503", at(r, n),
                       "<repeatedTask id=\"%s\"> lacks its range attribute", t->id ? t->id : "");
    t->reset_model = attr_bool(r, n, "resetModel", "sedml:23503", false);
    t->concatenate = attr_bool(r, n, "concatenate", "sedml:23503", false);
    size_t cap = 0;
    const xmlNode *ranges = child(r, n, "listOfRanges");
    for (const xmlNode *c = ranges ? ranges->children : NULL; c; c = c->next) {
        if (!is_sed(r, c) ||
            !word_in((const char *)c->name, "uniformRange vectorRange functionalRange dataRange"))
            continue;
        if (!count_object(r, c))
            break;
        TC_GROW(t->ranges, cap, t->nranges + 1);
        tc_sedml_range *g = &t->ranges[t->nranges++];
        memset(g, 0, sizeof *g);
        read_range(r, c, g);
    }
    read_changes(r, n, &t->changes, &t->nchanges);
    cap = 0;
    FOR_ITEMS(r, n, "listOfSubTasks", "subTask", c)
    {
        TC_GROW(t->subtasks, cap, t->nsubtasks + 1);
        tc_sedml_subtask *s = &t->subtasks[t->nsubtasks++];
        memset(s, 0, sizeof *s);
        s->task = attr(c, "task");
        s->line = tc_xml_line(c);
        require(r, c, "sedml:23203", "task", s->task);
        attr_long(r, c, "order", "sedml:23203", &s->order);
    }
    if (t->nsubtasks > 1)
        qsort(t->subtasks, t->nsubtasks, sizeof *t->subtasks, compare_subtasks);
    if (t->nranges == 0 || t->nsubtasks == 0)
        tc_finding_add(r->fs, "sedml:23551", at(r, n),
                       "<repeatedTask id=\"%s\"> has no %s; it needs at least one",
                       t->id ? t->id : "", t->nranges == 0 ? "range" : "subTask");
}

/* ids and names of the NuML descriptions under a dimensionDescription */
static void collect_dimensions(const xmlNode *n, tc_sedml_data_description *d, size_t *cap)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        static const char *const keys[] = {"id", "name"};
        for (int i = 0; i < 2; i++) {
            char *v = attr(c, keys[i]);
            if (v) {
                TC_GROW(d->dimensions, *cap, d->ndimensions + 1);
                d->dimensions[d->ndimensions++] = v;
            }
        }
        if (d->ndimensions < 1000)
            collect_dimensions(c, d, cap);
    }
}

static void read_data_description(reader *r, const xmlNode *n, tc_sedml_data_description *d)
{
    d->id = attr(n, "id");
    d->name = attr(n, "name");
    d->source = attr(n, "source");
    d->format = attr(n, "format");
    d->line = tc_xml_line(n);
    if (!d->id || !d->source)
        tc_finding_add(r->fs, "sedml:23703", at(r, n), "<dataDescription> lacks its %s attribute",
                       !d->id ? "id" : "source");
    if (d->source)
        d->source_path = tc_package_resolve(r->pkg, r->file->path, d->source);
    size_t capd = 0;
    const xmlNode *dims = child(r, n, "dimensionDescription");
    if (dims)
        collect_dimensions(dims, d, &capd);
    for (const xmlNode *c = dims ? dims->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            d->outer_id = attr(c, "id");
            d->outer_name = attr(c, "name");
            break;
        }
    size_t caps = 0;
    FOR_ITEMS(r, n, "listOfDataSources", "dataSource", c)
    {
        TC_GROW(d->sources, caps, d->nsources + 1);
        tc_sedml_data_source *s = &d->sources[d->nsources++];
        memset(s, 0, sizeof *s);
        s->id = attr(c, "id");
        s->index_set = attr(c, "indexSet");
        s->line = tc_xml_line(c);
        require(r, c, "sedml:21203", "id", s->id);
        size_t capl = 0;
        FOR_ITEMS(r, c, "listOfSlices", "slice", sl)
        {
            TC_GROW(s->slices, capl, s->nslices + 1);
            tc_sedml_slice *x = &s->slices[s->nslices++];
            x->reference = attr(sl, "reference");
            x->value = attr(sl, "value");
            x->start_index = attr(sl, "startIndex");
            x->end_index = attr(sl, "endIndex");
            x->line = tc_xml_line(sl);
        }
    }
}

static void read_item(const xmlNode *c, tc_sedml_output_item *it)
{
    memset(it, 0, sizeof *it);
    it->id = attr(c, "id");
    it->name = attr(c, "name");
    it->label = attr(c, "label");
    it->style = attr(c, "style");
    it->line = tc_xml_line(c);
}

static void read_output(reader *r, const xmlNode *n, tc_sedml_output *o)
{
    const char *name = (const char *)n->name;
    o->id = attr(n, "id");
    o->name = attr(n, "name");
    o->line = tc_xml_line(n);
    require(r, n, "sedml:21203", "id", o->id);
    size_t cap = 0;
    if (strcmp(name, "report") == 0) {
        o->kind = TC_SEDML_REPORT;
        FOR_ITEMS(r, n, "listOfDataSets", "dataSet", c)
        {
            TC_GROW(o->items, cap, o->nitems + 1);
            tc_sedml_output_item *it = &o->items[o->nitems++];
            read_item(c, it);
            it->x = attr(c, "dataReference");
            if (!it->label || !it->x)
                tc_finding_add(r->fs, "sedml:22203", at(r, c),
                               "<dataSet%s%s> lacks its %s attribute", it->id ? " id=" : "",
                               it->id ? it->id : "", !it->label ? "label" : "dataReference");
        }
    } else if (strcmp(name, "plot2D") == 0) {
        o->kind = TC_SEDML_PLOT2D;
        const xmlNode *list = child(r, n, "listOfCurves");
        for (const xmlNode *c = list ? list->children : NULL; c; c = c->next) {
            if (!(is(r, c, "curve") || is(r, c, "shadedArea")) || !count_object(r, c))
                continue;
            TC_GROW(o->items, cap, o->nitems + 1);
            tc_sedml_output_item *it = &o->items[o->nitems++];
            read_item(c, it);
            it->x = attr(c, "xDataReference");
            if (is(r, c, "curve")) {
                it->y = attr(c, "yDataReference");
                static const char *const errs[] = {"xErrorUpper", "xErrorLower", "yErrorUpper",
                                                   "yErrorLower"};
                for (int i = 0; i < 4; i++)
                    it->errors[i] = attr(c, errs[i]);
            } else {
                it->y = attr(c, "yDataReferenceFrom");
                it->z = attr(c, "yDataReferenceTo");
            }
            if (!it->x || !it->y)
                tc_finding_add(r->fs, "sedml:21903", at(r, c), "<%s> lacks its %s attribute",
                               (const char *)c->name, !it->x ? "xDataReference" : "yDataReference");
        }
    } else if (strcmp(name, "plot3D") == 0) {
        o->kind = TC_SEDML_PLOT3D;
        FOR_ITEMS(r, n, "listOfSurfaces", "surface", c)
        {
            TC_GROW(o->items, cap, o->nitems + 1);
            tc_sedml_output_item *it = &o->items[o->nitems++];
            read_item(c, it);
            it->x = attr(c, "xDataReference");
            it->y = attr(c, "yDataReference");
            it->z = attr(c, "zDataReference");
            if (!it->x || !it->y || !it->z)
                tc_finding_add(r->fs, "sedml:21903", at(r, c), "<surface> lacks its %s attribute",
                               !it->x   ? "xDataReference"
                               : !it->y ? "yDataReference"
                                        : "zDataReference");
        }
    } else {
        o->kind = TC_SEDML_FIGURE;
        FOR_ITEMS(r, n, "listOfSubPlots", "subPlot", c)
        {
            TC_GROW(o->items, cap, o->nitems + 1);
            tc_sedml_output_item *it = &o->items[o->nitems++];
            read_item(c, it);
            it->x = attr(c, "plot");
        }
    }
}

/* ---- the document ------------------------------------------------------------------ */

#define READ_LIST(r, root, list, items, field, count, fn)                                          \
    do {                                                                                           \
        size_t cap_ = 0;                                                                           \
        const xmlNode *l_ = child(r, root, list);                                                  \
        for (const xmlNode *c_ = l_ ? l_->children : NULL; c_; c_ = c_->next) {                    \
            if (!is_sed(r, c_) || !word_in((const char *)c_->name, items))                         \
                continue;                                                                          \
            if (!count_object(r, c_))                                                              \
                break;                                                                             \
            TC_GROW((r)->doc->field, cap_, (r)->doc->count + 1);                                   \
            memset(&(r)->doc->field[(r)->doc->count], 0, sizeof *(r)->doc->field);                 \
            fn(r, c_, &(r)->doc->field[(r)->doc->count++]);                                        \
        }                                                                                          \
    } while (0)

static void walk_containers(reader *r, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!is_sed(r, c))
            continue;
        if (strncmp((const char *)c->name, "listOf", 6) == 0)
            check_container(r, c);
        if (depth < 32 && strcmp((const char *)c->name, "newXML") != 0)
            walk_containers(r, c, depth + 1);
    }
}

static void read_root(reader *r, const xmlNode *root)
{
    tc_sedml_doc *doc = r->doc;
    long level = 0, version = 0;
    char *lv = attr(root, "level"), *vv = attr(root, "version");
    if (!lv || !vv || !parse_long_text(lv, &level) || !parse_long_text(vv, &version) ||
        level <= 0 || version <= 0)
        tc_finding_add(r->fs, "sedml:20203", at(r, root),
                       "<sedML> needs level and version attributes holding positive integers "
                       "(level=\"%s\" version=\"%s\")",
                       lv ? lv : "(none)", vv ? vv : "(none)");
    free(lv);
    free(vv);
    int ns_version = 1;
    for (int i = 0; i < 4; i++)
        if (strcmp(r->ns, namespaces[i]) == 0)
            ns_version = i + 1;
    if ((level && level != 1) || (version && version != ns_version))
        tc_finding_add(r->fs, "sedml:10102", at(r, root),
                       "the namespace %s is SED-ML Level 1 Version %d, but the document says "
                       "level %ld version %ld",
                       r->ns, ns_version, level, version);
    doc->level = 1;
    doc->version = ns_version; /* the namespace decides how elements are read */

    walk_containers(r, root, 0);
    check_unique_ids(r, root);

    READ_LIST(r, root, "listOfDataDescriptions", "dataDescription", data_descriptions,
              ndata_descriptions, read_data_description);
    READ_LIST(r, root, "listOfModels", "model", models, nmodels, read_model);
    READ_LIST(r, root, "listOfSimulations", "uniformTimeCourse oneStep steadyState analysis",
              simulations, nsimulations, read_simulation);
    READ_LIST(r, root, "listOfTasks", "task repeatedTask parameterEstimationTask", tasks, ntasks,
              read_task);
    size_t cap = 0;
    FOR_ITEMS(r, root, "listOfDataGenerators", "dataGenerator", c)
    {
        TC_GROW(doc->data_generators, cap, doc->ndata_generators + 1);
        tc_sedml_data_generator *g = &doc->data_generators[doc->ndata_generators++];
        memset(g, 0, sizeof *g);
        g->id = attr(c, "id");
        g->name = attr(c, "name");
        g->line = tc_xml_line(c);
        require(r, c, "sedml:21203", "id", g->id);
        read_calc(r, c, &g->calc, true);
    }
    READ_LIST(r, root, "listOfOutputs", "report plot2D plot3D figure", outputs, noutputs,
              read_output);
    cap = 0;
    FOR_ITEMS(r, root, "listOfStyles", "style", c)
    {
        char *id = attr(c, "id");
        if (!id)
            continue;
        TC_GROW(doc->styles, cap, doc->nstyles + 1);
        doc->styles[doc->nstyles++] = id;
    }
}

int tc_sedml_read(tc_sedml_doc **out, const tc_package *pkg, const tc_file *file, tc_findings *fs)
{
    *out = NULL;
    if (!file->present || file->rejected || !file->data)
        return tc_error_set(TC_EINVAL, "%s has no content to read", file->path);
    /* well-formedness findings come from the parse stage; read quietly here */
    tc_findings quiet;
    tc_findings_init(&quiet);
    xmlDocPtr xml = tc_parse_xml(file, &quiet);
    tc_findings_release(&quiet);
    if (!xml)
        return tc_error_set(TC_EINVAL, "%s is not well-formed XML", file->path);
    const xmlNode *root = xmlDocGetRootElement(xml);
    const char *ns = root && root->ns && root->ns->href ? (const char *)root->ns->href : NULL;
    bool known = false;
    for (int i = 0; i < 4 && ns; i++)
        known |= strcmp(ns, namespaces[i]) == 0;
    if (!root || strcmp((const char *)root->name, "sedML") != 0 || !known) {
        tc_finding_add(fs, "sedml:10101", (tc_loc){.file = file->path, .line = tc_xml_line(root)},
                       "the root element is <%s> in namespace '%s'; SED-ML needs <sedML> in a "
                       "SED-ML Level 1 namespace such as http://sed-ml.org/sed-ml/level1/version4",
                       root ? (const char *)root->name : "", ns ? ns : "");
        xmlFreeDoc(xml);
        return tc_error_set(TC_EINVAL, "%s is not SED-ML", file->path);
    }
    tc_sedml_doc *doc = tc_xcalloc(1, sizeof *doc);
    doc->path = tc_xstrdup(file->path);
    reader r = {pkg, file, fs, doc, ns, 0, false};
    read_root(&r, root);
    xmlFreeDoc(xml);
    *out = doc;
    return 0;
}

/* ---- freeing -------------------------------------------------------------------------- */

static void free_target(tc_sedml_target *t)
{
    free(t->xpath);
    for (size_t i = 0; i < t->nns; i++) {
        free(t->ns[i].prefix);
        free(t->ns[i].uri);
    }
    free(t->ns);
}

static void free_calc(tc_sedml_calc *c)
{
    for (size_t i = 0; i < c->nvars; i++) {
        tc_sedml_variable *v = &c->vars[i];
        free(v->id);
        free(v->name);
        free_target(&v->target);
        free(v->symbol);
        free(v->task_ref);
        free(v->model_ref);
        free(v->term);
    }
    free(c->vars);
    for (size_t i = 0; i < c->nparams; i++) {
        free(c->params[i].id);
        free(c->params[i].name);
    }
    free(c->params);
    tc_expr_free(c->math);
}

static void free_changes(tc_sedml_change *changes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        tc_sedml_change *c = &changes[i];
        free_target(&c->target);
        free(c->symbol);
        free(c->new_value);
        free(c->new_xml);
        free(c->model_ref);
        free(c->range);
        free_calc(&c->calc);
    }
    free(changes);
}

void tc_sedml_free(tc_sedml_doc *doc)
{
    if (!doc)
        return;
    for (size_t i = 0; i < doc->nmodels; i++) {
        tc_sedml_model *m = &doc->models[i];
        free(m->id);
        free(m->name);
        free(m->language);
        free(m->source);
        free(m->source_path);
        free(m->source_model);
        free_changes(m->changes, m->nchanges);
    }
    free(doc->models);
    for (size_t i = 0; i < doc->nsimulations; i++) {
        tc_sedml_simulation *s = &doc->simulations[i];
        free(s->id);
        free(s->name);
        free(s->algorithm.kisao);
        for (size_t j = 0; j < s->algorithm.nparams; j++) {
            free(s->algorithm.params[j].kisao);
            free(s->algorithm.params[j].value);
        }
        free(s->algorithm.params);
    }
    free(doc->simulations);
    for (size_t i = 0; i < doc->ntasks; i++) {
        tc_sedml_task *t = &doc->tasks[i];
        free(t->id);
        free(t->name);
        free(t->model_ref);
        free(t->simulation_ref);
        free(t->range);
        for (size_t j = 0; j < t->nranges; j++) {
            free(t->ranges[j].id);
            free(t->ranges[j].values);
            free(t->ranges[j].range_ref);
            free(t->ranges[j].source_ref);
            free_calc(&t->ranges[j].calc);
        }
        free(t->ranges);
        free_changes(t->changes, t->nchanges);
        for (size_t j = 0; j < t->nsubtasks; j++)
            free(t->subtasks[j].task);
        free(t->subtasks);
    }
    free(doc->tasks);
    for (size_t i = 0; i < doc->ndata_generators; i++) {
        free(doc->data_generators[i].id);
        free(doc->data_generators[i].name);
        free_calc(&doc->data_generators[i].calc);
    }
    free(doc->data_generators);
    for (size_t i = 0; i < doc->ndata_descriptions; i++) {
        tc_sedml_data_description *d = &doc->data_descriptions[i];
        free(d->id);
        free(d->name);
        free(d->source);
        free(d->format);
        free(d->source_path);
        free(d->outer_id);
        free(d->outer_name);
        for (size_t j = 0; j < d->ndimensions; j++)
            free(d->dimensions[j]);
        free(d->dimensions);
        for (size_t j = 0; j < d->nsources; j++) {
            free(d->sources[j].id);
            free(d->sources[j].index_set);
            for (size_t k = 0; k < d->sources[j].nslices; k++) {
                free(d->sources[j].slices[k].reference);
                free(d->sources[j].slices[k].value);
                free(d->sources[j].slices[k].start_index);
                free(d->sources[j].slices[k].end_index);
            }
            free(d->sources[j].slices);
        }
        free(d->sources);
    }
    free(doc->data_descriptions);
    for (size_t i = 0; i < doc->noutputs; i++) {
        tc_sedml_output *o = &doc->outputs[i];
        free(o->id);
        free(o->name);
        for (size_t j = 0; j < o->nitems; j++) {
            tc_sedml_output_item *it = &o->items[j];
            free(it->id);
            free(it->name);
            free(it->label);
            free(it->x);
            free(it->y);
            free(it->z);
            for (int k = 0; k < 4; k++)
                free(it->errors[k]);
            free(it->style);
        }
        free(o->items);
    }
    free(doc->outputs);
    for (size_t i = 0; i < doc->nstyles; i++)
        free(doc->styles[i]);
    free(doc->styles);
    free(doc->path);
    free(doc);
}
