/* simulate: SBML documents mapped onto the solvers' model, with known answers, and the
 * `twincheck simulate` command's exit statuses and CSV. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define HEAD                                                                                       \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                 \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"
#define MATH "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define CN(x) "<cn>" x "</cn>"
#define CI(x) "<ci>" x "</ci>"
#define TIME "<csymbol definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol>"
#define SPECIES(id, comp, attrs)                                                                   \
    "<species id=\"" id "\" compartment=\"" comp "\" " attrs                                       \
    " boundaryCondition=\"false\" constant=\"false\"/>"

typedef tc_test_sbml_run run;

static void simulate(run *r, const char *text, double t1, size_t steps, tc_method method)
{
    tc_test_sbml_simulate(r, text, t1, steps, method, 1e-14);
}

#define NEAR(a, b) ck_assert_msg(fabs((a) - (b)) <= 1e-7 * (1 + fabs(b)), "%.12g != %.12g", a, b)

/* A compartment growing as V = 1 + t; S (a concentration) decays by a reaction whose
 * rate is k * amount, so amount = exp(-k t) and [S] = exp(-k t) / (1 + t). T holds
 * its concentration by a rate rule of 0 while V grows: its amount is 1 + t. */
static const char growing[] = HEAD
    "<model id=\"m\"><listOfCompartments>"
    "<compartment id=\"V\" spatialDimensions=\"3\" size=\"1\" constant=\"false\"/>"
    "</listOfCompartments><listOfSpecies>"
    SPECIES("S", "V", "initialConcentration=\"1\" hasOnlySubstanceUnits=\"false\"")
    SPECIES("T", "V", "initialConcentration=\"1\" hasOnlySubstanceUnits=\"false\"")
    "</listOfSpecies><listOfParameters><parameter id=\"k\" value=\"0.5\" constant=\"true\"/>"
    "</listOfParameters><listOfRules>"
    "<rateRule variable=\"V\">" MATH CN("1") "</math></rateRule>"
    "<rateRule variable=\"T\">" MATH CN("0") "</math></rateRule>"
    "</listOfRules><listOfReactions><reaction id=\"r\" reversible=\"false\">"
    "<listOfReactants><speciesReference species=\"S\" stoichiometry=\"1\" constant=\"true\"/>"
    "</listOfReactants><kineticLaw>" MATH "<apply><times/>" CI("k") CI("S") CI("V")
    "</apply></math></kineticLaw></reaction></listOfReactions></model></sbml>\n";

START_TEST(test_concentration_in_growing_compartment)
{
    run r;
    simulate(&r, growing, 2, 4, _i ? TC_METHOD_DOPRI5 : TC_METHOD_BDF);
    for (size_t row = 0; row <= 4; row++) {
        double t = 0.5 * (double)row;
        NEAR(tc_test_sbml_value(&r, "V", TC_SBML_NATURAL, row), 1 + t);
        NEAR(tc_test_sbml_value(&r, "S", TC_SBML_AMOUNT, row), exp(-0.5 * t));
        NEAR(tc_test_sbml_value(&r, "S", TC_SBML_CONCENTRATION, row), exp(-0.5 * t) / (1 + t));
        NEAR(tc_test_sbml_value(&r, "S", TC_SBML_NATURAL, row), exp(-0.5 * t) / (1 + t));
        NEAR(tc_test_sbml_value(&r, "T", TC_SBML_CONCENTRATION, row), 1.0);
        NEAR(tc_test_sbml_value(&r, "T", TC_SBML_AMOUNT, row), 1 + t);
        NEAR(tc_test_sbml_value(&r, "r", TC_SBML_NATURAL, row), 0.5 * exp(-0.5 * t));
    }
    tc_test_sbml_run_release(&r);
}
END_TEST

/* S1 -> S2 at rate k (amount per time): the model's conversion factor 2 applies to S1,
 * S2's own factor 3 to S2. S2 is an amount (hasOnlySubstanceUnits) in a compartment of
 * size 4, S1 a concentration given as an initial amount. */
