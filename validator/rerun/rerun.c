/* The re-run stage: every report data set of every SED-ML document recomputed
 * three ways (the algorithm's integrator, the other integrator, tighter
 * tolerances) and compared with the values the package declares. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "outputs/outputs.h"

#define NCONFIG 4
/* 0: the algorithm's integrator at its tolerances; 1: the other integrator;
 * 2, 3: the algorithm's integrator at tolerances 10x and 100x tighter */
static const rr_config configs[NCONFIG] = {{false, 1.0, NULL, 0},
                                           {true, 1.0, NULL, 0},
                                           {false, 10.0, NULL, 0},
                                           {false, 100.0, NULL, 0}};
/* one more run per task: D's configuration at the declared time points */
#define GRID NCONFIG

/* What the result owns, freed together. */
typedef struct rr_store {
    void **ptrs;
    size_t len, cap;
} rr_store;

static void *keep(tc_rerun_result *r, void *p)
{
    rr_store *s = r->store;
    TC_GROW(s->ptrs, s->cap, s->len + 1);
    s->ptrs[s->len++] = p;
    return p;
}

void tc_rerun_result_init(tc_rerun_result *r)
{
    memset(r, 0, sizeof *r);
    r->entries = json_array();
    r->store = tc_xcalloc(1, sizeof(rr_store));
}

void tc_rerun_result_release(tc_rerun_result *r)
{
    if (!r)
        return;
    json_decref(r->entries);
    rr_store *s = r->store;
    for (size_t i = 0; s && i < s->len; i++)
        free(s->ptrs[i]);
    if (s)
        free(s->ptrs);
    free(s);
    free(r->series);
    memset(r, 0, sizeof *r);
}

/* ---- per document ---- */

typedef struct task_cache {
    const tc_sedml_task *task;
    rr_exec exec[NCONFIG + 1];
    bool done[NCONFIG + 1];
    bool reported;
    /* the declared grids of exec[GRID]: every simulation's points one after the other */
    double *grid;
    rr_grid *grids;
    size_t ngrids;
} task_cache;

typedef struct doc_ctx {
    rr_ctx rc;
    tc_findings *fs;
    task_cache *tasks;
    size_t ntasks, cap;
    double atol, rtol;
    const char *tol_source;
    const rr_grid *grids; /* declared time points for GRID runs, per simulation */
    size_t ngrids;
} doc_ctx;

