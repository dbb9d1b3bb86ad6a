/* Cross-checks of a SED-ML document: references between its objects, model
 * sources and languages, XPath targets evaluated against the model documents of
 * the package, KiSAO ids, the scope of math, circular definitions; and the
 * package's declared outputs against the documents' outputs. */
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdlib.h>
#include <string.h>

#include "outputs/outputs.h"
#include "parse/parse.h"
#include "sedml.h"

#define MAX_CHAIN 64              /* model derivations, nested tasks, functional ranges */
#define XPATH_OP_LIMIT 10000000UL /* bounds the work of one XPath evaluation */

/* ---- lookups ------------------------------------------------------------------ */

#define FIND(type, fn, field, count)                                                               \
    const type *fn(const tc_sedml_doc *doc, const char *id)                                        \
    {                                                                                              \
        for (size_t i = 0; id && i < doc->count; i++)                                              \
            if (doc->field[i].id && strcmp(doc->field[i].id, id) == 0)                             \
                return &doc->field[i];                                                             \
        return NULL;                                                                               \
    }
FIND(tc_sedml_model, tc_sedml_find_model, models, nmodels)
FIND(tc_sedml_simulation, tc_sedml_find_simulation, simulations, nsimulations)
FIND(tc_sedml_task, tc_sedml_find_task, tasks, ntasks)
FIND(tc_sedml_data_generator, tc_sedml_find_data_generator, data_generators, ndata_generators)
FIND(tc_sedml_output, tc_sedml_find_output, outputs, noutputs)

const char *tc_sedml_model_file(const tc_sedml_doc *doc, const tc_sedml_model *model)
{
    for (int i = 0; model && i < MAX_CHAIN; i++) {
        if (model->source_path)
            return model->source_path;
        if (!model->source_model)
            return NULL;
        model = tc_sedml_find_model(doc, model->source_model);
    }
    return NULL;
}

static const tc_sedml_data_source *find_data_source(const tc_sedml_doc *doc, const char *id)
{
    for (size_t i = 0; id && i < doc->ndata_descriptions; i++)
        for (size_t j = 0; j < doc->data_descriptions[i].nsources; j++)
            if (doc->data_descriptions[i].sources[j].id &&
                strcmp(doc->data_descriptions[i].sources[j].id, id) == 0)
                return &doc->data_descriptions[i].sources[j];
    return NULL;
}

/* ---- the validation context ---------------------------------------------------- */

typedef struct model_doc {
    char *path;
    xmlDocPtr xml; /* NULL when the file is not XML we can read */
} model_doc;

typedef struct checker {
    const tc_sedml_doc *doc;
    const tc_package *pkg;
    tc_findings *fs;
    model_doc *models;
    size_t nmodels, capmodels;
    char **undeclared; /* prefixes already reported as undeclared */
    size_t nundeclared, capundeclared;
} checker;

static tc_loc at(const checker *c, long line)
{
    return (tc_loc){.file = c->doc->path, .line = line};
}

static void ignore_xml_error(void *ctx, long line, long column, const char *message)
{
    (void)ctx;
    (void)line;
    (void)column;
    (void)message;
}

static xmlDocPtr model_xml(checker *c, const char *path)
{
    for (size_t i = 0; i < c->nmodels; i++)
        if (strcmp(c->models[i].path, path) == 0)
            return c->models[i].xml;
    const tc_file *f = tc_package_find(c->pkg, path);
    xmlDocPtr xml = NULL;
    if (f && f->present && !f->rejected && f->data && tc_kind_is_xml(f->kind))
        xml = tc_xml_read(f->data, f->size, f->path, ignore_xml_error, NULL);
    TC_GROW(c->models, c->capmodels, c->nmodels + 1);
    c->models[c->nmodels++] = (model_doc){tc_xstrdup(path), xml};
    return xml;
}

static void silent_error(void *ctx, xmlErrorPtr err)
{
    (void)ctx;
    (void)err;
}

typedef enum { XP_INVALID = -1 } xp_status;

static bool name_char(char ch)
{
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
           ch == '_' || ch == '-' || ch == '.' || (unsigned char)ch >= 0x80;
}

/* The namespace prefixes an XPath uses ("sbml" in "/sbml:sbml/..."), outside
 * string literals and not axes ("child::"); at most `max`, each < 64 bytes. */
