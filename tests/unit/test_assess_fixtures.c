/* The credibility fixtures: fixtures/credibility/cases/NAME/ each hold a
 * dossier (or none: the base package's own) and expected.tsv, written by hand.
 * The package is fixtures/credibility/pk-package/ with the case's dossier put
 * in place. Cases with re-run evidence (reruns.json, simulated.csv) call the
 * engine with it, as the pipeline will once the re-run stage hands it over;
 * the others run the built `twincheck assess --format json`.
 * fixtures/credibility/README.md describes the layout. */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../testutil.h"
#include "assess/assess.h"
#include "parse/parse.h"

#define MAX_CASES 128

static char *cases[MAX_CASES];
static size_t ncases;

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

static void find_cases(void)
{
    DIR *d = opendir(TC_SOURCE("fixtures/credibility/cases"));
    struct dirent *e;
    while (d && (e = readdir(d)) && ncases < MAX_CASES) {
        char *expected =
            tc_xasprintf("%s/%s/expected.tsv", TC_SOURCE("fixtures/credibility/cases"), e->d_name);
        if (e->d_name[0] != '.' && exists(expected))
            cases[ncases++] = tc_xstrdup(e->d_name);
        free(expected);
    }
    if (d)
        closedir(d);
    qsort(cases, ncases, sizeof *cases, compare_str);
}

static char *case_file(const char *name, const char *file)
{
    return tc_xasprintf("%s/%s/%s", TC_SOURCE("fixtures/credibility/cases"), name, file);
}