/* Are the grids of a GRID run the ones asked for now? */
static bool same_grids(const task_cache *tc, const rr_grid *g, size_t n)
{
    if (tc->ngrids != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (tc->grids[i].n != g[i].n ||
            (g[i].n && memcmp(tc->grids[i].times, g[i].times, g[i].n * sizeof(double)) != 0))
            return false;
    return true;
}

static rr_exec *task_exec(doc_ctx *d, const tc_sedml_task *t, int k)
{
    task_cache *tc = NULL;
    for (size_t i = 0; i < d->ntasks && !tc; i++)
        if (d->tasks[i].task == t)
            tc = &d->tasks[i];
    if (!tc) {
        TC_GROW(d->tasks, d->cap, d->ntasks + 1);
        tc = &d->tasks[d->ntasks++];
        memset(tc, 0, sizeof *tc);
        tc->task = t;
    }
    if (k == GRID && tc->done[k] && !same_grids(tc, d->grids, d->ngrids)) {
        rr_exec_release(&tc->exec[k]);
        tc->done[k] = false;
    }
    if (!tc->done[k]) {
        rr_config cfg = configs[k < GRID ? k : 3];
        if (k == GRID) {
            size_t total = 0;
            for (size_t i = 0; i < d->ngrids; i++)
                total += d->grids[i].n;
            free(tc->grid);
            free(tc->grids);
            tc->grid = tc_xcalloc(total ? total : 1, sizeof *tc->grid);
            tc->grids = tc_xcalloc(d->ngrids ? d->ngrids : 1, sizeof *tc->grids);
            tc->ngrids = d->ngrids;
            for (size_t i = 0, at = 0; i < d->ngrids; at += d->grids[i++].n) {
                if (d->grids[i].n)
                    memcpy(tc->grid + at, d->grids[i].times, d->grids[i].n * sizeof(double));
                tc->grids[i] = (rr_grid){tc->grid + at, d->grids[i].n};
            }
            cfg.grids = tc->grids;
            cfg.ngrids = tc->ngrids;
        }
        rr_exec_run(&d->rc, t, cfg, &tc->exec[k]);
        tc->done[k] = true;
    }
    if (k == 0 && tc->exec[0].status != RR_OK && !tc->reported) {
        tc->reported = true;
        tc_finding_add(d->fs, tc->exec[0].rule, (tc_loc){.file = d->rc.doc->path,
                                                         .line = tc->exec[0].line},
                       "task '%s': %s", t->id, tc->exec[0].reason);
    }
    return &tc->exec[k];
}

/* A data generator's values (and the time of each) under one configuration. */
typedef struct dg_values {
    double *v, *t;
    size_t n;
    rr_status status;
    char *reason;
    const char *rule;
    long line;
    const char *task;        /* first task its variables use */
    const rr_exec *exec;     /* of that task */
    char *switched;          /* the species read in the other form (first one), or NULL */
} dg_values;

static void dg_release(dg_values *g)
{
    free(g->v);
    free(g->t);
    free(g->reason);
    free(g->switched);
}

static void dg_fail(dg_values *g, rr_status st, const char *rule, long line, char *reason)
{
    if (g->status != RR_OK) {
        free(reason);
        return;
    }
    g->status = st;
    g->rule = rule;
    g->line = line;
    g->reason = reason;
}

static bool is_time(const char *symbol)
{
    return symbol && (strcmp(symbol, "urn:sedml:symbol:time") == 0 ||
                      strcmp(symbol, "KISAO:0000832") == 0 || strcmp(symbol, "KISAO_0000832") == 0);
}

typedef struct point_ctx {
    const tc_sedml_calc *calc;
    double **series;
    size_t j;
} point_ctx;

static bool point_lookup(void *vctx, const char *name, double *value)
{
    point_ctx *p = vctx;
    for (size_t i = 0; i < p->calc->nvars; i++)
        if (p->calc->vars[i].id && strcmp(p->calc->vars[i].id, name) == 0) {
            *value = p->series[i][p->j];
            return true;
        }
    for (size_t i = 0; i < p->calc->nparams; i++)
        if (p->calc->params[i].id && strcmp(p->calc->params[i].id, name) == 0) {
            *value = p->calc->params[i].value;
            return true;
        }
    return false;
}

/* One variable's series over the runs of its task that simulate its model. */
/* A species of the run's model, or NULL. */
static const tc_sbml_species *find_species(const rr_run *run, const char *id)
{
    const tc_sbml_model *m = run->doc ? run->doc->model : NULL;
    for (size_t i = 0; m && i < m->nspecies; i++)
        if (m->species[i].b.id && strcmp(m->species[i].b.id, id) == 0)
            return &m->species[i];
    return NULL;
}

/* `other`: read species in the other form than their SBML symbol (the amount of a
 * species in concentration units, the concentration of one with only substance
 * units), to tell a declared output in the other form from a wrong one. */
static void variable_series(const tc_sedml_variable *var, const rr_exec *e, bool other,
                            double **out_v, double **out_t, size_t *out_n, dg_values *g)
{
    const char *model = var->model_ref ? var->model_ref : e->nruns ? e->runs[0].model_id : NULL;
    size_t n = 0;
    for (size_t r = 0; r < e->nruns; r++)
        if (model && strcmp(e->runs[r].model_id, model) == 0)
            n += tc_sim_result_rows(e->runs[r].res);
    double *v = tc_xcalloc(n ? n : 1, sizeof *v), *t = tc_xcalloc(n ? n : 1, sizeof *t);
    size_t j = 0;
    for (size_t r = 0; r < e->nruns && g->status == RR_OK; r++) {
        const rr_run *run = &e->runs[r];
        if (!model || strcmp(run->model_id, model) != 0)
            continue;
        size_t rows = tc_sim_result_rows(run->res);
        tc_sbml_output o = {0};
        bool time = is_time(var->symbol);
        if (!time && var->symbol && !var->target.xpath) {
            dg_fail(g, RR_NOT_VERIFIABLE, "rerun:not-verifiable", var->line,
                    tc_xasprintf("variable '%s' names symbol '%s', which the re-run does not "
                                 "compute",
                                 var->id, var->symbol));
            break;
        }
        if (!time) {
            char *id = NULL;
            int rc = rr_resolve_target(run->doc, &var->target, &id);
            if (rc == TC_ENOTFOUND) {
                dg_fail(g, RR_BROKEN, "rerun:missing-variable", var->line,
                        tc_xasprintf("variable '%s': target '%s' selects nothing in model '%s'",
                                     var->id, var->target.xpath ? var->target.xpath : "",
                                     run->model_id));
                break;
            }
            if (rc != 0) {
                dg_fail(g, RR_NOT_VERIFIABLE, "rerun:not-verifiable", var->line,
                        tc_xasprintf("variable '%s': target '%s' is not one element with an id "
                                     "(attributes and node sets are not re-run)",
                                     var->id, var->target.xpath));
                break;
            }
            tc_sbml_form form = var->symbol && strstr(var->symbol, "amount") ? TC_SBML_AMOUNT
                                : var->symbol && strstr(var->symbol, "concentration")
                                    ? TC_SBML_CONCENTRATION
                                    : TC_SBML_NATURAL;
            const tc_sbml_species *sp = other && form == TC_SBML_NATURAL ? find_species(run, id)
                                                                         : NULL;
            if (sp) {
                form = sp->has_only_substance_units == 1 ? TC_SBML_CONCENTRATION
                                                         : TC_SBML_AMOUNT;
                if (!g->switched)
                    g->switched = tc_xasprintf(
                        "'%s' as its %s (the SBML symbol reads its %s)", id,
                        form == TC_SBML_CONCENTRATION ? "concentration" : "amount",
                        form == TC_SBML_CONCENTRATION ? "amount" : "concentration");
            }
            rc = tc_sbml_sim_output(run->sim, id, form, &o);
            if (rc != 0)
                dg_fail(g, RR_NOT_VERIFIABLE, "rerun:not-verifiable", var->line,
                        tc_xasprintf("variable '%s': %s", var->id, tc_error_last()));
            free(id);
            if (rc != 0)
                break;
        }
        for (size_t row = 0; row < rows; row++, j++) {
            t[j] = tc_sim_result_time(run->res, row);
            v[j] = time ? t[j] : tc_sbml_output_value(&o, run->res, row);
        }
    }
    *out_v = v;
    *out_t = t;
    *out_n = j;
}

static void dg_compute(doc_ctx *d, const tc_sedml_data_generator *dg, int k, bool other,
                       dg_values *g)
{
    memset(g, 0, sizeof *g);
    const tc_sedml_calc *calc = &dg->calc;
    double **series = tc_xcalloc(calc->nvars ? calc->nvars : 1, sizeof *series);
    size_t n = 0;
    for (size_t i = 0; i < calc->nvars && g->status == RR_OK; i++) {
        const tc_sedml_variable *var = &calc->vars[i];
        const tc_sedml_task *t = var->task_ref ? tc_sedml_find_task(d->rc.doc, var->task_ref)
                                               : NULL;
        if (!t && !var->task_ref && var->target.xpath && var->target.xpath[0] == '#') {
            dg_fail(g, RR_NOT_VERIFIABLE, "rerun:not-verifiable", var->line,
                    tc_xasprintf("variable '%s' reads data source '%s', not a simulation: "
                                 "nothing to re-run",
                                 var->id ? var->id : "", var->target.xpath + 1));
            break;
        }
        if (!t) {
            dg_fail(g, RR_BROKEN, "rerun:missing-variable", var->line,
                    tc_xasprintf("variable '%s' names no task of the SED-ML file ('%s')",
                                 var->id ? var->id : "", var->task_ref ? var->task_ref : ""));
            break;
        }
        if (var->term) {
            dg_fail(g, RR_NOT_VERIFIABLE, "rerun:not-verifiable", var->line,
                    tc_xasprintf("variable '%s' aggregates with term '%s', which the re-run does "
                                 "not compute",
                                 var->id, var->term));
            break;
        }
        const rr_exec *e = task_exec(d, t, k);
        if (!g->task) {
            g->task = t->id;
            g->exec = e;
        }
        if (e->status != RR_OK) {
            dg_fail(g, e->status, e->rule, e->line,
                    tc_xasprintf("task '%s': %s", t->id, e->reason));
            break;
        }
        double *t_i = NULL;
        size_t n_i = 0;
        variable_series(var, e, other, &series[i], &t_i, &n_i, g);
        if (g->status != RR_OK) {
            free(t_i);
            break;
        }
        if (i == 0) {
            g->t = t_i;
            n = n_i;
        } else {
            free(t_i);
            if (n_i != n)
                dg_fail(g, RR_NOT_VERIFIABLE, "rerun:not-verifiable", dg->line,
                        tc_xasprintf("the variables of data generator '%s' have series of "
                                     "different lengths (%zu and %zu)",
                                     dg->id, n, n_i));
        }
    }
    if (g->status == RR_OK && calc->nvars == 0) {
        n = 1;
        g->t = tc_xcalloc(1, sizeof *g->t);
    }
    if (g->status == RR_OK && !calc->math)
        dg_fail(g, RR_BROKEN, "rerun:missing-variable", dg->line,
                tc_xasprintf("data generator '%s' has no usable math", dg->id));
    if (g->status == RR_OK) {
        g->v = tc_xcalloc(n ? n : 1, sizeof *g->v);
        g->n = n;
        point_ctx p = {.calc = calc, .series = series};
        for (size_t j = 0; j < n; j++) {
            const char *why = NULL;
            p.j = j;
            g->v[j] = rr_eval(calc->math, point_lookup, &p, &why);
            if (why) {
                dg_fail(g, RR_NOT_VERIFIABLE, "rerun:not-verifiable", calc->math_line,
                        tc_xasprintf("the math of data generator '%s': %s", dg->id, why));
                break;
            }
        }
    }
    for (size_t i = 0; i < calc->nvars; i++)
        free(series[i]);
    free(series);
}

/* The largest difference between two series, relative to the series' scale (the
 * largest finite |value| of either): a pointwise relative difference would blow up
 * where a series crosses zero, though nothing there is less accurate. Equal values
 * (infinities included) and NaN in both agree; NaN or infinity in one only is INFINITY. */
static double rel_diff(const double *a, const double *b, size_t n)
{
    double scale = 0, worst = 0;
    for (size_t j = 0; j < n; j++) {
        if (isfinite(a[j]))
            scale = fmax(scale, fabs(a[j]));
        if (isfinite(b[j]))
            scale = fmax(scale, fabs(b[j]));
    }
    for (size_t j = 0; j < n; j++) {
        if (a[j] == b[j] || (isnan(a[j]) && isnan(b[j])))
            continue;
        double d = fabs(a[j] - b[j]);
        if (!isfinite(d))
            return INFINITY;
        worst = fmax(worst, d);
    }
    if (worst == 0)
        return 0;
    return scale > 0 ? worst / scale : INFINITY;
}

static json_t *number_or_null(double v, bool have)
{
    return have && isfinite(v) ? json_real(v) : have && isinf(v) ? json_string("inf") : json_null();
}

/* ---- declared outputs ---- */

typedef struct declared {
    tc_outputs *sets;
    size_t n, cap;
} declared;

static bool output_names(const tc_sedml_output *o, const char *name)
{
    for (size_t j = 0; j < o->nitems; j++) {
        const tc_sedml_output_item *it = &o->items[j];
        if ((it->id && strcmp(it->id, name) == 0) || (it->label && strcmp(it->label, name) == 0))
            return true;
    }
    return false;
}

/* The report a CSV file declares: by its path (docs/sedml.md), else the one
 * report of the package whose data sets its header names, all of them. */
static bool csv_target(const tc_file *f, tc_sedml_doc **docs, size_t ndocs, const char **sedml,
                       const char **report)
{
    size_t len = strlen(f->path);
    char *stem = tc_xstrndup(f->path, len - 4);
    const char *slash = strrchr(stem, '/');
    const char *base = slash ? slash + 1 : stem;
    int byname = 0;
    for (size_t i = 0; i < ndocs; i++) {
        const tc_sedml_output *o = tc_sedml_find_output(docs[i], base);
        if (!o || o->kind != TC_SEDML_REPORT)
            continue;
        size_t plen = strlen(docs[i]->path);
        if ((size_t)(base - stem) == plen + 1 && strncmp(stem, docs[i]->path, plen) == 0) {
            *sedml = docs[i]->path;
            *report = o->id;
            free(stem);
            return true;
        }
        if (byname++ == 0) {
            *sedml = docs[i]->path;
            *report = o->id;
        }
    }
    free(stem);
    if (byname == 1)
        return true;
    tc_csv csv;
    tc_findings scratch;
    tc_findings_init(&scratch);
    int rc = tc_csv_parse(&csv, f->data, f->size, f->path, "sedml:output-unreadable", &scratch);
    tc_findings_release(&scratch);
    if (rc != 0)
        return false;
    int matches = 0;
    for (size_t i = 0; i < ndocs; i++)
        for (size_t k = 0; k < docs[i]->noutputs; k++) {
            const tc_sedml_output *o = &docs[i]->outputs[k];
            bool all = o->kind == TC_SEDML_REPORT && csv.ncols > 0;
            for (size_t c = 0; all && c < csv.ncols; c++)
                all = output_names(o, csv.header[c]);
            if (all && matches++ == 0) {
                *sedml = docs[i]->path;
                *report = o->id;
            }
        }
    tc_csv_release(&csv);
    return matches == 1;
}

static void read_declared(const tc_package *pkg, tc_sedml_doc **docs, size_t ndocs, declared *d)
{
    tc_findings scratch; /* unreadable outputs are the SED-ML stage's findings */
    tc_findings_init(&scratch);
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (!f->present || f->rejected || !f->data)
            continue;
        size_t len = strlen(f->path);
        bool csv = f->kind == TC_KIND_CSV && len > 4 && strcmp(f->path + len - 4, ".csv") == 0;
        bool numl = tc_numl_file(f);
        if (f->kind != TC_KIND_HDF5 && !csv && !numl)
            continue;
        bool source = false;
        for (size_t k = 0; k < ndocs; k++)
            for (size_t j = 0; j < docs[k]->ndata_descriptions; j++)
                source = source || (docs[k]->data_descriptions[j].source_path &&
                                    strcmp(docs[k]->data_descriptions[j].source_path, f->path) == 0);
        if (source)
            continue;
        TC_GROW(d->sets, d->cap, d->n + 1);
        tc_outputs *o = &d->sets[d->n];
        tc_outputs_init(o, f->path);
        int rc = TC_EINVAL;
        const char *sedml = NULL, *report = NULL;
        if (f->kind == TC_KIND_HDF5)
            rc = tc_outputs_read_hdf5(o, f, &scratch);
        else if (numl)
            rc = tc_outputs_read_numl(o, f, NULL, &scratch); /* components name their reports */
        else if (csv_target(f, docs, ndocs, &sedml, &report))
            rc = tc_outputs_read_csv(o, f, sedml, report, &scratch);
        if (rc == 0)
            d->n++;
        else
            tc_outputs_release(o);
    }
    tc_findings_release(&scratch);
    tc_error_clear();
}

