/* sbml: rules taken from the SBML validation suite's files, on small documents: each
 * finding's rule, line and message. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define L3V1                                                                                       \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\">\n"
#define L3V2                                                                                       \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"
#define L2V4 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" version=\"4\">\n"

START_TEST(test_parameter_units_and_values)
{
    const char *l3 = "<?xml version=\"1.0\"?>\n" L3V1 "<model>\n"
                     "<listOfParameters>\n"
                     "<parameter id=\"p\" constant=\"true\"/>\n"
                     "</listOfParameters></model></sbml>\n";
    tc_test_sbml_expect_n(l3, 1, "sbml:20702", 5, "parameter \"p\" has no units");
    tc_test_sbml_expect_n(l3, 0, "sbml:80701", -1, "");
    const char *l2 = "<?xml version=\"1.0\"?>\n" L2V4 "<model>\n"
                     "<listOfParameters>\n"
                     "<parameter id=\"p\" value=\"1\"/>\n"
                     "</listOfParameters></model></sbml>\n";
    tc_test_sbml_expect_n(l2, 1, "sbml:80701", 5, "parameter \"p\" has no units");
    tc_test_sbml_expect_n(l2, 0, "sbml:20702", -1, "");
    /* local parameters: units and a value */
    const char *local = "<?xml version=\"1.0\"?>\n" L3V1
                        "<model><listOfCompartments><compartment id=\"c\" size=\"1\" "
                        "constant=\"true\"/></listOfCompartments>\n"
                        "<listOfReactions><reaction id=\"r\" reversible=\"false\" fast=\"false\">\n"
                        "<kineticLaw>" MATHML "<ci>k</ci></math>\n"
                        "<listOfLocalParameters>\n"
                        "<localParameter id=\"k\" units=\"second\"/>\n"
                        "<localParameter id=\"j\" value=\"1\"/>\n"
                        "</listOfLocalParameters></kineticLaw></reaction></listOfReactions>\n"
                        "</model></sbml>\n";
    tc_test_sbml_expect_n(local, 1, "sbml:80702", 7,
                          "local parameter \"k\" of reaction \"r\" has no value");
    tc_test_sbml_expect_n(local, 1, "sbml:80701", 8,
                          "local parameter \"j\" of reaction \"r\" has no units");
    tc_test_sbml_expect_n(local, 0, "sbml:80701", 7, "");
}
END_TEST

START_TEST(test_local_parameter_shadows)
{
    const char *text = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfFunctionDefinitions>\n"
                       "<functionDefinition id=\"f\">" MATHML
                       "<lambda><bvar><ci>x</ci></bvar><ci>x</ci></lambda></math>"
                       "</functionDefinition></listOfFunctionDefinitions>\n"
                       "<listOfCompartments><compartment id=\"c\" size=\"1\"/>"
                       "</listOfCompartments>\n"
                       "<listOfReactions><reaction id=\"r\" reversible=\"false\">\n"
                       "<kineticLaw>" MATHML "<apply><times/><ci>r</ci><ci>f</ci></apply></math>\n"
                       "<listOfParameters>\n"
                       "<parameter id=\"r\" value=\"1\" units=\"dimensionless\"/>\n"
                       "<parameter id=\"f\" value=\"1\" units=\"dimensionless\"/>\n"
                       "<parameter id=\"k\" value=\"1\" units=\"dimensionless\"/>\n"
                       "</listOfParameters></kineticLaw></reaction></listOfReactions>\n"
                       "</model></sbml>\n";
    tc_test_sbml_expect_n(text, 1, "sbml:81121", 9, "hides the model's reaction \"r\"");
    tc_test_sbml_expect_n(text, 1, "sbml:81121", 10, "hides the model's function definition \"f\"");
    tc_test_sbml_expect_n(text, 0, "sbml:81121", 11, "");
}
END_TEST

