/* The archive form: a ZIP read with libzip. Entry sizes in the ZIP headers are
 * never trusted: every entry is inflated in chunks and the limits are checked
 * against the bytes that actually came out. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "internal.h"

#define CHUNK (64 * 1024)
#define MAX_LINK_HOPS 8
#define MAX_LINK_TARGET 4096

typedef struct pending_link {
    char *path;   /* normalised path of the link entry */
    char *target; /* what the link points to, as stored */
} pending_link;

static bool entry_is_link(zip_t *za, zip_uint64_t i)
{
    zip_uint8_t opsys;
    zip_uint32_t attr;
    if (zip_file_get_external_attributes(za, i, 0, &opsys, &attr) != 0)
        return false;
    return opsys == ZIP_OPSYS_UNIX && ((attr >> 16) & S_IFMT) == S_IFLNK;
}

/* Turn libzip's reason for a failed read into the finding a user can act on. */
static void report_read_error(tc_intake *in, const char *path, int code, const char *what)
{
    tc_loc at = TC_AT_FILE(path);
    switch (code) {
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
        tc_finding_add(
            in->fs, "omex:encrypted-entry", at,
            "%s is encrypted; store it unencrypted, archives are read without a password", path);
        break;
    case ZIP_ER_COMPNOTSUPP:
        tc_finding_add(
            in->fs, "omex:unsupported-compression", at,
            "%s uses a compression method this reader does not support; store or deflate "
            "it",
            path);
        break;
    case ZIP_ER_INCONS:
        tc_finding_add(in->fs, "omex:size-mismatch", at,
                       "%s does not match the sizes its ZIP headers declare (%s); the headers are "
                       "wrong, rebuild the archive",
                       path, what);
        break;
    default:
        tc_finding_add(in->fs, "omex:corrupt-entry", at,
                       "%s cannot be read from the archive (%s); the entry's data is damaged, "
                       "rebuild the archive",
                       path, what);
        break;
    }
}

typedef enum { READ_OK, READ_REJECTED, READ_STOP } read_result;

static read_result read_entry(tc_intake *in, zip_t *za, zip_uint64_t i, const zip_stat_t *st,
                              const char *path, uint64_t max, unsigned char **out, size_t *outlen)
{
    const tc_limits *lim = in->limits;
    unsigned char *buf = NULL;
    size_t len = 0, cap = 0;
    read_result res = READ_OK;
    *out = NULL;
    *outlen = 0;
    zip_file_t *zf = zip_fopen_index(za, i, 0);
    if (!zf) {
        zip_error_t *ze = zip_get_error(za);
        report_read_error(in, path, zip_error_code_zip(ze), zip_error_strerror(ze));
        zip_error_clear(za);
        return READ_REJECTED;
    }
    /* The compressed size bounds what libzip reads from the file, so the ratio
     * of real output to it is the expansion this entry really achieved. */
    double csize =
        (st->valid & ZIP_STAT_COMP_SIZE) && st->comp_size > 0 ? (double)st->comp_size : 1.0;
    for (;;) {
        TC_GROW(buf, cap, len + CHUNK + 1);
        zip_int64_t n = zip_fread(zf, buf + len, CHUNK);
        if (n < 0) {
            zip_error_t *ze = zip_file_get_error(zf);
            report_read_error(in, path, zip_error_code_zip(ze), zip_error_strerror(ze));
            res = READ_REJECTED;
            break;
        }
        if (n == 0)
            break;
        len += (size_t)n;
        if (!tc_intake_account(in, path, (uint64_t)n)) {
            res = READ_STOP;
            break;
        }
        if (len > max) {
            tc_finding_add(in->fs, "omex:file-too-large", TC_AT_FILE(path),
                           "%s inflates to more than %llu bytes, the limit for one file; it was "
                           "not read further",
                           path, (unsigned long long)max);
            res = READ_REJECTED;
            break;
        }
        if (len > lim->ratio_min_size && (double)len > lim->max_ratio * csize) {
            tc_finding_add(in->fs, "omex:compression-ratio", TC_AT_FILE(path),
                           "%s inflates more than %.0f times its compressed size of %.0f bytes "
                           "(reading stopped after %zu bytes); this looks like a ZIP bomb",
                           path, lim->max_ratio, csize, len);
            res = READ_REJECTED;
            break;
        }
    }
    zip_fclose(zf);
    if (res != READ_OK) {
        free(buf);
        return res;
    }
    if ((st->valid & ZIP_STAT_SIZE) && st->size != len)
        tc_finding_add(in->fs, "omex:size-mismatch", TC_AT_FILE(path),
                       "%s inflates to %zu bytes but its ZIP header declares %llu; the header is "
                       "wrong, rebuild the archive",
                       path, len, (unsigned long long)st->size);
    buf = buf ? buf : tc_xmalloc(1);
    buf[len] = '\0';
    *out = buf;
    *outlen = len;
    return READ_OK;
}

