/*
 * The re-run stage over the SBML Test Suite's semantic cases, as packages:
 *
 *   conformance-rerun-semantic SUITE_DIR [--doc FILE] [--floors FILE] [--only NNNNN]
 *
 * For each TimeCourse case: a package is built in a temporary folder from the case
 * (tests/conformance/semantic_case.h) and re-run with the case's absolute and
 * relative tolerances; the case passes when every data set's verdict is `pass`.
 * The expected values come from the suite, not from our code. Each case runs in a
 * forked child with a time limit. --doc rewrites the section between the
 * rerun-semantic markers of FILE; --floors makes the exit status 1 when the pass
 * count is below the floor "rerun-semantic-passed N".
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rerun/rerun.h"
#include "semantic_case.h"

#define CASE_SECONDS 60

enum { R_PASS = 0, R_FAIL = 1, R_SKIP = 2, R_NOTVER = 3, R_CRASH = 4 };

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool timecourse(const char *suite, const char *name)
{
    char *path = tc_xasprintf("%s/%s/%s-model.m", suite, name, name);
    unsigned char *data = NULL;
    size_t len = 0;
    bool yes = false;
    if (tc_read_file(path, 1 << 20, &data, &len) == 0) {
        const char *t = strstr((char *)data, "testType:");
        yes = t && strncmp(t + 9 + strspn(t + 9, " \t"), "TimeCourse", 10) == 0;
    }
    free(data);
    free(path);
    return yes;
}

static void remove_dir(const char *dir)
{
    const char *files[] = {"model.xml", "simulation.sedml", "report.csv", "manifest.xml"};
    for (int i = 0; i < 4; i++) {
        char *p = tc_xasprintf("%s/%s", dir, files[i]);
        unlink(p);
        free(p);
    }
    rmdir(dir);
}

static int run_case(const char *suite, const char *name)
{
    char dir[] = "/tmp/tc-rerun-sem-XXXXXX";
    if (!mkdtemp(dir))
        return R_SKIP;
    sem_settings st;
    const char *why = NULL;
    int result = R_SKIP;
    if (sem_build(suite, name, dir, &st, &why) == 0) {
        tc_findings fs;
        tc_findings_init(&fs);
        tc_package *pkg = NULL;
        tc_limits limits = TC_LIMITS_DEFAULT;
        if (tc_package_open(&pkg, dir, &limits, &fs) == 0) {
            tc_rerun_options opt = TC_RERUN_OPTIONS_INIT;
            opt.atol = st.atol;
            opt.rtol = st.rtol;
            opt.max_seconds = 20;
            tc_rerun_result r;
            tc_rerun_result_init(&r);
            tc_rerun_package(pkg, &opt, &fs, &r);
            result = json_array_size(r.entries) ? R_PASS : R_FAIL;
            size_t i;
            json_t *e;
            json_array_foreach(r.entries, i, e)
            {
                const char *v = json_string_value(json_object_get(e, "verdict"));
                if (strcmp(v, "fail") == 0)
                    result = R_FAIL;
                else if (strcmp(v, "not-verifiable") == 0 && result == R_PASS)
                    result = R_NOTVER;
            }
            tc_rerun_result_release(&r);
            tc_package_free(pkg);
        }
        tc_findings_release(&fs);
    }
    remove_dir(dir);
    return result;
}

static int fork_case(const char *suite, const char *name)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(CASE_SECONDS);
        _exit(run_case(suite, name));
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return R_CRASH;
    return WIFEXITED(status) ? WEXITSTATUS(status) : R_CRASH;
}

static long read_floor(const char *path)
{
    FILE *fp = fopen(path, "r");
    char line[256];
    long floor_ = -1;
    while (fp && fgets(line, sizeof line, fp))
        if (strncmp(line, "rerun-semantic-passed ", 22) == 0)
            floor_ = strtol(line + 22, NULL, 10);
    if (fp)
        fclose(fp);
    return floor_;
}

static int write_doc(const char *path, const char *section)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (tc_read_file(path, 16 << 20, &data, &len) != 0)
        return -1;
    const char *begin = "<!-- rerun-semantic:begin -->", *end = "<!-- rerun-semantic:end -->";
    char *b = strstr((char *)data, begin), *e = b ? strstr(b, end) : NULL;
    tc_buf out = TC_BUF_INIT;
    if (b && e) {
        tc_buf_add(&out, data, (size_t)(b - (char *)data));
        tc_buf_printf(&out, "%s\n%s%s", begin, section, e);
    } else {
        tc_buf_printf(&out, "%s\n%s\n%s\n%s\n", (char *)data, begin, section, end);
    }
    int rc = tc_write_file(path, out.data, out.len);
    tc_buf_release(&out);
    free(data);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s SUITE_DIR [--doc FILE] [--floors FILE] [--only NNNNN]\n",
                argv[0]);
        return 2;
    }
    const char *doc = NULL, *floors = NULL, *only = NULL;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--doc") == 0)
            doc = argv[i + 1];
        else if (strcmp(argv[i], "--floors") == 0)
            floors = argv[i + 1];
        else if (strcmp(argv[i], "--only") == 0)
            only = argv[i + 1];
    }
    char *suite = tc_xasprintf("%s/sbml-semantic", argv[1]);
    DIR *d = opendir(suite);
    if (!d) {
        fprintf(stderr, "%s: cannot open %s\n", argv[0], suite);
        return 2;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strlen(e->d_name) == 5 && e->d_name[0] >= '0' && e->d_name[0] <= '9' &&
            (!only || strcmp(only, e->d_name) == 0)) {
            TC_GROW(names, cap, n + 1);
            names[n++] = tc_xstrdup(e->d_name);
        }
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    size_t counts[5] = {0}, total = 0;
    tc_buf failures = TC_BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (!timecourse(suite, names[i]))
            continue;
        int r = fork_case(suite, names[i]);
        counts[r <= R_CRASH ? r : R_CRASH]++;
        total++;
        if (r == R_FAIL || r == R_CRASH)
            tc_buf_printf(&failures, "%s%s", failures.len ? ", " : "", names[i]);
    }
    printf("rerun-semantic: %zu time-course cases: %zu pass, %zu fail, %zu not verifiable, %zu "
           "not built, %zu crashed or timed out\n",
           total, counts[R_PASS], counts[R_FAIL], counts[R_NOTVER], counts[R_SKIP],
           counts[R_CRASH]);
    int status = 0;
    if (doc) {
        char *section = tc_xasprintf(
            "Packages built from the SBML Test Suite's semantic time-course cases (the model, a "
            "SED-ML file written from the case's settings, its `results.csv` as the declared "
            "report), re-run with the case's tolerances (`make conformance-rerun-semantic`):\n\n"
            "| cases | pass | fail | not verifiable | not built | crashed or timed out |\n"
            "| --- | --- | --- | --- | --- | --- |\n"
            "| %zu | %zu | %zu | %zu | %zu | %zu |\n",
            total, counts[R_PASS], counts[R_FAIL], counts[R_NOTVER], counts[R_SKIP],
            counts[R_CRASH]);
        if (write_doc(doc, section) != 0) {
            fprintf(stderr, "%s: cannot rewrite %s\n", argv[0], doc);
            status = 2;
        }
        free(section);
    }
    if (floors) {
        long floor_ = read_floor(floors);
        if (floor_ >= 0 && (long)counts[R_PASS] < floor_) {
            printf("rerun-semantic: %zu passes, below the floor %ld\n", counts[R_PASS], floor_);
            status = 1;
        }
    }
    tc_buf_release(&failures);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(suite);
    return status;
}
