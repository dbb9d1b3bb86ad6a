/* sedml: reading SED-ML into memory, the structural and reference checks (one
 * finding per broken document, with its line), MathML, KiSAO and its mapping
 * onto the integrators, and the published example archives under ../shared. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "../testutil.h"
#include "sedml/sedml.h"

/* ---- helpers ------------------------------------------------------------------ */

#define MODEL                                                                                      \
    "<?xml version=\"1.0\"?>\n"                                                                    \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\">\n"   \
    "<model id=\"m\"><listOfCompartments><compartment id=\"c\" size=\"1\" constant=\"true\"/>"     \
    "</listOfCompartments>\n<listOfSpecies><species id=\"S1\" compartment=\"c\" "                  \
    "initialConcentration=\"1\" hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" "      \
    "constant=\"false\"/><species id=\"S2\" compartment=\"c\" initialConcentration=\"0\" "         \
    "hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>"             \
    "</listOfSpecies>\n<listOfParameters><parameter id=\"k\" value=\"0.5\" constant=\"true\"/>"    \
    "</listOfParameters></model>\n</sbml>\n"

#define HEAD                                                                                       \
    "<?xml version=\"1.0\"?>\n"                                                                    \
    "<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/version4\" "                                   \
    "xmlns:sbml=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"1\" version=\"4\">\n"
#define MATH(x) "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">" x "</math>"
#define SIM                                                                                        \
    "<listOfSimulations><uniformTimeCourse id=\"sim\" initialTime=\"0\" outputStartTime=\"0\" "    \
    "outputEndTime=\"10\" numberOfSteps=\"100\"><algorithm kisaoID=\"KISAO:0000019\"/>"            \
    "</uniformTimeCourse></listOfSimulations>\n"
#define MODELS                                                                                     \
    "<listOfModels><model id=\"model\" language=\"urn:sedml:language:sbml\" "                      \
    "source=\"model.xml\"/></listOfModels>\n"
#define TASKS                                                                                      \
    "<listOfTasks><task id=\"task\" modelReference=\"model\" "                                     \
    "simulationReference=\"sim\"/></listOfTasks>\n"
#define DG(id, target)                                                                             \
    "<dataGenerator id=\"" id "\"><listOfVariables><variable id=\"v_" id                           \
    "\" taskReference=\"task\" "                                                                   \
    "target=\"" target "\"/></listOfVariables>" MATH("<ci>v_" id "</ci>") "</dataGenerator>\n"
#define DGS                                                                                        \
    "<listOfDataGenerators>"                                                                       \
    "<dataGenerator id=\"time\"><listOfVariables><variable id=\"t\" taskReference=\"task\" "       \
    "symbol=\"urn:sedml:symbol:time\"/></listOfVariables>" MATH(                                   \
        "<ci>t</ci>") "</dataGenerator>\n" DG("s1",                                                \
                                              "/sbml:sbml/sbml:model/sbml:listOfSpecies/"          \
                                              "sbml:species[@id='S1']") "</"                       \
                                                                        "listOfDataGenerators>\n"
#define REPORT                                                                                     \
    "<listOfOutputs><report id=\"report\"><listOfDataSets><dataSet id=\"d_time\" label=\"time\" "  \
    "dataReference=\"time\"/><dataSet id=\"d_s1\" label=\"S1\" dataReference=\"s1\"/>"             \
    "</listOfDataSets></report></listOfOutputs>\n"
#define TAIL "</sedML>\n"
#define GOOD HEAD SIM MODELS TASKS DGS REPORT TAIL

static char *make_tmp(void)
{
    char *dir = tc_xstrdup("/tmp/tc-sedml-test-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    return dir;
}

static void put_file(const char *dir, const char *rel, const char *text)
{
    char *path = tc_xasprintf("%s/%s", dir, rel);
    ck_assert_int_eq(tc_write_file(path, text, strlen(text)), 0);
    free(path);
}

static void remove_tree(const char *dir)
{
    char *cmd = tc_xasprintf("rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
    free(cmd);
}

/* A folder package with model.xml and simulation.sedml; reads and validates the
 * SED-ML into *doc (NULL when it was not SED-ML) and fs. */
typedef struct fixture {
    char *dir;
    tc_package *pkg;
    tc_sedml_doc *doc;
    tc_findings fs;
} fixture;

static void open_fixture(fixture *fx, const char *sedml)
{
    tc_findings_init(&fx->fs);
    fx->dir = make_tmp();
    put_file(fx->dir, "model.xml", MODEL);
    put_file(fx->dir, "simulation.sedml", sedml);
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&fx->pkg, fx->dir, &limits, &fx->fs), 0);
    const tc_file *f = tc_package_find(fx->pkg, "simulation.sedml");
    ck_assert_ptr_nonnull(f);
    fx->doc = NULL;
    if (tc_sedml_read(&fx->doc, fx->pkg, f, &fx->fs) == 0)
        tc_sedml_validate(fx->doc, fx->pkg, &fx->fs);
}

static void close_fixture(fixture *fx)
{
    tc_sedml_free(fx->doc);
    tc_package_free(fx->pkg);
    remove_tree(fx->dir);
    free(fx->dir);
    tc_findings_release(&fx->fs);
}

