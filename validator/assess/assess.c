/* The credibility engine: read the dossier, compute the model risk, derive the
 * tool's own evidence, and set required, claimed and supported gradations side
 * by side for every factor of the pack. */
#include <libxml/tree.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define DEFAULT_PACK "vv40"
#define MAX_QOIS 1000
#define MAX_COMPARISONS 1000
#define MAX_EVIDENCE 1000

typedef struct qoi {
    const char *id, *sedml, *report, *data_set;
    bool resolves;
} qoi;

typedef struct ctx {
    const tc_assess_input *in;
    const tc_pack *pack;
    tc_findings *fs;
    const char *file; /* the dossier's package path */
    json_t *dossier;
    int risk;      /* computed, 0 when it cannot be */
    int risk_used; /* the level requirements are read at */
    double measure[M_COUNT];
    bool have[M_COUNT];
    qoi *qois;
    size_t nqois;
    json_t *comparisons; /* report entries */
    bool not_met;        /* some factor falls short of its requirement */
} ctx;

/* ---- findings ------------------------------------------------------------------ */

/* `cred:RULES:kind` when the catalogue has it for this pack's rules, otherwise
 * the generic `cred:kind` (packs written by users). */
static char *rule_for(const ctx *c, const char *kind)
{
    char *id = tc_xasprintf("cred:%s:%s", c->pack->rules, kind);
    if (tc_rule_find(id))
        return id;
    free(id);
    id = tc_xasprintf("cred:%s", kind);
    if (tc_rule_find(id))
        return id;
    free(id);
    return tc_xstrdup("cred:requirement-missing");
}

static void add_at(ctx *c, const char *kind, const char *pointer, const char *fmt, ...)
    TC_PRINTF(4, 5);
static void add_at(ctx *c, const char *kind, const char *pointer, const char *fmt, ...)
{
    char *id = rule_for(c, kind);
    const tc_rule *r = tc_rule_find(id);
    va_list ap;
    va_start(ap, fmt);
    tc_finding_vadd(c->fs, id, r ? r->severity : TC_ERROR,
                    (tc_loc){.file = c->file, .path = pointer}, fmt, ap);
    va_end(ap);
    free(id);
}

/* A dossier-format finding (pack-independent ids). */
static void add_dossier(ctx *c, const char *rule, const char *pointer, const char *fmt, ...)
    TC_PRINTF(4, 5);
static void add_dossier(ctx *c, const char *rule, const char *pointer, const char *fmt, ...)
{
    const tc_rule *r = tc_rule_find(rule);
    va_list ap;
    va_start(ap, fmt);
    tc_finding_vadd(c->fs, rule, r ? r->severity : TC_ERROR,
                    (tc_loc){.file = c->file, .path = pointer}, fmt, ap);
    va_end(ap);
}

/* ---- JSON helpers -------------------------------------------------------------- */

/* A JSON pointer token: "~" -> "~0", "/" -> "~1". */
static char *escape_token(const char *s)
{
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "");
    for (; *s; s++) {
        if (*s == '~')
            tc_buf_puts(&b, "~0");
        else if (*s == '/')
            tc_buf_puts(&b, "~1");
        else
            tc_buf_add(&b, s, 1);
    }
    return tc_buf_detach(&b);
}

static json_t *pointer_get(json_t *root, const char *pointer)
{
    json_t *cur = root;
    const char *p = pointer;
    while (cur && *p == '/') {
        p++;
        size_t n = strcspn(p, "/");
        tc_buf tok = TC_BUF_INIT;
        tc_buf_puts(&tok, "");
        for (size_t i = 0; i < n; i++) {
            if (p[i] == '~' && i + 1 < n && (p[i + 1] == '0' || p[i + 1] == '1')) {
                tc_buf_add(&tok, p[i + 1] == '0' ? "~" : "/", 1);
                i++;
            } else {
                tc_buf_add(&tok, p + i, 1);
            }
        }
        if (json_is_object(cur)) {
            cur = json_object_get(cur, tok.data);
        } else if (json_is_array(cur)) {
            char *end = NULL;
            unsigned long idx = strtoul(tok.data, &end, 10);
            cur = (tok.len && end && *end == '\0') ? json_array_get(cur, idx) : NULL;
        } else {
            cur = NULL;
        }
        tc_buf_release(&tok);
        p += n;
    }
    return cur;
}

static bool non_empty(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return false;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    if (json_is_object(v))
        return json_object_size(v) > 0;
    return true;
}

static const char *str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static json_t *number_or_null(bool have, double v)
{
    return have && isfinite(v) ? json_real(v) : json_null();
}

/* ---- finding the dossier --------------------------------------------------------- */

static const tc_file *find_dossier(ctx *c)
{
    const tc_package *pkg = c->in->pkg;
    const tc_file *found = NULL;
    size_t count = 0;
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (f->kind == TC_KIND_DOSSIER && f->present && !f->rejected && f->data) {
            if (!found)
                found = f;
            count++;
        }
    }
    if (count > 1) {
        c->file = found->path;
        add_dossier(c, "cred:dossier-multiple", NULL,
                    "%zu files are declared as credibility dossiers; '%s' is assessed and the "
                    "others are ignored",
                    count, found->path);
    }
    if (found)
        return found;
    static const char *const fallback[] = {"credibility/dossier.json", "dossier.json"};
    for (size_t i = 0; i < 2; i++) {
        const tc_file *f = tc_package_find(pkg, fallback[i]);
        if (f && f->present && !f->rejected && f->data) {
            c->file = f->path;
            add_dossier(c, "cred:dossier-undeclared", NULL,
                        "'%s' is read as the credibility dossier, but the manifest does not "
                        "declare it with format " TC_DOSSIER_FORMAT,
                        f->path);
            return f;
        }
    }
    return NULL;
}

