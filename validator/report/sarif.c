/*
 * SARIF 2.1.0 (OASIS), one run per report. Layout, in short (docs/report-formats.md
 * has the whole of it):
 *  - each target gets a uriBaseId "TARGETn": the directory itself for a
 *    directory package, the directory holding it for a file or an archive;
 *  - a file inside an archive is an artifact nested in the archive's artifact
 *    (parentIndex), its uri the path inside the archive, with no uriBaseId;
 *  - fatal and error are level "error", warning is "warning", info is "note";
 *    the original severity is kept in the result's properties;
 *  - an XPath or JSON pointer is a logicalLocation's fullyQualifiedName.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "twincheck/version.h"

#define SARIF_SCHEMA                                                                               \
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
/* tool.driver.informationUri: a packager that publishes twincheck at an address
 * builds with -DTC_INFORMATION_URI='"https://..."'; without one it is left out
 * rather than pointing somewhere made up. */
typedef enum { TARGET_DIRECTORY, TARGET_FILE } target_form;

typedef struct sarif {
    const tc_run *run;
    const char **targets; /* the run's, then any other a finding or check names */
    size_t ntargets;
    target_form *forms; /* per target */
    json_t *artifacts;
    json_t *artifact_at; /* "target-index\nfile" -> index in artifacts */
    json_t *rules;
    json_t *rule_at; /* rule id -> index in rules */
} sarif;

static json_t *text_json(const char *s)
{
    char *clean = tc_report_utf8(s);
    json_t *j = json_string(clean);
    free(clean);
    return j;
}

static json_t *message_json(const char *text)
{
    json_t *m = json_object();
    json_object_set_new(m, "text", text_json(text));
    return m;
}

/* Percent-encode a path for use in a URI reference: everything but the
 * unreserved characters and "/" (so ':' in a first segment cannot pass for a
 * scheme, and spaces and non-ASCII bytes are encoded). */
static void put_uri_path(tc_buf *b, const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (plain) {
            tc_buf_add(b, p, 1);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            tc_buf_add(b, esc, 3);
        }
    }
}

static size_t target_index(const sarif *s, const char *target)
{
    for (size_t i = 0; i < s->ntargets; i++)
        if (strcmp(s->targets[i], target ? target : "") == 0)
            return i;
    return 0; /* not reached: collect_targets saw every target */
}

static void add_target(sarif *s, const char *target, size_t *cap)
{
    if (!target)
        target = "";
    for (size_t i = 0; i < s->ntargets; i++)
        if (strcmp(s->targets[i], target) == 0)
            return;
    TC_GROW(s->targets, *cap, s->ntargets + 1);
    s->targets[s->ntargets++] = target;
}

static void collect_targets(sarif *s)
{
    size_t cap = 0;
    const tc_run *run = s->run;
    for (size_t i = 0; i < run->ntargets; i++)
        add_target(s, run->targets[i], &cap);
    for (size_t i = 0; i < run->nchecks; i++)
        add_target(s, run->checks[i].target, &cap);
    for (size_t i = 0; i < run->findings.len; i++)
        add_target(s, run->findings.items[i].target, &cap);
    s->forms = tc_xcalloc(s->ntargets + 1, sizeof *s->forms);
    for (size_t i = 0; i < s->ntargets; i++) {
        struct stat st;
        bool dir = stat(s->targets[i], &st) == 0 && S_ISDIR(st.st_mode);
        s->forms[i] = dir ? TARGET_DIRECTORY : TARGET_FILE;
    }
}

/* The base of target i: the directory itself, or the directory holding the
 * file or archive. Relative targets stay relative to SRCROOT (the directory the
 * command ran in), so the report does not depend on where that was. */
static json_t *base_json(const char *target, target_form form)
{
    tc_buf b = TC_BUF_INIT;
    size_t n = strlen(target);
    if (form == TARGET_FILE) {
        const char *slash = strrchr(target, '/');
        n = slash ? (size_t)(slash - target) + 1 : 0;
    }
    char *dir = tc_xstrndup(target, n);
    bool absolute = dir[0] == '/';
    if (absolute)
        tc_buf_puts(&b, "file://");
    put_uri_path(&b, dir[0] ? dir : "./");
    if (b.data[b.len - 1] != '/')
        tc_buf_puts(&b, "/");
    free(dir);

    json_t *o = json_object();
    char *uri = tc_buf_detach(&b);
    json_object_set_new(o, "uri", json_string(uri));
    free(uri);
    if (!absolute)
        json_object_set_new(o, "uriBaseId", json_string("SRCROOT"));
    return o;
}

