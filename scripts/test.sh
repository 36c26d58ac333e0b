#!/usr/bin/env bash
# The whole test suite: lint, types, every test against a real Neo4j on loopback,
# and the benchmarks as quick smoke runs. Starts the bundled Neo4j unless NEO4J_URI
# already points at one (then NEO4J_PASSWORD must be set too).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

ruff check .
mypy
started=""
if [[ -z "${NEO4J_URI:-}" ]]; then
    export NEO4J_PASSWORD="${NEO4J_PASSWORD:-citegraph-dev}"
    if ! neo4j/neo4j.sh status >/dev/null 2>&1; then
        neo4j/neo4j.sh start
        started=yes
    fi
    eval "$(neo4j/neo4j.sh env)"
fi
cleanup() { if [[ -n "$started" ]]; then neo4j/neo4j.sh stop; fi; }
trap cleanup EXIT

python -m pytest "$@"

echo "benchmarks (smoke runs; full sizes are for the closing notes):"
python bench/bench_ingest.py --sizes 300
python bench/bench_loaders.py --n 300
python bench/bench_sync.py --nodes 2000 --rels 10000
python bench/bench_render.py --sizes 500
python bench/bench_store.py --sizes review:300
python bench/bench_pdf.py --pages 3
python bench/bench_dedup.py --sizes 500
