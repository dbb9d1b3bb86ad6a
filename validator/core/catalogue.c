/* The rule catalogue: rules/catalogue/NAME.tsv, embedded into the binary by
 * scripts/embed.sh. Each line: id TAB severity TAB source TAB description;
 * lines starting with '#' are comments. Parsed once, on first use. */
#include <assert.h>
#include <openssl/evp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

extern const char tc_catalogue_text[];
extern const size_t tc_catalogue_text_len;

static tc_rule *rules;
static size_t nrules;
static char *storage;
static char digest_hex[65];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int compare_rules(const void *a, const void *b)
{
    return strcmp(((const tc_rule *)a)->id, ((const tc_rule *)b)->id);
}

static void load(void)
{
    size_t cap = 0;
    storage = tc_xstrndup(tc_catalogue_text, tc_catalogue_text_len);
    char *save = NULL;
    for (char *line = strtok_r(storage, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        if (line[0] == '#' || line[0] == '\0')
            continue;
        char *fields[4] = {0};
        char *p = line;
        for (int i = 0; i < 4 && p; i++) {
            fields[i] = p;
            p = i < 3 ? strchr(p, '\t') : NULL;
            if (p)
                *p++ = '\0';
        }
        tc_severity sev = TC_ERROR;
        /* scripts/check-rules.sh guards the format; a broken line is skipped. */
        if (!fields[3] || tc_severity_parse(fields[1], &sev) != 0)
            continue;
        TC_GROW(rules, cap, nrules + 1);
        rules[nrules++] = (tc_rule){fields[0], sev, fields[2], fields[3]};
    }
    qsort(rules, nrules, sizeof *rules, compare_rules);

    tc_sha256_hex(tc_catalogue_text, tc_catalogue_text_len, digest_hex);
}

const tc_rule *tc_rule_find(const char *id)
{
    pthread_once(&once, load);
    tc_rule key = {.id = id};
    return bsearch(&key, rules, nrules, sizeof *rules, compare_rules);
}

const tc_rule *tc_rules_all(size_t *count)
{
    pthread_once(&once, load);
    *count = nrules;
    return rules;
}

void tc_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    /* SHA-256 of memory cannot fail short of a broken library. */
    if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32)
        abort();
    for (unsigned int i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

const char *tc_rules_digest(void)
{
    pthread_once(&once, load);
    return digest_hex;
}

static const char *const severity_names[] = {"info", "warning", "error", "fatal"};

const char *tc_severity_name(tc_severity s)
{
    assert(s >= TC_INFO && s <= TC_FATAL);
    return severity_names[s];
}

int tc_severity_parse(const char *name, tc_severity *out)
{
    for (int i = 0; i < 4; i++) {
        if (strcmp(name, severity_names[i]) == 0) {
            *out = (tc_severity)i;
            return 0;
        }
    }
    return tc_error_set(TC_EINVAL, "unknown severity '%s' (expected info, warning, error or fatal)",
                        name);
}

char *tc_rule_stage(const char *rule)
{
    const char *colon = strchr(rule, ':');
    return colon ? tc_xstrndup(rule, (size_t)(colon - rule)) : tc_xstrdup(rule);
}
