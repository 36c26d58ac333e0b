"""Bibliographic CSV from other tools: Zotero, Dimensions, Lens.org, Publish or Perish, ProQuest.

Each tool names its columns its own way ("Author", "Author/s", "Authors"; "Publication
Year", "PubYear"; "Publication Title", "Source title", "Source"), so columns are matched
by a list of names, case-insensitively. The sniffer claims only a header with a title
column and an author or year column, after the Scopus CSV sniffer; Dimensions puts an
"About the data" line before its header, which is noted and skipped. Rows are read with
`csv_rows`, so an unbalanced quote costs one row.
"""

from __future__ import annotations

import csv
import re
from functools import partial
from pathlib import Path

from citegraph.loaders.collector import Collector, Parsed
from citegraph.loaders.common import (
    clean_text,
    is_organization,
    join_pages,
    normalize_doi,
    normalize_isbn,
    normalize_issn,
    normalize_pages,
    parse_name,
    parse_names,
    parse_year,
    person,
    split_list,
    truncate,
    work_type,
)
from citegraph.loaders.csv_rows import csv_rows, guess_delimiter
from citegraph.loaders.letters import CAPITALS
from citegraph.loaders.records import Agent, LoadResult, Severity, Work, WorkType
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "csv"

# Column names per field, lower-cased, most specific first.
TITLE = ("title", "article title", "document title")
AUTHORS = ("authors", "author", "author(s)", "author/s", "author names", "creators")
YEAR = ("year", "publication year", "pubyear", "pub year")
DATE = ("publication date", "date published", "date", "pubdate")
COLUMNS: dict[str, tuple[str, ...]] = {
    "key": ("key", "lens id", "publication id", "storeid", "id"),
    "doi": ("doi",),
    "container": (
        "source title",
        "publication title",
        "journal",
        "journal title",
        "source",
        "publication",
        "anthology title",
    ),
    "volume": ("volume",),
    "issue": ("issue", "issue number"),
    "pages": ("pages", "pagination", "page range"),
    "start": ("page start", "start page", "startpage", "first page"),
    "end": ("page end", "end page", "endpage", "last page"),
    "abstract": ("abstract", "abstract note"),
    "keywords": ("keywords", "author keywords", "manual tags", "subject", "subjects"),
    "issn": ("issn", "issns", "eissn"),
    "isbn": ("isbn", "isbns"),
    "publisher": ("publisher",),
    "url": ("url", "link", "articleurl", "document url", "external url", "dimensions url"),
    "type": ("item type", "publication type", "document type", "type"),
    "language": ("language",),
    "editors": ("editor", "editors"),
}
_HEADER_SEARCH = 5  # lines searched for the header (Dimensions writes one line before it)
# Publish or Perish (Google Scholar) names: "LE Cohen, M Felson, …", given initials first.
_INITIALS_FIRST = re.compile(rf"(?P<given>[{CAPITALS}]{{1,4}})\s+(?P<family>\S.*)")
_TRUNCATED = frozenset({"…", "...", "et al.", "et al"})


