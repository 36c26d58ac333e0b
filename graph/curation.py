"""The reviewer's decisions on identity, made from the command line or a notebook.

`merge` joins works the rules keep apart, `split` parts a work the rules joined, and
`undo` takes a decision back; `import_pairs` reads a screening tool's CSV of pairs to
keep together or apart. Each publishes a new store version built under the decisions,
so every later ingest honours them (graph/identity/reviewer.py says how they are kept).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from citegraph.graph.identity.reviewer import Action, Decision, RecordRef
from citegraph.graph.store import DEFAULT_WAIT, Snapshot, Store, Writer
from citegraph.graph.store.index import FILE_NAME, Index
from citegraph.loaders.records import Work

SAME = {"same", "merge", "together", "duplicate", "duplicates", "yes", "1"}
APART = {"different", "split", "apart", "distinct", "not duplicate", "no", "0"}


class UnknownRecord(ValueError):
    """A reference that names no work nor record of the store; the message says which."""


@dataclass
class ImportReport:
    made: list[Decision] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # `FILE:LINE: reason`

    @property
    def rows(self) -> int:
        return len(self.made) + len(self.rejected)


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def resolve(snapshot: Snapshot, ref: str) -> list[RecordRef]:
    """The records a reference names: a work (its IRI, the IRI's last part, or its DOI)
    gives all its records; `FILE:LINE` gives the records read from that line."""
    index = Index(snapshot.path / FILE_NAME)
    try:
        found = index.records_of_iri(ref) or index.records_of_iri_ending(ref)
        if not found and ref.lower().startswith(("10.", "doi:", "https://doi.org/")):
            found = _records_of_doi(snapshot, index, ref)
        if not found:
            found = _records_at_line(snapshot, index, ref)
    finally:
        index.close()
    if not found:
        raise UnknownRecord(f"{ref}: no work (IRI, DOI) or record (FILE:LINE) of this store")
    return found


def _records_of_doi(snapshot: Snapshot, index: Index, ref: str) -> list[RecordRef]:
    from citegraph.graph.normalize import doi as normal_doi

    doi = normal_doi(ref)
    rows = snapshot.graph().rows(
        "MATCH (w:Work) WHERE w.doi = $doi RETURN w.iri AS iri", {"doi": doi}
    )
    return sorted({r for row in rows for r in index.records_of_iri(str(row["iri"]))})


def _records_at_line(snapshot: Snapshot, index: Index, ref: str) -> list[RecordRef]:
    path, _, line = ref.rpartition(":")
    if not path or not line.isdigit():
        return []
    paths = [e.path for e in snapshot.sources_listed.values()]
    wanted = Path(path).resolve()
    matches = [p for p in paths if p == path] or [p for p in paths if Path(p).resolve() == wanted]
    if not matches:
        matches = [p for p in paths if Path(p).name == Path(path).name]
    if len(matches) != 1:
        return []
    records = {
        (r.source.path, r.key)
        for part in index.parts_of_sources(matches)
        for r in index.records(part)
        if isinstance(r, Work) and r.source.path == matches[0] and r.source.line == int(line)
    }
    return sorted(records)


def _next_id(writer: Writer, made: Iterable[Decision] = ()) -> str:
    """The id after every decision in force or being made (`d7` after `d6`)."""
    return f"d{max((d.number for d in [*writer.decisions, *made]), default=0) + 1}"


def _decide(
    store: Store,
    make: Callable[[Snapshot, Writer], Iterable[Decision]],
    wait: float,
    waiting: Callable[[str], None] | None,
) -> list[Decision]:
    """Make decisions against the published version, under the write lock, and publish
    the version built under them."""
    if not store.exists():
        raise UnknownRecord(f"{store.path}: no store here yet; run `citegraph ingest FILE` first")
    with store.writer(wait, waiting) as writer:
        snapshot = store.snapshot()
        if snapshot is None:
            raise UnknownRecord(f"{store.path}: nothing published yet")
        made = list(make(snapshot, writer))
        for decision in made:
            writer.decide(decision)
        writer.publish()
    return made


def merge(
    store: Store,
    refs: Iterable[str],
    note: str = "",
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> Decision:
    """Make the works and records named one work, whatever the rules say."""

    def make(snapshot: Snapshot, writer: Writer) -> list[Decision]:
        records = sorted({r for ref in refs for r in resolve(snapshot, ref)})
        if len(records) < 2:
            raise UnknownRecord(f"{' '.join(refs)}: one record only, nothing to merge")
        return [_decision(writer, "merge", (tuple(records),), note)]

    return _decide(store, make, wait, waiting)[0]


def split(
    store: Store,
    work: str,
    apart: Iterable[str] = (),
    note: str = "",
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> Decision:
    """Part a work: the records named in `apart` from the rest, or, with none named,
    every record from every other."""

    def make(snapshot: Snapshot, writer: Writer) -> list[Decision]:
        records = resolve(snapshot, work)
        taken = {r for ref in apart for r in resolve(snapshot, ref)}
        groups: tuple[tuple[RecordRef, ...], ...]
        if taken - set(records):
            raise UnknownRecord(f"{work}: does not hold {sorted(taken - set(records))[0]}")
        if taken:
            groups = (tuple(sorted(taken)), tuple(r for r in records if r not in taken))
        else:
            groups = tuple((r,) for r in records)
        if len([g for g in groups if g]) < 2:
            raise UnknownRecord(f"{work}: one record only, nothing to split")
        return [_decision(writer, "split", tuple(g for g in groups if g), note)]

    return _decide(store, make, wait, waiting)[0]


def undo(
    store: Store,
    decision_id: str,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> Decision:
    def make(snapshot: Snapshot, writer: Writer) -> list[Decision]:
        found = [d for d in writer.decisions if d.id == decision_id]
        if not found:
            raise UnknownRecord(f"{decision_id}: no such decision in this store")
        if found[0].undone:
            raise UnknownRecord(f"{decision_id}: already undone on {found[0].undone}")
        return [found[0].undo(now())]

    return _decide(store, make, wait, waiting)[0]


def import_pairs(
    store: Store,
    path: Path,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> ImportReport:
    """A CSV of pairs (`record_a,record_b,decision`, decision `same` or `different`),
    one decision a row; a row that names nothing known is reported and left out."""
    report = ImportReport()

    def make(snapshot: Snapshot, writer: Writer) -> list[Decision]:
        made: list[Decision] = []
        with path.open(encoding="utf-8-sig", newline="") as handle:
            for number, row in enumerate(csv.reader(handle), 1):
                if not row or (number == 1 and row[-1].strip().lower() == "decision"):
                    continue
                reason = _pair(snapshot, writer, row, made)
                if reason:
                    report.rejected.append(f"{path}:{number}: {reason}")
        report.made = made
        return made

    if path.is_file():
        _decide(store, make, wait, waiting)
        return report
    raise UnknownRecord(f"{path}: no such file")


def _pair(snapshot: Snapshot, writer: Writer, row: list[str], made: list[Decision]) -> str:
    """One CSV row to a decision appended to `made`; the reason it is rejected, if it is."""
    if len(row) < 3:
        return "expected three columns: record_a, record_b, decision"
    first, second, verdict = (c.strip() for c in row[:3])
    try:
        a, b = resolve(snapshot, first), resolve(snapshot, second)
    except UnknownRecord as error:
        return str(error)
    kind: Action
    groups: tuple[tuple[RecordRef, ...], ...]
    if verdict.lower() in SAME:
        kind, groups = "merge", (tuple(sorted({*a, *b})),)
    elif verdict.lower() in APART:
        kind, groups = "split", (tuple(a), tuple(b))
    else:
        return f"decision {verdict!r} is neither `same` nor `different`"
    made.append(Decision(_next_id(writer, made), kind, groups, now(), "imported"))
    return ""


def _decision(
    writer: Writer, action: Action, groups: tuple[tuple[RecordRef, ...], ...], note: str
) -> Decision:
    return Decision(_next_id(writer), action, groups, now(), note)
