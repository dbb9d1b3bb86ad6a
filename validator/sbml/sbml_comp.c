/* comp: SBML Level 3 hierarchical model composition (package comp, Version 1 Release 3).
 *
 * tc_sbml_flatten turns a composed model into one plain core model, working on the XML:
 * each submodel's model definition (in the same document, or an external document
 * read through the caller's resolver) is flattened first, then its deletions are
 * removed, the elements that the containing model replaces are dropped and every
 * reference to them redirected (scaled by the replacement's conversion factor), the
 * rest is renamed "SUBMODEL__id" (ids, unit ids and metaids), time and extent are
 * scaled by the submodel's conversion factors (csymbol time, delay and rateOf, rate
 * rules, kinetic laws and references to their reactions, event delays), and its
 * lists are appended to the containing model's. The comp rules that this walk meets
 * (references that do not resolve, cycles, missing attributes, empty lists) are
 * reported as sbml:comp-NNNNN.
 *
 * The elements keep the line numbers of the file they came from; elements taken from
 * an external file say so in the findings only through their ids. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/tree.h>

#include "sbml_impl.h"

#define COMP_NS "http://www.sbml.org/sbml/level3/version1/comp/version1"
#define MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define MAX_DEPTH 16   /* submodel nesting */
#define MAX_SOURCES 64 /* external documents per flattening */
#define MAX_EXTERNAL_SIZE (64u << 20)
/* Elements copied into the flattened model: submodels that instantiate others several
 * times multiply, up to 2^MAX_DEPTH copies; this bounds the memory and time it takes. */
#define MAX_FLAT_ELEMENTS 1000000u

typedef struct comp_src {
    xmlDoc *xml;
    char *file, *source, *base; /* resolved path; the reference as written, and where */
} comp_src;

typedef struct comp_ctx {
    const tc_sbml_resolver *res;
    sbml_out o;
    xmlDoc *out;
    comp_src src[MAX_SOURCES];
    size_t nsrc;
    const xmlNode *stack[MAX_DEPTH]; /* model definitions being flattened (cycles) */
    int depth;
    int failures;
    const xmlDoc *main;   /* the document being flattened */
    const xmlNode *entry; /* its externalModelDefinition being followed, if any */
    size_t copied;        /* elements copied so far (MAX_FLAT_ELEMENTS) */
    /* findings already made: one model definition instantiated many times repeats its
     * problems, which are reported once */
    char **said;
    size_t nsaid, said_cap;
} comp_ctx;

/* What a reference resolves to in a flattened model. */
typedef enum ref_kind { REF_NONE, REF_SID, REF_UNIT, REF_META } ref_kind;

typedef struct ref {
    ref_kind kind;
    char *name;
} comp_ref;

/* A comp_rename applied to one flattened submodel: old name -> new name, with the
 * conversion factor (a parameter of the containing model) that scales it, if any. */
typedef struct comp_rename {
    ref_kind kind;
    char *from, *to, *factor;
} comp_rename;

typedef struct comp_renames {
    comp_rename *items;
    size_t len, cap;
    sbml_map index[REF_META + 1]; /* per kind: from -> its latest item */
} comp_renames;

static void fail(comp_ctx *c, const char *rule, const xmlNode *at, const char *fmt, ...)
    TC_PRINTF(4, 5);

/* A problem inside an external file is reported where the document being checked
 * refers to it (its findings are about this document), saying where it really is. */
static void fail(comp_ctx *c, const char *rule, const xmlNode *at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    c->failures++;
    char *key = tc_xasprintf("%s\t%ld\t%s", rule, at ? (long)xmlGetLineNo(at) : 0L, msg);
    for (size_t i = 0; i < c->nsaid; i++)
        if (strcmp(c->said[i], key) == 0) {
            free(key);
            return;
        }
    TC_GROW(c->said, c->said_cap, c->nsaid + 1);
    c->said[c->nsaid++] = key;
    bool external = false;
    for (size_t i = 0; at && i < c->nsrc && !external; i++)
        external = c->src[i].xml && at->doc == c->src[i].xml;
    if (external) {
        const char *url = at->doc && at->doc->URL ? (const char *)at->doc->URL : "";
        const char *base = strrchr(url, '/');
        sbml_report(&c->o, rule, c->entry ? (long)xmlGetLineNo(c->entry) : 0,
                    "%s (in the external file \"%s\", line %ld, which this model uses)", msg,
                    base ? base + 1 : url, (long)xmlGetLineNo(at));
    } else {
        sbml_report(&c->o, rule, at ? (long)xmlGetLineNo(at) : 0, "%s", msg);
    }
}

/* The elements of a subtree, counted up to `limit`. */
static size_t count_elements(const xmlNode *n, size_t limit, int depth)
{
    size_t k = 1;
    for (const xmlNode *c = n->children; c && k <= limit && depth < 400; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            k += count_elements(c, limit - k, depth + 1);
    return k;
}

static const char *nm(const xmlNode *n)
{
    return (const char *)n->name;
}

static bool is_comp(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, COMP_NS) == 0 && (!name || strcmp(nm(n), name) == 0);
}

static bool is_core(const xmlNode *n, const char *name)
{
    return sbml_is_sbml(n) && (!name || strcmp(nm(n), name) == 0);
}

