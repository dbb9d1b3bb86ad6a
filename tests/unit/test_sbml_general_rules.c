/* sbml: general consistency rules (203xx function definitions, 204xx units, 206xx species,
 * 208xx-212xx assignments, rules, reactions, events) on small documents, each by version
 * where the rule changed: the finding's rule, line and message. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define CSYMBOL "<csymbol definitionURL=\"http://www.sbml.org/sbml/symbols/"
#define XML "<?xml version=\"1.0\"?>\n"
#define L1V1 "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"1\">\n"
#define L2V1 "<sbml xmlns=\"http://www.sbml.org/sbml/level2\" level=\"2\" version=\"1\">\n"
#define L2V2 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version2\" level=\"2\" version=\"2\">\n"
#define L2V3 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version3\" level=\"2\" version=\"3\">\n"
#define L2V4 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" version=\"4\">\n"
#define L2V5 "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version5\" level=\"2\" version=\"5\">\n"
#define L3V1                                                                                       \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\">\n"
#define L3V2                                                                                       \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"

/* Exactly n findings of `rule` on `line` (any line when negative) whose message contains
 * `part`, at severity `sev`. */
static void expect_sev(const char *text, size_t n, const char *rule, long line, const char *part,
                       tc_severity sev)
{
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    size_t k = 0;
    for (size_t i = 0; i < fs.len; i++)
        if (strcmp(fs.items[i].rule, rule) == 0 && (line < 0 || fs.items[i].line == line) &&
            strstr(fs.items[i].message, part)) {
            ck_assert_msg(fs.items[i].severity == sev, "%s has severity %s", rule,
                          tc_severity_name(fs.items[i].severity));
            k++;
        }
    if (k != n)
        for (size_t i = 0; i < fs.len; i++)
            fprintf(stderr, "  have %s line %ld: %s\n", fs.items[i].rule, fs.items[i].line,
                    fs.items[i].message);
    ck_assert_msg(k == n, "expected %zu %s on line %ld containing \"%s\", have %zu", n, rule, line,
                  part, k);
    tc_findings_release(&fs);
}

static void expect_n(const char *text, size_t n, const char *rule, long line, const char *part)
{
    expect_sev(text, n, rule, line, part, TC_ERROR);
}

/* A document of one function definition `body` (MathML inside <math>), line 4 onwards. */
static char *function_doc(const char *head, const char *math)
{
    return tc_xasprintf(XML "%s<model><listOfFunctionDefinitions>\n"
                            "<functionDefinition id=\"f\">\n"
                            "%s\n"
                            "</functionDefinition></listOfFunctionDefinitions></model></sbml>\n",
                        head, math);
}

START_TEST(test_function_semantics_by_version)
{
    const char *math = MATHML "\n<semantics><lambda><bvar><ci>x</ci></bvar><ci>x</ci></lambda>"
                              "</semantics></math>";
    /* Level 2 Versions 1 and 2 want the lambda alone */
    char *l2v1 = function_doc(L2V1, math);
    expect_n(l2v1, 1, "sbml:20301", 6,
             "function definition \"f\" must be a <lambda>; SBML Level 2 Version 1 does not "
             "allow a <semantics>");
    free(l2v1);
    char *l2v2 = function_doc(L2V2, math);
    expect_n(l2v2, 1, "sbml:20301", 6, "Level 2 Version 2 does not allow a <semantics>");
    free(l2v2);
    /* from Version 3 a semantics element may wrap it */
    char *l2v3 = function_doc(L2V3, math);
    expect_n(l2v3, 0, "sbml:20301", -1, "");
    free(l2v3);
    char *l3v2 = function_doc(L3V2, math);
    expect_n(l3v2, 0, "sbml:20301", -1, "");
    free(l3v2);
}
END_TEST

