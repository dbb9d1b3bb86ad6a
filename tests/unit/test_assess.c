/* Unit tests of the credibility engine's building blocks: metrics, the CSV
 * reader, rule packs (built-in and broken ones), the model risk, and the
 * engine's handling of a package without a usable dossier and of re-run
 * entries for other targets. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testutil.h"
#include "assess/assess.h"

static const double st[] = {0, 1, 2}, sv[] = {0, 1, 2};
static const double ot[] = {0.5, 1.5}, ov[] = {0.6, 1.4};

static double metric(tc_metric m, double babs, double brel)
{
    double v = -1;
    ck_assert_int_eq(tc_metric_compute(m, st, sv, 3, ot, ov, 2, babs, brel, &v), 0);
    return v;
}

START_TEST(test_metrics_values)
{
    /* Interpolated simulation 0.5 and 1.5: both errors are 0.1. */
    ck_assert_double_eq_tol(metric(TC_METRIC_MAX_ABS_ERROR, 0, 0), 0.1, 1e-12);
    ck_assert_double_eq_tol(metric(TC_METRIC_RMSE, 0, 0), 0.1, 1e-12);
    ck_assert_double_eq_tol(metric(TC_METRIC_MAX_REL_ERROR, 0, 0), 0.1 / 0.6, 1e-12);
    ck_assert_double_eq_tol(metric(TC_METRIC_NRMSE, 0, 0), 0.1 / 0.8, 1e-12);
    ck_assert_double_eq_tol(metric(TC_METRIC_FRACTION_WITHIN, 0.05, 0), 0.0, 1e-12);
    ck_assert_double_eq_tol(metric(TC_METRIC_FRACTION_WITHIN, 0.1 + 1e-9, 0), 1.0, 1e-12);
    /* 0.1 <= 0.1 * 1.4 but not <= 0.1 * 0.6: one of two within. */
    ck_assert_double_eq_tol(metric(TC_METRIC_FRACTION_WITHIN, 0, 0.1), 0.5, 1e-12);
    ck_assert_int_eq(tc_metric_from_name("nrmse"), TC_METRIC_NRMSE);
    ck_assert_int_eq(tc_metric_from_name("r2"), TC_METRIC_COUNT);
    ck_assert_str_eq(tc_metric_name(TC_METRIC_FRACTION_WITHIN), "fraction_within");
    ck_assert(!tc_metric_lower_is_better(TC_METRIC_FRACTION_WITHIN));
    ck_assert(tc_metric_lower_is_better(TC_METRIC_RMSE));
}
END_TEST

START_TEST(test_metrics_undefined)
{
    double v;
    const double late[] = {2.5}, one[] = {1}, zero[] = {0}, zt[] = {1, 1.5};
    const double flat[] = {3, 3};
    ck_assert_int_eq(tc_metric_compute(TC_METRIC_RMSE, st, sv, 3, late, one, 1, 0, 0, &v),
                     TC_EINVAL);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "outside the simulated span"));
    ck_assert_int_eq(tc_metric_compute(TC_METRIC_MAX_REL_ERROR, st, sv, 3, one, zero, 1, 0, 0, &v),
                     TC_EINVAL);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "observation is 0"));
    ck_assert_int_eq(tc_metric_compute(TC_METRIC_NRMSE, st, sv, 3, zt, flat, 2, 0, 0, &v),
                     TC_EINVAL);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "no range"));
    ck_assert_int_eq(tc_metric_compute(TC_METRIC_RMSE, st, sv, 0, ot, ov, 2, 0, 0, &v), TC_EINVAL);
    const double back[] = {0, 2, 1};
    ck_assert_int_eq(tc_metric_compute(TC_METRIC_RMSE, back, sv, 3, ot, ov, 2, 0, 0, &v),
                     TC_EINVAL);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "decrease"));
}
END_TEST


