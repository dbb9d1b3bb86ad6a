#!/bin/sh
# `make bench`: twincheck side by side with the tools users would pick instead,
# as ratios measured in one run, and the tables written into the doc.
#
#   bench/run.sh BUILD_DIR SUITES_DIR DOC
#
# 1. reference solvers against SUNDIALS CVODE (BUILD/solvers-bench);
# 2. SBML validation against libSBML's full consistency check, on the semantic
#    test-suite models, the validation suite and generated networks
#    (BUILD/bench/sbml-check-*, one process per validator and corpus, so that
#    each peak resident size is its own);
# 3. the SBML semantic test suite simulated by the conformance runner.
#
# Times are medians of repetitions (the machines are shared). Every measurement
# runs under `timeout` (TC_BENCH_TIMEOUT seconds, default 400). Instruction
# counts: `perf stat -e instructions` where the machine supports it, otherwise
# callgrind when TC_BENCH_CALLGRIND=1 (slow; small corpora only).
# The part of DOC between the "make bench" markers is replaced.
set -eu

if [ $# -ne 3 ]; then
    echo "usage: bench/run.sh BUILD_DIR SUITES_DIR DOC" >&2
    exit 2
fi
build=$1 suites=$2 doc=$3
work=$build/bench
limit=${TC_BENCH_TIMEOUT:-400}
mkdir -p "$work"
out=$work/benchmarks.part.md
: >"$out"
started=$(date +%s)

say() { printf '%s\n' "$*" >&2; }

# ---- machine facts ---------------------------------------------------------
cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
mem=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
os=$(. /etc/os-release && printf '%s' "$PRETTY_NAME")
ver() { dpkg-query -W -f='${Version}' "$1" 2>/dev/null || echo unknown; }
{
    echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $os, $cpu, $(nproc) cores, $mem RAM;"
    echo "$(gcc --version | head -n 1); libSBML $(ver libsbml5-dev), SUNDIALS $(ver libsundials-dev)."
    echo "Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
} >>"$out"

# ---- 1. solvers ------------------------------------------------------------
say "bench: reference BDF against CVODE"
{
    echo "### Stiff solvers: twincheck BDF against SUNDIALS CVODE"
    echo
    echo "Same compiled right-hand side and Jacobian, same tolerances, CVODE's BDF with its"
    echo "dense direct solver; errors are the largest relative deviation (floor 1e-6) from a"
    echo "CVODE run at rtol 1e-12. Times are medians over the runs counted in the last column."
    echo
    echo "| problem | states | tolerances | twincheck BDF | CVODE | time ratio twincheck/CVODE | runs |"
    echo "| --- | ---: | --- | --- | --- | ---: | --- |"
} >>"$out"
if ! timeout "$limit" "$build/solvers-bench" --markdown >"$work/solvers.md"; then
    say "bench: solvers-bench failed or took more than $limit s"
    echo "| solvers-bench failed or took more than $limit s | | | | | | |" >>"$work/solvers.md"
fi
cat "$work/solvers.md" >>"$out"
cat "$work/solvers.md" >&2
echo >>"$out"

# ---- 2. SBML validation ----------------------------------------------------
instr_tool=none
if perf stat -x, -e instructions true 2>&1 >/dev/null | grep -q '^[0-9]'; then
    instr_tool=perf
elif [ "${TC_BENCH_CALLGRIND:-0}" = 1 ] && command -v valgrind >/dev/null; then
    instr_tool=callgrind
fi

# Instructions of one pass of a worker over a list (whole process), or "-".
instructions() { # WORKER LIST
    case $instr_tool in
    perf)
        timeout "$limit" perf stat -x, -e instructions "$1" --reps 1 "$2" 2>&1 >/dev/null |
            awk -F, '$3 == "instructions" || $3 ~ /^instructions/ { print $1; f = 1 } END { if (!f) print "-" }'
        ;;
    callgrind)
        timeout "$limit" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$1" --reps 1 \
            "$2" 2>&1 >/dev/null | awk '/Collected/ { print $NF; f = 1 } END { if (!f) print "-" }'
        ;;
    *) echo - ;;
    esac
}

