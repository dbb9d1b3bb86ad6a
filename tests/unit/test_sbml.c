/* sbml: reading and the rule families, on small SBML strings. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define L3V2_HEAD                                                                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"
#define L2V4_HEAD                                                                                 \
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                                \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" version=\"4\">\n"
#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"

static bool has_error(const tc_findings *fs)
{
    for (size_t i = 0; i < fs->len; i++)
        if (fs->items[i].severity >= TC_ERROR)
            return true;
    return false;
}

START_TEST(test_reads_model_with_lines_and_math)
{
    const char *text = L3V2_HEAD
        "<model id=\"m\" timeUnits=\"second\">\n"                                             /* 3 */
        "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"
        "</listOfCompartments>\n"                                                             /* 4 */
        "<listOfSpecies>\n"                                                                   /* 5 */
        "<species id=\"S\" compartment=\"c\" initialAmount=\"2\" hasOnlySubstanceUnits=\"true\""
        " boundaryCondition=\"false\" constant=\"false\"/>\n"                                 /* 6 */
        "</listOfSpecies>\n"
        "<listOfParameters><parameter id=\"k\" value=\"0.5\" constant=\"true\"/></listOfParameters>\n"
        "<listOfReactions><reaction id=\"r\" reversible=\"false\">\n"                         /* 9 */
        "<listOfReactants><speciesReference species=\"S\" stoichiometry=\"1\" constant=\"true\"/>"
        "</listOfReactants>\n"
        "<kineticLaw>" MATHML "<apply><times/><ci> k </ci><ci> S </ci></apply></math>"
        "</kineticLaw>\n"
        "</reaction></listOfReactions>\n"
        "</model></sbml>\n";
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, text, strlen(text), "m.xml", &fs), 0);
    ck_assert_int_eq(doc->level, 3);
    ck_assert_int_eq(doc->version, 2);
    const tc_sbml_model *m = doc->model;
    ck_assert_uint_eq(m->nspecies, 1);
    ck_assert_str_eq(m->species[0].b.id, "S");
    ck_assert_int_eq(m->species[0].b.line, 6);
    ck_assert(m->species[0].initial_amount.set);
    ck_assert(m->species[0].initial_amount.v == 2);
    ck_assert_int_eq(m->species[0].has_only_substance_units, 1);
    ck_assert_uint_eq(m->nreactions, 1);
    ck_assert_int_eq(m->reactions[0].b.line, 9);
    char *s = tc_expr_to_string(m->reactions[0].kinetic_law->math.expr);
    ck_assert_str_eq(s, "k * S");
    free(s);
    tc_sbml_validate(doc, &fs);
    ck_assert_msg(!has_error(&fs), "a valid model got an error: %s",
                  fs.len ? fs.items[0].message : "");
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_duplicate_id_reported_with_line)
{
    const char *text = L3V2_HEAD "<model>\n"
                                 "<listOfParameters>\n"
                                 "<parameter id=\"p\" value=\"1\" constant=\"true\"/>\n"
                                 "<parameter id=\"p\" value=\"2\" constant=\"true\"/>\n"
                                 "</listOfParameters>\n"
                                 "</model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:10301", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 6);
    ck_assert_int_eq(f->severity, TC_ERROR);
    ck_assert(strstr(f->message, "\"p\"") && strstr(f->message, "line 5"));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_undefined_symbol_in_math)
{
    const char *text = L3V2_HEAD
        "<model>\n"
        "<listOfParameters><parameter id=\"p\" constant=\"false\"/></listOfParameters>\n"
        "<listOfRules><assignmentRule variable=\"p\">\n" MATHML "\n"
        "<ci> nowhere </ci></math></assignmentRule></listOfRules>\n" /* 7 */
        "</model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:10215", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 7);
    ck_assert(strstr(f->message, "nowhere"));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_unit_mismatch_is_a_warning)
{
    /* metre + second: the units of a sum must agree (sbml:10501, a "should") */
    const char *text = L2V4_HEAD
        "<model>\n"
        "<listOfParameters>\n"
        "<parameter id=\"a\" value=\"1\" units=\"metre\"/>\n"
        "<parameter id=\"b\" value=\"1\" units=\"second\"/>\n"
        "<parameter id=\"x\" value=\"1\" units=\"metre\" constant=\"false\"/>\n"
        "</listOfParameters>\n"
        "<listOfRules><assignmentRule variable=\"x\">" MATHML "\n"
        "<apply><plus/><ci>a</ci><ci>b</ci></apply></math></assignmentRule></listOfRules>\n" /* 10 */
        "</model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:10501", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, TC_WARNING);
    ck_assert_int_eq(f->line, 10);
    ck_assert(strstr(f->message, "plus"));
    ck_assert(!has_error(&fs));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_rate_rule_units)
{
    /* a rate rule for a parameter in metre must give metre per second */
    const char *text = L2V4_HEAD
        "<model>\n"
        "<listOfParameters>\n"
        "<parameter id=\"x\" value=\"1\" units=\"metre\" constant=\"false\"/>\n"
        "</listOfParameters>\n"
        "<listOfRules><rateRule variable=\"x\">" MATHML "<ci>x</ci></math></rateRule>"
        "</listOfRules>\n" /* 7 */
        "</model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:10533", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 7);
    ck_assert(strstr(f->message, "per unit of time"));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_missing_required_attribute_l3)
{
    const char *text = L3V2_HEAD "<model>\n"
                                 "<listOfCompartments><compartment id=\"c\"/></listOfCompartments>\n"
                                 "</model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:20517", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 4);
    ck_assert(strstr(f->message, "constant"));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_malformed_xml_has_sbml_id)
{
    const char *text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" "
                       "version=\"4\">\n<model>\n</sbml>\n";
    tc_findings fs;
    ck_assert_int_ne(tc_test_sbml_validate(text, &fs), 0);
    const tc_finding *f = tc_test_find(&fs, "sbml:01009", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 4);
    ck_assert_int_eq(f->column, 8);
    ck_assert(strstr(f->message, "Opening and ending tag mismatch: model"));
    ck_assert_uint_eq(fs.len, 1); /* once, not again as a plain XML error */
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_level1_rule_on_undeclared_variable)
{
    const char *text = "<?xml version=\"1.0\"?>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" "
                       "version=\"2\">\n<model name=\"m\">\n"
                       "<listOfCompartments><compartment name=\"c\"/></listOfCompartments>\n"
                       "<listOfParameters><parameter name=\"k\" value=\"1\"/>"
                       "</listOfParameters>\n"
                       "<listOfRules><parameterRule name=\"k2\" formula=\"k*2\"/>"
                       "</listOfRules>\n</model>\n</sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:20901", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 6);
    ck_assert_str_eq(f->message, "the variable \"k2\" of an assignment rule is not the id of a "
                                 "compartment, species or parameter");
    tc_findings_release(&fs);
}
END_TEST