/* The built-in packs load, have their factors, and map risk as documented. */
START_TEST(test_builtin_packs)
{
    const char *const *ids = tc_pack_builtin_ids();
    ck_assert_str_eq(ids[0], "vv40");
    ck_assert_str_eq(ids[1], "tsr");
    ck_assert_ptr_null(ids[2]);
    tc_pack *vv = NULL, *tsr = NULL;
    ck_assert_int_eq(tc_pack_load(&vv, "vv40"), 0);
    ck_assert_int_eq(tc_pack_load(&tsr, "tsr"), 0);
    ck_assert_str_eq(tc_pack_id(vv), "vv40");
    ck_assert_int_eq(tc_pack_risk_levels(vv), 5);
    ck_assert_int_eq(tc_pack_risk(vv, "low", "low"), 1);
    ck_assert_int_eq(tc_pack_risk(vv, "low", "high"), 3);
    ck_assert_int_eq(tc_pack_risk(vv, "high", "medium"), 4);
    ck_assert_int_eq(tc_pack_risk(vv, "high", "high"), 5);
    ck_assert_int_eq(tc_pack_risk(vv, "huge", "high"), 0);
    ck_assert_int_eq(tc_pack_risk(vv, "high", NULL), 0);
    /* The ten-rules pack has three rigor tiers set by the larger of the two. */
    ck_assert_int_eq(tc_pack_risk_levels(tsr), 3);
    ck_assert_int_eq(tc_pack_risk(tsr, "low", "high"), 3);
    ck_assert_int_eq(tc_pack_risk(tsr, "medium", "medium"), 2);
    ck_assert_int_eq(tc_pack_risk(tsr, "low", "low"), 1);
    tc_pack_free(vv);
    tc_pack_free(tsr);
}
END_TEST

/* The V&V 40 pack has its 13 factors, in order, one section entry each. */
START_TEST(test_vv40_factors)
{
    static const char *const want[] = {"software-quality-assurance",
                                       "numerical-code-verification",
                                       "discretization-error",
                                       "numerical-solver-error",
                                       "use-error",
                                       "model-form",
                                       "model-inputs",
                                       "test-samples",
                                       "test-conditions",
                                       "equivalency-of-input-parameters",
                                       "output-comparison",
                                       "relevance-of-quantities-of-interest",
                                       "relevance-of-validation-activities"};
    char *out = NULL;
    ck_assert_int_eq(tc_test_run(&out, "assess", "--format", "json",
                                 TC_SOURCE("fixtures/credibility/pk-package"), NULL),
                     0);
    json_t *report = json_loads(out, 0, NULL);
    json_t *factors = json_object_get(json_object_get(report, "credibility"), "factors");
    ck_assert_uint_eq(json_array_size(factors), 13);
    for (size_t i = 0; i < 13; i++) {
        json_t *f = json_array_get(factors, i);
        ck_assert_str_eq(json_string_value(json_object_get(f, "id")), want[i]);
        static const char *const keys[] = {"name",      "required", "claimed",
                                           "supported", "verdict",  "evidence"};
        for (size_t k = 0; k < 6; k++)
            ck_assert_ptr_nonnull(json_object_get(f, keys[k]));
    }
    /* Evidence is bound by digest. */
    json_t *ev = json_array_get(json_object_get(json_array_get(factors, 0), "evidence"), 0);
    ck_assert_str_eq(json_string_value(json_object_get(ev, "file")),
                     "credibility/evidence/software-quality.md");
    ck_assert_uint_eq(strlen(json_string_value(json_object_get(ev, "sha256"))), 64);
    json_decref(report);
    free(out);
}
END_TEST

typedef struct bad_pack {
    const char *text;
    const char *message;
} bad_pack;

#define HEAD                                                                                       \
    "{\"format\":\"urn:twincheck:format:credibility-pack:1\",\"id\":\"x\",\"name\":\"X\","         \
    "\"scales\":{\"influence\":[\"lo\",\"hi\"],\"consequence\":[\"lo\",\"hi\"]},"
#define RISK "\"risk\":{\"levels\":2,\"map\":[[1,1],[1,2]]},"
#define LEVELS "\"levels\":[{\"id\":\"a\",\"meaning\":\"A\"},{\"id\":\"b\",\"meaning\":\"B\"}]"

