"""Evidence against a merge: what two records of one author and year must not disagree on.

A title, a first author and a year are not enough when the title is generic (`Editor's
Comments` in every issue of a journal) or when the records are two printings of one
paper (a preprint and its article). Every full record therefore carries *facts*: its
DOI, volume, issue, first page and edition. Two clusters whose facts disagree, where
both have one, are never joined by the rules (`against` says when a disagreement
counts); only the reviewer can join them.

Cited references (a Scopus `References` cell, a WoS `CR` line) are abbreviated and often
mistyped, so their volume and pages only count for generic titles, where nothing else
tells two works apart.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache

from citegraph.graph.identity.keys import is_stub
from citegraph.graph.normalize import doi as normal_doi
from citegraph.graph.normalize import fold
from citegraph.loaders.records import Work

#: A cluster's facts: for each field, every value its records give (normalised).
Facts = dict[str, frozenset[str]]

#: Fields whose values are compared as sets of numbers: `1-2` and `1&2` and `2` agree.
LOCATORS = ("volume", "issue", "page")

# Titles that name a kind of item rather than a work: they recur in every issue of a
# journal and in every year of a conference (folded text, matched at the start).
_GENERIC = re.compile(
    r"(?:guest )?editorials?(?: (?:comments?|notes?))?$|editors? (?:comments?|notes?|introduction)"
    r"|(?:a )?(?:letter|note|message|word)s? from the (?:editors?|chair|president)"
    r"|from the (?:editors?|guest editors?|chair)\b|editors? s? (?:comments?|notes?)"
    r"|introduction(?: to (?:the )?(?:special )?(?:issue|section|volume))?$"
    r"|errat(?:um|a)\b|corrigend(?:um|a)\b|corrections?\b|retraction(?: notice)?\b"
    r"|expression of concern|comments?(?: on)?\b|commentary$|reply\b|response\b|rejoinder\b"
    r"|book reviews?\b|review of\b|books? received|preface$|foreword$|prologue$|epilogue$"
    r"|(?:front|back) matter|(?:table of )?contents$|index$|acknowledge?ments?$"
    r"|(?:thanks to )?(?:our )?reviewers?\b|editorial board|masthead|issue information"
    r"|in memoriam|obituary|call for papers|announcements?$|news$|abstracts$|cover$"
)
# Proceedings and collections named by their volume: `ICIS 2013, Volume 1` and `Volume 4`.
_VOLUME_TITLE = re.compile(
    r"\b(?:proceedings|conference|symposium|workshop|congress|meeting)\b.*"
    r"\b(?:vol(?:ume)?|part|book|tome)\b"
)
_ROMAN = {"ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"}
_NUMBERING = {"part", "volume", "vol", "book", "section", "chapter", "tome", "no", "study"}
_PREPRINT_DOI = ("10.48550/", "10.2139/", "10.1101/", "10.31235/", "10.31234/", "10.21203/")
_PREPRINT_VENUE = re.compile(
    r"\b(?:arxiv|ssrn|biorxiv|medrxiv|psyarxiv|socarxiv|edarxiv|eartharxiv|osf preprints"
    r"|research square|preprints?(?: org)?|working papers? series|lawarxiv)\b"
)
_PROCEEDINGS_VENUE = re.compile(
    r"\b(?:proceedings|proc|conference|conf|symposium|workshop|congress|meeting)\b"
)
_DIGITS = re.compile(r"\d+")
_PAGE_RANGE = re.compile(r"\s*[-–—]\s*|,")
_PAGE_PREFIX = re.compile(r"^(?:pp?\.?\s*|art(?:icle)?\.?\s*(?:no\.?)?\s*|e(?=\d))", re.I)


@lru_cache(maxsize=1 << 16)
def is_generic(title_folded: str) -> bool:
    """Whether a (folded) title names a kind of item, not a work of its own."""
    return bool(_GENERIC.match(title_folded) or _VOLUME_TITLE.search(title_folded))


@lru_cache(maxsize=1 << 16)
def title_numbers(title_folded: str) -> tuple[str, ...]:
    """The numbers a title gives, in order: `volume 1`, `part ii`, `2013` (a lone `i`
    only after a word that numbers: `part i`)."""
    tokens = title_folded.split()
    return tuple(
        str(int(t)) if t.isdigit() else t
        for n, t in enumerate(tokens)
        if t.isdigit() or t in _ROMAN or (t == "i" and n and tokens[n - 1] in _NUMBERING)
    )


def numbers_differ(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two titles that number themselves differently (`Volume 1`, `Volume 4`) are two
    works; a title cut short (WoS) may lose its last numbers, never change them."""
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    return long[: len(short)] != short


