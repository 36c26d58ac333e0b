"""Citations a reference manager inserted as fields: Zotero, Mendeley (CSL-JSON), EndNote.

A Word or LibreOffice manuscript written with Zotero or Mendeley holds, behind each
printed citation, the cited items as CSL-JSON (`ADDIN ZOTERO_ITEM CSL_CITATION {...}`,
`ADDIN CSL_CITATION {...}`; in ODT a reference mark named `ZOTERO_ITEM CSL_CITATION
{...}`); EndNote holds `ADDIN EN.CITE <EndNote>...` XML. That is better evidence than the
printed text: it names the exact item, with its DOI. After the review loader has read the
printed text, each field item is linked to its reference entry (by DOI, else first author
and year, else title), gives the entry its DOI when the list printed none, and becomes a
work of its own when the list lacks it. Where the field and the printed citation disagree
(another year, another author), the citation is flagged `field_mismatch` and reported.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz

from citegraph.loaders.common import clean_text, normalize_doi, parse_year, person, work_type
from citegraph.loaders.csl_json import csl_agents, csl_year, first_of
from citegraph.loaders.intext import find_citations, fold
from citegraph.loaders.records import (
    Agent,
    Citation,
    Issue,
    LoadResult,
    Record,
    Severity,
    Source,
    Work,
    WorkType,
)

CSL_FIELD = re.compile(r"^\s*(?:ADDIN\s+)?(?:ZOTERO_ITEM\s+)?CSL_CITATION\s+(?=\{)", re.S)
ENDNOTE_FIELD = re.compile(r"^\s*ADDIN\s+EN\.CITE\s+(<EndNote>.*</EndNote>)", re.S)
DOCUMENT = "document"


@dataclass(frozen=True)
class FieldItem:
    """One cited item of a field, as the reference manager stored it."""

    title: str | None
    year: int | None
    authors: tuple[Agent, ...]
    doi: str | None
    container: str | None = None
    type: WorkType = "other"


@dataclass(frozen=True)
class FieldCitation:
    """A citation field: its items, the text printed for it, and the line it is on."""

    items: tuple[FieldItem, ...]
    printed: str
    line: int  # a line of the DocumentText handed to the review loader


def parse_field(instruction: str) -> tuple[FieldItem, ...] | None:
    """The items of a Zotero/Mendeley/EndNote citation field; None for other fields."""
    if CSL_FIELD.match(instruction):
        start = instruction.index("{")
        try:
            data, _ = json.JSONDecoder().raw_decode(instruction[start:])
        except ValueError:
            return ()
        items = data.get("citationItems") if isinstance(data, dict) else None
        return tuple(
            _csl_item(entry["itemData"])
            for entry in items or []
            if isinstance(entry, dict) and isinstance(entry.get("itemData"), dict)
        )
    endnote = ENDNOTE_FIELD.match(instruction)
    if endnote:
        return _endnote_items(endnote.group(1))
    return None


def _csl_item(data: dict[str, Any]) -> FieldItem:
    year, _ = csl_year(data)
    return FieldItem(
        clean_text(first_of(data.get("title"))),
        year,
        csl_agents(data.get("author")) or csl_agents(data.get("editor")),
        normalize_doi(data.get("DOI")),
        clean_text(first_of(data.get("container-title"))),
        work_type(data.get("type")),
    )


def _endnote_items(xml: str) -> tuple[FieldItem, ...]:
    try:
        root = ET.fromstring(xml)
    except ET.ParseError:
        return ()
    items = []
    for cite in root.iter("Cite"):
        record = cite.find("record")
        names = [a.text or "" for a in cite.iter("author")] or [cite.findtext("Author") or ""]
        authors = []
        for name in names:
            family, _, given = name.partition(",")
            if family.strip():
                authors.append(person(family.strip(), given.strip() or None))
        year, _ = parse_year(cite.findtext("Year"))
        title = record.findtext("titles/title") if record is not None else None
        doi = record.findtext("electronic-resource-num") if record is not None else None
        items.append(FieldItem(clean_text(title), year, tuple(authors), normalize_doi(doi)))
    return tuple(items)


def _family(agent: Agent) -> str:
    return fold(agent.family or agent.name)


def _matches(item: FieldItem, work: Work) -> bool:
    if item.doi and work.doi:
        return item.doi == work.doi
    if item.authors and work.authors and item.year == work.year:
        return _family(item.authors[0]) == _family(work.authors[0])
    if item.title and work.title:
        return fuzz.ratio(fold(item.title), fold(work.title)) >= 90
    return False


def _printed_agrees(item: FieldItem, printed: str) -> bool:
    """The printed citation names the item's first author and year (or prints no
    author-year citation at all: a numbered style, which cannot disagree)."""
    found = find_citations(printed if printed.startswith("(") else f"({printed})")
    if not found or not item.authors:
        return True
    family = _family(item.authors[0])
    return any(
        family in {fold(a) for a in c.authors}
        and (item.year is None or str(c.year or "")[:4] == str(item.year))
        for c in found
    )


def _describe(item: FieldItem) -> str:
    who = item.authors[0].family or item.authors[0].name if item.authors else "?"
    doi = f", doi {item.doi}" if item.doi else ""
    return f"{who} {item.year or 'n.d.'}{doi}"


def link_fields(
    result: LoadResult, fields: list[FieldCitation], locate: Callable[[int], Source]
) -> LoadResult:
    """The review loader's records with each field item linked to its entry (see above)."""
    if not fields:
        return result
    records: list[Record] = list(result.records)
    entries = {i: r for i, r in enumerate(records) if isinstance(r, Work) and not r.is_document}
    citations = {r.cited: i for i, r in enumerate(records) if isinstance(r, Citation)}
    issues: list[Issue] = list(result.issues)
    added = 0
    for field in fields:
        where = locate(field.line)
        for item in field.items:
            index = next((i for i, w in entries.items() if _matches(item, w)), None)
            if index is None:
                added += 1
                work = _new_work(item, f"field{added}", where)
                records.append(work)
                index = len(records) - 1
                entries[index] = work
                issues.append(
                    Issue(
                        where,
                        Severity.INFO,
                        f"cited item {_describe(item)} is read from "
                        "its citation field: the reference list has no entry for it",
                    )
                )
            work = entries[index]
            assert isinstance(work, Work)
            if item.doi and not work.doi:
                work = replace(work, doi=item.doi, flags=(*work.flags, "doi_from_field"))
                records[index] = entries[index] = work
            agrees = _printed_agrees(item, field.printed)
            if not agrees:
                issues.append(
                    Issue(
                        where,
                        Severity.WARNING,
                        f"citation field cites {_describe(item)} "
                        f"but the text prints {field.printed!r}",
                    )
                )
            _cite(records, citations, work.key, field, where, agrees)
    loaded = result.loaded + added
    return LoadResult(
        result.path,
        result.format,
        records,
        issues,
        entries=result.entries + added,
        loaded=loaded,
    )


def _cite(
    records: list[Record],
    citations: dict[str, int],
    key: str,
    field: FieldCitation,
    where: Source,
    agrees: bool,
) -> None:
    """The document cites the entry (a citation the printed text alone did not give is
    added); a disagreeing field flags it."""
    flags = () if agrees else ("field_mismatch",)
    if key in citations:
        old = records[citations[key]]
        assert isinstance(old, Citation)
        records[citations[key]] = replace(old, flags=tuple(sorted({*old.flags, *flags})))
        return
    records.append(Citation(DOCUMENT, key, where, (), 1, ("from_field", *flags), (field.printed,)))
    citations[key] = len(records) - 1


def _new_work(item: FieldItem, key: str, where: Source) -> Work:
    return Work(
        key=key,
        source=where,
        title=item.title,
        year=item.year,
        type=item.type,
        authors=item.authors,
        doi=item.doi,
        container=item.container,
        flags=("from_citation_field",),
    )
