/*
 * Implicit, variable-step, variable-order BDF (orders 1-5) for stiff systems.
 *
 * The solution history is kept as backward differences D[j] = h^j-scaled
 * nabla^j y_n of a fixed step h; when h changes the differences are
 * re-interpolated to the new step (the fixed-leading-coefficient strategy of
 * LSODE/CVODE, here in difference rather than Nordsieck form; Shampine and
 * Reichelt, "The MATLAB ODE suite", 1997, give the rescaling matrices). Each step
 * solves the corrector by a modified Newton iteration with a dense Jacobian
 * factorised by LAPACK; the local error is estimated from the corrector's total
 * change. Step and order selection follow CVODE's strategy: an order change is
 * considered only after q+1 steps at the same step size, among q-1, q, q+1,
 * with safety biases, and the step is only changed when it would grow by at
 * least 50% or when it must shrink. Events are located on the interpolating
 * polynomial of the last step by the Illinois method.
 */
#include <lapacke.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define MAXQ 5
#define NEWTON_MAXITER 4
#define JAC_MAX_AGE 50     /* steps before the Jacobian is re-evaluated */
#define ETA_GROWTH_MIN 1.5 /* smaller increases are not worth a refactorisation */
#define ETA_MAX 10.0
#define ETA_MAX_FIRST 1e4  /* the first change may grow a cautious initial step a lot */
#define ETA_MIN_ERR 0.2    /* shrink limit after an error test failure */
#define ETA_CONV_FAIL 0.25 /* shrink after a Newton failure with a fresh Jacobian */
#define MAX_ERR_FAILS 3    /* then drop to order 1 and shrink by 10 */
#define MAX_CONV_FAILS 10  /* corrector failures in a row on one step: give up */
#define ROOT_MAX_ITER 200

typedef struct bdf {
    tc_system *sys;
    tc_integ_opts o;
    size_t n, ne;
    double t, h; /* h: the step the differences are scaled to */
    int q, n_equal, err_fails_row, conv_fails_row;
    bool first_change;
    double *D; /* (MAXQ + 3) rows of n */
    double *J, *LU;
    lapack_int *ipiv;
    bool have_jac, jac_fresh, lu_valid;
    double c_lu;
    long jac_age;
    double *ypred, *psi, *ynew, *d, *dy, *f, *scale, *tmp;
    /* the last step, for interpolation */
    double t_old, t_int, h_int;
    int q_int;
    double *Dint;
    tc_trig_work trig; /* events */
    double newton_tol;
} bdf;

static double gamma_k(int k)
{
    double g = 0;
    for (int j = 1; j <= k; j++)
        g += 1.0 / j;
    return g;
}

/* Weighted RMS norm of v with weights 1/scale; *worst receives the largest term. */
static double norm(const double *v, const double *scale, size_t n, long *worst)
{
    double s = 0, big = -1;
    for (size_t i = 0; i < n; i++) {
        double x = v[i] / scale[i];
        s += x * x;
        if (worst && fabs(x) > big) {
            big = fabs(x);
            *worst = (long)i;
        }
    }
    return n ? sqrt(s / (double)n) : 0.0;
}

static void set_scale(bdf *b, const double *y)
{
    for (size_t i = 0; i < b->n; i++)
        b->scale[i] = b->o.atol + b->o.rtol * fabs(y[i]);
}

/* R(q, r)[i][j] = prod_{m=1..i} (m - 1 - r j) / m, i, j = 0..q */
static void rmatrix(int q, double r, double out[MAXQ + 1][MAXQ + 1])
{
    for (int j = 0; j <= q; j++) {
        out[0][j] = 1.0;
        for (int i = 1; i <= q; i++)
            out[i][j] = out[i - 1][j] * (i - 1 - r * j) / i;
    }
}

