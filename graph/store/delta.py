"""The next version built from what changed: the components a new or removed file touches.

A file's records reopen only the identity components they share a key with
(graph/identity.py `closure_keys`), plus those whose author names gain or lose their only
ORCID, plus those citing a work whose IRI the change moves. Those components' triples are
made again from their old records and from their new ones; the index's counts say which
triples leave the graph and which enter it. The previous version's Oxigraph (a hard-linked
backup) and LadybugDB (a copy) are then changed by exactly that difference, and SHACL runs
on the nodes it touches. The result is the graph a full build of every file gives; the
tests hold it to that, in any order and batching of ingests.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pyoxigraph

from citegraph.graph.build import (
    Component,
    component_lines,
    plan,
    work_iris,
)
from citegraph.graph.identity import (
    WorkCluster,
    closure_keys,
    cluster_works,
    decisions,
    name_key,
)
from citegraph.graph.identity.reviewer import NO_DECISIONS, Reviewer, changed_records
from citegraph.graph.records_io import issue_to_json
from citegraph.graph.store import graphdb
from citegraph.graph.store.index import (
    FILE_NAME,
    Counts,
    Index,
    line_hashes,
    orcid_names,
)
from citegraph.graph.store.pg_delta import apply_changes
from citegraph.graph.store.rows import read_reviewer, read_rows, write_rows
from citegraph.graph.store.version import (
    DECISIONS,
    REJECTS,
    decision_order,
    reject_order,
)
from citegraph.graph.triple_table import term_value
from citegraph.graph.validate import LIMIT, ValidationReport, validate, violation_order
from citegraph.loaders.records import LoadResult, Record, Work

#: The share of the graph's triples above which building everything is faster.
LARGEST = 0.1


class TooLarge(Exception):
    """The change touches so much of the graph that a full build is cheaper."""


class _Lookup:
    """Work IRIs: this change's own first, then the index's for the untouched components."""

    def __init__(self, index: Index, own: dict[tuple[str, str], str], reopened: set[int]) -> None:
        self.index, self.own, self.reopened = index, own, reopened
        self._parts: dict[tuple[str, str], str | None] = {}

    def get(self, key: tuple[str, str], /) -> str | None:
        if key in self.own:
            return self.own[key]
        if key not in self._parts:
            self._parts[key] = self.index.iri_outside(key, self.reopened)
        return self._parts[key]


class _Names:
    """The ORCID each name key stands for (graph/identity.py `unify_people`), read for
    the names a component needs from the untouched components plus `works`."""

    def __init__(self, index: Index, reopened: set[int], works: Iterable[Work]) -> None:
        self.index, self.reopened = index, reopened
        self.seen: dict[str, set[str]] = {}
        for work in works:
            for agent in work.authors:
                if agent.orcid and agent.kind == "person":
                    self.seen.setdefault(name_key(agent), set()).add(f"orcid:{agent.orcid}")
        self._cache: dict[str, str | None] = {}

    def value(self, name: str) -> str | None:
        if name not in self._cache:
            stored = self.index.orcids([name], self.reopened).get(name, set())
            orcids = {f"orcid:{o}" for o in stored} | self.seen.get(name, set())
            self._cache[name] = sorted(orcids)[0] if len(orcids) == 1 else None
        return self._cache[name]

    def get(self, key: str, default: str, /) -> str:
        return self.value(key) or default


def _split(records: list[Record]) -> Component:
    return Component(
        [r for r in records if isinstance(r, Work)], [r for r in records if not isinstance(r, Work)]
    )


def build_delta(
    target: Path,
    base: Path,
    removed: set[str],
    added: list[LoadResult],
    reviewer: Reviewer = NO_DECISIONS,
    progress: Callable[[str], None] | None = None,
) -> None:
    """Build version `target` from version `base`, without the records of the files in
    `removed` and with those of `added` (a changed file is in both), under the
    reviewer's decisions `reviewer` (the base's are read from the base)."""
    target.mkdir(parents=True)
    if progress:
        progress("identity of what changed")
    shutil.copyfile(base / FILE_NAME, target / FILE_NAME)
    index = Index(target / FILE_NAME)
    new_records = [r for s in added for r in s.records]
    new_works = [r for r in new_records if isinstance(r, Work)]
    reopened = index.parts_of_sources(removed)
    before_review = Reviewer(tuple(read_reviewer(base)))
    reopened |= index.parts_with_keys({k for w in new_works for k in closure_keys(w, reviewer)})
    reopened |= index.parts_of_records(changed_records(before_review, reviewer))
    old: dict[int, Component] = {}
    before = _Names(index, set(), [])
    while True:
        for number in sorted(reopened - old.keys()):
            old[number] = _split(index.records(number))
        kept = [
            r
            for part in old.values()
            for r in (*part.works, *part.others)
            if r.source.path not in removed
        ]
        parts = plan([*kept, *new_records], reviewer)
        clusters = [cluster_works(p.works, reviewer) for p in parts]
        iris = work_iris(c for found in clusters for c in found)
        old_iris = index.iris(old)
        old_works = [w for p in old.values() for w in p.works]
        names = orcid_names(w for w in old_works if w.source.path in removed) | orcid_names(
            new_works
        )
        after = _Names(index, set(old), [w for p in parts for w in p.works])
        moved_names = {n for n in names if before.value(n) != after.value(n)}
        moved = {k for k in old_iris.keys() | iris.keys() if old_iris.get(k) != iris.get(k)}
        more = index.parts_citing(moved) | index.parts_with_names(moved_names)
        if more <= old.keys():
            break
        reopened |= more
    if progress:
        progress("triples of what changed")
    old_clusters = [cluster_works(part.works, before_review) for part in old.values()]
    gone, gone_lines = _hashed(
        zip(old.values(), old_clusters, strict=True), _Lookup(index, {}, set()), before
    )
    made, made_lines = _hashed(
        zip(parts, clusters, strict=True), _Lookup(index, iris, set(old)), after
    )
    empty = np.zeros(0, dtype=np.uint64)
    counts, left, entered = Counts.read(base).changed(
        np.concatenate(gone) if gone else empty, np.concatenate(made) if made else empty
    )
    if len(left) + len(entered) > LARGEST * max(len(counts.lines), 1):
        raise TooLarge(f"{len(left) + len(entered)} of {len(counts.lines)} triples change")
    deleted = [gone_lines[h] for h in sorted(left)]
    inserted = [made_lines[h] for h in sorted(entered)]
    index.remove(old)
    first = index.next_id()
    for number, part in enumerate(parts, first):
        index.add(number, part, iris, reviewer)
    index.close()
    counts.write(target)
    if progress:
        progress(f"RDF: {len(deleted)} triples out, {len(inserted)} in")
    changed = _apply_rdf(base, target, deleted, inserted)
    _write_decisions(base, target, [c for found in old_clusters for c in found], clusters)
    _write_rejects(base, target, removed, added)
    if progress:
        progress("SHACL and property graph")
    rdf = pyoxigraph.Store(str(target / "oxigraph"))
    _validate(base, target, rdf, changed)
    shutil.copyfile(base / graphdb.FILE_NAME, target / graphdb.FILE_NAME)
    apply_changes(target / graphdb.FILE_NAME, rdf, changed)
    del rdf
    (target / "lease").touch()


def _hashed(
    parts: Iterable[tuple[Component, list[WorkCluster]]], lookup: _Lookup, names: _Names
) -> tuple[list[np.ndarray], dict[int, str]]:
    """Each component's line hashes, and the line each hash stands for."""
    hashes: list[np.ndarray] = []
    lines: dict[int, str] = {}
    for part, found in parts:
        made = component_lines(part, found, lookup, names)
        numbers = line_hashes(made)
        hashes.append(numbers)
        lines.update(zip(numbers.tolist(), made, strict=True))
    return hashes, lines


