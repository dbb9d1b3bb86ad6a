/* MathML consistency (sbml:102xx) and function definitions (sbml:203xx): what the
 * symbols in math refer to, function calls, argument types, rateOf targets. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

typedef enum mtype { T_UNKNOWN = 0, T_NUM, T_BOOL } mtype;

typedef struct scope {
    const tc_sbml_kinetic_law *law; /* local parameters visible */
    const tc_expr *lambda;          /* bound variables visible (inside a function) */
    const tc_sbml_function *function;
    bool strict_types; /* Levels 1-2 and L3V1 type rules apply */
    const char *where; /* the element the math belongs to, for messages */
} scope;

static bool is_bvar(const scope *s, const char *name)
{
    if (!s->lambda || !name)
        return false;
    for (size_t i = 0; i + 1 < s->lambda->nargs; i++)
        if (s->lambda->args[i]->name && strcmp(s->lambda->args[i]->name, name) == 0)
            return true;
    return false;
}

static bool is_local(const scope *s, const char *name)
{
    for (size_t i = 0; s->law && name && i < s->law->nparameters; i++)
        if (s->law->parameters[i].b.id && strcmp(s->law->parameters[i].b.id, name) == 0)
            return true;
    return false;
}

static mtype type_of(const sbml_ctx *c, const tc_expr *e, int depth);

static mtype function_type(const sbml_ctx *c, const char *name, int depth)
{
    const tc_sbml_function *f = sbml_function(c, name);
    if (!f || !f->math.expr || f->math.expr->op != TC_EXPR_LAMBDA || depth > 50)
        return T_UNKNOWN;
    const tc_expr *l = f->math.expr;
    return type_of(c, l->args[l->nargs - 1], depth + 1);
}

static mtype type_of(const sbml_ctx *c, const tc_expr *e, int depth)
{
    if (!e)
        return T_UNKNOWN;
    switch (e->op) {
    case TC_EXPR_TRUE:
    case TC_EXPR_FALSE:
    case TC_EXPR_EQ:
    case TC_EXPR_NEQ:
    case TC_EXPR_GT:
    case TC_EXPR_LT:
    case TC_EXPR_GEQ:
    case TC_EXPR_LEQ:
    case TC_EXPR_AND:
    case TC_EXPR_OR:
    case TC_EXPR_XOR:
    case TC_EXPR_NOT:
    case TC_EXPR_IMPLIES:
        return T_BOOL;
    case TC_EXPR_PIECEWISE:
        return e->nargs ? type_of(c, e->args[0], depth) : T_UNKNOWN;
    case TC_EXPR_CALL:
        return function_type(c, e->name, depth);
    case TC_EXPR_LAMBDA:
        return e->nargs ? type_of(c, e->args[e->nargs - 1], depth) : T_UNKNOWN;
    case TC_EXPR_SYMBOL:
        return T_NUM; /* bound variables are checked where they are used */
    default:
        return T_NUM;
    }
}

static bool is_logical(tc_expr_op op)
{
    return op == TC_EXPR_AND || op == TC_EXPR_OR || op == TC_EXPR_XOR || op == TC_EXPR_NOT ||
           op == TC_EXPR_IMPLIES;
}

static bool is_relational(tc_expr_op op)
{
    return op >= TC_EXPR_EQ && op <= TC_EXPR_LEQ;
}

/* A logical operator that applies directly to the symbol `name` somewhere in e, or
 * TC_EXPR_NUMBER (meaning none). */
static tc_expr_op logical_use(const tc_expr *e, const char *name, int depth)
{
    if (!e || depth > 200)
        return TC_EXPR_NUMBER;
    for (size_t i = 0; i < e->nargs; i++) {
        const tc_expr *a = e->args[i];
        if (is_logical(e->op) && a->op == TC_EXPR_SYMBOL && a->name && strcmp(a->name, name) == 0)
            return e->op;
        tc_expr_op op = logical_use(a, name, depth + 1);
        if (op != TC_EXPR_NUMBER)
            return op;
    }
    return TC_EXPR_NUMBER;
}

