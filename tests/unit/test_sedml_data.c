/* Data sources evaluated (validator/sedml/data.c): the values a dataSource selects
 * from a CSV or NuML file of the package, and the re-run's findings when a
 * repeated task's dataRange cannot be evaluated (rule, file, line, message). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testutil.h"
#include "rerun/rerun.h"
#include "sedml/sedml.h"

#define MODEL                                                                                      \
    "<?xml version=\"1.0\"?>\n"                                                                    \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"   \
    "<model id=\"m\"><listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"     \
    "</listOfCompartments>\n<listOfSpecies><species id=\"A\" compartment=\"c\" "                   \
    "initialAmount=\"10\" hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" "             \
    "constant=\"false\"/></listOfSpecies>\n<listOfParameters><parameter id=\"k\" value=\"1\" "     \
    "constant=\"true\"/></listOfParameters>\n<listOfReactions><reaction id=\"r\" "                 \
    "reversible=\"false\"><listOfReactants><speciesReference species=\"A\" stoichiometry=\"1\" "   \
    "constant=\"true\"/></listOfReactants><kineticLaw><math "                                      \
    "xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><times/><ci>k</ci><ci>A</ci></apply>"     \
    "</math></kineticLaw></reaction></listOfReactions></model>\n</sbml>\n"

#define NUML_NS "http://www.numl.org/numl/level1/version1"
#define CSV_DIMENSIONS                                                                             \
    "<dimensionDescription><compositeDescription xmlns=\"" NUML_NS "\" indexType=\"integer\" "     \
    "name=\"Index\"><compositeDescription indexType=\"string\" name=\"ColumnIds\">"                \
    "<atomicDescription valueType=\"double\" name=\"Values\"/></compositeDescription>"             \
    "</compositeDescription></dimensionDescription>\n"
#define SLICE(ref, value) "<slice reference=\"" ref "\" value=\"" value "\"/>"
#define SOURCE(id, slices)                                                                         \
    "<dataSource id=\"" id "\"><listOfSlices>" slices "</listOfSlices></dataSource>\n"

/* Every data source of the tests; the repeated task's range is put in at %s. */
static const char sedml_template[] =
    "<?xml version=\"1.0\"?>\n"
    "<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version4\" "
    "xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"1\" version=\"4\">\n"
    "<listOfDataDescriptions>\n"
    "<dataDescription id=\"params\" source=\"params.csv\" "
    "format=\"urn:sedml:format:csv\">\n" CSV_DIMENSIONS
    "<listOfDataSources>\n" SOURCE("k_col", SLICE("ColumnIds", "k")) SOURCE(
        "row1", SLICE("Index", "1")) SOURCE("cell", SLICE("Index", "2") SLICE("ColumnIds", "k"))
        SOURCE("no_col", SLICE("ColumnIds", "q")) SOURCE("no_row", SLICE("Index", "7")) SOURCE(
            "two_cols",
            SLICE("ColumnIds", "k") SLICE(
                "ColumnIds",
                "run")) "<dataSource id=\"all\"/>\n"
                        "<dataSource id=\"rows\" indexSet=\"Index\"/>\n"
                        "<dataSource id=\"ids\" indexSet=\"ColumnIds\"/>\n"
                        "<dataSource id=\"both\" indexSet=\"Index\">"
                        "<listOfSlices>" SLICE(
                            "ColumnIds",
                            "k") "</listOfSlices></dataSource>\n"
                                 "<dataSource id=\"middle\"><listOfSlices><slice "
                                 "reference=\"ColumnIds\" value=\"k\" "
                                 "startIndex=\"1\" endIndex=\"1\"/></listOfSlices></dataSource>\n"
                                 "<dataSource id=\"bad_start\"><listOfSlices><slice "
                                 "reference=\"ColumnIds\" value=\"k\" "
                                 "startIndex=\"one\"/></listOfSlices></dataSource>\n"
                                 "</listOfDataSources>\n"
                                 "</dataDescription>\n"
                                 "<dataDescription id=\"gone\" source=\"absent.csv\" "
                                 "format=\"urn:sedml:format:csv\">\n" CSV_DIMENSIONS
                                 "<listOfDataSources>\n" SOURCE(
                                     "gone_k",
                                     SLICE(
                                         "ColumnIds",
                                         "k")) "</listOfDataSources>\n"
                                               "</dataDescription>\n"
                                               "<dataDescription id=\"numl\" source=\"data.numl\" "
                                               "format=\"urn:sedml:format:numl\">\n"
                                               "<listOfDataSources>\n" SOURCE(
                                                   "numl_S1", SLICE("SpeciesIds", "S1"))
                                                   SOURCE(
                                                       "numl_at",
                                                       SLICE("time", "1") SLICE(
                                                           "SpeciesIds",
                                                           "S2")) "<dataSource id=\"numl_time\" "
                                                                  "indexSet=\"time\"/>\n"
                                                                  "<dataSource id=\"numl_all\"/>\n"
                                                                  "</listOfDataSources>\n"
                                                                  "</dataDescription>\n"
                                                                  "<dataDescription id=\"tsv\" "
                                                                  "source=\"params.csv\" "
                                                                  "format=\"urn:sedml:format:tsv\">"
                                                                  "\n"
                                                                  "<listOfDataSources>\n" SOURCE(
                                                                      "tsv_k",
                                                                      SLICE(
                                                                          "ColumnIds",
                                                                          "k")) "</"
                                                                                "listOfDataSources>"
                                                                                "\n"
                                                                                "</"
                                                                                "dataDescription>\n"
                                                                                "</"
                                                                                "listOfDataDescript"
                                                                                "ions>\n"
                                                                                "<listOfModels><"
                                                                                "model id=\"m\" "
                                                                                "language=\"urn:"
                                                                                "sedml:language:"
                                                                                "sbml.level-3."
                                                                                "version-2\" "
                                                                                "source=\"model."
                                                                                "xml\"/></"
                                                                                "listOfModels>\n"
                                                                                "<listOfSimulations"
                                                                                "><"
                                                                                "uniformTimeCourse "
                                                                                "id=\"sim\" "
                                                                                "initialTime=\"0\" "
                                                                                "outputStartTime="
                                                                                "\"0\" "
                                                                                "outputEndTime="
                                                                                "\"1\" "
                                                                                "numberOfSteps="
                                                                                "\"2\"><algorithm "
                                                                                "kisaoID=\"KISAO:"
                                                                                "0000019\"/>"
                                                                                "</"
                                                                                "uniformTimeCourse>"
                                                                                "</"
                                                                                "listOfSimulations>"
                                                                                "\n"
                                                                                "<listOfTasks>\n"
                                                                                "<task "
                                                                                "id=\"task1\" "
                                                                                "modelReference="
                                                                                "\"m\" "
                                                                                "simulationReferenc"
                                                                                "e=\"sim\"/>\n"
                                                                                "<repeatedTask "
                                                                                "id=\"scan\" "
                                                                                "range=\"kr\" "
                                                                                "resetModel="
                                                                                "\"true\">\n"
                                                                                "<listOfRanges>\n%"
                                                                                "s\n</"
                                                                                "listOfRanges>\n"
                                                                                "<listOfChanges><"
                                                                                "setValue "
                                                                                "target=\"/"
                                                                                "sbml:sbml/"
                                                                                "sbml:model/"
                                                                                "sbml:"
                                                                                "listOfParameters/"
                                                                                "sbml:parameter[@"
                                                                                "id='k']\" "
                                                                                "range=\"kr\" "
                                                                                "modelReference="
                                                                                "\"m\"><math "
                                                                                "xmlns=\"http://"
                                                                                "www.w3.org/1998/"
                                                                                "Math/"
                                                                                "MathML\"><ci>kr</"
                                                                                "ci></math></"
                                                                                "setValue></"
                                                                                "listOfChanges>\n"
                                                                                "<listOfSubTasks><"
                                                                                "subTask "
                                                                                "order=\"1\" "
                                                                                "task=\"task1\"/></"
                                                                                "listOfSubTasks>\n"
                                                                                "</repeatedTask>\n"
                                                                                "</listOfTasks>\n"
                                                                                "<listOfDataGenerat"
                                                                                "ors><"
                                                                                "dataGenerator "
                                                                                "id=\"dg_A\"><"
                                                                                "listOfVariables><"
                                                                                "variable id=\"a\" "
                                                                                "target=\"/"
                                                                                "sbml:sbml/"
                                                                                "sbml:model/"
                                                                                "sbml:"
                                                                                "listOfSpecies/"
                                                                                "sbml:species[@id='"
                                                                                "A']\" "
                                                                                "taskReference="
                                                                                "\"scan\"/></"
                                                                                "listOfVariables><"
                                                                                "math "
                                                                                "xmlns=\"http://"
                                                                                "www.w3.org/1998/"
                                                                                "Math/"
                                                                                "MathML\"><ci>a</"
                                                                                "ci></math></"
                                                                                "dataGenerator>"
                                                                                "</"
                                                                                "listOfDataGenerato"
                                                                                "rs>\n"
                                                                                "<listOfOutputs><"
                                                                                "report "
                                                                                "id=\"report1\"><"
                                                                                "listOfDataSets><"
                                                                                "dataSet "
                                                                                "id=\"ds_A\" "
                                                                                "label=\"A\" "
                                                                                "dataReference="
                                                                                "\"dg_A\"/></"
                                                                                "listOfDataSets></"
                                                                                "report></"
                                                                                "listOfOutputs>\n"
                                                                                "</sedML>\n";

