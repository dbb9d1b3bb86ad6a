/* sbml: inputs the fuzz targets found (tests/fuzz/corpus/sbml), each turned into
 * the finding it must give. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml/sbml.h"

/* The first finding with `rule`, or NULL. */
static const tc_finding *find_rule(const tc_findings *fs, const char *rule)
{
    for (size_t i = 0; i < fs->len; i++)
        if (strcmp(fs->items[i].rule, rule) == 0)
            return &fs->items[i];
    return NULL;
}

static void read_validate(const char *text, tc_findings *fs)
{
    tc_findings_init(fs);
    tc_sbml_doc *doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, text, strlen(text), "m.xml", fs), 0);
    tc_sbml_validate(doc, fs);
    tc_sbml_doc_free(doc);
}

/* A level or version far beyond an int (once undefined behaviour when converted)
 * is a level that does not exist. */
START_TEST(test_level_beyond_int)
{
    static const char *const texts[] = {
        "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\""
        " version=\"2111111111111111111111111111111111111111\"/>",
        "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"-1e300\""
        " version=\"nan\"><model/></sbml>",
    };
    static const char *const says[] = {"Version 2111111111111111111111111111111111111111 does",
                                       "Level -1e300 Version nan does not exist"};
    for (size_t i = 0; i < 2; i++) {
        tc_findings fs;
        read_validate(texts[i], &fs);
        const tc_finding *f = find_rule(&fs, "sbml:99101");
        ck_assert_ptr_nonnull(f);
        ck_assert_str_eq(f->file, "m.xml");
        ck_assert_int_eq(f->line, 1);
        ck_assert_msg(strstr(f->message, says[i]) != NULL, "%s", f->message);
        tc_findings_release(&fs);
    }
}
END_TEST

/* An algebraic rule that determines no variable (once qsort was handed NULL while
 * matching rules to variables) makes the model inconsistent, said in a message. */
START_TEST(test_algebraic_rule_without_candidate)
{
    static const char text[] =
        "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" "
        "version=\"2\"><model>\n"
        "<listOfParameters><parameter id=\"k\" value=\"1\" constant=\"true\"/>"
        "</listOfParameters>\n"
        "<listOfRules><algebraicRule><math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
        "<apply><minus/><ci>k</ci><cn>1</cn></apply></math></algebraicRule></listOfRules>\n"
        "</model></sbml>";
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, text, strlen(text), "m.xml", &fs), 0);
    tc_sbml_sim *sim = NULL;
    int rc = tc_sbml_sim_new(&sim, doc);
    ck_assert_int_eq(rc, TC_EINVAL);
    ck_assert_ptr_null(sim);
    ck_assert_msg(strstr(tc_error_last(), "algebraic") != NULL, "%s", tc_error_last());
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

Suite *sbml_limits_suite(void)
{
    Suite *s = suite_create("sbml_limits");
    TCase *tc = tcase_create("fuzz");
    tcase_add_test(tc, test_level_beyond_int);
    tcase_add_test(tc, test_algebraic_rule_without_candidate);
    suite_add_tcase(s, tc);
    return s;
}
