/*
 * Benchmark input: a random mass-action network written as an SBML Level 3
 * Version 2 document, consistent in its units, so that a full consistency check
 * (units included) has every rule family to go through and nothing to report.
 *
 *   sbml-gen SPECIES REACTIONS OUT.xml
 *
 * Reactions are A -> B, A + B -> C and C -> A + B with distinct species, rate
 * constants over five decades (global parameters with declared units), kinetic
 * laws in concentration form times the compartment size. The same seed always
 * gives the same file.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long lcg = 42;
static double uniform(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    return (double)(lcg >> 11) / 9007199254740992.0;
}

static int pick(int n)
{
    int i = (int)(uniform() * n);
    return i < n ? i : n - 1;
}

static void species_ref(FILE *f, int s)
{
    fprintf(f,
            "          <speciesReference species=\"S%d\" stoichiometry=\"1\" "
            "constant=\"true\"/>\n",
            s);
}

static void ci(FILE *f, const char *prefix, int i)
{
    fprintf(f, "            <ci> %s%d </ci>\n", prefix, i);
}

int main(int argc, char **argv)
{
    long ns = argc == 4 ? strtol(argv[1], NULL, 10) : 0;
    long nr = argc == 4 ? strtol(argv[2], NULL, 10) : 0;
    if (ns < 3 || ns > 1000000 || nr < 1 || nr > 1000000) {
        fprintf(stderr, "usage: sbml-gen SPECIES(3-1000000) REACTIONS(1-1000000) OUT.xml\n");
        return 2;
    }
    FILE *f = fopen(argv[3], "w");
    if (!f) {
        perror(argv[3]);
        return 1;
    }
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<sbml xmlns=\"http://www.sbml.org/sbml/level3/version2/core\" level=\"3\" "
            "version=\"2\">\n"
            "  <model id=\"network_%ld_%ld\" substanceUnits=\"mole\" timeUnits=\"second\" "
            "volumeUnits=\"litre\" extentUnits=\"mole\">\n"
            "    <listOfUnitDefinitions>\n"
            "      <unitDefinition id=\"per_second\">\n"
            "        <listOfUnits>\n"
            "          <unit kind=\"second\" exponent=\"-1\" scale=\"0\" multiplier=\"1\"/>\n"
            "        </listOfUnits>\n"
            "      </unitDefinition>\n"
            "      <unitDefinition id=\"litre_per_mole_per_second\">\n"
            "        <listOfUnits>\n"
            "          <unit kind=\"litre\" exponent=\"1\" scale=\"0\" multiplier=\"1\"/>\n"
            "          <unit kind=\"mole\" exponent=\"-1\" scale=\"0\" multiplier=\"1\"/>\n"
            "          <unit kind=\"second\" exponent=\"-1\" scale=\"0\" multiplier=\"1\"/>\n"
            "        </listOfUnits>\n"
            "      </unitDefinition>\n"
            "    </listOfUnitDefinitions>\n"
            "    <listOfCompartments>\n"
            "      <compartment id=\"cell\" spatialDimensions=\"3\" size=\"1\" units=\"litre\" "
            "constant=\"true\"/>\n"
            "    </listOfCompartments>\n"
            "    <listOfSpecies>\n",
            ns, nr);
    for (long i = 0; i < ns; i++)
        fprintf(f,
                "      <species id=\"S%ld\" compartment=\"cell\" initialConcentration=\"%.6g\" "
                "substanceUnits=\"mole\" hasOnlySubstanceUnits=\"false\" "
                "boundaryCondition=\"false\" constant=\"false\"/>\n",
                i, 0.5 + uniform());
    fputs("    </listOfSpecies>\n    <listOfParameters>\n", f);
    /* The reactions are drawn first so that each constant gets the right units. */
    int(*r)[4] = calloc((size_t)nr, sizeof *r);
    if (!r) {
        fclose(f);
        return 1;
    }
    for (long j = 0; j < nr; j++) {
        int type = pick(3), a = pick((int)ns), b, c;
        do
            b = pick((int)ns);
        while (b == a);
        do
            c = pick((int)ns);
        while (c == a || c == b);
        r[j][0] = type, r[j][1] = a, r[j][2] = b, r[j][3] = c;
        fprintf(f, "      <parameter id=\"k%ld\" value=\"%.6g\" units=\"%s\" constant=\"true\"/>\n",
                j, pow(10.0, -1.0 + 5.0 * uniform()),
                type == 1 ? "litre_per_mole_per_second" : "per_second");
    }
    fputs("    </listOfParameters>\n    <listOfReactions>\n", f);
    for (long j = 0; j < nr; j++) {
        int type = r[j][0], a = r[j][1], b = r[j][2], c = r[j][3];
        fprintf(f, "      <reaction id=\"R%ld\" reversible=\"false\">\n", j);
        fputs("        <listOfReactants>\n", f);
        if (type == 2) {
            species_ref(f, c);
        } else {
            species_ref(f, a);
            if (type == 1)
                species_ref(f, b);
        }
        fputs("        </listOfReactants>\n        <listOfProducts>\n", f);
        if (type == 0) {
            species_ref(f, b);
        } else if (type == 1) {
            species_ref(f, c);
        } else {
            species_ref(f, a);
            species_ref(f, b);
        }
        fputs("        </listOfProducts>\n"
              "        <kineticLaw>\n"
              "          <math xmlns=\"http://www.w3.org/1998/Math/MathML\">\n"
              "           <apply>\n            <times/>\n            <ci> cell </ci>\n",
              f);
        ci(f, "k", (int)j);
        ci(f, "S", type == 2 ? c : a);
        if (type == 1)
            ci(f, "S", b);
        fputs("           </apply>\n          </math>\n        </kineticLaw>\n"
              "      </reaction>\n",
              f);
    }
    fputs("    </listOfReactions>\n  </model>\n</sbml>\n", f);
    free(r);
    if (fclose(f) != 0) {
        perror(argv[3]);
        return 1;
    }
    return 0;
}
