"""The rules half of the reference parser: one entry read by its punctuation and markup.

Literature reviews arrive as Markdown reference lists in APA 6/7, Harvard, Chicago
author-date, ASA, Vancouver author-date or ISO 690 dress. `parse_rules` reads one entry
(already joined into one line) into a `Draft`; `reference_string` freezes it, and consults
the CRF where the rules had no typography to go by.
"""

from __future__ import annotations

import re

from citegraph.loaders.letters import alphabets
from citegraph.loaders.records import Agent
from citegraph.loaders.reference_body import imprint_publisher, parse_body, take_numbers
from citegraph.loaders.reference_draft import (
    DASH,
    ITALIC,
    PAGE,
    QUOTED,
    YEAR,
    Draft,
    clean_title,
    mentions,
)
from citegraph.loaders.reference_names import agents, capitalised_name

_LIST_MARKER = re.compile(r"^(?:[-+•]|\*(?=\s)|\d{1,3}[.)]|\[\d{1,3}\])\s+")
_ESCAPE = re.compile(r"\\{1,2}([_\[\]()#.&!+-])")
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_URL = re.compile(r"https?://[^\s<>\]\[\"]+")
_DOI = re.compile(r"(?:doi:?\s*)?(10\.\d{4,9}/[^\s<>\"]+)", re.I)
_ACCESS = re.compile(
    r"(^|[.\]\"”]\s+|[\[(])(?:accessed|retrieved|consulted|viewed)(?: on)?:?\s[^\[\]()]{0,40}?"
    rf"(?:{YEAR})[\])]?(?:,?\s*from)?|\b(?:available (?:in|at|from|online)|retrieved from"
    r"|disponible en|recuperado de)\s*:?",
    re.I,
)
_PAREN_YEAR = re.compile(
    rf"\(\s*(?:({YEAR})([a-z]?)(?:\s*[,/;]\s*[^()]{{0,40}}|\s*\[[^\]]{{1,20}}\])?"
    r"|(n\.\s?d\.?|s\.\s?f\.?|in press"
    r"|forthcoming|no date))\s*\)",
    re.I,
)
_DOT_YEAR = re.compile(rf"\.\s+(?:({YEAR})([a-z]?)|(n\.\s?d))\.(?=\s|$)")
_ISO_HEAD_END = re.compile(alphabets(r"\.\s+(?![A-ZÀ-Þ]\.)"))
#: `Robert W. Dawson.`: a middle initial after a given name, then the family name
_MIDDLE_INITIAL = re.compile(alphabets(r"[A-ZÀ-Þ][^\W\d_]+\s[A-ZÀ-Þ]\Z"))
_FAMILY_NEXT = re.compile(alphabets(r"[A-ZÀ-Þ][^\W\d_'’-]*(?:['’-][^\W\d_]+)*[.,](?:\s|$)"))
#: `C. A. L. Bailer-Jones`, `T.R. Ten Have`, `and J. van der Berg`: initials, then a family
_INITIALS_FIRST = re.compile(
    alphabets(
        r"(?:(?:and|&)\s+)?(?:[A-ZÀ-Þ]\.\s?-?\s?){1,4}(?:(?:van|von|de|der|den|du|da|di|del|la|le)\s+)*"
        r"[A-ZÀ-Þ][^\W\d_]*(?:['’-][^\W\d_]+)*(?:\s[A-ZÀ-Þ][^\W\d_]+)?"
    )
)
#: an ISO 690 or note-style year: `, 2012.`, or closing the imprint `(West Lafayette, IN, 1998).`
_ISO_YEAR = re.compile(rf",\s*({YEAR})([a-z]?)(?=\s*\)?\s*(?:[,.;]|$))")
#: a date in parentheses (`Vol. 30, No. 5 (May/June, 1987)`), which is no imprint
_DATE_WORD = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.|Spring|Summer|Autumn|Fall"
    r"|Winter)\b"
)
#: the page a note cites after its imprint: `(London: Verso, 1991), 39.`
_CITED_PAGES = re.compile(rf"(?:pp?\.\s*)?(?:{PAGE}|[ivxlc]+(?:{DASH}[ivxlc]+)?)\s*[.,;]?\s*")
#: Harvard's year after the names, set off by commas: `Cowman, G.A. & Singer, P.C., 1995.`
#: Vancouver's (NLM's) journal imprint closing an entry: `Journal. 2012 Jun;49(3):323-58.`
_NLM_IMPRINT = re.compile(
    rf"\.\s+({YEAR})(?:\s+[A-Z][a-z]{{2}}(?:\s+\d{{1,2}})?)?;\s*"
    rf"(\d+[A-Za-z]?(?:\s*\([^)]{{1,20}}\))?(?::\s*{PAGE})?)\.?\s*$"
)
#: A piece of an abbreviated journal title: up to four capitalised words, none long
_ABBREVIATED = re.compile(alphabets(r"[A-ZÀ-Þ][^\W\d_]{0,9}(?:\s[A-ZÀ-Þ][^\W\d_]{0,9}){0,3}"))
#: One Vancouver name, `Smith J` or `García-Ruiz AM`, alone before an NLM title
_ONE_VANCOUVER = re.compile(
    alphabets(r"[A-ZÀ-Þ][^\W\d_'’-]*(?:[-'’ ][A-ZÀ-Þ][^\W\d_]+)*\s[A-Z]{1,3}")
)
_COMMA_YEAR = re.compile(rf",\s*({YEAR})([a-z]?)[.,:]?\s+(?=\S)")
#: a repeated-author mark opening a year-last entry: `———. Title.`, `—(ed.), Title`
_REPEAT_HEAD = re.compile(
    r"(?:[—–_‐-]{2,}|—(?=\s*[.,(])|(?:Ders|Dies|Idem|Eadem)\.)\s*(\(eds?\.?\))?\s*[.,:]?\s+"
)
_NOT_NAMES = re.compile(r"[:*\"“”‘’«»()]|\b\d")

