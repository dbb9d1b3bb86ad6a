/*
 * Explicit Dormand-Prince 5(4) for non-stiff systems: seven stages (first same
 * as last), error from the embedded 4th-order solution, PI step-size control
 * (Gustafsson), dense output by the 4th-order continuous extension, and the
 * stiffness test of Hairer and Wanner to explain a step limit. Events are
 * located on the continuous extension by the Anderson-Bjorck method. The
 * coefficients are those published by Dormand and Prince (1980) and, for the
 * dense output, by Hairer, Norsett and Wanner (Solving ODEs I, II.6).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define SAFETY 0.9
#define FAC_MIN 0.2  /* largest shrink per step */
#define FAC_MAX 10.0 /* largest growth per step */
#define PI_BETA 0.04 /* weight of the previous error (PI control) */
#define ROOT_MAX_ITER 200
#define STIFF_LIMIT 15 /* consecutive stiff-looking steps before calling the problem stiff */

static const double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
static const double a21 = 1.0 / 5;
static const double a31 = 3.0 / 40, a32 = 9.0 / 40;
static const double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
static const double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561,
                    a54 = -212.0 / 729;
static const double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                    a65 = -5103.0 / 18656;
static const double a71 = 35.0 / 384, a73 = 500.0 / 1113, a74 = 125.0 / 192, a75 = -2187.0 / 6784,
                    a76 = 11.0 / 84;
static const double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                    e6 = 22.0 / 525, e7 = -1.0 / 40;
static const double d1 = -12715105075.0 / 11282082432, d3 = 87487479700.0 / 32700410799,
                    d4 = -10690763975.0 / 1880347072, d5 = 701980252875.0 / 199316789632,
                    d6 = -1453857185.0 / 822651844, d7 = 69997945.0 / 29380423;

typedef struct dp5 {
    tc_system *sys;
    tc_integ_opts o;
    size_t n, ne;
    double t, h, err_old;
    bool rejected_last;
    int stiff_count;
    double *y, *k1, *k2, *k3, *k4, *k5, *k6, *k7, *ytmp, *ynew, *ystiff;
    double t_old, h_last;
    double *r1, *r2, *r3, *r4, *r5; /* continuous extension of the last step */
    tc_trig_work trig;              /* events */
} dp5;

static void dp5_interp(void *st, double t, double *y);

static void *dp5_create(tc_system *sys, const tc_integ_opts *o)
{
    dp5 *p = tc_solv_alloc(sizeof *p);
    p->sys = sys;
    p->o = *o;
    p->n = sys->nstates;
    p->ne = sys->nevents;
    size_t n1 = p->n + 1;
    double **vecs[] = {&p->y,    &p->k1,   &p->k2,     &p->k3, &p->k4, &p->k5, &p->k6, &p->k7,
                       &p->ytmp, &p->ynew, &p->ystiff, &p->r1, &p->r2, &p->r3, &p->r4, &p->r5};
    for (size_t i = 0; i < sizeof vecs / sizeof *vecs; i++)
        *vecs[i] = tc_solv_alloc(n1 * sizeof(double));
    tc_trig_init(&p->trig, sys, dp5_interp, p);
    return p;
}

static void dp5_destroy(void *st)
{
    dp5 *p = st;
    if (!p)
        return;
    double *all[] = {p->y,    p->k1,   p->k2,     p->k3, p->k4, p->k5, p->k6, p->k7,
                     p->ytmp, p->ynew, p->ystiff, p->r1, p->r2, p->r3, p->r4, p->r5};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
    tc_trig_release(&p->trig);
    free(p);
}

static int f(dp5 *p, double t, const double *y, double *out)
{
    p->o.stats->rhs_evals++;
    return tc_system_rhs(p->sys, t, y, out);
}

/* RMS of v_i / (atol + rtol max(|a_i|, |b_i|)) */
static double wnorm(const dp5 *p, const double *v, const double *a, const double *b)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++) {
        double sc = p->o.atol + p->o.rtol * fmax(fabs(a[i]), fabs(b[i]));
        s += (v[i] / sc) * (v[i] / sc);
    }
    return p->n ? sqrt(s / (double)p->n) : 0.0;
}