static bool names_item(const tc_output_dataset *x, const tc_sedml_output_item *it)
{
    return (it->id && strcmp(x->id, it->id) == 0) || (it->label && strcmp(x->id, it->label) == 0) ||
           (x->label && it->label && strcmp(x->label, it->label) == 0);
}

/* The declared values of data set `it` (item `index` of a report of `nitems`), or
 * of a plot's data generator `dg`. A file that declares as many data sets for the
 * report as it has, in its order, is read by position when the names agree there:
 * that keeps a header that repeats a name (a parameter called "Time" beside the
 * time column) apart. Otherwise the first data set with the name is taken. */
static const tc_output_dataset *find_declared(const declared *d, const char *sedml,
                                              const char *output, const tc_sedml_output_item *it,
                                              size_t index, size_t nitems, const char *dg,
                                              const char **file)
{
    for (size_t s = 0; it && s < d->n; s++) {
        size_t k = 0;
        const tc_output_dataset *at = NULL;
        for (size_t i = 0; i < d->sets[s].len; i++) {
            const tc_output_dataset *x = &d->sets[s].items[i];
            if (!x->output || strcmp(x->output, output) != 0 ||
                (x->sedml && strcmp(x->sedml, sedml) != 0))
                continue;
            if (k++ == index)
                at = x;
        }
        if (k == nitems && at && names_item(at, it)) {
            *file = d->sets[s].file;
            return at;
        }
    }
    for (size_t s = 0; s < d->n; s++)
        for (size_t i = 0; i < d->sets[s].len; i++) {
            const tc_output_dataset *x = &d->sets[s].items[i];
            if (!x->output || strcmp(x->output, output) != 0 ||
                (x->sedml && strcmp(x->sedml, sedml) != 0))
                continue;
            if (dg ? strcmp(x->id, dg) == 0 : names_item(x, it)) {
                *file = d->sets[s].file;
                return x;
            }
        }
    return NULL;
}

