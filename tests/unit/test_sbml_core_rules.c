/* sbml: schema (10103), MathML placement (10201), argument counts (10218), ids (10301,
 * 10310), rateOf targets (10222-10225) and SBO terms (10718, 10719), on small inline
 * documents: each finding's rule, line and message. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define L1V2 "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"2\">\n"
#define L2V1 "<sbml xmlns=\"http://www.sbml.org/sbml/level2\" level=\"2\" version=\"1\">\n"
#define L2V2 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version2\" level=\"2\" version=\"2\">\n"
#define L2V3 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version3\" level=\"2\" version=\"3\">\n"
#define L2V4 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" version=\"4\">\n"
#define L2V5 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version5\" level=\"2\" version=\"5\">\n"
#define L3V1                                                                                       \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\">\n"
#define L3V2                                                                                       \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"

/* Exactly one finding with this rule; it is on this line and its message contains `part`. */
static void expect_one(const char *text, const char *rule, long line, const char *part)
{
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    size_t n = 0, hit = 0;
    for (size_t i = 0; i < fs.len; i++)
        if (strcmp(fs.items[i].rule, rule) == 0) {
            n++;
            hit = i;
        }
    if (n != 1 || fs.items[hit].line != line || !strstr(fs.items[hit].message, part))
        tc_test_sbml_dump(&fs);
    ck_assert_msg(n == 1, "expected one %s, found %zu", rule, n);
    ck_assert_int_eq(fs.items[hit].line, line);
    ck_assert_msg(strstr(fs.items[hit].message, part), "message \"%s\" lacks \"%s\"",
                  fs.items[hit].message, part);
    tc_findings_release(&fs);
}

START_TEST(test_list_sbo_term_before_l2v3)
{
#define LISTS_WITH_SBO(HEAD)                                                                       \
    "<?xml version=\"1.0\"?>\n" HEAD "<model id=\"m\">\n"                                          \
    "<listOfCompartments sboTerm=\"SBO:0000240\">\n"                                               \
    "<compartment id=\"c\" size=\"1\"/></listOfCompartments>\n"                                    \
    "</model></sbml>\n"
    expect_one(LISTS_WITH_SBO(L2V1), "sbml:10103", 4,
               "<listOfCompartments> may not have the "
               "attribute sboTerm in SBML Level 2 Version 1");
    expect_one(LISTS_WITH_SBO(L2V2), "sbml:10103", 4, "Version 2; lists carry one from Version 3");
    tc_test_sbml_expect_none(LISTS_WITH_SBO(L2V3), "sbml:10103");
#undef LISTS_WITH_SBO
}
END_TEST

START_TEST(test_event_without_trigger_by_version)
{
#define EVENT_NO_TRIGGER(HEAD)                                                                     \
    "<?xml version=\"1.0\"?>\n" HEAD "<model>\n"                                                   \
    "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\"/></listOfParameters>\n"  \
    "<listOfEvents>\n"                                                                             \
    "<event id=\"e\"><listOfEventAssignments><eventAssignment variable=\"p\">" MATHML              \
    "<cn> 2 </cn></math></eventAssignment></listOfEventAssignments></event>\n"                     \
    "</listOfEvents></model></sbml>\n"
    /* Level 2 Version 1 states the requirement in its schema only */
    expect_one(EVENT_NO_TRIGGER(L2V1), "sbml:10103", 6,
               "<event> \"e\" has no <trigger>, which the SBML Level 2 Version 1 schema");
    tc_test_sbml_expect_none(EVENT_NO_TRIGGER(L2V1), "sbml:21201");
    expect_one(EVENT_NO_TRIGGER(L2V4), "sbml:21201", 6, "<event> must contain a <trigger>");
    tc_test_sbml_expect_none(EVENT_NO_TRIGGER(L2V4), "sbml:10103");
#undef EVENT_NO_TRIGGER
}
END_TEST