rows=$work/sbml-rows.txt
: >"$rows"
corpus() { # LABEL LIST SMALL(yes: counted with callgrind too)
    label=$1 list=$2
    for v in twincheck libsbml; do
        say "bench: SBML validation, $label, $v"
        res=$(timeout "$limit" "$build/bench/sbml-check-$v" --reps 5 --budget 20 "$list" ||
            echo "validator=$v failed=1")
        ins=-
        if [ "$instr_tool" = perf ] || { [ "$instr_tool" = callgrind ] && [ "$3" = yes ]; }; then
            ins=$(instructions "$build/bench/sbml-check-$v" "$list")
        fi
        say "  $res instructions=$ins"
        printf '%s\t%s instructions=%s\n' "$label" "$res" "$ins" >>"$rows"
    done
}

if [ -d "$suites/sbml-semantic" ]; then
    ls "$suites"/sbml-semantic/*/*-sbml-l3v2.xml >"$work/semantic.list"
    corpus "semantic test suite, L3V2 models" "$work/semantic.list" yes
fi
if [ -d "$suites/sbml-validation" ]; then
    find "$suites/sbml-validation" -name '*.xml' | LC_ALL=C sort >"$work/validation.list"
    corpus "validation test suite" "$work/validation.list" yes
    # The same files scored, not timed: what each validator reports, by the criterion of
    # make conformance-sbml-validation.
    for v in twincheck libsbml; do
        if timeout "$limit" "$build/bench/sbml-check-$v" --reps 1 --ids "$work/ids-$v.txt" \
            "$work/validation.list" >/dev/null; then
            printf '%s\t%s\n' "$v" "$(awk -f bench/score_validation.awk "$work/ids-$v.txt")"
        fi
    done >"$work/scores.txt"
fi
if [ ! -d "$suites/sbml-semantic" ] || [ ! -d "$suites/sbml-validation" ]; then
    say "bench: $suites has no SBML test suites; only generated models are measured"
fi
for n in 1000 5000 10000 20000; do
    "$build/bench/sbml-gen" "$n" "$n" "$work/network-$n.xml"
    echo "$work/network-$n.xml" >"$work/network-$n.list"
    small=no
    [ "$n" -le 1000 ] && small=yes
    corpus "generated network, $n species, $n reactions" "$work/network-$n.list" $small
done

{
    echo "### SBML validation: twincheck against libSBML"
    echo
    echo "Each validator in its own process per corpus, on the same bytes (read into memory"
    echo "before the clock starts): twincheck's SBML stage (tc_sbml_check_file, as the"
    echo "pipeline calls it) and libSBML's readSBMLFromString followed by checkConsistency"
    echo "with every category on (general, identifiers, units, MathML, SBO, overdetermined"
    echo "models, modelling practice). Throughput is from the median of up to 5 passes over"
    echo "the corpus; a validator stops repeating once its passes have taken 20 s, so the"
    echo "largest models get fewer passes (column \"passes\"). \"errors\" counts findings of"
    echo "severity error (libSBML: error and fatal) in the first pass, with the files that had"
    echo "any; the validation suite holds invalid files on purpose. In the semantic suite, ten"
    echo "composed models name external model files, which neither validator can open when it"
    echo "is given the bytes alone (\`twincheck validate\` finds them in the model's folder), and"
    echo "00959 names an undefined unit. Peak memory is the process's maxrss."
    echo
    echo "| corpus | files | MB | validator | passes | median s | files/s | MB/s | errors (files) | peak MiB | time ratio twincheck/libSBML | memory ratio |"
    echo "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
} >>"$out"
awk -F'\t' '
function val(s, k,   i, n, a, kv) {
    n = split(s, a, " ")
    for (i = 1; i <= n; i++) {
        split(a[i], kv, "=")
        if (kv[1] == k)
            return kv[2]
    }
    return ""
}
{
    label[NR] = $1; rec[NR] = $2
}
END {
    for (i = 1; i + 1 <= NR; i += 2) {
        t = rec[i]; l = rec[i + 1]
        for (j = 0; j < 2; j++) {
            r = j ? l : t
            name = j ? "libSBML" : "twincheck"
            if (val(r, "failed") != "") {
                printf "| %s | | | %s | | did not finish in the time limit | | | | | | |\n", label[i], name
                continue
            }
            files = val(r, "files"); mb = val(r, "bytes") / 1e6; s = val(r, "median_s")
            ratio = ""; mratio = ""
            if (j == 0 && val(l, "failed") == "" && val(l, "median_s") > 0) {
                ratio = sprintf("%.2f", s / val(l, "median_s"))
                mratio = sprintf("%.2f", val(r, "maxrss_kib") / val(l, "maxrss_kib"))
            }
            fps = files / s
            printf "| %s | %d | %.1f | %s | %d | %.3f | " (fps < 100 ? "%.3g" : "%.0f") \
                " | %.2f | %d (%d) | %.0f | %s | %s |\n",
                j ? "" : label[i], files, mb, name, val(r, "reps"), s, fps, mb / s,
                val(r, "errors"), val(r, "files_with_errors"), val(r, "maxrss_kib") / 1024,
                ratio, mratio
        }
    }
}' "$rows" >"$work/sbml.md"
cat "$work/sbml.md" >>"$out"
cat "$work/sbml.md" >&2
if [ -s "$work/scores.txt" ]; then
    {
        echo
        echo "What the two validators report on the validation suite, scored as"
        echo "\`make conformance-sbml-validation\` scores twincheck (bench/score_validation.awk): a"
        echo "fail file counts when its rule is reported, a pass file when no error is."
        echo
        echo "| validator | fail files with their rule | % | pass files without error | % | categories below 90% |"
        echo "| --- | ---: | ---: | ---: | ---: | --- |"
        awk -F'\t' '{
            n = split($2, a, " ")
            for (i = 1; i <= n; i++) { split(a[i], kv, "="); v[kv[1]] = kv[2] }
            low = v["below90"]
            gsub(/_/, " ", low)
            printf "| %s | %d of %d | %.1f | %d of %d | %.1f | %s |\n", $1 == "libsbml" ? "libSBML" : $1,
                v["fail_ok"], v["fail_total"], 100 * v["fail_ok"] / v["fail_total"],
                v["pass_ok"], v["pass_total"], 100 * v["pass_ok"] / v["pass_total"], low
        }' "$work/scores.txt"
        if [ -s "$work/ids-twincheck.txt" ] && [ -s "$work/ids-libsbml.txt" ]; then
            both=$(paste "$work/ids-twincheck.txt" "$work/ids-libsbml.txt" | awk -F'\t' '
                $1 ~ /-pass-[^\/]*$/ { t = $2 ~ /:e/; l = $4 ~ /:e/; tc += t; both += t && l }
                END { printf "%d of the %d", both, tc }')
            echo
            echo "Pass files in which libSBML too reports an error: $both in which twincheck does."
        fi
    } >>"$out"
fi
if [ "$instr_tool" != none ]; then
    {
        echo
        echo "Instructions for one pass over the corpus, whole process (start-up and file"
        echo "reading included), counted with $instr_tool:"
        echo
        echo "| corpus | twincheck | libSBML | ratio |"
        echo "| --- | ---: | ---: | ---: |"
        awk -F'\t' '{ split($2, a, "instructions="); ins[NR] = a[2]; label[NR] = $1 }
            END { for (i = 1; i + 1 <= NR; i += 2) if (ins[i] != "-" && ins[i + 1] != "-")
                printf "| %s | %.3g | %.3g | %.2f |\n", label[i], ins[i], ins[i + 1],
                    ins[i] / ins[i + 1] }' "$rows"
    } >>"$out"
else
    echo >>"$out"
    echo "Instruction counts: \`perf stat -e instructions\` is not supported on this machine;" >>"$out"
    echo "\`TC_BENCH_CALLGRIND=1 make bench\` counts them with callgrind for the smaller corpora." >>"$out"
fi
echo >>"$out"

# ---- 3. the SBML semantic suite ----------------------------------------------
if [ -d "$suites/sbml-semantic" ]; then
    say "bench: SBML semantic suite (3 runs with each integrator)"
    sem=$work/semantic-runs.txt
    : >"$sem"
    for method in bdf rk45; do
        for rep in 1 2 3; do
            set -- "$build/conformance-sbml-semantic" "$suites" --method "$method"
            if /usr/bin/time -f 'time %e %U %S' -o "$work/semantic.time" \
                timeout "$limit" "$@" >"$work/semantic.out"; then
                printf '%s %s %s\n' "$method" "$(cat "$work/semantic.time")" \
                    "$(awk '/^\| BDF \|/ { b = $6 } /^\| RK45/ { r = $7 }
                        /whole run took/ { for (i = 1; i <= NF; i++) if ($i == "took") s = $(i + 1) }
                        END { printf "bdf_pass=%s rk45_pass=%s reported_s=%s", b, r, s }' \
                        "$work/semantic.out")" >>"$sem"
            else
                printf '%s failed\n' "$method" >>"$sem"
            fi
        done
    done
    cat "$sem" >&2
    total=$(awk '/^\| BDF \|/ { print $4 }' "$work/semantic.out")
    {
        echo "### SBML semantic test suite, simulated"
        echo
        echo "\`conformance-sbml-semantic\` (tests/conformance/sbml_semantic.c) over the"
        echo "${total:-?} time-course cases (each in a child process, 2 at a time, rtol 1e-9,"
        echo "atol 1e-14), once per integrator (\`--method\`); medians of 3 runs each, and their"
        echo "sum for the whole suite with both integrators (what the runner does by default)."
        echo "CPU is user + system time of the runner and its children."
        echo
        echo "| integrator | wall s (median) | CPU s (median) | runner's own figure, s | cases passed |"
        echo "| --- | ---: | ---: | ---: | --- |"
    } >>"$out"
    awk '
    function median(a, n,   i, j, t) {
        for (i = 2; i <= n; i++)
            for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    $2 == "failed" { bad[$1] = 1; next }
    {
        m = $1; n[m]++; wall[m, n[m]] = $3; cpu[m, n[m]] = $4 + $5
        split($6, b, "="); split($7, r, "="); split($8, s, "=")
        pass[m] = m == "bdf" ? b[2] : r[2]
        rep[m, n[m]] = s[2]
    }
    END {
        name["bdf"] = "BDF"; name["rk45"] = "RK45 (Dormand-Prince)"
        ok = 1
        for (k = 1; k <= 2; k++) {
            m = k == 1 ? "bdf" : "rk45"
            if (bad[m] || !n[m]) { printf "| %s | failed or timed out | | | |\n", name[m]; ok = 0; continue }
            for (i = 1; i <= n[m]; i++) { w[i] = wall[m, i]; c[i] = cpu[m, i]; o[i] = rep[m, i] }
            mw[m] = median(w, n[m]); mc[m] = median(c, n[m]); mo[m] = median(o, n[m])
            printf "| %s | %.1f | %.1f | %s | %s |\n", name[m], mw[m], mc[m], mo[m], pass[m]
        }
        if (ok)
            printf "| both (sum) | %.1f | %.1f | %s | |\n", mw["bdf"] + mw["rk45"],
                mc["bdf"] + mc["rk45"], mo["bdf"] + mo["rk45"]
    }' "$sem" >>"$out"
    echo >>"$out"
fi

elapsed=$(($(date +%s) - started))
echo "The whole \`make bench\` run took $elapsed s." >>"$out"

# ---- the doc -------------------------------------------------------------------
begin='<!-- make bench: begin (generated by bench/run.sh; edits are overwritten) -->'
end='<!-- make bench: end -->'
if [ -f "$doc" ] && grep -qF "$begin" "$doc" && grep -qF "$end" "$doc"; then
    awk -v begin="$begin" -v end="$end" -v part="$out" '
        $0 == begin { print; while ((getline l < part) > 0) print l; skip = 1; next }
        $0 == end { skip = 0 }
        !skip { print }' "$doc" >"$doc.tmp"
else
    { [ -f "$doc" ] && cat "$doc"; echo "$begin"; cat "$out"; echo "$end"; } >"$doc.tmp"
fi
mv "$doc.tmp" "$doc"
say "bench: done in $elapsed s; tables written into $doc"