/* ---- the tool's own evidence ------------------------------------------------------ */

static void set_measure(ctx *c, tc_measure m, double v)
{
    if (!c->have[m] || v > c->measure[m])
        c->measure[m] = v;
    c->have[m] = true;
}

static void rerun_measures(ctx *c)
{
    const json_t *reruns = c->in->reruns;
    if (!json_is_array(reruns))
        return;
    c->have[M_RERUN_COUNT] = c->have[M_RERUN_FAILED] = true;
    size_t i;
    json_t *e;
    json_array_foreach(reruns, i, e)
    {
        const char *target = str(e, "target");
        if (!json_is_object(e) || (target && strcmp(target, c->in->pkg->target) != 0))
            continue;
        const char *verdict = str(e, "verdict");
        if (verdict && (strcmp(verdict, "pass") == 0 || strcmp(verdict, "fail") == 0))
            c->measure[M_RERUN_COUNT]++;
        if (verdict && strcmp(verdict, "fail") == 0)
            c->measure[M_RERUN_FAILED]++;
        static const struct {
            const char *key;
            tc_measure m;
        } fields[] = {{"cross_integrator_max_rel_diff", M_CROSS},
                      {"convergence_max_rel_change", M_CONVERGENCE},
                      {"max_rel_error", M_REPRO}};
        for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
            json_t *v = json_object_get(e, fields[k].key);
            if (json_is_number(v) && isfinite(json_number_value(v)))
                set_measure(c, fields[k].m, json_number_value(v));
        }
    }
}

static void prior_measures(ctx *c)
{
    const tc_findings *prior = c->in->prior;
    if (!prior)
        return;
    c->have[M_VAL_ERRORS] = c->have[M_VAL_WARNINGS] = true;
    for (size_t i = 0; i < prior->len; i++) {
        const tc_finding *f = &prior->items[i];
        /* Standards conformance: the re-run's own findings are not about standards. */
        if (strncmp(f->rule, "cred:", 5) == 0 || strncmp(f->rule, "rerun:", 6) == 0 ||
            (f->target && strcmp(f->target, c->in->pkg->target) != 0))
            continue;
        if (f->severity >= TC_ERROR)
            c->measure[M_VAL_ERRORS]++;
        else if (f->severity == TC_WARNING)
            c->measure[M_VAL_WARNINGS]++;
    }
}

/* ---- quantities of interest -------------------------------------------------------- */

/* Does the SED-ML document have report `report` with data set `data_set`? */
static bool sedml_has_output(xmlNode *node, const char *report, const char *data_set, int depth)
{
    for (xmlNode *n = node; n && depth < 64; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (xmlStrcmp(n->name, BAD_CAST "report") == 0) {
            xmlChar *id = xmlGetProp(n, BAD_CAST "id");
            bool match = id && strcmp((const char *)id, report) == 0;
            xmlFree(id);
            if (match) {
                bool ds = false;
                for (xmlNode *l = n->children; l && !ds; l = l->next) {
                    for (xmlNode *d = l->children; d && !ds; d = d->next) {
                        if (d->type != XML_ELEMENT_NODE ||
                            xmlStrcmp(d->name, BAD_CAST "dataSet") != 0)
                            continue;
                        xmlChar *did = xmlGetProp(d, BAD_CAST "id");
                        ds = did && strcmp((const char *)did, data_set) == 0;
                        xmlFree(did);
                    }
                }
                if (ds)
                    return true;
            }
        }
        if (sedml_has_output(n->children, report, data_set, depth + 1))
            return true;
    }
    return false;
}

static void ignore_xml_error(void *ctx_, long line, long column, const char *message)
{
    (void)ctx_;
    (void)line;
    (void)column;
    (void)message; /* the parse stage reports it */
}

static void read_qois(ctx *c)
{
    json_t *a = json_object_get(c->dossier, "quantities_of_interest");
    if (!a) {
        add_dossier(c, "cred:dossier-field-missing", "/quantities_of_interest",
                    "no quantities of interest: name each one with the SED-ML output (sedml, "
                    "report, data_set) it is read from");
        return;
    }
    if (!json_is_array(a) || json_array_size(a) > MAX_QOIS) {
        add_dossier(c, "cred:dossier-invalid", "/quantities_of_interest",
                    "quantities_of_interest must be an array of at most %d objects", MAX_QOIS);
        return;
    }
    c->qois = tc_xcalloc(json_array_size(a) + 1, sizeof *c->qois);
    size_t i;
    json_t *q;
    json_array_foreach(a, i, q)
    {
        char *ptr = tc_xasprintf("/quantities_of_interest/%zu", i);
        qoi *o = &c->qois[c->nqois];
        o->id = str(q, "id");
        o->sedml = str(q, "sedml");
        o->report = str(q, "report");
        o->data_set = str(q, "data_set");
        if (!o->id || !o->sedml || !o->report || !o->data_set) {
            add_dossier(c, "cred:dossier-field-missing", ptr,
                        "a quantity of interest needs the strings id, sedml, report and "
                        "data_set");
            free(ptr);
            continue;
        }
        c->nqois++;
        char *path = tc_package_resolve(c->in->pkg, "", o->sedml);
        const tc_file *f = path ? tc_package_find(c->in->pkg, path) : NULL;
        char *sp = tc_xasprintf("%s/sedml", ptr);
        if (!f || !f->present || !f->data) {
            add_at(c, "qoi-output-missing", sp,
                   "quantity of interest '%s' names SED-ML file '%s', which is not in the "
                   "package",
                   o->id, o->sedml);
        } else if (f->kind != TC_KIND_SEDML) {
            add_at(c, "qoi-output-missing", sp,
                   "quantity of interest '%s' names '%s', which is not a SED-ML file (%s)", o->id,
                   o->sedml, tc_kind_name(f->kind));
        } else {
            xmlDocPtr doc = tc_xml_read(f->data, f->size, f->path, ignore_xml_error, NULL);
            if (doc && sedml_has_output(xmlDocGetRootElement(doc), o->report, o->data_set, 0)) {
                o->resolves = true;
            } else if (doc) {
                char *rp = tc_xasprintf("%s/data_set", ptr);
                add_at(c, "qoi-output-missing", rp,
                       "quantity of interest '%s': '%s' has no report '%s' with data set '%s'",
                       o->id, o->sedml, o->report, o->data_set);
                free(rp);
            }
            xmlFreeDoc(doc);
        }
        free(sp);
        free(path);
        free(ptr);
    }
}

