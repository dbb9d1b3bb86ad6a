/*
 * The simulation driver: output times, event semantics and limits. It asks the
 * chosen integrator for one step at a time (the integrator locates trigger
 * changes itself), fills the requested output rows from the integrator's dense
 * output, and applies events (delays, priorities, persistence, values from the
 * trigger time) before restarting the integrator.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

#define MAX_OUTPUT_ROWS 10000000

struct tc_sim_result {
    int status;
    char message[1024];
    double fail_time;
    long fail_var;
    tc_sim_stats stats;
    size_t rows, cap, cols;
    double *times, *values;
    char **names;
};

typedef struct pending {
    size_t event;
    double time;
    double *values; /* from the trigger time, or NULL: computed when it fires */
    long seq;
} pending;

typedef struct sim {
    tc_system *sys;
    const tc_sim_options *o;
    tc_sim_result *r;
    double *y, *f, *truth, *now, *prio, *delay;
    pending *pend;
    size_t npend, cappend;
    long seq;
    uint64_t rng;
    double instant;      /* time of the last event execution */
    long instant_events; /* executions at that time: a cascade */
} sim;

/* The generator's state from the seed: one round of splitmix64, so that nearby
 * seeds (1, 2, 3 ...) start far apart; never 0, where xorshift would stay. */
static uint64_t seed_state(uint64_t seed)
{
    uint64_t z = seed + 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return z ? z : 0x9e3779b97f4a7c15ull;
}

static uint64_t next_random(sim *s)
{
    /* xorshift64*: deterministic for a given seed */
    s->rng ^= s->rng >> 12;
    s->rng ^= s->rng << 25;
    s->rng ^= s->rng >> 27;
    return s->rng * 2685821657736338717ull;
}

/* Uniform in [0, n) for n >= 1, from the generator's upper 32 bits (its best ones;
 * the lowest bits of xorshift64* are the weakest): floor(u n / 2^32), whose bias is
 * below n / 2^32. */
