/*
 * The certificate's payload: an in-toto Statement v1 whose subjects are the
 * package's files (and the archive itself) and whose predicate records what the
 * run found. docs/certificate.md is the reference for every field.
 */
#include <stdlib.h>
#include <string.h>

#include "certify.h"
#include "intake/intake.h"
#include "twincheck/version.h"

/* The last component of a path, without trailing slashes. */
static char *base_name(const char *path)
{
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/')
        n--;
    size_t start = n;
    while (start > 0 && path[start - 1] != '/')
        start--;
    return tc_xstrndup(path + start, n - start);
}

static json_t *subject(const char *name, const char *sha256)
{
    return json_pack("{s:s, s:{s:s}}", "name", name, "digest", "sha256", sha256);
}

int tc_cert_subjects(json_t **out, const char *target)
{
    tc_package *pkg = NULL;
    tc_findings ignored; /* the pipeline reports on the package; here we only hash it */
    *out = NULL;
    tc_findings_init(&ignored);
    ignored.target = target;
    int rc = tc_package_open(&pkg, target, &TC_LIMITS_DEFAULT, &ignored);
    tc_findings_release(&ignored);
    if (rc != 0)
        return rc;
    json_t *subjects = json_array();
    if (pkg->form == TC_PACKAGE_ARCHIVE) {
        char digest[TC_SHA256_HEX];
        rc = tc_sha256_file(target, digest);
        if (rc != 0) {
            json_decref(subjects);
            tc_package_free(pkg);
            return rc;
        }
        char *name = base_name(target);
        json_t *s = subject(name, digest);
        /* Marks the archive apart from a file of the same name inside it. */
        json_object_set_new(s, "annotations", json_pack("{s:s}", "twincheck:role", "archive"));
        json_array_append_new(subjects, s);
        free(name);
    }
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (!f->present)
            continue; /* listed but missing: the run reports it, nothing to hash */
        char digest[TC_SHA256_HEX];
        tc_sha256_hex(f->data, f->size, digest);
        json_array_append_new(subjects, subject(f->path, digest));
    }
    tc_package_free(pkg);
    *out = subjects;
    return 0;
}

/* Copy the named members of `from` that are present into a new object. */
static json_t *pick(json_t *from, const char *const *keys)
{
    json_t *o = json_object();
    for (; *keys; keys++) {
        json_t *v = json_object_get(from, *keys);
        if (v)
            json_object_set(o, *keys, v);
    }
    return o;
}

/* The re-run in brief: counts by verdict, and each declared data set's verdict and
 * largest relative error (the report has the rest). null when nothing was re-run. */
static json_t *reruns_summary(const tc_run *run)
{
    static const char *const keys[] = {"sedml", "report", "data_set", "verdict",
                                       "max_rel_error", NULL};
    json_t *entries = json_object_get(run->sections, "reruns");
    if (!json_is_array(entries))
        return json_null();
    json_t *brief = json_array(), *e;
    json_int_t pass = 0, fail = 0, unverifiable = 0;
    size_t i;
    json_array_foreach(entries, i, e)
    {
        const char *v = json_string_value(json_object_get(e, "verdict"));
        pass += v && !strcmp(v, "pass");
        fail += v && !strcmp(v, "fail");
        unverifiable += v && !strcmp(v, "not-verifiable");
        json_array_append_new(brief, pick(e, keys));
    }
    return json_pack("{sIsIsIsIso}", "data_sets", (json_int_t)json_array_size(entries), "pass",
                     pass, "fail", fail, "not-verifiable", unverifiable, "entries", brief);
}

/* One package's assessment in brief: pack, risk, verdict, and per factor the
 * required, claimed and supported gradations with the verdict. */
static json_t *assessment_summary(json_t *a)
{
    static const char *const top[] = {"target", "dossier", "verdict", NULL};
    static const char *const factor_keys[] = {"id", "required", "claimed", "supported", "verdict",
                                              NULL};
    static const char *const pack_keys[] = {"id", "sha256", NULL};
    json_t *o = pick(a, top);
    json_object_set_new(o, "pack", pick(json_object_get(a, "pack"), pack_keys));
    json_object_set(o, "risk", json_object_get(json_object_get(a, "risk"), "level"));
    json_t *factors = json_array(), *f;
    size_t i;
    json_array_foreach(json_object_get(a, "factors"), i, f)
        json_array_append_new(factors, pick(f, factor_keys));
    json_object_set_new(o, "factors", factors);
    return o;
}

