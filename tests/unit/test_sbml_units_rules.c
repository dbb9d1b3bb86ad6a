/* sbml: unit rules that need values or defaults (10513, 10541, 10542, 20701), what
 * makes a unit check incomplete (99505, 99508, 99509), rule order in early levels
 * (99106), a species' compartment (20614), obsolete SBO terms (99702) and rateOf of an
 * algebraic variable (10224): each finding's rule, line and message, on small documents. */
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
#define L1V2 HEAD("level1", "1", "2")
#define L2V1 HEAD("level2", "2", "1")
#define L2V2 HEAD("level2/version2", "2", "2")
#define L2V3 HEAD("level2/version3", "2", "3")
#define L3V1 HEAD("level3/version1/core", "3", "1")
#define L3V2 HEAD("level3/version2/core", "3", "2")

/* Level 1 and Level 2 Version 1: a rule that uses its own variable (99106). */
START_TEST(test_rule_uses_itself_in_early_levels)
{
    const char *l2v1 = L2V1 "<model><listOfParameters>\n"
                            "<parameter id=\"z\" value=\"1\"/>\n"
                            "<parameter id=\"p\" value=\"1\" constant=\"false\"/>\n"
                            "</listOfParameters><listOfRules>\n"
                            "<assignmentRule variable=\"p\">" MATHML
                            "<apply><times/><ci> p </ci><ci> z </ci></apply></math>"
                            "</assignmentRule>\n</listOfRules></model></sbml>\n";
    tc_test_sbml_expect_n(
        l2v1, 1, "sbml:99106", 7,
        "the rule for \"p\" uses \"p\" itself; in this level a rule may not use the value it "
        "assigns");
    const char *l1 = L1V2 "<model><listOfCompartments><compartment name=\"c\"/>"
                          "</listOfCompartments><listOfParameters>\n"
                          "<parameter name=\"z\" value=\"1\"/><parameter name=\"p\" value=\"1\"/>"
                          "</listOfParameters><listOfRules>\n"
                          "<parameterRule name=\"p\" formula=\"p*z\"/>\n"
                          "</listOfRules></model></sbml>\n";
    tc_test_sbml_expect_n(l1, 1, "sbml:99106", 5, "uses \"p\" itself");
    /* later versions evaluate rules simultaneously: that is a cycle (20906), not 99106 */
    const char *l2v2 = L2V2 "<model><listOfParameters>\n"
                            "<parameter id=\"z\" value=\"1\"/>\n"
                            "<parameter id=\"p\" value=\"1\" constant=\"false\"/>\n"
                            "</listOfParameters><listOfRules>\n"
                            "<assignmentRule variable=\"p\">" MATHML
                            "<apply><times/><ci> p </ci><ci> z </ci></apply></math>"
                            "</assignmentRule>\n</listOfRules></model></sbml>\n";
    tc_test_sbml_expect_none(l2v2, "sbml:99106");
    tc_test_sbml_expect_n(l2v2, 1, "sbml:20906", 7, "the definition of \"p\" depends on itself");
}
END_TEST

/* A Level 3 species without compartment breaks 20614 (and, as a missing required
 * attribute, 20623); its concentration has no units then (99508). */
START_TEST(test_species_without_compartment)
{
    const char *doc = L3V1 "<model><listOfCompartments><compartment id=\"c\" size=\"1\" "
                           "units=\"litre\" constant=\"true\"/></listOfCompartments>\n"
                           "<listOfSpecies>\n<species id=\"s\" hasOnlySubstanceUnits=\"false\" "
                           "boundaryCondition=\"false\" constant=\"false\" "
                           "substanceUnits=\"mole\" initialAmount=\"1\"/>\n"
                           "</listOfSpecies></model></sbml>\n";
    tc_test_sbml_expect_n(doc, 1, "sbml:20614", 5, "species \"s\" names no compartment");
    tc_test_sbml_expect_n(doc, 1, "sbml:20623", 5, "missing the required attribute compartment");
    tc_test_sbml_expect_n(
        doc, 1, "sbml:99508", 5,
        "the units of species \"s\" are not declared: it is a concentration and names no "
        "existing compartment");
}
END_TEST

