/* MathML (the SED-ML subset, section 3.1 of L1V4) into expression trees.
 *
 * Self-contained on purpose: the SBML reader has its own MathML reading with
 * SBML's extra csymbols and units; the two should share one parser once both
 * exist, with a table of csymbols per language. */
#include <errno.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "parse/parse.h"
#include "sedml.h"

#define MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define MAX_DEPTH 200

typedef struct mreader {
    const char *file;
    tc_findings *fs;
} mreader;

static tc_loc at(const mreader *r, const xmlNode *n)
{
    return (tc_loc){.file = r->file, .line = tc_xml_line(n)};
}

static bool is_mathml(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, MATHML_NS) == 0;
}

static bool named(const xmlNode *n, const char *name)
{
    return is_mathml(n) && strcmp((const char *)n->name, name) == 0;
}

/* Next element sibling (from n itself when `self`), skipping text and comments. */
static const xmlNode *element_from(const xmlNode *n)
{
    while (n && n->type != XML_ELEMENT_NODE)
        n = n->next;
    return n;
}

static char *trimmed_text(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? (const char *)t : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *out = tc_xstrndup(s, len);
    xmlFree(t);
    return out;
}

static bool parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE)
        return false;
    *out = v;
    return true;
}

/* Text of a <cn> up to <sep/> (part 0) or after it (part 1). */
static char *cn_part(const xmlNode *cn, int part)
{
    tc_buf b = TC_BUF_INIT;
    int seen = 0;
    for (const xmlNode *c = cn->children; c; c = c->next) {
        if (named(c, "sep")) {
            seen++;
            continue;
        }
        if (seen == part && (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE))
            tc_buf_puts(&b, (const char *)c->content);
    }
    char *raw = tc_buf_detach(&b);
    char *s = raw;
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *out = tc_xstrndup(s, len);
    free(raw);
    return out;
}

static tc_expr *read_cn(mreader *r, const xmlNode *n)
{
    xmlChar *type = xmlGetProp(n, (const xmlChar *)"type");
    const char *t = type ? (const char *)type : "real";
    tc_expr *e = NULL;
    char *a = cn_part(n, 0), *b = cn_part(n, 1);
    double x = 0, y = 0;
    if (strcmp(t, "real") == 0 || strcmp(t, "integer") == 0) {
        if (parse_double(a, &x)) {
            e = tc_expr_number(x);
            e->number = strcmp(t, "integer") == 0 ? TC_NUMBER_INTEGER : TC_NUMBER_REAL;
        }
    } else if (strcmp(t, "e-notation") == 0) {
        if (parse_double(a, &x) && parse_double(b, &y)) {
            e = tc_expr_number(x * pow(10.0, y));
            e->number = TC_NUMBER_E_NOTATION;
        }
    } else if (strcmp(t, "rational") == 0) {
        if (parse_double(a, &x) && parse_double(b, &y) && y != 0) {
            e = tc_expr_number(x / y);
            e->number = TC_NUMBER_RATIONAL;
        }
    } else {
        tc_finding_add(r->fs, "sedml:10207", at(r, n),
                       "<cn type=\"%s\"> is not allowed: the type must be real, integer, "
                       "e-notation or rational",
                       t);
        goto done;
    }
    if (!e)
        tc_finding_add(r->fs, "sedml:10207", at(r, n),
                       "<cn type=\"%s\"> holds '%s%s%s', not a number", t, a, *b ? " <sep/> " : "",
                       b);
done:
    if (e)
        e->line = tc_xml_line(n);
    free(a);
    free(b);
    xmlFree(type);
    return e;
}

