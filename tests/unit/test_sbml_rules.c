/* sbml: the schema checks of Levels 1 and 2 (sbml:10103) and libSBML's mirrored strict
 * unit ids (sbml:905xx), on small documents: each finding's rule, line and message. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"

/* The finding with this rule on this line whose message contains `part`, or NULL. */
static const tc_finding *find(const tc_findings *fs, const char *rule, long line, const char *part)
{
    for (size_t i = 0; i < fs->len; i++)
        if (strcmp(fs->items[i].rule, rule) == 0 && fs->items[i].line == line &&
            strstr(fs->items[i].message, part))
            return &fs->items[i];
    return NULL;
}

static void expect(const char *text, const char *rule, long line, const char *part)
{
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    const tc_finding *f = find(&fs, rule, line, part);
    if (!f)
        for (size_t i = 0; i < fs.len; i++)
            fprintf(stderr, "  have %s line %ld: %s\n", fs.items[i].rule, fs.items[i].line,
                    fs.items[i].message);
    ck_assert_msg(f != NULL, "expected %s on line %ld containing \"%s\"", rule, line, part);
    tc_findings_release(&fs);
}

#define STRICT_BODY                                                                               \
    "<model><listOfCompartments><compartment id=\"c\" size=\"1\"/></listOfCompartments>\n"    \
    "<listOfParameters><parameter id=\"p\" value=\"1\" units=\"litre\" constant=\"false\"/>\n" \
    "<parameter id=\"q\" value=\"1\" units=\"metre\" constant=\"false\"/></listOfParameters>\n" \
    "<listOfRules><algebraicRule>" MATHML "\n"                                                   \
    "<apply><plus/><ci> p </ci><ci> q </ci></apply></math></algebraicRule></listOfRules>\n"      \
    "</model></sbml>\n"

/* The one finding that answers to `rule`; fails unless there is exactly one. */
static const tc_finding *only(const tc_findings *fs, const char *rule)
{
    const tc_finding *hit = NULL;
    size_t n = 0;
    for (size_t i = 0; i < fs->len; i++) {
        if (tc_finding_is(&fs->items[i], rule)) {
            hit = &fs->items[i];
            n++;
        }
    }
    ck_assert_msg(n == 1, "%zu findings answer to %s, expected 1", n, rule);
    return hit;
}

#define STRICT_MESSAGE                                                                             \
    "the units in an algebraic rule are inconsistent: the arguments of <plus> must have the same " \
    "units: one has litre, another metre"

/* On Level 2 Versions 4-5 the unit check is one finding under sbml:10501 that also
 * answers to libSBML's sbml:90501; elsewhere it has no second id. */
START_TEST(test_strict_units_mirror_on_level2)
{
    static const struct {
        const char *ns;
        int level, version;
        const char *also; /* NULL: no second id */
    } docs[] = {
        {"level2/version4", 2, 4, "sbml:90501"},
        {"level2/version5", 2, 5, "sbml:90501"},
        {"level2/version3", 2, 3, NULL},
        {"level3/version1/core", 3, 1, NULL},
    };
    for (size_t d = 0; d < sizeof(docs) / sizeof(docs[0]); d++) {
        char *text = tc_xasprintf("<?xml version=\"1.0\"?>\n"
                                  "<sbml xmlns=\"http://www.sbml.org/sbml/%s\" level=\"%d\" "
                                  "version=\"%d\">\n" STRICT_BODY,
                                  docs[d].ns, docs[d].level, docs[d].version);
        tc_findings fs;
        tc_test_sbml_validate(text, &fs);
        const tc_finding *f = only(&fs, "sbml:10501");
        ck_assert_str_eq(f->rule, "sbml:10501");
        ck_assert_int_eq(f->severity, TC_WARNING);
        ck_assert_str_eq(f->file, "m.xml");
        ck_assert_int_eq(f->line, 7);
        ck_assert_str_eq(f->message, STRICT_MESSAGE);
        if (docs[d].also) {
            ck_assert_pstr_eq(f->also, docs[d].also);
            ck_assert_ptr_eq(only(&fs, docs[d].also), f);
        } else {
            ck_assert_msg(f->also == NULL, "%s: unexpected also %s", docs[d].ns, f->also);
        }
        for (size_t i = 0; i < fs.len; i++)
            ck_assert_msg(strncmp(fs.items[i].rule, "sbml:905", 8) != 0,
                          "%s: a 905xx id is never a finding's own rule", docs[d].ns);
        tc_findings_release(&fs);
        free(text);
    }
}
END_TEST