/* Re-express the differences for the step h * r. */
static void rescale(bdf *b, double r)
{
    int q = b->q;
    double R[MAXQ + 1][MAXQ + 1], U[MAXQ + 1][MAXQ + 1], RU[MAXQ + 1][MAXQ + 1];
    rmatrix(q, r, R);
    rmatrix(q, 1.0, U);
    for (int i = 0; i <= q; i++)
        for (int j = 0; j <= q; j++) {
            double s = 0;
            for (int k = 0; k <= q; k++)
                s += R[i][k] * U[k][j];
            RU[i][j] = s;
        }
    size_t n = b->n;
    for (size_t c = 0; c < n; c++) {
        double col[MAXQ + 1];
        for (int j = 0; j <= q; j++) {
            double s = 0;
            for (int k = 0; k <= q; k++)
                s += RU[k][j] * b->D[(size_t)k * n + c];
            col[j] = s;
        }
        for (int j = 0; j <= q; j++)
            b->D[(size_t)j * n + c] = col[j];
    }
    b->h *= r;
    b->n_equal = 0;
    b->lu_valid = false;
}

static void bdf_interp(void *st, double t, double *y);

static void *bdf_create(tc_system *sys, const tc_integ_opts *o)
{
    bdf *b = tc_solv_alloc(sizeof *b);
    size_t n = sys->nstates, n1 = n + 1;
    b->sys = sys;
    b->o = *o;
    b->n = n;
    b->ne = sys->nevents;
    b->D = tc_solv_alloc((MAXQ + 3) * n1 * sizeof(double));
    b->Dint = tc_solv_alloc((MAXQ + 1) * n1 * sizeof(double));
    b->J = tc_solv_alloc(n1 * n1 * sizeof(double));
    b->LU = tc_solv_alloc(n1 * n1 * sizeof(double));
    b->ipiv = tc_solv_alloc(n1 * sizeof(lapack_int));
    double **vecs[] = {&b->ypred, &b->psi, &b->ynew, &b->d, &b->dy, &b->f, &b->scale, &b->tmp};
    for (size_t i = 0; i < sizeof vecs / sizeof *vecs; i++)
        *vecs[i] = tc_solv_alloc(n1 * sizeof(double));
    tc_trig_init(&b->trig, sys, bdf_interp, b);
    b->newton_tol = fmax(10 * 2.220446049250313e-16 / o->rtol, fmin(0.03, sqrt(o->rtol)));
    return b;
}

static void bdf_destroy(void *st)
{
    bdf *b = st;
    if (!b)
        return;
    double *all[] = {b->D,    b->Dint, b->J,  b->LU, b->ypred, b->psi,
                     b->ynew, b->d,    b->dy, b->f,  b->scale, b->tmp};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
    tc_trig_release(&b->trig);
    free(b->ipiv);
    free(b);
}

static int rhs(bdf *b, double t, const double *y, double *f)
{
    b->o.stats->rhs_evals++;
    return tc_system_rhs(b->sys, t, y, f);
}

/* A first step from the size of the solution and of its derivatives (Hairer,
 * Norsett and Wanner, Solving ODEs I, II.4). */
static double initial_step(bdf *b, double t, const double *y, const double *f, double span)
{
    size_t n = b->n;
    set_scale(b, y);
    double d0 = norm(y, b->scale, n, NULL), d1 = norm(f, b->scale, n, NULL);
    /* a state within its tolerance of zero says nothing about the time scale */
    double h0 = d0 < 1 || d1 < 1e-5 ? 1e-6 : 0.01 * d0 / d1;
    h0 = fmin(h0, span);
    for (size_t i = 0; i < n; i++)
        b->tmp[i] = y[i] + h0 * f[i];
    if (rhs(b, t + h0, b->tmp, b->dy) != 0)
        return fmin(h0, 1e-6 * span);
    for (size_t i = 0; i < n; i++)
        b->dy[i] = (b->dy[i] - f[i]) / h0;
    double d2 = norm(b->dy, b->scale, n, NULL);
    double big = fmax(d1, d2);
    double h1 = big <= 1e-15 ? fmax(1e-6, h0 * 1e-3) : sqrt(0.01 / big);
    return fmin(fmin(100 * h0, h1), span);
}