START_TEST(test_level3_element_in_level2_namespace)
{
    const char *doc = "<?xml version=\"1.0\"?>\n" L3V1
                      "<sbml:model xmlns:sbml=\"http://www.sbml.org/sbml/level2/version3\" "
                      "id=\"m\"/>\n"
                      "</sbml>\n";
    expect_one(doc, "sbml:10103", 3,
               "<model> is in the namespace \"http://www.sbml.org/sbml/level2/version3\" of an "
               "earlier SBML level");
    /* another Level 3 version's core namespace is not reported */
    const char *l3 = "<?xml version=\"1.0\"?>\n"
                     "<s:sbml xmlns:s=\"http://www.sbml.org/sbml/level3/version2/core\" "
                     "xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" "
                     "version=\"2\">\n<model/>\n</s:sbml>\n";
    tc_test_sbml_expect_none(l3, "sbml:10103");
}
END_TEST

#define RATE_RULE_DOC(HEAD, MATH)                                                                  \
    "<?xml version=\"1.0\"?>\n" HEAD "<model>\n"                                                   \
    "<listOfParameters><parameter id=\"x\" value=\"1\" constant=\"true\"/>\n"                      \
    "<parameter id=\"y\" value=\"0\" constant=\"false\"/></listOfParameters>\n"                    \
    "<listOfRules><rateRule variable=\"y\">\n" MATH "\n</rateRule></listOfRules>\n"                \
    "</model></sbml>\n"

START_TEST(test_mathml_outside_its_namespace_or_expression)
{
    /* an operator written without the MathML prefix falls into the SBML namespace */
    const char *unprefixed = RATE_RULE_DOC(
        L2V4, "<m:math xmlns:m=\"http://www.w3.org/1998/Math/MathML\">\n<m:apply>\n<times/>\n"
              "<m:ci> x </m:ci><m:ci> x </m:ci></m:apply></m:math>");
    expect_one(unprefixed, "sbml:10201", 9, "<times> inside math is not in the MathML namespace");
    tc_test_sbml_expect_none(unprefixed, "sbml:10202");
    /* a second expression in <math> */
    const char *two =
        RATE_RULE_DOC(L3V1, MATHML "\n<apply><times/><ci> x </ci><cn> 1 </cn></apply>\n"
                                   "<apply><plus/><ci> x </ci><cn> 1 </cn></apply>\n"
                                   "</math>");
    expect_one(two, "sbml:10201", 9, "<math> holds exactly one expression; the extra <apply>");
    tc_test_sbml_expect_none(two, "sbml:10202");
    /* a second expression in <semantics> */
    const char *sem = RATE_RULE_DOC(
        L3V1, MATHML "<semantics>\n<apply><times/><ci> x </ci><cn> 1 </cn></apply>\n"
                     "<apply><plus/><ci> x </ci><cn> 1 </cn></apply>\n"
                     "<annotation encoding=\"text\">note</annotation></semantics></math>");
    expect_one(sem, "sbml:10201", 9, "<semantics> holds one expression and then only annotations");
    tc_test_sbml_expect_none(sem, "sbml:10202");
    /* a well-formed semantics has nothing to report */
    const char *ok =
        RATE_RULE_DOC(L3V1, MATHML "<semantics>\n<apply><times/><ci> x </ci><cn> 1 </cn></apply>\n"
                                   "<annotation encoding=\"text\">note</annotation>"
                                   "</semantics></math>");
    tc_test_sbml_expect_none(ok, "sbml:10201");
}
END_TEST

#define CALL_DOC(HEAD)                                                                             \
    "<?xml version=\"1.0\"?>\n" HEAD "<model>\n"                                                   \
    "<listOfFunctionDefinitions><functionDefinition id=\"sq\">" MATHML                             \
    "<lambda><bvar><ci> a </ci></bvar><apply><times/><ci> a </ci><ci> a </ci></apply></lambda>"    \
    "</math></functionDefinition></listOfFunctionDefinitions>\n"                                   \
    "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\"/></listOfParameters>\n"  \
    "<listOfRules><assignmentRule variable=\"p\">" MATHML "\n"                                     \
    "<apply><ci> sq </ci><cn> 1 </cn><cn> 2 </cn></apply></math></assignmentRule></listOfRules>\n" \
    "</model></sbml>\n"

START_TEST(test_function_argument_count_by_version)
{
    /* 10219 exists from Level 2 Version 4; before, the call is one more operator (10218) */
    expect_one(CALL_DOC(L2V1), "sbml:10218", 7,
               "function \"sq\" takes 1 argument but the assignment rule for \"p\" gives it 2");
    tc_test_sbml_expect_none(CALL_DOC(L2V1), "sbml:10219");
    expect_one(CALL_DOC(L2V3), "sbml:10218", 7, "function \"sq\" takes 1 argument");
    expect_one(CALL_DOC(L2V4), "sbml:10219", 7,
               "function \"sq\" takes 1 argument but the assignment rule for \"p\" gives it 2");
    tc_test_sbml_expect_none(CALL_DOC(L2V4), "sbml:10218");
}
END_TEST

