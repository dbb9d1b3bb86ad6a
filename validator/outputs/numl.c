/* NuML Level 1 Version 1 results: <numl> holds resultComponents, each with a
 * dimensionDescription (compositeDescription / tupleDescription /
 * atomicDescription) and a dimension whose compositeValue / tuple / atomicValue
 * elements follow that description. A component becomes a table: an outermost
 * composite with a numeric indexType is the row index (a data set of its own,
 * flagged `index`), and every numeric leaf below it is a column named by the
 * inner index values and atomic names on its way ("S1", "S1.conc", "conc").
 * The document is read with tc_xml_read_ex; sizes are bounded. */
#include <errno.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "outputs.h"

#define NUML_NS "http://www.numl.org/numl/level1/version1"
#define MAX_DEPTH 32
#define MAX_REPORTED 10

typedef struct column {
    char *id, *label;
    double *values;
    size_t n, cap;
    bool index; /* the row index of the component */
} column;

typedef struct reader {
    const char *file, *rule;
    tc_findings *fs;
    int reported;
    bool stop; /* a limit was hit: nothing more is read */
    column *cols;
    size_t ncols, capcols, cursor;
    uint64_t nvalues;
} reader;

static bool is(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0 && n->ns &&
           strcmp((const char *)n->ns->href, NUML_NS) == 0;
}

