/* KiSAO terms (rules/kisao.tsv, generated from the ontology and embedded at
 * build time) and the mapping of algorithms onto the reference integrators. */
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "sedml.h"

extern const char tc_kisao_text[];
extern const size_t tc_kisao_text_len;

static tc_kisao_term *terms;
static size_t nterms;
static char *storage;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static const struct {
    const char *name;
    unsigned flag;
} flag_names[] = {
    {"deterministic", TC_KISAO_DETERMINISTIC},
    {"stochastic", TC_KISAO_STOCHASTIC},
    {"hybrid", TC_KISAO_HYBRID},
    {"ode", TC_KISAO_ODE},
    {"dae", TC_KISAO_DAE},
    {"sde", TC_KISAO_SDE},
    {"pde", TC_KISAO_PDE},
    {"dde", TC_KISAO_DDE},
    {"steady-state", TC_KISAO_STEADY_STATE},
    {"implicit", TC_KISAO_IMPLICIT},
    {"explicit", TC_KISAO_EXPLICIT},
    {"adaptive-step", TC_KISAO_ADAPTIVE_STEP},
    {"fixed-step", TC_KISAO_FIXED_STEP},
};

static int compare_terms(const void *a, const void *b)
{
    return strcmp(((const tc_kisao_term *)a)->id, ((const tc_kisao_term *)b)->id);
}

static unsigned parse_flags(char *text)
{
    unsigned flags = 0;
    char *save = NULL;
    for (char *f = strtok_r(text, ",", &save); f; f = strtok_r(NULL, ",", &save))
        for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
            if (strcmp(f, flag_names[i].name) == 0)
                flags |= flag_names[i].flag;
    return flags;
}

static void load(void)
{
    size_t cap = 0;
    storage = tc_xstrndup(tc_kisao_text, tc_kisao_text_len);
    char *save = NULL;
    for (char *line = strtok_r(storage, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        /* fields may be empty (no parents), so split by hand rather than strtok */
        char *fields[5] = {0};
        char *p = line;
        int n = 0;
        while (n < 5 && p) {
            fields[n++] = p;
            p = strchr(p, '\t');
            if (p)
                *p++ = '\0';
        }
        if (n < 5)
            continue;
        tc_kisao_kind kind = TC_KISAO_OTHER;
        if (strcmp(fields[3], "algorithm") == 0)
            kind = TC_KISAO_ALGORITHM;
        else if (strcmp(fields[3], "parameter") == 0)
            kind = TC_KISAO_PARAMETER;
        else if (strcmp(fields[3], "characteristic") == 0)
            kind = TC_KISAO_CHARACTERISTIC;
        TC_GROW(terms, cap, nterms + 1);
        terms[nterms++] =
            (tc_kisao_term){fields[0], fields[1], fields[2], kind, parse_flags(fields[4])};
    }
    qsort(terms, nterms, sizeof *terms, compare_terms);
}

bool tc_kisao_normalize(const char *id, char out[14])
{
    if (!id)
        return false;
    const char *hash = strrchr(id, '#');
    if (hash && strncmp(id, "http", 4) == 0)
        id = hash + 1;
    if (strncmp(id, "KISAO", 5) != 0 || (id[5] != ':' && id[5] != '_'))
        return false;
    const char *digits = id + 6;
    for (int i = 0; i < 7; i++)
        if (!isdigit((unsigned char)digits[i]))
            return false;
    if (digits[7] != '\0')
        return false;
    memcpy(out, "KISAO_", 6);
    memcpy(out + 6, digits, 7);
    out[13] = '\0';
    return true;
}

const tc_kisao_term *tc_kisao_find(const char *id)
{
    char norm[14];
    if (!tc_kisao_normalize(id, norm))
        return NULL;
    pthread_once(&once, load);
    tc_kisao_term key = {.id = norm};
    return bsearch(&key, terms, nterms, sizeof *terms, compare_terms);
}

const char *tc_integrator_name(tc_integrator integrator)
{
    switch (integrator) {
    case TC_INTEGRATOR_BDF:
        return "bdf";
    case TC_INTEGRATOR_RK45:
        return "rk45";
    default:
        return "none";
    }
}

static const char *integrator_description(tc_integrator integrator)
{
    return integrator == TC_INTEGRATOR_BDF ? "implicit variable-order BDF"
                                           : "explicit Dormand-Prince 5(4)";
}

/* KiSAO ids that are our integrators themselves (or the family they implement). */
static bool exact_match(const char *id, tc_integrator integrator)
{
    static const char *const bdf[] = {"KISAO_0000288", "KISAO_0000019", "KISAO_0000433",
                                      "KISAO_0000496", "KISAO_0000535"};
    static const char *const rk45[] = {"KISAO_0000087", "KISAO_0000435"};
    const char *const *list = integrator == TC_INTEGRATOR_BDF ? bdf : rk45;
    size_t n =
        integrator == TC_INTEGRATOR_BDF ? sizeof bdf / sizeof *bdf : sizeof rk45 / sizeof *rk45;
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], id) == 0)
            return true;
    return false;
}

