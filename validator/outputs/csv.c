/* CSV as SED-ML L1V4 section 3.3.2.2 defines it: comma-separated records, fields
 * optionally in double quotes (doubled quotes inside, line breaks allowed),
 * surrounding whitespace ignored outside quotes, '#' comment lines and empty lines
 * skipped, the first record the header, "." decimals, and a fixed set of strings
 * that mean NaN. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "outputs.h"

static const char *const nan_words[] = {"",         "#N/A", "#N/A N/A", "#NA",    "-1.#IND",
                                        "-1.#QNAN", "-NaN", "-nan",     "1.#IND", "1.#QNAN",
                                        "N/A",      "NA",   "NULL",     "NaN",    "nan"};

typedef struct field {
    char *text;
    bool quoted;
} field;

typedef struct lexer {
    const char *p, *end;
    long line;
} lexer;

static bool is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* One record into *fields; false at the end of input. Sets *bad on an unterminated
 * quote. Comment and empty lines are skipped. */
static bool next_record(lexer *lx, field **fields, size_t *n, size_t *cap, long *line, bool *bad)
{
    *n = 0;
    for (;;) {
        if (lx->p >= lx->end)
            return false;
        const char *q = lx->p;
        while (q < lx->end && is_space(*q))
            q++;
        if (q < lx->end && (*q == '#' || *q == '\n' || *q == '\r')) {
            if (*q == '#')
                while (q < lx->end && *q != '\n')
                    q++;
            if (q < lx->end && *q == '\r')
                q++;
            if (q < lx->end && *q == '\n')
                q++;
            lx->p = q;
            lx->line++;
            continue;
        }
        if (q >= lx->end) {
            lx->p = q;
            return false;
        }
        break;
    }
    *line = lx->line;
    for (;;) {
        tc_buf b = TC_BUF_INIT;
        tc_buf_add(&b, "", 0);
        bool quoted = false;
        while (lx->p < lx->end && is_space(*lx->p))
            lx->p++;
        if (lx->p < lx->end && *lx->p == '"') {
            quoted = true;
            lx->p++;
            for (;;) {
                if (lx->p >= lx->end) {
                    *bad = true;
                    break;
                }
                if (*lx->p == '"') {
                    if (lx->p + 1 < lx->end && lx->p[1] == '"') {
                        tc_buf_add(&b, "\"", 1);
                        lx->p += 2;
                        continue;
                    }
                    lx->p++;
                    break;
                }
                if (*lx->p == '\n')
                    lx->line++;
                tc_buf_add(&b, lx->p, 1);
                lx->p++;
            }
            while (lx->p < lx->end && *lx->p != ',' && *lx->p != '\n' && *lx->p != '\r')
                lx->p++; /* anything after the closing quote is ignored */
        } else {
            const char *s = lx->p;
            while (lx->p < lx->end && *lx->p != ',' && *lx->p != '\n' && *lx->p != '\r')
                lx->p++;
            const char *e = lx->p;
            while (e > s && is_space(e[-1]))
                e--;
            tc_buf_add(&b, s, (size_t)(e - s));
        }
        TC_GROW(*fields, *cap, *n + 1);
        (*fields)[(*n)++] = (field){tc_buf_detach(&b), quoted};
        if (lx->p < lx->end && *lx->p == ',') {
            lx->p++;
            continue;
        }
        if (lx->p < lx->end && *lx->p == '\r')
            lx->p++;
        if (lx->p < lx->end && *lx->p == '\n')
            lx->p++;
        lx->line++;
        return true;
    }
}

static bool parse_cell(const char *s, double *out)
{
    for (size_t i = 0; i < sizeof nan_words / sizeof *nan_words; i++) {
        if (strcmp(s, nan_words[i]) == 0) {
            *out = NAN;
            return true;
        }
    }
    char *end = NULL;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return false;
    /* overflow to +-HUGE_VAL is an infinity written as a number; underflow is fine */
    *out = v;
    return true;
}

typedef struct header_ref {
    const char *id;
    size_t column;
} header_ref;

static int by_header(const void *a, const void *b)
{
    const header_ref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c ? c : (x->column > y->column) - (x->column < y->column);
}

/* Each column id that appears more than once, reported once with its count (the
 * first ten of them). Sorting keeps this O(n log n): a header of many empty ids
 * once gave a finding per pair, quadratic in time and memory. */
