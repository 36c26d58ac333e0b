"""Parse one reference-list entry of the author–date family into structured fields.

Two readers work together. The rules (`reference_rules`) read an entry by its
punctuation and markup and are right nearly always where a Markdown list sets titles and
journals in italics or quotes (APA and the seed). Plain text leaves them to guess where a
title ends (`Name (2013), Title, in: Journal, 38, 1&2, 191-226.`, `Name, I. (1995): Title.
Subtitle. London.`), and there the CRF (`reference_crf`), trained on AnyStyle's tagged
references, labels every token instead. Where the two agree a field is sure; where they
differ the CRF's reading is taken (measured right about eight times in ten where the rules
are right one time in ten), with its own probability as the field's confidence. Where
typography gave a title but the rules found no year or no authors (`Name, I. 2000 Title.
*Journal* 21: 1-9.`, a year without brackets before an italic journal), the CRF is asked
too: on AnyStyle strings typeset with italic journals that lifted the first author from
0.87 to 0.98 and the year from 0.95 to 0.98 (bench/bench_pdf_references.py).

`parse_reference` never raises: what it is unsure of goes into `flags` (a field below
0.5 gets `low_confidence:FIELD`) and lowers `confidence`, so the caller can keep a
doubtful entry visible instead of dropping it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

from citegraph.loaders import reference_crf
from citegraph.loaders.intext import fold
from citegraph.loaders.records import Agent, Source, Work, WorkType
from citegraph.loaders.reference_body import classify, take_numbers
from citegraph.loaders.reference_draft import YEAR, Draft, clean_title
from citegraph.loaders.reference_names import agents
from citegraph.loaders.reference_rules import parse_rules, plain_text

FIELDS = ("title", "year", "author")
MARKED = 0.95  # a title read from typography: the rules' home ground
AGREED = 0.99  # rules and CRF read the same: measured right 99 times in 100
TRUST = 0.6  # below this probability the CRF's differing reading is not taken
_AUTHOR_FLAGS = {"authors_uncertain", "authors_truncated", "author_repeated"}
_YEAR = re.compile(rf"({YEAR})([a-z]?)\b")
_PENALTY = {
    "no_authors": 0.3,
    "no_year": 0.25,
    "no_title": 0.3,
    "authors_uncertain": 0.1,
    "too_long": 0.5,
    **{f"low_confidence:{name}": 0.15 for name in FIELDS},
}


@dataclass(frozen=True)
class ParsedReference:
    """The fields read from one reference string, with how sure the parser is of them.

    Flags: no_authors, author_repeated (`——` or `Ders.` for the authors of the entry
    before: `parse_reference_list` fills them in), no_year, no_title, in_press,
    authors_truncated, authors_uncertain, editors_as_authors, too_long,
    low_confidence:title / :year / :author (that field's confidence < 0.5),
    low_confidence (overall confidence < 0.5), parse_error.
    """

    authors: tuple[Agent, ...] = ()
    editors: tuple[Agent, ...] = ()
    year: int | None = None
    year_suffix: str = ""
    title: str | None = None
    type: WorkType = "other"
    genre: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None
    confidence: float = 0.0
    field_confidence: tuple[tuple[str, float], ...] = ()
    flags: tuple[str, ...] = ()

    def confidence_of(self, name: str) -> float:
        """How sure the parse is of `title`, `year` or `author` (0 when it has none)."""
        return dict(self.field_confidence).get(name, 0.0)

    def to_work(self, key: str, source: Source, raw: str, **fields: Any) -> Work:
        """The Work these fields describe; editors stand in as creators when no author is
        printed (`Tonry, M. (Ed.)`). `fields` override or add (`cited_only`, `doi`)."""
        values: dict[str, Any] = {
            "title": self.title,
            "year": self.year,
            "year_suffix": self.year_suffix,
            "type": self.type,
            "genre": self.genre,
            "authors": self.authors or self.editors,
            "editors": self.editors,
            "doi": self.doi,
            "url": self.url,
            "container": self.container,
            "volume": self.volume,
            "issue": self.issue,
            "pages": self.pages,
            "publisher": self.publisher,
            "flags": self.flags,
        }
        values.update(fields)
        return Work(key=key, source=source, raw=raw, **values)


def parse_reference(text: str) -> ParsedReference:
    """Parse one reference entry; an unforeseen failure yields a flagged empty result.

    A reference list must load even when one entry trips a parsing bug, so the
    entry is kept (with flag `parse_error`) rather than aborting the whole file.
    """
    try:
        d = parse_rules(text)
        sure = {
            "title": MARKED if d.title else 0.0,
            "year": MARKED if d.year else 0.0,
            "author": MARKED if d.authors else 0.0,
        }
        if not d.marked or d.year is None or not d.authors:  # typography not enough: ask the CRF
            sure = _with_crf(reference_crf.label(plain_text(text)), d)
        return _finish(d, len(text), sure)
    except Exception:
        return ParsedReference(
            flags=("parse_error", "no_authors", "no_year", "no_title", "low_confidence")
        )


def parse_reference_list(texts: list[str]) -> list[ParsedReference]:
    """Parse the entries of one reference list, in order.

    A list may print `——`, `Ders.` or `Dies.` for "the same author(s) as above"; such an
    entry takes the authors of the entry before it (and keeps the flag
    `author_repeated`, so the borrowing stays visible).
    """
    out: list[ParsedReference] = []
    for text in texts:
        ref = parse_reference(text)
        if "author_repeated" in ref.flags and out and out[-1].authors:
            ref = replace(ref, authors=out[-1].authors)
            if "editors_as_authors" in ref.flags:
                ref = replace(ref, editors=out[-1].authors)
        out.append(ref)
    return out


def _with_crf(lab: reference_crf.Labelled, d: Draft) -> dict[str, float]:
    """Settle title, year and authors between the rules' draft and the CRF's labels.

    Returns each field's confidence: AGREED where both read the same, MARKED where quotes
    or italics closed the rules' title (the CRF's stop moved 3 of 1,173 AnyStyle titles
    off their quotes and none the other way), else the CRF's
    reading with its probability squared (its marginals run high: a span at 0.9 was
    measured right about four times in five), or, where the CRF is unsure or has nothing,
    the rules' alone, unconfirmed, at 0.3.
    """
    sure: dict[str, float] = {}
    title, p = lab.span("title")
    title = clean_title(title)
    if title and d.title and _same_title(d.title, title):
        sure["title"] = AGREED
    elif d.title and d.marked:  # quotes or italics close a title surer than the CRF's stop
        sure["title"] = MARKED
    elif title and d.title and "subtitle" in d.hints and fold(d.title).startswith(fold(title)):
        sure["title"] = p  # the CRF stopped where the rules read an unmarked subtitle on
    elif title and p >= TRUST:
        d.title, sure["title"] = title, p**2
        _slots_from_crf(lab, d)
    else:
        sure["title"] = 0.3 if d.title else 0.0
    date, p = lab.span("date")
    year = _YEAR.search(date or "")
    if year and int(year.group(1)) == d.year:
        sure["year"] = AGREED
    elif d.year and "imprint_year" in d.hints:  # `Journal. 2013;90(1):27-40.`
        sure["year"] = MARKED
    elif year and p >= TRUST:
        d.year, d.year_suffix, sure["year"] = int(year.group(1)), year.group(2), p**2
    else:
        sure["year"] = 0.3 if d.year else 0.0
    had_authors = bool(d.authors)
    sure["author"] = _authors_from_crf(lab, d)
    span, _ = lab.span("author")
    head = (span or "").strip()
    if not had_authors and d.authors and head and d.title and d.title.startswith(head):
        # `Given I. Family, Title (Place, 1998).`: the rules found no names, so their title
        # began with the ones the CRF has now taken
        d.title = clean_title(d.title[len(head) :].strip(" ,.;:")) or d.title
    return sure


def _same_title(rules: str, crf: str) -> bool:
    """The two read one title; a year ending the rules' one (`year ending March 2022`)
    is one the CRF cannot tell from a date."""
    a, b = fold(rules), fold(crf)
    return a == b or (a.startswith(b) and bool(re.fullmatch(r" (?:1[5-9]|20)\d\d", a[len(b) :])))


def _authors_from_crf(lab: reference_crf.Labelled, d: Draft) -> float:
    """Take the CRF's author span (or an editor span before the title) where its names
    differ from the rules'; return the authors' confidence.

    The whole list is compared, not its first name: the rules' list may run on into the
    title (`Lee, P., The biology of impact craters - a review`) or end on a journal
    number (`Thompson, G.E., 61`) with its first name right. Held-out AnyStyle author
    lists went from 0.85 to 0.96 right (bench/bench_references.py, "author list")."""
    span, p = lab.span("author")
    if span is None and lab.labels and lab.labels[0] in ("editor", "number"):
        span, p = lab.span("editor")
    if span is None or not re.search(r"[^\W\d_]", span):
        return 0.3 if d.authors else 0.0
    scratch = Draft()
    found = agents(span, scratch)
    if _names(found) == _names(d.authors) and ("author_repeated" in scratch.flags) == (
        "author_repeated" in d.flags
    ):
        return AGREED
    # a colon inside the span is a title's (`Lindqvist, S., CPTED: Design Against Crime`)
    if p < TRUST or (d.authors and re.search(r":\s*\S", span)):
        return 0.3 if d.authors else 0.0
    d.authors = found
    d.flags = [f for f in d.flags if f not in _AUTHOR_FLAGS] + scratch.flags
    d.hints |= scratch.hints
    return p**2


def _names(people: tuple[Agent, ...]) -> list[str]:
    return [fold(p.family or p.name) for p in people]


def _slots_from_crf(lab: reference_crf.Labelled, d: Draft) -> None:
    """Where the CRF's title wins, the rules' container, numbers and publisher were cut
    at the wrong place too: read them from the CRF's labels as well."""
    container, _ = lab.span("container")
    publisher, _ = lab.span("publisher")
    editors, _ = lab.span("editor")
    numbers = " ".join(s for s in (lab.span("volume")[0], lab.span("pages")[0]) if s)
    d.container = _slot(container)
    d.publisher = _slot(publisher)
    d.volume = d.issue = d.pages = None
    take_numbers(re.sub(r"\b(?:pp?|S)\.\s*", "", numbers), d)
    if editors and lab.labels.index("editor") > lab.labels.index("title"):
        d.hints.add("chapter")
        d.editors = agents(re.sub(r"^(?:[Ii]n|[Ee]n):?\s+", "", editors), Draft())
    if container and re.match(r"(?:[Ii]n|[Ee]n):?\s", container):
        d.hints.add("chapter")