START_TEST(test_level1_predefined_units)
{
    /* Level 1 predefines substance, time and volume; length and area came with Level 2 */
    const char *l1 = "<?xml version=\"1.0\"?>\n"
                     "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"2\">\n"
                     "<model><listOfCompartments><compartment name=\"c\"/></listOfCompartments>\n"
                     "<listOfParameters>\n"
                     "<parameter name=\"p\" units=\"length\" value=\"1\"/>\n"
                     "<parameter name=\"q\" units=\"time\" value=\"1\"/>\n"
                     "</listOfParameters></model></sbml>\n";
    tc_test_sbml_expect_n(l1, 1, "sbml:20701", 5, "units=\"length\" of parameter \"p\"");
    tc_test_sbml_expect_n(l1, 0, "sbml:20701", 6, "");
    const char *l2 = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfParameters>\n"
                     "<parameter id=\"p\" units=\"length\" value=\"1\"/>\n"
                     "</listOfParameters></model></sbml>\n";
    tc_test_sbml_expect_n(l2, 0, "sbml:20701", -1, "");
}
END_TEST

START_TEST(test_function_without_value)
{
    const char *plain = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfFunctionDefinitions>\n"
                        "<functionDefinition id=\"f\">" MATHML "<lambda>\n"
                        "<bvar><ci>x</ci></bvar>\n"
                        "<apply/>\n"
                        "</lambda></math></functionDefinition>\n"
                        "</listOfFunctionDefinitions></model></sbml>\n";
    tc_test_sbml_expect_n(plain, 1, "sbml:20305", 6, "function \"f\" returns an empty <apply>");
    const char *wrapped = "<?xml version=\"1.0\"?>\n" L3V1 "<model><listOfFunctionDefinitions>\n"
                          "<functionDefinition id=\"g\">" MATHML "<semantics><lambda>\n"
                          "<bvar><ci>x</ci></bvar>\n"
                          "<apply/>\n"
                          "</lambda></semantics></math></functionDefinition>\n"
                          "</listOfFunctionDefinitions></model></sbml>\n";
    tc_test_sbml_expect_n(wrapped, 1, "sbml:20305", 6, "function \"g\" returns an empty <apply>");
    const char *fine = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfFunctionDefinitions>\n"
                       "<functionDefinition id=\"f\">" MATHML "<lambda>\n"
                       "<bvar><ci>x</ci></bvar>\n"
                       "<apply><plus/><ci>x</ci><cn>1</cn></apply>\n"
                       "</lambda></math></functionDefinition>\n"
                       "</listOfFunctionDefinitions></model></sbml>\n";
    tc_test_sbml_expect_n(fine, 0, "sbml:20305", -1, "");
}
END_TEST

START_TEST(test_zero_dimensional_outside)
{
    const char *inner = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfCompartments>\n"
                        "<compartment id=\"a\" spatialDimensions=\"2\"/>\n"
                        "<compartment id=\"c\" spatialDimensions=\"0\" outside=\"a\"/>\n"
                        "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(inner, 1, "sbml:20506", 5,
                          "compartment \"c\" has zero dimensions but is inside");
    const char *outer = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfCompartments>\n"
                        "<compartment id=\"a\" spatialDimensions=\"0\"/>\n"
                        "<compartment id=\"c\" spatialDimensions=\"3\" outside=\"a\"/>\n"
                        "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(outer, 1, "sbml:20506", 5, "is inside \"a\", which has zero dimensions");
    const char *both = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfCompartments>\n"
                       "<compartment id=\"a\" spatialDimensions=\"0\"/>\n"
                       "<compartment id=\"c\" spatialDimensions=\"0\" outside=\"a\"/>\n"
                       "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(both, 0, "sbml:20506", -1, "");
}
END_TEST

START_TEST(test_level3_unit_that_names_nothing)
{
    /* Level 3 predefines no "length": the compartment's units are no unit of length */
    const char *text = "<?xml version=\"1.0\"?>\n" L3V1 "<model><listOfCompartments>\n"
                       "<compartment id=\"c\" spatialDimensions=\"1\" units=\"length\" "
                       "constant=\"true\"/>\n"
                       "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(text, 1, "sbml:20507", 4,
                          "units=\"length\" of <compartment> \"c\" names no unit");
    tc_test_sbml_expect_n(text, 1, "sbml:10313", 4, "names no unit definition or base unit");
    const char *fine = "<?xml version=\"1.0\"?>\n" L3V1 "<model><listOfCompartments>\n"
                       "<compartment id=\"c\" spatialDimensions=\"1\" units=\"metre\" "
                       "constant=\"true\"/>\n"
                       "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(fine, 0, "sbml:20507", -1, "");
}
END_TEST

