"""The body of a reference entry, after its names and year: title, container, editors,
numbers, publisher, and the work type these imply.

loaders/reference_rules.py finds where the body starts; this module reads it into the
same `Draft`.
"""

from __future__ import annotations

import re

from citegraph.loaders.common import ORG_WORDS
from citegraph.loaders.records import WorkType
from citegraph.loaders.reference_draft import (
    DASH,
    ITALIC,
    PAGE,
    QUOTED,
    Draft,
    clean_title,
    mentions,
    sentences,
)
from citegraph.loaders.reference_names import agents

_IN_SPLIT = re.compile(r"[.?!]\s+(?:[Ii]n|[Ee]n):?\s+")
_IN_START = re.compile(r"(?:In|in|En|en):?\s+")

_EDITED_BY = re.compile(
    r",?\s*\bedited by\s+(.+?)(?=,\s*(?:pp?\.\s*)?\d|(?<![A-Z])\.\s|,\s*[A-Z][\w ]+:|$)"
)
_CHAPTER_EDS = re.compile(
    r"^([^*()]{1,300}?)(?:\s*\(\s*(?:eds?|coords?|comps?)\.?\s*\)|,\s*eds?\.)\s*,?\s*", re.I
)
_PRESS = re.compile(
    r"(?:Press|Publish\w*|Books|Verlag|Editorial|Ediciones|Springer|Routledge|Sage|SAGE|Wiley"
    r"|Elsevier|Palgrave|Macmillan|Willan|Polity|Pearson|Blackwell|Transaction|Taylor|Norton)\b"
)
_JOURNALISH = re.compile(
    r"(?:Journal|Review|Quarterly|Bulletin|Annals|Proceedings|Revista|Revue|Zeitschrift"
    r"|Studies|Letters|Magazine|Transactions|Cuadernos)\b",
    re.I,
)
_THESIS = re.compile(
    r"\[[^\]]*(?:thesis|dissertation|tesis)[^\]]*\]|\b(?:PhD|Ph\.\s?D\.|doctoral|master'?s|MA"
    r"|MSc|MPhil|bachelor'?s|degree)\s+(?:thesis|dissertation|diss\.)[.,]?",
    re.I,
)
_REPORT = re.compile(
    r"\((?:Plan|[^()]*\b(?:[Rr]eport|[Pp]aper|[Bb]rief|[Ii]nforme)\b[^()]*)\)"
    r"|\[[^\]]*\b[Rr]eport\b[^\]]*\]|\b[Rr]eport [Nn]o\.?\s*\S+"
    r"|\b(?:[Ww]orking|[Dd]iscussion|[Ww]hite|[Ss]eries|[Ss]trategic|[Oo]ccasional) [Pp]aper\b[^.]*"
)
_PP = re.compile(rf"\((?:[^()]*?,\s*)?pp?\.\s*({PAGE})\s*\)|\bpp?\.\s*({PAGE})")
_NUMBERS = re.compile(
    rf"""[\s,:;.]*(?:(?P<vi>\d+[A-Za-z]?)\s*\((?P<iss>[^)]{{1,20}})\)
    |(?:vol(?:ume)?|v)\.?\s*(?P<vol>[\w/-]+)
    |(?:no|n[º°o]|nr|núm|num|issue)\.?\s*(?P<no>[\w/-]+)
    |(?:article(?:\s+no\.?)?\s*)?(?P<pg>{PAGE}))(?=[\s,:;.]|$)""",
    re.X | re.I,
)
_CONTAINER_TAIL = re.compile(
    r"(?P<c>[^\d]*?[^\W\d_][)\]]?)(?:,\s*|\s+)(?=(?:vol(?:ume)?|no|n[º°o])\.?\s*\d|\d)", re.I
)
PLACE = re.compile(r"(?P<place>[A-Z][^:]{1,40}):\s*(?P<pub>.+)")


def parse_body(body: str, d: Draft) -> None:
    """Read descriptors, then title, then container/numbers/publisher from the rest."""
    body = _take_descriptors(body, d)
    if d.title:  # already read in the author position
        rest = body
    else:
        title, rest = _take_title(body, d)
        d.title = clean_title(title)
    rest = rest.strip(" .,;:")
    if _IN_START.match(rest):
        d.hints.add("chapter")
        rest = _take_editors(rest[_IN_START.match(rest).end() :], d)  # type: ignore[union-attr]
    _take_publisher(_take_container(rest, d), d)


