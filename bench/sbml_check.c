/*
 * Benchmark worker: SBML validation throughput of one validator over a list of
 * files. Built twice from this file: against libtwincheck (the pipeline's entry
 * point, tc_sbml_check_file) and, with -DTC_BENCH_LIBSBML, against libSBML
 * (readSBMLFromString, then SBMLDocument checkConsistency with every category on,
 * units included). Both see the same bytes, read into memory before the clock
 * starts; what is timed is reading the XML, building the model and checking it.
 *
 *   sbml-check-twincheck|sbml-check-libsbml [--reps N] [--budget SECONDS] [--show] LIST
 *
 * LIST holds one path a line. The corpus is validated up to N times (default 5),
 * stopping early once the repetitions so far have taken more than SECONDS
 * (default 60; at least one pass always runs). Prints one line of key=value:
 * files, bytes, reps, median and fastest pass in seconds, errors reported in the
 * first pass (and files with any), peak resident memory (getrusage maxrss) and the
 * resident memory before the first file, in KiB. --show also names, on stderr,
 * each file with errors and how many. --ids FILE writes, in the first pass, each file's
 * findings as numeric rule ids with their severity (see validate).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#ifdef TC_BENCH_LIBSBML
#include <sbml/SBMLTypes.h>
#define VALIDATOR "libsbml"
#else
#include "core/core.h"
#include "intake/intake.h"
#include "sbml/sbml.h"
#define VALIDATOR "twincheck"
#endif

#define MAX_REPS 50
#define MAX_FILE_BYTES (512L << 20)

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long maxrss_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

/* The whole file, NUL-terminated (libSBML reads a C string), or NULL. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *data = NULL;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0)
        goto fail;
    long size = ftell(f);
    if (size < 0 || size > MAX_FILE_BYTES || fseek(f, 0, SEEK_SET) != 0)
        goto fail;
    data = malloc((size_t)size + 1);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size)
        goto fail;
    data[size] = '\0';
    *len = (size_t)size;
    fclose(f);
    return data;
fail:
    free(data);
    fclose(f);
    return NULL;
}

/* Validate one file's bytes; returns the number of errors reported. With ids, also writes
 * one line "PATH<TAB>id:severity ..." naming every finding's numeric rule id (e for error
 * or fatal, w for warning, i for information), for scoring against the suite's file names. */
