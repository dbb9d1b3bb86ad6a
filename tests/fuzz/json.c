/* JSON, the parse stage: tc_parse_json on a package file's bytes. */
#include "fuzz.h"
#include "parse/parse.h"

TC_FUZZ_TARGET(json)
{
    tc_package *pkg = tc_fuzz_package("data.json", TC_KIND_JSON, data, size);
    tc_findings fs;
    tc_findings_init(&fs);
    json_t *v = tc_parse_json(&pkg->files[0], &fs);
    /* Refused JSON comes with a finding saying why. */
    if (!v && fs.len == 0)
        abort();
    json_decref(v);
    tc_findings_release(&fs);
    tc_fuzz_package_free(pkg);
    return 0;
}
