/* Tree helpers for the compiler: operator semantics, simplification with
 * constant folding, and symbolic differentiation (for the Jacobian and rateOf). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define E_(op) TC_EXPR_##op

tc_expr *tc_ex_num(double v)
{
    return tc_expr_number(v);
}

tc_expr *tc_ex_un(tc_expr_op op, tc_expr *a)
{
    return tc_expr_add(tc_expr_new(op), a);
}

tc_expr *tc_ex_bin(tc_expr_op op, tc_expr *a, tc_expr *b)
{
    return tc_expr_add(tc_expr_add(tc_expr_new(op), a), b);
}

bool tc_ex_is_num(const tc_expr *e, double *v)
{
    if (!e || e->op != E_(NUMBER))
        return false;
    if (v)
        *v = e->value;
    return true;
}

size_t tc_ex_size(const tc_expr *e)
{
    if (!e)
        return 0;
    size_t n = 1;
    for (size_t i = 0; i < e->nargs; i++)
        n += tc_ex_size(e->args[i]);
    return n;
}

static double root_of(double degree, double x)
{
    double r = floor(degree);
    /* odd integer roots of negative numbers are real */
    if (x < 0 && r == degree && fmod(r, 2.0) != 0.0)
        return -pow(-x, 1.0 / degree);
    return pow(x, 1.0 / degree);
}

static bool truth(double x)
{
    return x != 0.0 && !isnan(x);
}

double tc_ex_apply(tc_expr_op op, const double *a, size_t n)
{
    double r;
    switch (op) {
    case E_(TRUE):
        return 1.0;
    case E_(FALSE):
        return 0.0;
    case E_(PI):
        return M_PI;
    case E_(EXPONENTIALE):
        return M_E;
    case E_(INFINITY_):
        return INFINITY;
    case E_(NOTANUMBER):
        return NAN;
    case E_(AVOGADRO):
        return 6.02214179e23; /* as SBML Level 3 defines it (L3V2 section 3.4.6) */
    case E_(PLUS):
        r = 0.0;
        for (size_t i = 0; i < n; i++)
            r += a[i];
        return r;
    case E_(TIMES):
        r = 1.0;
        for (size_t i = 0; i < n; i++)
            r *= a[i];
        return r;
    case E_(MINUS):
        return n == 1 ? -a[0] : n == 2 ? a[0] - a[1] : NAN;
    case E_(DIVIDE):
        return n == 2 ? a[0] / a[1] : NAN;
    case E_(POWER):
        return n == 2 ? pow(a[0], a[1]) : NAN;
    case E_(ROOT):
        return n == 1 ? sqrt(a[0]) : n == 2 ? root_of(a[0], a[1]) : NAN;
    case E_(LOG):
        return n == 1 ? log10(a[0]) : n == 2 ? log(a[1]) / log(a[0]) : NAN;
    case E_(QUOTIENT):
        return n == 2 ? trunc(a[0] / a[1]) : NAN;
    case E_(REM):
        return n == 2 ? fmod(a[0], a[1]) : NAN;
    case E_(MIN):
    case E_(MAX):
        if (!n)
            return NAN;
        r = a[0];
        for (size_t i = 1; i < n; i++)
            r = op == E_(MIN) ? (a[i] < r ? a[i] : r) : (a[i] > r ? a[i] : r);
        return r;
    case E_(EQ):
    case E_(NEQ):
    case E_(GT):
    case E_(LT):
    case E_(GEQ):
    case E_(LEQ):
        if (n < 2)
            return NAN;
        for (size_t i = 0; i + 1 < n; i++) {
            double x = a[i], y = a[i + 1];
            bool ok = op == E_(EQ)    ? x == y
                      : op == E_(NEQ) ? x != y
                      : op == E_(GT)  ? x > y
                      : op == E_(LT)  ? x < y
                      : op == E_(GEQ) ? x >= y
                                      : x <= y;
            if (!ok)
                return 0.0;
        }
        return 1.0;
    case E_(AND):
        for (size_t i = 0; i < n; i++)
            if (!truth(a[i]))
                return 0.0;
        return 1.0;
    case E_(OR):
        for (size_t i = 0; i < n; i++)
            if (truth(a[i]))
                return 1.0;
        return 0.0;
    case E_(XOR): {
        size_t k = 0;
        for (size_t i = 0; i < n; i++)
            k += truth(a[i]);
        return (double)(k & 1);
    }
    case E_(IMPLIES):
        return n == 2 ? (double)(!truth(a[0]) || truth(a[1])) : NAN;
    default:
        break;
    }
    if (n != 1)
        return NAN;
    double x = a[0];
    switch (op) {
    case E_(NOT):
        return (double)!truth(x);
    case E_(ABS):
        return fabs(x);
    case E_(EXP):
        return exp(x);
    case E_(LN):
        return log(x);
    case E_(FLOOR):
        return floor(x);
    case E_(CEILING):
        return ceil(x);
    case E_(FACTORIAL):
        return x < 0 || x != floor(x) ? NAN : tgamma(x + 1.0);
    case E_(SIN):
        return sin(x);
    case E_(COS):
        return cos(x);
    case E_(TAN):
        return tan(x);
    case E_(SEC):
        return 1.0 / cos(x);
    case E_(CSC):
        return 1.0 / sin(x);
    case E_(COT):
        return 1.0 / tan(x);
    case E_(SINH):
        return sinh(x);
    case E_(COSH):
        return cosh(x);
    case E_(TANH):
        return tanh(x);
    case E_(SECH):
        return 1.0 / cosh(x);
    case E_(CSCH):
        return 1.0 / sinh(x);
    case E_(COTH):
        return 1.0 / tanh(x);
    case E_(ARCSIN):
        return asin(x);
    case E_(ARCCOS):
        return acos(x);
    case E_(ARCTAN):
        return atan(x);
    case E_(ARCSEC):
        return acos(1.0 / x);
    case E_(ARCCSC):
        return asin(1.0 / x);
    case E_(ARCCOT):
        return atan(1.0 / x);
    case E_(ARCSINH):
        return asinh(x);
    case E_(ARCCOSH):
        return acosh(x);
    case E_(ARCTANH):
        return atanh(x);
    case E_(ARCSECH):
        return acosh(1.0 / x);
    case E_(ARCCSCH):
        return asinh(1.0 / x);
    case E_(ARCCOTH):
        return atanh(1.0 / x);
    default:
        return NAN;
    }
}