static const struct {
    const char *name;
    tc_expr_op op;
    int min, max; /* argument counts; -1: no upper bound */
} operators[] = {
    {"plus", TC_EXPR_PLUS, 0, -1},
    {"times", TC_EXPR_TIMES, 0, -1},
    {"minus", TC_EXPR_MINUS, 1, 2},
    {"divide", TC_EXPR_DIVIDE, 2, 2},
    {"power", TC_EXPR_POWER, 2, 2},
    {"root", TC_EXPR_ROOT, 1, 1},
    {"abs", TC_EXPR_ABS, 1, 1},
    {"exp", TC_EXPR_EXP, 1, 1},
    {"ln", TC_EXPR_LN, 1, 1},
    {"log", TC_EXPR_LOG, 1, 1},
    {"floor", TC_EXPR_FLOOR, 1, 1},
    {"ceiling", TC_EXPR_CEILING, 1, 1},
    {"factorial", TC_EXPR_FACTORIAL, 1, 1},
    {"min", TC_EXPR_MIN, 1, -1},
    {"max", TC_EXPR_MAX, 1, -1},
    {"quotient", TC_EXPR_QUOTIENT, 2, 2},
    {"rem", TC_EXPR_REM, 2, 2},
    {"sin", TC_EXPR_SIN, 1, 1},
    {"cos", TC_EXPR_COS, 1, 1},
    {"tan", TC_EXPR_TAN, 1, 1},
    {"sec", TC_EXPR_SEC, 1, 1},
    {"csc", TC_EXPR_CSC, 1, 1},
    {"cot", TC_EXPR_COT, 1, 1},
    {"sinh", TC_EXPR_SINH, 1, 1},
    {"cosh", TC_EXPR_COSH, 1, 1},
    {"tanh", TC_EXPR_TANH, 1, 1},
    {"sech", TC_EXPR_SECH, 1, 1},
    {"csch", TC_EXPR_CSCH, 1, 1},
    {"coth", TC_EXPR_COTH, 1, 1},
    {"arcsin", TC_EXPR_ARCSIN, 1, 1},
    {"arccos", TC_EXPR_ARCCOS, 1, 1},
    {"arctan", TC_EXPR_ARCTAN, 1, 1},
    {"arcsec", TC_EXPR_ARCSEC, 1, 1},
    {"arccsc", TC_EXPR_ARCCSC, 1, 1},
    {"arccot", TC_EXPR_ARCCOT, 1, 1},
    {"arcsinh", TC_EXPR_ARCSINH, 1, 1},
    {"arccosh", TC_EXPR_ARCCOSH, 1, 1},
    {"arctanh", TC_EXPR_ARCTANH, 1, 1},
    {"arcsech", TC_EXPR_ARCSECH, 1, 1},
    {"arccsch", TC_EXPR_ARCCSCH, 1, 1},
    {"arccoth", TC_EXPR_ARCCOTH, 1, 1},
    {"eq", TC_EXPR_EQ, 2, -1},
    {"neq", TC_EXPR_NEQ, 2, 2},
    {"gt", TC_EXPR_GT, 2, -1},
    {"lt", TC_EXPR_LT, 2, -1},
    {"geq", TC_EXPR_GEQ, 2, -1},
    {"leq", TC_EXPR_LEQ, 2, -1},
    {"and", TC_EXPR_AND, 0, -1},
    {"or", TC_EXPR_OR, 0, -1},
    {"xor", TC_EXPR_XOR, 0, -1},
    {"not", TC_EXPR_NOT, 1, 1},
    {"implies", TC_EXPR_IMPLIES, 2, 2},
};

static const struct {
    const char *name;
    tc_expr_op op;
} constants[] = {
    {"true", TC_EXPR_TRUE},
    {"false", TC_EXPR_FALSE},
    {"pi", TC_EXPR_PI},
    {"exponentiale", TC_EXPR_EXPONENTIALE},
    {"infinity", TC_EXPR_INFINITY_},
    {"notanumber", TC_EXPR_NOTANUMBER},
};

/* csymbols SED-ML defines: aggregates (superseded by Variable@term) and
 * distributions; they become CALLs named by their definitionURL. */
static const char *const csymbols[] = {
    "http://sed-ml.org/#min",
    "http://sed-ml.org/#max",
    "http://sed-ml.org/#sum",
    "http://sed-ml.org/#product",
    "http://sed-ml.org/functions/#uniform",
    "http://sed-ml.org/functions/#normal",
    "http://sed-ml.org/functions/#lognormal",
    "http://sed-ml.org/functions/#gamma",
    "http://sed-ml.org/functions/#poisson",
};

static tc_expr *read_node(mreader *r, const xmlNode *n, int depth);

static void unsupported(mreader *r, const xmlNode *n)
{
    if (is_mathml(n))
        tc_finding_add(r->fs, "sedml:10202", at(r, n),
                       "MathML element <%s> is not in the subset SED-ML allows",
                       (const char *)n->name);
    else
        tc_finding_add(r->fs, "sedml:10201", at(r, n),
                       "element <%s> inside math is not in the MathML namespace %s",
                       (const char *)n->name, MATHML_NS);
}

