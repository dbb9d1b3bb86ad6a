/* outputs: the CSV convention, HDF5 reports in the BioSimulators layout (the
 * published archive under ../shared and files written here), and the matching
 * of declared outputs against SED-ML reports in a package. */
#include <check.h>
#include <hdf5.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testutil.h"
#include "outputs/outputs.h"
#include "sedml/sedml.h"

static const tc_finding *finding(const tc_findings *fs, const char *rule, long line,
                                 const char *text)
{
    for (size_t i = 0; i < fs->len; i++)
        if (strcmp(fs->items[i].rule, rule) == 0 && (line < 0 || fs->items[i].line == line) &&
            strstr(fs->items[i].message, text))
            return &fs->items[i];
    return NULL;
}

START_TEST(test_csv_convention)
{
    const char *text = "\xEF\xBB\xBF# results of report1\n"
                       "time, \"S1\" ,\"a \"\"quoted\"\", name\"\n"
                       "\n"
                       "0, 1.5e-3 ,NaN\n"
                       "# a comment between records\r\n"
                       "1.0,,  -2E+2\r\n"
                       "2,#N/A,\"3\"\n";
    tc_findings fs;
    tc_findings_init(&fs);
    tc_csv csv;
    ck_assert_int_eq(tc_csv_parse(&csv, (const unsigned char *)text, strlen(text), "r.csv",
                                  "sedml:output-unreadable", &fs),
                     0);
    ck_assert_uint_eq(fs.len, 0);
    ck_assert_uint_eq(csv.ncols, 3);
    ck_assert_str_eq(csv.header[1], "S1");
    ck_assert_str_eq(csv.header[2], "a \"quoted\", name");
    ck_assert_uint_eq(csv.nrows, 3);
    ck_assert_double_eq(csv.cells[1], 1.5e-3);
    ck_assert(isnan(csv.cells[2]));
    ck_assert(isnan(csv.cells[4])); /* empty cell */
    ck_assert_double_eq(csv.cells[5], -200);
    ck_assert(isnan(csv.cells[7]));
    ck_assert_double_eq(csv.cells[8], 3);
    ck_assert_int_eq(tc_csv_column(&csv, "S1"), 1);
    ck_assert_int_eq(tc_csv_column(&csv, "S2"), -1);
    tc_csv_release(&csv);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_csv_malformed)
{
    const char *text = "time,S1\n0,1\n1,2,3\n2,abc\n3,\"4\n";
    tc_findings fs;
    tc_findings_init(&fs);
    tc_csv csv;
    ck_assert_int_eq(tc_csv_parse(&csv, (const unsigned char *)text, strlen(text), "r.csv",
                                  "sedml:output-unreadable", &fs),
                     0);
    ck_assert_ptr_nonnull(
        finding(&fs, "sedml:output-unreadable", 3, "record has 3 fields, the header has 2"));
    const tc_finding *f =
        finding(&fs, "sedml:output-unreadable", 4, "'abc' in column 'S1' is not a number");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(f->column, 2);
    ck_assert_ptr_nonnull(
        finding(&fs, "sedml:output-unreadable", -1, "quoted field is not closed"));
    tc_csv_release(&csv);
    tc_findings_release(&fs);

    tc_findings_init(&fs);
    ck_assert_int_eq(tc_csv_parse(&csv, (const unsigned char *)"# only\n\n", 8, "e.csv",
                                  "sedml:output-unreadable", &fs),
                     TC_EINVAL);
    ck_assert_ptr_nonnull(
        finding(&fs, "sedml:output-unreadable", -1, "e.csv has no header record"));
    tc_findings_release(&fs);
}
END_TEST

/* Repeated column ids are reported once per id with their count, and only the first
 * ten ids: a header of 20000 empty ids (found by fuzzing) once gave a finding per
 * pair, some 200 million of them. */
START_TEST(test_csv_duplicate_header_bounded)
{
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "a,b,a,c,a");
    for (int i = 0; i < 12; i++)
        tc_buf_printf(&b, ",d%d,d%d", i, i);
    for (int i = 0; i < 20000; i++)
        tc_buf_puts(&b, ",");
    tc_buf_puts(&b, "\n");
    tc_findings fs;
    tc_findings_init(&fs);
    tc_csv csv;
    ck_assert_int_eq(tc_csv_parse(&csv, (const unsigned char *)b.data, b.len, "h.csv",
                                  "sedml:output-unreadable", &fs),
                     0);
    ck_assert_int_eq(csv.ncols, 5 + 24 + 20000);
    ck_assert_ptr_nonnull(finding(&fs, "sedml:output-unreadable", 1,
                                  "h.csv: column '' appears 20000 times in the header"));
    ck_assert_ptr_nonnull(finding(&fs, "sedml:output-unreadable", 1,
                                  "h.csv: column 'a' appears 3 times in the header"));
    ck_assert_ptr_null(finding(&fs, "sedml:output-unreadable", 1, "column 'b' appears"));
    ck_assert_ptr_nonnull(finding(&fs, "sedml:output-unreadable", 1,
                                  "h.csv: 4 more column ids appear more than once"));
    ck_assert_int_eq(fs.len, 11);
    tc_csv_release(&csv);
    tc_findings_release(&fs);
    tc_buf_release(&b);
}
END_TEST