static const qoi *qoi_find(const ctx *c, const char *id)
{
    for (size_t i = 0; id && i < c->nqois; i++) {
        if (strcmp(c->qois[i].id, id) == 0)
            return &c->qois[i];
    }
    return NULL;
}

static const tc_sim_series *series_find(const ctx *c, const qoi *q)
{
    const tc_sim_outputs *sim = c->in->simulated;
    if (!sim)
        return NULL;
    char *want = tc_package_resolve(c->in->pkg, "", q->sedml);
    const tc_sim_series *found = NULL;
    for (size_t i = 0; want && i < sim->n && !found; i++) {
        const tc_sim_series *s = &sim->series[i];
        char *have = s->sedml ? tc_package_resolve(c->in->pkg, "", s->sedml) : NULL;
        if (have && strcmp(have, want) == 0 && s->report && strcmp(s->report, q->report) == 0 &&
            s->data_set && strcmp(s->data_set, q->data_set) == 0)
            found = s;
        free(have);
    }
    free(want);
    return found;
}

/* ---- validation comparisons -------------------------------------------------------- */

static const tc_file *package_file(const ctx *c, const char *ref)
{
    char *path = ref ? tc_package_resolve(c->in->pkg, "", ref) : NULL;
    const tc_file *f = path ? tc_package_find(c->in->pkg, path) : NULL;
    free(path);
    return f && f->present && !f->rejected && f->data ? f : NULL;
}

/* ratio <= 1 means the comparison meets its acceptance threshold. */
static double acceptance_ratio(tc_metric m, double value, double threshold)
{
    if (tc_metric_lower_is_better(m))
        return threshold > 0 ? value / threshold : (value == 0 ? 0 : INFINITY);
    return threshold < 1 ? (1 - value) / (1 - threshold) : (value >= 1 ? 0 : INFINITY);
}

