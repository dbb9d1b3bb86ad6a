/* Rule packs: JSON data files read into tc_pack, checked thoroughly so that an
 * edited pack fails with a message naming the place, never with a wrong
 * assessment. The built-in packs are embedded at build time (tc_packs_text, the
 * concatenation of rules/credibility/\*.json). */
#include <math.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

extern const char tc_packs_text[];
extern const size_t tc_packs_text_len;

#define MAX_PACK_SIZE (4u << 20)
#define MAX_BUILTIN 16
#define MAX_SCALE 10
#define MAX_RISK_LEVELS 10
#define MAX_FACTORS 200
#define MAX_LEVELS 20

static const char *const measure_names[M_COUNT] = {
#define TC_X(e, name) name,
    TC_MEASURES(TC_X)
#undef TC_X
};

const char *tc_measure_name(tc_measure m)
{
    return m < M_COUNT ? measure_names[m] : "unknown";
}

/* ---- the built-in packs ---------------------------------------------------- */

typedef struct builtin {
    char *id;
    size_t offset, len;
} builtin;

static builtin builtins[MAX_BUILTIN];
static const char *builtin_ids[MAX_BUILTIN + 1];
static size_t nbuiltins;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void find_builtins(void)
{
    size_t off = 0;
    while (off < tc_packs_text_len && nbuiltins < MAX_BUILTIN) {
        while (off < tc_packs_text_len && strchr(" \t\r\n", tc_packs_text[off]))
            off++;
        if (off >= tc_packs_text_len)
            break;
        json_error_t err;
        json_t *j =
            json_loadb(tc_packs_text + off, tc_packs_text_len - off, JSON_DISABLE_EOF_CHECK, &err);
        if (!j)
            break; /* the pack tests catch a broken built-in pack */
        const char *id = json_string_value(json_object_get(j, "id"));
        if (id) {
            builtins[nbuiltins] = (builtin){tc_xstrdup(id), off, (size_t)err.position};
            builtin_ids[nbuiltins] = builtins[nbuiltins].id;
            nbuiltins++;
        }
        json_decref(j);
        off += (size_t)err.position;
    }
    builtin_ids[nbuiltins] = NULL;
}

const char *const *tc_pack_builtin_ids(void)
{
    pthread_once(&once, find_builtins);
    return builtin_ids;
}

/* ---- parsing ------------------------------------------------------------------ */

void tc_pack_free(tc_pack *p)
{
    if (!p)
        return;
    free(p->id);
    free(p->name);
    free(p->source);
    free(p->rules);
    for (size_t i = 0; i < p->ninfluence; i++)
        free(p->influence[i]);
    for (size_t i = 0; i < p->nconsequence; i++)
        free(p->consequence[i]);
    free(p->influence);
    free(p->consequence);
    free(p->risk_map);
    for (size_t i = 0; i < p->nfactors; i++) {
        tc_pack_factor *f = &p->factors[i];
        free(f->id);
        free(f->name);
        free(f->group);
        for (size_t l = 0; l < f->nlevels; l++) {
            free(f->levels[l].id);
            free(f->levels[l].meaning);
        }
        free(f->levels);
        free(f->required);
        for (size_t g = 0; g < f->ngrades; g++)
            free(f->grades[g].conds);
        free(f->grades);
    }
    free(p->factors);
    for (size_t i = 0; i < p->nrequirements; i++) {
        free(p->requirements[i].pointer);
        free(p->requirements[i].rule);
        free(p->requirements[i].message);
    }
    free(p->requirements);
    free(p);
}

const char *tc_pack_id(const tc_pack *pack)
{
    return pack->id;
}

int tc_pack_risk_levels(const tc_pack *pack)
{
    return pack->levels;
}

static long scale_index(char **names, size_t n, const char *name)
{
    for (size_t i = 0; name && i < n; i++) {
        if (strcmp(names[i], name) == 0)
            return (long)i;
    }
    return -1;
}

