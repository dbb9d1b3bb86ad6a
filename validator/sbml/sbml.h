/*
 * sbml: read SBML (Level 1 Versions 1-2, Level 2 Versions 1-5, Level 3 Versions 1-2,
 * core) into a model that keeps every element's line and id, and validate it against
 * the consistency rules of the SBML specifications (findings `sbml:NNNNN`, the
 * specifications' numeric rule ids; libSBML's additional ids for XML errors,
 * modelling practice and level/version checks).
 *
 * The model is complete enough to be mapped onto the solvers' representation:
 * every math element is a tc_expr tree (reference-solvers/expr.h), every number
 * attribute says whether it was set.
 *
 * Ownership: tc_sbml_read gives a document the caller frees with tc_sbml_doc_free;
 * everything reachable from it belongs to it.
 */
#ifndef TC_SBML_H
#define TC_SBML_H

#include <stdbool.h>
#include <stddef.h>

#include "core/core.h"
#include "expr.h"
#include "intake/intake.h"

/* An optional number attribute. */
typedef struct tc_sbml_num {
    double v;
    bool set;
} tc_sbml_num;

/* An optional boolean attribute: -1 unset, 0 false, 1 true. */
typedef signed char tc_sbml_bool;

/* What every SBML component has. */
typedef struct tc_sbml_base {
    const char *element; /* local name: "species", "listOfRules", ... */
    long line;
    char *id, *name, *metaid; /* NULL when absent */
    int sbo;                  /* SBO term number, -1 when absent or malformed */
    void *node;               /* the xmlNode it was read from (owned by the document) */
} tc_sbml_base;

typedef struct tc_sbml_math {
    tc_expr *expr; /* NULL when the element has no (readable) math */
    long line;     /* line of <math> */
} tc_sbml_math;

typedef struct tc_sbml_unit {
    tc_sbml_base b;
    char *kind;
    tc_sbml_num exponent, scale, multiplier, offset;
} tc_sbml_unit;

typedef struct tc_sbml_unitdef {
    tc_sbml_base b;
    tc_sbml_unit *units;
    size_t nunits;
} tc_sbml_unitdef;

typedef struct tc_sbml_compartment {
    tc_sbml_base b;
    tc_sbml_num spatial_dimensions, size;
    char *units, *outside, *compartment_type;
    tc_sbml_bool constant;
} tc_sbml_compartment;

typedef struct tc_sbml_species {
    tc_sbml_base b;
    char *compartment, *substance_units, *spatial_size_units, *conversion_factor, *species_type;
    tc_sbml_num initial_amount, initial_concentration, charge;
    tc_sbml_bool has_only_substance_units, boundary_condition, constant;
} tc_sbml_species;

/* A global parameter, or a kinetic law's local parameter. */
typedef struct tc_sbml_parameter {
    tc_sbml_base b;
    tc_sbml_num value;
    char *units;
    tc_sbml_bool constant;
} tc_sbml_parameter;

typedef struct tc_sbml_speciesref {
    tc_sbml_base b;
    char *species;
    tc_sbml_num stoichiometry, denominator; /* denominator: Level 1 only */
    tc_sbml_bool constant;
    tc_sbml_math stoichiometry_math; /* Level 2 */
} tc_sbml_speciesref;

typedef struct tc_sbml_kinetic_law {
    tc_sbml_base b;
    tc_sbml_math math;
    tc_sbml_parameter *parameters;
    size_t nparameters;
    char *substance_units, *time_units; /* Level 1 and early Level 2 */
} tc_sbml_kinetic_law;

typedef struct tc_sbml_reaction {
    tc_sbml_base b;
    tc_sbml_bool reversible, fast;
    char *compartment;
    tc_sbml_speciesref *reactants, *products, *modifiers;
    size_t nreactants, nproducts, nmodifiers;
    tc_sbml_kinetic_law *kinetic_law; /* NULL when absent */
} tc_sbml_reaction;

typedef enum tc_sbml_rule_kind {
    TC_SBML_ALGEBRAIC,
    TC_SBML_ASSIGNMENT,
    TC_SBML_RATE
} tc_sbml_rule_kind;

typedef struct tc_sbml_rule {
    tc_sbml_base b;
    tc_sbml_rule_kind kind;
    char *variable; /* NULL for algebraic rules */
    tc_sbml_math math;
} tc_sbml_rule;

typedef struct tc_sbml_initial_assignment {
    tc_sbml_base b;
    char *symbol;
    tc_sbml_math math;
} tc_sbml_initial_assignment;

typedef struct tc_sbml_event_assignment {
    tc_sbml_base b;
    char *variable;
    tc_sbml_math math;
} tc_sbml_event_assignment;

/* Trigger, delay or priority. */
typedef struct tc_sbml_event_part {
    tc_sbml_base b;
    tc_sbml_math math;
    tc_sbml_bool persistent, initial_value; /* trigger only */
} tc_sbml_event_part;

typedef struct tc_sbml_event {
    tc_sbml_base b;
    tc_sbml_bool use_values_from_trigger_time;
    char *time_units;                               /* Level 2 Versions 1-2 */
    tc_sbml_event_part *trigger, *delay, *priority; /* NULL when absent */
    tc_sbml_event_assignment *assignments;
    size_t nassignments;
} tc_sbml_event;

typedef struct tc_sbml_function {
    tc_sbml_base b;
    tc_sbml_math math; /* a LAMBDA: bound variables, then the body */
} tc_sbml_function;

typedef struct tc_sbml_constraint {
    tc_sbml_base b;
    tc_sbml_math math;
    bool has_message;
} tc_sbml_constraint;