static double initial_step(dp5 *p)
{
    size_t n = p->n;
    double n0 = wnorm(p, p->y, p->y, p->y), n1 = wnorm(p, p->k1, p->y, p->y);
    /* a state within its tolerance of zero says nothing about the time scale */
    double h0 = n0 < 1 || n1 < 1e-5 ? 1e-6 : 0.01 * n0 / n1;
    for (size_t i = 0; i < n; i++)
        p->ytmp[i] = p->y[i] + h0 * p->k1[i];
    if (f(p, p->t + h0, p->ytmp, p->k2) != 0)
        return h0 * 1e-3;
    for (size_t i = 0; i < n; i++)
        p->k3[i] = (p->k2[i] - p->k1[i]) / h0;
    double n2 = wnorm(p, p->k3, p->y, p->y);
    double big = fmax(n1, n2);
    double h1 = big <= 1e-15 ? fmax(1e-6, h0 * 1e-3) : pow(0.01 / big, 1.0 / 5);
    return fmin(100 * h0, h1);
}

static int dp5_reset(void *st, double t, const double *y, const double *truth)
{
    dp5 *p = st;
    size_t n = p->n;
    p->t = p->t_old = t;
    p->h_last = 0;
    p->err_old = 1e-4;
    p->rejected_last = false;
    p->stiff_count = 0;
    memcpy(p->y, y, n * sizeof *y);
    memcpy(p->r1, y, n * sizeof *y);
    memset(p->r2, 0, n * sizeof *y);
    memcpy(p->trig.truth_cur, truth, p->ne * sizeof *truth);
    if (n == 0)
        return 0; /* p->h is the slice of dp5_advance, kept across restarts */
    if (f(p, t, y, p->k1) != 0)
        return tc_solver_fail(TC_SOLVER_ENONFINITE, "right-hand side not finite at t=%.17g", t);
    double h = p->o.h_init > 0 ? p->o.h_init : initial_step(p);
    if (p->o.h_max > 0)
        h = fmin(h, p->o.h_max);
    p->h = h;
    return 0;
}

static void dp5_interp(void *st, double t, double *y)
{
    dp5 *p = st;
    if (p->h_last == 0) {
        memcpy(y, p->r1, p->n * sizeof *y);
        return;
    }
    double th = (t - p->t_old) / p->h_last, th1 = 1.0 - th;
    for (size_t i = 0; i < p->n; i++)
        y[i] = p->r1[i] + th * (p->r2[i] + th1 * (p->r3[i] + th * (p->r4[i] + th1 * p->r5[i])));
}

/* The earliest trigger change in the last step, by Anderson-Bjorck on the
 * indicators along the continuous extension. */
static double locate_root(dp5 *p, double lo, double hi)
{
    tc_trig_work *w = &p->trig;
    size_t ne = p->ne;
    double ttol = 100 * 2.220446049250313e-16 * (fabs(hi) + fabs(hi - lo));
    int side = 0;
    for (int it = 0; it < ROOT_MAX_ITER && hi - lo > ttol; it++) {
        double tm = hi;
        for (size_t k = 0; k < ne; k++) {
            if (w->truth_new[k] == w->truth_cur[k])
                continue;
            double glo = w->g_lo[k], ghi = w->g_hi[k];
            double cand = glo * ghi < 0 || (ghi == 0 && glo != 0)
                              ? (lo * ghi - hi * glo) / (ghi - glo)
                              : 0.5 * (lo + hi);
            tm = fmin(tm, cand);
        }
        tm = fmax(lo + 0.5 * ttol, fmin(hi - 0.5 * ttol, tm));
        dp5_interp(p, tm, w->y);
        tc_system_set(p->sys, tm, w->y);
        tc_system_triggers(p->sys, w->truth_m, w->g_m);
        bool changed = tc_trig_changed(w, w->truth_m);
        double *moved = changed ? w->g_hi : w->g_lo, *kept = changed ? w->g_lo : w->g_hi;
        if (side == (changed ? 1 : -1))
            for (size_t k = 0; k < ne; k++) {
                /* Anderson-Bjorck: shrink the value kept twice by 1 - g_new / g_replaced */
                double m = moved[k] != 0 ? 1.0 - w->g_m[k] / moved[k] : 0.5;
                kept[k] *= m > 0 ? m : 0.5;
            }
        memcpy(moved, w->g_m, ne * sizeof(double));
        if (changed) {
            hi = tm;
            memcpy(w->truth_new, w->truth_m, ne * sizeof(double));
        } else {
            lo = tm;
        }
        side = changed ? 1 : -1;
    }
    return hi;
}

