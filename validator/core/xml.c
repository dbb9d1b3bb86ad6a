/*
 * Reading XML from untrusted packages. libxml2 (2.9.14 on Debian 12) is run
 * without network access, external entities, DTD loading or its "huge" mode,
 * and around it sit guards for what its own limits miss:
 *
 *  - entity references that are kept as references (we never substitute) can
 *    still expand without bound later, when a reader asks for the text of a
 *    node ("quadratic blowup": one large entity referenced many times): the
 *    expanded size of every reference is added up after parsing and bounded;
 *  - libxml2 checks duplicate attributes pairwise, so one start tag with 200,000
 *    attributes takes ten minutes: the raw text is scanned for over-long start
 *    tags before libxml2 sees it (also inside internal entity values);
 *  - nesting depth, text run length, the number of elements and attributes and
 *    of namespace declarations in scope are bounded in SAX callbacks.
 *
 * Every problem is classified under an xml: rule of the catalogue; the first
 * error libxml2 reports is the one shown, as the rest usually follow from it.
 */
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/hash.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

#define MAX_DEPTH 256            /* element nesting, as libxml2 without XML_PARSE_HUGE */
#define MAX_ATTRIBUTES 256       /* attributes (with namespace declarations) of one element */
#define MAX_NAMESPACES 1024      /* namespace declarations in scope at once */
#define MAX_NODES 5000000        /* elements plus attributes in one document */
#define MAX_TEXT 10000000        /* bytes in one run of character data (libxml2's limit
                                  * for attribute values, XML_MAX_TEXT_LENGTH) */
#define MAX_ENTITY_NESTING 40    /* entity references inside entity values */
#define EXPANSION_FLOOR (1 << 20) /* entity expansion allowed: 1 MiB + 10 x the document */
#define EXPANSION_FACTOR 10
#define MAX_EXTERNAL_REPORTS 10  /* distinct external entities reported per document */

typedef struct reader {
    xmlParserCtxtPtr ctxt;
    tc_xml_problem_fn on_problem;
    void *ctx;
    size_t len;          /* of the document, in bytes */
    bool failed;         /* the document cannot be used */
    bool reported;       /* and a problem saying why was reported */
    bool has_external;   /* an external DTD or parameter entity was not read */
    int external_reports;
    /* the first error libxml2 reported */
    bool error_seen;
    int error_domain, error_code;
    long error_line, error_column;
    char *error_message;
    bool encoding_failed; /* the input could not be decoded */
    char *encoding_message;
    /* SAX guards */
    long depth;
    long ns_in_scope;
    long ns_at[MAX_DEPTH + 2];
    size_t nodes;
    size_t text_run;
    const xmlChar *just_declared; /* entity declared just now (libxml2 looks it up) */
} reader;

static void problem(reader *r, const char *rule, long line, long column, const char *fmt, ...)
    TC_PRINTF(5, 6);

static void problem(reader *r, const char *rule, long line, long column, const char *fmt, ...)
{
    tc_buf b = TC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    tc_xml_problem p = {rule, line > 0 ? line : 0, line > 0 && column > 0 ? column : 0, b.data};
    if (r->on_problem)
        r->on_problem(r->ctx, &p);
    tc_buf_release(&b);
}

/* libxml2 messages end with a newline and may carry a second line ("Bytes: ..."). */
static char *one_line(const char *msg)
{
    tc_buf b = TC_BUF_INIT;
    const char *s = msg ? msg : "malformed XML";
    for (; *s; s++) {
        if (*s == '\n' || *s == '\r') {
            while (s[1] == '\n' || s[1] == '\r' || s[1] == ' ')
                s++;
            if (s[1])
                tc_buf_puts(&b, "; ");
        } else {
            tc_buf_add(&b, s, 1);
        }
    }
    while (b.len && b.data[b.len - 1] == ' ')
        b.data[--b.len] = '\0';
    return tc_buf_detach(&b);
}