/* Tolerances from the dossier: {"tolerances": {"absolute": A, "relative": R}}. */
static bool dossier_tolerances(const tc_package *pkg, double *atol, double *rtol)
{
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (f->kind != TC_KIND_DOSSIER || !f->data)
            continue;
        json_t *j = json_loadb((const char *)f->data, f->size, 0, NULL);
        json_t *t = json_object_get(j, "tolerances");
        json_t *a = json_object_get(t, "absolute"), *r = json_object_get(t, "relative");
        bool ok = json_is_number(a) && json_is_number(r) && json_number_value(a) >= 0 &&
                  json_number_value(r) >= 0;
        if (ok) {
            *atol = json_number_value(a);
            *rtol = json_number_value(r);
        }
        json_decref(j);
        if (ok)
            return true;
    }
    return false;
}

/* ---- one data set ---- */

typedef struct item_ref {
    const tc_sedml_output *out;
    const tc_sedml_output_item *item; /* NULL for a plot's data generator */
    const char *dg;
    long line;
    size_t index; /* of the item in its output */
} item_ref;

/* Count the declared values that v (at times t) does not reproduce within
 * atol + rtol |declared|; the largest errors, and the time of the worst one. */
static size_t compare(const tc_output_dataset *x, const double *v, const double *t, double atol,
                      double rtol, double *max_abs, double *max_rel, double *at_time)
{
    size_t bad = 0;
    double worst = -1;
    *max_abs = *max_rel = 0;
    *at_time = NAN;
    for (size_t j = 0; j < x->nvalues; j++) {
        double dv = x->values[j], sv = v[j];
        if (isnan(dv) && isnan(sv))
            continue;
        double err = dv == sv ? 0 : fabs(sv - dv); /* equal infinities agree */
        double rel = dv != 0 && isfinite(dv) ? err / fabs(dv) : err == 0 ? 0 : INFINITY;
        double ratio = err / (atol + rtol * fabs(dv));
        if (isnan(err))
            err = rel = ratio = INFINITY;
        if (err > atol + rtol * fabs(dv) || isinf(err))
            bad++;
        *max_abs = fmax(*max_abs, err);
        *max_rel = fmax(*max_rel, rel);
        if (ratio > worst) {
            worst = ratio;
            *at_time = t[j];
        }
    }
    return bad;
}

/* Is data generator `dg` the time alone? */
static bool time_only(const tc_sedml_data_generator *dg)
{
    if (!dg)
        return false;
    const tc_sedml_calc *c = &dg->calc;
    return c->nvars == 1 && is_time(c->vars[0].symbol) && c->math &&
           c->math->op == TC_EXPR_SYMBOL && c->vars[0].id && c->math->name &&
           strcmp(c->math->name, c->vars[0].id) == 0;
}

/* The index of the declared value v reproduces worst, relative to its tolerance. */
static size_t worst_point(const tc_output_dataset *x, const double *v, double atol, double rtol)
{
    size_t at = 0;
    double worst = -1;
    for (size_t j = 0; j < x->nvalues; j++) {
        double dv = x->values[j];
        if (isnan(dv) && isnan(v[j]))
            continue;
        double ratio = dv == v[j] ? 0 : fabs(v[j] - dv) / (atol + rtol * fabs(dv));
        if (isnan(ratio))
            ratio = INFINITY;
        if (ratio > worst) {
            worst = ratio;
            at = j;
        }
    }
    return at;
}