/* ---- HDF5 -------------------------------------------------------------------------- */

START_TEST(test_hdf5_biosimulators)
{
    const char *shared = tc_test_shared();
    if (!shared) {
        fprintf(stderr, "skipped: ../shared is absent (BioSimulators example archive)\n");
        return;
    }
    char *path = tc_xasprintf("%s/testsuites/biosimulators-format-example/"
                              "Vilar-PNAS-2002-minimal-circardian-clock.omex",
                              shared);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, path, &limits, &fs), 0);
    const tc_file *h5 = tc_package_find(pkg, "reports.h5");
    ck_assert_ptr_nonnull(h5);
    ck_assert_int_eq(h5->kind, TC_KIND_HDF5);
    tc_outputs out;
    tc_outputs_init(&out, h5->path);
    ck_assert_int_eq(tc_outputs_read_hdf5(&out, h5, &fs), 0);
    ck_assert_ptr_null(finding(&fs, "sedml:output-unreadable", -1, ""));
    /* 5 reports and 5 plots of 10 data sets each, every one named */
    ck_assert_uint_eq(out.len, 100);
    size_t in_report = 0;
    for (size_t i = 0; i < out.len; i++) {
        const tc_output_dataset *d = &out.items[i];
        ck_assert_str_eq(d->sedml, "simulation.sedml");
        ck_assert(d->id && d->id[0]);
        ck_assert(d->label && d->label[0]);
        if (strcmp(d->output, "report_Fig_1a") == 0) {
            in_report++;
            ck_assert_uint_eq(d->nvalues, 401);
            if (strcmp(d->id, "dataSet_0_time") == 0) {
                ck_assert_str_eq(d->label, "dataSet_time");
                ck_assert_double_eq(d->values[0], 0);
                ck_assert_double_eq(d->values[400], 200);
            }
        }
    }
    ck_assert_uint_eq(in_report, 10);
    tc_outputs_release(&out);
    /* and the package as a whole: every declared data set matches its report */
    tc_sedml_check_package(pkg, &fs);
    ck_assert_ptr_null(finding(&fs, "sedml:output-mismatch", -1, ""));
    ck_assert_ptr_null(finding(&fs, "sedml:output-unknown", -1, ""));
    tc_package_free(pkg);
    tc_findings_release(&fs);
    free(path);
}
END_TEST

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

/* A report file with one good dataset, one without names, one with too few names. */
static unsigned char *make_h5(size_t *len)
{
    char path[] = "/tmp/tc-outputs-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    hid_t g = H5Gcreate2(f, "sim.sedml", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    hsize_t dims[2] = {2, 3};
    double data[6] = {0, 1, 2, 10, 20, 30};
    hid_t space = H5Screate_simple(2, dims, NULL);
    const char *ids[] = {"d_time", "d_s1"}, *labels[] = {"time", "S1"};
    static const char *const names[] = {"report", "unnamed", "short"};
    for (int i = 0; i < 3; i++) {
        hid_t d =
            H5Dcreate2(g, names[i], H5T_IEEE_F64LE, space, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
        H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, data);
        if (i == 0) {
            write_attr(d, "sedmlDataSetIds", ids, 2);
            write_attr(d, "sedmlDataSetLabels", labels, 2);
        } else if (i == 2) {
            write_attr(d, "sedmlDataSetIds", ids, 1);
        }
        H5Dclose(d);
    }
    H5Sclose(space);
    H5Gclose(g);
    H5Fclose(f);
    unsigned char *bytes = NULL;
    ck_assert_int_eq(tc_read_file(path, 1 << 20, &bytes, len), 0);
    unlink(path);
    return bytes;
}

