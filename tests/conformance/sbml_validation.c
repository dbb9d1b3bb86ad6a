/*
 * Conformance runner for SBML validation (make conformance-sbml-validation).
 *
 *   conformance-sbml SUITES_DIR [--doc FILE] [--floors FILE] [--failures]
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

/* Suite files that contradict the specifications or each other: mostly pass files that were
 * vetted only against their own rule and break another one. They are run and counted like any other
 * file (so they count as failures), and listed with the reason in the report: the
 * validator follows the specification. */
static const struct {
    const char *file, *reason;
} exceptions[] = {
    {"sbml-semantic/00959/00959-sbml-l3v1.xml",
     "areaUnits=\"area\" names no unit definition; Level 3 has no predefined \"area\" (rule 10313)"},
    {"sbml-semantic/00959/00959-sbml-l3v2.xml",
     "areaUnits=\"area\" names no unit definition; Level 3 has no predefined \"area\" (rule 10313)"},
    {"sbml-semantic/01167/01167-sbml-l3v1.xml",
     "its external file enzyme_identical-l3v1.xml names source=\"enzyme_model.xml\", which the "
     "case does not contain (comp-20304)"},
    {"sbml-semantic/01168/01168-sbml-l3v1.xml",
     "its external file enzyme_identical-l3v1.xml names source=\"enzyme_model.xml\", which the "
     "case does not contain (comp-20304)"},
    {"sbml-identifier-constraints/10304-pass-00-07.xml",
     "a Level 3 Version 1 rule or assignment without <math>, which that version requires (the suite's 20907, 21213, 20804 and 21130 fail files say so)"},
    {"sbml-identifier-constraints/10305-pass-00-09.xml",
     "a Level 3 Version 1 rule or assignment without <math>, which that version requires (the suite's 20907, 21213, 20804 and 21130 fail files say so)"},
    {"sbml-identifier-constraints/10305-pass-00-10.xml",
     "a Level 3 Version 1 rule or assignment without <math>, which that version requires (the suite's 20907, 21213, 20804 and 21130 fail files say so)"},
    {"sbml-identifier-constraints/10306-pass-00-05.xml",
     "a Level 3 Version 1 rule or assignment without <math>, which that version requires (the suite's 20907, 21213, 20804 and 21130 fail files say so)"},
    {"sbml-identifier-constraints/10308-pass-00-08.xml",
     "a Level 3 Version 1 rule or assignment without <math>, which that version requires (the suite's 20907, 21213, 20804 and 21130 fail files say so)"},
    {"sbml-sbo-constraints/10718-pass-00-01.xml",
     "a Level 3 Version 1 rule or assignment without <math>, which that version requires (the suite's 20907, 21213, 20804 and 21130 fail files say so)"},
    {"sbml-general-consistency-constraints/20223-pass-00-01.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"sbml-general-consistency-constraints/20223-pass-00-02.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"sbml-general-consistency-constraints/20226-pass-00-02.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"sbml-general-consistency-constraints/20226-pass-00-03.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"sbml-general-consistency-constraints/20231-pass-00-01.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"sbml-general-consistency-constraints/20231-pass-00-02.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"sbml-general-consistency-constraints/20903-pass-00-25.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"sbml-mathml-constraints/10223-pass-00-02.xml",
     "Level 3 names \"substance\" or \"volume\" as units without defining them; Level 3 predefines no such units (rule 10313)"},
    {"libsbml-constraints/99502-pass-00-06.xml",
     "applies <ci>acosh</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"libsbml-constraints/99502-pass-00-07.xml",
     "applies <ci>acosh</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"libsbml-constraints/99504-pass-00-21.xml",
     "applies <ci>nthroot</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"libsbml-constraints/99504-pass-00-22.xml",
     "applies <ci>nthroot</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"libsbml-constraints/99504-pass-00-23.xml",
     "applies <ci>nthroot</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"libsbml-constraints/99504-pass-00-24.xml",
     "applies <ci>nthroot</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"libsbml-constraints/99504-pass-00-25.xml",
     "applies <ci>nthroot</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"libsbml-constraints/99504-pass-00-26.xml",
     "applies <ci>nthroot</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"sbml-unit-constraints/10551-pass-00-30.xml",
     "function definition \"rateOf\" uses the rateOf csymbol in its body, which Level 3 Version 2 forbids (rule 20304); the file exercises unit checks only"},
    {"libsbml-constraints/99504-pass-00-28.xml",
     "applies <ci>nthroot</ci>, which no function definition defines (rule 10214); the file exercises unit checks only"},
    {"sbml-general-consistency-constraints/20229-pass-00-03.xml",
     "its assignment rule reads \"c\", which the model does not define (rule 10215)"},
    {"sbml-general-consistency-constraints/21123-pass-00-10.xml",
     "its kinetic law reads \"k1\", \"X0\" and \"cell\", which the model does not define (rule 10215)"},
    {"sbml-identifier-constraints/10311-pass-00-05.xml",
     "an event assigns a Level 2 parameter without a constant attribute, so constant by default (rule 21212)"},
    {"sbml-identifier-constraints/10313-pass-00-06.xml",
     "a constant species that is not a boundary species is a reactant (rule 20611)"},
    {"sbml-mathml-constraints/10208-pass-00-01.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10208-pass-00-02.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10208-pass-00-09.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10208-pass-00-12.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10208-pass-00-14.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10210-pass-00-02.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10210-pass-00-04.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10210-pass-00-08.xml",
     "the initial assignment of \"z\" reads \"z\": a circular definition (rule 20906; the suite's 20906 fail files say so)"},
    {"sbml-mathml-constraints/10214-pass-00-03.xml",
     "Level 2 Version 1: an assignment rule sets a parameter without a constant attribute, so constant by default (rule 20903)"},
    {"sbml-mathml-constraints/10215-pass-00-14.xml",
     "the kinetic law of reaction \"R\" is rateOf of its own reactant (rule 20912)"},
    {"sbml-mathml-constraints/10216-pass-00-12.xml",
     "a Level 2 rate rule reads a species reference's id, which Level 2 math may not use (rule 10215)"},
    {"sbml-mathml-constraints/10225-pass-00-01.xml",
     "the algebraic rule p2 + 2 = 0 involves only a constant, so it determines nothing and the model is over-determined (rule 10601)"},
    {"sbml-modeling-practice-constraints/80501-pass-00-01.xml",
     "Level 2 Version 1: an assignment rule sets a compartment without a constant attribute, so constant by default (rule 20903; the L2V4 and L2V5 texts of 20903 cite L2V1 section 4.8.4)"},
    {"sbml-notes-constraints/10804-pass-00-13.xml",
     "<notes> holds an element outside the XHTML namespace (rule 10801)"},
    {"sbml-notes-constraints/10804-pass-00-24.xml",
     "<notes> holds an element outside the XHTML namespace (rule 10801)"},
    {"sbml-unit-constraints/10541-pass-00-15.xml",
     "<divide> with one argument (rule 10218)"},
    {"sbml-unit-constraints/20509-pass-00-201.xml",
     "Level 1 has no spatialDimensions attribute on <compartment> (rule 10103)"},
    {"libsbml-constraints/99404-fail-01-06.xml",
     "expects a dcterms:modified date in the model history, which L2V4 and L2V5 section 6.6 allow zero or more of"},
    {"sbml-general-consistency-constraints/21173-fail-01-04.xml",
     "a Level 3 Version 1 file; rule 21173 exists only from Level 3 Version 2 (the local parameter shadowing a species is warned about as 81121)"},
    {"sbml-mathml-constraints/10218-fail-01-09.xml",
     "an empty <piecewise>, which MathML 2.0 and SBML's MathML schema allow; no rule makes it an error"},
    {"sbml-mathml-constraints/10218-fail-01-10.xml",
     "an empty <piecewise>, which MathML 2.0 and SBML's MathML schema allow; no rule makes it an error"},
    {"sbml-unit-constraints/10513-fail-01-15-99508.xml",
     "an empty unit definition is the same as an undefined unit (L3V2 section 4.4), so 10513 has no units to compare; 99508 is reported"},
    {"sbml-xml-constraints/10103-fail-02-13.xml",
     "a Level 2 <kineticLaw> without <math>, which the schema requires; but 149 of the suite's Level 2 pass files leave out the math of a rule, assignment or kinetic law, so missing math is reported as the warning 99509, not as an error"},
    {"sbml-xml-constraints/10103-fail-02-14.xml",
     "a Level 2 <kineticLaw> without <math>, which the schema requires; but 149 of the suite's Level 2 pass files leave out the math of a rule, assignment or kinetic law, so missing math is reported as the warning 99509, not as an error"},
    {"sbml-xml-constraints/10103-fail-02-15.xml",
     "a Level 2 <kineticLaw> without <math>, which the schema requires; but 149 of the suite's Level 2 pass files leave out the math of a rule, assignment or kinetic law, so missing math is reported as the warning 99509, not as an error"},
};

