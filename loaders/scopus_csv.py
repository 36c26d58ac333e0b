"""Scopus CSV exports (Scopus "Export > CSV", all information including references).

Two things the csv module alone gets wrong here. A row with an unbalanced quote makes
csv read on across lines until the next quote and return one long, short row, which
silently swallows the rows after it; a row whose field count is off and that spans
several lines is therefore taken as that accident: its first line is rejected and
reading restarts on the next line. And the References column packs the cited works
as "; "-separated strings in Scopus' own order, read by `parse_scopus_reference`.
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
    organization,
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
from citegraph.loaders.records import Agent, LoadResult, Severity, Source, Work
from citegraph.loaders.registry import register
from citegraph.loaders.text import read_text

NAME = "scopus-csv"

_NO_VALUE = re.compile(r"\[no (?:abstract|author name|title) available\]", re.I)
_AUTHOR_ID = re.compile(r"\s*\(\d+\)\s*$")
_REF_AUTHOR = re.compile(rf"(?P<family>[^\d(),]+?)\s(?P<given>(?:[{CAPITALS}][a-z]?\.\s?-?)+)")
_REF_YEAR = re.compile(r"\((1[5-9]\d\d|20\d\d)[a-z]?\)")
_REF_PAGES = re.compile(r"pp?\.\s*(\S+)")
_REF_DOI = re.compile(r",?\s*(?:DOI:?|https?://(?:dx\.)?doi\.org/)\s*(10\.\S+)", re.I)
_NUMBER = re.compile(r"[A-Z]?\d+[A-Z]?(?:-\d+)?")
_NAME_THEN_AFFILIATION = re.compile(rf"[^,]+?,?\s(?:[{CAPITALS}][a-z]?\.\s?-?)+,\s*(.*)")
_VOLUME_ISSUE = re.compile(r"(\d+)\s*\(([\w-]+)\)")  # older exports: "44 (4)"
_INITIALS = re.compile(rf"(?:[{CAPITALS}][a-z]?\.\s?-?)+")
_FAMILY = re.compile(rf"[{CAPITALS}][\w'’-]*(?:\s[\w'’-]+){{0,3}}")
_EMBEDDED_YEAR = re.compile(
    r"(?P<before>.*?)\s*\((?P<year>1[5-9]\d\d|20\d\d)[a-z]?\)\s*(?P<after>.*)"
)


def sniff(head: str, suffix: str) -> bool:
    """A CSV header naming Scopus' columns; Scopus always has `Year` (Dimensions, whose
    header also has `Source title` and `Authors`, has `PubYear`)."""
    header = head.split("\n", 1)[0]
    if "Source title" not in header:
        return False
    return "EID" in header or (
        "Authors" in header and re.search(r"(?<!\w)Year\b", header) is not None
    )


@register(NAME, suffixes=(".csv",), sniff=sniff, priority=20)
def load(path: Path) -> LoadResult:
    """Scopus CSV rows; References become cited-only works and citations."""
    text = read_text(path, NAME)
    out = Collector(text, NAME)
    lines = [line + "\n" for line in text.text.split("\n")]
    delimiter = guess_delimiter(lines[0])
    if delimiter != ",":
        reason = f"columns separated by {delimiter!r} (re-saved by a spreadsheet)"
        out.issue(1, Severity.INFO, reason)
    header = next(csv.reader(lines[:1], delimiter=delimiter), [])
    columns = {name.strip().lower(): i for i, name in enumerate(header)}
    if text.text.strip() and "title" not in columns:
        out.reject(1, "not a Scopus CSV export: no Title column in the header", text.text)
    elif columns:
        for line, fields, raw in csv_rows(lines, len(header), delimiter):
            if fields is None:
                out.reject(line, "broken row (unbalanced quote or wrong field count)", raw)
            else:
                out.entry(line, raw, partial(_parse_row, out, _Row(columns, fields), line, raw))
    return out.finish()


class _Row:
    """One row's fields looked up by (lower-cased) column name."""

    def __init__(self, columns: dict[str, int], fields: list[str]) -> None:
        self.columns = columns
        self.fields = fields

    def get(self, name: str) -> str | None:
        index = self.columns.get(name)
        if index is None:
            return None
        value = self.fields[index].strip()
        placeholder = value.startswith("[") and _NO_VALUE.fullmatch(value)
        return None if not value or placeholder else value