/* A call passes its arguments into the function's body: a number given for an argument
 * that the body combines with a logical operator breaks that operator's rule (10209). */
static void call_argument_types(sbml_ctx *c, const scope *s, const tc_expr *e, long at)
{
    const tc_sbml_function *f = sbml_function(c, e->name);
    const tc_expr *l = f ? f->math.expr : NULL;
    if (!l || l->op != TC_EXPR_LAMBDA || l->nargs - 1 != e->nargs)
        return;
    for (size_t i = 0; i < e->nargs; i++) {
        const char *bv = l->args[i]->name;
        if (!bv || type_of(c, e->args[i], 0) != T_NUM)
            continue;
        tc_expr_op op = logical_use(l->args[l->nargs - 1], bv, 0);
        if (op != TC_EXPR_NUMBER)
            sbml_report(&c->out, "sbml:10209", at,
                        "in %s, function \"%s\" is given a number for its argument %s, to "
                        "which it applies <%s>; the arguments of <%s> must be boolean",
                        s->where, e->name, bv, tc_expr_op_name(op), tc_expr_op_name(op));
    }
}

/* Could an algebraic rule be what determines `id`: a variable that is not constant and
 * that no assignment or rate rule (nor, for a species, a reaction) sets? */
static bool algebraic_candidate(const sbml_ctx *c, const char *id)
{
    const sbml_sym *sym = sbml_syms_find(&c->syms, id);
    bool constant = true, l2 = c->doc->level == 2; /* where an unset constant means true */
    if (sym && sym->kind == SBML_PARAMETER) {
        tc_sbml_bool k = ((const tc_sbml_parameter *)sym->obj)->constant;
        constant = k == 1 || (k < 0 && l2);
    }
    if (sym && sym->kind == SBML_COMPARTMENT) {
        tc_sbml_bool k = ((const tc_sbml_compartment *)sym->obj)->constant;
        constant = k == 1 || (k < 0 && l2);
    }
    if (sym && sym->kind == SBML_SPECIES)
        constant = ((const tc_sbml_species *)sym->obj)->constant == 1 ||
                   ((const tc_sbml_species *)sym->obj)->boundary_condition != 1;
    return !constant && !sbml_rule_for(c, id, TC_SBML_RATE) &&
           !sbml_rule_for(c, id, TC_SBML_ASSIGNMENT);
}

typedef struct other_candidate {
    const sbml_ctx *c;
    const char *id;
    bool found;
} other_candidate;

static void find_other_candidate(void *ctx, const char *name)
{
    other_candidate *w = ctx;
    if (!w->found && strcmp(name, w->id) != 0 && algebraic_candidate(w->c, name))
        w->found = true;
}

/* `id` is determined by an algebraic rule when one that reads it has no other variable
 * it could determine; with another candidate, which one it determines is open. */
static bool set_by_algebraic_rule(const sbml_ctx *c, const char *id)
{
    const size_t *in_alg;
    size_t n = sbml_multi_get(&c->ix.algebraic, id, &in_alg);
    if (!n || !algebraic_candidate(c, id))
        return false;
    for (size_t i = 0; i < n; i++) {
        other_candidate w = {c, id, false};
        sbml_expr_symbols(c->m->rules[in_alg[i]].math.expr, find_other_candidate, &w);
        if (!w.found)
            return true;
    }
    return false;
}

/* The csymbols that rule 20304 keeps out of a function definition, which grew by version:
 * time (Level 2 Version 4), delay (Level 2 Version 5), avogadro (Level 3), then delay and
 * rateOf too (Level 3 Version 2). */