START_TEST(test_compartment_units_undefined)
{
    const char *text =
        "<?xml version=\"1.0\"?>\n" L3V2 "<model areaUnits=\"metre\"><listOfCompartments>\n"
        "<compartment id=\"a\" size=\"1\" constant=\"true\"/>\n"
        "<compartment id=\"b\" spatialDimensions=\"3\" constant=\"true\"/>\n"
        "<compartment id=\"d\" spatialDimensions=\"2\" constant=\"true\"/>\n"
        "<compartment id=\"e\" spatialDimensions=\"1\" units=\"metre\" "
        "constant=\"true\"/>\n"
        "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(text, 1, "sbml:20518", 4, "compartment \"a\" has neither units nor");
    tc_test_sbml_expect_n(text, 1, "sbml:20513", 5,
                          "compartment \"b\" has no units and the model no volumeUnits");
    tc_test_sbml_expect_n(text, 0, "sbml:20512", -1, "");
    tc_test_sbml_expect_n(text, 0, "sbml:20511", -1, "");
}
END_TEST

START_TEST(test_xml_layer_attribute_errors)
{
    const char *l2 = "<?xml version=\"1.0\"?>\n"
                     "<sbml xmlns=\"http://www.sbml.org/sbml/level2\" level=\"2\" version=\"1\">\n"
                     "<model><listOfParameters>\n"
                     "<parameter id=\"p\" value=\"1\" constant=\"false\"/>\n"
                     "</listOfParameters><listOfRules>\n"
                     "<assignmentRule>" MATHML "<cn>1</cn></math></assignmentRule>\n"
                     "</listOfRules></model></sbml>\n";
    tc_test_sbml_expect_n(l2, 1, "sbml:01015", 6,
                          "an assignment rule lacks its required attribute variable");
    const char *l3 = "<?xml version=\"1.0\"?>\n" L3V1 "<model><listOfParameters>\n"
                     "<parameter id=\"p\" value=\"1\" constant=\"maybe\"/>\n"
                     "</listOfParameters></model></sbml>\n";
    tc_test_sbml_expect_n(l3, 1, "sbml:01016", 4,
                          "the value \"maybe\" of attribute constant of <parameter>");
    /* Level 3 names a missing attribute by the element's own rule only */
    const char *l3_missing = "<?xml version=\"1.0\"?>\n" L3V1 "<model><listOfParameters>\n"
                             "<parameter id=\"p\" value=\"1\"/>\n"
                             "</listOfParameters></model></sbml>\n";
    tc_test_sbml_expect_n(l3_missing, 0, "sbml:01015", -1, "");
}
END_TEST

START_TEST(test_version_against_namespace)
{
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"3\">\n"
        "<model><listOfCompartments><compartment name=\"c\"/></listOfCompartments>"
        "</model></sbml>\n";
    tc_test_sbml_expect_n(text, 1, "sbml:99101", 2, "SBML Level 1 Version 3 does not exist");
    tc_test_sbml_expect_n(text, 1, "sbml:20103", 2,
                          "<sbml version=\"3\"> does not agree with its namespace");
}
END_TEST

/* A level and version that do not exist: the namespace is judged against them (unknown:
 * 20101, another level's: 20102), and no element below is checked against a schema that
 * does not exist (once <model> drew a 10103 "an SBML Level 4 document keeps its elements in
 * ..." as well). */
START_TEST(test_unknown_level_and_namespace)
{
    const char *l4 = "<?xml version=\"1.0\"?>\n"
                     "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version2\" level=\"4\" "
                     "version=\"2\">\n<model/>\n</sbml>\n";
    tc_test_sbml_expect_n(l4, 1, "sbml:99101", 2, "SBML Level 4 Version 2 does not exist");
    tc_test_sbml_expect_n(l4, 1, "sbml:20102", 2,
                          "<sbml level=\"4\"> does not agree with its namespace "
                          "http://www.sbml.org/sbml/level2/version2");
    tc_test_sbml_expect_n(l4, 0, "sbml:10103", -1, "");
    const char *l2v6 = "<?xml version=\"1.0\"?>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version6\" level=\"2\" "
                       "version=\"6\">\n<model/>\n</sbml>\n";
    tc_test_sbml_expect_n(l2v6, 1, "sbml:99101", 2, "SBML Level 2 Version 6 does not exist");
    tc_test_sbml_expect_n(
        l2v6, 1, "sbml:20101", 2,
        "<sbml> is in the namespace \"http://www.sbml.org/sbml/level2/version6\", which is "
        "not an SBML core namespace");
}
END_TEST