/* ---- simplification ------------------------------------------------------ */

/* Operators whose value follows from their arguments alone (foldable). */
static bool pure(tc_expr_op op)
{
    switch (op) {
    case E_(NUMBER):
    case E_(SYMBOL):
    case E_(CALL):
    case E_(LAMBDA):
    case E_(TIME):
    case E_(DELAY):
    case E_(RATE_OF):
    case E_(PIECEWISE):
        return false;
    default:
        return true;
    }
}

static tc_expr *replace(tc_expr *old, tc_expr *keep)
{
    /* detach keep from old's arguments, then free old */
    for (size_t i = 0; i < old->nargs; i++)
        if (old->args[i] == keep)
            old->args[i] = NULL;
    tc_expr_free(old);
    return keep;
}

static tc_expr *number_for(tc_expr *old, double v)
{
    long line = old->line;
    tc_expr_free(old);
    tc_expr *n = tc_ex_num(v);
    n->line = line;
    return n;
}

static void remove_arg(tc_expr *e, size_t i)
{
    tc_expr_free(e->args[i]);
    memmove(e->args + i, e->args + i + 1, (e->nargs - i - 1) * sizeof *e->args);
    e->nargs--;
}

tc_expr *tc_ex_simplify(tc_expr *e)
{
    if (!e)
        return e;
    if (e->op == E_(LAMBDA))
        return e;
    bool all_num = true;
    for (size_t i = 0; i < e->nargs; i++) {
        e->args[i] = tc_ex_simplify(e->args[i]);
        if (!e->args[i] || e->args[i]->op != E_(NUMBER))
            all_num = false;
    }
    if (pure(e->op) && all_num && e->nargs <= 64) {
        double a[64];
        for (size_t i = 0; i < e->nargs; i++)
            a[i] = e->args[i]->value;
        return number_for(e, tc_ex_apply(e->op, a, e->nargs));
    }
    double v;
    switch (e->op) {
    case E_(PLUS):
    case E_(TIMES): {
        double neutral = e->op == E_(PLUS) ? 0.0 : 1.0, acc = neutral;
        bool any_const = false;
        for (size_t i = 0; i < e->nargs;) {
            if (tc_ex_is_num(e->args[i], &v)) {
                acc = e->op == E_(PLUS) ? acc + v : acc * v;
                any_const = true;
                remove_arg(e, i);
            } else {
                i++;
            }
        }
        if (e->op == E_(TIMES) && any_const && acc == 0.0)
            return number_for(e, 0.0);
        if (any_const && acc != neutral)
            tc_expr_add(e, tc_ex_num(acc));
        if (e->nargs == 0)
            return number_for(e, neutral);
        if (e->nargs == 1)
            return replace(e, e->args[0]);
        return e;
    }
    case E_(MINUS):
        if (e->nargs == 1 && e->args[0]->op == E_(MINUS) && e->args[0]->nargs == 1) {
            tc_expr *inner = e->args[0]->args[0];
            e->args[0]->args[0] = NULL;
            tc_expr_free(e);
            return inner;
        }
        if (e->nargs == 2 && tc_ex_is_num(e->args[1], &v) && v == 0.0)
            return replace(e, e->args[0]);
        if (e->nargs == 2 && tc_ex_is_num(e->args[0], &v) && v == 0.0) {
            remove_arg(e, 0);
            return e;
        }
        return e;
    case E_(DIVIDE):
        if (e->nargs == 2 && tc_ex_is_num(e->args[0], &v) && v == 0.0)
            return number_for(e, 0.0);
        if (e->nargs == 2 && tc_ex_is_num(e->args[1], &v) && v == 1.0)
            return replace(e, e->args[0]);
        return e;
    case E_(POWER):
        if (e->nargs == 2 && tc_ex_is_num(e->args[1], &v) && v == 0.0)
            return number_for(e, 1.0);
        if (e->nargs == 2 && tc_ex_is_num(e->args[1], &v) && v == 1.0)
            return replace(e, e->args[0]);
        if (e->nargs == 2 && tc_ex_is_num(e->args[0], &v) && v == 1.0)
            return number_for(e, 1.0);
        return e;
    case E_(PIECEWISE): {
        size_t pairs = (e->nargs - (e->has_otherwise ? 1 : 0)) / 2;
        for (size_t p = 0; p < pairs;) {
            if (!tc_ex_is_num(e->args[2 * p + 1], &v)) {
                p++;
                continue;
            }
            if (truth(v) && p == 0)
                return replace(e, e->args[0]);
            if (truth(v)) {
                p++;
                continue;
            }
            remove_arg(e, 2 * p + 1);
            remove_arg(e, 2 * p);
            pairs--;
        }
        if (pairs == 0 && e->has_otherwise)
            return replace(e, e->args[0]);
        return e;
    }
    default:
        return e;
    }
}