int tc_pack_risk(const tc_pack *pack, const char *influence, const char *consequence)
{
    long i = scale_index(pack->influence, pack->ninfluence, influence);
    long c = scale_index(pack->consequence, pack->nconsequence, consequence);
    if (i < 0 || c < 0)
        return 0;
    return pack->risk_map[(size_t)i * pack->nconsequence + (size_t)c];
}

const tc_pack_factor *tc_pack_factor_find(const tc_pack *pack, const char *id)
{
    for (size_t i = 0; id && i < pack->nfactors; i++) {
        if (strcmp(pack->factors[i].id, id) == 0)
            return &pack->factors[i];
    }
    return NULL;
}

long tc_pack_level_index(const tc_pack_factor *f, const char *id)
{
    for (size_t i = 0; id && i < f->nlevels; i++) {
        if (strcmp(f->levels[i].id, id) == 0)
            return (long)i;
    }
    return -1;
}

/* The parser keeps the label and the place for its one error message. */
typedef struct reader {
    const char *label;
} reader;

static int bad(const reader *r, const char *where, const char *what)
{
    return tc_error_set(TC_EINVAL, "rule pack %s: %s: %s", r->label, where, what);
}

static int get_string(const reader *r, json_t *obj, const char *key, const char *where,
                      bool required, char **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (!v && !required)
        return 0;
    if (!json_is_string(v) || json_string_length(v) == 0) {
        char *w = tc_xasprintf("%s/%s", where, key);
        int rc = bad(r, w, v ? "expected a non-empty string" : "missing");
        free(w);
        return rc;
    }
    *out = tc_xstrdup(json_string_value(v));
    return 0;
}

static int read_scale(const reader *r, json_t *scales, const char *key, char ***names, size_t *n)
{
    json_t *a = json_object_get(scales, key);
    char *where = tc_xasprintf("/scales/%s", key);
    int rc = 0;
    if (!json_is_array(a) || json_array_size(a) == 0 || json_array_size(a) > MAX_SCALE) {
        rc = bad(r, where, "expected an array of 1 to 10 names, lowest first");
        goto done;
    }
    *names = tc_xcalloc(json_array_size(a), sizeof **names);
    for (size_t i = 0; i < json_array_size(a); i++) {
        const char *s = json_string_value(json_array_get(a, i));
        if (!s || !*s || scale_index(*names, *n, s) >= 0) {
            rc = bad(r, where, "names must be distinct non-empty strings");
            goto done;
        }
        (*names)[(*n)++] = tc_xstrdup(s);
    }
done:
    free(where);
    return rc;
}

static int read_risk(const reader *r, json_t *root, tc_pack *p)
{
    json_t *risk = json_object_get(root, "risk");
    json_t *levels = json_object_get(risk, "levels");
    json_t *map = json_object_get(risk, "map");
    if (!json_is_integer(levels) || json_integer_value(levels) < 1 ||
        json_integer_value(levels) > MAX_RISK_LEVELS)
        return bad(r, "/risk/levels", "expected an integer from 1 to 10");
    p->levels = (int)json_integer_value(levels);
    if (!json_is_array(map) || json_array_size(map) != p->ninfluence)
        return bad(r, "/risk/map", "expected one row per influence name");
    p->risk_map = tc_xcalloc(p->ninfluence * p->nconsequence, sizeof *p->risk_map);
    for (size_t i = 0; i < p->ninfluence; i++) {
        json_t *row = json_array_get(map, i);
        if (!json_is_array(row) || json_array_size(row) != p->nconsequence)
            return bad(r, "/risk/map", "expected one column per consequence name in each row");
        for (size_t c = 0; c < p->nconsequence; c++) {
            json_t *v = json_array_get(row, c);
            if (!json_is_integer(v) || json_integer_value(v) < 1 ||
                json_integer_value(v) > p->levels)
                return bad(r, "/risk/map", "every entry must be a risk level from 1 to levels");
            p->risk_map[i * p->nconsequence + c] = (int)json_integer_value(v);
        }
    }
    json_t *high = json_object_get(risk, "high_from");
    json_t *cmp = json_object_get(risk, "comparison_from");
    p->high_from = p->levels;
    p->comparison_from = 1;
    if (high) {
        if (!json_is_integer(high) || json_integer_value(high) < 1 ||
            json_integer_value(high) > p->levels)
            return bad(r, "/risk/high_from", "expected a risk level");
        p->high_from = (int)json_integer_value(high);
    }
    if (cmp) {
        if (!json_is_integer(cmp) || json_integer_value(cmp) < 1 ||
            json_integer_value(cmp) > p->levels + 1)
            return bad(r, "/risk/comparison_from", "expected a risk level (levels + 1: never)");
        p->comparison_from = (int)json_integer_value(cmp);
    }
    return 0;
}