static size_t random_below(sim *s, size_t n)
{
    uint64_t u = next_random(s) >> 32;
    if (n > UINT32_MAX)
        n = UINT32_MAX;
    return (size_t)((u * (uint64_t)n) >> 32);
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void record(sim *s, double t)
{
    tc_sim_result *r = s->r;
    if (r->rows >= r->cap)
        return;
    r->times[r->rows] = t;
    memcpy(r->values + r->rows * r->cols, s->sys->v + 1, r->cols * sizeof(double));
    r->rows++;
}

static void drop_pending(sim *s, size_t i)
{
    free(s->pend[i].values);
    s->pend[i] = s->pend[--s->npend];
}

static double *event_values(sim *s, size_t k)
{
    tc_system *sys = s->sys;
    double *vals = tc_solv_alloc((sys->events[k].nassigns + 1) * sizeof *vals);
    tc_prog_run(&sys->event_values[k], sys, sys->v, vals);
    return vals;
}

static const char *event_name(const tc_system *sys, size_t k, char *buf, size_t size)
{
    char where[300];
    snprintf(buf, size, "event '%s'%s", sys->events[k].id ? sys->events[k].id : "?",
             tc_sorigin_text(&sys->events[k].origin, where, sizeof where));
    return buf;
}

/* Compare the triggers with their last values: schedule the ones that became
 * true, cancel pending non-persistent ones whose trigger became false. */
static int update_triggers(sim *s, double t)
{
    tc_system *sys = s->sys;
    size_t ne = sys->nevents;
    if (!ne)
        return 0;
    tc_system_triggers(sys, s->now, NULL);
    tc_prog_run(&sys->delays_prog, sys, sys->v, s->delay);
    for (size_t k = 0; k < ne; k++) {
        const tc_sevent *ev = &sys->events[k];
        if (s->now[k] != 0 && s->truth[k] == 0) {
            double d = ev->has_delay ? s->delay[k] : 0.0;
            if (!(d >= 0) || !isfinite(d)) {
                char name[400];
                return tc_solver_fail(TC_SOLVER_EMODEL, "%s: delay is %g at t=%.17g",
                                      event_name(sys, k, name, sizeof name), d, t);
            }
            TC_SOLV_GROW(s->pend, s->npend, s->cappend);
            s->pend[s->npend++] = (pending){
                k, t + d, ev->use_values_from_trigger_time ? event_values(s, k) : NULL, s->seq++};
        } else if (s->now[k] == 0 && s->truth[k] != 0 && !ev->persistent) {
            for (size_t i = 0; i < s->npend;)
                if (s->pend[i].event == k)
                    drop_pending(s, i);
                else
                    i++;
        }
        s->truth[k] = s->now[k];
    }
    return 0;
}

/* Fire every event due at t, highest priority first (ties: seeded random),
 * re-evaluating triggers after each. */
static int process_events(sim *s, double t)
{
    tc_system *sys = s->sys;
    if (tc_system_set(sys, t, s->y))
        return tc_solver_fail(TC_SOLVER_ECONV, "algebraic constraints not solved at t=%.17g", t);
    int rc = update_triggers(s, t);
    while (rc == 0) {
        size_t ndue = 0;
        for (size_t i = 0; i < s->npend; i++)
            ndue += s->pend[i].time <= t;
        if (!ndue)
            break;
        /* the limit is on a cascade at one time: events that recur as time advances
         * are bounded by the step and wall-time limits */
        if (t != s->instant) {
            s->instant = t;
            s->instant_events = 0;
        }
        if (s->instant_events >= s->o->max_events)
            return tc_solver_fail(TC_SOLVER_EEVENTS, "event limit %ld reached at t=%.17g",
                                  s->o->max_events, t);
        s->instant_events++;
        tc_prog_run(&sys->priorities, sys, sys->v, s->prio);
        double best = -INFINITY;
        size_t nbest = 0;
        for (size_t i = 0; i < s->npend; i++) {
            if (s->pend[i].time > t)
                continue;
            double p = s->prio[s->pend[i].event];
            if (isnan(p))
                p = -INFINITY;
            if (nbest == 0 || p > best) {
                best = p;
                nbest = 1;
            } else if (p == best) {
                nbest++;
            }
        }
        /* pick among the ties, ordered by when they were scheduled, with the
         * seeded generator: the same seed gives the same order */
        size_t pick = nbest > 1 ? random_below(s, nbest) : 0, chosen = 0;
        long chosen_seq = -1;
        for (size_t k = 0; k <= pick; k++) {
            /* the k-th smallest sequence number among the ties */
            long floor_seq = chosen_seq;
            chosen_seq = -1;
            for (size_t i = 0; i < s->npend; i++) {
                double p = s->prio[s->pend[i].event];
                if (isnan(p))
                    p = -INFINITY;
                if (s->pend[i].time > t || p != best || s->pend[i].seq <= floor_seq)
                    continue;
                if (chosen_seq < 0 || s->pend[i].seq < chosen_seq) {
                    chosen_seq = s->pend[i].seq;
                    chosen = i;
                }
            }
        }
        pending ev = s->pend[chosen];
        s->pend[chosen] = s->pend[--s->npend];
        double *vals = ev.values ? ev.values : event_values(s, ev.event);
        const tc_sevent *se = &sys->events[ev.event];
        if (sys->event_factors[ev.event].n) {
            /* factors at execution, before any of the assignments */
            double *fac = tc_solv_alloc((se->nassigns + 1) * sizeof *fac);
            tc_prog_run(&sys->event_factors[ev.event], sys, sys->v, fac);
            for (size_t a = 0; a < se->nassigns; a++)
                vals[a] *= fac[a];
            free(fac);
        }
        for (size_t a = 0; a < se->nassigns; a++) {
            size_t var = se->assign_var[a];
            sys->v[1 + var] = vals[a];
            if (sys->var_state[var] >= 0)
                s->y[sys->var_state[var]] = vals[a];
        }
        free(vals);
        s->r->stats.events_fired++;
        if (tc_system_set(sys, t, s->y))
            return tc_solver_fail(TC_SOLVER_ECONV,
                                  "algebraic constraints not solved after an event at t=%.17g", t);
        rc = update_triggers(s, t);
    }
    return rc;
}

static tc_sim_result *result_new(const tc_system *sys, size_t nout)
{
    tc_sim_result *r = tc_solv_alloc(sizeof *r);
    r->cols = sys->nvars;
    r->cap = nout;
    r->times = tc_solv_alloc((nout + 1) * sizeof *r->times);
    r->values = tc_solv_alloc((nout * r->cols + 1) * sizeof *r->values);
    r->names = tc_solv_alloc((r->cols + 1) * sizeof *r->names);
    for (size_t i = 0; i < r->cols; i++)
        r->names[i] = tc_solv_strdup(sys->names[i]);
    r->fail_time = NAN;
    r->fail_var = -1;
    return r;
}

/* Turn the failure `rc` (message already set) into the result's status, adding
 * the variable it concerns and its origin. */
static int fail(sim *s, int rc, double t, long state, const tc_integrator *in, void *st)
{
    tc_system *sys = s->sys;
    tc_sim_result *r = s->r;
    char where[300], extra[700] = "";
    long var = -1;
    if (rc == TC_SOLVER_ENONFINITE && sys->bad_var >= 0) {
        var = sys->bad_var;
        long si = sys->var_state[var];
        const tc_sorigin *o = si >= 0 ? &sys->rate_origin[si] : &sys->origins[var];
        snprintf(extra, sizeof extra, ": %s of '%s'%s is not finite", si >= 0 ? "rate" : "value",
                 sys->names[var], tc_sorigin_text(o, where, sizeof where));
    } else if (state >= 0 && (size_t)state < sys->nstates) {
        var = (long)sys->state_var[state];
        snprintf(extra, sizeof extra, "; largest error in '%s'%s", sys->names[var],
                 tc_sorigin_text(&sys->rate_origin[state], where, sizeof where));
    }
    if (rc == TC_SOLVER_ESTEPS && in && in->looks_stiff && st && in->looks_stiff(st))
        snprintf(extra + strlen(extra), sizeof extra - strlen(extra),
                 "; the problem looks stiff: use the BDF method");
    snprintf(r->message, sizeof r->message, "%s%s", tc_solver_error(), extra);
    tc_solver_fail(rc, "%s", r->message);
    r->status = rc;
    r->fail_time = t;
    r->fail_var = var;
    return rc;
}

static int check_options(const tc_sim_options *o, bool steady)
{
    if (!o || o->version != TC_SIM_OPTIONS_VERSION)
        return tc_solver_fail(TC_SOLVER_EINVAL, "simulation options of an unknown version");
    if (o->method != TC_METHOD_BDF && o->method != TC_METHOD_DOPRI5)
        return tc_solver_fail(TC_SOLVER_EINVAL, "unknown integration method %d", (int)o->method);
    if (!(o->rtol > 0 && o->rtol < 1) || !(o->atol > 0) || !isfinite(o->atol))
        return tc_solver_fail(TC_SOLVER_EINVAL,
                              "tolerances must be positive (rtol %g, atol %g), rtol below 1",
                              o->rtol, o->atol);
    if (!isfinite(o->t0))
        return tc_solver_fail(TC_SOLVER_EINVAL, "start time %g is not finite", o->t0);
    if (steady) {
        if (!isfinite(o->t1) || !(o->t1 > o->t0))
            return tc_solver_fail(TC_SOLVER_EINVAL, "time cap %g is not finite or not after %g",
                                  o->t1, o->t0);
    } else if (o->times) {
        if (o->n_times == 0 || o->n_times > MAX_OUTPUT_ROWS)
            return tc_solver_fail(TC_SOLVER_EINVAL, "%zu output times (1 to %d allowed)",
                                  o->n_times, MAX_OUTPUT_ROWS);
        for (size_t i = 0; i < o->n_times; i++)
            if (!isfinite(o->times[i]) || o->times[i] < o->t0 ||
                (i && o->times[i] < o->times[i - 1]))
                return tc_solver_fail(TC_SOLVER_EINVAL,
                                      "output time %zu (%g) is not finite, before the start %g "
                                      "or before the previous one",
                                      i + 1, o->times[i], o->t0);
    } else {
        if (!isfinite(o->t1) || o->t1 < o->t0)
            return tc_solver_fail(TC_SOLVER_EINVAL, "end time %g is not finite or before %g", o->t1,
                                  o->t0);
        if (o->n_steps == 0 || o->n_steps >= MAX_OUTPUT_ROWS)
            return tc_solver_fail(TC_SOLVER_EINVAL, "%zu output steps (1 to %d allowed)",
                                  o->n_steps, MAX_OUTPUT_ROWS - 1);
    }
    if (o->max_steps <= 0 || !(o->max_wall_seconds > 0) || o->max_events < 0 || o->h_init < 0 ||
        o->h_max < 0)
        return tc_solver_fail(TC_SOLVER_EINVAL,
                              "limits must be positive (steps, wall time, events, step sizes)");
    return 0;
}

static double output_time(const tc_sim_options *o, size_t i)
{
    if (o->times)
        return o->times[i];
    if (i == o->n_steps)
        return o->t1;
    return o->t0 + (o->t1 - o->t0) * (double)i / (double)o->n_steps;
}

/* The steady-state test is looser than the integration tolerances by this factor:
 * an explicit method's states wander by about its tolerance from step to step, and
 * their rates with them (times the Jacobian's scale), even at the equilibrium. */
#define STEADY_TOL_FACTOR 100.0

/* Largest |f_i| / (F (atol + rtol |y_i|)) over the states (F the factor above), and
 * its state; INFINITY when the rates cannot be evaluated. */
static double scaled_rate(tc_system *sys, const tc_sim_options *o, double t, const double *y,
                          double *f, long *worst)
{
    *worst = -1;
    if (tc_system_rhs(sys, t, y, f) != 0)
        return INFINITY;
    double m = 0;
    for (size_t i = 0; i < sys->nstates; i++) {
        double r = fabs(f[i]) / (STEADY_TOL_FACTOR * (o->atol + o->rtol * fabs(y[i])));
        if (!(r <= m)) {
            m = r;
            *worst = (long)i;
        }
    }
    return m;
}

/* Dense LU with partial pivoting of the n x n column-major A in place; false when
 * a pivot vanishes. */
static bool lu_factor(double *A, size_t n, size_t *piv)
{
    for (size_t k = 0; k < n; k++) {
        size_t p = k;
        for (size_t i = k + 1; i < n; i++)
            if (fabs(A[i + k * n]) > fabs(A[p + k * n]))
                p = i;
        piv[k] = p;
        if (!(fabs(A[p + k * n]) > 0) || !isfinite(A[p + k * n]))
            return false;
        if (p != k)
            for (size_t j = 0; j < n; j++) {
                double tmp = A[k + j * n];
                A[k + j * n] = A[p + j * n];
                A[p + j * n] = tmp;
            }
        for (size_t i = k + 1; i < n; i++) {
            A[i + k * n] /= A[k + k * n];
            for (size_t j = k + 1; j < n; j++)
                A[i + j * n] -= A[i + k * n] * A[k + j * n];
        }
    }
    return true;
}

static void lu_solve(const double *A, size_t n, const size_t *piv, double *b)
{
    for (size_t k = 0; k < n; k++) {
        double tmp = b[k];
        b[k] = b[piv[k]];
        b[piv[k]] = tmp;
        for (size_t i = k + 1; i < n; i++)
            b[i] -= A[i + k * n] * b[k];
    }
    for (size_t k = n; k-- > 0;) {
        for (size_t j = k + 1; j < n; j++)
            b[k] -= A[k + j * n] * b[j];
        b[k] /= A[k + k * n];
    }
}

/* Damped Newton on f(t, y) = 0 from y (updated in place on success): the rates
 * of a steady state the integration does not settle into (an unstable one, around
 * which an oscillator circles). Converged when every |f_i| <= atol + rtol |y_i|.
 * False when the Jacobian is singular (a conservation law), it does not converge, or
 * it runs away: a state beyond 10 times the largest |state| it started from (where a
 * relative tolerance would call any rate small). */
static bool newton_steady(tc_system *sys, const tc_sim_options *o, double t, double *y)
{
    size_t n = sys->nstates;
    double *J = tc_solv_alloc((n * n + 1) * sizeof *J), *f = tc_solv_alloc((n + 1) * sizeof *f),
           *dy = tc_solv_alloc((n + 1) * sizeof *dy), *yt = tc_solv_alloc((n + 1) * sizeof *yt);
    size_t *piv = tc_solv_alloc((n + 1) * sizeof *piv);
    bool ok = false;
    long worst;
    double bound = o->atol;
    for (size_t i = 0; i < n; i++)
        bound = fmax(bound, fabs(y[i]));
    bound *= 10;
    double res = STEADY_TOL_FACTOR * scaled_rate(sys, o, t, y, f, &worst);
    for (int it = 0; it < 100 && !ok && isfinite(res); it++) {
        if (tc_system_jacobian(sys, t, y, J) != 0 || !lu_factor(J, n, piv))
            break;
        for (size_t i = 0; i < n; i++)
            dy[i] = -f[i];
        lu_solve(J, n, piv, dy);
        double lambda = 1, trial = INFINITY;
        for (int h = 0; h < 30; h++, lambda /= 2) {
            for (size_t i = 0; i < n; i++)
                yt[i] = y[i] + lambda * dy[i];
            trial = STEADY_TOL_FACTOR * scaled_rate(sys, o, t, yt, f, &worst);
            if (trial < res)
                break;
        }
        if (!(trial < res))
            break;
        bool away = false;
        for (size_t i = 0; i < n; i++)
            away |= !(fabs(yt[i]) <= bound);
        if (away)
            break;
        memcpy(y, yt, n * sizeof *y);
        res = trial;
        ok = res <= 1;
    }
    tc_system_rhs(sys, t, y, f); /* leave the system at y */
    free(J);
    free(f);
    free(dy);
    free(yt);
    free(piv);
    return ok;
}

/* The steady-state window: accepted steps in a row with small rates. */
#define STEADY_WINDOW_STEPS 10

static int run(tc_system *sys, const tc_sim_options *o, bool steady, tc_sim_result **out)
{
    if (!out)
        return tc_solver_fail(TC_SOLVER_EINVAL, "no output for the result");
    *out = NULL;
    if (!sys)
        return tc_solver_fail(TC_SOLVER_EINVAL, "no system to simulate");
    int rc = check_options(o, steady);
    if (rc < 0)
        return rc;
    size_t nout = steady ? 1 : o->times ? o->n_times : o->n_steps + 1, next = 0;
    double t_end = steady ? o->t1 : output_time(o, nout - 1), started = now_seconds();
    /* steady state: start of the window of small rates (NAN: none), its steps,
     * and the last scaled rate with its state */
    double ss_start = NAN, ss_rate = INFINITY;
    long ss_steps = 0, ss_worst = -1;
    bool reached = false;
    size_t n = sys->nstates, ne = sys->nevents;
    const tc_integrator *in =
        o->method == TC_METHOD_BDF ? &tc_bdf_integrator : &tc_dopri5_integrator;
    void *st = NULL;
    sim s = {.sys = sys, .o = o, .rng = seed_state(o->seed), .instant = NAN};
    s.r = result_new(sys, nout);
    *out = s.r;
    s.y = tc_solv_alloc((n + 1) * sizeof(double));
    s.f = tc_solv_alloc((n + 1) * sizeof(double));
    s.truth = tc_solv_alloc((ne + 1) * sizeof(double));
    s.now = tc_solv_alloc((ne + 1) * sizeof(double));
    s.prio = tc_solv_alloc((ne + 1) * sizeof(double));
    s.delay = tc_solv_alloc((ne + 1) * sizeof(double));
    sys->bad_var = -1;
    sys->rhs_evals = sys->jac_evals = 0;

    double t = o->t0;
    if ((rc = tc_system_initial(sys, t, s.y)) < 0) {
        rc = fail(&s, rc, t, -1, NULL, NULL);
        goto done;
    }
    for (size_t k = 0; k < ne; k++)
        s.truth[k] = sys->events[k].initial_value;
    if ((rc = process_events(&s, t)) < 0) {
        rc = fail(&s, rc, t, -1, NULL, NULL);
        goto done;
    }
    tc_integ_opts io = {o->rtol, o->atol, o->h_init, o->h_max, &s.r->stats};
    st = in->create(sys, &io);
    if ((rc = in->reset(st, t, s.y, s.truth)) < 0) {
        rc = fail(&s, rc, t, -1, in, st);
        goto done;
    }
    if (sys->ndelayed && tc_system_rhs(sys, t, s.y, s.f) == 0)
        tc_system_history_add(sys, t, s.y, s.f);
    tc_system_set(sys, t, s.y);
    while (!steady && next < nout && output_time(o, next) <= t)
        record(&s, output_time(o, next++));
    /* nothing to integrate and nothing pending: the initial state is the steady state */
    if (steady && n == 0 && s.npend == 0)
        reached = true;

    while (steady ? !reached : next < nout) {
        if (steady && (s.r->stats.steps >= o->max_steps || t >= t_end)) {
            if (s.npend == 0 && n > 0 && newton_steady(sys, o, t, s.y)) {
                snprintf(s.r->message, sizeof s.r->message,
                         "the integration did not settle by t=%.17g (%ld steps); Newton's method "
                         "from there found a steady state the trajectory does not approach "
                         "(unstable)",
                         t, s.r->stats.steps);
                break;
            }
            char where[300] = "";
            if (ss_worst >= 0 && (size_t)ss_worst < n)
                snprintf(where, sizeof where, " in '%s'", sys->names[sys->state_var[ss_worst]]);
            rc = fail(&s,
                      tc_solver_fail(TC_SOLVER_ENOSTEADY,
                                     "no steady state reached by t=%.17g (%ld steps): the "
                                     "largest rate is %.3g times its tolerance%s",
                                     t, s.r->stats.steps, ss_rate, where),
                      t, -1, NULL, NULL);
            goto done;
        }
        if (s.r->stats.steps >= o->max_steps) {
            rc = fail(&s,
                      tc_solver_fail(TC_SOLVER_ESTEPS, "step limit %ld reached at t=%.17g",
                                     o->max_steps, t),
                      t, -1, in, st);
            goto done;
        }
        double elapsed = now_seconds() - started;
        if (elapsed > o->max_wall_seconds) {
            rc = fail(&s,
                      tc_solver_fail(TC_SOLVER_ETIME, "wall-time limit of %g s reached at t=%.17g",
                                     o->max_wall_seconds, t),
                      t, -1, in, st);
            goto done;
        }
        double tstop = t_end;
        for (size_t i = 0; i < s.npend; i++)
            if (s.pend[i].time > t && s.pend[i].time < tstop)
                tstop = s.pend[i].time;
        /* no step longer than the shortest delay met in the last step: delayed
         * values then come from accepted steps, not from extrapolating the last */
        if (sys->ndelayed && t + sys->tau_min < tstop && t + sys->tau_min > t)
            tstop = t + sys->tau_min;
        sys->tau_min = INFINITY;
        tc_step_out so = {0};
        if ((rc = in->advance(st, tstop, &so)) < 0) {
            rc = fail(&s, rc, t, so.worst, in, st);
            goto done;
        }
        bool due = so.root;
        for (size_t i = 0; i < s.npend && !due; i++)
            due = s.pend[i].time <= so.t;
        /* rows before the new time (at it too when nothing happens there) */
        while (!steady && next < nout &&
               (output_time(o, next) < so.t || (!due && output_time(o, next) <= so.t))) {
            double to = output_time(o, next++);
            in->interp(st, to, s.y);
            tc_system_set(sys, to, s.y);
            record(&s, to);
        }
        t = so.t;
        in->interp(st, t, s.y);
        if (due) {
            /* the point before the events too: the past values then jump at t rather
             * than being blended into the step that led there */
            if (sys->ndelayed && tc_system_rhs(sys, t, s.y, s.f) == 0)
                tc_system_history_add(sys, t, s.y, s.f);
            if ((rc = process_events(&s, t)) < 0) {
                rc = fail(&s, rc, t, -1, in, st);
                goto done;
            }
            while (!steady && next < nout && output_time(o, next) <= t) {
                tc_system_set(sys, t, s.y);
                record(&s, output_time(o, next++));
            }
            if ((rc = in->reset(st, t, s.y, s.truth)) < 0) {
                rc = fail(&s, rc, t, -1, in, st);
                goto done;
            }
        }
        if (sys->ndelayed && tc_system_rhs(sys, t, s.y, s.f) == 0)
            tc_system_history_add(sys, t, s.y, s.f);
        if (steady) {
            ss_rate = scaled_rate(sys, o, t, s.y, s.f, &ss_worst);
            if (due || s.npend || !(ss_rate < 1)) {
                ss_start = NAN;
                ss_steps = 0;
            } else {
                if (isnan(ss_start))
                    ss_start = t;
                reached = ++ss_steps >= STEADY_WINDOW_STEPS &&
                          t - ss_start >= 0.5 * (ss_start - o->t0);
            }
        }
        if (!steady && t >= t_end && next < nout) { /* equal times at the end */
            tc_system_set(sys, t, s.y);
            while (next < nout)
                record(&s, output_time(o, next++));
        }
    }
    if (steady) {
        tc_system_set(sys, t, s.y);
        record(&s, t);
    }
    rc = 0;
done:
    if (st)
        in->destroy(st);
    for (size_t i = 0; i < s.npend; i++)
        free(s.pend[i].values);
    free(s.pend);
    free(s.y);
    free(s.f);
    free(s.truth);
    free(s.now);
    free(s.prio);
    free(s.delay);
    return rc;
}

int tc_simulate(tc_system *sys, const tc_sim_options *o, tc_sim_result **out)
{
    return run(sys, o, false, out);
}

int tc_steady_state(tc_system *sys, const tc_sim_options *o, tc_sim_result **out)
{
    return run(sys, o, true, out);
}

void tc_sim_result_free(tc_sim_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->cols; i++)
        free(r->names[i]);
    free(r->names);
    free(r->times);
    free(r->values);
    free(r);
}