START_TEST(test_hdf5_written)
{
    size_t len = 0;
    unsigned char *bytes = make_h5(&len);
    tc_file file = {
        .path = "reports.h5", .present = true, .kind = TC_KIND_HDF5, .data = bytes, .size = len};
    tc_findings fs;
    tc_findings_init(&fs);
    tc_outputs out;
    tc_outputs_init(&out, file.path);
    ck_assert_int_eq(tc_outputs_read_hdf5(&out, &file, &fs), 0);
    ck_assert_uint_eq(out.len, 2);
    ck_assert_str_eq(out.items[1].sedml, "sim.sedml");
    ck_assert_str_eq(out.items[1].output, "report");
    ck_assert_str_eq(out.items[1].id, "d_s1");
    ck_assert_str_eq(out.items[1].label, "S1");
    ck_assert_uint_eq(out.items[1].nvalues, 3);
    ck_assert_double_eq(out.items[1].values[2], 30);
    const tc_finding *f = finding(&fs, "sedml:output-unreadable", -1,
                                  "dataset sim.sedml/unnamed has no sedmlDataSetIds attribute");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->file, "reports.h5");
    ck_assert_ptr_nonnull(finding(&fs, "sedml:output-unreadable", -1,
                                  "sim.sedml/short has 2 rows but sedmlDataSetIds names 1"));
    tc_outputs_release(&out);
    tc_findings_release(&fs);
    free(bytes);

    /* not HDF5 at all */
    unsigned char junk[] = "\x89HDF\r\n\x1a\nthis is not really HDF5";
    tc_file bad = {.path = "bad.h5",
                   .present = true,
                   .kind = TC_KIND_HDF5,
                   .data = junk,
                   .size = sizeof junk - 1};
    tc_findings_init(&fs);
    tc_outputs_init(&out, bad.path);
    ck_assert_int_eq(tc_outputs_read_hdf5(&out, &bad, &fs), TC_EINVAL);
    ck_assert_ptr_nonnull(
        finding(&fs, "sedml:output-unreadable", -1, "bad.h5 is not a readable HDF5 file"));
    tc_outputs_release(&out);
    tc_findings_release(&fs);
}
END_TEST

/* ---- a package whose CSV report does not match its SED-ML report ------------------ */

START_TEST(test_csv_report_mismatch)
{
    char dir[] = "/tmp/tc-outputs-pkg-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *sedml =
        "<?xml version=\"1.0\"?>\n<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version4\" "
        "level=\"1\" version=\"4\"><listOfDataGenerators><dataGenerator id=\"g\"><listOfVariables>"
        "<variable id=\"t\" taskReference=\"x\" "
        "symbol=\"urn:sedml:symbol:time\"/></listOfVariables>"
        "<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><ci>t</ci></math></dataGenerator>"
        "</listOfDataGenerators><listOfOutputs><report id=\"report1\"><listOfDataSets>"
        "<dataSet id=\"ds_time\" label=\"time\" dataReference=\"g\"/>"
        "<dataSet id=\"ds_s1\" label=\"S1\" dataReference=\"g\"/></listOfDataSets></report>"
        "</listOfOutputs></sedML>\n";
    char *p = tc_xasprintf("%s/sim.sedml", dir);
    ck_assert_int_eq(tc_write_file(p, sedml, strlen(sedml)), 0);
    free(p);
    char *mk = tc_xasprintf("mkdir -p %s/results", dir);
    ck_assert_int_eq(system(mk), 0);
    free(mk);
    p = tc_xasprintf("%s/results/report1.csv", dir);
    const char *csv = "time,S2\n0,1\n1,2\n";
    ck_assert_int_eq(tc_write_file(p, csv, strlen(csv)), 0);
    free(p);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &limits, &fs), 0);
    tc_sedml_check_package(pkg, &fs);
    const tc_finding *f = finding(&fs, "sedml:output-mismatch", -1,
                                  "declares data set 'S2' for output 'report1' of sim.sedml");
    ck_assert_ptr_nonnull(f);
    ck_assert_str_eq(f->file, "results/report1.csv");
    ck_assert_ptr_nonnull(
        finding(&fs, "sedml:output-mismatch", -1, "has no data for dataSet 'ds_s1' (label 'S1')"));
    /* the time column matched by its label */
    ck_assert_ptr_null(finding(&fs, "sedml:output-mismatch", -1, "'ds_time'"));
    tc_package_free(pkg);
    tc_findings_release(&fs);
    char *cmd = tc_xasprintf("rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}
END_TEST

Suite *outputs_suite(void)
{
    Suite *s = suite_create("outputs");
    TCase *tc = tcase_create("csv");
    tcase_add_test(tc, test_csv_convention);
    tcase_add_test(tc, test_csv_malformed);
    tcase_add_test(tc, test_csv_duplicate_header_bounded);
    tcase_add_test(tc, test_csv_report_mismatch);
    suite_add_tcase(s, tc);
    tc = tcase_create("hdf5");
    tcase_add_test(tc, test_hdf5_biosimulators);
    tcase_add_test(tc, test_hdf5_written);
    suite_add_tcase(s, tc);
    return s;
}
