"""What the bibliographic-export loaders share: cleaning values and keeping the count.

Every export format spells DOIs, ORCIDs, pages, years, names and work types its own
way; normalising them in one place is what lets graph/ match a Scopus row with a
Crossref record. `Collector` is the one place that enforces the counting contract
(entries == loaded + rejected), unique keys and the `no_year` rule, so each loader
only has to say what an entry is and how to read it.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, partial
from typing import Any

from citegraph.loaders.parsing.folding import CAPITAL
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
from citegraph.loaders.text import TextFile

RAW_LIMIT = 2000

_TAG = re.compile(r"</?[A-Za-z][\w:.-]*(?:\s[^<>]*)?/?>")
# Character formatting inside a word or before punctuation: removed without a space, so
# `<scp>Latin America</scp>: a review` does not become `Latin America : a review`.
_INLINE_TAG = re.compile(
    r"</?(?:[a-z]+:)?(?:i|b|em|strong|sub|sup|scp|sc|u|tt|span|small|font|italic|bold"
    r"|underline|monospace|roman|sans-serif|inline-formula|named-content)(?:\s[^<>]*)?/?>",
    re.I,
)
_DOI = re.compile(r"10\.\d{4,9}/[^\s\"<>]+")
_ORCID = re.compile(r"(\d{4})-?(\d{4})-?(\d{4})-?(\d{3}[\dX])", re.I)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_PP = re.compile(r"^pp?\.\s*")
_DASHES = re.compile(r"\s*(?:-{1,3}|[\u2010-\u2015])\s*")
# Not inside a longer number: an ISBN (978-1-4129-7410-9, 9781665439398) holds no ISSN.
_ISSN = re.compile(r"(?<![\d-])(\d{4})-?(\d{3}[\dX])(?![\dX-])", re.I)
_INITIALS_NAME = re.compile(
    rf"(?P<family>.+?)\s+(?P<given>(?:[{CAPITAL}]\.?-?){{1,4}}(?:\s+[{CAPITAL}]\.?-?){{0,3}})"
)
_PARTICLES = frozenset("da das de del della der di do dos du la le ten ter van von".split())
# Placeholders that name nobody: `[Anonymous]`, Scopus' note, a list's `et al.`
_ANONYMOUS = re.compile(r"\[?anonymous\]?|\[no author name available\]|et\.?\s*al\.?", re.I)
_ORG_WORDS = re.compile(
    r"\b(?:organi[sz]ation|institut[eo]?|ministry|ministerio|department|office|council"
    r"|commission|committee|agency|association|bureau|cent(?:re|er)|foundation|government"
    r"|nations|programme|program|police|bank|universi(?:ty|dad)|national|federal|group"
    r"|consortium|network|observatory|secretariat|board|authority)\b"
)  # matched against lower-cased text: faster than re.I on every author name

# One vocabulary for every format's type names (lower-cased): BibTeX/BibLaTeX entry
# types, RIS TY codes, CSL and Crossref types, OpenAlex types, Scopus and WoS document
# types. A conference paper is a part of a proceedings volume, hence "chapter".
_TYPES: dict[str, WorkType] = {
    **dict.fromkeys(
        "article journal-article article-journal article-magazine article-newspaper jour "
        "ejour mgzn news inpr review letter note editorial erratum periodical "
        "short-survey data-paper j".split(),
        "article",
    ),
    **dict.fromkeys(
        "book mvbook booklet collection mvcollection proceedings monograph edited-book "
        "reference-book edbook ebook b s".split(),
        "book",
    ),
    **dict.fromkeys(
        "chapter inbook incollection inproceedings conference bookinbook suppbook "
        "book-chapter book-section book-part proceedings-article paper-conference chap "
        "echap conf cpaper c".split(),  # WoS PT C: a conference proceedings paper
        "chapter",
    ),
    **dict.fromkeys("thesis phdthesis mastersthesis dissertation thes".split(), "thesis"),
    **dict.fromkeys("report techreport rprt govdoc report-component".split(), "report"),
    **dict.fromkeys(
        "other misc online electronic www unpublished manual dataset software patent "
        "standard gen elec unpb manscpt pcomm posted-content preprint paratext "
        "peer-review component p".split(),
        "other",
    ),
}
# Multi-word document types of Scopus and Web of Science.
_TYPES.update(
    {
        "book chapter": "chapter",
        "conference paper": "chapter",
        "proceedings paper": "chapter",
        "editorial material": "article",
        "short survey": "article",
        "data paper": "article",
        "early access": "article",
        # Zotero item types (CSV export, camelCase split), Lens.org and Dimensions types.
        "journal article": "article",
        "magazine article": "article",
        "newspaper article": "article",
        "book section": "chapter",
        "encyclopedia article": "chapter",
        "dictionary entry": "chapter",
        "conference proceedings article": "chapter",
        "proceeding": "chapter",
        "conference proceedings": "book",
        "edited book": "book",
        "web page": "other",
        "blog post": "other",
        # ProQuest source types, as some ProQuest RIS exports give them for TY.
        "scholarly journals": "article",
        "trade journals": "article",
        "dissertations & theses": "thesis",
        "conference papers & proceedings": "chapter",
        # JATS article types, as SciELO (and SciELO Citation Index) give them.
        **dict.fromkeys(
            "research-article review-article case-report brief-report rapid-communication "
            "article-commentary book-review correction discussion reply "
            "in-brief".split(),
            "article",
        ),
    }
)


class Rejected(ValueError):
    """An entry that cannot become a Work; the message is the reason reported."""


def work_type(raw: object) -> WorkType:
    """Map a format's type name to ours; unknown names are "other", never an error."""
    if not isinstance(raw, str):
        return "other"
    name = raw.strip().lower()
    first = name.split(";")[0].strip()
    return _TYPES.get(name) or _TYPES.get(first, "other")