/* The declared values of a report data set whose declared grid differs from the
 * simulation's, when the report also declares the time. For a plain uniform time
 * course the task is simulated again (at D's tolerances) with output at the declared
 * time points inside the simulated span [outputStartTime, outputEndTime]. For a
 * repeated task whose simulations are all uniform time courses, the declared values
 * are its time courses of the data set's model one after the other: the declared
 * time column is split where the time goes back, each piece is the output grid of
 * one time course (inside its span, with its end time added so that a state carried
 * to the next iteration is the one at the end), and the declared points are compared.
 * Returns 0 (pass) or 1 (fail) with *why set, or -1 when this does not apply. */
static int verify_on_declared_grid(doc_ctx *d, const declared *decl, const item_ref *ir,
                                   const tc_sedml_data_generator *dg, const tc_output_dataset *x,
                                   size_t nsim, double *max_abs, double *max_rel, double *at_time,
                                   char **why)
{
    const tc_sedml_doc *doc = d->rc.doc;
    const tc_output_dataset *xt = NULL;
    const char *file = NULL;
    for (size_t i = 0; i < ir->out->nitems && !xt; i++) {
        const tc_sedml_output_item *it = &ir->out->items[i];
        if (it->x && time_only(tc_sedml_find_data_generator(doc, it->x)))
            xt = find_declared(decl, doc->path, ir->out->id, it, i, ir->out->nitems, NULL, &file);
    }
    const tc_sedml_variable *v0 = dg->calc.nvars ? &dg->calc.vars[0] : NULL;
    const tc_sedml_task *task = v0 && v0->task_ref ? tc_sedml_find_task(doc, v0->task_ref) : NULL;
    if (!xt || xt->nvalues != x->nvalues || x->nvalues == 0 || !task)
        return -1;
    for (size_t i = 1; i < dg->calc.nvars; i++) {
        const tc_sedml_variable *v = &dg->calc.vars[i];
        if ((v->task_ref && strcmp(v->task_ref, task->id) != 0) ||
            (v->model_ref && v0->model_ref && strcmp(v->model_ref, v0->model_ref) != 0) ||
            (!v->model_ref != !v0->model_ref))
            return -1;
    }
    bool repeated = task->kind == TC_SEDML_REPEATED_TASK;
    /* the simulations the task runs, in order (from the converged run D) */
    const rr_run *runs = NULL;
    size_t nruns = 1;
    const char *model = NULL;
    if (repeated) {
        const rr_exec *e = task_exec(d, task, 3);
        if (e->status != RR_OK || e->nruns == 0)
            return -1;
        runs = e->runs;
        nruns = e->nruns;
        model = v0->model_ref ? v0->model_ref : runs[0].model_id;
    } else if (task->kind != TC_SEDML_TASK) {
        return -1;
    }
    const tc_sedml_simulation **sims = tc_xcalloc(nruns, sizeof *sims);
    rr_grid *grids = tc_xcalloc(nruns, sizeof *grids);
    double *times = tc_xcalloc(x->nvalues + nruns, sizeof *times);
    size_t *idx = tc_xcalloc(x->nvalues, sizeof *idx), *row = tc_xcalloc(x->nvalues, sizeof *row);
    size_t *piece = tc_xcalloc(x->nvalues, sizeof *piece), *pstart = NULL;
    int rc = -1;
    size_t ncourses = 0; /* time courses of the data set's model */
    for (size_t r = 0; r < nruns; r++) {
        const tc_sedml_task *t = repeated ? runs[r].task : task;
        sims[r] = t && t->simulation_ref ? tc_sedml_find_simulation(doc, t->simulation_ref) : NULL;
        if (!sims[r] || sims[r]->kind != TC_SEDML_SIM_UNIFORM_TIME_COURSE)
            goto done; /* a oneStep or steady state has no grid of its own to replace */
        ncourses += !repeated || strcmp(runs[r].model_id, model) == 0;
    }
    if (ncourses == 0)
        goto done; /* the data set's model is not simulated: nothing to split into */
    /* where the declared time goes back, a time course restarts */
    size_t pieces = 1, first_back = 0;
    pstart = tc_xcalloc(x->nvalues + 1, sizeof *pstart);
    for (size_t j = 1; repeated && j < xt->nvalues; j++)
        if (xt->values[j] < xt->values[j - 1]) {
            /* the likely culprit: a step back that does not return to the first time,
             * else the first step back too many */
            if (!first_back && (xt->values[j] > xt->values[0] || pieces == ncourses))
                first_back = j;
            pstart[pieces++] = j;
        }
    pstart[pieces] = x->nvalues;
    if (repeated && pieces != ncourses) {
        rc = 1;
        *max_abs = *max_rel = *at_time = NAN;
        *why =
            pieces > ncourses
                ? tc_xasprintf("%s declares %zu values in %zu time courses (by where its time "
                               "goes back), but repeated task '%s' runs %zu of model '%s': "
                               "the declared times do not ascend inside a time course (value "
                               "%zu: t=%g after %g), so the declared grid cannot be matched",
                               file, x->nvalues, pieces, task->id, ncourses, model, first_back + 1,
                               xt->values[first_back], xt->values[first_back - 1])
                : tc_xasprintf("%s declares %zu values in %zu time courses (by where its time "
                               "goes back), but repeated task '%s' runs %zu of model '%s': "
                               "the number of iterations differs, so the declared grid "
                               "cannot be matched",
                               file, x->nvalues, pieces, task->id, ncourses, model);
        goto done;
    }
    size_t m = 0, at = 0, rows = 0, k = 0;
    for (size_t r = 0; r < nruns; r++) {
        if (repeated && strcmp(runs[r].model_id, model) != 0)
            continue; /* another model's time course: its own grid, not compared */
        const tc_sedml_simulation *s = sims[r];
        double lo = s->output_start_time, hi = s->output_end_time;
        double eps = 1e-12 * fmax(fabs(lo), fabs(hi));
        size_t start = at;
        for (size_t j = pstart[k]; j < pstart[k + 1]; j++) {
            double t = xt->values[j];
            if (!(t >= lo - eps && t <= hi + eps))
                continue;
            t = fmin(fmax(t, lo), hi);
            if (at > start && t < times[at - 1])
                goto done; /* not ascending: no time course */
            idx[m] = j;
            piece[m] = k;
            row[m++] = rows + (at - start);
            times[at++] = t;
        }
        if (repeated && (at == start || times[at - 1] < hi))
            times[at++] = hi; /* the state at the end goes on to the next iteration */
        grids[r] = (rr_grid){times + start, at - start};
        rows += at - start;
        k++;
    }
    if (m == 0)
        goto done;
    d->grids = grids;
    d->ngrids = nruns;
    dg_values gg;
    dg_compute(d, dg, GRID, false, &gg);
    d->grids = NULL;
    d->ngrids = 0;
    if (gg.status == RR_OK && gg.n == rows) {
        double *dv = tc_xcalloc(m, sizeof *dv), *sv = tc_xcalloc(m, sizeof *sv),
               *st = tc_xcalloc(m, sizeof *st);
        for (size_t q = 0; q < m; q++) {
            dv[q] = x->values[idx[q]];
            sv[q] = gg.v[row[q]];
            st[q] = gg.t[row[q]];
        }
        tc_output_dataset sub = {.values = dv, .nvalues = m};
        size_t bad = compare(&sub, sv, st, d->atol, d->rtol, max_abs, max_rel, at_time);
        rc = bad ? 1 : 0;
        const tc_sedml_simulation *s = sims[0];
        if (!repeated)
            *why = bad ? tc_xasprintf("%s declares %zu values on its own time points (the "
                                      "simulation has %zu); at the %zu inside the simulated span "
                                      "[%g, %g], re-run there, %zu differ by more than %g + %g x "
                                      "|declared| (%s); the largest at t=%g",
                                      file, x->nvalues, nsim, m, s->output_start_time,
                                      s->output_end_time, bad, d->atol, d->rtol, d->tol_source,
                                      *at_time)
                       : tc_xasprintf("%s declares %zu values on its own time points (the "
                                      "simulation has %zu); the %zu inside the simulated span "
                                      "[%g, %g], re-run there, are within %g + %g x |declared| "
                                      "(%s)%s",
                                      file, x->nvalues, nsim, m, s->output_start_time,
                                      s->output_end_time, d->atol, d->rtol, d->tol_source,
                                      m < x->nvalues ? "; the others are outside it, not compared"
                                                     : "");
        else
            *why = bad ? tc_xasprintf("%s declares %zu values on its own time points in %zu time "
                                      "courses of repeated task '%s' (the simulation has %zu "
                                      "values); at the %zu inside the simulated spans, re-run "
                                      "there, %zu differ by more than %g + %g x |declared| (%s); "
                                      "the largest at t=%g of time course %zu",
                                      file, x->nvalues, ncourses, task->id, nsim, m, bad, d->atol,
                                      d->rtol, d->tol_source, *at_time,
                                      piece[worst_point(&sub, sv, d->atol, d->rtol)] + 1)
                       : tc_xasprintf("%s declares %zu values on its own time points in %zu time "
                                      "courses of repeated task '%s' (the simulation has %zu "
                                      "values); the %zu inside the simulated spans, re-run there, "
                                      "are within %g + %g x |declared| (%s)%s",
                                      file, x->nvalues, ncourses, task->id, nsim, m, d->atol,
                                      d->rtol, d->tol_source,
                                      m < x->nvalues ? "; the others are outside them, not compared"
                                                     : "");
        free(dv);
        free(sv);
        free(st);
    }
    dg_release(&gg);
done:
    free(sims);
    free(grids);
    free(times);
    free(idx);
    free(row);
    free(piece);
    free(pstart);
    return rc;
}

