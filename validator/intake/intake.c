/* Package intake: open the package in whichever form it comes, check every
 * entry name and the limits, read the manifest, and settle each file's kind. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define MANIFEST "manifest.xml"
#define MANIFEST_NS "http://identifiers.org/combine.specifications/omex-manifest"
#define MAX_XML_ERRORS 20

/* ---- the set of paths already in the package ------------------------------ */

static uint64_t hash(const char *s)
{
    uint64_t h = UINT64_C(1469598103934665603);
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
    return h;
}

/* Put `owned` into a free slot of a table with room (no duplicate check). */
static void names_place(char **table, size_t cap, char *owned)
{
    size_t i = (size_t)(hash(owned) & (cap - 1));
    while (table[i])
        i = (i + 1) & (cap - 1);
    table[i] = owned;
}

/* Insert `path` (borrowed); false when it is already there. */
static bool names_insert(tc_intake *in, const char *path)
{
    if (2 * (in->names_len + 1) > in->names_cap) {
        size_t cap = in->names_cap ? 2 * in->names_cap : 64;
        char **table = tc_xcalloc(cap, sizeof *table);
        for (size_t i = 0; i < in->names_cap; i++)
            if (in->names[i])
                names_place(table, cap, in->names[i]);
        free(in->names);
        in->names = table;
        in->names_cap = cap;
    }
    size_t i = (size_t)(hash(path) & (in->names_cap - 1));
    while (in->names[i]) {
        if (strcmp(in->names[i], path) == 0)
            return false;
        i = (i + 1) & (in->names_cap - 1);
    }
    in->names[i] = tc_xstrdup(path);
    in->names_len++;
    return true;
}

static void names_release(tc_intake *in)
{
    for (size_t i = 0; i < in->names_cap; i++)
        free(in->names[i]);
    free(in->names);
}

/* ---- entries ---------------------------------------------------------------- */

char *tc_intake_entry_path(tc_intake *in, const char *raw)
{
    char *path = NULL;
    size_t n = strlen(raw);
    bool folder = n > 0 && raw[n - 1] == '/';
    switch (tc_path_normalize(raw, &path)) {
    case TC_PATH_OK:
        break;
    case TC_PATH_EMPTY:
        if (!folder)
            tc_finding_add(in->fs, "omex:invalid-path", TC_AT_FILE(raw),
                           "the entry '%s' names no file; every entry needs a file name", raw);
        return NULL;
    case TC_PATH_ABSOLUTE:
        tc_finding_add(in->fs, "omex:absolute-path", TC_AT_FILE(raw),
                       "the entry '%s' has an absolute path; entries must be relative to the "
                       "package root",
                       raw);
        return NULL;
    case TC_PATH_ESCAPES:
        tc_finding_add(in->fs, "omex:path-traversal", TC_AT_FILE(raw),
                       "the entry '%s' climbs out of the package with '..'; entries must stay "
                       "inside the package root",
                       raw);
        return NULL;
    case TC_PATH_INVALID:
        tc_finding_add(in->fs, "omex:invalid-path", TC_AT_FILE(raw),
                       "the entry '%s' contains a backslash or a control character; use '/' "
                       "between folders and printable names",
                       raw);
        return NULL;
    }
    if (folder) {
        free(path);
        return NULL;
    }
    if (!names_insert(in, path)) {
        tc_finding_add(in->fs, "omex:duplicate-entry", TC_AT_FILE(path),
                       "the entry '%s' is a second copy of %s; only the first was read, keep "
                       "one entry per file",
                       raw, path);
        free(path);
        return NULL;
    }
    return path;
}

tc_file *tc_intake_add(tc_intake *in, char *path, unsigned char *data, size_t size)
{
    tc_package *pkg = in->pkg;
    TC_GROW(pkg->files, in->cap, pkg->nfiles + 1);
    tc_file *f = &pkg->files[pkg->nfiles++];
    memset(f, 0, sizeof *f);
    f->path = path;
    f->data = data;
    f->size = data ? size : 0;
    f->present = true;
    f->rejected = data == NULL;
    return f;
}

