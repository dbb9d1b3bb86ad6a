/* sbml comp: flattening composed models into core models, and the comp rules met on
 * the way. */
#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../testutil.h"
#include "sbml/sbml.h"

#define HEAD                                                                                      \
    "<?xml version=\"1.0\"?>\n"                                                                   \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" level=\"3\" version=\"1\"\n"   \
    " xmlns:comp=\"http://www.sbml.org/sbml/level3/version1/comp/version1\" "                     \
    "comp:required=\"true\">\n"
#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"

/* A definition with a compartment, two species, a rate parameter and a reaction; the
 * main model replaces the compartment (conversion factor cf), deletes species B and
 * scales time by tf. */
static const char composed[] =
    HEAD "<model id=\"top\">\n" /* line 4 */
    "<listOfCompartments><compartment id=\"cell\" size=\"2\" constant=\"true\">\n"
    "<comp:listOfReplacedElements><comp:replacedElement comp:submodelRef=\"A\" "
    "comp:idRef=\"C\" comp:conversionFactor=\"cf\"/></comp:listOfReplacedElements>\n"
    "</compartment></listOfCompartments>\n"
    "<listOfParameters><parameter id=\"cf\" value=\"1000\" constant=\"true\"/>\n"
    "<parameter id=\"tf\" value=\"60\" constant=\"true\"/></listOfParameters>\n"
    "<comp:listOfSubmodels><comp:submodel comp:id=\"A\" comp:modelRef=\"def\" "
    "comp:timeConversionFactor=\"tf\">\n"
    "<comp:listOfDeletions><comp:deletion comp:portRef=\"B_port\"/></comp:listOfDeletions>\n"
    "</comp:submodel></comp:listOfSubmodels>\n"
    "</model>\n"
    "<comp:listOfModelDefinitions><comp:modelDefinition id=\"def\">\n"
    "<listOfCompartments><compartment id=\"C\" size=\"1\" constant=\"true\"/></listOfCompartments>\n"
    "<listOfSpecies>\n"
    "<species id=\"S\" compartment=\"C\" initialAmount=\"1\" hasOnlySubstanceUnits=\"true\" "
    "boundaryCondition=\"false\" constant=\"false\"/>\n"
    "<species id=\"B\" compartment=\"C\" initialAmount=\"1\" hasOnlySubstanceUnits=\"true\" "
    "boundaryCondition=\"false\" constant=\"false\"/>\n"
    "</listOfSpecies>\n"
    "<listOfParameters><parameter id=\"k\" value=\"0.1\" constant=\"true\"/></listOfParameters>\n"
    "<listOfRules><rateRule variable=\"S\">" MATHML
    "<apply><times/><ci>k</ci><ci>C</ci></apply></math></rateRule></listOfRules>\n"
    "<comp:listOfPorts><comp:port comp:id=\"B_port\" comp:idRef=\"B\"/></comp:listOfPorts>\n"
    "</comp:modelDefinition></comp:listOfModelDefinitions>\n"
    "</sbml>\n";

static tc_sbml_doc *read_doc(const char *text, tc_findings *fs)
{
    tc_findings_init(fs);
    tc_sbml_doc *doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, text, strlen(text), "m.xml", fs), 0);
    return doc;
}