static void report_duplicates(const tc_csv *csv, const char *file, long line, const char *rule,
                              tc_findings *fs)
{
    size_t n = csv->ncols, groups = 0;
    if (n < 2)
        return;
    header_ref *order = tc_xcalloc(n, sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = (header_ref){csv->header[i], i};
    qsort(order, n, sizeof *order, by_header);
    for (size_t i = 0; i < n;) {
        size_t k = i + 1;
        while (k < n && strcmp(order[k].id, order[i].id) == 0)
            k++;
        if (k - i > 1 && groups++ < 10)
            tc_finding_add(fs, rule, (tc_loc){.file = file, .line = line},
                           "%s: column '%s' appears %zu times in the header; column ids must be "
                           "unique",
                           file, order[i].id, k - i);
        i = k;
    }
    if (groups > 10)
        tc_finding_add(fs, rule, (tc_loc){.file = file, .line = line},
                       "%s: %zu more column ids appear more than once in the header", file,
                       groups - 10);
    free(order);
}

static void free_fields(field *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(fields[i].text);
}

int tc_csv_parse(tc_csv *out, const unsigned char *data, size_t len, const char *file,
                 const char *rule, tc_findings *fs)
{
    memset(out, 0, sizeof *out);
    lexer lx = {(const char *)data, (const char *)data + len, 1};
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        lx.p += 3;
    field *fields = NULL;
    size_t n = 0, cap = 0, cellcap = 0;
    long line = 0;
    bool bad = false;
    int rc = 0;
    if (!next_record(&lx, &fields, &n, &cap, &line, &bad)) {
        tc_finding_add(fs, rule, TC_AT_FILE(file), "%s has no header record", file);
        rc = TC_EINVAL;
        goto done;
    }
    if (n > TC_OUTPUTS_MAX_COLUMNS) {
        tc_finding_add(fs, rule, (tc_loc){.file = file, .line = line},
                       "%s has %zu columns, more than the limit of %d", file, n,
                       TC_OUTPUTS_MAX_COLUMNS);
        rc = TC_EINVAL;
        goto done;
    }
    out->ncols = n;
    out->header = tc_xcalloc(n ? n : 1, sizeof *out->header);
    for (size_t i = 0; i < n; i++) {
        out->header[i] = fields[i].text;
        fields[i].text = NULL;
    }
    report_duplicates(out, file, line, rule, fs);
    int reported = 0;
    while (next_record(&lx, &fields, &n, &cap, &line, &bad)) {
        if (n != out->ncols) {
            if (reported++ < 10)
                tc_finding_add(fs, rule, (tc_loc){.file = file, .line = line},
                               "%s: record has %zu fields, the header has %zu", file, n,
                               out->ncols);
            free_fields(fields, n);
            continue;
        }
        if ((uint64_t)(out->nrows + 1) * out->ncols > TC_OUTPUTS_MAX_VALUES) {
            tc_finding_add(fs, rule, (tc_loc){.file = file, .line = line},
                           "%s holds more than %llu numbers; the rest is not read", file,
                           (unsigned long long)TC_OUTPUTS_MAX_VALUES);
            free_fields(fields, n);
            break;
        }
        TC_GROW(out->cells, cellcap, (out->nrows + 1) * out->ncols);
        for (size_t i = 0; i < n; i++) {
            double v = NAN;
            if (!parse_cell(fields[i].text, &v) && reported++ < 10)
                tc_finding_add(fs, rule,
                               (tc_loc){.file = file, .line = line, .column = (long)i + 1},
                               "%s: '%s' in column '%s' is not a number", file, fields[i].text,
                               out->header[i]);
            out->cells[out->nrows * out->ncols + i] = v;
        }
        out->nrows++;
        free_fields(fields, n);
    }
    if (bad)
        tc_finding_add(fs, rule, (tc_loc){.file = file, .line = line},
                       "%s: a quoted field is not closed before the end of the file", file);
done:
    free_fields(fields, n);
    free(fields);
    if (rc != 0)
        tc_csv_release(out);
    return rc;
}

void tc_csv_release(tc_csv *csv)
{
    if (!csv)
        return;
    for (size_t i = 0; i < csv->ncols; i++)
        free(csv->header[i]);
    free(csv->header);
    free(csv->cells);
    memset(csv, 0, sizeof *csv);
}

long tc_csv_column(const tc_csv *csv, const char *name)
{
    for (size_t i = 0; i < csv->ncols; i++)
        if (strcmp(csv->header[i], name) == 0)
            return (long)i;
    return -1;
}

void tc_outputs_init(tc_outputs *out, const char *file)
{
    memset(out, 0, sizeof *out);
    out->file = tc_xstrdup(file);
}

void tc_outputs_release(tc_outputs *out)
{
    if (!out)
        return;
    for (size_t i = 0; i < out->len; i++) {
        tc_output_dataset *d = &out->items[i];
        free(d->sedml);
        free(d->output);
        free(d->id);
        free(d->label);
        free(d->values);
    }
    free(out->items);
    free(out->file);
    memset(out, 0, sizeof *out);
}

int tc_outputs_read_csv(tc_outputs *out, const tc_file *file, const char *sedml, const char *output,
                        tc_findings *fs)
{
    if (!file->data) {
        tc_finding_add(fs, "sedml:output-unreadable", TC_AT_FILE(file->path), "%s cannot be read",
                       file->path);
        return TC_EINVAL;
    }
    tc_csv csv;
    int rc = tc_csv_parse(&csv, file->data, file->size, file->path, "sedml:output-unreadable", fs);
    if (rc != 0)
        return rc;
    for (size_t c = 0; c < csv.ncols; c++) {
        TC_GROW(out->items, out->cap, out->len + 1);
        tc_output_dataset *d = &out->items[out->len++];
        memset(d, 0, sizeof *d);
        d->sedml = sedml ? tc_xstrdup(sedml) : NULL;
        d->output = output ? tc_xstrdup(output) : NULL;
        d->id = tc_xstrdup(csv.header[c]);
        d->label = tc_xstrdup(csv.header[c]);
        d->nvalues = csv.nrows;
        d->values = tc_xcalloc(csv.nrows ? csv.nrows : 1, sizeof *d->values);
        for (size_t r = 0; r < csv.nrows; r++)
            d->values[r] = csv.cells[r * csv.ncols + c];
    }
    tc_csv_release(&csv);
    return 0;
}