static tc_expr *read_csymbol_call(mreader *r, const xmlNode *n)
{
    xmlChar *url = xmlGetProp(n, (const xmlChar *)"definitionURL");
    const char *u = url ? (const char *)url : "";
    tc_expr *e = NULL;
    for (size_t i = 0; i < sizeof csymbols / sizeof *csymbols; i++) {
        if (strcmp(u, csymbols[i]) == 0) {
            e = tc_expr_new(TC_EXPR_CALL);
            e->name = tc_xstrdup(u);
            e->line = tc_xml_line(n);
            if (i < 4)
                tc_finding_add(r->fs, "sedml:10219", at(r, n),
                               "csymbol %s is superseded: use the term attribute of a variable", u);
            break;
        }
    }
    if (!e)
        tc_finding_add(r->fs, "sedml:10205", at(r, n),
                       "csymbol definitionURL '%s' is not one SED-ML defines (sed-ml.org #min, "
                       "#max, #sum, #product or functions/#uniform, #normal, #lognormal, "
                       "#gamma, #poisson)",
                       u);
    xmlFree(url);
    return e;
}

static tc_expr *read_apply(mreader *r, const xmlNode *n, int depth)
{
    const xmlNode *opnode = element_from(n->children);
    if (!opnode) {
        tc_finding_add(r->fs, "sedml:10218", at(r, n), "<apply> has no operator");
        return NULL;
    }
    tc_expr *e = NULL;
    int min = 0, max = -1;
    const char *opname = (const char *)opnode->name;
    if (named(opnode, "ci")) {
        tc_finding_add(r->fs, "sedml:10214", at(r, opnode),
                       "<ci> cannot be the operator of an <apply>: SED-ML math has no user "
                       "functions");
        return NULL;
    } else if (named(opnode, "csymbol")) {
        e = read_csymbol_call(r, opnode);
        if (!e)
            return NULL;
    } else {
        for (size_t i = 0; i < sizeof operators / sizeof *operators; i++) {
            if (named(opnode, operators[i].name)) {
                e = tc_expr_new(operators[i].op);
                min = operators[i].min;
                max = operators[i].max;
                break;
            }
        }
        if (!e) {
            unsupported(r, opnode);
            return NULL;
        }
    }
    e->line = tc_xml_line(n);
    tc_expr *qualifier = NULL; /* degree of root, logbase of log */
    bool ok = true;
    for (const xmlNode *c = element_from(opnode->next); c; c = element_from(c->next)) {
        if ((named(c, "degree") && e->op == TC_EXPR_ROOT) ||
            (named(c, "logbase") && e->op == TC_EXPR_LOG)) {
            const xmlNode *inner = element_from(c->children);
            tc_expr_free(qualifier);
            qualifier = inner ? read_node(r, inner, depth + 1) : NULL;
            if (!qualifier)
                ok = false;
            continue;
        }
        tc_expr *arg = read_node(r, c, depth + 1);
        if (!arg)
            ok = false;
        else
            tc_expr_add(e, arg);
    }
    if (!ok) {
        tc_expr_free(qualifier);
        tc_expr_free(e);
        return NULL;
    }
    if (e->op != TC_EXPR_CALL && ((int)e->nargs < min || (max >= 0 && (int)e->nargs > max))) {
        tc_finding_add(r->fs, "sedml:10218", at(r, n), "<%s> takes %s%d argument%s, not %zu",
                       opname, max < 0 ? "at least " : (min != max ? "1 or " : ""),
                       max < 0 ? min : max, (max < 0 ? min : max) == 1 ? "" : "s", e->nargs);
        tc_expr_free(qualifier);
        tc_expr_free(e);
        return NULL;
    }
    /* root and log carry their degree/base as the first argument */
    if (e->op == TC_EXPR_ROOT || e->op == TC_EXPR_LOG) {
        if (!qualifier)
            qualifier = tc_expr_number(e->op == TC_EXPR_ROOT ? 2 : 10);
        tc_expr_add(e, NULL);
        memmove(e->args + 1, e->args, (e->nargs - 1) * sizeof *e->args);
        e->args[0] = qualifier;
    }
    return e;
}

