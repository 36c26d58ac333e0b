"""The rules half of the reference parser: one entry read by its punctuation and markup.

Literature reviews arrive as Markdown reference lists in APA 6/7, Harvard, Chicago
author-date, ASA, Vancouver author-date or ISO 690 dress. `parse_rules` reads one entry
(already joined into one line) into a `Draft`; `reference_string` freezes it, and consults
the CRF where the rules had no typography to go by.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citegraph.loaders.records import Agent, WorkType
from citegraph.loaders.reference_names import ORG_WORDS, agents

_DASH = "[-\u2010-\u2015]"
_PAGE = rf"[A-Za-z]{{0,2}}{_DASH}?\d+[A-Za-z]?(?:\s*{_DASH}\s*[A-Za-z]{{0,2}}\d+[A-Za-z]?)?"
_YEAR = r"1[5-9]\d\d|20\d\d"

_LIST_MARKER = re.compile(r"^(?:[-+•]|\*(?=\s)|\d{1,3}[.)]|\[\d{1,3}\])\s+")
_ESCAPE = re.compile(r"\\{1,2}([_\[\]()#.&!+-])")
_LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
_URL = re.compile(r"https?://[^\s<>\]\[\"]+")
_DOI = re.compile(r"(?:doi:?\s*)?(10\.\d{4,9}/[^\s<>\"]+)", re.I)
_HINTS = {
    "access": ("access", "retriev", "consult", "viewed", "availab", "disponib", "recupera"),
    "thesis": ("thes", "diss", "tesis"),
    "report": ("report", "paper", "plan)", "brief", "informe"),
}
_ACCESS = re.compile(
    r"(^|[.\]\"”]\s+|[\[(])(?:accessed|retrieved|consulted|viewed)(?: on)?:?\s[^\[\]()]{0,40}?"
    rf"(?:{_YEAR})[\])]?(?:,?\s*from)?|\b(?:available (?:in|at|from|online)|retrieved from"
    r"|disponible en|recuperado de)\s*:?",
    re.I,
)
_PAREN_YEAR = re.compile(
    rf"\(\s*(?:({_YEAR})([a-z]?)(?:\s*[,/;]\s*[^()]{{0,40}}|\s*\[[^\]]{{1,20}}\])?"
    r"|(n\.\s?d\.?|s\.\s?f\.?|in press"
    r"|forthcoming|no date))\s*\)",
    re.I,
)
_DOT_YEAR = re.compile(rf"\.\s+(?:({_YEAR})([a-z]?)|(n\.\s?d))\.(?=\s|$)")
_ISO_HEAD_END = re.compile(r"\.\s+(?![A-ZÀ-Þ]\.)")
#: `Robert W. Dawson.`: a middle initial after a given name, then the family name
_MIDDLE_INITIAL = re.compile(r"[A-ZÀ-Þ][^\W\d_]+\s[A-ZÀ-Þ]\Z")
_FAMILY_NEXT = re.compile(r"[A-ZÀ-Þ][^\W\d_'’-]*(?:['’-][^\W\d_]+)*[.,](?:\s|$)")
#: an ISO 690 or note-style year: `, 2012.`, or closing the imprint `(West Lafayette, IN, 1998).`
_ISO_YEAR = re.compile(rf",\s*({_YEAR})([a-z]?)(?=\s*\)?\s*(?:[,.;]|$))")
#: Harvard's year after the names, set off by commas: `Cowman, G.A. & Singer, P.C., 1995.`
_COMMA_YEAR = re.compile(rf",\s*({_YEAR})([a-z]?)[.,:]?\s+(?=\S)")
_NOT_NAMES = re.compile(r"[:*\"“”‘’«»()]|\b\d")

_SENT_END = re.compile(r"[.?!]+(?=\s)")
_PROTECTED = re.compile(r"\*[^*]*\*|\[[^\]]*\]|\([^()]*\)|\"[^\"]*\"|“[^”]*”|«[^»]*»")
_ABBREV = re.compile(
    r"(?:\b[A-Za-z]|\b(?:[A-Za-z]\.)+[A-Za-z]|\b(?:vol|vols|no|nos|pp|ed|eds|edn|rev|trans|Inc"
    r"|Ltd|Co|Corp|St|Dr|Jr|Sr|Mr|Mrs|Ms|Prof|vs|al|Univ|Dept|Nr|cf|ca|Gov|Coord|Comp|Ph\.D))\Z"
)
_ITALIC = re.compile(r"\*([^*]+)\*")
#: what may follow a quoted title: a stop, or the `in` of its book, perhaps after the
#: chapter's pages (`‘Title’ (183-220) in G. Editor (ed.), *Book*`)
_AFTER_QUOTE = r"\s+(?:\([^()]*\)\s+)?\*?in\b"
_QUOTED = re.compile(
    rf"\"([^\"]+?[.,?!])\"|\"([^\"]+)\"(?=[.,]|{_AFTER_QUOTE})|“([^”]+?[.,?!])”"
    rf"|“([^”]+)”(?=[.,]|{_AFTER_QUOTE})|‘(.+?)’(?=[.,:;]|{_AFTER_QUOTE})"
    rf"|'(.+?)'(?=[.,:;]|{_AFTER_QUOTE})|«\s*([^»]+?)\s*»(?=\s*[.,:;]|{_AFTER_QUOTE})"
)
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
_PP = re.compile(rf"\((?:[^()]*?,\s*)?pp?\.\s*({_PAGE})\s*\)|\bpp?\.\s*({_PAGE})")
_EDITION = re.compile(r"\d+(?:st|nd|rd|th)\.?\s+[Ee]d(?:n|ition)?\b\.?")
_NUMBERS = re.compile(
    rf"""[\s,:;.]*(?:(?P<vi>\d+[A-Za-z]?)\s*\((?P<iss>[^)]{{1,20}})\)
    |(?:vol(?:ume)?|v)\.?\s*(?P<vol>[\w/-]+)
    |(?:no|n[º°o]|nr|núm|num|issue)\.?\s*(?P<no>[\w/-]+)
    |(?:article(?:\s+no\.?)?\s*)?(?P<pg>{_PAGE}))(?=[\s,:;.]|$)""",
    re.X | re.I,
)
_CONTAINER_TAIL = re.compile(
    r"(?P<c>[^\d]*?[^\W\d_][)\]]?)(?:,\s*|\s+)(?=(?:vol(?:ume)?|no|n[º°o])\.?\s*\d|\d)", re.I
)
_PLACE = re.compile(r"(?P<place>[A-Z][^:]{1,40}):\s*(?P<pub>.+)")


@dataclass
class Draft:
    """Mutable scratch record the parsing steps fill in before it is frozen.

    `marked` says the title was read from typography (italics, quotes, an italic
    container after it), the shape on which the rules are right nearly always.
    """

    authors: tuple[Agent, ...] = ()
    editors: tuple[Agent, ...] = ()
    year: int | None = None
    year_suffix: str = ""
    title: str | None = None
    genre: str | None = None
    container: str | None = None
    volume: str | None = None
    issue: str | None = None
    pages: str | None = None
    publisher: str | None = None
    doi: str | None = None
    url: str | None = None
    hints: set[str] = field(default_factory=set)
    flags: list[str] = field(default_factory=list)
    marked: bool = False


def parse_rules(text: str) -> Draft:
    """Read `text` with the rules alone; the caller freezes the draft (and may raise)."""
    d = Draft()
    _parse_body(_split_year(_clean(text, d), d), d)
    return d


def _clean(text: str, d: Draft) -> str:
    """Strip Markdown and pull out URLs/DOIs, which confuse every later split."""
    s = _LIST_MARKER.sub("", " ".join(text.split()))
    s = re.sub(r"\*(\d+)\*", r"\1", _ESCAPE.sub(r"\1", s).replace("**", ""))
    s = _LINK.sub(lambda m: _take_url(m.group(2), d) + _link_words(m.group(1)), s)
    s = _URL.sub(lambda m: _take_url(m.group(0), d), s)
    if "10." in s:
        s = _DOI.sub(lambda m: _take_url(m.group(1), d), s)
    if _mentions(s, "access"):
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


def _mentions(s: str, hint: str) -> bool:
    """Cheap substring pre-check that spares the costly regex on most entries."""
    low = s.lower()
    return any(word in low for word in _HINTS[hint])


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
        title = _ITALIC.fullmatch(head.strip(" .,")) or _QUOTED.fullmatch(head.strip(" ,"))
        if title:
            d.title, d.marked = clean_title(next(g for g in title.groups() if g)), True
        else:
            d.authors = agents(head, d)
        return s[m.end() :]
    comma = _COMMA_YEAR.search(s)
    head = s[: comma.start()] if comma else ""
    # a year after nothing but names is the Harvard slot, not an ISO 690 tail's date
    names = _names_only(head)
    if comma and names:
        _set_year(comma, d)
        _take_people(names, d)
        return s[comma.end() :]
    body, end = s, _iso_head_end(s)
    quote = _QUOTED.search(s)
    head = s[: quote.start()] if quote else ""
    before = _names_only(head) if head.rstrip().endswith(",") else None
    if quote and before:  # `BERG, K., « Title », Paris`: the names end where the quote opens
        _take_people(before, d)
        body, end = s[quote.start() :], None
    if end and re.search("[,;]", s[: end.start()]):
        names = _people(s[: end.start() + 1])
        if names is not None:
            _take_people(names, d)
            body = s[end.end() :]
    iso = list(_ISO_YEAR.finditer(body))
    if iso:
        _set_year(iso[-1], d)
        body = body[: iso[-1].start()] + body[iso[-1].end() :]
    return body


def _iso_head_end(s: str) -> re.Match[str] | None:
    """The stop that ends the names, not the one after a given-first name's middle
    initial (`Ringbakk, Kjell-Arne and Robert W. Dawson. Title`)."""
    for m in _ISO_HEAD_END.finditer(s):
        if not (_MIDDLE_INITIAL.search(s, 0, m.start()) and _FAMILY_NEXT.match(s, m.end())):
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


def _sentences(s: str) -> list[str]:
    """Split at sentence ends, skipping initials, abbreviations and protected spans."""
    guarded = [m.span() for m in _PROTECTED.finditer(s)]
    out, start = [], 0
    for m in _SENT_END.finditer(s):
        p = m.start()
        if any(a < p < b for a, b in guarded):
            continue
        if s[m.end() - 1] == "." and _ABBREV.search(s, max(0, p - 12), p):
            continue
        out.append(s[start : m.end()].strip())
        start = m.end()
    tail = s[start:].strip()
    return [*out, tail] if tail else out


def _parse_body(body: str, d: Draft) -> None:
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
    thesis = _THESIS.search(body) if _mentions(body, "thesis") else None
    if thesis:
        d.hints.add("thesis")
        degree, _, inst = thesis.group(0).strip("[] .,").partition(",")
        d.genre = degree.strip() or None
        d.publisher = inst.strip() or None
        body = body[: thesis.start()] + body[thesis.end() :]
    if _mentions(body, "report") and _REPORT.search(body):
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
    quoted = _QUOTED.match(body) or _ITALIC.match(body)
    if quoted:
        title = next(g for g in quoted.groups() if g) if quoted.re is _QUOTED else quoted[1]
        d.marked = True
        rest = body[quoted.end() :]
        inner = _IN_SPLIT.search(title)
        if inner:  # APA chapter whose "In Book" slipped inside the italics
            d.hints.add("chapter")
            rest = f"*{title[inner.end() :]}*{rest}"
            title = title[: inner.start()]
        return title, rest
    later = _ITALIC.search(body)
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
    segs = _sentences(body)
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
    if _IN_START.match(piece) or _PLACE.fullmatch(piece) or re.search(r"\d", piece):
        return True
    if after and re.fullmatch(r"[\divxlc&/ ()-]+", after[0], re.I):
        return True  # a journal or series, then its numbers
    if len(after) == 1 and piece[:1].isupper() and len(piece.split()) <= 3:
        return not after[0][:1].islower()  # `Milano, Bruno Mondadori`: place, publisher
    return not after and piece[:1].isupper() and len(piece.split()) <= 2  # `..., Brussels.`


def _slot_like(seg: str) -> bool:
    """Whether a sentence looks like a journal/publisher slot rather than more title."""
    return bool(_CONTAINER_TAIL.match(seg) or _JOURNALISH.search(seg) or _PLACE.fullmatch(seg))


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
    italic = _ITALIC.match(rest)
    if italic:
        name, tail = italic.group(1), take_numbers(rest[italic.end() :], d)
    else:
        segs = _sentences(rest)
        if not segs:
            return ""
        m = _CONTAINER_TAIL.match(segs[0])
        if m and _NUMBERS.match(segs[0], m.end()):
            name, tail = m.group("c"), take_numbers(segs[0][m.end() :], d)
        elif "chapter" in d.hints or (_JOURNALISH.search(segs[0]) and not _PLACE.match(segs[0])):
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
        elif d.volume or re.search(_DASH, m.group("pg")):
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
    segs = [s.strip(" .,;:") for s in _sentences(rest)]
    segs = [s for s in segs if re.search(r"[^\W\d_]{2}", s) and not s.startswith(("(", "["))]
    if d.publisher and segs and "thesis" in d.hints and not d.container:
        d.container = segs[-1]
    if d.publisher or not segs:
        return
    pub = segs[-1]
    place = _PLACE.fullmatch(pub)
    if place and len(place.group("place").split()) <= 4:
        name = place.group("pub")
        if _PRESS.search(name) or ORG_WORDS.search(name) or len(name.split()) <= 3:
            pub = name
    d.publisher = pub


def norm_pages(pages: str) -> str:
    """Normalise en/em dashes and spacing in a page range."""
    return re.sub(rf"\s*{_DASH}\s*", "-", pages.strip())


def clean_title(title: str | None) -> str | None:
    """Drop wrapping quotes/asterisks and trailing periods; no letters means no title."""
    if not title:
        return None
    title = title.strip().strip('*"“”‘’').strip()
    title = re.sub(r"(?:\s*\[[^\]]*\]?)?[.,;:]*$", "", title).strip('*"“”‘’ ')
    return title if re.search(r"[^\W\d_]{2}", title) else None


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
