/* sbml: units written out for modellers (sbml_unit_text), and unit findings (105xx)
 * that name the units found beside the units expected, checked whole. */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "sbml_testutil.h"
#include "sbml/sbml.h"
#include "sbml/sbml_impl.h"

#define MATHML "<math xmlns=\"http://www.w3.org/1998/Math/MathML\">"
#define L3V2                                                                                       \
    "<?xml version=\"1.0\"?>\n<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" "      \
    "level=\"3\" version=\"2\">\n"

/* Exponents in the order of sbml_unit_text: metre, kilogram, second, ampere, kelvin,
 * mole, candela, item. */
typedef struct unit_case {
    double m, kg, s, a, k, mol, cd, item, log10f;
    const char *text;
} unit_case;

START_TEST(test_unit_text)
{
    static const unit_case cases[] = {
        {0, 0, 0, 0, 0, 0, 0, 0, 0, "dimensionless"},
        {0, 0, 0, 0, 0, 0, 0, 0, -3, "10^-3 dimensionless"},
        {0, 0, -1, 0, 0, 1, 0, 0, 0, "mole/second"},
        {0, 0, -2, 0, 0, 2, 0, 0, 0, "mole^2/second^2"},
        /* a concentration per time, in litres because that takes the factor away */
        {-3, 0, -1, 0, 0, 1, 0, 0, 3, "mole/(litre*second)"},
        {3, 0, 0, 0, 0, 0, 0, 0, -3, "litre"},
        {3, 0, 0, 0, 0, 0, 0, 0, 0, "metre^3"},
        {-3, 0, 0, 0, 0, 0, 0, 1, 3, "item/litre"},
        {0, 1, 0, 0, 0, 0, 0, 0, -3, "gram"},
        {2, 1, -2, 0, 0, 0, 0, 0, 0, "kilogram*metre^2/second^2"},
        {0, 0, -1, 0, 0, 0, 0, 0, 0, "1/second"},
        {0, 0, -1, 0, 0, 0, 0, 0, 3, "10^3/second"},
        {0, 0, 1, 0, 0, 1, 0, 0, 0, "mole*second"},
        /* a multiplier that is no power of ten: a minute */
        {0, 0, 1, 0, 0, 0, 0, 0, 1.7781512503836436, "60 second"},
        {0, 0, 0, 0, 0, 0, 0, 0, 23.779750847359157, "6.02214e+23 dimensionless"},
        /* fractional exponents, from roots and powers */
        {0.5, 0, 0, 0, 0, 0, 0, 0, 0, "metre^0.5"},
        {2.0 / 3, 0, 0, 0, 0, 0, 0, 0, 0, "metre^0.6667"},
        {0, 0, -0.5, 0, 0, 0, 0, 0, 0, "1/second^0.5"},
        {0, 0, 0, 1, 1, 0, 1, 0, 0, "ampere*kelvin*candela"},
        {-2, 0, 0, 0, 0, 0, 1, 0, 0, "candela/metre^2"},
    };
    char buf[SBML_UNIT_TEXT_MAX];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const unit_case *c = &cases[i];
        double e[SBML_UNIT_DIMS] = {c->m, c->kg, c->s, c->a, c->k, c->mol, c->cd, c->item};
        ck_assert_str_eq(sbml_unit_text(buf, sizeof(buf), e, c->log10f), c->text);
    }
}
END_TEST

/* A short buffer is cut, never overrun, and always terminated. */
START_TEST(test_unit_text_bounded)
{
    double e[SBML_UNIT_DIMS] = {-3, 0, -1, 0, 0, 1, 0, 0};
    char buf[16];
    memset(buf, 'x', sizeof(buf));
    ck_assert_str_eq(sbml_unit_text(buf, 8, e, 3), "mole/(l");
    ck_assert_int_eq(buf[8], 'x');
    /* every exponent at once, with odd values, fits the documented size */
    double all[SBML_UNIT_DIMS] = {-1.0 / 3, 2.5, -7, 1.0 / 7, -2, 3.25, -1.5, 9};
    char big[SBML_UNIT_TEXT_MAX];
    sbml_unit_text(big, sizeof(big), all, 1.2345);
    ck_assert_str_eq(big, "17.1593 mole^3.25*item^9*kilogram^2.5*ampere^0.1429/"
                          "(metre^0.3333*second^7*kelvin^2*candela^1.5)");
    ck_assert_uint_lt(strlen(big), SBML_UNIT_TEXT_MAX - 1);
    /* a factor out of range is written, not trusted */
    double none[SBML_UNIT_DIMS] = {0};
    ck_assert_str_eq(sbml_unit_text(big, sizeof(big), none, INFINITY), "inf dimensionless");
}
END_TEST

/* A rate rule compared with its variable per unit of time, and a piecewise whose
 * pieces disagree: both units are named. */
START_TEST(test_rule_findings_name_both_units)
{
    const char *text =
        L3V2 "<model timeUnits=\"second\" substanceUnits=\"mole\" extentUnits=\"mole\">\n"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" units=\"litre\" "
             "spatialDimensions=\"3\" constant=\"true\"/></listOfCompartments>\n"
             "<listOfSpecies><species id=\"S\" compartment=\"c\" initialConcentration=\"1\" "
             "hasOnlySubstanceUnits=\"false\" boundaryCondition=\"false\" constant=\"false\"/>"
             "</listOfSpecies>\n"
             "<listOfParameters><parameter id=\"k\" value=\"1\" units=\"second\" "
             "constant=\"true\"/><parameter id=\"n\" value=\"1\" units=\"mole\" "
             "constant=\"true\"/><parameter id=\"q\" value=\"1\" units=\"mole\" "
             "constant=\"false\"/></listOfParameters>\n"
             "<listOfRules><rateRule variable=\"S\">" MATHML "<ci>k</ci></math></rateRule>\n"
             "<assignmentRule variable=\"q\">" MATHML "\n"
             "<piecewise><piece><ci>n</ci><true/></piece>\n"
             "<otherwise><ci>k</ci></otherwise></piecewise></math></assignmentRule>\n"
             "</listOfRules></model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:10532", 7,
                 "the math of the rate rule for \"S\" must have the units of species \"S\" per "
                 "unit of time: the math gives second, \"S\" per unit of time is "
                 "mole/(litre*second)");
    tc_test_sbml_expect_exact(text, "sbml:10501", 9,
                 "the units in the assignment rule for \"q\" are inconsistent: the pieces of "
                 "<piecewise> must have the same units: one has mole, another second");
}
END_TEST