static size_t sedml_errors(const tc_findings *fs)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->len; i++)
        n += strncmp(fs->items[i].rule, "sedml:", 6) == 0 && fs->items[i].severity >= TC_ERROR;
    return n;
}

static void dump(const tc_findings *fs)
{
    for (size_t i = 0; i < fs->len; i++)
        fprintf(stderr, "  %s:%ld %s %s\n", fs->items[i].file ? fs->items[i].file : "-",
                fs->items[i].line, fs->items[i].rule, fs->items[i].message);
}

/* ---- a complete document reads into the model ------------------------------------ */

START_TEST(test_read_complete)
{
    const char *text = HEAD
        "<listOfSimulations><uniformTimeCourse id=\"sim\" initialTime=\"0\" outputStartTime=\"1\" "
        "outputEndTime=\"10\" numberOfSteps=\"90\"><algorithm kisaoID=\"KISAO:0000019\">"
        "<listOfAlgorithmParameters><algorithmParameter kisaoID=\"KISAO:0000209\" value=\"1e-8\"/>"
        "</listOfAlgorithmParameters></algorithm></uniformTimeCourse>\n"
        "<oneStep id=\"step\" step=\"0.1\"><algorithm kisaoID=\"KISAO:0000087\"/></oneStep>\n"
        "<steadyState id=\"ss\"><algorithm kisaoID=\"KISAO:0000568\"/></steadyState>"
        "</listOfSimulations>\n"
        "<listOfModels><model id=\"model\" language=\"urn:sedml:language:sbml.level-3.version-2\" "
        "source=\"model.xml\"><listOfChanges>"
        "<changeAttribute target=\"/sbml:sbml/sbml:model/sbml:listOfParameters/"
        "sbml:parameter[@id='k']/@value\" newValue=\"2\"/>\n"
        "<computeChange target=\"/sbml:sbml/sbml:model/sbml:listOfSpecies/sbml:species[@id='S2']/"
        "@initialConcentration\"><listOfVariables><variable id=\"kv\" "
        "target=\"/sbml:sbml/sbml:model/"
        "sbml:listOfParameters/sbml:parameter[@id='k']\"/></listOfVariables><listOfParameters>"
        "<parameter id=\"f\" value=\"3\"/></listOfParameters>" MATH(
            "<apply><times/><ci>kv</ci><ci>f</ci></apply>") "</computeChange>\n"
                                                            "</listOfChanges></model>\n"
                                                            "<model id=\"derived\" "
                                                            "language=\"urn:sedml:language:sbml\" "
                                                            "source=\"#model\"/>"
                                                            "</listOfModels>\n"
                                                            "<listOfTasks><task id=\"task\" "
                                                            "modelReference=\"model\" "
                                                            "simulationReference=\"sim\"/>\n"
                                                            "<repeatedTask id=\"scan\" range=\"r\" "
                                                            "resetModel=\"true\"><listOfRanges>"
                                                            "<uniformRange id=\"r\" start=\"0\" "
                                                            "end=\"1\" numberOfSteps=\"4\" "
                                                            "type=\"linear\"/>"
                                                            "<vectorRange "
                                                            "id=\"vr\"><value>1</value><value>2</"
                                                            "value><value>3</value><value>4</value>"
                                                            "<value>5</value></vectorRange>"
                                                            "<functionalRange id=\"fr\" "
                                                            "range=\"r\">" MATH(
                                                                "<apply><power/><ci>r</ci><cn>2</"
                                                                "cn></apply>") "</"
                                                                               "functionalRange></"
                                                                               "listOfRanges>\n"
                                                                               "<listOfChanges><"
                                                                               "setValue "
                                                                               "target=\"/"
                                                                               "sbml:sbml/"
                                                                               "sbml:model/"
                                                                               "sbml:"
                                                                               "listOfParameters/"
                                                                               "sbml:parameter[@id="
                                                                               "'k']\" "
                                                                               "modelReference="
                                                                               "\"model\" "
                                                                               "range=\"fr\">" MATH(
                                                                                   "<ci>fr</ci>") "</setValue></listOfChanges>\n"
                                                                                                  "<listOfSubTasks><subTask order=\"2\" task=\"task\"/><subTask order=\"1\" task=\"task2\"/>"
                                                                                                  "</listOfSubTasks></repeatedTask>\n"
                                                                                                  "<task id=\"task2\" modelReference=\"derived\" simulationReference=\"step\"/></listOfTasks>\n" DGS
                                                                                                      REPORT
                                                                                                          TAIL;
    fixture fx;
    open_fixture(&fx, text);
    ck_assert_ptr_nonnull(fx.doc);
    if (sedml_errors(&fx.fs))
        dump(&fx.fs);
    ck_assert_uint_eq(sedml_errors(&fx.fs), 0);
    const tc_sedml_doc *d = fx.doc;
    ck_assert_int_eq(d->version, 4);
    ck_assert_uint_eq(d->nmodels, 2);
    ck_assert_str_eq(d->models[0].source_path, "model.xml");
    ck_assert_str_eq(tc_sedml_model_file(d, &d->models[1]), "model.xml");
    ck_assert_uint_eq(d->models[0].nchanges, 2);
    ck_assert_int_eq(d->models[0].changes[0].kind, TC_SEDML_CHANGE_ATTRIBUTE);
    ck_assert_str_eq(d->models[0].changes[0].new_value, "2");
    const tc_sedml_change *cc = &d->models[0].changes[1];
    ck_assert_int_eq(cc->kind, TC_SEDML_CHANGE_COMPUTE);
    char *s = tc_expr_to_string(cc->calc.math);
    ck_assert_str_eq(s, "kv * f");
    free(s);
    ck_assert_double_eq(cc->calc.params[0].value, 3);
    /* the namespaces in scope travel with the target */
    bool has_sbml = false;
    for (size_t i = 0; i < cc->target.nns; i++)
        has_sbml |= cc->target.ns[i].prefix && strcmp(cc->target.ns[i].prefix, "sbml") == 0;
    ck_assert(has_sbml);

    const tc_sedml_simulation *sim = tc_sedml_find_simulation(d, "sim");
    ck_assert_int_eq(sim->kind, TC_SEDML_SIM_UNIFORM_TIME_COURSE);
    ck_assert_double_eq(sim->output_start_time, 1);
    ck_assert_int_eq(sim->number_of_steps, 90);
    ck_assert_str_eq(sim->algorithm.kisao, "KISAO:0000019");
    ck_assert_str_eq(sim->algorithm.params[0].value, "1e-8");
    ck_assert_double_eq(tc_sedml_find_simulation(d, "step")->step, 0.1);
    ck_assert_int_eq(tc_sedml_find_simulation(d, "ss")->kind, TC_SEDML_SIM_STEADY_STATE);

    const tc_sedml_task *rt = tc_sedml_find_task(d, "scan");
    ck_assert_int_eq(rt->kind, TC_SEDML_REPEATED_TASK);
    ck_assert(rt->reset_model);
    ck_assert_uint_eq(rt->nranges, 3);
    ck_assert_int_eq(rt->ranges[0].number_of_steps, 4);
    ck_assert_uint_eq(rt->ranges[1].nvalues, 5);
    ck_assert_double_eq(rt->ranges[1].values[4], 5);
    ck_assert_str_eq(rt->ranges[2].range_ref, "r");
    ck_assert_str_eq(rt->changes[0].range, "fr");
    ck_assert_int_eq(rt->changes[0].kind, TC_SEDML_CHANGE_SET_VALUE);
    /* subtasks in order of their order attribute */
    ck_assert_str_eq(rt->subtasks[0].task, "task2");
    ck_assert_str_eq(rt->subtasks[1].task, "task");

    const tc_sedml_data_generator *g = tc_sedml_find_data_generator(d, "s1");
    ck_assert_str_eq(g->calc.vars[0].task_ref, "task");
    const tc_sedml_output *o = tc_sedml_find_output(d, "report");
    ck_assert_uint_eq(o->nitems, 2);
    ck_assert_str_eq(o->items[1].label, "S1");
    ck_assert_str_eq(o->items[1].x, "s1");
    close_fixture(&fx);
}
END_TEST