static int bdf_reset(void *st, double t, const double *y, const double *truth)
{
    bdf *b = st;
    size_t n = b->n;
    b->t = b->t_old = b->t_int = t;
    b->q = b->q_int = 1;
    b->n_equal = 0;
    b->err_fails_row = b->conv_fails_row = 0;
    b->first_change = true;
    b->have_jac = b->lu_valid = false;
    b->h_int = 0;
    memcpy(b->trig.truth_cur, truth, b->ne * sizeof *truth);
    memcpy(b->D, y, n * sizeof *y);
    memcpy(b->Dint, y, n * sizeof *y);
    if (n == 0)
        return 0; /* b->h is the slice of bdf_advance, kept across restarts */
    if (rhs(b, t, y, b->f) != 0)
        return tc_solver_fail(TC_SOLVER_ENONFINITE, "right-hand side not finite at t=%.17g", t);
    double h = b->o.h_init > 0 ? b->o.h_init : initial_step(b, t, y, b->f, 1e300);
    if (b->o.h_max > 0)
        h = fmin(h, b->o.h_max);
    b->h = h;
    for (size_t i = 0; i < n; i++)
        b->D[n + i] = h * b->f[i];
    for (size_t i = n; i < (MAXQ + 3) * n; i++)
        if (i >= 2 * n)
            b->D[i] = 0.0;
    return 0;
}

/* y at t within the last step, from its interpolating polynomial. */
static void bdf_interp(void *st, double t, double *y)
{
    bdf *b = st;
    size_t n = b->n;
    memcpy(y, b->Dint, n * sizeof *y);
    if (b->h_int == 0)
        return;
    double s = (t - b->t_int) / b->h_int, p = 1.0;
    for (int j = 1; j <= b->q_int; j++) {
        p *= (s + (j - 1)) / j;
        for (size_t i = 0; i < n; i++)
            y[i] += p * b->Dint[(size_t)j * n + i];
    }
}

static int factor(bdf *b, double c)
{
    size_t n = b->n;
    for (size_t k = 0; k < n * n; k++) {
        b->LU[k] = -c * b->J[k];
        if (!isfinite(b->LU[k]))
            return 1; /* recoverable: a smaller step moves away from the singularity */
    }
    for (size_t i = 0; i < n; i++)
        b->LU[i + i * n] += 1.0;
    b->o.stats->lu_factorisations++;
    lapack_int info = LAPACKE_dgetrf(LAPACK_COL_MAJOR, (lapack_int)n, (lapack_int)n, b->LU,
                                     (lapack_int)n, b->ipiv);
    if (info < 0)
        return tc_solver_fail(TC_SOLVER_EINVAL, "dgetrf argument %d invalid", (int)-info);
    b->lu_valid = info == 0;
    b->c_lu = c;
    return info == 0 ? 0 : 1; /* singular: recoverable with a smaller step */
}

static int jacobian(bdf *b, double t, const double *y)
{
    b->o.stats->jac_evals++;
    int rc = tc_system_jacobian(b->sys, t, y, b->J);
    if (rc) {
        b->have_jac = b->lu_valid = false; /* J may be partly overwritten */
        return rc;
    }
    b->have_jac = b->jac_fresh = true;
    b->jac_age = 0;
    b->lu_valid = false;
    return 0;
}

/* Corrector: Newton on c f(y) - psi - d = 0 with d = y - ypred. 0 converged,
 * 1 not converged, 2 the right-hand side was not finite, <0 fatal. *iters
 * receives the iterations used. */