static int read_conds(const reader *r, json_t *obj, bool is_max, const char *where,
                      tc_pack_grade *g, size_t *cap)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        tc_measure m = M_COUNT;
        for (int i = 0; i < M_COUNT; i++) {
            if (strcmp(key, measure_names[i]) == 0)
                m = (tc_measure)i;
        }
        if (m == M_COUNT) {
            char *w = tc_xasprintf("%s/%s", where, key);
            int rc = bad(r, w, "unknown measure (see docs/credibility.md)");
            free(w);
            return rc;
        }
        if (!json_is_number(v) || !isfinite(json_number_value(v)))
            return bad(r, where, "limits must be finite numbers");
        TC_GROW(g->conds, *cap, g->nconds + 1);
        g->conds[g->nconds++] = (tc_pack_cond){m, json_number_value(v), is_max};
    }
    return 0;
}

static int read_factor(const reader *r, json_t *fj, size_t index, tc_pack *p)
{
    tc_pack_factor *f = &p->factors[index];
    char *where = tc_xasprintf("/factors/%zu", index);
    char *w2 = NULL;
    int rc = 0;
    if (!json_is_object(fj)) {
        rc = bad(r, where, "expected an object");
        goto done;
    }
    if ((rc = get_string(r, fj, "id", where, true, &f->id)) != 0 ||
        (rc = get_string(r, fj, "name", where, true, &f->name)) != 0 ||
        (rc = get_string(r, fj, "group", where, false, &f->group)) != 0)
        goto done;
    for (size_t i = 0; i < index; i++) {
        if (strcmp(p->factors[i].id, f->id) == 0) {
            rc = bad(r, where, "a factor with this id comes earlier");
            goto done;
        }
    }
    json_t *levels = json_object_get(fj, "levels");
    w2 = tc_xasprintf("%s/levels", where);
    if (!json_is_array(levels) || json_array_size(levels) < 2 ||
        json_array_size(levels) > MAX_LEVELS) {
        rc = bad(r, w2, "expected an array of 2 to 20 levels, lowest first");
        goto done;
    }
    f->levels = tc_xcalloc(json_array_size(levels), sizeof *f->levels);
    for (size_t l = 0; l < json_array_size(levels); l++) {
        json_t *lj = json_array_get(levels, l);
        char *lw = tc_xasprintf("%s/%zu", w2, l);
        rc = get_string(r, lj, "id", lw, true, &f->levels[l].id);
        if (rc == 0)
            rc = get_string(r, lj, "meaning", lw, true, &f->levels[l].meaning);
        f->nlevels = l + 1;
        if (rc == 0 && (strcmp(f->levels[l].id, "none") == 0 ||
                        tc_pack_level_index(f, f->levels[l].id) != (long)l))
            rc = bad(r, lw, "level ids must be distinct, and 'none' is reserved");
        free(lw);
        if (rc != 0)
            goto done;
    }
    json_t *req = json_object_get(fj, "required");
    free(w2);
    w2 = tc_xasprintf("%s/required", where);
    if (!json_is_array(req) || json_array_size(req) != (size_t)p->levels) {
        rc = bad(r, w2, "expected one level id per risk level");
        goto done;
    }
    f->required = tc_xcalloc((size_t)p->levels, sizeof *f->required);
    for (size_t k = 0; k < (size_t)p->levels; k++) {
        long li = tc_pack_level_index(f, json_string_value(json_array_get(req, k)));
        if (li < 0) {
            rc = bad(r, w2, "every entry must be one of the factor's level ids");
            goto done;
        }
        if (k > 0 && (size_t)li < f->required[k - 1]) {
            rc = bad(r, w2, "a higher risk cannot require a lower gradation");
            goto done;
        }
        f->required[k] = (size_t)li;
    }
    json_t *tool = json_object_get(fj, "tool");
    free(w2);
    w2 = tc_xasprintf("%s/tool", where);
    if (tool && !json_is_array(tool)) {
        rc = bad(r, w2, "expected an array of grades, highest first");
        goto done;
    }
    if (tool && json_array_size(tool) > 0) {
        f->grades = tc_xcalloc(json_array_size(tool), sizeof *f->grades);
        for (size_t g = 0; g < json_array_size(tool); g++) {
            json_t *gj = json_array_get(tool, g);
            char *gw = tc_xasprintf("%s/%zu", w2, g);
            tc_pack_grade *gr = &f->grades[g];
            size_t cap = 0;
            long li = tc_pack_level_index(f, json_string_value(json_object_get(gj, "level")));
            f->ngrades = g + 1;
            json_t *mx = json_object_get(gj, "max"), *mn = json_object_get(gj, "min");
            if (li < 0)
                rc = bad(r, gw, "'level' must be one of the factor's level ids");
            else if ((mx && !json_is_object(mx)) || (mn && !json_is_object(mn)) ||
                     (json_object_size(mx) + json_object_size(mn)) == 0)
                rc = bad(r, gw, "a grade needs 'max' and/or 'min' objects of measure limits");
            else if (g > 0 && (size_t)li >= f->grades[g - 1].level)
                rc = bad(r, gw, "grades must be listed highest level first");
            if (rc == 0) {
                gr->level = (size_t)li;
                rc = read_conds(r, mx, true, gw, gr, &cap);
            }
            if (rc == 0)
                rc = read_conds(r, mn, false, gw, gr, &cap);
            free(gw);
            if (rc != 0)
                goto done;
        }
    }
done:
    free(where);
    free(w2);
    return rc;
}