static char *base_id(size_t i)
{
    return tc_xasprintf("TARGET%zu", i + 1);
}

static json_t *artifact_location(const char *uri, const char *base, long index)
{
    json_t *o = json_object();
    json_object_set_new(o, "uri", json_string(uri));
    if (base)
        json_object_set_new(o, "uriBaseId", json_string(base));
    if (index >= 0)
        json_object_set_new(o, "index", json_integer(index));
    return o;
}

static long add_artifact(sarif *s, const char *key, json_t *artifact)
{
    long index = (long)json_array_size(s->artifacts);
    json_array_append_new(s->artifacts, artifact);
    json_object_set_new_nocheck(s->artifact_at, key, json_integer(index)); /* any bytes */
    return index;
}

/* The artifact for (target i, file), made on first use. file NULL means the
 * target as a whole. Returns its index and its artifactLocation (new reference). */
static long artifact_for(sarif *s, size_t i, const char *file, json_t **location)
{
    const char *target = s->targets[i];
    target_form form = s->forms[i];
    char *base = base_id(i);
    bool nested = form == TARGET_FILE && file && !tc_report_file_is_target(target, file);
    if (form == TARGET_FILE && !nested)
        file = NULL; /* the single file or archive itself */

    char *key = tc_xasprintf("%zu\n%s", i, file ? file : "");
    json_t *found = json_object_get(s->artifact_at, key);
    long index = found ? (long)json_integer_value(found) : -1;

    tc_buf uri = TC_BUF_INIT;
    tc_buf_puts(&uri, "");
    if (nested) {
        put_uri_path(&uri, file); /* relative to the archive, its parent artifact */
    } else if (form == TARGET_FILE) {
        const char *slash = strrchr(target, '/');
        put_uri_path(&uri, slash ? slash + 1 : target);
    } else if (file) {
        put_uri_path(&uri, file);
    }
    /* The directory itself: an empty relative reference resolves to the base. */

    if (index < 0) {
        long parent = -1;
        if (nested)
            parent = artifact_for(s, i, NULL, NULL);
        json_t *a = json_object();
        json_object_set_new(a, "location", artifact_location(uri.data, nested ? NULL : base, -1));
        if (parent >= 0)
            json_object_set_new(a, "parentIndex", json_integer(parent));
        json_t *roles = json_array();
        json_array_append_new(
            roles, json_string(form == TARGET_DIRECTORY && !file ? "directory" : "analysisTarget"));
        json_object_set_new(a, "roles", roles);
        index = add_artifact(s, key, a);
    }
    if (location)
        *location = artifact_location(uri.data, nested ? NULL : base, index);
    tc_buf_release(&uri);
    free(key);
    free(base);
    return index;
}

/* "xml:not-well-formed" -> "XmlNotWellFormed", the friendly name SARIF asks for. */
static char *rule_name(const char *id)
{
    tc_buf b = TC_BUF_INIT;
    bool upper = true;
    for (const char *p = id; *p; p++) {
        char c = *p;
        bool alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum) {
            upper = true;
            continue;
        }
        if (upper && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        upper = false;
        tc_buf_add(&b, &c, 1);
    }
    tc_buf_puts(&b, "");
    return tc_buf_detach(&b);
}

static const char *sarif_level(tc_severity s)
{
    switch (s) {
    case TC_FATAL:
    case TC_ERROR:
        return "error";
    case TC_WARNING:
        return "warning";
    case TC_INFO:
        break;
    }
    return "note";
}

/* A plain-text SARIF message is one or more sentences: end it with a full stop. */
static char *sentence(const char *s)
{
    size_t n = strlen(s);
    char last = n ? s[n - 1] : '.';
    if (last == '.' || last == '!' || last == '?')
        return tc_xstrdup(s);
    return tc_xasprintf("%s.", s);
}

