/* core: findings, sorting, the catalogue, strings. */
#include <check.h>
#include <string.h>

#include "../testutil.h"

START_TEST(test_catalogue_has_rules)
{
    const tc_rule *r = tc_rule_find("xml:not-well-formed");
    ck_assert_ptr_nonnull(r);
    ck_assert_int_eq(r->severity, TC_ERROR);
    ck_assert_ptr_null(tc_rule_find("no:such-rule"));
    size_t n;
    const tc_rule *all = tc_rules_all(&n);
    ck_assert_uint_gt(n, 0);
    for (size_t i = 1; i < n; i++)
        ck_assert_int_lt(strcmp(all[i - 1].id, all[i].id), 0);
    ck_assert_uint_eq(strlen(tc_rules_digest()), 64);
}
END_TEST

START_TEST(test_findings_sorted_and_located)
{
    tc_findings fs;
    tc_findings_init(&fs);
    fs.target = "b";
    tc_finding_add(&fs, "xml:not-well-formed", (tc_loc){.file = "./m.xml", .line = 9}, "late");
    fs.target = "a";
    tc_finding_add(&fs, "xml:not-well-formed", (tc_loc){.file = "m.xml", .line = 3, .column = 2},
                   "second %d", 2);
    tc_finding_add(&fs, "omex:unlisted-file", (tc_loc){.file = "m.xml", .line = 3, .column = 1},
                   "first");
    tc_findings_sort(&fs);
    ck_assert_str_eq(fs.items[0].message, "first");
    ck_assert_str_eq(fs.items[0].rule, "omex:unlisted-file");
    ck_assert_int_eq(fs.items[0].severity, TC_WARNING);
    ck_assert_str_eq(fs.items[1].message, "second 2");
    ck_assert_str_eq(fs.items[2].target, "b");
    ck_assert_str_eq(fs.items[2].file, "m.xml"); /* leading ./ removed */
    size_t counts[4];
    tc_findings_count(&fs, counts);
    ck_assert_uint_eq(counts[TC_ERROR], 2);
    ck_assert_uint_eq(counts[TC_WARNING], 1);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_finding_with_also_id)
{
    tc_findings fs;
    tc_findings_init(&fs);
    /* the severity is the primary rule's (10502 is an error, 90501 a warning) */
    tc_finding_add_also(&fs, "sbml:10502", "sbml:90501", (tc_loc){.file = "m.xml", .line = 4},
                        "units %s", "differ");
    tc_finding_add(&fs, "sbml:10502", (tc_loc){.file = "m.xml", .line = 4}, "units differ");
    tc_finding_add_also(&fs, "sbml:10501", "sbml:10501", (tc_loc){.file = "m.xml", .line = 2},
                        "same id twice");
    tc_finding_add_also(&fs, "sbml:10501", NULL, (tc_loc){.file = "m.xml", .line = 1}, "none");
    tc_findings_sort(&fs);
    ck_assert_uint_eq(fs.len, 4);
    ck_assert_ptr_null(fs.items[0].also);
    ck_assert_ptr_null(fs.items[1].also); /* an also-id equal to the rule is dropped */
    /* same place, rule and message: the one without an also-id sorts first */
    ck_assert_ptr_null(fs.items[2].also);
    const tc_finding *f = &fs.items[3];
    ck_assert_str_eq(f->rule, "sbml:10502");
    ck_assert_str_eq(f->also, "sbml:90501");
    ck_assert_str_eq(f->message, "units differ");
    ck_assert_int_eq(f->severity, TC_ERROR);
    ck_assert(tc_finding_is(f, "sbml:10502"));
    ck_assert(tc_finding_is(f, "sbml:90501"));
    ck_assert(!tc_finding_is(f, "sbml:10501"));
    ck_assert(!tc_finding_is(&fs.items[2], "sbml:90501"));
    /* the test helper matches the also-id too; the first match in sort order */
    ck_assert_ptr_eq(tc_test_find(&fs, "sbml:90501", "m.xml"), f);
    ck_assert_ptr_null(tc_test_find(&fs, "sbml:90501", "other.xml"));
    size_t counts[4];
    tc_findings_count(&fs, counts);
    ck_assert_uint_eq(counts[TC_ERROR], 2); /* one finding, counted once */
    ck_assert_uint_eq(counts[TC_WARNING], 2);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_run_verdict_follows_fail_level)
{
    tc_run run;
    tc_run_init(&run);
    run.findings.target = "t";
    tc_finding_add(&run.findings, "omex:unlisted-file", TC_AT_FILE("x"), "w");
    ck_assert(tc_run_passed(&run));
    run.fail_on = TC_WARNING;
    ck_assert(!tc_run_passed(&run));
    tc_run_release(&run);
}
END_TEST

START_TEST(test_buf_and_severity)
{
    tc_buf b = TC_BUF_INIT;
    for (int i = 0; i < 1000; i++)
        tc_buf_printf(&b, "%d,", i);
    ck_assert_uint_eq(b.len, strlen(b.data));
    char *s = tc_buf_detach(&b);
    ck_assert(strncmp(s, "0,1,2,", 6) == 0);
    free(s);
    tc_severity sev;
    ck_assert_int_eq(tc_severity_parse("warning", &sev), 0);
    ck_assert_int_eq(sev, TC_WARNING);
    ck_assert_int_eq(tc_severity_parse("bad", &sev), TC_EINVAL);
    ck_assert(strstr(tc_error_last(), "bad") != NULL);
}
END_TEST

Suite *core_suite(void)
{
    Suite *s = suite_create("core");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_catalogue_has_rules);
    tcase_add_test(tc, test_findings_sorted_and_located);
    tcase_add_test(tc, test_finding_with_also_id);
    tcase_add_test(tc, test_run_verdict_follows_fail_level);
    tcase_add_test(tc, test_buf_and_severity);
    suite_add_tcase(s, tc);
    return s;
}
