"""What the bibliographic-export loaders share: cleaning values and parsing names.

Every export format spells DOIs, ORCIDs, pages, years, names and work types its own
way; normalising them in one place is what lets graph/ match a Scopus row with a
Crossref record. The counting contract is loaders/collector.py's, JSON items
loaders/json_items.py's.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import cache

from citegraph.loaders.letters import CAPITALS
from citegraph.loaders.records import (
    Agent,
    WorkType,
)

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
    rf"(?P<family>.+?)\s+(?P<given>(?:[{CAPITALS}]\.?-?){{1,4}}(?:\s+[{CAPITALS}]\.?-?){{0,3}})"
)
_PARTICLES = frozenset("da das de del della der di do dos du la le ten ter van von".split())
# Placeholders that name nobody: `[Anonymous]`, Scopus' note, a list's `et al.`
_ANONYMOUS = re.compile(r"\[?anonymous\]?|\[no author name available\]|et\.?\s*al\.?", re.I)
#: Words that make a name an institution's, in every loader: a reference string's
#: `Ministerio de Salud`, a Scopus author `World Health Organization`, a BibTeX `{Office
#: of ...}`. Written lower-case; `ORG_WORDS` asks them capitalised, in running text.
ORGANIZATION_WORDS = (
    "organi[sz]ation institut[eo]? ministry ministerio department office council commission"
    " committee agency association society bureau cent(?:re|er) foundation fund bank"
    " government gobierno nations programme program police service universi(?:ty|dad|dade)"
    " université universität national federal group consortium network watch international"
    " union coalition observatory secretariat board authority"
).split()
_ORG_WORDS = re.compile(rf"\b(?:{'|'.join(ORGANIZATION_WORDS)})s?\b")
#: the same words capitalised, as a reference string prints an institution
ORG_WORDS = re.compile(rf"\b(?:{'|'.join(w[0].upper() + w[1:] for w in ORGANIZATION_WORDS)})s?\b")

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
    return bool(_ORG_WORDS.search(name.lower()))  # lower-cased: faster than re.I


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