START_TEST(test_flatten_renames_replaces_deletes_and_scales)
{
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(composed, &fs);
    ck_assert(tc_sbml_uses_comp(doc));
    ck_assert_int_eq(tc_sbml_flatten(doc, NULL, &fs), 0);
    const tc_sbml_model *m = doc->model;
    /* the replaced compartment is gone; its species now live in "cell" */
    ck_assert_uint_eq(m->ncompartments, 1);
    ck_assert_str_eq(m->compartments[0].b.id, "cell");
    /* B was deleted through its port; S renamed with the submodel's prefix */
    ck_assert_uint_eq(m->nspecies, 1);
    ck_assert_str_eq(m->species[0].b.id, "A__S");
    ck_assert_str_eq(m->species[0].compartment, "cell");
    ck_assert_uint_eq(m->nparameters, 3);
    ck_assert_str_eq(m->parameters[2].b.id, "A__k");
    /* references to C become cell / cf; the rate is divided by the time factor */
    ck_assert_uint_eq(m->nrules, 1);
    ck_assert_str_eq(m->rules[0].variable, "A__S");
    char *s = tc_expr_to_string(m->rules[0].math.expr);
    ck_assert_str_eq(s, "A__k * cell / cf / tf"); /* (A__k * (cell / cf)) / tf */
    free(s);
    /* the flat model is a core model: no package left, and it validates cleanly */
    tc_sbml_validate(doc, &fs);
    for (size_t i = 0; i < fs.len; i++)
        ck_assert_msg(fs.items[i].severity < TC_ERROR && strcmp(fs.items[i].rule, "sbml:99107"),
                      "unexpected %s: %s", fs.items[i].rule, fs.items[i].message);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

/* A species of the main model replaced by the submodel's (replacedBy): the submodel's
 * species takes its place and its identity (id and metaid), and references to either
 * name it so; the owner is gone. */
static const char replaced_by[] =
    HEAD "<model id=\"top\">\n"
    "<listOfCompartments><compartment id=\"C\" size=\"1\" constant=\"true\"/>"
    "</listOfCompartments>\n"
    "<listOfSpecies><species id=\"s1\" metaid=\"m_s1\" compartment=\"C\" "
    "initialAmount=\"5\" hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" "
    "constant=\"false\">\n"
    "<comp:replacedBy comp:submodelRef=\"sub1\" comp:idRef=\"s1\"/></species>"
    "</listOfSpecies>\n"
    "<listOfParameters><parameter id=\"twice\" constant=\"false\"/></listOfParameters>\n"
    "<listOfRules><assignmentRule variable=\"twice\">" MATHML
    "<apply><times/><cn>2</cn><ci>s1</ci></apply></math></assignmentRule></listOfRules>\n"
    "<comp:listOfSubmodels><comp:submodel comp:id=\"sub1\" comp:modelRef=\"def\"/>"
    "</comp:listOfSubmodels>\n"
    "</model>\n"
    "<comp:listOfModelDefinitions><comp:modelDefinition id=\"def\">\n"
    "<listOfCompartments><compartment id=\"D\" size=\"1\" constant=\"true\"/>"
    "</listOfCompartments>\n"
    "<listOfSpecies><species id=\"s1\" compartment=\"D\" initialAmount=\"3\" "
    "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
    "</listOfSpecies>\n"
    "<listOfParameters><parameter id=\"k\" value=\"0.5\" constant=\"true\"/></listOfParameters>\n"
    "<listOfRules><rateRule variable=\"s1\">" MATHML
    "<apply><times/><ci>k</ci><ci>s1</ci></apply></math></rateRule></listOfRules>\n"
    "</comp:modelDefinition></comp:listOfModelDefinitions>\n"
    "</sbml>\n";

START_TEST(test_flatten_replaced_by_keeps_the_owner_identity)
{
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(replaced_by, &fs);
    ck_assert_int_eq(tc_sbml_flatten(doc, NULL, &fs), 0);
    const tc_sbml_model *m = doc->model;
    /* one species: the submodel's (initial amount 3), under the owner's id and metaid */
    ck_assert_uint_eq(m->nspecies, 1);
    ck_assert_str_eq(m->species[0].b.id, "s1");
    ck_assert_str_eq(m->species[0].b.metaid, "m_s1");
    ck_assert_double_eq(m->species[0].initial_amount.v, 3);
    ck_assert_str_eq(m->species[0].compartment, "sub1__D");
    /* the submodel's rate rule and the main model's assignment both name it s1 */
    ck_assert_uint_eq(m->nrules, 2);
    for (size_t i = 0; i < m->nrules; i++) {
        char *e = tc_expr_to_string(m->rules[i].math.expr);
        if (strcmp(m->rules[i].variable, "twice") == 0)
            ck_assert_str_eq(e, "2 * s1");
        else
            ck_assert_str_eq(e, "sub1__k * s1");
        free(e);
    }
    for (size_t i = 0; i < fs.len; i++)
        ck_assert_msg(fs.items[i].severity < TC_ERROR, "unexpected %s: %s", fs.items[i].rule,
                      fs.items[i].message);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

/* A replacedBy through two levels: inside sub2, p4 is replaced by sub1's p8 (which
 * takes the name p4); the main model's p2 is replaced by sub2/sub1/p8, the same
 * element, found by the name it had before. */
static const char nested_replaced_by[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<sbml xmlns:comp=\"http://www.sbml.org/sbml/level3/version1/comp/version1\" "
    "xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\" "
    "comp:required=\"true\">\n"
    "  <model id=\"top\">\n"
    "    <listOfParameters>\n"
    "      <parameter id=\"p2\" value=\"2\" constant=\"false\">\n"
    "        <comp:replacedBy comp:idRef=\"sub1\" comp:submodelRef=\"sub2\">\n"
    "          <comp:sBaseRef comp:idRef=\"p8\"/>\n"
    "        </comp:replacedBy>\n"
    "      </parameter>\n"
    "    </listOfParameters>\n"
    "    <comp:listOfSubmodels>\n"
    "      <comp:submodel comp:id=\"sub2\" comp:modelRef=\"outer\"/>\n"
    "    </comp:listOfSubmodels>\n"
    "  </model>\n"
    "  <comp:listOfModelDefinitions>\n"
    "    <comp:modelDefinition id=\"inner\">\n"
    "      <listOfParameters>\n"
    "        <parameter id=\"p8\" value=\"8\" constant=\"false\"/>\n"
    "      </listOfParameters>\n"
    "    </comp:modelDefinition>\n"
    "    <comp:modelDefinition id=\"outer\">\n"
    "      <listOfParameters>\n"
    "        <parameter id=\"p4\" value=\"4\" constant=\"false\">\n"
    "          <comp:replacedBy comp:idRef=\"p8\" comp:submodelRef=\"sub1\"/>\n"
    "        </parameter>\n"
    "      </listOfParameters>\n"
    "      <comp:listOfSubmodels>\n"
    "        <comp:submodel comp:id=\"sub1\" comp:modelRef=\"inner\"/>\n"
    "      </comp:listOfSubmodels>\n"
    "    </comp:modelDefinition>\n"
    "  </comp:listOfModelDefinitions>\n"
    "</sbml>\n";

START_TEST(test_flatten_nested_replaced_by_finds_the_former_name)
{
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(nested_replaced_by, &fs);
    ck_assert_int_eq(tc_sbml_flatten(doc, NULL, &fs), 0);
    const tc_sbml_model *m = doc->model;
    /* one parameter left: sub1's p8 (value 8), under the top owner's id */
    ck_assert_uint_eq(m->nparameters, 1);
    ck_assert_str_eq(m->parameters[0].b.id, "p2");
    ck_assert_double_eq(m->parameters[0].value.v, 8);
    for (size_t i = 0; i < fs.len; i++)
        ck_assert_msg(fs.items[i].severity < TC_ERROR, "unexpected %s: %s", fs.items[i].rule,
                      fs.items[i].message);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

START_TEST(test_flatten_reports_broken_references)
{
    char *bad = tc_xstrdup(composed);
    char *p = strstr(bad, "comp:idRef=\"C\"");
    memcpy(p, "comp:idRef=\"Q\"", 14);
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(bad, &fs);
    ck_assert_int_lt(tc_sbml_flatten(doc, NULL, &fs), 0);
    bool found = false;
    for (size_t i = 0; i < fs.len; i++)
        if (strcmp(fs.items[i].rule, "sbml:comp-20702") == 0 && fs.items[i].line == 6 &&
            strstr(fs.items[i].message, "\"Q\" is not in submodel \"A\""))
            found = true;
    for (size_t i = 0; !found && i < fs.len; i++)
        fprintf(stderr, "  have %s line %ld: %s\n", fs.items[i].rule, fs.items[i].line,
                fs.items[i].message);
    ck_assert_msg(found, "no comp-20702 on line 6");
    /* the document stays as written */
    ck_assert_uint_eq(doc->model->ncompartments, 1);
    ck_assert_str_eq(doc->model->compartments[0].b.id, "cell");
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
    free(bad);
}
END_TEST

/* A composition of `levels` model definitions m1..mN, each instantiating the one before
 * twice, under a model instantiating mN; m0 holds `params` parameters. */
static char *doubling_composition(int levels, int params)
{
    tc_buf d = TC_BUF_INIT;
    tc_buf_printf(&d,
                  "<?xml version=\"1.0\"?>\n<sbml "
                  "xmlns=\"http://www.sbml.org/sbml/level3/version1/core\" "
                  "xmlns:comp=\"http://www.sbml.org/sbml/level3/version1/comp/version1\" "
                  "level=\"3\" version=\"1\" comp:required=\"true\">\n"
                  "<model id=\"top\"><comp:listOfSubmodels><comp:submodel comp:id=\"s\" "
                  "comp:modelRef=\"m%d\"/></comp:listOfSubmodels></model>\n"
                  "<comp:listOfModelDefinitions>\n"
                  "<comp:modelDefinition id=\"m0\"><listOfParameters>",
                  levels);
    for (int i = 0; i < params; i++)
        tc_buf_printf(&d, "<parameter id=\"p%d\" value=\"1\" constant=\"true\"/>", i);
    tc_buf_puts(&d, "</listOfParameters></comp:modelDefinition>\n");
    for (int i = 1; i <= levels; i++)
        tc_buf_printf(&d,
                      "<comp:modelDefinition id=\"m%d\"><comp:listOfSubmodels>"
                      "<comp:submodel comp:id=\"a\" comp:modelRef=\"m%d\"/>"
                      "<comp:submodel comp:id=\"b\" comp:modelRef=\"m%d\"/>"
                      "</comp:listOfSubmodels></comp:modelDefinition>\n",
                      i, i - 1, i - 1);
    tc_buf_puts(&d, "</comp:listOfModelDefinitions>\n</sbml>\n");
    return tc_buf_detach(&d);
}

/* Flattening `text` fails with exactly one comp-20617 finding, on `line`, saying `message`. */
static void expect_one_20617(const char *text, long line, const char *message)
{
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(text, &fs);
    ck_assert_int_lt(tc_sbml_flatten(doc, NULL, &fs), 0);
    ck_assert_uint_eq(fs.len, 1);
    ck_assert_str_eq(fs.items[0].rule, "sbml:comp-20617");
    ck_assert_int_eq(fs.items[0].line, line);
    ck_assert_str_eq(fs.items[0].message, message);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}

/* Too deep a nesting is refused once, not once for each of the 2^15 instances that reach
 * it; and 2^13 instances of a definition of 1000 parameters are refused from the
 * definitions' sizes, before anything is copied. (Renaming inside a large flattened
 * submodel is a hash look-up, not a scan of every rename.) */
START_TEST(test_deep_instantiation_reported_once)
{
    char *deep = doubling_composition(30, 1);
    expect_one_20617(deep, 20, "submodels are nested more than 16 deep");
    free(deep);
    char *wide = doubling_composition(13, 1000);
    expect_one_20617(wide, 3,
                     "the flattened model would have more than 1000000 elements: its submodels "
                     "instantiate model definitions too many times");
    free(wide);
}
END_TEST

/* A model checked on its own finds its external files in its folder; a problem inside
 * an external file is reported at the reference in the model, saying where it is. */
START_TEST(test_single_file_resolves_its_folder)
{
    char dir[] = "/tmp/tc-comp-unit-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const char *main_text = HEAD "<model id=\"top\">\n"
                                 "<comp:listOfSubmodels><comp:submodel comp:id=\"A\" "
                                 "comp:modelRef=\"ext\"/></comp:listOfSubmodels>\n"
                                 "</model>\n"
                                 "<comp:listOfExternalModelDefinitions>\n"
                                 "<comp:externalModelDefinition comp:id=\"ext\" "
                                 "comp:source=\"ext.xml\" comp:modelRef=\"inner\"/>\n"
                                 "</comp:listOfExternalModelDefinitions>\n"
                                 "</sbml>\n";
    const char *good = HEAD "<model id=\"inner\"/>\n</sbml>\n";
    const char *bad = HEAD "<model id=\"other\"/>\n"
                           "<comp:listOfExternalModelDefinitions>\n"
                           "<comp:externalModelDefinition comp:id=\"inner\" "
                           "comp:source=\"missing.xml\"/>\n"
                           "</comp:listOfExternalModelDefinitions>\n"
                           "</sbml>\n";
    char *m = tc_xasprintf("%s/main.xml", dir), *e = tc_xasprintf("%s/ext.xml", dir);
    ck_assert_int_eq(tc_write_file(m, main_text, strlen(main_text)), 0);
    ck_assert_int_eq(tc_write_file(e, good, strlen(good)), 0);
    char *out = NULL;
    tc_test_run(&out, "validate", m, NULL);
    ck_assert_msg(!strstr(out, "comp-20304"), "%s", out);
    free(out);

    ck_assert_int_eq(tc_write_file(e, bad, strlen(bad)), 0);
    ck_assert_int_eq(tc_test_run(&out, "validate", m, NULL), 1);
    char *want = tc_xasprintf(
        "%s:8: error: the external model file \"missing.xml\" cannot be found inside the "
        "package or the model's folder (in the external file \"ext.xml\", line 6, which this "
        "model uses) [sbml:comp-20304]",
        m);
    ck_assert_msg(strstr(out, want), "%s", out);
    free(want);
    free(out);

    /* an external file is read with the same limits as any document: no entity bombs */
    const char *bomb = "<?xml version=\"1.0\"?>\n<!DOCTYPE sbml [<!ENTITY a \"&b;\">"
                       "<!ENTITY b \"&a;\">]>\n<sbml>&a;</sbml>\n";
    ck_assert_int_eq(tc_write_file(e, bomb, strlen(bomb)), 0);
    ck_assert_int_eq(tc_test_run(&out, "validate", m, NULL), 1);
    ck_assert_msg(strstr(out, ":8: error: the external model file \"ext.xml\" cannot be read "
                              "as XML: entity references expand without bound"),
                  "%s", out);
    free(out);
    unlink(m);
    unlink(e);
    rmdir(dir);
    free(m);
    free(e);
}
END_TEST

START_TEST(test_external_definition_needs_resolver_and_stays_inside)
{
    const char *text = HEAD "<model id=\"top\">\n"
                            "<comp:listOfSubmodels><comp:submodel comp:id=\"A\" "
                            "comp:modelRef=\"ext\"/></comp:listOfSubmodels>\n"
                            "</model>\n"
                            "<comp:listOfExternalModelDefinitions>\n"
                            "<comp:externalModelDefinition comp:id=\"ext\" "
                            "comp:source=\"../outside.xml\"/>\n"
                            "</comp:listOfExternalModelDefinitions>\n"
                            "</sbml>\n";
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(text, &fs);
    tc_sbml_resolver r = tc_sbml_resolver_dir(TC_SOURCE("fixtures"));
    ck_assert_int_lt(tc_sbml_flatten(doc, &r, &fs), 0);
    bool found = false;
    for (size_t i = 0; i < fs.len; i++)
        if (strcmp(fs.items[i].rule, "sbml:comp-20304") == 0 && fs.items[i].line == 8 &&
            strstr(fs.items[i].message, "../outside.xml"))
            found = true;
    for (size_t i = 0; !found && i < fs.len; i++)
        fprintf(stderr, "  have %s line %ld: %s\n", fs.items[i].rule, fs.items[i].line,
                fs.items[i].message);
    ck_assert_msg(found, "no comp-20304 for a source outside the folder");
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

/* Submodel A converts time by tf and extent by ef; the main model replaces A's x by y
 * (conversion factor cf) and A's reaction Jr by R (no factor). Each rule of A shows
 * one conversion of the comp specification (section 3.8, table 4). */
#define HEAD_L3V2                                                                                  \
    "<?xml version=\"1.0\"?>\n"                                                                    \
    "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" version=\"2\"\n"    \
    " xmlns:comp=\"http://www.sbml.org/sbml/level3/version1/comp/version1\" "                      \
    "comp:required=\"true\">\n"
#define RULE(var, body)                                                                            \
    "<assignmentRule variable=\"" var "\">" MATHML body "</math></assignmentRule>\n"
#define CSYMBOL(s)                                                                                 \
    "<csymbol definitionURL=\"http://www.sbml.org/sbml/symbols/" s "\">" s "</csymbol>"
#define SPECIES(id)                                                                                \
    "<species id=\"" id "\" compartment=\"C\" initialAmount=\"1\" hasOnlySubstanceUnits=\"true\" " \
    "boundaryCondition=\"false\" constant=\"false\"/>\n"
#define REACTION(id, rate)                                                                         \
    "<reaction id=\"" id "\" reversible=\"false\"><listOfProducts><speciesReference "              \
    "species=\"S\" stoichiometry=\"1\" constant=\"true\"/></listOfProducts><kineticLaw>" MATHML    \
        rate "</math></kineticLaw>"

static const char converted[] =
    HEAD_L3V2 "<model id=\"top\">\n"
    "<listOfCompartments><compartment id=\"C\" size=\"1\" constant=\"true\"/>"
    "</listOfCompartments>\n"
    "<listOfSpecies>" SPECIES("S") "</listOfSpecies>\n"
    "<listOfParameters>\n"
    "<parameter id=\"tf\" value=\"60\" constant=\"true\"/>\n"
    "<parameter id=\"ef\" value=\"1000\" constant=\"true\"/>\n"
    "<parameter id=\"cf\" value=\"2\" constant=\"true\"/>\n"
    "<parameter id=\"y\" value=\"1\" constant=\"false\"><comp:listOfReplacedElements>"
    "<comp:replacedElement comp:submodelRef=\"A\" comp:idRef=\"x\" comp:conversionFactor=\"cf\"/>"
    "</comp:listOfReplacedElements></parameter>\n"
    "</listOfParameters>\n"
    "<listOfReactions>" REACTION("R", "<cn>5</cn>")
    "<comp:listOfReplacedElements><comp:replacedElement comp:submodelRef=\"A\" "
    "comp:idRef=\"Jr\"/></comp:listOfReplacedElements></reaction></listOfReactions>\n"
    "<comp:listOfSubmodels><comp:submodel comp:id=\"A\" comp:modelRef=\"def\" "
    "comp:timeConversionFactor=\"tf\" comp:extentConversionFactor=\"ef\"/>"
    "</comp:listOfSubmodels>\n"
    "</model>\n"
    "<comp:listOfModelDefinitions><comp:modelDefinition id=\"def\">\n"
    "<listOfFunctionDefinitions><functionDefinition id=\"f\">" MATHML
    "<lambda><bvar><ci>J</ci></bvar><apply><times/><cn>2</cn><ci>J</ci></apply></lambda>"
    "</math></functionDefinition></listOfFunctionDefinitions>\n"
    "<listOfCompartments><compartment id=\"C\" size=\"1\" constant=\"true\"/>"
    "</listOfCompartments>\n"
    "<listOfSpecies>" SPECIES("S") "</listOfSpecies>\n"
    "<listOfParameters>\n"
    "<parameter id=\"k\" value=\"3\" constant=\"true\"/>\n"
    "<parameter id=\"x\" value=\"1\" constant=\"false\"/>\n"
    "<parameter id=\"t1\" constant=\"false\"/><parameter id=\"t3\" constant=\"false\"/>\n"
    "<parameter id=\"v\" constant=\"false\"/><parameter id=\"w\" constant=\"false\"/>\n"
    "<parameter id=\"r\" constant=\"false\"/><parameter id=\"u\" constant=\"false\"/>\n"
    "<parameter id=\"e\" value=\"0\" constant=\"false\"/>\n"
    "</listOfParameters>\n"
    "<listOfRules>\n"
    RULE("t1", CSYMBOL("time"))
    RULE("t3", "<apply>" CSYMBOL("delay") "<ci>t1</ci><cn>3</cn></apply>")
    RULE("v", "<apply><plus/><ci>J</ci><cn>6</cn></apply>")
    RULE("w", "<ci>Jr</ci>")
    RULE("r", "<apply>" CSYMBOL("rateOf") "<ci>x</ci></apply>")
    RULE("u", "<apply><ci>f</ci><ci>J</ci></apply>")
    "<rateRule variable=\"x\">" MATHML "<ci>k</ci></math></rateRule>\n"
    "</listOfRules>\n"
    "<listOfReactions>" REACTION("J", "<ci>k</ci>") "</reaction>\n"
    REACTION("Jr", "<cn>1</cn>") "</reaction></listOfReactions>\n"
    "<listOfEvents><event useValuesFromTriggerTime=\"true\">"
    "<trigger initialValue=\"false\" persistent=\"true\">" MATHML
    "<apply><gt/>" CSYMBOL("time") "<cn>1</cn></apply></math></trigger>"
    "<delay>" MATHML "<cn>2</cn></math></delay>"
    "<listOfEventAssignments><eventAssignment variable=\"e\">" MATHML "<cn>4</cn></math>"
    "</eventAssignment></listOfEventAssignments></event></listOfEvents>\n"
    "</comp:modelDefinition></comp:listOfModelDefinitions>\n"
    "</sbml>\n";

/* The math of the rule for `var` in `m`, as text (to free), or fails the test. */
static char *rule_text(const tc_sbml_model *m, const char *var)
{
    for (size_t i = 0; i < m->nrules; i++)
        if (m->rules[i].variable && strcmp(m->rules[i].variable, var) == 0)
            return tc_expr_to_string(m->rules[i].math.expr);
    ck_abort_msg("no rule for %s", var);
    return NULL;
}

static void check_rule(const tc_sbml_model *m, const char *var, const char *want)
{
    char *have = rule_text(m, var);
    ck_assert_msg(strcmp(have, want) == 0, "rule for %s: want \"%s\", have \"%s\"", var, want,
                  have);
    free(have);
}

START_TEST(test_flatten_converts_time_and_extent)
{
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(converted, &fs);
    ck_assert_int_eq(tc_sbml_flatten(doc, NULL, &fs), 0);
    const tc_sbml_model *m = doc->model;
    /* csymbol time is in the submodel's units: time / tf */
    check_rule(m, "A__t1", "time / tf");
    /* delay(x, d): d * tf */
    check_rule(m, "A__t3", "delay(A__t1, 3 * tf)");
    /* a reaction's id stands for its rate, converted like its kinetic law, inverted */
    check_rule(m, "A__v", "A__J / ef * tf + 6");
    /* a replaced reaction's rate is the replacement's: no submodel factor applies */
    check_rule(m, "A__w", "R");
    /* rateOf is per submodel time; its argument stays a name: rateOf(y) / cf * tf */
    check_rule(m, "A__r", "rateOf(y) / cf * tf");
    /* the argument converts; the function's bound variable J is not the reaction */
    check_rule(m, "A__u", "A__f(A__J / ef * tf)");
    ck_assert_uint_eq(m->nfunctions, 1);
    char *s = tc_expr_to_string(m->functions[0].math.expr);
    ck_assert_str_eq(s, "lambda(A__J, 2 * A__J)");
    free(s);
    /* rate rule of the replaced x: times cf (its replacement), divided by tf */
    check_rule(m, "y", "A__k * cf / tf");
    /* kinetic law: times ef, divided by tf; the replaced Jr is gone */
    ck_assert_uint_eq(m->nreactions, 2);
    const tc_sbml_reaction *j = &m->reactions[1];
    ck_assert_str_eq(j->b.id, "A__J");
    s = tc_expr_to_string(j->kinetic_law->math.expr);
    ck_assert_str_eq(s, "A__k * ef / tf");
    free(s);
    /* event: trigger on time / tf, delay times tf */
    ck_assert_uint_eq(m->nevents, 1);
    s = tc_expr_to_string(m->events[0].trigger->math.expr);
    ck_assert_str_eq(s, "time / tf > 1");
    free(s);
    s = tc_expr_to_string(m->events[0].delay->math.expr);
    ck_assert_str_eq(s, "2 * tf");
    free(s);
    tc_sbml_validate(doc, &fs);
    for (size_t i = 0; i < fs.len; i++)
        ck_assert_msg(fs.items[i].severity < TC_ERROR, "unexpected %s: %s", fs.items[i].rule,
                      fs.items[i].message);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

/* Nested submodels: the time factors multiply (comp 3.5.1): B converts by T, and
 * inside it A by B's own t. */
static const char nested_time[] =
    HEAD_L3V2 "<model id=\"top\">\n"
    "<listOfParameters><parameter id=\"T\" value=\"60\" constant=\"true\"/></listOfParameters>\n"
    "<comp:listOfSubmodels><comp:submodel comp:id=\"B\" comp:modelRef=\"mid\" "
    "comp:timeConversionFactor=\"T\"/></comp:listOfSubmodels>\n"
    "</model>\n"
    "<comp:listOfModelDefinitions>\n"
    "<comp:modelDefinition id=\"leaf\">\n"
    "<listOfCompartments><compartment id=\"C\" size=\"1\" constant=\"true\"/>"
    "</listOfCompartments>\n"
    "<listOfSpecies>" SPECIES("S") "</listOfSpecies>\n"
    "<listOfParameters><parameter id=\"z\" constant=\"false\"/>"
    "<parameter id=\"d\" constant=\"false\"/></listOfParameters>\n"
    "<listOfRules>" RULE("z", CSYMBOL("time"))
    RULE("d", "<apply>" CSYMBOL("delay") "<ci>z</ci><cn>1</cn></apply>")
    "</listOfRules>\n"
    "<listOfReactions>" REACTION("J", "<cn>1</cn>") "</reaction></listOfReactions>\n"
    "</comp:modelDefinition>\n"
    "<comp:modelDefinition id=\"mid\">\n"
    "<listOfParameters><parameter id=\"t\" value=\"2\" constant=\"true\"/>"
    "<parameter id=\"q\" constant=\"false\"/></listOfParameters>\n"
    "<listOfRules>" RULE("q", "<ci>A__J</ci>") "</listOfRules>\n"
    "<comp:listOfSubmodels><comp:submodel comp:id=\"A\" comp:modelRef=\"leaf\" "
    "comp:timeConversionFactor=\"t\"/></comp:listOfSubmodels>\n"
    "</comp:modelDefinition>\n"
    "</comp:listOfModelDefinitions>\n"
    "</sbml>\n";

START_TEST(test_flatten_nested_time_factors_multiply)
{
    tc_findings fs;
    tc_sbml_doc *doc = read_doc(nested_time, &fs);
    ck_assert_int_eq(tc_sbml_flatten(doc, NULL, &fs), 0);
    const tc_sbml_model *m = doc->model;
    check_rule(m, "B__A__z", "time / T / B__t");
    check_rule(m, "B__A__d", "delay(B__A__z, 1 * B__t * T)");
    /* mid's own reference to A's reaction is converted once, by T; A's kinetic law by
     * both */
    check_rule(m, "B__q", "B__A__J * T");
    ck_assert_uint_eq(m->nreactions, 1);
    char *s = tc_expr_to_string(m->reactions[0].kinetic_law->math.expr);
    ck_assert_str_eq(s, "1 / B__t / T");
    free(s);
    for (size_t i = 0; i < fs.len; i++)
        ck_assert_msg(fs.items[i].severity < TC_ERROR, "unexpected %s: %s", fs.items[i].rule,
                      fs.items[i].message);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
}
END_TEST

/* Case 01131 of the semantic suite: three levels deep; its description lists the
 * flattened species and compartments. */
START_TEST(test_semantic_case_three_levels)
{
    const char *shared = tc_test_shared();
    if (!shared) {
        fprintf(stderr, "skipped: ../shared (sbml-semantic) is not available\n");
        return;
    }
    char *dir = tc_xasprintf("%s/testsuites/sbml-semantic/01131", shared);
    char *path = tc_xasprintf("%s/01131-sbml-l3v2.xml", dir);
    unsigned char *data = NULL;
    size_t len = 0;
    ck_assert_int_eq(tc_read_file(path, 1u << 24, &data, &len), 0);
    tc_findings fs;
    tc_findings_init(&fs);
    tc_sbml_doc *doc = NULL;
    ck_assert_int_eq(tc_sbml_read(&doc, data, len, path, &fs), 0);
    tc_sbml_resolver r = tc_sbml_resolver_dir(dir);
    ck_assert_int_eq(tc_sbml_flatten(doc, &r, &fs), 0);
    static const char *const species[] = {"S1",      "sub1__S1",       "sub2__S1",
                                          "sub2__sub1__S1", "sub3__S1", "sub3__sub1__S1",
                                          "sub3__sub2__S1", "sub3__sub2__sub1__S1"};
    static const char *const comps[] = {"C",       "sub1__C",       "sub2__C",
                                        "sub3__C", "sub3__sub1__C", "sub3__sub2__C",
                                        "sub3__sub2__sub1__C"};
    const tc_sbml_model *m = doc->model;
    ck_assert_uint_eq(m->nspecies, 8);
    ck_assert_uint_eq(m->ncompartments, 7);
    for (size_t i = 0; i < 8; i++) {
        bool hit = false;
        for (size_t j = 0; j < m->nspecies; j++)
            hit = hit || strcmp(m->species[j].b.id, species[i]) == 0;
        ck_assert_msg(hit, "species %s missing", species[i]);
    }
    for (size_t i = 0; i < 7; i++) {
        bool hit = false;
        for (size_t j = 0; j < m->ncompartments; j++)
            hit = hit || strcmp(m->compartments[j].b.id, comps[i]) == 0;
        ck_assert_msg(hit, "compartment %s missing", comps[i]);
    }
    tc_sbml_validate(doc, &fs);
    for (size_t i = 0; i < fs.len; i++)
        ck_assert_msg(fs.items[i].severity < TC_ERROR, "%s: %s", fs.items[i].rule,
                      fs.items[i].message);
    tc_sbml_doc_free(doc);
    tc_findings_release(&fs);
    free(data);
    free(path);
    free(dir);
}
END_TEST

Suite *sbml_comp_suite(void)
{
    Suite *s = suite_create("sbml_comp");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_flatten_renames_replaces_deletes_and_scales);
    tcase_add_test(tc, test_flatten_replaced_by_keeps_the_owner_identity);
    tcase_add_test(tc, test_flatten_nested_replaced_by_finds_the_former_name);
    tcase_add_test(tc, test_flatten_converts_time_and_extent);
    tcase_add_test(tc, test_flatten_nested_time_factors_multiply);
    tcase_add_test(tc, test_flatten_reports_broken_references);
    tcase_add_test(tc, test_external_definition_needs_resolver_and_stays_inside);
    tcase_add_test(tc, test_single_file_resolves_its_folder);
    tcase_add_test(tc, test_semantic_case_three_levels);
    tcase_add_test(tc, test_deep_instantiation_reported_once);
    suite_add_tcase(s, tc);
    return s;
}