START_TEST(test_foreign_namespace_outside_annotations)
{
    const char *text = "<?xml version=\"1.0\"?>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" "
                       "version=\"1\" xmlns:x=\"http://example.org/x\">\n"
                       "<model><listOfCompartments>\n"
                       "<compartment id=\"c\" constant=\"true\" x:shape=\"circle\"/>\n"
                       "</listOfCompartments>\n"
                       "<x:listOfShapes/>\n"
                       "<annotation><x:kept/></annotation>\n"
                       "</model></sbml>\n";
    tc_test_sbml_expect_n(text, 1, "sbml:10102", 6,
                          "<listOfShapes> is in the namespace \"http://example.org/x\"");
    tc_test_sbml_expect_n(text, 0, "sbml:10102", 7, "");
    tc_test_sbml_expect_n(text, 1, "sbml:20517", 4, "may not have the attribute x:shape");
}
END_TEST

START_TEST(test_call_argument_types)
{
    const char *text = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfFunctionDefinitions>\n"
                       "<functionDefinition id=\"both\">" MATHML "<lambda>"
                       "<bvar><ci>x</ci></bvar><bvar><ci>y</ci></bvar>"
                       "<apply><and/><ci>x</ci><ci>y</ci></apply></lambda></math>"
                       "</functionDefinition>\n"
                       "</listOfFunctionDefinitions>\n"
                       "<listOfCompartments><compartment id=\"cell\" size=\"1\"/>"
                       "</listOfCompartments>\n"
                       "<listOfConstraints><constraint>" MATHML "\n"
                       "<apply><ci>both</ci><true/><ci>cell</ci></apply>\n"
                       "</math></constraint>\n"
                       "<constraint>" MATHML "\n"
                       "<apply><ci>both</ci><true/><false/></apply>\n"
                       "</math></constraint></listOfConstraints>\n"
                       "</model></sbml>\n";
    tc_test_sbml_expect_n(
        text, 1, "sbml:10209", 8,
        "in a constraint, function \"both\" is given a number for its argument y, to which "
        "it applies <and>; the arguments of <and> must be boolean");
    tc_test_sbml_expect_n(text, 1, "sbml:10209", -1, "");
}
END_TEST

START_TEST(test_level3v2_operators)
{
#define MAX_RULE                                                                                   \
    "<model><listOfParameters><parameter id=\"p\" constant=\"false\"/></listOfParameters>\n"       \
    "<listOfRules><assignmentRule variable=\"p\">" MATHML "\n"                                     \
    "<apply><max/><cn>5</cn><cn>6</cn></apply>\n"                                                  \
    "</math></assignmentRule></listOfRules></model></sbml>\n"
    tc_test_sbml_expect_n(
        "<?xml version=\"1.0\"?>\n" L3V1 MAX_RULE, 1, "sbml:10202", 5,
        "<max> in the assignment rule for \"p\" is not in the MathML subset of SBML Level 3 "
        "Version 1");
    tc_test_sbml_expect_n("<?xml version=\"1.0\"?>\n" L3V2 MAX_RULE, 0, "sbml:10202", -1, "");
#undef MAX_RULE
}
END_TEST

START_TEST(test_level1_child_order)
{
    const char *text =
        "<?xml version=\"1.0\"?>\n"
        "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"2\">\n"
        "<model><listOfCompartments><compartment name=\"c\"/></listOfCompartments>\n"
        "<listOfSpecies><species name=\"s\" compartment=\"c\" initialAmount=\"0\"/>"
        "</listOfSpecies>\n"
        "<listOfReactions><reaction name=\"r\">\n"
        "<kineticLaw formula=\"s\"/>\n"
        "<listOfReactants><speciesReference species=\"s\"/></listOfReactants>\n"
        "</reaction></listOfReactions></model></sbml>\n";
    tc_test_sbml_expect_n(
        text, 1, "sbml:21102", 7,
        "<listOfReactants> is out of order inside <reaction>: it must come before "
        "<kineticLaw> (line 6)");
}
END_TEST

