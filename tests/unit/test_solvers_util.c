/* Helpers for the reference-solver tests (see test_solvers.h). */
#include <check.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "test_solvers.h"

typedef struct parser {
    const char *s;
    const char *text;
} parser;

static tc_expr *p_expr(parser *p);

static void skip(parser *p)
{
    while (isspace((unsigned char)*p->s))
        p->s++;
}

static bool accept(parser *p, const char *tok)
{
    skip(p);
    size_t n = strlen(tok);
    if (strncmp(p->s, tok, n) != 0)
        return false;
    p->s += n;
    return true;
}

static void expect(parser *p, const char *tok)
{
    if (!accept(p, tok))
        ck_abort_msg("expected '%s' at '%s' in '%s'", tok, p->s, p->text);
}

static tc_expr *named(const char *name)
{
    if (strcmp(name, "time") == 0)
        return tc_expr_new(TC_EXPR_TIME);
    if (strcmp(name, "pi") == 0)
        return tc_expr_new(TC_EXPR_PI);
    if (strcmp(name, "true") == 0)
        return tc_expr_new(TC_EXPR_TRUE);
    if (strcmp(name, "false") == 0)
        return tc_expr_new(TC_EXPR_FALSE);
    return tc_expr_symbol(name);
}

static tc_expr *call(const char *name)
{
    for (int op = TC_EXPR_LAMBDA; op < TC_EXPR_OP_COUNT; op++)
        if (strcmp(tc_expr_op_name((tc_expr_op)op), name) == 0)
            return tc_expr_new((tc_expr_op)op);
    tc_expr *c = tc_expr_new(TC_EXPR_CALL);
    c->name = strdup(name);
    return c;
}

static tc_expr *p_primary(parser *p)
{
    skip(p);
    if (accept(p, "(")) {
        tc_expr *e = p_expr(p);
        expect(p, ")");
        return e;
    }
    if (isdigit((unsigned char)*p->s) || *p->s == '.') {
        char *end;
        double v = strtod(p->s, &end);
        p->s = end;
        return tc_expr_number(v);
    }
    if (isalpha((unsigned char)*p->s) || *p->s == '_') {
        char name[64];
        size_t n = 0;
        while ((isalnum((unsigned char)*p->s) || *p->s == '_') && n < sizeof name - 1)
            name[n++] = *p->s++;
        name[n] = '\0';
        if (!accept(p, "("))
            return named(name);
        tc_expr *e = call(name);
        if (!accept(p, ")")) {
            do
                tc_expr_add(e, p_expr(p));
            while (accept(p, ","));
            expect(p, ")");
        }
        if (e->op == TC_EXPR_PIECEWISE && e->nargs % 2 == 1)
            e->has_otherwise = true;
        return e;
    }
    ck_abort_msg("unexpected '%s' in '%s'", p->s, p->text);
    return NULL;
}

static tc_expr *p_unary(parser *p);

static tc_expr *p_pow(parser *p)
{
    tc_expr *a = p_primary(p);
    if (accept(p, "^"))
        return tc_expr_add(tc_expr_add(tc_expr_new(TC_EXPR_POWER), a), p_unary(p));
    return a;
}

static tc_expr *p_unary(parser *p)
{
    if (accept(p, "-"))
        return tc_expr_add(tc_expr_new(TC_EXPR_MINUS), p_unary(p));
    return p_pow(p);
}

static tc_expr *p_mul(parser *p)
{
    tc_expr *a = p_unary(p);
    for (;;) {
        tc_expr_op op;
        if (accept(p, "*"))
            op = TC_EXPR_TIMES;
        else if (accept(p, "/"))
            op = TC_EXPR_DIVIDE;
        else
            return a;
        a = tc_expr_add(tc_expr_add(tc_expr_new(op), a), p_unary(p));
    }
}

static tc_expr *p_add(parser *p)
{
    tc_expr *a = p_mul(p);
    for (;;) {
        tc_expr_op op;
        if (accept(p, "+"))
            op = TC_EXPR_PLUS;
        else if (accept(p, "-"))
            op = TC_EXPR_MINUS;
        else
            return a;
        a = tc_expr_add(tc_expr_add(tc_expr_new(op), a), p_mul(p));
    }
}

static tc_expr *p_expr(parser *p)
{
    tc_expr *a = p_add(p);
    static const struct {
        const char *tok;
        tc_expr_op op;
    } rel[] = {{"<=", TC_EXPR_LEQ}, {">=", TC_EXPR_GEQ}, {"==", TC_EXPR_EQ},
               {"!=", TC_EXPR_NEQ}, {"<", TC_EXPR_LT},   {">", TC_EXPR_GT}};
    for (size_t i = 0; i < sizeof rel / sizeof *rel; i++)
        if (accept(p, rel[i].tok))
            return tc_expr_add(tc_expr_add(tc_expr_new(rel[i].op), a), p_add(p));
    return a;
}

tc_expr *tsv_expr(const char *text)
{
    parser p = {text, text};
    tc_expr *e = p_expr(&p);
    skip(&p);
    if (*p.s)
        ck_abort_msg("trailing '%s' in '%s'", p.s, text);
    return e;
}

static tc_origin at(long line)
{
    return (tc_origin){"t.xml", line, NULL};
}

void tsv_var(tc_model *m, const char *name, tc_var_kind kind, double initial, long line)
{
    ck_assert_msg(tc_model_add_variable(m, name, kind, initial, NULL, at(line)) == 0, "%s",
                  tc_solver_error());
}

void tsv_rate(tc_model *m, const char *name, const char *rhs, long line)
{
    ck_assert_msg(tc_model_add_rate(m, name, tsv_expr(rhs), at(line)) == 0, "%s",
                  tc_solver_error());
}

void tsv_assign(tc_model *m, const char *name, const char *rhs, long line)
{
    ck_assert_msg(tc_model_add_assignment(m, name, tsv_expr(rhs), at(line)) == 0, "%s",
                  tc_solver_error());
}

tc_sim_result *tsv_run(const tc_model *m, tc_method method, double rtol, double atol, double t1,
                       size_t n_steps)
{
    tc_system *sys = NULL;
    ck_assert_msg(tc_system_new(&sys, m) == 0, "%s", tc_solver_error());
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.method = method;
    o.rtol = rtol;
    o.atol = atol;
    o.t1 = t1;
    o.n_steps = n_steps;
    tc_sim_result *r = NULL;
    int rc = tc_simulate(sys, &o, &r);
    ck_assert_msg(rc == 0, "simulation failed: %s", tc_solver_error());
    ck_assert_uint_eq(tc_sim_result_rows(r), n_steps + 1);
    tc_system_free(sys);
    return r;
}

double tsv_val(const tc_sim_result *r, size_t row, const char *name)
{
    long c = tc_sim_result_column(r, name);
    ck_assert_msg(c >= 0, "no column '%s'", name);
    return tc_sim_result_value(r, row, (size_t)c);
}

double tsv_last(const tc_sim_result *r, const char *name)
{
    return tsv_val(r, tc_sim_result_rows(r) - 1, name);
}
