/* Safe XML and JSON parsing with findings for what is not well-formed. */
#include <string.h>

#include "parse.h"

typedef struct xml_errors {
    const tc_file *file;
    tc_findings *fs;
    int count;
} xml_errors;

static void on_xml_error(void *ctx, long line, long column, const char *message)
{
    xml_errors *e = ctx;
    if (e->count++ >= 20)
        return;
    tc_loc loc = {.file = e->file->path, .line = line, .column = column};
    tc_finding_add(e->fs, "xml:not-well-formed", loc, "%s is not well-formed XML: %s",
                   e->file->path, message);
}

xmlDocPtr tc_parse_xml(const tc_file *file, tc_findings *fs)
{
    xml_errors errors = {file, fs, 0};
    return tc_xml_read(file->data, file->size, file->path, on_xml_error, &errors);
}

json_t *tc_parse_json(const tc_file *file, tc_findings *fs)
{
    json_error_t err;
    json_t *j = json_loadb((const char *)file->data, file->size, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        tc_loc loc = {.file = file->path, .line = err.line, .column = err.column};
        tc_finding_add(fs, "json:not-well-formed", loc, "%s is not well-formed JSON: %s",
                       file->path, err.text);
    }
    return j;
}

void tc_parse_check_package(const tc_package *pkg, tc_findings *fs)
{
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        /* intake already read the manifest and reported its well-formedness */
        if (!f->present || f->rejected || f->kind == TC_KIND_MANIFEST)
            continue;
        if (tc_kind_is_xml(f->kind)) {
            xmlDocPtr doc = tc_parse_xml(f, fs);
            xmlFreeDoc(doc);
        } else if (tc_kind_is_json(f->kind)) {
            json_decref(tc_parse_json(f, fs));
        }
    }
}

long tc_xml_line(const xmlNode *node)
{
    return node ? (long)xmlGetLineNo(node) : 0;
}