/* Where the parser is in the document itself (not inside an entity's text). */
static void position(const reader *r, long *line, long *column)
{
    const xmlParserCtxtPtr c = r->ctxt;
    const xmlParserInputPtr in = c && c->inputNr > 0 ? c->inputTab[0] : NULL;
    *line = in ? in->line : 0;
    *column = in ? in->col : 0;
}

/* A guard stops the parser: true when it should say why, false when libxml2
 * already reported an error, which is then the reason shown. */
static bool stop(reader *r, void *ctx)
{
    bool first = !r->failed && !r->error_seen;
    r->failed = true;
    r->reported = r->reported || first;
    xmlStopParser(r->ctxt);
    if (ctx && ctx != r->ctxt)
        xmlStopParser(ctx);
    return first;
}

/* ---- scanning raw text for start tags with too many attributes --------------------- */

typedef struct units {
    const unsigned char *p;
    size_t n;    /* units */
    int width;   /* 1 (bytes of an ASCII-compatible encoding) or 2 (UTF-16) */
    bool big;    /* UTF-16 big-endian */
} units;

static unsigned unit_at(const units *u, size_t i)
{
    if (u->width == 1)
        return u->p[i];
    const unsigned char *q = u->p + 2 * i;
    return u->big ? (unsigned)(q[0] << 8 | q[1]) : (unsigned)(q[1] << 8 | q[0]);
}

/* Line and column of unit `at` (columns count characters, as libxml2 does). */
static void unit_position(const units *u, size_t at, long *line, long *column)
{
    long l = 1, c = 1;
    for (size_t i = 0; i < at && i < u->n; i++) {
        unsigned ch = unit_at(u, i);
        if (ch == '\n') {
            l++;
            c = 1;
        } else if (!(u->width == 1 && (ch & 0xC0) == 0x80) &&
                   !(u->width == 2 && ch >= 0xDC00 && ch <= 0xDFFF)) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

/*
 * An upper bound on the attributes of every start tag: from each '<' not
 * followed by '!' or '?', count '=' outside quotes up to the next '>' outside
 * quotes or the next '<' (which cannot occur inside a tag or an attribute value).
 * Every '<' starts a fresh count, so nothing (a comment, a literal) can make the
 * scan skip a real tag. Returns the unit offset of the first tag over the limit,
 * or SIZE_MAX.
 */
static size_t find_long_tag_bytes(const unsigned char *p, size_t n, size_t *count);

static size_t find_long_tag(const units *u, size_t *count)
{
    if (u->width == 1)
        return find_long_tag_bytes(u->p, u->n, count);
    for (size_t i = 0; i < u->n; i++) {
        if (unit_at(u, i) != '<' || i + 1 >= u->n)
            continue;
        unsigned next = unit_at(u, i + 1);
        if (next == '!' || next == '?')
            continue;
        size_t eq = 0;
        unsigned quote = 0;
        size_t j;
        for (j = i + 1; j < u->n; j++) {
            unsigned ch = unit_at(u, j);
            if (ch == '<')
                break;
            if (quote) {
                if (ch == quote)
                    quote = 0;
            } else if (ch == '"' || ch == '\'') {
                quote = ch;
            } else if (ch == '=') {
                eq++;
            } else if (ch == '>') {
                break;
            }
        }
        if (eq > MAX_ATTRIBUTES) {
            *count = eq;
            return i;
        }
        i = j - 1;
    }
    return SIZE_MAX;
}

/* The same scan over bytes, the common case. It runs over every document before
 * parsing, so it hops from '<' to '<' with memchr and reads only the stretches long
 * enough to hold more than MAX_ATTRIBUTES '=', with a table of the bytes that matter
 * inside a tag. */
static const bool tag_byte[256] = {['<'] = true, ['>'] = true, ['='] = true, ['"'] = true,
                                   ['\''] = true};

static size_t find_long_tag_bytes(const unsigned char *p, size_t n, size_t *count)
{
    const unsigned char *lt = memchr(p, '<', n);
    while (lt) {
        size_t i = (size_t)(lt - p);
        lt = i + 1 < n ? memchr(p + i + 1, '<', n - i - 1) : NULL;
        /* the count stops at the next '<': a shorter stretch cannot hold too many '=' */
        size_t stretch = (lt ? (size_t)(lt - p) : n) - i - 1;
        if (stretch <= MAX_ATTRIBUTES || p[i + 1] == '!' || p[i + 1] == '?')
            continue;
        size_t eq = 0;
        size_t j = i + 1;
        while (j < n) {
            while (j < n && !tag_byte[p[j]])
                j++;
            if (j >= n || p[j] == '<' || p[j] == '>')
                break;
            if (p[j] == '=') {
                eq++;
                j++;
                continue;
            }
            /* a quoted value ends at its quote, but a '<' still starts a fresh count */
            unsigned char quote = p[j++];
            while (j < n && p[j] != quote && p[j] != '<')
                j++;
            if (j >= n || p[j] == '<')
                break;
            j++;
        }
        if (eq > MAX_ATTRIBUTES) {
            *count = eq;
            return i;
        }
    }
    return SIZE_MAX;
}

/* Decide how to scan the raw bytes (XML 1.0 appendix F); false for encodings
 * that are neither ASCII-compatible nor UTF-16 (UCS-4, EBCDIC). */
static bool raw_units(const unsigned char *p, size_t len, units *u)
{
    *u = (units){p, len, 1, false};
    if (len >= 4 && ((p[0] == 0 && p[1] == 0) || (p[2] == 0 && p[3] == 0 && p[0] != 0 &&
                                                   p[1] == 0)))
        return false; /* UCS-4 in some byte order */
    if (len >= 4 && p[0] == 0x4C && p[1] == 0x6F && p[2] == 0xA7 && p[3] == 0x94)
        return false; /* EBCDIC */
    bool be = len >= 2 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0 && p[1] == '<'));
    bool le = len >= 2 && ((p[0] == 0xFF && p[1] == 0xFE) || (p[0] == '<' && p[1] == 0));
    if (be || le)
        *u = (units){p, len / 2, 2, be};
    return true;
}

