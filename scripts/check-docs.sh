#!/bin/sh
# Usage: check-docs.sh TWINCHECK
# Keeps the docs honest: every command has a man page naming each of its options,
# docs/rules.md matches the catalogue, and every rule id the sources raise is in
# the catalogue.
set -eu
bin=$1
status=0
fail() { echo "check-docs: $*" >&2; status=1; }

commands=$("$bin" --help | awk '/^commands:/ {on=1; next} on && /^  [a-z]/ {print $1} /^$/ && on {on=0}')
for c in $commands; do
    page=docs/man/twincheck-$c.1
    [ -f "$page" ] || { fail "no man page $page for command '$c'"; continue; }
    for opt in $("$bin" "$c" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
        grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$page" || grep -q -- "$opt" "$page" ||
            fail "$page does not describe $opt"
    done
    grep -q '^\.SH EXIT STATUS' "$page" || fail "$page has no EXIT STATUS section"
done

tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
./scripts/gen-rules-doc.sh "$bin" > "$tmp"
cmp -s "$tmp" docs/rules.md || fail "docs/rules.md is stale: run 'make docs'"

"$bin" rules --format tsv | cut -f1 | sort > "$tmp"
for id in $(grep -rhoE --include="*.c" '"(omex|xml|json|sbml|sedml|rerun|cred|cellml|fhir|cert):[A-Za-z0-9_.-]+"' \
        validator reference-solvers 2>/dev/null | tr -d '"' | sort -u); do
    grep -qx -- "$id" "$tmp" || fail "rule id $id is used in the sources but not in rules/catalogue"
done
[ "$status" -eq 0 ] && echo "check-docs: man pages, rule reference and rule ids agree"
exit "$status"