def known_type(raw: str) -> bool:
    """Whether `raw` is a type name we recognise (loaders warn on the rest)."""
    return raw.strip().lower() in _TYPES


def clean_text(value: object) -> str | None:
    """Plain text from a title-like value: HTML/JATS tags and entities gone, spaces collapsed.

    Crossref and OpenAlex titles carry `<i>`, `<sub>` and `&amp;`; keeping them would
    split one title into two when graph/ compares titles.
    """
    if value is None:
        return None
    text = str(value)
    if "<" in text:
        text = _TAG.sub(" ", _INLINE_TAG.sub("", text))
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split()) or None


def scalar(value: object) -> str | None:
    """A short value (volume, issue, language) that JSON may give as a string or a number."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value).strip() or None


def normalize_doi(value: object) -> str | None:
    """A DOI in lower case without resolver prefix (`https://doi.org/`, `doi:`), else None."""
    if not value:
        return None
    match = _DOI.search(str(value))
    return match.group(0).rstrip(".,;]").lower() if match else None


def normalize_orcid(value: object) -> str | None:
    """The bare 0000-0002-1825-0097 form of an ORCID given as URL, bare or unhyphenated."""
    if not value:
        return None
    match = _ORCID.search(str(value))
    return "-".join(match.groups()).upper() if match else None


def normalize_issn(value: object) -> str | None:
    """The first ISSN of a value in NNNN-NNNC form (Scopus writes them without hyphen)."""
    if not value:
        return None
    match = _ISSN.search(str(value))
    return f"{match.group(1)}-{match.group(2).upper()}" if match else None


def normalize_isbn(value: object) -> str | None:
    """The first ISBN of a value, digits (and X) only."""
    if not value:
        return None
    first = re.split(r"[;,\s]+", str(value).strip())[0]
    digits = re.sub(r"[^\dXx]", "", first).upper()
    return digits if len(digits) in (10, 13) else None


def parse_year(value: object) -> tuple[int | None, str]:
    """The year in a date-like value and its disambiguation suffix (`1979a` -> 1979, "a")."""
    if isinstance(value, int) and not isinstance(value, bool):
        return (value, "") if 1500 <= value <= 2099 else (None, "")
    if not isinstance(value, str):
        return None, ""
    if len(value) == 4 and value.isdigit():  # the usual case, without a regex
        return parse_year(int(value))
    match = _YEAR.search(value)
    if not match:
        return None, ""
    tail = value[match.end() : match.end() + 2]
    suffix = tail[0] if tail[:1].islower() and not tail[1:2].isalpha() else ""
    return int(match.group(1)), suffix


def normalize_pages(value: object) -> str | None:
    """A page range as "start-end" whatever dash it used; "pp." dropped."""
    if value is None:
        return None
    text = str(value).strip()
    if text.isdigit():  # a lone page, the usual case
        return text
    text = _PP.sub("", text)
    text = _DASHES.sub("-", text).strip("-")
    return text or None


def join_pages(start: object, end: object) -> str | None:
    """ "start-end" from separate fields; a lone start page is kept as is.

    An end page shorter than the start (PubMed's `SP 1002`, `EP 9`) is completed.
    """
    first = normalize_pages(start)
    last = normalize_pages(end)
    if first and last and first.isdigit() and last.isdigit() and len(last) < len(first):
        last = first[: len(first) - len(last)] + last  # MEDLINE's abbreviated "1002-9"
    if first and last and last != first:
        return f"{first}-{last}"
    return first or last


def split_list(value: object, separators: str = ";") -> tuple[str, ...]:
    """Non-empty stripped items of a delimited value (keywords, ISSN lists)."""
    if not value:
        return ()
    if isinstance(value, list):
        items = [str(v) for v in value]
    else:
        items = _splitter(separators).split(str(value))
    return tuple(dict.fromkeys(s.strip() for s in items if s and s.strip()))


@cache
def _splitter(separators: str) -> re.Pattern[str]:
    return re.compile(f"[{re.escape(separators)}]")


def person(
    family: str,
    given: str | None = None,
    orcid: str | None = None,
    affiliation: str | None = None,
) -> Agent:
    """A person Agent named "Family, Given", the convention of the whole package."""
    family = " ".join(family.split())
    given = " ".join(given.split()) if given else None
    name = f"{family}, {given}" if given else family
    return Agent(name, "person", family, given or None, normalize_orcid(orcid), affiliation)


def organization(name: str, affiliation: str | None = None) -> Agent:
    """An institutional author: a name and nothing to split."""
    return Agent(" ".join(name.split()), "organization", affiliation=affiliation)


def is_organization(name: str) -> bool:
    """Whether a name reads as an institution (Ministry, Office, Police, ...)."""
    return bool(_ORG_WORDS.search(name.lower()))


def parse_name(text: str, orcid: str | None = None, affiliation: str | None = None) -> Agent | None:
    """Read one author name in any of the export conventions.

    `Family, Given` (RIS, WoS AF), `Family Initials` (Scopus `Cohen L.E.`, WoS CR `Cohen LE`)
    and `Given [particles] Family` (OpenAlex display names); institutions by their words.
    Anonymous placeholders give None.
    """
    name = " ".join(text.split()).strip(" ,;*")
    if not name or _ANONYMOUS.fullmatch(name):
        return None
    if is_organization(name):
        return organization(name, affiliation)
    if "," in name:
        family, given = name.split(",", 1)
        return person(family, given.strip() or None, orcid, affiliation)
    initials = _INITIALS_NAME.fullmatch(name)
    if initials:
        return person(initials.group("family"), initials.group("given"), orcid, affiliation)
    words = name.split(" ")
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    if cut == 0:
        return person(name, None, orcid, affiliation)
    return person(" ".join(words[cut:]), " ".join(words[:cut]), orcid, affiliation)


def parse_names(names: Iterable[str]) -> tuple[Agent, ...]:
    """Agents for a list of names, in order, anonymous placeholders left out."""
    agents = (parse_name(name) for name in names)
    return tuple(a for a in agents if a)


def truncate(raw: str) -> str:
    """The original entry text kept on a Work, bounded so huge entries do not bloat the store."""
    return raw if len(raw) <= RAW_LIMIT else raw[:RAW_LIMIT]


@dataclass
class Parsed:
    """One entry read: its Work and the cited-only Works of its reference field."""

    work: Work
    cited: list[Work] = field(default_factory=list)


class Collector:
    """Gathers one file's records and issues and keeps the counting contract.

    Each entry goes through `entry()`: it is counted, and then either becomes a Work
    (key made unique, `no_year` flagged) or an ERROR issue holding its raw text. Cited
    works are shared by key, so two records citing the same DOI point at one Work, and
    a cited-only Work whose key a loaded entry also has is dropped in favour of it.
    """

    def __init__(self, text: TextFile, loader: str) -> None:
        self.text = text
        self.path = str(text.path)
        self.loader = loader
        self.result = LoadResult(self.path, loader, issues=list(text.issues))
        self._works: dict[str, Work] = {}
        self._cited: dict[str, Work] = {}
        self._citations: dict[tuple[str, str], Citation] = {}

    def source(self, line: int) -> Source:
        return Source(self.path, line, self.loader)

    def issue(self, line: int, severity: Severity, reason: str, text: str = "") -> None:
        self.result.issues.append(Issue(self.source(line), severity, reason, text))

    def warn(self, line: int, reason: str) -> None:
        self.issue(line, Severity.WARNING, reason)

    def reject(self, line: int, reason: str, raw: str) -> None:
        """Count an entry that cannot be read and keep its text for the rejects file."""
        self.result.entries += 1
        self.issue(line, Severity.ERROR, reason, raw)

    def entry(self, line: int, raw: str, read: Callable[[], Parsed]) -> None:
        """Count one entry and add what `read` makes of it, or reject it with the reason.

        Type and value errors are data errors here (a JSON author that is a number, a
        field that is a list): they reject the one entry instead of aborting the file.
        """
        try:
            parsed = read()
            self._check(parsed.work)
        except Rejected as error:
            self.reject(line, str(error), raw)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as error:
            self.reject(line, f"unreadable entry ({type(error).__name__}: {error})", raw)
        else:
            self.result.entries += 1
            self.result.loaded += 1
            self._add(parsed, line)

    @staticmethod
    def _check(work: Work) -> None:
        if not (work.title or work.authors or work.doi):
            raise Rejected("entry has no title, authors or DOI")

    def _add(self, parsed: Parsed, line: int) -> None:
        work = parsed.work
        key = self._unique_key(work.key, line)
        if work.year is None:
            self.warn(line, f"{key}: no year")
            work = replace(work, flags=_year_flag(work))
        if key != work.key:
            work = replace(work, key=key)
        self._works[key] = work
        for cited in parsed.cited:
            self._cite(key, cited)

    def _unique_key(self, key: str, line: int) -> str:
        if key not in self._works:
            return key
        first = self._works[key].source.line
        n = 2
        while f"{key}-{n}" in self._works:
            n += 1
        new = f"{key}-{n}"
        self.warn(line, f"duplicate key {key!r} (first at line {first}); kept as {new!r}")
        return new

    def _cite(self, citing: str, cited: Work) -> None:
        if cited.key not in self._cited:
            if cited.year is None or not cited.cited_only:
                cited = replace(cited, cited_only=True, flags=_year_flag(cited))
            self._cited[cited.key] = cited
        pair = (citing, cited.key)
        if pair not in self._citations and citing != cited.key:
            self._citations[pair] = Citation(citing, cited.key, cited.source)

    def finish(self) -> LoadResult:
        """The LoadResult: loaded works, then cited-only works, then citations; issues by line."""
        if self.result.entries == 0:
            reason = "empty file" if not self.text.text.strip() else "no entries found"
            self.warn(1, reason)
        records: list[Record] = list(self._works.values())
        records += [w for k, w in self._cited.items() if k not in self._works]
        records += list(self._citations.values())
        self.result.records = records
        self.result.issues.sort(key=lambda issue: issue.source.line)
        return self.result


def _year_flag(work: Work) -> tuple[str, ...]:
    """The work's flags with `no_year` added when it has no year (once)."""
    if work.year is not None or "no_year" in work.flags:
        return work.flags
    return (*work.flags, "no_year")


# --- JSON items with their line numbers ---------------------------------------------

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
_ESCAPED_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _without_surrogates(value: Any) -> Any:
    """The value with lone UTF-16 surrogates (from a broken `\\ud83d` escape) as U+FFFD.

    Python decodes such an escape into a string that cannot be written as UTF-8, so one
    mangled emoji in an abstract would otherwise fail the whole file at saving time.
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(v) for v in value]
    if isinstance(value, dict):
        return {_without_surrogates(k): _without_surrogates(v) for k, v in value.items()}
    return value


def _skip(text: str, pos: int) -> int:
    """The offset of the first non-whitespace character at or after `pos`."""
    match = _WS.match(text, pos)
    return match.end() if match else pos


@dataclass(frozen=True)
class JsonItem:
    """One item of a JSON export: its 1-based start line, value and text.

    `error` is set (and `value` None) for the text from a syntax error to the end of
    the file, which cannot be split into items any more.
    """

    line: int
    value: Any
    raw: str
    error: str | None = None


def json_items(text: str, envelope: tuple[str, ...]) -> Iterator[JsonItem]:
    """The items of a JSON export, whatever shape it has, with their start lines.

    A file may hold a list of items, one item, an API envelope (`envelope` names the
    keys to descend: OpenAlex `results`, Crossref `message` then `items`), or several
    top-level values one after another (JSON Lines). Items are decoded one at a time
    so each keeps its line, and a syntax error loses only the text from there on.
    """
    walker = _JsonWalker(text)
    try:
        yield from walker.values(envelope)
    except json.JSONDecodeError as error:
        line = text.count("\n", 0, walker.resume) + 1
        reason = f"invalid JSON at line {error.lineno}: {error.msg}"
        yield JsonItem(line, None, text[walker.resume :].strip(), reason)


def read_json(
    out: Collector, envelope: tuple[str, ...], parse: Callable[[JsonItem], Parsed]
) -> None:
    """Feed each object of a JSON export to `parse`; broken JSON and non-objects are rejected.

    Leftover brackets after the last good item (a truncated file's missing `]`) hold
    no entry, so they are a warning rather than a rejected entry.
    """
    for item in json_items(out.text.text, envelope):
        if item.error and not item.raw.strip(" \t\n[]{},"):
            out.warn(item.line, item.error)
        elif item.error:
            out.reject(item.line, item.error, item.raw)
        elif not isinstance(item.value, dict):
            out.reject(item.line, "item is not a JSON object", item.raw)
        else:
            out.entry(item.line, item.raw, partial(parse, item))


class _JsonWalker:
    """Steps through JSON text value by value; `resume` is where unread text starts."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.resume = 0
        self._line = 1
        self._counted = 0

    def values(self, envelope: tuple[str, ...]) -> Iterator[JsonItem]:
        """Items of every top-level value in turn (one for JSON, many for JSON Lines)."""
        pos = _skip(self.text, 0)
        while pos < len(self.text):
            self.resume = pos
            pos = _skip(self.text, (yield from self._top_level(pos, envelope)))

    def _top_level(self, pos: int, envelope: tuple[str, ...]) -> Generator[JsonItem, None, int]:
        """Yield the items of the top-level value at `pos`; return where that value ends."""
        depth = 0
        for key in envelope:
            inner = self._member(pos, key) if self.text.startswith("{", pos) else None
            if inner is None:
                break
            pos, depth = inner, depth + 1
        if self.text.startswith("[", pos):
            end = yield from self._array(pos)
        else:
            yield self._item(pos)
            end = self.resume
        for _ in range(depth):
            end = self._close_object(end)
        return end

    def _item(self, pos: int) -> JsonItem:
        """Decode the value at `pos` as one item; `resume` moves past it."""
        self.resume = pos
        try:
            value, end = _DECODER.raw_decode(self.text, pos)
        except RecursionError:
            raise json.JSONDecodeError("nested too deeply to read", self.text, pos) from None
        self._line += self.text.count("\n", self._counted, pos)
        self._counted = pos
        self.resume = end
        raw = self.text[pos:end]
        if _ESCAPED_SURROGATE.search(raw):
            value = _without_surrogates(value)
        return JsonItem(self._line, value, raw)

    def _array(self, pos: int) -> Generator[JsonItem, None, int]:
        """Yield each element of the array opening at `pos`; return where it ends."""
        text = self.text
        pos = _skip(text, pos + 1)
        if text.startswith("]", pos):
            return pos + 1
        while True:
            yield self._item(pos)
            pos = _skip(text, self.resume)
            if text.startswith("]", pos):
                return pos + 1
            if not text.startswith(",", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
            pos = _skip(text, pos + 1)

    def _member(self, pos: int, key: str) -> int | None:
        """Offset of the value of `key` in the object opening at `pos`, or None."""
        text = self.text
        pos = _skip(text, pos + 1)
        while not text.startswith("}", pos):
            name, pos = self._key(pos)
            if name == key:
                return pos
            _, pos = _DECODER.raw_decode(text, pos)
            pos = _skip(text, pos)
            if text.startswith(",", pos):
                pos = _skip(text, pos + 1)
            elif not text.startswith("}", pos):
                raise json.JSONDecodeError("Expecting ',' delimiter", text, pos)
        return None

    def _key(self, pos: int) -> tuple[str, int]:
        """Read `"name":` at `pos`; return the name and the offset of its value."""
        name, pos = _DECODER.raw_decode(self.text, pos)
        pos = _skip(self.text, pos)
        if not isinstance(name, str) or not self.text.startswith(":", pos):
            raise json.JSONDecodeError("Expecting property name and ':'", self.text, pos)
        return name, _skip(self.text, pos + 1)

    def _close_object(self, pos: int) -> int:
        """Skip the members left after an envelope's items and its closing brace."""
        pos = _skip(self.text, pos)
        while self.text.startswith(",", pos):
            _, pos = self._key(_skip(self.text, pos + 1))
            _, pos = _DECODER.raw_decode(self.text, pos)
            pos = _skip(self.text, pos)
        if not self.text.startswith("}", pos):
            raise json.JSONDecodeError("Expecting '}'", self.text, pos)
        return pos + 1