def _take_descriptors(body: str, d: Draft) -> str:
    """Lift thesis/report markers, `(pp. x-y)` and editions out of the body text.

    `[Master's thesis, César Vallejo University]` gives the degree (the genre) and the
    institution that granted it (the publisher).
    """
    thesis = _THESIS.search(body) if mentions(body, "thesis") else None
    if thesis:
        d.hints.add("thesis")
        degree, _, inst = thesis.group(0).strip("[] .,").partition(",")
        d.genre = degree.strip() or None
        d.publisher = inst.strip() or None
        body = body[: thesis.start()] + body[thesis.end() :]
    if mentions(body, "report") and _REPORT.search(body):
        d.hints.add("report")
        body = _REPORT.sub("", body)
    pp = _PP.search(body) if "p." in body else None
    if pp:
        d.pages = norm_pages(pp.group(1) or pp.group(2))
        if pp.group(1):
            d.hints.add("chapter")
        body = body[: pp.start()] + body[pp.end() :]
    return re.sub(r"\s+([.,])", r"\1", body)


def _take_title(body: str, d: Draft) -> tuple[str | None, str]:
    """Pick the title: quoted, italic, text before an italic container, the comma pieces
    before a slot where a comma follows the year, or the first sentence(s)."""
    comma_style, colon_style = body.startswith(","), body.startswith(":")
    body = body.strip(" .,;:")
    quoted = QUOTED.match(body) or ITALIC.match(body)
    if quoted:
        title = next(g for g in quoted.groups() if g) if quoted.re is QUOTED else quoted[1]
        d.marked = True
        rest = body[quoted.end() :]
        inner = _IN_SPLIT.search(title)
        if inner:  # APA chapter whose "In Book" slipped inside the italics
            d.hints.add("chapter")
            rest = f"*{title[inner.end() :]}*{rest}"
            title = title[: inner.start()]
        return title, rest
    later = ITALIC.search(body)
    if later:
        d.marked = True
        head = body[: later.start()]
        inner = _IN_SPLIT.search(head)
        cut = inner.start() + 1 if inner else later.start()
        return body[:cut], body[cut:]
    if comma_style:
        title, rest = _comma_title(body)
        d.marked = rest.startswith("In ")  # `, in:` closes the title as surely as italics
        return title, rest
    segs = sentences(body)
    if not segs:
        return None, ""
    k = 1
    while k < len(segs) and _continues_title(segs, k, colon_style):
        k += 1  # `Title. Subtitle. London.`: an unmarked subtitle is part of the title
    if k > 1 and colon_style:  # German lists: surer than the CRF, which stops at the stop
        d.hints.add("subtitle")
    return " ".join(segs[:k]), " ".join(segs[k:])


def _continues_title(segs: list[str], k: int, colon_style: bool) -> bool:
    """Whether plain sentence `k` is more title: a subtitle after a question, or in
    sentence case, or any sentence where a colon follows the year (German lists:
    `(1995): States and Firms. Multinational Enterprises in Institutional Competition.
    London.`), where a series would come in brackets.

    A slot (journal with numbers, `Place: Publisher`, `In ...`, anything with digits,
    a press or an institution) ends the title, and so does the last sentence, which is
    the publisher or place where nothing else follows.
    """
    seg = segs[k]
    if k == len(segs) - 1 or _slot_like(seg) or _IN_START.match(seg):
        return False
    if re.search(r"\d|^[(\[]", seg) or _PRESS.search(seg) or ORG_WORDS.search(seg):
        return False
    words = seg.split()[1:]
    sentence_case = len(words) >= 2 and sum(w[:1].islower() for w in words) > len(words) / 2
    return colon_style or sentence_case or segs[k - 1].endswith(("?", "!"))


def _comma_title(body: str) -> tuple[str | None, str]:
    """The title of a comma-separated entry (`Name (2013), Title, in: Journal, 38, 1&2,
    191-226.`, `Name (2005), Title, Milano, Publisher.`): the pieces before the first
    that starts a slot, the rest (joined by periods) for the container and publisher."""
    pieces = [p for p in re.split(r",\s+", body) if p]
    k = 1
    while k < len(pieces) and not _starts_slot(pieces, k):
        k += 1
    rest = pieces[k:]
    if rest and _IN_START.match(rest[0]):
        return ", ".join(pieces[:k]), "In " + ", ".join(rest)[_IN_START.match(rest[0]).end() :]  # type: ignore[union-attr]
    return ", ".join(pieces[:k]), ". ".join(rest)


def _starts_slot(pieces: list[str], k: int) -> bool:
    """Whether comma piece `k` begins what follows the title."""
    piece, after = pieces[k], pieces[k + 1 :]
    if _IN_START.match(piece) or PLACE.fullmatch(piece) or re.search(r"\d", piece):
        return True
    if after and re.fullmatch(r"[\divxlc&/ ()-]+", after[0], re.I):
        return True  # a journal or series, then its numbers
    if len(after) == 1 and piece[:1].isupper() and len(piece.split()) <= 3:
        return not after[0][:1].islower()  # `Milano, Bruno Mondadori`: place, publisher
    return not after and piece[:1].isupper() and len(piece.split()) <= 2  # `..., Brussels.`