bool tc_intake_account(tc_intake *in, const char *path, uint64_t n)
{
    in->total += n;
    if (in->total <= in->limits->max_total_size)
        return true;
    if (!in->stopped)
        tc_finding_add(in->fs, "omex:package-too-large", TC_AT_FILE(path),
                       "the package expands past %llu bytes, the limit for all files together "
                       "(reached while reading %s); it was not examined further",
                       (unsigned long long)in->limits->max_total_size, path);
    in->stopped = true;
    return false;
}

static int compare_files(const void *a, const void *b)
{
    return strcmp(((const tc_file *)a)->path, ((const tc_file *)b)->path);
}

/* Files [0, in->sorted) are in path order (sorted once all entries are read);
 * the few added afterwards for missing files are searched one by one. */
static tc_file *find_file(tc_intake *in, const char *path)
{
    tc_package *pkg = in->pkg;
    size_t lo = 0, hi = in->sorted < pkg->nfiles ? in->sorted : pkg->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(pkg->files[mid].path, path);
        if (c == 0)
            return &pkg->files[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = in->sorted; i < pkg->nfiles; i++)
        if (strcmp(pkg->files[i].path, path) == 0)
            return &pkg->files[i];
    return NULL;
}

/* ---- kinds ------------------------------------------------------------------ */

static bool generic(tc_kind k)
{
    return k == TC_KIND_OTHER || k == TC_KIND_XML || k == TC_KIND_JSON;
}

/* Settle a listed file's kind from what the manifest declares and what the
 * content shows. Returns false when they contradict each other. */
static bool settle_kind(tc_file *f, tc_kind declared)
{
    tc_kind content = f->kind;
    if (declared == TC_KIND_OTHER || declared == content)
        return true;
    bool agree =
        (declared == TC_KIND_XML && tc_kind_is_xml(content)) ||
        (declared == TC_KIND_JSON && tc_kind_is_json(content)) ||
        (declared == TC_KIND_CSV && content == TC_KIND_OTHER) ||
        (declared == TC_KIND_DOSSIER && (content == TC_KIND_JSON || content == TC_KIND_FHIR_JSON));
    /* When both are specific the content wins; when the content is only some
     * XML, some JSON or unknown bytes, the declared kind stands so that the
     * file still gets the checks its declared format calls for. */
    if (agree || generic(content))
        f->kind = declared;
    return agree;
}

static char *describe_content(const tc_file *f)
{
    char *local, *ns;
    if (tc_kind_is_xml(f->kind) && tc_xml_sniff_root(f->data, f->size, &local, &ns)) {
        char *s = ns[0] ? tc_xasprintf("root element is <%s> in namespace %s", local, ns)
                        : tc_xasprintf("root element is <%s> in no namespace", local);
        free(local);
        free(ns);
        return s;
    }
    if (f->kind == TC_KIND_OTHER)
        return tc_xstrdup("content is not in any format this tool recognises");
    return tc_xasprintf("content is %s", tc_kind_name(f->kind));
}

/* ---- the manifest ---------------------------------------------------------- */

typedef struct manifest_errors {
    tc_findings *fs;
    int count;
} manifest_errors;

static void on_manifest_problem(void *ctx, const tc_xml_problem *problem)
{
    manifest_errors *e = ctx;
    if (e->count++ >= MAX_XML_ERRORS)
        return;
    tc_loc at = {.file = MANIFEST, .line = problem->line, .column = problem->column};
    tc_finding_add(e->fs, problem->rule, at, "%s", problem->message);
}