static bool csymbol_banned_in_function(const sbml_ctx *c, tc_expr_op op)
{
    int l = c->doc->level, v = c->doc->version;
    switch (op) {
    case TC_EXPR_TIME:
        return l >= 3 || (l == 2 && v >= 4);
    case TC_EXPR_DELAY:
        return (l == 2 && v >= 5) || (l == 3 && v >= 2);
    case TC_EXPR_AVOGADRO:
        return l >= 3;
    case TC_EXPR_RATE_OF:
        return l == 3 && v >= 2;
    default:
        return false;
    }
}

static void walk(sbml_ctx *c, const scope *s, const tc_expr *e, long line, int depth)
{
    if (!e || depth > 1000)
        return;
    long at = e->line > 0 ? e->line : line;
    const sbml_out *o = &c->out;
    switch (e->op) {
    case TC_EXPR_SYMBOL: {
        const char *n = e->name ? e->name : "";
        if (s->lambda) {
            if (!is_bvar(s, n))
                sbml_report(o, "sbml:20304", at,
                            "\"%s\" inside function \"%s\" is not one of its arguments", n,
                            s->function && s->function->b.id ? s->function->b.id : "");
            if (s->function && s->function->b.id && strcmp(s->function->b.id, n) == 0)
                sbml_report(o, "sbml:20303", at, "function \"%s\" refers to itself", n);
            break;
        }
        if (is_local(s, n))
            break;
        const sbml_sym *sym = sbml_syms_find(&c->syms, n);
        if (!sym) {
            /* a local parameter of some other reaction? */
            const size_t *rx;
            bool local_elsewhere = sbml_multi_get(&c->ix.locals, n, &rx) > 0;
            sbml_report(o,
                        c->doc->level == 1 ? "sbml:99129"
                        : local_elsewhere  ? "sbml:10216"
                                           : "sbml:10215",
                        at,
                        local_elsewhere
                            ? "\"%s\" in %s is a local parameter of another reaction's kinetic "
                              "law; only that kinetic law can use it"
                            : "\"%s\" in %s is not the id of a compartment, species, parameter, "
                              "reaction or species reference of the model",
                        n, s->where);
        } else if (sym->kind == SBML_FUNCTION || sym->kind == SBML_EVENT ||
                   (sym->kind == SBML_OTHER && c->doc->level < 3) ||
                   (sym->kind == SBML_SPECIESREF && c->doc->level < 3) ||
                   (sym->kind == SBML_REACTION && c->doc->level < 2)) {
            sbml_report(o, "sbml:10215", at,
                        "\"%s\" in %s names %s, which cannot be used as a value; math may use "
                        "only compartments, species, parameters%s",
                        n, s->where,
                        sym->kind == SBML_FUNCTION     ? "a function definition"
                        : sym->kind == SBML_EVENT      ? "an event"
                        : sym->kind == SBML_REACTION   ? "a reaction"
                        : sym->kind == SBML_SPECIESREF ? "a species reference"
                                                       : "a component",
                        c->doc->level < 2   ? ""
                        : c->doc->level < 3 ? " and reactions"
                                            : ", reactions and species references");
        } else if (sym->kind == SBML_COMPARTMENT && c->doc->level == 2 && c->doc->version == 5) {
            /* Level 2 Version 5 forbids it outright; Level 3 gives such a compartment a
             * value like any other */
            const tc_sbml_compartment *x = sym->obj;
            if (x->spatial_dimensions.set && x->spatial_dimensions.v == 0)
                sbml_report(o, "sbml:10222", at,
                            "compartment \"%s\" in %s has spatialDimensions=\"0\" and so no "
                            "size; its id cannot be used in math",
                            n, s->where);
        }
        break;
    }
    case TC_EXPR_CALL: {
        const tc_sbml_function *f = sbml_function(c, e->name);
        if (s->lambda && s->function && s->function->b.id && e->name &&
            strcmp(s->function->b.id, e->name) == 0) {
            sbml_report(o, "sbml:20303", at, "function \"%s\" calls itself", e->name);
        } else if (!f && c->doc->level == 1) {
            /* Level 1 predefines rate laws (uui, hilli, ...) but not MathML's functions */
            static const char *const mathml_only[] = {
                "factorial", "sec", "csc", "cot", "sinh", "cosh", "tanh", "sech", "csch",
                "coth", "arcsec", "arccsc", "arccot", "arcsinh", "arccosh", "arctanh",
                "arcsech", "arccsch", "arccoth", "piecewise", "delay", "and", "or",
                "xor", "not", "eq", "neq", "gt", "lt", "geq", "leq"};
            for (size_t i = 0; e->name && i < sizeof(mathml_only) / sizeof(mathml_only[0]); i++)
                if (strcmp(e->name, mathml_only[i]) == 0)
                    sbml_report(o, "sbml:99129", at,
                                "%s() in %s is not a function of SBML Level 1 formulas", e->name,
                                s->where);
        } else if (!f) {
            if (c->doc->level > 1)
                sbml_report(o, s->lambda && c->doc->level == 2 ? "sbml:20302" : "sbml:10214", at,
                            "%s applies \"%s\" as a function, but no function definition has "
                            "this id",
                            s->where, e->name ? e->name : "");
        } else if (f->math.expr && f->math.expr->op == TC_EXPR_LAMBDA &&
                   f->math.expr->nargs - 1 != e->nargs) {
            /* 10219 arrived with Level 2 Version 4; before, a function is one more operator
             * whose arguments 10218 counts */
            bool early = c->doc->level < 2 || (c->doc->level == 2 && c->doc->version < 4);
            sbml_report(o, early ? "sbml:10218" : "sbml:10219", at,
                        "function \"%s\" takes %zu argument%s but %s gives it %zu", e->name,
                        f->math.expr->nargs - 1, f->math.expr->nargs == 2 ? "" : "s", s->where,
                        e->nargs);
        } else if (s->lambda && s->function &&
                   (size_t)(f - c->m->functions) > (size_t)(s->function - c->m->functions) &&
                   c->doc->level == 2 && c->doc->version < 4) {
            /* Level 2 Versions 1-3 make a function available only after its definition;
             * Version 4 lifted that (its 20302 no longer applies) */
            sbml_report(o, "sbml:20302", at,
                        "function \"%s\" calls \"%s\", which is defined after it; in SBML Level "
                        "2 Version %d a function may only call functions defined before it",
                        s->function->b.id ? s->function->b.id : "", e->name, c->doc->version);
        }
        break;
    }
    case TC_EXPR_MAX:
    case TC_EXPR_MIN:
    case TC_EXPR_QUOTIENT:
    case TC_EXPR_REM:
    case TC_EXPR_IMPLIES:
        /* MathML operators that SBML's subset gained with Level 3 Version 2 */
        if (c->doc->level < 3 || (c->doc->level == 3 && c->doc->version < 2))
            sbml_report(o, "sbml:10202", at,
                        "<%s> in %s is not in the MathML subset of SBML Level %d Version %d (it "
                        "arrived with Level 3 Version 2)",
                        tc_expr_op_name(e->op), s->where, c->doc->level, c->doc->version);
        break;
    case TC_EXPR_TIME:
        if (s->lambda)
            sbml_report(o, "sbml:99301", at,
                        "function \"%s\" uses the csymbol time; a function definition may only "
                        "use its arguments",
                        s->function && s->function->b.id ? s->function->b.id : "");
        break;
    default:
        break;
    }
    if (s->lambda && csymbol_banned_in_function(c, e->op))
        sbml_report(o, "sbml:20304", at,
                    "function \"%s\" uses the csymbol %s; in SBML Level %d Version %d a function "
                    "definition may only use its arguments, so pass the value in as one",
                    s->function && s->function->b.id ? s->function->b.id : "",
                    tc_expr_op_name(e->op), c->doc->level, c->doc->version);
    switch (e->op) {
    case TC_EXPR_RATE_OF:
        if (e->nargs == 1 && e->args[0]->op == TC_EXPR_SYMBOL && e->args[0]->name) {
            const char *t = e->args[0]->name;
            /* only compartments, parameters (local ones too), species and species references
             * have a rate of change (L3V2 section 3.4.6); a reaction's id already is one */
            const sbml_sym *what = is_local(s, t) ? NULL : sbml_syms_find(&c->syms, t);
            if (what && (what->kind == SBML_REACTION || what->kind == SBML_FUNCTION ||
                         what->kind == SBML_EVENT || what->kind == SBML_OTHER))
                sbml_report(o, "sbml:10223", at,
                            "rateOf(%s) in %s: \"%s\" is %s; rateOf takes the id of a "
                            "compartment, parameter, species or species reference",
                            t, s->where, t,
                            what->kind == SBML_REACTION   ? "a reaction"
                            : what->kind == SBML_FUNCTION ? "a function definition"
                            : what->kind == SBML_EVENT    ? "an event"
                                                          : "a modifier species reference");
            const tc_sbml_rule *ar = sbml_rule_for(c, t, TC_SBML_ASSIGNMENT);
            bool alg = !ar && set_by_algebraic_rule(c, t);
            if (ar || alg)
                sbml_report(o, "sbml:10224", at,
                            "rateOf(%s) in %s: \"%s\" is set by %s, so it has no rate of change", t,
                            s->where, t, ar ? "an assignment rule" : "an algebraic rule");
            const tc_sbml_species *sp = sbml_species(c, t);
            const char *cid = sp && sp->has_only_substance_units != 1 ? sp->compartment : NULL;
            const size_t *cx_alg;
            const sbml_sym *cx = cid ? sbml_syms_find(&c->syms, cid) : NULL;
            /* a compartment an algebraic rule reads, neither constant nor given a rate rule,
             * is one whose size that rule determines */
            bool c_alg = cx && cx->kind == SBML_COMPARTMENT &&
                         ((const tc_sbml_compartment *)cx->obj)->constant != 1 &&
                         sbml_multi_get(&c->ix.algebraic, cid, &cx_alg) > 0 &&
                         !sbml_rule_for(c, cid, TC_SBML_RATE);
            if (cid && sbml_rule_for(c, cid, TC_SBML_ASSIGNMENT))
                sbml_report(o, "sbml:10225", at,
                            "rateOf(%s) in %s: the compartment \"%s\" of this concentration is "
                            "set by an assignment rule, so its rate of change is not defined",
                            t, s->where, cid);
            else if (c_alg)
                sbml_report(o, "sbml:10225", at,
                            "rateOf(%s) in %s: the size of the compartment \"%s\" of this "
                            "concentration is determined by an algebraic rule, so its rate of "
                            "change is not defined",
                            t, s->where, cid);
        }
        break;
    default:
        break;
    }
    if (e->op == TC_EXPR_RATE_OF)
        return; /* its argument is a reference, checked above */
    if (s->strict_types && e->op == TC_EXPR_CALL)
        call_argument_types(c, s, e, at);
    if (s->strict_types && e->op != TC_EXPR_LAMBDA) {
        for (size_t i = 0; i < e->nargs; i++) {
            const tc_expr *a = e->args[i];
            mtype t = type_of(c, a, 0);
            if (s->lambda && a->op == TC_EXPR_SYMBOL)
                continue; /* argument types of functions are unknown */
            if (is_logical(e->op) && t == T_NUM)
                sbml_report(o, "sbml:10209", at, "the arguments of <%s> in %s must be boolean",
                            tc_expr_op_name(e->op), s->where);
            else if (e->op == TC_EXPR_PIECEWISE) {
                bool cond = (i % 2 == 1) && !(e->has_otherwise && i == e->nargs - 1);
                if (cond && t == T_NUM)
                    sbml_report(o, "sbml:10213", at,
                                "the condition of a <piece> in %s must be boolean", s->where);
                else if (!cond && t != T_UNKNOWN && type_of(c, e->args[0], 0) != T_UNKNOWN &&
                         t != type_of(c, e->args[0], 0))
                    sbml_report(o, "sbml:10212", at,
                                "the values of a <piecewise> in %s must all be boolean or all "
                                "numeric",
                                s->where);
            } else if ((e->op == TC_EXPR_EQ || e->op == TC_EXPR_NEQ) && i > 0) {
                mtype t0 = type_of(c, e->args[0], 0);
                if (t != T_UNKNOWN && t0 != T_UNKNOWN && t != t0)
                    sbml_report(o, "sbml:10211", at,
                                "the arguments of <%s> in %s must be all boolean or all numeric",
                                tc_expr_op_name(e->op), s->where);
            } else if (!is_logical(e->op) && e->op != TC_EXPR_EQ && e->op != TC_EXPR_NEQ &&
                       e->op != TC_EXPR_CALL && e->op != TC_EXPR_PIECEWISE && t == T_BOOL)
                sbml_report(o, "sbml:10210", at, "the arguments of <%s> in %s must be numeric",
                            tc_expr_op_name(e->op), s->where);
            else if (is_relational(e->op) && e->op != TC_EXPR_EQ && e->op != TC_EXPR_NEQ &&
                     t == T_BOOL)
                sbml_report(o, "sbml:10210", at, "the arguments of <%s> in %s must be numeric",
                            tc_expr_op_name(e->op), s->where);
        }
    }
    if (e->op == TC_EXPR_NUMBER && e->units) {
        if (c->doc->level < 3)
            sbml_report(o, "sbml:99225", at,
                        "a units attribute on <cn> in %s: SBML allows one only from Level 3 on, "
                        "not in Level %d",
                        s->where, c->doc->level);
        else if (!sbml_is_sid(e->units))
            sbml_report(o, "sbml:10311", at,
                        "units=\"%s\" on <cn> in %s is not a valid UnitSId (a letter or _, then "
                        "letters, digits or _)",
                        e->units, s->where);
        else if (!sbml_is_base_unit(e->units, c->doc->level, c->doc->version) &&
                 !sbml_unitdef(c, e->units))
            sbml_report(o, "sbml:10221", at,
                        "units=\"%s\" on <cn> in %s names no unit definition or base unit",
                        e->units, s->where);
    }
    for (size_t i = 0; i < e->nargs; i++)
        walk(c, s, e->args[i], at, depth + 1);
}

