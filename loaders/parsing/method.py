"""A review's method as records the method audit can check against each other.

From the review's own lines: the PRISMA flow counts (loaders/parsing/prisma.py), the
shares its tables and sentences print (`English 38 100%`, `followed by 2022 with 4%`),
the databases its method names, the year range it claims, and figure captions left
without their figure. Nothing is judged here: graph/method_audit.py compares.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import cache

import pycountry

from citegraph.loaders.parsing.databases import database_named, find_databases
from citegraph.loaders.parsing.document import (
    Section,
    Table,
    entries,
    figure_captions,
    sections,
    tables,
)
from citegraph.loaders.parsing.prisma import sentence_counts, table_counts
from citegraph.loaders.records import MethodNote, Record, ReportedShare, Source

_YEAR = r"(?:19|20)\d\d"
_YEARS = re.compile(rf"\b{_YEAR}\b")
_YEAR_RANGE = re.compile(rf"^({_YEAR})\s*(?:[-–—/]|to|and|a|y)\s*({_YEAR})$", re.IGNORECASE)
_CLAIMED_RANGE = re.compile(
    rf"\b(?:from|between|since|during|in the period|period)\s+({_YEAR})\s*(?:to|and|until|through"
    rf"|[-–—])\s*({_YEAR})\b|\b({_YEAR})\s*[-–—]\s*({_YEAR})\b",
    re.IGNORECASE,
)
_LAST_YEARS = re.compile(
    r"\b(?:last|past|previous|recent)\s+(\d+|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|fifteen|twenty)\s+years\b",
    re.IGNORECASE,
)
_NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "fifteen": 15,
    "twenty": 20,
}
#: A sentence claims a search window only when it speaks of publications or the search.
_ABOUT_THE_SEARCH = re.compile(
    r"publi|search|period|\byears?\b|articles|studies|documents|journals|literature|review"
    r"|time frame|window|range|indexed",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(\d+(?:[.,]\d+)?)\s*%")
_TOTAL = re.compile(r"^(?:total|sum|overall)\b", re.IGNORECASE)
_LANGUAGE_GROUP = re.compile(r"language|idioma|lengua|língua", re.IGNORECASE)
_YEAR_GROUP = re.compile(r"\byears?\b|\baño|\bano\b|period", re.IGNORECASE)


@cache
def _language_names() -> dict[str, str]:
    """ISO 639-1 languages by English name (`Spanish` -> `es`), from pycountry."""
    found: dict[str, str] = {}
    for language in pycountry.languages:
        code = getattr(language, "alpha_2", None)
        if code:
            for name in str(language.name).split(";"):
                found[name.strip().casefold()] = code
    return found


def language_code(name: str) -> str | None:
    """`Spanish` -> `es`; a word that names no ISO 639-1 language -> None."""
    return _language_names().get(name.strip().casefold())


def _language_in(text: str) -> tuple[str, int] | None:
    """The first capitalised language name in `text`, and where it ends."""
    for match in re.finditer(r"\b[A-Z][a-z]+\b", text):
        following = text[match.end() : match.end() + 10]
        if language_code(match.group(0)) and not following.lstrip().startswith("America"):
            return match.group(0), match.end()
    return None


def _facet(group: str, label: str) -> str:
    if _LANGUAGE_GROUP.search(group) or language_code(label):
        return "language"
    if _YEAR_GROUP.search(group) or _YEAR_RANGE.match(label) or re.fullmatch(_YEAR, label):
        return "year"
    if database_named(label):
        return "source"
    return "other"


def table_shares(table: Table, work: str, source: Callable[[int], Source]) -> list[ReportedShare]:
    """The rows of a table that give a share: any row with a percentage, and counts of
    years or languages (what the audit checks against the cited works). A group is the
    rows under one first-column label (`Year`, `Language`), else the whole table; its
    `Total` row takes the facet of the rows it totals."""
    rows = entries(table)
    facets: dict[str, list[str]] = {}
    for entry in rows:
        if not _TOTAL.match(entry.label):
            facets.setdefault(entry.group, []).append(_facet(entry.group, entry.label))
    found = []
    for entry in rows:
        is_total = bool(_TOTAL.match(entry.label))
        if is_total:
            known = facets.get(entry.group) or [_facet(entry.group, "")]
            facet = max(set(known), key=known.count)
        else:
            facet = _facet(entry.group, entry.label)
        if entry.percent is None and facet not in ("year", "language"):
            continue
        group = f"{table.label}/{entry.group}" if entry.group else table.label
        found.append(
            ReportedShare(
                work,
                facet,
                entry.label,
                source(entry.line),
                table.label,
                entry.count,
                entry.percent,
                is_total,
                group,
            )
        )
    return found


def sentence_shares(
    sentences: Iterable[tuple[int, str]], work: str, source: Callable[[int], Source]
) -> list[ReportedShare]:
    """Percentages in sentences, with the language or years they are a share of."""
    found = []
    for line, sentence in sentences:
        for match in _PERCENT.finditer(sentence):
            before = sentence[max(0, match.start() - 120) : match.start()]
            after = sentence[match.end() : match.end() + 60]
            category, facet = _category(before, after)
            if category is None:
                continue
            percent = float(match.group(1).replace(",", "."))
            found.append(ReportedShare(work, facet, category, source(line), "text", None, percent))
    return found


def _category(before: str, after: str) -> tuple[str | None, str]:
    """What a percentage in a sentence is a share of: the nearest language named before
    it (or just after: `100% in English`), else the nearest years before it."""
    clause = re.split(r"[;]|\bfollowed by\b|\bwhile\b|\bwhereas\b", before)[-1]
    language = None
    for match in re.finditer(r"\b[A-Z][a-z]+\b", clause):
        if _language_in(clause[match.start() : match.end() + 12]):
            language = match.group(0)
    if language is None:
        found = _language_in(after[:25])
        language = found[0] if found else None
    if language is not None:
        return language, "language"
    years = re.findall(_YEAR, clause)
    if not years:
        return None, "other"
    last = clause.rfind(years[-1])
    pair = re.search(rf"({_YEAR})\s*(?:and|to|-|–|y)\s*({_YEAR})", clause[max(0, last - 12) :])
    if pair:
        return f"{pair.group(1)}-{pair.group(2)}", "year"
    return years[-1], "year"


def _year_claims(
    sentences: Iterable[tuple[int, str]], work: str, source: Callable[[int], Source]
) -> list[MethodNote]:
    found = []
    for line, sentence in sentences:
        if "year" not in sentence.casefold() and len(_YEARS.findall(sentence)) < 2:
            continue  # neither "the last N years" nor a range of two years
        if not _ABOUT_THE_SEARCH.search(sentence):
            continue
        for match in _CLAIMED_RANGE.finditer(sentence):
            first = match.group(1) or match.group(3)
            last = match.group(2) or match.group(4)
            if first <= last:
                found.append(MethodNote(work, "years", (first, last), source(line), sentence))
        for match in _LAST_YEARS.finditer(sentence):
            word = match.group(1).casefold()
            span = int(word) if word.isdigit() else _NUMBER_WORDS[word]
            found.append(MethodNote(work, "years", ("last", str(span)), source(line), sentence))
    return found


def _databases_named(
    sentences: Iterable[tuple[int, str]], work: str, source: Callable[[int], Source]
) -> list[MethodNote]:
    found = []
    for line, sentence in sentences:
        names = tuple(dict.fromkeys(n.database.label for n in find_databases(sentence)))
        if names:
            found.append(MethodNote(work, "databases", names, source(line), sentence))
    return found


def read_method(
    lines: list[str],
    sentences: list[tuple[int, str]],
    work: str,
    source: Callable[[int], Source],
) -> list[Record]:
    """Every method record of a review: flow counts, shares, databases named in the
    method, claimed years, and figure captions with no figure.

    `sentences` are the body's (line, text) pairs; counts are read from those of the
    abstract, method and results (all of them when the review names no sections)."""
    parts = sections(lines)
    counted = [s for s in parts if s.kind in ("abstract", "method", "results")]
    method = [s for s in parts if s.kind == "method"]

    def within(spans: list[Section]) -> list[tuple[int, str]]:
        return [(n, t) for n, t in sentences if any(s.holds(n) for s in spans)]

    read = within(counted) if counted else sentences
    found: list[Record] = []
    captions = []
    for table in tables(lines):
        found += table_counts(table, work, source)
        found += table_shares(table, work, source)
        captions.append((table.line, f"{table.label} {table.title}"))
    found += sentence_counts(read, work, source)
    found += sentence_shares(read, work, source)
    found += _databases_named(within(method) if method else [], work, source)
    found += _unique(_year_claims([*read, *captions], work, source))
    for figure in figure_captions(lines):
        if not figure.has_image:
            found.append(
                MethodNote(
                    work,
                    "figure",
                    (figure.label, figure.title),
                    source(figure.line),
                    f"{figure.label} {figure.title}".strip(),
                )
            )
    return found


def _unique(notes: list[MethodNote]) -> list[MethodNote]:
    """One note per claim and line (a caption is read as a caption and as a sentence)."""
    return list({(n.kind, n.values, n.source.line): n for n in notes}.values())


def discussed_note(
    results: Section, discussed: dict[str, int], work: str, source: Callable[[int], Source]
) -> MethodNote:
    """The reference keys the Results prose cites (`discussed`: key -> first line)."""
    return MethodNote(
        work,
        "discussed",
        tuple(discussed),
        source(results.start),
        results.title,
        tuple(discussed.values()),
    )