/* g calls f, which is defined after it */
static char *forward_call_doc(const char *head)
{
    return tc_xasprintf(XML "%s<model><listOfFunctionDefinitions>\n"
                            "<functionDefinition id=\"g\">" MATHML "<lambda>\n"
                            "<bvar><ci>x</ci></bvar><apply><ci>f</ci><ci>x</ci></apply>\n"
                            "</lambda></math></functionDefinition>\n"
                            "<functionDefinition id=\"f\">" MATHML "<lambda>\n"
                            "<bvar><ci>x</ci></bvar><ci>x</ci>\n"
                            "</lambda></math></functionDefinition>\n"
                            "</listOfFunctionDefinitions></model></sbml>\n",
                        head);
}

START_TEST(test_function_forward_reference)
{
    char *l2v2 = forward_call_doc(L2V2);
    expect_n(l2v2, 1, "sbml:20302", 5,
             "function \"g\" calls \"f\", which is defined after it; in SBML Level 2 Version 2 a "
             "function may only call functions defined before it");
    expect_n(l2v2, 0, "sbml:20301", -1, "");
    free(l2v2);
    /* Level 2 Version 4 and Level 3 allow it */
    const char *heads[] = {L2V4, L2V5, L3V1, L3V2};
    for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        char *doc = forward_call_doc(heads[i]);
        expect_n(doc, 0, "sbml:20302", -1, "");
        expect_n(doc, 0, "sbml:20301", -1, "");
        free(doc);
    }
}
END_TEST

START_TEST(test_function_mutual_recursion)
{
    const char *doc = XML L3V2 "<model><listOfFunctionDefinitions>\n"
                               "<functionDefinition id=\"add\">\n" MATHML "<lambda>\n"
                               "<bvar><ci>x</ci></bvar><apply><ci>minus</ci><ci>x</ci></apply>\n"
                               "</lambda></math></functionDefinition>\n"
                               "<functionDefinition id=\"minus\">\n" MATHML "<lambda>\n"
                               "<bvar><ci>x</ci></bvar><apply><ci>add</ci><ci>x</ci></apply>\n"
                               "</lambda></math></functionDefinition>\n"
                               "<functionDefinition id=\"other\">\n" MATHML "<lambda>\n"
                               "<bvar><ci>x</ci></bvar><apply><ci>add</ci><ci>x</ci></apply>\n"
                               "</lambda></math></functionDefinition>\n"
                               "</listOfFunctionDefinitions></model></sbml>\n";
    /* one finding for the cycle, at the function where it was entered */
    expect_n(doc, 1, "sbml:20303", -1, "");
    expect_n(doc, 1, "sbml:20303", 5,
             "function \"add\" calls itself through other functions (\"add\" calls \"minus\" "
             "calls \"add\"); SBML functions may not be recursive");
    /* a chain without a cycle is fine */
    const char *chain = XML L3V2 "<model><listOfFunctionDefinitions>\n"
                                 "<functionDefinition id=\"a\">" MATHML "<lambda>\n"
                                 "<bvar><ci>x</ci></bvar><apply><ci>b</ci><ci>x</ci></apply>\n"
                                 "</lambda></math></functionDefinition>\n"
                                 "<functionDefinition id=\"b\">" MATHML "<lambda>\n"
                                 "<bvar><ci>x</ci></bvar><ci>x</ci>\n"
                                 "</lambda></math></functionDefinition>\n"
                                 "</listOfFunctionDefinitions></model></sbml>\n";
    expect_n(chain, 0, "sbml:20303", -1, "");
}
END_TEST