/* ---- SAX callbacks: the SAX2 tree builder, with guards ------------------------------ */

static reader *reader_of(void *ctx)
{
    return ((xmlParserCtxtPtr)ctx)->_private;
}

static void on_internal_subset(void *ctx, const xmlChar *name, const xmlChar *public_id,
                               const xmlChar *system_id)
{
    reader *r = reader_of(ctx);
    long line, column;
    position(r, &line, &column);
    if (public_id || system_id) {
        r->has_external = true;
        problem(r, "xml:external-dtd", line, 0,
                "the document type declaration names an external DTD (%s) that is not read: "
                "attribute defaults and entities declared there are not applied",
                system_id ? (const char *)system_id : (const char *)public_id);
    } else {
        problem(r, "xml:doctype", line, 0,
                "document type declaration <!DOCTYPE %s>: DTDs are not applied (attribute "
                "defaults it declares are ignored); the formats checked here use none",
                name ? (const char *)name : "");
    }
    xmlSAX2InternalSubset(ctx, name, public_id, system_id);
}

/* The external subset is never loaded (reported in on_internal_subset). */
static void on_external_subset(void *ctx, const xmlChar *name, const xmlChar *public_id,
                               const xmlChar *system_id)
{
}

/* Nothing outside the document is ever opened. */
static xmlParserInputPtr on_resolve_entity(void *ctx, const xmlChar *public_id,
                                           const xmlChar *system_id)
{
    return NULL;
}