/* A root's degree given by a constant parameter (or a sum of them) has a value, so the
 * result's units are known and compared (10513), with no 99504. */
#define ROOT_DOC(head, result_units, degree)                                                       \
    head "<model><listOfUnitDefinitions><unitDefinition id=\"area\"><listOfUnits>"                 \
         "<unit kind=\"metre\" exponent=\"2\"/></listOfUnits></unitDefinition>"                    \
         "</listOfUnitDefinitions>\n<listOfParameters>"                                            \
         "<parameter id=\"r\" value=\"0\" constant=\"false\" units=\"" result_units "\"/>"         \
         "<parameter id=\"a\" value=\"9\" constant=\"true\" units=\"area\"/>"                      \
         "<parameter id=\"one\" value=\"1\" constant=\"true\" units=\"dimensionless\"/>"           \
         "<parameter id=\"two\" value=\"2\" units=\"dimensionless\"/>"                             \
         "<parameter id=\"three\" value=\"3\" constant=\"true\" units=\"dimensionless\"/>"         \
         "</listOfParameters>\n<listOfRules><assignmentRule variable=\"r\">\n" MATHML              \
         "<apply><root/><degree>" degree "</degree><ci>a</ci></apply></math>"                      \
         "</assignmentRule></listOfRules></model></sbml>\n"

START_TEST(test_root_degree_from_parameters)
{
    const char *three = ROOT_DOC(L2V3, "dimensionless", "<ci>three</ci>");
    tc_test_sbml_expect_n(
        three, 1, "sbml:10513", 5,
        "the math of the assignment rule for \"r\" must have the units of parameter \"r\": the "
        "math gives metre^0.6667, \"r\" has dimensionless");
    tc_test_sbml_expect_none(three, "sbml:99504");
    const char *sum =
        ROOT_DOC(L2V3, "metre", "<apply><plus/><ci>one</ci><ci>one</ci><ci>one</ci></apply>");
    tc_test_sbml_expect_n(
        sum, 1, "sbml:10513", 5,
        "must have the units of parameter \"r\": the math gives metre^0.6667, \"r\" has metre");
    /* the square root of an area is a length; Level 2 parameters are constant by default */
    tc_test_sbml_expect_none(ROOT_DOC(L2V3, "metre", "<ci>two</ci>"), "sbml:10513");
    tc_test_sbml_expect_none(ROOT_DOC(L2V3, "metre", "<ci>two</ci>"), "sbml:99504");
}
END_TEST

/* A parameter that an initial assignment sets has no known value: nothing is compared. */
START_TEST(test_assigned_degree_is_not_a_value)
{
    const char *doc = L3V1
        "<model><listOfParameters>"
        "<parameter id=\"r\" value=\"0\" constant=\"false\" units=\"dimensionless\"/>"
        "<parameter id=\"a\" value=\"9\" constant=\"true\" units=\"metre\"/>"
        "<parameter id=\"n\" value=\"2\" constant=\"true\" units=\"dimensionless\"/>"
        "</listOfParameters>\n<listOfInitialAssignments><initialAssignment symbol=\"n\">" MATHML
        "<cn type=\"integer\" xmlns:sbml=\"http://www.sbml.org/sbml/level3/version1/"
        "core\" sbml:units=\"dimensionless\">3</cn></math></initialAssignment>"
        "</listOfInitialAssignments>\n<listOfRules><assignmentRule variable=\"r\">\n" MATHML
        "<apply><power/><ci>a</ci><ci>n</ci></apply></math>"
        "</assignmentRule></listOfRules></model></sbml>\n";
    tc_test_sbml_expect_none(doc, "sbml:10513");
}
END_TEST