START_TEST(test_function_csymbols_by_version)
{
    const char *time = MATHML "<lambda><bvar><ci>x</ci></bvar><apply><times/><ci>x</ci>\n" CSYMBOL
                              "time\">t</csymbol></apply></lambda></math>";
    /* time: Level 2 Version 4 on */
    char *l2v4 = function_doc(L2V4, time);
    expect_n(l2v4, 1, "sbml:20304", 6,
             "function \"f\" uses the csymbol time; in SBML Level 2 Version 4 a function "
             "definition may only use its arguments");
    free(l2v4);
    char *l2v3 = function_doc(L2V3, time);
    expect_n(l2v3, 0, "sbml:20304", -1, "");
    free(l2v3);
    /* avogadro: Level 3 */
    const char *avogadro =
        MATHML "<lambda><bvar><ci>x</ci></bvar><apply><times/><ci>x</ci>\n" CSYMBOL
               "avogadro\">N</csymbol></apply></lambda></math>";
    char *l3v1 = function_doc(L3V1, avogadro);
    expect_n(l3v1, 1, "sbml:20304", 6, "function \"f\" uses the csymbol avogadro");
    free(l3v1);
    /* delay: Level 2 Version 5 and Level 3 Version 2, not Level 3 Version 1 */
    const char *delay = MATHML "<lambda><bvar><ci>x</ci></bvar>\n"
                               "<apply>" CSYMBOL "delay\">d</csymbol><ci>x</ci><cn>1</cn>"
                               "</apply></lambda></math>";
    char *l2v5 = function_doc(L2V5, delay);
    expect_n(l2v5, 1, "sbml:20304", 6, "function \"f\" uses the csymbol delay");
    free(l2v5);
    char *l3v2 = function_doc(L3V2, delay);
    expect_n(l3v2, 1, "sbml:20304", 6, "Level 3 Version 2");
    free(l3v2);
    /* rateOf: Level 3 Version 2, even of an argument */
    const char *rate = MATHML "<lambda><bvar><ci>x</ci></bvar>\n"
                              "<apply>" CSYMBOL "rateOf\">r</csymbol><ci>x</ci>"
                              "</apply></lambda></math>";
    char *l3v2r = function_doc(L3V2, rate);
    expect_n(l3v2r, 1, "sbml:20304", 6, "function \"f\" uses the csymbol rateOf");
    free(l3v2r);
    char *l3v1d = function_doc(L3V1, delay);
    expect_n(l3v1d, 0, "sbml:20304", -1, "");
    free(l3v1d);
}
END_TEST

START_TEST(test_volume_of_level1_litres_in_level2)
{
    const char *doc = XML L2V1 "<model><listOfUnitDefinitions>\n"
                               "<unitDefinition id=\"volume\"><listOfUnits>\n"
                               "<unit kind=\"liter\"/>\n"
                               "</listOfUnits></unitDefinition></listOfUnitDefinitions>\n"
                               "</model></sbml>\n";
    expect_n(doc, 1, "sbml:20406", 4,
             "the unit definition \"volume\" redefines a predefined unit but is not a unit of "
             "volume");
    expect_n(doc, 1, "sbml:20410", 5, "the unit kind \"liter\" is not a base unit");
    /* the same spelling is Level 1's own */
    const char *l1 = XML L1V1 "<model><listOfUnitDefinitions>\n"
                              "<unitDefinition name=\"volume\"><listOfUnits>\n"
                              "<unit kind=\"liter\"/>\n"
                              "</listOfUnits></unitDefinition></listOfUnitDefinitions>\n"
                              "<listOfCompartments><compartment name=\"c\"/></listOfCompartments>\n"
                              "</model></sbml>\n";
    expect_n(l1, 0, "sbml:20406", -1, "");
    expect_n(l1, 0, "sbml:20410", -1, "");
}
END_TEST

