/* HDF5 report files in the BioSimulators layout, read from memory with the HDF5
 * core driver (no temporary file). Every call into HDF5 is here; its own error
 * printing is switched off and failures become findings. */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outputs.h"

#define MAX_DATASETS 10000
#define MAX_STRING 4096

typedef struct walk {
    tc_outputs *out;
    const tc_file *file;
    tc_findings *fs;
    size_t datasets;
    uint64_t values;
    bool stop;
} walk;

/* "FILE: dataset PATH PROBLEM" */
static void unreadable(walk *w, const char *path, const char *problem)
{
    tc_finding_add(w->fs, "sedml:output-unreadable", (tc_loc){.file = w->file->path, .path = path},
                   "%s: dataset %s %s", w->file->path, path, problem);
}

/* A string attribute (scalar or 1-D, fixed or variable length) as an array of
 * `*n` strings; NULL when absent or not strings. */
static char **read_strings(hid_t obj, const char *name, size_t *n)
{
    *n = 0;
    if (H5Aexists(obj, name) <= 0)
        return NULL;
    char **out = NULL;
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t ftype = a >= 0 ? H5Aget_type(a) : -1;
    hid_t space = a >= 0 ? H5Aget_space(a) : -1;
    hid_t mtype = -1;
    if (ftype < 0 || space < 0 || H5Tget_class(ftype) != H5T_STRING)
        goto done;
    int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[1] = {1};
    if (rank > 1 || (rank == 1 && H5Sget_simple_extent_dims(space, dims, NULL) < 0))
        goto done;
    size_t count = (size_t)dims[0];
    if (count > TC_OUTPUTS_MAX_COLUMNS)
        goto done;
    out = tc_xcalloc(count ? count : 1, sizeof *out);
    mtype = H5Tcopy(H5T_C_S1);
    H5Tset_cset(mtype, H5Tget_cset(ftype)); /* HDF5 converts no character sets */
    if (H5Tis_variable_str(ftype) > 0) {
        H5Tset_size(mtype, H5T_VARIABLE);
        char **raw = tc_xcalloc(count ? count : 1, sizeof *raw);
        if (H5Aread(a, mtype, raw) >= 0) {
            for (size_t i = 0; i < count; i++)
                out[i] = raw[i] ? tc_xstrndup(raw[i], strnlen(raw[i], MAX_STRING)) : tc_xstrdup("");
            H5Dvlen_reclaim(mtype, space, H5P_DEFAULT, raw);
            *n = count;
        }
        free(raw);
    } else {
        size_t size = H5Tget_size(ftype);
        if (size == 0 || size > MAX_STRING)
            goto done;
        H5Tset_size(mtype, size);
        char *raw = tc_xcalloc(count ? count : 1, size);
        if (H5Aread(a, mtype, raw) >= 0) {
            for (size_t i = 0; i < count; i++)
                out[i] = tc_xstrndup(raw + i * size, strnlen(raw + i * size, size));
            *n = count;
        }
        free(raw);
    }
done:
    if (*n == 0 && out) {
        for (size_t i = 0; out[i] && i < TC_OUTPUTS_MAX_COLUMNS; i++)
            free(out[i]);
        free(out);
        out = NULL;
    }
    if (mtype >= 0)
        H5Tclose(mtype);
    if (space >= 0)
        H5Sclose(space);
    if (ftype >= 0)
        H5Tclose(ftype);
    if (a >= 0)
        H5Aclose(a);
    return out;
}

static void free_strings(char **s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(s[i]);
    free(s);
}