static void check(sbml_ctx *c, const tc_sbml_math *m, const tc_sbml_kinetic_law *law, mtype want,
                  const char *want_rule, const void *node)
{
    if (!m->expr)
        return;
    bool strict = c->doc->level < 3 || (c->doc->level == 3 && c->doc->version == 1);
    char what[SBML_DESCRIBE_MAX];
    sbml_describe(what, sizeof(what), node);
    scope s = {.law = law, .strict_types = strict, .where = what};
    walk(c, &s, m->expr, m->line, 0);
    if (strict && want != T_UNKNOWN) {
        mtype t = type_of(c, m->expr, 0);
        if (t != T_UNKNOWN && t != want)
            sbml_report(&c->out, want_rule, m->line, "the math of %s must be %s", what,
                        want == T_BOOL ? "boolean" : "numeric");
    }
}

/* The element child of n named `name` in any namespace, or NULL. */
static const xmlNode *child_named(const xmlNode *n, const char *name)
{
    for (const xmlNode *x = n ? n->children : NULL; x; x = x->next)
        if (x->type == XML_ELEMENT_NODE && strcmp((const char *)x->name, name) == 0)
            return x;
    return NULL;
}

/* A lambda whose body is an <apply> with nothing in it returns neither a number nor a
 * boolean (20305; the reader has reported the empty apply itself). */