static void verify_item(doc_ctx *d, const declared *decl, const item_ref *ir,
                        tc_rerun_result *res, const char *target)
{
    const tc_sedml_doc *doc = d->rc.doc;
    const char *set_id = ir->item ? (ir->item->id ? ir->item->id : "") : ir->dg;
    json_t *e = json_object();
    if (target)
        json_object_set_new(e, "target", json_string(target));
    json_object_set_new(e, "sedml", json_string(doc->path));
    json_object_set_new(e, "report", json_string(ir->out->id ? ir->out->id : ""));
    json_object_set_new(e, "data_set", json_string(set_id));
    if (ir->item && ir->item->label)
        json_object_set_new(e, "label", json_string(ir->item->label));
    json_object_set_new(e, "data_generator", json_string(ir->dg ? ir->dg : ""));
    json_object_set_new(e, "line", json_integer(ir->line));
    tc_loc at = {.file = doc->path, .line = ir->line};

    const tc_sedml_data_generator *dg = ir->dg ? tc_sedml_find_data_generator(doc, ir->dg) : NULL;
    dg_values g[NCONFIG];
    memset(g, 0, sizeof g);
    const char *verdict = "not-verifiable";
    char *reason = NULL;
    double max_abs = NAN, max_rel = NAN, at_time = NAN, cross = NAN, conv = NAN;
    bool have_cmp = false, have_cross = false, have_conv = false;
    const char *decl_file = NULL;

    if (!dg) {
        verdict = "fail";
        reason = tc_xasprintf("data set '%s' names no data generator ('%s')", set_id,
                              ir->dg ? ir->dg : "");
        tc_finding_add(d->fs, "rerun:missing-variable", at, "%s", reason);
        goto emit;
    }
    dg_compute(d, dg, 0, false, &g[0]);
    json_object_set_new(e, "task", g[0].task ? json_string(g[0].task) : json_null());
    if (g[0].exec && g[0].exec->substitution)
        json_object_set_new(e, "algorithm", json_string(g[0].exec->substitution));
    if (g[0].exec && g[0].exec->integrator)
        json_object_set_new(e, "integrator", json_string(g[0].exec->integrator));
    if (g[0].status != RR_OK) {
        verdict = g[0].status == RR_NOT_VERIFIABLE ? "not-verifiable" : "fail";
        reason = tc_xstrdup(g[0].reason);
        /* a task's own failure was reported once at its cause; others here */
        if (!g[0].exec || g[0].exec->status == RR_OK)
            tc_finding_add(d->fs, g[0].rule, (tc_loc){.file = doc->path, .line = g[0].line}, "%s",
                           g[0].reason);
        goto emit;
    }
    for (int k = 1; k < NCONFIG; k++)
        dg_compute(d, dg, k, false, &g[k]);
    int ref = g[3].status == RR_OK && g[3].n == g[0].n   ? 3
              : g[2].status == RR_OK && g[2].n == g[0].n ? 2
                                                         : 0;
    if (g[1].status == RR_OK && g[1].n == g[0].n) {
        cross = rel_diff(g[1].v, g[0].v, g[0].n);
        have_cross = true;
    }
    if (ref) {
        conv = rel_diff(g[0].v, g[ref].v, g[0].n);
        have_conv = true;
    }
    /* hand the most accurate series over to the assessment */
    double *st = keep(res, tc_xcalloc(g[ref].n ? g[ref].n : 1, sizeof(double)));
    double *sv = keep(res, tc_xcalloc(g[ref].n ? g[ref].n : 1, sizeof(double)));
    memcpy(st, g[ref].t, g[ref].n * sizeof(double));
    memcpy(sv, g[ref].v, g[ref].n * sizeof(double));
    TC_GROW(res->series, res->capseries, res->nseries + 1);
    res->series[res->nseries++] = (tc_sim_series){
        .sedml = keep(res, tc_xstrdup(doc->path)), .report = keep(res, tc_xstrdup(ir->out->id)),
        .data_set = keep(res, tc_xstrdup(set_id)), .time = st, .value = sv, .n = g[ref].n};

    double still = ref == 3 && g[2].status == RR_OK ? rel_diff(g[2].v, g[3].v, g[3].n) : 0;
    const tc_output_dataset *x =
        find_declared(decl, doc->path, ir->out->id, ir->item, ir->index, ir->out->nitems,
                      ir->item ? NULL : ir->dg, &decl_file);
    if (have_cross && cross > d->rtol)
        tc_finding_add(d->fs, "rerun:integrators-disagree", at,
                       "data set '%s' of '%s': bdf and rk45 differ by %.3g (relative), more than "
                       "the tolerance %g",
                       set_id, ir->out->id, cross, d->rtol);
    if (still > d->rtol) {
        reason = tc_xasprintf("the re-run does not converge: tightening the tolerances from 10x "
                              "to 100x still moves it by %.3g (relative), more than %g; the "
                              "declared values cannot be checked against it",
                              still, d->rtol);
        tc_finding_add(d->fs, "rerun:not-converged", at, "data set '%s' of '%s': %s", set_id,
                       ir->out->id, reason);
        goto emit;
    }
    if (!x) {
        reason = tc_xstrdup("the package declares no values for this data set");
        tc_finding_add(d->fs, "rerun:no-declared", at,
                       "data set '%s' of '%s' was re-run, but the package declares no values for "
                       "it (CSV or reports.h5)",
                       set_id, ir->out->id);
        goto emit;
    }
    json_object_set_new(e, "declared", json_string(decl_file));
    if (x->nvalues != g[ref].n && ir->item) {
        /* another grid: simulate at the declared time points inside the span */
        char *why = NULL;
        int r = verify_on_declared_grid(d, decl, ir, dg, x, g[ref].n, &max_abs, &max_rel, &at_time,
                                        &why);
        if (r >= 0) {
            have_cmp = !isnan(max_abs); /* not when the grid could not be matched */
            verdict = r == 0 ? "pass" : "fail";
            reason = why;
            if (r != 0 && have_cmp)
                tc_finding_add(d->fs, "rerun:fail", at,
                               "data set '%s' of '%s': %s declares values the re-run does not "
                               "reproduce: %s (largest difference %.3g)",
                               set_id, ir->out->id, decl_file, reason, max_abs);
            else if (r != 0)
                tc_finding_add(d->fs, "rerun:fail", at, "data set '%s' of '%s': %s", set_id,
                               ir->out->id, reason);
            goto emit;
        }
        free(why);
    }
    if (x->nvalues != g[ref].n) {
        verdict = "fail";
        reason = tc_xasprintf("%s declares %zu values, the re-run gives %zu", decl_file,
                              x->nvalues, g[ref].n);
        tc_finding_add(d->fs, "rerun:fail", at, "data set '%s' of '%s': %s", set_id, ir->out->id,
                       reason);
        goto emit;
    }
    have_cmp = true;
    size_t bad = compare(x, g[ref].v, g[ref].t, d->atol, d->rtol, &max_abs, &max_rel, &at_time);
    if (bad == 0) {
        verdict = "pass";
        reason = tc_xasprintf("%zu values within %g + %g x |declared| (%s)", x->nvalues, d->atol,
                              d->rtol, d->tol_source);
        goto emit;
    }
    /* Declared in the other form? (a tool that reports every species as a
     * concentration, say): the numbers are reproduced, the reading differs. */
    dg_values alt;
    dg_compute(d, dg, ref, true, &alt);
    double a_abs, a_rel, a_time;
    if (alt.status == RR_OK && alt.switched && alt.n == x->nvalues &&
        compare(x, alt.v, alt.t, d->atol, d->rtol, &a_abs, &a_rel, &a_time) == 0) {
        verdict = "pass";
        max_abs = a_abs;
        max_rel = a_rel;
        at_time = a_time;
        json_object_set_new(e, "declared_form", json_string(alt.switched));
        reason = tc_xasprintf("%zu values within %g + %g x |declared| (%s), with %s: the "
                              "declared values are in the other form than the target reads",
                              x->nvalues, d->atol, d->rtol, d->tol_source, alt.switched);
        tc_finding_add(d->fs, "rerun:form-differs", at,
                       "data set '%s' of '%s': %s declares species %s; the re-run reproduces "
                       "them in that form",
                       set_id, ir->out->id, decl_file, alt.switched);
        dg_release(&alt);
        goto emit;
    }
    dg_release(&alt);
    verdict = "fail";
    reason = tc_xasprintf("%zu of %zu values differ by more than %g + %g x |declared| (%s); "
                          "the largest at t=%g",
                          bad, x->nvalues, d->atol, d->rtol, d->tol_source, at_time);
    tc_finding_add(d->fs, "rerun:fail", at,
                   "data set '%s' of '%s': %s declares values the re-run does not "
                   "reproduce: %s (largest difference %.3g)",
                   set_id, ir->out->id, decl_file, reason, max_abs);
emit:
    json_object_set_new(e, "max_abs_error", number_or_null(max_abs, have_cmp));
    json_object_set_new(e, "max_rel_error", number_or_null(max_rel, have_cmp));
    json_object_set_new(e, "at_time", number_or_null(at_time, have_cmp && isfinite(at_time)));
    json_object_set_new(e, "cross_integrator_max_rel_diff", number_or_null(cross, have_cross));
    json_object_set_new(e, "convergence_max_rel_change", number_or_null(conv, have_conv));
    json_object_set_new(e, "atol", json_real(d->atol));
    json_object_set_new(e, "rtol", json_real(d->rtol));
    json_object_set_new(e, "verdict", json_string(verdict));
    json_object_set_new(e, "reason", json_string(reason ? reason : ""));
    json_array_append_new(res->entries, e);
    free(reason);
    for (int k = 0; k < NCONFIG; k++)
        dg_release(&g[k]);
}

