/*
 * The SBML Test Suite's semantic (time-course) cases through the SBML mapping and
 * both reference integrators:
 *
 *   conformance-sbml-semantic SUITE_DIR [--doc FILE] [--failures-doc FILE]
 *       [--floors FILE] [--jobs N] [--only NNNNN] [--method bdf|rk45] [--verbose]
 *
 * For each case NNNNN with testType TimeCourse: simulate the highest-level model file
 * as NNNNN-settings.txt says and compare with NNNNN-results.csv (a value passes when
 * |expected - simulated| <= absolute + relative |expected|). Each case runs in a
 * forked child with a wall-time limit, N at a time. --doc rewrites the
 * sbml-semantic section of that file, --failures-doc lists every failing case, and
 * --floors makes the exit status 1 when a pass count is below its floor
 * ("sbml-semantic-bdf N", "sbml-semantic-rk45 N").
 */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"
#include "sbml/sbml.h"
#include "solvers.h"

#define MAX_FILE (64L << 20)
#define CASE_WALL_SECONDS 20.0 /* the solver's own limit */
#define CASE_KILL_SECONDS 40   /* the child is killed after this */
#define CASE_MAX_STEPS 200000L

enum { M_BDF, M_RK45, NMETHODS };
static const char *const method_names[NMETHODS] = {"bdf", "rk45"};

typedef struct kase {
    char *name;
    char **ctags, **ttags;
    size_t nctags, nttags;
    bool timecourse;
    bool ok[NMETHODS];
    char *reason[NMETHODS];
    double seconds[NMETHODS];
} kase;

/* ---- small text helpers ---- */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

static char **split(const char *text, size_t *n)
{
    char *t = tc_xstrdup(text), *save = NULL;
    char **out = NULL;
    size_t cap = 0;
    *n = 0;
    for (char *p = strtok_r(t, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *w = trim(p);
        if (!*w)
            continue;
        TC_GROW(out, cap, *n + 1);
        out[(*n)++] = tc_xstrdup(w);
    }
    free(t);
    return out;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

static bool in_list(char **l, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i], s) == 0)
            return true;
    return false;
}

static char *read_text(const char *path)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (tc_read_file(path, MAX_FILE, &data, &len) != 0)
        return NULL;
    return (char *)data;
}

/* ---- the case's description (model.m) ---- */
static void read_tags(kase *k, const char *dir)
{
    char *path = tc_xasprintf("%s/%s/%s-model.m", dir, k->name, k->name);
    char *text = read_text(path);
    free(path);
    if (!text)
        return;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *key = trim(line), *val = trim(colon + 1);
        if (strcmp(key, "componentTags") == 0 && !k->ctags)
            k->ctags = split(val, &k->nctags);
        else if (strcmp(key, "testTags") == 0 && !k->ttags)
            k->ttags = split(val, &k->nttags);
        else if (strcmp(key, "testType") == 0)
            k->timecourse = strcmp(val, "TimeCourse") == 0;
    }
    free(text);
}

/* ---- settings and expected results ---- */
typedef struct settings {
    double start, duration, absolute, relative;
    long steps;
    char **vars, **amount, **conc;
    size_t nvars, namount, nconc;
} settings;

static int read_settings(settings *st, const char *path)
{
    char *text = read_text(path);
    if (!text)
        return -1;
    memset(st, 0, sizeof(*st));
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char *colon = strchr(line, ':');
        if (!colon)
            continue;
        *colon = '\0';
        char *key = trim(line), *val = trim(colon + 1);
        if (strcmp(key, "start") == 0)
            st->start = strtod(val, NULL);
        else if (strcmp(key, "duration") == 0)
            st->duration = strtod(val, NULL);
        else if (strcmp(key, "steps") == 0)
            st->steps = strtol(val, NULL, 10);
        else if (strcmp(key, "absolute") == 0)
            st->absolute = strtod(val, NULL);
        else if (strcmp(key, "relative") == 0)
            st->relative = strtod(val, NULL);
        else if (strcmp(key, "variables") == 0)
            st->vars = split(val, &st->nvars);
        else if (strcmp(key, "amount") == 0)
            st->amount = split(val, &st->namount);
        else if (strcmp(key, "concentration") == 0)
            st->conc = split(val, &st->nconc);
    }
    free(text);
    return 0;
}

typedef struct table {
    char **cols;
    size_t ncols, nrows;
    double *v; /* nrows x ncols */
} table;

