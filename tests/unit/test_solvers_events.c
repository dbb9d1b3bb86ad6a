/* Reference solvers: events, delays, algebraic constraints and reported
 * failures (loop index = tc_method where both integrators apply). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "test_solvers.h"

static size_t add_event(tc_model *m, const char *id, const char *trigger, long line,
                        tc_event_spec spec)
{
    spec.id = id;
    spec.trigger = tsv_expr(trigger);
    size_t k;
    ck_assert_msg(tc_model_add_event(m, &spec, (tc_origin){"t.xml", line, id}, &k) == 0, "%s",
                  tc_solver_error());
    return k;
}

static void add_assign(tc_model *m, size_t ev, const char *var, const char *rhs)
{
    ck_assert_msg(tc_model_add_event_assignment(m, ev, var, tsv_expr(rhs),
                                                (tc_origin){"t.xml", 0, NULL}) == 0,
                  "%s", tc_solver_error());
}

START_TEST(test_bouncing_ball)
{
    /* dropped from 10 m, restitution 0.8: impacts at t1 = sqrt(2 h0 / g), then
     * every 2 e^k t1 later */
    const double g = 9.81, e = 0.8, t1 = sqrt(2 * 10.0 / g);
    tc_model *m = tc_model_new();
    tsv_var(m, "h", TC_VAR_STATE, 10.0, 1);
    tsv_var(m, "v", TC_VAR_STATE, 0.0, 2);
    tsv_var(m, "bounces", TC_VAR_PARAMETER, 0.0, 3);
    tsv_var(m, "last", TC_VAR_PARAMETER, 0.0, 4);
    tsv_rate(m, "h", "v", 5);
    tsv_rate(m, "v", "-9.81", 6);
    size_t ev = add_event(m, "impact", "h < 0", 7, (tc_event_spec){.persistent = true});
    add_assign(m, ev, "v", "-0.8 * v");
    add_assign(m, ev, "h", "0");
    add_assign(m, ev, "bounces", "bounces + 1");
    add_assign(m, ev, "last", "time");
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 6.0, 600);
    double impacts[4] = {t1, t1 + 2 * e * t1, t1 + 2 * e * t1 + 2 * e * e * t1};
    ck_assert_double_eq(tsv_last(r, "bounces"), 3.0);
    ck_assert_msg(fabs(tsv_last(r, "last") - impacts[2]) < 1e-6, "third impact %.9f vs %.9f",
                  tsv_last(r, "last"), impacts[2]);
    /* the height between impacts is a parabola */
    for (size_t i = 0; i <= 600; i++) {
        double t = tc_sim_result_time(r, i), exact;
        if (t < impacts[0]) {
            exact = 10.0 - 0.5 * g * t * t;
        } else {
            int k = t < impacts[1] ? 0 : t < impacts[2] ? 1 : 2;
            double v0 = g * t1 * pow(e, k + 1), s = t - impacts[k];
            exact = v0 * s - 0.5 * g * s * s;
        }
        ck_assert_msg(fabs(tsv_val(r, i, "h") - exact) < 1e-5, "h(%g) = %.9f, expected %.9f", t,
                      tsv_val(r, i, "h"), exact);
    }
    ck_assert_int_ge(tc_sim_result_stats(r)->roots_found, 3);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_trigger_true_briefly_within_a_step)
{
    /* y' = -1 from 10 takes long steps; the trigger 3 <= y <= 4.3 holds only for
     * t in [5.7, 7], shorter than a step, and must still fire (y := 10 at 5.7) */
    tc_model *m = tc_model_new();
    tsv_var(m, "y", TC_VAR_STATE, 10.0, 1);
    tsv_var(m, "fired", TC_VAR_PARAMETER, 0.0, 2);
    tsv_rate(m, "y", "-1", 3);
    tc_expr *trigger = tc_expr_new(TC_EXPR_AND);
    tc_expr_add(trigger, tsv_expr("y <= 4.3"));
    tc_expr_add(trigger, tsv_expr("y >= 3"));
    size_t k;
    tc_event_spec spec = {.id = "e", .trigger = trigger, .persistent = true,
                          .initial_value = true};
    ck_assert_int_eq(tc_model_add_event(m, &spec, (tc_origin){"t.xml", 4, "e"}, &k), 0);
    add_assign(m, k, "y", "10");
    add_assign(m, k, "fired", "time");
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-6, 1e-9, 10.0, 2);
    ck_assert_msg(fabs(tsv_last(r, "fired") - 5.7) < 1e-6, "fired at %g", tsv_last(r, "fired"));
    ck_assert_msg(fabs(tsv_last(r, "y") - 5.7) < 1e-6, "y(10) = %g", tsv_last(r, "y"));
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_delay_differential_equation)
{
    /* y' = -y(t - 1), y = 1 for t <= 0: y = 1 - t on [0, 1],
     * 1 - t + (t-1)^2/2 on [1, 2], and y(3) = -1/6 */
    tc_model *m = tc_model_new();
    tsv_var(m, "y", TC_VAR_STATE, 1.0, 1);
    tsv_rate(m, "y", "-delay(y, 1)", 2);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 3.0, 30);
    for (size_t i = 0; i <= 20; i++) {
        double t = tc_sim_result_time(r, i);
        double exact = t <= 1 ? 1 - t : 1 - t + 0.5 * (t - 1) * (t - 1);
        ck_assert_msg(fabs(tsv_val(r, i, "y") - exact) < 1e-5, "y(%g) = %.9f, expected %.9f", t,
                      tsv_val(r, i, "y"), exact);
    }
    ck_assert_double_eq_tol(tsv_last(r, "y"), -1.0 / 6.0, 1e-5);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_index1_dae_conservation)
{
    /* A <-> B with exp(A + B) = e (that is A + B = 1) as a constraint: B is algebraic. The reduced
     * equation A' = k2 - (k1 + k2) A has A = Ainf + (A0 - Ainf) exp(-(k1+k2) t). */
    tc_model *m = tc_model_new();
    tsv_var(m, "k1", TC_VAR_CONSTANT, 2.0, 1);
    tsv_var(m, "k2", TC_VAR_CONSTANT, 1.0, 2);
    tsv_var(m, "A", TC_VAR_STATE, 1.0, 3);
    tsv_var(m, "B", TC_VAR_ALGEBRAIC, NAN, 4);
    tsv_var(m, "total", TC_VAR_ASSIGNED, NAN, 5);
    tsv_assign(m, "total", "A + B", 6);
    tsv_rate(m, "A", "-k1 * A + k2 * B", 7);
    ck_assert_int_eq(
        tc_model_add_algebraic(m, tsv_expr("exp(A + B) - exp(1)"), (tc_origin){"t.xml", 8, NULL}),
        0);
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 3.0, 30);
    for (size_t i = 0; i <= 30; i++) {
        double t = tc_sim_result_time(r, i), ainf = 1.0 / 3.0;
        double a = ainf + (1.0 - ainf) * exp(-3.0 * t);
        ck_assert_double_eq_tol(tsv_val(r, i, "A"), a, 1e-6);
        ck_assert_double_eq_tol(tsv_val(r, i, "B"), 1 - a, 1e-6);
        ck_assert_double_eq_tol(tsv_val(r, i, "total"), 1.0, 1e-9);
    }
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