/* ---- differentiation ----------------------------------------------------- */

static bool depends(const tc_expr *e, const char *wrt)
{
    if (!e)
        return false;
    if (wrt)
        return tc_expr_mentions(e, wrt);
    if (e->op == E_(TIME) || e->op == E_(DELAY) || e->op == E_(RATE_OF))
        return true;
    for (size_t i = 0; i < e->nargs; i++)
        if (depends(e->args[i], wrt))
            return true;
    return false;
}

#define C(x) tc_expr_copy(x)
#define MUL(a, b) tc_ex_bin(E_(TIMES), a, b)
#define DIV(a, b) tc_ex_bin(E_(DIVIDE), a, b)
#define ADD(a, b) tc_ex_bin(E_(PLUS), a, b)
#define SUB(a, b) tc_ex_bin(E_(MINUS), a, b)
#define NEG(a) tc_ex_un(E_(MINUS), a)
#define SQR(a) tc_ex_bin(E_(POWER), a, tc_ex_num(2))
#define SQRT(a) tc_ex_bin(E_(POWER), a, tc_ex_num(0.5))
#define F1(op, a) tc_ex_un(E_(op), a)

static tc_expr *d(const tc_expr *e, const char *wrt, bool *ok);

/* Derivative of the single-argument function `e` = op(u): g'(u) * du. */
static tc_expr *chain1(const tc_expr *e, const char *wrt, bool *ok)
{
    const tc_expr *u = e->args[0];
    tc_expr *g;
    switch (e->op) {
    case E_(EXP):
        g = C(e);
        break;
    case E_(LN):
        g = DIV(tc_ex_num(1), C(u));
        break;
    case E_(SIN):
        g = F1(COS, C(u));
        break;
    case E_(COS):
        g = NEG(F1(SIN, C(u)));
        break;
    case E_(TAN):
        g = SQR(F1(SEC, C(u)));
        break;
    case E_(SEC):
        g = MUL(C(e), F1(TAN, C(u)));
        break;
    case E_(CSC):
        g = NEG(MUL(C(e), F1(COT, C(u))));
        break;
    case E_(COT):
        g = NEG(SQR(F1(CSC, C(u))));
        break;
    case E_(SINH):
        g = F1(COSH, C(u));
        break;
    case E_(COSH):
        g = F1(SINH, C(u));
        break;
    case E_(TANH):
        g = SQR(F1(SECH, C(u)));
        break;
    case E_(SECH):
        g = NEG(MUL(C(e), F1(TANH, C(u))));
        break;
    case E_(CSCH):
        g = NEG(MUL(C(e), F1(COTH, C(u))));
        break;
    case E_(COTH):
        g = NEG(SQR(F1(CSCH, C(u))));
        break;
    case E_(ARCSIN):
        g = DIV(tc_ex_num(1), SQRT(SUB(tc_ex_num(1), SQR(C(u)))));
        break;
    case E_(ARCCOS):
        g = NEG(DIV(tc_ex_num(1), SQRT(SUB(tc_ex_num(1), SQR(C(u))))));
        break;
    case E_(ARCTAN):
        g = DIV(tc_ex_num(1), ADD(tc_ex_num(1), SQR(C(u))));
        break;
    case E_(ARCCOT):
        g = NEG(DIV(tc_ex_num(1), ADD(tc_ex_num(1), SQR(C(u)))));
        break;
    case E_(ARCSINH):
        g = DIV(tc_ex_num(1), SQRT(ADD(SQR(C(u)), tc_ex_num(1))));
        break;
    case E_(ARCCOSH):
        g = DIV(tc_ex_num(1), SQRT(SUB(SQR(C(u)), tc_ex_num(1))));
        break;
    case E_(ARCTANH):
    case E_(ARCCOTH):
        g = DIV(tc_ex_num(1), SUB(tc_ex_num(1), SQR(C(u))));
        break;
    case E_(ARCSEC):
        g = DIV(tc_ex_num(1), MUL(F1(ABS, C(u)), SQRT(SUB(SQR(C(u)), tc_ex_num(1)))));
        break;
    case E_(ARCCSC):
        g = NEG(DIV(tc_ex_num(1), MUL(F1(ABS, C(u)), SQRT(SUB(SQR(C(u)), tc_ex_num(1))))));
        break;
    case E_(ARCSECH):
        g = NEG(DIV(tc_ex_num(1), MUL(C(u), SQRT(SUB(tc_ex_num(1), SQR(C(u)))))));
        break;
    case E_(ARCCSCH):
        g = NEG(DIV(tc_ex_num(1), MUL(F1(ABS, C(u)), SQRT(ADD(tc_ex_num(1), SQR(C(u)))))));
        break;
    case E_(ABS): {
        /* sign(u): piecewise(1, u > 0, -1, u < 0, 0) */
        g = tc_expr_new(E_(PIECEWISE));
        tc_expr_add(g, tc_ex_num(1));
        tc_expr_add(g, tc_ex_bin(E_(GT), C(u), tc_ex_num(0)));
        tc_expr_add(g, tc_ex_num(-1));
        tc_expr_add(g, tc_ex_bin(E_(LT), C(u), tc_ex_num(0)));
        tc_expr_add(g, tc_ex_num(0));
        g->has_otherwise = true;
        break;
    }
    default:
        *ok = false;
        return NULL;
    }
    tc_expr *du = d(u, wrt, ok);
    if (!du) {
        tc_expr_free(g);
        return NULL;
    }
    return MUL(g, du);
}