/* A comp attribute: in the comp namespace, or (as some writers do) without one. */
static char *comp_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)COMP_NS);
    if (!v)
        v = xmlGetNoNsProp(n, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = tc_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static xmlNode *first(const xmlNode *n, bool comp, const char *name)
{
    for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (comp ? is_comp(c, name) : is_core(c, name))
            return c;
    return NULL;
}

static void renames_add(comp_renames *r, ref_kind kind, const char *from, const char *to,
                        const char *factor)
{
    TC_GROW(r->items, r->cap, r->len + 1);
    r->items[r->len] = (comp_rename){kind, tc_xstrdup(from), tc_xstrdup(to),
                                     factor ? tc_xstrdup(factor) : NULL};
    sbml_map_set(&r->index[kind], r->items[r->len].from, r->len);
    r->len++;
}

/* The latest rename of `from` of this kind (a hash look-up: a flattened submodel renames
 * every one of its ids, and each reference in it is looked up). */
static const comp_rename *renames_find(const comp_renames *r, ref_kind kind, const char *from)
{
    size_t i;
    return sbml_map_get(&r->index[kind], from, &i) ? &r->items[i] : NULL;
}

static void renames_release(comp_renames *r)
{
    for (size_t i = 0; i < r->len; i++) {
        free(r->items[i].from);
        free(r->items[i].to);
        free(r->items[i].factor);
    }
    free(r->items);
    for (int k = 0; k <= REF_META; k++)
        sbml_map_free(&r->index[k]);
    *r = (comp_renames){0};
}

/* ---- finding model definitions ---- */

/* What stopped the reader: its first problem other than a note on a DOCTYPE. */
static void xml_stopper(void *ctx, const tc_xml_problem *p)
{
    char **why = ctx;
    if (!*why && strcmp(p->rule, "xml:doctype") != 0)
        *why = tc_xasprintf("%s (line %ld)", p->message, p->line);
}

static const comp_src *load_external(comp_ctx *c, const char *base, const char *source,
                                     const xmlNode *at)
{
    for (size_t i = 0; i < c->nsrc; i++) /* read once; a failure is reported once */
        if (strcmp(c->src[i].source, source) == 0 && strcmp(c->src[i].base, base) == 0)
            return c->src[i].xml ? &c->src[i] : NULL;
    if (!c->res || !c->res->read) {
        fail(c, "sbml:comp-20304", at,
             "the external model file \"%s\" cannot be read here (no files to resolve it in)",
             source);
        return NULL;
    }
    if (c->nsrc == MAX_SOURCES) {
        fail(c, "sbml:comp-20304", at, "more than %d external model files", MAX_SOURCES);
        return NULL;
    }
    unsigned char *data = NULL;
    size_t len = 0;
    char *path = NULL;
    if (c->res->read(c->res->ctx, base, source, &path, &data, &len) != 0) {
        fail(c, "sbml:comp-20304", at,
             "the external model file \"%s\" cannot be found inside the package or the model's "
             "folder",
             source);
        c->src[c->nsrc++] = (comp_src){NULL, NULL, tc_xstrdup(source), tc_xstrdup(base)};
        return NULL;
    }
    /* the same hardened reader as every other document (entity and size limits) */
    char *why = NULL;
    xmlDoc *xml = tc_xml_read_ex(data, len, path, xml_stopper, &why);
    free(data);
    const xmlNode *root = xml ? xmlDocGetRootElement(xml) : NULL;
    if (!root || strcmp(nm(root), "sbml") != 0) {
        if (!xml)
            fail(c, "sbml:comp-20304", at,
                 "the external model file \"%s\" cannot be read as XML: %s", source,
                 why ? why : "not well-formed");
        else
            fail(c, "sbml:comp-20304", at,
                 "the external model file \"%s\" is not an SBML document", source);
        free(why);
        if (xml)
            xmlFreeDoc(xml);
        free(path);
        c->src[c->nsrc++] = (comp_src){NULL, NULL, tc_xstrdup(source), tc_xstrdup(base)};
        return NULL;
    }
    free(why);
    c->src[c->nsrc] = (comp_src){xml, path, tc_xstrdup(source), tc_xstrdup(base)};
    return &c->src[c->nsrc++];
}

/* The model definition `id` as seen from document `xml` (file `file`): a
 * modelDefinition, the main model, or an externalModelDefinition's target. */
static const xmlNode *find_definition(comp_ctx *c, const xmlDoc *xml, const char *file,
                                      const char *id, const xmlNode *at, const char **def_file,
                                      int hops)
{
    const xmlNode *root = xmlDocGetRootElement((xmlDoc *)xml);
    *def_file = file;
    if (hops > MAX_DEPTH) {
        fail(c, "sbml:comp-20310", at,
             "external model definitions refer to each other in a cycle (through \"%s\")", id);
        return NULL;
    }
    for (const xmlNode *l = root->children; l; l = l->next) {
        if (is_comp(l, "listOfModelDefinitions"))
            for (const xmlNode *d = l->children; d; d = d->next) {
                if (!is_comp(d, "modelDefinition"))
                    continue;
                xmlChar *did = xmlGetNoNsProp(d, (const xmlChar *)"id");
                bool hit = did && strcmp((const char *)did, id) == 0;
                xmlFree(did);
                if (hit)
                    return d;
            }
    }
    for (const xmlNode *l = root->children; l; l = l->next) {
        if (!is_comp(l, "listOfExternalModelDefinitions"))
            continue;
        for (const xmlNode *d = l->children; d; d = d->next) {
            if (!is_comp(d, "externalModelDefinition"))
                continue;
            char *did = comp_attr(d, "id");
            bool hit = did && strcmp(did, id) == 0;
            free(did);
            if (!hit)
                continue;
            char *source = comp_attr(d, "source"), *mref = comp_attr(d, "modelRef");
            const xmlNode *found = NULL, *saved = c->entry;
            if (d->doc == c->main)
                c->entry = d;
            if (!source) {
                fail(c, "sbml:comp-20303", d,
                     "<externalModelDefinition> \"%s\" has no source attribute", id);
            } else {
                const comp_src *s = load_external(c, file, source, d);
                if (s) {
                    const xmlNode *sroot = xmlDocGetRootElement(s->xml);
                    const xmlNode *main = first(sroot, false, "model");
                    xmlChar *mid = main ? xmlGetNoNsProp(main, (const xmlChar *)"id") : NULL;
                    if (!mref || (mid && strcmp((const char *)mid, mref) == 0))
                        found = main, *def_file = s->file;
                    else
                        found = find_definition(c, s->xml, s->file, mref, d, def_file, hops + 1);
                    xmlFree(mid);
                    if (!found && mref && c->failures == 0)
                        fail(c, "sbml:comp-20305", d,
                             "modelRef=\"%s\" names no model in the external file \"%s\"", mref,
                             source);
                }
            }
            c->entry = saved;
            free(source);
            free(mref);
            return found;
        }
    }
    return NULL;
}

/* ---- resolving SBaseRefs in a flattened submodel ---- */

/* The ports of a flattened model are kept in its comp:listOfPorts with their targets
 * already resolved (attributes flat-kind and flat-name on each port). */
static comp_ref port_target(const xmlNode *model, const char *port_id)
{
    comp_ref r = {REF_NONE, NULL};
    for (const xmlNode *p = first(model, true, "listOfPorts") ? first(model, true, "listOfPorts")->children : NULL; p; p = p->next) {
        if (!is_comp(p, "port"))
            continue;
        char *id = comp_attr(p, "id");
        bool hit = id && strcmp(id, port_id) == 0;
        free(id);
        if (!hit)
            continue;
        xmlChar *k = xmlGetNoNsProp(p, (const xmlChar *)"flat-kind");
        xmlChar *n = xmlGetNoNsProp(p, (const xmlChar *)"flat-name");
        if (k && n) {
            r.kind = (ref_kind)atoi((const char *)k);
            r.name = tc_xstrdup((const char *)n);
        }
        xmlFree(k);
        xmlFree(n);
        break;
    }
    return r;
}

/* Resolve the SBaseRef attributes of `e` (portRef, idRef, unitRef, metaIdRef, and a
 * nested comp:sBaseRef) against flattened `model`, names prefixed by `prefix`. */
static comp_ref resolve(comp_ctx *c, const xmlNode *model, const xmlNode *e, const char *prefix,
                   int depth)
{
    comp_ref r = {REF_NONE, NULL};
    if (depth > MAX_DEPTH)
        return r;
    char *port = comp_attr(e, "portRef"), *id = comp_attr(e, "idRef"),
         *unit = comp_attr(e, "unitRef"), *meta = comp_attr(e, "metaIdRef");
    const xmlNode *inner = first(e, true, "sBaseRef");
    if (!inner)
        inner = first(e, true, "sbaseRef");
    int count = !!port + !!id + !!unit + !!meta;
    if (count != 1) {
        const char *rule = strcmp(nm(e), "port") == 0              ? "sbml:comp-20801"
                           : strcmp(nm(e), "deletion") == 0        ? "sbml:comp-20901"
                           : strcmp(nm(e), "replacedElement") == 0 ? "sbml:comp-21001"
                           : strcmp(nm(e), "replacedBy") == 0      ? "sbml:comp-21101"
                                                                   : "sbml:comp-20702";
        fail(c, rule, e,
             "<%s> must point to exactly one object (one of portRef, idRef, unitRef, metaIdRef); "
             "it has %d",
             nm(e), count);
        goto done;
    }
    if (port) {
        char *full = tc_xasprintf("%s%s", prefix, port);
        r = port_target(model, full);
        free(full);
        if (!r.name)
            fail(c, "sbml:comp-20701", e, "portRef=\"%s\" names no port of the submodel", port);
        else if (inner) {
            /* the port points at a submodel: continue below it */
            char *p2 = tc_xasprintf("%s__", r.name);
            free(r.name);
            r = resolve(c, model, inner, p2, depth + 1);
            free(p2);
        }
    } else if (id && inner) {
        char *p2 = tc_xasprintf("%s%s__", prefix, id);
        r = resolve(c, model, inner, p2, depth + 1);
        free(p2);
    } else if (id) {
        r = (comp_ref){REF_SID, tc_xasprintf("%s%s", prefix, id)};
    } else if (unit) {
        r = (comp_ref){REF_UNIT, tc_xasprintf("%s%s", prefix, unit)};
    } else {
        r = (comp_ref){REF_META, tc_xasprintf("%s%s", prefix, meta)};
    }
done:
    free(port);
    free(id);
    free(unit);
    free(meta);
    return r;
}

/* The core element in `model` that `r` names, or NULL. */
static xmlNode *find_target(xmlNode *n, const comp_ref *r, int depth)
{
    if (depth > 200)
        return NULL;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !sbml_is_sbml(c))
            continue;
        const char *attr = r->kind == REF_META ? "metaid" : "id";
        bool unitdef = strcmp(nm(c), "unitDefinition") == 0;
        if (r->kind == REF_UNIT && !unitdef && strcmp(nm(c), "listOfUnitDefinitions") != 0)
            continue;
        if (r->kind == REF_SID && unitdef)
            continue;
        xmlChar *v = xmlGetNoNsProp(c, (const xmlChar *)attr);
        bool hit = v && strcmp((const char *)v, r->name) == 0;
        xmlFree(v);
        if (hit)
            return c;
        /* local parameters are not in the model's SId namespace */
        if (strcmp(nm(c), "kineticLaw") == 0 && r->kind != REF_META)
            continue;
        xmlNode *x = find_target(c, r, depth + 1);
        if (x)
            return x;
    }
    return NULL;
}

