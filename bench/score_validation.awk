# Scores one validator's `sbml-check-* --ids` output over the SBML validation suite by the
# conformance runner's criterion (tests/conformance/sbml_validation.c): a file
# RRRRR-fail-NN-MM[-XXXXX].xml counts when rule RRRRR is among its findings, at any severity
# (an expected 905NN is also met by 105NN, the id the specifications give the same check
# from Level 2 Version 4 on); a file RRRRR-pass-00-MM.xml counts when none of its findings is
# an error. Prints one key=value line: the totals, and the categories (the rule ids'
# hundreds) that score below 90%.
BEGIN { FS = "\t" }
{
    n = split($1, parts, "/")
    name = parts[n]
    rule = substr(name, 1, 5)
    cat = substr(name, 1, 3) "xx"
    if (name ~ /^[0-9][0-9][0-9][0-9][0-9]-fail-/) {
        ft++; cft[cat]++
        ids = " " $2 " "
        ok = index(ids, " " rule ":") > 0
        if (!ok && rule ~ /^905/)
            ok = index(ids, " 105" substr(rule, 4, 2) ":") > 0
        fo += ok; cfo[cat] += ok
    } else if (name ~ /^[0-9][0-9][0-9][0-9][0-9]-pass-/) {
        pt++; cpt[cat]++
        ok = $2 !~ /:e/
        po += ok; cpo[cat] += ok
    }
}
END {
    # the categories below 90%, in order: "805xx pass 1/2; 995xx pass 55/64"
    n = 0
    for (c in cft)
        if (cfo[c] < 0.9 * cft[c])
            low[++n] = sprintf("%s fail %d/%d", c, cfo[c], cft[c])
    for (c in cpt)
        if (cpo[c] < 0.9 * cpt[c])
            low[++n] = sprintf("%s pass %d/%d", c, cpo[c], cpt[c])
    for (i = 2; i <= n; i++)
        for (j = i; j > 1 && low[j - 1] > low[j]; j--) {
            t = low[j]; low[j] = low[j - 1]; low[j - 1] = t
        }
    list = ""
    for (i = 1; i <= n; i++)
        list = list (i > 1 ? "; " : "") low[i]
    # key=value, so the list's spaces are written as underscores
    gsub(/ /, "_", list)
    printf "fail_total=%d fail_ok=%d pass_total=%d pass_ok=%d below90=%s\n", ft, fo, pt, po,
        n ? list : "none"
}