typedef struct tc_sbml_model {
    tc_sbml_base b;
    char *substance_units, *time_units, *volume_units, *area_units, *length_units, *extent_units,
        *conversion_factor;
    tc_sbml_function *functions;
    size_t nfunctions;
    tc_sbml_unitdef *unitdefs;
    size_t nunitdefs;
    tc_sbml_compartment *compartments;
    size_t ncompartments;
    tc_sbml_species *species;
    size_t nspecies;
    tc_sbml_parameter *parameters;
    size_t nparameters;
    tc_sbml_initial_assignment *initial_assignments;
    size_t ninitial_assignments;
    tc_sbml_rule *rules;
    size_t nrules;
    tc_sbml_constraint *constraints;
    size_t nconstraints;
    tc_sbml_reaction *reactions;
    size_t nreactions;
    tc_sbml_event *events;
    size_t nevents;
} tc_sbml_model;

typedef struct tc_sbml_doc {
    int level, version;   /* 0 when unknown */
    char *file;           /* label used in findings */
    tc_sbml_model *model; /* NULL when the document has none */
    char **packages;      /* prefixes of Level 3 packages declared on <sbml> */
    size_t npackages;
    void *xml; /* the xmlDoc (owned) */
} tc_sbml_doc;

/* Read an SBML document. Returns 0 with *out set (problems found while reading,
 * XML errors included, are findings in `fs`), or a negative code when the bytes are
 * no SBML document at all that could be examined (*out NULL; findings say why). */
int tc_sbml_read(tc_sbml_doc **out, const void *data, size_t len, const char *file,
                 tc_findings *fs);
void tc_sbml_doc_free(tc_sbml_doc *doc);

/* ---- hierarchical model composition (Level 3 package comp) ---- */

/* Reads the file an externalModelDefinition's source names. `base` is the file that
 * names it (package path or label), `ref` the source as written. Returns 0 with *path
 * (the file's label for findings), *data and *len set (caller frees all), or a
 * negative code when it cannot be read or lies outside what the resolver allows. */
typedef struct tc_sbml_resolver {
    int (*read)(void *ctx, const char *base, const char *ref, char **path, unsigned char **data,
                size_t *len);
    void *ctx;
} tc_sbml_resolver;

/* Files in one directory only (no absolute paths, no "..", no URL schemes but file:). */
tc_sbml_resolver tc_sbml_resolver_dir(const char *dir);
/* Files of a package, resolved relative to the naming file, never outside it. */
tc_sbml_resolver tc_sbml_resolver_package(const tc_package *pkg);

/* Does the document declare the comp package? */
bool tc_sbml_uses_comp(const tc_sbml_doc *doc);
/* Replace a composed model by its flat core equivalent: submodels instantiated with
 * ids "SUBMODEL__id", deletions removed, replaced elements merged into their
 * replacements (conversion factors applied), time and extent scaled. 0 when done (or
 * the document does not use comp); a negative code, with sbml:comp-NNNNN findings in
 * `fs`, when the composition is broken (the document is left as it was). `r` may be
 * NULL: then only model definitions inside the document are found. */
int tc_sbml_flatten(tc_sbml_doc *doc, const tc_sbml_resolver *r, tc_findings *fs);

/* Check a document read by tc_sbml_read against every rule family. */
void tc_sbml_validate(const tc_sbml_doc *doc, tc_findings *fs);

/* Read and validate one package file (the pipeline's entry point). */
void tc_sbml_check_file(const tc_file *file, tc_findings *fs);
/* The same, flattening a composed model first with the package's files. */
void tc_sbml_check_package_file(const tc_package *pkg, const tc_file *file, tc_findings *fs);


/* ---- simulation: the document as the reference solvers' model (sbml_model.c) ----
 *
 * tc_sbml_sim_new maps a document's model onto a tc_model with the SBML semantics
 * (rules, initial assignments, reactions on amounts or concentrations, conversion
 * factors, stoichiometries, local parameters, events with their level's defaults, fast
 * reactions at equilibrium). Unsupported constructs (comp models, Level 1 text formulas,
 * fast reactions on species in a compartment whose size changes) fail
 * with TC_EUSAGE and a message starting "not supported: "; an inconsistent model
 * fails with TC_EINVAL. The result keeps no pointer into the document; free it with
 * tc_sbml_sim_free (NULL is fine). */
#include "solvers.h"

typedef struct tc_sbml_sim tc_sbml_sim;

/* How a species is reported: as its symbol reads, as an amount, as a concentration. */
typedef enum tc_sbml_form { TC_SBML_NATURAL = 0, TC_SBML_AMOUNT, TC_SBML_CONCENTRATION } tc_sbml_form;

/* One output column: the model variable `var`, times (or divided by) `size` when set.
 * The strings belong to the tc_sbml_sim. */
typedef struct tc_sbml_output {
    const char *var, *size;
    bool divide;
} tc_sbml_output;

int tc_sbml_sim_new(tc_sbml_sim **out, const tc_sbml_doc *doc);
void tc_sbml_sim_free(tc_sbml_sim *s);
/* The model (owned by s) to compile with tc_system_new. */
const tc_model *tc_sbml_sim_model(const tc_sbml_sim *s);
/* The species' ids in document order; *ids is an array the caller frees (the
 * strings belong to s). Returns the count. */
size_t tc_sbml_sim_species(const tc_sbml_sim *s, const char ***ids);
/* How to report SBML symbol `id` in `form` (species only; others ignore it). */
int tc_sbml_sim_output(const tc_sbml_sim *s, const char *id, tc_sbml_form form,
                       tc_sbml_output *out);
/* The output's value at a result row (NAN when a column is missing). */
double tc_sbml_output_value(const tc_sbml_output *o, const tc_sim_result *r, size_t row);

#endif