START_TEST(test_level2_empty_attribute)
{
    expect("<?xml version=\"1.0\"?>\n"
           "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version3\" level=\"2\" version=\"3\">\n"
           "<model><listOfCompartments>\n"
           "<compartment id=\"\"/>\n"
           "</listOfCompartments></model></sbml>\n",
           "sbml:10103", 4,
           "the attribute id of <compartment> is empty; an SBML attribute that is present "
           "needs a value of at least one character");
}
END_TEST

START_TEST(test_level2_foreign_namespace)
{
    expect("<?xml version=\"1.0\"?>\n"
           "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" version=\"4\">\n"
           "<model xmlns:ff=\"urn:other\">\n"
           "<ff:listOfUnitDefinitions/>\n"
           "</model></sbml>\n",
           "sbml:10103", 4, "not the document's SBML namespace");
}
END_TEST

START_TEST(test_level2_duplicate_child_and_package)
{
    const char *two = "<?xml version=\"1.0\"?>\n"
                      "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" level=\"2\" "
                      "version=\"4\">\n"
                      "<model id=\"a\"/>\n"
                      "<model id=\"b\"/>\n"
                      "</sbml>\n";
    expect(two, "sbml:10103", 4, "<sbml> may contain only one <model>");
    expect("<?xml version=\"1.0\"?>\n"
           "<sbml xmlns=\"http://www.sbml.org/sbml/level2/version5\" level=\"2\" version=\"5\"\n"
           " xmlns:fbc=\"http://www.sbml.org/sbml/level3/version1/fbc/version1\" "
           "fbc:required=\"false\">\n"
           "<model/></sbml>\n",
           "sbml:10103", 3, "Level 3 package attribute fbc:required");
}
END_TEST

START_TEST(test_level1_required_and_list_attributes)
{
    const char *text = "<?xml version=\"1.0\"?>\n"
                       "<sbml xmlns=\"http://www.sbml.org/sbml/level1\" level=\"1\" version=\"2\">\n"
                       "<model><listOfCompartments id=\"x\">\n"
                       "<compartment name=\"c\"/></listOfCompartments>\n"
                       "<listOfSpecies><species name=\"s\" initialAmount=\"1\"/>\n"
                       "</listOfSpecies></model></sbml>\n";
    expect(text, "sbml:10103", 3, "<listOfCompartments> may not have the attribute id");
    expect(text, "sbml:10103", 5, "<species> \"s\" is missing the attribute compartment");
}
END_TEST

START_TEST(test_early_notes_are_schema)
{
    expect("<?xml version=\"1.0\"?>\n"
           "<sbml xmlns=\"http://www.sbml.org/sbml/level2\" level=\"2\" version=\"1\">\n"
           "<model><notes>\n"
           "<body><p>plain</p></body>\n"
           "</notes></model></sbml>\n",
           "sbml:10103", 3, "XHTML");
}
END_TEST

/* Level 3 keeps its own rules for list attributes (the Level 1/2 schema check is not used) */
START_TEST(test_level3_list_attributes_keep_their_rule)
{
    expect("<?xml version=\"1.0\"?>\n"
           "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" "
           "version=\"1\">\n"
           "<model>\n"
           "<listOfParameters foo=\"1\"><parameter id=\"p\" value=\"1\" constant=\"true\"/>"
           "</listOfParameters>\n"
           "</model></sbml>\n",
           "sbml:20227", 4, "<listOfParameters> may not have the attribute foo");
}
END_TEST

#define L2V1 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"                                     \
             "<sbml xmlns=\"http://www.sbml.org/sbml/level2\" level=\"2\" version=\"1\">\n"

/* metaids follow the ID syntax of the SBML specifications: XML 1.0 appendix B letters,
 * digits, combining characters and extenders, with ':' allowed anywhere. */