/* An element a replacedBy renamed keeps the name it had in its submodel in the comp
 * attribute "former" (space-separated; removed with the other comp attributes at the
 * end), so that a path through an enclosing submodel still finds it. */
static void remember_former(xmlNode *t, const char *name)
{
    xmlNs *ns = xmlSearchNsByHref(t->doc, t, (const xmlChar *)COMP_NS);
    if (!ns)
        ns = xmlNewNs(t, (const xmlChar *)COMP_NS, (const xmlChar *)"comp");
    xmlChar *old = xmlGetNsProp(t, (const xmlChar *)"former", (const xmlChar *)COMP_NS);
    char *all = old ? tc_xasprintf("%s %s", (const char *)old, name) : tc_xstrdup(name);
    xmlSetNsProp(t, ns, (const xmlChar *)"former", (const xmlChar *)all);
    free(all);
    xmlFree(old);
}

static bool was_named(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNsProp(n, (const xmlChar *)"former", (const xmlChar *)COMP_NS);
    bool hit = false;
    size_t len = strlen(name);
    for (const char *p = (const char *)v; p && *p && !hit;) {
        const char *end = strchr(p, ' ');
        size_t n_len = end ? (size_t)(end - p) : strlen(p);
        hit = n_len == len && strncmp(p, name, len) == 0;
        p = end ? end + 1 : NULL;
    }
    xmlFree(v);
    return hit;
}

static xmlNode *find_former(xmlNode *n, const comp_ref *r, int depth)
{
    if (depth > 200 || r->kind == REF_META)
        return NULL;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !sbml_is_sbml(c))
            continue;
        if (was_named(c, r->name))
            return c;
        if (strcmp(nm(c), "kineticLaw") == 0)
            continue;
        xmlNode *x = find_former(c, r, depth + 1);
        if (x)
            return x;
    }
    return NULL;
}

static void drop(xmlNode *n)
{
    xmlUnlinkNode(n);
    xmlFreeNode(n);
}

/* ---- renaming ---- */

static bool is_unit_attr(const char *a)
{
    static const char *const units[] = {"units",       "substanceUnits", "timeUnits",
                                        "volumeUnits", "areaUnits",      "lengthUnits",
                                        "extentUnits", "spatialSizeUnits"};
    for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(units[i], a) == 0)
            return true;
    return false;
}

/* Collect what a flattened submodel names: every id outside kinetic laws, unit ids,
 * metaids. Each gets "prefix" unless `replaced` says otherwise. */
static void collect(const xmlNode *n, const char *prefix, comp_renames *out, int depth)
{
    if (depth > 200)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !sbml_is_sbml(c))
            continue;
        xmlChar *id = xmlGetNoNsProp(c, (const xmlChar *)"id");
        xmlChar *meta = xmlGetNoNsProp(c, (const xmlChar *)"metaid");
        bool local = strcmp(nm(c), "localParameter") == 0 ||
                     (strcmp(nm(c), "parameter") == 0 && c->parent && c->parent->parent &&
                      strcmp(nm(c->parent->parent), "kineticLaw") == 0);
        ref_kind k = strcmp(nm(c), "unitDefinition") == 0 ? REF_UNIT : REF_SID;
        if (id && !local && !renames_find(out, k, (const char *)id)) {
            char *to = tc_xasprintf("%s%s", prefix, (const char *)id);
            renames_add(out, k, (const char *)id, to, NULL);
            free(to);
        }
        if (meta && !renames_find(out, REF_META, (const char *)meta)) {
            char *to = tc_xasprintf("%s%s", prefix, (const char *)meta);
            renames_add(out, REF_META, (const char *)meta, to, NULL);
            free(to);
        }
        xmlFree(id);
        xmlFree(meta);
        collect(c, prefix, out, depth + 1);
    }
}

static xmlNode *mathml(xmlNode *like, const char *name)
{
    return xmlNewNode(like->ns, (const xmlChar *)name);
}

static xmlNode *ci(xmlNode *like, const char *name)
{
    xmlNode *n = mathml(like, "ci");
    xmlNodeSetContent(n, (const xmlChar *)name);
    return n;
}