#define EMPTY_LISTS_DOC                                                                            \
    XML "%s<model>\n"                                                                              \
        "<listOfUnitDefinitions><unitDefinition id=\"u\">\n"                                       \
        "<listOfUnits/>\n"                                                                         \
        "</unitDefinition></listOfUnitDefinitions>\n"                                              \
        "<listOfCompartments><compartment id=\"c\" size=\"1\" "                                    \
        "constant=\"true\"/></listOfCompartments>\n"                                               \
        "<listOfSpecies><species id=\"s\" compartment=\"c\" initialAmount=\"1\" "                  \
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" "                              \
        "constant=\"false\"/></listOfSpecies>\n"                                                   \
        "<listOfReactions><reaction id=\"r\" reversible=\"false\" "                                \
        "fast=\"false\">\n"                                                                        \
        "<listOfReactants><speciesReference species=\"s\" constant=\"true\"/>"                     \
        "</listOfReactants>\n"                                                                     \
        "<kineticLaw>" MATHML "<cn>1</cn></math>\n"                                                \
        "<listOfLocalParameters/>\n"                                                               \
        "</kineticLaw></reaction></listOfReactions>\n"                                             \
        "<listOfEvents><event id=\"e\" useValuesFromTriggerTime=\"true\">\n"                       \
        "<trigger initialValue=\"true\" persistent=\"true\">" MATHML "<true/></math></trigger>\n"  \
        "<listOfEventAssignments/>\n"                                                              \
        "</event></listOfEvents>\n"                                                                \
        "</model></sbml>\n"

START_TEST(test_level3v1_empty_lists)
{
    char *l3v1 = tc_xasprintf(EMPTY_LISTS_DOC, L3V1);
    expect_n(l3v1, 1, "sbml:20413", 5, "<listOfUnits> is present but empty");
    expect_n(l3v1, 1, "sbml:21123", 12, "<listOfLocalParameters> is present but empty");
    expect_n(l3v1, 1, "sbml:21203", 16, "<listOfEventAssignments> is present but empty");
    free(l3v1);
    /* Level 3 Version 2 removed these rules */
    char *l3v2 = tc_xasprintf(EMPTY_LISTS_DOC, L3V2);
    expect_n(l3v2, 0, "sbml:20413", -1, "");
    expect_n(l3v2, 0, "sbml:21123", -1, "");
    expect_n(l3v2, 0, "sbml:21203", -1, "");
    free(l3v2);
}
END_TEST

#define SPECIES_DOC                                                                                \
    XML "%s<model%s>\n"                                                                            \
        "<listOfCompartments><compartment id=\"c\" size=\"1\" "                                    \
        "constant=\"true\"/></listOfCompartments>\n"                                               \
        "<listOfSpecies>\n"                                                                        \
        "<species id=\"s\" compartment=\"c\" initialAmount=\"1\" "                                 \
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" "                              \
        "constant=\"false\"/>\n"                                                                   \
        "<species id=\"t\" initialAmount=\"1\" substanceUnits=\"mole\" "                           \
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" "                              \
        "constant=\"false\"/>\n"                                                                   \
        "</listOfSpecies></model></sbml>\n"

START_TEST(test_level3_species_compartment_and_units)
{
    char *doc = tc_xasprintf(SPECIES_DOC, L3V1, "");
    expect_n(doc, 1, "sbml:20614", 7,
             "species \"t\" names no compartment; every species must give the compartment it is "
             "in");
    expect_sev(doc, 1, "sbml:20616", 6,
               "the substance units of species \"s\" are undefined: neither the species nor the "
               "model sets substanceUnits",
               TC_WARNING);
    expect_sev(doc, 0, "sbml:20616", 7, "", TC_WARNING);
    free(doc);
    /* the model's substanceUnits cover the species */
    char *with = tc_xasprintf(SPECIES_DOC, L3V2, " substanceUnits=\"mole\"");
    expect_sev(with, 0, "sbml:20616", -1, "", TC_WARNING);
    expect_n(with, 1, "sbml:20614", 7, "species \"t\" names no compartment");
    free(with);
}
END_TEST

#define ZERO_DIM_DOC                                                                               \
    XML "%s<model>\n"                                                                              \
        "<listOfCompartments><compartment id=\"c\" spatialDimensions=\"0\" constant=\"%s\"/>"      \
        "</listOfCompartments>\n"                                                                  \
        "<listOfParameters><parameter id=\"p\" value=\"1\"/></listOfParameters>\n"                 \
        "<listOfInitialAssignments>\n"                                                             \
        "<initialAssignment symbol=\"c\">" MATHML "<ci>p</ci></math></initialAssignment>\n"        \
        "</listOfInitialAssignments>\n"                                                            \
        "<listOfRules>\n"                                                                          \
        "<assignmentRule variable=\"c\">" MATHML "<ci>p</ci></math></assignmentRule>\n"            \
        "</listOfRules></model></sbml>\n"