static tc_expr *read_piecewise(mreader *r, const xmlNode *n, int depth)
{
    tc_expr *e = tc_expr_new(TC_EXPR_PIECEWISE);
    e->line = tc_xml_line(n);
    for (const xmlNode *c = element_from(n->children); c; c = element_from(c->next)) {
        bool piece = named(c, "piece"), otherwise = named(c, "otherwise");
        if ((!piece && !otherwise) || e->has_otherwise) {
            if (!piece && !otherwise)
                unsupported(r, c);
            else
                tc_finding_add(r->fs, "sedml:10218", at(r, c),
                               "<%s> after <otherwise> in a piecewise", (const char *)c->name);
            goto fail;
        }
        size_t want = piece ? 2 : 1, got = 0;
        for (const xmlNode *a = element_from(c->children); a; a = element_from(a->next)) {
            if (++got > want)
                break;
            tc_expr *arg = read_node(r, a, depth + 1);
            if (!arg)
                goto fail;
            tc_expr_add(e, arg);
        }
        if (got != want) {
            tc_finding_add(r->fs, "sedml:10218", at(r, c), "<%s> takes %zu argument%s, not %zu",
                           (const char *)c->name, want, want == 1 ? "" : "s", got);
            goto fail;
        }
        if (otherwise)
            e->has_otherwise = true;
    }
    if (e->nargs == 0) {
        tc_finding_add(r->fs, "sedml:10218", at(r, n), "<piecewise> has no piece");
        goto fail;
    }
    return e;
fail:
    tc_expr_free(e);
    return NULL;
}

static tc_expr *read_node(mreader *r, const xmlNode *n, int depth)
{
    if (depth > MAX_DEPTH) {
        tc_finding_add(r->fs, "sedml:10202", at(r, n), "math nested deeper than %d levels",
                       MAX_DEPTH);
        return NULL;
    }
    if (!is_mathml(n)) {
        unsupported(r, n);
        return NULL;
    }
    const char *name = (const char *)n->name;
    if (strcmp(name, "cn") == 0)
        return read_cn(r, n);
    if (strcmp(name, "ci") == 0) {
        char *text = trimmed_text(n);
        tc_expr *e = tc_expr_symbol(text);
        e->line = tc_xml_line(n);
        free(text);
        return e;
    }
    if (strcmp(name, "apply") == 0)
        return read_apply(r, n, depth);
    if (strcmp(name, "piecewise") == 0)
        return read_piecewise(r, n, depth);
    if (strcmp(name, "semantics") == 0) {
        const xmlNode *c = element_from(n->children);
        if (c && !named(c, "annotation") && !named(c, "annotation-xml"))
            return read_node(r, c, depth + 1);
        tc_finding_add(r->fs, "sedml:10218", at(r, n), "<semantics> has no content");
        return NULL;
    }
    for (size_t i = 0; i < sizeof constants / sizeof *constants; i++) {
        if (strcmp(name, constants[i].name) == 0) {
            tc_expr *e = tc_expr_new(constants[i].op);
            e->line = tc_xml_line(n);
            return e;
        }
    }
    if (strcmp(name, "csymbol") == 0) {
        tc_expr *e = read_csymbol_call(r, n);
        if (e) {
            tc_finding_add(r->fs, "sedml:10218", at(r, n),
                           "csymbol %s is a function and must be applied", e->name);
            tc_expr_free(e);
        }
        return NULL;
    }
    unsupported(r, n);
    return NULL;
}

tc_expr *tc_sedml_mathml(const xmlNode *math, const char *file, tc_findings *fs)
{
    mreader r = {file, fs};
    if (!named(math, "math")) {
        tc_finding_add(fs, "sedml:10201", at(&r, math),
                       "math must be a <math> element in the MathML namespace %s", MATHML_NS);
        return NULL;
    }
    const xmlNode *c = element_from(math->children);
    if (!c) {
        tc_finding_add(fs, "sedml:21404", at(&r, math), "<math> is empty");
        return NULL;
    }
    if (element_from(c->next)) {
        tc_finding_add(fs, "sedml:10218", at(&r, math), "<math> holds more than one expression");
        return NULL;
    }
    return read_node(&r, c, 0);
}
