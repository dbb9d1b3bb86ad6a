/* Hash indexes over a model's identifiers, built once per document, so that every
 * look-up by id costs the same whatever the size of the model (validation time then
 * grows linearly with it). Open addressing with linear probing; keys are borrowed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

/* The slot that holds `key`, or the empty slot where it would go. */
static size_t probe(const sbml_map *m, const char *key)
{
    size_t mask = m->cap - 1, i = (size_t)hash(key) & mask;
    while (m->keys[i] && strcmp(m->keys[i], key) != 0)
        i = (i + 1) & mask;
    return i;
}

static void rehash(sbml_map *m, size_t cap)
{
    sbml_map n = {.keys = tc_xcalloc(cap, sizeof(*n.keys)),
                  .vals = tc_xcalloc(cap, sizeof(*n.vals)),
                  .cap = cap,
                  .len = m->len};
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) {
            size_t s = probe(&n, m->keys[i]);
            n.keys[s] = m->keys[i];
            n.vals[s] = m->vals[i];
        }
    free(m->keys);
    free(m->vals);
    *m = n;
}

bool sbml_map_put(sbml_map *m, const char *key, size_t val, size_t *old)
{
    if (!key)
        return false;
    if (2 * (m->len + 1) > m->cap)
        rehash(m, m->cap ? 2 * m->cap : 16);
    size_t s = probe(m, key);
    if (m->keys[s]) {
        if (old)
            *old = m->vals[s];
        return false;
    }
    m->keys[s] = key;
    m->vals[s] = val;
    m->len++;
    return true;
}

void sbml_map_set(sbml_map *m, const char *key, size_t val)
{
    size_t old;
    if (!key || sbml_map_put(m, key, val, &old))
        return;
    m->vals[probe(m, key)] = val;
}

bool sbml_map_get(const sbml_map *m, const char *key, size_t *val)
{
    if (!key || !m->len)
        return false;
    size_t s = probe(m, key);
    if (!m->keys[s])
        return false;
    if (val)
        *val = m->vals[s];
    return true;
}

void sbml_map_free(sbml_map *m)
{
    free(m->keys);
    free(m->vals);
    *m = (sbml_map){0};
}

/* ---- several values per key, in the order they were added ---- */

void sbml_multi_add(sbml_multi *m, const char *key, size_t val)
{
    if (!key)
        return;
    TC_GROW(m->pkeys, m->pcap, m->plen + 1);
    TC_GROW(m->pvals, m->pvcap, m->plen + 1);
    m->pkeys[m->plen] = key;
    m->pvals[m->plen++] = val;
}

void sbml_multi_seal(sbml_multi *m)
{
    if (!m->plen)
        return; /* nothing to look up: get answers 0 without tables (most indexes of a
                 * small model are empty) */
    /* distinct keys numbered in order of first appearance; counting sort by key */
    size_t *kno = tc_xmalloc((m->plen ? m->plen : 1) * sizeof(*kno));
    for (size_t i = 0; i < m->plen; i++) {
        size_t k = m->keys.len;
        sbml_map_put(&m->keys, m->pkeys[i], k, &k); /* k: the new number or the old one */
        kno[i] = k;
    }
    size_t nk = m->keys.len;
    m->start = tc_xcalloc(nk + 1, sizeof(*m->start));
    for (size_t i = 0; i < m->plen; i++)
        m->start[kno[i] + 1]++;
    for (size_t k = 0; k < nk; k++)
        m->start[k + 1] += m->start[k];
    size_t *at = tc_xmalloc((nk ? nk : 1) * sizeof(*at));
    memcpy(at, m->start, nk * sizeof(*at));
    m->vals = tc_xmalloc((m->plen ? m->plen : 1) * sizeof(*m->vals));
    for (size_t i = 0; i < m->plen; i++)
        m->vals[at[kno[i]]++] = m->pvals[i];
    free(at);
    free(kno);
    free(m->pkeys);
    free(m->pvals);
    m->pkeys = NULL;
    m->pvals = NULL;
    m->pcap = m->pvcap = 0;
}

size_t sbml_multi_get(const sbml_multi *m, const char *key, const size_t **vals)
{
    size_t k;
    if (!m->start || !sbml_map_get(&m->keys, key, &k)) {
        *vals = NULL;
        return 0;
    }
    *vals = m->vals + m->start[k];
    return m->start[k + 1] - m->start[k];
}

void sbml_multi_free(sbml_multi *m)
{
    sbml_map_free(&m->keys);
    free(m->start);
    free(m->vals);
    free(m->pkeys);
    free(m->pvals);
    *m = (sbml_multi){0};
}

/* ---- the document's indexes ---- */

/* Every symbol e reads that no enclosing lambda binds (tc_expr_mentions' notion). */
typedef struct bound {
    const tc_expr *lambda;
    const struct bound *up;
} bound;

