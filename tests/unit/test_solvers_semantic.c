/* Reference solvers: SBML semantics the test suite exercises beyond plain ODEs
 * (values before the start for delays, ...). Loop index = tc_method. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "test_solvers.h"

START_TEST(test_delay_reads_initial_assignments_before_start)
{
    /* x := sin(10 t) initially, then x' = 1: before t0 a delayed x reads the initial
     * assignment at the past time, and rateOf is 0 there (nothing changes yet) */
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, NAN, 1);
    tsv_var(m, "y", TC_VAR_ASSIGNED, NAN, 2);
    tsv_var(m, "p", TC_VAR_ASSIGNED, NAN, 3);
    tsv_rate(m, "x", "1", 4);
    ck_assert_int_eq(tc_model_add_initial_assignment(m, "x", tsv_expr("sin(10 * time)"),
                                                     (tc_origin){"t.xml", 5, NULL}),
                     0);
    tsv_assign(m, "y", "delay(x, 0.2)", 6);
    tsv_assign(m, "p", "delay(rateOf(x), 1)", 7);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 2.0, 20);
    for (size_t i = 0; i <= 20; i++) {
        double t = tc_sim_result_time(r, i);
        double y = t < 0.2 ? sin(10 * (t - 0.2)) : t - 0.2, p = t < 1 ? 0 : 1;
        ck_assert_msg(fabs(tsv_val(r, i, "y") - y) < 1e-6, "y(%g) = %.9f, expected %.9f", t,
                      tsv_val(r, i, "y"), y);
        ck_assert_msg(fabs(tsv_val(r, i, "p") - p) < 1e-6, "p(%g) = %.9f, expected %g", t,
                      tsv_val(r, i, "p"), p);
    }
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

Suite *solvers_semantic_suite(void)
{
    Suite *s = suite_create("solvers_semantic");
    TCase *tc = tcase_create("semantic");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_delay_reads_initial_assignments_before_start, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
