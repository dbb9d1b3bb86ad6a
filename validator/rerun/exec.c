/* Task execution: models prepared from their files with the SED-ML changes
 * applied to the XML, simulations on the reference solvers, repeated tasks with
 * their ranges, setValue changes and subtasks. */
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAX_DERIVATION 16 /* models deriving from models */
#define MAX_NESTING 16    /* repeated tasks inside repeated tasks */
#define DEFAULT_RTOL 1e-7
#define DEFAULT_ATOL 1e-12
/* A steady state is sought up to this time and within this many steps (an
 * oscillator runs into one of them; a settling model needs far fewer steps). */
#define STEADY_TIME_CAP 1e9
#define STEADY_MAX_STEPS 100000L

/* The models of one execution: as prepared (file + changes) and as they are now
 * (setValue changes and carried-over states). */
typedef struct rr_model {
    const char *id;
    xmlDoc *prepared;
    xmlDoc *work;
    double time;   /* where the last run of the working model ended */
    bool has_time; /* false after a reset */
} rr_model;

typedef struct rr_models {
    rr_model *items;
    size_t len, cap;
} rr_models;

static void fail(rr_exec *out, rr_status st, const char *rule, long line, const char *fmt, ...)
    TC_PRINTF(5, 6);
static void fail(rr_exec *out, rr_status st, const char *rule, long line, const char *fmt, ...)
{
    if (out->status != RR_OK)
        return; /* the first cause is the one reported */
    va_list ap;
    va_start(ap, fmt);
    tc_buf b = TC_BUF_INIT;
    tc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    out->status = st;
    out->rule = rule;
    out->line = line;
    out->reason = tc_buf_detach(&b);
}

/* ---- XPath on model documents ---- */

static bool is_sbml_ns(const char *uri)
{
    return uri && strncmp(uri, "http://www.sbml.org/sbml/level", 30) == 0;
}

/* Select nodes; SBML core namespaces of any level stand for the model's own (a
 * SED-ML file often names another level's namespace than the model uses). */
static xmlXPathObject *select_nodes(xmlDoc *doc, const tc_sedml_target *t)
{
    xmlXPathContext *x = xmlXPathNewContext(doc);
    if (!x)
        return NULL;
    xmlNode *root = xmlDocGetRootElement(doc);
    const char *own = root && root->ns ? (const char *)root->ns->href : NULL;
    bool sbml_prefix = false;
    for (size_t i = 0; i < t->nns; i++) {
        const char *uri = t->ns[i].uri;
        if (is_sbml_ns(uri) && own)
            uri = own;
        if (t->ns[i].prefix && uri)
            xmlXPathRegisterNs(x, (const xmlChar *)t->ns[i].prefix, (const xmlChar *)uri);
        sbml_prefix = sbml_prefix || (t->ns[i].prefix && strcmp(t->ns[i].prefix, "sbml") == 0);
    }
    /* many SED-ML files use the prefix "sbml" without declaring it */
    if (!sbml_prefix && own)
        xmlXPathRegisterNs(x, (const xmlChar *)"sbml", (const xmlChar *)own);
    xmlXPathObject *r = xmlXPathEvalExpression((const xmlChar *)t->xpath, x);
    xmlXPathFreeContext(x);
    if (r && r->type != XPATH_NODESET) {
        xmlXPathFreeObject(r);
        return NULL;
    }
    return r;
}

static size_t nodes_count(const xmlXPathObject *r)
{
    return r && r->nodesetval ? (size_t)r->nodesetval->nodeNr : 0;
}

/* The attribute that holds an element's value. */
static const char *value_attribute(xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (strcmp(name, "species") == 0)
        return xmlHasProp(n, (const xmlChar *)"initialConcentration") ? "initialConcentration"
                                                                       : "initialAmount";
    if (strcmp(name, "compartment") == 0)
        return xmlHasProp(n, (const xmlChar *)"volume") ? "volume" : "size";
    if (strcmp(name, "speciesReference") == 0)
        return "stoichiometry";
    if (strcmp(name, "parameter") == 0 || strcmp(name, "localParameter") == 0)
        return "value";
    return NULL;
}

static bool node_value(xmlNode *n, double *v)
{
    xmlChar *text = NULL;
    if (n->type == XML_ATTRIBUTE_NODE) {
        text = xmlNodeGetContent(n);
    } else if (n->type == XML_ELEMENT_NODE) {
        const char *attr = value_attribute(n);
        if (attr)
            text = xmlGetProp(n, (const xmlChar *)attr);
    }
    if (!text)
        return false;
    char *end;
    *v = strtod((const char *)text, &end);
    bool ok = end != (char *)text;
    xmlFree(text);
    return ok;
}