/* A kinetic law raising an amount to a constant power: its units are known (10541). */
START_TEST(test_kinetic_law_power_of_parameter)
{
    const char *doc =
        L3V2 "<model timeUnits=\"second\" extentUnits=\"mole\">\n"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" units=\"litre\" "
             "constant=\"true\"/></listOfCompartments><listOfSpecies><species id=\"s\" "
             "compartment=\"c\" initialAmount=\"1\" substanceUnits=\"mole\" "
             "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
             "</listOfSpecies><listOfParameters><parameter id=\"nd\" value=\"2\" "
             "units=\"dimensionless\" constant=\"true\"/></listOfParameters>\n"
             "<listOfReactions><reaction id=\"r\" reversible=\"false\"><listOfReactants>"
             "<speciesReference species=\"s\" stoichiometry=\"1\" constant=\"true\"/>"
             "</listOfReactants><kineticLaw>\n" MATHML
             "<apply><power/><ci>s</ci><ci>nd</ci></apply></math></kineticLaw></reaction>"
             "</listOfReactions></model></sbml>\n";
    tc_test_sbml_expect_n(
        doc, 1, "sbml:10541", 6,
        "the units of the kinetic law of reaction \"r\" are not units of extent per unit of "
        "time: the math gives mole^2, extent per time is mole/second");
    tc_test_sbml_expect_none(doc, "sbml:99503");
}
END_TEST

/* Extent units times a conversion factor's units must be the species' substance units. */
#define CF_DOC(model_cf, species_cf, cf_units)                                                     \
    L3V2                                                                                           \
        "<model extentUnits=\"mole\" timeUnits=\"second\"" model_cf ">\n"                          \
        "<listOfCompartments><compartment id=\"c\" size=\"1\" units=\"litre\" "                    \
        "constant=\"true\"/></listOfCompartments><listOfSpecies>\n"                                \
        "<species id=\"s1\" compartment=\"c\" initialAmount=\"1\" substanceUnits=\"mole\" "        \
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"" species_cf \
        "/>\n<species id=\"s2\" compartment=\"c\" initialAmount=\"1\" substanceUnits=\"gram\" "    \
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>\n"        \
        "<species id=\"s3\" compartment=\"c\" initialAmount=\"1\" substanceUnits=\"gram\" "        \
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>\n"        \
        "</listOfSpecies><listOfParameters><parameter id=\"cf\" value=\"2\" units=\"" cf_units     \
        "\" constant=\"true\"/></listOfParameters>\n<listOfReactions><reaction id=\"r\" "          \
        "reversible=\"false\"><listOfReactants><speciesReference species=\"s1\" "                  \
        "stoichiometry=\"1\" constant=\"true\"/></listOfReactants><listOfProducts>"                \
        "<speciesReference species=\"s2\" stoichiometry=\"1\" constant=\"true\"/>"                 \
        "</listOfProducts></reaction></listOfReactions></model></sbml>\n"