#define DIM0_DOC(HEAD)                                                                             \
    "<?xml version=\"1.0\"?>\n" HEAD "<model>\n"                                                   \
    "<listOfCompartments><compartment id=\"c\" spatialDimensions=\"0\"/></listOfCompartments>\n"   \
    "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\"/></listOfParameters>\n"  \
    "<listOfRules><assignmentRule variable=\"p\">" MATHML "\n"                                     \
    "<apply><times/><cn> 2 </cn>\n<ci> c </ci></apply></math></assignmentRule></listOfRules>\n"    \
    "</model></sbml>\n"

START_TEST(test_dimensionless_compartment_in_math)
{
    expect_one(DIM0_DOC(L2V5), "sbml:10222", 8,
               "compartment \"c\" in the assignment rule for \"p\" has spatialDimensions=\"0\" and "
               "so no size; its id cannot be used in math");
    /* the rule belongs to Level 2 Version 5 */
    tc_test_sbml_expect_none(DIM0_DOC(L2V4), "sbml:10222");
}
END_TEST

#define RATEOF(X)                                                                                  \
    "<apply><csymbol encoding=\"text\" definitionURL=\"http://www.sbml.org/sbml/symbols/rateOf\">" \
    "rateOf</csymbol><ci> " X " </ci></apply>"

START_TEST(test_rate_of_targets)
{
    const char *reaction =
        "<?xml version=\"1.0\"?>\n" L3V2 "<model>\n"
        "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"
        "</listOfCompartments>\n"
        "<listOfSpecies><species id=\"s\" compartment=\"c\" initialAmount=\"1\" "
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
        "</listOfSpecies>\n"
        "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"true\"/></listOfParameters>\n"
        "<listOfInitialAssignments><initialAssignment symbol=\"p\">" MATHML "\n" RATEOF(
            "r") "</math></initialAssignment></listOfInitialAssignments>\n"
                 "<listOfReactions><reaction id=\"r\" reversible=\"false\"><listOfReactants>"
                 "<speciesReference species=\"s\" constant=\"true\"/></listOfReactants></reaction>"
                 "</listOfReactions>\n"
                 "</model></sbml>\n";
    expect_one(
        reaction, "sbml:10223", 8,
        "rateOf(r) in the initial assignment to \"p\": \"r\" is a reaction; rateOf takes the "
        "id of a compartment, parameter, species or species reference");
    /* the compartment of a concentration sized by an algebraic rule */
    const char *algebraic =
        "<?xml version=\"1.0\"?>\n" L3V2 "<model>\n"
        "<listOfCompartments><compartment id=\"c\" constant=\"false\"/></listOfCompartments>\n"
        "<listOfSpecies><species id=\"s\" compartment=\"c\" initialConcentration=\"1\" "
        "hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>"
        "</listOfSpecies>\n"
        "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"true\"/></listOfParameters>\n"
        "<listOfRules><algebraicRule>" MATHML "<apply><minus/><ci> c </ci><cn> 2 </cn></apply>"
        "</math></algebraicRule></listOfRules>\n"
        "<listOfInitialAssignments><initialAssignment symbol=\"p\">" MATHML
        "\n" RATEOF("s") "</math></initialAssignment></listOfInitialAssignments>\n"
                         "</model></sbml>\n";
    expect_one(algebraic, "sbml:10225", 9,
               "rateOf(s) in the initial assignment to \"p\": the size of the compartment \"c\" of "
               "this concentration is determined by an algebraic rule");
    tc_test_sbml_expect_none(algebraic, "sbml:10223");
}
END_TEST

