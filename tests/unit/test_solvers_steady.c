/* Steady-state solve: a model with a known equilibrium, one reaching it only through
 * an event, and an oscillator that has none (ENOSTEADY). Loop index = tc_method. */
#include <check.h>
#include <math.h>
#include <string.h>

#include "test_solvers.h"

static int steady(const tc_model *m, tc_method method, double t_cap, long max_steps,
                  tc_sim_result **r)
{
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = method;
    o.rtol = 1e-8;
    o.atol = 1e-12;
    o.t1 = t_cap;
    o.max_steps = max_steps;
    int rc = tc_steady_state(sys, &o, r);
    tc_system_free(sys);
    return rc;
}

START_TEST(test_steady_reversible_binding)
{
    /* A + B <-> C with kf 2, kr 1 from A 1, B 0.5, C 0: the equilibrium solves
     * 2 (1 - c)(0.5 - c) = c, that is 2 c^2 - 4 c + 1 = 0: c = 1 - sqrt(1/2) */
    tc_model *m = tc_model_new();
    tsv_var(m, "kf", TC_VAR_CONSTANT, 2.0, 1);
    tsv_var(m, "kr", TC_VAR_CONSTANT, 1.0, 2);
    tsv_var(m, "A", TC_VAR_STATE, 1.0, 3);
    tsv_var(m, "B", TC_VAR_STATE, 0.5, 4);
    tsv_var(m, "C", TC_VAR_STATE, 0.0, 5);
    tsv_var(m, "v", TC_VAR_ASSIGNED, 0.0, 6);
    tsv_assign(m, "v", "kf * A * B - kr * C", 7);
    tsv_rate(m, "A", "-v", 8);
    tsv_rate(m, "B", "-v", 9);
    tsv_rate(m, "C", "v", 10);
    tc_sim_result *r = NULL;
    int rc = steady(m, (tc_method)_i, 1e9, 100000, &r);
    ck_assert_msg(rc == 0, "status %s: %s", tc_solver_status_name(rc), tc_sim_result_message(r));
    ck_assert_uint_eq(tc_sim_result_rows(r), 1);
    double c = 1.0 - sqrt(0.5);
    ck_assert_double_eq_tol(tsv_last(r, "C"), c, 1e-6);
    ck_assert_double_eq_tol(tsv_last(r, "A"), 1.0 - c, 1e-6);
    ck_assert_double_eq_tol(tsv_last(r, "B"), 0.5 - c, 1e-6);
    /* assigned variables are evaluated at the steady state */
    ck_assert_double_eq_tol(tsv_last(r, "v"), 0.0, 1e-6);
    ck_assert(tc_sim_result_time(r, 0) > 0);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_steady_without_states)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "k", TC_VAR_CONSTANT, 3.0, 1);
    tsv_var(m, "y", TC_VAR_ASSIGNED, 0.0, 2);
    tsv_assign(m, "y", "2 * k", 3);
    tc_sim_result *r = NULL;
    ck_assert_int_eq(steady(m, (tc_method)_i, 100, 1000, &r), 0);
    ck_assert_uint_eq(tc_sim_result_rows(r), 1);
    ck_assert_double_eq(tsv_last(r, "y"), 6.0);
    ck_assert_double_eq(tc_sim_result_time(r, 0), 0.0);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_steady_oscillator_has_none)
{
    /* motion round the unit circle at unit speed: every state oscillates and the
     * rates never vanish, not even where Newton's method might go */
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_var(m, "y", TC_VAR_STATE, 0.0, 2);
    tsv_rate(m, "x", "-y / (x^2 + y^2)^0.5", 3);
    tsv_rate(m, "y", "x / (x^2 + y^2)^0.5", 4);
    tc_sim_result *r = NULL;
    ck_assert_int_eq(steady(m, (tc_method)_i, 1e9, 5000, &r), TC_SOLVER_ENOSTEADY);
    ck_assert_str_eq(tc_solver_status_name(TC_SOLVER_ENOSTEADY), "ENOSTEADY");
    ck_assert_int_eq(tc_sim_result_status(r), TC_SOLVER_ENOSTEADY);
    const char *msg = tc_sim_result_message(r);
    ck_assert_msg(strstr(msg, "no steady state reached by t=") && strstr(msg, "5000 steps") &&
                      (strstr(msg, "in 'x'") || strstr(msg, "in 'y'")),
                  "message: %s", msg);
    ck_assert(tc_sim_result_fail_time(r) > 0);
    ck_assert_uint_eq(tc_sim_result_rows(r), 0);
    tc_sim_result_free(r);
    /* ... and by a time cap before the step limit */
    ck_assert_int_eq(steady(m, (tc_method)_i, 50, 100000, &r), TC_SOLVER_ENOSTEADY);
    ck_assert_double_eq(tc_sim_result_fail_time(r), 50);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_steady_unstable_by_newton)
{
    /* the harmonic oscillator circles its equilibrium (0, 0) for ever: the
     * integration does not settle, Newton's method finds the point */
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_var(m, "v", TC_VAR_STATE, 0.0, 2);
    tsv_rate(m, "x", "v - 0.5", 3);
    tsv_rate(m, "v", "-x", 4);
    tc_sim_result *r = NULL;
    int rc = steady(m, (tc_method)_i, 1e9, 2000, &r);
    ck_assert_msg(rc == 0, "status %s: %s", tc_solver_status_name(rc), tc_sim_result_message(r));
    ck_assert_uint_eq(tc_sim_result_rows(r), 1);
    ck_assert_double_eq_tol(tsv_last(r, "x"), 0.0, 1e-9);
    ck_assert_double_eq_tol(tsv_last(r, "v"), 0.5, 1e-9);
    ck_assert_ptr_nonnull(strstr(tc_sim_result_message(r), "Newton's method"));
    ck_assert_ptr_nonnull(strstr(tc_sim_result_message(r), "2000 steps"));
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_steady_bad_cap)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_rate(m, "x", "-x", 2);
    tc_sim_result *r = NULL;
    ck_assert_int_eq(steady(m, (tc_method)_i, 0, 1000, &r), TC_SOLVER_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(tc_solver_error(), "time cap"));
    tc_model_free(m);
}
END_TEST

Suite *solvers_steady_suite(void)
{
    Suite *s = suite_create("solvers_steady");
    TCase *tc = tcase_create("steady");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_steady_reversible_binding, 0, 2);
    tcase_add_loop_test(tc, test_steady_without_states, 0, 2);
    tcase_add_loop_test(tc, test_steady_oscillator_has_none, 0, 2);
    tcase_add_loop_test(tc, test_steady_unstable_by_newton, 0, 2);
    tcase_add_loop_test(tc, test_steady_bad_cap, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