static tc_file *find_present(tc_package *pkg, const char *path)
{
    for (size_t i = 0; i < pkg->nfiles; i++)
        if (strcmp(pkg->files[i].path, path) == 0)
            return &pkg->files[i];
    return NULL;
}

/* A link entry that stays inside the package is followed: its path gets a copy
 * of its target's bytes (with a warning, since unzip recreates the link and
 * other readers see a short text file). Anything else is not followed. */
static void resolve_links(tc_intake *in, pending_link *links, size_t nlinks)
{
    for (size_t l = 0; l < nlinks; l++) {
        const pending_link *link = &links[l];
        char *at = tc_xstrdup(link->path);
        const char *target = link->target;
        char *resolved = NULL;
        const char *why = NULL;
        for (int hop = 0;; hop++) {
            resolved = tc_package_resolve(in->pkg, at, target);
            if (!resolved) {
                why = "leaves the package";
                break;
            }
            size_t k = 0;
            while (k < nlinks && strcmp(links[k].path, resolved) != 0)
                k++;
            if (k == nlinks)
                break;
            if (hop == MAX_LINK_HOPS) {
                why = "is part of a loop of links";
                free(resolved);
                resolved = NULL;
                break;
            }
            free(at);
            at = resolved;
            target = links[k].target;
        }
        free(at);
        tc_file *f = resolved ? find_present(in->pkg, resolved) : NULL;
        if (resolved && (!f || f->rejected))
            why = "points to nothing the package holds";
        if (why) {
            tc_finding_add(in->fs, "omex:symlink-escape", TC_AT_FILE(link->path),
                           "%s is a symbolic link to '%s', which %s; links are not followed out "
                           "of the package, store the file itself",
                           link->path, link->target, why);
            tc_intake_add(in, tc_xstrdup(link->path), NULL, 0);
        } else if (tc_intake_account(in, link->path, f->size)) {
            tc_finding_add(in->fs, "omex:symlink", TC_AT_FILE(link->path),
                           "%s is a symbolic link to %s; it was read as that file, but unzip "
                           "recreates the link: store the file itself",
                           link->path, resolved);
            unsigned char *copy = tc_xmalloc(f->size + 1);
            memcpy(copy, f->data, f->size + 1);
            size_t size = f->size; /* f may move when the array grows */
            tc_intake_add(in, tc_xstrdup(link->path), copy, size);
        }
        free(resolved);
    }
}

int tc_intake_read_archive(tc_intake *in, const char *target)
{
    int zerr = 0;
    zip_t *za = zip_open(target, ZIP_RDONLY, &zerr);
    pending_link *links = NULL;
    size_t nlinks = 0, caplinks = 0;
    if (!za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        int rc = tc_error_set(TC_EINVAL, "cannot read %s as a ZIP archive: %s", target,
                              zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return rc;
    }
    zip_int64_t n = zip_get_num_entries(za, 0);
    if (n < 0 || (uint64_t)n > in->limits->max_entries) {
        tc_finding_add(in->fs, "omex:too-many-entries", TC_AT_PACKAGE,
                       "the archive has %lld entries, more than the limit of %zu; it was not "
                       "examined further",
                       (long long)n, in->limits->max_entries);
        in->stopped = true;
    }
    for (zip_int64_t i = 0; i < n && !in->stopped; i++) {
        zip_stat_t st;
        zip_stat_init(&st);
        if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) != 0 || !(st.valid & ZIP_STAT_NAME)) {
            tc_finding_add(in->fs, "omex:corrupt-entry", TC_AT_PACKAGE,
                           "archive entry %lld has no readable header; rebuild the archive",
                           (long long)i + 1);
            zip_error_clear(za);
            continue;
        }
        char *path = tc_intake_entry_path(in, st.name);
        if (!path)
            continue;
        if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
            report_read_error(in, path, ZIP_ER_ENCRNOTSUPP, NULL);
            tc_intake_add(in, path, NULL, 0);
            continue;
        }
        if ((st.valid & ZIP_STAT_COMP_METHOD) &&
            !zip_compression_method_supported((zip_int32_t)st.comp_method, 0)) {
            report_read_error(in, path, ZIP_ER_COMPNOTSUPP, NULL);
            tc_intake_add(in, path, NULL, 0);
            continue;
        }
        bool link = entry_is_link(za, (zip_uint64_t)i);
        unsigned char *data = NULL;
        size_t len = 0;
        uint64_t max = link ? MAX_LINK_TARGET : in->limits->max_file_size;
        read_result r = read_entry(in, za, (zip_uint64_t)i, &st, path, max, &data, &len);
        if (r != READ_OK) {
            tc_intake_add(in, path, NULL, 0);
            continue;
        }
        if (link) {
            TC_GROW(links, caplinks, nlinks + 1);
            links[nlinks++] = (pending_link){path, (char *)data};
            continue;
        }
        tc_intake_add(in, path, data, len);
    }
    if (!in->stopped)
        resolve_links(in, links, nlinks);
    for (size_t l = 0; l < nlinks; l++) {
        free(links[l].path);
        free(links[l].target);
    }
    free(links);
    zip_discard(za);
    return 0;
}
