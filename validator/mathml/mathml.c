/* MathML content markup into tc_expr trees, with the rules about the markup itself:
 * allowed elements and attributes, csymbol URLs, cn types and values, argument
 * counts. The tree is kept as far as it can be read, so that later checks still see
 * the rest of the math; callers that need a trustworthy tree look at the error count. */
#include <errno.h>
#include <libxml/tree.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "mathml.h"

#define MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define MAX_DEPTH 1000

typedef struct mreader {
    const tc_mathml_lang *lang;
    bool in_function;
    int depth;
    size_t errors;
} mreader;

static void vsay(mreader *r, bool error, const char *number, long line, const char *fmt, va_list ap)
{
    char rule[32];
    snprintf(rule, sizeof(rule), "%s:%s", r->lang->ns, number);
    tc_buf msg = TC_BUF_INIT;
    tc_buf_vprintf(&msg, fmt, ap);
    r->lang->report(r->lang->ctx, rule, line, msg.data ? msg.data : "");
    tc_buf_release(&msg);
    if (error)
        r->errors++;
}

/* A problem that makes the tree unreliable. */
static void TC_PRINTF(4, 5) fail(mreader *r, const char *number, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(r, true, number, line, fmt, ap);
    va_end(ap);
}

/* A finding that leaves the tree as it is. */
static void TC_PRINTF(4, 5) note(mreader *r, const char *number, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(r, false, number, line, fmt, ap);
    va_end(ap);
}

static long line_of(const xmlNode *n)
{
    return (long)xmlGetLineNo(n);
}

static const char *nm(const xmlNode *n)
{
    return (const char *)n->name;
}

static bool is_mathml(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, MATHML_NS) == 0;
}

static bool named(const xmlNode *n, const char *name)
{
    return is_mathml(n) && strcmp(nm(n), name) == 0;
}

