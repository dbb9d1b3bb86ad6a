/* The solvers through the SBML -> model mapping (sbml.h, reference-solvers):
 * read the document, map it, compile it and simulate with tight limits on steps,
 * events and wall time, alternating the two methods. */
#include "fuzz.h"
#include "sbml/sbml.h"

TC_FUZZ_TARGET(simulate)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    tc_sbml_sim *sim = NULL;
    tc_system *sys = NULL;
    tc_sim_result *res = NULL;
    if (tc_sbml_read(&doc, data, size, "model.xml", &fs) != 0)
        goto done;
    if (tc_sbml_sim_new(&sim, doc) != 0)
        goto done;
    if (tc_system_new(&sys, tc_sbml_sim_model(sim)) != 0)
        goto done;
    tc_sim_options opt = TC_SIM_OPTIONS_INIT;
    opt.method = size % 2 ? TC_METHOD_DOPRI5 : TC_METHOD_BDF;
    opt.t1 = 10.0;
    opt.n_steps = 20;
    opt.max_steps = 2000;
    opt.max_wall_seconds = 1.0;
    opt.max_events = 200;
    tc_simulate(sys, &opt, &res);
    if (res) {
        const char **ids = NULL;
        size_t n = tc_sbml_sim_species(sim, &ids);
        for (size_t i = 0; i < n; i++) {
            tc_sbml_output o;
            if (tc_sbml_sim_output(sim, ids[i], TC_SBML_CONCENTRATION, &o) == 0)
                for (size_t row = 0; row < tc_sim_result_rows(res); row++)
                    tc_sbml_output_value(&o, res, row);
        }
        free(ids);
        tc_sim_result_message(res);
    }
done:
    tc_sim_result_free(res);
    tc_system_free(sys);
    tc_sbml_sim_free(sim);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
    return 0;
}