/* Replace node `x` by <apply><op/> x <ci>factor</ci></apply>, which is returned. */
static xmlNode *wrap(xmlNode *x, const char *op, const char *factor)
{
    xmlNode *apply = mathml(x, "apply");
    xmlReplaceNode(x, apply);
    xmlAddChild(apply, mathml(x, op));
    xmlAddChild(apply, x);
    xmlAddChild(apply, ci(x, factor));
    return apply;
}

/* The n-th element child of `n` (0 is the first), or NULL. */
static xmlNode *nth_element(const xmlNode *n, int index)
{
    for (xmlNode *c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE && index-- == 0)
            return c;
    return NULL;
}

/* Whether `n` is the csymbol for `symbol` ("time", "delay", "rateOf"). */
static bool is_csymbol(const xmlNode *n, const char *symbol)
{
    if (!n || strcmp(nm(n), "csymbol") != 0)
        return false;
    xmlChar *url = xmlGetNoNsProp(n, (const xmlChar *)"definitionURL");
    const char *u = url ? (const char *)url : "";
    size_t ul = strlen(u), sl = strlen(symbol);
    bool hit = ul > sl && u[ul - sl - 1] == '/' && strcmp(u + ul - sl, symbol) == 0;
    xmlFree(url);
    return hit;
}

static char *trimmed(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? (const char *)t : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len && strchr(" \t\n\r", s[len - 1]))
        len--;
    char *out = tc_xstrndup(s, len);
    xmlFree(t);
    return out;
}

/* The names of the reactions of a flattened submodel, as they were before renaming. */
typedef struct comp_names {
    char **items;
    size_t len, cap;
} comp_names;

static bool names_has(const comp_names *n, const char *name)
{
    for (size_t i = 0; n && i < n->len; i++)
        if (strcmp(n->items[i], name) == 0)
            return true;
    return false;
}

static void names_release(comp_names *n)
{
    for (size_t i = 0; i < n->len; i++)
        free(n->items[i]);
    free(n->items);
    *n = (comp_names){0};
}

/* The ids of the reactions of `model` (a flattened model: its own and those merged
 * from its submodels are all in its listOfReactions). */
static void collect_reactions(const xmlNode *model, comp_names *out)
{
    const xmlNode *l = first(model, false, "listOfReactions");
    for (const xmlNode *e = l ? l->children : NULL; e; e = e->next) {
        if (!is_core(e, "reaction"))
            continue;
        xmlChar *id = xmlGetNoNsProp(e, (const xmlChar *)"id");
        if (id && !names_has(out, (const char *)id)) {
            TC_GROW(out->items, out->cap, out->len + 1);
            out->items[out->len++] = tc_xstrdup((const char *)id);
        }
        xmlFree(id);
    }
}

typedef struct scale {
    const char *time, *extent; /* the submodel's conversion factors, or NULL */
    const comp_names *reactions; /* whose kinetic laws those factors convert */
    bool lambda;                 /* inside a function definition: only bound variables */
} scale;

static void rename_math(xmlNode *n, const comp_renames *r, const scale *sc, int depth);

/* A <ci> of submodel math: renamed; a reference to a converted element becomes
 * (replacement / factor), and one to a reaction, whose kinetic law is multiplied by
 * extent / time, is divided by the same (comp 3.8.2). */
static void rename_ci(xmlNode *c, const comp_renames *r, const scale *sc)
{
    char *name = trimmed(c);
    const comp_rename *m = renames_find(r, REF_SID, name);
    xmlNode *x = c;
    if (m) {
        xmlNodeSetContent(c, (const xmlChar *)m->to);
        if (m->factor && !sc->lambda)
            x = wrap(x, "divide", m->factor);
    }
    if (!sc->lambda && names_has(sc->reactions, name)) {
        if (sc->extent)
            x = wrap(x, "divide", sc->extent);
        if (sc->time)
            wrap(x, "times", sc->time);
    }
    free(name);
}

/* An <apply> of submodel math. delay(x, d) waits d submodel time units: d becomes
 * d * timeConversionFactor. rateOf(x) is a rate in submodel time, so it becomes
 * rateOf(x) * timeConversionFactor, and since its argument must stay a name, a
 * converted x turns rateOf(x) into rateOf(replacement) / factor (the factor is a
 * constant). */
static void rename_apply(xmlNode *c, const comp_renames *r, const scale *sc, int depth)
{
    xmlNode *op = nth_element(c, 0);
    if (is_csymbol(op, "rateOf")) {
        xmlNode *arg = nth_element(c, 1);
        const comp_rename *m = NULL;
        if (arg && strcmp(nm(arg), "ci") == 0) {
            char *name = trimmed(arg);
            m = renames_find(r, REF_SID, name);
            if (m)
                xmlNodeSetContent(arg, (const xmlChar *)m->to);
            free(name);
        } else {
            rename_math(c, r, sc, depth + 1);
        }
        xmlNode *x = c;
        if (m && m->factor && !sc->lambda)
            x = wrap(x, "divide", m->factor);
        if (sc->time)
            wrap(x, "times", sc->time);
        return;
    }
    rename_math(c, r, sc, depth + 1);
    xmlNode *d = is_csymbol(op, "delay") ? nth_element(c, 2) : NULL;
    if (d && sc->time)
        wrap(d, "times", sc->time);
}

/* Rename MathML: <ci> names, sbml:units on <cn>; references to a converted element
 * become (replacement / factor); csymbol time becomes (time / timeConversionFactor). */
static void rename_math(xmlNode *n, const comp_renames *r, const scale *sc, int depth)
{
    if (depth > 400)
        return;
    for (xmlNode *c = n->children, *next; c; c = next) {
        next = c->next;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(nm(c), "ci") == 0) {
            rename_ci(c, r, sc);
            continue;
        }
        if (strcmp(nm(c), "cn") == 0) {
            for (xmlAttr *a = c->properties; a; a = a->next) {
                if (!a->ns || strcmp((const char *)a->name, "units") != 0)
                    continue;
                xmlChar *v = xmlNodeGetContent((xmlNode *)a);
                const comp_rename *m = v ? renames_find(r, REF_UNIT, (const char *)v) : NULL;
                if (m)
                    xmlSetNsProp(c, a->ns, a->name, (const xmlChar *)m->to);
                xmlFree(v);
            }
            continue;
        }
        if (strcmp(nm(c), "csymbol") == 0) {
            if (sc->time && is_csymbol(c, "time"))
                wrap(c, "divide", sc->time);
            continue;
        }
        if (strcmp(nm(c), "apply") == 0) {
            rename_apply(c, r, sc, depth);
            continue;
        }
        if (strcmp(nm(c), "lambda") == 0) {
            scale in = *sc;
            in.lambda = true;
            rename_math(c, r, &in, depth + 1);
            continue;
        }
        rename_math(c, r, sc, depth + 1);
    }
}

/* Multiply (or divide) the content of the <math> child of `e` by `factor`. */
static void scale_math(xmlNode *e, const char *op, const char *factor)
{
    for (xmlNode *m = e->children; m; m = m->next) {
        if (m->type != XML_ELEMENT_NODE || strcmp(nm(m), "math") != 0)
            continue;
        for (xmlNode *x = m->children; x; x = x->next)
            if (x->type == XML_ELEMENT_NODE) {
                wrap(x, op, factor);
                return;
            }
    }
}