/* ---- broken documents: each gives its finding at its line ----------------------------- */

static const struct {
    const char *name;
    const char *text;
    const char *rule;
    const char *at; /* the finding is on the first line holding this text */
    const char *message;
} defects[] = {
    {"duplicate id",
     HEAD SIM MODELS "<listOfTasks><task id=\"sim\" modelReference=\"model\" "
                     "simulationReference=\"sim\"/></listOfTasks>" TAIL,
     "sedml:10301", "<listOfTasks>", "id 'sim' is already used on line 3"},
    {"bad SId",
     HEAD SIM "<listOfModels><model id=\"2model\" language=\"urn:sedml:language:sbml\" "
              "source=\"model.xml\"/></listOfModels>\n" TAIL,
     "sedml:10302", "2model", "id=\"2model\""},
    {"task names no model",
     HEAD SIM MODELS "<listOfTasks><task id=\"task\" modelReference=\"nope\" "
                     "simulationReference=\"sim\"/></listOfTasks>\n" TAIL,
     "sedml:21304", "nope", "names model 'nope'"},
    {"task names no simulation",
     HEAD SIM MODELS
     "<listOfTasks><task id=\"task\" "
     "modelReference=\"model\" simulationReference=\"nosim\"/></listOfTasks>\n" TAIL,
     "sedml:21305", "nosim", "names simulation 'nosim'"},
    {"zero steps",
     HEAD "<listOfSimulations>\n<uniformTimeCourse id=\"sim\" initialTime=\"0\" "
          "outputStartTime=\"0\" outputEndTime=\"1\" numberOfSteps=\"0\"><algorithm "
          "kisaoID=\"KISAO:0000019\"/></uniformTimeCourse></listOfSimulations>" TAIL,
     "sedml:21008", "<uniformTimeCourse", "has 0 steps"},
    {"output before initial time",
     HEAD
     "<listOfSimulations>\n<uniformTimeCourse id=\"sim\" "
     "initialTime=\"5\" outputStartTime=\"1\" outputEndTime=\"10\" numberOfSteps=\"10\"><algorithm "
     "kisaoID=\"KISAO:0000019\"/></uniformTimeCourse></listOfSimulations>" TAIL,
     "sedml:21051", "<uniformTimeCourse", "outputStartTime 1 is before initialTime 5"},
    {"end before start",
     HEAD "<listOfSimulations>\n<uniformTimeCourse id=\"sim\" initialTime=\"0\" "
          "outputStartTime=\"5\" outputEndTime=\"2\" numberOfSteps=\"10\"><algorithm "
          "kisaoID=\"KISAO:0000019\"/></uniformTimeCourse></listOfSimulations>" TAIL,
     "sedml:21052", "<uniformTimeCourse", "outputEndTime 2 is before outputStartTime 5"},
    {"numberOfPoints in version 4",
     HEAD
     "<listOfSimulations>\n<uniformTimeCourse id=\"sim\" "
     "initialTime=\"0\" outputStartTime=\"0\" outputEndTime=\"2\" numberOfPoints=\"10\"><algorithm "
     "kisaoID=\"KISAO:0000019\"/></uniformTimeCourse></listOfSimulations>" TAIL,
     "sedml:21050", "<uniformTimeCourse", "deprecated in Version 4"},
    {"unknown KiSAO id",
     HEAD "<listOfSimulations><uniformTimeCourse id=\"sim\" initialTime=\"0\" "
          "outputStartTime=\"0\" outputEndTime=\"2\" numberOfSteps=\"10\">\n<algorithm "
          "kisaoID=\"KISAO:9999999\"/></uniformTimeCourse></listOfSimulations>" TAIL,
     "sedml:21150", "KISAO:9999999", "not a term of KiSAO"},
    {"parameter as algorithm",
     HEAD "<listOfSimulations><uniformTimeCourse id=\"sim\" "
          "initialTime=\"0\" outputStartTime=\"0\" outputEndTime=\"2\" "
          "numberOfSteps=\"10\">\n<algorithm "
          "kisaoID=\"KISAO:0000209\"/></uniformTimeCourse></listOfSimulations>" TAIL,
     "sedml:21150", "KISAO:0000209", "is a KiSAO parameter, not an algorithm"},
    {"malformed KiSAO id",
     HEAD "<listOfSimulations><uniformTimeCourse id=\"sim\" initialTime=\"0\" "
          "outputStartTime=\"0\" outputEndTime=\"2\" numberOfSteps=\"10\">\n<algorithm "
          "kisaoID=\"CVODE\"/></uniformTimeCourse></listOfSimulations>" TAIL,
     "sedml:kisao-malformed", "CVODE", "'CVODE' is not of the form KISAO:0000000"},
    {"duplicate algorithm parameter",
     HEAD
     "<listOfSimulations><uniformTimeCourse id=\"sim\" "
     "initialTime=\"0\" outputStartTime=\"0\" outputEndTime=\"2\" numberOfSteps=\"10\"><algorithm "
     "kisaoID=\"KISAO:0000019\"><listOfAlgorithmParameters><algorithmParameter "
     "kisaoID=\"KISAO:0000209\" value=\"1\"/>\n<algorithmParameter kisaoID=\"KISAO_0000209\" "
     "value=\"2\"/></listOfAlgorithmParameters></algorithm></uniformTimeCourse></"
     "listOfSimulations>" TAIL,
     "sedml:22451", "KISAO_0000209", "already given on line 3"},
    {"variable selects nothing",
     HEAD SIM MODELS TASKS
     "<listOfDataGenerators>\n" DG("x",
                                   "/sbml:sbml/sbml:model/sbml:listOfSpecies/"
                                   "sbml:species[@id='X9']") "</listOfDataGenerators>" REPORT TAIL,
     "sedml:20753", "X9", "selects 0 nodes of model.xml"},
    {"variable selects two",
     HEAD SIM MODELS TASKS "<listOfDataGenerators>\n" DG(
         "x",
         "/sbml:sbml/sbml:model/sbml:listOfSpecies/sbml:species") "</listOfDataGenerators>" REPORT
         TAIL,
     "sedml:20753", "sbml:species\"", "selects 2 nodes"},
    {"undeclared prefix",
     "<?xml version=\"1.0\"?>\n<sedML xmlns=\"http://sed-ml.org/sed-ml/level1/"
     "version3\" level=\"1\" version=\"3\">\n" MODELS TASKS
     "<listOfDataGenerators>\n" DG("x", "/sbml:sbml/sbml:model/sbml:listOfSpecies/"
                                        "sbml:species[@id='S1']") "</listOfDataGenerators>" TAIL,
     "sedml:xpath-prefix", "species[@id='S1']", "uses the prefix 'sbml'"},
    {"math outside scope",
     HEAD SIM MODELS TASKS
     "<listOfDataGenerators><dataGenerator id=\"g\">"
     "<listOfVariables><variable id=\"a\" taskReference=\"task\" symbol=\"urn:sedml:symbol:time\"/>"
     "</listOfVariables>\n<math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply><plus/>"
     "<ci>a</ci><ci>b</ci></apply></math></dataGenerator></listOfDataGenerators>" TAIL,
     "sedml:10215", "<ci>b", "uses 'b'"},
    {"unsupported MathML",
     HEAD SIM MODELS TASKS
     "<listOfDataGenerators><dataGenerator id=\"g\">"
     "<listOfVariables><variable id=\"a\" taskReference=\"task\" symbol=\"urn:sedml:symbol:time\"/>"
     "</listOfVariables><math xmlns=\"http://www.w3.org/1998/Math/MathML\"><apply>\n<diff/>"
     "<ci>a</ci></apply></math></dataGenerator></listOfDataGenerators>" TAIL,
     "sedml:10202", "<diff/>", "<diff> is not in the subset"},
    {"wrong arity",
     HEAD SIM MODELS TASKS
     "<listOfDataGenerators><dataGenerator id=\"g\">"
     "<listOfVariables><variable id=\"a\" taskReference=\"task\" symbol=\"urn:sedml:symbol:time\"/>"
     "</listOfVariables><math xmlns=\"http://www.w3.org/1998/Math/MathML\">\n<apply><divide/>"
     "<ci>a</ci></apply></math></dataGenerator></listOfDataGenerators>" TAIL,
     "sedml:10218", "<divide/>", "<divide> takes 2 arguments, not 1"},
    {"circular model",
     HEAD SIM "<listOfModels>\n<model id=\"a\" language=\"urn:sedml:language:sbml\" "
              "source=\"#b\"/><model id=\"b\" language=\"urn:sedml:language:sbml\" source=\"#a\"/>"
              "</listOfModels>" TAIL,
     "sedml:20350", "<model id=\"a\"", "model 'a' derives from itself"},
    {"missing model file",
     HEAD SIM "<listOfModels>\n<model id=\"a\" "
              "language=\"urn:sedml:language:sbml\" source=\"other.xml\"/></listOfModels>" TAIL,
     "sedml:20352", "other.xml", "which is not a file of the package"},
    {"model outside the package",
     HEAD SIM "<listOfModels>\n<model id=\"a\" "
              "language=\"urn:sedml:language:sbml\" source=\"../x.xml\"/></listOfModels>" TAIL,
     "sedml:20352", "x.xml", "outside the package"},
    {"offline model",
     HEAD SIM "<listOfModels>\n<model id=\"a\" language=\"urn:sedml:language:sbml\" "
              "source=\"urn:miriam:biomodels.db:BIOMD0000000012\"/></listOfModels>" TAIL,
     "sedml:model-source-offline", "urn:miriam", "cannot be read offline"},
    {"language mismatch",
     HEAD SIM "<listOfModels>\n<model id=\"a\" "
              "language=\"urn:sedml:language:cellml\" source=\"model.xml\"/></listOfModels>" TAIL,
     "sedml:20353", "cellml", "language is urn:sedml:language:cellml but model.xml is sbml"},
    {"unknown language",
     HEAD SIM "<listOfModels>\n<model id=\"a\" language=\"text/x-model\" "
              "source=\"model.xml\"/></listOfModels>" TAIL,
     "sedml:language-unknown", "text/x-model", "not a SED-ML language URN"},
    {"changeAttribute on an element",
     HEAD SIM
     "<listOfModels><model id=\"model\" "
     "language=\"urn:sedml:language:sbml\" source=\"model.xml\"><listOfChanges>\n<changeAttribute "
     "target=\"/sbml:sbml/sbml:model\" "
     "newValue=\"1\"/></listOfChanges></model></listOfModels>" TAIL,
     "sedml:20650", "<changeAttribute", "must select exactly one attribute"},
    {"repeated task contains itself",
     HEAD SIM MODELS
     "<listOfTasks>\n<repeatedTask id=\"rt\" "
     "range=\"r\" resetModel=\"false\"><listOfRanges><vectorRange id=\"r\"><value>1</value>"
     "</vectorRange></listOfRanges><listOfSubTasks><subTask order=\"1\" task=\"rt\"/>"
     "</listOfSubTasks></repeatedTask></listOfTasks>" TAIL,
     "sedml:23550", "<repeatedTask", "contains itself"},
    {"range shorter than the master",
     HEAD SIM MODELS
     "<listOfTasks><task id=\"task\" "
     "modelReference=\"model\" simulationReference=\"sim\"/><repeatedTask id=\"rt\" range=\"r\" "
     "resetModel=\"false\"><listOfRanges><uniformRange id=\"r\" start=\"0\" end=\"1\" "
     "numberOfSteps=\"4\" type=\"linear\"/>\n<vectorRange id=\"short\"><value>1</value>"
     "</vectorRange></listOfRanges><listOfSubTasks><subTask order=\"1\" task=\"task\"/>"
     "</listOfSubTasks></repeatedTask></listOfTasks>" TAIL,
     "sedml:23553", "\"short\"", "range 'short' has 1 values but the task's range 'r' has 5"},
    {"dataSet names no generator",
     HEAD SIM MODELS TASKS DGS
     "<listOfOutputs><report id=\"rep\">"
     "<listOfDataSets>\n<dataSet id=\"ds\" label=\"x\" dataReference=\"ghost\"/></listOfDataSets>"
     "</report></listOfOutputs>" TAIL,
     "sedml:22205", "ghost", "'ghost' is not a dataGenerator"},
    {"duplicate labels",
     HEAD SIM MODELS TASKS DGS
     "<listOfOutputs><report id=\"rep\">"
     "<listOfDataSets><dataSet id=\"a\" label=\"x\" dataReference=\"time\"/>\n<dataSet id=\"b\" "
     "label=\"x\" dataReference=\"s1\"/></listOfDataSets></report></listOfOutputs>" TAIL,
     "sedml:22250", "id=\"b\"", "already has a dataSet labelled 'x'"},
    {"curve names no generator",
     HEAD SIM MODELS TASKS DGS
     "<listOfOutputs><plot2D id=\"p\">"
     "<listOfCurves>\n<curve id=\"c\" xDataReference=\"time\" yDataReference=\"ghost\"/>"
     "</listOfCurves></plot2D></listOfOutputs>" TAIL,
     "sedml:21904", "ghost", "yDataReference 'ghost'"},
    {"wrong child in a list", HEAD SIM "<listOfModels>\n<task id=\"t\"/></listOfModels>" TAIL,
     "sedml:20207", "<task", "<listOfModels> cannot hold <task>"},
    {"no outputs", HEAD SIM MODELS TASKS TAIL, "sedml:20250", NULL, "has no output"},
    {"not SED-ML",
     "<?xml version=\"1.0\"?>\n<sedML xmlns=\"http://example.org/\" level=\"1\" "
     "version=\"4\"/>\n",
     "sedml:10101", "<sedML", "SED-ML needs <sedML>"},
    {"namespace and version disagree",
     "<?xml version=\"1.0\"?>\n<sedML "
     "xmlns=\"http://sed-ml.org/sed-ml/level1/version3\" level=\"1\" version=\"4\"/>\n",
     "sedml:10102", "<sedML", "Level 1 Version 3, but the document says level 1 version 4"},
};

