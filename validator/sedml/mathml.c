/* SED-ML's MathML (section 3.1 of L1V4): the shared reader (validator/mathml) with
 * the csymbols SED-ML defines; a math with any error gives no tree. */
#include <libxml/tree.h>
#include <string.h>

#include "mathml/mathml.h"
#include "parse/parse.h"
#include "sedml.h"

/* Aggregates (superseded by Variable@term) and distributions; they become CALLs
 * named by their definitionURL. */
static const tc_mathml_csymbol csymbols[] = {
    {"http://sed-ml.org/#min", TC_EXPR_CALL, "10219"},
    {"http://sed-ml.org/#max", TC_EXPR_CALL, "10219"},
    {"http://sed-ml.org/#sum", TC_EXPR_CALL, "10219"},
    {"http://sed-ml.org/#product", TC_EXPR_CALL, "10219"},
    {"http://sed-ml.org/functions/#uniform", TC_EXPR_CALL, NULL},
    {"http://sed-ml.org/functions/#normal", TC_EXPR_CALL, NULL},
    {"http://sed-ml.org/functions/#lognormal", TC_EXPR_CALL, NULL},
    {"http://sed-ml.org/functions/#gamma", TC_EXPR_CALL, NULL},
    {"http://sed-ml.org/functions/#poisson", TC_EXPR_CALL, NULL},
};

typedef struct out {
    const char *file;
    tc_findings *fs;
} out;

static void report(void *ctx, const char *rule, long line, const char *message)
{
    const out *o = ctx;
    tc_finding_add(o->fs, rule, (tc_loc){.file = o->file, .line = line}, "%s", message);
}

tc_expr *tc_sedml_mathml(const xmlNode *math, const char *file, tc_findings *fs)
{
    out o = {file, fs};
    if (math->type == XML_ELEMENT_NODE && strcmp((const char *)math->name, "math") == 0 &&
        !xmlFirstElementChild((xmlNode *)math)) {
        tc_finding_add(fs, "sedml:21404", (tc_loc){.file = file, .line = tc_xml_line(math)},
                       "<math> is empty");
        return NULL;
    }
    tc_mathml_lang lang = {
        .ns = "sedml",
        .name = "SED-ML",
        .csymbols = csymbols,
        .ncsymbols = sizeof(csymbols) / sizeof(csymbols[0]),
        .binary_relations = true,
        .ci_definition_url = true,
        .report = report,
        .ctx = &o,
    };
    size_t errors = 0;
    tc_expr *e = tc_mathml_read(&lang, math, false, &errors);
    if (errors) {
        tc_expr_free(e);
        return NULL;
    }
    return e;
}