/* x' = 1 from 0; an event at time >= 1 with a delay of 1 copies x into p. */
static tc_model *delayed_copy(bool from_trigger_time)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 0.0, 1);
    tsv_var(m, "p", TC_VAR_PARAMETER, -1.0, 2);
    tsv_rate(m, "x", "1", 3);
    size_t ev = add_event(m, "copy", "time >= 1", 4,
                          (tc_event_spec){.delay = tsv_expr("1"),
                                          .persistent = true,
                                          .use_values_from_trigger_time = from_trigger_time});
    add_assign(m, ev, "p", "x");
    return m;
}

START_TEST(test_event_delay_and_values_from_trigger_time)
{
    for (int from = 0; from <= 1; from++) {
        tc_model *m = delayed_copy(from);
        tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-8, 1e-12, 3.0, 30);
        ck_assert_double_eq(tsv_val(r, 19, "p"), -1.0);                       /* t = 1.9: not yet */
        ck_assert_double_eq_tol(tsv_val(r, 20, "p"), from ? 1.0 : 2.0, 1e-7); /* t = 2 */
        ck_assert_double_eq_tol(tsv_last(r, "p"), from ? 1.0 : 2.0, 1e-7);
        tc_sim_result_free(r);
        tc_model_free(m);
    }
}
END_TEST

