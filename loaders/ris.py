"""RIS files (EndNote, Zotero, Mendeley, EBSCO, ProQuest, JSTOR exports).

rispy reads the tags but keeps no line numbers, silently drops a record whose `ER  -`
is missing and merges two records when an `ER  -` between them is lost. So the file is
first cut into records at its `TY  -` / `ER  -` lines (a regex pass, cheap), and rispy
reads each record alone: every record keeps its start line and a missing `ER` loses
nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import rispy

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    Rejected,
    clean_text,
    join_pages,
    known_type,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    parse_names,
    parse_year,
    split_list,
    truncate,
    work_type,
)
from citegraph.loaders.records import Agent, LoadResult, Severity, Work
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "ris"

_BOUNDARY = re.compile(r"^(TY|ER)  -.*$", re.M)
_TAG_LINE = re.compile(r"^(?!ER)[A-Z][A-Z0-9]  -", re.M)
_ANY_TAG = re.compile(r"([A-Z][A-Z0-9])  -")
# Tags whose value may wrap onto untagged lines (titles, abstracts, notes, places).
_FREE_TEXT_TAGS = frozenset(
    "AB N1 N2 TI T1 T2 T3 BT CT ST JF JO JA J1 J2 AD PB CY KW M3 RP TT".split()
)
_PARSER = rispy.RisParser()

_TITLE_KEYS = ("title", "primary_title", "short_title")
_CONTAINER_KEYS = (
    "secondary_title",
    "journal_name",
    "alternate_title3",
    "alternate_title2",
    "alternate_title1",
)
# In book records T2 names the series, not a container.
_BOOK_CONTAINER_KEYS = ("journal_name", "alternate_title3")


def sniff(head: str, suffix: str) -> bool:
    """A `TY  - ` line is RIS."""
    return bool(re.search(r"^TY  - ", head, re.M))


@register(NAME, suffixes=(".ris",), sniff=sniff, priority=30)
def load(path: Path) -> LoadResult:
    """RIS records (rispy), each with its `TY  -` line."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    for line, chunk, closed in _records(out, text.text):
        _read_record(out, line, chunk, closed)
    return out.finish()