START_TEST(test_empty_reaction_parts)
{
    const char *l2 = "<?xml version=\"1.0\"?>\n" L2V4
                     "<model><listOfCompartments><compartment id=\"c\"/></listOfCompartments>\n"
                     "<listOfSpecies><species id=\"s\" compartment=\"c\"/></listOfSpecies>\n"
                     "<listOfReactions><reaction id=\"r\">\n"
                     "<listOfProducts><speciesReference species=\"s\"/></listOfProducts>\n"
                     "<kineticLaw>\n"
                     "</kineticLaw></reaction></listOfReactions></model></sbml>\n";
    tc_test_sbml_expect_n(
        l2, 1, "sbml:21103", 7,
        "the kinetic law of reaction \"r\" is present but empty; it must contain <math> or "
        "be left out");
    const char *l3v1 = "<?xml version=\"1.0\"?>\n" L3V1
                       "<model><listOfCompartments><compartment id=\"c\" constant=\"true\"/>"
                       "</listOfCompartments>\n"
                       "<listOfSpecies><species id=\"s\" compartment=\"c\" "
                       "hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" "
                       "constant=\"false\"/></listOfSpecies>\n"
                       "<listOfReactions><reaction id=\"r\" reversible=\"true\" fast=\"false\">\n"
                       "<listOfReactants/>\n"
                       "<listOfProducts><speciesReference species=\"s\" constant=\"true\"/>"
                       "</listOfProducts>\n"
                       "</reaction></listOfReactions></model></sbml>\n";
    tc_test_sbml_expect_n(l3v1, 1, "sbml:21103", 6, "<listOfReactants> is present but empty");
    /* Level 3 Version 2 allows empty lists */
    static const char from[] = "version1/core\" level=\"3\" version=\"1\"";
    static const char to[] = "version2/core\" level=\"3\" version=\"2\"";
    char *l3v2 = tc_xstrdup(l3v1);
    char *at = strstr(l3v2, from);
    ck_assert_ptr_nonnull(at);
    memcpy(at, to, sizeof(to) - 1);
    tc_test_sbml_expect_n(l3v2, 0, "sbml:21103", -1, "");
    /* the document was read whole: the practice checks reached its species */
    tc_test_sbml_expect_n(l3v2, 1, "sbml:80601", 4, "species \"s\" has no initial amount");
    free(l3v2);
}
END_TEST

/* A document of the given level and version whose only unit definition is "volume"
 * made of one unit (line 4). */
static char *volume_doc(const char *ns, int level, int version, const char *unit)
{
    tc_buf b = TC_BUF_INIT;
    tc_buf_printf(&b,
                  "<?xml version=\"1.0\"?>\n"
                  "<sbml xmlns=\"%s\" level=\"%d\" version=\"%d\">\n"
                  "<model><listOfUnitDefinitions>\n"
                  "<unitDefinition %s=\"volume\"><listOfUnits>%s</listOfUnits></unitDefinition>\n"
                  "</listOfUnitDefinitions></model></sbml>\n",
                  ns, level, version, level == 1 ? "name" : "id", unit);
    return tc_buf_detach(&b);
}

START_TEST(test_volume_redefinitions)
{
    const char *l1 = "http://www.sbml.org/sbml/level1", *l2 = "http://www.sbml.org/sbml/level2",
               *l2v4 = "http://www.sbml.org/sbml/level2/version4";
    char *t = volume_doc(l1, 1, 1, "<unit kind=\"litre\" exponent=\"2\"/>");
    tc_test_sbml_expect_n(t, 1, "sbml:20407", 4, "in litres must have exponent 1, not 2");
    free(t);
    t = volume_doc(l2, 2, 1, "<unit kind=\"metre\" exponent=\"2\"/>");
    tc_test_sbml_expect_n(t, 1, "sbml:20408", 4, "in metres must have exponent 3, not 2");
    tc_test_sbml_expect_n(t, 0, "sbml:20406", -1, "");
    free(t);
    t = volume_doc(l1, 1, 2, "<unit kind=\"metre\" exponent=\"3\"/>");
    tc_test_sbml_expect_n(t, 1, "sbml:20406", 4, "of SBML Level 1 must be in litres");
    free(t);
    t = volume_doc(l2, 2, 1, "<unit kind=\"metre\" exponent=\"3\"/>");
    tc_test_sbml_expect_n(t, 0, "sbml:20406", -1, "");
    tc_test_sbml_expect_n(t, 0, "sbml:20408", -1, "");
    free(t);
    /* from Level 2 Version 4 on, 20406 says all of it */
    t = volume_doc(l2v4, 2, 4, "<unit kind=\"metre\" exponent=\"2\"/>");
    tc_test_sbml_expect_n(t, 1, "sbml:20406", 4, "redefines a predefined unit but is not");
    tc_test_sbml_expect_n(t, 0, "sbml:20408", -1, "");
    free(t);
}
END_TEST