static long line_of(const char *text, const char *needle)
{
    if (!needle)
        return 0;
    const char *p = strstr(text, needle);
    ck_assert_msg(p != NULL, "'%s' not in the test document", needle);
    long line = 1;
    for (const char *q = text; q < p; q++)
        line += *q == '\n';
    return line;
}

START_TEST(test_defects)
{
    fixture fx;
    open_fixture(&fx, defects[_i].text);
    long want = line_of(defects[_i].text, defects[_i].at);
    bool found = false;
    for (size_t i = 0; i < fx.fs.len && !found; i++) {
        const tc_finding *f = &fx.fs.items[i];
        found = strcmp(f->rule, defects[_i].rule) == 0 && f->file &&
                strcmp(f->file, "simulation.sedml") == 0 && f->line == want &&
                strstr(f->message, defects[_i].message) != NULL;
    }
    if (!found)
        dump(&fx.fs);
    ck_assert_msg(found, "%s: no %s at line %ld with '%s'", defects[_i].name, defects[_i].rule,
                  want, defects[_i].message);
    close_fixture(&fx);
}
END_TEST

/* ---- MathML ---------------------------------------------------------------------- */

static tc_expr *math_of(const char *body, tc_findings *fs)
{
    char *text = tc_xasprintf("<math xmlns=\"http://www.w3.org/1998/Math/MathML\">%s</math>", body);
    xmlDocPtr doc = tc_xml_read(text, strlen(text), "m", NULL, NULL);
    ck_assert_ptr_nonnull(doc);
    tc_expr *e = tc_sedml_mathml(xmlDocGetRootElement(doc), "m.xml", fs);
    xmlFreeDoc(doc);
    free(text);
    return e;
}