def _records(out: Collector, text: str) -> list[tuple[int, str, bool]]:
    """Cut the text into (start line, record text, has ER) at its TY and ER lines.

    Text outside records is checked: tag lines there are a record that lost its TY
    line (rejected), anything else (a provider header) is only noted.
    """
    records: list[tuple[int, str, bool]] = []
    line, counted = 1, 0
    outside = 0  # offset where text outside any record starts
    start: tuple[int, int] | None = None  # (line, offset) of the open record
    for match in _BOUNDARY.finditer(text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        if match.group(1) == "TY":
            if start is not None:
                records.append((start[0], text[start[1] : match.start()], False))
            else:
                _outside(out, text, outside, match.start())
            start = (line, match.start())
        elif start is not None:
            records.append((start[0], text[start[1] : match.end()], True))
            start, outside = None, match.end()
    if start is not None:
        records.append((start[0], text[start[1] :], False))
    else:
        _outside(out, text, outside, len(text))
    return records


def _outside(out: Collector, text: str, begin: int, end: int) -> None:
    """Report what lies between records (a stray `ER  -` counts as outside text)."""
    chunk = text[begin:end]
    if not chunk.strip():
        return
    lead = len(chunk) - len(chunk.lstrip())
    line = text.count("\n", 0, begin + lead) + 1
    if _TAG_LINE.search(chunk):
        out.reject(line, "RIS tags outside a record (no 'TY  -' line)", chunk.strip())
    else:
        out.issue(line, Severity.INFO, "text outside RIS records ignored", chunk.strip())


def _read_record(out: Collector, line: int, chunk: str, closed: bool) -> None:
    if not closed:
        out.warn(line, "record has no 'ER  -' line; read up to the next record or the end")
    body = _without_stray_lines(out, line, chunk)
    body = body if closed else f"{body.rstrip()}\nER  - "
    out.entry(line, chunk.strip(), lambda: _parse_record(out, line, body))


def _without_stray_lines(out: Collector, line: int, chunk: str) -> str:
    """The record without untagged lines that cannot continue the tag before them.

    rispy appends an untagged line to the previous tag's value: right for a wrapped
    abstract or title, but a stray line after `EP  - 648` would make the pages
    "648 some text". Such lines are left out, each with a warning naming it.
    """
    lines = chunk.split("\n")
    kept: list[str] = []
    tag = ""
    for number, text in enumerate(lines, line):
        match = _ANY_TAG.match(text)
        if match:
            tag = match.group(1)
        elif text.strip() and tag not in _FREE_TEXT_TAGS:
            out.warn(number, f"untagged line after {tag or 'TY'} ignored: {text.strip()[:60]!r}")
            continue
        kept.append(text)
    return "\n".join(kept)


def _parse_record(out: Collector, line: int, body: str) -> Parsed:
    """Build the Work of one record from rispy's dictionary."""
    parsed = _PARSER.parse(body)
    if len(parsed) != 1:
        raise Rejected("malformed RIS record")
    record: dict[str, Any] = parsed[0]
    code = str(record.get("type_of_reference", "")).strip()
    if not known_type(code):
        out.warn(line, f"unknown RIS type {code!r}, read as other")
    kind = work_type(code)
    year, suffix = parse_year(_one(record, "year", "publication_year", "date"))
    serial = _one(record, "issn")
    return Parsed(
        Work(
            # ProQuest gives no ID, only its accession number (AN).
            key=_one(record, "id", "label", "accession_number") or f"ris{line}",
            source=out.source(line),
            title=clean_text(_one(record, *_TITLE_KEYS)),
            year=year,
            year_suffix=suffix,
            type=kind,
            authors=_agents(record.get("authors"), record.get("first_authors")),
            # ED is no rispy tag: it lands among the unknown tags.
            editors=_agents(record.get("secondary_authors"), _unknown(record, "ED")),
            doi=normalize_doi(_one(record, "doi")),
            url=_first_url(record),
            container=clean_text(_container(record, kind)),
            volume=_one(record, "volume"),
            issue=_one(record, "number"),
            pages=join_pages(record.get("start_page"), record.get("end_page")),
            publisher=clean_text(_one(record, "publisher")),
            issn=normalize_issn(serial),
            isbn=None if normalize_issn(serial) else normalize_isbn(serial),
            language=_one(record, "language"),
            abstract=clean_text(_one(record, "abstract", "notes_abstract")),
            keywords=_keywords(record.get("keywords")),
            raw=truncate(body),
            raw_is_record=True,
        )
    )


def _one(record: dict[str, Any], *keys: str) -> str | None:
    """The first non-empty value among `keys` (rispy gives single tags as strings)."""
    for key in keys:
        value = record.get(key)
        if value and isinstance(value, str):
            return value.strip() or None
    return None


def _agents(*values: Any) -> tuple[Agent, ...]:
    """Agents from name tags, in order and without repeats (AU and A1 often duplicate)."""
    names = [str(n) for value in values if isinstance(value, list) for n in value]
    return parse_names(dict.fromkeys(names))


def _keywords(value: Any) -> tuple[str, ...]:
    """KW values, one per tag or (SciELO) all in one `KW  - a; b; c` line."""
    items = value if isinstance(value, list) else [value] if value else []
    return split_list(";".join(str(v) for v in items))


def _unknown(record: dict[str, Any], tag: str) -> Any:
    return record.get("unknown_tag", {}).get(tag)


def _container(record: dict[str, Any], kind: str) -> str | None:
    keys = _BOOK_CONTAINER_KEYS if kind == "book" else _CONTAINER_KEYS
    return _one(record, *keys)


def _first_url(record: dict[str, Any]) -> str | None:
    urls = record.get("urls") or []
    return next((u for u in urls if u.startswith("http")), None)