/* The attribute naming what an assignment targets, or NULL. */
static const char *target_attr(const xmlNode *e)
{
    const char *n = nm(e);
    if (strcmp(n, "assignmentRule") == 0 || strcmp(n, "rateRule") == 0 ||
        strcmp(n, "eventAssignment") == 0)
        return "variable";
    if (strcmp(n, "initialAssignment") == 0)
        return "symbol";
    return NULL;
}

static void rename_tree(xmlNode *n, const comp_renames *r, const scale *sc, int depth)
{
    if (depth > 200)
        return;
    for (xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp(nm(c), "math") == 0) {
            rename_math(c, r, sc, 0);
            continue;
        }
        if (!sbml_is_sbml(c))
            continue;
        const char *ta = target_attr(c);
        const comp_rename *target = NULL;
        for (xmlAttr *a = c->properties; a; a = a->next) {
            if (a->ns)
                continue;
            const char *an = (const char *)a->name;
            if (strcmp(an, "name") == 0 || strcmp(an, "sboTerm") == 0)
                continue;
            ref_kind k = strcmp(an, "metaid") == 0 ? REF_META
                         : is_unit_attr(an) || (strcmp(an, "id") == 0 &&
                                                strcmp(nm(c), "unitDefinition") == 0)
                             ? REF_UNIT
                             : REF_SID;
            xmlChar *v = xmlNodeGetContent((xmlNode *)a);
            const comp_rename *m = v ? renames_find(r, k, (const char *)v) : NULL;
            if (m) {
                if (ta && strcmp(an, ta) == 0)
                    target = m;
                xmlSetProp(c, a->name, (const xmlChar *)m->to);
            }
            xmlFree(v);
        }
        rename_tree(c, r, sc, depth + 1);
        /* scaling after renaming, so the factor's own <ci> is not renamed */
        const char *n2 = nm(c);
        if (target && target->factor)
            scale_math(c, "times", target->factor);
        if (strcmp(n2, "rateRule") == 0 && sc->time)
            scale_math(c, "divide", sc->time);
        if (strcmp(n2, "delay") == 0 && sc->time)
            scale_math(c, "times", sc->time);
        if (strcmp(n2, "kineticLaw") == 0) {
            if (sc->extent)
                scale_math(c, "times", sc->extent);
            if (sc->time)
                scale_math(c, "divide", sc->time);
        }
    }
}

/* ---- merging ---- */

/* Append the children of every core list of `from` (a flattened submodel) to the
 * same list of `into`, creating it when absent. */
static void merge_lists(xmlNode *into, xmlNode *from)
{
    for (xmlNode *l = from->children, *next; l; l = next) {
        next = l->next;
        if (!is_core(l, NULL) || strncmp(nm(l), "listOf", 6) != 0)
            continue;
        xmlNode *dst = first(into, false, nm(l));
        if (!dst) {
            xmlUnlinkNode(l);
            xmlAddChild(into, l);
            continue;
        }
        for (xmlNode *e = l->children, *en; e; e = en) {
            en = e->next;
            if (e->type != XML_ELEMENT_NODE)
                continue;
            xmlUnlinkNode(e);
            xmlAddChild(dst, e);
        }
    }
}

/* Resolve the targets of the ports of `model` (its own, before it is merged). */
static void resolve_ports(comp_ctx *c, xmlNode *model)
{
    xmlNode *list = first(model, true, "listOfPorts");
    for (xmlNode *p = list ? list->children : NULL; p; p = p->next) {
        if (!is_comp(p, "port") || xmlHasProp(p, (const xmlChar *)"flat-kind"))
            continue;
        comp_ref r = resolve(c, model, p, "", 0);
        if (!r.name)
            continue;
        char k[8];
        snprintf(k, sizeof(k), "%d", (int)r.kind);
        xmlSetProp(p, (const xmlChar *)"flat-kind", (const xmlChar *)k);
        xmlSetProp(p, (const xmlChar *)"flat-name", (const xmlChar *)r.name);
        free(r.name);
    }
}

/* Keep the ports of a merged submodel `sub` (already resolved) in `model`'s list as
 * "sub__port", so that SBaseRef chains through the submodel still find them. */
static void keep_ports(xmlNode *model, xmlNode *flat, const char *sid, const comp_renames *rn)
{
    xmlNode *list = first(flat, true, "listOfPorts");
    if (!list)
        return;
    xmlNode *dst = first(model, true, "listOfPorts");
    if (!dst)
        dst = xmlNewChild(model, list->ns, (const xmlChar *)"listOfPorts", NULL);
    for (xmlNode *p = list->children, *next; p; p = next) {
        next = p->next;
        if (!is_comp(p, "port"))
            continue;
        char *id = comp_attr(p, "id");
        xmlChar *k = xmlGetNoNsProp(p, (const xmlChar *)"flat-kind");
        xmlChar *n = xmlGetNoNsProp(p, (const xmlChar *)"flat-name");
        if (id && k && n) {
            const comp_rename *m = renames_find(rn, (ref_kind)atoi((const char *)k), (const char *)n);
            xmlNode *q = xmlNewChild(dst, list->ns, (const xmlChar *)"port", NULL);
            char *qid = tc_xasprintf("%s__%s", sid, id);
            xmlSetProp(q, (const xmlChar *)"id", (const xmlChar *)qid);
            xmlSetProp(q, (const xmlChar *)"flat-kind", k);
            xmlSetProp(q, (const xmlChar *)"flat-name",
                       m ? (const xmlChar *)m->to : (const xmlChar *)n);
            xmlSetProp(q, (const xmlChar *)"inner", (const xmlChar *)"true");
            free(qid);
        }
        free(id);
        xmlFree(k);
        xmlFree(n);
    }
}

static bool has_parameter(const xmlNode *model, const char *id)
{
    const xmlNode *l = first(model, false, "listOfParameters");
    for (const xmlNode *p = l ? l->children : NULL; p; p = p->next) {
        if (!is_core(p, "parameter"))
            continue;
        xmlChar *v = xmlGetNoNsProp(p, (const xmlChar *)"id");
        bool hit = v && strcmp((const char *)v, id) == 0;
        xmlFree(v);
        if (hit)
            return true;
    }
    return false;
}

/* Every element of `model` (not inside submodels) with a comp child named `what`
 * whose submodelRef is `sid`: calls fn for each such child. */
typedef void (*each_fn)(comp_ctx *c, xmlNode *owner, xmlNode *ref_elem, void *arg);