static size_t xpath_prefixes(const char *xp, char out[][64], size_t max)
{
    size_t n = 0;
    char quote = 0;
    for (const char *p = xp; *p && n < max; p++) {
        if (quote) {
            if (*p == quote)
                quote = 0;
            continue;
        }
        if (*p == '\'' || *p == '"') {
            quote = *p;
            continue;
        }
        if (*p != ':' || p == xp || p[1] == ':' || (p > xp && p[-1] == ':'))
            continue;
        const char *s = p;
        while (s > xp && name_char(s[-1]))
            s--;
        size_t len = (size_t)(p - s);
        if (len == 0 || len >= 64 ||
            !((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
            continue;
        bool dup = false;
        for (size_t i = 0; i < n; i++)
            dup |= strlen(out[i]) == len && strncmp(out[i], s, len) == 0;
        if (!dup) {
            memcpy(out[n], s, len);
            out[n++][len] = '\0';
        }
    }
    return n;
}

/* Evaluate `t` against the model document: the number of nodes it selects (and
 * whether they are all attributes), or XP_INVALID with *why set. A prefix the
 * SED-ML document does not declare is reported once (sedml:xpath-prefix) and then
 * bound to the namespace of the model's root element, so the selection is still
 * checked. */
static long eval_target(checker *c, xmlDocPtr xml, const tc_sedml_target *t, long line,
                        bool *attributes, const char **why)
{
    *attributes = false;
    *why = NULL;
    xmlXPathContextPtr ctx = xmlXPathNewContext(xml);
    if (!ctx) {
        *why = "out of memory";
        return XP_INVALID;
    }
    ctx->opLimit = XPATH_OP_LIMIT;
    for (size_t i = 0; i < t->nns; i++)
        if (t->ns[i].prefix)
            xmlXPathRegisterNs(ctx, (const xmlChar *)t->ns[i].prefix,
                               (const xmlChar *)t->ns[i].uri);
    char prefixes[8][64];
    size_t np = xpath_prefixes(t->xpath, prefixes, 8);
    const xmlNode *root = xmlDocGetRootElement(xml);
    for (size_t i = 0; i < np; i++) {
        bool declared = false;
        for (size_t k = 0; k < t->nns && !declared; k++)
            declared = t->ns[k].prefix && strcmp(t->ns[k].prefix, prefixes[i]) == 0;
        if (declared)
            continue;
        bool reported = false;
        for (size_t k = 0; k < c->nundeclared && !reported; k++)
            reported = strcmp(c->undeclared[k], prefixes[i]) == 0;
        const char *uri = root && root->ns && root->ns->href ? (const char *)root->ns->href : NULL;
        if (!reported) {
            tc_finding_add(c->fs, "sedml:xpath-prefix", at(c, line),
                           "XPath \"%s\" uses the prefix '%s', which the SED-ML document does not "
                           "declare; add xmlns:%s=\"%s\" to <sedML> (reported once; targets are "
                           "checked with the model's own namespace)",
                           t->xpath, prefixes[i], prefixes[i], uri ? uri : "...");
            TC_GROW(c->undeclared, c->capundeclared, c->nundeclared + 1);
            c->undeclared[c->nundeclared++] = tc_xstrdup(prefixes[i]);
        }
        if (uri)
            xmlXPathRegisterNs(ctx, (const xmlChar *)prefixes[i], (const xmlChar *)uri);
    }
    xmlSetStructuredErrorFunc(NULL, silent_error);
    xmlXPathObjectPtr res = xmlXPathEvalExpression((const xmlChar *)t->xpath, ctx);
    int err = ctx->lastError.code;
    xmlSetStructuredErrorFunc(NULL, NULL);
    long count = XP_INVALID;
    if (!res) {
        *why = err == XPATH_UNDEF_PREFIX_ERROR  ? "it uses a namespace prefix that is not declared"
               : err == XPATH_OP_LIMIT_EXCEEDED ? "it takes too long to evaluate"
                                                : "it is not a valid XPath 1.0 expression";
    } else if (res->type != XPATH_NODESET) {
        *why = "it does not select nodes";
    } else {
        count = res->nodesetval ? res->nodesetval->nodeNr : 0;
        bool all_attr = count > 0;
        for (long i = 0; i < count; i++)
            all_attr &= res->nodesetval->nodeTab[i]->type == XML_ATTRIBUTE_NODE;
        *attributes = all_attr;
    }
    xmlXPathFreeObject(res);
    xmlXPathFreeContext(ctx);
    return count;
}

/* The package XML document of a model, or NULL (offline, missing, not XML); the
 * model's own problems are reported elsewhere. */
static xmlDocPtr xml_of_model(checker *c, const tc_sedml_model *m)
{
    const char *path = tc_sedml_model_file(c->doc, m);
    return path ? model_xml(c, path) : NULL;
}

/* A target that must select exactly one element or attribute. */
static void check_single_target(checker *c, const tc_sedml_model *m, const tc_sedml_target *t,
                                long line, const char *rule, const char *what)
{
    if (!t->xpath || t->xpath[0] == '#')
        return;
    xmlDocPtr xml = m ? xml_of_model(c, m) : NULL;
    if (!xml)
        return;
    bool attrs;
    const char *why;
    long n = eval_target(c, xml, t, line, &attrs, &why);
    if (n == XP_INVALID)
        tc_finding_add(c->fs, rule, at(c, line), "%s target \"%s\" cannot be evaluated: %s", what,
                       t->xpath, why);
    else if (n != 1)
        tc_finding_add(c->fs, rule, at(c, line),
                       "%s target \"%s\" selects %ld nodes of %s (model '%s'); it must select "
                       "exactly one",
                       what, t->xpath, n, tc_sedml_model_file(c->doc, m), m->id);
}

/* ---- math scope ------------------------------------------------------------------- */

static bool in_scope(const tc_sedml_calc *calc, const char *name, const char *const *extra,
                     size_t nextra)
{
    for (size_t i = 0; i < calc->nvars; i++)
        if (calc->vars[i].id && strcmp(calc->vars[i].id, name) == 0)
            return true;
    for (size_t i = 0; i < calc->nparams; i++)
        if (calc->params[i].id && strcmp(calc->params[i].id, name) == 0)
            return true;
    for (size_t i = 0; i < nextra; i++)
        if (extra[i] && strcmp(extra[i], name) == 0)
            return true;
    return false;
}

static void check_scope_expr(checker *c, const tc_sedml_calc *calc, const tc_expr *e,
                             const char *const *extra, size_t nextra, const char *owner)
{
    if (!e)
        return;
    if (e->op == TC_EXPR_SYMBOL && !in_scope(calc, e->name, extra, nextra))
        tc_finding_add(c->fs, "sedml:10215", at(c, e->line ? e->line : calc->math_line),
                       "math of %s uses '%s', which is not one of its variables or parameters",
                       owner, e->name);
    for (size_t i = 0; i < e->nargs; i++)
        check_scope_expr(c, calc, e->args[i], extra, nextra, owner);
}

static void check_parameters_unique(checker *c, const tc_sedml_calc *calc)
{
    (void)c;
    (void)calc; /* ids are unique document-wide (10301), checked while reading */
}

/* ---- models ------------------------------------------------------------------------ */

static const char *const languages[] = {"bngl",    "cellml",     "ginml",   "hoc",     "kappa",
                                        "lems",    "morpheusml", "neuroml", "pharmml", "sbml",
                                        "smoldyn", "vcml",       "zginml"};

/* The language family ("sbml", "cellml", ...) of a language URN, or NULL. */
static const char *language_family(const char *urn)
{
    const char *prefix = "urn:sedml:language:";
    if (!urn || strncmp(urn, prefix, strlen(prefix)) != 0)
        return NULL;
    const char *name = urn + strlen(prefix);
    for (size_t i = 0; i < sizeof languages / sizeof *languages; i++) {
        size_t n = strlen(languages[i]);
        if (strncmp(name, languages[i], n) == 0 && (name[n] == '\0' || name[n] == '.'))
            return languages[i];
    }
    return NULL;
}

static bool xml_language(const char *family)
{
    return !family || !(strcmp(family, "bngl") == 0 || strcmp(family, "kappa") == 0 ||
                        strcmp(family, "hoc") == 0 || strcmp(family, "smoldyn") == 0);
}

static void check_model_source(checker *c, const tc_sedml_model *m)
{
    if (!m->source)
        return;
    if (m->source_model) {
        const tc_sedml_model *cur = m;
        for (int i = 0; cur && cur->source_model; i++) {
            const tc_sedml_model *next = tc_sedml_find_model(c->doc, cur->source_model);
            if (!next) {
                if (cur == m)
                    tc_finding_add(c->fs, "sedml:20352", at(c, m->line),
                                   "model '%s' derives from '#%s', which is not a model of the "
                                   "document",
                                   m->id ? m->id : "", m->source_model);
                return;
            }
            if (next == m || i >= MAX_CHAIN) {
                tc_finding_add(c->fs, "sedml:20350", at(c, m->line),
                               "model '%s' derives from itself through its source '%s'",
                               m->id ? m->id : "", m->source);
                return;
            }
            cur = next;
        }
        return;
    }
    if (m->source_offline) {
        if (strncmp(m->source, "urn:", 4) == 0)
            tc_finding_add(c->fs, "sedml:20354", at(c, m->line),
                           "model '%s' has the URN source '%s'; give the model file in the "
                           "package instead",
                           m->id ? m->id : "", m->source);
        tc_finding_add(c->fs, "sedml:model-source-offline", at(c, m->line),
                       "model '%s' comes from '%s', which cannot be read offline: its changes and "
                       "targets are not checked and it cannot be re-run",
                       m->id ? m->id : "", m->source);
        return;
    }
    const tc_file *f = m->source_path ? tc_package_find(c->pkg, m->source_path) : NULL;
    if (!f || !f->present) {
        /* Older documents name a model by its bare id. */
        if (tc_sedml_find_model(c->doc, m->source) && tc_sedml_find_model(c->doc, m->source) != m)
            return;
        tc_finding_add(c->fs, "sedml:20352", at(c, m->line), "model '%s' has source '%s', %s",
                       m->id ? m->id : "", m->source,
                       !m->source_path ? "which is outside the package"
                                       : "which is not a file of the package");
        return;
    }
    const char *family = language_family(m->language);
    if (family && ((strcmp(family, "sbml") == 0 && f->kind != TC_KIND_SBML) ||
                   (strcmp(family, "cellml") == 0 && f->kind != TC_KIND_CELLML)))
        tc_finding_add(
            c->fs, "sedml:20353", at(c, m->line), "model '%s' says its language is %s but %s is %s",
            m->id ? m->id : "", m->language, f->path,
            f->kind == TC_KIND_OTHER ? "not a recognised model format" : tc_kind_name(f->kind));
}

static void check_change(checker *c, const tc_sedml_model *m, const tc_sedml_change *ch,
                         bool structure_changed)
{
    const char *family = language_family(m->language);
    bool xml_change = ch->kind == TC_SEDML_CHANGE_ADD_XML || ch->kind == TC_SEDML_CHANGE_XML ||
                      ch->kind == TC_SEDML_CHANGE_REMOVE_XML;
    if (xml_change && !xml_language(family))
        tc_finding_add(c->fs, "sedml:20355", at(c, ch->line),
                       "model '%s' is in %s, which is not XML: XML changes cannot apply",
                       m->id ? m->id : "", m->language);
    if (ch->kind == TC_SEDML_CHANGE_COMPUTE) {
        for (size_t i = 0; i < ch->calc.nvars; i++) {
            const tc_sedml_variable *v = &ch->calc.vars[i];
            if (v->task_ref)
                tc_finding_add(c->fs, "sedml:23652", at(c, v->line),
                               "variable '%s' of a computeChange has a taskReference; it may only "
                               "name a model",
                               v->id ? v->id : "");
            const tc_sedml_model *vm = m;
            if (v->model_ref) {
                vm = tc_sedml_find_model(c->doc, v->model_ref);
                if (!vm)
                    tc_finding_add(c->fs, "sedml:20708", at(c, v->line),
                                   "variable '%s' names model '%s', which does not exist",
                                   v->id ? v->id : "", v->model_ref);
            }
            if (vm)
                check_single_target(c, vm, &v->target, v->line, "sedml:20753", "variable");
        }
        check_scope_expr(c, &ch->calc, ch->calc.math, NULL, 0, "computeChange");
    }
    if (!ch->target.xpath || structure_changed)
        return; /* earlier XML changes reshape the document: targets are checked at re-run */
    xmlDocPtr xml = xml_of_model(c, m);
    if (!xml)
        return;
    bool attrs;
    const char *why;
    long n = eval_target(c, xml, &ch->target, ch->line, &attrs, &why);
    if (n == XP_INVALID) {
        tc_finding_add(c->fs, "sedml:20551", at(c, ch->line),
                       "change target \"%s\" of model '%s' cannot be evaluated: %s",
                       ch->target.xpath, m->id ? m->id : "", why);
    } else if (ch->kind == TC_SEDML_CHANGE_ATTRIBUTE) {
        if (n != 1 || !attrs)
            tc_finding_add(c->fs, "sedml:20650", at(c, ch->line),
                           "changeAttribute target \"%s\" selects %ld %s of %s; it must select "
                           "exactly one attribute",
                           ch->target.xpath, n,
                           attrs || n == 0 ? "attributes" : "non-attribute nodes",
                           tc_sedml_model_file(c->doc, m));
    } else if (ch->kind == TC_SEDML_CHANGE_COMPUTE && n != 1) {
        tc_finding_add(c->fs, "sedml:20550", at(c, ch->line),
                       "computeChange target \"%s\" selects %ld nodes of %s; it must select "
                       "exactly one",
                       ch->target.xpath, n, tc_sedml_model_file(c->doc, m));
    } else if (n == 0) {
        tc_finding_add(c->fs, "sedml:20550", at(c, ch->line),
                       "change target \"%s\" selects nothing in %s", ch->target.xpath,
                       tc_sedml_model_file(c->doc, m));
    }
}

static void check_models(checker *c)
{
    for (size_t i = 0; i < c->doc->nmodels; i++) {
        const tc_sedml_model *m = &c->doc->models[i];
        if (m->language && !language_family(m->language))
            tc_finding_add(c->fs, "sedml:language-unknown", at(c, m->line),
                           "model '%s' has language '%s', which is not a SED-ML language URN "
                           "(urn:sedml:language:sbml, urn:sedml:language:cellml, ...)",
                           m->id ? m->id : "", m->language);
        check_model_source(c, m);
        bool structure_changed = false;
        /* a derived model sees its base's changes first */
        for (const tc_sedml_model *b = tc_sedml_find_model(c->doc, m->source_model); b; b = NULL)
            for (size_t j = 0; j < b->nchanges; j++)
                structure_changed |= b->changes[j].kind != TC_SEDML_CHANGE_ATTRIBUTE &&
                                     b->changes[j].kind != TC_SEDML_CHANGE_COMPUTE;
        for (size_t j = 0; j < m->nchanges; j++) {
            check_change(c, m, &m->changes[j], structure_changed);
            structure_changed |= m->changes[j].kind == TC_SEDML_CHANGE_ADD_XML ||
                                 m->changes[j].kind == TC_SEDML_CHANGE_XML ||
                                 m->changes[j].kind == TC_SEDML_CHANGE_REMOVE_XML;
        }
    }
}

/* ---- simulations -------------------------------------------------------------------- */

static void check_algorithm(checker *c, const tc_sedml_algorithm *a)
{
    char norm[14];
    if (a->kisao) {
        const tc_kisao_term *t = tc_kisao_find(a->kisao);
        if (!tc_kisao_normalize(a->kisao, norm))
            tc_finding_add(c->fs, "sedml:kisao-malformed", at(c, a->line),
                           "kisaoID '%s' is not of the form KISAO:0000000", a->kisao);
        else if (!t)
            tc_finding_add(c->fs, "sedml:21150", at(c, a->line),
                           "kisaoID %s is not a term of KiSAO", a->kisao);
        else if (t->kind != TC_KISAO_ALGORITHM)
            tc_finding_add(c->fs, "sedml:21150", at(c, a->line),
                           "kisaoID %s (%s) is a KiSAO %s, not an algorithm", a->kisao, t->name,
                           t->kind == TC_KISAO_PARAMETER ? "parameter" : "characteristic");
    }
    for (size_t i = 0; i < a->nparams; i++) {
        const tc_sedml_algorithm_parameter *p = &a->params[i];
        if (!p->kisao)
            continue;
        const tc_kisao_term *t = tc_kisao_find(p->kisao);
        if (!tc_kisao_normalize(p->kisao, norm))
            tc_finding_add(c->fs, "sedml:kisao-malformed", at(c, p->line),
                           "kisaoID '%s' is not of the form KISAO:0000000", p->kisao);
        else if (!t || t->kind != TC_KISAO_PARAMETER)
            tc_finding_add(c->fs, "sedml:22450", at(c, p->line),
                           "algorithmParameter kisaoID %s is %s%s%s, not an algorithm parameter",
                           p->kisao, t ? "the KiSAO term " : "not a KiSAO term", t ? t->name : "",
                           "");
        for (size_t j = 0; j < i; j++) {
            char other[14];
            if (a->params[j].kisao && tc_kisao_normalize(a->params[j].kisao, other) &&
                tc_kisao_normalize(p->kisao, norm) && strcmp(norm, other) == 0) {
                tc_finding_add(c->fs, "sedml:22451", at(c, p->line),
                               "algorithm parameter %s is already given on line %ld", p->kisao,
                               a->params[j].line);
                break;
            }
        }
    }
}

/* ---- tasks ------------------------------------------------------------------------------ */

/* Collect the models a task (recursively) runs; returns false on a cycle. */
static bool task_models(const tc_sedml_doc *doc, const tc_sedml_task *t, const tc_sedml_task *root,
                        int depth, const tc_sedml_model **out, size_t *n, size_t max)
{
    if (depth > MAX_CHAIN)
        return false;
    if (t->kind != TC_SEDML_REPEATED_TASK) {
        const tc_sedml_model *m = tc_sedml_find_model(doc, t->model_ref);
        bool seen = false;
        for (size_t i = 0; m && i < *n; i++)
            seen |= out[i] == m;
        if (m && !seen && *n < max)
            out[(*n)++] = m;
        return true;
    }
    for (size_t i = 0; i < t->nchanges; i++) {
        const tc_sedml_model *m = tc_sedml_find_model(doc, t->changes[i].model_ref);
        bool seen = false;
        for (size_t k = 0; m && k < *n; k++)
            seen |= out[k] == m;
        if (m && !seen && *n < max)
            out[(*n)++] = m;
    }
    for (size_t i = 0; i < t->nsubtasks; i++) {
        const tc_sedml_task *s = tc_sedml_find_task(doc, t->subtasks[i].task);
        if (!s)
            continue;
        if (s == root)
            return false;
        if (!task_models(doc, s, root, depth + 1, out, n, max))
            return false;
    }
    return true;
}

static long range_length(const tc_sedml_task *t, const tc_sedml_range *g, int depth)
{
    if (!g || depth > MAX_CHAIN)
        return -1;
    switch (g->kind) {
    case TC_SEDML_RANGE_UNIFORM:
        return g->number_of_steps > 0 ? g->number_of_steps + 1 : -1;
    case TC_SEDML_RANGE_VECTOR:
        return (long)g->nvalues;
    case TC_SEDML_RANGE_FUNCTIONAL:
        for (size_t i = 0; g->range_ref && i < t->nranges; i++)
            if (t->ranges[i].id && strcmp(t->ranges[i].id, g->range_ref) == 0)
                return range_length(t, &t->ranges[i], depth + 1);
        return -1;
    default:
        return -1;
    }
}

static const tc_sedml_range *find_range(const tc_sedml_task *t, const char *id)
{
    for (size_t i = 0; id && i < t->nranges; i++)
        if (t->ranges[i].id && strcmp(t->ranges[i].id, id) == 0)
            return &t->ranges[i];
    return NULL;
}

/* Does following range references from g come back to g? */
static bool functional_cycle(const tc_sedml_task *t, const tc_sedml_range *g)
{
    const tc_sedml_range *cur = g;
    for (size_t i = 0; i <= t->nranges; i++) {
        if (!cur || cur->kind != TC_SEDML_RANGE_FUNCTIONAL)
            return false;
        cur = find_range(t, cur->range_ref);
        if (cur == g)
            return true;
    }
    return false;
}

static void check_repeated_task(checker *c, const tc_sedml_task *t)
{
    const tc_sedml_range *master = find_range(t, t->range);
    if (t->range && !master)
        tc_finding_add(c->fs, "sedml:23505", at(c, t->line),
                       "repeatedTask '%s' has range '%s', which is not one of its ranges",
                       t->id ? t->id : "", t->range);
    const char **range_ids = tc_xcalloc(t->nranges + 1, sizeof *range_ids);
    for (size_t i = 0; i < t->nranges; i++)
        range_ids[i] = t->ranges[i].id;
    long master_len = range_length(t, master, 0);
    for (size_t i = 0; i < t->nranges; i++) {
        const tc_sedml_range *g = &t->ranges[i];
        if (g->kind == TC_SEDML_RANGE_FUNCTIONAL) {
            if (g->range_ref && !find_range(t, g->range_ref))
                tc_finding_add(c->fs, "sedml:23105", at(c, g->line),
                               "functionalRange '%s' refers to range '%s', which is not a range of "
                               "repeatedTask '%s'",
                               g->id ? g->id : "", g->range_ref, t->id ? t->id : "");
            else if (functional_cycle(t, g))
                tc_finding_add(c->fs, "sedml:23105", at(c, g->line),
                               "functionalRange '%s' is computed from itself through its ranges",
                               g->id ? g->id : "");
            /* its math may use the ranges of the task (the one it follows, above all) */
            check_scope_expr(c, &g->calc, g->calc.math, range_ids, t->nranges, "functionalRange");
            for (size_t k = 0; k < g->calc.nvars; k++) {
                const tc_sedml_variable *v = &g->calc.vars[k];
                if (v->model_ref && !tc_sedml_find_model(c->doc, v->model_ref))
                    tc_finding_add(c->fs, "sedml:20708", at(c, v->line),
                                   "variable '%s' names model '%s', which does not exist",
                                   v->id ? v->id : "", v->model_ref);
                else if (v->model_ref)
                    check_single_target(c, tc_sedml_find_model(c->doc, v->model_ref), &v->target,
                                        v->line, "sedml:20753", "variable");
            }
        }
        long len = range_length(t, g, 0);
        if (master_len > 0 && len >= 0 && len < master_len)
            tc_finding_add(c->fs, "sedml:23553", at(c, g->line),
                           "range '%s' has %ld values but the task's range '%s' has %ld",
                           g->id ? g->id : "", len, t->range, master_len);
    }
    for (size_t i = 0; i < t->nchanges; i++) {
        const tc_sedml_change *ch = &t->changes[i];
        const tc_sedml_model *m = tc_sedml_find_model(c->doc, ch->model_ref);
        if (ch->model_ref && !m)
            tc_finding_add(c->fs, "sedml:22803", at(c, ch->line),
                           "setValue names model '%s', which does not exist", ch->model_ref);
        if (ch->range && !find_range(t, ch->range))
            tc_finding_add(c->fs, "sedml:22806", at(c, ch->line),
                           "setValue uses range '%s', which is not a range of repeatedTask '%s'",
                           ch->range, t->id ? t->id : "");
        if (m && ch->target.xpath)
            check_single_target(c, m, &ch->target, ch->line, "sedml:22808", "setValue");
        check_scope_expr(c, &ch->calc, ch->calc.math, range_ids, t->nranges, "setValue");
        for (size_t k = 0; k < ch->calc.nvars; k++) {
            const tc_sedml_variable *v = &ch->calc.vars[k];
            const tc_sedml_model *vm = v->model_ref ? tc_sedml_find_model(c->doc, v->model_ref) : m;
            if (v->model_ref && !vm)
                tc_finding_add(c->fs, "sedml:20708", at(c, v->line),
                               "variable '%s' names model '%s', which does not exist",
                               v->id ? v->id : "", v->model_ref);
            else if (vm)
                check_single_target(c, vm, &v->target, v->line, "sedml:20753", "variable");
        }
    }
    free(range_ids);
    for (size_t i = 0; i < t->nsubtasks; i++) {
        const tc_sedml_subtask *s = &t->subtasks[i];
        if (s->task && !tc_sedml_find_task(c->doc, s->task))
            tc_finding_add(c->fs, "sedml:23206", at(c, s->line),
                           "subTask names task '%s', which does not exist", s->task);
    }
    const tc_sedml_model *models[64];
    size_t n = 0;
    if (!task_models(c->doc, t, t, 0, models, &n, 64))
        tc_finding_add(c->fs, "sedml:23550", at(c, t->line),
                       "repeatedTask '%s' contains itself through its subTasks",
                       t->id ? t->id : "");
}

static void check_tasks(checker *c)
{
    for (size_t i = 0; i < c->doc->ntasks; i++) {
        const tc_sedml_task *t = &c->doc->tasks[i];
        if (t->kind == TC_SEDML_REPEATED_TASK) {
            check_repeated_task(c, t);
            continue;
        }
        if (t->model_ref && !tc_sedml_find_model(c->doc, t->model_ref))
            tc_finding_add(c->fs, "sedml:21304", at(c, t->line),
                           "task '%s' names model '%s', which does not exist", t->id ? t->id : "",
                           t->model_ref);
        if (t->kind == TC_SEDML_TASK && t->simulation_ref &&
            !tc_sedml_find_simulation(c->doc, t->simulation_ref))
            tc_finding_add(c->fs, "sedml:21305", at(c, t->line),
                           "task '%s' names simulation '%s', which does not exist",
                           t->id ? t->id : "", t->simulation_ref);
    }
}

/* ---- data generators ------------------------------------------------------------------- */

static bool known_symbol(const char *symbol)
{
    char norm[14];
    return strcmp(symbol, "urn:sedml:symbol:time") == 0 || tc_kisao_normalize(symbol, norm);
}

static void check_variable(checker *c, const tc_sedml_variable *v)
{
    bool reads_data = v->target.xpath && v->target.xpath[0] == '#';
    if (reads_data) {
        if (!find_data_source(c->doc, v->target.xpath + 1))
            tc_finding_add(c->fs, "sedml:20753", at(c, v->line),
                           "variable '%s' reads '%s', which is not a data source of the document",
                           v->id ? v->id : "", v->target.xpath);
        if (c->doc->version >= 4 && (v->task_ref || v->model_ref))
            tc_finding_add(c->fs, "sedml:20754", at(c, v->line),
                           "variable '%s' reads data source '%s' and must not set %s",
                           v->id ? v->id : "", v->target.xpath + 1,
                           v->task_ref ? "taskReference" : "modelReference");
        return;
    }
    if (v->symbol && !known_symbol(v->symbol))
        tc_finding_add(c->fs, "sedml:symbol-unknown", at(c, v->line),
                       "variable '%s' has symbol '%s'; SED-ML knows urn:sedml:symbol:time and "
                       "KiSAO ids (KISAO:0000832 for time)",
                       v->id ? v->id : "", v->symbol);
    const tc_sedml_task *t = NULL;
    if (!v->task_ref) {
        tc_finding_add(c->fs, "sedml:21552", at(c, v->line),
                       "variable '%s' of a dataGenerator lacks its taskReference",
                       v->id ? v->id : "");
    } else if (!(t = tc_sedml_find_task(c->doc, v->task_ref))) {
        tc_finding_add(c->fs, "sedml:20707", at(c, v->line),
                       "variable '%s' names task '%s', which does not exist", v->id ? v->id : "",
                       v->task_ref);
    }
    const tc_sedml_model *m = NULL;
    if (v->model_ref && !(m = tc_sedml_find_model(c->doc, v->model_ref)))
        tc_finding_add(c->fs, "sedml:20708", at(c, v->line),
                       "variable '%s' names model '%s', which does not exist", v->id ? v->id : "",
                       v->model_ref);
    const tc_sedml_model *models[64];
    size_t n = 0;
    if (t)
        task_models(c->doc, t, t, 0, models, &n, 64);
    if (m && t && n > 0) {
        bool used = false;
        for (size_t i = 0; i < n; i++)
            used |= models[i] == m;
        if (!used)
            tc_finding_add(c->fs, "sedml:21554", at(c, v->line),
                           "variable '%s' names model '%s', which task '%s' does not use",
                           v->id ? v->id : "", m->id, t->id);
    }
    if (!m && n >= 1)
        m = models[0];
    if (m && v->target.xpath)
        check_single_target(c, m, &v->target, v->line, "sedml:20753", "variable");
}

static void check_data_generators(checker *c)
{
    for (size_t i = 0; i < c->doc->ndata_generators; i++) {
        const tc_sedml_data_generator *g = &c->doc->data_generators[i];
        for (size_t j = 0; j < g->calc.nvars; j++)
            check_variable(c, &g->calc.vars[j]);
        check_scope_expr(c, &g->calc, g->calc.math, NULL, 0, "dataGenerator");
        check_parameters_unique(c, &g->calc);
    }
}

/* ---- outputs ------------------------------------------------------------------------------ */

static bool has_style(const tc_sedml_doc *doc, const char *id)
{
    for (size_t i = 0; i < doc->nstyles; i++)
        if (strcmp(doc->styles[i], id) == 0)
            return true;
    return false;
}

static void check_dg_ref(checker *c, const char *rule, const char *ref, const char *what, long line)
{
    if (ref && !tc_sedml_find_data_generator(c->doc, ref))
        tc_finding_add(c->fs, rule, at(c, line), "%s '%s' is not a dataGenerator of the document",
                       what, ref);
}

static void check_outputs(checker *c)
{
    if (c->doc->noutputs == 0)
        tc_finding_add(c->fs, "sedml:20250", at(c, 0),
                       "the document has no output: nothing of its results is reported");
    for (size_t i = 0; i < c->doc->noutputs; i++) {
        const tc_sedml_output *o = &c->doc->outputs[i];
        for (size_t j = 0; j < o->nitems; j++) {
            const tc_sedml_output_item *it = &o->items[j];
            switch (o->kind) {
            case TC_SEDML_REPORT:
                check_dg_ref(c, "sedml:22205", it->x, "dataSet dataReference", it->line);
                for (size_t k = 0; k < j; k++)
                    if (it->label && o->items[k].label &&
                        strcmp(it->label, o->items[k].label) == 0) {
                        tc_finding_add(c->fs, "sedml:22250", at(c, it->line),
                                       "report '%s' already has a dataSet labelled '%s' (line %ld)",
                                       o->id ? o->id : "", it->label, o->items[k].line);
                        break;
                    }
                break;
            case TC_SEDML_PLOT2D:
            case TC_SEDML_PLOT3D:
                check_dg_ref(c, "sedml:21904", it->x, "xDataReference", it->line);
                check_dg_ref(c, "sedml:21904", it->y, "yDataReference", it->line);
                check_dg_ref(c, "sedml:21904", it->z, "zDataReference", it->line);
                for (int k = 0; k < 4; k++)
                    check_dg_ref(c, "sedml:21904", it->errors[k], "error reference", it->line);
                if (it->style && !has_style(c->doc, it->style))
                    tc_finding_add(c->fs, "sedml:21907", at(c, it->line),
                                   "style '%s' is not a style of the document", it->style);
                break;
            case TC_SEDML_FIGURE: {
                const tc_sedml_output *p = tc_sedml_find_output(c->doc, it->x);
                if (!it->x || !p || (p->kind != TC_SEDML_PLOT2D && p->kind != TC_SEDML_PLOT3D))
                    tc_finding_add(c->fs, "sedml:24904", at(c, it->line),
                                   "subPlot names plot '%s', which is not a plot of the document",
                                   it->x ? it->x : "(none)");
                break;
            }
            }
        }
    }
}

/* ---- data descriptions ---------------------------------------------------------------------- */

static bool is_csv(const tc_sedml_data_description *d, const tc_file *f)
{
    if (d->format)
        return strncmp(d->format, "urn:sedml:format:csv", 20) == 0;
    return f->kind == TC_KIND_CSV;
}

static void add_numl_dimensions(const xmlNode *n, char ***names, size_t *len, size_t *cap,
                                int depth)
{
    for (const xmlNode *c = n->children; c && depth < 32; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "dimension") == 0)
            continue; /* the values, not the description */
        static const char *const keys[] = {"id", "name"};
        for (int i = 0; i < 2 && *len < 10000; i++) {
            xmlChar *v = xmlGetNoNsProp(c, (const xmlChar *)keys[i]);
            if (v) {
                TC_GROW(*names, *cap, *len + 1);
                (*names)[(*len)++] = tc_xstrdup((const char *)v);
                xmlFree(v);
            }
        }
        add_numl_dimensions(c, names, len, cap, depth + 1);
    }
}

/* Does a NuML column id ("S1", "S1.conc") have `value` as one of its index parts? */
static bool numl_names(const tc_outputs *numl, const char *value)
{
    size_t n = strlen(value);
    for (size_t i = 0; i < numl->len; i++) {
        const char *id = numl->items[i].id;
        for (const char *p = id; !numl->items[i].index && p; p = strchr(p, '.')) {
            if (p != id)
                p++;
            if (strncmp(p, value, n) == 0 && (p[n] == '\0' || p[n] == '.'))
                return true;
        }
    }
    return false;
}

/* A slice of a NuML source: a value of the row index must be one of its index
 * values; any other value must be an inner index value of some column. */
static void check_numl_slice(checker *c, const tc_outputs *numl, const tc_sedml_slice *sl,
                             const char *file)
{
    if (!sl->reference || !sl->value)
        return;
    for (size_t i = 0; i < numl->len; i++) {
        const tc_output_dataset *x = &numl->items[i];
        if (!x->index || (strcmp(x->id, sl->reference) != 0 &&
                          (!x->label || strcmp(x->label, sl->reference) != 0)))
            continue;
        char *end = NULL;
        double v = strtod(sl->value, &end);
        bool found = end == sl->value || *end != '\0'; /* not a number: not checked here */
        for (size_t k = 0; !found && k < x->nvalues; k++)
            found = x->values[k] == v;
        if (!found)
            tc_finding_add(c->fs, "sedml:data-source", at(c, sl->line),
                           "slice value '%s' is not an index value of '%s' in %s", sl->value,
                           sl->reference, file);
        return;
    }
    if (!numl_names(numl, sl->value))
        tc_finding_add(c->fs, "sedml:data-source", at(c, sl->line),
                       "slice value '%s' of '%s' is not an index value in %s", sl->value,
                       sl->reference, file);
}

static void check_data_descriptions(checker *c)
{
    for (size_t i = 0; i < c->doc->ndata_descriptions; i++) {
        const tc_sedml_data_description *d = &c->doc->data_descriptions[i];
        if (!d->source)
            continue;
        const tc_file *f = d->source_path ? tc_package_find(c->pkg, d->source_path) : NULL;
        if (!f || !f->present || !f->data) {
            tc_finding_add(c->fs, "sedml:data-source", at(c, d->line),
                           "dataDescription '%s' has source '%s', which is not a readable file "
                           "of the package",
                           d->id ? d->id : "", d->source);
            continue;
        }
        char **dims = NULL;
        size_t ndims = 0, capdims = 0;
        for (size_t k = 0; k < d->ndimensions; k++) {
            TC_GROW(dims, capdims, ndims + 1);
            dims[ndims++] = tc_xstrdup(d->dimensions[k]);
        }
        tc_csv csv = {0};
        bool have_csv = false, have_numl = false;
        tc_outputs numl;
        tc_outputs_init(&numl, f->path);
        if (!is_csv(d, f) && tc_kind_is_xml(f->kind) &&
            ((d->format && strncmp(d->format, "urn:sedml:format:numl", 21) == 0) ||
             tc_numl_file(f)))
            have_numl = tc_numl_parse(&numl, f->data, f->size, f->path, "sedml:data-source",
                                      c->fs) == 0;
        if (is_csv(d, f)) {
            have_csv =
                tc_csv_parse(&csv, f->data, f->size, f->path, "sedml:data-source", c->fs) == 0;
        } else if (tc_kind_is_xml(f->kind)) {
            xmlDocPtr xml = model_xml(c, f->path);
            const xmlNode *root = xml ? xmlDocGetRootElement(xml) : NULL;
            if (root)
                add_numl_dimensions(root, &dims, &ndims, &capdims, 0);
        }
        for (size_t j = 0; j < d->nsources; j++) {
            const tc_sedml_data_source *s = &d->sources[j];
            for (size_t k = 0; k < s->nslices; k++) {
                const tc_sedml_slice *sl = &s->slices[k];
                bool known = !sl->reference || ndims == 0;
                for (size_t m = 0; !known && m < ndims; m++)
                    known = strcmp(dims[m], sl->reference) == 0;
                if (!known)
                    tc_finding_add(c->fs, "sedml:23904", at(c, sl->line),
                                   "slice refers to '%s', which the dataDescription '%s' does not "
                                   "describe",
                                   sl->reference, d->id ? d->id : "");
                long idx;
                char *end = NULL;
                idx = sl->value ? strtol(sl->value, &end, 10) : 0;
                (void)idx;
                bool is_index = sl->value && *sl->value && end && *end == '\0';
                if (have_csv && sl->value && !is_index && tc_csv_column(&csv, sl->value) < 0)
                    tc_finding_add(c->fs, "sedml:data-source", at(c, sl->line),
                                   "slice value '%s' is not a column of %s", sl->value, f->path);
                if (have_numl && known)
                    check_numl_slice(c, &numl, sl, f->path);
            }
        }
        tc_csv_release(&csv);
        tc_outputs_release(&numl);
        for (size_t k = 0; k < ndims; k++)
            free(dims[k]);
        free(dims);
    }
}

void tc_sedml_validate(const tc_sedml_doc *doc, const tc_package *pkg, tc_findings *fs)
{
    checker c = {doc, pkg, fs, NULL, 0, 0, NULL, 0, 0};
    check_models(&c);
    for (size_t i = 0; i < doc->nsimulations; i++)
        if (doc->simulations[i].has_algorithm)
            check_algorithm(&c, &doc->simulations[i].algorithm);
    check_tasks(&c);
    check_data_generators(&c);
    check_data_descriptions(&c);
    check_outputs(&c);
    for (size_t i = 0; i < c.nmodels; i++) {
        free(c.models[i].path);
        xmlFreeDoc(c.models[i].xml);
    }
    free(c.models);
    for (size_t i = 0; i < c.nundeclared; i++)
        free(c.undeclared[i]);
    free(c.undeclared);
}