#define PARAMS "# rate constants\nrun,k\n1,0.25\n2,0.5\n3,1\n"

/* time -> SpeciesIds -> concentration, two rows */
static const char numl_text[] =
    "<?xml version=\"1.0\"?>\n<numl xmlns=\"" NUML_NS "\" level=\"1\" version=\"1\">\n"
    "<resultComponent id=\"rc\"><dimensionDescription><compositeDescription indexType=\"double\" "
    "id=\"time\" name=\"time\"><compositeDescription indexType=\"string\" id=\"SpeciesIds\" "
    "name=\"SpeciesIds\"><atomicDescription valueType=\"double\" name=\"Concentrations\"/>"
    "</compositeDescription></compositeDescription></dimensionDescription>\n<dimension>\n"
    "<compositeValue indexValue=\"0\"><compositeValue indexValue=\"S1\"><atomicValue>1.5"
    "</atomicValue></compositeValue><compositeValue indexValue=\"S2\"><atomicValue>0"
    "</atomicValue></compositeValue></compositeValue>\n"
    "<compositeValue indexValue=\"1\"><compositeValue indexValue=\"S1\"><atomicValue>2.5"
    "</atomicValue></compositeValue><compositeValue indexValue=\"S2\"><atomicValue>4"
    "</atomicValue></compositeValue></compositeValue>\n"
    "</dimension></resultComponent>\n</numl>\n";