void tc_kisao_map(const char *kisao_id, tc_kisao_mapping *out)
{
    *out = (tc_kisao_mapping){TC_INTEGRATOR_NONE, false, NULL};
    const char *shown = kisao_id ? kisao_id : "(none)";
    const tc_kisao_term *t = tc_kisao_find(kisao_id);
    if (!t) {
        char norm[14];
        out->text = tc_kisao_normalize(kisao_id, norm)
                        ? tc_xasprintf("%s is not a KiSAO term: not verifiable", shown)
                        : tc_xasprintf("'%s' is not a KiSAO id: not verifiable", shown);
        return;
    }
    if (t->kind != TC_KISAO_ALGORITHM) {
        out->text = tc_xasprintf("%s (%s) is a KiSAO %s, not an algorithm: not verifiable", t->id,
                                 t->name, t->kind == TC_KISAO_PARAMETER ? "parameter" : "term");
        return;
    }
    /* Anything with a stochastic part is never replaced by an ODE solver. */
    if (t->flags & (TC_KISAO_STOCHASTIC | TC_KISAO_SDE)) {
        out->text = tc_xasprintf("%s (%s) is stochastic: its results cannot be reproduced by a "
                                 "deterministic re-run, not verifiable",
                                 t->id, t->name);
        return;
    }
    if (t->flags & TC_KISAO_HYBRID) {
        out->text = tc_xasprintf("%s (%s) is a hybrid method: not verifiable by an ODE re-run",
                                 t->id, t->name);
        return;
    }
    if (t->flags & TC_KISAO_STEADY_STATE) {
        out->text = tc_xasprintf("%s (%s) is a steady-state method: steady-state re-runs are not "
                                 "supported yet, not verifiable",
                                 t->id, t->name);
        return;
    }
    if (!(t->flags & (TC_KISAO_ODE | TC_KISAO_DAE)) || (t->flags & (TC_KISAO_PDE | TC_KISAO_DDE))) {
        out->text = tc_xasprintf("%s (%s) is not an ODE time-course method: not verifiable", t->id,
                                 t->name);
        return;
    }
    /* Explicit methods go to the explicit integrator; implicit ones and those the
     * ontology leaves open (CVODE, LSODA, IDA: stiff-capable multistep) to BDF. */
    bool is_explicit = (t->flags & TC_KISAO_EXPLICIT) && !(t->flags & TC_KISAO_IMPLICIT);
    out->integrator = is_explicit ? TC_INTEGRATOR_RK45 : TC_INTEGRATOR_BDF;
    out->exact = exact_match(t->id, out->integrator);
    out->text =
        tc_xasprintf("%s (%s) run with %s (%s)%s", t->id, t->name,
                     tc_integrator_name(out->integrator), integrator_description(out->integrator),
                     out->exact ? "" : " as the closest available integrator");
}
