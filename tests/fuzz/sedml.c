/* The SED-ML reader and validator, on a package that holds the document alone
 * (model sources and outputs it names are missing, which must be findings). */
#include "fuzz.h"
#include "parse/parse.h"
#include "sedml/sedml.h"

TC_FUZZ_TARGET(sedml)
{
    tc_package *pkg = tc_fuzz_package("simulation.sedml", TC_KIND_SEDML, data, size);
    tc_findings fs;
    tc_findings_init(&fs);
    /* Well-formedness is the parse stage's to report, as in the pipeline. */
    tc_parse_check_package(pkg, &fs);
    tc_sedml_doc *doc = NULL;
    if (tc_sedml_read(&doc, pkg, &pkg->files[0], &fs) == 0) {
        tc_sedml_validate(doc, pkg, &fs);
        tc_sedml_free(doc);
    } else if (fs.len == 0) {
        abort();
    }
    tc_findings_release(&fs);
    tc_fuzz_package_free(pkg);
    return 0;
}
