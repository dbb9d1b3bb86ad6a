/*
 * mathml: MathML content markup into tc_expr trees, for every language that embeds
 * it (SBML, SED-ML). What differs between languages is described by a
 * tc_mathml_lang: the csymbols it defines, whether documents define functions of
 * their own, and where findings go. Rule ids are the language's namespace and the
 * number both languages use for the problem (10201 not MathML or outside the one
 * expression a <math> holds, 10202 element not allowed, 10205 unknown csymbol, 10207
 * bad <cn>, 10218 wrong arguments, ...).
 */
#ifndef TC_MATHML_H
#define TC_MATHML_H

#include <stdbool.h>
#include <stddef.h>

#include "expr.h"

struct _xmlNode;

/* A csymbol a language defines. */
typedef struct tc_mathml_csymbol {
    const char *url; /* its definitionURL */
    /* TIME and AVOGADRO are values; DELAY, RATE_OF and CALL (a function named by
     * its url) must be applied */
    tc_expr_op op;
    const char *use_rule; /* a rule number reported on every use (superseded), or NULL */
} tc_mathml_csymbol;

/* Receives each finding: `rule` is the full id ("sbml:10218"), `message` one line. */
typedef void tc_mathml_report_fn(void *ctx, const char *rule, long line, const char *message);

typedef struct tc_mathml_lang {
    const char *ns;   /* rule namespace, e.g. "sbml" */
    const char *name; /* the language in messages, e.g. "SBML Level 3 Version 2" */
    const tc_mathml_csymbol *csymbols;
    size_t ncsymbols;
    /* documents define functions (SBML): <apply><ci>f</ci>...</apply> calls one
     * (otherwise 10214) and a <lambda> may head a function definition's math
     * (otherwise it is not in the subset) */
    bool user_functions;
    /* <ci> may carry a definitionURL (otherwise only csymbol and semantics may: 10204) */
    bool ci_definition_url;
    /* <cn> may carry a units attribute in the SBML namespace (10220 elsewhere) */
    bool cn_units;
    /* malformed markup has rules of its own (SBML): unreadable <cn> values by type
     * (99220-99223), constructs applied as operators or misplaced in a piecewise
     * (99219), operators outside an apply (99224), a lambda without a body (99302),
     * a bvar holding something else than a ci (99304); otherwise 10207, 10202, 10218 */
    bool syntax_rules;
    /* eq, gt, lt, geq, leq need two or more arguments and neq exactly two (SED-ML);
     * otherwise one or more */
    bool binary_relations;
    tc_mathml_report_fn *report;
    void *ctx;
} tc_mathml_lang;

/*
 * Read the expression of a <math> element. `in_function`: the math of a function
 * definition, whose top may be a <lambda>. Returns the tree (caller frees with
 * tc_expr_free) or NULL when there is none; the tree is kept as far as it could be
 * read even when findings were reported. *errors (may be NULL) receives how many
 * findings made the tree unreliable (not counting use_rule notes).
 */
tc_expr *tc_mathml_read(const tc_mathml_lang *lang, const struct _xmlNode *math, bool in_function,
                        size_t *errors);

#endif