/* The element children of n (text and comments skipped). */
static const xmlNode *first_elem(const xmlNode *n)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static const xmlNode *next_elem(const xmlNode *n)
{
    for (const xmlNode *c = n->next; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static char *trimmed(const char *s)
{
    while (is_space(*s))
        s++;
    size_t len = strlen(s);
    while (len && is_space(s[len - 1]))
        len--;
    return tc_xstrndup(s, len);
}

static char *text_of(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    char *r = trimmed(t ? (const char *)t : "");
    xmlFree(t);
    return r;
}

/* Operators (the first child of an apply) and their argument counts; -1: any. */
static const struct {
    const char *name;
    tc_expr_op op;
    int min, max;
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
    {"eq", TC_EXPR_EQ, 1, -1},
    {"neq", TC_EXPR_NEQ, 1, -1},
    {"gt", TC_EXPR_GT, 1, -1},
    {"lt", TC_EXPR_LT, 1, -1},
    {"geq", TC_EXPR_GEQ, 1, -1},
    {"leq", TC_EXPR_LEQ, 1, -1},
    {"and", TC_EXPR_AND, 0, -1},
    {"or", TC_EXPR_OR, 0, -1},
    {"xor", TC_EXPR_XOR, 0, -1},
    {"not", TC_EXPR_NOT, 1, 1},
    {"implies", TC_EXPR_IMPLIES, 2, 2},
};

static const struct {
    const char *name;
    tc_expr_op op;
} constants[] = {{"true", TC_EXPR_TRUE},
                 {"false", TC_EXPR_FALSE},
                 {"pi", TC_EXPR_PI},
                 {"exponentiale", TC_EXPR_EXPONENTIALE},
                 {"infinity", TC_EXPR_INFINITY_},
                 {"notanumber", TC_EXPR_NOTANUMBER}};

/* The operator table entry of an element name, or -1. */
static int operator_index(const char *name)
{
    for (size_t i = 0; i < sizeof(operators) / sizeof(operators[0]); i++)
        if (strcmp(name, operators[i].name) == 0)
            return (int)i;
    return -1;
}

static void arity(const mreader *r, int i, int *lo, int *hi)
{
    *lo = operators[i].min;
    *hi = operators[i].max;
    tc_expr_op op = operators[i].op;
    if (r->lang->binary_relations && op >= TC_EXPR_EQ && op <= TC_EXPR_LEQ) {
        *lo = 2;
        *hi = op == TC_EXPR_NEQ ? 2 : -1;
    }
}

/* Attributes that only some MathML elements may carry. */
static void check_attrs(mreader *r, const xmlNode *n)
{
    const char *e = nm(n);
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        bool sbml_ns = a->ns && strncmp((const char *)a->ns->href, "http://www.sbml.org/", 20) == 0;
        if (r->lang->cn_units && sbml_ns && strcmp(an, "units") == 0) {
            if (strcmp(e, "cn") != 0)
                fail(r, "10220", line_of(n),
                     "the units attribute is only allowed on <cn>, not on <%s>", e);
            continue;
        }
        if (a->ns)
            continue;
        if (strcmp(an, "encoding") == 0 && strcmp(e, "csymbol") != 0 &&
            strcmp(e, "annotation") != 0 && strcmp(e, "annotation-xml") != 0)
            fail(r, "10203", line_of(n), "MathML <%s> may not have an encoding attribute", e);
        else if (strcmp(an, "definitionURL") == 0 &&
                 (strcmp(e, "ci") != 0 || !r->lang->ci_definition_url) &&
                 strcmp(e, "csymbol") != 0 && strcmp(e, "semantics") != 0)
            fail(r, "10204", line_of(n), "MathML <%s> may not have a definitionURL attribute", e);
        else if (strcmp(an, "type") == 0 && strcmp(e, "cn") != 0)
            fail(r, "10206", line_of(n),
                 "MathML <%s> may not have a type attribute; only <cn> may have one", e);
    }
}

static tc_expr *read_node(mreader *r, const xmlNode *n);

static bool fits_int(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    while (is_space(*end))
        end++;
    return errno == 0 && *end == '\0' && end != s && v >= INT32_MIN && v <= INT32_MAX;
}

/* Is the value of a <cn> of this type readable? `number`: the rule of SBML's
 * per-type checks (99220-99223) that applies when it is not. */
static bool number_ok(const char *type, const char *a, const char *b, double x, double y,
                      const char **number)
{
    if (strcmp(type, "integer") == 0) {
        *number = "99221";
        return fits_int(a);
    }
    if (strcmp(type, "rational") == 0) {
        *number = "99223";
        return fits_int(a) && fits_int(b);
    }
    if (strcmp(type, "e-notation") == 0) {
        *number = "99222";
        return isfinite(x) && fits_int(b) && isfinite(x * pow(10, y));
    }
    *number = "99220";
    while (is_space(*a))
        a++;
    char *end;
    double v = strtod(a, &end); /* the first token is the number */
    if (is_space(*end))
        end = (char *)"";
    bool special =
        strncmp(a, "INF", 3) == 0 || strncmp(a, "-INF", 4) == 0 || strncmp(a, "NaN", 3) == 0;
    return special || (end != a && *end == '\0' && isfinite(v));
}

static tc_expr *read_cn(mreader *r, const xmlNode *n)
{
    xmlChar *type = xmlGetNoNsProp(n, (const xmlChar *)"type");
    const char *t = type ? (const char *)type : "real";
    tc_expr *e = tc_expr_new(TC_EXPR_NUMBER);
    e->line = line_of(n);
    /* the value: text, or two parts around <sep/> */
    tc_buf a = TC_BUF_INIT, b = TC_BUF_INIT;
    bool after_sep = false;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_ELEMENT_NODE && strcmp(nm(c), "sep") == 0)
            after_sep = true;
        else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE)
            tc_buf_puts(after_sep ? &b : &a, (const char *)c->content);
    }
    const char *as = a.data ? a.data : "", *bs = b.data ? b.data : "";
    double x = strtod(as, NULL), y = strtod(bs, NULL);
    bool known = strcmp(t, "real") == 0 || strcmp(t, "integer") == 0 ||
                 strcmp(t, "rational") == 0 || strcmp(t, "e-notation") == 0;
    const char *number = NULL;
    if (!known) {
        fail(r, "10207", line_of(n),
             "<cn type=\"%s\"> is not allowed: the type must be e-notation, real, integer or "
             "rational",
             t);
    } else if (!number_ok(t, as, bs, x, y, &number)) {
        char *ta = trimmed(as), *tb = trimmed(bs);
        if (r->lang->syntax_rules)
            fail(r, number, line_of(n), "<cn type=\"%s\"> value '%.40s%s%.40s' is not a %s", t, ta,
                 *tb ? " <sep/> " : "", tb,
                 strcmp(t, "integer") == 0    ? "32-bit integer"
                 : strcmp(t, "rational") == 0 ? "pair of 32-bit integers"
                                              : "finite number");
        else
            fail(r, "10207", line_of(n), "<cn type=\"%s\"> holds '%.40s%s%.40s', not a number", t,
                 ta, *tb ? " <sep/> " : "", tb);
        free(ta);
        free(tb);
    }
    if (strcmp(t, "integer") == 0) {
        e->number = TC_NUMBER_INTEGER;
        e->value = x;
    } else if (strcmp(t, "rational") == 0) {
        e->number = TC_NUMBER_RATIONAL;
        e->value = y != 0 ? x / y : NAN;
    } else if (strcmp(t, "e-notation") == 0) {
        e->number = TC_NUMBER_E_NOTATION;
        e->value = x * pow(10, y);
    } else {
        e->value = x;
        const char *s = as;
        while (is_space(*s))
            s++;
        if (strncmp(s, "INF", 3) == 0)
            e->value = INFINITY;
        else if (strncmp(s, "-INF", 4) == 0)
            e->value = -INFINITY;
        else if (strncmp(s, "NaN", 3) == 0)
            e->value = NAN;
    }
    for (const xmlAttr *at = n->properties; at; at = at->next)
        if (at->ns && strcmp((const char *)at->name, "units") == 0) {
            xmlChar *u = xmlNodeGetContent((const xmlNode *)at);
            e->units = tc_xstrdup(u ? (const char *)u : "");
            xmlFree(u);
        }
    tc_buf_release(&a);
    tc_buf_release(&b);
    xmlFree(type);
    return e;
}

