/*
 * core: what every stage shares — error codes, memory helpers, growable
 * strings, findings and the run that collects them, and the rule catalogue.
 *
 * Lifecycle vocabulary (everywhere in the project): `_init` prepares a struct
 * the caller owns, `_release` frees what it holds (the struct stays usable after
 * a new `_init`), `_new` allocates one, `_free` releases and frees it. Every
 * `_free` and `_release` accepts NULL.
 *
 * Errors: functions that can fail return 0 or a negative tc_error code and
 * leave a one-line message in tc_error_last(); they never print it themselves.
 * Problems *in the input being checked* are not errors but findings.
 */
#ifndef TC_CORE_H
#define TC_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#define TC_PRINTF(f, a) __attribute__((format(printf, f, a)))

/* ---- error codes (append only) ---------------------------------------- */
#define TC_ERRORS(X)                                                        \
    X(TC_OK, 0, "success")                                                  \
    X(TC_ENOMEM, -1, "out of memory")                                       \
    X(TC_EIO, -2, "input/output error")                                     \
    X(TC_EINVAL, -3, "invalid input")                                       \
    X(TC_ENOTFOUND, -4, "not found")                                        \
    X(TC_ELIMIT, -5, "limit exceeded")                                      \
    X(TC_EUSAGE, -6, "usage error")                                         \
    X(TC_EINTERNAL, -7, "internal error")                                   \
    X(TC_ESIGNATURE, -8, "bad signature")

typedef enum {
#define TC_X(name, value, text) name = value,
    TC_ERRORS(TC_X)
#undef TC_X
} tc_error;

const char *tc_error_name(int code);
/* Set the out-of-band message for the current thread; returns `code`. */
int tc_error_set(int code, const char *fmt, ...) TC_PRINTF(2, 3);
const char *tc_error_last(void);
void tc_error_clear(void);

/* ---- memory: allocation failure is fatal (exit status 3) --------------- */
void *tc_xmalloc(size_t n);
void *tc_xcalloc(size_t n, size_t size);
void *tc_xrealloc(void *p, size_t n);
char *tc_xstrdup(const char *s);
char *tc_xstrndup(const char *s, size_t n);
char *tc_xasprintf(const char *fmt, ...) TC_PRINTF(1, 2);
/* Grow *items (of `size` bytes each) so that it holds at least `need`. */
void tc_grow(void **items, size_t *cap, size_t need, size_t size);
#define TC_GROW(arr, cap, need) tc_grow((void **)&(arr), &(cap), (need), sizeof(*(arr)))

/* ---- growable string ---------------------------------------------------- */
typedef struct tc_buf {
    char *data; /* always NUL-terminated once anything was added */
    size_t len;
    size_t cap;
} tc_buf;
#define TC_BUF_INIT {NULL, 0, 0}
void tc_buf_add(tc_buf *b, const void *data, size_t n);
void tc_buf_puts(tc_buf *b, const char *s);
void tc_buf_printf(tc_buf *b, const char *fmt, ...) TC_PRINTF(2, 3);
void tc_buf_vprintf(tc_buf *b, const char *fmt, va_list ap);
/* Hand the string over to the caller (never NULL); the buffer is reset. */
char *tc_buf_detach(tc_buf *b);
void tc_buf_release(tc_buf *b);

/* ---- files --------------------------------------------------------------- */
/* Read a whole regular file, refusing more than `max` bytes (TC_ELIMIT).
 * *out is NUL-terminated (not counted in *len); the caller frees it. */
int tc_read_file(const char *path, size_t max, unsigned char **out, size_t *len);
/* Write bytes to path ("-" is standard output). */
int tc_write_file(const char *path, const void *data, size_t len);

/* ---- severities ----------------------------------------------------------- */
typedef enum { TC_INFO = 0, TC_WARNING = 1, TC_ERROR = 2, TC_FATAL = 3 } tc_severity;
const char *tc_severity_name(tc_severity s);
/* Returns 0 and sets *out, or TC_EINVAL for an unknown name. */
int tc_severity_parse(const char *name, tc_severity *out);

/* ---- the rule catalogue (rules/catalogue/\*.tsv, embedded at build time) ---- */
typedef struct tc_rule {
    const char *id;          /* "omex:missing-file", "sbml:10301" */
    tc_severity severity;    /* default severity */
    const char *source;      /* specification and section */
    const char *description; /* one line, our own words */
} tc_rule;
/* The rule with this id, or NULL. */
const tc_rule *tc_rule_find(const char *id);
/* All rules, sorted by id. */
const tc_rule *tc_rules_all(size_t *count);
/* The SHA-256 of `data` as 64 lowercase hex digits and a NUL. */
void tc_sha256_hex(const void *data, size_t len, char out[65]);
/* SHA-256 (hex) of the catalogue text, for reports and certificates. */
const char *tc_rules_digest(void);

/* ---- findings -------------------------------------------------------------- */
/* Where a finding is: file inside the package (no leading "./"), 1-based line
 * and column (0 = unknown), XPath or JSON pointer (NULL = unknown). */
typedef struct tc_loc {
    const char *file;
    long line;
    long column;
    const char *path;
} tc_loc;
#define TC_AT_FILE(f) ((tc_loc){.file = (f)})