static const bad_pack bad_packs[] = {
    {"{\"format\":\"nope\"}", "/format"},
    {"[1]", "expected a JSON object"},
    {"{", "line 1"},
    {HEAD "\"risk\":{\"levels\":2,\"map\":[[1,1]]},\"factors\":[]}", "/risk/map"},
    {HEAD "\"risk\":{\"levels\":2,\"map\":[[1,3],[1,2]]},\"factors\":[]}", "/risk/map"},
    {HEAD RISK "\"factors\":[]}", "/factors"},
    {HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\"," LEVELS ",\"required\":[\"b\",\"a\"]}]}",
     "/factors/0/required: a higher risk cannot require a lower gradation"},
    {HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\"," LEVELS ",\"required\":[\"a\",\"z\"]}]}",
     "/factors/0/required"},
    {HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\"," LEVELS ",\"required\":[\"a\",\"b\"],"
               "\"tool\":[{\"level\":\"b\",\"max\":{\"speed\":1}}]}]}",
     "/factors/0/tool/0/speed: unknown measure"},
    {HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\"," LEVELS ",\"required\":[\"a\",\"b\"],"
               "\"tool\":[{\"level\":\"a\",\"max\":{\"comparison.count\":1}},"
               "{\"level\":\"b\",\"max\":{\"comparison.count\":1}}]}]}",
     "highest level first"},
    {HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\",\"levels\":[{\"id\":\"none\","
               "\"meaning\":\"N\"},{\"id\":\"b\",\"meaning\":\"B\"}],\"required\":[\"b\",\"b\"]}]}",
     "'none' is reserved"},
    {HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\"," LEVELS ",\"required\":[\"a\",\"b\"]},"
               "{\"id\":\"f\",\"name\":\"G\"," LEVELS ",\"required\":[\"a\",\"b\"]}]}",
     "/factors/1: a factor with this id comes earlier"},
    {HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\"," LEVELS ",\"required\":[\"a\",\"b\"]}],"
               "\"requirements\":[{\"pointer\":\"limits\",\"rule\":\"r\",\"message\":\"m\"}]}",
     "JSON pointer"},
};

START_TEST(test_bad_packs)
{
    tc_pack *p = (tc_pack *)1;
    const bad_pack *b = &bad_packs[_i];
    ck_assert_int_eq(tc_pack_parse(&p, b->text, strlen(b->text), "'t.json'"), TC_EINVAL);
    ck_assert_ptr_null(p);
    ck_assert_msg(strstr(tc_error_last(), b->message), "case %d: '%s' lacks '%s'", _i,
                  tc_error_last(), b->message);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "rule pack 't.json'"));
}
END_TEST

START_TEST(test_good_small_pack)
{
    const char text[] = HEAD RISK "\"factors\":[{\"id\":\"f\",\"name\":\"F\"," LEVELS
                                  ",\"required\":[\"a\",\"b\"]}]}";
    tc_pack *p = NULL;
    ck_assert_int_eq(tc_pack_parse(&p, text, sizeof text - 1, "small"), 0);
    ck_assert_int_eq(tc_pack_risk(p, "hi", "hi"), 2);
    ck_assert_int_eq(tc_pack_risk(p, "hi", "lo"), 1);
    tc_pack_free(p);
    ck_assert_int_eq(tc_pack_load(&p, "/nonexistent/pack.json"), TC_ENOTFOUND);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "built-in pack (vv40, tsr)"));
}
END_TEST

/* A package whose only file is a model: no dossier, a failed assessment. */
START_TEST(test_no_dossier)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    const char *target = TC_SOURCE("fixtures/credibility/pk-package/model.xml");
    fs.target = target;
    ck_assert_int_eq(tc_package_open(&pkg, target, &limits, &fs), 0);
    tc_assess_input in = {.pkg = pkg};
    json_t *sec = NULL;
    ck_assert_int_eq(tc_assess_package(&in, &fs, &sec), 0);
    const tc_finding *f = tc_test_find(&fs, "cred:dossier-missing", NULL);
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "urn:twincheck:format:credibility-dossier:1"));
    ck_assert_str_eq(json_string_value(json_object_get(sec, "verdict")), "fail");
    ck_assert(json_is_null(json_object_get(sec, "dossier")));
    json_decref(sec);
    tc_package_free(pkg);
    tc_findings_release(&fs);
}
END_TEST