/* Recompute one comparison; returns true when a value was computed. */
static bool compare_one(ctx *c, json_t *v, const char *ptr, json_t *entry, double *ratio)
{
    const char *qid = str(v, "qoi");
    json_t *cmp = json_object_get(v, "comparator");
    const char *metric_name = str(v, "metric");
    json_t *thr = json_object_get(v, "threshold");
    tc_metric metric = tc_metric_from_name(metric_name);
    bool ok = true;
    char *p = NULL;

    json_object_set_new(entry, "qoi", qid ? json_string(qid) : json_null());
    json_object_set_new(entry, "metric", metric_name ? json_string(metric_name) : json_null());
    json_object_set_new(entry, "threshold",
                        json_is_number(thr) ? json_real(json_number_value(thr)) : json_null());
    const qoi *q = qoi_find(c, qid);
    if (!q) {
        p = tc_xasprintf("%s/qoi", ptr);
        add_dossier(c, "cred:dossier-unknown-value", p,
                    "validation comparison names quantity of interest '%s', which "
                    "quantities_of_interest does not define",
                    qid ? qid : "(none)");
        free(p);
        ok = false;
    }
    if (metric == TC_METRIC_COUNT) {
        p = tc_xasprintf("%s/metric", ptr);
        add_dossier(c, "cred:dossier-unknown-value", p,
                    "unknown metric '%s' (expected max_abs_error, max_rel_error, rmse, nrmse or "
                    "fraction_within)",
                    metric_name ? metric_name : "(none)");
        free(p);
        ok = false;
    }
    if (!json_is_number(thr) || !isfinite(json_number_value(thr)) || json_number_value(thr) < 0) {
        p = tc_xasprintf("%s/threshold", ptr);
        add_at(c, "no-acceptance-criterion", p,
               "validation comparison has no acceptance criterion: give 'threshold', the value "
               "of the metric at which the model is accepted");
        free(p);
        ok = false;
    }
    const char *file = str(cmp, "file");
    const char *tcol = str(cmp, "time_column"), *vcol = str(cmp, "value_column");
    json_object_set_new(entry, "comparator", file ? json_string(file) : json_null());
    if (!file) {
        p = tc_xasprintf("%s/comparator", ptr);
        add_at(c, "no-comparator", p,
               "validation comparison has no comparator data: give comparator.file, a CSV file "
               "in the package, with time_column and value_column");
        free(p);
        return false;
    }
    const tc_file *f = package_file(c, file);
    if (!f) {
        p = tc_xasprintf("%s/comparator/file", ptr);
        add_at(c, "evidence-missing", p, "comparator data file '%s' is not in the package", file);
        free(p);
        return false;
    }
    char digest[65];
    tc_sha256_hex(f->data, f->size, digest);
    json_object_set_new(entry, "comparator_sha256", json_string(digest));
    if (!tcol || !vcol) {
        p = tc_xasprintf("%s/comparator", ptr);
        add_dossier(c, "cred:dossier-field-missing", p,
                    "the comparator needs time_column and value_column, the CSV columns to "
                    "compare against");
        free(p);
        return false;
    }
    /* The declared-outputs CSV reader, its problems collected apart: for a
     * comparator any problem (or a cell that is not a number) makes it unusable. */
    tc_csv csv;
    tc_findings problems;
    tc_findings_init(&problems);
    int parsed = tc_csv_parse(&csv, f->data, f->size, file, "sedml:output-unreadable", &problems);
    if (parsed == 0 && problems.len == 0)
        for (size_t k = 0; k < csv.nrows * csv.ncols; k++)
            if (isnan(csv.cells[k])) {
                tc_finding_add(&problems, "sedml:output-unreadable", TC_AT_FILE(file),
                               "row %zu, column '%s' holds no number", k / csv.ncols + 1,
                               csv.header[k % csv.ncols]);
                break;
            }
    if (parsed != 0 || problems.len) {
        p = tc_xasprintf("%s/comparator/file", ptr);
        add_at(c, "comparator-unreadable", p, "comparator data '%s' cannot be read: %s", file,
               problems.len ? problems.items[0].message : tc_error_last());
        free(p);
        tc_findings_release(&problems);
        if (parsed == 0)
            tc_csv_release(&csv);
        return false;
    }
    tc_findings_release(&problems);
    long ti = tc_csv_column(&csv, tcol), vi = tc_csv_column(&csv, vcol);
    if (ti < 0 || vi < 0 || csv.nrows == 0) {
        p = tc_xasprintf("%s/comparator/%s", ptr, ti < 0 ? "time_column" : "value_column");
        add_at(c, "comparator-unreadable", p,
               csv.nrows == 0 ? "comparator data '%s' has no rows"
                              : "comparator data '%s' has no column '%s'",
               file, ti < 0 ? tcol : vcol);
        free(p);
        tc_csv_release(&csv);
        return false;
    }
    json_object_set_new(entry, "points", json_integer((json_int_t)csv.nrows));
    const tc_sim_series *s = q ? series_find(c, q) : NULL;
    if (!ok || !s) {
        tc_csv_release(&csv);
        return false;
    }
    double *ot = tc_xcalloc(csv.nrows, sizeof *ot), *ov = tc_xcalloc(csv.nrows, sizeof *ov);
    for (size_t r = 0; r < csv.nrows; r++) {
        ot[r] = csv.cells[r * csv.ncols + (size_t)ti];
        ov[r] = csv.cells[r * csv.ncols + (size_t)vi];
    }
    json_t *band = json_object_get(v, "band");
    double babs = json_number_value(json_object_get(band, "absolute"));
    double brel = json_number_value(json_object_get(band, "relative"));
    double value = 0;
    bool computed = false;
    if (metric == TC_METRIC_FRACTION_WITHIN && !band) {
        p = tc_xasprintf("%s/band", ptr);
        add_at(c, "no-acceptance-criterion", p,
               "fraction_within needs 'band' (absolute and/or relative) to say what 'within' "
               "means");
        free(p);
    } else if (tc_metric_compute(metric, s->time, s->value, s->n, ot, ov, csv.nrows, babs, brel,
                                 &value) != 0) {
        p = tc_xasprintf("%s/comparator/file", ptr);
        add_at(c, "comparator-unreadable", p, "cannot compare '%s' with the simulation: %s", file,
               tc_error_last());
        free(p);
    } else {
        computed = true;
        double threshold = json_number_value(thr);
        *ratio = acceptance_ratio(metric, value, threshold);
        json_object_set_new(entry, "value", json_real(value));
        json_object_set_new(entry, "passed", json_boolean(*ratio <= 1));
        if (*ratio > 1) {
            p = tc_xasprintf("%s/threshold", ptr);
            add_at(c, "comparison-failed", p,
                   "%s between the re-run of '%s' and '%s' is %.6g, which does not meet the "
                   "acceptance threshold %.6g",
                   tc_metric_name(metric), q->id, file, value, threshold);
            free(p);
        }
        json_t *stated = json_object_get(v, "stated_value");
        if (json_is_number(stated)) {
            double sv = json_number_value(stated);
            if (fabs(sv - value) > 1e-3 * fmax(fabs(value), fabs(sv)) + 1e-12) {
                p = tc_xasprintf("%s/stated_value", ptr);
                add_at(c, "comparison-stated-mismatch", p,
                       "the dossier states %s = %.6g, but recomputed from the re-run and '%s' "
                       "it is %.6g",
                       tc_metric_name(metric), sv, file, value);
                free(p);
            }
        }
    }
    free(ot);
    free(ov);
    tc_csv_release(&csv);
    return computed;
}

