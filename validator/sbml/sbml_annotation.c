/* Notes, constraint messages and annotations (sbml:104xx, 108xx, 21003, 21006): XHTML
 * content in the XHTML namespace and in one of the allowed forms; annotation
 * elements in namespaces of their own, one element per namespace. */
#include <string.h>

#include "sbml_impl.h"

#define XHTML_NS "http://www.w3.org/1999/xhtml"

static long line_of(const xmlNode *n)
{
    return (long)xmlGetLineNo(n);
}

static bool is_core_ns(const char *href)
{
    return href && strncmp(href, "http://www.sbml.org/sbml/level", 30) == 0 &&
           (strncmp(href, "http://www.sbml.org/sbml/level3", 31) != 0 || strstr(href, "/core"));
}

static bool xhtml_everywhere(const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c && depth < 200; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (!c->ns || strcmp((const char *)c->ns->href, XHTML_NS) != 0)
            return false;
        if (!xhtml_everywhere(c, depth + 1))
            return false;
    }
    return true;
}

static bool is_xhtml_element(const char *name)
{
    static const char *const names[] = {
        "a",        "abbr",       "acronym",  "address",  "area",     "b",       "bdo",
        "big",      "blockquote", "body",     "br",       "button",   "caption", "cite",
        "code",     "col",        "colgroup", "dd",       "del",      "dfn",     "div",
        "dl",       "dt",         "em",       "fieldset", "form",     "h1",      "h2",
        "h3",       "h4",         "h5",       "h6",       "head",     "hr",      "html",
        "i",        "img",        "input",    "ins",      "kbd",      "label",   "legend",
        "li",       "link",       "map",      "meta",     "noscript", "object",  "ol",
        "optgroup", "option",     "p",        "param",    "pre",      "q",       "samp",
        "script",   "select",     "small",    "span",     "strong",   "style",   "sub",
        "sup",      "table",      "tbody",    "td",       "textarea", "tfoot",   "th",
        "thead",    "title",      "tr",       "tt",       "ul",       "var",     "center",
        "font",     "u",          "s",        "strike",   "center",   "dir",     "menu",
        "iframe",   "applet",     "basefont", "isindex"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(names[i], name) == 0)
            return true;
    return false;
}

/* XHTML content: one <html>, one <body>, or body content (sbml:10804 and 21006). */
static void check_xhtml(const sbml_out *o, const xmlNode *n, const char *ns_rule,
                        const char *form_rule, const char *what)
{
    if (!xhtml_everywhere(n, 0))
        sbml_report(o, ns_rule, line_of(n),
                    "the content of <%s> must be in the XHTML namespace "
                    "(" XHTML_NS ")",
                    what);
    if (o->level >= 3)
        return; /* the form rule is a Level 2 rule */
    int elems = 0, html = 0, body = 0, head = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        elems++;
        const char *nm = (const char *)c->name;
        html += strcmp(nm, "html") == 0;
        body += strcmp(nm, "body") == 0;
        head += strcmp(nm, "head") == 0;
        if (!is_xhtml_element(nm)) {
            sbml_report(o, form_rule, line_of(c), "<%s> in <%s> is not an XHTML element", nm, what);
            return;
        }
    }
    if (((html || body) && elems > 1) || head) {
        sbml_report(o, form_rule, line_of(n),
                    "<%s> must hold one <html>, one <body>, or content allowed inside <body>",
                    what);
        return;
    }
    /* a complete document: <head> holding a <title>, then <body> (from L2V2, whose
     * rule 10804 first says so) */
    for (const xmlNode *h = n->children; html && o->version >= 2 && h; h = h->next) {
        if (h->type != XML_ELEMENT_NODE)
            continue;
        const xmlNode *parts[2] = {NULL, NULL};
        int k = 0;
        for (const xmlNode *c = h->children; c; c = c->next)
            if (c->type == XML_ELEMENT_NODE && k++ < 2)
                parts[k - 1] = c;
        bool title = false;
        for (const xmlNode *t = parts[0] ? parts[0]->children : NULL; t; t = t->next)
            title = title || (t->type == XML_ELEMENT_NODE && strcmp((const char *)t->name,
                                                                    "title") == 0);
        if (k != 2 || strcmp((const char *)parts[0]->name, "head") != 0 ||
            strcmp((const char *)parts[1]->name, "body") != 0 || !title)
            sbml_report(o, form_rule, line_of(h),
                        "<html> in <%s> must hold a <head> with a <title>, then a <body>", what);
    }
}

#define RDF_NS "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
#define DC_NS "http://purl.org/dc/elements/1.1/"

static bool in_ns(const xmlNode *n, const char *ns, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && strcmp((const char *)n->ns->href, ns) == 0 &&
           strcmp((const char *)n->name, name) == 0;
}

/* RDF in an annotation describes its element: rdf:about="#metaid" (libSBML 99401-99404,
 * 99407). */