static json_t *rule_json(const char *id, const tc_rule *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "id", text_json(id));
    char *name = rule_name(id);
    json_object_set_new(o, "name", json_string(name));
    free(name);
    const char *description = r ? r->description : "A rule missing from the catalogue.";
    char *shorter = sentence(description);
    json_object_set_new(o, "shortDescription", message_json(shorter));
    char *full = r ? tc_xasprintf("%s Source: %s.", shorter, r->source) : tc_xstrdup(shorter);
    json_object_set_new(o, "fullDescription", message_json(full));
    free(full);
    char *help = tc_xasprintf("%s 'twincheck rules %s' explains the rule; docs/rules.md lists "
                              "every rule.",
                              shorter, id);
    json_object_set_new(o, "help", message_json(help));
    free(help);
    free(shorter);
    json_t *config = json_object();
    json_object_set_new(config, "level", json_string(sarif_level(r ? r->severity : TC_ERROR)));
    json_object_set_new(o, "defaultConfiguration", config);
    json_t *props = json_object();
    if (r) {
        json_object_set_new(props, "source", text_json(r->source));
        json_object_set_new(props, "severity", json_string(tc_severity_name(r->severity)));
    }
    char *stage = tc_rule_stage(id);
    json_t *tags = json_array();
    json_array_append_new(tags, text_json(stage));
    free(stage);
    json_object_set_new(props, "tags", tags);
    json_object_set_new(o, "properties", props);
    return o;
}

/* An id missing from the catalogue (a programming error) still gets a rule, after
 * the catalogued ones, so every result has a ruleIndex. */
static void add_uncatalogued_rule(sarif *s, const char *id)
{
    if (json_object_get(s->rule_at, id))
        return;
    json_object_set_new(s->rule_at, id, json_integer(json_array_size(s->rules)));
    json_array_append_new(s->rules, rule_json(id, NULL));
}

/* The rules the results use, in catalogue (id) order, so ruleIndex is stable. An
 * also-id is listed too, so a reader can look up what it means. */
static void collect_rules(sarif *s)
{
    json_t *used = json_object();
    for (size_t i = 0; i < s->run->findings.len; i++) {
        const tc_finding *f = &s->run->findings.items[i];
        json_object_set_new(used, f->rule, json_true());
        if (f->also)
            json_object_set_new(used, f->also, json_true());
    }
    size_t n;
    const tc_rule *all = tc_rules_all(&n);
    for (size_t i = 0; i < n; i++) {
        if (!json_object_get(used, all[i].id))
            continue;
        json_object_set_new(s->rule_at, all[i].id, json_integer(json_array_size(s->rules)));
        json_array_append_new(s->rules, rule_json(all[i].id, &all[i]));
    }
    for (size_t i = 0; i < s->run->findings.len; i++) {
        const tc_finding *f = &s->run->findings.items[i];
        add_uncatalogued_rule(s, f->rule);
        if (f->also)
            add_uncatalogued_rule(s, f->also);
    }
    json_decref(used);
}

static json_t *result_json(sarif *s, const tc_finding *f)
{
    json_t *o = json_object();
    json_object_set_new(o, "ruleId", text_json(f->rule));
    json_object_set_new(o, "ruleIndex", json_copy(json_object_get(s->rule_at, f->rule)));
    json_object_set_new(o, "level", json_string(sarif_level(f->severity)));
    char *text = sentence(f->message);
    json_object_set_new(o, "message", message_json(text));
    free(text);

    json_t *location = json_object();
    json_t *artifact = NULL;
    artifact_for(s, target_index(s, f->target), f->file, &artifact);
    json_t *physical = json_object();
    json_object_set_new(physical, "artifactLocation", artifact);
    if (f->line) {
        json_t *region = json_object();
        json_object_set_new(region, "startLine", json_integer(f->line));
        if (f->column)
            json_object_set_new(region, "startColumn", json_integer(f->column));
        json_object_set_new(physical, "region", region);
    }
    json_object_set_new(location, "physicalLocation", physical);
    if (f->path) {
        json_t *logical = json_object();
        json_object_set_new(logical, "fullyQualifiedName", text_json(f->path));
        json_t *logicals = json_array();
        json_array_append_new(logicals, logical);
        json_object_set_new(location, "logicalLocations", logicals);
    }
    json_t *locations = json_array();
    json_array_append_new(locations, location);
    json_object_set_new(o, "locations", locations);

    json_t *props = json_object();
    json_object_set_new(props, "severity", json_string(tc_severity_name(f->severity)));
    json_object_set_new(props, "target", text_json(f->target ? f->target : ""));
    /* SARIF gives a result one ruleId; the other id the same check is known by is
     * carried alongside, with its index in the driver's rules. */
    if (f->also) {
        json_object_set_new(props, "alsoRuleId", text_json(f->also));
        json_object_set_new(props, "alsoRuleIndex",
                            json_copy(json_object_get(s->rule_at, f->also)));
    }
    json_object_set_new(o, "properties", props);
    return o;
}

