/* Runs every rule family over a document, and the pipeline's per-file entry point. */
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

/* Level 3 packages are not checked: each is reported once, as a warning even when the
 * document says the package is required (libSBML's 99107 is an error; here a package
 * that is not checked never fails a model on its own). */
static void report_packages(const sbml_ctx *c)
{
    const xmlNode *root = xmlDocGetRootElement(c->doc->xml);
    for (size_t i = 0; i < c->doc->npackages; i++) {
        const char *prefix = c->doc->packages[i];
        /* comp is checked: flattened, or its failures reported with the comp rules */
        const xmlNs *ns = xmlSearchNs(c->doc->xml, (xmlNode *)root, (const xmlChar *)prefix);
        if (ns && ns->href && strstr((const char *)ns->href, "/comp/version"))
            continue;
        bool required = false;
        for (const xmlAttr *a = root->properties; a; a = a->next)
            if (a->ns && a->ns->prefix && strcmp((const char *)a->ns->prefix, prefix) == 0 &&
                strcmp((const char *)a->name, "required") == 0) {
                xmlChar *v = xmlNodeGetContent((const xmlNode *)a);
                required = v && strcmp((const char *)v, "true") == 0;
                xmlFree(v);
            }
        tc_loc loc = {.file = c->out.file, .line = (long)xmlGetLineNo(root)};
        if (required)
            tc_finding_add_severity(c->out.fs, "sbml:99107", TC_WARNING, loc,
                                    "the document requires the SBML Level 3 package '%s', which "
                                    "is not checked: its effect on the model is not validated",
                                    prefix);
        else
            sbml_report(&c->out, "sbml:99108", loc.line,
                        "the SBML Level 3 package '%s' is declared; its constructs are not "
                        "checked",
                        prefix);
    }
}

void tc_sbml_validate(const tc_sbml_doc *doc, tc_findings *fs)
{
    sbml_ctx c = {
        .out = {.file = doc->file, .fs = fs, .level = doc->level, .version = doc->version},
        .doc = doc,
        .m = doc->model};
    report_packages(&c);
    if (!doc->model) {
        sbml_check_sbo(&c); /* the <sbml> element's own term */
        return;
    }
    sbml_syms_build(&c.syms, doc->model);
    sbml_index_build(&c.ix, doc->model);
    sbml_check_ids(&c);
    sbml_check_math(&c);
    sbml_check_general(&c);
    sbml_check_units(&c);
    sbml_check_sbo(&c);
    sbml_check_practice(&c);
    sbml_index_release(&c.ix);
    sbml_syms_release(&c.syms);
}

static void check_file(const tc_package *pkg, const tc_file *file, tc_findings *fs)
{
    tc_sbml_doc *doc = NULL;
    if (!file->present)
        return;
    if (tc_sbml_read(&doc, file->data, file->size, file->path, fs) != 0)
        return; /* the reader's findings say why */
    tc_sbml_resolver r = {0};
    if (pkg)
        r = tc_sbml_resolver_package(pkg);
    /* a composition that cannot be flattened is validated as written (comp findings) */
    (void)tc_sbml_flatten(doc, pkg ? &r : NULL, fs);
    tc_sbml_validate(doc, fs);
    tc_sbml_doc_free(doc);
}

void tc_sbml_check_file(const tc_file *file, tc_findings *fs)
{
    check_file(NULL, file, fs);
}

void tc_sbml_check_package_file(const tc_package *pkg, const tc_file *file, tc_findings *fs)
{
    check_file(pkg, file, fs);
}