/* The line of the first line of `text` holding `needle`. */
static long line_of(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    ck_assert_msg(p != NULL, "'%s' is not in the document", needle);
    long line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    return line;
}

typedef struct pkg_dir {
    char *dir;
    char *sedml;
} pkg_dir;

static void put(const char *dir, const char *name, const char *text)
{
    char *path = tc_xasprintf("%s/%s", dir, name);
    ck_assert_int_eq(tc_write_file(path, text, strlen(text)), 0);
    free(path);
}

/* A folder package: model.xml, simulation.sedml with `range`, params.csv (unless NULL)
 * and data.numl. */
static void make_package(pkg_dir *p, const char *range, const char *params)
{
    p->dir = tc_xstrdup("/tmp/tc-sedml-data-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(p->dir));
    p->sedml = tc_xasprintf(sedml_template, range);
    put(p->dir, "model.xml", MODEL);
    put(p->dir, "simulation.sedml", p->sedml);
    put(p->dir, "data.numl", numl_text);
    if (params)
        put(p->dir, "params.csv", params);
}

static void remove_package(pkg_dir *p)
{
    char *cmd = tc_xasprintf("rm -rf '%s'", p->dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    free(p->dir);
    free(p->sedml);
}

/* ---- the values of each data source ------------------------------------------- */

typedef struct source_case {
    const char *id;
    int rc;
    double values[4];
    size_t n;
    const char *at;      /* text on the line the error concerns (rc != 0) */
    const char *message; /* fragment of the error */
} source_case;

static const source_case sources[] = {
    {"k_col", 0, {0.25, 0.5, 1}, 3, NULL, NULL},
    {"row1", 0, {2, 0.5}, 2, NULL, NULL},
    {"cell", 0, {1}, 1, NULL, NULL},
    {"rows", 0, {0, 1, 2}, 3, NULL, NULL},
    {"middle", 0, {0.5}, 1, NULL, NULL},
    {"numl_S1", 0, {1.5, 2.5}, 2, NULL, NULL},
    {"numl_at", 0, {4}, 1, NULL, NULL},
    {"numl_time", 0, {0, 1}, 2, NULL, NULL},
    {"no_col", TC_EINVAL, {0}, 0, "value=\"q\"", "slice value 'q' is not a column of params.csv"},
    {"no_row",
     TC_EINVAL,
     {0},
     0,
     "value=\"7\"",
     "slice value '7' is not a row index of params.csv (0 to 2)"},
    {"two_cols",
     TC_EINVAL,
     {0},
     0,
     "value=\"run\"",
     "data source 'two_cols' selects columns twice"},
    {"all",
     TC_EINVAL,
     {0},
     0,
     "<dataSource id=\"all\"",
     "data source 'all' selects all 2 columns of params.csv; one dimension is needed"},
    {"ids",
     TC_EINVAL,
     {0},
     0,
     "<dataSource id=\"ids\"",
     "indexSet 'ColumnIds' of data source 'ids' selects the column ids of params.csv, which are "
     "not numbers"},
    {"both",
     TC_EINVAL,
     {0},
     0,
     "<dataSource id=\"both\"",
     "data source 'both' has an indexSet and slices"},
    {"bad_start",
     TC_EINVAL,
     {0},
     0,
     "startIndex=\"one\"",
     "startIndex 'one' of a slice of data source 'bad_start' is not an index"},
    {"gone_k",
     TC_ENOTFOUND,
     {0},
     0,
     "<dataDescription id=\"gone\"",
     "the source 'absent.csv' of dataDescription 'gone' is not a file of the package"},
    {"numl_all",
     TC_EINVAL,
     {0},
     0,
     "<dataSource id=\"numl_all\"",
     "data source 'numl_all' selects 2 columns of data.numl"},
    {"tsv_k",
     TC_EUSAGE,
     {0},
     0,
     "<dataDescription id=\"tsv\"",
     "dataDescription 'tsv' has format 'urn:sedml:format:tsv', which is not read"},
    {"nothing", TC_ENOTFOUND, {0}, 0, NULL, "'nothing' is not a data source of the document"},
};

/* The package of PARAMS with a plain vector range, opened, and its SED-ML read. */
static tc_sedml_doc *read_params_package(pkg_dir *p, tc_findings *fs, tc_package **pkg)
{
    make_package(p, "<vectorRange id=\"kr\"><value>1</value></vectorRange>", PARAMS);
    tc_findings_init(fs);
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(pkg, p->dir, &limits, fs), 0);
    tc_sedml_doc *doc = NULL;
    ck_assert_int_eq(tc_sedml_read(&doc, *pkg, tc_package_find(*pkg, "simulation.sedml"), fs), 0);
    return doc;
}

START_TEST(test_source_values)
{
    const source_case *c = &sources[_i];
    pkg_dir p;
    tc_findings fs;
    tc_package *pkg = NULL;
    tc_sedml_doc *doc = read_params_package(&p, &fs, &pkg);
    double *v = NULL;
    size_t n = 0;
    long line = -1;
    int rc = tc_sedml_data_values(doc, pkg, c->id, 100, &v, &n, &line);
    ck_assert_msg(rc == c->rc, "%s: rc %d, expected %d (%s)", c->id, rc, c->rc,
                  rc ? tc_error_last() : "");
    if (rc == 0) {
        ck_assert_uint_eq(n, c->n);
        for (size_t i = 0; i < n; i++)
            ck_assert_msg(v[i] == c->values[i], "%s: value %zu is %g, expected %g", c->id, i, v[i],
                          c->values[i]);
    } else {
        ck_assert_ptr_null(v);
        ck_assert_msg(strstr(tc_error_last(), c->message), "%s: message \"%s\", expected \"%s\"",
                      c->id, tc_error_last(), c->message);
        ck_assert_int_eq(line, c->at ? line_of(p.sedml, c->at) : 0);
    }
    free(v);
    tc_sedml_free(doc);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_package(&p);
}
END_TEST

/* More values than allowed: TC_ELIMIT, at the data source. */
START_TEST(test_source_limit)
{
    pkg_dir p;
    tc_findings fs;
    tc_package *pkg = NULL;
    tc_sedml_doc *doc = read_params_package(&p, &fs, &pkg);
    double *v = NULL;
    size_t n = 0;
    long line = 0;
    ck_assert_int_eq(tc_sedml_data_values(doc, pkg, "k_col", 2, &v, &n, &line), TC_ELIMIT);
    ck_assert_ptr_null(v);
    ck_assert_str_eq(tc_error_last(),
                     "data source 'k_col' has 3 values in params.csv, more than the limit of 2 "
                     "iterations");
    ck_assert_int_eq(line, line_of(p.sedml, "<dataSource id=\"k_col\""));
    tc_sedml_free(doc);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_package(&p);
}
END_TEST

/* ---- the re-run's findings for a dataRange that cannot be evaluated ------------------ */

typedef struct range_case {
    const char *range;  /* the dataRange element */
    const char *params; /* params.csv, or NULL for none */
    size_t max_iterations;
    const char *rule;
    const char *at; /* text on the finding's line */
    const char *message;
} range_case;

static const range_case ranges[] = {
    {"<dataRange id=\"kr\"/>", PARAMS, 0, "rerun:data-range", "<dataRange id=\"kr\"",
     "task 'scan': dataRange 'kr' of repeated task 'scan' has no sourceReference naming a data "
     "source"},
    {"<dataRange id=\"kr\" sourceReference=\"nothing\"/>", PARAMS, 0, "rerun:data-range",
     "<dataRange id=\"kr\"",
     "dataRange 'kr' of repeated task 'scan': 'nothing' is not a data source of the document"},
    {"<dataRange id=\"kr\" sourceReference=\"k_col\"/>", NULL, 0, "rerun:data-range",
     "<dataDescription id=\"params\"",
     "dataRange 'kr' of repeated task 'scan': the source 'params.csv' of dataDescription "
     "'params' is not a file of the package"},
    {"<dataRange id=\"kr\" sourceReference=\"k_col\"/>", "run,k\n1,0.5\n2,fast\n", 0,
     "rerun:data-range", "<dataDescription id=\"params\"",
     "dataRange 'kr' of repeated task 'scan': params.csv: 'fast' in column 'k' is not a number "
     "(line 3 of params.csv)"},
    {"<dataRange id=\"kr\" sourceReference=\"k_col\"/>", "run,k\n1,0.5\n2,NA\n", 0,
     "rerun:data-range", "<dataSource id=\"k_col\"",
     "value 2 of data source 'k_col' in params.csv is empty or not a finite number"},
    {"<dataRange id=\"kr\" sourceReference=\"k_col\"/>", "run,k\n", 0, "rerun:data-range",
     "<dataSource id=\"k_col\"",
     "data source 'k_col' selects no values: params.csv has no data rows"},
    {"<dataRange id=\"kr\" sourceReference=\"k_col\"/>", PARAMS, 2, "rerun:limit",
     "<dataSource id=\"k_col\"",
     "dataRange 'kr' of repeated task 'scan': data source 'k_col' has 3 values in params.csv, "
     "more than the limit of 2 iterations"},
    {"<dataRange id=\"kr\" sourceReference=\"tsv_k\"/>", PARAMS, 0, "rerun:not-verifiable",
     "<dataDescription id=\"tsv\"", "which is not read (CSV and NuML are)"},
};

START_TEST(test_range_findings)
{
    const range_case *c = &ranges[_i];
    pkg_dir p;
    make_package(&p, c->range, c->params);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, p.dir, &limits, &fs), 0);
    tc_rerun_options opt = TC_RERUN_OPTIONS_INIT;
    if (c->max_iterations)
        opt.max_iterations = c->max_iterations;
    tc_rerun_result res;
    tc_rerun_result_init(&res);
    ck_assert_int_eq(tc_rerun_package(pkg, &opt, &fs, &res), 0);
    long want = line_of(p.sedml, c->at);
    size_t found = 0, task_findings = 0;
    for (size_t i = 0; i < fs.len; i++) {
        const tc_finding *f = &fs.items[i];
        bool range_rule = strcmp(f->rule, "rerun:data-range") == 0 ||
                          strcmp(f->rule, "rerun:limit") == 0 ||
                          strcmp(f->rule, "rerun:not-verifiable") == 0;
        task_findings += range_rule;
        if (strcmp(f->rule, c->rule) == 0 && f->file && strcmp(f->file, "simulation.sedml") == 0 &&
            f->line == want && strstr(f->message, c->message))
            found++;
    }
    if (found != 1)
        for (size_t i = 0; i < fs.len; i++)
            fprintf(stderr, "  %s:%ld %s %s\n", fs.items[i].file ? fs.items[i].file : "-",
                    fs.items[i].line, fs.items[i].rule, fs.items[i].message);
    ck_assert_msg(found == 1, "case %d: no %s at simulation.sedml:%ld with \"%s\"", _i, c->rule,
                  want, c->message);
    ck_assert_uint_eq(task_findings, 1); /* the cause once, not once per data set */
    /* the data set's verdict carries the reason */
    json_t *e = json_array_get(res.entries, 0);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(json_string_value(json_object_get(e, "verdict")),
                     strcmp(c->rule, "rerun:data-range") == 0 ? "fail" : "not-verifiable");
    ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(e, "reason")), c->message));
    tc_rerun_result_release(&res);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    remove_package(&p);
}
END_TEST