static void empty_body(sbml_ctx *c, const tc_sbml_function *f)
{
    const xmlNode *math = child_named(f->b.node, "math"), *body = NULL;
    const xmlNode *lambda = child_named(math, "lambda");
    if (!lambda) /* MathML may wrap it in <semantics> */
        lambda = child_named(child_named(math, "semantics"), "lambda");
    for (const xmlNode *x = lambda ? lambda->children : NULL; x; x = x->next)
        if (x->type == XML_ELEMENT_NODE && strcmp((const char *)x->name, "bvar") != 0)
            body = x;
    if (!body || strcmp((const char *)body->name, "apply") != 0)
        return;
    for (const xmlNode *x = body->children; x; x = x->next)
        if (x->type == XML_ELEMENT_NODE)
            return;
    sbml_report(&c->out, "sbml:20305", (long)xmlGetLineNo(body),
                "function \"%s\" returns an empty <apply>, which is neither a number nor a "
                "boolean",
                f->b.id ? f->b.id : "");
}

/* ---- functions that call themselves through others (20303) ---- */
typedef struct call_graph {
    size_t **callees; /* function -> indexes of the functions its body calls */
    size_t *ncallees, *cap;
    unsigned char *state; /* 0 not visited, 1 on the current path, 2 done */
    size_t *path;         /* the current path, for the message */
    size_t npath;
} call_graph;

