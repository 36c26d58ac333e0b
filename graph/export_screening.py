"""The hand-off to screening: one record per work for ASReview, Rayyan or Covidence.

`citegraph export --format ris|csv --dedup` writes each work the database exports
describe once, with its best values (the work node's, as every other export writes
them) and the records it stands for: every source record's file and line, and its own
ID when its file gave one (WoS `UT`, Scopus `EID`, a PMID, a BibTeX key). RIS carries
them in an `N1` note, which Rayyan and Covidence keep; CSV in a `source_records` column.

Which records are one work is read from the store's identity decisions
(`identity.jsonl`, written by the build that made the graph), never decided again, so
the file lists what `prisma` counts as screened: the exports' records less their
duplicates. The records of a review's text, a PRISMA template or cited references
only are no records to screen.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from citegraph.graph.export import write_text
from citegraph.graph.export_bibliography import Author, authors_by_work, ris_entry
from citegraph.graph.prisma_flow import NOT_EXPORTS
from citegraph.graph.property_graph import Node
from citegraph.graph.store import Snapshot
from citegraph.graph.views.reads import whole

SCREENING_FORMATS: tuple[str, ...] = ("ris", "csv")
#: The CSV's columns: Rayyan's import template's names where it has one (`key`,
#: `journal`, `notes`), which ASReview also reads.
CSV_COLUMNS: tuple[str, ...] = (
    "key",
    "title",
    "abstract",
    "authors",
    "year",
    "journal",
    "volume",
    "issue",
    "pages",
    "doi",
    "url",
    "keywords",
    "type",
    "duplicates",
    "source_records",
)
#: `file:line (loader)` in a work node's `sources` (graph/property_graph.py `_sources`).
_SOURCE = re.compile(r"(?P<path>.*):(?P<line>\d+) \((?P<loader>[^()]*)\)")
#: A loader's stand-in key for a record without an ID of its own: a word and its line
#: (`ris12`, `row5`, `record40`, `entry7`).
_STAND_IN = re.compile(r"[a-z]+(?P<line>\d+)")

Place = tuple[str, int]  # (file as ingested, start line)


@dataclass(frozen=True)
class SourceRecord:
    """One export record a work stands for."""

    path: str
    line: int
    key: str | None  # the record's own ID, when its file gave one

    def __str__(self) -> str:
        return f"{self.path}:{self.line}" + (f" [{self.key}]" if self.key else "")


@dataclass(frozen=True)
class ScreeningWork:
    """A work to screen: its node and its records, the build's preferred one first."""

    node: Node
    authors: tuple[Author, ...]
    records: tuple[SourceRecord, ...]

    @property
    def key(self) -> str:
        """The work IRI's last segment: the same work has the same key in every export."""
        return self.node.iri.rsplit("/", 1)[-1]

    def note(self) -> str:
        many = len(self.records) > 1
        kind = f"{len(self.records)} records merged" if many else "1 record"
        return f"citegraph: {kind}: " + "; ".join(map(str, self.records))


@dataclass(frozen=True)
class ScreeningResult:
    works: int
    records: int

    @property
    def duplicates(self) -> int:
        return self.records - self.works


def screening_works(snapshot: Snapshot) -> list[ScreeningWork]:
    """The exports' works, each once, in the order of their first record's file and line."""
    records = _export_records(snapshot)
    groups: dict[Place, list[Place]] = {}
    for decision in snapshot.identity():
        places = [(m["path"], m["line"]) for m in decision["members"]]
        own = [p for p in places if p in records]
        if own:
            groups[own[0]] = own
    grouped = {p for members in groups.values() for p in members}
    groups.update((place, [place]) for place in records if place not in grouped)
    every = whole(snapshot.graph())
    nodes = _nodes_by_record(every.nodes.values())
    authors = authors_by_work(every)
    works = []
    for first in sorted(groups, key=lambda p: min(groups[p])):
        node = nodes.get(first)
        if node is None:
            raise LookupError(f"{first[0]}:{first[1]}: no work in the graph for this record")
        works.append(
            ScreeningWork(
                node,
                tuple(authors.get(node.iri, [])),
                tuple(records[p] for p in groups[first]),
            )
        )
    return works


def _export_records(snapshot: Snapshot) -> dict[Place, SourceRecord]:
    """The records of the database exports (no review text, template or cited reference)."""
    found: dict[Place, SourceRecord] = {}
    for entry in sorted(snapshot.sources_listed.values(), key=lambda e: e.path):
        if entry.format in NOT_EXPORTS:
            continue
        for work in snapshot.store.records.read(entry).works:
            if work.cited_only or work.is_document:
                continue
            stand_in = _STAND_IN.fullmatch(work.key)
            own = None if stand_in and int(stand_in["line"]) == work.source.line else work.key
            place = (work.source.path, work.source.line)
            found[place] = SourceRecord(work.source.path, work.source.line, own)
    return found


def _nodes_by_record(nodes: Iterable[Node]) -> dict[Place, Node]:
    """Each record's work node, by the records the node was derived from."""
    found: dict[Place, Node] = {}
    for node in nodes:
        if node.label != "Work":
            continue
        for source in node.properties.get("sources", []):
            if match := _SOURCE.fullmatch(source):
                found[(match["path"], int(match["line"]))] = node
    return found


def export_screening(snapshot: Snapshot, fmt: str, out: Path | str | TextIO) -> ScreeningResult:
    """Write the works to screen as `fmt` (ris or csv) to a path or an open text stream."""
    if fmt not in SCREENING_FORMATS:
        raise ValueError(
            f"--dedup writes {' or '.join(SCREENING_FORMATS)} for screening tools, not {fmt}"
        )
    works = screening_works(snapshot)
    if not works:
        raise ValueError("no database export ingested: no records to screen")
    write_text(write_ris(works) if fmt == "ris" else write_csv(works), out)
    return ScreeningResult(len(works), sum(len(w.records) for w in works))


def write_ris(works: list[ScreeningWork]) -> Iterator[str]:
    entries = []
    for work in works:
        entry = ris_entry(work.node, list(work.authors))
        entry["id"] = work.key
        entry["notes"] = [work.note()]
        entries.append(entry)
    import rispy  # only the RIS hand-off needs it

    yield rispy.dumps(entries)


def write_csv(works: list[ScreeningWork]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for work in works:
        props = work.node.properties
        writer.writerow(
            [
                work.key,
                props.get("title", ""),
                props.get("abstract", ""),
                "; ".join(a.inverted() for a in work.authors),
                props.get("year", ""),
                props.get("container", ""),
                props.get("volume", ""),
                props.get("issue", ""),
                props.get("pages", ""),
                props.get("doi", ""),
                props.get("url", ""),
                "; ".join(props.get("keywords", [])),
                props.get("type", ""),
                len(work.records) - 1,
                "; ".join(map(str, work.records)),
            ]
        )
    yield buffer.getvalue()
