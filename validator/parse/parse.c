/* Safe XML and JSON parsing with findings for what is not well-formed. */
#include <string.h>

#include "parse.h"

/* ---- XML ------------------------------------------------------------------------------ */

typedef struct xml_sink {
    const tc_file *file;
    tc_findings *fs;
} xml_sink;

static void on_xml_problem(void *ctx, const tc_xml_problem *p)
{
    xml_sink *s = ctx;
    tc_loc loc = {.file = s->file->path, .line = p->line, .column = p->column};
    tc_finding_add(s->fs, p->rule, loc, "%s", p->message);
}

xmlDocPtr tc_parse_xml(const tc_file *file, tc_findings *fs)
{
    xml_sink sink = {file, fs};
    return tc_xml_read_ex(file->data, file->size, file->path, on_xml_problem, &sink);
}

long tc_xml_line(const xmlNode *node)
{
    return node ? (long)xmlGetLineNo(node) : 0;
}

/* ---- JSON ----------------------------------------------------------------------------- */

/* 1-based line and column (in characters) of byte `at`. */
static void json_position(const unsigned char *p, size_t at, long *line, long *column)
{
    long l = 1, c = 1;
    for (size_t i = 0; i < at; i++) {
        if (p[i] == '\n') {
            l++;
            c = 1;
        } else if ((p[i] & 0xC0) != 0x80) {
            c++;
        }
    }
    *line = l;
    *column = c;
}

static void put_utf8(tc_buf *b, unsigned long cp)
{
    char out[4];
    size_t n;
    if (cp < 0x80) {
        out[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        out[0] = (char)(0xC0 | cp >> 6);
        out[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        out[0] = (char)(0xF0 | cp >> 18);
        out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    tc_buf_add(b, out, n);
}

static long hex4(const char *s, size_t avail)
{
    long v = 0;
    if (avail < 4)
        return -1;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0)
            return -1;
        v = v * 16 + d;
    }
    return v;
}

/* Read the string starting at s[*i] (the opening quote) up to `end`, decoded
 * into `out`; false when it does not close before `end`. */
static bool scan_string(const char *s, size_t end, size_t *i, tc_buf *out)
{
    size_t k = *i + 1;
    while (k < end && s[k] != '"') {
        if (s[k] == '\\' && k + 1 < end) {
            char e = s[k + 1];
            const char *simple = strchr("\"\\/bfnrt", e);
            if (e && simple) {
                static const char map[] = "\"\\/\b\f\n\r\t";
                tc_buf_add(out, &map[simple - "\"\\/bfnrt"], 1);
                k += 2;
                continue;
            }
            long cp = e == 'u' ? hex4(s + k + 2, end - k - 2) : -1;
            k += e == 'u' ? 6 : 2;
            if (cp >= 0xD800 && cp < 0xDC00 && k + 1 < end && s[k] == '\\' && s[k + 1] == 'u') {
                long lo = hex4(s + k + 2, end - k - 2);
                if (lo >= 0xDC00 && lo < 0xE000) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    k += 6;
                }
            }
            if (cp >= 0)
                put_utf8(out, (unsigned long)cp);
            continue;
        }
        tc_buf_add(out, &s[k], 1);
        k++;
    }
    *i = k;
    return k < end;
}

typedef struct frame {
    bool object;
    bool expect_key; /* object: the next string is a member name */
    long index;      /* array: index of the current element */
    char *key;       /* object: name of the current member, or NULL */
} frame;

static void append_pointer(tc_buf *b, const frame *f)
{
    if (!f->object) {
        tc_buf_printf(b, "/%ld", f->index);
        return;
    }
    if (!f->key)
        return;
    tc_buf_puts(b, "/");
    for (const char *c = f->key; *c; c++) {
        if (*c == '~')
            tc_buf_puts(b, "~0");
        else if (*c == '/')
            tc_buf_puts(b, "~1");
        else
            tc_buf_add(b, c, 1);
    }
}

/*
 * The JSON pointer (RFC 6901) of the value being read at byte `at`, found by a
 * re-scan of the text before it, which the parser accepted. With `member` false
 * the last object's member name is left out (the object itself). Returns a new
 * string ("" for the top-level value).
 */
static char *pointer_at(const char *s, size_t len, size_t at, bool member)
{
    frame *stack = NULL;
    size_t depth = 0, cap = 0;
    size_t end = at < len ? at : len;
    for (size_t i = 0; i < end; i++) {
        char c = s[i];
        frame *top = depth ? &stack[depth - 1] : NULL;
        if (c == '{' || c == '[') {
            TC_GROW(stack, cap, depth + 1);
            stack[depth++] = (frame){.object = c == '{', .expect_key = c == '{'};
        } else if ((c == '}' || c == ']') && top) {
            free(top->key);
            depth--;
        } else if (c == ',' && top) {
            if (top->object) {
                free(top->key);
                top->key = NULL;
                top->expect_key = true;
            } else {
                top->index++;
            }
        } else if (c == '"') {
            tc_buf str = TC_BUF_INIT;
            bool closed = scan_string(s, end, &i, &str);
            if (closed && top && top->object && top->expect_key) {
                free(top->key);
                top->key = tc_buf_detach(&str);
                top->expect_key = false;
            }
            tc_buf_release(&str);
        }
    }
    tc_buf b = TC_BUF_INIT;
    tc_buf_puts(&b, "");
    for (size_t k = 0; k < depth; k++) {
        if (member || k + 1 < depth)
            append_pointer(&b, &stack[k]);
        free(stack[k].key);
    }
    free(stack);
    return tc_buf_detach(&b);
}

