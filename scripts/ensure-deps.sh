#!/bin/sh
# Makes sure the Debian packages twincheck builds and tests with are installed
# (or, given package names as arguments, those: `make bench` passes its own).
# As root it installs what is missing with apt-get; otherwise it prints the one
# command that is needed and fails.
set -eu

packages="gcc make pkg-config libxml2-dev libxslt1-dev libjansson-dev libssl-dev openssl \
check libzip-dev zlib1g-dev libopenblas-dev liblapacke-dev libhdf5-dev libxml2-utils"
if [ $# -gt 0 ]; then packages="$*"; fi

missing=""
for p in $packages; do
    status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$status" in
        *" installed") ;;
        *) missing="$missing $p" ;;
    esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "twincheck: installing missing packages:$missing" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # shellcheck disable=SC2086
    apt-get install -y -qq --no-install-recommends $missing >&2
    exit 0
fi

echo "twincheck: missing packages; run:" >&2
echo "  sudo apt-get install$missing" >&2
exit 1
