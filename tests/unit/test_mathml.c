/* The shared MathML reader: the same markup read under two language descriptions. */
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "mathml/mathml.h"
#include "parse/parse.h"

typedef struct seen {
    char rule[32];
    long line;
    char message[256];
    int count;
} seen;

/* Keeps the first finding and counts them all. */
static void keep(void *ctx, const char *rule, long line, const char *message)
{
    seen *s = ctx;
    if (s->count++ == 0) {
        snprintf(s->rule, sizeof(s->rule), "%s", rule);
        snprintf(s->message, sizeof(s->message), "%s", message);
        s->line = line;
    }
}

static const tc_mathml_csymbol times[] = {
    {"http://www.sbml.org/sbml/symbols/time", TC_EXPR_TIME, NULL},
    {"http://example.org/#old", TC_EXPR_CALL, "10219"},
};

/* Read `body` (inside <math>, starting on line 2) as a language with functions of its
 * own (`functions`) or one without. */
static tc_expr *read_as(bool functions, const char *body, seen *s, size_t *errors)
{
    char *text =
        tc_xasprintf("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">\n%s</math>", body);
    xmlDocPtr doc = tc_xml_read(text, strlen(text), "m", NULL, NULL);
    ck_assert_ptr_nonnull(doc);
    tc_mathml_lang lang = {
        .ns = functions ? "sbml" : "sedml",
        .name = functions ? "FUN" : "PLAIN",
        .csymbols = times,
        .ncsymbols = 2,
        .user_functions = functions,
        .syntax_rules = functions,
        .binary_relations = !functions,
        .report = keep,
        .ctx = s,
    };
    tc_expr *e = tc_mathml_read(&lang, xmlDocGetRootElement(doc), false, errors);
    xmlFreeDoc(doc);
    free(text);
    return e;
}

static const struct {
    bool functions;
    const char *body;
    const char *rule;
    const char *fragment;
} cases[] = {
    {true, "<apply><ci>f</ci><cn>1</cn></apply>", NULL, NULL},
    {false, "<apply><ci>f</ci><cn>1</cn></apply>", "sedml:10214", "PLAIN math has no user"},
    {true, "<plus/>", "sbml:99224", "must be the first child of <apply>"},
    {false, "<plus/>", "sedml:10202", "<plus> is not in the subset of MathML PLAIN allows"},
    {true, "<cn type=\"integer\">12abc</cn>", "sbml:99221", "'12abc' is not a 32-bit integer"},
    {false, "<cn type=\"integer\">12abc</cn>", "sedml:10207", "'12abc', not a number"},
    {true, "<apply><neq/><cn>1</cn><cn>2</cn><cn>3</cn></apply>", NULL, NULL},
    {false, "<apply><neq/><cn>1</cn><cn>2</cn><cn>3</cn></apply>", "sedml:10218",
     "<neq> takes 2 arguments, not 3"},
    {false, "<ci encoding=\"text\">x</ci>", "sedml:10203", "<ci> may not have an encoding"},
    {true, "<csymbol definitionURL=\"http://example.org/#new\">t</csymbol>", "sbml:10205",
     "not one that FUN defines"},
    {true,
     "<apply><csymbol definitionURL=\"http://www.sbml.org/sbml/symbols/time\">t</csymbol>"
     "<cn>1</cn></apply>",
     "sbml:10218", "is a value, not a function"},
    {false, "<lambda><bvar><ci>x</ci></bvar><ci>x</ci></lambda>", "sedml:10202",
     "<lambda> is not in the subset"},
    {true, "<apply><log/><cn>2</cn><cn>8</cn></apply>", NULL, NULL},
    {true, "<apply><log/><logbase><cn>2</cn></logbase><cn>2</cn><cn>8</cn></apply>",
     "sbml:10218", "<log> takes 1 argument (besides its logbase), not 2"},
};

START_TEST(test_mathml_rules)
{
    seen s = {0};
    size_t errors = 99;
    tc_expr *e = read_as(cases[_i].functions, cases[_i].body, &s, &errors);
    if (!cases[_i].rule) {
        ck_assert_msg(s.count == 0, "case %d: unexpected %s %s", _i, s.rule, s.message);
        ck_assert_uint_eq(errors, 0);
        ck_assert_ptr_nonnull(e);
    } else {
        ck_assert_msg(s.count > 0, "case %d: no finding", _i);
        ck_assert_str_eq(s.rule, cases[_i].rule);
        ck_assert_int_eq(s.line, 2);
        ck_assert_msg(strstr(s.message, cases[_i].fragment), "case %d: message '%s'", _i,
                      s.message);
        ck_assert_uint_gt(errors, 0);
    }
    tc_expr_free(e);
}
END_TEST

/* A superseded csymbol is noted but the tree stays usable. */
START_TEST(test_mathml_use_rule)
{
    seen s = {0};
    size_t errors = 99;
    tc_expr *e = read_as(false,
                         "<apply><csymbol definitionURL=\"http://example.org/#old\">m</csymbol>"
                         "<ci>x</ci></apply>",
                         &s, &errors);
    ck_assert_ptr_nonnull(e);
    ck_assert_str_eq(s.rule, "sedml:10219");
    ck_assert_uint_eq(errors, 0);
    ck_assert_int_eq(e->op, TC_EXPR_CALL);
    ck_assert_str_eq(e->name, "http://example.org/#old");
    tc_expr_free(e);
}
END_TEST

Suite *mathml_suite(void)
{
    Suite *s = suite_create("mathml");
    TCase *tc = tcase_create("read");
    tcase_add_loop_test(tc, test_mathml_rules, 0, (int)(sizeof(cases) / sizeof(cases[0])));
    tcase_add_test(tc, test_mathml_use_rule);
    suite_add_tcase(s, tc);
    return s;
}
