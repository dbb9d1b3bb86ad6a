/*
 * intake: open a twin package — a COMBINE/OMEX archive, a directory with the
 * same layout, or a single file — read its manifest, enforce the safety limits,
 * and tell what kind of file each entry is. Nothing is extracted to disk unless a
 * later stage asks for it (tc_package_materialize), and then only into the
 * package's private temporary directory.
 *
 * Problems with the package are findings (omex:...); only an unreadable target
 * is an error.
 */
#ifndef TC_INTAKE_H
#define TC_INTAKE_H

#include "core/core.h"

typedef enum tc_kind {
    TC_KIND_OTHER = 0,
    TC_KIND_MANIFEST, /* manifest.xml */
    TC_KIND_METADATA, /* OMEX metadata (RDF/XML) */
    TC_KIND_SBML,
    TC_KIND_CELLML,
    TC_KIND_SEDML,
    TC_KIND_FHIR_JSON,
    TC_KIND_FHIR_XML,
    TC_KIND_CSV,
    TC_KIND_HDF5,
    TC_KIND_DOSSIER, /* the credibility dossier (JSON) */
    TC_KIND_XML,     /* some other XML */
    TC_KIND_JSON,    /* some other JSON */
    TC_KIND_COUNT
} tc_kind;

/* "sbml", "sedml", "fhir-json", ... */
const char *tc_kind_name(tc_kind kind);
/* The kind with this name (as tc_kind_name gives it); TC_KIND_COUNT when unknown. */
tc_kind tc_kind_from_name(const char *name);
/* Files that are XML or JSON documents and so get a well-formedness check. */
bool tc_kind_is_xml(tc_kind kind);
bool tc_kind_is_json(tc_kind kind);

typedef struct tc_file {
    char *path;          /* inside the package: normalised, no leading "./" */
    char *format;        /* the manifest's format identifier, or NULL */
    bool master;         /* manifest master="true" */
    bool listed;         /* named in the manifest */
    bool present;        /* the bytes exist (a listed file may be missing) */
    tc_kind kind;        /* from the format identifier and the content */
    unsigned char *data; /* the bytes actually read or inflated, NUL-terminated */
    size_t size;
    bool rejected;   /* present but withheld for safety (limit, link, encryption, ...):
                        data is NULL and no later stage looks at it */
    long line;       /* line of its <content> element in manifest.xml, 0 if unlisted */
    char *disk_path; /* where tc_package_materialize wrote it, or NULL */
} tc_file;

typedef enum tc_package_form {
    TC_PACKAGE_ARCHIVE,   /* .omex / ZIP */
    TC_PACKAGE_DIRECTORY, /* a folder laid out like an archive */
    TC_PACKAGE_FILE       /* one model or data file on its own */
} tc_package_form;

typedef struct tc_limits {
    size_t max_entries;        /* files in one package */
    uint64_t max_file_size;    /* bytes of one file, as inflated */
    uint64_t max_total_size;   /* bytes of all files, as inflated */
    double max_ratio;          /* inflated / compressed, per archive entry */
    uint64_t ratio_min_size;   /* the ratio is checked once an entry has inflated past this
                                  many bytes (small, repetitive files compress very well) */
} tc_limits;

#define TC_LIMITS_DEFAULT                                                                          \
    ((tc_limits){.max_entries = 10000,                                                             \
                 .max_file_size = UINT64_C(256) << 20,                                             \
                 .max_total_size = UINT64_C(1) << 30,                                              \
                 .max_ratio = 200.0,                                                               \
                 .ratio_min_size = UINT64_C(1) << 20})

typedef struct tc_package {
    char *target; /* as given on the command line */
    tc_package_form form;
    tc_file *files; /* sorted by path */
    size_t nfiles;
    bool has_manifest;
    char *tmpdir; /* private (0700) temporary directory, made on demand */
} tc_package;

/* Open `target`. Returns 0 with *out set (findings added to `fs`), or a negative
 * code when the target cannot be read at all (*out NULL). */
int tc_package_open(tc_package **out, const char *target, const tc_limits *limits,
                    tc_findings *fs);
/* The file at `path` (package path), or NULL. */
const tc_file *tc_package_find(const tc_package *pkg, const char *path);
/* Resolve `ref` as written in file `from` (relative to its folder) to a package
 * path; NULL when it is absolute or leaves the package. The caller frees it. */
char *tc_package_resolve(const tc_package *pkg, const char *from, const char *ref);
/* Write a file's bytes into the package's private temporary directory and give
 * its path there (owned by the package) for libraries that need a real file. */
int tc_package_materialize(tc_package *pkg, const tc_file *file, const char **disk_path);
/* Removes the temporary directory and everything in it. */
void tc_package_free(tc_package *pkg);

/* ---- building blocks, exposed for the other stages and for tests ---- */

typedef enum tc_path_status {
    TC_PATH_OK = 0,
    TC_PATH_EMPTY,    /* nothing left: "", ".", "a/.." — the package itself */
    TC_PATH_ABSOLUTE, /* "/x", "\\x", "C:x", "C:/x" */
    TC_PATH_ESCAPES,  /* ".." climbs above the package root */
    TC_PATH_INVALID   /* a backslash or a control character */
} tc_path_status;

/* Normalise a path inside the package: "./" and "." segments and repeated
 * slashes removed, "x/.." folded, a trailing "/" dropped. On TC_PATH_OK *out is
 * the result (caller frees); otherwise *out is NULL. */
tc_path_status tc_path_normalize(const char *path, char **out);

/* The root element of an XML document, found by a small scan of its first start
 * tag (after a BOM, the XML declaration, processing instructions, comments and a
 * DOCTYPE). Returns true and sets *local and *ns (caller frees; *ns is "" when
 * the element is in no namespace) when a start tag was found. */
bool tc_xml_sniff_root(const unsigned char *data, size_t len, char **local, char **ns);

/* The kind of a file from its bytes alone (and its name, for CSV); never
 * TC_KIND_MANIFEST or TC_KIND_DOSSIER, which only the package layout and the
 * manifest can tell. */
tc_kind tc_kind_sniff(const unsigned char *data, size_t len, const char *path);

typedef enum tc_format_class {
    TC_FORMAT_KNOWN = 0,  /* in rules/formats.tsv */
    TC_FORMAT_UNKNOWN_ID, /* an identifiers.org COMBINE URI we do not know */
    TC_FORMAT_BARE_MEDIA, /* a media type not in purl.org URI form ("text/csv") */
    TC_FORMAT_INVALID     /* neither a URI nor a media type */
} tc_format_class;

/* What rules/formats.tsv says a manifest format identifier means. *kind is
 * TC_KIND_OTHER when the identifier tells nothing about the content. */
tc_format_class tc_format_lookup(const char *format, tc_kind *kind);

#endif