static int newton(bdf *b, double t, double c, int *iters)
{
    size_t n = b->n;
    memcpy(b->ynew, b->ypred, n * sizeof(double));
    memset(b->d, 0, n * sizeof(double));
    double old = 0;
    for (int k = 0; k < NEWTON_MAXITER; k++) {
        *iters = k + 1;
        if (rhs(b, t, b->ynew, b->f) != 0)
            return 2;
        for (size_t i = 0; i < n; i++)
            b->dy[i] = c * b->f[i] - b->psi[i] - b->d[i];
        lapack_int info = LAPACKE_dgetrs(LAPACK_COL_MAJOR, 'N', (lapack_int)n, 1, b->LU,
                                         (lapack_int)n, b->ipiv, b->dy, (lapack_int)n);
        if (info != 0)
            return tc_solver_fail(TC_SOLVER_EINVAL, "dgetrs argument %d invalid", (int)-info);
        double dn = norm(b->dy, b->scale, n, NULL);
        if (!isfinite(dn))
            return 1;
        double rate = k ? dn / old : 0;
        if (k && (rate >= 1 || pow(rate, NEWTON_MAXITER - k) / (1 - rate) * dn > b->newton_tol))
            return 1;
        for (size_t i = 0; i < n; i++) {
            b->ynew[i] += b->dy[i];
            b->d[i] += b->dy[i];
        }
        if (dn == 0 || (k && rate / (1 - rate) * dn < b->newton_tol))
            return 0;
        old = dn;
    }
    return 1;
}

/* The earliest trigger change in (t_old, t_new], by the Illinois method on the
 * indicators along the interpolating polynomial. */
static double locate_root(bdf *b, double lo, double hi)
{
    tc_system *sys = b->sys;
    tc_trig_work *w = &b->trig;
    size_t ne = b->ne;
    double ttol = 100 * 2.220446049250313e-16 * (fabs(hi) + fabs(hi - lo));
    int side = 0;
    for (int it = 0; it < ROOT_MAX_ITER && hi - lo > ttol; it++) {
        double tm = hi;
        for (size_t k = 0; k < ne; k++) {
            if (w->truth_new[k] == w->truth_cur[k])
                continue;
            double glo = w->g_lo[k], ghi = w->g_hi[k], cand;
            if (glo * ghi < 0 || (ghi == 0 && glo != 0))
                cand = hi - ghi * (hi - lo) / (ghi - glo);
            else
                cand = 0.5 * (lo + hi);
            tm = fmin(tm, cand);
        }
        double margin = 0.5 * ttol;
        tm = fmax(lo + margin, fmin(hi - margin, tm));
        bdf_interp(b, tm, w->y);
        tc_system_set(sys, tm, w->y);
        tc_system_triggers(sys, w->truth_m, w->g_m);
        if (tc_trig_changed(w, w->truth_m)) {
            hi = tm;
            memcpy(w->g_hi, w->g_m, ne * sizeof(double));
            memcpy(w->truth_new, w->truth_m, ne * sizeof(double));
            if (side == 1)
                for (size_t k = 0; k < ne; k++)
                    w->g_lo[k] *= 0.5;
            side = 1;
        } else {
            lo = tm;
            memcpy(w->g_lo, w->g_m, ne * sizeof(double));
            if (side == -1)
                for (size_t k = 0; k < ne; k++)
                    w->g_hi[k] *= 0.5;
            side = -1;
        }
    }
    return hi;
}

/* The triggers within the step just accepted (events.c), then the earliest change. */
static int check_roots(bdf *b, tc_step_out *out)
{
    tc_trig_work *w = &b->trig;
    double hi;
    if (!tc_trig_step_change(w, b->t_old, b->t, b->Dint, &hi))
        return 0;
    bdf_interp(b, b->t_old, w->y);
    tc_system_set(b->sys, b->t_old, w->y);
    tc_system_triggers(b->sys, NULL, w->g_lo);
    out->t = locate_root(b, b->t_old, hi);
    out->root = true;
    b->o.stats->roots_found++;
    return 0;
}