static void put_number(char buf[40], double v)
{
    for (int digits = 15; digits <= 17; digits++) {
        snprintf(buf, 40, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
}

static bool set_node_value(xmlNode *n, const char *text)
{
    if (n->type == XML_ATTRIBUTE_NODE && n->parent) {
        xmlSetProp(n->parent, n->name, (const xmlChar *)text);
        return true;
    }
    if (n->type != XML_ELEMENT_NODE)
        return false;
    const char *attr = value_attribute(n);
    if (!attr)
        return false;
    xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)text);
    return true;
}

/* ---- the models of an execution ---- */

static rr_model *model_slot(rr_models *ms, const char *id)
{
    for (size_t i = 0; i < ms->len; i++)
        if (strcmp(ms->items[i].id, id) == 0)
            return &ms->items[i];
    return NULL;
}

static void models_release(rr_models *ms)
{
    for (size_t i = 0; i < ms->len; i++) {
        xmlFreeDoc(ms->items[i].prepared);
        xmlFreeDoc(ms->items[i].work);
    }
    free(ms->items);
}

typedef struct lookup_ctx {
    rr_ctx *c;
    rr_models *ms;
    const tc_sedml_calc *calc;
    const char *model_ref; /* default model of the calculation's variables */
    xmlDoc *model;         /* or this document (a change's own model) */
    const tc_sedml_range *ranges;
    size_t nranges;
    const double *range_values;
    bool failed;
} lookup_ctx;

static xmlDoc *work_doc(rr_ctx *c, rr_models *ms, const char *id, rr_exec *out, int depth);

static bool lookup(void *vctx, const char *name, double *value)
{
    lookup_ctx *l = vctx;
    for (size_t i = 0; i < l->nranges; i++)
        if (l->ranges[i].id && strcmp(l->ranges[i].id, name) == 0) {
            *value = l->range_values[i];
            return true;
        }
    for (size_t i = 0; l->calc && i < l->calc->nparams; i++)
        if (strcmp(l->calc->params[i].id, name) == 0) {
            *value = l->calc->params[i].value;
            return true;
        }
    for (size_t i = 0; l->calc && i < l->calc->nvars; i++) {
        const tc_sedml_variable *v = &l->calc->vars[i];
        if (!v->id || strcmp(v->id, name) != 0)
            continue;
        xmlDoc *doc = l->model;
        const char *ref = v->model_ref ? v->model_ref : l->model_ref;
        if ((v->model_ref && (!l->model_ref || strcmp(v->model_ref, l->model_ref) != 0)) ||
            !doc) {
            rr_exec scratch = {0};
            doc = ref ? work_doc(l->c, l->ms, ref, &scratch, 0) : NULL;
            free(scratch.reason);
        }
        if (!doc || !v->target.xpath)
            return false;
        xmlXPathObject *r = select_nodes(doc, &v->target);
        bool ok = nodes_count(r) == 1 && node_value(r->nodesetval->nodeTab[0], value);
        xmlXPathFreeObject(r);
        return ok;
    }
    return false;
}

static bool eval_calc(lookup_ctx *l, double *value, const char **why)
{
    *why = NULL;
    if (!l->calc->math) {
        *why = "it has no math";
        return false;
    }
    *value = rr_eval(l->calc->math, lookup, l, why);
    return *why == NULL;
}

