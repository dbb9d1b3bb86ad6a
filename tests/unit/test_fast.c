/* Fast reactions: the equilibrium reached by running the fast reactions, reactions
 * switched off by a zero rate, computed stoichiometries, events on fast species, and a
 * fast reaction that never comes to rest. Known answers, by both integrators. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\">\n"   \
    "<model id=\"m\"><listOfCompartments>"                                                         \
    "<compartment id=\"C\" spatialDimensions=\"3\" size=\"1\" constant=\"true\"/>"                 \
    "</listOfCompartments><listOfSpecies>"
#define MATH "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define CN(x) "<cn>" x "</cn>"
#define CI(x) "<ci>" x "</ci>"
#define TIME "<csymbol definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol>"
#define AMOUNT(id, v)                                                                              \
    "<species id=\"" id "\" compartment=\"C\" initialAmount=\"" v "\" "                            \
    "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
#define REF(sp, attrs) "<speciesReference species=\"" sp "\" " attrs "/>"
#define REACTION(id, fast, reactant, product, law)                                                 \
    "<reaction id=\"" id "\" reversible=\"true\" fast=\"" fast "\">"                               \
    "<listOfReactants>" reactant "</listOfReactants><listOfProducts>" product                      \
    "</listOfProducts><kineticLaw>" MATH law "</math></kineticLaw></reaction>"
#define TRIGGER(cond)                                                                              \
    "<trigger initialValue=\"false\" persistent=\"true\">" MATH cond "</math></trigger>"
#define SET(var, value)                                                                            \
    "<eventAssignment variable=\"" var "\">" MATH value "</math></eventAssignment>"

typedef tc_test_sbml_run run;

static void simulate(run *r, const char *text, double t1, size_t steps, tc_method method)
{
    tc_test_sbml_simulate(r, text, t1, steps, method, 1e-12);
}

static double value(const run *r, const char *id, size_t row)
{
    return tc_test_sbml_value(r, id, TC_SBML_AMOUNT, row);
}

#define NEAR(a, b) ck_assert_msg(fabs((a) - (b)) <= 1e-6 * (1 + fabs(b)), "%.12g != %.12g", a, b)

static tc_method method_of(int i)
{
    return i ? TC_METHOD_DOPRI5 : TC_METHOD_BDF;
}

/* B -> A slowly at rate 1; A -> B fast at rate k A with k = 0 until t = 1, then 1. While
 * k is 0 the fast reaction is off and A grows as t; from t = 1 it is consumed at once. */
static const char switched[] = HEAD AMOUNT("A", "0") AMOUNT("B", "2")
    "</listOfSpecies><listOfParameters><parameter id=\"k\" value=\"0\" constant=\"false\"/>"
    "</listOfParameters><listOfReactions>"
    REACTION("slow", "false", REF("B", "stoichiometry=\"1\" constant=\"true\""),
             REF("A", "stoichiometry=\"1\" constant=\"true\""), CN("1"))
    REACTION("fast", "true", REF("A", "stoichiometry=\"1\" constant=\"true\""),
             REF("B", "stoichiometry=\"1\" constant=\"true\""), "<apply><times/>" CI("k")
             CI("A") "</apply>")
    "</listOfReactions><listOfEvents><event id=\"on\" useValuesFromTriggerTime=\"true\">"
    TRIGGER("<apply><geq/>" TIME CN("1") "</apply>")
    "<listOfEventAssignments>" SET("k", CN("1")) "</listOfEventAssignments></event>"
    "</listOfEvents></model></sbml>\n";


START_TEST(test_switched_off_fast_reaction)
{
    run r;
    simulate(&r, switched, 2, 4, method_of(_i));
    NEAR(value(&r, "A", 1), 0.5);
    NEAR(value(&r, "B", 1), 1.5);
    NEAR(value(&r, "A", 3), 0.0);
    NEAR(value(&r, "B", 3), 2.0);
    NEAR(value(&r, "A", 4), 0.0);
    tc_test_sbml_run_release(&r);
}
END_TEST