static void report_external(reader *r, const xmlEntity *ent, bool parameter)
{
    r->has_external = r->has_external || parameter;
    if (r->external_reports++ >= MAX_EXTERNAL_REPORTS)
        return;
    long line, column;
    position(r, &line, &column);
    const char *uri = ent->SystemID ? (const char *)ent->SystemID
                                    : ent->ExternalID ? (const char *)ent->ExternalID : "";
    problem(r, "xml:external-entity", line, column,
            "reference to the external %sentity '%s' (%s), which is not read: the document is "
            "incomplete without it",
            parameter ? "parameter " : "", (const char *)ent->name, uri);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                           const xmlChar *system_id, xmlChar *content)
{
    reader *r = reader_of(ctx);
    /* libxml2 looks an entity with a literal value up right after declaring it. */
    r->just_declared = content && !system_id && !public_id ? name : NULL;
    if (type == XML_INTERNAL_GENERAL_ENTITY && content) {
        /* Markup in the value (perhaps written with character references) is
         * parsed at the first reference: scan it now, before libxml2 does. */
        units u = {content, strlen((const char *)content), 1, false};
        size_t count = 0;
        if (find_long_tag(&u, &count) != SIZE_MAX) {
            long line, column;
            if (stop(r, ctx)) {
                position(r, &line, &column);
                problem(r, "xml:too-large", line, column,
                        "entity '%s' contains a start tag with %zu attributes, more than %d",
                        (const char *)name, count, MAX_ATTRIBUTES);
            }
            return;
        }
    }
    xmlSAX2EntityDecl(ctx, name, type, public_id, system_id, content);
}

static xmlEntityPtr on_get_parameter_entity(void *ctx, const xmlChar *name)
{
    reader *r = reader_of(ctx);
    xmlEntityPtr ent = xmlSAX2GetParameterEntity(ctx, name);
    bool lookup_after_declaration = r->just_declared && name &&
                                    xmlStrEqual(r->just_declared, name);
    r->just_declared = NULL;
    if (ent && ent->etype == XML_EXTERNAL_PARAMETER_ENTITY && !lookup_after_declaration)
        report_external(r, ent, true);
    return ent;
}

static xmlEntityPtr on_get_entity(void *ctx, const xmlChar *name)
{
    reader_of(ctx)->just_declared = NULL;
    return xmlSAX2GetEntity(ctx, name);
}

static void on_reference(void *ctx, const xmlChar *name)
{
    reader *r = reader_of(ctx);
    r->text_run = 0;
    xmlEntityPtr ent = xmlSAX2GetEntity(ctx, name);
    if (ent && (ent->etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY ||
                ent->etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY))
        report_external(r, ent, false);
    xmlSAX2Reference(ctx, name);
}

static void on_start_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                             const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                             int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    reader *r = reader_of(ctx);
    long line, column;
    r->text_run = 0;
    r->depth++;
    r->nodes += 1 + (size_t)(nb_attributes > 0 ? nb_attributes : 0);
    if (r->depth <= MAX_DEPTH)
        r->ns_at[r->depth] = nb_namespaces;
    r->ns_in_scope += nb_namespaces;
    if (r->depth > MAX_DEPTH) {
        if (stop(r, ctx)) {
            position(r, &line, &column);
            problem(r, "xml:too-deep", line, column,
                    "elements are nested more than %d deep (element <%s>)", MAX_DEPTH,
                    (const char *)localname);
        }
        return;
    }
    if (r->nodes > MAX_NODES) {
        if (stop(r, ctx)) {
            position(r, &line, &column);
            problem(r, "xml:too-large", line, column,
                    "the document has more than %d elements and attributes", MAX_NODES);
        }
        return;
    }
    if (r->ns_in_scope > MAX_NAMESPACES) {
        if (stop(r, ctx)) {
            position(r, &line, &column);
            problem(r, "xml:too-large", line, column,
                    "more than %d namespace declarations are in scope at element <%s>",
                    MAX_NAMESPACES, (const char *)localname);
        }
        return;
    }
    xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                          nb_defaulted, attributes);
}