START_TEST(test_zero_dimensional_compartment_targets)
{
    char *l2v5 = tc_xasprintf(ZERO_DIM_DOC, L2V5, "false");
    expect_n(l2v5, 1, "sbml:20806", 7,
             "compartment \"c\" has zero dimensions and so no size that an initial assignment "
             "could set");
    expect_n(l2v5, 1, "sbml:20911", 10,
             "compartment \"c\" has zero dimensions and so no size that an assignment rule could "
             "set");
    free(l2v5);
    /* rules of Level 2 Version 5 only (before, such a compartment is constant: 20503) */
    char *l2v4 = tc_xasprintf(ZERO_DIM_DOC, L2V4, "false");
    expect_n(l2v4, 0, "sbml:20806", -1, "");
    expect_n(l2v4, 0, "sbml:20911", -1, "");
    expect_n(l2v4, 1, "sbml:20503", 4,
             "compartment \"c\" has zero dimensions and must be constant");
    free(l2v4);
}
END_TEST

START_TEST(test_rate_cycle_through_initial_assignment)
{
    const char *doc =
        XML L3V2 "<model>\n"
                 "<listOfParameters>\n"
                 "<parameter id=\"k1\" constant=\"false\"/><parameter id=\"k2\" value=\"1\" "
                 "constant=\"false\"/>\n"
                 "</listOfParameters>\n"
                 "<listOfInitialAssignments><initialAssignment symbol=\"k1\">" MATHML
                 "<apply>" CSYMBOL "rateOf\">rateOf</csymbol><ci>k2</ci></apply></math>"
                 "</initialAssignment></listOfInitialAssignments>\n"
                 "<listOfRules>\n"
                 "<rateRule variable=\"k2\">" MATHML "<ci>k1</ci></math></rateRule>\n"
                 "</listOfRules></model></sbml>\n";
    expect_n(doc, 1, "sbml:20912", 9,
             "the rate rule for \"k2\" depends on its own rate through rateOf (\"k2\" -> \"k2\"); "
             "a rate may not depend on itself");
    /* without the initial assignment there is no cycle */
    const char *plain = XML L3V2 "<model>\n"
                                 "<listOfParameters>\n"
                                 "<parameter id=\"k1\" value=\"1\" constant=\"false\"/>"
                                 "<parameter id=\"k2\" value=\"1\" constant=\"false\"/>\n"
                                 "</listOfParameters>\n"
                                 "<listOfRules>\n"
                                 "<rateRule variable=\"k2\">" MATHML "<ci>k1</ci></math>"
                                 "</rateRule>\n"
                                 "</listOfRules></model></sbml>\n";
    expect_n(plain, 0, "sbml:20912", -1, "");
}
END_TEST

#define REACTION_DOC                                                                               \
    XML "%s<model>\n"                                                                              \
        "<listOfReactions>\n"                                                                      \
        "<reaction id=\"r\" reversible=\"true\" fast=\"false\"/>\n"                                \
        "</listOfReactions></model></sbml>\n"

START_TEST(test_reaction_without_species_by_version)
{
    char *l3v1 = tc_xasprintf(REACTION_DOC, L3V1);
    expect_n(l3v1, 1, "sbml:21101", 5, "reaction \"r\" has neither reactants nor products");
    free(l3v1);
    char *l3v2 = tc_xasprintf(REACTION_DOC, L3V2);
    expect_n(l3v2, 0, "sbml:21101", -1, "");
    free(l3v2);
}
END_TEST