static const struct {
    const char *mathml;
    const char *infix;
} maths[] = {
    {"<apply><log/><ci>x</ci></apply>", "log(10, x)"},
    {"<apply><root/><degree><cn>3</cn></degree><ci>x</ci></apply>", "root(3, x)"},
    {"<cn type=\"e-notation\">1.5<sep/>3</cn>", "1500"},
    {"<cn type=\"rational\">1<sep/>4</cn>", "0.25"},
    {"<apply><minus/><ci>x</ci></apply>", "-x"},
    {"<piecewise><piece><cn>1</cn><apply><lt/><ci>t</ci><cn>2</cn></apply></piece>"
     "<otherwise><cn>0</cn></otherwise></piecewise>",
     "piecewise(1, t < 2, 0)"},
    {"<apply><csymbol definitionURL=\"http://sed-ml.org/functions/#normal\"/><cn>0</cn><cn>1</cn>"
     "</apply>",
     "http://sed-ml.org/functions/#normal(0, 1)"},
};

START_TEST(test_mathml)
{
    tc_findings fs;
    tc_findings_init(&fs);
    tc_expr *e = math_of(maths[_i].mathml, &fs);
    if (!e)
        dump(&fs);
    ck_assert_ptr_nonnull(e);
    char *s = tc_expr_to_string(e);
    ck_assert_str_eq(s, maths[_i].infix);
    free(s);
    tc_expr_free(e);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_mathml_bad_number)
{
    tc_findings fs;
    tc_findings_init(&fs);
    ck_assert_ptr_null(math_of("<cn type=\"integer\">12abc</cn>", &fs));
    const tc_finding *f = tc_test_find(&fs, "sedml:10207", "m.xml");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(strstr(f->message, "'12abc', not a number"));
    tc_findings_release(&fs);
}
END_TEST

