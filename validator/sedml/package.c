/* The package view: every SED-ML document read and validated, and the outputs
 * the package declares (HDF5 reports, CSV reports, NuML results) checked against them. */
#include <stdlib.h>
#include <string.h>

#include "outputs/outputs.h"
#include "sedml.h"

static const tc_sedml_doc *doc_by_path(tc_sedml_doc *const *docs, size_t n, const char *path)
{
    for (size_t i = 0; path && i < n; i++)
        if (strcmp(docs[i]->path, path) == 0)
            return docs[i];
    return NULL;
}

static bool is_data_source(tc_sedml_doc *const *docs, size_t n, const char *path)
{
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < docs[i]->ndata_descriptions; j++)
            if (docs[i]->data_descriptions[j].source_path &&
                strcmp(docs[i]->data_descriptions[j].source_path, path) == 0)
                return true;
    return false;
}

/* Does declared id/label name item it of output o? Reports are named by dataSet id
 * or label; plots by the data generators their curves use. */
static bool names_item(const tc_sedml_output *o, const tc_sedml_output_item *it, const char *name)
{
    if (o->kind == TC_SEDML_REPORT)
        return (it->id && strcmp(it->id, name) == 0) || (it->label && strcmp(it->label, name) == 0);
    const char *refs[] = {it->x, it->y, it->z};
    for (int i = 0; i < 3; i++)
        if (refs[i] && strcmp(refs[i], name) == 0)
            return true;
    return false;
}

/* Compare the data sets declared for one output with what the SED-ML output lists. */
static void match_output(const tc_outputs *decl, size_t from, size_t to, const tc_sedml_doc *doc,
                         const tc_sedml_output *o, tc_findings *fs)
{
    tc_loc loc = {.file = decl->file, .path = decl->items[from].output};
    for (size_t i = from; i < to; i++) {
        const tc_output_dataset *d = &decl->items[i];
        bool found = false;
        for (size_t j = 0; j < o->nitems && !found; j++)
            found = names_item(o, &o->items[j], d->id) || (d->label && o->kind == TC_SEDML_REPORT &&
                                                           names_item(o, &o->items[j], d->label));
        if (!found && !d->index) /* a NuML row index need not be a data set of the report */
            tc_finding_add(fs, "sedml:output-mismatch", loc,
                           "%s declares data set '%s' for output '%s' of %s, which lists no such "
                           "%s",
                           decl->file, d->id, o->id, doc->path,
                           o->kind == TC_SEDML_REPORT ? "dataSet" : "data generator");
    }
    if (o->kind != TC_SEDML_REPORT)
        return;
    for (size_t j = 0; j < o->nitems; j++) {
        bool found = false;
        for (size_t i = from; i < to && !found; i++)
            found = names_item(o, &o->items[j], decl->items[i].id) ||
                    (decl->items[i].label && names_item(o, &o->items[j], decl->items[i].label));
        if (!found)
            tc_finding_add(fs, "sedml:output-mismatch", loc,
                           "%s has no data for dataSet '%s' (label '%s') of report '%s' in %s",
                           decl->file, o->items[j].id ? o->items[j].id : "",
                           o->items[j].label ? o->items[j].label : "", o->id, doc->path);
    }
}

/* Walk the declared data sets grouped by (sedml, output) and match each group. */
static void match_declared(const tc_outputs *decl, tc_sedml_doc *const *docs, size_t ndocs,
                           tc_findings *fs)
{
    size_t i = 0;
    while (i < decl->len) {
        size_t j = i + 1;
        const tc_output_dataset *d = &decl->items[i];
        while (j < decl->len && strcmp(decl->items[j].output, d->output) == 0 &&
               ((!d->sedml && !decl->items[j].sedml) ||
                (d->sedml && decl->items[j].sedml && strcmp(d->sedml, decl->items[j].sedml) == 0)))
            j++;
        const tc_sedml_doc *doc = doc_by_path(docs, ndocs, d->sedml);
        const tc_sedml_output *o = doc ? tc_sedml_find_output(doc, d->output) : NULL;
        tc_loc loc = {.file = decl->file, .path = d->output};
        if (!doc && !d->sedml)
            tc_finding_add(fs, "sedml:output-unknown", loc,
                           "%s declares results for output '%s', which no SED-ML document of the "
                           "package defines",
                           decl->file, d->output);
        else if (!doc)
            tc_finding_add(fs, "sedml:output-unknown", loc,
                           "%s declares results for '%s/%s', but the package has no SED-ML file "
                           "'%s'",
                           decl->file, d->sedml ? d->sedml : "", d->output,
                           d->sedml ? d->sedml : "");
        else if (!o)
            tc_finding_add(fs, "sedml:output-unknown", loc,
                           "%s declares results for output '%s', which %s does not define",
                           decl->file, d->output, doc->path);
        else
            match_output(decl, i, j, doc, o, fs);
        i = j;
    }
}