static int read_results(table *t, const char *path)
{
    char *text = read_text(path);
    if (!text)
        return -1;
    memset(t, 0, sizeof(*t));
    size_t cap = 0;
    char *save = NULL;
    bool header = true;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (!*trim(line))
            continue;
        size_t n;
        char **f = split(line, &n);
        if (header) {
            t->cols = f;
            t->ncols = n;
            header = false;
            continue;
        }
        if (n == t->ncols) {
            TC_GROW(t->v, cap, (t->nrows + 1) * t->ncols);
            for (size_t j = 0; j < n; j++)
                t->v[t->nrows * t->ncols + j] = strtod(f[j], NULL);
            t->nrows++;
        }
        free_list(f, n);
    }
    free(text);
    return t->ncols ? 0 : -1;
}

static char *model_file(const char *dir, const char *name)
{
    static const char *const suffix[] = {"l3v2", "l3v1", "l2v5", "l2v4", "l2v3",
                                         "l2v2", "l2v1", "l1v2", "l1v1"};
    for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
        char *p = tc_xasprintf("%s/%s/%s-sbml-%s.xml", dir, name, name, suffix[i]);
        if (access(p, R_OK) == 0)
            return p;
        free(p);
    }
    return NULL;
}

static bool close_enough(double want, double got, double abs_tol, double rel_tol)
{
    if (isnan(want))
        return isnan(got);
    if (isinf(want))
        return got == want;
    return fabs(want - got) <= abs_tol + rel_tol * fabs(want);
}

/* Run one case in this process; the verdict is "PASS" or the reason it fails. */
static char *run_case(const char *dir, const char *name, int method)
{
    char *reason = NULL, *spath = tc_xasprintf("%s/%s/%s-settings.txt", dir, name, name);
    char *rpath = tc_xasprintf("%s/%s/%s-results.csv", dir, name, name);
    char *mpath = model_file(dir, name);
    settings st = {0};
    table tab = {0};
    unsigned char *data = NULL;
    size_t len = 0;
    tc_sbml_doc *doc = NULL;
    tc_sbml_sim *sim = NULL;
    tc_system *sys = NULL;
    tc_sim_result *res = NULL;
    tc_sbml_output *outs = NULL;
    tc_findings fs;
    tc_findings_init(&fs);
    if (!mpath || read_settings(&st, spath) != 0 || read_results(&tab, rpath) != 0) {
        reason = tc_xstrdup("case files missing or unreadable");
        goto done;
    }
    if (tc_read_file(mpath, MAX_FILE, &data, &len) != 0 ||
        tc_sbml_read(&doc, data, len, strrchr(mpath, '/') + 1, &fs) != 0) {
        reason = tc_xasprintf("cannot read the model: %s", tc_error_last());
        goto done;
    }
    /* Composed models: the external model files sit beside the case's model. */
    char *case_dir = tc_xstrndup(mpath, (size_t)(strrchr(mpath, '/') - mpath));
    tc_sbml_resolver folder = tc_sbml_resolver_dir(case_dir);
    int flat = tc_sbml_flatten(doc, &folder, &fs);
    free(case_dir);
    if (flat != 0) {
        reason = tc_xasprintf("the composed model cannot be flattened: %s",
                              fs.len ? fs.items[fs.len - 1].message : tc_error_last());
        goto done;
    }
    if (tc_sbml_sim_new(&sim, doc) != 0) {
        reason = tc_xstrdup(tc_error_last());
        goto done;
    }
    outs = tc_xcalloc(tab.ncols, sizeof(*outs));
    for (size_t j = 1; j < tab.ncols; j++) {
        tc_sbml_form form = in_list(st.amount, st.namount, tab.cols[j])  ? TC_SBML_AMOUNT
                            : in_list(st.conc, st.nconc, tab.cols[j]) ? TC_SBML_CONCENTRATION
                                                                       : TC_SBML_NATURAL;
        if (tc_sbml_sim_output(sim, tab.cols[j], form, &outs[j]) != 0) {
            reason = tc_xstrdup(tc_error_last());
            goto done;
        }
    }
    if (tc_system_new(&sys, tc_sbml_sim_model(sim)) != 0) {
        reason = tc_xstrdup(tc_solver_error());
        goto done;
    }
    tc_sim_options opt = TC_SIM_OPTIONS_INIT;
    opt.method = method == M_BDF ? TC_METHOD_BDF : TC_METHOD_DOPRI5;
    opt.t0 = st.start;
    opt.t1 = st.start + st.duration;
    opt.n_steps = st.steps > 0 ? (size_t)st.steps : 1;
    opt.rtol = 1e-9;
    opt.atol = 1e-14;
    opt.max_steps = CASE_MAX_STEPS;
    opt.max_wall_seconds = CASE_WALL_SECONDS;
    int rc = tc_simulate(sys, &opt, &res);
    if (rc != 0) {
        reason = tc_xasprintf("%s: %s", tc_solver_status_name(rc),
                              res ? tc_sim_result_message(res) : tc_solver_error());
        goto done;
    }
    if (tc_sim_result_rows(res) != tab.nrows) {
        reason = tc_xasprintf("%zu rows simulated, %zu expected", tc_sim_result_rows(res),
                              tab.nrows);
        goto done;
    }
    double worst = 0;
    size_t wrow = 0, wcol = 0;
    double wwant = 0, wgot = 0;
    for (size_t i = 0; i < tab.nrows; i++)
        for (size_t j = 1; j < tab.ncols; j++) {
            double want = tab.v[i * tab.ncols + j];
            double got = tc_sbml_output_value(&outs[j], res, i);
            if (close_enough(want, got, st.absolute, st.relative))
                continue;
            double tol = st.absolute + st.relative * fabs(want);
            double excess = isfinite(want) && isfinite(got) ? fabs(want - got) / tol : INFINITY;
            if (!reason || excess > worst) {
                free(reason);
                worst = excess;
                wrow = i;
                wcol = j;
                wwant = want;
                wgot = got;
                reason = tc_xstrdup("");
            }
        }
    if (reason) {
        free(reason);
        reason = tc_xasprintf("%s at t=%g: expected %.10g, simulated %.10g (%.3g times the "
                              "tolerance)",
                              tab.cols[wcol], tab.v[wrow * tab.ncols], wwant, wgot, worst);
    }
done:
    tc_sim_result_free(res);
    tc_system_free(sys);
    tc_sbml_sim_free(sim);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
    free(outs);
    free(data);
    free_list(st.vars, st.nvars);
    free_list(st.amount, st.namount);
    free_list(st.conc, st.nconc);
    free_list(tab.cols, tab.ncols);
    free(tab.v);
    free(spath);
    free(rpath);
    free(mpath);
    return reason ? reason : tc_xstrdup("PASS");
}

