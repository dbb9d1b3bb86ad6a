/* report: the JSON, text, SARIF and JUnit forms of hand-built runs. */
#include <check.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <libxml/xpath.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../testutil.h"
#include "report/report.h"

/* ---- a small package on disk, so targets can be told apart by stat() ------ */

static char tmpdir[64];
static char dir_target[128];     /* a directory package */
static char archive_target[128]; /* a regular file standing for an .omex */

static void make_targets(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tc-report-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    snprintf(dir_target, sizeof dir_target, "%s/twin", tmpdir);
    ck_assert_int_eq(mkdir(dir_target, 0700), 0);
    snprintf(archive_target, sizeof archive_target, "%s/b pkg.omex", tmpdir);
    FILE *f = fopen(archive_target, "w");
    ck_assert_ptr_nonnull(f);
    fputs("PK", f);
    fclose(f);
}

static void remove_targets(void)
{
    rmdir(dir_target);
    unlink(archive_target);
    rmdir(tmpdir);
}

/* Findings added out of order on purpose: reports must sort them. */
static void build_run(tc_run *run, tc_severity fail_on)
{
    tc_run_init(run);
    run->fail_on = fail_on;
    tc_run_add_target(run, dir_target);
    tc_run_add_target(run, archive_target);

    run->findings.target = archive_target;
    tc_run_add_check(run, archive_target, NULL, "omex");
    tc_run_add_check(run, archive_target, "model/m.xml", "xml");
    tc_finding_add_severity(&run->findings, "omex:unlisted-file", TC_INFO,
                            TC_AT_FILE("model/m.xml"), "model/m.xml is not in the manifest");

    run->findings.target = dir_target;
    tc_run_add_check(run, dir_target, "data.json", "json");
    tc_run_add_check(run, dir_target, "bad.xml", "xml");
    tc_run_add_check(run, dir_target, "ok.xml", "xml");
    tc_finding_add(&run->findings, "json:not-well-formed",
                   (tc_loc){.file = "data.json", .line = 3, .column = 5, .path = "/a"},
                   "data.json is not well-formed JSON: duplicate object key");
    tc_finding_add(&run->findings, "xml:not-well-formed",
                   (tc_loc){.file = "bad.xml", .line = 5, .column = 1},
                   "bad.xml is not well-formed XML: premature end of data");
    tc_finding_add(&run->findings, "xml:not-well-formed",
                   (tc_loc){.file = "bad.xml", .line = 4, .column = 5},
                   "bad.xml is not well-formed XML: tag mismatch <b> & </a>");
    tc_finding_add(&run->findings, "omex:unlisted-file", TC_AT_FILE("ok.xml"),
                   "ok.xml is not in the manifest");
    tc_finding_add_severity(&run->findings, "omex:unlisted-file", TC_FATAL, TC_AT_FILE(NULL),
                            "the package has no manifest");
    run->findings.target = NULL;
    tc_run_finish(run);
}

/* One SBML unit check known by two ids (one finding: sbml:10501, also sbml:90501) and
 * a plain error after it in the same file. */
static void build_also_run(tc_run *run, tc_severity fail_on)
{
    tc_run_init(run);
    run->fail_on = fail_on;
    tc_run_add_target(run, dir_target);
    run->findings.target = dir_target;
    tc_run_add_check(run, dir_target, "model.xml", "sbml");
    tc_finding_add(&run->findings, "sbml:10502", (tc_loc){.file = "model.xml", .line = 9},
                   "the units of the reaction's kinetic law are inconsistent");
    tc_finding_add_also(&run->findings, "sbml:10501", "sbml:90501",
                        (tc_loc){.file = "model.xml", .line = 7},
                        "the arguments of plus have different units");
    run->findings.target = NULL;
    tc_run_finish(run);
}

static char *render(const tc_run *run, tc_format format, unsigned flags)
{
    char *out = NULL;
    size_t len = 0;
    ck_assert_int_eq(tc_report_render_flags(run, format, flags, &out, &len), 0);
    ck_assert_uint_eq(strlen(out), len);
    return out;
}

/* ---- a small JSON Schema checker: the keywords docs/report.schema.json uses.
 * An unknown keyword fails the test, so the schema cannot grow constraints
 * that go unchecked here. ---------------------------------------------------- */

static bool type_is(const json_t *v, const char *type)
{
    if (!strcmp(type, "object"))
        return json_is_object(v);
    if (!strcmp(type, "array"))
        return json_is_array(v);
    if (!strcmp(type, "string"))
        return json_is_string(v);
    if (!strcmp(type, "integer"))
        return json_is_integer(v);
    if (!strcmp(type, "number"))
        return json_is_number(v);
    if (!strcmp(type, "boolean"))
        return json_is_boolean(v);
    if (!strcmp(type, "null"))
        return json_is_null(v);
    ck_abort_msg("schema names an unknown type '%s'", type);
    return false;
}

