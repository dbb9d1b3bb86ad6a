/* Math trees to flat stack-machine code, and the machine that runs it. Names are
 * resolved to slots once, user functions are inlined, constants are folded by
 * the caller (tc_ex_simplify) before emission. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum vm_op {
    VM_CONST,
    VM_LOAD,
    VM_STORE,
    VM_OUT,
    VM_ADD,
    VM_SUB,
    VM_MUL,
    VM_DIV,
    VM_NEG,
    VM_POW,
    VM_POWI,
    VM_EXP,
    VM_LN,
    VM_JZ,
    VM_JMP,
    VM_DELAY,
    VM_APPLY
};

/* Bound on inlining depth: a user function calling itself is refused. */
#define MAX_INLINE_DEPTH 64
#define MAX_TREE_DEPTH 2000
/* Instructions in one program. Calls are inlined, and functions that call others
 * several times expand exponentially; this bounds the time and memory such a model takes
 * before it is refused (the largest real models need a few hundred thousand). */
#define MAX_PROG_CODE (1u << 21)

void tc_prog_release(tc_prog *p)
{
    free(p->code);
    free(p->consts);
    memset(p, 0, sizeof *p);
}

static size_t ins(tc_prog *p, int op, int32_t arg, int stack_change)
{
    TC_SOLV_GROW(p->code, p->n, p->cap);
    p->code[p->n] = (tc_ins){(uint16_t)op, 0, arg};
    p->depth += stack_change;
    if (p->depth > p->max_depth)
        p->max_depth = p->depth;
    return p->n++;
}

static void konst(tc_prog *p, double v)
{
    TC_SOLV_GROW(p->consts, p->nconsts, p->capconsts);
    p->consts[p->nconsts] = v;
    ins(p, VM_CONST, (int32_t)p->nconsts++, 1);
}

void tc_prog_store(tc_prog *p, size_t slot)
{
    ins(p, VM_STORE, (int32_t)slot, -1);
}

void tc_prog_out(tc_prog *p, size_t index)
{
    ins(p, VM_OUT, (int32_t)index, -1);
}

tc_expr *tc_ex_subst(const tc_expr *e, const char *const *names, const tc_expr *const *values,
                     size_t n)
{
    if (!e)
        return NULL;
    if (e->op == TC_EXPR_SYMBOL && e->name)
        for (size_t i = 0; i < n; i++)
            if (strcmp(e->name, names[i]) == 0)
                return tc_expr_copy(values[i]);
    if (e->op == TC_EXPR_LAMBDA)
        return tc_expr_copy(e);
    tc_expr *c = tc_expr_new(e->op);
    c->value = e->value;
    c->number = e->number;
    c->name = tc_solv_strdup(e->name);
    c->has_otherwise = e->has_otherwise;
    c->line = e->line;
    for (size_t i = 0; i < e->nargs; i++)
        tc_expr_add(c, tc_ex_subst(e->args[i], names, values, n));
    return c;
}

static int emit(tc_prog *p, tc_compiler *c, const tc_expr *e, int depth, int inline_depth);

/* The names of the functions an expression calls, appended to names[*n] (distinct). */
static void called(const tc_expr *e, const char **names, size_t *n, size_t cap, int depth)
{
    if (!e || depth > MAX_TREE_DEPTH)
        return;
    if (e->op == TC_EXPR_CALL && e->name) {
        size_t i = 0;
        while (i < *n && strcmp(names[i], e->name) != 0)
            i++;
        if (i == *n && *n < cap)
            names[(*n)++] = e->name;
    }
    for (size_t i = 0; i < e->nargs; i++)
        called(e->args[i], names, n, cap, depth + 1);
}

/* Does function `name` call itself, directly or through others? (Said when inlining goes
 * too deep, to tell a recursion from a long chain of calls.) */