/* The published CSV example: its data sources read as the file holds them. (The NuML
 * example's SED-ML is not namespace-well-formed: a line break inside its NuML namespace.) */
START_TEST(test_published_sources)
{
    const char *shared = tc_test_shared();
    if (!shared) {
        fprintf(stderr, "skipped: ../shared is absent (no SED-ML example archives)\n");
        return;
    }
    static const struct {
        const char *archive, *sedml, *source;
        double first, second; /* the first two values */
    } cases[] = {
        {"L1V4_plotting-data-csv.omex", "plotting-data-csv.xml", "dataS1", 0, 0.38598820241405679},
        {"L1V4_plotting-data-csv.omex", "plotting-data-csv.xml", "dataTime", 0,
         0.050251256281407038},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        char *path = tc_xasprintf("%s/testsuites/sedml-l1v4-examples/%s", shared, cases[k].archive);
        if (access(path, R_OK) != 0) {
            fprintf(stderr, "skipped: %s is absent\n", path);
            free(path);
            continue;
        }
        tc_findings fs;
        tc_findings_init(&fs);
        tc_package *pkg = NULL;
        tc_limits limits = TC_LIMITS_DEFAULT;
        ck_assert_int_eq(tc_package_open(&pkg, path, &limits, &fs), 0);
        const tc_file *f = tc_package_find(pkg, cases[k].sedml);
        ck_assert_ptr_nonnull(f);
        tc_sedml_doc *doc = NULL;
        int rc = tc_sedml_read(&doc, pkg, f, &fs);
        for (size_t i = 0; rc != 0 && i < fs.len; i++)
            fprintf(stderr, "  %s:%ld %s %s\n", fs.items[i].file ? fs.items[i].file : "-",
                    fs.items[i].line, fs.items[i].rule, fs.items[i].message);
        ck_assert_msg(rc == 0, "%s: %s", cases[k].sedml, tc_error_last());
        double *v = NULL;
        size_t n = 0;
        long line = 0;
        rc = tc_sedml_data_values(doc, pkg, cases[k].source, 100000, &v, &n, &line);
        ck_assert_msg(rc == 0, "%s %s: %s", cases[k].archive, cases[k].source, tc_error_last());
        ck_assert_uint_gt(n, 100);
        ck_assert_double_eq(v[0], cases[k].first);
        ck_assert_double_eq_tol(v[1], cases[k].second, 1e-15);
        free(v);
        tc_sedml_free(doc);
        tc_package_free(pkg);
        tc_findings_release(&fs);
        free(path);
    }
}
END_TEST

Suite *sedml_data_suite(void)
{
    Suite *s = suite_create("sedml_data");
    TCase *tc = tcase_create("data sources");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_source_values, 0, (int)(sizeof sources / sizeof *sources));
    tcase_add_test(tc, test_source_limit);
    tcase_add_loop_test(tc, test_range_findings, 0, (int)(sizeof ranges / sizeof *ranges));
    tcase_add_test(tc, test_published_sources);
    suite_add_tcase(s, tc);
    return s;
}