/* ---- running cases in children ---- */
typedef struct slot {
    pid_t pid;
    int fd;
    size_t kase;
    int method;
    struct timespec started;
    tc_buf out;
} slot;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + 1e-9 * (double)(t.tv_nsec - t0->tv_nsec);
}

static int start(slot *s, const char *dir, kase *k, size_t index, int method)
{
    int p[2];
    if (pipe(p) != 0)
        return -1;
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        alarm(CASE_KILL_SECONDS);
#ifndef __SANITIZE_ADDRESS__ /* the sanitizer reserves far more address space */
        struct rlimit mem = {.rlim_cur = 2UL << 30, .rlim_max = 2UL << 30};
        setrlimit(RLIMIT_AS, &mem);
#endif
        char *verdict = run_case(dir, k->name, method);
        size_t n = strlen(verdict);
        const char *q = verdict;
        while (n) {
            ssize_t w = write(p[1], q, n);
            if (w <= 0)
                break;
            q += w;
            n -= (size_t)w;
        }
        _exit(0);
    }
    close(p[1]);
    s->pid = pid;
    s->fd = p[0];
    s->kase = index;
    s->method = method;
    clock_gettime(CLOCK_MONOTONIC, &s->started);
    s->out = (tc_buf)TC_BUF_INIT;
    return 0;
}

static void finish(slot *s, kase *cases)
{
    char buf[4096];
    ssize_t n;
    while ((n = read(s->fd, buf, sizeof(buf))) > 0)
        tc_buf_add(&s->out, buf, (size_t)n);
    close(s->fd);
    int status = 0;
    while (waitpid(s->pid, &status, 0) < 0 && errno == EINTR)
        ;
    kase *k = &cases[s->kase];
    k->seconds[s->method] = since(&s->started);
    const char *text = s->out.data ? s->out.data : "";
    if (WIFSIGNALED(status))
        k->reason[s->method] =
            WTERMSIG(status) == SIGALRM
                ? tc_xasprintf("killed after %d s of wall time", CASE_KILL_SECONDS)
                : tc_xasprintf("crashed with signal %d (%s)", WTERMSIG(status),
                               strsignal(WTERMSIG(status)));
    else if (strcmp(text, "PASS") == 0)
        k->ok[s->method] = true;
    else
        k->reason[s->method] = tc_xstrdup(*text ? text : "no verdict from the case");
    tc_buf_release(&s->out);
    s->pid = 0;
}

