/*
 * Fuzz targets: one per parser entry point. Each file defines its entry with
 * TC_FUZZ_TARGET(name). Built for libFuzzer (make fuzz, -DTC_FUZZ_LIBFUZZER) the
 * entry is LLVMFuzzerTestOneInput; built into the test runner it is
 * tc_fuzz_NAME, which tests/unit/test_fuzz_replay.c calls on every file of
 * tests/fuzz/corpus/NAME/ so that every input once found stays fixed.
 *
 * A target returns 0 whatever the input: the parsers must turn bad bytes into
 * findings or errors, and the sanitizers report anything else.
 */
#ifndef TC_FUZZ_H
#define TC_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/core.h"
#include "intake/intake.h"

#ifdef TC_FUZZ_LIBFUZZER
#define TC_FUZZ_TARGET(name)                                                                       \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);                                  \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#else
#define TC_FUZZ_TARGET(name)                                                                       \
    int tc_fuzz_##name(const uint8_t *data, size_t size);                                          \
    int tc_fuzz_##name(const uint8_t *data, size_t size)
#endif

/* A NUL-terminated copy of the input (the parsers are given what intake gives). */
static inline unsigned char *tc_fuzz_copy(const uint8_t *data, size_t size)
{
    unsigned char *p = tc_xmalloc(size + 1);
    if (size)
        memcpy(p, data, size);
    p[size] = '\0';
    return p;
}

/* An in-memory package holding one file at `path`, as intake would have read it
 * (what the stages after intake see). Free with tc_fuzz_package_free. */
static inline tc_package *tc_fuzz_package(const char *path, tc_kind kind, const uint8_t *data,
                                          size_t size)
{
    tc_package *pkg = tc_xcalloc(1, sizeof *pkg);
    pkg->target = tc_xstrdup("fuzz.omex");
    pkg->form = TC_PACKAGE_ARCHIVE;
    pkg->files = tc_xcalloc(1, sizeof *pkg->files);
    pkg->nfiles = 1;
    pkg->has_manifest = false;
    tc_file *f = &pkg->files[0];
    f->path = tc_xstrdup(path);
    f->listed = true;
    f->present = true;
    f->master = true;
    f->kind = kind;
    f->data = tc_fuzz_copy(data, size);
    f->size = size;
    return pkg;
}

static inline void tc_fuzz_package_free(tc_package *pkg)
{
    tc_package_free(pkg);
}

#endif
