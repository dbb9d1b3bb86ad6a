/* sbml: findings name the element they are about (the rule, assignment, kinetic law or
 * event that holds the math, and its variable or id) and say what the rule requires;
 * each is checked by rule, line and whole message on a small document. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define HEAD(ns, l, v)                                                                             \
    "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/" ns "\" level=\"" l          \
    "\" version=\"" v "\">\n"
#define L2V4 HEAD("level2/version4", "2", "4")
#define L3V1 HEAD("level3/version1/core", "3", "1")
#define L3V2 HEAD("level3/version2/core", "3", "2")

/* What the MathML reader finds is placed in the element the math belongs to. */
START_TEST(test_mathml_finding_names_its_reaction)
{
    const char *text =
        L3V2 "<model>\n"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"
             "</listOfCompartments>\n"
             "<listOfSpecies><species id=\"S\" compartment=\"c\" initialAmount=\"1\" "
             "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
             "</listOfSpecies>\n"
             "<listOfReactions><reaction id=\"R\" reversible=\"false\">\n"
             "<listOfReactants><speciesReference species=\"S\" constant=\"true\"/>"
             "</listOfReactants>\n"
             "<kineticLaw>" MATHML "\n"
             "<apply><divide/><cn>1</cn></apply>\n"
             "</math></kineticLaw></reaction></listOfReactions>\n"
             "</model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:10218", 9,
                 "<divide> takes 2 arguments, not 1 (in the kinetic law of reaction \"R\")");
}
END_TEST

/* Type rules name the event whose trigger breaks them. */
START_TEST(test_type_finding_names_its_event)
{
    const char *text = L2V4 "<model>\n"
                            "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\"/>"
                            "</listOfParameters>\n"
                            "<listOfEvents><event id=\"E\">\n"
                            "<trigger>" MATHML "\n"
                            "<apply><and/><cn>1</cn><true/></apply>\n"
                            "</math></trigger>\n"
                            "<listOfEventAssignments><eventAssignment variable=\"p\">" MATHML
                            "<cn>2</cn></math></eventAssignment></listOfEventAssignments>\n"
                            "</event></listOfEvents>\n"
                            "</model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:10209", 7,
                 "the arguments of <and> in the trigger of event \"E\" must be boolean");
}
END_TEST

/* Unit findings name the variable of the rule and the reaction of the kinetic law. */
START_TEST(test_unit_findings_name_rule_and_reaction)
{
    const char *text =
        L3V1 "<model timeUnits=\"second\" extentUnits=\"mole\" substanceUnits=\"mole\">\n"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\" "
             "units=\"litre\" spatialDimensions=\"3\"/></listOfCompartments>\n"
             "<listOfSpecies><species id=\"S\" compartment=\"c\" initialAmount=\"1\" "
             "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
             "</listOfSpecies>\n"
             "<listOfParameters><parameter id=\"len\" value=\"1\" units=\"metre\" "
             "constant=\"true\"/><parameter id=\"q\" value=\"1\" units=\"dimensionless\" "
             "constant=\"false\"/><parameter id=\"k\" value=\"1\" constant=\"true\"/>"
             "</listOfParameters>\n"
             "<listOfRules><assignmentRule variable=\"q\">" MATHML "\n"
             "<apply><exp/><ci>len</ci></apply>\n"
             "</math></assignmentRule></listOfRules>\n"
             "<listOfReactions><reaction id=\"R\" reversible=\"false\" fast=\"false\">\n"
             "<listOfReactants><speciesReference species=\"S\" stoichiometry=\"1\" "
             "constant=\"true\"/></listOfReactants>\n"
             "<kineticLaw>" MATHML "\n"
             "<apply><times/><ci>k</ci><ci>S</ci></apply>\n"
             "</math></kineticLaw></reaction></listOfReactions>\n"
             "</model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:10501", 8,
                 "the units in the assignment rule for \"q\" are inconsistent: the argument of "
                 "<exp> must be dimensionless, but it has metre");
    tc_test_sbml_expect_exact(text, "sbml:99505", 12,
                 "the units of the kinetic law of reaction \"R\" cannot be fully checked: it "
                 "uses numbers or parameters whose units are not declared, or a function "
                 "without math");
}
END_TEST

/* An over-determined model: the finding says which equation is left over. */
START_TEST(test_overdetermined_names_the_equation)
{
    const char *text =
        L3V1 "<model>\n"
             "<listOfParameters><parameter id=\"x\" value=\"1\" units=\"metre\" "
             "constant=\"false\"/></listOfParameters>\n"
             "<listOfRules>\n"
             "<assignmentRule variable=\"x\">" MATHML "<cn>1</cn></math></assignmentRule>\n"
             "<algebraicRule>" MATHML "<apply><minus/><ci>x</ci><ci>x</ci></apply>"
             "</math></algebraicRule>\n"
             "</listOfRules>\n"
             "</model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:10601", 7,
                 "the model is over-determined: an algebraic rule has no variable left to "
                 "determine; each equation must determine a variable that no other one does");
}
END_TEST

/* A constant variable changed by an event: the finding names its kind and the event. */
START_TEST(test_constant_event_target_names_kind_and_event)
{
    const char *text = L3V1
        "<model>\n"
        "<listOfParameters><parameter id=\"k\" value=\"1\" units=\"second\" "
        "constant=\"true\"/></listOfParameters>\n"
        "<listOfEvents><event id=\"E\" useValuesFromTriggerTime=\"true\">"
        "<trigger initialValue=\"true\" persistent=\"true\">" MATHML "<true/></math></trigger>\n"
        "<listOfEventAssignments>\n"
        "<eventAssignment variable=\"k\">" MATHML "<ci>k</ci></math></eventAssignment>\n"
        "</listOfEventAssignments></event></listOfEvents>\n"
        "</model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:21212", 7,
                 "parameter \"k\" is constant and so cannot be changed by event \"E\"; only a "
                 "variable with constant=\"false\" may be");
}
END_TEST

/* A species reference without its species is named by its role and reaction. */
START_TEST(test_species_reference_without_species)
{
    const char *text =
        L3V1 "<model>\n"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"
             "</listOfCompartments>\n"
             "<listOfSpecies><species id=\"S\" compartment=\"c\" initialAmount=\"1\" "
             "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
             "</listOfSpecies>\n"
             "<listOfReactions><reaction id=\"R\" reversible=\"false\" fast=\"false\">\n"
             "<listOfReactants><speciesReference species=\"S\" constant=\"true\"/>"
             "</listOfReactants>\n"
             "<listOfProducts><speciesReference stoichiometry=\"1\" constant=\"true\"/>"
             "</listOfProducts>\n"
             "</reaction></listOfReactions>\n"
             "</model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:21116", 8,
                              "a product of reaction \"R\" is missing the required attribute "
                              "species");
}
END_TEST

Suite *sbml_messages_suite(void)
{
    Suite *s = suite_create("sbml_messages");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_mathml_finding_names_its_reaction);
    tcase_add_test(tc, test_type_finding_names_its_event);
    tcase_add_test(tc, test_unit_findings_name_rule_and_reaction);
    tcase_add_test(tc, test_overdetermined_names_the_equation);
    tcase_add_test(tc, test_constant_event_target_names_kind_and_event);
    tcase_add_test(tc, test_species_reference_without_species);
    suite_add_tcase(s, tc);
    return s;
}