/* Apply one change (or setValue) to `doc`. */
static void apply_change(rr_ctx *c, rr_models *ms, xmlDoc *doc, const tc_sedml_change *ch,
                         lookup_ctx *l, rr_exec *out)
{
    if (!ch->target.xpath) {
        fail(out, RR_BROKEN, "rerun:change-failed", ch->line, "the change has no target");
        return;
    }
    xmlXPathObject *r = select_nodes(doc, &ch->target);
    size_t n = nodes_count(r);
    if (!r || n == 0) {
        fail(out, RR_BROKEN, "rerun:change-failed", ch->line,
             "the change's target '%s' selects nothing in the model", ch->target.xpath);
        goto cleanup;
    }
    char num[40];
    const char *why = NULL;
    double v = NAN;
    switch (ch->kind) {
    case TC_SEDML_CHANGE_ATTRIBUTE:
        for (size_t i = 0; i < n; i++)
            if (!set_node_value(r->nodesetval->nodeTab[i], ch->new_value ? ch->new_value : "")) {
                fail(out, RR_BROKEN, "rerun:change-failed", ch->line,
                     "the target '%s' of changeAttribute is no attribute", ch->target.xpath);
                break;
            }
        break;
    case TC_SEDML_CHANGE_COMPUTE:
    case TC_SEDML_CHANGE_SET_VALUE: {
        lookup_ctx mine = *l;
        mine.calc = &ch->calc;
        mine.model = ch->kind == TC_SEDML_CHANGE_COMPUTE ? doc : NULL;
        if (!eval_calc(&mine, &v, &why)) {
            fail(out, RR_BROKEN, "rerun:change-failed", ch->line,
                 "the value of the change to '%s' cannot be computed: %s", ch->target.xpath,
                 why ? why : "a variable selects no value");
            break;
        }
        put_number(num, v);
        for (size_t i = 0; i < n; i++)
            if (!set_node_value(r->nodesetval->nodeTab[i], num)) {
                fail(out, RR_BROKEN, "rerun:change-failed", ch->line,
                     "the target '%s' holds no value that can be set", ch->target.xpath);
                break;
            }
        break;
    }
    case TC_SEDML_CHANGE_REMOVE_XML:
        for (size_t i = 0; i < n; i++) {
            xmlNode *node = r->nodesetval->nodeTab[i];
            if (node->type == XML_ATTRIBUTE_NODE) {
                xmlRemoveProp((xmlAttr *)node);
            } else {
                xmlUnlinkNode(node);
                xmlFreeNode(node);
            }
            r->nodesetval->nodeTab[i] = NULL;
        }
        break;
    case TC_SEDML_CHANGE_ADD_XML:
    case TC_SEDML_CHANGE_XML:
        for (size_t i = 0; i < n; i++) {
            xmlNode *node = r->nodesetval->nodeTab[i];
            xmlNode *ctx_node = ch->kind == TC_SEDML_CHANGE_ADD_XML ? node : node->parent;
            xmlNode *list = NULL;
            const char *text = ch->new_xml ? ch->new_xml : "";
            if (node->type != XML_ELEMENT_NODE || !ctx_node ||
                ctx_node->type != XML_ELEMENT_NODE ||
                xmlParseInNodeContext(ctx_node, text, (int)strlen(text),
                                      XML_PARSE_NONET | XML_PARSE_NOENT * 0, &list) != 0) {
                xmlFreeNodeList(list);
                fail(out, RR_BROKEN, "rerun:change-failed", ch->line,
                     "the new XML of the change to '%s' cannot be placed there",
                     ch->target.xpath);
                break;
            }
            for (xmlNode *k = list, *next; k; k = next) {
                next = k->next;
                xmlUnlinkNode(k);
                if (ch->kind == TC_SEDML_CHANGE_ADD_XML)
                    xmlAddChild(node, k);
                else
                    xmlAddPrevSibling(node, k);
            }
            if (ch->kind == TC_SEDML_CHANGE_XML) {
                xmlUnlinkNode(node);
                xmlFreeNode(node);
                r->nodesetval->nodeTab[i] = NULL;
            }
        }
        break;
    }
cleanup:
    xmlXPathFreeObject(r);
    (void)c;
    (void)ms;
}

/* The model document of SED-ML model `id` as prepared: its file, or the model it
 * derives from, with its changes applied. */
static xmlDoc *prepare(rr_ctx *c, rr_models *ms, const char *id, rr_exec *out, int depth)
{
    const tc_sedml_model *m = tc_sedml_find_model(c->doc, id);
    if (!m) {
        fail(out, RR_BROKEN, "rerun:missing-model", 0, "no model '%s' in the SED-ML file", id);
        return NULL;
    }
    if (depth > MAX_DERIVATION) {
        fail(out, RR_BROKEN, "rerun:missing-model", m->line,
             "model '%s' derives from models more than %d deep (circular?)", id, MAX_DERIVATION);
        return NULL;
    }
    if (m->language && strstr(m->language, "cellml")) {
        fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable", m->line,
             "model '%s' is CellML: CellML is not read yet", id);
        return NULL;
    }
    if (m->language && !strstr(m->language, "sbml")) {
        fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable", m->line,
             "model '%s' is in language '%s', which is not read", id, m->language);
        return NULL;
    }
    xmlDoc *doc = NULL;
    if (m->source_model) {
        xmlDoc *base = work_doc(c, ms, m->source_model, out, depth + 1);
        rr_model *slot = base ? model_slot(ms, m->source_model) : NULL;
        if (!slot)
            return NULL;
        doc = xmlCopyDoc(slot->prepared, 1);
    } else if (!m->source_path) {
        if (m->source_offline)
            fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable", m->line,
                 "the source '%s' of model '%s' is not in the package and is not fetched",
                 m->source ? m->source : "", id);
        else
            fail(out, RR_BROKEN, "rerun:missing-model", m->line,
                 "the source '%s' of model '%s' is not a file of the package",
                 m->source ? m->source : "", id);
        return NULL;
    } else {
        const tc_file *f = tc_package_find(c->pkg, m->source_path);
        if (!f || !f->present || f->rejected || !f->data) {
            fail(out, RR_BROKEN, "rerun:missing-model", m->line,
                 "the model file '%s' of model '%s' is missing from the package", m->source_path,
                 id);
            return NULL;
        }
        doc = tc_xml_read(f->data, f->size, f->path, NULL, NULL);
        if (!doc) {
            fail(out, RR_BROKEN, "rerun:missing-model", m->line,
                 "the model file '%s' of model '%s' is not well-formed XML", m->source_path, id);
            return NULL;
        }
    }
    lookup_ctx l = {.c = c, .ms = ms, .model_ref = id};
    for (size_t i = 0; i < m->nchanges && out->status == RR_OK; i++)
        apply_change(c, ms, doc, &m->changes[i], &l, out);
    if (out->status != RR_OK) {
        xmlFreeDoc(doc);
        return NULL;
    }
    return doc;
}