/* The SBO table is the ontology's DAG: a term may reach a branch through either parent. */
START_TEST(test_sbo_branches_follow_every_parent)
{
    const char *text = L3V2_HEAD
        "<model>\n"
        "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"
        "</listOfCompartments>\n"
        "<listOfSpecies><species id=\"gene\" compartment=\"c\" sboTerm=\"SBO:0000243\" "
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>\n"
        "<species id=\"k\" compartment=\"c\" sboTerm=\"SBO:0000009\" "
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
        "</listOfSpecies>\n"
        "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"true\" "
        "sboTerm=\"SBO:0000028\"/></listOfParameters>\n"
        "</model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:10713", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 6);
    ck_assert_str_eq(f->message, "sboTerm SBO:0000009 of <species> \"k\" should be a term for a "
                                 "material entity (below SBO:0000236)");
    f = tc_test_find(&fs, "sbml:10703", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 7);
    ck_assert(strstr(f->message, "SBO:0000028 of <parameter> \"p\""));
    size_t n = 0;
    for (size_t i = 0; i < fs.len; i++)
        n += strncmp(fs.items[i].rule, "sbml:107", 8) == 0;
    ck_assert_uint_eq(n, 2); /* the gene (SBO:0000243) is a material entity */
    tc_findings_release(&fs);
}
END_TEST

