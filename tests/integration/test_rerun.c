/* The re-run stage through the built command: the fixtures under fixtures/rerun/
 * (expected findings and verdicts in their expected.tsv), an HDF5 variant written
 * here, tolerances from the options, and the bundled example package. */
#include <check.h>
#include <hdf5.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testutil.h"

static const char *const names[] = {"right",         "slightly-off",        "wrong",
                                    "stochastic",    "missing",             "repeated",
                                    "other-grid",    "repeated-grid",       "repeated-grid-wrong",
                                    "data-range",    "data-range-wrong"};

static json_t *rerun_json(int *status, const char *path, const char *opt, const char *arg)
{
    char *out = NULL;
    *status = opt ? tc_test_run(&out, "rerun", "--format", "json", opt, arg, path, NULL)
                  : tc_test_run(&out, "rerun", "--format", "json", path, NULL);
    json_error_t err;
    json_t *j = json_loads(out ? out : "", 0, &err);
    ck_assert_msg(j != NULL, "%s: the report is not JSON (%s): %s", path, err.text, out);
    free(out);
    return j;
}

static const char *verdict_of(json_t *report, const char *rep, const char *set)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(report, "reruns"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "report")), rep) == 0 &&
            strcmp(json_string_value(json_object_get(e, "data_set")), set) == 0)
            return json_string_value(json_object_get(e, "verdict"));
    }
    return "(absent)";
}

START_TEST(test_fixture)
{
    const char *name = names[_i];
    char *dir = tc_xasprintf("%s/%s", TC_SOURCE("fixtures/rerun"), name);
    char *exp = tc_xasprintf("%s/expected.tsv", dir);
    int status;
    json_t *report = rerun_json(&status, dir, NULL, NULL);
    json_t *findings = json_object_get(report, "findings");
    FILE *fp = fopen(exp, "r");
    ck_assert_ptr_nonnull(fp);
    char line[4096];
    size_t listed = 0;
    bool want_fail = false;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || !line[0])
            continue;
        char *f[4] = {0}, *p = line;
        for (int i = 0; i < 4 && p; i++) {
            f[i] = p;
            p = i < 3 ? strchr(p, '\t') : NULL;
            if (p)
                *p++ = '\0';
        }
        if (strcmp(f[0], "@verdict") == 0) {
            char *slash = strchr(f[1], '/');
            ck_assert_ptr_nonnull(slash);
            *slash = '\0';
            const char *got = verdict_of(report, f[1], slash + 1);
            ck_assert_msg(strcmp(got, f[2]) == 0, "%s: %s/%s is %s, expected %s", name, f[1],
                          slash + 1, got, f[2]);
            continue;
        }
        ck_assert_msg(f[3] != NULL, "%s: a line needs rule, file, line, message", name);
        bool found = false;
        size_t i;
        json_t *fj;
        json_array_foreach(findings, i, fj)
        {
            found = found ||
                    (strcmp(json_string_value(json_object_get(fj, "rule")), f[0]) == 0 &&
                     strcmp(json_string_value(json_object_get(fj, "file")), f[1]) == 0 &&
                     json_integer_value(json_object_get(fj, "line")) == strtol(f[2], NULL, 10) &&
                     strstr(json_string_value(json_object_get(fj, "message")), f[3]));
        }
        ck_assert_msg(found, "%s: no %s at %s:%s with \"%s\"", name, f[0], f[1], f[2], f[3]);
        listed++;
        want_fail = want_fail || strcmp(f[0], "rerun:not-verifiable") != 0;
    }
    fclose(fp);
    /* nothing else from the re-run */
    size_t i, rerun = 0;
    json_t *fj;
    json_array_foreach(findings, i, fj)
    {
        rerun += strncmp(json_string_value(json_object_get(fj, "rule")), "rerun:", 6) == 0;
    }
    ck_assert_uint_eq(rerun, listed);
    ck_assert_int_eq(status, want_fail ? 1 : 0);
    json_decref(report);
    free(exp);
    free(dir);
}
END_TEST