static void read_comparisons(ctx *c)
{
    json_t *a = json_object_get(c->dossier, "validation");
    c->comparisons = json_array();
    if (a && (!json_is_array(a) || json_array_size(a) > MAX_COMPARISONS)) {
        add_dossier(c, "cred:dossier-invalid", "/validation",
                    "validation must be an array of at most %d comparisons", MAX_COMPARISONS);
        return;
    }
    if (json_array_size(a) == 0) {
        if (c->risk_used >= c->pack->comparison_from)
            add_at(c, "no-comparator", "/validation",
                   "no validation comparison: at model risk %d the dossier should compare a "
                   "simulated output with comparator data (which output, which data file, which "
                   "metric, which acceptance threshold)",
                   c->risk_used);
        return;
    }
    size_t i, computed = 0, failed_to_compute = 0;
    double worst = 0;
    json_t *v;
    json_array_foreach(a, i, v)
    {
        char *ptr = tc_xasprintf("/validation/%zu", i);
        json_t *entry = json_object();
        const char *id = str(v, "id");
        json_object_set_new(entry, "id", id ? json_string(id) : json_null());
        double ratio = 0;
        if (!json_is_object(v)) {
            add_dossier(c, "cred:dossier-invalid", ptr, "a validation comparison is an object");
            failed_to_compute++;
        } else if (compare_one(c, v, ptr, entry, &ratio)) {
            computed++;
            worst = fmax(worst, ratio);
        } else {
            failed_to_compute++;
        }
        if (!json_object_get(entry, "value")) {
            json_object_set_new(entry, "value", json_null());
            json_object_set_new(entry, "passed", json_null());
        }
        json_array_append_new(c->comparisons, entry);
        free(ptr);
    }
    /* The measures stand only when every comparison could be recomputed from
     * the re-run: a partial picture does not grade the factor. */
    if (c->in->simulated && failed_to_compute == 0) {
        c->have[M_CMP_COUNT] = true;
        c->measure[M_CMP_COUNT] = (double)computed;
        if (computed > 0) {
            c->have[M_CMP_RATIO] = true;
            c->measure[M_CMP_RATIO] = worst;
        }
    }
}

/* ---- pack requirements -------------------------------------------------------------- */

static void check_requirements(ctx *c)
{
    for (size_t i = 0; i < c->pack->nrequirements; i++) {
        const tc_pack_requirement *r = &c->pack->requirements[i];
        if (c->risk_used < r->from_risk)
            continue;
        if (!non_empty(pointer_get(c->dossier, r->pointer)))
            add_at(c, r->rule, r->pointer, "%s (%s is missing or empty)", r->message, r->pointer);
    }
}

/* ---- factors ------------------------------------------------------------------------- */

/* The gradation the tool's measures support: the level index, -1 when a
 * measure the factor needs is not available, -2 when the tool has no way to
 * assess the factor at all. */
static long supported_level(const ctx *c, const tc_pack_factor *f, json_t *measures)
{
    if (f->ngrades == 0)
        return -2;
    bool all = true;
    for (size_t g = 0; g < f->ngrades; g++) {
        for (size_t k = 0; k < f->grades[g].nconds; k++) {
            tc_measure m = f->grades[g].conds[k].measure;
            json_object_set_new(measures, tc_measure_name(m),
                                number_or_null(c->have[m], c->measure[m]));
            all = all && c->have[m];
        }
    }
    if (!all)
        return -1;
    for (size_t g = 0; g < f->ngrades; g++) {
        bool ok = true;
        for (size_t k = 0; k < f->grades[g].nconds; k++) {
            const tc_pack_cond *cd = &f->grades[g].conds[k];
            double v = c->measure[cd->measure];
            ok = ok && (cd->is_max ? v <= cd->limit : v >= cd->limit);
        }
        if (ok)
            return (long)f->grades[g].level;
    }
    return 0;
}

static json_t *evidence_list(ctx *c, json_t *claim, const char *fptr, bool *all_resolve,
                             size_t *count)
{
    json_t *out = json_array();
    json_t *ev = json_object_get(claim, "evidence");
    *all_resolve = true;
    *count = 0;
    if (!ev)
        return out;
    char *eptr = tc_xasprintf("%s/evidence", fptr);
    if (!json_is_array(ev) || json_array_size(ev) > MAX_EVIDENCE) {
        add_dossier(c, "cred:dossier-invalid", eptr,
                    "evidence must be an array of package paths (at most %d)", MAX_EVIDENCE);
        *all_resolve = false;
        free(eptr);
        return out;
    }
    size_t i;
    json_t *e;
    json_array_foreach(ev, i, e)
    {
        char *p = tc_xasprintf("%s/%zu", eptr, i);
        const char *ref = json_string_value(e);
        json_t *o = json_object();
        json_object_set_new(o, "file", ref ? json_string(ref) : json_null());
        const tc_file *f = package_file(c, ref);
        if (!ref) {
            add_dossier(c, "cred:dossier-invalid", p, "an evidence entry is a package path");
            *all_resolve = false;
        } else if (!f) {
            add_at(c, "evidence-missing", p, "evidence file '%s' is not in the package", ref);
            *all_resolve = false;
        } else {
            char digest[65];
            tc_sha256_hex(f->data, f->size, digest);
            json_object_set_new(o, "sha256", json_string(digest));
        }
        json_object_set_new(o, "resolves", json_boolean(f != NULL));
        json_array_append_new(out, o);
        (*count)++;
        free(p);
    }
    free(eptr);
    return out;
}

