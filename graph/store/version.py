"""One store version built from records: RDF, its SHACL report, rejects, property graph.

Each part is derived from the one before (shared/design.md, "The store"): the records
give the RDF graph, the RDF graph gives the property graph through the one mapping.
Everything is written into a fresh folder the writer publishes only when all of it is
there.
"""

from __future__ import annotations

import io
import itertools
import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph

from citegraph.graph.build import build
from citegraph.graph.freed_memory import return_freed_memory
from citegraph.graph.identity import WorkCluster, decisions
from citegraph.graph.identity.reviewer import NO_DECISIONS, Reviewer
from citegraph.graph.property_graph import triple_table
from citegraph.graph.records_io import issue_to_json
from citegraph.graph.store import graphdb
from citegraph.graph.store.index import Counts, line_hashes, write_index
from citegraph.graph.store.rows import write_rows
from citegraph.graph.triple_table import TripleTable
from citegraph.graph.validate import validate
from citegraph.loaders.records import LoadResult


def build_version(
    target: Path,
    sources: list[LoadResult],
    reviewer: Reviewer = NO_DECISIONS,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Build version `target` from every file's records. The build takes the records:
    `sources` is emptied, and each component's records are let go once its triples are
    made, so memory holds the records or the triples of a large graph, not both."""

    def step(name: str) -> None:
        if progress:
            progress(name)

    target.mkdir(parents=True)
    step("identity")
    write_rejects(target, sources)
    records = [r for s in sources for r in s.records]
    sources.clear()
    built = build(records, reviewer)
    del records
    write_decisions(target, [c for found in built.clusters for c in found])
    step("index")
    write_index(target, built.components, built.work_iri, reviewer)
    step("RDF")
    rdf = pyoxigraph.Store(str(target / "oxigraph"))
    # the property graph is read from the same lines as they pass into the store: a
    # second pass over the store's quads costs ten times as much
    triples = triple_table()
    hashes: list[np.ndarray] = []
    stream = io.BufferedReader(
        _LinesReader(_counted(built.release(), hashes, triples)), buffer_size=1 << 20
    )
    rdf.bulk_load(stream, format=pyoxigraph.RdfFormat.N_TRIPLES)
    rdf.flush()
    del built, stream
    Counts.of(hashes).write(target)
    hashes.clear()
    step("property graph")
    graphdb.create(target / graphdb.FILE_NAME, triples)
    del triples
    return_freed_memory()
    # SHACL after the property graph, not beside it: on two cores beside saved 8% of a
    # 310k-reference ingest (110 s against 143 s) and cost 0.5-0.7 GB more at its peak
    # (4.4-4.6 GB against 3.9 GB), and memory, not time, is what stops a larger ingest
    step("SHACL")
    report = validate(rdf)
    (target / "validation.json").write_text(
        json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8"
    )
    del rdf  # closes Oxigraph before the version is published
    (target / "lease").touch()


def _counted(
    parts: Iterable[list[str]], hashes: list[np.ndarray], triples: TripleTable
) -> Iterator[str]:
    """Each part's lines, hashed for the index and read into the table as they pass."""
    for part in parts:
        hashes.append(line_hashes(part))
        triples.add_lines(part)
        yield from part


DECISIONS = "identity.jsonl"
REJECTS = "rejects.jsonl"


def decision_order(row: dict[str, Any]) -> str:
    return str(row["key"])


def reject_order(row: dict[str, Any]) -> str:
    """By file, each file's rejects in the order its loader gave them (the sort is stable)."""
    return str(row["source"]["path"])


def write_decisions(target: Path, clusters: Iterable[WorkCluster]) -> None:
    """The merges made (an incremental version rewrites some)."""
    write_rows(target / DECISIONS, decisions(clusters), key=decision_order)


def write_rejects(target: Path, sources: Iterable[LoadResult]) -> None:
    rows = [issue_to_json(i) for s in sorted(sources, key=lambda s: s.path) for i in s.rejected]
    write_rows(target / REJECTS, rows, key=reject_order)


class _LinesReader(io.RawIOBase):
    """N-Triples lines read as one byte stream, made and encoded a slice at a time.

    The bulk loader pulls the lines as the builder makes them: the graph as text is
    never whole in memory.
    """

    SLICE = 20_000

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = list(itertools.islice(self._lines, self.SLICE))
            if not chunk:
                return 0
            self._pending = memoryview(("\n".join(chunk) + "\n").encode())
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size