/* Tolerances from the options: six significant digits fail at rtol 1e-7. */
START_TEST(test_tolerance_option)
{
    int status;
    json_t *r = rerun_json(&status, TC_SOURCE("fixtures/rerun/slightly-off"), "--rtol", "1e-7");
    ck_assert_int_eq(status, 1);
    ck_assert_str_eq(verdict_of(r, "report1", "ds_A"), "fail");
    ck_assert_str_eq(verdict_of(r, "report1", "ds_time"), "pass");
    json_decref(r);
}
END_TEST

/* --seed reaches the solver: two events at t >= 1 with the same priority set p to 1 and to
 * 2, so the one executed last decides p at t = 2. A package declaring p = 1 verifies under
 * exactly the seeds for which `simulate` gives 1, and both outcomes occur. */
#define SEED_MATH "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define SEED_EVENT(id, value)                                                                      \
    "<event id=\"" id "\" useValuesFromTriggerTime=\"true\">"                                      \
    "<trigger initialValue=\"false\" persistent=\"true\">" SEED_MATH                              \
    "<apply><geq/><csymbol definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol>"   \
    "<cn>1</cn></apply></math></trigger><priority>" SEED_MATH "<cn>1</cn></math></priority>"     \
    "<listOfEventAssignments><eventAssignment variable=\"p\">" SEED_MATH "<cn>" value          \
    "</cn></math></eventAssignment></listOfEventAssignments></event>\n"

START_TEST(test_seed_option)
{
    static const char model[] =
        "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" "
        "level=\"3\" version=\"2\"><model id=\"m\"><listOfParameters>"
        "<parameter id=\"p\" value=\"0\" constant=\"false\"/></listOfParameters>\n"
        "<listOfEvents>\n" SEED_EVENT("one", "1") SEED_EVENT("two", "2")
        "</listOfEvents></model></sbml>\n";
    static const char sedml[] =
        "<?xml version=\"1.0\"?>\n<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version4\" "
        "level=\"1\" version=\"4\">\n"
        "<listOfModels><model id=\"m\" language=\"urn:sedml:language:sbml.level-3.version-2\" "
        "source=\"model.xml\"/></listOfModels>\n"
        "<listOfSimulations><uniformTimeCourse id=\"sim\" initialTime=\"0\" "
        "outputStartTime=\"0\" outputEndTime=\"2\" numberOfSteps=\"1\"><algorithm "
        "kisaoID=\"KISAO:0000019\"/></uniformTimeCourse></listOfSimulations>\n"
        "<listOfTasks><task id=\"task1\" modelReference=\"m\" simulationReference=\"sim\"/>"
        "</listOfTasks>\n"
        "<listOfDataGenerators><dataGenerator id=\"dg_p\"><listOfVariables><variable id=\"vp\" "
        "target=\"/sbml:sbml/sbml:model/sbml:listOfParameters/sbml:parameter[@id='p']\" "
        "taskReference=\"task1\" xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\"/>"
        "</listOfVariables>" SEED_MATH "<ci>vp</ci></math></dataGenerator></listOfDataGenerators>\n"
        "<listOfOutputs><report id=\"report1\"><listOfDataSets><dataSet id=\"ds_p\" label=\"p\" "
        "dataReference=\"dg_p\"/></listOfDataSets></report></listOfOutputs>\n</sedML>\n";
    static const char manifest[] =
        "<?xml version=\"1.0\"?>\n<omexManifest "
        "xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
        "<content location=\".\" format=\"http://identifiers.org/combine.specifications/omex\"/>\n"
        "<content location=\"./manifest.xml\" "
        "format=\"http://identifiers.org/combine.specifications/omex-manifest\"/>\n"
        "<content location=\"./model.xml\" "
        "format=\"http://identifiers.org/combine.specifications/sbml.level-3.version-2.core\"/>\n"
        "<content location=\"./simulation.sedml\" "
        "format=\"http://identifiers.org/combine.specifications/sed-ml.level-1.version-4\" "
        "master=\"true\"/>\n"
        "<content location=\"./report1.csv\" format=\"http://purl.org/NET/mediatypes/text/csv\"/>\n"
        "</omexManifest>\n";
    static const char declared[] = "p\n0\n1\n";
    char dir[] = "/tmp/tc-seed-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    static const char *const files[] = {"manifest.xml", "model.xml", "simulation.sedml",
                                        "report1.csv"};
    const char *texts[] = {manifest, model, sedml, declared};
    char *paths[4];
    for (int i = 0; i < 4; i++) {
        paths[i] = tc_xasprintf("%s/%s", dir, files[i]);
        ck_assert_int_eq(tc_write_file(paths[i], texts[i], strlen(texts[i])), 0);
    }
    bool seen[2] = {false, false};
    for (int k = 0; k < 12; k++) {
        char seed[24];
        snprintf(seed, sizeof seed, "%d", k);
        char *out = NULL;
        ck_assert_int_eq(tc_test_run(&out, "simulate", paths[1], "--end", "2", "--steps", "1",
                                     "--vars", "p", "--seed", seed, NULL),
                         0);
        bool one = strstr(out, "\n2,1\n") != NULL;
        ck_assert_msg(one || strstr(out, "\n2,2\n"), "simulate gave %s", out);
        free(out);
        int status;
        json_t *r = rerun_json(&status, dir, "--seed", seed);
        ck_assert_str_eq(verdict_of(r, "report1", "ds_p"), one ? "pass" : "fail");
        ck_assert_int_eq(status, one ? 0 : 1);
        json_decref(r);
        seen[one] = true;
    }
    ck_assert_msg(seen[0] && seen[1], "twelve seeds ordered the tie the same way");
    char *out = NULL;
    ck_assert_int_eq(tc_test_run(&out, "rerun", "--seed", "x", dir, NULL), 2);
    free(out);
    for (int i = 0; i < 4; i++) {
        unlink(paths[i]);
        free(paths[i]);
    }
    rmdir(dir);
}
END_TEST

