/* sbml: the hash indexes behind id look-ups (sbml_index.c), and the checks that use
 * them on models large enough to take the indexed paths (more than a handful of
 * participants, parameters or assignments): each finding's rule, line and message. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml_impl.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"

/* A document built one element a line, so that tests know each element's line. */
typedef struct doc {
    tc_buf b;
    long line; /* the line the next add() writes */
} doc;

static long add(doc *d, const char *fmt, ...) TC_PRINTF(2, 3);
static long add(doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tc_buf_vprintf(&d->b, fmt, ap);
    va_end(ap);
    tc_buf_puts(&d->b, "\n");
    return d->line++;
}

static void start(doc *d, int level, int version)
{
    *d = (doc){TC_BUF_INIT, 1};
    add(d, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    if (level == 3)
        add(d,
            "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version%d/core\" level=\"3\" "
            "version=\"%d\">",
            version, version);
    else
        add(d, "<sbml xmlns=\"http://www.sbml.org/sbml/level2%s\" level=\"2\" version=\"%d\">",
            version == 1   ? ""
            : version == 2 ? "/version2"
                           : "/version4",
            version);
}

static void validate(doc *d, tc_findings *fs)
{
    tc_findings_init(fs);
    tc_sbml_doc *x = NULL;
    if (tc_sbml_read(&x, d->b.data, d->b.len, "m.xml", fs) == 0) {
        tc_sbml_validate(x, fs);
        tc_sbml_doc_free(x);
    }
}

START_TEST(test_map_and_multi)
{
    /* enough keys to rehash several times; the first value of a key stays */
    enum { N = 3000 };
    static char keys[N][16];
    sbml_map m = {0};
    for (size_t i = 0; i < N; i++) {
        snprintf(keys[i], sizeof(keys[i]), "k%zu", i);
        ck_assert(sbml_map_put(&m, keys[i], i, NULL));
    }
    size_t v = 0;
    ck_assert(!sbml_map_put(&m, "k17", 99, &v));
    ck_assert_uint_eq(v, 17);
    for (size_t i = 0; i < N; i++) {
        ck_assert(sbml_map_get(&m, keys[i], &v));
        ck_assert_uint_eq(v, i);
    }
    ck_assert(!sbml_map_get(&m, "k3000", NULL));
    ck_assert(!sbml_map_get(&m, NULL, NULL));
    sbml_map_free(&m);
    ck_assert(!sbml_map_get(&m, "k1", NULL));

    /* values come back in the order they were added, per key */
    sbml_multi mm = {0};
    for (size_t i = 0; i < 100; i++)
        sbml_multi_add(&mm, keys[i % 7], i);
    sbml_multi_add(&mm, NULL, 5);
    sbml_multi_seal(&mm);
    const size_t *vals;
    size_t n = sbml_multi_get(&mm, "k3", &vals);
    ck_assert_uint_eq(n, 14);
    for (size_t i = 0; i < n; i++)
        ck_assert_uint_eq(vals[i], 3 + 7 * i);
    ck_assert_uint_eq(sbml_multi_get(&mm, "k7", &vals), 0);
    ck_assert_ptr_null(vals);
    sbml_multi_free(&mm);
}
END_TEST

/* A Level 3 Version 2 model: `nsp` species S0.., compartment c. */
static void l3_model(doc *d, int nsp)
{
    start(d, 3, 2);
    add(d, "<model id=\"m\" substanceUnits=\"mole\" timeUnits=\"second\" volumeUnits=\"litre\" "
           "extentUnits=\"mole\">");
    add(d, "<listOfCompartments><compartment id=\"c\" spatialDimensions=\"3\" size=\"1\" "
           "constant=\"true\"/></listOfCompartments>");
    add(d, "<listOfSpecies>");
    for (int i = 0; i < nsp; i++)
        add(d,
            "<species id=\"S%d\" compartment=\"c\" initialAmount=\"1\" "
            "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"%s\"/>",
            i, i == nsp - 1 ? "true" : "false");
    add(d, "</listOfSpecies>");
}

START_TEST(test_large_reaction)
{
    doc d;
    l3_model(&d, 14);
    add(&d, "<listOfReactions>");
    add(&d, "<reaction id=\"R\" reversible=\"false\">");
    add(&d, "<listOfReactants>");
    for (int i = 0; i < 10; i++)
        add(&d, "<speciesReference species=\"S%d\" stoichiometry=\"1\" constant=\"true\"/>", i);
    add(&d, "</listOfReactants>");
    add(&d, "<kineticLaw>");
    /* S0 and S9 take part, S11 and S12 do not (each reported once) */
    long math = add(&d, MATHML "<apply><times/><ci>S12</ci><ci>S0</ci><ci>S11</ci><ci>S9</ci>"
                               "<ci>S12</ci><ci>k</ci></apply></math>");
    add(&d, "<listOfLocalParameters>");
    long k = add(&d, "<localParameter id=\"k\" value=\"1\"/>");
    for (int i = 0; i < 10; i++)
        add(&d, "<localParameter id=\"p%d\" value=\"1\"/>", i);
    long dup = add(&d, "<localParameter id=\"p4\" value=\"2\"/>");
    long same = add(&d, "<localParameter id=\"S3\" value=\"2\"/>");
    add(&d, "</listOfLocalParameters></kineticLaw></reaction>");
    add(&d, "</listOfReactions></model></sbml>");
    tc_findings fs;
    validate(&d, &fs);
    tc_test_sbml_expect_count(&fs, 1, "sbml:21121", math,
                              "species \"S11\" appears in the kinetic law");
    tc_test_sbml_expect_count(&fs, 1, "sbml:21121", math,
                              "species \"S12\" appears in the kinetic law");
    tc_test_sbml_expect_count(&fs, 2, "sbml:21121", -1, "");
    tc_test_sbml_expect_count(&fs, 1, "sbml:10303", dup,
                              "\"p4\" is already used in the kinetic law of reaction");
    tc_test_sbml_expect_count(&fs, 1, "sbml:10303", -1, "");
    tc_test_sbml_expect_count(
        &fs, 1, "sbml:21173", same,
        "\"S3\" of reaction \"R\" has the same id as a reactant, product or modifier");
    tc_test_sbml_expect_count(&fs, 0, "sbml:21173", k, "");
    tc_findings_release(&fs);
    tc_buf_release(&d.b);
}
END_TEST

START_TEST(test_rules_events_and_participants)
{
    doc d;
    l3_model(&d, 4);
    add(&d, "<listOfUnitDefinitions><unitDefinition id=\"u\"><listOfUnits><unit kind=\"mole\" "
            "exponent=\"1\" scale=\"0\" multiplier=\"1\"/></listOfUnits></unitDefinition>");
    long u2 = add(&d, "<unitDefinition id=\"u\"><listOfUnits><unit kind=\"second\" "
                      "exponent=\"1\" scale=\"0\" multiplier=\"1\"/></listOfUnits>"
                      "</unitDefinition></listOfUnitDefinitions>");
    add(&d, "<listOfParameters>");
    for (int i = 0; i < 12; i++)
        add(&d, "<parameter id=\"q%d\" value=\"1\" units=\"dimensionless\" constant=\"false\"/>",
            i);
    add(&d, "</listOfParameters>");
    add(&d, "<listOfRules>");
    add(&d, "<assignmentRule variable=\"S1\">" MATHML "<cn>1</cn></math></assignmentRule>");
    long cyc = add(&d, "<assignmentRule variable=\"q0\">" MATHML "<ci>q1</ci></math>"
                       "</assignmentRule>");
    add(&d, "<assignmentRule variable=\"q1\">" MATHML "<ci>q0</ci></math></assignmentRule>");
    long twice = add(&d, "<rateRule variable=\"q0\">" MATHML "<cn>1</cn></math></rateRule>");
    add(&d, "</listOfRules>");
    add(&d, "<listOfReactions><reaction id=\"R\" reversible=\"false\"><listOfProducts>"
            "<speciesReference species=\"S1\" stoichiometry=\"1\" constant=\"true\"/>"
            "<speciesReference species=\"S3\" stoichiometry=\"1\" constant=\"true\"/>"
            "</listOfProducts></reaction></listOfReactions>");
    add(&d,
        "<listOfEvents><event id=\"E\" useValuesFromTriggerTime=\"true\">"
        "<trigger initialValue=\"true\" persistent=\"true\">" MATHML "<true/></math></trigger>");
    add(&d, "<listOfEventAssignments>");
    for (int i = 2; i < 12; i++)
        add(&d, "<eventAssignment variable=\"q%d\">" MATHML "<cn>1</cn></math></eventAssignment>",
            i);
    long again =
        add(&d, "<eventAssignment variable=\"q7\">" MATHML "<cn>2</cn></math></eventAssignment>");
    add(&d, "</listOfEventAssignments></event></listOfEvents>");
    add(&d, "</model></sbml>");
    tc_findings fs;
    validate(&d, &fs);
    tc_test_sbml_expect_count(&fs, 1, "sbml:10302", u2, "\"u\" is already used (line");
    tc_test_sbml_expect_count(&fs, 1, "sbml:10304", twice,
                              "\"q0\" is already the variable of another rule");
    tc_test_sbml_expect_count(&fs, 1, "sbml:10305", again, "assigns \"q7\" more than once");
    tc_test_sbml_expect_count(&fs, 1, "sbml:20906", cyc,
                              "the definition of \"q0\" depends on itself");
    tc_test_sbml_expect_count(&fs, 1, "sbml:20906", -1, "");
    /* S1: a product and set by a rule; S3: constant, not boundary, yet a product */
    tc_test_sbml_expect_count(&fs, 1, "sbml:20610", -1,
                              "species \"S1\" is changed both by reactions");
    tc_test_sbml_expect_count(&fs, 1, "sbml:20611", -1, "species \"S3\" is constant");
    tc_findings_release(&fs);
    tc_buf_release(&d.b);
}
END_TEST

START_TEST(test_rule_order_level2v1)
{
    doc d;
    start(&d, 2, 1);
    add(&d, "<model><listOfCompartments><compartment id=\"c\"/></listOfCompartments>");
    add(&d, "<listOfParameters>");
    for (int i = 0; i < 5; i++)
        add(&d, "<parameter id=\"a%d\" value=\"1\" constant=\"false\"/>", i);
    add(&d, "</listOfParameters><listOfRules>");
    long first = add(&d, "<assignmentRule variable=\"a0\">" MATHML
                         "<apply><plus/><ci>a4</ci><ci>a2</ci></apply></math></assignmentRule>");
    add(&d, "<assignmentRule variable=\"a1\">" MATHML "<cn>1</cn></math></assignmentRule>");
    long a2 = add(&d, "<assignmentRule variable=\"a2\">" MATHML "<cn>1</cn></math>"
                      "</assignmentRule>");
    add(&d, "<assignmentRule variable=\"a4\">" MATHML "<ci>a1</ci></math></assignmentRule>");
    add(&d, "</listOfRules></model></sbml>");
    tc_findings fs;
    validate(&d, &fs);
    /* the earliest later rule is named: a2 (line a2), not a4 */
    char part[96];
    snprintf(part, sizeof(part), "uses \"a2\", which a later rule (line %ld)", a2);
    tc_test_sbml_expect_count(&fs, 1, "sbml:99106", first, part);
    tc_test_sbml_expect_count(&fs, 1, "sbml:99106", -1, "");
    tc_findings_release(&fs);
    tc_buf_release(&d.b);
}
END_TEST

Suite *sbml_index_suite(void)
{
    Suite *s = suite_create("sbml_index");
    TCase *t = tcase_create("core");
    tcase_add_test(t, test_map_and_multi);
    tcase_add_test(t, test_large_reaction);
    tcase_add_test(t, test_rules_events_and_participants);
    tcase_add_test(t, test_rule_order_level2v1);
    suite_add_tcase(s, t);
    return s;
}