/* S1 -> S2 fast at rate k S1 S2 from S1 = S2 = 5: the rate is zero at S1 = 0 and at
 * S2 = 0, and the reaction runs to the one its sign leads to (k = -1: backwards, to
 * S2 = 0; k = 1: forwards, to S1 = 0). At the start the equilibrium's Jacobian is
 * singular, so Newton's method alone cannot choose. */
#define TWO_ROOTS(k)                                                                               \
    HEAD AMOUNT("S1", "5") AMOUNT("S2", "5") "</listOfSpecies><listOfReactions>" REACTION(         \
        "J0", "true", REF("S1", "stoichiometry=\"1\" constant=\"true\""),                          \
        REF("S2", "stoichiometry=\"1\" constant=\"true\""),                                        \
        "<apply><times/>" CN(k) CI("S1") CI("S2") "</apply>") "</listOfReactions></model></sbml>\n"

START_TEST(test_equilibrium_the_reaction_runs_to)
{
    run r;
    simulate(&r, TWO_ROOTS("-1"), 1, 2, method_of(_i));
    NEAR(value(&r, "S1", 0), 10.0);
    NEAR(value(&r, "S2", 0), 0.0);
    NEAR(value(&r, "S1", 2), 10.0);
    tc_test_sbml_run_release(&r);
    simulate(&r, TWO_ROOTS("1"), 1, 2, method_of(_i));
    NEAR(value(&r, "S1", 0), 0.0);
    NEAR(value(&r, "S2", 2), 10.0);
    tc_test_sbml_run_release(&r);
}
END_TEST

/* n S1 -> S2 fast at rate S1, n from an initial assignment (5): 5 of S1 make 1 of S2. */
static const char assigned_stoichiometry[] = HEAD AMOUNT("S1", "5") AMOUNT("S2", "0")
    "</listOfSpecies><listOfInitialAssignments><initialAssignment symbol=\"n\">" MATH
    "<apply><plus/>" CN("2") CN("3") "</apply></math></initialAssignment>"
    "</listOfInitialAssignments><listOfReactions>"
    REACTION("J0", "true", REF("S1", "id=\"n\" stoichiometry=\"1\" constant=\"true\""),
             REF("S2", "stoichiometry=\"1\" constant=\"true\""), CI("S1"))
    "</listOfReactions></model></sbml>\n";

START_TEST(test_stoichiometry_from_initial_assignment)
{
    run r;
    simulate(&r, assigned_stoichiometry, 2, 2, method_of(_i));
    for (size_t row = 0; row <= 2; row++) {
        NEAR(value(&r, "S1", row), 0.0);
        NEAR(value(&r, "S2", row), 1.0);
    }
    tc_test_sbml_run_release(&r);
}
END_TEST

/* The same with n = 1 + t by an assignment rule: S1 is used up at the start (5 of S2),
 * and a stoichiometry that changes afterwards moves nothing (S2 stays 5). */
static const char varying_stoichiometry[] = HEAD AMOUNT("S1", "5") AMOUNT("S2", "0")
    "</listOfSpecies><listOfRules><assignmentRule variable=\"n\">" MATH "<apply><plus/>"
    CN("1") TIME "</apply></math></assignmentRule></listOfRules><listOfReactions>"
    REACTION("J0", "true", REF("S1", "id=\"n\" constant=\"false\""),
             REF("S2", "stoichiometry=\"1\" constant=\"true\""), CI("S1"))
    "</listOfReactions></model></sbml>\n";

START_TEST(test_stoichiometry_changing_in_time)
{
    run r;
    simulate(&r, varying_stoichiometry, 2, 2, method_of(_i));
    for (size_t row = 0; row <= 2; row++) {
        NEAR(value(&r, "S1", row), 0.0);
        NEAR(value(&r, "S2", row), 5.0);
    }
    tc_test_sbml_run_release(&r);
}
END_TEST

/* n S1 -> S2 fast at rate S1 with n = 1: S2 = 5. At t = 1 an event sets S1 = 5 and
 * n = 5: the new S1 makes 1 more of S2, and the S2 made before stays. */