static int read_requirements(const reader *r, json_t *root, tc_pack *p)
{
    json_t *a = json_object_get(root, "requirements");
    if (!a)
        return 0;
    if (!json_is_array(a) || json_array_size(a) > MAX_FACTORS)
        return bad(r, "/requirements", "expected an array");
    p->requirements = tc_xcalloc(json_array_size(a) + 1, sizeof *p->requirements);
    for (size_t i = 0; i < json_array_size(a); i++) {
        json_t *q = json_array_get(a, i);
        tc_pack_requirement *req = &p->requirements[i];
        char *where = tc_xasprintf("/requirements/%zu", i);
        p->nrequirements = i + 1;
        int rc = json_is_object(q) ? 0 : bad(r, where, "expected an object");
        if (rc == 0)
            rc = get_string(r, q, "pointer", where, true, &req->pointer);
        if (rc == 0)
            rc = get_string(r, q, "rule", where, true, &req->rule);
        if (rc == 0)
            rc = get_string(r, q, "message", where, true, &req->message);
        if (rc == 0 && req->pointer[0] != '/')
            rc = bad(r, where, "'pointer' must be a JSON pointer starting with '/'");
        json_t *from = json_object_get(q, "from_risk");
        req->from_risk = 1;
        if (rc == 0 && from) {
            if (!json_is_integer(from) || json_integer_value(from) < 1 ||
                json_integer_value(from) > p->levels)
                rc = bad(r, where, "'from_risk' must be a risk level");
            else
                req->from_risk = (int)json_integer_value(from);
        }
        free(where);
        if (rc != 0)
            return rc;
    }
    return 0;
}

