/* The comp flattener with no resolver (only model definitions inside the
 * document are found), then validation of what it made. */
#include "fuzz.h"
#include "sbml/sbml.h"

TC_FUZZ_TARGET(comp)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    if (tc_sbml_read(&doc, data, size, "model.xml", &fs) == 0) {
        if (tc_sbml_flatten(doc, NULL, &fs) == 0)
            tc_sbml_validate(doc, &fs);
        tc_sbml_doc_free(doc);
    }
    tc_findings_release(&fs);
    return 0;
}
