/* Runs every rule family over a document, and the pipeline's per-file entry point. */
#include <stdlib.h>
#include <string.h>

#include "sbml_impl.h"

/* Level 3 packages this validator knows by name but does not check. */
static void report_packages(const sbml_ctx *c)
{
    for (size_t i = 0; i < c->doc->npackages; i++)
        sbml_report(&c->out, "sbml:99108", 1,
                    "the SBML Level 3 package '%s' is declared; its constructs are not checked",
                    c->doc->packages[i]);
}

void tc_sbml_validate(const tc_sbml_doc *doc, tc_findings *fs)
{
    sbml_ctx c = {
        .out = {.file = doc->file, .fs = fs, .level = doc->level, .version = doc->version},
        .doc = doc,
        .m = doc->model};
    report_packages(&c);
    if (!doc->model)
        return;
    sbml_syms_build(&c.syms, doc->model);
    sbml_check_ids(&c);
    sbml_check_math(&c);
    sbml_check_general(&c);
    sbml_check_units(&c);
    sbml_check_sbo(&c);
    sbml_check_practice(&c);
    sbml_syms_release(&c.syms);
}

void tc_sbml_check_file(const tc_file *file, tc_findings *fs)
{
    tc_sbml_doc *doc = NULL;
    if (!file->present)
        return;
    if (tc_sbml_read(&doc, file->data, file->size, file->path, fs) != 0)
        return; /* the reader's findings say why */
    tc_sbml_validate(doc, fs);
    tc_sbml_doc_free(doc);
}
