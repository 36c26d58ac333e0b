"""The store at the sizes researchers have: ingest, every saved query on both engines, the
read commands people run after ingest, adding ten records, and peak memory.

    python bench/bench_store.py --sizes review:20000 scopus:10000x30 review:200000
    python bench/bench_store.py --sizes review:300 --neo4j     # a smoke run
    python bench/bench_store.py --sizes scopus:20000x50 --ingest-only --data /tmp/inputs

A size is `review:N` (a review whose reference list holds N references, each cited in
its text) or `scopus:ROWSxREFS` (a Scopus CSV export of ROWS rows citing REFS works each).
Ingest and adding ten records run as `citegraph ingest` in a child process, so their
wall time and peak RSS are their own; the first ingest's are also given per phase
(reading the files, then the build's: identity, index, RDF, property graph, SHACL).
Saved queries are timed inside this process with
the database already open (process start-up excluded), best of three; with `--neo4j`
(and NEO4J_URI/NEO4J_PASSWORD set) the store is synced and each query also runs on
Neo4j. `stats`, `render --focus X --depth 2` (X a typical work, cited as often as the
median one, then the most-cited work) and an export of a theory's subgraph are timed as
the commands people type, start-up included.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

# The child's peak is its own VmHWM: ru_maxrss after fork and exec reports the parent's
# peak when that is higher (Linux keeps the forked copy's high-water mark at exec), and
# this parent holds the database the saved queries ran on.
# Each phase's wall time and peak RSS (VmRSS sampled every 50 ms) go to stderr as JSON.
CHILD = """
import json, sys, threading, time
from pathlib import Path
from citegraph.graph.ingest import ingest
from citegraph.graph.store import Store
def memory(field):
    status = Path("/proc/self/status").read_text()
    return int(next(l for l in status.splitlines() if l.startswith(field)).split()[1]) / 1024
phases = [["read files", time.perf_counter(), memory("VmRSS:")]]
def sample():
    while True:
        phases[-1][2] = max(phases[-1][2], memory("VmRSS:"))
        time.sleep(0.05)
threading.Thread(target=sample, daemon=True).start()
start = time.perf_counter()
report = ingest(
    Store(sys.argv[1]),
    [Path(p) for p in sys.argv[2:]],
    phases=lambda name: phases.append([name, time.perf_counter(), memory("VmRSS:")]),
)
seconds = time.perf_counter() - start
ends = [p[1] for p in phases[1:]] + [time.perf_counter()]
print(json.dumps([[n, end - t, peak] for (n, t, peak), end in zip(phases, ends)]), file=sys.stderr)
print(seconds, memory("VmHWM:"), sum(f.loaded for f in report.files))
"""
THEORY = "Routine activity theory"
#: The `citegraph` pip installed beside this interpreter, as a virtualenv's PATH finds it:
#: on PATH first there may be a version manager's shell shim (pyenv's adds 0.06 s to
#: every command here).
CONSOLE_SCRIPT = shutil.which("citegraph", path=str(Path(sys.executable).parent)) or "citegraph"


def write_input(size: str, folder: Path) -> tuple[Path, int]:
    """The input of a size, written unless `folder` holds it already (inputs are seeded)."""
    kind, _, amount = size.partition(":")
    if kind == "review":
        from generate import review

        path = folder / f"review-{amount}.md"
        if not path.exists():
            path.write_text(review(int(amount)), encoding="utf-8")
        return path, int(amount)
    if kind == "scopus":
        from bench_loaders import write_scopus

        rows, _, refs = amount.partition("x")
        path = folder / f"scopus-{amount}.csv"
        if not path.exists():
            write_scopus(int(rows), path, random.Random(5), refs=int(refs or 5))
        return path, int(rows) * (1 + int(refs or 5))
    raise SystemExit(f"size {size!r}: expected review:N or scopus:ROWSxREFS")


def ten_records(folder: Path) -> Path:
    path = folder / "ten.bib"
    path.write_text(
        "\n".join(
            f"@article{{added{i}, author = {{Added, A. and Later, B.}}, "
            f"title = {{A study added later number {i}}}, journal = {{Added Studies}}, "
            f"year = {{2025}}, volume = {{{i + 1}}}, pages = {{1--10}}}}"
            for i in range(10)
        ),
        encoding="utf-8",
    )
    return path


def child_ingest(store: Path, *files: Path) -> tuple[float, float, int, list[Any]]:
    """Wall time, peak RSS in MB, records loaded, and [phase, seconds, peak MB] rows."""
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(store), *map(str, files)],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        # The child's own traceback is the only account of what failed; pass it on.
        sys.exit(f"ingest into {store} failed (exit {out.returncode}):\n{out.stderr[-4000:]}")
    seconds, peak, loaded = out.stdout.split()
    return float(seconds), float(peak), int(loaded), json.loads(out.stderr.splitlines()[-1])


def command(store: Path, *args: str) -> float:
    """A command as a researcher runs it, best of two after a first run: that one writes
    the bytecode an installed package has (a shell with PYTHONDONTWRITEBYTECODE would
    compile citegraph anew every time) and reads the store into the OS cache."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    run = [CONSOLE_SCRIPT, "--store", str(store), *args]
    subprocess.run(run, check=True, capture_output=True, env=env | {"NEO4J_URI": ""})
    return best_of(
        lambda: subprocess.run(run, check=True, capture_output=True, env=env | {"NEO4J_URI": ""}),
        times=2,
    )