int tc_sim_result_status(const tc_sim_result *r)
{
    return r ? r->status : TC_SOLVER_EINVAL;
}

const char *tc_sim_result_message(const tc_sim_result *r)
{
    return r ? r->message : "";
}

double tc_sim_result_fail_time(const tc_sim_result *r)
{
    return r ? r->fail_time : NAN;
}

long tc_sim_result_fail_variable(const tc_sim_result *r)
{
    return r ? r->fail_var : -1;
}

const tc_sim_stats *tc_sim_result_stats(const tc_sim_result *r)
{
    return r ? &r->stats : NULL;
}

size_t tc_sim_result_rows(const tc_sim_result *r)
{
    return r ? r->rows : 0;
}

size_t tc_sim_result_columns(const tc_sim_result *r)
{
    return r ? r->cols : 0;
}

double tc_sim_result_time(const tc_sim_result *r, size_t row)
{
    return r && row < r->rows ? r->times[row] : NAN;
}

double tc_sim_result_value(const tc_sim_result *r, size_t row, size_t var)
{
    return r && row < r->rows && var < r->cols ? r->values[row * r->cols + var] : NAN;
}

long tc_sim_result_column(const tc_sim_result *r, const char *name)
{
    if (!r || !name)
        return -1;
    for (size_t i = 0; i < r->cols; i++)
        if (strcmp(r->names[i], name) == 0)
            return (long)i;
    return -1;
}