START_TEST(test_event_without_trigger)
{
#define EVENT_BODY                                                                                 \
    "<model><listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\"/>"                \
    "</listOfParameters>\n"                                                                        \
    "<listOfEvents><event id=\"e\" useValuesFromTriggerTime=\"true\">\n"                           \
    "<listOfEventAssignments><eventAssignment variable=\"p\">" MATHML "<cn>2</cn></math>"          \
    "</eventAssignment></listOfEventAssignments>\n"                                                \
    "</event></listOfEvents></model></sbml>\n"
    tc_test_sbml_expect_n("<?xml version=\"1.0\"?>\n" L2V4 EVENT_BODY, 1, "sbml:21201", 4,
                          "<event> must contain a <trigger>");
    tc_test_sbml_expect_n("<?xml version=\"1.0\"?>\n" L3V1 EVENT_BODY, 1, "sbml:21201", 4,
                          "<event> must contain a <trigger>");
    tc_test_sbml_expect_n("<?xml version=\"1.0\"?>\n" L3V2 EVENT_BODY, 0, "sbml:21201", -1, "");
    /* (that document was read whole: its parameter was checked) */
    tc_test_sbml_expect_n("<?xml version=\"1.0\"?>\n" L3V2 EVENT_BODY, 1, "sbml:20702", 3,
                          "parameter \"p\" has no units");
#undef EVENT_BODY
}
END_TEST

START_TEST(test_unit_kind_rules_without_a_unit)
{
    const char *empty = "<?xml version=\"1.0\"?>\n" L3V2 "<model timeUnits=\"t\">\n"
                        "<listOfUnitDefinitions><unitDefinition id=\"t\"><listOfUnits/>"
                        "</unitDefinition></listOfUnitDefinitions>\n"
                        "</model></sbml>\n";
    tc_test_sbml_expect_n(empty, 1, "sbml:20217", 3,
                          "timeUnits=\"t\" of <model> names a unit definition "
                          "without units");
    const char *l2 = "<?xml version=\"1.0\"?>\n"
                     "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version2\" level=\"2\" "
                     "version=\"2\">\n"
                     "<model><listOfParameters><parameter id=\"p\" value=\"1\" "
                     "constant=\"false\"/></listOfParameters>\n"
                     "<listOfEvents><event timeUnits=\"parsec\">\n"
                     "<trigger>" MATHML "<true/></math></trigger>\n"
                     "<listOfEventAssignments><eventAssignment variable=\"p\">" MATHML
                     "<cn>1</cn></math></eventAssignment></listOfEventAssignments>\n"
                     "</event></listOfEvents></model></sbml>\n";
    tc_test_sbml_expect_n(l2, 1, "sbml:21204", 4, "timeUnits=\"parsec\" of <event> names no unit");
}
END_TEST

START_TEST(test_empty_model_lists)
{
    const char *l3v1 = "<?xml version=\"1.0\"?>\n" L3V1 "<model>\n"
                       "<listOfUnitDefinitions>\n"
                       "</listOfUnitDefinitions>\n"
                       "</model></sbml>\n";
    tc_test_sbml_expect_n(l3v1, 1, "sbml:20203", 4, "<listOfUnitDefinitions> is present but empty");
    const char *l2 = "<?xml version=\"1.0\"?>\n"
                     "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version2\" level=\"2\" "
                     "version=\"2\">\n"
                     "<model>\n"
                     "<listOfSpeciesTypes/>\n"
                     "</model></sbml>\n";
    tc_test_sbml_expect_n(l2, 1, "sbml:20203", 4, "<listOfSpeciesTypes> is present but empty");
}
END_TEST