typedef struct tc_finding {
    char *rule;
    /* NULL, or one more catalogue id the same check is known by (libSBML's sbml:90501
     * for sbml:10501 on Level 2 Versions 4-5): the finding answers to both ids, is
     * counted once, and takes its severity from `rule`. */
    char *also;
    tc_severity severity;
    char *message;
    char *target; /* the PATH given on the command line */
    char *file;   /* NULL for a finding about the target as a whole */
    long line, column;
    char *path;
} tc_finding;

typedef struct tc_findings {
    tc_finding *items;
    size_t len, cap;
    const char *target; /* stamped on every finding added; set by the pipeline */
} tc_findings;

void tc_findings_init(tc_findings *fs);
void tc_findings_release(tc_findings *fs);
/* Add a finding with the catalogue's severity for `rule`. An id missing from
 * the catalogue is a programming error (asserted; reported as TC_ERROR). */
void tc_finding_add(tc_findings *fs, const char *rule, tc_loc loc, const char *fmt, ...)
    TC_PRINTF(4, 5);
void tc_finding_add_severity(tc_findings *fs, const char *rule, tc_severity sev, tc_loc loc,
                             const char *fmt, ...) TC_PRINTF(5, 6);
void tc_finding_vadd(tc_findings *fs, const char *rule, tc_severity sev, tc_loc loc,
                     const char *fmt, va_list ap);
/* tc_finding_add for one finding that answers to `rule` and also to `also` (NULL for
 * none; both in the catalogue), with the severity of `rule`. */
void tc_finding_add_also(tc_findings *fs, const char *rule, const char *also, tc_loc loc,
                         const char *fmt, ...) TC_PRINTF(5, 6);
void tc_finding_vadd_also(tc_findings *fs, const char *rule, const char *also, tc_severity sev,
                          tc_loc loc, const char *fmt, va_list ap);
/* true when the finding answers to `rule`: its own id or its `also` id. Anything that
 * selects findings by rule id uses this. */
bool tc_finding_is(const tc_finding *f, const char *rule);
/* Sort by target, file, line, column, rule, also, message (deterministic reports). */
void tc_findings_sort(tc_findings *fs);
void tc_findings_count(const tc_findings *fs, size_t counts[4]);

/* ---- the run: everything a report is made from ------------------------------- */
/* One (target, file, stage) that was checked, for per-file reports (JUnit). */
typedef struct tc_check {
    char *target;
    char *file; /* NULL: the target as a whole (e.g. the archive container) */
    char *stage;
} tc_check;

typedef struct tc_run {
    char **targets;
    size_t ntargets, captargets;
    tc_findings findings;
    tc_check *checks;
    size_t nchecks, capchecks;
    json_t *sections;     /* later stages' report sections by name ("reruns", ...) */
    char **errors;        /* targets that could not be read at all, one message each */
    size_t nerrors, caperrors;
    tc_severity fail_on;  /* verdict threshold */
} tc_run;

void tc_run_init(tc_run *run);
void tc_run_release(tc_run *run);
void tc_run_add_target(tc_run *run, const char *target);
void tc_run_add_check(tc_run *run, const char *target, const char *file, const char *stage);
/* Record that a target could not be read (exit status 2). */
void tc_run_add_error(tc_run *run, const char *message);
/* Takes ownership of `section`. */
void tc_run_set_section(tc_run *run, const char *name, json_t *section);
/* true when no finding is at or above run->fail_on. */
bool tc_run_passed(const tc_run *run);
/* Sort findings and checks so every report is deterministic. */
void tc_run_finish(tc_run *run);

/* ---- safe XML reading (libxml2) ---------------------------------------------- */
/* One problem libxml2 reported while reading: 1-based line and column (0 when
 * unknown) and its message, one line. */
typedef void (*tc_xml_error_fn)(void *ctx, long line, long column, const char *message);
struct _xmlDoc;
/* Read XML with network access, external entities and DTD loading off, and
 * entity expansion bounded. Returns the document, or NULL when it is not
 * well-formed; every problem goes to `on_error`. `name` labels the document. */
struct _xmlDoc *tc_xml_read(const void *data, size_t len, const char *name,
                            tc_xml_error_fn on_error, void *ctx);
/* One problem tc_xml_read_ex found: its rule id in the catalogue (xml:...),
 * 1-based line and column (0 when unknown) and a one-line message. */
typedef struct tc_xml_problem {
    const char *rule;
    long line;
    long column;
    const char *message;
} tc_xml_problem;
typedef void (*tc_xml_problem_fn)(void *ctx, const tc_xml_problem *problem);
/* tc_xml_read with every problem classified by rule. The document is returned
 * when it is usable even though problems were reported (a DOCTYPE, an external
 * DTD or entity that was not read); NULL when it is not well-formed, over a
 * limit, or an entity-expansion bomb. */
struct _xmlDoc *tc_xml_read_ex(const void *data, size_t len, const char *name,
                               tc_xml_problem_fn on_problem, void *ctx);

/* The stage a rule id belongs to: its namespace ("omex" for "omex:..."). */
char *tc_rule_stage(const char *rule);

#endif