static void collect_calls(const sbml_ctx *c, call_graph *g, size_t from, const tc_expr *e,
                          int depth)
{
    if (!e || depth > 1000)
        return;
    const tc_sbml_function *f = e->op == TC_EXPR_CALL ? sbml_function(c, e->name) : NULL;
    size_t to = f ? (size_t)(f - c->m->functions) : 0;
    if (f && to != from) { /* a direct self-call is reported where it is written */
        TC_GROW(g->callees[from], g->cap[from], g->ncallees[from] + 1);
        g->callees[from][g->ncallees[from]++] = to;
    }
    for (size_t i = 0; i < e->nargs; i++)
        collect_calls(c, g, from, e->args[i], depth + 1);
}

static void visit_calls(sbml_ctx *c, call_graph *g, size_t i)
{
    if (g->npath >= 1000) /* deeper call chains than this are not followed */
        return;
    g->state[i] = 1;
    g->path[g->npath++] = i;
    for (size_t k = 0; k < g->ncallees[i]; k++) {
        size_t j = g->callees[i][k];
        if (g->state[j] == 0) {
            visit_calls(c, g, j);
        } else if (g->state[j] == 1) {
            /* i calls j, which is on the path that led to i: a cycle from j to i and back */
            tc_buf chain = TC_BUF_INIT;
            size_t from = g->npath;
            while (from > 0 && g->path[from - 1] != j)
                from--;
            from = from > 0 ? from - 1 : 0; /* start the chain at j itself */
            for (size_t p = from; p < g->npath; p++)
                tc_buf_printf(&chain, "\"%s\" calls ", c->m->functions[g->path[p]].b.id);
            const tc_sbml_function *fj = &c->m->functions[j];
            sbml_report(&c->out, "sbml:20303", fj->math.line,
                        "function \"%s\" calls itself through other functions (%s\"%s\"); SBML "
                        "functions may not be recursive",
                        fj->b.id, chain.data, fj->b.id);
            tc_buf_release(&chain);
        }
    }
    g->npath--;
    g->state[i] = 2;
}