static void check_rdf(const sbml_out *o, const xmlNode *rdf, const xmlNode *owner)
{
    xmlChar *metaid = xmlGetNoNsProp(owner, (const xmlChar *)"metaid");
    char of[SBML_DESCRIBE_MAX];
    sbml_describe(of, sizeof(of), owner);
    for (const xmlNode *d = rdf->children; d; d = d->next) {
        if (!in_ns(d, RDF_NS, "Description"))
            continue;
        xmlChar *about = xmlGetNsProp(d, (const xmlChar *)"about", (const xmlChar *)RDF_NS);
        if (!about)
            sbml_report(o, "sbml:99401", line_of(d),
                        "rdf:Description in the annotation of %s has no rdf:about; it must "
                        "name the element's metaid as rdf:about=\"#metaid\"",
                        of);
        else if (!*about)
            sbml_report(o, "sbml:99402", line_of(d),
                        "rdf:Description in the annotation of %s has an empty rdf:about; it must "
                        "name the element's metaid as rdf:about=\"#metaid\"",
                        of);
        else if (!metaid || about[0] != '#' || strcmp((const char *)about + 1, (const char *)metaid))
            sbml_report(o, "sbml:99403", line_of(d),
                        "rdf:about=\"%s\" in the annotation of %s does not name its metaid "
                        "(%s%s%s)",
                        (const char *)about, of, metaid ? "rdf:about=\"#" : "it has none",
                        metaid ? (const char *)metaid : "", metaid ? "\"" : "");
        xmlFree(about);
        for (const xmlNode *q = d->children; q; q = q->next) {
            if (in_ns(q, DC_NS, "creator")) {
                bool any = false;
                for (const xmlNode *bag = q->children; bag; bag = bag->next)
                    for (const xmlNode *li = bag->type == XML_ELEMENT_NODE ? bag->children : NULL;
                         li; li = li->next)
                        any = any || li->type == XML_ELEMENT_NODE;
                if (!any)
                    sbml_report(o, "sbml:99404", line_of(q),
                                "the model history names a creator element with no creator in it");
            }
            /* a qualifier's bag holds rdf:li items only; nesting is not allowed */
            for (const xmlNode *bag = q->children; bag; bag = bag->next)
                for (const xmlNode *li = in_ns(bag, RDF_NS, "Bag") ? bag->children : NULL; li;
                     li = li->next)
                    if (li->type == XML_ELEMENT_NODE && !in_ns(li, RDF_NS, "li"))
                        sbml_report(o, "sbml:99407", line_of(li),
                                    "<%s> is nested inside a bag of annotation terms",
                                    (const char *)li->name);
        }
    }
    xmlFree(metaid);
}

static void check_annotation(const sbml_out *o, const xmlNode *a)
{
    const char *seen[256];
    int nseen = 0;
    for (const xmlNode *c = a->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && !xmlIsBlankNode(c)) {
            sbml_report(o, "sbml:99406", line_of(c),
                        "the annotation of <%s> holds text; an annotation may only hold XML "
                        "elements",
                        a->parent ? (const char *)a->parent->name : "");
            continue;
        }
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (in_ns(c, RDF_NS, "RDF") && a->parent)
            check_rdf(o, c, a->parent);
        if (!c->ns || !c->ns->href || !*c->ns->href) {
            sbml_report(o, "sbml:10401", line_of(c),
                        "the annotation element <%s> must be in an XML namespace of its own",
                        (const char *)c->name);
            continue;
        }
        const char *href = (const char *)c->ns->href;
        bool core = is_core_ns(href);
        for (const xmlNs *d = c->nsDef; d && !core; d = d->next)
            core = is_core_ns((const char *)d->href);
        if (is_core_ns(href) && o->level < 3) /* Level 3 lets them inherit it */
            sbml_report(o, "sbml:10401", line_of(c),
                        "the annotation element <%s> must be in an XML namespace of its own, "
                        "not SBML's",
                        (const char *)c->name);
        if (core && o->level < 3)
            sbml_report(o, "sbml:10403", line_of(c),
                        "the annotation element <%s> may not use the SBML namespace",
                        (const char *)c->name);
        for (int i = 0; i < nseen; i++)
            if (strcmp(seen[i], href) == 0) {
                sbml_report(o, "sbml:10402", line_of(c),
                            "two top-level elements of the annotation of <%s> share the namespace "
                            "%s; each must have a namespace of its own",
                            a->parent ? (const char *)a->parent->name : "", href);
                break;
            }
        if (nseen < 256)
            seen[nseen++] = href;
    }
}

static void walk(const sbml_out *o, const xmlNode *n, int depth)
{
    if (depth > 200)
        return;
    int notes = 0, annotations = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE || !sbml_is_sbml(c))
            continue;
        const char *nm = (const char *)c->name;
        if (strcmp(nm, "notes") == 0) {
            if (++notes == 2)
                sbml_report(o, o->level >= 3 ? "sbml:10805" : "sbml:10103", line_of(c),
                            "<%s> has more than one <notes>", (const char *)n->name);
            /* the notes rules arrived with Level 2 Version 2; before, the schema */
            if (o->level * 10 + o->version >= 22)
                check_xhtml(o, c, "sbml:10801", "sbml:10804", "notes");
            else
                check_xhtml(o, c, "sbml:10103", "sbml:10103", "notes");
            continue;
        }
        if (strcmp(nm, "annotation") == 0) {
            if (++annotations == 2)
                sbml_report(o, o->level >= 3 ? "sbml:10404" : "sbml:10103", line_of(c),
                            "<%s> has more than one <annotation>", (const char *)n->name);
            check_annotation(o, c);
            continue;
        }
        if (strcmp(nm, "message") == 0 && o->level == 2) {
            check_xhtml(o, c, "sbml:21003", "sbml:21006", "message");
            continue;
        }
        if (strcmp(nm, "math") == 0)
            continue;
        walk(o, c, depth + 1);
    }
}

void sbml_check_annotations(const sbml_out *o, const xmlDoc *xml)
{
    const xmlNode *root = xmlDocGetRootElement((xmlDoc *)xml);
    xmlNode fake = {0};
    fake.children = (xmlNode *)root;
    fake.name = (const xmlChar *)"document";
    walk(o, &fake, 0);
}