static bool is_value_csymbol(const tc_expr *e)
{
    return e->op == TC_EXPR_TIME || e->op == TC_EXPR_AVOGADRO;
}

/* A csymbol; an unknown one is reported and read as time so that the rest of the
 * math can still be checked. */
static tc_expr *read_csymbol(mreader *r, const xmlNode *n)
{
    xmlChar *url = xmlGetNoNsProp(n, (const xmlChar *)"definitionURL");
    const char *u = url ? (const char *)url : "";
    const tc_mathml_lang *lang = r->lang;
    const tc_mathml_csymbol *cs = NULL;
    for (size_t i = 0; i < lang->ncsymbols && !cs; i++)
        if (strcmp(u, lang->csymbols[i].url) == 0)
            cs = &lang->csymbols[i];
    tc_expr *e = NULL;
    if (!cs) {
        fail(r, "10205", line_of(n), "csymbol definitionURL \"%s\" is not one that %s defines", u,
             lang->name);
        e = tc_expr_new(TC_EXPR_TIME);
        e->name = text_of(n);
    } else {
        e = tc_expr_new(cs->op);
        e->name = cs->op == TC_EXPR_CALL ? tc_xstrdup(u) : text_of(n);
        if (cs->use_rule)
            note(r, cs->use_rule, line_of(n), "csymbol %s is superseded", u);
    }
    e->line = line_of(n);
    xmlFree(url);
    return e;
}

/* A misplaced element at the head of an apply: a value or a construct, not an operator. */
static bool is_construct(const char *fn)
{
    static const char *const names[] = {"piecewise", "lambda",     "cn",       "true",
                                        "false",     "pi",         "apply",    "exponentiale",
                                        "infinity",  "notanumber", "semantics"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(fn, names[i]) == 0)
            return true;
    return false;
}