static void each_replacement(comp_ctx *c, xmlNode *n, const char *sid, bool replaced_by,
                             each_fn fn, void *arg, int depth)
{
    if (depth > 200)
        return;
    for (xmlNode *e = n->children; e; e = e->next) {
        if (e->type != XML_ELEMENT_NODE)
            continue;
        if (is_comp(e, NULL) && strcmp(nm(e), "listOfSubmodels") != 0 &&
            strcmp(nm(e), "listOfPorts") != 0) {
            const char *want = replaced_by ? "replacedBy" : "listOfReplacedElements";
            if (strcmp(nm(e), want) != 0)
                continue;
            xmlNode *items = replaced_by ? e : e->children;
            for (xmlNode *x = items; x; x = x->next) {
                if (!is_comp(x, replaced_by ? "replacedBy" : "replacedElement"))
                    continue;
                char *ref = comp_attr(x, "submodelRef");
                if (ref && strcmp(ref, sid) == 0)
                    fn(c, n, x, arg);
                free(ref);
                if (replaced_by)
                    break;
            }
            continue;
        }
        if (sbml_is_sbml(e))
            each_replacement(c, e, sid, replaced_by, fn, arg, depth + 1);
    }
}

typedef struct merge_state {
    xmlNode *flat;      /* the flattened submodel */
    comp_renames *rn;        /* names in it -> names in the containing model */
    comp_renames *parent_rn; /* names in the containing model -> replacement (replacedBy) */
    xmlNode *parent;
    const char *sid;
} merge_state;

static const char *owner_name(const xmlNode *owner, ref_kind k, xmlChar **keep)
{
    *keep = xmlGetNoNsProp(owner, (const xmlChar *)(k == REF_META ? "metaid" : "id"));
    return (const char *)*keep;
}

static void on_replaced(comp_ctx *c, xmlNode *owner, xmlNode *x, void *arg)
{
    merge_state *st = arg;
    char *del = comp_attr(x, "deletion");
    if (del) { /* replaces something the submodel deletes: nothing left to redirect */
        free(del);
        return;
    }
    comp_ref r = resolve(c, st->flat, x, "", 0);
    if (!r.name)
        return;
    xmlNode *t = find_target(st->flat, &r, 0);
    if (!t)
        t = find_former(st->flat, &r, 0);
    if (!t) {
        fail(c, r.kind == REF_UNIT ? "sbml:comp-20703" : r.kind == REF_META ? "sbml:comp-20704"
                                                                           : "sbml:comp-20702",
             x, "the replaced element \"%s\" is not in submodel \"%s\"", r.name, st->sid);
        free(r.name);
        return;
    }
    xmlChar *keep = NULL;
    const char *to = owner_name(owner, r.kind, &keep);
    char *cf = comp_attr(x, "conversionFactor");
    if (to)
        renames_add(st->rn, r.kind, r.name, to, cf);
    /* whatever the reference was (id, metaid, port), both names of the replaced
     * element now mean the replacement's */
    xmlChar *tid = xmlGetNoNsProp(t, (const xmlChar *)"id");
    xmlChar *tmeta = xmlGetNoNsProp(t, (const xmlChar *)"metaid");
    xmlChar *oid = xmlGetNoNsProp(owner, (const xmlChar *)"id");
    xmlChar *ometa = xmlGetNoNsProp(owner, (const xmlChar *)"metaid");
    ref_kind idk = strcmp(nm(t), "unitDefinition") == 0 ? REF_UNIT : REF_SID;
    if (tid && oid && !(r.kind == idk && strcmp(r.name, (const char *)tid) == 0))
        renames_add(st->rn, idk, (const char *)tid, (const char *)oid, cf);
    if (tmeta && ometa && r.kind != REF_META)
        renames_add(st->rn, REF_META, (const char *)tmeta, (const char *)ometa, NULL);
    xmlFree(tid);
    xmlFree(tmeta);
    xmlFree(oid);
    xmlFree(ometa);
    free(cf);
    drop(t);
    xmlFree(keep);
    free(r.name);
}

/* The owner is replaced by the submodel's element, which takes the owner's place and
 * its identity: references to either name the owner's id (and metaid) in the flat
 * model, as references to a replaced element name its replacement. */
static void on_replaced_by(comp_ctx *c, xmlNode *owner, xmlNode *x, void *arg)
{
    merge_state *st = arg;
    comp_ref r = resolve(c, st->flat, x, "", 0);
    if (!r.name)
        return;
    xmlNode *t = find_target(st->flat, &r, 0);
    if (!t)
        t = find_former(st->flat, &r, 0);
    if (!t) {
        fail(c, "sbml:comp-20702", x, "the replacing element \"%s\" is not in submodel \"%s\"",
             r.name, st->sid);
        free(r.name);
        return;
    }
    xmlChar *tid = xmlGetNoNsProp(t, (const xmlChar *)"id");
    xmlChar *tmeta = xmlGetNoNsProp(t, (const xmlChar *)"metaid");
    xmlChar *oid = xmlGetNoNsProp(owner, (const xmlChar *)"id");
    xmlChar *ometa = xmlGetNoNsProp(owner, (const xmlChar *)"metaid");
    ref_kind idk = strcmp(nm(t), "unitDefinition") == 0 ? REF_UNIT : REF_SID;
    /* an element without an id (metaid) of its own takes the owner's, kept from the
     * submodel's prefix by a rename onto itself */
    if (oid && !tid)
        xmlSetProp(t, (const xmlChar *)"id", oid);
    if (oid)
        renames_add(st->rn, idk, tid ? (const char *)tid : (const char *)oid, (const char *)oid,
                    NULL);
    if (oid && tid) { /* the name it would have had in the containing model */
        char *prefixed = tc_xasprintf("%s__%s", st->sid, (const char *)tid);
        if (strcmp(prefixed, (const char *)oid) != 0)
            remember_former(t, prefixed);
        free(prefixed);
    }
    if (ometa && !tmeta)
        xmlSetProp(t, (const xmlChar *)"metaid", ometa);
    if (ometa)
        renames_add(st->rn, REF_META, tmeta ? (const char *)tmeta : (const char *)ometa,
                    (const char *)ometa, NULL);
    if (oid || ometa) /* the owner goes: the submodel's element takes its place */
        xmlSetProp(owner, (const xmlChar *)"comp-dropped", (const xmlChar *)"true");
    xmlFree(tid);
    xmlFree(tmeta);
    xmlFree(oid);
    xmlFree(ometa);
    free(r.name);
}

static void drop_marked(xmlNode *n, int depth)
{
    if (depth > 200)
        return;
    for (xmlNode *c = n->children, *next; c; c = next) {
        next = c->next;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (xmlHasProp(c, (const xmlChar *)"comp-dropped")) {
            drop(c);
            continue;
        }
        drop_marked(c, depth + 1);
    }
}

static xmlNode *flatten_model(comp_ctx *c, const xmlNode *model, const xmlDoc *xml,
                              const char *file);