def _parse_row(out: Collector, row: _Row, line: int, raw: str) -> Parsed:
    year, _ = parse_year(row.get("year"))
    key = row.get("eid") or f"row{line}"
    work = Work(
        key=key,
        source=out.source(line),
        title=clean_text(row.get("title")),
        year=year,
        type=work_type(row.get("document type")),
        authors=_authors(row),
        editors=parse_names(split_list(row.get("editors"))),
        doi=normalize_doi(row.get("doi")),
        url=row.get("link"),
        container=clean_text(row.get("source title")),
        volume=row.get("volume"),
        issue=row.get("issue"),
        # an e-journal's article number stands where the pages would (identity compares it)
        pages=join_pages(row.get("page start"), row.get("page end")) or row.get("art. no.") or None,
        publisher=clean_text(row.get("publisher")),
        issn=normalize_issn(row.get("issn")),
        isbn=normalize_isbn(row.get("isbn")),
        language=row.get("language of original document"),
        abstract=clean_text(row.get("abstract")),
        keywords=split_list(row.get("author keywords")),
        raw=truncate(raw),
        raw_is_record=True,
    )
    references = enumerate(split_references(row.get("references")), 1)
    cited = [parse_scopus_reference(ref, f"{key}#ref-{n}", work.source) for n, ref in references]
    return Parsed(work, cited)


def _authors(row: _Row) -> tuple[Agent, ...]:
    """Full names ("Cohen, Lawrence E. (7402178645)") when exported, else "Cohen L.E."."""
    full = row.get("author full names")
    names = [_AUTHOR_ID.sub("", n) for n in split_list(full)] if full else _short_names(row)
    affiliations = _affiliations(row, len(names))
    agents = (parse_name(n, affiliation=a) for n, a in zip(names, affiliations, strict=True))
    return tuple(a for a in agents if a)


def _short_names(row: _Row) -> list[str]:
    """The Authors column: ";"-separated since 2020, ","-separated before."""
    value = row.get("authors") or ""
    if ";" in value:
        return list(split_list(value))
    return [m.group(0).strip() for m in _REF_AUTHOR.finditer(value)] or list(split_list(value))


def _affiliations(row: _Row, count: int) -> list[str | None]:
    """Each author's affiliation from "Authors with affiliations", when it lines up."""
    parts = split_list(row.get("authors with affiliations"))
    if len(parts) != count:
        return [None] * count
    return [_affiliation(p) for p in parts]


def _affiliation(part: str) -> str | None:
    """`Univ X, City` from `Cohen L.E., Univ X, City` or (older) `Cohen, L.E., Univ X, City`."""
    match = _NAME_THEN_AFFILIATION.match(part)
    if match:
        return match.group(1).strip() or None
    return part.split(", ", 1)[1] if ", " in part else None


def split_references(value: str | None) -> list[str]:
    """The references of a References cell, separated by "; ".

    A title may hold "; " too ("... the criminology of place; a re-examination"): a
    piece starting in lower case continues the reference before it.
    """
    pieces: list[str] = []
    for piece in (value or "").split("; "):
        piece = piece.strip()
        if not piece:
            continue
        if pieces and piece[0].islower():
            pieces[-1] = f"{pieces[-1]}; {piece}"
        else:
            pieces.append(piece)
    return pieces