/* A dossier that is not JSON, found at the conventional path without a
 * manifest: undeclared, then invalid with the line of the problem. */
START_TEST(test_dossier_not_json)
{
    char dir[] = "/tmp/tc-assess-unit-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *sub = tc_xasprintf("%s/credibility", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    char *path = tc_xasprintf("%s/dossier.json", sub);
    const char text[] = "{\n  \"format\": \"urn:twincheck:format:credibility-dossier:1\",\n  "
                        "\"context_of_use\": \n}\n";
    ck_assert_int_eq(tc_write_file(path, text, sizeof text - 1), 0);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &limits, &fs), 0);
    tc_assess_input in = {.pkg = pkg};
    json_t *sec = NULL;
    ck_assert_int_eq(tc_assess_package(&in, &fs, &sec), 0);
    ck_assert_ptr_nonnull(tc_test_find(&fs, "cred:dossier-undeclared", "credibility/dossier.json"));
    const tc_finding *f = tc_test_find(&fs, "cred:dossier-invalid", "credibility/dossier.json");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->line, 4);
    ck_assert_ptr_nonnull(strstr(f->message, "not valid JSON"));
    json_decref(sec);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove(path);
    rmdir(sub);
    rmdir(dir);
    free(path);
    free(sub);
}
END_TEST

/* Wrong types everywhere give findings at the right JSON pointers, never a crash. */
START_TEST(test_dossier_wrong_types)
{
    char dir[] = "/tmp/tc-assess-unit-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char *cmd =
        tc_xasprintf("cp -R '%s/.' '%s/'", TC_SOURCE("fixtures/credibility/pk-package"), dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    char *path = tc_xasprintf("%s/credibility/dossier.json", dir);
    const char text[] =
        "{\"format\": 7, \"pack\": [\"vv40\"], \"model_risk\": \"high\", "
        "\"quantities_of_interest\": [1, {\"id\": \"q\", \"sedml\": \"../x.sedml\", "
        "\"report\": \"r\", \"data_set\": \"d\"}], \"factors\": {\"use-error\": 3, "
        "\"a~b/c\": {}, \"model-form\": {\"claimed\": \"medium\", \"rationale\": \"r\", "
        "\"evidence\": \"x\"}}, \"validation\": [null, {\"qoi\": \"q\", \"comparator\": \"f\", "
        "\"metric\": \"r2\", \"threshold\": -1}]}";
    ck_assert_int_eq(tc_write_file(path, text, sizeof text - 1), 0);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &limits, &fs), 0);
    tc_assess_input in = {.pkg = pkg};
    json_t *sec = NULL;
    ck_assert_int_eq(tc_assess_package(&in, &fs, &sec), 0);
    static const char *const want[][2] = {
        {"cred:dossier-invalid", "/format"},
        {"cred:dossier-invalid", "/pack"},
        {"cred:dossier-invalid", "/model_risk"},
        {"cred:dossier-field-missing", "/quantities_of_interest/0"},
        {"cred:vv40:qoi-output-missing", "/quantities_of_interest/1/sedml"},
        {"cred:dossier-invalid", "/factors/use-error"},
        {"cred:dossier-unknown-factor", "/factors/a~0b~1c"},
        {"cred:dossier-invalid", "/factors/model-form/evidence"},
        {"cred:dossier-invalid", "/validation/0"},
        {"cred:vv40:no-comparator", "/validation/1/comparator"},
        {"cred:dossier-unknown-value", "/validation/1/metric"},
        {"cred:vv40:no-acceptance-criterion", "/validation/1/threshold"},
    };
    for (size_t w = 0; w < sizeof want / sizeof *want; w++) {
        bool found = false;
        for (size_t i = 0; i < fs.len; i++)
            found = found || (strcmp(fs.items[i].rule, want[w][0]) == 0 && fs.items[i].path &&
                              strcmp(fs.items[i].path, want[w][1]) == 0 &&
                              strcmp(fs.items[i].file, "credibility/dossier.json") == 0);
        ck_assert_msg(found, "no %s at %s", want[w][0], want[w][1]);
    }
    /* Influence and consequence unknown: read at the highest risk. */
    ck_assert(json_is_null(json_object_get(json_object_get(sec, "risk"), "level")));
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(sec, "risk"), "assessed_at")), 5);
    ck_assert_str_eq(json_string_value(json_object_get(sec, "verdict")), "fail");
    json_decref(sec);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    cmd = tc_xasprintf("rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    free(path);
}
END_TEST