static void on_end_element(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                           const xmlChar *uri)
{
    reader *r = reader_of(ctx);
    r->text_run = 0;
    if (r->depth > 0 && r->depth <= MAX_DEPTH)
        r->ns_in_scope -= r->ns_at[r->depth];
    r->depth--;
    xmlSAX2EndElementNs(ctx, localname, prefix, uri);
}

static bool text_guard(reader *r, void *ctx, int len)
{
    r->text_run += (size_t)(len > 0 ? len : 0);
    if (r->text_run <= MAX_TEXT)
        return true;
    long line, column;
    if (stop(r, ctx)) {
        position(r, &line, &column);
        problem(r, "xml:too-large", line, column,
                "a text node is longer than %d bytes", MAX_TEXT);
    }
    return false;
}

static void on_characters(void *ctx, const xmlChar *ch, int len)
{
    if (text_guard(reader_of(ctx), ctx, len))
        xmlSAX2Characters(ctx, ch, len);
}

static void on_cdata(void *ctx, const xmlChar *ch, int len)
{
    if (text_guard(reader_of(ctx), ctx, len))
        xmlSAX2CDataBlock(ctx, ch, len);
}

static void on_comment(void *ctx, const xmlChar *value)
{
    reader_of(ctx)->text_run = 0;
    xmlSAX2Comment(ctx, value);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    reader_of(ctx)->text_run = 0;
    xmlSAX2ProcessingInstruction(ctx, target, data);
}

/* ---- libxml2's errors ---------------------------------------------------------------- */

static void on_structured_error(void *ctx, xmlErrorPtr err)
{
    reader *r = ctx;
    if (!err || r->reported || err->level < XML_ERR_ERROR)
        return;
    if (err->domain == XML_FROM_I18N || (err->domain == XML_FROM_IO && err->code == XML_IO_ENCODER)) {
        if (!r->encoding_message)
            r->encoding_message = one_line(err->message);
        r->encoding_failed = true;
        return;
    }
    if (err->domain == XML_FROM_PARSER && err->code == XML_WAR_UNDECLARED_ENTITY) {
        /* Not an error when an external DTD or parameter entity was not read:
         * the declaration may be there. */
        r->has_external = true;
        if (r->external_reports++ < MAX_EXTERNAL_REPORTS) {
            long line, column;
            position(r, &line, &column);
            problem(r, "xml:external-entity", line, column,
                    "entity '%s' is not declared in the document; its declaration may be in an "
                    "external DTD or parameter entity, which is not read",
                    err->str1 ? err->str1 : "?");
        }
        return;
    }
    if (r->error_seen)
        return;
    r->error_seen = true;
    r->error_domain = err->domain;
    r->error_code = err->code;
    r->error_message = one_line(err->message);
    if (err->ctxt == r->ctxt && r->ctxt->inputNr <= 1) {
        r->error_line = err->line;
        r->error_column = err->int2;
    } else {
        position(r, &r->error_line, &r->error_column);
    }
    /* A conversion that stopped on a byte the declared encoding does not allow
     * is silent for some encodings (ASCII); the parser then sees the text end. */
    xmlParserInputPtr in = r->ctxt->input;
    if (in && in->buf && in->buf->encoder && in->buf->raw && xmlBufUse(in->buf->raw) > 0)
        r->encoding_failed = true;
}

