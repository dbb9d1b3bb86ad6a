/* What kind of file is this: from the bytes (the XML root element and its
 * namespace, a JSON object's resourceType, the HDF5 signature) and from the
 * manifest's format identifier (rules/formats.tsv, embedded at build time). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "intake.h"

static const char *const kind_names[TC_KIND_COUNT] = {
    "other",    "omex-manifest", "omex-metadata", "sbml",    "cellml", "sedml", "fhir-json",
    "fhir-xml", "csv",           "hdf5",          "dossier", "xml",    "json",
};

const char *tc_kind_name(tc_kind kind)
{
    return kind >= 0 && kind < TC_KIND_COUNT ? kind_names[kind] : "other";
}

tc_kind tc_kind_from_name(const char *name)
{
    for (int k = 0; k < TC_KIND_COUNT; k++)
        if (strcmp(kind_names[k], name) == 0)
            return (tc_kind)k;
    return TC_KIND_COUNT;
}

bool tc_kind_is_xml(tc_kind k)
{
    return k == TC_KIND_MANIFEST || k == TC_KIND_METADATA || k == TC_KIND_SBML ||
           k == TC_KIND_CELLML || k == TC_KIND_SEDML || k == TC_KIND_FHIR_XML || k == TC_KIND_XML;
}

bool tc_kind_is_json(tc_kind k)
{
    return k == TC_KIND_FHIR_JSON || k == TC_KIND_DOSSIER || k == TC_KIND_JSON;
}

/* ---- XML: the first start tag ------------------------------------------- */

typedef struct cursor {
    const char *p, *end;
} cursor;

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_space(cursor *c)
{
    while (c->p < c->end && is_space(*c->p))
        c->p++;
}

static bool starts(const cursor *c, const char *s)
{
    size_t n = strlen(s);
    return (size_t)(c->end - c->p) >= n && memcmp(c->p, s, n) == 0;
}

/* Move past the next occurrence of `s`; false when there is none. */
static bool skip_past(cursor *c, const char *s)
{
    size_t n = strlen(s);
    for (const char *q = c->p; q + n <= c->end; q++) {
        if (memcmp(q, s, n) == 0) {
            c->p = q + n;
            return true;
        }
    }
    return false;
}

/* A DOCTYPE may hold an internal subset in brackets, itself holding quoted
 * strings and comments that may contain '>' or ']'. */
static bool skip_doctype(cursor *c)
{
    int depth = 0;
    while (c->p < c->end) {
        char ch = *c->p;
        if (ch == '"' || ch == '\'') {
            const char *q = memchr(c->p + 1, ch, (size_t)(c->end - c->p - 1));
            if (!q)
                return false;
            c->p = q + 1;
            continue;
        }
        if (starts(c, "<!--")) {
            if (!skip_past(c, "-->"))
                return false;
            continue;
        }
        c->p++;
        if (ch == '[')
            depth++;
        else if (ch == ']' && depth > 0)
            depth--;
        else if (ch == '>' && depth == 0)
            return true;
    }
    return false;
}

static bool is_name_char(char ch)
{
    return ch && !is_space(ch) && !strchr("/>=<\"'", ch);
}

static char *read_name(cursor *c)
{
    const char *s = c->p;
    while (c->p < c->end && is_name_char(*c->p))
        c->p++;
    return c->p > s ? tc_xstrndup(s, (size_t)(c->p - s)) : NULL;
}