static char *attr(xmlNode *node, const char *name)
{
    xmlChar *v = xmlGetNoNsProp(node, (const xmlChar *)name);
    if (!v)
        return NULL;
    char *s = tc_xstrdup((const char *)v);
    xmlFree(v);
    return s;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

typedef struct manifest_state {
    tc_intake *in;
    bool has_self;
    size_t nentries, nmasters;
    char *first_master;
    size_t ncased;    /* master="True"/"False" seen */
    tc_loc cased_at;  /* the first of them */
    char *cased_text; /* its message */
} manifest_state;

/* xs:boolean is "true", "false", "1" or "0" (whitespace collapsed). Published
 * archives often write "True"/"False": one warning for all of them. */
static bool parse_master(manifest_state *m, tc_loc at, const char *location, char *value)
{
    char *v = trim(value);
    if (strcmp(v, "true") == 0 || strcmp(v, "1") == 0)
        return true;
    if (strcmp(v, "false") == 0 || strcmp(v, "0") == 0)
        return false;
    if (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0) {
        bool yes = strcasecmp(v, "true") == 0;
        if (m->ncased++ == 0) {
            m->cased_at = at;
            m->cased_text = tc_xasprintf("master=\"%s\" on %s is not an XML Schema boolean; "
                                         "write master=\"%s\"",
                                         v, location, yes ? "true" : "false");
        }
        return yes;
    }
    tc_finding_add(m->in->fs, "omex:master-invalid", at,
                   "master=\"%s\" on %s is not a boolean; write master=\"true\" or leave it out", v,
                   location);
    return false;
}

static bool has_scheme(const char *s)
{
    size_t n = strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-");
    return n > 1 && s[n] == ':';
}

static void check_format(manifest_state *m, tc_file *f, tc_loc at, const char *format)
{
    tc_kind declared = TC_KIND_OTHER;
    tc_findings *fs = m->in->fs;
    switch (tc_format_lookup(format, &declared)) {
    case TC_FORMAT_KNOWN:
        break;
    case TC_FORMAT_UNKNOWN_ID:
        tc_finding_add(fs, "omex:unknown-format", at,
                       "the format '%s' of %s is not a COMBINE specification this tool knows; "
                       "check the identifier (e.g. http://identifiers.org/combine.specifications/"
                       "sbml)",
                       format, f->path);
        break;
    case TC_FORMAT_BARE_MEDIA:
        tc_finding_add(fs, "omex:format-not-uri", at,
                       "the format '%s' of %s is a bare media type; write "
                       "http://purl.org/NET/mediatypes/%s",
                       format, f->path, format);
        break;
    case TC_FORMAT_INVALID:
        tc_finding_add(fs, "omex:invalid-format", at,
                       "the format '%s' of %s is neither an identifiers.org COMBINE URI nor a "
                       "media type; use e.g. http://identifiers.org/combine.specifications/sbml "
                       "or http://purl.org/NET/mediatypes/application/pdf",
                       format, f->path);
        break;
    }
    if (!f->present || f->rejected || strcmp(f->path, MANIFEST) == 0)
        return;
    tc_kind content = f->kind;
    if (!settle_kind(f, declared)) {
        tc_file probe = *f;
        probe.kind = content;
        char *seen = describe_content(&probe);
        tc_finding_add(fs, "omex:format-mismatch", at,
                       "the manifest declares %s as %s (format %s) but its %s; correct the "
                       "format attribute or the file",
                       f->path, tc_kind_name(declared), format, seen);
        free(seen);
    }
}

static void check_content(manifest_state *m, xmlNode *node)
{
    tc_intake *in = m->in;
    tc_findings *fs = in->fs;
    tc_loc at = {.file = MANIFEST, .line = (long)xmlGetLineNo(node)};
    char *location = attr(node, "location");
    char *format = attr(node, "format");
    char *master = attr(node, "master");
    char *path = NULL;
    m->nentries++;
    if (!location || !format) {
        tc_finding_add(fs, "omex:content-missing-attribute", at,
                       "a <content> element has no %s attribute; both location and format are "
                       "required",
                       !location ? "location" : "format");
        if (!location)
            goto cleanup;
    }
    bool is_master = master && parse_master(m, at, location, master);
    if (has_scheme(location)) {
        tc_finding_add(fs, "omex:external-location", at,
                       "the location '%s' is not a file of the archive; version 1 manifests list "
                       "only files inside the archive",
                       location);
        goto cleanup;
    }
    switch (tc_path_normalize(location, &path)) {
    case TC_PATH_OK:
        break;
    case TC_PATH_EMPTY:
        m->has_self = true; /* "." is the archive itself */
        goto cleanup;
    case TC_PATH_ABSOLUTE:
        tc_finding_add(fs, "omex:absolute-path", at,
                       "the location '%s' is absolute; write it relative to the archive root",
                       location);
        goto cleanup;
    case TC_PATH_ESCAPES:
        tc_finding_add(fs, "omex:path-traversal", at,
                       "the location '%s' climbs out of the archive with '..'; locations must "
                       "stay inside it",
                       location);
        goto cleanup;
    case TC_PATH_INVALID:
        tc_finding_add(fs, "omex:invalid-path", at,
                       "the location '%s' contains a backslash or a control character; use '/' "
                       "between folders",
                       location);
        goto cleanup;
    }
    tc_file *f = find_file(in, path);
    if (f && f->listed) {
        tc_finding_add(fs, "omex:duplicate-location", at,
                       "%s is listed again (first at line %ld); list each file once", path,
                       f->line);
        goto cleanup;
    }
    if (!f) {
        tc_finding_add(fs, "omex:missing-file", at,
                       "the manifest lists %s but the package has no such file; add the file or "
                       "remove its <content> element",
                       path);
        f = tc_intake_add(in, path, NULL, 0);
        f->present = false;
        f->rejected = false;
        path = NULL;
    }
    f->listed = true;
    f->line = at.line;
    f->master = is_master;
    if (format) {
        f->format = tc_xstrdup(format);
        check_format(m, f, at, format);
    }
    if (is_master && m->nmasters++ == 0) {
        m->first_master = tc_xstrdup(f->path);
    } else if (is_master) {
        tc_finding_add(fs, "omex:multiple-masters", at,
                       "%s is marked master as well as %s; mark only the file to process first "
                       "(the specification advises one master)",
                       f->path, m->first_master);
    }
cleanup:
    free(path);
    free(location);
    free(format);
    free(master);
}

/* Returns false when the manifest could not be read at all. */
static bool check_manifest(tc_intake *in, tc_file *mf)
{
    tc_findings *fs = in->fs;
    manifest_errors errors = {fs, 0};
    manifest_state m = {.in = in};
    mf->kind = TC_KIND_MANIFEST;
    mf->listed = true; /* listing the manifest itself is optional */
    if (mf->rejected)
        return false;
    xmlDocPtr doc = tc_xml_read_ex(mf->data, mf->size, MANIFEST, on_manifest_problem, &errors);
    if (!doc)
        return false;
    mf->listed = false; /* until the manifest's own entry, if any, is seen */
    bool ok = true;
    xmlNode *root = xmlDocGetRootElement(doc);
    tc_loc at = {.file = MANIFEST, .line = root ? (long)xmlGetLineNo(root) : 0};
    if (!root || strcmp((const char *)root->name, "omexManifest") != 0) {
        tc_finding_add(fs, "omex:manifest-root", at,
                       "the root element of %s is <%s>; an OMEX manifest has <omexManifest> in "
                       "namespace %s",
                       MANIFEST, root ? (const char *)root->name : "", MANIFEST_NS);
        ok = false;
        goto cleanup;
    }
    const char *ns = root->ns && root->ns->href ? (const char *)root->ns->href : NULL;
    if (!ns || strcmp(ns, MANIFEST_NS) != 0)
        tc_finding_add(fs, "omex:manifest-namespace", at,
                       "<omexManifest> is in %s%s%s; write xmlns=\"%s\"", ns ? "namespace " : "",
                       ns ? ns : "no namespace", "", MANIFEST_NS);
    for (xmlNode *c = root->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        if (strcmp((const char *)c->name, "content") != 0) {
            tc_loc cat = {.file = MANIFEST, .line = (long)xmlGetLineNo(c)};
            tc_finding_add(fs, "omex:manifest-unknown-element", cat,
                           "<%s> is not part of an OMEX manifest, which holds only <content> "
                           "elements; it was ignored",
                           (const char *)c->name);
            continue;
        }
        check_content(&m, c);
    }
    if (m.nentries == 0)
        tc_finding_add(fs, "omex:manifest-empty", at,
                       "%s lists no files; it needs a <content> element for each file", MANIFEST);
    else if (!m.has_self)
        tc_finding_add(fs, "omex:no-archive-entry", at,
                       "%s has no entry for the archive itself; add <content location=\".\" "
                       "format=\"http://identifiers.org/combine.specifications/omex\"/>",
                       MANIFEST);
    if (m.nentries > 0 && m.nmasters == 0)
        tc_finding_add(fs, "omex:no-master", at,
                       "no file is marked master=\"true\"; mark the file to process first "
                       "(usually the SED-ML experiment)");
    if (m.ncased > 0)
        tc_finding_add(fs, "omex:master-not-boolean", m.cased_at, "%s%s", m.cased_text,
                       m.ncased > 1 ? " (the same holds for the other entries written so)" : "");
cleanup:
    /* Listing the manifest itself is optional. Files the manifest lists but the
     * package lacks were added above, which may have moved pkg->files: mf is stale. */
    mf = find_file(in, MANIFEST);
    if (mf)
        mf->listed = true;
    free(m.first_master);
    free(m.cased_text);
    xmlFreeDoc(doc);
    return ok;
}

/* ---- opening ------------------------------------------------------------- */

static bool has_suffix_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/* An archive by its extension (COMBINE archive 1.0, section 3.2) or its ZIP
 * signature; anything else is a single file. */
static bool looks_like_archive(const char *target)
{
    static const char *const ext[] = {".omex", ".sedx", ".sbex", ".cmex",
                                      ".neux", ".phex", ".sbox", ".zip"};
    for (size_t i = 0; i < sizeof ext / sizeof ext[0]; i++)
        if (has_suffix_ci(target, ext[i]))
            return true;
    unsigned char sig[4] = {0};
    FILE *fp = fopen(target, "rb");
    size_t n = fp ? fread(sig, 1, sizeof sig, fp) : 0;
    if (fp)
        fclose(fp);
    return n == 4 && sig[0] == 'P' && sig[1] == 'K' &&
           ((sig[2] == 3 && sig[3] == 4) || (sig[2] == 5 && sig[3] == 6));
}

static int open_single_file(tc_intake *in, const char *target)
{
    unsigned char *data = NULL;
    size_t len = 0;
    uint64_t max = in->limits->max_file_size;
    int rc = tc_read_file(target, max > SIZE_MAX - 1 ? SIZE_MAX - 1 : (size_t)max, &data, &len);
    const char *base = strrchr(target, '/');
    char *name = tc_xstrdup(base ? base + 1 : target);
    if (rc == TC_ELIMIT) {
        tc_finding_add(in->fs, "omex:file-too-large", TC_AT_FILE(name),
                       "%s is larger than %llu bytes, the limit for one file; it was not read",
                       name, (unsigned long long)max);
        tc_intake_add(in, name, NULL, 0);
        return 0;
    }
    if (rc != 0) {
        free(name);
        return rc;
    }
    tc_file *f = tc_intake_add(in, name, data, len);
    f->kind = tc_kind_sniff(f->data, f->size, f->path);
    return 0;
}

int tc_package_open(tc_package **out, const char *target, const tc_limits *limits, tc_findings *fs)
{
    struct stat st;
    int rc;
    *out = NULL;
    if (stat(target, &st) != 0)
        return tc_error_set(TC_ENOTFOUND, "cannot open %s: %s", target, strerror(errno));
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode))
        return tc_error_set(TC_EINVAL, "%s is neither a file nor a folder", target);
    tc_package *pkg = tc_xcalloc(1, sizeof *pkg);
    pkg->target = tc_xstrdup(target);
    tc_intake in = {.pkg = pkg, .limits = limits, .fs = fs};
    if (S_ISDIR(st.st_mode)) {
        pkg->form = TC_PACKAGE_DIRECTORY;
        rc = tc_intake_read_directory(&in, target);
    } else if (looks_like_archive(target)) {
        pkg->form = TC_PACKAGE_ARCHIVE;
        rc = tc_intake_read_archive(&in, target);
    } else {
        pkg->form = TC_PACKAGE_FILE;
        rc = open_single_file(&in, target);
    }
    if (rc != 0)
        goto fail;
    if (pkg->form == TC_PACKAGE_FILE || in.stopped)
        goto done;

    for (size_t i = 0; i < pkg->nfiles; i++)
        pkg->files[i].kind =
            tc_kind_sniff(pkg->files[i].data, pkg->files[i].size, pkg->files[i].path);
    if (pkg->nfiles > 1)
        qsort(pkg->files, pkg->nfiles, sizeof *pkg->files, compare_files);
    in.sorted = pkg->nfiles;
    tc_file *mf = find_file(&in, MANIFEST);
    pkg->has_manifest = mf && mf->present;
    if (!pkg->has_manifest) {
        tc_finding_add(fs, "omex:missing-manifest", TC_AT_PACKAGE,
                       "the %s has no %s at its root; a COMBINE archive must list its files in "
                       "one",
                       pkg->form == TC_PACKAGE_ARCHIVE ? "archive" : "folder", MANIFEST);
        goto done;
    }
    /* Without a readable manifest, which files are listed is unknown. */
    if (!check_manifest(&in, mf))
        goto done;
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (f->present && !f->listed && !f->rejected)
            tc_finding_add(fs, "omex:unlisted-file", TC_AT_FILE(f->path),
                           "%s is in the package but not in %s; add a <content> element for it",
                           f->path, MANIFEST);
    }
