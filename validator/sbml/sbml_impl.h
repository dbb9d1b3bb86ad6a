/*
 * Shared by the files of validator/sbml only (the folder's interface is sbml.h):
 * the validation context, the symbol table and each rule family's entry point.
 */
#ifndef TC_SBML_IMPL_H
#define TC_SBML_IMPL_H

#include <libxml/tree.h>

#include "sbml.h"

/* Where a finding goes: the file and the level/version that decides which rules apply. */
typedef struct sbml_out {
    const char *file;
    tc_findings *fs;
    int level, version;
} sbml_out;

void sbml_report(const sbml_out *o, const char *rule, long line, const char *fmt, ...)
    TC_PRINTF(4, 5);

/* ---- reading helpers (sbml_read.c) ---- */
/* Is this element in the SBML core namespace of the document (or, for Level 1/2,
 * in any SBML namespace)? */
bool sbml_is_sbml(const xmlNode *n);
bool sbml_is_math(const xmlNode *n);
/* The value of an attribute with no namespace (caller frees), or NULL. */
char *sbml_attr(const xmlNode *n, const char *name);
/* The same value, without a copy where the document holds it as written (*owned is
 * then NULL); otherwise a copy, which *owned holds for the caller to free. */
const char *sbml_attr_view(const xmlNode *n, const char *name, char **owned);
bool sbml_has_attr(const xmlNode *n, const char *name);

/* Give `doc` a new XML document (owned from now on) and read its model again; the
 * package `drop_package` (a prefix, or NULL) is no longer declared. Used by flattening. */
void sbml_doc_replace(tc_sbml_doc *doc, xmlDoc *xml, const char *drop_package);

/* ---- MathML (sbml_mathml.c) ---- */
/* Read the content of a <math> element into a tree; 102xx findings for what is not
 * allowed. Returns NULL for an empty or unreadable math element. */
tc_expr *sbml_math_read(const sbml_out *o, const xmlNode *math, bool in_function);

/* ---- Level 1 formulas (sbml_formula.c) ---- */
/* Parse an infix formula; NULL when it is not one. */
tc_expr *sbml_formula_parse(const char *text, long line);

/* ---- hash indexes (sbml_index.c) ---- */
/* String -> size_t, keys borrowed; put keeps the first value of a key (returns false
 * and sets *old when the key was there). */
typedef struct sbml_map {
    const char **keys;
    size_t *vals;
    size_t cap, len;
} sbml_map;

bool sbml_map_put(sbml_map *m, const char *key, size_t val, size_t *old);
/* Put, or replace the value of a key that is there (keeping its first key pointer). */
void sbml_map_set(sbml_map *m, const char *key, size_t val);
bool sbml_map_get(const sbml_map *m, const char *key, size_t *val);
void sbml_map_free(sbml_map *m);

/* ---- the symbol table (sbml_symbols.c) ---- */
typedef enum sbml_kind {
    SBML_NONE = 0,
    SBML_COMPARTMENT,
    SBML_SPECIES,
    SBML_PARAMETER,
    SBML_SPECIESREF,
    SBML_REACTION,
    SBML_FUNCTION,
    SBML_EVENT,
    SBML_OTHER /* any other object with an id in the model's SId namespace */
} sbml_kind;

typedef struct sbml_sym {
    const char *id;
    sbml_kind kind;
    const void *obj;
    long line;
} sbml_sym;

typedef struct sbml_syms {
    sbml_sym *items; /* sorted by id (then line) */
    size_t len;
    sbml_map first; /* id -> index of its first item */
} sbml_syms;

void sbml_syms_build(sbml_syms *t, const tc_sbml_model *m);
void sbml_syms_release(sbml_syms *t);
const sbml_sym *sbml_syms_find(const sbml_syms *t, const char *id);
/* What a modeller calls a symbol of kind `k` ("compartment", "species reference", ...);
 * `other` for SBML_NONE and SBML_OTHER. */
const char *sbml_kind_name(sbml_kind k, const char *other);

/* ---- hash indexes (sbml_index.c), continued ---- */
/* String -> values in the order added: add everything, seal, then get. */
typedef struct sbml_multi {
    sbml_map keys; /* key -> its number */
    size_t *start; /* key number -> first value in vals (one more entry at the end) */
    size_t *vals;
    const char **pkeys; /* pairs before sealing */
    size_t *pvals;
    size_t plen, pcap, pvcap;
} sbml_multi;

void sbml_multi_add(sbml_multi *m, const char *key, size_t val); /* NULL key ignored */
void sbml_multi_seal(sbml_multi *m);
size_t sbml_multi_get(const sbml_multi *m, const char *key, const size_t **vals);
void sbml_multi_free(sbml_multi *m);