static const char event_on_fast[] = HEAD AMOUNT("S1", "5") AMOUNT("S2", "0")
    "</listOfSpecies><listOfReactions>"
    REACTION("J0", "true", REF("S1", "id=\"n\" stoichiometry=\"1\" constant=\"false\""),
             REF("S2", "stoichiometry=\"1\" constant=\"true\""), CI("S1"))
    "</listOfReactions><listOfEvents><event id=\"e\" useValuesFromTriggerTime=\"true\">"
    TRIGGER("<apply><gt/>" TIME CN("0.5") "</apply>")
    "<listOfEventAssignments>" SET("S1", CN("5")) SET("n", CN("5"))
    "</listOfEventAssignments></event></listOfEvents></model></sbml>\n";

START_TEST(test_event_on_fast_species)
{
    run r;
    simulate(&r, event_on_fast, 2, 2, method_of(_i));
    NEAR(value(&r, "S2", 0), 5.0);
    NEAR(value(&r, "S1", 1), 0.0);
    NEAR(value(&r, "S2", 1), 6.0);
    NEAR(value(&r, "S2", 2), 6.0);
    tc_test_sbml_run_release(&r);
}
END_TEST

/* A fast reaction whose rate is 1 whatever happens never comes to rest: an error, not a
 * hang. */
static const char restless[] = HEAD AMOUNT("S1", "5") AMOUNT("S2", "0")
    "</listOfSpecies><listOfReactions>"
    REACTION("J0", "true", REF("S1", "stoichiometry=\"1\" constant=\"true\""),
             REF("S2", "stoichiometry=\"1\" constant=\"true\""), CN("1"))
    "</listOfReactions></model></sbml>\n";

START_TEST(test_fast_reaction_without_rest)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    tc_sbml_sim *sim = NULL;
    tc_system *sys = NULL;
    tc_sim_result *res = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, restless, strlen(restless), "f.xml", &fs), 0);
    ck_assert_int_eq(tc_sbml_sim_new(&sim, doc), 0);
    ck_assert_int_eq(tc_system_new(&sys, tc_sbml_sim_model(sim)), 0);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.t1 = 1;
    o.n_steps = 1;
    ck_assert_int_eq(tc_simulate(sys, &o, &res), TC_SOLVER_ECONV);
    ck_assert_str_eq(tc_sim_result_message(res),
                     "the algebraic constraints cannot be solved at t=0");
    tc_sim_result_free(res);
    tc_system_free(sys);
    tc_sbml_sim_free(sim);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

/* The solver's interface: an extent must be an algebraic variable, and only one
 * process may have it. */
START_TEST(test_fast_process_declarations)
{
    tc_model *m = tc_model_new();
    tc_origin o = {.file = "f.xml", .line = 1, .id = "J"};
    ck_assert_int_eq(tc_model_add_variable(m, "x", TC_VAR_STATE, 1, NULL, o), 0);
    ck_assert_int_eq(tc_model_add_variable(m, "xi", TC_VAR_ALGEBRAIC, 0, NULL, o), 0);
    ck_assert_int_eq(tc_model_add_fast(m, "x", tc_expr_number(0), o), TC_SOLVER_EMODEL);
    ck_assert_str_eq(tc_solver_error(), "fast process of state variable 'x' is not allowed");
    ck_assert_int_eq(tc_model_add_fast(m, "xi", tc_expr_symbol("xi"), o), 0);
    ck_assert_int_eq(tc_model_add_fast(m, "xi", tc_expr_symbol("xi"), o), TC_SOLVER_EMODEL);
    ck_assert_str_eq(tc_solver_error(), "variable 'xi' is the extent of two fast processes");
    tc_model_free(m);
}
END_TEST

Suite *fast_suite(void)
{
    Suite *s = suite_create("fast");
    TCase *tc = tcase_create("equilibrium");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_switched_off_fast_reaction, 0, 2);
    tcase_add_loop_test(tc, test_equilibrium_the_reaction_runs_to, 0, 2);
    tcase_add_loop_test(tc, test_stoichiometry_from_initial_assignment, 0, 2);
    tcase_add_loop_test(tc, test_stoichiometry_changing_in_time, 0, 2);
    tcase_add_loop_test(tc, test_event_on_fast_species, 0, 2);
    tcase_add_test(tc, test_fast_reaction_without_rest);
    tcase_add_test(tc, test_fast_process_declarations);
    suite_add_tcase(s, tc);
    return s;
}