START_TEST(test_undefined_unit_reference_by_version)
{
    const char *l2v5 = "<?xml version=\"1.0\"?>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version5\" level=\"2\" "
                       "version=\"5\">\n"
                       "<model><listOfCompartments>\n"
                       "<compartment id=\"c\" units=\"mm\"/>\n"
                       "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(l2v5, 1, "sbml:10313", 4,
                          "units=\"mm\" of <compartment> \"c\" names no unit");
    tc_test_sbml_expect_n(l2v5, 0, "sbml:99303", -1, "");
    const char *l2v4 = "<?xml version=\"1.0\"?>\n" L2V4 "<model><listOfCompartments>\n"
                       "<compartment id=\"c\" units=\"mm\"/>\n"
                       "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(l2v4, 1, "sbml:99303", 4,
                          "units=\"mm\" of <compartment> \"c\" names no unit");
    tc_test_sbml_expect_n(l2v4, 0, "sbml:10313", -1, "");
    /* one finding of the kind rule, not two */
    const char *species =
        "<?xml version=\"1.0\"?>\n" L2V4
        "<model><listOfCompartments><compartment id=\"c\"/></listOfCompartments>\n"
        "<listOfSpecies>\n"
        "<species id=\"s\" compartment=\"c\" substanceUnits=\"mm\"/>\n"
        "</listOfSpecies></model></sbml>\n";
    tc_test_sbml_expect_n(species, 1, "sbml:20608", 5,
                          "substanceUnits=\"mm\" of <species> \"s\" names no unit");
}
END_TEST

START_TEST(test_ids_of_other_elements)
{
    const char *l3v2 = "<?xml version=\"1.0\"?>\n" L3V2 "<model id=\"m\">\n"
                       "<listOfCompartments id=\"c\">\n"
                       "<compartment id=\"c\" constant=\"true\"/>\n"
                       "</listOfCompartments>\n"
                       "<listOfParameters id=\"L\"/>\n"
                       "<listOfEvents id=\"L\"/>\n"
                       "</model></sbml>\n";
    tc_test_sbml_expect_n(l3v2, 1, "sbml:10301", 4,
                          "the id \"c\" of <listOfCompartments> is already used");
    tc_test_sbml_expect_n(l3v2, 1, "sbml:10301", 8,
                          "the id \"L\" of <listOfEvents> is already used (line 7)");
    tc_test_sbml_expect_n(l3v2, 2, "sbml:10301", -1, "");
    const char *l2 = "<?xml version=\"1.0\"?>\n"
                     "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version3\" level=\"2\" "
                     "version=\"3\">\n"
                     "<model><listOfCompartmentTypes>\n"
                     "<compartmentType id=\"gg\"/>\n"
                     "</listOfCompartmentTypes><listOfCompartments>\n"
                     "<compartment id=\"gg\" compartmentType=\"gg\"/>\n"
                     "</listOfCompartments></model></sbml>\n";
    tc_test_sbml_expect_n(l2, 1, "sbml:10301", 4,
                          "the id \"gg\" of <compartmentType> is already used");
}
END_TEST

Suite *sbml_suite_rules_suite(void)
{
    Suite *s = suite_create("sbml_suite_rules");
    TCase *t = tcase_create("core");
    tcase_add_test(t, test_parameter_units_and_values);
    tcase_add_test(t, test_local_parameter_shadows);
    tcase_add_test(t, test_level1_predefined_units);
    tcase_add_test(t, test_function_without_value);
    tcase_add_test(t, test_zero_dimensional_outside);
    tcase_add_test(t, test_level3_unit_that_names_nothing);
    tcase_add_test(t, test_compartment_units_undefined);
    tcase_add_test(t, test_xml_layer_attribute_errors);
    tcase_add_test(t, test_version_against_namespace);
    tcase_add_test(t, test_unknown_level_and_namespace);
    tcase_add_test(t, test_foreign_namespace_outside_annotations);
    tcase_add_test(t, test_call_argument_types);
    tcase_add_test(t, test_level3v2_operators);
    tcase_add_test(t, test_level1_child_order);
    tcase_add_test(t, test_empty_reaction_parts);
    tcase_add_test(t, test_volume_redefinitions);
    tcase_add_test(t, test_event_without_trigger);
    tcase_add_test(t, test_unit_kind_rules_without_a_unit);
    tcase_add_test(t, test_empty_model_lists);
    tcase_add_test(t, test_undefined_unit_reference_by_version);
    tcase_add_test(t, test_ids_of_other_elements);
    suite_add_tcase(s, t);
    return s;
}