static const xmlNode *first_element(const xmlNode *n)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static const xmlNode *next_element(const xmlNode *n)
{
    for (const xmlNode *c = n ? n->next : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static char *attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
    char *s = v ? tc_xstrdup((const char *)v) : NULL;
    xmlFree(v);
    return s;
}

static void problem(reader *r, const xmlNode *n, const char *fmt, ...) TC_PRINTF(3, 4);
static void problem(reader *r, const xmlNode *n, const char *fmt, ...)
{
    if (r->reported++ >= MAX_REPORTED)
        return;
    tc_buf b = TC_BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    tc_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    tc_finding_add(r->fs, r->rule, (tc_loc){.file = r->file, .line = n ? xmlGetLineNo(n) : 0},
                   "%s: %s", r->file, b.data);
    tc_buf_release(&b);
}

static bool numeric_type(const char *t)
{
    static const char *const types[] = {"double", "float", "decimal", "integer",
                                        "int",    "long",  "short"};
    for (size_t i = 0; t && i < sizeof types / sizeof *types; i++)
        if (strcmp(t, types[i]) == 0)
            return true;
    return false;
}

static bool number(const char *s, double *out)
{
    char *end = NULL;
    while (s && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
        s++;
    if (!s || !*s)
        return false;
    if (strcmp(s, "NaN") == 0 || strcmp(s, "nan") == 0 || strcmp(s, "NA") == 0) {
        *out = NAN;
        return true;
    }
    errno = 0;
    double v = strtod(s, &end);
    if (!end)
        return false;
    while ((*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (end == s || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* The description's name for its data set: name, else id, else `fallback`. */
static char *desc_name(const xmlNode *d, const char *fallback)
{
    char *s = attr(d, "name");
    if (!s)
        s = attr(d, "id");
    return s ? s : tc_xstrdup(fallback);
}

/* Is the description tree well formed? One child description per composite,
 * atomicDescriptions only in a tuple, a type on every index and value. */
static bool check_desc(reader *r, const xmlNode *d, int depth)
{
    if (depth > MAX_DEPTH) {
        problem(r, d, "dimensionDescription nests deeper than 32 levels");
        return false;
    }
    if (is(d, "compositeDescription")) {
        char *t = attr(d, "indexType");
        bool ok = t != NULL;
        if (!t)
            problem(r, d, "compositeDescription has no indexType");
        free(t);
        const xmlNode *c = first_element(d);
        if (!c || next_element(c)) {
            problem(r, d, "compositeDescription must hold exactly one description");
            return false;
        }
        return check_desc(r, c, depth + 1) && ok;
    }
    if (is(d, "tupleDescription")) {
        size_t n = 0;
        for (const xmlNode *c = first_element(d); c; c = next_element(c), n++)
            if (!is(c, "atomicDescription")) {
                problem(r, c,
                        "unexpected element '%s' in a tupleDescription; only "
                        "atomicDescriptions belong there",
                        (const char *)c->name);
                return false;
            } else if (!check_desc(r, c, depth + 1)) {
                return false;
            }
        if (n == 0)
            problem(r, d, "tupleDescription has no atomicDescription");
        return n > 0;
    }
    if (is(d, "atomicDescription")) {
        char *t = attr(d, "valueType");
        if (!t)
            problem(r, d, "atomicDescription has no valueType");
        free(t);
        return t != NULL;
    }
    problem(r, d,
            "unexpected element '%s' where a compositeDescription, tupleDescription or "
            "atomicDescription belongs",
            d ? (const char *)d->name : "(none)");
    return false;
}

static column *find_column(reader *r, const char *id)
{
    /* rows usually visit the columns in the same order: try the next one first */
    if (r->cursor < r->ncols && strcmp(r->cols[r->cursor].id, id) == 0)
        return &r->cols[r->cursor++];
    for (size_t i = 0; i < r->ncols; i++)
        if (strcmp(r->cols[i].id, id) == 0) {
            r->cursor = i + 1;
            return &r->cols[i];
        }
    if (r->ncols >= TC_OUTPUTS_MAX_COLUMNS) {
        problem(r, NULL, "more than 100000 data sets in one resultComponent; the rest is not read");
        r->stop = true;
        return NULL;
    }
    TC_GROW(r->cols, r->capcols, r->ncols + 1);
    column *c = &r->cols[r->ncols++];
    memset(c, 0, sizeof *c);
    c->id = tc_xstrdup(id);
    r->cursor = r->ncols;
    return c;
}

static void put(reader *r, column *c, size_t row, double v)
{
    if (!c || r->stop)
        return;
    if (row < c->n) {
        c->values[row] = v; /* a repeated index: the last value wins */
        return;
    }
    if (r->nvalues + (row + 1 - c->n) > TC_OUTPUTS_MAX_VALUES) {
        problem(r, NULL, "holds more numbers than the limit; the rest is not read");
        r->stop = true;
        return;
    }
    r->nvalues += row + 1 - c->n;
    TC_GROW(c->values, c->cap, row + 1);
    while (c->n < row)
        c->values[c->n++] = NAN;
    c->values[c->n++] = v;
}

static char *join(const char *prefix, const char *name)
{
    if (!prefix)
        return tc_xstrdup(name);
    tc_buf b = TC_BUF_INIT;
    tc_buf_printf(&b, "%s.%s", prefix, name);
    return tc_buf_detach(&b);
}

static void read_atomic(reader *r, const xmlNode *d, const xmlNode *v, const char *id, size_t row)
{
    if (!is(v, "atomicValue")) {
        problem(r, v, "found '%s' where an atomicValue belongs",
                v ? (const char *)v->name : "nothing");
        return;
    }
    char *t = attr(d, "valueType");
    bool numeric = numeric_type(t);
    free(t);
    if (!numeric)
        return; /* strings and booleans are not data sets of numbers */
    xmlChar *text = xmlNodeGetContent(v);
    double x = NAN;
    if (!number((const char *)text, &x))
        problem(r, v, "atomicValue '%s' is not a number", text ? (const char *)text : "");
    column *c = find_column(r, id);
    if (c && !c->label)
        c->label = tc_xstrdup(id);
    put(r, c, row, x);
    xmlFree(text);
}

/* The values of description d, the elements under `parent`, into row `row`;
 * `prefix` names the inner indices on the way (NULL at the top). */
static void read_values(reader *r, const xmlNode *d, const xmlNode *parent, const char *prefix,
                        size_t row, int depth)
{
    if (r->stop || depth > MAX_DEPTH)
        return;
    if (is(d, "compositeDescription")) {
        for (const xmlNode *v = first_element(parent); v && !r->stop; v = next_element(v)) {
            if (!is(v, "compositeValue")) {
                problem(r, v, "found '%s' where a compositeValue belongs", (const char *)v->name);
                continue;
            }
            char *key = attr(v, "indexValue");
            if (!key) {
                problem(r, v, "compositeValue has no indexValue");
                continue;
            }
            char *name = join(prefix, key);
            read_values(r, first_element(d), v, name, row, depth + 1);
            free(name);
            free(key);
        }
    } else if (is(d, "tupleDescription")) {
        const xmlNode *t = first_element(parent);
        if (!is(t, "tuple") || next_element(t)) {
            problem(r, t ? t : parent, "a tupleDescription's values must be one tuple element");
            return;
        }
        const xmlNode *a = first_element(d), *v = first_element(t);
        for (; a && v; a = next_element(a), v = next_element(v)) {
            char *leaf = desc_name(a, "value");
            char *id = join(prefix, leaf);
            read_atomic(r, a, v, id, row);
            free(id);
            free(leaf);
        }
        if (a || v)
            problem(r, t, "tuple has a different number of atomicValues than its tupleDescription");
    } else if (is(d, "atomicDescription")) {
        const xmlNode *v = first_element(parent);
        if (v && next_element(v))
            problem(r, v, "more than one atomicValue where the description has one");
        char *leaf = desc_name(d, "value");
        read_atomic(r, d, v, prefix ? prefix : leaf, row);
        free(leaf);
    }
}

static void flush(reader *r, tc_outputs *out, const char *component, size_t nrows)
{
    for (size_t i = 0; i < r->ncols; i++) {
        column *c = &r->cols[i];
        if (!r->stop)
            while (c->n < nrows) {
                TC_GROW(c->values, c->cap, c->n + 1);
                c->values[c->n++] = NAN;
            }
        TC_GROW(out->items, out->cap, out->len + 1);
        tc_output_dataset *d = &out->items[out->len++];
        memset(d, 0, sizeof *d);
        d->output = tc_xstrdup(component);
        d->id = c->id;
        d->label = c->label;
        d->values = c->values ? c->values : tc_xcalloc(1, sizeof *d->values);
        d->nvalues = c->n;
        d->index = c->index;
    }
    free(r->cols);
    r->cols = NULL;
    r->ncols = r->capcols = r->cursor = 0;
}

static void read_component(reader *r, tc_outputs *out, const xmlNode *rc)
{
    char *id = attr(rc, "id");
    if (!id) {
        problem(r, rc, "resultComponent has no id");
        id = tc_xstrdup("");
    }
    const xmlNode *dd = NULL, *dim = NULL;
    for (const xmlNode *c = first_element(rc); c; c = next_element(c)) {
        if (is(c, "dimensionDescription") && !dd)
            dd = c;
        else if (is(c, "dimension") && !dim)
            dim = c;
    }
    const xmlNode *d = first_element(dd);
    if (!dd || !dim) {
        problem(r, rc, "resultComponent '%s' lacks a dimensionDescription or a dimension", id);
        goto done;
    }
    if (!check_desc(r, d, 0))
        goto done;
    char *t = attr(d, "indexType");
    bool rows = is(d, "compositeDescription") && numeric_type(t);
    free(t);
    size_t nrows = 0;
    if (!rows) {
        read_values(r, d, dim, NULL, 0, 0);
        nrows = 1;
    } else {
        char *name = desc_name(d, "index"); /* the index column comes first */
        column *ix = find_column(r, name);
        ix->label = name;
        ix->index = true;
        for (const xmlNode *v = first_element(dim); v && !r->stop; v = next_element(v)) {
            if (!is(v, "compositeValue")) {
                problem(r, v, "found '%s' where a compositeValue belongs", (const char *)v->name);
                continue;
            }
            char *key = attr(v, "indexValue");
            double x = NAN;
            if (!key || !number(key, &x))
                problem(r, v, "indexValue '%s' is not a number", key ? key : "");
            free(key);
            put(r, &r->cols[0], nrows, x);
            read_values(r, first_element(d), v, NULL, nrows, 1);
            nrows++;
        }
    }
    flush(r, out, id, nrows);
done:
    for (size_t i = 0; i < r->ncols; i++) {
        free(r->cols[i].id);
        free(r->cols[i].label);
        free(r->cols[i].values);
    }
    free(r->cols);
    r->cols = NULL;
    r->ncols = r->capcols = r->cursor = 0;
    free(id);
}

typedef struct first_problem {
    long line;
    char *message;
} first_problem;

static void on_xml(void *ctx, const tc_xml_problem *p)
{
    first_problem *fp = ctx;
    if (!fp->message) {
        fp->line = p->line;
        fp->message = tc_xstrdup(p->message ? p->message : p->rule);
    }
}

int tc_numl_parse(tc_outputs *out, const unsigned char *data, size_t len, const char *file,
                  const char *rule, tc_findings *fs)
{
    first_problem fp = {0, NULL};
    xmlDocPtr doc = tc_xml_read_ex(data, len, file, on_xml, &fp);
    int rc = 0;
    reader r = {.file = file, .rule = rule, .fs = fs};
    if (!doc) {
        tc_finding_add(fs, rule, (tc_loc){.file = file, .line = fp.line},
                       "%s is not a readable NuML document: %s", file,
                       fp.message ? fp.message : "not well-formed XML");
        rc = TC_EINVAL;
        goto done;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!is(root, "numl") && !is(root, "numML")) {
        tc_finding_add(fs, rule, (tc_loc){.file = file, .line = root ? xmlGetLineNo(root) : 0},
                       "%s: the root element is not <numl> in the namespace " NUML_NS, file);
        rc = TC_EINVAL;
        goto done;
    }
    size_t before = out->len, components = 0;
    for (const xmlNode *c = first_element(root); c && !r.stop; c = next_element(c)) {
        if (is(c, "resultComponent")) {
            components++;
            read_component(&r, out, c);
            continue;
        }
        if (!is(c, "resultComponents") && !is(c, "listOfResultComponents"))
            continue; /* ontologyTerms and the like */
        for (const xmlNode *k = first_element(c); k && !r.stop; k = next_element(k))
            if (is(k, "resultComponent")) {
                components++;
                read_component(&r, out, k);
            }
    }
    if (components == 0)
        tc_finding_add(fs, rule, (tc_loc){.file = file, .line = xmlGetLineNo(root)},
                       "%s has no resultComponent", file);
    if (out->len == before)
        rc = TC_EINVAL;
done:
    xmlFreeDoc(doc);
    free(fp.message);
    return rc;
}

bool tc_numl_file(const tc_file *file)
{
    if (file->kind != TC_KIND_XML)
        return false;
    if (file->format && strstr(file->format, "combine.specifications/numl"))
        return true;
    size_t len = strlen(file->path);
    return len > 5 && strcmp(file->path + len - 5, ".numl") == 0;
}

int tc_outputs_read_numl(tc_outputs *out, const tc_file *file, const char *sedml, tc_findings *fs)
{
    if (!file->data) {
        tc_finding_add(fs, "sedml:output-unreadable", TC_AT_FILE(file->path), "%s cannot be read",
                       file->path);
        return TC_EINVAL;
    }
    size_t before = out->len;
    int rc = tc_numl_parse(out, file->data, file->size, file->path, "sedml:output-unreadable", fs);
    for (size_t i = before; i < out->len && sedml; i++)
        out->items[i].sedml = tc_xstrdup(sedml);
    return rc;
}
