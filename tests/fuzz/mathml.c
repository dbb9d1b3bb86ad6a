/* The MathML reader of validator/mathml, under the SBML description (user
 * functions, the syntax rules) and through the SED-ML one; the tree it returns
 * is copied and printed, which walks all of it. */
#include <libxml/tree.h>

#include "fuzz.h"
#include "mathml/mathml.h"
#include "parse/parse.h"
#include "sedml/sedml.h"

static const tc_mathml_csymbol csymbols[] = {
    {"http://www.sbml.org/sbml/symbols/time", TC_EXPR_TIME, NULL},
    {"http://www.sbml.org/sbml/symbols/delay", TC_EXPR_DELAY, NULL},
    {"http://www.sbml.org/sbml/symbols/avogadro", TC_EXPR_AVOGADRO, NULL},
    {"http://www.sbml.org/sbml/symbols/rateOf", TC_EXPR_RATE_OF, NULL},
};

static void check_report(void *ctx, const char *rule, long line, const char *message)
{
    size_t *n = ctx;
    if (!rule || !tc_rule_find(rule) || !message || line < 0)
        abort();
    (*n)++;
}

static void walk(tc_expr *e)
{
    if (!e)
        return;
    tc_expr *copy = tc_expr_copy(e);
    free(tc_expr_to_string(copy));
    tc_expr_free(copy);
    tc_expr_free(e);
}

TC_FUZZ_TARGET(mathml)
{
    xmlDocPtr doc = tc_xml_read_ex(data, size, "math.xml", NULL, NULL);
    if (!doc)
        return 0;
    xmlNode *root = xmlDocGetRootElement(doc);
    if (root) {
        size_t reports = 0, errors = 0;
        tc_mathml_lang lang = {
            .ns = "sbml",
            .name = "SBML Level 3 Version 2",
            .csymbols = csymbols,
            .ncsymbols = 4,
            .user_functions = true,
            .cn_units = true,
            .ci_definition_url = true,
            .syntax_rules = true,
            .report = check_report,
            .ctx = &reports,
        };
        walk(tc_mathml_read(&lang, root, size % 2 == 0, &errors));
        if (errors > reports)
            abort(); /* every error was reported */
        tc_findings fs;
        tc_findings_init(&fs);
        walk(tc_sedml_mathml(root, "simulation.sedml", &fs));
        tc_findings_release(&fs);
    }
    xmlFreeDoc(doc);
    return 0;
}
