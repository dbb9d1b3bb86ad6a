// Writes rules/sbml/sbo.tsv: the Systems Biology Ontology's is-a relations, as the
// installed libSBML (Debian libsbml5-dev) carries them compiled in. Debian ships no
// copy of the ontology itself; libSBML's table is the one its own SBO checks use.
//
//   g++ -O2 scripts/gen-sbo.cpp -o /tmp/gen-sbo -lsbml && /tmp/gen-sbo > rules/sbml/sbo.tsv
//
// (`make rules-sbo` does the same.) A development tool: nothing at build or run time
// needs libSBML.
#include <sbml/SBO.h>
#include <sbml/common/libsbml-version.h>

#include <cstdio>
#include <vector>

LIBSBML_CPP_NAMESPACE_USE

namespace {

// isChildOf answers "is term below parent" through the whole ancestry; it is a
// protected member, reached from a subclass.
struct Tree : SBO {
    static bool below(unsigned term, unsigned parent)
    {
        return term != parent && SBO::isChildOf(term, parent);
    }
};

// Ids above this are not asked about: libSBML 5.19 knows terms up to 0000671.
const unsigned kScan = 2000;
// The ontology defines terms up to about this id (checked by hand against the
// published ontology); a larger id names no term at all (rule 99701).
const unsigned kHighest = 1100;

} // namespace

int main()
{
    std::vector<std::vector<unsigned>> ancestors(kScan);
    std::vector<bool> known(kScan, false);
    for (unsigned t = 0; t < kScan; t++)
        for (unsigned p = 0; p < kScan; p++)
            if (Tree::below(t, p)) {
                ancestors[t].push_back(p);
                known[t] = known[p] = true;
            }

    std::printf("# Systems Biology Ontology is-a relations, for the SBML SBO rules (sbml:107xx).\n"
                "# Generated; do not edit. Source: the SBO tree compiled into libSBML %s\n"
                "# (Debian libsbml5-dev, LGPL), which is where Debian carries the ontology\n"
                "# (SBO itself is under the Artistic License 2.0). Regenerate with:\n"
                "#   make rules-sbo\n"
                "# A term not listed here is not judged.\n",
                getLibSBMLDottedVersion());
    std::printf("# The line \"highest\" gives an id above every term the ontology defines (entered\n"
                "# by hand from the published ontology): a larger id names no SBO term at all.\n"
                "highest\t%07u\n",
                kHighest);
    std::printf("# The line \"obsolete\" lists the terms the ontology has made obsolete: they\n"
                "# belong to no branch any more.\nobsolete");
    for (unsigned t = 0; t < kScan; t++)
        if (SBO::isObselete(t))
            std::printf(" %07u", t);
    std::printf("\n# term\tparent (one line per direct parent; \"-\" for the root)\n");

    for (unsigned t = 0; t < kScan; t++) {
        if (!known[t])
            continue;
        if (ancestors[t].empty()) {
            std::printf("%07u\t-\n", t);
            continue;
        }
        // direct parents: ancestors that are not above another ancestor
        for (unsigned p : ancestors[t]) {
            bool direct = true;
            for (unsigned q : ancestors[t])
                if (q != p && Tree::below(q, p)) {
                    direct = false;
                    break;
                }
            if (direct)
                std::printf("%07u\t%07u\n", t, p);
        }
    }
    return 0;
}
