/* Packages built at test time from SBML Test Suite semantic cases (ground truth
 * that no code of ours produced) must verify with `twincheck rerun`. */
#include <check.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../conformance/semantic_case.h"
#include "../testutil.h"

static const char *const cases[] = {"00001", "00002", "00010", "00050", "00100"};

START_TEST(test_semantic_case)
{
    const char *shared = tc_test_shared();
    if (!shared) {
        fprintf(stderr, "test_semantic_case: skipped, ../shared/testsuites is absent\n");
        return;
    }
    char *suite = tc_xasprintf("%s/testsuites/sbml-semantic", shared);
    char dir[] = "/tmp/tc-rerun-case-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    sem_settings st;
    const char *why = NULL;
    ck_assert_msg(sem_build(suite, cases[_i], dir, &st, &why) == 0, "%s: %s", cases[_i], why);
    char atol[40], rtol[40], *out = NULL;
    snprintf(atol, sizeof atol, "%.17g", st.atol);
    snprintf(rtol, sizeof rtol, "%.17g", st.rtol);
    int status = tc_test_run(&out, "rerun", "--format", "json", "--atol", atol, "--rtol", rtol,
                             dir, NULL);
    json_t *r = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(r);
    json_t *entries = json_object_get(r, "reruns");
    ck_assert_uint_ge(json_array_size(entries), 2);
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e)
    {
        ck_assert_msg(strcmp(json_string_value(json_object_get(e, "verdict")), "pass") == 0,
                      "%s: %s is %s: %s", cases[_i],
                      json_string_value(json_object_get(e, "data_set")),
                      json_string_value(json_object_get(e, "verdict")),
                      json_string_value(json_object_get(e, "reason")));
    }
    (void)status;
    json_decref(r);
    free(out);
    sem_remove(dir);
    free(suite);
}
END_TEST

Suite *rerun_semantic_suite(void)
{
    Suite *s = suite_create("rerun_semantic");
    TCase *tc = tcase_create("cases");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_semantic_case, 0, (int)(sizeof cases / sizeof *cases));
    suite_add_tcase(s, tc);
    return s;
}
