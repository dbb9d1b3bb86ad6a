/*
 * Benchmark: our BDF against SUNDIALS CVODE (BDF, dense direct linear solver)
 * on the same compiled right-hand side and Jacobian at the same tolerances:
 * Robertson's stiff kinetics and a generated mass-action network. Prints the
 * median time of several runs, the ratio, the steps and each solver's error
 * against a tight-tolerance CVODE reference.
 *
 *   make bench            (needs libsundials-dev)
 *   build/solvers-bench [--markdown] [species] [reactions]
 */
#include <cvode/cvode.h>
#include <math.h>
#include <nvector/nvector_serial.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sunlinsol/sunlinsol_dense.h>
#include <sunmatrix/sunmatrix_dense.h>
#include <time.h>

#include "solvers.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static tc_expr *sym(const char *n)
{
    return tc_expr_symbol(n);
}
static tc_expr *num(double v)
{
    return tc_expr_number(v);
}
static tc_expr *op2(tc_expr_op op, tc_expr *a, tc_expr *b)
{
    return tc_expr_add(tc_expr_add(tc_expr_new(op), a), b);
}

static void check(int rc)
{
    if (rc < 0) {
        fprintf(stderr, "solvers-bench: %s\n", tc_solver_error());
        exit(3);
    }
}

static tc_model *robertson(void)
{
    tc_model *m = tc_model_new();
    tc_origin o = {"robertson", 0, NULL};
    check(tc_model_add_variable(m, "y1", TC_VAR_STATE, 1, NULL, o));
    check(tc_model_add_variable(m, "y2", TC_VAR_STATE, 0, NULL, o));
    check(tc_model_add_variable(m, "y3", TC_VAR_STATE, 0, NULL, o));
    tc_expr *r1 = op2(TC_EXPR_TIMES, num(0.04), sym("y1"));
    tc_expr *r2 = op2(TC_EXPR_TIMES, num(1e4), op2(TC_EXPR_TIMES, sym("y2"), sym("y3")));
    tc_expr *r3 = op2(TC_EXPR_TIMES, num(3e7), op2(TC_EXPR_POWER, sym("y2"), num(2)));
    check(tc_model_add_rate(m, "y1", op2(TC_EXPR_MINUS, tc_expr_copy(r2), tc_expr_copy(r1)), o));
    check(
        tc_model_add_rate(m, "y2",
                          op2(TC_EXPR_MINUS, op2(TC_EXPR_MINUS, tc_expr_copy(r1), tc_expr_copy(r2)),
                              tc_expr_copy(r3)),
                          o));
    check(tc_model_add_rate(m, "y3", r3, o));
    tc_expr_free(r1);
    tc_expr_free(r2);
    return m;
}

/* y1'' - mu (1 - y1^2) y1' + y1 = 0 with mu = 1000, the classic stiff oscillator. */
static tc_model *van_der_pol(void)
{
    tc_model *m = tc_model_new();
    tc_origin o = {"van der pol", 0, NULL};
    check(tc_model_add_variable(m, "y1", TC_VAR_STATE, 2, NULL, o));
    check(tc_model_add_variable(m, "y2", TC_VAR_STATE, 0, NULL, o));
    check(tc_model_add_rate(m, "y1", sym("y2"), o));
    tc_expr *damp = op2(TC_EXPR_TIMES,
                        op2(TC_EXPR_TIMES, num(1000),
                            op2(TC_EXPR_MINUS, num(1), op2(TC_EXPR_POWER, sym("y1"), num(2)))),
                        sym("y2"));
    check(tc_model_add_rate(m, "y2", op2(TC_EXPR_MINUS, damp, sym("y1")), o));
    return m;
}

/* Deterministic generator for the network. */
static unsigned long long lcg = 42;
static double uniform(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg >> 11) / 9007199254740992.0;
}