def _slot_like(seg: str) -> bool:
    """Whether a sentence looks like a journal/publisher slot rather than more title."""
    return bool(_CONTAINER_TAIL.match(seg) or _JOURNALISH.search(seg) or PLACE.fullmatch(seg))


def _take_editors(rest: str, d: Draft) -> str:
    """Read the editors of the book a chapter is in (APA `(Eds.),`, Chicago `edited by`)."""
    m = _EDITED_BY.search(rest)
    if m:
        d.editors = agents(m.group(1), Draft(), given_first=True)
        return rest[: m.start()] + rest[m.end() :]
    m = _CHAPTER_EDS.match(rest)
    if m:
        d.editors = agents(m.group(1), Draft())
        return rest[m.end() :]
    return rest


def _take_container(rest: str, d: Draft) -> str:
    """Read the journal/book container and its numbers; return what follows them."""
    rest = rest.strip(" .,;:")
    italic = ITALIC.match(rest)
    if italic:
        name, tail = italic.group(1), take_numbers(rest[italic.end() :], d)
    else:
        segs = sentences(rest)
        if not segs:
            return ""
        m = _CONTAINER_TAIL.match(segs[0])
        if m and _NUMBERS.match(segs[0], m.end()):
            name, tail = m.group("c"), take_numbers(segs[0][m.end() :], d)
        elif "chapter" in d.hints or (_JOURNALISH.search(segs[0]) and not PLACE.match(segs[0])):
            name, tail = segs[0], ""
        else:
            return rest
        tail = " ".join([tail, *segs[1:]])
    has_numbers = d.volume or d.issue or (d.pages and "chapter" not in d.hints)
    # a chapter's container is its book, whatever its words (`The Foundations of ...`)
    institutional = ORG_WORDS.search(name) and not _JOURNALISH.search(name)
    if not has_numbers and institutional and not d.publisher and "chapter" not in d.hints:
        d.publisher = name.strip(" .")
    else:
        d.container = name.strip(" .,") or None
    return tail


def take_numbers(tail: str, d: Draft) -> str:
    """Consume volume, issue and pages at the start of `tail`; return the remainder."""
    pos = 0
    while m := _NUMBERS.match(tail, pos):
        if m.group("vi"):
            d.volume, d.issue = d.volume or m.group("vi"), d.issue or m.group("iss").strip()
        elif m.group("vol"):
            d.volume = d.volume or m.group("vol")
        elif m.group("no"):
            d.issue = d.issue or m.group("no")
        elif d.volume or re.search(DASH, m.group("pg")):
            d.pages = d.pages or norm_pages(m.group("pg"))
        else:
            d.volume = m.group("pg")
        pos = m.end()
    return tail[pos:]


def _take_publisher(rest: str, d: Draft) -> None:
    """Take the last plain sentence as publisher, dropping a `Place:` prefix.

    A thesis named its institution in its brackets already; what follows them is the
    archive that holds it (`[Master's thesis, X University]. UCV Repository.`).
    """
    segs = [s.strip(" .,;:") for s in sentences(rest)]
    segs = [s for s in segs if re.search(r"[^\W\d_]{2}", s) and not s.startswith(("(", "["))]
    if d.publisher and segs and "thesis" in d.hints and not d.container:
        d.container = segs[-1]
    if d.publisher or not segs:
        return
    pub = segs[-1]
    place = PLACE.fullmatch(pub)
    if place and len(place.group("place").split()) <= 4:
        name = place.group("pub")
        if _PRESS.search(name) or ORG_WORDS.search(name) or len(name.split()) <= 3:
            pub = name
    d.publisher = pub


def imprint_publisher(imprint: str) -> str | None:
    """The publisher of a note-style imprint (`Place: Publisher`, or a publisher alone);
    None for a place alone (`West Lafayette, IN`)."""
    last = imprint.split(";")[-1].strip()
    place = PLACE.fullmatch(last)
    if place:
        return place.group("pub").strip()
    return last if _PRESS.search(last) or ORG_WORDS.search(last) else None


def norm_pages(pages: str) -> str:
    """Normalise en/em dashes and spacing in a page range."""
    return re.sub(rf"\s*{DASH}\s*", "-", pages.strip())


def classify(d: Draft) -> WorkType:
    """Choose the work type from the markers and slots that were found."""
    if "thesis" in d.hints:
        return "thesis"
    if "chapter" in d.hints and (d.container or d.editors):
        return "chapter"
    if "report" in d.hints:
        return "report"
    if d.container:
        return "article"
    if d.publisher:
        institutional = ORG_WORDS.search(d.publisher) and not _PRESS.search(d.publisher)
        return "report" if institutional else "book"
    return "other"
