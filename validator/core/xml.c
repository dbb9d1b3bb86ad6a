/* Reading XML from untrusted packages: no network, no external entities, no
 * DTD loading, and libxml2's own limits on depth and entity expansion kept on. */
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"

typedef struct reader {
    tc_xml_error_fn on_error;
    void *ctx;
    int errors;
} reader;

static void on_structured_error(void *ctx, xmlErrorPtr err)
{
    reader *r = ctx;
    if (!err || err->level < XML_ERR_ERROR)
        return;
    r->errors++;
    char *msg = tc_xstrdup(err->message ? err->message : "malformed XML");
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    if (r->on_error)
        r->on_error(r->ctx, err->line, err->int2, msg);
    free(msg);
}

xmlDocPtr tc_xml_read(const void *data, size_t len, const char *name, tc_xml_error_fn on_error,
                      void *ctx)
{
    reader r = {on_error, ctx, 0};
    if (len > INT_MAX) {
        if (on_error)
            on_error(ctx, 0, 0, "document larger than 2 GiB");
        return NULL;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt)
        return NULL;
    xmlSetStructuredErrorFunc(&r, on_structured_error);
    /* No XML_PARSE_NOENT (no entity substitution), no DTDLOAD/DTDATTR, no HUGE. */
    int options = XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)len, name, NULL, options);
    xmlSetStructuredErrorFunc(NULL, NULL);
    if (doc && (r.errors || !ctxt->wellFormed)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    return doc;
}
