/* sbml: whole messages of findings that must say what the rule requires: child order,
 * empty attributes, repeated metaids, units that cannot be checked (99503, 99504) and
 * MathML attributes only <cn> may carry. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define L2V4                                                                                       \
    "<?xml version=\"1.0\"?>\n"                                                                    \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" version=\"4\">\n"

START_TEST(test_order_names_the_later_sibling)
{
    tc_test_sbml_expect_exact(L2V4 "<model>\n"
                        "<listOfSpecies><species id=\"s\" compartment=\"c\" "
                        "initialAmount=\"1\"/></listOfSpecies>\n"
                        "<listOfCompartments><compartment id=\"c\"/></listOfCompartments>\n"
                        "</model></sbml>\n",
                   "sbml:20202", 5,
                   "<listOfCompartments> is out of order inside <model>: it must come before "
                   "<listOfSpecies> (line 4)");
}
END_TEST

START_TEST(test_empty_attribute_says_a_value_is_needed)
{
    tc_test_sbml_expect_exact(L2V4 "<model>\n"
                        "<listOfCompartments><compartment id=\"c\" name=\"\"/>"
                        "</listOfCompartments>\n"
                        "</model></sbml>\n",
                   "sbml:10103", 4,
                   "the attribute name of <compartment> is empty; an SBML attribute that is "
                   "present needs a value of at least one character");
}
END_TEST

/* A third use names the first one, not the second. */
START_TEST(test_repeated_metaid_names_the_first_use)
{
    const char *text = L2V4 "<model metaid=\"m1\">\n"
                            "<listOfCompartments><compartment id=\"c\" metaid=\"m1\"/>\n"
                            "<compartment id=\"d\" metaid=\"m2\"/>"
                            "</listOfCompartments>\n"
                            "</model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:10307", 4,
                   "metaid \"m1\" of <compartment> is already used by <model> (line 3); every "
                   "metaid in the document must be different");
    const char *three = L2V4 "<model metaid=\"m1\">\n"
                             "<listOfCompartments><compartment id=\"c\"/></listOfCompartments>\n"
                             "<listOfParameters><parameter id=\"p\" metaid=\"m1\"/>\n"
                             "<parameter id=\"q\" metaid=\"m1\"/></listOfParameters>\n"
                             "</model></sbml>\n";
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, three, strlen(three), "m.xml", &fs), 0);
    tc_sbml_validate(doc, &fs);
    tc_sbml_doc_free(doc);
    size_t n = 0;
    for (size_t i = 0; i < fs.len; i++)
        if (strcmp(fs.items[i].rule, "sbml:10307") == 0) {
            ck_assert_int_eq(fs.items[i].line, n == 0 ? 5 : 6);
            ck_assert_str_eq(fs.items[i].message,
                             "metaid \"m1\" of <parameter> is already used by <model> (line 3); "
                             "every metaid in the document must be different");
            n++;
        }
    ck_assert_uint_eq(n, 2);
    tc_findings_release(&fs);
}
END_TEST

#define POWER_DOC(exponent)                                                                        \
    L2V4 "<model>\n"                                                                               \
         "<listOfParameters><parameter id=\"p\" value=\"4\" units=\"metre\"/>\n"                   \
         "<parameter id=\"k\" value=\"2\" units=\"second\"/>\n"                                    \
         "<parameter id=\"q\" value=\"1\" constant=\"false\"/></listOfParameters>\n"               \
         "<listOfRules><assignmentRule variable=\"q\">" MATHML "\n"                                \
         "<apply><power/><ci>p</ci>" exponent "</apply></math></assignmentRule></listOfRules>\n"   \
         "</model></sbml>\n"

START_TEST(test_power_warning_shows_units)
{
    tc_test_sbml_expect_exact(POWER_DOC("<cn>0.5</cn>"), "sbml:99503", 8,
                   "in the assignment rule for \"q\", a quantity in metre is raised to the power "
                   "0.5, not a whole number; the units of the result cannot be checked");
    tc_test_sbml_expect_exact(POWER_DOC("<ci>k</ci>"), "sbml:99503", 8,
                   "in the assignment rule for \"q\", the exponent of a <power> has units "
                   "(second) where it must be dimensionless; the units of the result cannot be "
                   "checked");
}
END_TEST

START_TEST(test_root_warning_shows_units)
{
    tc_test_sbml_expect_exact(L2V4 "<model>\n"
                        "<listOfParameters><parameter id=\"p\" value=\"4\" units=\"litre\"/>\n"
                        "<parameter id=\"q\" value=\"1\" constant=\"false\"/>"
                        "</listOfParameters>\n"
                        "<listOfRules><assignmentRule variable=\"q\">" MATHML "\n"
                        "<apply><root/><degree><cn>2.5</cn></degree><ci>p</ci></apply></math>"
                        "</assignmentRule></listOfRules>\n"
                        "</model></sbml>\n",
                   "sbml:99504", 7,
                   "in the assignment rule for \"q\", a <root> of a quantity in litre has "
                   "degree 2.5, not a whole number; the units of the result cannot be checked");
}
END_TEST

/* One clause for the requirement, then where the math is. */
START_TEST(test_type_attribute_names_cn_once)
{
    tc_test_sbml_expect_exact(L2V4 "<model>\n"
                        "<listOfParameters><parameter id=\"q\" value=\"1\" constant=\"false\"/>"
                        "</listOfParameters>\n"
                        "<listOfRules><assignmentRule variable=\"q\">" MATHML "\n"
                        "<apply type=\"real\"><plus/><cn>1</cn><cn>2</cn></apply></math>"
                        "</assignmentRule></listOfRules>\n"
                        "</model></sbml>\n",
                   "sbml:10206", 6,
                   "MathML <apply> may not have a type attribute; only <cn> may have one (in the "
                   "assignment rule for \"q\")");
}
END_TEST

Suite *sbml_wording_suite(void)
{
    Suite *s = suite_create("sbml_wording");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_order_names_the_later_sibling);
    tcase_add_test(tc, test_empty_attribute_says_a_value_is_needed);
    tcase_add_test(tc, test_repeated_metaid_names_the_first_use);
    tcase_add_test(tc, test_power_warning_shows_units);
    tcase_add_test(tc, test_root_warning_shows_units);
    tcase_add_test(tc, test_type_attribute_names_cn_once);
    suite_add_tcase(s, tc);
    return s;
}