START_TEST(test_event_persistence)
{
    /* true on [1, 1.5), delay 1: a non-persistent event is cancelled at 1.5 */
    for (int persistent = 0; persistent <= 1; persistent++) {
        tc_model *m = tc_model_new();
        tsv_var(m, "p", TC_VAR_PARAMETER, 0.0, 1);
        size_t ev = add_event(m, "window", "and(time >= 1, time < 1.5)", 2,
                              (tc_event_spec){.delay = tsv_expr("1"), .persistent = persistent});
        add_assign(m, ev, "p", "time");
        tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-8, 1e-12, 3.0, 3);
        ck_assert_double_eq_tol(tsv_last(r, "p"), persistent ? 2.0 : 0.0, 1e-9);
        tc_sim_result_free(r);
        tc_model_free(m);
    }
}
END_TEST

static double final_q(double prio_a, double prio_b, uint64_t seed, tc_method method)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "q", TC_VAR_PARAMETER, 0.0, 1);
    size_t a = add_event(m, "A", "time >= 1", 2,
                         (tc_event_spec){.priority = tc_expr_number(prio_a), .persistent = true});
    add_assign(m, a, "q", "1");
    size_t b = add_event(m, "B", "time >= 1", 3,
                         (tc_event_spec){.priority = tc_expr_number(prio_b), .persistent = true});
    add_assign(m, b, "q", "2");
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = method;
    o.t1 = 2;
    o.n_steps = 2;
    o.seed = seed;
    tc_sim_result *r = NULL;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), 0);
    ck_assert_int_eq(tc_sim_result_stats(r)->events_fired, 2);
    double q = tsv_last(r, "q");
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
    return q;
}

START_TEST(test_event_priorities_and_seeded_ties)
{
    tc_method me = (tc_method)_i;
    /* the higher priority fires first; the other one's value stays */
    ck_assert_double_eq(final_q(10, 5, 1, me), 2.0);
    ck_assert_double_eq(final_q(5, 10, 1, me), 1.0);
    /* equal priorities: the order depends on the seed only */
    bool seen[3] = {false};
    for (uint64_t seed = 1; seed <= 16; seed++) {
        double q = final_q(3, 3, seed, me);
        ck_assert(q == 1.0 || q == 2.0);
        ck_assert_double_eq(final_q(3, 3, seed, me), q);
        seen[(int)q] = true;
    }
    ck_assert_msg(seen[1] && seen[2], "ties were always broken the same way");
}
END_TEST

/* Three events at t = 1 with equal priorities, each appending its digit to q: the
 * final q spells the order they executed in (123, 132, ... 321). */
static tc_system *three_ties(tc_model **m)
{
    *m = tc_model_new();
    tsv_var(*m, "q", TC_VAR_PARAMETER, 0.0, 1);
    const char *ids[] = {"A", "B", "C"}, *rhs[] = {"10 * q + 1", "10 * q + 2", "10 * q + 3"};
    for (int k = 0; k < 3; k++) {
        size_t ev = add_event(*m, ids[k], "time >= 1", 2 + k,
                              (tc_event_spec){.priority = tc_expr_number(7), .persistent = true});
        add_assign(*m, ev, "q", rhs[k]);
    }
    tc_system *sys = NULL;
    ck_assert_msg(tc_system_new(&sys, *m) == 0, "%s", tc_solver_error());
    return sys;
}

static int tie_order(tc_system *sys, uint64_t seed, tc_method method)
{
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = method;
    o.t1 = 2;
    o.n_steps = 1;
    o.seed = seed;
    tc_sim_result *r = NULL;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), 0);
    ck_assert_int_eq(tc_sim_result_stats(r)->events_fired, 3);
    int q = (int)tsv_last(r, "q");
    tc_sim_result_free(r);
    return q;
}