/*
 * A random mass-action network: reactions A -> B, A + B -> C, C -> A + B with
 * rate constants spread over five decades (stiff), one assigned variable per
 * reaction rate (as a reader would write kinetic laws), species summing them.
 */
static tc_model *network(int ns, int nr)
{
    tc_model *m = tc_model_new();
    tc_origin o = {"network", 0, NULL};
    char name[32];
    tc_expr **rate = calloc((size_t)ns, sizeof *rate);
    for (int i = 0; i < ns; i++) {
        snprintf(name, sizeof name, "S%d", i);
        check(tc_model_add_variable(m, name, TC_VAR_STATE, 0.5 + uniform(), NULL, o));
        rate[i] = tc_expr_new(TC_EXPR_PLUS);
    }
    for (int j = 0; j < nr; j++) {
        int type = (int)(uniform() * 3), a = (int)(uniform() * ns), b = (int)(uniform() * ns),
            c = (int)(uniform() * ns);
        double k = pow(10.0, -1.0 + 5.0 * uniform());
        char sa[32], sb[32], sc[32], v[32], kk[32];
        snprintf(sa, sizeof sa, "S%d", a);
        snprintf(sb, sizeof sb, "S%d", b);
        snprintf(sc, sizeof sc, "S%d", c);
        snprintf(v, sizeof v, "v%d", j);
        snprintf(kk, sizeof kk, "k%d", j);
        check(tc_model_add_variable(m, kk, TC_VAR_CONSTANT, k, NULL, o));
        check(tc_model_add_variable(m, v, TC_VAR_ASSIGNED, NAN, NULL, o));
        int in[2], out[2], nin, nout;
        tc_expr *law;
        if (type == 0) { /* A -> B */
            law = op2(TC_EXPR_TIMES, sym(kk), sym(sa));
            in[0] = a, nin = 1, out[0] = b, nout = 1;
        } else if (type == 1) { /* A + B -> C */
            law = op2(TC_EXPR_TIMES, sym(kk), op2(TC_EXPR_TIMES, sym(sa), sym(sb)));
            in[0] = a, in[1] = b, nin = 2, out[0] = c, nout = 1;
        } else { /* C -> A + B */
            law = op2(TC_EXPR_TIMES, sym(kk), sym(sc));
            in[0] = c, nin = 1, out[0] = a, out[1] = b, nout = 2;
        }
        check(tc_model_add_assignment(m, v, law, o));
        for (int i = 0; i < nin; i++)
            tc_expr_add(rate[in[i]], tc_expr_add(tc_expr_new(TC_EXPR_MINUS), sym(v)));
        for (int i = 0; i < nout; i++)
            tc_expr_add(rate[out[i]], sym(v));
    }
    for (int i = 0; i < ns; i++) {
        snprintf(name, sizeof name, "S%d", i);
        check(tc_model_add_rate(m, name, rate[i], o));
    }
    free(rate);
    return m;
}

/* ---- CVODE on our compiled system --------------------------------------- */

static int cv_rhs(sunrealtype t, N_Vector y, N_Vector ydot, void *data)
{
    return tc_system_rhs(data, t, N_VGetArrayPointer(y), N_VGetArrayPointer(ydot));
}

static int cv_jac(sunrealtype t, N_Vector y, N_Vector fy, SUNMatrix J, void *data, N_Vector t1,
                  N_Vector t2, N_Vector t3)
{
    /* SUNDIALS dense matrices are column-major like ours */
    return tc_system_jacobian(data, t, N_VGetArrayPointer(y), SUNDenseMatrix_Data(J));
}

typedef struct run {
    double seconds;
    int reps; /* timed runs the median is taken over */
    long steps;
    double *values; /* n_times x n */
} run;

