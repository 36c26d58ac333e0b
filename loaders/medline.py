"""PubMed's MEDLINE export (`.nbib`, "Save > Format: PubMed").

Each line is a tag padded to four characters, `- ` and a value (`PMID- 31120654`,
`TI  - Title`); a value wraps onto lines indented by six spaces and records are
separated by blank lines. A record opens at its `PMID-` line or at the first tag after
a blank line, so a record that lost its PMID is still read. No well-kept parser of this
format exists on PyPI apart from Biopython's, too heavy a dependency for forty lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    clean_text,
    join_pages,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_orcid,
    organization,
    parse_name,
    parse_year,
    split_list,
    truncate,
)
from citegraph.loaders.records import Agent, LoadResult, Work, WorkType
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "medline"

_TAG = re.compile(r"([A-Z][A-Z0-9]{1,3}) *- ?(.*)")
_SNIFF = re.compile(r"^PMID- ?\d", re.M)
_TRANSLATED = re.compile(r"\[(.+)\]\.?")  # `[Title in English].`: translated from TT
_ID_KIND = re.compile(r"(.*?)\s*\[(\w+)\]\s*")


def sniff(head: str, suffix: str) -> bool:
    """A `PMID- ` line is MEDLINE."""
    return bool(_SNIFF.search(head))


@dataclass
class _Record:
    """One record's (tag, value) pairs in file order, with its start line and text."""

    line: int
    fields: list[tuple[str, str]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def all(self, tag: str) -> list[str]:
        return [v for t, v in self.fields if t == tag and v]

    def one(self, *tags: str) -> str | None:
        for tag in tags:
            values = self.all(tag)
            if values:
                return values[0]
        return None


@register(NAME, suffixes=(".nbib", ".medline"), sniff=sniff, priority=25)
def load(path: Path) -> LoadResult:
    """PubMed MEDLINE records (`.nbib`): PMID, TI, FAU/AU, DP, JT, AID ... [doi]."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    for record in _records(out, text.text.split("\n")):
        raw = "\n".join(record.lines)
        out.entry(record.line, raw, partial(_parse_record, out, record, raw))
    return out.finish()


def _records(out: Collector, lines: list[str]) -> list[_Record]:
    records: list[_Record] = []
    record: _Record | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            record = None
            continue
        match = None if line.startswith(" ") else _TAG.fullmatch(line.rstrip())
        if match is None:
            if record is not None and record.fields and line.startswith(" "):
                tag, value = record.fields[-1]
                record.fields[-1] = (tag, f"{value} {line.strip()}".strip())
                record.lines.append(line)
            else:
                out.warn(
                    number, f"line is no MEDLINE tag and continues none: {line.strip()[:60]!r}"
                )
            continue
        tag, value = match.group(1), match.group(2).strip()
        if record is None or (tag == "PMID" and record.fields):
            record = _Record(number)
            records.append(record)
        record.fields.append((tag, value))
        record.lines.append(line)
    return records


def _parse_record(out: Collector, record: _Record, raw: str) -> Parsed:
    pmid = record.one("PMID")
    if not pmid:
        out.warn(record.line, "record has no PMID line")
    book = record.one("BTI")
    title = _title(record.one("TI"))
    year, suffix = parse_year(record.one("DP", "DEP", "EDAT"))
    return Parsed(
        Work(
            key=pmid or f"record{record.line}",
            source=out.source(record.line),
            title=title or clean_text(book),
            year=year,
            year_suffix=suffix,
            type=_type(record, book, title),
            authors=_agents(record, "FAU", "AU"),
            editors=_agents(record, "FED", "ED"),
            doi=_doi(record),
            url=f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid and pmid.isdigit() else None,
            container=clean_text(record.one("JT", "TA") or (book if title else None)),
            volume=record.one("VI"),
            issue=record.one("IP"),
            pages=_pages(record.one("PG")),
            publisher=clean_text(record.one("PB")),
            issn=_issn(record),
            isbn=normalize_isbn(record.one("ISBN")),
            language=record.one("LA"),
            abstract=clean_text(record.one("AB")),
            keywords=split_list(record.all("OT") + record.all("MH")),
            raw=truncate(raw),
            raw_is_record=True,
        )
    )


def _title(value: str | None) -> str | None:
    """The title without MEDLINE's closing period, or the brackets of a translated one."""
    if not value:
        return None
    value = " ".join(value.split())
    match = _TRANSLATED.fullmatch(value)
    if match:
        value = match.group(1)
    elif value.endswith(".") and not value.endswith(".."):
        value = value[:-1]
    return clean_text(value)


def _agents(record: _Record, full: str, short: str) -> tuple[Agent, ...]:
    """Full names if any, else short ones, collective names (CN) in place; an ORCID
    (AUID) or an affiliation (AD) belongs to the name before it."""
    tag = full if record.all(full) else short
    agents: list[Agent] = []
    for name, value in record.fields:
        if name == tag or (name == "CN" and tag in ("FAU", "AU")):
            agent = organization(value) if name == "CN" else parse_name(value)
            if agent:
                agents.append(agent)
        elif name == "AUID" and agents and value.upper().startswith("ORCID"):
            agents[-1] = _with(agents[-1], orcid=normalize_orcid(value))
        elif name == "AD" and agents and tag in ("FAU", "AU") and not agents[-1].affiliation:
            agents[-1] = _with(agents[-1], affiliation=value)
    return tuple(agents)


def _with(agent: Agent, **changes: str | None) -> Agent:
    return replace(agent, **changes)


def _pages(value: str | None) -> str | None:
    """`1002-9` completed to 1002-1009; `e67` kept."""
    if not value:
        return None
    start, _, end = value.partition("-")
    return join_pages(start, end or None)


def _doi(record: _Record) -> str | None:
    for value in record.all("AID") + record.all("LID"):
        match = _ID_KIND.fullmatch(value)
        if match and match.group(2).lower() == "doi":
            return normalize_doi(match.group(1))
    return None


def _issn(record: _Record) -> str | None:
    """The linking ISSN, else the first (`IS  - 0090-0036 (Linking)`)."""
    values = record.all("IS")
    linking = [v for v in values if "linking" in v.lower()]
    chosen = linking or values
    return normalize_issn(chosen[0]) if chosen else None


def _type(record: _Record, book: str | None, title: str | None) -> WorkType:
    kinds = {v.lower() for v in record.all("PT")}
    if book:
        return "chapter" if title and book != record.one("TI") else "book"
    if "book chapter" in kinds:
        return "chapter"
    if kinds & {"technical report", "government publication"}:
        return "report"
    if "preprint" in kinds:
        return "other"
    if kinds or record.one("JT", "TA"):
        return "article"
    return "other"