START_TEST(test_event_ties_uniform_over_seeds)
{
    tc_method me = (tc_method)_i;
    tc_model *m = NULL;
    tc_system *sys = three_ties(&m);
    const int orders[6] = {123, 132, 213, 231, 312, 321};
    int count[6] = {0};
    const int runs = 300;
    for (int seed = 0; seed < runs; seed++) {
        int q = tie_order(sys, (uint64_t)seed, me);
        int which = -1;
        for (int k = 0; k < 6; k++)
            if (q == orders[k])
                which = k;
        ck_assert_msg(which >= 0, "seed %d: q = %d is no order of three events", seed, q);
        count[which]++;
        /* reproducible: the same seed on the same (reused) system, the same order */
        ck_assert_int_eq(tie_order(sys, (uint64_t)seed, me), q);
    }
    /* every order is reachable, none favoured: 50 expected of each, and with a fair
     * choice all six counts lie in [25, 75] with probability 0.9994 */
    for (int k = 0; k < 6; k++)
        ck_assert_msg(count[k] >= 25 && count[k] <= 75, "order %d came %d times in %d runs",
                      orders[k], count[k], runs);
    /* the default options' seed is 1 */
    tc_sim_options d = TC_SIM_OPTIONS_INIT;
    ck_assert_uint_eq(d.seed, 1);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

/* Two events with the same trigger, priority and delay, each disabling the other
 * when it executes (non-persistent): every 0.01 one of them fires, chosen at random,
 * and counts in Q or R (as in SBML Test Suite cases 01590 and 01593). */
static tc_model *alternating(void)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "Q", TC_VAR_PARAMETER, 0.0, 1);
    tsv_var(m, "R", TC_VAR_PARAMETER, 0.0, 2);
    tsv_var(m, "reset", TC_VAR_PARAMETER, 0.0, 3);
    const char *ids[] = {"Qinc", "Rinc"}, *vars[] = {"Q", "R"}, *rhs[] = {"Q + 1", "R + 1"};
    for (int k = 0; k < 2; k++) {
        size_t ev = add_event(m, ids[k], "time - reset >= 0.005", 4 + k,
                              (tc_event_spec){.delay = tsv_expr("0.005"),
                                              .priority = tc_expr_number(1),
                                              .persistent = false});
        add_assign(m, ev, "reset", "time");
        add_assign(m, ev, vars[k], rhs[k]);
    }
    return m;
}