/* Check v against schema; the first problem goes to *why (then false). */
static bool schema_ok(const json_t *root, const json_t *schema, const json_t *v, const char *where,
                      char *why, size_t n)
{
    const char *key;
    const json_t *kw;
    json_object_foreach((json_t *)schema, key, kw)
    {
        if (!strcmp(key, "$schema") || !strcmp(key, "$defs") || !strcmp(key, "title") ||
            !strcmp(key, "description")) {
            continue;
        } else if (!strcmp(key, "$ref")) {
            const char *r = json_string_value(kw);
            ck_assert_msg(r && !strncmp(r, "#/$defs/", 8), "%s: unsupported $ref", where);
            const json_t *target = json_object_get(json_object_get(root, "$defs"), r + 8);
            ck_assert_msg(target != NULL, "%s: dangling $ref %s", where, r);
            if (!schema_ok(root, target, v, where, why, n))
                return false;
        } else if (!strcmp(key, "type")) {
            bool ok = false;
            size_t i;
            const json_t *t;
            if (json_is_string(kw))
                ok = type_is(v, json_string_value(kw));
            else
                json_array_foreach(kw, i, t) ok = ok || type_is(v, json_string_value(t));
            if (!ok)
                return snprintf(why, n, "%s: wrong type", where), false;
        } else if (!strcmp(key, "required")) {
            size_t i;
            const json_t *name;
            if (!json_is_object(v))
                continue;
            json_array_foreach(kw, i, name) if (
                !json_object_get(
                    v, json_string_value(name))) return snprintf(why, n,
                                                                 "%s: required key '%s' missing",
                                                                 where, json_string_value(name)),
                false;
        } else if (!strcmp(key, "properties") || !strcmp(key, "additionalProperties")) {
            const json_t *props = json_object_get(schema, "properties");
            const json_t *extra = json_object_get(schema, "additionalProperties");
            const char *name;
            const json_t *item;
            if (!json_is_object(v) || (strcmp(key, "properties") != 0 && props))
                continue; /* both keywords are handled together, once */
            json_object_foreach((json_t *)v, name, item)
            {
                char sub[512];
                snprintf(sub, sizeof sub, "%s/%s", where, name);
                const json_t *s = props ? json_object_get(props, name) : NULL;
                if (!s && json_is_false(extra))
                    return snprintf(why, n, "%s: key not allowed", sub), false;
                if (!s && json_is_object(extra))
                    s = extra;
                if (s && !schema_ok(root, s, item, sub, why, n))
                    return false;
            }
        } else if (!strcmp(key, "items")) {
            size_t i;
            const json_t *item;
            if (!json_is_array(v))
                continue;
            json_array_foreach(v, i, item)
            {
                char sub[512];
                snprintf(sub, sizeof sub, "%s/%zu", where, i);
                if (!schema_ok(root, kw, item, sub, why, n))
                    return false;
            }
        } else if (!strcmp(key, "enum")) {
            size_t i;
            const json_t *e;
            bool found = false;
            json_array_foreach(kw, i, e) found = found || json_equal(e, v);
            if (!found)
                return snprintf(why, n, "%s: value not in the enum", where), false;
        } else if (!strcmp(key, "const")) {
            if (!json_equal(kw, v))
                return snprintf(why, n, "%s: value is not the const", where), false;
        } else if (!strcmp(key, "minimum")) {
            if (json_is_number(v) && json_number_value(v) < json_number_value(kw))
                return snprintf(why, n, "%s: below the minimum", where), false;
        } else {
            ck_abort_msg("%s: the schema uses '%s', which this checker does not know", where, key);
        }
    }
    return true;
}

static json_t *load_schema(void)
{
    json_error_t err;
    json_t *schema = json_load_file(TC_SOURCE("docs/report.schema.json"), 0, &err);
    ck_assert_msg(schema != NULL, "docs/report.schema.json:%d: %s", err.line, err.text);
    return schema;
}

/* ---- JSON ------------------------------------------------------------------- */

START_TEST(test_json_content_sorted_and_deterministic)
{
    make_targets();
    tc_run run;
    build_run(&run, TC_ERROR);
    char *text = render(&run, TC_FORMAT_JSON, 0);
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    ck_assert_msg(j != NULL, "report is not JSON: %s", err.text);

    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "tool"), "name")),
                     "twincheck");
    ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "fail");
    json_t *summary = json_object_get(j, "summary");
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "fatal")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "error")), 3);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "warning")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(summary, "info")), 1);
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "targets"), 1)),
                     archive_target);

    /* Sorted: target, then file (the whole target first), line, column, rule. */
    json_t *fs = json_object_get(j, "findings");
    ck_assert_uint_eq(json_array_size(fs), 6);
    const char *order[][4] = {
        {"b pkg.omex", "model/m.xml", "omex:unlisted-file", "info"},
        {"twin", NULL, "omex:unlisted-file", "fatal"},
        {"twin", "bad.xml", "xml:not-well-formed", "error"},
        {"twin", "bad.xml", "xml:not-well-formed", "error"},
        {"twin", "data.json", "json:not-well-formed", "error"},
        {"twin", "ok.xml", "omex:unlisted-file", "warning"},
    };
    for (size_t i = 0; i < 6; i++) {
        json_t *f = json_array_get(fs, i);
        const char *target = json_string_value(json_object_get(f, "target"));
        ck_assert_str_eq(strrchr(target, '/') + 1, order[i][0]);
        if (order[i][1])
            ck_assert_str_eq(json_string_value(json_object_get(f, "file")), order[i][1]);
        else
            ck_assert(json_is_null(json_object_get(f, "file")));
        ck_assert_str_eq(json_string_value(json_object_get(f, "rule")), order[i][2]);
        ck_assert_str_eq(json_string_value(json_object_get(f, "severity")), order[i][3]);
    }
    json_t *first_xml = json_array_get(fs, 2);
    ck_assert_int_eq(json_integer_value(json_object_get(first_xml, "line")), 4);
    ck_assert_int_eq(json_integer_value(json_object_get(first_xml, "column")), 5);
    ck_assert_str_eq(json_string_value(json_object_get(first_xml, "message")),
                     "bad.xml is not well-formed XML: tag mismatch <b> & </a>");
    ck_assert(json_is_null(json_object_get(json_array_get(fs, 5), "line")));
    ck_assert_str_eq(json_string_value(json_object_get(json_array_get(fs, 4), "path")), "/a");

    /* The same run built again, in another order, gives the same bytes. */
    tc_run again;
    tc_run_init(&again);
    again.fail_on = TC_ERROR;
    tc_run_add_target(&again, dir_target);
    tc_run_add_target(&again, archive_target);
    for (size_t i = run.findings.len; i-- > 0;) {
        const tc_finding *f = &run.findings.items[i];
        again.findings.target = f->target;
        tc_finding_add_severity(&again.findings, f->rule, f->severity,
                                (tc_loc){f->file, f->line, f->column, f->path}, "%s", f->message);
    }
    for (size_t i = run.nchecks; i-- > 0;)
        tc_run_add_check(&again, run.checks[i].target, run.checks[i].file, run.checks[i].stage);
    tc_run_finish(&again);
    char *text2 = render(&again, TC_FORMAT_JSON, 0);
    ck_assert_str_eq(text, text2);

    free(text);
    free(text2);
    json_decref(j);
    tc_run_release(&again);
    tc_run_release(&run);
    remove_targets();
}
END_TEST