static tc_expr *read_apply(mreader *r, const xmlNode *n)
{
    const xmlNode *f = first_elem(n);
    long line = line_of(n);
    if (!f) {
        fail(r, "10218", line, "<apply> has no operator");
        return NULL;
    }
    tc_expr *e = NULL;
    const char *fn = nm(f);
    int opi = -1;
    if (!is_mathml(f)) {
        fail(r, "10201", line_of(f), "<%s> inside math is not in the MathML namespace %s", fn,
             MATHML_NS);
        return NULL;
    }
    check_attrs(r, f);
    if (strcmp(fn, "ci") == 0) {
        if (!r->lang->user_functions) {
            fail(r, "10214", line_of(f),
                 "<ci> cannot be the operator of an <apply>: %s math has no user functions",
                 r->lang->name);
            return NULL;
        }
        e = tc_expr_new(TC_EXPR_CALL);
        e->name = text_of(f);
    } else if (strcmp(fn, "csymbol") == 0) {
        e = read_csymbol(r, f);
        if (is_value_csymbol(e))
            fail(r, "10218", line_of(f), "the csymbol %s is a value, not a function to apply",
                 e->name);
    } else {
        opi = operator_index(fn);
        if (opi < 0) {
            if (r->lang->syntax_rules && is_construct(fn))
                fail(r, "99219", line_of(f),
                     "<%s> cannot be applied as an operator: the MathML is malformed", fn);
            else
                fail(r, "10202", line_of(f), "<%s> is not in the subset of MathML %s allows", fn,
                     r->lang->name);
            return NULL;
        }
        e = tc_expr_new(operators[opi].op);
    }
    e->line = line;
    bool qualifiers = e->op == TC_EXPR_LOG || e->op == TC_EXPR_ROOT; /* logbase, degree */
    tc_expr *qual = NULL;
    for (const xmlNode *c = next_elem(f); c; c = next_elem(c)) {
        bool qualifier = named(c, "logbase") || named(c, "degree");
        if (qualifiers && qualifier) {
            bool ok = (e->op == TC_EXPR_LOG) == (strcmp(nm(c), "logbase") == 0);
            const xmlNode *q = first_elem(c);
            if (!ok || !q || next_elem(q))
                fail(r, "10218", line_of(c), "<%s> is misplaced or malformed", nm(c));
            tc_expr_free(qual);
            qual = q ? read_node(r, q) : NULL;
            continue;
        }
        if (qualifier || named(c, "bvar")) {
            fail(r, "10218", line_of(c), "<%s> is not allowed inside <apply> of %s", nm(c), fn);
            continue;
        }
        tc_expr *a = read_node(r, c);
        tc_expr_add(e, a ? a : tc_expr_number(NAN));
    }
    if (qualifiers && !qual && e->nargs == 2) {
        /* two arguments and no qualifier: read as (base|degree, x), as libSBML does */
    } else if (qualifiers) {
        /* normal form: (base|degree, x) */
        size_t given = e->nargs;
        tc_expr *first = qual ? qual : tc_expr_number(e->op == TC_EXPR_LOG ? 10 : 2);
        if (!qual)
            first->line = -1; /* implicit */
        tc_expr_add(e, first);
        memmove(e->args + 1, e->args, (e->nargs - 1) * sizeof(*e->args));
        e->args[0] = first;
        if (given != 1)
            fail(r, "10218", line, "<%s> takes 1 argument (besides its %s), not %zu", fn,
                 e->op == TC_EXPR_LOG ? "logbase" : "degree", given);
    } else if (e->op == TC_EXPR_RATE_OF) {
        if (e->nargs != 1)
            fail(r, "10218", line, "<csymbol> rateOf takes 1 argument, not %zu", e->nargs);
        else if (e->args[0]->op != TC_EXPR_SYMBOL)
            fail(r, "10223", line, "the argument of rateOf must be a <ci> naming a model variable");
    } else if (e->op == TC_EXPR_DELAY) {
        if (e->nargs != 2)
            fail(r, "10218", line, "<csymbol> delay takes 2 arguments, not %zu", e->nargs);
    } else if (opi >= 0) {
        int lo, hi;
        arity(r, opi, &lo, &hi);
        if ((int)e->nargs < lo || (hi >= 0 && (int)e->nargs > hi))
            fail(r, "10218", line, "<%s> takes %s%d argument%s, not %zu", fn,
                 hi < 0 ? "at least " : (lo != hi ? "1 or " : ""), hi < 0 ? lo : hi,
                 (hi < 0 ? lo : hi) == 1 ? "" : "s", e->nargs);
    }
    return e;
}