START_TEST(test_alternating_events_balanced_and_cheap)
{
    tc_model *m = alternating();
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = (tc_method)_i;
    o.t1 = 20.005; /* events at 0.01, 0.02, ... 20.00 */
    o.n_steps = 4;
    o.rtol = 1e-9;
    o.atol = 1e-14;
    double first_q = -1;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        o.seed = seed;
        tc_sim_result *r = NULL;
        ck_assert_msg(tc_simulate(sys, &o, &r) == 0, "%s", tc_sim_result_message(r));
        double q = tsv_last(r, "Q"), rr = tsv_last(r, "R");
        const tc_sim_stats *st = tc_sim_result_stats(r);
        /* exactly one of the two each time, and the last at 20.00 */
        ck_assert_double_eq(q + rr, 2000);
        ck_assert_int_eq(st->events_fired, 2000);
        ck_assert_double_eq_tol(tsv_last(r, "reset"), 20.0, 1e-9);
        /* 500 by t = 5.00125 (row 1): the first one is at 0.01 */
        ck_assert_double_eq(tsv_val(r, 1, "Q") + tsv_val(r, 1, "R"), 500);
        /* a fair coin: |Q - R| is about sqrt(2000) = 45; 200 is 4.5 standard deviations */
        ck_assert_msg(fabs(q - rr) < 200, "seed %llu: Q %g, R %g", (unsigned long long)seed, q, rr);
        /* an event restart costs a step to the trigger and one to the delayed execution
         * (a model without states keeps its slice across restarts, not 64 slices of 0.005) */
        ck_assert_msg(st->steps <= 2 * 2000 + 10, "seed %llu: %ld steps for 2000 events",
                      (unsigned long long)seed, st->steps);
        if (seed == 1)
            first_q = q;
        else if (q != first_q)
            first_q = -2; /* another seed, another sequence */
        tc_sim_result_free(r);
    }
    ck_assert_msg(first_q == -2, "three seeds gave the same sequence");
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_delay_sees_event_changed_values)
{
    /* p jumps from 0 to 5 and x (x' = 1) from t back to 0 at t = 1; half a time unit
     * later the delayed values still see the old ones */
    tc_model *m = tc_model_new();
    tsv_var(m, "p", TC_VAR_PARAMETER, 0.0, 1);
    tsv_var(m, "x", TC_VAR_STATE, 0.0, 2);
    tsv_rate(m, "x", "1", 2);
    tsv_var(m, "dp", TC_VAR_ASSIGNED, 0.0, 3);
    tsv_assign(m, "dp", "delay(p, 0.5)", 3);
    tsv_var(m, "dx", TC_VAR_ASSIGNED, 0.0, 4);
    tsv_assign(m, "dx", "delay(x, 0.5)", 4);
    size_t ev = add_event(m, "jump", "time >= 1", 5, (tc_event_spec){.persistent = true});
    add_assign(m, ev, "p", "5");
    add_assign(m, ev, "x", "0");
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 2.0, 8);
    /* rows every 0.25: t = 1.25 looks back to 0.75, t = 1.75 to 1.25 */
    ck_assert_double_eq(tsv_val(r, 4, "dp"), 0.0);            /* t = 1 */
    ck_assert_double_eq(tsv_val(r, 5, "dp"), 0.0);            /* t = 1.25 */
    ck_assert_double_eq_tol(tsv_val(r, 5, "dx"), 0.75, 1e-7); /* before the jump */
    ck_assert_double_eq(tsv_val(r, 6, "dp"), 5.0);            /* t = 1.5 */
    ck_assert_double_eq(tsv_val(r, 7, "dp"), 5.0);            /* t = 1.75 */
    ck_assert_double_eq_tol(tsv_val(r, 7, "dx"), 0.25, 1e-7); /* after it */
    ck_assert_double_eq_tol(tsv_val(r, 7, "x"), 0.75, 1e-7);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_event_initial_value)
{
    for (int initial = 0; initial <= 1; initial++) {
        tc_model *m = tc_model_new();
        tsv_var(m, "p", TC_VAR_PARAMETER, 0.0, 1);
        size_t ev = add_event(m, "start", "time >= 0", 2,
                              (tc_event_spec){.initial_value = initial, .persistent = true});
        add_assign(m, ev, "p", "5");
        tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-8, 1e-12, 1.0, 2);
        /* initialValue false: the trigger becomes true at t0 and fires there */
        ck_assert_double_eq(tsv_val(r, 0, "p"), initial ? 0.0 : 5.0);
        ck_assert_double_eq(tsv_last(r, "p"), initial ? 0.0 : 5.0);
        tc_sim_result_free(r);
        tc_model_free(m);
    }
}
END_TEST

START_TEST(test_assignments_reevaluated_after_event)
{
    /* k jumps from 1 to 3 at t = 1; rate = k * 1 is an assigned variable */
    tc_model *m = tc_model_new();
    tsv_var(m, "k", TC_VAR_PARAMETER, 1.0, 1);
    tsv_var(m, "rate", TC_VAR_ASSIGNED, NAN, 2);
    tsv_var(m, "x", TC_VAR_STATE, 0.0, 3);
    tsv_assign(m, "rate", "k * 1", 4);
    tsv_rate(m, "x", "rate", 5);
    size_t ev = add_event(m, "switch", "time > 1", 6, (tc_event_spec){.persistent = true});
    add_assign(m, ev, "k", "3");
    tc_sim_result *r = tsv_run(m, (tc_method)_i, 1e-9, 1e-12, 2.0, 4);
    ck_assert_double_eq_tol(tsv_val(r, 1, "x"), 0.5, 1e-8);
    ck_assert_double_eq(tsv_val(r, 1, "rate"), 1.0);
    ck_assert_double_eq(tsv_val(r, 3, "rate"), 3.0);
    ck_assert_double_eq_tol(tsv_last(r, "x"), 1.0 + 3.0, 1e-7);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_cycle_named)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "a", TC_VAR_ASSIGNED, NAN, 1);
    tsv_var(m, "b", TC_VAR_ASSIGNED, NAN, 2);
    tsv_var(m, "c", TC_VAR_ASSIGNED, NAN, 3);
    tsv_assign(m, "a", "b + 1", 4);
    tsv_assign(m, "b", "c * 2", 5);
    tsv_assign(m, "c", "a", 6);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), TC_SOLVER_ECYCLE);
    ck_assert_ptr_null(sys);
    ck_assert_str_eq(tc_solver_error(), "assignments form a cycle: a -> b -> c -> a (t.xml:1)");
    tc_model_free(m);
}
END_TEST