static void run_all(const char *dir, kase *cases, size_t n, int jobs, const bool *methods)
{
    slot *slots = tc_xcalloc((size_t)jobs, sizeof(*slots));
    size_t next = 0;
    int m = 0, running = 0;
    for (;;) {
        while (running < jobs && next < n) {
            while (m < NMETHODS && !methods[m])
                m++;
            if (m >= NMETHODS) {
                m = 0;
                next++;
                continue;
            }
            if (!cases[next].timecourse) {
                next++;
                continue;
            }
            int free_slot = 0;
            while (slots[free_slot].pid)
                free_slot++;
            if (start(&slots[free_slot], dir, &cases[next], next, m) != 0) {
                cases[next].reason[m] = tc_xstrdup("could not start a child process");
            } else {
                running++;
            }
            m++;
        }
        if (!running)
            break;
        struct pollfd *pf = tc_xcalloc((size_t)jobs, sizeof(*pf));
        for (int i = 0; i < jobs; i++) {
            pf[i].fd = slots[i].pid ? slots[i].fd : -1;
            pf[i].events = POLLIN;
        }
        poll(pf, (nfds_t)jobs, 1000);
        for (int i = 0; i < jobs; i++) {
            if (!slots[i].pid || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t r = read(slots[i].fd, buf, sizeof(buf));
            if (r > 0) {
                tc_buf_add(&slots[i].out, buf, (size_t)r);
                continue;
            }
            finish(&slots[i], cases);
            running--;
        }
        free(pf);
    }
    free(slots);
}

/* ---- reports ---- */
typedef struct tagrow {
    char *tag;
    int total, ok[NMETHODS];
} tagrow;

static void count_tag(tagrow **rows, size_t *n, size_t *cap, const char *tag, const kase *k)
{
    size_t i = 0;
    while (i < *n && strcmp((*rows)[i].tag, tag) != 0)
        i++;
    if (i == *n) {
        TC_GROW(*rows, *cap, *n + 1);
        memset(&(*rows)[i], 0, sizeof(**rows));
        (*rows)[i].tag = tc_xstrdup(tag);
        (*n)++;
    }
    (*rows)[i].total++;
    for (int m = 0; m < NMETHODS; m++)
        (*rows)[i].ok[m] += k->ok[m];
}

static int cmp_tag(const void *a, const void *b)
{
    return strcmp(((const tagrow *)a)->tag, ((const tagrow *)b)->tag);
}

static void tag_table(tc_buf *b, const char *title, const kase *cases, size_t n, bool component)
{
    tagrow *rows = NULL;
    size_t nrows = 0, cap = 0;
    for (size_t i = 0; i < n; i++) {
        const kase *k = &cases[i];
        if (!k->timecourse)
            continue;
        size_t nt = component ? k->nctags : k->nttags;
        char **tags = component ? k->ctags : k->ttags;
        for (size_t j = 0; j < nt; j++)
            count_tag(&rows, &nrows, &cap, tags[j], k);
    }
    qsort(rows, nrows, sizeof(*rows), cmp_tag);
    tc_buf_printf(b, "\n| %s | cases | BDF | RK45 |\n| --- | ---: | ---: | ---: |\n", title);
    for (size_t i = 0; i < nrows; i++) {
        tc_buf_printf(b, "| %s | %d | %d | %d |\n", rows[i].tag, rows[i].total,
                      rows[i].ok[M_BDF], rows[i].ok[M_RK45]);
        free(rows[i].tag);
    }
    free(rows);
}

static int count_ok(const kase *cases, size_t n, int m, int *total)
{
    int ok = 0;
    *total = 0;
    for (size_t i = 0; i < n; i++)
        if (cases[i].timecourse) {
            (*total)++;
            ok += cases[i].ok[m];
        }
    return ok;
}

static char *summary(const kase *cases, size_t n, double seconds)
{
    tc_buf b = TC_BUF_INIT;
    int total, bdf = count_ok(cases, n, M_BDF, &total), rk = count_ok(cases, n, M_RK45, &total);
    int other = 0;
    for (size_t i = 0; i < n; i++)
        other += !cases[i].timecourse;
    tc_buf_printf(&b,
                  "| integrator | time-course cases | passed | %% |\n| --- | ---: | ---: | ---: |\n"
                  "| BDF | %d | %d | %.1f |\n| RK45 (Dormand-Prince) | %d | %d | %.1f |\n",
                  total, bdf, total ? 100.0 * bdf / total : 0, total, rk,
                  total ? 100.0 * rk / total : 0);
    tc_buf_printf(&b,
                  "\n%d cases of other types (flux balance, steady state) are not run. The "
                  "whole run took %.0f s of wall time.\n",
                  other, seconds);
    return tc_buf_detach(&b);
}

static int write_section(const char *path, const char *body)
{
    static const char begin[] = "<!-- sbml-semantic:begin -->",
                      end[] = "<!-- sbml-semantic:end -->";
    char *old = read_text(path);
    if (!old)
        old = tc_xstrdup("# Conformance\n");
    tc_buf b = TC_BUF_INIT;
    char *b0 = strstr(old, begin), *e0 = b0 ? strstr(b0, end) : NULL;
    if (b0 && e0) {
        tc_buf_add(&b, old, (size_t)(b0 - old));
        tc_buf_printf(&b, "%s\n%s%s", begin, body, end);
        tc_buf_puts(&b, e0 + strlen(end));
    } else {
        tc_buf_puts(&b, old);
        tc_buf_printf(&b, "\n%s\n%s%s\n", begin, body, end);
    }
    int rc = tc_write_file(path, b.data, b.len);
    tc_buf_release(&b);
    free(old);
    return rc;
}

static char *failures(const kase *cases, size_t n)
{
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "# SBML Test Suite: cases that do not pass\n\nWritten by `make "
                    "conformance-sbml-semantic` (tests/conformance/sbml_semantic.c); the "
                    "summary is in conformance.md.\n\n| case | integrator | tags | reason |\n"
                    "| --- | --- | --- | --- |\n");
    for (size_t i = 0; i < n; i++) {
        const kase *k = &cases[i];
        if (!k->timecourse)
            continue;
        for (int m = 0; m < NMETHODS; m++) {
            if (k->ok[m] || !k->reason[m])
                continue;
            if (m == M_RK45 && !k->ok[M_BDF] && k->reason[M_BDF] &&
                strcmp(k->reason[M_BDF], k->reason[M_RK45]) == 0) {
                continue; /* said once, under BDF */
            }
            tc_buf_printf(&b, "| %s | %s | ", k->name,
                          m == M_RK45 && !k->ok[M_BDF] ? "rk45" : method_names[m]);
            for (size_t j = 0; j < k->nttags; j++)
                tc_buf_printf(&b, "%s%s", j ? ", " : "", k->ttags[j]);
            tc_buf_puts(&b, " | ");
            for (const char *p = k->reason[m]; *p; p++) {
                if (*p == '|')
                    tc_buf_puts(&b, "\\|");
                else if (*p == '\n')
                    tc_buf_puts(&b, " ");
                else
                    tc_buf_add(&b, p, 1);
            }
            tc_buf_puts(&b, " |\n");
        }
    }
    return tc_buf_detach(&b);
}

