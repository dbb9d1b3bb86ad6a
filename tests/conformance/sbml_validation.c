/*
 * Conformance runner for SBML validation (make conformance-sbml-validation).
 *
 *   conformance-sbml SUITES_DIR [--doc FILE] [--floors FILE] [--contradictions FILE]
 *                    [--failures]
 *
 * Metric 1, SUITES_DIR/sbml-validation: every RRRRR-fail-NN-MM[-XXXXX].xml must report
 * rule sbml:RRRRR; every RRRRR-pass-00-MM.xml must report no error. Metric 2,
 * SUITES_DIR/sbml-semantic: every *-sbml-l3v2.xml, -l3v1.xml and -l2v4.xml model is valid
 * and must report no error. Prints a table by rule category (the rule's hundreds),
 * rewrites its section of --doc between marker comments, and exits 1 when a count
 * falls below its floor in --floors ("name count" per line).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "sbml/sbml.h"

#define MAX_FILE (64u << 20)
#define NCAT 1000

typedef struct cat {
    int fail_total, fail_ok, pass_total, pass_ok;
} cat;

static cat cats[NCAT];
static int semantic_total, semantic_ok;
static bool show_failures;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted names in a directory (caller frees). */
static char **list_dir(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    size_t cap = 0;
    *n = 0;
    if (!d)
        return NULL;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        TC_GROW(names, cap, *n + 1);
        names[(*n)++] = tc_xstrdup(e->d_name);
    }
    closedir(d);
    if (*n)
        qsort(names, *n, sizeof(*names), cmp_str);
    return names;
}

static void free_list(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

static int comp_total, comp_flat;
static bool in_semantic; /* comp models are counted in sbml-semantic only */

/* Suite files that contradict the specifications or each other (--contradictions FILE, lines
 * "PATH<TAB>REASON"): mostly pass files that were vetted only against their own rule and
 * break another one. They are run and counted like any other file (so they count as
 * failures), and listed with the reason in the report: the validator follows the
 * specification. */
typedef struct contradiction {
    char *file, *reason;
    bool failed; /* the file was run and failed, as its reason says it must */
} contradiction;

static contradiction *exceptions;
static size_t n_exceptions;

static int load_contradictions(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "conformance-sbml: cannot read %s\n", path);
        return -1;
    }
    char line[2048];
    size_t cap = 0;
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *tab = strchr(line, '\t');
        if (line[0] == '#' || !tab)
            continue;
        *tab = '\0';
        TC_GROW(exceptions, cap, n_exceptions + 1);
        exceptions[n_exceptions++] =
            (contradiction){.file = tc_xstrdup(line), .reason = tc_xstrdup(tab + 1)};
    }
    fclose(f);
    return 0;
}

static contradiction *exception_for(const char *path)
{
    for (size_t i = 0; i < n_exceptions; i++) {
        size_t n = strlen(path), m = strlen(exceptions[i].file);
        if (n >= m && strcmp(path + n - m, exceptions[i].file) == 0)
            return &exceptions[i];
    }
    return NULL;
}

/* Counts a failed file that the list explains; returns whether it does. */
static bool explained(const char *path)
{
    contradiction *c = exception_for(path);
    if (c)
        c->failed = true;
    return c != NULL;
}

/* Validate one file; findings into fs. Returns false when it could not be read. A
 * composed (comp) model is flattened first, its external files read from its folder. */
static bool check(const char *path, tc_findings *fs)
{
    unsigned char *data = NULL;
    size_t len = 0;
    if (tc_read_file(path, MAX_FILE, &data, &len) != 0)
        return false;
    tc_sbml_doc *doc = NULL;
    if (tc_sbml_read(&doc, data, len, path, fs) == 0) {
        if (tc_sbml_uses_comp(doc)) {
            char *dir = tc_xstrdup(path), *slash = strrchr(dir, '/');
            if (slash)
                *slash = '\0';
            tc_sbml_resolver r = tc_sbml_resolver_dir(slash ? dir : ".");
            int rc = tc_sbml_flatten(doc, &r, fs);
            comp_total += in_semantic;
            comp_flat += in_semantic && rc == 0;
            free(dir);
        }
        tc_sbml_validate(doc, fs);
        tc_sbml_doc_free(doc);
    }
    free(data);
    return true;
}

