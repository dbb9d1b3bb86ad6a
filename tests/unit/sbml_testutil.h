/* Helpers shared by the SBML unit tests: read and validate a document given as text,
 * and look at its findings. */
#ifndef TC_TEST_SBML_UTIL_H
#define TC_TEST_SBML_UTIL_H

#include <stddef.h>

#include "core/core.h"
#include "sbml/sbml.h"

/* Read `text` as "m.xml" and, when it reads, validate it; findings into fs (initialised
 * here, released by the caller). Returns tc_sbml_read's code. */
int tc_test_sbml_validate(const char *text, tc_findings *fs);
/* Print every finding to stderr (for a failing assertion's context). */
void tc_test_sbml_dump(const tc_findings *fs);
/* Findings of `rule` on `line` (any line when negative) whose message contains `part`. */
size_t tc_test_sbml_count(const tc_findings *fs, const char *rule, long line, const char *part);
/* Exactly n findings of `rule` on `line` (any line when negative) whose message contains
 * `part` (all findings printed otherwise). */
void tc_test_sbml_expect_count(const tc_findings *fs, size_t n, const char *rule, long line,
                               const char *part);
/* The same on the findings of validating `text`. */
void tc_test_sbml_expect_n(const char *text, size_t n, const char *rule, long line,
                           const char *part);
/* Validate `text`: no finding of `rule` at all. */
void tc_test_sbml_expect_none(const char *text, const char *rule);
/* Validate `text`: exactly one finding of `rule`, and it is on `line` with exactly
 * `message`. */
void tc_test_sbml_expect_exact(const char *text, const char *rule, long line,
                               const char *message);

/* A <listOfFunctionDefinitions> (one line) of f0(x) = x and fi(x) = f(i-1)(x) + f(i-1)(x)
 * for i = 1..n: n calls that expand to 2^n when inlined (caller frees). */
char *tc_test_sbml_doubling_functions(int n);

/* A document read, mapped onto the solvers' model, compiled and simulated. */
typedef struct tc_test_sbml_run {
    tc_sbml_doc *doc;
    tc_sbml_sim *sim;
    tc_system *sys;
    tc_sim_result *res;
    tc_findings fs;
} tc_test_sbml_run;

/* Simulate `text` from 0 to t1 in `steps` intervals with `method`, rtol 1e-10 and
 * `atol`; every stage must succeed (asserted). */
void tc_test_sbml_simulate(tc_test_sbml_run *r, const char *text, double t1, size_t steps,
                           tc_method method, double atol);
/* The value of `id` in `form` at output row `row`. */
double tc_test_sbml_value(const tc_test_sbml_run *r, const char *id, tc_sbml_form form,
                          size_t row);
void tc_test_sbml_run_release(tc_test_sbml_run *r);

#endif
