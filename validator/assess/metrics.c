/* Comparison metrics between a simulated series and observations, and the small
 * CSV reader for comparator data. The CSV reader is deliberately minimal
 * (numbers only); it can give way to the declared-outputs reader once both
 * exist. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "assess.h"

static const char *const metric_names[TC_METRIC_COUNT] = {
    "max_abs_error", "max_rel_error", "rmse", "nrmse", "fraction_within",
};

tc_metric tc_metric_from_name(const char *name)
{
    for (int i = 0; i < TC_METRIC_COUNT; i++) {
        if (name && strcmp(name, metric_names[i]) == 0)
            return (tc_metric)i;
    }
    return TC_METRIC_COUNT;
}

const char *tc_metric_name(tc_metric metric)
{
    return metric < TC_METRIC_COUNT ? metric_names[metric] : "unknown";
}

bool tc_metric_lower_is_better(tc_metric metric)
{
    return metric != TC_METRIC_FRACTION_WITHIN;
}

/* Linear interpolation of (st, sv) at t, which lies within [st[0], st[n-1]]. */
static double interpolate(const double *st, const double *sv, size_t n, double t)
{
    size_t lo = 0, hi = n - 1;
    if (t <= st[0])
        return sv[0];
    if (t >= st[hi])
        return sv[hi];
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (st[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    double span = st[hi] - st[lo];
    if (span <= 0)
        return sv[hi];
    return sv[lo] + (sv[hi] - sv[lo]) * (t - st[lo]) / span;
}

int tc_metric_compute(tc_metric metric, const double *st, const double *sv, size_t sn,
                      const double *ot, const double *ov, size_t on, double band_abs,
                      double band_rel, double *value)
{
    if (metric >= TC_METRIC_COUNT)
        return tc_error_set(TC_EINVAL, "unknown metric");
    if (sn == 0 || on == 0)
        return tc_error_set(TC_EINVAL, "%s series is empty",
                            sn == 0 ? "the simulated" : "the observed");
    for (size_t i = 1; i < sn; i++) {
        if (!(st[i] >= st[i - 1]))
            return tc_error_set(TC_EINVAL, "simulated times decrease at point %zu", i + 1);
    }
    double max_abs = 0, max_rel = 0, sum_sq = 0, omin = INFINITY, omax = -INFINITY;
    size_t within = 0;
    /* A small slack at the ends: observation times written with fewer digits
     * than the simulation's output grid still count as inside it. */
    double slack = 1e-9 * fmax(1.0, fabs(st[sn - 1] - st[0]));
    for (size_t i = 0; i < on; i++) {
        if (!isfinite(ot[i]) || !isfinite(ov[i]))
            return tc_error_set(TC_EINVAL, "observation %zu is not a finite number", i + 1);
        if (ot[i] < st[0] - slack || ot[i] > st[sn - 1] + slack)
            return tc_error_set(TC_EINVAL,
                                "observation time %g lies outside the simulated span [%g, %g]",
                                ot[i], st[0], st[sn - 1]);
        double sim = interpolate(st, sv, sn, ot[i]);
        double err = fabs(sim - ov[i]);
        max_abs = fmax(max_abs, err);
        sum_sq += err * err;
        omin = fmin(omin, ov[i]);
        omax = fmax(omax, ov[i]);
        if (metric == TC_METRIC_MAX_REL_ERROR) {
            if (ov[i] == 0)
                return tc_error_set(TC_EINVAL,
                                    "relative error is undefined at time %g, where the "
                                    "observation is 0",
                                    ot[i]);
            max_rel = fmax(max_rel, err / fabs(ov[i]));
        }
        if (err <= band_abs + band_rel * fabs(ov[i]))
            within++;
    }
    double rmse = sqrt(sum_sq / (double)on);
    switch (metric) {
    case TC_METRIC_MAX_ABS_ERROR:
        *value = max_abs;
        break;
    case TC_METRIC_MAX_REL_ERROR:
        *value = max_rel;
        break;
    case TC_METRIC_RMSE:
        *value = rmse;
        break;
    case TC_METRIC_NRMSE:
        if (!(omax > omin))
            return tc_error_set(TC_EINVAL, "normalised RMSE is undefined: the observations "
                                           "have no range");
        *value = rmse / (omax - omin);
        break;
    case TC_METRIC_FRACTION_WITHIN:
        *value = (double)within / (double)on;
        break;
    case TC_METRIC_COUNT:
        break;
    }
    return 0;
}