/* The base package with the case's dossier, in a fresh temporary folder. */
static char *assemble(const char *name)
{
    char tmpl[] = "/tmp/tc-assess-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(tmpl));
    char *dir = tc_xstrdup(tmpl);
    char *cmd =
        tc_xasprintf("cp -R '%s/.' '%s/'", TC_SOURCE("fixtures/credibility/pk-package"), dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
    char *dossier = case_file(name, "dossier.json");
    if (exists(dossier)) {
        cmd = tc_xasprintf("cp '%s' '%s/credibility/dossier.json'", dossier, dir);
        ck_assert_int_eq(system(cmd), 0);
        free(cmd);
    }
    free(dossier);
    return dir;
}

static void remove_tree(const char *dir)
{
    char *cmd = tc_xasprintf("rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

/* The findings and section in the JSON report's shape, whichever way they came. */
static json_t *findings_json(const tc_findings *fs)
{
    json_t *a = json_array();
    for (size_t i = 0; i < fs->len; i++) {
        const tc_finding *f = &fs->items[i];
        json_array_append_new(a, json_pack("{s:s, s:s, s:s?, s:s?, s:s}", "rule", f->rule,
                                           "severity", tc_severity_name(f->severity), "file",
                                           f->file, "path", f->path, "message", f->message));
    }
    return a;
}

/* simulated.csv: a "time" column and one column per series, named
 * SEDML/REPORT/DATASET. */
typedef struct sim {
    tc_csv csv;
    tc_sim_series *series;
    double *columns;
    char **names;
    tc_sim_outputs out;
} sim;

static void sim_load(sim *s, const char *path)
{
    unsigned char *data = NULL;
    size_t len = 0;
    memset(s, 0, sizeof *s);
    ck_assert_int_eq(tc_read_file(path, 1 << 24, &data, &len), 0);
    tc_findings problems;
    tc_findings_init(&problems);
    ck_assert_msg(tc_csv_parse(&s->csv, data, len, path, "sedml:output-unreadable", &problems) ==
                      0 && problems.len == 0,
                  "%s: %s", path, problems.len ? problems.items[0].message : tc_error_last());
    tc_findings_release(&problems);
    free(data);
    long t = tc_csv_column(&s->csv, "time");
    ck_assert_int_ge(t, 0);
    size_t n = s->csv.nrows, nser = s->csv.ncols - 1;
    s->columns = tc_xcalloc(s->csv.ncols * n, sizeof *s->columns);
    s->series = tc_xcalloc(nser, sizeof *s->series);
    s->names = tc_xcalloc(s->csv.ncols * 3, sizeof *s->names);
    for (size_t c = 0; c < s->csv.ncols; c++)
        for (size_t r = 0; r < n; r++)
            s->columns[c * n + r] = s->csv.cells[r * s->csv.ncols + c];
    size_t k = 0;
    for (size_t c = 0; c < s->csv.ncols; c++) {
        if ((long)c == t)
            continue;
        char *name = s->csv.header[c];
        char *ds = strrchr(name, '/');
        ck_assert_ptr_nonnull(ds);
        char *rep = ds - 1;
        while (rep > name && *rep != '/')
            rep--;
        ck_assert_msg(rep > name, "column '%s' is not SEDML/REPORT/DATASET", name);
        s->names[3 * k] = tc_xstrndup(name, (size_t)(rep - name));
        s->names[3 * k + 1] = tc_xstrndup(rep + 1, (size_t)(ds - rep - 1));
        s->names[3 * k + 2] = tc_xstrdup(ds + 1);
        s->series[k] = (tc_sim_series){s->names[3 * k],     s->names[3 * k + 1],
                                       s->names[3 * k + 2], s->columns + (size_t)t * n,
                                       s->columns + c * n,  n};
        k++;
    }
    s->out = (tc_sim_outputs){s->series, k};
}

static void sim_release(sim *s)
{
    for (size_t i = 0; i < s->csv.ncols * 3; i++)
        free(s->names[i]);
    free(s->names);
    free(s->series);
    free(s->columns);
    tc_csv_release(&s->csv);
}

/* Run the engine as the pipeline does, with the case's re-run evidence. */
static json_t *run_library(const char *name, const char *dir, json_t **section)
{
    tc_findings fs;
    tc_findings_init(&fs);
    fs.target = dir;
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, dir, &limits, &fs), 0);
    tc_parse_check_package(pkg, &fs);

    char *rpath = case_file(name, "reruns.json"), *spath = case_file(name, "simulated.csv");
    json_error_t err;
    json_t *reruns = exists(rpath) ? json_load_file(rpath, 0, &err) : NULL;
    ck_assert_msg(!exists(rpath) || reruns, "%s: %s", rpath, err.text);
    sim s;
    bool have_sim = exists(spath);
    if (have_sim)
        sim_load(&s, spath);
    tc_assess_input in = {
        .pkg = pkg, .reruns = reruns, .simulated = have_sim ? &s.out : NULL, .prior = &fs};
    ck_assert_int_eq(tc_assess_package(&in, &fs, section), 0);
    json_t *out = findings_json(&fs);
    if (have_sim)
        sim_release(&s);
    json_decref(reruns);
    free(rpath);
    free(spath);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    return out;
}

static json_t *run_command(const char *name, const char *dir, json_t **section)
{
    char *args = case_file(name, "args"), *pack = case_file(name, "pack.json");
    char *out = NULL;
    int status = exists(args)
                     ? tc_test_run(&out, "assess", "--format", "json", "--pack", pack, dir, NULL)
                     : tc_test_run(&out, "assess", "--format", "json", dir, NULL);
    ck_assert_msg(status == 0 || status == 1, "%s: exit status %d", name, status);
    json_error_t err;
    json_t *report = json_loads(out, 0, &err);
    ck_assert_msg(report != NULL, "%s: the report is not JSON: %s", name, err.text);
    *section = json_incref(json_object_get(report, "credibility"));
    json_t *findings = json_incref(json_object_get(report, "findings"));
    json_decref(report);
    free(out);
    free(args);
    free(pack);
    return findings;
}

static const char *sv(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static void check_directive(const char *name, char **f, json_t *section)
{
    if (strcmp(f[0], "@verdict") == 0) {
        ck_assert_msg(strcmp(sv(section, "verdict"), f[1]) == 0, "%s: verdict %s, expected %s",
                      name, sv(section, "verdict"), f[1]);
    } else if (strcmp(f[0], "@risk") == 0) {
        json_t *level = json_object_get(json_object_get(section, "risk"), "level");
        ck_assert_msg(json_integer_value(level) == strtol(f[1], NULL, 10),
                      "%s: risk %lld, expected %s", name, (long long)json_integer_value(level),
                      f[1]);
    } else if (strcmp(f[0], "@factor") == 0) {
        ck_assert_msg(f[3] != NULL, "%s: @factor needs ID FIELD VALUE", name);
        size_t i;
        json_t *fac, *found = NULL;
        json_array_foreach(json_object_get(section, "factors"), i, fac)
        {
            if (strcmp(sv(fac, "id"), f[1]) == 0)
                found = fac;
        }
        ck_assert_msg(found != NULL, "%s: no factor %s in the section", name, f[1]);
        ck_assert_msg(strcmp(sv(found, f[2]), f[3]) == 0, "%s: factor %s %s is '%s', expected '%s'",
                      name, f[1], f[2], sv(found, f[2]), f[3]);
    } else {
        ck_abort_msg("%s: unknown directive %s", name, f[0]);
    }
}

static bool same_place(char **want, json_t *f)
{
    return strcmp(want[0], sv(f, "rule")) == 0 && strcmp(want[1], sv(f, "file")) == 0 &&
           strcmp(want[2], sv(f, "path")) == 0;
}

START_TEST(test_case)
{
    const char *name = cases[_i];
    char *dir = assemble(name);
    char *rpath = case_file(name, "reruns.json"), *spath = case_file(name, "simulated.csv");
    char *npath = case_file(name, "no-rerun"); /* the engine without any re-run evidence */
    json_t *section = NULL;
    json_t *findings = exists(rpath) || exists(spath) || exists(npath)
                           ? run_library(name, dir, &section)
                           : run_command(name, dir, &section);
    free(npath);
    ck_assert_msg(json_is_object(section), "%s: no credibility section", name);
    char *epath = case_file(name, "expected.tsv");
    FILE *fp = fopen(epath, "r");
    ck_assert_ptr_nonnull(fp);
    char line[4096];
    char *wanted[64][3];
    size_t nwanted = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[5] = {0};
        char *p = line;
        for (int i = 0; i < 5 && p; i++) {
            f[i] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        if (f[0][0] == '@') {
            check_directive(name, f, section);
            continue;
        }
        ck_assert_msg(f[3] != NULL, "%s: a line needs rule, file, pointer, message", name);
        bool found = false;
        size_t i;
        json_t *fj;
        json_array_foreach(findings, i, fj)
        {
            found = found || (same_place(f, fj) && strstr(sv(fj, "message"), f[3]));
        }
        char *dump = json_dumps(findings, JSON_INDENT(1));
        ck_assert_msg(found, "%s: expected %s at %s#%s with \"%s\"; got:\n%s", name, f[0], f[1],
                      f[2], f[3], dump);
        free(dump);
        ck_assert_uint_lt(nwanted, 64);
        for (int k = 0; k < 3; k++)
            wanted[nwanted][k] = tc_xstrdup(f[k]);
        nwanted++;
    }
    fclose(fp);
    /* Nothing else may be an error. */
    size_t i;
    json_t *fj;
    json_array_foreach(findings, i, fj)
    {
        if (strcmp(sv(fj, "severity"), "error") != 0 && strcmp(sv(fj, "severity"), "fatal") != 0)
            continue;
        bool expected = false;
        for (size_t w = 0; w < nwanted; w++)
            expected = expected || same_place(wanted[w], fj);
        ck_assert_msg(expected, "%s: unexpected %s at %s#%s: %s", name, sv(fj, "rule"),
                      sv(fj, "file"), sv(fj, "path"), sv(fj, "message"));
    }
    for (size_t w = 0; w < nwanted; w++)
        for (int k = 0; k < 3; k++)
            free(wanted[w][k]);
    json_decref(findings);
    json_decref(section);
    remove_tree(dir);
    free(dir);
    free(epath);
    free(rpath);
    free(spath);
}
END_TEST

/* The set is all there, for both packs. */
START_TEST(test_cases_present)
{
    size_t vv40 = 0, tsr = 0;
    for (size_t i = 0; i < ncases; i++) {
        vv40 += strncmp(cases[i], "vv40-", 5) == 0;
        tsr += strncmp(cases[i], "tsr-", 4) == 0;
    }
    ck_assert_uint_ge(vv40, 12);
    ck_assert_uint_ge(tsr, 10);
    /* Low (risk 1) and high (highest risk) dossiers, consistent and not. */
    static const char *const needed[] = {"vv40-low-consistent",  "vv40-low-inconsistent",
                                         "vv40-high-consistent", "vv40-high-inconsistent",
                                         "tsr-low-consistent",   "tsr-high-consistent",
                                         "tsr-high-inconsistent"};
    for (size_t n = 0; n < sizeof needed / sizeof *needed; n++) {
        bool found = false;
        for (size_t i = 0; i < ncases; i++)
            found = found || strcmp(cases[i], needed[n]) == 0;
        ck_assert_msg(found, "case %s is missing", needed[n]);
    }
}
END_TEST

/* The base package itself carries a complete dossier; `validate --assess`
 * gives the same section as `assess`. */
START_TEST(test_validate_assess)
{
    char *a = NULL, *b = NULL;
    const char *pkg = TC_SOURCE("fixtures/credibility/pk-package");
    ck_assert_int_eq(tc_test_run(&a, "assess", "--format", "json", pkg, NULL), 0);
    ck_assert_int_eq(tc_test_run(&b, "validate", "--assess", "--format", "json", pkg, NULL), 0);
    json_t *ja = json_loads(a, 0, NULL), *jb = json_loads(b, 0, NULL);
    ck_assert_ptr_nonnull(json_object_get(ja, "credibility"));
    ck_assert(json_equal(json_object_get(ja, "credibility"), json_object_get(jb, "credibility")));
    ck_assert_str_eq(sv(json_object_get(ja, "credibility"), "verdict"), "incomplete");
    json_decref(ja);
    json_decref(jb);
    free(a);
    free(b);
    /* Without --assess there is no section. */
    ck_assert_int_eq(tc_test_run(&a, "validate", "--format", "json", pkg, NULL), 0);
    ja = json_loads(a, 0, NULL);
    ck_assert_ptr_null(json_object_get(ja, "credibility"));
    json_decref(ja);
    free(a);
    /* The text report ends with the table and says plainly what was not assessed. */
    ck_assert_int_eq(tc_test_run(&a, "assess", pkg, NULL), 0);
    ck_assert_ptr_nonnull(strstr(a, "numerical-code-verification"));
    ck_assert_ptr_nonnull(strstr(a, "not assessed by the tool"));
    ck_assert_ptr_nonnull(strstr(a, "model risk: 3 of 5 (influence medium, consequence medium)"));
    free(a);
}
END_TEST

/* The worked example (fixtures/credibility/pbpk-ddi, modelled on Kuemmel et al.
 * 2020): the command re-runs its SED-ML against declared outputs computed from
 * the closed form and grades four factors from that evidence. */
static json_t *factor_of(json_t *section, const char *id)
{
    size_t i;
    json_t *fac;
    json_array_foreach(json_object_get(section, "factors"), i, fac)
    {
        if (strcmp(sv(fac, "id"), id) == 0)
            return fac;
    }
    ck_abort_msg("no factor %s", id);
    return NULL;
}

START_TEST(test_worked_example)
{
    char *out = NULL;
    const char *pkg = TC_SOURCE("fixtures/credibility/pbpk-ddi");
    ck_assert_int_eq(tc_test_run(&out, "assess", "--format", "json", pkg, NULL), 0);
    json_t *report = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(report);
    /* The package is clean: no finding of any severity from any stage. */
    ck_assert_uint_eq(json_array_size(json_object_get(report, "findings")), 0);
    json_t *c = json_object_get(report, "credibility");
    json_t *risk = json_object_get(c, "risk");
    ck_assert_int_eq(json_integer_value(json_object_get(risk, "level")), 4);
    ck_assert_str_eq(sv(risk, "influence"), "high");
    ck_assert_str_eq(sv(risk, "consequence"), "medium");
    ck_assert_str_eq(sv(c, "verdict"), "pass");
    /* Graded by the tool from the re-run, at the 'high' risk 4 requires. */
    static const char *const graded[] = {"numerical-code-verification", "numerical-solver-error",
                                         "use-error", "output-comparison"};
    for (size_t i = 0; i < sizeof graded / sizeof *graded; i++) {
        json_t *f = factor_of(c, graded[i]);
        ck_assert_str_eq(sv(f, "supported"), "high");
        ck_assert_str_eq(sv(f, "verdict"), "met");
        ck_assert(json_is_true(json_object_get(f, "assessed_by_tool")));
    }
    ck_assert_str_eq(sv(factor_of(c, "use-error"), "required"), "medium");
    ck_assert_str_eq(sv(factor_of(c, "output-comparison"), "required"), "high");
    json_t *rel = factor_of(c, "relevance-of-validation-activities");
    ck_assert_str_eq(sv(rel, "required"), "high");
    ck_assert_str_eq(sv(rel, "verdict"), "claimed");
    ck_assert_str_eq(sv(factor_of(c, "discretization-error"), "required"), "medium");
    /* Every declared data set re-run and reproduced; both comparisons recomputed. */
    json_t *m = json_object_get(c, "measures");
    ck_assert_double_eq(json_number_value(json_object_get(m, "rerun.count")), 4);
    ck_assert_double_eq(json_number_value(json_object_get(m, "rerun.failed")), 0);
    ck_assert_double_le(json_number_value(json_object_get(m, "rerun.max_rel_error")), 1e-5);
    json_t *cmp = json_object_get(c, "comparisons");
    ck_assert_uint_eq(json_array_size(cmp), 2);
    json_t *alone = json_array_get(cmp, 0), *strong = json_array_get(cmp, 1);
    ck_assert_str_eq(sv(alone, "id"), "alone-profile");
    ck_assert_double_lt(json_number_value(json_object_get(alone, "value")), 0.05);
    ck_assert(json_is_true(json_object_get(alone, "passed")));
    ck_assert_str_eq(sv(strong, "id"), "strong-inhibitor-profile");
    ck_assert_double_eq(json_number_value(json_object_get(strong, "value")), 1.0);
    json_decref(report);
    free(out);
    /* The package validates with no finding. */
    ck_assert_int_eq(tc_test_run(&out, "validate", pkg, NULL), 0);
    ck_assert_ptr_nonnull(strstr(out, "0 fatal, 0 error"));
    free(out);
}
END_TEST

/* An unusable pack is an input error (exit 2) whose message names the place. */
START_TEST(test_bad_pack_exit)
{
    char *out = NULL;
    const char *pkg = TC_SOURCE("fixtures/credibility/pk-package");
    ck_assert_int_eq(tc_test_run(&out, "assess", "--pack", "/nonexistent/pack.json", pkg, NULL), 2);
    free(out);
    ck_assert_int_eq(tc_test_run(&out, "assess", "--pack",
                                 TC_SOURCE("fixtures/credibility/"
                                           "pk-package/model.xml"),
                                 pkg, NULL),
                     2);
    free(out);
    ck_assert_int_eq(tc_test_run(&out, "assess", "--pack", "tsr", pkg, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, "cred:pack-mismatch"));
    free(out);
}
END_TEST

Suite *assess_fixtures_suite(void)
{
    Suite *s = suite_create("assess_fixtures");
    TCase *tc = tcase_create("cases");
    find_cases();
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_case, 0, (int)ncases);
    tcase_add_test(tc, test_cases_present);
    tcase_add_test(tc, test_validate_assess);
    tcase_add_test(tc, test_bad_pack_exit);
    tcase_add_test(tc, test_worked_example);
    suite_add_tcase(s, tc);
    return s;
}
