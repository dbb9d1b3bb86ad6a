/* The pipeline: intake, parse and the validators of each file kind. */
#include <stdlib.h>

#include "assess/assess.h"
#include "parse/parse.h"
#include "pipeline.h"
#include "rerun/rerun.h"
#include "sbml/sbml.h"
#include "sedml/sedml.h"

/* Credibility assessment of one package, after the stages before it, with the
 * re-run's entries and simulated series when the package was re-run. */
static int assess_target(tc_run *run, const tc_pack *pack, const tc_package *pkg, json_t *out,
                         const json_t *reruns, const tc_sim_outputs *simulated)
{
    tc_assess_input in = {.pkg = pkg,
                          .pack = pack,
                          .reruns = reruns,
                          .simulated = simulated,
                          .prior = &run->findings};
    json_t *section = NULL;
    int rc = tc_assess_package(&in, &run->findings, &section);
    if (rc == 0)
        json_array_append_new(out, section);
    return rc;
}

static bool has_dossier(const tc_package *pkg)
{
    for (size_t i = 0; i < pkg->nfiles; i++)
        if (pkg->files[i].kind == TC_KIND_DOSSIER)
            return true;
    return false;
}

static int run_target(tc_run *run, const tc_options *opt, const tc_pack *pack, json_t *cred,
                      json_t *reruns, const char *target)
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
        if (f->kind == TC_KIND_SBML)
            tc_run_add_check(run, target, f->path, "sbml");
        else if (f->kind == TC_KIND_SEDML)
            tc_run_add_check(run, target, f->path, "sedml");
    }
    tc_parse_check_package(pkg, &run->findings);
    for (size_t i = 0; i < pkg->nfiles; i++)
        if (pkg->files[i].kind == TC_KIND_SBML)
            tc_sbml_check_package_file(pkg, &pkg->files[i], &run->findings);
    /* SED-ML is checked per package: its references reach into the models. */
    tc_sedml_check_package(pkg, &run->findings);
    tc_rerun_result rr;
    tc_rerun_result_init(&rr);
    if (opt->rerun) {
        tc_rerun_options ro = TC_RERUN_OPTIONS_INIT;
        ro.atol = opt->rerun_atol;
        ro.rtol = opt->rerun_rtol;
        ro.seed = opt->rerun_seed;
        if (opt->rerun_max_steps > 0)
            ro.max_steps = opt->rerun_max_steps;
        if (opt->rerun_max_seconds > 0)
            ro.max_seconds = opt->rerun_max_seconds;
        tc_run_add_check(run, target, NULL, "rerun");
        tc_rerun_package(pkg, &ro, &run->findings, &rr);
        json_array_extend(reruns, rr.entries);
    }
    if (opt->assess || (opt->assess_if_dossier && has_dossier(pkg))) {
        tc_run_add_check(run, target, NULL, "cred");
        rc = assess_target(run, pack, pkg, cred, opt->rerun ? reruns : NULL,
                           opt->rerun ? &rr.outputs : NULL);
    }
    tc_rerun_result_release(&rr);
    tc_package_free(pkg);
    return rc;
}

int tc_pipeline_run(tc_run *run, const tc_options *opt, char *const *targets, size_t ntargets)
{
    int first_error = 0;
    tc_pack *pack = NULL;
    json_t *cred = json_array(), *reruns = json_array();
    run->fail_on = opt->fail_on;
    bool assessing = opt->assess || opt->assess_if_dossier;
    if (assessing && opt->pack && (first_error = tc_pack_load(&pack, opt->pack)) != 0) {
        tc_run_add_error(run, tc_error_last());
        json_decref(cred);
        json_decref(reruns);
        return first_error;
    }
    for (size_t i = 0; i < ntargets; i++) {
        int rc = run_target(run, opt, pack, cred, reruns, targets[i]);
        if (rc != 0) {
            tc_run_add_error(run, tc_error_last());
            if (first_error == 0)
                first_error = rc;
        }
    }
    run->findings.target = NULL;
    /* One package: the section is its assessment; several: an array of them. */
    if (assessing && json_array_size(cred) == 1)
        tc_run_set_section(run, "credibility", json_incref(json_array_get(cred, 0)));
    else if (assessing && json_array_size(cred) > 1)
        tc_run_set_section(run, "credibility", json_incref(cred));
    json_decref(cred);
    if (opt->rerun)
        tc_run_set_section(run, "reruns", reruns);
    else
        json_decref(reruns);
    tc_pack_free(pack);
    tc_run_finish(run);
    return first_error;
}