/* ---- KiSAO ------------------------------------------------------------------------- */

START_TEST(test_kisao_table)
{
    char norm[14];
    ck_assert(tc_kisao_normalize("KISAO:0000019", norm));
    ck_assert_str_eq(norm, "KISAO_0000019");
    ck_assert(tc_kisao_normalize("http://www.biomodels.net/kisao/KISAO#KISAO_0000019", norm));
    ck_assert(!tc_kisao_normalize("KISAO:19", norm));
    ck_assert(!tc_kisao_normalize("KISAO:00000190", norm));
    const tc_kisao_term *t = tc_kisao_find("KISAO:0000019");
    ck_assert_ptr_nonnull(t);
    ck_assert_str_eq(t->name, "CVODE");
    ck_assert_str_eq(t->parents, "KISAO_0000433");
    ck_assert_int_eq(t->kind, TC_KISAO_ALGORITHM);
    ck_assert(t->flags & TC_KISAO_ODE);
    t = tc_kisao_find("KISAO:0000029");
    ck_assert_str_eq(t->name, "Gillespie direct algorithm");
    ck_assert(t->flags & TC_KISAO_STOCHASTIC);
    t = tc_kisao_find("KISAO:0000030");
    ck_assert(t->flags & TC_KISAO_EXPLICIT);
    ck_assert_int_eq(tc_kisao_find("KISAO:0000209")->kind, TC_KISAO_PARAMETER);
    ck_assert_ptr_null(tc_kisao_find("KISAO:9999999"));
}
END_TEST