/* The report a CSV file declares: "<sedml path>/<report id>.csv" anywhere in the
 * package, or "<report id>.csv" when exactly one document has that report. */
static bool csv_report(const char *path, tc_sedml_doc *const *docs, size_t ndocs,
                       const tc_sedml_doc **doc, const tc_sedml_output **out)
{
    size_t len = strlen(path);
    if (len < 5 || strcmp(path + len - 4, ".csv") != 0)
        return false;
    char *stem = tc_xstrndup(path, len - 4);
    const char *slash = strrchr(stem, '/');
    const char *base = slash ? slash + 1 : stem;
    int matches = 0;
    for (size_t i = 0; i < ndocs; i++) {
        const tc_sedml_output *o = tc_sedml_find_output(docs[i], base);
        if (!o || o->kind != TC_SEDML_REPORT)
            continue;
        size_t plen = strlen(docs[i]->path);
        bool exact = (size_t)(base - stem) >= plen + 1 && base[-1] == '/' &&
                     strncmp(base - 1 - plen, docs[i]->path, plen) == 0 &&
                     (base - 1 - plen == stem || base[-2 - (long)plen] == '/');
        if (exact) {
            *doc = docs[i];
            *out = o;
            free(stem);
            return true;
        }
        if (matches++ == 0) {
            *doc = docs[i];
            *out = o;
        }
    }
    free(stem);
    return matches == 1;
}

/* NuML result components are named by output id alone: each goes to the SED-ML
 * document that defines that output, the one the file sits under
 * ("<sedml path>/...") when several do. */
static size_t numl_owners(tc_outputs *decl, tc_sedml_doc *const *docs, size_t ndocs)
{
    size_t owned = 0;
    for (size_t i = 0; i < decl->len; i++) {
        tc_output_dataset *d = &decl->items[i];
        const tc_sedml_doc *owner = NULL;
        int matches = 0;
        for (size_t k = 0; k < ndocs; k++) {
            if (!tc_sedml_find_output(docs[k], d->output))
                continue;
            size_t plen = strlen(docs[k]->path);
            if (strncmp(decl->file, docs[k]->path, plen) == 0 && decl->file[plen] == '/') {
                owner = docs[k];
                matches = 1;
                break;
            }
            if (matches++ == 0)
                owner = docs[k];
        }
        if (matches == 1) {
            d->sedml = tc_xstrdup(owner->path);
            owned++;
        }
    }
    return owned;
}

/* A NuML file that is no dataDescription's source declares results when one of
 * its components names an output; otherwise it is data nobody reads (the SED-ML
 * document that uses it may be unreadable), and not checked here. */
static void check_numl(tc_outputs *decl, const tc_file *f, tc_sedml_doc *const *docs,
                       size_t ndocs, tc_findings *fs)
{
    tc_findings scratch;
    tc_findings_init(&scratch);
    bool results = tc_outputs_read_numl(decl, f, NULL, &scratch) == 0 &&
                   numl_owners(decl, docs, ndocs) > 0;
    tc_findings_release(&scratch);
    tc_outputs_release(decl);
    tc_outputs_init(decl, f->path);
    if (results && tc_outputs_read_numl(decl, f, NULL, fs) == 0) {
        numl_owners(decl, docs, ndocs);
        match_declared(decl, docs, ndocs, fs);
    }
}

void tc_sedml_check_package(const tc_package *pkg, tc_findings *fs)
{
    tc_sedml_doc **docs = NULL;
    size_t ndocs = 0, cap = 0;
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (f->kind != TC_KIND_SEDML || !f->present || f->rejected)
            continue;
        tc_sedml_doc *doc = NULL;
        if (tc_sedml_read(&doc, pkg, f, fs) != 0)
            continue; /* reported as findings (sedml:10101) or by the parse stage */
        tc_sedml_validate(doc, pkg, fs);
        TC_GROW(docs, cap, ndocs + 1);
        docs[ndocs++] = doc;
    }
    tc_error_clear();
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (!f->present || f->rejected)
            continue;
        tc_outputs decl;
        tc_outputs_init(&decl, f->path);
        if (f->kind == TC_KIND_HDF5) {
            if (tc_outputs_read_hdf5(&decl, f, fs) == 0)
                match_declared(&decl, docs, ndocs, fs);
        } else if (f->kind == TC_KIND_CSV && !is_data_source(docs, ndocs, f->path)) {
            const tc_sedml_doc *doc = NULL;
            const tc_sedml_output *o = NULL;
            if (csv_report(f->path, docs, ndocs, &doc, &o) &&
                tc_outputs_read_csv(&decl, f, doc->path, o->id, fs) == 0)
                match_declared(&decl, docs, ndocs, fs);
        } else if (tc_numl_file(f) && !is_data_source(docs, ndocs, f->path)) {
            check_numl(&decl, f, docs, ndocs, fs);
        }
        tc_outputs_release(&decl);
    }
    tc_error_clear();
    for (size_t i = 0; i < ndocs; i++)
        tc_sedml_free(docs[i]);
    free(docs);
}
