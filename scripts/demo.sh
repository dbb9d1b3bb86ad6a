#!/bin/sh
# Usage: demo.sh TWINCHECK
# Runs the main job on the bundled example package, as far as the pipeline goes.
set -eu
bin=$1
pkg=fixtures/valid/pk-two-compartment
echo "== twincheck validate $pkg"
"$bin" validate "$pkg"
echo
echo "== the same, as JSON (first lines)"
"$bin" validate --format json "$pkg" | head -n 20