static json_t *assess_factor(ctx *c, const tc_pack_factor *f, json_t *claims)
{
    json_t *o = json_object();
    char *tok = escape_token(f->id);
    char *fptr = tc_xasprintf("/factors/%s", tok);
    char *cptr = tc_xasprintf("%s/claimed", fptr);
    size_t required = f->required[c->risk_used - 1];
    json_t *claim = json_object_get(claims, f->id);
    json_t *measures = json_object();
    long supported = supported_level(c, f, measures);
    const char *verdict = "met";

    json_object_set_new(o, "id", json_string(f->id));
    json_object_set_new(o, "name", json_string(f->name));
    json_object_set_new(o, "required", json_string(f->levels[required].id));

    long claimed = -1;
    bool resolve = true;
    size_t nev = 0;
    json_t *evidence = NULL;
    if (claim && !json_is_object(claim)) {
        add_dossier(c, "cred:dossier-invalid", fptr,
                    "a factor entry is an object with claimed, rationale and evidence");
    } else if (claim) {
        const char *cl = str(claim, "claimed");
        claimed = tc_pack_level_index(f, cl);
        if (!cl) {
            add_dossier(c, "cred:dossier-field-missing", cptr,
                        "factor '%s' has no claimed gradation", f->id);
        } else if (claimed < 0) {
            tc_buf levels = TC_BUF_INIT;
            for (size_t l = 0; l < f->nlevels; l++)
                tc_buf_printf(&levels, "%s%s", l ? ", " : "", f->levels[l].id);
            add_dossier(c, "cred:dossier-unknown-value", cptr,
                        "'%s' is not a gradation of factor '%s' in pack '%s' (expected one of: "
                        "%s)",
                        cl, f->id, c->pack->id, levels.data);
            tc_buf_release(&levels);
        }
        evidence = evidence_list(c, claim, fptr, &resolve, &nev);
        if (!non_empty(json_object_get(claim, "rationale")))
            add_dossier(c, "cred:dossier-field-missing", fptr,
                        "factor '%s' has no rationale for its claimed gradation", f->id);
    }
    json_object_set_new(o, "claimed",
                        claimed >= 0 ? json_string(f->levels[claimed].id) : json_null());
    json_object_set_new(o, "supported",
                        json_string(supported >= 0 ? f->levels[supported].id : "none"));
    json_object_set_new(o, "assessed_by_tool", json_boolean(supported >= 0));

    if (!claim) {
        verdict = "missing";
        bool high = c->risk_used >= c->pack->high_from;
        add_at(c, high ? "factor-missing-high-risk" : "factor-missing", fptr,
               "the dossier does not address factor '%s' (%s), which must reach '%s' at model "
               "risk %d%s",
               f->id, f->name, f->levels[required].id, c->risk_used, high ? ", a high risk" : "");
    } else if (claimed < 0) {
        verdict = "not-met";
    } else {
        if ((size_t)claimed < required) {
            verdict = "not-met";
            add_at(c, "claim-below-required", cptr,
                   "factor '%s' claims '%s', below the '%s' required at model risk %d", f->id,
                   f->levels[claimed].id, f->levels[required].id, c->risk_used);
        }
        if (supported >= 0 && supported < claimed) {
            if (strcmp(verdict, "met") == 0)
                verdict = "contradicted";
            add_at(c, "claim-contradicted", cptr,
                   "factor '%s' claims '%s', but the tool's own evidence supports only '%s' "
                   "(%s)",
                   f->id, f->levels[claimed].id, f->levels[supported].id,
                   f->levels[supported].meaning);
        }
        if (claimed > 0 && nev == 0)
            add_at(c, "evidence-none", fptr,
                   "factor '%s' claims '%s' but names no evidence file in the package", f->id,
                   f->levels[claimed].id);
        if (strcmp(verdict, "met") == 0 && !resolve)
            verdict = "evidence-missing";
        if (strcmp(verdict, "met") == 0 && supported == -1) {
            verdict = "not-assessed";
            tc_buf need = TC_BUF_INIT;
            bool rerun = false, cmp = false;
            const char *key;
            json_t *mv;
            json_object_foreach(measures, key, mv)
            {
                if (!json_is_null(mv))
                    continue;
                tc_buf_printf(&need, "%s%s", need.len ? ", " : "", key);
                rerun = rerun || strncmp(key, "rerun.", 6) == 0;
                cmp = cmp || strncmp(key, "comparison.", 11) == 0;
            }
            const char *why = "the earlier stages' findings were not given";
            if (rerun)
                why = c->in->reruns ? "the re-run results have no such value for this package"
                                    : "no re-run results";
            else if (cmp)
                why = c->in->simulated ? "not every validation comparison could be recomputed"
                                       : "no simulated outputs from the re-run";
            add_at(c, "not-assessed", cptr,
                   "factor '%s' claims '%s', which the tool could not check: %s %s not "
                   "available (%s)",
                   f->id, f->levels[claimed].id, need.data ? need.data : "its measures",
                   strchr(need.data ? need.data : "", ',') ? "are" : "is", why);
            tc_buf_release(&need);
        }
        if (strcmp(verdict, "met") == 0 && supported == -2)
            verdict = "claimed";
        if (strcmp(verdict, "met") == 0 && supported >= 0 && (size_t)supported < required)
            verdict = "not-met";
    }
    if (strcmp(verdict, "missing") == 0 || strcmp(verdict, "not-met") == 0 ||
        strcmp(verdict, "contradicted") == 0)
        c->not_met = true;
    json_object_set_new(o, "verdict", json_string(verdict));
    json_object_set_new(o, "measures", measures);
    json_object_set_new(o, "evidence", evidence ? evidence : json_array());
    free(tok);
    free(fptr);
    free(cptr);
    return o;
}

