/* Helpers shared by the SBML unit tests (sbml_testutil.h). */
#include "sbml_testutil.h"

#include <check.h>
#include <stdio.h>
#include <string.h>

#include "sbml/sbml.h"

int tc_test_sbml_validate(const char *text, tc_findings *fs)
{
    tc_findings_init(fs);
    tc_sbml_doc *doc = NULL;
    int rc = tc_sbml_read(&doc, text, strlen(text), "m.xml", fs);
    if (rc == 0) {
        tc_sbml_validate(doc, fs);
        tc_sbml_doc_free(doc);
    }
    return rc;
}

void tc_test_sbml_dump(const tc_findings *fs)
{
    for (size_t i = 0; i < fs->len; i++)
        fprintf(stderr, "  have %s line %ld: %s\n", fs->items[i].rule, fs->items[i].line,
                fs->items[i].message);
}

size_t tc_test_sbml_count(const tc_findings *fs, const char *rule, long line, const char *part)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->len; i++)
        if (strcmp(fs->items[i].rule, rule) == 0 && (line < 0 || fs->items[i].line == line) &&
            strstr(fs->items[i].message, part))
            n++;
    return n;
}

void tc_test_sbml_expect_count(const tc_findings *fs, size_t n, const char *rule, long line,
                               const char *part)
{
    size_t k = tc_test_sbml_count(fs, rule, line, part);
    if (k != n)
        tc_test_sbml_dump(fs);
    ck_assert_msg(k == n, "expected %zu %s on line %ld containing \"%s\", have %zu", n, rule, line,
                  part, k);
}

void tc_test_sbml_expect_n(const char *text, size_t n, const char *rule, long line,
                           const char *part)
{
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    tc_test_sbml_expect_count(&fs, n, rule, line, part);
    tc_findings_release(&fs);
}

void tc_test_sbml_expect_none(const char *text, const char *rule)
{
    tc_test_sbml_expect_n(text, 0, rule, -1, "");
}

void tc_test_sbml_expect_exact(const char *text, const char *rule, long line,
                               const char *message)
{
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    size_t n = 0, same_rule = 0;
    for (size_t i = 0; i < fs.len; i++) {
        if (strcmp(fs.items[i].rule, rule) != 0)
            continue;
        same_rule++;
        if (fs.items[i].line == line && strcmp(fs.items[i].message, message) == 0)
            n++;
    }
    if (n != 1 || same_rule != 1)
        tc_test_sbml_dump(&fs);
    ck_assert_msg(n == 1 && same_rule == 1, "expected one %s on line %ld: \"%s\" (%zu of %zu)",
                  rule, line, message, n, same_rule);
    tc_findings_release(&fs);
}

void tc_test_sbml_simulate(tc_test_sbml_run *r, const char *text, double t1, size_t steps,
                           tc_method method, double atol)
{
    memset(r, 0, sizeof(*r));
    tc_findings_init(&r->fs);
    ck_assert_int_eq(tc_sbml_read(&r->doc, text, strlen(text), "m.xml", &r->fs), 0);
    int rc = tc_sbml_sim_new(&r->sim, r->doc);
    ck_assert_msg(rc == 0, "mapping failed: %s", tc_error_last());
    rc = tc_system_new(&r->sys, tc_sbml_sim_model(r->sim));
    ck_assert_msg(rc == 0, "compilation failed: %s", tc_solver_error());
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = method;
    o.t1 = t1;
    o.n_steps = steps;
    o.rtol = 1e-10;
    o.atol = atol;
    rc = tc_simulate(r->sys, &o, &r->res);
    ck_assert_msg(rc == 0, "simulation failed: %s", r->res ? tc_sim_result_message(r->res) : "");
}

double tc_test_sbml_value(const tc_test_sbml_run *r, const char *id, tc_sbml_form form,
                          size_t row)
{
    tc_sbml_output o;
    ck_assert_int_eq(tc_sbml_sim_output(r->sim, id, form, &o), 0);
    return tc_sbml_output_value(&o, r->res, row);
}

void tc_test_sbml_run_release(tc_test_sbml_run *r)
{
    tc_sim_result_free(r->res);
    tc_system_free(r->sys);
    tc_sbml_sim_free(r->sim);
    tc_sbml_doc_free(r->doc);
    tc_findings_release(&r->fs);
}

char *tc_test_sbml_doubling_functions(int n)
{
    static const char math[] = "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">";
    tc_buf d = TC_BUF_INIT;
    tc_buf_printf(&d,
                  "<listOfFunctionDefinitions><functionDefinition id=\"f0\">%s<lambda><bvar>"
                  "<ci>x</ci></bvar><ci>x</ci></lambda></math></functionDefinition>",
                  math);
    for (int i = 1; i <= n; i++)
        tc_buf_printf(&d,
                      "<functionDefinition id=\"f%d\">%s<lambda><bvar><ci>x</ci></bvar><apply>"
                      "<plus/><apply><ci>f%d</ci><ci>x</ci></apply><apply><ci>f%d</ci><ci>x</ci>"
                      "</apply></apply></lambda></math></functionDefinition>",
                      i, math, i - 1, i - 1);
    tc_buf_puts(&d, "</listOfFunctionDefinitions>");
    return tc_buf_detach(&d);
}