static void choose_order_and_step(bdf *b, double err_q, double safety)
{
    size_t n = b->n;
    int q = b->q;
    if (b->n_equal < q + 1)
        return;
    double err_m = INFINITY, err_p = INFINITY;
    if (q > 1) {
        for (size_t i = 0; i < n; i++)
            b->tmp[i] = b->D[(size_t)q * n + i] / q;
        err_m = norm(b->tmp, b->scale, n, NULL);
    }
    if (q < MAXQ) {
        for (size_t i = 0; i < n; i++)
            b->tmp[i] = b->D[(size_t)(q + 2) * n + i] / (q + 2);
        err_p = norm(b->tmp, b->scale, n, NULL);
    }
    double eta_m = q > 1 ? 1.0 / (1.3 * pow(err_m, 1.0 / q) + 1e-6) : 0;
    double eta_q = 1.0 / (1.2 * pow(err_q, 1.0 / (q + 1)) + 1e-6);
    double eta_p = q < MAXQ ? 1.0 / (1.4 * pow(err_p, 1.0 / (q + 2)) + 1e-6) : 0;
    double eta = eta_q;
    int nq = q;
    if (eta_m > eta) {
        eta = eta_m;
        nq = q - 1;
    }
    if (eta_p > eta) {
        eta = eta_p;
        nq = q + 1;
    }
    eta *= safety;
    if (eta < ETA_GROWTH_MIN)
        return; /* keep h and q; look again after the next step */
    eta = fmin(eta, b->first_change ? ETA_MAX_FIRST : ETA_MAX);
    if (b->o.h_max > 0)
        eta = fmin(eta, b->o.h_max / b->h);
    b->first_change = false;
    b->q = nq;
    if (eta != 1.0)
        rescale(b, eta);
}