static const char converted[] = HEAD
    "<model id=\"m\" conversionFactor=\"cf\"><listOfCompartments>"
    "<compartment id=\"C\" spatialDimensions=\"3\" size=\"4\" constant=\"true\"/>"
    "</listOfCompartments><listOfSpecies>" SPECIES(
        "S1", "C", "initialAmount=\"10\" hasOnlySubstanceUnits=\"false\"")
    "<species id=\"S2\" compartment=\"C\" initialAmount=\"0\" hasOnlySubstanceUnits=\"true\""
    " boundaryCondition=\"false\" constant=\"false\" conversionFactor=\"cf2\"/>"
    "</listOfSpecies><listOfParameters>"
    "<parameter id=\"k\" value=\"1\" constant=\"true\"/>"
    "<parameter id=\"cf\" value=\"2\" constant=\"true\"/>"
    "<parameter id=\"cf2\" value=\"3\" constant=\"true\"/>"
    "</listOfParameters><listOfReactions><reaction id=\"r\" reversible=\"false\">"
    "<listOfReactants><speciesReference species=\"S1\" stoichiometry=\"1\" constant=\"true\"/>"
    "</listOfReactants><listOfProducts>"
    "<speciesReference species=\"S2\" stoichiometry=\"1\" constant=\"true\"/></listOfProducts>"
    "<kineticLaw>" MATH CI("k") "</math></kineticLaw></reaction></listOfReactions>"
    "</model></sbml>\n";

START_TEST(test_conversion_factors)
{
    run r;
    simulate(&r, converted, 2, 2, _i ? TC_METHOD_DOPRI5 : TC_METHOD_BDF);
    for (size_t row = 0; row <= 2; row++) {
        double t = (double)row;
        NEAR(tc_test_sbml_value(&r, "S1", TC_SBML_AMOUNT, row), 10 - 2 * t);
        NEAR(tc_test_sbml_value(&r, "S1", TC_SBML_NATURAL, row), (10 - 2 * t) / 4);
        NEAR(tc_test_sbml_value(&r, "S2", TC_SBML_NATURAL, row), 3 * t);
        NEAR(tc_test_sbml_value(&r, "S2", TC_SBML_CONCENTRATION, row), 3 * t / 4);
    }
    tc_test_sbml_run_release(&r);
}
END_TEST

/* At t >= 1 an event sets S's concentration to 5 and p to the time it fired; the
 * compartment's size is 2, so the amount becomes 10. Before, S grows by 1 per time. */
static const char event[] = HEAD
    "<model id=\"m\"><listOfCompartments>"
    "<compartment id=\"C\" spatialDimensions=\"3\" size=\"2\" constant=\"true\"/>"
    "</listOfCompartments><listOfSpecies>" SPECIES(
        "S", "C", "initialConcentration=\"0\" hasOnlySubstanceUnits=\"false\"")
    "</listOfSpecies><listOfParameters>"
    "<parameter id=\"p\" value=\"0\" constant=\"false\"/></listOfParameters>"
    "<listOfReactions><reaction id=\"r\" reversible=\"false\"><listOfProducts>"
    "<speciesReference species=\"S\" stoichiometry=\"1\" constant=\"true\"/></listOfProducts>"
    "<kineticLaw>" MATH CN("1") "</math></kineticLaw></reaction></listOfReactions>"
    "<listOfEvents><event id=\"e\" useValuesFromTriggerTime=\"true\">"
    "<trigger initialValue=\"false\" persistent=\"true\">" MATH "<apply><geq/>" TIME CN("1")
    "</apply></math></trigger><listOfEventAssignments>"
    "<eventAssignment variable=\"S\">" MATH CN("5") "</math></eventAssignment>"
    "<eventAssignment variable=\"p\">" MATH TIME "</math></eventAssignment>"
    "</listOfEventAssignments></event></listOfEvents></model></sbml>\n";

START_TEST(test_event_on_concentration)
{
    run r;
    simulate(&r, event, 2, 4, _i ? TC_METHOD_DOPRI5 : TC_METHOD_BDF);
    NEAR(tc_test_sbml_value(&r, "S", TC_SBML_AMOUNT, 1), 0.5);
    NEAR(tc_test_sbml_value(&r, "S", TC_SBML_NATURAL, 1), 0.25);
    NEAR(tc_test_sbml_value(&r, "S", TC_SBML_AMOUNT, 3), 10.5);
    NEAR(tc_test_sbml_value(&r, "p", TC_SBML_NATURAL, 3), 1.0);
    NEAR(tc_test_sbml_value(&r, "S", TC_SBML_AMOUNT, 4), 11.0);
    NEAR(tc_test_sbml_value(&r, "S", TC_SBML_NATURAL, 4), 5.5);
    tc_test_sbml_run_release(&r);
}
END_TEST