static bool calls_itself(tc_compiler *c, const char *name)
{
    enum { MAX_FUNCTIONS = 4096 };
    const char **seen = tc_solv_alloc(MAX_FUNCTIONS * sizeof *seen);
    size_t n = 0;
    const tc_expr *l = tc_compiler_function(c, name);
    called(l, seen, &n, MAX_FUNCTIONS, 0);
    bool found = false;
    for (size_t i = 0; i < n && !found; i++) { /* seen grows as the search goes */
        found = strcmp(seen[i], name) == 0;
        called(tc_compiler_function(c, seen[i]), seen, &n, MAX_FUNCTIONS, 0);
    }
    free(seen);
    return found;
}

static int emit_call(tc_prog *p, tc_compiler *c, const tc_expr *e, int depth, int inline_depth)
{
    const tc_expr *lambda = tc_compiler_function(c, e->name);
    if (!lambda)
        return tc_compiler_error(c, TC_SOLVER_EMODEL, "call of undefined function '%s'",
                                 e->name ? e->name : "?");
    size_t nparams = lambda->nargs - 1;
    if (e->nargs != nparams)
        return tc_compiler_error(c, TC_SOLVER_EMODEL,
                                 "function '%s' takes %zu arguments, called with %zu", e->name,
                                 nparams, e->nargs);
    if (inline_depth >= MAX_INLINE_DEPTH)
        return calls_itself(c, e->name)
                   ? tc_compiler_error(c, TC_SOLVER_EMODEL, "function '%s' calls itself",
                                       e->name)
                   : tc_compiler_error(c, TC_SOLVER_EMODEL,
                                       "calls to function '%s' nest more than %d deep", e->name,
                                       MAX_INLINE_DEPTH);
    const char **names = tc_solv_alloc((nparams + 1) * sizeof *names);
    for (size_t i = 0; i < nparams; i++)
        names[i] = lambda->args[i]->name;
    tc_expr *body =
        tc_ex_subst(lambda->args[nparams], names, (const tc_expr *const *)e->args, nparams);
    free(names);
    body = tc_ex_simplify(body);
    int rc = emit(p, c, body, depth + 1, inline_depth + 1);
    tc_expr_free(body);
    return rc;
}

static int emit_piecewise(tc_prog *p, tc_compiler *c, const tc_expr *e, int depth, int inl)
{
    size_t pairs = (e->nargs - (e->has_otherwise ? 1 : 0)) / 2;
    size_t *ends = tc_solv_alloc((pairs + 1) * sizeof *ends);
    int base = p->depth, rc = 0;
    for (size_t k = 0; k < pairs; k++) {
        rc = emit(p, c, e->args[2 * k + 1], depth + 1, inl);
        if (rc < 0)
            goto cleanup;
        size_t jz = ins(p, VM_JZ, 0, -1);
        rc = emit(p, c, e->args[2 * k], depth + 1, inl);
        if (rc < 0)
            goto cleanup;
        ends[k] = ins(p, VM_JMP, 0, 0);
        p->depth = base; /* the next branch starts without this value */
        p->code[jz].arg = (int32_t)p->n;
    }
    if (e->has_otherwise) {
        rc = emit(p, c, e->args[e->nargs - 1], depth + 1, inl);
        if (rc < 0)
            goto cleanup;
    } else {
        konst(p, NAN); /* no branch holds: undefined */
    }
    for (size_t k = 0; k < pairs; k++)
        p->code[ends[k]].arg = (int32_t)p->n;
cleanup:
    free(ends);
    return rc;
}

