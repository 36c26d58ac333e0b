"""Benchmark `ingest` on synthetic reviews against the floor: pyoxigraph bulk-loading the
same triples. Each size runs in a fresh process so peak memory is its own.

    python bench/bench_ingest.py --sizes 1000 10000 50000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def measure(n: int) -> dict[str, float]:
    import pyoxigraph
    from generate import review

    from citegraph.graph.ingest import ingest
    from citegraph.graph.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"review-{n}.md"
        path.write_text(review(n))
        store = Store(Path(tmp) / "store")
        start = time.perf_counter()
        report = ingest(store, [path])
        ingest_seconds = time.perf_counter() - start
        assert report.files[0].loaded == n, report.files[0]
        dump = (
            store.snapshot()
            .rdf()
            .dump(format=pyoxigraph.RdfFormat.N_TRIPLES, from_graph=pyoxigraph.DefaultGraph())
        )
        triples = dump.count(b"\n")
        floor_store = pyoxigraph.Store(str(Path(tmp) / "floor"))
        start = time.perf_counter()
        floor_store.bulk_load(dump, format=pyoxigraph.RdfFormat.N_TRIPLES)
        floor_seconds = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "references": n,
        "triples": triples,
        "ingest_s": ingest_seconds,
        "refs_per_s": n / ingest_seconds,
        "floor_s": floor_seconds,
        "ratio": ingest_seconds / floor_seconds,
        "peak_mb": peak_mb,
        "validated": bool(report.validation and report.validation.conforms),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one)))
        return
    print(
        f"{'refs':>7} {'triples':>9} {'ingest s':>9} {'refs/s':>8} {'floor s':>8} "
        f"{'x floor':>8} {'peak MB':>8} valid"
    )
    for n in args.sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--one", str(n)], check=True, capture_output=True, text=True
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['references']:>7} {r['triples']:>9} {r['ingest_s']:>9.2f} "
            f"{r['refs_per_s']:>8.0f} {r['floor_s']:>8.2f} {r['ratio']:>8.1f} "
            f"{r['peak_mb']:>8.0f} {r['validated']}"
        )


if __name__ == "__main__":
    main()