static void check_recursion(sbml_ctx *c)
{
    size_t n = c->m->nfunctions;
    if (n < 2)
        return;
    call_graph g = {0};
    g.callees = tc_xcalloc(n, sizeof(*g.callees));
    g.ncallees = tc_xcalloc(n, sizeof(*g.ncallees));
    g.cap = tc_xcalloc(n, sizeof(*g.cap));
    g.state = tc_xcalloc(n, 1);
    g.path = tc_xcalloc(n, sizeof(*g.path));
    for (size_t i = 0; i < n; i++) {
        const tc_expr *l = c->m->functions[i].math.expr;
        if (c->m->functions[i].b.id && l && l->op == TC_EXPR_LAMBDA)
            collect_calls(c, &g, i, l->args[l->nargs - 1], 0);
    }
    for (size_t i = 0; i < n; i++)
        if (g.state[i] == 0)
            visit_calls(c, &g, i);
    for (size_t i = 0; i < n; i++)
        free(g.callees[i]);
    free(g.callees);
    free(g.ncallees);
    free(g.cap);
    free(g.state);
    free(g.path);
}

static void check_functions(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    bool strict = c->doc->level < 3 || (c->doc->level == 3 && c->doc->version == 1);
    for (size_t i = 0; i < m->nfunctions; i++) {
        const tc_sbml_function *f = &m->functions[i];
        const tc_expr *l = f->math.expr;
        empty_body(c, f);
        /* Level 2 Versions 1-2 want the <lambda> itself; a <semantics> around it came with
         * Version 3 */
        const xmlNode *sem = child_named(child_named(f->b.node, "math"), "semantics");
        if (sem && c->doc->level == 2 && c->doc->version < 3)
            sbml_report(&c->out, "sbml:20301", (long)xmlGetLineNo(sem),
                        "the math of function definition \"%s\" must be a <lambda>; SBML Level "
                        "2 Version %d does not allow a <semantics> around it",
                        f->b.id ? f->b.id : "", c->doc->version);
        if (!l) {
            continue;
        }
        if (l->op != TC_EXPR_LAMBDA) {
            sbml_report(&c->out, "sbml:20301", f->math.line,
                        "the math of function definition \"%s\" must be a <lambda>",
                        f->b.id ? f->b.id : "");
            continue;
        }
        char where[SBML_DESCRIBE_MAX];
        scope s = {.lambda = l,
                   .function = f,
                   .strict_types = strict,
                   .where = sbml_describe(where, sizeof(where), f->b.node)};
        const tc_expr *body = l->args[l->nargs - 1];
        walk(c, &s, body, f->math.line, 0);
    }
    check_recursion(c);
}