static void rerun_doc(doc_ctx *d, const declared *decl, tc_rerun_result *res, const char *target)
{
    const tc_sedml_doc *doc = d->rc.doc;
    for (size_t i = 0; i < doc->noutputs; i++) {
        const tc_sedml_output *o = &doc->outputs[i];
        if (o->kind == TC_SEDML_FIGURE)
            continue;
        for (size_t j = 0; j < o->nitems; j++) {
            const tc_sedml_output_item *it = &o->items[j];
            if (o->kind == TC_SEDML_REPORT) {
                item_ref ir = {o, it, it->x, it->line, j};
                verify_item(d, decl, &ir, res, target);
                continue;
            }
            /* plots: each data generator once */
            const char *refs[3] = {it->x, it->y, it->z};
            for (int r = 0; r < 3; r++) {
                bool seen = !refs[r];
                for (size_t p = 0; p <= j && !seen; p++) {
                    const char *prev[3] = {o->items[p].x, o->items[p].y, o->items[p].z};
                    for (int q = 0; q < (p == j ? r : 3) && !seen; q++)
                        seen = prev[q] && strcmp(prev[q], refs[r]) == 0;
                }
                if (seen)
                    continue;
                item_ref ir = {o, NULL, refs[r], it->line, j};
                verify_item(d, decl, &ir, res, target);
            }
        }
    }
}

