"""The citation audit of a review: what a careful second reader checks by hand.

Citations without an entry, entries never cited, citations linked despite a different
year, spelling or author order, duplicate entries, and, across sources, which records
were merged into one work and where their values disagree; and the method audit of the
review's counts (graph/method_audit.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from rapidfuzz import fuzz

from citegraph.graph.identity import (
    first_family,
    title_key,
)
from citegraph.graph.method_audit import items_by_kind, method_audit, method_sources
from citegraph.graph.prisma_flow import MethodItem
from citegraph.graph.store import Snapshot
from citegraph.loaders.records import Citation, LoadResult, UnresolvedCitation, Work


@dataclass(frozen=True)
class Finding:
    kind: str
    file: str
    line: int
    message: str
    detail: dict[str, object] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


@dataclass
class AuditReport:
    unresolved: list[Finding] = field(default_factory=list)
    uncited: list[Finding] = field(default_factory=list)
    mismatches: list[Finding] = field(default_factory=list)
    duplicates: list[Finding] = field(default_factory=list)
    merges: list[Finding] = field(default_factory=list)
    conflicts: list[Finding] = field(default_factory=list)
    method: list[MethodItem] = field(default_factory=list)  # graph/method_audit.py

    SECTIONS = (
        "unresolved",
        "uncited",
        "mismatches",
        "duplicates",
        "merges",
        "conflicts",
        "method",
    )

    def sections(self) -> dict[str, list[Finding] | list[MethodItem]]:
        return {name: getattr(self, name) for name in self.SECTIONS}

    def to_json(self) -> dict[str, list[dict[str, object]]]:
        return {
            name: [i.to_json() if isinstance(i, MethodItem) else asdict(i) for i in items]
            for name, items in self.sections().items()
        }


def _review_checks(result: LoadResult, report: AuditReport) -> None:
    entries = [w for w in result.works if not w.is_document and not w.cited_only]
    if not any(w.is_document for w in result.works):
        return
    cited: dict[str, Citation] = {}
    for record in result.records:
        if isinstance(record, UnresolvedCitation):
            report.unresolved.append(
                Finding(
                    "unresolved",
                    record.source.path,
                    record.source.line,
                    f"citation {record.text!r} has no entry in the reference list",
                    {"citation": record.text, "context": record.context},
                )
            )
        elif isinstance(record, Citation):
            cited[record.cited] = record
    by_key = {w.key: w for w in entries}
    for key, citation in sorted(cited.items()):
        if citation.flags and key in by_key:
            entry = by_key[key]
            report.mismatches.append(
                Finding(
                    "mismatch",
                    citation.source.path,
                    citation.source.line,
                    f"{', '.join(citation.flags)}: cited as {' / '.join(citation.texts)!r}, "
                    f"entry at line {entry.source.line} reads {(entry.raw or '')[:70]!r}",
                    {
                        "flags": list(citation.flags),
                        "cited_as": list(citation.texts),
                        "entry_line": entry.source.line,
                        "entry": entry.raw,
                        "contexts": list(citation.contexts),
                    },
                )
            )
    for entry in entries:
        if entry.key not in cited:
            report.uncited.append(
                Finding(
                    "uncited",
                    entry.source.path,
                    entry.source.line,
                    f"entry never cited in the text: {(entry.raw or entry.title or '')[:90]!r}",
                    {"entry": entry.raw},
                )
            )
    _duplicate_entries(entries, report)


def _duplicate_entries(entries: list[Work], report: AuditReport) -> None:
    """Same first author and (nearly) the same title: one work listed twice, or a reprint."""
    by_author: dict[str, list[Work]] = defaultdict(list)
    for entry in entries:
        by_author[first_family(entry)].append(entry)
    for group in by_author.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                ta, tb = title_key(a.title), title_key(b.title)
                same_authors = len(a.authors) == len(b.authors)
                if ta and tb and same_authors and fuzz.ratio(ta, tb) >= 90:
                    same_year = a.year == b.year
                    report.duplicates.append(
                        Finding(
                            "duplicate",
                            b.source.path,
                            b.source.line,
                            f"{'duplicate' if same_year else 'possible duplicate (other year)'} of "
                            f"the entry at line {a.source.line}: {(b.title or '')[:70]!r}",
                            {"lines": [a.source.line, b.source.line], "years": [a.year, b.year]},
                        )
                    )


def _merge_checks(decisions: list[dict[str, Any]], report: AuditReport) -> None:
    """The build's own merges, read from the store: the audit never decides identity."""
    for decision in decisions:
        members = decision["members"]
        full = [m for m in members if not m["stub"]]
        if len({m["path"] for m in full}) < 2:
            continue  # a sheet row or bare cited reference linked to its work is no merge
        first = members[0]
        places = [f"{m['path']}:{m['line']}" for m in members]
        shown = ", ".join(places[:5]) + (f" and {len(places) - 5} more" if len(places) > 5 else "")
        report.merges.append(
            Finding(
                "merge",
                first["path"],
                first["line"],
                f"merged {len(members)} records ({', '.join(decision['merged_by']) or 'key'}): "
                f"{decision['title'][:60]!r} from {shown}",
                {"key": decision["key"], "sources": places},
            )
        )
        for attribute, values in decision["conflicts"].items():
            report.conflicts.append(
                Finding(
                    "conflict",
                    first["path"],
                    first["line"],
                    f"{attribute} differs between sources: {' | '.join(sorted(values))[:150]}",
                    {"attribute": attribute, "values": sorted(values)},
                )
            )


def audit(snapshot: Snapshot) -> AuditReport:
    """Only the reviews' records are read: an export has no text to check, and reading a
    10k-row Scopus export's 310k records took the audit 21 of its 23 s."""
    reviews, templates = method_sources(snapshot)
    report = AuditReport()
    for review in reviews:
        _review_checks(review, report)
    _merge_checks(snapshot.identity(), report)
    report.method = items_by_kind(method_audit(snapshot, (reviews, templates)))
    return report
