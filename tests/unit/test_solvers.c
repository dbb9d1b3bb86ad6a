/* Reference solvers on problems with analytic or well-known answers, for both
 * integrator families where they apply (loop index = tc_method). */
#include <check.h>
#include <math.h>
#include <string.h>

#include "test_solvers.h"

static const char *method_name(int i)
{
    return i == TC_METHOD_BDF ? "BDF" : "DOPRI5";
}

START_TEST(test_exponential_decay)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "k", TC_VAR_CONSTANT, 0.5, 2);
    tsv_var(m, "x", TC_VAR_STATE, 2.0, 3);
    tsv_rate(m, "x", "-k * x", 4);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-8, 1e-12, 10.0, 100);
    double worst = 0;
    for (size_t i = 0; i <= 100; i++) {
        double t = tc_sim_result_time(r, i), exact = 2.0 * exp(-0.5 * t);
        ck_assert_double_eq_tol(t, 0.1 * (double)i, 1e-12);
        worst = fmax(worst, fabs(tsv_val(r, i, "x") - exact) / exact);
    }
    ck_assert_msg(worst < 1e-5, "%s: relative error %g", method_name(_i), worst);
    ck_assert_double_eq(tsv_val(r, 0, "k"), 0.5);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_harmonic_oscillator_long)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_var(m, "v", TC_VAR_STATE, 0.0, 2);
    tsv_rate(m, "x", "v", 3);
    tsv_rate(m, "v", "-x", 4);
    /* 100 time units, about 16 periods */
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-10, 1e-12, 100.0, 1000);
    double worst = 0;
    for (size_t i = 0; i <= 1000; i++) {
        double t = tc_sim_result_time(r, i);
        worst = fmax(worst, fabs(tsv_val(r, i, "x") - cos(t)));
        worst = fmax(worst, fabs(tsv_val(r, i, "v") + sin(t)));
    }
    ck_assert_msg(worst < (_i == TC_METHOD_BDF ? 1e-5 : 1e-7), "%s: error %g", method_name(_i),
                  worst);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_logistic_growth)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "r", TC_VAR_CONSTANT, 1.0, 1);
    tsv_var(m, "K", TC_VAR_CONSTANT, 10.0, 2);
    tsv_var(m, "N", TC_VAR_STATE, 0.1, 3);
    tsv_rate(m, "N", "r * N * (1 - N / K)", 4);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-8, 1e-10, 15.0, 150);
    double worst = 0;
    for (size_t i = 0; i <= 150; i++) {
        double t = tc_sim_result_time(r, i), exact = 10.0 / (1.0 + 99.0 * exp(-t));
        worst = fmax(worst, fabs(tsv_val(r, i, "N") - exact) / exact);
    }
    ck_assert_msg(worst < 1e-5, "%s: relative error %g", method_name(_i), worst);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

static tc_model *robertson(void)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "y1", TC_VAR_STATE, 1.0, 1);
    tsv_var(m, "y2", TC_VAR_STATE, 0.0, 2);
    tsv_var(m, "y3", TC_VAR_STATE, 0.0, 3);
    tsv_rate(m, "y1", "-0.04 * y1 + 1e4 * y2 * y3", 4);
    tsv_rate(m, "y2", "0.04 * y1 - 1e4 * y2 * y3 - 3e7 * y2^2", 5);
    tsv_rate(m, "y3", "3e7 * y2^2", 6);
    return m;
}

