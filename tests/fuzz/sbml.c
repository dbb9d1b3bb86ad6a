/* The SBML reader and validator: tc_sbml_read, then every rule family. */
#include "fuzz.h"
#include "sbml/sbml.h"

TC_FUZZ_TARGET(sbml)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    if (tc_sbml_read(&doc, data, size, "model.xml", &fs) == 0) {
        tc_sbml_validate(doc, &fs);
        tc_sbml_doc_free(doc);
    } else if (fs.len == 0) {
        abort(); /* a refused document must say why */
    }
    tc_findings_release(&fs);
    return 0;
}