static void report_error(reader *r)
{
    const char *m = r->error_message ? r->error_message : "malformed XML";
    long line = r->error_line, column = r->error_column;
    int code = r->error_code;
    if (r->encoding_failed) {
        const char *enc = r->ctxt->encoding ? (const char *)r->ctxt->encoding
                          : r->ctxt->input && r->ctxt->input->encoding
                              ? (const char *)r->ctxt->input->encoding
                              : "declared";
        problem(r, "xml:encoding", line, column,
                "bytes that are not valid in the %s encoding%s%s", enc,
                r->encoding_message ? ": " : "", r->encoding_message ? r->encoding_message : "");
    } else if (r->error_domain == XML_FROM_NAMESPACE) {
        problem(r, "xml:namespace", line, column, "not namespace-well-formed: %s", m);
    } else if (code == XML_ERR_INVALID_ENCODING || code == XML_ERR_UNSUPPORTED_ENCODING ||
               code == XML_ERR_UNKNOWN_ENCODING ||
               (code == XML_ERR_INVALID_CHAR && strstr(m, "not proper UTF-8"))) {
        problem(r, "xml:encoding", line, column, "character encoding problem: %s", m);
    } else if (code == XML_ERR_ENTITY_LOOP) {
        problem(r, "xml:entity-expansion", line, column,
                "entity references expand without bound (an entity-expansion bomb or a loop); "
                "libxml2: %s",
                m);
    } else if (strstr(m, "Excessive depth")) {
        problem(r, "xml:too-deep", line, column, "elements are nested more than %d deep",
                MAX_DEPTH);
    } else if (code == XML_ERR_NAME_TOO_LONG || strstr(m, "too long") || strstr(m, "too big") ||
               strstr(m, "Huge input lookup")) {
        problem(r, "xml:too-large", line, column, "over a size limit of the XML parser: %s", m);
    } else if (code == XML_ERR_ENTITY_IS_EXTERNAL || code == XML_ERR_UNPARSED_ENTITY) {
        problem(r, "xml:external-entity", line, column, "%s, which is not allowed or read", m);
    } else {
        problem(r, "xml:not-well-formed", line, column, "not well-formed XML: %s", m);
    }
}

/* ---- entity expansion, measured after parsing ------------------------------------------ */

typedef struct expansion {
    xmlDocPtr doc;
    xmlHashTablePtr memo; /* entity name -> (size_t *) cost */
    size_t limit;
    size_t total;
} expansion;

static size_t add_capped(size_t a, size_t b, size_t cap)
{
    return a > cap || b > cap - a ? cap + 1 : a + b;
}

static void free_memo(void *payload, const xmlChar *name)
{
    free(payload);
}

/* Bytes (plus one per reference) that expanding `ent` produces, capped just
 * above the limit. */
static size_t entity_cost(expansion *e, xmlEntityPtr ent, int nesting)
{
    if (!ent || ent->etype == XML_INTERNAL_PREDEFINED_ENTITY)
        return 1;
    if (ent->etype != XML_INTERNAL_GENERAL_ENTITY || !ent->content)
        return 1; /* external: not read */
    size_t *memo = xmlHashLookup(e->memo, ent->name);
    if (memo)
        return *memo;
    if (nesting > MAX_ENTITY_NESTING)
        return e->limit + 1;
    const char *s = (const char *)ent->content;
    size_t cost = 0;
    while (*s && cost <= e->limit) {
        const char *amp = strchr(s, '&');
        const char *semi = amp ? strchr(amp, ';') : NULL;
        if (!amp || !semi) {
            cost = add_capped(cost, strlen(s), e->limit);
            break;
        }
        cost = add_capped(cost, (size_t)(amp - s), e->limit);
        if (amp[1] == '#') {
            cost = add_capped(cost, (size_t)(semi - amp) + 1, e->limit);
        } else {
            xmlChar *name = xmlStrndup((const xmlChar *)amp + 1, (int)(semi - amp - 1));
            xmlEntityPtr sub = xmlGetDocEntity(e->doc, name);
            xmlFree(name);
            cost = add_capped(cost, 1 + entity_cost(e, sub, nesting + 1), e->limit);
        }
        s = semi + 1;
    }
    size_t *stored = tc_xmalloc(sizeof *stored);
    *stored = cost;
    if (xmlHashAddEntry(e->memo, ent->name, stored) != 0)
        free(stored);
    return cost;
}