static xmlDoc *work_doc(rr_ctx *c, rr_models *ms, const char *id, rr_exec *out, int depth)
{
    rr_model *slot = model_slot(ms, id);
    if (slot)
        return slot->work;
    xmlDoc *doc = prepare(c, ms, id, out, depth);
    if (!doc)
        return NULL;
    TC_GROW(ms->items, ms->cap, ms->len + 1);
    ms->items[ms->len++] = (rr_model){.id = id, .prepared = doc, .work = xmlCopyDoc(doc, 1)};
    return ms->items[ms->len - 1].work;
}

static void reset_models(rr_models *ms)
{
    for (size_t i = 0; i < ms->len; i++) {
        xmlFreeDoc(ms->items[i].work);
        ms->items[i].work = xmlCopyDoc(ms->items[i].prepared, 1);
        ms->items[i].has_time = false;
    }
}

/* ---- one simulation ---- */

static double algorithm_parameter(const tc_sedml_algorithm *a, const char *kisao, double dflt)
{
    char want[14], have[14];
    if (!tc_kisao_normalize(kisao, want))
        return dflt;
    for (size_t i = 0; i < a->nparams; i++) {
        if (!a->params[i].kisao || !tc_kisao_normalize(a->params[i].kisao, have) ||
            strcmp(want, have) != 0 || !a->params[i].value)
            continue;
        char *end;
        double v = strtod(a->params[i].value, &end);
        if (end != a->params[i].value && !*end && isfinite(v) && v > 0)
            return v;
    }
    return dflt;
}

/* The SBML element `name` with id `id`. Only SBML core elements count: an
 * annotation may hold elements of the same name and id in its own namespace (a
 * layout tool's copy of the species, say), which are never the model's. */
static xmlNode *find_element(xmlNode *n, const char *name, const char *id)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE ||
            (n->ns && !is_sbml_ns((const char *)n->ns->href)) ||
            strcmp((const char *)n->name, "annotation") == 0)
            continue;
        if (strcmp((const char *)n->name, name) == 0) {
            xmlChar *v = xmlGetProp(n, (const xmlChar *)"id");
            bool match = v && strcmp((const char *)v, id) == 0;
            xmlFree(v);
            if (match)
                return n;
        }
        xmlNode *k = find_element(n->children, name, id);
        if (k)
            return k;
    }
    return NULL;
}

static void drop_initial_assignment(xmlDoc *doc, const char *symbol)
{
    xmlNode *root = xmlDocGetRootElement(doc);
    tc_sedml_target t = {.xpath = NULL};
    char *xp = tc_xasprintf("//*[local-name()='initialAssignment' and @symbol='%s']", symbol);
    t.xpath = xp;
    xmlXPathObject *r = select_nodes(doc, &t);
    for (size_t i = 0; i < nodes_count(r); i++) {
        xmlUnlinkNode(r->nodesetval->nodeTab[i]);
        xmlFreeNode(r->nodesetval->nodeTab[i]);
        r->nodesetval->nodeTab[i] = NULL;
    }
    xmlXPathFreeObject(r);
    free(xp);
    (void)root;
}

/* The state at the end of a run becomes the initial state of the working model
 * (resetModel="false"): species, and compartments and parameters that change. */
static void carry_state(xmlDoc *doc, const rr_run *run)
{
    const tc_sbml_model *m = run->doc->model;
    size_t last = tc_sim_result_rows(run->res) - 1;
    xmlNode *root = xmlDocGetRootElement(doc);
    char num[40];
    for (size_t i = 0; i < m->nspecies; i++) {
        const tc_sbml_species *s = &m->species[i];
        xmlNode *n = s->b.id ? find_element(root, "species", s->b.id) : NULL;
        tc_sbml_output o;
        if (!n || s->constant == 1)
            continue;
        bool conc = xmlHasProp(n, (const xmlChar *)"initialConcentration") &&
                    s->has_only_substance_units != 1;
        if (tc_sbml_sim_output(run->sim, s->b.id,
                               conc ? TC_SBML_CONCENTRATION : TC_SBML_AMOUNT, &o) != 0)
            continue;
        double v = tc_sbml_output_value(&o, run->res, last);
        if (!isfinite(v))
            continue;
        put_number(num, v);
        xmlSetProp(n, (const xmlChar *)(conc ? "initialConcentration" : "initialAmount"),
                   (const xmlChar *)num);
        drop_initial_assignment(doc, s->b.id);
    }
    for (size_t i = 0; i < m->nparameters + m->ncompartments; i++) {
        bool param = i < m->nparameters;
        const char *id = param ? m->parameters[i].b.id : m->compartments[i - m->nparameters].b.id;
        tc_sbml_bool constant =
            param ? m->parameters[i].constant : m->compartments[i - m->nparameters].constant;
        xmlNode *n = id ? find_element(root, param ? "parameter" : "compartment", id) : NULL;
        tc_sbml_output o;
        if (!n || constant == 1 || tc_sbml_sim_output(run->sim, id, TC_SBML_NATURAL, &o) != 0)
            continue;
        double v = tc_sbml_output_value(&o, run->res, last);
        if (!isfinite(v))
            continue;
        put_number(num, v);
        set_node_value(n, num);
        drop_initial_assignment(doc, id);
    }
    tc_error_clear();
}