static json_t *driver_json(sarif *s)
{
    json_t *d = json_object();
    json_object_set_new(d, "name", json_string("twincheck"));
    json_object_set_new(d, "fullName", json_string("twincheck " TWINCHECK_VERSION));
    json_object_set_new(d, "version", json_string(TWINCHECK_VERSION));
    json_object_set_new(d, "semanticVersion", json_string(TWINCHECK_VERSION));
#ifdef TC_INFORMATION_URI
    json_object_set_new(d, "informationUri", json_string(TC_INFORMATION_URI));
#endif
    json_object_set_new(d, "rules", json_incref(s->rules));
    json_t *props = json_object();
    json_object_set_new(props, "rulesDigest", json_string(tc_rules_digest()));
    json_object_set_new(d, "properties", props);
    return d;
}

char *tc_report_sarif(const tc_run *run)
{
    sarif s = {
        .run = run,
        .artifacts = json_array(),
        .artifact_at = json_object(),
        .rules = json_array(),
        .rule_at = json_object(),
    };
    collect_targets(&s);
    collect_rules(&s);

    /* Artifacts in check order first, so files without findings are listed too. */
    for (size_t i = 0; i < run->nchecks; i++)
        if (run->checks[i].file)
            artifact_for(&s, target_index(&s, run->checks[i].target), run->checks[i].file, NULL);
    json_t *results = json_array();
    for (size_t i = 0; i < run->findings.len; i++)
        json_array_append_new(results, result_json(&s, &run->findings.items[i]));

    json_t *bases = json_object();
    for (size_t i = 0; i < s.ntargets; i++) {
        char *id = base_id(i);
        json_object_set_new(bases, id, base_json(s.targets[i], s.forms[i]));
        free(id);
    }

    json_t *tool = json_object();
    json_object_set_new(tool, "driver", driver_json(&s));
    json_t *invocation = json_object();
    json_object_set_new(invocation, "executionSuccessful", json_true());
    json_t *invocations = json_array();
    json_array_append_new(invocations, invocation);
    json_t *props = json_object();
    json_object_set_new(props, "verdict", json_string(tc_run_passed(run) ? "pass" : "fail"));
    json_object_set_new(props, "failOn", json_string(tc_severity_name(run->fail_on)));

    json_t *r = json_object();
    json_object_set_new(r, "tool", tool);
    json_t *automation = json_object();
    /* A category with no run id ("twincheck/validate/"): runs stay byte-identical. */
    json_object_set_new(automation, "id", json_string("twincheck/validate/"));
    json_object_set_new(r, "automationDetails", automation);
    json_object_set_new(r, "invocations", invocations);
    json_object_set_new(r, "originalUriBaseIds", bases);
    json_object_set_new(r, "artifacts", json_incref(s.artifacts));
    json_object_set_new(r, "results", results);
    json_object_set_new(r, "columnKind", json_string("unicodeCodePoints"));
    json_object_set_new(r, "properties", props);
    json_t *runs = json_array();
    json_array_append_new(runs, r);

    json_t *root = json_object();
    json_object_set_new(root, "$schema", json_string(SARIF_SCHEMA));
    json_object_set_new(root, "version", json_string("2.1.0"));
    json_object_set_new(root, "runs", runs);

    char *dumped = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    char *out = dumped ? tc_xasprintf("%s\n", dumped) : NULL;
    free(dumped);
    json_decref(root);
    json_decref(s.artifacts);
    json_decref(s.artifact_at);
    json_decref(s.rules);
    json_decref(s.rule_at);
    free(s.forms);
    free(s.targets);
    return out;
}
