/* Level 1 writes math as infix text ("k1 * S1 / (Km + S1)"): a small recursive-descent
 * parser turns it into the same trees MathML gives. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

typedef struct fparser {
    const char *s;
    long line;
    int depth;
    bool error;
} fparser;

static void skip(fparser *p)
{
    while (isspace((unsigned char)*p->s))
        p->s++;
}

static tc_expr *expr(fparser *p);

static tc_expr *node(fparser *p, tc_expr_op op)
{
    tc_expr *e = tc_expr_new(op);
    e->line = p->line;
    return e;
}

/* Level 1 function names and what they are in MathML. */
static tc_expr *call(fparser *p, char *name, tc_expr **args, size_t n)
{
    static const struct {
        const char *name;
        tc_expr_op op;
    } fns[] = {{"abs", TC_EXPR_ABS},     {"acos", TC_EXPR_ARCCOS},  {"asin", TC_EXPR_ARCSIN},
               {"atan", TC_EXPR_ARCTAN}, {"ceil", TC_EXPR_CEILING}, {"cos", TC_EXPR_COS},
               {"exp", TC_EXPR_EXP},     {"floor", TC_EXPR_FLOOR},  {"log", TC_EXPR_LN},
               {"sin", TC_EXPR_SIN},     {"tan", TC_EXPR_TAN},      {"pow", TC_EXPR_POWER}};
    tc_expr *e = NULL;
    if (strcmp(name, "sqr") == 0 && n == 1) {
        e = node(p, TC_EXPR_POWER);
        tc_expr_add(e, args[0]);
        tc_expr_add(e, tc_expr_number(2));
    } else if (strcmp(name, "sqrt") == 0 && n == 1) {
        e = node(p, TC_EXPR_ROOT);
        tc_expr_add(e, tc_expr_number(2));
        tc_expr_add(e, args[0]);
    } else if (strcmp(name, "root") == 0 && n == 2) {
        /* root(n, x): the n-th root of x, as the infix syntax of SBML tools writes it */
        e = node(p, TC_EXPR_ROOT);
        tc_expr_add(e, args[0]);
        tc_expr_add(e, args[1]);
    } else if (strcmp(name, "log10") == 0 && n == 1) {
        e = node(p, TC_EXPR_LOG);
        tc_expr_add(e, tc_expr_number(10));
        tc_expr_add(e, args[0]);
    } else {
        for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]) && !e; i++)
            if (strcmp(name, fns[i].name) == 0)
                e = node(p, fns[i].op);
        if (!e) {
            e = node(p, TC_EXPR_CALL);
            e->name = tc_xstrdup(name);
        }
        for (size_t i = 0; i < n; i++)
            tc_expr_add(e, args[i]);
    }
    free(name);
    return e;
}

static tc_expr *primary(fparser *p)
{
    skip(p);
    if (++p->depth > 500) {
        p->error = true;
        return NULL;
    }
    tc_expr *e = NULL;
    const char *s = p->s;
    if (*s == '(') {
        p->s++;
        e = expr(p);
        skip(p);
        if (*p->s == ')')
            p->s++;
        else
            p->error = true;
    } else if (*s == '-' || *s == '+') {
        p->s++;
        tc_expr *a = primary(p);
        if (*s == '-') {
            e = node(p, TC_EXPR_MINUS);
            tc_expr_add(e, a ? a : tc_expr_number(0));
        } else {
            e = a;
        }
    } else if (isdigit((unsigned char)*s) || *s == '.') {
        char *end;
        double v = strtod(s, &end);
        e = tc_expr_number(v);
        e->line = p->line;
        p->s = end;
    } else if (isalpha((unsigned char)*s) || *s == '_') {
        const char *b = s;
        while (isalnum((unsigned char)*p->s) || *p->s == '_')
            p->s++;
        char *name = tc_xstrndup(b, (size_t)(p->s - b));
        skip(p);
        if (*p->s == '(') {
            p->s++;
            tc_expr *args[64];
            size_t n = 0;
            skip(p);
            if (*p->s == ')') {
                p->s++;
            } else {
                for (;;) {
                    tc_expr *a = expr(p);
                    if (n < 64)
                        args[n++] = a ? a : tc_expr_number(0);
                    else
                        tc_expr_free(a);
                    skip(p);
                    if (*p->s == ',') {
                        p->s++;
                        continue;
                    }
                    if (*p->s == ')')
                        p->s++;
                    else
                        p->error = true;
                    break;
                }
            }
            e = call(p, name, args, n);
        } else {
            e = tc_expr_symbol(name);
            e->line = p->line;
            free(name);
        }
    } else {
        p->error = true;
    }
    p->depth--;
    return e;
}

static tc_expr *power(fparser *p)
{
    tc_expr *a = primary(p);
    skip(p);
    if (*p->s == '^') {
        p->s++;
        tc_expr *b = power(p); /* right associative */
        tc_expr *e = node(p, TC_EXPR_POWER);
        tc_expr_add(e, a ? a : tc_expr_number(0));
        tc_expr_add(e, b ? b : tc_expr_number(0));
        return e;
    }
    return a;
}

static tc_expr *binary(fparser *p, int level)
{
    tc_expr *a = level ? power(p) : binary(p, 1);
    for (;;) {
        skip(p);
        char c = *p->s;
        bool mul = level && (c == '*' || c == '/'), add = !level && (c == '+' || c == '-');
        if (!mul && !add)
            return a;
        p->s++;
        tc_expr *b = level ? power(p) : binary(p, 1);
        tc_expr_op op = c == '*'   ? TC_EXPR_TIMES
                        : c == '/' ? TC_EXPR_DIVIDE
                        : c == '+' ? TC_EXPR_PLUS
                                   : TC_EXPR_MINUS;
        tc_expr *e = node(p, op);
        tc_expr_add(e, a ? a : tc_expr_number(0));
        tc_expr_add(e, b ? b : tc_expr_number(0));
        a = e;
    }
}

static tc_expr *expr(fparser *p)
{
    return binary(p, 0);
}

tc_expr *sbml_formula_parse(const char *text, long line)
{
    fparser p = {.s = text, .line = line};
    tc_expr *e = expr(&p);
    skip(&p);
    if (p.error || *p.s) {
        tc_expr_free(e);
        return NULL;
    }
    return e;
}
