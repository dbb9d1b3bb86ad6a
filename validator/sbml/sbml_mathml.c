/* MathML content (the SBML subset) into tc_expr trees, with the MathML rules that
 * are about the markup itself: allowed elements and attributes, csymbol URLs, cn
 * types, argument counts (sbml:10201-10208, 10218, 10220, 10223). */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

#define MATHML_NS "http://www.w3.org/1998/Math/MathML"
#define CSYMBOL "http://www.sbml.org/sbml/symbols/"
#define MAX_DEPTH 1000

typedef struct mreader {
    const sbml_out *o;
    bool in_function;
    int depth;
} mreader;

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
    return n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, MATHML_NS) == 0;
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

static char *text_of(const xmlNode *n)
{
    xmlChar *t = xmlNodeGetContent(n);
    const char *s = t ? (const char *)t : "";
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t len = strlen(s);
    while (len &&
           (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\n' || s[len - 1] == '\r'))
        len--;
    char *r = tc_xstrndup(s, len);
    xmlFree(t);
    return r;
}

/* Elements of the SBML MathML subset that are operators (first child of apply). */
static bool op_from_name(const char *name, tc_expr_op *op)
{
    static const struct {
        const char *name;
        tc_expr_op op;
    } extra[] = {{"power", TC_EXPR_POWER}, {"ln", TC_EXPR_LN}};
    for (int i = TC_EXPR_PLUS; i < TC_EXPR_OP_COUNT; i++) {
        if (i == TC_EXPR_PIECEWISE)
            continue;
        if (strcmp(name, tc_expr_op_name((tc_expr_op)i)) == 0) {
            *op = (tc_expr_op)i;
            return true;
        }
    }
    for (size_t i = 0; i < sizeof(extra) / sizeof(extra[0]); i++)
        if (strcmp(name, extra[i].name) == 0) {
            *op = extra[i].op;
            return true;
        }
    return false;
}

/* Attributes that only some MathML elements may carry. */
static void check_attrs(mreader *r, const xmlNode *n)
{
    const char *e = nm(n);
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        bool sbml_ns = a->ns && strncmp((const char *)a->ns->href, "http://www.sbml.org/", 20) == 0;
        if (sbml_ns && strcmp(an, "units") == 0) {
            if (strcmp(e, "cn") != 0)
                sbml_report(r->o, "sbml:10220", line_of(n),
                            "the units attribute is only allowed on <cn>, not on <%s>", e);
            continue;
        }
        if (a->ns)
            continue;
        if (strcmp(an, "encoding") == 0 && strcmp(e, "csymbol") != 0 &&
            strcmp(e, "annotation") != 0 && strcmp(e, "annotation-xml") != 0)
            sbml_report(r->o, "sbml:10203", line_of(n),
                        "MathML <%s> may not have an encoding attribute", e);
        else if (strcmp(an, "definitionURL") == 0 && strcmp(e, "ci") != 0 &&
                 strcmp(e, "csymbol") != 0 && strcmp(e, "semantics") != 0)
            sbml_report(r->o, "sbml:10204", line_of(n),
                        "MathML <%s> may not have a definitionURL attribute", e);
        else if (strcmp(an, "type") == 0 && strcmp(e, "cn") != 0)
            sbml_report(r->o, "sbml:10206", line_of(n),
                        "MathML <%s> may not have a type attribute (only <cn> may)", e);
    }
}

static tc_expr *read_node(mreader *r, const xmlNode *n);

/* Numbers that cannot be read as what their type says (libSBML's 99220-99223). */
static bool fits_int(const char *s)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    while (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
        end++;
    return errno == 0 && *end == '\0' && end != s && v >= INT32_MIN && v <= INT32_MAX;
}

static void check_number(mreader *r, const xmlNode *n, const char *type, const char *a,
                         const char *b, double x, double y)
{
    long line = line_of(n);
    if (strcmp(type, "integer") == 0) {
        if (!fits_int(a))
            sbml_report(r->o, "sbml:99221", line,
                        "<cn type=\"integer\"> value \"%s\" is not a "
                        "32-bit integer",
                        a);
    } else if (strcmp(type, "rational") == 0) {
        if (!fits_int(a) || !fits_int(b))
            sbml_report(r->o, "sbml:99223", line,
                        "<cn type=\"rational\"> needs a 32-bit integer numerator and denominator");
    } else if (strcmp(type, "e-notation") == 0) {
        if (!isfinite(x) || !fits_int(b) || !isfinite(x * pow(10, y)))
            sbml_report(r->o, "sbml:99222", line,
                        "<cn type=\"e-notation\"> value cannot be read as a finite number");
    } else if (strcmp(type, "real") == 0) {
        char *end;
        const char *s = a;
        while (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r')
            s++;
        double v = strtod(s, &end); /* the first token is the number */
        if (*end == ' ' || *end == '\n' || *end == '\t' || *end == '\r')
            end = (char *)"";
        bool special =
            strncmp(s, "INF", 3) == 0 || strncmp(s, "-INF", 4) == 0 || strncmp(s, "NaN", 3) == 0;
        if (!special && (end == s || *end != '\0' || !isfinite(v)))
            sbml_report(r->o, "sbml:99220", line, "<cn> value \"%.40s\" is not a finite number", s);
    }
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
    double x = a.data ? strtod(a.data, NULL) : 0, y = b.data ? strtod(b.data, NULL) : 0;
    check_number(r, n, t, a.data ? a.data : "", b.data ? b.data : "", x, y);
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
        if (strcmp(t, "real") != 0)
            sbml_report(r->o, "sbml:10207", line_of(n),
                        "<cn type=\"%s\"> is not allowed: the type must be e-notation, real, "
                        "integer or rational",
                        t);
        e->value = x;
        if (a.data) {
            const char *s = a.data;
            while (*s == ' ' || *s == '\n' || *s == '\t')
                s++;
            if (strncmp(s, "INF", 3) == 0)
                e->value = INFINITY;
            else if (strncmp(s, "-INF", 4) == 0)
                e->value = -INFINITY;
            else if (strncmp(s, "NaN", 3) == 0)
                e->value = NAN;
        }
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

static tc_expr *read_csymbol(mreader *r, const xmlNode *n, bool applied)
{
    xmlChar *url = xmlGetNoNsProp(n, (const xmlChar *)"definitionURL");
    const char *u = url ? (const char *)url : "";
    tc_expr *e = NULL;
    int l = r->o->level, v = r->o->version;
    if (strcmp(u, CSYMBOL "time") == 0) {
        e = tc_expr_new(TC_EXPR_TIME);
    } else if (strcmp(u, CSYMBOL "delay") == 0) {
        e = tc_expr_new(TC_EXPR_DELAY);
    } else if (strcmp(u, CSYMBOL "avogadro") == 0 && l >= 3) {
        e = tc_expr_new(TC_EXPR_AVOGADRO);
    } else if (strcmp(u, CSYMBOL "rateOf") == 0 && (l > 3 || (l == 3 && v >= 2))) {
        e = tc_expr_new(TC_EXPR_RATE_OF);
    } else {
        sbml_report(r->o, "sbml:10205", line_of(n),
                    "csymbol definitionURL \"%s\" is not one that SBML Level %d Version %d "
                    "defines",
                    u, l, v);
        e = tc_expr_new(TC_EXPR_TIME);
    }
    e->name = text_of(n);
    e->line = line_of(n);
    (void)applied;
    xmlFree(url);
    return e;
}

/* Expected argument counts: min, max (-1 = any). */
static void arity(tc_expr_op op, int *lo, int *hi)
{
    *lo = 1;
    *hi = 1;
    switch (op) {
    case TC_EXPR_PLUS:
    case TC_EXPR_TIMES:
    case TC_EXPR_AND:
    case TC_EXPR_OR:
    case TC_EXPR_XOR:
        *lo = 0;
        *hi = -1;
        break;
    case TC_EXPR_MIN:
    case TC_EXPR_MAX:
        *lo = 1;
        *hi = -1;
        break;
    case TC_EXPR_EQ:
    case TC_EXPR_NEQ:
    case TC_EXPR_GT:
    case TC_EXPR_LT:
    case TC_EXPR_GEQ:
    case TC_EXPR_LEQ:
        *lo = 1;
        *hi = -1;
        break;
    case TC_EXPR_MINUS:
    case TC_EXPR_ROOT:
    case TC_EXPR_LOG:
        *lo = 1;
        *hi = 2;
        break;
    case TC_EXPR_DIVIDE:
    case TC_EXPR_POWER:
    case TC_EXPR_QUOTIENT:
    case TC_EXPR_REM:
    case TC_EXPR_IMPLIES:
    case TC_EXPR_DELAY:
        *lo = *hi = 2;
        break;
    default:
        break;
    }
}

static tc_expr *read_apply(mreader *r, const xmlNode *n)
{
    const xmlNode *f = first_elem(n);
    long line = line_of(n);
    if (!f) {
        sbml_report(r->o, "sbml:10218", line, "<apply> has no operator");
        return NULL;
    }
    tc_expr *e = NULL;
    const char *fn = nm(f);
    bool qualifiers = false; /* log/root take logbase/degree */
    if (!is_mathml(f)) {
        sbml_report(r->o, "sbml:10202", line_of(f), "<%s> is not an allowed MathML element", fn);
        return NULL;
    }
    check_attrs(r, f);
    if (strcmp(fn, "ci") == 0) {
        e = tc_expr_new(TC_EXPR_CALL);
        e->name = text_of(f);
    } else if (strcmp(fn, "csymbol") == 0) {
        e = read_csymbol(r, f, true);
        if (e->op == TC_EXPR_TIME || e->op == TC_EXPR_AVOGADRO) {
            sbml_report(r->o, "sbml:10218", line_of(f),
                        "the csymbol %s is a value, not a function to apply", e->name);
        }
    } else {
        tc_expr_op op;
        if (!op_from_name(fn, &op) || op == TC_EXPR_LAMBDA || op < TC_EXPR_PLUS) {
            if (strcmp(fn, "piecewise") == 0 || strcmp(fn, "lambda") == 0 ||
                strcmp(fn, "cn") == 0 || strcmp(fn, "true") == 0 || strcmp(fn, "false") == 0 ||
                strcmp(fn, "pi") == 0 || strcmp(fn, "apply") == 0 ||
                strcmp(fn, "exponentiale") == 0 || strcmp(fn, "infinity") == 0 ||
                strcmp(fn, "notanumber") == 0 || strcmp(fn, "semantics") == 0)
                sbml_report(r->o, "sbml:99219", line_of(f),
                            "<%s> cannot be applied as an operator: the MathML is malformed", fn);
            else
                sbml_report(r->o, "sbml:10202", line_of(f),
                            "<%s> is not an allowed MathML element in SBML", fn);
            return NULL;
        }
        e = tc_expr_new(op);
        qualifiers = op == TC_EXPR_LOG || op == TC_EXPR_ROOT;
    }
    e->line = line;
    tc_expr *qual = NULL;
    for (const xmlNode *c = next_elem(f); c; c = next_elem(c)) {
        if (qualifiers && is_mathml(c) &&
            (strcmp(nm(c), "logbase") == 0 || strcmp(nm(c), "degree") == 0)) {
            bool ok = (e->op == TC_EXPR_LOG) == (strcmp(nm(c), "logbase") == 0);
            const xmlNode *q = first_elem(c);
            if (!ok || !q || next_elem(q))
                sbml_report(r->o, "sbml:10218", line_of(c), "<%s> is misplaced or malformed",
                            nm(c));
            tc_expr_free(qual);
            qual = q ? read_node(r, q) : NULL;
            continue;
        }
        if (is_mathml(c) && (strcmp(nm(c), "logbase") == 0 || strcmp(nm(c), "degree") == 0 ||
                             strcmp(nm(c), "bvar") == 0)) {
            sbml_report(r->o, "sbml:10218", line_of(c), "<%s> is not allowed inside <apply> of %s",
                        nm(c), fn);
            continue;
        }
        tc_expr *a = read_node(r, c);
        if (a)
            tc_expr_add(e, a);
        else
            tc_expr_add(e, tc_expr_number(NAN));
    }
    if ((e->op == TC_EXPR_LOG || e->op == TC_EXPR_ROOT) && (qual || e->nargs == 1)) {
        /* normal form: (base|degree, x) */
        tc_expr *first = qual ? qual : tc_expr_number(e->op == TC_EXPR_LOG ? 10 : 2);
        if (!qual)
            first->line = -1; /* implicit */
        tc_expr_add(e, first);
        memmove(e->args + 1, e->args, (e->nargs - 1) * sizeof(*e->args));
        e->args[0] = first;
        if (e->nargs != 2)
            sbml_report(r->o, "sbml:10218", line,
                        "<%s> takes one argument (besides its %s), not %zu", fn,
                        e->op == TC_EXPR_LOG ? "logbase" : "degree", e->nargs - 1);
    } else if (e->op != TC_EXPR_CALL) {
        int lo, hi;
        arity(e->op, &lo, &hi);
        if (e->op == TC_EXPR_RATE_OF) {
            lo = hi = 1;
            if (e->nargs == 1 && e->args[0]->op != TC_EXPR_SYMBOL)
                sbml_report(r->o, "sbml:10223", line,
                            "the argument of rateOf must be a <ci> naming a model variable");
        }
        if ((int)e->nargs < lo || (hi >= 0 && (int)e->nargs > hi))
            sbml_report(r->o, "sbml:10218", line, "<%s> was given %zu argument%s", fn, e->nargs,
                        e->nargs == 1 ? "" : "s");
    }
    return e;
}

static tc_expr *read_piecewise(mreader *r, const xmlNode *n)
{
    tc_expr *e = tc_expr_new(TC_EXPR_PIECEWISE);
    e->line = line_of(n);
    tc_expr *otherwise = NULL;
    for (const xmlNode *c = first_elem(n); c; c = next_elem(c)) {
        if (!is_mathml(c) || (strcmp(nm(c), "piece") != 0 && strcmp(nm(c), "otherwise") != 0)) {
            sbml_report(r->o, "sbml:99219", line_of(c),
                        "<%s> is not allowed inside <piecewise> (only piece and otherwise)", nm(c));
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
            sbml_report(r->o, "sbml:10218", line_of(c), "<%s> must have %s, not %zu", nm(c),
                        piece ? "two arguments (value, condition)" : "one argument", k);
        if (piece) {
            tc_expr_add(e, parts[0] ? parts[0] : tc_expr_number(NAN));
            tc_expr_add(e, parts[1] ? parts[1] : tc_expr_new(TC_EXPR_FALSE));
        } else {
            tc_expr_free(parts[1]);
            if (otherwise) {
                sbml_report(r->o, "sbml:10218", line_of(c),
                            "<piecewise> has more than one <otherwise>");
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
        if (is_mathml(c) && strcmp(nm(c), "bvar") == 0) {
            const xmlNode *v = first_elem(c);
            if (body || !v || strcmp(nm(v), "ci") != 0 || next_elem(v)) {
                sbml_report(r->o, "sbml:10218", line_of(c),
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
            sbml_report(r->o, "sbml:10218", line_of(c), "<lambda> has more than one body");
            continue;
        }
        body = true;
        tc_expr *b = read_node(r, c);
        tc_expr_add(e, b ? b : tc_expr_number(NAN));
    }
    if (!body)
        tc_expr_add(e, tc_expr_number(NAN));
    return e;
}

static tc_expr *read_node(mreader *r, const xmlNode *n)
{
    if (++r->depth > MAX_DEPTH) {
        r->depth--;
        sbml_report(r->o, "sbml:10218", line_of(n), "math nested deeper than %d levels", MAX_DEPTH);
        return NULL;
    }
    tc_expr *e = NULL;
    const char *name = nm(n);
    if (!is_mathml(n)) {
        sbml_report(r->o, "sbml:10201", line_of(n),
                    "<%s> inside math is not in the MathML namespace", name);
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
        e = read_csymbol(r, n, false);
    } else if (strcmp(name, "apply") == 0) {
        e = read_apply(r, n);
    } else if (strcmp(name, "piecewise") == 0) {
        e = read_piecewise(r, n);
    } else if (strcmp(name, "lambda") == 0) {
        if (!r->in_function || r->depth > 2)
            sbml_report(r->o, "sbml:10208", line_of(n),
                        "<lambda> is only allowed at the top of a function definition's math");
        e = read_lambda(r, n);
    } else if (strcmp(name, "semantics") == 0) {
        const xmlNode *c = first_elem(n);
        if (c) {
            r->depth--; /* semantics is transparent for the lambda position */
            e = read_node(r, c);
            r->depth++;
        }
        for (const xmlNode *a = c ? next_elem(c) : NULL; a; a = next_elem(a))
            if (!is_mathml(a) ||
                (strcmp(nm(a), "annotation") != 0 && strcmp(nm(a), "annotation-xml") != 0))
                sbml_report(r->o, "sbml:10202", line_of(a),
                            "<%s> is not allowed inside <semantics>", nm(a));
    } else {
        static const struct {
            const char *name;
            tc_expr_op op;
        } consts[] = {{"true", TC_EXPR_TRUE},
                      {"false", TC_EXPR_FALSE},
                      {"pi", TC_EXPR_PI},
                      {"exponentiale", TC_EXPR_EXPONENTIALE},
                      {"infinity", TC_EXPR_INFINITY_},
                      {"notanumber", TC_EXPR_NOTANUMBER}};
        for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++)
            if (strcmp(name, consts[i].name) == 0) {
                e = tc_expr_new(consts[i].op);
                e->line = line_of(n);
                goto done;
            }
        tc_expr_op op;
        if (op_from_name(name, &op))
            sbml_report(r->o, "sbml:99224", line_of(n),
                        "<%s> is an operator and must be the first child of <apply>", name);
        else
            sbml_report(r->o, "sbml:10202", line_of(n),
                        "<%s> is not an allowed MathML element in SBML", name);
    }
done:
    r->depth--;
    return e;
}

tc_expr *sbml_math_read(const sbml_out *o, const xmlNode *math, bool in_function)
{
    mreader r = {.o = o, .in_function = in_function, .depth = 0};
    if (!is_mathml(math)) {
        sbml_report(o, "sbml:10201", line_of(math),
                    "<math> must be in the MathML namespace http://www.w3.org/1998/Math/MathML");
        return NULL;
    }
    const xmlNode *c = first_elem(math);
    if (!c)
        return NULL;
    r.depth = 1;
    tc_expr *e = read_node(&r, c);
    for (const xmlNode *x = next_elem(c); x; x = next_elem(x))
        sbml_report(o, "sbml:10202", line_of(x),
                    "<math> holds more than one expression (extra <%s>)", nm(x));
    return e;
}