static void run_free(rr_run *r)
{
    tc_sim_result_free(r->res);
    tc_sbml_sim_free(r->sim);
    tc_sbml_doc_free(r->doc);
}

static void simulate(rr_ctx *c, rr_models *ms, const tc_sedml_task *task, rr_config cfg,
                     rr_exec *out)
{
    const tc_sedml_simulation *s = task->simulation_ref
                                       ? tc_sedml_find_simulation(c->doc, task->simulation_ref)
                                       : NULL;
    if (!s) {
        fail(out, RR_BROKEN, "rerun:missing-model", task->line,
             "task '%s' names no simulation of the SED-ML file", task->id);
        return;
    }
    if (!task->model_ref) {
        fail(out, RR_BROKEN, "rerun:missing-model", task->line, "task '%s' names no model",
             task->id);
        return;
    }
    if (s->kind == TC_SEDML_SIM_ANALYSIS) {
        fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable", s->line,
             "simulation '%s' is an analysis: only time courses (uniformTimeCourse, oneStep) "
             "and steady states are re-run",
             s->id);
        return;
    }
    bool steady = s->kind == TC_SEDML_SIM_STEADY_STATE;
    tc_kisao_mapping map = {0};
    const tc_kisao_term *term =
        s->has_algorithm && s->algorithm.kisao ? tc_kisao_find(s->algorithm.kisao) : NULL;
    if (steady && term && (term->flags & TC_KISAO_STEADY_STATE))
        /* any steady-state method: the solution is the same point, reached here by
         * integrating until the rates vanish */
        map = (tc_kisao_mapping){
            .integrator = TC_INTEGRATOR_BDF,
            .text = tc_xasprintf("%s (%s) run as bdf integration until every rate vanishes "
                                 "(steady state)",
                                 term->id, term->name)};
    else if (s->has_algorithm && s->algorithm.kisao)
        tc_kisao_map(s->algorithm.kisao, &map);
    else
        map = (tc_kisao_mapping){.integrator = TC_INTEGRATOR_BDF,
                                 .text = tc_xstrdup("no algorithm given: run with bdf")};
    if (steady && map.integrator != TC_INTEGRATOR_NONE && !(term && (term->flags & TC_KISAO_STEADY_STATE))) {
        char *text = tc_xasprintf("%s, integrated until every rate vanishes (steady state)",
                                  map.text);
        free(map.text);
        map.text = text;
    }
    if (!out->substitution)
        out->substitution = tc_xstrdup(map.text);
    if (map.integrator == TC_INTEGRATOR_NONE) {
        fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable",
             s->algorithm.line ? s->algorithm.line : s->line, "%s", map.text);
        free(map.text);
        return;
    }
    free(map.text);
    bool bdf = (map.integrator == TC_INTEGRATOR_BDF) != cfg.second;
    if (!out->integrator)
        out->integrator = bdf ? "bdf" : "rk45";

    xmlDoc *xml = work_doc(c, ms, task->model_ref, out, 0);
    if (!xml)
        return;
    xmlChar *bytes = NULL;
    int nbytes = 0;
    xmlDocDumpMemory(xml, &bytes, &nbytes);
    const tc_sedml_model *m = tc_sedml_find_model(c->doc, task->model_ref);
    const char *label = m && m->source_path ? m->source_path : task->model_ref;
    rr_run run = {.model_id = task->model_ref, .task = task};
    tc_findings scratch;
    tc_findings_init(&scratch);
    int rc = bytes ? tc_sbml_read(&run.doc, bytes, (size_t)nbytes, label, &scratch) : TC_EINVAL;
    xmlFree(bytes);
    if (rc == 0 && run.doc) {
        /* A composed model is flattened with the package's own files, never outside it. */
        tc_sbml_resolver in_package = tc_sbml_resolver_package(c->pkg);
        rc = tc_sbml_flatten(run.doc, &in_package, &scratch);
    }
    tc_findings_release(&scratch);
    if (rc != 0 || !run.doc || !run.doc->model) {
        fail(out, RR_BROKEN, "rerun:missing-model", m ? m->line : task->line,
             "model '%s' (%s) is not a readable SBML model", task->model_ref, label);
        goto failed;
    }
    rc = tc_sbml_sim_new(&run.sim, run.doc);
    if (rc != 0) {
        fail(out, rc == TC_EUSAGE ? RR_NOT_VERIFIABLE : RR_BROKEN,
             rc == TC_EUSAGE ? "rerun:not-verifiable" : "rerun:missing-model",
             m ? m->line : task->line, "model '%s' cannot be simulated: %s", task->model_ref,
             tc_error_last());
        goto failed;
    }
    tc_system *sys = NULL;
    rc = tc_system_new(&sys, tc_sbml_sim_model(run.sim));
    if (rc != 0) {
        fail(out, rc == TC_SOLVER_EUNSUPPORTED ? RR_NOT_VERIFIABLE : RR_BROKEN,
             rc == TC_SOLVER_EUNSUPPORTED ? "rerun:not-verifiable" : "rerun:missing-model",
             m ? m->line : task->line, "model '%s' cannot be compiled: %s", task->model_ref,
             tc_solver_error());
        goto failed;
    }
    /* the output grid */
    size_t npts;
    double *times;
    double t0;
    rr_model *slot = model_slot(ms, task->model_ref);
    if (steady) {
        /* one point: the steady state, reached from the model's initial state */
        npts = 1;
        times = tc_xcalloc(1, sizeof *times);
        t0 = 0;
    } else if (s->kind == TC_SEDML_SIM_ONE_STEP) {
        /* one further step from the model's current state: time goes on from where
         * the last run of the model (not reset since) ended */
        npts = 2;
        times = tc_xcalloc(2, sizeof *times);
        t0 = slot && slot->has_time ? slot->time : 0;
        times[0] = t0;
        times[1] = t0 + s->step;
    } else {
        npts = s->number_of_steps >= 0 ? (size_t)s->number_of_steps + 1 : 0;
        if (npts == 0 || npts > c->opt->max_points || !(s->output_end_time >= s->output_start_time) ||
            s->output_start_time < s->initial_time) {
            fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable", s->line, "simulation '%s' has no usable output grid (%ld steps from %g to %g)",
                 s->id, s->number_of_steps, s->output_start_time, s->output_end_time);
            tc_system_free(sys);
            goto failed;
        }
        t0 = s->initial_time;
        /* this simulation's number within the task picks its declared time points */
        size_t k = c->simulations;
        if (k < cfg.ngrids && cfg.grids[k].n) {
            npts = cfg.grids[k].n;
            times = tc_xcalloc(npts, sizeof *times);
            memcpy(times, cfg.grids[k].times, npts * sizeof *times);
        } else {
            times = tc_xcalloc(npts, sizeof *times);
            for (size_t i = 0; i < npts; i++)
                times[i] = i + 1 == npts ? s->output_end_time
                                         : s->output_start_time +
                                               (s->output_end_time - s->output_start_time) *
                                                   (double)i / (double)(npts - 1);
        }
    }
    c->points += npts;
    if (++c->simulations > c->opt->max_iterations || c->points > c->opt->max_points) {
        fail(out, RR_NOT_VERIFIABLE, "rerun:limit", task->line,
             "task '%s' needs more than %zu simulations or %zu output points", task->id,
             c->opt->max_iterations, c->opt->max_points);
        free(times);
        tc_system_free(sys);
        goto failed;
    }
    tc_sim_options so = TC_SIM_OPTIONS_INIT;
    so.method = bdf ? TC_METHOD_BDF : TC_METHOD_DOPRI5;
    so.rtol = fmax(algorithm_parameter(&s->algorithm, "KISAO:0000209", DEFAULT_RTOL) / cfg.scale,
                   1e-13);
    so.atol = fmax(algorithm_parameter(&s->algorithm, "KISAO:0000211", DEFAULT_ATOL) / cfg.scale,
                   1e-300);
    so.t0 = t0;
    so.times = times;
    so.n_times = npts;
    so.max_steps = c->opt->max_steps;
    so.max_wall_seconds = c->opt->max_seconds;
    so.seed = c->opt->seed;
    if (steady) {
        so.t1 = t0 + STEADY_TIME_CAP;
        so.max_steps = c->opt->max_steps < STEADY_MAX_STEPS ? c->opt->max_steps : STEADY_MAX_STEPS;
        rc = tc_steady_state(sys, &so, &run.res);
    } else {
        rc = tc_simulate(sys, &so, &run.res);
    }
    free(times);
    tc_system_free(sys);
    if (rc == TC_SOLVER_ENOSTEADY) {
        /* an oscillator, or a drift too slow to end within the limits: there is no
         * steady state to compare with */
        fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable", s->line,
             "simulation '%s' (steadyState) of task '%s' with %s: %s", s->id, task->id,
             bdf ? "bdf" : "rk45", tc_sim_result_message(run.res));
        goto failed;
    }
    if (rc != 0) {
        fail(out, RR_DIVERGED, "rerun:diverged", task->line,
             "task '%s' with %s (rtol %g) failed: %s", task->id, bdf ? "bdf" : "rk45", so.rtol,
             run.res ? tc_sim_result_message(run.res) : tc_solver_error());
        goto failed;
    }
    TC_GROW(out->runs, out->cap, out->nruns + 1);
    out->runs[out->nruns++] = run;
    carry_state(xml, &run);
    if (slot && !steady) {
        slot->time = tc_sim_result_time(run.res, tc_sim_result_rows(run.res) - 1);
        slot->has_time = true;
    }
    return;
