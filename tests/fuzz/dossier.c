/* The credibility dossier and rule packs (validator/assess): the bytes are
 * assessed as a package's dossier against the built-in pack it names, and
 * parsed as a rule pack of their own. */
#include "assess/assess.h"
#include "fuzz.h"

TC_FUZZ_TARGET(dossier)
{
    tc_package *pkg = tc_fuzz_package("credibility/dossier.json", TC_KIND_DOSSIER, data, size);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_assess_input in = {.pkg = pkg};
    json_t *section = NULL;
    if (tc_assess_package(&in, &fs, &section) == 0) {
        free(tc_assess_text(section));
        json_decref(section);
    }
    tc_findings_release(&fs);
    tc_fuzz_package_free(pkg);

    tc_pack *pack = NULL;
    if (tc_pack_parse(&pack, (const char *)data, size, "fuzz pack") == 0) {
        tc_pack_risk(pack, "low", "high");
        tc_pack_free(pack);
    }
    return 0;
}