static const struct {
    const char *id;
    tc_integrator integrator;
    const char *text;
} mappings[] = {
    {"KISAO:0000019", TC_INTEGRATOR_BDF,
     "KISAO_0000019 (CVODE) run with bdf (implicit "
     "variable-order BDF)"},
    {"KISAO:0000087", TC_INTEGRATOR_RK45,
     "KISAO_0000087 (Dormand-Prince method) run with rk45 "
     "(explicit Dormand-Prince 5(4))"},
    {"KISAO:0000088", TC_INTEGRATOR_BDF,
     "KISAO_0000088 (LSODA) run with bdf (implicit "
     "variable-order BDF) as the closest available integrator"},
    {"KISAO:0000030", TC_INTEGRATOR_RK45, "(Euler forward method) run with rk45"},
    {"KISAO:0000031", TC_INTEGRATOR_BDF, "(Euler backward method) run with bdf"},
    {"KISAO:0000283", TC_INTEGRATOR_BDF, "(IDA) run with bdf"},
    {"KISAO:0000027", TC_INTEGRATOR_NONE, "is stochastic"},
    {"KISAO:0000029", TC_INTEGRATOR_NONE, "is stochastic"},
    {"KISAO:0000241", TC_INTEGRATOR_NONE, "is stochastic"},
    {"KISAO:0000568", TC_INTEGRATOR_NONE, "(NLEQ1) is a steady-state method"},
    {"KISAO:0000437", TC_INTEGRATOR_NONE, "steady-state"},
    {"KISAO:0000209", TC_INTEGRATOR_NONE, "is a KiSAO parameter, not an algorithm"},
    {"KISAO:9999999", TC_INTEGRATOR_NONE, "is not a KiSAO term"},
    {"CVODE", TC_INTEGRATOR_NONE, "'CVODE' is not a KiSAO id"},
    {NULL, TC_INTEGRATOR_NONE, "'(none)' is not a KiSAO id"},
};

START_TEST(test_kisao_mapping)
{
    tc_kisao_mapping m;
    tc_kisao_map(mappings[_i].id, &m);
    ck_assert_msg(m.integrator == mappings[_i].integrator, "%s: %s",
                  mappings[_i].id ? mappings[_i].id : "NULL", m.text);
    ck_assert_msg(strstr(m.text, mappings[_i].text) != NULL, "'%s' lacks '%s'", m.text,
                  mappings[_i].text);
    free(m.text);
}
END_TEST

/* Every stochastic algorithm of the table maps to no integrator. */
START_TEST(test_kisao_never_stochastic_to_ode)
{
    static const char *const stochastic[] = {"KISAO:0000003", "KISAO:0000015", "KISAO:0000038",
                                             "KISAO:0000333", "KISAO:0000586", "KISAO:0000610"};
    for (size_t i = 0; i < sizeof stochastic / sizeof *stochastic; i++) {
        tc_kisao_mapping m;
        tc_kisao_map(stochastic[i], &m);
        ck_assert_msg(m.integrator == TC_INTEGRATOR_NONE, "%s mapped: %s", stochastic[i], m.text);
        ck_assert_ptr_nonnull(strstr(m.text, "not verifiable"));
        free(m.text);
    }
}
END_TEST

/* ---- the published SED-ML examples ----------------------------------------------------- */

