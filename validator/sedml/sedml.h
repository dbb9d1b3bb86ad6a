/*
 * sedml: read SED-ML Level 1 Versions 1 to 4 into memory, validate its structure
 * and references against the package (sedml:... findings), and map KiSAO
 * algorithm ids onto the reference integrators.
 *
 * The document model keeps what a re-run needs: models with their changes,
 * simulations with their algorithms, tasks and repeated tasks, data generators
 * with their math (reference-solvers/expr.h trees), data descriptions and the
 * outputs. Every object keeps the line it was read from. Strings are owned by
 * the document; tc_sedml_free releases everything.
 */
#ifndef TC_SEDML_H
#define TC_SEDML_H

#include "core/core.h"
#include "expr.h"
#include "intake/intake.h"

/* ---- the document ---------------------------------------------------------- */

/* A namespace in scope where an XPath target was written: prefix (NULL for the
 * default namespace) and URI. */
typedef struct tc_sedml_ns {
    char *prefix;
    char *uri;
} tc_sedml_ns;

/* An XPath (or "#id" data source reference) with the namespaces in scope. */
typedef struct tc_sedml_target {
    char *xpath; /* NULL when absent */
    tc_sedml_ns *ns;
    size_t nns;
} tc_sedml_target;

typedef struct tc_sedml_variable {
    char *id, *name;
    tc_sedml_target target;
    char *symbol;    /* "urn:sedml:symbol:time", "KISAO:0000832", ... */
    char *task_ref;  /* taskReference */
    char *model_ref; /* modelReference */
    char *term;      /* L1V4: KiSAO term of an aggregate (mean, max, ...) */
    long line;
} tc_sedml_variable;

typedef struct tc_sedml_parameter {
    char *id, *name;
    double value;
    long line;
} tc_sedml_parameter;

/* Variables, parameters and math: the calculation shared by computeChange,
 * setValue, functionalRange and dataGenerator. */
typedef struct tc_sedml_calc {
    tc_sedml_variable *vars;
    size_t nvars;
    tc_sedml_parameter *params;
    size_t nparams;
    tc_expr *math; /* NULL when absent or unreadable */
    long math_line;
} tc_sedml_calc;

typedef enum tc_sedml_change_kind {
    TC_SEDML_CHANGE_ATTRIBUTE, /* changeAttribute */
    TC_SEDML_CHANGE_COMPUTE,   /* computeChange */
    TC_SEDML_CHANGE_ADD_XML,   /* addXML */
    TC_SEDML_CHANGE_REMOVE_XML,
    TC_SEDML_CHANGE_XML,      /* changeXML */
    TC_SEDML_CHANGE_SET_VALUE /* setValue, inside a repeatedTask */
} tc_sedml_change_kind;

typedef struct tc_sedml_change {
    tc_sedml_change_kind kind;
    tc_sedml_target target;
    char *symbol;    /* computeChange, setValue */
    char *new_value; /* changeAttribute */
    char *new_xml;   /* addXML, changeXML: the children of <newXML>, serialised */
    char *model_ref; /* setValue */
    char *range;     /* setValue */
    tc_sedml_calc calc;
    long line;
} tc_sedml_change;

typedef struct tc_sedml_model {
    char *id, *name;
    char *language;
    char *source;
    /* What the source is: a package path (resolved), another model ("#id"),
     * or something not readable offline (urn:, http:). */
    char *source_path;  /* package path of the file, or NULL */
    char *source_model; /* id of the model it derives from, or NULL */
    bool source_offline;
    tc_sedml_change *changes;
    size_t nchanges;
    long line;
} tc_sedml_model;

typedef struct tc_sedml_algorithm_parameter {
    char *kisao; /* as written */
    char *value;
    long line;
} tc_sedml_algorithm_parameter;

typedef struct tc_sedml_algorithm {
    char *kisao; /* as written ("KISAO:0000019"), or NULL */
    tc_sedml_algorithm_parameter *params;
    size_t nparams;
    long line;
} tc_sedml_algorithm;

typedef enum tc_sedml_sim_kind {
    TC_SEDML_SIM_UNIFORM_TIME_COURSE,
    TC_SEDML_SIM_ONE_STEP,
    TC_SEDML_SIM_STEADY_STATE,
    TC_SEDML_SIM_ANALYSIS /* L1V4 analysis: read, not run */
} tc_sedml_sim_kind;

typedef struct tc_sedml_simulation {
    tc_sedml_sim_kind kind;
    char *id, *name;
    /* uniformTimeCourse; number_of_steps is numberOfPoints before Version 4,
     * numberOfSteps from Version 4 on (both mean intervals: steps + 1 points) */
    double initial_time, output_start_time, output_end_time;
    long number_of_steps;
    double step; /* oneStep */
    tc_sedml_algorithm algorithm;
    bool has_algorithm;
    long line;
} tc_sedml_simulation;

typedef enum tc_sedml_range_kind {
    TC_SEDML_RANGE_UNIFORM,
    TC_SEDML_RANGE_VECTOR,
    TC_SEDML_RANGE_FUNCTIONAL,
    TC_SEDML_RANGE_DATA /* L1V4 dataRange: the values of a data source */
} tc_sedml_range_kind;