static int emit(tc_prog *p, tc_compiler *c, const tc_expr *e, int depth, int inl)
{
    if (!e)
        return tc_compiler_error(c, TC_SOLVER_EMODEL, "missing operand");
    if (depth > MAX_TREE_DEPTH || p->max_depth >= TC_PROG_STACK - 2)
        return tc_compiler_error(c, TC_SOLVER_EUNSUPPORTED, "expression nested too deeply");
    if (p->n > MAX_PROG_CODE)
        return tc_compiler_error(c, TC_SOLVER_EUNSUPPORTED,
                                 "the math expands to more than %u operations once its function "
                                 "calls are inlined",
                                 MAX_PROG_CODE);
    int rc;
    size_t n = e->nargs;
    switch (e->op) {
    case TC_EXPR_NUMBER:
        konst(p, e->value);
        return 0;
    case TC_EXPR_TRUE:
    case TC_EXPR_FALSE:
    case TC_EXPR_PI:
    case TC_EXPR_EXPONENTIALE:
    case TC_EXPR_INFINITY_:
    case TC_EXPR_NOTANUMBER:
    case TC_EXPR_AVOGADRO:
        konst(p, tc_ex_apply(e->op, NULL, 0));
        return 0;
    case TC_EXPR_TIME:
        ins(p, VM_LOAD, 0, 1);
        return 0;
    case TC_EXPR_SYMBOL: {
        long slot = tc_compiler_slot(c, e->name);
        if (slot < 0)
            return tc_compiler_error(c, TC_SOLVER_EMODEL, "unknown name '%s'",
                                     e->name ? e->name : "?");
        ins(p, VM_LOAD, (int32_t)slot, 1);
        return 0;
    }
    case TC_EXPR_CALL:
        return emit_call(p, c, e, depth, inl);
    case TC_EXPR_LAMBDA:
        return tc_compiler_error(c, TC_SOLVER_EMODEL, "lambda outside a function definition");
    case TC_EXPR_DELAY: {
        if (n != 2)
            return tc_compiler_error(c, TC_SOLVER_EMODEL, "delay takes 2 arguments, has %zu", n);
        int d = tc_compiler_delay(c, e->args[0]);
        if (d < 0)
            return d;
        if ((rc = emit(p, c, e->args[1], depth + 1, inl)) < 0)
            return rc;
        ins(p, VM_DELAY, d, 0);
        return 0;
    }
    case TC_EXPR_RATE_OF: {
        if (n != 1 || e->args[0]->op != TC_EXPR_SYMBOL)
            return tc_compiler_error(c, TC_SOLVER_EMODEL, "rateOf takes one variable name");
        int err = 0;
        tc_expr *r = tc_compiler_rate_of(c, e->args[0]->name, &err);
        if (!r)
            return err;
        rc = emit(p, c, r, depth + 1, inl + 1);
        tc_expr_free(r);
        return rc;
    }
    case TC_EXPR_PIECEWISE:
        return emit_piecewise(p, c, e, depth, inl);
    case TC_EXPR_PLUS:
    case TC_EXPR_TIMES:
        if (n == 0) {
            konst(p, e->op == TC_EXPR_PLUS ? 0.0 : 1.0);
            return 0;
        }
        for (size_t i = 0; i < n; i++) {
            if ((rc = emit(p, c, e->args[i], depth + 1, inl)) < 0)
                return rc;
            if (i)
                ins(p, e->op == TC_EXPR_PLUS ? VM_ADD : VM_MUL, 0, -1);
        }
        return 0;
    case TC_EXPR_MINUS:
        if (n < 1 || n > 2)
            return tc_compiler_error(c, TC_SOLVER_EMODEL, "minus takes 1 or 2 arguments");
        for (size_t i = 0; i < n; i++)
            if ((rc = emit(p, c, e->args[i], depth + 1, inl)) < 0)
                return rc;
        if (n == 1)
            ins(p, VM_NEG, 0, 0);
        else
            ins(p, VM_SUB, 0, -1);
        return 0;
    case TC_EXPR_DIVIDE:
    case TC_EXPR_POWER: {
        if (n != 2)
            return tc_compiler_error(c, TC_SOLVER_EMODEL, "%s takes 2 arguments, has %zu",
                                     tc_expr_op_name(e->op), n);
        double k;
        if ((rc = emit(p, c, e->args[0], depth + 1, inl)) < 0)
            return rc;
        if (e->op == TC_EXPR_POWER && tc_ex_is_num(e->args[1], &k) && k == floor(k) &&
            fabs(k) <= 16) {
            ins(p, VM_POWI, (int32_t)k, 0);
            return 0;
        }
        if ((rc = emit(p, c, e->args[1], depth + 1, inl)) < 0)
            return rc;
        ins(p, e->op == TC_EXPR_DIVIDE ? VM_DIV : VM_POW, 0, -1);
        return 0;
    }
    default:
        break;
    }
    if (n == 0 || n > 60000)
        return tc_compiler_error(c, TC_SOLVER_EMODEL, "%s with %zu arguments",
                                 tc_expr_op_name(e->op), n);
    for (size_t i = 0; i < n; i++)
        if ((rc = emit(p, c, e->args[i], depth + 1, inl)) < 0)
            return rc;
    if (n == 1 && e->op == TC_EXPR_EXP) {
        ins(p, VM_EXP, 0, 0);
    } else if (n == 1 && e->op == TC_EXPR_LN) {
        ins(p, VM_LN, 0, 0);
    } else {
        size_t at = ins(p, VM_APPLY, e->op, 1 - (int)n);
        p->code[at].aux = (uint16_t)n;
    }
    return 0;
}