/* Flatten submodel `s` of `model` (its definition in `xml`) and merge it in. */
static void merge_submodel(comp_ctx *c, xmlNode *model, xmlNode *s, const xmlDoc *xml,
                           const char *file, comp_renames *parent_rn)
{
    char *sid = comp_attr(s, "id"), *mref = comp_attr(s, "modelRef");
    char *tcf = comp_attr(s, "timeConversionFactor"), *ecf = comp_attr(s, "extentConversionFactor");
    comp_renames rn = {0};
    comp_names reactions = {0};
    xmlNode *flat = NULL;
    if (!sid || !mref) {
        fail(c, "sbml:comp-20607", s, "<submodel> must have the attributes id and modelRef");
        goto done;
    }
    for (const char *f = tcf; f; f = f == tcf ? ecf : NULL)
        if (f && !has_parameter(model, f))
            fail(c, f == tcf ? "sbml:comp-20622" : "sbml:comp-20623", s,
                 "the conversion factor \"%s\" of submodel \"%s\" is not a parameter of the "
                 "containing model",
                 f, sid);
    const char *def_file = file;
    const xmlNode *def = find_definition(c, xml, file, mref, s, &def_file, 0);
    if (!def) {
        if (c->failures == 0)
            fail(c, "sbml:comp-20615", s,
                 "modelRef=\"%s\" of submodel \"%s\" names no model definition", mref, sid);
        goto done;
    }
    for (int i = 0; i < c->depth; i++)
        if (c->stack[i] == def) {
            fail(c, "sbml:comp-20617", s,
                 "submodel \"%s\" instantiates model \"%s\", which contains itself", sid, mref);
            goto done;
        }
    const xmlDoc *def_xml = def->doc;
    flat = flatten_model(c, def, def_xml, def_file);
    if (!flat)
        goto done;
    resolve_ports(c, flat);
    /* deletions */
    xmlNode *dels = first(s, true, "listOfDeletions");
    if (dels && !first(dels, true, "deletion"))
        fail(c, "sbml:comp-20604", dels, "<listOfDeletions> of submodel \"%s\" is empty", sid);
    for (xmlNode *d = dels ? dels->children : NULL; d; d = d->next) {
        if (!is_comp(d, "deletion"))
            continue;
        comp_ref r = resolve(c, flat, d, "", 0);
        if (!r.name)
            continue;
        xmlNode *t = find_target(flat, &r, 0);
        if (t)
            drop(t);
        else if (r.kind == REF_SID) {
            /* a deleted submodel of the submodel: everything named "x__..." goes */
            char *pre = tc_xasprintf("%s__", r.name);
            comp_renames all = {0};
            collect(flat, "", &all, 0);
            for (size_t i = 0; i < all.len; i++) {
                if (strncmp(all.items[i].from, pre, strlen(pre)) != 0)
                    continue;
                comp_ref x = {all.items[i].kind, all.items[i].from};
                xmlNode *e = find_target(flat, &x, 0);
                if (e)
                    drop(e);
            }
            renames_release(&all);
            free(pre);
        }
        free(r.name);
    }
    /* replacements first (they take precedence over the prefix) */
    merge_state st = {flat, &rn, parent_rn, model, sid};
    each_replacement(c, model, sid, false, on_replaced, &st, 0);
    /* the reactions that stay: a replaced reaction's rate is the replacement's, which
     * only the replacement's own conversion factor converts (suite cases 01182, 01183) */
    collect_reactions(flat, &reactions);
    each_replacement(c, model, sid, true, on_replaced_by, &st, 0);
    char *prefix = tc_xasprintf("%s__", sid);
    collect(flat, prefix, &rn, 0);
    free(prefix);
    scale sc = {tcf, ecf, &reactions, false};
    rename_tree(flat, &rn, &sc, 0);
    keep_ports(model, flat, sid, &rn);
    merge_lists(model, flat);
    /* moved elements may use namespace declarations of the submodel's copy, which goes */
    xmlReconciliateNs(c->out, model);
done:
    if (flat)
        xmlFreeNode(flat);
    renames_release(&rn);
    names_release(&reactions);
    free(sid);
    free(mref);
    free(tcf);
    free(ecf);
}

/* How many elements flattening `model` would copy, up to MAX_FLAT_ELEMENTS + 1, worked
 * out from the model definitions before anything is copied: each definition is counted
 * once (memo), however many times it is instantiated, and one being counted is not
 * entered again (a cycle, which flattening reports). */
typedef struct flat_memo {
    const xmlNode **def;
    size_t *size; /* SIZE_MAX: being counted */
    size_t len, cap, size_cap;
} flat_memo;

static size_t flat_estimate(comp_ctx *c, const xmlNode *model, const xmlDoc *xml,
                            const char *file, int depth, flat_memo *memo)
{
    const size_t cap = MAX_FLAT_ELEMENTS + 1;
    size_t at;
    for (at = 0; at < memo->len && memo->def[at] != model; at++)
        ;
    if (at < memo->len)
        return memo->size[at] == SIZE_MAX ? 0 : memo->size[at];
    if (depth > MAX_DEPTH)
        return 0;
    TC_GROW(memo->def, memo->cap, memo->len + 1);
    TC_GROW(memo->size, memo->size_cap, memo->len + 1);
    memo->def[at] = model;
    memo->size[at] = SIZE_MAX;
    memo->len++;
    size_t k = count_elements(model, cap, 0);
    const xmlNode *subs = first(model, true, "listOfSubmodels");
    for (const xmlNode *s = subs ? subs->children : NULL; s && k < cap; s = s->next) {
        if (!is_comp(s, "submodel"))
            continue;
        char *mref = comp_attr(s, "modelRef");
        const char *def_file = file;
        const xmlNode *def = mref ? find_definition(c, xml, file, mref, s, &def_file, 0) : NULL;
        if (def) {
            size_t n = flat_estimate(c, def, def->doc, def_file, depth + 1, memo);
            k = n >= cap - k ? cap : k + n;
        }
        free(mref);
    }
    memo->size[at] = k;
    return k;
}

/* A flattened copy of `model` (a model or modelDefinition) in the output document:
 * core content only, plus its comp:listOfPorts with resolved targets. */
static xmlNode *flatten_model(comp_ctx *c, const xmlNode *model, const xmlDoc *xml,
                              const char *file)
{
    if (c->depth == MAX_DEPTH) {
        fail(c, "sbml:comp-20617", model, "submodels are nested more than %d deep", MAX_DEPTH);
        return NULL;
    }
    c->copied += count_elements(model, MAX_FLAT_ELEMENTS, 0);
    if (c->copied > MAX_FLAT_ELEMENTS) {
        fail(c, "sbml:comp-20617", model,
             "the flattened model would have more than %u elements: its submodels instantiate "
             "model definitions too many times",
             MAX_FLAT_ELEMENTS);
        return NULL;
    }
    c->stack[c->depth++] = model;
    xmlNode *m = xmlDocCopyNode((xmlNode *)model, c->out, 1);
    comp_renames parent_rn = {0};
    int lists = 0;
    for (xmlNode *l = m->children; l; l = l->next)
        if (is_comp(l, "listOfSubmodels") && ++lists == 2)
            fail(c, "sbml:comp-20501", l, "a model may have only one <listOfSubmodels>");
    xmlNode *subs = first(m, true, "listOfSubmodels");
    if (subs && !first(subs, true, "submodel"))
        fail(c, "sbml:comp-20502", subs, "<listOfSubmodels> is present but empty");
    for (xmlNode *s = subs ? subs->children : NULL; s; s = s->next)
        if (is_comp(s, "submodel"))
            merge_submodel(c, m, s, xml, file, &parent_rn);
    drop_marked(m, 0); /* the owners of replacedBy */
    if (parent_rn.len) {
        scale none = {0};
        rename_tree(m, &parent_rn, &none, 0);
    }
    renames_release(&parent_rn);
    if (subs)
        drop(subs);
    c->depth--;
    return m;
}

