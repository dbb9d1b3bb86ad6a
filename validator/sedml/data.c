/* Data sources evaluated: the numbers a dataSource selects from the file of its
 * dataDescription, read by the CSV and NuML readers of validator/outputs. A
 * repeated task's dataRange iterates over them. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outputs/outputs.h"
#include "sedml.h"

/* The selection made so far: positions of one row and one column (-1: all). */
typedef struct pick {
    long row, col;
    const tc_sedml_slice *row_slice, *col_slice;
} pick;

static const tc_sedml_data_source *find_source(const tc_sedml_doc *doc, const char *id,
                                               const tc_sedml_data_description **desc)
{
    for (size_t i = 0; id && i < doc->ndata_descriptions; i++)
        for (size_t j = 0; j < doc->data_descriptions[i].nsources; j++)
            if (doc->data_descriptions[i].sources[j].id &&
                strcmp(doc->data_descriptions[i].sources[j].id, id) == 0) {
                *desc = &doc->data_descriptions[i];
                return &doc->data_descriptions[i].sources[j];
            }
    return NULL;
}

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Does `ref` name the outermost description (a CSV file's row index)? */
static bool names_outer(const tc_sedml_data_description *d, const char *ref)
{
    return same(d->outer_id, ref) || same(d->outer_name, ref);
}

static bool names_dimension(const tc_sedml_data_description *d, const char *ref)
{
    for (size_t i = 0; ref && i < d->ndimensions; i++)
        if (strcmp(d->dimensions[i], ref) == 0)
            return true;
    return false;
}

static bool parse_index(const char *text, long *out)
{
    if (!text || !*text)
        return false;
    char *end = NULL;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = v;
    return true;
}

/* The first problem a reader reported, as the error of the data source. */
static int reader_problem(const tc_findings *scratch, const char *file)
{
    const tc_finding *f = &scratch->items[0];
    if (f->line > 0)
        return tc_error_set(TC_EINVAL, "%s (line %ld of %s)", f->message, f->line, file);
    return tc_error_set(TC_EINVAL, "%s", f->message);
}

/* startIndex and endIndex of the slices bound the positions kept (both inclusive). */
static int bound_positions(const tc_sedml_data_source *s, size_t *first, size_t *last, long *line)
{
    for (size_t i = 0; i < s->nslices; i++) {
        const tc_sedml_slice *sl = &s->slices[i];
        const char *texts[2] = {sl->start_index, sl->end_index};
        for (int k = 0; k < 2; k++) {
            long v;
            if (!texts[k])
                continue;
            if (!parse_index(texts[k], &v) || v < 0) {
                *line = sl->line;
                return tc_error_set(TC_EINVAL,
                                    "%s '%s' of a slice of data source '%s' is not an index "
                                    "(an integer from 0)",
                                    k == 0 ? "startIndex" : "endIndex", texts[k], s->id);
            }
            if (k == 0 && (size_t)v > *first)
                *first = (size_t)v;
            if (k == 1 && (size_t)v < *last)
                *last = (size_t)v;
        }
    }
    return 0;
}

/* Copy values[first..last] (a stride apart) into *out, checking each is a number. */
static int take(const double *values, size_t count, size_t stride, const tc_sedml_data_source *s,
                const char *file, size_t max, double **out, size_t *n, long *line)
{
    size_t first = 0, last = count ? count - 1 : 0;
    int rc = bound_positions(s, &first, &last, line);
    if (rc != 0)
        return rc;
    *line = s->line;
    if (count == 0 || first > last)
        return tc_error_set(TC_EINVAL, "data source '%s' selects no values of %s", s->id, file);
    size_t len = last - first + 1;
    if (len > max)
        return tc_error_set(TC_ELIMIT,
                            "data source '%s' has %zu values in %s, more than the limit of %zu "
                            "iterations",
                            s->id, len, file, max);
    double *v = tc_xcalloc(len, sizeof *v);
    for (size_t i = 0; i < len; i++) {
        v[i] = values[(first + i) * stride];
        if (!isfinite(v[i])) {
            free(v);
            return tc_error_set(TC_EINVAL,
                                "value %zu of data source '%s' in %s is empty or not a finite "
                                "number",
                                first + i + 1, s->id, file);
        }
    }
    *out = v;
    *n = len;
    return 0;
}

/* ---- CSV: rows are the outer index (0, 1, ...), columns the header ids ---- */

static int csv_values(const tc_sedml_data_description *d, const tc_sedml_data_source *s,
                      const tc_file *f, size_t max, double **out, size_t *n, long *line)
{
    tc_csv csv;
    tc_findings scratch;
    tc_findings_init(&scratch);
    int rc = tc_csv_parse(&csv, f->data, f->size, f->path, "sedml:data-source", &scratch);
    if (rc != 0 || scratch.len > 0) {
        *line = d->line;
        rc = scratch.len ? reader_problem(&scratch, f->path)
                         : tc_error_set(TC_EINVAL, "%s cannot be read as CSV", f->path);
        goto cleanup;
    }
    *line = s->line;
    if (csv.nrows == 0 || csv.ncols == 0) {
        rc = tc_error_set(TC_EINVAL, "data source '%s' selects no values: %s has no data rows",
                          s->id, f->path);
        goto cleanup;
    }
    if (s->index_set) {
        if (names_outer(d, s->index_set)) {
            double *rows = tc_xcalloc(csv.nrows ? csv.nrows : 1, sizeof *rows);
            for (size_t i = 0; i < csv.nrows; i++)
                rows[i] = (double)i;
            rc = take(rows, csv.nrows, 1, s, f->path, max, out, n, line);
            free(rows);
        } else if (names_dimension(d, s->index_set)) {
            rc = tc_error_set(TC_EINVAL,
                              "indexSet '%s' of data source '%s' selects the column ids of %s, "
                              "which are not numbers",
                              s->index_set, s->id, f->path);
        } else {
            rc = tc_error_set(TC_EINVAL,
                              "indexSet '%s' of data source '%s' names no dimension of "
                              "dataDescription '%s'",
                              s->index_set, s->id, d->id ? d->id : "");
        }
        goto cleanup;
    }
    pick p = {-1, -1, NULL, NULL};
    for (size_t i = 0; i < s->nslices; i++) {
        const tc_sedml_slice *sl = &s->slices[i];
        *line = sl->line;
        if (!sl->value)
            continue; /* startIndex/endIndex only */
        long col = tc_csv_column(&csv, sl->value), row;
        bool by_row =
            names_outer(d, sl->reference) ||
            (col < 0 && !names_dimension(d, sl->reference) && parse_index(sl->value, &row));
        if (by_row) {
            if (!parse_index(sl->value, &row) || row < 0 || (size_t)row >= csv.nrows) {
                rc = tc_error_set(TC_EINVAL, "slice value '%s' is not a row index of %s (0 to %zu)",
                                  sl->value, f->path, csv.nrows ? csv.nrows - 1 : 0);
                goto cleanup;
            }
            if (p.row_slice) {
                rc = tc_error_set(TC_EINVAL,
                                  "data source '%s' selects rows twice (lines %ld and %ld)", s->id,
                                  p.row_slice->line, sl->line);
                goto cleanup;
            }
            p.row = row;
            p.row_slice = sl;
        } else {
            if (col < 0) {
                rc = tc_error_set(TC_EINVAL, "slice value '%s' is not a column of %s", sl->value,
                                  f->path);
                goto cleanup;
            }
            if (p.col_slice) {
                rc = tc_error_set(TC_EINVAL,
                                  "data source '%s' selects columns twice (lines %ld and %ld)",
                                  s->id, p.col_slice->line, sl->line);
                goto cleanup;
            }
            p.col = col;
            p.col_slice = sl;
        }
    }
    *line = s->line;
    if (p.col < 0 && p.row < 0 && csv.ncols == 1)
        p.col = 0;
    if (p.col < 0 && p.row < 0) {
        rc = tc_error_set(TC_EINVAL,
                          "data source '%s' selects all %zu columns of %s; one dimension is "
                          "needed (a slice naming one column)",
                          s->id, csv.ncols, f->path);
    } else if (p.col >= 0 && p.row >= 0) {
        rc = take(&csv.cells[(size_t)p.row * csv.ncols + (size_t)p.col], 1, 1, s, f->path, max, out,
                  n, line);
    } else if (p.col >= 0) {
        rc = take(&csv.cells[p.col], csv.nrows, csv.ncols, s, f->path, max, out, n, line);
    } else {
        rc = take(&csv.cells[(size_t)p.row * csv.ncols], csv.ncols, 1, s, f->path, max, out, n,
                  line);
    }
cleanup:
    tc_findings_release(&scratch);
    tc_csv_release(&csv);
    return rc;
}

/* ---- NuML: the row index and the columns validator/outputs/numl.c reads ---- */

static bool is_index_named(const tc_sedml_data_description *d, const tc_output_dataset *x,
                           const char *ref)
{
    return x->index && (same(x->id, ref) || same(x->label, ref) || names_outer(d, ref));
}

/* Is `value` one of the dot-separated parts of a column id ("S1" in "S1.conc")? */
static bool has_part(const char *id, const char *value)
{
    size_t n = strlen(value);
    for (const char *p = id; p; p = strchr(p, '.')) {
        if (p != id)
            p++;
        if (strncmp(p, value, n) == 0 && (p[n] == '\0' || p[n] == '.'))
            return true;
    }
    return false;
}

static int numl_values(const tc_sedml_data_description *d, const tc_sedml_data_source *s,
                       const tc_file *f, size_t max, double **out, size_t *n, long *line)
{
    tc_outputs numl;
    tc_outputs_init(&numl, f->path);
    tc_findings scratch;
    tc_findings_init(&scratch);
    int rc = tc_numl_parse(&numl, f->data, f->size, f->path, "sedml:data-source", &scratch);
    if (rc != 0 || scratch.len > 0) {
        *line = d->line;
        rc = scratch.len ? reader_problem(&scratch, f->path)
                         : tc_error_set(TC_EINVAL, "%s cannot be read as NuML", f->path);
        goto cleanup;
    }
    *line = s->line;
    if (s->index_set) {
        const tc_output_dataset *ix = NULL;
        for (size_t i = 0; i < numl.len && !ix; i++)
            if (is_index_named(d, &numl.items[i], s->index_set))
                ix = &numl.items[i];
        if (!ix)
            rc = tc_error_set(TC_EINVAL,
                              "indexSet '%s' of data source '%s' is no numeric index "
                              "of %s",
                              s->index_set, s->id, f->path);
        else
            rc = take(ix->values, ix->nvalues, 1, s, f->path, max, out, n, line);
        goto cleanup;
    }
    /* the column every value slice names, then the row a slice of the index picks */
    const tc_output_dataset *col = NULL;
    size_t matches = 0;
    for (size_t i = 0; i < numl.len; i++) {
        const tc_output_dataset *x = &numl.items[i];
        if (x->index)
            continue;
        bool all = true;
        for (size_t k = 0; k < s->nslices && all; k++) {
            const tc_sedml_slice *sl = &s->slices[k];
            bool of_index = false;
            for (size_t m = 0; m < numl.len && !of_index; m++)
                of_index = same(numl.items[m].output, x->output) &&
                           is_index_named(d, &numl.items[m], sl->reference);
            if (sl->value && !of_index)
                all = has_part(x->id, sl->value);
        }
        if (all && matches++ == 0)
            col = x;
    }
    if (matches != 1) {
        rc = matches == 0 ? tc_error_set(TC_EINVAL, "data source '%s' selects no column of %s",
                                         s->id, f->path)
                          : tc_error_set(TC_EINVAL,
                                         "data source '%s' selects %zu columns of %s; one "
                                         "dimension is needed (a slice naming one column)",
                                         s->id, matches, f->path);
        goto cleanup;
    }
    for (size_t k = 0; k < s->nslices; k++) {
        const tc_sedml_slice *sl = &s->slices[k];
        const tc_output_dataset *ix = NULL;
        for (size_t m = 0; m < numl.len && !ix; m++)
            if (same(numl.items[m].output, col->output) &&
                is_index_named(d, &numl.items[m], sl->reference))
                ix = &numl.items[m];
        if (!ix || !sl->value)
            continue;
        char *end = NULL;
        double want = strtod(sl->value, &end);
        size_t row = ix->nvalues;
        for (size_t r = 0; end != sl->value && *end == '\0' && r < ix->nvalues; r++)
            if (ix->values[r] == want) {
                row = r;
                break;
            }
        if (row >= ix->nvalues || row >= col->nvalues) {
            *line = sl->line;
            rc = tc_error_set(TC_EINVAL, "slice value '%s' is not a value of the index '%s' of %s",
                              sl->value, sl->reference, f->path);
            goto cleanup;
        }
        rc = take(&col->values[row], 1, 1, s, f->path, max, out, n, line);
        goto cleanup;
    }
    rc = take(col->values, col->nvalues, 1, s, f->path, max, out, n, line);
cleanup:
    tc_findings_release(&scratch);
    tc_outputs_release(&numl);
    return rc;
}

int tc_sedml_data_values(const tc_sedml_doc *doc, const tc_package *pkg, const char *id, size_t max,
                         double **values, size_t *n, long *line)
{
    *values = NULL;
    *n = 0;
    *line = 0;
    const tc_sedml_data_description *d = NULL;
    const tc_sedml_data_source *s = find_source(doc, id, &d);
    if (!s)
        return tc_error_set(TC_ENOTFOUND, "'%s' is not a data source of the document",
                            id ? id : "");
    *line = d->line;
    const tc_file *f = d->source_path ? tc_package_find(pkg, d->source_path) : NULL;
    if (!f || !f->present || f->rejected || !f->data)
        return tc_error_set(TC_ENOTFOUND,
                            "the source '%s' of dataDescription '%s' is not a file of the package",
                            d->source ? d->source : "", d->id ? d->id : "");
    if (s->index_set && s->nslices > 0) {
        *line = s->line;
        return tc_error_set(TC_EINVAL,
                            "data source '%s' has an indexSet and slices; it may have "
                            "only one of them",
                            s->id);
    }
    bool csv =
        d->format ? strncmp(d->format, "urn:sedml:format:csv", 20) == 0 : f->kind == TC_KIND_CSV;
    /* NuML is the default format (L1V4 section 2.2.2) */
    bool numl = !csv && ((d->format && strncmp(d->format, "urn:sedml:format:numl", 21) == 0) ||
                         (!d->format && tc_kind_is_xml(f->kind)));
    if (csv)
        return csv_values(d, s, f, max, values, n, line);
    if (numl)
        return numl_values(d, s, f, max, values, n, line);
    return tc_error_set(TC_EUSAGE,
                        "dataDescription '%s' has format '%s', which is not read (CSV and NuML "
                        "are)",
                        d->id ? d->id : "", d->format ? d->format : "(none)");
}