int tc_prog_emit(tc_prog *p, tc_compiler *c, const tc_expr *e)
{
    return emit(p, c, e, 0, 0);
}

static double powi(double x, int k)
{
    unsigned m = (unsigned)(k < 0 ? -k : k);
    double r = 1.0, b = x;
    while (m) {
        if (m & 1u)
            r *= b;
        b *= b;
        m >>= 1;
    }
    return k < 0 ? 1.0 / r : r;
}

void tc_prog_run(const tc_prog *p, tc_system *sys, double *v, double *out)
{
    double st[TC_PROG_STACK];
    int sp = -1;
    const tc_ins *code = p->code;
    for (size_t pc = 0; pc < p->n; pc++) {
        tc_ins in = code[pc];
        switch ((enum vm_op)in.op) {
        case VM_CONST:
            st[++sp] = p->consts[in.arg];
            break;
        case VM_LOAD:
            st[++sp] = v[in.arg];
            break;
        case VM_STORE:
            v[in.arg] = st[sp--];
            break;
        case VM_OUT:
            out[in.arg] = st[sp--];
            break;
        case VM_ADD:
            sp--;
            st[sp] += st[sp + 1];
            break;
        case VM_SUB:
            sp--;
            st[sp] -= st[sp + 1];
            break;
        case VM_MUL:
            sp--;
            st[sp] *= st[sp + 1];
            break;
        case VM_DIV:
            sp--;
            st[sp] /= st[sp + 1];
            break;
        case VM_NEG:
            st[sp] = -st[sp];
            break;
        case VM_POW:
            sp--;
            st[sp] = pow(st[sp], st[sp + 1]);
            break;
        case VM_POWI:
            st[sp] = powi(st[sp], in.arg);
            break;
        case VM_EXP:
            st[sp] = exp(st[sp]);
            break;
        case VM_LN:
            st[sp] = log(st[sp]);
            break;
        case VM_JZ: {
            double x = st[sp--];
            if (x == 0.0 || isnan(x)) /* NaN is false, as in tc_ex_apply */
                pc = (size_t)in.arg - 1;
            break;
        }
        case VM_JMP:
            pc = (size_t)in.arg - 1;
            break;
        case VM_DELAY:
            st[sp] = tc_system_delayed(sys, in.arg, v[0], st[sp]);
            break;
        case VM_APPLY:
            sp -= in.aux - 1;
            st[sp] = tc_ex_apply((tc_expr_op)in.arg, &st[sp], in.aux);
            break;
        }
    }
}
