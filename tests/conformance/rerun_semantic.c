/*
 * The re-run stage over the SBML Test Suite's semantic cases, as packages:
 *
 *   conformance-rerun-semantic SUITE_DIR [--doc FILE] [--floors FILE] [--only NNNNN]
 *                              [--verbose]
 *
 * For each TimeCourse case: a package is built in a temporary folder from the case
 * (tests/conformance/semantic_case.h) and re-run with the case's absolute and
 * relative tolerances; the case passes when every data set's verdict is `pass`.
 * The expected values come from the suite, not from our code. Each case runs in a
 * forked child with a time limit. --doc rewrites the section between the
 * rerun-semantic markers of FILE; --floors makes the exit status 1 when the pass
 * count is below the floor "rerun-semantic-passed N". The cases that do not pass
 * are grouped by their reason (the first failing data set's, or why the package
 * could not be built) and the groups printed; --verbose prints every case. With
 * TC_RERUN_SEMANTIC_KEEP set in the environment the packages are left in /tmp.
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

/* The reason of a case that did not pass, as a group: the text up to the first
 * quote or digit-bearing detail is kept, so cases with the same cause count together. */
static void put_reason(int fd, const char *why)
{
    if (fd < 0 || !why)
        return;
    size_t n = strlen(why);
    if (n > 400)
        n = 400;
    ssize_t w = write(fd, why, n);
    (void)w;
}

static int run_case(const char *suite, const char *name, int fd)
{
    char dir[] = "/tmp/tc-rerun-sem-XXXXXX";
    if (!mkdtemp(dir))
        return R_SKIP;
    sem_settings st;
    const char *why = NULL;
    int result = R_SKIP;
    if (sem_build(suite, name, dir, &st, &why) != 0) {
        put_reason(fd, why);
    } else {
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
            if (result == R_FAIL)
                put_reason(fd, "no data set was re-run");
            size_t i;
            json_t *e;
            const char *first_fail = NULL, *first_nv = NULL;
            json_array_foreach(r.entries, i, e)
            {
                const char *v = json_string_value(json_object_get(e, "verdict"));
                const char *reason = json_string_value(json_object_get(e, "reason"));
                if (strcmp(v, "fail") == 0) {
                    result = R_FAIL;
                    first_fail = first_fail ? first_fail : reason;
                } else if (strcmp(v, "not-verifiable") == 0) {
                    if (result == R_PASS)
                        result = R_NOTVER;
                    first_nv = first_nv ? first_nv : reason;
                }
            }
            put_reason(fd, result == R_FAIL ? first_fail : result == R_NOTVER ? first_nv : NULL);
            tc_rerun_result_release(&r);
            tc_package_free(pkg);
        }
        tc_findings_release(&fs);
    }
    if (getenv("TC_RERUN_SEMANTIC_KEEP"))
        fprintf(stderr, "%s: package kept in %s\n", name, dir);
    else
        sem_remove(dir);
    return result;
}

/* Run one case in a child; *why receives its reason (caller frees). */
static int fork_case(const char *suite, const char *name, char **why)
{
    int fds[2];
    *why = NULL;
    if (pipe(fds) != 0)
        return R_CRASH;
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        alarm(CASE_SECONDS);
        _exit(run_case(suite, name, fds[1]));
    }
    close(fds[1]);
    char buf[512];
    size_t len = 0;
    ssize_t r;
    while (pid > 0 && len + 1 < sizeof buf && (r = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0)
        len += (size_t)r;
    buf[len] = '\0';
    close(fds[0]);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return R_CRASH;
    int rc = WIFEXITED(status) ? WEXITSTATUS(status) : R_CRASH;
    if (rc == R_CRASH && !len)
        snprintf(buf, sizeof buf, "%s", WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM
                                            ? "timed out"
                                            : "crashed");
    *why = tc_xstrdup(buf);
    return rc;
}