static tc_expr *d_minmax(const tc_expr *e, size_t from, const char *wrt, bool *ok)
{
    if (from + 1 == e->nargs)
        return d(e->args[from], wrt, ok);
    /* op(a, rest): piecewise(da, a <= rest (min) / a >= rest (max), drest) */
    tc_expr *rest = tc_expr_new(e->op);
    for (size_t i = from + 1; i < e->nargs; i++)
        tc_expr_add(rest, C(e->args[i]));
    tc_expr *da = d(e->args[from], wrt, ok);
    tc_expr *dr = da ? d_minmax(e, from + 1, wrt, ok) : NULL;
    if (!da || !dr) {
        tc_expr_free(rest);
        tc_expr_free(da);
        return NULL;
    }
    tc_expr *p = tc_expr_new(E_(PIECEWISE));
    tc_expr_add(p, da);
    tc_expr_add(p, tc_ex_bin(e->op == E_(MIN) ? E_(LEQ) : E_(GEQ), C(e->args[from]), rest));
    tc_expr_add(p, dr);
    p->has_otherwise = true;
    return p;
}

static tc_expr *d(const tc_expr *e, const char *wrt, bool *ok)
{
    if (!*ok)
        return NULL;
    if (!depends(e, wrt))
        return tc_ex_num(0);
    size_t n = e->nargs;
    switch (e->op) {
    case E_(SYMBOL):
        return tc_ex_num(wrt && e->name && strcmp(e->name, wrt) == 0 ? 1 : 0);
    case E_(TIME):
        return tc_ex_num(wrt ? 0 : 1);
    case E_(PLUS): {
        tc_expr *s = tc_expr_new(E_(PLUS));
        for (size_t i = 0; i < n; i++)
            tc_expr_add(s, d(e->args[i], wrt, ok));
        return s;
    }
    case E_(MINUS):
        if (n == 1)
            return NEG(d(e->args[0], wrt, ok));
        if (n == 2)
            return SUB(d(e->args[0], wrt, ok), d(e->args[1], wrt, ok));
        break;
    case E_(TIMES): {
        tc_expr *s = tc_expr_new(E_(PLUS));
        for (size_t i = 0; i < n; i++) {
            if (!depends(e->args[i], wrt))
                continue;
            tc_expr *p = tc_expr_new(E_(TIMES));
            for (size_t j = 0; j < n; j++)
                tc_expr_add(p, j == i ? d(e->args[j], wrt, ok) : C(e->args[j]));
            tc_expr_add(s, p);
        }
        return s;
    }
    case E_(DIVIDE):
        if (n != 2)
            break;
        if (!depends(e->args[1], wrt))
            return DIV(d(e->args[0], wrt, ok), C(e->args[1]));
        return DIV(SUB(MUL(d(e->args[0], wrt, ok), C(e->args[1])),
                       MUL(C(e->args[0]), d(e->args[1], wrt, ok))),
                   SQR(C(e->args[1])));
    case E_(POWER): {
        if (n != 2)
            break;
        const tc_expr *a = e->args[0], *b = e->args[1];
        if (!depends(b, wrt))
            return MUL(MUL(C(b), tc_ex_bin(E_(POWER), C(a), SUB(C(b), tc_ex_num(1)))),
                       d(a, wrt, ok));
        /* a^b (b' ln a + b a' / a) */
        return MUL(C(e),
                   ADD(MUL(d(b, wrt, ok), F1(LN, C(a))), DIV(MUL(C(b), d(a, wrt, ok)), C(a))));
    }
    case E_(ROOT): {
        tc_expr *p = n == 1 ? SQRT(C(e->args[0]))
                     : n == 2
                         ? tc_ex_bin(E_(POWER), C(e->args[1]), DIV(tc_ex_num(1), C(e->args[0])))
                         : NULL;
        if (!p)
            break;
        tc_expr *r = d(p, wrt, ok);
        tc_expr_free(p);
        return r;
    }
    case E_(LOG): {
        tc_expr *p = n == 1   ? DIV(F1(LN, C(e->args[0])), tc_ex_num(M_LN10))
                     : n == 2 ? DIV(F1(LN, C(e->args[1])), F1(LN, C(e->args[0])))
                              : NULL;
        if (!p)
            break;
        tc_expr *r = d(p, wrt, ok);
        tc_expr_free(p);
        return r;
    }
    case E_(MIN):
    case E_(MAX):
        if (n == 0)
            break;
        return d_minmax(e, 0, wrt, ok);
    case E_(PIECEWISE): {
        tc_expr *p = tc_expr_new(E_(PIECEWISE));
        p->has_otherwise = e->has_otherwise;
        for (size_t i = 0; i < n; i++) {
            bool is_cond = i % 2 == 1 && !(e->has_otherwise && i == n - 1);
            tc_expr_add(p, is_cond ? C(e->args[i]) : d(e->args[i], wrt, ok));
        }
        return p;
    }
    default:
        if (n == 1)
            return chain1(e, wrt, ok);
        break;
    }
    /* floor, ceiling, quotient, rem, factorial, relations, delay, ...: not differentiable */
    *ok = false;
    return NULL;
}

static bool has_null(const tc_expr *e)
{
    if (!e)
        return true;
    for (size_t i = 0; i < e->nargs; i++)
        if (has_null(e->args[i]))
            return true;
    return false;
}

tc_expr *tc_ex_diff(const tc_expr *e, const char *wrt)
{
    bool ok = true;
    tc_expr *r = d(e, wrt, &ok);
    if (!ok || has_null(r)) {
        tc_expr_free(r);
        return NULL;
    }
    return tc_ex_simplify(r);
}
