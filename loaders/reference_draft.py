"""What both halves of the rules parser share: the draft they fill in, and the marks that
read the same in an entry's head and its body (quotes, italics, sentence ends, pages).

loaders/reference_rules.py reads an entry's head (names and year slot);
loaders/reference_body.py reads what follows (title, container, numbers, publisher).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from citegraph.loaders.records import Agent

DASH = "[-\u2010-\u2015]"
PAGE = rf"[A-Za-z]{{0,2}}{DASH}?\d+[A-Za-z]?(?:\s*{DASH}\s*[A-Za-z]{{0,2}}\d+[A-Za-z]?)?"
YEAR = r"1[5-9]\d\d|20\d\d"

HINTS = {
    "access": ("access", "retriev", "consult", "viewed", "availab", "disponib", "recupera"),
    "thesis": ("thes", "diss", "tesis"),
    "report": ("report", "paper", "plan)", "brief", "informe"),
}

_SENT_END = re.compile(r"[.?!]+(?=\s)")
_PROTECTED = re.compile(r"\*[^*]*\*|\[[^\]]*\]|\([^()]*\)|\"[^\"]*\"|“[^”]*”|«[^»]*»")
_ABBREV = re.compile(
    r"(?:\b[A-Za-z]|\b(?:[A-Za-z]\.)+[A-Za-z]|\b(?:[Vv]ol|[Vv]ols|[Nn]o|[Nn]os|pp|ed|eds|edn|rev|trans|Inc"
    r"|Ltd|Co|Corp|St|Dr|Jr|Sr|Mr|Mrs|Ms|Prof|vs|al|Univ|Dept|Nr|cf|ca|Gov|Coord|Comp|Ph\.D))\Z"
)
ITALIC = re.compile(r"\*([^*]+)\*")
#: what may follow a quoted title: a stop, or the `in` of its book, perhaps after the
#: chapter's pages (`‘Title’ (183-220) in G. Editor (ed.), *Book*`)
_AFTER_QUOTE = r"\s+(?:\([^()]*\)\s+)?\*?in\b"
QUOTED = re.compile(
    rf"\"([^\"]+?[.,?!])\"|\"([^\"]+)\"(?=[.,]|{_AFTER_QUOTE})|“([^”]+?[.,?!])”"
    rf"|“([^”]+)”(?=[.,]|{_AFTER_QUOTE})|‘(.+?)’(?=[.,:;]|{_AFTER_QUOTE})"
    rf"|'(.+?)'(?=[.,:;]|{_AFTER_QUOTE})|«\s*([^»]+?[.,?!])\s*»|«\s*([^»]+?)\s*»(?=\s*[.,:;]|{_AFTER_QUOTE})"
)


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


def mentions(s: str, hint: str) -> bool:
    """Cheap substring pre-check that spares the costly regex on most entries."""
    low = s.lower()
    return any(word in low for word in HINTS[hint])


def sentences(s: str) -> list[str]:
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


def clean_title(title: str | None) -> str | None:
    """Drop wrapping quotes/asterisks and trailing periods; no letters means no title."""
    if not title:
        return None
    title = title.strip().strip('*"“”‘’').strip()
    title = re.sub(r"^«\s*([^«»]+?)\s*»[.,;:]*$", r"\1", title)  # French quotes, both ends
    title = re.sub(r"(?:\s*\[[^\]]*\]?)?[.,;:]*$", "", title).strip('*"“”‘’ ')
    return title if re.search(r"[^\W\d_]{2}", title) else None