START_TEST(test_metaid_character_classes)
{
    expect(L2V1 "<model metaid=\"A&#x0132;\"/></sbml>\n", "sbml:10309", 3, "not a valid XML ID");
    expect(L2V1 "<model metaid=\"&#x0E94;A&#x0964;\"/></sbml>\n", "sbml:10309", 3,
           "not a valid XML ID");
    expect(L2V1 "<model metaid=\"A&#x00B8;\"/></sbml>\n", "sbml:10309", 3, "<model>");
    tc_test_sbml_expect_none(L2V1 "<model metaid=\":a\"/></sbml>\n", "sbml:10309");
    tc_test_sbml_expect_none(L2V1 "<model metaid=\"&#x0E94;A&#x0967;\"/></sbml>\n", "sbml:10309");
    tc_test_sbml_expect_none(L2V1 "<model metaid=\"A&#x02D0;&#x0330;\"/></sbml>\n", "sbml:10309");
}
END_TEST

#define L3V1 "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" " \
             "level=\"3\" version=\"1\">\n"
#define FD(body) "<model><listOfFunctionDefinitions><functionDefinition id=\"f\">" MATHML "\n" \
                 "<lambda>" body "</lambda></math></functionDefinition>"                       \
                 "</listOfFunctionDefinitions></model></sbml>\n"

/* libSBML's function-definition checks (99301, 99302, 99304) and dangling unit
 * references before Level 3 (99303). */
START_TEST(test_function_definition_shape)
{
    expect(L3V1 FD("<bvar><ci>x</ci></bvar><apply><times/><ci>x</ci>\n<csymbol "
                   "definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol>"
                   "</apply>"),
           "sbml:99301", 5, "uses the csymbol time");
    expect(L3V1 FD("<bvar><ci>x</ci></bvar>"), "sbml:99302", 4, "no body");
    expect(L3V1 FD("\n<bvar><cn>3</cn></bvar><cn>1</cn>"), "sbml:99304", 5, "not <cn>");
    expect("<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level2/version4\" "
           "level=\"2\" version=\"4\">\n<model><listOfCompartments>\n<compartment id=\"c\" "
           "units=\"sarah\"/></listOfCompartments></model></sbml>\n",
           "sbml:99303", 4, "units=\"sarah\"");
}
END_TEST

/* A modifier naming no species is 21111 like any species reference; an argument with
 * units where a dimensionless one is needed is also libSBML's 99502; root(n, x) in a
 * Level 1 formula is the n-th root of x, whose degree is checked (99504). */
START_TEST(test_references_and_unit_warnings)
{
    expect(L3V1 "<model><listOfCompartments><compartment id=\"c\" constant=\"true\"/>"
                "</listOfCompartments><listOfReactions><reaction id=\"r\" reversible=\"false\">"
                "<listOfModifiers>\n<modifierSpeciesReference species=\"t\"/></listOfModifiers>"
                "</reaction></listOfReactions></model></sbml>\n",
           "sbml:21111", 4, "\"t\" of a modifier");
    expect(L3V1 "<model><listOfParameters><parameter id=\"p\" value=\"1\" units=\"metre\" "
                "constant=\"true\"/><parameter id=\"q\" value=\"1\" units=\"dimensionless\" "
                "constant=\"false\"/></listOfParameters><listOfRules><assignmentRule "
                "variable=\"q\">" MATHML "\n<apply><exp/><ci>p</ci></apply></math>"
                "</assignmentRule></listOfRules></model></sbml>\n",
           "sbml:99502", 4,
           "in the assignment rule for \"q\", the argument of <exp> has units (metre); it "
           "should be dimensionless");
    expect("<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level1\" "
           "level=\"1\" version=\"2\">\n<model><listOfCompartments><compartment name=\"c\"/>"
           "</listOfCompartments><listOfParameters><parameter name=\"p\" value=\"1\" "
           "units=\"dimensionless\"/></listOfParameters><listOfRules>\n"
           "<algebraicRule formula=\"root(p,2.12)\"/></listOfRules></model></sbml>\n",
           "sbml:99504", 4,
           "in an algebraic rule, a <root> of a quantity whose units are not all declared has "
           "a degree that is not a constant whole number; the units of the result cannot be "
           "checked");
}
END_TEST

/* Level 3 units left undeclared: an empty unit definition (99508), no time units with
 * rates (99506), no extent units with kinetic laws (99507). */