/* A finding answers to its own id and to its also-id (libSBML's 905xx for 105xx). */
static bool has_rule(const tc_findings *fs, const char *rule)
{
    for (size_t i = 0; i < fs->len; i++)
        if (tc_finding_is(&fs->items[i], rule))
            return true;
    return false;
}

static size_t count_rule(const tc_findings *fs, const char *rule)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->len; i++)
        n += tc_finding_is(&fs->items[i], rule);
    return n;
}

/* The suite's file names say more than the criterion scores: RRRRR-fail-NN-MM[-XXXXX]
 * expects the rule NN times, and XXXXX as well. Counted for the fail files whose rule
 * is reported, and printed beside the table, not scored. */
static int times_total, times_same, extra_total, extra_found;

static void count_secondary(const char *name, int rule, const tc_findings *fs)
{
    int times = 0, extra = 0;
    char id[16];
    if (sscanf(name, "%*5d-fail-%2d-%*d-%5d.xml", &times, &extra) >= 1 && times > 0) {
        snprintf(id, sizeof(id), "sbml:%05d", rule);
        times_total++;
        times_same += count_rule(fs, id) == (size_t)times;
    }
    if (extra > 0) {
        snprintf(id, sizeof(id), "sbml:%05d", extra);
        extra_total++;
        extra_found += has_rule(fs, id);
    }
}

static const tc_finding *first_error(const tc_findings *fs)
{
    for (size_t i = 0; i < fs->len; i++)
        if (fs->items[i].severity >= TC_ERROR)
            return &fs->items[i];
    return NULL;
}

static void print_findings(const tc_findings *fs)
{
    for (size_t i = 0; i < fs->len && i < 6; i++)
        printf("    %s%s%s %s line %ld: %s\n", fs->items[i].rule, fs->items[i].also ? " also " : "",
               fs->items[i].also ? fs->items[i].also : "", tc_severity_name(fs->items[i].severity),
               fs->items[i].line, fs->items[i].message);
}

static int pass_contradicted, fail_contradicted, semantic_contradicted;

static void report_failure(bool ok, const char *path, const tc_findings *fs)
{
    if (ok || !show_failures)
        return;
    const contradiction *why = exception_for(path);
    printf("FAILED %s\n", path);
    if (why)
        printf("  contradicts the specification: %s\n", why->reason);
    print_findings(fs);
}

static void run_validation(const char *root)
{
    size_t ndirs;
    char **dirs = list_dir(root, &ndirs);
    for (size_t d = 0; d < ndirs; d++) {
        char *dir = tc_xasprintf("%s/%s", root, dirs[d]);
        size_t nfiles;
        char **files = list_dir(dir, &nfiles);
        for (size_t f = 0; f < nfiles; f++) {
            const char *name = files[f];
            int rule;
            char kind[8];
            if (sscanf(name, "%5d-%4[a-z]-", &rule, kind) != 2 || !strstr(name, ".xml"))
                continue;
            bool fail = strcmp(kind, "fail") == 0;
            if (!fail && strcmp(kind, "pass") != 0)
                continue;
            char *path = tc_xasprintf("%s/%s", dir, name);
            tc_findings fs;
            tc_findings_init(&fs);
            bool ok = false;
            if (check(path, &fs)) {
                char id[16];
                snprintf(id, sizeof(id), "sbml:%05d", rule);
                ok = fail ? has_rule(&fs, id) : first_error(&fs) == NULL;
                if (fail && ok)
                    count_secondary(name, rule, &fs);
            }
            cat *c = &cats[(rule / 100) % NCAT];
            if (fail) {
                c->fail_total++;
                c->fail_ok += ok;
                fail_contradicted += !ok && explained(path);
            } else {
                c->pass_total++;
                c->pass_ok += ok;
                pass_contradicted += !ok && explained(path);
            }
            report_failure(ok, path, &fs);
            tc_findings_release(&fs);
            free(path);
        }
        free_list(files, nfiles);
        free(dir);
    }
    free_list(dirs, ndirs);
}