_EDITION = re.compile(r"\d+(?:st|nd|rd|th)\.?\s+[Ee]d(?:n|ition)?\b\.?")


def parse_rules(text: str) -> Draft:
    """Read `text` with the rules alone; the caller freezes the draft (and may raise)."""
    d = Draft()
    parse_body(_split_year(_clean(text, d), d), d)
    return d


def _clean(text: str, d: Draft) -> str:
    """Strip Markdown and pull out URLs/DOIs, which confuse every later split."""
    s = _LIST_MARKER.sub("", " ".join(text.split()))
    s = re.sub(r"\*(\d+)\*", r"\1", _ESCAPE.sub(r"\1", s).replace("**", ""))
    s = _LINK.sub(lambda m: _take_url(m.group(2), d) + _link_words(m.group(1)), s)
    s = _URL.sub(lambda m: _take_url(m.group(0), d), s)
    if "10." in s:
        s = _DOI.sub(lambda m: _take_url(m.group(1), d), s)
    if mentions(s, "access"):
        s = _ACCESS.sub(r"\1", s)
    s = re.sub(r"\(\s*\)|\[\s*\]|<\s*>", "", _EDITION.sub("", s))
    s = re.sub(r"\s+([.,;:])(?=\s|$)", r"\1", s.replace("...", "…"))
    return re.sub(r"([.,;:])(?:\s*\.)+(?=\s|$)", r"\1", s).strip()


def plain_text(text: str) -> str:
    """The entry as plain text for the CRF: no list marker, escapes, emphasis or link
    brackets (it was trained on plain strings)."""
    s = _LIST_MARKER.sub("", " ".join(text.split()))
    s = _LINK.sub(lambda m: m.group(2), _ESCAPE.sub(r"\1", s))
    return re.sub(r"<(https?://[^>\s]+)>", r"\1", s.replace("*", ""))


def _link_words(text: str) -> str:
    """Keep a link's words unless they only repeat a URL (the target is preferred)."""
    return "" if re.match(r"\s*(?:https?://|doi:|10\.\d)", text) else text


def _take_url(url: str, d: Draft) -> str:
    """Record a URL as DOI or as the first plain URL; return "" so it leaves the text."""
    url = url.rstrip(".,;:>")
    if url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1].rstrip(".,;:")
    doi = _DOI.search(url)
    if doi and (url.startswith("10.") or "doi.org/" in url.lower()):
        d.doi = d.doi or doi.group(1).rstrip(".,;:").lower()
    elif url.startswith("http"):
        d.url = d.url or url
    return ""