/* The bundled package's declared results (the analytic solution) verify, and
 * the assessment grades code verification and solver error from the re-run. */
START_TEST(test_bundled_package)
{
    int status;
    const char *pkg = TC_SOURCE("fixtures/valid/pk-two-compartment");
    json_t *r = rerun_json(&status, pkg, NULL, NULL);
    ck_assert_int_eq(status, 0);
    ck_assert_uint_eq(json_array_size(json_object_get(r, "reruns")), 3);
    ck_assert_str_eq(verdict_of(r, "report_concentrations", "C_central"), "pass");
    ck_assert_str_eq(verdict_of(r, "report_concentrations", "C_peripheral"), "pass");
    json_t *e = json_array_get(json_object_get(r, "reruns"), 1);
    ck_assert(json_real_value(json_object_get(e, "cross_integrator_max_rel_diff")) < 1e-6);
    ck_assert(json_real_value(json_object_get(e, "convergence_max_rel_change")) < 1e-6);
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(e, "algorithm")), "bdf"));
    json_decref(r);

    char *out = NULL;
    tc_test_run(&out, "validate", "--assess", "--format", "json", pkg, NULL);
    json_t *v = json_loads(out, 0, NULL);
    json_t *measures = json_object_get(json_object_get(v, "credibility"), "measures");
    ck_assert(json_is_real(json_object_get(measures, "rerun.cross_integrator_max_rel_diff")));
    ck_assert_int_eq(json_integer_value(json_object_get(measures, "rerun.count")) +
                         (int)json_real_value(json_object_get(measures, "rerun.count")),
                     3);
    json_decref(v);
    free(out);
}
END_TEST

static void copy_file(const char *from, const char *to)
{
    unsigned char *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(tc_read_file(from, 1 << 20, &data, &len), 0);
    ck_assert_int_eq(tc_write_file(to, data, len), 0);
    free(data);
}

static void write_attr(hid_t obj, const char *name, const char **values, hsize_t n)
{
    hid_t type = H5Tcopy(H5T_C_S1);
    H5Tset_size(type, H5T_VARIABLE);
    hid_t space = H5Screate_simple(1, &n, NULL);
    hid_t a = H5Acreate2(obj, name, type, space, H5P_DEFAULT, H5P_DEFAULT);
    ck_assert_int_ge(H5Awrite(a, type, values), 0);
    H5Aclose(a);
    H5Sclose(space);
    H5Tclose(type);
}

/* The right package with its declared values in a BioSimulators reports.h5, B
 * shifted by 1 % so that one data set fails. */
