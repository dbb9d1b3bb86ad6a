/* Reference solvers: SBML semantics the test suite exercises beyond plain ODEs
 * (values before the start for delays, ...). Loop index = tc_method. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
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

START_TEST(test_singular_constraints_fail_without_subnormal_steps)
{
    /* k z = 0 with k = 0 leaves z undetermined: the reduced Jacobian cannot be
     * formed at t = 0. The integrator must give up after a bounded number of
     * smaller steps, never shrinking the step into subnormal numbers. */
    tc_model *m = tc_model_new();
    tsv_var(m, "k", TC_VAR_PARAMETER, 0.0, 1);
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 2);
    tsv_var(m, "z", TC_VAR_ALGEBRAIC, 0.0, 3);
    tsv_rate(m, "x", "-x + z", 4);
    ck_assert_int_eq(tc_model_add_algebraic(m, tsv_expr("k * z"), (tc_origin){"t.xml", 5, NULL}),
                     0);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = TC_METHOD_BDF;
    tc_sim_result *r = NULL;
    int rc = tc_simulate(sys, &o, &r);
    const char *msg = tc_sim_result_message(r);
    ck_assert_msg(rc == TC_SOLVER_ECONV, "%s: %s", tc_solver_status_name(rc), msg);
    const char *h = strstr(msg, "h=");
    ck_assert_msg(h && strtod(h + 2, NULL) > 1e-300, "%s", msg);
    ck_assert_int_le(tc_sim_result_stats(r)->newton_failures, 10);
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_first_step_from_state_near_zero)
{
    /* y = 1e-16 at t0 = 5.3 (as after an event at y > 0 that y' = 1 crosses): a
     * rounding residue far below atol. The first step must not be scaled from that
     * size (it used to be 1e-16, below 16 ulp of t: a step-size underflow). */
    tc_model *m = tc_model_new();
    tsv_var(m, "y", TC_VAR_STATE, 1e-16, 1);
    tsv_rate(m, "y", "1", 2);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = (tc_method)_i;
    o.rtol = 1e-9;
    o.atol = 1e-14;
    o.t0 = 5.3;
    o.t1 = 22;
    o.n_steps = 10;
    tc_sim_result *r = NULL;
    int rc = tc_simulate(sys, &o, &r);
    ck_assert_msg(rc == 0, "%s", tc_sim_result_message(r));
    ck_assert_double_eq_tol(tsv_last(r, "y"), 16.7, 1e-9);
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_avogadro_is_the_sbml_value)
{
    /* SBML Level 3 fixes avogadro at 6.02214179e23 (CODATA 2006), not the 2019 SI
     * value 6.02214076e23: a - 6.0221e23 tells them apart (4.179e18 vs 4.076e18) */
    tc_model *m = tc_model_new();
    tsv_var(m, "a", TC_VAR_ASSIGNED, NAN, 1);
    tc_expr *e = tc_expr_new(TC_EXPR_MINUS);
    tc_expr_add(e, tc_expr_new(TC_EXPR_AVOGADRO));
    tc_expr_add(e, tc_expr_number(6.0221e23));
    ck_assert_int_eq(tc_model_add_assignment(m, "a", e, (tc_origin){"t.xml", 2, NULL}), 0);
    tc_sim_result *r = tsv_run(m, TC_METHOD_BDF, 1e-6, 1e-12, 1.0, 1);
    ck_assert_double_eq_tol(tsv_val(r, 0, "a"), 4.179e18, 1e9);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_steps_no_longer_than_the_delay)
{
    /* x' = 2t is integrated exactly with long steps; y = x(t - 0.1) = (t - 0.1)^2 must
     * come from accepted steps, not from extrapolating the last one linearly */
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 0.0, 1);
    tsv_var(m, "y", TC_VAR_ASSIGNED, NAN, 2);
    tsv_rate(m, "x", "2 * time", 3);
    tsv_assign(m, "y", "delay(x, 0.1)", 4);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-14, 1.0, 10);
    for (size_t i = 1; i <= 10; i++) {
        double t = tc_sim_result_time(r, i);
        ck_assert_msg(fabs(tsv_val(r, i, "y") - (t - 0.1) * (t - 0.1)) < 1e-8,
                      "y(%g) = %.10f, expected %.10f", t, tsv_val(r, i, "y"),
                      (t - 0.1) * (t - 0.1));
    }
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_event_assignment_factor_at_execution)
{
    /* a concentration set by a delayed event with values from the trigger time: the
     * amount is that concentration times the size when the event executes. V' = 1
     * from 1; the trigger at t = 1 schedules c := 2 for t = 2, when V = 3 */
    tc_model *m = tc_model_new();
    tsv_var(m, "V", TC_VAR_STATE, 1.0, 1);
    tsv_var(m, "amount", TC_VAR_PARAMETER, 0.0, 2);
    tsv_rate(m, "V", "1", 3);
    tc_event_spec spec = {.id = "e", .trigger = tsv_expr("time >= 1"), .delay = tsv_expr("1"),
                          .persistent = true, .initial_value = true,
                          .use_values_from_trigger_time = true};
    size_t k;
    ck_assert_int_eq(tc_model_add_event(m, &spec, (tc_origin){"t.xml", 4, "e"}, &k), 0);
    ck_assert_int_eq(tc_model_add_event_assignment_scaled(m, k, "amount", tsv_expr("2"),
                                                          tsv_expr("V"),
                                                          (tc_origin){"t.xml", 5, NULL}),
                     0);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 3.0, 3);
    ck_assert_double_eq(tsv_val(r, 1, "amount"), 0.0);
    ck_assert_double_eq_tol(tsv_val(r, 2, "amount"), 6.0, 1e-9);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_event_limit_is_per_instant)
{
    /* a clock event every 0.01 for 20 time units: 2000 executions, each at its own
     * time, are no runaway cascade even with max_events = 100 */
    tc_model *m = tc_model_new();
    tsv_var(m, "reset", TC_VAR_PARAMETER, 0.0, 1);
    tsv_var(m, "n", TC_VAR_PARAMETER, 0.0, 2);
    tc_event_spec spec = {.id = "tick", .trigger = tsv_expr("time - reset >= 0.01"),
                          .persistent = true, .initial_value = true};
    size_t k;
    ck_assert_int_eq(tc_model_add_event(m, &spec, (tc_origin){"t.xml", 3, "tick"}, &k), 0);
    ck_assert_int_eq(tc_model_add_event_assignment(m, k, "reset", tsv_expr("time"),
                                                   (tc_origin){"t.xml", 4, NULL}),
                     0);
    ck_assert_int_eq(
        tc_model_add_event_assignment(m, k, "n", tsv_expr("n + 1"), (tc_origin){"t.xml", 5, NULL}),
        0);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = (tc_method)_i;
    o.t1 = 20;
    o.n_steps = 2;
    o.max_events = 100;
    tc_sim_result *r = NULL;
    int rc = tc_simulate(sys, &o, &r);
    ck_assert_msg(rc == 0, "%s", tc_sim_result_message(r));
    ck_assert_double_eq_tol(tsv_last(r, "n"), 2000, 2);
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_trigger_window_between_samples)
{
    /* k' = 1 is integrated in a few long steps; 4.5 < k < 5.1 holds for 0.6 time
     * units, less than the spacing of the samples inside the last step: it is found
     * where its comparisons cross zero */
    tc_model *m = tc_model_new();
    tsv_var(m, "k", TC_VAR_STATE, 0.0, 1);
    tsv_var(m, "p", TC_VAR_PARAMETER, 0.0, 2);
    tsv_rate(m, "k", "1", 3);
    tc_expr *trigger = tc_expr_new(TC_EXPR_AND);
    tc_expr_add(trigger, tsv_expr("k > 4.5"));
    tc_expr_add(trigger, tsv_expr("k < 5.1"));
    tc_event_spec spec = {.id = "e", .trigger = trigger, .persistent = true,
                          .initial_value = true};
    size_t e;
    ck_assert_int_eq(tc_model_add_event(m, &spec, (tc_origin){"t.xml", 4, "e"}, &e), 0);
    ck_assert_int_eq(tc_model_add_event_assignment(m, e, "p", tsv_expr("time"),
                                                   (tc_origin){"t.xml", 5, NULL}),
                     0);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-14, 10.0, 10);
    ck_assert_msg(fabs(tsv_last(r, "p") - 4.5) < 1e-9, "fired at %.12g", tsv_last(r, "p"));
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
    tcase_add_test(tc, test_singular_constraints_fail_without_subnormal_steps);
    tcase_add_test(tc, test_avogadro_is_the_sbml_value);
    tcase_add_loop_test(tc, test_steps_no_longer_than_the_delay, 0, 2);
    tcase_add_loop_test(tc, test_event_assignment_factor_at_execution, 0, 2);
    tcase_add_loop_test(tc, test_event_limit_is_per_instant, 0, 2);
    tcase_add_loop_test(tc, test_trigger_window_between_samples, 0, 2);
    tcase_add_loop_test(tc, test_first_step_from_state_near_zero, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
