/*
 * expr: the math of a model as a tree, shared by the format readers (SBML and
 * CellML MathML becomes this) and the reference solvers (which compile it to a
 * flat instruction sequence before integrating). It knows nothing of formats:
 * names are plain strings the model resolves.
 *
 * Ownership: a tree owns its children; tc_expr_free frees the whole tree;
 * tc_expr_add takes ownership of the child it is given.
 */
#ifndef TC_EXPR_H
#define TC_EXPR_H

#include <stdbool.h>
#include <stddef.h>

/* X(op, name as written in MathML or by tc_expr_to_string) */
#define TC_EXPR_OPS(X)                                                                             \
    X(NUMBER, "cn")                                                                                \
    X(SYMBOL, "ci")                                                                                \
    X(CALL, "call") /* a user function (SBML functionDefinition), name in ->name */                \
    X(LAMBDA, "lambda") /* args: bound variables (SYMBOL) ..., then the body */                    \
    X(TIME, "time")                                                                                \
    X(AVOGADRO, "avogadro")                                                                        \
    X(DELAY, "delay")   /* args: expression, delay */                                              \
    X(RATE_OF, "rateOf") /* args: one SYMBOL */                                                    \
    X(TRUE, "true")                                                                                \
    X(FALSE, "false")                                                                              \
    X(PI, "pi")                                                                                    \
    X(EXPONENTIALE, "exponentiale")                                                                \
    X(INFINITY_, "infinity")                                                                       \
    X(NOTANUMBER, "notanumber")                                                                    \
    X(PLUS, "plus")                                                                                \
    X(MINUS, "minus") /* one arg: negation */                                                      \
    X(TIMES, "times")                                                                              \
    X(DIVIDE, "divide")                                                                            \
    X(POWER, "power")                                                                              \
    X(ROOT, "root")   /* args: degree, radicand (degree defaults to 2 when the reader adds it) */  \
    X(ABS, "abs")                                                                                  \
    X(EXP, "exp")                                                                                  \
    X(LN, "ln")                                                                                    \
    X(LOG, "log")     /* args: base, x */                                                          \
    X(FLOOR, "floor")                                                                              \
    X(CEILING, "ceiling")                                                                          \
    X(FACTORIAL, "factorial")                                                                      \
    X(MIN, "min")                                                                                  \
    X(MAX, "max")                                                                                  \
    X(QUOTIENT, "quotient")                                                                        \
    X(REM, "rem")                                                                                  \
    X(SIN, "sin")                                                                                  \
    X(COS, "cos")                                                                                  \
    X(TAN, "tan")                                                                                  \
    X(SEC, "sec")                                                                                  \
    X(CSC, "csc")                                                                                  \
    X(COT, "cot")                                                                                  \
    X(SINH, "sinh")                                                                                \
    X(COSH, "cosh")                                                                                \
    X(TANH, "tanh")                                                                                \
    X(SECH, "sech")                                                                                \
    X(CSCH, "csch")                                                                                \
    X(COTH, "coth")                                                                                \
    X(ARCSIN, "arcsin")                                                                            \
    X(ARCCOS, "arccos")                                                                            \
    X(ARCTAN, "arctan")                                                                            \
    X(ARCSEC, "arcsec")                                                                            \
    X(ARCCSC, "arccsc")                                                                            \
    X(ARCCOT, "arccot")                                                                            \
    X(ARCSINH, "arcsinh")                                                                          \
    X(ARCCOSH, "arccosh")                                                                          \
    X(ARCTANH, "arctanh")                                                                          \
    X(ARCSECH, "arcsech")                                                                          \
    X(ARCCSCH, "arccsch")                                                                          \
    X(ARCCOTH, "arccoth")                                                                          \
    X(EQ, "eq")                                                                                    \
    X(NEQ, "neq")                                                                                  \
    X(GT, "gt")                                                                                    \
    X(LT, "lt")                                                                                    \
    X(GEQ, "geq")                                                                                  \
    X(LEQ, "leq")                                                                                  \
    X(AND, "and")                                                                                  \
    X(OR, "or")                                                                                    \
    X(XOR, "xor")                                                                                  \
    X(NOT, "not")                                                                                  \
    X(IMPLIES, "implies")                                                                          \
    X(PIECEWISE, "piecewise") /* args: value, condition, value, condition, ... [otherwise] */

typedef enum tc_expr_op {
#define TC_X(op, text) TC_EXPR_##op,
    TC_EXPR_OPS(TC_X)
#undef TC_X
        TC_EXPR_OP_COUNT
} tc_expr_op;

/* How a number was written, which matters for units and integer semantics. */
typedef enum tc_number_kind {
    TC_NUMBER_REAL = 0,
    TC_NUMBER_INTEGER,
    TC_NUMBER_RATIONAL, /* value holds numerator / denominator */
    TC_NUMBER_E_NOTATION
} tc_number_kind;

typedef struct tc_expr {
    tc_expr_op op;
    double value;           /* NUMBER */
    tc_number_kind number;  /* NUMBER */
    char *name;             /* SYMBOL, CALL; the csymbol's definitionURL text is not kept */
    char *units;            /* NUMBER: units given in the source (sbml:units), or NULL */
    bool has_otherwise;     /* PIECEWISE: the last arg is the otherwise branch */
    struct tc_expr **args;
    size_t nargs, capargs;
    long line;              /* where it came from in its source file (0 unknown) */
} tc_expr;

tc_expr *tc_expr_new(tc_expr_op op);
tc_expr *tc_expr_number(double value);
tc_expr *tc_expr_symbol(const char *name);
/* Append `child` (owned from now on) to e's arguments; returns e. */
tc_expr *tc_expr_add(tc_expr *e, tc_expr *child);
tc_expr *tc_expr_copy(const tc_expr *e);
void tc_expr_free(tc_expr *e);
/* "plus", "sin", ... */
const char *tc_expr_op_name(tc_expr_op op);
/* Infix text for messages and tests, e.g. "k1 * S1 / (Km + S1)". Caller frees. */
char *tc_expr_to_string(const tc_expr *e);
/* Does the tree mention SYMBOL `name` (not counting LAMBDA bound variables)? */
bool tc_expr_mentions(const tc_expr *e, const char *name);

#endif