START_TEST(test_model_errors_name_origin)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    ck_assert_int_eq(tc_model_add_rate(m, "x", tsv_expr("-k3 * x"), (tc_origin){"m.xml", 12, "r1"}),
                     0);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), TC_SOLVER_EMODEL);
    ck_assert_str_eq(tc_solver_error(), "rate of 'x' (m.xml:12, id 'r1'): unknown name 'k3'");
    ck_assert_int_eq(tc_model_add_rate(m, "x", tsv_expr("1"), (tc_origin){0}), TC_SOLVER_EMODEL);
    ck_assert_str_eq(tc_solver_error(), "variable 'x' has two rate equations");
    ck_assert_int_eq(tc_model_add_variable(m, "x", TC_VAR_STATE, 0, NULL, (tc_origin){0}),
                     TC_SOLVER_EMODEL);
    ck_assert_int_eq(tc_model_add_assignment(m, "x", tsv_expr("1"), (tc_origin){0}),
                     TC_SOLVER_EMODEL);
    ck_assert_str_eq(tc_solver_error(), "assignment of state variable 'x' is not allowed");
    tsv_var(m, "z", TC_VAR_ALGEBRAIC, 0.0, 2);
    tc_model_free(m);

    m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_rate(m, "x", "f(x)", 2);
    ck_assert_int_eq(
        tc_model_add_function(m, "f", tsv_expr("lambda(u, f(u))"), (tc_origin){"t.xml", 3, "f"}),
        0);
    ck_assert_int_eq(tc_system_new(&sys, m), TC_SOLVER_EMODEL);
    ck_assert_msg(strstr(tc_solver_error(), "function 'f' calls itself") != NULL, "%s",
                  tc_solver_error());
    tc_model_free(m);

    /* a chain of 70 functions, each calling the next, is no recursion: said as such */
    m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_rate(m, "x", "f70(x)", 2);
    ck_assert_int_eq(tc_model_add_function(m, "f0", tsv_expr("lambda(u, u)"), (tc_origin){0}), 0);
    for (int i = 1; i <= 70; i++) {
        char name[8], body[32];
        snprintf(name, sizeof name, "f%d", i);
        snprintf(body, sizeof body, "lambda(u, f%d(u))", i - 1);
        ck_assert_int_eq(tc_model_add_function(m, name, tsv_expr(body), (tc_origin){0}), 0);
    }
    ck_assert_int_eq(tc_system_new(&sys, m), TC_SOLVER_EMODEL);
    ck_assert_msg(strstr(tc_solver_error(), "nest more than 64 deep") != NULL &&
                      strstr(tc_solver_error(), "calls itself") == NULL,
                  "%s", tc_solver_error());
    tc_model_free(m);
}
END_TEST

START_TEST(test_nonfinite_rhs_reported)
{
    /* x reaches 0 at t = 1, then sqrt(x) is NaN */
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_var(m, "y", TC_VAR_STATE, 0.0, 2);
    tsv_rate(m, "x", "-1", 3);
    ck_assert_int_eq(
        tc_model_add_rate(m, "y", tsv_expr("root(2, x)"), (tc_origin){"m.xml", 40, "J2"}), 0);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = (tc_method)_i;
    o.t1 = 2;
    o.n_steps = 20;
    tc_sim_result *r = NULL;
    int rc = tc_simulate(sys, &o, &r);
    ck_assert_int_eq(rc, TC_SOLVER_ENONFINITE);
    const char *msg = tc_sim_result_message(r);
    ck_assert_msg(strstr(msg, "rate of 'y' (m.xml:40, id 'J2') is not finite") != NULL, "%s", msg);
    ck_assert_double_eq_tol(tc_sim_result_fail_time(r), 1.0, 1e-3);
    ck_assert_int_eq(tc_sim_result_fail_variable(r), 1);
    ck_assert_uint_ge(tc_sim_result_rows(r), 10); /* the rows before t = 1 are kept */
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_event_cascade_limit)
{
    /* each event makes the other one's trigger true: an endless cascade at t = 1 */
    tc_model *m = tc_model_new();
    tsv_var(m, "p", TC_VAR_PARAMETER, 0.0, 1);
    size_t up = add_event(m, "up", "and(time >= 1, p < 0.5)", 2,
                          (tc_event_spec){.persistent = true, .initial_value = true});
    add_assign(m, up, "p", "1");
    size_t down = add_event(m, "down", "and(time >= 1, p > 0.5)", 3,
                            (tc_event_spec){.persistent = true, .initial_value = true});
    add_assign(m, down, "p", "0");
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = (tc_method)_i;
    o.t1 = 2;
    o.n_steps = 2;
    o.max_events = 1000;
    tc_sim_result *r = NULL;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), TC_SOLVER_EEVENTS);
    ck_assert_msg(strstr(tc_sim_result_message(r), "event limit 1000 reached at t=1") != NULL, "%s",
                  tc_sim_result_message(r));
    ck_assert_int_eq(tc_sim_result_stats(r)->events_fired, 1000);
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