static void read_dataset(walk *w, hid_t d, const char *path)
{
    size_t nids = 0, nlabels = 0, ntmp = 0;
    char **ids = read_strings(d, "sedmlDataSetIds", &nids);
    char **labels = read_strings(d, "sedmlDataSetLabels", &nlabels);
    char **sedml_id = read_strings(d, "sedmlId", &ntmp);
    hid_t space = H5Dget_space(d), type = H5Dget_type(d);
    double *buf = NULL;
    if (!ids) {
        unreadable(w, path, "has no sedmlDataSetIds attribute: its rows cannot be named");
        goto done;
    }
    if (space < 0 || type < 0 || H5Tget_class(type) != H5T_FLOAT) {
        unreadable(w, path, "is not a floating-point array");
        goto done;
    }
    int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[H5S_MAX_RANK];
    if (rank < 1 || H5Sget_simple_extent_dims(space, dims, NULL) < 0) {
        unreadable(w, path, "has no rows");
        goto done;
    }
    uint64_t total = 1;
    for (int i = 0; i < rank; i++) {
        if (dims[i] != 0 && total > TC_OUTPUTS_MAX_VALUES / dims[i]) {
            total = TC_OUTPUTS_MAX_VALUES + 1;
            break;
        }
        total *= dims[i];
    }
    if (total + w->values > TC_OUTPUTS_MAX_VALUES) {
        unreadable(w, path, "is larger than the limit on declared values");
        goto done;
    }
    w->values += total;
    if (dims[0] != nids) {
        char *detail = tc_xasprintf("has %llu rows but sedmlDataSetIds names %zu data sets",
                                    (unsigned long long)dims[0], nids);
        unreadable(w, path, detail);
        free(detail);
        goto done;
    }
    buf = tc_xcalloc(total ? total : 1, sizeof *buf);
    if (total && H5Dread(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf) < 0) {
        unreadable(w, path, "cannot be read");
        goto done;
    }
    const char *slash = strrchr(path, '/');
    char *sedml = slash ? tc_xstrndup(path, (size_t)(slash - path)) : NULL;
    const char *output = sedml_id && ntmp == 1 ? sedml_id[0] : (slash ? slash + 1 : path);
    size_t per_row = dims[0] ? (size_t)(total / dims[0]) : 0;
    for (size_t i = 0; i < nids; i++) {
        TC_GROW(w->out->items, w->out->cap, w->out->len + 1);
        tc_output_dataset *ds = &w->out->items[w->out->len++];
        memset(ds, 0, sizeof *ds);
        ds->sedml = sedml ? tc_xstrdup(sedml) : NULL;
        ds->output = tc_xstrdup(output);
        ds->id = tc_xstrdup(ids[i]);
        ds->label = labels && nlabels == nids ? tc_xstrdup(labels[i]) : NULL;
        ds->nvalues = per_row;
        ds->values = tc_xcalloc(per_row ? per_row : 1, sizeof *ds->values);
        memcpy(ds->values, buf + i * per_row, per_row * sizeof *buf);
    }
    free(sedml);
done:
    free(buf);
    if (type >= 0)
        H5Tclose(type);
    if (space >= 0)
        H5Sclose(space);
    free_strings(ids, nids);
    free_strings(labels, nlabels);
    free_strings(sedml_id, ntmp);
}

static herr_t visit(hid_t loc, const char *name, const H5L_info_t *info, void *data)
{
    walk *w = data;
    if (info->type != H5L_TYPE_HARD)
        return 0; /* soft and external links are not followed */
    if (++w->datasets > MAX_DATASETS) {
        tc_finding_add(w->fs, "sedml:output-unreadable", TC_AT_FILE(w->file->path),
                       "%s holds more than %d objects; the rest is not read", w->file->path,
                       MAX_DATASETS);
        return 1;
    }
    hid_t obj = H5Oopen(loc, name, H5P_DEFAULT);
    if (obj < 0)
        return 0;
    if (H5Iget_type(obj) == H5I_DATASET)
        read_dataset(w, obj, name);
    H5Oclose(obj);
    return 0;
}

int tc_outputs_read_hdf5(tc_outputs *out, const tc_file *file, tc_findings *fs)
{
    walk w = {out, file, fs, 0, 0, false};
    if (!file->data || file->size == 0) {
        tc_finding_add(fs, "sedml:output-unreadable", TC_AT_FILE(file->path), "%s is empty",
                       file->path);
        return TC_EINVAL;
    }
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    hid_t f = -1;
    int rc = 0;
    if (fapl < 0 || H5Pset_fapl_core(fapl, 1 << 20, 0) < 0 ||
        H5Pset_file_image(fapl, file->data, file->size) < 0) {
        rc = tc_error_set(TC_EINTERNAL, "cannot set up an HDF5 memory image");
        goto done;
    }
    /* the name only labels the in-memory image */
    f = H5Fopen(file->path, H5F_ACC_RDONLY, fapl);
    if (f < 0) {
        tc_finding_add(fs, "sedml:output-unreadable", TC_AT_FILE(file->path),
                       "%s is not a readable HDF5 file", file->path);
        rc = TC_EINVAL;
        goto done;
    }
    if (H5Lvisit(f, H5_INDEX_NAME, H5_ITER_INC, visit, &w) < 0)
        tc_finding_add(fs, "sedml:output-unreadable", TC_AT_FILE(file->path),
                       "%s: the HDF5 group structure cannot be walked", file->path);
done:
    if (f >= 0)
        H5Fclose(f);
    if (fapl >= 0)
        H5Pclose(fapl);
    return rc;
}