/* The first reference at which the total goes over the limit, or NULL. */
static xmlNodePtr over_limit(expansion *e, xmlNodePtr node)
{
    for (; node; node = node->next) {
        if (node->type == XML_ENTITY_REF_NODE) {
            size_t c = entity_cost(e, xmlGetDocEntity(e->doc, node->name), 0);
            e->total = add_capped(e->total, c, e->limit);
            if (e->total > e->limit)
                return node;
            continue; /* its children are the entity's declaration */
        }
        if (node->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = node->properties; a; a = a->next) {
                xmlNodePtr hit = over_limit(e, a->children);
                if (hit)
                    return hit;
            }
            xmlNodePtr hit = over_limit(e, node->children);
            if (hit)
                return hit;
        }
    }
    return NULL;
}

static bool expansion_bounded(reader *r, xmlDocPtr doc)
{
    if (!doc->intSubset || !doc->intSubset->entities)
        return true;
    expansion e = {doc, xmlHashCreate(16), 0, 0};
    e.limit = EXPANSION_FLOOR + (r->len > (SIZE_MAX - EXPANSION_FLOOR) / EXPANSION_FACTOR
                                     ? SIZE_MAX - EXPANSION_FLOOR
                                     : EXPANSION_FACTOR * r->len);
    xmlNodePtr hit = over_limit(&e, doc->children);
    if (hit) {
        xmlNodePtr at = hit->parent ? hit->parent : hit;
        if (at->type == XML_ATTRIBUTE_NODE && at->parent)
            at = at->parent;
        problem(r, "xml:entity-expansion", (long)xmlGetLineNo(at), 0,
                "entity references expand to more than %zu bytes (1 MiB plus %d times the "
                "document's size), at a reference to '%s': an entity-expansion bomb",
                e.limit, EXPANSION_FACTOR, (const char *)hit->name);
    }
    xmlHashFree(e.memo, free_memo);
    return hit == NULL;
}

/* ---- the reader ------------------------------------------------------------------------ */

/* Setting a parser context up costs about as much as parsing a small document, so
 * each thread keeps one and lends it from one document to the next: xmlCtxtReadIO
 * resets it before every parse. Its dictionary keeps the names (and short texts) of
 * every document read with it and counts them against libxml2's limit on a
 * dictionary (10 MB without XML_PARSE_HUGE); so that each document keeps nearly all
 * of that limit to itself, the context is replaced once its dictionary holds
 * DICT_KEEP bytes. */
#define DICT_KEEP (256 * 1024)
static _Thread_local xmlParserCtxtPtr spare_ctxt;

static xmlParserCtxtPtr borrow_ctxt(void)
{
    xmlParserCtxtPtr ctxt = spare_ctxt;
    spare_ctxt = NULL;
    if (ctxt && xmlDictGetUsage(ctxt->dict) > DICT_KEEP) {
        xmlFreeParserCtxt(ctxt);
        ctxt = NULL;
    }
    return ctxt ? ctxt : xmlNewParserCtxt();
}

static void return_ctxt(xmlParserCtxtPtr ctxt)
{
    ctxt->_private = NULL;
    if (spare_ctxt)
        xmlFreeParserCtxt(spare_ctxt);
    spare_ctxt = ctxt;
}

typedef struct source {
    const char *data;
    size_t len, off;
} source;

static int source_read(void *ctx, char *buf, int len)
{
    source *s = ctx;
    size_t n = s->len - s->off;
    if (len < 0)
        return -1;
    if (n > (size_t)len)
        n = (size_t)len;
    memcpy(buf, s->data + s->off, n);
    s->off += n;
    return (int)n;
}

static int source_close(void *ctx)
{
    return 0;
}