/* Call fn for every symbol e reads that no enclosing lambda binds, in tree order. */
void sbml_expr_symbols(const tc_expr *e, void (*fn)(void *ctx, const char *name), void *ctx);

/* Where each id is used, indexes into the model's arrays. */
typedef struct sbml_index {
    sbml_multi rules;       /* variable -> assignment and rate rules */
    sbml_multi algebraic;   /* symbol -> algebraic rules whose math reads it */
    sbml_multi initial;     /* symbol -> initial assignments */
    sbml_multi unitdefs;    /* id -> unit definitions */
    sbml_multi participant; /* species -> reactions it is a reactant or product of */
    sbml_multi locals;      /* id -> reactions whose kinetic law has a local parameter so named */
} sbml_index;

void sbml_index_build(sbml_index *x, const tc_sbml_model *m);
void sbml_index_release(sbml_index *x);

/* A reaction's species references: reactants, then products, then modifiers. */
size_t sbml_reaction_nrefs(const tc_sbml_reaction *r);
const tc_sbml_speciesref *sbml_reaction_ref(const tc_sbml_reaction *r, size_t j);

/* Does reaction r name `species` among its reactants and products (and modifiers when
 * `modifiers`)? s caches a map of the last large reaction asked about. */
typedef struct sbml_refs {
    const tc_sbml_reaction *r;
    bool modifiers;
    sbml_map map;
} sbml_refs;

bool sbml_refs_has(sbml_refs *s, const tc_sbml_reaction *r, const char *species, bool modifiers);
void sbml_refs_release(sbml_refs *s);

/* Everything a rule family needs. */
typedef struct sbml_ctx {
    sbml_out out;
    const tc_sbml_doc *doc;
    const tc_sbml_model *m;
    sbml_syms syms;
    sbml_index ix;
} sbml_ctx;

/* Look-ups by id. */
const tc_sbml_compartment *sbml_compartment(const sbml_ctx *c, const char *id);
const tc_sbml_species *sbml_species(const sbml_ctx *c, const char *id);
const tc_sbml_parameter *sbml_parameter(const sbml_ctx *c, const char *id);
const tc_sbml_function *sbml_function(const sbml_ctx *c, const char *id);
const tc_sbml_unitdef *sbml_unitdef(const sbml_ctx *c, const char *id);
/* The first assignment or rate rule (`kind`) for `id`. */
const tc_sbml_rule *sbml_rule_for(const sbml_ctx *c, const char *id, tc_sbml_rule_kind kind);
/* Is `species` a reactant or product of any reaction? */
bool sbml_is_participant(const sbml_ctx *c, const char *species);

/* Base unit kinds of SBML (Level-dependent). */
bool sbml_is_base_unit(const char *kind, int level, int version);
/* SBML data type syntax. */
bool sbml_is_sid(const char *s);
bool sbml_is_xml_id(const char *s);

/* What a modeller calls `node` (an xmlNode: an element holding math, its <math>, or any
 * component) in a finding, e.g. "the kinetic law of reaction "r"", written into buf. */
#define SBML_DESCRIBE_MAX 256
const char *sbml_describe(char *buf, size_t n, const void *node);

/* A unit as a modeller reads it, e.g. "mole/(litre*second)": `e` holds the
 * exponents of metre, kilogram, second, ampere, kelvin, mole, candela and item, in that
 * order, `log10f` the log10 of its factor relative to those SI units (sbml_units.c). */
#define SBML_UNIT_DIMS 8
#define SBML_UNIT_TEXT_MAX 192
const char *sbml_unit_text(char *buf, size_t n, const double e[SBML_UNIT_DIMS], double log10f);

/* ---- rule families ---- */
void sbml_check_structure(const sbml_out *o, const xmlDoc *xml);   /* sbml_structure.c */
void sbml_check_annotations(const sbml_out *o, const xmlDoc *xml); /* sbml_annotation.c */
void sbml_check_ids(sbml_ctx *c);                                  /* sbml_ids.c: 103xx */
void sbml_check_math(sbml_ctx *c);                                 /* sbml_math_rules.c: 102xx */
void sbml_check_general(sbml_ctx *c);  /* sbml_general.c: 20xxx, 21xxx */
void sbml_check_units(sbml_ctx *c);    /* sbml_units.c: 105xx */
void sbml_check_sbo(sbml_ctx *c);      /* sbml_sbo.c: 107xx */
void sbml_check_practice(sbml_ctx *c); /* sbml_practice.c: 80xxx, 10601 */

#endif
