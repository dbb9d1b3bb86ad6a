/* Helpers for the reference-solver tests: build models from infix text. */
#ifndef TC_TEST_SOLVERS_H
#define TC_TEST_SOLVERS_H

#include "solvers.h"

/* Infix math: numbers, names, + - * / ^, comparisons, f(args) where f is a
 * MathML operator name (exp, piecewise, delay, rateOf, and, ...) or a user
 * function; `time`, `pi`. Fails the test on a syntax error. */
tc_expr *tsv_expr(const char *text);
/* Declare / define, failing the test on error; origin file "t.xml", the given line. */
void tsv_var(tc_model *m, const char *name, tc_var_kind kind, double initial, long line);
void tsv_rate(tc_model *m, const char *name, const char *rhs, long line);
void tsv_assign(tc_model *m, const char *name, const char *rhs, long line);
/* Compile and simulate on a uniform grid; the result must succeed. */
tc_sim_result *tsv_run(const tc_model *m, tc_method method, double rtol, double atol, double t1,
                       size_t n_steps);
/* Value of `name` at `row`. */
double tsv_val(const tc_sim_result *r, size_t row, const char *name);
/* Value at the last row. */
double tsv_last(const tc_sim_result *r, const char *name);

#endif