@lru_cache(maxsize=1 << 14)
def _numbers(value: str | None) -> frozenset[str]:
    """`12(3)` -> {12, 3}; `Suppl. 2` -> {2}; words only when there are no digits."""
    if not value:
        return frozenset()
    found = _DIGITS.findall(value)
    if found:
        return frozenset(str(int(n)) for n in found)
    word = fold(value).replace(" ", "")
    return frozenset({word}) if word else frozenset()


@lru_cache(maxsize=1 << 16)
def first_page(pages: str | None) -> frozenset[str]:
    """`123-130`, `123–30` and `pp. 123` -> {123}; `e0123` and article `0123` -> {123}."""
    if not pages:
        return frozenset()
    head = _PAGE_RANGE.split(pages.strip())[0]
    head = _PAGE_PREFIX.sub("", head)
    found = _DIGITS.findall(head)
    if found:
        return frozenset({str(int(found[0]))})
    word = fold(head).replace(" ", "")
    return frozenset({word}) if word else frozenset()


def edition(work: Work) -> str | None:
    """Which printing a full record is: a preprint, a conference paper, a journal article.

    A conference paper and its journal version, or a preprint and its article, are two
    works (linked as versions), never one merged away."""
    doi = normal_doi(work.doi) or ""
    venue = fold(work.container or "")
    server = fold(f"{work.container or ''} {work.publisher or ''}")  # Zotero: `publisher`
    if doi.startswith(_PREPRINT_DOI) or _PREPRINT_VENUE.search(server):
        return "preprint"
    if work.type == "chapter" and venue and _PROCEEDINGS_VENUE.search(venue):
        return "proceedings"
    if work.type == "article" and venue:
        return "journal"
    return None


def facts(work: Work, title_folded: str) -> Facts:
    """What this record says that another record of its work cannot contradict."""
    found: Facts = {}
    doi = normal_doi(work.doi)
    if doi:
        found["doi"] = frozenset({doi})
    full = not work.cited_only and not is_stub(work)
    if not (full or is_generic(title_folded)):
        return found
    for name, values in (
        ("volume", _numbers(work.volume)),
        ("issue", _numbers(work.issue)),
        ("page", first_page(work.pages)),
    ):
        if values:
            found[name] = values
    if full and (printed := edition(work)):
        found["edition"] = frozenset({printed})
    return found


def against(
    a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]], strict: bool = False
) -> list[str]:
    """The fields two clusters' facts disagree on, where both have them, that count.

    A DOI, an edition or a reviewer's split always counts. The locators (volume, issue,
    first page) count when they disagree at least as often as they agree: an issue
    mistyped in one export (`31(4)` against `31(5)`, same pages) is one work, an editorial
    in another issue (other pages, same volume) is another. For a generic title
    (`strict`) any differing locator counts.
    """
    hard, differ, agree = [], [], 0
    for name, values in a.items():
        if name not in b:
            continue
        if name in LOCATORS:
            if values.isdisjoint(b[name]):
                differ.append(name)
            else:
                agree += 1
        elif values.isdisjoint(b[name]):
            hard.append(name)
    if differ and (strict or len(differ) >= agree):
        hard.extend(differ)
    return hard


def locates(record: Mapping[str, frozenset[str]]) -> bool:
    """Whether a record has a DOI or a locator: something to tell one `Editorial` by."""
    return any(name in record for name in ("doi", *LOCATORS))


def corroborated(
    a: Mapping[str, frozenset[str]], b: Mapping[str, frozenset[str]], title_folded: str
) -> bool:
    """Whether two records share a DOI, an issue or a first page: what a generic title
    needs besides its words, author and year to be one work. A volume is shared by every
    issue of a year, so it says nothing of which `Editorial`; it names a proceedings
    volume (`ECIS 2019, Volume 6`)."""
    names = (
        ("doi", "issue", "page", "volume")
        if _VOLUME_TITLE.search(title_folded)
        else ("doi", "issue", "page")
    )
    return any(name in a and name in b and not a[name].isdisjoint(b[name]) for name in names)


def join(a: Facts, b: Facts) -> Facts:
    joined = dict(a)
    for name, values in b.items():
        joined[name] = joined[name] | values if name in joined else values
    return joined