done:
    names_release(&in);
    if (pkg->nfiles > 1)
        qsort(pkg->files, pkg->nfiles, sizeof *pkg->files, compare_files);
    *out = pkg;
    return 0;
fail:
    names_release(&in);
    tc_package_free(pkg);
    return rc;
}

const tc_file *tc_package_find(const tc_package *pkg, const char *path)
{
    size_t lo = 0, hi = pkg->nfiles;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(pkg->files[mid].path, path);
        if (c == 0)
            return &pkg->files[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* ---- the private temporary directory -------------------------------------- */

static int make_tmpdir(tc_package *pkg)
{
    const char *base = getenv("TMPDIR");
    if (!base || base[0] != '/')
        base = "/tmp";
    char *tmpl = tc_xasprintf("%s/twincheck-XXXXXX", base);
    if (!mkdtemp(tmpl)) { /* mkdtemp makes it 0700 */
        int rc =
            tc_error_set(TC_EIO, "cannot make a temporary folder in %s: %s", base, strerror(errno));
        free(tmpl);
        return rc;
    }
    pkg->tmpdir = tmpl;
    return 0;
}

static int write_all(int fd, const unsigned char *data, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

int tc_package_materialize(tc_package *pkg, const tc_file *file, const char **disk_path)
{
    int rc = 0, dirfd = -1, fd = -1;
    char *rel = NULL;
    *disk_path = NULL;
    if (file < pkg->files || file >= pkg->files + pkg->nfiles)
        return tc_error_set(TC_EINTERNAL, "materialize: the file is not one of the package's");
    tc_file *f = &pkg->files[file - pkg->files];
    if (f->disk_path) {
        *disk_path = f->disk_path;
        return 0;
    }
    if (!f->present || f->rejected || !f->data)
        return tc_error_set(TC_ENOTFOUND, "%s has no bytes to write out", f->path);
    if (!pkg->tmpdir && (rc = make_tmpdir(pkg)) != 0)
        return rc;
    /* The package path is already normalised; still, every folder is made and
     * opened inside the previous one without following links. */
    dirfd = open(pkg->tmpdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    rel = tc_xstrdup(f->path);
    char *seg = rel;
    for (char *slash; dirfd >= 0 && (slash = strchr(seg, '/')); seg = slash + 1) {
        *slash = '\0';
        if (mkdirat(dirfd, seg, 0700) != 0 && errno != EEXIST)
            break;
        int sub = openat(dirfd, seg, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        close(dirfd);
        dirfd = sub;
    }
    if (dirfd >= 0 && !strchr(seg, '/'))
        fd = openat(dirfd, seg, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || write_all(fd, f->data, f->size) != 0) {
        rc = tc_error_set(TC_EIO, "cannot write %s into %s: %s", f->path, pkg->tmpdir,
                          strerror(errno));
        goto cleanup;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = tc_error_set(TC_EIO, "cannot write %s into %s: %s", f->path, pkg->tmpdir,
                          strerror(errno));
        goto cleanup;
    }
    fd = -1;
    f->disk_path = tc_xasprintf("%s/%s", pkg->tmpdir, f->path);
    *disk_path = f->disk_path;
cleanup:
    if (fd >= 0)
        close(fd);
    if (dirfd >= 0)
        close(dirfd);
    free(rel);
    return rc;
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    (void)ftw;
    if (flag == FTW_DP)
        rmdir(path);
    else
        unlink(path);
    return 0;
}

void tc_package_free(tc_package *pkg)
{
    if (!pkg)
        return;
    if (pkg->tmpdir)
        nftw(pkg->tmpdir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    for (size_t i = 0; i < pkg->nfiles; i++) {
        free(pkg->files[i].path);
        free(pkg->files[i].format);
        free(pkg->files[i].data);
        free(pkg->files[i].disk_path);
    }
    free(pkg->files);
    free(pkg->target);
    free(pkg->tmpdir);
    free(pkg);
}