/* Level 2 requires a rule's math; missing, it is reported (as a warning: see no_math). */
START_TEST(test_level2_rule_without_math_is_reported)
{
    const char *text = L2V4_HEAD
        "<model>\n"
        "<listOfParameters><parameter id=\"p\" value=\"1\" constant=\"false\"/>"
        "</listOfParameters>\n"
        "<listOfRules><assignmentRule variable=\"p\"/></listOfRules>\n"
        "</model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:99509", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 5);
    ck_assert_int_eq(f->severity, TC_WARNING);
    ck_assert_str_eq(f->message, "the assignment rule for \"p\" has no <math>, which SBML Level 2 "
                                 "requires; it defines nothing, so its units cannot be checked");
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_xml_safety_keeps_its_id_in_sbml)
{
    const char *text = "<?xml version=\"1.0\"?>\n"
                       "<!DOCTYPE sbml [<!ENTITY a \"&b;\"><!ENTITY b \"&a;\">]>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" "
                       "level=\"3\" version=\"2\">&a;</sbml>\n";
    tc_findings fs;
    ck_assert_int_ne(tc_test_sbml_validate(text, &fs), 0);
    const tc_finding *f = tc_test_find(&fs, "xml:entity-expansion", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 3);
    ck_assert(strstr(f->message, "entity references expand without bound"));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_circular_assignments)
{
    const char *text = L3V2_HEAD
        "<model>\n"
        "<listOfParameters><parameter id=\"a\" constant=\"false\"/>"
        "<parameter id=\"b\" constant=\"false\"/></listOfParameters>\n"
        "<listOfRules>\n"
        "<assignmentRule variable=\"a\">" MATHML "<ci>b</ci></math></assignmentRule>\n" /* 6 */
        "<assignmentRule variable=\"b\">" MATHML "<ci>a</ci></math></assignmentRule>\n"
        "</listOfRules></model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:20906", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 6);
    ck_assert(strstr(f->message, "\"a\""));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_overdetermined)
{
    /* two algebraic rules over one variable */
    const char *text = L3V2_HEAD
        "<model>\n"
        "<listOfParameters><parameter id=\"x\" constant=\"false\" value=\"1\" units=\"dimensionless\"/>"
        "</listOfParameters>\n"
        "<listOfRules>\n"
        "<algebraicRule>" MATHML "<apply><minus/><ci>x</ci><cn>1</cn></apply></math></algebraicRule>\n"
        "<algebraicRule>" MATHML "<apply><minus/><ci>x</ci><cn>2</cn></apply></math></algebraicRule>\n"
        "</listOfRules></model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:10601", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 7);
    ck_assert(strstr(f->message, "over-determined"));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_sbo_branch)
{
    /* SBO:0000064 (mathematical expression) is no participant role */
    const char *text = L3V2_HEAD
        "<model>\n"
        "<listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/></listOfCompartments>\n"
        "<listOfSpecies><species id=\"S\" compartment=\"c\" initialAmount=\"1\" "
        "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
        "</listOfSpecies>\n"
        "<listOfReactions><reaction id=\"r\" reversible=\"false\"><listOfReactants>\n"
        "<speciesReference sboTerm=\"SBO:0000064\" species=\"S\" constant=\"true\"/>\n" /* 7 */
        "</listOfReactants></reaction></listOfReactions></model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:10708", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 7);
    ck_assert_int_eq(f->severity, TC_WARNING);
    ck_assert(strstr(f->message, "SBO:0000064"));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_level1_formula)
{
    const char *text =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"2\">\n"
        "<model name=\"m\"><listOfCompartments><compartment name=\"c\" volume=\"1\"/>"
        "</listOfCompartments>\n"
        "<listOfSpecies><species name=\"S\" compartment=\"c\" initialAmount=\"1\"/>"
        "</listOfSpecies>\n"
        "<listOfParameters><parameter name=\"k\" value=\"2\"/></listOfParameters>\n"
        "<listOfRules><parameterRule name=\"k\" formula=\"pow(S, 2) * -k / (1 + c)\"/>"
        "</listOfRules>\n" /* 6 */
        "</model></sbml>\n";
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, text, strlen(text), "m.xml", &fs), 0);
    ck_assert_uint_eq(doc->model->nrules, 1);
    const tc_sbml_rule *r = &doc->model->rules[0];
    ck_assert_int_eq(r->kind, TC_SBML_ASSIGNMENT);
    ck_assert_str_eq(r->variable, "k");
    ck_assert_int_eq(r->math.line, 6);
    char *s = tc_expr_to_string(r->math.expr);
    ck_assert_ptr_nonnull(strstr(s, "S"));
    ck_assert_int_eq(r->math.expr->op, TC_EXPR_DIVIDE);
    ck_assert_int_eq(r->math.expr->args[0]->op, TC_EXPR_TIMES);
    ck_assert_int_eq(r->math.expr->args[0]->args[0]->op, TC_EXPR_POWER);
    free(s);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_packages_are_warnings)
{
    const char *text =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\" "
        "xmlns:fbc=\"http://www.sbml.org/sbml/level3/version1/fbc/version2\" fbc:required=\"false\">\n"
        "<model fbc:strict=\"true\"><fbc:listOfObjectives/></model></sbml>\n";
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = tc_test_find(&fs, "sbml:99108", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->severity, TC_WARNING);
    ck_assert(strstr(f->message, "fbc"));
    ck_assert(!has_error(&fs));
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_validate_command_checks_sbml)
{
    /* the pipeline hands SBML files to this validator */
    char dir[] = "/tmp/tc-sbml-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *path = tc_xasprintf("%s/model.xml", dir);
    const char *text = L3V2_HEAD "<model>\n"
                                 "<listOfSpecies><species id=\"S\" compartment=\"nowhere\" "
                                 "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" "
                                 "constant=\"false\"/></listOfSpecies>\n"
                                 "</model></sbml>\n";
    ck_assert_int_eq(tc_write_file(path, text, strlen(text)), 0);
    char *out = NULL;
    int status = tc_test_run(&out, "validate", "--format", "json", path, NULL);
    ck_assert_int_eq(status, 1);
    ck_assert_ptr_nonnull(strstr(out, "sbml:20601"));
    ck_assert_ptr_nonnull(strstr(out, "nowhere"));
    free(out);
    remove(path);
    rmdir(dir);
    free(path);
}
END_TEST