typedef struct tc_sedml_range {
    tc_sedml_range_kind kind;
    char *id;
    double start, end; /* uniform */
    long number_of_steps;
    bool log;       /* uniform type="log" */
    double *values; /* vector */
    size_t nvalues;
    char *range_ref;    /* functional: the range it is computed from */
    char *source_ref;   /* data: the data source */
    tc_sedml_calc calc; /* functional */
    long line;
} tc_sedml_range;

typedef struct tc_sedml_subtask {
    char *task;
    long order; /* 0 when absent */
    long line;
} tc_sedml_subtask;

typedef enum tc_sedml_task_kind {
    TC_SEDML_TASK,
    TC_SEDML_REPEATED_TASK,
    TC_SEDML_PARAMETER_ESTIMATION_TASK /* read, not run */
} tc_sedml_task_kind;

typedef struct tc_sedml_task {
    tc_sedml_task_kind kind;
    char *id, *name;
    char *model_ref, *simulation_ref; /* task */
    char *range;                      /* repeatedTask: the master range */
    bool reset_model, concatenate;
    tc_sedml_range *ranges;
    size_t nranges;
    tc_sedml_change *changes; /* setValue */
    size_t nchanges;
    tc_sedml_subtask *subtasks; /* sorted by order (stable) */
    size_t nsubtasks;
    long line;
} tc_sedml_task;

typedef struct tc_sedml_data_generator {
    char *id, *name;
    tc_sedml_calc calc;
    long line;
} tc_sedml_data_generator;

typedef struct tc_sedml_slice {
    char *reference, *value;
    char *start_index, *end_index; /* as written, or NULL */
    long line;
} tc_sedml_slice;

typedef struct tc_sedml_data_source {
    char *id, *index_set;
    tc_sedml_slice *slices;
    size_t nslices;
    long line;
} tc_sedml_data_source;

typedef struct tc_sedml_data_description {
    char *id, *name, *source, *format;
    char *source_path; /* package path, or NULL */
    char **dimensions; /* ids and names in its dimensionDescription */
    size_t ndimensions;
    /* id and name of the outermost description (a CSV source's row index), or NULL */
    char *outer_id, *outer_name;
    tc_sedml_data_source *sources;
    size_t nsources;
    long line;
} tc_sedml_data_description;

typedef enum tc_sedml_output_kind {
    TC_SEDML_REPORT,
    TC_SEDML_PLOT2D,
    TC_SEDML_PLOT3D,
    TC_SEDML_FIGURE /* L1V4: subPlots name plots */
} tc_sedml_output_kind;

/* A dataSet (report), curve (plot2D) or surface (plot3D), or a figure's subPlot. */
typedef struct tc_sedml_output_item {
    char *id, *name, *label;
    char *x, *y, *z; /* dataSet: x is its dataReference; subPlot: x is the plot */
    char *errors[4]; /* curve: xErrorUpper, xErrorLower, yErrorUpper, yErrorLower */
    char *style;
    long line;
} tc_sedml_output_item;

typedef struct tc_sedml_output {
    tc_sedml_output_kind kind;
    char *id, *name;
    tc_sedml_output_item *items;
    size_t nitems;
    long line;
} tc_sedml_output;

typedef struct tc_sedml_doc {
    char *path; /* the SED-ML file in the package */
    int level, version;
    tc_sedml_model *models;
    size_t nmodels;
    tc_sedml_simulation *simulations;
    size_t nsimulations;
    tc_sedml_task *tasks;
    size_t ntasks;
    tc_sedml_data_generator *data_generators;
    size_t ndata_generators;
    tc_sedml_data_description *data_descriptions;
    size_t ndata_descriptions;
    tc_sedml_output *outputs;
    size_t noutputs;
    char **styles; /* L1V4 style ids */
    size_t nstyles;
} tc_sedml_doc;

/* Read `file` (a SED-ML document of `pkg`). Structural problems found while
 * reading (missing attributes, bad numbers, unsupported MathML) become findings;
 * returns 0 with *out set, or TC_EINVAL with findings when the file is not
 * well-formed SED-ML at all (*out NULL). */
int tc_sedml_read(tc_sedml_doc **out, const tc_package *pkg, const tc_file *file, tc_findings *fs);
void tc_sedml_free(tc_sedml_doc *doc);

/* Cross-checks: unique ids, references, model sources and languages, XPath
 * targets against the model documents of the package, KiSAO ids, math scope,
 * circular definitions, and the declared outputs of the package that belong to
 * this document. */
void tc_sedml_validate(const tc_sedml_doc *doc, const tc_package *pkg, tc_findings *fs);

/* Read and validate every SED-ML file of the package (the pipeline's hook). */
void tc_sedml_check_package(const tc_package *pkg, tc_findings *fs);