START_TEST(test_json_matches_schema)
{
    make_targets();
    json_t *schema = load_schema();
    tc_run run;
    build_run(&run, TC_WARNING);
    json_t *report = tc_report_json(&run);
    char why[600] = "";
    ck_assert_msg(schema_ok(schema, schema, report, "", why, sizeof why), "%s", why);

    /* The checker catches reports that break the schema. */
    json_t *f0 = json_array_get(json_object_get(report, "findings"), 0);
    json_object_set_new(f0, "line", json_string("4"));
    ck_assert(!schema_ok(schema, schema, report, "", why, sizeof why));
    ck_assert_str_eq(why, "/findings/0/line: wrong type");
    json_object_set_new(f0, "line", json_integer(0));
    ck_assert(!schema_ok(schema, schema, report, "", why, sizeof why));
    ck_assert_str_eq(why, "/findings/0/line: below the minimum");
    json_object_set_new(f0, "line", json_null());
    json_object_set_new(f0, "severity", json_string("critical"));
    ck_assert(!schema_ok(schema, schema, report, "", why, sizeof why));
    ck_assert_str_eq(why, "/findings/0/severity: value not in the enum");
    json_object_set_new(f0, "severity", json_string("info"));
    json_object_del(report, "verdict");
    ck_assert(!schema_ok(schema, schema, report, "", why, sizeof why));
    ck_assert_str_eq(why, ": required key 'verdict' missing");
    json_decref(report);

    /* An empty run is a valid report too. */
    tc_run empty;
    tc_run_init(&empty);
    tc_run_finish(&empty);
    report = tc_report_json(&empty);
    ck_assert_msg(schema_ok(schema, schema, report, "", why, sizeof why), "%s", why);
    ck_assert_str_eq(json_string_value(json_object_get(report, "verdict")), "pass");
    json_decref(report);
    tc_run_release(&empty);
    tc_run_release(&run);
    json_decref(schema);
    remove_targets();
}
END_TEST

START_TEST(test_json_sections_sorted_and_cannot_replace_keys)
{
    tc_run run;
    tc_run_init(&run);
    tc_run_set_section(&run, "reruns", json_pack("{s:i}", "count", 2));
    tc_run_set_section(&run, "credibility", json_pack("{s:s}", "risk", "low"));
    tc_run_set_section(&run, "findings", json_string("not a list"));
    tc_run_finish(&run);
    char *text = render(&run, TC_FORMAT_JSON, 0);
    json_t *j = json_loads(text, 0, NULL);
    ck_assert(json_is_array(json_object_get(j, "findings")));
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "reruns"), "count")), 2);
    char *cred = strstr(text, "\"credibility\"");
    char *reruns = strstr(text, "\"reruns\"");
    ck_assert(cred && reruns && cred < reruns);
    free(text);
    json_decref(j);
    tc_run_release(&run);
}
END_TEST