int tc_rerun_package(const tc_package *pkg, const tc_rerun_options *opt, tc_findings *fs,
                     tc_rerun_result *out)
{
    tc_sedml_doc **docs = NULL;
    size_t ndocs = 0, cap = 0;
    tc_findings scratch; /* the SED-ML stage reports the documents' own problems */
    tc_findings_init(&scratch);
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        tc_sedml_doc *doc = NULL;
        if (f->kind != TC_KIND_SEDML || !f->present || f->rejected ||
            tc_sedml_read(&doc, pkg, f, &scratch) != 0)
            continue;
        TC_GROW(docs, cap, ndocs + 1);
        docs[ndocs++] = doc;
    }
    tc_findings_release(&scratch);
    declared decl = {0};
    read_declared(pkg, docs, ndocs, &decl);

    doc_ctx d = {.rc = {.pkg = pkg, .opt = opt}, .fs = fs};
    if (dossier_tolerances(pkg, &d.atol, &d.rtol)) {
        d.tol_source = "tolerances of the credibility dossier";
    } else {
        d.atol = opt->atol > 0 ? opt->atol : TC_RERUN_DEFAULT_ATOL;
        d.rtol = opt->rtol > 0 ? opt->rtol : TC_RERUN_DEFAULT_RTOL;
        d.tol_source = opt->atol > 0 || opt->rtol > 0 ? "tolerances of the options"
                                                      : "default tolerances";
    }
    for (size_t i = 0; i < ndocs; i++) {
        d.rc.doc = docs[i];
        rerun_doc(&d, &decl, out, fs->target ? fs->target : pkg->target);
        for (size_t t = 0; t < d.ntasks; t++) {
            for (int k = 0; k <= GRID; k++)
                rr_exec_release(&d.tasks[t].exec[k]);
            free(d.tasks[t].grid);
            free(d.tasks[t].grids);
        }
        free(d.tasks);
        d.tasks = NULL;
        d.ntasks = d.cap = 0;
    }
    out->outputs = (tc_sim_outputs){.series = out->series, .n = out->nseries};
    for (size_t i = 0; i < decl.n; i++)
        tc_outputs_release(&decl.sets[i]);
    free(decl.sets);
    for (size_t i = 0; i < ndocs; i++)
        tc_sedml_free(docs[i]);
    free(docs);
    tc_error_clear();
    return 0;
}

/* ---- text ---- */

static void put_cell(tc_buf *b, const json_t *v)
{
    if (json_is_real(v))
        tc_buf_printf(b, " %-10.3g", json_real_value(v));
    else
        tc_buf_printf(b, " %-10s", json_is_string(v) ? json_string_value(v) : "-");
}

char *tc_rerun_text(const json_t *entries)
{
    tc_buf b = TC_BUF_INIT;
    size_t counts[3] = {0, 0, 0};
    size_t i;
    json_t *e;
    tc_buf_puts(&b, "re-run: verdict, report/data set, max abs error, max rel error, at time, "
                    "bdf vs rk45, convergence\n");
    json_array_foreach(entries, i, e)
    {
        const char *v = json_string_value(json_object_get(e, "verdict"));
        counts[v && strcmp(v, "pass") == 0 ? 0 : v && strcmp(v, "fail") == 0 ? 1 : 2]++;
        tc_buf_printf(&b, "  %-14s %s/%s", v ? v : "?",
                      json_string_value(json_object_get(e, "report")),
                      json_string_value(json_object_get(e, "data_set")));
        put_cell(&b, json_object_get(e, "max_abs_error"));
        put_cell(&b, json_object_get(e, "max_rel_error"));
        put_cell(&b, json_object_get(e, "at_time"));
        put_cell(&b, json_object_get(e, "cross_integrator_max_rel_diff"));
        put_cell(&b, json_object_get(e, "convergence_max_rel_change"));
        tc_buf_printf(&b, "\n      %s: %s\n", json_string_value(json_object_get(e, "sedml")),
                      json_string_value(json_object_get(e, "reason")));
    }
    tc_buf_printf(&b, "re-run: %zu pass, %zu fail, %zu not verifiable\n", counts[0], counts[1],
                  counts[2]);
    return tc_buf_detach(&b);
}
