/* SBML's MathML: the shared reader (validator/mathml) with the csymbols of the
 * document's level and version, findings going to the SBML output. */
#include <stdio.h>

#include "mathml/mathml.h"
#include "sbml_impl.h"

#define CSYMBOL "http://www.sbml.org/sbml/symbols/"

/* In order of introduction: Level 3 added avogadro, Level 3 Version 2 rateOf. */
static const tc_mathml_csymbol csymbols[] = {
    {CSYMBOL "time", TC_EXPR_TIME, NULL},
    {CSYMBOL "delay", TC_EXPR_DELAY, NULL},
    {CSYMBOL "avogadro", TC_EXPR_AVOGADRO, NULL},
    {CSYMBOL "rateOf", TC_EXPR_RATE_OF, NULL},
};

/* The shared reader knows the MathML, not the SBML element it belongs to: that is added. */
typedef struct math_site {
    const sbml_out *o;
    char where[SBML_DESCRIBE_MAX];
} math_site;

static void report(void *ctx, const char *rule, long line, const char *message)
{
    const math_site *site = ctx;
    sbml_report(site->o, rule, line, "%s (in %s)", message, site->where);
}

tc_expr *sbml_math_read(const sbml_out *o, const xmlNode *math, bool in_function)
{
    int l = o->level, v = o->version;
    char name[48];
    snprintf(name, sizeof(name), "SBML Level %d Version %d", l, v);
    math_site site = {.o = o};
    sbml_describe(site.where, sizeof(site.where), math);
    tc_mathml_lang lang = {
        .ns = "sbml",
        .name = name,
        .csymbols = csymbols,
        .ncsymbols = l < 3 ? 2 : (l == 3 && v < 2 ? 3 : 4),
        .user_functions = true,
        .cn_units = true,
        .ci_definition_url = l > 2 || (l == 2 && v >= 5), /* before L2V5 only csymbol may */
        .syntax_rules = true,
        .report = report,
        .ctx = &site,
    };
    return tc_mathml_read(&lang, math, in_function, NULL);
}