def _slot(text: str | None) -> str | None:
    """A container or publisher span without its `In:` and surrounding punctuation."""
    if not text:
        return None
    text = re.sub(r"^(?:[Ii]n|[Ee]n):?\s+", "", text).strip(' .,;:()«»"“”')
    return text if re.search(r"[^\W\d_]{2}", text) else None


def _finish(d: Draft, raw_length: int, sure: dict[str, float]) -> ParsedReference:
    """Freeze the draft, adding missing-field and low-confidence flags and a score."""
    flags, wtype = d.flags, classify(d)
    if "edited" in d.hints and "chapter" not in d.hints:
        d.editors = d.editors or d.authors
        flags.append("editors_as_authors")
    present = {"title": d.title, "year": d.year, "author": d.authors}
    checks = {
        "no_authors": not d.authors and "author_repeated" not in flags,
        "no_year": d.year is None,
        "no_title": not d.title,
        "too_long": raw_length > 2000 or len(d.title or "") > 400,
        **{f"low_confidence:{k}": bool(present[k]) and sure[k] < 0.5 for k in FIELDS},
    }
    flags += [name for name, failed in checks.items() if failed]
    score = 1.0 - sum(_PENALTY.get(name, 0.0) for name in set(flags))
    if wtype == "other" and not (d.container or d.publisher or d.doi or d.url):
        score -= 0.1  # nothing but a title: could be any stray sentence
    score = round(min(1.0, max(0.0, score)), 2)
    if score < 0.5:
        flags.append("low_confidence")
    slots: dict[str, Any] = {f.name: getattr(d, f.name) for f in fields(Draft)}
    del slots["hints"], slots["marked"]
    slots.update(
        type=wtype,
        confidence=score,
        field_confidence=tuple((k, round(sure[k], 2)) for k in FIELDS),
        flags=tuple(dict.fromkeys(flags)),
    )
    return ParsedReference(**slots)