static bool blank(const unsigned char *p, size_t len)
{
    size_t i = len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF ? 3 : 0;
    for (; i < len; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return false;
    return true;
}

xmlDocPtr tc_xml_read_ex(const void *data, size_t len, const char *name,
                         tc_xml_problem_fn on_problem, void *ctx)
{
    reader r = {.on_problem = on_problem, .ctx = ctx, .len = len};
    xmlDocPtr doc = NULL;
    if (len > INT_MAX) {
        problem(&r, "xml:too-large", 0, 0, "the document is larger than 2 GiB");
        return NULL;
    }
    if (blank(data, len)) {
        problem(&r, "xml:empty", 0, 0,
                "the file is empty%s: an XML document needs a root element",
                len ? " (white space only)" : "");
        return NULL;
    }
    units u;
    if (!raw_units(data, len, &u)) {
        problem(&r, "xml:encoding", 1, 1,
                "the document is in UCS-4 or EBCDIC; only UTF-8, UTF-16 and ASCII-compatible "
                "encodings are read");
        return NULL;
    }
    size_t count = 0;
    size_t at = find_long_tag(&u, &count);
    if (at != SIZE_MAX) {
        long line, column;
        unit_position(&u, at, &line, &column);
        problem(&r, "xml:too-large", line, column,
                "a start tag has %zu attributes, more than %d", count, MAX_ATTRIBUTES);
        return NULL;
    }

    xmlParserCtxtPtr ctxt = borrow_ctxt();
    if (!ctxt) {
        problem(&r, "xml:too-large", 0, 0, "out of memory starting the XML parser");
        return NULL;
    }
    r.ctxt = ctxt;
    ctxt->_private = &r;
    xmlSAXHandlerPtr sax = ctxt->sax;
    sax->internalSubset = on_internal_subset;
    sax->externalSubset = on_external_subset;
    sax->resolveEntity = on_resolve_entity;
    sax->entityDecl = on_entity_decl;
    sax->getEntity = on_get_entity;
    sax->getParameterEntity = on_get_parameter_entity;
    sax->reference = on_reference;
    sax->startElementNs = on_start_element;
    sax->endElementNs = on_end_element;
    sax->characters = on_characters;
    sax->ignorableWhitespace = on_characters;
    sax->cdataBlock = on_cdata;
    sax->comment = on_comment;
    sax->processingInstruction = on_pi;

    xmlStructuredErrorFunc saved_fn = xmlStructuredError;
    void *saved_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(&r, on_structured_error);
    /* No XML_PARSE_NOENT (no substitution), DTDLOAD, DTDATTR, DTDVALID or HUGE.
     * COMPACT keeps short text (most of it: indentation, numbers, names) inside the
     * text node instead of a separate allocation; libxml2's tree functions know it. */
    int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR |
                  XML_PARSE_BIG_LINES | XML_PARSE_COMPACT;
    /* Read through callbacks rather than from memory: libxml2 2.9.14 keeps a
     * memory buffer unshrunk and fails long documents with "Huge input lookup". */
    source src = {data, len, 0};
    doc = xmlCtxtReadIO(ctxt, source_read, source_close, &src, name, NULL, options);
    xmlSetStructuredErrorFunc(saved_ctx, saved_fn);

    if (!r.reported && (r.failed || r.error_seen || r.encoding_failed || !ctxt->wellFormed ||
                        !doc)) {
        if (!r.error_seen) {
            r.error_message = tc_xstrdup(r.encoding_message ? r.encoding_message
                                                            : "the parser stopped without a reason");
            r.error_line = ctxt->input ? ctxt->input->line : 0;
        }
        report_error(&r);
        r.failed = r.reported = true;
    }
    if (!r.failed && doc && !expansion_bounded(&r, doc))
        r.failed = true;
    if (r.failed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    free(r.error_message);
    free(r.encoding_message);
    return_ctxt(ctxt);
    return doc;
}

/* ---- the plain interface: messages only ---------------------------------------------- */

typedef struct plain {
    tc_xml_error_fn on_error;
    void *ctx;
} plain;

static void plain_problem(void *ctx, const tc_xml_problem *p)
{
    plain *pl = ctx;
    if (pl->on_error)
        pl->on_error(pl->ctx, p->line, p->column, p->message);
}

xmlDocPtr tc_xml_read(const void *data, size_t len, const char *name, tc_xml_error_fn on_error,
                      void *ctx)
{
    plain pl = {on_error, ctx};
    return tc_xml_read_ex(data, len, name, plain_problem, &pl);
}