static bool is_bound(const bound *b, const char *name)
{
    for (; b; b = b->up)
        for (size_t i = 0; i + 1 < b->lambda->nargs; i++)
            if (b->lambda->args[i]->name && strcmp(b->lambda->args[i]->name, name) == 0)
                return true;
    return false;
}

static void symbols(const tc_expr *e, const bound *b, int depth,
                    void (*fn)(void *ctx, const char *name), void *ctx)
{
    if (!e || depth > 10000)
        return;
    if (e->op == TC_EXPR_SYMBOL) {
        if (e->name && !is_bound(b, e->name))
            fn(ctx, e->name);
        return;
    }
    if (e->op == TC_EXPR_LAMBDA) {
        bound in = {e, b};
        if (e->nargs)
            symbols(e->args[e->nargs - 1], &in, depth + 1, fn, ctx);
        return;
    }
    for (size_t i = 0; i < e->nargs; i++)
        symbols(e->args[i], b, depth + 1, fn, ctx);
}

void sbml_expr_symbols(const tc_expr *e, void (*fn)(void *ctx, const char *name), void *ctx)
{
    symbols(e, NULL, 0, fn, ctx);
}

typedef struct add_ctx {
    sbml_multi *m;
    size_t val;
} add_ctx;

static void add_symbol(void *ctx, const char *name)
{
    add_ctx *a = ctx;
    sbml_multi_add(a->m, name, a->val);
}

void sbml_index_build(sbml_index *x, const tc_sbml_model *m)
{
    *x = (sbml_index){0};
    if (!m)
        return;
    for (size_t i = 0; i < m->nrules; i++) {
        const tc_sbml_rule *r = &m->rules[i];
        if (r->kind != TC_SBML_ALGEBRAIC) {
            sbml_multi_add(&x->rules, r->variable, i);
        } else {
            add_ctx a = {&x->algebraic, i};
            sbml_expr_symbols(r->math.expr, add_symbol, &a);
        }
    }
    for (size_t i = 0; i < m->ninitial_assignments; i++)
        sbml_multi_add(&x->initial, m->initial_assignments[i].symbol, i);
    for (size_t i = 0; i < m->nunitdefs; i++)
        sbml_multi_add(&x->unitdefs, m->unitdefs[i].b.id, i);
    for (size_t i = 0; i < m->nreactions; i++) {
        const tc_sbml_reaction *r = &m->reactions[i];
        for (size_t j = 0; j < r->nreactants; j++)
            sbml_multi_add(&x->participant, r->reactants[j].species, i);
        for (size_t j = 0; j < r->nproducts; j++)
            sbml_multi_add(&x->participant, r->products[j].species, i);
        for (size_t j = 0; r->kinetic_law && j < r->kinetic_law->nparameters; j++)
            sbml_multi_add(&x->locals, r->kinetic_law->parameters[j].b.id, i);
    }
    sbml_multi_seal(&x->rules);
    sbml_multi_seal(&x->algebraic);
    sbml_multi_seal(&x->initial);
    sbml_multi_seal(&x->unitdefs);
    sbml_multi_seal(&x->participant);
    sbml_multi_seal(&x->locals);
}

void sbml_index_release(sbml_index *x)
{
    sbml_multi_free(&x->rules);
    sbml_multi_free(&x->algebraic);
    sbml_multi_free(&x->initial);
    sbml_multi_free(&x->unitdefs);
    sbml_multi_free(&x->participant);
    sbml_multi_free(&x->locals);
}

/* ---- reactions' participants ---- */

size_t sbml_reaction_nrefs(const tc_sbml_reaction *r)
{
    return r->nreactants + r->nproducts + r->nmodifiers;
}

const tc_sbml_speciesref *sbml_reaction_ref(const tc_sbml_reaction *r, size_t j)
{
    if (j < r->nreactants)
        return &r->reactants[j];
    j -= r->nreactants;
    if (j < r->nproducts)
        return &r->products[j];
    return &r->modifiers[j - r->nproducts];
}

/* Small reactions are scanned; larger ones get a map of their species once. */
#define SCAN_LIMIT 8

bool sbml_refs_has(sbml_refs *s, const tc_sbml_reaction *r, const char *species, bool modifiers)
{
    size_t n = modifiers ? sbml_reaction_nrefs(r) : r->nreactants + r->nproducts;
    if (!species)
        return false;
    if (n <= SCAN_LIMIT) {
        for (size_t j = 0; j < n; j++) {
            const char *x = sbml_reaction_ref(r, j)->species;
            if (x && strcmp(x, species) == 0)
                return true;
        }
        return false;
    }
    if (s->r != r || s->modifiers != modifiers) {
        sbml_map_free(&s->map);
        s->r = r;
        s->modifiers = modifiers;
        for (size_t j = 0; j < n; j++)
            sbml_map_put(&s->map, sbml_reaction_ref(r, j)->species, j, NULL);
    }
    return sbml_map_get(&s->map, species, NULL);
}

void sbml_refs_release(sbml_refs *s)
{
    sbml_map_free(&s->map);
    s->r = NULL;
}