START_TEST(test_level3v2_ids_of_rules_and_lists)
{
    const char *doc =
        "<?xml version=\"1.0\"?>\n" L3V2 "<model id=\"m\">\n"
        "<listOfParameters id=\"lp\"><parameter id=\"p\" value=\"1\" constant=\"false\"/>"
        "</listOfParameters>\n"
        "<listOfRules><assignmentRule id=\"r\" variable=\"p\">" MATHML "<cn> 1 </cn></math>"
        "</assignmentRule></listOfRules>\n"
        "<listOfConstraints id=\"r\"/>\n"
        "</model></sbml>\n";
    expect_one(doc, "sbml:10301", 6,
               "the id \"r\" of <listOfConstraints> is already used (line 5); ids must be unique");
    const char *two_rules =
        "<?xml version=\"1.0\"?>\n" L3V2 "<model id=\"m\">\n"
        "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\"/>"
        "<parameter id=\"q\" value=\"1\" constant=\"false\"/></listOfParameters>\n"
        "<listOfRules><assignmentRule id=\"r\" variable=\"p\">" MATHML "<cn> 1 </cn></math>"
        "</assignmentRule>\n"
        "<assignmentRule id=\"r\" variable=\"q\">" MATHML "<cn> 1 </cn></math>"
        "</assignmentRule></listOfRules>\n"
        "</model></sbml>\n";
    expect_one(two_rules, "sbml:10301", 6,
               "the id \"r\" of <assignmentRule> is already used (line 5)");
}
END_TEST

START_TEST(test_level1_names_are_snames)
{
    const char *doc = "<?xml version=\"1.0\"?>\n" L1V2 "<model>\n"
                      "<listOfCompartments><compartment name=\"c\" volume=\"1\"/>"
                      "</listOfCompartments>\n"
                      "<listOfSpecies><species name=\"s\" compartment=\"c\" initialAmount=\"1\"/>"
                      "</listOfSpecies>\n"
                      "<listOfReactions>\n<reaction name=\"3r\"><listOfProducts>"
                      "<speciesReference species=\"s\"/></listOfProducts></reaction>\n"
                      "</listOfReactions></model></sbml>\n";
    expect_one(doc, "sbml:10310", 7,
               "name=\"3r\" of <reaction> is not a valid SName (a letter or _, then letters, "
               "digits or _)");
}
END_TEST

START_TEST(test_sbo_terms_of_local_parameters_and_sbml)
{
    const char *local =
        "<?xml version=\"1.0\"?>\n" L3V1 "<model>\n"
        "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"
        "</listOfCompartments>\n"
        "<listOfSpecies><species id=\"s\" compartment=\"c\" initialAmount=\"1\" "
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
        "</listOfSpecies>\n"
        "<listOfReactions><reaction id=\"r\" reversible=\"false\" fast=\"false\">"
        "<listOfReactants><speciesReference species=\"s\" constant=\"true\"/></listOfReactants>\n"
        "<kineticLaw>" MATHML "<ci> k </ci></math><listOfLocalParameters>\n"
        "<localParameter id=\"k\" value=\"1\" sboTerm=\"SBO:0000010\"/>\n"
        "</listOfLocalParameters></kineticLaw></reaction></listOfReactions>\n"
        "</model></sbml>\n";
    expect_one(local, "sbml:10718", 8,
               "sboTerm SBO:0000010 of <localParameter> \"k\" should be a term for a quantitative "
               "parameter");
    tc_test_sbml_expect_none(local, "sbml:10703");
    /* the <sbml> element's term is checked even when there is no model */
    const char *bare = "<?xml version=\"1.0\"?>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" "
                       "version=\"2\" sboTerm=\"SBO:0000001\">\n"
                       "</sbml>\n";
    expect_one(bare, "sbml:10719", 2,
               "sboTerm SBO:0000001 of <sbml> should be a term for a modelling framework");
}
END_TEST

Suite *sbml_core_rules_suite(void)
{
    Suite *s = suite_create("sbml_core_rules");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_list_sbo_term_before_l2v3);
    tcase_add_test(tc, test_event_without_trigger_by_version);
    tcase_add_test(tc, test_level3_element_in_level2_namespace);
    tcase_add_test(tc, test_mathml_outside_its_namespace_or_expression);
    tcase_add_test(tc, test_function_argument_count_by_version);
    tcase_add_test(tc, test_dimensionless_compartment_in_math);
    tcase_add_test(tc, test_rate_of_targets);
    tcase_add_test(tc, test_level3v2_ids_of_rules_and_lists);
    tcase_add_test(tc, test_level1_names_are_snames);
    tcase_add_test(tc, test_sbo_terms_of_local_parameters_and_sbml);
    suite_add_tcase(s, tc);
    return s;
}