/* An algebraic rule x + y - 10 = 0 with y' = 1 determines x = 10 - y. */
static const char algebraic[] = HEAD
    "<model id=\"m\"><listOfParameters>"
    "<parameter id=\"x\" value=\"3\" constant=\"false\"/>"
    "<parameter id=\"y\" value=\"1\" constant=\"false\"/></listOfParameters><listOfRules>"
    "<algebraicRule>" MATH "<apply><minus/><apply><plus/>" CI("x") CI("y") "</apply>" CN("10")
    "</apply></math></algebraicRule>"
    "<rateRule variable=\"y\">" MATH CN("1") "</math></rateRule>"
    "</listOfRules></model></sbml>\n";

START_TEST(test_algebraic_rule)
{
    run r;
    simulate(&r, algebraic, 4, 4, _i ? TC_METHOD_DOPRI5 : TC_METHOD_BDF);
    for (size_t row = 0; row <= 4; row++) {
        NEAR(tc_test_sbml_value(&r, "y", TC_SBML_NATURAL, row), 1 + (double)row);
        NEAR(tc_test_sbml_value(&r, "x", TC_SBML_NATURAL, row), 9 - (double)row);
    }
    tc_test_sbml_run_release(&r);
}
END_TEST

/* 0 = Q + R - S: Q comes first but an event sets it, so the rule determines S
 * (R' = 1 from 0; Q := 5 at t = 1): S = R before, 5 + R after. */
static const char algebraic_event[] = HEAD
    "<model id=\"m\"><listOfParameters>"
    "<parameter id=\"Q\" value=\"0\" constant=\"false\"/>"
    "<parameter id=\"R\" value=\"0\" constant=\"false\"/>"
    "<parameter id=\"S\" constant=\"false\"/></listOfParameters><listOfRules>"
    "<algebraicRule>" MATH "<apply><minus/><apply><plus/>" CI("Q") CI("R") "</apply>" CI("S")
    "</apply></math></algebraicRule>"
    "<rateRule variable=\"R\">" MATH CN("1") "</math></rateRule>"
    "</listOfRules><listOfEvents><event id=\"e\" useValuesFromTriggerTime=\"true\">"
    "<trigger initialValue=\"true\" persistent=\"true\">" MATH "<apply><geq/>" TIME CN("1")
    "</apply></math></trigger><listOfEventAssignments><eventAssignment variable=\"Q\">" MATH
    CN("5") "</math></eventAssignment></listOfEventAssignments></event></listOfEvents>"
    "</model></sbml>\n";

START_TEST(test_algebraic_rule_skips_event_targets)
{
    run r;
    simulate(&r, algebraic_event, 2, 4, _i ? TC_METHOD_DOPRI5 : TC_METHOD_BDF);
    NEAR(tc_test_sbml_value(&r, "S", TC_SBML_NATURAL, 1), 0.5);
    NEAR(tc_test_sbml_value(&r, "Q", TC_SBML_NATURAL, 1), 0.0);
    NEAR(tc_test_sbml_value(&r, "S", TC_SBML_NATURAL, 4), 7.0);
    NEAR(tc_test_sbml_value(&r, "Q", TC_SBML_NATURAL, 4), 5.0);
    tc_test_sbml_run_release(&r);
}
END_TEST

/* A <-> B fast (kf A - kr B = 0, kf = 1, kr = 2) and B -> nothing slowly at rate k B:
 * the total T = A + B starts at 3 and decays as T' = -k T / 3, with A = 2T/3, B = T/3
 * from the start (the initial values equilibrate at once). */