static int check_floors(const char *path, const int ok[NMETHODS])
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "conformance-sbml-semantic: cannot read floors %s\n", path);
        return 1;
    }
    char line[256], name[128];
    long floor;
    int below = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || sscanf(line, "%127s %ld", name, &floor) != 2)
            continue;
        for (int m = 0; m < NMETHODS; m++) {
            char want[64];
            snprintf(want, sizeof(want), "sbml-semantic-%s", method_names[m]);
            if (strcmp(name, want) == 0 && ok[m] < floor) {
                fprintf(stderr, "conformance-sbml-semantic: %s is %d, below its floor %ld\n",
                        name, ok[m], floor);
                below++;
            }
        }
    }
    fclose(f);
    return below;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    const char *suites = NULL, *doc = NULL, *fdoc = NULL, *floors = NULL, *only = NULL;
    int jobs = 2;
    bool methods[NMETHODS] = {true, true}, verbose = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--doc") == 0 && i + 1 < argc)
            doc = argv[++i];
        else if (strcmp(argv[i], "--failures-doc") == 0 && i + 1 < argc)
            fdoc = argv[++i];
        else if (strcmp(argv[i], "--floors") == 0 && i + 1 < argc)
            floors = argv[++i];
        else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc)
            only = argv[++i];
        else if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc)
            jobs = atoi(argv[++i]) > 0 ? atoi(argv[i]) : 1;
        else if (strcmp(argv[i], "--method") == 0 && i + 1 < argc) {
            i++;
            methods[M_BDF] = strcmp(argv[i], "bdf") == 0;
            methods[M_RK45] = strcmp(argv[i], "rk45") == 0;
        } else if (strcmp(argv[i], "--verbose") == 0)
            verbose = true;
        else if (argv[i][0] != '-' && !suites)
            suites = argv[i];
        else {
            suites = NULL;
            break;
        }
    }
    if (!suites) {
        fprintf(stderr, "usage: conformance-sbml-semantic SUITES_DIR [--doc FILE] "
                        "[--failures-doc FILE] [--floors FILE] [--jobs N] [--only NNNNN] "
                        "[--method bdf|rk45] [--verbose]\n");
        return 2;
    }
    char *dir = tc_xasprintf("%s/sbml-semantic", suites);
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "conformance-sbml-semantic: cannot open %s\n", dir);
        free(dir);
        return 2;
    }
    char **names = NULL;
    size_t nnames = 0, cap = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (strlen(e->d_name) != 5 || strspn(e->d_name, "0123456789") != 5)
            continue;
        if (only && strcmp(only, e->d_name) != 0)
            continue;
        TC_GROW(names, cap, nnames + 1);
        names[nnames++] = tc_xstrdup(e->d_name);
    }
    closedir(d);
    qsort(names, nnames, sizeof(*names), cmp_str);
    kase *cases = tc_xcalloc(nnames ? nnames : 1, sizeof(*cases));
    for (size_t i = 0; i < nnames; i++) {
        cases[i].name = names[i];
        read_tags(&cases[i], dir);
    }
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    run_all(dir, cases, nnames, jobs, methods);
    double seconds = since(&t0);
    if (verbose)
        for (size_t i = 0; i < nnames; i++)
            for (int m = 0; m < NMETHODS; m++)
                if (cases[i].timecourse && methods[m])
                    printf("%s %s %.2fs %s\n", cases[i].name, method_names[m],
                           cases[i].seconds[m], cases[i].ok[m] ? "PASS" : cases[i].reason[m]);
    char *sum = summary(cases, nnames, seconds);
    fputs(sum, stdout);
    int status = 0;
    if (doc) {
        tc_buf body = TC_BUF_INIT;
        tc_buf_printf(&body,
                      "## SBML Test Suite (semantic cases)\n\n`make conformance-sbml-semantic` "
                      "(tests/conformance/sbml_semantic.c) simulates every time-course case of "
                      "sbml-semantic (the highest-level model file) with both reference "
                      "integrators at rtol 1e-9, atol 1e-14, each case in a child process "
                      "limited to %.0f s and %ld steps, and compares every value with the "
                      "case's results under its own tolerances. Hierarchical (comp) models "
                      "are flattened first, with the external model files of the case's "
                      "folder. Cases that do not pass, with "
                      "the reason: [conformance-sbml-semantic-failures.md]"
                      "(conformance-sbml-semantic-failures.md).\n\n%s",
                      CASE_WALL_SECONDS, CASE_MAX_STEPS, sum);
        tag_table(&body, "component tag", cases, nnames, true);
        tag_table(&body, "test tag", cases, nnames, false);
        if (write_section(doc, body.data) != 0) {
            fprintf(stderr, "conformance-sbml-semantic: %s\n", tc_error_last());
            status = 2;
        }
        tc_buf_release(&body);
    }
    if (fdoc) {
        char *f = failures(cases, nnames);
        if (tc_write_file(fdoc, f, strlen(f)) != 0) {
            fprintf(stderr, "conformance-sbml-semantic: %s\n", tc_error_last());
            status = 2;
        }
        free(f);
    }
    int total, ok[NMETHODS] = {count_ok(cases, nnames, M_BDF, &total),
                               count_ok(cases, nnames, M_RK45, &total)};
    if (floors && !only && check_floors(floors, ok) > 0 && status == 0)
        status = 1;
    free(sum);
    for (size_t i = 0; i < nnames; i++) {
        free(cases[i].name);
        free_list(cases[i].ctags, cases[i].nctags);
        free_list(cases[i].ttags, cases[i].nttags);
        for (int m = 0; m < NMETHODS; m++)
            free(cases[i].reason[m]);
    }
    free(cases);
    free(names);
    free(dir);
    return status;
}