START_TEST(test_invalid_utf8_is_replaced)
{
    struct {
        const char *in, *out;
    } cases[] = {
        {"plain", "plain"},
        {"caf\xc3\xa9", "caf\xc3\xa9"},
        {"bad \xff byte", "bad \xef\xbf\xbd byte"},
        {"overlong \xc0\xaf", "overlong \xef\xbf\xbd\xef\xbf\xbd"},
        {"surrogate \xed\xa0\x80", "surrogate \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"},
        {"cut \xe2\x82", "cut \xef\xbf\xbd\xef\xbf\xbd"},
        {"\xf0\x9f\x98\x80 ok", "\xf0\x9f\x98\x80 ok"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *s = tc_report_utf8(cases[i].in);
        ck_assert_str_eq(s, cases[i].out);
        free(s);
    }

    /* A file name in Latin-1 still reaches every report. */
    tc_run run;
    tc_run_init(&run);
    tc_run_add_target(&run, "/nonexistent/t");
    run.findings.target = "/nonexistent/t";
    tc_finding_add(&run.findings, "xml:not-well-formed", (tc_loc){.file = "caf\xe9.xml", .line = 1},
                   "caf\xe9.xml is not well-formed XML: \x1b[2Jboom");
    tc_finding_add(&run.findings, "xml:not-well-formed", (tc_loc){.file = "caf\xe9.xml", .line = 2},
                   "caf\xe9.xml is not well-formed XML: again");
    tc_run_finish(&run);
    char *json = render(&run, TC_FORMAT_JSON, 0);
    ck_assert_ptr_nonnull(strstr(json, "\"file\": \"caf\xef\xbf\xbd.xml\""));
    char *text = render(&run, TC_FORMAT_TEXT, 0);
    ck_assert_ptr_nonnull(strstr(text, "/nonexistent/t/caf\xef\xbf\xbd.xml:1: error: "));
    ck_assert_ptr_nonnull(strstr(text, "XML: \\x1b[2Jboom [xml:not-well-formed]"));
    ck_assert_ptr_null(strchr(text, '\x1b'));
    char *junit = render(&run, TC_FORMAT_JUNIT, 0);
    xmlDocPtr doc = xmlReadMemory(junit, (int)strlen(junit), "junit.xml", NULL, XML_PARSE_NONET);
    ck_assert_msg(doc != NULL, "JUnit report with a control character is not well-formed");
    xmlFreeDoc(doc);
    char *sarif = render(&run, TC_FORMAT_SARIF, 0);
    ck_assert_ptr_nonnull(strstr(sarif, "\"uri\": \"caf%E9.xml\""));
    json_t *log = json_loads(sarif, 0, NULL);
    /* One artifact for the file (and one for its container), however many findings. */
    ck_assert_uint_eq(json_array_size(json_object_get(
                          json_array_get(json_object_get(log, "runs"), 0), "artifacts")),
                      2);
    json_decref(log);
    free(json);
    free(text);
    free(junit);
    free(sarif);
    tc_run_release(&run);
}
END_TEST

/* ---- text ------------------------------------------------------------------- */

START_TEST(test_text_lines_grouped_by_file)
{
    make_targets();
    tc_run run;
    build_run(&run, TC_ERROR);
    char *text = render(&run, TC_FORMAT_TEXT, 0);
    char *expected = tc_xasprintf(
        "%1$s/model/m.xml: info: model/m.xml is not in the manifest [omex:unlisted-file]\n"
        "\n"
        "%2$s: fatal: the package has no manifest [omex:unlisted-file]\n"
        "\n"
        "%2$s/bad.xml:4:5: error: bad.xml is not well-formed XML: tag mismatch <b> & </a> "
        "[xml:not-well-formed]\n"
        "%2$s/bad.xml:5:1: error: bad.xml is not well-formed XML: premature end of data "
        "[xml:not-well-formed]\n"
        "\n"
        "%2$s/data.json:3:5: error: data.json is not well-formed JSON: duplicate object key "
        "(at /a) [json:not-well-formed]\n"
        "\n"
        "%2$s/ok.xml: warning: ok.xml is not in the manifest [omex:unlisted-file]\n"
        "\n"
        "FAIL: 1 fatal, 3 error, 1 warning, 1 info; findings in 4 of 4 files checked "
        "(fail level: error)\n",
        archive_target, dir_target);
    ck_assert_str_eq(text, expected);
    free(expected);

    char *coloured = render(&run, TC_FORMAT_TEXT, TC_REPORT_COLOR);
    ck_assert_ptr_nonnull(strstr(coloured, "\033[1;31merror\033[0m: bad.xml"));
    ck_assert_ptr_nonnull(strstr(coloured, "\033[1;33mwarning\033[0m: ok.xml"));
    ck_assert_ptr_nonnull(strstr(coloured, "\033[1;31mFAIL\033[0m: 1 fatal"));
    free(coloured);
    free(text);
    tc_run_release(&run);

    tc_run empty;
    tc_run_init(&empty);
    tc_run_finish(&empty);
    text = render(&empty, TC_FORMAT_TEXT, 0);
    ck_assert_str_eq(text, "PASS: 0 fatal, 0 error, 0 warning, 0 info; findings in 0 of 0 "
                           "files checked (fail level: error)\n");
    free(text);
    tc_run_release(&empty);
    remove_targets();
}
END_TEST

START_TEST(test_colour_only_on_a_terminal_without_no_color)
{
    ck_assert(!tc_report_color_wanted("report.txt"));
    setenv("NO_COLOR", "", 1);
    ck_assert(!tc_report_color_wanted("-"));
    unsetenv("NO_COLOR");
    /* The tests' standard output is whatever runs them: colour iff it is a terminal. */
    const char *term = getenv("TERM");
    bool tty = isatty(STDOUT_FILENO) && !(term && !strcmp(term, "dumb"));
    ck_assert(tc_report_color_wanted("-") == tty);
}
END_TEST

/* ---- SARIF ------------------------------------------------------------------ */

static json_t *sarif_of(const tc_run *run)
{
    char *text = render(run, TC_FORMAT_SARIF, 0);
    json_error_t err;
    json_t *j = json_loads(text, 0, &err);
    ck_assert_msg(j != NULL, "SARIF is not JSON: %s", err.text);
    free(text);
    return j;
}

/* "INDEX.rest" as a path for str_at, in a static buffer (one use at a time). */
static const char *at(long long index, const char *rest)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "%lld%s", index, rest);
    return buf;
}

static const char *str_at(json_t *j, const char *path)
{
    /* path: keys and array indexes separated by '.', e.g. "runs.0.tool" */
    char *copy = tc_xstrdup(path), *save = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && j; k = strtok_r(NULL, ".", &save))
        j = json_is_array(j) ? json_array_get(j, strtoul(k, NULL, 10)) : json_object_get(j, k);
    free(copy);
    return json_string_value(j);
}