/* The triggers within the step just accepted (events.c), then the earliest change. */
static void check_roots(dp5 *p, tc_step_out *out)
{
    double hi;
    if (!tc_trig_step_change(&p->trig, p->t_old, p->t, p->y, &hi))
        return;
    tc_system_set(p->sys, p->t_old, p->r1);
    tc_system_triggers(p->sys, NULL, p->trig.g_lo);
    out->t = locate_root(p, p->t_old, hi);
    out->root = true;
    p->o.stats->roots_found++;
}

/* The seven stages from (t, y, k1) with step h into ynew, k2..k7; 0 or >0 when a
 * stage is not finite. */
static int stages(dp5 *p, double h)
{
    size_t n = p->n;
    double t = p->t, *y = p->y, *yt = p->ytmp;
    const double *k1 = p->k1;
    for (size_t i = 0; i < n; i++)
        yt[i] = y[i] + h * a21 * k1[i];
    if (f(p, t + c2 * h, yt, p->k2))
        return 1;
    for (size_t i = 0; i < n; i++)
        yt[i] = y[i] + h * (a31 * k1[i] + a32 * p->k2[i]);
    if (f(p, t + c3 * h, yt, p->k3))
        return 1;
    for (size_t i = 0; i < n; i++)
        yt[i] = y[i] + h * (a41 * k1[i] + a42 * p->k2[i] + a43 * p->k3[i]);
    if (f(p, t + c4 * h, yt, p->k4))
        return 1;
    for (size_t i = 0; i < n; i++)
        yt[i] = y[i] + h * (a51 * k1[i] + a52 * p->k2[i] + a53 * p->k3[i] + a54 * p->k4[i]);
    if (f(p, t + c5 * h, yt, p->k5))
        return 1;
    for (size_t i = 0; i < n; i++)
        p->ystiff[i] = y[i] + h * (a61 * k1[i] + a62 * p->k2[i] + a63 * p->k3[i] + a64 * p->k4[i] +
                                   a65 * p->k5[i]);
    if (f(p, t + h, p->ystiff, p->k6))
        return 1;
    for (size_t i = 0; i < n; i++)
        p->ynew[i] = y[i] + h * (a71 * k1[i] + a73 * p->k3[i] + a74 * p->k4[i] + a75 * p->k5[i] +
                                 a76 * p->k6[i]);
    return f(p, t + h, p->ynew, p->k7) ? 1 : 0;
}