START_TEST(test_level1_species_elements_in_their_lists)
{
    const char *doc =
        XML L1V1 "<model>\n"
                 "<listOfCompartments><compartment name=\"c\"/></listOfCompartments>\n"
                 "<listOfSpecies><specie name=\"s\" compartment=\"c\" "
                 "initialAmount=\"0\"/></listOfSpecies>\n"
                 "<listOfReactions><reaction name=\"r\">\n"
                 "<listOfReactants><specieReference specie=\"s\"/></listOfReactants>\n"
                 "<listOfProducts>\n"
                 "<specie specie=\"s\"/>\n"
                 "</listOfProducts>\n"
                 "</reaction></listOfReactions></model></sbml>\n";
    expect_n(doc, 1, "sbml:21104", 9,
             "<listOfProducts> may only contain <speciesReference>, not "
             "<specie>");
    expect_n(doc, 0, "sbml:21104", 7, "");
}
END_TEST

/* A cycle is reported once, naming its members in order, however many members it has;
 * and every separate cycle is reported. */
START_TEST(test_cycles_reported_once_with_members)
{
    const char *outside =
        XML L3V2 "<model><listOfCompartments>\n"
                 "<compartment id=\"a\" size=\"1\" constant=\"true\" outside=\"b\"/>\n"
                 "<compartment id=\"b\" size=\"1\" constant=\"true\" outside=\"c\"/>\n"
                 "<compartment id=\"c\" size=\"1\" constant=\"true\" outside=\"a\"/>\n"
                 "<compartment id=\"d\" size=\"1\" constant=\"true\" outside=\"d\"/>\n"
                 "<compartment id=\"e\" size=\"1\" constant=\"true\" outside=\"a\"/>\n"
                 "</listOfCompartments></model></sbml>\n";
    expect_n(outside, 2, "sbml:20505", -1, "");
    expect_n(outside, 1, "sbml:20505", 4,
             "compartment \"a\" encloses itself (\"a\" inside \"b\" inside \"c\" inside \"a\"): "
             "the outside attributes may not form a cycle");
    expect_n(outside, 1, "sbml:20505", 7, "compartment \"d\" names itself as its outside");

    const char *defs =
        XML L3V2 "<model><listOfParameters>\n"
                 "<parameter id=\"x\" constant=\"false\"/><parameter id=\"y\" constant=\"false\"/>"
                 "<parameter id=\"z\" constant=\"false\"/><parameter id=\"u\" constant=\"false\"/>\n"
                 "</listOfParameters><listOfRules>\n"
                 "<assignmentRule variable=\"x\">" MATHML "<ci>y</ci></math></assignmentRule>\n"
                 "<assignmentRule variable=\"y\">" MATHML "<ci>z</ci></math></assignmentRule>\n"
                 "<assignmentRule variable=\"z\">" MATHML "<ci>x</ci></math></assignmentRule>\n"
                 "<assignmentRule variable=\"u\">" MATHML "<ci>u</ci></math></assignmentRule>\n"
                 "</listOfRules></model></sbml>\n";
    expect_n(defs, 2, "sbml:20906", -1, "");
    expect_n(defs, 1, "sbml:20906", 6,
             "the definition of \"x\" depends on itself (\"x\" uses \"y\" uses \"z\" uses \"x\"): "
             "assignment rules, initial assignments and kinetic laws may not form a cycle");
    expect_n(defs, 1, "sbml:20906", 9, "the definition of \"u\" depends on itself (\"u\" uses "
                                       "\"u\")");

    /* p1' = rateOf(p2), p2' = rateOf(p1): one cycle of two rates, one finding */
    const char *rates =
        XML L3V2 "<model><listOfParameters>\n"
                 "<parameter id=\"p1\" value=\"1\" constant=\"false\"/>"
                 "<parameter id=\"p2\" value=\"1\" constant=\"false\"/>\n"
                 "</listOfParameters><listOfRules>\n"
                 "<rateRule variable=\"p1\">" MATHML "<apply>" CSYMBOL
                 "rateOf\">rateOf</csymbol><ci>p2</ci></apply></math></rateRule>\n"
                 "<rateRule variable=\"p2\">" MATHML "<apply>" CSYMBOL
                 "rateOf\">rateOf</csymbol><ci>p1</ci></apply></math></rateRule>\n"
                 "</listOfRules></model></sbml>\n";
    expect_n(rates, 1, "sbml:20912", -1, "");
    expect_n(rates, 1, "sbml:20912", 6,
             "the rate rule for \"p1\" depends on its own rate through rateOf (\"p1\" -> \"p2\" "
             "-> \"p1\")");
}
END_TEST

