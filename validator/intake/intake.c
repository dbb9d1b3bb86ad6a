/* Package intake (first cut: single files and directories, no archives yet). */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "intake.h"

static const char *const kind_names[TC_KIND_COUNT] = {
    "other", "omex-manifest", "omex-metadata", "sbml", "cellml", "sedml", "fhir-json",
    "fhir-xml", "csv", "hdf5", "dossier", "xml", "json",
};

const char *tc_kind_name(tc_kind kind)
{
    return kind >= 0 && kind < TC_KIND_COUNT ? kind_names[kind] : "other";
}

bool tc_kind_is_xml(tc_kind k)
{
    return k == TC_KIND_MANIFEST || k == TC_KIND_METADATA || k == TC_KIND_SBML ||
           k == TC_KIND_CELLML || k == TC_KIND_SEDML || k == TC_KIND_FHIR_XML || k == TC_KIND_XML;
}

bool tc_kind_is_json(tc_kind k)
{
    return k == TC_KIND_FHIR_JSON || k == TC_KIND_DOSSIER || k == TC_KIND_JSON;
}

static tc_kind sniff(const tc_file *f)
{
    const char *s = (const char *)f->data;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    if (*s == '<') {
        if (strstr(s, "http://www.sbml.org/sbml/"))
            return TC_KIND_SBML;
        if (strstr(s, "http://sed-ml.org/"))
            return TC_KIND_SEDML;
        if (strstr(s, "http://www.cellml.org/cellml/"))
            return TC_KIND_CELLML;
        if (strstr(s, "http://hl7.org/fhir"))
            return TC_KIND_FHIR_XML;
        return TC_KIND_XML;
    }
    if (*s == '{' || *s == '[')
        return strstr(s, "\"resourceType\"") ? TC_KIND_FHIR_JSON : TC_KIND_JSON;
    size_t n = strlen(f->path);
    if (n > 4 && strcmp(f->path + n - 4, ".csv") == 0)
        return TC_KIND_CSV;
    return TC_KIND_OTHER;
}

static void add_file(tc_package *pkg, size_t *cap, const char *path, unsigned char *data,
                     size_t size)
{
    TC_GROW(pkg->files, *cap, pkg->nfiles + 1);
    tc_file *f = &pkg->files[pkg->nfiles++];
    memset(f, 0, sizeof *f);
    f->path = tc_xstrdup(path);
    f->data = data;
    f->size = size;
    f->present = true;
    f->kind = sniff(f);
}

static int walk(tc_package *pkg, size_t *cap, const char *root, const char *rel,
                const tc_limits *limits)
{
    char *dir = rel[0] ? tc_xasprintf("%s/%s", root, rel) : tc_xstrdup(root);
    DIR *d = opendir(dir);
    int rc = 0;
    if (!d) {
        rc = tc_error_set(TC_EIO, "cannot read directory %s: %s", dir, strerror(errno));
        free(dir);
        return rc;
    }
    struct dirent *e;
    while (rc == 0 && (e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char *sub = rel[0] ? tc_xasprintf("%s/%s", rel, e->d_name) : tc_xstrdup(e->d_name);
        char *full = tc_xasprintf("%s/%s", root, sub);
        struct stat st;
        if (lstat(full, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = walk(pkg, cap, root, sub, limits);
        } else if (S_ISREG(st.st_mode)) {
            unsigned char *data;
            size_t len;
            rc = tc_read_file(full, limits->max_file_size, &data, &len);
            if (rc == 0)
                add_file(pkg, cap, sub, data, len);
        }
        free(sub);
        free(full);
    }
    closedir(d);
    free(dir);
    return rc;
}

static int compare_files(const void *a, const void *b)
{
    return strcmp(((const tc_file *)a)->path, ((const tc_file *)b)->path);
}

int tc_package_open(tc_package **out, const char *target, const tc_limits *limits,
                    tc_findings *fs)
{
    struct stat st;
    size_t cap = 0;
    int rc;
    *out = NULL;
    if (stat(target, &st) != 0)
        return tc_error_set(TC_ENOTFOUND, "cannot open %s: %s", target, strerror(errno));
    tc_package *pkg = tc_xcalloc(1, sizeof *pkg);
    pkg->target = tc_xstrdup(target);
    if (S_ISDIR(st.st_mode)) {
        pkg->form = TC_PACKAGE_DIRECTORY;
        rc = walk(pkg, &cap, target, "", limits);
    } else {
        unsigned char *data;
        size_t len;
        pkg->form = TC_PACKAGE_FILE;
        rc = tc_read_file(target, limits->max_file_size, &data, &len);
        if (rc == 0) {
            const char *base = strrchr(target, '/');
            add_file(pkg, &cap, base ? base + 1 : target, data, len);
        }
    }
    if (rc != 0) {
        tc_package_free(pkg);
        return rc;
    }
    qsort(pkg->files, pkg->nfiles, sizeof *pkg->files, compare_files);
    *out = pkg;
    return 0;
}

const tc_file *tc_package_find(const tc_package *pkg, const char *path)
{
    for (size_t i = 0; i < pkg->nfiles; i++)
        if (strcmp(pkg->files[i].path, path) == 0)
            return &pkg->files[i];
    return NULL;
}

char *tc_package_resolve(const tc_package *pkg, const char *from, const char *ref)
{
    (void)pkg;
    if (ref[0] == '/' || strstr(ref, ".."))
        return NULL;
    const char *slash = strrchr(from, '/');
    return slash ? tc_xasprintf("%.*s/%s", (int)(slash - from), from, ref) : tc_xstrdup(ref);
}

int tc_package_materialize(tc_package *pkg, const tc_file *file, const char **disk_path)
{
    (void)pkg;
    (void)file;
    *disk_path = NULL;
    return tc_error_set(TC_EINTERNAL, "materialize is not available yet");
}

void tc_package_free(tc_package *pkg)
{
    if (!pkg)
        return;
    for (size_t i = 0; i < pkg->nfiles; i++) {
        free(pkg->files[i].path);
        free(pkg->files[i].format);
        free(pkg->files[i].data);
    }
    free(pkg->files);
    free(pkg->target);
    free(pkg->tmpdir);
    free(pkg);
}
