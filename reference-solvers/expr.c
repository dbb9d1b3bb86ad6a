/* Math trees: construction, copy, free and infix printing. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expr.h"

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) {
        fprintf(stderr, "twincheck: out of memory\n");
        exit(3);
    }
    return q;
}

static char *xstrdup(const char *s)
{
    return s ? strcpy(xrealloc(NULL, strlen(s) + 1), s) : NULL;
}

static const char *const op_names[] = {
#define TC_X(op, text) text,
    TC_EXPR_OPS(TC_X)
#undef TC_X
};

const char *tc_expr_op_name(tc_expr_op op)
{
    return op >= 0 && op < TC_EXPR_OP_COUNT ? op_names[op] : "?";
}

tc_expr *tc_expr_new(tc_expr_op op)
{
    tc_expr *e = xrealloc(NULL, sizeof *e);
    memset(e, 0, sizeof *e);
    e->op = op;
    return e;
}

tc_expr *tc_expr_number(double value)
{
    tc_expr *e = tc_expr_new(TC_EXPR_NUMBER);
    e->value = value;
    return e;
}

tc_expr *tc_expr_symbol(const char *name)
{
    tc_expr *e = tc_expr_new(TC_EXPR_SYMBOL);
    e->name = xstrdup(name);
    return e;
}

tc_expr *tc_expr_add(tc_expr *e, tc_expr *child)
{
    if (e->nargs == e->capargs) {
        e->capargs = e->capargs ? 2 * e->capargs : 2;
        e->args = xrealloc(e->args, e->capargs * sizeof *e->args);
    }
    e->args[e->nargs++] = child;
    return e;
}

tc_expr *tc_expr_copy(const tc_expr *e)
{
    if (!e)
        return NULL;
    tc_expr *c = tc_expr_new(e->op);
    c->value = e->value;
    c->number = e->number;
    c->name = xstrdup(e->name);
    c->units = xstrdup(e->units);
    c->has_otherwise = e->has_otherwise;
    c->line = e->line;
    for (size_t i = 0; i < e->nargs; i++)
        tc_expr_add(c, tc_expr_copy(e->args[i]));
    return c;
}

void tc_expr_free(tc_expr *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->nargs; i++)
        tc_expr_free(e->args[i]);
    free(e->args);
    free(e->name);
    free(e->units);
    free(e);
}

bool tc_expr_mentions(const tc_expr *e, const char *name)
{
    if (!e)
        return false;
    if (e->op == TC_EXPR_SYMBOL)
        return e->name && strcmp(e->name, name) == 0;
    size_t n = e->nargs;
    if (e->op == TC_EXPR_LAMBDA) {
        for (size_t i = 0; i + 1 < e->nargs; i++)
            if (e->args[i]->name && strcmp(e->args[i]->name, name) == 0)
                return false; /* bound here */
        return n ? tc_expr_mentions(e->args[n - 1], name) : false;
    }
    for (size_t i = 0; i < n; i++)
        if (tc_expr_mentions(e->args[i], name))
            return true;
    return false;
}

/* ---- printing ----------------------------------------------------------- */
typedef struct out {
    char *s;
    size_t len, cap;
} out;