/* Remove what comp adds to core elements: replacement lists, replacedBy, attributes
 * in the comp namespace, and the ports. */
static void strip_comp(xmlNode *n, int depth)
{
    if (depth > 400)
        return;
    for (xmlNode *c = n->children, *next; c; c = next) {
        next = c->next;
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (is_comp(c, NULL)) {
            drop(c);
            continue;
        }
        for (xmlAttr *a = c->properties, *an; a; a = an) {
            an = a->next;
            if (a->ns && strcmp((const char *)a->ns->href, COMP_NS) == 0)
                xmlRemoveProp(a);
        }
        if (strcmp(nm(c), "annotation") != 0 && strcmp(nm(c), "notes") != 0)
            strip_comp(c, depth + 1);
    }
}

bool tc_sbml_uses_comp(const tc_sbml_doc *doc)
{
    const xmlNode *root = doc && doc->xml ? xmlDocGetRootElement(doc->xml) : NULL;
    for (const xmlNs *ns = root ? root->nsDef : NULL; ns; ns = ns->next)
        if (ns->href && strcmp((const char *)ns->href, COMP_NS) == 0)
            return true;
    return false;
}

int tc_sbml_flatten(tc_sbml_doc *doc, const tc_sbml_resolver *res, tc_findings *fs)
{
    if (!tc_sbml_uses_comp(doc))
        return 0;
    comp_ctx c = {.res = res,
                  .o = {.file = doc->file, .fs = fs, .level = doc->level, .version = doc->version},
                  .main = doc->xml};
    xmlNode *root = xmlDocGetRootElement(doc->xml);
    const xmlNode *model = first(root, false, "model");
    c.out = xmlNewDoc((const xmlChar *)"1.0");
    xmlNode *nroot = xmlDocCopyNode(root, c.out, 2); /* the element, attributes, namespaces */
    xmlDocSetRootElement(c.out, nroot);
    for (xmlAttr *a = nroot->properties, *an; a; a = an) {
        an = a->next;
        if (a->ns && strcmp((const char *)a->ns->href, COMP_NS) == 0)
            xmlRemoveProp(a);
    }
    flat_memo memo = {0};
    bool too_large =
        model && flat_estimate(&c, model, doc->xml, doc->file, 0, &memo) > MAX_FLAT_ELEMENTS;
    free(memo.def);
    free(memo.size);
    if (too_large)
        fail(&c, "sbml:comp-20617", model,
             "the flattened model would have more than %u elements: its submodels instantiate "
             "model definitions too many times",
             MAX_FLAT_ELEMENTS);
    if (model && !too_large) {
        xmlNode *flat = flatten_model(&c, model, doc->xml, doc->file);
        if (flat) {
            strip_comp(flat, 0);
            for (xmlAttr *a = flat->properties, *an; a; a = an) {
                an = a->next;
                if (a->ns && strcmp((const char *)a->ns->href, COMP_NS) == 0)
                    xmlRemoveProp(a);
            }
            xmlAddChild(nroot, flat);
        }
    }
    for (size_t i = 0; i < c.nsrc; i++) {
        xmlFreeDoc(c.src[i].xml);
        free(c.src[i].file);
        free(c.src[i].source);
        free(c.src[i].base);
    }
    for (size_t i = 0; i < c.nsaid; i++)
        free(c.said[i]);
    free(c.said);
    if (c.failures) {
        xmlFreeDoc(c.out);
        return tc_error_set(TC_EINVAL, "%s: the composed model cannot be flattened", doc->file);
    }
    const char *prefix = NULL;
    for (const xmlNs *ns = root->nsDef; ns; ns = ns->next)
        if (ns->href && strcmp((const char *)ns->href, COMP_NS) == 0)
            prefix = (const char *)ns->prefix;
    sbml_doc_replace(doc, c.out, prefix);
    return 0;
}

/* ---- resolvers ---- */

/* A reference that stays in its folder: relative, no "..", no scheme, no backslash. */
static bool plain_relative(const char *ref)
{
    if (!*ref || ref[0] == '/' || strchr(ref, '\\') || strchr(ref, ':'))
        return false;
    for (const char *p = ref; *p;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
            return false;
        p = e ? e + 1 : p + n;
    }
    return true;
}

static int dir_read(void *ctx, const char *base, const char *ref, char **path,
                    unsigned char **data, size_t *len)
{
    const char *dir = ctx;
    (void)base;
    if (strncmp(ref, "file:", 5) == 0)
        ref += 5;
    if (!plain_relative(ref))
        return tc_error_set(TC_EINVAL, "%s: not a file inside the model's folder", ref);
    char *p = tc_xasprintf("%s/%s", dir, ref);
    struct stat st;
    if (lstat(p, &st) == 0 && !S_ISREG(st.st_mode)) { /* no links out of the folder */
        free(p);
        return tc_error_set(TC_EINVAL, "%s: not a regular file inside the model's folder", ref);
    }
    int rc = tc_read_file(p, MAX_EXTERNAL_SIZE, data, len);
    if (rc != 0) {
        free(p);
        return rc;
    }
    *path = p;
    return 0;
}

tc_sbml_resolver tc_sbml_resolver_dir(const char *dir)
{
    return (tc_sbml_resolver){.read = dir_read, .ctx = (void *)dir};
}

static int package_read(void *ctx, const char *base, const char *ref, char **path,
                        unsigned char **data, size_t *len)
{
    const tc_package *pkg = ctx;
    if (strncmp(ref, "file:", 5) == 0)
        ref += 5;
    char *p = tc_package_resolve(pkg, base, ref);
    const tc_file *f = p ? tc_package_find(pkg, p) : NULL;
    if ((!f || !f->present || !f->data) && pkg->form == TC_PACKAGE_FILE) {
        /* a model checked on its own: its folder is where its external files are */
        free(p);
        const char *slash = strrchr(pkg->target, '/');
        char *dir = slash ? tc_xstrndup(pkg->target, (size_t)(slash - pkg->target))
                          : tc_xstrdup(".");
        int rc = dir_read(dir, base, ref, path, data, len);
        free(dir);
        return rc;
    }
    if (!f || !f->present || !f->data) {
        free(p);
        return tc_error_set(TC_ENOTFOUND, "%s: not in the package", ref);
    }
    *data = tc_xmalloc(f->size + 1);
    memcpy(*data, f->data, f->size);
    (*data)[f->size] = 0;
    *len = f->size;
    *path = p;
    return 0;
}

tc_sbml_resolver tc_sbml_resolver_package(const tc_package *pkg)
{
    return (tc_sbml_resolver){.read = package_read, .ctx = (void *)pkg};
}