Suite *sbml_suite(void)
{
    Suite *s = suite_create("sbml");
    TCase *tc = tcase_create("sbml");
    tcase_add_test(tc, test_reads_model_with_lines_and_math);
    tcase_add_test(tc, test_xml_safety_keeps_its_id_in_sbml);
    tcase_add_test(tc, test_level2_rule_without_math_is_reported);
    tcase_add_test(tc, test_sbo_branches_follow_every_parent);
    tcase_add_test(tc, test_level1_rule_on_undeclared_variable);
    tcase_add_test(tc, test_duplicate_id_reported_with_line);
    tcase_add_test(tc, test_undefined_symbol_in_math);
    tcase_add_test(tc, test_unit_mismatch_is_a_warning);
    tcase_add_test(tc, test_rate_rule_units);
    tcase_add_test(tc, test_missing_required_attribute_l3);
    tcase_add_test(tc, test_malformed_xml_has_sbml_id);
    tcase_add_test(tc, test_circular_assignments);
    tcase_add_test(tc, test_overdetermined);
    tcase_add_test(tc, test_sbo_branch);
    tcase_add_test(tc, test_level1_formula);
    tcase_add_test(tc, test_packages_are_warnings);
    tcase_add_test(tc, test_validate_command_checks_sbml);
    suite_add_tcase(s, tc);
    return s;
}