/* ---- the dossier's frame: format, question, context, risk ------------------------------ */

static void check_frame(ctx *c)
{
    const char *format = str(c->dossier, "format");
    if (json_object_get(c->dossier, "format") && !format)
        add_dossier(c, "cred:dossier-invalid", "/format",
                    "format must be the string \"" TC_DOSSIER_FORMAT "\"");
    else if (!format)
        add_dossier(c, "cred:dossier-field-missing", "/format",
                    "no format: expected \"" TC_DOSSIER_FORMAT "\"");
    else if (strcmp(format, TC_DOSSIER_FORMAT) != 0)
        add_dossier(c, "cred:dossier-invalid", "/format",
                    "format '%s' is not \"" TC_DOSSIER_FORMAT "\"", format);
    static const char *const text_fields[] = {"question_of_interest", "context_of_use"};
    for (size_t i = 0; i < 2; i++) {
        char *p = tc_xasprintf("/%s", text_fields[i]);
        if (!non_empty(json_object_get(c->dossier, text_fields[i])))
            add_dossier(c, "cred:dossier-field-missing", p, "no %s: say it in words",
                        text_fields[i]);
        free(p);
    }
}

static void compute_risk(ctx *c, json_t *risk_out)
{
    json_t *mr = json_object_get(c->dossier, "model_risk");
    if (mr && !json_is_object(mr)) {
        add_dossier(c, "cred:dossier-invalid", "/model_risk",
                    "model_risk must be an object with influence, consequence and level");
        mr = NULL;
    }
    const char *inf = str(mr, "influence"), *con = str(mr, "consequence");
    const char *names[2] = {inf, con};
    static const char *const keys[2] = {"influence", "consequence"};
    char **scales[2] = {c->pack->influence, c->pack->consequence};
    size_t nscale[2] = {c->pack->ninfluence, c->pack->nconsequence};
    for (int k = 0; k < 2; k++) {
        char *p = tc_xasprintf("/model_risk/%s", keys[k]);
        bool known = false;
        for (size_t i = 0; names[k] && i < nscale[k]; i++)
            known = known || strcmp(scales[k][i], names[k]) == 0;
        tc_buf exp = TC_BUF_INIT;
        for (size_t i = 0; i < nscale[k]; i++)
            tc_buf_printf(&exp, "%s%s", i ? ", " : "", scales[k][i]);
        if (!names[k])
            add_dossier(c, "cred:dossier-field-missing", p, "no model %s (expected one of: %s)",
                        keys[k], exp.data);
        else if (!known)
            add_dossier(c, "cred:dossier-unknown-value", p,
                        "model %s '%s' is not on the pack's scale (expected one of: %s)", keys[k],
                        names[k], exp.data);
        tc_buf_release(&exp);
        free(p);
    }
    c->risk = tc_pack_risk(c->pack, inf, con);
    c->risk_used = c->risk ? c->risk : c->pack->levels;
    json_t *stated = json_object_get(mr, "level");
    if (stated && (!json_is_integer(stated) || json_integer_value(stated) < 1 ||
                   json_integer_value(stated) > c->pack->levels)) {
        add_dossier(c, "cred:dossier-invalid", "/model_risk/level",
                    "the stated model risk must be an integer from 1 to %d", c->pack->levels);
    } else if (stated && c->risk && json_integer_value(stated) != c->risk) {
        add_at(c, "risk-mismatch", "/model_risk/level",
               "the dossier states model risk %lld, but influence '%s' and consequence '%s' "
               "give risk %d in pack '%s'; requirements are read at %d",
               (long long)json_integer_value(stated), inf, con, c->risk, c->pack->id, c->risk);
    }
    json_object_set_new(risk_out, "level", c->risk ? json_integer(c->risk) : json_null());
    json_object_set_new(risk_out, "levels", json_integer(c->pack->levels));
    json_object_set_new(risk_out, "influence", inf ? json_string(inf) : json_null());
    json_object_set_new(risk_out, "consequence", con ? json_string(con) : json_null());
    json_object_set_new(risk_out, "stated",
                        json_is_integer(stated) ? json_incref(stated) : json_null());
    json_object_set_new(risk_out, "assessed_at", json_integer(c->risk_used));
}

/* ---- the whole assessment --------------------------------------------------------------- */

static const char *overall_verdict(const ctx *c, json_t *factors, size_t errors_before)
{
    bool errors = false;
    for (size_t i = errors_before; i < c->fs->len; i++)
        errors = errors || c->fs->items[i].severity >= TC_ERROR;
    if (c->not_met || errors)
        return "fail";
    size_t i;
    json_t *f;
    json_array_foreach(factors, i, f)
    {
        if (strcmp(str(f, "verdict"), "not-assessed") == 0)
            return "incomplete";
    }
    return "pass";
}

static void check_conclusion(ctx *c)
{
    json_t *accepted = pointer_get(c->dossier, "/conclusion/accepted");
    if (json_is_true(accepted) && c->not_met)
        add_at(c, "accepted-below-required", "/conclusion/accepted",
               "the dossier accepts the model as credible for its context of use, although at "
               "least one factor falls short of the gradation its model risk requires");
}

static void unknown_factors(ctx *c, json_t *claims)
{
    const char *key;
    json_t *v;
    json_object_foreach(claims, key, v)
    {
        if (tc_pack_factor_find(c->pack, key))
            continue;
        char *tok = escape_token(key);
        char *p = tc_xasprintf("/factors/%s", tok);
        add_dossier(c, "cred:dossier-unknown-factor", p,
                    "'%s' is not a factor of pack '%s'; it is ignored", key, c->pack->id);
        free(p);
        free(tok);
    }
}

