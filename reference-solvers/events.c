/*
 * What both integrators do about triggers within an accepted step: sample the
 * triggers at a few points of the step on the integrator's dense output, look
 * between two samples for a comparison that crosses zero, and check the end.
 * Locating the change precisely stays with each integrator (Illinois for BDF,
 * Anderson-Bjorck for Dormand-Prince), as does how it gets the state at the
 * step's start. Also the slices in which a model without states advances.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define ROOT_SAMPLES 10 /* trigger checks inside each step, besides its end */

void tc_trig_init(tc_trig_work *w, tc_system *sys, void (*interp)(void *, double, double *),
                  void *st)
{
    size_t ne1 = sys->nevents + 1;
    w->sys = sys;
    w->interp = interp;
    w->st = st;
    w->ne = sys->nevents;
    double **evs[] = {&w->truth_cur, &w->truth_new, &w->truth_m, &w->g_lo, &w->g_hi, &w->g_m};
    for (size_t i = 0; i < sizeof evs / sizeof *evs; i++)
        *evs[i] = tc_solv_alloc(ne1 * sizeof(double));
    w->y = tc_solv_alloc((sys->nstates + 1) * sizeof(double));
}

void tc_trig_release(tc_trig_work *w)
{
    double *all[] = {w->truth_cur, w->truth_new, w->truth_m, w->g_lo, w->g_hi, w->g_m, w->y};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]);
    memset(w, 0, sizeof *w);
}

bool tc_trig_changed(const tc_trig_work *w, const double *truth)
{
    for (size_t k = 0; k < w->ne; k++)
        if (truth[k] != w->truth_cur[k])
            return true;
    return false;
}

/* The first of the samples inside (ta, tb) where a trigger differs from the step's
 * start, so a trigger that turns true and false again within one long step is
 * still seen; between two samples with the same truth, the crossings of the
 * comparisons inside the triggers (a trigger true only between two samples). */
static bool sample_change(tc_trig_work *w, double ta, double tb, double *hi)
{
    tc_system *sys = w->sys;
    double *rel_prev = sys->rel_work, *rel_now = sys->rel_work + sys->nrel, t_prev = ta;
    if (sys->nrel) {
        w->interp(w->st, t_prev, w->y);
        tc_system_set(sys, t_prev, w->y);
        tc_system_relations(sys, rel_prev);
    }
    for (int s = 1; s <= ROOT_SAMPLES + 1; s++) {
        double ts = s > ROOT_SAMPLES ? tb : ta + (tb - ta) * s / (ROOT_SAMPLES + 1);
        w->interp(w->st, ts, w->y);
        tc_system_set(sys, ts, w->y);
        tc_system_triggers(sys, w->truth_m, w->g_m);
        bool changed = tc_trig_changed(w, w->truth_m);
        if (changed && s > ROOT_SAMPLES)
            return false; /* at the end: the caller's check, on the step's own end state */
        if (changed) {
            memcpy(w->truth_new, w->truth_m, w->ne * sizeof(double));
            memcpy(w->g_hi, w->g_m, w->ne * sizeof(double));
            *hi = ts;
            return true;
        }
        if (!sys->nrel)
            continue;
        tc_system_relations(sys, rel_now);
        if (tc_system_relation_crossing(sys, w->interp, w->st, t_prev, ts, rel_prev, rel_now,
                                        w->truth_cur, w->y, hi, w->truth_new, w->g_hi))
            return true;
        double *swap = rel_prev;
        rel_prev = rel_now;
        rel_now = swap;
        t_prev = ts;
    }
    return false;
}

bool tc_trig_step_change(tc_trig_work *w, double ta, double tb, const double *y_b, double *hi)
{
    if (!w->ne)
        return false;
    *hi = tb;
    if (sample_change(w, ta, tb, hi))
        return true;
    tc_system_set(w->sys, tb, y_b);
    tc_system_triggers(w->sys, w->truth_new, w->g_hi);
    return tc_trig_changed(w, w->truth_new);
}

double tc_trig_slice(double *slice, double t, double tstop, double h_max, double *h)
{
    double span = tstop - t;
    *slice = fmax(*slice, span / 64);
    if (h_max > 0)
        *slice = fmin(*slice, h_max);
    *h = fmin(span, *slice);
    return *h == span ? tstop : t + *h;
}