START_TEST(test_conversion_factor_units)
{
    /* s1 converts by seconds; s2 (grams) has no conversion factor; s3 takes no part */
    const char *doc = CF_DOC("", " conversionFactor=\"cf\"", "second");
    tc_test_sbml_expect_n(
        doc, 1, "sbml:10542", 5,
        "species \"s1\" is changed by reactions in extent units times its conversion factor "
        "\"cf\", which are not its substance units: they give mole*second, its substance "
        "units are mole");
    tc_test_sbml_expect_n(
        doc, 1, "sbml:10542", 6,
        "species \"s2\" is changed by reactions in extent units, which are not its substance "
        "units, and it has no conversion factor: the extent units are mole, its substance "
        "units gram");
    tc_findings all;
    tc_test_sbml_validate(doc, &all);
    ck_assert_uint_eq(tc_test_sbml_count(&all, "sbml:10542", -1, ""), 2);
    tc_findings_release(&all);
    /* the model's factor in grams per mole: right for s2, wrong for s1 */
    const char *model = L3V2 "<model extentUnits=\"mole\" timeUnits=\"second\" "
                             "conversionFactor=\"cf\">\n<listOfUnitDefinitions>"
                             "<unitDefinition id=\"g_per_mol\"><listOfUnits><unit kind=\"gram\" "
                             "exponent=\"1\" scale=\"0\" multiplier=\"1\"/><unit kind=\"mole\" "
                             "exponent=\"-1\" scale=\"0\" multiplier=\"1\"/></listOfUnits>"
                             "</unitDefinition></listOfUnitDefinitions>";
    char *text =
        tc_xasprintf("%s%s", model, strstr(CF_DOC("", "", "g_per_mol"), "<listOfCompartments>"));
    tc_test_sbml_expect_n(
        text, 1, "sbml:10542", 5,
        "conversion factor \"cf\", which are not its substance units: they give gram, its "
        "substance units are mole");
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    ck_assert_uint_eq(tc_test_sbml_count(&fs, "sbml:10542", -1, ""), 1);
    tc_findings_release(&fs);
    free(text);
    /* a dimensionless factor keeps moles */
    const char *ok = CF_DOC("", " conversionFactor=\"cf\"", "dimensionless");
    tc_test_sbml_expect_n(ok, 1, "sbml:10542", 6, "species \"s2\"");
    tc_findings fo;
    tc_test_sbml_validate(ok, &fo);
    ck_assert_uint_eq(tc_test_sbml_count(&fo, "sbml:10542", 5, ""), 0);
    tc_findings_release(&fo);
}
END_TEST

/* Units that are not declared make a check incomplete: a parameter whose units name an
 * empty unit definition (99505 where it is used), a unit name that names nothing (99508;
 * Level 3 Version 1 calls the bad reference 20701). */
START_TEST(test_parameters_without_usable_units)
{
    const char *empty = L3V2 "<model timeUnits=\"second\"><listOfUnitDefinitions>"
                             "<unitDefinition id=\"substance\"/></listOfUnitDefinitions>\n"
                             "<listOfParameters>\n"
                             "<parameter id=\"p4\" value=\"2\" constant=\"true\" "
                             "units=\"substance\"/>\n<parameter id=\"q\" value=\"2\" "
                             "constant=\"false\" units=\"mole\"/>\n</listOfParameters>"
                             "<listOfRules><assignmentRule variable=\"q\">\n" MATHML
                             "<ci> p4 </ci></math></assignmentRule></listOfRules></model></sbml>\n";
    tc_test_sbml_expect_n(
        empty, 1, "sbml:99508", 5,
        "the units of parameter \"p4\" are not declared: the unit definition \"substance\" "
        "has no units");
    tc_test_sbml_expect_n(
        empty, 1, "sbml:99505", 8,
        "the units of the assignment rule for \"q\" cannot be fully checked: it uses numbers "
        "or parameters whose units are not declared");
    const char *bogus = L3V1 "<model><listOfParameters>\n<parameter id=\"p\" value=\"1\" "
                             "units=\"bogomips\" constant=\"true\"/>\n</listOfParameters>"
                             "</model></sbml>\n";
    tc_test_sbml_expect_n(
        bogus, 1, "sbml:20701", 4,
        "units=\"bogomips\" of parameter \"p\" names no unit definition, predefined or base "
        "unit");
    tc_test_sbml_expect_n(
        bogus, 1, "sbml:99508", 4,
        "the units of parameter \"p\" are not declared: \"bogomips\" names no unit");
    /* Level 3 Version 2 replaced 20701 with 10313 */
    const char *l3v2 = L3V2 "<model><listOfParameters>\n<parameter id=\"p\" value=\"1\" "
                            "units=\"bogomips\" constant=\"true\"/>\n</listOfParameters>"
                            "</model></sbml>\n";
    tc_test_sbml_expect_none(l3v2, "sbml:20701");
    tc_test_sbml_expect_n(l3v2, 1, "sbml:10313", 4, "units=\"bogomips\"");
}
END_TEST

