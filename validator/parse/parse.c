/* Safe XML and JSON parsing with findings for what is not well-formed. */
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <string.h>

#include "parse.h"

typedef struct xml_errors {
    const tc_file *file;
    tc_findings *fs;
    int count;
} xml_errors;

static void on_xml_error(void *ctx, xmlErrorPtr err)
{
    xml_errors *e = ctx;
    if (!err || err->level < XML_ERR_ERROR || e->count++ >= 20)
        return;
    char *msg = tc_xstrdup(err->message ? err->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    tc_loc loc = {.file = e->file->path, .line = err->line, .column = err->int2};
    tc_finding_add(e->fs, "xml:not-well-formed", loc, "%s is not well-formed XML: %s",
                   e->file->path, msg);
    free(msg);
}

xmlDocPtr tc_parse_xml(const tc_file *file, tc_findings *fs)
{
    xml_errors errors = {file, fs, 0};
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return NULL;
    xmlSetStructuredErrorFunc(&errors, on_xml_error);
    int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, (const char *)file->data, (int)file->size,
                                      file->path, NULL, options);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc && errors.count) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
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
        if (!f->present)
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