static json_t *credibility_summary(const tc_run *run)
{
    json_t *cred = json_object_get(run->sections, "credibility");
    if (json_is_object(cred))
        return assessment_summary(cred);
    if (!json_is_array(cred))
        return json_null();
    json_t *all = json_array(), *a;
    size_t i;
    json_array_foreach(cred, i, a)
        json_array_append_new(all, assessment_summary(a));
    return all;
}

/* The credibility packs the assessment used, each as {id, sha256}: the section is
 * one package's assessment (an object) or several (an array). */
static void add_pack(json_t *packs, json_t *assessment)
{
    json_t *pack = json_object_get(assessment, "pack");
    json_t *id = json_object_get(pack, "id"), *digest = json_object_get(pack, "sha256");
    if (!json_is_string(id) || !json_is_string(digest))
        return;
    size_t i;
    json_t *seen;
    json_array_foreach(packs, i, seen)
        if (json_equal(json_object_get(seen, "sha256"), digest))
            return;
    json_array_append_new(packs, json_pack("{sOsO}", "id", id, "sha256", digest));
}

static json_t *packs_used(const tc_run *run)
{
    json_t *packs = json_array();
    json_t *cred = run->sections ? json_object_get(run->sections, "credibility") : NULL;
    if (json_is_array(cred)) {
        size_t i;
        json_t *one;
        json_array_foreach(cred, i, one)
            add_pack(packs, one);
    } else if (json_is_object(cred)) {
        add_pack(packs, cred);
    }
    return packs;
}

json_t *tc_cert_statement(json_t *subjects, const char *target, const tc_run *run,
                          const char *issuer, const tc_cert_options *opt)
{
    char issued[TC_TIME_MAX_LEN], expires[TC_TIME_MAX_LEN];
    size_t counts[4];
    tc_time_format(opt->issued_at, issued);
    tc_time_format(opt->issued_at + opt->valid_for, expires);
    tc_findings_count(&run->findings, counts);
    char *name = base_name(target);
    json_t *predicate = json_object();
    json_object_set_new(predicate, "tool",
                        json_pack("{s:s, s:s}", "name", "twincheck", "version", TWINCHECK_VERSION));
    json_object_set_new(predicate, "package", json_pack("{s:s}", "name", name));
    json_object_set_new(predicate, "rules",
                        json_pack("{s:{s:s}, s:o}", "catalogue", "sha256", tc_rules_digest(),
                                  "packs", packs_used(run)));
    json_object_set_new(predicate, "verdict",
                        json_string(tc_run_passed(run) ? "passed" : "failed"));
    json_object_set_new(predicate, "failOn", json_string(tc_severity_name(run->fail_on)));
    json_t *findings = json_object();
    for (int sev = TC_INFO; sev <= TC_FATAL; sev++)
        json_object_set_new(findings, tc_severity_name((tc_severity)sev),
                            json_integer((json_int_t)counts[sev]));
    json_object_set_new(predicate, "findings", findings);
    json_object_set_new(predicate, "reruns", reruns_summary(run));
    json_object_set_new(predicate, "credibility", credibility_summary(run));
    json_object_set_new(predicate, "issuer", json_pack("{s:s}", "keyId", issuer));
    json_object_set_new(predicate, "issuedAt", json_string(issued));
    json_object_set_new(predicate, "expiresAt", json_string(expires));
    free(name);
    return json_pack("{s:s, s:o, s:s, s:o}", "_type", TC_INTOTO_STATEMENT_V1, "subject", subjects,
                     "predicateType", TC_PREDICATE_TYPE, "predicate", predicate);
}

int tc_cert_sign(const tc_key *key, const json_t *statement, char **out, size_t *len)
{
    char *payload = NULL;
    size_t payload_len = 0;
    *out = NULL;
    *len = 0;
    int rc = tc_jcs_serialize(statement, &payload, &payload_len);
    if (rc != 0)
        return rc;
    rc = tc_dsse_sign(key, TC_DSSE_STATEMENT_TYPE, payload, payload_len, out, len);
    free(payload);
    return rc;
}
