/*
 * outputs: the results a package declares for its SED-ML outputs — CSV files
 * (one per report) and HDF5 report files in the BioSimulators layout
 * (reports.h5: one dataset per SED-ML output at "<sedml path>/<output id>",
 * rows = data sets, string attributes naming them) and NuML results files
 * (one result component per output, named by its id). Each declared data set
 * becomes (sedml file, output id, data set id, label, values[]); a file that
 * cannot be read, or is malformed, is a finding (sedml:output-unreadable).
 *
 * docs/sedml.md states the CSV convention. Sizes are bounded (TC_OUTPUTS_MAX_*).
 */
#ifndef TC_OUTPUTS_H
#define TC_OUTPUTS_H

#include "core/core.h"
#include "intake/intake.h"

#define TC_OUTPUTS_MAX_COLUMNS 100000
#define TC_OUTPUTS_MAX_VALUES (UINT64_C(64) << 20) /* numbers in one file */

typedef struct tc_output_dataset {
    char *sedml;  /* the SED-ML file it belongs to (package path), or NULL if unknown */
    char *output; /* the report (or plot) id */
    char *id;     /* data set id (for a plot: the data generator id) */
    char *label;  /* label, or NULL */
    double *values;
    size_t nvalues;
    bool index; /* NuML: the values of the row index (time), not a column */
} tc_output_dataset;

typedef struct tc_outputs {
    char *file; /* the output file, package path */
    tc_output_dataset *items;
    size_t len, cap;
} tc_outputs;

void tc_outputs_init(tc_outputs *out, const char *file);
void tc_outputs_release(tc_outputs *out);

/* ---- CSV (SED-ML L1V4, section 3.3.2.2) ---------------------------------------- */
typedef struct tc_csv {
    char **header; /* column ids, from the first record */
    size_t ncols;
    double *cells; /* row-major, nrows * ncols; NaN for empty and NaN-like cells */
    size_t nrows;
} tc_csv;

/* Parse CSV text. Problems (ragged rows, text that is not a number, limits) are
 * findings under `rule` at `file` with their line; returns 0, or TC_EINVAL when
 * nothing usable was read (out is then empty). tc_csv_release frees it. */
int tc_csv_parse(tc_csv *out, const unsigned char *data, size_t len, const char *file,
                 const char *rule, tc_findings *fs);
void tc_csv_release(tc_csv *csv);
/* Index of a column by header, or -1. */
long tc_csv_column(const tc_csv *csv, const char *name);

/* A CSV report: each column is a data set named by its header (an id or a
 * label); sedml and output say which report it declares (either may be NULL). */
int tc_outputs_read_csv(tc_outputs *out, const tc_file *file, const char *sedml, const char *output,
                        tc_findings *fs);

/* ---- HDF5 (BioSimulators reports.h5) ------------------------------------------- */
/* Every dataset of the file, with its data sets named from its attributes
 * (sedmlDataSetIds, sedmlDataSetLabels; sedmlId for the output id). */
int tc_outputs_read_hdf5(tc_outputs *out, const tc_file *file, tc_findings *fs);

/* ---- NuML Level 1 Version 1 results ------------------------------------------- */
/* Append the data sets of every resultComponent of a NuML document (output =
 * the component id, sedml NULL): an outermost composite with a numeric indexType
 * is the row index (a data set with `index` set, named by the composite's name),
 * every numeric leaf under it a column named by the inner index values and
 * atomicDescription names on its way, joined by "." ("S1", "S1.conc", "conc").
 * Malformed files are findings under `rule` at `file` with their line; returns
 * 0, or TC_EINVAL when no data set was read. */
int tc_numl_parse(tc_outputs *out, const unsigned char *data, size_t len, const char *file,
                  const char *rule, tc_findings *fs);
/* Is this package file a NuML document (its format identifier or ".numl")? */
bool tc_numl_file(const tc_file *file);
/* A NuML results file as declared outputs; `sedml` (may be NULL) is recorded on
 * each data set. Problems are sedml:output-unreadable findings. */
int tc_outputs_read_numl(tc_outputs *out, const tc_file *file, const char *sedml, tc_findings *fs);

#endif