static const char fast[] = HEAD
    "<model id=\"m\"><listOfCompartments>"
    "<compartment id=\"C\" spatialDimensions=\"3\" size=\"1\" constant=\"true\"/>"
    "</listOfCompartments><listOfSpecies>"
    SPECIES("A", "C", "initialAmount=\"3\" hasOnlySubstanceUnits=\"true\"")
    SPECIES("B", "C", "initialAmount=\"0\" hasOnlySubstanceUnits=\"true\"")
    "</listOfSpecies><listOfParameters><parameter id=\"k\" value=\"0.3\" constant=\"true\"/>"
    "</listOfParameters><listOfReactions>"
    "<reaction id=\"f\" reversible=\"true\" fast=\"true\"><listOfReactants>"
    "<speciesReference species=\"A\" stoichiometry=\"1\" constant=\"true\"/></listOfReactants>"
    "<listOfProducts><speciesReference species=\"B\" stoichiometry=\"1\" constant=\"true\"/>"
    "</listOfProducts><kineticLaw>" MATH "<apply><minus/>" CI("A") "<apply><times/>" CN("2")
    CI("B") "</apply></apply></math></kineticLaw></reaction>"
    "<reaction id=\"d\" reversible=\"false\"><listOfReactants>"
    "<speciesReference species=\"B\" stoichiometry=\"1\" constant=\"true\"/></listOfReactants>"
    "<kineticLaw>" MATH "<apply><times/>" CI("k") CI("B") "</apply></math></kineticLaw>"
    "</reaction></listOfReactions></model></sbml>\n";

START_TEST(test_fast_reaction_equilibrium)
{
    run r;
    simulate(&r, fast, 3, 3, _i ? TC_METHOD_DOPRI5 : TC_METHOD_BDF);
    for (size_t row = 0; row <= 3; row++) {
        double total = 3 * exp(-0.3 * (double)row / 3);
        NEAR(tc_test_sbml_value(&r, "A", TC_SBML_NATURAL, row), 2 * total / 3);
        NEAR(tc_test_sbml_value(&r, "B", TC_SBML_NATURAL, row), total / 3);
    }
    tc_test_sbml_run_release(&r);
}
END_TEST

/* Unsupported and unknown things are said so. */
START_TEST(test_mapping_errors)
{
    const char *comp =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" "
        "version=\"1\" xmlns:comp=\"http://www.sbml.org/sbml/level3/version1/comp/version1\" "
        "comp:required=\"true\">\n<model id=\"m\"/></sbml>\n";
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    tc_sbml_sim *sim = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, comp, strlen(comp), "c.xml", &fs), 0);
    ck_assert_int_eq(tc_sbml_sim_new(&sim, doc), TC_EUSAGE);
    ck_assert_ptr_null(sim);
    ck_assert_str_eq(tc_error_last(),
                     "c.xml: not supported: comp (a composed model is simulated once flattened, "
                     "with tc_sbml_flatten)");
    tc_sbml_doc_free(doc);

    doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, algebraic, strlen(algebraic), "a.xml", &fs), 0);
    ck_assert_int_eq(tc_sbml_sim_new(&sim, doc), 0);
    tc_sbml_output o;
    ck_assert_int_eq(tc_sbml_sim_output(sim, "z", TC_SBML_NATURAL, &o), TC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "'z'"));
    tc_sbml_sim_free(sim);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