static const char *exception_for(const char *path)
{
    for (size_t i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++) {
        size_t n = strlen(path), m = strlen(exceptions[i].file);
        if (n >= m && strcmp(path + n - m, exceptions[i].file) == 0)
            return exceptions[i].reason;
    }
    return NULL;
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
    const char *why = exception_for(path);
    printf("FAILED %s\n", path);
    if (why)
        printf("  contradicts the specification: %s\n", why);
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
            }
            cat *c = &cats[(rule / 100) % NCAT];
            if (fail) {
                c->fail_total++;
                c->fail_ok += ok;
                fail_contradicted += !ok && exception_for(path);
            } else {
                c->pass_total++;
                c->pass_ok += ok;
                pass_contradicted += !ok && exception_for(path);
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
            semantic_contradicted += !ok && exception_for(path);
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
                  "Each is listed below with the reason.\n",
                  pt - po, pass_contradicted, ft - fo, fail_contradicted);
    tc_buf_printf(&b,
                  "\nsbml-semantic: %d of %d valid models report no error (%.1f%%); %d of the "
                  "others contradict the specification (listed below).\n",
                  semantic_ok, semantic_total, pct(semantic_ok, semantic_total),
                  semantic_contradicted);
    tc_buf_puts(&b, "\nSuite files that contradict the specification (counted above as "
                    "failures):\n\n");
    for (size_t i = 0; i < sizeof(exceptions) / sizeof(exceptions[0]); i++)
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
    const char *suites = NULL, *doc = NULL, *floors = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--doc") == 0 && i + 1 < argc)
            doc = argv[++i];
        else if (strcmp(argv[i], "--floors") == 0 && i + 1 < argc)
            floors = argv[++i];
        else if (strcmp(argv[i], "--failures") == 0)
            show_failures = true;
        else
            suites = argv[i];
    }
    if (!suites) {
        fprintf(stderr, "usage: conformance-sbml SUITES_DIR [--doc FILE] [--floors FILE] "
                        "[--failures]\n");
        return 2;
    }
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
    free(tab);
    free(v);
    free(s);
    return status;
}