def best_of(run: Any, times: int = 3) -> float:
    best = float("inf")
    for _ in range(times):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def arguments(db: Any) -> dict[str, Any]:
    """Parameters that make the saved queries find something in this store."""
    top = db.rows(
        "MATCH (:Work)-[:CITES]->(w:Work) RETURN w.name AS name, w.iri AS iri, count(*) AS n "
        "ORDER BY n DESC, name LIMIT 1"
    )
    # a typical focus: a work cited as often as the median cited work, first by IRI
    degrees = db.rows(
        "MATCH (:Work)-[:CITES]->(w:Work) WITH w, count(*) AS n RETURN w.iri AS iri, n "
        "ORDER BY n, iri"
    )
    median = degrees[len(degrees) // 2]["n"] if degrees else 0
    typical = next((d["iri"] for d in degrees if d["n"] == median), "")
    citing = db.rows(
        "MATCH (a:Work)-[:CITES]->(:Work)<-[:CITES]-(b:Work) WHERE a.iri < b.iri "
        "RETURN a.name AS a, b.name AS b LIMIT 1"
    )
    return {
        "theory": THEORY,
        "strategy": "Community participation",
        "work": top[0]["name"] if top else "",
        "focus": top[0]["iri"] if top else "",  # a name may be shared by several works
        "typical": typical,
        "a": citing[0]["a"] if citing else "",
        "b": citing[0]["b"] if citing else "",
    }


def saved_query_times(store_path: Path, neo4j: bool) -> dict[str, dict[str, float]]:
    from citegraph.graph.query import run_embedded, run_neo4j
    from citegraph.graph.saved_queries import saved_queries
    from citegraph.graph.store import Store

    store = Store(store_path)
    snapshot = store.snapshot()
    assert snapshot is not None
    db = snapshot.graph()
    given = arguments(db)
    times: dict[str, dict[str, float]] = {}
    driver = database = None
    if neo4j:
        from bench_sync import empty

        from citegraph.graph.neo4j_connect import connect, resolve_settings
        from citegraph.graph.neo4j_sync import sync
        from citegraph.graph.views.reads import whole

        settings = resolve_settings()
        driver, database = connect(settings), settings.database
        empty(driver, database)
        start = time.perf_counter()
        sync(whole(db), driver, database, "bench")
        times["(sync)"] = {"neo4j": time.perf_counter() - start}
    from citegraph.graph.query import QueryError

    for name, query in saved_queries().items():
        params = query.bind({p.name: given[p.name] for p in query.params if p.required})
        try:
            row = {"embedded": best_of(lambda q=query, p=params: run_embedded(db, q.text, p))}
        except QueryError as error:  # e.g. all pairs of a 200k-reference list: say so, go on
            print(f"  {name}: embedded engine failed: {error}", file=sys.stderr)
            times[name] = {}
            continue
        if driver is not None:
            row["neo4j"] = best_of(lambda q=query, p=params: run_neo4j(driver, database, q.text, p))
        times[name] = row
    if driver is not None:
        driver.close()
    store.close()
    return times


def measure(size: str, neo4j: bool, ingest_only: bool, data: Path | None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        source, references = write_input(size, data or folder)
        store = folder / "store"
        seconds, peak, loaded, phases = child_ingest(store, source)
        first = {
            "size": size,
            "references": references,
            "loaded": loaded,
            "ingest_s": seconds,
            "ingest_peak_mb": peak,
            "ingest_phases": phases,
        }
        if ingest_only:
            return first
        from citegraph.graph.store import Store

        with Store(store) as opened:
            snapshot = opened.snapshot()
            assert snapshot is not None
            given = arguments(snapshot.graph())
        reads = {
            "stats": command(store, "stats"),
            **{
                f"render focus depth 2 ({which})": command(
                    store, "render", "-o", str(folder / "f.html"), "--focus", focus, "--depth", "2"
                )
                for which, focus in (("typical", given["typical"]), ("most cited", given["focus"]))
            },
            "export theory json": command(
                store, "export", "--format", "json", "--theory", THEORY, "-o", str(folder / "t")
            ),
        }
        # after the read commands: Neo4j goes on working for minutes after a large sync,
        # and on a 2-core machine the commands timed then ran 2-3x slower
        queries = saved_query_times(store, neo4j)
        added, added_peak, _, _ = child_ingest(store, source, ten_records(folder))
    return {
        **first,
        "add_ten_s": added,
        "add_ten_share": added / seconds,
        "add_ten_peak_mb": added_peak,
        "reads_s": reads,
        "queries_s": queries,
    }


def report(result: dict[str, Any]) -> None:
    print(
        f"\n{result['size']}: {result['references']} references, ingest {result['ingest_s']:.1f} s,"
        f" peak {result['ingest_peak_mb']:.0f} MB"
        f" ({1024 * result['ingest_peak_mb'] / result['references']:.1f} KB a reference)"
    )
    for name, seconds, peak in result["ingest_phases"]:
        print(f"  ingest: {name:<16} {seconds:7.1f} s  peak {peak:6.0f} MB")
    if "add_ten_s" not in result:
        return
    print(
        f"  adding 10 records {result['add_ten_s']:.1f} s"
        f" = {100 * result['add_ten_share']:.0f}% of the first ingest"
    )
    for name, seconds in result["reads_s"].items():
        print(f"  {name:<24} {seconds:7.2f} s")
    print(f"  {'saved query':<32} {'embedded s':>10} {'neo4j s':>9}")
    for name, row in result["queries_s"].items():
        neo = f"{row['neo4j']:9.3f}" if "neo4j" in row else f"{'-':>9}"
        emb = f"{row['embedded']:10.3f}" if "embedded" in row else f"{'-':>10}"
        print(f"  {name:<32} {emb} {neo}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["review:300"])
    parser.add_argument("--neo4j", action="store_true", help="also sync and query Neo4j")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--ingest-only", action="store_true", help="measure the first ingest and nothing else"
    )
    parser.add_argument(
        "--data", type=Path, help="keep generated inputs here and reuse them (1M takes minutes)"
    )
    args = parser.parse_args()
    results = []
    for size in args.sizes:
        results.append(measure(size, args.neo4j, args.ingest_only, args.data))
        report(results[-1])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