/* Level 3 Version 2 lets a function definition or a trigger go without math: its units
 * are unknown (99509), and so are those of what calls the function (99505). */
START_TEST(test_missing_math_in_function_and_trigger)
{
    const char *fn =
        L3V2 "<model timeUnits=\"second\"><listOfFunctionDefinitions>\n"
             "<functionDefinition id=\"f\"/>\n</listOfFunctionDefinitions>"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\" "
             "units=\"litre\"/></listOfCompartments><listOfConstraints><constraint>\n" MATHML
             "<apply><ci> f </ci><ci> c </ci></apply></math></constraint>"
             "</listOfConstraints></model></sbml>\n";
    tc_test_sbml_expect_n(fn, 1, "sbml:99509", 4,
                          "function \"f\" has no <math>, so its units cannot be checked");
    tc_test_sbml_expect_n(fn, 1, "sbml:99505", 6,
                          "the units of a constraint cannot be fully checked");
    const char *trig =
        L3V2 "<model timeUnits=\"second\"><listOfParameters><parameter id=\"p\" value=\"1\" "
             "units=\"dimensionless\" constant=\"false\"/></listOfParameters>\n"
             "<listOfEvents><event id=\"e\" useValuesFromTriggerTime=\"true\">\n"
             "<trigger persistent=\"true\" initialValue=\"true\"/>\n<listOfEventAssignments>"
             "<eventAssignment variable=\"p\">" MATHML "<cn sbml:units=\"dimensionless\" "
             "xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\">2</cn></math>"
             "</eventAssignment></listOfEventAssignments></event></listOfEvents>"
             "</model></sbml>\n";
    tc_test_sbml_expect_n(
        trig, 1, "sbml:99509", 5,
        "the trigger of event \"e\" has no <math>, so its units cannot be checked");
}
END_TEST

/* An obsolete SBO term is reported, and belongs to no branch. */
START_TEST(test_obsolete_sbo_term)
{
    const char *doc = L2V2 "<model><listOfCompartments><compartment id=\"c\"/>"
                           "</listOfCompartments><listOfParameters>\n"
                           "<parameter id=\"p\" value=\"1\" sboTerm=\"SBO:0000006\"/>\n"
                           "<parameter id=\"k\" value=\"1\" sboTerm=\"SBO:0000002\"/>\n"
                           "</listOfParameters></model></sbml>\n";
    tc_test_sbml_expect_n(
        doc, 1, "sbml:99702", 4,
        "sboTerm SBO:0000006 of <parameter> \"p\" is an obsolete term of the Systems Biology "
        "Ontology");
    tc_test_sbml_expect_n(doc, 1, "sbml:10703", 4, "should be a term for a quantitative parameter");
    tc_test_sbml_expect_n(doc, 1, "sbml:99702", -1, "");
    tc_test_sbml_expect_n(doc, 1, "sbml:10703", -1, "");
}
END_TEST

/* rateOf of a variable an algebraic rule determines is an error (10224); when the rule
 * reads another variable it could determine instead, it does not say which. */
#define RATEOF_DOC(p2_constant)                                                                    \
    L3V2 "<model><listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\" "            \
         "units=\"dimensionless\"/><parameter id=\"p2\" value=\"1\" constant=\"" p2_constant       \
         "\" units=\"second\"/></listOfParameters>\n<listOfRules><algebraicRule>" MATHML           \
         "<apply><times/><ci> p2 </ci>\n<apply><csymbol encoding=\"text\" "                        \
         "definitionURL=\"http://www.sbml.org/sbml/symbols/rateOf\"> rateOf </csymbol>"            \
         "<ci> p </ci></apply></apply></math></algebraicRule></listOfRules></model></sbml>\n"

START_TEST(test_rate_of_algebraic_variable)
{
    tc_test_sbml_expect_n(
        RATEOF_DOC("true"), 1, "sbml:10224", 5,
        "rateOf(p) in an algebraic rule: \"p\" is set by an algebraic rule, so it has no rate "
        "of change");
    tc_test_sbml_expect_none(RATEOF_DOC("false"), "sbml:10224");
}
END_TEST