static json_int_t int_at(json_t *j, const char *path)
{
    char *copy = tc_xstrdup(path), *save = NULL;
    for (char *k = strtok_r(copy, ".", &save); k && j; k = strtok_r(NULL, ".", &save))
        j = json_is_array(j) ? json_array_get(j, strtoul(k, NULL, 10)) : json_object_get(j, k);
    free(copy);
    ck_assert_msg(json_is_integer(j), "%s is not an integer", path);
    return json_integer_value(j);
}

START_TEST(test_sarif_results_rules_and_locations)
{
    make_targets();
    tc_run run;
    build_run(&run, TC_ERROR);
    json_t *s = sarif_of(&run);
    json_t *r = json_array_get(json_object_get(s, "runs"), 0);
    ck_assert_str_eq(str_at(s, "version"), "2.1.0");
    ck_assert_str_eq(str_at(r, "tool.driver.name"), "twincheck");
    ck_assert_ptr_nonnull(str_at(r, "tool.driver.semanticVersion"));
    ck_assert_str_eq(str_at(r, "columnKind"), "unicodeCodePoints");
    ck_assert(json_is_true(json_object_get(json_array_get(json_object_get(r, "invocations"), 0),
                                           "executionSuccessful")));

    /* Rules: only those used, in id order, with the catalogue's words. */
    json_t *rules = json_object_get(json_object_get(json_object_get(r, "tool"), "driver"), "rules");
    ck_assert_uint_eq(json_array_size(rules), 3);
    ck_assert_str_eq(str_at(rules, "0.id"), "json:not-well-formed");
    ck_assert_str_eq(str_at(rules, "1.id"), "omex:unlisted-file");
    ck_assert_str_eq(str_at(rules, "1.defaultConfiguration.level"), "warning");
    ck_assert_str_eq(str_at(rules, "1.properties.source"),
                     tc_rule_find("omex:unlisted-file")->source);
    ck_assert_str_eq(str_at(rules, "2.id"), "xml:not-well-formed");
    ck_assert_str_eq(str_at(rules, "2.shortDescription.text"),
                     "The file is not a well-formed XML document.");

    json_t *results = json_object_get(r, "results");
    ck_assert_uint_eq(json_array_size(results), 6);
    /* Each result's ruleIndex points at its rule; levels follow the severity. */
    const char *levels[] = {"note", "error", "error", "error", "error", "warning"};
    for (size_t i = 0; i < 6; i++) {
        json_t *res = json_array_get(results, i);
        json_int_t index = int_at(res, "ruleIndex");
        ck_assert_str_eq(str_at(rules, at(index, ".id")), str_at(res, "ruleId"));
        ck_assert_str_eq(str_at(res, "level"), levels[i]);
    }
    ck_assert_str_eq(str_at(results, "1.properties.severity"), "fatal");

    /* A located finding in the directory package. */
    json_t *res = json_array_get(results, 2);
    ck_assert_str_eq(str_at(res, "ruleId"), "xml:not-well-formed");
    ck_assert_str_eq(str_at(res, "message.text"),
                     "bad.xml is not well-formed XML: tag mismatch <b> & </a>.");
    ck_assert_str_eq(str_at(res, "locations.0.physicalLocation.artifactLocation.uri"), "bad.xml");
    ck_assert_str_eq(str_at(res, "locations.0.physicalLocation.artifactLocation.uriBaseId"),
                     "TARGET1");
    ck_assert_int_eq(int_at(res, "locations.0.physicalLocation.region.startLine"), 4);
    ck_assert_int_eq(int_at(res, "locations.0.physicalLocation.region.startColumn"), 5);
    char *base = tc_xasprintf("file://%s/", dir_target);
    ck_assert_str_eq(str_at(r, "originalUriBaseIds.TARGET1.uri"), base);
    free(base);
    /* An artifact index that agrees with the artifact list. */
    json_int_t ai = int_at(res, "locations.0.physicalLocation.artifactLocation.index");
    json_t *artifacts = json_object_get(r, "artifacts");
    ck_assert_str_eq(str_at(artifacts, at(ai, ".location.uri")), "bad.xml");

    /* The JSON pointer as a logical location; no region when the line is unknown. */
    ck_assert_str_eq(str_at(results, "4.locations.0.logicalLocations.0.fullyQualifiedName"), "/a");
    ck_assert_ptr_null(json_object_get(
        json_object_get(json_array_get(json_object_get(json_array_get(results, 5), "locations"), 0),
                        "physicalLocation"),
        "region"));

    /* A file inside an archive: nested in the archive's artifact. */
    res = json_array_get(results, 0);
    ck_assert_str_eq(str_at(res, "locations.0.physicalLocation.artifactLocation.uri"),
                     "model/m.xml");
    ck_assert_ptr_null(str_at(res, "locations.0.physicalLocation.artifactLocation.uriBaseId"));
    ai = int_at(res, "locations.0.physicalLocation.artifactLocation.index");
    json_t *nested = json_array_get(artifacts, (size_t)ai);
    json_int_t parent = int_at(nested, "parentIndex");
    ck_assert_str_eq(str_at(artifacts, at(parent, ".location.uri")), "b%20pkg.omex");
    ck_assert_str_eq(str_at(artifacts, at(parent, ".location.uriBaseId")), "TARGET2");
    base = tc_xasprintf("file://%s/", tmpdir);
    ck_assert_str_eq(str_at(r, "originalUriBaseIds.TARGET2.uri"), base);
    free(base);

    json_decref(s);
    tc_run_release(&run);
    remove_targets();
}
END_TEST

