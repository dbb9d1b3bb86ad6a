/* The `twincheck validate` command end to end: each exit status, each report
 * format on a small package with findings written into a temporary directory,
 * and the formats checked by outside validators where they are installed
 * (SARIF multitool, xmllint). */
#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../testutil.h"

static char root[64];
static char bad_pkg[128];   /* malformed XML, JSON with a duplicate key, one good file */
static char clean_pkg[128]; /* well-formed files only */

static void write_text(const char *dir, const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    ck_assert_msg(f != NULL, "cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

/* An OMEX manifest listing the files named (pairs of name and mediatype
 * subtype, the last one xml when unpaired). */
static const char *manifest(const char *a, const char *fa, const char *b, const char *fb,
                            const char *c)
{
    static char text[2048];
    snprintf(text, sizeof text,
             "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
             "<omexManifest xmlns=\"http://identifiers.org/combine.specifications/omex-manifest\">\n"
             "  <content location=\".\" format=\"http://identifiers.org/combine.specifications/omex\"/>\n"
             "  <content location=\"./manifest.xml\" "
             "format=\"http://identifiers.org/combine.specifications/omex-manifest\"/>\n"
             "  <content location=\"./%s\" format=\"http://purl.org/NET/mediatypes/application/%s\" "
             "master=\"true\"/>\n"
             "  <content location=\"./%s\" format=\"http://purl.org/NET/mediatypes/application/%s\"/>\n"
             "%s%s%s"
             "</omexManifest>\n",
             a, fa, b, fb, c ? "  <content location=\"./" : "", c ? c : "",
             c ? "\" format=\"http://purl.org/NET/mediatypes/application/xml\"/>\n" : "");
    return text;
}

static void setup(void)
{
    snprintf(root, sizeof root, "/tmp/tc-cli-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(root));
    snprintf(bad_pkg, sizeof bad_pkg, "%s/bad", root);
    snprintf(clean_pkg, sizeof clean_pkg, "%s/clean", root);
    ck_assert_int_eq(mkdir(bad_pkg, 0700), 0);
    ck_assert_int_eq(mkdir(clean_pkg, 0700), 0);
    write_text(bad_pkg, "manifest.xml", manifest("bad.xml", "xml", "dup.json", "json", "ok.xml"));
    write_text(clean_pkg, "manifest.xml", manifest("model.xml", "xml", "data.json", "json", NULL));
    write_text(bad_pkg, "bad.xml", "<?xml version=\"1.0\"?>\n<a>\n  <b>\n</a>\n");
    write_text(bad_pkg, "dup.json", "{\n  \"a\": 1,\n  \"a\": 2\n}\n");
    write_text(bad_pkg, "ok.xml", "<ok/>\n");
    write_text(clean_pkg, "model.xml", "<?xml version=\"1.0\"?>\n<model/>\n");
    write_text(clean_pkg, "data.json", "{\"resourceType\": \"Patient\"}\n");
}

static void teardown(void)
{
    const char *files[] = {
        "bad/bad.xml", "bad/dup.json", "bad/ok.xml", "bad/manifest.xml", "clean/manifest.xml",    "clean/model.xml", "clean/data.json",
        "report.out",  "report.sarif", "checked.sarif", "junit.xml",       NULL};
    char path[256];
    for (const char **f = files; *f; f++) {
        snprintf(path, sizeof path, "%s/%s", root, *f);
        unlink(path);
    }
    rmdir(bad_pkg);
    rmdir(clean_pkg);
    rmdir(root);
}

static char *read_all(const char *path)
{
    unsigned char *data = NULL;
    size_t len;
    if (tc_read_file(path, 64u << 20, &data, &len) != 0)
        return NULL;
    return (char *)data;
}

/* Run a program (argv[0] is a path) with stdout and stderr captured; returns
 * its exit status. */
static int run_capture(char *const argv[], char **out, char **err)
{
    char out_path[64], err_path[64];
    snprintf(out_path, sizeof out_path, "/tmp/tc-cli-stdout-%ld", (long)getpid());
    snprintf(err_path, sizeof err_path, "/tmp/tc-cli-stderr-%ld", (long)getpid());
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int o = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (o < 0 || e < 0)
            _exit(126);
        dup2(o, 1);
        dup2(e, 2);
        execv(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    char *o = read_all(out_path), *e = read_all(err_path);
    unlink(out_path);
    unlink(err_path);
    if (out)
        *out = o;
    else
        free(o);
    if (err)
        *err = e;
    else
        free(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Run twincheck with arguments (NULL-terminated). */
#define TWINCHECK(out, err, ...)                                                                   \
    run_capture((char *const[]){(char *)tc_test_binary(), __VA_ARGS__, NULL}, out, err)

static const json_t *find_finding(const json_t *report, const char *rule, const char *file,
                                  long line)
{
    size_t i;
    const json_t *f;
    json_array_foreach(json_object_get(report, "findings"), i, f)
    {
        if (!strcmp(json_string_value(json_object_get(f, "rule")), rule) &&
            json_is_string(json_object_get(f, "file")) &&
            !strcmp(json_string_value(json_object_get(f, "file")), file) &&
            json_integer_value(json_object_get(f, "line")) == line)
            return f;
    }
    return NULL;
}

/* ---- exit status 0 and 1 ------------------------------------------------------ */

START_TEST(test_exit_0_when_nothing_reaches_the_fail_level)
{
    char *out = NULL;
    ck_assert_int_eq(TWINCHECK(&out, NULL, "validate", clean_pkg), 0);
    ck_assert_str_eq(out, "PASS: 0 fatal, 0 error, 0 warning, 0 info; findings in 0 of 3 files "
                          "checked (fail level: error)\n");
    free(out);

    /* Errors below --fail-on fatal: still 0, and the verdict says so. */
    ck_assert_int_eq(
        TWINCHECK(&out, NULL, "validate", "--format", "json", "--fail-on", "fatal", bad_pkg), 0);
    json_t *j = json_loads(out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "pass");
    ck_assert_str_eq(json_string_value(json_object_get(j, "fail_on")), "fatal");
    ck_assert_int_eq(json_integer_value(json_object_get(json_object_get(j, "summary"), "error")),
                     3);
    json_decref(j);
    free(out);
}
END_TEST

START_TEST(test_exit_1_with_findings_and_their_locations)
{
    char *out = NULL;
    ck_assert_int_eq(TWINCHECK(&out, NULL, "validate", "--format", "json", bad_pkg), 1);
    json_error_t err;
    json_t *j = json_loads(out, 0, &err);
    ck_assert_msg(j != NULL, "not JSON: %s", err.text);
    ck_assert_str_eq(json_string_value(json_object_get(j, "verdict")), "fail");
    ck_assert_str_eq(json_string_value(json_array_get(json_object_get(j, "targets"), 0)), bad_pkg);

    const json_t *x = find_finding(j, "xml:not-well-formed", "bad.xml", 4);
    ck_assert_msg(x != NULL, "no xml:not-well-formed at bad.xml:4 in\n%s", out);
    ck_assert_int_eq(json_integer_value(json_object_get(x, "column")), 5);
    ck_assert_str_eq(json_string_value(json_object_get(x, "severity")), "error");
    ck_assert_str_eq(json_string_value(json_object_get(x, "target")), bad_pkg);
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(x, "message")),
               "bad.xml is not well-formed XML: Opening and ending tag mismatch"));

    const json_t *d = find_finding(j, "json:not-well-formed", "dup.json", 3);
    ck_assert_msg(d != NULL, "no json:not-well-formed at dup.json:3 in\n%s", out);
    ck_assert_int_eq(json_integer_value(json_object_get(d, "column")), 5);
    ck_assert_ptr_nonnull(
        strstr(json_string_value(json_object_get(d, "message")), "duplicate object key"));
    ck_assert_ptr_null(find_finding(j, "xml:not-well-formed", "ok.xml", 1));
    json_decref(j);
    free(out);

    /* --fail-on info fails on the same package; the default level is error. */
    ck_assert_int_eq(TWINCHECK(NULL, NULL, "validate", "--fail-on", "info", bad_pkg), 1);
    ck_assert_int_eq(TWINCHECK(NULL, NULL, "validate", "--fail-on", "info", clean_pkg), 0);
}
END_TEST

/* ---- exit status 2 ------------------------------------------------------------ */

START_TEST(test_exit_2_on_usage_errors)
{
    struct {
        const char *args[5]; /* "PKG" stands for a readable package */
        const char *says;
    } cases[] = {
        {{"validate", NULL}, "no PATH to validate"},
        {{"validate", "--format", "xml", "PKG", NULL}, "unknown format 'xml'"},
        {{"validate", "--fail-on", "severe", "PKG", NULL}, "severe"},
        {{"validate", "--bogus", "PKG", NULL}, "unknown option --bogus"},
        {{"validate", "-o", NULL}, "needs an argument"},
        {{"no-such-command", NULL}, "unknown command 'no-such-command'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *argv[8] = {(char *)tc_test_binary()};
        size_t n = 1;
        for (const char *const *a = cases[i].args; *a; a++)
            argv[n++] = strcmp(*a, "PKG") ? (char *)*a : clean_pkg;
        argv[n] = NULL;
        char *out = NULL, *err = NULL;
        ck_assert_msg(run_capture(argv, &out, &err) == 2, "case %zu did not exit 2", i);
        ck_assert_msg(strstr(err, cases[i].says) != NULL, "case %zu: stderr '%s' lacks '%s'", i,
                      err, cases[i].says);
        ck_assert_str_eq(out, "");
        free(out);
        free(err);
    }
}
END_TEST

START_TEST(test_exit_2_on_unreadable_input_and_no_report)
{
    char missing[160], report[160];
    snprintf(missing, sizeof missing, "%s/no-such-package", root);
    snprintf(report, sizeof report, "%s/report.out", root);
    char *err = NULL;
    ck_assert_int_eq(TWINCHECK(NULL, &err, "validate", "-o", report, clean_pkg, missing), 2);
    ck_assert_ptr_nonnull(strstr(err, "cannot open"));
    ck_assert_ptr_nonnull(strstr(err, "no-such-package"));
    ck_assert_int_ne(access(report, F_OK), 0); /* no report is written */
    free(err);
}
END_TEST

/* ---- exit status 3 ------------------------------------------------------------ */

START_TEST(test_exit_3_when_the_report_cannot_be_written)
{
    char nowhere[160];
    snprintf(nowhere, sizeof nowhere, "%s/no-such-dir/report.json", root);
    char *err = NULL;
    ck_assert_int_eq(TWINCHECK(NULL, &err, "validate", "--format", "json", "-o", nowhere, bad_pkg),
                     3);
    ck_assert_ptr_nonnull(strstr(err, "cannot write"));
    ck_assert_ptr_nonnull(strstr(err, "no-such-dir/report.json"));
    free(err);

    /* A full disk is the same case: the write itself fails. */
    if (access("/dev/full", W_OK) == 0) {
        ck_assert_int_eq(TWINCHECK(NULL, &err, "validate", "-o", "/dev/full", clean_pkg), 3);
        ck_assert_ptr_nonnull(strstr(err, "cannot write /dev/full"));
        free(err);
    }
}
END_TEST

/* ---- the formats --------------------------------------------------------------- */

START_TEST(test_text_report_lines)
{
    char *out = NULL;
    ck_assert_int_eq(TWINCHECK(&out, NULL, "validate", bad_pkg), 1);
    char *xml_line = tc_xasprintf("%s/bad.xml:4:5: error: bad.xml is not well-formed XML: "
                                  "Opening and ending tag mismatch: b line 3 and a "
                                  "[xml:not-well-formed]\n",
                                  bad_pkg);
    char *json_line = tc_xasprintf("\n\n%s/dup.json:3:5: error: dup.json is not well-formed "
                                   "JSON: duplicate object key near '\"a\"' "
                                   "[json:not-well-formed]\n",
                                   bad_pkg);
    ck_assert_msg(strncmp(out, xml_line, strlen(xml_line)) == 0, "got:\n%s", out);
    ck_assert_msg(strstr(out, json_line) != NULL, "got:\n%s", out);
    ck_assert_msg(strstr(out, "\n\nFAIL: 0 fatal, 3 error, 0 warning, 0 info; findings in 2 of "
                              "4 files checked (fail level: error)\n") != NULL,
                  "got:\n%s", out);
    ck_assert_ptr_null(strchr(out, '\033')); /* not a terminal: no colour */
    free(xml_line);
    free(json_line);
    free(out);
}
END_TEST

/* On a terminal (script(1) gives the command one) the text is coloured, unless
 * NO_COLOR is set, even to nothing. */
START_TEST(test_colour_on_a_terminal_unless_no_color)
{
    if (system("command -v script >/dev/null 2>&1") != 0) {
        fprintf(stderr, "SKIP test_colour_on_a_terminal_unless_no_color: script(1) is not "
                        "installed (apt-get install bsdutils)\n");
        return;
    }
    setenv("TC_BIN", tc_test_binary(), 1);
    setenv("TC_PKG", bad_pkg, 1);
    setenv("TERM", "xterm", 1);
    char *const argv[] = {"/bin/sh", "-c",
                          "exec script -qec '\"$TC_BIN\" validate \"$TC_PKG\"' /dev/null", NULL};
    char *out = NULL;
    unsetenv("NO_COLOR");
    ck_assert_int_eq(run_capture(argv, &out, NULL), 1);
    ck_assert_msg(strstr(out, "\033[1;31merror\033[0m: bad.xml is not well-formed") != NULL,
                  "no colour on a terminal:\n%s", out);
    ck_assert_ptr_nonnull(strstr(out, "\033[1;31mFAIL\033[0m: 0 fatal, 3 error"));
    free(out);
    setenv("NO_COLOR", "", 1);
    ck_assert_int_eq(run_capture(argv, &out, NULL), 1);
    ck_assert_ptr_nonnull(strstr(out, "error: bad.xml is not well-formed"));
    ck_assert_msg(strchr(out, '\033') == NULL, "coloured although NO_COLOR is set:\n%s", out);
    free(out);
    unsetenv("NO_COLOR");
}
END_TEST

START_TEST(test_output_file_and_determinism)
{
    char report[160];
    snprintf(report, sizeof report, "%s/report.out", root);
    char *formats[] = {"text", "json", "sarif", "junit"};
    for (size_t i = 0; i < 4; i++) {
        char *out1 = NULL, *out2 = NULL, *to_file = NULL;
        ck_assert_int_eq(
            TWINCHECK(&out1, NULL, "validate", "--format", formats[i], bad_pkg, clean_pkg), 1);
        ck_assert_int_eq(
            TWINCHECK(&out2, NULL, "validate", "--format", formats[i], bad_pkg, clean_pkg), 1);
        ck_assert_msg(strcmp(out1, out2) == 0, "%s report differs between runs", formats[i]);
        ck_assert_int_eq(TWINCHECK(&to_file, NULL, "validate", "-f", formats[i], "-o", report,
                                   bad_pkg, clean_pkg),
                         1);
        ck_assert_str_eq(to_file, "");
        char *written = read_all(report);
        ck_assert_ptr_nonnull(written);
        ck_assert_str_eq(written, out1);
        free(written);
        free(out1);
        free(out2);
        free(to_file);
    }
}
END_TEST

/* The SARIF multitool (npm @microsoft/sarif-multitool-linux, which .ci/run
 * installs into build/), or NULL. TC_SARIF_MULTITOOL names another copy. */
static const char *multitool(void)
{
    const char *env = getenv("TC_SARIF_MULTITOOL");
    const char *path = env && *env ? env
                                   : TC_SOURCE("build/node_modules/@microsoft/"
                                               "sarif-multitool-linux/Sarif.Multitool");
    return access(path, X_OK) == 0 ? path : NULL;
}

/* Validate a SARIF file with the multitool. Returns every schema error
 * (JSON...) and best-practice finding (SARIF..., GH...) at level error or
 * warning, one per line, "" when there is none; NULL when the multitool is not
 * installed. Also used by tests/unit/test_report.c. */
char *tc_test_sarif_problems(const char *sarif)
{
    const char *tool = multitool();
    if (!tool)
        return NULL;
    char *checked = tc_xasprintf("%s.checked", sarif);
    unlink(checked);
    setenv("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1", 1);
    char *out = NULL;
    int rc =
        run_capture((char *const[]){(char *)tool, "validate", "--level", "Error;Warning;Note",
                                    "--rule-kind", "Sarif;Gh", (char *)sarif, "-o", checked, NULL},
                    &out, NULL);
    ck_assert_msg(rc == 0, "the SARIF multitool failed (status %d):\n%s", rc, out);
    free(out);
    json_error_t err;
    json_t *log = json_load_file(checked, 0, &err);
    ck_assert_msg(log != NULL, "the multitool's output is not JSON: %s", err.text);
    unlink(checked);
    free(checked);
    json_t *results = json_object_get(json_array_get(json_object_get(log, "runs"), 0), "results");
    /* A file it cannot read at all gives no results, not even the notes every
     * report of ours draws (no versionControlProvenance, ...): count those too. */
    ck_assert_msg(json_array_size(results) > 0,
                  "the SARIF multitool gave no results at all: it did not read %s", sarif);
    tc_buf problems = TC_BUF_INIT;
    tc_buf_puts(&problems, "");
    size_t i;
    json_t *r;
    json_array_foreach(results, i, r)
    {
        const char *level = json_string_value(json_object_get(r, "level"));
        if (level && !strcmp(level, "note"))
            continue;
        char *args = json_dumps(json_object_get(json_object_get(r, "message"), "arguments"),
                                JSON_COMPACT | JSON_ENCODE_ANY);
        tc_buf_printf(&problems, "%s %s %s\n", level ? level : "warning",
                      json_string_value(json_object_get(r, "ruleId")), args ? args : "");
        free(args);
    }
    json_decref(log);
    return tc_buf_detach(&problems);
}

START_TEST(test_sarif_content_and_multitool)
{
    char report[160];
    snprintf(report, sizeof report, "%s/report.sarif", root);
    ck_assert_int_eq(
        TWINCHECK(NULL, NULL, "validate", "--format", "sarif", "-o", report, bad_pkg, clean_pkg),
        1);
    json_error_t err;
    json_t *log = json_load_file(report, 0, &err);
    ck_assert_msg(log != NULL, "SARIF is not JSON: %s", err.text);
    json_t *run = json_array_get(json_object_get(log, "runs"), 0);
    json_t *results = json_object_get(run, "results");
    ck_assert_uint_eq(json_array_size(results), 3);
    json_t *first = json_array_get(results, 0);
    ck_assert_str_eq(json_string_value(json_object_get(first, "ruleId")), "xml:not-well-formed");
    ck_assert_str_eq(json_string_value(json_object_get(first, "level")), "error");
    json_t *phys =
        json_object_get(json_array_get(json_object_get(first, "locations"), 0), "physicalLocation");
    json_t *where = json_object_get(phys, "artifactLocation");
    ck_assert_str_eq(json_string_value(json_object_get(where, "uri")), "bad.xml");
    ck_assert_str_eq(json_string_value(json_object_get(where, "uriBaseId")), "TARGET1");
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(phys, "region"), "startLine")), 4);
    ck_assert_int_eq(
        json_integer_value(json_object_get(json_object_get(phys, "region"), "startColumn")), 5);
    char *base = tc_xasprintf("file://%s/", clean_pkg);
    ck_assert_str_eq(
        json_string_value(json_object_get(
            json_object_get(json_object_get(run, "originalUriBaseIds"), "TARGET2"), "uri")),
        base);
    free(base);
    json_decref(log);

    char *problems = tc_test_sarif_problems(report);
    if (!problems) {
        fprintf(stderr, "SKIP test_sarif_content_and_multitool: the SARIF multitool is not "
                        "installed (npm install --prefix build @microsoft/sarif-multitool-linux, "
                        "as .ci/run does)\n");
        return;
    }
    ck_assert_msg(problems[0] == '\0', "the SARIF multitool reports:\n%s", problems);
    free(problems);
}
END_TEST

static bool have_program(const char *name)
{
    char *cmd = tc_xasprintf("command -v %s >/dev/null 2>&1", name);
    int rc = system(cmd);
    free(cmd);
    return rc == 0;
}

START_TEST(test_junit_report_and_xmllint)
{
    char report[160];
    snprintf(report, sizeof report, "%s/junit.xml", root);
    ck_assert_int_eq(
        TWINCHECK(NULL, NULL, "validate", "--format", "junit", "-o", report, bad_pkg, clean_pkg),
        1);
    char *xml = read_all(report);
    ck_assert_ptr_nonnull(xml);
    ck_assert_ptr_nonnull(strstr(xml, "<testsuites name=\"twincheck "));
    ck_assert_ptr_nonnull(strstr(xml, "tests=\"9\" failures=\"2\" errors=\"0\""));
    char *bad_case = tc_xasprintf("<testcase classname=\"xml\" name=\"%s/bad.xml\">\n"
                                  "      <failure message=\"2 findings at or above error, first: "
                                  "bad.xml is not well-formed XML: Opening and ending tag "
                                  "mismatch: b line 3 and a [xml:not-well-formed]\" "
                                  "type=\"error\">bad.xml:4:5: error: bad.xml is not "
                                  "well-formed XML: Opening and ending tag mismatch: b line 3 "
                                  "and a [xml:not-well-formed]\n",
                                  bad_pkg);
    ck_assert_msg(strstr(xml, bad_case) != NULL, "no failing case for bad.xml in:\n%s", xml);
    char *ok_case = tc_xasprintf("<testcase classname=\"xml\" name=\"%s/ok.xml\"/>", bad_pkg);
    ck_assert_ptr_nonnull(strstr(xml, ok_case));
    free(bad_case);
    free(ok_case);
    free(xml);

    if (!have_program("xmllint")) {
        fprintf(stderr, "SKIP test_junit_report_and_xmllint: xmllint is not installed "
                        "(apt-get install libxml2-utils)\n");
        return;
    }
    char *err = NULL;
    ck_assert_int_eq(
        run_capture((char *const[]){"/bin/sh", "-c", "exec xmllint --noout \"$0\"", report, NULL},
                    NULL, &err),
        0);
    ck_assert_str_eq(err, "");
    free(err);
    ck_assert_int_eq(
        run_capture((char *const[]){"/bin/sh", "-c", "exec xmllint --noout --schema \"$1\" \"$0\"",
                                    report, TC_SOURCE("docs/report-junit.xsd"), NULL},
                    NULL, &err),
        0);
    ck_assert_msg(strstr(err, "validates") != NULL, "xmllint: %s", err);
    free(err);
}
END_TEST

START_TEST(test_help_names_formats_and_exit_statuses)
{
    char *out = NULL;
    ck_assert_int_eq(TWINCHECK(&out, NULL, "validate", "--help"), 0);
    ck_assert_ptr_nonnull(strstr(out, "text (default), json, sarif or junit"));
    ck_assert_ptr_nonnull(strstr(out, "--fail-on LEVEL"));
    free(out);
    char *page = read_all(TC_SOURCE("docs/man/twincheck-validate.1"));
    ck_assert_ptr_nonnull(page);
    const char *exit_status = strstr(page, ".SH EXIT STATUS");
    ck_assert_ptr_nonnull(exit_status);
    for (const char *code = "0123"; *code; code++) {
        char item[8];
        snprintf(item, sizeof item, ".B %c\n", *code);
        ck_assert_msg(strstr(exit_status, item) != NULL, "EXIT STATUS does not describe %c", *code);
    }
    free(page);
}
END_TEST

Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("validate");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60); /* the SARIF multitool starts a .NET runtime */
    tcase_add_test(tc, test_exit_0_when_nothing_reaches_the_fail_level);
    tcase_add_test(tc, test_exit_1_with_findings_and_their_locations);
    tcase_add_test(tc, test_exit_2_on_usage_errors);
    tcase_add_test(tc, test_exit_2_on_unreadable_input_and_no_report);
    tcase_add_test(tc, test_exit_3_when_the_report_cannot_be_written);
    tcase_add_test(tc, test_text_report_lines);
    tcase_add_test(tc, test_colour_on_a_terminal_unless_no_color);
    tcase_add_test(tc, test_output_file_and_determinism);
    tcase_add_test(tc, test_sarif_content_and_multitool);
    tcase_add_test(tc, test_junit_report_and_xmllint);
    tcase_add_test(tc, test_help_names_formats_and_exit_statuses);
    suite_add_tcase(s, tc);
    return s;
}