/* Re-run entries of another target are not this package's evidence. */
START_TEST(test_reruns_of_other_target)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    const char *target = TC_SOURCE("fixtures/credibility/pk-package");
    fs.target = target;
    ck_assert_int_eq(tc_package_open(&pkg, target, &limits, &fs), 0);
    json_t *reruns =
        json_pack("[{s:s, s:s, s:s, s:f, s:f, s:s}]", "target", "other.omex", "report",
                  "report_plasma", "data_set", "ds_C_central", "cross_integrator_max_rel_diff",
                  1e-9, "convergence_max_rel_change", 1e-9, "verdict", "pass");
    tc_assess_input in = {.pkg = pkg, .reruns = reruns};
    json_t *sec = NULL;
    ck_assert_int_eq(tc_assess_package(&in, &fs, &sec), 0);
    json_t *measures = json_object_get(sec, "measures");
    ck_assert(json_is_null(json_object_get(measures, "rerun.cross_integrator_max_rel_diff")));
    ck_assert_double_eq(json_number_value(json_object_get(measures, "rerun.count")), 0);
    const tc_finding *f = tc_test_find(&fs, "cred:vv40:not-assessed", "credibility/dossier.json");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "numerical-code-verification"));
    ck_assert_ptr_nonnull(strstr(f->message, "the re-run results have no such value"));
    json_decref(sec);
    json_decref(reruns);
    tc_package_free(pkg);
    tc_findings_release(&fs);
}
END_TEST

/* The text table shows each factor and says plainly what the tool did not assess. */
START_TEST(test_text_table)
{
    json_t *sec = json_pack(
        "{s:s, s:{s:s, s:s}, s:s, s:{s:i, s:i, s:s, s:s}, s:[{s:s, s:s, s:s, s:s, s:b, s:s}], "
        "s:[], s:s}",
        "target", "pk.omex", "pack", "id", "vv40", "name", "V&V 40", "dossier", "d.json", "risk",
        "level", 4, "levels", 5, "influence", "high", "consequence", "medium", "factors", "id",
        "use-error", "required", "medium", "claimed", "high", "supported", "none",
        "assessed_by_tool", 0, "verdict", "not-assessed", "comparisons", "verdict", "incomplete");
    char *text = tc_assess_text(sec);
    ck_assert_ptr_nonnull(strstr(text, "model risk: 4 of 5 (influence high, consequence medium)"));
    ck_assert_ptr_nonnull(strstr(text, "none*"));
    ck_assert_ptr_nonnull(strstr(text, "not assessed by the tool"));
    ck_assert_ptr_nonnull(strstr(text, "verdict: incomplete"));
    free(text);
    json_decref(sec);
}
END_TEST

Suite *assess_suite(void)
{
    Suite *s = suite_create("assess");
    TCase *tc = tcase_create("assess");
    tcase_add_test(tc, test_metrics_values);
    tcase_add_test(tc, test_metrics_undefined);
    tcase_add_test(tc, test_builtin_packs);
    tcase_add_test(tc, test_vv40_factors);
    tcase_add_loop_test(tc, test_bad_packs, 0, (int)(sizeof bad_packs / sizeof *bad_packs));
    tcase_add_test(tc, test_good_small_pack);
    tcase_add_test(tc, test_no_dossier);
    tcase_add_test(tc, test_dossier_not_json);
    tcase_add_test(tc, test_dossier_wrong_types);
    tcase_add_test(tc, test_reruns_of_other_target);
    tcase_add_test(tc, test_text_table);
    suite_add_tcase(s, tc);
    return s;
}