/* The member name just read at byte `at` (for a duplicate key), or NULL. */
static char *last_key(const char *s, size_t len, size_t at)
{
    char *member = pointer_at(s, len, at, true);
    char *object = pointer_at(s, len, at, false);
    char *key = NULL;
    size_t n = strlen(object);
    if (strlen(member) > n + 1) {
        tc_buf b = TC_BUF_INIT;
        for (const char *c = member + n + 1; *c; c++) {
            if (c[0] == '~' && c[1] == '1') {
                tc_buf_puts(&b, "/");
                c++;
            } else if (c[0] == '~' && c[1] == '0') {
                tc_buf_puts(&b, "~");
                c++;
            } else {
                tc_buf_add(&b, c, 1);
            }
        }
        key = tc_buf_detach(&b);
    }
    free(member);
    free(object);
    return key;
}

static bool json_blank(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return false;
    return true;
}

static void json_error_finding(const tc_file *file, tc_findings *fs, const char *text,
                               size_t len, const json_error_t *err, size_t skipped)
{
    size_t at = err->position > 0 ? (size_t)err->position : 0;
    if (json_error_code(err) == json_error_stack_overflow && at > 0)
        at--; /* the bracket that went too deep is the value at fault */
    long line = err->line > 0 ? err->line : 0;
    long column = err->column > 0 ? err->column : 0;
    if (skipped && line == 1)
        column++; /* the byte order mark is one character */
    char *pointer = pointer_at(text, len, at, true);
    tc_loc loc = {.file = file->path, .line = line, .column = column, .path = pointer};
    switch (json_error_code(err)) {
    case json_error_duplicate_key: {
        char *object = pointer_at(text, len, at, false);
        char *key = last_key(text, len, at);
        tc_finding_add(fs, "json:duplicate-key", loc,
                       "duplicate member name \"%s\" in the object at %s: names in an object "
                       "must be unique",
                       key ? key : "?", object[0] ? object : "the top level");
        free(key);
        free(object);
        break;
    }
    case json_error_invalid_utf8:
        tc_finding_add(fs, "json:encoding", loc, "not valid UTF-8: %s", err->text);
        break;
    case json_error_stack_overflow:
        tc_finding_add(fs, "json:too-deep", loc,
                       "arrays and objects are nested more than 2048 deep");
        break;
    case json_error_numeric_overflow:
        tc_finding_add(fs, "json:number-range", loc, "number out of range: %s", err->text);
        break;
    case json_error_null_character:
    case json_error_null_byte_in_key:
        tc_finding_add(fs, "json:nul", loc,
                       "a string escapes U+0000 (\\u0000), which is not accepted");
        break;
    case json_error_end_of_input_expected:
        tc_finding_add(fs, "json:not-well-formed", loc,
                       "not well-formed JSON: content after the end of the value (%s)",
                       err->text);
        break;
    default:
        if (strncmp(err->text, "invalid Unicode", 15) == 0)
            tc_finding_add(fs, "json:encoding", loc, "not valid Unicode: %s", err->text);
        else
            tc_finding_add(fs, "json:not-well-formed", loc, "not well-formed JSON: %s",
                           err->text);
        break;
    }
    free(pointer);
}

json_t *tc_parse_json(const tc_file *file, tc_findings *fs)
{
    const unsigned char *p = file->data;
    size_t n = file->size;
    if (json_blank(p, n)) {
        tc_finding_add(fs, "json:empty", TC_AT_FILE(file->path),
                       "the file is empty%s: a JSON text needs a value",
                       n ? " (white space only)" : "");
        return NULL;
    }
    size_t skipped = 0;
    if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
        tc_finding_add(fs, "json:encoding", (tc_loc){.file = file->path, .line = 1, .column = 1},
                       "the file starts with a byte order mark, which JSON texts must not "
                       "carry; it was skipped");
        skipped = 3;
    }
    const unsigned char *nul = memchr(p, 0, n);
    if (nul) {
        long line, column;
        json_position(p + skipped, (size_t)(nul - p) - skipped, &line, &column);
        tc_loc loc = {.file = file->path, .line = line, .column = column};
        tc_finding_add(fs, "json:nul", loc, "the file holds a NUL byte, which JSON does not allow");
        return NULL;
    }
    const char *text = (const char *)p + skipped;
    size_t len = n - skipped;
    json_error_t err;
    json_t *j = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);
    if (!j)
        json_error_finding(file, fs, text, len, &err, skipped);
    return j;
}

/* ---- the stage -------------------------------------------------------------------------- */

void tc_parse_check_package(const tc_package *pkg, tc_findings *fs)
{
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        /* intake already read the manifest and reported its well-formedness; the SBML
         * stage reads SBML with the same reader and reports its XML errors as SBML's */
        if (!f->present || f->rejected || f->kind == TC_KIND_MANIFEST ||
            f->kind == TC_KIND_SBML)
            continue;
        if (tc_kind_is_xml(f->kind)) {
            xmlDocPtr doc = tc_parse_xml(f, fs);
            xmlFreeDoc(doc);
        } else if (tc_kind_is_json(f->kind)) {
            json_decref(tc_parse_json(f, fs));
        }
    }
}