/* ---- the command ---- */
static char *write_temp(const char *text)
{
    char *path = strdup("/tmp/tc-simulate-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}

/* Run a shell command line; returns the exit status, stdout and stderr together in *out. */
static int run_shell(char **out, const char *cmdline)
{
    FILE *p = popen(cmdline, "r");
    ck_assert_ptr_nonnull(p);
    tc_buf b = TC_BUF_INIT;
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
        tc_buf_add(&b, chunk, n);
    int st = pclose(p);
    *out = tc_buf_detach(&b);
    if (!*out)
        *out = strdup("");
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static size_t count_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

START_TEST(test_cli_csv)
{
    char *path = write_temp(converted), *out = NULL;
    int st = tc_test_run(&out, "simulate", path, "--end", "2", "--steps", "4", "--vars", "S1,S2,r",
                         "--amounts", "S1", NULL);
    ck_assert_int_eq(st, 0);
    ck_assert_uint_eq(count_lines(out), 6);
    ck_assert_str_eq(strtok(out, "\n"), "time,S1,S2,r");
    ck_assert_str_eq(strtok(NULL, "\n"), "0,10,0,1");
    double t, s1, s2, rate;
    ck_assert_int_eq(sscanf(strtok(NULL, "\n"), "%lf,%lf,%lf,%lf", &t, &s1, &s2, &rate), 4);
    NEAR(t, 0.5);
    NEAR(s1, 9.0);
    NEAR(s2, 1.5);
    NEAR(rate, 1.0);
    free(out);
    /* every species by default, in their own form, with --method rk45 */
    st = tc_test_run(&out, "simulate", "--method", "rk45", path, "--end", "1", "--steps", "1",
                     NULL);
    ck_assert_int_eq(st, 0);
    ck_assert_str_eq(strtok(out, "\n"), "time,S1,S2");
    ck_assert_str_eq(strtok(NULL, "\n"), "0,2.5,0");
    ck_assert_int_eq(sscanf(strtok(NULL, "\n"), "%lf,%lf,%lf", &t, &s1, &s2), 3);
    NEAR(t, 1.0);
    NEAR(s1, 2.0);
    NEAR(s2, 3.0);
    ck_assert_ptr_null(strtok(NULL, "\n"));
    free(out);
    unlink(path);
    free(path);
}
END_TEST

START_TEST(test_cli_exit_statuses)
{
    char *path = write_temp(growing), *out = NULL, *cmd = NULL;
    /* usage: no --steps; an unknown method; an unknown id */
    ck_assert_int_eq(tc_test_run(&out, "simulate", path, "--end", "1", NULL), 2);
    free(out);
    ck_assert_int_eq(tc_test_run(&out, "simulate", path, "--end", "1", "--steps", "2",
                                 "--method", "euler", NULL), 2);
    free(out);
    cmd = tc_xasprintf("%s simulate %s --end 1 --steps 2 --vars S,nope 2>&1", tc_test_binary(),
                       path);
    ck_assert_int_eq(run_shell(&out, cmd), 2);
    ck_assert_ptr_nonnull(strstr(out, "'nope' is no compartment, species"));
    free(out);
    free(cmd);
    /* the simulation fails at its step limit: rows so far, status 1, the reason */
    cmd = tc_xasprintf("%s simulate %s --end 1000 --steps 10 --max-steps 5 2>&1",
                       tc_test_binary(), path);
    ck_assert_int_eq(run_shell(&out, cmd), 1);
    ck_assert_ptr_nonnull(strstr(out, "time,S,T\n0,1,1\n"));
    ck_assert_ptr_nonnull(strstr(out, "the simulation failed (ESTEPS): step limit 5"));
    free(out);
    free(cmd);
    unlink(path);
    free(path);
    /* an invalid model: its SBML errors with line and rule */
    path = write_temp(HEAD "<model id=\"m\"><listOfParameters>"
                           "<parameter id=\"p\" value=\"1\" constant=\"true\"/>"
                           "<parameter id=\"p\" value=\"2\" constant=\"true\"/>"
                           "</listOfParameters></model></sbml>\n");
    cmd = tc_xasprintf("%s simulate %s --end 1 --steps 2 2>&1", tc_test_binary(), path);
    ck_assert_int_eq(run_shell(&out, cmd), 2);
    ck_assert_ptr_nonnull(strstr(out, ":3: error: "));
    ck_assert_ptr_nonnull(strstr(out, "[sbml:10301]"));
    ck_assert_ptr_nonnull(strstr(out, "is not a valid SBML model"));
    free(out);
    free(cmd);
    unlink(path);
    free(path);
}
END_TEST

/* Two events at t >= 1 with the same priority, one setting p to 1, the other to 2:
 * the one executed last decides p. */
#define TIED_EVENT(id, value)                                                                      \
    "<event id=\"" id "\" useValuesFromTriggerTime=\"true\">"                                      \
    "<trigger initialValue=\"false\" persistent=\"true\">" MATH "<apply><geq/>" TIME CN("1")       \
    "</apply></math></trigger><priority>" MATH CN("1") "</math></priority>"                        \
    "<listOfEventAssignments><eventAssignment variable=\"p\">" MATH CN(value)                      \
    "</math></eventAssignment></listOfEventAssignments></event>"
static const char tied[] = HEAD "<model id=\"m\"><listOfParameters>"
                                "<parameter id=\"p\" value=\"0\" constant=\"false\"/>"
                                "</listOfParameters><listOfEvents>" TIED_EVENT("one", "1")
                                    TIED_EVENT("two", "2") "</listOfEvents></model></sbml>\n";

/* p at t = 2 with --seed `seed` (NULL: none given). */
static int tied_p(const char *path, const char *seed)
{
    char *out = NULL;
    int st = seed ? tc_test_run(&out, "simulate", path, "--end", "2", "--steps", "1", "--vars", "p",
                                "--seed", seed, NULL)
                  : tc_test_run(&out, "simulate", path, "--end", "2", "--steps", "1", "--vars", "p",
                                NULL);
    ck_assert_int_eq(st, 0);
    ck_assert_str_eq(strtok(out, "\n"), "time,p");
    ck_assert_str_eq(strtok(NULL, "\n"), "0,0");
    const char *last = strtok(NULL, "\n");
    int p = strcmp(last, "2,1") == 0 ? 1 : strcmp(last, "2,2") == 0 ? 2 : -1;
    ck_assert_msg(p > 0, "last row '%s'", last);
    free(out);
    return p;
}

START_TEST(test_cli_seed)
{
    char *path = write_temp(tied), *out = NULL, *cmd = NULL;
    bool seen[3] = {false};
    char seed[24];
    for (int k = 0; k < 12; k++) {
        snprintf(seed, sizeof seed, "%d", k);
        int p = tied_p(path, seed);
        ck_assert_int_eq(tied_p(path, seed), p); /* reproducible */
        seen[p] = true;
    }
    ck_assert_msg(seen[1] && seen[2], "twelve seeds ordered the tie the same way");
    ck_assert_int_eq(tied_p(path, NULL), tied_p(path, "1")); /* the default seed is 1 */
    ck_assert_int_ge(tied_p(path, "18446744073709551615"), 1);
    cmd = tc_xasprintf("%s simulate %s --end 2 --steps 1 --seed -1 2>&1", tc_test_binary(), path);
    ck_assert_int_eq(run_shell(&out, cmd), 2);
    ck_assert_ptr_nonnull(
        strstr(out, "--seed needs a whole number from 0 to 18446744073709551615, not '-1'"));
    free(out);
    free(cmd);
    unlink(path);
    free(path);
}
END_TEST

/* Functions that call others twice, 40 deep, inline to 2^40 operations: the compiler stops
 * at its bound and the command says why (before, it ran until killed). */
START_TEST(test_cli_exponential_inlining_refused)
{
    char *functions = tc_test_sbml_doubling_functions(40);
    char *doc = tc_xasprintf(HEAD "<model id=\"m\">%s<listOfParameters>"
                                  "<parameter id=\"p\" value=\"1\" constant=\"false\"/>"
                                  "</listOfParameters><listOfRules><assignmentRule variable=\"p\">" MATH
                                  "<apply><ci>f40</ci><cn>1</cn></apply></math></assignmentRule>"
                                  "</listOfRules></model></sbml>\n",
                             functions);
    char *path = write_temp(doc), *out = NULL;
    char *cmd = tc_xasprintf("%s simulate %s --end 1 --steps 1 2>&1", tc_test_binary(), path);
    ck_assert_int_eq(run_shell(&out, cmd), 2);
    ck_assert_msg(strstr(out, "assignment to 'p'") &&
                      strstr(out, "the math expands to more than 2097152 operations once its "
                                  "function calls are inlined"),
                  "%s", out);
    free(out);
    free(cmd);
    unlink(path);
    free(path);
    free(doc);
    free(functions);
}
END_TEST

Suite *simulate_suite(void)
{
    Suite *s = suite_create("simulate");
    TCase *tc = tcase_create("sbml");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_concentration_in_growing_compartment, 0, 2);
    tcase_add_loop_test(tc, test_conversion_factors, 0, 2);
    tcase_add_loop_test(tc, test_event_on_concentration, 0, 2);
    tcase_add_loop_test(tc, test_algebraic_rule, 0, 2);
    tcase_add_loop_test(tc, test_algebraic_rule_skips_event_targets, 0, 2);
    tcase_add_loop_test(tc, test_fast_reaction_equilibrium, 0, 2);
    tcase_add_test(tc, test_mapping_errors);
    suite_add_tcase(s, tc);
    TCase *cli = tcase_create("cli");
    tcase_set_timeout(cli, 60);
    tcase_add_test(cli, test_cli_csv);
    tcase_add_test(cli, test_cli_exit_statuses);
    tcase_add_test(cli, test_cli_seed);
    tcase_add_test(cli, test_cli_exponential_inlining_refused);
    suite_add_tcase(s, cli);
    return s;
}