bool tc_xml_sniff_root(const unsigned char *data, size_t len, char **local, char **ns)
{
    cursor c = {(const char *)data, (const char *)data + len};
    char *qname = NULL, *prefix = NULL, *uri = NULL;
    *local = *ns = NULL;
    if (starts(&c, "\xEF\xBB\xBF"))
        c.p += 3;
    for (;;) {
        skip_space(&c);
        if (starts(&c, "<?")) {
            if (!skip_past(&c, "?>"))
                return false;
        } else if (starts(&c, "<!--")) {
            if (!skip_past(&c, "-->"))
                return false;
        } else if (starts(&c, "<!DOCTYPE")) {
            if (!skip_doctype(&c))
                return false;
        } else {
            break;
        }
    }
    if (!starts(&c, "<"))
        return false;
    c.p++;
    qname = read_name(&c);
    if (!qname)
        return false;
    const char *colon = strchr(qname, ':');
    prefix = colon ? tc_xstrndup(qname, (size_t)(colon - qname)) : NULL;
    /* Attributes up to the end of the tag: look for the declaration of the
     * element's prefix (or the default namespace). */
    for (;;) {
        skip_space(&c);
        if (c.p >= c.end || *c.p == '>' || *c.p == '/')
            break;
        char *attr = read_name(&c);
        if (!attr)
            break;
        skip_space(&c);
        bool ok = c.p < c.end && *c.p == '=';
        if (ok) {
            c.p++;
            skip_space(&c);
            ok = c.p < c.end && (*c.p == '"' || *c.p == '\'');
        }
        const char *q = NULL;
        if (ok) {
            q = memchr(c.p + 1, *c.p, (size_t)(c.end - c.p - 1));
            ok = q != NULL;
        }
        if (!ok) {
            free(attr);
            break;
        }
        bool wanted = prefix ? strncmp(attr, "xmlns:", 6) == 0 && strcmp(attr + 6, prefix) == 0
                             : strcmp(attr, "xmlns") == 0;
        if (wanted && !uri)
            uri = tc_xstrndup(c.p + 1, (size_t)(q - c.p - 1));
        c.p = q + 1;
        free(attr);
    }
    *local = tc_xstrdup(colon ? colon + 1 : qname);
    *ns = uri ? uri : tc_xstrdup("");
    free(qname);
    free(prefix);
    return true;
}

static bool ns_starts(const char *ns, const char *prefix)
{
    return strncmp(ns, prefix, strlen(prefix)) == 0;
}

static tc_kind xml_kind(const char *local, const char *ns)
{
    if (strcmp(local, "sbml") == 0 && (!ns[0] || ns_starts(ns, "http://www.sbml.org/sbml/")))
        return TC_KIND_SBML;
    if (strcmp(local, "sedML") == 0 && (!ns[0] || ns_starts(ns, "http://sed-ml.org/")))
        return TC_KIND_SEDML;
    if (strcmp(local, "model") == 0 && ns_starts(ns, "http://www.cellml.org/cellml/"))
        return TC_KIND_CELLML;
    if (strcmp(local, "RDF") == 0 && strcmp(ns, "http://www.w3.org/1999/02/22-rdf-syntax-ns#") == 0)
        return TC_KIND_METADATA;
    if (strcmp(ns, "http://hl7.org/fhir") == 0)
        return TC_KIND_FHIR_XML;
    return TC_KIND_XML;
}

/* ---- JSON: does the top-level object have a "resourceType" member? ------ */

static bool json_has_resource_type(const char *p, const char *end)
{
    int depth = 0;
    bool expect_key = false;
    while (p < end) {
        char ch = *p;
        if (ch == '"') {
            const char *s = ++p;
            while (p < end && *p != '"')
                p += *p == '\\' && p + 1 < end ? 2 : 1;
            if (p >= end)
                return false;
            if (depth == 1 && expect_key && p - s == 12 && memcmp(s, "resourceType", 12) == 0)
                return true;
            expect_key = false;
        } else if (ch == '{' || ch == '[') {
            depth++;
            expect_key = ch == '{' && depth == 1;
        } else if (ch == '}' || ch == ']') {
            if (--depth <= 0)
                return false;
        } else if (ch == ',' && depth == 1) {
            expect_key = true;
        }
        p++;
    }
    return false;
}

/* ---- the whole sniff ------------------------------------------------------ */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_hdf5(const unsigned char *data, size_t len)
{
    /* The superblock signature is at 0 or, after a user block, at 512, 1024, ... */
    static const unsigned char sig[8] = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    for (size_t off = 0; off + 8 <= len; off = off ? off * 2 : 512)
        if (memcmp(data + off, sig, 8) == 0)
            return true;
    return false;
}