static void run_cvode(tc_system *sys, const double *times, size_t nt, double rtol, double atol,
                      run *out)
{
    size_t n = tc_system_state_count(sys);
    SUNContext ctx;
    SUNContext_Create(NULL, &ctx);
    N_Vector y = N_VNew_Serial((sunindextype)n, ctx);
    double t0 = now();
    check(tc_system_initial(sys, 0.0, N_VGetArrayPointer(y)));
    void *mem = CVodeCreate(CV_BDF, ctx);
    SUNMatrix A = SUNDenseMatrix((sunindextype)n, (sunindextype)n, ctx);
    SUNLinearSolver LS = SUNLinSol_Dense(y, A, ctx);
    CVodeInit(mem, cv_rhs, 0.0, y);
    CVodeSetUserData(mem, sys);
    CVodeSStolerances(mem, rtol, atol);
    CVodeSetLinearSolver(mem, LS, A);
    CVodeSetJacFn(mem, cv_jac);
    CVodeSetMaxNumSteps(mem, 500000);
    for (size_t i = 0; i < nt; i++) {
        double t;
        if (CVode(mem, times[i], y, &t, CV_NORMAL) < 0) {
            fprintf(stderr, "solvers-bench: CVODE failed before t=%g\n", times[i]);
            exit(3);
        }
        memcpy(out->values + i * n, N_VGetArrayPointer(y), n * sizeof(double));
    }
    out->seconds = now() - t0;
    long steps = 0;
    CVodeGetNumSteps(mem, &steps);
    out->steps = steps;
    CVodeFree(&mem);
    SUNLinSolFree(LS);
    SUNMatDestroy(A);
    N_VDestroy(y);
    SUNContext_Free(&ctx);
}

static void run_ours(tc_system *sys, const double *times, size_t nt, double rtol, double atol,
                     run *out)
{
    size_t n = tc_system_state_count(sys);
    tc_sim_options o = TC_SIM_OPTIONS_INIT;
    o.rtol = rtol;
    o.atol = atol;
    o.times = times;
    o.n_times = nt;
    tc_sim_result *r = NULL;
    double t0 = now();
    int rc = tc_simulate(sys, &o, &r);
    out->seconds = now() - t0;
    if (rc < 0) {
        fprintf(stderr, "solvers-bench: %s\n", tc_solver_error());
        exit(3);
    }
    for (size_t i = 0; i < nt; i++)
        for (size_t s = 0; s < n; s++)
            out->values[i * n + s] = tc_sim_result_value(r, i, tc_system_state_variable(sys, s));
    out->steps = tc_sim_result_stats(r)->steps;
    tc_sim_result_free(r);
}

