/* Private to validator/assess: the parsed form of a rule pack. */
#ifndef TC_ASSESS_INTERNAL_H
#define TC_ASSESS_INTERNAL_H

#include "assess.h"

#define TC_PACK_FORMAT "urn:twincheck:format:credibility-pack:1"
#define TC_DOSSIER_FORMAT "urn:twincheck:format:credibility-dossier:1"

/* The measures the engine derives from its own evidence; a pack's tool grades
 * name them (docs/credibility.md). */
#define TC_MEASURES(X)                                                                             \
    X(M_CROSS, "rerun.cross_integrator_max_rel_diff")                                              \
    X(M_CONVERGENCE, "rerun.convergence_max_rel_change")                                           \
    X(M_REPRO, "rerun.max_rel_error")                                                              \
    X(M_RERUN_FAILED, "rerun.failed")                                                              \
    X(M_RERUN_COUNT, "rerun.count")                                                                \
    X(M_CMP_RATIO, "comparison.worst_ratio")                                                       \
    X(M_CMP_COUNT, "comparison.count")                                                             \
    X(M_VAL_ERRORS, "validation.errors")                                                           \
    X(M_VAL_WARNINGS, "validation.warnings")

typedef enum {
#define TC_X(e, name) e,
    TC_MEASURES(TC_X)
#undef TC_X
        M_COUNT
} tc_measure;

const char *tc_measure_name(tc_measure m);

typedef struct tc_pack_cond {
    tc_measure measure;
    double limit;
    bool is_max; /* value <= limit; otherwise value >= limit */
} tc_pack_cond;

typedef struct tc_pack_grade {
    size_t level; /* index into the factor's levels */
    tc_pack_cond *conds;
    size_t nconds;
} tc_pack_grade;

typedef struct tc_pack_level {
    char *id;
    char *meaning;
} tc_pack_level;

typedef struct tc_pack_factor {
    char *id, *name, *group;
    tc_pack_level *levels; /* lowest first */
    size_t nlevels;
    size_t *required;      /* per risk level (index risk-1): index into levels */
    tc_pack_grade *grades; /* highest first; none: the tool cannot assess it */
    size_t ngrades;
} tc_pack_factor;

typedef struct tc_pack_requirement {
    char *pointer; /* JSON pointer into the dossier that must be present and non-empty */
    char *rule;    /* finding kind */
    char *message;
    int from_risk;
} tc_pack_requirement;

struct tc_pack {
    char *id, *name, *source, *rules;
    char **influence, **consequence; /* scale names, lowest first */
    size_t ninfluence, nconsequence;
    int levels;          /* risk levels 1..levels */
    int *risk_map;       /* [influence * nconsequence + consequence] */
    int high_from;       /* risk level from which a missing factor is an error */
    int comparison_from; /* risk level from which validation comparisons are expected */
    tc_pack_factor *factors;
    size_t nfactors;
    tc_pack_requirement *requirements;
    size_t nrequirements;
    char digest[65]; /* SHA-256 of the pack text */
};

const tc_pack_factor *tc_pack_factor_find(const tc_pack *pack, const char *id);
/* Index of a level id in the factor's levels, or -1. */
long tc_pack_level_index(const tc_pack_factor *f, const char *id);

#endif