def _split_year(s: str, d: Draft) -> str:
    """Find the year slot; the authors precede it, and the body follows it.

    The earliest `(2015)` or Chicago `. 2015.` slot wins, so a year inside a title is
    never taken; only without one does the ISO 690 `, 2012,` position count. A work with
    no author moves its title to the front (APA), so an italic or quoted head is the
    title, never an organisation (`*Guidance for scoping reviews*. (2023). In ...`).
    """
    found = [m for m in (_PAREN_YEAR.search(s), _DOT_YEAR.search(s)) if m]
    if found:
        m = min(found, key=lambda m: m.start())
        _set_year(m, d)
        head = s[: m.start() + (m.re is _DOT_YEAR)]
        title = ITALIC.fullmatch(head.strip(" .,")) or QUOTED.fullmatch(head.strip(" ,"))
        if title:
            d.title, d.marked = clean_title(next(g for g in title.groups() if g)), True
        else:
            d.authors = agents(head, d)
        return s[m.end() :]
    nlm = _NLM_IMPRINT.search(s)
    if nlm:  # the year, then the journal's numbers; the names, title and journal before
        d.year = int(nlm.group(1))
        d.hints.add("imprint_year")  # a shape no other number takes: surer than the CRF
        take_numbers(re.sub(r"\s*:\s*", " ", nlm.group(2)), d)
        ahead, journal = _nlm_journal(s[: nlm.start()])
        if ahead and re.search(r"[^\W\d_]{2}", journal):
            d.container, s = journal, ahead + "."
        else:
            s = s[: nlm.start() + 1]
    comma = _COMMA_YEAR.search(s)
    head = s[: comma.start()] if comma else ""
    # a year after nothing but names is the Harvard slot, not an ISO 690 tail's date
    names = _names_only(head)
    if comma and names and not nlm:
        _set_year(comma, d)
        _take_people(names, d)
        return s[comma.end() :]
    body, end = s, _iso_head_end(s, family_first=bool(nlm))
    quote = QUOTED.search(s)
    head = s[: quote.start()] if quote else ""
    before = _names_only(head) if head.rstrip().endswith(",") else None
    repeat = _REPEAT_HEAD.match(s)
    if repeat:  # the authors of the entry before (reference_string borrows them)
        d.flags.append("author_repeated")
        if repeat.group(1):
            d.hints.add("edited")
        body, end = s[repeat.end() :], None
    elif quote and before:  # `BERG, K., « Title », Paris`: the names end where the quote opens
        _take_people(before, d)
        body, end = s[quote.start() :], None
    elif capitals := _capitalised_head(s):  # `AYKUT Stefan C., DAHAN Amy, Title, Paris, 2015`
        _take_people(capitals[1], d)
        body, end = s[capitals[0] :], None
    elif initials := _initials_head(s):  # `R. Lipsett, C. Schaefer, Title, Publisher, 1989`
        _take_people(initials[1], d)
        body, end = s[initials[0] :], None
    if end and (
        re.search("[,;]", s[: end.start()]) or (nlm and _ONE_VANCOUVER.fullmatch(s[: end.start()]))
    ):
        names = _people(s[: end.start() + 1])
        if names is not None:
            _take_people(names, d)
            body = s[end.end() :]
    return body if nlm else _take_last_year(body, d)  # the imprint's year is the year


def _nlm_journal(s: str) -> tuple[str, str]:
    """What precedes an NLM imprint, split into names and title, and the journal.

    NLM abbreviates without periods (`J Urban Health`), but some lists keep them
    (`J. Intellect Disabil. Res.`): short capitalised pieces before the last one belong
    to the journal, while a title and the names still precede it."""
    pieces = s.split(". ")
    start = len(pieces) - 1
    while start > 2 and _ABBREVIATED.fullmatch(pieces[start - 1]):
        start -= 1
    return ". ".join(pieces[:start]), ". ".join(pieces[start:]).strip()