static long validate(const char *path, const char *data, size_t len, FILE *ids)
{
#ifdef TC_BENCH_LIBSBML
    (void)len;
    static const SBMLErrorCategory_t all[] = {
        LIBSBML_CAT_GENERAL_CONSISTENCY, LIBSBML_CAT_IDENTIFIER_CONSISTENCY,
        LIBSBML_CAT_UNITS_CONSISTENCY,   LIBSBML_CAT_MATHML_CONSISTENCY,
        LIBSBML_CAT_SBO_CONSISTENCY,     LIBSBML_CAT_OVERDETERMINED_MODEL,
        LIBSBML_CAT_MODELING_PRACTICE};
    SBMLDocument_t *doc = readSBMLFromString(data);
    if (!doc)
        return 1;
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        SBMLDocument_setConsistencyChecks(doc, all[i], 1);
    SBMLDocument_checkConsistency(doc);
    if (ids) {
        fprintf(ids, "%s\t", path);
        for (unsigned i = 0; i < SBMLDocument_getNumErrors(doc); i++) {
            const SBMLError_t *e = SBMLDocument_getError(doc, i);
            unsigned sev = XMLError_getSeverity((const XMLError_t *)e);
            fprintf(ids, " %05u:%c", XMLError_getErrorId((const XMLError_t *)e),
                    sev >= LIBSBML_SEV_ERROR ? 'e' : sev == LIBSBML_SEV_WARNING ? 'w' : 'i');
        }
        fputc('\n', ids);
    }
    long errors = (long)SBMLDocument_getNumErrorsWithSeverity(doc, LIBSBML_SEV_ERROR) +
                  (long)SBMLDocument_getNumErrorsWithSeverity(doc, LIBSBML_SEV_FATAL);
    SBMLDocument_free(doc);
    return errors;
#else
    tc_file file = {.path = (char *)path,
                    .present = true,
                    .kind = TC_KIND_SBML,
                    .data = (unsigned char *)data,
                    .size = len};
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_check_file(&file, &fs);
    if (ids) {
        fprintf(ids, "%s\t", path);
        for (size_t i = 0; i < fs.len; i++) {
            const tc_finding *f = &fs.items[i];
            char sev = f->severity >= TC_ERROR ? 'e' : f->severity == TC_WARNING ? 'w' : 'i';
            if (strncmp(f->rule, "sbml:", 5) == 0)
                fprintf(ids, " %s:%c", f->rule + 5, sev);
            if (f->also && strncmp(f->also, "sbml:", 5) == 0)
                fprintf(ids, " %s:%c", f->also + 5, sev);
        }
        fputc('\n', ids);
    }
    long errors = 0;
    for (size_t i = 0; i < fs.len; i++)
        errors += fs.items[i].severity >= TC_ERROR;
    tc_findings_release(&fs);
    return errors;
#endif
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    int reps = 5;
    double budget = 60;
    const char *list = NULL, *ids_path = NULL;
    bool show = false;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = (int)strtol(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--budget") == 0 && i + 1 < argc)
            budget = strtod(argv[++i], NULL);
        else if (strcmp(argv[i], "--show") == 0)
            show = true;
        else if (strcmp(argv[i], "--ids") == 0 && i + 1 < argc)
            ids_path = argv[++i];
        else if (!list && argv[i][0] != '-')
            list = argv[i];
        else
            list = NULL, reps = 0;
    }
    if (!list || reps < 1 || reps > MAX_REPS || !(budget > 0)) {
        fprintf(stderr, "usage: sbml-check-%s [--reps 1-%d] [--budget SECONDS] [--show] [--ids FILE] LIST\n",
                VALIDATOR, MAX_REPS);
        return 2;
    }
    FILE *lf = fopen(list, "r");
    if (!lf) {
        perror(list);
        return 2;
    }
    char **paths = NULL;
    size_t n = 0, cap = 0;
    char line[4096];
    while (fgets(line, sizeof line, lf)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0])
            continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            char **grown = realloc(paths, cap * sizeof *paths);
            if (!grown)
                abort();
            paths = grown;
        }
        paths[n] = strdup(line);
        if (!paths[n++])
            abort();
    }
    fclose(lf);
    FILE *ids = NULL;
    if (ids_path && !(ids = fopen(ids_path, "w"))) {
        perror(ids_path);
        return 2;
    }

    long base_kib = maxrss_kib(), errors = 0, files_with_errors = 0;
    unsigned long long bytes = 0;
    double pass[MAX_REPS], spent = 0;
    int done = 0;
    while (done < reps && (done == 0 || spent < budget)) {
        double total = 0;
        for (size_t i = 0; i < n; i++) {
            size_t len = 0;
            char *data = slurp(paths[i], &len);
            if (!data) {
                fprintf(stderr, "sbml-check-%s: cannot read %s\n", VALIDATOR, paths[i]);
                return 1;
            }
            double t0 = now();
            long e = validate(paths[i], data, len, done == 0 ? ids : NULL);
            total += now() - t0;
            if (done == 0) {
                bytes += len;
                errors += e;
                files_with_errors += e > 0;
                if (show && e > 0)
                    fprintf(stderr, "%s: %ld errors\n", paths[i], e);
            }
            free(data);
        }
        pass[done++] = total;
        spent += total;
    }
    if (ids && fclose(ids) != 0) {
        perror(ids_path);
        return 1;
    }
    qsort(pass, (size_t)done, sizeof pass[0], cmp_double);
    double median = done % 2 ? pass[done / 2] : 0.5 * (pass[done / 2 - 1] + pass[done / 2]);
    printf("validator=%s files=%zu bytes=%llu reps=%d median_s=%.6f min_s=%.6f errors=%ld "
           "files_with_errors=%ld maxrss_kib=%ld base_kib=%ld\n",
           VALIDATOR, n, bytes, done, median, pass[0], errors, files_with_errors, maxrss_kib(),
           base_kib);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return 0;
}