/* Defined in tests/integration/test_cli.c: the SARIF multitool's errors and
 * warnings for a file ("" for none), or NULL when it is not installed. */
char *tc_test_sarif_problems(const char *sarif);

/* The run's SARIF form has nothing the multitool objects to; false when the multitool
 * is not installed. */
static bool multitool_clean(const tc_run *run)
{
    char *text = render(run, TC_FORMAT_SARIF, 0);
    char *path = tc_xasprintf("%s/report.sarif", tmpdir);
    ck_assert_int_eq(tc_write_file(path, text, strlen(text)), 0);
    char *problems = tc_test_sarif_problems(path);
    /* Allowed: SARIF2017 (a warning that asks for a region) on results whose
     * finding has no line, since we do not invent one. Nothing else. */
    for (char *line = problems, *next; problems && *line; line = next) {
        next = strchr(line, '\n');
        *next++ = '\0';
        const char *prefix = "warning SARIF2017 [\"runs[0].results[";
        size_t k = run->findings.len;
        if (!strncmp(line, prefix, strlen(prefix)))
            k = strtoul(line + strlen(prefix), NULL, 10);
        ck_assert_msg(k < run->findings.len && run->findings.items[k].line == 0,
                      "the SARIF multitool reports: %s", line);
    }
    bool ran = problems != NULL;
    unlink(path);
    free(problems);
    free(path);
    free(text);
    return ran;
}

START_TEST(test_sarif_passes_the_multitool)
{
    make_targets();
    tc_run run;
    build_run(&run, TC_ERROR);
    if (!multitool_clean(&run))
        fprintf(stderr, "SKIP test_sarif_passes_the_multitool: the SARIF multitool is not "
                        "installed (npm install --prefix build @microsoft/sarif-multitool-linux, "
                        "as .ci/run does)\n");
    tc_run_release(&run);
    /* A finding with an also-id (alsoRuleId, and a rule no result names as ruleId). */
    build_also_run(&run, TC_WARNING);
    multitool_clean(&run);
    tc_run_release(&run);
    remove_targets();
}
END_TEST

START_TEST(test_sarif_relative_targets_stay_relative)
{
    tc_run run;
    tc_run_init(&run);
    tc_run_add_target(&run, "no-such-dir/model.xml");
    run.findings.target = "no-such-dir/model.xml";
    tc_run_add_check(&run, "no-such-dir/model.xml", "model.xml", "xml");
    tc_finding_add(&run.findings, "xml:not-well-formed", (tc_loc){.file = "model.xml", .line = 2},
                   "model.xml is not well-formed XML: oops.");
    tc_run_finish(&run);
    json_t *s = sarif_of(&run);
    json_t *r = json_array_get(json_object_get(s, "runs"), 0);
    ck_assert_str_eq(str_at(r, "originalUriBaseIds.TARGET1.uri"), "no-such-dir/");
    ck_assert_str_eq(str_at(r, "originalUriBaseIds.TARGET1.uriBaseId"), "SRCROOT");
    ck_assert_str_eq(str_at(r, "results.0.locations.0.physicalLocation.artifactLocation.uri"),
                     "model.xml");
    /* A message that already ends a sentence gets no second full stop. */
    ck_assert_str_eq(str_at(r, "results.0.message.text"),
                     "model.xml is not well-formed XML: oops.");
    ck_assert_ptr_null(json_object_get(
        json_object_get(
            json_object_get(
                json_array_get(
                    json_object_get(json_array_get(json_object_get(r, "results"), 0), "locations"),
                    0),
                "physicalLocation"),
            "region"),
        "startColumn"));
    json_decref(s);
    tc_run_release(&run);
}
END_TEST

/* ---- JUnit ------------------------------------------------------------------ */

static char *xpath_string(xmlDocPtr doc, const char *expr)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
    ck_assert_msg(obj != NULL, "bad XPath %s", expr);
    xmlChar *s = xmlXPathCastToString(obj);
    char *out = tc_xstrdup((const char *)s);
    xmlFree(s);
    xmlXPathFreeObject(obj);
    xmlXPathFreeContext(ctx);
    return out;
}

static void assert_xpath(xmlDocPtr doc, const char *expr, const char *expected)
{
    char *got = xpath_string(doc, expr);
    ck_assert_msg(strcmp(got, expected) == 0, "%s: expected '%s', got '%s'", expr, expected, got);
    free(got);
}

static void assert_valid_junit(xmlDocPtr doc)
{
    xmlSchemaParserCtxtPtr pctx = xmlSchemaNewParserCtxt(TC_SOURCE("docs/report-junit.xsd"));
    xmlSchemaPtr schema = xmlSchemaParse(pctx);
    ck_assert_msg(schema != NULL, "docs/report-junit.xsd does not compile");
    xmlSchemaValidCtxtPtr vctx = xmlSchemaNewValidCtxt(schema);
    ck_assert_int_eq(xmlSchemaValidateDoc(vctx, doc), 0);
    xmlSchemaFreeValidCtxt(vctx);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(pctx);
}

