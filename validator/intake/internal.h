/*
 * Private to validator/intake: the state shared by the archive reader, the
 * directory reader and the manifest checks while one package is opened.
 */
#ifndef TC_INTAKE_INTERNAL_H
#define TC_INTAKE_INTERNAL_H

#include "intake.h"

typedef struct tc_intake {
    tc_package *pkg;
    size_t cap; /* of pkg->files */
    const tc_limits *limits;
    tc_findings *fs;
    uint64_t total; /* bytes read or inflated so far, all files */
    bool stopped;   /* a package-wide limit was hit: read nothing more */
    char **names;   /* open-addressing set of the normalised paths added */
    size_t names_cap, names_len;
    size_t sorted; /* pkg->files[0, sorted) are in path order */
} tc_intake;

/* Check an entry name as the archive or the folder gives it. Returns the
 * normalised path (caller frees), or NULL with a finding added when the name
 * is unsafe or a duplicate, or when it names the package itself (no finding). */
char *tc_intake_entry_path(tc_intake *in, const char *raw);
/* Add a present file; takes `data` (may be NULL when rejected). */
tc_file *tc_intake_add(tc_intake *in, char *path, unsigned char *data, size_t size);
/* Account `n` more bytes against the total limit; false (with a fatal finding,
 * once) when the package grows past it. */
bool tc_intake_account(tc_intake *in, const char *path, uint64_t n);
/* A finding about the package as a whole (no file). */
#define TC_AT_PACKAGE ((tc_loc){0})

/* Read the entries of a ZIP archive. Negative when it is not a readable ZIP. */
int tc_intake_read_archive(tc_intake *in, const char *target);
/* Read a folder laid out like an archive. Negative when it cannot be read. */
int tc_intake_read_directory(tc_intake *in, const char *target);

#endif
