"""Every merge explained, for the reviewer who has to trust it: `citegraph audit --merges`.

Read from the store's identity decisions (the build's own, never decided again): each
work of two or more records with every source record (file, line, key), each join with
its rule, score and the fields that matched, its other versions, the fields its records
disagree on, and the reviewer's decisions that shaped it. Doubtful merges (lowest score)
come first.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from citegraph.graph.build import cluster_iri
from citegraph.graph.identity.reviewer import Decision, number_of
from citegraph.graph.store import Snapshot


@dataclass(frozen=True)
class Join:
    record: str  # `FILE:LINE` of the record joined
    to: str  # `FILE:LINE` of the record it was joined to
    rule: str  # doi, author-year-title, author-year-venue, author-year, citation-key, reviewer
    score: float  # title similarity 0-100; 100 for a DOI or a reviewer's merge
    matched: list[str]


@dataclass(frozen=True)
class MergedWork:
    iri: str
    title: str
    records: list[dict[str, Any]]  # path, line, record (its key in the file), cited_only
    joins: list[Join]
    score: float  # the weakest join's
    versions: list[str] = field(default_factory=list)  # IRIs of its other printings
    conflicts: dict[str, list[str]] = field(default_factory=dict)
    decisions: list[str] = field(default_factory=list)  # ids of the reviewer's, in force

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def merged_works(snapshot: Snapshot) -> list[MergedWork]:
    reviewer = [d for d in snapshot.decisions() if not d.undone]
    by_record: dict[tuple[str, str], list[str]] = {}
    for decision in reviewer:
        for ref in decision.records:
            by_record.setdefault(ref, []).append(decision.id)
    found = []
    for row in snapshot.identity():
        members = row["members"]
        if len(members) < 2:
            continue
        place = [f"{m['path']}:{m['line']}" for m in members]
        joins = [
            Join(place[link["b"]], place[link["a"]], link["rule"], link["score"], link["matched"])
            for link in row.get("links", [])
        ]
        ids = sorted(
            {i for m in members for i in by_record.get((m["path"], m.get("record", "")), [])},
            key=number_of,
        )
        found.append(
            MergedWork(
                cluster_iri(row["key"]),
                row["title"],
                [{k: m.get(k) for k in ("path", "line", "record", "cited_only")} for m in members],
                joins,
                min((j.score for j in joins), default=100.0),
                [cluster_iri(k) for k in row.get("versions", [])],
                row["conflicts"],
                ids,
            )
        )
    return sorted(found, key=lambda w: (w.score, w.iri))


def decision_lines(decisions: list[Decision]) -> list[str]:
    """The reviewer's decisions, one line each, as `citegraph decisions` lists them."""
    lines = []
    for d in decisions:
        groups = " | ".join(", ".join(f"{p}#{k}" for p, k in g) for g in d.groups)
        state = f" (undone {d.undone})" if d.undone else ""
        note = f" - {d.note}" if d.note else ""
        lines.append(f"{d.id} {d.action} {d.made}{state}: {groups}{note}")
    return lines


@dataclass(frozen=True)
class RecordCounts:
    """What PRISMA asks of de-duplication: records identified per file, and how many
    were removed as duplicates of a record kept (a cited reference is no record)."""

    identified: dict[str, int]  # per file, the records it loaded
    duplicates: dict[str, int]  # per file, its records merged into a work kept elsewhere

    def to_json(self) -> dict[str, Any]:
        total, removed = sum(self.identified.values()), sum(self.duplicates.values())
        return {
            "identified": total,
            "duplicates_removed": removed,
            "unique": total - removed,
            "files": [
                {"path": p, "identified": n, "duplicates_removed": self.duplicates.get(p, 0)}
                for p, n in sorted(self.identified.items())
            ],
        }


def record_counts(snapshot: Snapshot) -> RecordCounts:
    identified = {}
    for entry in snapshot.sources_listed.values():
        summary = snapshot.store.records.summary(entry.path, entry.signature)
        identified[entry.path] = summary.loaded if summary else 0
    duplicates: dict[str, int] = {}
    for row in snapshot.identity():
        own = [m for m in row["members"] if not m.get("cited_only") and not m["stub"]]
        for member in own[1:]:  # the first is the record kept (graph/identity `_member_order`)
            duplicates[member["path"]] = duplicates.get(member["path"], 0) + 1
    return RecordCounts(identified, duplicates)
