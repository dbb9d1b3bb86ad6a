#!/bin/sh
# Usage: demo.sh TWINCHECK
# The main job on the bundled example package, as far as the pipeline goes:
# validate, assess credibility, certify with a fresh key, verify offline.
# Keys and the certificate live in a private temporary folder, removed at the end.
set -eu
bin=$1
pkg=fixtures/valid/pk-two-compartment
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { printf '\n== %s\n' "$*"; }

step "twincheck validate $pkg"
"$bin" validate "$pkg"

step "twincheck validate --format json $pkg (first lines)"
"$bin" validate --format json "$pkg" | head -n 16

step "twincheck assess $pkg"
"$bin" assess "$pkg" || true # an incomplete assessment is a result, not a failure of the demo

step "twincheck keygen --out KEYS"
"$bin" keygen --out "$work/keys"

step "twincheck certify $pkg --key KEYS/private.pem -o CERT"
# Exit status 1 means the certified verdict is a failure; the certificate is written anyway.
"$bin" certify "$pkg" --key "$work/keys/private.pem" -o "$work/certificate.json" ||
    echo "(certify: exit status $?, the certificate records the failing verdict)"

step "twincheck verify CERT --package $pkg --key KEYS/public.pem"
"$bin" verify "$work/certificate.json" --package "$pkg" --key "$work/keys/public.pem"
