#!/usr/bin/env bash
# Set up citegraph from a fresh clone: the Python package with its dev tools, Debian's
# Chromium for the page tests and Inkscape for the PRISMA diagram's, and the local Neo4j launcher (jars from Maven Central).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

python3 -m pip install --quiet --disable-pip-version-check -e ".[dev]"

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v inkscape >/dev/null 2>&1 || missing+=(inkscape)  # the PRISMA SVG must open there
if (( ${#missing[@]} )); then
    if [[ $(id -u) -eq 0 ]]; then
        echo "setup: installing Debian's ${missing[*]} for the page and diagram tests" >&2
        apt-get update -qq >/dev/null
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
    else
        echo "setup: ${missing[*]} missing; install them from Debian to run the page tests" >&2
    fi
fi

neo4j/neo4j.sh build
echo "setup: done. Try: citegraph demo"