def _cells(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _is_header(cells: list[str]) -> bool:
    names = {c.strip().lower() for c in cells}
    return bool(names & set(TITLE)) and bool(names & (set(AUTHORS) | set(YEAR)))


def _find_header(lines: list[str]) -> int | None:
    """The index of the header among the first lines, or None."""
    for index, line in enumerate(lines[:_HEADER_SEARCH]):
        if line.strip() and _is_header(_cells(line, guess_delimiter(line))):
            return index
    return None


def sniff(head: str, suffix: str) -> bool:
    """A CSV header with a title column and an author or year column."""
    lines = head.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return _find_header(lines) is not None


@register(NAME, suffixes=(".csv", ".tsv"), sniff=sniff, priority=45)
def load(path: Path) -> LoadResult:
    """Rows of a bibliographic CSV (Zotero, Dimensions, Lens.org, Publish or Perish)."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    lines = [line + "\n" for line in text.text.split("\n")]
    start = _find_header(lines)
    if start is None:
        if text.text.strip():
            reason = "not a bibliographic CSV: no header with a title and an author or year column"
            out.reject(1, reason, text.text)
        return out.finish()
    if start:
        out.issue(
            1, Severity.INFO, f"{start} line(s) before the header ignored", "".join(lines[:start])
        )
    delimiter = guess_delimiter(lines[start])
    header = _cells(lines[start], delimiter)
    columns = {name.strip().lower(): i for i, name in reversed(list(enumerate(header)))}
    for line, fields, raw in csv_rows(lines[start:], len(header), delimiter):
        line += start
        if fields is None:
            out.reject(line, "broken row (unbalanced quote or wrong field count)", raw)
        else:
            row = _Row(columns, fields)
            out.entry(line, raw, partial(_parse_row, out, row, line, raw))
    return out.finish()


class _Row:
    """One row's fields looked up by any of a field's column names."""

    def __init__(self, columns: dict[str, int], fields: list[str]) -> None:
        self.columns = columns
        self.fields = fields

    def get(self, *names: str) -> str | None:
        for name in names:
            index = self.columns.get(name)
            if index is not None and (value := self.fields[index].strip()):
                return value
        return None

    def field(self, name: str) -> str | None:
        return self.get(*COLUMNS[name])


def _parse_row(out: Collector, row: _Row, line: int, raw: str) -> Parsed:
    year, suffix = parse_year(row.get(*YEAR) or row.get(*DATE))
    authors, truncated = _authors(row.get(*AUTHORS))
    serial = row.field("issn")
    pages = row.field("pages")
    return Parsed(
        Work(
            key=row.field("key") or f"row{line}",
            source=out.source(line),
            title=clean_text(row.get(*TITLE)),
            year=year,
            year_suffix=suffix,
            type=_type(row.field("type")),
            authors=authors,
            editors=parse_names(split_list(row.field("editors"))),
            doi=normalize_doi(row.field("doi")),
            url=row.field("url"),
            container=clean_text(row.field("container")),
            volume=row.field("volume"),
            issue=row.field("issue"),
            pages=normalize_pages(pages)
            if pages
            else join_pages(row.field("start"), row.field("end")),
            publisher=clean_text(row.field("publisher")),
            issn=normalize_issn(serial),
            isbn=normalize_isbn(row.field("isbn")),
            language=row.field("language"),
            abstract=clean_text(row.field("abstract")),
            keywords=split_list(row.field("keywords")),
            raw=truncate(raw),
            raw_is_record=True,
            flags=("authors_truncated",) if truncated else (),
        )
    )


def _authors(value: str | None) -> tuple[tuple[Agent, ...], bool]:
    """Authors separated by ";" (`Cohen, Lawrence E.; Felson, Marcus`), or by "," when
    every name puts its initials first (Publish or Perish: `LE Cohen, M Felson, …`);
    and whether the list was cut short."""
    if not value:
        return (), False
    initials_first = False
    if ";" in value:
        names = list(split_list(value))
    else:
        pieces = [p.strip() for p in value.split(",") if p.strip()]
        named = [p for p in pieces if p not in _TRUNCATED]
        initials_first = bool(named) and all(_INITIALS_FIRST.fullmatch(p) for p in named)
        names = pieces if initials_first else [value]
    truncated = any(n.strip() in _TRUNCATED for n in names)
    agents = [_name(n, initials_first) for n in names if n.strip() not in _TRUNCATED]
    return tuple(a for a in agents if a), truncated


def _name(text: str, initials_first: bool) -> Agent | None:
    """`J Pérez García` keeps its double surname: all after the initials is the family."""
    match = _INITIALS_FIRST.fullmatch(text.strip()) if initials_first else None
    if match and not is_organization(text):
        return person(match.group("family"), match.group("given"))
    return parse_name(text)


_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _type(value: str | None) -> WorkType:
    """Zotero's `journalArticle`, Lens' `journal article`, Dimensions' `Chapter`."""
    if not value:
        return "other"
    return work_type(_CAMEL.sub(" ", value.strip()))