def parse_scopus_reference(text: str, key: str, source: Source) -> Work:
    """A cited-only Work from one Scopus reference string.

    Scopus writes `Family, I., Family, I., Title (Year) Source, Volume (Issue), pp. Pages`
    and books as `Family, I., (Year) Title, , Publisher, City` (older exports), or
    `Family I., Family I., Title, Source, Volume, Issue, pp. Pages, (Year)` (newer ones).
    Titles containing ", " may be cut at the wrong comma; the parse is rough and
    flagged so.
    """
    doi_match = _REF_DOI.search(text) if "10." in text else None  # the search is costly
    body = text[: doi_match.start()] + text[doi_match.end() :] if doi_match else text
    parts = _with_year_parts([p.strip() for p in body.split(", ") if p.strip()])
    authors = _ref_authors(parts)
    flags = ["parsed_reference"]
    if parts and parts[0].lower().rstrip(".") == "et al":
        parts.pop(0)
        flags.append("authors_truncated")
    year, where = _year_slot(parts)
    before, after = (parts[:where], parts[where + 1 :]) if where is not None else (parts, [])
    title: str | None
    publisher = None
    if after and not before:  # an old-style book: (1961) Title, , Publisher, City
        title, rest, publisher = after[0], [], ", ".join(after[1:]) or None
    elif after:  # old order: the year separates title from source
        title, rest = ", ".join(before) or None, after
    else:
        title, rest = _split_title(before)
    pages = next((m.group(1) for p in rest if (m := _REF_PAGES.fullmatch(p))), None)
    volume, issue = _volume_issue(rest[1:])
    if not title:
        flags.append("no_title")
    return Work(
        key=key,
        source=source,
        title=clean_text(title),
        year=year,
        type="article" if volume or pages else ("book" if publisher else "other"),
        authors=tuple(authors),
        doi=normalize_doi(doi_match.group(1)) if doi_match else None,
        container=clean_text(rest[0]) if rest else None,
        volume=volume,
        issue=issue,
        pages=normalize_pages(pages),
        publisher=clean_text(publisher),
        raw=truncate(text),
        cited_only=True,
        flags=tuple(flags),
    )


def _with_year_parts(parts: list[str]) -> list[str]:
    """Parts with an embedded "(1979)" made a part of its own, unless one already is.

    Older exports write `Title (1979) Source` and `(1961) Title` in one comma part.
    """
    if any(_REF_YEAR.fullmatch(p) for p in parts):
        return parts
    for index in range(len(parts) - 1, -1, -1):
        match = _EMBEDDED_YEAR.fullmatch(parts[index])
        if match and (match.group("before") or match.group("after")):
            pieces = [match.group("before"), f"({match.group('year')})", match.group("after")]
            return parts[:index] + [p for p in pieces if p] + parts[index + 1 :]
    return parts


def _ref_authors(parts: list[str]) -> list[Agent]:
    """Pop the leading authors off `parts`: `Cohen L.E.` parts or `Cohen`, `L.E.` pairs.

    A first part naming an institution (`World Health Organization`) is its author.
    """
    authors: list[Agent] = []
    while parts:
        if author := _REF_AUTHOR.fullmatch(parts[0]):
            authors.append(person(author.group("family"), author.group("given")))
            del parts[0]
        elif len(parts) > 2 and _FAMILY.fullmatch(parts[0]) and _INITIALS.fullmatch(parts[1]):
            authors.append(person(parts[0], parts[1]))
            del parts[:2]
        else:
            break
    if not authors and len(parts) > 1 and is_organization(parts[0]):
        authors.append(organization(parts.pop(0)))
    return authors


def _volume_issue(parts: list[str]) -> tuple[str | None, str | None]:
    """Volume and issue after the source: `44 (4)`, or `44`, `4` as separate parts."""
    for part in parts:
        if match := _VOLUME_ISSUE.fullmatch(part):
            return match.group(1), match.group(2)
    numbers = [p for p in parts if _NUMBER.fullmatch(p)]
    return (numbers[0] if numbers else None), (numbers[1] if len(numbers) > 1 else None)


def _year_slot(parts: list[str]) -> tuple[int | None, int | None]:
    """The year and the index of its `(1979)` part, searched from the end."""
    for index in range(len(parts) - 1, -1, -1):
        match = _REF_YEAR.fullmatch(parts[index])
        if match:
            return int(match.group(1)), index
    return None, None


def _split_title(parts: list[str]) -> tuple[str | None, list[str]]:
    """Split `Title, Source, 44, 4, pp. 1-2` where no year part separates the two.

    The source is the part before the trailing volume/issue/pages. Without those numbers
    there is no telling a source from the rest of a title with commas in it (books are
    the usual case), so everything stays title.
    """
    end = len(parts)
    while end > 0 and _is_number_part(parts[end - 1]):
        end -= 1
    if end == len(parts):
        return ", ".join(parts) or None, []
    if end == 0:
        return None, parts
    return ", ".join(parts[: end - 1]) or None, parts[end - 1 :]


def _is_number_part(part: str) -> bool:
    return bool(
        _NUMBER.fullmatch(part) or _VOLUME_ISSUE.fullmatch(part) or _REF_PAGES.fullmatch(part)
    )