static json_t *pack_json(const tc_pack *p)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", json_string(p->id));
    json_object_set_new(o, "name", json_string(p->name));
    json_object_set_new(o, "source", p->source ? json_string(p->source) : json_null());
    json_object_set_new(o, "sha256", json_string(p->digest));
    return o;
}

static json_t *measures_json(const ctx *c)
{
    json_t *o = json_object();
    for (int m = 0; m < M_COUNT; m++)
        json_object_set_new(o, tc_measure_name((tc_measure)m),
                            number_or_null(c->have[m], c->measure[m]));
    return o;
}

/* Choose the pack: the caller's, else the built-in one the dossier names. */
static int choose_pack(ctx *c, tc_pack **owned)
{
    const char *named = str(c->dossier, "pack");
    *owned = NULL;
    if (json_object_get(c->dossier, "pack") && !named)
        add_dossier(c, "cred:dossier-invalid", "/pack",
                    "pack must be the id of a built-in rule pack, a string");
    if (c->in->pack) {
        c->pack = c->in->pack;
        if (named && strcmp(named, c->pack->id) != 0)
            add_dossier(c, "cred:pack-mismatch", "/pack",
                        "the dossier was written for pack '%s' but is assessed against pack "
                        "'%s'",
                        named, c->pack->id);
        return 0;
    }
    const char *id = DEFAULT_PACK;
    if (named) {
        bool builtin = false;
        for (const char *const *b = tc_pack_builtin_ids(); *b; b++)
            builtin = builtin || strcmp(*b, named) == 0;
        if (builtin)
            id = named;
        else
            add_dossier(c, "cred:dossier-unknown-value", "/pack",
                        "'%s' is not a built-in rule pack; assessed against '%s' (use --pack "
                        "FILE for a pack of your own)",
                        named, DEFAULT_PACK);
    }
    int rc = tc_pack_load(owned, id);
    if (rc != 0)
        return tc_error_set(TC_EINTERNAL, "built-in rule pack: %s", tc_error_last());
    c->pack = *owned;
    return 0;
}

int tc_assess_package(const tc_assess_input *in, tc_findings *fs, json_t **section)
{
    ctx c = {.in = in, .fs = fs};
    tc_pack *owned = NULL;
    json_t *out = json_object();
    int rc = 0;
    size_t first_finding = fs->len;
    *section = NULL;

    json_object_set_new(out, "target", json_string(in->pkg->target));
    const tc_file *df = find_dossier(&c);
    if (df) {
        c.file = df->path;
        json_error_t err;
        c.dossier = json_loadb((const char *)df->data, df->size, JSON_REJECT_DUPLICATES, &err);
        if (!c.dossier)
            tc_finding_add(fs, "cred:dossier-invalid",
                           (tc_loc){.file = df->path, .line = err.line, .column = err.column},
                           "the dossier is not valid JSON: %s", err.text);
        else if (!json_is_object(c.dossier))
            add_dossier(&c, "cred:dossier-invalid", "", "the dossier must be a JSON object");
    } else {
        tc_finding_add(fs, "cred:dossier-missing", (tc_loc){0},
                       "the package has no credibility dossier: declare one in the manifest with "
                       "format " TC_DOSSIER_FORMAT " (docs/dossier.md)");
    }
    if ((rc = choose_pack(&c, &owned)) != 0)
        goto done;
    json_object_set_new(out, "pack", pack_json(c.pack));
    json_object_set_new(out, "dossier", df ? json_string(df->path) : json_null());
    if (!json_is_object(c.dossier)) {
        json_object_set_new(out, "risk", json_null());
        json_object_set_new(out, "factors", json_array());
        json_object_set_new(out, "verdict", json_string("fail"));
        goto done;
    }

    check_frame(&c);
    json_t *risk = json_object();
    compute_risk(&c, risk);
    json_object_set_new(out, "risk", risk);
    rerun_measures(&c);
    prior_measures(&c);
    read_qois(&c);
    read_comparisons(&c);
    check_requirements(&c);

    json_t *claims = json_object_get(c.dossier, "factors");
    if (!claims)
        add_dossier(&c, "cred:dossier-field-missing", "/factors",
                    "no factors: claim a gradation for each factor of pack '%s'", c.pack->id);
    else if (!json_is_object(claims))
        add_dossier(&c, "cred:dossier-invalid", "/factors",
                    "factors must be an object keyed by factor id");
    if (!json_is_object(claims))
        claims = NULL;
    json_t *factors = json_array();
    for (size_t i = 0; i < c.pack->nfactors; i++)
        json_array_append_new(factors, assess_factor(&c, &c.pack->factors[i], claims));
    unknown_factors(&c, claims);
    check_conclusion(&c);

    json_object_set_new(out, "factors", factors);
    json_object_set_new(out, "comparisons", json_incref(c.comparisons));
    json_object_set_new(out, "measures", measures_json(&c));
    json_object_set_new(out, "reruns_available", json_boolean(in->reruns != NULL));
    json_object_set_new(out, "simulated_available", json_boolean(in->simulated != NULL));
    json_object_set_new(out, "verdict", json_string(overall_verdict(&c, factors, first_finding)));
done:
    if (rc == 0)
        *section = out;
    else
        json_decref(out);
    json_decref(c.dossier);
    json_decref(c.comparisons);
    free(c.qois);
    tc_pack_free(owned);
    return rc;
}
