/* Evaluation of SED-ML math (data generators, computeChange, setValue,
 * functionalRange) on scalars. */
#include <math.h>
#include <string.h>

#include "internal.h"

static double fact(double x)
{
    if (x < 0 || x != floor(x))
        return NAN;
    return tgamma(x + 1);
}

double rr_eval(const tc_expr *e, rr_lookup_fn lookup, void *ctx, const char **why)
{
    double a[2] = {0, 0};
    size_t n = e->nargs;
    switch (e->op) {
    case TC_EXPR_NUMBER:
        return e->value;
    case TC_EXPR_SYMBOL: {
        double v;
        if (lookup(ctx, e->name, &v))
            return v;
        *why = "a symbol of the math is not defined";
        return NAN;
    }
    case TC_EXPR_TRUE:
        return 1;
    case TC_EXPR_FALSE:
        return 0;
    case TC_EXPR_PI:
        return M_PI;
    case TC_EXPR_EXPONENTIALE:
        return M_E;
    case TC_EXPR_INFINITY_:
        return INFINITY;
    case TC_EXPR_NOTANUMBER:
        return NAN;
    case TC_EXPR_AVOGADRO:
        return 6.02214076e23;
    case TC_EXPR_PLUS: {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += rr_eval(e->args[i], lookup, ctx, why);
        return s;
    }
    case TC_EXPR_TIMES: {
        double p = 1;
        for (size_t i = 0; i < n; i++)
            p *= rr_eval(e->args[i], lookup, ctx, why);
        return p;
    }
    case TC_EXPR_MIN:
    case TC_EXPR_MAX: {
        double r = NAN;
        for (size_t i = 0; i < n; i++) {
            double v = rr_eval(e->args[i], lookup, ctx, why);
            if (i == 0 || (e->op == TC_EXPR_MIN ? v < r : v > r))
                r = v;
        }
        return r;
    }
    case TC_EXPR_AND:
    case TC_EXPR_OR:
    case TC_EXPR_XOR: {
        int r = e->op == TC_EXPR_AND;
        for (size_t i = 0; i < n; i++) {
            int v = rr_eval(e->args[i], lookup, ctx, why) != 0;
            r = e->op == TC_EXPR_AND ? (r && v) : e->op == TC_EXPR_OR ? (r || v) : (r != v);
        }
        return r;
    }
    case TC_EXPR_PIECEWISE: {
        size_t limit = e->has_otherwise ? n - 1 : n;
        for (size_t i = 0; i + 2 <= limit; i += 2)
            if (rr_eval(e->args[i + 1], lookup, ctx, why) != 0)
                return rr_eval(e->args[i], lookup, ctx, why);
        return e->has_otherwise ? rr_eval(e->args[n - 1], lookup, ctx, why) : NAN;
    }
    case TC_EXPR_EQ:
    case TC_EXPR_NEQ:
    case TC_EXPR_GT:
    case TC_EXPR_LT:
    case TC_EXPR_GEQ:
    case TC_EXPR_LEQ: {
        for (size_t i = 0; i + 1 < n; i++) {
            double x = rr_eval(e->args[i], lookup, ctx, why);
            double y = rr_eval(e->args[i + 1], lookup, ctx, why);
            bool ok = e->op == TC_EXPR_EQ    ? x == y
                      : e->op == TC_EXPR_NEQ ? x != y
                      : e->op == TC_EXPR_GT  ? x > y
                      : e->op == TC_EXPR_LT  ? x < y
                      : e->op == TC_EXPR_GEQ ? x >= y
                                             : x <= y;
            if (!ok)
                return 0;
        }
        return 1;
    }
    default:
        break;
    }
    if (n > 2 || (n == 0 && e->op != TC_EXPR_TIME)) {
        *why = "an operator of the math is not supported in a re-run";
        return NAN;
    }
    for (size_t i = 0; i < n; i++)
        a[i] = rr_eval(e->args[i], lookup, ctx, why);
    double x = a[0], y = a[1];
    switch (e->op) {
    case TC_EXPR_MINUS:
        return n == 1 ? -x : x - y;
    case TC_EXPR_DIVIDE:
        return x / y;
    case TC_EXPR_POWER:
        return pow(x, y);
    case TC_EXPR_ROOT:
        return n == 1 ? sqrt(x) : pow(y, 1.0 / x);
    case TC_EXPR_ABS:
        return fabs(x);
    case TC_EXPR_EXP:
        return exp(x);
    case TC_EXPR_LN:
        return log(x);
    case TC_EXPR_LOG:
        return n == 1 ? log10(x) : log(y) / log(x);
    case TC_EXPR_FLOOR:
        return floor(x);
    case TC_EXPR_CEILING:
        return ceil(x);
    case TC_EXPR_FACTORIAL:
        return fact(x);
    case TC_EXPR_QUOTIENT:
        return trunc(x / y);
    case TC_EXPR_REM:
        return fmod(x, y);
    case TC_EXPR_SIN:
        return sin(x);
    case TC_EXPR_COS:
        return cos(x);
    case TC_EXPR_TAN:
        return tan(x);
    case TC_EXPR_SEC:
        return 1 / cos(x);
    case TC_EXPR_CSC:
        return 1 / sin(x);
    case TC_EXPR_COT:
        return 1 / tan(x);
    case TC_EXPR_SINH:
        return sinh(x);
    case TC_EXPR_COSH:
        return cosh(x);
    case TC_EXPR_TANH:
        return tanh(x);
    case TC_EXPR_SECH:
        return 1 / cosh(x);
    case TC_EXPR_CSCH:
        return 1 / sinh(x);
    case TC_EXPR_COTH:
        return 1 / tanh(x);
    case TC_EXPR_ARCSIN:
        return asin(x);
    case TC_EXPR_ARCCOS:
        return acos(x);
    case TC_EXPR_ARCTAN:
        return atan(x);
    case TC_EXPR_ARCSEC:
        return acos(1 / x);
    case TC_EXPR_ARCCSC:
        return asin(1 / x);
    case TC_EXPR_ARCCOT:
        return atan(1 / x);
    case TC_EXPR_ARCSINH:
        return asinh(x);
    case TC_EXPR_ARCCOSH:
        return acosh(x);
    case TC_EXPR_ARCTANH:
        return atanh(x);
    case TC_EXPR_ARCSECH:
        return acosh(1 / x);
    case TC_EXPR_ARCCSCH:
        return asinh(1 / x);
    case TC_EXPR_ARCCOTH:
        return atanh(1 / x);
    case TC_EXPR_NOT:
        return x == 0;
    case TC_EXPR_IMPLIES:
        return x == 0 || y != 0;
    default:
        *why = "an operator of the math is not supported in a re-run";
        return NAN;
    }
}