failed:
    run_free(&run);
}

/* ---- repeated tasks ---- */

/* ndata: the number of values of each dataRange of t (by position). */
static size_t range_length(const tc_sedml_range *r, const tc_sedml_task *t, const size_t *ndata)
{
    switch (r->kind) {
    case TC_SEDML_RANGE_UNIFORM:
        return r->number_of_steps >= 0 ? (size_t)r->number_of_steps + 1 : 0;
    case TC_SEDML_RANGE_VECTOR:
        return r->nvalues;
    case TC_SEDML_RANGE_FUNCTIONAL:
        for (size_t i = 0; r->range_ref && i < t->nranges; i++)
            if (t->ranges[i].id && strcmp(t->ranges[i].id, r->range_ref) == 0 &&
                &t->ranges[i] != r && t->ranges[i].kind != TC_SEDML_RANGE_FUNCTIONAL)
                return range_length(&t->ranges[i], t, ndata);
        return 0;
    case TC_SEDML_RANGE_DATA:
        return ndata[r - t->ranges];
    }
    return 0;
}

/* Read the values of every dataRange of a repeated task into data[k] (k its position). */
static bool read_data_ranges(rr_ctx *c, const tc_sedml_task *task, double **data, size_t *ndata,
                             rr_exec *out)
{
    for (size_t k = 0; k < task->nranges; k++) {
        const tc_sedml_range *r = &task->ranges[k];
        if (r->kind != TC_SEDML_RANGE_DATA)
            continue;
        if (!r->source_ref) {
            fail(out, RR_BROKEN, "rerun:data-range", r->line,
                 "dataRange '%s' of repeated task '%s' has no sourceReference naming a data "
                 "source",
                 r->id ? r->id : "", task->id);
            return false;
        }
        long line = 0;
        int rc = tc_sedml_data_values(c->doc, c->pkg, r->source_ref, c->opt->max_iterations,
                                      &data[k], &ndata[k], &line);
        if (rc == 0)
            continue;
        /* more values than the limit, or a format not read: the package may be right */
        rr_status st = rc == TC_ELIMIT || rc == TC_EUSAGE ? RR_NOT_VERIFIABLE : RR_BROKEN;
        const char *rule = rc == TC_ELIMIT    ? "rerun:limit"
                           : rc == TC_EUSAGE ? "rerun:not-verifiable"
                                             : "rerun:data-range";
        fail(out, st, rule, line ? line : r->line, "dataRange '%s' of repeated task '%s': %s",
             r->id ? r->id : "", task->id, tc_error_last());
        return false;
    }
    return true;
}