tc_kind tc_kind_sniff(const unsigned char *data, size_t len, const char *path)
{
    if (!data)
        return TC_KIND_OTHER;
    if (is_hdf5(data, len))
        return TC_KIND_HDF5;
    const char *p = (const char *)data, *end = p + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (p < end && is_space(*p))
        p++;
    if (p < end && *p == '<') {
        char *local, *ns;
        tc_kind k = TC_KIND_XML;
        if (tc_xml_sniff_root(data, len, &local, &ns)) {
            k = xml_kind(local, ns);
            free(local);
            free(ns);
        }
        return k;
    }
    if (p < end && (*p == '{' || *p == '['))
        return *p == '{' && json_has_resource_type(p, end) ? TC_KIND_FHIR_JSON : TC_KIND_JSON;
    if (path && (has_suffix(path, ".csv") || has_suffix(path, ".CSV")))
        return TC_KIND_CSV;
    return TC_KIND_OTHER;
}

/* ---- format identifiers ---------------------------------------------------- */

extern const char tc_formats_text[];

typedef struct format_entry {
    char *id; /* without the trailing '*' of a prefix entry */
    bool prefix;
    tc_kind kind;
} format_entry;

static format_entry *formats;
static size_t nformats;
static pthread_once_t formats_once = PTHREAD_ONCE_INIT;

static void load_formats(void)
{
    size_t cap = 0;
    const char *p = tc_formats_text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t n = eol ? (size_t)(eol - p) : strlen(p);
        const char *tab = memchr(p, '\t', n);
        if (p[0] != '#' && tab) {
            char *kind = tc_xstrndup(tab + 1, n - (size_t)(tab - p) - 1);
            tc_kind k = tc_kind_from_name(kind);
            free(kind);
            if (k != TC_KIND_COUNT) {
                TC_GROW(formats, cap, nformats + 1);
                size_t idlen = (size_t)(tab - p);
                bool prefix = idlen > 0 && p[idlen - 1] == '*';
                formats[nformats++] =
                    (format_entry){tc_xstrndup(p, prefix ? idlen - 1 : idlen), prefix, k};
            }
        }
        p += n;
        if (*p == '\n')
            p++;
    }
}

static const format_entry *find_format(const char *format)
{
    /* The first exact match wins, else the longest prefix. */
    const format_entry *best = NULL;
    for (size_t i = 0; i < nformats; i++) {
        const format_entry *e = &formats[i];
        if (!e->prefix && strcmp(e->id, format) == 0)
            return e;
        if (e->prefix && strncmp(e->id, format, strlen(e->id)) == 0 &&
            (!best || strlen(e->id) > strlen(best->id)))
            best = e;
    }
    return best;
}

/* "type/subtype" with the characters RFC 6838 allows in both names. */
static bool is_media_type(const char *s)
{
    static const char token[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                "!#$&^_.+-";
    size_t a = strspn(s, token);
    if (a == 0 || s[a] != '/')
        return false;
    size_t b = strspn(s + a + 1, token);
    return b > 0 && s[a + 1 + b] == '\0';
}

tc_format_class tc_format_lookup(const char *format, tc_kind *kind)
{
    pthread_once(&formats_once, load_formats);
    *kind = TC_KIND_OTHER;
    const format_entry *e = find_format(format);
    if (e) {
        *kind = e->kind;
        return TC_FORMAT_KNOWN;
    }
    if (is_media_type(format)) {
        char *uri = tc_xasprintf("http://purl.org/NET/mediatypes/%s", format);
        e = find_format(uri);
        free(uri);
        if (e)
            *kind = e->kind;
        return TC_FORMAT_BARE_MEDIA;
    }
    if (strncmp(format, "http://identifiers.org/combine.specifications/", 46) == 0 ||
        strncmp(format, "https://identifiers.org/combine.specifications/", 47) == 0)
        return TC_FORMAT_UNKNOWN_ID;
    return TC_FORMAT_INVALID;
}