def _apply_rdf(base: Path, target: Path, deleted: list[str], inserted: list[str]) -> set[str]:
    """The base version's RDF with `deleted` taken out and `inserted` put in; returns the
    subjects either touches."""
    source = pyoxigraph.Store.read_only(str(base / "oxigraph"))
    source.backup(str(target / "oxigraph"))
    del source
    rdf = pyoxigraph.Store(str(target / "oxigraph"))
    subjects: set[str] = set()
    for lines, put in ((deleted, False), (inserted, True)):
        data = ("\n".join(lines) + "\n").encode()
        quads = [
            pyoxigraph.Quad(t.subject, t.predicate, t.object)
            for t in pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.N_TRIPLES)
        ]
        subjects.update(term_value(q.subject) for q in quads)
        if put:
            rdf.extend(quads)
        else:
            for quad in quads:
                rdf.remove(quad)
    rdf.flush()
    del rdf
    return subjects


def _validate(base: Path, target: Path, rdf: Any, focus: set[str]) -> None:
    """The base's report with the violations of the touched nodes checked again."""
    old = ValidationReport.from_json(json.loads((base / "validation.json").read_text()))
    if len(old.violations) >= LIMIT:  # some were never listed: check everything
        report = validate(rdf)
    else:
        report = validate(rdf, focus=focus)
        kept = [v for v in old.violations if v.focus not in focus]
        report.violations = sorted({*kept, *report.violations}, key=violation_order)[:LIMIT]
    (target / "validation.json").write_text(
        json.dumps(report.to_json(), ensure_ascii=False), encoding="utf-8"
    )


def _write_decisions(
    base: Path, target: Path, gone: list[WorkCluster], found: list[list[WorkCluster]]
) -> None:
    """The base's merges, without the reopened components' and with their new ones."""
    dropped = {c.key for c in gone}
    rows = [r for r in read_rows(base / DECISIONS) if r["key"] not in dropped]
    rows += decisions([c for group in found for c in group])
    write_rows(target / DECISIONS, rows, key=decision_order)


def _write_rejects(base: Path, target: Path, removed: set[str], added: list[LoadResult]) -> None:
    rows = [r for r in read_rows(base / REJECTS) if r["source"]["path"] not in removed]
    rows += [issue_to_json(i) for s in added for i in s.rejected]
    write_rows(target / REJECTS, rows, key=reject_order)