static int dp5_advance(void *st, double tstop, tc_step_out *out)
{
    dp5 *p = st;
    size_t n = p->n;
    out->root = false;
    out->worst = -1;
    if (n == 0) {
        /* nothing to integrate: advance in slices so events are still seen */
        p->t_old = p->t;
        p->t = tc_trig_slice(&p->h, p->t, tstop, p->o.h_max, &p->h_last);
        out->t = p->t;
        p->o.stats->steps++;
        check_roots(p, out);
        return 0;
    }
    const double eps = 2.220446049250313e-16;
    const double expo = 0.2 - PI_BETA * 0.75;
    /* 16 ulp of t, and never a subnormal number (the ulp of 0 is one) */
    const double hmin = fmax(16 * eps * fabs(p->t), DBL_MIN);
    for (;;) {
        double h = p->h;
        if (p->t + h >= tstop || tstop - (p->t + h) < 1e-3 * h)
            h = tstop - p->t;
        if (h < hmin)
            return tc_solver_fail(TC_SOLVER_EUNDERFLOW,
                                  "Dormand-Prince step size %.3g too small at t=%.17g", h, p->t);
        if (stages(p, h) != 0) {
            /* a stage left the domain of the right-hand side: shrink */
            p->o.stats->rejected_steps++;
            p->rejected_last = true;
            if (h * 0.25 < hmin)
                return tc_solver_fail(TC_SOLVER_ENONFINITE, "non-finite right-hand side at t=%.17g",
                                      p->t);
            p->h = h * 0.25;
            continue;
        }
        for (size_t i = 0; i < n; i++)
            p->ytmp[i] = h * (e1 * p->k1[i] + e3 * p->k3[i] + e4 * p->k4[i] + e5 * p->k5[i] +
                              e6 * p->k6[i] + e7 * p->k7[i]);
        double err = wnorm(p, p->ytmp, p->y, p->ynew);
        if (!isfinite(err))
            err = 1e10;
        double fac11 = pow(err, expo);
        if (err > 1.0) {
            p->o.stats->rejected_steps++;
            p->rejected_last = true;
            double big = -1;
            for (size_t i = 0; i < n; i++) {
                double sc = p->o.atol + p->o.rtol * fmax(fabs(p->y[i]), fabs(p->ynew[i]));
                if (fabs(p->ytmp[i]) / sc > big) {
                    big = fabs(p->ytmp[i]) / sc;
                    out->worst = (long)i;
                }
            }
            p->h = h / fmin(1.0 / FAC_MIN, fac11 / SAFETY);
            continue;
        }
        /* accepted */
        p->o.stats->steps++;
        double fac = fac11 / pow(p->err_old, PI_BETA);
        fac = fmax(1.0 / FAC_MAX, fmin(1.0 / FAC_MIN, fac / SAFETY));
        double hnew = h / fac;
        if (p->rejected_last)
            hnew = fmin(hnew, h);
        if (p->o.h_max > 0)
            hnew = fmin(hnew, p->o.h_max);
        p->err_old = fmax(err, 1e-4);
        p->rejected_last = false;
        /* stiffness: h times the local Lipschitz estimate stays near the stability edge */
        double num = 0, den = 0;
        for (size_t i = 0; i < n; i++) {
            num += (p->k7[i] - p->k6[i]) * (p->k7[i] - p->k6[i]);
            den += (p->ynew[i] - p->ystiff[i]) * (p->ynew[i] - p->ystiff[i]);
        }
        if (den > 0 && h * sqrt(num / den) > 3.25)
            p->stiff_count++;
        else
            p->stiff_count = 0;
        /* continuous extension */
        for (size_t i = 0; i < n; i++) {
            double dy = p->ynew[i] - p->y[i], bspl = h * p->k1[i] - dy;
            p->r1[i] = p->y[i];
            p->r2[i] = dy;
            p->r3[i] = bspl;
            p->r4[i] = dy - h * p->k7[i] - bspl;
            p->r5[i] = h * (d1 * p->k1[i] + d3 * p->k3[i] + d4 * p->k4[i] + d5 * p->k5[i] +
                            d6 * p->k6[i] + d7 * p->k7[i]);
        }
        p->t_old = p->t;
        p->h_last = h;
        p->t = p->t + h == tstop || h == tstop - p->t ? tstop : p->t + h;
        memcpy(p->y, p->ynew, n * sizeof(double));
        memcpy(p->k1, p->k7, n * sizeof(double));
        p->h = hnew;
        out->t = p->t;
        check_roots(p, out);
        return 0;
    }
}

/* Have the last steps looked stiff? (explains a step limit) */
static bool dp5_looks_stiff(void *st)
{
    return ((dp5 *)st)->stiff_count >= STIFF_LIMIT;
}

const tc_integrator tc_dopri5_integrator = {"Dormand-Prince 5(4)", dp5_create, dp5_reset,
                                            dp5_advance,           dp5_interp, dp5_destroy,
                                            dp5_looks_stiff};