/* The rate graph is searched once: a chain of 40 rates, each reading the next one's rate
 * twice, ending in a rate that reads itself, gives one finding at once (a walk along every
 * path took 2^40 steps; found by fuzzing). */
START_TEST(test_rate_cycle_search_is_linear)
{
    tc_buf d = TC_BUF_INIT;
    tc_buf_puts(&d, XML L3V2 "<model><listOfParameters>\n");
    for (int i = 0; i <= 40; i++)
        tc_buf_printf(&d, "<parameter id=\"p%d\" value=\"1\" constant=\"false\"/>", i);
    tc_buf_puts(&d, "\n</listOfParameters><listOfRules>\n");
    for (int i = 0; i < 40; i++)
        tc_buf_printf(&d,
                      "<rateRule variable=\"p%d\">" MATHML "<apply><plus/><apply>" CSYMBOL
                      "rateOf\">rateOf</csymbol><ci>p%d</ci></apply><apply>" CSYMBOL
                      "rateOf\">rateOf</csymbol><ci>p%d</ci></apply></apply></math></rateRule>\n",
                      i, i + 1, i + 1);
    tc_buf_puts(&d, "<rateRule variable=\"p40\">" MATHML "<apply>" CSYMBOL
                    "rateOf\">rateOf</csymbol><ci>p40</ci></apply></math></rateRule>\n"
                    "</listOfRules></model></sbml>\n");
    expect_n(d.data, 1, "sbml:20912", -1, "");
    expect_n(d.data, 1, "sbml:20912", 46,
             "the rate rule for \"p40\" depends on its own rate through rateOf (\"p40\" -> "
             "\"p40\")");
    tc_buf_release(&d);
}
END_TEST

/* An element that may not stand where it is is reported; what it holds is not judged
 * against a schema that does not place it. */
START_TEST(test_misplaced_element_reported_alone)
{
    const char *doc = XML "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" "
                          "version=\"2\">\n"
                          "<model><listOfCompartments><compartment name=\"c\"/>"
                          "</listOfCompartments>\n"
                          "<listOfEvents>\n"
                          "<event><trigger>" MATHML "<true/></math></trigger></event>\n"
                          "</listOfEvents>\n"
                          "</model></sbml>\n";
    expect_n(doc, 1, "sbml:10102", -1, "");
    expect_n(doc, 1, "sbml:10102", 4,
             "<listOfEvents> is not an element SBML Level 1 Version 2 allows inside <model>");
}
END_TEST

Suite *sbml_general_rules_suite(void)
{
    Suite *s = suite_create("sbml_general_rules");
    TCase *t = tcase_create("general");
    tcase_add_test(t, test_function_semantics_by_version);
    tcase_add_test(t, test_function_forward_reference);
    tcase_add_test(t, test_function_mutual_recursion);
    tcase_add_test(t, test_function_csymbols_by_version);
    tcase_add_test(t, test_volume_of_level1_litres_in_level2);
    tcase_add_test(t, test_level3v1_empty_lists);
    tcase_add_test(t, test_level3_species_compartment_and_units);
    tcase_add_test(t, test_zero_dimensional_compartment_targets);
    tcase_add_test(t, test_rate_cycle_through_initial_assignment);
    tcase_add_test(t, test_cycles_reported_once_with_members);
    tcase_add_test(t, test_misplaced_element_reported_alone);
    tcase_add_test(t, test_rate_cycle_search_is_linear);
    tcase_add_test(t, test_reaction_without_species_by_version);
    tcase_add_test(t, test_level1_species_elements_in_their_lists);
    suite_add_tcase(s, t);
    return s;
}