/* The sedml errors each archive really has; every other sedml error is a bug.
 * - parameter-scan-2d: three variables reuse ids of data generators (MKK_PP_1,
 *   MKK, MKK_P); ids are global in SED-ML (L1V3 section 2.1.2, L1V4 rule 10301).
 * - xpath-prefix: the targets use the prefix "sbml" but the document does not
 *   declare it (L1V4 section 3.4: prefixes must be declared in the SED-ML
 *   document); reported once per document.
 * - repressilator: its SED-ML file starts with "?xml" (the "<" is missing), so it
 *   is not XML (xml:not-well-formed) and is not read as SED-ML at all. */
static const struct {
    const char *archive;
    const char *errors; /* space-separated "rule*count" */
} archives[] = {
    {"L1V4_ikappab.omex", ""},
    {"L1V4_leloup-sbml.omex", ""},
    {"L1V4_lorenz-cellml.omex", ""},
    {"L1V4_lorenz-sbml.omex", "sedml:xpath-prefix*1"},
    {"L1V4_oscli-nested-pulse.omex", "sedml:xpath-prefix*1"},
    {"L1V4_parameter-scan-2d.omex", "sedml:10301*3 sedml:xpath-prefix*1"},
    {"L1V4_plotting-data-csv.omex", "sedml:xpath-prefix*1"},
    {"L1V4_plotting-data-numl.omex", ""},
    {"L1V4_repeated-scan-oscli.omex", "sedml:xpath-prefix*1"},
    {"L1V4_repeated-steady-scan-oscli.omex", "sedml:xpath-prefix*1"},
    {"L1V4_repeated-stochastic-runs.omex", "sedml:xpath-prefix*1"},
    {"L1V4_repressilator.omex", ""},
    {"L1V4_vanderpol-cellml.omex", ""},
    {"L1V4_vanderpol-sbml.omex", "sedml:xpath-prefix*1"},
};

START_TEST(test_published_archives)
{
    const char *shared = tc_test_shared();
    if (!shared) {
        fprintf(stderr, "skipped: ../shared is absent (SED-ML example archives)\n");
        return;
    }
    char *path = tc_xasprintf("%s/testsuites/sedml-l1v4-examples/%s", shared, archives[_i].archive);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_package *pkg = NULL;
    tc_limits limits = TC_LIMITS_DEFAULT;
    ck_assert_int_eq(tc_package_open(&pkg, path, &limits, &fs), 0);
    size_t docs = 0;
    for (size_t i = 0; i < pkg->nfiles; i++)
        docs += pkg->files[i].kind == TC_KIND_SEDML;
    ck_assert_uint_ge(docs, 1);
    tc_sedml_check_package(pkg, &fs);
    /* tally sedml errors by rule and compare with the expected list */
    tc_buf got = TC_BUF_INIT;
    tc_buf_puts(&got, "");
    const char *rules[8] = {0};
    size_t counts[8] = {0}, nrules = 0;
    for (size_t i = 0; i < fs.len; i++) {
        const tc_finding *f = &fs.items[i];
        if (strncmp(f->rule, "sedml:", 6) != 0 || f->severity < TC_ERROR)
            continue;
        size_t k = 0;
        while (k < nrules && strcmp(rules[k], f->rule) != 0)
            k++;
        if (k == nrules && nrules < 8)
            rules[nrules++] = f->rule;
        if (k < 8)
            counts[k]++;
    }
    /* sort the tally by rule for a stable string */
    for (size_t a = 0; a < nrules; a++)
        for (size_t b = a + 1; b < nrules; b++)
            if (strcmp(rules[b], rules[a]) < 0) {
                const char *tr = rules[a];
                rules[a] = rules[b];
                rules[b] = tr;
                size_t tn = counts[a];
                counts[a] = counts[b];
                counts[b] = tn;
            }
    for (size_t k = 0; k < nrules; k++)
        tc_buf_printf(&got, "%s%s*%zu", k ? " " : "", rules[k], counts[k]);
    if (strcmp(got.data, archives[_i].errors) != 0)
        dump(&fs);
    ck_assert_str_eq(got.data, archives[_i].errors);
    tc_buf_release(&got);
    tc_package_free(pkg);
    tc_findings_release(&fs);
    free(path);
}
END_TEST

Suite *sedml_suite(void)
{
    Suite *s = suite_create("sedml");
    TCase *tc = tcase_create("read");
    tcase_add_test(tc, test_read_complete);
    tcase_add_loop_test(tc, test_defects, 0, (int)(sizeof defects / sizeof *defects));
    suite_add_tcase(s, tc);
    tc = tcase_create("mathml");
    tcase_add_loop_test(tc, test_mathml, 0, (int)(sizeof maths / sizeof *maths));
    tcase_add_test(tc, test_mathml_bad_number);
    suite_add_tcase(s, tc);
    tc = tcase_create("kisao");
    tcase_add_test(tc, test_kisao_table);
    tcase_add_loop_test(tc, test_kisao_mapping, 0, (int)(sizeof mappings / sizeof *mappings));
    tcase_add_test(tc, test_kisao_never_stochastic_to_ode);
    suite_add_tcase(s, tc);
    tc = tcase_create("published");
    tcase_set_timeout(tc, 60);
    tcase_add_loop_test(tc, test_published_archives, 0, (int)(sizeof archives / sizeof *archives));
    suite_add_tcase(s, tc);
    return s;
}