START_TEST(test_robertson_bdf)
{
    tc_model *m = robertson();
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    ck_assert(tc_system_has_symbolic_jacobian(sys));
    static const double times[] = {0.4, 40.0, 4e5};
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.rtol = 1e-6;
    o.atol = 1e-14;
    o.times = times;
    o.n_times = 3;
    tc_sim_result *r = NULL;
    ck_assert_msg(tc_simulate(sys, &o, &r) == 0, "%s", tc_solver_error());
    /* t = 0.4 and 40: the well-known reference values (Hairer and Wanner's test set) */
    ck_assert_double_eq_tol(tsv_val(r, 0, "y1"), 0.98517211, 1e-7);
    ck_assert_double_eq_tol(tsv_val(r, 1, "y1"), 0.7158270687, 1e-6);
    ck_assert_double_eq_tol(tsv_val(r, 1, "y2") / 9.185534765e-6, 1.0, 1e-5);
    ck_assert_double_eq_tol(tsv_val(r, 1, "y3"), 0.2841637457, 1e-6);
    /* t = 4e5: the values printed by the LSODE and CVODE examples (run at rtol
     * 1e-4, so good to about three digits), and mass conservation */
    ck_assert_double_eq_tol(tsv_val(r, 2, "y1") / 4.9364e-3, 1.0, 2e-3);
    ck_assert_double_eq_tol(tsv_val(r, 2, "y2") / 1.9842e-8, 1.0, 2e-3);
    ck_assert_double_eq_tol(tsv_val(r, 2, "y3"), 0.99506, 1e-4);
    for (size_t i = 0; i < 3; i++)
        ck_assert_double_eq_tol(tsv_val(r, i, "y1") + tsv_val(r, i, "y2") + tsv_val(r, i, "y3"),
                                1.0, 1e-9);
    const tc_sim_stats *s = tc_sim_result_stats(r);
    ck_assert_int_lt(s->steps, 2000); /* a stiff solver takes few steps here */
    ck_assert_int_gt(s->lu_factorisations, 0);
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_dopri5_stiff_stops_at_step_cap)
{
    tc_model *m = robertson();
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = TC_METHOD_DOPRI5;
    o.t1 = 4e5;
    o.n_steps = 10;
    o.max_steps = 20000;
    tc_sim_result *r = NULL;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), TC_SOLVER_ESTEPS);
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(tc_sim_result_status(r), TC_SOLVER_ESTEPS);
    const char *msg = tc_sim_result_message(r);
    ck_assert_msg(strstr(msg, "step limit 20000 reached at t=") != NULL, "%s", msg);
    ck_assert_msg(strstr(msg, "stiff") != NULL, "%s", msg);
    ck_assert(tc_sim_result_fail_time(r) > 0 && tc_sim_result_fail_time(r) < 4e5);
    ck_assert_int_eq(tc_sim_result_stats(r)->steps, 20000);
    ck_assert_uint_ge(tc_sim_result_rows(r), 1); /* the rows before the failure are kept */
    ck_assert_str_eq(tc_solver_status_name(tc_sim_result_status(r)), "ESTEPS");
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_van_der_pol_stiff_bdf)
{
    /* y1'' - mu (1 - y1^2) y1' + y1 = 0, mu = 1000, from (2, 0): the slow branch
     * takes about mu (3/2 - ln 2) to reach the fold at y1 = 1, then y1 jumps to
     * about -2 (relaxation oscillation, period mu (3 - 2 ln 2)); the event
     * records the first time y1 < 0. */
    tc_model *m = tc_model_new();
    tsv_var(m, "mu", TC_VAR_CONSTANT, 1000.0, 1);
    tsv_var(m, "y1", TC_VAR_STATE, 2.0, 2);
    tsv_var(m, "y2", TC_VAR_STATE, 0.0, 3);
    tsv_var(m, "tz", TC_VAR_PARAMETER, -1.0, 4);
    tsv_rate(m, "y1", "y2", 5);
    tsv_rate(m, "y2", "mu * (1 - y1^2) * y2 - y1", 6);
    size_t ev;
    tc_event_spec spec = {
        .id = "crossing", .trigger = tsv_expr("y1 < 0"), .persistent = true, .initial_value = true};
    ck_assert_int_eq(tc_model_add_event(m, &spec, (tc_origin){"t.xml", 7, "crossing"}, &ev), 0);
    ck_assert_int_eq(tc_model_add_event_assignment(m, ev, "tz",
                                                   tsv_expr("piecewise(time, tz < 0, tz)"),
                                                   (tc_origin){"t.xml", 8, NULL}),
                     0);
    tc_sim_result *r = tsv_run(m, TC_METHOD_BDF, 1e-6, 1e-8, 3000.0, 300);
    double tz = tsv_last(r, "tz");
    ck_assert_msg(fabs(tz - 1000.0 * (1.5 - log(2.0))) < 5.0, "first crossing at %g", tz);
    for (size_t i = 0; i <= 300; i++)
        ck_assert(fabs(tsv_val(r, i, "y1")) < 2.1);
    /* sign of y1 over the half-periods of about 807 */
    ck_assert(tsv_val(r, 120, "y1") < -1.0);
    ck_assert(tsv_val(r, 200, "y1") > 1.0);
    ck_assert(tsv_val(r, 280, "y1") < -1.0);
    ck_assert_int_lt(tc_sim_result_stats(r)->steps, 5000);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_discontinuous_rhs)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 0.0, 1);
    tsv_rate(m, "x", "piecewise(1, time < 1, -1)", 2);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-8, 1e-10, 2.0, 20);
    for (size_t i = 0; i <= 20; i++) {
        double t = tc_sim_result_time(r, i), exact = t < 1 ? t : 2 - t;
        ck_assert_msg(fabs(tsv_val(r, i, "x") - exact) < 1e-6, "%s: x(%g) = %g", method_name(_i), t,
                      tsv_val(r, i, "x"));
    }
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_assignment_chain)
{
    /* declared out of order: a uses b, b uses c, c uses x */
    tc_model *m = tc_model_new();
    tsv_var(m, "a", TC_VAR_ASSIGNED, NAN, 1);
    tsv_var(m, "b", TC_VAR_ASSIGNED, NAN, 2);
    tsv_var(m, "c", TC_VAR_ASSIGNED, NAN, 3);
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 4);
    tsv_assign(m, "a", "2 * b", 5);
    tsv_assign(m, "b", "c + 1", 6);
    tsv_assign(m, "c", "x", 7);
    tsv_rate(m, "x", "-a", 8);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 2.0, 20);
    for (size_t i = 0; i <= 20; i++) {
        double t = tc_sim_result_time(r, i), x = -1.0 + 2.0 * exp(-2.0 * t);
        ck_assert_double_eq_tol(tsv_val(r, i, "x"), x, 1e-6);
        ck_assert_double_eq_tol(tsv_val(r, i, "c"), x, 1e-6);
        ck_assert_double_eq_tol(tsv_val(r, i, "a"), 2 * (x + 1), 1e-6);
    }
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_function_inlined_and_rate_of)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_var(m, "s", TC_VAR_ASSIGNED, NAN, 2);
    tsv_var(m, "z", TC_VAR_STATE, 0.0, 3);
    ck_assert_int_eq(tc_model_add_function(m, "decay", tsv_expr("lambda(k, y, -k * y)"),
                                           (tc_origin){"t.xml", 4, "decay"}),
                     0);
    tsv_rate(m, "x", "decay(0.5, x)", 5);
    tsv_assign(m, "s", "x^2", 6);
    /* z follows the rate of s: z = s - 1 */
    tsv_rate(m, "z", "rateOf(s)", 7);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 2.0, 4);
    for (size_t i = 0; i <= 4; i++) {
        double t = tc_sim_result_time(r, i), x = exp(-0.5 * t);
        ck_assert_double_eq_tol(tsv_val(r, i, "x"), x, 1e-7);
        ck_assert_double_eq_tol(tsv_val(r, i, "z"), x * x - 1, 1e-7);
    }
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_symbolic_jacobian_matches_differences)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "a", TC_VAR_STATE, 0.7, 1);
    tsv_var(m, "b", TC_VAR_STATE, 1.3, 2);
    tsv_var(m, "w", TC_VAR_ASSIGNED, NAN, 3);
    tsv_assign(m, "w", "sin(a) * exp(b) / (1 + a^2)", 4);
    tsv_rate(m, "a", "w - b^3 + log(10, b) + abs(a - 2)", 5);
    tsv_rate(m, "b", "max(a, b) * root(2, b) + a^b + tanh(a * b) + arctan(b)", 6);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    ck_assert(tc_system_has_symbolic_jacobian(sys));
    double y[2] = {0.7, 1.3}, J[4], f0[2], f1[2];
    ck_assert_int_eq(tc_system_jacobian(sys, 0.0, y, J), 0);
    ck_assert_int_eq(tc_system_rhs(sys, 0.0, y, f0), 0);
    for (int j = 0; j < 2; j++) {
        double yp[2] = {y[0], y[1]}, h = 1e-6;
        yp[j] += h;
        tc_system_rhs(sys, 0.0, yp, f1);
        for (int i = 0; i < 2; i++)
            ck_assert_msg(fabs(J[i + 2 * j] - (f1[i] - f0[i]) / h) < 1e-4, "J[%d][%d] %g vs %g", i,
                          j, J[i + 2 * j], (f1[i] - f0[i]) / h);
    }
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_output_list_and_bad_options)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_rate(m, "x", "-x", 2);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    static const double times[] = {0.0, 0.25, 0.25, 3.0};
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.times = times;
    o.n_times = 4;
    o.method = (tc_method)_i;
    tc_sim_result *r = NULL;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), 0);
    ck_assert_uint_eq(tc_sim_result_rows(r), 4);
    for (size_t i = 0; i < 4; i++)
        ck_assert_double_eq_tol(tsv_val(r, i, "x"), exp(-times[i]), 1e-5);
    tc_sim_result_free(r);

    static const double bad[] = {1.0, 0.5};
    o.times = bad;
    o.n_times = 2;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), TC_SOLVER_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_msg(strstr(tc_solver_error(), "output time 2 (0.5)") != NULL, "%s",
                  tc_solver_error());
    o.times = NULL;
    o.rtol = 0;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), TC_SOLVER_EINVAL);
    ck_assert_ptr_null(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

Suite *solvers_suite(void)
{
    Suite *s = suite_create("solvers");
    TCase *tc = tcase_create("ode");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_exponential_decay, 0, 2);
    tcase_add_loop_test(tc, test_harmonic_oscillator_long, 0, 2);
    tcase_add_loop_test(tc, test_logistic_growth, 0, 2);
    tcase_add_test(tc, test_robertson_bdf);
    tcase_add_test(tc, test_dopri5_stiff_stops_at_step_cap);
    tcase_add_test(tc, test_van_der_pol_stiff_bdf);
    tcase_add_loop_test(tc, test_discontinuous_rhs, 0, 2);
    tcase_add_loop_test(tc, test_assignment_chain, 0, 2);
    tcase_add_loop_test(tc, test_function_inlined_and_rate_of, 0, 2);
    tcase_add_test(tc, test_symbolic_jacobian_matches_differences);
    tcase_add_loop_test(tc, test_output_list_and_bad_options, 0, 2);
    suite_add_tcase(s, tc);
    return s;
}
