#!/bin/sh
# Usage: list-suites.sh FILE... > suites.h
# Finds every `Suite *NAME_suite(void)` in the test sources so the test runner
# needs no hand-kept list.
set -eu
grep -ho '^Suite \*[a-z0-9_]*_suite(void)' "$@" | sed -e 's/^Suite \*\([a-z0-9_]*\)_suite(void)$/SUITE(\1)/' | sort -u
