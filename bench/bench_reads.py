"""Time the read commands on a generated store: what a question costs, not the store.

    python bench/bench_reads.py --rows 300                 # smoke run, well under 30 s
    python bench/bench_reads.py --rows 10000 --refs 30 --store /tmp/big   # built once, reused

A Scopus CSV export of ROWS rows citing REFS references each (one of the field's classics
among them, so a few works are cited by a third of the rows) is ingested into STORE
unless STORE already holds a graph. Then each read command runs as `citegraph` in a
child process (wall time, start-up included): stats, a focus page around the most cited
classic at depth 2, a json export of a theory's subgraph and of a focus, lineage and
evidence. `--old` also times the whole-graph path the commands took before they read
the database (project every quad with `to_property_graph`, then filter in memory).
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_loaders import write_scopus  # noqa: E402

from citegraph.graph.store import Store  # noqa: E402


def build(store: Path, rows: int, refs: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        export = Path(tmp) / "scopus.csv"
        write_scopus(rows, export, random.Random(1), refs=refs)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "citegraph.cli", "--store", str(store), "ingest", str(export)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        return time.perf_counter() - started


def classic(store: Path) -> tuple[str, str]:
    """The most cited work's DOI (or IRI) and title."""
    with Store(store) as opened:
        snapshot = opened.snapshot()
        assert snapshot is not None
        row = snapshot.graph().rows(
            "MATCH (:Work)-[:CITES]->(w:Work) WITH w, count(*) AS n "
            "RETURN w.iri AS iri, w.doi AS doi, w.name AS name ORDER BY n DESC, iri LIMIT 1"
        )[0]
    return row["doi"] or row["iri"], row["name"]


def timed(store: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "citegraph.cli", "--store", str(store), *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def old_paths(store: Path, focus: str, out: Path) -> dict[str, float]:
    """The whole-graph projection the commands used before, in this process."""
    from citegraph.graph.analysis import analyse
    from citegraph.graph.export import export
    from citegraph.graph.property_graph import to_property_graph
    from citegraph.graph.render import render
    from citegraph.graph.subgraph import SubgraphFilter, select
    from citegraph.graph.work_text import authors_by_work

    found: dict[str, float] = {}
    with Store(store) as opened:
        snapshot = opened.snapshot()
        assert snapshot is not None
        started = time.perf_counter()
        pg = to_property_graph(snapshot.rdf())
        found["projection"] = time.perf_counter() - started
        started = time.perf_counter()
        analyse(pg)
        found["stats"] = found["projection"] + time.perf_counter() - started
        started = time.perf_counter()
        chosen = select(pg, SubgraphFilter(focus=focus, depth=2))
        render(chosen, out / "old.html", title="old", authors=authors_by_work(pg))
        found["focus render"] = found["projection"] + time.perf_counter() - started
        started = time.perf_counter()
        export(pg, "json", out / "old.json", SubgraphFilter(theory="Routine activity theory"))
        found["theory export"] = found["projection"] + time.perf_counter() - started
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--refs", type=int, default=30, help="References per row.")
    parser.add_argument("--store", type=Path, default=None, help="Reused when it holds a graph.")
    parser.add_argument("--old", action="store_true", help="Also time the whole-graph path.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store or Path(tmp) / "store"
        if not Store(store).exists():
            seconds = build(store, args.rows, args.refs)
            print(f"ingest {args.rows} rows x {args.refs} refs: {seconds:.1f} s")
        focus, title = classic(store)
        out = Path(tmp)
        print(f"store {store}; focus {title!r} ({focus})")
        theory = "Routine activity theory"
        runs: dict[str, tuple[str, ...]] = {
            "stats": ("stats",),
            "focus render (depth 2)": ("render", "-o", str(out / "f.html"), "--focus", focus,
                                       "--depth", "2"),
            "focus render (depth 1)": ("render", "-o", str(out / "g.html"), "--focus", focus),
            "theory export (json)": ("export", "--format", "json", "-o", str(out / "t.json"),
                                     "--theory", theory),
            "focus export (json, depth 1)": ("export", "--format", "json", "-o",
                                             str(out / "f.json"), "--focus", focus),
            "lineage": ("lineage", theory),
            "evidence": ("evidence",),
            "startup (--help)": ("--help",),
        }  # fmt: skip
        for name, command in runs.items():
            print(f"{name:32} {timed(store, *command):6.2f} s")
        if args.old:
            for name, seconds in old_paths(store, focus, out).items():
                print(f"old {name:28} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