static tc_expr *read_piecewise(mreader *r, const xmlNode *n)
{
    tc_expr *e = tc_expr_new(TC_EXPR_PIECEWISE);
    e->line = line_of(n);
    tc_expr *otherwise = NULL;
    for (const xmlNode *c = first_elem(n); c; c = next_elem(c)) {
        if (!named(c, "piece") && !named(c, "otherwise")) {
            if (r->lang->syntax_rules)
                fail(r, "99219", line_of(c),
                     "<%s> is not allowed inside <piecewise>, which holds only <piece> and "
                     "<otherwise>",
                     nm(c));
            else
                fail(r, "10202", line_of(c),
                     "<%s> is not allowed inside <piecewise>, which holds only <piece> and "
                     "<otherwise>",
                     nm(c));
            continue;
        }
        check_attrs(r, c);
        size_t k = 0;
        tc_expr *parts[2] = {NULL, NULL};
        for (const xmlNode *p = first_elem(c); p; p = next_elem(p)) {
            tc_expr *a = read_node(r, p);
            if (k < 2)
                parts[k] = a;
            else
                tc_expr_free(a);
            k++;
        }
        bool piece = strcmp(nm(c), "piece") == 0;
        if ((piece && k != 2) || (!piece && k != 1))
            fail(r, "10218", line_of(c), "<%s> takes %s, not %zu", nm(c),
                 piece ? "2 arguments (value, condition)" : "1 argument", k);
        if (piece) {
            tc_expr_add(e, parts[0] ? parts[0] : tc_expr_number(NAN));
            tc_expr_add(e, parts[1] ? parts[1] : tc_expr_new(TC_EXPR_FALSE));
        } else {
            tc_expr_free(parts[1]);
            if (otherwise) {
                fail(r, "10218", line_of(c), "<piecewise> has more than one <otherwise>");
                tc_expr_free(otherwise);
            }
            otherwise = parts[0] ? parts[0] : tc_expr_number(NAN);
        }
    }
    if (otherwise) {
        tc_expr_add(e, otherwise);
        e->has_otherwise = true;
    }
    return e;
}

static tc_expr *read_lambda(mreader *r, const xmlNode *n)
{
    tc_expr *e = tc_expr_new(TC_EXPR_LAMBDA);
    e->line = line_of(n);
    bool body = false;
    for (const xmlNode *c = first_elem(n); c; c = next_elem(c)) {
        if (named(c, "bvar")) {
            const xmlNode *v = first_elem(c);
            if (!body && v && !named(v, "ci") && r->lang->syntax_rules) {
                fail(r, "99304", line_of(c), "<bvar> may only hold a <ci>, not <%s>", nm(v));
                continue;
            }
            if (body || !v || !named(v, "ci") || next_elem(v)) {
                fail(r, "10218", line_of(c),
                     "<bvar> must come before the body and hold exactly one <ci>");
                continue;
            }
            tc_expr *s = tc_expr_new(TC_EXPR_SYMBOL);
            s->name = text_of(v);
            s->line = line_of(v);
            tc_expr_add(e, s);
            continue;
        }
        if (body) {
            fail(r, "10218", line_of(c), "<lambda> has more than one body");
            continue;
        }
        body = true;
        tc_expr *b = read_node(r, c);
        tc_expr_add(e, b ? b : tc_expr_number(NAN));
    }
    if (!body) {
        fail(r, r->lang->syntax_rules ? "99302" : "10218", line_of(n),
             "<lambda> has no body after its arguments");
        tc_expr_add(e, tc_expr_number(NAN));
    }
    return e;
}

