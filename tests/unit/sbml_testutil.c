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