/* A reason as its group: quoted names and numbers are left out. */
static char *group_of(const char *why)
{
    tc_buf b = TC_BUF_INIT;
    for (const char *p = why; *p; p++) {
        if (*p == '\'') {
            const char *q = strchr(p + 1, '\'');
            if (q) {
                tc_buf_puts(&b, "'…'");
                p = q;
                continue;
            }
        }
        if (*p >= '0' && *p <= '9') {
            /* a whole number: digits, decimals, an exponent */
            while (p[1] && (strchr("0123456789.", p[1]) ||
                            ((p[1] == 'e' || p[1] == 'E') &&
                             (strchr("0123456789", p[2] ? p[2] : 'x') ||
                              ((p[2] == '-' || p[2] == '+') && p[3] >= '0' && p[3] <= '9')))))
                p += p[1] == 'e' || p[1] == 'E' ? (p[2] == '-' || p[2] == '+' ? 2 : 1) : 1;
            tc_buf_puts(&b, "N");
            continue;
        }
        if (*p == '|') { /* the groups are also a Markdown table */
            tc_buf_puts(&b, "\\|");
            continue;
        }
        tc_buf_add(&b, p, 1);
    }
    return tc_buf_detach(&b);
}

typedef struct group {
    int result;
    char *key, *example;
    size_t count;
} group;

static int group_cmp(const void *a, const void *b)
{
    const group *x = a, *y = b;
    if (x->result != y->result)
        return x->result - y->result;
    return x->count < y->count ? 1 : x->count > y->count ? -1 : strcmp(x->key, y->key);
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
        fprintf(stderr, "usage: %s SUITE_DIR [--doc FILE] [--floors FILE] [--only NNNNN] [--verbose]\n",
                argv[0]);
        return 2;
    }
    const char *doc = NULL, *floors = NULL, *only = NULL;
    bool verbose = false;
    for (int i = 2; i < argc; i += 2) {
        if (strcmp(argv[i], "--verbose") == 0) {
            verbose = true;
            i--;
            continue;
        }
        if (i + 1 >= argc)
            break;
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
    static const char *const result_names[] = {"pass", "fail", "not built", "not verifiable",
                                               "crashed"};
    group *groups = NULL;
    size_t ngroups = 0, capgroups = 0;
    for (size_t i = 0; i < n; i++) {
        if (!timecourse(suite, names[i]))
            continue;
        char *why = NULL;
        int r = fork_case(suite, names[i], &why);
        if (r > R_CRASH)
            r = R_CRASH;
        counts[r]++;
        total++;
        if (verbose && r != R_PASS)
            printf("%s %s: %s\n", names[i], result_names[r], why);
        if (r != R_PASS) {
            char *key = group_of(why && *why ? why : "(no reason given)");
            group *g = NULL;
            for (size_t k = 0; k < ngroups && !g; k++)
                if (groups[k].result == r && strcmp(groups[k].key, key) == 0)
                    g = &groups[k];
            if (!g) {
                TC_GROW(groups, capgroups, ngroups + 1);
                g = &groups[ngroups++];
                *g = (group){.result = r, .key = key, .example = tc_xstrdup(names[i])};
                key = NULL;
            }
            g->count++;
            free(key);
        }
        free(why);
    }
    qsort(groups, ngroups, sizeof *groups, group_cmp);
    tc_buf reasons = TC_BUF_INIT;
    if (ngroups)
        tc_buf_puts(&reasons, "\n| result | cases | reason (first case) |\n| --- | --- | --- |\n");
    for (size_t k = 0; k < ngroups; k++) {
        tc_buf_printf(&reasons, "| %s | %zu | %s (%s) |\n", result_names[groups[k].result],
                      groups[k].count, groups[k].key, groups[k].example);
        printf("rerun-semantic: %-14s %4zu  %s (%s)\n", result_names[groups[k].result],
               groups[k].count, groups[k].key, groups[k].example);
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
            "| %zu | %zu | %zu | %zu | %zu | %zu |\n"
            "\nWhy the others did not pass, grouped (quoted names and numbers left out):\n%s",
            total, counts[R_PASS], counts[R_FAIL], counts[R_NOTVER], counts[R_SKIP],
            counts[R_CRASH], reasons.data ? reasons.data : "\n(none)\n");
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
    tc_buf_release(&reasons);
    for (size_t k = 0; k < ngroups; k++) {
        free(groups[k].key);
        free(groups[k].example);
    }
    free(groups);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    free(suite);
    return status;
}