def _take_last_year(body: str, d: Draft) -> str:
    """Take an ISO 690 or note-style year (the last comma-set one) out of the body.

    Where it closes a parenthesis, the parenthesis is a date or an imprint, and it goes
    whole: the imprint's publisher is kept, and its parenthesis ends the title.
    """
    found = list(_ISO_YEAR.finditer(body))
    if not found:
        return body
    year = found[-1]
    _set_year(year, d)
    opened = body.rfind("(", 0, year.start())
    inside, head = body[opened + 1 : year.start()], body[:opened].rstrip(" ,")
    closes = re.match(r"\s*\)", body[year.end() :])
    if not closes or opened <= 0 or re.search("[()]", inside):
        return body[: year.start()] + body[year.end() :]
    after = body[year.end() + closes.end() :].lstrip(" ,.;")
    if _DATE_WORD.search(inside):  # `No. 3 (Summer, 1998), 44-59`
        return f"{head}, {after}"
    if head[-1:].isdigit():  # `Vol. 4 (Leiden, 1990)`: a series' number, not a title's end
        return body[: year.start()] + body[year.end() :]
    d.publisher = d.publisher or imprint_publisher(inside.strip(" ,"))
    if _CITED_PAGES.fullmatch(after):  # a chapter's range is its pages, one page a note's
        if re.search(DASH, after):
            take_numbers(re.sub(r"pp?\.\s*", "", after), d)
        after = ""
    return head + (". " + after if after else "")


def _capitalised_head(s: str) -> tuple[int, tuple[tuple[Agent, ...], Draft]] | None:
    """The run of `FAMILY Given` names opening an entry, and where it ends."""
    end = 0
    for m in re.finditer(r"([^,]+),\s*", s):
        if m.start() != end or not capitalised_name(m.group(1).strip()):
            break
        end = m.end()
    names = _people(s[:end]) if end else None
    return (end, names) if names else None


def _initials_head(s: str) -> tuple[int, tuple[tuple[Agent, ...], Draft]] | None:
    """The run of two or more given-first names with initials opening an entry, each set
    off by a comma, as physics and engineering lists print them (`T. Inoue, Y. Ando, and
    M. Kuzuhara, Title, ...`), and where it ends: the first part that is no such name."""
    end, count = 0, 0
    for m in re.finditer(r"([^,]+),\s*", s):
        if m.start() != end or not _INITIALS_FIRST.fullmatch(m.group(1).strip()):
            break
        end, count = m.end(), count + 1
    if count and _INITIALS_FIRST.fullmatch(s[end:].strip(" .")):  # names and nothing else
        end, count = len(s), count + 1
    names = _people(s[:end]) if count >= 2 else None
    return (end, names) if names else None


def _iso_head_end(s: str, family_first: bool = False) -> re.Match[str] | None:
    """The stop that ends the names, not the one after a given-first name's middle
    initial (`Ringbakk, Kjell-Arne and Robert W. Dawson. Title`), unless every name is
    family first (NLM's `Quispe R. Vigilance. Lancet.`)."""
    for m in _ISO_HEAD_END.finditer(s):
        if family_first or not (
            _MIDDLE_INITIAL.search(s, 0, m.start()) and _FAMILY_NEXT.match(s, m.end())
        ):
            return m
    return None


def _names_only(head: str) -> tuple[tuple[Agent, ...], Draft] | None:
    """`_people(head)` when `head` holds some names and nothing that names never hold
    (quotes, brackets, digits); else None."""
    if not head.strip() or _NOT_NAMES.search(head):
        return None
    names = _people(head)
    return names if names and names[0] else None


def _people(head: str) -> tuple[tuple[Agent, ...], Draft] | None:
    """`head` read as names, with the notes the reading made, if every name is a
    person's with a given name or initials; else None."""
    notes = Draft()
    found = agents(head, notes)
    return (found, notes) if all(a.kind == "person" and a.given for a in found) else None


def _take_people(names: tuple[tuple[Agent, ...], Draft], d: Draft) -> None:
    d.authors = names[0]
    d.flags += names[1].flags
    d.hints |= names[1].hints


def _set_year(m: re.Match[str], d: Draft) -> None:
    """Store year and suffix from a year match (group 3 is the n.d.-like alternative)."""
    if m.group(1):
        d.year, d.year_suffix = int(m.group(1)), m.group(2).lower()
    elif re.match(r"in press|forthcoming", m.group(3) or "", re.I):
        d.flags.append("in_press")