/* Kinetic laws compared with extent per time and with each other. */
START_TEST(test_kinetic_law_findings_name_both_units)
{
    const char *text =
        L3V2 "<model timeUnits=\"second\" substanceUnits=\"mole\" extentUnits=\"mole\">\n"
             "<listOfUnitDefinitions><unitDefinition id=\"per_minute\"><listOfUnits>"
             "<unit kind=\"mole\" exponent=\"1\" scale=\"0\" multiplier=\"1\"/>"
             "<unit kind=\"second\" exponent=\"-1\" scale=\"0\" multiplier=\"60\"/>"
             "</listOfUnits></unitDefinition></listOfUnitDefinitions>\n"
             "<listOfCompartments><compartment id=\"c\" size=\"1\" units=\"litre\" "
             "spatialDimensions=\"3\" constant=\"true\"/></listOfCompartments>\n"
             "<listOfSpecies><species id=\"S\" compartment=\"c\" initialAmount=\"1\" "
             "hasOnlySubstanceUnits=\"true\" boundaryCondition=\"false\" constant=\"false\"/>"
             "</listOfSpecies>\n"
             "<listOfParameters><parameter id=\"k1\" value=\"1\" units=\"per_minute\" "
             "constant=\"true\"/><parameter id=\"k2\" value=\"1\" units=\"mole\" "
             "constant=\"true\"/></listOfParameters>\n"
             "<listOfReactions><reaction id=\"R1\" reversible=\"false\"><listOfReactants>"
             "<speciesReference species=\"S\" stoichiometry=\"1\" constant=\"true\"/>"
             "</listOfReactants><kineticLaw>" MATHML "\n"
             "<ci>k1</ci></math></kineticLaw></reaction>\n"
             "<reaction id=\"R2\" reversible=\"false\"><listOfReactants>"
             "<speciesReference species=\"S\" stoichiometry=\"1\" constant=\"true\"/>"
             "</listOfReactants><kineticLaw>" MATHML "\n"
             "<ci>k2</ci></math></kineticLaw></reaction></listOfReactions></model></sbml>\n";
    /* k1 is mole per minute: one sixtieth of mole per second */
    tc_test_sbml_expect_exact(text, "sbml:10503", 10,
                 "the kinetic law of reaction \"R2\" has units different from the other "
                 "kinetic laws: it gives mole, that of reaction \"R1\" gives 0.0166667 "
                 "mole/second");
    tc_findings fs;
    tc_test_sbml_validate(text, &fs);
    size_t n = 0;
    for (size_t i = 0; i < fs.len; i++)
        if (strcmp(fs.items[i].rule, "sbml:10541") == 0 &&
            ((fs.items[i].line == 8 &&
              strcmp(fs.items[i].message,
                     "the units of the kinetic law of reaction \"R1\" are not units of extent "
                     "per unit of time: the math gives 0.0166667 mole/second, extent per time "
                     "is mole/second") == 0) ||
             (fs.items[i].line == 10 &&
              strcmp(fs.items[i].message,
                     "the units of the kinetic law of reaction \"R2\" are not units of extent "
                     "per unit of time: the math gives mole, extent per time is "
                     "mole/second") == 0)))
            n++;
    ck_assert_uint_eq(n, 2);
    tc_findings_release(&fs);
}
END_TEST

/* An event's delay must be a time and its priority dimensionless; an event without an
 * id is called so. */
START_TEST(test_event_findings_name_units)
{
    const char *text = L3V2
        "<model timeUnits=\"second\">\n"
        "<listOfParameters><parameter id=\"p\" value=\"1\" units=\"mole\" "
        "constant=\"true\"/><parameter id=\"x\" value=\"1\" units=\"dimensionless\" "
        "constant=\"false\"/></listOfParameters>\n"
        "<listOfEvents><event useValuesFromTriggerTime=\"true\">\n"
        "<trigger initialValue=\"true\" persistent=\"true\">" MATHML "<true/></math></trigger>\n"
        "<delay>" MATHML "<ci>p</ci></math></delay>\n"
        "<priority>" MATHML "<ci>p</ci></math></priority>\n"
        "</event></listOfEvents></model></sbml>\n";
    tc_test_sbml_expect_exact(text, "sbml:10551", 7,
                 "the delay of an event is not in units of time: it gives mole, time is second");
    tc_test_sbml_expect_exact(text, "sbml:10565", 8,
                 "the priority of an event should be dimensionless, but it has mole");
}
END_TEST

Suite *sbml_unit_text_suite(void)
{
    Suite *s = suite_create("sbml_unit_text");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_unit_text);
    tcase_add_test(tc, test_unit_text_bounded);
    tcase_add_test(tc, test_rule_findings_name_both_units);
    tcase_add_test(tc, test_kinetic_law_findings_name_both_units);
    tcase_add_test(tc, test_event_findings_name_units);
    suite_add_tcase(s, tc);
    return s;
}