static void run_semantic(const char *root)
{
    size_t ncases;
    char **cases = list_dir(root, &ncases);
    static const char *const suffixes[] = {"-sbml-l3v2.xml", "-sbml-l3v1.xml", "-sbml-l2v4.xml"};
    for (size_t i = 0; i < ncases; i++) {
        for (size_t s = 0; s < 3; s++) {
            char *path = tc_xasprintf("%s/%s/%s%s", root, cases[i], cases[i], suffixes[s]);
            FILE *probe = fopen(path, "rb");
            if (!probe) {
                free(path);
                continue;
            }
            fclose(probe);
            tc_findings fs;
            tc_findings_init(&fs);
            bool ok = check(path, &fs) && first_error(&fs) == NULL;
            semantic_total++;
            semantic_ok += ok;
            semantic_contradicted += !ok && explained(path);
            report_failure(ok, path, &fs);
            tc_findings_release(&fs);
            free(path);
        }
    }
    free_list(cases, ncases);
}

static double pct(int a, int b)
{
    return b ? 100.0 * a / b : 100.0;
}

static char *table(void)
{
    tc_buf b = TC_BUF_INIT;
    int ft = 0, fo = 0, pt = 0, po = 0;
    tc_buf_puts(&b, "| category | fail files | reported | % | pass files | no error | % |\n"
                    "| --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < NCAT; i++) {
        const cat *c = &cats[i];
        if (!c->fail_total && !c->pass_total)
            continue;
        tc_buf_printf(&b, "| %03dxx | %d | %d | %.1f | %d | %d | %.1f |\n", i, c->fail_total,
                      c->fail_ok, pct(c->fail_ok, c->fail_total), c->pass_total, c->pass_ok,
                      pct(c->pass_ok, c->pass_total));
        ft += c->fail_total;
        fo += c->fail_ok;
        pt += c->pass_total;
        po += c->pass_ok;
    }
    tc_buf_printf(&b, "| **all** | %d | %d | %.1f | %d | %d | %.1f |\n", ft, fo, pct(fo, ft), pt,
                  po, pct(po, pt));
    tc_buf_printf(&b,
                  "\nOf the %d pass files that report an error, %d break a rule of the "
                  "specification other than the one they were written for; of the %d fail files "
                  "whose rule is not reported, %d expect what the specification does not say. "
                  "Each is listed below with the reason (from "
                  "tests/conformance/sbml-contradictions.tsv; the run fails when a file listed "
                  "there no longer fails). `make bench` scores libSBML on this suite by the same "
                  "criterion, and counts how many of these pass files libSBML also reports an "
                  "error in (docs/benchmarks.md).\n",
                  pt - po, pass_contradicted, ft - fo, fail_contradicted);
    tc_buf_printf(&b,
                  "\nNot scored, the file names' other expectations: of the %d fail files whose "
                  "rule is reported, %d report it as many times as the name says (-NN-); of the "
                  "%d that name a second id (-XXXXX), %d report it too. Most of the differences "
                  "are follow-on errors libSBML adds to the first one, or a problem reported "
                  "once where libSBML reports each element it touches.\n",
                  times_total, times_same, extra_total, extra_found);
    tc_buf_printf(&b,
                  "\nsbml-semantic: %d of %d valid models report no error (%.1f%%); %d of the "
                  "others contradict the specification (listed below).\n",
                  semantic_ok, semantic_total, pct(semantic_ok, semantic_total),
                  semantic_contradicted);
    tc_buf_puts(&b, "\nSuite files that contradict the specification (counted above as "
                    "failures):\n\n");
    for (size_t i = 0; i < n_exceptions; i++)
        tc_buf_printf(&b, "- %s: %s\n", exceptions[i].file, exceptions[i].reason);
    tc_buf_printf(&b,
                  "\ncomp: %d of %d composed models of sbml-semantic flatten into a core model "
                  "without error.\n",
                  comp_flat, comp_total);
    return tc_buf_detach(&b);
}