static void put(out *o, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (o->len + (size_t)n + 1 > o->cap) {
        o->cap = 2 * (o->len + (size_t)n + 1);
        o->s = xrealloc(o->s, o->cap);
    }
    vsnprintf(o->s + o->len, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    o->len += (size_t)n;
}

/* Binding strength, for parentheses: higher binds tighter. */
static int precedence(const tc_expr *e)
{
    switch (e->op) {
    case TC_EXPR_OR:
    case TC_EXPR_XOR:
    case TC_EXPR_IMPLIES:
        return 1;
    case TC_EXPR_AND:
        return 2;
    case TC_EXPR_EQ:
    case TC_EXPR_NEQ:
    case TC_EXPR_GT:
    case TC_EXPR_LT:
    case TC_EXPR_GEQ:
    case TC_EXPR_LEQ:
        return 3;
    case TC_EXPR_PLUS:
        return 4;
    case TC_EXPR_MINUS:
        return e->nargs == 1 ? 6 : 4;
    case TC_EXPR_TIMES:
    case TC_EXPR_DIVIDE:
        return 5;
    case TC_EXPR_POWER:
        return 7;
    case TC_EXPR_NUMBER:
        return e->value < 0 ? 6 : 9;
    default:
        return 9;
    }
}

static void print(out *o, const tc_expr *e);

static void print_operand(out *o, const tc_expr *child, int parent_prec, bool right)
{
    int p = precedence(child);
    bool paren = p < parent_prec || (right && p == parent_prec);
    if (paren)
        put(o, "(");
    print(o, child);
    if (paren)
        put(o, ")");
}

static void print_args(out *o, const tc_expr *e, size_t from)
{
    for (size_t i = from; i < e->nargs; i++) {
        put(o, "%s", i > from ? ", " : "");
        print(o, e->args[i]);
    }
}

static const char *infix_symbol(tc_expr_op op)
{
    switch (op) {
    case TC_EXPR_PLUS: return " + ";
    case TC_EXPR_MINUS: return " - ";
    case TC_EXPR_TIMES: return " * ";
    case TC_EXPR_DIVIDE: return " / ";
    case TC_EXPR_POWER: return "^";
    case TC_EXPR_EQ: return " == ";
    case TC_EXPR_NEQ: return " != ";
    case TC_EXPR_GT: return " > ";
    case TC_EXPR_LT: return " < ";
    case TC_EXPR_GEQ: return " >= ";
    case TC_EXPR_LEQ: return " <= ";
    case TC_EXPR_AND: return " && ";
    case TC_EXPR_OR: return " || ";
    default: return NULL;
    }
}

static void print(out *o, const tc_expr *e)
{
    if (!e) {
        put(o, "?");
        return;
    }
    const char *infix = infix_symbol(e->op);
    switch (e->op) {
    case TC_EXPR_NUMBER:
        if (isinf(e->value))
            put(o, "%sINF", e->value < 0 ? "-" : "");
        else if (isnan(e->value))
            put(o, "NaN");
        else
            put(o, "%.15g", e->value);
        return;
    case TC_EXPR_SYMBOL:
        put(o, "%s", e->name ? e->name : "?");
        return;
    case TC_EXPR_CALL:
        put(o, "%s(", e->name ? e->name : "?");
        print_args(o, e, 0);
        put(o, ")");
        return;
    case TC_EXPR_MINUS:
        if (e->nargs == 1) {
            put(o, "-");
            print_operand(o, e->args[0], 6, false);
            return;
        }
        break;
    case TC_EXPR_NOT:
        put(o, "!");
        if (e->nargs)
            print_operand(o, e->args[0], 6, false);
        return;
    case TC_EXPR_TIME:
    case TC_EXPR_AVOGADRO:
    case TC_EXPR_TRUE:
    case TC_EXPR_FALSE:
    case TC_EXPR_PI:
    case TC_EXPR_EXPONENTIALE:
    case TC_EXPR_INFINITY_:
    case TC_EXPR_NOTANUMBER:
        put(o, "%s", tc_expr_op_name(e->op));
        return;
    default:
        break;
    }
    if (infix && e->nargs >= 2) {
        int p = precedence(e);
        for (size_t i = 0; i < e->nargs; i++) {
            if (i)
                put(o, "%s", infix);
            print_operand(o, e->args[i], p, i > 0 && e->op != TC_EXPR_PLUS &&
                                                 e->op != TC_EXPR_TIMES);
        }
        return;
    }
    put(o, "%s(", tc_expr_op_name(e->op));
    print_args(o, e, 0);
    put(o, ")");
}

char *tc_expr_to_string(const tc_expr *e)
{
    out o = {0};
    print(&o, e);
    if (!o.s)
        return xstrdup("");
    return o.s;
}