/* Largest error relative to max(|ref|, floor) over all outputs. */
static double error(const run *a, const run *ref, size_t count, double floor)
{
    double e = 0;
    for (size_t i = 0; i < count; i++)
        e = fmax(e, fabs(a->values[i] - ref->values[i]) / fmax(fabs(ref->values[i]), floor));
    return e;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Repeat a run at least 5 times and until the runs have taken 0.3 s; keep the
 * median time (the machines are shared: the median ignores the odd slow run). */
#define MAX_RUNS 1000
static void timed(void (*fn)(tc_system *, const double *, size_t, double, double, run *),
                  tc_system *sys, const double *times, size_t nt, double rtol, double atol,
                  run *out)
{
    static double secs[MAX_RUNS];
    double total = 0;
    int reps = 0;
    do {
        fn(sys, times, nt, rtol, atol, out);
        secs[reps++] = out->seconds;
        total += out->seconds;
    } while ((total < 0.3 || reps < 5) && reps < MAX_RUNS);
    qsort(secs, (size_t)reps, sizeof secs[0], cmp_double);
    out->seconds = reps % 2 ? secs[reps / 2] : 0.5 * (secs[reps / 2 - 1] + secs[reps / 2]);
    out->reps = reps;
}

/* With --markdown, one table row per problem (docs/benchmarks.md). */
static int markdown;

static void print_time(double s)
{
    if (s >= 1)
        printf("%.2f s", s);
    else
        printf("%.3g ms", 1e3 * s);
}

static void bench(const char *label, tc_model *m, const double *times, size_t nt, double rtol,
                  double atol, double floor)
{
    tc_system *sys = NULL;
    double c0 = now();
    check(tc_system_new(&sys, m));
    double compile = now() - c0;
    size_t n = tc_system_state_count(sys), cells = nt * n;
    run ours = {0, 0, 0, calloc(cells, sizeof(double))}, cv = ours, ref = ours, ref2 = ours;
    cv.values = calloc(cells, sizeof(double));
    ref.values = calloc(cells, sizeof(double));
    ref2.values = calloc(cells, sizeof(double));
    run_cvode(sys, times, nt, 1e-12, atol * 1e-4, &ref);
    run_ours(sys, times, nt, 1e-12, atol * 1e-4, &ref2);
    timed(run_ours, sys, times, nt, rtol, atol, &ours);
    timed(run_cvode, sys, times, nt, rtol, atol, &cv);
    double e_ours = error(&ours, &ref, cells, floor), e_cv = error(&cv, &ref, cells, floor);
    if (markdown) {
        printf("| %s | %zu | rtol %g, atol %g | ", label, n, rtol, atol);
        print_time(ours.seconds);
        printf(", %ld steps, error %.1e | ", ours.steps, e_ours);
        print_time(cv.seconds);
        printf(", %ld steps, error %.1e | %.2f | %d / %d |\n", cv.steps, e_cv,
               ours.seconds / cv.seconds, ours.reps, cv.reps);
    } else {
        printf("%s: %zu states, compile %.1f ms, %s Jacobian, rtol %g atol %g\n", label, n,
               1e3 * compile, tc_system_has_symbolic_jacobian(sys) ? "symbolic" : "difference",
               rtol, atol);
        printf("  %-12s %10.3f ms %7ld steps  max rel. error %.2e  (median of %d)\n",
               "twincheck BDF", 1e3 * ours.seconds, ours.steps, e_ours, ours.reps);
        printf("  %-12s %10.3f ms %7ld steps  max rel. error %.2e  (median of %d)\n", "CVODE",
               1e3 * cv.seconds, cv.steps, e_cv, cv.reps);
        printf("  time ratio twincheck/CVODE %.2f; tight references differ by %.1e\n",
               ours.seconds / cv.seconds, error(&ref2, &ref, cells, floor));
    }
    fflush(stdout);
    free(ours.values);
    free(cv.values);
    free(ref.values);
    free(ref2.values);
    tc_system_free(sys);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--markdown") == 0) {
        markdown = 1;
        argc--, argv++;
    }
    int ns = argc > 1 ? atoi(argv[1]) : 100, nr = argc > 2 ? atoi(argv[2]) : 2 * ns;
    if (argc > 3 || ns < 1 || ns > 5000 || nr < 1 || nr > 50000) {
        fprintf(stderr, "usage: solvers-bench [--markdown] [species 1-5000] [reactions 1-50000]\n");
        return 2;
    }
    double rob_times[8];
    for (int i = 0; i < 8; i++)
        rob_times[i] = 0.4 * pow(10.0, i);
    tc_model *m = robertson();
    bench("Robertson, t to 4e6", m, rob_times, 8, 1e-6, 1e-12, 1e-6);
    tc_model_free(m);

    double vdp_times[30];
    for (int i = 0; i < 30; i++)
        vdp_times[i] = 100.0 * (i + 1);
    m = van_der_pol();
    bench("Van der Pol mu = 1000, t to 3000", m, vdp_times, 30, 1e-6, 1e-8, 1e-6);
    tc_model_free(m);

    double net_times[100];
    for (int i = 0; i < 100; i++)
        net_times[i] = 0.1 * (i + 1);
    m = network(ns, nr);
    char label[64];
    snprintf(label, sizeof label, "mass-action network, %d reactions, t to 10", nr);
    bench(label, m, net_times, 100, 1e-6, 1e-10, 1e-6);
    tc_model_free(m);
    return 0;
}