/* Functions that call others twice, 40 deep: a body's units are worked out once per set of
 * argument units, so this takes no time (expanding every call took 2^40 steps), and the
 * units still come out: f40(1 second) is in seconds, not the metre p has. */
START_TEST(test_nested_function_units_once_per_call)
{
    char *functions = tc_test_sbml_doubling_functions(40);
    char *doc = tc_xasprintf(
        L3V2 "<model>%s\n"
             "<listOfParameters><parameter id=\"p\" value=\"1\" units=\"metre\" "
             "constant=\"false\"/></listOfParameters>\n"
             "<listOfRules><assignmentRule variable=\"p\">"
             "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" "
             "xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\">"
             "<apply><ci>f40</ci><cn sbml:units=\"second\">1</cn></apply></math>"
             "</assignmentRule></listOfRules>\n"
             "</model></sbml>\n",
        functions);
    tc_test_sbml_expect_n(
        doc, 1, "sbml:10513", 5,
        "the math of the assignment rule for \"p\" must have the units of parameter \"p\": the "
        "math gives second, \"p\" has metre");
    free(doc);
    free(functions);
}
END_TEST

/* A chain of 1100 functions, each calling the next: worked out to the depth the stack
 * allows, and then said to be incomplete rather than passed over. */
START_TEST(test_function_chain_too_deep_for_units)
{
    tc_buf d = TC_BUF_INIT;
    tc_buf_puts(&d, L3V2 "<model><listOfFunctionDefinitions>\n"
                         "<functionDefinition id=\"f0\">" MATHML
                         "<lambda><bvar><ci>x</ci></bvar><ci>x</ci></lambda></math>"
                         "</functionDefinition>\n");
    for (int i = 1; i <= 1100; i++)
        tc_buf_printf(&d,
                      "<functionDefinition id=\"f%d\">" MATHML
                      "<lambda><bvar><ci>x</ci></bvar><apply><ci>f%d</ci><ci>x</ci></apply>"
                      "</lambda></math></functionDefinition>\n",
                      i, i - 1);
    tc_buf_puts(&d, "</listOfFunctionDefinitions>\n"
                    "<listOfParameters><parameter id=\"p\" value=\"1\" units=\"metre\" "
                    "constant=\"false\"/><parameter id=\"q\" value=\"1\" units=\"metre\" "
                    "constant=\"true\"/></listOfParameters>\n"
                    "<listOfRules><assignmentRule variable=\"p\">" MATHML
                    "<apply><ci>f1100</ci><ci>q</ci></apply></math>"
                    "</assignmentRule></listOfRules>\n"
                    "</model></sbml>\n");
    tc_test_sbml_expect_n(
        d.data, 1, "sbml:99505", 1107,
        "the units of the assignment rule for \"p\" cannot be fully checked: with the "
        "function bodies it calls, its math nests more than 1000 deep");
    tc_buf_release(&d);
}
END_TEST

Suite *sbml_units_rules_suite(void)
{
    Suite *s = suite_create("sbml_units_rules");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_rule_uses_itself_in_early_levels);
    tcase_add_test(tc, test_species_without_compartment);
    tcase_add_test(tc, test_root_degree_from_parameters);
    tcase_add_test(tc, test_assigned_degree_is_not_a_value);
    tcase_add_test(tc, test_kinetic_law_power_of_parameter);
    tcase_add_test(tc, test_conversion_factor_units);
    tcase_add_test(tc, test_parameters_without_usable_units);
    tcase_add_test(tc, test_missing_math_in_function_and_trigger);
    tcase_add_test(tc, test_obsolete_sbo_term);
    tcase_add_test(tc, test_rate_of_algebraic_variable);
    tcase_add_test(tc, test_nested_function_units_once_per_call);
    tcase_add_test(tc, test_function_chain_too_deep_for_units);
    suite_add_tcase(s, tc);
    return s;
}