START_TEST(test_hdf5)
{
    char dir[] = "/tmp/tc-rerun-h5-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *files[] = {"model.xml", "simulation.sedml"};
    for (int i = 0; i < 2; i++) {
        char *from = tc_xasprintf("%s/%s", TC_SOURCE("fixtures/rerun/right"), files[i]);
        char *to = tc_xasprintf("%s/%s", dir, files[i]);
        copy_file(from, to);
        free(from);
        free(to);
    }
    const char *manifest =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
        "  <content location=\".\" format=\"http://identifiers.org/combine.specifications/omex\"/>\n"
        "  <content location=\"./manifest.xml\" "
        "format=\"http://identifiers.org/combine.specifications/omex-manifest\"/>\n"
        "  <content location=\"./model.xml\" "
        "format=\"http://identifiers.org/combine.specifications/sbml.level-3.version-2.core\"/>\n"
        "  <content location=\"./simulation.sedml\" "
        "format=\"http://identifiers.org/combine.specifications/sed-ml.level-1.version-4\" "
        "master=\"true\"/>\n"
        "  <content location=\"./reports.h5\" "
        "format=\"http://purl.org/NET/mediatypes/application/x-hdf5\"/>\n"
        "</omexManifest>\n";
    char *mpath = tc_xasprintf("%s/manifest.xml", dir);
    ck_assert_int_eq(tc_write_file(mpath, manifest, strlen(manifest)), 0);
    double data[3][21];
    for (int j = 0; j < 21; j++) {
        double t = 0.5 * j, a = 10 * exp(-0.5 * t);
        data[0][j] = t;
        data[1][j] = a;
        data[2][j] = (10 - a) * 1.01;
    }
    char *h5 = tc_xasprintf("%s/reports.h5", dir);
    hid_t f = H5Fcreate(h5, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2(f, "simulation.sedml", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = {3, 21};
    hid_t space = H5Screate_simple(2, dims, NULL);
    hid_t d = H5Dcreate2(g, "report1", H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT,
                         H5P_DEFAULT);
    H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
    const char *ids[] = {"ds_time", "ds_A", "ds_B"}, *labels[] = {"time", "A", "B"};
    write_attr(d, "sedmlDataSetIds", ids, 3);
    write_attr(d, "sedmlDataSetLabels", labels, 3);
    H5Dclose(d);
    H5Sclose(space);
    H5Gclose(g);
    H5Fclose(f);

    int status;
    json_t *r = rerun_json(&status, dir, NULL, NULL);
    ck_assert_int_eq(status, 1);
    ck_assert_str_eq(verdict_of(r, "report1", "ds_time"), "pass");
    ck_assert_str_eq(verdict_of(r, "report1", "ds_A"), "pass");
    ck_assert_str_eq(verdict_of(r, "report1", "ds_B"), "fail");
    json_t *e = json_array_get(json_object_get(r, "reruns"), 2);
    ck_assert_str_eq(json_string_value(json_object_get(e, "declared")), "reports.h5");
    ck_assert(fabs(json_real_value(json_object_get(e, "max_rel_error")) - 0.01 / 1.01) < 1e-6);
    json_decref(r);
    unlink(h5);
    unlink(mpath);
    for (int i = 0; i < 2; i++) {
        char *p = tc_xasprintf("%s/%s", dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(h5);
    free(mpath);
}
END_TEST

/* The finding and entry of one data set. */
static void expect_rerun_fail(json_t *r, const char *set, long line, const char *fragment)
{
    ck_assert_str_eq(verdict_of(r, "scan_report", set), "fail");
    size_t i;
    json_t *e;
    bool entry = false, finding = false;
    json_array_foreach(json_object_get(r, "reruns"), i, e)
    {
        if (strcmp(json_string_value(json_object_get(e, "data_set")), set) != 0)
            continue;
        entry = strstr(json_string_value(json_object_get(e, "reason")), fragment) != NULL;
        ck_assert(json_is_null(json_object_get(e, "max_abs_error")));
    }
    json_array_foreach(json_object_get(r, "findings"), i, e)
    {
        finding = finding ||
                  (strcmp(json_string_value(json_object_get(e, "rule")), "rerun:fail") == 0 &&
                   strcmp(json_string_value(json_object_get(e, "file")), "simulation.sedml") == 0 &&
                   json_integer_value(json_object_get(e, "line")) == line &&
                   strstr(json_string_value(json_object_get(e, "message")), fragment));
    }
    ck_assert_msg(entry, "%s: no reason with \"%s\"", set, fragment);
    ck_assert_msg(finding, "%s: no rerun:fail at line %ld with \"%s\"", set, line, fragment);
}

/* A repeated task declared on its own grid whose structure does not match the
 * task: one time course fewer than its iterations, and a time that goes back
 * inside a time course. Both fail with the reason; nothing is compared. */
START_TEST(test_repeated_grid_structure)
{
    char dir[] = "/tmp/tc-rerun-rgrid-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *files[] = {"model.xml", "simulation.sedml", "manifest.xml"};
    for (int i = 0; i < 3; i++) {
        char *from = tc_xasprintf("%s/%s", TC_SOURCE("fixtures/rerun/repeated-grid"), files[i]);
        char *to = tc_xasprintf("%s/%s", dir, files[i]);
        copy_file(from, to);
        free(from);
        free(to);
    }
    char *expected = tc_xasprintf("%s/expected.tsv", dir);
    ck_assert_int_eq(tc_write_file(expected, "#\n", 2), 0); /* listed by the manifest */
    char *csv = tc_xasprintf("%s/scan_report.csv", dir);
    /* the first time course only */
    const char *one = "time,A,total\n0,10,10\n0.3,9.4176453358424865,10\n"
                      "1.1,8.0251879796247856,10\n2.5,6.0653065971263338,10\n"
                      "3.2,5.2729242404304859,10\n";
    ck_assert_int_eq(tc_write_file(csv, one, strlen(one)), 0);
    int status;
    json_t *r = rerun_json(&status, dir, NULL, NULL);
    ck_assert_int_eq(status, 1);
    const char *why = "scan_report.csv declares 5 values in 1 time courses (by where its time goes "
                      "back), but repeated task 'scan' runs 2 of model 'm': the number of "
                      "iterations differs";
    expect_rerun_fail(r, "ds_time", 58, why);
    expect_rerun_fail(r, "ds_A", 59, why);
    json_decref(r);
    /* 0.3 and 1.1 swapped in the first time course */
    const char *swapped = "time,A,total\n0,10,10\n1.1,8.0251879796247856,10\n"
                          "0.3,9.4176453358424865,10\n2.5,6.0653065971263338,10\n"
                          "3.2,5.2729242404304859,10\n0,4.4932896411722156,10\n"
                          "0.7,2.5666077695355587,10\n1.9,0.98273585604361513,10\n"
                          "3.6,0.25222974835227208,10\n4,0.18315638888734179,10\n";
    ck_assert_int_eq(tc_write_file(csv, swapped, strlen(swapped)), 0);
    r = rerun_json(&status, dir, NULL, NULL);
    ck_assert_int_eq(status, 1);
    expect_rerun_fail(r, "ds_total", 60,
                      "declares 10 values in 3 time courses (by where its time goes back), but "
                      "repeated task 'scan' runs 2 of model 'm': the declared times do not ascend "
                      "inside a time course (value 3: t=0.3 after 1.1)");
    json_decref(r);
    unlink(csv);
    unlink(expected);
    for (int i = 0; i < 3; i++) {
        char *p = tc_xasprintf("%s/%s", dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
    free(csv);
    free(expected);
}
END_TEST

Suite *rerun_suite(void)
{
    Suite *s = suite_create("rerun");
    TCase *tc = tcase_create("fixtures");
    tcase_set_timeout(tc, 120);
    tcase_add_loop_test(tc, test_fixture, 0, (int)(sizeof names / sizeof *names));
    tcase_add_test(tc, test_tolerance_option);
    tcase_add_test(tc, test_seed_option);
    tcase_add_test(tc, test_bundled_package);
    tcase_add_test(tc, test_hdf5);
    tcase_add_test(tc, test_repeated_grid_structure);
    suite_add_tcase(s, tc);
    return s;
}