START_TEST(test_junit_cases_failures_and_output)
{
    make_targets();
    tc_run run;
    build_run(&run, TC_ERROR);
    char *xml = render(&run, TC_FORMAT_JUNIT, 0);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
    ck_assert_msg(doc != NULL, "JUnit report is not well-formed:\n%s", xml);
    assert_valid_junit(doc);

    /* Cases: the archive (omex; m.xml for xml, and for omex from the info
     * finding) and the directory (omex for the whole target, from the fatal
     * finding; bad.xml, data.json, ok.xml for xml, and for omex from the warning). */
    assert_xpath(doc, "string(/testsuites/@tests)", "8");
    assert_xpath(doc, "count(//testcase)", "8");
    assert_xpath(doc, "string(/testsuites/@failures)", "3");
    assert_xpath(doc, "count(//testcase[failure])", "3");
    assert_xpath(doc, "count(/testsuites/testsuite)", "2");
    char *expr = tc_xasprintf("string(/testsuites/testsuite[@name='%s']/@failures)", dir_target);
    assert_xpath(doc, expr, "3");
    free(expr);
    expr = tc_xasprintf("string(/testsuites/testsuite[@name='%s']/@tests)", archive_target);
    assert_xpath(doc, expr, "3");
    free(expr);

    /* classname = stage, name = target and file. */
    expr = tc_xasprintf("string(//testcase[@name='%s/bad.xml']/@classname)", dir_target);
    assert_xpath(doc, expr, "xml");
    free(expr);
    expr = tc_xasprintf("string(//testcase[@name='%s/bad.xml']/failure)", dir_target);
    assert_xpath(doc, expr,
                 "bad.xml:4:5: error: bad.xml is not well-formed XML: tag mismatch <b> & </a> "
                 "[xml:not-well-formed]\n"
                 "bad.xml:5:1: error: bad.xml is not well-formed XML: premature end of data "
                 "[xml:not-well-formed]\n");
    free(expr);
    expr = tc_xasprintf("string(//testcase[@name='%s' and @classname='omex']/failure/@type)",
                        dir_target);
    assert_xpath(doc, expr, "fatal");
    free(expr);
    /* Below the fail level: system-out, no failure; the case made for a finding
     * whose stage had no check of its own is there too. */
    expr = tc_xasprintf("string(//testcase[@name='%s/ok.xml' and @classname='omex']/system-out)",
                        dir_target);
    assert_xpath(doc, expr,
                 "ok.xml: warning: ok.xml is not in the manifest [omex:unlisted-file]\n");
    free(expr);
    expr = tc_xasprintf("count(//testcase[@name='%s/ok.xml']/failure)", dir_target);
    assert_xpath(doc, expr, "0");
    free(expr);
    expr = tc_xasprintf("string(//testcase[@name='%s/ok.xml' and @classname='xml'])", dir_target);
    assert_xpath(doc, expr, "");
    free(expr);
    xmlFreeDoc(doc);
    free(xml);

    /* With --fail-on warning the warning fails its case. */
    run.fail_on = TC_WARNING;
    xml = render(&run, TC_FORMAT_JUNIT, 0);
    doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
    expr = tc_xasprintf("string(//testcase[@name='%s/ok.xml' and @classname='omex']/failure/@type)",
                        dir_target);
    assert_xpath(doc, expr, "warning");
    free(expr);
    assert_xpath(doc, "string(/testsuites/@failures)", "4");
    xmlFreeDoc(doc);
    free(xml);
    tc_run_release(&run);
    remove_targets();
}
END_TEST

/* ---- a finding with an also-id, in every form ---------------------------------- */

START_TEST(test_also_id_in_text_and_json)
{
    make_targets();
    tc_run run;
    build_also_run(&run, TC_ERROR);
    ck_assert_uint_eq(run.findings.len, 2);
    ck_assert_str_eq(run.findings.items[0].rule, "sbml:10501");
    ck_assert_int_eq(run.findings.items[0].severity, TC_WARNING); /* 10501's, the primary */

    char *text = render(&run, TC_FORMAT_TEXT, 0);
    char *expected = tc_xasprintf(
        "%1$s/model.xml:7: warning: the arguments of plus have different units "
        "[sbml:10501, also sbml:90501]\n"
        "%1$s/model.xml:9: error: the units of the reaction's kinetic law are inconsistent "
        "[sbml:10502]\n"
        "\n"
        "FAIL: 0 fatal, 1 error, 1 warning, 0 info; findings in 1 of 1 file checked "
        "(fail level: error)\n",
        dir_target);
    ck_assert_str_eq(text, expected);
    free(expected);
    free(text);

    json_t *report = tc_report_json(&run);
    json_t *fs = json_object_get(report, "findings");
    ck_assert_uint_eq(json_array_size(fs), 2);
    ck_assert_str_eq(str_at(fs, "0.rule"), "sbml:10501");
    ck_assert_str_eq(str_at(fs, "0.also"), "sbml:90501");
    ck_assert_str_eq(str_at(fs, "0.severity"), "warning");
    ck_assert_int_eq(int_at(fs, "0.line"), 7);
    ck_assert_str_eq(str_at(fs, "1.rule"), "sbml:10502");
    ck_assert(json_is_null(json_object_get(json_array_get(fs, 1), "also")));
    /* counted once */
    ck_assert_int_eq(int_at(report, "summary.warning"), 1);
    ck_assert_int_eq(int_at(report, "summary.error"), 1);
    json_t *schema = load_schema();
    char why[600] = "";
    ck_assert_msg(schema_ok(schema, schema, report, "", why, sizeof why), "%s", why);
    json_object_set_new(json_array_get(fs, 0), "also", json_integer(90501));
    ck_assert(!schema_ok(schema, schema, report, "", why, sizeof why));
    ck_assert_str_eq(why, "/findings/0/also: wrong type");
    json_decref(schema);
    json_decref(report);
    tc_run_release(&run);
    remove_targets();
}
END_TEST

