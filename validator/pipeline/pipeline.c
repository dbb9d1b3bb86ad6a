/* The pipeline: intake, parse and the validators of each file kind. */
#include <stdlib.h>

#include "parse/parse.h"
#include "sbml/sbml.h"
#include "pipeline.h"

static int run_target(tc_run *run, const tc_options *opt, const char *target)
{
    tc_package *pkg = NULL;
    run->findings.target = target;
    tc_run_add_target(run, target);
    int rc = tc_package_open(&pkg, target, &opt->limits, &run->findings);
    if (rc != 0)
        return rc;
    if (pkg->form != TC_PACKAGE_FILE)
        tc_run_add_check(run, target, NULL, "omex");
    for (size_t i = 0; i < pkg->nfiles; i++) {
        const tc_file *f = &pkg->files[i];
        if (f->kind == TC_KIND_MANIFEST)
            tc_run_add_check(run, target, f->path, "omex");
        else if (tc_kind_is_xml(f->kind))
            tc_run_add_check(run, target, f->path, "xml");
        else if (tc_kind_is_json(f->kind))
            tc_run_add_check(run, target, f->path, "json");
    }
    tc_parse_check_package(pkg, &run->findings);
    for (size_t i = 0; i < pkg->nfiles; i++)
        if (pkg->files[i].kind == TC_KIND_SBML) {
            tc_run_add_check(run, target, pkg->files[i].path, "sbml");
            tc_sbml_check_file(&pkg->files[i], &run->findings);
        }
    tc_package_free(pkg);
    return 0;
}

int tc_pipeline_run(tc_run *run, const tc_options *opt, char *const *targets, size_t ntargets)
{
    int first_error = 0;
    run->fail_on = opt->fail_on;
    for (size_t i = 0; i < ntargets; i++) {
        int rc = run_target(run, opt, targets[i]);
        if (rc != 0) {
            tc_run_add_error(run, tc_error_last());
            if (first_error == 0)
                first_error = rc;
        }
    }
    run->findings.target = NULL;
    tc_run_finish(run);
    return first_error;
}