static int bdf_advance(void *st, double tstop, tc_step_out *out)
{
    bdf *b = st;
    size_t n = b->n;
    out->root = false;
    out->worst = -1;
    if (n == 0) {
        /* nothing to integrate: advance in slices so events are still seen */
        double h;
        b->t_old = b->t;
        b->t = b->t_int = tc_trig_slice(&b->h, b->t, tstop, b->o.h_max, &h);
        out->t = b->t;
        b->o.stats->steps++;
        return check_roots(b, out);
    }
    const double eps = 2.220446049250313e-16;
    for (;;) {
        /* 16 ulp of t, and never a subnormal number (the ulp of 0 is one) */
        double hmin = fmax(16 * eps * fabs(b->t), DBL_MIN);
        if (b->t + b->h >= tstop || tstop - (b->t + b->h) < 1e-3 * b->h) {
            double r = (tstop - b->t) / b->h;
            if (r != 1.0)
                rescale(b, r);
        }
        if (b->h < hmin)
            return tc_solver_fail(TC_SOLVER_EUNDERFLOW, "BDF step size %.3g too small at t=%.17g",
                                  b->h, b->t);
        double t_new = b->t + b->h;
        if (t_new > tstop || (tstop - t_new) < 4 * eps * fabs(tstop))
            t_new = tstop;
        int q = b->q;
        double alpha = gamma_k(q), c = b->h / alpha;
        for (size_t i = 0; i < n; i++) {
            double s = 0, p = 0;
            for (int j = 0; j <= q; j++)
                s += b->D[(size_t)j * n + i];
            for (int j = 1; j <= q; j++)
                p += gamma_k(j) * b->D[(size_t)j * n + i];
            b->ypred[i] = s;
            b->psi[i] = p / alpha;
        }
        set_scale(b, b->ypred);
        if (!b->have_jac || b->jac_age >= JAC_MAX_AGE) {
            int rc = jacobian(b, t_new, b->ypred);
            if (rc < 0)
                return rc;
            if (rc > 0) { /* not finite here: try a smaller step */
                b->o.stats->newton_failures++;
                if (++b->conv_fails_row >= MAX_CONV_FAILS)
                    return tc_solver_fail(TC_SOLVER_ECONV,
                                          "no usable Jacobian near t=%.17g (h=%.3g): the "
                                          "right-hand side or the constraints are singular",
                                          b->t, b->h);
                rescale(b, ETA_CONV_FAIL);
                continue;
            }
        }
        int conv = 1, iters = 0;
        for (;;) {
            if (!b->lu_valid || b->c_lu != c) {
                int rc = factor(b, c);
                if (rc < 0)
                    return rc;
                if (rc > 0) {
                    b->have_jac = false; /* not finite or singular: fresh J next time */
                    break;
                }
            }
            conv = newton(b, t_new, c, &iters);
            if (conv <= 0 || b->jac_fresh)
                break;
            int rc = jacobian(b, t_new, b->ypred); /* stale Jacobian: refresh and retry */
            if (rc < 0)
                return rc;
            if (rc > 0)
                break;
        }
        if (conv < 0)
            return conv;
        if (conv > 0) {
            b->o.stats->newton_failures++;
            /* bounded as in CVODE: near t = 0 the step floor alone would allow
             * hundreds of quarterings */
            if (b->h * ETA_CONV_FAIL < hmin || ++b->conv_fails_row >= MAX_CONV_FAILS) {
                if (conv == 2)
                    return tc_solver_fail(TC_SOLVER_ENONFINITE,
                                          "non-finite right-hand side at t=%.17g", t_new);
                return tc_solver_fail(TC_SOLVER_ECONV,
                                      "BDF corrector does not converge at t=%.17g (h=%.3g)", b->t,
                                      b->h);
            }
            rescale(b, ETA_CONV_FAIL);
            continue;
        }
        set_scale(b, b->ynew);
        for (size_t i = 0; i < n; i++)
            b->tmp[i] = b->d[i] / (q + 1);
        long worst = -1;
        double err = norm(b->tmp, b->scale, n, &worst);
        double safety = 0.9 * (2 * NEWTON_MAXITER + 1) / (2 * NEWTON_MAXITER + iters);
        if (!(err <= 1.0)) {
            b->o.stats->rejected_steps++;
            b->err_fails_row++;
            out->worst = worst;
            double eta;
            if (b->err_fails_row >= MAX_ERR_FAILS && b->q > 1) {
                /* restart at order 1 from the current point */
                b->q = 1;
                if (rhs(b, b->t, b->D, b->f) != 0)
                    return tc_solver_fail(TC_SOLVER_ENONFINITE,
                                          "non-finite right-hand side at t=%.17g", b->t);
                for (size_t i = 0; i < n; i++)
                    b->D[n + i] = b->h * b->f[i];
                eta = 0.1;
            } else {
                eta = isfinite(err) ? fmax(ETA_MIN_ERR, safety * pow(err, -1.0 / (q + 1)))
                                    : ETA_MIN_ERR;
                if (b->err_fails_row >= 2)
                    eta = fmin(eta, ETA_MIN_ERR);
            }
            if (b->h * eta < hmin)
                return tc_solver_fail(TC_SOLVER_EUNDERFLOW,
                                      "BDF error test fails repeatedly at t=%.17g (h=%.3g)", b->t,
                                      b->h);
            rescale(b, eta);
            continue;
        }
        /* accepted: update the differences */
        b->err_fails_row = b->conv_fails_row = 0;
        b->jac_fresh = false;
        b->jac_age++;
        b->o.stats->steps++;
        double *Dq1 = b->D + (size_t)(q + 1) * n, *Dq2 = b->D + (size_t)(q + 2) * n;
        for (size_t i = 0; i < n; i++) {
            Dq2[i] = b->d[i] - Dq1[i];
            Dq1[i] = b->d[i];
        }
        for (int j = q; j >= 0; j--)
            for (size_t i = 0; i < n; i++)
                b->D[(size_t)j * n + i] += b->D[(size_t)(j + 1) * n + i];
        b->t_old = b->t;
        b->t = t_new;
        b->n_equal++;
        memcpy(b->Dint, b->D, (size_t)(q + 1) * n * sizeof(double));
        b->t_int = t_new;
        b->h_int = b->h;
        b->q_int = q;
        out->t = t_new;
        choose_order_and_step(b, err, safety);
        return check_roots(b, out);
    }
}

const tc_integrator tc_bdf_integrator = {"BDF",      bdf_create,  bdf_reset, bdf_advance,
                                         bdf_interp, bdf_destroy, NULL};