static void exec_task(rr_ctx *c, rr_models *ms, const tc_sedml_task *task, rr_config cfg,
                      rr_exec *out, int depth);

static void repeat(rr_ctx *c, rr_models *ms, const tc_sedml_task *task, rr_config cfg,
                   rr_exec *out, int depth)
{
    const tc_sedml_range *master = NULL;
    for (size_t i = 0; task->range && i < task->nranges; i++)
        if (task->ranges[i].id && strcmp(task->ranges[i].id, task->range) == 0)
            master = &task->ranges[i];
    if (!master) {
        fail(out, RR_BROKEN, "rerun:change-failed", task->line,
             "repeated task '%s' has no master range '%s'", task->id,
             task->range ? task->range : "");
        return;
    }
    size_t nr = task->nranges ? task->nranges : 1;
    double **data = tc_xcalloc(nr, sizeof *data);
    size_t *ndata = tc_xcalloc(nr, sizeof *ndata);
    double *values = tc_xcalloc(nr, sizeof *values);
    if (!read_data_ranges(c, task, data, ndata, out))
        goto done;
    size_t n = range_length(master, task, ndata);
    if (n > c->opt->max_iterations) {
        fail(out, RR_NOT_VERIFIABLE, "rerun:limit", master->line,
             "repeated task '%s' has %zu iterations, more than the limit %zu", task->id, n,
             c->opt->max_iterations);
        goto done;
    }
    lookup_ctx l = {.c = c, .ms = ms, .ranges = task->ranges, .nranges = task->nranges,
                    .range_values = values};
    for (size_t it = 0; it < n && out->status == RR_OK; it++) {
        if (task->reset_model)
            reset_models(ms);
        /* plain ranges first, then the functional ones (which may use them) */
        for (int pass = 0; pass < 2; pass++)
            for (size_t k = 0; k < task->nranges; k++) {
                const tc_sedml_range *r = &task->ranges[k];
                bool functional = r->kind == TC_SEDML_RANGE_FUNCTIONAL;
                if (functional != (pass == 1))
                    continue;
                size_t len = range_length(r, task, ndata);
                if (it >= len) {
                    fail(out, RR_BROKEN, "rerun:change-failed", r->line,
                         "range '%s' has %zu values, fewer than the master range's %zu",
                         r->id ? r->id : "", len, n);
                    goto done;
                }
                if (r->kind == TC_SEDML_RANGE_VECTOR) {
                    values[k] = r->values[it];
                } else if (r->kind == TC_SEDML_RANGE_DATA) {
                    values[k] = data[k][it];
                } else if (r->kind == TC_SEDML_RANGE_UNIFORM) {
                    double f = r->number_of_steps > 0 ? (double)it / (double)r->number_of_steps
                                                      : 0;
                    values[k] = r->log ? r->start * pow(r->end / r->start, f)
                                       : r->start + (r->end - r->start) * f;
                } else {
                    lookup_ctx mine = l;
                    mine.calc = &r->calc;
                    /* the functional range's own id stands for its source range's value */
                    const char *why;
                    double v;
                    if (!eval_calc(&mine, &v, &why)) {
                        fail(out, RR_BROKEN, "rerun:change-failed", r->line,
                             "functional range '%s' cannot be computed: %s", r->id ? r->id : "",
                             why ? why : "a variable selects no value");
                        goto done;
                    }
                    values[k] = v;
                }
            }
        for (size_t k = 0; k < task->nchanges && out->status == RR_OK; k++) {
            const tc_sedml_change *ch = &task->changes[k];
            xmlDoc *doc = ch->model_ref ? work_doc(c, ms, ch->model_ref, out, 0) : NULL;
            if (!doc) {
                fail(out, RR_BROKEN, "rerun:change-failed", ch->line,
                     "setValue names no model of the SED-ML file");
                break;
            }
            l.model_ref = ch->model_ref;
            apply_change(c, ms, doc, ch, &l, out);
        }
        for (size_t k = 0; k < task->nsubtasks && out->status == RR_OK; k++) {
            const tc_sedml_task *sub = tc_sedml_find_task(c->doc, task->subtasks[k].task);
            if (!sub) {
                fail(out, RR_BROKEN, "rerun:missing-model", task->subtasks[k].line,
                     "subTask names no task '%s'", task->subtasks[k].task);
                break;
            }
            exec_task(c, ms, sub, cfg, out, depth + 1);
        }
    }
done:
    for (size_t k = 0; k < task->nranges; k++)
        free(data[k]);
    free(data);
    free(ndata);
    free(values);
}