/* Lookups by id (NULL when absent). */
const tc_sedml_model *tc_sedml_find_model(const tc_sedml_doc *doc, const char *id);
const tc_sedml_simulation *tc_sedml_find_simulation(const tc_sedml_doc *doc, const char *id);
const tc_sedml_task *tc_sedml_find_task(const tc_sedml_doc *doc, const char *id);
const tc_sedml_data_generator *tc_sedml_find_data_generator(const tc_sedml_doc *doc,
                                                            const char *id);
const tc_sedml_output *tc_sedml_find_output(const tc_sedml_doc *doc, const char *id);

/* The package file holding a model's source, following "#id" derivations; NULL
 * when it is not a file of the package (offline, missing or circular). */
const char *tc_sedml_model_file(const tc_sedml_doc *doc, const tc_sedml_model *model);

/* ---- data sources -------------------------------------------------------- */

/* The values of data source `id`, read from the file of its dataDescription in
 * `pkg` (CSV, or NuML through validator/outputs) and selected by its indexSet or
 * slices, in the file's order; they must be numbers and one-dimensional (docs/sedml.md,
 * "Data sources"). Returns 0 with *values (the caller frees them) and *n >= 1; or
 * TC_ENOTFOUND (no such data source, or its file is not in the package), TC_EINVAL
 * (unreadable, not one-dimensional, empty, not a number) or TC_ELIMIT (more than `max`
 * values), with the message in tc_error_last() and *line the SED-ML line it concerns
 * (0 when the id names no data source). */
int tc_sedml_data_values(const tc_sedml_doc *doc, const tc_package *pkg, const char *id,
                         size_t max, double **values, size_t *n, long *line);

/* ---- MathML ---------------------------------------------------------------- */
struct _xmlNode;
/* Convert a MathML <math> element into an expression tree. Problems (elements
 * outside SED-ML's subset, bad numbers, wrong argument counts) become findings
 * at `file`; returns NULL when nothing usable was read. */
tc_expr *tc_sedml_mathml(const struct _xmlNode *math, const char *file, tc_findings *fs);

/* ---- KiSAO ---------------------------------------------------------------- */

typedef enum tc_kisao_kind {
    TC_KISAO_ALGORITHM,
    TC_KISAO_PARAMETER,
    TC_KISAO_CHARACTERISTIC,
    TC_KISAO_OTHER
} tc_kisao_kind;

/* Flags from the is-a closure of a KiSAO term (rules/kisao.tsv). */
enum {
    TC_KISAO_DETERMINISTIC = 1 << 0,
    TC_KISAO_STOCHASTIC = 1 << 1,
    TC_KISAO_HYBRID = 1 << 2,
    TC_KISAO_ODE = 1 << 3,
    TC_KISAO_DAE = 1 << 4,
    TC_KISAO_SDE = 1 << 5,
    TC_KISAO_PDE = 1 << 6,
    TC_KISAO_DDE = 1 << 7,
    TC_KISAO_STEADY_STATE = 1 << 8,
    TC_KISAO_IMPLICIT = 1 << 9,
    TC_KISAO_EXPLICIT = 1 << 10,
    TC_KISAO_ADAPTIVE_STEP = 1 << 11,
    TC_KISAO_FIXED_STEP = 1 << 12
};

typedef struct tc_kisao_term {
    const char *id;      /* "KISAO_0000019" */
    const char *name;    /* "CVODE" */
    const char *parents; /* "KISAO_0000433" (comma-separated) */
    tc_kisao_kind kind;
    unsigned flags;
} tc_kisao_term;

/* Normalise "KISAO:0000019", "KISAO_0000019" or "http://.../KISAO#KISAO_0000019"
 * into "KISAO_0000019" (buffer of 14 bytes); false when it is not well-formed. */
bool tc_kisao_normalize(const char *id, char out[14]);
/* The term for an id in any accepted spelling, or NULL. */
const tc_kisao_term *tc_kisao_find(const char *id);

typedef enum tc_integrator {
    TC_INTEGRATOR_NONE = 0,
    TC_INTEGRATOR_BDF, /* implicit variable-order BDF */
    TC_INTEGRATOR_RK45 /* explicit Dormand-Prince 5(4) */
} tc_integrator;

typedef struct tc_kisao_mapping {
    tc_integrator integrator;
    bool exact; /* the algorithm is (a variant of) the integrator itself */
    /* "KISAO_0000019 (CVODE) run with bdf (implicit variable-order BDF)", or why
     * it cannot be verified: "KISAO_0000027 (Gibson-Bruck next reaction
     * algorithm) is stochastic: not verifiable by a deterministic re-run".
     * Owned by the caller. */
    char *text;
} tc_kisao_mapping;

/* Map an algorithm's kisaoID onto our integrators. Stochastic, hybrid,
 * steady-state, non-ODE and unknown algorithms map to TC_INTEGRATOR_NONE with
 * the reason in text; nothing stochastic is ever mapped to an ODE solver. */
void tc_kisao_map(const char *kisao_id, tc_kisao_mapping *out);
/* "bdf", "rk45", "none". */
const char *tc_integrator_name(tc_integrator integrator);

#endif
