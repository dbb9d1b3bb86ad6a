/* Every fixture under fixtures/GROUP/NAME/ is validated by the built command and
 * its report compared with the hand-written NAME/expected.tsv: each expected
 * finding must be there (rule, file, line, message substring) and nothing else
 * may be an error or worse. fixtures/README.md describes the layout. */
#include <check.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../testutil.h"

#define MAX_FIXTURES 256

static char *fixtures[MAX_FIXTURES]; /* "GROUP/NAME" */
static size_t nfixtures;

static int compare_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool exists(const char *path, bool dir)
{
    struct stat st;
    return stat(path, &st) == 0 && (dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode));
}

static void find_fixtures(void)
{
    static const char *const groups[] = {"broken", "valid"};
    for (size_t g = 0; g < 2; g++) {
        char *root = tc_xasprintf("%s/%s", TC_SOURCE("fixtures"), groups[g]);
        DIR *d = opendir(root);
        struct dirent *e;
        while (d && (e = readdir(d)) && nfixtures < MAX_FIXTURES) {
            char *expected = tc_xasprintf("%s/%s/expected.tsv", root, e->d_name);
            if (e->d_name[0] != '.' && exists(expected, false))
                fixtures[nfixtures++] = tc_xasprintf("%s/%s", groups[g], e->d_name);
            free(expected);
        }
        if (d)
            closedir(d);
        free(root);
    }
    qsort(fixtures, nfixtures, sizeof *fixtures, compare_str);
}

/* The package a fixture folder stands for (see fixtures/README.md). */
static char *fixture_target(const char *fixture)
{
    char *dir = tc_xasprintf("%s/%s", TC_SOURCE("fixtures"), fixture);
    char *path = tc_xasprintf("%s/package.zipspec", dir);
    if (exists(path, false)) {
        const char *built = getenv("TC_FIXTURES");
        free(path);
        path = built ? tc_xasprintf("%s/%s.omex", built, fixture)
                     : tc_xasprintf("%s/%s.omex", TC_SOURCE("build/fixtures"), fixture);
        free(dir);
        return path;
    }
    free(path);
    path = tc_xasprintf("%s/package", dir);
    if (exists(path, true)) {
        free(dir);
        return path;
    }
    free(path);
    path = tc_xasprintf("%s/package.omex", dir);
    if (exists(path, false)) {
        free(dir);
        return path;
    }
    free(path);
    return dir; /* the folder itself is the package */
}

typedef struct expected {
    char *rule, *file, *substring;
    long line; /* 0: none */
} expected;

static size_t read_expected(const char *fixture, expected *out, size_t max)
{
    char *path = tc_xasprintf("%s/%s/expected.tsv", TC_SOURCE("fixtures"), fixture);
    FILE *fp = fopen(path, "r");
    ck_assert_msg(fp != NULL, "cannot read %s", path);
    char line[4096];
    size_t n = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *f[4] = {0};
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            f[i] = p;
            p = i < 3 ? strchr(p, '\t') : NULL;
            if (p)
                *p++ = '\0';
        }
        ck_assert_msg(f[3] != NULL, "%s: a line needs four tab-separated fields: %s", path, line);
        ck_assert_msg(n < max, "%s: too many lines", path);
        out[n].rule = tc_xstrdup(f[0]);
        out[n].file = strcmp(f[1], "-") == 0 ? NULL : tc_xstrdup(f[1]);
        out[n].line = strcmp(f[2], "-") == 0 ? 0 : strtol(f[2], NULL, 10);
        out[n].substring = tc_xstrdup(f[3]);
        n++;
    }
    fclose(fp);
    free(path);
    return n;
}

static const char *str_or_null(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* An expected rule matches a finding's rule or its also-id. */
static bool same_place(const expected *e, json_t *finding)
{
    const char *file = str_or_null(finding, "file");
    const char *also = str_or_null(finding, "also");
    long line = (long)json_integer_value(json_object_get(finding, "line"));
    return (strcmp(e->rule, str_or_null(finding, "rule")) == 0 ||
            (also && strcmp(e->rule, also) == 0)) &&
           ((!e->file && !file) || (e->file && file && strcmp(e->file, file) == 0)) &&
           e->line == line;
}

START_TEST(test_fixture)
{
    const char *fixture = fixtures[_i];
    char *target = fixture_target(fixture);
    expected want[64];
    size_t nwant = read_expected(fixture, want, 64);
    char *out = NULL;
    int status = tc_test_run(&out, "validate", "--format", "json", target, NULL);
    ck_assert_msg(status == 0 || status == 1, "%s: exit status %d (not a report) for %s", fixture,
                  status, target);
    json_error_t err;
    json_t *report = json_loads(out, 0, &err);
    ck_assert_msg(report != NULL, "%s: the report is not JSON: %s", fixture, err.text);
    json_t *findings = json_object_get(report, "findings");
    ck_assert_msg(json_is_array(findings), "%s: the report has no findings array", fixture);

    for (size_t w = 0; w < nwant; w++) {
        bool found = false;
        size_t i;
        json_t *f;
        json_array_foreach(findings, i, f)
        {
            if (same_place(&want[w], f) && strstr(str_or_null(f, "message"), want[w].substring))
                found = true;
        }
        ck_assert_msg(found, "%s: expected %s at %s:%ld with a message containing \"%s\"; got:\n%s",
                      fixture, want[w].rule, want[w].file ? want[w].file : "-", want[w].line,
                      want[w].substring, out);
    }
    size_t i;
    json_t *f;
    json_array_foreach(findings, i, f)
    {
        const char *sev = str_or_null(f, "severity");
        if (strcmp(sev, "error") != 0 && strcmp(sev, "fatal") != 0)
            continue;
        bool wanted = false;
        for (size_t w = 0; w < nwant; w++)
            wanted = wanted || same_place(&want[w], f);
        ck_assert_msg(wanted, "%s: unexpected %s %s at %s:%lld: %s", fixture, sev,
                      str_or_null(f, "rule"), str_or_null(f, "file") ? str_or_null(f, "file") : "-",
                      (long long)json_integer_value(json_object_get(f, "line")),
                      str_or_null(f, "message"));
    }
    for (size_t w = 0; w < nwant; w++) {
        free(want[w].rule);
        free(want[w].file);
        free(want[w].substring);
    }
    json_decref(report);
    free(out);
    free(target);
}
END_TEST

/* The broken set is all there: a fixture folder that loses its expected.tsv
 * must not silently drop out of the run. */
START_TEST(test_broken_fixtures_present)
{
    size_t broken = 0;
    for (size_t i = 0; i < nfixtures; i++)
        broken += strncmp(fixtures[i], "broken/", 7) == 0;
    ck_assert_uint_ge(broken, 12);
}
END_TEST

Suite *fixtures_suite(void)
{
    Suite *s = suite_create("fixtures");
    TCase *tc = tcase_create("fixtures");
    find_fixtures();
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_broken_fixtures_present);
    tcase_add_loop_test(tc, test_fixture, 0, (int)nfixtures);
    suite_add_tcase(s, tc);
    return s;
}