static void exec_task(rr_ctx *c, rr_models *ms, const tc_sedml_task *task, rr_config cfg,
                      rr_exec *out, int depth)
{
    if (depth > MAX_NESTING) {
        fail(out, RR_BROKEN, "rerun:missing-model", task->line,
             "task '%s' nests repeated tasks more than %d deep (circular?)", task->id,
             MAX_NESTING);
        return;
    }
    if (task->kind == TC_SEDML_TASK)
        simulate(c, ms, task, cfg, out);
    else if (task->kind == TC_SEDML_REPEATED_TASK)
        repeat(c, ms, task, cfg, out, depth);
    else
        fail(out, RR_NOT_VERIFIABLE, "rerun:not-verifiable", task->line,
             "task '%s' is a parameter estimation task, which is not re-run", task->id);
}

void rr_exec_run(rr_ctx *c, const tc_sedml_task *task, rr_config cfg, rr_exec *out)
{
    rr_models ms = {0};
    c->simulations = 0;
    c->points = 0;
    exec_task(c, &ms, task, cfg, out, 0);
    models_release(&ms);
    tc_error_clear();
}

void rr_exec_release(rr_exec *e)
{
    for (size_t i = 0; i < e->nruns; i++)
        run_free(&e->runs[i]);
    free(e->runs);
    free(e->reason);
    free(e->substitution);
    memset(e, 0, sizeof *e);
}

int rr_resolve_target(const tc_sbml_doc *doc, const tc_sedml_target *t, char **id)
{
    *id = NULL;
    if (!t->xpath || !doc->xml)
        return TC_ENOTFOUND;
    xmlXPathObject *r = select_nodes(doc->xml, t);
    int rc = TC_ENOTFOUND;
    if (nodes_count(r) == 1) {
        xmlNode *n = r->nodesetval->nodeTab[0];
        xmlChar *v = n->type == XML_ELEMENT_NODE ? xmlGetProp(n, (const xmlChar *)"id") : NULL;
        if (v) {
            *id = tc_xstrdup((const char *)v);
            rc = 0;
        } else {
            rc = TC_EUSAGE;
        }
        xmlFree(v);
    } else if (nodes_count(r) > 1) {
        rc = TC_EUSAGE;
    }
    xmlXPathFreeObject(r);
    return rc;
}