int tc_pack_parse(tc_pack **out, const char *text, size_t len, const char *label)
{
    *out = NULL;
    reader r = {label};
    json_error_t err;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    tc_pack *p = tc_xcalloc(1, sizeof *p);
    int rc = 0;
    if (!root) {
        rc = tc_error_set(TC_EINVAL, "rule pack %s: line %d, column %d: %s", label, err.line,
                          err.column, err.text);
        goto fail;
    }
    if (!json_is_object(root)) {
        rc = bad(&r, "/", "expected a JSON object");
        goto fail;
    }
    const char *format = json_string_value(json_object_get(root, "format"));
    if (!format || strcmp(format, TC_PACK_FORMAT) != 0) {
        rc = bad(&r, "/format", "expected \"" TC_PACK_FORMAT "\"");
        goto fail;
    }
    if ((rc = get_string(&r, root, "id", "", true, &p->id)) != 0 ||
        (rc = get_string(&r, root, "name", "", true, &p->name)) != 0 ||
        (rc = get_string(&r, root, "source", "", false, &p->source)) != 0 ||
        (rc = get_string(&r, root, "rules", "", false, &p->rules)) != 0)
        goto fail;
    if (!p->rules)
        p->rules = tc_xstrdup(p->id);
    json_t *scales = json_object_get(root, "scales");
    if ((rc = read_scale(&r, scales, "influence", &p->influence, &p->ninfluence)) != 0 ||
        (rc = read_scale(&r, scales, "consequence", &p->consequence, &p->nconsequence)) != 0 ||
        (rc = read_risk(&r, root, p)) != 0)
        goto fail;
    json_t *factors = json_object_get(root, "factors");
    if (!json_is_array(factors) || json_array_size(factors) == 0 ||
        json_array_size(factors) > MAX_FACTORS) {
        rc = bad(&r, "/factors", "expected an array of 1 to 200 factors");
        goto fail;
    }
    p->factors = tc_xcalloc(json_array_size(factors), sizeof *p->factors);
    for (size_t i = 0; i < json_array_size(factors); i++) {
        p->nfactors = i + 1;
        if ((rc = read_factor(&r, json_array_get(factors, i), i, p)) != 0)
            goto fail;
    }
    if ((rc = read_requirements(&r, root, p)) != 0)
        goto fail;
    tc_sha256_hex(text, len, p->digest);
    json_decref(root);
    *out = p;
    return 0;
fail:
    json_decref(root);
    tc_pack_free(p);
    return rc;
}

int tc_pack_load(tc_pack **out, const char *name)
{
    *out = NULL;
    pthread_once(&once, find_builtins);
    for (size_t i = 0; i < nbuiltins; i++) {
        if (strcmp(builtins[i].id, name) == 0) {
            char *label = tc_xasprintf("'%s' (built in)", name);
            int rc = tc_pack_parse(out, tc_packs_text + builtins[i].offset, builtins[i].len, label);
            free(label);
            return rc;
        }
    }
    unsigned char *data = NULL;
    size_t len = 0;
    int rc = tc_read_file(name, MAX_PACK_SIZE, &data, &len);
    if (rc != 0) {
        char *why = tc_xstrdup(tc_error_last());
        tc_buf ids = TC_BUF_INIT;
        for (size_t i = 0; i < nbuiltins; i++)
            tc_buf_printf(&ids, "%s%s", i ? ", " : "", builtins[i].id);
        rc = tc_error_set(rc == TC_ELIMIT ? TC_ELIMIT : TC_ENOTFOUND,
                          "rule pack '%s' is neither a built-in pack (%s) nor a readable file: %s",
                          name, ids.data ? ids.data : "none", why);
        tc_buf_release(&ids);
        free(why);
        return rc;
    }
    char *label = tc_xasprintf("'%s'", name);
    rc = tc_pack_parse(out, (const char *)data, len, label);
    free(label);
    free(data);
    return rc;
}