START_TEST(test_also_id_in_sarif_and_junit)
{
    make_targets();
    tc_run run;
    build_also_run(&run, TC_WARNING);
    json_t *s = sarif_of(&run);
    json_t *r = json_array_get(json_object_get(s, "runs"), 0);
    json_t *rules = json_object_get(json_object_get(json_object_get(r, "tool"), "driver"), "rules");
    ck_assert_uint_eq(json_array_size(rules), 3);
    ck_assert_str_eq(str_at(rules, "0.id"), "sbml:10501");
    ck_assert_str_eq(str_at(rules, "1.id"), "sbml:10502");
    ck_assert_str_eq(str_at(rules, "2.id"), "sbml:90501");
    ck_assert_str_eq(str_at(rules, "2.shortDescription.text"),
                     tc_rule_find("sbml:90501")->description);
    json_t *results = json_object_get(r, "results");
    ck_assert_uint_eq(json_array_size(results), 2);
    ck_assert_str_eq(str_at(results, "0.ruleId"), "sbml:10501");
    ck_assert_int_eq(int_at(results, "0.ruleIndex"), 0);
    ck_assert_str_eq(str_at(results, "0.level"), "warning");
    ck_assert_str_eq(str_at(results, "0.properties.alsoRuleId"), "sbml:90501");
    ck_assert_int_eq(int_at(results, "0.properties.alsoRuleIndex"), 2);
    ck_assert_str_eq(str_at(results, "1.ruleId"), "sbml:10502");
    ck_assert_ptr_null(
        json_object_get(json_object_get(json_array_get(results, 1), "properties"), "alsoRuleId"));
    json_decref(s);

    char *xml = render(&run, TC_FORMAT_JUNIT, 0);
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
    ck_assert_msg(doc != NULL, "JUnit report is not well-formed:\n%s", xml);
    assert_valid_junit(doc);
    assert_xpath(doc, "count(//testcase[failure])", "1");
    assert_xpath(doc, "string(//failure/@message)",
                 "2 findings at or above warning, first: the arguments of plus have different "
                 "units [sbml:10501, also sbml:90501]");
    assert_xpath(doc, "string(//failure)",
                 "model.xml:7: warning: the arguments of plus have different units "
                 "[sbml:10501, also sbml:90501]\n"
                 "model.xml:9: error: the units of the reaction's kinetic law are inconsistent "
                 "[sbml:10502]\n");
    xmlFreeDoc(doc);
    free(xml);

    /* A single failing finding: its message and both ids. */
    tc_run_release(&run);
    tc_run_init(&run);
    run.fail_on = TC_WARNING;
    tc_run_add_target(&run, dir_target);
    run.findings.target = dir_target;
    tc_finding_add_also(&run.findings, "sbml:10501", "sbml:90501",
                        (tc_loc){.file = "model.xml", .line = 7}, "different units");
    tc_run_finish(&run);
    xml = render(&run, TC_FORMAT_JUNIT, 0);
    doc = xmlReadMemory(xml, (int)strlen(xml), "junit.xml", NULL, XML_PARSE_NONET);
    ck_assert_ptr_nonnull(doc);
    assert_xpath(doc, "string(//testcase/@classname)", "sbml");
    assert_xpath(doc, "string(//failure/@message)",
                 "different units [sbml:10501, also sbml:90501]");
    xmlFreeDoc(doc);
    free(xml);
    tc_run_release(&run);
    remove_targets();
}
END_TEST

START_TEST(test_every_format_is_deterministic)
{
    make_targets();
    tc_run run;
    build_run(&run, TC_ERROR);
    for (int f = TC_FORMAT_TEXT; f <= TC_FORMAT_JUNIT; f++) {
        char *a = render(&run, (tc_format)f, 0);
        char *b = render(&run, (tc_format)f, 0);
        ck_assert_str_eq(a, b);
        free(a);
        free(b);
    }
    tc_run_release(&run);
    remove_targets();
}
END_TEST

START_TEST(test_format_names)
{
    tc_format f;
    ck_assert_int_eq(tc_format_parse("sarif", &f), 0);
    ck_assert_int_eq(f, TC_FORMAT_SARIF);
    ck_assert_str_eq(tc_format_name(TC_FORMAT_JUNIT), "junit");
    ck_assert_int_eq(tc_format_parse("xml", &f), TC_EUSAGE);
    ck_assert_ptr_nonnull(strstr(tc_error_last(), "unknown format 'xml'"));
}
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 60); /* the SARIF multitool starts a .NET runtime */
    tcase_add_test(tc, test_json_content_sorted_and_deterministic);
    tcase_add_test(tc, test_json_matches_schema);
    tcase_add_test(tc, test_json_sections_sorted_and_cannot_replace_keys);
    tcase_add_test(tc, test_invalid_utf8_is_replaced);
    tcase_add_test(tc, test_text_lines_grouped_by_file);
    tcase_add_test(tc, test_colour_only_on_a_terminal_without_no_color);
    tcase_add_test(tc, test_sarif_results_rules_and_locations);
    tcase_add_test(tc, test_sarif_passes_the_multitool);
    tcase_add_test(tc, test_sarif_relative_targets_stay_relative);
    tcase_add_test(tc, test_junit_cases_failures_and_output);
    tcase_add_test(tc, test_also_id_in_text_and_json);
    tcase_add_test(tc, test_also_id_in_sarif_and_junit);
    tcase_add_test(tc, test_every_format_is_deterministic);
    tcase_add_test(tc, test_format_names);
    suite_add_tcase(s, tc);
    return s;
}