static tc_expr *read_semantics(mreader *r, const xmlNode *n)
{
    tc_expr *e = NULL;
    const xmlNode *c = first_elem(n);
    if (c && !named(c, "annotation") && !named(c, "annotation-xml")) {
        r->depth--; /* semantics is transparent for the lambda position */
        e = read_node(r, c);
        r->depth++;
    } else {
        fail(r, "10218", line_of(n), "<semantics> has no content");
    }
    for (const xmlNode *a = e ? next_elem(c) : c; a; a = next_elem(a))
        if (!named(a, "annotation") && !named(a, "annotation-xml"))
            fail(r, "10201", line_of(a),
                 "<semantics> holds one expression and then only annotations; <%s> is outside "
                 "the math's content",
                 nm(a));
    return e;
}

static tc_expr *read_node(mreader *r, const xmlNode *n)
{
    if (++r->depth > MAX_DEPTH) {
        r->depth--;
        fail(r, "10218", line_of(n), "math nested deeper than %d levels", MAX_DEPTH);
        return NULL;
    }
    tc_expr *e = NULL;
    const char *name = nm(n);
    if (!is_mathml(n)) {
        fail(r, "10201", line_of(n), "<%s> inside math is not in the MathML namespace %s", name,
             MATHML_NS);
        goto done;
    }
    check_attrs(r, n);
    if (strcmp(name, "cn") == 0) {
        e = read_cn(r, n);
    } else if (strcmp(name, "ci") == 0) {
        e = tc_expr_new(TC_EXPR_SYMBOL);
        e->name = text_of(n);
        e->line = line_of(n);
    } else if (strcmp(name, "csymbol") == 0) {
        e = read_csymbol(r, n);
        if (!is_value_csymbol(e))
            fail(r, "10218", line_of(n), "csymbol %s is a function and must be applied", e->name);
    } else if (strcmp(name, "apply") == 0) {
        e = read_apply(r, n);
    } else if (strcmp(name, "piecewise") == 0) {
        e = read_piecewise(r, n);
    } else if (strcmp(name, "lambda") == 0 && r->lang->user_functions) {
        if (!r->in_function || r->depth > 2)
            fail(r, "10208", line_of(n),
                 "<lambda> is only allowed at the top of a function definition's math");
        e = read_lambda(r, n);
    } else if (strcmp(name, "semantics") == 0) {
        e = read_semantics(r, n);
    } else {
        for (size_t i = 0; i < sizeof(constants) / sizeof(constants[0]); i++)
            if (strcmp(name, constants[i].name) == 0) {
                e = tc_expr_new(constants[i].op);
                e->line = line_of(n);
                goto done;
            }
        if (operator_index(name) >= 0 && r->lang->syntax_rules)
            fail(r, "99224", line_of(n),
                 "<%s> is an operator and must be the first child of <apply>", name);
        else
            fail(r, "10202", line_of(n), "<%s> is not in the subset of MathML %s allows", name,
                 r->lang->name);
    }
done:
    r->depth--;
    return e;
}

tc_expr *tc_mathml_read(const tc_mathml_lang *lang, const xmlNode *math, bool in_function,
                        size_t *errors)
{
    mreader r = {.lang = lang, .in_function = in_function, .depth = 0, .errors = 0};
    tc_expr *e = NULL;
    if (!is_mathml(math)) {
        fail(&r, "10201", line_of(math), "<math> must be in the MathML namespace " MATHML_NS);
        goto done;
    }
    const xmlNode *c = first_elem(math);
    if (!c)
        goto done;
    r.depth = 1;
    e = read_node(&r, c);
    for (const xmlNode *x = next_elem(c); x; x = next_elem(x))
        fail(&r, "10201", line_of(x),
             "<math> holds exactly one expression; the extra <%s> is MathML outside it", nm(x));
done:
    if (errors)
        *errors = r.errors;
    return e;
}