START_TEST(test_undeclared_model_units)
{
    const char *doc =
        L3V1 "<model>\n<listOfUnitDefinitions><unitDefinition id=\"u\"/></listOfUnitDefinitions>"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" units=\"litre\" "
             "constant=\"true\"/></listOfCompartments><listOfParameters>\n<parameter id=\"k\" "
             "value=\"1\" units=\"u\" constant=\"true\"/></listOfParameters><listOfReactions>"
             "<reaction id=\"r\" reversible=\"false\"><kineticLaw>" MATHML "<ci>k</ci></math>"
             "</kineticLaw></reaction></listOfReactions></model></sbml>\n";
    expect(doc, "sbml:99508", 5, "the unit definition \"u\" has no units");
    expect(doc, "sbml:99506", 3, "time units are not declared");
    expect(doc, "sbml:99507", 3, "extent units are not declared");
}
END_TEST

/* Before L2V5 only csymbol and semantics may carry a definitionURL (10204); before
 * Level 3 an annotation element in the SBML namespace has no namespace of its own
 * (10401 beside 10403). */
START_TEST(test_definition_url_and_annotation_namespace)
{
    const char *ci_url = "<model><listOfParameters><parameter id=\"p\" value=\"1\"/>"
                         "<parameter id=\"q\" value=\"1\" constant=\"false\"/></listOfParameters>"
                         "<listOfRules><assignmentRule variable=\"q\">" MATHML
                         "\n<ci definitionURL=\"http://example.org/p\">p</ci></math>"
                         "</assignmentRule></listOfRules></model></sbml>\n";
    char *l2v4 = tc_xasprintf("<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/"
                              "level2/version4\" level=\"2\" version=\"4\">\n%s",
                              ci_url);
    char *l2v5 = tc_xasprintf("<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/"
                              "level2/version5\" level=\"2\" version=\"5\">\n%s",
                              ci_url);
    expect(l2v4, "sbml:10204", 4, "<ci> may not have a definitionURL");
    tc_test_sbml_expect_none(l2v5, "sbml:10204");
    free(l2v4);
    free(l2v5);
    const char *top = "<model>\n<annotation>\n<top/></annotation></model></sbml>\n";
    char *l2 = tc_xasprintf("%s%s", L2V1, top), *l3 = tc_xasprintf("%s%s", L3V1, top);
    expect(l2, "sbml:10401", 5, "not SBML's");
    tc_test_sbml_expect_none(l3, "sbml:10401");
    free(l2);
    free(l3);
}
END_TEST

/* From L2V2 a complete XHTML document in notes has a <head> with a <title>, then a
 * <body> (10804). */
START_TEST(test_notes_html_document)
{
    const char *head = "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level2/"
                       "version4\" level=\"2\" version=\"4\">\n<model><notes>\n"
                       "<html xmlns=\"http://www.w3.org/1999/xhtml\">";
    char *bad = tc_xasprintf("%s<head></head><body><p>x</p></body></html></notes></model>"
                             "</sbml>\n",
                             head);
    char *good = tc_xasprintf("%s<head><title>t</title></head><body><p>x</p></body></html>"
                              "</notes></model></sbml>\n",
                              head);
    expect(bad, "sbml:10804", 4, "must hold a <head> with a <title>");
    tc_test_sbml_expect_none(good, "sbml:10804");
    free(bad);
    free(good);
}
END_TEST

Suite *sbml_rules_suite(void)
{
    Suite *s = suite_create("sbml_rules");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_strict_units_mirror_on_level2);
    tcase_add_test(tc, test_level2_empty_attribute);
    tcase_add_test(tc, test_level2_foreign_namespace);
    tcase_add_test(tc, test_level2_duplicate_child_and_package);
    tcase_add_test(tc, test_level1_required_and_list_attributes);
    tcase_add_test(tc, test_early_notes_are_schema);
    tcase_add_test(tc, test_level3_list_attributes_keep_their_rule);
    tcase_add_test(tc, test_metaid_character_classes);
    tcase_add_test(tc, test_function_definition_shape);
    tcase_add_test(tc, test_references_and_unit_warnings);
    tcase_add_test(tc, test_undeclared_model_units);
    tcase_add_test(tc, test_definition_url_and_annotation_namespace);
    tcase_add_test(tc, test_notes_html_document);
    suite_add_tcase(s, tc);
    return s;
}