void sbml_check_math(sbml_ctx *c)
{
    const tc_sbml_model *m = c->m;
    check_functions(c);
    for (size_t i = 0; i < m->ninitial_assignments; i++)
        check(c, &m->initial_assignments[i].math, NULL, T_NUM, "sbml:10217",
              m->initial_assignments[i].b.node);
    for (size_t i = 0; i < m->nrules; i++)
        check(c, &m->rules[i].math, NULL, T_NUM, "sbml:10217", m->rules[i].b.node);
    for (size_t i = 0; i < m->nconstraints; i++)
        check(c, &m->constraints[i].math, NULL, T_BOOL, "sbml:21001", m->constraints[i].b.node);
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        if (r->kinetic_law)
            check(c, &r->kinetic_law->math, r->kinetic_law, T_NUM, "sbml:10217",
                  r->kinetic_law->b.node);
        for (size_t j = 0; j < r->nreactants; j++)
            check(c, &r->reactants[j].stoichiometry_math, NULL, T_NUM, "sbml:10217",
                  r->reactants[j].b.node);
        for (size_t j = 0; j < r->nproducts; j++)
            check(c, &r->products[j].stoichiometry_math, NULL, T_NUM, "sbml:10217",
                  r->products[j].b.node);
    }
    for (size_t i = 0; i < m->nevents; i++) {
        const tc_sbml_event *e = &m->events[i];
        if (e->trigger)
            check(c, &e->trigger->math, NULL, T_BOOL, "sbml:21202", e->trigger->b.node);
        if (e->delay)
            check(c, &e->delay->math, NULL, T_NUM, "sbml:10217", e->delay->b.node);
        if (e->priority)
            check(c, &e->priority->math, NULL, T_NUM, "sbml:10217", e->priority->b.node);
        for (size_t j = 0; j < e->nassignments; j++)
            check(c, &e->assignments[j].math, NULL, T_NUM, "sbml:10217", e->assignments[j].b.node);
    }
}
