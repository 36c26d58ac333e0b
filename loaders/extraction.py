"""A reviewer's data-extraction sheet (CSV or YAML): how each included study was coded.

Columns: work, theory, strategy, country, finding, direction, notes. `work` names a
study already in the graph by DOI, citation key or author-year (`Cohen & Felson (1979)`,
`Torres, 2022`); each row becomes a reference stub that graph/identity.py links to that
work, plus the row's mentions and finding. Several values in a cell are split on `;`.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import pycountry
import yaml

from citegraph.loaders.mentions import find_mentions
from citegraph.loaders.records import (
    Agent,
    Finding,
    Issue,
    LoadResult,
    Mention,
    Record,
    Severity,
    Source,
    Work,
)
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text
from citegraph.ontology.vocabulary import concepts

LOADER = "extraction"
COLUMNS = ("work", "theory", "strategy", "country", "finding", "direction", "notes")
DIRECTIONS = {"positive", "negative", "mixed", "null", "none", "unclear"}
DOI = re.compile(r"^(?:doi:|https?://(?:dx\.)?doi\.org/)?(10\.\d{4,9}/\S+)$", re.IGNORECASE)
AUTHOR_YEAR = re.compile(r"^(?P<names>[^\d()]+?)[\s,]*\(?(?P<year>(?:1[5-9]|20)\d\d)[a-z]?\)?$")


def _sniff(head: str, suffix: str) -> bool:
    first = head.lstrip().splitlines()[0].casefold() if head.strip() else ""
    if suffix in (".csv", ".tsv"):
        cells = {c.strip() for c in re.split(r"[,;\t]", first)}
        return "work" in cells and bool(cells & {"theory", "strategy", "finding", "country"})
    if suffix in (".yaml", ".yml"):
        return "work:" in head and ("finding:" in head or "strategy:" in head)
    return False


def _rows(path: Path, text: str) -> list[tuple[int, dict[str, Any]]]:
    """Rows with the line each starts on (YAML items: where the item's node starts)."""
    if path.suffix.lower() in (".yaml", ".yml"):
        data = yaml.safe_load(text) or []
        node: Any = yaml.compose(text)
        if isinstance(data, dict):
            key = "studies" if "studies" in data else "rows"
            data = data.get(key) or []
            node = next((v for k, v in node.value if k.value == key), None)
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        starts = [item.start_mark.line + 1 for item in items]
        return [
            (starts[i] if i < len(starts) else 1, row if isinstance(row, dict) else {})
            for i, row in enumerate(data)
        ]
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    rows = []
    for row in reader:
        normalised = {(k or "").strip().casefold(): v for k, v in row.items()}
        rows.append((reader.line_num, normalised))
    return rows


def _values(cell: Any) -> list[str]:
    if cell is None:
        return []
    items = cell if isinstance(cell, list) else str(cell).split(";")
    return [str(v).strip() for v in items if str(v).strip()]


def _concept(kind: str, value: str) -> str | None:
    """A concept id from an id, a label or an alternative label (case-insensitive)."""
    wanted = value.casefold()
    for concept in concepts():
        if concept.kind == kind and (
            concept.id == wanted or wanted in (label.casefold() for label in concept.labels)
        ):
            return concept.id
    return None


def _place(value: str) -> str | None:
    region = _concept("place", value)
    if region:
        return region
    if len(value) == 2 and pycountry.countries.get(alpha_2=value.upper()):
        return value.upper()
    found = [f for f in find_mentions(value) if f.kind == "place"]
    if found:
        return found[0].concept
    try:
        return str(pycountry.countries.lookup(value).alpha_2)
    except LookupError:
        return None


def _stub(key: str, ref: str, source: Source) -> Work | None:
    """A minimal Work that only identifies a study; identity links it to the real one."""
    doi = DOI.match(ref)
    if doi:
        return Work(key, source, doi=doi.group(1).lower(), cited_only=True, raw=ref)
    author_year = AUTHOR_YEAR.match(ref)
    if author_year:
        names = re.split(r"\s*(?:&|\band\b|,|\bet al\.?)\s*", author_year.group("names"))
        families = [n.strip() for n in names if n.strip()]
        if families:
            authors = tuple(Agent(f, family=f) for f in families)
            return Work(
                key,
                source,
                year=int(author_year.group("year")[:4]),
                authors=authors,
                cited_only=True,
                raw=ref,
            )
    if re.fullmatch(r"[\w:\-./]+", ref):
        return Work(key, source, cited_only=True, raw=ref)  # a citation key: matched on `raw`
    return None


def _row_records(
    number: int, line: int, row: dict[str, Any], path: str
) -> tuple[list[Record], list[Issue]]:
    source = Source(path, line, LOADER)
    ref = str(row.get("work") or "").strip()
    stub = _stub(f"row{number}", ref, source) if ref else None
    if stub is None:
        reason = "no work given" if not ref else f"cannot tell which work {ref!r} is"
        return [], [Issue(source, Severity.ERROR, reason, repr(row))]
    records: list[Record] = [stub]
    issues: list[Issue] = []
    about: list[str] = []
    places: list[str] = []
    for column, kind in (("theory", "theory"), ("strategy", "strategy"), ("country", "place")):
        for value in _values(row.get(column)):
            concept = _place(value) if kind == "place" else _concept(kind, value)
            if concept is None:
                issues.append(
                    Issue(
                        source,
                        Severity.WARNING,
                        f"unknown {column} {value!r}: add it to the ontology scheme",
                    )
                )
                continue
            records.append(Mention(stub.key, kind, concept, value, source))
            (places if kind == "place" else about).append(concept)
    direction = str(row.get("direction") or "").strip().casefold() or None
    if direction and direction not in DIRECTIONS:
        issues.append(Issue(source, Severity.WARNING, f"unknown effect direction {direction!r}"))
    claim = str(row.get("finding") or "").strip()
    if claim:
        notes = str(row.get("notes") or "").strip() or None
        records.append(
            Finding(stub.key, claim, claim, source, tuple(about), tuple(places), direction, notes)
        )
    return records, issues


@register(
    "extraction",
    suffixes=(".csv", ".yaml", ".yml"),
    sniff=_sniff,
    priority=40,
    description="A data-extraction sheet (CSV/YAML): work, theory, strategy, country, "
    "finding, direction, notes",
)
def load(path: Path) -> LoadResult:
    """Load a data-extraction sheet; a row naming no identifiable work is rejected."""
    text_file = read_text(path, LOADER)
    result = LoadResult(str(path), LOADER, issues=list(text_file.issues))
    if not text_file.text.strip():
        result.issues.append(Issue(Source(str(path), 1, LOADER), Severity.WARNING, "empty file"))
        return result
    try:
        rows = _rows(path, text_file.text)
    except (yaml.YAMLError, csv.Error) as error:
        line = getattr(getattr(error, "problem_mark", None), "line", 0) + 1
        result.issues.append(
            Issue(
                Source(str(path), line, LOADER),
                Severity.ERROR,
                f"cannot parse the sheet: {str(error).splitlines()[0]}",
                text_file.text[:2000],
            )
        )
        result.entries = 1
        return result
    result.entries = len(rows)
    for number, (line, row) in enumerate(rows, 1):
        records, issues = _row_records(number, line, row, str(path))
        result.records.extend(records)
        result.issues.extend(issues)
        result.loaded += bool(records)
    return result