static int write_doc(const char *path, const char *tab)
{
    static const char begin[] = "<!-- sbml-validation:begin -->",
                      end[] = "<!-- sbml-validation:end -->";
    unsigned char *old = NULL;
    size_t len = 0;
    tc_buf b = TC_BUF_INIT;
    if (tc_read_file(path, MAX_FILE, &old, &len) != 0) {
        old = (unsigned char *)tc_xstrdup("# Conformance\n\nResults of the conformance runs "
                                          "over the suites in ../shared/testsuites.\n");
        len = strlen((char *)old);
    }
    char *s = (char *)old, *b0 = strstr(s, begin), *e0 = b0 ? strstr(b0, end) : NULL;
    char *section = tc_xasprintf(
        "%s\n## SBML validation\n\n`make conformance-sbml-validation` (tests/conformance/"
        "sbml_validation.c) checks every file of sbml-validation with all checks on: a fail file "
        "counts when its rule is reported (as a finding's rule, or as the id it also answers to: "
        "libSBML's 905xx beside 105xx), a pass file when no error is. Categories are the "
        "rule ids' hundreds.\n\n%s%s",
        begin, tab, end);
    if (b0 && e0) {
        tc_buf_add(&b, s, (size_t)(b0 - s));
        tc_buf_puts(&b, section);
        tc_buf_puts(&b, e0 + strlen(end));
    } else {
        tc_buf_puts(&b, s);
        tc_buf_puts(&b, "\n");
        tc_buf_puts(&b, section);
        tc_buf_puts(&b, "\n");
    }
    int rc = tc_write_file(path, b.data, b.len);
    tc_buf_release(&b);
    free(section);
    free(old);
    return rc;
}

/* Returns the number of counts below their floor. */
static int check_floors(const char *path, int fail_ok, int pass_ok)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "conformance-sbml: cannot read floors %s\n", path);
        return 1;
    }
    char line[256], name[128];
    long floor;
    int below = 0;
    while (fgets(line, sizeof(line), f)) {
        if (line[0] == '#' || sscanf(line, "%127s %ld", name, &floor) != 2)
            continue;
        long have = -1;
        if (strcmp(name, "sbml-validation-fail-passed") == 0)
            have = fail_ok;
        else if (strcmp(name, "sbml-validation-pass-passed") == 0)
            have = pass_ok;
        else if (strcmp(name, "sbml-semantic-passed") == 0)
            have = semantic_ok;
        if (have >= 0 && have < floor) {
            fprintf(stderr, "conformance-sbml: %s is %ld, below its floor %ld\n", name, have,
                    floor);
            below++;
        }
    }
    fclose(f);
    return below;
}

int main(int argc, char **argv)
{
    const char *suites = NULL, *doc = NULL, *floors = NULL, *contradictions = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--doc") == 0 && i + 1 < argc)
            doc = argv[++i];
        else if (strcmp(argv[i], "--floors") == 0 && i + 1 < argc)
            floors = argv[++i];
        else if (strcmp(argv[i], "--contradictions") == 0 && i + 1 < argc)
            contradictions = argv[++i];
        else if (strcmp(argv[i], "--failures") == 0)
            show_failures = true;
        else
            suites = argv[i];
    }
    if (!suites) {
        fprintf(stderr, "usage: conformance-sbml SUITES_DIR [--doc FILE] [--floors FILE] "
                        "[--contradictions FILE] [--failures]\n");
        return 2;
    }
    if (contradictions && load_contradictions(contradictions) != 0)
        return 2;
    char *v = tc_xasprintf("%s/sbml-validation", suites),
         *s = tc_xasprintf("%s/sbml-semantic", suites);
    run_validation(v);
    in_semantic = true;
    run_semantic(s);
    char *tab = table();
    fputs(tab, stdout);
    int status = 0;
    if (doc && write_doc(doc, tab) != 0) {
        fprintf(stderr, "conformance-sbml: %s\n", tc_error_last());
        status = 2;
    }
    int fo = 0, po = 0;
    for (int i = 0; i < NCAT; i++) {
        fo += cats[i].fail_ok;
        po += cats[i].pass_ok;
    }
    if (floors && check_floors(floors, fo, po) > 0)
        status = 1;
    /* an entry whose file now passes (or is gone) no longer explains anything */
    for (size_t i = 0; i < n_exceptions; i++) {
        if (!exceptions[i].failed) {
            fprintf(stderr, "conformance-sbml: %s is listed in %s but did not fail; remove it\n",
                    exceptions[i].file, contradictions);
            status = 1;
        }
        free(exceptions[i].file);
        free(exceptions[i].reason);
    }
    free(exceptions);
    free(tab);
    free(v);
    free(s);
    return status;
}