START_TEST(test_difference_jacobian_fallback)
{
    /* ceiling has no derivative: the Jacobian is computed by differences; while
     * 0 < x <= 1, ceiling(x) = 1 and x = exp(-t) */
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_rate(m, "x", "-x * ceiling(x)", 2);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    ck_assert(!tc_system_has_symbolic_jacobian(sys));
    tc_system_free(sys);
    tc_sim_result *r = tsv_run(m, TC_METHOD_BDF, 1e-9, 1e-12, 2.0, 2);
    ck_assert_double_eq_tol(tsv_val(r, 1, "x"), exp(-1.0), 1e-6);
    ck_assert_double_eq_tol(tsv_last(r, "x"), exp(-2.0), 1e-6);
    tc_sim_result_free(r);
    tc_model_free(m);
}
END_TEST

START_TEST(test_wall_time_limit)
{
    tc_model *m = tc_model_new();
    tsv_var(m, "x", TC_VAR_STATE, 1.0, 1);
    tsv_rate(m, "x", "-x", 2);
    tc_system *sys = NULL;
    ck_assert_int_eq(tc_system_new(&sys, m), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.max_wall_seconds = 1e-12;
    tc_sim_result *r = NULL;
    ck_assert_int_eq(tc_simulate(sys, &o, &r), TC_SOLVER_ETIME);
    ck_assert_msg(strstr(tc_sim_result_message(r), "wall-time limit of 1e-12 s reached at t=0") !=
                      NULL,
                  "%s", tc_sim_result_message(r));
    tc_sim_result_free(r);
    tc_system_free(sys);
    tc_model_free(m);
}
END_TEST

Suite *solvers_events_suite(void)
{
    Suite *s = suite_create("solvers_events");
    TCase *tc = tcase_create("events");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_bouncing_ball, 0, 2);
    tcase_add_loop_test(tc, test_trigger_true_briefly_within_a_step, 0, 2);
    tcase_add_loop_test(tc, test_delay_differential_equation, 0, 2);
    tcase_add_loop_test(tc, test_index1_dae_conservation, 0, 2);
    tcase_add_loop_test(tc, test_event_delay_and_values_from_trigger_time, 0, 2);
    tcase_add_loop_test(tc, test_event_persistence, 0, 2);
    tcase_add_loop_test(tc, test_event_priorities_and_seeded_ties, 0, 2);
    tcase_add_loop_test(tc, test_event_ties_uniform_over_seeds, 0, 2);
    tcase_add_loop_test(tc, test_alternating_events_balanced_and_cheap, 0, 2);
    tcase_add_loop_test(tc, test_delay_sees_event_changed_values, 0, 2);
    tcase_add_loop_test(tc, test_event_initial_value, 0, 2);
    tcase_add_loop_test(tc, test_assignments_reevaluated_after_event, 0, 2);
    tcase_add_test(tc, test_cycle_named);
    tcase_add_test(tc, test_model_errors_name_origin);
    tcase_add_loop_test(tc, test_nonfinite_rhs_reported, 0, 2);
    tcase_add_loop_test(tc, test_event_cascade_limit, 0, 2);
    tcase_add_test(tc, test_difference_jacobian_fallback);
    tcase_add_test(tc, test_wall_time_limit);
    suite_add_tcase(s, tc);
    return s;
}
